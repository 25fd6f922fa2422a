"""Paint pod diagram scenes as SVG: self-contained (no script, no external reference, no web
font), accessible (role="img", <title>, <desc>, tooltips on every mark), themable.

Two variants: standalone, with the chosen theme's colours in an embedded stylesheet, for files,
PNG export and embedding anywhere (theme "auto": light, and dark where the viewer prefers dark,
through a prefers-color-scheme media query that PNG export ignores, so a PNG is light); and for the site's own pages, with no stylesheet at all: the
site's pod-diagram.css (from site_css()) colours it through CSS custom properties, following the
page's light or dark theme.
"""

import hashlib
import re
from functools import lru_cache
from html import escape

from learn.podspec import describe
from learn.podspec.diagnostics import Diagnostic
from learn.podspec.layout import MARGIN, Box, Label, Problem, Scene

# Everything XML 1.0 forbids: control characters other than tab and line ends, lone surrogates,
# U+FFFE and U+FFFF. One of them in a name would make the whole picture unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What escaping or replacing would change: either of those, or a character HTML escapes.
_UNSAFE = re.compile(_NOT_XML.pattern + "|[&<>\"']")
TOOLTIP = 1_000  # characters: longer names and messages are cut in tooltips, <title> and <desc>
DESCRIPTION = 20_000
HIDDEN_NOTE = 24  # height of the line that says how many pods are not drawn
HIDDEN_REASON = ": a picture this tall would no longer be readable"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
THEMES = {
    "light": {
        "bg": "#ffffff", "ink": "#17202c", "muted": "#4a5668", "controller-bg": "#f1f4f9",
        "controller-line": "#6b7a90", "pod-bg": "#f7f9fc", "pod-line": "#3b5b8c", "net-bg": "#e4edfb",
        "card-bg": "#ffffff", "card-line": "#3b5b8c", "sidecar": "#6f3fb0", "init": "#3b5b8c",
        "app": "#1c6b3a", "chip-bg": "#2456a6", "chip-ink": "#ffffff", "vol-bg": "#fff6e0",
        "vol-line": "#a8690f", "wire": "#8a5a12", "problem": "#b3261e", "problem-ink": "#ffffff",
        "warn": "#f0b429", "warn-ink": "#17202c",
    },
    "dark": {
        "bg": "#0f141b", "ink": "#e6ebf2", "muted": "#a9b4c4", "controller-bg": "#121a24",
        "controller-line": "#7f8ea3", "pod-bg": "#161d27", "pod-line": "#8db8ff", "net-bg": "#1c2c47",
        "card-bg": "#1d2633", "card-line": "#8db8ff", "sidecar": "#c9a4ff", "init": "#8db8ff",
        "app": "#7fd6a0", "chip-bg": "#8db8ff", "chip-ink": "#0b1220", "vol-bg": "#3a2a10",
        "vol-line": "#ffc46b", "wire": "#ffc46b", "problem": "#ff8a80", "problem-ink": "#0b1220",
        "warn": "#ffd166", "warn-ink": "#0b1220",
    },
}  # fmt: skip
# A standalone picture that follows the light or dark preference of whoever looks at it.
AUTO = "auto"
THEME_NAMES = (AUTO, *THEMES)

# The text classes both pictures use: pod diagrams and run timelines.
TEXT_STYLE = """\
text{font-family:FONT;font-size:12px;fill:C(ink)}
.title{font-size:15px;font-weight:700}
.name{font-size:13px;font-weight:700}
.muted,.legend{fill:C(muted)}
.note{fill:C(muted);font-style:italic}
.role{font-weight:700}
.role.init{fill:C(init)}.role.sidecar{fill:C(sidecar)}.role.app{fill:C(app)}
"""

STYLE = (
    """\
.pd-bg{fill:C(bg)}
.pd-controller{fill:C(controller-bg);stroke:C(controller-line);stroke-width:1.5;stroke-dasharray:8 5}
.pd-pod{fill:C(pod-bg);stroke:C(pod-line);stroke-width:2}
.pd-network{fill:C(net-bg)}
.pd-card{fill:C(card-bg);stroke:C(card-line);stroke-width:1.5}
.pd-card.init{stroke-dasharray:6 4;stroke:C(init)}
.pd-card.sidecar{stroke:C(sidecar);stroke-width:2.5}
.pd-card.app{stroke:C(app);stroke-width:2}
.pd-chip{fill:C(chip-bg)}
.pd-volume{fill:C(vol-bg);stroke:C(vol-line);stroke-width:1.5}
.pd-volume.ghost,.pd-card.bad,.pd-chip.bad{stroke:C(problem);stroke-width:2;stroke-dasharray:5 3}
.pd-chip.bad{stroke-dasharray:none}
.pd-chip.warn{stroke:C(warn);stroke-width:2.5}
.pd-wire{fill:none;stroke:C(wire);stroke-width:1.6}
.pd-wire.ro{stroke-dasharray:2 3}
.pd-wire.bad{stroke:C(problem);stroke-dasharray:6 3}
.pd-end{fill:C(wire)}
.pd-end.bad{fill:C(problem)}
.pd-arrow{stroke:C(muted);stroke-width:1.4;fill:none}
.pd-arrowhead{fill:C(muted)}
.pd-mark circle{fill:C(problem)}
.pd-mark text{fill:C(problem-ink);font-weight:700;font-size:12px}
.pd-mark path{fill:C(warn);stroke:C(ink);stroke-width:1}
.pd-mark.warning text{fill:C(warn-ink)}
"""
    + TEXT_STYLE
    + """\
.chip-text{fill:C(chip-ink);font-weight:600}
.mount{fill:C(ink)}
.pd-halo{fill:C(pod-bg)}
"""
)


# Run timelines (runview.py): a container's state is told by its pattern as well as its colour,
# so the picture reads in greyscale too. Filled states take their lane's role colour (in the
# legend, a neutral one: "key"): waiting is an outline, starting hatched, running a light fill,
# ready solid, terminating striped, back-off a dotted line. Patterns are referenced by the picture's own ids (fill="url(#...)"), which a shared
# stylesheet cannot know, so only their strokes are styled here.
RUN_STYLE = (
    TEXT_STYLE
    + """\
.rv-bg{fill:C(bg)}
.rv-band{fill:C(pod-bg)}
.rv-grid{stroke:C(controller-line);stroke-opacity:.3;stroke-width:1}
.rv-axis{stroke:C(muted);stroke-width:1}
.rv-solid.init{fill:C(init)}.rv-solid.sidecar{fill:C(sidecar)}.rv-solid.app{fill:C(app)}
.rv-solid.key{fill:C(muted)}
.rv-light{fill-opacity:.3}
.rv-pat{stroke-width:1}
.rv-pat.init,.rv-hatch.init{stroke:C(init)}
.rv-pat.sidecar,.rv-hatch.sidecar{stroke:C(sidecar)}
.rv-pat.app,.rv-hatch.app{stroke:C(app)}
.rv-pat.key,.rv-hatch.key{stroke:C(muted)}
.rv-key{fill:C(ink);font-weight:600}
.rv-hatch{stroke-width:1.5}
.rv-stripe{stroke:C(wire);stroke-width:3}
.rv-wait{fill:none;stroke:C(muted);stroke-dasharray:3 2}
.rv-backoff{fill:none;stroke:C(problem);stroke-width:2.5;stroke-dasharray:0 5;stroke-linecap:round}
.rv-phase{stroke-width:1.2}
.rv-phase.pending{fill:none;stroke:C(muted);stroke-dasharray:4 3}
.rv-phase.running{fill:C(pod-line);fill-opacity:.22;stroke:C(pod-line)}
.rv-phase.succeeded{fill:C(app);stroke:C(app)}
.rv-phase.failed{fill:C(problem);stroke:C(problem)}
.rv-on-solid{fill:C(chip-ink);font-weight:600}
.rv-true{stroke:C(pod-line);stroke-width:5}
.rv-false{stroke:C(muted);stroke-width:1;stroke-dasharray:2 3}
.rv-delete{stroke:C(problem);stroke-width:1.5;stroke-dasharray:6 3}
.rv-removed{stroke:C(ink);stroke-width:1.5}
.rv-gone{fill:C(bg);fill-opacity:.7}
.rv-fail{stroke:C(problem);stroke-width:2}
.rv-ok{stroke:C(muted);stroke-width:1}
.rv-term{fill:C(bg);stroke:C(ink);stroke-width:1.3}
.rv-kill{fill:C(problem);stroke:C(problem);stroke-width:1.3}
.rv-hook{fill:C(bg);stroke:C(ink);stroke-width:1.3}
.rv-exit{stroke:C(ink);stroke-width:1.5}
.rv-code{font-size:11px;fill:C(muted)}
.rv-code.bad{fill:C(problem);font-weight:700}
.rv-restart{font-size:11px;font-weight:700}
.rv-delete-text{fill:C(problem);font-weight:700}
"""
)


def _style(theme: str, style: str = STYLE) -> str:
    """A stylesheet with the theme's concrete colours, for standalone pictures."""
    css = style.replace("FONT", FONT)
    for name, value in THEMES[theme].items():
        css = css.replace(f"C({name})", value)
    return css


def stylesheet(theme: str, style: str, scope: str) -> str:
    """A standalone picture's <style> text: the theme's colours, each rule scoped to the picture's
    id; for "auto", the light rules, then the dark ones under prefers-color-scheme: dark."""
    if theme not in THEME_NAMES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEME_NAMES)}")
    # Drawn inside an HTML page (not the root of its own document), the picture shrinks to fit
    # a narrow column, such as a phone's, rather than widen the page.
    fit = f"svg:not(:root):has(>{scope}){{max-width:100%;height:auto}}"
    if theme != AUTO:
        return fit + _scoped(_style(theme, style), scope)
    dark = _scoped(_style("dark", style), scope)
    return (
        f"{fit}{_scoped(_style('light', style), scope)}@media (prefers-color-scheme:dark){{{dark}}}"
    )


def site_css() -> str:
    """The stylesheet for diagrams and run timelines inside the site's pages
    (static/css/pod-diagram.css).

    Inline SVG in a page may not carry its own <style> under the site's Content Security Policy,
    so the site variant has none and this file styles it, following the page's theme.
    """
    light, dark = THEMES["light"], THEMES["dark"]
    variables = "".join(f"--pd-{k}:light-dark({light[k]},{dark[k]});" for k in light)
    rules = ""
    for style, scope in ((STYLE, ".pod-diagram"), (RUN_STYLE, ".run-diagram")):
        css = style.replace("FONT", FONT)
        for name in light:
            css = css.replace(f"C({name})", f"var(--pd-{name})")
        rules += _scoped(css, scope).replace("}", "}\n")
    header = "/* Generated by learn.podspec.svg.site_css(); `make diagram-css` rewrites it. */\n"
    return header + f":root{{{variables}}}\n" + rules


def _xml(text: str, limit: int = TOOLTIP) -> str:
    """Text from the spec made safe for the SVG: escaped, cut to `limit` characters, and with
    every character XML forbids shown as U+FFFD (the replacement character)."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if _UNSAFE.search(text) is None:  # most text: nothing to replace, one scan instead of six
        return text
    return escape(_NOT_XML.sub("\ufffd", text))


def _num(value: float) -> str:
    # 0.0 and -0.0 are one key to a cache but are written "0" and "-0": zero is not cached.
    return _number(value) if value else _number.__wrapped__(value)


@lru_cache(maxsize=8192)  # coordinates repeat: cards on one row, lines on one lane, ...
def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _rect(box: Box, css: str, rx: float = 8) -> str:
    return (
        f'<rect class="{css}" x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" '
        f'height="{_num(box.h)}" rx="{rx}"/>'
    )


def _text(label: Label) -> str:
    anchor = f' text-anchor="{label.anchor}"' if label.anchor != "start" else ""
    tip = f"<title>{_xml(label.full)}</title>" if label.full else ""
    return (
        f'<text class="{label.css}" x="{_num(label.x)}" y="{_num(label.y)}"{anchor}>'
        f"{tip}{_xml(label.text)}</text>"
    )


def _mark(x: float, y: float, problems: list[Problem]) -> str:
    """A problem marker whose tooltip lists each diagnostic's code and message: a red disc when
    one is an error, else an amber triangle (a warning is not a mistake, and must not look like
    one in colour or in shape)."""
    if not problems:
        return ""
    tip = "\n".join(f"{p.severity} [{p.code}]: {p.message}" for p in problems)
    # A legend sample stands for no diagnostic: no tooltip.
    title = f"<title>{_xml(tip, DESCRIPTION)}</title>" if any(p.code for p in problems) else ""
    if any(p.severity == "error" for p in problems):
        css, baseline = "pd-mark error", y + 4
        shape = f'<circle cx="{_num(x)}" cy="{_num(y)}" r="9"/>'
    else:  # the "!" sits low in a triangle, as on a road sign
        css, baseline = "pd-mark warning", y + 6
        shape = (
            f'<path d="M{_num(x)} {_num(y - 10)}L{_num(x + 10)} {_num(y + 8)}H{_num(x - 10)}z"/>'
        )
    return (
        f'<g class="{css}">{title}{shape}'
        f'<text x="{_num(x)}" y="{_num(baseline)}" text-anchor="middle">!</text></g>'
    )


def _legend_glyph(label: Label) -> str:
    kind = label.css.split()[-1]
    x, y = label.x - 28, label.y - 9
    if kind in ("init", "sidecar", "app"):
        return f'<rect class="pd-card {kind}" x="{_num(x)}" y="{_num(y)}" width="22" height="12" rx="3"/>'
    if kind in ("rw", "ro"):
        css = "pd-wire ro" if kind == "ro" else "pd-wire"
        return f'<path class="{css}" d="M{_num(x)} {_num(y + 6)}h22"/>'
    if kind in ("error", "warning"):
        return _mark(x + 11, y + 6, [Problem("", "", kind)])
    return ""


def _scene(scene: Scene, dy: float) -> list[str]:
    out = [f'<g transform="translate(0 {_num(dy)})">'] if dy else ["<g>"]
    for frame in scene.frames:
        css = {"controller": "pd-controller", "pod": "pd-pod", "network": "pd-network"}[frame.kind]
        out.append(_rect(frame.box, css, 14 if frame.kind != "network" else 8))
        out += [_text(label) for label in frame.labels]
        out.append(_mark(frame.box.right - 14, frame.box.y + 14, frame.problems))
    for chip in scene.chips:
        # Outlined in its mark's colour: a clash that is only a warning is not drawn as an error.
        if any(p.severity == "error" for p in chip.problems):
            css = "pd-chip bad"
        elif any(p.code.endswith("conflict") for p in chip.problems):
            css = "pd-chip warn"
        else:
            css = "pd-chip"
        out.append(_rect(chip.box, css, chip.box.h / 2))
        out.append(_text(chip.label))
        out.append(_mark(chip.box.right + 12, chip.box.y + chip.box.h / 2, chip.problems))
    for arrow in scene.arrows:
        (x1, y1), (x2, y2) = arrow.start, arrow.end
        out.append(f'<path class="pd-arrow" d="M{_num(x1)} {_num(y1)}H{_num(x2 - 6)}"/>')
        out.append(
            f'<path class="pd-arrowhead" d="M{_num(x2 - 7)} {_num(y2 - 4)}L{_num(x2)} {_num(y2)}L{_num(x2 - 7)} {_num(y2 + 4)}z"/>'
        )
    for wire in scene.wires:
        bad = " bad" if not wire.mount.defined or wire.problems else ""
        ro = " ro" if wire.mount.read_only else ""
        d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in wire.points)
        tip = f"{wire.mount.container} mounts {wire.mount.volume or '(no volume)'} at {wire.mount.mount_path}"
        out.append(f'<path class="pd-wire{ro}{bad}" d="{d}"><title>{_xml(tip)}</title></path>')
        ex, ey = wire.points[-1]
        out.append(f'<circle class="pd-end{bad}" cx="{_num(ex)}" cy="{_num(ey)}" r="3"/>')
        out.append(_text(wire.label))
        if wire.problems:
            box = wire.label.box
            out.append(_mark(box.right + 12, box.y + box.h / 2, wire.problems))
    for card in scene.cards:
        css = f"pd-card {card.container.role}" + (
            " bad" if any(p.severity == "error" for p in card.problems) else ""
        )
        out.append(_rect(card.box, css, 10))
        out += [_text(label) for label in card.labels]
        out.append(_mark(card.box.right - 14, card.box.y + 14, card.problems))
    for volume in scene.volumes:
        css = "pd-volume ghost" if volume.ghost else "pd-volume"
        out.append(_rect(volume.box, css, 8))
        out += [_text(label) for label in volume.labels]
        out.append(_mark(volume.box.right - 12, volume.box.y + 12, volume.problems))
    for label in scene.legend:
        out.append(_legend_glyph(label))
        out.append(_text(label))
    out.append("</g>")
    return [line for line in out if line]


def render_svg(
    scenes: list[Scene],
    diagnostics: list[Diagnostic],
    *,
    theme: str = "light",
    standalone: bool = True,
    hidden: int = 0,
    outlines: list[dict[str, list[str]]] | None = None,
) -> str:
    """One SVG document with every scene stacked vertically; `hidden` more pods are not drawn,
    and a line at the bottom says so. `outlines` are the workloads' describe.outline(), when the
    caller has them already."""
    if theme not in THEME_NAMES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEME_NAMES)}")
    drawn = sum(s.height for s in scenes)
    more = f"and {hidden} more pod{'' if hidden == 1 else 's'}, not drawn" if hidden else ""
    note = Label(MARGIN, drawn + 8, more + HIDDEN_REASON, css="note") if more else None
    width = max([*(s.width for s in scenes), round(note.box.right + MARGIN) if note else 0])
    height = drawn + (HIDDEN_NOTE if note else 0)
    title = "; ".join(describe.title(s.workload) for s in scenes) + (f"; {more}" if more else "")
    if outlines is None:
        outlines = [describe.outline(s.workload, diagnostics) for s in scenes]
    desc = " ".join(describe.summary(sections) for sections in outlines[: len(scenes)])
    desc += f" And {more}." if more else ""
    ident = "pd" + hashlib.sha256(f"{title}|{desc}|{theme}|{standalone}".encode()).hexdigest()[:8]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pod-diagram" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{_xml(title, DESCRIPTION)}</title>',
        f'<desc id="{ident}-d">{_xml(desc, DESCRIPTION)}</desc>',
        f"<style>{stylesheet(theme, STYLE, '#' + ident)}</style>" if standalone else "",
        f'<g id="{ident}">',
        _rect(Box(0, 0, width, height), "pd-bg", 0),
    ]
    dy = 0.0
    for scene in scenes:
        out += _scene(scene, dy)
        dy += scene.height
    if note:
        out.append(_text(note))
    out += ["</g>", "</svg>"]
    return "\n".join(line for line in out if line) + "\n"


def _scoped(css: str, scope: str) -> str:
    """Prefix every rule with a scope (the diagram's id, or the class of all diagrams), so a
    diagram's styles never reach the rest of a page (an inline SVG's <style> applies to it all)."""
    rules = []
    for rule in css.split("}"):
        selectors, _, body = rule.strip().partition("{")
        if body:
            scoped = ",".join(f"{scope} {s.strip()}" for s in selectors.split(","))
            rules.append(f"{scoped}{{{body}}}")
    return "".join(rules)


# plain(): a standalone picture's stylesheet written onto its shapes, for programs that read SVG
# without its CSS (LibreOffice Impress draws the styled picture as a black box). Our stylesheets
# use only type and class selectors, alone or after one ancestor of classes (`.pd-mark text`).
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>\n?", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*?)(/?)>")
_CLASS = re.compile(r'\sclass="([^"]*)"')


def _compound(text: str) -> tuple[str, frozenset[str]]:
    """A compound selector (`text`, `.a.b`, `.a text`'s parts) as its type ("" for any) and
    classes."""
    tag, *classes = text.split(".")
    return tag, frozenset(classes)


def _rules(css: str) -> list[tuple[tuple[int, int, int], str, frozenset, frozenset, list]]:
    """The plain rules of a stylesheet (the light ones of "auto": the dark ones wait on a media
    query), each with its specificity and source order, weakest first."""
    css = css.split("@media", 1)[0]
    rules = []
    for order, rule in enumerate(css.split("}")):
        selectors, _, body = rule.strip().partition("{")
        if not body or selectors.startswith("svg"):  # the fit-in-a-page rule: HTML only
            continue
        declarations = [tuple(d.split(":", 1)) for d in body.split(";") if ":" in d]
        for selector in selectors.split(","):
            *ancestors, subject = selector.split()[1:]  # the picture's id is the first part
            tag, classes = _compound(subject)
            above = _compound(ancestors[-1])[1] if ancestors else frozenset()
            specificity = (len(classes) + len(above), int(bool(tag)), order)
            rules.append((specificity, tag, classes, above, declarations))
    return sorted(rules, key=lambda rule: rule[0])


def plain(svg: str) -> str:
    """A standalone picture with its stylesheet written onto each shape as presentation
    attributes, and no stylesheet: it looks the same (in light colours for "auto"), in programs
    that ignore SVG's CSS too."""
    found = _STYLE_ELEMENT.search(svg)
    if found is None:
        return svg
    rules = _rules(found[1])
    svg = svg[: found.start()] + svg[found.end() :]
    stack: list[frozenset[str]] = []
    # Per element kind: the attributes to add, and the pattern of those it already has.
    painted: dict[tuple, tuple[str, re.Pattern[str]]] = {}

    def paint(match: re.Match) -> str:
        closing, tag, attributes, empty = match.groups()
        if closing:
            if stack:
                stack.pop()
            return match[0]
        found_class = _CLASS.search(attributes)
        classes = frozenset(found_class[1].split()) if found_class else frozenset()
        inside = frozenset().union(*stack) if stack else frozenset()
        if not empty:
            stack.append(classes)
        key = (tag, classes, inside)
        if key not in painted:
            values: dict[str, str] = {}
            for _, rule_tag, rule_classes, above, declarations in rules:
                if rule_tag in ("", tag) and rule_classes <= classes and above <= inside:
                    values.update(declarations)
            extra = "".join(f' {name}="{value}"' for name, value in values.items())
            names = "|".join(re.escape(name) for name in values)
            painted[key] = extra, re.compile(rf'\s(?:{names})="[^"]*"')
        extra, written = painted[key]
        if not extra:
            return match[0]
        # The stylesheet wins over an attribute of the same name, as it does in a browser.
        return f"<{tag}{written.sub('', attributes)}{extra}{empty}>"

    return _TAG.sub(paint, svg)
