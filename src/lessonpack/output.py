"""The output folder: atomic file writes, the build manifest, and the lock that serializes builds."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

MANIFEST_NAME = ".lessonpack-manifest.json"
LOCK_NAME = ".lessonpack.lock"
MANIFEST_VERSION = 1


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename.

    A reader (or a build killed half-way) only ever sees the old file or the complete new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


@dataclass
class Entry:
    """What the manifest remembers of one output: its input key, its bytes' hash, files it loaded."""

    key: str
    sha256: str
    deps: dict[str, str] = field(default_factory=dict)


class Manifest:
    """``.lessonpack-manifest.json``: for each output (relative path), the hash of everything it depends on."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self.entries: dict[str, Entry] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("version") == MANIFEST_VERSION:
                self.entries = {name: Entry(**value) for name, value in raw.get("outputs", {}).items()}
        except (OSError, ValueError, TypeError, AttributeError):
            self.entries = {}  # missing or damaged: everything is simply rebuilt

    def name(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def is_current(self, path: Path, key: str) -> bool:
        """True when ``path`` exists unchanged and was made from inputs with this ``key``."""
        entry = self.entries.get(self.name(path))
        if entry is None or entry.key != key or file_sha(path) != entry.sha256:
            return False
        return all(file_sha(Path(dep)) == digest for dep, digest in entry.deps.items())

    def record(self, path: Path, key: str, data: bytes, deps: list[Path]) -> None:
        self.entries[self.name(path)] = Entry(key, sha256(data), {str(d): file_sha(d) or "" for d in sorted(set(deps))})

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        payload = {"version": MANIFEST_VERSION,
                   "outputs": {name: vars(entry) for name, entry in sorted(self.entries.items())}}
        write_atomic(self.path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"))


@contextlib.contextmanager
def locked(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock; if another build holds it, call ``on_wait`` and wait for it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_NAME, "a+b")
    try:
        _lock(handle, on_wait)
        yield
    finally:
        _unlock(handle)
        handle.close()


try:  # POSIX
    import fcntl

    def _lock(handle, on_wait) -> None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)

    def _unlock(handle) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt
    import time

    def _lock(handle, on_wait) -> None:
        waited = False
        while True:
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if not waited and on_wait:
                    on_wait()
                waited = True
                time.sleep(0.2)

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
