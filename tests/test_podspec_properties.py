"""Property tests: no input, however broken or hostile, makes the engine raise or hang."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn.podspec import check
from tests.support import DEPLOYMENT, SIDECAR_POD, calls_made

CORPUS = Path(__file__).parent / "podspec_corpus" / "valid"
VALID = [SIDECAR_POD, DEPLOYMENT, *(p.read_text() for p in sorted(CORPUS.glob("*.yaml")))]
# The work a check may do, counted in function calls: a fixed start-up plus a share per character
# (an ordinary pod costs about 4 calls a character), so no input makes the engine work
# superlinearly (the limit is a count, not a time, so a busy machine cannot fail it).
WORK_BASE = 20_000
WORK_PER_CHARACTER = 100
YAML_BITS = st.sampled_from(
    [
        ":",
        "- ",
        "  ",
        "\t",
        "{",
        "}",
        "[",
        "]",
        "&a ",
        "*a",
        "!!str ",
        "---\n",
        "\n",
        "'",
        '"',
        "name: x",
        "restartPolicy: Always",
        "containerPort: 80",
        "null",
        "yes",
        "1e999",
        "<<: *a",
        "volumeMounts: [{name: v}]",
        "\x00",
        "\ufeff",
        "# c",
    ]
)


def assert_sane(text: str) -> None:
    """The engine answers with a report whose findings point into the text and agree with `ok`."""
    report, work = calls_made(lambda: check(text))
    assert work <= WORK_BASE + WORK_PER_CHARACTER * len(text)
    last_line = len(text.splitlines()) + 1
    for d in report.diagnostics:
        shown = d.to_dict()
        assert shown["severity"] in {"error", "warning", "info"}
        assert 0 <= d.line <= last_line
        assert 0 <= d.column <= len(text) + 1
        assert d.message
    # An error shown to the learner must make the report not ok (and only an error may).
    assert report.ok == all(d.to_dict()["severity"] != "error" for d in report.diagnostics)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_always_gives_a_report(text):
    assert_sane(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_BITS, max_size=60))
def test_yaml_like_noise_always_gives_a_report(bits):
    assert_sane("".join(bits))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(VALID),
    st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 20), YAML_BITS), max_size=5),
)
def test_mutated_valid_specs_always_give_a_report(text, edits):
    for position, length, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + length :]
    assert_sane(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VALID), st.data())
def test_dropping_any_line_gives_a_report(text, data):
    lines = text.splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    assert_sane("\n".join(lines[:index] + lines[index + 1 :]))
