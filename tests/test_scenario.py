"""Scenarios: what the simulator assumes a container does when the scenario is silent (infer,
behaviour), and the scenario's own YAML (parse_scenario, to_text, check_against)."""

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learn.podspec import check
from learn.podspec.figure import code_spans
from learn.podspec.scenario import (
    MAX_SCENARIO_BYTES,
    MAX_UNTIL,
    ContainerScenario,
    Scenario,
    ScenarioError,
    behaviour,
    check_against,
    infer,
    parse_scenario,
    to_text,
)


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
    (
        "    command: [sh, -c, 'touch /ready && tail -F /log']\n",
        None,
        0,
        True,
        "`tail -F /log`, which never ends",
    ),
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
    ("    command: [sh, -c, 'echo \"unclosed']\n", None, 0, True, "cannot tell"),
    (
        "    command: [sleep, '0']\n",
        0,
        0,
        True,
        "exits with code 0 at once: its command is `sleep 0`",
    ),
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
    assert all(sentence.endswith(".") and ": ." not in sentence for sentence in sentences)


def test_a_shell_as_first_process_ignores_sigterm_and_the_sentence_says_why():
    _, sentences = infer(container("    command: [sh, -c, 'sleep 30']\n"))
    assert sentences[1].startswith("`worker` ignores SIGTERM (only SIGKILL stops it)")
    assert "neither `sh` nor the commands its script runs handle SIGTERM" in sentences[1]


def test_a_command_is_quoted_as_written_even_with_backticks():
    tail = infer(container("    command: [sh, -c, 'tail -F /var/log/app.log']\n"))[1]
    assert tail[0] == (
        "`worker` runs until it is stopped: its script runs `tail -F /var/log/app.log`, which "
        "never ends."
    )
    ticks = infer(container("    command: [run`x`, go]\n"))[1]
    assert ticks[0] == (
        "`worker` runs until it is stopped: the simulator cannot tell how long `` 'run`x`' go `` "
        "runs (if it ends, say when with `exits_after`)."
    )
    assert "<code>&#x27;run`x`&#x27; go</code> runs" in code_spans(ticks[0])
    assert ticks[1] == "`worker` stops 1 s after SIGTERM: `` 'run`x`' `` is assumed to handle it."


def test_a_memory_growth_without_its_time_is_stated_as_at_once():
    spec = container("    resources: {limits: {memory: 64Mi}}\n")
    grows = scenario(memory_grows_to=Fraction(600 * 2**20))
    assert behaviour(spec, grows)[1][-1] == (
        "`worker` uses 600Mi as soon as it starts: the scenario gives `grows_to` but no `within`, "
        "the seconds it takes to get there."
    )
    timed = replace(grows, containers=(replace(grows.containers[0], memory_within=30),))
    assert not any("within" in sentence for sentence in behaviour(spec, timed)[1])


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
    assert (
        "`worker` passes its probes from the moment it starts, and keeps passing them"
        in sentences[1]
    )
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
    assert (
        "`worker` keeps passing its probes once it answers them: the scenario can say otherwise"
        in " ".join(sentences)
    )
    assert "passes its probes" not in " ".join(sentences)


WHOLE = """\
until: 900
node: {cpu: "2", memory: 4Gi}
delete_at: 60
containers:
  web:
    exits_after: 5
    exit_code: 1
    ready_after: 20
    fails_probes_from: 90
    memory: {grows_to: 600Mi, within: 30}
    ignores_sigterm: true
    stops_in: 2
  log-shipper: {}
"""


def test_a_scenario_reads_every_field():
    found = parse_scenario(WHOLE)
    assert (found.until, found.delete_at) == (900, 60)
    assert (found.node_cpu, found.node_memory) == (2, 4 * 2**30)
    web = found.container("web")
    assert web == ContainerScenario(
        "web",
        exits_after=5,
        exit_code=1,
        ready_after=20,
        fails_probes_from=90,
        memory_grows_to=Fraction(600 * 2**20),
        memory_within=30,
        ignores_sigterm=True,
        stops_in=2,
    )
    assert web.line == 5
    assert found.container("log-shipper") == ContainerScenario("log-shipper")
    assert found.text == WHOLE


def test_to_text_writes_the_canonical_form_back():
    assert to_text(parse_scenario(WHOLE)) == WHOLE


@pytest.mark.parametrize("text", ["", "# only a comment\n", "containers:\n", "---\n"])
def test_an_empty_scenario_is_the_default_one(text):
    assert parse_scenario(text) == Scenario()
    assert to_text(Scenario()) == ""


def problems(text):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    return [(p.code, p.line, p.column, p.message) for p in caught.value.problems]


def test_every_problem_is_reported_at_its_line_in_order():
    text = (
        "untill: 5\n"
        "delete_at: -1\n"
        "containers:\n"
        "  web: {exit_after: 3, exit_code: 300, stops_in: 1.5, ignores_sigterm: 1}\n"
        "node: {cpu: lots}\n"
    )
    assert problems(text) == [
        ("scenario-unknown-field", 1, 1, "unknown field `untill`: did you mean `until`?"),
        (
            "scenario-bad-value",
            2,
            12,
            "`delete_at` must be a whole number of seconds from 0 to 3600, not `-1`",
        ),
        (
            "scenario-unknown-field",
            4,
            9,
            "unknown field `exit_after` in `containers.web`: did you mean `exits_after`?",
        ),
        (
            "scenario-bad-value",
            4,
            35,
            "`containers.web.exit_code` must be an exit code from 0 to 255, not `300`",
        ),
        (
            "scenario-bad-value",
            4,
            50,
            "`containers.web.stops_in` must be a whole number of seconds from 0 to 3600, not `1.5`",
        ),
        (
            "scenario-bad-value",
            4,
            72,
            "`containers.web.ignores_sigterm` must be `true` or `false`, not `1`",
        ),
        (
            "scenario-bad-value",
            5,
            13,
            "`node.cpu` must be a quantity above 0, such as `2`, not `lots`",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("until: 0\n", "`until` must be a whole number of seconds from 1 to 3600, not `0`"),
        ("until: 3601\n", "`until` must be a whole number of seconds from 1 to 3600, not `3601`"),
        # A value is shown as typed; a quoted one is text, as the spec's checks say.
        (
            "until: '60'\n",
            '`until` must be a whole number of seconds from 1 to 3600, not the text "60"',
        ),
        ('until: "-5"\n', 'not the text "-5"'),
        ("until: -5\n", "not `-5`"),
        ("until: [1]\n", "not a list or mapping"),
        ("until: " + "9" * 30 + "\n", "not `9999999999999999999…`"),
        ("delete_at: 700\n", "`delete_at` is 700 s, but the run ends at 600 s (`until`)"),
        ("- web\n", "a scenario must be a mapping of fields such as `until: 600`"),
        ("containers: [web]\n", "`containers` must be a mapping of each container's name"),
        ("containers: {web: 5}\n", "`containers.web` must be a mapping of fields such as"),
        ("containers: {web: {memory: {within: 3}}}\n", "`containers.web.memory` needs `grows_to`"),
        ("containers: {web: {memory: {grows_to: 0}}}\n", "must be a quantity above 0"),
        ("node: {memory: 1e999}\n", "`node.memory`: its exponent is beyond ±100"),
        ("a: 1\n---\nb: 2\n", "a scenario is one YAML document"),
        ("until: 5\nuntil: 6\n", "duplicate key `until`"),
        ("until: [5\n", "YAML syntax error"),
    ],
)
def test_a_wrong_value_says_what_is_expected(text, message):
    assert any(message in found for *_, found in problems(text))


def test_hostile_yaml_is_refused_as_the_engine_refuses_it():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [" + ", ".join(["*" + p] * 10) + "]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert problems(bomb)[0][0] == "input-too-complex"
    assert problems("[" * 100 + "]" * 100)[0][0] == "input-too-complex"
    assert problems("#" * (MAX_SCENARIO_BYTES + 1))[0][0] == "input-too-large"


def test_check_against_points_at_a_misspelled_container():
    scenario = parse_scenario("containers:\n  web: {}\n  wbe: {exits_after: 5}\n")
    pod = [container("", "web"), container("", "worker")]
    (problem,) = check_against(scenario, pod)
    assert problem.code == "scenario-unknown-container"
    assert problem.message == (
        "the scenario names a container `wbe` that the Pod does not have: did you mean `web`?"
    )
    assert (problem.line, problem.column, problem.end_column) == (3, 3, 6)
    assert problem.hint == "The Pod's containers are `web`, `worker`."
    assert check_against(parse_scenario("containers: {web: {}}\n"), pod) == []


names = st.from_regex(r"[a-z][-a-z0-9]{0,10}[a-z0-9]|[0-9]{1,3}|[A-Z_. ]{1,5}", fullmatch=True)
seconds = st.none() | st.integers(0, MAX_UNTIL)
amounts = st.integers(1, 2**40).map(Fraction) | st.integers(1, 10**6).map(
    lambda m: Fraction(m, 1000)
)
containers = st.builds(
    ContainerScenario,
    name=names,
    exits_after=seconds,
    exit_code=st.none() | st.integers(0, 255),
    ready_after=seconds,
    fails_probes_from=seconds,
    memory_grows_to=st.none() | amounts,
    memory_within=seconds,
    ignores_sigterm=st.none() | st.booleans(),
    stops_in=seconds,
).map(lambda c: replace(c, memory_within=c.memory_within if c.memory_grows_to else None))


@given(
    st.builds(
        Scenario,
        containers=st.lists(containers, max_size=4, unique_by=lambda c: c.name).map(tuple),
        delete_at=st.none() | st.integers(0, 599),
        until=st.integers(600, MAX_UNTIL),
        node_cpu=amounts,
        node_memory=amounts,
    )
)
def test_to_text_round_trips(scenario):
    assert parse_scenario(to_text(scenario)) == scenario


def test_a_trap_waits_for_the_foreground_sleep_but_not_for_one_in_the_background():
    # POSIX runs a trap once the foreground command ends; `sleep N &` then `wait` ends at once.
    def stops_in(script: str) -> int:
        command = json.dumps(["sh", "-c", script])
        return infer(container(f"    command: {command}\n"))[0].stops_in

    assert stops_in("trap 'exit 0' TERM; while true; do sleep 10; done") == 10
    assert stops_in("trap 'exit 0' TERM; sleep 3600 & wait") == 1


def test_numbers_a_shell_would_not_read_are_not_read():
    # `exit ²` and a 5,000-digit sleep are not numbers to a shell (and would make int() fail).
    for script in ("sleep 1; exit ²", "sleep " + "9" * 5000, "trap 'exit ²' TERM; sleep 5"):
        command = json.dumps(["sh", "-c", script])
        _, sentences = infer(container(f"    command: {command}\n"))
        assert sentences
