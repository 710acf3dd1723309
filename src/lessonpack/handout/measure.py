"""What planning asks of a laid-out page, and the protocol a renderer answers it through.

The plan estimates heights (:mod:`.paging`). Three things only a layout knows exactly:

- the room a "lines: fill" question has, from where its writing begins down to the foot of its page, so that
  its lines fill the page and no more;
- which page each writing line of the fillable edition lands on, so that no text box runs over a page;
- whether a picture in the reading fitted the room left on its page, or left it blank by starting the next;
- where the student's worksheet begins: on the first page, or opening a later one (then it asks for the name).

All are asked for by the model's own ids — :attr:`Writing.anchor <lessonpack.handout.views.Writing.anchor>`,
the ids of a run's lines (:attr:`Writing.runs <lessonpack.handout.views.Writing.runs>`) and of the reading's
paragraphs and pictures (:attr:`ReadingView.anchors <lessonpack.handout.views.ReadingView.anchors>`) — and
answered by a
:class:`Layout`: where each id was drawn. The PDF renderer is lessonpack's layout
(:class:`lessonpack.render.pdf.PdfLayout`); the handout package never imports a renderer, and a renderer never
decides what its measurements mean.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..plugins import item_types
from . import paging
from .context import FillRoom, PlanContext
from .fields import run_of
from .views import Handout, Question


@dataclass(frozen=True)
class Placement:
    """Where one piece of a drawn element is: its page (0 for the first) and its top and bottom, in points from
    the top of the page. An element the page cut has a placement on each page it reaches."""

    page: int
    top: float
    bottom: float


class Layout(Protocol):
    """A renderer that lays a handout out and says where things landed."""

    def place(self, handout: Handout, ids: Collection[str]) -> Mapping[str, Sequence[Placement]]:
        """Lay ``handout`` out and give, for each of ``ids`` drawn, its placements in page order. An id the
        layout did not draw is absent."""
        ...

    def heights(self, handout: Handout, ids: Collection[str]) -> Mapping[str, float]:
        """Lay ``handout`` out on pages tall enough that no page cuts what is asked for, and give the height in
        points of each of ``ids`` drawn (whole: as it would be on a page that holds it). An id the layout did not
        draw is absent."""
        ...


def _questions(handout: Handout) -> tuple[Question, ...]:
    return handout.worksheet.questions if handout.worksheet else ()


def fill_room(handout: Handout, layout: Layout, context: PlanContext) -> dict[int, float]:
    """For each "lines: fill" question (by its place in the worksheet), the room in points from where its
    writing begins down to the foot of the page it begins on."""
    wanted = {q.writing.anchor: i for i, q in enumerate(_questions(handout))
              if q.fills_page and q.writing is not None and q.writing.anchor}
    if not wanted:
        return {}
    page = context.page
    foot = page.page_height - page.bottom
    placed = layout.place(handout, wanted)
    return {i: foot - placed[anchor][0].top for anchor, i in wanted.items() if placed.get(anchor)}


def field_pages(handout: Handout, layout: Layout) -> dict[str, tuple[int, ...]]:
    """For each run of writing lines with text boxes over it (by the run's field name; a long run's later boxes
    count with its first), how many of its lines each page it reaches holds, in page order."""
    types = item_types()
    runs: dict[str, list[str]] = {}
    for q in _questions(handout):
        for writing in types[q.kind].writings(q):
            for run in writing.runs:
                runs.setdefault(run_of(run.field), []).extend(run.line_ids)
    if not runs:
        return {}
    placed = layout.place(handout, [line for lines in runs.values() for line in lines])
    out = {}
    for name, lines in runs.items():
        pages = [placed[line][0].page for line in lines if placed.get(line)]
        if pages:
            out[name] = tuple(pages.count(n) for n in sorted(set(pages)))
    return out


TALL_SHARE = 0.6
"""A question or source estimated taller than this share of a page is measured (see :func:`measured_heights`):
whether it is kept whole, printed in parts or kept with its neighbour turns on its height near a page's."""


def measured_heights(handout: Handout, layout: Layout, context: PlanContext) -> dict[str, float]:
    """The heights a layout of ``handout`` gives its tall questions and sources (by id), for the plan's decisions
    to rest on: what is kept whole, what may go on over a page, which source prints in parts and which keeps with
    its question. Only those estimated taller than :data:`TALL_SHARE` of a page are asked for (none: no layout);
    a "lines: fill" question is left out (its height is the room it is given), and so is a source the plan
    already printed in parts. Each is measured whole, on a page tall enough that none is cut."""
    m = paging.Measures.of(context.page)
    limit = m.height * TALL_SHARE
    wanted: list[str] = []
    for q in _questions(handout):
        if not q.fills_page and paging.question(m, q) > limit:
            wanted.append(q.anchor)
        anchors = [s.anchor for s in q.sources]
        wanted += [s.anchor for s in q.sources if paging.source(m, s) > limit
                   and not any(a.startswith(s.anchor + "-") for a in anchors)]
    if not wanted:
        return {}
    return dict(layout.heights(handout, wanted))


def worksheet_start(handout: Handout, layout: Layout, context: PlanContext) -> tuple[int, bool] | None:
    """Where the worksheet's heading landed in a layout of ``handout``: its page (0 for the first) and whether it
    opens that page (nothing above it but the page's top margin). None when there is no worksheet or the layout
    did not draw it.

    The plan estimates whether the worksheet begins on the first page under the name line, or starts a page of
    its own; the heading keeps with the opening of the first question, so a first question (or source) taller
    than the room left takes the heading to the next page, which only a layout shows."""
    section = handout.section("worksheet")
    if section is None:
        return None
    spot = layout.place(handout, [section.anchor]).get(section.anchor)
    if not spot:
        return None
    page = context.page
    return spot[0].page, spot[0].top <= page.top + page.size * 1.5


PICTURE_GAP = 0.2
"""The share of a page's text height left blank above a reading's picture (it did not fit below the paragraph
before it, so it starts the next page) that the text after it should fill instead."""

PICTURE_PASSES = 4
"""Most layouts spent placing the reading's pictures (see :func:`picture_moves`)."""


def picture_moves(plan_edition: Callable[[Mapping[str, int]], Handout], layout: Layout,
                  context: PlanContext) -> dict[str, int]:
    """How many paragraphs after its written place each of the reading's pictures prints (by its id), from layouts
    of the handout (``plan_edition(moves)`` plans it with the moves so far).

    A picture too tall for the room left on its page starts the next page and leaves that room blank; when the
    blank is more than :data:`PICTURE_GAP` of the page, the paragraph after the picture is printed before it
    and runs into the room, as a book sets a figure at the top of the next page. A picture moves one paragraph
    per layout, the first one first (a move shifts everything after it), and never past another picture or the
    reading's end; at most :data:`PICTURE_PASSES` layouts."""
    moves: dict[str, int] = {}
    page = context.page
    foot = page.page_height - page.bottom
    gap = PICTURE_GAP * (page.page_height - page.top - page.bottom)
    for _ in range(PICTURE_PASSES):
        handout = plan_edition(moves)
        reading = handout.reading
        if reading is None or not any(b.kind == "picture" for _, b in reading.paragraphs):
            break
        placed = layout.place(handout, reading.anchors)
        moved = None
        for i, (_, block) in enumerate(reading.paragraphs):
            if block.kind != "picture" or i == 0 or i + 1 >= len(reading.paragraphs) \
                    or reading.paragraphs[i + 1][1].kind == "picture":
                continue
            here, before = placed.get(reading.anchors[i]), placed.get(reading.anchors[i - 1])
            if here and before and here[0].page == before[-1].page + 1 and foot - before[-1].bottom > gap:
                moved = reading.anchors[i]
                break
        if moved is None:
            break
        moves[moved] = moves.get(moved, 0) + 1
    return moves


FILL_PASSES = 4
"""Most layouts spent on "lines: fill" (see :func:`measured_fill_room`), besides a last one when they run out."""


def measured_fill_room(plan_student: Callable[[Mapping[int, FillRoom]], Handout], layout: Layout,
                       context: PlanContext) -> dict[int, FillRoom]:
    """What layouts of the student edition measure for every "lines: fill" question, ``plan_student(room)``
    planning it with what was measured so far.

    The room of a question depends on everything before it, the earlier "fill" questions' lines included, so the
    questions are settled in order. A question with room for its floor of lines where it is settles with that
    room; one without starts the next page, and is laid out there once more to measure the page's room. A layout
    in which every unsettled question already has the lines its room gives settles them all at once. At most
    :data:`FILL_PASSES` layouts; the last settles what is left."""
    room: dict[int, FillRoom] = {}
    student = plan_student(room)
    for _ in range(FILL_PASSES):
        laid = {i: q for i, q in enumerate(_questions(student)) if q.fills_page}
        open_ = [i for i in laid if i not in room or room[i].room is None]
        if not open_:
            break
        measured = fill_room(student, layout, context)
        first = open_[0]
        settled = dict(room)
        for i in open_:
            if i not in measured:
                continue
            moved = laid[i].keep_whole  # how this layout laid it: starting the next page, or where it is
            floor = paging.fill_floor(laid[i])
            if not moved and paging.moves_on(paging.Measures.of(context.geometry), measured[i], floor):
                settled[i] = FillRoom(None, True)  # too little room here: lay it out on the next page
            else:
                settled[i] = FillRoom(measured[i], moved)
        again = plan_student(settled)
        if all(settled.get(i, FillRoom(None)).room is not None for i in open_) and _fill_laid(again) == _fill_laid(student):
            return settled  # the layout had the lines its measured room gives: all settled at once
        if first in settled:
            room[first] = settled[first]
        student = plan_student(room)
    else:
        measured = fill_room(student, layout, context)
        for i, q in enumerate(_questions(student)):
            if q.fills_page and (i not in room or room[i].room is None) and i in measured:
                room[i] = FillRoom(measured[i], q.keep_whole)
    return room


def _fill_laid(h: Handout) -> list[tuple[int, bool]]:
    """The lines and the start (in place, or on the next page) of each "lines: fill" question."""
    return [(q.writing.lines if q.writing else 0, q.keep_whole) for q in _questions(h) if q.fills_page]


FIELD_PASSES = 3
"""Most layouts of a fillable PDF spent fitting its text boxes to pages (one is almost always enough: a run of
writing lines cut where the page cut it lays out as it did)."""


def planned_boxes(handout: Handout) -> dict[str, tuple[int, ...]]:
    """Each run of writing lines' boxes as planned: its field name → the lines under each box."""
    out: dict[str, list[int]] = {}
    types = item_types()
    for q in _questions(handout):
        for writing in types[q.kind].writings(q):
            for name, count in writing.fields:
                out.setdefault(run_of(name), []).append(count)
    return {name: tuple(counts) for name, counts in out.items()}


def boxes_per_page(handout: Handout, plan_form: Callable[[PlanContext], Handout], layout: Layout,
                   context: PlanContext) -> Handout:
    """The fillable handout with every run of writing lines given one text box per page it reaches, from
    layouts of the form (``plan_form(context)`` plans it again with what was measured): a box drawn over a
    run that goes on over a page would leave the next page's lines without a field."""
    for _ in range(FIELD_PASSES):
        measured = field_pages(handout, layout)
        if all(planned_boxes(handout).get(name) == pages for name, pages in measured.items()):
            return handout
        context = replace(context, field_pages={**(context.field_pages or {}), **measured})
        handout = plan_form(context)
    return handout
