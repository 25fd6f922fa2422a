"""Exercises (`content/exercises/SLUG.md`): a task in the playground, checked against the engine."""

import textwrap
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse

from learn.content import links
from learn.content.loader import MINUTES, TEXT, TEXTS, Check, Draft, Reader, is_text, line_of
from learn.podspec import VERSIONS, Diagnostic, Report, check
from learn.podspec.goals import check_goal, met, needs_run, simulated
from learn.podspec.scenario import Scenario, ScenarioError, check_against, parse_scenario, to_text

FOLDER = "exercises"


def _yaml_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != "" and len(value) <= 64 * 1024


def _goals(value: object) -> bool:
    # Each goal's own mistakes are reported apart, naming it: see _sound_goals.
    return isinstance(value, list) and len(value) > 0


FIELDS: dict[str, Check] = {
    "title": TEXT,
    "summary": TEXT,
    "topic": TEXT,
    "minutes": MINUTES,
    "hints": TEXTS,
    "goals": (_goals, "a non-empty list of goals (see learn/podspec/goals.py)"),
    "starter": (_yaml_text, "the starting spec, as a YAML block (`starter: |`)"),
    "solution": (_yaml_text, "the reference solution, as a YAML block (`solution: |`)"),
}
OPTIONAL: dict[str, Check] = {
    "lesson": (is_text, "a lesson key, module/lesson"),
    "kubernetes_version": (
        lambda value: str(value) in VERSIONS,
        'a shipped Kubernetes version such as "1.35"',
    ),
    "scenario": (
        lambda value: isinstance(value, dict),
        "a scenario for the run goals: a mapping of until, node, delete_at and containers "
        "(see learn/podspec/scenario.py)",
    ),
}


@dataclass(frozen=True)
class Exercise:
    """A hands-on task in the playground: a prompt, a starter spec, goals, hints, a solution."""

    slug: str
    title: str
    summary: str
    topic: str
    minutes: int
    lesson_key: str  # "" until the lesson it belongs to exists
    kubernetes_version: str | None
    hints: tuple[str, ...]
    goals: tuple[dict, ...]
    starter: str
    solution: str
    marked_prompt_html: str  # with links.mark markers: see `prompt_html`
    path: Path
    prompt_text: str = ""  # the prompt as plain text, for search
    # The scenario its run goals are judged with, as canonical YAML ("": the empty scenario, every
    # container as its spec says).
    scenario: str = ""

    @property
    def prompt_html(self) -> str:
        """The prompt as HTML, its links under the current script prefix."""
        return links.expand(self.marked_prompt_html)

    @property
    def url(self) -> str:
        """The exercise's page in the playground."""
        return reverse("playground:exercise", args=[self.slug])


def load_exercises(
    reader: Reader, lesson_keys: set[str]
) -> tuple[tuple[Exercise, ...], list[Draft]]:
    """Every exercise whose fields are sound, and the drafts whose links are still to be checked."""
    exercises, drafts = [], []
    for path in sorted((reader.root / FOLDER).glob("*.md")):
        if not reader.slug_named(path, "an exercise's"):
            continue
        draft = reader.read(path, FIELDS, OPTIONAL)
        if draft is None or not all(test(draft.meta.get(f)) for f, (test, _) in FIELDS.items()):
            continue
        meta = draft.meta
        lines = path.read_text(encoding="utf-8").splitlines()
        if not _sound_goals(reader, path, lines, meta["goals"]):
            continue
        if "lesson" in meta and meta["lesson"] not in lesson_keys:
            reader.error(
                path, line_of(lines, "lesson"), f"no lesson '{meta['lesson']}' (use module/lesson)"
            )
        scenario = _scenario(reader, path, lines, meta)
        _check_solution(reader, path, lines, meta, scenario)
        reader.render(draft)
        drafts.append(draft)
        version = meta.get("kubernetes_version")
        exercises.append(
            Exercise(
                slug=path.stem,
                title=meta["title"],
                summary=meta["summary"],
                topic=meta["topic"],
                minutes=meta["minutes"],
                lesson_key=meta.get("lesson", "") if meta.get("lesson") in lesson_keys else "",
                kubernetes_version=str(version) if "kubernetes_version" in meta else None,
                hints=tuple(meta["hints"]),
                goals=tuple(meta["goals"]),
                starter=meta["starter"],
                solution=meta["solution"],
                marked_prompt_html=draft.rendered.html,
                path=path,
                prompt_text=draft.rendered.text,
                scenario=to_text(scenario) if scenario is not None and "scenario" in meta else "",
            )
        )
    return tuple(exercises), drafts


def _sound_goals(reader: Reader, path: Path, lines: list[str], goals: list) -> bool:
    """Whether every goal is written rightly; each mistake is reported naming its goal, at the
    goal's line when its text can be found there."""
    start = line_of(lines, "goals")
    sound = True
    for number, goal in enumerate(goals, 1):
        problem = check_goal(goal)
        if problem is None:
            continue
        sound = False
        text = goal.get("text") if isinstance(goal, dict) else None
        if not (isinstance(text, str) and text.strip()):
            reader.error(path, start, f"goal {number}: {problem}")
            continue
        line = next((i for i, line in enumerate(lines[start:], start + 1) if text in line), start)
        reader.error(path, line, f"goal {text!r}: {problem}")
    return sound


def _scenario(reader: Reader, path: Path, lines: list[str], meta: dict) -> Scenario | None:
    """The exercise's scenario (the empty one when it has none); None, reported, when it is wrong."""
    if "scenario" not in meta:
        return Scenario()
    if not isinstance(meta["scenario"], dict):
        return None  # reported with the other front matter fields
    # The scenario's own text, cut from the file so its problems keep their lines: the field's
    # key blanked out, up to the next field.
    start = line_of(lines, "scenario")
    block = [lines[start - 1].replace("scenario:", " " * len("scenario:"), 1)]
    for line in lines[start:]:
        if line[:1] not in ("", " ", "\t", "#"):
            break
        block.append(line)
    try:
        return parse_scenario(textwrap.dedent("\n".join(block)))
    except ScenarioError as error:
        for problem in error.problems:
            reader.error(path, _file_line(lines, problem), f"scenario: {problem.message}")
        return None


def _file_line(lines: list[str], problem: Diagnostic) -> int:
    """The file line of a problem at a line of the scenario's text (its first line when none)."""
    return line_of(lines, "scenario") + max(problem.line, 1) - 1


def _check_solution(
    reader: Reader, path: Path, lines: list[str], meta: dict, scenario: Scenario | None
) -> None:
    """The solution must pass and meet every goal (its run goals in a run through the exercise's
    scenario); the starter must not already be done."""
    version = str(meta["kubernetes_version"]) if "kubernetes_version" in meta else None
    goals = meta["goals"]

    def unmet(key: str) -> tuple[Report, list[dict]]:
        report = check(meta[key], kubernetes_version=version)
        run = (
            None
            if scenario is None
            else simulated(goals, report, scenario, kubernetes_version=version)
        )
        return report, [g for g in goals if not met(g, report, run)]

    report, missed = unmet("solution")
    start = line_of(lines, "solution")
    for error in report.errors:
        reader.error(path, start + error.line, f"solution: {error.message} [{error.code}]")
    problems = (
        check_against(scenario, report.workloads[0].pod.containers)
        if scenario is not None and scenario.containers and report.workloads
        else []
    )
    for problem in problems:
        reader.error(path, _file_line(lines, problem), f"scenario: {problem.message}")
    for goal in missed:
        # Without a sound scenario there is no run to judge, and its problems are reported.
        if (scenario is not None and not problems) or not needs_run([goal]):
            reader.error(path, start, f"solution does not meet the goal: {goal['text']}")
    if not unmet("starter")[1]:
        reader.error(path, line_of(lines, "starter"), "the starter already meets every goal")
