"""oEmbed (https://oembed.com) answers, sized from the drawing within a consumer's bounds.

A diagram URL is a picture: oEmbed's "photo" type, whose `url` an <img> can show and whose
`width` and `height` are that picture's. A snapshot page is "rich" (an iframe of its embed page,
which keeps the problem tooltips); the views in learn.playground build that one.
"""

import html
import re
from urllib.parse import parse_qs, urlencode

from django.http import HttpRequest
from django.urls import reverse

from learn.diagrams.sizes import drawing_size
from learn.diagrams.views import drawn_theme, picture_body, picture_key
from learn.podspec import share
from learn.podspec.diagram import NothingToDraw

PROVIDER = "Learn containers"
_TITLE = re.compile(r"<title[^>]*>([^<]*)</title>")


class NoEmbed(LookupError):
    """The URL names no picture (oEmbed's 404)."""


def fit(width: float, height: float, most_width: int, most_height: int) -> tuple[int, int]:
    """A drawing's size, made smaller (never larger) to fit within the bounds, ratio kept."""
    scale = min(1.0, most_width / width, most_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def title_of(svg: str) -> str:
    """The drawing's own title (the pods it shows)."""
    found = _TITLE.search(svg)
    return html.unescape(found[1]) if found else "Pod diagram"


def diagram_photo(
    request: HttpRequest, fmt: str, code: str, query: str, most: tuple[int, int]
) -> dict | int:
    """The oEmbed photo of a diagram URL (its theme kept), or the seconds to wait when drawing it
    would overspend the client's budget. NoEmbed when the URL draws nothing."""
    asked = parse_qs(query).get("theme", [None])[0]
    theme = drawn_theme(fmt, asked) if fmt in ("svg", "png") else None
    if theme is None:
        raise NoEmbed("not a diagram URL")
    key = picture_key("diagram", "svg", theme, code)
    try:
        body = picture_body(request, key, lambda: share.decode(code), "svg", theme)
    except (share.BadCode, NothingToDraw) as exc:
        raise NoEmbed(str(exc)) from exc
    if isinstance(body, int):
        return body
    svg = body.decode()
    width, height = fit(*drawing_size(svg), *most)
    params = {"width": width} | ({"theme": asked} if asked else {})
    image = reverse("diagrams:image", args=[fmt, code]) + "?" + urlencode(params)
    return {
        "version": "1.0",
        "type": "photo",
        "provider_name": PROVIDER,
        "provider_url": request.build_absolute_uri("/"),
        "title": title_of(svg),
        "url": request.build_absolute_uri(image),
        "width": width,
        "height": height,
    }
