"""What the playground shows for a spec: the engine's report, the diagram, its text, the goals,
and the Run panel (the Pod's life simulated through a scenario)."""

import logging
import math
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from learn.playground.forms import RunForm
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
from learn.podspec.goals import met, simulated
from learn.podspec.kubelet import MAX_WORK, NotRunnable, simulate
from learn.podspec.model import Container
from learn.podspec.presets import Preset, presets
from learn.podspec.runview import run_figure
from learn.podspec.scenario import Scenario, ScenarioError, parse_scenario, to_tree

logger = logging.getLogger(__name__)
RUN_FAILED = (
    "The simulator failed on this spec. The failure is logged so that it can be fixed; the "
    "checks and the diagram above still hold."
)
UNREADABLE_SCENARIO = "The scenario saved with this spec can no longer be read: {message}"
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

    @property
    def syntax_error_line(self) -> int:
        """The line of the first YAML syntax error (0 when the text parses)."""
        return next((d.line or 1 for d in self.report.errors if d.code == "yaml-syntax"), 0)


def checked(chosen: Settings) -> Report:
    """The engine's report on a spec, with the learner's settings."""
    return check(
        chosen.text,
        kubernetes_version=chosen.kubernetes_version,
        profile=chosen.profile,
        max_bytes=settings.PODSPEC_MAX_BYTES,
    )


def evaluate(
    chosen: Settings, goals=(), scenario: str = "", *, report: Report | None = None
) -> Results:
    """Check (unless `report` is its check already) and draw a spec, and evaluate exercise goals
    on it (goals on a run judge the spec's run through the exercise's `scenario`, never the one
    the learner chose to try)."""
    report = report or checked(chosen)
    outlines = [outline(workload, report.diagnostics) for workload in report.workloads]
    try:
        svg, no_diagram = mark_safe(diagram(report, standalone=False, outlines=outlines)), ""
    except NothingToDraw as exc:
        svg, no_diagram = None, str(exc)
    text_html = mark_safe(outline_html(report.workloads, outlines))
    run = simulated(
        goals,
        report,
        parse_scenario(scenario) if scenario else Scenario(),
        kubernetes_version=chosen.kubernetes_version,
    )
    states = [GoalState(g["text"], met(g, report, run)) for g in goals]
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


# What a run costs, estimated before it runs: the simulator's work grows with the steps it takes
# (probe results, restarts) times the containers whose statuses each step updates. Measured at
# their dearest (probes failing every second; containers crashing at once, again and again), a
# probe result takes up to ~0.6 us a container and a restart ~20 times that: one unit of the
# engine budget (~16 ms of CPU, rates.py) holds about 25,000 probe results.
WORK_PER_UNIT = 25_000
RESTART_WORK = 25
UNIT_SECONDS = 0.016
# Whatever the estimate, the simulator stops after kubelet.MAX_WORK steps of about 5 us each
# (measured at their dearest: 60 containers failing probes every second take ~0.55 s).
WORK_SECONDS = 5e-6
MAX_RUN_UNITS = math.ceil(MAX_WORK * WORK_SECONDS / UNIT_SECONDS)


@dataclass
class Run:
    """What the Run panel shows: the scenario's form and presets, and the run, or why none."""

    form: RunForm
    presets: list[Preset]
    figure: SafeString | None = None
    outcome: str = ""
    refused: str = ""  # why nothing ran: the spec cannot run, the run is too large, the limit
    asked: bool = False  # a run was asked for (or shown with a stored scenario)

    def simulate_and_draw(self, report: Report, scenario: Scenario) -> float:
        """Simulate and draw the spec's run through `scenario` (problems go beside their
        fields); the CPU seconds it took."""
        began = time.thread_time()
        try:
            timeline = simulate(report, scenario)
            self.figure = mark_safe(run_figure(timeline))
            self.outcome = timeline.outcome
        except NotRunnable as refused:
            self.refused = str(refused)
        except ScenarioError as error:
            self.form.place(error)
        except Exception:  # a simulator bug must not take the checks and the diagram with it
            logger.exception("the simulator failed on a spec")
            self.refused = RUN_FAILED
        return time.thread_time() - began


def pod_containers(report: Report) -> list[Container]:
    """The containers of the Pod a run simulates: the first workload's."""
    return report.workloads[0].pod.containers if report.workloads else []


def run_units(report: Report, scenario: Scenario) -> int:
    """What simulating the run may cost at most, in units of a small check."""
    containers = pod_containers(report)
    # The back-off (10 s, 20 s ... 300 s) allows six restarts in the first 310 s, then one each
    # 300 s (pod-lifecycle: "How Pods handle problems with containers").
    restarts = 6 + scenario.until // 300
    steps = sum(
        1
        + RESTART_WORK * restarts
        + sum(-(-scenario.until // max(probe.period_seconds, 1)) for probe in c.probes)
        for c in containers
    )
    return min(1 + steps * len(containers) // WORK_PER_UNIT, MAX_RUN_UNITS)


def run_panel(report: Report, data=None, *, start: Preset | None = None) -> Run:
    """The Run panel for a checked spec. Its form comes from posted `data` (a preset asked for
    with `load_preset` replaces the fields), else from the `start` scenario (an exercise's, a
    shared link's), which the menu then offers first, under its own name."""
    containers = pod_containers(report)
    offered = presets(report.workloads[0]) if report.workloads else []
    choices = [start, *offered] if start is not None and start.scenario_text else offered
    if data is not None and "load_preset" in data:
        slug = data.get("preset", "")
        preset = next((p for p in choices if p.slug == slug), None)
        form = _form_of(preset.scenario_text if preset else "", containers)
    elif data is not None:
        form = RunForm.from_data(data, containers)
    else:
        form = _form_of(start.scenario_text if start else "", containers)
    # The menu names the scenario the fields now write, if any: "" when they are the learner's.
    written = _tree_of(form.text())
    matches = (
        p.slug for p in choices if written is not None and _tree_of(p.scenario_text) == written
    )
    form.preset = next(matches, "")
    return Run(form, choices)


def _tree_of(text: str) -> dict | None:
    """What a scenario says, whichever way its YAML is written; None when it cannot be read."""
    try:
        return to_tree(parse_scenario(text))
    except ScenarioError:
        return None


def _form_of(scenario_text: str, containers: list[Container]) -> RunForm:
    if not scenario_text:
        return RunForm.blank(containers)
    try:
        return RunForm.from_scenario(parse_scenario(scenario_text), containers)
    except ScenarioError as error:  # stored before the scenario's format changed
        form = RunForm.blank(containers)
        form.errors.append(UNREADABLE_SCENARIO.format(message=error))
        return form
