"""A learner past their limit, in a real browser: the last results stay, a notice says why."""

import pytest
from playwright.sync_api import expect

from tests.browser import serious_violations
from tests.conftest import watched_page
from tests.support import SIDECAR_POD, engine_budget, one_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BROKEN = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")


@pytest.fixture
def page(browser, live_server):
    """conftest's page, except that the 429 the test asks for is expected: Chromium logs every
    response of that status as a console error."""
    with watched_page(browser, live_server) as (page, errors):
        yield page
    assert [error for error in errors if "status of 429" not in error] == []
    assert errors, "no check was refused"


def test_typing_past_the_limit_keeps_the_results_and_shows_a_notice(page, settings, monkeypatch):
    one_window(monkeypatch)
    engine_budget(settings, 3)  # lowered, so that a few edits reach it
    page.goto("/playground/")
    results = page.locator("#results")
    page.locator("#spec").fill(BROKEN)  # the first check (1 of 3)
    expect(results.locator(".problem.error").first).to_contain_text("mounts logs")
    page.locator("#spec").fill(SIDECAR_POD)  # 2 of 3
    expect(results.locator(".problem.error")).to_have_count(0)
    page.locator("#spec").fill(BROKEN)  # 3 of 3
    expect(results.locator(".problem.error").first).to_contain_text("mounts logs")
    page.locator("#spec").fill(SIDECAR_POD)  # refused
    notice = page.locator("#limit-notice")
    expect(notice).to_contain_text("Checking is paused for a moment")
    expect(notice).to_contain_text("The results shown are from your last check")
    # The last results stay: the problem, the diagram, and the text the learner typed.
    expect(results.locator(".problem.error").first).to_contain_text("mounts logs")
    expect(results.locator(".diagram-scroll svg")).to_be_visible()
    expect(page.locator("#spec")).to_have_value(SIDECAR_POD)
    assert serious_violations(page) == []
