"""`/diagram/svg/<code>` and `/diagram/png/<code>`: stateless, cacheable pod diagrams.

The code is the spec itself (see learn.podspec.share), so the same URL always gives the same
picture: responses carry a strong ETag and may be cached for a year, and the server keeps the
pictures it drew (renderings.py). A picture it must draw spends from the client's engine budget.
A URL that draws nothing answers with a picture of the reason (errors.py), never a bare text.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from learn.core.limits.rates import png_cost, spend_engine, spend_engine_units, with_retry_after
from learn.diagrams import renderings
from learn.diagrams.errors import error_image
from learn.diagrams.sizes import NATURAL, BadSize, Size
from learn.podspec import share
from learn.podspec.diagram import NothingToDraw, diagram, png_pixels, to_png
from learn.podspec.svg import AUTO, THEME_NAMES

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# A standalone SVG styles itself with an inline <style>; it has no script to allow.
IMAGE_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}
ENGINE_VERSION = "2"  # bump when the drawing changes, so caches fetch the new picture
YEAR = 60 * 60 * 24 * 365


def picture_key(kind: str, fmt: str, theme: str, content: str, size: Size = NATURAL) -> str:
    """The renderings key of a picture; `kind` ("diagram", "snapshot") says what `content` is
    (a URL's code, a snapshot's id), so that the two can never name the same picture."""
    return renderings.name(ENGINE_VERSION, kind, fmt, theme, content, size.key())


def etag(key: str) -> str:
    """The strong ETag of the picture a renderings key names."""
    return f'"{key[-32:]}"'


def picture_body(
    request: HttpRequest,
    key: str,
    spec: Callable[[], str],
    fmt: str,
    theme: str,
    size: Size = NATURAL,
    **options,
) -> bytes | int:
    """The picture `key` names, kept from an earlier drawing or drawn from spec() within the
    client's engine budget and kept; or the seconds to wait when the budget is spent. Raises what
    spec() and diagram() raise."""
    body = renderings.get(key)
    if body is None:
        text = spec()
        if wait := spend_engine(request, text):
            return wait
        svg = diagram(text, theme=theme, **options)
        if fmt == "svg":
            body = size.apply_to_svg(svg).encode()
        else:
            scale = size.png_scale(svg)
            # A PNG costs what cairo will draw: its pixels, known once the SVG is drawn.
            if wait := spend_engine_units(request, png_cost(png_pixels(svg, scale=scale))):
                return wait
            body = to_png(svg, scale=scale)
        renderings.keep(key, body)
    return body


def picture_response(
    request: HttpRequest,
    key: str,
    spec: Callable[[], str],
    fmt: str,
    theme: str,
    *,
    headers: dict[str, str],
    size: Size = NATURAL,
    **options,
) -> HttpResponse:
    """The picture `key` names, as `fmt`: 304 when the client holds it already, else
    picture_body() (a 429 picture when the budget is spent); with its ETag and `headers`."""
    if request.headers.get("If-None-Match") == etag(key):
        response = HttpResponse(status=304)
    else:
        body = picture_body(request, key, spec, fmt, theme, size, **options)
        if isinstance(body, int):
            message = (
                f"too many requests: try again in {body} s (the server draws only so many a minute)"
            )
            return with_retry_after(error_image(429, message, fmt, theme), body)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["ETag"] = etag(key)
    for name, value in headers.items():
        response[name] = value
    return response


def drawn_theme(fmt: str, asked: str | None) -> str | None:
    """The theme a diagram URL is drawn in (None for an unknown one): an SVG follows its reader's
    light or dark preference unless asked otherwise; a PNG cannot (its colours are fixed when
    drawn), so it is light unless asked dark."""
    theme = asked or (AUTO if fmt == "svg" else "light")
    if theme not in THEME_NAMES:
        return None
    return "light" if fmt == "png" and theme == AUTO else theme


def picture_query(request: HttpRequest, fmt: str) -> tuple[str, Size] | HttpResponse:
    """The theme and size a picture URL's query asks for (`theme`, `width`, `scale`), or the
    picture of what is wrong with them."""
    theme = drawn_theme(fmt, request.GET.get("theme"))
    if theme is None:
        message = "unknown theme: use theme=auto, theme=light or theme=dark"
        return error_image(400, message, fmt, "light")
    try:
        return theme, Size.from_query(request.GET, fmt)
    except BadSize as exc:
        return error_image(400, str(exc), fmt, theme)


@require_GET
@csp_override(IMAGE_CSP)
def diagram_image(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    """The diagram of the spec the code carries; a picture of the reason when there is none."""
    if fmt not in CONTENT_TYPES:
        return error_image(
            404, "unknown format: use /diagram/svg/… or /diagram/png/…", "svg", "light"
        )
    asked = picture_query(request, fmt)
    if isinstance(asked, HttpResponse):
        return asked
    theme, size = asked
    key = picture_key("diagram", fmt, theme, code, size)
    cache = {"Cache-Control": f"public, max-age={YEAR}, immutable"}
    try:
        return picture_response(
            request, key, lambda: share.decode(code), fmt, theme, headers=cache, size=size
        )
    except share.BadCode as exc:
        return error_image(400, f"cannot read the spec from this URL: {exc}", fmt, theme)
    except NothingToDraw as exc:
        return error_image(422, f"nothing to draw: {exc}", fmt, theme)
