"""Template tags of the classroom pages."""

from django import template
from django.utils.safestring import SafeString

from learn.classroom.grid import Cell

register = template.Library()
STATUS_TEMPLATE = "partials/status.html"


@register.simple_tag(takes_context=True)
def status(context: template.Context, cell: Cell) -> SafeString:
    """A learner's status on an assignment, drawn by partials/status.html.

    A class grid has up to 300 x 40 cells but only a few distinct ones: each distinct cell is
    rendered once per page and repeated, which keeps a big dashboard several times faster than
    an include per cell.
    """
    drawn = context.render_context.get(STATUS_TEMPLATE)
    if drawn is None:
        drawn = context.render_context[STATUS_TEMPLATE] = {}
    if cell not in drawn:
        # Set while a template renders, which is the only way a tag runs.
        if context.template is None:
            raise RuntimeError("the status tag renders only inside a template")
        partial = context.template.engine.get_template(STATUS_TEMPLATE)
        drawn[cell] = partial.render(
            template.Context({"cell": cell}, autoescape=context.autoescape)
        )
    return drawn[cell]
