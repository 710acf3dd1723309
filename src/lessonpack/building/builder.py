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
import math
import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Literal, Protocol

from .. import limits
from ..errors import Diagnostic, LessonpackError, display_path
from ..load.pack import Pack, load_pack
from ..load.model import LessonFile, version_letters
from ..load.packfiles import read_pack_file
from ..text.labels import labels_for
from ..plugins import output_format
from ..user import signing_key
from . import workers
from .check import load_checked
from .jobs import (Job, Settings, editions_of, has_worksheet, lesson_output_path, output_folder, output_name,
                   plan_jobs, printed_version, resolve, shard_of, unit_file_names, variant_folders)
from .output import MANIFEST_NAME, Manifest, OutputError, check_inside, is_own_temp, locked, write_atomic
from .workers import Limits
from .worker import Refused, Rendered

Status = Literal["written", "unchanged", "failed"]


@dataclass(frozen=True)
class Failure:
    """An output that was not written, and why (positioned where the cause is, or the lesson at line 0)."""

    path: Path
    diagnostics: tuple[Diagnostic, ...]

    def report(self) -> str:
        """What the user reads: each problem, and which output it stopped."""
        lines = []
        for d in self.diagnostics:
            lines.append(d.format() + (f"\n    (while rendering {display_path(self.path)})" if d.line else ""))
        return "\n".join(lines)


@dataclass
class BuildResult:
    """What a build did, output by output."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
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


def render_one(pack: Pack, settings: Settings, lesson: LessonFile, edition: str, fmt: str) -> tuple[bytes, list[str]]:
    """One lesson's edition in one format, rendered in a limited process and written nowhere (the preview)."""
    from .worker import run_job

    job = Job(edition, fmt, lesson_output_path(settings, lesson, edition, fmt), "", lesson)
    outcome = workers.run_one(functools.partial(run_job, pack=pack, settings=settings), job, limit=settings.limits)
    done = outcome.result
    if isinstance(done, Rendered):
        return done.data, list(done.warnings)
    raise LessonpackError(done.diagnostics if isinstance(done, Refused)
                          else _failure(job, pack, outcome.failure or "no result").diagnostics)


def render_pages(pack: Pack, settings: Settings, lesson: LessonFile, edition: str) -> tuple[bytes, tuple, int,
                                                                                            list[str]]:
    """One lesson's edition as its PDF and that PDF's pages as pictures (:class:`~lessonpack.render.raster.PageImage`,
    at most ``limits.PREVIEW_PAGES``), rendered in one limited process and written nowhere (the preview): the
    PDF's bytes, the pictures, how many pages it has, its warnings."""
    from .worker import run_pages_job

    job = Job(edition, "pdf", lesson_output_path(settings, lesson, edition, "pdf"), "", lesson)
    outcome = workers.run_one(functools.partial(run_pages_job, pack=pack, settings=settings), job,
                              limit=settings.limits)
    done = outcome.result
    if isinstance(done, Rendered):
        return done.data, done.pages, done.page_count, list(done.warnings)
    raise LessonpackError(done.diagnostics if isinstance(done, Refused)
                          else _failure(job, pack, outcome.failure or "no result").diagnostics)


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
                       limits=limits, duplex=duplex, versions=versions, variant_folder=True)
    result = BuildResult(warnings=[w.format() for w in pack.warnings], invalid=list(pack.invalid))
    if any(output_format(name).suffix == "pdf" for name in settings.formats):  # said once, not per output
        from ..styles.fonts import missing_font_warning, style_pack_root

        fonts = settings.style.tokens.fonts
        own = style_pack_root(settings.style)
        result.warnings += [f"warning: {w}" for w in (missing_font_warning(fonts.body, "body", own),
                                                      missing_font_warning(fonts.heading, "heading", own)) if w]
        result.warnings += [f"warning: {w}" for element, look in settings.style.tokens.elements if look.font
                            and (w := missing_font_warning([look.font, "serif"], element, own))]
    result.warnings += [w for w in (d.format() for d in settings.style.warnings) if w not in result.warnings]
    if settings.letterhead is not None:  # what a reference document's header could not carry over
        result.warnings += [f"warning: {note}" for note in settings.letterhead.notes]
    result.warnings += _version_and_form_notes(pack, settings)
    unit = with_pack and pack.is_unit and shard is None and not pack.invalid
    todo = plan_jobs(pack, settings, with_pack=unit or pack_only)
    if pack_only:  # the unit PDFs, and the lesson PDFs they are made of (built here only if no shard made them)
        todo = [job for job in todo if output_format(job.format).unit]
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
    """What versions and formats made for some editions or lessons only cannot do for this build, said once."""
    notes = []
    bare = [lesson.id for lesson in pack.lessons if not has_worksheet(lesson)]
    shown = ", ".join(bare[:3]) + (", …" if len(bare) > 3 else "")
    for name in settings.formats:
        fmt = output_format(name)
        if not editions_of(settings, name):
            which = " and ".join(fmt.editions)
            asked = " and ".join(settings.editions)
            notes.append(f"warning: the {fmt.noun} ({name}) is a {which} edition, and only the {asked} edition was "
                         f"asked for: add -e {fmt.editions[0]} to make it")
        elif fmt.needs_worksheet and bare:
            notes.append(f"warning: no {fmt.noun} for {shown}: a lesson without a worksheet has nothing to fill in")
    if settings.versions > 1 and "student" in settings.editions and bare:
        notes.append(f"warning: {shown} {'has' if len(bare) == 1 else 'have'} no worksheet, so "
                     f"{'its' if len(bare) == 1 else 'their'} versions A, B, C… are the same")
    return notes


def _dep_roots(pack: Pack, settings: Settings) -> list[Path]:
    from ..render import BUILTIN_TEMPLATES

    return [pack.root, *(folder.resolve() for folder in settings.style.folders), settings.style.root,
            BUILTIN_TEMPLATES]


def _note_missing_lesson_pdfs(missing: list[Path], result: BuildResult) -> None:
    """With --pack-only, say which lesson PDFs (the shards' work) were missing or out of date: they are built here."""
    if missing:
        shown = ", ".join(display_path(p) for p in missing[:3]) + (", …" if len(missing) > 3 else "")
        result.warnings.append(f"warning: {len(missing)} lesson PDF{'s were' if len(missing) > 1 else ' was'} "
                               f"missing or out of date ({shown}) and built here; run every shard before --pack-only")


def _failure(job: Job, pack: Pack, reason: str) -> Failure:
    """A job a render process could not finish (a limit, a crash): the lesson (or pack) as a whole."""
    where = display_path(job.lesson.path if job.lesson else pack.root)
    return Failure(job.path, (Diagnostic(where, 0, 0, "error", f"rendering {display_path(job.path)} failed: {reason}"),))


MANIFEST_SAVE_EVERY = 1.0
"""Seconds between saves of the manifest while a build writes (it is saved once more at the end): a build
killed midway loses at most this much of its record, and those files are simply built again; saving after
every file rewrote the whole record, synced to disk, hundreds of times in a large build."""


def _room_key(job: Job, settings: Settings) -> tuple:
    """Whose "lines: fill" room a job needs: its version's (each version is measured on its own pages; the
    teacher edition on version A's, the written order it prints), or, without versions, the lesson's own (the
    fillable PDF apart: it is laid out a little differently)."""
    assert job.lesson is not None
    form = output_format(job.format).fillable
    return job.lesson.id, "" if form else printed_version(job, settings), form


def _dispatch_rank(job: Job) -> int:
    """The order lesson jobs are handed out: student edition jobs that measure "lines: fill" first (laying one out
    measures its lesson's room, which the lesson's later jobs are then given), the other measured ones (the
    longest jobs) next, the rest last, so the short jobs fill the workers' tails."""
    fmt = output_format(job.format)
    if fmt.lays_out and not fmt.fillable:
        return 0 if job.edition == "student" else 1
    return 1 if fmt.lays_out else 2


def _render_all(stale: list[Job], pack: Pack, settings: Settings, manifest: Manifest, result: BuildResult,
                jobs: int | None, progress: Progress | None) -> None:
    """Render the stale lesson outputs, then the stale unit PDFs from the lesson PDFs (written or current)."""
    if not stale:
        return
    failed: set[Path] = set()
    rooms: dict[tuple, tuple[tuple[int, float], ...]] = {}  # "lines: fill" room measured, by _room_key

    saved = -math.inf  # when the manifest was last saved

    def note(job: Job, outcome: workers.Outcome) -> None:  # as soon as a job is back, before the next go out
        done = outcome.result
        if isinstance(done, Rendered) and done.fill_room is not None and job.lesson is not None:
            rooms[_room_key(job, settings)] = done.fill_room

    def finish(job: Job, outcome: workers.Outcome) -> None:
        nonlocal saved
        done = outcome.result
        for warning in done.warnings if isinstance(done, Rendered) else ():  # the same warning is shown once
            if not any(line.endswith(f": warning: {warning}") for line in result.warnings):
                result.warnings.append(f"{job.label}: warning: {warning}")
        if not isinstance(done, Rendered):
            result.failed.append(Failure(job.path, done.diagnostics) if isinstance(done, Refused)
                                 else _failure(job, pack, outcome.failure or "no result"))
            failed.add(job.path)
            status: Status = "failed"
        else:
            write_atomic(job.path, done.data, folder=settings.out_dir)
            manifest.record(job.path, job.key, done.data, list(done.loaded))
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
    if settings.versions > 1 and manifest.shard is None:
        _even_versions(stale, pack, settings, manifest, failed)
    units = []
    for job in (job for job in stale if job.lesson is None):
        parts = [lesson_output_path(settings, lesson, job.edition, job.format, job.version) for lesson in pack.lessons]
        missing = [path for path in parts if path in failed or manifest.sha(path) is None]
        if missing:
            finish(job, workers.Outcome(failure=f"{display_path(missing[0])} was not built, so the unit PDF cannot "
                                                "be assembled"))
        else:
            units.append(replace(job, parts=tuple((path, manifest.sha(path)) for path in parts)))
    # One unit at a time: a unit holds every lesson's tagged pages while it is written (about 4 MiB a lesson),
    # so two at once would double the build's peak memory for a few seconds saved.
    run(units, most=1)  # type: ignore[arg-type]


def _even_versions(stale: list[Job], pack: Pack, settings: Settings, manifest: Manifest, failed: set[Path]) -> None:
    """Versions of a lesson print the same number of pages: a teacher copying mixed piles counts one number of
    sheets. A shuffle can move a page break, so a version shorter than the longest gets pages left blank on
    purpose (which say so) at its end. (A sharded build's versions are evened by the step that assembles it.)"""
    from ..render.pdf import render_blank_sheet
    from .assemble import pad_pages, page_count

    touched = {job.lesson.id for job in stale if job.lesson is not None and job.version and job.format == "pdf"}
    blanks: dict[str, bytes] = {}  # a blank page in each lesson language
    for lesson in (one for one in pack.lessons if one.id in touched):
        paths = [lesson_output_path(settings, lesson, "student", "pdf", letter)
                 for letter in version_letters(settings.versions)]
        if any(path in failed or manifest.sha(path) is None for path in paths):
            continue
        data = {path: read_pack_file(path, [settings.out_dir], limit=limits.MAX_OUTPUT_BYTES, what="lesson PDF")
                for path in paths}
        counts = {path: page_count(body) for path, body in data.items()}
        most = max(counts.values())
        for path, count in counts.items():
            if count < most:
                language = lesson.lesson.language
                if language not in blanks:
                    label = labels_for(language)[0]["intentionally_blank"]
                    blanks[language] = render_blank_sheet(settings.style, settings.paper, label, language,
                                                          pack_root=pack.root)
                padded = pad_pages(data[path], most - count, blanks[language])
                write_atomic(path, padded, folder=settings.out_dir)
                manifest.rewrite(path, padded)


# -- clean ----------------------------------------------------------------------------------------

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
    # The output folder and each variant's folder in it (another style or paper: dist/large-print.a4/), each
    # with its own manifest; a folder no build of this user's signed is left alone.
    trusted = [f for f in [folder, *variant_folders(folder)] if Manifest(f).trusted]
    if not trusted:  # decided before the lock: taking it would create a file there
        raise _untrusted(folder)
    removed: list[Path] = []
    for one in trusted:
        removed += _clean_folder(pack, one)
    return removed


def _clean_folder(pack: Pack, folder: Path) -> list[Path]:
    """Clean one output folder whose manifest this user's builds signed (see :func:`clean`)."""
    lesson_ids = {lesson.id for lesson in pack.lessons} | {p.stem for p in _lesson_paths(pack)}
    pack_files = unit_file_names(pack)
    names = output_name()
    removed: list[Path] = []
    with locked(folder):
        manifest = Manifest(folder)
        if not manifest.trusted:
            raise _untrusted(folder)
        lesson_folders = {name.split("/", 1)[0] for name in manifest.entries
                          if "/" in name and names.match(name)}
        for name in sorted(manifest.entries):
            match = names.match(name)
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


__all__ = ["BuildResult", "Failure", "build", "clean", "render_one"]
