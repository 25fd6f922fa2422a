"""A pod spec as an HTML figure: its YAML beside its diagram, the text equivalent, and problems.

Used by lessons (```pod blocks) and anywhere a spec is shown with its picture; plain HTML with
everything from the spec escaped.
"""

import re
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from learn.podspec.check import check
from learn.podspec.describe import outline_html
from learn.podspec.diagnostics import Report
from learn.podspec.diagram import NothingToDraw, diagram

_FORMATTER = HtmlFormatter(cssclass="highlight", linenos="inline", wrapcode=True)


_TICKS = re.compile(r"`([^`]+)`")


_EMPHASIS = re.compile(r"\*([^*]+)\*")


def code_spans(text: str) -> str:
    """Escape a message and turn its `backticked` names into <code> and *words* into <em>."""
    return _EMPHASIS.sub(r"<em>\1</em>", _TICKS.sub(r"<code>\1</code>", escape(text)))


def problems_html(report: Report) -> str:
    """The report's diagnostics as an HTML list, in reading order."""
    items = "".join(
        f'<li class="{d.severity}"><span class="pod-figure__where">line {d.line}</span> '
        f"<strong>{d.severity}</strong> <code>{escape(d.code)}</code> {code_spans(d.message)}"
        + (f'<br><span class="pod-figure__hint">{code_spans(d.hint)}</span>' if d.hint else "")
        + "</li>"
        for d in report.sorted()
    )
    return f'<ul class="pod-figure__problems">{items}</ul>' if items else ""


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


def pod_figure(source: str, *, broken: bool = False, title: str = "") -> tuple[str, Report]:
    """The figure's HTML and the report it was drawn from."""
    report = check(source)
    code = highlight(source, YamlLexer(), _FORMATTER)
    try:
        picture = diagram(report, standalone=False)
    except NothingToDraw as exc:
        picture = f'<p class="pod-figure__none">No diagram: {escape(str(exc))}</p>'
    caption = escape(title) if title else "The spec and the pod it describes"
    if broken:
        caption += " (this spec has mistakes on purpose)"
    html = (
        f'<figure class="pod-figure{" is-broken" if broken else ""}">'
        f'<div class="pod-figure__yaml">{code}</div>'
        f'<div class="pod-figure__diagram" tabindex="0" role="region" aria-label="Pod diagram">{picture}</div>'
        f"<figcaption>{caption}"
        f"{requests_html(report)}"
        f"{problems_html(report)}"
        f"<details><summary>The diagram in words</summary>{outline_html(report.workloads, report.diagnostics)}</details>"
        "</figcaption></figure>"
    )
    return html, report
