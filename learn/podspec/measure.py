"""Text width estimates, so boxes are sized from their text instead of fixed offsets.

Widths are DejaVu Sans advances (per 1000 units of font size) for printable ASCII: DejaVu is what
the PNG renderer falls back to and is wider than the usual system-ui fonts, so estimates err on the
side of room to spare. Other characters count as wide.
"""

from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate

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
ELLIPSIS = "…"
# Characters of a label at most: more than the widest box shows, so longer text is cut before it
# is measured, and a name of any length costs no more than this.
MAX_TEXT = 300


def _units(text: str, table: tuple[int, ...]) -> list[int]:
    return [table[ord(c) - 32] if 32 <= ord(c) < 127 else _OTHER for c in text]


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width in pixels of `text` at font size `size`."""
    return sum(_units(text, _BOLD if bold else _REGULAR)) * size / 1000


def fit(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """`text` shortened with an ellipsis in the middle so that it fits in `width` pixels.

    The head keeps about two thirds, the tail the rest (at least 4 characters); text longer than
    MAX_TEXT is always shortened. The longest head that fits is found by bisection over cumulative
    widths, so fitting costs O(MAX_TEXT), whatever the length of the text.
    """
    if len(text) <= MAX_TEXT:
        if text_width(text, size, bold=bold) <= width:
            return text
        keep_end = max(4, len(text) // 3)
        head, tail = text[: max(len(text) - keep_end, 0)], text[-keep_end:]
    else:
        keep_end = MAX_TEXT // 3
        head, tail = text[: MAX_TEXT - keep_end], text[-keep_end:]
    table = _BOLD if bold else _REGULAR
    head_units = [0, *accumulate(_units(head, table))]  # [h]: width of head[:h]
    tail_units = [0, *accumulate(reversed(_units(tail, table)))]  # [t]: width of tail[-t:]

    def tail_length(kept: int) -> int:
        """The tail shrinks along with the head once the head is no longer than it."""
        return min(len(tail), max(4, kept))

    def too_wide(kept: int) -> bool:
        units = head_units[kept] + _OTHER + tail_units[tail_length(kept)]
        return units * size / 1000 > width

    # The width only grows with the head, so the heads that fit come first.
    kept = bisect_left(range(1, len(head) + 1), True, key=too_wide)
    if kept:
        return f"{head[:kept]}{ELLIPSIS}{tail[len(tail) - tail_length(kept) :]}"
    return text[: max(1, int(width // size))] + ELLIPSIS
