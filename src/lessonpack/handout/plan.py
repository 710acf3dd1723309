"""Plan one edition of one lesson: every word, number, order and page break the PDF and the DOCX print.

``plan(lesson_file, edition, context)`` decides section order and page starts, the running header and
footer, the document's metadata, question numbers and labels, shuffled orders, word banks, blank
widths, how a model answer sits on its writing lines, how many choices share a row, the answer key
table and the reading statistics. The renderers only draw the :class:`~.views.Handout` it returns.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timezone

from ..load import model as m
from ..load.placeholders import is_placeholder
from ..text.labels import Labels, counted, labels_for, number
from ..text.readability import ReadingStats, reading_stats
from ..text.typography import set_in, set_spaces
from ..text.richtext import Block, RichText, Span, blocks, flat, inline, plain
from . import paging
from .fields import NAME_FIELDS, with_fields
from .context import PlanContext
from .questions import on_lines, question
from ..plugins import item_types
from .versions import Arrangement, arrange, arrangements
from .reading import reading_view
from .sources import FRAME_INSET, placement, source_views
from .tables import columns
from .letterhead import LOGO_HEIGHT, letterhead_view, with_letterhead
from .views import (NUMBERING, DocumentInfo, Edition, Glossary, Handout, KeyGrid, KeyRow, KeyTable, Masthead,
                    OverviewView, PageRef, PromptView, Question, RunningText, Section, SourceView, StatsView, Verse,
                    WorksheetView)


def source_date() -> str | None:
    """ISO date from SOURCE_DATE_EPOCH, or None: without it, outputs carry no timestamp at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan(source: m.LessonFile, edition: Edition, context: PlanContext | None = None) -> Handout:
    """Decide everything one edition of one lesson shows, its text set in the lesson's language (its quotes and
    spaces, see :mod:`..text.typography`)."""
    with set_in(source.lesson.language):
        return _plan(source, edition, context)


def _plan(source: m.LessonFile, edition: Edition, context: PlanContext | None = None) -> Handout:
    context = context or PlanContext()
    lesson = source.lesson
    teacher = edition == "teacher"
    labels, warning = labels_for(lesson.language, source.labels)
    title = inline(lesson.title)
    title_text = flat(title)
    meta = tuple((set_spaces(f"{labels[key]}:"), inline(value)) for key, value in (
        ("unit", lesson.unit), ("subject", lesson.subject), ("grade", lesson.grade),
        ("duration", lesson.duration)) if value)
    measures = replace(paging.Measures.of(context.page), measured=context.heights or {})

    reading = reading_view(source, labels, measures.width, measures.height, context.picture_moves, measures.size,
                           measures) if lesson.reading else None
    arrangement = arrange(lesson, source.id, context.version)
    written = lesson.worksheet.items if lesson.worksheet else []
    items = [written[w] for w in arrangement.order]  # as this version prints them
    version = labels["version"].format(letter=context.version) if context.version and not teacher else ""
    # Each source prints just before the first question that uses it (or where its place: says); the rest follow
    # the reading.
    fonts = context.page.tokens.fonts
    views = source_views(source, teacher, labels, measures.width, measures.height, measures.size, fonts,
                         fillable=context.fillable and not teacher)
    before, unused = placement(list(items), list(views),
                               {sid: src.place for sid, src in zip(views, lesson.sources)})

    def questions_for(for_teacher: bool) -> list[Question]:
        shown = views if for_teacher == teacher else source_views(source, for_teacher, labels, measures.width,
                                                                   measures.height, measures.size, fonts,
                                                                   fillable=context.fillable and not for_teacher)
        return [replace(q, sources=tuple(shown[sid] for sid in before.get(i, ()))) if i in before else q
                for i, q in ((i, question(i, written[w], lesson, for_teacher, labels, context, arrangement.inner[w],
                                           source.id, source.images))
                             for i, w in enumerate(arrangement.order))]

    questions = questions_for(teacher)
    loose = tuple(part for sid in unused for part in _parts(measures, views[sid], labels))
    numbers = reading_stats(lesson.reading.text, lesson.grade, lesson.language) if teacher and lesson.reading else None
    glossary = Glossary(tuple((inline(t.term), inline(t.definition)) for t in lesson.key_terms),
                        context.glossary_columns) if lesson.key_terms else None
    if glossary is not None:
        glossary = replace(glossary, keep_whole=_glossary_height(measures, glossary) <= measures.height * KEEP_SHARE)
    prompts = tuple(PromptView(n, NUMBERING["prompt"].format(n=n), inline(p.text),
                               inline(p.notes) if teacher and p.notes else None,
                               set_spaces(f"{labels['prompt_notes']}:") if teacher and p.notes else "")
                    for n, p in enumerate(lesson.prompts, 1))
    objectives = tuple(inline(o) for o in lesson.objectives)
    total = sum(q.points for q in questions if not q.bonus)
    key_anchor = f"{source.id}-answer-key"
    overview = OverviewView(
        labels["objectives"], objectives, labels["content_warning"], blocks(lesson.content_warning, labels),
        labels["teacher_notes"], blocks(lesson.teacher_notes, labels),
        _key_pointer(labels, counted(labels, "total", total), key_anchor) if questions else None,
    ) if teacher else None

    # Which sections print, in which order, and where a new page starts.
    present = {"overview": overview is not None, "objectives": bool(objectives) and not teacher,
               "reading": reading is not None, "sources": bool(loose), "key-terms": glossary is not None, "discussion": bool(prompts),
               "worksheet": bool(questions), "answer-key": teacher and bool(questions), "stats": numbers is not None}
    headings = {"overview": (Span(labels["overview"]),), "objectives": (Span(labels["objectives"]),),
                "reading": reading.title if reading else (), "sources": (Span(labels["sources"]),),
                "key-terms": (Span(labels["key_terms"]),),
                "discussion": (Span(labels["discussion"]),),
                "worksheet": inline(lesson.worksheet.title) if lesson.worksheet and lesson.worksheet.title
                else (Span(labels["worksheet"]),),
                "answer-key": (Span(labels["answer_key"]),), "stats": (Span(labels["reading_stats"]),)}
    kinds = [kind for kind in _ORDER if present[kind]]
    heights = {"overview": _overview_height(measures, overview) if overview else 0.0,
               "objectives": sum(paging.rich(measures, o) for o in objectives),
               "reading": paging.blocks(measures, tuple(b for _, b in reading.paragraphs)) if reading else 0.0,
               "sources": sum(paging.source(measures, v) for v in loose),
               "key-terms": _glossary_height(measures, glossary) if glossary else 0.0,
               "discussion": sum(paging.rich(measures, p.text) + (paging.rich(measures, p.notes, scale=0.9)
                                                                  if p.notes else 0) for p in prompts)}
    masthead = measures.size * 6  # name line or banner, title; subtitle and meta below add a little
    if context.letterhead is not None and (context.letterhead.logo is not None or context.letterhead.text):
        masthead += LOGO_HEIGHT + measures.size  # the school's logo and lines above it, on the first page
    masthead += (paging.rich(measures, inline(lesson.subtitle)) if lesson.subtitle else 0) + (measures.line if meta else 0)
    new_page, worksheet_top = _page_starts(kinds, heights, masthead, measures, context.breaks, teacher=teacher)
    # A layout showed the student's worksheet opening a page after the first (its heading keeps with a first
    # question too tall for the room left): it starts a page, so it asks for the name, and copied two-sided it
    # starts a right-hand one.
    opened = context.worksheet_start is not None and not teacher and "worksheet" in kinds \
        and context.worksheet_start[0] > 0 and context.worksheet_start[1]
    if opened:
        new_page.add("worksheet")

    worksheet = None
    if questions:
        # "lines: fill" is about the student's page: the teacher's copy gets the same number of lines.
        if teacher:
            student_kinds = (["objectives"] if objectives else []) + [
                k for k in kinds if k not in ("overview", "answer-key", "stats")]
            student_heights = {**heights, "discussion": sum(paging.rich(measures, p.text) for p in prompts)}
            _, student_top = _page_starts(student_kinds, student_heights, masthead, measures, context.breaks)
            student = questions_for(False)
        else:
            student_top, student = worksheet_top, questions
        fills = _fill_lines(student, items, student_top + paging.heading(measures) + measures.line * 2, measures)
        # Measured from a layout of this version's student edition (the teacher edition: the written order's),
        # the room below each "lines: fill" prompt: the lines that fill it, or, with fewer than the question's
        # floor, a page of lines on the next page.
        for i, measured in (context.fill_room or {}).items():
            if i in fills:
                q = student[i]
                head = paging.question(measures, replace(q, writing=replace(q.writing, lines=0)))  # type: ignore
                floor = paging.fill_floor(q)
                if measured.moved:  # laid out on the next page: the room there, or (not measured yet) a page
                    room = measured.room if measured.room is not None else 0.0
                    fills[i] = (paging.lines_in(measures, room, floor, head), True)
                else:
                    room = measured.room or 0.0
                    fills[i] = (paging.lines_in(measures, room, floor, head), paging.moves_on(measures, room, floor))
        # The teacher's copy gets the student's lines, the model answer set on them (smaller, if it needs more).
        questions = [replace(q, writing=on_lines(replace(q.writing, lines=fills[i][0])))
                     if i in fills else q for i, q in enumerate(questions)]
        # A question that fills its page starts where it is, or (too little room there) starts the next page
        # whole; any other goes on over the page only between writing lines, and only when it is tall — but the
        # last one, when nothing follows it, rather goes whole to the next page than leave a few lines behind.
        last = len(questions) - 1
        questions = [replace(q, fills_page=i in fills,
                             keep_whole=fills[i][1] if i in fills else paging.keep_whole(measures, q) or (
                                 i == last and not teacher and paging.fits_on_a_page(measures, q)))
                     for i, q in enumerate(questions)]
        # The worksheet's heading keeps with its first question: one kept whole that fits a page, but not under
        # the heading (and the name line and instructions), opens under it and goes on over the page instead.
        if questions and not teacher and questions[0].keep_whole and 0 not in fills and not questions[0].sources:
            head = paging.heading(measures) + measures.line * 4 + (  # the name and score line with its room
                paging.rich(measures, inline(lesson.worksheet.instructions)) if lesson.worksheet.instructions else 0.0)
            if not paging.fits_on_a_page(measures, questions[0], head) and paging.fits_on_a_page(measures, questions[0]):
                questions[0] = replace(questions[0], keep_whole=False)
        questions = [replace(q, sources=_printed_sources(measures, q, labels)) for q in questions]
        if context.fillable and not teacher:
            questions = [with_fields(q, labels, context.field_pages) for q in questions]
        # A form asks for the name once, at the top (a second page handed in is a paper habit).
        # The teacher's worksheet of a build with versions is version A's, and says so.
        shown = labels["version"].format(letter="A") if teacher and context.versions > 1 else version
        # The page handed in asks for the name again, unless the worksheet begins on the first page, under the
        # name line at the top: its heading keeps with the opening of its first question, so a worksheet whose
        # first question cannot start on page one starts page two, and asks for the name there.
        first = paging.opening(measures, questions[0]) if questions else 0.0
        on_first_page = "worksheet" not in new_page and masthead + sum(
            paging.heading(measures) + heights.get(k, 0.0) for k in kinds[:kinds.index("worksheet")]
        ) + paging.heading(measures) + measures.line * 2 + first <= measures.height * paging.WHOLE_PAGE
        if context.worksheet_start is not None and not teacher:  # measured: where the heading landed
            on_first_page = context.worksheet_start[0] == 0
        worksheet = _worksheet(lesson, tuple(questions), labels, teacher,
                               not on_first_page and not context.fillable, shown)
    key = _answer_key(worksheet.questions, worksheet, labels, measures) if teacher and worksheet else None
    version_keys, grids = (), ()
    if key is not None and worksheet is not None and context.versions > 1:
        version_keys, grids = _version_keys(source, worksheet, labels, measures, context)
        key = version_keys[0]
    stats = StatsView(_stats_lines(numbers, labels)) if numbers else None
    if stats is not None and key is not None:  # the statistics join the key's last rows, never a page of their own
        if grids:
            grids = (*grids[:-1], replace(grids[-1], keep_with_next=True))
        elif version_keys:
            version_keys = (*version_keys[:-1], replace(version_keys[-1], keep_with_next=True))
            key = version_keys[0]
        else:
            key = replace(key, keep_with_next=True)
    # Copied two-sided, the student's worksheet — the sheet handed in — starts a right-hand page when it starts a
    # page, so it is never printed on the back of the reading (the fillable PDF keeps the same pages).
    recto = context.duplex and not teacher
    sections = tuple(Section(kind, f"{source.id}-{kind}", headings[kind], 3 if kind == "stats" else 2,
                             new_page=kind in new_page, recto=recto and kind == "worksheet" and kind in new_page)
                     for kind in kinds)

    edition_label = labels["teacher_edition"] if teacher else ""
    letterhead = letterhead_view(context.letterhead, title=title_text, edition=labels[f"{edition}_edition"],
                                 teacher="" if is_placeholder(lesson.author) else lesson.author or "",
                                 text_width=context.text_width)
    return Handout(
        lesson_id=source.id, edition=edition, language=lesson.language, labels=labels,
        document=DocumentInfo(
            title=f"{title_text} — {edition_label or version}" if teacher or version else title_text,
            author="" if is_placeholder(lesson.author) else lesson.author or "", subject=" · ".join(plain(value) for _, value in meta),
            keywords=tuple(plain(inline(t.term)) for t in lesson.key_terms), language=lesson.language,
            created=source_date()),
        running=with_letterhead(
            RunningText(context.header_text or "", edition_label or version, title_text, page_label(labels),
                        labels["intentionally_blank"] if any(s.recto for s in sections) else ""), letterhead),
        masthead=Masthead(banner=edition_label) if teacher else Masthead(
            name_line=(labels["name"], labels["date"], labels["class"]), version=version,
            fields=NAME_FIELDS if context.fillable else ()),
        title=title, title_text=title_text, subtitle=inline(lesson.subtitle), meta=meta, sections=sections,
        objectives=objectives, overview=overview, reading=reading, sources=loose, glossary=glossary, prompts=prompts,
        worksheet=worksheet, answer_key=key, version_keys=version_keys, key_grids=grids, stats=stats,
        reading_stats=numbers, fillable=context.fillable and not teacher,
        version_letter="" if teacher else context.version,
        lesson_sha=source.sha256 if context.fillable and not teacher else "",
        warnings=(warning,) if warning else (), letterhead=letterhead,
    )


_ORDER = ("overview", "objectives", "reading", "sources", "key-terms", "discussion", "worksheet", "answer-key", "stats")
"""Print order. The teacher's overview (objectives, content warning, notes) comes first in the teacher
edition; the student edition starts with the objectives. Page starts come from the page-break rules."""


def _key_pointer(labels: Labels, total: str, anchor: str) -> PageRef:
    before, _, after = labels["key_pointer"].format(total=total, page="{page}").partition("{page}")
    return PageRef(before, anchor, after)


def _overview_height(m: paging.Measures, o: OverviewView) -> float:
    return (sum(paging.rich(m, x) for x in o.objectives) + paging.blocks(m, o.warning) + paging.blocks(m, o.notes)
            + paging.heading(m, 3) * 3 + m.line * 2)


def _glossary_height(m: paging.Measures, g: Glossary) -> float:
    width = m.width / g.columns - m.size
    rows = [g.entries[i:i + g.columns] for i in range(0, len(g.entries), g.columns)]
    return sum(max(m.text(len(plain(t)) + len(plain(d)) + 3, width, scale=0.92, leading=1.3) for t, d in row)
               for row in rows) + m.size * 2


def _page_starts(kinds: list[str], heights: dict[str, float], masthead: float, measures: paging.Measures,
                 breaks: m.PageBreaks, *, teacher: bool = False) -> tuple[set[str], float]:
    """The sections that start a new page, by the page-break rules, and how far down its page the
    worksheet's heading begins.

    ``auto`` starts the worksheet on a page of its own, after a handout longer than a page, so that students
    hand in a sheet of its own; the teacher hands nothing in, so in the teacher edition ``auto`` lets the
    worksheet follow on (``always`` still starts a page)."""
    new_page: set[str] = set()
    before, worksheet_top = masthead, 0.0
    for kind in kinds:
        rule = getattr(breaks, kind.replace("-", "_"), "never")
        if teacher and kind == "worksheet" and rule == "auto":
            rule = "never"
        if kind != kinds[0] and (rule == "always" or (rule == "auto" and before > measures.height)):
            new_page.add(kind)
            before = 0.0
        if kind == "worksheet":
            worksheet_top = paging.offset(measures, before)
        before += paging.heading(measures) + heights.get(kind, 0.0)
    return new_page, worksheet_top


SOURCE_PART_SHARE = 0.8
"""A source taller than a page is printed in parts of at most about this share of a page each."""


def _printed_sources(m: paging.Measures, q: Question, labels: Labels) -> tuple[SourceView, ...]:
    """The sources printed before a question as they print: a tall one in parts, the notes of each allowed to
    go on where they must, and the last part kept with the question's start when both fit on a page."""
    split = [_parts(m, s, labels) for s in q.sources]
    parts = tuple(part for pieces in split for part in pieces)
    if not parts:
        return ()
    # A source printed in parts: what a layout measured of it whole is not the height of its first part.
    cut = {pieces[0].anchor for pieces in split if len(pieces) > 1}
    if cut:
        m = replace(m, measured={k: v for k, v in m.measured.items() if k not in cut})
    kept = paging.with_question(m, replace(q, sources=parts))
    return tuple(replace(p, notes_may_break=paging.notes_may_break(m, p, q), with_question=kept and k == len(parts) - 1)
                 for k, p in enumerate(parts))


def _parts(m: paging.Measures, s: SourceView, labels: Labels) -> tuple[SourceView, ...]:
    """A source as printed: whole, or (taller than a page) in parts cut between its paragraphs or stanzas, or
    between the lines of one that is itself too tall, each part a frame of its own; the later parts are
    labelled "continued", and the caption, citation and notes close the last."""
    if paging.fits(m, s.anchor, paging.source(m, s)) or not (s.text or s.parallel):
        return (s,)
    frame = paging.source(m, replace(s, text=(), notes=(), parallel=None))
    budget = m.height * SOURCE_PART_SHARE - frame
    if s.parallel is not None:
        return _parallel_parts(m, s, labels, budget)
    chunks: list[list[Block | Verse]] = [[]]
    for block in (piece for b in s.text for piece in _pieces(m, b, budget)):
        if chunks[-1] and paging.blocks(m, (*chunks[-1], block)) > budget:
            chunks.append([])
        chunks[-1].append(block)
    return _continued(s, labels, [{"text": tuple(chunk)} for chunk in chunks])


def _parallel_parts(m: paging.Measures, s: SourceView, labels: Labels, budget: float) -> tuple[SourceView, ...]:
    """Two texts side by side taller than a page, cut between rows: between stanzas where it can (verse), else
    between lines or paragraphs; each part repeats the titles' row. Linear in the rows."""
    par = s.parallel
    assert par is not None
    inner = m.width - 2 * FRAME_INSET
    room = budget - m.line * 1.2  # the titles' row
    heights = [paging.parallel_row(m, par, row, inner) for row in par.rows]
    # The height of the stanza each row starts (the rest of its stanza with it), or of the row alone.
    ahead = list(heights)
    for k in range(len(par.rows) - 2, -1, -1):
        if not par.rows[k + 1].stanza_start:
            ahead[k] = heights[k] + ahead[k + 1]
    chunks: list[list] = [[]]
    used = 0.0
    for k, row in enumerate(par.rows):
        # A new stanza starts a part when it would not fit whole in this one; a line, when it would not fit.
        needed = ahead[k] if row.stanza_start else heights[k]
        if chunks[-1] and used + needed > room:
            chunks.append([])
            used = 0.0
        used += heights[k]
        chunks[-1].append(replace(row, stanza_start=False) if not chunks[-1] else row)
    return _continued(s, labels, [{"parallel": replace(par, rows=tuple(chunk))} for chunk in chunks])


def _continued(s: SourceView, labels: Labels, bodies: list[dict]) -> tuple[SourceView, ...]:
    """A source in parts, one a body (``text`` or ``parallel``): the later ones labelled "continued", and the
    picture, table, caption, citation and notes closing the last."""
    if len(bodies) == 1:
        return (s,)
    continued = labels["source_continued"].format(label=s.label)
    out = []
    for k, body in enumerate(bodies):
        last = k == len(bodies) - 1
        out.append(replace(s, **body, whole=False, label=s.label if k == 0 else continued,
                           anchor=s.anchor if k == 0 else f"{s.anchor}-{k + 1}",
                           picture=s.picture if last else None, table=s.table if last else None,
                           caption=s.caption if last else (), citation=s.citation if last else (),
                           notes=s.notes if last else (), notes_label=s.notes_label if last else ""))
    return tuple(out)


def _pieces(m: paging.Measures, block: Block | Verse, budget: float) -> list[Block | Verse]:
    """A paragraph taller than ``budget`` cut between its lines (a poem written as one stanza), a poem (verse:
    true) cut between its stanzas (see :func:`.paging.verse_parts`), else itself."""
    if isinstance(block, Verse):
        return list(paging.verse_parts(m, block, budget, m.width - 2 * FRAME_INSET))
    if block.kind != "paragraph" or paging.blocks(m, (block,)) <= budget:
        return [block]
    lines: list[list[Span]] = [[]]
    for span in block.spans:
        for k, piece in enumerate(span.text.split("\n")):
            if k:
                lines.append([])
            if piece:
                lines[-1].append(replace(span, text=piece))
    if len(lines) < 2:
        return [block]
    out: list[list[Span]] = [[]]
    for line in lines:
        candidate = out[-1] + ([replace(line[0], text="\n")] if out[-1] and line else []) + line
        if out[-1] and paging.blocks(m, (Block("paragraph", tuple(candidate)),)) > budget:
            out.append(list(line))
        else:
            out[-1] = candidate
    return [Block("paragraph", tuple(spans)) for spans in out if spans]


def _fill_lines(questions: list[Question], items, start: float, m: paging.Measures) -> dict[int, tuple[int, bool]]:
    """The writing lines each ``lines: fill`` question gets, estimated (those that reach the foot of its page),
    and whether it starts the next page instead."""
    return {i: paging.fill_lines(m, start, questions, i) for i, item in enumerate(items)
            if getattr(item, "lines", None) == "fill"}


def page_label(labels: Labels) -> tuple[str, str, str]:
    """The words around the page number and the page count ("Page ", " of ", "")."""
    before, _, rest = labels["page_of"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    return before, middle, after


def _worksheet(lesson: m.Lesson, questions: tuple[Question, ...], labels: Labels, teacher: bool,
               starts_page: bool, version: str) -> WorksheetView:
    assert lesson.worksheet is not None
    total = sum(q.points for q in questions if not q.bonus)
    # The student's copy of the page that is handed in asks for a name again (when it starts a page of
    # its own) and has a box for the score; the teacher's copy says what the worksheet is worth.
    return WorksheetView(
        instructions=inline(lesson.worksheet.instructions),
        total_points=total, total_label=counted(labels, "total", total) if teacher else "", questions=questions,
        name_line=(labels["name"], labels["date"], labels["class"]) if starts_page and not teacher else (),
        score=("", "") if teacher else (labels["score"], f"/ {number(total)}"), version=version)


def _answer_key(questions: tuple[Question, ...], worksheet: WorksheetView, labels: Labels,
                measures: paging.Measures, caption: str = "") -> KeyTable:
    rows = tuple(KeyRow(str(q.number), labels[f"type_{q.kind}"], flat(answer),
                        f"{number(q.points)} ({labels['bonus']})" if q.bonus else number(q.points),
                        keep_whole=paging.key_row(measures, flat(answer)) <= measures.height * paging.KEY_ROW_SHARE,
                        printed=answer)
                 for q in questions for answer in (key_text(_kind(q).key_answer(q, labels)),))
    rows = _kept_with_total(rows)
    header = ("#", labels["question"], labels["answer"], labels["points_column"])
    total = KeyRow("", "", worksheet.total_label, number(worksheet.total_points),
                   printed=(Span(worksheet.total_label),))
    cells = [(r.number, r.kind, r.printed, r.points) for r in (*rows, total)]
    height = sum(paging.key_row(measures, r.answer) for r in (*rows, total))
    return KeyTable(header, rows, total, caption, _key_widths(header, cells, measures, (True, False, False, True)),
                    keep_whole=height <= measures.height * KEEP_SHARE)


KEY_ROWS_WITH_TOTAL = 3
"""The answer key's last rows that stay on the page of its total line, so that the total never closes the key on
a page of its own with a single row above it."""


def _kept_with_total(rows: tuple[KeyRow, ...]) -> tuple[KeyRow, ...]:
    """The key's rows, the last :data:`KEY_ROWS_WITH_TOTAL` of them kept with the row after them (and so with the
    total line); a row that may go on over the page (taller than a share of it) ends the run, as do the rows
    above it: kept together they could need more than a page."""
    kept = 0
    for row in reversed(rows):
        if kept == KEY_ROWS_WITH_TOTAL or not row.keep_whole:
            break
        kept += 1
    return tuple(replace(row, keep_with_next=k >= len(rows) - kept) for k, row in enumerate(rows))


KEEP_SHARE = 1 / 3
"""A glossary box, answer key or grid no taller than this share of a page stays on one page; a taller one may
break (between entries or rows), rather than leave most of a page empty before it."""


KEY_TYPE = 0.9
"""The answer key's type size, as a share of the body's (base.css: .key)."""


def key_text(answer: str | RichText) -> RichText:
    """An item type's answer for the key or the grid as rich text: its own rich text, or a plain string (an item
    type from a package may give one) as it stands."""
    return (Span(answer),) if isinstance(answer, str) else tuple(answer)


def _key_widths(header: tuple[str, ...], rows: list[tuple[str | RichText, ...]], measures: paging.Measures,
                numeric: tuple[bool, ...]) -> tuple[float, ...]:
    """The widths of a key's columns: figures whole, the kinds and answers wrapping in what is left."""
    def text(value: str | RichText) -> RichText:
        return (Span(value),) if isinstance(value, str) else value

    return columns(tuple(text(h) for h in header), [tuple(text(c) for c in row) for row in rows], numeric,
                   measures.width, measures.size * KEY_TYPE).widths


def _version_keys(source: m.LessonFile, worksheet: WorksheetView, labels: Labels, measures: paging.Measures,
                  context: PlanContext) -> tuple[tuple[KeyTable, ...], tuple[KeyGrid, ...]]:
    """A key for each version, and every question's answer in every version side by side: one table, or one
    for every :data:`GRID_VERSIONS` versions (a column per version stays wide enough to read)."""
    lesson = source.lesson
    written = lesson.worksheet.items if lesson.worksheet else []
    keys, columns = [], []
    every = arrangements(lesson, source.id, context.versions)
    for a in every:
        questions = _printed(a, written, lesson, labels, context, source.images)
        key = _answer_key(questions, worksheet, labels, measures, labels["version"].format(letter=a.letter))
        if a.letter != "A":  # an open question's model answer and rubric are printed once, in version A's key
            key = replace(key, rows=_kept_with_total(tuple(
                replace(row, answer=flat(grid), printed=grid, keep_whole=True)
                if _kind(q).read_by_teacher else row for row, q, w in zip(key.rows, questions, a.order)
                for grid in (key_text(_kind(q).grid_answer(q, labels, w + 1)),))))
        keys.append(key)
        columns.append([key_text(_kind(q).grid_answer(q, labels, w + 1)) for q, w in zip(questions, a.order)])
    letters = [a.letter for a in every]
    grids = []
    for start in range(0, len(letters), GRID_VERSIONS):
        shown = letters[start:start + GRID_VERSIONS]
        caption = labels["all_versions"] + (f" ({shown[0]}–{shown[-1]})" if len(letters) > GRID_VERSIONS else "")
        printed = tuple(((Span(str(n)),), *(column[n - 1] for column in columns[start:start + GRID_VERSIONS]))
                        for n in range(1, len(written) + 1))
        rows = tuple(tuple(flat(cell) for cell in row) for row in printed)
        header = ("#", *shown)
        grids.append(KeyGrid(caption, header, rows,
                             _key_widths(header, list(printed), measures, (True,) + (False,) * len(shown)),
                             keep_whole=(len(rows) + 1) * (measures.line + measures.size * 0.5)
                             <= measures.height * KEEP_SHARE, printed=printed))
    return tuple(keys), tuple(grids)


GRID_VERSIONS = 6
"""Most versions side by side in one table of the teacher's key: more get a table of their own (A–F, G–L…)."""

def _printed(a: Arrangement, written: list, lesson: m.Lesson, labels: Labels, context: PlanContext,
             images: dict) -> tuple[Question, ...]:
    """One version's questions as the teacher's key reads them (answers, no sources or page decisions)."""
    return tuple(question(k, written[w], lesson, True, labels, context, a.inner[w], images=images)
                 for k, w in enumerate(a.order))


def _kind(q: Question):
    """The question's item type (:class:`lessonpack.items.base.ItemType`)."""
    return item_types()[q.kind]


def _stats_lines(stats: ReadingStats, labels: Labels) -> tuple[str, ...]:
    words = labels["word_count"].format(words=stats.words)
    lines = [f"{words}; {labels['minutes_to_read'].format(minutes=stats.minutes)}"]
    if stats.grade_level is not None:
        level = labels["reading_level"].format(level=number(stats.grade_level))
        if stats.comparison and stats.target:
            low, high = stats.target
            grade = number(low) if low == high else f"{number(low)}–{number(high)}"
            level += " — " + labels[f"level_{stats.comparison}"].format(grade=grade)
        lines.append(level)
    return tuple(lines)
