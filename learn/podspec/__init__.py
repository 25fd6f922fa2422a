"""learn.podspec: check Kubernetes pod specs like the API server and the best linters, model the
pods they describe, draw them, and simulate their lifecycle. Plain Python, no Django.

    >>> report = check(text, kubernetes_version="1.35", profile="learning")
    >>> report.ok, report.sorted(), report.workloads
    >>> timeline = simulate(report, parse_scenario("delete_at: 30"))
    >>> timeline.rows, timeline.events, timeline.outcome
"""

from learn.podspec.check import PROFILES, check
from learn.podspec.diagnostics import Diagnostic, Report, Severity
from learn.podspec.kubelet import NotRunnable, simulate
from learn.podspec.scenario import Scenario, ScenarioError, parse_scenario
from learn.podspec.schema import DEFAULT_VERSION, VERSIONS
from learn.podspec.timeline import Timeline

__all__ = [
    "DEFAULT_VERSION",
    "PROFILES",
    "VERSIONS",
    "Diagnostic",
    "NotRunnable",
    "Report",
    "Scenario",
    "ScenarioError",
    "Severity",
    "Timeline",
    "check",
    "parse_scenario",
    "simulate",
]
