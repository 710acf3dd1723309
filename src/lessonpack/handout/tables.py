"""How wide each column of a table is, decided once for the PDF and the Word file: a table always fits its frame.

A column is given at least its longest word (a figure: its whole text, never broken), the header's included, as
wide as that word is set in its cell's typeface (the header's bold heading face, the body's face for the rest:
see :class:`Faces`), and at most its longest cell, as a browser's automatic table layout does, from the lengths
of its texts and the page's type size; the
room left over goes to the columns whose text wraps most. A table whose columns do not fit even at their
longest words is set in smaller type, down to :data:`SCALES`' last step; one that still does not fit is a check
error that names it (:func:`too_wide`), never a table running off the page.

A lesson may give a column its width (``widths:``: a length, a share of the room the others leave, or ``auto``
for the above; see :func:`given_width`); a length narrower than the column's longest word, or lengths wider
together than the room, are check errors on ``widths:``. A heading over several columns (``span:``) widens the
columns under it together when its longest word needs it. A column of figures lined up on the decimal point
leaves the same room after the point in every row (:func:`decimal_room`), in both formats.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..load.model import TABLE_UNITS, TABLE_WIDTH
from ..styles.fonts import text_em
from ..text.richtext import RichText, plain

CELL_PADDING = 4 * 72 / 25.4
"""Points of padding in a cell, left and right together (2 mm each side, in both formats)."""

CHAR_EM = 0.6
"""A character's width in ems, for what must not wrap: wider than running text's average (a figure's digits are
about 0.55 em in the styles' typefaces), so that a word or a figure given its own width is never cut."""

SCALES = (1.0, 0.9, 0.8)
"""The type sizes a table may be set in, as shares of its usual size: the largest one at which it fits."""

_BREAKS = re.compile(r"(?<=[-–—/])|\s+")
"""Where a cell's text may wrap: at spaces, and after a hyphen, a dash or a slash ("bubbles/min")."""

SPARE_EM = CHAR_EM / 2
"""Room left beside a column's longest word, in ems: half a character, against a renderer's rounding."""


@dataclass(frozen=True)
class Faces:
    """The typefaces a table's cells are set in: the header row's (``header``, bold when ``header_bold``) and the
    other rows' (``body``), each a style's list of families. A word is measured in the first family's own font
    files when lessonpack bundles it, else estimated at :data:`CHAR_EM` a character."""

    body: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    header_bold: bool = True

    def em(self, text: str, *, header: bool = False) -> float:
        """How wide ``text`` is on one line, in ems of the cell's type size."""
        families = list(self.header if header else self.body)
        measured = text_em(families, text, bold=header and self.header_bold) if families else None
        return len(text) * CHAR_EM if measured is None else measured


@dataclass(frozen=True)
class Columns:
    """A table's columns as printed: their widths in points (together the room given), the type size as a share
    of the table's usual size, and whether it fits (False: even its longest words are wider than the room)."""

    widths: tuple[float, ...]
    scale: float
    fits: bool
    least: float  # the room its longest words need at the smallest scale, in points
    height: float  # its estimated height in points, header row included
    narrow: tuple[tuple[int, float], ...] = ()  # columns given a width narrower than their longest word: (column,
    # the points its longest word needs at the smallest scale)


LINE_EM = 0.52
"""A character's width in ems for a cell's whole text set on one line (its widest words and capitals average
out over a line)."""

TEXT_EM = 0.46
"""A character's average width in running text, in ems: how many characters a line of a cell holds."""

LEADING = 1.3
"""A table's line height, as a multiple of its type size (base.css)."""

ROW_PADDING = 2 * 72 / 25.4
"""Points of padding in a row, above and below together (1 mm each)."""


def _longest_word(text: str, faces: Faces, header: bool) -> float:
    """The widest word of a cell's text, in ems."""
    return max((faces.em(word, header=header) for word in _BREAKS.split(text) if word), default=0.0)


def columns(header: Sequence[RichText], rows: Sequence[Sequence[RichText]], numeric: Sequence[bool],
            room: float, size: float, faces: Faces | None = None, *,
            spanning: Sequence[tuple[int, int, RichText]] = (), given: Sequence[str] = ()) -> Columns:
    """The columns of a table of ``header`` and ``rows`` set in ``room`` points at ``size`` points, in ``faces``
    (None: every word estimated at :data:`CHAR_EM` a character). ``header`` holds each column's own heading (``()``
    for none); ``spanning`` the headings over several columns, as (first column, columns, text): the columns under
    one are widened together, when they must be, to hold its longest word. ``given``: the lesson's ``widths:``, a
    column's each (``auto``, a share such as ``2fr``, or a length such as ``3cm``: see :func:`given_width`)."""
    faces = faces or Faces()
    count = len(header)
    texts = [[plain(header[c])] + [plain(row[c]) if c < len(row) else "" for row in rows] for c in range(count)]
    # Every cell's longest word fits its column, the header's too (in its own face); a figure keeps its whole text
    # on one line, while its header may wrap.
    least_em = [max([_longest_word(texts[c][0], faces, True)]
                    + [faces.em(t) if numeric[c] else _longest_word(t, faces, False) for t in texts[c][1:]])
                for c in range(count)]
    over = [(first, span, _longest_word(plain(text), faces, True)) for first, span, text in spanning]
    most_chars = [max(len(t) for t in texts[c]) for c in range(count)]
    kinds = [given_width(g) for g in given] if given else [("auto", 0.0)] * count
    for scale in SCALES:
        em = size * scale
        least = [(n + SPARE_EM) * em + CELL_PADDING for n in least_em]
        for first, span, word in over:  # a heading over several columns: they hold its longest word together
            need = (word + SPARE_EM) * em + CELL_PADDING - sum(least[first:first + span])
            if need > 0:
                for c in range(first, first + span):
                    least[c] += need / span
        # A whole cell on one line: its characters at a little over running text's average width.
        most = [max(n * size * scale * LINE_EM + CELL_PADDING, low) for n, low in zip(most_chars, least)]
        fixed = {c: value for c, (kind, value) in enumerate(kinds) if kind == "length"}
        narrow = tuple((c, round(least[c], 1)) for c, width in fixed.items() if width < least[c] - 0.01)
        needed = sum(fixed.values()) + sum(least[c] for c in range(count) if c not in fixed)
        fits = needed <= room + 0.01 and not narrow
        if fits or scale == SCALES[-1]:
            if not fixed and all(kind == "auto" for kind, _ in kinds):
                widths = _share(least, most, room)
            else:
                widths = _given(kinds, least, most, room)
            return Columns(widths, scale, fits, round(needed, 1), _height(texts, widths, size * scale), narrow)
    raise AssertionError("unreachable")  # pragma: no cover


def given_width(text: str) -> tuple[str, float]:
    """A column's width as the lesson writes it (:data:`lessonpack.load.model.TABLE_WIDTH`): ``("auto", 0)``,
    ``("share", 2.0)`` for ``2fr``, or ``("length", points)`` for ``3cm``."""
    found = TABLE_WIDTH.match(text)
    if found is None or found["auto"]:
        return ("auto", 0.0)
    if found["share"]:
        return ("share", float(found["share"]))
    return ("length", float(found["length"]) * TABLE_UNITS[found["unit"].lower()])


def _given(kinds: list[tuple[str, float]], least: list[float], most: list[float], room: float) -> tuple[float, ...]:
    """Widths when the lesson gave some, as a CSS grid shares its room: a length as written; the automatic columns
    as wide as their texts want, each cell on one line when there is room (within the room left after every
    share's longest word); the shares split what is left between them, in proportion, none narrower than its
    longest word. Without shares the automatic columns share the room left as they do without ``widths:``. With
    no share and no automatic column the table is as wide as its lengths."""
    count = len(kinds)
    widths = [0.0] * count
    fixed = [c for c in range(count) if kinds[c][0] == "length"]
    autos = [c for c in range(count) if kinds[c][0] == "auto"]
    shares = [c for c in range(count) if kinds[c][0] == "share"]
    for c in fixed:
        widths[c] = kinds[c][1]
    rest = max(0.0, room - sum(widths[c] for c in fixed))
    if autos:
        auto_room = rest if not shares else max(sum(least[c] for c in autos),
                                                min(sum(most[c] for c in autos), rest - sum(least[c] for c in shares)))
        for c, w in zip(autos, _share([least[c] for c in autos], [most[c] for c in autos], auto_room)):
            widths[c] = w
        rest = max(0.0, rest - auto_room)
    floor: dict[int, float] = {}
    while shares:  # in proportion to the shares; one that would be narrower than its longest word gets that
        open_ = [c for c in shares if c not in floor]
        left = rest - sum(floor.values())
        total = sum(kinds[c][1] for c in open_) or 1.0
        low = [c for c in open_ if left * kinds[c][1] / total < least[c]]
        if not low or len(low) == len(open_):
            for c in open_:
                widths[c] = max(least[c], left * kinds[c][1] / total)
            break
        floor.update({c: least[c] for c in low})
    for c, w in floor.items():
        widths[c] = w
    if sum(widths) > room:  # it does not fit (a check error): drawn, if at all, squeezed into the room
        widths = [w * room / sum(widths) for w in widths]
    out = [round(w, 1) for w in widths]
    if (autos or shares or sum(out) > room) and abs(sum(out) - room) < 1.0:  # together exactly the room
        out[-1] = round(room - sum(out[:-1]), 1)
    return tuple(out)


def decimal_room(fractions: Sequence[str], size: float, faces: Faces | None = None) -> float:
    """The room a column's figures need after their decimal point, in points at ``size`` points: its widest
    fraction (".25"), with a little to spare; the same in every row, so that the points line up."""
    faces = faces or Faces()
    widest = max((faces.em(f) for f in fractions if f), default=0.0)
    return round(widest * size + (SPARE_EM * size / 2 if widest else 0.0), 2)


def _height(texts: list[list[str]], widths: tuple[float, ...], size: float) -> float:
    """The table's height: each row as tall as its cell of the most lines."""
    per_line = [max(1.0, (w - CELL_PADDING) / (size * TEXT_EM)) for w in widths]
    rows = len(texts[0]) if texts else 0
    total = 0.0
    for r in range(rows):
        lines = max(math.ceil(len(texts[c][r]) / per_line[c]) or 1 for c in range(len(texts)))
        total += lines * size * LEADING + ROW_PADDING
    return round(total, 1)


def _share(least: list[float], most: list[float], room: float) -> tuple[float, ...]:
    """Widths between ``least`` and ``most`` that fill ``room``. A column whose longest cell fits in a fair share
    of the room left (a number, a short label) gets it whole, so that it does not wrap; the other columns get
    their least, then what is left in proportion to how much more each would take; past every column's most, in
    proportion to its most."""
    count = len(least)
    if sum(least) >= room:
        total = sum(least)
        widths = [w * room / total for w in least]
    elif sum(most) <= room:
        total = sum(most)
        widths = [w * room / total for w in most]
    else:
        fixed: dict[int, float] = {}
        while True:
            left = room - sum(fixed.values())
            rest = [c for c in range(count) if c not in fixed]
            fair = left / len(rest)
            short = [c for c in rest if most[c] <= fair and sum(least[k] for k in rest if k != c) <= left - most[c]]
            if not short or len(short) == len(rest):
                break
            fixed.update({c: most[c] for c in short})
        left = room - sum(fixed.values())
        rest = [c for c in range(count) if c not in fixed]
        spare = left - sum(least[c] for c in rest)
        wanted = sum(most[c] - least[c] for c in rest) or 1.0
        widths = [fixed[c] if c in fixed else least[c] + spare * (most[c] - least[c]) / wanted for c in range(count)]
    out = [round(w, 1) for w in widths]
    out[-1] = round(room - sum(out[:-1]), 1)  # together exactly the room
    return tuple(out)
