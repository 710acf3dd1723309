"""The one way lessonpack reads a file that came with a pack: guarded against links out, pipes and huge files.

Lessons, ``lessonpack.yaml``, styles, stylesheets, reference documents, templates and images all
come through :func:`read_pack_file`. It resolves symbolic links first and refuses anything that
then lies outside the folders it may read (the pack, the style's folder), anything that is not a
regular file (a folder, a named pipe that would block forever, a device such as ``/dev/zero``),
and anything larger than the cap for its kind. Refusals are :class:`PackFileError`, which carries
a positioned diagnostic naming the path.

Because every pack file comes through here, this is also where lessonpack learns what a piece of work
read: inside :func:`recording_reads`, every path asked for (read or refused) is collected. That, rather than
the whole pack folder, is what ``build --watch`` and the preview watch (:mod:`lessonpack.apps.preview.watch`).
"""

from __future__ import annotations

import contextlib
import os
import stat
from contextvars import ContextVar
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import Diagnostic, LessonpackError, display_path

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class PackFileError(LessonpackError):
    """A pack file that lessonpack refuses to read; ``diagnostic`` says which and why."""

    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__([diagnostic])


_recorders: ContextVar[tuple[set[Path], ...]] = ContextVar("lessonpack_read_recorders", default=())


@contextlib.contextmanager
def recording_reads() -> Iterator[set[Path]]:
    """Collect, in the set this yields, the absolute path of every pack file asked for inside the block (read or
    refused), and of the files :func:`note_reads` names; recordings nest, and each thread records its own."""
    seen: set[Path] = set()
    token = _recorders.set(_recorders.get() + (seen,))
    try:
        yield seen
    finally:
        _recorders.reset(token)


def note_reads(paths: Iterable[Path | str]) -> None:
    """Tell the recordings in progress that the work depends on ``paths`` too (e.g. a style's fonts, which are
    read later, when a document is rendered)."""
    recorders = _recorders.get()
    if recorders:
        found = {Path(os.path.abspath(path)) for path in paths}
        for seen in recorders:
            seen |= found


def is_within(path: Path, root: Path) -> bool:
    """True when ``path`` is ``root`` or below it (both already resolved)."""
    return path == root or root in path.parents


def resolved(path: Path | str) -> Path:
    """``path`` with every symbolic link followed (the file need not exist)."""
    return Path(os.path.realpath(path))


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(path: Path, message: str, hint: str | None = None) -> PackFileError:
    return PackFileError(Diagnostic(display_path(path), 1, 1, "error", message, hint))


def check_pack_path(path: Path, roots: Sequence[Path], *, what: str = "file") -> Path:
    """The resolved path of a pack file, or :class:`PackFileError` if it leads out of ``roots``."""
    real = resolved(path)
    if not any(is_within(real, Path(root)) for root in roots):
        where = f"is a link to {real}" if real != Path(os.path.abspath(path)) else f"lies at {real}"
        raise _refuse(path, f"this {what} {where}, outside the pack; lessonpack reads only files inside the pack",
                      f"copy the {what} into the pack and refer to the copy")
    return real


def read_pack_file(path: Path, roots: Sequence[Path], *, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path``, a regular file inside one of ``roots`` (after links), at most ``limit`` bytes."""
    note_reads([path])
    real = check_pack_path(path, roots, what=what)
    try:
        before = os.stat(real)
    except FileNotFoundError:
        raise _refuse(path, "no such file") from None
    except OSError as exc:
        raise _refuse(path, f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(before.st_mode):  # decided before opening: opening a device or pipe can block or act
        raise _refuse(path, f"this is {_kind_of(before.st_mode)}, not a regular file; lessonpack reads only regular files",
                      f"replace it with a regular {what}")
    if before.st_size > limit:
        raise _refuse(path, f"file is {before.st_size:,} bytes; the limit for a {what} is {limit:,} bytes",
                      "split it into several files, or move long material out of it")
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise _refuse(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise _refuse(path, "file changed while lessonpack was reading it", "run the command again")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _refuse(path, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:  # it grew after the size check
        raise _refuse(path, f"file is more than {limit:,} bytes; the limit for a {what} is {limit:,} bytes",
                      "split it into several files, or move long material out of it")
    return b"".join(chunks)


def read_pack_text(path: Path, roots: Sequence[Path], *, limit: int, what: str = "file") -> str:
    """A pack file decoded as UTF-8; invalid UTF-8 is a positioned error."""
    raw = read_pack_file(path, roots, limit=limit, what=what)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise PackFileError(Diagnostic(
            display_path(path), line, col, "error",
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x})",
            "save the file with UTF-8 encoding (in most editors: Save As → Encoding → UTF-8)")) from None


def regular_files(folder: Path, roots: Sequence[Path]) -> Iterable[Path]:
    """Every regular file below ``folder`` that resolves inside ``roots``, without following links to folders."""
    if not folder.is_dir() or not any(is_within(resolved(folder), Path(r)) for r in roots):
        return []
    out = []
    for base, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(base) / name
            real = resolved(path)
            if any(is_within(real, Path(r)) for r in roots) and real.is_file():
                out.append(path)
    return out
