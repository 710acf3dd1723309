"""Assemble a unit PDF from its front matter and its lessons' own PDFs, without laying anything out again.

The lesson pages are copied as they are (pikepdf), and with them what makes the unit a tagged,
navigable document: each lesson's structure tree becomes a part of the unit's (PDF/UA), its named
destinations (the anchors its links and the contents point at) and its bookmarks join the unit's,
and its language stays with it. A two-sided unit gets a blank page before a lesson that would
otherwise start on a left-hand page.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from typing import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf

from ..handout.unit import LessonPages, UnitPaging


def open_pdf(data: bytes) -> Pdf:
    """A PDF this build wrote, opened for reading its pages or copying them into a unit."""
    return Pdf.open(BytesIO(data))


def lesson_pages(pdf: Pdf) -> LessonPages:
    """A lesson PDF's page count and the page (1-based) of each of its named destinations."""
    index = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
    anchors = {name: index[dest[0].objgen] for name, dest in _destinations(pdf).items()
               if isinstance(dest, Array) and len(dest) and dest[0].objgen in index}
    return LessonPages(len(pdf.pages), anchors)


def assemble_unit(front: bytes, lessons: Iterable[bytes], paging: UnitPaging, *, blank: bytes | None) -> bytes:
    """The unit PDF: ``front`` (cover and contents) then every lesson's pages, as ``paging`` places them.

    The front matter's catalog (metadata, language, viewer preferences) is the unit's; its links to
    the lessons' anchors resolve once the lessons' destinations have joined it. Each lesson PDF is open
    only while it is copied: a tagged lesson is thousands of objects, and a unit of a hundred lessons held
    open at once took most of a gigabyte.
    """
    out = open_pdf(front)
    tree = out.Root.StructTreeRoot
    document = _document_element(tree)
    nums = list(tree.ParentTree.get("/Nums", Array()))
    next_key = max((int(k) for k in nums[0::2]), default=-1) + 1
    dests = _destinations(out)
    outline: list[OutlineItem] = []
    language = str(out.Root.get("/Lang", ""))
    for data, blank_before in zip(lessons, paging.blank_before):
        if blank_before and blank is not None:
            with open_pdf(blank) as sheet:
                out.pages.append(sheet.pages[0])
        first = len(out.pages)
        with open_pdf(data) as src:  # what was copied keeps the bytes it needs once the lesson is closed
            lesson_dests = _destinations(src)
            next_key = _append_lesson(out, src, document, nums, next_key, dests, lesson_dests, language)
            outline += _outline(src, first, lesson_dests)
    tree.ParentTree = Dictionary(Nums=Array(nums))
    tree.ParentTreeNextKey = next_key
    names = out.Root.get("/Names") or out.make_indirect(Dictionary())
    out.Root.Names = names
    names.Dests = NameTree.new(out).obj
    dest_tree = NameTree(names.Dests)
    for name in sorted(dests):
        dest_tree[name] = dests[name]
    with out.open_outline() as opened:
        opened.root.extend(outline)
    strip_actions(out)
    buffer = BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def page_count(data: bytes) -> int:
    """How many pages a PDF this build wrote has."""
    with open_pdf(data) as pdf:
        return len(pdf.pages)


def pad_pages(data: bytes, count: int, blank: bytes) -> bytes:
    """A PDF this build wrote with ``count`` copies of the page of ``blank`` (a page left blank on purpose, which
    says so) after its own: versions of a lesson then print the same number of sheets."""
    out = open_pdf(data)
    with open_pdf(blank) as sheet:
        for _ in range(count):
            out.pages.append(sheet.pages[0])
    buffer = BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()


LINK_SCHEMES = ("http", "https", "mailto")
"""The only web links a unit keeps (as the lesson PDFs themselves: render.pdf)."""


def strip_actions(pdf: Pdf) -> None:
    """Nothing active in a unit, whatever the lesson PDFs it copied hold: no action when the document opens or a
    page is shown, no scripts, attachments or form, and of the annotations only links to a place in the document
    or to a web page. lessonpack's own lesson PDFs carry none of these; a lesson PDF that does was not made by
    this build (an output folder trusted through a guessed key, say), so what it carries is dropped."""
    root = pdf.Root
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if names is not None:
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    for page in pdf.pages:
        if "/AA" in page.obj:
            del page.obj["/AA"]
        annots = page.obj.get("/Annots")
        if annots is not None:
            kept = [annot for annot in annots if _safe_annotation(annot)]
            if len(kept) != len(annots):
                page.obj.Annots = Array(kept)


def _safe_annotation(annot) -> bool:
    """A link to a destination in the document or to a web page, and nothing else."""
    if not isinstance(annot, Dictionary) or annot.get("/Subtype") != Name.Link or "/AA" in annot:
        return False
    action = annot.get("/A")
    if action is None:
        return "/Dest" in annot
    kind = action.get("/S") if isinstance(action, Dictionary) else None
    if kind == Name.GoTo:
        return True
    if kind == Name.URI:
        uri = str(action.get("/URI", ""))
        return uri.split(":", 1)[0].lower() in LINK_SCHEMES and ":" in uri
    return False


def _document_element(tree: Dictionary) -> Dictionary:
    kids = tree.K
    if isinstance(kids, Array):
        return next(k for k in kids if k.get("/S") == Name.Document)
    return kids


def _destinations(pdf: Pdf) -> dict[str, object]:
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    return dict(NameTree(pdf.Root.Names.Dests).items())


def _append_lesson(out: Pdf, src: Pdf, document: Dictionary, nums: list, next_key: int, dests: dict,
                   lesson_dests: dict, language: str) -> int:
    """Copy one lesson's pages, structure and destinations into ``out``; return the next free parent-tree key."""
    offset = next_key
    src_tree = src.Root.StructTreeRoot
    # Renumber the lesson's marked content before copying, so its keys follow the unit's.
    for page in src.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annot in page.obj.get("/Annots", Array()):
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset
    src_nums = list(src_tree.ParentTree.get("/Nums", Array()))
    lesson_doc = _document_element(src_tree)
    del lesson_doc["/P"]  # its parent becomes the unit's document element; the old root is not copied
    lesson_language = str(src.Root.get("/Lang", ""))
    with warnings.catch_warnings():  # the destinations are carried over below, by name
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        out.pages.extend(src.pages)
    part = out.copy_foreign(lesson_doc)
    part.S = Name.Part  # one lesson of the unit
    part.P = document
    if lesson_language and lesson_language != language and "/Lang" not in part:
        part.Lang = pikepdf.String(lesson_language)
    if not isinstance(document.get("/K"), Array):
        document.K = Array([document.K]) if "/K" in document else Array()
    document.K.append(part)
    for key, value in zip(src_nums[0::2], src_nums[1::2]):
        nums.append(int(key) + offset)
        nums.append(_copy(out, src, value))
        next_key = max(next_key, int(key) + offset + 1)
    for name, dest in lesson_dests.items():
        dests[name] = _copy(out, src, dest)  # the lesson's anchor wins over the contents' placeholder
    return next_key


def _copy(out: Pdf, src: Pdf, value):
    """``value`` of ``src`` in ``out``, its references to pages and structure mapped to their copies."""
    return out.copy_foreign(value if value.is_indirect else src.make_indirect(value))


def _outline(src: Pdf, first: int, dests: dict) -> list[OutlineItem]:
    """The lesson's bookmarks, pointing at its pages in the unit (which start at index ``first``)."""
    index = {page.obj.objgen: n for n, page in enumerate(src.pages)}

    def convert(item: OutlineItem) -> OutlineItem:
        dest = item.destination
        if isinstance(dest, (str, pikepdf.String)):
            dest = dests.get(str(dest))
        page, top = first, None
        if isinstance(dest, Array) and len(dest) and dest[0].objgen in index:
            page = first + index[dest[0].objgen]
            if len(dest) >= 4 and dest[1] == Name.XYZ:
                top = dest[3]
        new = OutlineItem(item.title, page, "XYZ", top=top) if top is not None else OutlineItem(item.title, page)
        new.is_closed = item.is_closed
        new.children.extend(convert(child) for child in item.children)
        return new

    with src.open_outline() as opened:
        return [convert(item) for item in opened.root]
