"""The output folder: atomic file writes inside it, the signed build manifest, and the lock that serializes builds.

Output state that arrives with a pack (a shipped ``dist/`` with its manifest) is never trusted:
the manifest carries an HMAC over its contents and the resolved output folder, keyed by a secret
that lessonpack keeps in the user's state folder. A manifest this user's builds did not write for
this folder is ignored, so everything is rebuilt and ``clean`` deletes nothing on its word. Files
are written only inside the output folder, never through a symbolic link, and every failure to
write is one clear :class:`OutputError`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import limits
from .errors import LessonpackError, display_path
from .packfiles import PackFileError, is_within, read_pack_file

MANIFEST_NAME = ".lessonpack-manifest.json"
LOCK_NAME = ".lessonpack.lock"
MANIFEST_VERSION = 2
KEY_ENV = "LESSONPACK_MANIFEST_KEY"
"""Set to the same secret on several machines that build shards into shared storage."""

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class OutputError(LessonpackError):
    """An output file or folder that cannot be written; earlier outputs are left as they were."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        super().__init__(f"error: cannot write {display_path(path)}: {reason}")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
        return "it is a symbolic link; lessonpack does not write through links (delete it)"
    return exc.strerror or str(exc)


def check_inside(folder: Path, path: Path) -> None:
    """Refuse ``path`` unless every folder between ``folder`` and it is a real folder (no links)."""
    try:
        relative = path.relative_to(folder)
    except ValueError:
        raise OutputError(path, f"it lies outside the output folder {display_path(folder)}") from None
    if ".." in relative.parts:
        raise OutputError(path, "its name climbs out of the output folder")
    current = folder
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise OutputError(path, f"{display_path(current)} is a symbolic link; lessonpack writes only inside "
                                    "the output folder (delete the link)")
        if current.exists() and not current.is_dir():
            raise OutputError(path, f"{display_path(current)} is a file, not a folder")


def write_atomic(path: Path, data: bytes, *, folder: Path | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename.

    A reader (or a build killed half-way) only ever sees the old file or the complete new one.
    With ``folder``, ``path`` must lie inside it without passing through a link.
    """
    if folder is not None:
        check_inside(folder, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, _reason(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path, limit: int = limits.MAX_IMAGE_BYTES * 5) -> str | None:
    """SHA-256 of a regular file's bytes, or None when it is missing, not a regular file, a link, or too big."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


# -- the manifest -------------------------------------------------------------------------------


def _state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "lessonpack"


@lru_cache(maxsize=1)
def manifest_key() -> bytes:
    """This user's secret for signing manifests (created on first use); a one-run secret if it cannot be kept."""
    shared = os.environ.get(KEY_ENV)
    if shared:
        return hashlib.sha256(shared.encode("utf-8")).digest()
    path = _state_dir() / "manifest.key"
    for _ in range(2):
        try:
            fd = os.open(path, _READ_FLAGS)
            try:
                info = os.fstat(fd)
                key = os.read(fd, 64) if stat.S_ISREG(info.st_mode) else b""
            finally:
                os.close(fd)
            if len(key) >= 32:
                return key
        except OSError:
            pass
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            key = secrets.token_bytes(32)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key)
            return key
        except FileExistsError:
            continue  # another build created it a moment ago: read theirs
        except OSError:
            break
    return secrets.token_bytes(32)  # no place to keep it: this run trusts only manifests it wrote itself


def _signature(folder: Path, outputs: dict) -> str:
    body = json.dumps({"folder": str(folder), "outputs": outputs}, sort_keys=True, separators=(",", ":"))
    return hmac.new(manifest_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass
class Entry:
    """What the manifest remembers of one output: its input key, its bytes' hash, files it loaded."""

    key: str
    sha256: str
    deps: dict[str, str] = field(default_factory=dict)


class Manifest:
    """``.lessonpack-manifest.json``: for each output (relative path), the hash of everything it depends on.

    ``dep_roots`` are the folders a recorded dependency may lie in (the pack, the style); any other
    is ignored. A manifest that fails its signature is treated as absent (``trusted`` is False).
    """

    def __init__(self, folder: Path, dep_roots: Sequence[Path] = ()):
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self.dep_roots = [Path(r).resolve() for r in dep_roots]
        self.entries: dict[str, Entry] = {}
        self.trusted = False
        try:
            raw = json.loads(read_pack_file(self.path, [folder.resolve()], limit=limits.MAX_MANIFEST_BYTES,
                                            what="manifest"))
            outputs = raw.get("outputs", {})
            if raw.get("version") == MANIFEST_VERSION and hmac.compare_digest(
                    str(raw.get("signature", "")), _signature(folder.resolve(), outputs)):
                self.entries = {name: Entry(**value) for name, value in outputs.items()}
                self.trusted = True
        except (PackFileError, ValueError, TypeError, AttributeError):
            self.entries = {}  # missing, damaged, foreign or forged: everything is simply rebuilt

    def name(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def is_current(self, path: Path, key: str) -> bool:
        """True when ``path`` exists unchanged and was made from inputs with this ``key``."""
        entry = self.entries.get(self.name(path))
        if entry is None or entry.key != key or file_sha(path) != entry.sha256:
            return False
        return all(file_sha(Path(dep)) == digest for dep, digest in entry.deps.items()
                   if any(is_within(Path(dep), root) for root in self.dep_roots))

    def record(self, path: Path, key: str, data: bytes, deps: list[Path]) -> None:
        self.entries[self.name(path)] = Entry(key, sha256(data), {str(d): file_sha(d) or "" for d in sorted(set(deps))})

    def sha(self, path: Path) -> str | None:
        """The hash recorded for ``path``, if it is listed."""
        entry = self.entries.get(self.name(path))
        return entry.sha256 if entry else None

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        outputs = {name: vars(entry) for name, entry in sorted(self.entries.items())}
        payload = {"version": MANIFEST_VERSION, "outputs": outputs,
                   "signature": _signature(self.folder.resolve(), outputs)}
        write_atomic(self.path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"),
                     folder=self.folder)


@contextlib.contextmanager
def locked(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock; if another build holds it, call ``on_wait`` and wait for it."""
    lock = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                     0o644)
    except OSError as exc:
        target = folder if not folder.is_dir() else lock
        raise OutputError(target, _reason(exc)) from None
    handle = os.fdopen(fd, "r+b")
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
