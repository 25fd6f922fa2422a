"""Every page through the test client: content shown, progress kept, queries bounded."""

import pytest
from django.urls import reverse

from learn.progress.models import Learner, LessonCompletion

pytestmark = pytest.mark.django_db

LESSON = "/lessons/basics/first/"
COMPLETE = "/lessons/basics/first/complete/"


def test_lesson_urls_follow_module_and_lesson_slugs(content_dir):
    assert reverse("lessons:lesson", args=["basics", "first"]) == LESSON


def test_home_lists_modules_with_progress_and_a_place_to_start(client, content_dir):
    response = client.get("/")
    assert response.status_code == 200
    assert [p.module.slug for p in response.context["progress"]] == ["basics", "more"]
    assert response.context["continue_lesson"].key == "basics/first"
    assert response.context["started"] is False
    html = response.content.decode()
    assert "Start with the first lesson" in html
    assert '<progress id="progress-basics" max="3" value="0"' in html


def test_the_lessons_folder_leads_to_the_course(client, content_dir):
    response = client.get("/lessons/")
    assert (response.status_code, response["Location"]) == (302, "/")


def test_module_page_lists_lessons_with_minutes_and_completion(client, content_dir):
    client.post(COMPLETE, {"done": "1"})
    response = client.get("/lessons/basics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "First lesson" in html
    assert "Second lesson" in html
    assert "About 5 min" in html
    assert response.context["completed"] == {"basics/first"}
    assert html.count('<span class="badge">Completed</span>') == 1
    assert '<progress id="progress-basics" max="3" value="1"' in html


def test_lesson_page_shows_everything_a_reader_needs(client, content_dir):
    response = client.get(LESSON)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="lesson-title">First lesson</h1>' in html
    assert "Explain the thing" in html  # objectives
    assert "about 5 min" in html
    assert 'href="#namespaces"' in html  # table of contents
    assert "Kubernetes documentation, Pods" in html  # sources
    assert 'rel="next"' in html
    assert 'rel="prev"' not in html
    assert "Mark as complete" in html
    assert 'hx-post="/lessons/basics/first/complete/"' in html


def test_marking_complete_without_javascript_redirects_back(client, content_dir):
    response = client.post(COMPLETE, {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == LESSON
    page = client.get(LESSON)
    assert page.context["is_complete"] is True
    assert "You completed this lesson." in page.content.decode()


def test_marking_complete_with_htmx_returns_the_partial(client, content_dir):
    response = client.post(COMPLETE, {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="completion"')
    assert "<html" not in html
    assert "Mark as not complete" in html
    assert '<progress id="progress-basics" max="3" value="1"' in html
    assert "HX-Request" in response["Vary"]


def test_marking_not_complete_undoes_it(client, content_dir):
    client.post(COMPLETE, {"done": "1"})
    client.post(COMPLETE, {"done": "0"})
    assert LessonCompletion.objects.count() == 0
    assert client.get(LESSON).context["is_complete"] is False


def test_completing_twice_keeps_one_record(client, content_dir):
    client.post(COMPLETE, {"done": "1"})
    client.post(COMPLETE, {"done": "1"})
    assert LessonCompletion.objects.count() == 1


def test_progress_is_per_session(client, content_dir, django_user_model):
    from django.test import Client

    client.post(COMPLETE, {"done": "1"})
    other = Client()
    assert other.get(LESSON).context["is_complete"] is False
    assert Learner.objects.count() == 1


def test_complete_needs_post_and_csrf(content_dir):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(COMPLETE).status_code == 405
    refused = strict.post(COMPLETE, {"done": "1"})
    assert refused.status_code == 403
    assert "That form had expired" in refused.content.decode()


def test_continue_where_you_left_off(client, content_dir):
    client.post(COMPLETE, {"done": "1"})
    client.get("/lessons/more/third/")
    home = client.get("/")
    assert home.context["started"] is True
    assert home.context["continue_lesson"].key == "more/third"
    assert "Continue where you left off" in home.content.decode()
    client.post("/lessons/more/third/complete/", {"done": "1"})
    assert client.get("/").context["continue_lesson"].key == "basics/second"


def test_home_shows_the_course_as_a_path_of_modules_and_lessons(client, content_dir):
    page = client.get("/").content.decode()
    assert "3 lessons in 2 modules" in page
    html = page[page.index('class="course-path"') :]
    # Every module in order, each with its lessons in order, linked, with minutes.
    basics, more = html.index("Module 1"), html.index("Module 2")
    first, second, third = (
        html.index(t) for t in ("First lesson", "Second lesson", "Third lesson")
    )
    assert basics < first < second < more < third
    assert 'href="/lessons/basics/second/"' in html
    # Nothing started: the first lesson is up next, and nothing is marked done.
    assert html.count("Up next") == 1
    assert html.index("Up next") < second
    assert "Completed, " not in html


def test_home_path_marks_completed_lessons_and_where_to_continue(client, content_dir):
    client.post(COMPLETE, {"done": "1"})
    html = client.get("/").content.decode()
    assert "Continue where you left off" in html
    assert html.count('<span class="visually-hidden">Completed, </span>') == 1
    assert html.count('class="path-lesson is-complete"') == 1
    assert 'class="path-lesson is-next"' in html
    # The lesson after the completed one is next, and the path says so.
    assert '<a href="/lessons/basics/second/" aria-current="step">Second lesson</a>' in html
    assert '<progress id="progress-basics" max="3" value="1"' in html


def test_home_path_tells_anonymous_progress_apart_per_browser(
    client, content_dir, django_user_model
):
    from django.test import Client

    client.post(COMPLETE, {"done": "1"})
    other = Client().get("/").content.decode()
    assert "Completed, " not in other
    assert "Start with the first lesson" in other


def test_unknown_module_and_lesson_are_friendly_404s(client, content_dir):
    for url in ("/lessons/nope/", "/lessons/basics/nope/", "/lessons/basics/nope/complete/"):
        method = client.post if url.endswith("complete/") else client.get
        response = method(url)
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()


def test_search_highlights_matches_in_titles_and_text(client, content_dir):
    response = client.get("/search/", {"q": "namespace"})
    assert response.status_code == 200
    hits = response.context["hits"]
    assert [h.document.key for h in hits] == ["basics/first"]
    assert "<mark>namespace</mark>" in hits[0].snippet.lower()
    assert "1 result for" in response.content.decode()


def test_search_requires_every_word_and_ranks_titles_first(client, content_dir):
    hits = client.get("/search/", {"q": "lesson"}).context["hits"]
    assert {h.document.key for h in hits} == {"basics/first", "basics/second", "more/third"}
    assert client.get("/search/", {"q": "namespace cgroups"}).context["hits"] == []


def test_search_escapes_the_query(client, content_dir):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Nothing contains all of these words" in html


def test_search_partial_for_htmx(client, content_dir):
    response = client.get("/search/", {"q": "limit"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"')
    assert "<mark>limit</mark>" in html


def test_theme_choice_is_remembered_in_a_cookie(client, content_dir):
    response = client.post("/theme/", {"theme": "dark", "next": LESSON})
    assert response.status_code == 302
    assert response["Location"] == LESSON
    assert (
        client.get(LESSON)
        .content.decode()
        .startswith('<!doctype html>\n<html lang="en" data-theme="dark">')
    )


def test_theme_refuses_to_redirect_elsewhere(client):
    response = client.post("/theme/", {"theme": "dark", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_send_a_content_security_policy(client, content_dir):
    policy = client.get(LESSON)["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(("url", "limit"), [("/", 5), ("/lessons/basics/", 5), (LESSON, 5)])
def test_queries_per_page_are_a_small_constant(
    client, content_dir, django_assert_max_num_queries, url, limit
):
    client.post(COMPLETE, {"done": "1"})
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_content_errors_show_file_and_line_in_development(client, content_dir, settings):
    settings.DEBUG = True
    (content_dir / "04-empty").mkdir()
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "04-empty/module.md:1" in html
    assert "each module folder needs a module.md" in html
    assert client.get("/healthz").status_code == 200


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("favicon.svg")
