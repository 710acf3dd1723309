"""The fonts a Word document names, inside it: Word's embedded-font parts, so a computer without them lays out
the same pages.

Each face is stored as ``word/fonts/fontN.odttf``, obfuscated as ECMA-376 Part 1 §17.8.1 says (the first 32 bytes
of the file XORed with the font key, a GUID, read backwards), and named in ``word/fontTable.xml``
(``w:embedRegular``, ``w:embedBold``, ``w:embedItalic``, ``w:embedBoldItalic``, each with its ``w:fontKey``);
``w:embedTrueTypeFonts`` in the settings asks Word to keep them when the document is saved again. Only families
lessonpack has the files of are embedded: the bundled ones and a pack's ``fonts/`` (both under licences that allow
embedding: the OFL, DejaVu's). The font key is made from the file's hash, so the same fonts give the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ...styles.fonts import SYMBOLS, face_files
from .symbols import SYMBOLS_NAME

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
"""The content type of an embedded, obfuscated font part."""

FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"

FACES = (("normal", "normal", "embedRegular"), ("bold", "normal", "embedBold"), ("normal", "italic", "embedItalic"),
         ("bold", "italic", "embedBoldItalic"))
"""The faces Word embeds, as (weight, style) → the element of the font table that names each."""

_FONT_CHILDREN = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig", "embedRegular",
                  "embedBold", "embedItalic", "embedBoldItalic")
"""The children of a font table's ``w:font``, in the order the schema wants them."""

_BEFORE_EMBED = {qn(f"w:{name}") for name in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData")}
"""The settings that come before ``w:embedTrueTypeFonts`` in the schema's order."""


def font_key(data: bytes) -> str:
    """The font key of a font file: a GUID made from its hash (the same file, the same key)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """A font file obfuscated with ``key`` (ECMA-376 Part 1 §17.8.1): its first 32 bytes XORed with the key's 16
    bytes, which are the GUID's hex digits read from its end. Obfuscating again gives the file back."""
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ digits[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def named_families(document) -> list[str]:
    """The families the document's styles and defaults name (``w:rFonts``' ascii and hAnsi), in order."""
    found: list[str] = []
    for element in document.styles.element.iter(qn("w:rFonts")):
        for attr in ("w:ascii", "w:hAnsi"):
            value = element.get(qn(attr))
            if value and value not in found:
                found.append(value)
    return found


def embed_fonts(document, families: list[str], pack_root: Path | None = None, *, symbols: str = "") -> list[str]:
    """Embed every face lessonpack has of each of ``families`` into ``document``, and, for ``symbols`` (the
    characters :mod:`.symbols` set in the symbols font), that font with only those characters, under the name of
    its own the runs name (marked ``w:subsetted``, as Word marks the fonts it saves in part); the families
    embedded."""
    table_part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if table_part is None:
        return []
    table = etree.fromstring(table_part.blob)
    embedded: list[str] = []
    number = 0
    wanted = [(family, family, "") for family in dict.fromkeys(families)]
    if symbols:
        wanted.append((SYMBOLS, SYMBOLS_NAME, symbols))
    for family, name, keep in wanted:
        faces = face_files(family, pack_root)
        if keep:
            faces = {face: path for face, path in faces.items() if face == ("normal", "normal")}
        if not faces:
            continue
        font = next((f for f in table.findall(qn("w:font")) if f.get(qn("w:name")) == name), None)
        if font is None:
            font = etree.SubElement(table, qn("w:font"))
            font.set(qn("w:name"), name)
        for child in [c for c in font if etree.QName(c).localname.startswith("embed")]:
            font.remove(child)
        for weight, style, element in FACES:
            path = faces.get((weight, style))
            if path is None:
                continue
            data = Path(path).read_bytes()
            if keep:
                data = subset(data, keep, name)
            key = font_key(data)
            number += 1
            part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscate(data, key),
                        document.part.package)
            rid = table_part.relate_to(part, FONT_RELATIONSHIP)
            embed = etree.Element(qn(f"w:{element}"))
            embed.set(qn("r:id"), rid)
            embed.set(qn("w:fontKey"), key)
            if keep:
                embed.set(qn("w:subsetted"), "1")
            _insert(font, embed)
        embedded.append(name)
    if embedded:
        table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
        _ask_to_keep(document)
    return embedded


def subset(data: bytes, characters: str, family: str) -> bytes:
    """The font file ``data`` with only the glyphs of ``characters`` (and what they need), its metrics kept and its
    family named ``family`` (a modified font goes by a name of its own, as the DejaVu and OFL licences ask;
    fontTools' subsetter: the same file and characters give the same bytes)."""
    import io

    from fontTools import subset as fonttools_subset
    from fontTools.ttLib import TTFont

    options = fonttools_subset.Options()
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a word processor reads
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(io.BytesIO(data), lazy=False, recalcTimestamp=False)  # the same bytes at any time
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in characters])
    log = logging.getLogger("fontTools.subset")
    level = log.level
    log.setLevel(logging.ERROR)  # its notes on tables it leaves out are not the teacher's concern
    try:
        subsetter.subset(font)
    finally:
        log.setLevel(level)
    table = font["name"]
    was = table.getDebugName(1) or ""
    for record in table.names:
        if record.nameID in (1, 3, 4, 16):
            record.string = str(record.toUnicode()).replace(was, family) if was else family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _insert(font, child) -> None:
    """``child`` in its place among the font's children (the schema's order)."""
    rank = _FONT_CHILDREN.index(etree.QName(child).localname)
    for i, existing in enumerate(font):
        name = etree.QName(existing).localname
        if name in _FONT_CHILDREN and _FONT_CHILDREN.index(name) > rank:
            font.insert(i, child)
            return
    font.append(child)


def _ask_to_keep(document) -> None:
    """``w:embedTrueTypeFonts`` in the settings: Word keeps the fonts inside when the document is saved again."""
    settings = document.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    flag = parse_xml('<w:embedTrueTypeFonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    at = 0
    for i, child in enumerate(settings):
        if child.tag in _BEFORE_EMBED:
            at = i + 1
    settings.insert(at, flag)
