"""The model of a workload: its pod, containers in start order with their roles, volumes, mounts,
ports and resources, plus what a teacher needs: start and stop order and effective requests; and
everything a kubelet acts on over a pod's life (probes, hooks, grace periods, restart policies,
commands, a Job's completion semantics), typed, with the API server's defaults applied.

Built from the node tree and tolerant of mistakes (wrong types are skipped, as if unwritten), so a
spec with errors still gets the best model, and so the best diagram, that can be made of it.
Later stages read the model for what a pod does; nodes are kept to point at places, and rules
still read them for what only the text shows (how a name or label is spelled, which keys are set).

Defaults follow the API server's defaulting functions: pkg/apis/core/v1/defaults.go (pods,
containers, probes, handlers) and pkg/apis/batch/v1/defaults.go (Jobs, CronJobs).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import Any

from learn.podspec.quantity import format_cpu, format_memory, parse_quantity
from learn.podspec.source import Mapping, Node, Scalar, Sequence

WORKLOAD_KINDS = {
    # kind -> path from the object to its pod template's metadata and spec
    "Pod": ("metadata", "spec"),
    "Deployment": ("spec.template.metadata", "spec.template.spec"),
    "ReplicaSet": ("spec.template.metadata", "spec.template.spec"),
    "StatefulSet": ("spec.template.metadata", "spec.template.spec"),
    "DaemonSet": ("spec.template.metadata", "spec.template.spec"),
    "Job": ("spec.template.metadata", "spec.template.spec"),
    "CronJob": ("spec.jobTemplate.spec.template.metadata", "spec.jobTemplate.spec.template.spec"),
}
VOLUME_TYPES = (
    "emptyDir",
    "configMap",
    "secret",
    "hostPath",
    "persistentVolumeClaim",
    "projected",
    "downwardAPI",
    "ephemeral",
    "image",
    "nfs",
    "csi",
    "iscsi",
    "fc",
    "local",
)
# SetDefaults_Probe (pkg/apis/core/v1/defaults.go) sets each of these when it is 0 (unset).
PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "periodSeconds": 10,
    "timeoutSeconds": 1,
    "successThreshold": 1,
    "failureThreshold": 3,
}
# v1.DefaultTerminationGracePeriodSeconds, set by SetDefaults_PodSpec when the spec is silent.
DEFAULT_GRACE_PERIOD = 30
# SetDefaults_Job (pkg/apis/batch/v1/defaults.go): backoffLimit 6, or MaxInt32 with a per-index limit.
DEFAULT_BACKOFF_LIMIT = 6
UNLIMITED_BACKOFF = 2**31 - 1
# The fields that get a default, for saying which values the spec left to the API server.
POD_DEFAULTED = frozenset({"restartPolicy", "terminationGracePeriodSeconds"})
CONTAINER_DEFAULTED = frozenset({"imagePullPolicy"})
JOB_DEFAULTED = frozenset(
    {"completions", "parallelism", "backoffLimit", "completionMode", "suspend"}
)


class Role(StrEnum):
    """What a container does in its pod: `init` runs to completion, `sidecar` and `app` keep running."""

    INIT = "init"
    SIDECAR = "sidecar"
    APP = "app"


class ProbeKind(StrEnum):
    """The three probes a kubelet runs, in the order they matter to a starting container."""

    STARTUP = "startup"
    LIVENESS = "liveness"
    READINESS = "readiness"

    @property
    def key(self) -> str:
        """The field name in a container, e.g. `livenessProbe`."""
        return f"{self.value}Probe"


class HandlerKind(StrEnum):
    """How a probe or a lifecycle hook acts, named as the spec's keys."""

    EXEC = "exec"
    HTTP_GET = "httpGet"
    TCP_SOCKET = "tcpSocket"
    GRPC = "grpc"
    SLEEP = "sleep"


# The order a probe's handlers are looked for (and named in the message about two handlers).
PROBE_HANDLERS = (HandlerKind.EXEC, HandlerKind.HTTP_GET, HandlerKind.TCP_SOCKET, HandlerKind.GRPC)
# A lifecycle hook has no grpc, but may sleep (PodLifecycleSleepAction). The API keeps tcpSocket
# for compatibility only: the kubelet cannot run it, so such a hook fails.
HOOK_HANDLERS = (HandlerKind.EXEC, HandlerKind.HTTP_GET, HandlerKind.TCP_SOCKET, HandlerKind.SLEEP)


def at(node: Node | None, dotted: str) -> Node | None:
    """The node at a dotted path of mapping keys, or None when any step is missing."""
    for key in dotted.split(".") if dotted else ():
        if not isinstance(node, Mapping):
            return None  # most optional fields are absent: stop at the first missing step
        node = node.values.get(key)
    return node


def text(node: Node | None) -> str | None:
    """A scalar's value as text, or None."""
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return str(node.value) if not isinstance(node.value, str) else node.value
    return None


def number(node: Node | None) -> int | None:
    """A scalar's integer value (booleans excluded), or None."""
    if (
        isinstance(node, Scalar)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return node.value
    return None


def flag(node: Node | None) -> bool:
    """Whether a scalar is `true`."""
    return isinstance(node, Scalar) and node.value is True


def items(node: Node | None) -> list[Node]:
    """A sequence's items, or none."""
    return node.items if isinstance(node, Sequence) else []


def mappings(node: Node | None) -> list[tuple[int, Mapping]]:
    """The (index, item) pairs of a list that are mappings."""
    return [(i, item) for i, item in enumerate(items(node)) if isinstance(item, Mapping)]


def string_map(node: Node | None) -> dict[str, str]:
    """A mapping of scalars as text by key."""
    if not isinstance(node, Mapping):
        return {}
    return {key.text: str(value.value) for key, value in node.pairs if isinstance(value, Scalar)}


def word(node: Node | None) -> str | None:
    """A scalar's value when it is a string (an enum value such as a policy), or None."""
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) else None


def words(node: Node | None) -> tuple[str, ...] | None:
    """A list of text (a command, its args), or None when it is not a list."""
    if not isinstance(node, Sequence):
        return None
    return tuple(value for value in map(text, node.items) if value is not None)


def image_reference(image: str) -> tuple[str | None, str | None]:
    """The tag and the digest of an image reference, each None when absent."""
    name, at_sign, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]  # a registry's `host:port/` is not a tag
    tag = last.split(":", 1)[1] if ":" in last else None
    return tag, (digest if at_sign else None)


def default_pull_policy(image: str | None) -> str:
    """The imagePullPolicy the API server sets when the spec has none.

    SetDefaults_Container (pkg/apis/core/v1/defaults.go): `Always` when the tag is `latest`,
    which is also what no tag and no digest means (pkg/util/parsers), else `IfNotPresent`.
    """
    tag, digest = image_reference(image or "")
    if tag is None and digest is None:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


@dataclass
class Port:
    """A port a container declares."""

    container: str
    number: int | None
    name: str | None
    protocol: str
    host_port: int | None
    line: int
    path: str
    node: Mapping = field(repr=False, kw_only=True)


@dataclass
class Mount:
    """A volume mounted into a container."""

    container: str
    volume: str
    mount_path: str
    read_only: bool
    line: int
    path: str
    defined: bool = True
    node: Mapping = field(repr=False, kw_only=True)


@dataclass
class Volume:
    """A volume of the pod with its type and what it holds."""

    name: str
    type: str
    detail: str
    line: int
    path: str
    node: Mapping = field(repr=False, kw_only=True)
    # A StatefulSet's volumeClaimTemplates entry, which its controller makes a volume of each Pod.
    claim_template: bool = field(default=False, kw_only=True)
    # On a claim template: the volumes written in the pod template under its name, which the
    # controller drops for it (so they are not in Pod.volumes).
    replaced: tuple["Volume", ...] = field(default=(), repr=False, kw_only=True)


@dataclass
class Handler:
    """What a probe or hook does: run a command, ask over HTTP or gRPC, open a TCP port, or sleep.

    Only the fields of its kind are set; SetDefaults_HTTPGetAction (pkg/apis/core/v1/defaults.go)
    gives an httpGet the path `/` and the scheme `HTTP` when the spec is silent.
    """

    kind: HandlerKind
    command: tuple[str, ...] = ()
    path: str | None = None
    port: int | str | None = None  # a number, or the name of a container port
    scheme: str | None = None
    host: str | None = None
    service: str | None = None
    seconds: int | None = None
    node: Node = field(repr=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The handler's set fields, JSON-ready."""
        fields = {
            "command": list(self.command) if self.kind == HandlerKind.EXEC else None,
            "path": self.path,
            "port": self.port,
            "scheme": self.scheme,
            "host": self.host,
            "service": self.service,
            "seconds": self.seconds,
        }
        return {"type": str(self.kind)} | {k: v for k, v in fields.items() if v is not None}


@dataclass
class Probe:
    """A startup, liveness or readiness probe with its timings, defaults applied."""

    kind: ProbeKind
    handlers: tuple[Handler, ...]  # exactly one in a valid spec
    initial_delay_seconds: int = PROBE_DEFAULTS["initialDelaySeconds"]
    period_seconds: int = PROBE_DEFAULTS["periodSeconds"]
    timeout_seconds: int = PROBE_DEFAULTS["timeoutSeconds"]
    success_threshold: int = PROBE_DEFAULTS["successThreshold"]
    failure_threshold: int = PROBE_DEFAULTS["failureThreshold"]
    # None: the pod's terminationGracePeriodSeconds applies when this probe kills the container.
    termination_grace_period_seconds: int | None = None
    # The timing fields whose value the spec sets (by API name); the others carry the API
    # server's default (a 0 where the default is not 0 is defaulted, so it is not written).
    written: frozenset[str] = frozenset()
    node: Mapping = field(repr=False, kw_only=True)

    @property
    def handler(self) -> Handler | None:
        """The probe's handler (the first, if a broken spec has several)."""
        return self.handlers[0] if self.handlers else None

    @property
    def budget_seconds(self) -> int:
        """The time a starting container gets before this probe's failures act on it."""
        return self.initial_delay_seconds + self.failure_threshold * self.period_seconds

    def to_dict(self) -> dict[str, Any]:
        """The probe with every timing, JSON-ready; `defaulted` names those the spec left out."""
        return {
            "probe": self.kind.key,
            "handler": self.handler.to_dict() if self.handler else None,
            "initialDelaySeconds": self.initial_delay_seconds,
            "periodSeconds": self.period_seconds,
            "timeoutSeconds": self.timeout_seconds,
            "successThreshold": self.success_threshold,
            "failureThreshold": self.failure_threshold,
            "terminationGracePeriodSeconds": self.termination_grace_period_seconds,
            "defaulted": sorted(set(PROBE_DEFAULTS) - self.written),
        }


@dataclass
class Lifecycle:
    """A container's lifecycle hooks and the signal that asks it to stop."""

    post_start: Handler | None = None
    pre_stop: Handler | None = None
    # lifecycle.stopSignal (ContainerStopSignals, 1.33+); None: the image's STOPSIGNAL or SIGTERM.
    stop_signal: str | None = None
    node: Mapping = field(repr=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The hooks and the stop signal, JSON-ready."""
        return {
            "postStart": self.post_start.to_dict() if self.post_start else None,
            "preStop": self.pre_stop.to_dict() if self.pre_stop else None,
            "stopSignal": self.stop_signal,
        }


@dataclass
class RestartRule:
    """One of a container's restartPolicyRules: an action for some exit codes (KEP-5307)."""

    action: str | None  # `Restart`, or `RestartAllContainers` from 1.36
    operator: str | None  # `In` or `NotIn`
    exit_codes: tuple[int, ...]
    path: str
    node: Mapping = field(repr=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The rule, JSON-ready."""
        return {
            "action": self.action,
            "exitCodes": {"operator": self.operator, "values": list(self.exit_codes)},
        }


@dataclass
class SecurityContext:
    """What a container runs with (the pod's own are defaults for its containers); None: unset."""

    privileged: bool | None = None
    allow_privilege_escalation: bool | None = None
    run_as_non_root: bool | None = None
    run_as_user: int | None = None
    run_as_group: int | None = None
    read_only_root_filesystem: bool | None = None


@dataclass
class Container:
    """A container with its role: `init` (runs to completion), `sidecar` or `app`."""

    name: str
    role: Role
    image: str | None
    line: int
    path: str
    ports: list[Port] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    # Each request as the API server defaults a Pod's (an unset one is the limit), and as written:
    # a pod template is checked as written, and each Pod defaulted when it is created.
    requests: dict[str, Fraction] = field(default_factory=dict)
    written_requests: dict[str, Fraction] = field(default_factory=dict)
    limits: dict[str, Fraction] = field(default_factory=dict)
    probes: tuple[Probe, ...] = ()  # in ProbeKind order, each kind at most once
    restart_policy: str | None = None  # the container's own; None: the pod's applies
    restart_policy_rules: tuple[RestartRule, ...] = ()
    # None: the image's entrypoint and cmd run; a list replaces them (even an empty one is written).
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    image_pull_policy: str = "IfNotPresent"
    env: tuple[str, ...] = ()  # the names of the variables set in `env`, in order
    lifecycle: Lifecycle | None = None
    security: SecurityContext = field(default_factory=SecurityContext)
    # Of the defaulted fields (imagePullPolicy), those the spec sets.
    written: frozenset[str] = frozenset()
    node: Mapping = field(repr=False, kw_only=True)

    @property
    def is_long_running(self) -> bool:
        """Whether it keeps running beside the others (a sidecar or an app container)."""
        return self.role in (Role.SIDECAR, Role.APP)

    def probe(self, kind: ProbeKind | str) -> Probe | None:
        """The container's probe of this kind (`liveness` or ProbeKind.LIVENESS), if any."""
        return next((p for p in self.probes if p.kind == kind), None)


@dataclass
class Pod:
    """A pod (or a pod template) with its containers in start order."""

    name: str | None
    labels: dict[str, str]
    containers: list[Container]
    volumes: list[Volume]
    restart_policy: str
    share_process_namespace: bool
    host_network: bool
    line: int
    path: str
    host_pid: bool = False
    host_ipc: bool = False
    security: SecurityContext = field(default_factory=SecurityContext)
    termination_grace_period_seconds: int = DEFAULT_GRACE_PERIOD
    active_deadline_seconds: int | None = None
    node_name: str | None = None
    priority_class_name: str | None = None
    # Pod-level resources (spec.resources, PodLevelResources: beta from 1.34), as written.
    requests: dict[str, Fraction] = field(default_factory=dict)
    limits: dict[str, Fraction] = field(default_factory=dict)
    # Of the defaulted fields (restartPolicy, terminationGracePeriodSeconds), those the spec sets.
    written: frozenset[str] = frozenset()
    spec: Mapping | None = field(default=None, repr=False)

    def container(self, name: str) -> Container | None:
        """The container with this name, if any."""
        return next((c for c in self.containers if c.name == name), None)

    def volume(self, name: str) -> Volume | None:
        """The volume with this name, if any."""
        return next((v for v in self.volumes if v.name == name), None)

    @property
    def init_steps(self) -> list[Container]:
        """Init containers and sidecars, in the order the kubelet starts them."""
        return [c for c in self.containers if c.role in (Role.INIT, Role.SIDECAR)]

    @property
    def apps(self) -> list[Container]:
        """The app containers, in list order."""
        return [c for c in self.containers if c.role == Role.APP]

    @property
    def written_volumes(self) -> list[Volume]:
        """The volumes as the spec writes them: those a claim template replaced instead of it."""
        written = [v for v in self.volumes if not v.claim_template]
        return written + [r for v in self.volumes for r in v.replaced]

    @property
    def mounts(self) -> list[Mount]:
        """Every container's mounts."""
        return [m for c in self.containers for m in c.mounts]

    @property
    def ports(self) -> list[Port]:
        """Every container's ports."""
        return [p for c in self.containers for p in c.ports]

    def startup_order(self) -> list[list[str]]:
        """Steps of start-up: each init container or sidecar alone, then all apps together."""
        steps = [[c.name] for c in self.init_steps]
        if self.apps:
            steps.append([c.name for c in self.apps])
        return steps

    def start_steps(self) -> dict[str, int]:
        """The start step (1-based) of each container, by name."""
        steps: dict[str, int] = {}
        for number, group in enumerate(self.startup_order(), start=1):
            for name in group:
                steps.setdefault(name, number)
        return steps

    def shutdown_order(self) -> list[list[str]]:
        """Apps stop first, then sidecars in reverse start order (init containers have ended)."""
        steps = [[c.name for c in self.apps]] if self.apps else []
        steps += [[c.name] for c in reversed(self.init_steps) if c.role == Role.SIDECAR]
        return steps

    def effective_request(self, resource: str, *, as_written: bool = False) -> Fraction:
        """The pod's request for a resource as the scheduler computes it, sidecars included
        (AggregateContainerRequests); `as_written`: of the requests the spec writes, unset ones
        not taken from the limits.

        Init containers run one at a time, each beside the sidecars started before it; after
        them, apps and sidecars run together. The pod needs the larger of the two peaks.
        """
        sidecars = _NOTHING
        init_peak = _NOTHING
        for container in self.init_steps:
            requests = container.written_requests if as_written else container.requests
            request = requests.get(resource, _NOTHING)
            if container.role == Role.SIDECAR:
                sidecars += request
                init_peak = max(init_peak, sidecars)
            else:
                init_peak = max(init_peak, request + sidecars)
        running = _total(
            (c.written_requests if as_written else c.requests).get(resource, _NOTHING)
            for c in self.apps
        )
        return max(init_peak, running + sidecars)

    def effective_requests(self) -> dict[str, str]:
        """Effective CPU and memory requests, formatted the Kubernetes way."""
        return {
            "cpu": format_cpu(self.effective_request("cpu")),
            "memory": format_memory(self.effective_request("memory")),
        }


@dataclass
class JobSpec:
    """What makes a Job (or each Job of a CronJob) complete or fail, with the API server's defaults.

    SetDefaults_Job (pkg/apis/batch/v1/defaults.go): completions and parallelism are both 1 when
    both are unset; parallelism alone is 1 when unset (completions then stay unset: the Job is
    done when any pod succeeds); backoffLimit is 6 (MaxInt32 with backoffLimitPerIndex);
    completionMode is NonIndexed; suspend is false. A CronJob's job template gets them when the
    CronJob controller creates each Job.
    """

    completions: int | None = 1
    parallelism: int = 1
    backoff_limit: int = DEFAULT_BACKOFF_LIMIT
    backoff_limit_per_index: int | None = None
    active_deadline_seconds: int | None = None
    ttl_seconds_after_finished: int | None = None
    completion_mode: str = "NonIndexed"
    suspend: bool = False
    has_pod_failure_policy: bool = False
    # The fields the spec sets (by API name); the others carry the default.
    written: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """The Job's completion semantics, JSON-ready."""
        return {
            "completions": self.completions,
            "parallelism": self.parallelism,
            "backoffLimit": self.backoff_limit,
            "backoffLimitPerIndex": self.backoff_limit_per_index,
            "activeDeadlineSeconds": self.active_deadline_seconds,
            "ttlSecondsAfterFinished": self.ttl_seconds_after_finished,
            "completionMode": self.completion_mode,
            "suspend": self.suspend,
            "podFailurePolicy": self.has_pod_failure_policy,
            "defaulted": sorted(JOB_DEFAULTED - self.written),
        }


@dataclass
class Workload:
    """A checked object that runs pods: a Pod, or a controller with a pod template."""

    kind: str
    api_version: str
    name: str | None
    document: int
    line: int
    pod: Pod
    replicas: int | None = None
    schedule: str | None = None
    # SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go): `Allow` when unset; None for other kinds.
    concurrency_policy: str | None = None
    job: JobSpec | None = None  # for a Job, or a CronJob's job template

    def is_job_worker(self, container: Container) -> bool:
        """Whether the container is a Job's worker, there to finish its work: the Job's only app
        container (with several, the spec cannot tell the worker from a helper)."""
        apps = self.pod.apps
        return self.job is not None and len(apps) == 1 and apps[0] is container

    @property
    def completions(self) -> int | None:
        """The completions a Job's spec writes (None when it leaves them to the default)."""
        job = self.job
        return job.completions if job and "completions" in job.written else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary of the model."""
        pod = self.pod
        return {
            "kind": self.kind,
            "apiVersion": self.api_version,
            "name": self.name,
            "document": self.document,
            "replicas": self.replicas,
            "schedule": self.schedule,
            "concurrencyPolicy": self.concurrency_policy,
            "job": self.job.to_dict() if self.job else None,
            "pod": {
                "name": pod.name,
                "labels": pod.labels,
                "restartPolicy": pod.restart_policy,
                "shareProcessNamespace": pod.share_process_namespace,
                "hostNetwork": pod.host_network,
                "terminationGracePeriodSeconds": pod.termination_grace_period_seconds,
                "activeDeadlineSeconds": pod.active_deadline_seconds,
                "nodeName": pod.node_name,
                "priorityClassName": pod.priority_class_name,
                "resources": {
                    "requests": _amounts(pod.requests),
                    "limits": _amounts(pod.limits),
                },
                "defaulted": sorted(POD_DEFAULTED - pod.written),
                "containers": [_container_dict(c) for c in pod.containers],
                "volumes": [
                    {"name": v.name, "type": v.type, "detail": v.detail} for v in pod.volumes
                ],
                "startupOrder": pod.startup_order(),
                "shutdownOrder": pod.shutdown_order(),
                "effectiveRequests": pod.effective_requests(),
            },
        }


_NOTHING = Fraction(0)


def _total(amounts: Iterable[Fraction]) -> Fraction:
    """The exact sum of amounts: numerators over one denominator are added as ints first (most
    requests share a unit), so only one Fraction is reduced for each unit."""
    by_denominator: dict[int, int] = {}
    for amount in amounts:
        denominator = amount.denominator
        by_denominator[denominator] = by_denominator.get(denominator, 0) + amount.numerator
    return sum((Fraction(n, d) for d, n in by_denominator.items()), _NOTHING)


def _amounts(amounts: dict[str, Fraction]) -> dict[str, str]:
    return {k: format_amount(k, v) for k, v in amounts.items()}


def _container_dict(c: Container) -> dict[str, Any]:
    return {
        "name": c.name,
        "role": str(c.role),
        "image": c.image,
        "imagePullPolicy": c.image_pull_policy,
        "command": list(c.command) if c.command is not None else None,
        "args": list(c.args) if c.args is not None else None,
        "env": list(c.env),
        "restartPolicy": c.restart_policy,
        "restartPolicyRules": [r.to_dict() for r in c.restart_policy_rules],
        "ports": [
            {"containerPort": p.number, "name": p.name, "protocol": p.protocol} for p in c.ports
        ],
        "mounts": [
            {"volume": m.volume, "mountPath": m.mount_path, "readOnly": m.read_only}
            for m in c.mounts
        ],
        "requests": _amounts(c.requests),
        "limits": _amounts(c.limits),
        "probes": [p.to_dict() for p in c.probes],
        "lifecycle": c.lifecycle.to_dict() if c.lifecycle else None,
        "defaulted": sorted(CONTAINER_DEFAULTED - c.written),
    }


def _resources(node: Node | None) -> dict[str, Fraction]:
    amounts = {}
    for key, value in node.pairs if isinstance(node, Mapping) else []:
        amount = parse_quantity(value.value) if isinstance(value, Scalar) else None
        if amount is not None:
            amounts[key.text] = amount
    return amounts


def _port_value(node: Node | None) -> int | str | None:
    """An IntOrString port: a number, or the name of a container port."""
    return number(node) if number(node) is not None else word(node)


def _handler(kind: HandlerKind, node: Node) -> Handler:
    handler = Handler(kind, node=node)
    if kind == HandlerKind.EXEC:
        handler.command = words(at(node, "command")) or ()
    elif kind == HandlerKind.HTTP_GET:
        # SetDefaults_HTTPGetAction: path `/`, scheme `HTTP`.
        handler.path = text(at(node, "path")) or "/"
        handler.scheme = word(at(node, "scheme")) or "HTTP"
        handler.host = text(at(node, "host"))
        handler.port = _port_value(at(node, "port"))
    elif kind == HandlerKind.TCP_SOCKET:
        handler.host = text(at(node, "host"))
        handler.port = _port_value(at(node, "port"))
    elif kind == HandlerKind.GRPC:
        handler.port = number(at(node, "port"))
        handler.service = text(at(node, "service"))
    else:
        handler.seconds = number(at(node, "seconds"))
    return handler


def _handlers(node: Node | None, kinds: tuple[HandlerKind, ...]) -> tuple[Handler, ...]:
    """Every handler written in a probe or hook (any value counts, so a rule can say two is one too many)."""
    found = ((kind, at(node, kind)) for kind in kinds)
    return tuple(_handler(kind, value) for kind, value in found if value is not None)


def _probe(kind: ProbeKind, node: Mapping) -> Probe:
    timings = dict(PROBE_DEFAULTS)
    written = set()
    for key, default in PROBE_DEFAULTS.items():
        value = number(node.get(key))
        # The API server defaults a 0 as if it were unset (the fields are plain int32s).
        if value is not None and (value != 0 or default == 0):
            timings[key] = value
            written.add(key)
    return Probe(
        kind,
        _handlers(node, PROBE_HANDLERS),
        initial_delay_seconds=timings["initialDelaySeconds"],
        period_seconds=timings["periodSeconds"],
        timeout_seconds=timings["timeoutSeconds"],
        success_threshold=timings["successThreshold"],
        failure_threshold=timings["failureThreshold"],
        termination_grace_period_seconds=number(node.get("terminationGracePeriodSeconds")),
        written=frozenset(written),
        node=node,
    )


# Each probe's field, named once rather than for every container.
_PROBE_FIELDS = tuple((kind, kind.key) for kind in ProbeKind)


def _probes(container: Mapping) -> tuple[Probe, ...]:
    found = ((kind, container.get(key)) for kind, key in _PROBE_FIELDS)
    return tuple(_probe(kind, node) for kind, node in found if isinstance(node, Mapping))


def _hook(node: Node | None) -> Handler | None:
    handlers = _handlers(node, HOOK_HANDLERS) if isinstance(node, Mapping) else ()
    return handlers[0] if handlers else None


def _lifecycle(node: Node | None) -> Lifecycle | None:
    if not isinstance(node, Mapping):
        return None
    return Lifecycle(
        post_start=_hook(node.get("postStart")),
        pre_stop=_hook(node.get("preStop")),
        stop_signal=word(node.get("stopSignal")),
        node=node,
    )


def _boolean(node: Node | None) -> bool | None:
    return node.value if isinstance(node, Scalar) and isinstance(node.value, bool) else None


def _security_context(node: Node | None) -> SecurityContext:
    if not isinstance(node, Mapping):
        return SecurityContext()  # most containers set none: every field unset
    return SecurityContext(
        privileged=_boolean(at(node, "privileged")),
        allow_privilege_escalation=_boolean(at(node, "allowPrivilegeEscalation")),
        run_as_non_root=_boolean(at(node, "runAsNonRoot")),
        run_as_user=number(at(node, "runAsUser")),
        run_as_group=number(at(node, "runAsGroup")),
        read_only_root_filesystem=_boolean(at(node, "readOnlyRootFilesystem")),
    )


def _restart_rules(node: Node | None, path: str) -> tuple[RestartRule, ...]:
    return tuple(
        RestartRule(
            action=word(rule.get("action")),
            operator=word(at(rule, "exitCodes.operator")),
            exit_codes=tuple(
                code
                for code in map(number, items(at(rule, "exitCodes.values")))
                if code is not None
            ),
            path=f"{path}[{i}]",
            node=rule,
        )
        for i, rule in mappings(node)
    )


def _container(node: Mapping, role: Role, path: str, index: int) -> Container:
    name = text(node.get("name")) or f"(unnamed {index + 1})"
    restart = word(node.get("restartPolicy"))
    if role == Role.INIT and restart == "Always":
        role = Role.SIDECAR
    limits = _resources(at(node, "resources.limits"))
    requests = _resources(at(node, "resources.requests"))
    image = text(node.get("image"))
    pull_policy = word(node.get("imagePullPolicy"))
    container = Container(
        name=name,
        role=role,
        image=image,
        line=node.line,
        path=path,
        requests=limits | requests,
        written_requests=requests,
        limits=limits,
        probes=_probes(node),
        restart_policy=restart,
        restart_policy_rules=_restart_rules(
            node.get("restartPolicyRules"), f"{path}.restartPolicyRules"
        ),
        command=words(node.get("command")),
        args=words(node.get("args")),
        image_pull_policy=pull_policy or default_pull_policy(image),
        env=tuple(filter(None, (text(var.get("name")) for _, var in mappings(node.get("env"))))),
        lifecycle=_lifecycle(node.get("lifecycle")),
        security=_security_context(node.get("securityContext")),
        written=frozenset({"imagePullPolicy"} if pull_policy else ()),
        node=node,
    )
    for i, port in mappings(node.get("ports")):
        protocol = text(port.get("protocol")) or "TCP"
        container.ports.append(
            Port(
                name,
                number(port.get("containerPort")),
                text(port.get("name")),
                protocol,
                number(port.get("hostPort")),
                port.line,
                f"{path}.ports[{i}]",
                node=port,
            )
        )
    for i, mount in mappings(node.get("volumeMounts")):
        container.mounts.append(
            Mount(
                name,
                text(mount.get("name")) or "",
                text(mount.get("mountPath")) or "",
                flag(mount.get("readOnly")),
                mount.line,
                f"{path}.volumeMounts[{i}]",
                node=mount,
            )
        )
    return container


def _volume(node: Mapping, path: str) -> Volume:
    # A volume with no source is defaulted to an emptyDir by the API server.
    kind = next((key.text for key, _ in node.pairs if key.text != "name"), "emptyDir")
    source = node.get(kind)
    detail = ""
    if kind == "configMap":
        detail = text(at(source, "name")) or ""
    elif kind == "secret":
        detail = text(at(source, "secretName")) or ""
    elif kind == "persistentVolumeClaim":
        detail = text(at(source, "claimName")) or ""
    elif kind == "hostPath":
        detail = text(at(source, "path")) or ""
    elif kind == "emptyDir":
        detail = "memory" if text(at(source, "medium")) == "Memory" else ""
    elif kind == "image":
        detail = text(at(source, "reference")) or ""
    return Volume(text(node.get("name")) or "", kind, detail, node.line, path, node=node)


def build_pod(
    metadata: Node | None,
    spec: Node | None,
    spec_path: str,
    line: int,
    extra_volumes: Iterable[Volume] = (),
) -> Pod:
    """The pod model of a pod spec node (any node: mistakes are skipped)."""
    containers = []
    for key, role in (("initContainers", Role.INIT), ("containers", Role.APP)):
        for i, item in mappings(at(spec, key)):
            containers.append(_container(item, role, f"{spec_path}.{key}[{i}]", i))
    volumes = [_volume(v, f"{spec_path}.volumes[{i}]") for i, v in mappings(at(spec, "volumes"))]
    # The StatefulSet controller's updateStorage (pkg/controller/statefulset/stateful_set_utils.go)
    # drops every pod volume that a claim template names and mounts the claim in its place.
    claims = list(extra_volumes)
    for claim in claims:
        claim.replaced = tuple(v for v in volumes if v.name == claim.name)
    claimed = {v.name for v in claims}
    volumes = [v for v in volumes if v.name not in claimed] + claims
    defined = {v.name for v in volumes}
    for container in containers:
        for mount in container.mounts:
            mount.defined = mount.volume in defined
    restart_policy = text(at(spec, "restartPolicy"))
    grace_period = number(at(spec, "terminationGracePeriodSeconds"))
    return Pod(
        name=text(at(metadata, "name")),
        labels=string_map(at(metadata, "labels")),
        containers=containers,
        volumes=volumes,
        restart_policy=restart_policy or "Always",
        share_process_namespace=flag(at(spec, "shareProcessNamespace")),
        host_network=flag(at(spec, "hostNetwork")),
        line=spec.line if spec is not None else line,
        path=spec_path,
        host_pid=flag(at(spec, "hostPID")),
        host_ipc=flag(at(spec, "hostIPC")),
        security=_security_context(at(spec, "securityContext")),
        # 0 is a valid grace period (stop at once), so only an unset one takes the default.
        termination_grace_period_seconds=_or(grace_period, DEFAULT_GRACE_PERIOD),
        active_deadline_seconds=number(at(spec, "activeDeadlineSeconds")),
        node_name=text(at(spec, "nodeName")),
        priority_class_name=text(at(spec, "priorityClassName")),
        requests=_resources(at(spec, "resources.requests")),
        limits=_resources(at(spec, "resources.limits")),
        written=frozenset(
            key
            for key, value in (
                ("restartPolicy", restart_policy),
                ("terminationGracePeriodSeconds", grace_period),
            )
            if value is not None
        ),
        spec=spec if isinstance(spec, Mapping) else None,
    )


@lru_cache(maxsize=1024)
def format_amount(resource: str, amount: Fraction) -> str:
    """A quantity the way Kubernetes writes it: CPU in cores or millicores, the rest in bytes."""
    return format_cpu(amount) if resource == "cpu" else format_memory(amount)


def _claim_templates(root: Mapping) -> list[Volume]:
    """A StatefulSet's volumeClaimTemplates: each becomes a volume of every pod it creates (the
    controller keys them by name, so of two with one name the last is the one mounted)."""
    volumes: dict[str, Volume] = {}
    for i, claim in mappings(at(root, "spec.volumeClaimTemplates")):
        name = text(at(claim, "metadata.name")) or ""
        path = f"spec.volumeClaimTemplates[{i}]"
        volumes[name] = Volume(
            name,
            "persistentVolumeClaim",
            "claim template",
            claim.line,
            path,
            node=claim,
            claim_template=True,
        )
    return list(volumes.values())


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def build_job(spec: Node | None) -> JobSpec:
    """A Job spec's completion semantics, defaulted as SetDefaults_Job does."""
    numbers = {
        key: value
        for key in (
            "completions",
            "parallelism",
            "backoffLimit",
            "backoffLimitPerIndex",
            "activeDeadlineSeconds",
            "ttlSecondsAfterFinished",
        )
        if (value := number(at(spec, key))) is not None
    }
    mode = word(at(spec, "completionMode"))
    suspend = at(spec, "suspend")
    suspend_written = isinstance(suspend, Scalar) and isinstance(suspend.value, bool)
    completions = numbers.get("completions")
    if completions is None and "parallelism" not in numbers:
        completions = 1  # a non-parallel Job: one pod that succeeds
    per_index = numbers.get("backoffLimitPerIndex")
    return JobSpec(
        completions=completions,
        parallelism=_or(numbers.get("parallelism"), 1),
        backoff_limit=_or(
            numbers.get("backoffLimit"),
            UNLIMITED_BACKOFF if per_index is not None else DEFAULT_BACKOFF_LIMIT,
        ),
        backoff_limit_per_index=per_index,
        active_deadline_seconds=numbers.get("activeDeadlineSeconds"),
        ttl_seconds_after_finished=numbers.get("ttlSecondsAfterFinished"),
        completion_mode=mode or "NonIndexed",
        suspend=flag(suspend),
        has_pod_failure_policy=isinstance(at(spec, "podFailurePolicy"), Mapping),
        written=frozenset(numbers)
        | {
            key
            for key, present in (("completionMode", mode), ("suspend", suspend_written))
            if present
        },
    )


def build_workload(root: Mapping, kind: str, api_version: str, document: int) -> Workload:
    """The workload model of an object whose kind runs pods."""
    metadata_path, spec_path = WORKLOAD_KINDS[kind]
    extra = _claim_templates(root) if kind == "StatefulSet" else []
    pod = build_pod(at(root, metadata_path), at(root, spec_path), spec_path, root.line, extra)
    if pod.name is None and kind != "Pod":
        pod.name = text(at(root, "metadata.name"))
    job_path = {"Job": "spec", "CronJob": "spec.jobTemplate.spec"}.get(kind)
    return Workload(
        kind=kind,
        api_version=api_version,
        name=text(at(root, "metadata.name")),
        document=document,
        line=root.line,
        pod=pod,
        replicas=number(at(root, "spec.replicas")),
        schedule=text(at(root, "spec.schedule")),
        concurrency_policy=(word(at(root, "spec.concurrencyPolicy")) or "Allow")
        if kind == "CronJob"
        else None,
        job=build_job(at(root, job_path)) if job_path else None,
    )
