"""Build handouts: validate the whole pack first, then plan and render each lesson and edition, then write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .errors import LessonpackError
from .handout import plan
from .output import write_atomic
from .pack import LessonFile, Pack, load_pack
from .styles import Style, load_style

FORMATS = ("pdf", "docx", "html")
EDITIONS = ("student", "teacher")


@dataclass(frozen=True)
class Settings:
    """Resolved build settings: command-line options over ``lessonpack.yaml`` over built-in defaults."""

    out_dir: Path
    formats: tuple[str, ...]
    editions: tuple[str, ...]
    style: Style
    paper: str
    header: str | None


@dataclass(frozen=True)
class Job:
    """One output file: a lesson, an edition, a format."""

    lesson: LessonFile
    edition: str
    format: str
    path: Path


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def resolve(pack: Pack, *, out_dir: Path | None = None, formats: Iterable[str] | None = None,
            editions: Iterable[str] | None = None, style: str | None = None, paper: str | None = None) -> Settings:
    """Combine options, the pack's settings and defaults; load (and validate) the style."""
    cfg = pack.config
    chosen_formats = tuple(dict.fromkeys(formats or cfg.formats))
    chosen_editions = tuple(dict.fromkeys(editions or cfg.editions))
    return Settings(
        out_dir=Path(out_dir) if out_dir else pack.root / "dist",
        formats=chosen_formats, editions=chosen_editions,
        style=load_style(style or cfg.style, pack.root), paper=paper or cfg.paper,
        header=" · ".join(filter(None, [cfg.school, cfg.title])) or None)


def jobs(pack: Pack, settings: Settings) -> list[Job]:
    """Every output of a build, in a stable order."""
    out = []
    for lesson in pack.lessons:
        for edition in settings.editions:
            for fmt in settings.formats:
                path = settings.out_dir / lesson.id / f"{lesson.id}-{edition}.{fmt}"
                out.append(Job(lesson, edition, fmt, path))
    return out


def render(job: Job, pack: Pack, settings: Settings) -> tuple[bytes, list[str]]:
    """The bytes of one output, and any warnings its rendering raised."""
    handout = plan(job.lesson, job.edition)  # type: ignore[arg-type]
    warnings = list(handout.warnings)
    if job.format == "pdf":
        from .render.pdf import render_pdf
        data = render_pdf(handout, settings.style, settings.paper, pack_root=pack.root, header_text=settings.header)
    elif job.format == "html":
        from .render.html import render_standalone_html
        data = render_standalone_html(handout, settings.style, settings.paper, pack_root=pack.root,
                                      header_text=settings.header).encode("utf-8")
    else:
        from .render.docx import render_docx_with_warnings
        data, docx_warnings = render_docx_with_warnings(handout, settings.style, settings.paper,
                                                        header_text=settings.header)
        warnings += docx_warnings
    return data, warnings


def build(target: Path | str = ".", *, out_dir: Path | None = None, formats: Iterable[str] | None = None,
          editions: Iterable[str] | None = None, style: str | None = None, paper: str | None = None,
          progress: Callable[[Job], None] | None = None) -> BuildResult:
    """Validate every lesson, then write each requested handout; nothing is written if any lesson is invalid."""
    pack = load_pack(target)
    settings = resolve(pack, out_dir=out_dir, formats=formats, editions=editions, style=style, paper=paper)
    result = BuildResult(warnings=[w.format() for w in pack.warnings])
    for job in jobs(pack, settings):
        try:
            data, warnings = render(job, pack, settings)
        except LessonpackError:
            raise
        except Exception as exc:  # a renderer bug must name what it was drawing, not dump a traceback
            raise LessonpackError(
                f"{job.lesson.path}: rendering the {job.edition} {job.format.upper()} failed: "
                f"{type(exc).__name__}: {exc} (lessonpack {__version__}; please report this)") from exc
        for warning in warnings:
            message = f"{job.lesson.id}: warning: {warning}"
            if message not in result.warnings:
                result.warnings.append(message)
        write_atomic(job.path, data)
        result.written.append(job.path)
        if progress:
            progress(job)
    return result
