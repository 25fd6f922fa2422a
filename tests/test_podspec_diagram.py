"""Pod diagrams: what is drawn, that nothing overlaps, escaping, determinism, formats."""

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learn.podspec import check
from learn.podspec.diagram import NothingToDraw, diagram, to_png
from learn.podspec.layout import Box, layout
from learn.podspec.svg import THEME_NAMES, plain, site_css
from tests.support import APP, DEPLOYMENT, SIDECAR_POD, calls_made, pod

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """The visible text of every <text> (without tooltips)."""
    root = ET.fromstring(svg)
    return [(t.text or "") + "".join(c.tail or "" for c in t) for t in root.iter(f"{SVG}text")]


def test_everything_in_the_model_is_drawn():
    svg = diagram(SIDECAR_POD)
    shown = texts(svg)
    for name in ("migrate", "proxy", "warm-cache", "web", "shipper", "logs"):
        assert name in shown
    assert "1 · init" in shown
    assert "2 · sidecar" in shown
    assert "4 · app" in shown
    assert "8080/TCP · web" in shown
    assert "/var/log/nginx · read-write" in shown
    assert "/logs · read-only" in shown
    assert "emptyDir" in shown
    assert "starts before the apps, stops after" in shown


def test_svg_is_accessible_and_self_contained():
    svg = diagram(SIDECAR_POD)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text.startswith("Pod shop: pod with 2 inits, 1 sidecar, 2 apps")
    assert "effective pod requests" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in svg
    assert "href" not in svg
    assert "@import" not in svg
    assert "url(" not in svg


def test_controller_is_drawn_around_the_pod():
    shown = texts(diagram(DEPLOYMENT))
    assert "Deployment shop · 3 replicas" in shown
    assert "Pod template shop" in shown


def test_site_variant_is_styled_by_the_site_and_standalone_by_itself():
    site = diagram(SIDECAR_POD, standalone=False)
    assert "<style" not in site  # the site's Content Security Policy allows no inline style
    standalone = diagram(SIDECAR_POD, theme="dark")
    assert "var(" not in standalone
    assert "#0f141b" in standalone


def test_the_site_stylesheet_is_generated_from_the_painter():
    css = (Path(__file__).parent.parent / "static" / "css" / "pod-diagram.css").read_text()
    assert css == site_css(), "run `make diagram-css`"
    assert "--pd-ink:light-dark(#17202c,#e6ebf2)" in css


def test_problems_are_marked_with_their_messages():
    broken = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")
    svg = diagram(broken)
    root = ET.fromstring(svg)
    marks = [
        g.findtext(f"{SVG}title") or ""
        for g in root.iter(f"{SVG}g")
        if (g.get("class") or "").startswith("pd-mark")
    ]
    assert any("[undefined-volume]" in m and "mounts `logs`" in m for m in marks)
    assert "no such volume" in texts(svg)
    assert 'class="pd-wire bad"' in svg
    assert 'class="pd-volume ghost"' in svg


def test_text_from_the_spec_is_escaped():
    hostile = SIDECAR_POD.replace("name: shipper", 'name: "<script>x</script>"')
    svg = diagram(hostile)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)  # still well-formed


def test_long_names_are_shortened_with_the_full_name_as_tooltip():
    long = SIDECAR_POD.replace(
        "name: shipper", "name: " + "a-very-long-container-name-" * 3 + "end"
    )
    svg = diagram(long)
    assert (
        "a-very-long-container-name-a-very-long-container-name-a-very-long-container-name-end"
        in svg
    )
    assert any("…" in t for t in texts(svg))


def test_unparseable_input_cannot_be_drawn():
    with pytest.raises(NothingToDraw):
        diagram("kind: [")
    with pytest.raises(NothingToDraw):
        diagram("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")


def test_png_export():
    png = to_png(diagram(SIDECAR_POD))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


# Overlap checks on the geometry ------------------------------------------------------------


def segments(points):
    return list(itertools.pairwise(points))


def crosses(segment, box: Box, shrink: float = 1.0) -> bool:
    """Whether an axis-parallel segment passes through the inside of a box."""
    (x1, y1), (x2, y2) = segment
    inner = Box(box.x + shrink, box.y + shrink, box.w - 2 * shrink, box.h - 2 * shrink)
    lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return lo_x < inner.right and hi_x > inner.x and lo_y < inner.bottom and hi_y > inner.y


def overlaps(scene) -> list[str]:
    problems = []
    labels = scene.text_boxes()
    for i, (a, box_a) in enumerate(labels):
        for b, box_b in labels[i + 1 :]:
            if box_a.overlaps(box_b):
                problems.append(f"text {a!r} overlaps text {b!r}")
    solid = [("card " + c.container.name, c.box) for c in scene.cards]
    solid += [("volume " + v.name, v.box) for v in scene.volumes]
    for i, (a, box_a) in enumerate(solid):
        for b, box_b in solid[i + 1 :]:
            if box_a.overlaps(box_b):
                problems.append(f"{a} overlaps {b}")
    for wire in scene.wires:
        for segment in segments(wire.points):
            for name, box in solid:
                if crosses(segment, box):
                    problems.append(f"line {wire.mount.mount_path} crosses {name}")
            for other in scene.wires:
                if crosses(segment, other.label.box, shrink=0):
                    problems.append(
                        f"line {wire.mount.mount_path} crosses label {other.label.text!r}"
                    )
    for wire in scene.wires:
        for name, box in solid:
            if wire.label.box.overlaps(box):
                problems.append(f"label {wire.label.text!r} overlaps {name}")
    return problems


def scenes(text: str):
    report = check(text)
    return [layout(w, report.diagnostics) for w in report.workloads]


@pytest.mark.parametrize("text", [SIDECAR_POD, DEPLOYMENT])
def test_nothing_overlaps_in_the_examples(text):
    for scene in scenes(text):
        assert overlaps(scene) == []


NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,30}[a-z0-9]", fullmatch=True)


@st.composite
def pods(draw):
    """Pods of up to 12 containers and 12 volumes with random mounts and ports."""
    volume_count = draw(st.integers(0, 12))
    volumes = [f"v{i}-{draw(NAMES)}" for i in range(volume_count)]
    lines = ["apiVersion: v1", "kind: Pod", f"metadata: {{name: {draw(NAMES)}}}", "spec:"]
    for key, count in (
        ("initContainers", draw(st.integers(0, 4))),
        ("containers", draw(st.integers(1, 8))),
    ):
        if not count:
            continue
        lines.append(f"  {key}:")
        for i in range(count):
            name = f"{key[0]}{i}-{draw(NAMES)}"
            lines.append(f"  - name: {name}\n    image: {draw(NAMES)}:{draw(st.integers(0, 99))}")
            if key == "initContainers" and draw(st.booleans()):
                lines.append("    restartPolicy: Always")
            ports = draw(st.lists(st.integers(1, 65535), max_size=2, unique=True))
            if ports:
                lines.append(
                    "    ports: [" + ", ".join(f"{{containerPort: {p}}}" for p in ports) + "]"
                )
            mounted = (
                draw(st.lists(st.sampled_from(volumes), max_size=3, unique=True)) if volumes else []
            )
            if mounted:
                lines.append("    volumeMounts:")
                for j, volume in enumerate(mounted):
                    path = "/" + "/".join(draw(st.lists(NAMES, min_size=1, max_size=3)))
                    lines.append(
                        f"    - {{name: {volume}, mountPath: {path}{j}, readOnly: {str(draw(st.booleans())).lower()}}}"
                    )
    if volumes:
        lines.append("  volumes:")
        lines += [f"  - {{name: {v}, emptyDir: {{}}}}" for v in volumes]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(pods())
def test_nothing_overlaps_in_generated_pods(text):
    for scene in scenes(text):
        assert overlaps(scene) == []


def test_cli_draws_svg_and_png(tmp_path, capsys):
    from learn.podspec.cli import main

    spec = tmp_path / "pod.yaml"
    spec.write_text(SIDECAR_POD)
    assert main(["diagram", str(spec)]) == 0
    assert capsys.readouterr().out.startswith("<svg")
    out = tmp_path / "pod.png"
    assert main(["diagram", str(spec), "-o", str(out), "--theme", "dark"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    svg = tmp_path / "pod.svg"
    assert main(["diagram", str(spec), "-o", str(svg)]) == 0
    assert 'role="img"' in svg.read_text()
    assert main(["diagram", str(spec), "-o", str(svg), "--plain"]) == 0
    assert "<style" not in svg.read_text()
    assert 'fill="#1c6b3a"' in svg.read_text()  # light colours on the shapes themselves


EXAMPLES = sorted((Path(__file__).parent.parent / "learn/podspec/examples").glob("*.yaml"))


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_a_plain_picture_looks_exactly_like_the_styled_one(example, theme):
    # For programs that ignore SVG's CSS: the same picture, its colours on each shape. Cairo
    # reads the stylesheet, so both must give the same pixels ("auto" plain is the light one).
    styled = diagram(example.read_text(), theme=theme)
    flat = plain(styled)
    assert "<style" not in flat
    ET.fromstring(flat)  # still well-formed
    light = styled if theme != "auto" else diagram(example.read_text(), theme="light")
    assert to_png(flat) == to_png(light)


def test_a_plain_picture_carries_each_shape_s_colours():
    flat = plain(diagram(SIDECAR_POD, theme="light"))
    assert '<rect class="pd-card app" ' in flat
    app_card = flat.split('<rect class="pd-card app" ')[1].split("/>")[0]
    assert 'stroke="#1c6b3a"' in app_card  # the app colour, from `.pd-card.app` over `.pd-card`
    assert 'fill="#ffffff"' in app_card
    assert 'stroke-dasharray="2 3"' in flat  # a read-only mount's dotted wire


def test_cli_says_when_it_cannot_draw(tmp_path, capsys):
    from learn.podspec.cli import main

    spec = tmp_path / "broken.yaml"
    spec.write_text("kind: [")
    assert main(["diagram", str(spec)]) == 1
    assert "cannot draw" in capsys.readouterr().err
    assert main(["diagram", str(tmp_path / "missing.yaml")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["diagram", str(spec), "-o", "out.gif"])
    assert exit_info.value.code == 2


def test_cli_encodes_specs_for_diagram_urls(tmp_path, capsys):
    from learn.podspec.cli import main
    from learn.podspec.share import decode

    spec = tmp_path / "pod.yaml"
    spec.write_text(SIDECAR_POD)
    assert main(["encode", str(spec)]) == 0
    assert decode(capsys.readouterr().out.strip()) == SIDECAR_POD


def test_a_card_lists_every_probe_on_as_many_lines_as_it_needs():
    probe = "{httpGet: {path: /healthz, port: 8080}}"
    spec = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n"
        f"  - {{name: api, image: nginx:1.27, startupProbe: {probe}, livenessProbe: {probe},"
        f" readinessProbe: {probe}}}\n"
    )
    texts = [
        t.text for t in ET.fromstring(diagram(check(spec))).iter("{http://www.w3.org/2000/svg}text")
    ]
    assert "probes: startup, liveness," in texts
    assert "readiness" in texts
    assert not any("…" in (t or "") and "probes" in (t or "") for t in texts)


def test_a_mount_without_a_name_is_drawn():
    report = check(pod(APP + "  volumeMounts: [{mountPath: /x}]\n"))
    assert [d.code for d in report.errors] == ["missing-field"]
    assert "(no name)" in diagram(report)


def _mounting(cards: int, per_card: int) -> str:
    """A pod of `cards` containers, each mounting every one of `per_card` volumes."""
    containers = "".join(
        f"  - name: c{i}\n    image: app\n    volumeMounts:\n"
        + "".join(f"    - {{name: v{j}, mountPath: /m/{i}/{j}}}\n" for j in range(per_card))
        for i in range(cards)
    )
    volumes = "".join(f"  - {{name: v{j}, emptyDir: {{}}}}\n" for j in range(per_card))
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n{containers}  volumes:\n{volumes}"


def test_placing_mount_labels_does_not_grow_with_the_square_of_the_mounts():
    # Four times the mounts (120, the most drawn) cost 11.4 times the work when each label sorted
    # every line of its band again; with the index of gaps, 8.6 times (quadratic would be 16).
    # Counted in calls, so a busy machine cannot flake it.
    def work(cards: int) -> int:
        report = check(_mounting(cards, 3))
        layout(report.workloads[0], report.diagnostics)  # text widths measured and kept
        scene, calls = calls_made(lambda: layout(report.workloads[0], report.diagnostics))
        assert len(scene.wires) == cards * 3
        return calls

    assert work(40) < 10 * work(10)


def test_a_jobs_frame_says_how_its_pods_run_as_written():
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: render}\nspec:\n"
        "  completions: 9\n  parallelism: 3\n  completionMode: Indexed\n  template:\n"
        "    spec:\n      restartPolicy: Never\n"
        "      containers: [{name: worker, image: busybox:1.36.1}]\n"
    )
    assert "Job render · 9 completions, 3 at a time, indexed" in diagram(job)
    shape = "  completions: 9\n  parallelism: 3\n  completionMode: Indexed\n"
    assert ">Job render</text>" in diagram(job.replace(shape, ""))  # nothing written, nothing said
