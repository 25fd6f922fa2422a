"""Best-practice checks for the `production` profile, named after kube-linter's checks.

These are warnings: the API server accepts such pods, but they run with more privilege, less
isolation or less resilience than they need.
"""

import re
from collections.abc import Callable, Iterator

from learn.podspec.context import Context
from learn.podspec.diagnostics import Diagnostic
from learn.podspec.model import (
    Container,
    Pod,
    ProbeKind,
    SecurityContext,
    Volume,
    at,
    image_reference,
    mappings,
    text,
)

SENSITIVE_HOST_PATHS = (
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/sys",
    "/usr",
    "/var/run",
    "/run",
)
DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")
SECRET_NAME = re.compile(
    r"(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)", re.I
)
# Pods that run to completion are not load-balanced or restarted.
NO_PROBES_FOR = {"Job", "CronJob"}
Lint = Callable[[Context], Iterator[Diagnostic]]
FLAG_VALUES = {
    "",
    "0",
    "1",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
}


def _long_running(ctx: Context) -> list[Container]:
    return [c for c in ctx.pod.containers if c.is_long_running]


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


def _security_flag(
    key: str, setting: Callable[[SecurityContext], bool | None], code: str, what: str, hint: str
) -> Lint:
    """A check for a container securityContext flag that should not be true."""

    def check(ctx: Context) -> Iterator[Diagnostic]:
        for container in ctx.pod.containers:
            if setting(container.security):
                path = f"{container.path}.securityContext.{key}"
                node = at(container.node, f"securityContext.{key}")
                yield ctx.warning(code, node, path, f"container `{container.name}` {what}", hint)

    check.__name__ = code.replace("-", "_")
    return check


privileged_container = _security_flag(
    "privileged",
    lambda security: security.privileged,
    "privileged-container",
    "is privileged: it has every capability and the host's devices",
    "Remove `privileged: true`; add only the capabilities it really needs.",
)
privilege_escalation_container = _security_flag(
    "allowPrivilegeEscalation",
    lambda security: security.allow_privilege_escalation,
    "privilege-escalation-container",
    "allows privilege escalation (setuid binaries can gain root)",
    "Set `allowPrivilegeEscalation: false`.",
)


def run_as_non_root(ctx: Context) -> Iterator[Diagnostic]:
    pod = ctx.pod.security
    for container in ctx.pod.containers:
        own = container.security
        user = own.run_as_user if own.run_as_user is not None else pod.run_as_user
        if not (own.run_as_non_root or pod.run_as_non_root) and not (user and user > 0):
            yield ctx.warning(
                "run-as-non-root",
                container.node.key_node("name") or container.node,
                container.path,
                f"container `{container.name}` may run as root",
                "Set `securityContext.runAsNonRoot: true` (pod or container) and a non-zero `runAsUser`.",
            )


def no_read_only_root_fs(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        if not container.security.read_only_root_filesystem:
            yield ctx.warning(
                "no-read-only-root-fs",
                container.node.key_node("name") or container.node,
                container.path,
                f"container `{container.name}` can write to its root filesystem",
                "Set `securityContext.readOnlyRootFilesystem: true`; mount an emptyDir where it must write.",
            )


def _unset_requirement(resource: str) -> Lint:
    def check(ctx: Context) -> Iterator[Diagnostic]:
        # Pod-level resources (spec.resources) cover every container for what they set.
        pod = ctx.pod
        pod_level = {
            kind
            for kind, amounts in (("request", pod.requests), ("limit", pod.limits))
            if resource in amounts
        }
        for container in ctx.pod.containers:
            missing = [
                kind
                for kind, amounts in (("request", container.requests), ("limit", container.limits))
                if resource not in amounts
                and kind not in pod_level
                and (kind == "request" or resource == "memory")
            ]
            if missing:
                yield ctx.warning(
                    f"unset-{resource}-requirements",
                    container.node.key_node("name") or container.node,
                    f"{container.path}.resources",
                    f"container `{container.name}` sets no {resource} {' and no '.join(missing)}",
                    f"Add a {resource} {' and a '.join(missing)} under `resources:`, so the "
                    "scheduler can place the pod and one container cannot starve the others.",
                )

    check.__name__ = f"unset_{resource}_requirements"
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


def _host_path(volume: Volume) -> str | None:
    # The model's detail of a hostPath volume is its path ("" when unwritten).
    return (volume.detail or None) if volume.type == "hostPath" else None


def docker_sock(ctx: Context) -> Iterator[Diagnostic]:
    for volume in ctx.pod.volumes:
        path = _host_path(volume)
        if path and path.rstrip("/") in DOCKER_SOCKETS:
            yield ctx.warning(
                "docker-sock",
                at(volume.node, "hostPath.path"),
                f"{volume.path}.hostPath.path",
                f"volume `{volume.name}` exposes the Docker socket: whoever can use it controls the node",
                "Do not mount the container runtime's socket into pods.",
            )


def sensitive_host_mounts(ctx: Context) -> Iterator[Diagnostic]:
    for volume in ctx.pod.volumes:
        path = _host_path(volume)
        if path is None or path.rstrip("/") in DOCKER_SOCKETS:
            continue
        normal = path.rstrip("/") or "/"
        if any(
            normal == p or (p != "/" and normal.startswith(p + "/")) for p in SENSITIVE_HOST_PATHS
        ):
            yield ctx.warning(
                "sensitive-host-mounts",
                at(volume.node, "hostPath.path"),
                f"{volume.path}.hostPath.path",
                f"volume `{volume.name}` mounts the host's `{path}`",
                "Use a configMap, secret or emptyDir instead of the node's system directories.",
            )


def _probe_check(kind: ProbeKind, code: str) -> Lint:
    def check(ctx: Context) -> Iterator[Diagnostic]:
        if ctx.workload.kind in NO_PROBES_FOR:
            return
        what = (
            "restarted when it hangs"
            if kind == ProbeKind.LIVENESS
            else "sent traffic only when ready"
        )
        for container in _long_running(ctx):
            if container.probe(kind) is None:
                yield ctx.warning(
                    code,
                    container.node.key_node("name") or container.node,
                    f"{container.path}.{kind.key}",
                    f"{container.role} container `{container.name}` has no {kind.key}, so it cannot be {what}",
                    f"Add a `{kind.key}` (an httpGet, tcpSocket, grpc or exec check).",
                )

    check.__name__ = code.replace("-", "_")
    return check


def drop_net_raw_capability(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        if not container.security.dropped_capabilities & {"NET_RAW", "ALL"}:
            yield ctx.warning(
                "drop-net-raw-capability",
                container.node.key_node("name") or container.node,
                f"{container.path}.securityContext.capabilities.drop",
                f"container `{container.name}` keeps NET_RAW, which allows crafting raw network packets",
                "Add `securityContext.capabilities.drop: [ALL]` (or at least NET_RAW).",
            )


def env_var_secret(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        for i, var in mappings(container.node.get("env")):
            name = text(var.get("name")) or ""
            value = text(var.get("value")) or ""
            # Flags such as MYSQL_ALLOW_EMPTY_PASSWORD=1 or paths to secret files are not secrets.
            flag_like = value.lower() in FLAG_VALUES or name.upper().endswith(("_FILE", "_PATH"))
            if SECRET_NAME.search(name) and value and not flag_like:
                yield ctx.warning(
                    "env-var-secret",
                    var.get("value"),
                    f"{container.path}.env[{i}].value",
                    f"`{name}` looks like a secret written into the spec in plain text",
                    "Store it in a Secret and use `valueFrom.secretKeyRef`.",
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
    _unset_requirement("cpu"),
    _unset_requirement("memory"),
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
    drop_net_raw_capability,
    env_var_secret,
    privileged_ports,
)
LINT_CODES = tuple("-".join(check.__name__.split("_")) for check in LINTS)


def run(ctx: Context) -> Iterator[Diagnostic]:
    """Every best-practice finding for one workload."""
    for check in LINTS:
        yield from check(ctx)
