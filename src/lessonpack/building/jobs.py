"""What a build makes: its settings, its jobs (one output file each), what each output depends on, and the names
of the files it writes. The build (:mod:`.builder`) and the render processes (:mod:`.worker`) both read these.

A job's key is a hash of everything its output depends on: lessonpack itself and the libraries and fonts it
draws with, the style and the pack's templates, the lesson and its pictures, the options. The manifest
remembers each output's key, so an unchanged output is neither rendered nor rewritten.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterable

from ..handout.context import FillRoom
from ..plugins import fingerprint, on_change
from ..load.model import EDITIONS, MAX_VERSIONS, LessonFile, PageBreaks, version_letters
from ..load.pack import Pack
from ..load.letterhead import LetterheadSpec, build_date, file_letterhead
from ..load.packfiles import is_within, regular_files, resolved
from ..plugins import format_names, formats, output_format
from ..styles.loader import Style, load_style
from ..styles.fonts import bundled_folders
from ..version import code_fingerprint
from ..errors import LessonpackError
from .output import OutputError, file_sha, sha256
from .workers import Limits


@dataclass(frozen=True)
class Settings:
    """Resolved build settings: command-line options over ``lessonpack.yaml`` over built-in defaults."""

    out_dir: Path
    formats: tuple[str, ...]
    editions: tuple[str, ...]
    style: Style
    paper: str
    header: str | None
    duplex: bool = False
    limits: Limits = Limits()
    page_breaks: PageBreaks | None = None  # the pack's rules; None: the style's
    versions: int = 1  # student versions A, B, C… (1: none)
    letterhead: LetterheadSpec | None = None  # the pack's letterhead, else the style's (None: none)
    embed_fonts: bool = True  # the Word document carries the fonts it names

    def versions_of(self, edition: str) -> tuple[str, ...]:
        """The version letters an edition is built in: ("",) for one, or A, B, C… for the student edition."""
        return version_letters(self.versions) if edition == "student" and self.versions > 1 else ("",)


@dataclass(frozen=True)
class Job:
    """One output file: a lesson's edition in one format, or (``lesson`` None) a whole-unit pack PDF."""

    edition: str
    format: str
    path: Path
    key: str
    lesson: LessonFile | None = None
    parts: tuple[tuple[Path, str], ...] = ()  # a unit PDF: its lessons' PDFs and the hash each must have
    fill_room: tuple[tuple[int, FillRoom], ...] | None = None  # "lines: fill" room another worker measured
    version: str = ""  # the student version's letter, "" without versions

    @property
    def label(self) -> str:
        return self.lesson.id if self.lesson else "unit pack"


def resolve(pack: Pack, *, out_dir: Path | None = None, formats: Iterable[str] | None = None,
            editions: Iterable[str] | None = None, style: str | None = None, paper: str | None = None,
            limits: Limits | None = None, duplex: bool | None = None, versions: int | None = None,
            variant_folder: bool = False) -> Settings:
    """Combine options, the pack's settings and defaults; load (and validate) the style.

    ``variant_folder`` (a build): a style or paper other than the pack's own is written into a folder of its
    own inside the pack's output folder (:func:`variant_name`), so a variant never overwrites the pack's
    handouts; a folder named with ``-o`` (``out_dir``) is used as it is."""
    cfg = pack.config
    folder = output_folder(pack, out_dir)
    variant = variant_name(pack, style, paper) if variant_folder and not out_dir else None
    if variant is not None:
        folder = folder / variant
        if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
            raise OutputError(folder, "it is a link or a file; lessonpack writes a variant's handouts only into a "
                                      "folder of its own (delete it)")
    # "fillable: true" adds the fillable student PDF to the pack's formats (a -f on the command line decides alone).
    chosen = formats or [*cfg.formats, *(["pdf-form"] if cfg.fillable else [])]
    for name in chosen:
        output_format(name)  # an unknown name, or a plug-in that cannot load, stops the build here
    chosen_style = load_style(style or cfg.style, pack.root)
    return Settings(
        out_dir=folder,
        formats=tuple(dict.fromkeys(chosen)),
        editions=tuple(dict.fromkeys(editions or cfg.editions)),
        style=chosen_style, paper=paper or cfg.paper,
        header=cfg.running_header, letterhead=letterhead_of(pack, chosen_style), embed_fonts=cfg.embed_fonts,
        # Unit packs are copied two-sided unless the pack or the command says otherwise.
        duplex=duplex if duplex is not None else cfg.duplex if cfg.duplex is not None else True,
        limits=limits or Limits(), page_breaks=cfg.page_breaks, versions=versions or cfg.versions)


VARIANT_FOLDER = re.compile(r"^(?P<style>.+)\.(?P<paper>letter|a4)$")
"""The name of a variant's folder inside the output folder: ``<style>.<paper>`` (a lesson id has no dot)."""


def variant_name(pack: Pack, style: str | None, paper: str | None) -> str | None:
    """``large-print.a4`` for a build in a style or on a paper other than the pack's own (lessonpack.yaml's
    ``style:`` and ``paper:``), None for the pack's own."""
    chosen_style, chosen_paper = style or pack.config.style, paper or pack.config.paper
    if chosen_style == pack.config.style and chosen_paper == pack.config.paper:
        return None
    return f"{chosen_style}.{chosen_paper}"


def variant_folders(folder: Path) -> list[Path]:
    """The variants' folders inside an output folder (real folders, not links), by name."""
    try:
        return sorted(p for p in folder.iterdir() if VARIANT_FOLDER.match(p.name) and not p.is_symlink()
                      and p.is_dir())
    except OSError:
        return []


def letterhead_of(pack: Pack, style: Style) -> LetterheadSpec | None:
    """The letterhead a build prints: lessonpack.yaml's, else the style's (its placeholders and logo checked:
    a problem stops the build with its position), with the date its {date} prints."""
    spec = pack.letterhead
    if spec is None and style.tokens.letterhead is not None:
        spec, problems = file_letterhead(style.tokens.letterhead, style.folder / "style.yaml", style.folder,
                                         style.root, school=pack.config.school or "",
                                         teacher=pack.config.teacher or "")
        if problems:
            raise LessonpackError(problems)
    if spec is None and style.reference_docx is not None:
        spec = reference_letterhead(style.reference_docx, style.root, school=pack.config.school or "",
                                    teacher=pack.config.teacher or "")
    if spec is not None and spec.uses("date"):
        spec = replace(spec, date=build_date())
    return spec


def reference_letterhead(path: Path, root: Path, *, school: str = "", teacher: str = "") -> LetterheadSpec | None:
    """The header, footer and logo a style's Word reference document has, as a letterhead both formats print (its
    first page's header as the lines beside the logo), with a note for each part of them that cannot be carried
    over; None when it has none (or cannot be read: the style's check reports that)."""
    import base64

    from ..errors import display_path
    from ..load.images import ImageProblem, PackImage, check_svg, raster_size, sniff
    from ..load.packfiles import PackFileError
    from ..render.docx.reference_import import read_reference_letterhead

    try:
        found = read_reference_letterhead(path, [root])
    except PackFileError:
        return None
    if found is None:
        return None
    notes = [f"{display_path(path)}: lessonpack cannot carry {note} into the handouts; it is left out"
             for note in found.notes]
    notes += [f"{display_path(path)}: the PDF prints {table} as text, without its columns (the Word documents keep "
              "it as made)" for table in found.tables]
    logo, uri = None, ""
    if found.picture is not None:
        data = found.picture
        try:
            kind = sniff(data)
            if kind is None:
                raise ImageProblem("not a PNG, JPEG, GIF, WebP or SVG picture")
            if kind == "svg":
                check_svg(data)
                width, height = 96.0, 96.0
            else:
                width, height = map(float, raster_size(data))
            logo = PackImage(path.resolve(), kind, width, height, True, hashlib.sha256(data).hexdigest(), data)
            media = "image/svg+xml" if kind == "svg" else f"image/{kind}"
            uri = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
        except ImageProblem as exc:
            notes.append(f"{display_path(path)}: the picture in its header cannot be used ({exc.message}); "
                         "it is left out")
    return LetterheadSpec(logo, found.first_header, found.header, found.footer, school, teacher,
                          origin=display_path(path), logo_uri=uri, notes=tuple(notes), word=found.word)


def output_folder(pack: Pack, out_dir: Path | str | None) -> Path:
    """The resolved output folder: ``-o`` as given, else the pack's ``dist/`` unless it links out of the pack."""
    if out_dir:
        chosen = Path(out_dir).resolve()
        if os.path.lexists(chosen) and not chosen.is_dir():
            raise OutputError(Path(out_dir), "it is not a folder; -o names the folder the handouts are written into")
        return chosen
    default = pack.root / "dist"
    if default.is_symlink() and not is_within(resolved(default), pack.root):
        raise OutputError(default, f"it is a link to {resolved(default)}, outside the pack; lessonpack writes into a "
                                   "link only when you name it: delete the link, or choose the folder with -o")
    return default.resolve()


# -- keys: what each output depends on -----------------------------------------------------------


LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools", "Pillow", "cairosvg",
             "python-docx", "lxml", "pikepdf", "Jinja2", "markdown-it-py", "pyphen", "PyYAML", "pydantic",
             "mdit-py-plugins", "latex2mathml", "ziamath", "ziafont", "mathml-to-omml")
"""The libraries whose versions change the bytes lessonpack writes: upgrading one rebuilds every output."""


@lru_cache(maxsize=1)
def environment_key() -> str:
    """lessonpack's own files, the versions of the libraries it draws with, and the bundled fonts' files: what
    every output depends on besides the pack, so an upgrade of any of them rebuilds."""
    digest = hashlib.sha256(code_fingerprint().encode() + b"\0" + fingerprint().encode() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    for folder in bundled_folders():
        digest.update(_tree_hash(regular_files(folder, [folder]), folder).encode())
    return digest.hexdigest()


on_change(environment_key.cache_clear)  # a plug-in registered or removed changes it


def _tree_hash(paths: Iterable[Path], base: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(base).as_posix() if base else str(path)
        digest.update(name.encode() + b"\0" + (file_sha(resolved(path)) or "").encode() + b"\0")
    return digest.hexdigest()


def shared_key(pack: Pack, settings: Settings) -> str:
    """What every output of a build depends on besides its lesson: lessonpack and the libraries and fonts it
    draws with, its templates, the style, the pack's templates, and the options that change every page."""
    templates = pack.root / "templates"
    parts = [
        environment_key(),
        settings.style.name, *(f"{layer.name}:" + _tree_hash(regular_files(layer.folder, [layer.root]), layer.folder)
                               for layer in settings.style.layers),
        _tree_hash(regular_files(templates, [pack.root.resolve()]), pack.root),
        _tree_hash(regular_files(pack.root / "fonts", [pack.root.resolve()]), pack.root),  # the pack's own fonts
        settings.paper, settings.header or "", repr(settings.page_breaks),
        repr(settings.letterhead), str(settings.embed_fonts),
    ]
    return sha256("\n".join(parts).encode())


def lesson_hash(lesson: LessonFile) -> str:
    """The lesson file, every picture it names and the pack's label catalogues: a redrawn chart or a changed
    label rebuilds the lesson's outputs."""
    if not lesson.images and not lesson.labels:
        return lesson.sha256
    words = [f"labels/{code}:{key}={value}" for code, catalogue in sorted(lesson.labels.items())
             for key, value in sorted(catalogue.items())]
    return sha256("\n".join([lesson.sha256] + [f"{name}:{image.sha256}" for name, image in
                                               sorted(lesson.images.items())] + words).encode())


def _keys_for(settings: Settings, edition: str) -> str:
    """What the number of versions changes in an output's key: the teacher edition prints a key for each;
    a student version is the same however many others there are (see handout.versions), so it is not rebuilt."""
    return f"/versions:{settings.versions}" if edition == "teacher" and settings.versions > 1 else ""


# -- the outputs ----------------------------------------------------------------------------------


def has_worksheet(lesson: LessonFile) -> bool:
    return bool(lesson.lesson.worksheet and lesson.lesson.worksheet.items)


def pack_pdf_path(pack: Pack, settings: Settings, edition: str, version: str = "") -> Path:
    """A unit PDF: ``<pack-id>-<edition>[-<version>].pdf`` in the output folder."""
    return settings.out_dir / f"{pack.id}-{edition}{'-' + version if version else ''}.pdf"


def lesson_output_path(settings: Settings, lesson: LessonFile, edition: str, fmt: str, version: str = "") -> Path:
    """``<id>/<id>-student.pdf``; a version's ``<id>-student-B.pdf``; the fillable ``<id>-student-form.pdf``."""
    return settings.out_dir / lesson.id / output_format(fmt).file_name(lesson.id, edition, version)


def editions_of(settings: Settings, fmt: str) -> tuple[str, ...]:
    """The editions a format is built in: those asked for that the format has (the fillable PDF: the student's)."""
    return tuple(e for e in settings.editions if e in output_format(fmt).editions)


def plan_jobs(pack: Pack, settings: Settings, *, with_pack: bool = True) -> list[Job]:
    """Every output of a build, in a stable order: unit PDFs first (the longest jobs), then each lesson's."""
    shared = shared_key(pack, settings)
    out: list[Job] = []
    units = [name for name in settings.formats if output_format(name).unit]
    if with_pack and units and len(pack.lessons) > 1:  # one lesson needs no unit
        unit = sha256("\n".join([shared, str(settings.duplex), pack.id, pack.title, repr(pack.config)]
                                + [f"{one.id}:{lesson_hash(one)}" for one in pack.lessons]).encode())
        for edition in settings.editions:
            for version in settings.versions_of(edition):
                out.append(Job(edition, units[0], pack_pdf_path(pack, settings, edition, version),
                               sha256(f"{unit}/pack/{edition}/{version}{_keys_for(settings, edition)}".encode()),
                               version=version))
    for lesson in pack.lessons:
        base = sha256(f"{shared}\n{lesson.id}\n{lesson_hash(lesson)}".encode())
        for edition in settings.editions:
            for name in settings.formats:
                fmt = output_format(name)
                if edition not in fmt.editions or (fmt.needs_worksheet and not has_worksheet(lesson)):
                    continue
                for version in settings.versions_of(edition) if fmt.versioned else ("",):
                    key = sha256(f"{base}/{edition}/{name}/{version}{_keys_for(settings, edition)}".encode())
                    out.append(Job(edition, name, lesson_output_path(settings, lesson, edition, name, version), key,
                                   lesson, version=version))
    return out


def shard_of(jobs: list[Job], index: int, count: int) -> list[Job]:
    """The ``index``-th (1-based) of ``count`` disjoint shares of the per-lesson jobs."""
    lesson_jobs = [job for job in jobs if job.lesson is not None]
    return [job for n, job in enumerate(lesson_jobs) if n % count == index - 1]


def printed_version(job: Job, settings: Settings) -> str:
    """The version a job prints: its own letter, or (the teacher edition of a build with versions) version A,
    the order the teacher edition prints."""
    return job.version or ("A" if settings.versions > 1 and job.edition == "teacher" else "")


# -- the names a build writes (clean deletes nothing else) ---------------------------------------

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_EDITION = "(?:" + "|".join(EDITIONS) + ")"
_VERSION = "(?:-[A-Z])?"


def output_name() -> re.Pattern:
    """The relative names lessonpack writes in an output folder: a lesson's file in any output format, and a
    unit PDF; ``clean`` deletes nothing else."""
    lesson_file = "|".join(fmt.name_pattern() for fmt in formats().values())
    return re.compile(rf"^(?:(?P<lesson>{_ID})/(?P=lesson)-{_EDITION}(?:{lesson_file})"
                      rf"|(?P<pack>{_ID})-{_EDITION}{_VERSION}\.pdf)$")


def unit_file_names(pack: Pack) -> set[str]:
    """Every name a unit PDF of this pack can have (any edition, any version)."""
    return {f"{pack.id}-{edition}{version}.pdf" for edition in EDITIONS
            for version in ["", *(f"-{letter}" for letter in version_letters(MAX_VERSIONS))]}


__all__ = ["Job", "Settings", "editions_of", "format_names", "has_worksheet", "lesson_hash", "lesson_output_path",
           "output_folder", "output_name", "pack_pdf_path", "plan_jobs", "printed_version", "resolve", "shard_of",
           "shared_key", "unit_file_names", "variant_folders", "variant_name"]
