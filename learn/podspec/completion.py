"""What an editor offers at the cursor: completions from the schema and the spec, and the
documentation of the field under the pointer (as `kubectl explain` prints it).

The editor sends the whole text and a position; everything it shows comes from here, so the
schema and the rules about names live in one place. `fields.place_in_text` finds where the cursor
is in the schema's terms, even in half-typed YAML.
"""

import re
from dataclasses import dataclass, replace

from learn.podspec import fields, lessons
from learn.podspec.fields import Field, Path, Place
from learn.podspec.model import WORKLOAD_KINDS
from learn.podspec.source import Document, Mapping, Node, Scalar, Sequence

INFO_CHARACTERS = 240  # of a description shown beside a completion; hover shows all of it
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)`'\"])\.(\s|$)")
_PROBE = r"(livenessProbe|readinessProbe|startupProbe)"
_HANDLER = rf"({_PROBE}|lifecycle\.(postStart|preStop))\.(httpGet|tcpSocket)\.port$"


@dataclass(frozen=True)
class Option:
    """One completion: a field name, an allowed value, or a name the spec defines."""

    label: str
    kind: str  # "field", "value" or "name"
    detail: str = ""  # a field's type, or where a name is defined
    info: str = ""  # the first sentence of a field's description
    required: bool = False


@dataclass(frozen=True)
class Completion:
    """What to offer at a cursor, and where it is (`path`, and `key` when on a key)."""

    path: str
    key: str | None
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Hover:
    """The documentation of the field under the pointer, with the lesson that teaches it."""

    path: str
    field: Field
    lesson: str  # a `module/lesson#section` key, or ""


def complete(text: str, line: int, column: int, version: str | None = None) -> Completion | None:
    """The completions at a 1-based line and column, or None where nothing can be offered."""
    documents = fields.typed_documents(text, line)
    place = fields.place_at(documents, line, column)
    if place is None:
        return None
    root = _document(documents, place)
    if place.key is None and not place.path and isinstance(root, Scalar):
        place = replace(place, key=root.text)  # the first word of a new document: a field name
    if place.key is not None:
        options = _field_options(place, root, version)
    else:
        options = _value_options(place, root, version)
    if options is None:
        return None
    return Completion(fields.dotted(place.path), place.key, tuple(options))


def hover(text: str, line: int, column: int, version: str | None = None) -> Hover | None:
    """The field at a 1-based line and column, documented, or None off any known field."""
    place = fields.place_in_text(text, line, column)
    if place is None or place.key == "":
        return None
    path = place.path if place.key is None else (*place.path, place.key)
    if not path:
        return None
    try:
        explained = fields.explain(
            path, place.kind or "Pod", api_version=place.api_version, kubernetes_version=version
        )
    except ValueError:  # UnknownPath, or a Kubernetes version not shipped
        return None
    return Hover(
        fields.dotted(path), explained.field, lessons.lesson_for_field(fields.dotted(path))
    )


def first_sentence(description: str) -> str:
    """The first sentence of a description, for a list where the whole would not fit."""
    match = _SENTENCE_END.search(description)
    sentence = description[: match.start() + 1] if match else description
    if len(sentence) > INFO_CHARACTERS:
        sentence = sentence[: INFO_CHARACTERS - 1].rstrip() + "…"
    return sentence


def _document(documents: list[Document], place: Place) -> Node:
    return next(d.root for d in documents if d.index == place.document)


def _field_options(place: Place, root: Node, version: str | None) -> list[Option] | None:
    """The fields the object at the cursor may still take (those already written left out)."""
    kind = place.kind or "Pod"  # a new document without its kind yet: what any object starts with
    try:
        available = fields.fields_at(
            place.path, kind, api_version=place.api_version, kubernetes_version=version
        )
    except ValueError:  # UnknownPath, or a Kubernetes version not shipped
        return None
    written = _keys_at(root, place.path) - {place.key}
    return [
        Option(f.name, "field", f.type, first_sentence(f.description), f.required)
        for f in available
        if f.name not in written
    ]


def _value_options(place: Place, root: Node, version: str | None) -> list[Option] | None:
    """Allowed values of the field at the cursor, or the names of what it refers to."""
    path = fields.dotted(place.path)
    names = _referenced_names(path, place.path, root)
    if names is not None:
        return names
    if place.path == ("kind",):
        return [Option(kind, "value", "kind") for kind in WORKLOAD_KINDS]
    try:
        field = fields.explain(
            place.path,
            place.kind or "Pod",
            api_version=place.api_version,
            kubernetes_version=version,
        ).field
    except ValueError:  # UnknownPath, or a Kubernetes version not shipped
        return None
    if field.enum:
        return [Option(value, "value", field.name) for value in field.enum]
    if field.type == "boolean":
        return [Option(value, "value", "boolean") for value in ("true", "false")]
    return None


def _referenced_names(path: str, segments: Path, root: Node) -> list[Option] | None:
    """Names a reference field may take: the Pod's volumes for a mount, the container's named
    ports for a probe or hook; None when the field is not a reference."""
    if re.search(r"\.(volumeMounts|volumeDevices)\[\d+\]\.name$", path):
        pod = _node_at(root, _pod_spec(segments))
        claims = _node_at(root, ("spec", "volumeClaimTemplates"))
        options = [Option(n, "name", "volumes") for n in _names(pod, "volumes")]
        options += [Option(n, "name", "volumeClaimTemplates") for n in _claim_names(claims)]
        return options
    if re.search(rf"\.{_HANDLER}", path):
        container = _node_at(root, _container(segments))
        return [Option(n, "name", "ports") for n in _names(container, "ports")]
    return None


def _pod_spec(segments: Path) -> Path:
    """The path of the pod spec that holds a container path (`spec.template.spec`, ...)."""
    for index, segment in enumerate(segments):
        if segment in ("containers", "initContainers", "ephemeralContainers"):
            return segments[:index]
    return ()


def _container(segments: Path) -> Path:
    """The path of the container a path inside one belongs to."""
    start = len(_pod_spec(segments))
    return segments[: start + 2]


def _node_at(root: Node, path: Path) -> Node | None:
    node: Node | None = root
    for segment in path:
        if isinstance(node, Mapping) and isinstance(segment, str):
            node = node.get(segment)
        elif isinstance(node, Sequence) and isinstance(segment, int) and segment < len(node.items):
            node = node.items[segment]
        else:
            return None
    return node


def _names(holder: Node | None, list_field: str) -> list[str]:
    """The `name`s of the items of a list field (`volumes`, `ports`), in order, once each."""
    items = holder.get(list_field) if isinstance(holder, Mapping) else None
    found: list[str] = []
    for item in items.items if isinstance(items, Sequence) else ():
        name = item.get("name") if isinstance(item, Mapping) else None
        if isinstance(name, Scalar) and isinstance(name.value, str) and name.value not in found:
            found.append(name.value)
    return found


def _claim_names(claims: Node | None) -> list[str]:
    """The names of a StatefulSet's volume claim templates (their `metadata.name`)."""
    found = []
    for claim in claims.items if isinstance(claims, Sequence) else ():
        name = _node_at(claim, ("metadata", "name"))
        if isinstance(name, Scalar) and isinstance(name.value, str):
            found.append(name.value)
    return found


def _keys_at(root: Node, path: Path) -> set[str]:
    node = _node_at(root, path)
    return {key.text for key, _ in node.pairs} if isinstance(node, Mapping) else set()
