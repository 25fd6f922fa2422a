"""The lifecycle simulator: a deterministic model of what the scheduler and the kubelet do with
one Pod, from its creation to its end, given a scenario of what its containers do.

    >>> timeline = simulate(text, parse_scenario("delete_at: 30"))
    >>> timeline.rows, timeline.events, timeline.lanes

Every rule is the documented behaviour of Kubernetes v1.35 (the sources are cited beside each
rule); where reality is not deterministic, the module makes one simple, stated choice.
"""

from __future__ import annotations

from learn.podspec.diagnostics import Report
from learn.podspec.scenario import Scenario
from learn.podspec.timeline import Timeline


class NotRunnable(ValueError):
    """The input cannot be run: it holds no Pod or pod template, or the API server would reject
    it (the message says which and why)."""


def simulate(
    report_or_text: Report | str,
    scenario: Scenario | str | None = None,
    *,
    kubernetes_version: str | None = None,
    workload: int = 0,
) -> Timeline:
    """Run the `workload`-th Pod or pod template of a checked spec through `scenario`.

    Raises NotRunnable when there is nothing to run or the spec has errors, and ScenarioError
    when the scenario (given as YAML text) is wrong or names containers the Pod lacks.
    """
    raise NotImplementedError
