"""Markdown to HTML for lessons: highlighted code, admonitions, tables, anchors, and links.

Authors write `lesson:MODULE/LESSON#anchor` to link to a lesson, `exercise:SLUG` to an exercise,
`page:SLUG#anchor` to a page, and `static:figures/x.svg` for a figure (or a file to link to); all
are recorded so the loader can report broken ones, and rewritten by `resolve` (the site passes
links.mark: markers that become URLs when a page is shown). A ```question block holds one question
in the quiz format, asked in place; it renders as a marker that the page fills in. A ```pod block
draws a spec, a ```pod-run block runs one (learn/podspec/markdown.py).
Raw HTML is escaped: lessons are markdown only, which keeps the pages safe and uniform.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import quote
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from learn.podspec.markdown import (
    LANGUAGE,
    RUN_LANGUAGE,
    Fence,
    PodBlock,
    PodFigureExtension,
    RunBlock,
    fences,
    stash_fences,
)

# A figure's spec travels to the playground in its address: at most this much of it, URL-encoded,
# so that the request line stays under gunicorn's 4094 bytes (the longest in the course is 1.9 KB).
MAX_LINKED_SPEC = 3500
LINK_SCHEMES = ("lesson", "exercise", "page")  # `<scheme>:target` in a link's href
STATIC_SCHEME = "static"  # `static:path` in an image's src or a link's href


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


# Raw HTML in lessons is escaped, so an author cannot write this marker by hand.
QUESTION_MARKER = re.compile(r"<!--question:(\d+)-->")


@dataclass(frozen=True)
class QuestionBlock:
    """A ```question block: its YAML and the line of its opening fence in the text (1-based)."""

    line: int
    source: str


@dataclass
class Rendered:
    """The result of rendering one markdown text."""

    html: str
    headings: tuple[Heading, ...]
    text: str
    references: list[Reference] = field(default_factory=list)
    pod_blocks: list[PodBlock] = field(default_factory=list)
    question_blocks: list[QuestionBlock] = field(default_factory=list)
    # Lines of the pod blocks past MAX_FIGURES, shown as a note and not checked.
    undrawn_pod_blocks: list[int] = field(default_factory=list)
    run_blocks: list[RunBlock] = field(default_factory=list)
    # Lines of the pod-run blocks past MAX_RUNS, shown as a note and not checked.
    unrun_blocks: list[int] = field(default_factory=list)

    def segments(self) -> list[tuple[str, int | None]]:
        """The HTML cut at each question block: (html before it, the block's index), and last
        (the rest, None)."""
        parts = QUESTION_MARKER.split(self.html)
        pairs = [(parts[i], int(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]
        return [*pairs, (parts[-1], None)]


class _QuestionFences(Preprocessor):
    """Takes each outermost ```question fence out of the text, leaving a marker the page fills
    in (stash_fences keeps every later line where it was, for the blocks after it)."""

    def __init__(self, md: markdown.Markdown, blocks: list[QuestionBlock]) -> None:
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        return stash_fences(self.md, lines, "question", self.marker)

    def marker(self, fence: Fence) -> str:
        """Keep the block and leave its marker."""
        self.blocks.append(QuestionBlock(fence.start + 1, fence.body))
        return f"<!--question:{len(self.blocks) - 1}-->"


class _ReferenceRewriter(Treeprocessor):
    """Rewrites scheme: URLs (see LINK_SCHEMES and static:) and records every one of them."""

    def __init__(self, md, resolve, references):
        super().__init__(md)
        self.resolve = resolve
        self.references = references

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                self.rewrite(element, "href", (*LINK_SCHEMES, STATIC_SCHEME))
            elif element.tag == "img":
                self.rewrite(element, "src", (STATIC_SCHEME,))
                element.set("loading", "lazy")

    def rewrite(self, element: Element, attribute: str, schemes: tuple[str, ...]) -> None:
        """Record and resolve the attribute when it is one of the schemes."""
        scheme, colon, target = element.get(attribute, "").partition(":")
        if colon and scheme == "site":  # the loader's own marker, never an author's to write
            self.references.append(Reference(scheme, target))
            element.set(attribute, "")
        elif colon and scheme in schemes:
            self.references.append(Reference(scheme, target))
            element.set(attribute, self.resolve(scheme, target))


class _References(Extension):
    def __init__(self, resolve, references, questions):
        super().__init__()
        self.args = (resolve, references)
        self.questions = questions

    def extendMarkdown(self, md):
        md.treeprocessors.register(_ReferenceRewriter(md, *self.args), "references", 5)
        # Before the pod figures (28) and superfences (25), on the text's own lines.
        md.preprocessors.register(_QuestionFences(md, self.questions), "questions", 29)
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


# Tags inside a line of text join their words to the punctuation beside them ("`a`," reads "a,");
# any other tag ends a block, which a space keeps apart from the next.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|em|i|kbd|mark|small|span|strong|sub|sup)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
# A heading read in a line of text ends as a sentence does, so it does not run into the next one.
_HEADING_END = re.compile(r"(?<![.?!:\s])\s*</h[1-6]>")
_LINE_NUMBER = re.compile(r'<span class="linenos"[^>]*>.*?</span>', re.S)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
# Not words of the lesson: heading permalinks ("#"), a shell session's prompts ("$", "#"), a
# figure's diagram retold in words, and the links from its problems to lessons.
_NOT_TEXT = re.compile(
    r'<a class="headerlink"[^>]*>.*?</a>|<span class="gp">.*?</span>|<details>.*?</details>'
    r'|<p class="problem__lesson">.*?</p>',
    re.S,
)
_SCROLLS = re.compile(r"<(pre|table)(?=[ >])")


def plain_text(html: str) -> str:
    """The readable text of rendered HTML, for search: tags and line numbers removed."""
    html = _LINE_NUMBER.sub(" ", _SVG.sub(" ", _NOT_TEXT.sub(" ", html)))
    text = _TAG.sub(" ", _INLINE_TAG.sub("", _HEADING_END.sub(".</h2>", html)))
    return " ".join(unescape(text).split())


def render(text: str, *, resolve: Callable[[str, str], str]) -> Rendered:
    """Render lesson markdown to HTML with a table of contents and the references it makes.

    `resolve(kind, target)` gives the URL of a `lesson:`, `exercise:`, `page:` or `static:` target,
    and for "playground" the URL that opens the spec given as target in the playground.
    """
    references: list[Reference] = []
    question_blocks: list[QuestionBlock] = []
    pods = PodFigureExtension(
        lesson_url=lambda key: resolve("lesson", key),
        playground_url=lambda source: (
            resolve("playground", source) if len(quote(source)) <= MAX_LINKED_SPEC else ""
        ),
        standalone=False,
    )
    md = markdown.Markdown(
        extensions=[
            "tables",
            "admonition",
            "attr_list",
            "sane_lists",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "toc",
            pods,
            _References(resolve, references, question_blocks),
        ],
        extension_configs={
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
    # The toc extension sets toc_tokens on the instance while converting; the stubs omit it.
    headings = tuple(_flatten(md.toc_tokens))  # type: ignore[attr-defined]
    text = plain_text(QUESTION_MARKER.sub(" ", html))
    return Rendered(
        html,
        headings,
        text,
        references,
        pods.blocks,
        question_blocks,
        pods.undrawn,
        pods.runs,
        pods.unrun,
    )


def unknown_code_languages(text: str) -> list[tuple[int, str]]:
    """Fenced code blocks whose language Pygments does not know, as (line, language)."""
    problems = []
    for fence in fences(text.splitlines()):
        language = fence.language
        if language and language not in (LANGUAGE, RUN_LANGUAGE, "question"):
            try:
                get_lexer_by_name(language)
            except ClassNotFound:
                problems.append((fence.start + 1, language))
    return problems
