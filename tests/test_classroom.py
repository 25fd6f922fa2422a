"""Classes: instructors, joining, assignments with due dates, the dashboard, CSV, permissions."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn.classroom import grid
from learn.classroom.models import INSTRUCTORS_GROUP, Assignment, Classroom, Membership
from learn.progress.models import (
    ExerciseProblem,
    ExerciseStart,
    Learner,
    LessonCompletion,
)
from learn.quizzes.models import QuizAnswer, QuizAttempt
from tests.conftest import QUIZ, write_module
from tests.support import htmx_swaps

pytestmark = pytest.mark.django_db


def user(django_user_model, name, *, instructor=False):
    account = django_user_model.objects.create_user(name, f"{name}@example.org", "pass-word-123456")
    if instructor:
        account.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    return account


def client_for(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


@pytest.fixture
def setup(django_user_model, content_dir):
    """An instructor with a class, a learner in it, another instructor, another learner."""
    teacher = user(django_user_model, "teacher", instructor=True)
    classroom = Classroom.objects.create(
        name="K8s 101", instructor=teacher, time_zone="Europe/Berlin"
    )
    learner = user(django_user_model, "lin")
    Membership.objects.create(classroom=classroom, user=learner)
    return {
        "teacher": teacher,
        "classroom": classroom,
        "learner": learner,
        "other_teacher": user(django_user_model, "other", instructor=True),
        "stranger": user(django_user_model, "stranger"),
    }


def test_instructors_are_granted_from_the_command_line(django_user_model, capsys):
    account = user(django_user_model, "ada")
    call_command("instructor", "grant", "ada")
    assert account.groups.filter(name=INSTRUCTORS_GROUP).exists()
    call_command("instructor", "list")
    assert "ada" in capsys.readouterr().out
    call_command("instructor", "revoke", "ada")
    assert not account.groups.exists()


def test_an_instructor_creates_a_class(django_user_model):
    teacher = user(django_user_model, "teacher", instructor=True)
    response = client_for(teacher).post(
        "/classes/new/", {"name": "Pods", "time_zone": "Asia/Tokyo"}
    )
    classroom = Classroom.objects.get()
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert len(classroom.join_code) == 8


def test_a_learner_cannot_create_classes(django_user_model):
    response = client_for(user(django_user_model, "lin")).post(
        "/classes/new/", {"name": "x", "time_zone": "UTC"}
    )
    assert response.status_code == 403
    assert "This page is for instructors" in response.content.decode()


def test_joining_with_the_code_and_closing_it(setup):
    classroom, stranger = setup["classroom"], setup["stranger"]
    client = client_for(stranger)
    bad = client.post("/classes/join/", {"code": "NOPE1234"})
    assert "No open class has this code" in bad.content.decode()
    assert client.post("/classes/join/", {"code": classroom.join_code.lower()}).status_code == 302
    assert Membership.objects.filter(user=stranger).exists()
    teacher = client_for(setup["teacher"])
    teacher.post(f"/classes/{classroom.pk}/manage/", {"action": "close"})
    newcomer = client_for(user(type(stranger), "late-comer"))
    assert (
        "No open class"
        in newcomer.post("/classes/join/", {"code": classroom.join_code}).content.decode()
    )
    old = classroom.join_code
    teacher.post(f"/classes/{classroom.pk}/manage/", {"action": "open"})
    teacher.post(f"/classes/{classroom.pk}/manage/", {"action": "regenerate"})
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert (
        client_for(setup["stranger"]).get(f"/classes/join/{classroom.join_code}/").status_code
        == 200
    )


def test_assignments_use_the_class_time_zone(setup):
    classroom = setup["classroom"]
    client = client_for(setup["teacher"])
    client.post(
        f"/classes/{classroom.pk}/assign/", {"item": "module:basics", "due_at": "2026-12-01T17:00"}
    )
    assignment = Assignment.objects.get()
    assert assignment.due_at == datetime(2026, 12, 1, 17, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "due Tue 1 Dec 2026, 17:00" in page
    client.post(
        f"/classes/{classroom.pk}/assign/", {"item": "module:basics", "due_at": "2026-12-02T09:00"}
    )
    assert Assignment.objects.count() == 1  # changed, not doubled
    bad = client.post(
        f"/classes/{classroom.pk}/assign/",
        {"item": "module:basics", "opens_at": "2026-12-05T09:00", "due_at": "2026-12-02T09:00"},
    )
    assert bad.status_code == 400
    assert "must come after" in bad.content.decode()
    client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/withdraw/")
    assert not Assignment.objects.exists()


def test_learners_see_their_assignments_and_status(setup):
    classroom, learner = setup["classroom"], setup["learner"]
    Assignment.objects.create(
        classroom=classroom,
        kind="lesson",
        target="basics/first",
        due_at=timezone.now() + timedelta(days=1),
    )
    Assignment.objects.create(
        classroom=classroom,
        kind="lesson",
        target="basics/second",
        due_at=timezone.now() - timedelta(days=1),
    )
    client = client_for(learner)
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    home = client.get("/").content.decode()
    assert "Your assignments" in home
    assert "K8s 101" in home
    assert '<span class="status status--done">Done</span>' in home
    assert '<span class="status status--late">Late</span>' in home


def grid_statuses(client, classroom):
    page = client.get(f"/classes/{classroom.pk}/")
    return [[cell.status for cell in row.cells] for row in page.context["rows"]]


def test_dashboard_shows_status_scores_and_what_trips_the_class(setup):
    classroom, learner = setup["classroom"], setup["learner"]
    Assignment.objects.create(classroom=classroom, kind="module", target="basics")
    Assignment.objects.create(classroom=classroom, kind="quiz", target="basics/first")
    Assignment.objects.create(classroom=classroom, kind="exercise", target="name-it-web")
    client = client_for(learner)
    client.post("/lessons/basics/first/complete/", {"done": "1"})
    client.post("/lessons/basics/first/quiz/", {"question": "isolate", "choice": "1"})
    client.post(
        "/exercises/name-it-web/",
        {"text": "kind: Pod\n", "kubernetes_version": "1.37", "profile": "learning"},
    )
    teacher = client_for(setup["teacher"])
    # The module has one lesson of two done, the quiz is begun, the exercise was checked once.
    assert grid_statuses(teacher, classroom) == [["in-progress", "in-progress", "in-progress"]]
    grid = teacher.get(f"/classes/{classroom.pk}/").context["grid"]
    quiz_summary = grid.summaries[1]
    assert quiz_summary.missed == [("What do namespaces do?", 1, "Namespaces limit resources")]
    assert [code for code, _ in grid.summaries[2].problems] == ["missing-field"]
    page = teacher.get(f"/classes/{classroom.pk}/").content.decode()
    assert "it tests the misconception “Namespaces limit resources”" in page
    assert '<svg class="class-chart" role="img"' in page
    # A bar of work begun says what share is done, so a full "in progress" bar reads right.
    assert 'class="chart-value">0% done</text>' in page
    chart = teacher.get(f"/classes/{classroom.pk}/").context["chart"]
    assert chart.width <= 520  # each title above its bar: narrow enough for a phone
    assert all(bar.text_y < bar.bar_y for bar in chart.bars)


def test_a_module_whose_quiz_was_taken_below_the_pass_mark_is_in_progress(setup):
    classroom = setup["classroom"]
    Assignment.objects.create(classroom=classroom, kind="module", target="basics")
    client = client_for(setup["learner"])
    quiz = "/lessons/basics/first/quiz/"
    client.post(quiz, {"question": "isolate", "choice": "1"})  # wrong
    client.post(quiz, {"question": "kernel", "answer": "true"})
    client.post(quiz, {"question": "wrong-line", "line": "3"})  # every question: 2 of 3, 67%
    assert grid_statuses(client_for(setup["teacher"]), classroom) == [["in-progress"]]


EXERCISE_URL = "/exercises/name-it-web/"
UNFINISHED = "apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\nspec:\n  containers: [{name: app"
NO_PROBLEMS = UNFINISHED + ", image: nginx:1.27}]\n"  # no problem, but not named web yet


def check_exercise(client, text: str, *, htmx: bool = True, **fields):
    """A check of the exercise: as the learner types (htmx), unless `check` or no htmx says asked."""
    data = {"text": text, "kubernetes_version": "1.37", "profile": "learning", **fields}
    return client.post(EXERCISE_URL, data, headers={"HX-Request": "true"} if htmx else {})


def test_an_exercise_typed_into_is_in_progress_before_any_check_is_asked_for(setup):
    classroom = setup["classroom"]
    Assignment.objects.create(classroom=classroom, kind="exercise", target="name-it-web")
    teacher = client_for(setup["teacher"])
    assert grid_statuses(teacher, classroom) == [["not-started"]]
    check_exercise(client_for(setup["learner"]), UNFINISHED)  # checked as it is typed
    assert not ExerciseProblem.objects.exists()
    assert grid_statuses(teacher, classroom) == [["in-progress"]]


def test_an_exercise_whose_check_finds_no_problem_is_in_progress(setup):
    classroom = setup["classroom"]
    Assignment.objects.create(classroom=classroom, kind="exercise", target="name-it-web")
    check_exercise(client_for(setup["learner"]), NO_PROBLEMS, htmx=False)
    assert not ExerciseProblem.objects.exists()
    assert grid_statuses(client_for(setup["teacher"]), classroom) == [["in-progress"]]


def exercise_start_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "progress_exercisestart" in q["sql"]]


def test_typing_records_the_start_of_an_exercise_once(setup, django_assert_max_num_queries):
    client = client_for(setup["learner"])
    with CaptureQueriesContext(connection) as first:
        check_exercise(client, UNFINISHED[:-1])
    assert len(exercise_start_queries(first)) == 1
    # The checks that follow as the learner types: session, user, learner, the learner's and the
    # address's engine budgets, the draft, the solutions; none of them about the start again.
    for end in (-3, -2, None):
        with django_assert_max_num_queries(7) as later:
            assert check_exercise(client, UNFINISHED[:end]).status_code == 200
        assert exercise_start_queries(later) == []
    assert ExerciseStart.objects.get().exercise_slug == "name-it-web"


def test_what_trips_the_class_up_counts_learners_not_repeats(setup, django_user_model):
    classroom, learner = setup["classroom"], setup["learner"]
    Assignment.objects.create(classroom=classroom, kind="quiz", target="basics/first")
    Assignment.objects.create(classroom=classroom, kind="exercise", target="name-it-web")
    other = user(django_user_model, "ola")
    Membership.objects.create(classroom=classroom, user=other)
    lin = client_for(learner)
    for _ in range(3):  # one learner checks the same broken spec again and again
        check_exercise(lin, "kind: Pod\n", check="1")
    check_exercise(client_for(other), "kind: Pod\n", check="1")
    quiz = "/lessons/basics/first/quiz/"
    lin.post(quiz, {"question": "isolate", "choice": "1"})
    lin.post(quiz, {"retry": "1"})
    lin.post(quiz, {"question": "isolate", "choice": "1"})  # wrong in two attempts
    page = client_for(setup["teacher"]).get(f"/classes/{classroom.pk}/")
    quiz_summary, exercise_summary = page.context["grid"].summaries
    assert quiz_summary.missed == [("What do namespaces do?", 1, "Namespaces limit resources")]
    assert exercise_summary.problems == [("missing-field", 2)]
    assert '<code>missing-field</code> <span class="meta">2 learners</span>' in (
        page.content.decode()
    )


def test_a_class_that_began_and_checked_an_exercise_needs_a_bounded_number_of_queries(
    setup, django_user_model, django_assert_max_num_queries
):
    classroom = setup["classroom"]
    Assignment.objects.create(classroom=classroom, kind="exercise", target="name-it-web")
    users = django_user_model.objects.bulk_create(
        [django_user_model(username=f"u{i:03}") for i in range(200)]
    )
    Membership.objects.bulk_create([Membership(classroom=classroom, user=u) for u in users])
    learners = Learner.objects.bulk_create([Learner(user=u) for u in users])
    ExerciseStart.objects.bulk_create(
        [ExerciseStart(learner=one, exercise_slug="name-it-web") for one in learners[::2]]
    )
    ExerciseProblem.objects.bulk_create(
        [
            ExerciseProblem(learner=one, exercise_slug="name-it-web", code=code, count=5)
            for one in learners[::4]
            for code in ("missing-field", "unknown-field")
        ]
    )
    teacher = client_for(setup["teacher"])
    with django_assert_max_num_queries(14):
        page = teacher.get(f"/classes/{classroom.pk}/")
    summary = page.context["grid"].summaries[0]
    assert summary.in_progress == 100
    assert sorted(summary.problems) == [("missing-field", 50), ("unknown-field", 50)]


def test_filters_and_sorting(setup, django_user_model):
    classroom = setup["classroom"]
    assignment = Assignment.objects.create(
        classroom=classroom,
        kind="lesson",
        target="basics/first",
        due_at=timezone.now() + timedelta(hours=1),
    )
    busy = user(django_user_model, "busy")
    Membership.objects.create(classroom=classroom, user=busy)
    client_for(busy).post("/lessons/basics/first/complete/", {"done": "1"})
    teacher = client_for(setup["teacher"])

    def names(query):
        return [
            r.user.username
            for r in teacher.get(f"/classes/{classroom.pk}/?{query}").context["rows"]
        ]

    assert names("") == ["busy", "lin"]
    assert names("show=not-started") == ["lin"]
    assert names("show=behind") == ["lin"]
    assert names("show=late") == []
    assert names("sort=progress") == ["lin", "busy"]
    # Move the due date into the past: lin is overdue; busy finished after it, which is done.
    assignment.due_at = timezone.now() - timedelta(minutes=1)
    assignment.save()
    assert names("show=late") == ["lin"]
    assert names("sort=late") == ["lin", "busy"]
    busy_cell = next(
        r for r in teacher.get(f"/classes/{classroom.pk}/").context["rows"] if r.user == busy
    ).cells[0]
    assert (busy_cell.status, busy_cell.detail) == ("done", "after the due date")


def test_csv_export_has_a_row_per_learner_and_a_column_per_item(setup):
    classroom = setup["classroom"]
    Assignment.objects.create(classroom=classroom, kind="lesson", target="basics/first")
    client_for(setup["learner"]).post("/lessons/basics/first/complete/", {"done": "1"})
    response = client_for(setup["teacher"]).get(f"/classes/{classroom.pk}/export.csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["username", "email", "First lesson", "First lesson completed"]
    assert rows[1][:3] == ["lin", "lin@example.org", "done"]
    assert len(rows) == 2  # completion dates: tests/test_classroom_instructor.py


def test_renaming_a_class_and_changing_its_time_zone(setup):
    classroom = setup["classroom"]
    client_for(setup["teacher"]).post(
        f"/classes/{classroom.pk}/manage/",
        {"action": "rename", "name": "K8s 102", "time_zone": "Asia/Tokyo"},
    )
    classroom.refresh_from_db()
    assert (classroom.name, classroom.time_zone) == ("K8s 102", "Asia/Tokyo")


def test_renaming_with_htmx_refreshes_the_page(setup):
    classroom = setup["classroom"]
    response = client_for(setup["teacher"]).post(
        f"/classes/{classroom.pk}/manage/",
        {"action": "rename", "name": "K8s 102", "time_zone": "UTC"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Refresh"] == "true"
    classroom.refresh_from_db()
    assert classroom.name == "K8s 102"


@pytest.mark.parametrize("htmx", [False, True])
def test_renaming_a_class_to_nothing_says_why_and_keeps_the_name(setup, htmx):
    classroom, teacher = setup["classroom"], client_for(setup["teacher"])
    response = teacher.post(
        f"/classes/{classroom.pk}/manage/",
        {"action": "rename", "name": "", "time_zone": "Europe/Berlin"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    # Without htmx a 400; with htmx a success the dashboard's htmx-config swaps in, as every
    # refused form answers htmx (a 400 from htmx means Django refused the request itself).
    assert response.status_code == (200 if htmx else 400)
    dashboard = teacher.get(f"/classes/{classroom.pk}/").content.decode()
    assert htmx_swaps(dashboard, response.status_code) is htmx
    html = response.content.decode()
    assert "This field is required." in html
    assert '<details class="class-settings" id="class-settings" open>' in html
    # With htmx only the settings come back, to replace themselves; without, the whole page.
    assert html.lstrip().startswith("<details") is htmx
    assert ("<h1>K8s 101</h1>" in html) is not htmx
    classroom.refresh_from_db()
    assert classroom.name == "K8s 101"


def test_removing_a_learner(setup):
    classroom, learner = setup["classroom"], setup["learner"]
    client_for(setup["teacher"]).post(
        f"/classes/{classroom.pk}/manage/", {"action": "remove", "user": learner.pk}
    )
    assert not Membership.objects.exists()


OWNER_URLS = [
    ("get", "/classes/{id}/"),
    ("get", "/classes/{id}/learners/{learner}/"),
    ("get", "/classes/{id}/export.csv"),
    ("post", "/classes/{id}/manage/"),
    ("post", "/classes/{id}/assign/"),
    ("post", "/classes/{id}/assignments/{assignment}/withdraw/"),
]


@pytest.mark.parametrize(("method", "url"), OWNER_URLS)
@pytest.mark.parametrize("who", ["other_teacher", "learner", "stranger", "anonymous"])
def test_only_the_classs_instructor_may_see_or_change_it(setup, method, url, who):
    classroom = setup["classroom"]
    assignment = Assignment.objects.create(
        classroom=classroom, kind="lesson", target="basics/first"
    )
    address = url.format(id=classroom.pk, learner=setup["learner"].pk, assignment=assignment.pk)
    client = Client() if who == "anonymous" else client_for(setup[who])
    response = getattr(client, method)(address, {"action": "regenerate", "item": "module:basics"})
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code in (403, 404)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    classroom.refresh_from_db()
    assert Classroom.objects.get().join_code == classroom.join_code


def test_learners_only_see_their_own_classes(setup):
    page = client_for(setup["stranger"]).get("/classes/").content.decode()
    assert "K8s 101" not in page
    assert "K8s 101" in client_for(setup["learner"]).get("/classes/").content.decode()
    assert Client().get("/classes/").status_code == 302


@pytest.fixture
def big_class(setup, django_user_model, content_dir):
    """300 learners and 40 assignments (20 lessons and their 20 quizzes)."""
    write_module(
        content_dir,
        "03-big",
        "Big",
        {f"{i:02}-part-{i}": {"title": f"Part {i}"} for i in range(1, 21)},
    )
    for i in range(1, 21):
        (content_dir / "03-big" / f"{i:02}-part-{i}.quiz.yaml").write_text(
            QUIZ.replace("    section: namespaces\n", "")
        )
    classroom = setup["classroom"]
    keys = [f"big/part-{i}" for i in range(1, 21)]
    Assignment.objects.bulk_create(
        [
            Assignment(classroom=classroom, kind=kind, target=key)
            for key in keys
            for kind in ("lesson", "quiz")
        ]
    )
    users = django_user_model.objects.bulk_create(
        [django_user_model(username=f"u{i:03}") for i in range(299)]
    )
    Membership.objects.bulk_create([Membership(classroom=classroom, user=u) for u in users])
    learners = Learner.objects.bulk_create([Learner(user=u) for u in users])
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(learner=one, module_slug="big", lesson_slug=key.split("/")[1])
            for one in learners[::2]
            for key in keys[:10]
        ]
    )
    attempts = QuizAttempt.objects.bulk_create(
        [
            QuizAttempt(learner=one, lesson_key=key, total=3, correct=2, finished_at=timezone.now())
            for one in learners[::3]
            for key in keys[:5]
        ]
    )
    QuizAnswer.objects.bulk_create(
        [QuizAnswer(attempt=a, question_id="isolate", correct=False) for a in attempts]
    )
    return {"classroom": classroom, "users": users}


def test_the_dashboard_of_a_big_class_needs_a_bounded_number_of_queries(
    setup, big_class, django_assert_max_num_queries
):
    client = client_for(setup["teacher"])
    with django_assert_max_num_queries(14):
        response = client.get(f"/classes/{big_class['classroom'].pk}/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 300
    assert len(response.context["grid"].items) == 40


def test_one_learners_page_in_a_big_class_works_out_their_row_only(
    setup, big_class, django_assert_max_num_queries, monkeypatch
):
    cells = []
    cell_for = grid.cell_for
    monkeypatch.setattr(grid, "cell_for", lambda *a: cells.append(1) or cell_for(*a))
    member = big_class["users"][0]  # completed the first ten lessons, scored 67% on five quizzes
    client = client_for(setup["teacher"])
    with django_assert_max_num_queries(14):
        response = client.get(f"/classes/{big_class['classroom'].pk}/learners/{member.pk}/")
    assert len(cells) == 40  # one per assignment, not one per assignment and member
    statuses = [cell.status for _, cell in response.context["pairs"]]
    assert statuses.count("done") == 10
    assert statuses.count("in-progress") == 5
    assert "best 67%" in response.content.decode()


def test_csv_cells_cannot_become_formulas(setup, django_user_model):
    classroom = setup["classroom"]
    Membership.objects.create(classroom=classroom, user=user(django_user_model, "=HYPERLINK(1)"))
    response = client_for(setup["teacher"]).get(f"/classes/{classroom.pk}/export.csv")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("9999-12-31T23:00", "between the years 2000 and 2100"),
        ("2027-03-28T02:30", "does not exist on that day"),
    ],
)
def test_impossible_due_dates_are_form_errors(setup, due, message):
    classroom = setup["classroom"]
    response = client_for(setup["teacher"]).post(
        f"/classes/{classroom.pk}/assign/", {"item": "module:basics", "due_at": due}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


def test_removing_with_a_bad_user_id_changes_nothing(setup):
    classroom = setup["classroom"]
    response = client_for(setup["teacher"]).post(
        f"/classes/{classroom.pk}/manage/", {"action": "remove", "user": "abc"}
    )
    assert response.status_code == 400
    assert Membership.objects.count() == 1


def test_a_quiz_assignment_whose_quiz_is_gone_is_not_shown(setup, content_dir):
    classroom = setup["classroom"]
    Assignment.objects.create(
        classroom=classroom, kind="quiz", target="basics/second"
    )  # has no quiz
    assert client_for(setup["teacher"]).get(f"/classes/{classroom.pk}/").context["grid"].items == []


def test_learners_can_leave_a_class(setup):
    classroom, learner = setup["classroom"], setup["learner"]
    client_for(learner).post(f"/classes/{classroom.pk}/leave/")
    assert not Membership.objects.exists()


@pytest.mark.parametrize(("method", "url"), OWNER_URLS)
def test_the_classs_instructor_reaches_every_guarded_url(setup, method, url):
    """The control for the test above: each guarded URL exists, so a 404 there is the guard."""
    assignment = Assignment.objects.create(
        classroom=setup["classroom"], kind="lesson", target="basics/first"
    )
    address = url.format(
        id=setup["classroom"].pk, learner=setup["learner"].pk, assignment=assignment.pk
    )
    client = client_for(setup["teacher"])
    response = getattr(client, method)(address, {"action": "regenerate", "item": "module:basics"})
    assert response.status_code in (200, 302)


def test_removing_with_a_bad_user_id_over_htmx_refreshes_the_unchanged_page(setup):
    classroom = setup["classroom"]
    response = client_for(setup["teacher"]).post(
        f"/classes/{classroom.pk}/manage/",
        {"action": "remove", "user": "abc"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert Membership.objects.count() == 1
