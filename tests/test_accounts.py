"""Accounts: sign up, sign in (throttled), sign out, passwords, and progress that moves along."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail

from learn.content.library import get_library
from learn.progress.models import ExerciseSolution, Learner, LessonCompletion
from learn.quizzes.models import QuizAttempt

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def signup(client, username="ada", **extra):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


def do_some_learning(client):
    """Complete a lesson, solve an exercise and finish a quiz, anonymously."""
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    exercise = next(e for e in get_library().exercises if e.lesson_key)
    client.post(
        f"/exercises/{exercise.slug}/",
        {"text": exercise.solution, "kubernetes_version": "1.37", "profile": "learning"},
    )
    for question, fields in (
        ("isolate", {"choice": 0}),
        ("kernel", {"answer": "true"}),
        ("wrong-line", {"line": 3}),
    ):
        client.post("/lessons/basics/first/quiz/", {"question": question, **fields})
    return exercise


def test_signup_keeps_what_was_done_anonymously(client, content_dir, django_user_model):
    exercise = do_some_learning(client)
    anonymous = Learner.objects.get()
    response = signup(client)
    assert response.status_code == 302
    user = django_user_model.objects.get(username="ada")
    learner = Learner.objects.get(user=user)
    assert not Learner.objects.filter(pk=anonymous.pk).exists()
    assert learner.completed_keys() == {"basics/first"}
    assert learner.solved_slugs() == {exercise.slug}
    assert QuizAttempt.objects.get().learner == learner
    page = client.get("/progress/").content.decode()
    assert "Signed in as ada" in page
    assert "100%" in page  # the quiz score


def test_signing_in_merges_without_doubling(client, content_dir, django_user_model):
    signup(client)
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    client.post("/accounts/logout/")
    do_some_learning(client)  # again, anonymously: the same lesson, exercise and quiz
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    learner = Learner.objects.get(user__username="ada")
    assert LessonCompletion.objects.filter(learner=learner).count() == 1
    assert ExerciseSolution.objects.filter(learner=learner).count() == 1
    assert QuizAttempt.objects.filter(learner=learner).count() == 1
    assert Learner.objects.count() == 1


def test_sign_out_starts_a_fresh_anonymous_session(client, content_dir):
    signup(client)
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    assert client.get("/accounts/logout/").status_code == 405  # signing out needs a POST
    client.post("/accounts/logout/")
    assert client.get("/lessons/basics/first/").context["is_complete"] is False


def test_signup_validates_passwords(client):
    response = client.post(
        "/accounts/signup/", {"username": "bob", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too short" in html
    assert "entirely numeric" in html


def test_login_is_throttled_after_repeated_failures(client, django_user_model, monkeypatch):
    clock = SimpleNamespace(time=lambda: 1_900_000_000.0)
    monkeypatch.setattr("learn.accounts.forms.time", clock)
    django_user_model.objects.create_user("ada", password=PASSWORD)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    blocked = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.content.decode()
    clock.time = lambda: 1_900_000_000.0 + 15 * 60  # the next fifteen minutes
    assert (
        client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
        == 302
    )


def test_change_password(client, django_user_model):
    signup(client)
    assert client.get("/accounts/password/change/").status_code == 200
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-7",
            "new_password2": "another-long-pass-7",
        },
    )
    assert response["Location"] == "/accounts/password/change/done/"
    assert django_user_model.objects.get().check_password("another-long-pass-7")


def test_reset_password_by_email(client, django_user_model):
    signup(client)
    client.post("/accounts/logout/")
    response = client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    assert django_user_model.objects.get().check_password("brand-new-pass-42")


def test_progress_page_for_anonymous_learners(client, content_dir):
    html = client.get("/progress/").content.decode()
    assert "Create an account" in html
    assert "What to do next" in html
    assert "Read “First lesson”" in html


def test_account_pages_render(client):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        assert client.get(url).status_code == 200
    assert client.get("/accounts/password/change/")["Location"].startswith("/accounts/login/")


def test_after_signing_out_the_session_never_writes_to_the_account(client, content_dir):
    signup(client)
    account = Learner.objects.get(user__username="ada")
    client.post("/accounts/logout/")
    session = client.session
    session["learner_id"] = str(account.pk)  # a stale id left in a session
    session.save()
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    assert account.completed_keys() == set()


def test_signing_up_from_a_class_link_goes_back_to_the_class(client):
    join = "/classes/join/ABCD2345/"
    page = client.get("/accounts/login/", {"next": join}).content.decode()
    assert 'href="/accounts/signup/?next=/classes/join/ABCD2345/"' in page
    response = signup(client, next=join)
    assert response.status_code == 302
    assert response.url == join
