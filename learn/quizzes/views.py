"""A lesson's quiz: answer a question, get graded feedback at once; a score at the end; retry the
quiz, or one question (whose first answer still counts)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from learn.content.lessons import Lesson
from learn.content.library import get_library
from learn.content.questions import Question, QuestionState, grade
from learn.core.http import HtmxHttpRequest
from learn.core.limits.rates import spend_engine, too_many
from learn.progress.learners import current_learner, keeps_learners
from learn.progress.models import Learner
from learn.quizzes.models import QuizAnswer, QuizAttempt, QuizRetry

ANSWERS_LIMITED = (
    "You, or everyone at your address together, sent more specs to be checked in the last minute "
    "than the server checks for them. Your answer was not recorded: send it again then."
)


def _quiz_lesson(module_slug: str, lesson_slug: str) -> Lesson:
    lesson = get_library().lesson(f"{module_slug}/{lesson_slug}")
    if lesson is None or not lesson.quiz:
        raise Http404("No quiz here")
    return lesson


def _answers(attempt: QuizAttempt | None) -> dict[str, QuizAnswer]:
    if attempt is None:
        return {}
    return {a.question_id: a for a in attempt.answers.select_related("retry")}


def _state(
    number: int, question: Question, lesson: Lesson, answer: QuizAnswer | None
) -> QuestionState:
    """A question as shown: its latest answer's feedback (a retry's, with whether the first was
    right, when it was tried again)."""
    state = QuestionState(number, question, lesson.prompts[question.id])
    retry = getattr(answer, "retry", None)
    if retry is not None and answer is not None:
        state.feedback, state.first_correct = retry.graded(question), answer.correct
    elif answer is not None:
        state.feedback = answer.graded(question)
    return state


def _states(lesson: Lesson, attempt: QuizAttempt | None, again: str = "") -> list[QuestionState]:
    """Every question of the quiz as shown; `again` names one opened to be answered again (its
    latest answer filled in, its feedback hidden)."""
    answers = _answers(attempt)
    states = []
    for number, question in enumerate(lesson.quiz, start=1):
        state = _state(number, question, lesson, answers.get(question.id))
        state.again = question.id == again and state.feedback is not None
        states.append(state)
    return states


def _latest_attempt(learner: Learner | None, lesson: Lesson) -> QuizAttempt | None:
    if learner is None:
        return None
    return (
        learner.quiz_attempts.filter(lesson_key=lesson.key).order_by("-started_at", "-pk").first()
    )


def _context(
    lesson: Lesson, learner: Learner | None, attempt: QuizAttempt | None, again: str = ""
) -> dict:
    states = _states(lesson, attempt, again)
    return {
        "lesson": lesson,
        "module": get_library().module(lesson.module_slug),
        "attempt": attempt,
        "states": states,
        # What the score counts wrong, even if a later try got it right: the two must agree.
        "review": [s for s in states if s.scored_wrong],
        "best": learner.best_scores().get(lesson.key) if learner else None,
    }


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@keeps_learners
def quiz_page(request: HtmxHttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = _quiz_lesson(module_slug, lesson_slug)
    url = reverse("quizzes:quiz", args=[module_slug, lesson_slug])
    learner = current_learner(request)
    attempt = _latest_attempt(learner, lesson)
    if request.method == "GET":
        return _show(request, lesson, learner, attempt)
    if "retry" in request.POST:
        # Without answers there is nothing to retry: the next answer starts an attempt anyway.
        if attempt is not None and attempt.answers.exists():
            QuizAttempt.objects.create(
                learner=attempt.learner, lesson_key=lesson.key, total=len(lesson.quiz)
            )
        return redirect(url)
    question = next((q for q in lesson.quiz if q.id == request.POST.get("question")), None)
    first = (
        attempt.answers.filter(question_id=question.id).first() if question and attempt else None
    )
    retry = question is not None and first is not None and "again" in request.POST
    if question is None or (not retry and attempt is not None and attempt.finished_at is not None):
        return redirect(url)  # an unknown question, or a stale tab after the attempt finished
    # Grading a written spec runs the engine, a retry's too: paid from the learner's budget, as a
    # check is.
    if question.type == "write_spec" and (
        wait := spend_engine(request, request.POST.get("text", ""))
    ):
        return too_many(request, wait, ANSWERS_LIMITED)
    if retry and first is not None:
        return _answer_again(request, lesson, learner, first, question)
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
    return _answered(request, lesson, learner, attempt, question, message)


def _show(
    request: HtmxHttpRequest, lesson: Lesson, learner: Learner | None, attempt: QuizAttempt | None
) -> HttpResponse:
    """The quiz page; with `?again=<id>`, that answered question opened to be answered again
    (only that question, when htmx asks)."""
    again = request.GET.get("again", "")
    context = _context(lesson, learner, attempt, again)
    state = next((s for s in context["states"] if s.again), None)
    if request.htmx and state is not None:
        return render(request, "quizzes/quiz.html#question", {**context, "state": state})
    return render(request, "quizzes/quiz.html", context)


def _answer_again(
    request: HtmxHttpRequest,
    lesson: Lesson,
    learner: Learner | None,
    first: QuizAnswer,
    question: Question,
) -> HttpResponse:
    """Grade a question tried again and keep it as the latest retry; the first answer and the
    score stay as they are."""
    feedback = grade(question, request.POST)
    message = ""
    if feedback.response:
        QuizRetry.objects.update_or_create(
            answer=first,
            defaults={
                "response": feedback.response,
                "correct": feedback.correct,
                **QuizRetry.graded_fields(question, feedback),
            },
        )
    else:
        message = feedback.summary
    return _answered(request, lesson, learner, first.attempt, question, message)


def _answered(
    request: HtmxHttpRequest,
    lesson: Lesson,
    learner: Learner | None,
    attempt: QuizAttempt | None,
    question: Question,
    message: str,
) -> HttpResponse:
    """The page (or, for htmx, the question and the summary) after an answer, graded or refused
    with `message` saying what is expected."""
    again = question.id if message else ""  # a refused retry stays open to be answered
    context = _context(lesson, learner, attempt, again)
    state = next(s for s in context["states"] if s.question.id == question.id)
    state.message = message
    if request.htmx:
        return render(request, "quizzes/quiz.html#answered", {**context, "state": state})
    if message:  # without JavaScript too, say what is expected, on the page itself
        return render(request, "quizzes/quiz.html", {**context, "state": state}, status=400)
    url = reverse("quizzes:quiz", args=[lesson.module_slug, lesson.slug])
    return redirect(f"{url}#q-{question.id}")
