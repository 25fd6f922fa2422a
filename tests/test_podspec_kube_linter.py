"""Conformance with kube-linter: each lint named after one of its checks fires where it fires.

The cases are those of kube-linter's templates (pkg/templates/*) and its fixtures
(tests/checks/*.yml) that apply to a pod spec, written here as our own small specs. Each runs as a
Pod, a Deployment and a CronJob (kube-linter's DeploymentLike kinds read the same pod spec), and
asserts the lines the code is reported on, counted within the pod spec (1 is its first line).
"""

import textwrap

import pytest

from learn.podspec import check

# Each kind's manifest up to its pod spec, and how deep that spec is indented.
KINDS = {
    "Pod": ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n", 2),
    "Deployment": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n",
        6,
    ),
    "CronJob": (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: web}\nspec:\n"
        "  schedule: '*/5 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          restartPolicy: OnFailure\n",
        10,
    ),
}
OTHER_KINDS = {
    "StatefulSet": (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n"
        "  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n",
        6,
    ),
    "DaemonSet": (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n",
        6,
    ),
    "ReplicaSet": (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n",
        6,
    ),
    "Job": (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n",
        6,
    ),
}


def lines(code: str, body: str, kind: str = "Pod") -> list[int]:
    """The lines, within the pod spec `body`, that `code` is reported on for this kind."""
    head, indent = (KINDS | OTHER_KINDS)[kind]
    spec = textwrap.dedent(body)
    text = head + textwrap.indent(spec, " " * indent)
    before = head.count("\n")
    report = check(text, profile="production")
    return sorted(d.line - before for d in report.diagnostics if d.code == code)


APP = "containers:\n- name: app\n  image: app:1.0\n"
SECURITY = APP + "  securityContext:\n"

CASES = [
    # drop-net-raw-capability (verify-container-capabilities, forbiddenCapabilities [NET_RAW]).
    ("drop-net-raw-capability", APP, []),
    ("drop-net-raw-capability", SECURITY + "    capabilities:\n", []),
    ("drop-net-raw-capability", SECURITY + "    capabilities: {}\n", [5]),
    ("drop-net-raw-capability", SECURITY + "    capabilities:\n      add: [NET_RAW]\n", [5, 6]),
    ("drop-net-raw-capability", SECURITY + "    capabilities: {drop: [ALL]}\n", []),
    ("drop-net-raw-capability", SECURITY + "    capabilities: {drop: [all]}\n", []),
    ("drop-net-raw-capability", SECURITY + "    capabilities: {drop: [NET_RAW]}\n", []),
    ("drop-net-raw-capability", SECURITY + "    capabilities: {drop: [CAP_NET_RAW]}\n", []),
    ("drop-net-raw-capability", SECURITY + "    capabilities:\n      drop: [net_raw]\n", [6]),
    ("drop-net-raw-capability", SECURITY + "    capabilities:\n      drop: [SYS_ADMIN]\n", [6]),
    (
        "drop-net-raw-capability",
        SECURITY + "    capabilities:\n      drop: [ALL]\n      add:\n      - CHOWN\n      - ALL\n",
        [9],
    ),
    (
        "drop-net-raw-capability",
        "initContainers:\n- name: setup\n  image: app:1.0\n"
        "  securityContext: {capabilities: {drop: [CHOWN]}}\n" + APP,
        [4],
    ),
    # run-as-non-root: the container's settings over the pod's; root's group is flagged too.
    ("run-as-non-root", APP, [2]),
    ("run-as-non-root", "securityContext: {runAsUser: 1000}\n" + APP, []),
    ("run-as-non-root", "securityContext: {runAsNonRoot: true}\n" + APP, []),
    (
        "run-as-non-root",
        "securityContext: {runAsNonRoot: true}\n" + SECURITY + "    runAsNonRoot: false\n",
        [3],
    ),
    ("run-as-non-root", SECURITY + "    runAsNonRoot: true\n    runAsUser: 0\n", [2]),
    ("run-as-non-root", SECURITY + "    runAsUser: 0\n", [2]),
    ("run-as-non-root", "securityContext:\n  runAsUser: 1000\n  runAsGroup: 0\n" + APP, [3]),
    # Only an explicit group 0 counts: kube-linter PR #1178 (merged 2026-05, fixes #748) "only
    # reports an explicit root group value, so workloads that omit runAsGroup keep the existing
    # behavior"; the stored template that also flags an unset group (06385c54) is PR #804's
    # unmerged branch, and released versions before #1178 do not read runAsGroup at all.
    ("run-as-non-root", "securityContext: {runAsUser: 1000, runAsNonRoot: true}\n" + APP, []),
    (
        "run-as-non-root",
        "securityContext: {runAsUser: 1000, runAsGroup: 0}\n" + SECURITY + "    runAsGroup: 1000\n",
        [],
    ),
    (
        "run-as-non-root",
        "securityContext: {runAsUser: 1000}\n" + APP.replace("containers", "initContainers") + APP,
        [],
    ),
    (
        "run-as-non-root",
        "initContainers:\n- name: setup\n  image: app:1.0\n"
        "securityContext: {runAsNonRoot: true}\n" + SECURITY + "    runAsNonRoot: false\n",
        [6],
    ),
    # sensitive-host-mounts (host-mounts, dirs ^/$ ^/boot$ ^/dev$ ^/etc$ ^/lib$ ^/proc$ ^/sys$ ^/usr$).
    *(
        (
            "sensitive-host-mounts",
            APP
            + "  volumeMounts: [{name: host, mountPath: /host}]\n"
            + f"volumes: [{{name: host, hostPath: {{path: {path}}}}}]\n",
            expected,
        )
        for path, expected in [
            ("/etc", [4]),
            ("/", [4]),
            ("/proc", [4]),
            ("/etc/ssl", []),
            ("/etc/", []),
            ("/var/run", []),
            ("/data", []),
        ]
    ),
    (
        "sensitive-host-mounts",
        APP + "volumes: [{name: host, hostPath: {path: /etc}}]\n",
        [],
    ),
    (
        "sensitive-host-mounts",
        APP
        + "  volumeMounts: [{name: host, mountPath: /host}]\n"
        + "- name: agent\n  image: agent:1.0\n"
        + "  volumeMounts:\n  - {name: host, mountPath: /etc/host}\n"
        + "volumes: [{name: host, hostPath: {path: /sys}}]\n",
        [4, 8],
    ),
    # docker-sock (host-mounts, dirs [docker.sock$]).
    *(
        (
            "docker-sock",
            APP
            + "  volumeMounts: [{name: sock, mountPath: /sock}]\n"
            + f"volumes: [{{name: sock, hostPath: {{path: {path}}}}}]\n",
            expected,
        )
        for path, expected in [
            ("/var/run/docker.sock", [4]),
            ("/run/docker.sock", [4]),
            ("/run/user/1000/docker.sock", [4]),
            ("/var/run/thing.sock", []),
            ("/var/run/docker.sock.bak", []),
            ("/var/run", []),
        ]
    ),
    ("docker-sock", APP + "volumes: [{name: s, hostPath: {path: /var/run/docker.sock}}]\n", []),
    # env-var-secret (env-var, name (?i).*secret.*, value .+).
    *(
        ("env-var-secret", APP + f"  env:\n  - name: {name}\n    value: {value}\n", expected)
        for name, value, expected in [
            ("SECRET_BLAH", "secretsquirrels", [6]),
            ("client_secret", "s3cr3t", [6]),
            ("BLAH", "secretsquirrels", []),
            ("MAX_INPUT_TOKENS", "'2048'", []),
            ("DB_PASSWORD", "hunter2", []),
            ("SECRET_NAME", "''", []),
            # kube-linter reads only the name and that a value is written, so a path counts.
            ("SECRET_FILE", "/run/secrets/key", [6]),
        ]
    ),
    (
        "env-var-secret",
        APP + "  env:\n  - name: API_SECRET\n    valueFrom: {secretKeyRef: {name: s, key: k}}\n",
        [],
    ),
    # no-liveness-probe / no-readiness-probe: regular containers only, in every kind.
    ("no-liveness-probe", APP, [2]),
    ("no-liveness-probe", APP + "  livenessProbe: {exec: {command: [cat, /tmp/ok]}}\n", []),
    ("no-readiness-probe", APP, [2]),
    ("no-readiness-probe", APP + "  readinessProbe: {tcpSocket: {port: 8080}}\n", []),
    *(
        (
            code,
            "initContainers:\n- name: setup\n  image: app:1.0\n"
            "- name: proxy\n  image: proxy:1.0\n  restartPolicy: Always\n"
            + APP
            + "  livenessProbe: {exec: {command: [cat, /tmp/ok]}}\n"
            + "  readinessProbe: {tcpSocket: {port: 8080}}\n",
            [],
        )
        for code in ("no-liveness-probe", "no-readiness-probe")
    ),
    # privilege-escalation-container: allowPrivilegeEscalation, privileged or SYS_ADMIN added.
    ("privilege-escalation-container", APP, []),
    ("privilege-escalation-container", SECURITY + "    allowPrivilegeEscalation: false\n", []),
    ("privilege-escalation-container", SECURITY + "    allowPrivilegeEscalation: true\n", [5]),
    ("privilege-escalation-container", SECURITY + "    privileged: true\n", [5]),
    (
        "privilege-escalation-container",
        SECURITY + "    capabilities:\n      add:\n      - SYS_ADMIN\n",
        [7],
    ),
    ("privilege-escalation-container", SECURITY + "    capabilities: {add: [sys_admin]}\n", []),
    # privileged-container.
    ("privileged-container", SECURITY + "    privileged: true\n", [5]),
    ("privileged-container", SECURITY + "    privileged: false\n", []),
    # unset-cpu-requirements (cpu-requirements, request, 0 to 0 millicores).
    ("unset-cpu-requirements", APP, [2]),
    ("unset-cpu-requirements", APP + "  resources: {requests: {cpu: 100m}}\n", []),
    # An explicit zero is reported where it is written.
    ("unset-cpu-requirements", APP + "  resources: {requests: {cpu: '0'}}\n", [4]),
    ("unset-cpu-requirements", APP + "  resources:\n    requests: {cpu: 0m}\n", [5]),
    ("unset-cpu-requirements", APP + "  resources: {limits: {cpu: 500m}}\n", [2]),
    # ValueInRange(value, 0, 0): a negative amount is below the range, so it is not flagged.
    ("unset-cpu-requirements", APP + "  resources: {requests: {cpu: '-1'}}\n", []),
    (
        "unset-cpu-requirements",
        "initContainers:\n- name: setup\n  image: app:1.0\n"
        + APP
        + "  resources: {requests: {cpu: 100m}}\n",
        [2],
    ),
    # unset-memory-requirements (memory-requirements, limit, 0 to 0 MB).
    ("unset-memory-requirements", APP, [2]),
    ("unset-memory-requirements", APP + "  resources: {limits: {memory: 128Mi}}\n", []),
    ("unset-memory-requirements", APP + "  resources: {requests: {memory: 128Mi}}\n", [2]),
    ("unset-memory-requirements", APP + "  resources: {limits: {memory: -1Mi}}\n", []),
    (
        "unset-memory-requirements",
        APP + "  resources: {requests: {memory: '0'}, limits: {memory: '0'}}\n",
        [4],
    ),
    # latest-tag (blockList .*:(latest)$, ^[^:]*$, (.*/[^:]+)$).
    *(
        ("latest-tag", f"containers:\n- name: app\n  image: {image}\n", expected)
        for image, expected in [
            ("nginx", [3]),
            ("nginx:latest", [3]),
            ("registry.local:5000/app", [3]),
            ("registry.local:5000/app:latest", [3]),
            ("nginx:1.27", []),
            ("registry.local:5000/app:2.1", []),
            ("nginx@sha256:" + "a" * 64, []),
        ]
    ),
    ("latest-tag", "initContainers:\n- name: setup\n  image: busybox\n" + APP, [3]),
    # no-read-only-root-fs (read-only-root-fs).
    ("no-read-only-root-fs", APP, [2]),
    ("no-read-only-root-fs", SECURITY + "    readOnlyRootFilesystem: false\n", [2]),
    ("no-read-only-root-fs", SECURITY + "    readOnlyRootFilesystem: true\n", []),
    # privileged-ports: any containerPort from 1 to 1023, init containers included.
    ("privileged-ports", APP + "  ports: [{containerPort: 80}]\n", [4]),
    ("privileged-ports", APP + "  ports: [{containerPort: 1023}]\n", [4]),
    ("privileged-ports", APP + "  ports: [{containerPort: 1024}]\n", []),
    # host-network / host-pid / host-ipc.
    ("host-network", "hostNetwork: true\n" + APP, [1]),
    ("host-network", "hostNetwork: false\n" + APP, []),
    ("host-pid", "hostPID: true\n" + APP, [1]),
    ("host-ipc", "hostIPC: true\n" + APP, [1]),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("code", "body", "expected"), CASES)
def test_each_lint_fires_where_kube_linter_fires(code, body, expected, kind):
    assert lines(code, body, kind) == expected


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_every_workload_kind_is_linted_the_same(kind):
    body = SECURITY + "    capabilities: {add: [NET_RAW]}\n"
    assert lines("drop-net-raw-capability", body, kind) == [5, 5]
    assert lines("no-liveness-probe", APP, kind) == [2]


def test_a_sidecar_without_readiness_probe_gets_our_own_code_not_kube_linter_s():
    sidecar = "initContainers:\n- name: proxy\n  image: proxy:1.0\n  restartPolicy: Always\n" + APP
    assert lines("no-readiness-probe", sidecar) == [6]  # the app container only
    assert lines("no-sidecar-readiness-probe", sidecar) == [2]
    with_probe = sidecar.replace(
        "Always\n", "Always\n  readinessProbe: {tcpSocket: {port: 15021}}\n"
    )
    assert lines("no-sidecar-readiness-probe", with_probe) == []


def test_messages_say_which_rule_of_the_check_is_broken():
    report = check(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
        "  securityContext: {runAsNonRoot: true, runAsGroup: 0}\n"
        "  containers:\n  - name: app\n    image: app:1.0\n"
        "    securityContext: {runAsUser: 0}\n",
        profile="production",
    )
    messages = [d.message for d in report.diagnostics if d.code == "run-as-non-root"]
    assert len(messages) == 2
    assert "group 0" in messages[0]
    assert "runAsUser 0" in messages[1]
    assert "refuse" in messages[1]


def test_host_mounts_read_the_volumes_as_written_even_where_a_claim_replaces_one():
    # kube-linter's host-mounts template reads podSpec.volumes; it does not know that the
    # StatefulSet controller replaces the `data` hostPath volume with the claim of its name.
    body = (
        APP
        + "  volumeMounts: [{name: data, mountPath: /data}]\n"
        + "volumes: [{name: data, hostPath: {path: /etc}}]\n"
    )
    claim = "  volumeClaimTemplates: [{metadata: {name: data}, spec: {}}]\n"
    head, indent = OTHER_KINDS["StatefulSet"]
    text = head + textwrap.indent(body, " " * indent) + claim
    report = check(text, profile="production")
    assert [d.line for d in report.diagnostics if d.code == "sensitive-host-mounts"] == [13]
