"""What kubectl prints for a simulated Pod: `kubectl get pod` columns (printPod in
kubernetes/kubernetes pkg/printers/internalversion/printers.go), ages (apimachinery's
duration.HumanDuration), `get -w` rows and `describe` events."""

import pytest

from learn.podspec.kubectl import (
    ContainerStatus,
    PodStatus,
    age,
    columns,
    event_rows,
    events_table,
    watch_table,
)
from learn.podspec.timeline import Event, Phase, StatusRow

PENDING, RUNNING, SUCCEEDED, FAILED = Phase.PENDING, Phase.RUNNING, Phase.SUCCEEDED, Phase.FAILED


def waiting(name, reason="", **fields):
    return ContainerStatus(name, "waiting", reason, **fields)


def running(name, ready=True, **fields):
    return ContainerStatus(name, "running", ready=ready, started=True, **fields)


def ended(name, reason="Completed", code=0, **fields):
    return ContainerStatus(name, "terminated", reason, exit_code=code, **fields)


def sidecar(status):
    return ContainerStatus(**{**status.__dict__, "restartable": True})


INITIALIZED = {"PodScheduled": True, "Initialized": True}
READY = {**INITIALIZED, "ContainersReady": True, "Ready": True}

# (Pod status, the moment, expected READY, STATUS, RESTARTS); each with the printPod branch it
# exercises.
CASES = {
    # No node yet: no container statuses, so STATUS is the phase and READY counts the spec's
    # containers (totalContainers: the apps plus the restartable init containers).
    "unscheduled": (
        PodStatus(PENDING, (waiting("init"),), (waiting("web"),), reported=False),
        ("0/1", "Pending", "0"),
    ),
    # An app container being created shows its waiting reason (the apps' loop).
    "creating": (
        PodStatus(PENDING, (), (waiting("web", "ContainerCreating"),)),
        ("0/1", "ContainerCreating", "0"),
    ),
    # The first init container runs: the default case, "Init:<index>/<count>"; a waiting
    # reason PodInitializing is not shown.
    "init 0/2": (
        PodStatus(
            PENDING,
            (running("a", ready=False), waiting("b", "PodInitializing")),
            (waiting("web", "PodInitializing"),),
        ),
        ("0/1", "Init:0/2", "0"),
    ),
    # A started sidecar is skipped, its readiness counted in READY; the next init container
    # is the one shown.
    "init 1/2 with a sidecar": (
        PodStatus(
            PENDING,
            (sidecar(running("proxy")), running("warm", ready=False)),
            (waiting("web", "PodInitializing"),),
        ),
        ("1/2", "Init:1/2", "0"),
    ),
    # A failed init container: "Init:" and its terminated reason.
    "init error": (
        PodStatus(FAILED, (ended("migrate", "Error", 1),), (waiting("web", "PodInitializing"),)),
        ("0/1", "Init:Error", "0"),
    ),
    "init oom": (
        PodStatus(
            RUNNING, (ended("migrate", "OOMKilled", 137),), (waiting("web", "PodInitializing"),)
        ),
        ("0/1", "Init:OOMKilled", "0"),
    ),
    # No reason: the signal, else the exit code.
    "init signal": (
        PodStatus(RUNNING, (ended("m", "", 137, signal=9),), (waiting("w"),)),
        ("0/1", "Init:Signal:9", "0"),
    ),
    "init exit code": (
        PodStatus(RUNNING, (ended("m", "", 3),), (waiting("w"),)),
        ("0/1", "Init:ExitCode:3", "0"),
    ),
    # A waiting reason other than PodInitializing: "Init:" and that reason; the init
    # container's restarts count while the Pod initializes.
    "init crash loop": (
        PodStatus(
            PENDING,
            (waiting("migrate", "CrashLoopBackOff", restart_count=2, last_terminated_at=50),),
            (waiting("web", "PodInitializing"),),
        ),
        ("0/1", "Init:CrashLoopBackOff", "2 (10s ago)"),
    ),
    # Init done, the apps not created yet.
    "pod initializing": (
        PodStatus(
            PENDING,
            (ended("migrate"),),
            (waiting("web", "PodInitializing"),),
            conditions=INITIALIZED,
        ),
        ("0/1", "PodInitializing", "0"),
    ),
    "running 2/2": (
        PodStatus(RUNNING, (), (running("web"), running("shipper")), conditions=READY),
        ("2/2", "Running", "0"),
    ),
    # A running app that is not ready yet counts in the total only.
    "sidecar ready, app not": (
        PodStatus(
            RUNNING,
            (sidecar(running("proxy")),),
            (running("web", ready=False),),
            conditions=INITIALIZED,
        ),
        ("1/2", "Running", "0"),
    ),
    "crash loop": (
        PodStatus(
            RUNNING,
            (),
            (waiting("web", "CrashLoopBackOff", restart_count=3, last_terminated_at=40),),
        ),
        ("0/1", "CrashLoopBackOff", "3 (20s ago)"),
    ),
    "oom killed": (
        PodStatus(
            RUNNING, (), (ended("web", "OOMKilled", 137, restart_count=1, last_terminated_at=30),)
        ),
        ("0/1", "OOMKilled", "1 (30s ago)"),
    ),
    "error": (PodStatus(FAILED, (), (ended("job", "Error", 1),)), ("0/1", "Error", "0")),
    "completed": (PodStatus(SUCCEEDED, (), (ended("job"),)), ("0/1", "Completed", "0")),
    "app signal": (
        PodStatus(FAILED, (), (ended("job", "", 143, signal=15),)),
        ("0/1", "Signal:15", "0"),
    ),
    # The first container in spec order gives STATUS (the loop runs in reverse).
    "first container wins": (
        PodStatus(RUNNING, (), (waiting("a", "CrashLoopBackOff"), ended("b", "Error", 1))),
        ("0/2", "CrashLoopBackOff", "0"),
    ),
    # A Job's app done beside a classic sidecar still running: "Completed" with a running
    # container turns to NotReady (the Pod's Ready condition is False), Running when Ready.
    "completed beside a running sidecar": (
        PodStatus(RUNNING, (), (ended("job"), running("log-shipper")), conditions=INITIALIZED),
        ("1/2", "NotReady", "0"),
    ),
    "completed beside running, pod ready": (
        PodStatus(RUNNING, (), (ended("job"), running("log-shipper")), conditions=READY),
        ("1/2", "Running", "0"),
    ),
    # deletionTimestamp on a Pod whose phase is not terminal.
    "terminating": (
        PodStatus(RUNNING, (), (running("web"),), deleting=True, conditions=READY),
        ("1/1", "Terminating", "0"),
    ),
    "deleted after it succeeded": (
        PodStatus(SUCCEEDED, (), (ended("job"),), deleting=True),
        ("0/1", "Completed", "0"),
    ),
    # status.reason replaces the phase; a running, not ready container does not override it,
    # as the kubelet reports a Pod past its deadline (kubernetes/kubernetes issue 98718).
    "deadline exceeded": (
        PodStatus(FAILED, (), (running("job", ready=False),), reason="DeadlineExceeded"),
        ("0/1", "DeadlineExceeded", "0"),
    ),
    # RESTARTS adds the time since the latest termination among the counted containers.
    "restarts ago": (
        PodStatus(
            RUNNING, (), (running("web", restart_count=2, last_terminated_at=45),), conditions=READY
        ),
        ("1/1", "Running", "2 (15s ago)"),
    ),
    # Once initialized, the regular init containers' restarts are dropped; the sidecars' stay.
    "init restarts dropped": (
        PodStatus(
            RUNNING,
            (
                ended("migrate", restart_count=1, last_terminated_at=5),
                sidecar(running("proxy", restart_count=1, last_terminated_at=20)),
            ),
            (running("web"),),
            conditions=READY,
        ),
        ("2/2", "Running", "1 (40s ago)"),
    ),
    # A sidecar crashing after initialization: the init loop stops at it, and running apps
    # give no reason to replace "Init:CrashLoopBackOff".
    "sidecar crash loop beside running apps": (
        PodStatus(
            RUNNING,
            (
                sidecar(
                    waiting("proxy", "CrashLoopBackOff", restart_count=4, last_terminated_at=55)
                ),
            ),
            (running("web"),),
            conditions=INITIALIZED,
        ),
        ("1/2", "Init:CrashLoopBackOff", "4 (5s ago)"),
    ),
}


@pytest.mark.parametrize(("status", "expected"), CASES.values(), ids=CASES.keys())
def test_columns_are_what_kubectl_get_pod_prints(status, expected):
    assert columns(status, 60) == expected


AGES = [
    (0, "0s"),
    (-1, "0s"),  # HumanDuration tolerates a second of clock skew
    (-2, "<invalid>"),
    (45, "45s"),
    (119, "119s"),
    (120, "2m"),
    (125, "2m5s"),
    (599, "9m59s"),
    (600, "10m"),
    (659, "10m"),
    (3 * 3600 - 1, "179m"),
    (3 * 3600, "3h"),
    (3 * 3600 + 300, "3h5m"),
    (8 * 3600 + 300, "8h"),
    (2 * 86400 + 3 * 3600, "2d3h"),
    (9 * 86400, "9d"),
    (3 * 365 * 86400 + 86400, "3y1d"),
]


@pytest.mark.parametrize(("seconds", "shown"), AGES)
def test_age_is_written_as_kubectl_writes_it(seconds, shown):
    assert age(seconds) == shown


def test_watch_table_aligns_rows_as_kubectl_get_does():
    rows = [
        StatusRow(0, "0/1", "Pending", "0", PENDING),
        StatusRow(0, "0/1", "ContainerCreating", "0", PENDING),
        StatusRow(1, "1/1", "Running", "0", RUNNING),
        StatusRow(150, "0/1", "CrashLoopBackOff", "1 (10s ago)", RUNNING),
    ]
    assert watch_table(rows, "web").splitlines() == [
        "NAME   READY   STATUS              RESTARTS      AGE",
        "web    0/1     Pending             0             0s",
        "web    0/1     ContainerCreating   0             0s",
        "web    1/1     Running             0             1s",
        "web    0/1     CrashLoopBackOff    1 (10s ago)   2m30s",
    ]


def test_events_table_repeats_are_counted_with_first_and_last_age():
    def kubelet(time, kind, reason, message):
        return Event(time, kind, reason, "kubelet", message, "web", "spec.containers{web}")

    probe = "Liveness probe failed: HTTP probe failed with statuscode: 500"
    events = [
        Event(
            0,
            "Normal",
            "Scheduled",
            "default-scheduler",
            "Successfully assigned default/web to node-1",
        ),
        kubelet(0, "Normal", "Started", "Container started"),
        kubelet(10, "Warning", "Unhealthy", probe),
        kubelet(20, "Warning", "Unhealthy", probe),
        kubelet(30, "Warning", "Unhealthy", probe),
        kubelet(30, "Normal", "Killing", "Container web failed liveness probe, will be restarted"),
        kubelet(200, "Normal", "Pulled", "not yet: after the moment shown"),
    ]
    # kubectl 1.35 describe puts a container event's fieldPath before its message (#133627);
    # the Pod's own events have none.
    assert events_table(events, 40).splitlines() == [
        "Events:",
        "  Type     Reason     Age                From               Message",
        "  ----     ------     ----               ----               -------",
        "  Normal   Scheduled  40s                default-scheduler  Successfully assigned default/web to node-1",
        "  Normal   Started    40s                kubelet            spec.containers{web}: Container started",
        f"  Warning  Unhealthy  10s (x3 over 30s)  kubelet            spec.containers{{web}}: {probe}",
        "  Normal   Killing    10s                kubelet            spec.containers{web}: Container web failed liveness probe, will be restarted",
    ]


def test_events_of_two_containers_with_one_message_are_not_merged():
    def started(container, path):
        return Event(0, "Normal", "Started", "kubelet", "Container started", container, path)

    events = [
        started("setup", "spec.initContainers{setup}"),
        started("web", "spec.containers{web}"),
    ]
    rows = [row[4] for row in event_rows(events, 5)]
    assert rows == [
        "spec.initContainers{setup}: Container started",
        "spec.containers{web}: Container started",
    ]


def test_events_table_without_events_says_none():
    assert events_table([], 5) == "Events:  <none>"
