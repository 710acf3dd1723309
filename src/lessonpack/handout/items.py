"""Worksheet items as printed: one function per item type, from the lesson's item to a :class:`Question`."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from ..load import model as m
from ..text.labels import Labels, counted
from ..text.richtext import RichText, Span, inline, plain
from .versions import matching_pairs, word_bank
from .views import NUMBERING, Blank, Choice, MatchRow, OrderRow, PartView, Question, Writing

if TYPE_CHECKING:
    from .plan import PlanContext

LETTERS = m.LETTERS

SHORT_CHOICE = 28
"""Characters in the longest choice for choices to sit two to a row (when the style allows two)."""

CHARS_PER_EM = 2.0
"""Average characters per em of body text, for estimating how many lines a model answer takes."""


def question(index: int, item: m._Item, lesson: m.Lesson, teacher: bool, labels: Labels, context: PlanContext,
             inner: tuple[int, ...]) -> Question:
    """The printed form of the item printed at place ``index + 1``; ``inner`` orders its choices, options,
    events or word bank (see :mod:`.versions`)."""
    n = index + 1
    points = counted(labels, "points", item.score)
    base = dict(number=n, label=NUMBERING["question"].format(n=n), kind=item.type, points=item.score,
                points_label=f"{points} · {labels['bonus']}" if item.bonus else points, bonus=item.bonus,
                use_source=labels["use_source"].format(id=item.source) if item.source else "")
    build: Callable[..., Question] = _BUILDERS[item.type]
    return build(item, base=base, lesson=lesson, inner=inner, teacher=teacher, labels=labels, context=context)


def _multiple_choice(item: m.MultipleChoice, *, base, inner, teacher, context, **_) -> Question:
    choices = tuple(Choice(LETTERS[i], NUMBERING["choice"].format(L=LETTERS[i]), inline(c), teacher and c == item.answer)
                    for i, c in enumerate(item.texts[k] for k in inner))
    short = max(len(plain(c.text)) for c in choices) <= SHORT_CHOICE
    return Question(**base, prompt=inline(item.prompt), choices=choices,
                    choices_per_row=context.choices_per_row if short else 1)


def _true_false(item: m.TrueFalse, *, base, teacher, labels, **_) -> Question:
    options = tuple(Choice("", "", (Span(labels[word]),), teacher and item.answer == value)
                    for word, value in (("true", True), ("false", False)))
    return Question(**base, prompt=inline(item.prompt), options=options)


def _writing(lines: int | str, answer: RichText | None, context: PlanContext, columns: int = 1) -> Writing:
    lines = 0 if lines == "fill" else int(lines)  # "fill": counted once the worksheet's pages are planned
    if not answer:
        return Writing(lines)
    indent = context.size * 2.2 * columns  # the question's number column (and a part's letter column)
    per_line = max(10, int((context.text_width - indent) / context.size * CHARS_PER_EM))
    return Writing(lines, answer, max(1, math.ceil(len(plain(answer)) / per_line)))


def _short_answer(item: m.ShortAnswer, *, base, teacher, context, **_) -> Question:
    answer = inline(item.answer) if teacher and item.answer else None
    return Question(**base, prompt=inline(item.prompt), writing=_writing(item.lines, answer, context))


def _essay(item: m.Essay, *, base, teacher, labels, context, **_) -> Question:
    rubric = tuple(inline(r) for r in item.rubric) if teacher else ()
    return Question(**base, prompt=inline(item.prompt), writing=_writing(item.lines, None, context), rubric=rubric,
                    rubric_label=labels["rubric"] if rubric else "")


def _fill_in_blank(item: m.FillInBlank, *, base, inner, teacher, labels, **_) -> Question:
    segments: list[RichText | Blank] = []
    answers: list[str] = []
    longest = 0
    pos = 0
    for number, (start, end, between) in enumerate(m.scan_blanks(item.text).spans, 1):
        if start > pos:
            segments.append(_keep_spaces(item.text[pos:start]))
        alternatives = [a.strip() for a in between.split("|")]
        answers.append(alternatives[0])
        longest = max(longest, max(len(a) for a in alternatives))
        segments.append(Blank(number, 0, alternatives[0] if teacher else None,
                              tuple(alternatives) if teacher else ()))
        pos = end
    if pos < len(item.text):
        segments.append(_keep_spaces(item.text[pos:]))
    # Every blank of a question is as wide as the longest answer needs by hand (handwriting runs wider
    # than type): equal widths, so the length of a blank gives no answer away.
    width = max(12, math.ceil(longest * 1.3) + 2)
    segments = [replace(s, width=width) if isinstance(s, Blank) else s for s in segments]
    bank: tuple[str, ...] = ()
    if item.word_bank:  # the answers and the author's distractors, shuffled together
        unique = word_bank(item)
        bank = tuple(unique[i] for i in inner)
    default = labels["do_fill_in_blank_bank" if bank else "do_fill_in_blank"]
    return Question(**base, prompt=inline(item.prompt) or (Span(default),), segments=tuple(segments),
                    word_bank=bank, word_bank_label=labels["word_bank"] if bank else "")


def _keep_spaces(text: str) -> RichText:
    """Inline Markdown of a piece between blanks, keeping the spaces that separate it from them."""
    core = inline(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return ((Span(lead),) if lead else ()) + core + ((Span(trail),) if trail else ())


def _matching(item: m.Matching, *, base, lesson, inner, teacher, labels, **_) -> Question:
    pairs = matching_pairs(item, lesson)
    options = [r for _, r in pairs] + list(item.extra)  # the distractors are lettered options, never answers
    order = inner
    letter_of = {src: LETTERS[i] for i, src in enumerate(order)}
    right = tuple(Choice(LETTERS[i], NUMBERING["match_right"].format(L=LETTERS[i]), inline(options[src]))
                  for i, src in enumerate(order))
    left = tuple(MatchRow(n + 1, NUMBERING["match_left"].format(n=n + 1), inline(text), letter_of[n] if teacher else None)
                 for n, (text, _) in enumerate(pairs))
    return Question(**base, prompt=inline(item.prompt) or (Span(labels["do_matching"]),), left=left, right=right)


def _ordering(item: m.Ordering, *, base, inner, teacher, labels, **_) -> Question:
    rows = tuple(OrderRow(inline(item.events[src]), src + 1 if teacher else None) for src in inner)
    prompt = inline(item.prompt) or (Span(labels["do_ordering"].format(n=len(rows))),)
    return Question(**base, prompt=prompt, events=rows)


def _source_analysis(item: m.SourceAnalysis, *, base, teacher, labels, context, **_) -> Question:
    parts = []
    for i, part in enumerate(item.parts):
        answer = inline(part.answer) if teacher and part.answer else None
        prompt = inline(part.prompt) or (Span(labels[f"ask_{part.part}"]),)
        name = (part.label or labels[f"part_{part.part}"]).strip()
        parts.append(PartView(NUMBERING["part"].format(l=LETTERS[i].lower()), name if name[-1:] in ".:?!" else f"{name}:",
                              prompt, part.points, counted(labels, "points", part.points),
                              _writing(part.lines, answer, context, columns=2)))
    return Question(**base, prompt=inline(item.prompt), parts=tuple(parts))


_BUILDERS: dict[str, Callable[..., Question]] = {
    "multiple_choice": _multiple_choice, "true_false": _true_false, "short_answer": _short_answer,
    "essay": _essay, "fill_in_blank": _fill_in_blank, "matching": _matching, "ordering": _ordering,
    "source_analysis": _source_analysis,
}
assert set(_BUILDERS) == set(m.ITEM_CLASSES), "every item type in the registry has a builder"
