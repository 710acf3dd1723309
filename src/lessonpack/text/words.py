"""Words in running text, in any language, found one way everywhere: the reading level counts them, the
teaching lints compare them, file names are made of them, and "did you mean" suggests the nearest one.

A word is a run of letters and digits of any script (``Piłsudski``, ``Łódź``, ``1924``), with apostrophes
and hyphens inside it (``Stalin's``, ``Five-Year``) but never at its ends.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterator

WORD = re.compile(r"[^\W_]+(?:['’\-‐][^\W_]+)*")
"""One word: letters and digits of any script, with inner apostrophes and hyphens."""

_FOLDED = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d",
                         "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"})
"""Letters that Unicode does not decompose into an ASCII letter and an accent."""


def words(text: str) -> list[str]:
    """The words of ``text``, in order."""
    return WORD.findall(text)


def word_spans(text: str) -> Iterator[re.Match]:
    """Each word of ``text`` with where it is."""
    return WORD.finditer(text)


def slugify(text: str) -> str:
    """A name for files and ids made of ``text``'s words: lower-case ASCII, accents and other scripts' letters
    folded (``Die Straße nach Łódź`` → ``die-strasse-nach-lodz``), words joined by hyphens."""
    text = re.sub(r"(?<=\w)['’](?=s\b)", "", text.translate(_FOLDED))  # Stalin's → stalins; d'Octobre → d-octobre
    spaced = re.sub(r"[\W_]+", " ", text)  # a dash, a bracket or any other mark parts words before accents fold
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str | None:
    """The closest option to a misspelt word, if any is close."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if not matches:
        lowered = {o.lower(): o for o in options}
        return lowered.get(word.lower().replace("-", "_").replace(" ", "_"))
    return matches[0]
