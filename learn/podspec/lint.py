"""Best-practice checks for the `production` profile, named after kube-linter's checks.

These are warnings: the API server accepts such pods, but they run with more privilege, less
isolation or less resilience than they need. A lint that carries a kube-linter check's name fires
exactly where that check (as kube-linter configures it by default) fires, on every workload kind
it reads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob), on regular and init
containers unless it says otherwise. A rule of our own has a name kube-linter does not use.
"""

import re
from collections.abc import Callable, Iterator

from learn.podspec.context import Context
from learn.podspec.diagnostics import Diagnostic
from learn.podspec.model import (
    Container,
    Pod,
    ProbeKind,
    Role,
    at,
    image_reference,
    items,
    mappings,
    text,
)
from learn.podspec.quantity import parse_quantity
from learn.podspec.source import Mapping, Node, Scalar

# kube-linter's `sensitive-host-mounts` directories, each matched whole (`^/etc$`): a
# subdirectory such as /etc/ssl, or /etc/ with its slash, is not one of them.
SENSITIVE_HOST_PATHS = frozenset({"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"})
# kube-linter's `docker-sock` pattern, `docker.sock$`: any path that ends so, wherever it is.
DOCKER_SOCKET = re.compile(r"docker.sock\Z")
# kube-linter's `env-var-secret`: a name containing "secret" (any case) whose value is written
# in the spec (`.+`: a character other than a newline); a `valueFrom` has no value.
SECRET_NAME = re.compile(r"secret", re.I)
WRITTEN = re.compile(r".")
# kube-linter's `drop-net-raw-capability` pattern, matched as written (case counts) anywhere in
# a capability's name; the reserved word ALL is read in any case.
NET_RAW = re.compile(r"NET_RAW")
Lint = Callable[[Context], Iterator[Diagnostic]]


def _name_node(container: Container) -> Node:
    return container.node.key_node("name") or container.node


def latest_tag(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        image = container.image or ""
        if not image:
            continue
        tag, digest = image_reference(image)
        if digest is None and tag in (None, "latest"):
            yield ctx.warning(
                "latest-tag",
                container.node.get("image"),
                f"{container.path}.image",
                f"`{image}` "
                + ("has no tag, so it means `:latest`" if tag is None else "uses `:latest`")
                + ": what runs can change without any change to this spec",
                "Pin a version tag such as `nginx:1.27.3`, or better a digest (`@sha256:…`).",
            )


def privileged_container(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        if container.security.privileged:
            yield ctx.warning(
                "privileged-container",
                at(container.node, "securityContext.privileged"),
                f"{container.path}.securityContext.privileged",
                f"container `{container.name}` is privileged: it has every capability and the host's devices",
                "Remove `privileged: true`; add only the capabilities it really needs.",
            )


def _capabilities(container: Container, key: str) -> list[tuple[int, str, Node]]:
    """The (index, name, node) of each capability a container lists under `add` or `drop`."""
    listed = items(at(container.node, f"securityContext.capabilities.{key}"))
    return [(i, name, node) for i, node in enumerate(listed) if (name := text(node)) is not None]


def _is_all(capability: str) -> bool:
    return capability.lower() == "all"


def _escalation(container: Container) -> tuple[Node | None, str, str] | None:
    """Why a container may gain privileges (node, path, reason), the first of kube-linter's three."""
    security, path = container.security, f"{container.path}.securityContext"
    if security.allow_privilege_escalation:
        node = at(container.node, "securityContext.allowPrivilegeEscalation")
        return node, f"{path}.allowPrivilegeEscalation", "allows privilege escalation"
    if security.privileged:
        node = at(container.node, "securityContext.privileged")
        return node, f"{path}.privileged", "is privileged, which allows privilege escalation"
    for i, name, node in _capabilities(container, "add"):
        if name == "SYS_ADMIN":
            where = f"{path}.capabilities.add[{i}]"
            return node, where, "adds SYS_ADMIN, which allows privilege escalation"
    return None


def privilege_escalation_container(ctx: Context) -> Iterator[Diagnostic]:
    # Privileged containers and SYS_ADMIN get no no_new_privs whatever allowPrivilegeEscalation
    # says, so kube-linter flags all three.
    for container in ctx.pod.containers:
        if found := _escalation(container):
            node, path, reason = found
            yield ctx.warning(
                "privilege-escalation-container",
                node,
                path,
                f"container `{container.name}` {reason}: setuid binaries can gain root",
                "Set `allowPrivilegeEscalation: false`; remove `privileged: true` and the SYS_ADMIN capability.",
            )


def _run_as_group(ctx: Context, container: Container) -> tuple[int | None, Node | None]:
    """The group a container runs as (its own setting over the pod's) and where it is written."""
    own, pod = container.security.run_as_group, ctx.pod.security.run_as_group
    if own is not None:
        return own, at(container.node, "securityContext.runAsGroup")
    return pod, at(ctx.pod.spec, "securityContext.runAsGroup")


def run_as_non_root(ctx: Context) -> Iterator[Diagnostic]:
    pod = ctx.pod.security
    for container in ctx.pod.containers:
        own = container.security
        group, group_node = _run_as_group(ctx, container)
        if group == 0:
            yield ctx.warning(
                "run-as-non-root",
                group_node,
                f"{container.path}.securityContext.runAsGroup",
                f"container `{container.name}` runs with group 0 (root's group)",
                "Set `runAsGroup` to a non-zero group ID.",
            )
        user = own.run_as_user if own.run_as_user is not None else pod.run_as_user
        if user is not None and user > 0:
            continue
        # A container's own runAsNonRoot, false included, overrides the pod's.
        non_root = own.run_as_non_root if own.run_as_non_root is not None else pod.run_as_non_root
        if non_root and user == 0:
            message = f"container `{container.name}` sets runAsNonRoot but runAsUser 0: the kubelet will refuse to start it"
        elif non_root:
            continue
        else:
            message = f"container `{container.name}` may run as root"
        yield ctx.warning(
            "run-as-non-root",
            _name_node(container),
            container.path,
            message,
            "Set `securityContext.runAsNonRoot: true` (pod or container) and a non-zero `runAsUser`.",
        )


def no_read_only_root_fs(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        if not container.security.read_only_root_filesystem:
            yield ctx.warning(
                "no-read-only-root-fs",
                _name_node(container),
                container.path,
                f"container `{container.name}` can write to its root filesystem",
                "Set `securityContext.readOnlyRootFilesystem: true`; mount an emptyDir where it must write.",
            )


# Why kube-linter asks for each amount: a CPU request reserves room (a CPU limit is optional), a
# memory limit caps the container (its request defaults to it).
_REQUIREMENT_WHY = {
    "request": "so the scheduler reserves room for it",
    "limit": "so it cannot take the node's memory (the request defaults to the limit)",
}


def _unset_requirement(resource: str, kind: str) -> Lint:
    """kube-linter's check that a container's `resource` `kind` is set and not zero."""
    code, key = f"unset-{resource}-requirements", f"{kind}s"

    def check(ctx: Context) -> Iterator[Diagnostic]:
        pod_amounts = ctx.pod.requests if kind == "request" else ctx.pod.limits
        for container in ctx.pod.containers:
            # As written: kube-linter does not copy a limit into an unset request as the API
            # server does, and reads only the container's resources, not the pod-level ones.
            written = at(container.node, f"resources.{key}.{resource}")
            amount = parse_quantity(written.value) if isinstance(written, Scalar) else None
            # ValueInRange(value, 0, 0) (pkg/templates/util/value_in_range.go): kube-linter
            # fires only at exactly 0, which an unset amount reads as; a negative one is out of
            # its range (and refused by the API server).
            if amount is not None and amount != 0:
                continue
            what = (
                f"sets its {resource} {kind} to 0" if amount == 0 else f"sets no {resource} {kind}"
            )
            if resource in pod_amounts:
                what += " (the pod-level `resources` do not count for this kube-linter check)"
            yield ctx.warning(
                code,
                written if amount == 0 else _name_node(container),
                f"{container.path}.resources.{key}.{resource}",
                f"container `{container.name}` {what}",
                f"Give it a {resource} {kind} under `resources.{key}`, {_REQUIREMENT_WHY[kind]}.",
            )

    check.__name__ = code.replace("-", "_")
    return check


def _host_flag(key: str, shared: Callable[[Pod], bool], code: str, what: str) -> Lint:
    def check(ctx: Context) -> Iterator[Diagnostic]:
        if shared(ctx.pod):
            yield ctx.warning(
                code,
                at(ctx.pod.spec, key),
                f"{ctx.pod.path}.{key}",
                f"the pod shares the host's {what}",
                f"Remove `{key}: true` unless this is a node agent that needs it.",
            )

    check.__name__ = code.replace("-", "_")
    return check


def _host_mounts(code: str, matches: Callable[[str], bool], what: str, hint: str) -> Lint:
    """kube-linter's host-mounts template: each mount of a hostPath volume whose path matches."""

    def check(ctx: Context) -> Iterator[Diagnostic]:
        # The volumes as written: kube-linter does not know that a StatefulSet's claim
        # template replaces a pod volume of its name.
        paths = {v.name: v.detail for v in ctx.pod.written_volumes if v.type == "hostPath"}
        for container in ctx.pod.containers:
            for mount in container.mounts:
                path = paths.get(mount.volume)
                if path is not None and matches(path):
                    yield ctx.warning(
                        code,
                        mount.node.get("name") or mount.node,
                        f"{mount.path}.name",
                        f"container `{container.name}` mounts the host's `{path}`{what}",
                        hint,
                    )

    check.__name__ = code.replace("-", "_")
    return check


docker_sock = _host_mounts(
    "docker-sock",
    lambda path: DOCKER_SOCKET.search(path) is not None,
    ", the Docker socket: whoever can use it controls the node",
    "Do not mount the container runtime's socket into pods.",
)
sensitive_host_mounts = _host_mounts(
    "sensitive-host-mounts",
    lambda path: path in SENSITIVE_HOST_PATHS,
    ", one of the node's system directories",
    "Use a configMap, secret or emptyDir instead of the node's system directories.",
)


def _probe_check(kind: ProbeKind, code: str) -> Lint:
    # kube-linter checks regular containers only, in every kind of workload (Jobs included):
    # init containers, native sidecars among them, are not checked.
    what = (
        "restarted when it hangs" if kind == ProbeKind.LIVENESS else "sent traffic only when ready"
    )

    def check(ctx: Context) -> Iterator[Diagnostic]:
        for container in ctx.pod.containers:
            if container.role == Role.APP and container.probe(kind) is None:
                yield ctx.warning(
                    code,
                    _name_node(container),
                    f"{container.path}.{kind.key}",
                    f"container `{container.name}` has no {kind.key}, so it cannot be {what}",
                    f"Add a `{kind.key}` (an httpGet, tcpSocket, grpc or exec check).",
                )

    check.__name__ = code.replace("-", "_")
    return check


def no_sidecar_readiness_probe(ctx: Context) -> Iterator[Diagnostic]:
    # Our own rule (kube-linter never looks at init containers): a native sidecar's readiness
    # counts toward the Pod's Ready condition, so without a probe it counts as ready on start.
    for container in ctx.pod.containers:
        if container.role == Role.SIDECAR and container.probe(ProbeKind.READINESS) is None:
            yield ctx.warning(
                "no-sidecar-readiness-probe",
                _name_node(container),
                f"{container.path}.readinessProbe",
                f"sidecar container `{container.name}` has no readinessProbe, so it counts as ready as soon as it starts",
                "Add a `readinessProbe`: a sidecar's readiness is part of the Pod's Ready "
                "(kube-linter's no-readiness-probe checks only regular containers).",
            )


def drop_net_raw_capability(ctx: Context) -> Iterator[Diagnostic]:
    # kube-linter looks only at containers that write `capabilities`: adding NET_RAW (or ALL) is
    # flagged, and so is a drop list without NET_RAW or ALL.
    for container in ctx.pod.containers:
        security = at(container.node, "securityContext")
        capabilities = at(security, "capabilities")
        if not isinstance(security, Mapping) or not isinstance(capabilities, Mapping):
            continue
        path = f"{container.path}.securityContext.capabilities"
        for i, name, node in _capabilities(container, "add"):
            if NET_RAW.search(name) or _is_all(name):
                yield ctx.warning(
                    "drop-net-raw-capability",
                    node,
                    f"{path}.add[{i}]",
                    f"container `{container.name}` adds {name}, which allows crafting raw network packets",
                    "Remove it from `capabilities.add`, and list NET_RAW (or ALL) under `drop`.",
                )
        dropped = [name for _, name, _ in _capabilities(container, "drop")]
        if not any(NET_RAW.search(name) or _is_all(name) for name in dropped):
            yield ctx.warning(
                "drop-net-raw-capability",
                capabilities.get("drop") or security.key_node("capabilities"),
                f"{path}.drop",
                f"container `{container.name}` sets capabilities but does not drop NET_RAW",
                "Add `drop: [ALL]` (or at least NET_RAW) under `capabilities`.",
            )


def env_var_secret(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        for i, var in mappings(container.node.get("env")):
            name = text(var.get("name")) or ""
            value = text(var.get("value")) or ""
            if SECRET_NAME.search(name) and WRITTEN.search(value):
                yield ctx.warning(
                    "env-var-secret",
                    var.get("value"),
                    f"{container.path}.env[{i}].value",
                    f"`{name}` looks like a secret written into the spec in plain text",
                    "Store it in a Secret and use `valueFrom.secretKeyRef`, or mount the Secret as a file.",
                )


def privileged_ports(ctx: Context) -> Iterator[Diagnostic]:
    for port in ctx.pod.ports:
        if port.number is not None and 0 < port.number < 1024:
            yield ctx.warning(
                "privileged-ports",
                port.node.get("containerPort"),
                f"{port.path}.containerPort",
                f"`{port.container}` listens on port {port.number}, which needs root or NET_BIND_SERVICE",
                "Listen on a port from 1024 up (e.g. 8080) and map it in the Service.",
            )


LINTS = (
    latest_tag,
    privileged_container,
    privilege_escalation_container,
    run_as_non_root,
    no_read_only_root_fs,
    # kube-linter asks for a CPU request (a CPU limit is optional) and a memory limit (the
    # request defaults to it).
    _unset_requirement("cpu", "request"),
    _unset_requirement("memory", "limit"),
    _host_flag(
        "hostNetwork",
        lambda pod: pod.host_network,
        "host-network",
        "network namespace (its interfaces and ports)",
    ),
    _host_flag(
        "hostPID",
        lambda pod: pod.host_pid,
        "host-pid",
        "process namespace (it sees every process on the node)",
    ),
    _host_flag("hostIPC", lambda pod: pod.host_ipc, "host-ipc", "IPC namespace"),
    docker_sock,
    sensitive_host_mounts,
    _probe_check(ProbeKind.LIVENESS, "no-liveness-probe"),
    _probe_check(ProbeKind.READINESS, "no-readiness-probe"),
    no_sidecar_readiness_probe,
    drop_net_raw_capability,
    env_var_secret,
    privileged_ports,
)
LINT_CODES = tuple("-".join(check.__name__.split("_")) for check in LINTS)


def run(ctx: Context) -> Iterator[Diagnostic]:
    """Every best-practice finding for one workload."""
    for check in LINTS:
        yield from check(ctx)
