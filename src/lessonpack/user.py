"""The user's own places and secret: the cache and state folders (platformdirs: the right folders on Linux,
macOS and Windows), and the key that signs what lessonpack keeps there and in output folders.

Nothing a pack brings can reach these: they belong to the user running lessonpack. The key signs build
manifests, the lesson cache's entries and the names of lessonpack's temporary files, so that what someone
else planted is never believed.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path

import platformdirs

from .errors import LessonpackError

APP = "lessonpack"

KEY_ENV = "LESSONPACK_MANIFEST_KEY"
"""Set to the same secret on several machines that build shards into shared storage."""

MIN_SHARED_KEY_CHARS = 32
"""The shortest ``LESSONPACK_MANIFEST_KEY`` accepted: a word such as "secret" is guessed at once."""

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def cache_folder() -> Path:
    """The user's cache folder for lessonpack (``~/.cache/lessonpack`` on Linux, or under ``$XDG_CACHE_HOME``;
    ``~/Library/Caches/lessonpack`` on macOS; under ``%LOCALAPPDATA%`` on Windows)."""
    return platformdirs.user_cache_path(APP, appauthor=False)


def state_folder() -> Path:
    """The user's state folder for lessonpack (``~/.local/state/lessonpack`` on Linux, or under
    ``$XDG_STATE_HOME``; the application-support folder on macOS; under ``%LOCALAPPDATA%`` on Windows)."""
    return platformdirs.user_state_path(APP, appauthor=False)


@lru_cache(maxsize=1)
def signing_key() -> bytes:
    """This user's secret (created on first use, readable by the user alone), or the shared one of
    ``LESSONPACK_MANIFEST_KEY``; a one-run secret if none can be kept."""
    shared = os.environ.get(KEY_ENV)
    if shared:
        if len(shared.strip()) < MIN_SHARED_KEY_CHARS:
            raise LessonpackError(f"{KEY_ENV} is {len(shared.strip())} characters long; a shared key must be at least "
                                  f"{MIN_SHARED_KEY_CHARS} characters, or anyone could guess it and have a forged "
                                  "output folder trusted (make one with: python3 -c 'import secrets; "
                                  "print(secrets.token_hex(32))')")
        return hashlib.sha256(shared.encode("utf-8")).digest()
    path = state_folder() / "manifest.key"
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
            continue  # another lessonpack created it a moment ago: read theirs
        except OSError:
            break
    return secrets.token_bytes(32)  # no place to keep it: this run trusts only what it wrote itself
