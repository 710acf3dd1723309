"""Characters the text's font lacks, set in the bundled symbols font: the teacher edition's ✔, a ☐, ★, arrows,
circled numbers, in Word as in the PDF.

The PDF lists the bundled symbols family (:data:`lessonpack.styles.fonts.SYMBOLS`) after a role's font, so a
character the font lacks comes from a font shipped with lessonpack. Word has no such list: it takes a missing
character from whatever font the machine has, or prints an empty box. So, once the document is drawn, each run is
read with the font it is set in (its own, its character style's, its paragraph style's, the document default's,
through the styles' ``basedOn`` chains), and every stretch of characters that font lacks and the symbols font has
becomes a run of its own, in the symbols font; the document then embeds that font (:mod:`.fonts`), so Word and
LibreOffice print the same glyph on any machine.

What a font has is read from the file lessonpack has of it (bundled, or in the pack's ``fonts/``). A family
lessonpack has no file of (a font a reference.docx names that the machine may or may not have) is taken to lack
the pictographic symbols (Unicode's "other symbols", arrows, geometric shapes, dingbats), the characters a text
face rarely has, so that the document is the same whichever fonts the building machine has.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import XmlPart
from docx.oxml.ns import qn

from ...styles.fonts import SYMBOLS, css_family, family_characters

SYMBOLS_NAME = css_family(SYMBOLS)
"""The name a run set in the symbols font names, and the document carries that font under: a name of its own
("DejaVu Sans LP", as the PDF loads it), because the document holds only the few symbols it uses, and a word
processor that took the machine's DejaVu Sans as a stand-in for a missing font must never find this one."""

TEXT_PARTS = {CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES}
"""The parts whose runs are read: the body, the headers and footers, the footnotes."""

_SYMBOL_BLOCKS = ((0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x27BF), (0x2B00, 0x2BFF))
"""Arrows, enclosed numbers, geometric shapes, miscellaneous symbols and dingbats, more arrows."""

_FONT_ATTRIBUTES = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")


def set_symbols(document, pack_root: Path | None = None) -> str:
    """Put every character a run's font lacks, that the symbols font has, in the symbols font; the characters
    that were (in code order, none repeated)."""
    symbols = family_characters(SYMBOLS)
    if not symbols:
        return ""
    fonts = _StyleFonts(document.styles.element)
    lacking: dict[str | None, object] = {}
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart) and part.content_type in TEXT_PARTS:
            for paragraph in part.element.iter(qn("w:p")):
                style = _value(paragraph.find(qn("w:pPr")), "w:pStyle")
                for run in paragraph.findall(f".//{qn('w:r')}"):
                    if run.getparent() is not None and _own_paragraph(run) is paragraph:
                        family = fonts.of_run(run, style)
                        if family not in lacking:
                            lacking[family] = _lacks(family, pack_root)
                        used |= _split(run, lacking[family], symbols)
    return "".join(sorted(used))


def _own_paragraph(run):
    """The paragraph a run belongs to (a run in a text box's paragraph belongs to that one, not the outer)."""
    parent = run.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        parent = parent.getparent()
    return parent


def _lacks(family: str | None, pack_root: Path | None):
    """Whether ``family`` lacks a character: by its file's character map when lessonpack has it, else for the
    pictographic symbols only."""
    chars = family_characters(family, pack_root) if family else None
    if chars:
        return lambda ch: ord(ch) not in chars
    return _pictographic


def _pictographic(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch) == "So" or any(lo <= code <= hi for lo, hi in _SYMBOL_BLOCKS)


def _split(run, lacks, symbols: frozenset[int]) -> set[str]:
    """Split ``run`` where its text passes between characters its font has and ones only the symbols font has;
    the latter's runs are set in the symbols font. The characters that were."""
    def needs(ch: str) -> bool:
        return not ch.isspace() and lacks(ch) and ord(ch) in symbols

    texts = run.findall(qn("w:t"))
    moved = {ch for t in texts for ch in (t.text or "") if needs(ch)}
    if not moved:
        return moved
    properties = run.find(qn("w:rPr"))
    pieces: list[tuple[bool, list]] = []  # (in the symbols font, the run's content elements)
    for child in list(run):
        if child is properties:
            continue
        if child.tag != qn("w:t"):
            if pieces:
                pieces[-1][1].append(child)
            else:
                pieces.append((False, [child]))
            continue
        text = child.text or ""
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or needs(text[i]) != needs(text[start]):
                symbol = needs(text[start])
                t = copy.deepcopy(child)
                t.text = text[start:i]
                if t.text != t.text.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                if pieces and pieces[-1][0] == symbol:
                    pieces[-1][1].append(t)
                else:
                    pieces.append((symbol, [t]))
                start = i
    parent = run.getparent()
    at = parent.index(run)
    parent.remove(run)
    for offset, (symbol, children) in enumerate(pieces):
        piece = copy.deepcopy(run)
        for child in list(piece):
            if child.tag != qn("w:rPr"):
                piece.remove(child)
        if symbol:
            _set_font(piece, SYMBOLS_NAME)
        for child in children:
            piece.append(child)
        parent.insert(at + offset, piece)
    return moved


def _set_font(run, family: str) -> None:
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = run.makeelement(qn("w:rPr"), {})
        run.insert(0, properties)
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        at = 1 if len(properties) and properties[0].tag == qn("w:rStyle") else 0  # rFonts follows rStyle
        properties.insert(at, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for attribute in _FONT_ATTRIBUTES:
        fonts.set(qn(attribute), family)


def _value(properties, tag: str) -> str | None:
    if properties is None:
        return None
    found = properties.find(qn(tag))
    return None if found is None else found.get(qn("w:val"))


class _StyleFonts:
    """The font each style sets text in, through its ``basedOn`` chain, and the document's default."""

    def __init__(self, styles) -> None:
        self._own: dict[str, tuple[str | None, str | None]] = {}  # id → (its own rFonts ascii, basedOn)
        self._default_paragraph: str | None = None
        for style in styles.findall(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            ascii_ = None
            properties = style.find(qn("w:rPr"))
            if properties is not None and (fonts := properties.find(qn("w:rFonts"))) is not None:
                ascii_ = fonts.get(qn("w:ascii"))
            self._own[sid] = (ascii_, _value(style, "w:basedOn"))
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self._default_paragraph = sid
        self._document_default = None
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if defaults is not None:
            self._document_default = defaults.get(qn("w:ascii"))

    def of_style(self, sid: str | None) -> str | None:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self._own:
            seen.add(sid)
            family, sid = self._own[sid]
            if family:
                return family
        return None

    def of_run(self, run, paragraph_style: str | None) -> str | None:
        properties = run.find(qn("w:rPr"))
        if properties is not None and (fonts := properties.find(qn("w:rFonts"))) is not None \
                and fonts.get(qn("w:ascii")):
            return fonts.get(qn("w:ascii"))
        return (self.of_style(_value(properties, "w:rStyle"))
                or self.of_style(paragraph_style or self._default_paragraph) or self._document_default)
