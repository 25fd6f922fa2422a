"""A run drawn and told: the timeline SVG, its text equivalent and the HTML figure."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings

from learn.podspec.diagram import to_png
from learn.podspec.examples import shipped
from learn.podspec.kubelet import simulate
from learn.podspec.measure import text_width
from learn.podspec.runview import draw_run, run_figure, run_text, when
from learn.podspec.svg import RUN_STYLE, THEMES, _style, site_css
from learn.podspec.timeline import Mark, MarkKind, State
from tests import runs
from tests.test_kubelet_properties import run_input

SVG = "{http://www.w3.org/2000/svg}"
# A run of an hour with 30 containers crash-looping and failing a probe every second draws in
# about 350 KB (26 KB gzipped): this is the bound it must stay within.
LONG_RUN_BYTES = 400_000


def tooltips(svg: str) -> list[str]:
    """The text of every <title> inside the picture (not its own title)."""
    root = ET.fromstring(svg)
    group = root.find(f"{SVG}g")
    return ["".join(t.itertext()) for t in group.iter(f"{SVG}title")]


def texts(svg: str) -> list[str]:
    """The visible text of every <text> (without tooltips)."""
    root = ET.fromstring(svg)
    return [(t.text or "") + "".join(c.tail or "" for c in t) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize(
    "story",
    ["job_with_native_sidecar", "liveness_kills_a_slow_start", "deleted_pod_ignoring_sigterm"],
)
def test_a_run_is_well_formed_accessible_and_self_contained(story, theme):
    timeline = getattr(runs, story)()
    svg = draw_run(timeline, theme=theme)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert timeline.pod in title.text
    assert desc.text.startswith(timeline.outcome.replace("`", ""))
    assert "<script" not in svg
    assert "href" not in svg
    assert "@import" not in svg
    # Patterns are the picture's own: every url() points at an id inside it.
    ids = {element.get("id") for element in root.iter()}
    assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= ids
    assert "var(" not in svg
    assert THEMES[theme]["bg"] in svg


def test_every_container_has_its_row_with_its_name_and_role():
    timeline = runs.deleted_pod_ignoring_sigterm()
    shown = texts(draw_run(timeline))
    for lane in timeline.lanes:
        assert lane.name in shown
    assert "init" in shown
    assert "sidecar" in shown
    assert "app" in shown
    assert "app · 2 restarts" in texts(draw_run(runs.liveness_kills_a_slow_start()))


def test_the_pod_band_shows_phases_and_conditions():
    shown = texts(draw_run(runs.deleted_pod_ignoring_sigterm()))
    for words in (
        "Pending",
        "Running",
        "PodScheduled",
        "Initialized",
        "ContainersReady",
        "Ready",
    ):
        assert words in shown
    tips = tooltips(draw_run(runs.deleted_pod_ignoring_sigterm()))
    assert "Ready True from 20 s to 40 s" in tips
    assert "Initialized False from 0 s to 12 s (ContainersNotInitialized)" in tips


def test_intervals_and_marks_have_tooltips():
    tips = tooltips(draw_run(runs.deleted_pod_ignoring_sigterm()))
    assert "app: ready from 20 s to 40 s" in tips
    assert "app: terminating from 40 s to 70 s" in tips
    assert "proxy: starting (its startup probe has not passed yet) from 5 s to 12 s" in tips
    assert "proxy: startup probe failed at 10 s" in tips
    assert "app: preStop hook at 40 s" in tips
    assert "app: the kubelet sent SIGKILL at 70 s" in tips
    assert "app: exited with code 137 (Error) at 70 s" in tips
    assert "kubectl delete at 40 s" in tips
    assert "removed at 72 s" in tips
    assert "The Pod no longer exists from 72 s on" in tips
    crash = tooltips(draw_run(runs.liveness_kills_a_slow_start()))
    assert "web: liveness probe failed at 10 s" in crash
    assert "web: in back-off (CrashLoopBackOff) from 62 s to 72 s" in crash
    assert "web: started again (restart 2) at 72 s" in crash


def test_exit_codes_and_restart_numbers_are_written_on_the_row():
    shown = texts(draw_run(runs.liveness_kills_a_slow_start()))
    assert shown.count("143") == 3
    assert "↻1" in shown
    assert "↻2" in shown
    assert "137" in texts(draw_run(runs.deleted_pod_ignoring_sigterm()))


def test_a_deleted_pod_has_a_line_across_the_run():
    svg = draw_run(runs.deleted_pod_ignoring_sigterm())
    assert "kubectl delete · 40 s" in texts(svg)
    assert "kubectl delete" not in " ".join(texts(draw_run(runs.job_with_native_sidecar())))


def _look(svg: str, state: str) -> tuple[str, str] | None:
    """How a state's shape is painted: its classes but the state's own name, and its fill."""
    for element in ET.fromstring(svg).iter():
        classes = (element.get("class") or "").split()
        if state in classes:
            classes.remove(state)
            fill = re.sub(r"^url\(#rv[0-9a-f]+-", "url(#", element.get("fill") or "")
            return " ".join(classes), fill
    return None


def test_states_differ_by_pattern_not_only_by_colour():
    svgs = [
        draw_run(runs.deleted_pod_ignoring_sigterm()),
        draw_run(runs.liveness_kills_a_slow_start()),
    ]
    looks = {}
    for state in ("waiting", "starting", "running", "ready", "terminating", "backoff"):
        classes, fill = next(look for svg in svgs if (look := _look(svg, state)))
        # The role class gives the colour: without it, each state must still look different.
        roles = {"init", "sidecar", "app"}
        looks[state] = (" ".join(c for c in classes.split() if c not in roles), fill)
    assert len(set(looks.values())) == len(looks), looks
    assert looks["starting"][1].startswith("url(#hatch-")
    assert looks["terminating"][1].startswith("url(#stripe-")


def test_the_same_run_draws_the_same_bytes():
    assert draw_run(runs.liveness_kills_a_slow_start()) == draw_run(
        runs.liveness_kills_a_slow_start()
    )
    assert run_figure(runs.deleted_pod_ignoring_sigterm()) == run_figure(
        runs.deleted_pod_ignoring_sigterm()
    )


def test_the_site_variant_is_styled_by_the_site():
    svg = draw_run(runs.job_with_native_sidecar(), standalone=False)
    assert "<style" not in svg
    assert 'class="run-diagram"' in svg
    assert ".run-diagram .rv-solid.app{fill:var(--pd-app)}" in site_css()


def test_a_long_busy_run_stays_readable_and_bounded():
    timeline = runs.long_busy_run(lanes=30, end=3600)
    svg = draw_run(timeline)
    assert len(svg) < LONG_RUN_BYTES
    root = ET.fromstring(svg)
    assert int(root.get("height")) < 1700
    assert "60 min" in texts(svg)
    # A second's failures closer than a pixel are one tick, and a burst one tooltip, counted.
    bursts = [t for t in tooltips(svg) if t.startswith("worker-00: readiness probe failed")]
    assert bursts[0].startswith("worker-00: readiness probe failed ")
    assert len(bursts) < 80
    told = sum(int(m[1]) if (m := re.search(r"failed (\d+) times", t)) else 1 for t in bursts)
    assert told == sum(mark.kind == MarkKind.PROBE for mark in timeline.lanes[0].marks)


def test_too_many_marks_are_left_out_and_the_description_says_so():
    timeline = runs.liveness_kills_a_slow_start()
    # An hour is 760 pixels: a hook every 20 s and a signal between are 4 pixels apart, too far
    # to fold into one mark, too many to draw them all.
    marks = [Mark(t, MarkKind.HOOK, "preStop") for t in range(0, 3600, 20)]
    marks += [Mark(t, MarkKind.SIGNAL, "SIGTERM") for t in range(10, 3600, 20)]
    busy = replace(timeline, end=3600, lanes=[replace(timeline.lanes[0], marks=marks)])
    svg = draw_run(busy)
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert "160 marks are not drawn" in desc
    assert len(re.findall('class="rv-(hook|term)"', svg)) == 200 + 2  # and two in the legend


def test_marks_closer_than_two_pixels_are_one_with_a_count():
    timeline = runs.liveness_kills_a_slow_start()
    marks = [Mark(t, MarkKind.EXIT, "Error", ok=False, code=1) for t in (100, 103, 106)]
    busy = replace(timeline, end=3600, lanes=[replace(timeline.lanes[0], marks=marks)])
    tips = tooltips(draw_run(busy))
    assert "web: exited with code 1 (Error) 3 times from 100 s to 106 s" in tips


def test_a_png_can_be_made_of_the_standalone_run():
    png = to_png(draw_run(runs.deleted_pod_ignoring_sigterm()))
    assert png.startswith(b"\x89PNG")


def test_when_writes_seconds_then_minutes():
    assert when(45) == "45 s"
    assert when(119) == "119 s"
    assert when(120) == "2 min"
    assert when(125) == "2 min 5 s"


def test_the_run_in_words_tells_each_moment_in_order():
    text = run_text(runs.deleted_pod_ignoring_sigterm())
    moments = re.findall(r"<strong>At (\d+) s</strong>", text)
    assert moments == sorted(moments, key=int)
    assert "<strong>At 40 s</strong>: The Pod is deleted (<code>kubectl delete</code>)" in text
    assert (
        "The kubelet sends SIGKILL to <code>app</code>. <code>app</code> exits with code 137"
        in text
    )
    assert "Conditions: ContainersReady True, Ready True." in text
    assert "<code>proxy</code> is ready." in text


def test_repeated_events_are_told_once_with_their_count():
    text = run_text(runs.liveness_kills_a_slow_start())
    assert text.count("Liveness probe failed") == 1
    assert (
        "Liveness probe failed: HTTP probe failed with statuscode: 503 (again 8 times, the last at 102 s)"
        in text
    )


class _Parsed(HTMLParser):
    """Collects the text of every element, and every tag opened."""

    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_the_figure_holds_outcome_assumptions_watch_events_and_words():
    html = run_figure(runs.deleted_pod_ignoring_sigterm())
    parsed = _Parsed()
    parsed.feed(html)
    text = "".join(parsed.text)
    assert "The Pod was deleted at 40 s and removed at 72 s." in text
    assert "What this run assumed" in text
    assert "app ignores SIGTERM" in text
    assert "shop   1/2     Terminating   0          40s" in text
    assert "Warning" in text
    assert "Startup probe failed: dial tcp 10.244.0.7:9901: connect: connection refused" in text
    assert "The run in words" in text
    # v1.35's "Container started" names no container: the table and the words give its fieldPath.
    assert text.count("spec.initContainers{proxy}: Container started") == 2
    for tag in ("figure", "svg", "figcaption", "ul", "pre", "table", "th", "details", "ol"):
        assert tag in parsed.tags


def test_the_figure_escapes_a_hostile_container_name():
    hostile = '<script>alert("x")</script>&amp;'
    html = run_figure(runs.deleted_pod_ignoring_sigterm(hostile))
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    svg = draw_run(runs.deleted_pod_ignoring_sigterm(hostile))
    assert hostile in tooltips(svg)  # the name, too wide for its column, is shortened
    assert hostile + ": ready from 20 s to 40 s" in tooltips(svg)


def test_a_name_with_characters_xml_forbids_still_draws():
    svg = draw_run(runs.deleted_pod_ignoring_sigterm("bad\x00name\x1b"))
    ET.fromstring(svg)


def test_waiting_before_the_first_start_is_an_outline():
    svg = draw_run(runs.deleted_pod_ignoring_sigterm())
    assert _look(svg, State.WAITING.value) == ("rv-wait", "")


def test_a_simulated_run_of_the_job_with_a_native_sidecar_is_drawn_and_told():

    timeline = simulate(
        shipped("job-native-sidecar").text, "containers: {report: {exits_after: 20}}"
    )
    svg = draw_run(timeline)
    assert "uploader" in texts(svg)
    assert "report" in texts(svg)
    assert "Succeeded" in texts(svg)
    html = run_figure(timeline)
    assert "Completed" in html
    assert "<code>uploader</code>" in html


def test_an_event_repeated_every_second_for_an_hour_is_told_once_a_burst():
    text = run_text(runs.long_busy_run(lanes=10))
    # The readiness failures of worker-00 come every second: one line with a count.
    assert text.count("Readiness probe failed") == 1
    assert "(again 3598 times, the last at 59 min 59 s)" in text
    assert text.count("<li>") <= 202  # MAX_MOMENTS, the line saying more, and the end
    assert "<strong>At 60 min</strong>: the run ends here." in text


def test_a_restart_is_told_after_the_exit_and_back_off_before_it():
    text = run_text(runs.liveness_kills_a_slow_start())
    assert (
        "<code>web</code> exits with code 143 (Error). <code>web</code> is started again (restart 1)."
        in text
    )
    assert "<code>web</code> waits 10 s before it is started again (back-off)." in text


@settings(max_examples=40, deadline=None)
@given(run_input())
def test_every_simulated_run_draws_and_tells(given_input):
    timeline = simulate(*given_input)
    svg = draw_run(timeline, standalone=False)
    shown = texts(svg)
    assert all(lane.name in shown for lane in timeline.lanes)
    html = run_figure(timeline)
    parsed = _Parsed()
    parsed.feed(html)
    assert parsed.tags.count("figure") == 1
    assert f"<strong>At {when(timeline.end)}</strong>: the run ends here." in html


def test_containers_beyond_forty_are_counted_not_drawn():
    svg = draw_run(runs.long_busy_run(lanes=45, end=60))
    assert "worker-39" in texts(svg)
    assert "worker-40" not in texts(svg)
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert "5 more containers not drawn" in desc


@pytest.mark.parametrize(
    ("end", "labels"),
    [
        (32, ["0 s", "5 s", "10 s", "15 s", "20 s", "25 s", "30 s"]),
        (500, ["0 min", "1 min", "2 min", "3 min", "4 min", "5 min", "6 min", "7 min", "8 min"]),
        (3600, ["0 min", "10 min", "20 min", "30 min", "40 min", "50 min", "60 min"]),
    ],
)
def test_the_axis_has_six_to_ten_round_ticks(end, labels):
    svg = draw_run(replace(runs.job_with_native_sidecar(), end=end))
    root = ET.fromstring(svg)
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert ticks == labels


def _x_ends(svg: str, css: str) -> list[float]:
    """The right end of every shape of class `css`: rects by x + width, paths by their last H."""
    ends = []
    for element in ET.fromstring(svg).iter():
        if css not in element.get("class", "").split():
            continue
        if element.tag == f"{SVG}rect":
            ends.append(float(element.get("x")) + float(element.get("width")))
        else:
            ends.append(float(re.findall(r"[HM]([\d.]+)", element.get("d"))[-1]))
    return ends


def test_the_phase_and_conditions_end_where_the_pod_was_removed():
    timeline = runs.deleted_pod_ignoring_sigterm()  # removed at 72 s of 80, Failed from 72 s
    svg = draw_run(timeline)
    removed = float(re.search(r'class="rv-removed" d="M([\d.]+)', svg).group(1))
    for css in ("rv-phase", "rv-true", "rv-false"):
        assert _x_ends(svg, css)
        assert max(_x_ends(svg, css)) <= removed
    assert "Failed" not in texts(svg)
    tips = tooltips(svg)
    assert "Pod Running from 12 s to 72 s" in tips
    assert "Ready False from 40 s to 72 s (ContainersNotReady)" in tips


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _over(colour: str, opacity: float, base: str) -> str:
    """`colour` painted at `opacity` over `base`."""
    mixed = (
        round(int(colour[i : i + 2], 16) * opacity + int(base[i : i + 2], 16) * (1 - opacity))
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _contrast(ink: str, paper: str) -> float:
    light, dark = sorted((_luminance(ink), _luminance(paper)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _phase_paper(theme: str, shape: ET.Element) -> str:
    """The colour a phase's label is written on: its shape's fill over the Pod's band."""
    phase = shape.get("class").split()[-1]
    rule = re.search(rf"\.rv-phase\.{phase}\{{([^}}]*)\}}", _style(theme, RUN_STYLE)).group(1)
    band = THEMES[theme]["pod-bg"]
    fill = re.search(r"fill:(#[0-9a-f]{6}|none)", rule).group(1)
    if fill == "none":
        return band
    opacity = re.search(r"fill-opacity:([\d.]+)", rule)
    return _over(fill, float(opacity.group(1)) if opacity else 1.0, band)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_phase_label_has_aa_contrast_in_both_themes(theme):
    removed = runs.deleted_pod_ignoring_sigterm()  # Failed as it is removed, at 72 s
    failed = replace(removed, removed_at=None, deleted_at=None)
    seen = set()
    for timeline in (removed, failed, runs.job_with_native_sidecar()):
        svg = draw_run(timeline, theme=theme)
        root = ET.fromstring(svg)
        shapes = [e for e in root.iter(f"{SVG}rect") if "rv-phase" in e.get("class", "")]
        veil = re.search(r'class="rv-gone" x="([\d.]+)"', svg)
        for label in root.iter(f"{SVG}text"):
            if "rv-phase-text" not in label.get("class", ""):
                continue
            x = float(label.get("x"))
            shape = next(s for s in shapes if 0 < x - float(s.get("x")) < float(s.get("width")))
            on_solid = "rv-on-solid" in label.get("class")
            ink, paper = (
                THEMES[theme]["chip-ink" if on_solid else "ink"],
                _phase_paper(theme, shape),
            )
            if veil and x > float(veil.group(1)):  # what follows a removal is veiled
                bg = THEMES[theme]["bg"]
                ink, paper = _over(bg, 0.7, ink), _over(bg, 0.7, paper)
            assert _contrast(ink, paper) >= 4.5, (label.text, theme)
            seen.add(label.text)
    assert seen == {"Pending", "Running", "Succeeded", "Failed"}


def _labels(svg: str) -> list[tuple[str, float, float, float]]:
    """Each exit code and restart number written on a row (not the legend's): its text, left
    and right ends, and baseline."""
    out = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("transform"):
            continue  # the legend's glyphs
        for text in group.findall(f"{SVG}text"):
            if text.get("class") not in ("rv-code", "rv-code bad", "rv-restart"):
                continue
            width = text_width(text.text, 11, bold=True)
            x = float(text.get("x"))
            left = x - width if text.get("text-anchor") == "end" else x
            out.append((text.text, left, left + width, float(text.get("y"))))
    return out


def test_crowded_exit_codes_and_restart_numbers_overlap_nothing():
    # Killed for memory every few seconds, then after longer back-offs: the first minute crowds.
    base = runs.liveness_kills_a_slow_start()
    marks = []
    for number, time in enumerate((20, 41, 51, 72, 92, 113, 153, 234, 395), start=1):
        marks.append(Mark(time - 1, MarkKind.EXIT, "OOMKilled", ok=False, code=137))
        marks.append(Mark(time, MarkKind.START, f"restart {number}"))
    svg = draw_run(replace(base, end=600, lanes=[replace(base.lanes[0], marks=marks)]))
    labels = _labels(svg)
    assert any("OOMKilled" in text for text, *_ in labels)
    assert any(text.startswith("↻") for text, *_ in labels)
    for n, (text, left, right, y) in enumerate(labels):
        for other, left2, right2, y2 in labels[n + 1 :]:
            assert y != y2 or right < left2 or right2 < left, (text, other)
    # Exit and restart lines reach into the row of exit codes: none may cross one.
    lines = [float(x) for x in re.findall(r'class="rv-exit" d="M([\d.]+)', svg)]
    for text, left, right, _ in labels:
        if not text.startswith("↻"):
            assert not any(left - 1 < x < right + 1 for x in lines), text


def test_the_legend_shows_each_role_colour_in_use_and_says_fill_is_the_state():
    legend = texts(draw_run(runs.job_with_native_sidecar()))
    assert {"colour = role:", "sidecar", "app container", "fill = state:", "ready"} <= set(legend)
    assert "init container" not in legend  # no init container in this run
    assert "init container" in texts(draw_run(runs.deleted_pod_ignoring_sigterm()))


def test_the_figure_says_what_the_simulator_does_not_model():
    html = run_figure(runs.job_with_native_sidecar())
    limits = html.index('class="run-figure__limits"')
    assert html.index("What this run assumed") < limits < html.index("kubectl get pod -w")
    for words in ("image pull failures", "eviction", "postStart", "Job", "restart rules"):
        assert words in html[limits : html.index("</p>", limits)]
