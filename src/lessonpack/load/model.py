"""The validated lesson and pack models: plain, immutable data with no I/O and no rendering.

Field names are the YAML keys, so a validation error's location maps straight back to a
position in the file. Shape and types are checked here by pydantic; rules that relate
several fields (an answer among its choices, blanks in a text) live in :mod:`validate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from .. import limits

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
        raise ValueError(f'expected a number of writing lines, or "fill" for the rest of the page, got {shown(value)!r}')
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
    """``lint: {ignore: [...]}`` on an item or a lesson: teaching lints (lints.py) not to report there. The names
    are checked against the lints in validation, where an unknown name gets a hint listing them."""

    ignore: Annotated[list[NonBlank], BeforeValidator(_lint_names), Field(max_length=50)] = []


class _Item(Strict):
    """What every worksheet item has. Each item type registers itself in :data:`ITEM_CLASSES`."""

    example: ClassVar[str]  # the keys a teacher writes for this type, shown in error hints
    points: Points = 1
    bonus: bool = False  # not counted in the worksheet's total; marked as bonus
    source: Annotated[str, PlainValidator(lambda v: _source_id(v))] | None = None  # "Use Source B."
    lint: LintSettings | None = None  # teaching lints this item silences
    # Versions A, B, C… (``versions:`` in lessonpack.yaml) shuffle the worksheet: these keep things in place.
    shuffle: bool = True  # false: the item keeps its place in every version
    keep_with_previous: bool = False  # true: the item stays right after the one before it in every version

    @property
    def score(self) -> float:
        """What the item is worth (a source analysis: the sum of its parts)."""
        return self.points


ITEM_CLASSES: dict[str, type[_Item]] = {}
"""The item-type registry: the ``type:`` a teacher writes → its model. Validation, the handout model,
labels (``type_<name>``) and the docs all start here."""


def _item_type(cls: type[_Item]) -> type[_Item]:
    (name,) = cls.model_fields["type"].annotation.__args__
    ITEM_CLASSES[name] = cls
    return cls


class ChoiceEntry(Strict):
    """One choice of a multiple-choice item: its text, written alone, or as a mapping to pin it in place."""

    text: NonBlank
    shuffle: bool = True  # false: the choice keeps its place in every version ("All of the above")


def _choice_shorthand(value: Any) -> Any:
    """``- General secretary`` is short for ``- {text: General secretary}``."""
    return value if isinstance(value, dict) else {"text": value}


@_item_type
class MultipleChoice(_Item):
    example = "prompt: ..., choices: [..., ...], answer: (the exact text of one choice)"
    type: Literal["multiple_choice"]
    prompt: NonBlank
    choices: Annotated[list[Annotated[ChoiceEntry, BeforeValidator(_choice_shorthand)]],
                       Field(min_length=2, max_length=8)]
    answer: NonBlank
    shuffle_choices: bool = True  # false: the choices keep their written order in every version
    keep_last: Annotated[int, Field(ge=0, le=7), Whole] = 0  # the last N choices ("All of the above") stay last

    @property
    def texts(self) -> list[str]:
        """The choices' texts, in the written order."""
        return [choice.text for choice in self.choices]

    @property
    def pinned(self) -> set[int]:
        """The choices that keep their places in every version: written with ``shuffle: false``, or among the
        last ``keep_last``."""
        n = len(self.choices)
        return {k for k, choice in enumerate(self.choices) if not choice.shuffle} | set(range(n - self.keep_last, n))


@_item_type
class TrueFalse(_Item):
    example = "prompt: ..., answer: true (or false)"
    type: Literal["true_false"]
    prompt: NonBlank
    answer: bool


@_item_type
class ShortAnswer(_Item):
    example = "prompt: ..., lines: 3, answer: (optional model answer)"
    type: Literal["short_answer"]
    prompt: NonBlank
    lines: Lines = 3
    answer: Text | None = None


@_item_type
class FillInBlank(_Item):
    example = "text: \"... [[answer]] ...\""
    type: Literal["fill_in_blank"]
    text: NonBlank
    word_bank: bool = True
    extra: Annotated[list[NonBlank], Field(max_length=limits.MAX_BLANKS)] = []  # distractors in the word bank
    prompt: Text | None = None
    shuffle_choices: bool = True  # false: the word bank keeps version A's order in every version

    def blanks(self) -> list[list[str]]:
        """Each blank's accepted answers, the first being the one shown in keys."""
        return [[alt.strip() for alt in inner.split("|")] for _, _, inner in scan_blanks(self.text).spans]


class Pair(Strict):
    left: NonBlank
    right: NonBlank


@_item_type
class Matching(_Item):
    example = "prompt: ..., pairs: [{left: ..., right: ...}, ...] or from_key_terms: true"
    type: Literal["matching"]
    prompt: Text | None = None
    pairs: Annotated[list[Pair], Field(min_length=2, max_length=26)] | None = None
    from_key_terms: bool = False
    count: Annotated[int, Field(ge=2, le=26), Whole] | None = None
    extra: Annotated[list[NonBlank], Field(max_length=24)] = []  # distractors among the right-hand options
    shuffle_choices: bool = True  # false: the right-hand options keep version A's order in every version


@_item_type
class Ordering(_Item):
    example = "prompt: ..., events: [first, second, ...] (in the correct order)"
    type: Literal["ordering"]
    prompt: Text | None = None
    events: Annotated[list[NonBlank], Field(min_length=2, max_length=26)]
    shuffle_choices: bool = True  # false: the events keep version A's order in every version


@_item_type
class Essay(_Item):
    example = "prompt: ..., lines: 12, rubric: [...]"
    type: Literal["essay"]
    prompt: NonBlank
    lines: Lines = 12
    rubric: Annotated[list[NonBlank], Field(max_length=limits.MAX_RUBRIC)] = []


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_VERSIONS = len(LETTERS)
"""Most versions of a student edition: A to Z."""


def version_letters(count: int) -> tuple[str, ...]:
    """The version letters of a build with ``count`` versions: () for one version, else A, B, C…"""
    return tuple(LETTERS[:count]) if count > 1 else ()
"""Choice letters, matching letters and the letters sources are given in order."""

ANALYSIS_PARTS = ("origin", "purpose", "content", "value", "limitation")
"""The classic questions about a source, in order; each has a label and a default prompt in every catalogue."""


class AnalysisPart(Strict):
    """One question of a source analysis: one of the classic five, renamed or reworded if the author likes."""

    part: Literal["origin", "purpose", "content", "value", "limitation"]
    label: Text | None = None  # default: the part's label ("Origin")
    prompt: Text | None = None  # default: the part's standard question
    points: Points = 1
    lines: CountedLines = 3
    answer: Text | None = None  # a model answer (teacher edition)


def _part_shorthand(value: Any) -> Any:
    """``parts: [origin, value]`` is short for ``[{part: origin}, {part: value}]``."""
    return {"part": value} if isinstance(value, str) else value


def _default_parts() -> list[AnalysisPart]:
    return [AnalysisPart(part=name) for name in ANALYSIS_PARTS]  # type: ignore[arg-type]


@_item_type
class SourceAnalysis(_Item):
    example = "source: A, parts: [origin, purpose, {part: value, points: 2, answer: ...}] (parts optional: all five)"
    type: Literal["source_analysis"]
    source: Annotated[str, PlainValidator(lambda v: _source_id(v))]  # type: ignore[assignment]
    prompt: Text | None = None
    parts: Annotated[list[Annotated[AnalysisPart, BeforeValidator(_part_shorthand)]],
                     Field(min_length=1, max_length=len(ANALYSIS_PARTS))] = Field(default_factory=_default_parts)

    @property
    def score(self) -> float:
        return sum(part.points for part in self.parts)


ITEM_TYPES = tuple(ITEM_CLASSES)
Item = Annotated[Union[tuple(ITEM_CLASSES.values())], Field(discriminator="type")]  # type: ignore[valid-type]


class Worksheet(Strict):
    title: Text | None = None
    instructions: Text | None = None
    items: Annotated[list[Item], Field(max_length=limits.MAX_ITEMS)] = []

    @property
    def total_points(self) -> float:
        return sum(item.score for item in self.items if not item.bonus)


class Reading(Strict):
    title: Text | None = None
    source: Text | None = None
    text: ReadingText


class KeyTerm(Strict):
    term: NonBlank
    definition: NonBlank
    bold: bool = True  # false: never bold the term in the reading
    bold_at: Annotated[int, Field(ge=1, le=10_000), Whole] | None = None  # the reading paragraph to bold it in


def _prompt_shorthand(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Prompt(Strict):
    text: NonBlank
    notes: Text | None = None


def _language(value: Any) -> str:
    text = _nonblank(value)
    if not LANGUAGE_PATTERN.match(text):
        raise ValueError(f'"{text}" is not a language tag; use a BCP 47 tag such as en, es, fr or en-GB')
    return text


class SourceTable(Strict):
    """Statistics as a table: a header row and rows of the same width."""

    header: Annotated[list[NonBlank], Field(min_length=1, max_length=12)]
    rows: Annotated[list[Annotated[list[Text], Field(max_length=12)]], Field(min_length=1, max_length=100)]


class Source(Strict):
    """A primary source: a quoted extract, an image or a table, with its citation. Lettered A, B, C… in order
    unless it has an ``id``."""

    id: Annotated[str, PlainValidator(lambda v: _source_id(v))] | None = None
    title: NonBlank
    text: Text | None = None  # a quoted extract (Markdown)
    image: NonBlank | None = None  # a picture, chart or map: a file inside the pack
    table: SourceTable | None = None
    alt: Text | None = None  # what an image shows, for readers who cannot see it (required for images)
    caption: Text | None = None
    citation: NonBlank  # creator, date, origin or publication, and the permission or licence line
    lang: Annotated[str, PlainValidator(_language)] | None = None  # when not in the lesson's language
    notes: Text | None = None  # for the teacher: context, reliability, what to draw out


def source_ids(sources: list[Source]) -> list[str]:
    """Each source's id: its own, or the letter of its place in the list (A for the first)."""
    return [src.id or LETTERS[i] for i, src in enumerate(sources)]


class Lesson(Strict):
    """One lesson, as written by a teacher (after validation)."""

    title: NonBlank
    subtitle: Text | None = None
    subject: Text | None = None
    grade: Text | None = None
    unit: Text | None = None
    duration: Text | None = None
    author: Text | None = None
    language: Annotated[str, PlainValidator(_language)] = "en"
    objectives: Annotated[list[NonBlank], Field(max_length=limits.MAX_OBJECTIVES)] = []
    reading: Reading | None = None
    sources: Annotated[list[Source], Field(max_length=26)] = []
    key_terms: Annotated[list[KeyTerm], Field(max_length=limits.MAX_KEY_TERMS)] = []
    prompts: Annotated[list[Annotated[Prompt, BeforeValidator(_prompt_shorthand)]],
                       Field(max_length=limits.MAX_PROMPTS)] = []
    worksheet: Worksheet | None = None
    teacher_notes: Text | None = None
    content_warning: Text | None = None  # shown first in the teacher edition's overview
    lint: LintSettings | None = None  # teaching lints this lesson silences, everywhere in it


SOURCE_ID = re.compile(r"^[A-Z][A-Za-z0-9]{0,3}$")


def _source_id(value: Any) -> str:
    text = _nonblank(value).strip()
    if not SOURCE_ID.match(text):
        raise ValueError(f'"{text}" is not a source id; use a capital letter, such as A or B (or a short code '
                         "such as B2)")
    return text


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
    """Which sections start a new page: always, never, or ``auto`` — only when what comes before it in the
    handout is longer than one page (so a short handout stays on one sheet)."""

    reading: BreakRule = "never"
    key_terms: BreakRule = "never"
    discussion: BreakRule = "never"
    worksheet: BreakRule = "auto"
    answer_key: BreakRule = "never"


class PackConfig(Strict):
    """The optional ``lessonpack.yaml`` of a pack folder."""

    title: Text | None = None
    subtitle: Text | None = None
    id: Annotated[str, PlainValidator(_pack_id)] | None = None
    school: Text | None = None
    teacher: Text | None = None
    style: NonBlank = "classic"
    paper: Literal["letter", "a4"] = "letter"
    editions: Annotated[list[Literal["student", "teacher"]], Field(min_length=1)] = ["student", "teacher"]
    formats: Annotated[list[Annotated[str, PlainValidator(_format_name)]], Field(min_length=1)] = ["pdf", "docx"]
    duplex: bool | None = None  # None: unit packs print two-sided, one-lesson handouts do not
    page_breaks: PageBreaks | None = None  # which sections start a new page (overrides the style's)
    lessons: list[NonBlank] | None = None
    versions: Annotated[int, Field(ge=1, le=MAX_VERSIONS), Whole, BeforeValidator(_count)] = 1  # versions A, B, C…
    fillable: bool = False  # also write a fillable student PDF (<id>-student-form.pdf)

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
