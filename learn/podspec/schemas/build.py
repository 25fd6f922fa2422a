"""Build the compact schema bundles in this folder from kubernetes-validate's bundled schemas.

Run `python -m learn.podspec.schemas.build` after changing SHIPPED_VERSIONS or the pinned
kubernetes-validate version (a dev dependency). Each bundle keeps what validation needs (types,
properties, required fields, items, enums, formats, references) and the descriptions that field
documentation shows, and drops the rest (patch strategies, list types, group-version-kinds), so the
four versions weigh about a megabyte instead of a 108 MB package.

The descriptions sit beside the fields they describe rather than in a section loaded on demand:
they cost the first check in a fresh process about 6 ms (3 -> 9 ms to read one bundle, against a
first check of roughly 100 ms) and 1 MB of memory per loaded version, which did not pay for a
second code path.
"""

import gzip
import json
from importlib.resources import files
from pathlib import Path

SHIPPED_VERSIONS = ("1.34", "1.35", "1.36", "1.37")
KEEP = {
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "enum",
    "format",
    "description",
}
HERE = Path(__file__).parent


def _compact(schema: object) -> object:
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "$ref":
            out["ref"] = value.rsplit("/", 1)[-1]
        elif key == "oneOf":
            out["oneOf"] = [_compact(v) for v in value]
        elif key == "properties":
            out["properties"] = {name: _compact(v) for name, v in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = _compact(value)
        elif key in KEEP:
            out[key] = value
    return out


def build(version: str) -> dict:
    """The compact bundle for one Kubernetes minor version."""
    source = files("kubernetes_validate") / "kubernetes-json-schema" / f"v{version}.0-local-strict"
    definitions = json.loads((source / "_definitions.json").read_text())["$defs"]
    kinds = {}
    for name, schema in definitions.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            group_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            # Only top-level objects that carry their own apiVersion and kind can be submitted.
            if {"apiVersion", "kind"} <= set(schema.get("properties", {})):
                kinds[f"{group_version}/{gvk['kind']}"] = name
    return {
        "version": version,
        "kinds": dict(sorted(kinds.items())),
        "definitions": {name: _compact(schema) for name, schema in sorted(definitions.items())},
    }


def main() -> None:
    for version in SHIPPED_VERSIONS:
        data = json.dumps(build(version), separators=(",", ":"), sort_keys=True).encode()
        path = HERE / f"v{version}.json.gz"
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        print(f"{path.name}: {len(data)} bytes of JSON, {path.stat().st_size} compressed")


if __name__ == "__main__":
    main()
