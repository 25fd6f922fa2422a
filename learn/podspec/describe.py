"""Words for a pod diagram: the same model told as text, for screen readers and for readers who
prefer it. `summary()` is one paragraph (the SVG's <desc>); `outline()` is structured, rendered as an
HTML list by `outline_html()`."""

from collections.abc import Iterable
from html import escape

from learn.podspec.diagnostics import Diagnostic, Severity
from learn.podspec.layout import image_name, port_text
from learn.podspec.model import Container, Pod, Role, Workload, format_amount

LIMIT = 30  # items listed before "and N more"
ROLE_NAMES = {Role.INIT: "init container", Role.SIDECAR: "sidecar", Role.APP: "app container"}


def _some(items: Iterable[str]) -> str:
    """A comma-separated list, cut after LIMIT items."""
    items = list(items)
    more = f", and {len(items) - LIMIT} more" if len(items) > LIMIT else ""
    return ", ".join(items[:LIMIT]) + more


def title(workload: Workload) -> str:
    """A short title: what the workload is and how its pod is made."""
    pod = workload.pod
    counts = dict.fromkeys(Role, 0)
    for container in pod.containers:
        counts[container.role] += 1
    parts = [f"{n} {role}{'' if n == 1 else 's'}" for role, n in counts.items() if n]
    head = f"{workload.kind} {workload.name or '(unnamed)'}"
    return f"{head}: pod with " + (", ".join(parts) or "no containers")


def names(workloads: list[Workload]) -> str:
    """What a spec defines, by kind and metadata.name: `Deployment catalog`, or the first of
    several `and N more`; empty when it defines no workload."""
    if not workloads:
        return ""
    first = workloads[0]
    more = f" and {len(workloads) - 1} more" if len(workloads) > 1 else ""
    return f"{first.kind} {first.name or '(unnamed)'}{more}"


def _container_sentence(container: Container, step: int, pod: Pod) -> str:
    kind = ROLE_NAMES[container.role]
    sentence = f"step {step}: {kind} {container.name} ({image_name(container.image)})"
    if container.role == Role.INIT:
        sentence += ", runs to completion before the next step"
    elif container.role == Role.SIDECAR:
        sentence += ", keeps running beside the app containers and stops after them"
    if container.ports:
        sentence += ", ports " + _some(port_text(p) for p in container.ports)
    if container.requests:
        sentence += ", requests " + ", ".join(
            f"{k} {format_amount(k, v)}" for k, v in sorted(container.requests.items())
        )
    return sentence


def outline(workload: Workload, diagnostics: list[Diagnostic]) -> dict[str, list[str]]:
    """Sections of plain sentences: containers, network, volumes, resources, problems."""
    pod = workload.pod
    steps = pod.start_steps()
    sections: dict[str, list[str]] = {}
    sections["Containers, in start order"] = [
        _container_sentence(c, steps.get(c.name, 0), pod) for c in pod.containers
    ] or ["no containers"]
    ports = [f"{port_text(p)} on {p.container}" for p in pod.ports]
    sections["Network"] = [
        "all containers share one network namespace: one IP address, and localhost between them",
        "ports: " + (_some(ports) if ports else "none declared"),
    ]
    volumes = []
    for volume in pod.volumes:
        users = [
            f"{m.container} at {m.mount_path} ({'read-only' if m.read_only else 'read-write'})"
            for m in pod.mounts
            if m.volume == volume.name
        ]
        kind = volume.type + (f" {volume.detail}" if volume.detail else "")
        volumes.append(f"{volume.name} ({kind}): " + ("; ".join(users) if users else "not mounted"))
    for mount in pod.mounts:
        if not mount.defined:
            volumes.append(
                f"{mount.container} mounts {mount.volume} at {mount.mount_path}, but no such volume is defined"
            )
    sections["Volumes"] = volumes or ["none"]
    requests = pod.effective_requests()
    sections["Resources"] = [
        f"effective pod requests (as the scheduler counts them): cpu {requests['cpu']}, memory {requests['memory']}"
    ]
    if pod.share_process_namespace:
        sections["Network"].append(
            "process namespace shared: containers see each other's processes"
        )
    problems = [
        f"{d.severity} on line {d.line}: {d.message} [{d.code}]"
        for d in diagnostics
        if d.document == workload.document and d.severity is not Severity.INFO
    ]
    if problems:
        sections["Problems"] = problems[:LIMIT] + (
            [f"and {len(problems) - LIMIT} more"] if len(problems) > LIMIT else []
        )
    return sections


def summary(sections: dict[str, list[str]]) -> str:
    """One paragraph describing the whole picture, from a workload's outline()."""
    return " ".join(f"{name}: {'; '.join(lines)}." for name, lines in sections.items())


def outline_html(workloads: list[Workload], outlines: list[dict[str, list[str]]]) -> str:
    """The text equivalent of the diagrams as nested HTML lists (escaped), from each workload's
    outline() (built once by the caller, who also gives it to the diagram)."""
    parts = []
    for workload, sections in zip(workloads, outlines, strict=True):
        parts.append(f'<section class="pod-text"><h3>{escape(title(workload))}</h3>')
        for name, lines in sections.items():
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            parts.append(f"<h4>{escape(name)}</h4><ul>{items}</ul>")
        parts.append("</section>")
    return "".join(parts)
