"""What a learner expects of search, sign-in, exercises, lesson figures and drafts (issue #16)."""

import pytest

pytestmark = pytest.mark.django_db


def _third_lesson_says(content_dir, text: str) -> None:
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", text))


def test_search_highlights_whole_words_and_never_inside_one(client, content_dir):
    _third_lesson_says(content_dir, "The Open Container Initiative. A readinessProbe, a probe.")
    # A word that only starts like the query is another word: not found, not highlighted.
    assert client.get("/search/", {"q": "Init"}).context["hits"] == []
    hits = client.get("/search/", {"q": "probes"}).context["hits"]
    assert [h.document.key for h in hits] == ["more/third"]
    snippet = str(hits[0].snippet)
    assert "A <mark>readinessProbe</mark>, a <mark>probe</mark>." in snippet
    assert "<mark>" not in str(client.get("/search/", {"q": "open probe"}).context["hits"][0].title)


def test_search_snippets_show_no_prompt_or_permalink_marks(client, content_dir):
    shell = "Run this.\n\n```console\n# hostname vm\n$ unshare --uts sh\n```\n"
    _third_lesson_says(content_dir, shell)
    hits = client.get("/search/", {"q": "unshare"}).context["hits"]
    snippet = str(hits[0].snippet)
    assert "<mark>unshare</mark>" in snippet
    assert "#" not in snippet
    assert "$" not in snippet
    hits = client.get("/search/", {"q": "namespace"}).context["hits"]
    assert all("#" not in str(h.snippet) for h in hits)
