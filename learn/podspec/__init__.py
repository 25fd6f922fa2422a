"""learn.podspec: check Kubernetes pod specs like the API server and the best linters, model the
pods they describe, and draw them. Plain Python, no Django.

    >>> report = check(text, kubernetes_version="1.35", profile="learning")
    >>> report.ok, report.sorted(), report.workloads
"""

from learn.podspec.check import PROFILES, check
from learn.podspec.diagnostics import Diagnostic, Report, Severity
from learn.podspec.schema import DEFAULT_VERSION, VERSIONS

__all__ = ["DEFAULT_VERSION", "PROFILES", "VERSIONS", "Diagnostic", "Report", "Severity", "check"]
