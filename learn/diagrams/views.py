"""`/diagram/svg/<code>` and `/diagram/png/<code>`: stateless, cacheable pod diagrams.

The code is the spec itself (see learn.podspec.share), so the same URL always gives the same
picture: responses carry a strong ETag and may be cached for a year.
"""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from learn.podspec import share
from learn.podspec.diagram import NothingToDraw, diagram, to_png
from learn.podspec.svg import THEMES

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# A standalone SVG styles itself with an inline <style>; it has no script to allow.
IMAGE_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}
ENGINE_VERSION = "1"  # bump when the drawing changes, so caches fetch the new picture
YEAR = 60 * 60 * 24 * 365


def image_response(svg: str, fmt: str) -> HttpResponse:
    """A standalone SVG as the image format asked for (`svg` or `png`)."""
    body = svg.encode() if fmt == "svg" else to_png(svg)
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt])


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
    etag = (
        '"'
        + hashlib.sha256(f"{ENGINE_VERSION}|{fmt}|{theme}|{code}".encode()).hexdigest()[:32]
        + '"'
    )
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        try:
            svg = diagram(share.decode(code), theme=theme)
        except share.BadCode as exc:
            return _problem(400, f"cannot read the spec from this URL: {exc}")
        except NothingToDraw as exc:
            return _problem(422, f"nothing to draw: {exc}")
        response = image_response(svg, fmt)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response
