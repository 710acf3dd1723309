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
    """Version A's inner orders: choices as written; the rest deranged by the item's written number."""
    out = []
    for i, item in enumerate(items):
        values = _arranged_values(item, lesson)
        if isinstance(item, m.MultipleChoice) or not values:
            out.append(tuple(range(len(values))))
        else:
            out.append(tuple(derange(values, f"{lesson_id}/{i + 1}/{_SUFFIX[item.type]}")))
    return tuple(out)


_SUFFIX = {"matching": "right", "ordering": "events", "fill_in_blank": "bank"}
"""The seed's last part for each deranged list (as a handout without versions has always used)."""


def _arranged_values(item: m._Item, lesson: m.Lesson) -> list[str]:
    """The list an item's inner order arranges (empty: nothing to arrange)."""
    if isinstance(item, m.MultipleChoice):
        return item.texts
    if isinstance(item, m.Matching):
        return [right for _, right in matching_pairs(item, lesson)] + list(item.extra)
    if isinstance(item, m.Ordering):
        return list(item.events)
    if isinstance(item, m.FillInBlank) and item.word_bank:
        return word_bank(item)
    return []


def matching_pairs(item: m.Matching, lesson: m.Lesson) -> list[tuple[str, str]]:
    """A matching item's (left, right) pairs: its own, or the lesson's first key terms."""
    if item.pairs:
        return [(p.left, p.right) for p in item.pairs]
    return [(t.term, t.definition) for t in lesson.key_terms[: item.count or len(lesson.key_terms)]]


def word_bank(item: m.FillInBlank) -> list[str]:
    """The words of a fill-in item's bank before shuffling: each blank's answer, then the distractors, once each."""
    return list(dict.fromkeys([alternatives[0] for alternatives in item.blanks()] + [e.strip() for e in item.extra]))


def _draw(items: list, lesson: m.Lesson, lesson_id: str, letter: str, attempt: int,
          written: tuple[tuple[int, ...], ...]) -> Arrangement:
    seed = f"{lesson_id}/{letter}/{attempt}"
    rng = random.Random(seed + "/order")  # str seeds hash with SHA-512: stable across runs and machines
    order: list[int] = []
    for fixed, segment in _segments(_groups(items), items):
        if not fixed:
            rng.shuffle(segment)
        order += [i for group in segment for i in group]
    inner = []
    for i, item in enumerate(items):
        values = _arranged_values(item, lesson)
        if not values or not getattr(item, "shuffle_choices", True):
            inner.append(written[i])
        elif isinstance(item, m.MultipleChoice):
            inner.append(_choices(item, random.Random(f"{seed}/{i + 1}/choices")))
        else:
            inner.append(tuple(derange(values, f"{seed}/{i + 1}/{_SUFFIX[item.type]}")))
    return Arrangement(letter, tuple(order), tuple(inner))


def _choices(item: m.MultipleChoice, rng: random.Random) -> tuple[int, ...]:
    """A multiple-choice item's choices shuffled, except those pinned (``shuffle: false`` on a choice, or among
    the last ``keep_last``), which keep their places."""
    pinned = item.pinned
    free = [k for k in range(len(item.choices)) if k not in pinned]
    moved = iter(rng.sample(free, len(free)))
    return tuple(k if k in pinned else next(moved) for k in range(len(item.choices)))


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
