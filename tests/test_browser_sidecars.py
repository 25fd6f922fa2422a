"""A learner's journey through lesson 7.1 (native sidecars) in a real browser: answer the question
inside the lesson, follow its link to the exercise, paste the solution, see it solved. And the
home page's course path, on a phone and in the dark."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON_URL = "/lessons/native-sidecars/why-native-sidecars/"
EXERCISE = "native-sidecar-in-a-job"


def choice_label(question, correct: bool) -> str:
    """The text of a right (or a wrong) choice, as the page shows it (backticks become code)."""
    choice = next(c for c in question.choices if c.correct == correct)
    return choice.text.replace("`", "")


def test_native_sidecar_lesson_question_then_its_exercise_solved(page):
    library = get_library()
    lesson = library.lesson("native-sidecars/why-native-sidecars")
    question = lesson.checks[0]
    assert question.type == "single"
    page.goto(LESSON_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    assert serious_violations(page) == []

    box = page.locator(f"#check-{question.id}")
    box.get_by_label(choice_label(question, correct=True)).check()
    box.get_by_role("button", name="Check my answer").click()
    feedback = page.locator(f"#check-{question.id} .feedback")
    expect(feedback).to_contain_text("Right.")
    expect(feedback).to_be_focused()
    assert serious_violations(page) == []

    # The lesson's own text links the exercise (not only the box of exercises at its end).
    exercise = next(e for e in library.exercises_for(lesson) if e.slug == EXERCISE)
    page.locator(".prose").get_by_role("link", name=exercise.title).click()
    expect(page).to_have_url(re.compile(rf"/{EXERCISE}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(exercise.title)
    # The editor restores or checks the starter as it starts: type once it has settled.
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    page.locator("#spec").fill(exercise.solution)  # the solution, as the content file has it
    expect(page.get_by_role("status").filter(has_text="Solved")).to_be_visible()
    assert serious_violations(page) == []


def test_the_course_path_on_a_phone_in_the_dark(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    page.goto(LESSON_URL)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("You completed this lesson"))
    page.goto("/")
    path = page.locator(".course-path")
    library = get_library()
    expect(path.locator(":scope > li")).to_have_count(len(library.modules))
    expect(path.locator(".path-lesson")).to_have_count(len(library.lessons))
    title = library.lesson("native-sidecars/why-native-sidecars").title
    expect(path.get_by_role("link", name=title, exact=True)).to_be_visible()
    # Anonymous progress: 7.1 is marked done, and the lesson after it is where to continue.
    expect(page.get_by_role("link", name=re.compile("Continue where you left off"))).to_be_visible()
    expect(path.locator(".path-lesson.is-complete")).to_have_count(1)
    expect(path.locator("[aria-current=step]")).to_have_attribute(
        "href", "/lessons/native-sidecars/start-stop-restart-resources/"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page is {width}px wide on a 390px screen"
    assert serious_violations(page) == []
    page.emulate_media(color_scheme="light")
    assert serious_violations(page) == []
