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

from dataclasses import dataclass, field
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


def infer(container: Container) -> tuple[Behaviour, list[str]]:
    """The behaviour a container's spec implies when the scenario is silent, and the sentences
    that state each assumption made."""
    raise NotImplementedError


def behaviour(container: Container, scenario: Scenario) -> tuple[Behaviour, list[str]]:
    """infer(), overridden field by field by what the scenario wrote for this container; the
    sentences state only the assumptions that still apply."""
    raise NotImplementedError
