"""The Run panel in a real browser: run a Job that never completes, fix it, run it again; presets
and the scenario form's problems; a phone's width in the dark."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press_run(page):
    page.get_by_role("button", name="Run", exact=True).click()


def test_the_job_that_never_completes_is_run_fixed_and_completes(page):
    exercise = get_library().exercise("native-sidecar-in-a-job")
    page.goto(exercise.url)
    output = page.locator("#run-output")
    press_run(page)
    expect(output).to_contain_text("never completes")
    expect(output.locator("svg").first).to_be_visible()
    assert serious_violations(page) == []

    page.locator("#spec").fill(exercise.solution)
    expect(output).to_contain_text("The spec has changed since this run")
    press_run(page)
    expect(output).to_contain_text("Completed")
    expect(output).not_to_contain_text("never completes")
    expect(output).not_to_contain_text("has changed")
    expect(output).not_to_have_class(re.compile("is-stale"))  # the new run is not faded
    expect(page.locator("#run-button")).to_be_focused()  # the swap keeps the keyboard's place

    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    assert serious_violations(page) == []


def test_a_preset_runs_at_once_and_a_wrong_entry_is_shown_beside_its_field(page):
    page.goto("/playground/?example=init-native-sidecar")
    page.get_by_label("What happens").select_option(label="Delete the Pod at 30 s")
    output = page.locator("#run-output")
    expect(output).to_contain_text("Terminating")
    page.get_by_text("Say what each container does").click()  # a preset's fields start folded
    expect(page.get_by_label("Delete the Pod at (s)")).to_have_value("30")

    field = page.locator("#run-1-exits_after")  # the first container's "Exits after"
    field.fill("soon")
    field.press("Enter")  # runs, as the Run button does
    expect(page.locator("#run-1-exits_after-error")).to_be_visible()
    expect(page.locator("#run-1-exits_after")).to_have_value("soon")
    expect(page.locator("#run-1-exits_after")).to_have_attribute("aria-invalid", "true")
    expect(output).to_contain_text(re.compile("Nothing ran"))
    assert serious_violations(page) == []


def test_a_shared_run_opens_with_its_scenario_and_comes_back_to_the_playground(page):
    page.goto("/playground/?example=init-native-sidecar")
    page.get_by_label("What happens").select_option(label="Delete the Pod at 30 s")
    expect(page.locator("#run-output")).to_contain_text("Terminating")
    page.get_by_role("button", name="Share a link").click()
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{12}/$"))
    expect(page.locator("#run")).to_contain_text("delete_at: 30")
    expect(page.locator("#run figure")).to_contain_text("Terminating")
    assert serious_violations(page) == []
    page.get_by_role("link", name="change it in the playground").click()
    expect(page.get_by_label("What happens")).to_have_value("shared")
    expect(page.locator("#run-output")).to_contain_text("Terminating")


def test_the_run_fields_follow_the_spec_and_keep_an_entry_for_a_removed_container(page):
    page.goto("/playground/?example=init-native-sidecar")
    page.get_by_text("Say what each container does").click()
    spec = page.locator("#spec")
    text = spec.input_value()
    name = page.locator("#run-fields legend").nth(1).inner_text().split(" ")[0]
    page.locator(f'[name="c:{name}:exit_code"]').fill("3")
    spec.fill(text.replace(f"name: {name}\n", "name: renamed\n", 1))
    renamed = page.locator('[name="c:renamed:exit_code"]')
    expect(renamed).to_be_visible()  # the fields are rebuilt with the check
    kept = page.locator(f'[name="c:{name}:exit_code"]')
    expect(kept).to_have_value("3")
    expect(kept).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#run-fields")).to_contain_text(f"{name} (not in the spec)")
    expect(page.locator("#run-fields")).to_contain_text("does not have")
    assert serious_violations(page) == []


def test_a_run_is_read_out_by_a_polite_live_region_that_stays_in_the_page(page):
    page.goto("/playground/?example=init-native-sidecar")
    status = page.locator("#run-status")
    expect(status).to_have_attribute("aria-live", "polite")
    status.evaluate("node => { node.dataset.before = 'yes'; }")
    press_run(page)
    expect(page.locator("#run-output figure")).to_be_visible()
    expect(status).not_to_be_empty()
    expect(status).to_have_attribute("data-before", "yes")  # the same element: it is read out


def test_an_exercise_names_its_own_scenario_in_the_menu(page):
    exercise = get_library().exercise("the-slow-start")
    page.goto(exercise.url)
    menu = page.get_by_label("What happens")
    expect(menu).to_have_value("exercise")
    expect(menu.locator("option:checked")).to_have_text("This exercise's scenario")
    assert serious_violations(page) == []


def test_without_javascript_a_run_comes_back_at_the_run_on_the_same_example(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/playground/?example=init-native-sidecar")
    page.get_by_label("What happens").select_option(label="Delete the Pod at 30 s")
    page.get_by_role("button", name="Use and run").click()
    expect(page).to_have_url(re.compile(r"#run$"))
    expect(page.locator("#run-output figure")).to_be_in_viewport()
    expect(page.get_by_label("Start from an example")).to_have_value("init-native-sidecar")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page).to_have_url(re.compile(r"#run$"))
    expect(page.get_by_label("Start from an example")).to_have_value("init-native-sidecar")
    context.close()
