"""Pod diagrams: the model laid out (layout.py) and painted (svg.py), as SVG or PNG."""

from learn.podspec.check import check
from learn.podspec.diagnostics import Report
from learn.podspec.layout import layout
from learn.podspec.svg import THEMES, render_svg


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
) -> str:
    """The SVG of every pod the input describes; problems are drawn where they are.

    `standalone=False` gives the site's variant, coloured through CSS custom properties.
    Raises NothingToDraw when the input describes no pod.
    """
    report = _report(text_or_report, kubernetes_version)
    if not report.objects:
        reason = (
            report.errors[0].message if report.errors else "no Pod or pod template in the input"
        )
        raise NothingToDraw(reason)
    scenes = [layout(workload, report.diagnostics) for workload in report.objects]
    return render_svg(scenes, report.diagnostics, theme=theme, standalone=standalone)


def to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """A PNG of a standalone SVG (concrete colours: cairosvg does not resolve CSS variables)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), scale=scale)


__all__ = ["THEMES", "NothingToDraw", "diagram", "to_png"]
