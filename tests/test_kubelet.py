"""The lifecycle simulator, rule by rule: each case is a small spec and scenario, what a learner
would see happen (lane states, events, phases, `kubectl get pod -w` STATUS values, the outcome),
and the documentation sentence (Kubernetes v1.35) it proves."""

from dataclasses import dataclass, field
from fractions import Fraction

import pytest

from learn.podspec.kubelet import POD_UID, NotRunnable, simulate
from learn.podspec.scenario import ContainerScenario, Scenario, ScenarioError
from learn.podspec.timeline import MarkKind, Phase, Timeline

Mi = 2**20


def pod(body: str, *, name: str = "demo") -> str:
    """A Pod manifest around an indented spec body."""
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{body}"


def job(body: str, *, name: str = "report", extra: str = "") -> str:
    """A Job manifest around an indented pod spec body (indented for the template)."""
    template = "\n".join("      " + line for line in body.splitlines())
    return (
        f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n{extra}"
        f"  template:\n    spec:\n{template}\n"
    )


def scenario(delete_at: int | None = None, until: int = 600, **containers: dict) -> Scenario:
    """A scenario with some containers' behaviour written out."""
    written = tuple(ContainerScenario(name, **fields) for name, fields in containers.items())
    return Scenario(containers=written, delete_at=delete_at, until=until)


def lane_states(timeline: Timeline, name: str) -> str:
    """A lane as `state@start` words, e.g. "waiting@0 running@3 exited@5"."""
    lane = timeline.lane(name)
    assert lane is not None
    return " ".join(f"{i.state}@{i.start}" for i in lane.intervals)


def event_lines(timeline: Timeline) -> list[str]:
    """Events as "<time> <reason> <message>" lines, the message as `kubectl describe` prints it
    (after the container's fieldPath)."""
    return [
        f"{e.time} {e.reason} {e.field_path + ': ' if e.field_path else ''}{e.message}"
        for e in timeline.events
    ]


def in_order(wanted: list[str], found: list[str]) -> bool:
    """Whether `wanted` appears in `found` in this order (other items may come between)."""
    rest = iter(found)
    return all(any(item == w for item in rest) for w in wanted)


@dataclass
class Case:
    id: str
    source: str  # the documentation sentence the case proves
    spec: str
    scenario: Scenario = field(default_factory=Scenario)
    lanes: dict[str, str] = field(default_factory=dict)  # name -> lane_states()
    events: list[str] = field(default_factory=list)  # in this order, among all events
    phases: list[tuple[Phase, int]] = field(default_factory=list)  # (phase, start)
    rows: list[str] = field(default_factory=list)  # `kubectl get pod -w`: "READY STATUS" lines
    outcome: str = ""  # a part of the outcome sentence


APP = "  containers:\n  - name: web\n    image: nginx:1.27\n"
SHELL_SLEEP = '    command: ["sh", "-c", "sleep {}"]\n'

CASES = [
    Case(
        "rule1-fits",
        "scheduling-eviction/kube-scheduler: the scheduler notifies the API server about this "
        "decision in a process called binding",
        pod(APP),
        lanes={"web": "ready@0"},
        events=[
            "0 Scheduled Successfully assigned default/demo to node-1",
            # v1.35 kubelet and kubectl (CHANGELOG-1.35 #134043, #133627).
            '0 Pulled spec.containers{web}: Container image "nginx:1.27" already present on '
            "machine and can be accessed by the pod",
            "0 Started spec.containers{web}: Container started",
        ],
        phases=[(Phase.RUNNING, 0)],
        outcome="Running and Ready",
        rows=["1/1 Running"],
    ),
    Case(
        "rule1-insufficient-cpu-and-memory",
        "kube-scheduler: if none of the nodes are suitable, the pod remains unscheduled until "
        "the scheduler is able to place it",
        pod(APP + "    resources:\n      requests: {cpu: '8', memory: 16Gi}\n"),
        lanes={"web": "waiting@0"},
        events=[
            "0 FailedScheduling 0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient "
            "memory. preemption: 0/1 nodes are available: 1 No preemption victims found for "
            "incoming pod.."
        ],
        phases=[(Phase.PENDING, 0)],
        outcome="stays Pending",
        rows=["0/1 Pending"],
    ),
    Case(
        "rule1-sidecar-requests-count",
        "sidecar-containers 'Resource sharing within containers': the Pod's effective "
        "request/limit for a resource is the sum of pod overhead and the higher of: the sum of all "
        "non-init containers(app and sidecar containers) request/limit for a resource; the "
        "effective init request/limit for a resource",
        pod(
            "  initContainers:\n  - name: proxy\n    image: envoyproxy/envoy:v1.31\n"
            "    restartPolicy: Always\n    resources:\n      requests: {cpu: 600m}\n"
            + APP
            + "    resources:\n      requests: {cpu: 500m}\n"
        ),
        Scenario(node_cpu=Fraction(1)),
        events=[
            "0 FailedScheduling 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 "
            "nodes are available: 1 No preemption victims found for incoming pod.."
        ],
    ),
    Case(
        "rule2-init-containers-one-at-a-time",
        "init-containers: each init container must complete successfully before the next one "
        "starts",
        pod(
            "  initContainers:\n  - name: fetch\n    image: busybox:1.36\n"
            + SHELL_SLEEP.format(3)
            + "  - name: migrate\n    image: busybox:1.36\n"
            + SHELL_SLEEP.format(2)
            + APP
        ),
        lanes={
            "fetch": "running@0 exited@3",
            "migrate": "waiting@0 running@3 exited@5",
            "web": "waiting@0 ready@5",
        },
        phases=[(Phase.PENDING, 0), (Phase.RUNNING, 5)],
        rows=["0/1 Init:0/2", "0/1 Init:1/2", "1/1 Running"],
    ),
    Case(
        "rule2-failed-init-never",
        "init-containers: if the Pod has a restartPolicy of Never, and an init container fails "
        "during startup of that Pod, Kubernetes treats the overall Pod as failed",
        pod(
            "  restartPolicy: Never\n  initContainers:\n  - name: migrate\n    image: busybox:1.36\n"
            '    command: ["sh", "-c", "exit 3"]\n' + APP
        ),
        lanes={"migrate": "exited@0", "web": "waiting@0"},
        phases=[(Phase.FAILED, 0)],
        outcome="`migrate` exited with code 3",
        rows=["0/1 Init:0/1", "0/1 Init:Error"],
    ),
    Case(
        "rule2-init-crash-loop",
        "init-containers: if a Pod's init container fails, the kubelet repeatedly restarts that "
        "init container until it succeeds",
        pod(
            '  initContainers:\n  - name: migrate\n    image: busybox:1.36\n    command: ["false"]\n'
            + APP
        ),
        scenario(until=100),
        lanes={"migrate": "backoff@0 backoff@10 backoff@30 backoff@70", "web": "waiting@0"},
        events=[
            "0 Started spec.initContainers{migrate}: Container started",
            "0 Started spec.initContainers{migrate}: Container started",
            "0 BackOff spec.initContainers{migrate}: Back-off restarting failed container migrate "
            f"in pod demo_default({POD_UID})",
            "10 Started spec.initContainers{migrate}: Container started",
        ],
        phases=[(Phase.PENDING, 0)],
        outcome="`migrate` was restarted 4 times",
        rows=[
            "0/1 Init:0/1",
            "0/1 Init:Error",
            "0/1 Init:0/1",
            "0/1 Init:Error",
            "0/1 Init:CrashLoopBackOff",
            "0/1 Init:0/1",
            "0/1 Init:Error",
            "0/1 Init:CrashLoopBackOff",
            "0/1 Init:0/1",
            "0/1 Init:Error",
            "0/1 Init:CrashLoopBackOff",
            "0/1 Init:0/1",
            "0/1 Init:Error",
            "0/1 Init:CrashLoopBackOff",
        ],
    ),
    Case(
        "rule3-sidecar-started-before-app-and-stopped-after",
        "sidecar-containers: the kubelet postpones terminating sidecar containers until the main "
        "application container has fully stopped. The sidecar containers are then shut down in "
        "the opposite order of their appearance in the Pod specification",
        pod(
            "  initContainers:\n  - name: logs\n    image: fluent/fluent-bit:3.1\n"
            "    restartPolicy: Always\n  - name: proxy\n    image: envoyproxy/envoy:v1.31\n"
            "    restartPolicy: Always\n    startupProbe:\n      tcpSocket: {port: 9901}\n"
            "      periodSeconds: 2\n" + APP
        ),
        scenario(delete_at=30, proxy={"ready_after": 3}),
        lanes={
            "logs": "ready@0 terminating@32 exited@33",
            "proxy": "starting@0 ready@4 terminating@31 exited@32",
            "web": "waiting@0 ready@4 terminating@30 exited@31",
        },
        # kuberuntime_container.go killContainer: every container's Killing event comes when
        # the Pod's termination begins; the order shows in the SIGTERMs and exits above.
        events=[
            "30 Killing spec.initContainers{logs}: Stopping container logs",
            "30 Killing spec.initContainers{proxy}: Stopping container proxy",
            "30 Killing spec.containers{web}: Stopping container web",
        ],
        outcome="Deleted at 30 s, the Pod was gone at 33 s",
        rows=[
            "1/3 Init:1/2",
            "3/3 Running",
            "3/3 Terminating",
            "2/3 Terminating",
            "1/3 Terminating",
            "0/3 Completed",
        ],
    ),
    Case(
        "rule4-apps-start-together",
        "init-containers 'Using init containers': once preconditions are met, all of the app "
        "containers in a Pod can start in parallel",
        pod(APP + "  - name: api\n    image: python:3.13\n"),
        events=[
            "0 Started spec.containers{web}: Container started",
            "0 Started spec.containers{api}: Container started",
        ],
        lanes={"web": "ready@0", "api": "ready@0"},
    ),
    Case(
        "rule5-liveness-kills-a-slow-start",
        "configure-liveness-readiness-startup-probes: if the liveness probe fails, the kubelet "
        "kills the container and it is subject to its restart policy",
        pod(
            APP + "    livenessProbe:\n      httpGet: {path: /healthz, port: 80}\n"
            "      periodSeconds: 5\n"
        ),
        scenario(web={"ready_after": 30}, until=200),
        events=[
            # Probes at 5, 10, 15 s: the budget is initialDelaySeconds + 3 x 5 s. Nothing listens
            # on the port yet: the prober's dial is refused (pkg/probe/http).
            '5 Unhealthy spec.containers{web}: Liveness probe failed: Get "http://10.244.0.7:80'
            '/healthz": dial tcp 10.244.0.7:80: connect: connection refused',
            "15 Killing spec.containers{web}: Container web failed liveness probe, will be "
            "restarted",
            "16 Started spec.containers{web}: Container started",
            "31 Killing spec.containers{web}: Container web failed liveness probe, will be "
            "restarted",
            "32 BackOff spec.containers{web}: Back-off restarting failed container web in pod "
            f"demo_default({POD_UID})",
            "42 Started spec.containers{web}: Container started",
        ],
        outcome="`web` was restarted 4 times: CrashLoopBackOff, the back-off now 80 s",
        rows=[
            "1/1 Running",
            "0/1 Completed",
            "1/1 Running",
            "0/1 Completed",
            "0/1 CrashLoopBackOff",
            "1/1 Running",
            "0/1 Completed",
            "0/1 CrashLoopBackOff",
            "1/1 Running",
            "0/1 Completed",
            "0/1 CrashLoopBackOff",
            "1/1 Running",
            "0/1 Completed",
            "0/1 CrashLoopBackOff",
        ],
    ),
    Case(
        "rule5-readiness-never-restarts",
        "pod-lifecycle 'Container probes': readinessProbe: if the readiness probe fails, the "
        "EndpointSlice controller removes the Pod's IP address (no restart)",
        pod(
            APP
            + "    readinessProbe:\n      httpGet: {path: /ready, port: 80}\n      periodSeconds: 5\n"
        ),
        scenario(web={"fails_probes_from": 20}, until=60),
        # prober_manager.go: a readiness probe runs at once for a started container; 3 failures:
        # 20, 25, 30 s.
        lanes={"web": "ready@0 running@30"},
        outcome="not Ready: `web` is not ready.",
        rows=["0/1 Running", "1/1 Running", "0/1 Running"],
    ),
    Case(
        "rule5-startup-probe-then-liveness",
        "configure-liveness-readiness-startup-probes: if such a probe is configured, it disables "
        "liveness and readiness checks until it succeeds",
        pod(
            APP + "    startupProbe:\n      httpGet: {path: /healthz, port: 80}\n"
            "      periodSeconds: 10\n      failureThreshold: 30\n"
            "    livenessProbe:\n      httpGet: {path: /healthz, port: 80}\n      periodSeconds: 10\n"
        ),
        scenario(web={"ready_after": 25}),
        lanes={"web": "starting@0 ready@30"},
    ),
    Case(
        "rule5-probe-grace-period",
        "configure-liveness-readiness-startup-probes: probe-level terminationGracePeriodSeconds "
        "overrides the pod-level one when the kubelet kills a container for a failed probe",
        pod(
            '  containers:\n  - name: web\n    image: busybox:1.36\n    command: ["sh", "-c", "while true; do sleep 1; done"]\n'
            "    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n      periodSeconds: 5\n"
            "      failureThreshold: 1\n      terminationGracePeriodSeconds: 4\n"
        ),
        scenario(web={"fails_probes_from": 10}, until=16),
        # SIGKILL 4 s after the kill; the new run's first probe would come at 19 s.
        lanes={"web": "ready@0 terminating@10 ready@14"},
        events=[
            "10 Killing spec.containers{web}: Container web failed liveness probe, will be "
            "restarted"
        ],
    ),
    Case(
        "rule5-liveness-under-never-says-no-restart",
        "kuberuntime_manager.go computePodActions: the Killing message gains ', will be "
        "restarted' only when shouldRestartOnFailure (restartPolicy not Never); the prober "
        "resolves a named port to the container's port of that name",
        pod(
            "  restartPolicy: Never\n"
            + APP
            + "    ports:\n    - {name: http, containerPort: 8080}\n"
            "    livenessProbe:\n      httpGet: {path: /healthz, port: http}\n"
            "      periodSeconds: 5\n      failureThreshold: 1\n"
        ),
        scenario(web={"ready_after": 30}, until=20),
        events=[
            '5 Unhealthy spec.containers{web}: Liveness probe failed: Get "http://10.244.0.7:8080'
            '/healthz": dial tcp 10.244.0.7:8080: connect: connection refused',
            "5 Killing spec.containers{web}: Container web failed liveness probe",
        ],
    ),
    Case(
        "rule5-sidecar-liveness-kill-message",
        "kuberuntime_manager.go computeInitContainerActions: 'Init container %s failed liveness "
        "probe'; pkg/probe/tcp reports the dial error",
        pod(
            "  initContainers:\n  - name: proxy\n    image: envoyproxy/envoy:v1.31\n"
            "    restartPolicy: Always\n    livenessProbe:\n      tcpSocket: {port: 9901}\n"
            "      periodSeconds: 5\n      failureThreshold: 1\n" + APP
        ),
        scenario(proxy={"fails_probes_from": 10}, until=20),
        events=[
            "10 Unhealthy spec.initContainers{proxy}: Liveness probe failed: dial tcp "
            "10.244.0.7:9901: connect: connection refused",
            "10 Killing spec.initContainers{proxy}: Init container proxy failed liveness probe",
        ],
    ),
    Case(
        "rule6-on-failure-keeps-a-success",
        "pod-lifecycle 'Container restarts': OnFailure: only restarts the container if it exits "
        "with an error (non-zero exit status)",
        pod("  restartPolicy: OnFailure\n" + APP + '    command: ["true"]\n'),
        lanes={"web": "exited@0"},
        phases=[(Phase.SUCCEEDED, 0)],
        outcome="The Pod completed at 0 s",
        rows=["1/1 Running", "0/1 Completed"],
    ),
    Case(
        "rule6-always-restarts-a-success",
        "pod-lifecycle 'Container restarts': Always: automatically restarts the container after "
        "any termination",
        pod(APP + '    command: ["sh", "-c", "sleep 5"]\n'),
        scenario(until=40),
        lanes={"web": "ready@0 ready@5 backoff@10 ready@20 backoff@25"},
        outcome="restarted 2 times",
    ),
    Case(
        "rule6-backoff-reset-after-ten-minutes",
        "pod-lifecycle 'Container restarts': once a container has executed for 10 minutes "
        "without any problems, the kubelet resets the restart backoff timer for that container",
        pod(APP),
        scenario(web={"exits_after": 700, "exit_code": 1}, until=2200),
        lanes={"web": "ready@0 ready@700 ready@1400 ready@2100"},
    ),
    Case(
        "rule7-oom-killed",
        "assign-memory-resource: if a Container allocates more memory than its limit, the "
        "Container becomes a candidate for termination ... the kubelet restarts it",
        pod(APP + "    resources:\n      limits: {memory: 256Mi}\n"),
        scenario(web={"memory_grows_to": Fraction(512 * Mi), "memory_within": 20}, until=30),
        lanes={"web": "ready@0 ready@11 backoff@22"},
        rows=[
            "1/1 Running",
            "0/1 OOMKilled",
            "1/1 Running",
            "0/1 OOMKilled",
            "0/1 CrashLoopBackOff",
        ],
    ),
    Case(
        "rule7-no-limit-no-oom",
        "assign-memory-resource: if you do not specify a memory limit, the Container has no "
        "upper bound on the amount of memory it uses",
        pod(APP),
        scenario(web={"memory_grows_to": Fraction(512 * Mi), "memory_within": 20}),
        lanes={"web": "ready@0"},
    ),
    Case(
        "rule8-failed-when-one-fails",
        "pod-lifecycle 'Pod phase': Failed: all containers in the Pod have terminated, and at "
        "least one container has terminated in failure",
        pod(
            "  restartPolicy: Never\n"
            + APP
            + '    command: ["sh", "-c", "sleep 4; exit 2"]\n'
            + '  - name: api\n    image: busybox:1.36\n    command: ["true"]\n'
        ),
        phases=[(Phase.RUNNING, 0), (Phase.FAILED, 4)],
        outcome="The Pod failed at 4 s: `web` exited with code 2",
    ),
    Case(
        "story1-job-with-native-sidecar-completes",
        "sidecar-containers 'Jobs with sidecar containers': the sidecar container in each Pod "
        "does not prevent the Job from completing after the main container has finished",
        job(
            "restartPolicy: Never\ninitContainers:\n- name: log-shipper\n  image: fluent/fluent-bit:3.1\n"
            "  restartPolicy: Always\ncontainers:\n- name: main\n  image: busybox:1.36\n"
            '  command: ["sh", "-c", "sleep 10"]'
        ),
        lanes={"log-shipper": "ready@0 terminating@10 exited@11", "main": "ready@0 exited@10"},
        events=["10 Killing spec.initContainers{log-shipper}: Stopping container log-shipper"],
        phases=[(Phase.RUNNING, 0), (Phase.SUCCEEDED, 11)],
        outcome="The Job's Pod completed at 11 s: the Job is complete.",
        rows=["2/2 Running", "1/2 Completed", "0/2 Completed"],
    ),
    Case(
        "story1-job-with-classic-sidecar-never-completes",
        "pod-lifecycle 'Pod phase': Succeeded: all containers in the Pod have terminated in "
        "success, and will not be restarted (a second app container that never exits keeps the "
        "Pod Running)",
        job(
            "restartPolicy: Never\ncontainers:\n- name: main\n  image: busybox:1.36\n"
            '  command: ["sh", "-c", "sleep 10"]\n- name: log-shipper\n  image: fluent/fluent-bit:3.1'
        ),
        lanes={"main": "ready@0 exited@10", "log-shipper": "ready@0"},
        phases=[(Phase.RUNNING, 0)],
        outcome="`log-shipper` never exits, so the Job never completes",
        rows=["2/2 Running", "1/2 NotReady"],
    ),
    Case(
        "rule9-job-pod-failed",
        "controllers/job 'Pod backoff failure policy': the Job controller recreates failed Pods "
        "with an exponential back-off delay, up to backoffLimit",
        job(
            'restartPolicy: Never\ncontainers:\n- name: main\n  image: busybox:1.36\n  command: ["false"]'
        ),
        phases=[(Phase.FAILED, 0)],
        outcome="would create a new Pod (up to backoffLimit 6)",
    ),
    Case(
        "rule10-prestop-then-sigterm",
        "pod-lifecycle 'Termination of Pods': if one of the Pod's containers has defined a "
        "preStop hook ... the kubelet runs that hook inside of the container ... then triggers "
        "the container runtime to send a TERM signal",
        pod(APP + "    lifecycle:\n      preStop:\n        sleep: {seconds: 5}\n"),
        scenario(delete_at=20),
        lanes={"web": "ready@0 terminating@20 exited@26"},
        events=["20 Killing spec.containers{web}: Stopping container web"],
        outcome="Deleted at 20 s, the Pod was gone at 26 s.",
    ),
    Case(
        "story6-sigterm-ignored",
        "pod-lifecycle 'Termination of Pods': once the grace period has expired, the KILL signal "
        "is sent to any remaining processes",
        pod(
            "  containers:\n  - name: web\n    image: busybox:1.36\n"
            '    command: ["sh", "-c", "while true; do sleep 1; done"]\n'
        ),
        scenario(delete_at=10),
        lanes={"web": "ready@0 terminating@10 exited@40"},
        outcome="`web` had to be killed with SIGKILL",
        rows=["1/1 Running", "1/1 Terminating", "0/1 Error"],
    ),
    Case(
        "rule10-hook-longer-than-grace",
        "pod-lifecycle 'Termination of Pods': if the preStop hook is still running after the "
        "grace period expires, the kubelet requests a small, one-off grace period extension",
        pod(
            "  terminationGracePeriodSeconds: 10\n"
            + APP
            + '    lifecycle:\n      preStop:\n        exec: {command: ["sh", "-c", "sleep 20"]}\n'
        ),
        scenario(delete_at=5, web={"ignores_sigterm": True}),
        # The hook is cut at 15 s (SIGTERM), then 2 s more before SIGKILL.
        lanes={"web": "ready@0 terminating@5 exited@17"},
    ),
    Case(
        "rule11-pod-active-deadline",
        "API reference PodSpec activeDeadlineSeconds: duration in seconds the pod may be active "
        "on the node ... before the system will actively try to mark it failed and kill "
        "associated containers",
        pod("  activeDeadlineSeconds: 20\n  restartPolicy: Never\n" + APP),
        lanes={"web": "ready@0 terminating@20 exited@21"},
        events=[
            "20 DeadlineExceeded Pod was active on the node longer than the specified deadline"
        ],
        phases=[(Phase.RUNNING, 0), (Phase.FAILED, 20)],
        outcome="its activeDeadlineSeconds (20 s) ran out",
        rows=["1/1 Running", "1/1 DeadlineExceeded", "0/1 Completed"],
    ),
    Case(
        "rule11-job-active-deadline",
        "controllers/job: once a Job reaches activeDeadlineSeconds, all of its running Pods are "
        "terminated and the Job status will become type: Failed with reason: DeadlineExceeded",
        job(
            'restartPolicy: Never\ncontainers:\n- name: main\n  image: busybox:1.36\n  command: ["sh", "-c", "sleep 100"]',
            extra="  activeDeadlineSeconds: 20\n",
        ),
        lanes={"main": "ready@0 terminating@20 exited@50"},
        outcome="The Job failed at 20 s (DeadlineExceeded)",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule(case: Case) -> None:
    timeline = simulate(case.spec, case.scenario)
    for name, states in case.lanes.items():
        assert lane_states(timeline, name) == states, name
    assert in_order(case.events, event_lines(timeline)), event_lines(timeline)
    if case.phases:
        assert [(span.phase, span.start) for span in timeline.phases] == case.phases
    if case.rows:
        assert [f"{row.ready} {row.status}" for row in timeline.rows] == case.rows
    assert case.outcome in timeline.outcome


def test_crash_loop_back_off_doubles_up_to_five_minutes() -> None:
    # pod-lifecycle "Container restarts": "the kubelet restarts them with an exponential
    # backoff delay (10s, 20s, 40s, …), that is capped at 300 seconds"; the first restart is
    # immediate ("How Pods handle problems with containers": "Initial crash").
    spec = pod(APP + '    command: ["false"]\n')
    timeline = simulate(spec, scenario(until=1300))
    lane = timeline.lane("web")
    assert lane is not None
    exits = [m.time for m in lane.marks if m.kind == MarkKind.EXIT]
    starts = [m.time for m in lane.marks if m.kind == MarkKind.START]
    gaps = [start - exit for exit, start in zip(exits, starts[1:], strict=False)]
    assert gaps == [0, 10, 20, 40, 80, 160, 300, 300, 300]
    assert lane.restarts == 9
    assert "the back-off now 300 s" in timeline.outcome


def test_oom_killed_exit_code_137() -> None:
    # pod-lifecycle/assign-memory-resource: the container is OOMKilled, exit code 137.
    spec = pod(APP + "    resources:\n      limits: {memory: 256Mi}\n")
    timeline = simulate(
        spec, scenario(web={"memory_grows_to": Fraction(512 * Mi), "memory_within": 20}, until=15)
    )
    exit_mark = next(m for m in timeline.lanes[0].marks if m.kind == MarkKind.EXIT)
    assert (exit_mark.time, exit_mark.detail, exit_mark.code) == (11, "OOMKilled", 137)


def test_sigterm_ignored_ends_with_sigkill_at_the_grace_period() -> None:
    # pod-lifecycle "Termination of Pods": SIGTERM, then KILL when the grace period expires.
    spec = pod(
        '  containers:\n  - name: web\n    image: busybox:1.36\n    command: ["sleep", "infinity"]\n'
    )
    timeline = simulate(spec, scenario(delete_at=10))
    marks = [
        (m.time, m.kind, m.detail, m.code)
        for m in timeline.lanes[0].marks
        if m.kind != MarkKind.START
    ]
    assert marks == [
        (10, MarkKind.SIGNAL, "SIGTERM", None),
        (40, MarkKind.SIGNAL, "SIGKILL", None),
        (40, MarkKind.EXIT, "Error", 137),
    ]
    assert timeline.removed_at == 40
    assert timeline.finished


def test_a_handled_sigterm_stops_cleanly_with_0() -> None:
    # An image's own program handles SIGTERM (the only way PID 1 sees it, pid_namespaces(7)):
    # assumed to stop cleanly, and said so.
    timeline = simulate(pod(APP), scenario(delete_at=10, web={"stops_in": 3}))
    exit_mark = next(m for m in timeline.lanes[0].marks if m.kind == MarkKind.EXIT)
    assert (exit_mark.time, exit_mark.code, exit_mark.detail) == (13, 0, "Completed")
    assert any("exit code 0" in sentence for sentence in timeline.assumptions)


def test_memory_growth_without_a_limit_is_said_to_be_harmless_here() -> None:
    grows = {"memory_grows_to": Fraction(512 * Mi), "memory_within": 20}
    timeline = simulate(pod(APP), scenario(web=grows))
    assert any("`web` has no memory limit" in sentence for sentence in timeline.assumptions)


def test_conditions_follow_init_and_readiness() -> None:
    # pod-lifecycle "Pod conditions": PodScheduled, Initialized, ContainersReady, Ready.
    spec = pod(
        "  initContainers:\n  - name: fetch\n    image: busybox:1.36\n"
        + SHELL_SLEEP.format(3)
        + APP
        + "    readinessProbe:\n      httpGet: {path: /, port: 80}\n      periodSeconds: 5\n"
    )
    timeline = simulate(spec, scenario(web={"ready_after": 4}))
    assert timeline.condition_at("PodScheduled", 0)
    assert not timeline.condition_at("Initialized", 2)
    assert timeline.condition_at("Initialized", 3)
    # The readiness probe runs at 3 s (too early) and 8 s (passes).
    assert not timeline.condition_at("Ready", 7)
    assert timeline.condition_at("Ready", 8)
    assert timeline.condition_at("ContainersReady", 8)


def test_a_controller_pod_gets_a_generated_name_the_same_every_time() -> None:
    spec = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
        "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
        "      labels: {app: web}\n    spec:\n"
        + "\n".join("    " + line for line in APP.splitlines())
        + "\n"
    )
    first, second = simulate(spec), simulate(spec)
    assert first.pod == second.pod
    name, template_hash, suffix = first.pod.rsplit("-", 2)
    assert (name, len(template_hash), len(suffix)) == ("web", 10, 5)
    assert first.kind == "Deployment"


def test_a_steady_pod_stops_early_with_a_margin() -> None:
    # Nothing changes after 0 s: the run ends 10 s later instead of at the horizon.
    timeline = simulate(pod(APP))
    assert (timeline.end, timeline.finished) == (10, False)
    assert timeline.outcome == "From 0 s on the Pod is Running and Ready."


def test_passing_probes_are_skipped_until_the_next_scenario_event() -> None:
    spec = pod(
        APP + "    readinessProbe:\n      httpGet: {path: /, port: 80}\n      periodSeconds: 1\n"
    )
    timeline = simulate(spec, scenario(delete_at=3000, until=3600))
    probes = [m for m in timeline.lanes[0].marks if m.kind == MarkKind.PROBE]
    # The readiness probe runs as the container starts; only that first success is kept.
    assert [(m.time, m.ok) for m in probes] == [(0, True)]
    assert timeline.removed_at == 3001


def test_rows_are_printed_when_a_column_changes() -> None:
    timeline = simulate(pod("  restartPolicy: Never\n" + APP + SHELL_SLEEP.format(5)))
    assert [(row.time, row.status) for row in timeline.rows] == [(0, "Running"), (5, "Completed")]
    assert timeline.rows[-1].phase == Phase.SUCCEEDED


def test_the_pod_ip_and_uid_are_stated_when_an_event_shows_them() -> None:
    crashing = simulate(pod(APP + '    command: ["false"]\n'), scenario(until=30))
    assert any(POD_UID in e.message for e in crashing.events)
    assert any(POD_UID in sentence for sentence in crashing.assumptions)
    healthy = simulate(pod(APP))
    assert not any(POD_UID in sentence for sentence in healthy.assumptions)


def test_assumptions_name_the_containers_and_the_run() -> None:
    timeline = simulate(pod(APP))
    assert timeline.assumptions == [
        "`web` runs its image's own program until it is stopped, and stops 1 s after SIGTERM.",
        "Images are already on the node: pulling, creating and starting a container take no time.",
        "Scheduling is instant: the Pod is bound at 0 s when the node has room for it.",
        "The node has 4 CPU, 8Gi allocatable, all free for this Pod.",
    ]


def test_outcome_lists_containers_as_a_sentence_does() -> None:
    two = APP + "  - name: proxy\n    image: envoyproxy/envoy:v1.31\n"
    stubborn = {"ignores_sigterm": True}
    timeline = simulate(pod(two), scenario(delete_at=10, web=stubborn, proxy=stubborn))
    assert timeline.outcome == (
        "Deleted at 10 s, the Pod was gone at 40 s; `web` and `proxy` had to be killed with SIGKILL."
    )


def test_a_jobs_pod_deleted_after_it_completed_says_the_job_had_completed() -> None:
    worker = "restartPolicy: Never\ncontainers:\n- name: main\n  image: busybox:1.36\n"
    timeline = simulate(job(worker + '  command: ["sleep", "5"]'), scenario(delete_at=20))
    assert timeline.outcome == (
        "The Job had completed at 5 s; the deletion at 20 s removed the finished Pod at 20 s."
    )


def test_a_crash_loop_of_oom_kills_says_oomkilled() -> None:
    limited = APP + "    resources: {limits: {memory: 128Mi}}\n"
    grows = {"memory_grows_to": Fraction(256 * 2**20), "memory_within": 10}
    timeline = simulate(pod(limited), scenario(web=grows))
    assert timeline.outcome.startswith("`web` was OOMKilled and restarted ")
    assert ": CrashLoopBackOff, the back-off now " in timeline.outcome
    never = pod("  restartPolicy: Never\n" + limited)
    assert simulate(never, scenario(web=grows)).outcome == (
        "The Pod failed at 6 s: `web` was OOMKilled (exit code 137)."
    )


def test_nothing_to_run() -> None:
    with pytest.raises(NotRunnable, match="no Pod or pod template"):
        simulate("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n")


def test_a_spec_with_errors_is_refused() -> None:
    spec = pod("  containers:\n  - name: web\n")  # no image
    with pytest.raises(
        NotRunnable, match="the API server would reject this spec: fix its 1 error first"
    ):
        simulate(spec)


def test_a_scenario_naming_a_missing_container_is_refused() -> None:
    with pytest.raises(ScenarioError):
        simulate(pod(APP), scenario(wbe={"exits_after": 3}))


def test_restarts_column_says_how_long_ago_the_last_restart_was() -> None:
    # printPod: RESTARTS "N (X ago)" from the last container termination.
    timeline = simulate(pod(APP + '    command: ["false"]\n'), scenario(until=40))
    # At 10 s: the second restart (its last exit 10 s before), its exit at once (the previous
    # termination is still the last one), then the back-off (counted from the new exit).
    assert [row.restarts for row in timeline.rows if row.time == 10] == [
        "2 (10s ago)",
        "2 (10s ago)",
        "2 (0s ago)",
    ]


def test_a_scenario_written_as_yaml() -> None:
    timeline = simulate(pod(APP), "delete_at: 5\ncontainers:\n  web: {stops_in: 2}\n")
    assert timeline.removed_at == 7


def test_a_zero_grace_period_skips_the_hook_and_still_waits_two_seconds() -> None:
    # pod-lifecycle "Pod Termination Flow": the kubelet runs a preStop hook only if
    # terminationGracePeriodSeconds is not 0; kuberuntime_container.go killContainer keeps a
    # minimal shutdown window of 2 s between SIGTERM and SIGKILL.
    spec = pod(
        "  terminationGracePeriodSeconds: 0\n  containers:\n  - name: web\n"
        '    image: busybox:1.36\n    command: ["sleep", "infinity"]\n'
        "    lifecycle:\n      preStop:\n        sleep: {seconds: 5}\n"
    )
    timeline = simulate(spec, scenario(delete_at=5))
    marks = [(m.time, m.kind, m.detail) for m in timeline.lanes[0].marks]
    assert marks[1:] == [
        (5, MarkKind.SIGNAL, "SIGTERM"),
        (7, MarkKind.SIGNAL, "SIGKILL"),
        (7, MarkKind.EXIT, "Error"),
    ]


def test_a_trap_that_exits_0_ends_the_container_with_0() -> None:
    # The shell runs its TERM trap's `exit 0`: the process ends normally, not by the signal.
    spec = pod(
        "  containers:\n  - name: web\n    image: busybox:1.36\n"
        '    command: ["sh", "-c", "trap \'exit 0\' TERM; sleep 3600 & wait"]\n'
    )
    timeline = simulate(spec, scenario(delete_at=10))
    exit_mark = next(m for m in timeline.lanes[0].marks if m.kind == MarkKind.EXIT)
    assert (exit_mark.time, exit_mark.code, exit_mark.detail) == (11, 0, "Completed")
    assert not any("exit code 0; a program" in sentence for sentence in timeline.assumptions)


def test_a_jobs_only_worker_running_its_images_program_finishes() -> None:
    # The spec cannot say how long an image's own program works; in a Job, the one app
    # container is there to finish, so the run assumes it does (and says so).
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: report\nspec:\n  template:\n"
        "    spec:\n      restartPolicy: Never\n      containers:\n"
        "      - name: work\n        image: example/report:1.0\n"
    )
    timeline = simulate(job)
    assert "the Job is complete" in timeline.outcome
    assert any("`work` exits with code 0 after 10 s" in s for s in timeline.assumptions)
    helper = "      - name: shipper\n        image: example/shipper:1.0\n"
    assert "never completes" in simulate(job + helper).outcome


def test_a_sidecar_in_back_off_is_not_started_again_after_its_job_succeeded() -> None:
    # pod-lifecycle "Pod phase": Succeeded is terminal; its containers will not be restarted.
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: report\nspec:\n  template:\n"
        "    spec:\n      restartPolicy: Never\n      initContainers:\n"
        "      - name: shipper\n        image: busybox:1.36\n        restartPolicy: Always\n"
        '        command: ["sh", "-c", "sleep 5; exit 1"]\n      containers:\n'
        '      - name: work\n        image: busybox:1.36\n        command: ["sleep", "12"]\n'
    )
    timeline = simulate(job, scenario(until=60))
    shipper = timeline.lane("shipper")
    assert shipper is not None
    # Crashes at 5 s (restarted at once) and 10 s (back-off until 20 s); the Job ends at 12 s.
    assert [m.time for m in shipper.marks if m.kind == MarkKind.START] == [0, 5]
    assert "the Job is complete" in timeline.outcome


def test_a_pod_deleted_after_it_finished_records_its_deletion() -> None:
    timeline = simulate(
        pod("  restartPolicy: Never\n" + APP + '    command: ["sleep", "5"]\n'),
        scenario(delete_at=20),
    )
    assert (timeline.deleted_at, timeline.removed_at) == (20, 20)
    assert "Terminating" not in {row.status for row in timeline.rows}  # a terminal phase shows


def test_a_run_that_would_cost_too_much_stops_and_says_so() -> None:
    many = "".join(
        f'  - name: c{i}\n    image: busybox:1.36\n    command: ["false"]\n' for i in range(400)
    )
    timeline = simulate(pod("  containers:\n" + many.replace("  containers:\n", "")))
    assert timeline.outcome.startswith("The run stops at")
    assert timeline.end < 600


def test_a_job_under_on_failure_fails_when_its_restarts_reach_the_backoff_limit() -> None:
    # controllers/job "Pod backoff failure policy": with restartPolicy OnFailure "the number of
    # retries in all the containers of Pods with .status.phase equal to Pending or Running"
    # counts, and the Pod "will be terminated once the job backoff limit has been reached".
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: flaky\nspec:\n  backoffLimit: 3\n"
        "  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n"
        '      - name: work\n        image: busybox:1.36\n        command: ["false"]\n'
    )
    timeline = simulate(job)
    assert timeline.lanes[0].restarts == 3
    assert timeline.deleted_at == timeline.removed_at == 30  # restarts at 0, 10 and 30 s
    assert "BackoffLimitExceeded" in timeline.outcome


def test_a_second_workload_in_the_input_is_named_as_not_run() -> None:
    two = pod(APP) + "---\n" + pod(APP).replace("name: demo", "name: other")
    timeline = simulate(two)
    assert timeline.assumptions[0].startswith("The input describes 2 workloads with Pods")


def test_a_readiness_probe_waits_out_its_initial_delay_then_runs_on_its_period() -> None:
    # worker.go skips probes inside initialDelaySeconds; prober_manager.go runs the first at once.
    spec = pod(
        APP + "    readinessProbe:\n      httpGet: {path: /ready, port: 80}\n"
        "      initialDelaySeconds: 5\n      periodSeconds: 10\n"
    )
    timeline = simulate(spec, scenario(web={"ready_after": 7}, until=30))
    probes = [(m.time, m.ok) for m in timeline.lanes[0].marks if m.kind == MarkKind.PROBE]
    assert probes == [(5, False), (15, True)]
    assert lane_states(timeline, "web") == "running@0 ready@15"


def test_a_backoff_limit_of_0_fails_the_job_at_its_first_restart_counted_over_all_containers() -> (
    None
):
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: flaky\nspec:\n  backoffLimit: {limit}\n"
        "  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n"
        '      - name: a\n        image: busybox:1.36\n        command: ["sh", "-c", "sleep 3; exit 1"]\n'
        '      - name: b\n        image: busybox:1.36\n        command: ["sh", "-c", "sleep 5; exit 1"]\n'
    )
    assert simulate(job.replace("{limit}", "0")).deleted_at == 3  # a's first restart
    # Restarts of a (at 3 s, 16 s...) and b (at 5 s, 20 s...) add up to 3 at 16 s.
    timeline = simulate(job.replace("{limit}", "3"))
    assert timeline.deleted_at == 16
    assert "BackoffLimitExceeded" in timeline.outcome


def test_events_of_a_removed_pod_are_aged_at_its_removal() -> None:
    timeline = simulate(pod(APP), scenario(delete_at=10, web={"stops_in": 2}))
    assert (timeline.removed_at, timeline.described_at) == (12, 12)
    assert timeline.end > timeline.described_at


def test_a_sidecars_prestop_runs_with_the_apps_and_a_late_turn_still_gets_two_seconds() -> None:
    # KEP-753: sidecars with a PreStop hook are notified when the Pod begins terminating, at the
    # same time as the regular containers; a sidecar still waiting when the grace period ends
    # gets SIGTERM then, and SIGKILL after the kubelet's 2 s minimal shutdown window.
    spec = pod(
        "  terminationGracePeriodSeconds: 10\n  initContainers:\n  - name: proxy\n"
        "    image: envoyproxy/envoy:v1.31\n    restartPolicy: Always\n"
        '    lifecycle:\n      preStop:\n        exec: {command: ["sleep", "3"]}\n' + APP
    )
    timeline = simulate(spec, scenario(delete_at=5, web={"ignores_sigterm": True}))
    proxy = timeline.lane("proxy")
    assert proxy is not None
    marks = [(m.time, m.kind, m.detail) for m in proxy.marks if m.kind != MarkKind.START]
    assert marks[0] == (5, MarkKind.HOOK, "preStop")  # with the app's SIGTERM, not after it
    # web ignores SIGTERM and is killed at 15 s, the end of the grace period: proxy's turn.
    assert (15, MarkKind.SIGNAL, "SIGTERM") in marks
    assert timeline.removed_at == 16  # proxy stops 1 s after its SIGTERM, inside its 2 s window
