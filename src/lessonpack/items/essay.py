"""Essay: an extended answer on many writing lines (or ``lines: fill``), marked with a rubric.

The teacher edition prints the rubric under the lines and the key says "See the rubric."; an essay without a
rubric is a teaching lint (``essay-rubric``). An essay keeps the place it is written in when versions shuffle the
questions (its ``shuffle`` is false unless the teacher writes ``shuffle: true``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Iterator, Literal

from pydantic import Field

from .. import limits
from ..handout.views import Question
from ..load.model import ItemModel, Lines, NonBlank
from ..text.richtext import RichText, inline
from .base import ItemType, Planning


class Essay(ItemModel):
    """essay: an extended answer, marked with a rubric."""

    example = "prompt: ..., lines: 12, rubric: [...]"
    type: Literal["essay"]
    prompt: NonBlank = Field(description="The essay question.")
    lines: Lines = Field(12, description="Writing lines: 1 to 80 (default 12), or fill for the rest of the page.")
    rubric: Annotated[list[NonBlank], Field(max_length=limits.MAX_RUBRIC)] = Field(
        [], description="Marking criteria (teacher edition).")
    shuffle: bool = Field(False, description="An essay keeps its place in every version unless you write true: then "
                                             "versions may move it among the questions around it.")


@dataclass(frozen=True)
class EssayQuestion(Question):
    """An essay question as printed: its lines, and (the teacher edition) its rubric under them."""

    rubric: tuple[RichText, ...] = ()
    rubric_label: str = ""


class EssayType(ItemType):
    name = "essay"
    model = Essay
    read_by_teacher = True
    lint_names = {"essay-rubric": "an essay has no rubric"}
    skeleton = """\
- type: essay
  prompt: <An essay question>
  lines: 12
  points: 6                           # keeps its place in versions A, B, C… (shuffle: true lets them move it)
  rubric:                             # marking criteria, for the teacher edition
    - <A marking criterion>
    - <Another marking criterion>
"""

    def plan(self, item: Essay, base: dict, p: Planning) -> EssayQuestion:
        rubric = tuple(inline(r) for r in item.rubric) if p.teacher else ()
        return EssayQuestion(**base, prompt=inline(item.prompt), writing=p.writing(item.lines, None), rubric=rubric,
                             rubric_label=p.labels["rubric"] if rubric else "")

    def height(self, m, q: EssayQuestion) -> float:
        if not q.rubric:
            return 0.0
        inner = m.width - m.size * 2.2
        return m.line + sum(m.rich(r, inner, scale=0.9) for r in q.rubric)

    def key_answer(self, q: EssayQuestion, labels) -> str:
        return labels["see_rubric"] if q.rubric else labels["answers_vary"]

    def asks(self, item: Essay) -> str | None:
        return item.prompt

    def lints(self, item: Essay, lint) -> Iterator:
        if not item.rubric:
            yield lint.finding("essay-rubric", ("rubric",), "the essay has no rubric",
                               "add rubric: with the criteria you will mark it by, one per '- ' line (they are "
                               "printed in the teacher edition's answer key)", whole_item=True)

    def draw_word(self, d, q: EssayQuestion) -> list:
        out = d.writing(q.writing)
        if q.rubric:  # under the lines, as in the PDF: the last line keeps the rubric's title (unless the lines fill
            # their page: then the rubric goes on over and takes none of them), the rubric is whole
            rubric = [d.para(d.S.TEACHER_LABEL, q.rubric_label)]
            bullets = d.new_list(d.S.NUM_RUBRIC)
            for i, item in enumerate(q.rubric):
                rubric.append(d.para(d.S.RUBRIC, num=bullets))
                d.marked(rubric[-1], ("worksheet", "items", q.number - 1, "rubric", i), item)  # see marks.py
            for p in ([] if q.fills_page else out[-1:]) + rubric[:-1]:
                d.keep_with_next(p)
            out += rubric
        return out


TYPE = EssayType()
