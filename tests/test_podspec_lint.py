"""The production profile: kube-linter-named best-practice warnings, each firing and quiet."""

import pytest

from learn.podspec import check
from learn.podspec.lint import LINT_CODES
from tests.support import APP, pod

HARDENED = """\
securityContext: {runAsNonRoot: true, runAsUser: 10001}
containers:
- name: app
  image: registry.example/app:2.3.1
  ports: [{containerPort: 8080}]
  livenessProbe: {httpGet: {path: /live, port: 8080}}
  readinessProbe: {httpGet: {path: /ready, port: 8080}}
  resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities: {drop: [ALL]}
"""


def production(text: str) -> list[str]:
    return sorted({d.code for d in check(text, profile="production").diagnostics})


def test_a_hardened_pod_has_no_lint_warnings():
    assert production(pod(HARDENED)) == []


def test_lints_only_run_in_the_production_profile():
    bare = pod("containers:\n- name: app\n  image: nginx\n")
    assert check(bare).diagnostics == []
    assert set(production(bare)) == set(LINT_CODES) - {
        "privileged-container", "privilege-escalation-container", "host-network", "host-pid",
        "host-ipc", "docker-sock", "sensitive-host-mounts", "env-var-secret", "privileged-ports",
        # kube-linter reads capabilities only where they are written; no sidecar here.
        "drop-net-raw-capability", "no-sidecar-readiness-probe",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("app:2.3.1", "app"), "latest-tag"),
        (("app:2.3.1", "app:latest"), "latest-tag"),
        # A privileged container escalates whatever allowPrivilegeEscalation says.
        (
            ("allowPrivilegeEscalation: false", "privileged: true"),
            ["privilege-escalation-container", "privileged-container"],
        ),
        (
            ("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
            "privilege-escalation-container",
        ),
        (("runAsNonRoot: true, runAsUser: 10001", "runAsUser: 0"), "run-as-non-root"),
        (("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"), "no-read-only-root-fs"),
        (("cpu: 100m, memory: 64Mi", "memory: 64Mi"), "unset-cpu-requirements"),
        ((", limits: {memory: 128Mi}", ""), "unset-memory-requirements"),
        (
            ("memory: 64Mi}, limits: {memory: 128Mi}", "memory: 0}, limits: {memory: 0}"),
            "unset-memory-requirements",
        ),
        (("cpu: 100m, memory: 64Mi", "cpu: 0, memory: 64Mi"), "unset-cpu-requirements"),
        (("containers:", "hostNetwork: true\ncontainers:"), "host-network"),
        (("containers:", "hostPID: true\ncontainers:"), "host-pid"),
        (("containers:", "hostIPC: true\ncontainers:"), "host-ipc"),
        (("  livenessProbe: {httpGet: {path: /live, port: 8080}}\n", ""), "no-liveness-probe"),
        (("  readinessProbe: {httpGet: {path: /ready, port: 8080}}\n", ""), "no-readiness-probe"),
        (("drop: [ALL]", "drop: [SYS_ADMIN]"), "drop-net-raw-capability"),
        (
            ("  ports:", "  env: [{name: CLIENT_SECRET, value: hunter2}]\n  ports:"),
            "env-var-secret",
        ),
        (("containerPort: 8080", "containerPort: 80"), "privileged-ports"),
    ],
)
def test_each_lint(change, code):
    text = pod(HARDENED.replace(*change))
    assert text != pod(HARDENED)
    assert production(text) == (code if isinstance(code, list) else [code])


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/var/run/docker.sock", "docker-sock"),
        ("/etc", "sensitive-host-mounts"),
        ("/data/app", None),
    ],
)
def test_host_path_lints(path, code):
    volume = (
        HARDENED
        + f"  volumeMounts: [{{name: h, mountPath: /h}}]\nvolumes: [{{name: h, hostPath: {{path: {path}}}}}]\n"
    )
    assert production(pod(volume)) == ([code] if code else [])


def test_digests_are_pinned_enough():
    assert production(pod(HARDENED.replace("app:2.3.1", "app@sha256:" + "a" * 64))) == []


def test_probe_lints_check_jobs_but_not_init_containers():
    # kube-linter checks every regular container, a Job's too, and never an init container.
    job = pod(
        "template:\n  spec:\n    restartPolicy: Never\n" + "\n".join(
            "    " + line for line in HARDENED.replace("  livenessProbe: {httpGet: {path: /live, port: 8080}}\n", "").replace("  readinessProbe: {httpGet: {path: /ready, port: 8080}}\n", "").splitlines()
        ) + "\n",
        kind="Job", api="batch/v1",
    )  # fmt: skip
    assert production(job) == ["no-liveness-probe", "no-readiness-probe"]
    init = HARDENED.replace(
        "containers:\n",
        "initContainers:\n- name: setup\n  image: busybox:1.36\n  resources: {requests: {cpu: 10m, memory: 8Mi}, limits: {memory: 8Mi}}\n  securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}\ncontainers:\n",
        1,
    )
    assert production(pod(init)) == []


def test_a_latest_tag_pinned_by_digest_and_a_registry_port_are_read_right():
    pinned = HARDENED.replace("app:2.3.1", "app:latest@sha256:" + "a" * 64)
    assert production(pod(pinned)) == []
    assert production(pod(HARDENED.replace("registry.example/", "registry.local:5000/"))) == []
    untagged = HARDENED.replace("registry.example/app:2.3.1", "registry.local:5000/app")
    assert production(pod(untagged)) == ["latest-tag"]


def test_pod_level_resources_do_not_count_as_kube_linter_reads_only_containers():
    bare = HARDENED.replace(
        "  resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}\n", ""
    )
    assert production(pod(bare)) == ["unset-cpu-requirements", "unset-memory-requirements"]
    covered = "resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}\n"
    findings = [
        d
        for d in check(pod(covered + bare), profile="production").diagnostics
        if d.code.startswith("unset-")
    ]
    assert [d.code for d in findings] == ["unset-cpu-requirements", "unset-memory-requirements"]
    assert all("pod-level" in d.message for d in findings)


def test_only_names_with_secret_in_them_are_secrets():
    spec = pod(
        APP
        + "  env: [{name: MAX_INPUT_TOKENS, value: '2048'}, {name: DB_PASSWORD, value: hunter2}, "
        "{name: client_secret, value: s3cr3t}, {name: SECRET_REF, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n"
    )
    findings = [
        d for d in check(spec, profile="production").diagnostics if d.code == "env-var-secret"
    ]
    assert [d.line for d in findings] == [9]
    assert "client_secret" in findings[0].message
