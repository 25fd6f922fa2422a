"""`make loadtest` itself is not run by the suite; what would silently skew its figures is."""

import pytest

from learn.content.library import get_library
from learn.content.questions import grade
from learn.loadtest import answer_for


@pytest.fixture(autouse=True)
def real_content(settings):
    """The load test answers the course in content/."""
    settings.CONTENT_DIR = settings.BASE_DIR / "content"


def test_the_load_tests_answers_are_accepted_by_every_quiz_question():
    # A refused answer stores nothing, so the "answer a quiz question" row would write nothing.
    questions = [question for lesson in get_library().lessons for question in lesson.quiz]
    refused = [
        question.id for question in questions if not grade(question, answer_for(question)).response
    ]
    assert questions
    assert refused == []
