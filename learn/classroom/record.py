"""One learner's work on a class's quizzes and exercises, for their instructor: every quiz attempt
with its score and the answers given, in words; every exercise with the spec that solved it and
the problems their checks hit, and the spec they last checked while it is unsolved, checked again
for its problems with their lines. Five queries whatever the learner did (attempts, their answers,
solutions, problems, drafts)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from learn.classroom.grid import Item
from learn.content.exercises import Exercise
from learn.content.library import Library
from learn.content.questions import Question
from learn.podspec import Report, check
from learn.progress.models import Draft, ExerciseProblem, ExerciseSolution
from learn.quizzes.models import QuizAnswer, QuizAttempt

ATTEMPTS_SHOWN = 10  # the latest of a quiz's attempts; older ones are counted, not listed
# Drafts are checked again (and shown with line numbers) only up to these sizes, each and all
# together (a check of 32 KB takes ~30 ms; a draft may be as large as the engine's limit), so that
# the page costs a known amount, in time and in bytes, whatever learners typed.
DRAFT_CHECKED_WITHIN = 32 * 1024
DRAFT_LINES_CHECKED = 400
PAGE_CHECKED_WITHIN = 64 * 1024


@dataclass(frozen=True)
class Answer:
    """A question as the learner answered it."""

    number: int  # the question's number in the quiz, which the learner saw
    prompt: str
    type: str
    given: str  # the answer in words ("" when none was accepted)
    correct: bool


@dataclass(frozen=True)
class Attempt:
    number: int  # 1 for the learner's first go at the quiz
    started_at: datetime
    finished_at: datetime | None
    correct: int
    total: int
    answers: tuple[Answer, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


@dataclass(frozen=True)
class QuizRecord:
    title: str
    url: str
    attempts: tuple[Attempt, ...]  # the latest ATTEMPTS_SHOWN, newest first
    earlier: int  # attempts older than those shown


@dataclass(frozen=True)
class ExerciseRecord:
    exercise: Exercise
    solution: str  # the spec that solved it ("" while unsolved)
    solved_at: datetime | None
    problems: tuple[tuple[str, int], ...]  # (diagnostic code, checks that hit it), most first
    draft: str = ""  # the text they last checked, while unsolved
    # Its check now, with the learning checks (None when too large to check on this page).
    draft_report: Report | None = None


@dataclass(frozen=True)
class Record:
    quizzes: tuple[QuizRecord, ...]
    exercises: tuple[ExerciseRecord, ...]


def answer_in_words(question: Question, response: dict) -> str:
    """What a stored response (QuizAnswer.response) answered, as the learner saw it."""
    if question.type in ("single", "multiple"):
        picked = [
            question.choices[i].text for i in _indexes(response.get("choice"), question.choices)
        ]
        return "; ".join(picked)
    if question.type == "true_false":
        return (
            str(response.get("answer", "")) if response.get("answer") in ("true", "false") else ""
        )
    if question.type == "ordering":
        order = _indexes(response.get("order"), question.items)
        return " → ".join(question.items[i] for i in order)
    if question.type == "find_line":
        line = response.get("line")
        lines = question.snippet_lines
        if isinstance(line, int) and 1 <= line <= len(lines):
            return f"line {line}: `{lines[line - 1].strip()}`"
        return ""
    return str(response.get("text", ""))  # short and write_spec


def _indexes(values: object, within: tuple) -> list[int]:
    """The valid positions among stored values (a question may have changed since)."""
    if not isinstance(values, list):
        return []
    return [v for v in values if isinstance(v, int) and 0 <= v < len(within)]


def learner_record(learner_id, items: list[Item], library: Library) -> Record:
    """The learner's quizzes and exercises among the class's assignments (modules included)."""
    quiz_keys = _parts(items, "quiz")
    slugs = _parts(items, "exercise")
    if learner_id is None:
        return Record(
            (), tuple(ExerciseRecord(e, "", None, ()) for e in _exercises(slugs, library))
        )
    return Record(
        _quizzes(learner_id, quiz_keys, library), _exercise_records(learner_id, slugs, library)
    )


def _parts(items: list[Item], kind: str) -> list[str]:
    """The keys of one kind of part, in assignment order, each once."""
    return list(dict.fromkeys(key for item in items for part, key in item.parts if part == kind))


def _quizzes(learner_id, keys: list[str], library: Library) -> tuple[QuizRecord, ...]:
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(learner_id=learner_id, lesson_key__in=keys).order_by(
        "started_at", "pk"
    ):
        attempts[attempt.lesson_key].append(attempt)
    shown = {a.pk for key in attempts for a in attempts[key][-ATTEMPTS_SHOWN:]}
    answers: defaultdict[int, dict[str, QuizAnswer]] = defaultdict(dict)
    for answer in QuizAnswer.objects.filter(attempt_id__in=shown).order_by("pk"):
        # The first answer to a question is the one that counts, whatever was tried after it.
        answers[answer.attempt_id].setdefault(answer.question_id, answer)
    records = []
    for key in keys:
        lesson = library.lesson(key)
        if lesson is None or not attempts.get(key):
            continue
        numbered = list(enumerate(attempts[key], start=1))[-ATTEMPTS_SHOWN:]
        records.append(
            QuizRecord(
                f"Quiz: {lesson.title}",
                lesson.quiz_url,
                tuple(_attempt(n, a, lesson.quiz, answers[a.pk]) for n, a in reversed(numbered)),
                len(attempts[key]) - len(numbered),
            )
        )
    return tuple(records)


def _attempt(number: int, attempt: QuizAttempt, questions, answers: dict) -> Attempt:
    """An attempt's answers in the quiz's order (questions since removed are left out)."""
    given = tuple(
        Answer(n, q.prompt, q.type, answer_in_words(q, a.response), a.correct)
        for n, q in enumerate(questions, start=1)
        if (a := answers.get(q.id)) is not None
    )
    return Attempt(
        number, attempt.started_at, attempt.finished_at, attempt.correct, attempt.total, given
    )


def _exercises(slugs: list[str], library: Library) -> list[Exercise]:
    return [e for slug in slugs if (e := library.exercise(slug)) is not None]


def _exercise_records(learner_id, slugs: list[str], library: Library) -> tuple[ExerciseRecord, ...]:
    solutions = {
        s.exercise_slug: s
        for s in ExerciseSolution.objects.filter(learner_id=learner_id, exercise_slug__in=slugs)
    }
    problems = defaultdict(list)
    for slug, code, count in (
        ExerciseProblem.objects.filter(learner_id=learner_id, exercise_slug__in=slugs)
        .order_by("-count", "code")
        .values_list("exercise_slug", "code", "count")
    ):
        problems[slug].append((code, count))
    places = {Draft.exercise_place(slug): slug for slug in slugs}
    drafts = {
        places[place]: text
        for place, text in Draft.objects.filter(
            learner_id=learner_id, place__in=places
        ).values_list("place", "text")
    }
    records = []
    left = PAGE_CHECKED_WITHIN
    for exercise in _exercises(slugs, library):
        solution = solutions.get(exercise.slug)
        draft = "" if solution else drafts.get(exercise.slug, "")
        size = len(draft.encode("utf-8", "surrogatepass"))
        report = None
        lines = draft.count("\n")
        if draft and size <= min(DRAFT_CHECKED_WITHIN, left) and lines < DRAFT_LINES_CHECKED:
            report = check(draft, kubernetes_version=exercise.kubernetes_version)
            left -= size
        records.append(
            ExerciseRecord(
                exercise,
                solution.text if solution else "",
                solution.solved_at if solution else None,
                tuple(problems.get(exercise.slug, ())),
                draft,
                report,
            )
        )
    return tuple(records)
