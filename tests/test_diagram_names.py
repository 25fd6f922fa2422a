"""What pod diagrams call things: named ports, image names, problem marks by severity."""

import xml.etree.ElementTree as ET

from learn.podspec import check
from learn.podspec.describe import names, outline
from learn.podspec.diagram import diagram
from learn.podspec.examples import shipped
from learn.podspec.layout import fit_image
from learn.podspec.measure import text_width
from tests.support import pod

SVG = "{http://www.w3.org/2000/svg}"
DIGEST = "sha256:" + "0123456789abcdef" * 4


def texts(svg: str) -> list[str]:
    """The visible text of every <text> (without tooltips)."""
    root = ET.fromstring(svg)
    return [(t.text or "") + "".join(c.tail or "" for c in t) for t in root.iter(f"{SVG}text")]


def tooltips(svg: str) -> list[str]:
    """The tooltip (<title>) of every <text>."""
    root = ET.fromstring(svg)
    return [t.findtext(f"{SVG}title") or "" for t in root.iter(f"{SVG}text")]


def words(text: str) -> str:
    """Everything the diagram says in words: the outline of every workload."""
    report = check(text)
    return " ".join(
        line
        for workload in report.workloads
        for lines in outline(workload, report.diagnostics).values()
        for line in lines
    )


def test_a_named_container_port_is_drawn_as_written_and_marked_invalid():
    text = shipped("broken-deployment").text
    svg = diagram(text)
    shown = texts(svg)
    assert "“http”/TCP (invalid) · web" in shown
    assert "port “http”/TCP (invalid)" in shown
    assert "None" not in svg
    assert "ports “http”/TCP (invalid)" in words(text)
    assert "ports: “http”/TCP (invalid) on web" in words(text)
    assert "None" not in words(text)


def test_a_port_without_a_number_says_so():
    text = pod("""
        containers:
        - name: web
          image: nginx:1.27
          ports:
          - name: http
    """)
    assert "?/TCP (no number) · web" in texts(diagram(text))
    assert "ports ?/TCP (no number)" in words(text)


def test_an_image_keeps_its_registry_in_the_picture_and_in_words():
    text = pod("""
        containers:
        - name: web
          image: ghcr.io/example/web:1.0
    """)
    assert "ghcr.io/example/web:1.0" in texts(diagram(text))
    assert "app container web (ghcr.io/example/web:1.0)" in words(text)


def test_a_long_image_breaks_after_its_path_with_the_whole_name_as_tooltip():
    image = f"registry.example.com:5000/team/app:1.2@{DIGEST}"
    text = pod(f"""
        containers:
        - name: web
          image: {image}
    """)
    svg = diagram(text)
    shown = texts(svg)
    assert "registry.example.com:5000/team/" in shown
    assert "app:1.2@sha256:01234567…" in shown
    assert tooltips(svg).count(image) == 2  # on both of its lines
    assert f"app container web ({image})" in words(text)


def test_an_image_too_long_for_a_line_keeps_its_registry_start_and_its_tag():
    image = "registry.example.com/" + "platform-team/" * 5 + "billing-service:2.4.1"
    fitted = fit_image(image, 208, 12)
    assert fitted.startswith("registry.")
    assert fitted.endswith("…/billing-service:2.4.1")
    assert text_width(fitted, 12) <= 208
    # Cut where a path component ends, and a digest shortened further before the name is cut.
    assert fit_image("registry.example.com:5000/platform/shop/", 208, 12) == (
        "registry.example.com:5000/…/"
    )
    assert fit_image(f"catalog-cache@{DIGEST}", 208, 12) == "catalog-cache@sha256:0123…"


def marks(svg: str) -> list[str]:
    """Each problem mark's class (its severity) and the shape it is drawn as."""
    root = ET.fromstring(svg)
    shapes = (f"{SVG}circle", f"{SVG}path")
    return [
        f"{g.get('class')} {next(c.tag for c in g if c.tag in shapes).removeprefix(SVG)}"
        for g in root.iter(f"{SVG}g")
        if (g.get("class") or "").startswith("pd-mark")
    ]


def test_warnings_are_drawn_apart_from_errors_and_the_legend_says_where_to_read_them():
    text = shipped("logging-sidecar").text
    report = check(text, profile="production")
    assert report.warnings
    assert not report.errors
    svg = diagram(report)
    assert marks(svg)
    assert all(m == "pd-mark warning path" for m in marks(svg))
    shown = texts(svg)
    assert "warning: accepted, but worth a look" in shown
    assert "error: the API server rejects this" not in shown
    assert "each mark's message: hover it, or read the problems listed in words" in shown
    errors = diagram(shipped("broken-deployment").text)
    assert "pd-mark error circle" in marks(errors)


def test_a_snapshot_is_named_by_its_workloads():
    assert names(check(shipped("broken-deployment").text).workloads) == "Deployment catalog"
    two = (
        pod("containers: [{name: a, image: x}]\n")
        + "---\n"
        + pod("containers: [{name: b, image: y}]", name="other")
    )
    assert names(check(two).workloads) == "Pod web and 1 more"
    assert names([]) == ""


def test_a_port_clash_that_is_a_warning_is_outlined_as_one():
    svg = diagram(shipped("broken").text)
    assert 'class="pd-chip warn"' in svg
    assert 'class="pd-chip bad"' not in svg
