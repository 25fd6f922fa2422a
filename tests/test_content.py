"""Loading content: typed lessons, rendered markdown, and every content error with its line."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError, SystemCheckError

from learn.content import links
from learn.content.library import get_library
from learn.content.loader import Draft
from learn.podspec.markdown import MAX_FIGURES, MAX_RUNS
from learn.podspec.scenario import parse_scenario
from tests.conftest import write_module
from tests.support import content_errors

BAD_NAME = "name must be NN-slug (digits, a hyphen, lower-case words with hyphens)"


def test_modules_and_lessons_load_in_order(content_dir):
    library = get_library()
    assert [m.slug for m in library.modules] == ["basics", "more"]
    assert [lesson.key for lesson in library.lessons] == [
        "basics/first",
        "basics/second",
        "more/third",
    ]
    assert library.errors == ()
    first = library.lesson("basics/first")
    assert first.title == "First lesson"
    assert first.minutes == 5
    assert first.objectives == ("Explain the thing",)
    assert first.sources[0].url == "https://kubernetes.io/docs/concepts/workloads/pods/"
    assert library.modules[0].minutes == 10


def test_neighbours_cross_module_boundaries(content_dir):
    library = get_library()
    second = library.lesson("basics/second")
    previous, following = library.neighbours(second)
    assert previous.key == "basics/first"
    assert following.key == "more/third"
    assert library.neighbours(library.lesson("basics/first"))[0] is None


def test_markdown_features_render(content_dir):
    html = get_library().lesson("basics/first").html
    assert 'class="highlight"' in html  # Pygments
    assert 'class="linenos"' in html  # line numbers on request
    assert 'class="hll"' in html  # highlighted line
    assert 'class="admonition warning"' in html
    assert '<table tabindex="0">' in html  # a wide table scrolls, reachable by keyboard
    assert 'id="namespaces"' in html  # heading anchor
    assert 'href="/lessons/basics/second/#limits"' in html  # lesson: link rewritten


def test_table_of_contents_and_search_text(content_dir):
    first = get_library().lesson("basics/first")
    assert [(h.level, h.anchor, h.title) for h in first.headings] == [
        (2, "namespaces", "Namespaces")
    ]
    assert "A namespace wraps a global resource." in first.text
    assert "<" not in first.text


def test_raw_html_is_escaped(content_dir):
    path = content_dir / "01-basics" / "02-second.md"
    path.write_text(path.read_text() + "\n<script>alert(1)</script>\n")
    html = get_library().lesson("basics/second").html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_broken_lesson_link_and_anchor_are_errors_with_lines(content_dir):
    path = content_dir / "01-basics" / "02-second.md"
    text = path.read_text().replace(
        "cgroups limit memory.",
        "cgroups limit memory.\n\nSee [x](lesson:basics/nope) and [y](lesson:basics/first#nope).",
    )
    path.write_text(text)
    assert content_errors(content_dir) == [
        "01-basics/02-second.md:15: link to unknown lesson 'basics/nope' (use module/lesson)",
        "01-basics/02-second.md:15: lesson 'basics/first' has no section '#nope'",
    ]


def test_a_site_marker_written_by_an_author_is_an_error_and_links_nowhere(content_dir):
    path = content_dir / "01-basics" / "02-second.md"
    text = path.read_text().replace(
        "cgroups limit memory.", "cgroups limit memory.\n\nSee [x](site://evil.example/x)."
    )
    path.write_text(text)
    assert content_errors(content_dir) == [
        "01-basics/02-second.md:15: `site:` links are not for content: use lesson:, exercise: or page:"
    ]
    assert "evil.example" not in get_library().lesson("basics/second").html


def test_missing_figure_is_an_error(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text() + "\n![A figure](static:figures/missing.svg)\n")
    assert content_errors(content_dir) == [
        "02-more/01-third.md:15: no file static/figures/missing.svg"
    ]


MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture
def uncollected(settings, tmp_path):
    """Production's static storage with nothing collected yet, as in a fresh checkout."""
    settings.STATIC_ROOT = tmp_path / "not-collected"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


def test_the_check_runs_before_static_files_are_collected(content_dir, uncollected):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(
        path.read_text()
        + "\n![Here](static:figures/containers-vs-vms.svg) and [gone](static:figures/gone.pdf)\n"
    )
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", tags=["content"])
    assert "01-third.md:15: (content.E001) no file static/figures/gone.pdf" in str(raised.value)
    assert "containers-vs-vms" not in str(raised.value)


def test_a_static_file_that_a_question_shows_must_exist(content_dir):
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    text = quiz.read_text()
    quiz.write_text(text.replace("namespaces do?", "namespaces do? ![A](static:figures/gone.svg)"))
    (error,) = get_library().errors
    assert error.path == quiz
    assert error.message == "no file static/figures/gone.svg"


def test_a_draft_keeps_what_it_rendered(tmp_path):
    draft = Draft(tmp_path / "page.md", {}, "## Part\n\nSee [it](page:setup).", 5)
    with pytest.raises(RuntimeError, match="not rendered yet"):
        draft.rendered  # noqa: B018 (the property is what is tested)
    rendered = draft.render(lambda kind, target: f"/{kind}s/{target}/")
    assert draft.rendered is rendered
    assert '<a href="/pages/setup/">it</a>' in rendered.html


def test_front_matter_mistakes_are_reported_with_lines(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    text = path.read_text().replace("minutes: 5", "minutes: five\ncolour: blue")
    path.write_text(text.replace("summary: A summary.\n", ""))
    assert content_errors(content_dir) == [
        "02-more/01-third.md:2: missing field 'summary': it must be a non-empty text",
        "02-more/01-third.md:3: field 'minutes' must be a whole number of minutes from 1 to 240",
        "02-more/01-third.md:4: unknown field 'colour' "
        "(allowed: title, summary, minutes, objectives, sources, needs, review, no_exercise)",
    ]


def test_invalid_yaml_reports_its_line(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("minutes: 5", "minutes: [5"))
    (error,) = content_errors(content_dir)
    assert error.startswith("02-more/01-third.md:")
    assert "front matter is not valid YAML" in error


def test_unknown_code_language_and_bad_names(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text() + "\n```yml-ish\nx\n```\n")
    write_module(content_dir, "03_Bad Name", "Bad", {})
    (content_dir / "02-more" / "Third.md").write_text("---\ntitle: x\n---\n")
    assert content_errors(content_dir) == [
        "02-more/01-third.md:15: unknown code language 'yml-ish' (use a Pygments name such as "
        "yaml, shell, console, go, python, json or text)",
        f"02-more/Third.md:1: {BAD_NAME}",
        f"03_Bad Name:1: {BAD_NAME}",
    ]


def test_missing_module_file_and_missing_front_matter(content_dir):
    (content_dir / "04-empty").mkdir()
    (content_dir / "02-more" / "02-plain.md").write_text("# No front matter\n")
    assert content_errors(content_dir) == [
        "02-more/02-plain.md:1: the file must start with '---' and YAML front matter",
        "04-empty/module.md:1: each module folder needs a module.md",
    ]


def test_non_utf8_file_reports_its_line(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_bytes(path.read_bytes() + b"\nline\n\xff\xfe\n")
    assert content_errors(content_dir) == [
        "02-more/01-third.md:16: the file is not valid UTF-8 text"
    ]


def test_content_reloads_when_a_file_changes_in_debug(content_dir, settings):
    settings.DEBUG = True
    assert get_library().lesson("basics/second").title == "Second lesson"
    path = content_dir / "01-basics" / "02-second.md"
    path.write_text(path.read_text().replace("title: Second lesson", "title: Renamed lesson"))
    assert get_library().lesson("basics/second").title == "Renamed lesson"


def test_content_is_loaded_once_without_debug(content_dir, settings):
    settings.DEBUG = False
    library = get_library()
    path = content_dir / "01-basics" / "02-second.md"
    path.write_text(path.read_text().replace("title: Second lesson", "title: Renamed lesson"))
    assert get_library() is library


def test_checkcontent_reports_every_error(content_dir, capsys):
    (content_dir / "04-empty").mkdir()
    with pytest.raises(CommandError, match="1 content error"):
        call_command("checkcontent")
    assert "04-empty/module.md:1: each module folder needs a module.md" in capsys.readouterr().err


def test_checkcontent_lists_each_error_once_as_manage_py_runs_it(db, content_dir, capsys, settings):
    settings.DEBUG = True  # content errors are system-check warnings then, which do not stop it
    (content_dir / "04-empty").mkdir()
    with pytest.raises(SystemExit):
        execute_from_command_line(["manage.py", "checkcontent"])
    assert capsys.readouterr().err.count("each module folder needs a module.md") == 1


def test_the_real_content_has_no_errors(capsys):
    call_command("checkcontent")
    assert "Content OK" in capsys.readouterr().out


BLOCK = """
```{info}
apiVersion: v1
kind: Pod
metadata: {{name: demo}}
spec:
  containers: [{{name: app, image: nginx:1.27{mount}}}]
```
"""


def add_block(content_dir, info, mount="", times=1):
    """Append a fence of a tiny Pod (```pod or ```pod-run, with `info` after it) to a lesson."""
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text() + BLOCK.format(info=info, mount=mount) * times)
    return path


def test_pod_blocks_render_the_spec_beside_its_diagram(content_dir):
    add_block(content_dir, 'pod title="A tiny pod"')
    library = get_library()
    assert library.errors == ()
    html = library.lesson("more/third").html
    assert '<figure class="pod-figure">' in html
    assert 'class="pod-diagram"' in html
    assert "A tiny pod" in html
    assert "The diagram in words" in html
    assert "<svg" not in library.lesson("more/third").text  # diagrams stay out of search text


def test_a_pod_block_with_errors_is_a_content_error_at_its_line(content_dir):
    add_block(content_dir, "pod", mount=", volumeMounts: [{name: data, mountPath: /d}]")
    (error,) = get_library().errors
    assert error.line == 20  # the spec's line 5, inside the fence that starts at line 15
    assert "mounts `data`" in error.message
    assert "undefined-volume" in error.message


def test_a_pod_block_meant_to_be_broken(content_dir, settings):
    settings.DEBUG = True  # reload the content after each change
    add_block(content_dir, "pod broken", mount=", volumeMounts: [{name: data, mountPath: /d}]")
    assert get_library().errors == ()
    assert "is-broken" in get_library().lesson("more/third").html
    add_block(content_dir, "pod broken")
    assert [e.message for e in get_library().errors] == [
        "pod block is marked `broken` but has no error"
    ]


def test_a_pod_figure_says_what_the_scheduler_reserves():
    from learn.podspec.figure import pod_figure

    spec = """\
apiVersion: v1
kind: Pod
metadata: {name: catalog}
spec:
  initContainers: [{name: index, image: busybox:1.36, resources: {requests: {cpu: "2"}}}]
  containers:
  - {name: a, image: nginx:1.27, resources: {requests: {cpu: 500m, memory: 64Mi}}}
  - {name: b, image: nginx:1.27, resources: {requests: {cpu: 500m, memory: 64Mi}}}
"""
    html, _ = pod_figure(spec)
    assert "Effective request of catalog" in html
    assert "cpu <code>2</code>, memory <code>128Mi</code>" in html  # max(2, 1) CPU; 64Mi + 64Mi
    plain, _ = pod_figure(
        spec.replace("resources: {requests: {cpu: 500m, memory: 64Mi}}", "").replace(
            'resources: {requests: {cpu: "2"}}', ""
        )
    )
    assert "Effective request" not in plain


def test_content_objects_know_their_urls(content_dir):
    library = get_library()
    assert library.module("basics").url == "/lessons/basics/"
    first = library.lesson("basics/first")
    assert first.url == "/lessons/basics/first/"
    assert first.quiz_url == "/lessons/basics/first/quiz/"
    assert library.exercise("name-it-web").url == "/exercises/name-it-web/"


def test_a_page_knows_its_url():
    assert get_library().page("what-you-need").url == "/pages/what-you-need/"


UNDEFINED_MOUNT = ", volumeMounts: [{name: data, mountPath: /d}]"


def fence_lines(path: Path) -> list[int]:
    """The file lines of the ```pod fences that open at the start of a line."""
    return [i for i, text in enumerate(path.read_text().splitlines(), 1) if text == "```pod"]


def test_pod_blocks_past_the_most_a_text_draws_are_content_errors(content_dir):
    path = add_block(content_dir, "pod", times=MAX_FIGURES + 1)
    last = fence_lines(path)[-1]
    assert content_errors(content_dir) == [
        f"02-more/01-third.md:{last}: pod block not drawn: a text draws at most {MAX_FIGURES}"
    ]


def test_a_pod_example_inside_another_fence_is_text_and_moves_no_error(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(
        path.read_text() + "\nHow to write one:\n\n````markdown\n```pod\nkind: Pod\n```\n````\n"
    )
    add_block(content_dir, "pod", mount=UNDEFINED_MOUNT)
    _, real = fence_lines(path)
    (error,) = get_library().errors
    assert error.line == real + 5  # the spec's line 5, not a line of the example above it
    assert str(error) == f"{path}:{real + 5}: {error.message}"
    html = get_library().lesson("more/third").html
    assert html.count('<figure class="pod-figure') == 1
    assert "```pod" in html  # the example is shown as it is written


def test_an_error_in_the_second_pod_block_points_at_its_own_line(content_dir):
    add_block(content_dir, "pod")
    path = add_block(content_dir, "pod", mount=UNDEFINED_MOUNT)
    _, second = fence_lines(path)
    assert [e.line for e in get_library().errors] == [second + 5]


def test_a_pod_block_option_nobody_knows_is_an_error(content_dir):
    path = add_block(content_dir, "pod brokn")
    (error,) = get_library().errors
    assert error.line == len(path.read_text().splitlines()) - 6
    assert error.message == "pod block: unknown option 'brokn' (use broken and title=\"...\")"


def test_a_pod_figure_links_each_problem_to_its_lesson(content_dir):
    add_block(content_dir, "pod broken", mount=UNDEFINED_MOUNT)
    html = get_library().lesson("more/third").html
    assert 'class="problem error"' in html
    assert (
        '<a href="/lessons/pods/sharing-data-and-processes/#emptydir-scratch-space-for-the-pod">Read the lesson'
        in html
    )
    assert "data-goto-line" not in html  # no editor in a lesson to jump to


def test_content_errors_are_system_check_errors_with_their_line(content_dir):
    add_block(content_dir, "pod", mount=UNDEFINED_MOUNT)
    with pytest.raises(SystemCheckError, match=r"01-third\.md:20: \(content\.E001\) pod block"):
        call_command("check", tags=["content"])


def test_in_development_content_errors_warn_so_the_server_still_starts(content_dir, settings):
    settings.DEBUG = True
    add_block(content_dir, "pod", mount=UNDEFINED_MOUNT)
    out = io.StringIO()
    call_command("check", tags=["content"], stderr=out, stdout=out)
    assert "01-third.md:20: (content.W001) pod block" in out.getvalue()


def test_a_static_file_missing_from_the_collected_manifest_is_a_plain_link(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # collected once, before this file existed: no manifest entry
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": "x"}')
    html = links.expand('<img src="static:figures/new.svg" alt="new">')
    assert html == '<img src="/static/figures/new.svg" alt="new">'


RUN_EXERCISE = """\
---
title: Stop at once
summary: A shell that leaves when it is told to.
topic: Pods
minutes: 5
lesson: basics/first
hints: [Give the shell a handler for SIGTERM.]
goals:
  - text: The kubelet never sends SIGKILL
    run_no_sigkill: true
{scenario}starter: |
  apiVersion: v1
  kind: Pod
  metadata: {name: demo}
  spec:
    containers: [{name: app, image: busybox:1.36.1, command: [sh, -c, "sleep 3600"]}]
solution: |
  apiVersion: v1
  kind: Pod
  metadata: {name: demo}
  spec:
    containers: [{name: app, image: busybox:1.36.1, command: [sh, -c, "trap 'exit 0' TERM; sleep 3600 & wait"]}]
---
Make it stop when it is deleted.
"""
SCENARIO = "scenario:\n  delete_at: 10\n  containers:\n    app: {stops_in: 2}\n"


def write_run_exercise(content_dir: Path, old: str = "", new: str = "") -> None:
    text = RUN_EXERCISE.replace("{scenario}", SCENARIO)
    (content_dir / "exercises" / "stop-at-once.md").write_text(text.replace(old, new))


def test_an_exercise_keeps_its_scenario_and_judges_run_goals_on_a_run_through_it(content_dir):
    write_run_exercise(content_dir)
    assert content_errors(content_dir) == []
    library = get_library()
    scenario = library.exercise("stop-at-once").scenario
    assert parse_scenario(scenario) == parse_scenario(
        "delete_at: 10\ncontainers: {app: {stops_in: 2}}"
    )
    assert library.exercise("name-it-web").scenario == ""


def test_a_solution_that_fails_a_run_goal_is_a_content_error(content_dir):
    # The solution's shell no longer traps SIGTERM: deleted at 10 s, it is killed at 40 s.
    write_run_exercise(content_dir, "trap 'exit 0' TERM; ", "")
    assert content_errors(content_dir) == [
        "exercises/stop-at-once.md:21: solution does not meet the goal: The kubelet never sends SIGKILL"
    ]


def test_without_a_scenario_the_run_is_the_spec_alone(content_dir):
    # Nobody deletes the Pod, so nothing is ever killed: the starter is already "solved".
    write_run_exercise(content_dir, SCENARIO, "")
    assert content_errors(content_dir) == [
        "exercises/stop-at-once.md:11: the starter already meets every goal"
    ]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("delete_at: 10", "delete_at: soon", 12),
        ("    app: {stops_in: 2}", "    ap: {stops_in: 2}", 14),
        (SCENARIO, "scenario: {delete_at: -1}\n", 11),
    ],
    ids=["bad value", "unknown container", "flow mapping"],
)
def test_a_bad_scenario_is_a_content_error_at_its_line(content_dir, old, new, line):
    write_run_exercise(content_dir, old, new)
    (error,) = content_errors(content_dir)
    assert error.startswith(f"exercises/stop-at-once.md:{line}: scenario: ")


def test_a_scenario_that_is_not_a_mapping_is_a_content_error(content_dir):
    write_run_exercise(content_dir, SCENARIO, "scenario: delete at ten\n")
    assert content_errors(content_dir)[0] == (
        "exercises/stop-at-once.md:11: field 'scenario' must be a scenario for the run goals: "
        "a mapping of until, node, delete_at and containers (see learn/podspec/scenario.py)"
    )


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "run_no_sigkill: true",
            "run_no_sigkill: never",
            "exercises/stop-at-once.md:9: goal 'The kubelet never sends SIGKILL': "
            "`run_no_sigkill` takes true or false",
        ),
        (
            "  - text: The kubelet never sends SIGKILL\n",
            "  - run_ready_within: 30\n  - text: The kubelet never sends SIGKILL\n",
            "exercises/stop-at-once.md:8: goal 1: each goal is a mapping with a `text` for the checklist",
        ),
    ],
    ids=["wrong value", "no text"],
)
def test_a_goal_written_wrongly_is_a_content_error_naming_it(content_dir, old, new, error):
    write_run_exercise(content_dir, old, new)
    assert content_errors(content_dir) == [error]


def test_pod_run_blocks_show_the_run_in_the_lesson(content_dir):
    add_block(content_dir, "pod-run {delete_at: 20}")
    library = get_library()
    assert library.errors == ()
    html = library.lesson("more/third").html
    assert 'class="pod-run"' in html
    assert '<figure class="run-figure">' in html
    assert "Terminating" in html  # the deletion at 20 s, in `kubectl get pod -w`
    assert "<style>" not in html  # the site's CSS colours the drawing, in both themes


def test_pod_run_problems_are_content_errors_at_their_lines(content_dir, settings):
    settings.DEBUG = True  # reload the content after each change
    path = add_block(content_dir, "pod-run {containers: {ap: {stops_in: 2}}}")
    (fence,) = [i for i, text in enumerate(path.read_text().splitlines(), 1) if "pod-run" in text]
    (error,) = content_errors(content_dir)
    assert error.startswith(f"02-more/01-third.md:{fence}: pod-run block: scenario: ")
    path.write_text(path.read_text().replace("{containers: {ap: {stops_in: 2}}}", ""))
    add_block(content_dir, "pod-run", mount=UNDEFINED_MOUNT)
    _, second = [i for i, text in enumerate(path.read_text().splitlines(), 1) if "pod-run" in text]
    (error,) = get_library().errors
    assert error.line == second + 5  # the spec's line 5
    assert "undefined-volume" in error.message


def test_a_pod_run_scenario_reports_an_unknown_container_with_its_other_problems(content_dir):
    path = add_block(content_dir, "pod-run {until: 5000, containers: {ap: {stops_in: 2}}}")
    (fence,) = [i for i, text in enumerate(path.read_text().splitlines(), 1) if "pod-run" in text]
    assert content_errors(content_dir) == [
        f"02-more/01-third.md:{fence}: pod-run block: scenario: `until` must be a whole number "
        "of seconds from 1 to 3600, not `5000` [scenario-bad-value]",
        f"02-more/01-third.md:{fence}: pod-run block: scenario: the scenario names a container "
        "`ap` that the Pod does not have: did you mean `app`? [scenario-unknown-container]",
    ]


def test_pod_run_blocks_past_the_most_a_text_runs_are_content_errors(content_dir):
    path = add_block(content_dir, "pod-run", times=MAX_RUNS + 1)
    last = [i for i, text in enumerate(path.read_text().splitlines(), 1) if "pod-run" in text][-1]
    assert content_errors(content_dir) == [
        f"02-more/01-third.md:{last}: pod-run block not run: a text runs at most {MAX_RUNS}"
    ]
