"""The output folder: atomic file writes inside it, the signed build manifest, and the lock that serializes builds.

Output state that arrives with a pack (a shipped ``dist/`` with its manifest) is never trusted:
the manifest carries an HMAC over its contents and the resolved output folder, keyed by a secret
that lessonpack keeps in the user's state folder. A manifest this user's builds did not write for
this folder is ignored, so everything is rebuilt and ``clean`` deletes nothing on its word. Files
are written only inside the output folder, never through a symbolic link, and every failure to
write is one clear :class:`OutputError`. A temporary file's name carries a MAC under the same key
(:func:`open_temp`), so ``clean`` can tell lessonpack's leftovers from anyone else's files.
:func:`write_new` is the same guarded writer for a file that must not exist yet (``lessonpack new``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Sequence

from .. import limits
from ..user import signing_key
from ..errors import LessonpackError, display_path
from ..load.packfiles import PackFileError, is_within, read_pack_file

MANIFEST_NAME = ".lessonpack-manifest.json"
LOCK_NAME = ".lessonpack.lock"
SHARD_MANIFEST_NAME = ".lessonpack-manifest.shard-{}-of-{}.json"
SHARD_MANIFEST = re.compile(r"^\.lessonpack-manifest\.shard-[0-9]+-of-[0-9]+\.json$")
MANIFEST_VERSION = 2

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<nonce>[0-9a-f]{8})-(?P<mac>[0-9a-f]{32})\.tmp$")
_TEMP_DOMAIN = b"lessonpack temporary file\0"


class OutputError(LessonpackError):
    """An output file or folder that cannot be written; earlier outputs are left as they were."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        super().__init__(f"error: cannot write {display_path(path)}: {reason}")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
        return "it is a symbolic link; lessonpack does not write through links (delete it)"
    return exc.strerror or str(exc)


def check_inside(folder: Path, path: Path, *, inside: str = "the output folder") -> None:
    """Refuse ``path`` unless every folder between ``folder`` and it is a real folder (no links).

    ``inside`` names ``folder`` in the messages ("the output folder", "the pack")."""
    try:
        relative = path.relative_to(folder)
    except ValueError:
        raise OutputError(path, f"it lies outside {inside} {display_path(folder)}") from None
    if ".." in relative.parts:
        raise OutputError(path, f"its name climbs out of {inside}")
    current = folder
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise OutputError(path, f"{display_path(current)} is a symbolic link; lessonpack writes only inside "
                                    f"{inside} (delete the link)")
        if current.exists() and not current.is_dir():
            raise OutputError(path, f"{display_path(current)} is a file, not a folder")


def _temp_mac(name: str, nonce: str) -> str:
    body = _TEMP_DOMAIN + f"{name}\0{nonce}".encode("utf-8", "surrogateescape")
    return hmac.new(signing_key(), body, hashlib.sha256).hexdigest()[:32]


def open_temp(path: Path) -> tuple[int, Path]:
    """Create lessonpack's own temporary file for ``path``, beside it: ``.<name>.<random>-<mac>.tmp``, opened
    with ``O_EXCL | O_NOFOLLOW``. The name carries a MAC under this user's key, so ``clean`` deletes a temporary
    file a killed build left only when it can prove lessonpack made it (:func:`is_own_temp`)."""
    for _ in range(100):
        nonce = secrets.token_hex(4)
        temp = path.with_name(f".{path.name}.{nonce}-{_temp_mac(path.name, nonce)}.tmp")
        try:
            return os.open(temp, _NEW_FLAGS, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))


def is_own_temp(name: str) -> bool:
    """Whether a file name is one :func:`open_temp` made for this user (its MAC holds)."""
    match = _TEMP_NAME.match(name)
    return match is not None and hmac.compare_digest(match["mac"], _temp_mac(match["name"], match["nonce"]))


def write_atomic(path: Path, data: bytes, *, folder: Path | None = None, mode: int = 0o644,
                 inside: str = "the output folder") -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename (see
    :func:`atomic_file`)."""
    with atomic_file(path, folder=folder, mode=mode, inside=inside) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_file(path: Path, *, folder: Path | None = None, mode: int = 0o644,
                inside: str = "the output folder") -> Iterator[BinaryIO]:
    """A file to write ``path``'s new bytes into, a piece at a time; renamed over ``path`` when the block ends
    without an error, deleted otherwise.

    A reader (or a command killed half-way) only ever sees the old file or the complete new one.
    With ``folder``, ``path`` must lie inside it without passing through a link (``inside`` names
    ``folder`` in the messages). The file gets the permissions ``mode``.
    """
    if folder is not None:
        check_inside(folder, path, inside=inside)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        fd, tmp = open_temp(path)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(path, _reason(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_new(path: Path, data: bytes, *, folder: Path, inside: str = "the pack") -> None:
    """Create ``path`` holding ``data``: never over an existing file (``O_EXCL``) or through a link
    (``O_NOFOLLOW``), and only where every folder between ``folder`` and it is a real folder, made if missing."""
    check_inside(folder, path, inside=inside)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_inside(folder, path, inside=inside)  # what mkdir met on the way is still a real folder
        fd = os.open(path, _NEW_FLAGS, 0o666)
    except FileExistsError:
        raise OutputError(path, "it already exists; nothing written") from None
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise OutputError(path, _reason(exc)) from None


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


def _signature(folder: Path, outputs: dict) -> str:
    body = json.dumps({"folder": str(folder), "outputs": outputs}, sort_keys=True, separators=(",", ":"))
    return hmac.new(signing_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


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

    A shard (``shard=(i, n)``) keeps its own file, ``.lessonpack-manifest.shard-i-of-n.json``, listing
    only its outputs (``owned``), so shards writing into one folder at once, or gathered from separate
    machines, never overwrite each other's records. Every manifest in the folder is read; a whole build
    (or ``--pack-only``) writes them all back as one and removes the shards' files.
    """

    def __init__(self, folder: Path, dep_roots: Sequence[Path] = (), *, shard: tuple[int, int] | None = None):
        self.folder = folder
        self.shard = shard
        self.path = folder / (MANIFEST_NAME if shard is None else SHARD_MANIFEST_NAME.format(*shard))
        self.dep_roots = [Path(r).resolve() for r in dep_roots]
        self.owned: set[str] = set()  # a shard's outputs: what its manifest lists
        self.entries: dict[str, Entry] = {}
        self.trusted = False
        self._signed_shards: list[Path] = []  # shards' files this user's builds wrote: merged, then removed
        candidates: dict[str, list[Entry]] = {}
        for path in [folder / MANIFEST_NAME] + self._shard_files():
            entries, trusted = self._read(path)
            self.trusted |= trusted
            if trusted and path.name != MANIFEST_NAME:
                self._signed_shards.append(path)
            for name, entry in entries.items():
                candidates.setdefault(name, []).append(entry)
        for name, options in candidates.items():  # two records of one file: the one that describes it now
            self.entries[name] = options[0] if len(options) == 1 else next(
                (e for e in options if e.sha256 == file_sha(folder / name)), options[-1])

    def _shard_files(self) -> list[Path]:
        try:
            return sorted(p for p in self.folder.iterdir() if SHARD_MANIFEST.match(p.name))
        except OSError:
            return []

    def _read(self, path: Path) -> tuple[dict[str, Entry], bool]:
        try:
            raw = json.loads(read_pack_file(path, [self.folder.resolve()], limit=limits.MAX_MANIFEST_BYTES,
                                            what="manifest"))
            outputs = raw.get("outputs", {})
            if raw.get("version") == MANIFEST_VERSION and hmac.compare_digest(
                    str(raw.get("signature", "")), _signature(self.folder.resolve(), outputs)):
                return {name: Entry(**value) for name, value in outputs.items()}, True
        except (PackFileError, ValueError, TypeError, AttributeError):
            pass
        return {}, False  # missing, damaged, foreign or forged: everything is simply rebuilt

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

    def rewrite(self, path: Path, data: bytes) -> None:
        """Record new bytes for a listed output, made from the same inputs (its key and dependencies kept)."""
        entry = self.entries[self.name(path)]
        self.entries[self.name(path)] = Entry(entry.key, sha256(data), entry.deps)

    def sha(self, path: Path) -> str | None:
        """The hash recorded for ``path``, if it is listed."""
        entry = self.entries.get(self.name(path))
        return entry.sha256 if entry else None

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        entries = self.entries if self.shard is None else {n: e for n, e in self.entries.items() if n in self.owned}
        outputs = {name: vars(entry) for name, entry in sorted(entries.items())}
        payload = {"version": MANIFEST_VERSION, "outputs": outputs,
                   "signature": _signature(self.folder.resolve(), outputs)}
        write_atomic(self.path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"),
                     folder=self.folder)
        if self.shard is None:  # the shards' records are in this one now (a file no build of ours signed stays)
            for path in self._signed_shards:
                with contextlib.suppress(OSError):
                    if stat.S_ISREG(os.lstat(path).st_mode):
                        path.unlink()


@contextlib.contextmanager
def locked(folder: Path, on_wait: Callable[[], None] | None = None, *, shared: bool = False) -> Iterator[None]:
    """Hold the output folder's lock; if another build holds it, call ``on_wait`` and wait for it.

    ``shared``: the shards of one build hold it together (each writes its own files and manifest), while
    a whole build, ``--pack-only`` and ``clean`` hold it alone. (Windows has no shared locks: shards take turns.)
    """
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
        _lock(handle, on_wait, shared)
        yield
    finally:
        _unlock(handle)
        handle.close()


try:  # POSIX
    import fcntl

    def _lock(handle, on_wait, shared) -> None:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, mode)

    def _unlock(handle) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt
    import time

    def _lock(handle, on_wait, shared) -> None:
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
