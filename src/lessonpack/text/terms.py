"""Finding a key term in running text, and counting the reading's paragraphs, shared by validation (warnings,
``bold_at:``) and the handout plan (numbering, bolding)."""

from __future__ import annotations

import re
from functools import lru_cache

from collections.abc import Mapping

from .richtext import Block, RichText, blocks, numbered, plain

_APOSTROPHES = "'\u2019"


def _variants(term: str) -> list[str]:
    """The term itself, then the words before a parenthesis, then the abbreviation inside it."""
    term = term.strip()
    out = [term]
    m = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", term)
    if m:
        out += [m.group(1), m.group(2)]
    for sep in (" / ", "/"):
        if sep in term:
            out += [part.strip() for part in term.split(sep)]
    return [v for v in dict.fromkeys(out) if v]


def _word_forms(word: str) -> str:
    """A word and its plural or singular: kulak/kulaks, treaty/treaties, class/classes, church/churches."""
    escaped = re.escape(word)
    escaped = re.sub("[" + _APOSTROPHES + "]", "[" + _APOSTROPHES + "]", escaped)
    lower = word.lower()
    if not word[-1:].isalpha():
        return escaped
    if lower.endswith("ies") and len(word) > 4:
        return escaped[:-3] + "(?:y|ies)"
    if lower.endswith("y") and len(word) >= 3:
        return escaped[:-1] + "(?:y|ies|ys)"
    if lower.endswith(("ches", "shes", "sses", "xes")) and len(word) > 4:
        return escaped[:-2] + "(?:es)?"
    if lower.endswith(("ch", "sh", "ss", "x")):
        return escaped + "(?:es)?"
    if lower.endswith("s") and len(word) > 3:
        return escaped[:-1] + "s?"
    return escaped + "s?"


def _words_pattern(text: str) -> str:
    # Every word may change number: "Treaty of Versailles" finds "Treaties of Versailles" too.
    words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013]+", text) if w]
    return r"[\s\-\u2010\u2011\u2013]+".join(_word_forms(w) if len(w) > 2 else re.escape(w) for w in words)


@lru_cache(maxsize=512)
def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a term and its common written forms."""
    alternatives = "|".join(_words_pattern(v) for v in _variants(term))
    return re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])", re.IGNORECASE)


_CAPITALIZED_WORD_BEFORE = re.compile(r"(?:^|[\s(])[A-Z][\w’'-]*[ \u00a0]$")
_CAPITALIZED_WORD_AFTER = re.compile(r"^[ \u00a0][A-Z]")


def _in_proper_name(term: str, text: str, start: int, end: int) -> bool:
    """A lower-case term never matches a capitalized word that belongs to a longer proper name: "soviets" is
    not the Soviet in "the Soviet Union", nor "purge" the Purge in "Central Purge Commission"."""
    if term != term.lower() or not text[start:start + 1].isupper():
        return False
    return bool(_CAPITALIZED_WORD_AFTER.match(text[end:end + 2]) or _CAPITALIZED_WORD_BEFORE.search(text[:start]))


def find_term(term: str, text: str) -> tuple[int, int] | None:
    """Span of the first place ``term`` occurs in ``text`` as a whole word (not inside a proper name), or None."""
    for m in term_pattern(term).finditer(text):
        if not _in_proper_name(term, text, *m.span()):
            return m.span()
    return None


def reading_paragraphs(markdown: str | None,
                       labels: Mapping[str, str] | None = None) -> tuple[tuple[int, Block], ...]:
    """The reading's blocks in print order, each with the number printed beside it: the paragraphs of text a
    teacher sees — a paragraph, a heading, a list or a quote — count 1, 2, 3…; a picture or a callout (a box
    between the paragraphs, see :func:`~.richtext.numbered`) does not count (0). ``labels``: the lesson's label
    catalogue, which gives a callout's title its label (see :func:`~.richtext.blocks`).

    The one count of the reading's paragraphs: the handout numbers them with it, and ``bold_at:`` is checked
    against it, so the number a teacher reads beside a paragraph is the number the check accepts.
    """
    out: list[tuple[int, Block]] = []
    count = 0
    for block in blocks(markdown, labels):
        if not numbered(block):
            out.append((0, block))
        else:
            count += 1
            out.append((count, block))
    return tuple(out)


def block_texts(block: Block) -> tuple[RichText, ...]:
    """The runs of text a term is looked for in: each item of a list on its own, else the block's text."""
    return block.items or (block.spans,)


def paragraphs_with(term: str, paragraphs: tuple[tuple[int, Block], ...]) -> tuple[int, ...]:
    """The numbers of the paragraphs (see :func:`reading_paragraphs`) in which ``term`` appears, in order."""
    return tuple(n for n, block in paragraphs
                 if n and any(find_term(term, plain(text)) is not None for text in block_texts(block)))
