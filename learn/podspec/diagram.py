"""Pod diagrams: the model laid out (layout.py) and painted (svg.py), as SVG or PNG."""

import math
import re

from learn.podspec.check import check
from learn.podspec.diagnostics import Report
from learn.podspec.layout import Scene, layout
from learn.podspec.svg import THEMES, render_svg

# Pods are drawn one below the other until the picture is this tall; the rest are counted in a
# line at the bottom. Taller pictures are no longer read, only scrolled, and cost time to draw.
MAX_HEIGHT = 6_000
# A PNG's size in pixels, at most: cairo refuses sides over 32,767 pixels, and its memory grows
# with the area (four bytes a pixel), as does the time to compress it. Larger pictures are drawn
# at a smaller scale.
MAX_PNG_SIDE, MAX_PNG_PIXELS = 16_384, 8_000_000
BANNER = 28  # pixels of the line that says a PNG is shown smaller than its SVG
_SIZE = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)" width="[\d.]+" height="[\d.]+"')


class NothingToDraw(ValueError):
    """The input holds no workload that runs pods (or cannot be parsed at all)."""


def _report(text_or_report: str | Report, kubernetes_version: str | None) -> Report:
    if isinstance(text_or_report, Report):
        return text_or_report
    return check(text_or_report, kubernetes_version=kubernetes_version)


def diagram(
    text_or_report: str | Report,
    *,
    theme: str = "light",
    standalone: bool = True,
    kubernetes_version: str | None = None,
    outlines: list[dict[str, list[str]]] | None = None,
) -> str:
    """The SVG of every pod the input describes (up to MAX_HEIGHT); problems are drawn where they
    are.

    `standalone=False` gives the site's variant, coloured through CSS custom properties;
    `outlines`, each workload's describe.outline(), saves building them again for the description.
    Raises NothingToDraw when the input describes no pod.
    """
    report = _report(text_or_report, kubernetes_version)
    if not report.workloads:
        reason = (
            report.errors[0].message if report.errors else "no Pod or pod template in the input"
        )
        raise NothingToDraw(reason)
    scenes: list[Scene] = []
    height = 0.0
    for workload in report.workloads:
        scene = layout(workload, report.diagnostics)
        height += scene.height
        if scenes and height > MAX_HEIGHT:
            break
        scenes.append(scene)
    hidden = len(report.workloads) - len(scenes)
    return render_svg(
        scenes,
        report.diagnostics,
        theme=theme,
        standalone=standalone,
        hidden=hidden,
        outlines=outlines,
    )


def to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """A PNG of a standalone SVG (concrete colours: cairosvg does not resolve CSS variables).

    The scale is lowered as far as needed to keep within MAX_PNG_SIDE and MAX_PNG_PIXELS; below
    the SVG's own size, a line at the top says so.
    """
    import cairosvg

    width, height = _svg_size(svg)
    fitting = _png_fit(width, height, scale)
    if fitting < 1:
        svg = _with_banner(svg, width, height, fitting)
    return cairosvg.svg2png(bytestring=svg.encode(), scale=fitting)


def png_pixels(svg: str, *, scale: float = 2.0) -> int:
    """How many pixels to_png(svg, scale=scale) draws: what drawing it costs grows with them."""
    width, height = _svg_size(svg)
    fitting = _png_fit(width, height, scale)
    banner = BANNER if fitting < 1 else 0
    return math.ceil(width * fitting) * (math.ceil(height * fitting) + banner)


def _svg_size(svg: str) -> tuple[float, float]:
    size = _SIZE.search(svg)
    if size is None:
        raise ValueError("not an SVG drawn by render_svg: no viewBox")
    width, height = (float(n) for n in size.groups())
    return width, height


def _png_fit(width: float, height: float, scale: float) -> float:
    """`scale`, lowered as far as needed to keep within MAX_PNG_SIDE and MAX_PNG_PIXELS."""
    return min(
        scale,
        MAX_PNG_SIDE / width,
        (MAX_PNG_SIDE - BANNER) / height,
        math.sqrt((MAX_PNG_PIXELS - MAX_PNG_SIDE * BANNER) / (width * height)),
    )


def _with_banner(svg: str, width: float, height: float, scale: float) -> str:
    """The SVG with a line above it, as tall at `scale` as BANNER pixels, saying it is shrunk."""
    room = BANNER / scale
    banner = (
        f'<rect x="0" y="{-room:.1f}" width="{width:.0f}" height="{room:.1f}" fill="#fff6e0"/>'
        f'<text x="{8 / scale:.1f}" y="{-room * 0.32:.1f}" font-size="{13 / scale:.1f}" '
        f'font-family="DejaVu Sans, sans-serif" fill="#17202c">Shown at {scale:.0%} of its size '
        f"to fit in a PNG: the SVG has it full size.</text>"
    )
    root = _SIZE.sub(
        f'viewBox="0 {-room:.1f} {width:.0f} {height + room:.1f}" '
        f'width="{width:.0f}" height="{height + room:.1f}"',
        svg,
        count=1,
    )
    head, _, rest = root.partition(">")
    return f"{head}>{banner}{rest}"


__all__ = ["THEMES", "NothingToDraw", "diagram", "to_png"]
