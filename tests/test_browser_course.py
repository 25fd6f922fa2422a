"""A learner's journey through a Pods lesson in a real browser: answer the question inside the
lesson (wrong, then right), take the quiz, solve the lesson's exercise; on a phone and in the dark."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "pods/the-pod-as-a-shared-context"


def choice_label(question, correct: bool) -> str:
    """The text of a right (or a wrong) choice, as the page shows it (backticks become code)."""
    choice = next(c for c in question.choices if c.correct == correct)
    return choice.text.replace("`", "")


def test_question_inside_a_lesson_then_quiz_then_exercise(page):
    lesson = get_library().lesson(LESSON)
    question = next(q for q in lesson.checks if q.type == "single")
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    assert serious_violations(page) == []
    box = page.locator(f"#check-{question.id}")
    expect(box.get_by_role("heading", name="Before you read on")).to_be_visible()

    box.get_by_label(choice_label(question, correct=False)).check()
    box.get_by_role("button", name="Check my answer").click()
    box = page.locator(f"#check-{question.id}")
    expect(box.locator(".feedback")).to_contain_text("Not quite.")
    expect(box.locator(".feedback")).to_be_focused()  # keyboard users land on the feedback
    box.get_by_label(choice_label(question, correct=True)).check()
    box.get_by_role("button", name="Check another answer").click()
    expect(page.locator(f"#check-{question.id} .feedback")).to_contain_text("Right.")
    assert serious_violations(page) == []

    page.get_by_role("link", name=re.compile(r"Take the quiz")).click()
    first = lesson.quiz[0]
    section = page.locator(f"#q-{first.id}")
    if first.type == "single":
        section.get_by_label(choice_label(first, correct=True)).check()
    elif first.type == "true_false":
        section.get_by_label("True" if first.answer else "False").check()
    else:
        pytest.skip(f"the first quiz question is a {first.type} question")
    section.get_by_role("button", name="Check my answer").click()
    expect(page.locator(f"#q-{first.id} .feedback")).to_contain_text("Right")

    exercise = get_library().exercises_for(lesson)[0]
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    page.locator(".try-it").get_by_role("link", name=exercise.title).click()
    # The editor restores or checks the starter as it starts: type once it has settled.
    page.wait_for_load_state("networkidle")
    page.locator("#spec").fill(exercise.solution)
    expect(page.get_by_role("status").filter(has_text="Solved")).to_be_visible()


def test_a_question_inside_a_lesson_works_without_javascript(browser, live_server):
    lesson = get_library().lesson(LESSON)
    question = next(q for q in lesson.checks if q.type == "single")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    box = page.locator(f"#check-{question.id}")
    box.get_by_label(choice_label(question, correct=True)).check()
    box.get_by_role("button", name="Check my answer").click()
    expect(page).to_have_url(re.compile(rf"check={question.id}.*#check-{question.id}$"))
    expect(page.locator(f"#check-{question.id} .feedback")).to_contain_text("Right.")
    context.close()


@pytest.mark.parametrize("lesson", get_library().lessons, ids=lambda lesson: lesson.key)
def test_every_lesson_and_quiz_fits_a_phone_in_the_dark(page, lesson):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    base = f"/lessons/{lesson.module_slug}/{lesson.slug}/"
    for url in (base, f"{base}quiz/") if lesson.quiz else (base,):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width}px wide on a 390px screen"
        assert serious_violations(page) == []


def test_an_answer_too_large_to_read_says_so_beside_its_question(browser, live_server):
    # Not the `page` fixture: the refused request is a 400, which the console reports.
    page = browser.new_context(base_url=live_server.url).new_page()
    page.goto("/lessons/what-is-a-container/a-process-with-a-restricted-view/quiz/")
    question = page.locator("#q-bundle-config-file")
    question.get_by_role("textbox").evaluate("(box) => { box.value = 'x'.repeat(3000000); }")
    with page.expect_response(lambda response: response.request.method == "POST") as refused:
        question.get_by_role("button", name="Check my answer").click()
    assert refused.value.status == 400  # beyond what Django reads of a request
    expect(question.locator(".check-failure")).to_contain_text("far larger than this form takes")
    page.context.close()
