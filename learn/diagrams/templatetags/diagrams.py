"""`{% diagram_urls text as urls %}`: a spec's stateless diagram URLs, for copy-and-paste."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from learn.podspec import share
from learn.podspec.describe import names
from learn.podspec.model import Workload

register = template.Library()


@dataclass(frozen=True)
class DiagramUrls:
    """The absolute URLs of a spec's diagram: SVG, PNG, and the SVG that fills its holder."""

    svg: str
    png: str
    fluid: str


@register.simple_tag(takes_context=True)
def diagram_urls(context: template.Context, text: str) -> DiagramUrls | None:
    """The diagram URLs of `text`; None when its code is too long for a URL."""
    code = share.encode(text)
    if len(code) > share.MAX_ENCODED:
        return None
    request = context["request"]

    def url(fmt: str) -> str:
        return request.build_absolute_uri(reverse("diagrams:image", args=[fmt, code]))

    return DiagramUrls(svg=url("svg"), png=url("png"), fluid=url("svg") + "?width=auto")


@register.filter
def workload_names(workloads: list[Workload]) -> str:
    """What a spec defines (`Pod web`), for alt text that says which drawing it is."""
    return names(workloads)


@register.filter
def markdown_alt(text: str) -> str:
    """Text made safe inside a Markdown image's alt text (`![…](url)`): brackets escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
