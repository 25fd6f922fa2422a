"""Template filters for engine output and authored text."""

import re

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from learn.podspec.diagnostics import Report
from learn.podspec.figure import code_spans, numbered_html, problems_html

register = template.Library()


@register.filter
def codify(text: str) -> SafeString:
    """Escape a message and show its `backticked` names as code."""
    return mark_safe(code_spans(text))  # escaped by code_spans


@register.filter
def plain(text: str) -> str:
    """Text without Markdown's marks (for places that cannot hold markup, such as <option>)."""
    return re.sub(r"[`*]", "", text)


def lesson_url(key: str) -> str:
    """The URL of the lesson a diagnostic names by its `module/lesson` key, with the section it
    names after a `#`."""
    lesson, _, anchor = key.partition("#")
    url = reverse("lessons:lesson", args=lesson.split("/"))
    return f"{url}#{anchor}" if anchor else url


@register.filter
def problem_list(report: Report, editor: str = "spec") -> SafeString:
    """The report's problems in reading order, each line a link to it in the editor `editor`."""
    return mark_safe(problems_html(report.sorted(), lesson_url=lesson_url, editor=editor))


@register.filter
def problems_data(report: Report) -> list[dict]:
    """The report's problems as the editor marks them in the text (for `json_script`)."""
    return [
        {
            "line": d.line,
            "column": d.column,
            "endLine": d.end_line,
            "endColumn": d.end_column,
            "severity": str(d.severity),
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
        }
        for d in report.sorted()
        if d.line
    ]


@register.filter
def problem_list_at_lines(report: Report, anchors: str = "L") -> SafeString:
    """The report's problems in reading order, each line a link to the line's anchor on a page
    that shows the spec with numbered_spec() and the same `anchors` (a shared snapshot)."""
    return mark_safe(problems_html(report.sorted(), lesson_url=lesson_url, anchors=anchors))


@register.filter
def numbered_spec(text: str, anchors: str = "L") -> SafeString:
    """A spec with line numbers, each line's id `anchors` + its number (the numbers are text,
    not links: the problems listed beside it lead to the lines)."""
    return mark_safe(numbered_html(text, anchors, links=False))  # numbered_html escapes the text
