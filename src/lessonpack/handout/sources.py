"""Sources and pictures as printed: letters, frames' contents, poems' lines, parallel texts, picture sizes, and
where each source goes.

A source is printed once, where its ``place:`` says: by default just before the first question that uses it, so a
student has it in front of them when they answer (and the PDF keeps the two together when they fit); after the
reading (``place: reading``, with the discussion that reads it, and where a source no question uses goes); or
before the worksheet's first question (``place: worksheet-start``). Picture sizes are decided here, in points, for
both formats. A poem (``verse: true``) keeps each line as written, its indent and its number (every
``line_numbers:``-th line); two texts side by side (``parallel:``) are aligned line by line when they are verse.
"""

from __future__ import annotations

import re
from typing import Any

from ..load import model as m
from ..text.labels import Labels
from ..text.richtext import Block, ImageRef, RichText, Span, blocks, inline
from ..text.typography import set_in
from ..text.verse import stanzas
from .tables import CELL_PADDING, Faces, columns, decimal_room
from .views import ParallelRow, ParallelView, Picture, SourceView, TableCell, TableView, Verse, VerseLine

PX = 0.75
"""Points per CSS pixel (96 to the inch): the size a picture has when nothing scales it."""

FRAME_INSET = 10.0
"""Points between a source's frame and its contents, on each side (border and padding, in both formats)."""

MAX_PICTURE_SHARE = 0.5
"""A picture is at most this share of the page's text height tall."""

_NUMBER = re.compile(r"^[−–+-]?[£$€¥]?\s?[\d.,\s ]+%?$")


PICTURE_TYPE = 11.0
"""The body size, in points, a drawing's own size is meant for: a style with larger type (large print) draws an SVG
picture larger by as much, so the words in it (a chart's labels) grow with the text; a photograph is never drawn
beyond its pixels."""


def picture(image: Any, alt: str, caption: RichText, max_width: float, max_height: float,
            size: float = PICTURE_TYPE) -> Picture:
    """A checked picture (:class:`~lessonpack.load.images.PackImage`) sized to fit ``max_width`` × ``max_height``,
    in a style whose body type is ``size`` points."""
    if image.sized:
        grow = max(1.0, size / PICTURE_TYPE) if image.format == "svg" else 1.0
        width, height = image.width * PX * grow, image.height * PX * grow
    else:  # an SVG with only a viewBox: as wide as there is room for
        width, height = max_width, max_width * image.height / image.width
    scale = min(1.0, max_width / width, max_height / height)
    return Picture(image.uri, image.format, image.data, round(width * scale, 1), round(height * scale, 1),
                   alt.strip(), caption)


def reading_picture(ref: ImageRef, images: dict[str, Any], width: float, page_height: float,
                    size: float = PICTURE_TYPE) -> Picture:
    """A picture placed in the reading with ``![alt](file "caption")``."""
    return picture(images[ref.src], ref.alt, inline(ref.title), width, page_height * MAX_PICTURE_SHARE, size)


TABLE_TYPE = 0.92
"""A source table's type size, as a share of the body's (base.css: .source-table)."""


def source_views(source: m.LessonFile, teacher: bool, labels: Labels, width: float, page_height: float,
                 size: float = 11.0, fonts: Any = None, fillable: bool = False) -> dict[str, SourceView]:
    """Every source of a lesson as printed, by id, in the lesson's order; ``fonts``: the style's families
    (:class:`~lessonpack.styles.tokens.Fonts`), which a table's columns are measured in (None: estimated);
    ``fillable``: the fillable student PDF, where a table's blank cells are text fields."""
    lesson = source.lesson
    # A table's header row is set in the bold heading face, its other rows in the body's (base.css: .source-table).
    faces = Faces(tuple(fonts.body), tuple(fonts.heading)) if fonts is not None else None
    inner = width - 2 * FRAME_INSET
    out: dict[str, SourceView] = {}
    for index, (sid, src) in enumerate(zip(m.source_ids(lesson.sources), lesson.sources)):
        caption = inline(src.caption)
        shown = None
        if src.image:
            shown = picture(source.images[src.image], src.alt or "", (), inner, page_height * MAX_PICTURE_SHARE, size)
        with set_in(src.lang or lesson.language):  # a quoted extract's quotation marks are its own language's
            text: tuple[Block | Verse, ...] = (verse(src.text, src.line_numbers),) if src.verse and src.text \
                else blocks(src.text, labels)
        out[sid] = SourceView(
            id=sid, index=index, label=labels["source_label"].format(id=sid), anchor=f"{source.id}-source-{sid}",
            title=inline(src.title), text=text, picture=shown,
            parallel=parallel(src, lesson.language, labels) if src.parallel and len(src.parallel) == 2 else None,
            table=_table(src.table, sid, labels["source_label"].format(id=sid), inner, size, page_height, faces,
                         teacher, fillable) if src.table else None, caption=caption,
            citation=inline(src.citation),
            lang=src.lang if src.lang and _primary(src.lang) != _primary(lesson.language) else "",
            notes=blocks(src.notes, labels) if teacher and src.notes else (),
            notes_label=labels["source_notes"] if teacher and src.notes else "")
    return out


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def _own(lang: str | None, lesson_language: str) -> str:
    """A text's language tag when it is not the lesson's, else ""."""
    return lang if lang and _primary(lang) != _primary(lesson_language) else ""


INDENT_EMS_PER_SPACE = 0.5
"""A leading space written before a line of verse indents it by this many ems (about a space's width)."""


def verse(text: str | None, every: int | None = None) -> Verse:
    """A poem as printed: its stanzas and lines as written, each line's indent, and every ``every``-th line's number
    (counted through the whole poem; blank lines between stanzas are not lines)."""
    count = 0
    out: list[tuple[VerseLine, ...]] = []
    for stanza in stanzas(text):
        lines = []
        for written in stanza:
            count += 1
            lines.append(VerseLine(inline(written.text), written.indent * INDENT_EMS_PER_SPACE,
                                   str(count) if every and count % every == 0 else ""))
        out.append(tuple(lines))
    return Verse(tuple(out), numbered=bool(every))


def parallel(src: m.Source, lesson_language: str, labels: Labels) -> ParallelView:
    """Two texts side by side: verse line beside line (the original's stanzas give the gaps, its lines the
    numbers), prose paragraph beside paragraph (or the whole of each, when they have different numbers of
    paragraphs)."""
    assert src.parallel is not None and len(src.parallel) == 2
    first, second = src.parallel
    titles = (inline(first.title), inline(second.title))
    langs = (_own(first.lang, lesson_language), _own(second.lang, lesson_language))
    if src.verse:
        with set_in(first.lang or lesson_language):
            left = verse(first.text, src.line_numbers)
        with set_in(second.lang or lesson_language):
            right = verse(second.text)
        lefts = [(k > 0 and n == 0, line) for k, stanza in enumerate(left.stanzas) for n, line in enumerate(stanza)]
        rights = [line for stanza in right.stanzas for line in stanza]
        rows = tuple(ParallelRow(lines=(line, other), stanza_start=starts)
                     for (starts, line), other in zip(lefts, rights))
        return ParallelView(titles, langs, rows, verse=True, numbered=left.numbered)
    with set_in(first.lang or lesson_language):
        a = blocks(first.text, labels)
    with set_in(second.lang or lesson_language):
        b = blocks(second.text, labels)
    pairs = tuple(ParallelRow(blocks=((x,), (y,))) for x, y in zip(a, b)) if len(a) == len(b) \
        else (ParallelRow(blocks=(a, b)),)
    return ParallelView(titles, langs, pairs)


TABLE_PAGE_SHARE = 0.85
"""A source's table taller than this share of the page's text height may break between rows (its header row
repeats); a shorter one, with its frame, never does."""


def _table(table: m.SourceTable, sid: str, label: str, room: float, size: float, page_height: float,
           faces: Faces | None, teacher: bool, fillable: bool) -> TableView:
    """A source's table as printed: its columns' widths and alignment, its headings' spans, its figures cut at
    their decimal points, and its blank cells (the answer in the teacher edition, a text field in the fillable
    one)."""
    count = table.columns
    # A blank cell is measured with its answer in both editions, so that the student's table is the teacher's.
    texts = [[cell.answer or "" if isinstance(cell, m.BlankCell) else cell for cell in row] for row in table.rows]
    rows = [[inline(text) for text in row] for row in texts]
    # A column of figures is set flush right, so that units line up under units, on the decimal point when any
    # has one; the lesson's align: overrides.
    numeric = tuple(all(_NUMBER.match(row[c].strip()) for row in texts if c < len(row) and row[c].strip())
                    and any(c < len(row) and row[c].strip() for row in texts) for c in range(count))
    written = list(table.align or ["auto"] * count)
    align = tuple(written[c] if written[c] != "auto" else
                  ("decimal" if numeric[c] and any("." in row[c] for row in texts if c < len(row)) else
                   "right" if numeric[c] else "left") for c in range(count))
    # A figure keeps its whole text on one line, and so does every cell of a column lined up on its decimal point.
    whole_line = tuple(numeric[c] or align[c] == "decimal" for c in range(count))
    heads = _header(table, align)
    own: list[RichText] = [()] * count  # each column's own heading, and the headings over several
    spanning = []
    for row in heads:
        column = 0
        for cell in row:
            if cell.span == 1:
                own[column] = own[column] + ((Span(" "),) if own[column] else ()) + cell.text
            else:
                spanning.append((column, cell.span, cell.text))
            column += cell.span
    fitted = columns(own, rows, whole_line, room, size * TABLE_TYPE, faces, spanning=spanning,
                     given=table.widths or ())
    type_size = size * TABLE_TYPE * fitted.scale
    fractions = [[_fraction(row[c])[1] if c < len(row) else "" for row in texts] for c in range(count)]
    rooms = [decimal_room(fractions[c], type_size, faces) if align[c] == "decimal" else 0.0 for c in range(count)]
    body = []
    for r, (raw, row) in enumerate(zip(table.rows, texts)):
        cells = []
        for c, (cell, text) in enumerate(zip(raw, row)):
            blank = isinstance(cell, m.BlankCell)
            shown = text if not blank or teacher else ""
            kind = align[c] if c < count else "left"
            whole, fraction = _fraction(shown) if kind == "decimal" else (shown, "")
            width = fitted.widths[c] if c < len(fitted.widths) else 0.0
            cells.append(TableCell(
                inline(whole), align=kind, fraction=fraction,
                point=round(max(0.0, width - CELL_PADDING - rooms[c]), 2) if kind == "decimal" else 0.0,
                fraction_room=rooms[c] if c < count else 0.0, blank=blank,
                figure=whole_line[c] if c < count else False,
                field=f"s{sid}.{r + 1}.{c + 1}" if blank and fillable else "",
                field_title=f"{label}, row {r + 1}, column {c + 1}" if blank and fillable else "", at=("rows", r, c)))
        body.append(tuple(cells))
    return TableView(heads, tuple(body), fitted.widths, fitted.scale, fitted.fits, fitted.least,
                     keep_whole=fitted.height <= page_height * TABLE_PAGE_SHARE, height=fitted.height,
                     narrow=fitted.narrow, given=bool(table.widths),
                     width=round(sum(fitted.widths), 1) if sum(fitted.widths) < room - 0.5 else 0.0)


def _header(table: m.SourceTable, align: tuple[str, ...]) -> tuple[tuple[TableCell, ...], ...]:
    """The header rows: a heading over several columns is centred over them; one over a single column is set as
    its column is (a decimal column's heading flush right); a heading with "" under it in the next row reaches
    down over both (the "" is not printed)."""
    rows = [list(row) for row in table.header]
    out: list[list[TableCell]] = []
    covered: set[tuple[int, int]] = set()  # (row, column) of the ""s a heading above reaches down over
    for r, row in enumerate(rows):
        cells = []
        column = 0
        for j, cell in enumerate(row):
            if (r, column) in covered:
                column += cell.span
                continue
            down = 1
            if cell.span == 1 and cell.text.strip():
                while r + down < len(rows) and _cell_at(rows[r + down], column) == "":
                    covered.add((r + down, column))
                    down += 1
            kind = "center" if cell.span > 1 else ("right" if align[column] == "decimal" else align[column]) \
                if column < len(align) else "left"
            cells.append(TableCell(inline(cell.text), span=cell.span, down=down, align=kind, at=("header", r, j)))
            column += cell.span
        out.append(cells)
    return tuple(tuple(row) for row in out)


def _cell_at(row: list[m.HeaderCell], column: int) -> str | None:
    """The text of the heading that starts at ``column`` alone (span 1) in a header row, None for any other."""
    at = 0
    for cell in row:
        if at == column:
            return cell.text.strip() if cell.span == 1 else None
        at += cell.span
    return None


_FIGURE = re.compile(r"^(?P<whole>.*?\d)(?P<fraction>\.\d.*)?$", re.S)


def _fraction(text: str) -> tuple[str, str]:
    """A figure cut at its decimal point: ("12", ".5"); a whole number or any other text whole, with ""."""
    found = _FIGURE.match(text.strip()) if _NUMBER.match(text.strip()) else None
    if found is None or not found["fraction"]:
        return text, ""
    return found["whole"], found["fraction"]


def placement(items: list[m.ItemModel], ids: list[str],
              places: dict[str, str] | None = None) -> tuple[dict[int, list[str]], list[str]]:
    """Which sources print before which question (by index), and those printed after the reading (``place:
    reading``, and those no question uses), in order. ``places``: each source's ``place:`` by id (default
    first-use); a ``worksheet-start`` one prints before the first question, ahead of any it first uses. A question
    that uses several sources (``source: [A, D]``) has each of them before it that nothing earlier printed, in
    letter order."""
    places = places or {}
    before: dict[int, list[str]] = {}
    placed: set[str] = set()
    rank = {sid: k for k, sid in enumerate(ids)}
    if items:
        start = [sid for sid in ids if places.get(sid) == "worksheet-start"]
        if start:
            before[0] = start
            placed.update(start)
    for i, item in enumerate(items):
        for sid in sorted((s for s in item.sources if s in rank), key=rank.__getitem__):
            if sid not in placed and places.get(sid, "first-use") == "first-use":
                before.setdefault(i, []).append(sid)
                placed.add(sid)
    return before, [sid for sid in ids if sid not in placed]
