"""A lesson's quiz: answer a question, get graded feedback at once; a score at the end; retry."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from learn.content.lessons import Lesson
from learn.content.library import get_library
from learn.content.questions import QuestionState, grade
from learn.core.http import HtmxHttpRequest
from learn.core.limits.rates import spend_engine, too_many
from learn.progress.learners import current_learner, keeps_learners
from learn.progress.models import Learner
from learn.quizzes.models import QuizAnswer, QuizAttempt

ANSWERS_LIMITED = (
    "You, or everyone at your address together, sent more specs to be checked in the last minute "
    "than the server checks for them. Your answer was not recorded: send it again then."
)


def _quiz_lesson(module_slug: str, lesson_slug: str) -> Lesson:
    lesson = get_library().lesson(f"{module_slug}/{lesson_slug}")
    if lesson is None or not lesson.quiz:
        raise Http404("No quiz here")
    return lesson


def _states(lesson: Lesson, attempt: QuizAttempt | None) -> list[QuestionState]:
    answers = {a.question_id: a for a in attempt.answers.all()} if attempt else {}
    states = []
    for number, question in enumerate(lesson.quiz, start=1):
        answer = answers.get(question.id)
        feedback = answer.graded(question) if answer else None
        states.append(QuestionState(number, question, lesson.prompts[question.id], feedback))
    return states


def _latest_attempt(learner: Learner | None, lesson: Lesson) -> QuizAttempt | None:
    if learner is None:
        return None
    return (
        learner.quiz_attempts.filter(lesson_key=lesson.key).order_by("-started_at", "-pk").first()
    )


def _context(lesson: Lesson, learner: Learner | None, attempt: QuizAttempt | None) -> dict:
    states = _states(lesson, attempt)
    return {
        "lesson": lesson,
        "module": get_library().module(lesson.module_slug),
        "attempt": attempt,
        "states": states,
        "review": [s for s in states if s.feedback and not s.feedback.correct],
        "best": learner.best_scores().get(lesson.key) if learner else None,
    }


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@keeps_learners
def quiz_page(request: HtmxHttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = _quiz_lesson(module_slug, lesson_slug)
    url = reverse("quizzes:quiz", args=[module_slug, lesson_slug])
    if request.method == "GET":
        learner = current_learner(request)
        return render(
            request,
            "quizzes/quiz.html",
            _context(lesson, learner, _latest_attempt(learner, lesson)),
        )
    learner = current_learner(request)
    attempt = _latest_attempt(learner, lesson)
    if "retry" in request.POST:
        # Without answers there is nothing to retry: the next answer starts an attempt anyway.
        if attempt is not None and attempt.answers.exists():
            QuizAttempt.objects.create(
                learner=attempt.learner, lesson_key=lesson.key, total=len(lesson.quiz)
            )
        return redirect(url)
    question = next((q for q in lesson.quiz if q.id == request.POST.get("question")), None)
    if question is None or (attempt is not None and attempt.finished_at is not None):
        return redirect(url)  # an unknown question, or a stale tab after the attempt finished
    # Grading a written spec runs the engine: paid from the learner's budget, as a check is.
    if question.type == "write_spec" and (
        wait := spend_engine(request, request.POST.get("text", ""))
    ):
        return too_many(request, wait, ANSWERS_LIMITED)
    feedback = grade(question, request.POST)
    message = ""
    if not feedback.response:
        # Nothing usable was answered: say what is expected, and keep nothing.
        message = feedback.summary
    else:
        learner = learner or current_learner(request, create=True)
        attempt = attempt or QuizAttempt.objects.create(
            learner=learner, lesson_key=lesson.key, total=len(lesson.quiz)
        )
        _, created = QuizAnswer.objects.get_or_create(
            attempt=attempt,
            question_id=question.id,
            defaults={
                "response": feedback.response,
                "correct": feedback.correct,
                **QuizAnswer.graded_fields(question, feedback),
            },
        )
        if created:
            attempt.finish_if_complete({q.id for q in lesson.quiz})
    context = _context(lesson, learner, attempt)
    state = next(s for s in context["states"] if s.question.id == question.id)
    state.message = message
    if request.htmx:
        return render(request, "quizzes/quiz.html#answered", {**context, "state": state})
    if message:  # without JavaScript too, say what is expected, on the page itself
        return render(request, "quizzes/quiz.html", context, status=400)
    return redirect(f"{url}#q-{question.id}")
