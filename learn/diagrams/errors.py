"""Pictures that say why a diagram URL drew nothing, so that an <img> never shows a broken icon.

An <img> shows whatever image comes back, whatever its status, but shows nothing of a text body.
A PNG URL gets a PNG (it is asked for where SVG does not work: slide tools, office documents), an
SVG URL an SVG. The card is opaque, so it reads on a light page and a dark one alike.
"""

import textwrap
from functools import lru_cache
from xml.sax.saxutils import escape

from django.http import HttpResponse

# background, border and heading, text
PALETTES = {
    "light": ("#fff6e0", "#a14d00", "#17202c"),
    "dark": ("#2a2112", "#f5b54a", "#f1f5f9"),
}
WIDTH, LINE, PAD = 560, 22, 20
MAX_LINES = 8
# A 560 px card pushed a 390 px phone's page sideways. cairosvg would read `height:auto` as a
# height, so the PNG is drawn from the card without it.
FLUID = 'style="max-width:100%;height:auto" '
MAX_MESSAGE = 400  # characters: a parser's message quotes the input, which may be long


def error_svg(message: str, theme: str = "light", *, scalable: bool = True) -> str:
    """A self-contained SVG card: "Cannot draw this pod diagram", then the message; `scalable`,
    it shrinks to fit a narrow page or column (its viewBox keeps the proportions)."""
    background, accent, ink = PALETTES.get(theme, PALETTES["light"])
    lines = textwrap.wrap(message[:MAX_MESSAGE], 62, max_lines=MAX_LINES, placeholder=" …")
    height = PAD * 2 + LINE * (len(lines) + 1) + 6
    texts = "".join(
        f'<text x="{PAD}" y="{PAD + LINE * (i + 2)}" fill="{ink}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    label = escape(f"Cannot draw this pod diagram: {message[:MAX_MESSAGE]}", {'"': "&quot;"})
    fluid = FLUID if scalable else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" {fluid}'
        'font-family="DejaVu Sans, Verdana, sans-serif" font-size="15">'
        f"<title>{label}</title>"
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="{height - 2}" rx="8" fill="{background}" '
        f'stroke="{accent}" stroke-width="2"/>'
        f'<text x="{PAD}" y="{PAD + LINE}" fill="{accent}" font-weight="bold">'
        "⚠ Cannot draw this pod diagram</text>"
        f"{texts}</svg>"
    )


@lru_cache(maxsize=256)
def error_png(message: str, theme: str) -> bytes:
    """error_svg() as a PNG at twice its size; kept, since most messages come back often."""
    import cairosvg

    return cairosvg.svg2png(bytestring=error_svg(message, theme, scalable=False).encode(), scale=2)


def error_image(status: int, message: str, fmt: str, theme: str) -> HttpResponse:
    """A response with `status` whose body is a picture of `message`, as `fmt` (svg or png)."""
    if fmt == "png":
        response = HttpResponse(error_png(message[:MAX_MESSAGE], theme), content_type="image/png")
    else:
        response = HttpResponse(error_svg(message, theme), content_type="image/svg+xml")
    response.status_code = status
    response["Cache-Control"] = "no-store"
    return response
