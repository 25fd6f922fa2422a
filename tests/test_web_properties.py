"""Property tests over form posts: whatever a client sends, the site answers as it would a person.

Each example posts one form twice, as a plain form and as htmx, each from a fresh client in its own
rolled-back transaction, so nothing (sessions, rate-limit counters, rows) leaks between examples or
between the two posts. The two answers must agree, a refusal is a page of the site that says what
is wrong, and a form shown again keeps what was typed.
"""

import re
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn.classroom.models import INSTRUCTORS_GROUP, Classroom
from tests.support import SIDECAR_POD

pytestmark = pytest.mark.django_db
NOISE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "999999999999",
            "1e9",
            "true",
            "abc",
            "\x00",
            "<script>",
            "2026-13-45T25:61",
        ]
    ),
)
# Values a person could send for each field: most examples are near-misses of a real form.
PLAUSIBLE = {
    "question": ["isolate", "kernel", "wrong-line"],
    "choice": ["0", "1", "2"],
    "answer": ["true", "false"],
    "line": ["1", "2", "3"],
    "text": [SIDECAR_POD, "kind: Pod\n# mine", "apiVersion: v1\nkind: Pod\n"],
    "kubernetes_version": ["1.34", "1.37", "9.9"],
    "profile": ["learning", "production"],
    "hints": ["1", "2"],
    "done": ["0", "1"],
    "theme": ["dark", "light", "auto"],
    "next": ["/playground/", "//evil.example/"],
    "item": ["module:basics", "lesson:basics/first", "quiz:basics/first", "exercise:name-it-web"],
    "opens_at": ["2030-01-15T18:00"],
    "due_at": ["2030-01-22T18:00", "2029-01-01T00:00"],
    "action": ["regenerate", "open", "close", "remove", "rename"],
    "user": ["1", "2"],
    "name": ["Containers, autumn", "   "],
    "time_zone": ["UTC", "Europe/Paris", "Mars/Olympus"],
    "code": ["ABCD2345"],
}
# Each form's own fields; any other field may come along too.
FORMS = {
    "/lessons/basics/first/quiz/": ["question", "choice", "answer", "line", "text"],
    "/lessons/basics/first/complete/": ["done"],
    "/exercises/name-it-web/": ["text", "kubernetes_version", "profile", "hints"],
    "/playground/": ["text", "kubernetes_version", "profile"],
    "/playground/share/": ["text", "kubernetes_version", "profile"],
    "/theme/": ["theme", "next"],
    "/classes/{pk}/assign/": ["item", "opens_at", "due_at"],
    "/classes/{pk}/manage/": ["action", "name", "time_zone", "user"],
    "/classes/new/": ["name", "time_zone"],
    "/classes/join/": ["code"],
    "/classes/{pk}/leave/": [],
    "/classes/999999/manage/": ["action"],  # 999999 is no class at all
}
LEARNER_URLS = list(FORMS)[:6]
INSTRUCTOR_URLS = list(FORMS)[6:]
# The forms the site posts with htmx; htmx swaps in only 2xx and 429 answers (base.html).
HTMX_FORMS = {"/lessons/basics/first/quiz/", "/lessons/basics/first/complete/",
              "/exercises/name-it-web/", "/playground/", "/playground/share/",
              "/classes/{pk}/manage/"}  # fmt: skip
# Where the text a person typed is shown again when the form comes back.
KEPT = {"/exercises/name-it-web/": "text", "/playground/": "text", "/playground/share/": "text",
        "/classes/new/": "name"}  # fmt: skip


def value(field: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(PLAUSIBLE.get(field, ["x"])), NOISE)


def form(url: str) -> st.SearchStrategy[dict]:
    """A form for `url`: each of its own fields (an empty list sends none), maybe others too."""
    own = {field: st.lists(value(field), max_size=2) for field in FORMS[url]}
    other = st.dictionaries(
        st.sampled_from(sorted(PLAUSIBLE)), st.lists(NOISE, max_size=2), max_size=2
    )
    return st.tuples(st.fixed_dictionaries(own), other).map(lambda d: {**d[1], **d[0]})


# The content folder is only read, so one per test serves every example.
HEALTH = [HealthCheck.function_scoped_fixture]
HX = {"HX-Request": "true"}
# Per-response values (CSRF tokens, CSP nonces) differ between any two answers.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


@contextmanager
def rolled_back():
    """A transaction undone at the end, so the next post starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


OUT_OF_BAND = re.compile(r'<(\w+)([^>]*) hx-swap-oob="(?:true|innerHTML)"([^>]*)>')


def page(response: HttpResponse) -> str:
    """The response's HTML, whitespace runs made one space, per-response values blanked."""
    return " ".join(PER_RESPONSE.sub(r'\1=""', response.content.decode()).split())


def both_ways(
    url: str, data: dict, client: Callable[[], Client]
) -> tuple[HttpResponse, HttpResponse]:
    """The answers to one post as a plain form and as htmx, each from a fresh start."""
    answers = []
    for headers in ({}, HX):
        with rolled_back():
            answers.append(client().post(url, data, headers=headers))
    plain, htmx = answers
    assert plain.status_code < 500, (url, data)
    assert htmx.status_code < 500, (url, data)
    return plain, htmx


def assert_they_agree(url: str, plain: HttpResponse, htmx: HttpResponse) -> None:
    """htmx gets the same outcome as a plain form: the same place to go, or the same answer."""
    if plain.status_code == 302:
        if htmx.status_code == 302:
            assert htmx["Location"] == plain["Location"]
        elif "HX-Redirect" in htmx:
            assert htmx["HX-Redirect"] == plain["Location"]
        else:  # updated in place: a fragment of the page the plain form is sent to
            assert htmx.status_code in (200, 204)
        return
    if url in HTMX_FORMS:  # what htmx does not swap in, the learner never sees
        assert 200 <= htmx.status_code < 300 or htmx.status_code == 429
    else:
        assert htmx.status_code == plain.status_code
    whole = page(plain)
    for part in parts(page(htmx)):
        assert part in whole


def parts(html: str) -> list[str]:
    """The pieces htmx puts in the page: the main fragment and each out-of-band element."""
    if "<main" in html:  # a whole page: its main content
        html = html[html.index("<main") : html.index("</main>")]
    out_of_band = []
    while found := OUT_OF_BAND.search(html):
        end = _closing(html, found[1], found.end())
        out_of_band.append(
            f"<{found[1]}{found[2]}{found[3]}>{html[found.end() : end]}</{found[1]}>"
        )
        html = html[: found.start()] + html[end + len(f"</{found[1]}>") :]
    return [" ".join(part.split()) for part in (html, *out_of_band) if part.strip()]


def _closing(html: str, tag: str, start: int) -> int:
    """Where the element of `tag` opened just before `start` closes (elements of the same tag
    nested in it included)."""
    depth = 1
    for mark in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if mark[1] else 1
        if depth == 0:
            return start + mark.start()
    return len(html)


def assert_a_refusal_says_why(plain: HttpResponse) -> None:
    """A 4xx is a page of the site, with its layout, that names the problem."""
    if 400 <= plain.status_code < 500:
        html = plain.content.decode()
        assert '<main id="main"' in html
        assert re.search(r'role="alert"|class="field__error"|class="error-page"', html)


def instructor_client(teacher) -> Callable[[], Client]:
    def fresh() -> Client:
        client = Client()
        client.force_login(teacher)
        return client

    return fresh


def text_of(data: dict, field: str) -> str | None:
    values = data.get(field)
    return values[-1] if values else None


@pytest.mark.parametrize("url", LEARNER_URLS)
@settings(max_examples=8, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_learner_forms_answer_alike_with_and_without_htmx(content_dir, url, data):
    data = data.draw(form(url), label="form")
    plain, htmx = both_ways(url, data, Client)
    assert_they_agree(url, plain, htmx)
    assert_a_refusal_says_why(plain)
    typed = text_of(data, KEPT.get(url, ""))
    if plain.status_code != 302 and typed and "\x00" not in typed:
        # The playground keeps a spec with its line ends as LF, the way browsers' CRLF is read.
        shown = plain.content.decode()
        assert escape(typed) in shown or escape(typed.replace("\r\n", "\n")) in shown


@pytest.mark.parametrize("url", INSTRUCTOR_URLS)
@settings(max_examples=4, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_instructor_forms_answer_alike_with_and_without_htmx(
    content_dir, django_user_model, url, data
):
    data = data.draw(form(url), label="form")
    with rolled_back():
        teacher = django_user_model.objects.create(username="teacher")
        teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
        classroom = Classroom.objects.create(name="C", instructor=teacher)
        plain, htmx = both_ways(url.format(pk=classroom.pk), data, instructor_client(teacher))
    assert_they_agree(url, plain, htmx)
    assert_a_refusal_says_why(plain)
    if "999999" in url:
        assert plain.status_code == 404
        assert "We could not find that page" in plain.content.decode()
    typed = text_of(data, KEPT.get(url, ""))
    if plain.status_code == 400 and typed and "\x00" not in typed:
        assert escape(typed) in plain.content.decode()
