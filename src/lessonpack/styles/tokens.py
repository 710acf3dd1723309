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


class Look(Strict):
    """The look of one element of the handout, over what the style's other tokens give it (every key
    optional). What a ``reference.docx``'s Word style says about its element is read back into these."""

    font: str | None = None  # one family, as Word names it
    size: Annotated[float, Field(ge=6, le=72)] | None = None  # points
    color: Color | None = None
    bold: bool | None = None
    italic: bool | None = None
    space_before: Length | None = None
    space_after: Length | None = None
    indent: Length | None = None  # left indent of the element's text
    line_height: Annotated[float, Field(ge=0.8, le=3)] | None = None  # a multiple of the font size
    rule: Color | None = None  # the colour of the rule under a heading (Word: its bottom border)
    rule_width: Annotated[float, Field(ge=0, le=6)] | None = None  # points; 0: no rule

    def given(self) -> dict[str, Any]:
        """The keys this look sets."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class Elements(Strict):
    """Per-element looks, each named after the Word style that draws the element (see ELEMENT_STYLES)."""

    title: Look = Look()
    heading1: Look = Look()
    heading2: Look = Look()
    heading3: Look = Look()
    question: Look = Look()
    choice: Look = Look()
    reading: Look = Look()
    instructions: Look = Look()


ELEMENT_STYLES: dict[str, tuple[str, ...]] = {
    "title": ("LP Title", "Title"),
    "heading1": ("LP Heading 1", "Heading 1"),
    "heading2": ("LP Heading 2", "Heading 2"),
    "heading3": ("LP Heading 3", "Heading 3"),
    "question": ("LP Question",),
    "choice": ("LP Choice",),
    "reading": ("LP Reading",),
    "instructions": ("LP Instructions",),
}
"""Each element's Word styles, the one lessonpack draws it in first, then the Word built-in it is based on."""

ELEMENT_SELECTORS: dict[str, str] = {
    "title": "h1",
    "heading1": "h2",
    "heading2": "h3",
    "heading3": "h4",
    "question": ".qprompt",
    "choice": ".choices .choice-text",
    "reading": ".reading p",
    "instructions": ".instructions",
}
"""Each element's CSS selector in the PDF (lessonpack's templates)."""

ELEMENT_BOXES: dict[str, str] = {"choice": ".choices li"}
"""The box an element's spacing and indent apply to, where its text is not a box of its own (a choice's text is
a run beside its letter)."""


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
    elements: Elements = Elements()  # per-element looks (a reference.docx's Word styles come back here)
    letterhead: Letterhead | None = None  # the school's letterhead (a pack's lessonpack.yaml gives its own over it)

    @property
    def word_body(self) -> str:
        return self.fonts.word_body or self.fonts.body[0]

    @property
    def word_heading(self) -> str:
        return self.fonts.word_heading or self.fonts.heading[0]

    @property
    def families(self) -> list[str]:
        """Every font family the style names: the body's and the headings' lists, then each element's face."""
        return [*self.fonts.body, *self.fonts.heading, *(look.font for _, look in self.elements if look.font)]

    def heading_pt(self, level: int) -> float:
        """Size of heading ``level`` (1 = lesson title) in points."""
        return round(self.size * self.heading_scale ** (4 - min(level, 3)), 1)


