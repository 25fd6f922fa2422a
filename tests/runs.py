"""Hand-made timelines of runs, as the simulator records them, for the views' tests: each tells a
story of the issue (a Job with a native sidecar, a liveness probe killing a slow start, a deleted
Pod whose container ignores SIGTERM) without depending on the simulator."""

from learn.podspec.model import Role
from learn.podspec.timeline import (
    ConditionChange,
    Event,
    Interval,
    Lane,
    Mark,
    MarkKind,
    Phase,
    PhaseSpan,
    State,
    StatusRow,
    Timeline,
)

S = State


def lane(name: str, role: Role, *spans: tuple[State, int, int], marks=(), restarts=0) -> Lane:
    """A lane from (state, start, end) spans, each restart counted from its START marks."""
    run, intervals = 0, []
    for state, start, end in spans:
        intervals.append(Interval(state, start, end, run))
        if state == S.BACKOFF:
            run += 1
    return Lane(name, role, intervals, list(marks), restarts)


# The init containers and sidecars of these runs: their events' fieldPath is
# spec.initContainers{name} (pkg/kubelet/container/ref.go).
IN_INIT_CONTAINERS = {"uploader", "fetch", "proxy"}


def kubelet(time: int, reason: str, message: str, container: str | None, warn=False) -> Event:
    spec = "initContainers" if container in IN_INIT_CONTAINERS else "containers"
    path = f"spec.{spec}{{{container}}}" if container else None
    return Event(time, "Warning" if warn else "Normal", reason, "kubelet", message, container, path)


def job_with_native_sidecar() -> Timeline:
    """nightly-report: the uploader sidecar starts, the report runs 20 s, the sidecar is stopped."""
    pod = "nightly-report-7xk2p"
    return Timeline(
        pod=pod,
        kind="Job",
        end=32,
        lanes=[
            lane(
                "uploader",
                Role.SIDECAR,
                (S.READY, 0, 20),
                (S.TERMINATING, 20, 21),
                (S.EXITED, 21, 32),
                marks=[
                    Mark(0, MarkKind.START),
                    Mark(20, MarkKind.SIGNAL, "SIGTERM"),
                    Mark(21, MarkKind.EXIT, "Error", ok=False, code=143),
                ],
            ),
            lane(
                "report",
                Role.APP,
                (S.WAITING, 0, 0),
                (S.READY, 0, 20),
                (S.EXITED, 20, 32),
                marks=[Mark(0, MarkKind.START), Mark(20, MarkKind.EXIT, "Completed", code=0)],
            ),
        ],
        phases=[PhaseSpan(Phase.RUNNING, 0, 21), PhaseSpan(Phase.SUCCEEDED, 21, 32)],
        conditions=[
            ConditionChange(0, "PodScheduled", True),
            ConditionChange(0, "Initialized", True),
            ConditionChange(0, "ContainersReady", True),
            ConditionChange(0, "Ready", True),
            ConditionChange(20, "ContainersReady", False, "PodCompleted"),
            ConditionChange(20, "Ready", False, "PodCompleted"),
        ],
        rows=[
            StatusRow(0, "0/2", "Pending", "0", Phase.PENDING),
            StatusRow(0, "2/2", "Running", "0", Phase.RUNNING),
            StatusRow(20, "1/2", "Running", "0", Phase.RUNNING),
            StatusRow(21, "0/2", "Completed", "0", Phase.SUCCEEDED),
        ],
        events=[
            Event(
                0,
                "Normal",
                "Scheduled",
                "default-scheduler",
                f"Successfully assigned default/{pod} to node-1",
            ),
            kubelet(0, "Started", "Container started", "uploader"),
            kubelet(0, "Started", "Container started", "report"),
            kubelet(20, "Killing", "Stopping container uploader", "uploader"),
        ],
        assumptions=[
            "`uploader` runs until it is stopped: its image's own command, which handles SIGTERM.",
            "`report` exits with code 0 after 20 s (the scenario says so).",
        ],
        outcome="The Job's Pod completed at 21 s: the Job is complete.",
        finished=True,
    )


def liveness_kills_a_slow_start() -> Timeline:
    """web takes 60 s to answer; its liveness probe gives up after 3 failures at 10 s periods."""
    marks, events, spans, t = [], [], [], 0
    for run in range(3):
        start = t
        marks.append(Mark(start, MarkKind.START, f"restart {run}" if run else ""))
        for n in range(3):
            at = start + 10 * (n + 1)
            marks.append(Mark(at, MarkKind.PROBE, "liveness", ok=False))
            events.append(
                kubelet(
                    at,
                    "Unhealthy",
                    "Liveness probe failed: HTTP probe failed with statuscode: 503",
                    "web",
                    warn=True,
                )
            )
        kill = start + 30
        events.append(
            kubelet(
                kill, "Killing", "Container web failed liveness probe, will be restarted", "web"
            )
        )
        marks += [
            Mark(kill, MarkKind.SIGNAL, "SIGTERM"),
            Mark(kill + 1, MarkKind.EXIT, "Error", ok=False, code=143),
        ]
        spans += [(S.RUNNING, start, kill), (S.TERMINATING, kill, kill + 1)]
        back_off = [0, 10, 20][run]
        if back_off:
            spans.append((S.BACKOFF, kill + 1, kill + 1 + back_off))
            events.append(
                kubelet(
                    kill + 1,
                    "BackOff",
                    "Back-off restarting failed container web in pod web_default(0b6f3c1e-8d2a-4f7b-9c5e-2a1d7e4b8f60)",
                    "web",
                    warn=True,
                )
            )
        t = kill + 1 + back_off
    end = t + 12
    spans.append((S.BACKOFF, t, end))
    return Timeline(
        pod="web",
        kind="Pod",
        end=end,
        lanes=[lane("web", Role.APP, *spans, marks=marks, restarts=2)],
        phases=[PhaseSpan(Phase.RUNNING, 0, end)],
        conditions=[
            ConditionChange(0, "PodScheduled", True),
            ConditionChange(0, "Initialized", True),
            ConditionChange(0, "ContainersReady", False, "ContainersNotReady"),
            ConditionChange(0, "Ready", False, "ContainersNotReady"),
        ],
        rows=[
            StatusRow(0, "0/1", "Running", "0", Phase.RUNNING),
            StatusRow(31, "0/1", "Running", "1 (0s ago)", Phase.RUNNING),
        ],
        events=events,
        assumptions=["`web` answers its probes 60 s after each start (the scenario says so)."],
        outcome="`web` was restarted 2 times: CrashLoopBackOff, the back-off now 40 s.",
    )


def deleted_pod_ignoring_sigterm(name: str = "app") -> Timeline:
    """A sidecar and an app that ignores SIGTERM; the Pod is deleted at 40 s."""
    return Timeline(
        pod="shop",
        kind="Deployment",
        end=80,
        lanes=[
            lane(
                "fetch",
                Role.INIT,
                (S.RUNNING, 0, 5),
                (S.EXITED, 5, 80),
                marks=[Mark(0, MarkKind.START), Mark(5, MarkKind.EXIT, "Completed", code=0)],
            ),
            lane(
                "proxy",
                Role.SIDECAR,
                (S.WAITING, 0, 5),
                (S.STARTING, 5, 12),
                (S.READY, 12, 71),
                (S.TERMINATING, 71, 72),
                (S.EXITED, 72, 80),
                marks=[
                    Mark(5, MarkKind.START),
                    Mark(10, MarkKind.PROBE, "startup", ok=False),
                    Mark(12, MarkKind.PROBE, "startup"),
                    Mark(71, MarkKind.SIGNAL, "SIGTERM"),
                    Mark(72, MarkKind.EXIT, "Error", ok=False, code=143),
                ],
            ),
            lane(
                name,
                Role.APP,
                (S.WAITING, 0, 12),
                (S.RUNNING, 12, 20),
                (S.READY, 20, 40),
                (S.TERMINATING, 40, 70),
                (S.EXITED, 70, 80),
                marks=[
                    Mark(12, MarkKind.START),
                    Mark(20, MarkKind.PROBE, "readiness"),
                    Mark(40, MarkKind.HOOK, "preStop"),
                    Mark(45, MarkKind.SIGNAL, "SIGTERM"),
                    Mark(70, MarkKind.SIGNAL, "SIGKILL"),
                    Mark(70, MarkKind.EXIT, "Error", ok=False, code=137),
                ],
            ),
        ],
        phases=[
            PhaseSpan(Phase.PENDING, 0, 12),
            PhaseSpan(Phase.RUNNING, 12, 72),
            PhaseSpan(Phase.FAILED, 72, 80),
        ],
        conditions=[
            ConditionChange(0, "PodScheduled", True),
            ConditionChange(0, "Initialized", False, "ContainersNotInitialized"),
            ConditionChange(0, "ContainersReady", False, "ContainersNotReady"),
            ConditionChange(0, "Ready", False, "ContainersNotReady"),
            ConditionChange(12, "Initialized", True),
            ConditionChange(20, "ContainersReady", True),
            ConditionChange(20, "Ready", True),
            ConditionChange(40, "ContainersReady", False, "ContainersNotReady"),
            ConditionChange(40, "Ready", False, "ContainersNotReady"),
        ],
        rows=[
            StatusRow(0, "0/2", "Init:0/2", "0", Phase.PENDING),
            StatusRow(5, "0/2", "Init:1/2", "0", Phase.PENDING),
            StatusRow(12, "1/2", "Running", "0", Phase.RUNNING),
            StatusRow(20, "2/2", "Running", "0", Phase.RUNNING),
            StatusRow(40, "1/2", "Terminating", "0", Phase.RUNNING),
            StatusRow(72, "0/2", "Terminating", "0", Phase.FAILED),
        ],
        events=[
            Event(
                0,
                "Normal",
                "Scheduled",
                "default-scheduler",
                "Successfully assigned default/shop to node-1",
            ),
            kubelet(0, "Started", "Container started", "fetch"),
            kubelet(5, "Started", "Container started", "proxy"),
            kubelet(
                10,
                "Unhealthy",
                "Startup probe failed: dial tcp 10.244.0.7:9901: connect: connection refused",
                "proxy",
                warn=True,
            ),
            kubelet(12, "Started", "Container started", name),
            kubelet(45, "Killing", f"Stopping container {name}", name),
            kubelet(71, "Killing", "Stopping container proxy", "proxy"),
        ],
        assumptions=[f"`{name}` ignores SIGTERM (the scenario says so)."],
        outcome="The Pod was deleted at 40 s and removed at 72 s.",
        finished=True,
        removed_at=72,
        deleted_at=40,
    )


def long_busy_run(lanes: int = 30, end: int = 3600) -> Timeline:
    """An hour of `lanes` containers crash-looping with a failing probe every second: the worst
    a run can draw."""
    out = []
    for number in range(lanes):
        spans, marks, t, back_off, runs = [], [], 0, 0, 0
        while t < end:
            stop = min(t + 30, end)
            marks.append(Mark(t, MarkKind.START, f"restart {runs}" if runs else ""))
            runs += 1
            marks += [Mark(s, MarkKind.PROBE, "readiness", ok=False) for s in range(t + 1, stop)]
            spans.append((S.RUNNING, t, stop))
            if stop < end:
                marks.append(Mark(stop, MarkKind.EXIT, "Error", ok=False, code=1))
            back_off = min(max(back_off * 2, 10), 300)
            if stop + back_off > end:
                back_off = end - stop
            if back_off:
                spans.append((S.BACKOFF, stop, stop + back_off))
            t = stop + back_off
        out.append(lane(f"worker-{number:02}", Role.APP, *spans, marks=marks, restarts=5))
    return Timeline(
        pod="busy",
        kind="Pod",
        end=end,
        lanes=out,
        phases=[PhaseSpan(Phase.RUNNING, 0, end)],
        conditions=[ConditionChange(0, "PodScheduled", True)],
        rows=[StatusRow(0, f"0/{lanes}", "Running", "0", Phase.RUNNING)],
        events=[
            kubelet(t, "Unhealthy", "Readiness probe failed", f"worker-{n:02}", warn=True)
            for t in range(1, end)
            for n in range(0, lanes, 10)
        ],
        outcome="After 1 h the Pod is still Running.",
    )
