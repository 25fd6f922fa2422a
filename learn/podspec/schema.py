"""Check objects against the Kubernetes OpenAPI schema of a chosen version: every error, at its line.

The schemas are compact bundles built from kubernetes-validate's strict schemas (see build.py).
Instead of a general JSON Schema engine, one small walker checks the node tree directly, so each
error carries its line, column and path and is worded for people.
"""

import difflib
import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from learn.podspec.diagnostics import Diagnostic, Severity
from learn.podspec.source import Mapping, Node, Scalar, Sequence, is_unset

SCHEMA_DIR = Path(__file__).parent / "schemas"
VERSIONS = tuple(
    sorted(
        (p.name[1:-8] for p in SCHEMA_DIR.glob("v*.json.gz")),
        key=lambda v: tuple(map(int, v.split("."))),
    )
)
DEFAULT_VERSION = VERSIONS[-1]
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True)
class Schemas:
    """The kinds and definitions of one Kubernetes version."""

    version: str
    kinds: dict[str, str]  # "apps/v1/Deployment" -> definition name
    definitions: dict[str, dict]

    def definition_for(self, api_version: str, kind: str) -> str | None:
        """The definition of a top-level object, or None when the version has no such kind."""
        return self.kinds.get(f"{api_version}/{kind}")

    def api_versions_of(self, kind: str) -> list[str]:
        """Every apiVersion that serves this kind (for "did you mean apps/v1?")."""
        return [key.rsplit("/", 1)[0] for key in self.kinds if key.rsplit("/", 1)[1] == kind]

    def kind_names(self) -> set[str]:
        return {key.rsplit("/", 1)[1] for key in self.kinds}


@cache
def load(version: str) -> Schemas:
    """The schemas of one version, read once per process."""
    if version not in VERSIONS:
        raise ValueError(
            f"unsupported Kubernetes version {version}; use one of {', '.join(VERSIONS)}"
        )
    data = json.loads(gzip.decompress((SCHEMA_DIR / f"v{version}.json.gz").read_bytes()))
    return Schemas(data["version"], data["kinds"], data["definitions"])


@cache  # one per definition name; the walker asks again at every object of that definition
def words(definition: str) -> str:
    """`io.k8s.api.core.v1.ContainerPort` -> `container port`, for messages."""
    name = definition.rsplit(".", 1)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def describe(node: Node) -> str:
    """How a value reads in a message: `the text "http"`, `the number 80`, `a list`."""
    kind = json_type(node)
    if kind in ("object", "array", "null") or not isinstance(node, Scalar):
        return {"object": "a mapping", "array": "a list", "null": "empty"}[kind]
    if kind == "boolean":
        return f"the boolean `{node.text}`"
    if kind in ("integer", "number"):
        return f"the number {node.text}"
    return f'the text "{_short(node.text)}"'


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


EXPECTED = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
}


def json_type(node: Node) -> str:
    """The JSON type a node decodes to."""
    if not isinstance(node, Scalar):
        return "object" if isinstance(node, Mapping) else "array"
    value = node.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        if math.isinf(value) and re.fullmatch(r"[-+]?[0-9_]+", node.text):
            return "integer"  # a whole number too long to hold (see source.MAX_INT_DIGITS)
        return "integer" if math.isfinite(value) and value.is_integer() else "number"
    return "string"


def _hint_for_type(node: Node, wanted: frozenset[str], field: str) -> str:
    if isinstance(node, Scalar) and isinstance(node.value, bool) and "string" in wanted:
        return (
            f'YAML reads `{node.text}` as true/false. Quote it to keep it as text: "{node.text}".'
        )
    if isinstance(node, Scalar) and isinstance(node.value, int | float) and "string" in wanted:
        return f'Quote it to make it text: "{node.text}".'
    if isinstance(node, Scalar) and isinstance(node.value, str) and wanted & {"integer", "number"}:
        if re.fullmatch(r"-?\d+(\.\d+)?", node.value):
            return "Remove the quotes so YAML reads it as a number."
        if field.endswith("Port"):
            return f"Put the port number here; a name such as `{node.value}` goes in `name:`."
        return "Write a number here."
    if isinstance(node, Mapping) and "array" in wanted:
        return "Start each item of a list with `- ` on its own line."
    if isinstance(node, Sequence) and "object" in wanted:
        return "Remove the `- ` in front: this field holds one mapping, not a list of them."
    if isinstance(node, Scalar) and "object" in wanted:
        return "Write the fields of this object indented on the lines below it."
    if isinstance(node, Scalar) and "array" in wanted:
        return "Write the items on the lines below, each starting with `- `."
    return ""


class Walker:
    """Checks one object's node tree against its definition, adding diagnostics."""

    def __init__(self, schemas: Schemas, document: int):
        self.schemas = schemas
        self.document = document
        self.diagnostics: list[Diagnostic] = []

    def add(self, code: str, node: Node, path: str, message: str, hint: str = "") -> None:
        """Record an error over the range of `node` (a key for unknown fields, a value for types)."""
        self.diagnostics.append(
            Diagnostic.at(node, code, Severity.ERROR, message, path, hint, self.document)
        )

    def check(self, node: Node, schema: dict, path: str, owner: str) -> None:
        """Check `node` at `path`; `owner` names what holds it, for messages."""
        if "ref" in schema:
            owner = words(schema["ref"])
            schema = self.schemas.definitions[schema["ref"]]
        wanted = _wanted(schema)
        if isinstance(node, Scalar) and type(node.value) is str and "string" in wanted:
            # Most values are text where text is wanted: only an enum can refuse them.
            if "enum" in schema:
                self.check_scalar(node, schema, path)
            return
        found = json_type(node)
        if wanted and found not in wanted and not (found == "integer" and "number" in wanted):
            if found == "null":
                return  # null is "not set" for the API server; required fields are checked by the parent
            field = path.rsplit(".", 1)[-1]
            expected = " or ".join(
                EXPECTED[t] for t in sorted(wanted - {"null"}, key=list(EXPECTED).index)
            )
            self.add(
                "wrong-type",
                node,
                path,
                f"`{field}` must be {expected}, not {describe(node)}",
                _hint_for_type(node, wanted, field),
            )
            return
        if isinstance(node, Scalar):
            self.check_scalar(node, schema, path)
        elif isinstance(node, Mapping):
            self.check_mapping(node, schema, path, owner)
        elif isinstance(node, Sequence) and "items" in schema:
            for index, item in enumerate(node.items):
                self.check(item, schema["items"], f"{path}[{index}]", owner)

    def check_scalar(self, node: Scalar, schema: dict, path: str) -> None:
        field = path.rsplit(".", 1)[-1]
        bounds = INT_RANGES.get(schema.get("format", ""))
        if (
            bounds
            and isinstance(node.value, int | float)
            and not bounds[0] <= node.value <= bounds[1]
        ):
            self.add(
                "invalid-value",
                node,
                path,
                f"`{field}` is out of range: {_short(node.text)} does not fit in {schema['format']}",
                "Use a smaller number.",
            )
        if "enum" in schema and node.value not in schema["enum"]:
            allowed = ", ".join(f"`{v}`" for v in schema["enum"])
            self.add(
                "invalid-value",
                node,
                path,
                f"`{field}` must be one of {allowed}, not {describe(node)}",
            )

    def check_mapping(self, node: Mapping, schema: dict, path: str, owner: str) -> None:
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", bool(not properties))
        prefix = f"{path}." if path else ""
        for key, value in node.pairs:
            if key.text in properties:
                self.check(value, properties[key.text], f"{prefix}{key.text}", owner)
            elif isinstance(extra, dict):
                self.check(value, extra, f"{prefix}{key.text}", owner)
            elif extra is False:
                self.unknown_field(key, properties, f"{prefix}{key.text}", owner)
        for name in schema.get("required", []):
            given = node.get(name)
            if is_unset(given):
                place: Node = node.key_node(name) or node
                self.add(
                    "missing-field",
                    place,
                    f"{prefix}{name}",
                    f"{_article(owner)} {owner} needs `{name}`",
                    f"Add `{name}:` with a value.",
                )

    def unknown_field(self, key: Scalar, properties: dict, path: str, owner: str) -> None:
        close = difflib.get_close_matches(key.text, list(properties), n=1, cutoff=0.6)
        lowered = {name.lower(): name for name in properties}
        match = lowered.get(key.text.lower()) or (close[0] if close else None)
        message = f"`{key.text}` is not a field of {_article(owner)} {owner}"
        if match:
            message += f"; did you mean `{match}`?"
            hint = f"Rename it to `{match}` (field names are case-sensitive)."
        else:
            hint = "Check the spelling and the indentation: it may belong one level up or down."
        self.add("unknown-field", key, path, message, hint)


def _types(schema: dict) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


_WANTED: dict[int, frozenset[str]] = {}


def _wanted(schema: dict) -> frozenset[str]:
    """The JSON types a schema accepts (cached: schemas live as long as the process)."""
    key = id(schema)
    if key not in _WANTED:
        options = schema.get("oneOf", [schema])
        _WANTED[key] = frozenset(t for option in options for t in _types(option))
    return _WANTED[key]


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def validate(root: Mapping, schemas: Schemas, definition: str, document: int) -> list[Diagnostic]:
    """Every schema error in one object."""
    walker = Walker(schemas, document)
    walker.check(root, {"ref": definition}, "", words(definition))
    return walker.diagnostics
