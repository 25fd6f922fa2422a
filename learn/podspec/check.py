"""The engine's entry point: text in, one Report out, whatever the input (stages: pipeline.py)."""

import re
from dataclasses import replace

from learn.podspec import pipeline, schema, source
from learn.podspec.diagnostics import Diagnostic, Report, Severity
from learn.podspec.lessons import lesson_for

PROFILES = tuple(pipeline.PROFILES)


def normalize_version(version: str | None) -> str:
    """`v1.35.2`, `1.35` -> `1.35`; None -> the newest shipped version. ValueError if unknown."""
    if version is None:
        return schema.DEFAULT_VERSION
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", str(version).strip())
    minor = f"{match[1]}.{match[2]}" if match else str(version)
    if minor not in schema.VERSIONS:
        raise ValueError(
            f"Kubernetes version {version} is not supported; choose one of {', '.join(schema.VERSIONS)}"
        )
    return minor


def check(
    text_input: str,
    *,
    kubernetes_version: str | None = None,
    profile: str = "learning",
    max_bytes: int = source.MAX_BYTES,
) -> Report:
    """Check Kubernetes YAML: every problem with its range, and a model of each workload."""
    version = normalize_version(kubernetes_version)
    if profile not in pipeline.PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    report = Report(text_input, version, profile)
    pipeline.run(report, schema.load(version), pipeline.PROFILES[profile], max_bytes)
    report.diagnostics = [_with_lesson(d) for d in report.diagnostics]
    if report.dropped:
        report.diagnostics.append(Diagnostic(
            "too-many-problems", Severity.INFO,
            f"{report.dropped} more problems are not shown; fix these first", 1, 1,
        ))  # fmt: skip
    return report


def _with_lesson(diagnostic: Diagnostic) -> Diagnostic:
    lesson = diagnostic.lesson or lesson_for(diagnostic.code, diagnostic.path)
    if lesson == diagnostic.lesson:
        return diagnostic
    return replace(diagnostic, lesson=lesson)
