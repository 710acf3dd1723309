"""The fillable student PDF's form fields: their names, what each one asks, and the answers that mark them.

Every field is named for the question it belongs to, as the worksheet numbers it:

- ``name``, ``date``, ``class``: the name line at the top of the first page;
- ``q3``: question 3's writing lines (a text box over them), its multiple-choice or true/false
  choice (a group of round buttons whose values are the choice letters, or ``true`` and ``false``), or its
  numeric answer box;
- ``q7.2``: blank 2 of a fill-in question, row 2 of a matching question (the letter of its partner), the
  box of the second event listed in an ordering question (its place in the order, 1 = first), or the line of
  label 2 of a labelled diagram;
- ``q8.a``: part a) of a source analysis;
- ``q4.p2``, ``q4.p3``: the boxes over the same run of writing lines on the next pages (a box never runs
  over a page, so a run that goes on over one gets a box per page);
- ``sA.3.2``: the blank cell in row 3, column 2 of Source A's table (``{blank: true}``): a data table the
  student completes. It belongs to no question, so ``collect`` lists it and gives it no marks.

A question answered on paper (a drawing) has no field. ``collect`` reads these names back; :func:`answers`
gives, for the auto-markable ones, the answers that score, and the item type judges each value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..text.labels import Labels
from ..text.richtext import plain
from ..plugins import item_types
from .views import Question, Writing

NAME_FIELDS = ("name", "date", "class")

FIELD_NAME = re.compile(r"^(?:name|date|class|q\d{1,3}(?:\.(?:\d{1,2}|[a-e]))?(?:\.p\d{1,2})?"
                        r"|s[A-Z][A-Za-z0-9]{0,3}\.\d{1,3}\.\d{1,2})$")
"""Every name lessonpack gives a field, and nothing else: the PDF keeps no other field, collect reads no other."""


def chunks(writing: Writing, field: str, pages: tuple[int, ...] | None = None) -> tuple[tuple[str, int], ...]:
    """The text boxes over a question's writing lines: (field name, lines under it), in order. ``pages`` is how
    many of the lines each page holds, measured from a layout of the form: a box never runs over a page
    (until it is measured, one box over the whole run, which lays out as the student edition's lines do)."""
    count = writing.blank_lines
    sizes = list(pages) if pages and sum(pages) == count else [count] if count else []
    return tuple((field if k == 0 else f"{field}.p{k + 1}", size) for k, size in enumerate(sizes))


def run_of(name: str) -> str:
    """The field name of a run of writing lines, given the name of any of its boxes (``q14.p2`` → ``q14``)."""
    return re.sub(r"\.p\d+$", "", name)


def run_fields(writing: Writing, name: str, title: str, pages: Mapping[str, tuple[int, ...]]) -> Writing:
    """A run of writing lines with its text boxes named from ``name`` (``q3``, then ``q3.p2`` on the next page…)
    and what a screen reader says for them."""
    return replace(writing, fields=chunks(writing, name, pages.get(name)), field_title=title)


def with_fields(q: Question, labels: Labels, pages: Mapping[str, tuple[int, ...]] | None = None) -> Question:
    """The question with the names of its fields and what a screen reader says for each (a fillable student
    edition); ``pages``: how many lines of each run of writing lines each page holds
    (measured from a layout: :func:`lessonpack.handout.measure.field_pages`). The question's own writing lines are named here; what
    else its type prints (choices, blanks, rows…) its type names."""
    pages = pages or {}
    field = f"q{q.number}"
    title = " ".join(filter(None, [q.label, q.use_source, plain(q.prompt)]))  # "12. Use Source A. Roughly how…"
    q = replace(q, field=field, field_title=title,
                writing=run_fields(q.writing, field, title, pages) if q.writing is not None else None)
    return item_types()[q.kind].with_fields(q, labels, field, title, pages)


@dataclass(frozen=True)
class Marked:
    """An auto-markable question of a form: its fields, the answers each accepts, and its points."""

    number: int
    points: float
    bonus: bool
    fields: tuple[tuple[str, tuple[str, ...]], ...]  # (field name, the answers it accepts), each worth a share
    kind: str = ""  # the item type, which judges a value against the answers (ItemType.right); "": as text


def answers(teacher: tuple[Question, ...]) -> tuple[Marked, ...]:
    """From the teacher's questions (the form's order, with answers): what marks each auto-markable question."""
    out = []
    for q in teacher:
        fields = item_types()[q.kind].marking(q, f"q{q.number}")
        if fields is not None:
            out.append(Marked(q.number, q.points, q.bonus, fields, q.kind))
    return tuple(out)
