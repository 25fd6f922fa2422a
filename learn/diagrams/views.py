"""`/diagram/svg/<code>` and `/diagram/png/<code>`: stateless, cacheable pod diagrams.

The code is the spec itself (see learn.podspec.share), so the same URL always gives the same
picture: responses carry a strong ETag and may be cached for a year, and the server keeps the
pictures it drew (renderings.py). A picture it must draw spends from the client's engine budget.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from learn.core.limits.rates import spend_engine, too_many_plain
from learn.diagrams import renderings
from learn.podspec import share
from learn.podspec.diagram import NothingToDraw, diagram, to_png
from learn.podspec.svg import THEMES

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# A standalone SVG styles itself with an inline <style>; it has no script to allow.
IMAGE_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}
ENGINE_VERSION = "2"  # bump when the drawing changes, so caches fetch the new picture
YEAR = 60 * 60 * 24 * 365


def picture_key(kind: str, fmt: str, theme: str, content: str) -> str:
    """The renderings key of a picture; `kind` ("diagram", "snapshot") says what `content` is
    (a URL's code, a snapshot's id), so that the two can never name the same picture."""
    return renderings.name(ENGINE_VERSION, kind, fmt, theme, content)


def etag(key: str) -> str:
    """The strong ETag of the picture a renderings key names."""
    return f'"{key[-32:]}"'


def picture_response(
    request: HttpRequest,
    key: str,
    spec: Callable[[], str],
    fmt: str,
    theme: str,
    *,
    headers: dict[str, str],
    **options,
) -> HttpResponse:
    """The picture `key` names, as `fmt`: 304 when the client holds it already, else kept from
    an earlier drawing or drawn from spec() within the client's engine budget (its 429 is passed
    on as it is) and kept; with its ETag and `headers`. Raises what spec() and diagram() raise."""
    if request.headers.get("If-None-Match") == etag(key):
        response = HttpResponse(status=304)
    else:
        body = renderings.get(key)
        if body is None:
            text = spec()
            if wait := spend_engine(request, text, png=fmt == "png"):
                return too_many_plain(wait)
            svg = diagram(text, theme=theme, **options)
            body = svg.encode() if fmt == "svg" else to_png(svg)
            renderings.keep(key, body)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["ETag"] = etag(key)
    for name, value in headers.items():
        response[name] = value
    return response


def _problem(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@csp_override(IMAGE_CSP)
def diagram_image(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        return _problem(404, f"unknown format {fmt!r}: use /diagram/svg/… or /diagram/png/…")
    theme = request.GET.get("theme", "light")
    if theme not in THEMES:
        return _problem(400, f"unknown theme {theme!r}: use light or dark")
    key = picture_key("diagram", fmt, theme, code)
    cache = {"Cache-Control": f"public, max-age={YEAR}, immutable"}
    try:
        return picture_response(request, key, lambda: share.decode(code), fmt, theme, headers=cache)
    except share.BadCode as exc:
        return _problem(400, f"cannot read the spec from this URL: {exc}")
    except NothingToDraw as exc:
        return _problem(422, f"nothing to draw: {exc}")
