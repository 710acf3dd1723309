"""Watch the files a pack's last load read (lessons, lessonpack.yaml, style files, templates, pictures) and
call back when any changes.

Used by ``lessonpack preview`` (in a thread, to reload open pages) and ``lessonpack build --watch``. What is
watched is what lessonpack read (:func:`lessonpack.load.packfiles.recording_reads`), never the result of walking
the pack folder: a pack is someone else's download, and a link in it such as ``styles/shared -> /`` must not
make the watcher walk the whole disk. Each folder that holds a file read is watched on its own, not
recursively, and only when it is a real folder inside the pack once links are followed; the pack folder,
its lessons folder and its templates folder are watched too, for a new lesson file, a new
``lessonpack.yaml`` or a new template. The output
folder and lessonpack's own state files are never watched, so a build never triggers itself.

A folder that cannot be watched (unreadable, or gone) is one warning line, and the watch goes on without
it; what is watched is worked out again after every change and every second, so a folder that becomes
readable again, or a picture a lesson starts to name, is watched from then on.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ...errors import display_path
from ...load.pack import LESSON_DIR
from ...load.packfiles import is_within, resolved

TEMPLATE_DIR = "templates"
PACK_FOLDERS = {LESSON_DIR, "styles", TEMPLATE_DIR}
"""Folders whose appearance in the pack folder matters (a pack's lessons, styles and templates start there)."""

REPLAN_SECONDS = 1.0
"""How often what is watched is worked out again while nothing changes."""

RETRY_SECONDS = 1.0
"""How long to wait before trying again when no watch could be set up."""

Warn = Callable[[str], None]


def _print_warning(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Plan:
    """What to watch: real folders inside the pack (each on its own), and which changes in them matter."""

    root: Path
    folders: tuple[Path, ...]
    files: frozenset[Path]  # a change to one of these matters
    open_folders: frozenset[Path]  # a new lesson (.yaml) or settings file here matters
    templates: Path | None = None  # the pack's templates folder: a new template there matters

    def matters(self, path: Path) -> bool:
        """Whether a change at ``path`` (a path under one of :attr:`folders`) is one a build must follow."""
        if path in self.files:
            return True
        name = path.name
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
            return False  # an editor's backup or swap file, lessonpack's own state
        if path.parent == self.templates:
            return True
        if path.parent not in self.open_folders:
            return False
        return name.endswith(".yaml") or (path.parent == self.root and name in PACK_FOLDERS)


def plan(root: Path, read: Iterable[Path], output: Path | None, *,
         unwatchable: Callable[[Path, str], None] | None = None) -> Plan:
    """The :class:`Plan` for a pack at ``root`` whose last load read ``read``; ``unwatchable(folder, reason)`` is
    told about each folder that would be watched but cannot be."""
    root = resolved(root)
    out = resolved(output) if output is not None else None
    folders: set[Path] = set()
    files: set[Path] = set()
    candidates: set[Path] = set()

    def inside(folder: Path) -> bool:  # a real folder inside the pack, outside the output folder
        if not is_within(folder, root) or (out is not None and out != root and is_within(folder, out)):
            return False
        return True

    for path in read:
        if path.name.startswith(".lessonpack"):  # lessonpack's own state (the manifest, the lock), not an input
            continue
        for named in {Path(os.path.abspath(path)), resolved(path)}:
            folder = resolved(named.parent)  # no link is left on the way: nothing followed out of the pack
            if inside(folder):
                candidates.add(folder)
                files.add(folder / named.name)
    open_folders = {root}
    lessons = resolved(root / LESSON_DIR)
    if inside(lessons) and lessons != root and os.path.isdir(lessons):
        open_folders.add(lessons)
    templates: Path | None = resolved(root / TEMPLATE_DIR)
    if not (inside(templates) and templates != root and os.path.isdir(templates)):
        templates = None
    for folder in sorted(candidates | open_folders | ({templates} if templates else set())):
        if not os.path.isdir(folder):
            continue  # gone (a picture's folder was deleted): the lesson that names it is watched
        reason = _unwatchable(folder)
        if reason is None:
            folders.add(folder)
        elif unwatchable is not None:
            unwatchable(folder, reason)
    return Plan(root, tuple(sorted(folders)), frozenset(files), frozenset(open_folders & folders),
                templates if templates in folders else None)


def _unwatchable(folder: Path) -> str | None:
    """Why a folder cannot be watched (None: it can)."""
    try:
        with os.scandir(folder):
            pass
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    if not os.access(folder, os.R_OK | os.X_OK):
        return "permission denied"
    return None


def changes(root: Path, files: Callable[[], Iterable[Path]], *, output: Path | None = None,
            stop: threading.Event | None = None, ready: Callable[[], None] | None = None,
            warn: Warn | None = None) -> Iterator[set[Path]]:
    """Each batch of changed files of the pack at ``root`` (a save that touches several files is one batch).

    ``files()`` gives the files the pack's last load read (asked again after every batch and every second);
    ``ready()`` is called once the watch has begun, so that nothing saved after it is missed; ``warn(line)``
    is told, once, about each folder that cannot be watched.
    """
    from watchfiles import watch

    warn = warn or _print_warning
    warned: dict[Path, str] = {}
    troubles: set[str] = set()  # what went wrong with the watch as a whole, said once until it works again

    def unwatchable(folder: Path, reason: str) -> None:
        if warned.get(folder) != reason:
            warned[folder] = reason
            warn(f"warning: cannot watch {display_path(folder)}: {reason}; changes there are not noticed until it "
                 "can be read")

    def trouble(exc: BaseException) -> None:
        line = f"warning: cannot watch the pack for a moment ({exc}); trying again every second"
        if line not in troubles:
            troubles.add(line)
            warn(line)

    current: Plan | None = None
    running: Iterator[set] | None = None
    planned = 0.0
    try:
        while stop is None or not stop.is_set():
            pending: set[Path] = set()
            if running is None or time.monotonic() - planned >= REPLAN_SECONDS:
                new = plan(root, files(), output, unwatchable=unwatchable)
                planned = time.monotonic()
                for folder in [f for f in warned if f in new.folders or not os.path.lexists(f)]:
                    del warned[folder]  # watchable again (or gone): a new problem is worth a new warning
                if not new.folders:  # nothing can be watched now (the pack folder itself is unreadable)
                    if ready is not None:
                        ready()
                        ready = None
                    _wait(stop, RETRY_SECONDS)
                    continue
                if running is None or new.folders != current.folders:  # type: ignore[union-attr]
                    try:
                        started = watch(*new.folders, watch_filter=None, stop_event=stop, debounce=150, step=50,
                                        rust_timeout=200, yield_on_timeout=True, raise_interrupt=False,
                                        recursive=False, ignore_permission_denied=False)
                        first = next(started)  # the new watch is in place
                    except StopIteration:
                        return  # stopped, or interrupted (Ctrl-C)
                    except (OSError, RuntimeError) as exc:  # a folder went away or became unreadable just now
                        trouble(exc)
                        if ready is not None:
                            ready()
                            ready = None
                        _wait(stop, RETRY_SECONDS)
                        continue
                    pending = {Path(name) for _, name in first}
                    if running is not None:  # what the old watch saw while the new one started
                        try:
                            pending |= {Path(name) for _, name in next(running, set())}
                        except (OSError, RuntimeError):
                            pass
                        running.close()  # type: ignore[attr-defined]
                    running = started
                    troubles.clear()
                current = new
                if ready is not None:
                    ready()
                    ready = None
            if not pending:
                try:
                    batch = next(running)  # type: ignore[arg-type]
                except StopIteration:
                    return
                except (OSError, RuntimeError) as exc:
                    trouble(exc)
                    running = None
                    _wait(stop, RETRY_SECONDS)
                    continue
                pending = {Path(name) for _, name in batch}
            found = {path for path in pending if current.matters(path)}  # type: ignore[union-attr]
            if found:
                yield found
                planned = 0.0  # what the pack reads may have changed: work out the watch again
    finally:
        if running is not None:
            running.close()  # type: ignore[attr-defined]


def _wait(stop: threading.Event | None, seconds: float) -> None:
    if stop is not None:
        stop.wait(seconds)
    else:
        time.sleep(seconds)


class Watcher:
    """Call ``on_change()`` from a background thread whenever a file the pack read changes; ``files()`` gives
    those files (see :func:`changes`). The thread outlives any trouble with the file system: a problem is a
    warning, and the watch starts again."""

    def __init__(self, root: Path, on_change: Callable[[], None], *, files: Callable[[], Iterable[Path]],
                 output: Path | None = None, warn: Warn | None = None):
        self.root, self.on_change, self.files, self.output = root, on_change, files, output
        self.warn = warn or _print_warning
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lessonpack-watch", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for _ in changes(self.root, self.files, output=self.output, stop=self._stop, ready=self._ready.set,
                                 warn=self.warn):
                    self.on_change()
                return
            except Exception as exc:  # noqa: BLE001 - a watcher that dies silently stops live reload for good
                self.warn(f"warning: watching the pack stopped for a moment ({type(exc).__name__}: {exc}); "
                          "watching again")
                self._ready.set()
                self._stop.wait(RETRY_SECONDS)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        """Start watching; return once the watch is in place."""
        self._thread.start()
        self._ready.wait(timeout=5)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
