"""Multiple choice: a question with two to eight lettered choices, one of them correct.

Short choices sit two to a row where the style allows it. Versions move the choices, except those pinned
(``{text: All of the above, shuffle: false}``, or the last ``keep_last``): the correct answer goes round the
movable letters, never at version A's letter again once three or more choices move (see
:func:`lessonpack.handout.versions.spread`), and the other choices are deranged around it. The form has one
group of round buttons whose values are the letters; the teacher edition marks the right choice with ✔ and
the key gives "B — General secretary".
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Annotated, Any, Iterator, Literal

from pydantic import BeforeValidator, Field

from ..handout.versions import derange, spread
from ..handout.views import Choice, Question
from ..load.model import LETTERS, ItemModel, NonBlank, Strict, Whole
from ..text.richtext import RichText, Span, inline, plain
from .base import ItemType, Planning, numbered

SHORT_CHOICE = 28
"""Characters in the longest choice for choices to sit two to a row (when the style allows two)."""

LONG_RATIO, LONG_MARGIN = 1.5, 15
"""``long-answer``: the answer is more than 1.5 times as long as the longest other choice, and 15 characters longer."""

_ABOVE = re.compile(r"\b(?:all|none) of the above\b", re.IGNORECASE)


class ChoiceEntry(Strict):
    """One choice of a multiple-choice item: its text, written alone, or as a mapping to pin it in place."""

    text: NonBlank = Field(description="The choice as printed.")
    shuffle: bool = Field(True, description="false: the choice keeps its place in every version (\"All of the "
                                            "above\").")


def _choice_shorthand(value: Any) -> Any:
    """``- General secretary`` is short for ``- {text: General secretary}``."""
    return value if isinstance(value, dict) else {"text": value}


class MultipleChoice(ItemModel):
    """multiple_choice: a question with 2 to 8 lettered choices, one of them correct."""

    example = "prompt: ..., choices: [..., ...], answer: (the exact text of one choice)"
    type: Literal["multiple_choice"]
    prompt: NonBlank = Field(description="The question.")
    choices: Annotated[list[Annotated[ChoiceEntry, BeforeValidator(_choice_shorthand)]],
                       Field(min_length=2, max_length=8)] = Field(
        description="2 to 8 choices, printed in this order and lettered A, B, C…; write one as {text: ..., shuffle: "
                    "false} to keep its place when versions shuffle the choices.")
    answer: NonBlank = Field(description="The exact text of the correct choice.")
    shuffle_choices: bool = Field(True, description="false: the choices keep their written order in every version.")
    keep_last: Annotated[int, Field(ge=0, le=7), Whole] = Field(
        0, description="The last N choices (\"All of the above\") stay last in every version.")

    @property
    def texts(self) -> list[str]:
        """The choices' texts, in the written order."""
        return [choice.text for choice in self.choices]

    @property
    def pinned(self) -> set[int]:
        """The choices that keep their places in every version: written with ``shuffle: false``, or among the
        last ``keep_last``."""
        n = len(self.choices)
        return {k for k, choice in enumerate(self.choices) if not choice.shuffle} | set(range(n - self.keep_last, n))


@dataclass(frozen=True)
class ChoiceQuestion(Question):
    """A multiple-choice question as printed: its lettered choices, ``choices_per_row`` to a row."""

    choices: tuple[Choice, ...] = ()
    choices_per_row: int = 1  # short choices sit two to a row


class MultipleChoiceType(ItemType):
    name = "multiple_choice"
    model = MultipleChoice
    shuffle_seed = "choices"
    lint_names = {"long-answer": "a multiple-choice answer is much longer than every other choice",
                  "all-of-the-above": 'the correct answer is the only "all/none of the above" choice'}
    skeleton = """\
- type: multiple_choice
  prompt: <A question with one correct choice>
  choices:                            # 2 to 8, printed in this order
    - <A wrong choice>
    - <The correct choice>
    - <Another wrong choice>
  answer: <The correct choice>        # the exact text of the correct choice
"""

    def rules(self, item: MultipleChoice, check) -> None:
        check.repeats(item.texts, ("choices",), "choice")
        if item.answer not in item.texts:
            shown = ", ".join(item.texts)
            if len(shown) > 70:
                shown = shown[:69].rstrip(", ") + "…"
            close = [c for c in item.texts if c.strip().casefold() == item.answer.strip().casefold()]
            guess = close[0] if close else check.did_you_mean(item.answer, item.texts)
            check.error(("answer",), f'"{item.answer}" is not one of the choices ({shown})',
                        f'the answer must be the exact text of one choice; did you mean "{guess}"?' if guess
                        else "copy the correct choice's text into answer:")
        if item.keep_last >= len(item.texts):
            check.error(("keep_last",), f"keeps the last {item.keep_last} of {len(item.texts)} choices in place, so "
                        "nothing is left to shuffle", "keep_last counts the choices that stay at the end, such as 1 "
                        'for "All of the above"; to keep every choice in place, write shuffle_choices: false')
        else:
            n, pinned = len(item.choices), item.pinned
            if item.shuffle_choices and n - len(pinned) < 2:
                check.error(("choices",), f"{len(pinned)} of the {n} choices keep their places (shuffle: false or "
                            "keep_last), so versions cannot shuffle the others",
                            "leave at least two choices free to move, or write shuffle_choices: false to keep every "
                            "choice in place", severity="warning")

    def plan(self, item: MultipleChoice, base: dict, p: Planning) -> ChoiceQuestion:
        choices = tuple(Choice(LETTERS[i], numbered("choice", L=LETTERS[i]), inline(c), p.teacher and c == item.answer)
                        for i, c in enumerate(item.texts[k] for k in p.inner))
        short = max(len(plain(c.text)) for c in choices) <= SHORT_CHOICE
        return ChoiceQuestion(**base, prompt=inline(item.prompt), choices=choices,
                              choices_per_row=p.context.choices_per_row if short else 1)

    def height(self, m, q: ChoiceQuestion) -> float:
        width = (m.width - m.size * 2.2) / q.choices_per_row - m.size * 2
        return sum(max(m.rich(c.text, width), m.line) + m.size * 0.35 for c in q.choices[::q.choices_per_row])

    def key_answer(self, q: ChoiceQuestion, labels) -> RichText:
        right = next(c for c in q.choices if c.correct)
        return (Span(f"{right.letter} — "), *right.text)

    def grid_answer(self, q: ChoiceQuestion, labels, written: int) -> str:
        return next(c.letter for c in q.choices if c.correct)

    def arranged(self, item: MultipleChoice, lesson) -> list[str]:
        return item.texts

    def written_order(self, item: MultipleChoice, lesson, seed: str) -> tuple[int, ...]:
        return tuple(range(len(item.choices)))  # as written

    def version_order(self, item: MultipleChoice, lesson, draw, written: tuple[int, ...]) -> tuple[int, ...]:
        """The choices of a later version: pinned ones in their places; the correct answer, when it may move, at
        the movable place :func:`~lessonpack.handout.versions.spread` gives this version; the other movable
        choices deranged around it (none where version A has it, whenever the places allow)."""
        if not item.shuffle_choices:
            return written
        n, pinned = len(item.choices), item.pinned
        free = [k for k in range(n) if k not in pinned]  # the movable places: version A has choice k at k
        answer = item.texts.index(item.answer) if item.answer in item.texts else -1
        order = list(range(n))
        target = answer
        if answer in free:
            target = free[spread(free.index(answer), len(free), draw.version, f"{draw.item_seed}/answer")]
            order[target] = answer
        wrong = [k for k in free if k != answer]
        places = [k for k in free if k != target]
        if target == answer:  # the answer stays (pinned, or back home): the others are deranged among themselves
            moved = [wrong[k] for k in derange(wrong, f"{draw.seed}/{self.shuffle_seed}")]
        else:
            moved = _around(wrong, places, random.Random(f"{draw.seed}/{self.shuffle_seed}"))
        for place, k in zip(places, moved):
            order[place] = k
        return tuple(order)

    def marking(self, q: ChoiceQuestion, field: str):
        return ((field, tuple(c.letter for c in q.choices if c.correct)),)

    def asks(self, item: MultipleChoice) -> str | None:
        return item.prompt

    def printed(self, item: MultipleChoice) -> Iterator:
        yield ("prompt",), item.prompt, item.prompt
        for k, text in enumerate(item.texts):
            yield ("choices", k), text, text

    def lints(self, item: MultipleChoice, lint) -> Iterator:
        k = item.texts.index(item.answer)
        sub = ("choices", k)
        others = [c.strip() for c in item.texts if c != item.answer]
        longest, length = max(len(c) for c in others), len(item.answer.strip())
        if length > LONG_RATIO * longest and length - longest >= LONG_MARGIN:
            yield lint.finding("long-answer", sub, f"the correct answer is much longer than every other choice "
                               f"({length} characters, the longest other {longest})",
                               "students learn to pick the longest choice: shorten the answer, or give the other "
                               "choices as much detail")
        if _ABOVE.search(item.answer) and not any(_ABOVE.search(c) for c in others):
            phrase = _ABOVE.search(item.answer).group(0).lower()  # type: ignore[union-attr]
            yield lint.finding("all-of-the-above", sub, f'the correct answer is the only "{phrase}" choice',
                               f'students learn that "{phrase}" is the answer whenever it is offered: use it as a '
                               "wrong choice too, or replace it with a specific answer")

    def draw_word(self, d, q: ChoiceQuestion) -> list:
        letters = d.new_list(d.S.NUM_CHOICES)  # A, B, C… again for every question
        cells = d.choice_cells(q.choices_per_row, len(q.choices), keep=q.keep_whole)
        out = []
        for j, (choice, cell) in enumerate(zip(q.choices, cells)):
            p = d.para(d.S.CHOICE, num=letters) if cell is None else d.cell_para(cell, d.S.CHOICE, num=letters)
            if cell is not None:  # in a cell, the table already holds the question's indent
                d.hang(p, d.geo.sub_indent)
            at = ("worksheet", "items", q.number - 1, "choices", j)  # as printed (see render/docx/marks.py)
            if choice.correct:
                d.marked(p, at, choice.text, d.S.ANSWER_CHAR)
                d.run(p, f" {d.h.correct_mark}", d.S.ANSWER_MARK)
            else:
                d.marked(p, at, choice.text)
            out.append(p)
        return out


def _around(wrong: list[int], places: list[int], rng: random.Random) -> list[int]:
    """The wrong choices (by written place) in ``places``, in an order that leaves none at its written place:
    drawn at random, or (a hundred draws each leaving one in place) the chain of :func:`_chain`."""
    for _ in range(100):
        order = rng.sample(wrong, len(wrong))
        if all(k != place for k, place in zip(order, places)):
            return order
    return _chain(wrong, places)


def _chain(wrong: list[int], places: list[int]) -> list[int]:  # pragma: no cover - a draw succeeds 1 time in 3 or more
    """A derangement that always exists when the answer moved: the wrong choice at the answer's new place moves to
    the next wrong choice's place, that one to the next's, and the last to the answer's old place (which no wrong
    choice had)."""
    start = next(k for k in wrong if k not in places)
    chain = [start, *(k for k in wrong if k != start)]
    to = dict(zip(chain, [*chain[1:], next(p for p in places if p not in wrong)]))
    return [next(k for k, p in to.items() if p == place) for place in places]


TYPE = MultipleChoiceType()
