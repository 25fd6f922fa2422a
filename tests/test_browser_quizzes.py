"""Quizzes in a real browser: every quiz fits a 390 px phone, light and dark, before and after
answering; the keyboard focus lands on the feedback; one question can be tried again."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from tests.browser import answer, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUIZZES = [lesson for lesson in get_library().lessons if lesson.quiz]
# What overflows on a phone: the page itself, a box whose content is wider than it (a hidden
# end of a snippet line; what is clipped to nothing, text for screen readers and the editor's
# textarea, is hidden on purpose), and inline code laid out as a flex column beside its own sentence.
OVERFLOWS = """() => {
  const page = document.documentElement;
  const clipped = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (getComputedStyle(e).clip === "rect(0px, 0px, 0px, 0px)") return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll(".question, .question *")]
    .filter((el) => el.scrollWidth > el.clientWidth + 1 && !clipped(el)
                    && getComputedStyle(el).overflowX !== "visible")
    .map((el) => `${el.tagName}.${el.className}`);
  const columns = [...document.querySelectorAll(".question code")]
    .filter((code) => ["flex", "grid"].includes(getComputedStyle(code.parentElement).display)
                      && !code.closest(".snippet-line"))
    .map((code) => code.textContent);
  return {page: [page.scrollWidth, page.clientWidth], wide, columns};
}"""


def answer_wrongly(page, question) -> None:
    """Answer one question wrongly through the page, whatever its type."""
    if question.type != "write_spec":
        answer(page, question, right=False)
        return
    section = page.locator(f"#q-{question.id}")
    section.get_by_role("textbox").fill(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n"
    )
    section.get_by_role("button", name="Check my answer").click()
    expect(page.locator(f"#q-{question.id} .feedback")).to_be_visible()


def assert_fits(page, url: str) -> None:
    found = page.evaluate(OVERFLOWS)
    width, screen = found["page"]
    assert width <= screen, f"{url} is {width}px wide on a {screen}px screen"
    assert found["wide"] == [], f"{url}: content wider than its box in {found['wide']}"
    assert found["columns"] == [], f"{url}: inline code split into columns: {found['columns']}"


@pytest.mark.parametrize("lesson", QUIZZES, ids=lambda lesson: lesson.key)
def test_every_quiz_fits_a_phone_before_and_after_answering(page, lesson):
    url = f"/lessons/{lesson.module_slug}/{lesson.slug}/quiz/"
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="light")
    page.goto(url)
    assert_fits(page, url)
    for question in lesson.quiz:
        answer_wrongly(page, question)
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert_fits(page, f"{url} (answered)")
    assert serious_violations(page) == []


def test_the_feedback_takes_the_keyboard_focus_and_is_read_out(page):
    lesson = get_library().lesson("what-is-a-container/review")
    question = next(q for q in lesson.quiz if q.type == "ordering")
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/quiz/")
    section = page.locator(f"#q-{question.id}")
    for position, select in enumerate(section.locator("select").all()):
        select.select_option(str((position + 1) % len(question.items)))
    section.get_by_role("button", name="Check my answer").focus()
    page.keyboard.press("Enter")
    feedback = page.locator(f"#q-{question.id} .feedback")
    expect(feedback).to_be_focused()
    expect(feedback).to_contain_text("Your order")
    # A keyboard user sees where the focus is.
    assert feedback.evaluate("(el) => getComputedStyle(el).outlineStyle") != "none"
    expect(page.locator("#quiz-status")).to_have_text(
        re.compile(rf"Question \d+: Not quite: 0 of {len(question.items)} are in the right place")
    )


def test_a_learner_who_has_moved_on_keeps_the_focus_when_the_feedback_lands(page):
    # The feedback takes the focus once htmx's swap has settled; a learner (or a quick test) who
    # went to the next question meanwhile must not have their typing land somewhere else.
    lesson = get_library().lesson("pods/the-pod-as-a-shared-context")
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/quiz/")
    first, second = lesson.quiz[0], lesson.quiz[1]
    moved_to = f"#q-{second.id} fieldset :is(input, select, textarea)"
    page.evaluate(
        """(selector) => document.addEventListener('htmx:afterSwap',
             () => document.querySelector(selector).focus(), {once: true})""",
        moved_to,
    )
    answer(page, first, right=False)
    page.wait_for_timeout(100)  # well past the settle delay after which the feedback would take it
    expect(page.locator(moved_to).first).to_be_focused()


def test_a_question_tried_again_keeps_the_first_answer_for_the_score(page):
    lesson = get_library().lesson("pods/the-pod-as-a-shared-context")
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/quiz/")
    first = lesson.quiz[0]
    answer(page, first, right=False)
    section = page.locator(f"#q-{first.id}")
    section.get_by_role("link", name="Try this question again").click()
    expect(section.get_by_text("your first answer still counts")).to_be_visible()
    expect(section.locator("fieldset input:checked")).to_be_focused()  # the answer to change
    answer(page, first, right=True)
    expect(section.locator(".feedback")).to_be_focused()
    expect(section.locator(".feedback")).to_contain_text(
        "Your first answer, which is the one your score counts, was wrong."
    )
    for question in lesson.quiz[1:]:
        answer(page, question, right=True)
    total = len(lesson.quiz)
    expect(page.locator("#quiz-summary")).to_contain_text(f"You scored {total - 1} of {total}")
    assert serious_violations(page) == []


def test_trying_a_question_again_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    lesson = get_library().lesson("pods/the-pod-as-a-shared-context")
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/quiz/")
    first = lesson.quiz[0]
    section = page.locator(f"#q-{first.id}")
    section.locator("fieldset input[type=radio]").first.check()
    section.get_by_role("button", name="Check my answer").click()
    section.get_by_role("link", name="Try this question again").click()
    expect(page).to_have_url(re.compile(rf"\?again={first.id}#q-{first.id}$"))
    section.locator("fieldset input[type=radio]").last.check()
    section.get_by_role("button", name="Check my answer").click()
    expect(section.locator(".feedback")).to_contain_text(
        "Your first answer, which is the one your score counts"
    )
    context.close()
