"""Playwright driving Debian's Chromium, for the browser tests.

On a developer machine without /usr/bin/chromium the browser tests are skipped with the reason
printed; in CI (CI=true) a missing browser is a failure, never a skip.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without these, Chromium keeps trying to reach Google's servers, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


def require_chromium() -> None:
    """Skip (or, in CI, fail) when Chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found: install it with `apt-get install chromium`"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def serious_violations(page) -> list[str]:
    """Axe's serious and critical accessibility violations on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def answer(page, question, *, right: bool) -> None:
    """Answer one question through the page, rightly or wrongly, and wait for the feedback."""
    from playwright.sync_api import expect  # imported when a browser test runs, not on collection

    section = page.locator(f"#q-{question.id}")
    if question.type in ("single", "multiple"):
        for index, choice in enumerate(question.choices):
            if choice.correct == right or (
                not right
                and question.type == "single"
                and index == 0
                and question.choices[0].correct is False
            ):
                section.locator(f"input[value='{index}']").check()
                if question.type == "single":
                    break
    elif question.type == "true_false":
        section.locator(f"input[value='{str(question.answer == right).lower()}']").check()
    elif question.type == "ordering":
        selects = section.locator("select")
        order = list(range(len(question.items)))
        if not right:
            order = order[1:] + order[:1]
        for position, item in enumerate(order):
            selects.nth(position).select_option(str(item))
    elif question.type == "short":
        section.get_by_label("Your answer").fill(question.answers[0] if right else "no idea")
    elif question.type == "find_line":
        line = question.line if right else (question.line % len(question.snippet_lines)) + 1
        section.locator(f"input[name='line'][value='{line}']").check()
    else:
        raise AssertionError(f"the journey does not answer {question.type} questions")
    section.get_by_role("button", name="Check my answer").click()
    expect(page.locator(f"#q-{question.id} .feedback")).to_be_visible()
