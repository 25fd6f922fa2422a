"""Quiz questions: their content format, its validation, and grading. No Django.

A lesson `NN-slug.md` may have a quiz beside it, `NN-slug.quiz.yaml`:

    questions:
      - id: what-is-a-container            # stable within the quiz; answers refer to it
        type: single                       # see TYPES
        prompt: According to the OCI runtime specification, a *container* is   # Markdown
        misconception: A container is a lightweight VM      # optional: what a wrong answer reveals
        section: what-the-specification-says-a-container-is # optional: the lesson's anchor
        revisits: what-is-a-container/images-and-the-oci-specs  # optional: an earlier lesson
                                           # this question brings back (retrieval practice)
        choices:                           # single and multiple
          - text: a lightweight virtual machine with its own kernel
            why: Containers boot no kernel; that is what a VM does.
          - text: an environment for running processes with isolation and resource limits
            correct: true
            why: The glossary's definition, in other words.

Other types: `true_false` (`answer: true|false`, `why`), `ordering` (`items` in the right order,
`why`), `short` (`answers`: accepted spellings, `why`), `find_line` (`snippet` YAML, `line`: the
wrong line, `why`), `write_spec` (`starter`, `goals` as in exercises, `why`).
"""

import hashlib
import json
import random
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TypeIs

MAX_SPEC = 16 * 1024  # bytes of YAML in a "write the spec" answer
MAX_SHOWN = 20  # errors of a written spec kept with its feedback; the summary counts them all
TYPES = ("single", "multiple", "true_false", "ordering", "short", "find_line", "write_spec")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    why: str = ""
    misconception: str = ""
    section: str = ""
    revisits: str = ""  # key of an earlier lesson the question brings back
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None  # true_false
    items: tuple[str, ...] = ()  # ordering, in the right order
    answers: tuple[str, ...] = ()  # short
    snippet: str = ""  # find_line
    line: int = 0  # find_line
    starter: str = ""  # write_spec
    goals: tuple[dict, ...] = ()  # write_spec

    def shuffled_items(self) -> list[tuple[int, str]]:
        """The ordering items as presented: shuffled the same way every time, never in order."""
        order = list(range(len(self.items)))
        random.Random(self.id).shuffle(order)
        if order == sorted(order) and len(order) > 1:
            order = order[1:] + order[:1]
        return [(i, self.items[i]) for i in order]

    def lettered_items(self) -> list[tuple[str, int, str]]:
        """The ordering items as presented, each with the letter that names it (A, B, …)."""
        return [(chr(ord("A") + n), i, item) for n, (i, item) in enumerate(self.shuffled_items())]

    @property
    def snippet_lines(self) -> list[str]:
        return self.snippet.splitlines()

    def snippet_rows(self) -> list[tuple[str, str]]:
        """Each snippet line as (its indentation, the rest): a long line wraps under its own text
        on a phone, so the indentation that YAML reads stays visible."""
        return [
            (line[: len(line) - len(line.lstrip())], line.lstrip()) for line in self.snippet_lines
        ]

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of everything the question says: a new wording, explanation, order or
        key of its choices is a new version, whose answers are graded again."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Feedback:
    """The result of grading one answer."""

    correct: bool
    summary: str  # one sentence: what was right or wrong
    notes: tuple[tuple[str, bool, str], ...] = ()  # (choice text, correct?, why) per choice
    why: str = ""
    response: dict = field(default_factory=dict)  # what was answered, as stored
    problems: tuple[dict, ...] = ()  # a written spec's errors, as Diagnostic.to_dict gives them


@dataclass
class QuestionState:
    """A question as the page shows it: not answered yet, or answered with its feedback."""

    number: int
    question: Question
    prompt_html: str
    feedback: Feedback | None = None
    message: str = ""  # why an answer was not accepted (nothing chosen, malformed)
    again: bool = False  # answered before, and open to be answered again (a retry)
    first_correct: bool | None = None  # when retried: whether the answer that counts was right

    @property
    def locked(self) -> bool:
        """Answered, and not opened to be answered again: the answer is shown, not asked."""
        return self.feedback is not None and not self.again

    @property
    def scored_wrong(self) -> bool:
        """Answered, and the answer the score counts (the first) was wrong."""
        if self.feedback is None:
            return False
        return not (self.feedback.correct if self.first_correct is None else self.first_correct)

    def order_rows(self) -> list[tuple[int, str, str, bool]]:
        """An ordering answer beside the right order: (position, the learner's item, the right
        item, whether they match) for each position."""
        order = self.feedback.response.get("order", []) if self.feedback else []
        items = self.question.items
        if sorted(order) != list(range(len(items))):
            return []  # not an ordering answer (or one of an older version of the question)
        return [(n, items[i], items[n - 1], i == n - 1) for n, i in enumerate(order, start=1)]


def normalise(text: str) -> str:
    """Short answers compare without case, quotes, backticks or extra spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub("[`'\"\u201c\u201d\u2018\u2019]", "", text)  # straight and curly quotes
    return " ".join(text.split()).strip(" .")


# Validation ---------------------------------------------------------------------------------


def _text(value: object) -> TypeIs[str]:
    return isinstance(value, str) and bool(value.strip())


def problems_of(raw: object, seen_ids: set[str]) -> list[str]:
    """Everything wrong with one question as written (empty when it is fine)."""
    if not isinstance(raw, dict):
        return ["each question is a mapping"]
    problems = []
    qid, kind = raw.get("id"), raw.get("type")
    if not (isinstance(qid, str) and ID.match(qid)):
        problems.append("`id` must be lower-case words with hyphens")
    elif qid in seen_ids:
        problems.append(f"the id `{qid}` is used twice")
    if kind not in TYPES:
        return [*problems, f"`type` must be one of {', '.join(TYPES)}"]
    if not _text(raw.get("prompt")):
        problems.append("`prompt` is missing")
    known = {"id", "type", "prompt", "misconception", "section", "revisits"} | _FIELDS[kind]
    problems += [f"unknown field `{k}` for a {kind} question" for k in raw if k not in known]
    problems += _CHECKS[kind](raw)
    return problems


def _check_choices(raw: dict, exactly_one: bool) -> list[str]:
    choices = raw.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        return ["`choices` needs at least two choices"]
    problems = []
    texts = []
    for choice in choices:
        if not isinstance(choice, dict) or not _text(choice.get("text")):
            problems.append("each choice needs a `text`")
            continue
        if not _text(choice.get("why")):
            problems.append(f"the choice “{choice['text']}” needs a `why` explaining it")
        if set(choice) - {"text", "correct", "why"}:
            problems.append(f"unknown field in the choice “{choice['text']}”")
        if not isinstance(choice.get("correct", False), bool):
            problems.append(f"`correct` of “{choice['text']}” must be true or false")
        texts.append(normalise(choice["text"]))
    if len(set(texts)) != len(texts):
        problems.append("two choices say the same thing")
    right = sum(1 for c in choices if isinstance(c, dict) and c.get("correct") is True)
    if exactly_one and right != 1:
        problems.append(f"a single-choice question needs exactly one correct choice, not {right}")
    if not exactly_one and right < 1:
        problems.append("a multiple-choice question needs at least one correct choice")
    return problems


def _check_why(raw: dict) -> list[str]:
    return (
        []
        if _text(raw.get("why"))
        else ["`why` (the explanation shown after answering) is missing"]
    )


def _check_true_false(raw: dict) -> list[str]:
    return _check_why(raw) + (
        [] if isinstance(raw.get("answer"), bool) else ["`answer` must be true or false"]
    )


def _check_ordering(raw: dict) -> list[str]:
    items = raw.get("items")
    if not (isinstance(items, list) and len(items) >= 3 and all(_text(i) for i in items)):
        return ["`items` needs at least three texts, in the right order"]
    if len({normalise(i) for i in items}) != len(items):
        return ["two items say the same thing"]
    return _check_why(raw)


def _check_short(raw: dict) -> list[str]:
    answers = raw.get("answers")
    if not (isinstance(answers, list) and answers and all(_text(a) for a in answers)):
        return ["`answers` needs at least one accepted answer"]
    return _check_why(raw)


def _check_find_line(raw: dict) -> list[str]:
    snippet, line = raw.get("snippet"), raw.get("line")
    if not _text(snippet):
        return ["`snippet` is missing"]
    if not (isinstance(line, int) and 1 <= line <= len(snippet.splitlines())):
        return [f"`line` must be a line of the snippet (1 to {len(snippet.splitlines())})"]
    return _check_why(raw)


def _check_write_spec(raw: dict) -> list[str]:
    from learn.podspec.goals import check_goal, needs_run

    goals = raw.get("goals")
    if not (isinstance(goals, list) and goals):
        return ["`goals` needs at least one goal"]
    problems = [p for goal in goals if (p := check_goal(goal))]
    if not problems and needs_run(goals):
        # A question is graded on the spec alone: a run goal there could never be met.
        problems.append("run goals (`run_...`) need a scenario: use them in an exercise")
    if not isinstance(raw.get("starter", ""), str):
        problems.append("`starter` must be YAML text")
    return problems + _check_why(raw)


_FIELDS = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true_false": {"answer", "why"},
    "ordering": {"items", "why"},
    "short": {"answers", "why"},
    "find_line": {"snippet", "line", "why"},
    "write_spec": {"starter", "goals", "why"},
}
_CHECKS = {
    "single": lambda raw: _check_choices(raw, exactly_one=True),
    "multiple": lambda raw: _check_choices(raw, exactly_one=False),
    "true_false": _check_true_false,
    "ordering": _check_ordering,
    "short": _check_short,
    "find_line": _check_find_line,
    "write_spec": _check_write_spec,
}


def build(raw: dict) -> Question:
    """A Question from a mapping that passed `problems_of`."""
    return Question(
        id=raw["id"],
        type=raw["type"],
        prompt=raw["prompt"],
        why=raw.get("why", ""),
        misconception=raw.get("misconception", ""),
        section=raw.get("section", ""),
        revisits=raw.get("revisits", ""),
        choices=tuple(
            Choice(c["text"], c.get("correct", False), c["why"]) for c in raw.get("choices", [])
        ),
        answer=raw.get("answer"),
        items=tuple(raw.get("items", ())),
        answers=tuple(raw.get("answers", ())),
        snippet=raw.get("snippet", ""),
        line=raw.get("line", 0),
        starter=raw.get("starter", ""),
        goals=tuple(raw.get("goals", ())),
    )


# Grading -----------------------------------------------------------------------------------


def grade(question: Question, data) -> Feedback:
    """Grade an answer from form data (a mapping of name -> value, or a QueryDict).

    Malformed answers (missing, wrong type, out of range) are graded as wrong with a message
    saying what was expected; they never raise.
    """
    return _GRADERS[question.type](question, data)


def _getlist(data, key: str) -> list[str]:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key, [])
    return value if isinstance(value, list) else [value]


def _indexes(values: list[str], size: int) -> list[int] | None:
    try:
        chosen = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        return None
    return chosen if all(0 <= i < size for i in chosen) else None


def _choice_notes(question: Question, chosen: list[int]) -> tuple:
    return tuple(
        (c.text, c.correct, c.why)
        for i, c in enumerate(question.choices)
        if i in chosen or c.correct
    )


def _grade_single(question: Question, data) -> Feedback:
    chosen = _indexes(_getlist(data, "choice")[:1], len(question.choices))
    if not chosen:
        return Feedback(False, "Choose one answer.", response={})
    choice = question.choices[chosen[0]]
    notes = _choice_notes(question, chosen)
    summary = "Right." if choice.correct else "Not quite."
    return Feedback(choice.correct, summary, notes, response={"choice": chosen})


def _grade_multiple(question: Question, data) -> Feedback:
    chosen = _indexes(_getlist(data, "choice"), len(question.choices))
    if chosen is None or not chosen:
        return Feedback(False, "Select every answer that applies (at least one).", response={})
    right = {i for i, c in enumerate(question.choices) if c.correct}
    picked = set(chosen)
    missed, wrong = right - picked, picked - right
    if not missed and not wrong:
        summary = "Right: you found every correct answer."
    else:
        parts = []
        if wrong:
            parts.append(f"{len(wrong)} of your choices {'is' if len(wrong) == 1 else 'are'} wrong")
        if missed:
            parts.append(f"you missed {len(missed)}")
        summary = "Partly: " + " and ".join(parts) + "."
    notes = tuple(
        (c.text, c.correct, c.why) for i, c in enumerate(question.choices) if i in picked | right
    )
    return Feedback(not missed and not wrong, summary, notes, response={"choice": chosen})


def _grade_true_false(question: Question, data) -> Feedback:
    value = data.get("answer")
    if value not in ("true", "false"):
        return Feedback(False, "Answer true or false.", response={})
    correct = (value == "true") == question.answer
    truth = "true" if question.answer else "false"
    summary = f"Right: it is {truth}." if correct else f"Not quite: it is {truth}."
    return Feedback(correct, summary, why=question.why, response={"answer": value})


def _grade_ordering(question: Question, data) -> Feedback:
    order = _getlist(data, "order")
    try:
        positions = [int(v) for v in order]
    except ValueError:
        positions = []
    if sorted(positions) != list(range(len(question.items))):
        return Feedback(False, "Put every item in a position.", response={})
    correct = positions == list(range(len(question.items)))
    in_place = sum(1 for place, item in enumerate(positions) if place == item)
    summary = (
        "Right: that is the order."
        if correct
        else f"Not quite: {in_place} of {len(positions)} {'is' if in_place == 1 else 'are'} in "
        "the right place."
    )
    return Feedback(correct, summary, why=question.why, response={"order": positions})


def _text_answer(data, limit: int | None = None) -> str:
    """A typed answer, without NUL characters (no database stores them, and they mean nothing)."""
    return str(data.get("text", "")).replace("\x00", "")[:limit]


def _grade_short(question: Question, data) -> Feedback:
    text = _text_answer(data, 200)
    if not text.strip():
        return Feedback(False, "Type an answer.", response={})
    correct = normalise(text) in {normalise(a) for a in question.answers}
    summary = "Right." if correct else f"Not quite: the answer is “{question.answers[0]}”."
    return Feedback(correct, summary, why=question.why, response={"text": text})


def _grade_find_line(question: Question, data) -> Feedback:
    try:
        line = int(data.get("line", ""))
    except ValueError:
        line = 0
    if not 1 <= line <= len(question.snippet_lines):
        return Feedback(False, "Pick the line that is wrong.", response={})
    correct = line == question.line
    summary = (
        "Right: that is the line."
        if correct
        else f"Not quite: the problem is on line {question.line}."
    )
    return Feedback(correct, summary, why=question.why, response={"line": line})


def _grade_write_spec(question: Question, data) -> Feedback:
    from learn.podspec import check
    from learn.podspec.goals import met

    text = _text_answer(data)
    if not text.strip():
        return Feedback(False, "Write the spec.", response={})
    if len(text.encode()) > MAX_SPEC:
        return Feedback(
            False,
            f"The spec is longer than {MAX_SPEC // 1024} KB; an answer is much shorter.",
            response={},
        )
    report = check(text, max_bytes=MAX_SPEC)
    notes = tuple((g["text"], met(g, report), "") for g in question.goals)
    errors = len(report.errors)
    problems = tuple(d.to_dict() for d in report.sorted() if d.severity == "error")[:MAX_SHOWN]
    correct = all(ok for _, ok, _ in notes) and not errors
    if correct:
        summary = "Right: the spec meets every goal."
    else:
        unmet = sum(1 for _, ok, _ in notes if not ok)
        summary = (
            "Not yet: "
            + ", ".join(
                part
                for part in (
                    f"{unmet} goal{'s' if unmet != 1 else ''} not met" if unmet else "",
                    f"{errors} error{'s' if errors != 1 else ''}" if errors else "",
                )
                if part
            )
            + "."
        )
    response = {"text": text[:MAX_SPEC]}
    return Feedback(correct, summary, notes, question.why, response, problems)


_GRADERS = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "true_false": _grade_true_false,
    "ordering": _grade_ordering,
    "short": _grade_short,
    "find_line": _grade_find_line,
    "write_spec": _grade_write_spec,
}
