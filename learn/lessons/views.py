"""Pages for reading lessons: home, module, lesson, search, and marking a lesson complete."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from learn.classroom.grid import assignments_for
from learn.content.lessons import NEEDS, Lesson
from learn.content.library import get_library
from learn.content.modules import Module
from learn.content.questions import QuestionState, grade
from learn.content.search import MAX_QUERY, search
from learn.core.http import HtmxHttpRequest
from learn.progress.learners import (
    current_learner,
    keeps_learners,
    module_progress,
    next_lesson,
    note_visit,
    set_completed,
    standing,
)
from learn.progress.models import Learner


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
        "course_minutes": sum(module.minutes for module in library.modules),
        "completed": completed,
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


def _lesson_context(request: HttpRequest, lesson: Lesson, learner: Learner | None) -> dict:
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


def _check_states(lesson: Lesson, answer) -> list[QuestionState]:
    """The questions asked inside the lesson; the one answered in `answer` (GET data) graded."""
    states = []
    for number, question in enumerate(lesson.checks, start=1):
        state = QuestionState(number, question, lesson.prompts[question.id])
        if answer.get("check") == question.id:
            feedback = grade(question, answer)
            if feedback.response:
                state.feedback = feedback
            else:
                state.message = feedback.summary
        states.append(state)
    return states


@require_GET
@vary_on_headers("HX-Request")
def lesson_page(request: HtmxHttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    """The lesson; with `check=<id>` and an answer, a question inside it is graded in place.

    Those answers are never stored (they count toward nothing), so a GET form is enough.
    """
    lesson = _lesson_or_404(module_slug, lesson_slug)
    states = _check_states(lesson, request.GET)
    if request.htmx and "check" in request.GET:
        state = next((s for s in states if s.question.id == request.GET["check"]), None)
        if state is None:
            raise Http404("No such question in this lesson")
        return render(request, "lessons/lesson.html#check", {"lesson": lesson, "state": state})
    learner = current_learner(request)
    note_visit(learner, lesson)
    by_id = {s.question.id: s for s in states}
    context = _lesson_context(request, lesson, learner) | {
        "parts": [(html, by_id.get(check_id)) for html, check_id in lesson.segments],
        "needs": [NEEDS[need] for need in lesson.needs],
    }
    return render(request, "lessons/lesson.html", context)


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page outside the course, such as what you need to set up."""
    found = get_library().page(slug)
    if found is None:
        raise Http404("No such page")
    return render(request, "lessons/page.html", {"page": found})


@require_POST
@vary_on_headers("HX-Request")
@keeps_learners
def complete_lesson(request: HtmxHttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    """Mark a lesson complete (done=1) or not (done=0); htmx gets the updated controls back."""
    lesson = _lesson_or_404(module_slug, lesson_slug)
    done = request.POST.get("done", "1") != "0"
    # Un-marking needs no learner: someone who never stored anything has nothing to undo.
    learner = current_learner(request, create=done)
    if learner is not None:
        set_completed(learner, lesson, done)
        note_visit(learner, lesson)
    if request.htmx:
        context = _lesson_context(request, lesson, learner)
        return render(request, "lessons/lesson.html#completion", context)
    return redirect("lessons:lesson", module_slug, lesson_slug)


@require_GET
@vary_on_headers("HX-Request")
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context = {"query": query, "hits": search(get_library(), query) if query else []}
    template = "lessons/search.html#results" if request.htmx else "lessons/search.html"
    return render(request, template, context)
