"""Versions A, B, C… of a worksheet: the order its questions print in, and the order of each one's choices.

Version A is the worksheet as written (matching options, ordering events and word banks deranged as in a
handout without versions, so a one-version build and version A print the same page). Every later version
shuffles, seeded by the lesson's id and its letter, so the same lesson and count give the same versions
on every machine, and version C is the same whether three versions are built or ten:

- Questions move as groups: an item marked ``keep_with_previous`` and consecutive items that share a
  source stay together, in their written order. A group holding an item marked ``shuffle: false`` keeps
  its place (an essay's ``shuffle`` is false unless written); the groups between two such places shuffle
  among themselves.
- Sources stay in letter order. A source prints just before the first question that uses it (unless its ``place:``
  puts it after the reading or at the worksheet's start, where no order of the questions moves it), so after the
  draw the groups that use sources are put back into the places they drew, in an order that first uses the
  sources in the order of ``sources:`` (:func:`letter_order`); the other groups keep the places they drew.
- Multiple-choice choices move (``shuffle_choices: false`` keeps them as written; ``keep_last: N`` and a
  choice's ``shuffle: false`` keep those in place): the correct answer never sits at version A's letter
  again, and its letter goes round the other movable places before any holds it twice (with only two
  movable choices, the two swap in B, D, F… and stand as in A in C, E…; :func:`spread`); the other
  choices are deranged around it. Matching options, ordering events and word banks are deranged
  afresh (``shuffle_choices: false`` keeps version A's arrangement).
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
class Draw:
    """What one later version's order of one item's choices (options, events…) is drawn from.

    ``seed`` differs for every version and every draw of it (``<id>/<letter>/<attempt>/<item>``): a fresh
    shuffle. ``item_seed`` is the item's own, the same in every version (``<id>/<item>``), and ``version`` is
    the version's place (1 for B, 2 for C…): together they let an item type plan an order across versions
    (:func:`spread`) that depends on neither the draw nor how many versions are built.
    """

    seed: str
    item_seed: str
    version: int


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


def spread(home: int, n: int, version: int, seed: str) -> int:
    """The place (0 to ``n`` - 1) an answer takes in the version at ``version`` (0 for A, 1 for B…) among ``n``
    movable places, ``home`` being its place in version A.

    With three or more places the answer never takes ``home`` again, and goes round the other ``n`` - 1 places
    in rounds, each round in an order drawn from ``seed`` and the round's number: over ``k`` versions, no other
    place holds it more than ceil((k - 1) / (n - 1)) times, and any two differ by one at most. With two places
    it takes the other place in B, D, F… and ``home`` in C, E… (never at ``home`` again would make every later
    version alike). With one, it stays.
    """
    if version <= 0 or n < 2:
        return home
    if n == 2:
        return home if version % 2 == 0 else 1 - home
    others = [k for k in range(n) if k != home]
    rounds, at = divmod(version - 1, n - 1)
    random.Random(f"{seed}/{rounds}").shuffle(others)  # str seeds hash with SHA-512: stable across machines
    return others[at]


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
    segments = _segments(_groups(items), items)
    for fixed, segment in segments:
        if not fixed:
            rng.shuffle(segment)
    first_use = [sid for sid, src in zip(m.source_ids(lesson.sources), lesson.sources) if src.place == "first-use"]
    order = [i for _, segment in letter_order(segments, items, first_use) for group in segment for i in group]
    types = item_types()
    version = m.LETTERS.index(letter)
    inner = tuple(types[item.type].version_order(item, lesson, Draw(f"{seed}/{i + 1}", f"{lesson_id}/{i + 1}",
                                                                    version), written[i])
                  for i, item in enumerate(items))
    return Arrangement(letter, tuple(order), inner)


def _groups(items: list) -> list[list[int]]:
    """Written indices in groups that move together: kept with the previous item, or about the same source."""
    groups: list[list[int]] = []
    for i, item in enumerate(items):
        joined = i > 0 and (item.keep_with_previous or bool(set(item.sources) & set(items[i - 1].sources)))
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


def letter_order(segments: list[tuple[bool, list[list[int]]]], items: list, ids: list[str]
                 ) -> list[tuple[bool, list[list[int]]]]:
    """The drawn segments with the groups that use sources reordered among the places they drew, so that the
    sources are first used (and so printed) in the order of ``ids``, the lesson's ``sources:``.

    The places stay as drawn; which source group takes which place is chosen in the drawn order: each place
    gets the first group still waiting whose new sources are the next ones in letter order (a group that uses
    only sources already printed may take any place). When the written order prints its sources in letter
    order, this always succeeds (groups never leave their segment, and a segment's sources are the same
    whatever its order); when it does not (the ``source-order`` lint warns), a place gets the first group
    waiting.
    """
    rank = {sid: k for k, sid in enumerate(ids)}
    pending = sorted({rank[sid] for item in items for sid in item.sources if sid in rank})  # used, not yet printed

    def new(group: list[int]) -> list[int]:  # the sources the group prints, in the order it prints them
        out: list[int] = []
        for i in group:
            for k in sorted(rank[sid] for sid in items[i].sources if sid in rank):  # a question's own: by letter
                if k in pending and k not in out:
                    out.append(k)
        return out

    def printed(group: list[int]) -> None:
        for k in new(group):
            pending.remove(k)

    out: list[tuple[bool, list[list[int]]]] = []
    for fixed, segment in segments:
        if fixed:
            printed(segment[0])
            out.append((fixed, segment))
            continue
        places = [p for p, group in enumerate(segment) if any(sid in rank for i in group for sid in items[i].sources)]
        waiting = [segment[p] for p in places]
        arranged = list(segment)
        for p in places:
            chosen = next((g for g in waiting if new(g) == pending[:len(new(g))]), waiting[0])
            waiting.remove(chosen)
            printed(chosen)
            arranged[p] = chosen
        out.append((fixed, arranged))
    return out
