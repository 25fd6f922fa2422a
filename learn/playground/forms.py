"""The Run form: what the learner says happens to the Pod, as a few fields per container.

The fields are written out as scenario YAML (scenario.tree_text) and read back by the engine's
scenario reader, so every bound and message is the engine's own; each problem it reports at a
line is shown beside the field that wrote that line, in the form's words, and the learner's
entries are kept as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from learn.podspec.model import Container
from learn.podspec.scenario import (
    ContainerScenario,
    Number,
    Scenario,
    ScenarioError,
    Tree,
    check_against,
    parse_scenario,
    to_tree,
    tree_lines,
    tree_text,
)

MAX_ENTRY = 32  # characters in one field: more than any number or quantity needs
# A number as a learner types one into a seconds or exit-code field, right or wrong.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # MAX_ENTRY bounds its length
# Containers a post names that the spec no longer has, each kept with a problem beside it: a few
# is all an edit can leave behind (a forged post may name thousands).
MAX_GONE = 5
SIGTERM_CHOICES = (
    ("", "as inferred"),
    ("ignores", "ignores it"),
    ("stops", "stops on it"),
)


@dataclass(frozen=True)
class Field:
    """One input: `path` is where its value goes in the scenario's YAML."""

    key: str
    label: str
    kind: str  # "s" (whole seconds), "quantity", "code" or "choice"
    path: tuple[str, ...]


POD_FIELDS = (
    Field("delete_at", "Delete the Pod at", "s", ("delete_at",)),
    Field("node_cpu", "Node CPU", "quantity", ("node", "cpu")),
    Field("node_memory", "Node memory", "quantity", ("node", "memory")),
    Field("until", "Run for at most", "s", ("until",)),
)
# Per container; the path continues after ("containers", <name>).
CONTAINER_FIELDS = (
    Field("exits_after", "Exits after", "s", ("exits_after",)),
    Field("exit_code", "Exit code", "code", ("exit_code",)),
    Field("ready_after", "Ready after", "s", ("ready_after",)),
    Field("fails_probes_from", "Probes fail from", "s", ("fails_probes_from",)),
    Field("grows_to", "Memory grows to", "quantity", ("memory", "grows_to")),
    Field("within", "Growing over", "s", ("memory", "within")),
    Field("sigterm", "On SIGTERM it", "choice", ("ignores_sigterm",)),
    Field("stops_in", "Takes to stop", "s", ("stops_in",)),
)


@dataclass
class BoundField:
    """A field with its name in the form, its value as typed and its problem, if any."""

    field: Field
    name: str
    id: str
    value: str = ""
    error: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        return self.field.path


@dataclass
class Group:
    """The fields of the Pod, or of one container."""

    legend: str
    fields: list[BoundField]


@dataclass
class RunForm:
    """The form's fields for one Pod's containers, with their values and problems."""

    groups: list[Group]
    preset: str = "as-written"  # the slug of the preset the fields write ("": none of them)
    errors: list[str] = field(default_factory=list)  # problems no one field wrote

    @classmethod
    def blank(cls, containers: list[Container]) -> RunForm:
        """Every field empty: the spec as written."""
        pod = Group("The Pod and its node", [_bind(f, f.key, f.path, f.key) for f in POD_FIELDS])
        form = cls([pod])
        for container in containers:
            form._add_container(container.name, f"{container.name} ({container.role})")
        return form

    @classmethod
    def from_data(cls, data, containers: list[Container]) -> RunForm:
        """The form as posted: entries kept as typed (cut to MAX_ENTRY characters). Entries for a
        container the spec no longer has stay, with the problem beside them, rather than vanish."""
        form = cls.blank(containers)
        gone = _gone(data, {c.name for c in containers})
        for name in gone:
            form._add_container(name, f"{name} (not in the spec)")
        for bound in form.fields:
            bound.value = str(data.get(bound.name, "")).strip()[:MAX_ENTRY]
        for name in gone:
            problem = check_against(Scenario((ContainerScenario(name),)), containers)[0]
            form._place(problem.message, ("containers", name))
        return form

    @classmethod
    def from_scenario(cls, scenario: Scenario, containers: list[Container]) -> RunForm:
        """The form that writes this scenario (what it leaves at its defaults stays empty)."""
        form = cls.blank(containers)
        values = _flattened(to_tree(scenario))
        for bound in form.fields:
            bound.value = values.get(bound.path, "")
        return form

    def _add_container(self, name: str, legend: str) -> None:
        index = len(self.groups) - 1
        bound = [
            _bind(f, f"c:{name}:{f.key}", ("containers", name, *f.path), f"run-{index}-{f.key}")
            for f in CONTAINER_FIELDS
        ]
        self.groups.append(Group(legend, bound))

    @property
    def fields(self) -> list[BoundField]:
        return [bound for group in self.groups for bound in group.fields]

    @property
    def changed(self) -> bool:
        """Whether any field is filled in (by the learner: the fields then start open)."""
        return any(bound.value for bound in self.fields)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(bound.error for bound in self.fields)

    def text(self) -> str:
        """The scenario's YAML as the fields write it ("" when they are all empty)."""
        return tree_text(self.tree())

    def scenario(self) -> Scenario | None:
        """The scenario the fields write, or None with each problem set beside its field."""
        text = self.text()
        if not text:
            return Scenario()
        try:
            return parse_scenario(text)
        except ScenarioError as error:
            self.place(error)
            return None

    def place(self, error: ScenarioError) -> None:
        """Show each problem of this form's scenario beside the field whose line it is at."""
        lines = tree_lines(self.tree())
        for problem in error.problems:
            at = lines[problem.line - 1][1] if 0 < problem.line <= len(lines) else ()
            self._place(problem.message, at)

    def _place(self, message: str, path: tuple[str, ...]) -> None:
        # A problem at a line that opens a mapping (`memory:` or a container's name) goes beside
        # the first of its fields that is filled in, as the learner wrote that one.
        under = [bound for bound in self.fields if path and bound.path[: len(path)] == path]
        if not under:
            self.errors.append(message)
            return
        bound = next((bound for bound in under if bound.value), under[0])
        bound.error = bound.error or self._worded(message, path)

    def _worded(self, message: str, path: tuple[str, ...]) -> str:
        """A problem in the form's words: beside its field, the scenario's name for what the
        line wrote says nothing more, and other fields are called by their labels."""
        # The problem's subject is the line's key or a mapping it is in (`memory` of `within`).
        subject = next(
            (
                path[:end]
                for end in range(len(path), 0, -1)
                if message.startswith(f"{_named(path[:end])} ")
            ),
            path,
        )
        message = message.removeprefix(f"{_named(subject)} ")
        for bound in self.fields:
            label = f"“{bound.field.label}”"
            message = message.replace(_named(bound.path), label)
            if bound.path[: len(subject)] == subject and len(bound.path) > len(subject):
                message = message.replace(_named(bound.path[len(subject) :]), label)
        return message[:1].upper() + message[1:]

    def tree(self) -> Tree:
        """What the fields write, as typed: the scenario reader says what is wrong with it."""
        tree: dict = {}
        for bound in self.fields:
            if bound.value:
                _put(tree, bound.path, _typed(bound.field, bound.value))
        return tree


def _bind(f: Field, name: str, path: tuple[str, ...], element_id: str) -> BoundField:
    return BoundField(Field(f.key, f.label, f.kind, path), name, element_id)


def _typed(f: Field, value: str) -> int | bool | str:
    """A number typed as one (-5, 1.5, ten digits) is written as the number typed, so that the
    scenario reader's message quotes it as typed; other text is written as a string."""
    if f.kind == "choice":
        return value == "ignores" if value in ("ignores", "stops") else value
    text = value.strip()
    if f.kind in ("s", "code") and _NUMBER.fullmatch(text):
        return int(text) if text.isdigit() and len(text) <= 9 else Number(text)
    return value


def _put(tree: dict, path: tuple[str, ...], value: int | bool | str) -> None:
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = value


def _named(path: tuple[str, ...]) -> str:
    """How the scenario reader's messages name `path`."""
    return f"`{'.'.join(path)}`"


def _gone(data, names: set[str]) -> list[str]:
    """The containers a post has entries for that are not among `names`, in the post's order."""
    gone: list[str] = []
    for key, value in data.items():
        kind, _, rest = str(key).partition(":")
        name = rest.rpartition(":")[0]
        if kind == "c" and name and name not in names and name not in gone and str(value).strip():
            gone.append(name)
    return gone[:MAX_GONE]


def _flattened(tree: Tree, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """What each field shows for a scenario's tree, by the field's path."""
    values: dict[tuple[str, ...], str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            values.update(_flattened(value, (*path, key)))
        elif isinstance(value, bool):  # the SIGTERM menu's choices
            values[(*path, key)] = "ignores" if value else "stops"
        else:
            values[(*path, key)] = str(value)
    return values
