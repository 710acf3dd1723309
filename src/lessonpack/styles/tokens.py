"""Design tokens: the values a style sets (fonts, sizes, colours, margins, writing lines…), checked, with the
classic style's values as every token's default. Both the PDF's CSS and the DOCX's Word styles are made from
them."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, PlainValidator

from ..load.model import Letterhead, PageBreaks, Strict

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*$")
_TO_PT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0}
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def length_pt(value: str) -> float:
    """``"18mm"`` → 51.02 (points)."""
    m = _LENGTH.match(value)
    if not m:
        raise ValueError(value)
    return float(m.group(1)) * _TO_PT[m.group(2)]


def _length(value: Any) -> str:
    if not isinstance(value, str) or not _LENGTH.match(value):
        raise ValueError(f'"{value}" is not a length; write a number and a unit: mm, cm, in or pt (e.g. 18mm)')
    return value.strip()


def _color(value: Any) -> str:
    if not isinstance(value, str) or not _COLOR.match(value):
        raise ValueError(f'"{value}" is not a colour; write it as #rrggbb, e.g. "#1f3a5f" (in quotes)')
    return value.lower()


Length = Annotated[str, PlainValidator(_length)]
Color = Annotated[str, PlainValidator(_color)]

LIGHTEST_RULE = 0x66
"""The lightest grey a rule may be (#666666): a lighter writing line or table rule vanishes on a copier set to
text, which keeps what is darker than about half grey."""


def _rule_color(value: Any) -> str:
    color = _color(value)
    red, green, blue = (int(color[k:k + 2], 16) for k in (1, 3, 5))
    if 0.299 * red + 0.587 * green + 0.114 * blue > LIGHTEST_RULE + 0.5:
        raise ValueError(f'"{color}" is too light for rules: writing lines and table rules this light vanish on a '
                         'photocopy; use #666666 or darker')
    return color


RuleColor = Annotated[str, PlainValidator(_rule_color)]


class Fonts(Strict):
    body: Annotated[list[str], Field(min_length=1)] = ["Source Serif Pro", "Charis SIL", "Georgia", "Liberation Serif",
                                                      "DejaVu Serif", "serif"]
    heading: Annotated[list[str], Field(min_length=1)] = ["Source Sans Pro", "Inter", "Helvetica Neue", "Arial",
                                                         "Liberation Sans", "DejaVu Sans", "sans-serif"]
    word_body: str | None = None  # the one family named in Word styles; default: first of body
    word_heading: str | None = None


class Colors(Strict):
    text: Color = "#111111"
    accent: Color = "#1f3a5f"
    answer: Color = "#b00020"
    muted: Color = "#555555"
    rule: RuleColor = "#666666"
    shade: Color = "#f1f1f1"


class Margins(Strict):
    top: Length = "18mm"
    right: Length = "18mm"
    bottom: Length = "20mm"
    left: Length = "20mm"


class Tokens(Strict):
    """The design tokens of one style; every token has a default, the classic style's."""

    description: str = ""
    fonts: Fonts = Fonts()
    size: Annotated[float, Field(ge=6, le=40)] = 11  # body size in points
    heading_scale: Annotated[float, Field(ge=1, le=2)] = 1.25
    line_height: Annotated[float, Field(ge=1, le=3)] = 1.4
    colors: Colors = Colors()
    margins: Margins = Margins()
    writing_line: Length = "8.5mm"  # distance between handwriting lines
    italics: bool = True  # false: no italic type (subtitles, instructions, answers); answers go bold instead
    page_breaks: PageBreaks = PageBreaks()  # which sections start a new page
    choices_per_row: Annotated[int, Field(ge=1, le=2)] = 2  # short multiple-choice options side by side
    glossary_columns: Annotated[int, Field(ge=1, le=2)] = 2  # key-term entries side by side
    letterhead: Letterhead | None = None  # the school's letterhead (a pack's lessonpack.yaml gives its own over it)

    @property
    def word_body(self) -> str:
        return self.fonts.word_body or self.fonts.body[0]

    @property
    def word_heading(self) -> str:
        return self.fonts.word_heading or self.fonts.heading[0]

    def heading_pt(self, level: int) -> float:
        """Size of heading ``level`` (1 = lesson title) in points."""
        return round(self.size * self.heading_scale ** (4 - min(level, 3)), 1)


