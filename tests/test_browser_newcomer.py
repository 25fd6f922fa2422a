"""What a newcomer's walk-through found in the browser: copying a shell session, the results panel's
empty box, the snapshot's Copy button and problem list on a phone."""

import pytest
from playwright.sync_api import expect

from learn.playground.models import Snapshot
from tests.support import SIDECAR_POD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SESSION = """Try it:

```console
$ kubectl apply -f writer-reader.yaml
pod/writer-reader created
$ kubectl run web --image=nginx \\
    --port=80
$ kubectl exec writer-reader -- cat /tmp/note.txt
cat: can't open '/tmp/note.txt': No such file or directory
command terminated with exit code 1
```
"""


@pytest.fixture
def lesson_with_a_session(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", SESSION))
    return "/lessons/more/third/"


def test_copying_a_shell_session_copies_its_commands_only_and_says_so_on_the_button(
    page, lesson_with_a_session
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(lesson_with_a_session)
    button = page.get_by_role("button", name="Copy this code")
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "kubectl apply -f writer-reader.yaml\n"
        "kubectl run web --image=nginx \\\n    --port=80\n"
        "kubectl exec writer-reader -- cat /tmp/note.txt"
    )
    expect(button).to_have_text("Copy", timeout=5000)


def _snapshot() -> Snapshot:
    text = "# " + "a long first line of comment " * 4 + "\n" + SIDECAR_POD
    key = Snapshot.key_for(text, "1.35", "production", "")
    return Snapshot.objects.create(
        pk=key, text=text, kubernetes_version="1.35", profile="production"
    )


def _overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_snapshot_copy_button_covers_no_line_and_no_empty_box_shows(page, width):
    snapshot = _snapshot()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/p/{snapshot.pk}/")
    button = page.locator(".snapshot-text").get_by_role("button", name="Copy this code")
    first_line = page.locator(".snapshot-text .numbered__line").first
    assert not _overlaps(button.bounding_box(), first_line.bounding_box())
    # No notice: no box drawn for it.
    assert page.locator("#limit-notice").evaluate("notice => notice.offsetHeight") == 0
    problems = page.locator("#results .problems")
    if width == 390:  # stacked on a phone: the list grows with the page, nothing cut off
        assert problems.evaluate("list => list.scrollHeight <= list.clientHeight")


@pytest.mark.parametrize("url", ["/playground/", "/exercises/"])
def test_a_results_panel_draws_no_empty_box(page, url):
    page.goto(url)
    if url == "/exercises/":
        page.locator("main a[href^='/exercises/']").first.click()
    page.locator("#spec").fill(SIDECAR_POD)
    expect(page.locator("#results .problems-panel")).to_be_visible()
    assert page.locator("#limit-notice").evaluate("notice => notice.offsetHeight") == 0
