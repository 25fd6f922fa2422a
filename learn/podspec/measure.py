"""Text width estimates, so boxes are sized from their text instead of fixed offsets.

Widths are DejaVu Sans advances (per 1000 units of font size) for printable ASCII: DejaVu is what
the PNG renderer falls back to and is wider than the usual system-ui fonts, so estimates err on the
side of room to spare. Other characters count as wide.
"""

from functools import lru_cache

_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)  # fmt: skip
_OTHER = 1000


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width in pixels of `text` at font size `size`."""
    table = _BOLD if bold else _REGULAR
    units = sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else _OTHER for c in text)
    return units * size / 1000


def fit(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """`text` shortened with an ellipsis in the middle so that it fits in `width` pixels."""
    if text_width(text, size, bold=bold) <= width:
        return text
    keep_end = max(4, len(text) // 3)
    head, tail = text[: len(text) - keep_end], text[-keep_end:]
    while head and text_width(f"{head}…{tail}", size, bold=bold) > width:
        head = head[:-1]
        if len(head) < len(tail) and len(tail) > 4:
            tail = tail[1:]
    return f"{head}…{tail}" if head else text[: max(1, int(width // size))] + "…"
