"""Exercise goals over the engine's model: each kind met by a spec that has it, not by one
that lacks it, whatever the spelling of the YAML."""

import pytest

from learn.podspec import check
from learn.podspec.goals import check_goal, met, needs_run
from learn.podspec.kubelet import simulate
from tests import runs

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
    {"env": {"container": "api", "name": "DB_HOST", "value": "db"}},
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
        ({"env": {"container": "api", "name": "X", "value": 6379}}, "`env` value is the text"),
    ],
)
def test_goals_written_wrongly_are_reported(goal, problem):
    assert problem in check_goal({"text": "t", **goal})


def test_an_env_value_must_match_exactly():
    # The ambassador exercise: the variable already exists in the starter, with another value.
    report = check(SPEC)
    env = {"container": "api", "name": "DB_HOST"}
    assert not met({"text": "t", "env": {**env, "value": "db:5432"}}, report)
    assert not met({"text": "t", "env": {**env, "value": "DB"}}, report)
    assert not met({"text": "t", "env": {**env, "name": "DB_PORT", "value": "db"}}, report)
    from_secret = SPEC.replace(
        "{name: DB_HOST, value: db}",
        "{name: DB_HOST, valueFrom: {secretKeyRef: {name: s, key: k}}}",
    )
    assert met({"text": "t", "env": env}, check(from_secret))
    assert not met({"text": "t", "env": {**env, "value": "db"}}, check(from_secret))


WORK_QUEUE = """\
apiVersion: batch/v1
kind: Job
metadata: {name: render}
spec:
  parallelism: 3
  completions: 9
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
"""


def test_a_job_goal_reads_the_jobs_counts_after_the_api_servers_defaults():
    report = check(WORK_QUEUE)
    assert met({"text": "t", "job": {"parallelism": 3, "completions": 9}}, report)
    assert met({"text": "t", "job": {"completion_mode": "Indexed"}}, report)
    assert not met({"text": "t", "job": {"parallelism": 3, "completions": 10}}, report)
    # Left out, completionMode is NonIndexed; parallelism alone leaves completions unset.
    queue = check(WORK_QUEUE.replace("  completions: 9\n  completionMode: Indexed\n", ""))
    assert met({"text": "t", "job": {"completions": None, "completion_mode": "NonIndexed"}}, queue)
    # Neither written: both are 1 (SetDefaults_Job); a Pod has no Job spec at all.
    single = check(WORK_QUEUE.replace("  parallelism: 3\n  completions: 9\n", ""))
    assert met({"text": "t", "job": {"parallelism": 1, "completions": 1}}, single)
    assert not met({"text": "t", "job": {"parallelism": 1}}, check(BARE))


@pytest.mark.parametrize("value", [{}, {"replicas": 3}, 3])
def test_a_job_goal_written_wrongly_is_reported(value):
    assert "`job` takes one or more of" in check_goal({"text": "t", "job": value})


def test_malformed_specs_never_meet_goals_and_never_raise():
    odd = "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: api\n    startupProbe: 7\n    command: 5\n    env: oops\n"
    report = check(odd)
    for goal in GOALS[:-1]:  # all but no_finding, which this spec does meet
        assert not met({"text": "t", **goal}, report)


def test_yaml_that_does_not_parse_meets_no_goal_not_even_an_absent_finding():
    broken = check("apiVersion: batch/v1\nkind: Job\nspec: [\n")
    assert broken.diagnostics  # a syntax error, and nothing else to judge
    for goal in GOALS:
        assert not met({"text": "t", **goal}, broken)


def test_probe_budget_counts_a_zero_threshold_as_the_default_three():
    # The API server defaults failureThreshold: 0 to 3, so the app still gets 3 x 10 s.
    report = check(SPEC.replace("failureThreshold: 6", "failureThreshold: 0"))
    startup = {"container": "api", "type": "startup"}
    assert met({"text": "t", "probe": {**startup, "min_budget": 30}}, report)
    assert not met({"text": "t", "probe": {**startup, "min_budget": 31}}, report)


# Run goals, on real runs of the simulator (its own tests prove the runs are right), and on the
# hand-made runs of tests/runs.py where one fits.


def indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


def pod_spec(containers: str, init: str = "") -> str:
    """A pod spec's lists (written at the left margin) of init containers and containers."""
    return (f"initContainers:\n{init}" if init else "") + f"containers:\n{containers}"


def pod(containers: str, init: str = "") -> str:
    """A Pod with these containers and init containers."""
    spec = indented(pod_spec(containers, init), 2)
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: shop}}\nspec:\n{spec}"


def job(containers: str, init: str = "") -> str:
    """A Job whose Pod has these containers and init containers."""
    spec = indented("restartPolicy: Never\n" + pod_spec(containers, init), 6)
    return (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: report}\nspec:\n  template:\n"
        f"    spec:\n{spec}"
    )


WORKER = '- name: worker\n  image: busybox:1.36\n  command: ["sleep", "10"]\n'
SHIPPER = '- name: shipper\n  image: busybox:1.36\n  command: ["tail", "-f", "/dev/null"]\n'
SIDECAR = "  restartPolicy: Always\n"
SLOW = (
    "- name: web\n  image: nginx:1.27\n  livenessProbe:\n"
    "    httpGet: {path: /healthz, port: 80}\n    initialDelaySeconds: 15\n    periodSeconds: 5\n"
    "  readinessProbe:\n    httpGet: {path: /ready, port: 80}\n    periodSeconds: 5\n"
)
STARTUP = (
    "  startupProbe:\n    httpGet: {path: /healthz, port: 80}\n"
    "    periodSeconds: 5\n    failureThreshold: 24\n"
)
APP = "- name: app\n  image: registry.example/shop:1.0\n"
PROXY = "- name: proxy\n  image: envoyproxy/envoy:v1.31\n"
LOOP = (
    '- name: app\n  image: busybox:1.36\n  command: ["sh", "-c", "while true; do sleep 1; done"]\n'
)
NEEDS_60 = "containers: {web: {ready_after: 60}}"
DRAINS = "{delete_at: 60, containers: {app: {stops_in: 5}}}"

# A Job's worker done at 10 s: with a native sidecar the Job completes (at 40 s, once the sidecar,
# which ignores SIGTERM, is killed); with the helper in `containers`, never.
COMPLETED = simulate(job(WORKER, SHIPPER + SIDECAR))
NEVER_ENDS = simulate(job(WORKER + SHIPPER))
# A slow starter (it answers from 60 s): its liveness probe kills it at 30 s, again and again;
# with a startup probe it is Ready at 60 s and never restarted.
CRASHING = simulate(pod(SLOW), NEEDS_60)
STARTED = simulate(pod(SLOW + STARTUP), NEEDS_60)
# Deleted at 60 s, `app` drains for 5 s: the proxy in `containers` stops first (at 61 s); as a
# native sidecar, after `app`; a shell that ignores SIGTERM is killed when the grace period ends.
CLASSIC = simulate(pod(APP + PROXY), DRAINS)
NATIVE = simulate(pod(APP, PROXY + SIDECAR), DRAINS)
STUBBORN = simulate(pod(LOOP), "delete_at: 60")

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


def test_the_hand_made_runs_meet_the_goals_their_stories_tell():
    report = check(SPEC)
    assert met({"text": "t", "run_completes": True}, report, runs.job_with_native_sidecar())
    stubborn = runs.deleted_pod_ignoring_sigterm()
    assert not met({"text": "t", "run_no_sigkill": True}, report, stubborn)
    assert not met({"text": "t", "run_gone_within": 10}, report, stubborn)


def test_run_goals_count_the_seconds_they_name():
    report = check(SPEC)
    assert met({"text": "t", "run_ready_within": 60}, report, STARTED)
    assert not met({"text": "t", "run_ready_within": 59}, report, STARTED)
    # Killed at 30 s, `web` stops 1 s after SIGTERM and is restarted at once, at 31 s.
    assert met({"text": "t", "run_no_restarts": 30}, report, CRASHING)
    assert not met({"text": "t", "run_no_restarts": 31}, report, CRASHING)
    assert met({"text": "t", "run_gone_within": 5}, report, CLASSIC)  # deleted at 60, gone at 65
    assert not met({"text": "t", "run_gone_within": 4}, report, CLASSIC)
    assert not met({"text": "t", "run_gone_within": 3600}, report, STARTED), "never deleted"


def test_a_container_that_never_stops_or_is_missing_never_stops_after_another():
    report = check(SPEC)
    assert not met({"text": "t", "run_stops_after": ["shipper", "worker"]}, report, NEVER_ENDS)
    assert not met({"text": "t", "run_stops_after": ["worker", "shipper"]}, report, NEVER_ENDS)
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
