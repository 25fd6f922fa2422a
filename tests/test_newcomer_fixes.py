"""What a newcomer's walk-through of issue #16's fixes still found: search snippets, the per-learner
page, the join page, the playground's example menu, the admin sign-in, the results panel."""

import pytest

pytestmark = pytest.mark.django_db


def _third_lesson_says(content_dir, text: str) -> None:
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", text))


def test_search_snippets_keep_punctuation_on_its_word_and_end_headings(client, content_dir):
    lesson = (
        "List them in `spec.quokkas`, which is **required**.\n\n"
        "## Run at least once\n\nThe previous lesson said so.\n\n## Why?\n\nBecause."
    )
    _third_lesson_says(content_dir, lesson)
    snippet = str(client.get("/search/", {"q": "quokkas"}).context["hits"][0].snippet)
    assert "spec.<mark>quokkas</mark>, which is required." in snippet
    assert "Run at least once. The previous lesson said so. Why? Because." in snippet
