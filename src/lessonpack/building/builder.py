"""Build a pack: validate everything, plan the outputs, render the stale ones (in parallel), write atomically.

Each output is a :class:`Job` with a key: a hash of everything it depends on. The manifest in the
output folder remembers the key of every file it wrote, so an unchanged output is neither rendered
nor rewritten. Workers only render bytes, each document under a memory limit and a deadline
(:mod:`lessonpack.building.workers`); the main process alone writes files and the manifest, under the output
folder's lock, and only inside the output folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import os
import re
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Literal, Protocol

from . import workers
from ..version import code_fingerprint
from ..user import signing_key
from ..errors import Diagnostic, LessonpackError, display_path
from ..load.model import EDITIONS, FORMATS, MAX_VERSIONS, LessonFile, PageBreaks, version_letters
from .output import (MANIFEST_NAME, Manifest, OutputError, check_inside, file_sha, is_own_temp, locked,
                     sha256, write_atomic)
from ..load.pack import Pack, load_pack
from .check import load_checked
from ..load.packfiles import is_within, regular_files, resolved
from ..styles.loader import Style, load_style
from .workers import Limits

Status = Literal["written", "unchanged", "failed"]

FORM = "pdf-form"
"""The format of the fillable student PDF (``<id>-student-form.pdf``)."""


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
    fill_room: tuple[tuple[int, float], ...] | None = None  # "lines: fill" room another worker measured
    version: str = ""  # the student version's letter, "" without versions

    @property
    def label(self) -> str:
        return self.lesson.id if self.lesson else "unit pack"


@dataclass
class BuildResult:
    """What a build did, output by output."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not any(d.is_error for d in self.invalid)


class Progress(Protocol):
    """Receives build events (the CLI draws a bar or prints lines)."""

    def start(self, total: int) -> None: ...
    def done(self, job: Job, status: Status) -> None: ...
    def waiting(self, folder: Path) -> None: ...


def resolve(pack: Pack, *, out_dir: Path | None = None, formats: Iterable[str] | None = None,
            editions: Iterable[str] | None = None, style: str | None = None, paper: str | None = None,
            limits: Limits | None = None, duplex: bool | None = None, versions: int | None = None) -> Settings:
    """Combine options, the pack's settings and defaults; load (and validate) the style."""
    cfg = pack.config
    # "fillable: true" adds the fillable student PDF to the pack's formats (a -f on the command line decides alone).
    chosen = formats or [*cfg.formats, *(["pdf-form"] if cfg.fillable else [])]
    return Settings(
        out_dir=output_folder(pack, out_dir),
        formats=tuple(dict.fromkeys(chosen)),
        editions=tuple(dict.fromkeys(editions or cfg.editions)),
        style=load_style(style or cfg.style, pack.root), paper=paper or cfg.paper,
        header=cfg.running_header,
        # Unit packs are copied two-sided unless the pack or the command says otherwise.
        duplex=duplex if duplex is not None else cfg.duplex if cfg.duplex is not None else True,
        limits=limits or Limits(), page_breaks=cfg.page_breaks, versions=versions or cfg.versions)


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


def _tree_hash(paths: Iterable[Path], base: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(base).as_posix() if base else str(path)
        digest.update(name.encode() + b"\0" + (file_sha(resolved(path)) or "").encode() + b"\0")
    return digest.hexdigest()


def _files(folder: Path, root: Path | None = None) -> list[Path]:
    return list(regular_files(folder, [(root or folder).resolve()]))


def _shared_key(pack: Pack, settings: Settings) -> str:
    """Inputs every output shares: lessonpack itself, its templates, the style, the pack's templates, options."""
    parts = [
        code_fingerprint(),  # lessonpack's version, its own code, templates and labels
        settings.style.name, _tree_hash(settings.style.files(), settings.style.folder),
        _tree_hash(_files(pack.root / "templates", pack.root), pack.root),
        settings.paper, settings.header or "", repr(settings.page_breaks),
    ]
    return sha256("\n".join(parts).encode())


def lesson_hash(lesson: LessonFile) -> str:
    # The lesson file and every picture it names: a redrawn chart rebuilds the lesson's outputs.
    if not lesson.images:
        return lesson.sha256
    return sha256("\n".join([lesson.sha256] + [f"{name}:{image.sha256}" for name, image in
                                               sorted(lesson.images.items())]).encode())


def pack_pdf_path(pack: Pack, settings: Settings, edition: str, version: str = "") -> Path:
    return settings.out_dir / f"{pack.id}-{edition}{'-' + version if version else ''}.pdf"


def lesson_output_path(settings: Settings, lesson: LessonFile, edition: str, fmt: str, version: str = "") -> Path:
    """``<id>/<id>-student.pdf``; a version's ``<id>-student-B.pdf``; the fillable ``<id>-student-form.pdf``."""
    suffix = (f"-{version}" if version else "") + ("-form" if fmt == FORM else "")
    return settings.out_dir / lesson.id / f"{lesson.id}-{edition}{suffix}.{'pdf' if fmt == FORM else fmt}"


def _has_worksheet(lesson: LessonFile) -> bool:
    return bool(lesson.lesson.worksheet and lesson.lesson.worksheet.items)


def _keys_for(settings: Settings, edition: str) -> str:
    """What the number of versions changes in an output's key: the teacher edition prints a key for each;
    a student version is the same however many others there are (see handout.versions), so it is not rebuilt."""
    return f"/versions:{settings.versions}" if edition == "teacher" and settings.versions > 1 else ""


def _editions(settings: Settings, fmt: str) -> tuple[str, ...]:
    """The editions a format is built in: the fillable PDF is the student's alone."""
    return tuple(e for e in settings.editions if e == "student") if fmt == FORM else settings.editions


def plan_jobs(pack: Pack, settings: Settings, *, with_pack: bool = True) -> list[Job]:
    """Every output of a build, in a stable order: pack PDFs first (the longest jobs), then each lesson's."""
    shared = _shared_key(pack, settings)
    out: list[Job] = []
    if with_pack and "pdf" in settings.formats and len(pack.lessons) > 1:  # one lesson needs no unit
        unit = sha256("\n".join([shared, str(settings.duplex), pack.id, pack.title, repr(pack.config)]
                                + [f"{one.id}:{lesson_hash(one)}" for one in pack.lessons]).encode())
        for edition in settings.editions:
            for version in settings.versions_of(edition):
                out.append(Job(edition, "pdf", pack_pdf_path(pack, settings, edition, version),
                               sha256(f"{unit}/pack/{edition}/{version}{_keys_for(settings, edition)}".encode()),
                               version=version))
    for lesson in pack.lessons:
        base = sha256(f"{shared}\n{lesson.id}\n{lesson_hash(lesson)}".encode())
        for edition in settings.editions:
            for fmt in settings.formats:
                if edition not in _editions(settings, fmt) or (fmt == FORM and not _has_worksheet(lesson)):
                    continue
                for version in settings.versions_of(edition) if fmt != FORM else ("",):
                    key = sha256(f"{base}/{edition}/{fmt}/{version}{_keys_for(settings, edition)}".encode())
                    out.append(Job(edition, fmt, lesson_output_path(settings, lesson, edition, fmt, version), key,
                                   lesson, version=version))
    return out


def shard_of(jobs: list[Job], index: int, count: int) -> list[Job]:
    """The ``index``-th (1-based) of ``count`` disjoint shares of the per-lesson jobs."""
    lesson_jobs = [job for job in jobs if job.lesson is not None]
    return [job for n, job in enumerate(lesson_jobs) if n % count == index - 1]


def render_one(pack: Pack, settings: Settings, lesson: LessonFile, edition: str, fmt: str) -> tuple[bytes, list[str]]:
    """One lesson's edition in one format, rendered in a limited process and written nowhere (the preview)."""
    job = Job(edition, fmt, lesson_output_path(settings, lesson, edition, fmt), "", lesson)
    from .worker import run_job

    ok, value = workers.run_one(functools.partial(run_job, pack=pack, settings=settings), job, limit=settings.limits)
    data, warnings, _, error, _ = value if ok else (None, [], [], value, None)
    if data is None:
        raise LessonpackError(_failure(job, pack, str(error)))
    return data, warnings


# -- the build ------------------------------------------------------------------------------------


def build(target: Path | str = ".", *, out_dir: Path | None = None, formats: Iterable[str] | None = None,
          editions: Iterable[str] | None = None, style: str | None = None, paper: str | None = None,
          jobs: int | None = None, force: bool = False, keep_going: bool = False, with_pack: bool = True,
          pack_only: bool = False, shard: tuple[int, int] | None = None, limits: Limits | None = None,
          duplex: bool | None = None, versions: int | None = None, progress: Progress | None = None) -> BuildResult:
    """Validate every lesson, then write each stale output; nothing is written if any lesson is invalid.

    ``keep_going`` builds the valid lessons and reports the invalid ones; ``shard=(i, n)`` builds the
    i-th of n disjoint shares of the per-lesson outputs; ``pack_only`` builds only the unit pack PDFs;
    ``limits`` caps each document's memory and time; ``duplex`` (default: the pack's setting, else on) starts
    every lesson of a unit PDF on a right-hand page; ``versions`` (default: the pack's) builds the student
    edition as versions A, B, C… (see :mod:`lessonpack.handout.versions`).
    """
    started = time.perf_counter()
    pack = load_checked(target, keep_going=keep_going)
    settings = resolve(pack, out_dir=out_dir, formats=formats, editions=editions, style=style, paper=paper,
                       limits=limits, duplex=duplex, versions=versions)
    result = BuildResult(warnings=[w.format() for w in pack.warnings], invalid=list(pack.invalid))
    if "pdf" in settings.formats:  # said once per build, not once per output
        from ..styles.fonts import missing_font_warning

        fonts = settings.style.tokens.fonts
        result.warnings += [f"warning: {w}" for w in (missing_font_warning(fonts.body, "body"),
                                                      missing_font_warning(fonts.heading, "heading")) if w]
    result.warnings += _version_and_form_notes(pack, settings)
    unit = with_pack and pack.is_unit and shard is None and not pack.invalid
    todo = plan_jobs(pack, settings, with_pack=unit or pack_only)
    if pack_only:  # the unit PDFs, and the lesson PDFs they are made of (built here only if no shard made them)
        todo = [job for job in todo if job.format == "pdf"]
    if shard is not None:
        todo = shard_of(todo, *shard)
    if pack.invalid and with_pack and pack.is_unit:
        result.warnings.append("unit pack PDFs not built: some lessons are invalid")
    for job in todo:  # before anything is rendered: a link in the way stops the build, not the last file
        check_inside(settings.out_dir, job.path)
    signing_key()  # and a shared signing key that is refused

    with locked(settings.out_dir, on_wait=(lambda: progress.waiting(settings.out_dir)) if progress else None,
                shared=shard is not None):  # shards share the folder; a whole build has it alone
        manifest = Manifest(settings.out_dir, _dep_roots(pack, settings), shard=shard)
        manifest.owned = {manifest.name(job.path) for job in todo}
        current = set() if force else {job.path for job in todo if manifest.is_current(job.path, job.key)}
        if pack_only and not force:
            _note_missing_lesson_pdfs([job.path for job in todo if job.lesson and job.path not in current], result)
        stale = [job for job in todo if job.path not in current]
        if progress:
            progress.start(len(todo))
        for job in todo:
            if job.path in current:
                result.unchanged.append(job.path)
                if progress:
                    progress.done(job, "unchanged")
        try:
            _render_all(stale, pack, settings, manifest, result, jobs, progress)
        except BaseException:
            with contextlib.suppress(OutputError):  # keep what was finished; report the first failure
                manifest.save()
            raise
        manifest.save()
    result.seconds = time.perf_counter() - started
    return result


def _version_and_form_notes(pack: Pack, settings: Settings) -> list[str]:
    """What versions and the fillable PDF cannot do for this build, said once."""
    notes = []
    bare = [lesson.id for lesson in pack.lessons if not _has_worksheet(lesson)]
    shown = ", ".join(bare[:3]) + (", …" if len(bare) > 3 else "")
    if FORM in settings.formats and "student" not in settings.editions:
        notes.append("warning: the fillable PDF (pdf-form) is a student edition, and only the teacher edition was "
                     "asked for: add -e student to make it")
    elif FORM in settings.formats and bare:
        notes.append(f"warning: no fillable PDF for {shown}: a lesson without a worksheet has nothing to fill in")
    if settings.versions > 1 and "student" in settings.editions and bare:
        notes.append(f"warning: {shown} {'has' if len(bare) == 1 else 'have'} no worksheet, so "
                     f"{'its' if len(bare) == 1 else 'their'} versions A, B, C… are the same")
    return notes


def _dep_roots(pack: Pack, settings: Settings) -> list[Path]:
    from ..render import BUILTIN_TEMPLATES

    return [pack.root, settings.style.folder.resolve(), settings.style.root, BUILTIN_TEMPLATES]


def _note_missing_lesson_pdfs(missing: list[Path], result: BuildResult) -> None:
    """With --pack-only, say which lesson PDFs (the shards' work) were missing or out of date: they are built here."""
    if missing:
        shown = ", ".join(display_path(p) for p in missing[:3]) + (", …" if len(missing) > 3 else "")
        result.warnings.append(f"warning: {len(missing)} lesson PDF{'s were' if len(missing) > 1 else ' was'} "
                               f"missing or out of date ({shown}) and built here; run every shard before --pack-only")


def _failure(job: Job, pack: Pack, error: str) -> str:
    if re.match(r"^\S+:\d+(:\d+)?: error: ", error):  # a positioned diagnostic (a template): print it as it is
        return f"{error}\n    (while rendering {display_path(job.path)})"
    where = display_path(job.lesson.path) if job.lesson else display_path(pack.root)
    return f"{where}: error: rendering {display_path(job.path)} failed: {error}"


MANIFEST_SAVE_EVERY = 1.0
"""Seconds between saves of the manifest while a build writes (it is saved once more at the end): a build
killed midway loses at most this much of its record, and those files are simply built again; saving after
every file rewrote the whole record, synced to disk, hundreds of times in a large build."""


def printed_version(job: Job, settings: Settings) -> str:
    """The version a job prints: its own letter, or (the teacher edition of a build with versions) version A,
    the order the teacher edition prints."""
    return job.version or ("A" if settings.versions > 1 and job.edition == "teacher" else "")


def _room_key(job: Job, settings: Settings) -> tuple:
    """Whose "lines: fill" room a job needs: the lesson's version A (any job of a build with versions), or its
    own layout's (a build without versions; the fillable PDF, laid out a little differently)."""
    assert job.lesson is not None
    form = job.format == FORM
    return job.lesson.id, "A" if settings.versions > 1 and not form else "", form


def _dispatch_rank(job: Job) -> int:
    """The order lesson jobs are handed out: student PDFs first (laying one out measures its lesson's
    "lines: fill" room, which the lesson's later jobs are then given), the other PDFs (the longest jobs)
    next, Word and HTML last, so the short jobs fill the workers' tails."""
    if job.format == "pdf":
        return 0 if job.edition == "student" else 1
    return 1 if job.format == FORM else 2


def _render_all(stale: list[Job], pack: Pack, settings: Settings, manifest: Manifest, result: BuildResult,
                jobs: int | None, progress: Progress | None) -> None:
    """Render the stale lesson outputs, then the stale unit PDFs from the lesson PDFs (written or current)."""
    if not stale:
        return
    failed: set[Path] = set()
    rooms: dict[tuple, tuple[tuple[int, float], ...]] = {}  # "lines: fill" room measured, by _room_key

    saved = -math.inf  # when the manifest was last saved

    def note(job: Job, outcome: workers.Outcome) -> None:  # as soon as a job is back, before the next go out
        ok, value = outcome
        if ok and value[4] is not None and job.lesson is not None:
            rooms[_room_key(job, settings)] = value[4]

    def finish(job: Job, outcome: workers.Outcome) -> None:
        nonlocal saved
        ok, value = outcome
        data, warnings, loaded, error, _ = value if ok else (None, [], [], value, None)
        for warning in warnings:  # the same warning from many outputs is shown once
            if not any(line.endswith(f": warning: {warning}") for line in result.warnings):
                result.warnings.append(f"{job.label}: warning: {warning}")
        if data is None:
            result.failed.append((job.path, _failure(job, pack, error)))
            failed.add(job.path)
            status: Status = "failed"
        else:
            write_atomic(job.path, data, folder=settings.out_dir)
            manifest.record(job.path, job.key, data, loaded)
            if time.monotonic() - saved >= MANIFEST_SAVE_EVERY:  # an interrupted build keeps what it finished
                manifest.save()
                saved = time.monotonic()
            result.written.append(job.path)
            status = "written"
        if progress:
            progress.done(job, status)

    def run(batch: list[Job], most: int | None = None) -> None:
        if batch:
            count = max(1, min(most or jobs or os.cpu_count() or 1, len(batch)))
            workers.run(batch, functools.partial(rendering.run_job, pack=pack, settings=settings), workers=count,
                        limit=settings.limits, on_done=finish, initializer=rendering.worker_init, prepare=with_room,
                        note=note)

    def with_room(job: Job) -> Job:  # as a job is handed out: the room a worker measured for its lesson, if any
        room = rooms.get(_room_key(job, settings)) if job.lesson is not None else None
        return replace(job, fill_room=room) if room is not None else job

    from . import worker as rendering  # imported here, before the workers fork: they start with the renderers loaded

    rendering.preload(stale)
    run(sorted((job for job in stale if job.lesson is not None), key=_dispatch_rank))
    units = []
    for job in (job for job in stale if job.lesson is None):
        parts = [lesson_output_path(settings, lesson, job.edition, "pdf", job.version) for lesson in pack.lessons]
        missing = [path for path in parts if path in failed or manifest.sha(path) is None]
        if missing:
            finish(job, (False, f"{display_path(missing[0])} was not built, so the unit PDF cannot be assembled"))
        else:
            units.append(replace(job, parts=tuple((path, manifest.sha(path)) for path in parts)))
    # One unit at a time: a unit holds every lesson's tagged pages while it is written (about 4 MiB a lesson),
    # so two at once would double the build's peak memory for a few seconds saved.
    run(units, most=1)  # type: ignore[arg-type]


# -- clean ----------------------------------------------------------------------------------------

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_EDITION = "(?:" + "|".join(EDITIONS) + ")"
_VERSION = "(?:-[A-Z])?"
_LESSON_FILE = rf"(?:{_VERSION}\.(?:{'|'.join(FORMATS)})|-form\.pdf)"  # a version's file, or the fillable PDF
OUTPUT_NAME = re.compile(rf"^(?:(?P<lesson>{_ID})/(?P=lesson)-{_EDITION}{_LESSON_FILE}"
                         rf"|(?P<pack>{_ID})-{_EDITION}{_VERSION}\.pdf)$")
"""The relative names lessonpack writes in an output folder; ``clean`` deletes nothing else."""

def clean(target: Path | str = ".", *, out_dir: Path | None = None) -> list[Path]:
    """Remove the output files that no current lesson produces (only files lessonpack wrote); return them.

    Only an output folder with a trusted manifest (one this user's builds signed for it) is cleaned; any
    other folder, the root folder and the home folder are refused before anything is touched. Candidates
    are the names that manifest lists, when they are names lessonpack writes, regular files, inside the
    output folder and not reached through a link; then the temporary files a killed build left, when their
    name proves lessonpack made them (:func:`~lessonpack.building.output.is_own_temp`); then a lesson's own output
    folder that the manifest names, once it is empty.
    """
    if out_dir is not None:
        _refuse_to_clean(Path(out_dir).resolve())  # before the pack is even read
    pack = load_pack(target, keep_going=True)
    folder = output_folder(pack, out_dir)
    _refuse_to_clean(folder)
    if not folder.is_dir():
        return []
    if not Manifest(folder).trusted:  # decided before the lock: taking it would create a file there
        raise _untrusted(folder)
    lesson_ids = {lesson.id for lesson in pack.lessons} | {p.stem for p in _lesson_paths(pack)}
    pack_files = {f"{pack.id}-{edition}{version}.pdf" for edition in EDITIONS
                  for version in ["", *(f"-{letter}" for letter in version_letters(MAX_VERSIONS))]}
    removed: list[Path] = []
    with locked(folder):
        manifest = Manifest(folder)
        if not manifest.trusted:
            raise _untrusted(folder)
        lesson_folders = {name.split("/", 1)[0] for name in manifest.entries
                          if "/" in name and OUTPUT_NAME.match(name)}
        for name in sorted(manifest.entries):
            match = OUTPUT_NAME.match(name)
            current = match is not None and ((match["lesson"] or "") in lesson_ids or name in pack_files)
            if not current:
                path = folder / name
                if match is not None and _removable(folder, path):
                    path.unlink()
                    removed.append(path)
                manifest.forget(name)
        for stray in _temp_leftovers(folder):  # left by a build that was killed mid-write
            stray.unlink(missing_ok=True)
            removed.append(stray)
        for name in sorted(lesson_folders):  # a lesson's own output folder, once nothing is left in it
            sub = folder / name
            with contextlib.suppress(OSError):
                if stat.S_ISDIR(os.lstat(sub).st_mode) and not any(sub.iterdir()):
                    sub.rmdir()
        manifest.save()
    return removed


def _refuse_to_clean(folder: Path) -> None:
    """The root folder and the home folder are never cleaned, whatever they hold."""
    if folder == Path(folder.anchor) or folder == Path.home().resolve():
        raise LessonpackError(f"error: not cleaning {display_path(folder)}: lessonpack never cleans the root folder "
                              "or your home folder; nothing was removed (name the output folder a build wrote, "
                              "e.g. -o dist)")


def _untrusted(folder: Path) -> LessonpackError:
    return LessonpackError(f"error: not cleaning {display_path(folder)}: it holds no record of a build of yours "
                           f"({MANIFEST_NAME} signed by your builds for this folder), so lessonpack cannot tell "
                           "which files it wrote; nothing was removed")


def _removable(folder: Path, path: Path) -> bool:
    """A regular file inside ``folder``, reached without passing through a link."""
    try:
        check_inside(folder, path)
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OutputError, OSError):
        return False


def _temp_leftovers(folder: Path) -> list[Path]:
    """lessonpack's own temporary files (their name's MAC holds) in the output folder and its real subfolders."""
    out = []
    try:
        subfolders = [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    for sub in [folder] + sorted(subfolders):
        with contextlib.suppress(OSError), os.scandir(sub) as found:
            out += [Path(e.path) for e in found if e.is_file(follow_symlinks=False) and is_own_temp(e.name)]
    return sorted(out)


def _lesson_paths(pack: Pack) -> list[Path]:
    folder = pack.root / "lessons"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


__all__ = ["BuildResult", "Job", "Settings", "build", "clean", "plan_jobs", "resolve", "shard_of"]
