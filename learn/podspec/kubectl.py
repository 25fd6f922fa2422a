"""What kubectl prints for a Pod: the READY, STATUS and RESTARTS columns of `kubectl get pod`
computed from a Pod's status exactly as kubectl's printer does (printPod in
kubernetes/kubernetes pkg/printers/internalversion/printers.go), and the Events table of
`kubectl describe pod`. The simulator records statuses; this module only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from learn.podspec.timeline import Event, Phase


@dataclass(frozen=True)
class ContainerStatus:
    """One entry of status.initContainerStatuses or status.containerStatuses, as the API has it."""

    name: str
    state: str  # waiting | running | terminated
    reason: str = ""  # waiting: PodInitializing, ContainerCreating, CrashLoopBackOff...;
    # terminated: Completed, Error, OOMKilled
    exit_code: int = 0
    signal: int = 0
    ready: bool = False
    started: bool | None = None
    restart_count: int = 0
    last_terminated_at: int | None = None  # when its previous run ended (for "2 (15s ago)")
    restartable: bool = False  # an init container with restartPolicy: Always (a native sidecar)


@dataclass(frozen=True)
class PodStatus:
    """The part of a Pod's status (and metadata) that kubectl's printer reads."""

    phase: Phase
    init_containers: tuple[ContainerStatus, ...] = ()  # in spec order, sidecars included
    containers: tuple[ContainerStatus, ...] = ()
    reason: str = ""  # status.reason, e.g. DeadlineExceeded
    deleting: bool = False  # metadata.deletionTimestamp is set
    conditions: dict[str, bool] = field(default_factory=dict)  # PodScheduled, Ready...


def columns(status: PodStatus, now: int) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS as `kubectl get pod` prints them at second `now`."""
    raise NotImplementedError


def events_table(events: list[Event], now: int) -> str:
    """The Events section of `kubectl describe pod` at second `now` (Type, Reason, Age, From,
    Message), ages written the way kubectl writes them ("12s", "2m5s")."""
    raise NotImplementedError


def watch_table(rows: list, pod: str) -> str:
    """`kubectl get pod -w` output for a run's StatusRows: NAME READY STATUS RESTARTS AGE."""
    raise NotImplementedError


def age(seconds: int) -> str:
    """A duration as kubectl's HumanDuration writes it ("0s", "45s", "2m5s", "10m")."""
    raise NotImplementedError
