"""Pages for reading lessons: home, module, lesson, search, and marking a lesson complete."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from learn.classroom.grid import assignments_for
from learn.lessons.content import Lesson, Module
from learn.lessons.library import get_library
from learn.lessons.search import MAX_QUERY, search
from learn.progress.learners import (
    current_learner,
    module_progress,
    next_lesson,
    note_visit,
    set_completed,
    standing,
)


def _module_or_404(module_slug: str) -> Module:
    module = get_library().module(module_slug)
    if module is None:
        raise Http404("No such module")
    return module


def _lesson_or_404(module_slug: str, lesson_slug: str) -> Lesson:
    lesson = get_library().lesson(f"{module_slug}/{lesson_slug}")
    if lesson is None:
        raise Http404("No such lesson")
    return lesson


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    library = get_library()
    learner = current_learner(request)
    state = standing(learner)
    completed = state.completed
    context = {
        "progress": module_progress(library, state),
        "continue_lesson": next_lesson(library, learner, completed),
        "started": bool(completed) or bool(learner and learner.last_lesson),
        "lesson_count": len(library.lessons),
        "learning": assignments_for(request.user, library, timezone.now())
        if request.user.is_authenticated
        else [],
    }
    return render(request, "lessons/home.html", context)


@require_GET
def module_page(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = _module_or_404(module_slug)
    state = standing(current_learner(request))
    context = {
        "module": module,
        "completed": state.completed,
        "best_scores": state.best_scores,
        "progress": module_progress(get_library(), state)[get_library().modules.index(module)],
    }
    return render(request, "lessons/module.html", context)


def _lesson_context(request: HttpRequest, lesson: Lesson, learner) -> dict:
    library = get_library()
    previous, following = library.neighbours(lesson)
    state = standing(learner)
    module = library.module(lesson.module_slug)
    return {
        "lesson": lesson,
        "module": module,
        "exercises": library.exercises_for(lesson),
        "solved": state.solved,
        "quiz_best": state.best_scores.get(lesson.key),
        "previous": previous,
        "next": following,
        "is_complete": lesson.key in state.completed,
        "progress": module_progress(library, state)[library.modules.index(module)],
    }


@require_GET
def lesson_page(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = _lesson_or_404(module_slug, lesson_slug)
    learner = current_learner(request)
    note_visit(learner, lesson)
    return render(request, "lessons/lesson.html", _lesson_context(request, lesson, learner))


@require_POST
@vary_on_headers("HX-Request")
def complete_lesson(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    """Mark a lesson complete (done=1) or not (done=0); htmx gets the updated controls back."""
    lesson = _lesson_or_404(module_slug, lesson_slug)
    done = request.POST.get("done", "1") != "0"
    learner = current_learner(request, create=True)
    set_completed(learner, lesson, done)
    note_visit(learner, lesson)
    if request.htmx:
        context = _lesson_context(request, lesson, learner)
        return render(request, "lessons/lesson.html#completion", context)
    return redirect("lessons:lesson", module_slug, lesson_slug)


@require_GET
@vary_on_headers("HX-Request")
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context = {"query": query, "hits": search(get_library(), query) if query else []}
    template = "lessons/search.html#results" if request.htmx else "lessons/search.html"
    return render(request, template, context)
