"""Anonymous learners: created only when there is something to keep, and purged when stale."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from learn.progress.learners import SESSION_KEY
from learn.progress.models import Learner, LessonCompletion
from learn.quizzes.models import QuizAttempt

pytestmark = pytest.mark.django_db

NOTHING_TO_KEEP = [
    ("/lessons/basics/first/complete/", {"done": "0"}),
    ("/lessons/basics/first/quiz/", {"question": "no-such-question"}),
    ("/lessons/basics/first/quiz/", {"question": "isolate"}),  # no choice made
    ("/lessons/basics/first/quiz/", {"question": "isolate", "choice": "99"}),
    ("/lessons/basics/first/quiz/", {"retry": "1"}),
    ("/exercises/name-it-web/", {"text": "kind: Pod"}),
    ("/exercises/name-it-web/", {"text": "kind: Pod", "hints": "1"}),
    ("/playground/", {"text": "kind: Pod"}),
    ("/playground/share/", {"text": ""}),
    ("/theme/", {"theme": "dark", "next": "/"}),
    ("/accounts/signup/", {"username": ""}),
    ("/accounts/login/", {"username": "nobody", "password": "wrong"}),
]


@pytest.mark.parametrize(("url", "data"), NOTHING_TO_KEEP)
def test_a_post_with_nothing_to_keep_creates_no_learner_and_no_session(
    client, content_dir, url, data
):
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400)  # the view ran: not a 404 or a crash
    assert not Learner.objects.exists()
    assert not Session.objects.exists()
    assert "sessionid" not in response.cookies


def test_an_invalid_answer_from_a_known_learner_starts_no_empty_attempt(client, content_dir):
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    client.post("/lessons/basics/first/quiz/", {"question": "isolate"})
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/lessons/basics/first/complete/", {"done": "1"}),
        ("/lessons/basics/first/quiz/", {"question": "isolate", "choice": "0"}),
        ("/exercises/name-it-web/", {"text": "kind: Pod\napiVersion: v1\n"}),
    ],
)
def test_what_is_worth_keeping_creates_one_learner_and_one_session(client, content_dir, url, data):
    from learn.content.library import get_library

    if url.startswith("/exercises/"):
        data = {"text": get_library().exercise("name-it-web").solution}
    client.post(url, data)
    assert Learner.objects.filter(user=None).count() == 1
    assert Session.objects.count() == 1


def _anonymous(days_idle: int, **fields) -> Learner:
    learner = Learner.objects.create(**fields)
    Learner.objects.filter(pk=learner.pk).update(
        last_seen=timezone.now() - timedelta(days=days_idle)
    )
    return learner


def test_purging_deletes_stale_anonymous_learners_and_keeps_the_rest(
    content_dir, django_user_model
):
    stale = _anonymous(31)
    LessonCompletion.objects.create(learner=stale, module_slug="basics", lesson_slug="first")
    recent = _anonymous(29)
    account = _anonymous(400, user=django_user_model.objects.create(username="ada"))

    call_command("clearanonymous", verbosity=0)

    assert set(Learner.objects.values_list("pk", flat=True)) == {recent.pk, account.pk}
    assert not LessonCompletion.objects.exists()
    call_command("clearanonymous", "--days", "7", verbosity=0)
    assert set(Learner.objects.values_list("pk", flat=True)) == {account.pk}


def test_purging_clears_expired_sessions(client, content_dir):
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("clearanonymous", verbosity=0)
    assert Session.objects.count() == 1
    assert client.get("/lessons/basics/first/").context["is_complete"] is True


def test_a_returning_learner_stays_active_and_their_session_lasts(client, content_dir, settings):
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    learner = Learner.objects.get()
    assert client.session.get_expiry_age() == settings.ANONYMOUS_PROGRESS_DAYS * 24 * 60 * 60
    Learner.objects.filter(pk=learner.pk).update(last_seen=timezone.now() - timedelta(days=20))
    Session.objects.update(expire_date=timezone.now() + timedelta(days=10))

    client.get("/")  # any page that knows the learner counts as a visit

    learner.refresh_from_db()
    assert timezone.now() - learner.last_seen < timedelta(minutes=1)
    assert Session.objects.get().expire_date > timezone.now() + timedelta(days=29)
    call_command("clearanonymous", verbosity=0)
    assert Learner.objects.filter(pk=learner.pk).exists()


def test_signing_in_gives_the_session_the_accounts_lifetime(client, content_dir, settings):
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    client.post(
        "/accounts/signup/",
        {"username": "ada", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session[SESSION_KEY] == str(Learner.objects.get(user__username="ada").pk)


def _solution() -> str:
    from learn.content.library import get_library

    return get_library().exercise("name-it-web").solution


KEEPING = [
    ("/lessons/basics/first/complete/", {"done": "1"}),
    ("/lessons/basics/first/quiz/", {"question": "isolate", "choice": "0"}),
    ("/exercises/name-it-web/", None),  # the exercise's solution
]


@pytest.mark.parametrize(("url", "data"), KEEPING)
def test_a_client_that_drops_its_session_cookie_starts_only_so_many_learners(
    content_dir, settings, url, data
):
    from django.test import Client

    settings.NEW_ANONYMOUS_LEARNERS_PER_HOUR = 3
    data = data or {"text": _solution()}
    # A fresh client each time: the CSRF cookie may stay, the session cookie is dropped.
    codes = [Client(REMOTE_ADDR="203.0.113.7").post(url, data).status_code for _ in range(5)]

    assert codes[3:] == [429, 429]
    assert Learner.objects.count() == 3
    assert Session.objects.count() == 3
    refused = Client(REMOTE_ADDR="203.0.113.7").post(url, data)
    assert "Retry-After" in refused
    assert "new visitors" in refused.content.decode()
    assert "sessionid" not in refused.cookies
    # Another address, and a learner the session already holds, are not limited.
    assert Client(REMOTE_ADDR="198.51.100.9").post(url, data).status_code != 429
    assert Learner.objects.count() == 4


def test_a_refused_new_learner_with_htmx_replaces_the_page_content(content_dir, settings):
    from django.test import Client

    settings.NEW_ANONYMOUS_LEARNERS_PER_HOUR = 0
    response = Client().post(
        "/lessons/basics/first/complete/", {"done": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reselect"] == "#main"
    assert not Learner.objects.exists()


def test_a_known_learner_keeps_storing_past_the_new_learner_limit(client, content_dir, settings):
    settings.NEW_ANONYMOUS_LEARNERS_PER_HOUR = 1
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    assert client.post("/lessons/basics/second/complete/", {"done": "1"}).status_code == 302
    assert LessonCompletion.objects.count() == 2


def test_the_previous_release_can_still_add_learners_during_a_rolling_update(content_dir):
    """Its inserts do not name the columns this release added: the database fills them in."""
    from django.db import connection

    table = connection.ops.quote_name(Learner._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, created_at, last_lesson) VALUES (%s, %s, %s)",
            [uuid4().hex, timezone.now(), ""],
        )
    assert timezone.now() - Learner.objects.get().last_seen < timedelta(minutes=1)
