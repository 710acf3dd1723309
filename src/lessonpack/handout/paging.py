"""How tall the parts of a handout will be, estimated from the page's measures, for the paging decisions.

Two decisions need a sense of height before anything is laid out: whether the worksheet starts a new
page (``auto``: only when what comes before it is longer than one page) and how many lines ``lines:
fill`` gives. They are made here, once, from text lengths and the style's measures, so the PDF and the
DOCX break and rule alike. The estimates are deliberately simple (average character widths, whole
lines); ``fill`` keeps a margin so that an estimate a little short never pushes a question onto a page
of its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..plugins import item_types
from ..text.richtext import Block, RichText, plain
from ..styles.geometry import Geometry
from .sources import FRAME_INSET
from .views import Handout, KeyTable, ParallelRow, ParallelView, Picture, Question, SourceView, Verse, VerseLine

CHAR_EM = 0.46
"""Average width of a character of running text, in ems."""

FILL_MARGIN_LINES = 2
"""Writing lines ``fill`` leaves unused at the foot of the page, against a short estimate."""

FILL_MIN_LINES = 6
"""Fewest lines ``fill`` gives, whatever the question is worth (see :func:`fill_floor`)."""


def fill_floor(q: Question) -> int:
    """The fewest writing lines a "lines: fill" question gets: a line a point, at least :data:`FILL_MIN_LINES`.
    With less room than that left on its page, the question starts the next page and fills it."""
    return max(FILL_MIN_LINES, math.ceil(q.points))


@dataclass(frozen=True)
class Measures:
    """The page in points: text width and height, body size and line height, writing-line pitch."""

    width: float
    height: float
    size: float
    line_height: float
    writing_line: float
    # What a layout measured of questions and sources (by their ids; see measure.measured_heights), which the
    # estimates below give way to.
    measured: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, geometry: Geometry | None) -> "Measures":
        """The measures of ``geometry``'s page (None: :meth:`Geometry.default`)."""
        geometry = geometry or Geometry.default()
        t = geometry.tokens
        return cls(geometry.text_width, geometry.page_height - geometry.top - geometry.bottom, t.size,
                   t.line_height, geometry.writing_line)

    @property
    def line(self) -> float:
        return self.size * self.line_height

    char_em: float = CHAR_EM  # average width of a character of running text, in ems

    def rich(self, text: RichText, width: float | None = None, **kw) -> float:
        """Height of rich text set in ``width`` points (see :meth:`text`)."""
        return self.text(len(plain(text)), width, **kw)

    def text(self, chars: int, width: float | None = None, *, scale: float = 1.0, leading: float | None = None) -> float:
        """Height of ``chars`` characters of running text set in ``width`` points."""
        per_line = max(8, int((width or self.width) / (self.size * scale * CHAR_EM)))
        return max(1, math.ceil(chars / per_line)) * self.size * scale * (leading or self.line_height)


def heading(m: Measures, level: int = 2) -> float:
    return m.size * (2.6 if level == 2 else 2.0)


def _lines(m: Measures, text: str, width: float | None = None, **kw) -> float:
    """Text with hard line breaks (a poem's lines): each line wraps on its own."""
    return sum(m.text(len(line), width, **kw) for line in text.split("\n"))


CALLOUT_MARGINS = 20 + 2 * (1 + 8)
"""The width a callout's text loses, in points: the reading's indent before its frame, and the frame's rule and
padding on either side (about as both renderers draw it)."""


VERSE_NUMBER_ROOM = 2.5
"""Ems kept at a numbered poem's margin for its line numbers (base.css: .verse.numbered; the DOCX's tab stop)."""

STANZA_GAP = 0.7
"""Ems between two stanzas (base.css: .stanza; the DOCX's LP Verse Stanza End)."""


def verse_line(m: Measures, line: VerseLine, width: float, numbered: bool) -> float:
    """A line of verse set in ``width`` points after its indent: it wraps on its own (with a hanging indent)."""
    room = width - m.size * (line.indent + (VERSE_NUMBER_ROOM if numbered else 0.0))
    return m.text(max(1, len(plain(line.text))), max(room, m.size * 4))


def verse(m: Measures, v: Verse, width: float | None = None) -> float:
    """A poem (or part of one): its lines, the gaps between its stanzas and its "(continued)" line."""
    width = width or m.width
    lines = sum(verse_line(m, line, width, v.numbered) for stanza in v.stanzas for line in stanza)
    return lines + m.size * STANZA_GAP * max(0, len(v.stanzas) - 1) + (m.line if v.continued else 0.0)


def verse_parts(m: Measures, v: Verse, budget: float, width: float | None = None) -> tuple[Verse, ...]:
    """A poem as printed: whole when it fits in ``budget`` points, else in parts of at most that, cut between
    stanzas (a stanza itself taller, between its lines); each part is kept whole when printed, and a later one
    has room for its "(continued)" line. Linear in the poem's lines."""
    width = width or m.width
    if verse(m, v, width) <= budget:
        return (v,)
    room = budget - m.line  # a later part's "(continued)" line
    gap = m.size * STANZA_GAP
    pieces: list[tuple[tuple[VerseLine, ...], float]] = []  # stanzas, or runs of a stanza taller than a part
    for stanza in v.stanzas:
        run: list[VerseLine] = []
        height = 0.0
        for line in stanza:
            h = verse_line(m, line, width, v.numbered)
            if run and height + h > room:
                pieces.append((tuple(run), height))
                run, height = [], 0.0
            run.append(line)
            height += h
        pieces.append((tuple(run), height))
    parts: list[list[tuple[VerseLine, ...]]] = [[]]
    used = 0.0
    for piece, height in pieces:
        if parts[-1] and used + gap + height > room:
            parts.append([])
            used = 0.0
        used += (gap if parts[-1] else 0.0) + height
        parts[-1].append(piece)
    return tuple(Verse(tuple(part), v.numbered) for part in parts)


def parallel(m: Measures, p: ParallelView, width: float) -> float:
    """Two texts side by side: each row as tall as its taller side, under the titles' row."""
    return m.line * 1.2 + sum(parallel_row(m, p, row, width) for row in p.rows)


def parallel_row(m: Measures, p: ParallelView, row: ParallelRow, width: float) -> float:
    """One row of two texts side by side, ``width`` points wide together: as tall as its taller side (and the
    gap before a stanza)."""
    half = width / 2 - m.size
    if row.lines is not None:
        return (max(verse_line(m, row.lines[0], half, p.numbered), verse_line(m, row.lines[1], half, False))
                + (m.size * STANZA_GAP if row.stanza_start else 0.0))
    return max(blocks(m, row.blocks[0], m.width - half), blocks(m, row.blocks[1], m.width - half))


def blocks(m: Measures, content: tuple[Block | Picture | Verse, ...], indent: float = 0.0) -> float:
    total = 0.0
    for b in content:
        if isinstance(b, Picture):
            total += picture(m, b)
        elif isinstance(b, Verse):
            total += verse(m, b, m.width - indent)
        elif b.kind == "callout":  # its title line, its own blocks inside the frame, the frame's padding
            total += m.line + blocks(m, b.body, indent + CALLOUT_MARGINS) + m.size * 0.5
        elif b.items:
            total += sum(_lines(m, plain(i), m.width - indent - m.size * 2) for i in b.items)
        else:
            total += _lines(m, plain(b.spans), m.width - indent)
        total += m.size * 0.55
    return total


def rich(m: Measures, text: RichText, width: float | None = None, **kw) -> float:
    return _lines(m, plain(text), width, **kw)


def picture(m: Measures, p: Picture) -> float:
    return p.height + (rich(m, p.caption, scale=0.9) if p.caption else 0) + m.size


def source(m: Measures, s: SourceView) -> float:
    """A framed source: label and title, its body, caption and citation, the frame's padding (as a layout measured
    it, when one did)."""
    if s.anchor in m.measured:
        return m.measured[s.anchor]
    inner = m.width - 2 * FRAME_INSET
    total = m.line * 1.2 + FRAME_INSET * 2 + m.size
    total += blocks(m, s.text, m.width - inner) * 0.95
    if s.picture:
        total += picture(m, s.picture)
    if s.table:
        total += s.table.height or (len(s.table.rows) + 1) * m.line * 1.15
    if s.parallel:
        total += parallel(m, s.parallel, inner)
    total += (rich(m, s.caption, inner, scale=0.9) if s.caption else 0) + rich(m, s.citation, inner, scale=0.8)
    total += blocks(m, s.notes, m.width - inner) * 0.9 if s.notes else 0
    return total


def question(m: Measures, q: Question) -> float:
    """The estimated height of a question, from the sources printed before it to the space after it."""
    return sum(source(m, s) for s in q.sources) + _question(m, q)


def _question(m: Measures, q: Question) -> float:
    """A question's prompt, its source line and writing lines, and what its type prints (its own estimate, or as a
    layout measured it)."""
    if q.anchor in m.measured:
        return m.measured[q.anchor]
    indent = m.size * 2.2
    inner = m.width - indent
    total = rich(m, q.prompt, inner - m.size * 5) + m.size * 0.5 + (m.line if q.use_source else 0)
    if q.writing:
        total += (q.writing.answer_lines + q.writing.blank_lines) * m.writing_line
    total += item_types()[q.kind].height(m, q)
    return total + m.size * 1.4  # the space between questions


SPLIT_SHARE = 1 / 3
"""A question taller than this share of a page may go on over the page, between its lines, rows or choices
(its prompt keeps the first few, the last few stay together): kept whole, it would leave the page before
it part empty."""


WHOLE_PAGE = 0.95
"""What counts as fitting on a page, as a share of the page's text height (the estimates are a little rough; a
height a layout measured fits when it is no taller than the page: :func:`fits`)."""


def fits(m: Measures, anchor: str, height: float) -> bool:
    """Whether ``height`` (of the question or source ``anchor``) fits on one page."""
    return height <= m.height * (1.0 if anchor in m.measured else WHOLE_PAGE)


def keep_whole(m: Measures, q: Question) -> bool:
    """Whether a question is kept on one page (True), or may go on over the page.

    A question goes on over a page only between writing lines (and a source analysis's parts): its prompt is
    never parted from its choices, options, rows, events or word bank, unless the question alone is taller than
    a page. One with writing lines may go on when it is tall (see :data:`SPLIT_SHARE`); the sources printed
    before it count, as a source stays with the start of its question, and a source kept with the whole of a
    tall question would leave most of the page before it empty.
    """
    if not item_types()[q.kind].writings(q):
        return fits(m, q.anchor, _question(m, q))
    return question(m, q) <= m.height * SPLIT_SHARE


def fits_on_a_page(m: Measures, q: Question, above: float = 0.0) -> bool:
    """Whether a question (without the sources before it) fits on one page, under ``above`` points of what must
    share the page with it (the worksheet's heading over its first question)."""
    return fits(m, q.anchor, above + _question(m, q))


WITH_QUESTION_SHARE = 0.9
"""The sources before a question are kept on the page of its start only if together they take at most this share
of a page: a source that cannot share a page with its question stands on its own page, not on an empty one."""


def opening(m: Measures, q: Question) -> float:
    """What must share a page with the start of a question: the sources kept with it, and the whole question
    when it is kept whole, else its prompt and first lines."""
    kept = sum(source(m, s) for s in q.sources if s.with_question)
    return kept + (_question(m, q) if q.keep_whole else _start(m, q))


def with_question(m: Measures, q: Question) -> bool:
    """Whether the sources printed before question ``q`` are kept with its start (its prompt and first lines, or
    the whole question when it is kept whole)."""
    start = _question(m, q) if q.keep_whole else _start(m, q)
    return sum(source(m, s) for s in q.sources) + start <= m.height * WITH_QUESTION_SHARE


NOTES_BREAK_SHARE = 0.8
"""A source whose teacher notes, kept with it and with the start of its question, would need more than this
share of a page may leave its notes for the next page: kept whole, it would leave the page before it part
empty. The source itself, its question's prompt and first lines stay whole."""


def _start(m: Measures, q: Question) -> float:
    """The start of a question that its prompt keeps with it: the prompt and about three lines' room."""
    return rich(m, q.prompt, m.width - m.size * 7) + 3 * m.writing_line


def notes_may_break(m: Measures, s: SourceView, q: Question) -> bool:
    """Whether a source's teacher notes may go on to the next page, with the question that uses it."""
    return bool(s.notes) and source(m, s) + _start(m, q) > m.height * NOTES_BREAK_SHARE


KEY_ROW_SHARE = 0.25
"""An answer-key row taller than this share of a page may go on over the page (a source analysis's model
answers in large print): kept whole, it would leave the page before it part empty."""

KEY_ANSWER_WIDTH = 0.55
"""The answer column's share of the text width in the answer key."""


def key_row(m: Measures, answer: str) -> float:
    """The estimated height of one answer-key row."""
    return m.text(len(answer), m.width * KEY_ANSWER_WIDTH, scale=0.9) + m.size


def lines_in(m: Measures, room: float, floor: int = FILL_MIN_LINES, head: float | None = None) -> int:
    """How many writing lines ``room`` points hold (each line with its rule) — or, when that is fewer than
    ``floor``, how many a page holds below a prompt of ``head`` points: the question starts the next page
    (see :func:`moves_on`) and its lines fill that page."""
    pitch = m.writing_line + 1  # a line and its rule
    lines = int(room // pitch)
    if lines >= floor:
        return lines
    return max(floor, int((m.height - (m.line * 2 if head is None else head) - m.line) // pitch))


def moves_on(m: Measures, room: float, floor: int = FILL_MIN_LINES) -> bool:
    """Whether a "lines: fill" question with ``room`` points below its prompt starts the next page instead."""
    return int(room // (m.writing_line + 1)) < floor


def fill_lines(m: Measures, start: float, questions: list[Question], index: int) -> tuple[int, bool]:
    """How many writing lines fill the rest of the page that question ``index`` starts on, and whether it
    starts the next page instead (fewer lines than its floor would fit where it is).

    ``start`` is how far down its page the worksheet's first question begins. A question kept whole that
    does not fit starts the next page; a taller one starts where it is and goes on over the page, as in
    the PDF and the DOCX (see :func:`keep_whole`).
    """
    y = start
    for n, q in enumerate(questions):
        h = question(m, q)
        if n == index:
            floor = fill_floor(q)
            room = m.height - y - h  # below the prompt, down to the foot of this page
            lines = int(room // m.writing_line) - FILL_MARGIN_LINES
            if lines >= floor:
                return lines, False
            # Too little room left: the question starts the next page and fills it.
            return max(floor, int((m.height - h) // m.writing_line) - FILL_MARGIN_LINES), True
        if y + h <= m.height:
            y += h
        elif keep_whole(m, q):
            y = h % m.height  # it starts the next page
        else:
            # It goes on over the page; but its sources never split, and they stay with its start.
            if y + sum(source(m, s) for s in q.sources) + _start(m, q) > m.height:
                y = 0
            y = (y + h) % m.height
    return FILL_MIN_LINES, False


def offset(m: Measures, height: float) -> float:
    """Where, down its page, something starts that follows ``height`` points of flowing content."""
    return height % m.height


GRID_COLUMNS = 6
"""Versions side by side in one table of the teacher's key (see plan.GRID_VERSIONS)."""


def key_table(m: Measures, key: KeyTable) -> float:
    """The estimated height of an answer-key table: its caption and header, its rows, its total."""
    return m.line * 3 + sum(key_row(m, row.answer) for row in key.rows)


def handout_pages(m: Measures, h: Handout, versions: int = 1) -> int:
    """About how many pages a handout prints: its sections' estimated heights on pages of ``m``, a new page
    where a section starts one. ``versions`` counts the teacher edition's answer keys as a build with that many
    versions prints them (one key a version, the same rows in another order, and the grid of every version's
    answers), from a handout planned with one."""
    height = m.size * 6 + (m.line if h.meta else 0) + (rich(m, h.subtitle) if h.subtitle else 0)
    heights = {
        "overview": (sum(rich(m, x) for x in h.overview.objectives) + blocks(m, h.overview.warning)
                     + blocks(m, h.overview.notes) + heading(m, 3) * 3 + m.line * 2) if h.overview else 0.0,
        "objectives": sum(rich(m, o) for o in h.objectives),
        "reading": blocks(m, tuple(b for _, b in h.reading.paragraphs)) if h.reading else 0.0,
        "sources": sum(source(m, s) for s in h.sources),
        "key-terms": (sum(m.text(len(plain(t)) + len(plain(d)) + 3, m.width / h.glossary.columns, scale=0.92,
                                 leading=1.3) for t, d in h.glossary.entries) / h.glossary.columns + m.size * 2)
                     if h.glossary else 0.0,
        "discussion": sum(rich(m, p.text) + (rich(m, p.notes, scale=0.9) if p.notes else 0) for p in h.prompts),
        "worksheet": sum(question(m, q) for q in h.worksheet.questions) if h.worksheet else 0.0,
        "answer-key": sum(key_table(m, key) for key in h.answer_keys),
        "stats": m.line * 3 if h.stats else 0.0,
    }
    if versions > 1 and h.answer_key is not None and not h.version_keys:
        rows = len(h.answer_key.rows)
        heights["answer-key"] = (key_table(m, h.answer_key) * versions
                                 + math.ceil(versions / GRID_COLUMNS) * (rows + 2) * m.line * 1.3)
    page = max(m.height, 1.0)
    done = 0
    for section in h.sections:
        if section.new_page and height > 0:
            done += math.ceil(height / page)
            height = 0.0
        height += heading(m) + heights.get(section.kind, 0.0)
    return done + max(1, math.ceil(height / page))
