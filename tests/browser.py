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
