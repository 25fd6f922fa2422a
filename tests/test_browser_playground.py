"""Playground journeys in a real browser: type, see, fix; solve an exercise; share; reload."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from learn.progress.models import ExerciseProblem
from tests.browser import serious_violations
from tests.support import SIDECAR_POD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BROKEN = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")


def type_spec(page, text):
    editor = page.locator("#spec")
    editor.fill(text)
    return editor


def test_problem_appears_at_its_line_then_clears_when_fixed(page):
    page.goto("/playground/")
    assert serious_violations(page) == []
    type_spec(page, BROKEN)
    problem = page.locator("#results .problem.error").first
    expect(problem).to_contain_text("mounts logs, but the pod defines no volume of that name")
    expect(problem.locator("code", has_text="logs").first).to_be_visible()
    expect(problem.locator("[data-goto-line]")).to_have_text("line 21")
    expect(page.locator("#results .pd-volume.ghost")).to_have_count(
        1
    )  # the dangling mount's target
    expect(page.locator("#results path.pd-wire.bad")).to_have_count(2)

    problem.locator("[data-goto-line]").click()
    expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).to_have_text(
        "21"
    )  # the caret's line
    expect(page.locator(".cm-content")).to_be_focused()

    type_spec(page, SIDECAR_POD)
    expect(page.locator("#results .problem.error")).to_have_count(0)
    expect(page.locator("#results .pd-volume.ghost")).to_have_count(0)
    expect(page.locator("#results h3").first).to_contain_text("No errors")


def test_version_switch_applies_at_once(page):
    page.goto("/playground/")
    type_spec(
        page, SIDECAR_POD.replace("    restartPolicy: Always\n", "    restartPolicy: OnFailure\n")
    )
    expect(page.locator("#results h3").first).to_contain_text("No errors")  # 1.37 allows it
    page.get_by_label("Kubernetes").select_option("1.34")
    expect(page.locator("#results .problem.error").first).to_contain_text("restartPolicy")


def test_text_survives_a_reload(page):
    page.goto("/playground/")
    type_spec(page, "apiVersion: v1\nkind: Pod\nmetadata: {name: kept}\n")
    expect(page.locator("#results")).to_contain_text("has no pod `spec`")
    page.wait_for_timeout(500)  # the editor saves after a short pause
    page.reload()
    expect(page.locator("#spec")).to_have_value(re.compile("name: kept"))


def test_share_and_open_the_link(page, browser, live_server):
    page.goto("/playground/")
    type_spec(page, BROKEN)
    expect(page.locator("#results .problem.error").first).to_be_visible()
    page.get_by_role("button", name="Share a link").click()
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{12}/$"))
    link = page.url
    other = browser.new_context().new_page()
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text("Pod shop")
    assert serious_violations(other) == []
    expect(other.locator(".problem.error").first).to_contain_text("undefined")
    other.get_by_role("link", name="Open in the playground").click()
    expect(other.locator("#spec")).to_have_value(re.compile("name: log\\n"))
    other.context.close()


def test_solve_an_exercise_and_see_it_on_the_lesson(page):
    exercise = next(e for e in get_library().exercises if e.lesson_key)
    page.goto(f"/exercises/{exercise.slug}/")
    assert serious_violations(page) == []
    page.get_by_role("button", name=re.compile("Show hint 1")).click()
    expect(page.locator("#hints li")).to_have_count(1)
    type_spec(page, exercise.solution)
    expect(page.get_by_role("status").filter(has_text="Solved")).to_be_visible()
    lesson = get_library().lesson(exercise.lesson_key)
    page.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    expect(page.locator(".try-it .badge")).to_have_text("Solved")


def test_only_the_check_button_counts_an_exercises_problems(page):
    exercise = next(e for e in get_library().exercises if e.lesson_key)
    lesson = get_library().lesson(exercise.lesson_key)
    page.goto(lesson.url)
    page.get_by_role("button", name="Mark as complete").click()  # someone to count for
    expect(page.get_by_role("status").filter(has_text="You completed")).to_be_visible()
    page.goto(exercise.url)
    with page.expect_response(lambda response: response.request.method == "POST"):
        type_spec(page, BROKEN)  # checked as it is typed
    assert not ExerciseProblem.objects.exists()
    with page.expect_response(lambda response: "check=1" in (response.request.post_data or "")):
        page.get_by_role("button", name="Check").click()
    assert ExerciseProblem.objects.filter(exercise_slug=exercise.slug).exists()


def test_a_check_too_large_to_read_is_reported_not_swapped_in(browser, live_server):
    # Not the `page` fixture: the refused request is a 400, which the console reports.
    page = browser.new_context(base_url=live_server.url).new_page()
    page.goto("/playground/")
    with page.expect_response(lambda response: response.request.method == "POST") as refused:
        page.locator("#spec").evaluate(
            "(spec) => { spec.value = '# ' + 'x'.repeat(3000000);"  # one line: a short gutter
            " spec.dispatchEvent(new Event('input', {bubbles: true})); }"
        )
    assert refused.value.status == 400  # beyond what Django reads of a request
    failure = page.locator("#results .check-failure")
    expect(failure).to_contain_text("far larger than a pod spec")
    expect(page.locator("header.site-header")).to_have_count(1)  # no page inside the page
    expect(page.locator("#results")).to_have_count(1)
    page.context.close()


def test_playground_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/playground/")
    page.locator("#spec").fill(BROKEN)
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".problem.error").first).to_contain_text("undefined")
    expect(page.locator("#spec")).to_have_value(re.compile("name: log\\n"))
    context.close()


def test_dark_playground_is_accessible(page):
    page.emulate_media(color_scheme="dark")
    page.goto("/playground/?example=broken")
    expect(page.locator("#results .problem").first).to_be_visible()
    assert serious_violations(page) == []


def test_loading_an_example_offers_the_previous_text_back(page):
    page.goto("/playground/")
    type_spec(page, "apiVersion: v1\nkind: Pod\nmetadata: {name: my-own-work}\n")
    page.wait_for_timeout(500)  # saved
    page.get_by_label("Start from an example").select_option("ambassador")
    page.get_by_role("button", name="Load example").click()
    expect(page.locator("#spec")).to_have_value(re.compile("app-with-ambassador"))
    page.get_by_role("button", name="Bring back the text you had before").click()
    expect(page.locator("#spec")).to_have_value(re.compile("my-own-work"))


def test_restored_text_is_checked_again(page):
    page.goto("/playground/?example=broken")
    expect(page.locator("#results .problem.error").first).to_be_visible()
    page.wait_for_timeout(500)  # saved
    page.get_by_role("link", name="Playground").click()  # the page comes with the default example
    expect(page.locator("#spec")).to_have_value(re.compile("broken-pod"))
    expect(page.locator("#results .problem.error").first).to_contain_text("readinessProbe")
    expect(page.get_by_label("Start from an example")).to_have_value("logging-sidecar")
