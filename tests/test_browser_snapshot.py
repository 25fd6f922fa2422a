"""The shared snapshot page on a phone: a problem's line link, tapped, shows that line."""

import pytest
from playwright.sync_api import expect

from learn.playground.sharing import share
from learn.podspec.examples import shipped
from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_a_tapped_line_link_shows_its_line_and_the_legend_says_where_messages_are(
    browser, live_server, scheme
):
    snapshot = share(shipped("broken-deployment").text, "1.35", "production", "test")
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        color_scheme=scheme,
    )
    page = context.new_page()
    page.goto(f"/p/{snapshot.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployment catalog")
    page.locator(".problem__where", has_text="line 21").first.tap()
    expect(page).to_have_url(f"{live_server.url}/p/{snapshot.pk}/#L21")
    line = page.locator("#L21")
    expect(line).to_be_in_viewport()
    expect(line).to_contain_text("containerPort: http")
    assert line.evaluate("e => getComputedStyle(e).boxShadow") != "none"  # :target marks it
    legend = page.locator(".pod-diagram text.legend.note")
    expect(legend).to_have_text(
        "each mark's message: hover it, or read the problems listed in words"
    )
    expect(page.locator(".pod-diagram .pd-mark.warning").first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    context.close()
