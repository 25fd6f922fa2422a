"""Scenarios for the lifecycle simulator: what each container's process does, and what happens to
the Pod from outside. A scenario is written as YAML (in a file for the CLI, in a ```pod-run fence,
in an exercise's front matter, in the playground's form), every field optional:

    until: 600                  # simulate at most this many seconds (default 600, at most 3600)
    node: {cpu: "2", memory: 4Gi}  # the node's allocatable resources (default 4 CPUs, 8Gi)
    delete_at: 60               # `kubectl delete pod` at this second
    containers:
      web:                      # a container's name in the spec
        exits_after: 5          # its process ends this many seconds after each start...
        exit_code: 1            # ...with this code (default 0)
        ready_after: 20         # it answers its probes from this many seconds after each start
        fails_probes_from: 90   # from this second of the run on, its probes fail
        memory: {grows_to: 600Mi, within: 30}  # memory use climbs evenly to this, after each start
        ignores_sigterm: true   # SIGTERM does nothing: only SIGKILL stops it
        stops_in: 2             # seconds it takes to exit after SIGTERM when it does not ignore it

Where the scenario is silent, each container's behaviour comes from its spec (see `infer`): an
image's own command runs until it is stopped; `command: ["true"]`, `sleep 5`, a shell script of
sleeps end as they say. Every such default is stated as a sentence in the run's assumptions.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction

from learn.podspec.diagnostics import Diagnostic
from learn.podspec.model import Container

DEFAULT_UNTIL = 600
MAX_UNTIL = 3600
DEFAULT_NODE_CPU = Fraction(4)
DEFAULT_NODE_MEMORY = Fraction(8 * 2**30)
MAX_SCENARIO_BYTES = 16_384


@dataclass(frozen=True)
class Behaviour:
    """What one container's process does, in every run of it (restarts behave the same)."""

    exits_after: int | None = None  # None: runs until it is stopped
    exit_code: int = 0
    ready_after: int = 0
    fails_probes_from: int | None = None  # a time of the run, not of the container's start
    memory_grows_to: Fraction | None = None  # bytes
    memory_within: int = 0  # seconds after each start to reach memory_grows_to
    ignores_sigterm: bool = False
    stops_in: int = 1


@dataclass(frozen=True)
class ContainerScenario:
    """What the scenario wrote for one container: None where it is silent."""

    name: str
    exits_after: int | None = None
    exit_code: int | None = None
    ready_after: int | None = None
    fails_probes_from: int | None = None
    memory_grows_to: Fraction | None = None
    memory_within: int | None = None
    ignores_sigterm: bool | None = None
    stops_in: int | None = None
    line: int = 0  # where the container's entry starts in the scenario's text (0: not from text)


@dataclass(frozen=True)
class Scenario:
    """A whole scenario. Scenario() is the empty one: every container as its spec says."""

    containers: tuple[ContainerScenario, ...] = ()
    delete_at: int | None = None
    node_cpu: Fraction = DEFAULT_NODE_CPU
    node_memory: Fraction = DEFAULT_NODE_MEMORY
    until: int = DEFAULT_UNTIL
    text: str = field(default="", compare=False)  # the YAML it was parsed from, if any

    def container(self, name: str) -> ContainerScenario | None:
        """What the scenario says about one container, if anything."""
        return next((c for c in self.containers if c.name == name), None)


class ScenarioError(ValueError):
    """A scenario that cannot be used: its problems, each with its line in the scenario's text."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__(problems[0].message if problems else "invalid scenario")
        self.problems = problems


def parse_scenario(text: str) -> Scenario:
    """The scenario written in `text` (YAML); raises ScenarioError listing every problem, each
    with its line: bad YAML, unknown fields, wrong types, negative or too-large numbers."""
    raise NotImplementedError


def check_against(scenario: Scenario, containers: list[Container]) -> list[Diagnostic]:
    """Problems of a scenario for one Pod: containers it names that the Pod does not have (with a
    suggestion when one is close)."""
    raise NotImplementedError


def to_text(scenario: Scenario) -> str:
    """Canonical YAML for a scenario (only what it wrote); parse_scenario(to_text(s)) == s."""
    raise NotImplementedError


# What a container's command says about how long it runs (scenario.infer). Shells whose `-c`
# script is read; the commands whose PID 1 ignores SIGTERM (pid_namespaces(7): "the only signals
# that can be sent to the init process are those for which the init process has established a
# signal handler"), which is what a shell, `sleep` and `tail` are unless a script traps TERM.
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "ksh", "zsh"})
_NO_HANDLER = _SHELLS | {"sleep", "tail"}
_SCRIPT_FLAG = re.compile(r"^-[a-z]*c[a-z]*$")  # -c, -ec, -xc: the next word is the script
_SLEEP = re.compile(r"^(\d+)([smhd]?)$")  # GNU and busybox sleep take these suffixes
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SEPARATOR = frozenset(";&|()\n")
# Words that open a compound command; what follows them is a command of its own.
_KEYWORDS = frozenset({"do", "then", "else", "elif", "if", "{", "}", "!", "exec", "time"})
_UNTOLD = "the simulator cannot tell how long {} runs (if it ends, say when with `exits_after`)"
_FOREVER_LOOPS = {("while", "true"), ("while", ":"), ("until", "false")}


@dataclass(frozen=True)
class _Guess:
    """What a command implies, and why, in words for the assumption sentences."""

    exits_after: int | None
    lifetime: str  # why it runs that long, e.g. "its command is `sleep 5`"
    exit_code: int = 0
    code_reason: str = ""  # why that exit code, when the command says it
    ignores_sigterm: bool = False
    signal_reason: str = ""  # why it ignores or handles SIGTERM
    own_program: bool = False  # the image's own entrypoint runs: nothing to read


def _basename(program: str) -> str:
    return program.rsplit("/", 1)[-1]


def _quote(argv: Sequence[str]) -> str:
    """A command as a learner would type it, in backticks, shortened past 40 characters."""
    line = shlex.join(argv)
    return f"`{line if len(line) <= 40 else line[:39] + '…'}`"


def _sleep_seconds(word: str) -> int | None:
    """The seconds `sleep <word>` takes; None for `infinity` or what cannot be read."""
    match = _SLEEP.match(word)
    return int(match[1]) * _UNIT[match[2]] if match else None


def _follows(words: Sequence[str]) -> bool:
    """Whether `tail` with these words follows its file for ever (-f, -F, --follow)."""
    return any(re.match(r"^(-[^-]*[fF]|--follow)", word) for word in words)


def _commands(script: str) -> list[list[str]] | None:
    """A shell script as its simple commands' words (leading keywords dropped, comments too);
    None when shlex cannot read it (an unclosed quote)."""
    lexer = shlex.shlex(script.replace("\\\n", ""), posix=True, punctuation_chars=";&|()\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""  # shlex would swallow the newline that ends a comment
    commands: list[list[str]] = [[]]
    comment = False
    try:
        for token in lexer:
            if token and set(token) <= _SEPARATOR:
                commands.append([])
                comment = False
            elif comment or token.startswith("#"):
                comment = True
            else:
                commands[-1].append(token)
    except ValueError:
        return None
    return [words for words in commands if words]


def _traps_term(words: list[str]) -> bool:
    """Whether a command is `trap <action> TERM` (or SIGTERM, 15): the shell then handles it."""
    return words[:1] == ["trap"] and bool({"TERM", "SIGTERM", "15"} & set(words[2:]))


def _script(shell: str, script: str) -> _Guess:
    """What a `sh -c` script implies: forever if it loops or follows for ever; else the sum of
    its sleeps, each multiplied by the items of its enclosing `for` loops."""
    commands = _commands(script)
    if commands is None:
        return _Guess(None, _UNTOLD.format("its script"))
    signal = _signal(shell, any(map(_traps_term, commands)))
    unknown = _Guess(None, _UNTOLD.format("its script"), 0, "", *signal)
    loops: list[int] = []  # the item counts of the `for` loops around the current command
    sleeps: list[tuple[int, int]] = []  # (seconds, loop multiplier) of each sleep
    for words in commands:
        if tuple(words[:2]) in _FOREVER_LOOPS:
            return replace(unknown, lifetime=f"its script loops `{' '.join(words[:2])}`")
        if words[0] in ("while", "until"):
            return unknown
        while words and words[0] in _KEYWORDS:
            words = words[1:]
        program, rest = (words[0], words[1:]) if words else ("", [])
        if program == "for":
            items = rest[2:] if rest[1:2] == ["in"] else None
            if items is None or any(re.search(r"[$`{*?\[]", item) for item in items):
                return unknown
            loops.append(len(items))
        elif program == "done" and loops:
            loops.pop()
        elif program == "sleep" and rest[:1] == ["infinity"]:
            return replace(unknown, lifetime="its script runs `sleep infinity`")
        elif program == "sleep" and rest:
            seconds = _sleep_seconds(rest[0])
            if seconds is None:
                return unknown
            sleeps.append((seconds, math.prod(loops)))
        elif program == "tail" and _follows(rest):
            return replace(unknown, lifetime="its script runs `tail -f`, which never ends")
    total = sum(seconds * times for seconds, times in sleeps)
    if not sleeps:
        lifetime = "its script does not sleep"
    elif len(sleeps) == 1 and sleeps[0][1] > 1:
        lifetime = f"its script sleeps {sleeps[0][0]} s in a loop of {sleeps[0][1]}"
    elif len(sleeps) == 1:
        lifetime = f"its script sleeps {total} s"
    else:
        lifetime = f"its script sleeps {total} s in all"
    code, code_reason = _last_status(commands[-1] if commands else [])
    return _Guess(total, lifetime, code, code_reason, *signal)


def _last_status(words: list[str]) -> tuple[int, str]:
    """The exit code a script's last command gives it: `exit N`, `false`, else 0."""
    if words[:1] == ["exit"] and words[1:2] and words[1].isdigit():
        return int(words[1]) % 256, f"its script ends with `exit {words[1]}`"
    if words == ["false"]:
        return 1, "its script ends with `false`"
    return 0, ""


def _signal(program: str, traps: bool = False) -> tuple[bool, str]:
    """Whether a PID 1 running `program` ignores SIGTERM, and why."""
    if traps:
        return False, "its script traps TERM"
    if program in _NO_HANDLER:
        return True, (
            f"its first process is `{program}`, which has no handler for SIGTERM, and Linux "
            "gives a container's first process only the signals it handles"
        )
    return False, f"`{program}` is assumed to handle it"


def _guess(container: Container) -> _Guess:
    """What a container's command and args imply (DESIGN.md "Defaults inferred from the spec")."""
    argv = (container.command or ()) + (container.args or ())
    program = _basename(argv[0]) if argv else ""
    known = _SHELLS | {"true", "false", "sleep", "tail"}
    # Without `command`, args replace only the image's CMD; they are a command of their own
    # only when they start with a program (busybox-like images have no ENTRYPOINT).
    if container.command is None and program not in known:
        return _Guess(
            None,
            "it runs its image's own program",
            signal_reason="its image's program is assumed to handle it",
            own_program=True,
        )
    if program == "true":
        return _Guess(0, "its command is `true`")
    if program == "false":
        return _Guess(0, "its command is `false`", 1, "its command is `false`")
    if program == "sleep" and argv[1:2] == ("infinity",):
        return _Guess(None, "its command is `sleep infinity`", 0, "", *_signal(program))
    if program == "sleep" and len(argv) == 2 and (seconds := _sleep_seconds(argv[1])):
        return _Guess(seconds, f"its command is {_quote(argv)}", 0, "", *_signal(program))
    if program == "tail" and _follows(argv[1:]):
        return _Guess(
            None, f"its command is {_quote(argv)}, which never ends", 0, "", *_signal(program)
        )
    if program in _SHELLS:
        flag = next((i for i, word in enumerate(argv[1:-1], 1) if _SCRIPT_FLAG.match(word)), 0)
        if flag:
            return _script(program, argv[flag + 1])
    return _Guess(
        None,
        _UNTOLD.format(_quote(argv)),
        0,
        "",
        *_signal(program),
    )


def infer(container: Container) -> tuple[Behaviour, list[str]]:
    """The behaviour a container's spec implies when the scenario is silent, and the sentences
    that state each assumption made."""
    return behaviour(container, Scenario())


def behaviour(container: Container, scenario: Scenario) -> tuple[Behaviour, list[str]]:
    """infer(), overridden field by field by what the scenario wrote for this container; the
    sentences state only the assumptions that still apply."""
    guess = _guess(container)
    written = scenario.container(container.name) or ContainerScenario(container.name)
    said = {
        f.name: getattr(written, f.name)
        for f in fields(Behaviour)
        if getattr(written, f.name, None) is not None
    }
    inferred = Behaviour(
        exits_after=guess.exits_after,
        exit_code=guess.exit_code,
        ignores_sigterm=guess.ignores_sigterm,
    )
    result = replace(inferred, **said)
    return result, _sentences(container, guess, result, set(said))


def _sentences(container: Container, guess: _Guess, b: Behaviour, said: set[str]) -> list[str]:
    """The assumptions behind `b` that the scenario did not override, in plain words."""
    name = f"`{container.name}`"
    stop = f"stops {b.stops_in} s after SIGTERM"
    sentences = []
    signal_said = "ignores_sigterm" in said and (b.ignores_sigterm or "stops_in" in said)
    if "exits_after" not in said:
        if b.exits_after is None and guess.own_program and not (signal_said or b.ignores_sigterm):
            sentences.append(
                f"{name} runs its image's own program until it is stopped, and {stop}."
            )
            signal_said = True
        elif b.exits_after is None:
            sentences.append(f"{name} runs until it is stopped: {guess.lifetime}.")
        else:
            when = "at once" if b.exits_after == 0 else f"after {b.exits_after} s"
            reason = guess.lifetime
            if "exit_code" not in said and guess.code_reason not in ("", reason):
                reason += ", and " + guess.code_reason.removeprefix("its script ")
            sentences.append(f"{name} exits with code {b.exit_code} {when}: {reason}.")
    elif "exit_code" not in said and b.exits_after is not None:
        reason = guess.code_reason or "the scenario gives no `exit_code`"
        sentences.append(f"{name} exits with code {b.exit_code}: {reason}.")
    if b.exits_after != 0 and not signal_said:
        reason = guess.signal_reason
        if "ignores_sigterm" in said:  # and does not ignore it: only the time it takes is assumed
            reason = "the scenario gives no `stops_in`"
        if b.ignores_sigterm:
            sentences.append(f"{name} ignores SIGTERM (only SIGKILL stops it): {reason}.")
        else:
            sentences.append(f"{name} {stop}: {reason}.")
    if container.probes:
        probes = []
        if "ready_after" not in said:
            probes.append("passes its probes as soon as it starts")
        if "fails_probes_from" not in said:
            probes.append("never fails one")
        if probes:
            sentences.append(
                f"{name} {' and '.join(probes)}: the scenario can say otherwise with "
                "`ready_after` and `fails_probes_from`."
            )
    if "memory" in container.limits and "memory_grows_to" not in said:
        sentences.append(
            f"{name} stays under its memory limit: the scenario gives it no `memory` growth."
        )
    return sentences
