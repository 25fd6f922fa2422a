"""Property tests: no input, however broken or hostile, makes the engine raise or hang."""

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn.podspec import Severity, check
from tests.test_podspec_model import SIDECAR_POD
from tests.test_podspec_rules import DEPLOYMENT

CORPUS = Path(__file__).parent / "podspec_corpus" / "valid"
VALID = [SIDECAR_POD, DEPLOYMENT, *(p.read_text() for p in sorted(CORPUS.glob("*.yaml")))]
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
    started = time.perf_counter()
    report = check(text)
    assert time.perf_counter() - started < 1
    for d in report.diagnostics:
        assert d.severity in set(Severity)
        assert d.line >= 0
        assert d.column >= 0
        assert d.message


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
