"""``check`` for a pack's own templates: every file readable and parsable, then rendered on real lessons.

What ``check`` passes, ``build`` renders: the templates are tried, in a limited process, on the pack's
valid lessons and on two built-in lessons (every part present, every optional part missing), in both
editions, alone and as a unit.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .. import limits
from ..errors import Diagnostic, LessonpackError, display_path
from ..handout import UnitInfo, plan, plan_unit
from ..model import EDITIONS, LessonFile
from ..packfiles import resolved
from .html import pack_environment, render_html, render_pack_html
from .templates import syntax_problems


def template_problems(pack_root: Path, lessons: list[LessonFile], *,
                      timeout: float = limits.CHECK_TEMPLATE_TIMEOUT) -> list[Diagnostic]:
    """Every problem of a pack's templates: unreadable or unparsable files, then failures to render."""
    folder = pack_root / "templates"
    try:
        pack_environment(pack_root)
    except LessonpackError as exc:
        return list(exc.diagnostics)
    problems = list(syntax_problems(folder, [resolved(folder)]))
    if problems or not folder.is_dir():
        return problems
    from ..sample_lessons import sample_lessons
    from ..workers import Limits, run_one

    trial = functools.partial(_render_trial, pack_root=pack_root)
    ok, value = run_one(trial, list(lessons) + sample_lessons(), limit=Limits(timeout=timeout))
    if ok:
        return value
    return [Diagnostic(display_path(folder), 1, 0, "error",
                       f"the pack's templates could not render its lessons: {value}".replace(
                           "--timeout", "check --timeout"),
                       "fix the templates, or delete them to use the built-in ones")]


def _render_trial(lessons: list[LessonFile], pack_root: Path) -> list[Diagnostic]:
    found: dict[tuple, Diagnostic] = {}
    info = UnitInfo("Template trial", "A unit", "School", "Teacher")
    for edition in EDITIONS:
        handouts = []
        for lesson in lessons:
            handout = plan(lesson, edition)
            handouts.append(handout)
            try:
                render_html(handout, None, "letter", pack_root=pack_root)
            except LessonpackError as exc:
                found.update({(d.file, d.line, d.message): d for d in exc.diagnostics})
        try:
            render_pack_html(plan_unit(info, handouts, edition, duplex=True), None, "letter", pack_root=pack_root)
        except LessonpackError as exc:
            found.update({(d.file, d.line, d.message): d for d in exc.diagnostics})
    return sorted(found.values())
