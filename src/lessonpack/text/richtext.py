"""Markdown to renderer-neutral rich text: runs of text with bold/italic flags, and blocks of them.

Both renderers draw these spans, so a word is bold in the PDF exactly when it is bold in the
DOCX. Raw HTML is never interpreted: markdown-it runs with ``html`` off, so tags stay text. A
picture (``![alt](file "caption")``) becomes a block of its own; inside a line of text it is dropped,
and validation says where pictures may go.

Beyond CommonMark, the marks science and mathematics need, as pandoc writes them: ``H~2~O`` (subscript),
``x^2^`` (superscript, mdit-py-plugins' rules) and ``~~struck~~`` (markdown-it's strikethrough, which runs
before the subscript rule, so a double tilde never opens a subscript); and GitHub's alerts, a quote that
starts with ``[!NOTE]``, ``[!TIP]``, ``[!IMPORTANT]``, ``[!WARNING]`` or ``[!CAUTION]`` (a title may follow
on the same line), which become callout blocks (:data:`CALLOUTS`).

A formula (``$…$`` inline, ``$$…$$`` displayed, in a line or on lines of its own) is a span of its own
whose text is its TeX (:attr:`Span.math`), found by mdit-py-plugins' dollarmath with pandoc's rules for
``tex_math_dollars``: the opening ``$`` has a non-space right after it, the closing one a non-space right
before it and no digit right after it, so "costs $5 and $10" stays money; ``\\$`` is a dollar sign. What
a formula may hold, and how it is drawn, is :mod:`.maths`'. Formulas are found first (dollarmath's inline rule
runs before every other one), so ``$x^2$`` and ``$H~2~O$`` are formulas, never a superscript or subscript.

A span in another language, ``[Dulce et decorum est]{lang=la}`` (mdit-py-plugins' attrs, spans only: braces
after anything else stay text), sets :attr:`Span.lang`; every other attribute is ignored. A footnote,
``[^name]`` in the text and ``[^name]: its text`` on a line of its own anywhere in the same field (a line
indented under it goes on), is a span of its own whose :attr:`Span.note` is the note's rich text; renderers
number notes in the order they print. A reference without its note stays text as written (validation reports
both it and a note nothing refers to: :func:`footnote_problems`).

Every text is set in a language (:mod:`.typography`): the lesson's while it is planned, or a span's own: its
quotes are curled in that language's marks and its spaces kept where that language keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from .typography import current_language, quotes_for, requote, set_spaces


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
    sub: bool = False  # H~2~O: set lowered and smaller
    sup: bool = False  # x^2^: set raised and smaller
    strike: bool = False  # ~~struck~~: a line through it
    math: str = ""  # "" | "inline" | "display"
    lang: str = ""  # [text]{lang=la}: a BCP 47 tag when the span is in another language than the lesson's
    note: tuple["Span", ...] = ()  # a footnote's reference (its text is ""): the note's rich text


RichText = tuple[Span, ...]

BlockKind = Literal["paragraph", "bullets", "numbers", "quote", "heading", "image", "callout"]

CALLOUTS = ("note", "tip", "important", "warning", "caution")
"""The kinds of callout, as GitHub's alerts name them (``> [!WARNING]``); each prints with its label from the
label catalogue (``callout_warning``: "Warning")."""


@dataclass(frozen=True)
class ImageRef:
    """A picture as written in Markdown: the file, its alt text and its title (printed as the caption)."""

    src: str
    alt: str
    title: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or quote (``spans``), a list (``items``, each rich text), a picture (``image``) or a
    callout (``callout``, its ``title`` and its own blocks in ``body``).

    ``upright``: a quote that is not prose (see :func:`is_prose`), set upright where quotes are set in italics.
    A callout's ``title`` is what its heading prints: the label of its kind ("Warning"), and the title written
    after the marker if there is one ("Warning: Safety"); :func:`blocks` gives the label when it is given the
    label catalogue."""

    kind: BlockKind
    spans: RichText = ()
    items: tuple[RichText, ...] = ()
    image: ImageRef | None = None
    upright: bool = False
    callout: str = ""  # one of CALLOUTS, for kind "callout"
    title: RichText = ()
    body: tuple["Block", ...] = ()


@lru_cache(maxsize=16)
def _parser(quotes: str = "“”‘’") -> MarkdownIt:
    # "commonmark" without html: tags such as <script> come through as literal text. The typographer
    # sets curly quotes and apostrophes, as a printed handout should have.
    # Every link and picture address is parsed as written (markdown-it would otherwise leave javascript:, file:
    # and data: ones as literal text): links print as their text, and a picture's address is the pack file it
    # names, which images.py refuses, with its position, unless it is a file inside the pack.
    # Strikethrough runs before the subscript rule (it comes earlier in the inline rules), so ``~~a~~`` is struck
    # text and never a subscript inside two tildes.
    parser = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": quotes}
                        ).enable(["smartquotes", "strikethrough"])
    parser.use(sub_plugin).use(superscript_plugin)
    # [text]{lang=la}; braces after a picture, code or a link stay text (after=()).
    parser.use(attrs_plugin, after=(), spans=True, allowed=("lang",))
    parser.inline.ruler.before("link", "footnote_ref", _footnote_ref)
    parser.validateLink = lambda url: True
    # pandoc's tex_math_dollars: no space inside the dollars, no digit after the closing one, no blank line in
    # a displayed formula, and no "(label)" after one (a handout numbers no equations).
    parser.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
               allow_blank_lines=False, double_inline=True)
    return parser


_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*(?:\n[ \t]+\S.*)*)\n?", re.M)
"""A footnote's reference, ``[^name]``; a footnote's text, ``[^name]: text`` at a line's start (and the lines
indented under it)."""


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """``[^name]`` whose note the field has: a token carrying the note's text."""
    if not state.src.startswith("[^", state.pos):
        return False
    found = _NOTE_REF.match(state.src, state.pos)
    notes = state.env.get("notes") or {}
    if found is None or found.group(1) not in notes:
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": found.group(1), "text": notes[found.group(1)]}
    state.pos = found.end()
    return True


def _split_notes(markdown: str) -> tuple[str, dict]:
    """The text without its footnotes' lines, and the environment the parser reads them from."""
    if "[^" not in markdown:
        return markdown, {}
    notes: dict[str, str] = {}
    for found in _NOTE_DEF.finditer(markdown):
        notes.setdefault(found.group(1), " ".join(line.strip() for line in found.group(2).split("\n")))
    return (_NOTE_DEF.sub("", markdown), {"notes": notes}) if notes else (markdown, {})


def footnote_problems(markdown: str | None) -> list[tuple[str, str]]:
    """What is wrong with a field's footnotes, as (kind, name): ("unknown", name) for a reference ``[^name]``
    with no ``[^name]:`` line, ("unused", name) for a note nothing refers to. Empty when all is well."""
    if not markdown or "[^" not in markdown:
        return []
    body, env = _split_notes(markdown)
    notes = env.get("notes", {})
    used = {found.group(1) for found in _NOTE_REF.finditer(body)}
    return [("unknown", n) for n in dict.fromkeys(f.group(1) for f in _NOTE_REF.finditer(body)) if n not in notes] \
        + [("unused", n) for n in notes if n not in used]


def span_languages(markdown: str | None) -> list[str]:
    """The ``lang`` written on each span (``[…]{lang=…}``) in Markdown, in order: what validation checks."""
    if not markdown or "]{" not in markdown:
        return []
    body, env = _split_notes(markdown)
    tokens = _parser().parse(body, env)
    return [str(child.attrs["lang"]) for tok in tokens for child in (tok.children or ())
            if child.type == "span_open" and "lang" in child.attrs]


def plain(text: RichText) -> str:
    """The characters of rich text, without formatting."""
    return "".join(span.text for span in text)


_RAISED = str.maketrans("0123456789()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾ⁿ")
_LOWERED = str.maketrans("0123456789()", "₀₁₂₃₄₅₆₇₈₉₍₎")
"""The characters set raised or lowered that Unicode has, and the bundled fonts draw (their signs they lack)."""


def flat(text: RichText) -> str:
    """Rich text as one plain string that still reads right where no formatting is printed (an answer key's
    cell, a document's title): a sub- or superscript in Unicode's lowered or raised characters where it has them
    all (H₂O, x², 10¹²), else after ``_`` or ``^`` (m^-2)."""
    out = []
    for span in text:
        if span.sup or span.sub:
            table, mark = (_RAISED, "^") if span.sup else (_LOWERED, "_")
            moved = span.text.translate(table)
            out.append(moved if not set(moved) & set(span.text) else mark + span.text)
        else:
            out.append(span.text)
    return "".join(out)


def inline(markdown: str | None) -> RichText:
    """Parse one line of inline Markdown (``*em*``, ``**strong**``, ```code```) into spans."""
    if not markdown:
        return ()
    body, env = _split_notes(markdown.strip())
    tokens = _parser(quotes_for(current_language())).parseInline(body.strip(), env)
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
        if span.note:  # a footnote's call: in the piece it stands in
            pieces[-1].append(span)
            continue
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


_CALLOUT_MARK = re.compile(r"\[!([A-Za-z]+)\][ \t]*([^\n]*?)[ \t\\]*(?:\n|$)")
"""A callout's first line: ``[!KIND]`` and, after it, an optional title."""


def callout_mark(text: str) -> tuple[str, str] | None:
    """The kind (as written) and title of a quote's first line that is a callout's marker (``[!WARNING] Safety``),
    whether or not the kind is one of :data:`CALLOUTS`; None for any other line."""
    found = _CALLOUT_MARK.match(text)
    return (found.group(1), found.group(2).strip()) if found else None


def callout_marks(markdown: str | None) -> list[str]:
    """The kind written in the marker of each quote that starts like a callout (``> [!NOTE]``), as written, known
    kind or not, in order: what validation checks against :data:`CALLOUTS`."""
    if not markdown or "[!" not in markdown:
        return []
    tokens = _parser().parse(markdown)
    return [mark[0] for i, tok in enumerate(tokens[:-2]) if tok.type == "blockquote_open" and tok.level == 0
            and tokens[i + 1].type == "paragraph_open" and tokens[i + 2].type == "inline"
            and (mark := callout_mark(tokens[i + 2].content)) is not None]


def blocks(markdown: str | None, labels: Mapping[str, str] | None = None) -> tuple[Block, ...]:
    """Parse block Markdown (paragraphs, lists, quotes, headings, callouts) into blocks. With ``labels`` (the
    lesson's label catalogue), a callout's title starts with the label of its kind."""
    if not markdown:
        return ()
    body, env = _split_notes(markdown)
    return tuple(_blocks(_parser(quotes_for(current_language())).parse(body, env), labels or {}))


def _blocks(tokens: list[Token], labels: Mapping[str, str], level: int = 0) -> list[Block]:
    """The blocks of ``tokens`` at nesting ``level`` (a callout's body is the level inside its quote)."""
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != level:
            i += 1
        elif tok.type in ("paragraph_open", "heading_open"):
            kind: BlockKind = "paragraph" if tok.type == "paragraph_open" else "heading"
            out.extend(_with_pictures(kind, tokens[i + 1].children or []))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            close = tok.type.replace("_open", "_close")
            items: list[RichText] = []
            i += 1
            while tokens[i].type != close or tokens[i].level != level:
                if tokens[i].type == "inline":
                    items.append(_spans(tokens[i].children or []))
                i += 1
            out.append(Block("bullets" if tok.type == "bullet_list_open" else "numbers", items=tuple(items)))
            i += 1
        elif tok.type == "blockquote_open":
            end = next(k for k in range(i + 1, len(tokens))
                       if tokens[k].type == "blockquote_close" and tokens[k].level == level)
            inside = tokens[i + 1:end]
            out.append((_callout(inside, labels, level + 1) if level == 0 else None) or _quote(inside))
            i = end + 1
        elif tok.type == "math_block":  # $$ on lines of its own: a paragraph of one formula
            out.append(Block("paragraph", (Span(tok.content.strip(), math="display"),)))
            i += 1
        elif tok.type in ("fence", "code_block"):
            out.append(Block("paragraph", (Span(tok.content.rstrip("\n"), code=True),)))
            i += 1
        else:
            i += 1
    return out


def _quote(inside: list[Token]) -> Block:
    """A quote: the text of everything in it, its paragraphs (and formulas on lines of their own) run together."""
    parts: list[Span] = []
    for tok in inside:
        if tok.type in ("inline", "math_block"):
            if parts:
                parts.append(Span(" "))
            if tok.type == "math_block":
                parts.append(Span(tok.content.strip(), math="display"))
            else:
                parts.extend(_spans(tok.children or []))
    spans = tuple(parts)
    return Block("quote", spans, upright=not is_prose(spans))


def _callout(inside: list[Token], labels: Mapping[str, str], level: int) -> Block | None:
    """A quote whose first line is a callout's marker, as a callout: its title and its own blocks; else None."""
    if len(inside) < 2 or inside[0].type != "paragraph_open" or inside[1].type != "inline":
        return None
    mark = callout_mark(inside[1].content)
    if mark is None or mark[0].lower() not in CALLOUTS:
        return None
    kind, written = mark[0].lower(), mark[1]
    label = labels.get(f"callout_{kind}", "")
    title: RichText = (Span(label),) if label else ()
    if written:
        title = (Span(f"{label}: "),) + inline(written) if label else inline(written)
    rest = inside[1].content.partition("\n")[2]  # the first paragraph's lines after the marker's
    body = [Block("paragraph", spans)] if (spans := inline(rest)) else []
    return Block("callout", callout=kind, title=title,
                 body=tuple(body + _blocks(inside[3:], labels, level)))


_FORMULA = frozenset("=<>≤≥≈≠±×÷→←⇌")
"""Characters that make a quote a formula rather than prose."""
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def is_prose(spans: RichText) -> bool:
    """Whether a quote is prose, which is set in italics like any quotation: its text ends a sentence (with
    ``.``, ``!``, ``?`` or ``…``), no line of it is ended by hand (a line of verse) and it holds no formula (a
    ``$…$`` formula, a sub- or superscript, ``code``, or one of = < > ≤ ≥ ≈ ≠ ± × ÷ → ← ⇌ outside a formula).
    Anything else — verse, an equation, a line of figures — is set upright, as it would be outside the quote."""
    text = plain(spans).strip()
    return bool(_SENTENCE_END.search(text)) and "\n" not in text and not any(
        s.sub or s.sup or s.code or s.math for s in spans) and not _FORMULA.intersection(text)


def numbered(block: Block) -> bool:
    """Whether a block of the reading is one of its numbered paragraphs (pictures and callouts are not)."""
    return block.kind not in ("image", "callout")


def block_text(block: Block) -> str:
    """The words of a block as plain text (a callout's title and body included)."""
    if block.kind == "callout":
        return " ".join(filter(None, [plain(block.title), *(block_text(b) for b in block.body)]))
    return plain(block.spans) or " ".join(plain(i) for i in block.items)


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
    return tuple(s for s in spans if s.text or s.note)


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


_MARKS = {"strong": "strong", "em": "em", "sub": "sub", "sup": "sup", "s": "strike"}
"""markdown-it's paired tokens (``strong_open``…) → the Span flag they set."""


def _spans(children: list[Token]) -> RichText:
    out: list[Span] = []
    depth = dict.fromkeys(_MARKS.values(), 0)
    written = current_language()
    langs: list[str] = []  # the languages of the spans open here, innermost last

    def text(content: str, **flags) -> Span:
        lang = langs[-1] if langs else ""
        if lang and lang.lower() != written.lower():
            content = requote(content, written, lang)
        return Span(content, lang=lang if lang.lower() != written.lower() else "", **flags)

    for tok in children:
        kind = tok.type
        name, _, edge = kind.rpartition("_")
        flags = {flag: n > 0 for flag, n in depth.items()}
        if name in _MARKS and edge in ("open", "close"):
            depth[_MARKS[name]] += 1 if edge == "open" else -1
        elif kind == "span_open":
            langs.append(str(tok.attrs.get("lang") or (langs[-1] if langs else "")))
        elif kind == "span_close":
            if langs:
                langs.pop()
        elif kind in ("text", "html_inline"):
            _add(out, text(tok.content, **flags))
        elif kind == "code_inline":
            _add(out, Span(tok.content, code=True, **flags))
        elif kind in ("math_inline", "math_inline_double"):  # never merged with a neighbour: one formula each
            out.append(Span(tok.content.strip(), flags["strong"], flags["em"],
                            math="display" if kind == "math_inline_double" else "inline"))
        elif kind == "footnote_ref":  # never merged either: one note each
            out.append(Span("", note=inline(tok.meta["text"]) or (Span(" "),)))
        elif kind in ("softbreak",):
            _add(out, text(" ", **flags))
        elif kind == "hardbreak":
            _add(out, Span("\n", **flags))
        # link_open/close: the link text is kept as text; handouts are printed, not clicked.
        # image: a block of its own in a paragraph (see _with_pictures); inside a line of text, dropped.
    return tuple(span if span.code or span.math or span.note else replace(span, text=set_spaces(
        span.text, span.lang or written)) for span in out)


def _add(out: list[Span], span: Span) -> None:
    if not span.text:
        return
    if out and not out[-1].math and not out[-1].note and replace(out[-1], text="") == replace(span, text=""):
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
