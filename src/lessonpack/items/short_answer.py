"""Short answer: a question answered on a few writing lines (or ``lines: fill``, the rest of the page).

The teacher edition sets the model answer on the writing lines; the key gives it, and a short model answer is a
fact another question could give away (the ``answer-given`` lint reads :meth:`ShortAnswerType.answers`).
"""

from __future__ import annotations

import re
from typing import Iterator, Literal

from pydantic import Field

from ..handout.views import Question
from ..load.model import ItemModel, Lines, NonBlank, Text
from ..text.richtext import RichText, inline
from .base import Answer, ItemType, Planning


class ShortAnswer(ItemModel):
    """short_answer: a question answered on a few writing lines."""

    example = "prompt: ..., lines: 3, answer: (optional model answer)"
    type: Literal["short_answer"]
    prompt: NonBlank = Field(description="The question.")
    lines: Lines = Field(3, description="Writing lines: 1 to 80 (default 3), or fill for the rest of the page.")
    answer: Text | None = Field(None, description="A model answer (teacher edition).")


class ShortAnswerType(ItemType):
    name = "short_answer"
    model = ShortAnswer
    read_by_teacher = True
    skeleton = """\
- type: short_answer
  prompt: <A question answered in a sentence or two>
  lines: 3                            # writing lines, or fill for the rest of the page
  answer: <A model answer, for the teacher edition>
"""

    def plan(self, item: ShortAnswer, base: dict, p: Planning) -> Question:
        answer = inline(item.answer) if p.teacher and item.answer else None
        return Question(**base, prompt=inline(item.prompt), writing=p.writing(item.lines, answer))

    def key_answer(self, q: Question, labels) -> RichText | str:
        return q.writing.answer if q.writing and q.writing.answer else labels["answers_vary"]

    def asks(self, item: ShortAnswer) -> str | None:
        return item.prompt

    def answers(self, item: ShortAnswer) -> Iterator[Answer]:
        """The model answer (a fact another text could give away, when it is short), its question the prompt."""
        if item.answer:
            written = re.sub(r"^(?:the|a|an)\s+", "", item.answer.strip().rstrip(".!"), flags=re.IGNORECASE)
            yield Answer(written, "the model answer to", item.prompt)


TYPE = ShortAnswerType()
