"""Typography by language: which quotation marks a language prints, the spaces French keeps unbroken, and the
language a handout's text is set in while it is planned.

One function sets the spaces of every printed text (:func:`set_spaces`), and one table says every language's
quotes (:func:`quotes_for`): rich text gets both as it is parsed (:mod:`.richtext`), a label catalogue as it is
read (:mod:`.labels`), so the PDF and the Word document print the same characters.

- Quotes: markdown-it's typographer curls ``"…"`` and ``'…'`` with the document's marks (“…” in English, «…»
  in French, „…“ in German); inside a span in another language (``[…]{lang=fr}``) the double quotes become
  that language's. Apostrophes are always ’.
- French: a no-break space before ``; : ! ?`` and inside « » (added where the text has none, made unbreakable
  where it has an ordinary one). A full no-break space (U+00A0), not the narrow one, which the bundled serif
  font lacks.
- Every language: an ordinary space before a closing mark (``) ] » ; : ! ?``) becomes a no-break space, so no
  line starts with one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

NBSP = "\u00a0"

QUOTES: dict[str, str] = {
    "en": "“”‘’", "es": "«»“”", "fr": "«»“”", "de": "„“‚‘", "it": "«»“”", "pt": "«»“”", "nl": "“”‘’",
    "ca": "«»“”", "ru": "«»„“", "uk": "«»„“", "pl": "„”«»", "cs": "„“‚‘", "sv": "””’’", "fi": "””’’",
    "da": "»«›‹", "no": "«»‘’", "nb": "«»‘’", "la": "“”‘’", "el": "«»“”", "tr": "“”‘’", "ja": "「」『』",
    "zh": "“”‘’",
}
"""A language's quotation marks (BCP 47 primary tag): opening and closing double, opening and closing single.
A language not here prints English's."""
_REGIONAL = {"pt-br": "“”‘’", "de-ch": "«»‹›", "en-gb": "‘’“”"}
"""Regions whose marks differ from their language's."""

_LANGUAGE: ContextVar[str] = ContextVar("lessonpack_language", default="en")


def quotes_for(language: str) -> str:
    """The four quotation marks of a BCP 47 tag (see :data:`QUOTES`)."""
    tag = (language or "en").lower()
    region = "-".join(tag.split("-")[:2])
    return _REGIONAL.get(region) or QUOTES.get(tag.split("-")[0], QUOTES["en"])


def current_language() -> str:
    """The language text is set in now: the lesson's while it is planned (see :func:`set_in`), else English."""
    return _LANGUAGE.get()


@contextmanager
def set_in(language: str) -> Iterator[None]:
    """Parse and set text in ``language`` (the lesson's) inside the ``with`` block."""
    token = _LANGUAGE.set(language or "en")
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def requote(text: str, written: str, language: str) -> str:
    """``text``, curled in the ``written`` language's double quotes, with ``language``'s instead."""
    was, now = quotes_for(written), quotes_for(language)
    if was[:2] == now[:2]:
        return text
    return text.translate(str.maketrans({was[0]: now[0], was[1]: now[1]}))


_FRENCH_HIGH = re.compile(r"(?<=[^\s;:!?(«\[\u00a0])[ \t\u00a0\u202f]?([;!?])(?=[\s»)\]!?…”.,]|$)")
"""``; ! ?`` after a word (or a closing mark), with or without a space before it; never the second of ``?!``."""
_FRENCH_COLON = re.compile(r"(?<=[^\s;:!?(«\[\u00a0\d])[ \t\u00a0\u202f]?:(?=[\s»)\]]|$)|(?<=\d) :(?=\s|$)")
"""A colon ending a phrase (never the one in 10:30, nor the one of an address: those have no space after)."""
_GUILLEMET_OPEN = re.compile(r"«[ \t\u00a0\u202f]*")
_GUILLEMET_CLOSE = re.compile(r"[ \t\u00a0\u202f]*»")
_BEFORE_CLOSING = re.compile(r"[ \t]+(?=[)\]}»”;:!?])")


def set_spaces(text: str, language: str | None = None) -> str:
    """``text`` with the spaces ``language`` (by default the current one) keeps unbroken: French's before
    ``; : ! ?`` and inside « », and in every language the one before a closing mark (see the module's notes)."""
    language = (language or current_language()).lower()
    if language.split("-")[0] == "fr":
        text = _FRENCH_HIGH.sub(lambda m: NBSP + m.group(1), text)
        text = _FRENCH_COLON.sub(NBSP + ":", text)
        text = _GUILLEMET_OPEN.sub("«" + NBSP, text)
        text = _GUILLEMET_CLOSE.sub(NBSP + "»", text)
    return _BEFORE_CLOSING.sub(NBSP, text) if " " in text or "\t" in text else text


__all__ = ["NBSP", "QUOTES", "current_language", "quotes_for", "requote", "set_in", "set_spaces"]
