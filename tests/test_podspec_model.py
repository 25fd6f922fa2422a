"""The model: roles, start and stop order, and effective requests as the scheduler computes them."""

import json
import subprocess
import sys
import textwrap
from fractions import Fraction

import pytest

from learn.podspec import check
from learn.podspec.cli import main
from learn.podspec.model import HandlerKind, ProbeKind, Role, Workload
from tests.support import APP, SIDECAR_POD, pod


def workload():
    report = check(SIDECAR_POD)
    assert report.ok, report.diagnostics
    (only,) = report.workloads
    return only


def test_roles_follow_start_order():
    pod = workload().pod
    assert [(c.name, c.role) for c in pod.containers] == [
        ("migrate", "init"),
        ("proxy", "sidecar"),
        ("warm-cache", "init"),
        ("web", "app"),
        ("shipper", "app"),
    ]


def test_startup_and_shutdown_order():
    pod = workload().pod
    assert pod.startup_order() == [["migrate"], ["proxy"], ["warm-cache"], ["web", "shipper"]]
    assert pod.shutdown_order() == [["web", "shipper"], ["proxy"]]


def test_effective_cpu_request_counts_sidecars_in_later_init_steps():
    # init 200m, sidecar 300m, init 400m, apps 200m: the peak is 400m + 300m = 700m, not 500m.
    assert workload().pod.effective_requests() == {"cpu": "700m", "memory": "384Mi"}


def test_mounts_volumes_and_ports():
    pod = workload().pod
    assert [(m.container, m.volume, m.mount_path, m.read_only) for m in pod.mounts] == [
        ("web", "logs", "/var/log/nginx", False),
        ("shipper", "logs", "/logs", True),
    ]
    assert [(v.name, v.type) for v in pod.volumes] == [("logs", "emptyDir")]
    assert [(p.container, p.number, p.name, p.protocol) for p in pod.ports] == [
        ("web", 8080, "http", "TCP")
    ]


def test_controllers_carry_replicas_and_schedules():
    cron = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: report:2.1}]
"""
    report = check(cron)
    assert report.ok, report.diagnostics
    (job,) = report.workloads
    assert (job.kind, job.schedule, job.pod.containers[0].name) == (
        "CronJob",
        "0 3 * * *",
        "report",
    )


def test_a_broken_spec_still_gets_a_model():
    broken = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")
    report = check(broken)
    assert [d.code for d in report.errors] == ["undefined-volume", "undefined-volume"]
    (only,) = report.workloads
    assert [m.defined for m in only.pod.mounts] == [False, False]


def test_cli_text_output_is_compiler_style(tmp_path, capsys):
    path = tmp_path / "pod.yaml"
    path.write_text(SIDECAR_POD.replace("    image: nginx:1.27", "    imagee: nginx:1.27"))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}:17:5: error[missing-field]: container `web` needs an `image`"
    first = out.index(
        f"{path}:18:5: error[unknown-field]: `imagee` is not a field of a container; "
        "did you mean `image`?"
    )
    assert out[first + 1] == "   18 |     imagee: nginx:1.27"
    assert out[first + 2] == "      |     ^^^^^^"  # exactly the key
    assert out[first + 3].startswith("      = hint: Rename it to `image`")
    assert out[-1].startswith(f"{path}: 2 errors, 0 warnings")


def test_cli_json_output(tmp_path, capsys):
    path = tmp_path / "pod.yaml"
    path.write_text(SIDECAR_POD)
    assert main(["check", "--format", "json", "--profile", "production", str(path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True
    assert {d["severity"] for d in payload["diagnostics"]} == {"warning"}
    assert {"file", "code", "severity", "message", "line", "column", "path", "hint"} <= set(
        payload["diagnostics"][0]
    )
    assert payload["objects"][0]["pod"]["effectiveRequests"] == {"cpu": "700m", "memory": "384Mi"}


def test_cli_reads_standard_input(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"kind: Pod\n")))
    assert main(["check", "-"]) == 1
    assert "-:1:1: error[missing-field]: the object needs `apiVersion`" in capsys.readouterr().out


def test_cli_misuse_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--kubernetes-version", "1.9", str(tmp_path)])
    assert exit_info.value.code == 2


# What a kubelet acts on, typed on the model with the API server's defaults
# (pkg/apis/core/v1/defaults.go, pkg/apis/batch/v1/defaults.go).


def pod_model(containers: str, spec: str = "", *, init: str = ""):
    """The pod model of a Pod with these containers (YAML list items) and extra spec lines."""
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec
    if init:
        text += "  initContainers:\n" + init
    text += "  containers:\n" + containers
    (only,) = check(text).workloads
    return only.pod


PROBED = """\
  - name: web
    image: web:1.0
    ports: [{containerPort: 8080, name: http}]
    livenessProbe:
      httpGet: {port: http}
      periodSeconds: 5
      failureThreshold: 0
      timeoutSeconds: ten
      terminationGracePeriodSeconds: 10
    readinessProbe:
      exec: {command: [cat, /ready]}
      successThreshold: 2
      initialDelaySeconds: 3
"""


def test_probe_timings_keep_written_values_and_default_the_rest():
    web = pod_model(PROBED).container("web")
    liveness = web.probe("liveness")
    assert (
        liveness.period_seconds,
        liveness.failure_threshold,  # 0 is defaulted, as the API server does
        liveness.timeout_seconds,  # a wrong type is skipped, not a crash
        liveness.success_threshold,
        liveness.initial_delay_seconds,
        liveness.termination_grace_period_seconds,
    ) == (5, 3, 1, 1, 0, 10)
    assert liveness.written == {"periodSeconds"}
    assert liveness.budget_seconds == 15
    readiness = web.probe(ProbeKind.READINESS)
    assert (readiness.success_threshold, readiness.initial_delay_seconds) == (2, 3)
    assert readiness.period_seconds == 10
    assert web.probe("startup") is None
    assert [p.kind for p in web.probes] == ["liveness", "readiness"]


def test_probe_handlers_are_typed_with_http_defaults():
    web = pod_model(PROBED).container("web")
    http = web.probe("liveness").handler
    assert (http.kind, http.port, http.path, http.scheme) == (
        HandlerKind.HTTP_GET,
        "http",
        "/",
        "HTTP",
    )
    assert web.probe("readiness").handler.command == ("cat", "/ready")
    other = pod_model("""\
  - name: db
    image: db:1.0
    startupProbe: {tcpSocket: {port: 5432}}
    livenessProbe: {grpc: {port: 9090, service: health}}
    readinessProbe: {httpGet: {path: /ok, port: 80, scheme: HTTPS, host: 10.0.0.1}}
""").container("db")
    tcp, grpc, https = (p.handler for p in other.probes)
    assert (tcp.kind, tcp.port) == ("tcpSocket", 5432)
    assert (grpc.kind, grpc.port, grpc.service) == ("grpc", 9090, "health")
    assert (https.path, https.port, https.scheme, https.host) == ("/ok", 80, "HTTPS", "10.0.0.1")


def test_a_sidecar_has_a_startup_probe_the_next_step_waits_for():
    pod = pod_model(
        "  - {name: app, image: app:1.0}\n",
        init="  - name: proxy\n    image: envoy:1.31\n    restartPolicy: Always\n"
        "    startupProbe: {tcpSocket: {port: 15000}, periodSeconds: 2, failureThreshold: 30}\n",
    )
    proxy = pod.container("proxy")
    assert proxy.role is Role.SIDECAR
    assert proxy.probe("startup").budget_seconds == 60
    assert pod.startup_order() == [["proxy"], ["app"]]


def test_lifecycle_hooks_and_stop_signal():
    pod = pod_model("""\
  - name: web
    image: nginx:1.27
    lifecycle:
      postStart: {exec: {command: [sh, -c, warm-up]}}
      preStop: {sleep: {seconds: 5}}
      stopSignal: SIGQUIT
  - name: plain
    image: nginx:1.27
    lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}, stopSignal: 9}
""")
    web, plain = pod.containers
    assert web.lifecycle.post_start.command == ("sh", "-c", "warm-up")
    assert (web.lifecycle.pre_stop.kind, web.lifecycle.pre_stop.seconds) == ("sleep", 5)
    assert web.lifecycle.stop_signal == "SIGQUIT"
    assert plain.lifecycle.post_start is None
    assert plain.lifecycle.pre_stop.path == "/drain"
    assert plain.lifecycle.stop_signal is None  # not a signal name: skipped
    assert pod_model(APP_ONLY).container("app").lifecycle is None


APP_ONLY = "  - {name: app, image: app:1.0}\n"


def test_command_args_env_and_restart_rules():
    pod = pod_model("""\
  - name: job
    image: busybox:1.36
    command: [sh, -c]
    args: ["sleep 5", 7]
    env: [{name: MODE, value: x}, {value: nameless}, {name: LEVEL}]
    restartPolicy: Never
    restartPolicyRules:
    - action: Restart
      exitCodes: {operator: In, values: [42, "x", 43]}
""")
    job = pod.container("job")
    assert (job.command, job.args) == (("sh", "-c"), ("sleep 5", "7"))
    assert job.env == ("MODE", "LEVEL")
    assert job.restart_policy == "Never"
    (rule,) = job.restart_policy_rules
    assert (rule.action, rule.operator, rule.exit_codes) == ("Restart", "In", (42, 43))
    app = pod_model(APP_ONLY).container("app")
    # Unset is not empty: the image's own entrypoint runs.
    assert (app.command, app.args, app.env, app.restart_policy) == (None, None, (), None)


@pytest.mark.parametrize(
    ("image", "written", "policy"),
    [
        ("nginx:1.27", "", "IfNotPresent"),
        ("nginx", "", "Always"),  # no tag means :latest
        ("nginx:latest", "", "Always"),
        ("registry.local:5000/nginx", "", "Always"),  # a registry port is not a tag
        (f"nginx@sha256:{'a' * 64}", "", "IfNotPresent"),
        ("nginx:latest", "imagePullPolicy: Never", "Never"),
    ],
)
def test_image_pull_policy_is_defaulted_from_the_tag(image, written, policy):
    containers = f"  - name: app\n    image: {image}\n" + (f"    {written}\n" if written else "")
    assert pod_model(containers).container("app").image_pull_policy == policy


def test_pod_lifecycle_fields_and_their_defaults():
    pod = pod_model(
        APP_ONLY,
        "  terminationGracePeriodSeconds: 0\n  activeDeadlineSeconds: 600\n"
        "  nodeName: node-1\n  priorityClassName: high\n"
        "  resources: {requests: {cpu: 500m}, limits: {memory: 1Gi, cpu: lots}}\n",
    )
    assert pod.termination_grace_period_seconds == 0  # 0 is written: stop at once
    assert (pod.active_deadline_seconds, pod.node_name, pod.priority_class_name) == (
        600,
        "node-1",
        "high",
    )
    assert pod.requests == {"cpu": Fraction(1, 2)}
    assert pod.limits == {"memory": 2**30}  # an unreadable quantity is skipped
    assert pod.written == {"terminationGracePeriodSeconds"}
    silent = pod_model(APP_ONLY, "  terminationGracePeriodSeconds: soon\n")
    assert silent.termination_grace_period_seconds == 30
    assert (silent.restart_policy, silent.written) == ("Always", set())
    assert (silent.active_deadline_seconds, silent.node_name, silent.requests) == (None, None, {})


def job(spec: str, kind: str = "Job") -> Workload:
    """The workload of a Job (or CronJob) with these lines in its Job spec."""
    template = "template:\n  spec:\n    restartPolicy: Never\n    containers: [{name: run, image: run:1.0}]\n"
    body = textwrap.indent(spec + template, "  ")
    if kind == "CronJob":
        body = '  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n' + textwrap.indent(
            body, "    "
        )
    (only,) = check(
        f"apiVersion: batch/v1\nkind: {kind}\nmetadata: {{name: j}}\nspec:\n{body}"
    ).workloads
    return only


def test_job_defaults_as_the_api_server_sets_them():
    spec = job("").job
    assert (spec.completions, spec.parallelism, spec.backoff_limit) == (1, 1, 6)
    assert (spec.completion_mode, spec.suspend, spec.has_pod_failure_policy) == (
        "NonIndexed",
        False,
        False,
    )
    assert (spec.active_deadline_seconds, spec.written) == (None, set())
    assert job("").completions is None  # the diagram's title shows only written completions


def test_job_written_values_and_the_defaults_that_depend_on_them():
    # With parallelism alone, completions stay unset: the Job is done when any pod succeeds.
    queue = job("parallelism: 3\n").job
    assert (queue.completions, queue.parallelism) == (None, 3)
    spec = job(
        "completions: 5\nbackoffLimit: 2\nactiveDeadlineSeconds: 100\n"
        "podFailurePolicy: {rules: []}\nsuspend: true\n"
    ).job
    assert (spec.completions, spec.parallelism, spec.backoff_limit) == (5, 1, 2)
    assert (spec.active_deadline_seconds, spec.has_pod_failure_policy, spec.suspend) == (
        100,
        True,
        True,
    )
    per_index = job("completions: 3\ncompletionMode: Indexed\nbackoffLimitPerIndex: 1\n").job
    assert (per_index.backoff_limit, per_index.completion_mode) == (2**31 - 1, "Indexed")
    assert per_index.written == {"completions", "completionMode", "backoffLimitPerIndex"}
    assert job("completions: many\n").job.completions == 1  # a wrong type is skipped


def test_cronjob_concurrency_and_its_job_template():
    cron = job("backoffLimit: 1\n", kind="CronJob")
    assert (cron.schedule, cron.concurrency_policy, cron.job.backoff_limit) == (
        "*/5 * * * *",
        "Allow",
        1,
    )
    assert cron.job.completions == 1
    assert (workload().job, workload().concurrency_policy) == (None, None)


def test_cli_model_json_has_the_lifecycle_facts(tmp_path, capsys):
    path = tmp_path / "pod.yaml"
    probe = "    livenessProbe: {httpGet: {port: http}, periodSeconds: 5, failureThreshold: 2}\n"
    image = "    image: nginx:1.27\n"
    path.write_text(SIDECAR_POD.replace(image, image + probe))
    assert main(["check", "--format", "json", str(path)]) == 0
    (obj,) = json.loads(capsys.readouterr().out)["objects"]
    pod = obj["pod"]
    web = next(c for c in pod["containers"] if c["name"] == "web")
    assert (pod["terminationGracePeriodSeconds"], pod["restartPolicy"]) == (30, "Always")
    assert pod["defaulted"] == ["restartPolicy", "terminationGracePeriodSeconds"]
    assert (web["imagePullPolicy"], web["defaulted"]) == ("IfNotPresent", ["imagePullPolicy"])
    assert web["command"] is None
    liveness = web["probes"][0]
    assert liveness["probe"] == "livenessProbe"
    assert liveness["handler"] == {"type": "httpGet", "path": "/", "port": "http", "scheme": "HTTP"}
    assert liveness["defaulted"] == ["initialDelaySeconds", "successThreshold", "timeoutSeconds"]
    assert obj["job"] is None


def test_security_settings_are_typed_and_unset_is_not_false():
    pod = pod_model(
        """\
  - name: app
    image: app:1.0
    securityContext:
      privileged: false
      allowPrivilegeEscalation: "no"
      runAsUser: 0
      runAsGroup: 0
""",
        "  hostPID: true\n  securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 3000}\n",
    )
    security = pod.container("app").security
    assert (security.privileged, security.allow_privilege_escalation) == (False, None)
    assert (security.run_as_user, security.run_as_non_root) == (0, None)
    assert (security.run_as_group, pod.security.run_as_group) == (0, 3000)
    assert (pod.security.run_as_non_root, pod.security.run_as_user) == (True, 1000)
    assert (pod.host_pid, pod.host_ipc, pod.host_network) == (True, False, False)


def test_cli_stops_quietly_when_its_reader_goes_away(tmp_path):
    # Enough problems that the JSON outgrows a pipe's buffer, then a reader that reads one line.
    spec = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
    spec += "".join(f"  - {{name: c{i}, image: nginx:1.27, bogus: 1}}\n" for i in range(400))
    path = tmp_path / "pod.yaml"
    path.write_text(spec)
    command = [sys.executable, "-m", "learn.podspec", "check", "--format", "json", str(path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as cli:
        assert cli.stdout.readline() == b"{\n"
        cli.stdout.close()
        errors = cli.stderr.read().decode()
    assert cli.returncode == 141
    assert errors == ""  # no traceback


def test_a_volume_with_only_a_name_is_an_emptydir():
    (workload,) = check(
        pod(APP + "  volumeMounts: [{name: v, mountPath: /v}]\nvolumes: [{name: v}]\n")
    ).workloads
    assert workload.pod.volumes[0].type == "emptyDir"
