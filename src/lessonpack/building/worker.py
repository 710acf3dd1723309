"""Render one output's bytes: the work the build hands to its worker processes.

A lesson job plans its handout (counting the lines of "lines: fill" questions from a layout of the
student edition, once per lesson) and draws it as PDF, Word or HTML; a unit job lays out the unit's
front matter and copies the lessons' own PDFs after it. The main process imports this module just
before it forks the workers, so they start with the renderers loaded.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from dataclasses import dataclass

from .. import limits
from ..errors import Diagnostic, LessonpackError, display_path
from ..handout import FillRoom, Handout, PlanContext, UnitInfo, plan, plan_unit
from ..handout import measure
from ..handout.measure import Layout
from ..load.model import LessonFile
from .output import sha256
from ..load.packfiles import read_pack_file
from ..plugins import output_format
from ..render.formats import RenderContext
from ..styles.geometry import Geometry
from .jobs import Job, Settings, lesson_hash, printed_version

if TYPE_CHECKING:
    from ..load.pack import Pack


def plan_context(settings: Settings, job: Job | None = None) -> PlanContext:
    """What the handout model needs from the build: the running header's words, the page's measures and
    (for a job) the version it prints, and whether it is the fillable PDF."""
    return PlanContext(settings.header, Geometry.of(settings.style.tokens, settings.paper), settings.page_breaks,
                       version=printed_version(job, settings) if job is not None else "", versions=settings.versions,
                       fillable=job is not None and output_format(job.format).fillable, duplex=settings.duplex,
                       letterhead=settings.letterhead)


_FILL_ROOM: dict[tuple, dict[int, FillRoom]] = {}
"""The room measured for each lesson's "lines: fill" questions, in this process (a worker renders several
documents of a lesson, and the build hands what one worker measured to the others): measured once each."""


def _fill_key(lesson: LessonFile, context: PlanContext, settings: Settings) -> tuple:
    return (lesson.id, lesson_hash(lesson), settings.style.name, settings.paper, context.header_text,
            repr(context.page_breaks), _measured_version(context), context.fillable, repr(context.letterhead))


def _measured_version(context: PlanContext) -> str:
    """The student version whose layout is measured for "lines: fill": each version its own (a shuffle moves a
    question up or down its page), the teacher edition version A's (the written order it prints)."""
    if context.fillable or context.versions <= 1:
        return context.version
    return context.version or "A"


def _layout(settings: Settings, root: Path) -> Layout:
    from ..render.pdf import PdfLayout

    return PdfLayout(settings.style, settings.paper, root)


_PICTURE_MOVES: dict[tuple, dict[str, int]] = {}
"""Where each lesson's reading pictures print (see measure.picture_moves), per edition, in this process."""


def _picture_moves(lesson: LessonFile, edition: str, context: PlanContext, settings: Settings,
                   root: Path) -> dict[str, int]:
    """How far each of the reading's pictures moves in this edition, from layouts of it (every version and the
    fillable PDF print the same reading)."""
    if lesson.lesson.reading is None or "![" not in lesson.lesson.reading.text:
        return {}
    key = (lesson.id, lesson_hash(lesson), settings.style.name, settings.paper, context.header_text,
           repr(context.page_breaks), edition, context.duplex, repr(context.letterhead))
    if key not in _PICTURE_MOVES:
        _PICTURE_MOVES[key] = measure.picture_moves(
            lambda moves: plan(lesson, edition, replace(context, picture_moves=moves, fill_room=None)),
            _layout(settings, root), context)
    return _PICTURE_MOVES[key]


_HEIGHTS: dict[tuple, dict[str, float]] = {}
"""The measured heights of each handout's tall questions and sources (see measure.measured_heights), in this
process."""


def _heights(lesson: LessonFile, edition: str, context: PlanContext, settings: Settings, root: Path) -> dict[str, float]:
    """What a layout of this edition (and version) measures of its tall questions and sources."""
    key = (_fill_key(lesson, context, settings), edition, context.version, repr(context.picture_moves))
    if key not in _HEIGHTS:
        estimated = plan(lesson, edition, replace(context, heights=None, worksheet_start=None))
        _HEIGHTS[key] = measure.measured_heights(estimated, _layout(settings, root), context)
    return _HEIGHTS[key]


_WORKSHEET_START: dict[tuple, tuple[int, bool] | None] = {}
"""Where each student handout's worksheet begins, measured (see measure.worksheet_start), in this process."""


def _worksheet_start(lesson: LessonFile, context: PlanContext, settings: Settings,
                     root: Path) -> tuple[int, bool] | None:
    """Where the student's worksheet begins in this version's layout, when the plan has it follow on from what
    comes before (a worksheet that starts a page by the rules needs no measuring)."""
    estimated = plan(lesson, "student", context)
    section = estimated.section("worksheet")
    if section is None or section.new_page:
        return None
    key = (_fill_key(lesson, context, settings), context.version, repr(context.picture_moves), context.duplex,
           repr(sorted((context.heights or {}).items())))
    if key not in _WORKSHEET_START:
        _WORKSHEET_START[key] = measure.worksheet_start(estimated, _layout(settings, root), context)
    return _WORKSHEET_START[key]


def plan_handout(lesson: LessonFile, edition: str, context: PlanContext, settings: Settings, root: Path) -> Handout:
    """The handout, with the lines of each "lines: fill" question counted from a layout of the student
    edition rather than estimated: an estimate a little off leaves a page nearly empty or pushes lines
    onto a page of their own; and with the reading's pictures placed where a layout shows they leave no
    page half blank. PDF and DOCX get the same counts and places."""
    student_moves = _picture_moves(lesson, "student", context, settings, root)
    moves = student_moves if edition == "student" else _picture_moves(lesson, edition, context, settings, root)
    context = replace(context, picture_moves=moves)
    context = replace(context, heights=_heights(lesson, edition, context, settings, root))
    if edition == "student":
        context = replace(context, worksheet_start=_worksheet_start(lesson, context, settings, root))
    handout = plan(lesson, edition, context)
    if handout.worksheet is None or not any(q.fills_page for q in handout.worksheet.questions):
        return handout
    key = _fill_key(lesson, context, settings)
    if key not in _FILL_ROOM:  # else measured already, here or (handed over with the job) in another worker
        student = replace(context, version=_measured_version(context), picture_moves=student_moves,
                          worksheet_start=None, heights=None)
        student = replace(student, heights=_heights(lesson, "student", student, settings, root))
        student = replace(student, worksheet_start=_worksheet_start(lesson, student, settings, root))
        _FILL_ROOM[key] = measure.measured_fill_room(
            lambda room: plan(lesson, "student", replace(student, fill_room=room)), _layout(settings, root), context)
    return plan(lesson, edition, replace(context, fill_room=_FILL_ROOM[key], picture_moves=moves))


def boxes_per_page(handout: Handout, lesson: LessonFile, context: PlanContext, settings: Settings,
                    root: Path) -> Handout:
    """The fillable handout with one text box per page each run of writing lines reaches (see
    :func:`lessonpack.handout.measure.boxes_per_page`)."""
    return measure.boxes_per_page(handout, lambda c: plan_handout(lesson, "student", c, settings, root),
                                  _layout(settings, root), context)


def render_job(job: Job, pack: Pack, settings: Settings) -> tuple[bytes, list[str], list[Path]]:
    """The bytes of one output, its warnings, and the extra files (images…) it loaded."""
    context = RenderContext(settings.style, settings.paper, pack.root, embed_fonts=settings.embed_fonts)
    plan_with = plan_context(settings, job)
    if job.lesson is None:
        return _render_unit(job, pack, settings, context.loaded, context.warnings), context.warnings, context.loaded
    fmt = output_format(job.format)
    if job.fill_room is not None:
        _FILL_ROOM[_fill_key(job.lesson, plan_with, settings)] = dict(job.fill_room)
    handout = (plan_handout(job.lesson, job.edition, plan_with, settings, pack.root) if fmt.measured  # type: ignore[arg-type]
               else plan(job.lesson, job.edition, plan_with))  # type: ignore[arg-type]
    if fmt.fillable:
        handout = boxes_per_page(handout, job.lesson, plan_with, settings, pack.root)
    from ..load.images import failure_diagnostic
    from ..render.pictures import PictureFailure

    try:
        data = fmt.render(handout, context)
    except PictureFailure as exc:  # at the picture's name in the lesson, not a library's message
        raise LessonpackError([failure_diagnostic(job.lesson, exc.path, exc.reason, [pack.root])]) from None
    return data, list(handout.warnings) + context.warnings, context.loaded


FRONT_PASSES = 3
"""Most layouts of a unit's front matter: the contents quote lesson pages that follow the front matter,
so a contents longer (or shorter) than first guessed is laid out again with the pages it moved (and a cover
too long to spread over its page once more, flowing; see handout.unit.plan_unit)."""


def _contents_pages_guess(contents: list, geometry: Geometry) -> int:
    """The contents' pages as first guessed from its lines (a wrong guess costs one more layout): a line of
    body text each, a lesson's entry 4 mm apart from the next, the heading about three lines."""
    line = geometry.size * geometry.tokens.line_height
    height = sum((1 + len(entry.lines)) * line + 4 * 72 / 25.4 for entry in contents) + 3 * line
    return max(1, math.ceil(height / (geometry.page_height - geometry.top - geometry.bottom)))


def _render_unit(job: Job, pack: Pack, settings: Settings, loaded: list[Path], notes: list[str]) -> bytes:
    """A unit PDF: its front matter laid out here, then the lessons' own PDFs (this build's outputs,
    checked against the hashes the build recorded) copied in, so no lesson is laid out again."""
    from .assemble import assemble_unit, lesson_pages, open_pdf
    from ..render.pdf import render_blank_sheet, write

    lessons, pages = [], []
    for path, digest in job.parts:  # read once; each is opened only while its pages are counted, then copied
        data = read_pack_file(path, [settings.out_dir], limit=limits.MAX_OUTPUT_BYTES, what="lesson PDF")
        if sha256(data) != digest:
            raise LessonpackError(f"{display_path(path)} changed while the unit was being built; build again")
        with open_pdf(data) as pdf:
            pages.append(lesson_pages(pdf))
        lessons.append(data)
    unit, paging, laid = front_matter(job, pack, settings, pages, loaded, notes)
    front = write(laid, formulas=True)  # a title may hold a formula
    del laid  # the front matter's boxes, before the lessons are copied
    blank = (render_blank_sheet(settings.style, settings.paper, unit.blank_page_label, unit.language,
                                pack_root=pack.root) if any(paging.blank_before) else None)
    return assemble_unit(front, lessons, paging, blank=blank)


def front_matter(job: Job, pack: Pack, settings: Settings, pages: list, loaded: list[Path] | None = None,
                 notes: list[str] | None = None) -> tuple:
    """A unit's model, its paging and its front matter laid out (not yet written), given its lessons' pages."""
    from ..handout.unit import page_unit
    from ..render.pdf import layout_front_matter, on_first_page

    context = plan_context(settings, job)
    handouts = [plan(lesson, job.edition, context) for lesson in pack.lessons]  # type: ignore[arg-type]
    cfg = pack.config
    info = UnitInfo(pack.title, cfg.subtitle, cfg.school, cfg.teacher)
    contents = plan_unit(info, handouts, job.edition, duplex=settings.duplex).contents  # type: ignore[arg-type]
    front_pages = 1 + _contents_pages_guess(contents, context.geometry)  # the cover, then the contents
    spread = True
    for _ in range(FRONT_PASSES + 1):
        paging = page_unit(front_pages, pages, duplex=settings.duplex)
        unit = plan_unit(info, handouts, job.edition, duplex=settings.duplex, paging=paging,  # type: ignore[arg-type]
                         pages=pages, cover_spread=spread)
        laid = layout_front_matter(unit, settings.style, settings.paper, pack_root=pack.root, loaded=loaded,
                                   notes=notes)
        if spread and not on_first_page(laid, unit.cover_end):  # too long to spread over one page: it flows
            spread = False
            continue
        if len(laid.pages) == front_pages:
            break
        front_pages = len(laid.pages)  # laid out again only when the guess was wrong
    return unit, paging, laid


def worker_init() -> None:
    """Set up each worker once: its own font configuration; parsed stylesheets are then reused per job."""
    try:
        from ..render import pdf
    except ImportError:  # pragma: no cover - WeasyPrint missing: DOCX jobs still run
        return
    pdf.fonts_of_its_own()


def preload(jobs: list[Job]) -> None:
    """Import the renderers before the workers fork, so each starts warm instead of importing them again."""
    for name in {job.format for job in jobs}:
        fmt = output_format(name)
        if fmt.preload is not None:
            fmt.preload()
    if any(job.lesson is None for job in jobs):
        from ..render import pdf  # noqa: F401 - unit PDFs: their front matter is laid out


@dataclass(frozen=True)
class Rendered:
    """A job's output, as a worker sends it back: the bytes, its warnings, the files it loaded (for the
    manifest), and the "lines: fill" room measured for the job's lesson (None if it has no such question)."""

    data: bytes
    warnings: tuple[str, ...] = ()
    loaded: tuple[Path, ...] = ()
    fill_room: tuple[tuple[int, FillRoom], ...] | None = None
    pages: tuple = ()  # the preview's: the PDF's pages as pictures (render.raster.PageImage), and (below) how many
    page_count: int = 0


@dataclass(frozen=True)
class Refused:
    """A job that could not be rendered, and why: positioned where the cause is (a template's line, a
    picture's name in the lesson), or the lesson (or pack) itself at line 0."""

    diagnostics: tuple[Diagnostic, ...]


def run_job(job: Job, pack: Pack, settings: Settings) -> Rendered | Refused:
    """:func:`render_job`, its failures as a :class:`Refused` rather than an exception (they cross processes)."""
    try:
        data, warnings, loaded = render_job(job, pack, settings)
    except LessonpackError as exc:
        where = display_path(job.lesson.path if job.lesson else pack.root)
        return Refused(tuple(exc.diagnostics) or (Diagnostic(where, 0, 0, "error", exc.message.removeprefix("error: ")),))
    room = _FILL_ROOM.get(_fill_key(job.lesson, plan_context(settings, job), settings)) if job.lesson else None
    return Rendered(data, tuple(warnings), tuple(loaded), tuple(sorted(room.items())) if room is not None else None)


def run_pages_job(job: Job, pack: Pack, settings: Settings) -> Rendered | Refused:
    """A PDF job (:func:`run_job`) and its pages drawn as pictures, in the same limited process (the preview)."""
    from ..render.raster import page_images

    done = run_job(job, pack, settings)
    if isinstance(done, Refused):
        return done
    pages, count = page_images(done.data)
    return replace(done, pages=pages, page_count=count)
