"""Pod figures: the Markdown extension for ```pod fences, outside the site and in it, and the one
problem list that figures and the playground share."""

import subprocess
import sys
import textwrap

import markdown
import pytest

from learn.podspec import check, describe, figure
from learn.podspec.markdown import MAX_FIGURES, MAX_RUNS, PodFigureExtension, fences
from tests.support import calls_made

GOOD = "apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n"
BAD = GOOD.replace(
    "image: nginx:1.27}", "image: nginx:1.27, volumeMounts: [{name: data, mountPath: /d}]}"
)


def convert(text: str, **config) -> tuple[str, PodFigureExtension]:
    extension = PodFigureExtension(**config)
    html = markdown.Markdown(extensions=["pymdownx.superfences", extension]).convert(text)
    return html, extension


def test_plain_markdown_draws_pod_figures_and_runs_without_django():
    program = textwrap.dedent(
        """
        import sys, markdown
        html = markdown.markdown(sys.stdin.read(), extensions=["learn.podspec.markdown"])
        assert not [m for m in sys.modules if m.split(".")[0] == "django"], "Django was imported"
        print(html)
        """
    )
    text = f'# A pod\n\n```pod title="Demo"\n{GOOD}```\n\n```pod-run {{delete_at: 5}}\n{GOOD}```\n'
    html = subprocess.run(
        [sys.executable, "-c", program], input=text, capture_output=True, text=True, check=True
    ).stdout
    assert '<figure class="pod-figure">' in html
    assert '<figure class="run-figure">' in html
    assert "<style>" in html  # the standalone diagram brings its own colours
    assert "Demo" in html


def test_each_block_knows_its_line_and_its_problems_map_to_the_text():
    text = f"Intro.\n\n```pod\n{GOOD}```\n\nMore.\n\n```pod\n{BAD}```\n"
    _, extension = convert(text)
    first, second = extension.blocks
    assert (first.line, second.line) == (3, 13)
    assert first.problems() == []
    ((line, message),) = second.problems()
    assert line == 13 + 5  # the spec's fifth line holds the mount
    assert "undefined-volume" in message


def test_a_pod_fence_inside_another_fence_is_its_text():
    text = f"~~~markdown\n```pod\n{BAD}```\n~~~\n\n````text\n```pod\nkind: Pod\n```\n````\n"
    html, extension = convert(text)
    assert extension.blocks == []
    assert "pod-figure" not in html
    assert "```pod" in html


def test_a_long_fence_line_is_read_in_one_pass():
    # Trimming the info string while matching it took 5 s for 40 KB; this line would take minutes.
    (fence,) = fences(["~~~ yaml" + " " * 400_000 + "x", "a: 1", "~~~"])
    assert fence.language == "yaml"
    assert fence.info.endswith(" x")
    assert fence.body == "a: 1"


def test_unclosed_fences_cost_work_in_proportion_to_the_text():
    # Searching to the end of the text for each unclosed opening took 6 s for 8,000 of them.
    lines = ["```x"] * 4000 + ["~~~~ pod", "body", "~~~~"]
    found, calls = calls_made(lambda: list(fences(lines)))
    assert [(f.start, f.end, f.body) for f in found] == [(4000, 4002, "body")]
    assert calls < 20 * len(lines)  # a dozen calls a line; searching ahead made millions


def test_a_document_draws_at_most_max_figures_and_notes_the_others():
    text = "".join(f"```pod\n{GOOD}```\n\n" for _ in range(MAX_FIGURES + 2))
    html, extension = convert(text)
    assert html.count('<figure class="pod-figure') == MAX_FIGURES
    assert len(extension.blocks) == MAX_FIGURES
    assert html.count(f"Pod block not drawn: a document draws at most {MAX_FIGURES}.") == 2
    block_lines = GOOD.count("\n") + 3  # the opening fence, the spec, the closing fence, a blank
    assert extension.undrawn == [1 + MAX_FIGURES * block_lines, 1 + (MAX_FIGURES + 1) * block_lines]


def test_broken_blocks_and_unknown_options():
    _, extension = convert(
        f'```pod broken title="Two words"\n{BAD}```\n\n```pod broken\n{GOOD}```\n'
    )
    meant, clean = extension.blocks
    assert (meant.title, meant.broken, meant.problems()) == ("Two words", True, [])
    assert clean.problems() == [(9, "pod block is marked `broken` but has no error")]
    _, extension = convert(f"```pod wide\n{GOOD}```\n")
    assert extension.blocks[0].problems()[0][0] == 1


def test_problems_link_to_their_lesson_only_through_the_url_function():
    text = f"```pod broken\n{BAD}```\n"
    without, _ = convert(text)
    assert 'class="problem error"' in without
    assert "Read the lesson" not in without
    linked, _ = convert(text, lesson_url=lambda key: f"/course/{key}/")
    assert (
        '<a href="/course/pods/sharing-data-and-processes#emptydir-scratch-space-for-the-pod/">Read the lesson'
        in linked
    )


def test_the_problem_list_links_lines_to_the_editor_when_there_is_one():
    diagnostics = check(BAD).sorted()
    line = diagnostics[0].line
    in_editor = figure.problems_html(diagnostics, editor="spec")
    assert f'<a href="#spec" data-goto-line="{line}"' in in_editor
    assert f'data-line="{line}"' in in_editor
    standalone = figure.problems_html(diagnostics)
    assert "data-goto-line" not in standalone
    assert f'<span class="problem__where">line {line}</span>' in standalone
    assert figure.problems_html([]) == ""


def test_a_figure_describes_each_workload_once(monkeypatch):
    calls = []

    def counted(workload, diagnostics):
        calls.append(workload.name)
        return outline(workload, diagnostics)

    outline = describe.outline
    monkeypatch.setattr(describe, "outline", counted)
    monkeypatch.setattr(figure, "outline", counted)
    html, report = figure.pod_figure(GOOD)
    assert len(calls) == len(report.workloads) == 1
    assert "The diagram in words" in html


@pytest.mark.django_db
def test_the_playground_links_a_problem_to_its_lesson(client):
    html = client.post("/playground/", {"text": BAD}, headers={"HX-Request": "true"}).content
    assert (
        b'<a href="/lessons/pods/sharing-data-and-processes/#emptydir-scratch-space-for-the-pod">Read the lesson'
        in html
    )
    assert b'data-goto-line="5"' in html


STUBBORN = GOOD.replace(
    "image: nginx:1.27}", 'image: busybox:1.36, command: [sh, -c, "sleep 3600"]}'
)


def test_a_pod_run_fence_runs_its_spec_through_the_scenario_in_its_opening_line():
    html, extension = convert(f"Before.\n\n```pod-run {{delete_at: 10}}\n{STUBBORN}```\n")
    (run,) = extension.runs
    assert (run.line, run.scenario, run.problems()) == (3, "{delete_at: 10}", [])
    # A shell as PID 1 ignores SIGTERM, so the kubelet sends SIGKILL 30 s after the deletion.
    assert run.timeline.removed_at >= 40
    assert 'class="run-figure__watch"' in html  # the rows of `kubectl get pod -w`
    assert "Terminating" in html
    assert "<code>{delete_at: 10}</code>" in html
    assert "<style>" in html  # outside the site, the run's drawing brings its own colours
    assert extension.blocks == []  # a run is no pod figure


def test_a_pod_run_fence_without_a_scenario_runs_the_spec_as_written():
    _, extension = convert(f"```pod-run\n{GOOD}```\n")
    (run,) = extension.runs
    assert run.problems() == []
    assert run.timeline.pod == "demo"


def test_pod_run_problems_map_to_the_text():
    text = (
        f"```pod-run {{containers: {{ap: {{exits_after: 3}}}}}}\n{GOOD}```\n\n"
        f"```pod-run {{until: lots}}\n{GOOD}```\n\n"
        f"```pod-run\n{BAD}```\n\n"
        "```pod-run\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n```\n"
    )
    html, extension = convert(text)
    unknown, bad_value, spec_error, nothing = (run.problems() for run in extension.runs)
    ((line, message),) = unknown
    assert line == 1
    assert "ap" in message
    assert "app" in message
    ((line, message),) = bad_value
    assert line == 9
    assert "until" in message
    assert [line for line, _ in spec_error] == [17 + 5]  # the spec's line 5, as in a pod block
    assert "undefined-volume" in spec_error[0][1]
    ((line, message),) = nothing
    assert line == 25
    assert "cannot run" in message
    assert all(run.timeline is None for run in extension.runs)
    assert html.count('class="pod-run__failed"') == 4


def test_a_document_runs_at_most_max_runs_and_notes_the_others():
    text = "".join(f"```pod-run\n{GOOD}```\n\n" for _ in range(MAX_RUNS + 1))
    html, extension = convert(text)
    assert len(extension.runs) == MAX_RUNS
    assert html.count(f"Pod run not shown: a document runs at most {MAX_RUNS}.") == 1
    block_lines = GOOD.count("\n") + 3
    assert extension.unrun == [1 + MAX_RUNS * block_lines]
