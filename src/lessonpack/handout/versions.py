"""Versions A, B, C… of a worksheet: the order its questions print in, and the order of each one's choices.

Version A is the worksheet as written (matching options, ordering events and word banks deranged as in a
handout without versions, so a one-version build and version A print the same page). Every later version
shuffles, seeded by the lesson's id and its letter, so the same lesson and count give the same versions
on every machine:

- Questions move as groups: an item marked ``keep_with_previous`` and consecutive items about the same
  source stay together, in their written order. A group holding an item marked ``shuffle: false`` keeps
  its place; the groups between two such places shuffle among themselves.
- Multiple-choice choices shuffle (``shuffle_choices: false`` keeps them as written; ``keep_last: N``
  keeps the last N at the end); matching options, ordering events and word banks are deranged afresh
  (``shuffle_choices: false`` keeps version A's arrangement).
- A version that repeats an earlier one in every order is drawn again (seed ``<id>/<letter>/<attempt>``),
  up to :data:`ATTEMPTS` times: every version differs from the others whenever the lesson allows it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..load import model as m
from ..plugins import item_types

letters = m.version_letters

ATTEMPTS = 50
"""Draws per version before accepting one that repeats an earlier version (a lesson with too little to shuffle)."""


@dataclass(frozen=True)
class Arrangement:
    """One version of a worksheet: which written item prints at each place, and each item's own order.

    ``order[k]`` is the written index of the item printed k-th; ``inner[i]`` is the order of written item
    i's choices (multiple choice), right-hand options (matching), events (ordering) or word bank (fill-in),
    as indices into their written list; empty for items with nothing to arrange.
    """

    letter: str  # "" without versions
    order: tuple[int, ...]
    inner: tuple[tuple[int, ...], ...]


def derange(values: list, seed: str) -> list[int]:
    """A deterministic shuffle of ``range(len(values))`` that moves every entry it can."""
    n = len(values)
    order = list(range(n))
    if n < 2:
        return order
    rng = random.Random(seed)  # str seeds hash with SHA-512: stable across runs and machines
    for _ in range(100):
        rng.shuffle(order)
        if all(order[i] != i for i in range(n)) and _moved(values, order):
            return order
    return order[1:] + order[:1]  # pragma: no cover - a rotation is always a derangement


def _moved(values: list, order: list[int]) -> bool:
    # Equal texts (two identical events) swapping places would still look unshuffled.
    return all(values[order[i]] != values[i] for i in range(len(values))) or len(set(values)) < len(values)


def arrange(lesson: m.Lesson, lesson_id: str, letter: str = "") -> Arrangement:
    """The arrangement of one version (``letter``) of the lesson's worksheet; "" or "A": as written."""
    if letter in ("", "A"):
        items = list(lesson.worksheet.items) if lesson.worksheet else []
        return Arrangement(letter, tuple(range(len(items))), _written(items, lesson, lesson_id))
    return arrangements(lesson, lesson_id, m.LETTERS.index(letter) + 1)[-1]


def arrangements(lesson: m.Lesson, lesson_id: str, count: int) -> list[Arrangement]:
    """Versions A, B, C… up to ``count``, each drawn until it differs from every earlier one (if it can)."""
    items = list(lesson.worksheet.items) if lesson.worksheet else []
    written = _written(items, lesson, lesson_id)
    out = [Arrangement("A", tuple(range(len(items))), written)]
    seen = {_signature(out[0])}
    for letter in m.LETTERS[1:count]:
        draws = (_draw(items, lesson, lesson_id, letter, attempt, written) for attempt in range(ATTEMPTS))
        first = chosen = next(draws)
        while _signature(chosen) in seen:  # a repeat: draw again, or keep the first if every draw repeats
            chosen = next(draws, None) or first
            if chosen is first:
                break
        seen.add(_signature(chosen))
        out.append(chosen)
    return out[:max(1, count)]


def _signature(a: Arrangement) -> tuple:
    return a.order, a.inner


def _written(items: list, lesson: m.Lesson, lesson_id: str) -> tuple[tuple[int, ...], ...]:
    """Version A's inner orders, each as its item's type decides (choices as written; options, events and word
    banks deranged by the item's written number, as a handout without versions has always had them)."""
    types = item_types()
    return tuple(types[item.type].written_order(item, lesson, f"{lesson_id}/{i + 1}") for i, item in enumerate(items))


def _draw(items: list, lesson: m.Lesson, lesson_id: str, letter: str, attempt: int,
          written: tuple[tuple[int, ...], ...]) -> Arrangement:
    seed = f"{lesson_id}/{letter}/{attempt}"
    rng = random.Random(seed + "/order")  # str seeds hash with SHA-512: stable across runs and machines
    order: list[int] = []
    for fixed, segment in _segments(_groups(items), items):
        if not fixed:
            rng.shuffle(segment)
        order += [i for group in segment for i in group]
    types = item_types()
    inner = tuple(types[item.type].shuffled_order(item, lesson, f"{seed}/{i + 1}", written[i])
                  for i, item in enumerate(items))
    return Arrangement(letter, tuple(order), inner)


def _groups(items: list) -> list[list[int]]:
    """Written indices in groups that move together: kept with the previous item, or about the same source."""
    groups: list[list[int]] = []
    for i, item in enumerate(items):
        joined = i > 0 and (item.keep_with_previous or (item.source is not None and item.source == items[i - 1].source))
        if joined:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _segments(groups: list[list[int]], items: list) -> list[tuple[bool, list[list[int]]]]:
    """The groups in runs: a pinned group alone (fixed), and the runs of free groups between pinned ones."""
    out: list[tuple[bool, list[list[int]]]] = []
    for group in groups:
        pinned = any(not items[i].shuffle for i in group)
        if pinned or not out or out[-1][0]:
            out.append((pinned, [group]))
        else:
            out[-1][1].append(group)
    return out
