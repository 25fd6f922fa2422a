"""Template filters for engine output and authored text."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from learn.podspec.figure import code_spans

register = template.Library()


@register.filter
def codify(text: str) -> SafeString:
    """Escape a message and show its `backticked` names as code."""
    return mark_safe(code_spans(text))  # escaped by code_spans


@register.filter
def plain(text: str) -> str:
    """Text without Markdown's marks (for places that cannot hold markup, such as <option>)."""
    return re.sub(r"[`*]", "", text)
