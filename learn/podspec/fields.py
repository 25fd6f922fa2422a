"""Ask the schema: which fields, of which types, are allowed at a path, and what they mean.

What an editor needs for completion and hover documentation, and what `python -m learn.podspec
explain` prints (in the spirit of `kubectl explain`). Paths are lists of segments
(`["spec", "containers", 0, "image"]`) or dotted text (`spec.containers[].image`); a field name
after a list steps into its items, as in `kubectl explain pod.spec.containers.image`.
"""

import difflib
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from learn.podspec import schema, source
from learn.podspec.check import normalize_version
from learn.podspec.rules import ENUMS
from learn.podspec.source import Document, Mapping, Node, Scalar, Sequence

Segment = str | int
Path = tuple[Segment, ...]
ITEMS = "[]"  # the segment for "any item of this list"
_SEGMENT = re.compile(r"\[(\d*)\]|([^.\[\]]+)")
WIDTH = 80  # columns of `explain` text
CORE = "io.k8s.api.core.v1."
# Values the engine's rules check (rules.check_enums) where the schema only says "text".
CHECKED_VALUES = {
    (f"{CORE}PodSpec", "restartPolicy"),
    (f"{CORE}PodSpec", "dnsPolicy"),
    (f"{CORE}Container", "imagePullPolicy"),
    (f"{CORE}Container", "terminationMessagePolicy"),
    (f"{CORE}Container", "restartPolicy"),
    (f"{CORE}ContainerPort", "protocol"),
}
RECURSION_LIMIT = 12  # levels of `explain --recursive`, beyond which a tree stops being read


class UnknownPath(ValueError):
    """A path that leads nowhere in the schema; names the first segment that does not exist."""

    def __init__(self, message: str, segment: Segment, suggestion: str | None = None):
        super().__init__(message)
        self.segment = segment
        self.suggestion = suggestion


@dataclass(frozen=True)
class Field:
    """One field as documentation shows it."""

    name: str
    type: str  # in words: `string`, `[]Container`, `map[string]string`, `ObjectMeta`, `Object`
    required: bool
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Explanation:
    """A field of an object kind, its documentation and the fields it holds."""

    kind: str
    api_version: str
    kubernetes_version: str
    path: Path
    field: Field
    fields: tuple[Field, ...]
    tree: tuple[tuple[int, Field], ...] = ()  # (depth from 1, field) for a recursive explanation


@dataclass(frozen=True)
class _Target:
    """Where a path ended: the field as documented, and its schema as written in its parent
    (the description of a field sits beside its reference, not in the referenced definition)."""

    field: Field
    schema: dict  # as the field is written: a reference, a list of them, a type


def parse_path(path: str | Iterable[Segment]) -> Path:
    """`spec.containers[0].image` or `["spec", "containers", 0, "image"]` -> segments.

    `[]` is any item of a list. Keys that hold dots (label names) need the list form.
    """
    if not isinstance(path, str):
        given = tuple(path)
        for segment in given:
            if isinstance(segment, bool) or not isinstance(segment, str | int):
                raise UnknownPath(
                    f"a path segment is a field name or an index, not {segment!r}", ""
                )
        return given
    segments: list[Segment] = []
    position = 0
    for match in _SEGMENT.finditer(path):
        between = path[position : match.start()]
        if between not in ("", ".") or (between == "." and not segments):
            raise UnknownPath(f"cannot read the path {path!r} near {between!r}", between)
        index, name = match.groups()
        segments.append(name if name is not None else int(index) if index else ITEMS)
        position = match.end()
    if path[position:]:
        raise UnknownPath(f"cannot read the path {path!r}: it ends in {path[position:]!r}", "")
    return tuple(segments)


def _pick_kind(schemas: schema.Schemas, kind: str, api_version: str | None) -> tuple[str, str]:
    """(apiVersion, kind) for a kind written in any case; prefers stable apiVersions."""
    names = {name.lower(): name for name in schemas.kind_names()}
    name = names.get(kind.lower())
    if name is None:
        close = difflib.get_close_matches(kind.lower(), list(names), n=1, cutoff=0.6)
        suggestion = names[close[0]] if close else None
        raise UnknownPath(
            f"Kubernetes {schemas.version} has no kind `{kind}`"
            + (f"; did you mean `{suggestion}`?" if suggestion else ""),
            kind,
            suggestion,
        )
    served = schemas.api_versions_of(name)
    if api_version is not None:
        if api_version not in served:
            raise UnknownPath(
                f"`{name}` is not served by {api_version} in Kubernetes {schemas.version};"
                f" use {' or '.join(served)}",
                api_version,
                served[0],
            )
        return api_version, name
    return max(served, key=_stability), name


def _stability(api_version: str) -> tuple[int, int, int]:
    """Orders `v2` > `v1` > `v1beta2` > `v1alpha1`, whatever the group."""
    match = re.search(r"v(\d+)(?:(alpha|beta)(\d+))?$", api_version)
    if not match:
        return (0, 0, 0)
    level = {"alpha": 0, "beta": 1, None: 2}[match[2]]
    return (level, int(match[1]), int(match[3] or 0))


def type_words(schemas: schema.Schemas, node: dict) -> str:
    """A schema's type as documentation writes it: `[]Container`, `map[string]string`, ..."""
    if "ref" in node:
        definition = schemas.definitions[node["ref"]]
        if "properties" in definition or "oneOf" in definition:
            return node["ref"].rsplit(".", 1)[-1]
        return type_words(schemas, definition)
    kinds = [t for t in _types(node) if t != "null"]
    if "array" in kinds:
        return "[]" + type_words(schemas, node.get("items", {}))
    if "object" in kinds:
        values = node.get("additionalProperties")
        if isinstance(values, dict) and not node.get("properties"):
            return "map[string]" + type_words(schemas, values)
        return "Object"
    if kinds:
        return " or ".join(kinds)
    if "oneOf" in node:
        return " or ".join(type_words(schemas, option) for option in node["oneOf"])
    return "any"


def _types(node: dict) -> list[str]:
    kind = node.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _deref(schemas: schema.Schemas, node: dict) -> dict:
    return schemas.definitions[node["ref"]] if "ref" in node else node


def _object(schemas: schema.Schemas, node: dict) -> tuple[str | None, dict]:
    """The definition (if named) and schema of the object a field holds, through lists."""
    definition = node.get("ref")
    node = _deref(schemas, node)
    while "array" in _types(node) and "items" in node:
        definition = node["items"].get("ref", definition)
        node = _deref(schemas, node["items"])
    return definition, node


def _field(
    schemas: schema.Schemas, owner: str | None, name: str, node: dict, required: bool
) -> Field:
    target = _deref(schemas, node)
    enum = target.get("enum") or node.get("enum")
    if enum is None and (owner, name) in CHECKED_VALUES:
        enum = ENUMS[name]
    return Field(
        name,
        type_words(schemas, node),
        required,
        tuple(str(value) for value in enum or ()),
        (node.get("description") or target.get("description", "")).strip(),
    )


def _children(schemas: schema.Schemas, node: dict) -> Iterator[Field]:
    """The fields of the object a schema holds, through lists (alphabetical, as kubectl)."""
    owner, node = _object(schemas, node)
    required = set(node.get("required", []))
    for name, child in sorted(node.get("properties", {}).items()):
        yield _field(schemas, owner, name, child, name in required)


def _resolve(
    path: str | Iterable[Segment],
    kind: str,
    api_version: str | None,
    kubernetes_version: str | None,
) -> tuple[schema.Schemas, str, str, Path, _Target]:
    schemas = schema.load(normalize_version(kubernetes_version))
    api_version, kind = _pick_kind(schemas, kind, api_version)
    segments = parse_path(path)
    root = {"ref": schemas.definition_for(api_version, kind)}
    target = _Target(_field(schemas, None, kind, root, True), root)
    walked: list[Segment] = []
    for segment in segments:
        target = _step(schemas, target, segment, walked)
        walked.append(segment)
    return schemas, api_version, kind, segments, target


def _step(schemas: schema.Schemas, at: _Target, segment: Segment, walked: list[Segment]) -> _Target:
    if isinstance(segment, int) or segment == ITEMS:
        node = _deref(schemas, at.schema)
        if "array" not in _types(node):
            raise UnknownPath(
                f"`{dotted(walked)}` is {_a(at.field.type)}, not a list", segment, None
            )
        item = node.get("items", {})
        return _Target(_field(schemas, None, at.field.name, item, at.field.required), item)
    owner, node = _object(schemas, at.schema)  # `containers.image`: the image of each container
    properties = node.get("properties", {})
    if segment in properties:
        child = properties[segment]
        required = segment in node.get("required", [])
        return _Target(_field(schemas, owner, segment, child, required), child)
    values = node.get("additionalProperties")
    if isinstance(values, dict):
        return _Target(_field(schemas, None, segment, values, False), values)
    if not properties:
        raise UnknownPath(
            f"`{dotted(walked)}` is {_a(at.field.type)} and has no field `{segment}`",
            segment,
            None,
        )
    lowered = {name.lower(): name for name in properties}
    close = difflib.get_close_matches(segment, list(properties), n=1, cutoff=0.6)
    suggestion = lowered.get(segment.lower()) or (close[0] if close else None)
    raise UnknownPath(
        f"`{segment}` is not a field of {at.field.type.removeprefix('[]')}"
        f" (at {dotted(walked) or 'the top level'})"
        + (f"; did you mean `{suggestion}`?" if suggestion else ""),
        segment,
        suggestion,
    )


def _a(words: str) -> str:
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} `{words}`"


def dotted(segments: Iterable[Segment]) -> str:
    """Segments as `spec.containers[0].image` (`[]` for any item)."""
    out = ""
    for segment in segments:
        if isinstance(segment, int):
            out += f"[{segment}]"
        elif segment == ITEMS:
            out += ITEMS
        else:
            out += f".{segment}" if out else segment
    return out


def fields_at(
    path: str | Iterable[Segment] = (),
    kind: str = "Pod",
    *,
    api_version: str | None = None,
    kubernetes_version: str | None = None,
) -> list[Field]:
    """The fields an object may hold at `path` (through lists); empty for text, numbers and maps."""
    schemas, _, _, _, target = _resolve(path, kind, api_version, kubernetes_version)
    return list(_children(schemas, target.schema))


def explain(
    path: str | Iterable[Segment] = (),
    kind: str = "Pod",
    *,
    api_version: str | None = None,
    kubernetes_version: str | None = None,
    recursive: bool = False,
) -> Explanation:
    """A field's type, description and child fields (all below it if recursive); the kind itself
    for an empty path."""
    schemas, api_version, kind, segments, target = _resolve(
        path, kind, api_version, kubernetes_version
    )
    return Explanation(
        kind,
        api_version,
        schemas.version,
        segments,
        target.field,
        tuple(_children(schemas, target.schema)),
        tuple(_tree(schemas, target.schema, 1, frozenset())) if recursive else (),
    )


def format_explanation(explanation: Explanation) -> str:
    """Text for a terminal: the field and its description, then its fields (a tree if recursive)."""
    field = explanation.field
    lines = [
        f"KIND:     {explanation.kind}",
        f"VERSION:  {explanation.api_version} (Kubernetes {explanation.kubernetes_version})",
        "",
    ]
    if explanation.path:
        lines += [f"FIELD:    {dotted(explanation.path)} <{field.type}>", ""]
    lines += ["DESCRIPTION:", *_wrap(field.description or "(no description)", 4)]
    if field.enum:
        lines += ["", f"    One of: {', '.join(field.enum)}"]
    if explanation.tree:
        lines += ["", "FIELDS:"]
        lines += [_heading(child, 2 * depth) for depth, child in explanation.tree]
    elif explanation.fields:
        lines += ["", "FIELDS:"]
        for child in explanation.fields:
            lines += [_heading(child, 2), *_wrap(child.description, 4), ""]
        lines.pop()
    return "\n".join(lines)


def _heading(field: Field, indent: int) -> str:
    required = " -required-" if field.required else ""
    values = f"  ({' | '.join(field.enum)})" if field.enum else ""
    return f"{' ' * indent}{field.name} <{field.type}>{required}{values}"


def _tree(
    schemas: schema.Schemas, node: dict, depth: int, seen: frozenset[str]
) -> Iterator[tuple[int, Field]]:
    """Every field below `node`, depth first; a type already being expanded is not expanded again."""
    owner, node = _object(schemas, node)
    seen = seen | {owner} if owner else seen
    required = set(node.get("required", []))
    for name, child in sorted(node.get("properties", {}).items()):
        yield depth, _field(schemas, owner, name, child, name in required)
        if _object(schemas, child)[0] not in seen and depth < RECURSION_LIMIT:
            yield from _tree(schemas, child, depth + 1, seen)


def _wrap(text: str, indent: int) -> list[str]:
    prefix = " " * indent
    # Links stay whole, so they can still be clicked in a terminal.
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix,
        break_long_words=False,
        break_on_hyphens=False,
    )


@dataclass(frozen=True)
class Place:
    """Where a cursor is in the schema's terms.

    `key` is the text of the key under the cursor ("" on a fresh line), and `path` then names the
    object that key belongs to; `key` is None when the cursor is on a value, and `path` names it.
    A bare word typed as a list item (`- ima`) is a value: where the schema wants an object there,
    `fields_at(path)` gives the names to complete it with.
    """

    document: int
    api_version: str | None
    kind: str | None
    path: Path
    key: str | None


def place_at(documents: list[Document], line: int, column: int) -> Place | None:
    """The schema path at a 1-based line and column of parsed text; None before any document.

    Best-effort for half-typed YAML, by where nodes start: a cursor belongs to the last key or item
    that starts before it, and to an outer mapping when it is indented no deeper than that key.
    """
    started = [d for d in documents if d.line <= line]
    if not started:
        return None
    document = started[-1]
    root = document.root
    path, key = _descend(root, (line, column), ())
    return Place(document.index, _text_of(root, "apiVersion"), _text_of(root, "kind"), path, key)


def _text_of(root: Node, name: str) -> str | None:
    value = root.get(name) if isinstance(root, Mapping) else None
    return value.value if isinstance(value, Scalar) and isinstance(value.value, str) else None


# Lines that do not parse, set aside one by one to read the text around the cursor: each costs
# a parse up to the next problem, so only in texts of an ordinary size (64 K characters is huge).
MAX_LINES_SET_ASIDE = 3
SET_ASIDE_WITHIN = 64 * 1024


def place_in_text(text: str, line: int, column: int) -> Place | None:
    """`place_at` for text as typed (see `typed_documents`)."""
    return place_at(typed_documents(text, line), line, column)


def typed_documents(text: str, line: int) -> list[Document]:
    """The documents of text being typed at `line`: a line that stops the YAML parsing there (a
    field name without its colon yet) is read as a key, and a few lines elsewhere that stop it
    (being edited too) are set aside, so that the rest still parses around the cursor."""
    documents, problems = source.parse(text)
    if not any(problem.code == "yaml-syntax" for problem in problems):
        return documents
    # Like libyaml, splitlines breaks at NEL, LS and PS too; the other breaks it knows are
    # characters YAML refuses, so they never reach here.
    lines = text.splitlines()
    if 0 < line <= len(lines) and ":" not in lines[line - 1]:
        lines[line - 1] = lines[line - 1].rstrip() + ":"
    for _ in range(MAX_LINES_SET_ASIDE + 1 if len(text) <= SET_ASIDE_WITHIN else 1):
        typed = "\n".join(lines)
        culprit = source.syntax_culprit(typed)
        if culprit is None:
            return source.parse(typed)[0] or documents
        if culprit == line or not 0 < culprit <= len(lines) or not lines[culprit - 1].strip():
            break
        lines[culprit - 1] = ""
    return documents


def _descend(node: Node, cursor: tuple[int, int], path: Path) -> tuple[Path, str | None]:
    if isinstance(node, Mapping):
        before = [(k, v) for k, v in node.pairs if (k.line, k.column) <= cursor]
        if not before:
            return path, ""
        key, value = before[-1]
        line, column = cursor
        if line == key.line and column <= key.column + len(key.text):
            return path, key.text
        if line > key.line and column <= key.column:
            return path, ""  # a new key of this mapping
        if isinstance(value, Scalar) and line > key.line:
            # Below its key and indented: the first key of an object still being written (empty,
            # or a bare word that YAML reads as text until its colon is typed).
            return (*path, key.text), "" if value.value is None else value.text
        return _descend(value, cursor, (*path, key.text))
    if isinstance(node, Sequence):
        started = [
            (i, item) for i, item in enumerate(node.items) if (item.line, item.column) <= cursor
        ]
        if not started:
            return path, None
        index, item = started[-1]
        return _descend(item, cursor, (*path, index))
    return path, None
