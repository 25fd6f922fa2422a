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
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("app:2.3.1", "app"), "latest-tag"),
        (("app:2.3.1", "app:latest"), "latest-tag"),
        (("allowPrivilegeEscalation: false", "privileged: true"), "privileged-container"),
        (
            ("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
            "privilege-escalation-container",
        ),
        (("runAsNonRoot: true, runAsUser: 10001", "runAsUser: 0"), "run-as-non-root"),
        (("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"), "no-read-only-root-fs"),
        (("cpu: 100m, memory: 64Mi", "memory: 64Mi"), "unset-cpu-requirements"),
        ((", limits: {memory: 128Mi}", ""), "unset-memory-requirements"),
        (("containers:", "hostNetwork: true\ncontainers:"), "host-network"),
        (("containers:", "hostPID: true\ncontainers:"), "host-pid"),
        (("containers:", "hostIPC: true\ncontainers:"), "host-ipc"),
        (("  livenessProbe: {httpGet: {path: /live, port: 8080}}\n", ""), "no-liveness-probe"),
        (("  readinessProbe: {httpGet: {path: /ready, port: 8080}}\n", ""), "no-readiness-probe"),
        (("drop: [ALL]", "drop: [SYS_ADMIN]"), "drop-net-raw-capability"),
        (("  ports:", "  env: [{name: DB_PASSWORD, value: hunter2}]\n  ports:"), "env-var-secret"),
        (("containerPort: 8080", "containerPort: 80"), "privileged-ports"),
    ],
)
def test_each_lint(change, code):
    text = pod(HARDENED.replace(*change))
    assert text != pod(HARDENED)
    assert production(text) == [code]


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


def test_probe_lints_skip_jobs_and_plain_init_containers():
    job = pod(
        "template:\n  spec:\n    restartPolicy: Never\n" + "\n".join(
            "    " + line for line in HARDENED.replace("  livenessProbe: {httpGet: {path: /live, port: 8080}}\n", "").replace("  readinessProbe: {httpGet: {path: /ready, port: 8080}}\n", "").splitlines()
        ) + "\n",
        kind="Job", api="batch/v1",
    )  # fmt: skip
    assert "no-liveness-probe" not in production(job)
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


def test_pod_level_resources_cover_what_they_set():
    bare = HARDENED.replace(
        "  resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}\n", ""
    )
    assert production(pod(bare)) == ["unset-cpu-requirements", "unset-memory-requirements"]
    covered = "resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}\n"
    assert production(pod(covered + bare)) == []
    # An amount that cannot be read covers nothing.
    unreadable = covered.replace("cpu: 100m", "cpu: lots")
    assert production(pod(unreadable + bare)) == ["unset-cpu-requirements"]


def test_pod_level_resources_cover_the_containers_in_production():
    spec = pod("resources: {requests: {cpu: 500m, memory: 256Mi}, limits: {memory: 512Mi}}\n" + APP)
    codes = {
        d.code for d in check(spec, kubernetes_version="1.35", profile="production").diagnostics
    }
    assert not codes & {"unset-cpu-requirements", "unset-memory-requirements"}


def test_flags_named_like_secrets_are_not_secrets():
    spec = pod(
        APP
        + "  env: [{name: MYSQL_ALLOW_EMPTY_PASSWORD, value: '1'}, {name: DB_PASSWORD, value: hunter2}]\n"
    )
    findings = [
        d for d in check(spec, profile="production").diagnostics if d.code == "env-var-secret"
    ]
    assert [d.line for d in findings] == [9]
    assert "DB_PASSWORD" in findings[0].message
