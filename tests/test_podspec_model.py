"""The model: roles, start and stop order, and effective requests as the scheduler computes them."""

import json

import pytest

from learn.podspec import check
from learn.podspec.cli import main
from tests.support import APP, SIDECAR_POD, pod


def workload():
    report = check(SIDECAR_POD)
    assert report.ok, report.diagnostics
    (only,) = report.objects
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
    (job,) = report.objects
    assert (job.kind, job.schedule, job.pod.containers[0].name) == (
        "CronJob",
        "0 3 * * *",
        "report",
    )


def test_a_broken_spec_still_gets_a_model():
    broken = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")
    report = check(broken)
    assert [d.code for d in report.errors] == ["undefined-volume", "undefined-volume"]
    (only,) = report.objects
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
    assert out[first + 2] == "      |     ^"
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


def test_a_volume_with_only_a_name_is_an_emptydir():
    (workload,) = check(
        pod(APP + "  volumeMounts: [{name: v, mountPath: /v}]\nvolumes: [{name: v}]\n")
    ).objects
    assert workload.pod.volumes[0].type == "emptyDir"
