"""A simulated run of a Pod (timeline.Timeline) drawn and told: a timeline SVG of every
container's states beside the Pod's phase and conditions, with the moments that mattered (probe
results, signals, exits, restarts); the same run in words; and the HTML figure every surface shows
a run in, with the outcome, the assumptions, `kubectl get pod -w` and the Events.

The picture speaks the pod diagram's visual language (svg.py): its themes, font and role colours,
and its two variants: standalone, with the theme's colours in an embedded stylesheet (files, PNG),
and the site's, styled by pod-diagram.css and following the page's light or dark theme.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from html import escape

from learn.podspec import kubectl
from learn.podspec.figure import code_spans
from learn.podspec.layout import MARGIN
from learn.podspec.measure import fit, text_width
from learn.podspec.svg import DESCRIPTION, RUN_STYLE, THEME_NAMES, _num, _xml, stylesheet
from learn.podspec.timeline import (
    CONDITIONS,
    Event,
    Interval,
    Lane,
    Mark,
    MarkKind,
    State,
    Timeline,
)
from learn.podspec.wording import count

ID = "\x00run\x00"  # stands for the picture's id until it is drawn
PLOT = 680  # pixels of the time axis, whatever the run's length: the picture fits a page's column
LABELS = (110, 200)  # the narrowest and widest column of container names
# A container's row, top to bottom: signals, hooks and restart numbers; probe ticks; its state
# bar; exit codes. The rows' offsets in it, and the bar's height:
LANE = 46
SIGNAL_ROW, TICK_ROW, BAR, BAR_H = 1, 9, 16, 16
PHASE, CONDITION = 24, 15  # heights of the Pod's phase row and of each condition's row
AXIS, LEGEND_ROW = 34, 22
# Beyond these a picture is no longer read, only scrolled, and its size grows for nothing: the
# rest is counted in the description (and every moment is still in the Events and the text).
MAX_LANES = 40
MAX_MARKS = 200  # drawn per lane, after ticks closer than a pixel are merged
BURST = 10  # pixels: probe results of one kind closer than this are one mark with one tooltip
FOLD = 2  # pixels: signals, hooks, exits or restarts closer than this are drawn as one
MIN_WIDTH = 0.5  # pixels: a state shorter than this is not drawn (no one could see or point at it)
STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800)  # seconds between axis ticks
MAX_MOMENTS = 200  # items of the run told in words
REPEATS = 60  # seconds: an Event repeated within this is counted, not told again
MAX_EVENTS = 200  # rows of the Events table
NOT_MODELLED = (
    "Not simulated: image pull failures, node failures and eviction, postStart hook failures, "
    "the Job's retries with new Pods after the first, and per-container restart rules."
)
STATE_WORDS = {
    State.WAITING: "waiting to start",
    State.STARTING: "starting (its startup probe has not passed yet)",
    State.RUNNING: "running, not ready",
    State.READY: "ready",
    State.TERMINATING: "terminating",
    State.BACKOFF: "in back-off (CrashLoopBackOff)",
}
# A row's colour is its container's role, its fill or pattern the state; the legend shows the
# states in this neutral colour so that neither reads as the other.
KEY = "key"
ROLE_WORDS = {"init": "init container", "sidecar": "sidecar", "app": "app container"}
LEGEND_STATES = {
    State.WAITING: "waiting",
    State.STARTING: "starting",
    State.RUNNING: "running, not ready",
    State.READY: "ready",
    State.TERMINATING: "terminating",
    State.BACKOFF: "back-off",
}


def when(seconds: int) -> str:
    """A moment of the run in words: "45 s", "2 min", "2 min 5 s"."""
    if seconds < 120:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _plain(text: str) -> str:
    """A sentence written for HTML (names in `backticks`) made plain for <title> and <desc>."""
    return text.replace("`", "")


@dataclass(frozen=True)
class _Frame:
    """Where the run's seconds go across the picture."""

    left: float  # x of second 0
    end: int

    def x(self, seconds: float) -> float:
        return self.left + min(seconds, self.end) * PLOT / self.end


def _step(end: int) -> int:
    """Seconds between axis ticks: the smallest round step giving at most 10 ticks."""
    return next((step for step in STEPS if end / step <= 10), STEPS[-1])


def _tick_label(seconds: int, step: int) -> str:
    """Seconds while the ticks are less than a minute apart, whole minutes after."""
    return f"{seconds} s" if step < 60 else f"{seconds // 60} min"


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Adjacent intervals in the same state as one (a restart that changes nothing visible)."""
    out: list[Interval] = []
    for interval in intervals:
        if interval.end <= interval.start:
            continue
        if out and out[-1].state == interval.state and out[-1].end == interval.start:
            out[-1] = replace(out[-1], end=interval.end)
        else:
            out.append(interval)
    return out


def _titled(element: str, tip: str) -> str:
    """An element with a tooltip: `element` is an opening tag without its closing '>'."""
    name = element[1 : element.index(" ")]
    return f"{element}><title>{_xml(tip)}</title></{name}>"


def _patterns(ident: str, roles: Iterable[str]) -> str:
    """The fills that tell states apart by more than colour: hatching for starting, stripes over a
    light fill for terminating, one of each per role colour."""
    out = []
    for role in sorted(set(roles)):
        out.append(
            f'<pattern id="{ident}-hatch-{role}" patternUnits="userSpaceOnUse" width="6" '
            f'height="6"><path class="rv-hatch {role}" d="M-1 1l2-2M0 6l6-6M5 7l2-2"/></pattern>'
        )
        out.append(
            f'<pattern id="{ident}-stripe-{role}" patternUnits="userSpaceOnUse" width="10" '
            f'height="10"><rect class="rv-solid rv-light {role}" width="10" height="10"/>'
            f'<path class="rv-stripe" d="M-1 9l2 2M0 0l10 10M9-1l2 2"/></pattern>'
        )
    return f"<defs>{''.join(out)}</defs>"


def _state_shape(state: State, role: str, ident: str, x: float, y: float, w: float) -> str:
    """The opening tag of one state's shape on a bar at (x, y), `w` wide ("": not drawn)."""
    box = f'x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{BAR_H}"'
    mid = _num(y + BAR_H / 2)
    return {
        State.WAITING: f'<rect class="waiting rv-wait" {box}',
        State.STARTING: f'<rect class="starting rv-pat {role}" {box} fill="url(#{ident}-hatch-{role})"',
        State.RUNNING: f'<rect class="running rv-solid rv-light {role}" {box}',
        State.READY: f'<rect class="ready rv-solid {role}" {box}',
        State.TERMINATING: f'<rect class="terminating rv-pat {role}" {box} fill="url(#{ident}-stripe-{role})"',
        State.BACKOFF: f'<path class="backoff rv-backoff" d="M{_num(x + 2)} {mid}H{_num(x + max(w - 2, 2))}"',
        State.EXITED: "",
    }[state]


def _triangle(x: float, y: float, css: str) -> str:
    return f'<path class="{css}" d="M{_num(x - 4)} {_num(y)}h8l-4 8z"'


def _grouped(marks: Iterable[Mark], frame: _Frame, reach: float) -> list[list[Mark]]:
    """Marks of one kind (and detail, and outcome) as groups: a mark within `reach` pixels of the
    one before it of its kind joins its group, drawn once with one tooltip that counts them."""
    groups: list[list[Mark]] = []
    latest: dict[tuple[MarkKind, str, bool], tuple[float, list[Mark]]] = {}
    for mark in marks:
        # Restarts fold whatever their number and exits whatever their code; probe results,
        # signals and hooks only with their own kind and outcome.
        folds = mark.kind in (MarkKind.START, MarkKind.EXIT)
        key = (mark.kind, "" if folds else mark.detail, folds or mark.ok)
        x = frame.x(mark.time)
        previous, group = latest.get(key, (-reach - 1, []))
        if group and x - previous <= reach:
            group.append(mark)
        else:
            group = [mark]
            groups.append(group)
        latest[key] = (x, group)
    return groups


def _span(group: list[Mark]) -> str:
    """ "at 12 s", or "3 times from 12 s to 40 s" for a group of marks."""
    if len(group) == 1:
        return f"at {when(group[0].time)}"
    return f"{len(group)} times from {when(group[0].time)} to {when(group[-1].time)}"


def _probe_marks(lane: Lane, frame: _Frame, y: float) -> list[tuple[float, str]]:
    """Probe results as ticks above the bar: one path (and one tooltip) per burst of results of
    the same probe and outcome, with ticks closer than a pixel drawn once."""
    probes = (mark for mark in lane.marks if mark.kind == MarkKind.PROBE)
    out: list[tuple[float, str]] = []
    for burst in _grouped(probes, frame, BURST):
        height = 4 if burst[0].ok else 6
        xs = sorted({round(frame.x(m.time)) for m in burst})
        d = "".join(f"M{x} {_num(y + 6 - height)}v{height}" for x in xs)
        verb = "passed" if burst[0].ok else "failed"
        tip = f"{lane.name}: {burst[0].detail} probe {verb} {_span(burst)}"
        css = "rv-ok" if burst[0].ok else "rv-fail"
        out.append((frame.x(burst[0].time), _titled(f'<path class="{css}" d="{d}"', tip)))
    return out


@dataclass(frozen=True)
class _Label:
    """Words under a mark, if there is room: lower `rank` is placed first."""

    rank: int
    slot: int  # the mark it belongs to
    top: bool  # in the row above the bar (restart numbers) or below it (exit codes)
    x: float
    text: str
    css: str
    before: bool  # written left of x (an exit code, where its bar ends) or right of it

    @property
    def span(self) -> tuple[float, float]:
        width = text_width(self.text, 11, bold=True)
        return (self.x - 2 - width, self.x - 2) if self.before else (self.x + 2, self.x + 2 + width)

    def svg(self, y: str) -> str:
        anchor = ' text-anchor="end"' if self.before else ""
        left = _num(self.x - 2 if self.before else self.x + 2)
        return f'<text class="{self.css}" x="{left}" y="{y}"{anchor}>{_xml(self.text)}</text>'


def _moment_marks(lane: Lane, frame: _Frame, top: float) -> list[tuple[float, str]]:
    """Signals, hooks, exits (with their code) and restarts (numbered) on a lane, those closer
    than FOLD pixels folded into one. Exit codes are written first, then restart numbers where
    room is left above the bar, each on either side of its mark: a label that would overlap another label, a mark, or an exit or
    restart line (which reaches into the row of exit codes) is left out (its tooltip stays)."""
    moments = (
        m for m in lane.marks if m.kind != MarkKind.PROBE and (m.kind != MarkKind.START or m.detail)
    )
    shapes: list[tuple[float, str, str]] = []  # each mark's x, tooltip and shape
    labels: list[_Label] = []
    # Room for words in the row above the bar and the one below: none may reach into the column
    # of names, left of second 0, past the picture's right edge, nor over a signal or a hook.
    edges = [(0.0, frame.left - 4), (frame.x(frame.end) + MARGIN, float("inf"))]
    taken: dict[bool, list[tuple[float, float]]] = {True: list(edges), False: list(edges)}
    for group in _grouped(moments, frame, FOLD):
        mark, last, slot = group[0], group[-1], len(shapes)
        x = frame.x(mark.time)
        line = f'<path class="rv-exit" d="M{_num(x)} {_num(top + BAR)}v{BAR_H + 4}"/>'
        if mark.kind == MarkKind.SIGNAL:
            css = "rv-kill" if mark.detail == "SIGKILL" else "rv-term"
            tip = f"{lane.name}: the kubelet sent {mark.detail} {_span(group)}"
            shapes.append((x, tip, f"{_triangle(x, top + SIGNAL_ROW, css)}/>"))
            taken[True].append((x - 4, x + 4))
        elif mark.kind == MarkKind.HOOK:
            box = f'x="{_num(x - 3)}" y="{_num(top + SIGNAL_ROW + 1)}" width="6" height="6"'
            tip = f"{lane.name}: {mark.detail} hook {_span(group)}"
            shapes.append((x, tip, f'<rect class="rv-hook" {box}/>'))
            taken[True].append((x - 3, x + 3))
        elif mark.kind == MarkKind.EXIT:
            codes = ", ".join(
                dict.fromkeys(f"{m.code}" + (f" ({m.detail})" if m.detail else "") for m in group)
            )
            shapes.append((x, f"{lane.name}: exited with code {codes} {_span(group)}", line))
            taken[False].append((x - 1, x + 1))
            code = "" if last.code is None else str(last.code)
            css = "rv-code bad" if code != "0" else "rv-code"
            # Out of memory is the one reason the code alone does not tell (137 is any SIGKILL):
            # it is written too, where there is room.
            if last.detail == "OOMKilled":
                labels.append(_Label(0, slot, False, x, f"{code} OOMKilled", css, before=True))
            if code:
                labels.append(_Label(1, slot, False, x, code, css, before=True))
        else:
            details = last.detail if len(group) == 1 else f"{mark.detail} to {last.detail}"
            shapes.append((x, f"{lane.name}: started again ({details}) {_span(group)}", line))
            taken[False].append((x - 1, x + 1))
            number = last.detail.split()[-1]
            labels.append(_Label(2, slot, True, x, f"↻{number}", "rv-restart", before=False))
    # Each label is tried on its own side of the mark first (an exit code where its bar ends, a
    # restart number where the new bar starts), then on the other (over a back-off's gap).
    tries = [side for label in labels for side in (label, replace(label, before=not label.before))]
    written: dict[int, str] = {}
    for label in sorted(tries, key=lambda label: (label.rank, label.x)):
        left, right = label.span
        row = taken[label.top]
        if label.slot not in written and all(right < a or left > b for a, b in row):
            row.append((left - 3, right + 3))  # words keep 3 px apart
            y = top + SIGNAL_ROW + 8 if label.top else top + BAR + BAR_H + 10
            written[label.slot] = label.svg(_num(y))
    return [
        (x, f"<g><title>{_xml(tip)}</title>{shape}{written.get(slot, '')}</g>")
        for slot, (x, tip, shape) in enumerate(shapes)
    ]


def _lane(
    lane: Lane, frame: _Frame, top: float, ident: str, labels: float
) -> tuple[list[str], int]:
    """One container's row, and how many of its marks were left out."""
    role = str(lane.role)
    restarts = f" · {count(lane.restarts, 'restart')}" if lane.restarts else ""
    name = fit(lane.name, labels, 13, bold=True)
    tip = f"<title>{_xml(lane.name)}</title>" if name != lane.name else ""
    out = [
        f'<text class="name" x="{MARGIN}" y="{_num(top + 21)}">{tip}{_xml(name)}</text>',
        f'<text class="role {role}" x="{MARGIN}" y="{_num(top + 37)}">{role}{restarts}</text>',
    ]
    y = top + BAR
    for interval in _merged(lane.intervals):
        x1, x2 = frame.x(interval.start), frame.x(interval.end)
        shape = _state_shape(interval.state, role, ident, x1, y, x2 - x1)
        if shape and x2 - x1 >= MIN_WIDTH:
            tip_text = (
                f"{lane.name}: {STATE_WORDS[interval.state]} "
                f"from {when(interval.start)} to {when(interval.end)}"
            )
            out.append(_titled(shape, tip_text))
    marks = sorted(
        _probe_marks(lane, frame, top + TICK_ROW) + _moment_marks(lane, frame, top),
        key=lambda mark: mark[0],
    )
    out += [svg for _, svg in marks[:MAX_MARKS]]
    return out, max(0, len(marks) - MAX_MARKS)


def _existed(timeline: Timeline) -> int:
    """The second the Pod stopped existing: its removal from the API, or the run's end."""
    removed = timeline.removed_at
    return timeline.end if removed is None else min(removed, timeline.end)


def _segments(timeline: Timeline, condition: str) -> list[tuple[int, int, bool, str]]:
    """A condition's (start, end, status, reason) spans while the Pod existed; False until it
    is set."""
    last = _existed(timeline)
    spans: list[tuple[int, int, bool, str]] = []
    status, reason, since = False, "", 0
    for change in timeline.conditions:
        if change.condition != condition:
            continue
        if change.time >= last:
            break
        if change.status != status or change.reason != reason:
            if change.time > since:
                spans.append((since, change.time, status, reason))
            status, reason, since = change.status, change.reason, change.time
    if last > since:
        spans.append((since, last, status, reason))
    return spans


def _band(timeline: Timeline, frame: _Frame, top: float) -> list[str]:
    """The Pod's row: its phases, labelled where they fit, then one line per condition, thick
    while True; all of them end where the Pod was removed (nothing has a phase after that)."""
    out = [f'<text class="name" x="{MARGIN}" y="{_num(top + 17)}">Pod phase</text>']
    last = _existed(timeline)
    for span in timeline.phases:
        end = min(span.end, last)
        if end <= span.start:
            continue
        x1, x2 = frame.x(span.start), frame.x(end)
        phase = str(span.phase)
        box = f'x="{_num(x1)}" y="{_num(top + 3)}" width="{_num(x2 - x1)}" height="18"'
        tip = f"Pod {phase} from {when(span.start)} to {when(end)}"
        out.append(_titled(f'<rect class="rv-phase {phase.lower()}" {box} rx="3"', tip))
        if text_width(phase, 12) + 8 <= x2 - x1:
            solid = " rv-on-solid" if phase in ("Succeeded", "Failed") else ""
            out.append(
                f'<text class="rv-phase-text{solid}" x="{_num(x1 + 4)}" y="{_num(top + 16)}">'
                f"{phase}</text>"
            )
    y = top + PHASE
    for condition in CONDITIONS:
        out.append(f'<text class="muted" x="{MARGIN}" y="{_num(y + 11)}">{condition}</text>')
        for start, end, status, reason in _segments(timeline, condition):
            x1, x2 = frame.x(start), frame.x(end)
            why = f" ({reason})" if reason else ""
            tip = f"{condition} {status} from {when(start)} to {when(end)}{why}"
            css = "rv-true" if status else "rv-false"
            out.append(
                _titled(f'<path class="{css}" d="M{_num(x1)} {_num(y + 7)}H{_num(x2)}"', tip)
            )
        y += CONDITION
    return out


def _grid(frame: _Frame, top: float, lanes_top: float, lanes: int) -> str:
    """Faint lines under everything: one down from each axis tick, one between containers."""
    bottom = lanes_top + lanes * LANE
    d = [
        f"M{_num(frame.x(s))} {_num(top)}V{_num(bottom)}"
        for s in range(0, frame.end + 1, _step(frame.end))
    ]
    d += [
        f"M{MARGIN} {_num(lanes_top + n * LANE)}H{_num(frame.x(frame.end))}"
        for n in range(1, lanes)
    ]
    return f'<path class="rv-grid" d="{"".join(d)}"/>'


def _axis(frame: _Frame, bottom: float) -> list[str]:
    """The axis under the containers, with round ticks labelled."""
    step = _step(frame.end)
    axis = [
        f'<path class="rv-axis" d="M{_num(frame.left)} {_num(bottom)}H{_num(frame.x(frame.end))}"/>'
    ]
    for seconds in range(0, frame.end + 1, step):
        x = _num(frame.x(seconds))
        axis.append(f'<path class="rv-axis" d="M{x} {_num(bottom)}v5"/>')
        axis.append(
            f'<text class="muted" x="{x}" y="{_num(bottom + 18)}" text-anchor="middle">'
            f"{_tick_label(seconds, step)}</text>"
        )
    axis.append(f'<text class="muted" x="{MARGIN}" y="{_num(bottom + 18)}">since creation</text>')
    return axis


def _veil(timeline: Timeline, frame: _Frame, top: float, bottom: float) -> str:
    """What follows a Pod's removal, veiled: the API no longer has the Pod (only the simulation
    saw its last states)."""
    if timeline.removed_at is None or timeline.removed_at >= frame.end:
        return ""
    x = frame.x(timeline.removed_at)
    box = f'x="{_num(x)}" y="{_num(top)}" width="{_num(frame.x(frame.end) - x)}" height="{_num(bottom - top)}"'
    tip = f"The Pod no longer exists from {when(timeline.removed_at)} on"
    return _titled(f'<rect class="rv-gone" {box}', tip)


def _deletion(timeline: Timeline, frame: _Frame, top: float, bottom: float) -> list[str]:
    """A line across the whole run where the Pod was deleted, and where it was gone, each
    labelled above the Pod's row: the deletion left of its line where there is room, the
    removal right of its own, so the two never meet."""
    out = []
    taken = -1.0
    moments = [
        (timeline.deleted_at, "rv-delete", "kubectl delete", True),
        (timeline.removed_at, "rv-removed", "removed", False),
    ]
    for time, css, words, before in moments:
        if time is None:
            continue
        x = frame.x(time)
        tip = f"{words} at {when(time)}"
        out.append(_titled(f'<path class="{css}" d="M{_num(x)} {_num(top)}V{_num(bottom)}"', tip))
        label = f"{words} · {when(time)}"
        width = text_width(label, 12, bold=True)
        start = x - 3 - width if before and x - 3 - width >= frame.left else x + 3
        start = min(start, frame.x(frame.end) - width)
        if start >= taken + 6:
            out.append(
                f'<text class="rv-delete-text" x="{_num(start)}" y="{_num(top - 4)}">{label}</text>'
            )
            taken = start + width
    return out


def _legend(ident: str, timeline: Timeline, width: float, top: float) -> tuple[list[str], float]:
    """The legend's glyphs and words, in rows as wide as the picture; and its height."""
    kinds = {(mark.kind, mark.ok, mark.detail) for lane in timeline.lanes for mark in lane.marks}
    present = {kind for kind, _, _ in kinds}
    roles = {str(lane.role) for lane in timeline.lanes[:MAX_LANES]}
    items: list[tuple[str, str]] = [("", "colour = role:")]
    for role, words in ROLE_WORDS.items():
        if role in roles:
            box = f'<rect class="rv-solid {role}" x="0" y="-11" width="22" height="12"/>'
            items.append((box, words))
    items.append(("", "fill = state:"))
    for state, words in LEGEND_STATES.items():
        shape = _state_shape(state, KEY, ident, 0, -11, 22)
        items.append((f"{shape}/>", words))
    if any(kind == MarkKind.PROBE and not ok for kind, ok, _ in kinds):
        items.append(('<path class="rv-fail" d="M11 -11v8"/>', "probe failed"))
    if (MarkKind.PROBE, True) in {(kind, ok) for kind, ok, _ in kinds}:
        items.append(('<path class="rv-ok" d="M11 -8v5"/>', "probe passed"))
    for signal, css in (("SIGTERM", "rv-term"), ("SIGKILL", "rv-kill")):
        if (MarkKind.SIGNAL, True, signal) in kinds:
            items.append((f"{_triangle(11, -11, css)}/>", signal))
    if MarkKind.HOOK in present:
        items.append(('<rect class="rv-hook" x="8" y="-10" width="6" height="6"/>', "hook"))
    if MarkKind.EXIT in present:
        items.append(
            ('<text class="rv-code bad" x="22" y="0" text-anchor="end">137</text>', "exit code")
        )
    if any(kind == MarkKind.START and detail for kind, _, detail in kinds):
        items.append(('<text class="rv-restart" x="2" y="0">↻2</text>', "restart number"))
    if timeline.deleted_at is not None:
        items.append(('<path class="rv-delete" d="M11 -13v14"/>', "kubectl delete"))
    if timeline.removed_at is not None:
        items.append(('<path class="rv-removed" d="M11 -13v14"/>', "removed from the API"))
    out, x, y = [], float(MARGIN), top + 14
    for glyph, words in items:
        indent = 28 if glyph else 0  # a heading ("colour = role:") has no glyph
        advance = indent + text_width(words, 12, bold=not glyph) + (18 if glyph else 8)
        if x + advance > width - MARGIN and x > MARGIN:
            x, y = MARGIN, y + LEGEND_ROW
        if glyph:
            out.append(f'<g transform="translate({_num(x)} {_num(y)})">{glyph}</g>')
        text = f'x="{_num(x + indent)}" y="{_num(y)}">{_xml(words)}</text>'
        out.append(f'<text class="{"legend" if glyph else "legend rv-key"}" {text}')
        x += advance
    return out, y - top + 8


def _description(timeline: Timeline, shown: list[Lane], left_out: int) -> str:
    """The picture in one paragraph: the outcome, then each container's role and restarts."""
    parts = [_plain(timeline.outcome)] if timeline.outcome else []
    containers = []
    for lane in shown:
        restarts = f", restarted {count(lane.restarts, 'time')}" if lane.restarts else ""
        containers.append(f"{lane.name} ({lane.role}{restarts})")
    if containers:
        parts.append(f"Containers, one row each: {', '.join(containers)}.")
    hidden = len(timeline.lanes) - len(shown)
    if hidden:
        parts.append(
            f"{count(hidden, 'more container')} not drawn: the picture would be too tall to read."
        )
    if left_out:
        parts.append(
            f"{left_out} marks are not drawn, on rows too busy to read them; the Events list every one."
        )
    return " ".join(parts)


def draw_run(timeline: Timeline, *, theme: str = "light", standalone: bool = True) -> str:
    """An SVG timeline of a run: the Pod's phase and conditions, then one row per container with
    its states, probe results, signals, exits and restarts, over an axis of seconds; a legend.

    `standalone=False` gives the site's variant, coloured by pod-diagram.css through CSS custom
    properties (no <style>, which the site's Content Security Policy would refuse).
    """
    if theme not in THEME_NAMES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEME_NAMES)}")
    shown = timeline.lanes[:MAX_LANES]
    labels = min(
        max([LABELS[0], *(text_width(lane.name, 13, bold=True) for lane in shown)]), LABELS[1]
    )
    frame = _Frame(MARGIN + labels + 16, max(timeline.end, 1))
    width = round(frame.x(frame.end) + MARGIN + 8)
    # The ids come from what is drawn (hashed at the end), so the same run gives the same bytes
    # and different runs on one page do not share ids; until then, a stand-in no text can hold
    # (_xml turns NUL into U+FFFD).
    ident = ID
    kind = f" · one Pod of a {timeline.kind}" if timeline.kind != "Pod" else ""
    title = f"Pod {timeline.pod}{kind}: its first {when(frame.end)}"
    deleted = timeline.deleted_at is not None or timeline.removed_at is not None
    band_top = MARGIN + 30 + (16 if deleted else 0)
    lanes_top = band_top + PHASE + CONDITION * len(CONDITIONS) + 10
    bottom = lanes_top + LANE * len(shown)
    body: list[str] = [
        f'<text class="title" x="{MARGIN}" y="{MARGIN + 15}">{_xml(fit(title, width - 2 * MARGIN, 15, bold=True))}</text>',
        f'<rect class="rv-band" x="{_num(frame.left)}" y="{band_top}" width="{PLOT}" '
        f'height="{lanes_top - band_top - 6}"/>',
        _grid(frame, band_top, lanes_top, len(shown)),
        *_band(timeline, frame, band_top),
        _veil(timeline, frame, band_top, bottom),
    ]
    left_out = 0
    for number, lane in enumerate(shown):
        drawn, missing = _lane(lane, frame, lanes_top + number * LANE, ident, labels)
        body += drawn
        left_out += missing
    body += _deletion(timeline, frame, band_top, bottom)
    legend, legend_height = _legend(ident, timeline, width, bottom + AXIS)
    height = round(bottom + AXIS + legend_height + MARGIN)
    desc = _description(timeline, shown, left_out)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="run-diagram" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{_xml(title, DESCRIPTION)}</title>',
        f'<desc id="{ident}-d">{_xml(desc, DESCRIPTION)}</desc>',
        f"<style>{stylesheet(theme, RUN_STYLE, '#' + ident)}</style>" if standalone else "",
        f'<g id="{ident}">',
        _patterns(ident, [KEY, *(str(lane.role) for lane in shown)]),
        f'<rect class="rv-bg" x="0" y="0" width="{width}" height="{height}"/>',
        *body,
        *_axis(frame, bottom),
        *legend,
        "</g>",
        "</svg>",
    ]
    svg = "\n".join(line for line in out if line) + "\n"
    digest = hashlib.sha256(f"{svg}|{theme}|{standalone}".encode()).hexdigest()[:8]
    return svg.replace(ID, f"rv{digest}")


def _lane_story(lane: Lane) -> list[tuple[int, str]]:
    """What a container did, beyond its Events: restarts, signals, exits, then readiness and
    back-off (in that order within a second: it exits, then waits)."""
    name = f"`{lane.name}`"
    out: list[tuple[int, str]] = []
    for mark in lane.marks:
        if mark.kind == MarkKind.SIGNAL:
            out.append((mark.time, f"The kubelet sends {mark.detail} to {name}."))
        elif mark.kind == MarkKind.HOOK:
            out.append((mark.time, f"{name} runs its {mark.detail} hook."))
        elif mark.kind == MarkKind.EXIT:
            reason = f" ({mark.detail})" if mark.detail else ""
            out.append((mark.time, f"{name} exits with code {mark.code}{reason}."))
        elif mark.kind == MarkKind.START and mark.detail:
            out.append((mark.time, f"{name} is started again ({mark.detail})."))
    previous: State | None = None
    for interval in _merged(lane.intervals):
        if interval.state == State.READY:
            out.append((interval.start, f"{name} is ready."))
        elif interval.state == State.RUNNING and previous == State.READY:
            out.append((interval.start, f"{name} is no longer ready."))
        elif interval.state == State.RUNNING and previous == State.STARTING:
            out.append((interval.start, f"{name} has started: its startup probe passed."))
        elif interval.state == State.BACKOFF:
            wait = f"{name} waits {interval.seconds} s before it is started again (back-off)."
            out.append((interval.start, wait))
        previous = interval.state
    return out


def _event_story(events: list[Event]) -> list[tuple[int, str]]:
    """Each Event at its time; one that comes again within REPEATS seconds of its last time is
    counted there instead of told again (a probe failing every second for an hour is one line a
    minute, not 3,600)."""
    bursts: list[list[Event]] = []
    latest: dict[tuple[str | None, str, str, str], list[Event]] = {}
    for event in events:
        key = (event.container, event.type, event.reason, event.message)
        burst = latest.get(key)
        if burst and event.time - burst[-1].time <= REPEATS:
            burst.append(event)
        else:
            latest[key] = [event]
            bursts.append(latest[key])
    out = []
    for burst in bursts:
        first, last = burst[0], burst[-1]
        again = len(burst) - 1
        counted = f" (again {count(again, 'time')}, the last at {when(last.time)})" if again else ""
        warning = f"Warning ({first.reason}): " if first.type == "Warning" else ""
        # Since v1.35 "Container started" names no container: say which, as describe does.
        where = f"{first.field_path}: " if first.field_path else ""
        out.append((first.time, f"{warning}{where}{first.message}{counted}."))
    return out


def _pod_story(timeline: Timeline) -> list[tuple[int, str]]:
    """The Pod's phase, deletion, conditions and removal over the run."""
    out: list[tuple[int, str]] = []
    previous = None
    for span in timeline.phases:
        if span.phase != previous and span.end > span.start:
            out.append((span.start, f"The Pod is {span.phase}."))
        previous = span.phase
    deleted = timeline.deleted_at
    if deleted is not None:
        out.append(
            (deleted, "The Pod is deleted (`kubectl delete`): kubectl shows it Terminating.")
        )
    changed: dict[int, list[str]] = {}
    status: dict[str, bool] = {}
    for change in timeline.conditions:
        if status.get(change.condition) != change.status:
            why = f" ({change.reason})" if change.reason else ""
            changed.setdefault(change.time, []).append(f"{change.condition} {change.status}{why}")
            status[change.condition] = change.status
    out += [(time, f"Conditions: {', '.join(parts)}.") for time, parts in changed.items()]
    if timeline.removed_at is not None:
        out.append((timeline.removed_at, "The Pod is removed: the API no longer has it."))
    return out


def run_text(timeline: Timeline) -> str:
    """The run in words, as HTML: an ordered list of the moments something happened and what
    did, for screen readers and wherever the picture is not shown."""
    moments: dict[int, list[str]] = {}
    story = _pod_story(timeline) + _event_story(timeline.events)
    for lane in timeline.lanes:
        story += _lane_story(lane)
    for time, sentence in sorted(story, key=lambda item: item[0]):
        moments.setdefault(time, []).append(sentence)
    items = [
        f"<li><strong>At {when(time)}</strong>: {' '.join(code_spans(s) for s in sentences)}</li>"
        for time, sentences in sorted(moments.items())
    ]
    more = len(items) - MAX_MOMENTS
    if more > 0:
        items = [*items[:MAX_MOMENTS], f"<li>… and {more} more moments: the Events list them.</li>"]
    items.append(f"<li><strong>At {when(timeline.end)}</strong>: the run ends here.</li>")
    return f'<ol class="run-text">{"".join(items)}</ol>'


def run_figure(timeline: Timeline, *, standalone: bool = False, theme: str = "light") -> str:
    """The HTML figure every surface shows a run in: the timeline, the outcome, what the run
    assumed and what no run simulates, `kubectl get pod -w`, the Events as `kubectl describe pod` lists them at the end,
    and the run in words. Everything from the spec and the scenario is escaped."""
    picture = draw_run(timeline, theme=theme, standalone=standalone)
    assumed = "".join(f"<li>{code_spans(sentence)}</li>" for sentence in timeline.assumptions)
    rows = timeline.rows[:MAX_EVENTS]
    watch = escape(kubectl.watch_table(rows, timeline.pod))
    if len(timeline.rows) > len(rows):
        watch += f"\n… and {len(timeline.rows) - len(rows)} more lines"
    events = kubectl.event_rows(timeline.events, timeline.described_at)
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in events[:MAX_EVENTS]
    )
    if len(events) > MAX_EVENTS:
        cells += f'<tr><td colspan="5">… and {len(events) - MAX_EVENTS} more events</td></tr>'
    head = "".join(
        f'<th scope="col">{name}</th>' for name in ("Type", "Reason", "Age", "From", "Message")
    )
    # The table and the get -w lines scroll sideways on a phone: tabindex lets the keyboard
    # scroll them (axe: scrollable-region-focusable). The table's name is a line above its
    # scroller rather than a <caption>, which would scroll away with the table; its id is the
    # picture's, unique on the page.
    label = picture[picture.index('<g id="') + 7 :].split('"', 1)[0] + "-events"
    table = (
        f'<p class="run-figure__label" id="{label}">Events, as <code>kubectl describe pod</code> '
        f"lists them at {when(timeline.described_at)}"
        f"{', just before it is removed' if timeline.removed_at is not None else ''}</p>"
        f'<div class="run-figure__events" tabindex="0" role="region" aria-labelledby="{label}">'
        f'<table aria-labelledby="{label}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{cells or '<tr><td colspan="5">none</td></tr>'}</tbody></table></div>"
    )
    return (
        '<figure class="run-figure">'
        '<p class="run-figure__scroll" aria-hidden="true">Scroll sideways for the whole run →</p>'
        '<div class="run-figure__timeline" tabindex="0" role="region" aria-label="Timeline of the run">'
        f"{picture}</div><figcaption>"
        f'<p class="run-figure__outcome">{code_spans(timeline.outcome)}</p>'
        + (
            '<p class="run-figure__label">What this run assumed</p>'
            f'<ul class="run-figure__assumptions">{assumed}</ul>'
            if assumed
            else ""
        )
        + f'<p class="run-figure__limits">{NOT_MODELLED}</p>'
        + '<p class="run-figure__label"><code>kubectl get pod -w</code></p>'
        f'<pre class="run-figure__watch" tabindex="0">{watch}</pre>'
        f"{table}"
        f"<details><summary>The run in words</summary>{run_text(timeline)}</details>"
        "</figcaption></figure>"
    )
