"""``check``: everything a build would refuse, found without writing anything.

Reading a pack (:func:`lessonpack.load.pack.read_pack`) validates its files; ``check`` then judges what only
a build would otherwise find: the style the pack names (its tokens, stylesheet and Word reference document),
every SVG drawn once as Word's PNG fallback, each lesson's size in pages, and the pack's own templates
rendered through every branch a build can take. When ``check`` passes, ``build`` succeeds.
"""

from __future__ import annotations

import math

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import Diagnostic, LessonpackError, display_path
from ..limits import CHECK_TEMPLATE_TIMEOUT, MAX_PAGES
from ..load import lessoncache
from ..load import model as m
from ..load import placeholders
from ..load.images import ImageProblem, PackImage, picture_diagnostic, pictures_named
from ..load.pack import Pack, Reading, read_pack
from ..load.packfiles import PackFileError
from ..styles.geometry import Geometry
from ..styles.loader import Style, load_style
from .workers import Limits, Outcome, run, run_one
from .glyphs import lesson_glyph_problems, missing_glyphs
from ..styles.fonts import style_pack_root
from ..load.letterhead import file_letterhead


@dataclass(frozen=True)
class Report:
    """What :func:`check` found: how many lesson files it read, and every problem, sorted."""

    lessons_checked: int
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def check(target: Path | str = ".", *, template_timeout: float = CHECK_TEMPLATE_TIMEOUT,
          strict: bool = False, style: str | None = None, paper: str | None = None) -> Report:
    """Every error and warning in a pack (or one lesson file), sorted; writes nothing.

    A pack's own templates are tried on its lessons, and its SVG pictures drawn, within ``template_timeout``
    seconds each. With ``strict`` (``check --strict``), a placeholder ``lessonpack new`` wrote and the teacher
    left in is an error, not a warning. ``style`` and ``paper`` (``check --style NAME --paper SIZE``) judge the
    pack as ``build --style NAME --paper SIZE`` would print it: that style's tokens, stylesheet, fonts, templates
    and Word reference document, and the lessons' pages and tables in it.
    """
    reading, problems = _judge(target, template_timeout, style, paper)
    if strict:
        problems = placeholders.strict(problems)
    return Report(len(reading.files), sorted(set(problems)))


def check_and_load(target: Path | str = ".") -> tuple[Pack | None, list[Diagnostic]]:
    """Every problem in a pack as :func:`check` reports it, and the pack of its valid lessons, in one
    reading (None when a problem outside the lesson files stops it): what the preview shows."""
    reading, problems = _judge(target, CHECK_TEMPLATE_TIMEOUT)
    return reading.pack(problems, keep_going=True), sorted(set(problems))


def load_checked(target: Path | str = ".", *, keep_going: bool = False,
                 template_timeout: float = CHECK_TEMPLATE_TIMEOUT) -> Pack:
    """The pack, once :func:`check` finds nothing that stops it (what ``build`` renders); raise
    :class:`LessonpackError` listing every error otherwise. With ``keep_going``, invalid lessons are left out
    (their errors in ``pack.invalid``) instead."""
    reading, problems = _judge(target, template_timeout)
    pack = reading.pack(problems, keep_going=keep_going)
    if pack is None:
        raise LessonpackError(sorted(set(problems)))
    return pack


def _judge(target: Path | str, timeout: float, style_name: str | None = None,
           paper: str | None = None) -> tuple[Reading, list[Diagnostic]]:
    reading = read_pack(target)
    problems = list(reading.problems)
    style, found = _pack_style(reading) if style_name is None else _named_style(reading, style_name)
    problems += found
    geometry = Geometry.of(style.tokens, paper or reading.config.paper) if style is not None else None
    problems += _drawing_problems(reading, timeout)
    problems += _page_problems(reading, geometry)
    if style is not None:
        problems += _reference_problems(style) + _font_problems(style)
        problems += list(style.warnings)  # what of the style cannot be used: never dropped silently
        problems += _style_letterhead_problems(reading, style)
        for path in reading.lessons:  # a character no font of the style has, in any field
            raw, _, shown = reading.read[path]
            problems += lesson_glyph_problems(raw, shown, style)
        if reading.config_source is not None and isinstance(reading.raw_config.get("letterhead"), dict):
            fonts = style.tokens.fonts  # the letterhead's words, in lessonpack.yaml
            problems += missing_glyphs({"letterhead": reading.raw_config["letterhead"]}, reading.config_source,
                                       [*fonts.body, *fonts.heading], style_pack_root(style))
    root = reading.layout.root
    if (root / "templates").exists() or (root / "templates").is_symlink():
        problems += _template_problems(reading, geometry, style, timeout)
    return reading, problems


def _style_letterhead_problems(reading: Reading, style: Style) -> list[Diagnostic]:
    """The problems of the style's ``letterhead:`` (its placeholders, its logo), when the pack gives none; without
    one, what its reference document's header and footer hold that cannot be carried over (warnings)."""
    if reading.config.letterhead is not None:
        return []
    if style.tokens.letterhead is not None:
        return file_letterhead(style.tokens.letterhead, style.folder / "style.yaml", style.folder, style.root)[1]
    if style.reference_docx is None:
        return []
    from .jobs import reference_letterhead

    found = reference_letterhead(style.reference_docx, style.root)
    shown = display_path(style.reference_docx)
    return [Diagnostic(shown, 1, 1, "warning", note.removeprefix(f"{shown}: "),
                       "make the header and footer plain text and one picture in Word, or give the style a "
                       "letterhead: in style.yaml") for note in (found.notes if found else ())]


def _template_problems(reading: Reading, geometry: Geometry | None, style: Style | None,
                       timeout: float) -> list[Diagnostic]:
    """Every problem of a pack's templates: unreadable or unparsable files, then, in a limited process, the
    failures to render its lessons and the built-in ones as every edition, version and unit a build can print."""
    from ..load.samples import sample_lessons
    from ..render.template_check import TrialSettings, render_trial, template_file_problems

    root = reading.layout.root
    problems = template_file_problems(root)
    if problems or not (root / "templates").is_dir():
        return problems
    settings = TrialSettings.of(reading.config, root, geometry, style, reading.letterhead)
    own = [reading.lessons[path] for path in reading.files if path in reading.lessons]
    trial = functools.partial(render_trial, pack_root=root, settings=settings)
    outcome = run_one(trial, (own, sample_lessons()), limit=Limits(timeout=timeout))
    if outcome.ok:
        return outcome.result
    return [Diagnostic(display_path(root / "templates"), 1, 0, "error",
                       f"the pack's templates could not render its lessons: {outcome.failure}".replace(
                           "--timeout", "check --timeout"),
                       "fix the templates, or delete them to use the built-in ones")]


def _pack_style(reading: Reading) -> tuple[Style | None, list[Diagnostic]]:
    """The style the pack names (None if it cannot be used) and its problems, reported where it is named."""
    name = reading.raw_config.get("style", reading.config.style)
    if not isinstance(name, str) or not name.strip():
        return None, []  # the settings' own error says so
    try:
        return load_style(name, reading.layout.root), []
    except LessonpackError as exc:
        if exc.diagnostics:
            return None, exc.diagnostics
        if reading.config_source is None or "style" not in reading.raw_config:
            return None, [Diagnostic(display_path(reading.layout.root), 1, 1, "error", f"style: {exc.message}")]
        return None, [reading.config_source.diagnostic(("style",), f"style: {exc.message}")]


def _named_style(reading: Reading, name: str) -> tuple[Style | None, list[Diagnostic]]:
    """The style ``check --style NAME`` names, and its problems (at the style's own files, or, for a name no
    style has, at the pack folder with the names there are)."""
    try:
        return load_style(name, reading.layout.root), []
    except LessonpackError as exc:
        if exc.diagnostics:
            return None, exc.diagnostics
        return None, [Diagnostic(display_path(reading.layout.root), 1, 1, "error", f"--style {name}: {exc.message}",
                                 "`lessonpack styles` lists the styles this pack can use")]


def _font_problems(style: Style) -> list[Diagnostic]:
    """A warning, at the style's ``fonts:``, for each font it names first that this machine does not have (the
    PDF would use another, and its pages could break differently): what a build warns of, before it."""
    from ..styles.fonts import missing_font_warning, style_pack_root

    path = style.folder / "style.yaml"
    line = 1
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if text.startswith("fonts:")), 1)
    except (OSError, UnicodeDecodeError):
        pass
    fonts = style.tokens.fonts
    own = style_pack_root(style)
    return [Diagnostic(display_path(path), line, 1, "warning", warning)
            for warning in (missing_font_warning(list(fonts.body), "body", own),
                            missing_font_warning(list(fonts.heading), "heading", own)) if warning]


def _reference_problems(style: Style) -> list[Diagnostic]:
    """The style's Word reference document, taken apart as the DOCX renderer takes it apart."""
    if style.reference_docx is None:
        return []
    from ..render.docx.reference_import import read_reference

    try:
        read_reference(style.reference_docx, [style.reference_root])
    except PackFileError as exc:
        return [exc.diagnostic]
    return []


def _page_problems(reading: Reading, geometry: Geometry | None) -> list[Diagnostic]:
    """Each valid lesson's handouts estimated in pages with the pack's settings (the teacher edition with the
    answer keys of a build with the most versions); a lesson estimated above the page cap is reported, and
    left out."""
    from ..handout import PlanContext, paging, plan

    config = reading.config
    measures = paging.Measures.of(geometry)
    context = PlanContext(config.running_header, geometry, config.page_breaks)
    problems: list[Diagnostic] = []
    for path, lesson in list(reading.lessons.items()):
        handout = plan(lesson, "student", context)
        wide = _wide_tables(handout, lesson, lambda: reading.source_of(path))
        if wide:
            problems += wide
            reading.drop(path)
            continue
        student = paging.handout_pages(measures, handout)
        teacher_handout = plan(lesson, "teacher", context)
        teacher = paging.handout_pages(measures, teacher_handout, m.MAX_VERSIONS)
        problems += _answer_lines(lesson, teacher_handout, lambda: reading.source_of(path))
        pages, edition = max((student, "student"), (teacher, "teacher"))
        if pages > MAX_PAGES:
            keys = f" (with the answer keys of {m.MAX_VERSIONS} versions)" if edition == "teacher" else ""
            problems.append(Diagnostic(display_path(path), 1, 1, "error",
                                       f"the {edition} edition of this lesson would print about {pages:,} pages"
                                       f"{keys}; the limit is {MAX_PAGES:,} pages for one handout",
                                       "split the lesson into several lessons"))
            reading.drop(path)
    return problems


def _answer_lines(lesson: m.LessonFile, teacher, source_of) -> list[Diagnostic]:
    """The teaching lint ``answer-lines``: each model answer that needs more writing lines than its question gives
    the student, as the teacher edition's model planned them with the pack's style and paper (the teacher edition
    prints the student's lines, the model answer set on them)."""
    from ..load.lints import AnswerRoom, answer_lines
    from ..plugins import item_types

    items = lesson.lesson.worksheet.items if lesson.lesson.worksheet else []
    rooms = []
    for i, (item, q) in enumerate(zip(items, teacher.worksheet.questions if teacher.worksheet else ())):
        kind = item_types()[q.kind]  # the teacher edition prints the written order: question i is item i
        for under, w in zip(kind.writing_keys(item), kind.writings(q)):
            if w.answer and w.answer_needs > w.lines:
                rooms.append(AnswerRoom(i, under, w.answer_needs, w.lines, max(w.lines, w.answer_lines)))
    return answer_lines(lesson.lesson, source_of(), rooms) if rooms else []


def _wide_tables(handout, lesson: m.LessonFile, source_of) -> list[Diagnostic]:
    """A source table wider than its frame even with every cell wrapped at its longest word and its type at the
    smallest size lessonpack sets a table in: it would run off the page, so it is reported where it is written."""
    ids = m.source_ids(lesson.lesson.sources)
    shown = [*handout.sources, *(s for q in (handout.worksheet.questions if handout.worksheet else ()) for s in q.sources)]
    out = []
    for view in shown:
        table = view.table
        if table is None or table.fits:
            continue
        i = ids.index(view.id)
        source = source_of()  # where the lesson's values are: read again only for a lesson with a problem
        written = lesson.lesson.sources[i].table
        if table.narrow:  # a width the lesson gave that its column's longest word does not fit
            for column, needs in table.narrow:
                line, col = source.value_pos(("sources", i, "table", "widths", column))
                given = written.widths[column] if written and written.widths else ""
                least = math.ceil(needs * 25.4 / 72) / 10  # in centimetres, rounded up to the millimetre
                out.append(Diagnostic(source.file, line, col, "error",
                                      f"{view.label}'s table: column {column + 1} is {given} wide, narrower than its "
                                      f"longest word or figure, which needs {least:g} cm even in the table's "
                                      "smallest type",
                                      f"make it at least {least:g}cm, or write auto (as wide as its words need) or "
                                      "a share such as 1fr"))
            continue
        over = (table.least - sum(table.widths)) * 25.4 / 72
        if table.given:
            line, col = source.key_pos(("sources", i, "table", "widths"))
            out.append(Diagnostic(source.file, line, col, "error",
                                  f"{view.label}'s table is {max(over, 1):.0f} mm wider than the page's text frame "
                                  "with these widths, even with its type at its smallest",
                                  "make the widths given as lengths narrower, or write auto or a share (1fr) for "
                                  "some columns"))
            continue
        line, col = source.key_pos(("sources", i, "table"))
        out.append(Diagnostic(source.file, line, col, "error",
                              f"{view.label}'s table is {over:.0f} mm wider than the page's text frame, even with "
                              "every cell wrapped at its longest word and its type at its smallest",
                              "split it into two tables (fewer columns each), or shorten its longest words "
                              "and figures (a unit in the heading rather than in every cell)"))
    return out


# -- pictures: every SVG drawn once, as Word's PNG fallback --------------------------------------------

def _drawing_problems(reading: Reading, timeout: float) -> list[Diagnostic]:
    """Every SVG the valid lessons name, drawn once as Word's PNG fallback (see :func:`drawing_problems`); a
    lesson with one that cannot be drawn is reported where it names it, and left out."""
    failed = drawing_problems((image for lesson in reading.lessons.values() for image in lesson.images.values()),
                              timeout)
    problems: list[Diagnostic] = []
    for path, lesson in list(reading.lessons.items()):
        bad = {src: failed[image.sha256] for src, image in lesson.images.items() if image.sha256 in failed}
        if not bad:
            continue
        source = reading.source_of(path)  # for the positions
        for where, src in pictures_named(lesson.lesson):
            if src in bad:
                problem = bad.pop(src)
                problems.append(picture_diagnostic(source, where, src, ImageProblem(f'"{src}": {problem.message}',
                                                                                   problem.hint)))
        reading.drop(path)
    return problems


_DRAWN: set[str] = set()
"""SVGs (by hash) drawn without a problem in this process."""


def drawing_problems(images: Iterable[PackImage], timeout: float) -> dict[str, ImageProblem]:
    """Each SVG among ``images`` drawn once as the Word document's PNG fallback, in limited processes (a time
    limit of ``timeout`` seconds each); the problem of each that cannot be drawn, by its hash. An SVG drawn
    without a problem is remembered by its hash (in this process and in the checked-lesson cache) and not drawn
    again."""
    from ..render.pictures import trial_draw, trial_size

    todo = {}
    for image in images:
        if image.format == "svg" and image.sha256 not in _DRAWN and image.sha256 not in todo:
            if lessoncache.drawn(image.sha256):
                _DRAWN.add(image.sha256)
            else:
                todo[image.sha256] = image
    if not todo:
        return {}
    found: dict[str, ImageProblem] = {}
    hint = "open it in a drawing program and export it again as plain SVG, or save it as PNG"

    def done(task: tuple, outcome: Outcome) -> None:
        digest = task[0]
        if outcome.ok and outcome.result is None:
            _DRAWN.add(digest)
            lessoncache.remember_drawn(digest)
            return
        reason = str(outcome.failure or outcome.result).replace("--timeout", "check --timeout").replace("; raise it with --memory-limit", "")
        found[digest] = ImageProblem(f"an SVG that cannot be drawn for the Word document: {reason}", hint)

    tasks = [(digest, image.data, *trial_size(image)) for digest, image in todo.items()]
    run(tasks, trial_draw, workers=1, limit=Limits(timeout=timeout), on_done=done)
    return found
