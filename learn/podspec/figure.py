"""A pod spec as an HTML figure: its YAML beside its diagram, the text equivalent, and problems.

Used by lessons (```pod blocks) and anywhere a spec is shown with its picture; plain HTML with
everything from the spec escaped.
"""

import re
from collections.abc import Callable
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from learn.podspec.check import check
from learn.podspec.describe import outline, outline_html
from learn.podspec.diagnostics import Diagnostic, Report
from learn.podspec.diagram import NothingToDraw, diagram
from learn.podspec.source import split_lines
from learn.podspec.svg import AUTO

_FORMATTER = HtmlFormatter(cssclass="highlight", linenos="inline", wrapcode=True)
# Without the site's stylesheet, an inline number runs into its line ("9spec:"): a page that is
# not the site's gets a space after each. (A table of numbers beside the code would part from
# it: a theme's CSS gives the two columns different line heights.)
_NUMBER_END = re.compile(r'(<span class="linenos">[^<]*)</span>')


# A code span, as Markdown writes one: a run of backticks, then text up to a run as long (a
# longer run lets the text hold backticks; the spaces beside such a run are not part of it).
_TICKS = re.compile(r"(?<!`)(`+)(?!`) ?(.+?) ?(?<!`)\1(?!`)")


_EMPHASIS = re.compile(r"\*([^*]+)\*")


def code_spans(text: str) -> str:
    """Escape a message and turn its `backticked` names into <code> and *words* into <em>."""
    return _EMPHASIS.sub(r"<em>\1</em>", _TICKS.sub(r"<code>\2</code>", escape(text)))


def problems_html(
    diagnostics: list[Diagnostic],
    *,
    lesson_url: Callable[[str], str] | None = None,
    editor: str = "",
    anchors: str = "",
) -> str:
    """Diagnostics as the site's problem list (give them in reading order: Report.sorted()).

    Each has its line, severity, code, message and hint, and a link to the lesson that explains it
    when `lesson_url` turns a lesson key into a URL. With `editor`, the id of the textarea that
    holds the spec, each line is a link that the editor's script follows to that line; with
    `anchors`, the prefix of the line ids numbered_html() gave, a link to that line.
    """
    items = []
    for d in diagnostics:
        if anchors and d.line > 0:  # line 0: the whole input, no line to go to
            where = f'<a href="#{escape(anchors)}{d.line}" class="problem__where">line {d.line}</a>'
        elif editor:
            where = (
                f'<a href="#{escape(editor)}" data-goto-line="{d.line}" '
                f'data-goto-column="{d.column}" class="problem__where">line {d.line}</a>'
            )
        else:
            where = f'<span class="problem__where">line {d.line}</span>'
        hint = f'<p class="problem__hint">{code_spans(d.hint)}</p>' if d.hint else ""
        lesson = (
            f'<p class="problem__lesson"><a href="{escape(lesson_url(d.lesson))}">'
            "Read the lesson that explains this</a></p>"
            if d.lesson and lesson_url
            else ""
        )
        items.append(
            f'<li class="problem {d.severity}" data-line="{d.line}">{where} '
            f'<span class="problem__severity">{d.severity}</span> '
            f'<code class="problem__code">{escape(d.code)}</code>'
            f'<p class="problem__message">{code_spans(d.message)}</p>{hint}{lesson}</li>'
        )
    return f'<ol class="problems">{"".join(items)}</ol>' if items else ""


def code_html(source: str, *, standalone: bool = False) -> str:
    """A spec's YAML, highlighted with line numbers as every figure shows it (`standalone`: set
    apart by a space, for pages without the site's CSS)."""
    html = highlight(source, YamlLexer(), _FORMATTER)
    return _NUMBER_END.sub(r"\1 </span>", html) if standalone else html


def numbered_html(source: str, anchors: str = "L", *, links: bool = True) -> str:
    """A spec's text, escaped, one element per line with the id `anchors` + its number (the
    target of a problem's "line N" link) and the number as a link to the line itself (`links`;
    else plain text, not one keyboard stop per line); lines are broken where the checker counts
    them, so the numbers agree with its diagnostics."""
    lines = []
    for number, line in enumerate(split_lines(source), start=1):
        ident = f"{escape(anchors)}{number}"
        shown = (
            f'<a class="numbered__number" href="#{ident}" aria-label="line {number}">{number}</a>'
            if links
            else f'<span class="numbered__number">{number}</span>'
        )
        lines.append(f'<span class="numbered__line" id="{ident}">{shown}{escape(line)}\n</span>')
    return f'<pre class="numbered"><code>{"".join(lines)}</code></pre>'


def requests_html(report: Report) -> str:
    """The effective requests of each workload that asks for resources, as the scheduler sums them."""
    lines = []
    for workload in report.workloads:
        amounts = [
            f"{resource} <code>{escape(amount)}</code>"
            for resource, amount in workload.pod.effective_requests().items()
            if workload.pod.effective_request(resource)
        ]
        if amounts:
            name = escape(workload.pod.name or workload.name or workload.kind)
            lines.append(
                f'<p class="pod-figure__requests">Effective request of {name}, what the scheduler '
                f"reserves on a node: {', '.join(amounts)}</p>"
            )
    return "".join(lines)


def pod_figure(
    source: str,
    *,
    broken: bool = False,
    title: str = "",
    lesson_url: Callable[[str], str] | None = None,
    standalone: bool = True,
) -> tuple[str, Report]:
    """The figure's HTML and the report it was drawn from.

    `lesson_url` links each problem to its lesson (see problems_html). Standalone (the default),
    the figure reads right on any page: a diagram with its own light and dark colours, following
    the reader's preference, and plain HTML; `standalone=False` is for the site's pages, whose
    CSS colours and lays it out.
    """
    report = check(source)
    code = code_html(source, standalone=standalone)
    # One outline per workload, for both the diagram's description and the text below it.
    outlines = [outline(workload, report.diagnostics) for workload in report.workloads]
    try:
        picture = diagram(report, theme=AUTO, standalone=standalone, outlines=outlines)
    except NothingToDraw as exc:
        picture = f'<p class="pod-figure__none">No diagram: {code_spans(str(exc))}</p>'
    # On the site, a drawing wider than its column scrolls sideways in it; site.js shows this line
    # when it does (a standalone figure is laid out by whoever embeds it).
    scroll = (
        ""
        if standalone
        else '<p class="pod-figure__scroll" aria-hidden="true">Scroll sideways for the whole diagram →</p>'
    )
    caption = escape(title) if title else "The spec and the pod it describes"
    if broken:
        caption += " (this spec has mistakes on purpose)"
    html = (
        f'<figure class="pod-figure{" is-broken" if broken else ""}">'
        f'<div class="pod-figure__yaml">{code}</div>{scroll}'
        f'<div class="pod-figure__diagram" tabindex="0" role="region" aria-label="Pod diagram">{picture}</div>'
        f"<figcaption>{caption}"
        f"{requests_html(report)}"
        f"{problems_html(report.sorted(), lesson_url=lesson_url)}"
        f"<details><summary>The diagram in words</summary>{outline_html(report.workloads, outlines)}</details>"
        "</figcaption></figure>"
    )
    return html, report
