"""Finding a key term in running text, shared by validation (warnings) and the handout plan (bolding)."""

from __future__ import annotations

import re
from functools import lru_cache

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


def _words_pattern(text: str) -> str:
    words = re.split(r"[\s\-\u2010\u2011\u2013]+", text)
    parts = []
    for word in words:
        escaped = re.escape(word)
        escaped = re.sub("[" + _APOSTROPHES + "]", "[" + _APOSTROPHES + "]", escaped)
        parts.append(escaped)
    body = r"[\s\-\u2010\u2011\u2013]+".join(parts)
    # Plural and singular forms both count: "kulak" finds "kulaks", "kulaks" finds "kulak".
    if body.endswith("ies") and len(words[-1]) > 4:
        body = body[:-3] + "(?:y|ies)"
    elif body.endswith("y") and len(words[-1]) > 3:
        body = body[:-1] + "(?:y|ies|ys)"
    elif body.endswith("s") and len(words[-1]) > 3:
        body = body[:-1] + "s?"
    else:
        body += "(?:s|es)?"
    return body


@lru_cache(maxsize=512)
def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a term and its common written forms."""
    alternatives = "|".join(_words_pattern(v) for v in _variants(term))
    return re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])", re.IGNORECASE)


def find_term(term: str, text: str) -> tuple[int, int] | None:
    """Span of the first place ``term`` occurs in ``text``, or ``None``."""
    m = term_pattern(term).search(text)
    return m.span() if m else None
