"""The Run form: what the learner says happens to the Pod, as a few fields per container.

The fields are written out as scenario YAML (presets.scenario_text) and read back by the engine's
scenario reader, so every bound and message is the engine's own; each problem it reports at a
line is shown beside the field that wrote that line, and the learner's entries are kept as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from learn.core.inputs import parse_int
from learn.podspec.model import Container
from learn.podspec.presets import Tree, scenario_lines, scenario_text
from learn.podspec.quantity import format_cpu, format_memory
from learn.podspec.scenario import (
    DEFAULT_NODE_CPU,
    DEFAULT_NODE_MEMORY,
    DEFAULT_UNTIL,
    Scenario,
    ScenarioError,
    parse_scenario,
)

MAX_ENTRY = 32  # characters in one field: more than any number or quantity needs
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
    unit: str  # "s" (whole seconds), "quantity", "code" or "choice"
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
        groups = [pod]
        for index, container in enumerate(containers):
            bound = [
                _bind(
                    f,
                    f"c:{container.name}:{f.key}",
                    ("containers", container.name, *f.path),
                    f"run-{index}-{f.key}",
                )
                for f in CONTAINER_FIELDS
            ]
            groups.append(Group(f"{container.name} ({container.role})", bound))
        return cls(groups)

    @classmethod
    def from_data(cls, data, containers: list[Container]) -> RunForm:
        """The form as posted: entries kept as typed (cut to MAX_ENTRY characters)."""
        form = cls.blank(containers)
        for bound in form.fields:
            bound.value = str(data.get(bound.name, "")).strip()[:MAX_ENTRY]
        return form

    @classmethod
    def from_scenario(cls, scenario: Scenario, containers: list[Container]) -> RunForm:
        """The form that writes this scenario (what it leaves at its defaults stays empty)."""
        form = cls.blank(containers)
        values = _values(scenario)
        for bound in form.fields:
            bound.value = values.get(bound.path, "")
        return form

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
        return scenario_text(self._tree())

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
        lines = scenario_lines(self._tree())
        for problem in error.problems:
            at = lines[problem.line - 1][1] if 0 < problem.line <= len(lines) else ()
            self._place(problem.message, at)

    def _place(self, message: str, path: tuple[str, ...]) -> None:
        # A problem at a line that opens a mapping (`memory:`) goes beside its first field.
        for bound in self.fields:
            if path and bound.path[: len(path)] == path:
                # Beside its field, the scenario's name for the field says nothing more.
                named = f"`{'.'.join(path)}` "
                short = message.removeprefix(named) if bound.path == path else message
                bound.error = bound.error or short[:1].upper() + short[1:]
                return
        self.errors.append(message)

    def _tree(self) -> Tree:
        tree: dict = {}
        for bound in self.fields:
            if bound.value:
                _put(tree, bound.path, _typed(bound.field, bound.value))
        return tree


def _bind(f: Field, name: str, path: tuple[str, ...], element_id: str) -> BoundField:
    return BoundField(Field(f.key, f.label, f.unit, path), name, element_id)


def _typed(f: Field, value: str) -> int | bool | str:
    """A number typed as plain digits is written as one; other text is written as a string, and
    the scenario reader says what it expected."""
    if f.unit == "choice":
        return value == "ignores" if value in ("ignores", "stops") else value
    number = parse_int(value)
    if number is not None and f.unit in ("s", "code"):
        return number
    return value


def _put(tree: dict, path: tuple[str, ...], value: int | bool | str) -> None:
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = value


def _values(scenario: Scenario) -> dict[tuple[str, ...], str]:
    """What each field shows for a scenario, by the field's path."""
    values: dict[tuple[str, ...], str] = {}
    if scenario.delete_at is not None:
        values[("delete_at",)] = str(scenario.delete_at)
    if scenario.until != DEFAULT_UNTIL:
        values[("until",)] = str(scenario.until)
    if scenario.node_cpu != DEFAULT_NODE_CPU:
        values[("node", "cpu")] = format_cpu(scenario.node_cpu)
    if scenario.node_memory != DEFAULT_NODE_MEMORY:
        values[("node", "memory")] = format_memory(scenario.node_memory)
    for entry in scenario.containers:
        at = ("containers", entry.name)
        for key in ("exits_after", "exit_code", "ready_after", "fails_probes_from", "stops_in"):
            if (number := getattr(entry, key)) is not None:
                values[(*at, key)] = str(number)
        if entry.memory_grows_to is not None:
            values[(*at, "memory", "grows_to")] = format_memory(entry.memory_grows_to)
        if entry.memory_within is not None:
            values[(*at, "memory", "within")] = str(entry.memory_within)
        if entry.ignores_sigterm is not None:
            values[(*at, "ignores_sigterm")] = "ignores" if entry.ignores_sigterm else "stops"
    return values
