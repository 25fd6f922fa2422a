"""The Run panel through the test client: presets, the scenario form, runs in the playground, in
exercises and in shared snapshots."""

import hashlib

import pytest
from django.utils.html import escape

from learn.content.library import get_library
from learn.core.limits.rates import engine_cost
from learn.playground.forms import RunForm
from learn.playground.models import Snapshot
from learn.playground.workbench import MAX_RUN_UNITS, run_units
from learn.podspec import check
from learn.podspec.examples import shipped
from learn.podspec.goals import needs_run
from learn.podspec.kubelet import simulate
from learn.podspec.presets import presets
from learn.podspec.scenario import check_against, parse_scenario, to_text, to_tree, tree_text
from tests.support import SIDECAR_POD, engine_budget, one_window

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
# A classic sidecar in a Job: `tail -F` never exits, so the Job never completes.
CLASSIC_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: nightly}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36.1
        command: ["sh", "-c", "sleep 5"]
      - name: shipper
        image: busybox:1.36.1
        command: ["sh", "-c", "tail -F /var/log/worker.log"]
"""
NATIVE_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: nightly}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: shipper
        image: busybox:1.36.1
        restartPolicy: Always
        command: ["sh", "-c", "tail -F /var/log/worker.log"]
      containers:
      - name: worker
        image: busybox:1.36.1
        command: ["sh", "-c", "sleep 5"]
"""
# An app with a liveness probe and a memory limit: every preset applies to it.
WEB = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
  - name: migrate
    image: migrate:1.0
    command: ["sh", "-c", "sleep 2"]
  containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 500m, memory: 64Mi}
      limits: {memory: 128Mi}
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
"""


def post(client, url="/playground/", text=CLASSIC_JOB, headers=None, **fields):
    data = {"text": text, "kubernetes_version": "1.35", "profile": "learning", **fields}
    return client.post(url, data, headers=headers or {})


def run(client, text=CLASSIC_JOB, url="/playground/", headers=HX, **fields):
    return post(client, url, text, headers, run="1", **fields)


# Presets


def test_presets_say_what_happens_to_the_first_app_and_fit_the_spec():
    workload = check(WEB).workloads[0]
    found = {p.slug: p for p in presets(workload)}
    assert next(iter(found)) == "as-written"
    assert found["as-written"].scenario_text == ""
    assert found["crash"].title == "web crashes after 5 s (exit 1)"
    assert found["slow-start"].title == "web is slow to start (60 s)"
    assert found["memory"].title == "web grows past its memory limit"
    assert found["init-fails"].title == "migrate fails (exit 1)"
    assert found["small-node"].title == "The node has only 250m CPU to give"
    for preset in found.values():  # each is a scenario the engine reads, for this Pod's containers
        scenario = parse_scenario(preset.scenario_text)
        assert check_against(scenario, workload.pod.containers) == [], preset.slug
    memory = parse_scenario(found["memory"].scenario_text).container("web")
    assert memory.memory_grows_to > 128 * 2**20  # past the limit, so the kubelet's OOM kill shows


def test_to_tree_is_what_the_scenario_wrote_and_every_writer_reads_back_the_same():
    written = "node: {cpu: 500m}\ncontainers:\n  web: {memory: {grows_to: 1Gi}, stops_in: 2}\n"
    scenario = parse_scenario(written)
    tree = to_tree(scenario)
    assert tree == {
        "node": {"cpu": "500m"},
        "containers": {"web": {"memory": {"grows_to": "1Gi"}, "stops_in": 2}},
    }
    assert parse_scenario(tree_text(tree)) == scenario == parse_scenario(to_text(scenario))
    # The form writes one key a line, so that a problem's line names its field.
    assert tree_text(tree).splitlines()[1] == "  cpu: 500m"
    form = RunForm.from_scenario(scenario, check(WEB).workloads[0].pod.containers)
    assert form.tree() == tree


def test_presets_leave_out_what_the_spec_cannot_show():
    """No probe: nothing is slow to start; no memory limit: nothing is OOM-killed; no requests:
    no node is too small; no init container: none fails."""
    slugs = {p.slug for p in presets(check(CLASSIC_JOB).workloads[0])}
    assert slugs == {"as-written", "delete", "crash", "ignores-sigterm"}


def test_a_jobs_deletion_presets_come_while_its_worker_still_works():
    # Deleting a Job's Pod after it completed shows nothing: the presets delete it at 5 s.
    text = shipped("job-native-sidecar").text
    found = {p.slug: p for p in presets(check(text).workloads[0])}
    assert found["delete"].title == "Delete the Pod at 5 s"
    timeline = simulate(text, found["delete"].scenario_text)
    assert "Terminating" in {row.status for row in timeline.rows}


# The panel


def test_playground_offers_a_run_panel_with_presets_and_fields_per_container(client):
    html = client.get("/playground/", {"example": "job-native-sidecar"}).content.decode()
    # The example's containers: uploader (a native sidecar) and report.
    assert '<section id="run"' in html
    assert 'name="preset"' in html
    assert ">As written</option>" in html
    assert 'name="c:uploader:exits_after"' in html
    assert 'name="c:report:ready_after"' in html
    assert 'form="workbench"' in html  # posted with the spec, so a run always runs what is typed
    assert "run-figure" not in html  # nothing runs until asked


def test_htmx_run_returns_the_run_with_the_panels_menu_and_fields_out_of_band(client):
    response = run(client, text=NATIVE_JOB)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="run"' not in html  # the run goes into #run-output, which stays
    assert '<p id="run-status" class="visually-hidden" role="status" aria-live="polite"' in html
    assert '<div id="run-fields" hx-swap-oob="true">' in html
    assert '<div id="run-presets" class="run-panel__presets" hx-swap-oob="true">' in html
    assert "<svg" in html
    assert "kubectl get pod -w" in html
    assert "Completed" in html
    assert escape(response.context["run"].outcome) in html


def test_a_run_without_javascript_comes_back_with_the_whole_page(client):
    response = run(client, headers={}, text=CLASSIC_JOB)
    html = response.content.decode()
    assert "<html" in html
    assert '<section id="results"' in html
    assert "<svg" in html
    assert "never completes" in response.context["run"].outcome


def test_choosing_a_preset_fills_the_fields_and_runs_it(client):
    response = post(client, text=WEB, headers=HX, preset="crash", load_preset="1")
    form = response.context["run"].form
    assert form.preset == "crash"
    values = {f.name: f.value for f in form.fields if f.value}
    assert values == {"c:web:exits_after": "5", "c:web:exit_code": "1"}
    assert "CrashLoopBackOff" in response.content.decode()


def test_a_scenario_problem_is_shown_beside_its_field_and_the_entries_are_kept(client):
    response = run(client, **{"c:worker:exits_after": "soon", "delete_at": "20"})
    assert response.status_code == 200
    fields = {f.name: f for f in response.context["run"].form.fields}
    assert fields["c:worker:exits_after"].error
    assert fields["c:worker:exits_after"].value == "soon"
    assert fields["delete_at"].value == "20"
    assert not fields["delete_at"].error
    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="run-0-exits_after-error"' in html
    assert "<svg" not in html


def test_numbers_beyond_the_scenarios_limits_are_refused_beside_the_field(client):
    response = run(client, until="999999")
    fields = {f.name: f for f in response.context["run"].form.fields}
    assert "3600" in fields["until"].error


def test_a_wrong_number_is_quoted_as_the_number_typed(client):
    response = run(client, **{"c:worker:exits_after": "-5", "delete_at": "1.5"})
    fields = {f.name: f for f in response.context["run"].form.fields}
    assert "not `-5`" in fields["c:worker:exits_after"].error
    assert "not `1.5`" in fields["delete_at"].error
    response = run(client, delete_at="1234567890")
    fields = {f.name: f for f in response.context["run"].form.fields}
    assert "not `1234567890`" in fields["delete_at"].error


def test_a_spec_with_errors_is_not_run(client):
    response = run(
        client, text=SIDECAR_POD.replace("name: logs\n    emptyDir", "name: x\n    emptyDir")
    )
    assert response.status_code == 200
    assert "fix" in response.context["run"].refused
    assert "<svg" not in response.content.decode()


def test_a_hostile_container_name_is_escaped_in_the_form(client):
    hostile = CLASSIC_JOB.replace("name: shipper", 'name: "<b>x</b>"')
    html = client.post("/playground/", {"text": hostile, "run": "1"}).content.decode()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_run_is_paid_from_the_check_budget_and_a_refused_run_keeps_the_entries(
    client, settings, monkeypatch
):
    one_window(monkeypatch)
    engine_budget(settings, 3)
    assert run(client).status_code == 200  # a check and a small run: 2 of 3
    refused = run(client, delete_at="10")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Only a notice beside the last run: the run, its form and the learner's entries stay.
    assert refused["HX-Retarget"] == "#run-notice"
    html = refused.content.decode()
    assert "your entries are kept" in html
    assert "run-fields" not in html
    assert "<svg" not in html


def test_a_run_refused_before_its_check_leaves_the_run_form_alone(client, settings):
    engine_budget(settings, 0)
    refused = run(client, delete_at="10")
    assert refused.status_code == 429
    assert refused["HX-Retarget"] == "#run-notice"
    assert refused["HX-Reswap"] == "innerHTML"
    assert "your entries are kept" in refused.content.decode()


BUSY = "".join(
    f"  - name: c{i}\n    image: nginx:1.27\n"
    "    livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}\n"
    for i in range(60)
)
BUSY_POD = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: big}}\nspec:\n  containers:\n{BUSY}"


def test_a_run_of_any_size_costs_at_most_what_the_simulators_bound_allows(client):
    """The simulator stops after kubelet.MAX_WORK: a run estimated beyond it is charged the
    bound, and shows where it stopped."""
    report = check(BUSY_POD)
    assert run_units(report, parse_scenario("until: 3600")) == MAX_RUN_UNITS
    response = run(client, text=BUSY_POD, until="3600")
    assert response.status_code == 200
    assert response.context["run"].figure is not None


def test_an_exercise_check_pays_for_its_goals_run_as_the_run_button_does(
    client, settings, monkeypatch
):
    one_window(monkeypatch)
    exercise = get_library().exercise("native-sidecar-in-a-job")
    assert needs_run(exercise.goals)
    # One check of the spec and one run at the bound: the second such check finds no budget.
    engine_budget(settings, engine_cost(BUSY_POD) + MAX_RUN_UNITS)
    url = f"/exercises/{exercise.slug}/"
    assert post(client, url, text=BUSY_POD, headers=HX).status_code == 200
    assert post(client, url, text=BUSY_POD, headers=HX).status_code == 429


# Shared snapshots


def test_sharing_keeps_the_scenario_and_the_snapshot_page_shows_the_run(client):
    location = post(client, "/playground/share/", delete_at="20")["Location"]
    snapshot = Snapshot.objects.get()
    assert snapshot.scenario == "delete_at: 20\n"
    assert snapshot.size == len(CLASSIC_JOB) + len(snapshot.scenario) + 512
    page = client.get(location)
    html = page.content.decode()
    assert "delete_at: 20" in html
    assert "<svg" in html
    assert "Terminating" in html


def test_a_shared_scenario_comes_back_into_the_playground(client):
    post(client, "/playground/share/", **{"c:worker:exits_after": "3", "c:worker:exit_code": "2"})
    snapshot = Snapshot.objects.get()
    response = client.get("/playground/", {"from": snapshot.pk})
    values = {f.name: f.value for f in response.context["run"].form.fields if f.value}
    assert values == {"c:worker:exits_after": "3", "c:worker:exit_code": "2"}
    assert "<svg" in response.context["run"].figure  # and it is run at once
    # The menu names what the fields hold: the scenario of the link the learner came from.
    assert "selected>The shared link&#x27;s scenario</option>" in response.content.decode()


def test_a_snapshot_without_a_scenario_keeps_its_old_id(client):
    post(client, "/playground/share/")
    snapshot = Snapshot.objects.get()
    old = hashlib.sha256(f"1.35\nlearning\n{CLASSIC_JOB}".encode()).hexdigest()[:12]
    assert snapshot.pk == old
    assert snapshot.scenario == ""
    assert Snapshot.key_for(CLASSIC_JOB, "1.35", "learning", "delete_at: 5\n") != old
    assert "The Pod's run" not in client.get(f"/p/{old}/").content.decode()


def test_a_scenario_with_problems_is_not_shared(client):
    response = post(client, "/playground/share/", delete_at="later")
    assert response.status_code == 400
    assert not Snapshot.objects.exists()
    html = response.content.decode()
    assert "The scenario in the Run panel has problems" in html
    assert 'aria-describedby="delete_at-error"' in html  # beside its field, entry kept
    assert 'value="later"' in html


# Exercises


def test_an_exercises_run_goal_judges_its_own_scenario_not_the_learners(client):
    exercise = get_library().exercise("native-sidecar-in-a-job")
    url = f"/exercises/{exercise.slug}/"
    goal = next(g["text"] for g in exercise.goals if "run_completes" in g)

    def met(text, **fields):
        goals = post(client, url, text=text, headers=HX, **fields).context["results"].goals
        return next(g.met for g in goals if g.text == goal)

    assert not met(exercise.starter)
    assert met(exercise.solution)
    # The learner deleting the Pod in their own run does not change what the goal sees.
    assert met(exercise.solution, delete_at="1")


def test_an_exercise_page_runs_in_its_panel(client):
    exercise = get_library().exercise("native-sidecar-in-a-job")
    response = run(client, url=f"/exercises/{exercise.slug}/", text=exercise.starter)
    assert "never completes" in response.content.decode()


@pytest.mark.parametrize(
    "entry",
    [
        "5\nuntil: 9999",  # a second key smuggled in: stays one string value
        '"; rm -rf /',
        "{a: [b, c]}",
        "9" * 40,  # longer than any number the form takes
        "-3",
        "1e3",
        "&anchor *alias",
    ],
)
def test_whatever_is_typed_into_a_field_is_answered_beside_it_never_a_failure(client, entry):
    response = run(client, **{"c:worker:exits_after": entry})
    assert response.status_code == 200
    worker = next(
        f for f in response.context["run"].form.fields if f.name == "c:worker:exits_after"
    )
    assert worker.error
    assert response.context["run"].figure is None


def test_every_exercises_scenario_is_what_its_run_panel_starts_with(client):
    """The panel opens on the run the goals judge: its fields write the exercise's scenario."""
    with_scenario = [e for e in get_library().exercises if e.scenario]
    assert with_scenario
    for exercise in with_scenario:
        form = client.get(exercise.url).context["run"].form
        assert form.scenario() == parse_scenario(exercise.scenario), exercise.slug


# The form follows the spec


def test_a_check_rebuilds_the_run_fields_for_the_containers_the_spec_now_has(client):
    html = post(client, text=WEB, headers=HX).content.decode()
    assert '<div id="run-fields" hx-swap-oob="true">' in html
    assert 'name="c:web:exits_after"' in html
    assert 'name="c:worker:exits_after"' not in html


def test_an_entry_for_a_container_the_spec_no_longer_has_stays_with_its_problem(client):
    response = post(client, text=WEB, headers=HX, **{"c:wroker:exit_code": "3"})
    form = response.context["run"].form
    gone = next(f for f in form.fields if f.name == "c:wroker:exit_code")
    assert gone.value == "3"
    assert "does not have" in gone.error
    assert "did you mean `worker`" not in gone.error  # WEB has web and migrate
    assert "wroker (not in the spec)" in response.content.decode()
    assert not next(f for f in form.fields if f.name == "c:wroker:exits_after").error
    # And a run with it runs nothing, saying why beside the same field.
    ran = run(client, text=WEB, **{"c:wroker:exit_code": "3"}).context["run"]
    assert ran.figure is None
    assert [f.error for f in ran.form.fields if f.error] == [gone.error]


def test_a_problem_beside_a_field_uses_the_forms_labels_not_the_scenarios_names(client):
    form = run(client, text=WEB, **{"c:web:within": "30"}).context["run"].form
    within = next(f for f in form.fields if f.name == "c:web:within")
    assert within.error.startswith("Needs “Memory grows to”")
    assert "containers.web" not in within.error
    form = run(client, text=WEB, delete_at="700").context["run"].form
    delete = next(f for f in form.fields if f.name == "delete_at")
    assert "“Run for at most”" in delete.error
    assert "`until`" not in delete.error


def test_an_exercises_scenario_is_named_as_the_exercises_in_the_menu(client):
    exercise = get_library().exercise("the-slow-start")
    assert exercise.scenario
    html = client.get(exercise.url).content.decode()
    assert "selected>This exercise&#x27;s scenario</option>" in html
    assert "Your own (the fields below)" not in html


def test_without_javascript_run_comes_back_at_the_run_and_keeps_the_example(client):
    html = client.get("/playground/", {"example": "job-native-sidecar"}).content.decode()
    assert 'formaction="/playground/#run"' in html
    assert '<input type="hidden" name="example" value="job-native-sidecar">' in html
    page = post(client, text=NATIVE_JOB, run="1", example="job-native-sidecar")
    assert '<option value="job-native-sidecar" selected>' in page.content.decode()


def test_a_problem_that_names_a_lesson_section_links_to_it(client):
    # A sidecar's restartPolicy problem links to the section of lesson 7.1 on the design.
    text = SIDECAR_POD.replace("    restartPolicy: Always\n", "    restartPolicy: Sometimes\n", 1)
    response = client.post("/playground/", {"text": text}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/lessons/native-sidecars/why-native-sidecars/#the-design-" in html
