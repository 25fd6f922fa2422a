"""Ready-made scenarios for a workload's run, computed from its spec, so that every example and
every learner's spec has a few worth trying: "As written", a deletion, its first app crashing,
starting slowly, outgrowing its memory limit, ignoring SIGTERM...

Each preset is scenario YAML (the format learn.podspec.scenario reads). Titles say what happens to
the Pod, never what comes of it: finding that out is what the run is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from learn.podspec.model import Container, ProbeKind, Role, Workload
from learn.podspec.quantity import format_cpu, format_memory
from learn.podspec.scenario import Tree, infer, tree_text

DELETE_AT = 30  # late enough for a Pod that starts at once to be running and ready
JOB_DELETE_AT = 5  # a Job's Pod is deleted while its worker works (assumed 10 s when unsaid)
CRASH_AFTER = 5
SLOW_START = 60  # longer than the default liveness budget (3 failures x 10 s)
PROBES_FAIL_FROM = 60
GROWTH_SECONDS = 30


@dataclass(frozen=True)
class Preset:
    """A named scenario: `scenario_text` is its YAML ("" for the spec as written)."""

    slug: str
    title: str
    scenario_text: str


def presets(workload: Workload) -> list[Preset]:
    """The scenarios worth offering for this workload's Pod, "As written" first."""
    pod = workload.pod
    app = next(iter(pod.apps), None)
    delete_at = DELETE_AT if workload.job is None else _while_at_work(workload, app)
    found = [
        Preset("as-written", "As written", ""),
        Preset("delete", f"Delete the Pod at {delete_at} s", tree_text({"delete_at": delete_at})),
    ]
    if app is not None:
        found.extend(_app_presets(app, delete_at))
    init = next((c for c in pod.containers if c.role == Role.INIT), None)
    if init is not None:
        failing = {"exits_after": 1, "exit_code": 1}
        found.append(Preset("init-fails", f"{init.name} fails (exit 1)", _for(init, failing)))
    cpu = pod.effective_request("cpu")
    if cpu > 0:
        # Half of what the Pod asks for: the scheduler finds no room for it.
        node = {"node": {"cpu": format_cpu(cpu / 2)}}
        title = f"The node has only {format_cpu(cpu / 2)} CPU to give"
        found.append(Preset("small-node", title, tree_text(node)))
    return found


def _while_at_work(workload: Workload, app: Container | None) -> int:
    """When to delete a Job's Pod so that the deletion is seen: half-way through its worker's
    work, at most JOB_DELETE_AT seconds in."""
    if app is None:
        return JOB_DELETE_AT
    done = infer(app, batch=workload.is_job_worker(app))[0].exits_after
    return JOB_DELETE_AT if done is None else min(JOB_DELETE_AT, max(1, done // 2))


def _app_presets(app: Container, delete_at: int) -> list[Preset]:
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
    ignores = {"delete_at": delete_at, "containers": {name: {"ignores_sigterm": True}}}
    title = f"{name} ignores SIGTERM, and the Pod is deleted at {delete_at} s"
    found.append(Preset("ignores-sigterm", title, tree_text(ignores)))
    return found


def _for(container: Container, behaviour: Tree) -> str:
    return tree_text({"containers": {container.name: behaviour}})


def _whole_mebibytes(amount: Fraction) -> Fraction:
    mebibyte = 2**20
    return Fraction(-(-amount // mebibyte) * mebibyte)
