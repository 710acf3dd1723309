"""Read rendered handouts back as a reader meets them: the PDF through its tag tree, the DOCX through Word's model.

- :func:`pdf_blocks` gives the text of a tagged PDF in logical reading order (the structure tree), so
  positioned numbers and floated boxes come where a reader (or a screen reader) meets them; running
  headers and footers are artifacts, outside the tree.
- :class:`Docx` reopens a DOCX with python-docx: paragraphs in body order (table cells row by row),
  each with the number or letter Word's numbering shows before it.
- :func:`words` turns either into comparable words: letters and digits, lower-cased (type case such
  as small capitals is drawing, not content).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _squash(text: str) -> str:
    # Hyphenation is manual: a hyphen at a line's end belongs to the word ("self-|government").
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w-)\s+(?=\w)", "", text)).strip()


def words(text: str) -> list[str]:
    """The words of a text as a reader compares them: runs of letters or digits, lower-cased."""
    return re.findall(r"\w+", text.lower())


# -- PDF ------------------------------------------------------------------------------------------


INLINE_ROLES = {"/Span", "/Link", "/Quote", "/Code", "/Em", "/Strong", "/Note", "/Reference", "/BibEntry"}
"""Structure roles that run on inside a line; every other role is a block of its own."""


@dataclass(frozen=True)
class TaggedNode:
    role: str  # /P, /H1, /Table, /TR, /TD, …
    text: str
    children: tuple["TaggedNode", ...]


def _marked_text(reader: PdfReader) -> dict[tuple[int, int], str]:
    """(page index, MCID) → the text shown inside that marked-content sequence."""
    texts: dict[tuple[int, int], list[str]] = {}
    for index, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(op, args, cm, tm):
            if op == b"BDC":
                props = args[1].get_object() if len(args) > 1 and hasattr(args[1], "get_object") else None
                stack.append(props.get("/MCID") if isinstance(props, DictionaryObject) else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def shown(text, cm, tm, font, size):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                texts.setdefault((index, int(mcid)), []).append(text)

        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return {key: "".join(parts) for key, parts in texts.items()}


def _runs_on(n: TaggedNode) -> bool:
    """A /NonStruct holding only text and inline roles: WeasyPrint's tag for an inline element without a role of its
    own (``<sub>``, ``<sup>``, ``<s>``). The PDF specification reads its content as part of its parent's, so it runs
    on inside its line (H₂O is one word), with no pause before or after it."""
    return n.role == "/NonStruct" and all(c.role in INLINE_ROLES or c.role == "MCID" or _runs_on(c) for c in n.children)


def _join(role: str, texts: list[str], kids) -> str:
    """The text of a node from its children's: run together inside an inline role, with a pause between blocks
    (a reader hears one), and never a pause on either side of a child that runs on inside its line."""
    if role in INLINE_ROLES:
        return "".join(texts)
    out = ""
    for k, (text, kid) in enumerate(zip(texts, kids)):
        out += ("" if k == 0 or _runs_on(kid) or _runs_on(kids[k - 1]) else " ") + text
    return out


def pdf_tree(path: Path | str) -> TaggedNode:
    """The tagged PDF's structure tree, each node with the text below it (logical order)."""
    reader = PdfReader(path)
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    texts = _marked_text(reader)

    def node(obj, page: int | None) -> list[TaggedNode]:
        obj = obj.get_object()
        if isinstance(obj, ArrayObject):
            return [n for child in obj for n in node(child, page)]
        if isinstance(obj, DictionaryObject):
            pg = obj.get("/Pg")
            page = page_of[pg.idnum] if pg is not None else page
            if obj.get("/Type") == "/MCR":
                return node(obj["/MCID"], page)
            role = str(obj.get("/S", ""))
            if role == "/Figure" and "/Alt" in obj:  # a reader hears the alt text, not the picture's lettering
                return [TaggedNode(role, str(obj["/Alt"]), ())]
            kids = tuple(node(obj["/K"], page)) if "/K" in obj else ()
            return [TaggedNode(role, _join(role, [k.text for k in kids], kids), kids)]
        return [TaggedNode("MCID", texts.get((page, int(obj)), ""), ())]

    (root,) = node(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], None) or [TaggedNode("", "", ())]
    return root


def _tables(root: TaggedNode) -> list[TaggedNode]:
    out: list[TaggedNode] = []

    def visit(n: TaggedNode) -> None:
        if n.role == "/Table":
            out.append(n)
        else:
            for child in n.children:
                visit(child)

    visit(root)
    return out


def _head(table: TaggedNode) -> str:
    return _squash(next((c.text for c in table.children if c.role == "/THead"), ""))


def _continuations(root: TaggedNode) -> set[int]:
    """Tables that continue the one before them on a new page: WeasyPrint tags each page's part of a
    table as a table of its own, repeating the header row (which, like a running header, is drawing).
    A table is a continuation only when nothing is read between it and the one before (two keys with a
    heading between them are two tables)."""
    out: set[int] = set()
    previous: list[TaggedNode | None] = [None]  # the last thing read: a table, or None for any text

    def visit(n: TaggedNode) -> None:
        if n.role == "/Table":
            prev = previous[0]
            if prev is not None and _head(n) and _head(n) == _head(prev):
                out.add(id(n))
            previous[0] = n
        elif n.role == "MCID" or (n.role == "/Figure" and not n.children):
            if _squash(n.text):
                previous[0] = None
        else:
            for child in n.children:
                visit(child)

    visit(root)
    return out


def _rows(table: TaggedNode, *, header: bool) -> list[list[str]]:
    parts = [c for c in table.children if header or c.role != "/THead"]
    return [[_squash(c.text) for c in r.children if c.role in ("/TD", "/TH")]
            for part in parts for r in ([part] if part.role == "/TR" else _descendants(part)) if r.role == "/TR"]


def _joined(root: TaggedNode) -> dict[int, list[list[str]]]:
    """Each table's rows with the parts it continues on later pages joined on: the header row once, and a
    row that goes on over the page (its first and last cells empty on the next) joined cell by cell."""
    skip = _continuations(root)
    out: dict[int, list[list[str]]] = {}
    first: list[list[str]] = []
    for table in _tables(root):
        if id(table) not in skip:
            first = out[id(table)] = _rows(table, header=True)
            continue
        rows = _rows(table, header=False)
        if rows and first and len(rows[0]) == len(first[-1]) > 1 and not rows[0][0] and not rows[0][-1]:
            first[-1] = [_squash(f"{a} {b}") for a, b in zip(first[-1], rows.pop(0))]
        first += rows
    return out


def pdf_text(path: Path | str) -> str:
    """All body text of a tagged PDF in reading order (a table once, however many pages it runs over)."""
    root = pdf_tree(path)
    tables = _joined(root)

    def text(n: TaggedNode) -> str:
        if n.role == "MCID" or (n.role == "/Figure" and not n.children):  # a figure read as its alt text
            return n.text
        if n.role == "/Table":  # read row by row from its first part; its later parts are in it
            rows = tables.get(id(n))
            return " ".join(" ".join(row) for row in rows) if rows is not None else ""
        return _join(n.role, [text(c) for c in n.children], n.children)

    return text(root)


def pdf_tables(path: Path | str) -> list[list[list[str]]]:
    """Every table of a tagged PDF: rows of cell texts (a table split over pages is one table)."""
    return list(_joined(pdf_tree(path)).values())


def _descendants(n: TaggedNode):
    for child in n.children:
        yield child
        yield from _descendants(child)


def pdf_running(path: Path | str, page: int = 0) -> dict[str, str]:
    """The running header and footer of one page, by corner: top-left, top-right, bottom-left, bottom-right."""
    reader = PdfReader(path)
    p = reader.pages[page]
    height, width = float(p.mediabox.height), float(p.mediabox.width)
    corners: dict[str, list[tuple[float, str]]] = {k: [] for k in ("top-left", "top-right", "bottom-left",
                                                                     "bottom-right")}

    def shown(text, cm, tm, font, size):
        if not text.strip():
            return
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if 45 < y < height - 45:  # the body: running text sits in the top and bottom margins
            return
        key = ("top" if y > height / 2 else "bottom") + ("-left" if x < width / 2 else "-right")
        corners[key].append((x, text))

    p.extract_text(visitor_text=shown)
    return {k: re.sub(r"\s+", " ", "".join(t for _, t in sorted(v))).strip() for k, v in corners.items()}


def pdf_metadata(path: Path | str) -> dict[str, str]:
    reader = PdfReader(path)
    meta = reader.metadata or {}
    return {"title": meta.get("/Title", ""), "author": meta.get("/Author", ""),
            "subject": meta.get("/Subject", ""), "keywords": meta.get("/Keywords", ""),
            "language": str(reader.trailer["/Root"].get("/Lang", ""))}


# -- DOCX -----------------------------------------------------------------------------------------


@dataclass
class Para:
    style: str
    text: str
    el: object  # the w:p element
    runs: list[tuple[str | None, str]]  # (character style name, text) per run
    num: int | None  # numId from direct numbering properties
    in_table: bool
    label: str = ""  # the number, letter or bullet Word shows before it


def _alt(drawing) -> str:
    """A picture's description (its alt text), which a screen reader reads where the picture stands."""
    described = [e.get("descr", "") for e in drawing.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    return " ".join(described)


def list_number(value: int, fmt: str) -> str:
    """A list number as Word writes it in a numbering format (ECMA-376 §17.18.59): 1, 2, 3 for decimal; A … Z, then
    AA … ZZ, AAA … for upperLetter (the letter repeated, as Word and LibreOffice print it); lowerLetter alike."""
    if fmt == "decimal":
        return str(value)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = LETTERS[(value - 1) % len(LETTERS)] * ((value - 1) // len(LETTERS) + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    raise ValueError(f"numbering format {fmt!r}: readback does not emulate it")


class Docx:
    """A rendered DOCX, reopened: paragraphs in order (tables included), styles by name, list labels."""

    def __init__(self, data: bytes):
        self.data = data
        self.doc = docx.Document(io.BytesIO(data))
        self.names = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
                      for s in self.doc.styles.element.findall(qn("w:style"))}
        self.numbering = self.doc.part.numbering_part.element
        self.paras = [self._para(p) for p in self.doc.element.body.iter(qn("w:p"))]
        self._label_paragraphs()

    def _para(self, p) -> Para:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        runs = []
        for r in p.iter(qn("w:r")):
            rstyle = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
            text = "".join(t.text or "" if t.tag == qn("w:t") else "\t" if t.tag == qn("w:tab")
                           else "\n" if t.tag == qn("w:br") else _alt(t) if t.tag == qn("w:drawing") else ""
                           for t in r)
            runs.append((self.names.get(rstyle.get(qn("w:val"))) if rstyle is not None else None, text))
        in_table = any(a.tag == qn("w:tc") for a in p.iterancestors())
        style_name = self.names[style.get(qn("w:val"))] if style is not None else "Normal"
        return Para(style_name, "".join(t for _, t in runs), p,
                    runs, int(num.get(qn("w:val"))) if num is not None else self._style_num(style_name), in_table)

    def _style_num(self, style_name: str) -> int | None:
        """A list a paragraph gets from its style (Word applies it, so the label shows)."""
        return None  # lessonpack numbers every listed paragraph directly; a style's list only helps editors

    def _label_paragraphs(self) -> None:
        """Word numbering as LibreOffice counts it (ECMA-376 §17.9): one count per abstract list definition,
        which every w:num of that definition continues; a w:num's startOverride restarts the count at the
        first paragraph of that w:num (lessonpack gives each list its own w:num with a startOverride, so each
        list counts from its start). Single-level lists only, as lessonpack writes; anything else is refused
        rather than guessed."""
        levels = {a.get(qn("w:abstractNumId")): a.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='0']")
                  for a in self.numbering.findall(qn("w:abstractNum"))}
        nums: dict[int, tuple[str, int | None]] = {}  # numId → (abstractNumId, its startOverride)
        for n in self.numbering.findall(qn("w:num")):
            override = n.find(f"{qn('w:lvlOverride')}[@{qn('w:ilvl')}='0']")
            if override is not None and override.find(qn("w:lvl")) is not None:
                raise ValueError(f"w:num {n.get(qn('w:numId'))} redefines its level; readback does not emulate that")
            start = override.find(qn("w:startOverride")) if override is not None else None
            nums[int(n.get(qn("w:numId")))] = (n.find(qn("w:abstractNumId")).get(qn("w:val")),
                                               int(start.get(qn("w:val"))) if start is not None else None)
        counts: dict[str, int] = {}  # abstractNumId → the number its last paragraph showed
        begun: set[int] = set()  # the w:num that have shown a paragraph
        for p in self.paras:
            if p.num is None:
                continue
            ilvl = p.el.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
            if ilvl is not None and ilvl.get(qn("w:val")) != "0":
                raise ValueError(f"a paragraph at list level {ilvl.get(qn('w:val'))}; readback reads level 0 only")
            abstract, override = nums[p.num]
            lvl = levels[abstract]
            if p.num not in begun and override is not None:
                counts[abstract] = override - 1
            begun.add(p.num)
            counts[abstract] = counts.get(abstract, int(lvl.find(qn("w:start")).get(qn("w:val"))) - 1) + 1
            fmt, text = lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val"))
            p.label = text if fmt == "bullet" else text.replace("%1", list_number(counts[abstract], fmt))

    def styled(self, name: str) -> list[Para]:
        return [p for p in self.paras if p.style == name]

    def body_text(self) -> str:
        """The body as a reader meets it: each paragraph after its list label, tables row by row."""
        return "\n".join(f"{p.label} {p.text}".strip() for p in self.paras)

    def all_text(self) -> str:
        """Every character of the document, headers and footers included."""
        parts = [p.text for p in self.paras]
        for section in self.doc.sections:
            parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
        return "\n".join(parts)

    def running(self) -> dict[str, str]:
        """Header and footer by corner, as the PDF's (a tab separates left from right; fields show 1)."""
        section = self.doc.sections[0]
        header = "".join(p.text for p in section.header.paragraphs)
        footer_el = section.footer.paragraphs[0]._p
        footer = "".join((t.text or "") if t.tag == qn("w:t") else "\t" if t.tag == qn("w:tab") else ""
                         for t in footer_el.iter(qn("w:t"), qn("w:tab")))
        top_left, _, top_right = header.partition("\t")
        bottom_left, _, bottom_right = footer.partition("\t")
        return {"top-left": top_left.strip(), "top-right": top_right.strip(), "bottom-left": bottom_left.strip(),
                "bottom-right": bottom_right.strip()}

    def tables(self) -> list[list[list[str]]]:
        """Every table: rows of cell texts (list labels included)."""
        by_el = {id(p.el): p for p in self.paras}
        out = []
        for table in self.doc.element.body.iter(qn("w:tbl")):
            rows = []
            for tr in table.iter(qn("w:tr")):
                cells = []
                for tc in tr.iter(qn("w:tc")):
                    texts = [f"{by_el[id(p)].label} {by_el[id(p)].text}".strip()
                             for p in tc.iter(qn("w:p")) if id(p) in by_el]
                    cells.append(_squash(" ".join(t for t in texts if t)))
                rows.append(cells)
            out.append(rows)
        return out

    def metadata(self) -> dict[str, str]:
        core = self.doc.core_properties
        return {"title": core.title, "author": core.author, "subject": core.subject, "keywords": core.keywords,
                "language": core.language}

    def xml(self, name: str) -> str:
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            return z.read(name).decode("utf-8")


BLANK_NOTICES = ("This page is intentionally left blank.", "Esta página se ha dejado en blanco intencionadamente.")


def printed_pages(path: Path | str) -> int:
    """A PDF's pages, not counting those left blank on purpose (two-sided copies: the notice in their middle
    is all they print)."""
    reader = PdfReader(path)
    return sum(1 for page in reader.pages if " ".join((page.extract_text() or "").split()) not in BLANK_NOTICES)
