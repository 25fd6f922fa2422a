"""Properties of every simulated run, over small generated Pods and scenarios: the lanes cover
the run without gaps, nothing goes back in time, and the same input gives the same run."""

import json
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from learn.podspec.kubelet import simulate
from learn.podspec.scenario import ContainerScenario, Scenario
from learn.podspec.timeline import MarkKind, Phase, State, Timeline

COMMANDS = [None, ["true"], ["false"], ["sh", "-c", "sleep 3"], ["sh", "-c", "sleep 2; exit 4"]]
seconds = st.integers(min_value=0, max_value=40)


@st.composite
def probe(draw: st.DrawFn) -> dict:
    """A probe's fields, small enough to act within a short run."""
    return {
        "httpGet": {"path": "/", "port": 80},
        "initialDelaySeconds": draw(st.integers(0, 5)),
        "periodSeconds": draw(st.integers(1, 10)),
        "failureThreshold": draw(st.integers(1, 3)),
    }


@st.composite
def container(draw: st.DrawFn, name: str, *, sidecar: bool = False, app: bool = True) -> dict:
    """One container of a generated Pod, probes only where the API allows them."""
    spec: dict = {"name": name, "image": "busybox:1.36"}
    command = draw(st.sampled_from(COMMANDS))
    if command is not None:
        spec["command"] = command
    if sidecar:
        spec["restartPolicy"] = "Always"
    if app or sidecar:
        for key in ("startupProbe", "livenessProbe", "readinessProbe"):
            if draw(st.booleans()):
                spec[key] = draw(probe())
        if draw(st.booleans()):
            spec["resources"] = {"limits": {"memory": "64Mi"}}
        if draw(st.booleans()):
            spec["lifecycle"] = {"preStop": {"sleep": {"seconds": draw(st.integers(0, 8))}}}
    return spec


@st.composite
def run_input(draw: st.DrawFn) -> tuple[str, Scenario]:
    """A Pod as JSON (which is YAML) and a scenario for some of its containers."""
    inits = [draw(container(f"init{i}", app=False)) for i in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        inits.insert(draw(st.integers(0, len(inits))), draw(container("side", sidecar=True)))
    apps = [draw(container(f"app{i}")) for i in range(draw(st.integers(1, 2)))]
    spec = {
        "restartPolicy": draw(st.sampled_from(["Always", "OnFailure", "Never"])),
        "terminationGracePeriodSeconds": draw(st.integers(0, 20)),
        "initContainers": inits,
        "containers": apps,
    }
    if draw(st.booleans()):
        spec["activeDeadlineSeconds"] = draw(st.integers(1, 100))
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "gen"}, "spec": spec}
    written = []
    for c in inits + apps:
        if draw(st.booleans()):
            written.append(
                ContainerScenario(
                    c["name"],
                    exits_after=draw(st.none() | seconds),
                    exit_code=draw(st.none() | st.integers(0, 3)),
                    ready_after=draw(st.none() | seconds),
                    fails_probes_from=draw(st.none() | st.integers(0, 200)),
                    memory_grows_to=draw(
                        st.none() | st.sampled_from([Fraction(32 * 2**20), Fraction(128 * 2**20)])
                    ),
                    memory_within=draw(st.none() | seconds),
                    ignores_sigterm=draw(st.none() | st.booleans()),
                    stops_in=draw(st.none() | st.integers(0, 5)),
                )
            )
    scenario = Scenario(
        containers=tuple(written),
        delete_at=draw(st.none() | st.integers(0, 300)),
        until=draw(st.integers(1, 400)),
    )
    return json.dumps(manifest), scenario


def check_invariants(timeline: Timeline) -> None:
    """What every run must satisfy, whatever its spec and scenario."""
    end = timeline.end
    assert end > 0
    for lane in timeline.lanes:
        assert lane.intervals[0].start == 0
        assert lane.intervals[-1].end == end
        for interval, following in zip(lane.intervals, lane.intervals[1:], strict=False):
            assert interval.end == following.start
        assert all(interval.seconds > 0 for interval in lane.intervals)
        assert all(0 <= mark.time <= end for mark in lane.marks)
        times = [mark.time for mark in lane.marks]
        assert times == sorted(times)
        starts = sum(mark.kind == MarkKind.START for mark in lane.marks)
        assert lane.restarts == max(starts - 1, 0)
    assert timeline.phases[0].start == 0
    assert timeline.phases[-1].end == end
    for span, following in zip(timeline.phases, timeline.phases[1:], strict=False):
        assert span.end == following.start
        assert span.phase != following.phase
    if timeline.removed_at is not None:
        # A Pod is removed only once every container has stopped for good.
        assert all(
            lane.intervals[-1].state in (State.EXITED, State.WAITING) for lane in timeline.lanes
        )
    for items in (timeline.rows, timeline.events, timeline.conditions):
        times = [item.time for item in items]
        assert times == sorted(times)
    terminal = next(
        (span.start for span in timeline.phases if span.phase in (Phase.SUCCEEDED, Phase.FAILED)),
        None,
    )
    if terminal is not None:  # a Pod in a terminal phase starts nothing again
        assert not any(
            mark.kind == MarkKind.START and mark.time > terminal
            for lane in timeline.lanes
            for mark in lane.marks
        )


@settings(max_examples=150, deadline=None)
@given(run_input())
def test_every_run_is_well_formed_and_repeatable(given_input: tuple[str, Scenario]) -> None:
    text, scenario = given_input
    timeline = simulate(text, scenario)
    check_invariants(timeline)
    assert simulate(text, scenario).to_dict() == timeline.to_dict()
