"""What a simulated run of a Pod produced: the data the lifecycle simulator (kubelet.py) returns
and every view of a run draws from (the SVG timeline, `kubectl get pod -w` rows, `kubectl
describe` events, JSON). Times are whole seconds from the moment the Pod was created.

A run is recorded at three levels, each a plain list in time order:
- per container, a lane of state intervals and point marks (probe results, exits, signals);
- for the Pod, its phase spans and condition changes, and the rows `kubectl get pod -w` prints;
- the Events `kubectl describe pod` lists.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from learn.podspec.model import Role


class State(StrEnum):
    """What a container is doing over an interval. Every second of a lane is in exactly one."""

    WAITING = "waiting"  # created in the spec, not started yet (its turn has not come)
    STARTING = "starting"  # running, its startup probe has not succeeded yet
    RUNNING = "running"  # running (started), not ready
    READY = "ready"  # running and ready
    TERMINATING = "terminating"  # told to stop (preStop hook, then SIGTERM), still running
    BACKOFF = "backoff"  # exited, waiting out the kubelet's restart back-off (CrashLoopBackOff)
    EXITED = "exited"  # terminated, and will not run again


class MarkKind(StrEnum):
    """A moment on a container's lane."""

    # One probe result (detail: startup | liveness | readiness; ok: passed). Every failure is
    # kept; a success only when it follows the container's start or a failure.
    PROBE = "probe"
    START = "start"  # the container (re)started; detail: "restart 2" from the second run on
    EXIT = "exit"  # the process ended; detail: reason (Completed, Error, OOMKilled); code set
    SIGNAL = "signal"  # the kubelet sent a signal; detail: SIGTERM or SIGKILL
    HOOK = "hook"  # a lifecycle hook ran; detail: postStart or preStop


@dataclass(frozen=True)
class Interval:
    """A container in one state from `start` up to (not including) `end`."""

    state: State
    start: int
    end: int
    run: int  # which run of the container: 0 for the first, 1 after the first restart...

    @property
    def seconds(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Mark:
    """Something that happened to one container at one moment."""

    time: int
    kind: MarkKind
    detail: str = ""
    ok: bool = True  # for probes: passed; for exits: exit code 0
    code: int | None = None  # for exits: the exit code


@dataclass
class Lane:
    """One container's life in the run: its intervals cover [0, timeline.end) with no gap."""

    name: str
    role: Role
    intervals: list[Interval] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    restarts: int = 0


class Phase(StrEnum):
    """The Pod's phase (pod-lifecycle: "Pod phase"). CrashLoopBackOff or Terminating are not
    phases: they are what kubectl shows in STATUS."""

    PENDING = "Pending"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


CONDITIONS = ("PodScheduled", "Initialized", "ContainersReady", "Ready")


@dataclass(frozen=True)
class PhaseSpan:
    phase: Phase
    start: int
    end: int


@dataclass(frozen=True)
class ConditionChange:
    """A Pod condition (one of CONDITIONS) becoming True or False at a moment."""

    time: int
    condition: str
    status: bool
    reason: str = ""  # e.g. ContainersNotReady, PodCompleted, Unschedulable


@dataclass(frozen=True)
class StatusRow:
    """One line of `kubectl get pod -w`: printed whenever one of its columns changes."""

    time: int
    ready: str  # READY, e.g. "1/2"
    status: str  # STATUS, e.g. "Init:0/2", "PodInitializing", "CrashLoopBackOff", "Completed"
    restarts: str  # RESTARTS, e.g. "0" or "2 (15s ago)"
    phase: Phase


@dataclass(frozen=True)
class Event:
    """One line of the Events in `kubectl describe pod`."""

    time: int
    type: str  # Normal or Warning
    reason: str  # Scheduled, Pulled, Created, Started, Killing, Unhealthy, BackOff, ...
    source: str  # default-scheduler or kubelet
    message: str  # as the component writes it, e.g. "Container started"
    container: str | None = None
    # involvedObject.fieldPath of a container's event ("spec.containers{web}",
    # "spec.initContainers{setup}": pkg/kubelet/container/ref.go), which `kubectl describe`
    # prints before the message.
    field_path: str | None = None


@dataclass
class Timeline:
    """A run of one Pod from its creation to `end` (when it finished, was removed, or the
    simulation's horizon)."""

    pod: str  # the Pod's name as kubectl would show it (a Job's Pod: "<job>-<suffix>")
    kind: str  # the workload's kind (Pod, Deployment, Job...)
    end: int
    lanes: list[Lane]
    phases: list[PhaseSpan]
    conditions: list[ConditionChange]
    rows: list[StatusRow]
    events: list[Event]
    # The defaults the run assumed where the scenario was silent, as sentences for the reader
    # ("`web` runs until it is stopped: its image's own command, which handles SIGTERM").
    assumptions: list[str] = field(default_factory=list)
    # One sentence on how the run ended ("The Job's Pod completed at 12 s").
    outcome: str = ""
    finished: bool = False  # the Pod reached Succeeded or Failed, or was removed, before `end`
    removed_at: int | None = None  # when a deleted Pod was gone from the API
    deleted_at: int | None = None  # when `kubectl delete` asked for the Pod to go

    @property
    def described_at(self) -> int:
        """The last moment `kubectl describe pod` can show the Pod: its removal, or the end."""
        return self.end if self.removed_at is None else min(self.removed_at, self.end)

    def lane(self, name: str) -> Lane | None:
        """The lane of the container with this name, if any."""
        return next((lane for lane in self.lanes if lane.name == name), None)

    def phase_at(self, time: int) -> Phase:
        """The Pod's phase at a moment of the run."""
        for span in self.phases:
            if span.start <= time < span.end:
                return span.phase
        return self.phases[-1].phase

    def condition_at(self, condition: str, time: int) -> bool:
        """Whether a Pod condition was True at a moment of the run."""
        status = False
        for change in self.conditions:
            if change.time > time:
                break
            if change.condition == condition:
                status = change.status
        return status

    def to_dict(self) -> dict:
        """Plain data for JSON (the CLI's --format json and the site's tests)."""
        return asdict(self)
