"""`python -m learn.podspec`: check pod specs like a compiler, draw them, and run them.

Installed with the project as the `podspec` command too (pyproject.toml's [project.scripts]).

`check` exits 0 when no input has an error (warnings allowed), 1 when one has; `diagram` exits 0
when every drawing was written, 1 when an input cannot be drawn (it draws the others, for a build
pipeline that draws a folder of specs at once); `run` simulates the Pod's lifecycle
through a scenario (see scenario.py) and exits 0 when it ran, 1 when the spec or the scenario
cannot run; all three exit 2 when the command itself is misused (no such file, bad option).
`explain` prints a field's documentation and exits 0, or 1 when the path names no field.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from learn.podspec import fields, kubectl, schema, share, source
from learn.podspec.check import PROFILES, check, normalize_version
from learn.podspec.diagnostics import Diagnostic, Report
from learn.podspec.diagram import NothingToDraw, diagram, to_png
from learn.podspec.kubelet import NotRunnable, simulate
from learn.podspec.runview import draw_run
from learn.podspec.scenario import ScenarioError
from learn.podspec.svg import AUTO, THEME_NAMES, plain
from learn.podspec.timeline import Timeline
from learn.podspec.wording import count

USAGE_ERROR = 2


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def _report_for(name: str, data: bytes, args: argparse.Namespace) -> Report:
    decoded = source.decode(data)
    if decoded[1] is not None:
        report = Report("", args.kubernetes_version, args.profile)
        report.add(decoded[1])
        return report
    return check(decoded[0], kubernetes_version=args.kubernetes_version, profile=args.profile)


def format_text(name: str, report: Report) -> str:
    """Compiler-style lines: `file:line:col: severity[code]: message`, the source, a caret, a hint."""
    lines = report.text.splitlines()
    out = []
    for d in report.sorted():
        out.append(f"{name}:{d.line}:{d.column}: {d.severity}[{d.code}]: {d.message}")
        if 0 < d.line <= len(lines):
            line = lines[d.line - 1]
            gutter = str(d.line).rjust(5)
            out.append(f"{gutter} | {line}")
            out.append(f"{' ' * 5} | {' ' * max(d.column - 1, 0)}{_underline(d, line)}")
        if d.hint:
            out.append(f"{' ' * 5} = hint: {d.hint}")
        if d.path:
            out.append(f"{' ' * 5} = at: {d.path}")
    errors, warnings = len(report.errors), len(report.warnings)
    out.append(
        f"{name}: {count(errors, 'error')}, {count(warnings, 'warning')}"
        f" (Kubernetes {report.kubernetes_version}, {report.profile} profile)"
    )
    return "\n".join(out)


def _underline(d: Diagnostic, line: str) -> str:
    """Carets under the diagnostic's range on its first line (one for an empty range)."""
    end = d.end_column if d.end_line == d.line else len(line.rstrip()) + 1
    return "^" * max(end - d.column, 1)


def _diagnostic_json(name: str, d: Diagnostic) -> dict[str, object]:
    data = d.to_dict()
    return {
        "file": name,
        **{
            k: data[k]
            for k in (
                "code",
                "severity",
                "message",
                "line",
                "column",
                "end_line",
                "end_column",
                "path",
                "hint",
                "lesson",
                "document",
            )
        },
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        # Installed as `podspec`, it says so in its usage lines; run with -m, it says that.
        prog="podspec" if Path(sys.argv[0]).name == "podspec" else "python -m learn.podspec",
        description="Check Kubernetes pod specs the way the API server and linters would.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="report every problem with its line")
    check_cmd.add_argument(
        "files", nargs="+", metavar="FILE", help="YAML files, or - for standard input"
    )
    check_cmd.add_argument("--format", choices=("text", "json"), default="text")
    check_cmd.add_argument("--profile", choices=PROFILES, default="learning")
    check_cmd.add_argument(
        "--kubernetes-version",
        default=schema.DEFAULT_VERSION,
        metavar="X.Y",
        help=f"one of {', '.join(schema.VERSIONS)} (default {schema.DEFAULT_VERSION})",
    )
    draw = commands.add_parser("diagram", help="draw the pods as SVG or PNG")
    draw.add_argument(
        "files", nargs="+", metavar="FILE", help="YAML files, or - for standard input"
    )
    draw.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="OUT.svg or OUT.png for one FILE; a folder (one that exists, or ending in /) is "
        "--out-dir (default: SVG on standard output)",
    )
    draw.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write DIR/NAME.svg for each FILE NAME.yaml (or .png, see --format); DIR is made "
        "when missing",
    )
    draw.add_argument(
        "--format", choices=DIAGRAM_FORMATS, help="with an output folder: svg (default) or png"
    )
    draw.add_argument(
        "--theme",
        choices=THEME_NAMES,
        default=AUTO,
        help="auto (default): an SVG light or dark as its reader prefers, a PNG light",
    )
    draw.add_argument(
        "--plain",
        action="store_true",
        help="an SVG with its colours on each shape and no stylesheet, for programs that ignore "
        "SVG's CSS (slide programs such as LibreOffice Impress); light unless --theme dark",
    )
    draw.add_argument("--kubernetes-version", default=schema.DEFAULT_VERSION, metavar="X.Y")
    explain = commands.add_parser(
        "explain", help="document a field of an object: its type, description and fields"
    )
    explain.add_argument("kind", metavar="KIND", help="Pod, Deployment, ... or pod.spec.containers")
    explain.add_argument(
        "path", nargs="?", default="", metavar="PATH", help="a field, e.g. spec.containers.image"
    )
    explain.add_argument("--api-version", metavar="GROUP/VERSION", help="e.g. batch/v1")
    explain.add_argument("--recursive", action="store_true", help="every field below, as a tree")
    explain.add_argument(
        "--kubernetes-version", "--version", default=schema.DEFAULT_VERSION, metavar="X.Y"
    )
    run = commands.add_parser(
        "run", help="simulate the Pod's lifecycle: kubectl get -w, its events, or a timeline"
    )
    run.add_argument("file", metavar="FILE", help="a YAML file, or - for standard input")
    run.add_argument(
        "--scenario",
        metavar="FILE",
        help="YAML saying what the containers do and when the Pod is deleted, or - for standard "
        "input (default: as the spec implies)",
    )
    run.add_argument(
        "--format",
        choices=RUN_FORMATS,
        help="default: from OUT's extension (.txt, .json, .svg, .png), else text",
    )
    run.add_argument(
        "-o", "--output", metavar="OUT", help="write to OUT (default: standard output)"
    )
    run.add_argument("--theme", choices=THEME_NAMES, default="light")
    run.add_argument("--kubernetes-version", default=schema.DEFAULT_VERSION, metavar="X.Y")
    link = commands.add_parser("encode", help="print the URL code of a spec, for /diagram/ links")
    link.add_argument("file", metavar="FILE", help="a YAML file, or - for standard input")
    return parser


def _encode(args: argparse.Namespace) -> int:
    try:
        data = _read(args.file)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    print(share.encode(data.decode("utf-8", "replace")))
    return 0


def _explain(args: argparse.Namespace) -> int:
    kind, path = args.kind, args.path
    if not path and "." in kind:  # `explain pod.spec.containers`, as kubectl reads it
        kind, path = kind.split(".", 1)
    try:
        explanation = fields.explain(
            path,
            kind,
            api_version=args.api_version,
            kubernetes_version=args.kubernetes_version,
            recursive=args.recursive,
        )
    except fields.UnknownPath as exc:
        print(f"explain: {exc}", file=sys.stderr)
        return 1
    print(fields.format_explanation(explanation))
    return 0


def _load(
    name: str, args: argparse.Namespace, parser: argparse.ArgumentParser, verb: str
) -> Report | int:
    """Read, decode and check the spec in the file `name` (- for standard input): its report, or
    the exit status after saying on standard error why it cannot `verb`."""
    try:
        data = _read(name)
    except OSError as exc:
        print(f"{parser.prog}: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    decoded = source.decode(data)
    if decoded[1] is not None:
        problem = decoded[1]
        print(
            f"{name}:{problem.line}:{problem.column}: cannot {verb}: {problem.message}",
            file=sys.stderr,
        )
        return 1
    return check(decoded[0], kubernetes_version=args.kubernetes_version)


DIAGRAM_FORMATS = ("svg", "png")


def _diagram(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Draw each FILE where _outputs() says; the worst status of them all."""
    outputs = _outputs(args, parser)
    folders = {Path(out).parent for _, out in outputs if out}
    try:
        for path in folders:
            path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"{parser.prog}: cannot make the folder: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    return max(_draw(name, out, args, parser) for name, out in outputs)


def _outputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """Each FILE with the path its drawing goes to ("": standard output); misuse exits 2 before
    anything is drawn, so that a pipeline's mistake never leaves half of a folder written."""
    output = args.output or ""
    if args.out_dir and output:
        parser.error("give -o OUT or --out-dir DIR, not both")
    is_folder = output.endswith(("/", os.sep)) or (output != "" and Path(output).is_dir())
    folder = args.out_dir or (output if is_folder else "")
    if not folder:
        if len(args.files) > 1:
            parser.error("several files need an output folder: --out-dir DIR (or -o DIR/)")
        if args.format:
            parser.error("--format is for an output folder: -o OUT takes it from OUT's extension")
        if output and Path(output).suffix.lower() not in (".svg", ".png"):
            parser.error("the output file must end in .svg or .png (or name a folder)")
        return [(args.files[0], output)]
    if "-" in args.files:
        parser.error("standard input (-) has no name to write under an output folder")
    suffix = f".{args.format or 'svg'}"
    written: dict[str, str] = {}
    for name in args.files:
        out = str(Path(folder) / (Path(name).stem + suffix))
        if out in written:
            parser.error(f"{written[out]} and {name} would both be written to {out}")
        written[out] = name
    return [(name, out) for out, name in written.items()]


def _draw(name: str, out: str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Draw one file to `out` (standard output when ""): 0, or 1 when it cannot be drawn, 2 when
    it cannot be read or written; each problem is one line on standard error, naming the file."""
    report = _load(name, args, parser, "draw")
    if isinstance(report, int):
        return report
    try:
        svg = diagram(report, theme=args.theme)
    except NothingToDraw as exc:
        print(f"{name}: cannot draw: {exc}", file=sys.stderr)
        return 1
    if args.plain:
        svg = plain(svg)
    try:
        if not out:
            sys.stdout.write(svg)
        elif out.lower().endswith(".png"):
            Path(out).write_bytes(to_png(svg))
        else:
            Path(out).write_text(svg, encoding="utf-8")
    except OSError as exc:
        print(f"{parser.prog}: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    if report.errors:
        print(
            f"{name}: drawn with {count(len(report.errors), 'error')} marked on the picture",
            file=sys.stderr,
        )
    return 0


RUN_FORMATS = ("text", "json", "svg", "png")


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    suffix = Path(args.output).suffix.lower().removeprefix(".") if args.output else ""
    if args.format is None and suffix and suffix not in (*RUN_FORMATS, "txt"):
        parser.error(
            f"cannot tell the format from .{suffix}: end OUT in .txt, .json, .svg or .png, "
            "or give --format"
        )
    fmt = args.format or (suffix if suffix in RUN_FORMATS[1:] else "text")
    if fmt == "png" and not args.output:
        parser.error("--format png needs -o OUT.png: a PNG is not for a terminal")
    if args.file == "-" and args.scenario == "-":
        parser.error("FILE and --scenario cannot both be - (standard input)")
    try:
        written = _read(args.scenario).decode("utf-8", "replace") if args.scenario else ""
    except OSError as exc:
        print(f"{parser.prog}: cannot read {args.scenario}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    report = _load(args.file, args, parser, "run")
    if isinstance(report, int):
        return report
    try:
        timeline = simulate(report, written)
    except ScenarioError as exc:
        name = "<stdin>" if args.scenario == "-" else args.scenario or "scenario"
        for d in exc.problems:
            print(
                f"{name}:{d.line}:{d.column}: {d.severity}[{d.code}]: {d.message}", file=sys.stderr
            )
        return 1
    except NotRunnable as exc:
        print(f"{args.file}: cannot run: {exc}", file=sys.stderr)
        return 1
    if fmt == "png":
        Path(args.output).write_bytes(to_png(draw_run(timeline, theme=args.theme)))
        return 0
    if fmt == "svg":
        out = draw_run(timeline, theme=args.theme)
    elif fmt == "json":
        out = json.dumps(timeline.to_dict(), indent=2) + "\n"
    else:
        out = format_run(timeline)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return 0


def format_run(timeline: Timeline) -> str:
    """A run as text: its outcome, what it assumed, `kubectl get pod -w` and the Pod's Events."""
    parts = [timeline.outcome]
    if timeline.assumptions:
        parts.append("Assumed:\n" + "\n".join(f"- {sentence}" for sentence in timeline.assumptions))
    parts.append(
        f"$ kubectl get pod {timeline.pod} -w\n{kubectl.watch_table(timeline.rows, timeline.pod)}"
    )
    # events_table starts with its own "Events:" line, as describe prints it.
    when = "when the run ends" if timeline.removed_at is None else "just before it is removed"
    parts.append(
        f"$ kubectl describe pod {timeline.pod}   # its Events at "
        f"{kubectl.age(timeline.described_at)}, {when}\n"
        f"{kubectl.events_table(timeline.events, timeline.described_at)}"
    )
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        args.kubernetes_version = normalize_version(getattr(args, "kubernetes_version", None))
    except ValueError as exc:
        parser.error(str(exc))
    if args.command == "diagram":
        return _diagram(args, parser)
    if args.command == "run":
        return _run(args, parser)
    if args.command == "encode":
        return _encode(args)
    if args.command == "explain":
        return _explain(args)
    inputs = []
    for name in args.files:
        try:
            inputs.append((name, _read(name)))
        except OSError as exc:
            print(f"{parser.prog}: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
            return USAGE_ERROR
    reports = [(name, _report_for(name, data, args)) for name, data in inputs]
    if args.format == "json":
        payload = {
            "ok": all(r.ok for _, r in reports),
            "diagnostics": [_diagnostic_json(n, d) for n, r in reports for d in r.sorted()],
            "objects": [{"file": n, **w.to_dict()} for n, r in reports for w in r.workloads],
        }
        print(json.dumps(payload, indent=2))
    else:
        print("\n\n".join(format_text(name, report) for name, report in reports))
    return 0 if all(r.ok for _, r in reports) else 1
