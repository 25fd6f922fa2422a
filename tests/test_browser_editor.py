"""The CodeMirror editor in a real browser: problems on their spans, completion, explanations,
keyboard use, phones, and the site's CSP."""

import re

import pytest
from playwright.sync_api import expect

from learn.content.library import get_library
from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOUNTS_LOGS = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    volumeMounts:
    - name: logs
      mountPath: /logs"""
VOLUMES = """
  volumes:
  - name: logs
    emptyDir: {}"""
# Every page's CSP violations, kept where the test can read them.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""

# Where each visual row of a wrapped editor line starts, in px from the line's left edge.
ROW_STARTS = """(line) => {
  const range = document.createRange();
  range.selectNodeContents(line);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const rows = [...new Set(rects.map((r) => Math.round(r.top)))];
  const left = line.getBoundingClientRect().left;
  return rows.map((top) =>
    Math.min(...rects.filter((r) => Math.round(r.top) === top).map((r) => r.left)) - left);
}"""

WRITE_SPEC_LESSON = next(
    one for one in get_library().lessons if any(q.type == "write_spec" for q in one.quiz)
)


def type_lines(page, text):
    """Types `text` key by key as a learner would, the editor's own indentation undone at each
    new line (Escape first, so that Enter never accepts a suggestion)."""
    for number, line in enumerate(text.split("\n")):
        if number:
            page.keyboard.press("Escape")
            page.keyboard.press("Enter")
            page.keyboard.press("Shift+Home")
        page.keyboard.type(line)


def start_empty(page, url="/playground/"):
    page.goto(url)
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")


def line_of(page, number):
    return page.locator(".cm-line").nth(number - 1)


def test_typing_underlines_the_exact_span_then_clears_when_fixed(page):
    start_empty(page)
    type_lines(page, MOUNTS_LOGS)
    squiggle = page.locator(".cm-lintRange-error")
    expect(squiggle).to_have_count(1)
    expect(squiggle).to_have_text("logs")  # the name, not its line
    expect(line_of(page, 10).locator(".cm-lintRange-error")).to_have_count(1)
    expect(page.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(1)
    expect(page.locator("#results .problem.error").first).to_contain_text("defines no volume")
    expect(page.locator("#spec")).to_have_value(MOUNTS_LOGS)  # the textarea that posts is in step

    squiggle.hover()
    tooltip = page.locator(".cm-tooltip-lint")
    expect(tooltip).to_contain_text("defines no volume")
    expect(tooltip.locator("strong")).to_have_text("Error:")  # in words, not only in colour
    expect(tooltip.locator("code", has_text="logs").first).to_be_visible()  # as the list shows it
    expect(tooltip).not_to_contain_text("`")

    type_lines(page, VOLUMES)
    expect(page.locator("#results h3").first).to_contain_text("No errors")
    expect(page.locator(".cm-lintRange-error")).to_have_count(0)


def test_volume_mount_names_complete_from_the_defined_volumes(page):
    start_empty(page)
    type_lines(page, MOUNTS_LOGS.replace("logs", "config") + VOLUMES.replace("logs", "cache"))
    line_of(page, 10).click()
    page.keyboard.press("End")
    for _ in "config":
        page.keyboard.press("Backspace")
    page.wait_for_load_state("networkidle")  # the check the deletions started has come back
    page.keyboard.press("Control+Space")
    options = page.locator(".cm-tooltip-autocomplete li")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("cache")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(line_of(page, 10)).to_have_text("    - name: cache")
    expect(page.locator("#results h3").first).to_contain_text("No errors")


def test_a_container_field_completes_with_its_colon(page):
    start_empty(page)
    type_lines(page, MOUNTS_LOGS + VOLUMES)
    page.keyboard.press("Escape")
    line_of(page, 8).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")  # the new line is indented as the container's fields
    page.keyboard.type("imagePull")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="imagePullPolicy")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(page.locator(".cm-tooltip-autocomplete")).to_contain_text("string")  # its type
    page.keyboard.press("Enter")
    page.keyboard.type("IfN")
    value = page.locator(".cm-tooltip-autocomplete li", has_text="IfNotPresent")
    expect(value).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(line_of(page, 9)).to_have_text("    imagePullPolicy: IfNotPresent")


def test_hovering_a_field_explains_it_with_a_link_to_its_lesson(page):
    page.goto("/playground/")
    line = page.locator(".cm-line", has_text="image:").first
    line.locator(".tok-key").hover()
    tooltip = page.locator(".cm-tooltip-hover")
    expect(tooltip).to_contain_text("Container image name")
    expect(tooltip).to_contain_text("string")
    link = tooltip.get_by_role("link", name="Read the lesson")
    expect(link).to_have_attribute("href", re.compile(r"^/lessons/"))


def test_the_editor_by_keyboard_alone(page):
    page.goto("/playground/?example=broken")
    expect(page.locator(".cm-lintRange-error").first).to_be_visible()
    content = page.locator(".cm-content")
    for _ in range(40):
        page.keyboard.press("Tab")
        if content.evaluate("(node) => node === document.activeElement"):
            break
    expect(content).to_be_focused()
    expect(page.locator(".editor")).to_have_css("outline-style", "solid")  # the focus ring

    page.keyboard.press("F8")  # the first problem, selected
    expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).to_have_text("11")
    page.keyboard.press("Control+k")
    page.keyboard.press("Control+i")  # explain the field at the cursor
    expect(page.locator(".cm-tooltip.explain")).to_contain_text("readinessProbe")
    page.keyboard.press("Escape")

    page.keyboard.press("Home")
    page.keyboard.press("Tab")  # indents
    expect(page.locator("#spec")).to_have_value(re.compile(r"\n      readinessProbe:"))
    page.keyboard.press("Shift+Tab")  # and back
    expect(page.locator("#spec")).to_have_value(re.compile(r"\n    readinessProbe:"))

    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # leaves the editor
    expect(content).not_to_be_focused()
    assert page.evaluate("() => !document.activeElement.closest('.cm-editor')")


def test_a_problem_link_puts_the_caret_on_its_line(page):
    page.goto("/playground/?example=broken")
    link = page.locator("#results .problem.error [data-goto-line]").first
    expect(link).to_have_text("line 11")
    link.click()
    expect(page.locator(".cm-content")).to_be_focused()
    expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).to_have_text("11")


def test_text_typed_is_restored_after_a_reload_and_checked(page):
    start_empty(page)
    type_lines(page, MOUNTS_LOGS)
    expect(page.locator(".cm-lintRange-error")).to_have_count(1)
    page.wait_for_timeout(500)  # the editor saves after a short pause
    page.reload()
    expect(page.locator(".cm-content")).to_contain_text("mountPath: /logs")
    expect(page.locator(".cm-lintRange-error")).to_have_text("logs")


def test_a_phone_sees_long_lines_wrapped_not_scrolled(page):
    page.set_viewport_size({"width": 390, "height": 844})
    start_empty(page)
    type_lines(page, MOUNTS_LOGS + "\n      args: [" + ", ".join(["--verbose"] * 12) + "]")
    scroller = page.locator(".cm-scroller")
    assert scroller.evaluate("(s) => s.scrollWidth <= s.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= 390")
    # The wrapped line goes on under its own text (its indent), not at the editor's left edge.
    starts = line_of(page, 12).evaluate(ROW_STARTS)
    assert len(starts) > 1
    assert starts[1] - starts[0] > 30  # six columns in: under `args`
    assert serious_violations(page) == []


def start_a_new_container_line(page):
    """An editor holding one container, the caret on a new line among its fields."""
    start_empty(page)
    type_lines(page, MOUNTS_LOGS)
    page.keyboard.press("Escape")
    line_of(page, 8).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")


def phone_completion_boxes(page, line_top=None):
    """On a phone, every field a container may still have, suggested on a new line of a
    container (scrolled to `line_top` px from the top of the screen when given): the boxes of
    the list and of the selected option's documentation."""
    page.set_viewport_size({"width": 390, "height": 844})
    start_a_new_container_line(page)
    if line_top is not None:
        line_of(page, 9).evaluate(
            "(line, top) => window.scrollBy(0, line.getBoundingClientRect().top - top)", line_top
        )
    page.keyboard.press("Control+Space")
    info = page.locator(".cm-completionInfo")
    expect(info).to_be_visible()
    options = page.locator(".cm-tooltip-autocomplete > ul").bounding_box()
    box = info.bounding_box()
    assert options is not None
    assert box is not None
    return options, box


def test_a_phone_reads_a_completion_s_documentation_below_the_whole_list(page):
    options, box = phone_completion_boxes(page)
    assert box["y"] >= options["y"] + options["height"] - 1  # covering none of the options


def test_a_phone_reads_a_completion_s_documentation_above_a_list_low_on_the_screen(page):
    # The line being written sits low on the screen, as with a phone's keyboard open.
    options, box = phone_completion_boxes(page, line_top=650)
    assert box["y"] + box["height"] <= options["y"] + 1  # above the list, on the screen
    assert box["y"] >= 0


def test_no_page_with_the_editor_breaks_the_content_security_policy(page):
    page.add_init_script(WATCH_CSP)
    page.goto("/playground/")
    page.locator(".cm-line", has_text="image:").first.locator(".tok-key").hover()
    expect(page.locator(".cm-tooltip-hover")).to_be_visible()
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type(
        "apiVersion: v1"
    )  # typed over every line: the browser's own editing styles them
    expect(page.locator("#spec")).to_have_value("apiVersion: v1")
    exercise = next(e for e in get_library().exercises if e.lesson_key)
    page.goto(f"/exercises/{exercise.slug}/")
    expect(page.locator(".cm-editor")).to_be_visible()
    assert page.evaluate("() => window.cspViolations") == []
    # The page fixture also fails the test on any console error, which CSP violations are.


def test_text_with_line_breaks_inserted_at_once_keeps_the_csp(page):
    """Text with line breaks inserted in one input event (a paste by keyboard emulation, a
    test's fill) into a quiz's empty editor on a phone: Chrome's own editing would split the
    wrapped line with style attributes of its own."""
    page.add_init_script(WATCH_CSP)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(WRITE_SPEC_LESSON.quiz_url)
    content = page.locator(".question .cm-content").first
    for _ in range(5):  # Chrome styles the lines only some of the times: the fix makes it never
        content.fill(MOUNTS_LOGS)
    expect(content.locator(".cm-line")).to_have_count(MOUNTS_LOGS.count("\n") + 1)
    expect(page.locator(".question textarea").first).to_have_value(MOUNTS_LOGS)
    assert page.evaluate("() => window.cspViolations") == []


def test_a_quiz_writes_its_spec_in_the_same_editor(page):
    page.goto(WRITE_SPEC_LESSON.quiz_url)
    editor = page.locator(".question .cm-editor").first
    expect(editor).to_be_visible()
    expect(editor.locator(".tok-key").first).to_be_visible()  # coloured
    assert serious_violations(page) == []


def test_a_quiz_answer_s_errors_are_underlined_in_it_and_its_problems_lead_there(page):
    question = next(q for q in WRITE_SPEC_LESSON.quiz if q.type == "write_spec")
    page.goto(WRITE_SPEC_LESSON.quiz_url)
    section = page.locator(f"#q-{question.id}")
    section.locator(".cm-content").fill(MOUNTS_LOGS)
    section.get_by_role("button", name="Check my answer").click()
    expect(section.locator(".feedback")).to_be_visible()
    page.wait_for_timeout(100)  # past htmx's settling, which puts back the served attributes
    assert section.locator("textarea").bounding_box()["height"] <= 1  # shown once, in the editor
    # The graded answer (read-only now) has the mount that names no volume underlined.
    expect(section.locator(".cm-lintRange-error")).to_have_text("logs")
    section.locator(".feedback__problems [data-goto-line='10']").first.click()
    content = section.locator(".cm-content")
    expect(content).to_be_focused()
    caret_line = content.evaluate(
        """(el) => { const r = getSelection().getRangeAt(0);
                     const n = r.startContainer; return (n.nodeType === 1 ? n : n.parentElement)
                       .closest('.cm-line').textContent; }"""
    )
    assert caret_line.strip() == "- name: logs"


def test_a_check_landing_while_a_completion_is_open_keeps_it(page):
    """The check that typing started may come back while the learner picks a suggestion: its
    answer marks the problems and leaves the suggestion and Enter's choice alone."""
    held = []
    start_empty(page)
    check = page.url
    type_lines(page, MOUNTS_LOGS.replace("logs", "config") + VOLUMES.replace("logs", "cache"))
    page.wait_for_load_state("networkidle")
    page.route(
        "**/playground/",
        lambda route: (
            held.append(route)
            if route.request.method == "POST" and "no more" not in held
            else route.continue_()
        ),
    )
    line_of(page, 10).click()
    page.keyboard.press("End")
    with page.expect_request(lambda request: request.method == "POST" and request.url == check):
        for _ in "config":
            page.keyboard.press("Backspace")
    page.keyboard.press("Control+Space")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="cache")
    expect(option).to_have_attribute("aria-selected", "true")
    assert held, "the deletions' check is on its way"
    with page.expect_response(check):
        held.pop().continue_()
    held.append("no more")
    page.wait_for_load_state("networkidle")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(line_of(page, 10)).to_have_text("    - name: cache")
    expect(page.locator("#results h3").first).to_contain_text("No errors")


# Presses Enter (in the page, with no round trip) the moment imagePullPolicy shows selected.
ENTER_AS_SUGGESTIONS_APPEAR = """() => { window.entered = false; const watch = new MutationObserver(() => {
  const selected = document.querySelector(".cm-tooltip-autocomplete li[aria-selected=true]");
  if (!selected || !selected.textContent.startsWith("imagePullPolicy")) return;
  watch.disconnect();
  document.querySelector(".cm-content").dispatchEvent(
    new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  window.entered = true;
}); watch.observe(document.body, { subtree: true, childList: true, attributes: true }); }"""


def test_enter_as_the_suggestions_appear_picks_the_selected_one(page):
    start_a_new_container_line(page)
    page.evaluate(ENTER_AS_SUGGESTIONS_APPEAR)
    page.keyboard.type("imagePull")
    page.wait_for_function("() => window.entered")
    expect(line_of(page, 9)).to_have_text("    imagePullPolicy: ")
