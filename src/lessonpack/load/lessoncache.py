"""Checked lessons remembered in the user's cache folder, so a lesson file is parsed, validated and linted
once per content rather than on every ``check`` and ``build``.

Reading a lesson is pure: the same bytes, shown under the same name, checked by the same code, give the
same lesson and the same diagnostics. An entry is keyed by exactly that — the file's bytes, its shown
name, lessonpack's own files and the versions of the libraries that parse and lint — and holds the
validated lesson as JSON and its diagnostics. Nothing in the cache runs (no pickle). Besides lessons, it
remembers that an SVG (by its hash) was drawn as a Word picture without a problem, so ``check`` does not
draw it again.

The cache is the user's own or nothing. Its folder must be a real folder (not a link) that belongs to the
user and that no one else can write to; otherwise the cache is off for the run, with one warning. Every
step below it is taken relative to that opened folder and never through a link: buckets are opened as
real folders, entries are created under a fresh name (``O_EXCL | O_NOFOLLOW``) and renamed into place, and
are read only when they are regular files below :data:`~lessonpack.limits.MAX_CACHE_ENTRY_BYTES`. Each
entry is signed with the user's secret (:func:`lessonpack.user.signing_key`, as build manifests are),
so an entry someone else planted is not believed; and a remembered lesson must still pass the model's
validation and the lesson rules, or it is read again from its file. Pictures a lesson names are read and
checked on every load, outside the cache. The cache lives in the user's cache folder, never in a pack.

``LESSONPACK_CACHE_DIR`` moves the cache; set to ``off`` it turns the cache off. Where the system cannot
open files relative to a folder (Windows), the cache is off.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
import time
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

from ..plugins import fingerprint, on_change
from .. import limits
from ..user import cache_folder, signing_key
from ..errors import Diagnostic, display_path
from ..version import code_fingerprint

FORMAT = 2
"""The entries' layout: a change makes every older entry a miss (2: signed entries)."""

MAX_ENTRIES = 5000
"""Entries kept; past this, the least recently used tenth is deleted."""

STALE_TEMP_SECONDS = 3600
"""A half-written entry (its writer was killed) older than this is deleted when the cache is pruned."""

LIBRARIES = ("PyYAML", "pydantic", "pydantic-core", "markdown-it-py", "mdit-py-plugins", "pyphen")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
SUPPORTED = bool(_NOFOLLOW and getattr(os, "O_DIRECTORY", 0)) and {os.open, os.mkdir, os.unlink, os.rename} <= \
    os.supports_dir_fd and os.scandir in os.supports_fd
"""Whether this system can keep the cache safely (every step relative to an opened folder, no links followed)."""

_BUCKET = re.compile(r"^[0-9a-f]{2}$")
_ENTRY = re.compile(r"^[0-9a-f]{64}\.json$")
_TEMP = re.compile(r"^\.[0-9a-f]{64}\.[0-9a-f]{16}\.tmp$")
_MAC_DOMAIN = b"lessonpack lesson cache\0"
_MAC_CHARS = 64

_warned: set[str] = set()


def cache_dir() -> Path | None:
    """Where entries live (None: the cache is off)."""
    chosen = os.environ.get("LESSONPACK_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    return cache_folder() / "lessons"


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"warning: {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _opened_folder() -> Iterator[int | None]:
    """The cache folder, opened (None: off) once it is known to be a real folder that only this user can write."""
    folder = cache_dir()
    if folder is None or not SUPPORTED:
        yield None
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(folder, _DIR_FLAGS)
    except OSError:  # a cache that cannot be made (a read-only home) is simply not used, as before
        shown = display_path(folder)
        if os.path.islink(folder):
            _warn_once(f"the lesson cache is off for this run: {shown} is a symbolic link; set "
                       "LESSONPACK_CACHE_DIR to a folder of your own, not a link")
        elif os.path.lexists(folder) and not os.path.isdir(folder):
            _warn_once(f"the lesson cache is off for this run: {shown} is not a folder; set LESSONPACK_CACHE_DIR "
                       "to a folder of your own")
        yield None
        return
    try:
        info = os.fstat(fd)
        shown = display_path(folder)
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            _warn_once(f"the lesson cache is off for this run: {shown} belongs to another user; set "
                       "LESSONPACK_CACHE_DIR to a folder of your own (or to off)")
            yield None
        elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            _warn_once(f"the lesson cache is off for this run: other users can write to {shown}; make it yours "
                       f"alone with `chmod 700 {shown}`, or set LESSONPACK_CACHE_DIR to a folder of your own")
            yield None
        else:
            yield fd
    finally:
        os.close(fd)


@contextlib.contextmanager
def _bucket(top: int, name: str, *, create: bool) -> Iterator[int]:
    """A bucket folder below the opened cache folder, opened without following a link (OSError otherwise)."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=top)
    fd = os.open(name, _DIR_FLAGS, dir_fd=top)  # ELOOP for a link, ENOTDIR for anything but a folder
    try:
        yield fd
    finally:
        os.close(fd)


@lru_cache(maxsize=1)
def _checker() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return hashlib.sha256(f"{FORMAT}\n{code_fingerprint()}\n{';'.join(versions)}\n{fingerprint()}".encode()
                          ).hexdigest()


on_change(_checker.cache_clear)  # a plug-in registered or removed changes it


def _key(raw_sha: str, shown: str) -> str:
    return hashlib.sha256(f"{_checker()}\n{shown}\n{raw_sha}".encode()).hexdigest()


def _mac(body: bytes) -> bytes:
    return hmac.new(signing_key(), _MAC_DOMAIN + body, hashlib.sha256).hexdigest().encode("ascii")


def seal(body: bytes) -> bytes:
    """An entry as stored: its signature under this user's secret, a newline, then ``body``."""
    return _mac(body) + b"\n" + body


def unseal(data: bytes) -> bytes | None:
    """The body of a stored entry whose signature holds (None: damaged, or not written by this user's lessonpack)."""
    body = data[_MAC_CHARS + 1:]
    if data[_MAC_CHARS:_MAC_CHARS + 1] != b"\n" or not hmac.compare_digest(data[:_MAC_CHARS], _mac(body)):
        return None
    return body


def _read_entry(bucket: int, name: str) -> bytes | None:
    """An entry's bytes: a regular file (never a link, pipe or device) below the size cap."""
    cap = limits.MAX_CACHE_ENTRY_BYTES + _MAC_CHARS + 1
    fd = os.open(name, _READ_FLAGS, dir_fd=bucket)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > cap:
            return None
        chunks, size = [], 0
        while size <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            return None
        with contextlib.suppress(OSError):
            os.utime(fd)  # recently used: kept when the cache is pruned
        return b"".join(chunks)
    finally:
        os.close(fd)


def lookup(raw_sha: str, shown: str) -> tuple[Any, list[Diagnostic]] | None:
    """The lesson (None if it did not validate) and diagnostics remembered for these bytes, or None."""
    key = _key(raw_sha, shown)
    with _opened_folder() as top:
        if top is None:
            return None
        try:
            with _bucket(top, key[:2], create=False) as bucket:
                data = _read_entry(bucket, f"{key}.json")
        except OSError:  # missing, or not a real folder and file: read the lesson instead
            return None
    body = None if data is None else unseal(data)
    if body is None:
        return None  # damaged, or not written by this user's lessonpack: never believed
    try:
        entry = json.loads(body)
        if entry.get("key") != key:
            return None
        problems = [Diagnostic(**d) for d in entry["problems"]]
        from .model import lesson_model
        from .validate import rule_errors

        lesson = None if entry["lesson"] is None else lesson_model().model_validate(entry["lesson"])
    except Exception:  # not an entry this version wrote: read the file instead
        return None
    if lesson is not None and (any(p.is_error for p in problems) or rule_errors(lesson)):
        return None  # a remembered lesson must still pass every rule a fresh read applies
    return lesson, problems


def store(raw_sha: str, shown: str, lesson: Any, problems: list[Diagnostic]) -> None:
    """Remember what reading these bytes gave; a cache that cannot be written is silently skipped."""
    key = _key(raw_sha, shown)
    try:
        entry = {"key": key, "lesson": None if lesson is None else lesson.model_dump(mode="json"),
                 "problems": [asdict(d) for d in problems]}
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return
    if len(body) > limits.MAX_CACHE_ENTRY_BYTES:
        return
    data = seal(body)
    with _opened_folder() as top:
        if top is None:
            return
        try:
            with _bucket(top, key[:2], create=True) as bucket:
                _write_entry(bucket, key, data)
        except OSError:
            return
        if key[:2] == "00":  # now and then (one write in 256), keep the cache to its size
            _prune(top)


def _write_entry(bucket: int, key: str, data: bytes) -> None:
    """A whole entry under a fresh name, then renamed into place: another process may be reading."""
    temp = f".{key}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temp, _NEW_FLAGS, 0o600, dir_fd=bucket)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, f"{key}.json", src_dir_fd=bucket, dst_dir_fd=bucket)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=bucket)
        raise


def _drawn_key(digest: str) -> str:
    try:
        renderer = metadata.version("CairoSVG")
    except metadata.PackageNotFoundError:
        renderer = "none"
    return hashlib.sha256(f"{_checker()}\nsvg drawn by CairoSVG {renderer}\n{digest}".encode()).hexdigest()


def drawn(digest: str) -> bool:
    """Whether the SVG with this hash was drawn without a problem by this lessonpack and cairosvg before."""
    key = _drawn_key(digest)
    with _opened_folder() as top:
        if top is None:
            return False
        try:
            with _bucket(top, key[:2], create=False) as bucket:
                data = _read_entry(bucket, f"{key}.json")
        except OSError:
            return False
    return data is not None and unseal(data) == json.dumps({"drawn": digest}).encode()


def remember_drawn(digest: str) -> None:
    """Remember that the SVG with this hash was drawn without a problem (a cache that cannot be written is
    skipped)."""
    key = _drawn_key(digest)
    data = seal(json.dumps({"drawn": digest}).encode())
    with _opened_folder() as top:
        if top is None:
            return
        try:
            with _bucket(top, key[:2], create=True) as bucket:
                _write_entry(bucket, key, data)
        except OSError:
            return


def prune() -> None:
    """Keep the cache to :data:`MAX_ENTRIES` (``store`` does this now and then by itself)."""
    with _opened_folder() as top:
        if top is not None:
            _prune(top)


def _prune(top: int) -> None:
    """Delete the least recently used entries (and stale half-written ones): only files with an entry's name,
    in bucket folders that are real folders, never following a link."""
    try:
        with os.scandir(top) as found:
            buckets = sorted(e.name for e in found if _BUCKET.match(e.name) and e.is_dir(follow_symlinks=False))
        entries: list[tuple[float, str, str]] = []
        stale: list[tuple[str, str]] = []
        now = time.time()
        for name in buckets:
            with contextlib.suppress(OSError), _bucket(top, name, create=False) as bucket, os.scandir(bucket) as inside:
                for e in inside:
                    if not e.is_file(follow_symlinks=False):
                        continue
                    if _ENTRY.match(e.name):
                        entries.append((e.stat(follow_symlinks=False).st_mtime, name, e.name))
                    elif _TEMP.match(e.name) and now - e.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                        stale.append((name, e.name))
        entries.sort()
        doomed = [(b, n) for _, b, n in entries[:len(entries) - MAX_ENTRIES + MAX_ENTRIES // 10]] \
            if len(entries) > MAX_ENTRIES else []
        by_bucket: dict[str, list[str]] = {}
        for name, entry in doomed + stale:
            by_bucket.setdefault(name, []).append(entry)
        for name, files in by_bucket.items():
            with contextlib.suppress(OSError), _bucket(top, name, create=False) as bucket:
                for entry in files:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry, dir_fd=bucket)  # unlink never follows a link
    except OSError:
        pass
