"""OOXML building blocks for the DOCX renderer: units, run and paragraph properties, borders, numbering."""

from __future__ import annotations

import hashlib

from xml.sax.saxutils import quoteattr

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

W = nsdecls("w")


def tw(points: float) -> int:
    """Points → twentieths of a point (twips), Word's unit for lengths."""
    return int(round(points * 20))


def half_points(points: float) -> int:
    return int(round(points * 2))


def hex_color(color: str) -> str:
    return color.lstrip("#").upper()


MIN_RULE_EIGHTHS = 6
"""The thinnest rule drawn, in eighths of a point: 0.75 pt, which a copier keeps (a thinner one breaks up)."""


def border(side: str, color: str, eighths: int, space: int = 0) -> str:
    eighths = max(eighths, MIN_RULE_EIGHTHS)
    return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{hex_color(color)}"/>'


def rpr(*, font: str | None = None, bold: bool = False, italic: bool = False, upright: bool = False, caps: bool = False,
        color: str | None = None, size: float | None = None, underline: str | None = None,
        underline_color: str | None = None, raise_pt: float | None = None, shade: str | None = None,
        border: str | None = None, lang: str | None = None) -> str:
    """Run properties, children in schema order. ``upright``: italic switched off, against a base style's."""
    out = []
    if font:
        f = quoteattr(font)
        out.append(f"<w:rFonts w:ascii={f} w:hAnsi={f} w:cs={f} w:eastAsia={f}/>")
    if bold:
        out.append("<w:b/><w:bCs/>")
    if italic:
        out.append("<w:i/><w:iCs/>")
    elif upright:
        out.append('<w:i w:val="0"/><w:iCs w:val="0"/>')
    if caps:
        out.append("<w:caps/>")
    if color:
        out.append(f'<w:color w:val="{hex_color(color)}"/>')
    if raise_pt:
        out.append(f'<w:position w:val="{half_points(raise_pt)}"/>')
    if size:
        out.append(f'<w:sz w:val="{half_points(size)}"/><w:szCs w:val="{half_points(size)}"/>')
    if underline:
        tint = f' w:color="{hex_color(underline_color)}"' if underline_color else ""
        out.append(f'<w:u w:val="{underline}"{tint}/>')
    if border:  # a box round the run (the score box)
        out.append(f'<w:bdr w:val="single" w:sz="8" w:space="1" w:color="{hex_color(border)}"/>')
    if shade:
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_color(shade)}"/>')
    if lang:
        out.append(f'<w:lang w:val="{lang}"/>')
    return "".join(out)


def ppr(*, keep_next: bool = False, keep_lines: bool = False, page_break: bool = False,
        borders: str = "", shade: str | None = None,
        tabs: tuple[tuple[str, float, str | None], ...] = (), before: float | None = None,
        after: float | None = None, line: float | None = None, exact: float | None = None,
        left: float | None = None, hanging: float | None = None, right: float | None = None,
        contextual: bool = False, jc: str | None = None, outline: int | None = None) -> str:
    """Paragraph properties, children in schema order."""
    out = []
    if keep_next:
        out.append("<w:keepNext/>")
    if keep_lines:
        out.append("<w:keepLines/>")
    if page_break:
        out.append("<w:pageBreakBefore/>")
    if borders:
        out.append(f"<w:pBdr>{borders}</w:pBdr>")
    if shade:
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_color(shade)}"/>')
    if tabs:
        items = "".join(f'<w:tab w:val="{kind}"' + (f' w:leader="{leader}"' if leader else "")
                        + f' w:pos="{tw(pos)}"/>' for kind, pos, leader in tabs)
        out.append(f"<w:tabs>{items}</w:tabs>")
    spacing = []
    if before is not None:
        spacing.append(f'w:before="{tw(before)}"')
    if after is not None:
        spacing.append(f'w:after="{tw(after)}"')
    if exact is not None:
        spacing.append(f'w:line="{tw(exact)}" w:lineRule="exact"')
    elif line is not None:
        spacing.append(f'w:line="{int(round(240 * line))}" w:lineRule="auto"')
    if spacing:
        out.append(f"<w:spacing {' '.join(spacing)}/>")
    ind = []
    if left is not None:
        ind.append(f'w:left="{tw(left)}"')
    if right is not None:
        ind.append(f'w:right="{tw(right)}"')
    if hanging is not None:
        ind.append(f'w:hanging="{tw(hanging)}"')
    if ind:
        out.append(f"<w:ind {' '.join(ind)}/>")
    if contextual:
        out.append("<w:contextualSpacing/>")
    if jc:
        out.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        out.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "".join(out)


def set_num(p: Paragraph, num_id: int) -> None:
    """Direct numbering properties on a paragraph: level 0 of list ``num_id``."""
    numPr = p._p.get_or_add_pPr().get_or_add_numPr()
    numPr.get_or_add_ilvl().val = 0
    numPr.get_or_add_numId().val = num_id


def keep_with_next(p: Paragraph) -> None:
    p.paragraph_format.keep_with_next = True


def page_break_before(p: Paragraph) -> None:
    p.paragraph_format.page_break_before = True


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for a handout anchor: starts with a letter, no hyphens, at most 40 characters.

    A long anchor keeps its end (the part that tells a lesson's sections apart: "…-answer-key") and a
    short digest of the whole, so that two anchors never share a name.
    """
    name = "lp_" + anchor.replace("-", "_")
    if len(name) <= 40:
        return name
    digest = hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:6]
    return f"lp{digest}_{anchor.replace('-', '_')[-(40 - 9):]}"


def bookmark(p: Paragraph, number: int, anchor: str) -> None:
    """Wrap the paragraph's content in a bookmark (a navigation target, like the PDF's outline)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    pPr = p._p.pPr
    (pPr.addnext(start) if pPr is not None else p._p.insert(0, start))
    p._p.append(end)


def field(p: Paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES, PAGEREF) whose cached value is 1, until a word processor computes it."""
    p._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" {instruction} ">'
                          "<w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>"))


def line_break(p: Paragraph) -> None:
    p.add_run()._r.append(OxmlElement("w:br"))


_AFTER_UPDATE_FIELDS = {qn(f"w:{t}") for t in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}
_AFTER_UPDATE_FIELDS.add("{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr")


def update_fields_on_open(document) -> None:
    """Ask the word processor to compute the document's fields when it opens it (Word asks the reader
    first; LibreOffice does it anyway), so a page reference shows the real page, never a cached 1."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    later = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if later is not None:
        later.addprevious(flag)  # schema order
    else:
        settings.append(flag)


def set_lang(rpr_el, language: str) -> None:
    """Give run properties (``w:rPr``) a language (``w:lang``): spelling, hyphenation and the voice that reads
    it follow it."""
    if rpr_el is None:
        return
    lang = rpr_el.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f'<w:lang {nsdecls("w")} w:val="{language}"/>')
        # w:lang sits after everything but eastAsianLayout/specVanish/oMath; append is close enough
        # for the elements Word writes there, and keeps existing ones in place.
        after = [rpr_el.find(qn(t)) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        after = [a for a in after if a is not None]
        (after[0].addprevious(lang) if after else rpr_el.append(lang))
    lang.set(qn("w:val"), language)
