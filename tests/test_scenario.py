"""Scenarios: what the simulator assumes a container does when the scenario is silent (infer,
behaviour), and the scenario's own YAML (parse_scenario, to_text, check_against)."""

import pytest

from learn.podspec import check
from learn.podspec.scenario import ContainerScenario, Scenario, behaviour, infer


def container(fields: str, name: str = "worker"):
    """The one container of a Pod whose container has these extra YAML lines."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\nspec:\n  containers:\n"
        f"  - name: {name}\n    image: busybox:1.36\n{fields}"
    )
    report = check(text)
    assert report.ok, report.diagnostics
    return report.workloads[0].pod.containers[0]


# (the container's command/args, exits_after, exit_code, ignores_sigterm, words of its sentences)
INFERRED = [
    # No command: the image's own program, which runs until stopped and handles SIGTERM.
    ("", None, 0, False, "runs its image's own program until it is stopped, and stops 1 s after"),
    # Args alone only replace the image's CMD: its own program still runs.
    ("    args: [--port=8080]\n", None, 0, False, "image's own program"),
    ("    command: ['true']\n", 0, 0, False, "exits with code 0 at once: its command is `true`"),
    ("    command: [/bin/false]\n", 0, 1, False, "exits with code 1 at once"),
    ("    command: [sleep, '5']\n", 5, 0, True, "exits with code 0 after 5 s"),
    ("    command: [sleep, 2m]\n", 120, 0, True, "after 120 s: its command is `sleep 2m`"),
    ("    command: [sleep, infinity]\n", None, 0, True, "runs until it is stopped"),
    (
        "    command: [tail, -f, /dev/null]\n",
        None,
        0,
        True,
        "`tail -f /dev/null`, which never ends",
    ),
    # The example: a loop of sleeps is the loop's items times the sleep.
    (
        "    command: [sh, -c, 'for i in 1 2 3 4 5; do echo $i; sleep 2; done']\n",
        10,
        0,
        True,
        "`worker` exits with code 0 after 10 s: its script sleeps 2 s in a loop of 5.",
    ),
    # A script given in args, to a busybox-style image with no ENTRYPOINT.
    ("    args: [/bin/sh, -c, 'sleep 3; sleep 4']\n", 7, 0, True, "sleeps 7 s in all"),
    # Comments do not hide the line after them; a final `exit N` is the exit code.
    (
        "    command: [bash, -ec]\n    args:\n    - |\n      sleep 3 # warm up\n      exit 4\n",
        3,
        4,
        True,
        "exits with code 4 after 3 s: its script sleeps 3 s, and ends with `exit 4`",
    ),
    ("    command: [sh, -c, 'echo done; false']\n", 0, 1, True, "ends with `false`"),
    (
        "    command: [sh, -c, 'while true; do date; sleep 5; done']\n",
        None,
        0,
        True,
        "`while true`",
    ),
    ("    command: [sh, -c, 'while :; do sleep 1; done']\n", None, 0, True, "`while :`"),
    ("    command: [sh, -c, 'touch /ready && tail -F /log']\n", None, 0, True, "`tail -f`"),
    ("    command: [sh, -c, 'sleep infinity']\n", None, 0, True, "`sleep infinity`"),
    # A shell that traps TERM handles it (DESIGN.md: "unless the script has trap ... TERM").
    (
        "    command: [sh, -c, \"trap 'exit 0' TERM; while true; do sleep 1; done\"]\n",
        None,
        0,
        False,
        "stops 1 s after SIGTERM: its script traps TERM",
    ),
    # What the simulator cannot tell: a condition loop, an unknown program, a computed loop.
    ("    command: [sh, -c, 'until [ -f /x ]; do sleep 1; done']\n", None, 0, True, "cannot tell"),
    (
        "    command: [python, worker.py]\n",
        None,
        0,
        False,
        "cannot tell how long `python worker.py` runs (if it ends, say when with `exits_after`)",
    ),
    ("    command: [sh, -c, 'for f in $(ls); do sleep 1; done']\n", None, 0, True, "cannot tell"),
    ("    command: [sh, -c, 'echo \"unclosed']\n", None, 0, False, "cannot tell"),
]


@pytest.mark.parametrize(("fields", "exits_after", "code", "ignores", "words"), INFERRED)
def test_infer_reads_the_command(fields, exits_after, code, ignores, words):
    found, sentences = infer(container(fields))
    assert (found.exits_after, found.exit_code, found.ignores_sigterm) == (
        exits_after,
        code,
        ignores,
    )
    assert words in " ".join(sentences)
    assert all(sentence.startswith("`worker` ") for sentence in sentences)


def test_a_shell_as_first_process_ignores_sigterm_and_the_sentence_says_why():
    _, sentences = infer(container("    command: [sh, -c, 'sleep 30']\n"))
    assert sentences[1].startswith("`worker` ignores SIGTERM (only SIGKILL stops it)")
    assert "first process is `sh`" in sentences[1]


def test_a_container_that_exits_at_once_gets_no_sentence_about_signals():
    assert infer(container("    command: ['true']\n"))[1] == [
        "`worker` exits with code 0 at once: its command is `true`."
    ]


def test_probes_and_memory_limit_are_assumed_to_be_passed_and_kept():
    _, sentences = infer(
        container(
            "    resources: {limits: {memory: 64Mi}}\n    readinessProbe: {httpGet: {port: 80}}\n"
        )
    )
    assert "`worker` passes its probes as soon as it starts and never fails one" in sentences[1]
    assert sentences[2] == (
        "`worker` stays under its memory limit: the scenario gives it no `memory` growth."
    )


def scenario(**fields):
    return Scenario(containers=(ContainerScenario("worker", **fields),))


def test_the_scenario_overrides_what_the_spec_implies_and_its_sentences_go():
    spec = container("    command: [sleep, '5']\n")
    found, sentences = behaviour(spec, scenario(exits_after=9, exit_code=2, ignores_sigterm=True))
    assert (found.exits_after, found.exit_code, found.ignores_sigterm) == (9, 2, True)
    assert sentences == []


def test_an_exit_time_without_a_code_states_the_code_assumed():
    found, sentences = behaviour(container(""), scenario(exits_after=20))
    assert (found.exits_after, found.exit_code) == (20, 0)
    assert sentences[0] == "`worker` exits with code 0: the scenario gives no `exit_code`."


def test_an_exit_code_alone_keeps_the_inferred_time_in_the_sentence():
    found, sentences = behaviour(container("    command: [sleep, '5']\n"), scenario(exit_code=3))
    assert (found.exits_after, found.exit_code) == (5, 3)
    assert sentences[0] == "`worker` exits with code 3 after 5 s: its command is `sleep 5`."


def test_handling_sigterm_by_scenario_still_states_how_long_stopping_takes():
    spec = container("    command: [sleep, infinity]\n")
    found, sentences = behaviour(spec, scenario(ignores_sigterm=False))
    assert not found.ignores_sigterm
    assert sentences == [
        "`worker` runs until it is stopped: its command is `sleep infinity`.",
        "`worker` stops 1 s after SIGTERM: the scenario gives no `stops_in`.",
    ]


def test_a_scenario_for_another_container_changes_nothing():
    spec = container("    command: [sleep, '5']\n")
    other = Scenario(containers=(ContainerScenario("web", exits_after=1),))
    assert behaviour(spec, other) == infer(spec)


def test_probe_timing_from_the_scenario_removes_only_what_it_says():
    spec = container("    readinessProbe: {httpGet: {port: 80}}\n")
    found, sentences = behaviour(spec, scenario(ready_after=20))
    assert found.ready_after == 20
    assert "`worker` never fails one: the scenario can say otherwise" in " ".join(sentences)
    assert "passes its probes" not in " ".join(sentences)
