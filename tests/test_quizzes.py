"""Quiz pages through the test client: no answers before answering, feedback, score, retry."""

import re

import pytest

import learn.podspec
import learn.quizzes.models
from learn.quizzes.models import QuizAnswer, QuizAttempt, QuizRetry

pytestmark = pytest.mark.django_db
QUIZ = "/lessons/basics/first/quiz/"
HX = {"HX-Request": "true"}
QUIZ_PAGE_QUERIES = 5


def answer(client, question, headers=None, **fields):
    return client.post(QUIZ, {"question": question, **fields}, headers=headers or {})


def test_the_page_holds_no_answers_before_answering(client, content_dir):
    html = client.get(QUIZ).content.decode()
    assert "They isolate what a process sees" in html
    assert "Each namespace type wraps one global resource" not in html  # no explanations
    assert "Limits are the job of cgroups" not in html
    assert "correct" not in html.lower().replace("incorrect:", "")  # no answer key in the markup


def test_quiz_is_linked_from_its_lesson(client, content_dir):
    html = client.get("/lessons/basics/first/").content.decode()
    assert 'href="/lessons/basics/first/quiz/"' in html
    assert client.get("/lessons/basics/second/quiz/").status_code == 404


def test_wrong_answer_gets_feedback_explanation_and_a_link_back(client, content_dir):
    response = answer(client, "isolate", HX, choice=1)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="q-isolate"')
    assert "Not quite." in html
    assert "Limits are the job of cgroups." in html
    assert "Each namespace type wraps one global resource." in html
    assert "common misconception" in html
    assert 'href="/lessons/basics/first/#namespaces"' in html
    assert QuizAnswer.objects.get().correct is False


def test_answer_without_javascript_redirects_to_the_question(client, content_dir):
    response = answer(client, "kernel", answer="true")
    assert response.status_code == 302
    assert response["Location"] == QUIZ + "#q-kernel"
    assert "Right: it is true." in client.get(QUIZ).content.decode()


def test_an_empty_answer_is_not_stored(client, content_dir):
    html = answer(client, "isolate", HX).content.decode()
    assert "Choose one answer." in html
    assert QuizAnswer.objects.count() == 0


def test_finishing_gives_a_score_and_what_to_review_then_retry(client, content_dir):
    answer(client, "isolate", choice=1)
    answer(client, "kernel", answer="true")
    last = answer(client, "wrong-line", HX, line=3).content.decode()
    assert 'id="quiz-summary"' in last
    assert 'hx-swap-oob="true"' in last
    attempt = QuizAttempt.objects.get()
    assert (attempt.correct, attempt.total, attempt.percent) == (2, 3, 67)
    page = client.get(QUIZ).content.decode()
    assert "You scored 2 of 3 (67%)" in page
    assert 'href="#q-isolate"' in page  # what to review

    client.post(QUIZ, {"retry": "1"})
    assert QuizAttempt.objects.count() == 2
    for question, fields in (
        ("isolate", {"choice": 0}),
        ("kernel", {"answer": "true"}),
        ("wrong-line", {"line": 3}),
    ):
        answer(client, question, **fields)
    assert "Every answer right" in client.get(QUIZ).content.decode()
    lesson = client.get("/lessons/basics/first/").content.decode()
    assert "Best score 100%" in lesson


def test_a_passed_quiz_counts_in_module_progress(client, content_dir):
    for question, fields in (
        ("isolate", {"choice": 0}),
        ("kernel", {"answer": "true"}),
        ("wrong-line", {"line": 3}),
    ):
        answer(client, question, **fields)
    html = client.get("/lessons/basics/").content.decode()
    assert '<progress id="progress-basics" max="3" value="1"' in html
    assert "1 of 1 quiz passed" in html


def test_an_answered_question_cannot_be_changed_within_an_attempt(client, content_dir):
    answer(client, "isolate", choice=1)
    answer(client, "isolate", choice=0)
    assert list(QuizAnswer.objects.values_list("correct", flat=True)) == [False]


def test_an_empty_answer_without_javascript_says_what_is_expected(client, content_dir):
    response = answer(client, "isolate")
    assert response.status_code == 400
    assert "Choose one answer." in response.content.decode()


def test_answers_after_finishing_do_not_start_a_new_attempt(client, content_dir):
    for question, fields in (
        ("isolate", {"choice": 0}),
        ("kernel", {"answer": "true"}),
        ("wrong-line", {"line": 3}),
    ):
        answer(client, question, **fields)
    answer(client, "isolate", choice=1)  # a stale tab
    assert QuizAttempt.objects.count() == 1
    client.post(QUIZ, {"retry": "1"})
    client.post(QUIZ, {"retry": "1"})  # a double click adds no second empty attempt
    assert QuizAttempt.objects.count() == 2


def test_an_attempt_is_not_stuck_when_a_question_is_replaced(client, content_dir, settings):
    settings.DEBUG = True  # reload content on change
    answer(client, "isolate", choice=0)
    answer(client, "kernel", answer="true")
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(quiz.read_text().replace("id: wrong-line", "id: which-line"))
    assert "Start the quiz over" in client.get(QUIZ).content.decode()
    answer(client, "which-line", line=3)
    attempt = QuizAttempt.objects.get()
    assert (attempt.correct, attempt.total) == (3, 3)
    assert attempt.finished_at is not None


def test_unknown_question_goes_back_to_the_quiz(client, content_dir):
    assert answer(client, "nope", choice=0)["Location"] == QUIZ


@pytest.mark.parametrize(
    ("url", "limit"),
    [(QUIZ, QUIZ_PAGE_QUERIES), ("/progress/", 5), ("/accounts/signup/", 2), ("/exercises/", 3)],
)
def test_queries_per_page_are_a_small_constant(
    client, content_dir, django_assert_max_num_queries, url, limit
):
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    answer(client, "isolate", choice=0)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


WRITE_SPEC = """\
  - id: spec
    type: write_spec
    prompt: Write a pod with a container named api.
    starter: ""
    why: A pod needs a container.
    goals:
      - text: a container named api
        container: {name: api}
"""
SPEC = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: api, image: nginx:1.27}]\n"


def test_a_written_spec_is_checked_once_when_answered_not_on_every_view(
    client, content_dir, monkeypatch
):
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(quiz.read_text() + WRITE_SPEC)
    assert "Write a pod with a container named api." in client.get(QUIZ).content.decode()
    runs = []
    engine = learn.podspec.check
    monkeypatch.setattr(learn.podspec, "check", lambda *a, **k: runs.append(1) or engine(*a, **k))
    answer(client, "spec", text=SPEC)
    assert len(runs) == 1  # graded when answered
    for _ in range(3):
        html = client.get(QUIZ).content.decode()
        assert "Right: the spec meets every goal." in html
        assert "a container named api" in html
    assert len(runs) == 1  # showing the quiz again reads the stored feedback


def count_gradings(monkeypatch) -> list[str]:
    """The ids of the questions graded from now on, one entry per grading."""
    gradings: list[str] = []
    grade = learn.quizzes.models.grade
    monkeypatch.setattr(
        learn.quizzes.models,
        "grade",
        lambda question, data: gradings.append(question.id) or grade(question, data),
    )
    return gradings


def test_answers_kept_before_feedback_was_stored_are_graded_once_then_read(
    client, content_dir, monkeypatch, django_assert_max_num_queries
):
    answer(client, "isolate", choice=1)
    QuizAnswer.objects.update(feedback=None, fingerprint="")  # as kept by the previous release
    gradings = count_gradings(monkeypatch)
    assert "Limits are the job of cgroups." in client.get(QUIZ).content.decode()
    assert gradings == ["isolate"]
    with django_assert_max_num_queries(QUIZ_PAGE_QUERIES):
        assert "Limits are the job of cgroups." in client.get(QUIZ).content.decode()
    assert gradings == ["isolate"]  # stored by the first view


def edit_quiz(content_dir, settings, old: str, new: str) -> None:
    settings.DEBUG = True  # reload content on change
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    assert old in quiz.read_text()
    quiz.write_text(quiz.read_text().replace(old, new))


def test_an_answer_shows_the_explanation_its_question_has_now(client, content_dir, settings):
    answer(client, "isolate", choice=1)
    edit_quiz(
        content_dir, settings, "Limits are the job of cgroups.", "cgroups limit memory, not these."
    )
    html = client.get(QUIZ).content.decode()
    assert "cgroups limit memory, not these." in html
    assert "Limits are the job of cgroups." not in html


def test_a_rekeyed_question_grades_its_answers_again(client, content_dir, settings):
    answer(client, "kernel", answer="true")
    edit_quiz(content_dir, settings, "answer: true", "answer: false")
    assert "Not quite: it is false." in client.get(QUIZ).content.decode()
    # What the answer scored when it was given stays, as the attempt's score does.
    assert QuizAnswer.objects.get().correct is True


def test_reordered_choices_tick_the_option_their_feedback_explains(client, content_dir, settings):
    answer(client, "isolate", choice=0)  # "They isolate what a process sees": right
    edit_quiz(
        content_dir,
        settings,
        """      - text: They isolate what a process sees
        correct: true
        why: Each namespace type wraps one global resource.
      - text: They limit memory
        why: Limits are the job of cgroups.
""",
        """      - text: They limit memory
        why: Limits are the job of cgroups.
      - text: They isolate what a process sees
        correct: true
        why: Each namespace type wraps one global resource.
""",
    )
    html = client.get(QUIZ).content.decode()
    # The answer is kept by position: the ticked option is now the first, and so is the verdict.
    assert 'name="choice" value="0" checked' in html
    assert "Not quite." in html
    assert "Limits are the job of cgroups." in html


def test_a_changed_written_spec_question_runs_the_engine_once_then_never(
    client, content_dir, monkeypatch, settings
):
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(quiz.read_text() + WRITE_SPEC)
    answer(client, "spec", text=SPEC)
    edit_quiz(
        content_dir, settings, "A pod needs a container.", "Every pod runs at least one container."
    )
    runs = []
    engine = learn.podspec.check
    monkeypatch.setattr(learn.podspec, "check", lambda *a, **k: runs.append(1) or engine(*a, **k))
    assert "Every pod runs at least one container." in client.get(QUIZ).content.decode()
    assert len(runs) == 1
    assert "Every pod runs at least one container." in client.get(QUIZ).content.decode()
    assert len(runs) == 1  # the repeat view ran the engine 0 times


def test_nul_characters_are_dropped_from_short_answers(client, content_dir):
    """PostgreSQL refuses NUL in text; the answer is kept without them (found by a property test)."""
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(
        quiz.read_text()
        + "  - {id: name-it, type: short, prompt: Name it., answers: [pid], why: Because.}\n"
    )
    client.post(QUIZ, {"question": "name-it", "text": "p\x00id"})
    assert QuizAnswer.objects.get().response == {"text": "pid"}
    assert QuizAnswer.objects.get().correct


ORDERING = """\
  - id: order
    type: ordering
    prompt: Put the steps in order.
    items:
      - Pull the image
      - Create the container
      - Start the container
    why: An image comes before the container made from it.
"""
BROKEN_SPEC = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: web\n"
)


def words(html: str) -> str:
    """The text of some HTML, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def add_question(content_dir, text: str) -> None:
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(quiz.read_text() + text)


def test_an_ordering_answer_shows_the_learners_order_beside_the_right_one(client, content_dir):
    add_question(content_dir, ORDERING)
    page = words(client.get(QUIZ).content.decode())
    # Every item is listed in full with a letter, and each position's menu names them by letter.
    assert re.search(r"A (Pull|Create|Start) the (image|container) B ", page)
    html = answer(client, "order", HX, order=["1", "0", "2"]).content.decode()
    text = words(html)
    assert "Not quite: 1 of 3 is in the right place." in text
    assert "Position Your order The right order" in text
    assert "1 ✗ Out of place: Create the container Pull the image" in text
    assert "2 ✗ Out of place: Pull the image Create the container" in text
    assert "3 ✓ In the right place: Start the container Start the container" in text


def test_a_written_spec_shows_its_unmet_goals_and_its_errors_with_their_lines(client, content_dir):
    add_question(content_dir, WRITE_SPEC)
    html = answer(client, "spec", HX, text=BROKEN_SPEC).content.decode()
    text = words(html)
    assert "Not yet: 1 goal not met, 1 error." in text
    assert "○ a container named api (not yet)" in text
    # The error as the playground lists it: its line, severity, code and message.
    assert "line 6 error missing-field container web needs an image" in text
    assert '<code class="problem__code">missing-field</code>' in html
    # Shown again from what was stored, the same way.
    assert "line 6 error missing-field" in words(client.get(QUIZ).content.decode())


def test_a_question_can_be_tried_again_and_the_first_answer_still_counts(client, content_dir):
    answer(client, "isolate", choice=1)  # wrong
    page = client.get(QUIZ).content.decode()
    assert f'href="{QUIZ}?again=isolate#q-isolate"' in page
    assert "Your first answer to each question is the one your score counts" in page

    # Without JavaScript: the link opens the question again on the page, with a note.
    again = client.get(QUIZ, {"again": "isolate"}).content.decode()
    section = again[again.index('id="q-isolate"') : again.index('id="q-kernel"')]
    assert '<input type="hidden" name="again" value="yes">' in section
    assert "your first answer still counts for the score" in section
    assert "disabled" not in section
    assert "Check my answer" in section
    assert "Limits are the job of cgroups." not in section  # the old feedback is not shown

    response = answer(client, "isolate", again="1", choice=0)
    assert response.status_code == 302
    assert response["Location"] == QUIZ + "#q-isolate"
    text = words(client.get(QUIZ).content.decode())
    assert "✓ Right." in text
    assert "Your first answer, which is the one your score counts, was wrong." in text
    first = QuizAnswer.objects.get()
    assert (first.correct, first.response) == (False, {"choice": [1]})  # as first answered
    assert (first.retry.correct, first.retry.response) == (True, {"choice": [0]})

    answer(client, "kernel", answer="true")
    answer(client, "wrong-line", line=3)
    attempt = QuizAttempt.objects.get()
    assert (attempt.correct, attempt.total) == (2, 3)  # the retry did not change the score
    page = client.get(QUIZ).content.decode()
    assert "You scored 2 of 3 (67%)" in page
    # The question the score counts wrong is still one to review, right as its retry was.
    assert 'Review these:</p>\n      <ul><li><a href="#q-isolate">Question 1</a>' in page
    assert "Every answer right" not in page


def test_trying_again_with_htmx_swaps_only_the_question(client, content_dir):
    answer(client, "kernel", answer="false")
    answer(client, "isolate", choice=0)
    answer(client, "wrong-line", line=3)  # the attempt is finished: retrying still works
    opened = client.get(QUIZ, {"again": "kernel"}, headers=HX).content.decode()
    assert opened.lstrip().startswith('<section id="q-kernel"')
    assert 'name="again"' in opened
    graded = answer(client, "kernel", HX, again="1", answer="true").content.decode()
    assert graded.lstrip().startswith('<section id="q-kernel"')
    assert "Right: it is true." in graded
    assert "Try this question again" in graded  # as often as the learner likes
    # The live region says the verdict; the score stays that of the first answers.
    assert re.search(
        r'id="quiz-status"[^>]*hx-swap-oob="innerHTML">Question 2: Right: it is true.', graded
    )
    assert "You scored 2 of 3 (67%)" in graded
    answer(client, "kernel", HX, again="1", answer="false")
    assert QuizRetry.objects.get().correct is False  # only the latest try is kept


def test_an_empty_retry_says_what_is_expected_and_stays_open(client, content_dir):
    answer(client, "isolate", choice=1)
    html = answer(client, "isolate", HX, again="1").content.decode()
    assert "Choose one answer." in html
    assert 'name="again"' in html
    assert answer(client, "isolate", again="1").status_code == 400  # without JavaScript too
    assert not QuizRetry.objects.exists()


def test_again_for_a_question_not_yet_answered_is_its_first_answer(client, content_dir):
    answer(client, "isolate", choice=1)
    assert 'name="again"' not in client.get(QUIZ, {"again": "kernel"}).content.decode()
    answer(client, "kernel", again="1", answer="true")
    assert QuizAnswer.objects.get(question_id="kernel").correct is True
    assert not QuizRetry.objects.exists()


def test_retrying_a_written_spec_spends_the_engine_budget_as_answering_does(
    client, content_dir, settings, monkeypatch
):
    from tests.support import engine_budget, one_window

    one_window(monkeypatch)
    engine_budget(settings, 3)
    add_question(content_dir, WRITE_SPEC)
    assert answer(client, "spec", text=BROKEN_SPEC).status_code == 302  # 1 unit
    retries = [answer(client, "spec", again="1", text=SPEC).status_code for _ in range(3)]
    assert retries == [302, 302, 429]  # the checker ran for two, then the budget was spent
    refused = answer(client, "spec", HX, again="1", text=SPEC)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def test_a_misconception_shows_its_names_as_code(client):
    html = client.post(
        "/lessons/native-sidecars/review/quiz/",
        {"question": "review-what-is-a-native-sidecar", "choice": "0"},  # the classic sidecar
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "common misconception: “Native sidecars live in a <code>sidecarContainers</code>" in html
