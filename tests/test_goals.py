"""Exercise goals over the engine's model: each kind met by a spec that has it, not by one
that lacks it, whatever the spelling of the YAML."""

import pytest

from learn.podspec import check
from learn.podspec.goals import check_goal, met, needs_run
from learn.podspec.model import Role
from learn.podspec.timeline import (
    ConditionChange,
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

DIGEST = "a" * 64
SPEC = f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      shareProcessNamespace: true
      containers:
      - name: api
        image: registry.example/api@sha256:{DIGEST}
        command: ["sh", "-c"]
        args: ["exec api --listen :8080 --db db:5432"]
        env: [{{name: DB_HOST, value: db}}]
        ports: [{{containerPort: 8080, name: http}}]
        startupProbe:
          httpGet: {{path: /healthz, port: http}}
          failureThreshold: 6
        livenessProbe:
          httpGet: {{path: /healthz, port: 8080}}
        readinessProbe:
          tcpSocket: {{port: 8080}}
          initialDelaySeconds: 5
"""
BARE = """\
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    image: registry.example/api:1.0
    ports: [{containerPort: 80}]
  - name: metrics
    image: registry.example/metrics:1.0
    ports: [{containerPort: 80}]
"""

GOALS = [
    {"replicas": 3},
    {"api_version": "apps/v1"},
    {"share_process_namespace": True},
    {"image_digest": "api"},
    {"command": {"container": "api", "contains": "db:5432"}},
    {"env": {"container": "api", "name": "DB_HOST"}},
    {"probe": {"container": "api", "type": "startup", "handler": "httpGet", "path": "/healthz"}},
    {"probe": {"container": "api", "type": "startup", "port": "http", "min_budget": 60}},
    {"probe": {"container": "api", "type": "liveness", "port": 8080}},
    {"probe": {"container": "api", "type": "readiness", "handler": "tcpSocket", "min_budget": 35}},
    {"no_finding": "port-conflict"},
]


@pytest.mark.parametrize("goal", GOALS, ids=lambda g: next(iter(g)))
def test_a_spec_with_it_meets_the_goal_and_one_without_does_not(goal):
    goal = {"text": "a goal", **goal}
    assert check_goal(goal) is None
    assert met(goal, check(SPEC))
    assert not met(goal, check(BARE))


def test_probe_details_must_all_match():
    report = check(SPEC)
    startup = {"container": "api", "type": "startup"}
    assert not met({"text": "t", "probe": {**startup, "min_budget": 61}}, report)  # 6 x 10 s
    assert not met({"text": "t", "probe": {**startup, "path": "/ready"}}, report)
    assert not met({"text": "t", "probe": {**startup, "handler": "exec"}}, report)
    assert met({"text": "t", "no_probe": {"container": "api", "type": "liveness"}}, check(BARE))
    assert not met({"text": "t", "no_probe": {"container": "api", "type": "liveness"}}, report)
    assert not met({"text": "t", "no_probe": {"container": "ghost", "type": "liveness"}}, report)


@pytest.mark.parametrize(
    ("goal", "problem"),
    [
        ({"probe": {"container": "api"}}, "`probe` needs type"),
        ({"probe": {"container": "api", "type": "warmup"}}, "type must be one of"),
        ({"command": {"container": "api"}}, "`command` needs contains"),
        ({"env": {"name": "X"}}, "`env` needs container"),
    ],
)
def test_goals_written_wrongly_are_reported(goal, problem):
    assert problem in check_goal({"text": "t", **goal})


def test_malformed_specs_never_meet_goals_and_never_raise():
    odd = "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: api\n    startupProbe: 7\n    command: 5\n    env: oops\n"
    report = check(odd)
    for goal in GOALS[:-1]:  # all but no_finding, which this spec does meet
        assert not met({"text": "t", **goal}, report)


def test_probe_budget_counts_a_zero_threshold_as_the_default_three():
    # The API server defaults failureThreshold: 0 to 3, so the app still gets 3 x 10 s.
    report = check(SPEC.replace("failureThreshold: 6", "failureThreshold: 0"))
    startup = {"container": "api", "type": "startup"}
    assert met({"text": "t", "probe": {**startup, "min_budget": 30}}, report)
    assert not met({"text": "t", "probe": {**startup, "min_budget": 31}}, report)


# Run goals, on hand-made runs (the simulator's own tests prove the runs are right).


def lane(name, role, intervals, marks=()):
    return Lane(
        name, role, [Interval(State(s), a, b, run) for s, a, b, run in intervals], list(marks)
    )


def timeline(lanes, *, phases=(("Running", 0, 100),), conditions=(), rows=(), removed_at=None):
    return Timeline(
        pod="web",
        kind="Pod",
        end=100,
        lanes=lanes,
        phases=[PhaseSpan(Phase(p), a, b) for p, a, b in phases],
        conditions=[ConditionChange(t, c, s) for t, c, s in conditions],
        rows=[StatusRow(t, "1/1", status, "0", Phase.RUNNING) for t, status in rows],
        events=[],
        removed_at=removed_at,
        deleted_at=next((t for t, status in rows if status == "Terminating"), None),
    )


EXIT = MarkKind.EXIT
# The slow starter killed by its liveness probe at 30 s and restarted at once: the Pod is never
# Ready. Fixed, it is Ready at 60 s and never restarted.
CRASHING = timeline(
    [
        lane(
            "web",
            Role.APP,
            [("running", 0, 30, 0), ("running", 30, 60, 1), ("backoff", 60, 100, 1)],
        )
    ]
)
STARTED = timeline(
    [lane("web", Role.APP, [("starting", 0, 60, 0), ("ready", 60, 100, 0)])],
    conditions=[(0, "Ready", False), (60, "Ready", True)],
)
# Deleted at 60: the proxy stops at 61, the draining app at 65, and the Pod is gone at 65...
CLASSIC = timeline(
    [
        lane(
            "app",
            Role.APP,
            [("ready", 0, 60, 0), ("terminating", 60, 65, 0), ("exited", 65, 70, 0)],
            [Mark(65, EXIT, "Error", False, 143)],
        ),
        lane(
            "proxy",
            Role.APP,
            [("ready", 0, 60, 0), ("terminating", 60, 61, 0), ("exited", 61, 70, 0)],
            [Mark(61, EXIT, "Error", False, 143)],
        ),
    ],
    rows=[(0, "Running"), (60, "Terminating")],
    removed_at=65,
)
# ...while a native sidecar outlives the app; a shell ignoring SIGTERM is killed after 30 s.
NATIVE = timeline(
    [
        lane(
            "proxy",
            Role.SIDECAR,
            [("ready", 0, 66, 0), ("exited", 66, 70, 0)],
            [Mark(66, EXIT, "Error", False, 143)],
        ),
        lane(
            "app",
            Role.APP,
            [("ready", 0, 60, 0), ("terminating", 60, 65, 0), ("exited", 65, 70, 0)],
            [Mark(65, EXIT, "Error", False, 143)],
        ),
    ],
    rows=[(0, "Running"), (60, "Terminating")],
    removed_at=66,
)
STUBBORN = timeline(
    [
        lane(
            "sh",
            Role.APP,
            [("ready", 0, 10, 0), ("terminating", 10, 40, 0), ("exited", 40, 50, 0)],
            [
                Mark(10, MarkKind.SIGNAL, "SIGTERM"),
                Mark(40, MarkKind.SIGNAL, "SIGKILL"),
                Mark(40, EXIT, "Error", False, 137),
            ],
        )
    ],
    rows=[(0, "Running"), (10, "Terminating")],
    removed_at=40,
)
COMPLETED = timeline(
    [
        lane(
            "worker",
            Role.APP,
            [("ready", 0, 10, 0), ("exited", 10, 20, 0)],
            [Mark(10, EXIT, "Completed", True, 0)],
        )
    ],
    phases=[("Running", 0, 10), ("Succeeded", 10, 20)],
)
NEVER_ENDS = timeline(
    [
        lane(
            "worker",
            Role.APP,
            [("ready", 0, 10, 0), ("exited", 10, 100, 0)],
            [Mark(10, EXIT, "Completed", True, 0)],
        ),
        lane("log-shipper", Role.APP, [("ready", 0, 100, 0)]),
    ],
)

RUN_GOALS = [
    ({"run_completes": True}, COMPLETED, NEVER_ENDS),
    ({"run_ready_within": 60}, STARTED, CRASHING),
    ({"run_no_restarts": 300}, STARTED, CRASHING),
    ({"run_stops_after": ["proxy", "app"]}, NATIVE, CLASSIC),
    ({"run_gone_within": 10}, CLASSIC, STUBBORN),
    ({"run_no_sigkill": True}, NATIVE, STUBBORN),
]


@pytest.mark.parametrize(
    ("goal", "good", "bad"), RUN_GOALS, ids=[next(iter(g)) for g, *_ in RUN_GOALS]
)
def test_a_run_goal_is_met_by_the_run_that_does_it_and_not_by_the_one_that_does_not(
    goal, good, bad
):
    goal = {"text": "a goal", **goal}
    report = check(SPEC)
    assert check_goal(goal) is None
    assert needs_run([goal])
    assert met(goal, report, good)
    assert not met(goal, report, bad)
    assert not met(goal, report), "without a run, a run goal is not met"


def test_run_goals_count_the_seconds_they_name():
    report = check(SPEC)
    assert not met({"text": "t", "run_ready_within": 59}, report, STARTED)
    assert met({"text": "t", "run_no_restarts": 29}, report, CRASHING)  # the restart is at 30 s
    assert not met({"text": "t", "run_no_restarts": 30}, report, CRASHING)
    assert met({"text": "t", "run_gone_within": 5}, report, CLASSIC)
    assert not met({"text": "t", "run_gone_within": 4}, report, CLASSIC)
    assert not met({"text": "t", "run_gone_within": 3600}, report, STARTED), "never deleted"


def test_a_container_that_never_stops_or_is_missing_never_stops_after_another():
    report = check(SPEC)
    assert not met({"text": "t", "run_stops_after": ["log-shipper", "worker"]}, report, NEVER_ENDS)
    assert not met({"text": "t", "run_stops_after": ["worker", "log-shipper"]}, report, NEVER_ENDS)
    assert not met({"text": "t", "run_stops_after": ["proxy", "ghost"]}, report, NATIVE)


def test_goals_on_the_spec_alone_need_no_run():
    assert not needs_run([{"text": "t", **goal} for goal in GOALS])
    assert not needs_run([])


@pytest.mark.parametrize(
    ("goal", "problem"),
    [
        ({"run_ready_within": "30s"}, "`run_ready_within` takes a whole number of seconds"),
        ({"run_no_restarts": -1}, "`run_no_restarts` takes a whole number of seconds"),
        ({"run_gone_within": 7200}, "from 0 to 3600"),
        ({"run_completes": "yes"}, "`run_completes` takes true or false"),
        ({"run_stops_after": ["proxy"]}, "`run_stops_after` takes a list of container names"),
        ({"run_stops_after": "proxy, app"}, "`run_stops_after` takes a list of container names"),
        ({"run_finishes": True}, "run_completes, run_ready_within"),
    ],
)
def test_run_goals_written_wrongly_are_reported(goal, problem):
    assert problem in check_goal({"text": "t", **goal})
