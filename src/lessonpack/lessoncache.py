"""Checked lessons remembered in the user's cache folder, so a lesson file is parsed, validated and linted
once per content rather than on every ``check`` and ``build``.

Reading a lesson is pure: the same bytes, shown under the same name, checked by the same code, give the
same lesson and the same diagnostics. An entry is keyed by exactly that — the file's bytes, its shown
name, lessonpack's own files and the versions of the libraries that parse and lint — and holds the
validated lesson as JSON and its diagnostics. Nothing in the cache runs (no pickle): an entry is read
back through the lesson model's own validation, and one that does not fit is ignored. The cache lives
in the user's cache folder, never in a pack, so a downloaded pack cannot bring entries of its own.
Pictures a lesson names are read and checked on every load, outside the cache; only the fact that an SVG
(by its hash) was drawn as a Word picture without a problem is remembered, so it is not drawn again.

``LESSONPACK_CACHE_DIR`` moves the cache; set to ``off`` it turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import Diagnostic
from .version import code_fingerprint

FORMAT = 1
"""The entries' layout: a change makes every older entry a miss."""

MAX_ENTRIES = 5000
"""Entries kept; past this, the least recently used tenth is deleted."""

LIBRARIES = ("PyYAML", "pydantic", "pydantic-core", "markdown-it-py", "pyphen")


def cache_dir() -> Path | None:
    """Where entries live (None: the cache is off)."""
    chosen = os.environ.get("LESSONPACK_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lessonpack" / "lessons"


@lru_cache(maxsize=1)
def _checker() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return hashlib.sha256(f"{FORMAT}\n{code_fingerprint()}\n{';'.join(versions)}".encode()).hexdigest()


def _key(raw_sha: str, shown: str) -> str:
    return hashlib.sha256(f"{_checker()}\n{shown}\n{raw_sha}".encode()).hexdigest()


def lookup(raw_sha: str, shown: str) -> tuple[Any, list[Diagnostic]] | None:
    """The lesson (None if it did not validate) and diagnostics remembered for these bytes, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    key = _key(raw_sha, shown)
    path = folder / key[:2] / f"{key}.json"
    try:
        entry = json.loads(path.read_bytes())
        if entry.get("key") != key:
            return None
        problems = [Diagnostic(**d) for d in entry["problems"]]
        from .model import Lesson

        lesson = None if entry["lesson"] is None else Lesson.model_validate(entry["lesson"])
        os.utime(path)  # recently used: kept when the cache is pruned
    except Exception:  # missing, unreadable, or not an entry this version wrote: read the file instead
        return None
    return lesson, problems


def store(raw_sha: str, shown: str, lesson: Any, problems: list[Diagnostic]) -> None:
    """Remember what reading these bytes gave; a cache that cannot be written is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    key = _key(raw_sha, shown)
    entry = {"key": key, "lesson": None if lesson is None else lesson.model_dump(mode="json"),
             "problems": [asdict(d) for d in problems]}
    path = folder / key[:2] / f"{key}.json"
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, path)  # whole entries only: another process may be reading
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            temp.unlink()
        return
    if path.parent.name == "00":  # now and then (one write in 256), keep the cache to its size
        _prune(folder)


def _drawn_path(digest: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        renderer = metadata.version("CairoSVG")
    except metadata.PackageNotFoundError:
        renderer = "none"
    key = hashlib.sha256(f"{_checker()}\nsvg drawn by CairoSVG {renderer}\n{digest}".encode()).hexdigest()
    return folder / key[:2] / f"{key}.json"


def drawn(digest: str) -> bool:
    """Whether the SVG with this hash was drawn without a problem by this lessonpack and cairosvg before."""
    path = _drawn_path(digest)
    try:
        ok = path is not None and json.loads(path.read_bytes()) == {"drawn": digest}
        if ok:
            os.utime(path)  # type: ignore[arg-type]
        return ok
    except Exception:  # missing or unreadable: draw it again
        return False


def remember_drawn(digest: str) -> None:
    """Remember that the SVG with this hash was drawn without a problem (a cache that cannot be written is
    skipped)."""
    path = _drawn_path(digest)
    if path is None:
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps({"drawn": digest}), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def _prune(folder: Path) -> None:
    try:
        entries = sorted(folder.glob("*/*.json"), key=lambda p: p.stat().st_mtime)
        for old in entries[:len(entries) - MAX_ENTRIES + MAX_ENTRIES // 10] if len(entries) > MAX_ENTRIES else []:
            old.unlink(missing_ok=True)
    except OSError:
        pass
