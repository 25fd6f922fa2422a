"""Who has done what in a class: every member against every assignment, in a bounded number of
queries whatever the size of the class (members, their learners, completions, solutions,
quiz attempts, exercises begun, wrong answers and exercise problems: one query each)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count

from learn.classroom.models import Assignment, Classroom, Membership
from learn.content.library import Library
from learn.progress.learners import PASS_PERCENT
from learn.progress.models import (
    ExerciseProblem,
    ExerciseSolution,
    ExerciseStart,
    Learner,
    LessonCompletion,
)
from learn.quizzes.models import QuizAnswer, QuizAttempt


@dataclass(frozen=True)
class Item:
    """An assignment with what it covers: (part kind, key) pairs."""

    assignment: Assignment
    title: str
    url: str
    parts: tuple[tuple[str, str], ...]

    @property
    def kind(self) -> str:
        return self.assignment.kind


LABELS = {
    "done": "Done",
    "late": "Late",
    "in-progress": "In progress",
    "not-started": "Not started",
}


@dataclass(frozen=True)
class Cell:
    status: str
    detail: str = ""
    score: int | None = None  # best quiz score, for quizzes
    # When the last part was done, once all are. Not compared: cells that draw the same status
    # stay equal, so that the status tag draws each distinct one once per page.
    completed_at: datetime | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """The status in words."""
        return LABELS[self.status]


@dataclass
class Row:
    user: User
    cells: list[Cell]

    def count(self, status: str) -> int:
        return sum(1 for cell in self.cells if cell.status == status)

    @property
    def done(self) -> int:
        return self.count("done")


@dataclass
class ItemSummary:
    item: Item
    counts: Counter
    average_score: int | None
    # What trips the class up, counted in learners, so that one learner's retries and repeated
    # checks weigh as one: (question prompt, learners who answered it wrongly, misconception) and
    # (diagnostic code, learners whose checks hit it).
    missed: list[tuple[str, int, str]] = field(default_factory=list)
    problems: list[tuple[str, int]] = field(default_factory=list)

    @property
    def in_progress(self) -> int:
        return self.counts.get("in-progress", 0)


@dataclass
class Grid:
    items: list[Item]
    rows: list[Row]
    summaries: list[ItemSummary]


def items_of(classroom: Classroom, library: Library) -> list[Item]:
    """The class's assignments, with titles, links and parts (skipping content that is gone)."""
    items = []
    for assignment in classroom.assignments.all():
        item = _item(assignment, library)
        if item is not None:
            items.append(item)
    return items


def _item(assignment: Assignment, library: Library) -> Item | None:
    kind, target = assignment.kind, assignment.target
    if kind == Assignment.Kind.MODULE and (module := library.module(target)):
        parts = [("lesson", lesson.key) for lesson in module.lessons]
        parts += [("quiz", lesson.key) for lesson in module.lessons if lesson.quiz]
        return Item(
            assignment,
            f"Module {module.number}: {module.title}",
            module.url,
            tuple(parts),
        )
    if kind in (Assignment.Kind.LESSON, Assignment.Kind.QUIZ) and (
        lesson := library.lesson(target)
    ):
        if kind == Assignment.Kind.QUIZ and not lesson.quiz:
            return None  # the quiz was removed from the content
        if kind == Assignment.Kind.QUIZ:
            return Item(assignment, f"Quiz: {lesson.title}", lesson.quiz_url, (("quiz", target),))
        return Item(assignment, lesson.title, lesson.url, (("lesson", target),))
    if kind == Assignment.Kind.EXERCISE and (exercise := library.exercise(target)):
        return Item(
            assignment,
            f"Exercise: {exercise.title}",
            exercise.url,
            (("exercise", target),),
        )
    return None


@dataclass
class _Done:
    """When each part was done by one learner, and best quiz scores."""

    at: dict = field(default_factory=dict)  # (kind, key) -> datetime
    best: dict = field(default_factory=dict)  # lesson key -> best percent
    started: set = field(default_factory=set)  # (kind, key) of quizzes and exercises begun


def _done_by_learner(learner_ids: list) -> dict:
    done: dict = defaultdict(_Done)
    for learner_id, module, lesson, at in LessonCompletion.objects.filter(
        learner_id__in=learner_ids
    ).values_list("learner_id", "module_slug", "lesson_slug", "completed_at"):
        done[learner_id].at[("lesson", f"{module}/{lesson}")] = at
    for learner_id, slug, at in ExerciseSolution.objects.filter(
        learner_id__in=learner_ids
    ).values_list("learner_id", "exercise_slug", "solved_at"):
        done[learner_id].at[("exercise", slug)] = at
    attempts = QuizAttempt.objects.filter(learner_id__in=learner_ids)
    for learner_id, key, correct, total, finished in attempts.order_by("finished_at").values_list(
        "learner_id", "lesson_key", "correct", "total", "finished_at"
    ):
        mine = done[learner_id]
        mine.started.add(("quiz", key))  # any attempt, finished or not, has begun the quiz
        if finished is None:
            continue
        percent = round(100 * correct / total) if total else 0
        mine.best[key] = max(mine.best.get(key, 0), percent)
        if percent >= PASS_PERCENT and ("quiz", key) not in mine.at:
            mine.at[("quiz", key)] = finished
    begun = ExerciseStart.objects.filter(learner_id__in=learner_ids).values_list(
        "learner_id", "exercise_slug"
    )
    for learner_id, slug in begun:
        done[learner_id].started.add(("exercise", slug))
    return done


def cell_for(item: Item, done: _Done, now: datetime) -> Cell:
    """One learner's status on one assignment."""
    finished = [done.at[part] for part in item.parts if part in done.at]
    due = item.assignment.due_at
    score = done.best.get(item.parts[0][1]) if item.kind == Assignment.Kind.QUIZ else None
    if len(finished) == len(item.parts):
        # Finished after the due date is still finished: done, and marked as late.
        late = due is not None and max(finished) > due
        return Cell("done", "after the due date" if late else "", score, max(finished))
    if due is not None and now > due:
        status = "late"
    else:
        begun = finished or score is not None or any(part in done.started for part in item.parts)
        status = "in-progress" if begun else "not-started"
    detail = f"{len(finished)}/{len(item.parts)}" if len(item.parts) > 1 else ""
    if score is not None:
        detail = f"best {score}%"
    return Cell(status, detail, score)


def build_grid(classroom: Classroom, library: Library, now: datetime) -> Grid:
    """Every member against every assignment, with a summary per assignment."""
    items = items_of(classroom, library)
    members = [
        m.user for m in classroom.memberships.select_related("user").order_by("user__username")
    ]
    learners = dict(Learner.objects.filter(user__in=members).values_list("user_id", "pk"))
    done = _done_by_learner(list(learners.values()))
    rows = [
        Row(user, [cell_for(item, done[learners.get(user.pk)], now) for item in items])
        for user in members
    ]
    summaries = _summaries(items, rows, list(learners.values()), library)
    return Grid(items, rows, summaries)


def _summaries(
    items: list[Item], rows: list[Row], learner_ids: list, library: Library
) -> list[ItemSummary]:
    quiz_keys = {key for item in items for kind, key in item.parts if kind == "quiz"}
    wrong = (
        QuizAnswer.objects.filter(
            attempt__learner_id__in=learner_ids, attempt__lesson_key__in=quiz_keys, correct=False
        )
        .values_list("attempt__lesson_key", "question_id")
        .annotate(n=Count("attempt__learner", distinct=True))
    )
    wrong_by_key = defaultdict(list)
    for key, question_id, n in wrong:
        wrong_by_key[key].append((question_id, n))
    slugs = {key for item in items for kind, key in item.parts if kind == "exercise"}
    problems = (
        ExerciseProblem.objects.filter(learner_id__in=learner_ids, exercise_slug__in=slugs)
        .values_list("exercise_slug", "code")
        .annotate(n=Count("learner", distinct=True))
    )
    problems_by_slug = defaultdict(list)
    for slug, code, n in problems:
        problems_by_slug[slug].append((code, n))
    summaries = []
    for index, item in enumerate(items):
        cells = [row.cells[index] for row in rows]
        scores = [c.score for c in cells if c.score is not None]
        summary = ItemSummary(
            item,
            Counter(c.status for c in cells),
            round(sum(scores) / len(scores)) if scores else None,
        )
        for kind, key in item.parts:
            lesson = library.lesson(key) if kind == "quiz" else None
            questions = {q.id: q for q in lesson.quiz} if lesson else {}
            for question_id, n in wrong_by_key.get(key, []) if kind == "quiz" else []:
                question = questions.get(question_id)
                if question is not None:
                    summary.missed.append((question.prompt, n, question.misconception))
            summary.problems += problems_by_slug.get(key, []) if kind == "exercise" else []
        summary.missed.sort(key=lambda m: -m[1])
        summary.problems.sort(key=lambda p: -p[1])
        summary.missed, summary.problems = summary.missed[:5], summary.problems[:5]
        summaries.append(summary)
    return summaries


def _done_by_user(user) -> _Done:
    """What one user's learner has done (nothing when they never kept progress)."""
    learner_id = learner_id_of(user)
    return _done_by_learner([learner_id] if learner_id else [])[learner_id]


def learner_id_of(user):
    """The id of the user's learner (None when they never kept progress)."""
    return Learner.objects.filter(user=user).values_list("pk", flat=True).first()


def row_for(
    classroom: Classroom, learner_id, library: Library, now: datetime
) -> list[tuple[Item, Cell]]:
    """One member's status on each of the class's assignments: their row of the grid, alone."""
    done = _done_by_learner([learner_id] if learner_id else [])[learner_id]
    return [(item, cell_for(item, done, now)) for item in items_of(classroom, library)]


def assignments_for(user, library: Library, now: datetime) -> list[dict]:
    """For a learner: each of their classes, with its assignments and the learner's status."""
    memberships = list(Membership.objects.filter(user=user).select_related("classroom"))
    if not memberships:
        return []
    done = _done_by_user(user)
    result = []
    for membership in memberships:
        rows = []
        for item in items_of(membership.classroom, library):
            opens = item.assignment.opens_at
            rows.append(
                {
                    "item": item,
                    "cell": cell_for(item, done, now),
                    "open": opens is None or opens <= now,
                }
            )
        result.append({"classroom": membership.classroom, "rows": rows})
    return result
