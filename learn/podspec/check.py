"""The engine's entry point: text in, one Report out, whatever the input."""

import difflib
import re
from dataclasses import replace

from learn.podspec import lint, rules, schema, source
from learn.podspec.diagnostics import Diagnostic, Report, Severity
from learn.podspec.lessons import lesson_for
from learn.podspec.model import WORKLOAD_KINDS, build_workload, text
from learn.podspec.source import Mapping, Scalar

PROFILES = ("learning", "production")


def normalize_version(version: str | None) -> str:
    """`v1.35.2`, `1.35` -> `1.35`; None -> the newest shipped version. ValueError if unknown."""
    if version is None:
        return schema.DEFAULT_VERSION
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", str(version).strip())
    minor = f"{match[1]}.{match[2]}" if match else str(version)
    if minor not in schema.VERSIONS:
        raise ValueError(
            f"Kubernetes version {version} is not supported; choose one of {', '.join(schema.VERSIONS)}"
        )
    return minor


def check(
    text_input: str,
    *,
    kubernetes_version: str | None = None,
    profile: str = "learning",
    max_bytes: int = source.MAX_BYTES,
) -> Report:
    """Check Kubernetes YAML: every problem with its line, and a model of each workload."""
    version = normalize_version(kubernetes_version)
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    report = Report(text_input, version, profile)
    documents, problems = source.parse(text_input, max_bytes=max_bytes)
    for problem in problems:
        report.add(problem)
    schemas = schema.load(version)
    objects = [d for d in documents if not (isinstance(d.root, Scalar) and d.root.value is None)]
    if not objects and not problems:
        report.add(
            Diagnostic(
                "empty-input",
                Severity.ERROR,
                "there is nothing to check: the input has only empty documents",
                1,
                1,
                hint="Write a Kubernetes object, starting with `apiVersion:` and `kind:`.",
            )
        )
    for document in objects:
        _check_document(report, schemas, document, profile)
    report.diagnostics = [_with_lesson(d) for d in report.diagnostics]
    if report.dropped:
        report.diagnostics.append(Diagnostic(
            "too-many-problems", Severity.INFO,
            f"{report.dropped} more problems are not shown; fix these first", 1, 1,
        ))  # fmt: skip
    return report


def _with_lesson(diagnostic: Diagnostic) -> Diagnostic:
    lesson = diagnostic.lesson or lesson_for(diagnostic.code)
    if lesson == diagnostic.lesson:
        return diagnostic
    return replace(diagnostic, lesson=lesson)


def _check_document(
    report: Report, schemas: schema.Schemas, document: source.Document, profile: str
):
    root = document.root
    index = document.index
    if not isinstance(root, Mapping):
        report.add(
            Diagnostic(
                "not-an-object",
                Severity.ERROR,
                f"a Kubernetes object is a mapping of fields, but this document is {schema.describe(root)}",
                root.line,
                root.column,
                hint="Start with `apiVersion:`, `kind:` and `metadata:` lines.",
                document=index,
            )
        )
        return
    identity = _identify(report, schemas, root, index)
    if identity is None:
        return
    api_version, kind, definition = identity
    for diagnostic in schema.validate(root, schemas, definition, index):
        report.add(diagnostic)
    if kind not in WORKLOAD_KINDS:
        return
    workload = build_workload(root, kind, api_version, index)
    report.objects.append(workload)
    version = tuple(int(part) for part in schemas.version.split("."))
    ctx = rules.Context(workload, root, version, index)
    for diagnostic in rules.run(ctx):
        report.add(diagnostic)
    if profile == "production":
        for diagnostic in lint.run(ctx):
            report.add(diagnostic)


def _identify(report: Report, schemas: schema.Schemas, root: Mapping, index: int):
    """apiVersion, kind and schema definition of an object, or None after reporting why not."""
    found = {}
    for key in ("apiVersion", "kind"):
        value = text(root.get(key))
        if value is None:
            report.add(
                Diagnostic(
                    "missing-field",
                    Severity.ERROR,
                    f"the object needs `{key}`",
                    root.line,
                    root.column,
                    key,
                    "Every object starts with `apiVersion:` and `kind:`, e.g. `apiVersion: v1` and `kind: Pod`.",
                    document=index,
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


def _unknown_kind(schemas, root: Mapping, api_version: str, kind: str, index: int) -> Diagnostic:
    where = schemas.api_versions_of(kind)
    kind_node = root.get("kind")
    if where:
        node = root.get("apiVersion")
        options = " or ".join(f"`{v}`" for v in where)
        message = f"there is no {kind} in `{api_version}`: {kind} is served by {options}"
        hint = f"Write `apiVersion: {where[-1]}`."
    else:
        node = kind_node
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
    return Diagnostic(
        "unknown-kind",
        Severity.ERROR,
        message,
        node.line,
        node.column,
        "apiVersion" if where else "kind",
        hint,
        document=index,
    )
