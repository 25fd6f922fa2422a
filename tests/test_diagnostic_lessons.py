"""Each diagnostic about sidecars, init containers, probes, restart policy, ports and volumes
links the lesson section that explains it, chosen by code and by where in the spec it is.

(tests/test_course.py checks that every target exists in the course.)
"""

import pytest

from learn.podspec.check import check
from learn.podspec.lessons import BY_PATH, LESSONS, lesson_for, lesson_for_field

SIDECARS = "native-sidecars/why-native-sidecars#the-design-an-init-container-that-keeps-running"
RULES = "native-sidecars/start-stop-restart-resources#per-container-restart-rules-are-a-different-feature"
SIDECAR_READY = "native-sidecars/start-stop-restart-resources#readiness-feeds-the-pods-ready"
PROBES = "pods/lifecycle-probes-and-termination#probes-liveness-readiness-and-startup"
RESTARTS = "pods/lifecycle-probes-and-termination#restarts-happen-in-place"
PORTS = "pods/the-pod-as-a-shared-context#containerport-declares-it-does-not-reserve"
TWO_SERVERS = "pods/the-pod-as-a-shared-context#two-servers-one-port"
EMPTYDIR = "pods/sharing-data-and-processes#emptydir-scratch-space-for-the-pod"
API_VOLUMES = "pods/sharing-data-and-processes#volumes-that-carry-data-from-the-api"
INIT_LIMITS = (
    "init-containers/ordered-setup-with-init-containers#what-an-init-container-may-not-have"
)

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: demo}}
spec:
{spec}
"""


def _lessons(spec: str, code: str, version: str = "1.35") -> set[str]:
    # The production profile adds the best-practice checks (no probe) to the API server's.
    report = check(POD.format(spec=spec), kubernetes_version=version, profile="production")
    found = {d.lesson for d in report.diagnostics if d.code == code}
    assert found, [(d.code, d.path) for d in report.diagnostics]
    return found


APP = "  containers: [{name: app, image: nginx:1.27}]\n"


@pytest.mark.parametrize(
    ("spec", "code", "lesson"),
    [
        # Sidecars and init containers.
        (
            "  initContainers: [{name: proxy, image: envoy:1, restartPolicy: Sometimes}]\n" + APP,
            "invalid-restart-policy",
            SIDECARS,
        ),
        (
            "  initContainers:\n"
            "  - {name: wait, image: busybox:1.36, readinessProbe: {exec: {command: [true]}}}\n"
            + APP,
            "probe-not-allowed",
            INIT_LIMITS,
        ),
        (
            "  initContainers: [{name: proxy, image: envoy:1, restartPolicy: Always}]\n" + APP,
            "no-sidecar-readiness-probe",
            SIDECAR_READY,
        ),
        # Restart policy: the Pod's, and per container (ContainerRestartRules).
        ("  restartPolicy: Sometimes\n" + APP, "invalid-restart-policy", RESTARTS),
        (
            "  containers: [{name: app, image: nginx:1.27, restartPolicy: Sometimes}]\n",
            "invalid-restart-policy",
            RULES,
        ),
        (
            "  containers:\n  - name: app\n    image: nginx:1.27\n"
            "    restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]\n",
            "missing-field",
            RULES,
        ),
        # Probes.
        ("  containers: [{name: app, image: nginx:1.27}]\n", "no-liveness-probe", PROBES),
        ("  containers: [{name: app, image: nginx:1.27}]\n", "no-readiness-probe", PROBES),
        (
            "  containers: [{name: app, image: nginx:1.27, livenessProbe: {periodSeconds: 5}}]\n",
            "missing-field",
            PROBES,
        ),
        (
            "  containers:\n  - name: app\n    image: nginx:1.27\n"
            "    livenessProbe: {tcpSocket: {port: 80}, successThreshold: 3}\n",
            "invalid-value",
            PROBES,
        ),
        # Ports: one port space per Pod.
        (
            "  containers:\n  - {name: a, image: nginx:1.27, ports: [{containerPort: 80}]}\n"
            "  - {name: b, image: nginx:1.27, ports: [{containerPort: 80}]}\n",
            "port-conflict",
            TWO_SERVERS,
        ),
        (
            "  containers: [{name: a, image: nginx:1.27, ports: [{containerPort: 70000}]}]\n",
            "port-out-of-range",
            PORTS,
        ),
        (
            "  containers:\n  - {name: a, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 8080}]}\n"
            "  - {name: b, image: nginx:1.27, ports: [{containerPort: 81, hostPort: 8080}]}\n",
            "host-port-conflict",
            PORTS,
        ),
        (
            "  containers: [{name: a, image: nginx:1.27, ports: [{containerPort: 80, name: Not_A_Name}]}]\n",
            "invalid-name",
            PORTS,
        ),
        # Volumes.
        (
            "  containers:\n  - name: a\n    image: nginx:1.27\n"
            "    volumeMounts: [{name: nowhere, mountPath: /data}]\n",
            "undefined-volume",
            EMPTYDIR,
        ),
        ("  volumes: [{name: spare, emptyDir: {}}]\n" + APP, "unused-volume", EMPTYDIR),
        (
            "  volumes: [{name: Bad_Name, emptyDir: {}}]\n"
            "  containers:\n  - name: a\n    image: nginx:1.27\n"
            "    volumeMounts: [{name: Bad_Name, mountPath: /data}]\n",
            "invalid-name",
            EMPTYDIR,
        ),
        (
            "  volumes: [{name: conf, emptyDir: {}}]\n"
            "  containers:\n  - name: a\n    image: nginx:1.27\n"
            "    volumeMounts: [{name: conf, mountPath: /etc/app, subPath: ../etc}]\n",
            "invalid-value",
            API_VOLUMES,
        ),
    ],
)
def test_diagnostic_links_the_section_that_explains_it(spec, code, lesson):
    assert lesson in _lessons(spec, code)


def test_a_problem_the_path_does_not_refine_keeps_the_code_s_lesson():
    assert (
        lesson_for("invalid-value", "spec.containers[0].imagePullPolicy")
        == LESSONS["invalid-value"]
    )
    assert lesson_for("no-such-code", "spec") == ""


def test_every_code_the_brief_names_links_somewhere():
    about_pods = {
        "invalid-restart-policy", "probe-not-allowed", "no-liveness-probe", "no-readiness-probe",
        "port-conflict", "host-port-conflict", "port-out-of-range", "undefined-volume",
        "unused-volume", "duplicate-volume-name", "duplicate-mount-path",
    }  # fmt: skip
    assert about_pods <= set(LESSONS)
    assert all(pairs for pairs in BY_PATH.values())


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("spec.parallelism", "the-work-queue-as-a-kubernetes-job"),
        ("spec.jobTemplate.spec.completions", "the-work-queue-as-a-kubernetes-job"),
        ("spec.completionMode", "an-indexed-job-one-item-per-pod-no-queue-service"),
    ],
)
def test_a_jobs_counts_are_explained_by_the_work_queue_lesson(path, section):
    assert lesson_for_field(path) == f"multi-container-patterns/multi-node-patterns#{section}"


def test_a_jobs_restart_policy_is_explained_by_the_job_section_a_deployments_by_restarts():
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: render}\nspec:\n  template:\n"
        "    spec:\n      containers:\n      - {name: worker, image: busybox:1.36.1}\n"
    )
    (error,) = check(job).errors
    assert error.lesson.endswith("multi-node-patterns#the-restart-policy-a-job-allows")
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      restartPolicy: Never\n      containers:\n"
        "      - {name: web, image: nginx:1.27}\n"
    )
    (error,) = check(deployment).errors
    assert error.lesson == LESSONS["invalid-restart-policy"]
