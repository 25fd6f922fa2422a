"""The geometry of a class's progress chart, one bar per assignment split by status; drawn as
SVG by templates/partials/progress_chart.html."""

from dataclasses import dataclass

from learn.podspec.measure import fit

COLOURS = {
    "done": "var(--ok)",
    "in-progress": "var(--warn)",
    "late": "var(--danger)",
    "not-started": "var(--muted)",  # a bar of only "not started" must show on dark too
}
ORDER = ("done", "in-progress", "late", "not-started")
# Each assignment's title stands above its bar, so that the chart is narrow enough to stay legible
# scaled down to a phone's width (510 px drawn in about 360: text at 70%).
BAR_WIDTH, VALUE_WIDTH, ROW_HEIGHT = 420, 90, 50
WIDTH = BAR_WIDTH + VALUE_WIDTH
LABEL_SIZE = 13  # px, as .chart-label in the stylesheet: labels are fitted to WIDTH at it
LEGEND_STEP = 105


@dataclass(frozen=True)
class Segment:
    """One status's share of a bar."""

    x: float
    width: float
    count: int
    status: str
    colour: str

    @property
    def words(self) -> str:
        return self.status.replace("-", " ")


@dataclass(frozen=True)
class Bar:
    """One assignment's bar, its label and its share done."""

    y: int
    title: str
    label: str  # the title fitted to the label column
    segments: tuple[Segment, ...]
    percent_done: int

    @property
    def text_y(self) -> int:
        return self.y + 13

    @property
    def bar_y(self) -> int:
        return self.y + 20

    @property
    def value_y(self) -> int:
        return self.bar_y + 15


@dataclass(frozen=True)
class LegendEntry:
    x: int
    words: str
    colour: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG needs, measured here so that the template only places it."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    legend: tuple[LegendEntry, ...]
    description: str  # the chart's numbers as one sentence, for screen readers

    @property
    def value_x(self) -> int:
        return BAR_WIDTH + 8

    @property
    def legend_y(self) -> int:
        return self.height - 10

    @property
    def legend_box_y(self) -> int:
        return self.legend_y - 10


def progress_chart(grid) -> Chart | None:
    """The chart of a class grid (None when there is nothing to chart yet)."""
    total = len(grid.rows)
    if not grid.items or not total:
        return None
    bars, lines = [], []
    for index, summary in enumerate(grid.summaries):
        title = summary.item.title
        x: float = 0
        segments = []
        for status in ORDER:
            if count := summary.counts.get(status, 0):
                width = BAR_WIDTH * count / total
                segments.append(Segment(x, width, count, status, COLOURS[status]))
                x += width
        bars.append(
            Bar(
                10 + index * ROW_HEIGHT,
                title,
                fit(title, WIDTH, LABEL_SIZE),
                tuple(segments),
                round(100 * summary.counts.get("done", 0) / total),
            )
        )
        counts = ", ".join(f"{summary.counts.get(s, 0)} {s.replace('-', ' ')}" for s in ORDER)
        lines.append(f"{title}: {counts}")
    legend = tuple(
        LegendEntry(i * LEGEND_STEP, status.replace("-", " "), COLOURS[status])
        for i, status in enumerate(ORDER)
    )
    return Chart(
        WIDTH,
        ROW_HEIGHT * len(grid.items) + 40,
        tuple(bars),
        legend,
        "; ".join(lines) + ".",
    )
