"""Finding the current learner and recording what they do."""

from dataclasses import dataclass

from django.http import HttpRequest

from learn.lessons.content import Lesson, Library, Module
from learn.progress.models import ExerciseSolution, Learner, LessonCompletion

SESSION_KEY = "learner_id"


def current_learner(request: HttpRequest, *, create: bool = False) -> Learner | None:
    """The learner behind this request; created (and remembered in the session) if asked."""
    learner_id = request.session.get(SESSION_KEY)
    learner = Learner.objects.filter(pk=learner_id).first() if learner_id else None
    if learner is None and create:
        learner = Learner.objects.create()
        request.session[SESSION_KEY] = str(learner.pk)
    return learner


def set_completed(learner: Learner, lesson: Lesson, done: bool) -> None:
    """Mark a lesson complete or not complete; repeating either is harmless."""
    fields = {"learner": learner, "module_slug": lesson.module_slug, "lesson_slug": lesson.slug}
    if done:
        LessonCompletion.objects.get_or_create(**fields)
    else:
        LessonCompletion.objects.filter(**fields).delete()


def record_solution(learner: Learner, slug: str, text: str) -> bool:
    """Record a solved exercise (the first solution is kept); True when it is newly solved."""
    _, created = ExerciseSolution.objects.get_or_create(
        learner=learner, exercise_slug=slug, defaults={"text": text}
    )
    return created


def note_visit(learner: Learner | None, lesson: Lesson) -> None:
    """Remember the last lesson a known learner opened (no write when it is unchanged)."""
    if learner is not None and learner.last_lesson != lesson.key:
        learner.last_lesson = lesson.key
        learner.save(update_fields=["last_lesson"])


@dataclass(frozen=True)
class ModuleProgress:
    """How far a learner is through one module."""

    module: Module
    done: int

    @property
    def total(self) -> int:
        return len(self.module.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def module_progress(library: Library, completed: set[str]) -> list[ModuleProgress]:
    """Progress through every module, in order."""
    return [
        ModuleProgress(module, sum(lesson.key in completed for lesson in module.lessons))
        for module in library.modules
    ]


def next_lesson(library: Library, learner: Learner | None, completed: set[str]) -> Lesson | None:
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
