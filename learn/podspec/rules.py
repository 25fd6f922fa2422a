"""What the Kubernetes API server rejects (errors) or warns about that the schema cannot say.

Each rule is a small function over a workload's model and nodes, yielding diagnostics. Wording
follows the API server's own checks (pkg/apis/core/validation) rewritten for learners, with a hint.
"""

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from fractions import Fraction

from learn.podspec.context import Context
from learn.podspec.diagnostics import Diagnostic, Severity
from learn.podspec.lessons import JOB_RESTART_POLICY
from learn.podspec.model import (
    Container,
    Port,
    ProbeKind,
    Role,
    Volume,
    at,
    format_amount,
    mappings,
    text,
)
from learn.podspec.quantity import oversized, parse_quantity
from learn.podspec.source import Mapping, Node, Scalar, is_unset

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def is_dns_label(name: str) -> bool:
    """IsDNS1123Label: at most 63 lower-case letters, digits and '-', alphanumeric at both ends."""
    return len(name) <= 63 and bool(DNS_LABEL.match(name))


def is_dns_subdomain(name: str) -> bool:
    """IsDNS1123Subdomain: DNS labels joined by '.', at most 253 characters in all."""
    return len(name) <= 253 and bool(DNS_SUBDOMAIN.match(name))


LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
ENUMS = {
    "imagePullPolicy": ("Always", "IfNotPresent", "Never"),
    "protocol": ("TCP", "UDP", "SCTP"),
    "restartPolicy": ("Always", "OnFailure", "Never"),
    "dnsPolicy": ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
    "terminationMessagePolicy": ("File", "FallbackToLogsOnError"),
}
# Controllers whose pods must keep running, and those whose pods must end.
ALWAYS_RESTART = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}
RUN_TO_COMPLETION = {"Job", "CronJob"}
SELECTOR_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}
# ContainerRestartRules (KEP-5307): restartPolicy on regular containers, OnFailure/Never on init
# containers, and restartPolicyRules. Alpha (off by default) in 1.34, beta (on) from 1.35.
RESTART_RULES_FROM = (1, 35)
# RestartAllContainersOnContainerExits (KEP-5532), which also allows rules on sidecars: beta from 1.36.
RESTART_ALL_FROM = (1, 36)


Rule = Callable[[Context], Iterator[Diagnostic]]


def _value_node(mapping: Node | None, key: str) -> Node | None:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


def check_object_name(ctx: Context) -> Iterator[Diagnostic]:
    metadata = at(ctx.root, "metadata")
    name = _value_node(metadata, "name")
    if name is None and _value_node(metadata, "generateName") is None:
        yield ctx.error(
            "missing-field",
            metadata,
            "metadata.name",
            f"the {ctx.workload.kind} needs a name",
            "Add `name:` under `metadata:`, e.g. `name: web`.",
        )
    elif isinstance(name, Scalar) and isinstance(name.value, str):
        kind = ctx.workload.kind
        if kind == "StatefulSet" and not is_dns_label(name.value):
            yield ctx.error(
                "invalid-name",
                name,
                "metadata.name",
                f"`{name.value}` is not a valid StatefulSet name",
                "Use at most 63 lower-case letters, digits and '-' (a DNS label): the name "
                "becomes part of each pod's host name.",
            )
        elif not is_dns_subdomain(name.value):
            yield ctx.error(
                "invalid-name",
                name,
                "metadata.name",
                f"`{name.value}` is not a valid object name",
                "Use lower-case letters, digits, '-' and '.', starting and ending with a letter "
                "or digit (a DNS subdomain, at most 253 characters).",
            )
        elif kind == "CronJob" and len(name.value) > 52:
            yield ctx.error(
                "invalid-name",
                name,
                "metadata.name",
                f"a CronJob name can have at most 52 characters; `{name.value}` has {len(name.value)}",
                "Shorten it: the CronJob adds a suffix to name each Job.",
            )


def _label_problems(key: str, value: object) -> list[str]:
    problems = []
    prefix, slash, name = key.rpartition("/")
    if slash and not prefix:
        problems.append(f"the key `{key}` has an empty prefix before `/`")
    elif prefix and not is_dns_subdomain(prefix):
        problems.append(f"the prefix `{prefix}` must be a DNS subdomain such as `example.com`")
    if not name or len(name) > 63 or not LABEL_NAME.match(name):
        problems.append(
            f"the key `{key}` must be at most 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    if isinstance(value, str) and value and (len(value) > 63 or not LABEL_NAME.match(value)):
        problems.append(
            f"the value `{value}` must be at most 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit (or empty)"
        )
    return problems


def check_labels(ctx: Context) -> Iterator[Diagnostic]:
    places = ["metadata.labels", "spec.selector.matchLabels"]
    metadata_path = {"Pod": "metadata"}.get(ctx.workload.kind)
    if metadata_path is None:
        places.append(_template_metadata(ctx) + ".labels")
    for place in places:
        labels = at(ctx.root, place)
        if not isinstance(labels, Mapping):
            continue
        for key, value in labels.pairs:
            for problem in _label_problems(
                key.text, value.value if isinstance(value, Scalar) else None
            ):
                yield ctx.error(
                    "invalid-label",
                    key,
                    f"{place}.{key.text}",
                    f"invalid label: {problem}",
                    "Labels are short identifiers, such as `app: web`.",
                )


def _template_metadata(ctx: Context) -> str:
    return ctx.workload.pod.path.rsplit(".", 1)[0] + ".metadata"


def check_enums(ctx: Context) -> Iterator[Diagnostic]:
    spec = ctx.pod.spec
    pod_path = ctx.pod.path
    for key in ("restartPolicy", "dnsPolicy"):
        yield from _enum(ctx, _value_node(spec, key), f"{pod_path}.{key}", key)
    for container in ctx.pod.containers:
        node = container.node
        for key in ("imagePullPolicy", "terminationMessagePolicy"):
            yield from _enum(ctx, node.get(key), f"{container.path}.{key}", key)
        for i, port in mappings(node.get("ports")):
            yield from _enum(
                ctx, port.get("protocol"), f"{container.path}.ports[{i}].protocol", "protocol"
            )


def _enum(ctx: Context, node: Node | None, path: str, key: str) -> Iterator[Diagnostic]:
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        return
    allowed = ENUMS[key]
    if node.value not in allowed:
        match = next((a for a in allowed if a.lower() == node.value.lower()), None)
        options = ", ".join(f"`{a}`" for a in allowed)
        hint = (
            f"Write `{match}` (values are case-sensitive)." if match else f"Use one of {options}."
        )
        code = "invalid-restart-policy" if key == "restartPolicy" else "invalid-value"
        yield ctx.error(
            code, node, path, f"`{key}` must be one of {options}, not `{node.value}`", hint
        )


def check_container_names(ctx: Context) -> Iterator[Diagnostic]:
    # Like the API server: app containers first, so a clash is reported on the init container.
    first: dict[str, Container] = {}
    for container in ctx.pod.apps + ctx.pod.init_steps:
        name_node = container.node.get("name")
        if not isinstance(name_node, Scalar) or not isinstance(name_node.value, str):
            continue
        name = name_node.value
        if not is_dns_label(name):
            yield ctx.error(
                "invalid-name",
                name_node,
                f"{container.path}.name",
                f"`{name}` is not a valid container name",
                "Use at most 63 lower-case letters, digits and '-', starting and ending with a "
                "letter or digit (a DNS label), e.g. `log-shipper`.",
            )
        if name in first:
            yield ctx.error(
                "duplicate-container-name",
                name_node,
                f"{container.path}.name",
                f"two containers are named `{name}` (also at line {first[name].node.line})",
                "Container names must be unique across `initContainers` and `containers`.",
            )
        else:
            first[name] = container


def check_image(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        image = container.node.get("image")
        if image is None or (isinstance(image, Scalar) and not str(image.value or "").strip()):
            yield ctx.error(
                "missing-field",
                image or container.node,
                f"{container.path}.image",
                f"container `{container.name}` needs an `image`",
                "Add `image:` with an image reference, e.g. `nginx:1.27`.",
            )


def check_app_container(ctx: Context) -> Iterator[Diagnostic]:
    spec = ctx.pod.spec
    if spec is None:
        parent_path = ctx.pod.path.rsplit(".", 1)[0] if "." in ctx.pod.path else ""
        parent = at(ctx.root, parent_path) if parent_path else ctx.root
        yield ctx.error(
            "missing-field",
            parent,
            ctx.pod.path,
            f"the {ctx.workload.kind} has no pod `spec` with containers",
            "Add `spec:` with `containers:`, each with a `name` and an `image`.",
        )
    elif not ctx.pod.apps:
        node = spec.get("containers")
        yield ctx.error(
            "missing-field",
            node if node is not None else spec,
            f"{ctx.pod.path}.containers",
            "the pod has no app container: `containers` needs at least one",
            "Init containers and sidecars only prepare and support; add the main container "
            "under `containers:`.",
        )


def _volume_name(volume: Volume) -> tuple[Node | None, str]:
    """The node and path of a volume's name (a claim template's is under `metadata`)."""
    if volume.claim_template:
        return at(volume.node, "metadata.name"), f"{volume.path}.metadata.name"
    return volume.node.get("name"), f"{volume.path}.name"


def check_volumes(ctx: Context) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for volume in ctx.pod.volumes:
        name_node, name_path = _volume_name(volume)
        if volume.name and not is_dns_label(volume.name):
            yield ctx.error(
                "invalid-name",
                name_node,
                name_path,
                f"`{volume.name}` is not a valid volume name",
                "Use at most 63 lower-case letters, digits and '-' (a DNS label).",
            )
        if volume.name in seen:
            yield ctx.error(
                "duplicate-volume-name",
                name_node,
                name_path,
                f"two volumes are named `{volume.name}` (also at line {seen[volume.name]})",
                "Give each volume its own name.",
            )
        seen.setdefault(volume.name, name_node.line if name_node else volume.line)


def check_claim_templates(ctx: Context) -> Iterator[Diagnostic]:
    # updateStorage (pkg/controller/statefulset/stateful_set_utils.go) replaces a pod volume of the
    # same name by the claim: accepted, but the volume written in the template is never used.
    for claim in (v for v in ctx.pod.volumes if v.replaced):
        name_node, name_path = _volume_name(claim)
        lines = ", ".join(str(v.line) for v in claim.replaced)
        lines = f"line{'s' if len(claim.replaced) > 1 else ''} {lines}"
        yield ctx.warning(
            "claim-replaces-volume",
            name_node,
            name_path,
            f"the claim template `{claim.name}` replaces the pod volume of that name ({lines}): "
            "each Pod mounts its own PersistentVolumeClaim there instead",
            "The StatefulSet controller drops a pod volume that a claim template names, so "
            "what that volume says is never used. Remove it from `volumes:`, or rename one "
            "of the two if you meant both.",
        )


def check_mounts(ctx: Context) -> Iterator[Diagnostic]:
    defined = {v.name for v in ctx.pod.volumes}
    for container in ctx.pod.containers:
        paths: dict[str, int] = {}
        for mount in container.mounts:
            if mount.volume and mount.volume not in defined:
                names = ", ".join(f"`{n}`" for n in sorted(defined)) or "none"
                yield ctx.error(
                    "undefined-volume",
                    mount.node.get("name"),
                    f"{mount.path}.name",
                    f"container `{container.name}` mounts `{mount.volume}`, but the pod defines "
                    f"no volume of that name (volumes: {names})",
                    f"Add a volume named `{mount.volume}` under `volumes:`, or fix the name.",
                )
            if mount.mount_path in paths:
                yield ctx.error(
                    "duplicate-mount-path",
                    mount.node.get("mountPath"),
                    f"{mount.path}.mountPath",
                    f"container `{container.name}` mounts two volumes at `{mount.mount_path}` "
                    f"(also at line {paths[mount.mount_path]})",
                    "Each mount in a container needs its own path.",
                )
            elif mount.mount_path:
                paths[mount.mount_path] = mount.node.line


def check_ports(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        names: set[str] = set()
        for i, port in mappings(container.node.get("ports")):
            path = f"{container.path}.ports[{i}]"
            for key, low in (("containerPort", 1), ("hostPort", 0)):
                node = port.get(key)
                if (
                    isinstance(node, Scalar)
                    and isinstance(node.value, int)
                    and not isinstance(node.value, bool)
                ) and (not (low <= node.value <= 65535) or (key == "hostPort" and node.value < 0)):
                    yield ctx.error(
                        "port-out-of-range",
                        node,
                        f"{path}.{key}",
                        f"`{key}` {node.value} is not a port number: it must be between 1 "
                        "and 65535" + (" (or 0 for no host port)" if key == "hostPort" else ""),
                        "Ports are numbered 1 to 65535.",
                    )
            name = port.get("name")
            if isinstance(name, Scalar) and isinstance(name.value, str):
                value = name.value
                if (
                    len(value) > 15
                    or not PORT_NAME.match(value)
                    or "--" in value
                    or not re.search("[a-z]", value)
                ):
                    yield ctx.error(
                        "invalid-name",
                        name,
                        f"{path}.name",
                        f"`{value}` is not a valid port name",
                        "Port names have at most 15 lower-case letters, digits and single '-', "
                        "with at least one letter (e.g. `http`, `metrics`).",
                    )
                elif value in names:
                    yield ctx.error(
                        "invalid-value",
                        name,
                        f"{path}.name",
                        f"container `{container.name}` names two ports `{value}`",
                        "Port names must be unique within a container.",
                    )
                names.add(value)


def check_host_ports(ctx: Context) -> Iterator[Diagnostic]:
    # Like the API server: app containers are checked together, each init container on its own.
    groups = [ctx.pod.apps] + [[c] for c in ctx.pod.init_steps]
    for group in groups:
        yield from _host_port_clashes(ctx, group)


def _host_port_clashes(ctx: Context, containers: list[Container]) -> Iterator[Diagnostic]:
    # AccumulateUniqueHostPorts (v1.35), over the hostPorts SetDefaults_Pod gives a Pod with
    # hostNetwork (each unset one its containerPort): a Pod's before it is checked, a pod
    # template's Pods' when each is created.
    defaulted = ctx.pod.host_network
    seen: dict[tuple, tuple[str, bool]] = {}  # the first container to claim it, and if written
    for container in containers:
        for port in container.ports:
            host_port = port.host_port or (port.number if defaulted else None)
            if not host_port:
                continue
            key = (host_port, port.protocol, text(port.node.get("hostIP")) or "")
            if key not in seen:
                seen[key] = (container.name, bool(port.host_port))
                continue
            other, written = seen[key]
            if port.host_port and written:
                yield ctx.error(
                    "host-port-conflict",
                    port.node.get("hostPort"),
                    f"{port.path}.hostPort",
                    f"hostPort {host_port}/{port.protocol} is claimed twice (also by "
                    f"`{other}`): a node port can be bound only once",
                    "Remove one hostPort, or use another number.",
                )
                continue
            message = (
                f"port {host_port}/{port.protocol} of `{container.name}` is claimed twice on "
                f"the node (also by `{other}`): with `hostNetwork: true` each containerPort is "
                "also a port of the node, and a node port can be bound only once"
            )
            yield ctx.error(
                "host-port-conflict",
                port.node.get("hostPort" if port.host_port else "containerPort"),
                f"{port.path}.hostPort",
                _when_defaulted(ctx, message),
                "Give one of the containers another port: on the node's network, containers "
                "listen straight on the node.",
            )


def check_host_network_ports(ctx: Context) -> Iterator[Diagnostic]:
    # validatePodHostNetworkDeps (v1.35): with hostNetwork, an app container's hostPort is its
    # containerPort. An unset one (0) is allowed: SetDefaults_Pod gives it the containerPort.
    if not ctx.pod.host_network:
        return
    for container in ctx.pod.apps:
        for port in container.ports:
            if port.host_port and port.number is not None and port.host_port != port.number:
                yield ctx.error(
                    "host-port-mismatch",
                    port.node.get("hostPort"),
                    f"{port.path}.hostPort",
                    f"with `hostNetwork: true`, the hostPort of `{container.name}` must be its "
                    f"containerPort {port.number}, not {port.host_port} (the API server: must "
                    "match `containerPort`)",
                    "On the node's network a container listens straight on the node's port, "
                    "so it cannot be mapped to another: remove `hostPort` (it defaults to the "
                    "containerPort), or make the two equal.",
                )


def check_resource_claims(ctx: Context) -> Iterator[Diagnostic]:
    # validatePodResourceClaims and validateResourceClaimNames (validation.go, v1.35).
    entries = mappings(_value_node(ctx.pod.spec, "resourceClaims"))
    defined: dict[str, int] = {}
    for i, entry in entries:
        yield from _pod_claim(ctx, entry, f"{ctx.pod.path}.resourceClaims[{i}]", defined)
    for container in ctx.pod.containers:
        yield from _container_claims(ctx, container, defined)


CLAIM_SOURCES = ("resourceClaimName", "resourceClaimTemplateName")
CLAIM_SOURCE_HINT = (
    "Name an existing ResourceClaim with `resourceClaimName` (shared), or a "
    "ResourceClaimTemplate with `resourceClaimTemplateName` (a claim made for this pod)."
)


def _pod_claim(
    ctx: Context, entry: Mapping, path: str, defined: dict[str, int]
) -> Iterator[Diagnostic]:
    """One entry of the pod's resourceClaims: a unique DNS-label name, and one source."""
    name_node = entry.get("name")
    name = text(name_node)
    if not name:
        if name_node is not None:  # an absent one is the schema's to report (it is required)
            yield ctx.error(
                "missing-field",
                name_node,
                f"{path}.name",
                "a resource claim of the pod needs a `name`",
                "Add `name:`, the name containers give under `resources.claims`.",
            )
    elif name in defined:
        yield ctx.error(
            "duplicate-claim",
            name_node,
            f"{path}.name",
            f"two resource claims are named `{name}` (also at line {defined[name]})",
            "Give each entry of `resourceClaims` its own name.",
        )
    elif not is_dns_label(name):
        yield ctx.error(
            "invalid-name",
            name_node,
            f"{path}.name",
            f"`{name}` is not a valid resource claim name",
            "Use at most 63 lower-case letters, digits and '-' (a DNS label), e.g. `gpu`.",
        )
    if name:
        defined.setdefault(name, entry.line)
    yield from _claim_source(ctx, entry, path, name)


def _claim_source(
    ctx: Context, entry: Mapping, path: str, name: str | None
) -> Iterator[Diagnostic]:
    sources = [key for key in CLAIM_SOURCES if not is_unset(entry.get(key))]
    which = f"the resource claim `{name}`" if name else "a resource claim"
    if len(sources) > 1:
        yield ctx.error(
            "invalid-value",
            entry.key_node(sources[1]),
            path,
            f"{which} names both a ResourceClaim and a template: it takes exactly one",
            CLAIM_SOURCE_HINT,
        )
    elif not sources:
        yield ctx.error(
            "missing-field",
            entry,
            path,
            f"{which} needs `resourceClaimName` or `resourceClaimTemplateName`",
            CLAIM_SOURCE_HINT,
        )
    for key in sources:
        value = text(entry.get(key)) or ""
        if not is_dns_subdomain(value):
            yield ctx.error(
                "invalid-name",
                entry.get(key),
                f"{path}.{key}",
                f"`{value}` is not a valid object name",
                "Use lower-case letters, digits, '-' and '.', starting and ending with a letter "
                "or digit (a DNS subdomain).",
            )


def _container_claims(
    ctx: Context, container: Container, defined: dict[str, int]
) -> Iterator[Diagnostic]:
    """A container's resources.claims: each a claim of the pod, each claim or request once."""
    seen: set[str] = set()
    for i, claim in mappings(at(container.node, "resources.claims")):
        path = f"{container.path}.resources.claims[{i}]"
        name_node = claim.get("name")
        name = text(name_node)
        if not name and name_node is not None:  # an absent one is the schema's to report
            yield ctx.error(
                "missing-field",
                name_node,
                f"{path}.name",
                f"a resource claim of container `{container.name}` needs a `name`",
                "Give the name of an entry of the pod's `resourceClaims`.",
            )
        if not name:
            continue
        yield from _claim_request(ctx, container, claim, path, name, seen)
        if name not in defined:
            names = ", ".join(f"`{n}`" for n in defined) or "none"
            yield ctx.error(
                "undefined-claim",
                name_node,
                f"{path}.name",
                f"container `{container.name}` uses the resource claim `{name}`, but the pod's "
                f"`resourceClaims` has no entry of that name (claims: {names})",
                f"Add `{{name: {name}, resourceClaimTemplateName: ...}}` under `resourceClaims:` "
                "in the pod's `spec`, or fix the name.",
            )


def _claim_request(
    ctx: Context, container: Container, claim: Mapping, path: str, name: str, seen: set[str]
) -> Iterator[Diagnostic]:
    """A claim, or one request of it, used twice; a whole claim overlaps each of its requests."""
    request = text(claim.get("request")) or ""
    if request and name not in seen and not is_dns_label(request):
        yield ctx.error(
            "invalid-name",
            claim.get("request"),
            f"{path}.request",
            f"`{request}` is not a valid request name",
            "A request is named as in the claim: at most 63 lower-case letters, digits and '-'.",
        )
    key = f"{name}/{request}" if request else name
    overlaps = not request and any(k.startswith(f"{name}/") for k in seen)
    if name in seen or key in seen or overlaps:
        yield ctx.error(
            "duplicate-claim",
            claim.get("name"),
            f"{path}.name",
            f"container `{container.name}` uses the resource claim `{key}` twice",
            "List each claim (or each request of a claim) once; a whole claim already "
            "includes all of its requests.",
        )
    if name not in seen:
        seen.add(key)


# Resource names a container may request without a domain (IsStandardContainerResourceName);
# `hugepages-<size>` too. pkg/apis/core/helper/helpers.go, v1.35.
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
BYTE_RESOURCES = ("memory", "ephemeral-storage")  # amounts in bytes
HUGEPAGES = "hugepages-"
QUALIFIED_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def _is_native(resource: str) -> bool:
    """IsNativeResource: no domain, or a domain in kubernetes.io."""
    return "/" not in resource or "kubernetes.io/" in resource


def _overcommit_allowed(resource: str) -> bool:
    """IsOvercommitAllowed: only native resources other than huge pages may have request < limit."""
    return _is_native(resource) and not resource.startswith(HUGEPAGES)


def _is_qualified(name: str) -> bool:
    """IsQualifiedName: an optional DNS-subdomain prefix and `/`, then a 63-character name."""
    prefix, slash, rest = name.rpartition("/")
    if slash and (not prefix or not is_dns_subdomain(prefix)):
        return False
    return 0 < len(rest) <= 63 and bool(QUALIFIED_NAME.match(rest))


def _is_extended(resource: str) -> bool:
    """IsExtendedResourceName: a domain outside kubernetes.io, valid as `requests.<name>` too."""
    return (
        not _is_native(resource)
        and not resource.startswith("requests.")
        and _is_qualified(f"requests.{resource}")
    )


CONTAINER_RESOURCE_HINT = (
    "A container asks for `cpu`, `memory`, `ephemeral-storage` or `hugepages-<size>`; any other "
    "resource (a GPU, a device) is named with its vendor's domain, like `example.com/gpu`."
)


def _container_resource(resource: str) -> tuple[str, str] | None:
    """Why a container cannot use this resource name (validateContainerResourceName), with a
    hint, or None."""
    if resource in STANDARD_CONTAINER_RESOURCES:
        return None  # the common case, qualified and standard: no pattern to match
    if not _is_qualified(resource):
        problem = "is not a valid resource name"
    elif "/" not in resource:
        if resource.startswith(HUGEPAGES):
            return None
        problem = "must be a standard resource for containers"
    elif not _is_native(resource) and not _is_extended(resource):
        problem = "doesn't follow extended resource name standard"
    else:
        return None
    return f"`{resource}` {problem}", CONTAINER_RESOURCE_HINT


def check_resources(ctx: Context) -> Iterator[Diagnostic]:
    # ValidateResourceRequirements (pkg/apis/core/validation/validation.go, v1.35), rule by rule.
    for container in ctx.pod.containers:
        who = f"container `{container.name}`"
        yield from _requirements(ctx, container.node, container.path, who, container=True)


# Names validatePodResourceName (v1.35) accepts, as IsSupportedPodLevelResource
# (k8s.io/component-helpers/resource/helpers.go) does: cpu, memory and `hugepages-<size>`.
POD_LEVEL_RESOURCES = ("cpu", "memory")
# PodLevelResources (KEP-2837): beta, on by default, from 1.34; the API server drops a disabled
# field before validation, so an older version checks nothing of it.
POD_LEVEL_RESOURCES_FROM = (1, 34)


def check_pod_resources(ctx: Context) -> Iterator[Diagnostic]:
    # validatePodResources (pkg/apis/core/validation/validation.go, v1.35).
    spec = ctx.pod.spec
    resources = _value_node(spec, "resources")
    if spec is None or is_unset(resources) or ctx.version < POD_LEVEL_RESOURCES_FROM:
        return
    path = ctx.pod.path
    if isinstance(resources, Mapping) and not is_unset(resources.get("claims")):
        yield ctx.error(
            "invalid-value",
            resources.key_node("claims"),
            f"{path}.resources.claims",
            "the pod's `resources` cannot have `claims` (the API server: claims cannot be set "
            "for Resources at pod-level)",
            "Containers use resource claims: move the entry to the `resources.claims` of the "
            "container that uses the device.",
        )
    defaulted = _pod_requests_defaulted(ctx)
    # A Pod is checked with its defaulted requests, a pod template as written.
    requested = set(defaulted) if _pod_defaults_apply(ctx) else set()
    yield from _requirements(ctx, spec, path, "the pod", container=False, requested=requested)
    yield from _defaulted_requests_within_limits(ctx, resources, defaulted)
    yield from _pod_requests_cover_containers(ctx, resources)
    yield from _container_limits_within_pod(ctx, resources)


def _pod_requests_defaulted(ctx: Context) -> dict[str, Fraction]:
    """The pod-level requests after defaultPodRequests (pkg/apis/core/v1/defaults.go, v1.35):
    with pod-level limits, an unset cpu or memory request (the overcommittable ones) becomes what
    the containers request together, if any asks for it; any other still unset, its limit."""
    pod = ctx.pod
    requests = dict(pod.requests)
    if not pod.limits:
        return requests
    asked = {resource for container in pod.containers for resource in container.requests}
    for resource in POD_LEVEL_RESOURCES:
        if resource not in requests and resource in asked:
            requests[resource] = pod.effective_request(resource)
    for resource, limit in pod.limits.items():
        if _pod_resource(resource) is None:
            requests.setdefault(resource, limit)
    return requests


def _defaulted_requests_within_limits(
    ctx: Context, resources: Node | None, defaulted: dict[str, Fraction]
) -> Iterator[Diagnostic]:
    """validateResourceRequirements on a request defaultPodRequests sets from the containers'
    total: that total may be above the pod's limit."""
    limits = _amounts(resources, "limits")
    for resource, request in defaulted.items():
        limit = ctx.pod.limits.get(resource)
        if resource in ctx.pod.requests or resource not in limits or limit is None:
            continue
        if request <= limit:
            continue
        node = limits[resource][1]
        message = (
            f"the pod's {resource} limit ({_typed(node)}) is below what its containers request "
            f"together ({format_amount(resource, request)}): with limits set and no {resource} "
            "request, the pod's request becomes that total (the API server: must be less than "
            f"or equal to {resource} limit)"
        )
        yield ctx.error(
            "requests-exceed-limits",
            node,
            f"{ctx.pod.path}.resources.limits.{resource}",
            _when_defaulted(ctx, message),
            "Raise the pod's limit to at least its containers' total, or lower their requests.",
        )


def _pod_requests_cover_containers(ctx: Context, resources: Node | None) -> Iterator[Diagnostic]:
    """validatePodResourceConsistency: the pod's request of a resource must hold what its
    containers request together, counted as the scheduler counts them (AggregateContainerRequests,
    the model's effective request). Only a written request is compared: when the pod sets limits,
    defaultPodRequests gives an unset request that sum, or the limit if no container asks."""
    for resource, (_, node) in _amounts(resources, "requests").items():
        request = ctx.pod.requests.get(resource)
        if _pod_resource(resource) or request is None or request < 0:
            continue  # an invalid name or amount is reported by _requirements
        needed = ctx.pod.effective_request(resource)
        if needed <= request:
            continue
        message = (
            f"the pod requests {_typed(node)} of {resource}, less than its containers request "
            f"together ({format_amount(resource, needed)}; the API server: must be greater "
            "than or equal to aggregate container requests)"
        )
        if ctx.pod.effective_request(resource, as_written=True) <= request:
            message = _when_defaulted(ctx, message)  # only once limits stand in for requests
        yield ctx.error(
            "pod-request-below-containers",
            node,
            f"{ctx.pod.path}.resources.requests.{resource}",
            message,
            "A pod-level request reserves room for all of its containers: raise it to at "
            "least their total, or lower theirs (a container's limit is its request when it "
            "sets none; sidecars count with the apps, init containers one at a time).",
        )


def _container_limits_within_pod(ctx: Context, resources: Node | None) -> Iterator[Diagnostic]:
    """validatePodResourceConsistency: no app container's limit above the pod's limit."""
    pod_limits = _amounts(resources, "limits")
    for container in ctx.pod.apps:
        for resource, (_, node) in _amounts(container.node.get("resources"), "limits").items():
            limit, pod_limit = container.limits.get(resource), ctx.pod.limits.get(resource)
            if limit is None or pod_limit is None or limit <= pod_limit:
                continue
            pod_node = pod_limits[resource][1]
            yield ctx.error(
                "container-limit-above-pod",
                node,
                f"{container.path}.resources.limits.{resource}",
                f"container `{container.name}` has a {resource} limit of {_typed(node)}, above "
                f"the pod's limit of {_typed(pod_node)} (line {pod_node.line}; the API server: "
                "must be less than or equal to pod limits)",
                "No container can use more than its whole pod may: lower the container's limit, "
                "or raise the pod's.",
            )


def _requirements(
    ctx: Context,
    owner: Mapping,
    path: str,
    who: str,
    *,
    container: bool,
    requested: set[str] | None = None,
) -> Iterator[Diagnostic]:
    """validateResourceRequirements over the `resources` of a container or of the pod (each
    with its names: validateContainerResourceName or validatePodResourceName); `requested`: the
    names the defaults add to a Pod's requests."""
    naming = _container_resource if container else _pod_resource
    resources = owner.get("resources")
    amounts = {kind: _amounts(resources, kind) for kind in ("limits", "requests")}
    invalid = set()
    for kind, found in amounts.items():
        for resource, (key, value) in found.items():
            amount_path = f"{path}.resources.{kind}.{resource}"
            problem = naming(resource)
            if problem:
                invalid.add(resource)
                yield ctx.error("invalid-resource-name", key, amount_path, *problem)
            elif isinstance(value, Scalar):
                yield from _resource_amount(ctx, resource, value, amount_path, container)
    yield from _requests_against_limits(ctx, path, who, amounts, invalid)
    names = set(amounts["limits"]) | set(amounts["requests"]) | (requested or set())
    if any(n.startswith(HUGEPAGES) for n in names) and not names & {"cpu", "memory"}:
        yield ctx.error(
            "hugepages-without-cpu-memory",
            owner.key_node("resources"),
            f"{path}.resources",
            f"{who} asks for huge pages but sets no cpu or memory "
            "(the API server: HugePages require cpu or memory)",
            "Huge pages are accounted with memory: add a `memory` (or `cpu`) request or limit "
            "beside them.",
        )


Amounts = dict[str, tuple[Scalar, Node]]


def _amounts(resources: Node | None, kind: str) -> Amounts:
    """The resource name's key node and value node of each amount written under requests/limits."""
    found = at(resources, kind)
    if not isinstance(found, Mapping):
        return {}
    return {key.text: (key, value) for key, value in found.pairs if not is_unset(value)}


def _pod_resource(resource: str) -> tuple[str, str] | None:
    if resource in POD_LEVEL_RESOURCES or resource.startswith(HUGEPAGES):
        return None
    return (
        f"`{resource}` cannot be set at pod level: pod-level resources are cpu, memory and "
        "hugepages-<size>",
        "Ask for any other resource (a GPU, a device, ephemeral-storage) in the `resources` of "
        "the container that uses it.",
    )


def _resource_amount(
    ctx: Context, resource: str, value: Scalar, path: str, container: bool
) -> Iterator[Diagnostic]:
    yield from _quantity(ctx, resource, value, path)
    amount = parse_quantity(value.value)
    if amount is None or amount.numerator < 0:  # a Fraction's sign: no comparison needed
        return
    if _is_extended(resource) and amount.denominator != 1:
        yield ctx.error(
            "invalid-quantity",
            value,
            path,
            f"`{resource}` must be an integer, not {value.text}",
            "An extended resource counts whole devices: write 1, 2, ...",
        )
    elif container and resource in BYTE_RESOURCES and math.ceil(amount * 1000) % 1000:
        # warnings.go (v1.35) tests a container's MilliValue() % 1000 (not the pod's: only its
        # overhead), the amount in thousandths of a byte rounded up: a fraction of a byte is
        # accepted, with a warning.
        yield ctx.warning(
            "fractional-byte-value",
            value,
            path,
            f"{resource} is counted in whole bytes, not {value.text} (the API server warns: "
            "fractional byte value is invalid, must be an integer)",
            "Write whole bytes, or a unit that makes them whole: `128Mi`, `1G`, `100` (`m` "
            "means thousandths, so `1500m` is 1.5 bytes).",
        )
    elif resource.startswith(HUGEPAGES):
        size = parse_quantity(resource.removeprefix(HUGEPAGES))
        if not size or size.denominator != 1 or math.ceil(amount) % size:
            yield ctx.error(
                "invalid-quantity",
                value,
                path,
                f"{value.text} is not positive integer multiple of {resource}",
                f"Huge pages come in whole pages: ask for a multiple of the page size "
                f"({resource.removeprefix(HUGEPAGES)}).",
            )


def _requests_against_limits(
    ctx: Context, path: str, who: str, amounts: dict[str, Amounts], invalid: set[str]
) -> Iterator[Diagnostic]:
    limits = amounts["limits"]
    for resource, (_, node) in amounts["requests"].items():
        if resource in invalid:
            continue
        request_path = f"{path}.resources.requests.{resource}"
        request = parse_quantity(node.value) if isinstance(node, Scalar) else None
        if resource not in limits:
            if not _overcommit_allowed(resource):
                yield ctx.error(
                    "missing-limit",
                    node,
                    request_path,
                    f"{who} requests {resource} without a limit "
                    "(the API server: Limit must be set for non overcommitable resources)",
                    f"{_why_no_overcommit(resource)} Add `{resource}` under `limits:` with the "
                    "same amount (or write only the limit: the request defaults to it).",
                )
            continue
        limit_node = limits[resource][1]
        limit = parse_quantity(limit_node.value) if isinstance(limit_node, Scalar) else None
        if request is None or limit is None or request == limit:
            continue
        if not _overcommit_allowed(resource):
            yield ctx.error(
                "request-must-equal-limit",
                node,
                request_path,
                f"the {resource} request of {who} ({_typed(node)}) must be equal "
                f"to its limit ({_typed(limit_node)})",
                f"{_why_no_overcommit(resource)} Make the request and the limit the same.",
            )
        elif request > limit:
            yield ctx.error(
                "requests-exceed-limits",
                node,
                request_path,
                f"{who} requests more {resource} than its limit "
                f"({_typed(node)} > {_typed(limit_node)})",
                "A request is what the scheduler reserves; it cannot exceed the limit the "
                "kernel enforces. Lower the request or raise the limit.",
            )


def _why_no_overcommit(resource: str) -> str:
    if resource.startswith(HUGEPAGES):
        return "Huge pages are reserved memory that cannot be shared or overcommitted."
    return (
        f"`{resource}` is an extended resource: whole devices handed to one container, "
        "which cannot be overcommitted."
    )


def _typed(node: Node | None) -> str:
    return node.text if isinstance(node, Scalar) else "?"


def _quantity(ctx: Context, resource: str, node: Scalar, path: str) -> Iterator[Diagnostic]:
    amount = parse_quantity(node.value)
    if amount is None:
        hint = "Write CPU as cores or millicores (`0.5`, `500m`) and memory in bytes with a unit (`128Mi`, `1Gi`)."
        if isinstance(node.value, str) and re.fullmatch(
            r"\d+(\.\d+)?\s*(mb|gb|kb|MB|GB|KB|Mb|Gb)", node.value
        ):
            hint = "Units are case-sensitive and binary ones end in `i`: `128Mi`, not `128MB`."
        reason = oversized(node.value)
        shown = node.text if len(node.text) <= 40 else node.text[:39] + "…"
        yield ctx.error(
            "invalid-quantity",
            node,
            path,
            f"`{shown}` is not a valid quantity for {resource}" + (f": {reason}" if reason else ""),
            hint,
        )
    elif amount.numerator < 0:
        yield ctx.error(
            "invalid-quantity", node, path, f"{resource} cannot be negative", "Use zero or more."
        )


def check_restart_policies(ctx: Context) -> Iterator[Diagnostic]:
    pod_policy = _value_node(ctx.pod.spec, "restartPolicy")
    kind = ctx.workload.kind
    policy: str | None = ctx.pod.restart_policy
    if policy not in ENUMS["restartPolicy"]:
        policy = None  # reported by check_enums
    if kind in ALWAYS_RESTART and policy not in ("Always", None):
        yield ctx.error(
            "invalid-restart-policy",
            pod_policy,
            f"{ctx.pod.path}.restartPolicy",
            f"a {kind}'s pods must have `restartPolicy: Always`, not `{policy}`",
            f"A {kind} keeps its pods running; for work that ends, use a Job.",
        )
    if kind in RUN_TO_COMPLETION and policy not in ("OnFailure", "Never", None):
        error = ctx.error(
            "invalid-restart-policy",
            pod_policy or ctx.pod.spec,
            f"{ctx.pod.path}.restartPolicy",
            f"a {kind}'s pods must set `restartPolicy` to `OnFailure` or `Never`"
            + ("" if pod_policy is not None else " (the default, `Always`, is not allowed)"),
            "A Job's pods run to completion; add `restartPolicy: Never` or `OnFailure`.",
        )
        yield replace(error, lesson=JOB_RESTART_POLICY)
    for container in ctx.pod.containers:
        yield from _container_restart(ctx, container)


# The most Pods an Indexed Job may run at once (validateJobSpec, v1.35).
MAX_INDEXED_PARALLELISM = 100_000


def check_job_spec(ctx: Context) -> Iterator[Diagnostic]:
    # validateJobSpec (pkg/apis/batch/validation/validation.go, v1.35): what ties a Job's own
    # fields to each other and to its pod template (a CronJob's job template alike).
    path = ctx.pod.path.removesuffix(".template.spec")
    spec = at(ctx.root, path)
    if ctx.workload.job is None or not isinstance(spec, Mapping):
        return
    if text(spec.get("completionMode")) == "Indexed":
        yield from _indexed_job(ctx, spec, path)
    # Any other policy than OnFailure or Never is reported by check_restart_policies.
    if not is_unset(spec.get("podFailurePolicy")) and ctx.pod.restart_policy == "OnFailure":
        yield ctx.error(
            "invalid-restart-policy",
            _value_node(ctx.pod.spec, "restartPolicy"),
            f"{ctx.pod.path}.restartPolicy",
            "a Job with a `podFailurePolicy` must have `restartPolicy: Never`, not `OnFailure` "
            '(the API server: only "Never" is supported when podFailurePolicy is specified)',
            "With `OnFailure` the kubelet restarts a failed container inside its Pod, so the Pod "
            "does not fail and the policy never sees the failure: use `Never`.",
        )


def _indexed_job(ctx: Context, spec: Mapping, path: str) -> Iterator[Diagnostic]:
    if is_unset(spec.get("completions")):
        yield ctx.error(
            "missing-field",
            spec.key_node("completionMode"),
            f"{path}.completions",
            "an Indexed Job needs `completions`: its indexes run from 0 to completions - 1 "
            "(the API server: Required value: when completion mode is Indexed)",
            "Add `completions:` with the number of pieces of work, one index each.",
        )
    parallelism = spec.get("parallelism")
    if (
        isinstance(parallelism, Scalar)
        and isinstance(parallelism.value, int)
        and parallelism.value > MAX_INDEXED_PARALLELISM
    ):
        yield ctx.error(
            "invalid-value",
            parallelism,
            f"{path}.parallelism",
            f"an Indexed Job can run at most {MAX_INDEXED_PARALLELISM:,} Pods at once, not "
            f"{parallelism.value:,} (the API server: must be less than or equal to 100000 when "
            "completion mode is Indexed)",
            f"Lower `parallelism` to {MAX_INDEXED_PARALLELISM:,} or less.",
        )


def _container_restart(ctx: Context, container: Container) -> Iterator[Diagnostic]:
    """Container-level restartPolicy and restartPolicyRules, as the chosen version allows them."""
    node = container.node.get("restartPolicy")
    rules_key = container.node.key_node("restartPolicyRules")
    path = f"{container.path}.restartPolicy"
    rules_enabled = ctx.version >= RESTART_RULES_FROM
    is_init = container.role in (Role.INIT, Role.SIDECAR)
    value = container.restart_policy
    if not rules_enabled and not is_init and node is not None:
        yield ctx.warning(
            "invalid-restart-policy",
            node,
            path,
            f"Kubernetes {_v(ctx.version)} ignores `restartPolicy` on an app container "
            "(the API server drops it)",
            "Per-container restart policies arrived with Kubernetes 1.35 (ContainerRestartRules). "
            "For a sidecar, move the container to `initContainers` with `restartPolicy: Always`.",
        )
        return
    allowed = ("Always", "OnFailure", "Never") if rules_enabled else ("Always",)
    if value is not None and value not in allowed and (is_init or rules_enabled):
        what = "an init container's" if is_init else "a container's"
        options = ", ".join(f"`{a}`" for a in allowed)
        hint = (
            "`Always` makes an init container a sidecar; leave it out for one that runs to "
            "completion."
            if is_init and not rules_enabled
            else f"Use one of {options} (case-sensitive)."
        )
        yield ctx.error(
            "invalid-restart-policy",
            node,
            path,
            f"{what} `restartPolicy` must be {options} in Kubernetes {_v(ctx.version)}, not `{value}`",
            hint,
        )
    if rules_key is None:
        return
    rules_path = f"{container.path}.restartPolicyRules"
    if not rules_enabled:
        yield ctx.warning(
            "invalid-restart-policy",
            rules_key,
            rules_path,
            f"Kubernetes {_v(ctx.version)} ignores `restartPolicyRules` (they need 1.35 or newer)",
            "Remove them, or choose a newer Kubernetes version.",
        )
    elif node is None:
        yield ctx.error(
            "missing-field",
            rules_key,
            path,
            f"container `{container.name}` has `restartPolicyRules` but no `restartPolicy`",
            "Rules refine a container's restart policy: set `restartPolicy` too.",
        )
    elif container.role == Role.SIDECAR and ctx.version < RESTART_ALL_FROM:
        yield ctx.error(
            "invalid-restart-policy",
            rules_key,
            rules_path,
            f"a sidecar cannot have `restartPolicyRules` in Kubernetes {_v(ctx.version)}",
            "Sidecars always restart; rules for them came with RestartAllContainersOnContainerExits, "
            "beta (on by default) from Kubernetes 1.36.",
        )
    else:
        yield from _rule_actions(ctx, container)


def _rule_actions(ctx: Context, container: Container) -> Iterator[Diagnostic]:
    """Each rule's action: `Restart`, and `RestartAllContainers` once its gate is on (1.36)."""
    allowed = (
        ("Restart", "RestartAllContainers") if ctx.version >= RESTART_ALL_FROM else ("Restart",)
    )
    for rule in container.restart_policy_rules:
        if rule.action is not None and rule.action not in allowed:
            later = (
                " (it arrives, as beta, in Kubernetes 1.36)"
                if rule.action == "RestartAllContainers"
                else ""
            )
            yield ctx.error(
                "invalid-value",
                rule.node.get("action"),
                f"{rule.path}.action",
                f"a restart rule's action must be {' or '.join(f'`{a}`' for a in allowed)} in Kubernetes {_v(ctx.version)}, not `{rule.action}`{later}",
                "Use `action: Restart`.",
            )


def _v(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def check_probes(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        if container.role != Role.INIT:
            continue
        # Which keys are written, whatever their values (null is unset): the API server refuses
        # any of them here.
        keys = [kind.key for kind in ProbeKind] + ["lifecycle"]
        for key in (k for k in keys if not is_unset(container.node.get(k))):
            yield ctx.error(
                "probe-not-allowed",
                container.node.key_node(key),
                f"{container.path}.{key}",
                f"init container `{container.name}` cannot have a `{key}`: it runs to completion",
                "Only sidecars (init containers with `restartPolicy: Always`) take probes and "
                "lifecycle hooks; remove it, or make this container a sidecar.",
            )


def check_selector(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.workload.kind not in SELECTOR_KINDS:
        return
    match_labels = at(ctx.root, "spec.selector.matchLabels")
    if not isinstance(match_labels, Mapping):
        return
    labels_path = _template_metadata(ctx) + ".labels"
    labels_node = at(ctx.root, labels_path)
    labels = ctx.pod.labels
    for key, value in match_labels.pairs:
        wanted = str(value.value) if isinstance(value, Scalar) else None
        if labels.get(key.text) == wanted:
            continue
        # Reported on the template's labels, where the API server reports it.
        place = labels_node.key_node(key.text) if isinstance(labels_node, Mapping) else None
        found = f"`{key.text}: {labels[key.text]}`" if key.text in labels else "no such label"
        yield ctx.error(
            "selector-mismatch",
            place or labels_node or at(ctx.root, _template_metadata(ctx)) or key,
            f"{labels_path}.{key.text}",
            f"the selector (line {key.line}) wants `{key.text}: {wanted}`, but the pod template has {found}",
            "A controller finds its pods by these labels: make `spec.selector.matchLabels` "
            "and `spec.template.metadata.labels` agree.",
        )


def check_port_conflicts(ctx: Context) -> Iterator[Diagnostic]:
    # Init containers that run to completion never listen at the same time as the others.
    first: dict[tuple[int, str], str] = {}
    for container in (c for c in ctx.pod.containers if c.is_long_running):
        for port in container.ports:
            if port.number is None:
                continue
            key = (port.number, port.protocol)
            if key in first and first[key] != container.name:
                yield ctx.warning(
                    "port-conflict",
                    port.node.get("containerPort"),
                    f"{port.path}.containerPort",
                    f"`{container.name}` and `{first[key]}` both declare port {port.number}/{port.protocol}: "
                    "containers in a pod share one network namespace, so only one can listen on it",
                    "Give one of them another port.",
                )
            first.setdefault(key, container.name)


MAX_PORT_COMPARISONS = 8  # earlier declarations of one port that a new one is compared with


def check_port_definitions(ctx: Context) -> Iterator[Diagnostic]:
    # The API server's warnings on ports (pkg/api/pod/warnings.go, v1.35), over every container
    # in order, a container's own ports included: a port is compared with every earlier
    # declaration of its containerPort and protocol, one warning for each that it overlaps. Two
    # long-running containers with one port are left to check_port_conflicts, which says why
    # that fails.
    seen: dict[tuple[int, str], list[tuple[Container, Port]]] = {}
    for container in ctx.pod.init_steps + ctx.pod.apps:
        for port in container.ports:
            host_ip = text(port.node.get("hostIP")) or ""
            if host_ip and not _host_port(ctx, port):
                yield ctx.warning(
                    "host-ip-without-host-port",
                    port.node.get("hostIP"),
                    f"{port.path}.hostIP",
                    f"`hostIP` {host_ip} does nothing without a `hostPort` (the API server warns: "
                    "hostIP set without hostPort)",
                    "A hostIP chooses the node address a hostPort binds; add `hostPort`, or "
                    "remove `hostIP`.",
                )
            if port.number is None or not 0 < port.number < 65536:
                continue  # an invalid number is an error already (check_ports)
            key = (port.number, port.protocol)
            # The first few declarations of a port carry every warning worth reading; comparing
            # with all of them would make a spec of thousands of equal ports cost their square.
            for other_container, other in seen.get(key, [])[:MAX_PORT_COMPARISONS]:
                if other_container is not container and (
                    container.is_long_running and other_container.is_long_running
                ):
                    continue
                if problem := _port_overlap(ctx, port, other):
                    code, what = problem
                    yield ctx.warning(
                        code,
                        port.node.get("containerPort"),
                        f"{port.path}.containerPort",
                        f"port {port.number}/{port.protocol} of `{container.name}` is declared "
                        f"again (also at line {other.line}; the API server warns: {what} port "
                        "definition)",
                        "Declare each port and protocol once, with its name on that entry; a "
                        "second protocol on the same port needs an entry of its own, with the "
                        "same `containerPort` and that `protocol`.",
                    )
            seen.setdefault(key, []).append((container, port))


def _pod_defaults_apply(ctx: Context) -> bool:
    """Whether SetDefaults_Pod (pkg/apis/core/v1/defaults.go) runs before the API server checks
    the spec: for a Pod. Pod templates are checked as written (the gate that defaulted their
    hostPorts too, DefaultHostNetworkHostPortsInPodTemplates, is off since 1.28 and gone since
    1.31); each Pod made of them is defaulted when it is created."""
    return ctx.workload.kind == "Pod"


def _when_defaulted(ctx: Context, message: str) -> str:
    """The message of an error that the defaults bring about: in a pod template, the API server
    accepts the workload and rejects each Pod its controller makes of it."""
    if _pod_defaults_apply(ctx) or ctx.workload.kind == "StatefulSet":
        return message  # a StatefulSet's template errors are all worded so by run()
    return f"{message}{ACCEPTED}{ctx.workload.kind} {POD_DEFAULTS_LEFT}"


def _defaults_host_ports(ctx: Context) -> bool:
    """Whether an unset hostPort is given the containerPort before the API server checks it: in
    a Pod with hostNetwork."""
    return _pod_defaults_apply(ctx) and ctx.pod.host_network


def _host_port(ctx: Context, port: Port) -> int:
    """A port's hostPort as the API server checks it (0: none)."""
    if port.host_port:
        return port.host_port
    return (port.number or 0) if _defaults_host_ports(ctx) else 0


def _port_overlap(ctx: Context, port: Port, other: Port) -> tuple[str, str] | None:
    """How two declarations of one containerPort and protocol overlap, as warnings.go ranks it."""
    host_ip, other_ip = (text(p.node.get("hostIP")) or "" for p in (port, other))
    host_port, other_port = _host_port(ctx, port), _host_port(ctx, other)
    if (host_ip, host_port) == (other_ip, other_port):
        return "duplicate-port", "duplicate"
    if not host_port or not other_port:
        return "duplicate-port", "overlapping"
    if host_port == other_port and bool(host_ip) != bool(other_ip):
        return "ambiguous-host-port", "dangerously ambiguous"
    return None


def check_port_names(ctx: Context) -> Iterator[Diagnostic]:
    # warnings.go (v1.35, kubernetes PR #122170): a port name used again by another container,
    # init containers included whether or not they keep running. A name twice in one container
    # is an error (check_ports), and the API server warns only about a spec it accepts.
    first: dict[str, tuple[Container, Port]] = {}
    for container in ctx.pod.containers:
        for port in container.ports:
            if not port.name:
                continue
            other_container, other = first.setdefault(port.name, (container, port))
            if other_container is container:
                continue
            yield ctx.warning(
                "duplicate-port-name",
                port.node.get("name"),
                f"{port.path}.name",
                f"`{container.name}` names a port `{port.name}`, as `{other_container.name}` "
                f"does (line {other.line}): Services and probes that select a port by that name "
                "get the first (the API server warns: duplicate port name)",
                "A port name should be unique in the whole Pod; give this one a name of its own.",
            )


def check_env(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        seen: dict[str, int] = {}
        for i, var in mappings(container.node.get("env")):
            name = text(var.get("name"))
            if name is None:
                continue
            if name in seen:
                yield ctx.warning(
                    "duplicate-env-var",
                    var.get("name"),
                    f"{container.path}.env[{i}].name",
                    f"container `{container.name}` sets `{name}` twice (also at line {seen[name]}); "
                    "only the last value counts",
                    "Remove one of the two.",
                )
            else:
                seen[name] = var.line


def check_unused_volumes(ctx: Context) -> Iterator[Diagnostic]:
    mounted = {m.volume for m in ctx.pod.mounts}
    devices = {
        text(d.get("name"))
        for c in ctx.pod.containers
        for _, d in mappings(c.node.get("volumeDevices"))
    }
    for volume in ctx.pod.volumes:
        if volume.name and volume.name not in mounted | devices:
            yield ctx.warning(
                "unused-volume",
                _volume_name(volume)[0] or volume.node,
                f"{volume.path}",
                f"volume `{volume.name}` is never mounted by any container",
                f"Mount it with `volumeMounts: [{{name: {volume.name}, mountPath: ...}}]`, or remove it.",
            )


def check_probe_shape(ctx: Context) -> Iterator[Diagnostic]:
    for container in ctx.pod.containers:
        for probe in container.probes:
            key = probe.kind.key
            path = f"{container.path}.{key}"
            if not probe.handlers:
                yield ctx.error(
                    "missing-field",
                    container.node.key_node(key),
                    path,
                    f"the {key} of `{container.name}` says how often to check but not how",
                    "Add one handler: `httpGet`, `tcpSocket`, `grpc` or `exec`.",
                )
            first = probe.handlers[0].kind if probe.handlers else None
            for extra in probe.handlers[1:]:
                yield ctx.error(
                    "invalid-value",
                    probe.node.key_node(extra.kind),
                    f"{path}.{extra.kind}",
                    f"the {key} of `{container.name}` has two handlers (`{first}` and `{extra.kind}`); a probe takes exactly one",
                    "Keep one handler and remove the other.",
                )
            # A 0 was defaulted to 1 in the model, as the API server does.
            if probe.kind != ProbeKind.READINESS and probe.success_threshold != 1:
                yield ctx.error(
                    "invalid-value",
                    probe.node.get("successThreshold"),
                    f"{path}.successThreshold",
                    f"`successThreshold` of a {key} must be 1, not {probe.success_threshold}",
                    "Only readiness probes may need several successes in a row; remove it or set 1.",
                )


def check_sub_paths(ctx: Context) -> Iterator[Diagnostic]:
    for mount in ctx.pod.mounts:
        sub_path = mount.node.get("subPath")
        value = text(sub_path)
        if value and (value.startswith("/") or ".." in value.split("/")):
            yield ctx.error(
                "invalid-value",
                sub_path,
                f"{mount.path}.subPath",
                f"`subPath` must be a relative path inside the volume, not `{value}`",
                "Write a path relative to the volume's root, without `..`, e.g. `conf/app.yaml`.",
            )


RULES: tuple[Rule, ...] = (
    check_object_name,
    check_labels,
    check_enums,
    check_container_names,
    check_image,
    check_app_container,
    check_volumes,
    check_claim_templates,
    check_mounts,
    check_ports,
    check_host_ports,
    check_host_network_ports,
    check_resources,
    check_pod_resources,
    check_resource_claims,
    check_restart_policies,
    check_job_spec,
    check_probes,
    check_probe_shape,
    check_sub_paths,
    check_selector,
    check_port_conflicts,
    check_port_definitions,
    check_port_names,
    check_env,
    check_unused_volumes,
)


# Rules about the object itself, which the API server checks for every kind.
OBJECT_RULES: frozenset[Rule] = frozenset({check_object_name, check_labels, check_selector})


# How an error is worded that the API server leaves to the Pods' creation: one in a StatefulSet
# (run(), below), or one the Pods' defaults bring about (_when_defaulted).
ACCEPTED = "; the API server accepts the "
STATEFULSET_ACCEPTED = f"{ACCEPTED}StatefulSet "
POD_DEFAULTS_LEFT = (
    "(it checks the pod template as written, and each Pod gets its defaults when it is created) "
    "but will reject each of its Pods"
)
POD_TEMPLATE_LEFT = "(it does not validate its pod template) but will reject each of its Pods"
CLAIM_TEMPLATES_LEFT = (
    "(it does not validate its claim templates) but will reject the claims or Pods its "
    "controller makes of them"
)


def run(ctx: Context) -> Iterator[Diagnostic]:
    """Every rule's findings for one workload."""
    unchecked = ctx.workload.kind == "StatefulSet"
    for rule in RULES:
        for diagnostic in rule(ctx):
            outcome = _left_to_the_controller(ctx, diagnostic) if unchecked else None
            if outcome and rule not in OBJECT_RULES:
                diagnostic = replace(
                    diagnostic, message=f"{diagnostic.message}{STATEFULSET_ACCEPTED}{outcome}"
                )
            yield diagnostic


def accepted_outcome(errors: list[Diagnostic], kind: str) -> str | None:
    """What becomes of a workload of `kind` when each of the errors is one the API server leaves
    to the creation of its Pods (as run() and _when_defaulted() word them), or None when some
    error makes it reject the object."""
    outcomes = {error.message.partition(f"{ACCEPTED}{kind} ")[2] for error in errors}
    if not outcomes or "" in outcomes:
        return None
    # The one that says most: claims and Pods, then Pods of an unchecked template, then of defaults.
    return next(
        o for o in (CLAIM_TEMPLATES_LEFT, POD_TEMPLATE_LEFT, POD_DEFAULTS_LEFT) if o in outcomes
    )


def _left_to_the_controller(ctx: Context, diagnostic: Diagnostic) -> str | None:
    """What becomes of an error the API server does not check in a StatefulSet, or None."""
    # ValidateStatefulSetSpec (pkg/apis/apps/validation/validation.go, v1.35) checks the template's
    # labels and annotations, its restartPolicy and activeDeadlineSeconds, and not the
    # volumeClaimTemplates; ValidatePodTemplateSpec is left commented out there ("this will check
    # volumes, which we know will fail"), so the rest is validated only when the controller
    # creates each claim and Pod, and a mistake there is refused one by one (FailedCreate events).
    checked = {f"{ctx.pod.path}.{key}" for key in ("restartPolicy", "activeDeadlineSeconds")}
    if diagnostic.severity is not Severity.ERROR or diagnostic.path in checked:
        return None
    if diagnostic.path.startswith(f"{ctx.pod.path}."):
        return POD_TEMPLATE_LEFT
    claims = (v.path for v in ctx.pod.volumes if v.claim_template)
    if any(diagnostic.path.startswith(f"{path}.") for path in claims):
        return CLAIM_TEMPLATES_LEFT
    return None
