"""The validated lesson and pack models: plain, immutable data with no I/O and no rendering.

Field names are the YAML keys, so a validation error's location maps straight back to a
position in the file. Shape and types are checked here by pydantic; rules that relate
several fields (an answer among its choices, blanks in a text) live in :mod:`validate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PlainSerializer, PlainValidator, Tag,
                      TypeAdapter, ValidationError, create_model)
from pydantic_core import PydanticCustomError

from .. import limits
from ..text.words import did_you_mean

EDITIONS = ("student", "teacher")



@dataclass(frozen=True)
class BlankScan:
    """Where the blanks of a fill-in text are: ``[[answer]]`` or ``[[answer|alternative|...]]``."""

    spans: tuple[tuple[int, int, str], ...]  # (start, end, text between the brackets) of each blank
    unclosed: bool  # a "[[" with no "]]" after it, or a "[[" inside a blank
    stray_close: bool  # a "]]" with no "[[" before it


def scan_blanks(text: str) -> BlankScan:
    """Find the blanks in one pass (linear in the text's length, however many brackets it holds)."""
    spans: list[tuple[int, int, str]] = []
    pos, unclosed, stray = 0, False, False
    while True:
        start = text.find("[[", pos)
        if text.find("]]", pos, start if start >= 0 else len(text)) >= 0:
            stray = True
        if start < 0:
            break
        end = text.find("]]", start + 2)
        if end < 0:
            unclosed = True
            break
        inner = text[start + 2:end]
        unclosed = unclosed or "[[" in inner
        spans.append((start, end + 2, inner))
        pos = end + 2
    return BlankScan(tuple(spans), unclosed, stray)

MAX_MATCHING = 26
"""Most pairs in one matching item: one letter of the alphabet per description."""

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def _text(value: Any, cap: int = limits.MAX_FIELD_CHARS, what: str = "one field") -> str:
    # Our YAML reader leaves numbers and dates as written, so only these can arrive here.
    if isinstance(value, str):
        if len(value) > cap:
            raise ValueError(f"is {len(value):,} characters long; the limit for {what} is {cap:,} characters")
        return value
    if isinstance(value, bool):
        word = "true" if value else "false"
        raise ValueError(f"expected text, but YAML read this unquoted word as {word}")
    if value is None:
        raise ValueError("is empty")
    if isinstance(value, list):
        raise ValueError("expected text, got a list")
    if isinstance(value, dict):
        raise ValueError("expected text, got a mapping (key: value pairs)")
    raise ValueError(f"expected text, got {value!r}")


Text = Annotated[str, PlainValidator(_text)]
"""Any text field; inline Markdown allowed."""


def _nonblank(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise ValueError("is empty")
    return text


NonBlank = Annotated[str, PlainValidator(_nonblank)]


def _reading_text(value: Any) -> str:
    text = _text(value, limits.MAX_READING_CHARS, "a reading")
    if not text.strip():
        raise ValueError("is empty")
    return text


ReadingText = Annotated[str, PlainValidator(_reading_text)]


class Strict(BaseModel):
    """A model of a file's data: immutable, and any key it does not know is an error (with a did-you-mean)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


MAX_DIGITS = 9
"""Most digits lessonpack reads in a number written in a lesson (no count, page or point total needs more)."""

WHOLE_TEXT = r"^\s*([+-]?)([0-9]+)(?:\.0*)?\s*$"
"""A whole number written as text (``3``, ``+3``, ``3.0``), in ASCII digits only: "²" and "٣" are not numbers to a
teacher, whatever Python's ``isdigit`` says."""
_WHOLE = re.compile(WHOLE_TEXT)
_DECIMAL = re.compile(r"^\s*([+-]?)([0-9]*)(?:\.([0-9]*))?\s*$")


def shown(value: Any, most: int = 40) -> str:
    """A value as a message quotes it: in full when short, else its start and its length."""
    text = str(value)
    return text if len(text) <= most else f"{text[:most - 20]}… ({len(text):,} characters)"


def whole_number(value: Any) -> int | None:
    """A whole number as a teacher writes it (``3``, ``"3"``): ASCII digits, at most :data:`MAX_DIGITS` of them;
    None for anything else (a word, a fraction, a superscript ², another script's digit ٣, 5,000 digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 10 ** MAX_DIGITS else None
    found = _WHOLE.match(value) if isinstance(value, str) else None
    if found is None or len(found.group(2).lstrip("0")) > MAX_DIGITS:
        return None
    return int(found.group(1) + found.group(2))


def _whole(value: Any) -> Any:
    """Pydantic's whole-number fields read through :func:`whole_number`, so a number with thousands of digits or
    in another script is an error that says so (pydantic's own message names Python's limits)."""
    if isinstance(value, (bool, list, dict)) or value is None:
        return value  # pydantic's own message for these (true/false, a list…) is the right one
    number = whole_number(value)
    if number is None:  # reported as pydantic reports any other text where a whole number belongs
        raise PydanticCustomError("int_parsing", "expected a whole number")
    return number


Whole = BeforeValidator(_whole)
"""Put in the ``Annotated`` of every ``int`` field: see :func:`_whole`."""


def _points(value: Any) -> float:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError("expected a number of points, such as 2 or 0.5")
    found = _DECIMAL.match(str(value))
    if (found is None or not (found.group(2) or found.group(3)) or len(found.group(2).lstrip("0")) > MAX_DIGITS
            or len(found.group(3) or "") > MAX_DIGITS):
        raise ValueError(f'expected a number of points, such as 2 or 0.5, got "{shown(value)}"')
    number = float(found.group(0))
    if number < 0:
        raise ValueError(f"must be at least 0, got {shown(value)}")
    if number > 1000:
        raise ValueError(f"must be at most 1000, got {shown(value)}")
    if (number * 2) != int(number * 2):
        raise ValueError(f"write whole or half points (such as 2 or 0.5), got {shown(value)}")
    return int(number) if number.is_integer() else number


Points = Annotated[float, PlainValidator(_points)]
"""Whole or half points: 2, 0.5, 1.5."""


def _lines(value: Any) -> int | str:
    if value == "fill":
        return "fill"
    number = whole_number(value)
    if number is None:
        guess = did_you_mean(value.strip(), ["fill"]) if isinstance(value, str) else None
        raise ValueError(f'expected a number of writing lines, or "fill" for the rest of the page, got {shown(value)!r}'
                         + (f'; did you mean "{guess}"?' if guess else ""))
    if number < 1:
        raise ValueError(f"must be at least 1, got {number}")
    if number > 80:
        raise ValueError(f"must be at most 80, got {number}")
    return number


Lines = Annotated[int | str, PlainValidator(_lines)]
"""Writing lines: a number, or ``fill`` for the rest of the page the question ends on."""


def _counted_lines(value: Any) -> int:
    if value == "fill":
        raise ValueError('"fill" is for a whole question; give a part a number of lines, such as 3')
    return int(_lines(value))


CountedLines = Annotated[int, PlainValidator(_counted_lines)]
"""Writing lines as a number (a source analysis's parts share their question's page)."""


def _lint_names(value: Any) -> Any:
    """``ignore: ordering-date`` is short for ``ignore: [ordering-date]``."""
    return [value] if isinstance(value, str) else value


class LintSettings(Strict):
    """Teaching lints not to report: ignore: with a lint's name, or a list of names."""

    # The names are checked against the lints in validation, where an unknown name gets a hint listing them.

    ignore: Annotated[list[NonBlank], BeforeValidator(_lint_names), Field(max_length=50)] = Field(
        [], description="Teaching lints not to report here, by the name lessonpack check prints at the end of the "
                        "warning, such as [ordering-date].")


class ItemModel(Strict):
    """What every worksheet item has; each item type's model (see :mod:`lessonpack.items`) adds its own keys, with
    ``type: Literal["<name>"]``."""

    example: ClassVar[str]  # the keys a teacher writes for this type, shown in error hints
    points: Points = Field(1, description="Whole or half points from 0 to 1000, such as 2 or 0.5 (default 1).")
    bonus: bool = Field(False, description="true: a bonus question, not counted in the worksheet's total.")
    source: Annotated[str | list[str], PlainValidator(lambda v: item_sources(v))] | None = Field(
        None, description="The source the question is about (A, B…), or a list of the sources it uses ([A, D]): each "
                          "is printed before it, and it says \"Use Source A.\" or \"Use Sources A and D.\"")
    lint: LintSettings | None = Field(None, description="Teaching lints this item silences: {ignore: [name, …]}.")
    # Versions A, B, C… (``versions:`` in lessonpack.yaml) shuffle the worksheet: these keep things in place.
    shuffle: bool = Field(True, description="false: the item keeps its place in every version.")
    keep_with_previous: bool = Field(False, description="true: the item stays right after the one before it in "
                                                        "every version.")

    @property
    def score(self) -> float:
        """What the item is worth (a source analysis: the sum of its parts)."""
        return self.points

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources the item uses, as written: ``source: A`` is ``("A",)``, none is ``()``."""
        written = self.source
        if not written:
            return ()
        return (written,) if isinstance(written, str) else tuple(written)


class WordBankSettings(Strict):
    """A word bank written as a mapping: ``word_bank: {repeat: true}``."""

    repeat: bool = Field(False, description="true: an answer that fills several blanks (or labels) is listed once "
                                            "for each of them; false (default): every word is listed once.")


def _word_bank(value: Any) -> bool | WordBankSettings:
    """``word_bank:``: true or false (as pydantic reads a boolean: yes, no, 1, 0…), or ``{repeat: true}``; one
    message for what is neither, rather than one per shape."""
    if isinstance(value, WordBankSettings):
        return value
    if isinstance(value, dict):
        unknown = [str(k) for k in value if k != "repeat"]
        if unknown:
            raise ValueError(f'unknown key "{unknown[0]}" in word_bank: (its one key is repeat:, as in '
                             "word_bank: {repeat: true})")
        try:
            return WordBankSettings(repeat=_BOOL.validate_python(value.get("repeat", False)))
        except ValidationError:
            raise ValueError(f"repeat: expected true or false, got {value.get('repeat')!r}") from None
    try:
        return _BOOL.validate_python(value)
    except ValidationError:
        shown = f'"{value}"' if isinstance(value, str) else "a list" if isinstance(value, list) else repr(value)
        raise ValueError(f"expected true, false or {{repeat: true}}, got {shown}") from None


_BOOL = TypeAdapter(bool)

def _word_bank_data(value: bool | WordBankSettings) -> bool | dict:
    return value.model_dump() if isinstance(value, WordBankSettings) else value


# Saved as written (the checked-lesson cache): true, false or {repeat: true}.
WordBank = Annotated[bool | WordBankSettings, PlainValidator(_word_bank), PlainSerializer(_word_bank_data)]
"""``word_bank:`` of a fill-in or label-the-diagram item: true or false, or ``{repeat: true}`` (a bank that lists a
repeated answer once for each place it fills)."""


def bank_repeats(setting: Any) -> bool:
    """Whether a ``word_bank:`` setting lists a repeated answer once per place it fills."""
    return isinstance(setting, WordBankSettings) and setting.repeat


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_VERSIONS = len(LETTERS)
"""Most versions of a student edition: A to Z."""


def version_letters(count: int) -> tuple[str, ...]:
    """The version letters of a build with ``count`` versions: () for one version, else A, B, C…"""
    return tuple(LETTERS[:count]) if count > 1 else ()
"""Choice letters, matching letters and the letters sources are given in order."""

class Worksheet(Strict):
    """The worksheet: its title, instructions and questions."""

    # ``items``: each of an item type's own model (see lesson_model).

    title: Text | None = Field(None, description="The worksheet's heading, such as Check Your Understanding.")
    instructions: Text | None = Field(None, description='What students should do, printed under the heading.')
    items: list[ItemModel] = Field([], description='The questions, in order. Each starts with type:.')

    @property
    def total_points(self) -> float:
        return sum(item.score for item in self.items if not item.bonus)


LineNumbers = Annotated[int, Field(ge=1, le=limits.MAX_LINE_NUMBERS), Whole, BeforeValidator(lambda v: _count(v))]
"""Print a verse line's number every this many lines (5: 5, 10, 15…)."""

VERSE_DESCRIPTION = ("true: the text is verse: every line break and each line's leading spaces are kept, and a blank "
                     "line starts a new stanza.")
LINE_NUMBERS_DESCRIPTION = "With verse: true, print the line number in the margin every this many lines, such as 5."


class Reading(Strict):
    """The reading passage."""

    title: Text | None = Field(None, description='The heading of the reading.')
    source: Text | None = Field(None, description='Where the text comes from.')
    text: ReadingText = Field(description="The passage: a Markdown block (start it with |), paragraphs separated by "
                                          "a blank line.")
    verse: bool = Field(False, description=VERSE_DESCRIPTION)
    line_numbers: LineNumbers | None = Field(None, description=LINE_NUMBERS_DESCRIPTION)


class KeyTerm(Strict):
    """A key term and its definition."""

    term: NonBlank = Field(description='The term, as the reading uses it (capitals and plurals do not matter).')
    definition: NonBlank = Field(description='What the term means, for the glossary.')
    bold: bool = Field(True, description='false: never set the term in bold in the reading.')
    bold_at: Annotated[int, Field(ge=1, le=10_000), Whole] | None = Field(
        None, description="The reading paragraph to set the term in bold in, instead of where it first appears.")


def _prompt_shorthand(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Prompt(Strict):
    """A discussion question with notes for the teacher."""

    text: NonBlank = Field(description='The question.')
    notes: Text | None = Field(None, description='What a good discussion brings out (teacher edition only).')


def _language(value: Any) -> str:
    text = _nonblank(value)
    if not LANGUAGE_PATTERN.match(text):
        raise ValueError(f'"{text}" is not a language tag; use a BCP 47 tag such as en, es, fr or en-GB')
    return text


TABLE_WIDTH = re.compile(r"^\s*(?:(?P<auto>auto)|(?P<share>\d{1,3}(?:\.\d{1,2})?)\s*fr|"
                         r"(?P<length>\d{1,3}(?:\.\d{1,2})?)\s*(?P<unit>mm|cm|in|pt))\s*$", re.I)
"""A column's width in ``widths:``: ``auto`` (from its texts), a share of the room left (``2fr``), or a length
(``3cm``, ``25mm``, ``1.5in``, ``40pt``)."""

TABLE_UNITS = {"mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "pt": 1.0}
"""Points in each unit a column's width may be written in."""

ALIGNS = ("left", "center", "right", "decimal")
"""How a column's cells may be set: flush left, centred, flush right, or figures lined up on their decimal point."""


def _table_width(value: Any) -> str:
    text = _nonblank(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else str(value)
    if not TABLE_WIDTH.match(text):
        raise ValueError(f'"{shown(text)}" is not a column width; write auto, a share such as 2fr, or a length such '
                         "as 3cm, 25mm, 1.5in or 40pt")
    return text.strip().lower()


def _align(value: Any) -> str:
    text = _nonblank(value).strip().lower()
    if text == "centre":
        text = "center"
    if text not in ALIGNS + ("auto",):
        guess = did_you_mean(text, list(ALIGNS))
        raise ValueError(f'"{shown(text)}" is not an alignment; use auto, left, center, right or decimal'
                         + (f' (did you mean "{guess}"?)' if guess else ""))
    return text


def _header_cell_shorthand(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _header_rows(value: Any) -> Any:
    """``header: [A, B]`` is one row: the same as ``header: [[A, B]]``."""
    if isinstance(value, list) and not any(isinstance(row, list) for row in value):
        return [value]
    return value


class HeaderCell(Strict):
    """A column heading; ``span:`` makes it stand over several columns."""

    text: Text = Field(description='The heading. In a second header row, "" under a heading of the first row '
                                   "lets that heading reach down over both rows.")
    span: Annotated[int, Field(ge=1, le=limits.MAX_TABLE_COLUMNS), Whole] = Field(
        1, description="How many columns the heading stands over (1: its own).")


class BlankCell(Strict):
    """A cell students fill in: an empty box (a text field in the fillable PDF), its answer in the teacher
    edition."""

    blank: bool = Field(description="true: an empty box for the student to fill in.")
    answer: Text | None = Field(None, description="What goes in it, printed in the teacher edition (required with "
                                                  "blank: true).")


TableCellEntry = Annotated[Union[Annotated[BlankCell, Tag("table-cell")], Annotated[Text, Tag("table-text")]],
                           Discriminator(lambda v: "table-cell" if isinstance(v, (dict, BlankCell)) else "table-text")]
"""A body cell: its text, or a mapping for a blank cell (``{blank: true, answer: "42"}``)."""

TABLE_CELL_TAGS = ("table-cell", "table-text")
"""The tags a validation error's location holds for a body cell's two shapes (left out when it is reported)."""

HeaderEntry = Annotated[HeaderCell, BeforeValidator(_header_cell_shorthand)]


class SourceTable(Strict):
    """A table: its header (a row of headings, or up to three rows of them) and rows of the same width."""

    header: Annotated[list[Annotated[list[HeaderEntry], Field(min_length=1, max_length=limits.MAX_TABLE_COLUMNS)]],
                      Field(min_length=1, max_length=limits.MAX_TABLE_HEADER_ROWS), BeforeValidator(_header_rows)] = \
        Field(description="The column headings: a list (one row), or a list of rows. A heading may be written "
                          "{text: Bubbles per minute, span: 3} to stand over three columns.")
    rows: Annotated[list[Annotated[list[TableCellEntry], Field(max_length=limits.MAX_TABLE_COLUMNS)]],
                    Field(min_length=1, max_length=limits.MAX_TABLE_ROWS)] = Field(
        description="The rows, each a list with one cell per column (an empty cell is \"\"; a cell students fill "
                    "in is {blank: true, answer: \"42\"}).")
    widths: Annotated[list[Annotated[str, PlainValidator(_table_width)]],
                      Field(min_length=1, max_length=limits.MAX_TABLE_COLUMNS)] | None = Field(
        None, description="Each column's width: auto, a share of the room left (2fr) or a length (3cm, 25mm).")
    align: Annotated[list[Annotated[str, PlainValidator(_align)]],
                     Field(min_length=1, max_length=limits.MAX_TABLE_COLUMNS)] | None = Field(
        None, description="Each column's alignment: auto, left, center, right or decimal (figures lined up on "
                          "their decimal point).")

    @property
    def columns(self) -> int:
        """How many columns the table has: as many as its last header row covers."""
        return sum(cell.span for cell in self.header[-1])


class ParallelText(Strict):
    """One of a parallel source's two texts (an original, or its translation): its own title and language."""

    title: NonBlank = Field(description="What this text is, printed over its column, such as Original or "
                                        "Translation.")
    lang: Annotated[str, PlainValidator(_language)] | None = Field(
        None, description="This text's language when it is not the lesson's (fr, de…).")
    text: NonBlank = Field(description="The text (Markdown; with the source's verse: true, a poem's lines).")


SourcePlace = Literal["first-use", "reading", "worksheet-start"]


class Source(Strict):
    """A primary source: exactly one of text:, image:, table: or parallel:, with its citation. Lettered A, B, C… in
    order unless it has an id."""

    id: Annotated[str, PlainValidator(lambda v: source_id(v))] | None = Field(
        None, description="Its own letter or short code (B, B2) instead of the letter of its place in the list.")
    title: NonBlank = Field(description="A short title, printed after the source's letter.")
    text: Text | None = Field(None, description='The quoted extract (Markdown).')
    image: NonBlank | None = Field(None, description="A picture file inside the pack, named from the lesson file's "
                                                     "folder (images/map.png): PNG, JPEG, GIF, WebP or SVG.")
    table: SourceTable | None = Field(None, description='Statistics as a table: header: and rows:.')
    parallel: Annotated[list[ParallelText], Field(max_length=limits.MAX_PARALLEL_TEXTS)] | None = Field(
        None, description="Two texts printed side by side (an original and its translation), each with title:, "
                          "lang: and text:.")
    verse: bool = Field(False, description=VERSE_DESCRIPTION)
    line_numbers: LineNumbers | None = Field(None, description=LINE_NUMBERS_DESCRIPTION)
    place: SourcePlace = Field("first-use", description="Where the source is printed: first-use (just before the "
                                                        "first question that uses it, the default), reading (after "
                                                        "the reading, before the discussion and the worksheet) or "
                                                        "worksheet-start (before the first question).")
    alt: Text | None = Field(None, description="What the picture shows, for readers who cannot see it (required with "
                                               "image:).")
    caption: Text | None = Field(None, description='A line under the picture or table.')
    citation: NonBlank = Field(description="Who made it, when, where it was published or is kept, and any licence "
                                           "line (required).")
    lang: Annotated[str, PlainValidator(_language)] | None = Field(
        None, description="The source's language when it is not the lesson's (de, fr, ru…).")
    notes: Text | None = Field(None, description="For the teacher: context, reliability, what to draw out (teacher "
                                                 "edition only).")


def source_ids(sources: list[Source]) -> list[str]:
    """Each source's id: its own, or the letter of its place in the list (A for the first)."""
    return [src.id or LETTERS[i] for i, src in enumerate(sources)]


class Lesson(Strict):
    """One lesson, as a teacher writes it."""

    title: NonBlank = Field(description="The lesson's title (required).")
    subtitle: Text | None = Field(None, description='One line printed under the title.')
    subject: Text | None = Field(None, description='The subject, such as History.')
    grade: Text | None = Field(None, description='The grade, such as "9–10"; the reading level is compared with it.')
    unit: Text | None = Field(None, description="The unit the lesson belongs to, such as The Interwar Years "
                                                "(1919–1938).")
    duration: Text | None = Field(None, description="How long the lesson takes, such as 2 class periods (90 "
                                                    "minutes).")
    author: Text | None = Field(None, description='Who wrote the lesson.')
    language: Annotated[str, PlainValidator(_language)] = Field(
        "en", description="The handout's language as a BCP 47 tag: en, es, fr, en-GB… (quote \"no\" for Norwegian).")
    objectives: Annotated[list[NonBlank], Field(max_length=limits.MAX_OBJECTIVES)] = Field(
        [], description="Learning objectives, one per line starting with '- '; shown in the teacher edition.")
    reading: Reading | None = Field(None, description='The reading passage students read: title, source and text.')
    sources: Annotated[list[Source], Field(max_length=26)] = Field(
        [], description="Primary sources (quoted extracts, poems, parallel texts, pictures, tables), lettered A, B, "
                        "C… in order; each is printed just before the first question that names it, unless its "
                        "place: says otherwise.")
    key_terms: Annotated[list[KeyTerm], Field(max_length=limits.MAX_KEY_TERMS)] = Field(
        [], description="Key terms with their definitions: set in bold in the reading and listed in a glossary.")
    prompts: Annotated[list[Annotated[Prompt, BeforeValidator(_prompt_shorthand)]],
                       Field(max_length=limits.MAX_PROMPTS)] = Field(
        [], description="Discussion questions: plain text, or text: with notes: for the teacher edition.")
    worksheet: Worksheet | None = Field(None, description='The questions: title, instructions and items.')
    teacher_notes: Text | None = Field(None, description="Notes for the teacher (timing, misconceptions…), in the "
                                                         "teacher edition only. Markdown block: start it with |.")
    content_warning: Text | None = Field(None, description="What to tell students before a difficult part of the "
                                                           "lesson; boxed at the top of the teacher edition's "
                                                           "overview.")
    lint: LintSettings | None = Field(None, description='Teaching lints this lesson silences, everywhere in it.')


SOURCE_ID = re.compile(r"^[A-Z][A-Za-z0-9]{0,3}$")


def source_id(value: Any) -> str:
    text = _nonblank(value).strip()
    if not SOURCE_ID.match(text):
        raise ValueError(f'"{text}" is not a source id; use a capital letter, such as A or B (or a short code '
                         "such as B2)")
    return text


def item_sources(value: Any) -> str | list[str]:
    """A question's ``source:``: one source id (kept as text), or a list of them (each once)."""
    if not isinstance(value, (list, tuple)):
        return source_id(value)
    if not value:
        raise ValueError("is an empty list; name the sources the question uses, such as [A, D], or leave source: out")
    if len(value) > len(LETTERS):
        raise ValueError(f"names {len(value)} sources; a lesson has at most {len(LETTERS)}")
    ids = [source_id(v) for v in value]
    repeated = next((sid for k, sid in enumerate(ids) if sid in ids[:k]), None)
    if repeated:
        raise ValueError(f"names Source {repeated} twice; name each source once")
    return ids


def _pack_id(value: Any) -> str:
    text = _nonblank(value)
    if not ID_PATTERN.match(text):
        raise ValueError(f'"{text}" is not a valid id; use lowercase letters, digits and hyphens, e.g. interwar-years')
    return text


def _format_name(value: Any) -> str:
    """An output format lessonpack has (its own, or one a package installed beside it adds)."""
    from ..plugins import format_names
    from ..text.words import did_you_mean

    name = _nonblank(value).strip()
    known = format_names()
    if name not in known:
        guess = did_you_mean(name, known)
        raise ValueError(f'"{shown(name)}" is not an output format; use one of: {", ".join(known)}'
                         + (f' (did you mean "{guess}"?)' if guess else ""))
    return name


def _count(value: Any) -> Any:
    """A count written as a number: ``versions: true`` is a mistake, not 1."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, such as 3, got {str(value).lower()}")
    return value


BreakRule = Literal["always", "auto", "never"]


class PageBreaks(Strict):
    """Which sections start a new page: always, never, or auto (only when what comes before the section is longer
    than one page, so a short handout stays on one sheet). The worksheet's auto is about the sheet students hand
    in: the teacher edition's worksheet follows on."""

    reading: BreakRule = Field("never", description='always, auto or never (default never).')
    key_terms: BreakRule = Field("never", description='always, auto or never (default never).')
    discussion: BreakRule = Field("never", description='always, auto or never (default never).')
    worksheet: BreakRule = Field("auto", description="always, auto or never (default auto: only after a handout "
                                                     "longer than one page, and never in the teacher edition).")
    answer_key: BreakRule = Field("never", description='always, auto or never (default never).')


LETTERHEAD_PLACEHOLDERS = ("page", "pages", "title", "teacher", "date", "school", "edition")
"""The placeholders a letterhead's text, header and footer may use: the page's number and the page count, the
lesson's title, the teacher (the pack's ``teacher:``, else the lesson's author), the date of the build, the
school and the edition."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_in(text: str) -> list[str]:
    """The placeholders ``{name}`` written in ``text``, in order."""
    return _PLACEHOLDER.findall(text)


class Letterhead(Strict):
    """The school's letterhead: a logo and the school's name and address on the first page, a header and a footer
    on every page (in the PDF and the Word document alike)."""

    logo: NonBlank | None = Field(None, description="A picture file in the pack (PNG, JPEG, GIF, WebP or SVG), "
                                                    "named from the folder of the file that names it: "
                                                    "images/logo.png.")
    text: Text | None = Field(None, description="The school's name and address line, beside the logo on the "
                                                "first page (a line break starts a new line).")
    header: Text | None = Field(None, description="Text at the top of every page; placeholders: {page}, {pages}, "
                                                  "{title}, {teacher}, {date}, {school}, {edition}.")
    footer: Text | None = Field(None, description="Text at the foot of every page; the same placeholders, e.g. "
                                                  '"{school} · {title} · page {page} of {pages}".')


class PackConfig(Strict):
    """The optional settings of a pack folder (lessonpack.yaml)."""

    title: Text | None = Field(None, description='The title of the whole unit, on the cover of the unit PDFs.')
    subtitle: Text | None = Field(None, description="The unit's subtitle.")
    id: Annotated[str, PlainValidator(_pack_id)] | None = Field(
        None, description="A short name for the pack, used in output file names: lowercase letters, digits and "
                          "hyphens, such as interwar-years.")
    school: Text | None = Field(None, description="Your school's name.")
    teacher: Text | None = Field(None, description='Your name.')
    style: NonBlank = Field("classic", description="The look of the handouts: classic, large-print or a style in the "
                                                   "pack's styles/ folder (lessonpack styles lists them).")
    paper: Literal["letter", "a4"] = Field("letter", description='Paper size: letter or a4.')
    editions: Annotated[list[Literal["student", "teacher"]], Field(min_length=1)] = Field(
        ["student", "teacher"], description="Which editions to make: student, teacher.")
    formats: Annotated[list[Annotated[str, PlainValidator(_format_name)]], Field(min_length=1)] = Field(
        ["pdf", "docx"], description="Which file types to make: pdf, docx, html.")
    duplex: bool | None = Field(None, description="true (the default): handouts for two-sided copying, each lesson "
                                                  "of a unit PDF and a student's worksheet that starts a page "
                                                  "starting on a right-hand page; false: one-sided.")
    page_breaks: PageBreaks | None = Field(None, description="Which sections start a new page (overrides the "
                                                             "style's).")
    lessons: list[NonBlank] | None = Field(None, description="Which lessons to build, in order, by id (the file name "
                                                             "without .yaml). Leave it out to build every lesson in "
                                                             "file-name order.")
    versions: Annotated[int, Field(ge=1, le=MAX_VERSIONS), Whole, BeforeValidator(_count)] = Field(
        1, description="Versions A, B, C….")
    fillable: bool = Field(False, description='Also write a fillable student PDF (<id>-student-form.pdf).')
    letterhead: Letterhead | None = Field(None, description="The school's logo, name and address on the first page, "
                                                            "and a header and footer on every page (over the "
                                                            "style's letterhead).")
    embed_fonts: bool = Field(True, description="Put the fonts the Word document names inside it (true, the "
                                                "default), so that a computer without them lays out the same "
                                                "pages; false: a smaller file that uses the computer's fonts.")

    @property
    def running_header(self) -> str | None:
        """The words at the top of every page: the school and the unit's title (None: neither is set)."""
        return " · ".join(filter(None, [self.school, self.title])) or None


@dataclass(frozen=True)
class LessonFile:
    """A validated lesson and where it came from; ``id`` is the file name's stem."""

    id: str
    path: Path
    lesson: Lesson
    sha256: str = ""  # of the file's bytes as read, for the build's cache keys
    # The pictures it names (a source's image:, an image in the reading), read and checked when the
    # pack was loaded: {the name as written: images.PackImage}.
    images: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # The pack's own label catalogues (labels/<code>.yaml), checked when the pack was read: {code: {key: text}}.
    labels: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)


# -- the model of a lesson file, with every item type's own model ----------------------------------


@lru_cache(maxsize=1)
def lesson_model() -> type[Lesson]:
    """The model a lesson file is validated with: :class:`Lesson`, its worksheet's items each validated by the
    model of its ``type:`` (every item type the registry knows, lessonpack's own and those a package adds).
    Built on first use, and again whenever an item type is registered."""
    from ..plugins import item_types

    models = tuple(t.model for t in item_types().values())
    item = Annotated[Union[models], Field(discriminator="type")] if len(models) > 1 else models[0]  # type: ignore
    items = Annotated[list[item], Field(max_length=limits.MAX_ITEMS, description=(  # type: ignore[valid-type]
        "The questions, in order. Each starts with type:."))]
    worksheet = create_model("Worksheet", __base__=Worksheet, __module__=__name__, __doc__=Worksheet.__doc__,
                             items=(items, []))
    described = Field(None, description=Lesson.model_fields["worksheet"].description)
    lesson = create_model("Lesson", __base__=Lesson, __module__=__name__, __doc__=Lesson.__doc__,
                          worksheet=(worksheet | None, described))
    # Found again by these names (see __getattr__ below), so that a lesson crosses to a render process.
    worksheet.__qualname__, lesson.__qualname__ = "TypedWorksheet", "TypedLesson"
    return lesson


def __getattr__(name: str) -> Any:
    """``TypedLesson`` and ``TypedWorksheet``: the models :func:`lesson_model` builds, by the names pickle looks
    them up by when a validated lesson is sent to a render process."""
    if name == "TypedLesson":
        return lesson_model()
    if name == "TypedWorksheet":
        return lesson_model().model_fields["worksheet"].annotation.__args__[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def item_model(name: str) -> type[ItemModel] | None:
    """The model of the item type called ``name`` (None: there is none)."""
    from ..plugins import item_types

    found = item_types().get(name)
    return found.model if found is not None else None


def item_type_names() -> list[str]:
    """Every item type's name, lessonpack's own first."""
    from ..plugins import item_types

    return list(item_types())


def _registry_changed() -> None:
    lesson_model.cache_clear()


def _listen() -> None:
    from ..plugins import on_change

    on_change(_registry_changed)


_listen()
