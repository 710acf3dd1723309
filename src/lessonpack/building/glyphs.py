"""The missing-glyph check: a character of a lesson that none of the style's fonts can print.

The PDF sets every field in the style's fonts, then in the bundled symbols font (see :mod:`..styles.fonts`); a
character none of them has would come from whatever font the computer has, or print as an empty box. ``check``
and ``build`` name each such character and the field it is in, at its place in the lesson file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ..errors import Diagnostic
from ..load.yamlsource import SourceMap, describe, parse_yaml
from ..styles.fonts import GENERIC, font_chain, style_pack_root

NOT_PRINTED = frozenset({"type", "id", "language", "image", "src", "lines", "style", "answer_format", "ignore",
                         "logo", "answer_image"})
"""Keys whose values are settings or file names, never printed as text."""


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in NOT_PRINTED:
                yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, (*path, i))


def _printable(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def missing_glyphs(data: Any, source: SourceMap, families: list[str], pack_root=None) -> list[Diagnostic]:
    """A warning for each field of a lesson's ``data`` with characters none of ``families`` (the ones lessonpack
    has the files of) nor the symbols font has: the first such character, named, where it is written."""
    names, chars = font_chain(families, pack_root)
    if not names or any(f not in names and f not in GENERIC for f in families[:1]):
        return []  # the first family is the system's: lessonpack cannot tell what it has
    problems = []
    for path, text in _strings(data):
        lacking = list(dict.fromkeys(ch for ch in text if ord(ch) not in chars and _printable(ch)))
        if not lacking:
            continue
        first = lacking[0]
        name = unicodedata.name(first, "an unnamed character").lower()
        more = f" (and {len(lacking) - 1} more: {''.join(lacking[1:6])})" if len(lacking) > 1 else ""
        line, col = source.text_pos(path, first)
        problems.append(Diagnostic(
            source.file, line, col, "warning",
            f'{describe(path)}: "{first}" (U+{ord(first):04X} {name}){more} is in none of the style\'s fonts '
            f"({', '.join(names)}), so the PDF prints it from whatever font the computer has, or as an empty box",
            "put a font that has it (.ttf or .otf) in the pack's fonts/ folder and name its family first in the "
            "style's fonts: (body and heading)"))
    return problems


def lesson_glyph_problems(raw: bytes, shown: str, style) -> list[Diagnostic]:
    """:func:`missing_glyphs` of one lesson file's bytes (as read), against the style's body and heading fonts."""
    doc = parse_yaml(raw, SourceMap(shown))
    if doc.data is None:
        return []
    fonts = style.tokens.fonts
    return missing_glyphs(doc.data, doc.source, [*fonts.body, *fonts.heading], style_pack_root(style))
