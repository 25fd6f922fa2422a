"""The model of a workload: its pod, containers in start order with their roles, volumes, mounts,
ports and resources, plus what a teacher needs: start and stop order and effective requests.

Built from the node tree and tolerant of mistakes (wrong types are skipped), so a spec with errors
still gets the best model, and so the best diagram, that can be made of it.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

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
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")


def at(node: Node | None, dotted: str) -> Node | None:
    """The node at a dotted path of mapping keys, or None when any step is missing."""
    for key in dotted.split(".") if dotted else []:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def text(node: Node | None) -> str | None:
    """A scalar's value as text, or None."""
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return str(node.value) if not isinstance(node.value, str) else node.value
    return None


def number(node: Node | None) -> int | None:
    if (
        isinstance(node, Scalar)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return node.value
    return None


def flag(node: Node | None) -> bool:
    return isinstance(node, Scalar) and node.value is True


def items(node: Node | None) -> list[Node]:
    return node.items if isinstance(node, Sequence) else []


def mappings(node: Node | None) -> list[tuple[int, Mapping]]:
    """The (index, item) pairs of a list that are mappings."""
    return [(i, item) for i, item in enumerate(items(node)) if isinstance(item, Mapping)]


def string_map(node: Node | None) -> dict[str, str]:
    if not isinstance(node, Mapping):
        return {}
    return {key.text: str(value.value) for key, value in node.pairs if isinstance(value, Scalar)}


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
    node: Mapping | None = field(default=None, repr=False)


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
    node: Mapping | None = field(default=None, repr=False)


@dataclass
class Volume:
    """A volume of the pod with its type and what it holds."""

    name: str
    type: str
    detail: str
    line: int
    path: str
    node: Mapping | None = field(default=None, repr=False)


@dataclass
class Container:
    """A container with its role: `init` (runs to completion), `sidecar` or `app`."""

    name: str
    role: str
    image: str | None
    line: int
    path: str
    ports: list[Port] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    requests: dict[str, Fraction] = field(default_factory=dict)
    limits: dict[str, Fraction] = field(default_factory=dict)
    probes: tuple[str, ...] = ()
    restart_policy: str | None = None
    node: Mapping | None = field(default=None, repr=False)

    @property
    def is_long_running(self) -> bool:
        return self.role in ("sidecar", "app")


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
    spec: Mapping | None = field(default=None, repr=False)

    def container(self, name: str) -> Container | None:
        """The container with this name, if any."""
        return next((c for c in self.containers if c.name == name), None)

    def volume(self, name: str) -> Volume | None:
        return next((v for v in self.volumes if v.name == name), None)

    @property
    def init_steps(self) -> list[Container]:
        """Init containers and sidecars, in the order the kubelet starts them."""
        return [c for c in self.containers if c.role in ("init", "sidecar")]

    @property
    def apps(self) -> list[Container]:
        return [c for c in self.containers if c.role == "app"]

    @property
    def mounts(self) -> list[Mount]:
        return [m for c in self.containers for m in c.mounts]

    @property
    def ports(self) -> list[Port]:
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
        steps += [[c.name] for c in reversed(self.init_steps) if c.role == "sidecar"]
        return steps

    def effective_request(self, resource: str) -> Fraction:
        """The pod's request for a resource as the scheduler computes it, sidecars included.

        Init containers run one at a time, each beside the sidecars started before it; after
        them, apps and sidecars run together. The pod needs the larger of the two peaks.
        """
        sidecars = Fraction(0)
        init_peak = Fraction(0)
        for container in self.init_steps:
            request = container.requests.get(resource, Fraction(0))
            if container.role == "sidecar":
                sidecars += request
                init_peak = max(init_peak, sidecars)
            else:
                init_peak = max(init_peak, request + sidecars)
        running = sum((c.requests.get(resource, Fraction(0)) for c in self.apps), Fraction(0))
        return max(init_peak, running + sidecars)

    def effective_requests(self) -> dict[str, str]:
        """Effective CPU and memory requests, formatted the Kubernetes way."""
        return {
            "cpu": format_cpu(self.effective_request("cpu")),
            "memory": format_memory(self.effective_request("memory")),
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
    completions: int | None = None

    def to_dict(self) -> dict:
        """A JSON-ready summary of the model."""
        pod = self.pod
        return {
            "kind": self.kind,
            "apiVersion": self.api_version,
            "name": self.name,
            "document": self.document,
            "replicas": self.replicas,
            "schedule": self.schedule,
            "pod": {
                "name": pod.name,
                "labels": pod.labels,
                "restartPolicy": pod.restart_policy,
                "shareProcessNamespace": pod.share_process_namespace,
                "containers": [
                    {
                        "name": c.name,
                        "role": c.role,
                        "image": c.image,
                        "ports": [
                            {"containerPort": p.number, "name": p.name, "protocol": p.protocol}
                            for p in c.ports
                        ],
                        "mounts": [
                            {"volume": m.volume, "mountPath": m.mount_path, "readOnly": m.read_only}
                            for m in c.mounts
                        ],
                        "requests": {k: format_amount(k, v) for k, v in c.requests.items()},
                        "limits": {k: format_amount(k, v) for k, v in c.limits.items()},
                        "probes": list(c.probes),
                    }
                    for c in pod.containers
                ],
                "volumes": [
                    {"name": v.name, "type": v.type, "detail": v.detail} for v in pod.volumes
                ],
                "startupOrder": pod.startup_order(),
                "shutdownOrder": pod.shutdown_order(),
                "effectiveRequests": pod.effective_requests(),
            },
        }


def _resources(node: Node | None) -> dict[str, Fraction]:
    amounts = {}
    for key, value in node.pairs if isinstance(node, Mapping) else []:
        amount = parse_quantity(value.value) if isinstance(value, Scalar) else None
        if amount is not None:
            amounts[key.text] = amount
    return amounts


def _container(node: Mapping, role: str, path: str, index: int) -> Container:
    name = text(node.get("name")) or f"(unnamed {index + 1})"
    restart = text(node.get("restartPolicy"))
    if role == "init" and restart == "Always":
        role = "sidecar"
    limits = _resources(at(node, "resources.limits"))
    container = Container(
        name=name,
        role=role,
        image=text(node.get("image")),
        line=node.line,
        path=path,
        # An unset request defaults to the limit, as the API server's defaulting does.
        requests=limits | _resources(at(node, "resources.requests")),
        limits=limits,
        probes=tuple(p for p in PROBES if isinstance(node.get(p), Mapping)),
        restart_policy=restart,
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
                port,
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
    return Volume(text(node.get("name")) or "", kind, detail, node.line, path, node)


def build_pod(
    metadata: Node | None, spec: Node | None, spec_path: str, line: int, extra_volumes=()
) -> Pod:
    """The pod model of a pod spec node (any node: mistakes are skipped)."""
    containers = []
    for key, role in (("initContainers", "init"), ("containers", "app")):
        for i, item in mappings(at(spec, key)):
            containers.append(_container(item, role, f"{spec_path}.{key}[{i}]", i))
    volumes = [_volume(v, f"{spec_path}.volumes[{i}]") for i, v in mappings(at(spec, "volumes"))]
    volumes += extra_volumes
    defined = {v.name for v in volumes}
    for container in containers:
        for mount in container.mounts:
            mount.defined = mount.volume in defined
    return Pod(
        name=text(at(metadata, "name")),
        labels=string_map(at(metadata, "labels")),
        containers=containers,
        volumes=volumes,
        restart_policy=text(at(spec, "restartPolicy")) or "Always",
        share_process_namespace=flag(at(spec, "shareProcessNamespace")),
        host_network=flag(at(spec, "hostNetwork")),
        line=spec.line if spec is not None else line,
        path=spec_path,
        spec=spec if isinstance(spec, Mapping) else None,
    )


@lru_cache(maxsize=1024)
def format_amount(resource: str, amount: Fraction) -> str:
    """A quantity the way Kubernetes writes it: CPU in cores or millicores, the rest in bytes."""
    return format_cpu(amount) if resource == "cpu" else format_memory(amount)


def _claim_templates(root: Mapping) -> list[Volume]:
    """A StatefulSet's volumeClaimTemplates: each becomes a volume of every pod it creates."""
    volumes = []
    for i, claim in mappings(at(root, "spec.volumeClaimTemplates")):
        name = text(at(claim, "metadata.name")) or ""
        path = f"spec.volumeClaimTemplates[{i}]"
        volumes.append(
            Volume(name, "persistentVolumeClaim", "claim template", claim.line, path, claim)
        )
    return volumes


def build_workload(root: Mapping, kind: str, api_version: str, document: int) -> Workload:
    """The workload model of an object whose kind runs pods."""
    metadata_path, spec_path = WORKLOAD_KINDS[kind]
    extra = _claim_templates(root) if kind == "StatefulSet" else []
    pod = build_pod(at(root, metadata_path), at(root, spec_path), spec_path, root.line, extra)
    if pod.name is None and kind != "Pod":
        pod.name = text(at(root, "metadata.name"))
    return Workload(
        kind=kind,
        api_version=api_version,
        name=text(at(root, "metadata.name")),
        document=document,
        line=root.line,
        pod=pod,
        replicas=number(at(root, "spec.replicas")),
        schedule=text(at(root, "spec.schedule")),
        completions=number(at(root, "spec.completions")),
    )
