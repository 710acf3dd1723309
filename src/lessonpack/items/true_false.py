"""True or false: a statement students mark true or false.

The form has one group of two round buttons whose values are ``true`` and ``false``; the teacher edition marks
the right one with ✔. A statement whose every word is printed in one sentence elsewhere on the sheet gives its
answer away (the ``answer-given`` lint reads :meth:`TrueFalseType.statement`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Literal

from pydantic import Field

from ..handout.views import Choice, Question
from ..load.model import ItemModel, NonBlank
from ..text.richtext import Span, inline, plain
from .base import ItemType, Planning


class TrueFalse(ItemModel):
    """true_false: a statement students mark true or false."""

    example = "prompt: ..., answer: true (or false)"
    type: Literal["true_false"]
    prompt: NonBlank = Field(description="The statement.")
    answer: bool = Field(description="true or false, without quotes.")


@dataclass(frozen=True)
class TrueFalseQuestion(Question):
    """A true-or-false statement as printed: its two options, the correct one marked in the teacher edition."""

    options: tuple[Choice, ...] = ()


class TrueFalseType(ItemType):
    name = "true_false"
    model = TrueFalse
    skeleton = """\
- type: true_false
  prompt: <A statement that is true>
  answer: true                        # true or false, without quotes
"""

    def plan(self, item: TrueFalse, base: dict, p: Planning) -> TrueFalseQuestion:
        options = tuple(Choice("", "", (Span(p.labels[word]),), p.teacher and item.answer == value)
                        for word, value in (("true", True), ("false", False)))
        return TrueFalseQuestion(**base, prompt=inline(item.prompt), options=options)

    def height(self, m, q: TrueFalseQuestion) -> float:
        return m.line * 1.4

    def key_answer(self, q: TrueFalseQuestion, labels) -> str:
        return next(plain(o.text) for o in q.options if o.correct)

    def with_fields(self, q: TrueFalseQuestion, labels, field: str, title: str, pages) -> TrueFalseQuestion:
        from dataclasses import replace

        return replace(q, options=tuple(replace(o, letter=value) for o, value in zip(q.options, ("true", "false"))))

    def marking(self, q: TrueFalseQuestion, field: str):
        return ((field, ("true",) if q.options[0].correct else ("false",)),)

    def asks(self, item: TrueFalse) -> str | None:
        return item.prompt

    def statement(self, item: TrueFalse) -> str:
        """What the statement says, for the lint that finds it printed elsewhere."""
        return item.prompt

    def printed(self, item: TrueFalse) -> Iterator:
        yield ("prompt",), item.prompt, item.prompt

    def draw_word(self, d, q: TrueFalseQuestion) -> list:
        p = d.para(d.S.TRUE_FALSE)
        for i, option in enumerate(q.options):
            if i:
                d.run(p, "\t")
            if option.correct:
                d.runs(p, option.text, d.S.ANSWER_CHAR)
                d.run(p, f" {d.h.correct_mark}", d.S.ANSWER_MARK)
            else:
                d.runs(p, option.text)
        return [p]


TYPE = TrueFalseType()
