"""A snapshot's iframe on another site: the whole drawing shows, without scrolling."""

import functools
import html
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from learn.playground.sharing import share
from learn.podspec.examples import shipped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def snippets(page_html: str) -> tuple[str, str]:
    """The iframe snippet and the listener snippet, as the snapshot page gives them to copy."""
    found = re.findall(r'<pre class="snippet"><code>(.*?)</code></pre>', page_html, re.S)
    iframe = next(s for s in found if s.startswith("&lt;iframe"))
    listener = next(s for s in found if s.startswith("&lt;script"))
    return html.unescape(iframe), html.unescape(listener)


@pytest.fixture
def other_site(tmp_path):
    """A static site on its own port: another origin than the live server's."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def drawing_fits(frame) -> dict:
    """What a reader of the framed page sees: scroll sizes, and where the drawing ends."""
    return frame.evaluate(
        """() => {
          const svg = document.querySelector('.embed-drawing svg').getBoundingClientRect();
          const legend = [...document.querySelectorAll('.embed-drawing svg text')].at(-1)
            .getBoundingClientRect();
          const root = document.documentElement;
          return {scrollHeight: root.scrollHeight, scrollWidth: root.scrollWidth,
                  innerHeight: innerHeight, innerWidth: innerWidth,
                  svgBottom: svg.bottom, svgWidth: svg.width, lastTextBottom: legend.bottom};
        }"""
    )


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("listener", [True, False])
def test_a_cross_origin_page_shows_the_whole_drawing_without_scrolling(
    browser, live_server, other_site, width, listener
):
    snapshot = share(shipped("logging-sidecar").text, "1.35", "learning", "test")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    served = page.goto(f"/p/{snapshot.pk}/")
    iframe, script = snippets(served.text())  # as served, before site.js adds its buttons
    folder, origin = other_site
    body = iframe + (script if listener else "")
    (folder / "host.html").write_text(f"<!doctype html><title>Host</title><main>{body}</main>")
    page.goto(f"{origin}/host.html")
    frame_element = page.locator("iframe")
    frame_element.wait_for()
    frame_element.content_frame.locator(".embed-drawing svg").wait_for()
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_load_state("load")  # its style sheets applied: measured as a reader sees it
    if listener:  # the embed's height message sets the iframe's height exactly
        page.wait_for_function("() => document.querySelector('iframe').style.height.endsWith('px')")
    seen = drawing_fits(frame)
    assert seen["scrollHeight"] <= seen["innerHeight"]  # nothing to scroll to
    assert seen["scrollWidth"] <= seen["innerWidth"]
    assert seen["lastTextBottom"] <= seen["innerHeight"]  # the legend is not cut off
    assert seen["svgBottom"] <= seen["innerHeight"]
    if listener:  # and the drawing uses the frame's whole width: no white space around it
        assert seen["svgWidth"] >= seen["innerWidth"] - 16 - 1
    context.close()


def test_the_playground_s_diagram_urls_follow_the_text_and_keep_their_copy_buttons(
    browser, live_server
):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/playground/")
    links = page.locator(".diagram-links")
    expect(links.locator(".copy-button")).to_have_count(3)
    before = links.locator("pre code").first.text_content()
    page.locator("#spec").press("Control+End")
    page.keyboard.type("\n# changed")
    expect(links.locator("pre code").first).not_to_have_text(before)  # htmx swapped the results
    expect(links.locator(".copy-button")).to_have_count(3)
    context.close()
