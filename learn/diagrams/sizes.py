"""The size a picture is asked for (`?width=`, `?scale=`), for slides and documents, bounded,
and for an SVG whether it is `plain` (`?plain=1`: colours on each shape, no stylesheet).

SVG: `width=<pixels>` fixes the width (the height follows the drawing), `width=auto` leaves no
fixed size at all, so that the picture fills what holds it; `plain=1` is for programs that ignore
SVG's CSS (slide programs such as LibreOffice Impress). PNG: `width=<pixels>` or
`scale=<times the drawing's size>` (2 when neither is given, sharp on high-density screens).
"""

import re
from dataclasses import dataclass, replace

from django.http import QueryDict

from learn.podspec.svg import plain

MIN_WIDTH, MAX_WIDTH = 100, 4096
MIN_SCALE, MAX_SCALE = 0.25, 4.0
DEFAULT_SCALE = 2.0
_ROOT_SIZE = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"(?: width="[^"]*" height="[^"]*")?')


class BadSize(ValueError):
    """The query asks for a size outside the bounds, or not a size at all."""


@dataclass(frozen=True)
class Size:
    """`width`: pixels, "auto" (SVG only) or None for the drawing's own; `scale`: PNG only."""

    width: int | str | None = None
    scale: float | None = None
    plain: bool = False

    @classmethod
    def from_query(cls, query: QueryDict, fmt: str) -> "Size":
        """The size a query asks for; BadSize says what is allowed."""
        asked = query.get("plain")
        if asked not in (None, "0", "1"):
            raise BadSize("plain is plain=1 (colours on each shape) or plain=0")
        if asked == "1" and fmt != "svg":
            raise BadSize("plain is for SVG pictures; a PNG has no stylesheet to leave out")
        size = cls._sized(query, fmt)
        return replace(size, plain=asked == "1")

    @classmethod
    def _sized(cls, query: QueryDict, fmt: str) -> "Size":
        width, scale = query.get("width"), query.get("scale")
        if width is not None and scale is not None:
            raise BadSize("ask for width or scale, not both")
        if scale is not None:
            if fmt != "png":
                raise BadSize("scale is for PNG pictures; an SVG scales by itself (width=auto)")
            return cls(scale=_number(scale, MIN_SCALE, MAX_SCALE, "scale", float))
        if width == "auto" and fmt == "svg":
            return cls(width="auto")
        if width is not None:
            return cls(width=int(_number(width, MIN_WIDTH, MAX_WIDTH, "width", int)))
        return cls()

    def key(self) -> str:
        """This size as a part of a picture's cache key."""
        return f"w={self.width or ''};s={self.scale or ''}" + (";plain" if self.plain else "")

    def apply_to_svg(self, svg: str) -> str:
        """The SVG with this size on its root element (viewBox kept, so it scales cleanly), plain
        when asked."""
        if self.plain:
            svg = plain(svg)
        if self.width is None:
            return svg
        found = drawing_size(svg)
        if self.width == "auto":
            attributes = f'viewBox="0 0 {found[0]:g} {found[1]:g}"'
        else:
            assert isinstance(self.width, int)
            height = round(self.width * found[1] / found[0])
            attributes = (
                f'viewBox="0 0 {found[0]:g} {found[1]:g}" width="{self.width}" height="{height}"'
            )
        return _ROOT_SIZE.sub(attributes, svg, count=1)

    def png_scale(self, svg: str) -> float:
        """The scale to draw the PNG at."""
        if isinstance(self.width, int):
            return self.width / drawing_size(svg)[0]
        return self.scale or DEFAULT_SCALE


def drawing_size(svg: str) -> tuple[float, float]:
    """The width and height of a drawing, from its root element's viewBox."""
    found = _ROOT_SIZE.search(svg)
    if found is None:
        raise ValueError("not an SVG drawn by the engine: no viewBox")
    return float(found[1]), float(found[2])


def _number(text: str, low: float, high: float, name: str, kind: type) -> float:
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise BadSize(f"{name} must be a number from {low:g} to {high:g}")
    return value


NATURAL = Size()  # the drawing's own size (a PNG at DEFAULT_SCALE)
