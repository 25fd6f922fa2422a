"""The course itself, as content held to the standard of code: every lesson teaches, asks, links
to practice and cites; every module ends with a review; every question inside a lesson has the
answer it claims when a learner gives it."""

import pytest

from learn.content.library import get_library
from learn.podspec import check
from learn.podspec.goals import met, simulated
from learn.podspec.kubelet import simulate
from learn.podspec.lessons import BY_PATH, FIELDS, JOB_RESTART_POLICY, LESSONS
from learn.podspec.timeline import MarkKind, Phase, Timeline

pytestmark = pytest.mark.django_db

MIN_QUIZ = 6


def lessons():
    return [lesson for lesson in get_library().lessons if not lesson.review]


def ids(lesson) -> str:
    return lesson.key


@pytest.fixture(autouse=True)
def real_content(settings):
    """These tests read the course in content/, whatever another test pointed at."""
    settings.CONTENT_DIR = settings.BASE_DIR / "content"


def test_the_course_loads_without_errors():
    assert get_library().errors == ()


@pytest.mark.parametrize("lesson", lessons(), ids=ids)
def test_every_lesson_has_objectives_sources_a_question_inside_and_practice(lesson):
    library = get_library()
    assert len(lesson.objectives) >= 3
    assert lesson.sources
    assert lesson.checks, "a question inside the lesson (```question)"
    assert library.exercises_for(lesson) or lesson.no_exercise, "an exercise, or why there is none"
    assert len(lesson.quiz) >= MIN_QUIZ


@pytest.mark.parametrize("lesson", lessons()[1:], ids=ids)
def test_every_quiz_after_the_first_revisits_an_earlier_lesson(lesson):
    assert any(q.revisits for q in lesson.quiz)


@pytest.mark.parametrize("lesson", [x for x in lessons() if "cluster" in x.needs], ids=ids)
def test_lessons_for_a_cluster_say_how_to_run_it_for_real_and_clean_up(lesson):
    assert "run-it-for-real" in {h.anchor for h in lesson.headings}
    assert "delete" in lesson.text


@pytest.mark.parametrize("module", get_library().modules, ids=lambda m: m.slug)
def test_every_module_ends_with_a_review_quiz_across_its_lessons(module):
    *taught, review = module.lessons
    assert review.review
    assert not any(lesson.review for lesson in taught)
    assert len(review.quiz) >= 5
    revisited = {q.revisits for q in review.quiz}
    assert revisited >= {lesson.key for lesson in taught}, "a question on every lesson"


def test_every_exercise_belongs_to_a_lesson_that_offers_it():
    library = get_library()
    for exercise in library.exercises:
        lesson = library.lesson(exercise.lesson_key)
        assert lesson is not None, exercise.slug
        assert exercise in library.exercises_for(lesson)


def test_diagnostics_point_to_lessons_and_sections_that_exist():
    library = get_library()
    targets = [
        *LESSONS.values(),
        *(lesson for pairs in BY_PATH.values() for _, lesson in pairs),
        *(lesson for _, lesson in FIELDS),
        JOB_RESTART_POLICY,
    ]
    missing = set()
    for target in targets:
        key, _, anchor = target.partition("#")
        lesson = library.lesson(key)
        if lesson is None or (anchor and anchor not in {h.anchor for h in lesson.headings}):
            missing.add(target)
    assert missing == set()


def _right_answer(question) -> dict:
    """Form data a learner would send to answer the question correctly."""
    if question.type in ("single", "multiple"):
        return {"choice": [str(i) for i, c in enumerate(question.choices) if c.correct]}
    if question.type == "true_false":
        return {"answer": "true" if question.answer else "false"}
    if question.type == "ordering":
        return {"order": [str(i) for i in range(len(question.items))]}
    if question.type == "short":
        return {"text": question.answers[0]}
    return {"line": str(question.line)}  # find_line


@pytest.mark.parametrize(
    "lesson", [x for x in get_library().lessons if x.checks], ids=lambda x: x.key
)
def test_questions_inside_lessons_accept_their_right_answer_in_the_page(client, lesson):
    url = f"/lessons/{lesson.module_slug}/{lesson.slug}/"
    for question in lesson.checks:
        response = client.get(url, {"check": question.id, **_right_answer(question)})
        assert response.status_code == 200
        html = response.content.decode()
        assert f'id="check-{question.id}"' in html
        assert "✓ Right" in html, question.id


def _unmet(exercise, text: str) -> list[str]:
    """The goals of an exercise a spec does not meet, its run goals judged on a real run."""
    report = check(text, kubernetes_version=exercise.kubernetes_version)
    run = simulated(
        exercise.goals, report, exercise.scenario, kubernetes_version=exercise.kubernetes_version
    )
    return [goal["text"] for goal in exercise.goals if not met(goal, report, run)]


@pytest.mark.parametrize("exercise", get_library().exercises, ids=lambda e: e.slug)
def test_every_exercise_is_solved_by_its_solution_and_not_by_its_starter(exercise):
    assert _unmet(exercise, exercise.solution) == []
    assert _unmet(exercise, exercise.starter) != []


def _runs(slug: str) -> tuple[Timeline, Timeline]:
    """The runs of an exercise's starter and solution through its scenario."""
    exercise = get_library().exercise(slug)
    starter, solution = (
        simulate(text, exercise.scenario or None) for text in (exercise.starter, exercise.solution)
    )
    return starter, solution


def _exits(run: Timeline, name: str) -> list[tuple[int, int | None]]:
    lane = run.lane(name)
    assert lane is not None, name
    return [(m.time, m.code) for m in lane.marks if m.kind == MarkKind.EXIT]


# What each run-goal exercise's text tells the learner the run shows.


def test_the_slow_start_loops_until_a_startup_probe_gives_it_its_minute():
    starter, solution = _runs("the-slow-start")
    # Liveness probes at 20, 25 and 30 s (one period after the 15 s delay, then every 5 s):
    # told to stop at 30 s, its budget of 15 + 3 x 5 s, half-way through its 60 s start.
    kill = next(m for m in starter.lane("catalog").marks if m.kind == MarkKind.SIGNAL)
    assert (kill.time, kill.detail) == (30, "SIGTERM")
    assert starter.lane("catalog").restarts >= 3
    assert "CrashLoopBackOff" in {row.status for row in starter.rows}
    assert not any(c.condition == "Ready" and c.status for c in starter.conditions)
    assert solution.lane("catalog").restarts == 0
    assert solution.condition_at("Ready", 60)


def test_the_shutdown_order_proxy_leaves_before_the_draining_app_until_it_is_a_sidecar():
    starter, solution = _runs("the-shutdown-order")
    # Deleted at 60 s: both get SIGTERM then; web drains for 5 s, the proxy stops in 1.
    assert _exits(starter, "proxy")[-1][0] == 61
    assert _exits(starter, "web")[-1][0] == 65
    # pod-lifecycle "Pod shutdown and sidecar containers": SIGTERM to sidecars after the app.
    assert _exits(solution, "web")[-1][0] == 65
    assert _exits(solution, "proxy")[-1][0] == 66


def test_the_30_second_goodbye_ends_in_sigkill_until_the_shell_traps_term():
    starter, solution = _runs("the-30-second-goodbye")
    # Deleted at 20 s, SIGTERM dropped by PID 1, SIGKILL at the end of the 30 s grace period.
    assert _exits(starter, "poller") == [(50, 137)]
    assert starter.removed_at == 50
    assert [m.time for m in solution.lane("poller").marks if m.kind == MarkKind.SIGNAL] == [20]
    assert solution.removed_at == 21  # its trap exits at once: `stops_in` 1 s


def test_the_never_ending_job_completes_once_its_shipper_is_a_native_sidecar():
    starter, solution = _runs("native-sidecar-in-a-job")
    # worker sleeps 2 s five times, then exits 0; a classic tail -F helper keeps the Pod running.
    assert _exits(starter, "worker") == [(10, 0)]
    assert starter.phase_at(starter.end) == Phase.RUNNING
    assert solution.phase_at(solution.end) == Phase.SUCCEEDED


def test_the_capstone_fits_its_node_orders_its_containers_and_spares_its_slow_app():
    starter, solution = _runs("capstone")
    # Starter: 200m + 1 CPU of app containers on a 940m node: never scheduled.
    assert {c.condition: c.status for c in starter.conditions}.get("PodScheduled") is False
    assert "FailedScheduling" in {event.reason for event in starter.events}
    # Solution: load-catalog exits at 8 s; proxy's startup probe (every 2 s) passes at 12 s;
    # app starts then and answers 45 s later, behind its 90 s startup probe.
    assert _exits(solution, "load-catalog") == [(8, 0)]
    app_start = next(
        e.time for e in solution.events if e.reason == "Started" and e.time > 8 and "app" in str(e)
    )
    assert app_start == 12
    assert solution.condition_at("Ready", 57)
    assert not solution.condition_at("Ready", 56)
    assert solution.lane("app").restarts == 0
