"""The lifecycle simulator: a deterministic model of what the scheduler and the kubelet do with
one Pod, from its creation to its end, given a scenario of what its containers do.

    >>> timeline = simulate(text, parse_scenario("delete_at: 30"))
    >>> timeline.rows, timeline.events, timeline.lanes

Every rule is the documented behaviour of Kubernetes v1.35 (the sources are cited beside each
rule); where reality is not deterministic, the module makes one simple, stated choice.

It is a small discrete-event simulation: a queue of (second, sequence, action) so that actions
at the same second keep the order they were planned in; each container is a state machine
(`_Box`); the Pod-level logic (scheduling, init order, phase, conditions, termination order)
runs after every action (`_Sim._settle`). Probes live in probes.py.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from learn.podspec import kubectl, probes, rules
from learn.podspec.check import check
from learn.podspec.diagnostics import Report, Severity
from learn.podspec.model import Container, HandlerKind, Pod, ProbeKind, Role, Workload
from learn.podspec.quantity import format_cpu, format_memory
from learn.podspec.scenario import (
    Behaviour,
    Scenario,
    ScenarioError,
    behaviour,
    check_against,
    parse_scenario,
    plain_number,
)
from learn.podspec.timeline import (
    ConditionChange,
    Event,
    Interval,
    Lane,
    Mark,
    MarkKind,
    Phase,
    PhaseSpan,
    State,
    StatusRow,
    Timeline,
)
from learn.podspec.wording import count

NODE = "node-1"
NAMESPACE = "default"
# A real cluster gives each Pod a random UID; the run uses this one (stated in its assumptions
# when an event shows it).
POD_UID = "0b6f3c1e-8d2a-4f7b-9c5e-2a1d7e4b8f60"
# pod-lifecycle "Container restarts": "exponential backoff delay (10s, 20s, 40s, …), that is
# capped at 300 seconds (5 minutes). Once a container has executed for 10 minutes without any
# problems, the kubelet resets the restart backoff timer"; "How Pods handle problems with
# containers": "Initial crash: Kubernetes attempts an immediate restart".
BACKOFF_FIRST, BACKOFF_CAP, BACKOFF_RESET = 10, 300, 600
# Exit codes a runtime records for a process ended by a signal: 128 + the signal's number.
EXIT_SIGKILL = 128 + 9
# What one run may cost: the actions it plays, plus the containers the Pod-level logic walks
# after each action that changed a state (about 5 microseconds each). A 30-container Pod
# failing its probes every second for an hour needs about 110,000.
MAX_WORK = 150_000
MIN_SHUTDOWN = 2  # seconds from SIGTERM to SIGKILL at the least (see _Sim.kill)
# The letters Kubernetes draws generated name suffixes from (apimachinery util/rand: no vowels,
# no digits that read as letters, so no words).
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
RUN_ASSUMPTIONS = (
    "Images are already on the node: pulling, creating and starting a container take no time.",
    "Scheduling is instant: the Pod is bound at 0 s when the node has room for it.",
)
PROBE_ASSUMPTION = (
    "A liveness or startup probe first runs one periodSeconds after initialDelaySeconds (on a "
    "node, at some moment within that period), then every periodSeconds, so a container gets "
    "exactly initialDelaySeconds + failureThreshold \u00d7 periodSeconds before failing probes "
    "stop it; a readiness probe runs as soon as the container has started (after its "
    "initialDelaySeconds); a failing probe fails at once (its timeoutSeconds never elapses)."
)
POST_START_ASSUMPTION = "postStart hooks finish at once and never fail."
IDENTITY_ASSUMPTION = (
    f"The Pod's IP is {probes.POD_IP} and its UID {POD_UID}, as the events show them; a real "
    "cluster assigns others."
)
SIGTERM_ASSUMPTION = (
    "A container that handles SIGTERM is assumed to stop cleanly, with exit code 0; a program "
    "that handles it and then exits with 143 (a JVM does), or a child that SIGTERM ends under an "
    "init such as tini, records 143 (128 + 15)."
)


class NotRunnable(ValueError):
    """The input cannot be run: it holds no Pod or pod template, or the API server would reject
    it (the message says which and why)."""


def _refusal(report: Report, kind: str) -> str:
    """Why a spec with errors is not run: what the API server does with it, and its first error."""
    errors = report.errors
    first = next(d for d in report.sorted() if d.severity is Severity.ERROR)
    # A workload whose only errors are left to its Pods' creation (a StatefulSet's template, the
    # Pods' defaults) is stored, and its Pods refused.
    outcome = rules.accepted_outcome(errors, kind)
    verdict = (
        f"the API server accepts this {kind} {outcome}"
        if outcome
        else "the API server would reject this spec"
    )
    reason = first.message.partition(rules.ACCEPTED)[0]
    return f"{verdict}: fix its {count(len(errors), 'error')} first (line {first.line}: {reason})"


@dataclass(eq=False)
class _Box:
    """One container's state in the run; `token` changes with each run and each kill, so that
    actions planned for an earlier run are ignored."""

    spec: Container
    behaviour: Behaviour
    lane: Lane
    state: State = State.WAITING
    since: int = 0
    since_run: int = 0  # the run the current state belongs to
    run: int = -1  # -1: never started
    token: int = 0
    started_at: int = 0
    started: bool = False  # its startup probe succeeded (or it has none)
    ready: bool = False
    done: bool = False  # ended and will not run again
    stopping: bool = False  # killed: hook or signal under way
    awaiting_turn: bool = False  # a sidecar told to stop whose SIGTERM waits for its turn
    hook_done: int = 0  # when its preStop hook ends (or ended)
    kill_deadline: int | None = None
    crashes: int = 0  # restarts since the back-off was last reset
    backoff: int = 0  # the delay of the latest back-off
    exits: list[tuple[int, int, str]] = field(default_factory=list)  # (time, code, reason)
    counts: dict[ProbeKind, list[int]] = field(default_factory=dict)  # [successes, failures]
    last_ok: dict[ProbeKind, bool] = field(default_factory=dict)  # the last result marked

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def role(self) -> Role:
        return self.spec.role

    @property
    def running(self) -> bool:
        return self.state in (State.STARTING, State.RUNNING, State.READY, State.TERMINATING)


@dataclass(eq=False)
class _Action:
    """Something planned: queued as (time, seq, action) so that ties keep the planned order."""

    time: int
    do: Callable[[], None]
    box: _Box | None = None
    token: int = 0
    probe: ProbeKind | None = None

    @property
    def stale(self) -> bool:
        return self.box is not None and self.box.token != self.token


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
    report = (
        report_or_text
        if isinstance(report_or_text, Report)
        else check(report_or_text, kubernetes_version=kubernetes_version)
    )
    if not report.workloads or not 0 <= workload < len(report.workloads):
        errors = report.errors
        raise NotRunnable(errors[0].message if errors else "no Pod or pod template in the input")
    if report.errors:
        raise NotRunnable(_refusal(report, report.workloads[workload].kind))
    chosen = report.workloads[workload]
    if scenario is None:
        scenario = Scenario()
    elif isinstance(scenario, str):
        # Parsed against the Pod's containers, so that a misspelt name is reported with the
        # scenario's other problems rather than after they are fixed.
        scenario = parse_scenario(scenario, chosen.pod.containers)
    problems = check_against(scenario, chosen.pod.containers)
    if problems:
        raise ScenarioError(problems)
    timeline = _Sim(chosen, scenario).run()
    others = len(report.workloads) - 1
    if others:  # one Pod is run: say which, so the others are not thought to be in it
        what = f"{chosen.kind} `{chosen.name}`" if chosen.name else f"the {chosen.kind}"
        whose = what if chosen.kind == "Pod" else f"the Pod of {what}"
        timeline.assumptions.insert(
            0,
            f"The input describes {others + 1} workloads with Pods: this run is of "
            f"{'the first' if workload == 0 else f'number {workload + 1}'}, {whose}, alone "
            "(put another first to run it).",
        )
    return timeline


def pod_name(workload: Workload) -> str:
    """The name kubectl would show for the workload's Pod: a controller's Pod gets generated
    suffixes (here derived from the name, so that a run is the same every time)."""
    name = workload.name or workload.pod.name or workload.kind.lower()
    if workload.kind == "Pod":
        return name

    def suffix(salt: str, length: int) -> str:
        digest = hashlib.sha256(f"{salt}/{name}".encode()).digest()
        return "".join(SUFFIX_ALPHABET[b % len(SUFFIX_ALPHABET)] for b in digest[:length])

    # ReplicaSet names: <deployment>-<pod-template-hash>; Job names from a CronJob:
    # <cronjob>-<scheduled time in minutes>; StatefulSet Pods: <name>-<ordinal>.
    if workload.kind == "StatefulSet":
        return f"{name}-0"
    if workload.kind == "Deployment":
        return f"{name}-{suffix('template', 10)}-{suffix('pod', 5)}"
    if workload.kind == "CronJob":
        minutes = int.from_bytes(hashlib.sha256(name.encode()).digest()[:3]) + 29_000_000
        return f"{name}-{minutes}-{suffix('pod', 5)}"
    return f"{name}-{suffix('pod', 5)}"


class _Sim:
    """One run of one Pod."""

    def __init__(self, workload: Workload, scenario: Scenario):
        self.workload = workload
        self.pod: Pod = workload.pod
        self.scenario = scenario
        self.name = pod_name(workload)
        self.assumptions: list[str] = []
        self.boxes: list[_Box] = []
        for container in self.pod.containers:
            does, sentences = behaviour(
                container, scenario, batch=workload.is_job_worker(container)
            )
            self.assumptions += sentences
            self.boxes.append(_Box(container, does, Lane(container.name, container.role)))
        self.queue: list[tuple[int, int, _Action]] = []
        self.seq = 0
        self.now = 0
        self.last_change = 0
        self.changed = False
        self.clean_stops = False  # a container stopped on SIGTERM with the assumed exit code 0
        self.cut_at: int | None = None  # where the run stopped for its cost, if it did
        self.events: list[Event] = []
        self.rows: list[StatusRow] = []
        self.phases: list[PhaseSpan] = []
        self.phase = Phase.PENDING
        self.phase_since = 0
        self.conditions: dict[str, bool] = {}
        self.changes: list[ConditionChange] = []
        self.scheduled = False
        self.initialized = False
        self.next_step = 0  # index in init_steps of the init container or sidecar to start next
        self.terminating = False  # containers are being stopped for good
        self.deleting = False  # metadata.deletionTimestamp is set
        self.deleted_at: int | None = None
        self.removed_at: int | None = None
        self.reason = ""  # status.reason (DeadlineExceeded, OutOfcpu...)
        self.job_failure = ""  # why the Job controller failed the Job (BackoffLimitExceeded)
        self.unschedulable = ""
        self.ended_at: int | None = None  # the Pod reached Succeeded or Failed
        self.deadline = 0  # when termination's grace period ends

    # -- the queue ---------------------------------------------------------------------------

    def at(
        self,
        time: int,
        do: Callable[[], None],
        box: _Box | None = None,
        probe: ProbeKind | None = None,
    ) -> None:
        """Plan an action; one tied to a box is dropped if the box's run changes meanwhile."""
        self.seq += 1
        token = box.token if box else 0
        heapq.heappush(self.queue, (time, self.seq, _Action(time, do, box, token, probe)))

    def run(self) -> Timeline:
        """Play the queue until nothing can change any more or the horizon is reached."""
        self._start_pod()
        self._snapshot()
        quiet = False
        until = self.scenario.until
        work = 0  # actions done, plus the containers walked after each that changed a state
        while self.queue:
            action = self.queue[0][2]
            if action.stale:
                heapq.heappop(self.queue)
                continue
            if action.probe is not None and action.time > self.now:
                target = probes.quiet_until(self, until)
                if target is None:
                    quiet = True
                    break
                if target > action.time:
                    probes.skip_to(self, target)
                    continue
            if action.time >= until:
                break
            work += 1
            if work > MAX_WORK:
                self.cut_at = self.now
                break
            heapq.heappop(self.queue)
            self.now = action.time
            action.do()
            if self.changed:  # most probe results change nothing the Pod-level logic reads
                work += len(self.boxes)
                self._settle()
                self._snapshot()
        finished = self.ended_at is not None or self.removed_at is not None
        if self.cut_at is not None:
            end = self.cut_at
        elif finished or quiet or not self.queue:
            end = min(until, self.last_change + max(10, self.last_change // 5))
        else:
            end = until
        return self._timeline(max(end, self.last_change + 1), finished)

    # -- recording ---------------------------------------------------------------------------

    def touch(self, status: bool = True) -> None:
        """Note that something changed now; `status`: something kubectl's columns read."""
        self.changed = self.changed or status
        self.last_change = max(self.last_change, self.now)

    def event(self, kind: str, reason: str, message: str, box: _Box | None = None) -> None:
        """Record an Event as `kubectl describe pod` lists it."""
        source = "default-scheduler" if reason in ("Scheduled", "FailedScheduling") else "kubelet"
        name = box.name if box else None
        # pkg/kubelet/container/ref.go: a container's events refer to it by its place in the spec.
        spec = "initContainers" if box and box.role in (Role.INIT, Role.SIDECAR) else "containers"
        path = f"spec.{spec}{{{name}}}" if name else None
        self.events.append(Event(self.now, kind, reason, source, message, name, path))
        self.touch(status=False)

    def mark(
        self, box: _Box, kind: MarkKind, detail: str = "", ok: bool = True, code: int | None = None
    ) -> None:
        """Record a moment on a container's lane."""
        box.lane.marks.append(Mark(self.now, kind, detail, ok, code))
        self.touch(status=False)

    def enter(self, box: _Box, state: State) -> None:
        """Move a container to a new state from now on."""
        if state == box.state:
            return
        if self.now > box.since:
            box.lane.intervals.append(Interval(box.state, box.since, self.now, box.since_run))
        box.state, box.since, box.since_run = state, self.now, max(box.run, 0)
        self.touch()

    def _snapshot(self) -> None:
        """Append a `kubectl get pod -w` row when READY, STATUS or RESTARTS changed (the count:
        the age of the last restart, "2 (15s ago)", changes by itself every second)."""
        if not self.changed:
            return
        self.changed = False
        ready, status, restarts = kubectl.columns(self.status(), self.now)
        last = self.rows[-1] if self.rows else None
        count = restarts.split(" ", 1)[0]
        if last and (last.ready, last.status, last.restarts.split(" ", 1)[0]) == (
            ready,
            status,
            count,
        ):
            return
        self.rows.append(StatusRow(self.now, ready, status, restarts, self.phase))

    def status(self) -> kubectl.PodStatus:
        """The Pod's status now, as the API server would hold it."""
        return kubectl.PodStatus(
            phase=self.phase,
            init_containers=tuple(
                self._container_status(b) for b in self.boxes if b.role != Role.APP
            ),
            containers=tuple(self._container_status(b) for b in self.boxes if b.role == Role.APP),
            reason=self.reason,
            deleting=self.deleting,
            conditions=dict(self.conditions),
            reported=self.scheduled,
        )

    def _container_status(self, box: _Box) -> kubectl.ContainerStatus:
        exits = box.exits
        code, previous = 0, exits[-1][0] if exits else None  # lastState: the latest exit
        if box.running:
            state, reason = "running", ""
        elif box.state == State.BACKOFF:
            state, reason = "waiting", "CrashLoopBackOff"
        elif exits:
            state, (_, code, reason) = "terminated", exits[-1]
            previous = exits[-2][0] if len(exits) > 1 else None
        else:
            # Not started yet: the kubelet reports PodInitializing until the init steps are
            # done; a Pod no kubelet has has no container statuses to report at all.
            state, reason = "waiting", "PodInitializing" if self.scheduled else ""
        return kubectl.ContainerStatus(
            box.name,
            state,
            reason,
            exit_code=code,
            ready=box.ready and box.running,
            started=box.started and box.running,
            restart_count=box.lane.restarts,
            last_terminated_at=previous,
            restartable=box.role == Role.SIDECAR,
        )

    def set_condition(self, condition: str, status: bool, reason: str = "") -> None:
        """Change a Pod condition (recorded only when its status changes); `reason` is the one
        it has when False."""
        if self.conditions.get(condition) == status:
            return
        self.conditions[condition] = status
        same = [c for c in self.changes if c.condition == condition]
        if same and same[-1].time == self.now:
            # Changed twice in one second: only where it ends up is seen.
            self.changes.remove(same[-1])
            if len(same) > 1 and same[-2].status == status:
                return
        self.changes.append(ConditionChange(self.now, condition, status, "" if status else reason))
        self.touch()

    def set_phase(self, phase: Phase) -> None:
        """Change the Pod's phase."""
        if phase == self.phase:
            return
        if self.now > self.phase_since:
            self.phases.append(PhaseSpan(self.phase, self.phase_since, self.now))
        self.phase, self.phase_since = phase, self.now
        if phase in (Phase.SUCCEEDED, Phase.FAILED):
            self.ended_at = self.now
        self.touch()

    # -- the Pod -----------------------------------------------------------------------------

    def _start_pod(self) -> None:
        """Scheduling at 0 s (rule 1) and the scenario's outside events."""
        short = self._insufficient()
        if self.pod.node_name:
            # Scheduling: a Pod with spec.nodeName skips the scheduler and goes to that node's
            # kubelet, whose admission rejects it when the resources do not fit
            # (pkg/kubelet/lifecycle/predicate.go: reason "OutOf<resource>").
            if short:
                self.reason = f"OutOf{short[0]}"
                self.event("Warning", self.reason, f"Node didn't have enough resource: {short[0]}")
                self.set_phase(Phase.FAILED)
                return
        elif short:
            # scheduling-eviction/kube-scheduler "Node selection": no feasible node → Pending.
            listed = ", ".join(f"1 Insufficient {r}" for r in short)
            self.unschedulable = " and ".join(short)
            self.set_condition("PodScheduled", False, "Unschedulable")
            # FitError.Error() (pkg/scheduler/framework/types.go) joins its parts with " %v.";
            # the DefaultPreemption PostFilter adds "preemption: " and its own FitError, whose
            # one node has no lower-priority Pod to evict ("No preemption victims found for
            # incoming pod", defaultpreemption SelectVictimsOnNode): hence the final "..".
            victims = "1 No preemption victims found for incoming pod"
            self.event(
                "Warning",
                "FailedScheduling",
                f"0/1 nodes are available: {listed}. preemption: 0/1 nodes are available: "
                f"{victims}..",
            )
            self._plan_outside()
            return
        else:
            self.event(
                "Normal", "Scheduled", f"Successfully assigned {NAMESPACE}/{self.name} to {NODE}"
            )
        self.scheduled = True
        self.set_condition("PodScheduled", True)
        self.set_condition("Initialized", not self.pod.init_steps, "ContainersNotInitialized")
        self.set_condition("ContainersReady", False, "ContainersNotReady")
        self.set_condition("Ready", False, "ContainersNotReady")
        self._plan_outside()
        self._settle()

    def _insufficient(self) -> list[str]:
        """The resources the node lacks for the Pod's effective request (rule 1)."""
        node = {"cpu": self.scenario.node_cpu, "memory": self.scenario.node_memory}
        short = []
        for resource, allocatable in node.items():
            # pod-level resources (spec.resources), when written, replace the containers' sum
            # (concepts/configuration/manage-resources-containers "Pod-level resources").
            request = self.pod.requests.get(resource)
            if request is None:
                request = self.pod.effective_request(resource)
            if request > allocatable:
                short.append(resource)
        return short

    def _plan_outside(self) -> None:
        """The scenario's deletion and the activeDeadlineSeconds, Pod's or Job's."""
        if self.scenario.delete_at is not None:
            self.at(self.scenario.delete_at, self._delete)
        if self.pod.active_deadline_seconds is not None and self.scheduled:
            self.at(self.pod.active_deadline_seconds, self._pod_deadline)
        job = self.workload.job
        if job and job.active_deadline_seconds is not None:
            self.at(job.active_deadline_seconds, self._job_deadline)

    def _delete(self) -> None:
        """`kubectl delete pod` (rule 10)."""
        if self.deleting or self.removed_at is not None:
            return
        self.deleting = True
        self.deleted_at = self.now
        self.touch()
        if not self.scheduled:
            self.removed_at = self.now  # no kubelet has it: the API server removes it at once
            return
        self._terminate()

    def _pod_deadline(self) -> None:
        """Pod activeDeadlineSeconds (rule 11): pod-lifecycle and the API reference: "Duration
        in seconds the pod may be active on the node ... before the system will actively try
        to mark it failed and kill associated containers"; status.reason DeadlineExceeded."""
        if self.terminating or self.ended_at is not None:
            return
        self.reason = "DeadlineExceeded"
        # pkg/kubelet/active_deadline.go records it as a Normal event.
        self.event(
            "Normal",
            "DeadlineExceeded",
            "Pod was active on the node longer than the specified deadline",
        )
        self.set_phase(Phase.FAILED)
        self._terminate()

    def _job_deadline(self) -> None:
        """Job activeDeadlineSeconds (rule 11): controllers/job "Job termination and cleanup":
        "all of its running Pods are terminated and the Job status will become type: Failed
        with reason: DeadlineExceeded" — the Job controller deletes its Pod."""
        if self.ended_at is None:
            self.reason = self.reason or "DeadlineExceeded"
            self._delete()

    def _backoff_limit_reached(self) -> bool:
        """controllers/job "Pod backoff failure policy": with restartPolicy OnFailure, "the number
        of retries in all the containers of Pods with .status.phase equal to Pending or Running"
        counts against backoffLimit."""
        job = self.workload.job
        if job is None or self.pod.restart_policy != "OnFailure" or self.job_failure:
            return False
        return sum(b.lane.restarts for b in self.boxes) >= job.backoff_limit

    def _job_backoff_exceeded(self) -> None:
        """The Job is failed (BackoffLimitExceeded) and its Pod terminated: "your Pod running the
        Job will be terminated once the job backoff limit has been reached" (controllers/job)."""
        if self.ended_at is None:
            self._delete()

    def _terminate(self) -> None:
        """Stop every container for good, apps first, sidecars after them in reverse order
        (pod-lifecycle "Termination of Pods"; sidecar-containers "Sidecar containers and Pod
        lifecycle"). The grace period counts from now, preStop hooks included."""
        self.terminating = True
        deadline = self.now + self.pod.termination_grace_period_seconds
        self.deadline = deadline
        for box in self.boxes:
            if box.running:
                if not box.stopping:
                    turn = box.role != Role.SIDECAR  # a sidecar's SIGTERM waits its turn
                    self.kill(box, deadline, f"Stopping container {box.name}", turn=turn)
            elif box.run >= 0 and not box.done:
                # Waiting out a back-off (or an immediate restart): nothing is restarted now.
                box.token += 1
                box.done = True
                self.enter(box, State.EXITED)
        self.at(deadline, self._grace_over)

    def _grace_over(self) -> None:
        """The grace period is over: the sidecars still waiting their turn get SIGTERM together
        (sidecar-containers: "if the grace period expires, the remaining containers are
        terminated together")."""
        for box in reversed(self.boxes):
            if box.awaiting_turn and box.running:
                self.give_turn(box)

    def _settle(self) -> None:
        """Pod-level progress after every action: init order, apps, phase, conditions."""
        if not self.scheduled or self.removed_at is not None:
            return
        if not self.terminating:
            self._advance_init()
        self._update_readiness()
        if self.terminating:
            self._stop_sidecars()
        elif self.initialized and self.ended_at is None and self._sidecars_outlive_apps():
            # A Job's Pod: when the apps have ended, the kubelet stops the native sidecars in
            # reverse order (sidecar-containers "Jobs with sidecar containers").
            self._terminate()
            self._stop_sidecars()
        self._update_phase()

    def _advance_init(self) -> None:
        """Init containers one at a time, each to completion; a sidecar lets the next step
        start once it has started (init-containers "Understanding init containers";
        sidecar-containers "Sidecar containers and Pod lifecycle"). Then the apps, together."""
        steps = self.pod.init_steps
        boxes = {box.name: box for box in self.boxes}
        while self.next_step < len(steps):
            box = boxes[steps[self.next_step].name]
            if box.run < 0 and box.state == State.WAITING:
                self.start(box)
            finished = box.done and box.exits and box.exits[-1][1] == 0
            if (box.role == Role.SIDECAR and box.started and box.running) or (
                box.role == Role.INIT and finished
            ):
                self.next_step += 1
                continue
            return
        if not self.initialized:
            self.initialized = True
            self.set_condition("Initialized", True)
            # App containers start together, in list order, without waiting for one another.
            for box in self.boxes:
                if box.role == Role.APP:
                    self.start(box)

    def _update_readiness(self) -> None:
        """ContainersReady and Ready: every app container and sidecar running and ready
        (pod-lifecycle "Pod conditions"; sidecars' readiness counts: sidecar-containers)."""
        counted = [b for b in self.boxes if b.role != Role.INIT]
        ready = self.initialized and all(b.ready and b.running for b in counted)
        reason = "PodCompleted" if self.ended_at is not None else "ContainersNotReady"
        self.set_condition("ContainersReady", ready, reason)
        self.set_condition("Ready", ready, reason)

    def _sidecars_outlive_apps(self) -> bool:
        """Every app container has ended for good while a sidecar still runs."""
        apps_done = all(b.done for b in self.boxes if b.role == Role.APP)
        # A sidecar waiting out its back-off counts too: it must not start again after the apps.
        alive = any(b.run >= 0 and not b.done for b in self.boxes if b.role == Role.SIDECAR)
        return apps_done and alive

    def _stop_sidecars(self) -> None:
        """During termination, a sidecar gets its turn once every app container and every
        sidecar after it has stopped (sidecar-containers: "in the opposite order of their
        appearance in the Pod specification")."""
        if any(b.running for b in self.boxes if b.role != Role.SIDECAR):
            return
        for box in reversed(self.boxes):
            if box.role != Role.SIDECAR or not box.running:
                continue
            if box.awaiting_turn:
                self.give_turn(box)
            elif not box.stopping:
                self.kill(box, self.deadline, f"Stopping container {box.name}")
            return
        if self.deleting and self.removed_at is None:
            self._update_phase()
            if self.ended_at is None:
                # Stopped before its apps ran: the kubelet still gives a deleted Pod a terminal
                # phase before it goes (pod-lifecycle "Pod phase", since 1.27).
                self.set_phase(Phase.FAILED)
            self.removed_at = self.now
            self.touch()

    def _update_phase(self) -> None:
        """The phase from the containers' states (rule 8, pod-lifecycle "Pod phase")."""
        if self.ended_at is not None:
            return
        apps = [b for b in self.boxes if b.role == Role.APP]
        inits = [b for b in self.boxes if b.role == Role.INIT]
        if any(b.done and b.exits and b.exits[-1][1] != 0 for b in inits):
            # An init container failed for good (restartPolicy Never): the Pod fails, and the
            # sidecars started before it are stopped (init-containers "Detailed behavior").
            self.set_phase(Phase.FAILED)
            if not self.terminating:
                self._terminate()
                self._stop_sidecars()
            self._update_readiness()
            return
        if not self.initialized:
            return
        if all(b.done for b in apps) and not any(b.running for b in self.boxes):
            # Sidecars' exit codes do not count: only the app containers' do.
            failed = any(not b.exits or b.exits[-1][1] != 0 for b in apps)
            self.set_phase(Phase.FAILED if failed else Phase.SUCCEEDED)
        else:
            self.set_phase(Phase.RUNNING)
        if self.ended_at is not None:
            self._update_readiness()

    # -- a container -------------------------------------------------------------------------

    def start(self, box: _Box) -> None:
        """Start (or restart) a container: events, hooks, and its planned exit and probes."""
        if self.terminating or self.ended_at is not None:
            return
        box.run += 1
        box.token += 1
        box.lane.restarts = box.run
        if box.run and self._backoff_limit_reached():
            self.job_failure = "BackoffLimitExceeded"  # planned once, however many restart now
            self.at(self.now, self._job_backoff_exceeded)
        box.started_at = self.now
        box.stopping, box.kill_deadline = False, None
        box.counts = {probe.kind: [0, 0] for probe in box.spec.probes}
        box.last_ok = {}
        image = box.spec.image or ""
        # pkg/kubelet/images/image_manager.go EnsureImageExists: with KubeletEnsureSecretPulledImages
        # (beta and on by default in v1.35, CHANGELOG-1.35 #135228) an image on the node reads
        # "Container image %q already present on machine and can be accessed by the pod"; with
        # imagePullPolicy Always the kubelet asks the registry each time.
        if box.spec.image_pull_policy == "Always":
            self.event("Normal", "Pulling", f'Pulling image "{image}"', box)
            self.event("Normal", "Pulled", f'Successfully pulled image "{image}"', box)
        else:
            present = f'Container image "{image}" already present on machine'
            self.event("Normal", "Pulled", f"{present} and can be accessed by the pod", box)
        # CHANGELOG-1.35: "Removed container name from messages for container created and started
        # events (#134043)": the event's fieldPath names the container instead.
        self.event("Normal", "Created", "Container created", box)
        self.event("Normal", "Started", "Container started", box)
        self.mark(box, MarkKind.START, f"restart {box.run}" if box.run else "")
        if box.spec.lifecycle and box.spec.lifecycle.post_start:
            self.mark(box, MarkKind.HOOK, "postStart")
        startup = box.spec.probe(ProbeKind.STARTUP)
        box.started = startup is None
        box.ready = box.started and box.spec.probe(ProbeKind.READINESS) is None
        if box.role == Role.INIT:
            box.ready = False
            self.enter(box, State.RUNNING)
        else:
            self.enter(box, State.STARTING if startup else self._running_state(box))
        self._plan_exits(box)
        probes.plan_first(self, box)

    @staticmethod
    def _running_state(box: _Box) -> State:
        return State.READY if box.ready else State.RUNNING

    def became_started(self, box: _Box) -> None:
        """The startup probe succeeded: liveness and readiness probes take over."""
        box.started = True
        box.ready = box.spec.probe(ProbeKind.READINESS) is None
        self.enter(box, self._running_state(box))

    def set_ready(self, box: _Box, ready: bool) -> None:
        """A readiness probe changed the container's readiness."""
        box.ready = ready
        if not box.stopping:
            self.enter(box, self._running_state(box))

    def kill(self, box: _Box, deadline: int, message: str, *, turn: bool = True) -> None:
        """The kubelet stops a container: preStop hook, then SIGTERM, then SIGKILL when the
        grace period ends (pod-lifecycle "Pod Termination Flow"; container-lifecycle-hooks).

        kuberuntime_container.go killContainer records the Killing event and runs the preStop
        hook before it waits for the container's turn, and the kubelet kills every container of
        a terminating Pod at once (killContainersWithSyncResult): a sidecar's event and hook come
        with the apps' (KEP-753), only its SIGTERM waits (`turn` False, then give_turn)."""
        box.stopping = True
        box.token += 1  # no more probes for this run; its own exit still comes (re-planned)
        self.event("Normal", "Killing", message, box)
        self._plan_exits(box)  # its token changed; it may still end by itself before the signal
        # The preStop hook runs unless there is no grace period left, and counts against it.
        hook = _pre_stop_seconds(box.spec) if deadline > self.now else None
        box.hook_done = self.now
        if hook is not None:
            self.mark(box, MarkKind.HOOK, "preStop")
            box.hook_done = min(self.now + hook, deadline)
        if hook is not None or turn:
            self.enter(box, State.TERMINATING)
        box.awaiting_turn = not turn
        if turn:
            self._signal(box, box.hook_done, deadline)

    def give_turn(self, box: _Box) -> None:
        """A sidecar's turn to stop has come: SIGTERM once its preStop hook has ended."""
        box.awaiting_turn = False
        self._signal(box, max(self.now, box.hook_done), self.deadline)

    def _signal(self, box: _Box, signal_at: int, deadline: int) -> None:
        # kuberuntime_container.go killContainer gives a container at least 2 s between SIGTERM
        # and SIGKILL ("a minimal shutdown window"): the "one-off grace period extension of 2
        # seconds" pod-lifecycle grants a preStop hook still running when the period ends, and
        # the 2 s a sidecar still waiting its turn gets when the period is over (KEP-753).
        box.kill_deadline = max(deadline, signal_at + MIN_SHUTDOWN)
        self.at(box.kill_deadline, lambda: self.exit(box, EXIT_SIGKILL, signal="SIGKILL"), box)
        if signal_at == self.now:
            self._sigterm(box)
        else:
            self.at(signal_at, lambda: self._sigterm(box), box)

    def _plan_exits(self, box: _Box) -> None:
        """Plan the ends of the current run the process brings about itself, counted from its
        start: its own exit, and the OOM kill when its memory reaches its limit."""
        does = box.behaviour
        if does.exits_after is not None:
            end = box.started_at + does.exits_after
            if end >= self.now:
                code = does.exit_code
                self.at(end, lambda: self.exit(box, code), box)
        oom = _oom_after(box)
        if oom is not None and box.started_at + oom >= self.now:
            self.at(box.started_at + oom, lambda: self.exit(box, EXIT_SIGKILL, "OOMKilled"), box)

    def _sigterm(self, box: _Box) -> None:
        self.enter(box, State.TERMINATING)
        self.mark(box, MarkKind.SIGNAL, "SIGTERM")
        does = box.behaviour
        deadline = box.kill_deadline if box.kill_deadline is not None else self.now
        if not does.ignores_sigterm and self.now + does.stops_in < deadline:
            # Only a process with a handler sees SIGTERM as PID 1 (pid_namespaces(7)): it ends
            # as its handler says, cleanly unless its trap gives a code.
            code = 0 if does.sigterm_exit_code is None else does.sigterm_exit_code
            self.clean_stops = self.clean_stops or does.sigterm_exit_code is None
            self.at(self.now + does.stops_in, lambda: self.exit(box, code), box)

    def exit(self, box: _Box, code: int, reason: str = "", signal: str = "") -> None:
        """The container's process ended; restart it per policy, with the back-off (rule 6)."""
        if signal:
            self.mark(box, MarkKind.SIGNAL, signal)
        reason = reason or ("Completed" if code == 0 else "Error")
        box.token += 1
        box.stopping = box.awaiting_turn = False
        box.ready = False
        box.started = False
        run_seconds = self.now - box.started_at
        box.exits.append((self.now, code, reason))
        self.mark(box, MarkKind.EXIT, reason, ok=code == 0, code=code)
        if self.terminating or self.ended_at is not None or not self._restarts(box, code):
            box.done = True
            self.enter(box, State.EXITED)
            return
        if run_seconds >= BACKOFF_RESET:
            box.crashes = 0
        delay = 0 if box.crashes == 0 else min(BACKOFF_FIRST * 2 ** (box.crashes - 1), BACKOFF_CAP)
        box.crashes += 1
        box.backoff = delay
        # The exit shows for an instant (a zero-length interval, not drawn), and the back-off or
        # the immediate restart is a separate action: the row with the exit (Error, OOMKilled,
        # Init:Error) is printed before the one with CrashLoopBackOff or the new run.
        self.enter(box, State.EXITED)
        if delay:
            self.at(self.now, lambda: self._back_off(box), box)
        self.at(self.now + delay, lambda: self.start(box), box)

    def _back_off(self, box: _Box) -> None:
        self.enter(box, State.BACKOFF)
        self.event(
            "Warning",
            "BackOff",
            # kuberuntime_manager.go doBackOff; format.Pod writes "<name>_<namespace>(<uid>)".
            f"Back-off restarting failed container {box.name} in pod "
            f"{self.name}_{NAMESPACE}({POD_UID})",
            box,
        )

    def _restarts(self, box: _Box, code: int) -> bool:
        """Whether an exited container is run again (pod-lifecycle "Container restarts")."""
        if box.role == Role.SIDECAR:
            return True  # sidecars ignore the Pod's restartPolicy: always restarted
        policy = self.pod.restart_policy
        if box.role == Role.INIT:
            # init-containers "Detailed behavior": "if the Pod restartPolicy is set to Always,
            # the init containers use restartPolicy OnFailure".
            return policy != "Never" and code != 0
        return policy == "Always" or (policy == "OnFailure" and code != 0)

    # -- the result --------------------------------------------------------------------------

    def _timeline(self, end: int, finished: bool) -> Timeline:
        self.now = end
        for box in self.boxes:
            if end > box.since:
                box.lane.intervals.append(Interval(box.state, box.since, end, box.since_run))
        if end > self.phase_since or not self.phases:
            self.phases.append(PhaseSpan(self.phase, self.phase_since, end))
        return Timeline(
            pod=self.name,
            kind=self.workload.kind,
            end=end,
            lanes=[box.lane for box in self.boxes],
            phases=self.phases,
            conditions=self.changes,
            rows=self.rows,
            events=self.events,
            assumptions=self._assumptions(),
            outcome=self._outcome(end),
            finished=finished,
            removed_at=self.removed_at,
            deleted_at=self.deleted_at,
        )

    # -- the outcome: one plain sentence on how the run ended ---------------------------------

    def _outcome(self, end: int) -> str:
        if self.cut_at is not None:
            return (
                f"The run stops at {self.cut_at} s: this Pod changes so often that following it "
                "any further would cost more than one run may."
            )
        if self.unschedulable:
            short = f"the node has too little {self.unschedulable} for its requests"
            if self.removed_at is not None:
                return (
                    f"The Pod stayed Pending ({short}) until it was deleted at {self.removed_at} s."
                )
            return f"The Pod stays Pending: {short}, so the scheduler never binds it."
        if self.removed_at is not None:
            return self._outcome_removed(self.removed_at)
        if self.phase == Phase.SUCCEEDED:
            if self.workload.job:
                return f"The Job's Pod completed at {self.ended_at} s: the Job is complete."
            return f"The Pod completed at {self.ended_at} s: every app container exited with 0."
        if self.phase == Phase.FAILED:
            return self._outcome_failed()
        return self._outcome_running(end)

    def _outcome_removed(self, removed_at: int) -> str:
        """A Pod deleted (by the scenario or by its Job's deadline) and gone."""
        deleted = self.deleted_at or 0
        if self.phase == Phase.SUCCEEDED and self.ended_at is not None and self.ended_at <= deleted:
            what = "The Job had" if self.workload.job else "The Pod had"
            return (
                f"{what} completed at {self.ended_at} s; the deletion at {deleted} s removed the "
                f"finished Pod at {removed_at} s."
            )
        text = f"Deleted at {deleted} s, the Pod was gone at {removed_at} s"
        if self.job_failure == "BackoffLimitExceeded" and self.workload.job and self.deleted_at:
            restarts = count(sum(b.lane.restarts for b in self.boxes), "restart")
            text = (
                f"The Job failed at {deleted} s (BackoffLimitExceeded: {restarts} reached its "
                f"backoffLimit of {self.workload.job.backoff_limit}): its Pod was gone at "
                f"{removed_at} s"
            )
        if self.reason == "DeadlineExceeded" and self.workload.job:
            text = (
                f"The Job failed at {deleted} s (DeadlineExceeded): its Pod was gone at "
                f"{removed_at} s"
            )
        killed = [
            b
            for b in self.boxes
            if any(m.detail == "SIGKILL" and m.time >= deleted for m in b.lane.marks)
        ]
        if killed:
            text += f"; {_names(killed)} had to be killed with SIGKILL"
        return text + "."

    def _outcome_failed(self) -> str:
        """A Pod in phase Failed: why, and what its Job would do next."""
        if self.reason == "DeadlineExceeded":
            why = f"its activeDeadlineSeconds ({self.pod.active_deadline_seconds} s) ran out"
        elif self.reason:
            why = f"the kubelet rejected it ({self.reason})"
        else:
            failed = next(
                (b for b in self.boxes if b.role != Role.SIDECAR and b.exits and b.exits[-1][1]),
                None,
            )
            why = "it failed"
            if failed and failed.exits[-1][2] == "OOMKilled":
                why = f"`{failed.name}` was OOMKilled (exit code {failed.exits[-1][1]})"
            elif failed:
                why = f"`{failed.name}` exited with code {failed.exits[-1][1]}"
        text = f"The Pod failed at {self.ended_at} s: {why}."
        if self.workload.job:
            limit = self.workload.job.backoff_limit
            text += (
                f" The Job controller would create a new Pod (up to backoffLimit {limit});"
                " one Pod is simulated."
            )
        return text

    def _outcome_running(self, end: int) -> str:
        """A Pod still there when the run ends: crash-looping, Pending, or Running."""
        looping = [
            b for b in self.boxes if b.state == State.BACKOFF or (b.crashes > 1 and b.running)
        ]
        if looping:
            box = max(looping, key=lambda b: b.lane.restarts)
            times = "time" if box.lane.restarts == 1 else "times"
            oom = "was OOMKilled and " if box.exits and box.exits[-1][2] == "OOMKilled" else "was "
            return (
                f"`{box.name}` {oom}restarted {box.lane.restarts} {times}: CrashLoopBackOff, "
                f"the back-off now {box.backoff} s."
            )
        # A run that stopped early has reached the state it keeps; else the horizon cut it short.
        settled = end < self.scenario.until
        since = f"From {self.last_change} s on" if settled else f"After {end} s"
        if not self.initialized:
            step = next((b for b in self.boxes if b.role != Role.APP and b.running), None)
            verb = "never finishes" if settled else "has not finished"
            who = f": `{step.name}` {verb}" if step else ""
            return f"{since} the Pod is still Pending{who}."
        forever = [b for b in self.boxes if b.role == Role.APP and b.running]
        if self.workload.job and forever and settled:  # nothing ahead will end them
            verb = "never exits" if len(forever) == 1 else "never exit"
            return f"The Pod stays Running: {_names(forever)} {verb}, so the Job never completes."
        if self.conditions.get("Ready"):
            return f"{since} the Pod is Running and Ready."
        unready = [b for b in self.boxes if b.role != Role.INIT and not b.ready]
        verb = "is" if len(unready) == 1 else "are"
        return f"{since} the Pod is Running but not Ready: {_names(unready)} {verb} not ready."

    def _assumptions(self) -> list[str]:
        """The containers' assumed behaviour, then the run's simplifications that mattered."""
        sentences = list(self.assumptions) + list(RUN_ASSUMPTIONS)
        if self.pod.node_name:
            sentences.append(
                "`spec.nodeName` sends the Pod straight to that node's kubelet: no scheduler "
                "runs, so there is no Scheduled or FailedScheduling event."
            )
        if any(c.probes for c in self.pod.containers):
            sentences.append(PROBE_ASSUMPTION)
        if any(c.lifecycle and c.lifecycle.post_start for c in self.pod.containers):
            sentences.append(POST_START_ASSUMPTION)
        for box in self.boxes:
            if box.behaviour.memory_grows_to is not None and "memory" not in box.spec.limits:
                sentences.append(
                    f"`{box.name}` has no memory limit, so it is never OOM-killed here "
                    "(eviction when the node runs short of memory is not simulated)."
                )
        if self.clean_stops:
            sentences.append(SIGTERM_ASSUMPTION)
        if any(probes.POD_IP in e.message or POD_UID in e.message for e in self.events):
            sentences.append(IDENTITY_ASSUMPTION)
        node = (
            f"{format_cpu(self.scenario.node_cpu)} CPU, {format_memory(self.scenario.node_memory)}"
        )
        sentences.append(f"The node has {node} allocatable, all free for this Pod.")
        return sentences


def _pre_stop_seconds(container: Container) -> int | None:
    """How long a container's preStop hook takes: `sleep N` (exec or the sleep action) takes N
    seconds, any other hook none; None without a hook."""
    hook = container.lifecycle.pre_stop if container.lifecycle else None
    if hook is None:
        return None
    if hook.kind == HandlerKind.SLEEP:
        return hook.seconds or 0
    if hook.kind == HandlerKind.EXEC:
        words = list(hook.command)
        if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in ("sh", "bash") and words[1] == "-c":
            words = words[2].split()
        if len(words) == 2 and words[0].rsplit("/", 1)[-1] == "sleep":
            return plain_number(words[1]) or 0
    return 0


def _oom_after(box: _Box) -> int | None:
    """Seconds after a start at which the memory use passes the container's limit (rule 7):
    use climbs evenly to `grows_to` over `within` seconds; no limit, no OOM kill."""
    does = box.behaviour
    limit = box.spec.limits.get("memory")
    if does.memory_grows_to is None or limit is None or does.memory_grows_to <= limit:
        return None
    return int(does.memory_within * limit / does.memory_grows_to) + 1


def _names(boxes: list[_Box]) -> str:
    """Containers' names as a sentence lists them: `a`, `a` and `b`, `a`, `b` and `c`."""
    names = [f"`{box.name}`" for box in boxes]
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""
