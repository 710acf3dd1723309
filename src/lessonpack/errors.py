"""Diagnostics with file:line:col positions, and the one exception family that carries them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


def display_path(path: Path | str | None) -> str:
    """Show a path relative to the working directory when it lies below it."""
    if path is None:
        return "<input>"
    p = Path(path)
    try:
        return os.path.relpath(p) if p.is_absolute() and Path.cwd() in p.parents else str(p)
    except ValueError:  # different drive on Windows
        return str(p)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in an input file, positioned for a human and an editor (column 0: unknown)."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    hint: str | None = field(default=None, compare=False)

    def format(self) -> str:
        """Render compiler style: ``file:line:col: error: message`` plus an indented hint."""
        where = f"{self.line}:{self.column}" if self.column else str(self.line)  # templates have no columns
        text = f"{display_path(self.file)}:{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
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
