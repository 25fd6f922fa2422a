"""Template filters for engine output."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from learn.podspec.figure import code_spans

register = template.Library()


@register.filter
def codify(text: str) -> SafeString:
    """Escape a message and show its `backticked` names as code."""
    return mark_safe(code_spans(text))  # escaped by code_spans
