"""``check`` for a pack's own templates: every file readable and parsable, then rendered on real lessons.

What ``check`` passes, ``build`` renders: the templates are tried, in a limited process, on the pack's
valid lessons and on two built-in lessons (every part present, every optional part missing), with the
pack's own settings (its school and title in the running header, its paper and style's measures, its
page-break rules and its unit's cover words), through every branch a build can take: both editions,
without versions and with them (student versions A and B; the teacher edition with a key for each
version and the grid of all of them, for two versions, the pack's own number and, on the built-in
lessons, the most a build may ask for), as the PDF draws them and as a standalone HTML file, alone and
as a unit's front matter (printed two-sided or not). Each handout may have at most
:data:`~lessonpack.limits.MAX_HTML_ELEMENTS` elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, LessonpackError
from ..handout import Handout, PlanContext, UnitInfo, plan, plan_unit
from ..handout.unit import LessonPages, page_unit
from ..load.letterhead import LetterheadSpec
from ..load.model import MAX_VERSIONS, LessonFile, PackConfig, PageBreaks
from ..load.packfiles import resolved
from ..styles.geometry import Geometry
from ..styles.loader import Style
from .html import pack_environment, render_html, render_pack_html
from .templates import syntax_problems

SAMPLE_LETTERHEAD = LetterheadSpec(text="Template Trial School\nOne School Road, Town", header="{school} · {title}",
                                   footer="{title} · {teacher} · page {page} of {pages}", school="Template Trial School",
                                   teacher="A. Teacher")
"""The letterhead the teacher edition's trials print when the pack has none, so that a template's letterhead
branch is tried whatever the pack's settings are today."""

TRIAL_VERSIONS = 2
"""The smallest build with versions (``build --versions 2``): every template branch for versions opens."""


@dataclass(frozen=True)
class TrialSettings:
    """What a pack's settings give its templates to read: the running header, the page's measures, the
    page-break rules, how many versions it builds, and its unit's cover words."""

    header: str | None = None
    geometry: Geometry | None = None
    page_breaks: PageBreaks | None = None
    versions: int = 1
    unit: UnitInfo = UnitInfo("Template trial", "A unit", "School", "Teacher")
    style: Style | None = None  # for the stylesheet a standalone HTML handout carries
    paper: str = "letter"
    letterhead: LetterheadSpec | None = None  # the pack's own (lessonpack.yaml's), if it has one

    @classmethod
    def of(cls, config: PackConfig, root: Path, geometry: Geometry | None, style: Style | None,
           letterhead: LetterheadSpec | None = None) -> "TrialSettings":
        """The settings a build of this pack starts from (``lessonpack.yaml``, its style and paper, its
        letterhead)."""
        title = config.title or resolved(root).name
        return cls(config.running_header, geometry, config.page_breaks, config.versions,
                   UnitInfo(title, config.subtitle, config.school, config.teacher), style, config.paper, letterhead)

    def context(self, version: str = "", versions: int = 1, letterhead: LetterheadSpec | None = None) -> PlanContext:
        """The plan context of one output, as a build makes it (see rendering.plan_context), with the pack's
        letterhead (or ``letterhead``, when the pack has none)."""
        return PlanContext(self.header, self.geometry, self.page_breaks, version=version, versions=versions,
                           letterhead=self.letterhead or letterhead)


def template_file_problems(pack_root: Path) -> list[Diagnostic]:
    """A pack's templates that cannot be read or parsed (the templates folder itself, each file), positioned."""
    folder = pack_root / "templates"
    try:
        pack_environment(pack_root)
    except LessonpackError as exc:
        return list(exc.diagnostics)
    return list(syntax_problems(folder, [resolved(folder)]))


def _trials(settings: TrialSettings, most: int) -> list[tuple[str, PlanContext]]:
    """Every edition and version a build can print, as (edition, context): the student edition without
    versions and as versions A and B; the teacher edition without versions (with a letterhead: the pack's, else
    :data:`SAMPLE_LETTERHEAD`) and with the keys of 2, the pack's own number and ``most`` versions."""
    out = [("student", settings.context()), ("student", settings.context("A", TRIAL_VERSIONS)),
           ("student", settings.context("B", TRIAL_VERSIONS)), ("teacher", settings.context(letterhead=SAMPLE_LETTERHEAD))]
    for count in sorted({TRIAL_VERSIONS, settings.versions, most} - {1}):
        out.append(("teacher", settings.context("A", count)))
    return out


def render_trial(lessons: tuple[list[LessonFile], list[LessonFile]], pack_root: Path,
                 settings: TrialSettings) -> list[Diagnostic]:
    """Render a pack's templates through every trial (see :func:`_trials`) of its lessons and of the built-in
    ones (``lessons``: the pack's, the built-in), as every edition, version and unit a build can print; the
    problems. ``check`` runs it in a limited process."""
    own, samples = lessons
    found: dict[tuple, Diagnostic] = {}
    units: dict[int, list[Handout]] = {}
    for group, most in ((own, TRIAL_VERSIONS), (samples, MAX_VERSIONS)):
        for n, (edition, context) in enumerate(_trials(settings, most)):
            for lesson in group:
                handout = plan(lesson, edition, context)  # type: ignore[arg-type]
                units.setdefault(n if group is own else -1 - n, []).append(handout)
                _try(found, lambda: render_html(handout, None, settings.paper, pack_root=pack_root))
                if settings.style is not None:  # a standalone HTML handout carries its stylesheet
                    _try(found, lambda: render_html(handout, settings.style, settings.paper, pack_root=pack_root,
                                                    embed_css=True))
    for handouts in units.values():
        pages = [LessonPages(2, {s.anchor: 1 + i % 2 for i, s in enumerate(h.sections)}) for h in handouts]
        for duplex, spread in ((True, True), (False, False)):  # each branch of both, in two renders
            paging = page_unit(2, pages, duplex=duplex)
            unit = plan_unit(settings.unit, handouts, handouts[0].edition, duplex=duplex, paging=paging, pages=pages,
                             cover_spread=spread)
            _try(found, lambda: render_pack_html(unit, None, settings.paper, pack_root=pack_root))
    return sorted(found.values())


def _try(found: dict[tuple, Diagnostic], render) -> None:
    try:
        render()
    except LessonpackError as exc:
        found.update({(d.file, d.line, d.message): d for d in exc.diagnostics})
