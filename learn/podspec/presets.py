"""Ready-made scenarios for a workload's run, computed from its spec, so that every example and
every learner's spec has a few worth trying: "As written", a deletion, its first app crashing,
starting slowly, outgrowing its memory limit, ignoring SIGTERM...

Each preset is scenario YAML (the format learn.podspec.scenario reads). Titles say what happens to
the Pod, never what comes of it: finding that out is what the run is for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from learn.podspec.model import Container, ProbeKind, Role, Workload
from learn.podspec.quantity import format_cpu, format_memory

DELETE_AT = 30  # late enough for a Pod that starts at once to be running and ready
CRASH_AFTER = 5
SLOW_START = 60  # longer than the default liveness budget (3 failures x 10 s)
PROBES_FAIL_FROM = 60
GROWTH_SECONDS = 30

# A scenario's values: nested mappings of keys to scalars (an int, a bool or a string).
Tree = Mapping[str, object]

# Plain YAML keys that Kubernetes' YAML 1.1 reading would not take for a bool, null or number.
_PLAIN_KEY = re.compile(r"[a-z][-a-z0-9_]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@dataclass(frozen=True)
class Preset:
    """A named scenario: `scenario_text` is its YAML ("" for the spec as written)."""

    slug: str
    title: str
    scenario_text: str


def presets(workload: Workload) -> list[Preset]:
    """The scenarios worth offering for this workload's Pod, "As written" first."""
    pod = workload.pod
    found = [
        Preset("as-written", "As written", ""),
        Preset(
            "delete", f"Delete the Pod at {DELETE_AT} s", scenario_text({"delete_at": DELETE_AT})
        ),
    ]
    app = next(iter(pod.apps), None)
    if app is not None:
        found.extend(_app_presets(app))
    init = next((c for c in pod.containers if c.role == Role.INIT), None)
    if init is not None:
        failing = {"exits_after": 1, "exit_code": 1}
        found.append(Preset("init-fails", f"{init.name} fails (exit 1)", _for(init, failing)))
    cpu = pod.effective_request("cpu")
    if cpu > 0:
        # Half of what the Pod asks for: the scheduler finds no room for it.
        node = {"node": {"cpu": format_cpu(cpu / 2)}}
        title = f"The node has only {format_cpu(cpu / 2)} CPU to give"
        found.append(Preset("small-node", title, scenario_text(node)))
    return found


def _app_presets(app: Container) -> list[Preset]:
    name = app.name
    found = [
        Preset(
            "crash",
            f"{name} crashes after {CRASH_AFTER} s (exit 1)",
            _for(app, {"exits_after": CRASH_AFTER, "exit_code": 1}),
        )
    ]
    if app.probes:
        slow = _for(app, {"ready_after": SLOW_START})
        found.append(Preset("slow-start", f"{name} is slow to start ({SLOW_START} s)", slow))
    if app.probe(ProbeKind.LIVENESS) or app.probe(ProbeKind.READINESS):
        title = f"{name} stops answering its probes at {PROBES_FAIL_FROM} s"
        failing = _for(app, {"fails_probes_from": PROBES_FAIL_FROM})
        found.append(Preset("probes-fail", title, failing))
    limit = app.limits.get("memory")
    if limit:
        # Half as much again as the limit, reached evenly: it crosses the limit two thirds in.
        grows = {"grows_to": format_memory(_whole_mebibytes(limit * Fraction(3, 2)))}
        memory = _for(app, {"memory": {**grows, "within": GROWTH_SECONDS}})
        found.append(Preset("memory", f"{name} grows past its memory limit", memory))
    ignores = {"delete_at": DELETE_AT, "containers": {name: {"ignores_sigterm": True}}}
    title = f"{name} ignores SIGTERM, and the Pod is deleted at {DELETE_AT} s"
    found.append(Preset("ignores-sigterm", title, scenario_text(ignores)))
    return found


def _for(container: Container, behaviour: Tree) -> str:
    return scenario_text({"containers": {container.name: behaviour}})


def _whole_mebibytes(amount: Fraction) -> Fraction:
    mebibyte = 2**20
    return Fraction(-(-amount // mebibyte) * mebibyte)


def scenario_text(tree: Tree) -> str:
    """Scenario YAML for nested mappings, in block style, one key a line."""
    return "".join(f"{line}\n" for line, _ in scenario_lines(tree))


def scenario_lines(tree: Tree, path: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...]]]:
    """The lines of scenario_text(tree), each with the path of keys it writes: a problem the
    scenario reader reports at a line can then be shown beside the form field that wrote it."""
    lines: list[tuple[str, tuple[str, ...]]] = []
    indent = "  " * len(path)
    for key, value in tree.items():
        at = (*path, key)
        if isinstance(value, Mapping):
            lines.append((f"{indent}{_key(key)}:", at))
            lines.extend(scenario_lines(value, at))
        else:
            lines.append((f"{indent}{_key(key)}: {_scalar(value)}", at))
    return lines


def _key(key: str) -> str:
    plain = _PLAIN_KEY.fullmatch(key) and key not in _YAML11_WORDS
    return key if plain else json.dumps(key)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # A string is always quoted (JSON's double-quoted strings are YAML's too): whatever a learner
    # typed stays one value of the key it was typed for, and is read as a string.
    return json.dumps(str(value))
