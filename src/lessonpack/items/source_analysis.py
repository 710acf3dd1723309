"""Source analysis: lettered questions about one source — by default the classic five (origin, purpose,
content, value, limitation), worded for any subject; each renamed or reworded as the author likes, and any other
part a subject asks (a science teacher's method, reliability and conclusion) with its own wording, points,
writing lines and model answer.

The question prints after its source ("Use Source A."); each part has its own writing lines and, in the form,
its own text box (``q8.a``); the key gives each part's model answer; later versions' keys point to version A's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, Iterator, Literal

from pydantic import BeforeValidator, Field, PlainValidator, model_validator

from ..handout.views import Question, Writing
from .. import limits
from ..load.model import LETTERS, CountedLines, ItemModel, NonBlank, Points, Strict, Text, source_id
from ..text.richtext import RichText, Span, inline, plain
from .base import ItemType, Planning, listed_answers, numbered, points_label

PARTS = ("origin", "purpose", "content", "value", "limitation")
"""The classic questions about a source, in order; each has a label and a default prompt in every catalogue."""


class AnalysisPart(Strict):
    """One question about the source: one of the classic five, or a part of the author's own with its wording."""

    part: NonBlank = Field(
        description="Which question: origin, purpose, content, value or limitation (worded by lessonpack), or a "
                    "name of your own (method, reliability…) with its prompt:.")
    label: Text | None = Field(None, description="A label to print instead of the part's name.")
    prompt: Text | None = Field(None, description="Your own wording of the question (required for a part of your own).")
    points: Points = Field(1, description="Whole or half points, such as 2 or 0.5 (default 1).")
    lines: CountedLines = Field(3, description="Writing lines: 1 to 80 (default 3).")
    answer: Text | None = Field(None, description="A model answer (teacher edition).")

    @model_validator(mode="after")
    def _own_parts_say_what_they_ask(self) -> "AnalysisPart":
        if self.part.strip() not in PARTS and not (self.prompt or "").strip():
            raise ValueError(f'"{self.part.strip()}" is a part of your own, so lessonpack has no question for it: add '
                             f"prompt: with the question (its name prints as its label unless you give label:); "
                             f"lessonpack words these for you: {', '.join(PARTS)}")
        return self


def _part_shorthand(value: Any) -> Any:
    """``parts: [origin, value]`` is short for ``[{part: origin}, {part: value}]``."""
    return {"part": value} if isinstance(value, str) else value


# The shorthand names one of the five (a part of one's own needs its prompt:, so a mapping).
_part_shorthand.json_schema = {"enum": list(PARTS)}  # type: ignore[attr-defined]

def _default_parts() -> list[AnalysisPart]:
    return [AnalysisPart(part=name) for name in PARTS]


def one_source(value: object) -> str:
    """A source analysis's ``source:``: one source id. Its parts (origin, purpose…) ask about one source, so a list
    is refused with what to write instead."""
    if isinstance(value, (list, tuple)):
        raise ValueError("a source analysis is about one source; write source: A, and ask about several sources "
                         "together in a short_answer or essay item with source: [A, D]")
    return source_id(value)


class SourceAnalysis(ItemModel):
    """source_analysis: the classic questions about one source, each with its own points, lines and model answer."""

    example = "source: A, parts: [origin, purpose, {part: value, points: 2, answer: ...}] (parts optional: all five)"
    type: Literal["source_analysis"]
    source: Annotated[str, PlainValidator(one_source)] = Field(  # type: ignore[assignment]
        description="The one source the questions are about (required): A, B…")
    prompt: Text | None = Field(None, description="A line before the parts.")
    parts: Annotated[list[Annotated[AnalysisPart, BeforeValidator(_part_shorthand)]],
                     Field(min_length=1, max_length=limits.MAX_ANALYSIS_PARTS)] = Field(
        default_factory=_default_parts, description="Which questions, in order: origin, purpose, content, value, "
                                                    "limitation (default: all five), or parts of your own with their "
                                                    "prompt:; a name alone or a mapping with part: and more.")

    @property
    def score(self) -> float:
        return sum(part.points for part in self.parts)


@dataclass(frozen=True)
class PartView:
    """One question of a source analysis: "a) Origin — Who made this source, when and where?"."""

    label: str  # "a)"
    name: str  # "Origin"
    prompt: RichText
    points: float
    points_label: str
    writing: Writing


@dataclass(frozen=True)
class SourceAnalysisQuestion(Question):
    """A source analysis as printed: its lettered parts, each with its writing lines."""

    parts: tuple[PartView, ...] = ()


class SourceAnalysisType(ItemType):
    name = "source_analysis"
    model = SourceAnalysis
    read_by_teacher = True
    skeleton = """\
- type: source_analysis
  source: A                           # the first source above
  prompt: <A line before the questions, such as Answer each question in full sentences>
  parts:                              # any of origin, purpose, content, value, limitation, or your own with prompt:
    - part: origin
      answer: <A model answer on who made the source, when and where>
    - part: purpose
      answer: <A model answer on why it was made, and for whom>
    - part: value
      points: 2
      answer: <A model answer on how it is useful for studying the topic>
    - part: limitation
      points: 2
      answer: <A model answer on what it cannot tell us>
"""

    def plan(self, item: SourceAnalysis, base: dict, p: Planning) -> SourceAnalysisQuestion:
        parts = []
        for i, part in enumerate(item.parts):
            answer = inline(part.answer) if p.teacher and part.answer else None
            own = part.part.strip() not in PARTS
            prompt = inline(part.prompt) or (Span(p.labels[f"ask_{part.part.strip()}"]),)
            name = (part.label or (part.part.strip().capitalize() if own else p.labels[f"part_{part.part.strip()}"])
                    ).strip()
            parts.append(PartView(numbered("part", l=LETTERS[i].lower()), name if name[-1:] in ".:?!" else f"{name}:",
                                  prompt, part.points, points_label(p.labels, part.points),
                                  p.writing(part.lines, answer, columns=2, part=LETTERS[i].lower())))
        return SourceAnalysisQuestion(**base, prompt=inline(item.prompt), parts=tuple(parts))

    def height(self, m, q: SourceAnalysisQuestion) -> float:
        inner = m.width - m.size * 2.2
        return sum(m.rich(part.prompt, inner - m.size * 2.2 - m.size * 8) + m.size * 0.4
                   + (part.writing.answer_lines + part.writing.blank_lines) * m.writing_line for part in q.parts)

    def writings(self, q: SourceAnalysisQuestion) -> list[Writing]:
        return [part.writing for part in q.parts]

    def writing_keys(self, item: SourceAnalysis) -> list:
        return [("parts", k) for k in range(len(item.parts))]

    def key_answer(self, q: SourceAnalysisQuestion, labels) -> RichText:
        return listed_answers([(f"{p.label} ", p.writing.answer or (Span(labels["answers_vary"]),)) for p in q.parts],
                              " ")

    def with_fields(self, q: SourceAnalysisQuestion, labels, field: str, title: str, pages) -> SourceAnalysisQuestion:
        from ..handout.fields import run_fields

        return replace(q, parts=tuple(replace(part, writing=run_fields(
            part.writing, f"{field}.{part.label[0]}", f"{q.label} {part.label} {part.name} {plain(part.prompt)}",
            pages)) for part in q.parts))

    def printed(self, item: SourceAnalysis) -> Iterator:
        if item.prompt:
            yield ("prompt",), item.prompt, item.prompt
        for k, part in enumerate(item.parts):
            if part.label:
                yield ("parts", k, "label"), part.label, part.label
            if part.prompt:
                yield ("parts", k, "prompt"), part.prompt, part.prompt

    def draw_word(self, d, q: SourceAnalysisQuestion) -> list:
        letters = d.new_list(d.S.NUM_PARTS)  # a), b), c)… again for every question
        out = []
        for j, part in enumerate(q.parts):
            at = ("worksheet", "items", q.number - 1, "parts", j)  # the field marks (render/docx/marks.py)
            p = d.para(d.S.PART, num=letters)
            d.run(p, part.name, d.S.STRONG)
            d.run(p, " ")
            d.marked(p, at + ("prompt",), part.prompt)
            d.run(p, "\t")
            d.marked(p, at + ("points",), part.points_label.replace(" ", d.NBSP), d.S.POINTS)
            out.append(p)
            out += d.writing(part.writing, d.S.PART_WRITING_LINE, d.S.PART_ANSWER,  # under the part's text
                             path=at + ("answer",))
        return out


TYPE = SourceAnalysisType()
