"""What kubectl prints for a Pod: the READY, STATUS and RESTARTS columns of `kubectl get pod`
computed from a Pod's status exactly as kubectl's printer does (printPod in
kubernetes/kubernetes pkg/printers/internalversion/printers.go), and the Events table of
`kubectl describe pod`. The simulator records statuses; this module only reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from learn.podspec.timeline import Event, Phase, StatusRow


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
    # False until the kubelet first reports on the Pod (it is not bound to a node yet): the
    # lists above then only name the spec's containers, whose states kubectl does not see.
    reported: bool = True


def _latest(a: int | None, b: int | None) -> int | None:
    """The later of two moments, either of which may be unknown."""
    return b if a is None or (b is not None and b > a) else a


def _ended(prefix: str, c: ContainerStatus) -> str:
    """STATUS for a terminated container: its reason, else Signal:N or ExitCode:N."""
    if c.reason:
        return prefix + c.reason
    return f"{prefix}Signal:{c.signal}" if c.signal else f"{prefix}ExitCode:{c.exit_code}"


def columns(status: PodStatus, now: int) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS as `kubectl get pod` prints them at second `now`."""
    # The branches below follow printPod (kubernetes/kubernetes
    # pkg/printers/internalversion/printers.go) in its order, so its quirks come along: a
    # sidecar counts in READY only once started, an init container's status hides the apps'
    # until the Pod is Initialized, and a failing sidecar can show Init:CrashLoopBackOff beside
    # running apps.
    total = len(status.containers) + sum(c.restartable for c in status.init_containers)
    ready = restarts = sidecar_restarts = 0
    last = sidecar_last = None
    reason = status.reason or str(status.phase)
    initializing = False
    for index, c in enumerate(status.init_containers if status.reported else ()):
        restarts += c.restart_count
        last = _latest(last, c.last_terminated_at)
        if c.restartable:
            sidecar_restarts += c.restart_count
            sidecar_last = _latest(sidecar_last, c.last_terminated_at)
        if c.state == "terminated" and c.exit_code == 0:
            continue
        if c.restartable and c.started:
            ready += c.ready
            continue
        if c.state == "terminated":
            reason = _ended("Init:", c)
        elif c.state == "waiting" and c.reason and c.reason != "PodInitializing":
            reason = "Init:" + c.reason
        else:
            reason = f"Init:{index}/{len(status.init_containers)}"
        initializing = True
        break
    if not initializing or status.conditions.get("Initialized", False):
        # Once initialized, only the sidecars' restarts add to the apps' (printPod resets them).
        restarts, last = sidecar_restarts, sidecar_last
        running = False
        for c in reversed(status.containers if status.reported else ()):
            # In reverse, so that the first container's reason is the one shown.
            restarts += c.restart_count
            last = _latest(last, c.last_terminated_at)
            if c.state == "waiting" and c.reason:
                reason = c.reason
            elif c.state == "terminated":
                reason = _ended("", c)
            elif c.ready and c.state == "running":
                running = True
                ready += 1
        if reason == "Completed" and running:
            reason = "Running" if status.conditions.get("Ready", False) else "NotReady"
    if status.deleting and status.phase not in (Phase.SUCCEEDED, Phase.FAILED):
        reason = "Terminating"
    shown = str(restarts)
    if restarts and last is not None:
        shown = f"{restarts} ({age(now - last)} ago)"
    return f"{ready}/{total}", reason, shown


def events_table(events: list[Event], now: int) -> str:
    """The Events section of `kubectl describe pod` at second `now` (Type, Reason, Age, From,
    Message), ages written the way kubectl writes them ("12s", "2m5s")."""
    rows = event_rows(events, now)
    if not rows:
        return "Events:  <none>"
    table = [
        ["Type", "Reason", "Age", "From", "Message"],
        ["----", "------", "----", "----", "-------"],
        *(list(row) for row in rows),
    ]
    return "Events:\n" + _tabulate(table, indent="  ", padding=2)


def event_rows(events: list[Event], now: int) -> list[tuple[str, str, str, str, str]]:
    """The rows of events_table (Type, Reason, Age, From, Message), for views that lay them out
    themselves (the run figure's HTML table)."""
    # Events up to `now` only: the table is what `describe` shows at that moment.
    seen = [event for event in events if event.time <= now]
    # The kubelet's event recorder counts an event that repeats one already sent (same object,
    # type, reason, source and message) instead of sending it again (client-go
    # tools/record/events_cache.go, EventCorrelator); describe prints "<last> (xN over <first>)".
    groups: dict[tuple[str | None, str, str, str, str], list[Event]] = {}
    for event in seen:
        key = (event.container, event.type, event.reason, event.source, event.message)
        groups.setdefault(key, []).append(event)
    # describe sorts events by their last timestamp (kubectl pkg/describe, SortableEvents).
    rows = []
    for group in sorted(groups.values(), key=lambda group: group[-1].time):
        first, latest = group[0], group[-1]
        when = age(now - first.time)
        if len(group) > 1:
            when = f"{age(now - latest.time)} (x{len(group)} over {when})"
        message = first.message.strip()
        if first.field_path:
            # kubectl 1.35 describe prints the event's fieldPath before its message (CHANGELOG-
            # 1.35, #133627: "spec.containers{nginx}: Failed to pull image ...").
            message = f"{first.field_path}: {message}"
        rows.append((first.type, first.reason, when, first.source, message))
    return rows


def watch_table(rows: Sequence[StatusRow], pod: str) -> str:
    """`kubectl get pod -w` output for a run's StatusRows: NAME READY STATUS RESTARTS AGE."""
    # kubectl flushes each watched row as it comes, so its columns can drift when a STATUS
    # grows wider; here every row shares the widths of the widest, as `kubectl get` aligns them.
    table = [["NAME", "READY", "STATUS", "RESTARTS", "AGE"]]
    table += [[pod, row.ready, row.status, row.restarts, age(row.time)] for row in rows]
    return _tabulate(table, padding=3, minimum=6)


def _tabulate(rows: list[list[str]], *, indent: str = "", padding: int, minimum: int = 0) -> str:
    """Rows as Go's text/tabwriter lays out tab-separated cells: every column but the last as
    wide as its widest cell plus `padding` (at least `minimum`); kubectl's printers use padding 3
    and minimum width 6 (cli-runtime printers.GetNewTabWriter), describe padding 2."""
    widths = [
        max(minimum, max(len(indent * (i == 0) + row[i]) for row in rows) + padding)
        for i in range(len(rows[0]) - 1)
    ]
    lines = []
    for row in rows:
        cells = [indent + row[0], *row[1:]]
        padded = (cell.ljust(width) for cell, width in zip(cells[:-1], widths, strict=True))
        lines.append("".join(padded) + cells[-1])
    return "\n".join(lines)


def age(seconds: int) -> str:
    """A duration as kubectl's HumanDuration writes it ("0s", "45s", "2m5s", "10m")."""
    # duration.HumanDuration (k8s.io/apimachinery pkg/util/duration/duration.go): about two
    # significant figures, seconds shown below 2 minutes, minutes and seconds below 10 minutes.
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes, hours = seconds // 60, seconds // 3600
    if minutes < 10:
        return f"{minutes}m{seconds % 60}s" if seconds % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if hours < 24 * 365 * 2:
        return f"{days}d"
    if hours < 24 * 365 * 8:
        return f"{days // 365}y{days % 365}d" if days % 365 else f"{days // 365}y"
    return f"{days // 365}y"
