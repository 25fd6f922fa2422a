"""Reading one content file: front matter checked field by field, Markdown rendered, links checked.

What every kind of content (modules, lessons, exercises, pages) shares. Every mistake an author can
make is collected as a ContentError with its file and line, never raised, so that one command
(`checkcontent`) can report them all at once.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from learn.content import markdown
from learn.podspec.markdown import MAX_FIGURES, MAX_RUNS, PodBlock, RunBlock

# A front matter field's test, and what the field must be (said when the test fails).
Check = tuple[Callable[[object], bool], str]
Resolve = Callable[[str, str], str]  # (kind, target) -> URL: see markdown.render

NUMBERED = re.compile(r"^(?P<number>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def is_text(value: object) -> bool:
    """A non-empty string."""
    return isinstance(value, str) and value.strip() != ""


def is_minutes(value: object) -> bool:
    """A whole number of minutes that a lesson or exercise may take."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 240


def is_texts(value: object) -> bool:
    """A non-empty list of non-empty strings."""
    return isinstance(value, list) and len(value) > 0 and all(is_text(v) for v in value)


TEXT: Check = (is_text, "a non-empty text")
TEXTS: Check = (is_texts, "a non-empty list of texts")
MINUTES: Check = (is_minutes, "a whole number of minutes from 1 to 240")


@dataclass(frozen=True)
class ContentError:
    """A mistake in a content file, at a line (1-based)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    @property
    def location(self) -> str:
        """`file:line`, the file relative to the working directory when it is inside it."""
        path = (
            self.path.relative_to(Path.cwd()) if self.path.is_relative_to(Path.cwd()) else self.path
        )
        return f"{path}:{self.line}"


def line_of(lines: list[str], name: object) -> int:
    """The line of a front matter field (1 when it cannot be found)."""
    return next((i for i, text in enumerate(lines, 1) if text.startswith(f"{name}:")), 1)


@dataclass
class Draft:
    """A content file read and split, before links across files can be checked."""

    path: Path
    meta: dict
    body: str
    body_line: int  # line number of the body's first line in the file
    _rendered: markdown.Rendered | None = field(default=None, init=False, repr=False)

    @property
    def rendered(self) -> markdown.Rendered:
        """The body as `render` left it; asking before then is a mistake in the loader."""
        if self._rendered is None:
            raise RuntimeError(f"{self.path} is read but not rendered yet")
        return self._rendered

    def render(self, resolve: Resolve) -> markdown.Rendered:
        """Render the body to HTML and keep it as `rendered`."""
        self._rendered = markdown.render(self.body, resolve=resolve)
        return self._rendered


class Reader:
    """Reads content files under a root, collecting every error found on the way."""

    def __init__(self, root: Path, static_dir: Path, resolve: Resolve) -> None:
        self.root = root
        self.static_dir = static_dir
        self.resolve = resolve
        self.errors: list[ContentError] = []

    def error(self, path: Path, line: int, message: str) -> None:
        """Record a mistake at a file's line."""
        self.errors.append(ContentError(path, line, message))

    def read(
        self, path: Path, fields: dict[str, Check], optional: dict[str, Check] | None = None
    ) -> Draft | None:
        """Read a file, split its front matter and check its fields (None when unreadable)."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            self.error(path, line, "the file is not valid UTF-8 text")
            return None
        lines = text.splitlines()
        if not lines or lines[0].strip() != "---":
            self.error(path, 1, "the file must start with '---' and YAML front matter")
            return None
        # The closing line is `---` at the start of a line (an indented one belongs to a YAML block).
        end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
        if end is None:
            self.error(path, 1, "the front matter is not closed by a line '---'")
            return None
        try:
            meta = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(path, line, f"front matter is not valid YAML: {problem}")
            return None
        if not isinstance(meta, dict):
            self.error(path, 2, "front matter must be a mapping of field: value")
            return None
        self.check_fields(path, lines[:end], meta, fields, optional or {})
        return Draft(path, meta, "\n".join(lines[end + 1 :]), end + 2)

    def check_fields(
        self,
        path: Path,
        lines: list[str],
        meta: dict,
        fields: dict[str, Check],
        optional: dict[str, Check],
    ) -> None:
        """Every field known, every required one present, every value as it must be."""
        known = fields | optional
        for name in meta:
            if name not in known:
                allowed = ", ".join(known)
                self.error(
                    path, line_of(lines, name), f"unknown field '{name}' (allowed: {allowed})"
                )
        for name, (check, expected) in known.items():
            if name not in meta:
                if name in fields:
                    self.error(path, 2, f"missing field '{name}': it must be {expected}")
            elif not check(meta[name]):
                self.error(path, line_of(lines, name), f"field '{name}' must be {expected}")

    def render(self, draft: Draft) -> None:
        """Render the body, reporting unknown code languages, pod blocks the engine rejects and
        pod-run blocks that cannot run."""
        for line, language in markdown.unknown_code_languages(draft.body):
            self.error(
                draft.path,
                draft.body_line + line - 1,
                f"unknown code language '{language}' (use a Pygments name such as yaml, "
                "shell, console, go, python, json or text)",
            )
        rendered = draft.render(self.resolve)
        blocks: list[PodBlock | RunBlock] = [*rendered.pod_blocks, *rendered.run_blocks]
        for block in blocks:
            for line, message in block.problems():
                self.error(draft.path, draft.body_line + line - 1, message)
        for line in rendered.undrawn_pod_blocks:
            self.error(
                draft.path,
                draft.body_line + line - 1,
                f"pod block not drawn: a text draws at most {MAX_FIGURES}",
            )
        for line in rendered.unrun_blocks:
            self.error(
                draft.path,
                draft.body_line + line - 1,
                f"pod-run block not run: a text runs at most {MAX_RUNS}",
            )

    def line_in_body(self, draft: Draft, needle: str) -> int:
        """The file line of the first body line that contains `needle` (the body's first when none)."""
        for number, line in enumerate(draft.body.splitlines()):
            if needle in line:
                return draft.body_line + number
        return draft.body_line

    def check_references(self, draft: Draft, targets: dict[str, dict[str, set[str]]]) -> None:
        """Every link goes to content that exists: targets maps scheme -> name -> anchors."""
        for reference in draft.rendered.references:
            line = self.line_in_body(draft, reference.target)
            if reference.kind == "static":
                self.check_static(draft.path, line, reference.target)
                continue
            if reference.kind == "site":
                self.error(
                    draft.path,
                    line,
                    "`site:` links are not for content: use lesson:, exercise: or page:",
                )
                continue
            kind = reference.kind
            key, _, anchor = reference.target.partition("#")
            if key not in targets[kind]:
                usage = " (use module/lesson)" if kind == "lesson" else ""
                self.error(draft.path, line, f"link to unknown {kind} '{key}'{usage}")
            elif anchor and anchor not in targets[kind][key]:
                self.error(draft.path, line, f"{kind} '{key}' has no section '#{anchor}'")

    def check_static(self, path: Path, line: int, target: str) -> None:
        """A `static:` target must be a file inside the static folder (the source, not the
        collected files: a fresh checkout has none, and pages resolve the target when shown)."""
        found = (self.static_dir / target).resolve()
        if not (found.is_file() and found.is_relative_to(self.static_dir.resolve())):
            self.error(path, line, f"no file static/{target}")

    def numbered(self, path: Path) -> re.Match | None:
        """The number and slug of an `NN-slug` folder or file (None, reported, when it is not)."""
        match = NUMBERED.match(path.stem if path.is_file() else path.name)
        if not match:
            self.error(
                path, 1, "name must be NN-slug (digits, a hyphen, lower-case words with hyphens)"
            )
        return match

    def slug_named(self, path: Path, kind: str) -> bool:
        """Whether a file's name is its slug (reported when it is not)."""
        if SLUG.fullmatch(path.stem):
            return True
        self.error(path, 1, f"{kind} file name must be its slug: lower-case words with hyphens")
        return False
