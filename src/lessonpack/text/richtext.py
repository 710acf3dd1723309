"""Markdown to renderer-neutral rich text: runs of text with bold/italic flags, and blocks of them.

Both renderers draw these spans, so a word is bold in the PDF exactly when it is bold in the
DOCX. Raw HTML is never interpreted: markdown-it runs with ``html`` off, so tags stay text. A
picture (``![alt](file "caption")``) becomes a block of its own; inside a line of text it is dropped,
and validation says where pictures may go.

A formula (``$…$`` inline, ``$$…$$`` displayed, in a line or on lines of its own) is a span of its own
whose text is its TeX (:attr:`Span.math`), found by mdit-py-plugins' dollarmath with pandoc's rules for
``tex_math_dollars``: the opening ``$`` has a non-space right after it, the closing one a non-space right
before it and no digit right after it, so "costs $5 and $10" stays money; ``\\$`` is a dollar sign. What
a formula may hold, and how it is drawn, is :mod:`.maths`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin


@dataclass(frozen=True)
class Span:
    """A run of text. ``role`` marks what the handout means by it: "term" for a key term bolded in a reading.
    ``math`` makes it a formula, its text the TeX: "inline" (``$…$``) or "display" (``$$…$$``, on a line of
    its own)."""

    text: str
    strong: bool = False
    em: bool = False
    code: bool = False
    role: str | None = None  # "term" | None
    math: str = ""  # "" | "inline" | "display"


RichText = tuple[Span, ...]

BlockKind = Literal["paragraph", "bullets", "numbers", "quote", "heading", "image"]


@dataclass(frozen=True)
class ImageRef:
    """A picture as written in Markdown: the file, its alt text and its title (printed as the caption)."""

    src: str
    alt: str
    title: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or quote (``spans``), a list (``items``, each rich text) or a picture (``image``)."""

    kind: BlockKind
    spans: RichText = ()
    items: tuple[RichText, ...] = ()
    image: ImageRef | None = None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" without html: tags such as <script> come through as literal text. The typographer
    # sets curly quotes and apostrophes, as a printed handout should have.
    # Every link and picture address is parsed as written (markdown-it would otherwise leave javascript:, file:
    # and data: ones as literal text): links print as their text, and a picture's address is the pack file it
    # names, which images.py refuses, with its position, unless it is a file inside the pack.
    parser = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["smartquotes"])
    parser.validateLink = lambda url: True
    # pandoc's tex_math_dollars: no space inside the dollars, no digit after the closing one, no blank line in
    # a displayed formula, and no "(label)" after one (a handout numbers no equations).
    parser.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
               allow_blank_lines=False, double_inline=True)
    return parser


def plain(text: RichText) -> str:
    """The characters of rich text, without formatting."""
    return "".join(span.text for span in text)


def inline(markdown: str | None) -> RichText:
    """Parse one line of inline Markdown (``*em*``, ``**strong**``, ```code```) into spans."""
    if not markdown:
        return ()
    tokens = _parser().parseInline(markdown.strip())
    return _spans(tokens[0].children or []) if tokens else ()


GAP = "\uffff"
"""Stands for a gap in a text that is parsed whole (a fill-in text's blanks, see :func:`inline_pieces`): not a
character at all, so no lesson can hold it (the loader refuses it), and neither space nor punctuation to the
typographer, which curls the quotes round a gap as round a word."""


def inline_pieces(markdown: str) -> list[RichText]:
    """Inline Markdown with gaps in it (:data:`GAP`), parsed as one text and cut at the gaps: one piece more than
    there are gaps, the spaces next to each gap kept. Parsed whole, the text gets what any other text gets:
    quotes that open before a gap and close after it curl as a pair, and emphasis may run across a gap."""
    pieces: list[list[Span]] = [[]]
    spans = inline(markdown)
    if any(span.math and GAP in span.text for span in spans):  # a gap inside a formula: no formula at all
        return [inline(part) for part in markdown.split(GAP)]
    for span in spans:
        for k, part in enumerate(span.text.split(GAP)):
            if k:
                pieces.append([])
            if part:
                pieces[-1].append(replace(span, text=part))
    if len(pieces) != markdown.count(GAP) + 1:  # a gap inside a picture, which inline text drops: piece by piece
        return [inline(part) for part in markdown.split(GAP)]
    return [tuple(piece) for piece in pieces]


_MARKDOWN_MARKS = re.compile(r"""([!#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
"""The ASCII punctuation Markdown may read as a mark, all but the quotes (each is escaped with a backslash)."""


def typographic(text: str) -> str:
    """Plain text (a word in a word bank, a blank's answer) with the curly quotes and apostrophes the typographer
    gives rich text (``it's`` → it’s); nothing in it is read as Markdown."""
    if not text or not any(q in text for q in "'\""):
        return text
    return plain(inline(_MARKDOWN_MARKS.sub(r"\\\1", text)))


def blocks(markdown: str | None) -> tuple[Block, ...]:
    """Parse block Markdown (paragraphs, lists, quotes, headings) into blocks."""
    if not markdown:
        return ()
    out: list[Block] = []
    tokens = _parser().parse(markdown)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("paragraph_open", "heading_open") and tok.level == 0:
            kind: BlockKind = "paragraph" if tok.type == "paragraph_open" else "heading"
            out.extend(_with_pictures(kind, tokens[i + 1].children or []))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open") and tok.level == 0:
            close = tok.type.replace("_open", "_close")
            items: list[RichText] = []
            i += 1
            while tokens[i].type != close or tokens[i].level != 0:
                if tokens[i].type == "inline":
                    items.append(_spans(tokens[i].children or []))
                i += 1
            out.append(Block("bullets" if tok.type == "bullet_list_open" else "numbers", items=tuple(items)))
            i += 1
        elif tok.type == "blockquote_open" and tok.level == 0:
            parts: list[Span] = []
            i += 1
            while not (tokens[i].type == "blockquote_close" and tokens[i].level == 0):
                if tokens[i].type == "inline":
                    if parts:
                        parts.append(Span(" "))
                    parts.extend(_spans(tokens[i].children or []))
                i += 1
            out.append(Block("quote", tuple(parts)))
            i += 1
        elif tok.type == "math_block" and tok.level == 0:  # $$ on lines of its own: a paragraph of one formula
            out.append(Block("paragraph", (Span(tok.content.strip(), math="display"),)))
            i += 1
        elif tok.type in ("fence", "code_block") and tok.level == 0:
            out.append(Block("paragraph", (Span(tok.content.rstrip("\n"), code=True),)))
            i += 1
        else:
            i += 1
    return tuple(out)


def _with_pictures(kind: BlockKind, children: list[Token]) -> list[Block]:
    """A paragraph's text, with each picture in it taken out as a block of its own, in place."""
    out: list[Block] = []
    run: list[Token] = []
    for tok in children + [Token("image", "", 0)]:  # a sentinel closes the last run
        if tok.type != "image":
            run.append(tok)
            continue
        spans = _spans(run)
        if plain(spans).strip():
            out.append(Block(kind, _strip(spans)))
        run = []
        if tok.tag:  # not the sentinel
            out.append(Block("image", image=_image(tok)))
    return out


def _image(tok: Token) -> ImageRef:
    return ImageRef(str(tok.attrs.get("src", "")), plain(_spans(tok.children or [])).strip(),
                    str(tok.attrs.get("title") or "").strip())


def _strip(spans: RichText) -> RichText:
    """Rich text without the spaces a picture taken out of it left at either end."""
    if spans and spans[0].text != spans[0].text.lstrip():
        spans = (replace(spans[0], text=spans[0].text.lstrip()),) + spans[1:]
    if spans and spans[-1].text != spans[-1].text.rstrip():
        spans = spans[:-1] + (replace(spans[-1], text=spans[-1].text.rstrip()),)
    return tuple(s for s in spans if s.text)


def images_in(markdown: str | None) -> list[ImageRef]:
    """Every picture in block Markdown, wherever it stands (a paragraph, a list, a quote)."""
    if not markdown or "![" not in markdown:
        return []
    return [_image(child) for tok in _parser().parse(markdown) if tok.type == "inline"
            for child in (tok.children or []) if child.type == "image"]


def formulas_in(markdown: str | None) -> list[tuple[str, bool]]:
    """Every formula in Markdown, wherever it stands, as (TeX, displayed): what validation checks."""
    if not markdown or "$" not in markdown:
        return []
    out: list[tuple[str, bool]] = []
    for tok in _parser().parse(markdown):
        if tok.type == "math_block":
            out.append((tok.content.strip(), True))
        for child in tok.children or ():
            if child.type in ("math_inline", "math_inline_double"):
                out.append((child.content.strip(), child.type == "math_inline_double"))
    return out


def _spans(children: list[Token]) -> RichText:
    out: list[Span] = []
    strong = em = 0
    for tok in children:
        kind = tok.type
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind in ("text", "html_inline"):
            _add(out, Span(tok.content, strong > 0, em > 0))
        elif kind == "code_inline":
            _add(out, Span(tok.content, strong > 0, em > 0, code=True))
        elif kind in ("math_inline", "math_inline_double"):  # never merged with a neighbour: one formula each
            out.append(Span(tok.content.strip(), strong > 0, em > 0,
                            math="display" if kind == "math_inline_double" else "inline"))
        elif kind in ("softbreak",):
            _add(out, Span(" ", strong > 0, em > 0))
        elif kind == "hardbreak":
            _add(out, Span("\n", strong > 0, em > 0))
        # link_open/close: the link text is kept as text; handouts are printed, not clicked.
        # image: a block of its own in a paragraph (see _with_pictures); inside a line of text, dropped.
    return tuple(out)


def _add(out: list[Span], span: Span) -> None:
    if not span.text:
        return
    if out and not out[-1].math and replace(out[-1], text="") == replace(span, text=""):
        out[-1] = replace(out[-1], text=out[-1].text + span.text)
    else:
        out.append(span)


def mark(text: RichText, start: int, end: int, **changes) -> RichText:
    """Apply ``changes`` (e.g. ``strong=True, role="term"``) to characters ``start:end`` of ``text``; a formula
    is never cut or changed (a key term found in its TeX is not marked there)."""
    out: list[Span] = []
    pos = 0
    for span in text:
        s, e = pos, pos + len(span.text)
        pos = e
        if e <= start or s >= end or span.math:
            out.append(span)
            continue
        a, b = max(start, s) - s, min(end, e) - s
        if a:
            out.append(replace(span, text=span.text[:a]))
        out.append(replace(span, text=span.text[a:b], **changes))
        if b < len(span.text):
            out.append(replace(span, text=span.text[b:]))
    return tuple(out)


def cut(text: RichText, start: int, end: int) -> RichText:
    """Characters ``start:end`` of ``text``, each keeping its span's styling."""
    out: list[Span] = []
    pos = 0
    for span in text:
        s, e = pos, pos + len(span.text)
        pos = e
        if e > start and s < end:
            _add(out, replace(span, text=span.text[max(start, s) - s:min(end, e) - s]))
    return tuple(out)


_WORD_RUN = re.compile(r"[^\s]+")


def break_lines(text: RichText, width: int) -> tuple[RichText, ...]:
    """Rich text broken into lines of at most ``width`` characters, between words (a line break written in the
    text is kept; a word longer than a line is cut); the spaces at the breaks are left out."""
    width = max(1, width)
    whole = plain(text)
    lines: list[tuple[int, int]] = []
    for part in re.finditer(r"[^\n]+", whole):
        start = end = -1
        for word in _WORD_RUN.finditer(part.group()):
            a, b = part.start() + word.start(), part.start() + word.end()
            while b - a > width:  # a word longer than a line: cut it
                if start >= 0:
                    lines.append((start, end))
                    start = -1
                lines.append((a, a + width))
                a += width
            if start >= 0 and b - start <= width:
                end = b
                continue
            if start >= 0:
                lines.append((start, end))
            start, end = a, b
        if start >= 0:
            lines.append((start, end))
    return tuple(cut(text, a, b) for a, b in lines)
