"""The questions of a lesson: its quiz (`NN-slug.quiz.yaml` beside it) and the ```question blocks
asked in its text, each checked with questions.problems_of and reported at its line."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from learn.content import markdown
from learn.content.loader import Draft, Reader
from learn.content.questions import Question, build, problems_of

# Questions asked in place: quick to answer in a lesson, and small enough for a GET request.
INLINE_TYPES = ("single", "multiple", "true_false", "ordering", "short", "find_line")


@dataclass
class QuestionContext:
    """What checking the questions of one lesson needs, and what it collects."""

    anchors: set[str]  # the lesson's section anchors
    earlier: set[str]  # keys of the lessons before it, which a question may revisit
    types: tuple[str, ...] = ()  # the question types allowed, when not all
    seen: set[str] = field(default_factory=set)  # ids used so far
    prompts: dict[str, str] = field(default_factory=dict)  # id -> prompt HTML


def _question(
    reader: Reader, path: Path, line: int, label: str, raw: object, context: QuestionContext
) -> Question | None:
    """One question checked and built (None when it has problems, each reported at `line`)."""
    problems = problems_of(raw, context.seen)
    if isinstance(raw, dict):
        if raw.get("section") and raw["section"] not in context.anchors:
            problems.append(f"the lesson has no section `#{raw['section']}`")
        revisits = raw.get("revisits")
        if revisits is not None and revisits not in context.earlier:
            problems.append(f"`revisits: {revisits}` must name an earlier lesson (module/lesson)")
        if context.types and raw.get("type") not in context.types:
            problems.append(f"a question in a lesson is one of: {', '.join(context.types)}")
    for problem in problems:
        reader.error(path, line, f"{label}: {problem}")
    # A question that is not a mapping is among the problems: isinstance only narrows `raw`.
    if problems or not isinstance(raw, dict):
        return None
    context.seen.add(raw["id"])
    question = build(raw)
    prompt = markdown.render(question.prompt, resolve=reader.resolve)
    # A page resolves a static file when shown: one missing must be reported now, not fail then.
    for reference in prompt.references:
        if reference.kind == "static":
            reader.check_static(path, line, reference.target)
    context.prompts[question.id] = prompt.html
    return question


def load_checks(
    reader: Reader, draft: Draft, context: QuestionContext
) -> tuple[tuple[Question, ...], tuple[tuple[str, str], ...]]:
    """The ```question blocks of a lesson: the questions, and the HTML cut around them."""
    ids: dict[int, str] = {}  # a block's index -> the id of its question, when it has no problems
    checks = []
    for index, block in enumerate(draft.rendered.question_blocks):
        line = draft.body_line + block.line - 1
        try:
            raw = yaml.safe_load(block.source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = line + (mark.line if mark else 0)
            reader.error(draft.path, where, f"question block is not valid YAML: {exc}")
            continue
        question = _question(reader, draft.path, line, "question block", raw, context)
        if question:
            checks.append(question)
            ids[index] = question.id
    segments = tuple(
        (html, "" if index is None else ids.get(index, ""))
        for html, index in draft.rendered.segments()
    )
    return tuple(checks), segments


def load_quiz(reader: Reader, lesson_path: Path, context: QuestionContext) -> tuple[Question, ...]:
    """The quiz beside a lesson (`NN-slug.quiz.yaml`), checked question by question."""
    path = lesson_path.with_suffix(".quiz.yaml")
    if not path.is_file():
        return ()
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reader.error(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return ()
    raw_questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(raw_questions, list) or len(raw_questions) < 3:
        reader.error(path, 1, "a quiz is a mapping with `questions:`, a list of at least three")
        return ()
    lines = text.splitlines()
    questions = []
    for number, raw in enumerate(raw_questions, start=1):
        qid = raw.get("id") if isinstance(raw, dict) else None
        line = next(
            (
                i
                for i, t in enumerate(lines, 1)
                if qid and re.search(rf"\bid:\s*{re.escape(str(qid))}\s*$", t)
            ),
            1,
        )
        question = _question(reader, path, line, f"question {number}", raw, context)
        if question:
            questions.append(question)
    return tuple(questions)
