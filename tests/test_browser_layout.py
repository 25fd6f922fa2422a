"""The workbench's layout in a real browser: editor and results side by side on a wide screen,
stacked in a phone's order on a narrow one, the diagram full screen and zoomed, and the last
diagram kept while the YAML is broken for a moment."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from learn.playground.sharing import share
from tests.browser import serious_violations
from tests.support import SIDECAR_POD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
# Mid-typing: the closing bracket of line 20's list not typed yet.
UNFINISHED = SIDECAR_POD.replace("name: http}]", "name: http}")


def set_spec(page, text):
    """Put a text in the editor as a paste would, whichever editor enhances the textarea."""
    page.locator("#spec").evaluate(
        "(spec, text) => { spec.value = text;"
        " spec.dispatchEvent(new Event('input', {bubbles: true})); }",
        text,
    )


def box(page, selector):
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on the page"
    return found


def an_exercise():
    return next(e for e in get_library().exercises if e.goals)


def a_snapshot_url():
    return f"/p/{share(SIDECAR_POD, '1.35', 'learning', 'test').pk}/"


def assert_no_sideways_scroll(page):
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


@pytest.mark.parametrize("width", [1280, 1920])
def test_editor_and_results_stand_side_by_side_on_a_wide_screen(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/playground/")
    editor, results = box(page, ".workbench__editor"), box(page, ".workbench__results")
    gap = results["x"] - (editor["x"] + editor["width"])
    assert 0 <= gap <= 40, f"the results are not just right of the editor: {editor}, {results}"
    assert abs(results["y"] - editor["y"]) < 2
    # Wide enough for an 80-column line in the editor's monospace, its line numbers beside it.
    column = page.evaluate(
        "() => { const probe = document.createElement('span');"
        " probe.style.cssText = 'font: 14px var(--mono); white-space: pre; position: absolute';"
        " probe.textContent = 'x'.repeat(80); document.body.append(probe);"
        " const wide = probe.getBoundingClientRect().width; probe.remove(); return wide; }"
    )
    assert editor["width"] >= column + 48
    # The diagram keeps most of its drawn size beside the editor.
    svg = page.locator("#results .diagram-scroll svg")
    drawn = float(svg.get_attribute("width") or 0)
    assert svg.bounding_box()["width"] >= 0.8 * drawn


@pytest.mark.parametrize("width", [1000, 390])
def test_the_results_come_under_the_editor_below_1200_px(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/playground/")
    editor, results = box(page, ".workbench__editor"), box(page, ".workbench__results")
    assert results["y"] >= editor["y"] + editor["height"]
    assert abs(results["x"] - editor["x"]) < 2


def test_the_results_stay_in_view_beside_a_long_spec(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/playground/")
    # The editor's column as tall as a long spec makes it.
    page.locator(".workbench__editor").evaluate("(e) => { e.style.minHeight = '3000px'; }")
    page.mouse.wheel(0, 700)
    expect(page.get_by_role("heading", name="The pod", exact=True)).to_be_in_viewport()


def test_on_a_phone_the_goals_come_right_under_the_editor(page):
    page.set_viewport_size(PHONE)
    exercise = an_exercise()
    page.goto(exercise.url)
    order = [
        "#workbench",
        "#results .goals",
        "#results .problems-panel",
        "#results .diagram-panel",
        "#hints",
        "#run",
    ]
    tops = [box(page, selector)["y"] for selector in order]
    assert tops == sorted(tops), dict(zip(order, tops, strict=True))
    editor = box(page, "#workbench")
    goals = box(page, "#results .goals")
    assert goals["y"] - (editor["y"] + editor["height"]) <= 40  # nothing between them


@pytest.mark.parametrize("where", ["playground", "exercise", "snapshot"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_nothing_is_wider_than_a_phone(browser, live_server, where, scheme):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        color_scheme=scheme,
    )
    page = context.new_page()
    url = {"playground": "/playground/", "exercise": an_exercise().url}.get(where)
    page.goto(url or a_snapshot_url())
    expect(page.locator("#results .diagram-scroll svg")).to_be_visible()
    assert_no_sideways_scroll(page)
    if where != "snapshot":  # a long line scrolls inside the editor, not the page
        set_spec(page, SIDECAR_POD.replace("name: shop,", "name: shop, " + "x" * 300 + ": 1,"))
        expect(page.locator("#results .problems-panel h3")).to_contain_text("No errors")
        assert_no_sideways_scroll(page)
    assert serious_violations(page) == []
    context.close()


def test_the_diagram_opens_full_screen_zooms_and_closes_back_to_its_button(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/playground/")
    opener = page.get_by_role("button", name="Full screen")
    opener.click()
    dialog = page.get_by_role("dialog", name=re.compile("pod"))
    expect(dialog).to_be_visible()
    view = dialog.locator(".diagram-dialog__view")
    expect(view).to_be_focused()
    level = dialog.locator("output")
    fitted = int(level.text_content().rstrip("%"))
    drawing = view.locator("svg")
    assert drawing.bounding_box()["width"] <= PHONE["width"]  # it opens fitted to the screen

    page.keyboard.press("+")
    expect(level).to_have_text(f"{round(fitted * 1.25)}%")
    dialog.get_by_role("button", name="Zoom in").click()
    assert drawing.bounding_box()["width"] > PHONE["width"]  # bigger than the screen: it pans
    page.keyboard.press("-")
    dialog.get_by_role("button", name="Fit").click()
    expect(level).to_have_text(f"{fitted}%")

    pinch(context, page, view)
    assert int(level.text_content().rstrip("%")) > 2 * fitted

    # The text alternative comes along: the drawing's own title and description, and in words.
    assert drawing.get_attribute("role") == "img"
    labelled = drawing.get_attribute("aria-labelledby").split()
    assert all(page.locator(f"#{ident}").count() == 1 for ident in labelled)  # ids of its own
    dialog.get_by_text("The diagram in words").click()
    expect(dialog.locator(".diagram-text")).to_contain_text("web")
    assert_no_sideways_scroll(page)
    assert serious_violations(page) == []

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    opener.click()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    context.close()


def pinch(context, page, view):
    """Two fingers on the view moving apart to three times their distance."""
    area = view.bounding_box()
    x, y = area["x"] + area["width"] / 2, area["y"] + area["height"] / 2
    session = context.new_cdp_session(page)

    def touch(kind, spread):
        points = [{"x": x - spread, "y": y, "id": 1}, {"x": x + spread, "y": y, "id": 2}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 30)
    for spread in range(40, 100, 10):
        touch("touchMove", spread)
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_without_javascript_the_diagram_shows_as_drawn_and_no_button(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/playground/")
    expect(page.locator("#results .diagram-scroll svg")).to_be_visible()
    expect(page.get_by_role("button", name="Full screen")).to_have_count(0)
    context.close()


def test_broken_yaml_keeps_the_last_diagram_out_of_date_until_it_parses(page):
    page.goto("/playground/")
    set_spec(page, SIDECAR_POD)
    panel = page.locator("#results .diagram-panel")
    expect(panel.get_by_text("shipper", exact=True)).to_be_visible()
    page.locator("#spec").focus()

    set_spec(page, UNFINISHED)
    notice = panel.locator(".diagram-stale")
    expect(notice).to_have_text("Out of date: the YAML does not parse yet (line 20).")
    expect(page.locator("#results .problem.error").first).to_contain_text("YAML syntax error")
    expect(panel).to_have_class(re.compile(r"\bis-stale\b"))
    expect(panel.get_by_text("shipper", exact=True)).to_be_visible()
    assert float(panel.locator(".diagram-scroll").evaluate("e => getComputedStyle(e).opacity")) < 1
    assert notice.evaluate("e => e.closest('[aria-live=polite]') !== null")  # read out, politely
    expect(page.locator("#spec")).to_be_focused()  # nothing takes the focus away
    expect(page.get_by_role("button", name="Full screen")).to_be_visible()  # still zoomable

    set_spec(page, UNFINISHED.replace("  - name: shipper\n", '  - name: shipper\n    args: ["'))
    expect(notice).to_have_text("Out of date: the YAML does not parse yet (line 20).")
    expect(panel.get_by_text("shipper", exact=True)).to_be_visible()  # still the last good one

    set_spec(page, SIDECAR_POD.replace("name: shipper", "name: forwarder"))
    expect(notice).to_have_count(0)
    expect(panel).not_to_have_class(re.compile(r"\bis-stale\b"))
    expect(panel.get_by_text("forwarder", exact=True)).to_be_visible()
    expect(panel.get_by_text("shipper", exact=True)).to_have_count(0)


def test_a_text_that_parses_but_draws_nothing_keeps_no_old_diagram(page):
    page.goto("/playground/")
    set_spec(page, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n")
    expect(page.locator("#results .diagram-panel")).to_contain_text("No diagram")
    set_spec(page, "apiVersion: v1\nkind: Service\nmetadata: {name: [\n")
    expect(page.locator("#results .problem.error").first).to_contain_text("YAML syntax error")
    expect(page.locator("#results .diagram-panel")).to_contain_text("No diagram")
    expect(page.locator("#results .diagram-stale")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_wide_pages_pass_axe(browser, live_server, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, color_scheme="dark"
    )
    page = context.new_page()
    for url in ["/playground/", an_exercise().url, a_snapshot_url()]:
        page.goto(url)
        expect(page.locator("#results .diagram-scroll svg")).to_be_visible()
        assert serious_violations(page) == [], url
    context.close()


@pytest.mark.parametrize(("width", "hinted"), [(390, True), (1280, False)])
def test_a_lesson_figure_wider_than_a_phone_says_it_scrolls_sideways(page, width, hinted):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/lessons/multi-container-patterns/multi-node-patterns/")
    figure = page.locator(".pod-figure").first
    hint = figure.locator(".pod-figure__scroll")
    if hinted:  # the drawing keeps its legible size and scrolls inside the figure, not the page
        expect(hint).to_be_visible()
        box = figure.locator(".pod-figure__diagram")
        assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")
    else:
        expect(hint).to_be_hidden()
