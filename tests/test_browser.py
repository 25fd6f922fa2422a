"""Whole journeys in a real browser, with an accessibility scan of every page they visit."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_lesson_link(page):
    return page.get_by_role("link", name=re.compile("Start with the first lesson"))


def test_read_complete_and_keep_progress(page):
    page.goto("/")
    assert serious_violations(page) == []
    bar = page.locator("#progress-what-is-a-container")
    expect(bar).to_have_attribute("value", "0")

    first_lesson_link(page).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("You completed this lesson"))
    # htmx swapped the block in place: the focus stays on its (new) button.
    expect(page.get_by_role("button", name="Mark as not complete")).to_be_focused()

    page.get_by_role("link", name=re.compile(r"^Module 1")).first.click()
    expect(page.locator("#progress-what-is-a-container")).to_have_attribute("value", "1")
    assert serious_violations(page) == []
    page.reload()
    expect(page.locator("#progress-what-is-a-container")).to_have_attribute("value", "1")
    expect(page.get_by_text("Completed", exact=True)).to_have_count(1)

    page.goto("/")
    expect(page.locator("#progress-what-is-a-container")).to_have_attribute("value", "1")
    expect(page.get_by_role("link", name=re.compile("Continue where you left off"))).to_be_visible()


def test_complete_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    first_lesson_link(page).click()
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("You completed this lesson.")).to_be_visible()
    context.close()


def test_search_highlights_as_you_type(page):
    page.emulate_media(color_scheme="dark")
    page.goto("/search/")
    page.get_by_label("Words to find").fill("cgroup")
    expect(page.locator("#search-results mark").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=cgroup$"))
    assert serious_violations(page) == []


def test_theme_toggle_switches_and_is_remembered(page):
    page.emulate_media(color_scheme="light")
    page.goto("/")
    page.get_by_role("button", name="Dark theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert serious_violations(page) == []
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.get_by_role("button", name="Light theme")).to_be_visible()


def test_dark_lesson_page_is_accessible(page):
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    first_lesson_link(page).click()
    assert serious_violations(page) == []


def test_skip_link_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
