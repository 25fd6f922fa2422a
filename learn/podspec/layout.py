"""Where everything in a pod diagram goes: pure geometry from the model, no SVG.

The picture, top to bottom: the controller frame (if any) around the pod frame; the pod's shared
network namespace as one band of port chips; the containers as cards in start order, left to
right; then one lane per volume mount, each labelled with its path; then the volumes. Every mount
has a lane of its own and its label sits in the band above that lane, at an x where no line
crosses it, so labels never overlap each other or a line; lines run in the space between rows, so
they never cross a card or a volume.
"""

from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from learn.podspec.diagnostics import Diagnostic, Severity
from learn.podspec.measure import ELLIPSIS, MAX_TEXT, fit, text_width
from learn.podspec.model import Container, Mount, Pod, Port, Volume, Workload, format_amount
from learn.podspec.source import Scalar

MARGIN = 16
PAD = 14
TITLE = 15
NAME = 13
SMALL = 12
LINE = 17  # line height of small text
CARD_MIN, CARD_MAX = 168, 236
TITLE_MAX = 720  # a longer pod title is shortened (the full one in its tooltip)
CARD_GAP = 30
CHIP_H, CHIP_GAP = 22, 8
LANE = 22  # height of one mount lane: the label band above its line
VOLUME_H = 46
VOLUME_GAP = 18
SLOT = 12  # spacing of line ends along a card or volume edge
# Beyond these, a picture stops being readable (and costs time to draw): the rest is summarised.
MAX_CARDS, MAX_CHIPS, MAX_CARD_PORTS, MAX_MOUNTS = 40, 60, 6, 120
NETWORK_CAPTION = "shared network namespace · one pod IP · localhost between containers"
# A volume box before placing: its name, width, and the volume (None when only mounts name it)
# with its (text, css class) lines.
VolumeSpec = tuple[str, float, list[tuple[Volume | None, list[tuple[str, str]]]]]
CardSpec = tuple[Container, float, list[tuple[str, str, float, bool]]]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: "Box") -> bool:
        return not (
            self.right <= other.x
            or other.right <= self.x
            or self.bottom <= other.y
            or other.bottom <= self.y
        )


@dataclass
class Label:
    """A line of text; `full` is the unshortened text, shown as a tooltip when they differ."""

    x: float
    y: float  # baseline
    text: str
    size: float = SMALL
    bold: bool = False
    css: str = "t"
    full: str = ""
    anchor: str = "start"

    def __post_init__(self) -> None:
        if self.full == self.text:
            self.full = ""  # a tooltip only when the text was shortened

    @property
    def box(self) -> Box:
        width = text_width(self.text, self.size, bold=self.bold)
        left = self.x - (
            width if self.anchor == "end" else width / 2 if self.anchor == "middle" else 0
        )
        return Box(left, self.y - self.size * 0.8, width, self.size * 1.05)


@dataclass
class Problem:
    code: str
    message: str
    severity: str


@dataclass
class Frame:
    box: Box
    kind: str  # controller | pod | network
    labels: list[Label]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Chip:
    box: Box
    label: Label
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Card:
    box: Box
    container: Container
    step: int
    labels: list[Label]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class VolumeBox:
    box: Box
    name: str
    labels: list[Label]
    ghost: bool = False  # a volume that mounts name but the pod does not define
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Wire:
    points: list[tuple[float, float]]
    mount: Mount
    label: Label
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Arrow:
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass
class Scene:
    """Everything to draw for one workload, in pixels."""

    workload: Workload
    width: float
    height: float
    frames: list[Frame]
    chips: list[Chip]
    cards: list[Card]
    arrows: list[Arrow]
    volumes: list[VolumeBox]
    wires: list[Wire]
    legend: list[Label]

    def text_boxes(self) -> list[tuple[str, Box]]:
        """Every piece of text with its box (for overlap checks)."""
        items = [(f"frame:{label.text}", label.box) for f in self.frames for label in f.labels]
        items += [(f"chip:{c.label.text}", c.label.box) for c in self.chips]
        items += [(f"card:{label.text}", label.box) for c in self.cards for label in c.labels]
        items += [(f"volume:{label.text}", label.box) for v in self.volumes for label in v.labels]
        items += [(f"wire:{w.label.text}", w.label.box) for w in self.wires]
        return items


def _prefixes(path: str) -> Iterator[str]:
    """`spec.containers[0].ports[1].name`, then `...ports[1]`, `...ports`, ... up to `spec`."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


def image_name(image: str | None) -> str:
    """The image as written, registry included (it says where the image comes from)."""
    return image or "(no image)"


# A digest in a picture is shown by its first hex digits, enough to tell two apart by eye, or
# fewer when even those do not fit.
DIGEST_SHOWN = (8, 4)


def fit_image(image: str, width: float, size: float) -> str:
    """An image name that fits in `width` pixels: a digest first shortened, then the middle of
    the repository path elided (at a `/` where it can), keeping the registry's start and the
    last name with its tag."""
    text = image[:MAX_TEXT]
    if text_width(text, size) <= width:
        return text
    name, at, digest = text.partition("@")
    algorithm, colon, hexes = digest.partition(":")
    head, slash, last = name.rpartition("/")
    for shown in DIGEST_SHOWN:
        short = f"{algorithm}{colon}{hexes[:shown]}{ELLIPSIS}" if len(hexes) > shown else digest
        tail = f"{slash}{last}{at}{short}"
        if fitted := _elided(head, tail, width, size):
            return fitted
    return fit(f"{head}{tail}", width, size)  # even the last name is too long: cut its middle


def _elided(head: str, tail: str, width: float, size: float) -> str | None:
    """`head` + `tail`, or as much of head's start as fits followed by an ellipsis; None when
    not even one character of head fits."""
    if text_width(f"{head}{tail}", size) <= width:
        return f"{head}{tail}"

    def too_wide(kept: int) -> bool:
        return text_width(f"{head[:kept]}{ELLIPSIS}{tail}", size) > width

    kept = bisect_left(range(1, len(head) + 1), True, key=too_wide)
    if not kept:
        return None
    boundary = head.rfind("/", 0, kept)  # a whole registry and path reads better than a part
    return f"{head[: boundary + 1 if boundary > 0 else kept]}{ELLIPSIS}{tail}"


def port_text(port: Port) -> str:
    """`8080/TCP`; a containerPort that is not a number is shown as written and marked invalid
    (the checker reports it), never as a number it is not."""
    if port.number is not None:
        return f"{port.number}/{port.protocol}"
    written = port.node.get("containerPort")
    if isinstance(written, Scalar) and written.value is not None and written.text:
        return f"“{written.text}”/{port.protocol} (invalid)"
    return f"?/{port.protocol} (no number)"


def _role_title(container: Container, step: int) -> str:
    return {"init": f"{step} · init", "sidecar": f"{step} · sidecar", "app": f"{step} · app"}[
        container.role
    ]


def _card_lines(container: Container, pod: Pod) -> list[tuple[str, str, float, bool]]:
    """(text, css class, size, bold) for each line of a container card, after the role line."""
    lines: list[tuple[str, str, float, bool]] = [
        (container.name, "name", NAME, True),
    ]
    lines += _image_lines(image_name(container.image), CARD_MAX - 2 * PAD)
    if container.role == "init":
        lines.append(("runs to completion, then the next", "note", SMALL, False))
    elif container.role == "sidecar":
        apps = [c.name for c in pod.apps]
        target = apps[0] if len(apps) == 1 else "the apps"
        lines.append((f"starts before {target}, stops after", "note", SMALL, False))
    for port in container.ports[:MAX_CARD_PORTS]:
        name = f" {port.name}" if port.name else ""
        lines.append((f"port {port_text(port)}{name}", "t", SMALL, False))
    if len(container.ports) > MAX_CARD_PORTS:
        lines.append(
            (f"and {len(container.ports) - MAX_CARD_PORTS} more ports", "muted", SMALL, False)
        )
    for resource in sorted(set(container.requests) | set(container.limits)):
        request, limit = container.requests.get(resource), container.limits.get(resource)
        text = f"{resource} {format_amount(resource, request)}" if request is not None else resource
        if limit is not None:
            text += f" · limit {format_amount(resource, limit)}"
        lines.append((text, "muted", SMALL, False))
    if container.probes:
        names = ", ".join(p.kind for p in container.probes)
        lines += _wrapped(f"probes: {names}", "muted", SMALL, CARD_MAX - 2 * PAD)
    return lines


def _image_lines(image: str, width: float) -> list[tuple[str, str, float, bool]]:
    """An image name on one card line, or on two broken after its repository path (registry
    and path above, name and tag below), each elided if still too wide."""
    head, slash, last = image[:MAX_TEXT].rpartition("/")
    if text_width(image[:MAX_TEXT], SMALL) <= width or not head:
        return [(image, "muted image", SMALL, False)]
    return [(f"{head}{slash}", "muted image", SMALL, False), (last, "muted image", SMALL, False)]


def _fitted(text: str, css: str, width: float, size: float, bold: bool) -> str:
    """A card line shortened to fit: an image name in its own way (see fit_image)."""
    return fit_image(text, width, size) if "image" in css else fit(text, width, size, bold=bold)


def _wrapped(text: str, css: str, size: float, width: float) -> list[tuple[str, str, float, bool]]:
    """A list written with commas, broken after a comma wherever it would be wider than `width`
    (so a card shows every item instead of an ellipsis in the middle of one)."""
    items = text.split(", ")
    lines, current = [], items[0]
    for item in items[1:]:
        if text_width(f"{current}, {item}", size) <= width:
            current = f"{current}, {item}"
        else:
            lines.append(f"{current},")
            current = item
    return [(line, css, size, False) for line in [*lines, current]]


class _Builder:
    def __init__(self, workload: Workload, diagnostics: list[Diagnostic]):
        self.workload = workload
        self.pod = workload.pod
        self.diagnostics = [d for d in diagnostics if d.document == workload.document]
        self.frames: list[Frame] = []
        self.chips: list[Chip] = []
        self.cards: list[Card] = []
        self.arrows: list[Arrow] = []
        self.volumes: list[VolumeBox] = []
        self.wires: list[Wire] = []
        self.legend: list[Label] = []
        self.problems = self.attribute()

    # Problems -------------------------------------------------------------------------------
    def attribute(self) -> dict[str, list[Problem]]:
        """Each diagnostic goes to the most specific thing drawn that contains its path: a port,
        a mount, a volume, a container, else the pod (or, for its own fields, the controller)."""
        pod = self.pod
        places = {p.path for p in pod.ports} | {m.path for m in pod.mounts}
        places |= {v.path for v in pod.volumes} | {c.path for c in pod.containers} | {pod.path}
        found: dict[str, list[Problem]] = {}
        for d in self.diagnostics:
            if d.severity is Severity.INFO:
                continue
            place = next((p for p in _prefixes(d.path) if p in places), self.fallback_place())
            found.setdefault(place, []).append(Problem(d.code, d.message, str(d.severity)))
        return found

    def fallback_place(self) -> str:
        return "(controller)" if self.workload.kind != "Pod" else self.pod.path

    def problems_at(self, path: str) -> list[Problem]:
        """The diagnostics attributed to this path."""
        return self.problems.get(path, []) if path else []

    # Layout ----------------------------------------------------------------------------------
    def build(self) -> Scene:
        controller = self.workload.kind != "Pod"
        left = MARGIN + (PAD if controller else 0)
        top = MARGIN + (34 if controller else 0)
        x0 = left + PAD  # inside the pod frame
        y: float = top + 36  # below the pod title
        card_specs = self.measure_cards()
        row_width = sum(w for _, w, _ in card_specs) + CARD_GAP * max(len(card_specs) - 1, 0)
        volume_specs = self.measure_volumes()
        volumes_width = sum(w for _, w, _ in volume_specs) + VOLUME_GAP * max(
            len(volume_specs) - 1, 0
        )
        title_width = text_width(self.shown_title(), TITLE, bold=True) + 40
        caption_width = text_width(NETWORK_CAPTION, SMALL) + 20
        inner = max(row_width, volumes_width, title_width, caption_width)
        if self.pod.share_process_namespace:
            y += LINE
        y = self.network_band(x0, y, inner) + 26
        y = self.place_cards(card_specs, x0, y) + 10
        lanes_top = y
        mounts = [m for card in self.cards for m in card.container.mounts][:MAX_MOUNTS]
        volumes_y = lanes_top + LANE * len(mounts) + (16 if mounts else 0)
        self.place_volumes(volume_specs, x0, volumes_y, mounts)
        self.route(mounts, lanes_top)
        used = [b.right for b in (v.box for v in self.volumes)] + [
            w.label.box.right for w in self.wires
        ]
        inner = max([inner, *(right - x0 for right in used)])
        network = next(f for f in self.frames if f.kind == "network")
        network.box = Box(network.box.x, network.box.y, inner, network.box.h)
        pod_bottom = volumes_y + (VOLUME_H if self.volumes else 0) + PAD
        pod_box = Box(left, top, inner + 2 * PAD, pod_bottom - top)
        self.pod_frame(pod_box)
        width = pod_box.right + (PAD if controller else 0) + MARGIN
        bottom = pod_box.bottom
        if controller:
            outer = Box(MARGIN, MARGIN, pod_box.w + 2 * PAD, pod_box.bottom + PAD - MARGIN)
            self.controller_frame(outer)
            bottom = outer.bottom
        height = self.place_legend(MARGIN, bottom + 24, width - 2 * MARGIN) + MARGIN
        return Scene(self.workload, round(width), round(height), self.frames, self.chips,
                     self.cards, self.arrows, self.volumes, self.wires, self.legend)  # fmt: skip

    def pod_title(self) -> str:
        name = self.pod.name or self.workload.name or "(unnamed)"
        kind = "Pod" if self.workload.kind == "Pod" else "Pod template"
        return f"{kind} {name}"

    def shown_title(self) -> str:
        return fit(self.pod_title(), TITLE_MAX, TITLE, bold=True)

    def pod_frame(self, box: Box) -> None:
        title, full = self.shown_title(), self.pod_title()
        labels = [Label(box.x + PAD, box.y + 24, title, TITLE, True, "title", full)]
        label_text = ", ".join(f"{k}={v}" for k, v in self.pod.labels.items())
        if label_text:
            start = labels[0].box.right + 14
            labels.append(
                Label(
                    start,
                    box.y + 24,
                    fit(f"labels: {label_text}", box.right - PAD - start, SMALL),
                    css="muted",
                    full=f"labels: {label_text}",
                )
            )
        hidden = len(self.pod.containers) - MAX_CARDS
        if hidden > 0:
            labels.append(
                Label(
                    box.x + PAD,
                    box.bottom - 6,
                    f"and {hidden} more containers, not drawn",
                    css="muted",
                )
            )
        if self.pod.share_process_namespace:
            labels.append(
                Label(
                    box.x + PAD,
                    box.y + 24 + LINE,
                    "shared process namespace: containers see each other's processes",
                    css="note",
                )
            )
        self.frames.insert(0, Frame(box, "pod", labels, self.problems_at(self.pod.path)))

    def controller_frame(self, box: Box) -> None:
        w = self.workload
        title = f"{w.kind} {w.name or '(unnamed)'}"
        if w.replicas is not None:
            title += f" · {w.replicas} replica{'' if w.replicas == 1 else 's'}"
        elif w.kind in ("Deployment", "ReplicaSet", "StatefulSet"):
            title += " · 1 replica"
        if w.kind == "CronJob" and w.schedule:
            title += f" · schedule “{w.schedule}”"
        if w.kind == "DaemonSet":
            title += " · one pod per node"
        if w.kind == "Job":
            title += _job_shape(w)
        label = Label(
            box.x + PAD,
            box.y + 22,
            fit(title, box.w - 2 * PAD, TITLE, bold=True),
            TITLE,
            True,
            "title",
            title,
        )
        self.frames.insert(0, Frame(box, "controller", [label], self.problems_at("(controller)")))

    def network_band(self, x0: float, y: float, inner: float) -> float:
        caption = NETWORK_CAPTION
        labels = [
            Label(x0 + 10, y + 18, fit(caption, inner - 20, SMALL), css="muted", full=caption)
        ]
        cx, cy = x0 + 10, y + 28
        ports = [(c, p) for c in self.pod.containers[:MAX_CARDS] for p in c.ports]
        for container, port in ports[:MAX_CHIPS]:
            text = f"{port_text(port)} · {container.name}"
            if port.host_port:
                text += f" (host {port.host_port})"
            text = fit(text, 260, SMALL)
            width = text_width(text, SMALL) + 18
            problems = self.problems_at(port.path)
            room = 22 if problems else 0  # for the problem mark beside the chip
            if cx + width + room > x0 + inner - 10 and cx > x0 + 10:
                cx, cy = x0 + 10, cy + CHIP_H + CHIP_GAP
            box = Box(cx, cy, width, CHIP_H)
            label = Label(cx + 9, cy + 15, text, css="chip-text")
            self.chips.append(Chip(box, label, problems))
            cx += width + room + CHIP_GAP
        if len(ports) > MAX_CHIPS:
            labels.append(
                Label(cx, cy + 15, f"and {len(ports) - MAX_CHIPS} more ports", css="muted")
            )
        if not self.chips:
            labels.append(Label(x0 + 10, cy + 15, "no ports declared", css="muted"))
        bottom = cy + CHIP_H + 10
        self.frames.append(Frame(Box(x0, y, inner, bottom - y), "network", labels))
        return bottom

    def measure_cards(self) -> list[CardSpec]:
        specs: list[CardSpec] = []
        for container in self.pod.containers[:MAX_CARDS]:
            lines = _card_lines(container, self.pod)
            # MAX_TEXT characters are wider than any card: measuring more would change nothing.
            widest = max(text_width(t[:MAX_TEXT], s, bold=b) for t, _, s, b in lines)
            specs.append((container, min(max(CARD_MIN, widest + 2 * PAD), CARD_MAX), lines))
        return specs

    def place_cards(self, specs: list[CardSpec], x0: float, y: float) -> float:
        steps = self.pod.start_steps()
        height = max((46 + LINE * len(lines) for _, _, lines in specs), default=0)
        x = x0
        previous = None
        for container, width, lines in specs:
            box = Box(x, y, width, height)
            step = steps.get(container.name, 0)
            labels = [
                Label(
                    x + PAD,
                    y + 22,
                    _role_title(container, step),
                    SMALL,
                    True,
                    f"role {container.role}",
                )
            ]
            line_y = y + 22 + 22
            for text, css, size, bold in lines:
                shown = _fitted(text, css, width - 2 * PAD, size, bold)
                # A broken or shortened image name has the whole of it as its tooltip.
                full = image_name(container.image) if "image" in css else text
                labels.append(
                    Label(x + PAD, line_y, shown, size, bold, css, full if shown != full else "")
                )
                line_y += LINE if size == SMALL else LINE + 2
            self.cards.append(Card(box, container, step, labels, self.problems_at(container.path)))
            if previous is not None and step != previous[1]:
                mid = y + 22
                self.arrows.append(Arrow((previous[0].right + 5, mid), (x - 5, mid)))
            previous = (box, step)
            x += width + CARD_GAP
        return y + height

    def measure_volumes(self) -> list[VolumeSpec]:
        defined = {v.name for v in self.pod.volumes}
        specs: list[tuple[str, tuple[Volume | None, str]]] = []
        for known in self.pod.volumes:
            detail = f"{known.type}" + (f": {known.detail}" if known.detail else "")
            specs.append((known.name, (known, detail)))
        ghosts = sorted({m.volume for m in self.pod.mounts if m.volume not in defined})
        specs += [(name, (None, "no such volume")) for name in ghosts]
        measured: list[VolumeSpec] = []
        for name, (volume, detail) in specs:
            lines = [(name or "(no name)", "name"), (detail, "muted")]
            width = (
                max(
                    text_width(lines[0][0][:MAX_TEXT], NAME, bold=True),
                    text_width(detail[:MAX_TEXT], SMALL),
                )
                + 2 * PAD
            )
            measured.append((name, min(max(width, 120), 260), [(volume, lines)]))
        return measured

    def place_volumes(
        self, specs: list[VolumeSpec], x0: float, y: float, mounts: list[Mount]
    ) -> None:
        card_x = {c.container.name: c.box.x + c.box.w / 2 for c in self.cards}
        mounted: dict[str, list[float]] = {}  # the centres of the cards that mount each volume
        for m in mounts:
            mounted.setdefault(m.volume, []).append(card_x.get(m.container, 0))

        def barycenter(spec: tuple[str, ...] | VolumeSpec) -> float:
            xs = mounted.get(spec[0])
            return sum(xs) / len(xs) if xs else float("inf")

        x = x0
        for name, width, [(volume, lines)] in sorted(specs, key=barycenter):
            centre = barycenter((name,))
            if centre != float("inf"):
                x = max(
                    x, centre - width / 2
                )  # under the containers that mount it, if there is room
            box = Box(x, y, width, VOLUME_H)
            labels = []
            for i, (text, css) in enumerate(lines):
                size, bold = (NAME, True) if css == "name" else (SMALL, False)
                shown = fit(text, width - 2 * PAD, size, bold=bold)
                labels.append(
                    Label(
                        x + PAD,
                        y + 19 + i * 17,
                        shown,
                        size,
                        bold,
                        css,
                        text if shown != text else "",
                    )
                )
            path = volume.path if volume else ""
            ghost = volume is None
            problems = self.problems_at(path) if path else []
            self.volumes.append(VolumeBox(box, name, labels, ghost, problems))
            x += width + VOLUME_GAP

    def route(self, mounts: list[Mount], lanes_top: float) -> None:
        """One lane per mount; each label goes where no line and no other label crosses it."""
        cards = {c.container.name: c for c in self.cards}
        boxes = {v.name: v for v in self.volumes}
        exits = {}
        for card in self.cards:
            ms = card.container.mounts
            step = min(SLOT, (card.box.w - 2 * PAD) / max(len(ms), 1))
            for i, mount in enumerate(ms):
                exits[id(mount)] = card.box.x + PAD + 6 + i * step
        by_volume: dict[str, list[Mount]] = {}
        for mount in mounts:
            by_volume.setdefault(mount.volume, []).append(mount)
        entries = {}
        for volume in self.volumes:
            incoming = sorted(by_volume.get(volume.name, []), key=lambda m: exits[id(m)])
            for i, mount in enumerate(incoming):
                entries[id(mount)] = volume.box.x + volume.box.w * (i + 1) / (len(incoming) + 1)
        # Mounts of cards further right take higher lanes: their lines then end above the labels
        # of the cards to their left.
        ordered = sorted(mounts, key=lambda m: (-exits[id(m)], entries.get(id(m), 0)))
        lanes = _Lanes([exits[id(m)] for m in ordered], [entries.get(id(m)) for m in ordered])
        far = max([*exits.values(), *entries.values()], default=0) + 320
        for band, mount in enumerate(ordered):
            card = cards[mount.container]
            x1, x2 = lanes.exits[band], lanes.entries[band]
            y = lanes_top + LANE * (band + 1)
            target = boxes[mount.volume].box.y if mount.volume in boxes else y + LANE
            points = [(x1, card.box.bottom), (x1, y), (x2, y), (x2, target)]
            shown, label = self.mount_label(mount, band, x1, x2, lanes, far)
            label.y = lanes_top + LANE * (shown + 1) - 6
            lanes.place(shown, label.x, label.x + text_width(label.text, SMALL))
            self.wires.append(Wire(points, mount, label, self.problems_at(mount.path)))

    def mount_label(
        self, mount: Mount, own: int, x1: float, x2: float, lanes: "_Lanes", far: float
    ) -> tuple[int, Label]:
        """The band and label of a mount, as close to its own line as the free space allows."""
        access = "read-only" if mount.read_only else "read-write"
        full = f"{mount.mount_path or '(no path)'} · {access}"
        text = fit(full, 300, SMALL)
        width = text_width(text, SMALL)
        lo, hi = min(x1, x2), max(x1, x2)

        def distance(band: int, start: float) -> float:
            if band == own:  # along its own lane: any overlap with the lane is as good
                gap = max(lo - (start + width), start - hi, 0)
            else:  # in another band, it must sit beside the line's vertical part
                gap = (
                    min(abs(start - x1 - 6), abs(start - x2 - 6))
                    if start > lo
                    else min(abs(start + width + 6 - x1), abs(start + width + 6 - x2))
                )
            return gap + abs(band - own) * LANE

        desired = (x1 + 6, x1 - 6 - width, lo, hi - width)
        touching = _touching(lanes.gaps(own, far), width, desired, lo, hi, partial(distance, own))
        if touching is not None:  # what the walk below would find, without its walk from the left
            return own, Label(touching, 0, text, css="mount", full=full if text != full else "")
        best = (float("inf"), own, x1 + 6)
        # Nearest bands first; stop once being that many bands away costs more than the best.
        # Only a few bands away: further off, a label no longer reads as its line's.
        nearby = [b for b in range(own - 3, own + 4) if 0 <= b < lanes.count]
        for band in sorted(nearby, key=lambda b: abs(b - own)):
            if abs(band - own) * LANE >= best[0]:
                break
            beside = x1 if band <= own else x2
            near = x1 if band < own else x2 if band > own else None
            anchor_lo, anchor_hi = (
                (lo - width, hi) if near is None else (near - width - 6, near + 6)
            )
            desired = (beside + 6, beside - 6 - width, lo, hi - width)
            gaps = lanes.gaps(band, far)
            # Gaps that end this far left cannot hold a nearer label: the walk starts after them.
            first = bisect_left(gaps, anchor_lo - best[0], key=_end)
            for g0, g1 in islice(gaps, first, None):
                if g1 - g0 < width or g1 < anchor_lo - best[0]:
                    continue
                if g0 > anchor_hi + best[0]:
                    break  # gaps come left to right: the rest are further away
                # Left or right of every desired place, a gap offers one start: measure it once.
                for start in {min(max(x, g0), g1 - width) for x in desired}:
                    best = min(best, (distance(band, start), band, start))
                if best[0] == 0:
                    break  # on its own lane, touching its line: nothing is closer
        _, band, start = best
        return band, Label(start, 0, text, css="mount", full=full if text != full else "")

    def has_problem(self, severity: str) -> bool:
        """Whether a mark in the picture stands for a problem of this severity."""
        return any(p.severity == severity for ps in self.problems.values() for p in ps)

    def place_legend(self, x: float, y: float, width: float) -> float:
        """A key to the marks actually used in this picture."""
        roles = {c.container.role for c in self.cards}
        items = [
            ("init", "init container: runs to completion, in order", "init" in roles),
            ("sidecar", "sidecar: init container with restartPolicy: Always", "sidecar" in roles),
            ("app", "app container", bool(roles - {"app"})),
            ("rw", "read-write mount", any(not w.mount.read_only for w in self.wires)),
            ("ro", "read-only mount", any(w.mount.read_only for w in self.wires)),
            ("error", "error: the API server rejects this", self.has_problem("error")),
            ("warning", "warning: accepted, but worth a look", self.has_problem("warning")),
            # Hover shows a mark's tooltip; a touch screen has none, so say where else to read it.
            (
                "note",
                "each mark's message: hover it, or read the problems listed in words",
                bool(self.problems),
            ),
        ]
        cx, cy = x, y
        for kind, text, shown in items:
            if not shown:
                continue
            w = 34 + text_width(text, SMALL)
            if cx + w > x + width and cx > x:
                cx, cy = x, cy + 22
            self.legend.append(Label(cx + 30, cy, text, css=f"legend {kind}"))
            cx += w + 18
        return cy + 10 if self.legend else y - 24


class _Lanes:
    """What blocks the label band above each mount lane, and the free stretches left, kept
    sorted by x so that a label's search starts near its line instead of at the left edge.

    Band b is crossed by the vertical line of every mount in lane b or below (at its exit from
    the card) and of every mount above it (at its entry into the volume, or its exit when it has
    no volume). Each band's lines are derived from the one before (one line leaves, one joins);
    a band's gaps are worked out when first asked for, and a label placed in a gap splits it.
    """

    def __init__(self, exits: list[float], entries: list[float | None]):
        self.exits = exits
        self.entries = [x if x is not None else exits[i] for i, x in enumerate(entries)]
        self.count = len(exits)
        lines = sorted((x - 5, x + 5) for x in exits)
        self.lines: list[list[tuple[float, float]]] = []
        for band in range(self.count):
            self.lines.append(lines)
            lines = lines.copy()
            del lines[bisect_left(lines, (exits[band] - 5, exits[band] + 5))]
            insort(lines, (self.entries[band] - 5, self.entries[band] + 5))
        self.labels: list[list[tuple[float, float]]] = [[] for _ in range(self.count)]
        self.free: list[list[tuple[float, float]] | None] = [None] * self.count

    def gaps(self, band: int, far: float) -> list[tuple[float, float]]:
        """The free stretches of a band from left to right, the last one running to `far`."""
        found = self.free[band]
        if found is None:
            found = []
            start: float = MARGIN
            for a, b in sorted(self.lines[band] + self.labels[band]):  # two sorted runs
                if a > start:
                    found.append((start, a))
                if b > start:  # max() without its call: this runs for every line of every band
                    start = b
            found.append((start, far))
            self.free[band] = found
        return found

    def place(self, band: int, left: float, right: float) -> None:
        """A label now takes [left, right] of a band, and 6 pixels either side of it."""
        taken = (left - 6, right + 6)
        insort(self.labels[band], taken)
        gaps = self.free[band]
        if gaps is None:
            return
        i = bisect_left(gaps, right, key=_end)
        if i == len(gaps) or not gaps[i][0] <= left:
            self.free[band] = None  # not inside one gap: work the band out again when asked
            return
        # Every blocked stretch is wider than the 6 pixels a label's margin reaches past its gap,
        # so the gap's neighbours keep their ends: only this gap changes.
        (g0, g1), last = gaps[i], i == len(gaps) - 1
        parts = [(g0, taken[0])] if taken[0] > g0 else []
        if last or g1 > taken[1]:
            parts.append((taken[1], g1))
        gaps[i : i + 1] = parts


def _end(gap: tuple[float, float]) -> float:
    return gap[1]


def _touching(
    gaps: list[tuple[float, float]],
    width: float,
    desired: tuple[float, ...],
    lo: float,
    hi: float,
    distance: Callable[[float], float],
) -> float | None:
    """The leftmost start, in the first gap that offers one, of a label on its own lane at no
    distance from its line's span [lo, hi]: the place mount_label's walk stops at.

    A label at no distance ends at lo or later and starts at hi or earlier, so only the gaps from
    the one that reaches lo (less a pixel, for rounding) to the one that starts past hi can hold it.
    """
    for g0, g1 in islice(gaps, bisect_left(gaps, lo - 1, key=_end), None):
        if g0 > hi:
            return None
        if g1 - g0 < width:
            continue
        starts = [s for s in {min(max(x, g0), g1 - width) for x in desired} if distance(s) == 0]
        if starts:
            return min(starts)
    return None


def layout(workload: Workload, diagnostics: list[Diagnostic]) -> Scene:
    """The geometry of one workload's pod diagram."""
    return _Builder(workload, diagnostics).build()


def _job_shape(workload: Workload) -> str:
    """What a Job's spec writes of how its Pods run: completions, how many at a time, indexes."""
    job = workload.job
    if job is None:
        return ""
    parts = [f"{workload.completions} completions"] if workload.completions else []
    if "parallelism" in job.written:
        parts.append(f"{job.parallelism} at a time")
    if job.completion_mode == "Indexed":
        parts.append("indexed")
    return f" · {', '.join(parts)}" if parts else ""
