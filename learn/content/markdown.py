"""Markdown to HTML for lessons: highlighted code, admonitions, tables, anchors, and links.

Authors write `lesson:MODULE/LESSON#anchor` to link to a lesson, `exercise:SLUG` to an exercise,
`page:SLUG#anchor` to a page, and `static:figures/x.svg` for a figure; all are rewritten to real
URLs and recorded so the loader can report broken ones. A ```question block holds one question
in the quiz format, asked in place; it renders as a marker that the page fills in.
Raw HTML is escaped: lessons are markdown only, which keeps the pages safe and uniform.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

LINK_SCHEMES = ("lesson", "exercise", "page")  # `<scheme>:target` in a link's href
STATIC_SCHEME = "static:"
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+#.-]*)")


@dataclass(frozen=True)
class Heading:
    """One entry of a lesson's table of contents."""

    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Reference:
    """A `lesson:` link or `static:` figure found in the markdown, to be checked by the loader."""

    kind: str  # a link scheme, or "static"
    target: str


@dataclass(frozen=True)
class PodBlock:
    """A ```pod block: its spec, what the engine found, and whether it is meant to be broken."""

    source: str
    report: object  # learn.podspec.Report
    broken: bool


@dataclass
class Rendered:
    """The result of rendering one markdown text."""

    html: str
    headings: tuple[Heading, ...]
    text: str
    references: list[Reference] = field(default_factory=list)
    pod_blocks: list[PodBlock] = field(default_factory=list)
    question_blocks: list[str] = field(default_factory=list)  # the YAML of each ```question

    def segments(self) -> list[tuple[str, int | None]]:
        """The HTML cut at each question block: (html before it, the block's index), and last
        (the rest, None)."""
        parts = QUESTION_MARKER.split(self.html)
        pairs = [(parts[i], int(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]
        return [*pairs, (parts[-1], None)]


POD_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*pod\b")
QUESTION_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*question\s*$")
# Raw HTML in lessons is escaped, so an author cannot write this marker by hand.
QUESTION_MARKER = re.compile(r"<!--question:(\d+)-->")


def _pod_validator(language, inputs, options, attrs, md) -> bool:
    """Options of a ```pod block: `broken` (it is meant to have errors) and `title="..."`."""
    for key, value in inputs.items():
        if key == "broken":
            options["broken"] = True
        elif key == "title":
            options["title"] = value
        else:
            return False
    return True


def _pod_formatter(blocks: list[PodBlock]):
    def format_pod(src, language, class_name, options, md, **kwargs) -> str:
        from learn.podspec.figure import pod_figure

        html, block = pod_figure(
            src, broken=options.get("broken", False), title=options.get("title", "")
        )
        blocks.append(PodBlock(src, block, options.get("broken", False)))
        return html

    return format_pod


def _question_formatter(blocks: list[str]):
    def format_question(src, language, class_name, options, md, **kwargs) -> str:
        blocks.append(src)
        return f"<!--question:{len(blocks) - 1}-->"

    return format_question


class _ReferenceRewriter(Treeprocessor):
    """Rewrites scheme: URLs (see LINK_SCHEMES and static:) and records every one of them."""

    def __init__(self, md, resolve, references):
        super().__init__(md)
        self.resolve = resolve
        self.references = references

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                scheme, colon, target = element.get("href", "").partition(":")
                if colon and scheme in LINK_SCHEMES:
                    self.references.append(Reference(scheme, target))
                    element.set("href", self.resolve(scheme, target))
            elif element.tag == "img":
                src = element.get("src", "")
                if src.startswith(STATIC_SCHEME):
                    target = src.removeprefix(STATIC_SCHEME)
                    self.references.append(Reference("static", target))
                    element.set("src", self.resolve("static", target))
                element.set("loading", "lazy")


class _References(Extension):
    def __init__(self, resolve, references):
        super().__init__()
        self.args = (resolve, references)

    def extendMarkdown(self, md):
        md.treeprocessors.register(_ReferenceRewriter(md, *self.args), "references", 5)
        # No raw HTML: it is escaped and shown as text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _flatten(tokens: list[dict], max_level: int = 3) -> list[Heading]:
    headings = []
    for token in tokens:
        if token["level"] <= max_level:
            headings.append(Heading(token["level"], token["id"], unescape(token["name"])))
        headings.extend(_flatten(token["children"], max_level))
    return headings


_TAG = re.compile(r"<[^>]+>")
_LINE_NUMBER = re.compile(r'<span class="linenos"[^>]*>.*?</span>', re.S)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
# Not words of the lesson: heading permalinks ("#") and a figure's diagram retold in words.
_NOT_TEXT = re.compile(r'<a class="headerlink"[^>]*>.*?</a>|<details>.*?</details>', re.S)
_SCROLLS = re.compile(r"<(pre|table)(?=[ >])")


def plain_text(html: str) -> str:
    """The readable text of rendered HTML, for search: tags and line numbers removed."""
    text = _TAG.sub(" ", _LINE_NUMBER.sub(" ", _SVG.sub(" ", _NOT_TEXT.sub(" ", html))))
    return " ".join(unescape(text).split())


def render(text: str, *, resolve: Callable[[str, str], str]) -> Rendered:
    """Render lesson markdown to HTML with a table of contents and the references it makes.

    `resolve(kind, target)` gives the URL of a `lesson:`, `exercise:`, `page:` or `static:` target.
    """
    references: list[Reference] = []
    pod_blocks: list[PodBlock] = []
    question_blocks: list[str] = []
    md = markdown.Markdown(
        extensions=[
            "tables",
            "admonition",
            "attr_list",
            "sane_lists",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "toc",
            _References(resolve, references),
        ],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "pod",
                        "class": "pod",
                        "format": _pod_formatter(pod_blocks),
                        "validator": _pod_validator,
                    },
                    {
                        "name": "question",
                        "class": "question",
                        "format": _question_formatter(question_blocks),
                    },
                ]
            },
            "pymdownx.highlight": {
                "use_pygments": True,
                "guess_lang": False,
                "css_class": "highlight",
                "linenums_style": "pymdownx-inline",
            },
            "toc": {
                "permalink": "#",
                "permalink_title": "Link to this section",
                "slugify": slugify,
                "toc_depth": "2-3",
            },
        },
        output_format="html",
    )
    # A wide code block or table scrolls sideways; keyboard users must be able to reach it.
    html = _SCROLLS.sub(r'<\1 tabindex="0"', md.convert(text))
    headings = tuple(_flatten(md.toc_tokens))
    text = plain_text(QUESTION_MARKER.sub(" ", html))
    return Rendered(html, headings, text, references, pod_blocks, question_blocks)


def unknown_code_languages(text: str) -> list[tuple[int, str]]:
    """Fenced code blocks whose language Pygments does not know, as (line, language)."""
    problems = []
    open_fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if not match:
            continue
        if open_fence is None:
            open_fence = match["fence"]
            language = match["lang"]
            if language and language not in ("pod", "question"):
                try:
                    get_lexer_by_name(language)
                except ClassNotFound:
                    problems.append((number, language))
        elif match["fence"].startswith(open_fence) and not match["lang"]:
            open_fence = None
    return problems
