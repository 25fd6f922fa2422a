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

import difflib
import json
import math
import re
import shlex
from collections.abc import Mapping as PlainMapping
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any

from learn.podspec.diagnostics import Diagnostic, Severity
from learn.podspec.model import Container, number
from learn.podspec.quantity import format_cpu, format_memory, oversized, parse_quantity
from learn.podspec.source import Mapping, Node, Scalar, is_unset, parse

DEFAULT_UNTIL = 600
MAX_UNTIL = 3600
DEFAULT_NODE_CPU = Fraction(4)
DEFAULT_NODE_MEMORY = Fraction(8 * 2**30)
MAX_SCENARIO_BYTES = 16_384
# How long a Job's worker that runs its image's own program works: the spec cannot tell.
BATCH_WORK_SECONDS = 10


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
    # The code its own SIGTERM handler exits with (a shell's `trap 'exit 0' TERM`); None: 143,
    # as runtimes record a process that the signal itself ended.
    sigterm_exit_code: int | None = None


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
    # Where the container's entry starts in the scenario's text (0: not from text); not part of
    # what the scenario says, so two scenarios written differently can still be equal.
    line: int = field(default=0, compare=False)


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


# The fields a scenario may write, in the order to_text writes them.
_TOP_FIELDS = ("until", "node", "delete_at", "containers")
_NODE_FIELDS = ("cpu", "memory")
_CONTAINER_FIELDS = (
    "exits_after",
    "exit_code",
    "ready_after",
    "fails_probes_from",
    "memory",
    "ignores_sigterm",
    "stops_in",
)
_MEMORY_FIELDS = ("grows_to", "within")
_SECONDS = f"a whole number of seconds from 0 to {MAX_UNTIL}"
# What to_text writes unquoted: a key that YAML 1.1 (as Kubernetes reads it) would not take for
# a bool, null or number, and an amount with a suffix (YAML reads it as text, as the API does).
_PLAIN_KEY = re.compile(r"[a-z][-a-z0-9_]*")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_PLAIN_AMOUNT = re.compile(r"[0-9]+(m|[KMGTPE]i)")
# What a scenario wrote as plain data: nested mappings of keys to ints, bools and strings.
Tree = PlainMapping[str, Any]


def _shown(node: Node) -> str:
    """A value as the scenario typed it, for a message: `5000`, the text "60" (quoted: not a
    number, as the spec's checks also say), a list or mapping."""
    if not isinstance(node, Scalar):
        return "a list or mapping"
    shown = node.text if len(node.text) <= 20 else node.text[:19] + "…"
    return f"the text {json.dumps(shown)}" if node.quoted else f"`{shown}`"


class _Reader:
    """Reads a scenario's YAML nodes into values, collecting every problem with its place."""

    def __init__(self) -> None:
        self.problems: list[Diagnostic] = []

    def bad(self, node: Node, path: str, message: str, hint: str = "") -> None:
        self.problems.append(
            Diagnostic.at(node, "scenario-bad-value", Severity.ERROR, message, path, hint)
        )

    def mapping(self, node: Node | None, path: str, what: str) -> Mapping | None:
        """The node when it is a mapping; None when unset, or (a problem) anything else."""
        if isinstance(node, Mapping):
            return node
        if node is not None and not is_unset(node):
            where = f"`{path}`" if path else "a scenario"
            self.bad(node, path, f"{where} must be a mapping of {what}")
        return None

    def fields(
        self, node: Node | None, path: str, known: tuple[str, ...], what: str
    ) -> dict[str, Node]:
        """The set fields of a mapping (null ones are unset); unknown keys are problems."""
        node = self.mapping(node, path, what)
        if node is None:
            return {}
        found = {}
        for key, value in node.pairs:
            if key.text in known:
                if not is_unset(value):
                    found[key.text] = value
                continue
            close = difflib.get_close_matches(key.text, known, n=1)
            where = f" in `{path}`" if path else ""
            self.problems.append(
                Diagnostic.at(
                    key,
                    "scenario-unknown-field",
                    Severity.ERROR,
                    f"unknown field `{key.text}`{where}"
                    + (f": did you mean `{close[0]}`?" if close else ""),
                    f"{path}.{key.text}".lstrip("."),
                    "The fields here are " + ", ".join(f"`{k}`" for k in known) + ".",
                )
            )
        return found

    def whole(self, node: Node, path: str, low: int, high: int, what: str) -> int | None:
        """An integer from `low` to `high`, or None (and a problem)."""
        value = number(node)
        if value is None or not low <= value <= high:
            self.bad(node, path, f"`{path}` must be {what}, not {_shown(node)}")
            return None
        return value

    def seconds(self, node: Node, path: str) -> int | None:
        return self.whole(node, path, 0, MAX_UNTIL, _SECONDS)

    def flag(self, node: Node, path: str) -> bool | None:
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.bad(node, path, f"`{path}` must be `true` or `false`, not {_shown(node)}")
        return None

    def amount(self, node: Node, path: str, example: str) -> Fraction | None:
        """A positive Kubernetes quantity (`500m`, `600Mi`)."""
        value = node.value if isinstance(node, Scalar) else None
        parsed = parse_quantity(value)
        if parsed is None or parsed <= 0:
            too_long = oversized(value)
            self.bad(
                node,
                path,
                f"`{path}`: {too_long}"
                if too_long
                else f"`{path}` must be a quantity above 0, such as `{example}`, not {_shown(node)}",
            )
            return None
        return parsed

    def container(self, key: Scalar, node: Node) -> ContainerScenario:
        path = f"containers.{key.text}"
        found = self.fields(node, path, _CONTAINER_FIELDS, "fields such as `exits_after: 5`")
        values: dict[str, Any] = {}
        for name in ("exits_after", "ready_after", "fails_probes_from", "stops_in"):
            if name in found:
                values[name] = self.seconds(found[name], f"{path}.{name}")
        if "exit_code" in found:
            values["exit_code"] = self.whole(
                found["exit_code"], f"{path}.exit_code", 0, 255, "an exit code from 0 to 255"
            )
        if "ignores_sigterm" in found:
            values["ignores_sigterm"] = self.flag(
                found["ignores_sigterm"], f"{path}.ignores_sigterm"
            )
        if "memory" in found:
            memory = self.fields(
                found["memory"], f"{path}.memory", _MEMORY_FIELDS, "`grows_to` and `within`"
            )
            if "grows_to" in memory:
                values["memory_grows_to"] = self.amount(
                    memory["grows_to"], f"{path}.memory.grows_to", "600Mi"
                )
            elif isinstance(found["memory"], Mapping):
                self.bad(
                    found["memory"],
                    f"{path}.memory",
                    f"`{path}.memory` needs `grows_to`: the memory the container comes to use",
                    "For example `memory: {grows_to: 600Mi, within: 30}`.",
                )
            if "within" in memory:
                values["memory_within"] = self.seconds(memory["within"], f"{path}.memory.within")
        return ContainerScenario(key.text, line=key.line, **values)


def parse_scenario(text: str, containers: Sequence[Container] | None = None) -> Scenario:
    """The scenario written in `text` (YAML); raises ScenarioError listing every problem, each
    with its line: bad YAML, unknown fields, wrong types, negative or too-large numbers, and,
    given the Pod's `containers`, the containers it names that the Pod does not have."""
    documents, problems = parse(text, max_bytes=MAX_SCENARIO_BYTES)
    if [p.code for p in problems] == ["empty-input"]:
        return Scenario(text=text)  # nothing written: every container as its spec says
    problems = [
        replace(p, hint="A scenario needs only a few lines: keep what matters to the run.")
        if p.code == "input-too-large"
        else p
        for p in problems
    ]
    if problems:
        raise ScenarioError(problems)
    if len(documents) > 1:
        second = documents[1]
        raise ScenarioError(
            [
                Diagnostic(
                    "scenario-bad-value",
                    Severity.ERROR,
                    "a scenario is one YAML document, and this text has more than one",
                    second.line,
                    1,
                    hint="Remove the `---` and merge what the documents say.",
                )
            ]
        )
    reader = _Reader()
    top = reader.fields(documents[0].root, "", _TOP_FIELDS, "fields such as `until: 600`")
    values: dict[str, Any] = {}
    if "until" in top:
        values["until"] = reader.whole(
            top["until"], "until", 1, MAX_UNTIL, f"a whole number of seconds from 1 to {MAX_UNTIL}"
        )
    if "delete_at" in top:
        values["delete_at"] = reader.seconds(top["delete_at"], "delete_at")
    node = reader.fields(top.get("node"), "node", _NODE_FIELDS, "`cpu` and `memory`")
    if "cpu" in node:
        values["node_cpu"] = reader.amount(node["cpu"], "node.cpu", "2")
    if "memory" in node:
        values["node_memory"] = reader.amount(node["memory"], "node.memory", "4Gi")
    entries = reader.mapping(
        top.get("containers"), "containers", "each container's name to what it does"
    )
    if entries is not None:
        values["containers"] = tuple(reader.container(key, value) for key, value in entries.pairs)
    until = values.get("until") or DEFAULT_UNTIL
    delete_at = values.get("delete_at")
    if isinstance(delete_at, int) and isinstance(until, int) and delete_at >= until:
        reader.bad(
            top["delete_at"],
            "delete_at",
            f"`delete_at` is {delete_at} s, but the run ends at {until} s (`until`)",
            f"Set `until` above {delete_at} to see the deletion.",
        )
    if containers is not None:
        named = Scenario(containers=values.get("containers", ()), text=text)
        reader.problems += check_against(named, containers)
    if reader.problems:
        raise ScenarioError(sorted(reader.problems, key=lambda p: (p.line, p.column)))
    return Scenario(text=text, **values)


def check_against(scenario: Scenario, containers: Sequence[Container]) -> list[Diagnostic]:
    """Problems of a scenario for one Pod: containers it names that the Pod does not have (with a
    suggestion when one is close)."""
    names = [c.name for c in containers]
    lines = scenario.text.splitlines()
    problems = []
    for written in scenario.containers:
        if written.name in names:
            continue
        close = difflib.get_close_matches(written.name, names, n=1)
        line = lines[written.line - 1] if 0 < written.line <= len(lines) else ""
        column = line.find(written.name) + 1
        problems.append(
            Diagnostic(
                "scenario-unknown-container",
                Severity.ERROR,
                f"the scenario names a container `{written.name}` that the Pod does not have"
                + (f": did you mean `{close[0]}`?" if close else ""),
                written.line,
                column,
                path=f"containers.{written.name}",
                hint="The Pod's containers are " + ", ".join(f"`{n}`" for n in names) + ".",
                end_line=written.line,
                end_column=column + len(written.name) if column else 0,
            )
        )
    return problems


def to_tree(scenario: Scenario) -> dict[str, Any]:
    """What a scenario wrote, as nested dicts of ints, bools and strings, in to_text's order."""
    tree: dict[str, Any] = {}
    if scenario.until != DEFAULT_UNTIL:
        tree["until"] = scenario.until
    node = {}
    if scenario.node_cpu != DEFAULT_NODE_CPU:
        node["cpu"] = format_cpu(scenario.node_cpu)
    if scenario.node_memory != DEFAULT_NODE_MEMORY:
        node["memory"] = format_memory(scenario.node_memory)
    if node:
        tree["node"] = node
    if scenario.delete_at is not None:
        tree["delete_at"] = scenario.delete_at
    if scenario.containers:
        tree["containers"] = {c.name: _container_tree(c) for c in scenario.containers}
    return tree


def _container_tree(written: ContainerScenario) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name in _CONTAINER_FIELDS:
        if name == "memory" and written.memory_grows_to is not None:
            tree["memory"] = {"grows_to": format_memory(written.memory_grows_to)}
            if written.memory_within is not None:
                tree["memory"]["within"] = written.memory_within
        elif name != "memory" and (value := getattr(written, name)) is not None:
            tree[name] = value
    return tree


def tree_lines(
    tree: Tree, path: tuple[str, ...] = (), *, flow: bool = False
) -> list[tuple[str, tuple[str, ...]]]:
    """A tree's YAML lines, each with the path of keys it writes (a problem reported at a line
    can then be shown beside the form field that wrote it): one key a line, or with `flow` a
    mapping of scalars (`node`, `memory`) on the line of its key, as people write them."""
    lines: list[tuple[str, tuple[str, ...]]] = []
    indent = "  " * len(path)
    for key, value in tree.items():
        at = (*path, key)
        if not isinstance(value, PlainMapping):
            lines.append((f"{indent}{_yaml_key(key)}: {_yaml_scalar(value)}", at))
        elif not value or (flow and path != ("containers",) and _all_scalars(value)):
            pairs = ", ".join(f"{_yaml_key(k)}: {_yaml_scalar(v)}" for k, v in value.items())
            lines.append((f"{indent}{_yaml_key(key)}: {{{pairs}}}", at))
        else:
            lines.append((f"{indent}{_yaml_key(key)}:", at))
            lines.extend(tree_lines(value, at, flow=flow))
    return lines


def tree_text(tree: Tree) -> str:
    """A tree as scenario YAML, one key a line."""
    return "".join(f"{line}\n" for line, _ in tree_lines(tree))


def to_text(scenario: Scenario) -> str:
    """Canonical YAML for a scenario (only what it wrote); parse_scenario(to_text(s)) == s."""
    return "".join(f"{line}\n" for line, _ in tree_lines(to_tree(scenario), flow=True))


def _all_scalars(tree: Tree) -> bool:
    return not any(isinstance(value, PlainMapping) for value in tree.values())


def _yaml_key(key: str) -> str:
    plain = _PLAIN_KEY.fullmatch(key) and key not in _YAML11_WORDS
    return key if plain else json.dumps(key)


class Number(str):
    """A number as someone typed it (`-5`, `1.5`), written plain so that YAML reads a number and
    the reader's message quotes it as typed."""


def _yaml_scalar(value: object) -> str:
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # Any other text is double-quoted (JSON's strings are YAML's too), so that whatever a learner
    # typed stays one value of its key, read as text; only an amount with a suffix goes plain.
    return str(value) if _PLAIN_AMOUNT.fullmatch(str(value)) else json.dumps(str(value))


# What a container's command says about how long it runs (scenario.infer). Shells whose `-c`
# script is read, and the programs that set no SIGTERM handler: as the first process of its PID
# namespace, such a program never gets the runtime's SIGTERM, since the kernel delivers a signal
# from an ancestor namespace to a namespace's init only if it has a handler for it, SIGKILL
# excepted (pid_namespaces(7)). A shell that traps TERM has one.
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "ksh", "zsh"})
_NO_HANDLER = _SHELLS | {"sleep", "tail"}
_READ = _NO_HANDLER | {"true", "false"}  # the programs whose command infer() reads
_SCRIPT_FLAG = re.compile(r"^-[a-z]*c[a-z]*$")  # -c, -ec, -xc: the next word is the script
_SLEEP = re.compile(r"^([0-9]{1,9})([smhd]?)$")  # GNU and busybox sleep take these suffixes
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SEPARATOR = frozenset(";&|()\n")
# A `sleep N` the shell waits for: not sent to the background with a single `&`.
_FOREGROUND_SLEEP = re.compile(r"\bsleep\s+([0-9]{1,9}[smhd]?)\b(?!\s*&(?!&))")
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
    sigterm_code: int | None = None  # what its SIGTERM trap exits with, when it says
    stops_in: int = 1  # how long its handler takes to run


def _basename(program: str) -> str:
    return program.rsplit("/", 1)[-1]


def _quote(argv: Sequence[str]) -> str:
    """A command as a learner would type it, in a code span, shortened past 40 characters."""
    line = shlex.join(argv)
    line = line if len(line) <= 40 else line[:39] + "…"
    if "`" not in line:
        return f"`{line}`"
    # As in Markdown, a span holding backticks opens and closes with a longer run of them, and
    # spaces keep a backtick at its edge apart from the delimiters.
    ticks = "`" * (max(len(run) for run in re.findall(r"`+", line)) + 1)
    return f"{ticks} {line} {ticks}"


def plain_number(word: str) -> int | None:
    """The value of a word of ASCII digits as a shell reads it; None for anything else, or for
    more digits than a time or an exit code needs (int() refuses some digits and huge texts)."""
    return int(word) if re.fullmatch(r"[0-9]{1,9}", word) else None


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


def _trap_exit_code(commands: list[list[str]]) -> int | None:
    """The code a script's TERM trap exits with, when its action is `exit N`."""
    for words in commands:
        action = words[1].split() if _traps_term(words) else []
        if action[:1] == ["exit"] and (code := plain_number("".join(action[1:2]))) is not None:
            return code % 256
    return None


def _script(shell: str, script: str) -> _Guess:
    """What a `sh -c` script implies: forever if it loops or follows for ever; else the sum of
    its sleeps, each multiplied by the items of its enclosing `for` loops."""
    commands = _commands(script)
    ignores, why = _signal(shell, any(map(_traps_term, commands or [])))
    trap_code = _trap_exit_code(commands or [])
    if trap_code is not None:
        why += f" and exits with code {trap_code}"
    # POSIX (Shell Command Language, "Signals and Error Handling"): a trap runs only once the
    # foreground command the shell waits for has ended; `sleep N &` then `wait` ends at once.
    stops_in = 1
    if not ignores:
        foreground = [_sleep_seconds(m[1]) or 0 for m in _FOREGROUND_SLEEP.finditer(script)]
        if max(foreground, default=0) > 1:
            stops_in = max(foreground)
            why += f", once its foreground `sleep` of up to {stops_in} s has ended"
    signal = (ignores, why)
    unknown = _Guess(
        None,
        _UNTOLD.format("its script"),
        0,
        "",
        *signal,
        sigterm_code=trap_code,
        stops_in=stops_in,
    )
    if commands is None:
        return unknown
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
            return replace(unknown, lifetime=f"its script runs {_quote(words)}, which never ends")
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
    return _Guess(
        total, lifetime, code, code_reason, *signal, sigterm_code=trap_code, stops_in=stops_in
    )


def _last_status(words: list[str]) -> tuple[int, str]:
    """The exit code a script's last command gives it: `exit N`, `false`, else 0."""
    if words[:1] == ["exit"] and (code := plain_number("".join(words[1:2]))) is not None:
        return code % 256, f"its script ends with `exit {words[1]}`"
    if words == ["false"]:
        return 1, "its script ends with `false`"
    return 0, ""


def _signal(program: str, traps: bool = False) -> tuple[bool, str]:
    """Whether a PID 1 running `program` ignores SIGTERM, and why."""
    if traps:
        return False, "its script traps TERM"
    # A shell may exec its last command, so the first process is the shell or that command:
    # neither the shells nor `sleep` and `tail` install a handler for SIGTERM.
    if program in _SHELLS:
        return True, (
            f"neither `{program}` nor the commands its script runs handle SIGTERM, and Linux "
            "gives a container's first process only the signals it handles"
        )
    if program in _NO_HANDLER:
        return True, (
            f"`{program}` has no handler for SIGTERM, and Linux gives a container's first "
            "process only the signals it handles"
        )
    return False, f"{_quote([program])} is assumed to handle it"  # any name, even with a backtick


def _guess(container: Container, batch: bool) -> _Guess:
    """What a container's command and args imply (DESIGN.md "Defaults inferred from the spec")."""
    argv = (container.command or ()) + (container.args or ())
    program = _basename(argv[0]) if argv else ""
    # Without `command`, args replace only the image's CMD; they are a command of their own
    # only when they start with a program (busybox-like images have no ENTRYPOINT).
    if container.command is None and program not in _READ:
        if batch:  # a Job's worker is there to finish its work
            return _Guess(
                BATCH_WORK_SECONDS,
                f"it is a Job's worker running its image's own program, assumed to finish its "
                f"work in {BATCH_WORK_SECONDS} s",
                signal_reason="its image's program is assumed to handle it",
            )
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
    if program == "sleep" and len(argv) == 2 and (seconds := _sleep_seconds(argv[1])) is not None:
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


def infer(container: Container, *, batch: bool = False) -> tuple[Behaviour, list[str]]:
    """The behaviour a container's spec implies when the scenario is silent, and the sentences
    that state each assumption made (`batch`: the container is a Job's worker, which ends)."""
    return behaviour(container, Scenario(), batch=batch)


def behaviour(
    container: Container, scenario: Scenario, *, batch: bool = False
) -> tuple[Behaviour, list[str]]:
    """infer(), overridden field by field by what the scenario wrote for this container; the
    sentences state only the assumptions that still apply."""
    guess = _guess(container, batch)
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
        sigterm_exit_code=guess.sigterm_code,
        stops_in=guess.stops_in,
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
        start, keep = "ready_after" not in said, "fails_probes_from" not in said
        if start and keep:
            probes = "passes its probes from the moment it starts, and keeps passing them"
        elif start:
            probes = "passes its probes from the moment it starts"
        else:
            probes = "keeps passing its probes once it answers them"
        if start or keep:
            fields = " and ".join(
                f"`{field}`"
                for field, silent in (("ready_after", start), ("fails_probes_from", keep))
                if silent
            )
            sentences.append(f"{name} {probes}: the scenario can say otherwise with {fields}.")
    if b.memory_grows_to is not None and "memory_within" not in said:
        # Without `within` the growth takes no time: past a limit, the OOM kill comes at 1 s.
        sentences.append(
            f"{name} uses {format_memory(b.memory_grows_to)} as soon as it starts: the "
            "scenario gives `grows_to` but no `within`, the seconds it takes to get there."
        )
    if "memory" in container.limits and "memory_grows_to" not in said:
        sentences.append(
            f"{name} stays under its memory limit: the scenario gives it no `memory` growth."
        )
    return sentences
