"""What the playground shows for a spec: the engine's report, the diagram, its text, the goals."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from learn.podspec import (
    DEFAULT_VERSION,
    PROFILES,
    VERSIONS,
    Diagnostic,
    Report,
    Severity,
    check,
)
from learn.podspec.describe import outline, outline_html
from learn.podspec.diagram import NothingToDraw, diagram
from learn.podspec.goals import met

logger = logging.getLogger(__name__)
CHECK_FAILED = (
    "This spec could not be checked: the checker failed on it. The failure is logged so that it "
    "can be fixed; the spec is shown as it was shared."
)


@dataclass
class Settings:
    """What the learner chose: the spec, the Kubernetes version and the profile."""

    text: str
    kubernetes_version: str = DEFAULT_VERSION
    profile: str = "learning"

    @classmethod
    def from_data(cls, data, *, default_text: str = "", version: str | None = None) -> "Settings":
        """From form data; unknown values fall back to the defaults rather than failing."""
        text = data.get("text", default_text).replace("\r\n", "\n")
        chosen = data.get("kubernetes_version", version or DEFAULT_VERSION)
        profile = data.get("profile", "learning")
        return cls(
            text,
            chosen if chosen in VERSIONS else DEFAULT_VERSION,
            profile if profile in PROFILES else "learning",
        )

    @classmethod
    def of(cls, snapshot) -> "Settings":
        """A shared snapshot's settings (a version no longer shipped falls back to the default)."""
        data = {
            "text": snapshot.text,
            "kubernetes_version": snapshot.kubernetes_version,
            "profile": snapshot.profile,
        }
        return cls.from_data(data)


@dataclass
class GoalState:
    text: str
    met: bool


@dataclass
class Results:
    """Everything the results panel shows."""

    report: Report
    svg: SafeString | None
    no_diagram: str
    text_html: SafeString
    goals: list[GoalState] = field(default_factory=list)

    @property
    def solved(self) -> bool:
        return bool(self.goals) and all(g.met for g in self.goals) and self.report.ok


def evaluate(chosen: Settings, goals=()) -> Results:
    """Check and draw a spec, and evaluate exercise goals on it."""
    report = check(
        chosen.text,
        kubernetes_version=chosen.kubernetes_version,
        profile=chosen.profile,
        max_bytes=settings.PODSPEC_MAX_BYTES,
    )
    outlines = [outline(workload, report.diagnostics) for workload in report.workloads]
    try:
        svg, no_diagram = mark_safe(diagram(report, standalone=False, outlines=outlines)), ""
    except NothingToDraw as exc:
        svg, no_diagram = None, str(exc)
    text_html = mark_safe(outline_html(report.workloads, outlines))
    states = [GoalState(g["text"], met(g, report)) for g in goals]
    return Results(report, svg, no_diagram, text_html, states)


def evaluate_stored(chosen: Settings) -> Results:
    """evaluate() for a stored spec (a shared snapshot), which nobody can edit: should the engine
    fail on it, its permanent page says so instead of failing for good."""
    try:
        return evaluate(chosen)
    except Exception:
        logger.exception("the engine failed on a stored spec")
        report = Report(chosen.text, chosen.kubernetes_version, chosen.profile)
        report.add(Diagnostic("check-failed", Severity.ERROR, CHECK_FAILED))
        return Results(report, None, "the spec could not be checked", mark_safe(""))
