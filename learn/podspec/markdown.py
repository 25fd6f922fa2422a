"""A Python-Markdown extension that draws ```pod fences as pod figures, knowing each block's line.

    import markdown
    html = markdown.markdown(text, extensions=["learn.podspec.markdown"])

The same extension draws the site's lessons (with standalone=False, where the site's CSS colours
the figures) and any other Markdown: by default each figure is self-contained, its diagram with its
own light and dark colours and no external reference, its text plain HTML. It works beside
fenced_code and pymdownx.superfences (it takes ```pod blocks before they do); with superfences
alone, `fence_validator` and `fence_format` make ```pod one of its custom fences (README: "Pod
diagrams in your own Markdown").

A block opens with ```pod, optionally followed by `broken` (the spec is meant to have mistakes) and
`title="..."`; it holds one spec and becomes the engine's figure (figure.py): the YAML beside its
diagram, with its problems and the diagram in words. Only outermost fences count: a ```pod shown
inside a ````markdown or ~~~ fence is that block's text. The extension keeps each block with the
line of its opening fence, so what the engine says about a spec maps to a line of the Markdown.

A block that opens with ```pod-run holds a spec too, and becomes a run of it through the lifecycle
simulator (kubelet.py): its timeline, `kubectl get pod -w` and events (runview.run_figure). The
rest of its opening line is the scenario, in YAML flow style (see scenario.py), for example
```pod-run {delete_at: 30, containers: {web: {ignores_sigterm: true}}}; without one, every
container does what its spec implies.

The work is bounded for any text: fences are found in one pass, and a document draws at most
MAX_FIGURES pod blocks and runs at most MAX_RUNS pod-run blocks (each one past it becomes a short
note).
"""

import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from learn.podspec.check import check
from learn.podspec.diagnostics import Diagnostic, Report
from learn.podspec.figure import code_html, code_spans, pod_figure
from learn.podspec.kubelet import NotRunnable, simulate
from learn.podspec.runview import run_figure
from learn.podspec.scenario import ScenarioError
from learn.podspec.svg import AUTO
from learn.podspec.timeline import Timeline

LANGUAGE = "pod"
RUN_LANGUAGE = "pod-run"
OPTIONS = ("broken", 'title="..."')
# The info string is the rest of the line, stripped afterwards: a pattern that trims it as it
# matches retries the trim from every position of a long line, which is quadratic.
_OPENING = re.compile(r"(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")
_CLOSING = re.compile(r" *(?P<fence>`{3,}|~{3,})\s*")
# Each drawing runs the engine and lays out a diagram: a text with more blocks gets a note for each
# block past this many, so that no document can ask for unbounded work.
MAX_FIGURES = 100
UNDRAWN = f'<p class="pod-figure-undrawn">Pod block not drawn: a document draws at most {MAX_FIGURES}.</p>'
# A run simulates up to an hour of the Pod's life and draws it: up to half a second for a busy
# Pod (30 containers probed every second for an hour), where a drawing takes milliseconds. A
# lesson needs a handful.
MAX_RUNS = 10
UNRUN = f'<p class="pod-figure-undrawn">Pod run not shown: a document runs at most {MAX_RUNS}.</p>'
# Runs after whitespace is normalised (30) and before superfences takes the other fences (25).
_PRIORITY = 28


@dataclass(frozen=True)
class Fence:
    """One outermost fenced block: where it is in the text's lines and what it holds."""

    start: int  # index of the opening line (0-based)
    end: int  # index of the closing line
    indent: str  # the opening line's indentation, taken off every line of the body
    info: str  # what follows the opening backticks or tildes
    body: str

    @property
    def language(self) -> str:
        """The first word of the info string ("" when there is none)."""
        return self.info.split(maxsplit=1)[0] if self.info.strip() else ""


def fences(lines: list[str]) -> Iterator[Fence]:
    """The outermost closed fences of a text's lines, in order; a fence inside another is text.

    Linear in the text: each line is matched once as a closing fence, and an opening that no later
    line can close is passed over at once rather than searched for its end to the end of the text.
    """
    closings = [_closing(line) for line in lines]
    # longest[char][i]: the longest closing fence of that character on line i or after it.
    longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for index in range(len(lines) - 1, -1, -1):
        char, length = closings[index]
        for kind, runs in longest.items():
            runs[index] = max(runs[index + 1], length if kind == char else 0)
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        index += 1
        if opening is None:
            continue
        char, length, info = opening["fence"][0], len(opening["fence"]), opening["info"].strip()
        # A ``` fence's info string has no backtick, and an unclosed fence is no fence (as for
        # superfences).
        if (char == "`" and "`" in info) or longest[char][index] < length:
            continue
        start = index - 1
        end = next(i for i in range(index, len(lines)) if _closes(closings[i], char, length))
        indent = opening["indent"]
        body = "\n".join(line.removeprefix(indent) for line in lines[index:end])
        yield Fence(start, end, indent, info, body)
        index = end + 1


def _closing(line: str) -> tuple[str, int]:
    """The character and length of the closing fence a line is, or ("", 0) when it is none."""
    closing = _CLOSING.fullmatch(line)
    return (closing["fence"][0], len(closing["fence"])) if closing else ("", 0)


def _closes(closing: tuple[str, int], char: str, length: int) -> bool:
    """Whether a closing fence ends a fence opened by `length` times `char`."""
    return closing[0] == char and closing[1] >= length


def stash_fences(
    md: Markdown, lines: list[str], language: str, render: Callable[[Fence], str]
) -> list[str]:
    """The lines with each outermost fence of `language` replaced by the HTML that `render` makes
    of it, stashed so that Markdown leaves it as it is."""
    lines = list(lines)
    for fence in fences(lines):
        if fence.language != language:
            continue
        placeholder = md.htmlStash.store(render(fence))
        # Blank lines where the block was keep every later line where the author wrote it.
        lines[fence.start : fence.end + 1] = [fence.indent + placeholder] + [""] * (
            fence.end - fence.start
        )
    return lines


@dataclass(frozen=True)
class PodBlock:
    """A ```pod block: its spec and options, the engine's report, and its line in the text."""

    line: int  # the opening fence's line (1-based); the spec's first line is the next one
    source: str
    title: str
    broken: bool
    report: Report
    unknown_options: tuple[str, ...] = ()

    def problems(self) -> list[tuple[int, str]]:
        """What an author must fix, as (line in the text, message).

        The spec must pass the engine unless the block is marked broken, and then it must not.
        """
        found = [
            (self.line, f"pod block: unknown option '{option}' (use {' and '.join(OPTIONS)})")
            for option in self.unknown_options
        ]
        errors = self.report.errors
        if errors and not self.broken:
            found += [
                (
                    self.line + error.line,
                    f"pod block: {error.message} [{error.code}] (mark the block `pod broken` if "
                    "the mistake is meant)",
                )
                for error in errors
            ]
        elif self.broken and not errors:
            found.append((self.line, "pod block is marked `broken` but has no error"))
        return found


@dataclass(frozen=True)
class RunBlock:
    """A ```pod-run block: its spec and scenario, and what running them gave."""

    line: int  # the opening fence's line (1-based), which holds the scenario
    source: str
    scenario: str  # the YAML written after `pod-run`, "" when none
    report: Report
    timeline: Timeline | None  # None when it could not run
    scenario_problems: tuple[Diagnostic, ...] = ()
    not_runnable: str = ""  # why the spec cannot run, when the report has no error to say so

    def problems(self) -> list[tuple[int, str]]:
        """What an author must fix, as (line in the text, message): a run's spec must pass the
        engine, its scenario must be valid for that Pod, and the Pod must be runnable."""
        found = [
            (self.line + error.line, f"pod-run block: {error.message} [{error.code}]")
            for error in self.report.errors
        ]
        found += [
            (self.line, f"pod-run block: scenario: {problem.message} [{problem.code}]")
            for problem in self.scenario_problems
        ]
        if self.not_runnable:
            found.append((self.line, f"pod-run block: cannot run: {self.not_runnable}"))
        return found


def run_block(line: int, source: str, info: str, *, standalone: bool) -> tuple[str, RunBlock]:
    """The HTML of a ```pod-run block opening at `line` and what running it gave."""
    words = info.split(maxsplit=1)
    written = words[1] if len(words) > 1 else ""
    report = check(source)
    timeline: Timeline | None = None
    scenario_problems: tuple[Diagnostic, ...] = ()
    not_runnable = ""
    if not report.errors:
        try:
            timeline = simulate(report, written)
        except ScenarioError as exc:
            scenario_problems = tuple(exc.problems)
        except NotRunnable as exc:
            not_runnable = str(exc)
    block = RunBlock(line, source, written, report, timeline, scenario_problems, not_runnable)
    shown = (
        f'<p class="pod-run__scenario">Scenario: <code>{escape(written)}</code></p>'
        if written
        else ""
    )
    if timeline is None:
        messages = "".join(f"<li>{code_spans(message)}</li>" for _, message in block.problems())
        result = f'<div class="pod-run__failed"><p>Not run:</p><ul>{messages}</ul></div>'
    else:
        result = run_figure(timeline, standalone=standalone, theme=AUTO)
    html = (
        f'<div class="pod-run"><div class="pod-run__spec">{code_html(source, standalone=standalone)}</div>'
        f"{shown}{result}</div>"
    )
    return html, block


def _options(info: str) -> tuple[bool, str, tuple[str, ...]]:
    """`broken`, the title and the options not understood, from a fence's info string."""
    try:
        words = shlex.split(info)[1:]
    except ValueError:  # an unclosed quote
        words = info.split()[1:]
    broken, title, unknown = False, "", []
    for word in words:
        if word == "broken":
            broken = True
        elif word.startswith("title="):
            title = word.removeprefix("title=")
        else:
            unknown.append(word)
    return broken, title, tuple(unknown)


class _PodFences(Preprocessor):
    """Replaces each outermost ```pod fence by its figure, keeping the number of lines."""

    def __init__(self, md: Markdown, extension: "PodFigureExtension") -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        drawn = stash_fences(
            self.md,
            lines,
            LANGUAGE,
            lambda fence: self.extension.draw(fence.start + 1, fence.body, fence.info),
        )
        return stash_fences(
            self.md,
            drawn,
            RUN_LANGUAGE,
            lambda fence: self.extension.simulate(fence.start + 1, fence.body, fence.info),
        )


class PodFigureExtension(Extension):
    """Draws ```pod fences as pod figures and ```pod-run fences as runs; after a conversion,
    `blocks` and `runs` hold what it drew, and `undrawn` and `unrun` the lines of the blocks past
    MAX_FIGURES and MAX_RUNS, which it replaced by a note."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {
            # The default is "" rather than None: Python-Markdown turns a None-default option
            # into a boolean.
            "lesson_url": [
                "",
                "A function from a lesson key (module/lesson) to its URL, for the 'read the "
                "lesson' links of the problems; without it there are none",
            ],
            "playground_url": [
                "",
                "A function from a spec's text to the URL that opens it in a playground ('' when "
                "it cannot); without it figures have no such link",
            ],
            "standalone": [
                True,
                "Self-contained figures for any page: diagrams with their own light and dark "
                "colours (following the reader's preference); False for the site's pages, whose "
                "CSS colours them",
            ],
        }
        super().__init__(**kwargs)
        self.blocks: list[PodBlock] = []
        self.undrawn: list[int] = []
        self.runs: list[RunBlock] = []
        self.unrun: list[int] = []

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the fence preprocessor (and this extension, so that md.reset() clears it)."""
        md.registerExtension(self)
        md.preprocessors.register(_PodFences(md, self), "pod_figures", _PRIORITY)

    def reset(self) -> None:
        """Forget the blocks of the previous conversion."""
        self.blocks = []
        self.undrawn = []
        self.runs = []
        self.unrun = []

    def draw(self, line: int, source: str, info: str) -> str:
        """The figure of one block opening at `line`, remembered in `blocks` (past MAX_FIGURES,
        a note, and the line in `undrawn`)."""
        if len(self.blocks) >= MAX_FIGURES:
            self.undrawn.append(line)
            return UNDRAWN
        broken, title, unknown = _options(info)
        lesson_url: Callable[[str], str] | None = self.getConfig("lesson_url") or None
        html, report = pod_figure(
            source,
            broken=broken,
            title=title,
            lesson_url=lesson_url,
            standalone=self.getConfig("standalone"),
        )
        self.blocks.append(PodBlock(line, source, title, broken, report, unknown))
        return html + self.open_link(source)

    def simulate(self, line: int, source: str, info: str) -> str:
        """The run of one ```pod-run block opening at `line`, remembered in `runs` (past
        MAX_RUNS, a note, and the line in `unrun`)."""
        if len(self.runs) >= MAX_RUNS:
            self.unrun.append(line)
            return UNRUN
        html, block = run_block(line, source, info, standalone=self.getConfig("standalone"))
        self.runs.append(block)
        return html + self.open_link(source)

    def open_link(self, source: str) -> str:
        """A link that opens the spec in the playground, when the site gave a way to make one."""
        playground_url: Callable[[str], str] | None = self.getConfig("playground_url") or None
        url = playground_url(source) if playground_url else ""
        if not url:
            return ""
        return f'<p class="pod-figure__open"><a href="{escape(url)}">Open in the playground</a></p>'


def fence_validator(
    language: str, inputs: dict[str, str], options: dict[str, object], attrs: object, md: Markdown
) -> bool:
    """pymdownx.superfences' validator for a ```pod custom fence: takes `broken` and
    `title="..."` as the figure's options, and refuses any other (the block stays code)."""
    for key, value in inputs.items():
        if key == "broken" and value == "broken":
            options["broken"] = True
        elif key == "title":
            options["title"] = value
        else:
            return False
    return True


def fence_format(
    source: str,
    language: str,
    css_class: str,
    options: dict[str, object],
    md: Markdown,
    **kwargs: object,
) -> str:
    """pymdownx.superfences' formatter for a ```pod custom fence: the standalone figure."""
    html, _ = pod_figure(
        source, broken=bool(options.get("broken")), title=str(options.get("title", ""))
    )
    return html


def makeExtension(**kwargs: object) -> PodFigureExtension:
    """The extension, for `extensions=["learn.podspec.markdown"]`."""
    return PodFigureExtension(**kwargs)
