"""Exercise goals: small declarative checks over the engine's model, so any YAML with the right
structure passes, not one exact text. Authors write goals in content files as YAML mappings:

    - text: log-shipper is a native sidecar        # what the learner sees in the checklist
      container: {name: log-shipper, role: sidecar}

Vocabulary (one key besides `text` per goal):
- `kind: Job`                                   the object is of this kind
- `container: {name: web, role: app, image: nginx}`  a container with this name exists (role
  init | sidecar | app and an image name prefix are optional)
- `containers: {role: app, count: 2}`           exactly this many containers with this role
- `shared_volume: [web, log-shipper]`           the containers all mount one same volume
- `mount: {container: x, volume: v, path: /p, read_only: true}`  a mount with these properties
  (give any of volume, path, read_only)
- `volume: {name: v, type: emptyDir}`            a volume (name and/or type)
- `starts_before: [a, b]`                       a starts before b (a's start step is earlier)
- `port: {number: 8080, declared_by: web}`      exactly one container declares the port: this one
- `effective_request: {cpu: 700m}`              the pod's effective request (cpu and/or memory)
- `request: {container: x, cpu: 250m, memory: 128Mi}` / `limit: {...}`  a container's amounts
- `image_pinned: web`                           the container's image has a tag other than latest
                                                or a digest
- `restart_policy: Never`                       the pod's restartPolicy
- `runtime_class: gvisor`                       the pod's spec.runtimeClassName
- `share_process_namespace: true`               the pod's spec.shareProcessNamespace
- `replicas: 3` / `api_version: apps/v1`        the workload's spec.replicas / apiVersion
- `job: {parallelism: 3, completions: 9, completion_mode: Indexed}`  a Job's spec has these values
                                                after the API server's defaults (give any of the
                                                three; `completions: null` means left unset, as a
                                                work-queue Job leaves it)
- `image_digest: web`                           the container's image is pinned by a sha256 digest
- `command: {container: x, contains: "localhost:80"}`  the container's command and args, joined
                                                with spaces, contain this text
- `env: {container: x, name: DB_HOST, value: db}`  the container sets this environment variable
                                                (value optional: then its literal `value` must be
                                                exactly this text)
- `probe: {container: x, type: startup, handler: httpGet, path: /healthz, port: 8080,
  min_budget: 60}`                              the container has this probe (type: startup,
                                                liveness or readiness; the rest optional; port is
                                                a number or a port name; min_budget in seconds is
                                                initialDelaySeconds + failureThreshold x
                                                periodSeconds, with Kubernetes' defaults 0, 3, 10)
- `no_probe: {container: x, type: liveness}`    the container has no probe of this type
- `no_finding: port-conflict`                   the engine reports nothing with this code
- `no_errors: true`                             the engine finds no error

Run goals judge a simulated run of the Pod (kubelet.simulate, with the exercise's scenario), not
the spec; without a run they are not met (`needs_run` says whether a list of goals needs one):
- `run_completes: true`                         the Pod reaches Succeeded within the run (a Job's
                                                Pod completes)
- `run_ready_within: 30`                        the Pod's Ready condition is True by 30 s
- `run_no_restarts: 300`                        no container restarts in the run's first 300 s
- `run_stops_after: [proxy, app]`               proxy's last exit is after app's (the sidecar
                                                outlives the app it serves)
- `run_gone_within: 10`                         a deleted Pod is removed within 10 s of its deletion
- `run_no_sigkill: true`                        the kubelet never has to SIGKILL a container
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from learn.podspec.diagnostics import Report
from learn.podspec.kubelet import NotRunnable, simulate
from learn.podspec.model import (
    Container,
    Probe,
    ProbeKind,
    Workload,
    image_reference,
    mappings,
    text,
)
from learn.podspec.quantity import parse_quantity
from learn.podspec.scenario import MAX_UNTIL, Scenario, ScenarioError
from learn.podspec.timeline import MarkKind, Phase, State, Timeline

# A goal's check: the report and the goal's value as the author wrote it (shape checked by check_goal).
Goal = Callable[[Report, Any], bool]


class GoalError(ValueError):
    """A goal written wrongly in the content."""


def _workload(report: Report) -> Workload | None:
    return report.workloads[0] if report.workloads else None


def _container(report: Report, name: str) -> Container | None:
    workload = _workload(report)
    return workload.pod.container(name) if workload else None


def _kind(report: Report, kind: str) -> bool:
    workload = _workload(report)
    return workload is not None and workload.kind == kind


def _container_goal(report: Report, spec: dict) -> bool:
    container = _container(report, spec["name"])
    if container is None:
        return False
    if "role" in spec and container.role != spec["role"]:
        return False
    return "image" not in spec or (container.image or "").startswith(spec["image"])


def _containers_goal(report: Report, spec: dict) -> bool:
    workload = _workload(report)
    if workload is None:
        return False
    roles = [c.role for c in workload.pod.containers if c.role == spec.get("role", c.role)]
    return len(roles) == spec["count"]


def _shared_volume(report: Report, names: list) -> bool:
    workload = _workload(report)
    if workload is None:
        return False
    volumes = [
        {m.volume for m in workload.pod.mounts if m.container == name and m.defined}
        for name in names
    ]
    return bool(set.intersection(*volumes)) if volumes else False


def _mount(report: Report, spec: dict) -> bool:
    workload = _workload(report)
    if workload is None:
        return False
    for mount in workload.pod.mounts:
        if mount.container != spec["container"] or not mount.defined:
            continue
        if "volume" in spec and mount.volume != spec["volume"]:
            continue
        if "path" in spec and mount.mount_path.rstrip("/") != str(spec["path"]).rstrip("/"):
            continue
        if "read_only" in spec and mount.read_only != spec["read_only"]:
            continue
        return True
    return False


def _volume(report: Report, spec: dict) -> bool:
    workload = _workload(report)
    return workload is not None and any(
        spec.get("name", v.name) == v.name and spec.get("type", v.type) == v.type
        for v in workload.pod.volumes
    )


def _starts_before(report: Report, names: list) -> bool:
    workload = _workload(report)
    if workload is None:
        return False
    steps = workload.pod.start_steps()
    first, second = names
    return first in steps and second in steps and steps[first] < steps[second]


def _port(report: Report, spec: dict) -> bool:
    workload = _workload(report)
    if workload is None:
        return False
    owners = {p.container for p in workload.pod.ports if p.number == spec["number"]}
    return owners == {spec["declared_by"]}


def _amounts_match(actual: dict, spec: dict) -> bool:
    for resource in ("cpu", "memory"):
        if resource in spec and actual.get(resource) != parse_quantity(spec[resource]):
            return False
    return True


def _effective_request(report: Report, spec: dict) -> bool:
    workload = _workload(report)
    if workload is None:
        return False
    actual = {r: workload.pod.effective_request(r) for r in ("cpu", "memory")}
    return _amounts_match(actual, spec)


def _resources(kind: str) -> Goal:
    def check(report: Report, spec: dict) -> bool:
        container = _container(report, spec["container"])
        if container is None:
            return False
        return _amounts_match(getattr(container, kind), spec)

    return check


def _image_pinned(report: Report, name: str) -> bool:
    container = _container(report, name)
    tag, digest = image_reference((container.image or "") if container else "")
    return digest is not None or tag not in (None, "", "latest")


def _spec_value(key: str) -> Goal:
    def check(report: Report, wanted: object) -> bool:
        workload = _workload(report)
        return (
            workload is not None
            and text(workload.pod.spec.get(key) if workload.pod.spec else None) == wanted
        )

    return check


DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
PROBE_TYPES = tuple(ProbeKind)


def _image_digest(report: Report, name: str) -> bool:
    container = _container(report, name)
    return bool(container and DIGEST.search(container.image or ""))


def _command(report: Report, spec: dict) -> bool:
    container = _container(report, spec["container"])
    if container is None:
        return False
    words = (*(container.command or ()), *(container.args or ()))
    return str(spec["contains"]) in " ".join(words)


def _env(report: Report, spec: dict) -> bool:
    container = _container(report, spec["container"])
    if container is None or spec["name"] not in container.env:
        return False
    if "value" not in spec:
        return True
    # The model keeps only the names; the value is read from the container's own YAML.
    return any(
        text(var.get("name")) == spec["name"] and text(var.get("value")) == spec["value"]
        for _, var in mappings(container.node.get("env"))
    )


def _probe_of(report: Report, spec: dict) -> Probe | None:
    container = _container(report, spec["container"])
    return container.probe(spec["type"]) if container else None


def _probe(report: Report, spec: dict) -> bool:
    probe = _probe_of(report, spec)
    if probe is None:
        return False
    handler = probe.handler
    if "handler" in spec and (handler.kind if handler else None) != spec["handler"]:
        return False
    if "path" in spec and (handler.path if handler else None) != spec["path"]:
        return False
    if "port" in spec and str(handler.port if handler else None) != str(spec["port"]):
        return False
    return probe.budget_seconds >= spec.get("min_budget", 0)


def _no_probe(report: Report, spec: dict) -> bool:
    return _container(report, spec["container"]) is not None and _probe_of(report, spec) is None


def _workload_value(name: str) -> Goal:
    def check(report: Report, wanted: object) -> bool:
        workload = _workload(report)
        return workload is not None and getattr(workload, name) == wanted

    return check


# The JobSpec fields a `job` goal may name.
JOB_FIELDS = ("parallelism", "completions", "completion_mode")


def _job(report: Report, spec: dict) -> bool:
    workload = _workload(report)
    job = workload.job if workload else None
    return job is not None and all(getattr(job, key) == wanted for key, wanted in spec.items())


def _share_process_namespace(report: Report, wanted: object) -> bool:
    workload = _workload(report)
    return workload is not None and workload.pod.share_process_namespace == bool(wanted)


GOALS: dict[str, Goal] = {
    "kind": _kind,
    "container": _container_goal,
    "containers": _containers_goal,
    "shared_volume": _shared_volume,
    "mount": _mount,
    "volume": _volume,
    "starts_before": _starts_before,
    "port": _port,
    "effective_request": _effective_request,
    "request": _resources("requests"),
    "limit": _resources("limits"),
    "image_pinned": _image_pinned,
    "restart_policy": _spec_value("restartPolicy"),
    "runtime_class": _spec_value("runtimeClassName"),
    "share_process_namespace": _share_process_namespace,
    "replicas": _workload_value("replicas"),
    "api_version": _workload_value("api_version"),
    "job": _job,
    "image_digest": _image_digest,
    "command": _command,
    "env": _env,
    "probe": _probe,
    "no_probe": _no_probe,
    # Only of a spec that was checked: YAML that does not parse has no findings, nor anything right.
    "no_finding": lambda report, code: (
        _workload(report) is not None and all(d.code != code for d in report.diagnostics)
    ),
    "no_errors": lambda report, wanted: report.ok == bool(wanted),
}
REQUIRED_KEYS = {
    "container": {"name"},
    "containers": {"count"},
    "mount": {"container"},
    "port": {"number", "declared_by"},
    "request": {"container"},
    "limit": {"container"},
    "command": {"container", "contains"},
    "env": {"container", "name"},
    "probe": {"container", "type"},
    "no_probe": {"container", "type"},
}


# A run goal's check: the simulated run and the goal's value as the author wrote it.
RunGoal = Callable[[Timeline, Any], bool]
# The states of a container whose process is alive: a run > 0 in one of them is a restart.
LIVE = (State.STARTING, State.RUNNING, State.READY, State.TERMINATING)


def _run_completes(run: Timeline, wanted: object) -> bool:
    return any(span.phase == Phase.SUCCEEDED for span in run.phases) == bool(wanted)


def _run_ready_within(run: Timeline, seconds: int) -> bool:
    return any(c.condition == "Ready" and c.status and c.time <= seconds for c in run.conditions)


def _run_no_restarts(run: Timeline, seconds: int) -> bool:
    return not any(
        interval.run > 0 and interval.state in LIVE and interval.start <= seconds
        for lane in run.lanes
        for interval in lane.intervals
    )


def _last_exit(run: Timeline, name: str) -> int | None:
    lane = run.lane(name)
    exits = [m.time for m in lane.marks if m.kind == MarkKind.EXIT] if lane else []
    return max(exits, default=None)


def _run_stops_after(run: Timeline, names: list) -> bool:
    last, *others = (_last_exit(run, name) for name in names)
    return last is not None and all(t is not None and last > t for t in others)


def _run_gone_within(run: Timeline, seconds: int) -> bool:
    deleted, removed = run.deleted_at, run.removed_at
    return deleted is not None and removed is not None and removed - deleted <= seconds


def _run_no_sigkill(run: Timeline, wanted: object) -> bool:
    killed = any(
        m.kind == MarkKind.SIGNAL and m.detail == "SIGKILL"
        for lane in run.lanes
        for m in lane.marks
    )
    return killed != bool(wanted)


RUN_GOALS: dict[str, RunGoal] = {
    "run_completes": _run_completes,
    "run_ready_within": _run_ready_within,
    "run_no_restarts": _run_no_restarts,
    "run_stops_after": _run_stops_after,
    "run_gone_within": _run_gone_within,
    "run_no_sigkill": _run_no_sigkill,
}
SECONDS_GOALS = ("run_ready_within", "run_no_restarts", "run_gone_within")
NAMES_GOALS = ("shared_volume", "starts_before", "run_stops_after")


def needs_run(goals: Iterable[dict]) -> bool:
    """Whether any of these goals judges a simulated run of the Pod."""
    return any(key in RUN_GOALS for goal in goals for key in goal)


def simulated(
    goals: Iterable[dict],
    report: Report,
    scenario: Scenario | str | None,
    *,
    kubernetes_version: str | None = None,
) -> Timeline | None:
    """The run the goals' run goals judge: the checked Pod through the scenario (an exercise's
    `scenario` text will do); None when no goal needs a run, or when the spec cannot run (its
    run goals are then simply not met)."""
    if not needs_run(goals):
        return None
    try:
        # "" is an exercise without a scenario: every container as its spec says.
        return simulate(report, scenario or None, kubernetes_version=kubernetes_version)
    except (NotRunnable, ScenarioError):
        return None


def check_goal(goal: object) -> str | None:
    """Why a goal is written wrongly, or None when it is fine."""
    if (
        not isinstance(goal, dict)
        or not isinstance(goal.get("text"), str)
        or not goal["text"].strip()
    ):
        return "each goal is a mapping with a `text` for the checklist"
    keys = [k for k in goal if k != "text"]
    if len(keys) != 1 or keys[0] not in GOALS | RUN_GOALS:
        return (
            f"a goal needs exactly one of: {', '.join(GOALS | RUN_GOALS)} "
            f"(found: {', '.join(keys) or 'none'})"
        )
    key, value = keys[0], goal[keys[0]]
    missing = REQUIRED_KEYS.get(key, set()) - set(value if isinstance(value, dict) else {})
    if missing:
        return f"`{key}` needs {', '.join(sorted(missing))}"
    if key in ("probe", "no_probe") and value["type"] not in PROBE_TYPES:
        return f"`{key}` type must be one of {', '.join(PROBE_TYPES)}"
    if key in NAMES_GOALS and not (
        isinstance(value, list) and len(value) >= 2 and all(isinstance(v, str) for v in value)
    ):
        return f"`{key}` takes a list of container names"
    if key in SECONDS_GOALS and not (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_UNTIL
    ):
        return f"`{key}` takes a whole number of seconds from 0 to {MAX_UNTIL}"
    if key == "job" and not (isinstance(value, dict) and value and set(value) <= set(JOB_FIELDS)):
        return f"`job` takes one or more of: {', '.join(JOB_FIELDS)}"
    if key == "env" and not isinstance(value.get("value", ""), str):
        return "`env` value is the text the variable must hold (quote numbers)"
    if key in ("run_completes", "run_no_sigkill") and not isinstance(value, bool):
        return f"`{key}` takes true or false"
    return None


def met(goal: dict, report: Report, run: Timeline | None = None) -> bool:
    """Whether the report's model (or, for a run goal, the simulated run) meets the goal."""
    key = next(k for k in goal if k != "text")
    try:
        if key in RUN_GOALS:
            return run is not None and bool(RUN_GOALS[key](run, goal[key]))
        return bool(GOALS[key](report, goal[key]))
    except (KeyError, TypeError, ValueError):
        return False
