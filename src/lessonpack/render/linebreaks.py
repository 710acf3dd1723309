"""Keep WeasyPrint from ending a line early before an inline element: the space before a bold term, a link, a
formula or a blank is given a span of its own.

WeasyPrint lays out a paragraph run by run. A run of text that ends with a space and is followed by an inline
element (``is written <b>vertical</b>``, ``the pigment <span class="blank">``) is measured with that trailing space
included; when the run's words fit the line but the space takes it a hair past the edge, the run is judged not to
fit at all, and only its first word is kept: "the" alone on a line with room for a sentence after it. A run that
ends in a word has no trailing space to measure, and a run that is only a space is never split, so the break
falls where it should: after the last word that fits, before the element that does not.

:func:`spaces_apart` takes each such space out of the run before the element, in the HTML that WeasyPrint lays out,
into a span of its own that holds the space and a zero-width space after it (``is written<span class="lp-gap">
&#8203;</span><b>vertical</b>``). WeasyPrint draws no glyph for a run that is only spaces, so a span of a space
alone would leave the PDF's text without it ("andold"); the zero-width space makes the run drawn (the space is in
the PDF's text, the zero-width one is not) and keeps the break opportunity where it was: after the space, before
the element. The words and what prints are unchanged. The HTML output and the Word document are not affected:
browsers and Word measure trailing spaces as the line-breaking rules say.
"""

from __future__ import annotations

import re

INLINE = ("a", "abbr", "b", "cite", "code", "del", "em", "i", "img", "input", "mark", "q", "s", "small", "span",
          "strong", "sub", "sup", "svg", "u")
"""Elements that sit inside a line of text (a space before one is taken out of the run before it)."""

_RAW = re.compile(r"<(svg|pre|textarea|style|script)\b.*?</\1\s*>", re.S | re.I)
"""Regions whose insides are left exactly as they are: a formula's or drawing's SVG, preformatted text, styles."""

_GAP = re.compile(r"(?<=[^\s>])[ \t\r\n]+(?=<(?:%s)\b)" % "|".join(INLINE), re.I)
"""Spaces that end a run of text (the character before them is text, not a tag's end) just before an inline
element's start tag."""

GAP_CLASS = "lp-gap"
"""The class of the span that holds such a space (it has no style of its own)."""

GAP = f'<span class="{GAP_CLASS}"> \u200b</span>'
"""What takes the place of the space: a span holding a space and a zero-width space."""


def spaces_apart(html: str) -> str:
    """``html`` with each space between a word and an inline element's start tag in a span of its own (see
    :data:`GAP`), outside SVG, ``<pre>``, ``<textarea>``, ``<style>`` and ``<script>``."""
    out: list[str] = []
    last = 0
    for raw in _RAW.finditer(html):
        out.append(_GAP.sub(GAP, html[last:raw.start()]))
        out.append(raw.group(0))
        last = raw.end()
    out.append(_GAP.sub(GAP, html[last:]))
    return "".join(out)
