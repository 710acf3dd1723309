"""Diagnostics with file:line:col positions, and the one exception family that carries them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters a terminal acts on or that reorder what it shows: controls (an escape sequence can recolour, move
the cursor or retitle the window), bidirectional overrides, and lone surrogates (an undecodable file name)."""


def printable(text: str, length: int | None = None) -> str:
    """``text`` safe to print on a terminal: every character of :data:`_UNPRINTABLE` written as an escape
    (``\\x1b``), so a file or folder name can neither act on the terminal nor hide what it is; with ``length``,
    shortened to at most that many characters."""
    text = _UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], text)
    return text if length is None or len(text) <= length else text[:length - 1] + "…"


def display_path(path: Path | str | None) -> str:
    """Show a path relative to the working directory when it lies below it, safe to print (see :func:`printable`)."""
    if path is None:
        return "<input>"
    p = Path(path)
    try:
        shown = os.path.relpath(p) if p.is_absolute() and Path.cwd() in p.parents else str(p)
    except ValueError:  # different drive on Windows
        shown = str(p)
    return printable(shown)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in an input file, positioned for a human and an editor (column 0: unknown; line 0: the
    file as a whole)."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    hint: str | None = field(default=None, compare=False)

    def format(self) -> str:
        """Render compiler style: ``file:line:col: error: message`` plus an indented hint."""
        # Templates have no columns; a problem with a whole file (a render that failed) has no line either.
        where = f":{self.line}:{self.column}" if self.column else f":{self.line}" if self.line else ""
        text = f"{display_path(self.file)}{where}: {self.severity}: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class LessonpackError(Exception):
    """Any problem the user can fix; carries every diagnostic found, reported once (``cli.py`` prints it)."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | str):
        if isinstance(diagnostics, str):
            self.diagnostics: list[Diagnostic] = []
            self.message = diagnostics
        else:
            self.diagnostics = sorted(diagnostics)
            self.message = format_report(self.diagnostics)
        super().__init__(self.message)

    def report(self) -> str:
        """What the user sees: positioned diagnostics as they are, a plain message as ``error: …``."""
        if self.diagnostics or self.message.startswith("error: "):
            return self.message
        return f"error: {self.message}"


def format_report(diagnostics: Iterable[Diagnostic]) -> str:
    """Every diagnostic on its own line(s), in file/line order."""
    return "\n".join(d.format() for d in sorted(diagnostics))


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """'2 errors, 1 warning' style count."""
    diags = list(diagnostics)
    errors = sum(d.is_error for d in diags)
    warnings = len(diags) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)
