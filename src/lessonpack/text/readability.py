"""Reading statistics for the teacher edition: words, minutes to read, Flesch–Kincaid grade."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .richtext import block_text, blocks
from .words import words

WORDS_PER_MINUTE = 200
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"”’)]|$)")


@dataclass(frozen=True)
class ReadingStats:
    words: int
    minutes: int
    grade_level: float | None  # Flesch–Kincaid; None for languages it does not fit
    target: tuple[float, float] | None  # the lesson's grade as a range, when it parses
    comparison: str | None  # "within" | "above" | "below": see compare_grade


if TYPE_CHECKING:
    import pyphen


@lru_cache(maxsize=8)
def _hyphenator(lang: str) -> pyphen.Pyphen:
    import pyphen  # here, not above: a check whose lessons are all remembered never counts a syllable

    # left/right=1: count every syllable break, not only those a typesetter would use.
    return pyphen.Pyphen(lang=lang, left=1, right=1)


def syllables(word: str, lang: str = "en_US") -> int:
    """Syllables in one word, from the hyphenation dictionary (Pyphen), at least one."""
    if word.isdigit():
        return max(1, len(word) // 2)
    return _syllables(word.lower(), lang)


@lru_cache(maxsize=65536)
def _syllables(word: str, lang: str) -> int:
    # A reading repeats its words: each is looked up in the dictionary once.
    return max(1, len(_hyphenator(lang).positions(word)) + 1)


def parse_grade(grade: str | None) -> tuple[float, float] | None:
    """``"9–10"`` → (9, 10); ``"Grade 8"`` → (8, 8); anything else → None."""
    if not grade:
        return None
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", grade)]
    if not numbers:
        return None
    return (min(numbers[:2]), max(numbers[:2]))


def reading_stats(markdown: str, grade: str | None, language: str = "en") -> ReadingStats:
    """Word count, minutes at 200 wpm and (for English) the Flesch–Kincaid grade of a reading."""
    text = " ".join(block_text(b) for b in blocks(markdown))
    found = words(text)
    count = len(found)
    minutes = max(1, math.ceil(count / WORDS_PER_MINUTE))
    level = None
    comparison = None
    target = parse_grade(grade)
    if language.split("-")[0].lower() == "en" and count:
        sentences = max(1, len(_SENTENCE_END.findall(text)))
        total_syllables = sum(syllables(w) for w in found)
        level = round(0.39 * count / sentences + 11.8 * total_syllables / count - 15.59, 1)
        if target:
            comparison = compare_grade(level, target)
    return ReadingStats(count, minutes, level, target, comparison)


def compare_grade(level: float, target: tuple[float, float]) -> str:
    """Where a reading level stands against the lesson's grade range: ``"within"``, ``"above"`` or ``"below"``.

    The rule: a range *low*–*high* holds a level when ``low <= level <= high``, the level taken as the handout
    prints it (to one decimal) and compared as a number, with no margin either side. So for ``9–10``, 9.0 and
    10.0 are within, 10.1 (and 10.4) above and 8.9 below; a single grade, ``8``, holds 8.0 alone (8.3 is above
    it). The teacher reads the two numbers side by side, and the sentence agrees with what they see."""
    low, high = target
    level = round(level, 1)
    if level > high:
        return "above"
    return "below" if level < low else "within"
