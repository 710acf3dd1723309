"""Numeric: a question answered with one number, in a box with its unit after it ("26 °C"), marked within a
tolerance (``tolerance: 0.5`` or ``tolerance: 2%``).

The teacher edition sets the answer and its range in the box ("26 ± 0.5"), and the key gives them with the unit
("26 ± 0.5 °C"). The fillable PDF has a text box over the answer box; ``collect`` reads what a student typed as a
number (:func:`read_number`: a decimal point or a decimal comma, thousands separators, the unit after it or not)
and counts it right when it lies within the tolerance, the bounds included. Versions move the question like any
other; it has nothing of its own to shuffle.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator

from .. import limits
from ..handout.views import Question
from ..load.model import ItemModel, NonBlank, Text, Whole, shown
from ..text.labels import counted
from ..text.richtext import inline
from .base import ItemType, Planning

SPACES = " \u00a0\u202f\u2009"
"""What may separate groups of three digits (a space, a no-break space, a thin space): 10 000."""

_MINUS = "-\u2212"  # a hyphen, or the minus sign
_PLAIN = re.compile(r"\d+(?:\.\d*)?|\.\d+", re.ASCII)  # ASCII digits only: "٣" is no number to a teacher


def read_number(text: str, unit: str = "") -> Decimal | None:
    """A number as a teacher or a student writes it, or None for anything else.

    - A sign (``-``, ``−`` or ``+``) may come first, and ``unit`` (ignoring case and spaces) last: ``26 °C``.
    - A decimal point or a decimal comma: ``26.5``, ``26,5``, ``.5``.
    - Thousands separated by spaces (``10 000``), or by commas or points when there are several (``1,000,000``,
      ``1.000.000``) or both kinds (``1,234.5``, ``1.234,5``: the last one is the decimal mark).
    - A single comma followed by exactly three digits, after a first digit that is not 0, separates thousands:
      ``1,000`` is a thousand and ``12,500`` twelve thousand five hundred; any other single comma is a decimal
      comma (``26,0``, ``2,50``, ``0,125``). A single point is always a decimal point (``1.000`` is one).

    No powers of ten (``3e8``) and at most :data:`~lessonpack.limits.MAX_NUMBER_DIGITS` digits.
    """
    s = text.strip()
    if not s or len(s) > limits.MAX_NUMBER_DIGITS * 3:
        return None
    s = _cut_unit(s, unit)
    negative = s[:1] in _MINUS
    if s[:1] in _MINUS + "+":
        s = s[1:].lstrip()
    if not s or sum(c in "0123456789" for c in s) > limits.MAX_NUMBER_DIGITS:
        return None
    body = _body(s)
    if body is None:
        return None
    try:
        value = Decimal(body)
    except InvalidOperation:  # pragma: no cover - the body is digits and one point by now
        return None
    return -value if negative else value


def _cut_unit(s: str, unit: str) -> str:
    """``s`` without ``unit`` at its end (compared without spaces, ignoring case), or ``s`` as it is."""
    bare = "".join(unit.split()).casefold()
    if not bare:
        return s
    for start in range(len(s), -1, -1):
        tail = "".join(s[start:].split()).casefold()
        if tail == bare:
            return s[:start].rstrip()
        if len(tail) > len(bare):
            break
    return s


def _body(s: str) -> str | None:
    """The digits of a number without its sign, as Python's Decimal reads them (see :func:`read_number`)."""
    if any(c in SPACES for c in s):
        if not re.fullmatch(rf"\d{{1,3}}(?:[{SPACES}]\d{{3}})+(?:[.,]\d+)?", s, re.ASCII):
            return None
        return re.sub(f"[{SPACES}]", "", s).replace(",", ".")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        mark = "." if s.rfind(".") > s.rfind(",") else ","
        group = "," if mark == "." else "."
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+{re.escape(mark)}\d+", s, re.ASCII):
            return None
        return s.replace(group, "").replace(mark, ".")
    if dots > 1 or commas > 1:
        sep = "," if commas else "."
        return s.replace(sep, "") if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+", s, re.ASCII) else None
    if commas == 1:
        if re.fullmatch(r"[1-9]\d{0,2},\d{3}", s, re.ASCII):
            return s.replace(",", "")
        s = s.replace(",", ".")
    return s if _PLAIN.fullmatch(s) else None


def figures(value: Decimal) -> str:
    """A number in figures, without trailing zeros after its decimal point (0.520 → 0.52, 20 → 20)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _kind_of(value: Any) -> str | None:
    """Why a value YAML read is no number at all (true/false, nothing, a list, a mapping), or None."""
    if isinstance(value, bool):
        return f"expected a number, but YAML read this unquoted word as {'true' if value else 'false'}"
    if value is None:
        return "is empty"
    if isinstance(value, list):
        return "expected a number, got a list"
    if isinstance(value, dict):
        return "expected a number, got a mapping (key: value pairs)"
    return None


def _answer(value: Any) -> str:
    """The answer: a number in figures (kept as written; :func:`read_number` reads it)."""
    problem = _kind_of(value)
    if problem:
        raise ValueError(problem)
    text = str(value).strip()
    if read_number(text) is None:
        found = _NUMBER_FIRST.match(text)
        if found and read_number(found.group(1)) is not None:
            raise ValueError(f'"{shown(text)}" is a number and a unit; write the number alone (answer: '
                             f'{found.group(1).strip()}) and the unit in unit: ("{shown(found.group(2))}")')
        raise ValueError(f'"{shown(text)}" is not a number; write the answer in figures, such as 26 or 0.5 (for a '
                         'power of ten, write unit: "× 10⁸ m/s" and the number before it)')
    return text


_NUMBER_FIRST = re.compile(r"^([+\-\u2212]?[0-9][0-9., ]*?)\s*([^\s0-9.,].*)$")


def _tolerance(value: Any) -> str:
    """How far from the answer still counts: a number (``0.5``) or a percentage of the answer (``2%``); an
    optional ``±`` before it."""
    problem = _kind_of(value)
    if problem:
        raise ValueError(problem)
    text = str(value).strip()
    bare = re.sub(r"^(?:±|\+/-|\+-)\s*", "", text)
    percent = bare.endswith("%")
    number = read_number(bare[:-1] if percent else bare)
    if number is None:
        raise ValueError(f'a tolerance needs a number, such as 0.5 or 2% (how far from the answer still counts), '
                         f'got "{shown(text)}"')
    if number < 0:
        raise ValueError(f"a tolerance cannot be negative, got {shown(text)}; write how far either side of the "
                         "answer still counts, such as 0.5")
    if percent and number > 100:
        raise ValueError(f"a tolerance of more than 100% accepts almost any answer, got {shown(text)}")
    return f"{figures(number)}%" if percent else figures(number)


Number = Annotated[str, PlainValidator(_answer)]
Tolerance = Annotated[str, PlainValidator(_tolerance)]


class Numeric(ItemModel):
    """numeric: a question answered with one number, in a box with its unit after it."""

    example = "prompt: ..., answer: 26, tolerance: 0.5 (or 2%), unit: °C"
    type: Literal["numeric"]
    prompt: NonBlank = Field(description="The question.")
    answer: Number = Field(description="The number that answers it, in figures: 26, 0.5, -3, 1,500 (the unit goes "
                                       "in unit:).")
    tolerance: Tolerance | None = Field(
        None, description="How far from the answer still counts as right, either way: a number such as 0.5, or a "
                          "percentage of the answer such as 2%. Without it, only the answer itself counts.")
    unit: Text = Field("", description="The unit printed after the answer box, such as °C or cm³.")
    decimals: Annotated[int, Field(ge=0, le=6), Whole] | None = Field(
        None, description="Ask for the answer to this many decimal places (0 to 6): printed after the box, and the "
                          "answer is rounded to it in the key.")

    @property
    def expected(self) -> Decimal:
        """The answer as the key prints it: rounded to ``decimals`` places when they are asked for."""
        value = read_number(self.answer)
        assert value is not None  # the model checked it
        if self.decimals is None:
            return value
        return value.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    @property
    def allowance(self) -> Decimal:
        """How far either side of the answer still counts (a percentage worked out from the answer)."""
        if not self.tolerance:
            return Decimal(0)
        if self.tolerance.endswith("%"):
            return abs(self.expected) * Decimal(self.tolerance[:-1]) / 100
        return Decimal(self.tolerance)

    @property
    def shown_answer(self) -> str:
        """The answer as printed: as written, or rounded to ``decimals`` places."""
        if self.decimals is None:
            return self.answer.strip().removeprefix("+").strip()
        return format(self.expected, "f")


@dataclass(frozen=True)
class NumericQuestion(Question):
    """A numeric question as printed: the answer box (``width`` character widths, the same in both editions),
    the unit after it, and what precision is asked for."""

    width: int = 12
    unit: str = ""
    precision: str = ""  # "to 1 decimal place", after the unit
    answer: str | None = None  # the teacher edition's, in the box: "26 ± 0.5"
    accepted: tuple[str, ...] = ()  # the teacher edition's: (answer, lowest, highest, unit), for collect


TOLERANCE_SIGN = "\u00b1"
"""Between the answer and how far from it still counts, in the teacher edition's box: "26 ± 0.5"."""

MIN_BOX = 12
"""The answer box's least width, in character widths: room for a number written by hand."""


class NumericType(ItemType):
    name = "numeric"
    model = Numeric
    skeleton = """\
- type: numeric
  prompt: <A question answered with a number>
  answer: 100                         # the number, in figures (the unit goes in unit:)
  tolerance: 5%                       # optional: how far off still counts, such as 0.5 or 5%
  unit: <The unit printed after the answer box, such as km>
"""

    def plan(self, item: Numeric, base: dict, p: Planning) -> NumericQuestion:
        answer = item.shown_answer
        allowance = item.allowance
        box = f"{answer} {TOLERANCE_SIGN} {figures(allowance)}" if allowance else answer
        if item.decimals is None:
            precision = ""
        elif item.decimals == 0:
            precision = p.labels["numeric_whole"]
        else:
            precision = counted(p.labels, "numeric_decimals", item.decimals)
        accepted = (answer, figures(item.expected - allowance), figures(item.expected + allowance), item.unit.strip())
        return NumericQuestion(**base, prompt=inline(item.prompt), width=max(MIN_BOX, len(box) + 2),
                               unit=item.unit.strip(), precision=precision,
                               answer=box if p.teacher else None, accepted=accepted if p.teacher else ())

    def height(self, m, q: NumericQuestion) -> float:
        return m.line * 1.9

    def key_answer(self, q: NumericQuestion, labels) -> str:
        return " ".join(filter(None, [q.answer, q.unit]))

    def with_fields(self, q: NumericQuestion, labels, field: str, title: str, pages) -> NumericQuestion:
        if not q.unit:
            return q
        return replace(q, field_title=f"{title} ({labels['numeric_field'].format(unit=q.unit)})")

    def marking(self, q: NumericQuestion, field: str):
        return ((field, q.accepted),)

    def right(self, value: str, accepted: tuple[str, ...]) -> bool:
        """Whether a typed value is a number within the range (its bounds included), with or without the unit."""
        if len(accepted) != 4:
            return False
        _, low, high, unit = accepted
        number = read_number(value, unit)
        return number is not None and Decimal(low) <= number <= Decimal(high)

    def asks(self, item: Numeric) -> str | None:
        return item.prompt

    def draw_word(self, d, q: NumericQuestion) -> list:
        p = d.para(d.S.NUMERIC)
        own = len(q.answer.split(f" {TOLERANCE_SIGN} ")[0]) if q.answer else 0  # the lesson's answer, then "± 0.5"
        d.answer_box(p, q.width, q.answer, ("worksheet", "items", q.number - 1, "answer"), own)
        if q.unit:
            d.run(p, f"{d.NBSP}{q.unit}")
        if q.precision:
            d.run(p, f" ({q.precision})", d.S.POINTS)
        return [p]


TYPE = NumericType()
