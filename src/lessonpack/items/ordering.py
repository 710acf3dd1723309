"""Ordering: events students number in order, from 1 (first), written in the correct order and printed
deranged; an event that gives its date away is a teaching lint (``ordering-date``).

Versions derange the events afresh; the form has a box before each event; ``collect`` marks each box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Annotated, Iterator, Literal

from pydantic import Field

from ..handout.views import Question
from ..load.model import ItemModel, NonBlank, Text
from ..text.richtext import RichText, Span, inline, plain
from .base import ItemType, Planning


class Ordering(ItemModel):
    """ordering: events students put in order."""

    example = "prompt: ..., events: [first, second, ...] (in the correct order)"
    type: Literal["ordering"]
    prompt: Text | None = Field(None, description="An instruction.")
    events: Annotated[list[NonBlank], Field(min_length=2, max_length=26)] = Field(
        description="2 to 26 events in the correct order (the handout shuffles them); leave the dates out.")
    shuffle_choices: bool = Field(True, description="false: the events keep version A's order in every version.")


@dataclass(frozen=True)
class OrderRow:
    """An event as printed, with the box for its place in the order."""

    text: RichText
    position: int | None = None  # 1 = first; teacher edition only
    field: str = ""  # the form field's name (the fillable edition): "q6.3"
    field_title: str = ""  # what a screen reader says for it: the question number and the event


@dataclass(frozen=True)
class OrderingQuestion(Question):
    """An ordering question as printed: its events, deranged."""

    events: tuple[OrderRow, ...] = ()


_YEAR = re.compile(r"(?<![\w])(?:1\d{3}|20\d{2})(?:s|['’]s)?(?![\w])")
_MONTHS = "January|February|April|June|July|August|September|October|November|December"
_MONTH = re.compile(rf"\b(?:{_MONTHS})\b")  # May and March also name other things: only beside a number
_ANY_MONTH = rf"(?:{_MONTHS}|May|March|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_ANY_MONTH}(?:,?\s+\d{{4}}\b)?"
                        rf"|\b{_ANY_MONTH}\s+\d{{1,4}}\b(?:,\s*\d{{4}}\b)?")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b")
_DATES = (_NUMERIC_DATE, _DAY_MONTH, _YEAR, _MONTH)


def date_in(text: str) -> str | None:
    """The first date written in a text: a year (1000–2099, or a decade such as 1920s), a month's name, a day
    and month ("21 May"), or a date in figures ("21/1/1924"); None if there is none."""
    found = [match for pattern in _DATES if (match := pattern.search(text))]
    return min(found, key=lambda match: (match.start(), -match.end())).group(0) if found else None


class OrderingType(ItemType):
    name = "ordering"
    model = Ordering
    shuffle_seed = "events"
    lint_names = {"ordering-date": "an ordering event gives its date away"}
    skeleton = """\
- type: ordering
  prompt: <An instruction, such as Number the events in order, 1 for the earliest>
  events:                             # in the correct order (the handout shuffles them); no dates
    - <The earliest event>
    - <The next event>
    - <The latest event>
"""

    def rules(self, item: Ordering, check) -> None:
        check.repeats(item.events, ("events",), "event")

    def plan(self, item: Ordering, base: dict, p: Planning) -> OrderingQuestion:
        rows = tuple(OrderRow(inline(item.events[src]), src + 1 if p.teacher else None) for src in p.inner)
        prompt = inline(item.prompt) or (Span(p.labels["do_ordering"].format(n=len(rows))),)
        return OrderingQuestion(**base, prompt=prompt, events=rows)

    def height(self, m, q: OrderingQuestion) -> float:
        inner = m.width - m.size * 2.2
        return sum(max(m.rich(e.text, inner - m.size * 3), m.size * 2.2) for e in q.events)

    def key_answer(self, q: OrderingQuestion, labels) -> str:
        return labels["order_key"].format(order=self.grid_answer(q, labels, 0))

    def grid_answer(self, q: OrderingQuestion, labels, written: int) -> str:
        return ", ".join(str(e.position) for e in q.events)

    def arranged(self, item: Ordering, lesson) -> list[str]:
        return list(item.events)

    def with_fields(self, q: OrderingQuestion, labels, field: str, title: str, pages) -> OrderingQuestion:
        return replace(q, events=tuple(replace(e, field=f"{field}.{k}", field_title=f"{q.label} {plain(e.text)}")
                                       for k, e in enumerate(q.events, 1)))

    def marking(self, q: OrderingQuestion, field: str):
        return tuple((f"{field}.{k}", (str(e.position),)) for k, e in enumerate(q.events, 1))

    def printed(self, item: Ordering) -> Iterator:
        if item.prompt:
            yield ("prompt",), item.prompt, item.prompt
        for k, event in enumerate(item.events):
            yield ("events", k), event, event

    def lints(self, item: Ordering, lint) -> Iterator:
        for k, event in enumerate(item.events):
            date = date_in(event)
            if date:
                yield lint.finding("ordering-date", ("events", k), f'"{event.strip()}" gives its date away',
                                   f'leave "{date}" out: students should order the events by what they know, and a '
                                   "printed date gives the order away")

    def draw_word(self, d, q: OrderingQuestion) -> list:
        s = d.geo.size
        box_w = round(s * 3.6, 1)
        widths = [box_w, round(d.geo.text_width - d.geo.indent - box_w, 1)]
        table = d.table(widths, d.S.PLAIN_TABLE, indent=d.geo.indent)
        out = []
        for j, event in enumerate(q.events):
            row = d.row(table, widths)
            box = d.cell_para(row.cells[0], d.S.ORDER_BOX)
            if event.position is not None:
                d.run(box, str(event.position), d.S.ANSWER_CHAR)
            else:
                d.run(box, d.NBSP)
            d.centre_vertically(row.cells[1])
            text = d.cell_para(row.cells[1], d.S.TABLE_TEXT)
            d.marked(text, ("worksheet", "items", q.number - 1, "events", j), event.text)  # as printed: marks.py
            out += [box, text]
        return out


TYPE = OrderingType()
