"""The playground, exercises, snapshots, embeds and oEmbed through the test client."""

import io
import json

import pytest
from django.utils.html import escape

from learn.content.library import get_library
from learn.playground.models import Snapshot
from learn.podspec import check
from learn.podspec.examples import EXAMPLES
from learn.podspec.figure import code_spans
from learn.progress.models import ExerciseSolution
from tests.support import SIDECAR_POD, engine_budget, htmx_swaps, one_window

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
BROKEN = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")


def post(client, url="/playground/", text=SIDECAR_POD, headers=None, **fields):
    data = {"text": text, "kubernetes_version": "1.35", "profile": "learning", **fields}
    return client.post(url, data, headers=headers or {})


def test_playground_page_has_an_editor_an_example_menu_and_results(client):
    response = client.get("/playground/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<textarea id="spec" name="text"' in html
    assert "data-editor-server-text" not in html  # the browser's saved text may take over
    assert 'hx-post="/playground/"' in html
    assert 'class="pod-diagram"' in html  # the default example is drawn on first load
    for item in EXAMPLES:
        assert escape(item.title) in html


def test_examples_load_into_the_editor(client):
    response = client.get("/playground/", {"example": "job-native-sidecar"})
    assert "nightly-report" in response.context["chosen"].text
    assert "data-editor-server-text" in response.content.decode()


def test_every_example_checks_as_its_menu_says():
    for item in EXAMPLES:
        assert check(item.text).ok is not item.broken, item.slug


def test_htmx_check_returns_only_the_results(client):
    response = post(client, text=BROKEN, headers=HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    line = check(BROKEN).errors[0].line
    assert f'data-line="{line}"' in html
    assert "undefined-volume" in html
    assert f'data-goto-line="{line}"' in html
    assert "pd-wire" in html
    assert "bad" in html
    assert "HX-Request" in response["Vary"]


def test_check_without_javascript_returns_the_whole_page_with_the_text(client):
    response = post(client, text=BROKEN)
    html = response.content.decode()
    assert "<html" in html
    assert "data-editor-server-text" in html
    assert "name: log\n" in response.context["chosen"].text
    assert "undefined-volume" in html


def test_version_and_profile_apply(client):
    response = post(client, profile="production", headers=HX)
    assert response.context["results"].report.profile == "production"
    assert "latest-tag" not in response.content.decode()
    assert "no-read-only-root-fs" in response.content.decode()
    assert (
        post(client, kubernetes_version="9.99", headers=HX).context["chosen"].kubernetes_version
        == "1.37"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: &a ["
        + ",".join(["x"] * 10)
        + "]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
            for i in range(9)
        ),
        "[" * 20_000,
        "kind: !!python/object/apply:os.system ['id']",
        "\x00\x01\x02",
        "",
    ],
)
def test_hostile_input_gets_a_normal_answer(client, text):
    response = post(client, text=text, headers=HX)
    assert response.status_code == 200
    assert 'class="problem error"' in response.content.decode()


def test_too_large_input_is_refused_with_a_message_and_kept(client, settings):
    settings.PODSPEC_MAX_BYTES = 1000
    response = post(client, text="a: b\n" * 400)
    assert response.status_code == 200
    assert "input-too-large" in response.content.decode()
    assert response.context["chosen"].text == "a: b\n" * 400


@pytest.mark.parametrize(
    "fields",
    [{"text": "a: b\n" * 600_000}, {f"extra{n}": "x" for n in range(1200)}],
    ids=["3 MB of text", "1,200 fields"],
)
def test_a_request_django_refuses_is_not_swapped_into_the_results(client, fields):
    response = post(client, headers=HX, **fields)
    # Django's own 400 page is a whole document: htmx must report it, never put it in #results.
    assert response.status_code == 400
    assert response.content.decode().lstrip().lower().startswith("<!doctype html>")
    assert not htmx_swaps(client.get("/playground/").content.decode(), 400)


def test_htmx_swaps_the_results_and_a_rate_limit_in(client):
    page = client.get("/playground/").content.decode()
    assert htmx_swaps(page, 200)
    assert htmx_swaps(page, 429)
    assert not htmx_swaps(page, 204)
    assert not htmx_swaps(page, 500)


def test_checks_are_rate_limited_per_client(client, settings, monkeypatch):
    one_window(monkeypatch)
    engine_budget(settings, 3)
    codes = [post(client, headers=HX).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert "Your text is kept" in post(client, headers=HX).content.decode()


def test_check_needs_the_csrf_token():
    from django.test import Client

    assert post(Client(enforce_csrf_checks=True), headers=HX).status_code == 403


def test_share_is_content_addressed(client):
    first = post(client, "/playground/share/")
    again = post(client, "/playground/share/")
    assert first.status_code == 302
    assert first["Location"] == again["Location"]
    assert Snapshot.objects.count() == 1
    other = post(client, "/playground/share/", profile="production")
    assert other["Location"] != first["Location"]


def test_share_with_htmx_redirects_the_page(client):
    response = post(client, "/playground/share/", headers=HX)
    assert response["HX-Redirect"].startswith("/p/")


def test_snapshot_page_shows_spec_problems_diagram_and_embeds(client):
    location = post(client, "/playground/share/", text=BROKEN)["Location"]
    response = client.get(location)
    html = response.content.decode()
    assert "undefined-volume" in html
    assert 'class="pod-diagram"' in html
    assert "Open in the playground" in html
    assert "/embed" in html
    assert "<iframe" in html.replace("&lt;", "<")
    assert 'type="application/json+oembed"' in html
    assert response["X-Frame-Options"] == "DENY"
    opened = client.get("/playground/", {"from": location.strip("/").split("/")[-1]})
    assert opened.context["chosen"].text == BROKEN


def test_only_the_embed_page_may_be_framed(client):
    location = post(client, "/playground/share/")["Location"]
    embed = client.get(location + "embed")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get(location)["Content-Security-Policy"]


def test_snapshot_downloads(client):
    location = post(client, "/playground/share/")["Location"]
    svg = client.get(location + "diagram.svg", {"download": 1})
    assert svg["Content-Type"] == "image/svg+xml"
    assert "attachment" in svg["Content-Disposition"]
    assert client.get(location + "diagram.png")["Content-Type"] == "image/png"
    assert client.get(location + "diagram.gif").status_code == 404


def test_a_snapshot_s_picture_takes_the_query_a_diagram_url_takes(client, settings):
    from PIL import Image

    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = 1000  # several pictures in a row
    location = post(client, "/playground/share/")["Location"]
    svg = client.get(location + "diagram.svg").content.decode()
    assert "prefers-color-scheme:dark" in svg  # follows its reader's theme unless told
    dark = client.get(location + "diagram.svg", {"theme": "dark"}).content.decode()
    assert "prefers-color-scheme" not in dark
    fixed = client.get(location + "diagram.svg", {"width": 600}).content.decode()
    assert 'width="600"' in fixed[: fixed.index(">")]
    assert "<style" not in client.get(location + "diagram.svg", {"plain": "1"}).content.decode()
    png = client.get(location + "diagram.png", {"width": 800})
    assert Image.open(io.BytesIO(png.content)).size[0] == 800
    wrong = client.get(location + "diagram.png", {"theme": "sepia"})
    assert (wrong.status_code, wrong["Content-Type"]) == (400, "image/png")


def test_oembed(client):
    location = post(client, "/playground/share/")["Location"]
    response = client.get("/oembed", {"url": "http://testserver" + location, "format": "json"})
    data = json.loads(response.content)
    assert data["type"] == "rich"
    assert data["version"] == "1.0"
    assert location + "embed" in data["html"]
    assert client.get("/oembed", {"url": "http://testserver/lessons/"}).status_code == 404
    assert (
        client.get("/oembed", {"url": "http://testserver" + location, "format": "xml"}).status_code
        == 501
    )


def test_unknown_snapshot_is_404(client):
    assert client.get("/p/doesnotexist/").status_code == 404
    assert client.get("/playground/", {"from": "nope"}).status_code == 404


# Exercises ---------------------------------------------------------------------------------


def exercise_with_lesson():
    return next(e for e in get_library().exercises if e.lesson_key)


def test_exercise_list_and_page(client):
    exercise = exercise_with_lesson()
    assert exercise.title in client.get("/exercises/").content.decode()
    response = client.get(f"/exercises/{exercise.slug}/")
    assert response.status_code == 200
    assert response.context["chosen"].text == exercise.starter
    html = response.content.decode()
    assert "Goals" in html
    assert "Show hint 1 of" in html
    assert client.get("/exercises/nope/").status_code == 404


def test_goals_tick_and_a_solution_is_recorded(client):
    exercise = exercise_with_lesson()
    starter = post(client, f"/exercises/{exercise.slug}/", text=exercise.starter, headers=HX)
    assert not starter.context["results"].solved
    solved = post(client, f"/exercises/{exercise.slug}/", text=exercise.solution, headers=HX)
    assert solved.context["results"].solved
    assert "Recorded in your progress" in solved.content.decode()
    assert ExerciseSolution.objects.filter(exercise_slug=exercise.slug).count() == 1
    lesson = get_library().lesson(exercise.lesson_key)
    page = client.get(f"/lessons/{lesson.module_slug}/{lesson.slug}/").content.decode()
    assert f"/exercises/{exercise.slug}/" in page
    assert '<span class="badge">Solved</span>' in page


def test_hints_are_revealed_one_at_a_time(client):
    exercise = exercise_with_lesson()
    first = post(client, f"/exercises/{exercise.slug}/", text=exercise.starter, headers=HX, hints=1)
    html = first.content.decode()
    assert html.lstrip().startswith('<section id="hints"')
    assert code_spans(exercise.hints[0]) in html
    assert code_spans(exercise.hints[1]) not in html
    no_js = post(client, f"/exercises/{exercise.slug}/", text="changed text", hints=2)
    assert code_spans(exercise.hints[1]) in no_js.content.decode()
    assert no_js.context["chosen"].text == "changed text"


def test_rate_limited_check_without_javascript_keeps_the_text(client, settings):
    engine_budget(settings, 0)
    response = client.post("/playground/", {"text": "kind: Pod\n# mine"})
    assert response.status_code == 429
    assert "# mine" in response.content.decode()
    assert "Checking is paused for a moment" in response.content.decode()


def test_a_spec_with_nul_characters_is_refused_not_stored(client):
    """PostgreSQL refuses NUL in text; the site must answer, not fail (found by a property test)."""
    response = client.post("/playground/share/", {"text": "kind: Pod\x00\n"})
    assert response.status_code == 400
    assert "free of NUL characters" in response.content.decode()
    assert not Snapshot.objects.exists()


def test_no_diagram_s_reason_shows_its_names_as_code(client):
    text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    image:nginx\n"
    html = client.post("/playground/", {"text": text}).content.decode()
    assert "No diagram: YAML syntax error: <code>image:nginx</code> needs a space" in html
