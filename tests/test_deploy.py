"""The Containerfile and the Kubernetes manifests in deploy/, checked by the site's own engine."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from learn.podspec import check, schema
from learn.podspec.model import WORKLOAD_KINDS

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
MANIFESTS = sorted(DEPLOY.rglob("*.yaml"))
# Variables in the ConfigMap and Secret that another program reads, not learn/settings.py.
READ_ELSEWHERE = {"DATABASE_URL": "dj-database-url", "WEB_CONCURRENCY": "gunicorn"}


def documents() -> list[dict]:
    """Every object in deploy/, in file order."""
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]


def pod_spec(obj: dict) -> dict:
    """The pod template's spec of a workload object."""
    node = obj
    for key in WORKLOAD_KINDS[obj["kind"]][1].split("."):
        node = node[key]
    return node


def workloads(kind: str | None = None) -> list[dict]:
    return [
        doc for doc in documents() if doc["kind"] in WORKLOAD_KINDS and kind in (None, doc["kind"])
    ]


def findings(version: str) -> dict[str, str]:
    """`file code path` -> message for every error and warning in the production profile."""
    found = {}
    for path in MANIFESTS:
        report = check(path.read_text(), kubernetes_version=version, profile="production")
        for d in report.errors + report.warnings:
            found[f"{path.relative_to(DEPLOY)} {d.code} {d.path}"] = f"{d.line}: {d.message}"
    return found


def allowed_findings() -> list[tuple[str, str]]:
    """(`file code path`, reason) for each line of deploy/ALLOWED_FINDINGS."""
    entries = []
    for line in (DEPLOY / "ALLOWED_FINDINGS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            finding, _, reason = line.partition("|")
            entries.append((" ".join(finding.split()), reason.strip()))
    return entries


def test_manifests_pass_the_engine_in_the_production_profile():
    allowed = {finding for finding, _ in allowed_findings()}
    assert len(MANIFESTS) >= 10
    for version in schema.VERSIONS:
        unexpected = {k: v for k, v in findings(version).items() if k not in allowed}
        assert not unexpected, f"Kubernetes {version}: {unexpected}"


def test_every_allowed_finding_has_a_reason_and_still_occurs():
    found = findings(schema.DEFAULT_VERSION)
    for finding, reason in allowed_findings():
        assert len(finding.split()) == 3, f"want `FILE CODE PATH | reason`: {finding}"
        assert reason, f"no reason given for {finding}"
        assert finding in found, f"no longer found, remove it: {finding}"


@pytest.mark.django_db
def test_probes_ask_paths_the_site_answers_to_a_kubelet(client):
    bind = re.search(r'"--bind", "0\.0\.0\.0:(\d+)"', (ROOT / "Containerfile").read_text())
    (deployment,) = workloads("Deployment")
    (container,) = pod_spec(deployment)["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container[kind]["httpGet"]
        assert ports[probe["port"]] == int(bind[1]), f"{kind} asks a port gunicorn is not on"
        # As a kubelet asks: the pod's IP as the host, plain HTTP.
        response = client.get(probe["path"], HTTP_HOST=f"10.1.2.3:{bind[1]}")
        assert response.status_code == 200, f"{kind} {probe['path']}: {response.content!r}"


def test_jobs_run_existing_commands_on_the_deployments_image():
    (deployment,) = workloads("Deployment")
    site_image = pod_spec(deployment)["containers"][0]["image"]
    commands = get_commands()
    for obj in workloads():
        if obj["kind"] in ("Job", "CronJob"):
            (container,) = pod_spec(obj)["containers"]
            assert container["image"] == site_image, obj["metadata"]["name"]
            script = " ".join(container["command"])
            for name in re.findall(r"manage\.py (\w+)", script):
                assert name in commands, f"{obj['metadata']['name']}: no command {name}"


def manifest_environment() -> dict[str, str]:
    """The ConfigMap's and the example Secret's variables, as the site's pods get them."""
    (deployment,) = workloads("Deployment")
    sources = {
        next(iter(source.values()))["name"]
        for source in pod_spec(deployment)["containers"][0]["envFrom"]
    }
    env = {}
    for doc in documents():
        if doc["kind"] in ("ConfigMap", "Secret") and doc["metadata"]["name"] in sources:
            env.update(doc.get("data", {}), **doc.get("stringData", {}))
    return env


def test_configmap_and_secret_set_only_variables_that_are_read():
    settings = (ROOT / "learn" / "settings.py").read_text()
    names = set(manifest_environment())
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"} <= names
    for name in names:
        assert name in READ_ELSEWHERE or f'"{name}"' in settings, f"{name} is read by nothing"


def test_manifests_environment_passes_check_deploy(tmp_path):
    env = manifest_environment()
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)  # what the Secret's comment makes
    # No collected static files, as in a fresh checkout: the checks (content among them) need none.
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "not-collected")
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**inherited, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
