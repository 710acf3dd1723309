"""Watch a pack's files (lessons, pictures, styles, templates, settings) and call back when any changes.

Used by ``lessonpack preview`` (in a thread, to reload open pages) and ``lessonpack build --watch``.
Changes inside the output folder, and in hidden or cache folders, are not the teacher's edits and are
ignored, so a build never triggers itself.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Iterator

IGNORED_PARTS = {".git", "__pycache__", ".venv", "node_modules"}


def _filter(root: Path, output: Path | None) -> Callable[[object, str], bool]:
    out = output.resolve() if output is not None else None

    def wanted(_change: object, name: str) -> bool:
        path = Path(name)
        if out is not None and (path == out or out in path.parents):
            return False
        rel = path.relative_to(root) if path.is_relative_to(root) else path
        return not any(part in IGNORED_PARTS or part.startswith(".") for part in rel.parts) and \
            not name.endswith(("~", ".swp", ".tmp"))

    return wanted


def changes(root: Path, *, output: Path | None = None, stop: threading.Event | None = None,
            ready: Callable[[], None] | None = None) -> Iterator[set[Path]]:
    """Each batch of changed files under ``root`` (a save that touches several files is one batch).

    ``ready()`` is called once the watch has begun, so that nothing saved after it is missed.
    """
    from watchfiles import watch

    root = root.resolve()
    for batch in watch(root, watch_filter=_filter(root, output), stop_event=stop, debounce=150, step=50,
                       rust_timeout=200, yield_on_timeout=True, raise_interrupt=False):
        if ready is not None:  # the first batch (empty, on a timeout) comes once the watch is in place
            ready()
            ready = None
        if batch:
            yield {Path(name) for _, name in batch}


class Watcher:
    """Call ``on_change()`` from a background thread whenever a file of the pack changes."""

    def __init__(self, root: Path, on_change: Callable[[], None], *, output: Path | None = None):
        self.root, self.on_change, self.output = root, on_change, output
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lessonpack-watch", daemon=True)

    def _run(self) -> None:
        for _ in changes(self.root, output=self.output, stop=self._stop, ready=self._ready.set):
            self.on_change()

    def start(self) -> None:
        """Start watching; return once the watch is in place."""
        self._thread.start()
        self._ready.wait(timeout=5)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
