"""A worksheet item as printed: what every question has (its number, points, source line), then what its type
makes of it (see :mod:`lessonpack.items`), found through the registry — planning names no item type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..load import model as m
from ..plugins import item_types
from ..text.labels import Labels, counted, use_sources
from ..text.richtext import RichText, break_lines
from .context import PlanContext
from .views import ANSWER_SMALL, NUMBERING, Question, Writing

CHARS_PER_EM = 2.1
"""Characters of a model answer a line holds per em of its room: the model breaks the answer into lines this long.
Set a little short of what the answer type holds (about 2.3 in the built-in styles' italic serif), so that no
line the model breaks runs over its room in the PDF or in Word."""

ANSWER_MIN_CHARS = 10
"""Fewest characters the model puts on a line of an answer, however narrow its room."""


@dataclass(frozen=True)
class Planning:
    """What planning one item into a question needs: the lesson, the edition, the labels, the page's measures
    and the order versions give the item's own choices, options or events (``inner``, into their written list)."""

    lesson: m.Lesson
    teacher: bool
    labels: Labels
    context: PlanContext
    inner: tuple[int, ...]
    anchor: str = ""  # the question's id in the document
    # The lesson's pictures, read and checked when the pack was loaded: {the name as written:
    # :class:`~lessonpack.load.images.PackImage`} (an item type's own pictures among them, see ItemType.pictures).
    images: Mapping[str, Any] = field(default_factory=dict)

    def writing(self, lines: int | str, answer: RichText | None, columns: int = 1, part: str = "") -> Writing:
        """Writing lines, with a model answer set on the first of them (the teacher edition); ``part``
        names the run among the question's others (a source analysis's "a", "b"…), for its id."""
        count = 0 if lines == "fill" else int(lines)  # "fill": counted once the worksheet's pages are planned
        anchor = f"{self.anchor}-lines" + (f"-{part}" if part else "")
        if not answer:
            return Writing(count, anchor=anchor)
        indent = self.context.size * 2.2 * columns  # the question's number column (and a part's letter column)
        room = (self.context.text_width - indent) / self.context.size
        return on_lines(Writing(count, answer, answer_room=room, anchor=anchor))


def on_lines(w: Writing) -> Writing:
    """The model answer set on the writing's lines: broken into lines of its room at full size, or, when that
    needs more lines than the student has, in the smaller answer type (see :class:`~.views.Writing`). A writing
    whose lines are not counted yet ("lines: fill") is set at full size; set it again once they are."""
    if not w.answer:
        return w

    def rows(scale: float) -> tuple[RichText, ...]:
        return break_lines(w.answer, max(ANSWER_MIN_CHARS, int(w.answer_room * CHARS_PER_EM / scale)))

    full = rows(1.0)
    if not w.lines or len(full) <= w.lines:
        return replace(w, answer_rows=full, answer_small=False, answer_needs=len(full))
    return replace(w, answer_rows=rows(ANSWER_SMALL), answer_small=True, answer_needs=len(full))


def in_letter_order(ids: tuple[str, ...], lesson: m.Lesson) -> tuple[str, ...]:
    """Source ids in the order the lesson letters its sources (the order they print in); unknown ones last."""
    rank = {sid: k for k, sid in enumerate(m.source_ids(lesson.sources))}
    return tuple(sorted(ids, key=lambda sid: rank.get(sid, len(rank))))


def question(index: int, item: m.ItemModel, lesson: m.Lesson, teacher: bool, labels: Labels, context: PlanContext,
             inner: tuple[int, ...], lesson_id: str = "", images: Mapping[str, Any] | None = None) -> Question:
    """The printed form of the item printed at place ``index + 1``; ``inner`` orders its choices, options,
    events or word bank (see :mod:`.versions`); ``lesson_id`` begins the ids of what it draws; ``images`` are the
    lesson's checked pictures (:attr:`lessonpack.load.model.LessonFile.images`)."""
    n = index + 1
    points = counted(labels, "points", item.score)
    anchor = f"{lesson_id}-q{n}"
    base = dict(number=n, label=NUMBERING["question"].format(n=n), kind=item.type, points=item.score,
                points_label=f"{points} · {labels['bonus']}" if item.bonus else points, bonus=item.bonus,
                use_source=use_sources(labels, in_letter_order(item.sources, lesson)), anchor=anchor)
    return item_types()[item.type].plan(item, base, Planning(lesson, teacher, labels, context, inner, anchor,
                                                                      images or {}))
