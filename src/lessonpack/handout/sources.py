"""Sources and pictures as printed: letters, frames' contents, picture sizes, and where each source goes.

A source is printed once, just before the first question that uses it, so a student has it in front
of them when they answer (and the PDF keeps the two together when they fit); a source no question
uses is printed after the reading. Picture sizes are decided here, in points, for both formats.
"""

from __future__ import annotations

import re
from typing import Any

from ..load import model as m
from ..text.labels import Labels
from ..text.richtext import ImageRef, RichText, blocks, inline
from .tables import Faces, columns
from .views import Picture, SourceView, TableView

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
    for index, (sid, src) in enumerate(zip(m.source_ids(lesson.sources), lesson.sources)):
        caption = inline(src.caption)
        shown = None
        if src.image:
            shown = picture(source.images[src.image], src.alt or "", (), inner, page_height * MAX_PICTURE_SHARE, size)
        out[sid] = SourceView(
            id=sid, index=index, label=labels["source_label"].format(id=sid), anchor=f"{source.id}-source-{sid}",
            title=inline(src.title), text=blocks(src.text, labels), picture=shown,
            table=_table(src.table, inner, size, page_height, faces) if src.table else None, caption=caption,
            citation=inline(src.citation),
            lang=src.lang if src.lang and _primary(src.lang) != _primary(lesson.language) else "",
            notes=blocks(src.notes, labels) if teacher and src.notes else (),
            notes_label=labels["source_notes"] if teacher and src.notes else "")
    return out


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


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


def placement(items: list[m.ItemModel], ids: list[str]) -> tuple[dict[int, list[str]], list[str]]:
    """Which sources print before which question (by index), and those no question uses, in order."""
    before: dict[int, list[str]] = {}
    placed: set[str] = set()
    for i, item in enumerate(items):
        if item.source and item.source in ids and item.source not in placed:
            before.setdefault(i, []).append(item.source)
            placed.add(item.source)
    return before, [sid for sid in ids if sid not in placed]
