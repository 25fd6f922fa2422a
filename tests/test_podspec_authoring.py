"""Pod diagrams where authors write outside this site: Python-Markdown (with fenced_code or
pymdownx.superfences), an MkDocs site (docs-example/), and the `podspec diagram` command for
build pipelines."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from learn.podspec.cli import main
from learn.podspec.figure import pod_figure
from learn.podspec.markdown import PodFigureExtension, fence_format, fence_validator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs-example"
GOOD = "apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n"
BAD = GOOD.replace(
    "image: nginx:1.27}", "image: nginx:1.27, volumeMounts: [{name: data, mountPath: /d}]}"
)
DOCUMENT = f'# Pods\n\n```pod title="Demo"\n{GOOD}```\n\n```pod broken\n{BAD}```\n'
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
DARK = "@media (prefers-color-scheme:dark)"


def pictures(html: str) -> list[str]:
    """Each SVG in the page, after checking that it is well-formed XML and self-contained: no
    link, no URL other than its own namespace and its own ids, no font or stylesheet to fetch."""
    found = SVG.findall(html)
    for svg in found:
        ET.fromstring(svg)  # raises on anything a strict XML reader would refuse
        outside = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"https?:|href=|@import|@font-face|url\((?!#)", outside), outside[:300]
    return found


def test_a_figure_outside_the_site_colours_itself_light_and_dark():
    # It used to lean on the site's stylesheet: any other page drew a solid black box.
    html, _ = pod_figure(GOOD)
    (svg,) = pictures(html)
    assert "<style>" in svg
    assert DARK in svg
    assert "var(--" not in svg  # no custom property that only the site's CSS defines
    assert "#ffffff" in svg
    assert "#0f141b" in svg
    # Line numbers set apart from the YAML, which reads "9spec:" without the site's CSS.
    assert "1 apiVersion: v1\n2 kind: Pod" in re.sub(r"<[^>]+>", "", html)


def test_the_site_still_colours_its_own_figures():
    html, _ = pod_figure(GOOD, standalone=False)
    assert "<style>" not in html


@pytest.mark.parametrize(
    "extensions", [["fenced_code", "learn.podspec.markdown"], ["learn.podspec.markdown"]]
)
def test_python_markdown_draws_pod_blocks_with_their_text_equivalent(extensions):
    html = markdown.markdown(DOCUMENT + f"\n```pod-run\n{GOOD}```\n", extensions=extensions)
    assert len(pictures(html)) == 3  # the two figures and the run's timeline
    assert html.count(DARK) == 3
    assert "language-pod" not in html  # taken before fenced_code makes it a code block
    assert html.count("<summary>The diagram in words</summary>") == 2
    assert "Demo" in html
    assert "(this spec has mistakes on purpose)" in html
    assert '<code class="problem__code">undefined-volume</code>' in html


SUPERFENCES = {
    "pymdownx.superfences": {
        "custom_fences": [
            {
                "name": "pod",
                "class": "pod-figure",
                "validator": fence_validator,
                "format": fence_format,
            }
        ]
    }
}


def test_superfences_draws_pod_blocks_as_a_custom_fence():
    html = markdown.markdown(
        DOCUMENT + '\n```pod colour="red"\nkind: Pod\n```\n',
        extensions=["pymdownx.superfences"],
        extension_configs=SUPERFENCES,
    )
    assert len(pictures(html)) == 2
    assert html.count(DARK) == 2
    assert "Demo" in html
    assert "(this spec has mistakes on purpose)" in html
    assert '<code class="problem__code">undefined-volume</code>' in html
    # An option the figure does not know leaves the block as it was written.
    assert 'colour="red"' in html


def test_the_extension_beside_superfences_keeps_every_block_s_line():
    extension = PodFigureExtension()
    html = markdown.Markdown(extensions=["pymdownx.superfences", extension]).convert(DOCUMENT)
    assert len(pictures(html)) == 2
    assert [block.line for block in extension.blocks] == [3, 11]


def build(config: str, tmp_path: Path) -> str:
    """The example site built by MkDocs with one of its configurations: its page's HTML."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", site],
        cwd=EXAMPLE,
        check=True,
        capture_output=True,
    )
    return (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs-superfences.yml"])
def test_the_example_mkdocs_site_builds_with_self_contained_figures(config, tmp_path):
    page = build(config, tmp_path)
    assert len(pictures(page)) == 2
    assert page.count(DARK) == 2
    assert page.count("<summary>The diagram in words</summary>") == 2
    assert "log-shipper" in page
    assert "Spot the mistake (this spec has mistakes on purpose)" in page
    assert '<code class="problem__code">undefined-volume</code>' in page


@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "background"), [("light", "#ffffff"), ("dark", "#0f141b")])
def test_the_example_site_s_diagrams_follow_the_reader_s_theme(
    browser, tmp_path, scheme, background
):
    build("mkdocs.yml", tmp_path)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto((tmp_path / "site" / "index.html").as_uri())
    fills = page.eval_on_selector_all(
        "svg.pod-diagram .pd-bg", "rects => rects.map(r => getComputedStyle(r).fill)"
    )
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    assert fills == [f"rgb({red}, {green}, {blue})"] * 2
    # On a phone the pictures shrink to the column rather than widen the page.
    widths = page.eval_on_selector_all(
        "svg.pod-diagram", "svgs => svgs.map(s => s.getBoundingClientRect().right)"
    )
    assert max(widths) <= 390
    context.close()


def test_diagram_draws_several_files_into_a_folder(tmp_path, capsys):
    (tmp_path / "web.yaml").write_text(GOOD)
    (tmp_path / "broken.yaml").write_text(BAD)
    out = tmp_path / "pictures"
    assert (
        main(
            [
                "diagram",
                str(tmp_path / "web.yaml"),
                str(tmp_path / "broken.yaml"),
                "--out-dir",
                str(out),
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["broken.svg", "web.svg"]
    assert DARK in (out / "web.svg").read_text()  # auto: light or dark as its reader prefers
    assert (
        capsys.readouterr().err
        == f"{tmp_path / 'broken.yaml'}: drawn with 1 error marked on the picture\n"
    )
    # -o naming a folder (ending in /) does the same; --format png draws PNGs there.
    assert main(["diagram", str(tmp_path / "web.yaml"), "-o", f"{out}/", "--format", "png"]) == 0
    assert (out / "web.png").read_bytes().startswith(b"\x89PNG")


def test_diagram_says_which_files_it_could_not_draw_and_draws_the_rest(tmp_path, capsys):
    (tmp_path / "web.yaml").write_text(GOOD)
    (tmp_path / "list.yaml").write_text("- just a list\n")
    out = tmp_path / "out"
    files = [str(tmp_path / name) for name in ("list.yaml", "web.yaml")]
    assert main(["diagram", *files, "--out-dir", str(out)]) == 1
    assert [p.name for p in out.iterdir()] == ["web.svg"]
    assert capsys.readouterr().err.startswith(f"{files[0]}: cannot draw: ")
    # A file that cannot be read is a misuse (2), and the others are still drawn.
    assert main(["diagram", str(tmp_path / "missing.yaml"), files[1], "--out-dir", str(out)]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["a.yaml", "b.yaml"], "several files need an output folder"),
        (["a.yaml", "b/a.yaml", "--out-dir", "out"], "a.yaml and b/a.yaml would both be written"),
        (["-", "--out-dir", "out"], "standard input (-) has no name"),
        (["a.yaml", "-o", "a.svg", "--out-dir", "out"], "not both"),
        (["a.yaml", "--format", "png"], "--format is for an output folder"),
    ],
)
def test_diagram_refuses_an_ambiguous_request_before_drawing_anything(
    arguments, message, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["diagram", *arguments])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_installed_podspec_command_draws_a_folder(tmp_path):
    command = Path(sys.executable).parent / "podspec"
    (tmp_path / "web.yaml").write_text(GOOD)
    done = subprocess.run(
        [command, "diagram", "web.yaml", "--out-dir", "site/img"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "site" / "img" / "web.svg").read_text().startswith("<svg")
    usage = subprocess.run([command, "diagram"], capture_output=True, text=True)
    assert usage.returncode == 2
    assert usage.stderr.startswith("usage: podspec diagram")
