"""The placeholders ``lessonpack new`` writes (``<Your name>``, ``<The correct choice>``): finding one left in a
lesson, and saying where.

A placeholder is text in angle brackets that starts with a letter and holds at least two words, with no ``$`` (so
neither an HTML tag such as ``<br>``, a comparison such as ``x < y and y > z``, nor a formula ``$a<B$ … $C>d$``
is taken for one). A placeholder left in a lesson is a warning, and an error under ``check --strict``
(:func:`strict`); the handout never prints one as the document's author (:func:`is_placeholder`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterator

from ..errors import Diagnostic
from .yamlsource import Path_, SourceMap, describe

PLACEHOLDER = re.compile(r"<[A-Za-z][^<>\n$]* [^<>\n$]*>")
"""A placeholder of ``lessonpack new`` in a text: ``<Your name>``."""

FROM_NEW = "is a placeholder from `lessonpack new`"
"""The words every placeholder's message holds (and what :func:`strict` recognises)."""


def is_placeholder(text: str | None) -> bool:
    """True when ``text`` holds a placeholder of ``lessonpack new``."""
    return bool(text) and PLACEHOLDER.search(text) is not None


def placeholder_problems(data: Any, source: SourceMap) -> list[Diagnostic]:
    """A warning for every placeholder left in a lesson's data, at the placeholder itself (file:line:col)."""
    out: list[Diagnostic] = []
    for path, value in _strings(data, ()):
        for found in PLACEHOLDER.finditer(value):
            line, col = source.text_pos(path, found.group(0))
            out.append(Diagnostic(source.file, line, col, "warning",
                                  f"{describe(path) or 'top level'}: {found.group(0)} {FROM_NEW}",
                                  "replace it, angle brackets and all, with your own words; or delete the line if "
                                  "the key is optional"))
    return out


def strict(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` with every placeholder's warning made an error (``check --strict``)."""
    return [replace(d, severity="error") if not d.is_error and FROM_NEW in d.message else d for d in diagnostics]


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, path + (str(key),))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _strings(inner, path + (i,))
