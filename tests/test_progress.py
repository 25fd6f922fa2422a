"""The progress model: completions per learner, and an account adopting anonymous progress."""

import shutil

import pytest

from learn.lessons.library import get_library
from learn.progress.learners import Standing, module_progress, next_lesson, set_completed
from learn.progress.models import Learner, LessonCompletion

pytestmark = pytest.mark.django_db


def test_module_progress_counts_completed_lessons(content_dir):
    library = get_library()
    progress = module_progress(library, Standing(frozenset({"basics/first", "more/third"})))
    assert [(p.module.slug, p.done, p.total, p.percent) for p in progress] == [
        ("basics", 1, 3, 33),  # two lessons and one quiz
        ("more", 1, 1, 100),
    ]


def test_next_lesson_is_none_when_everything_is_done(content_dir):
    library = get_library()
    assert next_lesson(library, None, {lesson.key for lesson in library.lessons}) is None


def test_account_adopts_anonymous_progress_without_doubling(content_dir, django_user_model):
    library = get_library()
    first, second, third = library.lessons
    account = Learner.objects.create(user=django_user_model.objects.create(username="ada"))
    anonymous = Learner.objects.create(last_lesson=third.key)
    set_completed(account, first, True)
    set_completed(anonymous, first, True)
    set_completed(anonymous, second, True)

    account.adopt(anonymous)

    assert account.completed_keys() == {first.key, second.key}
    assert LessonCompletion.objects.count() == 2
    assert not Learner.objects.filter(pk=anonymous.pk).exists()
    account.refresh_from_db()
    assert account.last_lesson == third.key


def test_progress_survives_a_new_process(client, content_dir, settings, tmp_path):
    """Progress lives in the database behind the session cookie, not in process memory."""
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    # The same lessons loaded afresh from another folder, as a restarted process loads them.
    settings.CONTENT_DIR = shutil.copytree(content_dir, tmp_path / "reloaded")
    assert client.get("/lessons/basics/first/").context["is_complete"] is True
