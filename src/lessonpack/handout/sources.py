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
from ..text.richtext import Block, ImageRef, RichText, blocks, inline
from ..text.verse import stanzas
from .tables import Faces, columns
from .views import ParallelRow, ParallelView, Picture, SourceView, TableView, Verse, VerseLine

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


def source_views(source: m.LessonFile, teacher: bool, labels: Labels, width: float,
                 page_height: float, size: float = 11.0, fonts: Any = None) -> dict[str, SourceView]:
    """Every source of a lesson as printed, by id, in the lesson's order; ``fonts``: the style's families
    (:class:`~lessonpack.styles.tokens.Fonts`), which a table's columns are measured in (None: estimated)."""
    lesson = source.lesson
    # A table's header row is set in the bold heading face, its other rows in the body's (base.css: .source-table).
    faces = Faces(tuple(fonts.body), tuple(fonts.heading)) if fonts is not None else None
    inner = width - 2 * FRAME_INSET
    out: dict[str, SourceView] = {}
    for sid, src in zip(m.source_ids(lesson.sources), lesson.sources):
        caption = inline(src.caption)
        shown = None
        if src.image:
            shown = picture(source.images[src.image], src.alt or "", (), inner, page_height * MAX_PICTURE_SHARE, size)
        text: tuple[Block | Verse, ...] = (verse(src.text, src.line_numbers),) if src.verse and src.text \
            else blocks(src.text, labels)
        out[sid] = SourceView(
            id=sid, label=labels["source_label"].format(id=sid), anchor=f"{source.id}-source-{sid}",
            title=inline(src.title), text=text, picture=shown,
            parallel=parallel(src, lesson.language, labels) if src.parallel and len(src.parallel) == 2 else None,
            table=_table(src.table, inner, size, page_height, faces) if src.table else None, caption=caption,
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
        left, right = verse(first.text, src.line_numbers), verse(second.text)
        lefts = [(k > 0 and n == 0, line) for k, stanza in enumerate(left.stanzas) for n, line in enumerate(stanza)]
        rights = [line for stanza in right.stanzas for line in stanza]
        rows = tuple(ParallelRow(lines=(line, other), stanza_start=starts)
                     for (starts, line), other in zip(lefts, rights))
        return ParallelView(titles, langs, rows, verse=True, numbered=left.numbered)
    a, b = blocks(first.text, labels), blocks(second.text, labels)
    pairs = tuple(ParallelRow(blocks=((x,), (y,))) for x, y in zip(a, b)) if len(a) == len(b) \
        else (ParallelRow(blocks=(a, b)),)
    return ParallelView(titles, langs, pairs)


TABLE_PAGE_SHARE = 0.85
"""A source's table taller than this share of the page's text height may break between rows (its header row
repeats); a shorter one, with its frame, never does."""


def _table(table: m.SourceTable, room: float, size: float, page_height: float, faces: Faces | None) -> TableView:
    rows = tuple(tuple(inline(cell) for cell in row) for row in table.rows)
    header = tuple(inline(h) for h in table.header)
    # A column of figures is set flush right, so that units line up under units.
    numeric = tuple(all(_NUMBER.match(row[c].strip()) for row in table.rows if c < len(row) and row[c].strip())
                    and any(c < len(row) and row[c].strip() for row in table.rows)
                    for c in range(len(table.header)))
    fitted = columns(header, rows, numeric, room, size * TABLE_TYPE, faces)
    return TableView(header, rows, numeric, fitted.widths, fitted.scale, fitted.fits, fitted.least,
                     keep_whole=fitted.height <= page_height * TABLE_PAGE_SHARE, height=fitted.height)


def placement(items: list[m.ItemModel], ids: list[str],
              places: dict[str, str] | None = None) -> tuple[dict[int, list[str]], list[str]]:
    """Which sources print before which question (by index), and those printed after the reading (``place:
    reading``, and those no question uses), in order. ``places``: each source's ``place:`` by id (default
    first-use); a ``worksheet-start`` one prints before the first question, ahead of any it first uses."""
    places = places or {}
    before: dict[int, list[str]] = {}
    placed: set[str] = set()
    if items:
        start = [sid for sid in ids if places.get(sid) == "worksheet-start"]
        if start:
            before[0] = start
            placed.update(start)
    for i, item in enumerate(items):
        if item.source and item.source in ids and item.source not in placed \
                and places.get(item.source, "first-use") == "first-use":
            before.setdefault(i, []).append(item.source)
            placed.add(item.source)
    return before, [sid for sid in ids if sid not in placed]
