"""Quiz and account journeys in a real browser, with accessibility scans."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from tests.browser import answer, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def quiz_lesson():
    return next(lesson for lesson in get_library().lessons if lesson.quiz)


def test_answer_wrongly_read_why_retry_and_pass(page):
    lesson = quiz_lesson()
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    page.get_by_role("link", name=re.compile("Take the quiz")).click()
    assert serious_violations(page) == []
    first, *rest = lesson.quiz
    answer(page, first, right=False)
    feedback = page.locator(f"#q-{first.id} .feedback")
    expect(feedback).to_contain_text("Not quite")
    expect(feedback.get_by_role("link", name="Read this part of the lesson again")).to_be_visible()
    for question in rest:
        answer(page, question, right=True)
    expect(page.locator("#quiz-summary h2")).to_contain_text(
        f"You scored {len(lesson.quiz) - 1} of {len(lesson.quiz)}"
    )
    assert serious_violations(page) == []

    page.get_by_role("button", name="Try the quiz again").click()
    for question in lesson.quiz:
        answer(page, question, right=True)
    expect(page.locator("#quiz-summary")).to_contain_text("Every answer right")
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    expect(page.locator(".quiz-link .badge")).to_have_text("Best score 100%")


def test_sign_up_after_progress_and_find_it_kept(page):
    lesson = get_library().lessons[0]
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("status").filter(has_text="You completed this lesson")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Sign up").click()
    assert serious_violations(page) == []
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-pass-42")
    page.get_by_label("Password confirmation").fill("a-long-and-unusual-pass-42")
    page.get_by_role("button", name="Create account").click()

    # Back on the lesson the header's "Sign in" was followed from.
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.get_by_text("Signed in as grace")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=lesson.title)
    expect(row).to_contain_text("✓")
    assert serious_violations(page) == []

    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("a-long-and-unusual-pass-42")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("row").filter(has_text=lesson.title)).to_contain_text("✓")
