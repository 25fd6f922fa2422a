"""Shared fixtures: a small content tree in a temporary folder, pointed at by CONTENT_DIR."""

import os
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# In CI the property tests run the same examples every time, so a landing never depends on luck;
# on developer machines they explore new examples on every run.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

LESSON = """\
---
title: {title}
summary: {summary}
minutes: {minutes}
objectives:
  - Explain the thing
sources:
  - title: Kubernetes documentation, Pods
    url: https://kubernetes.io/docs/concepts/workloads/pods/
---
{body}
"""


def write_module(root: Path, folder: str, title: str, lessons: dict[str, dict]) -> None:
    """Write a module folder with a module.md and one file per lesson."""
    module = root / folder
    module.mkdir(parents=True)
    (module / "module.md").write_text(
        f"---\ntitle: {title}\nsummary: About {title.lower()}.\n---\nIntro to *{title}*.\n"
    )
    for name, fields in lessons.items():
        values = {"summary": "A summary.", "minutes": 5, "body": "## Part\n\nText.", **fields}
        values["body"] = textwrap.dedent(values["body"])
        (module / f"{name}.md").write_text(LESSON.format(**values))


@pytest.fixture
def content_dir(tmp_path, settings):
    """Two modules with three lessons, linked to each other, as CONTENT_DIR."""
    root = tmp_path / "content"
    write_module(
        root,
        "01-basics",
        "Basics",
        {
            "01-first": {
                "title": "First lesson",
                "summary": "Namespaces isolate what a process sees.",
                "body": """\
                    ## Namespaces

                    A namespace wraps a global resource.
                    See [the next](lesson:basics/second#limits).

                    ```yaml linenums="1" hl_lines="2"
                    kind: Pod
                    apiVersion: v1
                    ```

                    !!! warning "Careful"
                        Namespaces do not limit memory.

                    | a | b |
                    |---|---|
                    | 1 | 2 |
                    """,
            },
            "02-second": {"title": "Second lesson", "body": "## Limits\n\ncgroups limit memory."},
        },
    )
    write_module(root, "02-more", "More", {"01-third": {"title": "Third lesson"}})
    (root / "01-basics" / "01-first.quiz.yaml").write_text(QUIZ)
    (root / "exercises").mkdir()
    (root / "exercises" / "name-it-web.md").write_text(EXERCISE)
    settings.CONTENT_DIR = root
    return root


EXERCISE = """\
---
title: Name it web
summary: A pod with one container named web.
topic: Pods
minutes: 3
lesson: basics/first
hints: [Containers go under spec.containers., Each needs a name and an image.]
goals:
  - text: A container named `web`
    container: {name: web}
  - text: No errors
    no_errors: true
starter: |
  apiVersion: v1
  kind: Pod
  metadata: {name: demo}
  spec:
    containers: [{name: app, image: nginx:1.27}]
solution: |
  apiVersion: v1
  kind: Pod
  metadata: {name: demo}
  spec:
    containers: [{name: web, image: nginx:1.27}]
---
Rename the container to `web`.
"""


QUIZ = """\
questions:
  - id: isolate
    type: single
    prompt: What do namespaces do?
    misconception: Namespaces limit resources
    section: namespaces
    choices:
      - text: They isolate what a process sees
        correct: true
        why: Each namespace type wraps one global resource.
      - text: They limit memory
        why: Limits are the job of cgroups.
  - id: kernel
    type: true_false
    prompt: Containers on one host share its kernel.
    answer: true
    why: No guest kernel boots in a container.
  - id: wrong-line
    type: find_line
    prompt: Which line is wrong?
    snippet: |
      kind: Pod
      apiVersion: v1
      memory: 128MB
    line: 3
    why: Memory uses binary units like Mi.
"""


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@contextmanager
def watched_page(browser, live_server):
    """A fresh browser context (no cookies) on the live server, and the list its console errors
    and page errors are collected in."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context on the live server; console errors fail the test, except for
    checks that a later keystroke aborted: typing key by key, a learner often types while a check
    is on its way, and htmx's hx-sync "replace" drops it, logging the abort and its end."""
    with watched_page(browser, live_server) as (page, errors):
        yield page
    assert unexpected(errors) == [], f"browser console errors: {unexpected(errors)}"


def unexpected(errors: list[str]) -> list[str]:
    """Console errors less each aborted check's pair (htmx:sendAbort, then its afterRequest)."""
    aborted = sum(1 for error in errors if error.startswith("htmx:sendAbort"))
    ends = [i for i, e in enumerate(errors) if e.startswith("htmx:afterRequest")][:aborted]
    return [e for i, e in enumerate(errors) if i not in ends and not e.startswith("htmx:sendAbort")]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
