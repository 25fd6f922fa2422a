"""Inputs built to stall or crash the engine: huge names, huge quantities, control characters and
pictures too tall to render. Each gets a normal answer: a drawing, a clear problem, never a 500."""

import re
import struct
import xml.etree.ElementTree as ET

import pytest

from learn.podspec import check, share
from learn.podspec.diagram import BANNER, MAX_PNG_PIXELS, MAX_PNG_SIDE, diagram, to_png
from learn.podspec.measure import MAX_TEXT, fit, text_width
from tests.support import calls_made

HX = {"HX-Request": "true"}
SVG = "{http://www.w3.org/2000/svg}"
HUGE = 250_000


def pod(name="web", container="app", image="nginx:1.27", cpu="100m", memory="64Mi") -> str:
    return f"""\
apiVersion: v1
kind: Pod
metadata: {{name: "{name}"}}
spec:
  containers:
  - name: "{container}"
    image: "{image}"
    resources: {{requests: {{cpu: "{cpu}", memory: "{memory}"}}}}
    volumeMounts: [{{name: data, mountPath: /data}}]
  volumes: [{{name: data, emptyDir: {{}}}}]
"""


def texts(svg: str) -> list[str]:
    """The visible text of every <text> (without tooltips)."""
    root = ET.fromstring(svg)
    return [(t.text or "") + "".join(c.tail or "" for c in t) for t in root.iter(f"{SVG}text")]


def size_of(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return float(root.get("width")), float(root.get("height"))


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", png[16:24])


# Long text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "container", "image"])
def test_a_quarter_million_character_name_is_drawn_shortened(field):
    svg = diagram(pod(**{field: "a" * (HUGE - 1) + "z"}))
    shortened = [t for t in texts(svg) if "…" in t and "aaaa" in t]
    assert shortened
    assert all(len(t) <= MAX_TEXT + 1 for t in shortened)
    assert size_of(svg)[0] < 2000  # the picture stays as wide as a normal pod's
    assert len(svg) < 100_000  # tooltips and the description are bounded too


def test_fit_keeps_both_ends_and_fits_its_width():
    text = "start-" + "x" * 100_000 + "-end"
    shown = fit(text, 200, 12)
    assert shown.startswith("start-")
    assert shown.endswith("end")
    assert "…" in shown
    assert text_width(shown, 12) <= 200
    assert fit("short", 200, 12) == "short"


def test_fit_shortens_text_longer_than_its_bound_even_in_a_wide_box():
    text = "y" * (MAX_TEXT * 3)
    shown = fit(text, 1_000_000, 12)
    assert "…" in shown
    assert len(shown) <= MAX_TEXT + 1


# Quantities --------------------------------------------------------------------------------

HUGE_QUANTITIES = [
    ("cpu", "1" + "0" * 5000),
    ("cpu", "1e" + "1" * 4400),
    ("memory", "1e999999999"),
    ("memory", "1." + "5" * 5000),
    ("cpu", "0." + "0" * 5000 + "1"),
]


@pytest.mark.parametrize(("resource", "quantity"), HUGE_QUANTITIES)
def test_quantities_with_thousands_of_digits_are_invalid_quantities(resource, quantity):
    report = check(pod(**{resource: quantity}))
    [problem] = [d for d in report.errors if d.code == "invalid-quantity"]
    assert resource in problem.message
    assert "too long" in problem.message or "exponent is beyond" in problem.message
    assert len(problem.message) < 300  # the message does not repeat the thousands of digits
    assert report.workloads[0].pod.containers[0].requests.get(resource) is None
    assert "app" in texts(diagram(report))


def test_unquoted_huge_numbers_are_invalid_quantities_too():
    report = check(pod().replace('cpu: "100m"', "cpu: 1" + "0" * 5000))
    assert "invalid-quantity" in {d.code for d in report.errors}


# Characters XML forbids --------------------------------------------------------------------


FORBIDDEN = ["\\x01", "\\x1b", "\\x0b", "\\0", "\\uFFFE"]  # YAML escapes XML 1.0 forbids


@pytest.mark.parametrize("char", FORBIDDEN)
@pytest.mark.parametrize("field", ["name", "container", "image"])
def test_characters_xml_forbids_in_names_give_well_formed_svg(field, char):
    ET.fromstring(diagram(pod(**{field: f"we{char}b"})))


def test_characters_xml_forbids_are_shown_as_replacement_characters_and_render():
    svg = diagram(pod(name="".join(FORBIDDEN), container="a\\x01b", image="i\\x1bj"))
    assert "a\ufffdb" in texts(svg)
    assert png_size(to_png(svg))


# Pictures too tall or too wide -------------------------------------------------------------


def minimal_pods(count: int) -> str:
    return "---\n".join(
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\n"
        f"spec:\n  containers:\n  - {{name: c, image: nginx}}\n"
        for i in range(count)
    )


def widest_pod() -> str:
    """As wide and tall as a pod is drawn: 40 cards of long names, 6 ports and 3 mounts each."""
    containers = "".join(
        f"  - name: {'c' * 40}-{i:02}\n    image: registry.example.com/{'i' * 60}:{i}\n"
        f"    ports: [{', '.join(f'{{containerPort: {1000 + i * 10 + j}}}' for j in range(6))}]\n"
        f"    volumeMounts: [{', '.join(f'{{name: v{j}, mountPath: /data/{i}/{j}}}' for j in range(3))}]\n"
        for i in range(40)
    )
    volumes = ", ".join(f"{{name: v{j}, emptyDir: {{}}}}" for j in range(3))
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: big}}\nspec:\n  containers:\n{containers}  volumes: [{volumes}]\n"


def test_a_hundred_pods_are_summarised_in_the_picture():
    svg = diagram(minimal_pods(100))
    shown = texts(svg)
    assert "Pod p0" in shown
    assert "Pod p99" not in shown
    note = next(t for t in shown if "not drawn" in t)
    drawn = sum(1 for t in shown if re.fullmatch(r"Pod p\d+", t))
    assert f"{100 - drawn} more pods" in note
    assert f"{100 - drawn} more pods" in ET.fromstring(svg).find(f"{SVG}desc").text


def test_a_tall_picture_renders_as_a_bounded_png():
    width, height = png_size(to_png(diagram(minimal_pods(100))))
    assert max(width, height) <= MAX_PNG_SIDE
    assert width * height <= MAX_PNG_PIXELS


def test_a_png_too_large_at_full_size_is_shrunk_and_says_so():
    svg = diagram(widest_pod())
    svg_width, svg_height = size_of(svg)
    assert svg_width * svg_height > MAX_PNG_PIXELS  # too large even at scale 1
    width, height = png_size(to_png(svg))
    assert width * height <= MAX_PNG_PIXELS
    assert width < svg_width
    banner = height - svg_height * width / svg_width  # rows above the picture: the notice
    assert banner == pytest.approx(BANNER, abs=2)


# Through the site --------------------------------------------------------------------------

SITE_INPUTS = {
    "long container name": pod(container="a" * 60_000),
    "long pod name": pod(name="n" * 60_000),
    "long image": pod(image="i" * 60_000),
    "5000-digit cpu": pod(cpu="1" + "0" * 5000),
    "4400-digit exponent": pod(cpu="1e" + "1" * 4400),
    "huge exponent": pod(memory="1e999999999"),
    "control character": pod(container="a\\x01b\\x1bc"),
    "100 pods": minimal_pods(100),
}


@pytest.mark.django_db  # drawn pictures are kept, and drawing spends from a budget, in the database
@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("name", SITE_INPUTS)
def test_diagram_urls_answer_hostile_specs(client, name, fmt):
    response = client.get(f"/diagram/{fmt}/{share.encode(SITE_INPUTS[name])}")
    assert response.status_code == 200
    if fmt == "png":
        assert response.content.startswith(b"\x89PNG")
    else:
        ET.fromstring(response.content)


def post(client, text: str, url: str = "/playground/", headers=None):
    data = {"text": text, "kubernetes_version": "1.35", "profile": "learning"}
    return client.post(url, data, headers=headers or {})


@pytest.mark.django_db
def test_the_playground_draws_a_quarter_million_character_name(client):
    response = post(client, pod(container="a" * HUGE), headers=HX)
    assert response.status_code == 200
    assert 'class="pod-diagram"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SITE_INPUTS)
def test_playground_and_snapshots_answer_hostile_specs(client, settings, name):
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 1000
    assert post(client, SITE_INPUTS[name], headers=HX).status_code == 200
    location = post(client, SITE_INPUTS[name], "/playground/share/")["Location"]
    snapshot_id = location.strip("/").split("/")[-1]
    for url in (location, location + "embed", location + "diagram.svg", location + "diagram.png"):
        assert client.get(url).status_code == 200, url
    assert client.get("/playground/", {"from": snapshot_id}).status_code == 200


def ports(count: int, number: int = 0) -> str:
    """A pod with `count` ports of one number (invalid by default: one problem each)."""
    return pod().replace(
        "    volumeMounts",
        "    ports:\n" + f"    - {{containerPort: {number}}}\n" * count + "    volumeMounts",
    )


def test_thousands_of_problems_are_capped_and_drawn_small():
    report = check(ports(10_000))
    assert len(report.diagnostics) == 501  # 500 kept, and one that says how many more
    assert report.diagnostics[-1].code == "too-many-problems"
    assert len(diagram(report)) < 100_000


def test_thousands_of_one_valid_port_cost_no_more_than_twice_the_work_when_doubled():
    # Each declaration of a port is compared with earlier ones (the API server's warnings).
    _, work = calls_made(lambda: check(ports(2_000, 80)))
    _, doubled = calls_made(lambda: check(ports(4_000, 80)))
    assert doubled < 2.2 * work


def test_twice_the_problems_cost_no_more_than_twice_the_work():
    _, work = calls_made(lambda: diagram(check(ports(2_000))))
    _, doubled = calls_made(lambda: diagram(check(ports(4_000))))
    assert doubled < 2.2 * work
