"""A server-drawn SVG bar chart of a class's progress on each assignment."""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from learn.podspec.measure import fit

COLOURS = {
    "done": "var(--ok)",
    "in-progress": "var(--warn)",
    "late": "var(--danger)",
    "not-started": "var(--line)",
}
ORDER = ("done", "in-progress", "late", "not-started")


def progress_chart(grid) -> SafeString:
    """One bar per assignment, split by status, with a title and description for screen readers."""
    total = len(grid.rows)
    if not grid.items or not total:
        return mark_safe("")  # nothing to chart yet
    label_w, bar_w, row_h = 260, 420, 30
    height = row_h * len(grid.items) + 40
    parts = [
        f'<svg class="class-chart" role="img" aria-labelledby="chart-t chart-d" viewBox="0 0 {label_w + bar_w + 70} {height}" width="{label_w + bar_w + 70}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-t">Progress of the class on each assignment</title>',
    ]
    lines = []
    for index, summary in enumerate(grid.summaries):
        y = 10 + index * row_h
        title = summary.item.title
        parts.append(
            f'<text x="0" y="{y + 16}" class="chart-label"><title>{escape(title)}</title>{escape(fit(title, label_w - 10, 13))}</text>'
        )
        x = label_w
        for status in ORDER:
            count = summary.counts.get(status, 0)
            if count:
                width = bar_w * count / total
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" fill="{COLOURS[status]}"><title>{count} {status.replace("-", " ")}</title></rect>'
                )
                x += width
        done = summary.counts.get("done", 0)
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" class="chart-value">{round(100 * done / total)}%</text>'
        )
        lines.append(
            f"{title}: "
            + ", ".join(f"{summary.counts.get(s, 0)} {s.replace('-', ' ')}" for s in ORDER)
        )
    legend_y = height - 10
    x = label_w
    for status in ORDER:
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{COLOURS[status]}"/><text x="{x + 16}" y="{legend_y}" class="chart-value">{status.replace("-", " ")}</text>'
        )
        x += 105
    parts.insert(2, f'<desc id="chart-d">{escape("; ".join(lines))}.</desc>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text from data is escaped above
