"""The simulator's probes (rule 5 of the lifecycle simulator; kubelet.py runs them): when each
probe runs, what it decides, and how long a quiet stretch of passing probes can be skipped.

Sources: concepts/workloads/pods/pod-lifecycle "Container probes" and tasks/configure-pod-container/
configure-liveness-readiness-startup-probes. The kubelet probes on a ticker of `periodSeconds`
and skips the ticks before `initialDelaySeconds` (pkg/kubelet/prober/worker.go), so the first probe
comes at some moment in the period after the delay. Here it comes at the end of that period:
`initialDelaySeconds + periodSeconds` after the start, then every `periodSeconds` (a stated
simplification). A container then gets exactly the budget the docs give it, `initialDelaySeconds +
failureThreshold x periodSeconds`, before a failing startup or liveness probe stops it. A readiness
probe runs at once when the container has started (after its delay): the kubelet triggers it so
that a Pod need not wait a period to become Ready (pkg/kubelet/prober/prober_manager.go). Liveness
and readiness probes are skipped until the startup probe has succeeded, as the kubelet's prober
workers do (pkg/kubelet/prober/worker.go).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from learn.podspec.model import HandlerKind, Probe, ProbeKind, Role
from learn.podspec.timeline import MarkKind

if TYPE_CHECKING:
    from learn.podspec.kubelet import _Box, _Sim

# The Pod's IP, which HTTP and TCP probes connect to (a real cluster picks one from the node's
# Pod CIDR; kind's first node hands out 10.244.0.x). kubelet.py states it in the assumptions.
POD_IP = "10.244.0.7"


def passes(box: _Box, time: int) -> bool:
    """The scenario's verdict: the container answers once it has run `ready_after` seconds,
    until the run reaches `fails_probes_from`."""
    does = box.behaviour
    failing = does.fails_probes_from is not None and time >= does.fails_probes_from
    return time - box.started_at >= does.ready_after and not failing


def plan_first(sim: _Sim, box: _Box) -> None:
    """Plan a freshly started container's first probes: the startup probe alone if it has one
    (the others are disabled until it succeeds), else liveness and readiness."""
    startup = box.spec.probe(ProbeKind.STARTUP)
    kinds = (
        [startup]
        if startup
        else [box.spec.probe(ProbeKind.LIVENESS), box.spec.probe(ProbeKind.READINESS)]
    )
    for probe in kinds:
        if probe is not None:
            _plan(sim, box, probe, _first_run(box, probe, sim.now))


def _first_run(box: _Box, probe: Probe, time: int) -> int:
    """When a probe first runs once it may: a readiness probe at once (prober_manager.go
    UpdatePodStatus triggers an immediate run for a started container with no readiness result)
    but not inside its initialDelaySeconds; liveness and startup probes on their ticker."""
    if probe.kind == ProbeKind.READINESS:
        return max(time, box.started_at + probe.initial_delay_seconds)
    return _next_tick(box, probe, time)


def _next_tick(box: _Box, probe: Probe, time: int) -> int:
    """The first second on the probe's schedule at or after `time`."""
    first = box.started_at + probe.initial_delay_seconds + probe.period_seconds
    if time <= first:
        return first
    period = probe.period_seconds
    return first + -(-(time - first) // period) * period


def _plan(sim: _Sim, box: _Box, probe: Probe, time: int) -> None:
    sim.at(time, lambda: _tick(sim, box, probe), box, probe.kind)


def _tick(sim: _Sim, box: _Box, probe: Probe) -> None:
    """Run one probe and act on its result."""
    kind = probe.kind
    ok = passes(box, sim.now)
    counts = box.counts[kind]
    counts[0], counts[1] = (counts[0] + 1, 0) if ok else (0, counts[1] + 1)
    # Passing probes are drawn only when they change something: the first success after a start
    # or a failure. Every failure is kept.
    if not ok or box.last_ok.get(kind) is not True:
        sim.mark(box, MarkKind.PROBE, str(kind), ok=ok)
    box.last_ok[kind] = ok
    title = kind.value.capitalize()
    if not ok:
        # prober.go: Warning Unhealthy "<Kind> probe failed: <output>".
        output = _failure(box, probe, sim.now)
        sim.event("Warning", "Unhealthy", f"{title} probe failed: {output}".rstrip(), box)
    if kind != ProbeKind.READINESS and counts[1] >= probe.failure_threshold:
        # Startup and liveness: failureThreshold failures in a row and the kubelet kills the
        # container, which is then restarted per restartPolicy; the probe's own
        # terminationGracePeriodSeconds overrides the Pod's (configure-liveness-readiness-
        # startup-probes "Probe-level terminationGracePeriodSeconds").
        grace = probe.termination_grace_period_seconds
        if grace is None:
            grace = sim.pod.termination_grace_period_seconds
        sim.kill(box, sim.now + grace, _killing(sim, box, kind))
        return
    if kind == ProbeKind.STARTUP:
        if counts[0] >= probe.success_threshold:
            sim.became_started(box)
            for other in (ProbeKind.LIVENESS, ProbeKind.READINESS):
                follow = box.spec.probe(other)
                if follow is not None:
                    _plan(sim, box, follow, _first_run(box, follow, sim.now))
            return
    elif kind == ProbeKind.READINESS:
        # Readiness only marks the container ready or not ready: never a restart.
        if ok and counts[0] >= probe.success_threshold and not box.ready:
            sim.set_ready(box, True)
        elif not ok and counts[1] >= probe.failure_threshold and box.ready:
            sim.set_ready(box, False)
    _plan(sim, box, probe, sim.now + probe.period_seconds)


def _killing(sim: _Sim, box: _Box, kind: ProbeKind) -> str:
    """The Killing event's message when a startup or liveness probe has failed for good."""
    if box.role == Role.SIDECAR:
        # kuberuntime_manager.go computeInitContainerActions: a sidecar is always restarted,
        # and its message says nothing of it.
        return f"Init container {box.name} failed {kind.value} probe"
    # kuberuntime_manager.go computePodActions: ", will be restarted" only when
    # shouldRestartOnFailure(pod), that is restartPolicy is not Never.
    message = f"Container {box.name} failed {kind.value} probe"
    return message if sim.pod.restart_policy == "Never" else f"{message}, will be restarted"


def _failure(box: _Box, probe: Probe, time: int) -> str:
    """What the kubelet's prober reports for a failed probe of this kind of handler: before
    `ready_after` nothing listens on the port yet; after `fails_probes_from` the app answers
    but reports itself unhealthy."""
    handler = probe.handler
    if handler is None:
        return ""
    listening = time - box.started_at >= box.behaviour.ready_after
    # A named port is the number of the container's port of that name (the prober's
    # findPortByName in pkg/kubelet/prober/prober.go); the host defaults to the Pod's IP.
    named = [p.number for p in box.spec.ports if p.name == handler.port and p.number]
    address = f"{handler.host or POD_IP}:{named[0] if named else handler.port}"
    # pkg/probe/tcp/tcp.go and pkg/probe/http/http.go report the dial error of Go's net package.
    refused = f"dial tcp {address}: connect: connection refused"
    if handler.kind == HandlerKind.HTTP_GET:
        if listening:
            return "HTTP probe failed with statuscode: 503"
        # The client's error quotes the URL: `Get "http://10.244.0.7:8080/healthz": ...`.
        scheme = (handler.scheme or "HTTP").lower()
        return f'Get "{scheme}://{address}{handler.path or ""}": {refused}'
    if handler.kind == HandlerKind.TCP_SOCKET:
        return refused
    if handler.kind == HandlerKind.GRPC:
        # pkg/probe/grpc/grpc.go: a health server answering NOT_SERVING.
        return 'service unhealthy (responded with "NOT_SERVING")'
    return ""  # an exec probe reports the command's output, which the simulator does not know


def quiet_until(sim: _Sim, until: int) -> int | None:
    """How far the run can skip ahead because every planned probe will only pass without
    changing anything: the second of the next other action or of a scenario's probe failure
    (at most `until`); `sim.now` when nothing can be skipped; None when nothing will ever
    change."""
    targets = []
    for _, _, action in sim.queue:
        if action.stale:
            continue
        box = action.box
        if action.probe is None or box is None:
            targets.append(action.time)
            continue
        steady = (
            box.started
            and not box.stopping
            and passes(box, action.time)
            and (
                (action.probe == ProbeKind.LIVENESS and box.counts[action.probe][1] == 0)
                or (action.probe == ProbeKind.READINESS and box.ready)
            )
        )
        if not steady:
            return sim.now
        failing_from = box.behaviour.fails_probes_from
        if failing_from is not None:
            targets.append(failing_from)
    # Past the horizon there is nothing to skip to, but the run still has something ahead.
    return min(min(targets), until) if targets else None


def skip_to(sim: _Sim, target: int) -> None:
    """Move every planned probe to its first scheduled second at or after `target` (the ones
    skipped would have passed without changing anything)."""
    for _, _, action in sim.queue:
        if action.probe is not None and action.box is not None and not action.stale:
            probe = action.box.spec.probe(action.probe)
            if probe is not None and action.time < target:
                period = probe.period_seconds
                action.time += -(-(target - action.time) // period) * period
    sim.queue = [(action.time, seq, action) for _, seq, action in sim.queue]
    heapq.heapify(sim.queue)
