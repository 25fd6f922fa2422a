"""What an instructor meets: the `instructor` command, the per-learner page, the CSV, due dates
already past, and the admin for site staff."""

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn.classroom.models import INSTRUCTORS_GROUP, Assignment, Classroom, Membership
from learn.progress.models import Learner
from learn.quizzes.models import QuizAnswer, QuizAttempt
from tests.test_classroom import client_for, user

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("instructor", *args, stdout=out)
    return out.getvalue()


def failure(*args) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 1
    return raised.value


def test_granting_to_nobody_says_they_must_sign_up_first():
    message = str(failure("grant", "nobody"))
    assert message == (
        "No user is named 'nobody'. They must sign up first, on the site's /accounts/signup/ "
        "page; then run `manage.py instructor grant nobody` again."
    )


def test_listing_no_instructors_says_so():
    assert run("list") == (
        "No instructors yet. Make one with `manage.py instructor grant USERNAME`.\n"
    )


def test_grant_list_revoke_and_repeats(django_user_model):
    account = django_user_model.objects.create_user("Ada", "ada@example.org", "pass-word-123456")
    django_user_model.objects.create_superuser("root", "root@example.org", "pass-word-123456")
    assert run("grant", "ada") == "Ada is now an instructor.\n"  # one account matches, any case
    assert account.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert run("grant", "Ada") == "Ada is already an instructor; nothing changed.\n"
    assert run("list") == "Ada\nroot (superuser)\n"
    assert run("revoke", "Ada") == "Ada is no longer an instructor.\n"
    assert run("revoke", "Ada") == "Ada is not an instructor; nothing changed.\n"
    assert run("revoke", "root") == (
        "root is not an instructor (a superuser, who may teach anyway); nothing changed.\n"
    )


def test_missing_or_extra_usernames_say_how_to_call_it():
    assert str(failure("grant")) == "`grant` needs a username: manage.py instructor grant USERNAME"
    assert str(failure("list", "ada")) == "`list` takes no username: manage.py instructor list"


SOLUTION = "apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\nspec:\n  containers: [{name: web, image: nginx:1.27}]\n"
QUIZ_URL = "/lessons/basics/first/quiz/"


@pytest.fixture
def taught(django_user_model, content_dir):
    """A class with a quiz and an exercise assigned, and a learner who took and did both."""
    teacher = user(django_user_model, "teacher", instructor=True)
    classroom = Classroom.objects.create(
        name="K8s 101", instructor=teacher, time_zone="Europe/Berlin"
    )
    Assignment.objects.create(classroom=classroom, kind="quiz", target="basics/first")
    Assignment.objects.create(classroom=classroom, kind="exercise", target="name-it-web")
    learner = user(django_user_model, "lin")
    Membership.objects.create(classroom=classroom, user=learner)
    return {"teacher": client_for(teacher), "classroom": classroom, "learner": learner}


def take_quiz_and_exercise(client):
    client.post(QUIZ_URL, {"question": "isolate", "choice": "1"})
    client.post(QUIZ_URL, {"question": "kernel", "answer": "true"})
    client.post(QUIZ_URL, {"question": "wrong-line", "line": "3"})
    data = {"kubernetes_version": "1.37", "profile": "learning", "check": "1"}
    client.post("/exercises/name-it-web/", {"text": "kind: Pod\n", **data})
    client.post("/exercises/name-it-web/", {"text": SOLUTION, **data})


def test_the_learner_page_shows_scores_answers_solutions_and_problems(taught):
    take_quiz_and_exercise(client_for(taught["learner"]))
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert "Attempt 1: 2 of 3 (67%), finished" in page
    assert "What do namespaces do?" in page
    assert (
        '<span class="status status--late">Wrong:</span>\n                They limit memory' in page
    )
    assert '<span class="status status--done">Right:</span>\n                true' in page
    assert "line 3: <code>memory: 128MB</code>" in page
    assert '<span class="status status--done">Solved</span>' in page
    assert "containers: [{name: web, image: nginx:1.27}]\n</pre>" in page
    assert "<code>missing-field</code>" in page


def test_an_unsolved_exercise_shows_the_spec_the_learner_last_checked(taught):
    data = {"kubernetes_version": "1.37", "profile": "learning", "check": "1"}
    client_for(taught["learner"]).post("/exercises/name-it-web/", {"text": "kind: Pod\n", **data})
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert "Not solved yet" in page
    assert "The spec they last checked:" in page
    assert 'id="name-it-web-L1"' in page  # numbered, so that its problems can lead to their lines
    assert '<a class="numbered__number"' not in page  # one keyboard stop per problem, not per line
    assert "kind: Pod\n</span>" in page
    # Its problems now, each with its line and message, not only their codes.
    problems = page.split("What is wrong with it now")[1]
    assert 'href="#name-it-web-L1"' in problems
    assert "apiVersion" in problems


def test_a_draft_too_large_to_check_here_is_shown_unchecked(taught):
    data = {"kubernetes_version": "1.37", "profile": "learning", "check": "1"}
    big = "kind: Pod\n" + "# filler\n" * 4000  # 40 KB, within the engine's limit
    client_for(taught["learner"]).post("/exercises/name-it-web/", {"text": big, **data})
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert "Too long to check on this page" in page
    assert 'id="name-it-web-L1"' not in page  # shown as it was typed, no numbered lines


def test_the_learner_page_checks_drafts_within_a_budget_for_the_whole_page(taught, monkeypatch):
    from learn.classroom import record

    data = {"kubernetes_version": "1.37", "profile": "learning", "check": "1"}
    client_for(taught["learner"]).post("/exercises/name-it-web/", {"text": "kind: Pod\n", **data})
    monkeypatch.setattr(record, "PAGE_CHECKED_WITHIN", 5)  # less than the 10 bytes of the draft
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert "Too long to check on this page" in page


def test_a_learner_who_did_nothing_yet(taught):
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert "No assigned quiz taken yet." in page
    assert "Not solved yet" in page


def test_the_learner_page_needs_the_same_queries_however_much_was_done(taught, django_user_model):
    """A learner with 40 attempts costs what one with a single attempt costs (no N+1)."""
    busy, idle = taught["learner"], user(django_user_model, "idle")
    Membership.objects.create(classroom=taught["classroom"], user=idle)
    take_quiz_and_exercise(client_for(idle))
    mine = Learner.objects.create(user=busy)
    attempts = QuizAttempt.objects.bulk_create(
        QuizAttempt(
            learner=mine, lesson_key="basics/first", total=3, correct=1, finished_at=timezone.now()
        )
        for _ in range(40)
    )
    QuizAnswer.objects.bulk_create(
        QuizAnswer(attempt=a, question_id=q, correct=False, response={"choice": [1]})
        for a in attempts
        for q in ("isolate", "kernel")
    )
    counts = []
    for someone in (busy, idle):
        with CaptureQueriesContext(connection) as queries:
            page = taught["teacher"].get(
                f"/classes/{taught['classroom'].pk}/learners/{someone.pk}/"
            )
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    busy_page = taught["teacher"].get(f"/classes/{taught['classroom'].pk}/learners/{busy.pk}/")
    assert "Attempt 40: 1 of 3 (33%)" in busy_page.content.decode()
    assert "and 30 earlier attempts." in busy_page.content.decode()


def test_stored_answers_that_no_longer_fit_the_question_say_none_was_accepted(taught):
    mine = Learner.objects.create(user=taught["learner"])
    attempt = QuizAttempt.objects.create(learner=mine, lesson_key="basics/first", total=3)
    for question, response in (
        ("isolate", {"choice": [9]}),
        ("kernel", {}),
        ("wrong-line", {"line": 99}),
    ):
        QuizAnswer.objects.create(
            attempt=attempt, question_id=question, correct=False, response=response
        )
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert page.count("no answer accepted") == 3
    assert "Attempt 1: unfinished" in page


def test_the_csv_has_completion_dates_and_quiz_scores(taught):
    take_quiz_and_exercise(client_for(taught["learner"]))  # 67%: not yet passed
    QuizAttempt.objects.create(  # a second go, all right
        learner=Learner.objects.get(user=taught["learner"]),
        lesson_key="basics/first",
        total=3,
        correct=3,
        finished_at=timezone.now(),
    )
    response = taught["teacher"].get(f"/classes/{taught['classroom'].pk}/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0]) == [
        "username",
        "email",
        "Quiz: First lesson",
        "Quiz: First lesson completed",
        "Quiz: First lesson best score %",
        "Exercise: Name it web",
        "Exercise: Name it web completed",
    ]
    (lin,) = rows
    assert lin["Quiz: First lesson best score %"] == "100"
    assert lin["Quiz: First lesson"] == "done"
    solved = datetime.fromisoformat(lin["Exercise: Name it web completed"])
    assert solved.utcoffset() in (timedelta(hours=1), timedelta(hours=2))  # Europe/Berlin
    assert abs(solved - timezone.now()) < timedelta(minutes=5)
    assert abs(datetime.fromisoformat(lin["Quiz: First lesson completed"]) - solved) < timedelta(
        minutes=5
    )


def test_a_due_date_already_past_is_saved_with_a_warning(taught):
    classroom = taught["classroom"]
    past = {"item": "lesson:basics/first", "due_at": "2020-03-02T09:30"}
    page = taught["teacher"].post(f"/classes/{classroom.pk}/assign/", past, follow=True)
    assert page.redirect_chain[-1] == (f"/classes/{classroom.pk}/", 302)
    assert Assignment.objects.get(kind="lesson", target="basics/first").due_at.year == 2020
    assert (
        '<div class="notice notice--warning" role="status">The due date you set, '
        "Mon 2 Mar 2020, 09:30 (Europe/Berlin), is already past: learners who have not finished "
        "it see it as late. Change the date below if that was a slip.</div>"
    ) in page.content.decode()
    again = taught["teacher"].get(f"/classes/{classroom.pk}/").content.decode()
    assert "is already past" not in again  # said once


def test_a_due_date_ahead_is_saved_without_a_warning(taught):
    classroom = taught["classroom"]
    ahead = {"item": "lesson:basics/first", "due_at": "2090-03-02T09:30"}
    page = taught["teacher"].post(f"/classes/{classroom.pk}/assign/", ahead, follow=True)
    assert "is already past" not in page.content.decode()
    assert "notice--warning" not in page.content.decode()


def test_the_staff_admin_lets_in_staff_only(taught, django_user_model, client):
    staff = django_user_model.objects.create_user(
        "keeper", "k@example.org", "pass-word-123456", is_staff=True
    )
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_classroom", "view_user"])
    )
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    refused = client.post("/admin/login/", {"username": "lin", "password": "pass-word-123456"})
    assert (
        "Please enter the correct username and password for a staff account."
        in refused.content.decode()
    )
    signed_in = client.post(
        "/admin/login/", {"username": "keeper", "password": "pass-word-123456", "next": "/admin/"}
    )
    assert signed_in["Location"] == "/admin/"
    page = client.get("/admin/classroom/classroom/")
    assert page.status_code == 200
    assert "K8s 101" in page.content.decode()
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert client.get("/admin/playground/snapshot/").status_code == 403  # no permission given


def test_the_admin_sign_in_is_throttled_like_the_sites(taught, client, settings):
    settings.FAILED_SIGN_INS_PER_NAME = 2
    for _ in range(2):
        client.post("/admin/login/", {"username": "teacher", "password": "wrong"})
    page = client.post("/admin/login/", {"username": "teacher", "password": "pass-word-123456"})
    assert "Too many failed sign-in attempts." in page.content.decode()
    assert page.status_code == 429  # as the site's sign-in
    assert int(page["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_admin_posts_need_a_csrf_token(django_user_model):
    django_user_model.objects.create_user(
        "keeper", "k@example.org", "pass-word-123456", is_staff=True
    )
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(
            "/admin/login/", {"username": "keeper", "password": "pass-word-123456"}
        ).status_code
        == 403
    )


def test_no_public_page_links_to_the_admin(taught, client):
    assert "/admin/" not in client.get("/").content.decode()
    assert (
        "/admin/"
        not in taught["teacher"].get(f"/classes/{taught['classroom'].pk}/").content.decode()
    )


@pytest.mark.parametrize(("path", "index"), [("staff-only-7", "/staff-only-7/"), ("", "off")])
def test_the_admin_path_is_a_setting(path, index):
    """DJANGO_ADMIN_PATH moves the admin, or (empty) turns it off."""
    code = (
        "import django; django.setup(); from django.urls import NoReverseMatch, reverse\n"
        "try: print(reverse('staff:index'))\nexcept NoReverseMatch: print('off')"
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_ADMIN_PATH": path}
    env["DJANGO_SETTINGS_MODULE"] = "learn.settings"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout == index + "\n", done.stderr


def test_answers_are_numbered_as_the_questions_are_in_the_quiz(taught):
    learner = client_for(taught["learner"])
    learner.post(QUIZ_URL, {"question": "kernel", "answer": "true"})  # question 2 of 3
    learner.post(QUIZ_URL, {"question": "wrong-line", "line": "3"})  # question 3
    url = f"/classes/{taught['classroom'].pk}/learners/{taught['learner'].pk}/"
    page = taught["teacher"].get(url).content.decode()
    assert '<li value="2"><p>' in page
    assert '<li value="3"><p>' in page
    assert '<li value="1">' not in page


def test_the_admin_sign_in_ignores_the_usernames_case_as_the_site_does(taught, django_user_model):
    django_user_model.objects.create_user("Keeper", password="pass-word-123456", is_staff=True)
    for path in ("/admin/login/", "/accounts/login/"):
        wrong = Client().post(path, {"username": "keeper", "password": "Pass-word-123456"})
        text = wrong.content.decode()
        assert "Only the password is case-sensitive." in text
        assert "may be case-sensitive" not in text
    client = Client()
    signed_in = client.post(
        "/admin/login/", {"username": "KEEPER", "password": "pass-word-123456", "next": "/admin/"}
    )
    assert signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_class_with_no_learners_yet_says_how_they_come_not_that_none_matches(taught):
    classroom = taught["classroom"]
    url = f"/classes/{classroom.pk}/"
    Membership.objects.filter(classroom=classroom).delete()
    empty = taught["teacher"].get(url).content.decode()
    assert "No learners yet: share the join link above" in empty
    assert "No learner matches." not in empty
    Membership.objects.create(classroom=classroom, user=taught["learner"])
    filtered = taught["teacher"].get(url, {"show": "late"}).content.decode()
    assert "No learner matches." in filtered  # lin is not late: the filter hides the one learner
