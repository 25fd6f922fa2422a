"""Exercise goals over the engine's model: each kind met by a spec that has it, not by one
that lacks it, whatever the spelling of the YAML."""

import pytest

from learn.podspec import check
from learn.podspec.goals import check_goal, met

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
