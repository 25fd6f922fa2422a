"""The pipeline: profiles choose workload stages from data, and a new stage plugs in after the model."""

from collections.abc import Iterator

import pytest

from learn.podspec import PROFILES, Diagnostic, check, pipeline
from learn.podspec.context import Context
from learn.podspec.lint import LINT_CODES
from learn.podspec.model import Workload
from learn.podspec.source import Mapping, parse

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
"""
CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1.0
"""


def codes(text: str, profile: str) -> set[str]:
    return {d.code for d in check(text, profile=profile).diagnostics}


def test_the_public_profiles_are_the_pipelines():
    assert PROFILES == ("learning", "production")
    assert tuple(pipeline.PROFILES) == PROFILES


def test_learning_runs_the_rules_but_not_the_linter():
    found = codes(POD.replace("  name: web", "  name: Web"), "learning")
    assert "invalid-name" in found
    assert not found & set(LINT_CODES)
    assert "latest-tag" in codes(POD, "production")


def test_production_adds_lint_findings_to_the_same_rules():
    learning = check(POD, profile="learning").diagnostics
    production = check(POD, profile="production").diagnostics
    assert set(learning) <= set(production)
    assert {d.code for d in production} - {d.code for d in learning} <= set(LINT_CODES)


def test_an_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="learning, production"):
        check(POD, profile="strict")


def test_report_workloads_are_the_modelled_objects_in_document_order():
    report = check(f"{DEPLOYMENT}---\n{CONFIG_MAP}---\n{POD}")
    assert all(isinstance(w, Workload) for w in report.workloads)
    assert [(w.kind, w.name, w.document) for w in report.workloads] == [
        ("Deployment", "api", 0),
        ("Pod", "web", 2),
    ]


def test_a_new_stage_plugs_in_after_the_model(monkeypatch):
    seen: list[Context] = []

    def simulate(ctx: Context) -> Iterator[Diagnostic]:
        seen.append(ctx)
        yield ctx.warning(
            "slow-start", ctx.pod.containers[0].node, "spec.containers[0]", "starts slowly"
        )

    monkeypatch.setitem(pipeline.WORKLOAD_STAGES, "simulate", simulate)
    monkeypatch.setitem(
        pipeline.PROFILES, "lifecycle", pipeline.Profile("lifecycle", ("rules", "simulate"))
    )
    report = check(f"{CONFIG_MAP}---\n{DEPLOYMENT}", profile="lifecycle")
    assert [ctx.workload for ctx in seen] == report.workloads  # the ConfigMap has no model
    assert seen[0].version == tuple(int(part) for part in report.kubernetes_version.split("."))
    assert seen[0].document == 1
    (slow,) = [d for d in report.diagnostics if d.code == "slow-start"]
    assert (slow.line, slow.end_line, slow.document) == (20, 21, 1)  # the container's mapping
    assert "slow-start" not in codes(DEPLOYMENT, "production")


def test_a_finding_without_a_node_points_at_the_object_by_its_first_key():
    report = check(POD)
    root = parse(POD)[0][0].root
    assert isinstance(root, Mapping)
    ctx = Context(report.workloads[0], root, (1, 35), 0)
    finding = ctx.error("x", None, "", "about the object")
    # `apiVersion`, not lines 1 to 8: an editor would otherwise underline the whole document.
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 1, 1, 11)
    assert ctx.pod is report.workloads[0].pod
