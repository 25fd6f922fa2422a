"""Finding the current learner and recording what they do."""

import functools
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, overload

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from learn.content.lessons import Lesson
from learn.content.library import Library
from learn.content.modules import Module
from learn.core.http import HtmxHttpRequest
from learn.core.limits.rates import spend, too_many
from learn.progress.models import (
    Draft,
    ExerciseProblem,
    ExerciseSolution,
    ExerciseStart,
    Learner,
    LessonCompletion,
)

SESSION_KEY = "learner_id"
STARTED_KEY = "exercises_started"  # `learner/slug` of the starts this session has recorded
PASS_PERCENT = 75  # a quiz counts as done in progress from this best score
ACTIVITY_RESOLUTION = timedelta(days=1)
# settings.NEW_ANONYMOUS_LEARNERS_PER_HOUR caps the anonymous learners one address may start an
# hour: a class behind one address starts one each, while a client that drops its session cookie
# cannot add a learner, a session and progress rows with every post.
TOO_MANY_NEW_LEARNERS = (
    "Your address started keeping progress for more new visitors in the last hour than the "
    "server does for one address, so this was not kept. Allow this site's cookies (your "
    "progress lives in your session) or sign in, and your progress is kept again."
)


class TooManyNewLearners(Exception):
    """This address started as many anonymous learners this hour as it may; `wait` seconds more."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


# Asked to create, it always gives a learner (or raises TooManyNewLearners).
@overload
def current_learner(request: HttpRequest, *, create: Literal[True]) -> Learner: ...
@overload
def current_learner(request: HttpRequest, *, create: bool = False) -> Learner | None: ...
def current_learner(request: HttpRequest, *, create: bool = False) -> Learner | None:
    """The learner behind this request (the account's, or the session's for anonymous
    visitors); created, and for anonymous visitors remembered in the session, if asked.

    Ask to create only when there is something to keep: an anonymous learner costs a row and a
    session, and a visitor who never stores anything should leave neither behind. Past its
    address's hourly allowance of new anonymous learners, TooManyNewLearners is raised (views
    that create learners answer it with keeps_learners).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        learner = Learner.objects.filter(user=user).first()
        if learner is None and create:
            learner = Learner.objects.create(user=user)
        return learner
    learner_id = request.session.get(SESSION_KEY)
    # Only an anonymous learner: after signing out, a session never writes to an account's.
    learner = (
        Learner.objects.filter(pk=learner_id, user__isnull=True).first() if learner_id else None
    )
    if learner is None and create:
        ceiling = settings.NEW_ANONYMOUS_LEARNERS_PER_HOUR
        if wait := spend(request, "new-learner", ceiling, window=60 * 60):
            raise TooManyNewLearners(wait)
        learner = Learner.objects.create()
        request.session[SESSION_KEY] = str(learner.pk)
        request.session.set_expiry(anonymous_lifetime_seconds())
    elif learner is not None:
        _note_activity(request, learner)
    return learner


def keeps_learners(view):
    """A view that may create an anonymous learner: past the allowance, a 429 that says so and
    stores nothing (with htmx, in place of the page's content, whatever part was asked for)."""

    @functools.wraps(view)
    def wrapped(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TooManyNewLearners as refused:
            return too_many(request, refused.wait, TOO_MANY_NEW_LEARNERS)

    return wrapped


def anonymous_lifetime_seconds() -> int:
    """How long an anonymous learner's session lives after their last visit (the learner is
    purged after as long by `clearanonymous`)."""
    return settings.ANONYMOUS_PROGRESS_DAYS * 24 * 60 * 60


def _note_activity(request: HttpRequest, learner: Learner) -> None:
    """Keep an anonymous learner and their session alive while they visit: at most one write a
    day, so that reading pages stays free of writes (`clearanonymous` purges the idle ones)."""
    now = timezone.now()
    if now - learner.last_seen > ACTIVITY_RESOLUTION:
        Learner.objects.filter(pk=learner.pk).update(last_seen=now)
        learner.last_seen = now
        request.session.set_expiry(anonymous_lifetime_seconds())  # saved with a later expiry


def set_completed(learner: Learner, lesson: Lesson, done: bool) -> None:
    """Mark a lesson complete or not complete; repeating either is harmless."""
    if done:
        LessonCompletion.objects.get_or_create(
            learner=learner, module_slug=lesson.module_slug, lesson_slug=lesson.slug
        )
    else:
        LessonCompletion.objects.filter(
            learner=learner, module_slug=lesson.module_slug, lesson_slug=lesson.slug
        ).delete()


def record_solution(learner: Learner, slug: str, text: str) -> bool:
    """Record a solved exercise (the first solution is kept); True when it is newly solved."""
    _, created = ExerciseSolution.objects.get_or_create(
        learner=learner, exercise_slug=slug, defaults={"text": text}
    )
    return created


def note_started(request: HttpRequest, learner: Learner, slug: str) -> None:
    """Record once that a learner began an exercise, and remember it in the session: the checks
    made as they type go on costing no query for it."""
    mark = f"{learner.pk}/{slug}"
    started = request.session.get(STARTED_KEY, [])
    if mark in started:
        return
    ExerciseStart.objects.bulk_create(
        [ExerciseStart(learner=learner, exercise_slug=slug)], ignore_conflicts=True
    )
    request.session[STARTED_KEY] = [*started, mark]


def count_problems(learner: Learner, slug: str, codes: set[str]) -> None:
    """Count once each diagnostic code a learner's check of an exercise hit, in a fixed number
    of queries however many codes there are (the rows, then their counts, atomically)."""
    if not codes:
        return
    with transaction.atomic():
        ExerciseProblem.objects.bulk_create(
            [ExerciseProblem(learner=learner, exercise_slug=slug, code=code) for code in codes],
            ignore_conflicts=True,
        )
        ExerciseProblem.objects.filter(learner=learner, exercise_slug=slug, code__in=codes).update(
            count=F("count") + 1
        )


def note_visit(learner: Learner | None, lesson: Lesson) -> None:
    """Remember the last lesson a known learner opened (no write when it is unchanged)."""
    if learner is not None and learner.last_lesson != lesson.key:
        learner.last_lesson = lesson.key
        learner.save(update_fields=["last_lesson"])


@dataclass(frozen=True)
class Standing:
    """What a learner has done: lessons completed, exercises solved, best quiz scores."""

    completed: frozenset[str] = frozenset()
    solved: frozenset[str] = frozenset()
    best_scores: dict = field(default_factory=dict)  # lesson key -> best percent

    @property
    def passed_quizzes(self) -> set[str]:
        return {key for key, best in self.best_scores.items() if best >= PASS_PERCENT}


def standing(learner: Learner | None) -> Standing:
    """Everything a page needs about a learner's progress, in three queries."""
    if learner is None:
        return Standing()
    return Standing(
        frozenset(learner.completed_keys()),
        frozenset(learner.solved_slugs()),
        learner.best_scores(),
    )


@dataclass(frozen=True)
class ModuleProgress:
    """How far a learner is through one module: its lessons and its quizzes."""

    module: Module
    done: int  # lessons completed
    quizzes_done: int = 0  # quizzes passed

    @property
    def quizzes(self) -> int:
        return sum(1 for lesson in self.module.lessons if lesson.quiz)

    @property
    def total(self) -> int:
        return len(self.module.lessons) + self.quizzes

    @property
    def finished(self) -> int:
        return self.done + self.quizzes_done

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def module_progress(library: Library, state: Standing) -> list[ModuleProgress]:
    """Progress through every module, in order."""
    passed = state.passed_quizzes
    return [
        ModuleProgress(
            module,
            sum(lesson.key in state.completed for lesson in module.lessons),
            sum(lesson.key in passed for lesson in module.lessons if lesson.quiz),
        )
        for module in library.modules
    ]


def next_lesson(library: Library, learner: Learner | None, completed: Set[str]) -> Lesson | None:
    """Where to continue: the last lesson opened if unfinished, else the next unfinished one."""
    lessons = library.lessons
    if not lessons:
        return None
    last = library.lesson(learner.last_lesson) if learner else None
    if last and last.key not in completed:
        return last
    start = lessons.index(last) if last else 0
    ordered = lessons[start:] + lessons[:start]
    return next((lesson for lesson in ordered if lesson.key not in completed), None)


def purge_idle_anonymous(idle_for: timedelta, batch: int = 1000) -> int:
    """Delete anonymous learners not seen for `idle_for`, with their progress; the number deleted.

    In batches, so that each transaction (and the cascade to their records) stays short.
    """
    deleted = 0
    while True:
        stale = Learner.objects.filter(user__isnull=True, last_seen__lt=timezone.now() - idle_for)
        batch_ids = list(stale.values_list("pk", flat=True)[:batch])
        if not batch_ids:
            return deleted
        # Filtered again: a learner who came back since the ids were read stays.
        _, per_model = stale.filter(pk__in=batch_ids).delete()
        deleted += per_model.get(Learner._meta.label, 0)


def keep_draft(request: HttpRequest, learner: Learner | None, place: str, text: str) -> None:
    """Keep a signed-in learner's checked text as their draft of the place (see Draft); an
    anonymous visitor's text stays in their browser only. `learner`: the request's, if known."""
    if request.user.is_authenticated:
        Draft.save_for(learner or current_learner(request, create=True), place, text)


def draft_text(request: HttpRequest, place: str) -> str | None:
    """A signed-in learner's draft of the place, or None."""
    learner = current_learner(request) if request.user.is_authenticated else None
    return Draft.text_for(learner, place) if learner else None
