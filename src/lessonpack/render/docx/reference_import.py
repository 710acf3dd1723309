"""A pack's Word ``reference.docx``, taken apart safely: only its styles, numbering, theme, settings and fonts.

A reference document comes with a pack, so it is untrusted. lessonpack never opens it as a whole
document: it reads five parts from the zip (with caps on entries, sizes and compression ratio, so a
zip bomb is refused before it is inflated), parses each without DTDs or entity expansion, and drops
every element that points at another part or an outside resource (attached templates, mail-merge
sources, picture bullets, embedded fonts, theme pictures). Macros and external relationships are never read; of
the body, :func:`inspect_reference` reads only its page setup and the names of its content controls, to carry the
margins and to warn about what cannot carry; of the headers and footers the last section names, only their text,
Word's page fields and one picture are read (:func:`read_reference_letterhead`), under the same caps. Those
headers and footers are the one thing carried into the handouts' Word documents as Word wrote them (their fonts,
tabs, tables and layout), after :func:`word_part` keeps only WordprocessingML's text, tables, page fields and that
picture: no other part is ever copied. This module does not import python-docx, so ``check`` can use it cheaply.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Sequence

from lxml import etree

from ... import limits
from ...errors import Diagnostic, display_path
from ...load.packfiles import PackFileError, read_pack_file

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Relationship type (last path segment) → the part name Word uses when there is no relationship file.
WANTED = {"styles": "word/styles.xml", "numbering": "word/numbering.xml", "settings": "word/settings.xml",
          "theme": "word/theme/theme1.xml", "fontTable": "word/fontTable.xml"}
EXPECTED_ROOT = {"styles": f"{{{W_NS}}}styles", "numbering": f"{{{W_NS}}}numbering",
                 "settings": f"{{{W_NS}}}settings", "fontTable": f"{{{W_NS}}}fonts", "theme": None}
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
KEPT_SETTINGS = {f"{{{W_NS}}}{name}" for name in (
    "zoom", "removePersonalInformation", "removeDateAndTime", "doNotDisplayPageBoundaries", "mirrorMargins",
    "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit",
    "hyphenationZone", "doNotHyphenateCaps", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "footnotePr", "endnotePr", "compat", "themeFontLang", "clrSchemeMapping",
    "decimalSymbol", "listSeparator", "defaultTableStyle")} | {f"{{{M_NS}}}mathPr"}
"""The settings a reference document may carry into every handout: how pages, hyphenation, tabs, grids, notes and
equations are laid out. Everything else is dropped — a template to attach, a mail-merge source, document
variables, a request to update fields (lessonpack asks for that itself where a handout needs it), protection, VML
shape defaults that may name pictures, revision tracking — as is any element inside a kept setting that is not
Word's or its equation markup's own (a VML fill that names an address)."""


@dataclass(frozen=True)
class ReferenceParts:
    """The usable parts of a reference document, each as sanitized XML bytes (None when absent)."""

    styles: bytes
    numbering: bytes | None = None
    settings: bytes | None = None
    theme: bytes | None = None
    fontTable: bytes | None = None  # noqa: N815 - the relationship type's own name


def _error(path: Path, message: str, hint: str | None = None) -> PackFileError:
    return PackFileError(Diagnostic(display_path(path), 1, 1, "error", message,
                                    hint or "save it again from Word as a .docx document, or delete it to use "
                                            "the built-in Word styles"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _parse(path: Path, name: str, data: bytes) -> etree._Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # before parsing: libxml2 may expand entities it sees
        raise _error(path, f"reference document: {name} declares a DTD; lessonpack refuses XML with DTDs or entities")
    try:
        tree = etree.parse(BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise _error(path, f"reference document: {name} is not well-formed XML ({exc.msg})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _error(path, f"reference document: {name} declares a DTD; lessonpack refuses XML with DTDs or entities")
    return tree.getroot()


def _read_entry(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    cap = limits.MAX_DOCX_PART_BYTES
    if info.file_size > cap:
        raise _error(path, f"reference document: {info.filename} is {info.file_size:,} bytes uncompressed; the limit "
                           f"for one part is {cap:,} bytes")
    if info.file_size > max(info.compress_size, 1) * limits.MAX_DOCX_RATIO + 4096:
        raise _error(path, f"reference document: {info.filename} expands {info.file_size // max(info.compress_size, 1):,} "
                           f"times when unpacked (a zip bomb); the limit is {limits.MAX_DOCX_RATIO} times")
    try:
        with archive.open(info) as handle:
            data = handle.read(cap + 1)  # the header may lie about the size: never read past the cap
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _error(path, f"reference document: cannot unpack {info.filename} ({exc})") from None
    if len(data) > cap:
        raise _error(path, f"reference document: {info.filename} is more than {cap:,} bytes uncompressed")
    return data


def _targets(path: Path, archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Part names of the wanted parts, from the main document's relationships (Word's defaults otherwise)."""
    found = dict(WANTED)
    rels = entries.get("word/_rels/document.xml.rels")
    if rels is None:
        return found
    root = _parse(path, rels.filename, _read_entry(path, archive, rels))
    for rel in root.iter(f"{{{PKG_RELS_NS}}}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if kind in WANTED and rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join("word", rel.get("Target") or ""))
            if not target.startswith("..") and not target.startswith("/"):
                found[kind] = target
    return found


def _sanitize(kind: str, root: etree._Element) -> bytes:
    """Drop every element that refers to another part or an outside resource; of the settings, keep only those
    on :data:`KEPT_SETTINGS`, once each."""
    doomed = []
    kept: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        local = etree.QName(element).localname
        if kind == "settings" and element.getparent() is root:
            if element.tag not in KEPT_SETTINGS or element.tag in kept:
                doomed.append(element)  # not on the list, or a second copy of one that is
            kept.add(element.tag)
        elif kind == "settings" and etree.QName(element).namespace not in (W_NS, M_NS):
            doomed.append(element)  # inside a kept setting: only Word's and its equations' own markup
        elif any(attr.startswith(f"{{{R_NS}}}") for attr in element.attrib):
            doomed.append(element)  # r:id, r:embed, r:link: a relationship lessonpack does not copy
        elif kind == "numbering" and local in ("numPicBullet", "lvlPicBulletId"):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_reference(path: Path, roots: Sequence[Path]) -> ReferenceParts:
    """The sanitized styles, numbering, settings, theme and font table of a pack's ``reference.docx``."""
    raw = read_pack_file(path, roots, limit=limits.MAX_REFERENCE_DOCX_BYTES, what="reference document")
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _error(path, f"not a Word document that lessonpack can read ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.MAX_DOCX_ENTRIES:
            raise _error(path, f"reference document has {len(infos):,} entries; the limit is "
                               f"{limits.MAX_DOCX_ENTRIES:,}")
        entries = {info.filename: info for info in infos}
        parts: dict[str, bytes] = {}
        total = 0
        for kind, name in _targets(path, archive, entries).items():
            info = entries.get(name)
            if info is None:
                continue
            data = _read_entry(path, archive, info)
            total += len(data)
            if total > limits.MAX_DOCX_TOTAL_BYTES:
                raise _error(path, f"reference document: its styles, numbering, settings, theme and fonts unpack to "
                                   f"more than {limits.MAX_DOCX_TOTAL_BYTES:,} bytes; that is the limit")
            root = _parse(path, name, data)
            expected = EXPECTED_ROOT[kind]
            if expected is not None and root.tag != expected:
                raise _error(path, f"reference document: {name} is not a Word {kind} part")
            parts[kind] = _sanitize(kind, root)
    if "styles" not in parts:
        raise _error(path, "not a Word document that lessonpack can read (it has no styles part, word/styles.xml)")
    return ReferenceParts(**parts)


@dataclass(frozen=True)
class Inspection:
    """What a reference document holds besides its styles: its page setup, and what cannot carry into a handout."""

    section: bytes | None  # the body's last w:sectPr (page size and margins), without its relationships
    unsupported: tuple[str, ...]  # one phrase per thing found that lessonpack does not use, naming it


UNSUPPORTED_PARTS = (("word/vbaProject.bin", "a macro project (word/vbaProject.bin); macros are never copied or run"),
                     ("word/activeX/", "ActiveX controls (word/activeX/); they are never copied"),
                     ("word/embeddings/", "embedded objects (word/embeddings/); they are never copied"))
"""Parts of a reference document that lessonpack never uses, with what a warning says of each."""


def inspect_reference(path: Path, roots: Sequence[Path]) -> Inspection:
    """The page setup of a pack's ``reference.docx`` and everything in it that cannot carry into a handout
    (a macro project, ActiveX controls, embedded objects, content controls ``w:sdt``), read with the same caps
    as its styles."""
    raw = read_pack_file(path, roots, limit=limits.MAX_REFERENCE_DOCX_BYTES, what="reference document")
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _error(path, f"not a Word document that lessonpack can read ({exc})") from None
    found: list[str] = []
    section = None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.MAX_DOCX_ENTRIES:
            raise _error(path, f"reference document has {len(infos):,} entries; the limit is "
                               f"{limits.MAX_DOCX_ENTRIES:,}")
        names = [info.filename for info in infos]
        for prefix, phrase in UNSUPPORTED_PARTS:
            if any(name == prefix or (prefix.endswith("/") and name.startswith(prefix)) for name in names):
                found.append(phrase)
        body = next((info for info in infos if info.filename == "word/document.xml"), None)
        if body is not None:
            root = _parse(path, body.filename, _read_entry(path, archive, body))
            tags = sorted({alias.get(f"{{{W_NS}}}val") or "" for sdt in root.iter(f"{{{W_NS}}}sdt")
                           for alias in sdt.iter(f"{{{W_NS}}}tag", f"{{{W_NS}}}alias")} - {""})
            count = sum(1 for _ in root.iter(f"{{{W_NS}}}sdt"))
            if count:
                named = f" ({', '.join(tags[:5])}{', …' if len(tags) > 5 else ''})" if tags else ""
                found.append(f"{count} content control{'s' if count > 1 else ''} (w:sdt){named}; a handout's "
                             "content comes from the lesson file, so they are never copied")
            body_el = root.find(f"{{{W_NS}}}body")
            sect = body_el.find(f"{{{W_NS}}}sectPr") if body_el is not None else None
            if sect is not None:
                section = _sanitize("section", sect)
    return Inspection(section, tuple(found))


# -- the reference's own header, footer and logo ---------------------------------------------------

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
FIELDS = {"PAGE": "{page}", "NUMPAGES": "{pages}", "SECTIONPAGES": "{pages}", "DATE": "{date}",
          "TITLE": "{title}", "AUTHOR": "{teacher}"}
"""Word's fields a reference's header or footer may use, as the letterhead's placeholders."""


@dataclass(frozen=True)
class ReferenceLetterhead:
    """What a reference document's header and footer hold that a letterhead can print: their text (Word's page
    fields as placeholders), at most one picture, and a note for each thing that cannot be carried over."""

    header: str = ""
    footer: str = ""
    first_header: str = ""  # the first page's own header, when it has one
    picture: bytes | None = None
    notes: tuple[str, ...] = ()
    word: tuple[tuple[str, bytes], ...] = ()  # ("default-header", its XML)…: the parts as :func:`word_part` keeps
    tables: tuple[str, ...] = ()  # a table in them, which Word keeps and the PDF prints as text (a note each)


WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PART_NAMESPACES = {W_NS, WP_NS, A_NS, PIC_NS}
"""The markup a header or footer keeps: Word's own text and tables, and DrawingML's picture in its place."""

KEPT_ATTRIBUTES = {None, W_NS, R_NS, "http://www.w3.org/XML/1998/namespace"}
"""The attributes a kept element keeps: DrawingML's own (unqualified), Word's, ``xml:space``, and the
relationships (all but the logo's are taken out below)."""

LOGO_RELATIONSHIP = "lpLogo"
"""What a kept picture's ``r:embed`` names in :func:`word_part`'s XML: the Word drawer relates it to the logo."""

UNWRAPPED = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink"}
"""Word elements a header keeps the content of, not the element: content controls, tracked insertions, and links
(their text stays; no address is followed)."""

DROPPED = {"object", "pict", "control", "altChunk", "subDoc", "del", "moveFrom", "sdtPr", "sdtEndPr", "numPr",
           "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "commentReference",
           "footnoteReference", "endnoteReference", "permStart", "permEnd", "proofErr", "sectPr", "customXmlPr",
           "rPrChange", "pPrChange", "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange", "attachedTemplate",
           "txbxContent", "cellIns", "cellDel", "cellMerge", "tblGridChange", "tblPrExChange", "numberingChange"}
"""Word elements a header drops with all they hold: embedded objects, ActiveX controls, VML shapes, other parts
and their references (a comment, a footnote, a sub-document), tracked deletions and changes, and bookmarks (whose
names could collide with the handout's own)."""


def word_part(root: etree._Element, picture: str | None, images: dict[str, str]) -> bytes:
    """A header or footer part as the handouts' Word documents carry it: every element outside
    :data:`PART_NAMESPACES` and every one of :data:`DROPPED` gone, :data:`UNWRAPPED` ones replaced by what they
    hold, fields other than the page's number and count, the date, title and author gone (with their results),
    and every relationship gone but a picture whose target is ``picture`` (``images``: the part's relationships),
    which names :data:`LOGO_RELATIONSHIP`; a drawing left without its picture goes too."""
    root = etree.fromstring(etree.tostring(root), _parser())  # a copy, parsed again as any part is
    doomed: list = []
    unwrap: list = []
    for element in root.iter():
        if element is root:
            continue
        if not isinstance(element.tag, str):
            doomed.append(element)
            continue
        name = etree.QName(element)
        if name.namespace not in PART_NAMESPACES or (name.namespace == W_NS and name.localname in DROPPED) or (
                name.namespace == A_NS and name.localname in ("hlinkClick", "hlinkHover")):
            doomed.append(element)
            continue
        for attr in [a for a in element.attrib if etree.QName(a).namespace not in KEPT_ATTRIBUTES]:
            del element.attrib[attr]  # another vocabulary's (w14:paraId…), which Word may refuse or find twice
        if name.namespace == W_NS and name.localname == "fldSimple":
            kept = _page_field(element.get(f"{{{W_NS}}}instr") or "")
            if not kept:  # any other field goes with its result, as a complex one does
                doomed.append(element)
                continue
            element.set(f"{{{W_NS}}}instr", kept)
            for attr in [a for a in element.attrib if a != f"{{{W_NS}}}instr"]:
                del element.attrib[attr]
        elif name.namespace == W_NS and name.localname in UNWRAPPED:
            unwrap.append(element)
        for attr in [a for a in element.attrib if a.startswith(f"{{{R_NS}}}")]:
            if name.localname == "blip" and attr == f"{{{R_NS}}}embed" and picture is not None \
                    and images.get(element.get(attr) or "") == picture:
                element.set(attr, LOGO_RELATIONSHIP)
            else:
                del element.attrib[attr]
    _remove(doomed)
    for element in reversed(unwrap):  # innermost first
        parent = element.getparent()
        if parent is None:
            continue
        at = parent.index(element)
        for child in reversed([c for c in element if not (isinstance(c.tag, str) and etree.QName(c).localname
                                                          in ("sdtPr", "sdtEndPr"))]):
            parent.insert(at, child)
        parent.remove(element)
    for p in list(root.iter(f"{{{W_NS}}}p")):
        _keep_page_fields(p)
    _remove([d for d in root.iter(f"{{{W_NS}}}drawing")
             if not any(b.get(f"{{{R_NS}}}embed") == LOGO_RELATIONSHIP for b in d.iter(f"{{{A_NS}}}blip"))])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _remove(elements: list) -> None:
    for element in elements:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _page_field(instruction: str) -> str:
    """The field a header keeps (PAGE, NUMPAGES…: :data:`FIELDS`), from its instruction; "" for any other."""
    words = instruction.split()
    return words[0].upper() if words and words[0].upper() in FIELDS else ""


def _keep_page_fields(p: etree._Element) -> None:
    """A paragraph's complex fields (``w:fldChar`` begin … end, however the runs hold them): a page field stays,
    its instruction cut to its name; any other goes, instruction and result (one nested in another goes with it),
    and so does a field never closed. Read element by element in the document's order, so that a run holding
    the end of one field and the whole of another is judged field by field."""
    depth, keep = 0, True
    field: list = []  # the content elements of the field open now (its fldChars, instruction and result)
    doomed: list = []
    for run in list(p.iter(f"{{{W_NS}}}r")):
        for element in list(run):
            if not isinstance(element.tag, str) or element.tag == f"{{{W_NS}}}rPr":
                continue
            kind = element.get(f"{{{W_NS}}}fldCharType") if element.tag == f"{{{W_NS}}}fldChar" else None
            if kind == "begin":
                depth += 1
                if depth == 1:
                    field, keep = [], True
                else:
                    keep = False  # a field inside another: the outer goes, and everything in it
            if not depth:
                continue
            field.append(element)
            if element.tag == f"{{{W_NS}}}instrText":
                found = _page_field(element.text or "")
                if found and depth == 1:
                    element.text = f" {found} "
                elif (element.text or "").strip():
                    keep = False
            if kind == "end":
                depth -= 1
                if depth == 0 and not keep:
                    doomed += field
    if depth:  # a field never closed: nothing of it is kept
        doomed += field
    _remove(doomed)
    for run in list(p.iter(f"{{{W_NS}}}r")):  # a run left with nothing but its look goes too
        if all(isinstance(c.tag, str) and c.tag == f"{{{W_NS}}}rPr" for c in run):
            _remove([run])


def _part_text(root: etree._Element, notes: list[str], where: str) -> str:
    """A header's or footer's paragraphs as text, its fields as placeholders (others are noted)."""
    lines = []
    for p in root.iter(f"{{{W_NS}}}p"):
        if any(etree.QName(a).localname == "txbxContent" for a in p.iterancestors()):
            continue
        out: list[str] = []
        in_result = False
        for element in p.iter():
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if name == "fldSimple":
                instr = (element.get(f"{{{W_NS}}}instr") or "").split()
                word = instr[0].upper() if instr else ""
                out.append(FIELDS.get(word, ""))
                if word not in FIELDS:
                    notes.append(f"the {word or 'empty'} field in its {where}")
                for t in element.iter(f"{{{W_NS}}}t"):
                    t.text = ""  # the field's cached result is not the text
            elif name == "instrText":
                instr = (element.text or "").split()
                word = instr[0].upper() if instr else ""
                if word:
                    out.append(FIELDS.get(word, ""))
                    if word not in FIELDS:
                        notes.append(f"the {word} field in its {where}")
            elif name == "fldChar":
                kind = element.get(f"{{{W_NS}}}fldCharType")
                in_result = kind == "separate"
            elif name == "t" and not in_result:
                out.append(element.text or "")
            elif name == "tab":
                out.append(" ")
        line = "".join(out).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def read_reference_letterhead(path: Path, roots: Sequence[Path]) -> ReferenceLetterhead | None:
    """The header and footer a reference document's last section gives every page (and its first page), as a
    letterhead can print them: plain text and one picture; a note names each thing in them that cannot be
    carried over (a table, a text box or shape, a second picture, another field). None when it has neither."""
    raw = read_pack_file(path, roots, limit=limits.MAX_REFERENCE_DOCX_BYTES, what="reference document")
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    with archive:
        if len(archive.infolist()) > limits.MAX_DOCX_ENTRIES:
            return None
        entries = {info.filename: info for info in archive.infolist()}
        if "word/document.xml" not in entries or "word/_rels/document.xml.rels" not in entries:
            return None

        def rels_of(part: str) -> dict[str, str]:
            name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if name not in entries:
                return {}
            root = _parse(path, name, _read_entry(path, archive, entries[name]))
            out = {}
            for rel in root.iter(f"{{{PKG_RELS_NS}}}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(part), rel.get("Target") or ""))
                out[rel.get("Id") or ""] = target
            return out

        document = _parse(path, "word/document.xml", _read_entry(path, archive, entries["word/document.xml"]))
        sections = list(document.iter(f"{{{W_NS}}}sectPr"))
        if not sections:
            return None
        targets = rels_of("word/document.xml")
        found: dict[str, str] = {}
        for kind, tag in (("header", "headerReference"), ("footer", "footerReference")):
            for ref in sections[-1].findall(f"{{{W_NS}}}{tag}"):
                which = ref.get(f"{{{W_NS}}}type") or "default"
                target = targets.get(ref.get(f"{{{R_NS}}}id") or "")
                if target in entries and which in ("default", "first"):
                    found[f"{which}-{kind}"] = target
        if not found:
            return None
        notes: list[str] = []
        texts: dict[str, str] = {}
        pictures: list[bytes] = []
        word: dict[str, bytes] = {}
        chosen: str | None = None  # the one picture's part, wherever it is first
        tables: list[str] = []  # what the PDF prints as text, without its columns
        for key, part in found.items():
            where = key.replace("default-", "").replace("first-", "first page's ")
            root = _parse(path, part, _read_entry(path, archive, entries[part]))
            if root.find(f".//{{{W_NS}}}tbl") is not None:
                tables.append(f"the table in its {where}")
            if any(etree.QName(e).localname in ("txbxContent", "pict", "wsp") for e in root.iter()
                   if isinstance(e.tag, str)):
                notes.append(f"a text box or shape in its {where}")
            images = rels_of(part)
            for blip in root.iter(f"{{{A_NS}}}blip"):
                target = images.get(blip.get(f"{{{R_NS}}}embed") or "")
                if target in entries and not pictures:
                    pictures.append(_read_entry(path, archive, entries[target]))
                    chosen = target
                elif target and target != chosen:
                    notes.append(f"a second picture in its {where}")
            word[key] = word_part(root, chosen, images)
            texts[key] = _part_text(root, notes, where)
    header = texts.get("default-header", "")
    first = texts.get("first-header", "")
    footer = texts.get("default-footer", "") or texts.get("first-footer", "")
    if not (header or first or footer or pictures):
        return None
    return ReferenceLetterhead(header, footer, first, pictures[0] if pictures else None,
                               tuple(dict.fromkeys(notes)), tuple(sorted(word.items())), tuple(dict.fromkeys(tables)))
