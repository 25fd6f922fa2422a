"""Lessons as a course needs them: questions asked in place, what a lesson needs, review lessons,
links to exercises and pages, questions that revisit earlier lessons, and search across it all."""

import textwrap

import pytest

from learn.content.library import get_library
from learn.quizzes.models import QuizAnswer, QuizAttempt
from tests.support import content_errors

pytestmark = pytest.mark.django_db

CHECK = """\
## Ports

```question
id: predict-bind
type: single
prompt: "Two containers of one Pod bind port 80. What happens?"
choices:
  - text: Both work.
    why: They share one network namespace.
  - text: The second bind fails.
    correct: true
    why: One port space per Pod.
```

The answer: one port space. Try [the exercise](exercise:name-it-web) and see
[what you need](page:what-you-need#a-browser).
"""

PAGE = """\
---
title: What you need
summary: A browser, and for some steps a cluster.
---
## A browser

Nothing to install.
"""


def add_check(content_dir, body=CHECK, front=""):
    path = content_dir / "02-more" / "01-third.md"
    text = path.read_text().replace("## Part\n\nText.", textwrap.dedent(body))
    if front:
        text = text.replace("---\n", f"---\n{front}\n", 1)
    path.write_text(text)
    (content_dir / "pages").mkdir(exist_ok=True)
    (content_dir / "pages" / "what-you-need.md").write_text(PAGE)
    return path


def test_a_question_block_is_asked_in_place_without_its_answer(client, content_dir):
    add_check(content_dir)
    assert content_errors(content_dir) == []
    lesson = get_library().lesson("more/third")
    assert [q.id for q in lesson.checks] == ["predict-bind"]
    html = client.get("/lessons/more/third/").content.decode()
    before, after = html.split('id="check-predict-bind"')
    assert "Ports" in before
    assert "The answer: one port space" in after
    assert "Before you read on" in after
    assert "One port space per Pod" not in html  # no explanation before answering
    assert 'method="get"' in after
    assert 'name="check" value="predict-bind"' in after


def test_answering_in_place_without_javascript_shows_feedback_at_the_question(client, content_dir):
    add_check(content_dir)
    response = client.get("/lessons/more/third/", {"check": "predict-bind", "choice": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not quite." in html
    assert "They share one network namespace." in html
    assert "One port space per Pod." in html  # the right answer explains itself too
    assert "nothing is recorded" in html
    assert "Check another answer" in html  # never locked


def test_answering_in_place_with_htmx_returns_only_the_question(client, content_dir):
    add_check(content_dir)
    response = client.get(
        "/lessons/more/third/",
        {"check": "predict-bind", "choice": "1"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="check-predict-bind"')
    assert "Right." in html
    assert "The answer: one port space" not in html


def test_in_place_answers_are_never_stored(client, content_dir):
    add_check(content_dir)
    client.get("/lessons/more/third/", {"check": "predict-bind", "choice": "1"})
    assert QuizAttempt.objects.count() == 0
    assert QuizAnswer.objects.count() == 0


def test_bad_in_place_answers_say_what_is_expected(client, content_dir):
    add_check(content_dir)
    for params in ({"check": "predict-bind"}, {"check": "predict-bind", "choice": "9"}):
        html = client.get("/lessons/more/third/", params).content.decode()
        assert "Choose one answer." in html
    htmx = {"HX-Request": "true"}
    assert client.get("/lessons/more/third/", {"check": "nope"}, headers=htmx).status_code == 404
    assert client.get("/lessons/more/third/", {"check": "nope"}).status_code == 200


def test_question_block_mistakes_are_content_errors_at_their_line(content_dir):
    body = CHECK.replace("type: single", "type: write_spec").replace("predict-bind", "Bad Id")
    add_check(content_dir, body)
    found = content_errors(content_dir)
    assert all(e.startswith("02-more/01-third.md:13: question block:") for e in found), found
    assert any("`id` must be lower-case" in e for e in found)
    assert any("a question in a lesson is one of" in e for e in found)


def test_links_to_missing_exercises_and_page_sections_are_errors(content_dir):
    add_check(content_dir, CHECK.replace("name-it-web", "nope").replace("a-browser", "nope"))
    assert content_errors(content_dir) == [
        "02-more/01-third.md:25: link to unknown exercise 'nope'",
        "02-more/01-third.md:26: page 'what-you-need' has no section '#nope'",
    ]


def test_an_exercise_linked_from_a_lesson_is_offered_there_too(client, content_dir):
    add_check(content_dir)
    lesson = get_library().lesson("more/third")
    assert [e.slug for e in get_library().exercises_for(lesson)] == ["name-it-web"]
    html = client.get("/lessons/more/third/").content.decode()
    assert 'href="/exercises/name-it-web/"' in html
    assert 'href="/pages/what-you-need/#a-browser"' in html


def test_a_page_is_served_and_unknown_pages_are_404(client, content_dir):
    add_check(content_dir)
    response = client.get("/pages/what-you-need/")
    assert response.status_code == 200
    assert "Nothing to install." in response.content.decode()
    assert client.get("/pages/nope/").status_code == 404


def test_what_a_lesson_needs_is_said_at_its_top(client, content_dir, settings):
    settings.DEBUG = True  # reload the content when it changes
    add_check(content_dir, front="needs: [browser, cluster]")
    html = client.get("/lessons/more/third/").content.decode()
    assert "you need</strong> a browser and a Kubernetes cluster" in html
    assert 'href="/pages/what-you-need/"' in html
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("needs: [browser, cluster]", "needs: [a-cloud]"))
    assert content_errors(content_dir) == [
        "02-more/01-third.md:2: field 'needs' must be a list of what the hands-on parts "
        "need: browser, linux, cluster"
    ]


def test_a_review_lesson_is_labelled_as_one(client, content_dir):
    add_check(content_dir, front="review: true")
    assert get_library().lesson("more/third").review
    assert "Module review" in client.get("/lessons/more/third/").content.decode()


def test_revisits_must_name_an_earlier_lesson(content_dir, settings):
    settings.DEBUG = True  # reload the content when it changes
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    text = quiz.read_text().replace(
        "  - id: isolate\n", "  - id: isolate\n    revisits: more/third\n"
    )
    quiz.write_text(text)
    assert content_errors(content_dir) == [
        "01-basics/01-first.quiz.yaml:2: question 1: `revisits: more/third` must name an "
        "earlier lesson (module/lesson)"
    ]
    quiz.write_text(text.replace("revisits: more/third", "revisits: basics/first"))
    assert len(content_errors(content_dir)) == 1  # a lesson does not revisit itself
    moved = content_dir / "02-more" / "01-third.quiz.yaml"
    moved_text = text.replace("revisits: more/third", "revisits: basics/first")
    moved.write_text(moved_text.replace("section: namespaces", "section: part"))
    quiz.unlink()
    assert content_errors(content_dir) == []
    assert get_library().lesson("more/third").quiz[0].revisits == "basics/first"


def test_search_matches_word_stems_across_lessons_exercises_and_pages(client, content_dir):
    add_check(content_dir)
    hits = client.get("/search/", {"q": "namespaces"}).context["hits"]
    assert "basics/first" in [h.document.key for h in hits]  # "namespace" in the text
    hits = client.get("/search/", {"q": "container"}).context["hits"]
    assert "exercises/name-it-web" in [h.document.key for h in hits]  # "containers" in it
    assert "<mark>containers</mark>" in str(hits[0].snippet) or any(
        "<mark>" in str(h.snippet) for h in hits
    )
    hits = client.get("/search/", {"q": "install"}).context["hits"]
    assert [h.document.key for h in hits] == ["pages/what-you-need"]
    html = client.get("/search/", {"q": "install"}).content.decode()
    assert 'href="/pages/what-you-need/"' in html
    assert ">Page<" in html


def test_stems_match_plurals_and_verb_forms_both_ways():
    from learn.content.search import stem, terms_of

    assert stem("sidecars") == stem("sidecar") == "sidecar"
    assert stem("policies") == "policy"
    assert stem("probes") == "probe"  # so "probes" does not find "problem"
    assert stem("probing") == "probing"  # a verb ending only comes off a long enough word
    assert stem("boxes") == "box"
    assert stem("pods") == "pod"
    assert stem("class") == "class"
    assert terms_of("a b pod") == ["pod"]  # single letters only when nothing longer is asked
    assert len(terms_of("one two three four five six seven eight")) == 6


def test_search_for_probes_does_not_find_problems(client, content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", "A problem, not a check."))
    assert client.get("/search/", {"q": "probes"}).context["hits"] == []


def test_search_text_leaves_out_permalinks_and_retold_diagrams(content_dir):
    lesson = get_library().lesson("basics/first")
    assert "Namespaces #" not in lesson.text


def test_search_finds_the_policy_in_policies(client, content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", "Restart policies decide."))
    hits = client.get("/search/", {"q": "restart policy"}).context["hits"]
    assert [h.document.key for h in hits] == ["more/third"]
    assert "<mark>policies</mark>" in str(hits[0].snippet)


def test_a_question_block_shown_inside_another_fence_is_not_asked(client, content_dir):
    example = "How to ask one:\n\n~~~markdown\n```question\nid: nope\n```\n~~~\n\n"
    bad = CHECK.replace("type: single", "type: write_spec")
    path = add_check(content_dir, example + bad)
    lesson = get_library().lesson("more/third")
    assert lesson.checks == ()  # the real block is wrong, and the example is no question
    lines = path.read_text().splitlines()
    _, real = (i for i, text in enumerate(lines, 1) if text == "```question")
    found = content_errors(content_dir)
    assert found
    assert all(e.startswith(f"02-more/01-third.md:{real}: question block:") for e in found)
    assert any("a question in a lesson is one of" in e for e in found)
    assert "```question" in lesson.html  # the example, shown as it is written
