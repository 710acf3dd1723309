"""The lessonpack version, and a fingerprint of its own files, in a module nothing heavy is imported by."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__version__ = "0.2.0"

PACKAGE_DIR = Path(__file__).resolve().parent

DATA = PACKAGE_DIR / "data"
"""lessonpack's own files that are not code: templates, styles, label catalogues, sample lessons."""


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """lessonpack's version and its own files (code, templates, labels), hashed: what every output and every
    checked lesson depends on besides the pack."""
    digest = hashlib.sha256(__version__.encode() + b"\0")
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\0")
    return digest.hexdigest()
