"""The engine's stages in one place, and the profiles that choose among them.

Every document goes through the same front stages, in order:

    source.parse ─▶ identify (apiVersion, kind) ─▶ schema.validate ─▶ model.build_workload

and each workload the model builds then goes through its profile's workload stages, in order:

    learning:    rules
    production:  rules ─▶ lint

A workload stage is a function of one Context (the model, the object's nodes, the version) that
yields diagnostics; another check of the spec is one more entry in WORKLOAD_STAGES, named in the
profiles that run it. What is not a finding about the spec, such as the lifecycle simulator's
timeline (a model and a scenario in, a timeline out), runs on `report.workloads` after `check()`.
"""

import bisect
import difflib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from learn.podspec import lint, rules, schema, source
from learn.podspec.context import Context
from learn.podspec.diagnostics import Diagnostic, Report, Severity
from learn.podspec.model import WORKLOAD_KINDS, build_workload, text
from learn.podspec.source import Mapping, Node, Sequence, is_unset

WorkloadStage = Callable[[Context], Iterable[Diagnostic]]

WORKLOAD_STAGES: dict[str, WorkloadStage] = {
    "rules": rules.run,  # what the API server rejects or warns about beyond the schema
    "lint": lint.run,  # best practice, named after kube-linter's checks
}


@dataclass(frozen=True)
class Profile:
    """A named choice of workload stages, run in the order given."""

    name: str
    stages: tuple[str, ...]

    def run(self, ctx: Context) -> Iterable[Diagnostic]:
        """Every finding of this profile's stages on one workload."""
        for stage in self.stages:
            yield from WORKLOAD_STAGES[stage](ctx)


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        Profile("learning", ("rules",)),
        Profile("production", ("rules", "lint")),
    )
}


def run(report: Report, schemas: schema.Schemas, profile: Profile, max_bytes: int) -> None:
    """Run the report's text through every stage, adding what each finds to the report."""
    documents, problems = source.parse(report.text, max_bytes=max_bytes)
    objects, starts, empty_list = _objects(report, schemas, documents)
    for problem in problems:
        report.add(replace(problem, document=_number(starts, problem)))
    if not objects and not problems and not report.diagnostics:
        report.add(_nothing_to_check(empty_list))
    major, minor = schemas.version.split(".")
    version = (int(major), int(minor))
    for document, inherited in objects:
        ctx = _front(report, schemas, document, version, inherited)
        if ctx is not None:
            for diagnostic in profile.run(ctx):
                report.add(diagnostic)


def _nothing_to_check(empty_list: Mapping | None) -> Diagnostic:
    """The error for an input without objects: only empty documents, or a list without items."""
    if empty_list is None:
        return Diagnostic(
            "empty-input",
            Severity.ERROR,
            "there is nothing to check: the input has only empty documents",
            1,
            1,
            hint="Write a Kubernetes object, starting with `apiVersion:` and `kind:`.",
        )
    kind = text(empty_list.get("kind"))
    return Diagnostic.at(
        empty_list.get("items") or empty_list.head,
        "empty-input",
        Severity.ERROR,
        f"there is nothing to check: the {kind} has no items",
        "items",
        "Write each object as an item of `items:`, starting with `- apiVersion:` and `kind:`.",
    )


Identity = tuple[str, str]  # apiVersion and kind
Starts = dict[int, list[tuple[int, int]]]  # YAML document -> (first line, number) of its objects


def _objects(
    report: Report, schemas: schema.Schemas, documents: list[source.Document]
) -> tuple[list[tuple[source.Document, Identity | None]], Starts, Mapping | None]:
    """Every object to check, numbered in reading order, where each document's objects start,
    and the first list without items (to say why there is nothing to check).

    The items of a list are objects of their own, checked and drawn as the documents of a
    multi-document file are: kubectl flattens a `kind: List` (and a typed list such as a
    PodList) before it sends anything, and kubeconform checks each item of a List. Every YAML
    document takes at least one number, so a parse problem in an empty one stays its own.
    """
    objects: list[tuple[source.Document, Identity | None]] = []
    starts: Starts = {}
    number = 0
    empty_list = None
    for document in documents:
        found = None if is_unset(document.root) else _list_items(report, schemas, document)
        nodes, inherited = found or ([document.root], None)
        if found and not nodes and empty_list is None and isinstance(document.root, Mapping):
            empty_list = document.root
        starts[document.index] = [(document.line, number)]
        for i, node in enumerate(nodes):
            if i:
                starts[document.index].append((node.line, number))
            if not is_unset(node):
                objects.append((source.Document(number, node.line, node), inherited))
            number += 1
        number += not nodes
    return objects, starts, empty_list


def _number(starts: Starts, problem: Diagnostic) -> int:
    """The number of the object a parse problem is in: the last to start at or before it."""
    places = starts.get(problem.document)
    if not places:
        return problem.document
    found = bisect.bisect_right(places, (problem.line, sys.maxsize)) - 1
    return places[max(found, 0)][1]


def _list_items(
    report: Report, schemas: schema.Schemas, document: source.Document
) -> tuple[list[Node], Identity | None] | None:
    """A list's items and the identity its items inherit, or None when it is not a list."""
    root = document.root
    kind = text(root.get("kind")) if isinstance(root, Mapping) else None
    if not isinstance(root, Mapping) or kind is None or not kind.endswith("List"):
        return None
    api_version = text(root.get("apiVersion")) or ""
    item_kind = kind.removesuffix("List")
    # A typed list's items may leave out both apiVersion and kind: kubectl's unstructured
    # decoding (decodeToList) gives them the list's apiVersion and the kind without `List`.
    if kind == "List":
        inherited = None
    elif schemas.definition_for(api_version, item_kind) is not None:
        inherited = (api_version, item_kind)
    else:
        return None
    items = root.get("items")
    if isinstance(items, Sequence):
        return items.items, inherited
    if items is not None and not is_unset(items):
        report.add(
            Diagnostic.at(
                items,
                "wrong-type",
                Severity.ERROR,
                f"the `items` of a {kind} are a list of objects, but this is {schema.describe(items)}",
                "items",
                "Write each object as an item: `items:` then `- apiVersion: v1` ...",
                document.index,
            )
        )
    return [], inherited


def _front(
    report: Report,
    schemas: schema.Schemas,
    document: source.Document,
    version: tuple[int, int],
    inherited: Identity | None = None,
) -> Context | None:
    """Identify, validate and model one document: its workload's Context, or None to stop there."""
    root = document.root
    index = document.index
    if not isinstance(root, Mapping):
        report.add(
            Diagnostic.at(
                root,
                "not-an-object",
                Severity.ERROR,
                f"a Kubernetes object is a mapping of fields, but this document is {schema.describe(root)}",
                hint="Start with `apiVersion:`, `kind:` and `metadata:` lines.",
                document=index,
            )
        )
        return None
    identity = _identify(report, schemas, root, index, inherited)
    if identity is None:
        return None
    api_version, kind, definition = identity
    for diagnostic in schema.validate(root, schemas, definition, index):
        report.add(diagnostic)
    if kind not in WORKLOAD_KINDS:
        return None
    workload = build_workload(root, kind, api_version, index)
    report.workloads.append(workload)
    return Context(workload, root, version, index)


def _identify(
    report: Report,
    schemas: schema.Schemas,
    root: Mapping,
    index: int,
    inherited: Identity | None = None,
) -> tuple[str, str, str] | None:
    """apiVersion, kind and schema definition of an object, or None after reporting why not."""
    found = {}
    # Like kubectl's decoding of a typed list, an item takes the list's identity only when it
    # gives neither its apiVersion nor its kind.
    written = any(text(root.get(key)) for key in ("apiVersion", "kind"))
    defaults = dict(
        zip(
            ("apiVersion", "kind"),
            inherited if inherited and not written else (None, None),
            strict=True,
        )
    )
    for key in ("apiVersion", "kind"):
        value = text(root.get(key)) or defaults[key]
        if value is None:
            report.add(
                Diagnostic.at(
                    root.head,
                    "missing-field",
                    Severity.ERROR,
                    f"the object needs `{key}`",
                    key,
                    "Every object starts with `apiVersion:` and `kind:`, e.g. `apiVersion: v1` and `kind: Pod`.",
                    index,
                )
            )
        found[key] = value
    api_version, kind = found["apiVersion"], found["kind"]
    if api_version is None or kind is None:
        return None
    definition = schemas.definition_for(api_version, kind)
    if definition is not None:
        return api_version, kind, definition
    report.add(_unknown_kind(schemas, root, api_version, kind, index))
    return None


def _unknown_kind(
    schemas: schema.Schemas, root: Mapping, api_version: str, kind: str, index: int
) -> Diagnostic:
    where = schemas.api_versions_of(kind)
    if where:
        node = root.get("apiVersion")
        options = " or ".join(f"`{v}`" for v in where)
        message = f"there is no {kind} in `{api_version}`: {kind} is served by {options}"
        hint = f"Write `apiVersion: {where[-1]}`."
    else:
        node = root.get("kind")
        close = difflib.get_close_matches(kind, sorted(schemas.kind_names()), n=1, cutoff=0.6)
        lowered = {k.lower(): k for k in schemas.kind_names()}
        guess = lowered.get(kind.lower()) or (close[0] if close else None)
        message = f"Kubernetes {schemas.version} has no kind `{kind}`" + (
            f"; did you mean `{guess}`?" if guess else ""
        )
        hint = (
            f"Write `kind: {guess}`."
            if guess
            else "Check the spelling: kinds are CamelCase, like `Pod` or `Deployment`."
        )
    return Diagnostic.at(
        node or root.head,
        "unknown-kind",
        Severity.ERROR,
        message,
        "apiVersion" if where else "kind",
        hint,
        index,
    )
