"""The DOCX package: the base document (default or a pack's sanitized reference), page setup, and a
reproducible zip.

Like pandoc's ``--reference-doc``, every DOCX starts from a reference document whose styles it uses.
The built-in one is generated from a style's design tokens; a pack's ``styles/<name>/reference.docx``
contributes only its sanitized styles, numbering, settings, theme and fonts (see reference_import),
and any style it lacks is added with the default look (the caller reports each one).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from xml.sax.saxutils import quoteattr

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

from ...errors import display_path
from ...styles.geometry import Geometry
from ...styles.loader import Style
from .numbering import Numbering, numbering_defs
from .ooxml import W, rpr, set_lang
from .reference_import import ReferenceParts, read_reference
from .styles import StyleDef, style_defs

@dataclass
class Prepared:
    """A document ready to draw on: styles present (name → styleId), numbering, warnings."""

    document: docx.document.Document
    geometry: Geometry
    style_ids: dict[str, str]
    numbering: Numbering
    warnings: list[str] = field(default_factory=list)


def _style_xml(d: StyleDef, ids: dict[str, str], default_lists: dict[str, int]) -> str:
    attrs = f'w:type="{d.kind}" w:styleId="{d.style_id}"'
    if d.default:
        attrs += ' w:default="1"'
    if not d.builtin:
        attrs += ' w:customStyle="1"'
    parts = [f"<w:style {W} {attrs}>", f"<w:name w:val={quoteattr(d.stored_name)}/>"]
    if d.based_on:
        parts.append(f'<w:basedOn w:val="{ids[d.based_on]}"/>')
    if d.next:
        parts.append(f'<w:next w:val="{ids.get(d.next, "Normal")}"/>')
    if d.primary:
        parts.append("<w:qFormat/>")
    ppr_xml = d.ppr
    if d.numbering and d.numbering in default_lists:
        # The style carries its list, so a paragraph an editor adds in this style is numbered too.
        num = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{default_lists[d.numbering]}"/></w:numPr>'
        ppr_xml = _insert_numpr(ppr_xml, num)
    if ppr_xml and d.kind in ("paragraph", "table"):
        parts.append(f"<w:pPr>{ppr_xml}</w:pPr>")
    if d.rpr:
        parts.append(f"<w:rPr>{d.rpr}</w:rPr>")
    if d.table:
        parts.append(d.table)
    parts.append("</w:style>")
    return "".join(parts)


def _insert_numpr(ppr_xml: str, num: str) -> str:
    # numPr follows keepNext/keepLines/pageBreakBefore/widowControl in CT_PPr.
    cut = 0
    for tag in ("<w:keepNext/>", "<w:keepLines/>", "<w:pageBreakBefore/>"):
        at = ppr_xml.find(tag)
        if at >= 0:
            cut = max(cut, at + len(tag))
    return ppr_xml[:cut] + num + ppr_xml[cut:]


def _existing_styles(styles_el) -> dict[str, str]:
    """Lower-cased style name → styleId, for the styles a document already has."""
    out = {}
    for s in styles_el.findall(qn("w:style")):
        name = s.find(qn("w:name"))
        if name is not None:
            out.setdefault(name.get(qn("w:val")).lower(), s.get(qn("w:styleId")))
    return out


def _numbering_element(document) -> object:
    part = document.part
    try:
        return part.part_related_by(RT.NUMBERING).element
    except KeyError:
        xml = f'<w:numbering {nsdecls("w", "r")}/>'
        numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, parse_xml(xml), part.package)
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element


def _clean_default(document, parts: ReferenceParts | None) -> None:
    """Strip python-docx's template to a lean base: our styles only (or the reference's), no leftovers."""
    if parts is None:
        styles_el = document.styles.element
        for s in styles_el.findall(qn("w:style")):
            styles_el.remove(s)
    if parts is None or parts.numbering is None:
        numbering = _numbering_element(document)
        for child in list(numbering):
            numbering.remove(child)
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML or rel.reltype.endswith("/stylesWithEffects"):
            part.rels.pop(rid)
    package = part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    if parts is not None and parts.settings is not None:
        return  # the reference's own settings, as sanitized
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:proofState"):
        for e in settings.findall(qn(tag)):
            settings.remove(e)
    for e in settings.iter(qn("w:compatSetting")):
        if e.get(qn("w:name")) == "compatibilityMode":
            e.set(qn("w:val"), "15")


def _set_doc_defaults(styles_el, geo: Geometry, language: str, *, look: bool) -> None:
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {W}/>")
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if look:
        for child in list(defaults):
            defaults.remove(child)
        t = geo.tokens
        defaults.append(parse_xml(f"<w:rPrDefault {W}><w:rPr>{rpr(font=t.word_body, size=t.size, lang=language)}"
                                  "</w:rPr></w:rPrDefault>"))
        defaults.append(parse_xml(f'<w:pPrDefault {W}><w:pPr><w:spacing w:after="0" w:line="240" '
                                  'w:lineRule="auto"/></w:pPr></w:pPrDefault>'))
        return
    # A pack's reference keeps its look; only the language is the lesson's.
    if rpr_default is None:
        rpr_default = parse_xml(f"<w:rPrDefault {W}><w:rPr/></w:rPrDefault>")
        defaults.insert(0, rpr_default)
    set_lang(rpr_default.find(qn("w:rPr")), language)


def prepare(style: Style, paper: str, language: str = "en", *, use_pack_reference: bool = True) -> Prepared:
    """The document to draw on: the pack's reference.docx (body emptied) or a fresh default one."""
    geo = Geometry.of(style.tokens, paper)
    reference = style.reference_docx if use_pack_reference else None
    # A reference gives only its sanitized styles, numbering, settings, theme and fonts.
    parts = read_reference(reference, [style.reference_root]) if reference is not None else None
    document = docx.Document(io.BytesIO(_base_package(parts)))
    _clean_default(document, parts)

    styles_el = document.styles.element
    _set_doc_defaults(styles_el, geo, language, look=reference is None)
    numbering = Numbering(_numbering_element(document))
    ids = _existing_styles(styles_el)
    defs = style_defs(geo, language)
    style_ids = {d.name: ids.get(d.stored_name.lower(), d.style_id) for d in defs}
    missing = [d for d in defs if d.stored_name.lower() not in ids]
    taken = set(ids.values())
    for i, d in enumerate(missing):
        if d.style_id in taken:  # another style of the reference already uses our id
            missing[i] = replace(d, style_id=_free_id(d.style_id, taken))
            style_ids[d.name] = missing[i].style_id
        taken.add(style_ids[d.name])

    # Numbering: a list keeps the definition its style points at in the reference (an editor who
    # turned "1." into "Q1." in Word keeps it), else the one of the same name, else the default.
    default_lists: dict[str, int] = {}
    linked = {d.numbering: d.name for d in defs if d.numbering}
    present = {d.name for d in defs} - {d.name for d in missing}
    for nd in numbering_defs(geo):
        found = None
        owner = linked.get(nd.name)
        if owner in present:
            found = _style_num_abstract(styles_el, style_ids[owner], numbering)
        if found is None:
            found = numbering.find(nd.name)
        if found is None:
            found = numbering.add_abstract(nd, style_ids)
        numbering.abstract[nd.name] = found
        if owner is not None and owner not in present:
            default_lists[nd.name] = numbering.new_list(nd.name)

    warnings: list[str] = []
    for d in missing:
        styles_el.append(parse_xml(_style_xml(d, style_ids, default_lists)))
        if reference is not None:
            warnings.append(f'{display_path(reference)} has no Word style "{d.name}"; '
                            "added it with the default look")
    if reference is not None:
        normal = _style_el(styles_el, style_ids["Normal"])
        if normal is not None and normal.find(qn("w:rPr")) is not None:
            set_lang(normal.find(qn("w:rPr")), language)

    _apply_tokens(document, geo.tokens, _over_reference(style) if reference is not None else None)
    _page_setup(document, geo)
    return Prepared(document, geo, style_ids, numbering, warnings)


def _over_reference(style) -> set[str]:
    """The token paths a style.yaml sets nearer than the reference document it uses (the style's own, or one
    between it and the style whose reference it is): they win over the reference's Word styles."""
    layers = list(style.layers)
    holder = next((i for i, layer in enumerate(layers) if (layer.folder / "reference.docx") == style.reference_docx),
                  len(layers))
    nearer = [display_path(layer.folder / "style.yaml") for layer in layers[:holder + 1]]
    return {path for path, origin in style.origins if any(f"{yaml}:" in origin for yaml in nearer)}


def _apply_tokens(document, tokens, only: set[str] | None) -> None:
    """Write the tokens' element looks (``elements:``) onto the Word styles that draw each element, through
    python-docx's style API; over a reference document (``only``: the token paths that win over it), also the
    body's and the headings' face, the body's size and colour."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    from ...styles.tokens import ELEMENT_STYLES, length_pt

    def find(names):
        for name in names:
            try:
                return document.styles[name]
            except KeyError:
                continue
        return None

    def set_font(word_style, family):
        word_style.font.name = family
        fonts = word_style.element.rPr.rFonts
        for attr in ("w:cs", "w:eastAsia"):
            fonts.set(qn(attr), family)

    if only is not None:
        normal = find(("Normal",))
        if normal is not None:
            if {"fonts.body", "fonts.word_body"} & only:
                set_font(normal, tokens.word_body)
            if "size" in only:
                normal.font.size = Pt(tokens.size)
            if "colors.text" in only:
                normal.font.color.rgb = RGBColor.from_string(tokens.colors.text[1:])
        if {"fonts.heading", "fonts.word_heading"} & only:
            for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
                if (word_style := find((name,))) is not None:
                    set_font(word_style, tokens.word_heading)
    for element, look in tokens.elements:
        given = {k: v for k, v in look.given().items()
                 if only is None or f"elements.{element}.{k}" in only}
        word_style = find(ELEMENT_STYLES[element]) if given else None
        if word_style is None:
            continue
        if "font" in given:
            set_font(word_style, given["font"])
        if "size" in given:
            word_style.font.size = Pt(given["size"])
        if "color" in given:
            word_style.font.color.rgb = RGBColor.from_string(given["color"][1:])
        if "bold" in given:
            word_style.font.bold = given["bold"]
        if "italic" in given:
            word_style.font.italic = given["italic"]
        paragraph = word_style.paragraph_format
        if "space_before" in given:
            paragraph.space_before = Pt(length_pt(given["space_before"]))
        if "space_after" in given:
            paragraph.space_after = Pt(length_pt(given["space_after"]))
        if "indent" in given:
            paragraph.left_indent = Pt(length_pt(given["indent"]))
        if "line_height" in given or ("size" in given and only is None):
            # Word's lines are exact heights here (as lessonpack's own styles): a bigger size takes its line with it.
            paragraph.line_spacing = Pt(round(given.get("size", tokens.size)
                                              * given.get("line_height", tokens.line_height), 1))
            paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        if "rule" in given or "rule_width" in given:
            _set_bottom_rule(word_style, given.get("rule"), given.get("rule_width"))


PBDR_SUCCESSORS = ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
                   "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
                   "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
                   "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
"""What follows ``w:pBdr`` in a paragraph's properties (CT_PPr's schema order)."""


def _set_bottom_rule(word_style, color: str | None, width: float | None) -> None:
    """The rule under a paragraph style (its bottom border): its colour and width in points (0: none)."""
    ppr_el = word_style.element.get_or_add_pPr()
    borders = ppr_el.find(qn("w:pBdr"))
    if borders is None:
        borders = parse_xml(f"<w:pBdr {W}/>")
        ppr_el.insert_element_before(borders, *(f"w:{tag}" for tag in PBDR_SUCCESSORS))
    bottom = borders.find(qn("w:bottom"))
    if bottom is None:
        bottom = parse_xml(f'<w:bottom {W} w:val="single" w:sz="6" w:space="2" w:color="auto"/>')
        borders.append(bottom)
    if width is not None:
        bottom.set(qn("w:val"), "single" if width else "nil")
        bottom.set(qn("w:sz"), str(max(2, round(width * 8))))
    if color is not None:
        bottom.set(qn("w:color"), color[1:].upper())


APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           b"<Application>lessonpack</Application><DocSecurity>0</DocSecurity></Properties>")
"""The document's application properties: made by lessonpack, and nothing about a template's author."""


def _base_package(parts: ReferenceParts | None) -> bytes:
    """python-docx's default document as a package, with lessonpack's application properties and (a pack's
    reference) the reference's sanitized styles, numbering, settings, theme and fonts in place of its own:
    opened with ``docx.Document``, it is the document to draw on."""
    replaced = {"docProps/app.xml": APP_XML}
    if parts is not None:
        replaced["word/styles.xml"] = parts.styles
        for name, blob in (("word/numbering.xml", parts.numbering), ("word/settings.xml", parts.settings),
                           ("word/theme/theme1.xml", parts.theme), ("word/fontTable.xml", parts.fontTable)):
            if blob is not None:
                replaced[name] = blob
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_default_package())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, replaced.get(info.filename, src.read(info.filename)))
    return out.getvalue()


@lru_cache(maxsize=1)
def _default_package() -> bytes:
    """The default document python-docx ships (its ``templates/default.docx``), as bytes."""
    return (files("docx") / "templates" / "default.docx").read_bytes()


def _free_id(base: str, taken: set[str]) -> str:
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def _style_el(styles_el, style_id: str):
    for s in styles_el.findall(qn("w:style")):
        if s.get(qn("w:styleId")) == style_id:
            return s
    return None


def _style_num_abstract(styles_el, style_id: str, numbering: Numbering) -> int | None:
    el = _style_el(styles_el, style_id)
    if el is None:
        return None
    num = el.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return numbering.abstract_of(int(num.get(qn("w:val")))) if num is not None else None


def _page_setup(document, geo: Geometry) -> None:
    from docx.shared import Pt

    section = document.sections[0]
    section.page_width, section.page_height = Pt(geo.page_width), Pt(geo.page_height)
    section.top_margin, section.bottom_margin = Pt(geo.top), Pt(geo.bottom)
    section.left_margin, section.right_margin = Pt(geo.left), Pt(geo.right)
    section.header_distance = Pt(max(geo.top - geo.size * 2.2, geo.top * 0.45))
    section.footer_distance = Pt(max(geo.bottom - geo.size * 2.6, geo.bottom * 0.4))
    section.gutter = Pt(0)


# -- reproducible output -------------------------------------------------------------------


def build_time(created: str | None) -> dt.datetime:
    """The handout model's creation time (from SOURCE_DATE_EPOCH), else a fixed date: Word files need one."""
    if created:
        return dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ")
    return dt.datetime(2000, 1, 1)


def save_reproducibly(document, *, when: dt.datetime) -> bytes:
    """Save, then rewrite the zip with fixed entry times and a stable entry order.

    A handout never points outside itself: any external relationship is dropped before saving.
    """
    for part in document.part.package.iter_parts():
        for rid, rel in list(part.rels.items()):
            if rel.is_external:
                part.rels.pop(rid)
    raw = io.BytesIO()
    document.save(raw)
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src:
        names = src.namelist()
        first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in first + sorted(n for n in names if n not in first):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()




def open_reference(parts: ReferenceParts, section: bytes | None = None) -> docx.document.Document:
    """A pack's reference document as python-docx sees it: its sanitized styles, numbering, settings, theme
    and fonts, and (``section``) its page setup; nothing else of it (see reference_import)."""
    document = docx.Document(io.BytesIO(_base_package(parts)))
    if section is not None:
        body = document.element.body
        old = body.find(qn("w:sectPr"))
        if old is not None:
            body.remove(old)
        body.append(parse_xml(section))
    return document
