"""A worksheet item as printed: what every question has (its number, points, source line), then what its type
makes of it (see :mod:`lessonpack.items`), found through the registry — planning names no item type."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..load import model as m
from ..plugins import item_types
from ..text.labels import Labels, counted
from ..text.richtext import RichText, plain
from .context import PlanContext
from .views import NUMBERING, Question, Writing

CHARS_PER_EM = 2.0
"""Average characters per em of body text, for estimating how many lines a model answer takes."""


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
        """Writing lines, with a model answer flowing over the first of them (the teacher edition); ``part``
        names the run among the question's others (a source analysis's "a", "b"…), for its id."""
        count = 0 if lines == "fill" else int(lines)  # "fill": counted once the worksheet's pages are planned
        anchor = f"{self.anchor}-lines" + (f"-{part}" if part else "")
        if not answer:
            return Writing(count, anchor=anchor)
        indent = self.context.size * 2.2 * columns  # the question's number column (and a part's letter column)
        per_line = max(10, int((self.context.text_width - indent) / self.context.size * CHARS_PER_EM))
        return Writing(count, answer, max(1, math.ceil(len(plain(answer)) / per_line)), anchor=anchor)




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
                use_source=labels["use_source"].format(id=item.source) if item.source else "", anchor=anchor)
    return item_types()[item.type].plan(item, base, Planning(lesson, teacher, labels, context, inner, anchor,
                                                                      images or {}))
