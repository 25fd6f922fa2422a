"""The progress model: completions per learner, and an account adopting anonymous progress."""

import shutil

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learn.content.library import get_library
from learn.progress.learners import (
    Standing,
    count_problems,
    module_progress,
    next_lesson,
    set_completed,
)
from learn.progress.models import ExerciseProblem, ExerciseStart, Learner, LessonCompletion

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


def test_account_adopts_the_exercises_an_anonymous_learner_began(django_user_model):
    account = Learner.objects.create(user=django_user_model.objects.create(username="ada"))
    anonymous = Learner.objects.create()
    ExerciseStart.objects.create(learner=account, exercise_slug="both")
    ExerciseStart.objects.create(learner=anonymous, exercise_slug="both")
    ExerciseStart.objects.create(learner=anonymous, exercise_slug="theirs")
    account.adopt(anonymous)
    assert sorted(account.exercise_starts.values_list("exercise_slug", flat=True)) == [
        "both",
        "theirs",
    ]


@pytest.mark.django_db(transaction=True)
def test_exercises_checked_before_starts_were_kept_stay_begun():
    before = [("progress", "0004_learner_last_seen")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    learner = old.get_model("progress", "Learner").objects.create()
    for code in ("missing-field", "unknown-field"):
        old.get_model("progress", "ExerciseProblem").objects.create(
            learner=learner, exercise_slug="name-it-web", code=code, count=3
        )
    executor = MigrationExecutor(connection)  # the graph as it is now, applied to its end
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(ExerciseStart.objects.values_list("learner_id", "exercise_slug")) == [
        (learner.pk, "name-it-web")
    ]


def test_progress_survives_a_new_process(client, content_dir, settings, tmp_path):
    """Progress lives in the database behind the session cookie, not in process memory."""
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    # The same lessons loaded afresh from another folder, as a restarted process loads them.
    settings.CONTENT_DIR = shutil.copytree(content_dir, tmp_path / "reloaded")
    assert client.get("/lessons/basics/first/").context["is_complete"] is True


EXERCISE_URL = "/exercises/name-it-web/"
HALF_TYPED = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: w"


def problems() -> dict[str, int]:
    return dict(ExerciseProblem.objects.values_list("code", "count"))


def check_exercise(client, text: str, htmx: bool, **fields):
    data = {"text": text, "kubernetes_version": "1.37", "profile": "learning", **fields}
    return client.post(EXERCISE_URL, data, headers={"HX-Request": "true"} if htmx else {})


def test_only_checks_a_learner_asked_for_count_as_problems(client, content_dir):
    client.post("/lessons/basics/first/complete/", {"done": "1"})  # a learner to count for
    for end in range(len(HALF_TYPED) - 10, len(HALF_TYPED)):
        check_exercise(client, HALF_TYPED[:end], htmx=True)  # checks made while typing
    assert problems() == {}
    check_exercise(client, "kind: Pod\n", htmx=True, check="1")  # the Check button
    assert problems() == {"missing-field": 1}
    check_exercise(client, "kind: Pod\n", htmx=False)  # without JavaScript, every post is asked
    assert problems() == {"missing-field": 2}
    check_exercise(client, "kind: Pod\n", htmx=True, hints="1")  # asking for a hint
    assert problems() == {"missing-field": 2}


def test_counting_a_checks_problems_takes_a_few_queries_however_many(
    content_dir, django_assert_max_num_queries
):
    learner = Learner.objects.create()
    codes = {f"code-{n}" for n in range(40)}
    with django_assert_max_num_queries(4):  # a savepoint, the rows, their counts, the release
        count_problems(learner, "name-it-web", codes)
    with django_assert_max_num_queries(4):
        count_problems(learner, "name-it-web", codes | {"one-more"})
    counts = problems()
    assert counts["one-more"] == 1
    assert {counts[code] for code in codes} == {2}
