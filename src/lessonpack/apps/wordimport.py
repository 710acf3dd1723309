"""``lessonpack import``: bring the edits made to a lessonpack Word document back into its lesson file.

A Word document lessonpack made carries a bookmark round every lesson field it prints and custom properties
naming its lesson, edition and version (see :mod:`lessonpack.render.docx.marks`). The importer draws the same
document again from the lesson file as it is now, reads the fields of both, and for every field whose text
differs writes the difference into the lesson file as a text edit at the field's place (:mod:`..load.yamledit`),
so that comments, quoting and layout stay. A reworded field keeps what Word cannot show of the lesson's own
writing (straight quotes, Markdown marks that printed as typography): only the words that changed are replaced,
found by lining up the printed text with the text as written. Choices, questions, key terms, discussion prompts
and objectives removed, moved or added in Word are removed, moved or added in the lists they come from; in a
version (B, C…), the order as printed is mapped back through the version's arrangement
(:mod:`lessonpack.handout.versions`). In the teacher edition a ✔ moved to another choice changes the answer, a
reworded model answer the answer, and "3 points" the points.

What cannot be brought back (a picture pasted in, a table whose rows or columns changed, text typed outside
every field, an edited formula) is reported with its place: the paragraph's number in the document and the
heading it is under. After the edits the lesson is read and validated again; if it fails, nothing is written.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import limits
from ..errors import Diagnostic, LessonpackError
from ..load import yamledit
from ..load.yamledit import EditError, New, carry
from ..load.model import MAX_VERSIONS
from ..render.docx.marks import BLANK as BLANK_MARK, CELL, PROPERTY_NAMES, PARAGRAPH, ROW, mark_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


MATH_OPEN, MATH_CLOSE, NOTE, BLANK = "\ue000", "\ue001", "\ue002", "\ue003"
"""What stands for a formula (a digest of its text between the first two), a footnote's reference and a run of a
blank (a fill-in question's, its number or answer) in a field's text."""
BLANK_STYLES = {"LP Blank", "LP Blank Answer", "LP Blank Number"}
TOKENS = re.compile(f"{MATH_OPEN}[0-9a-f]+{MATH_CLOSE}|{NOTE}|{BLANK}")
NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
"""A number as a lesson writes one: 26, -3, 0.5, 1,500."""

HEADING_STYLES = {"LP Title", "LP Heading 1", "LP Heading 2", "LP Heading 3", "LP Worksheet Title", "Title",
                  "Heading 1", "Heading 2", "Heading 3"}
STRONG_STYLES, EMPHASIS_STYLES, CODE_STYLES = {"Strong"}, {"Emphasis"}, {"LP Code"}
"""Character styles lessonpack draws Markdown's bold, italics and code with (read back as Markdown)."""


def _formula(text: str) -> str:
    """What stands for a formula in a field's text: a digest of its text (what a word processor keeps of an
    equation when it saves), so that an edited formula never reads as the one lessonpack drew."""
    return f"{MATH_OPEN}{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}{MATH_CLOSE}"


@dataclass
class Para:
    number: int  # 1-based, in the body's order (table cells included)
    style: str  # the paragraph style's name
    heading: str  # the heading it is under
    marks: list[str] = field(default_factory=list)  # the field marks that start in it
    loose: str = ""  # its text outside every field mark
    segments: list = field(default_factory=list)  # in order: ["loose", text] and ["field", path]
    pictures: int = 0


@dataclass
class Document:
    """A lessonpack Word document as the importer reads it."""

    properties: dict[str, str]
    fields: dict[tuple, str]  # a field's path (as printed) → its text, in Markdown with formula tokens
    places: dict[tuple, Para]  # where each field's mark starts
    paragraphs: list[Para]
    tables: list[tuple[int, ...]]  # each table's cells per row, in order
    table_places: list[Para | None] = field(default_factory=list)  # each table's first paragraph

    def place(self, para: Para | None) -> str:
        if para is None:
            return "in the document"
        under = f' (under "{para.heading}")' if para.heading else ""
        return f"paragraph {para.number}{under}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def read_document(data: bytes, name: str) -> Document:
    """Read a Word document's marks, fields, paragraphs and tables; refuse one lessonpack did not make."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise LessonpackError(f"error: {name} is not a Word document (.docx); lessonpack import reads the Word "
                              "documents lessonpack build -f docx writes, after editing") from None
    if len(infos) > limits.MAX_DOCX_ENTRIES or sum(i.file_size for i in infos) > limits.MAX_DOCX_TOTAL_BYTES:
        raise LessonpackError(f"error: {name} is far larger inside than a lessonpack Word document; not read")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise LessonpackError(f"error: {name} is not a Word document (it has no word/document.xml)")
    try:
        body_xml = archive.read("word/document.xml")
        styles_xml = archive.read("word/styles.xml") if "word/styles.xml" in names else b""
        custom_xml = archive.read("docProps/custom.xml") if "docProps/custom.xml" in names else b""
        root = etree.fromstring(body_xml, _parser())
        styles = _style_names(etree.fromstring(styles_xml, _parser())) if styles_xml else {}
        properties = _properties(etree.fromstring(custom_xml, _parser())) if custom_xml else {}
    except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise LessonpackError(f"error: {name} cannot be read ({type(exc).__name__}); save it again from Word or "
                              "LibreOffice as a Word document (.docx)") from None
    reader = _Reader(styles)
    body = root.find(_w("body"))
    if body is not None:
        reader.walk(body)
    if not reader.fields:
        raise LessonpackError(f"error: {name} was not made by lessonpack (it has none of the marks lessonpack puts "
                              "round each field), so its changes cannot be brought back; build the lesson's Word "
                              "document with lessonpack build -f docx, edit that one, and import it")
    return Document(properties, {path: _markdown(pieces) for path, pieces in reader.fields.items()}, reader.places,
                    reader.paragraphs, reader.tables, reader.table_places)


def _style_names(root) -> dict[str, str]:
    out = {}
    for style in root.iter(_w("style")):
        name = style.find(_w("name"))
        out[style.get(_w("styleId"), "")] = name.get(_w("val"), "") if name is not None else ""
    return out


def _properties(root) -> dict[str, str]:
    out = {}
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        name = prop.get("name", "")
        if name in PROPERTY_NAMES:
            out[name] = "".join(prop.itertext()).strip()
    return out


class _Reader:
    """Walks the body in order: paragraphs, runs, formulas and the field marks open round them."""

    def __init__(self, styles: dict[str, str]):
        self.styles = styles
        self.open: dict[str, tuple] = {}  # bookmark id → field path
        self.fields: dict[tuple, list] = {}
        self.places: dict[tuple, Para] = {}
        self.paragraphs: list[Para] = []
        self.tables: list[tuple[int, ...]] = []
        self.table_places: list[Para | None] = []  # each table's first paragraph
        self._starts: list[int] = []
        self.heading = ""
        self.para: Para | None = None
        self.in_field = 0  # inside a complex field (w:fldChar begin … end)
        self.tokened: set[tuple] = set()  # (a field, a blank's mark inside it): the blank's token is in its text

    def walk(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == _w("p"):
                self.paragraph(child)
            elif tag == _w("tbl"):
                self.tables.append(tuple(len(tr.findall(_w("tc"))) for tr in child.findall(_w("tr"))))
                at = len(self.table_places)
                self.table_places.append(None)
                self._starts.append(len(self.paragraphs))
                self.walk(child)
                self.table_places[at] = next((p for p in self.paragraphs if p.number > self._before_table(at)),
                                             None)
            elif tag in (_w("tr"), _w("tc"), _w("sdt"), _w("sdtContent"), _w("customXml")):
                self.walk(child)
            elif tag in (_w("bookmarkStart"), _w("bookmarkEnd")):
                self.bookmark(child)

    def _before_table(self, at: int) -> int:
        return self._starts[at] if at < len(self._starts) else 0

    def paragraph(self, p) -> None:
        style_el = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        style = self.styles.get(style_el.get(_w("val"), ""), style_el.get(_w("val"), "")) \
            if style_el is not None else ""
        self.para = Para(len(self.paragraphs) + 1, style, self.heading)
        self.paragraphs.append(self.para)
        for path in self.open.values():  # a field that goes on into this paragraph
            self.fields[path].append(("\n\n", frozenset()))
        self.inline(p)
        if style in HEADING_STYLES:
            self.heading = "".join(p.itertext()).strip()[:80]

    def bookmark(self, el) -> None:
        if el.tag == _w("bookmarkStart"):
            path = mark_path(el.get(_w("name"), ""))
            if path is not None and path not in self.fields:
                self.open[el.get(_w("id"), "")] = path
                self.fields[path] = []
                if self.para is not None:
                    self.places[path] = self.para
                    self.para.marks.append(path)
                    self.para.segments.append(["field", path])
        else:
            self.open.pop(el.get(_w("id"), ""), None)

    def add(self, text: str, fmt: frozenset) -> None:
        if self.in_field:  # a field's result (a page number): the word processor's, not the lesson's
            return
        if self.open:
            for path in self.open.values():
                self.fields[path].append((text, fmt))
        elif self.para is not None:
            self.para.loose += text
            if self.para.segments and self.para.segments[-1][0] == "loose":
                self.para.segments[-1][1] += text
            else:
                self.para.segments.append(["loose", text])

    def inline(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == _w("r"):
                self.run(child)
            elif tag in (_w("bookmarkStart"), _w("bookmarkEnd")):
                self.bookmark(child)
            elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
                text = "".join(t.text or "" for t in child.iter(f"{{{M}}}t"))
                self.add(_formula(text), frozenset({"math"}))
            elif tag in (_w("hyperlink"), _w("smartTag"), _w("ins"), _w("sdt"), _w("sdtContent"), _w("customXml"),
                         _w("moveTo")):
                self.inline(child)
            # w:del, w:moveFrom (tracked deletions), w:fldSimple (a page number a word processor computes),
            # w:pPr and the rest: not text

    def run(self, r) -> None:
        rpr = r.find(_w("rPr"))
        fmt: set[str] = set()
        if rpr is not None:
            style = rpr.find(_w("rStyle"))
            name = self.styles.get(style.get(_w("val"), ""), "") if style is not None else ""
            if name in STRONG_STYLES:
                fmt.add("b")
            elif name in EMPHASIS_STYLES:
                fmt.add("i")
            elif name in CODE_STYLES:
                fmt.add("code")
            elif name in BLANK_STYLES:  # its text (a number, an answer) in the token: a changed one is reported
                raw = "".join(t.text or "" for t in r.iter(_w("t"))).replace("\u00a0", " ")
                text = raw.strip()
                own = [path for path in self.open.values() if path and isinstance(path[-1], tuple)
                       and path[-1][0] == BLANK_MARK]
                if own:  # the answer shown in a marked blank, in however many runs Word keeps it: all its text
                    for path in self.open.values():  # for the blank's own field, one bare token round it
                        if path in own:
                            self.fields[path].append((raw, frozenset({"note"})))
                        elif (path, own[0]) not in self.tokened:
                            self.tokened.add((path, own[0]))
                            self.fields[path].append((BLANK, frozenset({"note"})))
                    return
                self.add(f"{BLANK}{_formula(text)}" if text else BLANK, frozenset({"note"}))
                return
            for tag, key in (("b", "b"), ("i", "i"), ("strike", "strike")):
                flag = rpr.find(_w(tag))
                if flag is not None:
                    (fmt.discard if flag.get(_w("val"), "true") in ("0", "false", "off") else fmt.add)(key)
            align = rpr.find(_w("vertAlign"))
            if align is not None and align.get(_w("val")) in ("subscript", "superscript"):
                fmt.add("sub" if align.get(_w("val")) == "subscript" else "sup")
        frozen = frozenset(fmt)
        for child in r:
            tag = child.tag
            if tag == _w("fldChar"):
                kind = child.get(_w("fldCharType"))
                self.in_field = self.in_field + 1 if kind == "begin" else max(0, self.in_field - 1) \
                    if kind == "end" else self.in_field
            elif tag == _w("t"):
                self.add(child.text or "", frozen)
            elif tag == _w("tab"):
                self.add("\t", frozen)
            elif tag in (_w("br"), _w("cr")):
                self.add("\n", frozen)
            elif tag == _w("noBreakHyphen"):
                self.add("\u2011", frozen)
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                self.add(NOTE, frozenset({"note"}))
            elif tag in (_w("drawing"), _w("pict"), _w("object")) and self.para is not None:
                self.para.pictures += 1


_WRAP = (("code", "`", "`"), ("sub", "~", "~"), ("sup", "^", "^"), ("strike", "~~", "~~"))


def _markdown(pieces: list[tuple[str, frozenset]]) -> str:
    """A field's runs as the lesson's Markdown: **bold**, *italic*, `code`, H~2~O, x^2^, ~~struck~~."""
    groups: list[list] = []
    for text, fmt in pieces:
        if groups and groups[-1][1] == fmt:
            groups[-1][0] += text
        else:
            groups.append([text, fmt])
    out = []
    for text, fmt in groups:
        if not text.strip() or fmt & {"math", "note"}:
            out.append(text)
            continue
        lead = text[:len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        for key, before, after in _WRAP:
            if key in fmt:
                core = before + core + after
        marks = ("***" if {"b", "i"} <= fmt else "**" if "b" in fmt else "*" if "i" in fmt else "")
        out.append(lead + marks + core + marks + trail)
    return "".join(out)


# -- the three-way carry: printed before, printed after, written --------------------------------------------------


def merge_order(printed: list[int], edited: list[Any], count: int) -> list[Any]:
    """The lesson's new order of a list whose entries printed in ``printed`` order (written indices) and are now
    ``edited`` (written indices and :class:`New` entries): entries that kept their order among themselves keep
    their written places; each moved or new entry goes after the entry printed before it (or, first, before the
    one printed after it). As written (version A) this is exactly the edited order."""
    kept = [x for x in edited if isinstance(x, int)]
    before = [x for x in printed if x in set(kept)]
    stable: set[int] = set()
    for a, b, size in difflib.SequenceMatcher(None, before, kept, autojunk=False).get_matching_blocks():
        stable.update(before[a:a + size])
    out: list[Any] = [x for x in range(count) if x in stable]
    for n, x in enumerate(edited):
        if isinstance(x, int) and x in stable:
            continue
        if n:
            out.insert(next(k for k, y in enumerate(out) if y is edited[n - 1]) + 1, x)
        else:
            after = next((k for y in edited[1:] for k, z in enumerate(out) if z is y), len(out))
            out.insert(after, x)
    return out


# -- the import ---------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an import found: the lesson file's new text (None: nothing to change), the diff, and what it could
    not bring back."""

    lesson_path: Path
    old: str
    new: str | None
    diff: str
    changes: list[str]
    problems: list[Diagnostic]


class _Plan:
    """The edits an import makes, gathered before any is applied."""

    def __init__(self, text: str):
        self.text = text
        self.scalars: dict[tuple, str] = {}  # lesson path → new value
        self.paragraphs: dict[tuple, dict[int, str]] = {}  # lesson path → {paragraph: new text}
        self.lists: dict[tuple, list] = {}
        self.raw: set[tuple] = set()  # scalars written as they are (a number of points)
        self.blanks: dict[tuple, dict[int, str]] = {}  # a fill-in text's path → {blank: its new first answer}
        self.changes: list[str] = []


def import_docx(docx: Path, *, lesson: Path | None = None, pack: Path | str = ".") -> Outcome:
    """Read ``docx`` and work out the lesson file's new text (writing nothing; see :func:`write`)."""
    from ..handout import PlanContext, plan
    from ..handout.versions import arrange
    from ..load.pack import load_pack
    from ..load.packfiles import PackFileError, read_pack_file
    from ..render.docx import render_docx
    from ..styles.geometry import Geometry
    from ..styles.loader import load_style
    from ..text.typography import set_in

    name = docx.name
    try:
        with open(docx, "rb") as handle:
            data = handle.read(limits.MAX_IMPORT_DOCX_BYTES + 1)
    except OSError as exc:
        raise LessonpackError(f"error: cannot read {docx}: {exc.strerror or exc}") from None
    if len(data) > limits.MAX_IMPORT_DOCX_BYTES:
        raise LessonpackError(f"error: {name} is larger than {limits.MAX_IMPORT_DOCX_BYTES:,} bytes; a lessonpack "
                              "Word document is far smaller, so it is not read")
    edited = read_document(data, name)
    props = edited.properties
    lesson_id = props.get("lessonpack.lesson", "")
    if not lesson_id and lesson is None:
        raise LessonpackError(f"error: {name} does not say which lesson it was made from (its lessonpack "
                              "properties are gone); name the lesson file with --lesson")
    target = lesson if lesson is not None else pack
    loaded = load_pack(target, keep_going=True)
    found = [lf for lf in loaded.lessons if (lesson is not None and lf.path.resolve() == lesson.resolve())
             or (lesson is None and lf.id == lesson_id)]
    if not found:
        invalid = [d for d in loaded.invalid if d.is_error and Path(d.file).stem == (lesson.stem if lesson else
                                                                                       lesson_id)]
        if invalid:
            raise LessonpackError(invalid)
        raise LessonpackError(f'error: {name} was made from the lesson "{lesson_id}", which is not in '
                              f"{loaded.root}; run lessonpack import in the pack it came from, or name the lesson "
                              "file with --lesson")
    source = found[0]
    if lesson is not None and lesson_id and lesson_id != source.id:
        raise LessonpackError(f'error: {name} was made from the lesson "{lesson_id}", not from {lesson.name}; '
                              "name the lesson file it was made from")
    edition = props.get("lessonpack.edition", "student")
    edition = edition if edition in ("student", "teacher") else "student"
    letter = props.get("lessonpack.version", "")
    letter = letter if re.fullmatch(r"[A-Z]?", letter) else ""
    if letter and edition != "student":
        letter = ""
    versions = props.get("lessonpack.versions", "")  # as many as a build makes at most, whatever the file says
    versions = min(int(versions), MAX_VERSIONS) if versions.isdigit() and len(versions) < 4 else 1
    try:
        style = load_style(props.get("lessonpack.style") or loaded.config.style, loaded.root)
    except LessonpackError:
        style = load_style(loaded.config.style, loaded.root)
    paper = props.get("lessonpack.paper") if props.get("lessonpack.paper") in ("letter", "a4") else loaded.config.paper
    context = PlanContext(geometry=Geometry.of(style.tokens, paper), version=letter, versions=max(versions, 1))
    handout = plan(source, edition, context)  # type: ignore[arg-type]
    original = read_document(render_docx(handout, style, paper), name)
    try:
        raw = read_pack_file(source.path, [loaded.root], limit=limits.MAX_LESSON_BYTES, what="lesson file")
    except PackFileError as exc:
        raise LessonpackError([exc.diagnostic]) from None
    text = raw.decode("utf-8")
    with set_in(source.lesson.language):
        arrangement = arrange(source.lesson, source.id, letter)
    work = _Importer(edited, original, text, arrangement, docx, handout.correct_mark, source.lesson)
    work.typed_at_the_edges()
    work.fields()
    work.structure()
    work.loose()
    new = work.apply()
    shown = _shown(source.path)
    diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), (new or text).splitlines(keepends=True),
                                        f"a/{shown}", f"b/{shown}"))
    if new is not None:
        _validate(new, shown, raw)
    return Outcome(source.path, text, new, diff, work.plan.changes, work.problems)


def _shown(path: Path) -> str:
    from ..errors import display_path

    return display_path(path)


def _validate(new: str, shown: str, raw: bytes) -> None:
    from ..load.validate import validate_lesson
    from ..load.yamlsource import SourceMap, parse_yaml

    doc = parse_yaml(new.encode("utf-8"), SourceMap(shown))
    problems = list(doc.problems)
    if doc.data is not None:
        _, found = validate_lesson(doc.data, doc.source)
        problems += found
    errors = [d for d in problems if d.is_error]
    if errors:
        raise LessonpackError([Diagnostic(d.file, d.line, d.column, d.severity,
                                          f"after the edits from Word, {d.message}; nothing was written",
                                          d.hint) for d in errors])


def write(outcome: Outcome) -> None:
    """Write the lesson file's new text (atomically: the old file stays whole until the new one replaces it)."""
    from ..building.output import write_atomic

    if outcome.new is not None:
        write_atomic(outcome.lesson_path, outcome.new.encode("utf-8"), folder=outcome.lesson_path.parent,
                     inside="the lesson's folder")


class _Importer:
    def __init__(self, edited: Document, original: Document, text: str, arrangement, docx: Path, correct: str,
                 lesson):
        self.e, self.o = edited, original
        self.lesson = lesson
        self.plan = _Plan(text)
        self.order, self.inner = arrangement.order, arrangement.inner
        self.docx = str(docx)
        self.correct = correct
        self.problems: list[Diagnostic] = []
        self.claimed: set[int] = set()  # edited paragraphs an edit accounts for
        self.removed: set[tuple] = set()  # lesson paths of list entries removed
        self.also: dict[tuple, list[tuple]] = {}  # a printed field that stands for several lesson fields → all

    def report(self, para: Para | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(self.docx, 0, 0, "warning",
                                        f"{self.e.place(para)}: {message}", hint))

    # -- where a printed field is in the lesson -----------------------------------------------------------------

    def lesson_path(self, path: tuple) -> tuple:
        if path[:2] == ("worksheet", "items") and len(path) > 2 and isinstance(path[2], int):
            if path[2] >= len(self.order):
                return ()
            w = self.order[path[2]]
            rest = path[3:]
            if rest[:1] in (("choices",), ("events",)) and len(rest) > 1 and isinstance(rest[1], int):
                inner = self.inner[w]  # the version's order of the item's choices or events
                if rest[1] >= len(inner):
                    return ()
                rest = (rest[0], inner[rest[1]]) + rest[2:]
                if isinstance(yamledit.value_at(self.plan.text, ("worksheet", "items", w) + rest), dict):
                    rest += ("text",)
                return ("worksheet", "items", w) + rest
            return self._type_fields(path, w, rest)
        path = tuple(part[1] if isinstance(part, tuple) and part[0] == CELL else part for part in path)
        at = path.index("table") + 2 if "table" in path else 0
        if at and path[at - 1:at] == ("header",) and len(path) > at + 1:
            header = yamledit.value_at(self.plan.text, path[:at])
            if isinstance(header, list) and header and not isinstance(header[0], list):
                path = path[:at] + path[at + 1:]  # header: [A, B] is its one row, written flat
        written = yamledit.value_at(self.plan.text, path)
        if isinstance(written, dict):  # a cell written as a mapping: its text, or a blank cell's answer
            return path + (("text",) if "text" in written else ("answer",) if "answer" in written else ())
        return path

    def _type_fields(self, path: tuple, w: int, rest: tuple) -> tuple:
        """Where the item's type says a field of its Word drawing comes from (a matching's options, a word bank's
        words: lists the type arranges itself); the first, and every one in :attr:`also`."""
        from ..plugins import item_types

        items = self.lesson.worksheet.items if self.lesson.worksheet else []
        if w >= len(items):
            return ()
        item = items[w]
        found = item_types()[item.type].lesson_fields(item, self.lesson, ("worksheet", "items", w), rest,
                                                      tuple(self.inner[w]))
        if len(found) > 1:
            self.also[path] = found
        return found[0] if found else ()

    # -- fields -------------------------------------------------------------------------------------------------

    def typed_at_the_edges(self) -> None:
        """Text typed just after a field's end (or just before its start, in a paragraph's first words), which Word
        and LibreOffice put outside the bookmark, belongs to the field: a word added at the end of a choice."""
        for para in self.e.paragraphs:
            fields = [k for k, seg in enumerate(para.segments) if seg[0] == "field"]
            if not fields:
                continue
            first = para.segments[fields[0]][1]
            was = self.o.places.get(first)
            if was is None or [s[1] for s in was.segments if s[0] == "field"] != \
                    [s[1] for s in para.segments if s[0] == "field"]:
                continue
            old = _loose_around(was.segments)
            new = _loose_around(para.segments)
            for path in (s[1] for s in para.segments if s[0] == "field"):
                before_o, after_o = old[path]
                before_e, after_e = new[path]
                extra = after_e[:len(after_e) - len(after_o)]
                if after_e != after_o and after_e.endswith(after_o) and path in self.e.fields \
                        and extra.strip() and self.correct not in extra:
                    self.e.fields[path] += extra
                    _take(para, path, extra, after=True)
                extra = before_e[len(before_o):]
                if before_e != before_o and before_e.startswith(before_o) and path in self.e.fields \
                        and path == first and extra.strip() and self.correct not in extra:
                    self.e.fields[path] = extra + self.e.fields[path]
                    _take(para, path, extra, after=False)

    def fields(self) -> None:
        rows: dict[tuple, list[tuple[int, tuple]]] = {}
        for path in self.o.fields:
            if path and isinstance(path[-1], tuple) and path[-1][0] == ROW:
                rows.setdefault(path[:-1], []).append((path[-1][1], path))
        for path, before in self.o.fields.items():
            if path and isinstance(path[-1], tuple) and path[-1][0] == ROW:
                continue
            if path not in self.e.fields:
                continue  # removed with its list entry, or its mark lost: see structure() and loose()
            self.field(path, before, self.e.fields[path], self.e.places.get(path))
        for path, lines in rows.items():
            lines.sort()
            if not all(p in self.e.fields for _, p in lines):
                continue
            before = " ".join(self.o.fields[p].strip() for _, p in lines)
            after = " ".join(self.e.fields[p].strip() for _, p in lines if self.e.fields[p].strip())
            self.field(path, before, after, self.e.places.get(lines[0][1]))

    def field(self, path: tuple, before: str, after: str, para: Para | None) -> None:
        if before == after:
            return
        where = self.lesson_path(path)
        described = _describe(where or path)
        if not where:
            return self.report(para, f"{described} changed, but lessonpack cannot tell which field it is")
        if TOKENS.findall(after) != TOKENS.findall(before):
            return self.report(para, f"a formula, footnote or blank in {described} was edited, added or removed; "
                                     "not brought back", "make that change in the lesson file (formulas are TeX)")
        if isinstance(where[-1], tuple) and where[-1][0] == BLANK_MARK:
            return self.blank_answer(path, where, before, after, para)
        if where[-1] == "points":
            old, new = _number(before), _number(after)
            if new is None:
                return self.report(para, f"{described}: no number of points in {after!r}")
            if old == new:
                return
            return self.set(where, _format_number(new), para, raw=True)
        paragraph = where[-1] if isinstance(where[-1], tuple) else None
        owner = where[:-1] if paragraph else where
        written = yamledit.value_at(self.plan.text, owner)
        if paragraph is None and not isinstance(written, bool) and isinstance(written, (str, int, float)) \
                and NUMBER.fullmatch(str(written).strip()) and NUMBER.fullmatch(_clean(after)):
            # A number (an answer, a table's figure): the print may round it or group its digits, so the number
            # typed replaces it whole (a number written unquoted stays unquoted).
            self.set(where, _clean(after), para, raw=self.unquoted(owner))
            return self.follow_answer(where, written, _clean(after))
        if not isinstance(written, str):
            return self.report(para, f"{described} changed, but the lesson file has no text there to change",
                               f"write it into the lesson file as {_describe(owner)}")
        if paragraph is not None:
            pieces = yamledit.paragraphs(written)
            if paragraph[1] >= len(pieces):
                return self.report(para, f"{described} changed, but its paragraph cannot be found in the lesson file")
            new = carry(before.strip(), after.strip(), pieces[paragraph[1]])
            if TOKENS.search(new):
                return self.report(para, f"{described}: the change cannot be placed for its formula or footnote")
            self.plan.paragraphs.setdefault(owner, {})[paragraph[1]] = new
            self.plan.changes.append(f"{_describe(owner)}, paragraph {paragraph[1] + 1}")
            return None
        new = carry(before.strip(), after.strip(), written)
        if TOKENS.search(new):
            return self.report(para, f"{described}: the change cannot be placed for its formula or footnote")
        if not new.strip():
            return self.report(para, f"{described} was emptied; a lesson's text cannot be empty, so it was kept",
                               "delete the field in the lesson file, or remove the whole entry in Word")
        self.set(where, new, para)
        return self.follow_answer(where, written, new)

    def follow_answer(self, where: tuple, written: Any, new: str) -> None:
        """A multiple-choice answer is the text of its correct choice: it follows the choice."""
        if len(where) >= 5 and where[:2] == ("worksheet", "items") and where[3] == "choices":
            answer = ("worksheet", "items", where[2], "answer")
            was = yamledit.value_at(self.plan.text, answer)
            if was is not None and str(was) == str(written) and answer not in self.plan.scalars:
                self.plan.scalars[answer] = new
                if NUMBER.fullmatch(new) and self.unquoted(answer):  # a number written unquoted stays so
                    self.plan.raw.add(answer)

    def unquoted(self, path: tuple) -> bool:
        """Whether the lesson file writes the value at ``path`` as a plain scalar (no quotes, no block)."""
        node = yamledit.node_at(yamledit.compose(self.plan.text), path)
        return node is not None and not getattr(node, "style", None)

    def blank_answer(self, path: tuple, where: tuple, before: str, after: str, para: Para | None) -> None:
        """The answer shown in a fill-in blank (or its word in the bank) changed: it becomes the blank's first
        accepted answer in the text (every blank it fills, for a bank word), the other answers kept, and what Word
        cannot show of the answer as written (straight quotes) kept where the words did not change."""
        from ..load.model import scan_blanks

        written = yamledit.value_at(self.plan.text, where[:-1])
        spans = scan_blanks(written).spans if isinstance(written, str) else ()
        if where[-1][1] >= len(spans):
            return self.report(para, f"{_describe(where[:-1])} changed, but its blank cannot be found in the lesson "
                                     "file")
        new = _clean(carry(_clean(before), _clean(after), spans[where[-1][1]][2].split("|")[0].strip()))
        described = _describe(where[:-1]) + f", blank {where[-1][1] + 1}"
        if not new:
            return self.report(para, f"the answer of {described} was emptied; a blank needs an answer, so it was "
                                     "kept", "delete the blank in the lesson file")
        if TOKENS.search(new):
            return self.report(para, f"the answer of {described} has a formula in it, which Word edits as an "
                                     "equation; not brought back", "make that change in the lesson file (formulas "
                                     "are TeX)")
        if any(mark in new for mark in "|[]"):
            return self.report(para, f"the answer of {described} ({new!r}) has | or square brackets, which mark "
                                     "blanks in the lesson file; not brought back", "change it in the lesson file")
        for target in self.also.get(path, [where]):
            owner, number = target[:-1], target[-1][1]
            if self.plan.blanks.get(owner, {}).get(number, new) != new:  # its answer and its bank word, apart
                self.report(para, f"the answer of {_describe(owner)}, blank {number + 1}, was changed in two "
                                  "different ways (in the blank and in the word bank); this change was not brought "
                                  "back", "make both the same in Word, or change it in the lesson file")
                continue
            self.plan.blanks.setdefault(owner, {})[number] = new
            self.plan.changes.append(_describe(owner) + f", blank {number + 1}")
        return None

    def set(self, where: tuple, value: str, para: Para | None, raw: bool = False) -> None:
        if yamledit.node_at(yamledit.compose(self.plan.text), where) is None:
            return self.report(para, f"{_describe(where)} changed, but the lesson file does not write it",
                               f"add {_describe(where)} to the lesson file")
        if self.plan.scalars.get(where, value) != value:  # printed twice (a key term in a matching), edited apart
            return self.report(para, f"{_describe(where)} is printed twice and was changed in two different ways; "
                                     "this change was not brought back", "make both the same in Word, or change "
                                                                         "it in the lesson file")
        if where in self.plan.scalars:  # the same change in both places: made once
            return None
        self.plan.scalars[where] = value
        if raw:
            self.plan.raw.add(where)
        self.plan.changes.append(_describe(where))
        return None

    # -- lists: removed, moved and added entries ----------------------------------------------------------------

    def structure(self) -> None:
        self.items()
        self.choices()
        self.true_false()
        for style, key in (("LP Glossary Entry", "key_terms"), ("LP Prompt", "prompts"),
                           ("LP Objective", "objectives")):
            self.simple_list(style, key)

    def _entries(self, paras: list[Para], prefix: tuple, depth: int) -> list[tuple[Para, int | None]]:
        """Each paragraph of a list and the entry (as printed) its mark names, None for a paragraph without one."""
        out = []
        for p in paras:
            index = next((m[depth] for m in p.marks if m[:depth] == prefix and len(m) > depth
                          and isinstance(m[depth], int)), None)
            out.append((p, index))
        return out

    def items(self) -> None:
        prefix = ("worksheet", "items")
        questions = [p for p in self.e.paragraphs if p.style == "LP Question"]
        entries = self._entries(questions, prefix, 2)
        printed = [k for _, k in entries if k is not None]
        edited: list[Any] = []
        for p, k in entries:
            if k is not None:
                edited.append(self.order[k] if k < len(self.order) else None)
            elif p.loose.strip():
                self.claimed.add(p.number)
                added = self.added_question(p)
                if added is not None:
                    edited.append(New(added))
        count = len(self.order)
        if (printed == list(range(count)) and len(edited) == count) or not count:
            return
        if len(set(printed)) != len(printed) or None in edited:
            return self.report(questions[0] if questions else None, "a question appears twice; its order was not "
                                                                    "brought back")
        new = merge_order(list(self.order), edited, count)
        self.plan.lists[prefix] = new
        for w in set(range(count)) - {x for x in new if isinstance(x, int)}:
            self.removed.add(prefix + (w,))
        added = sum(isinstance(x, New) for x in new)
        kept = [x for x in new if not isinstance(x, New)]
        for x in new:
            if isinstance(x, New):
                self.plan.changes.append(f"worksheet.items: a {x.value['type'].replace('_', ' ')} question added "
                                         f"({str(x.value['prompt'])[:60]!r})")
        what = [f"{added} added" if added else "", "removed" if len(kept) < count else "",
                "reordered" if kept != sorted(kept) else ""]
        self.plan.changes.append("worksheet.items: " + " and ".join(w for w in what if w))
        return None

    def added_question(self, q: Para) -> dict | None:
        """A question typed or pasted into Word (a question paragraph without a mark), as a lesson item, from what
        follows it: choices make a multiple-choice question, whose answer is the choice with ✔ (the teacher
        edition); a True/False line a true/false statement, answered by its ✔; anything else a short-answer
        question (its model answer the answer lines typed in the teacher edition). "N points" after a tab is its
        points. None, reported, when it cannot be a valid item (choices without a ✔)."""
        prompt, _, tail = q.loose.partition("\t")
        prompt = _clean(prompt)
        region = [p for p in self._region(q) if not p.marks]
        points = _number(tail) if tail.strip() else None
        shown = prompt[:60]
        choices = [p for p in region if p.style == "LP Choice"]
        line = next((p for p in region if p.style == "LP True False"), None)
        item: dict[str, Any]
        if choices:
            texts = [_clean(p.loose.replace(self.correct, "")) for p in choices]
            marked = [t for p, t in zip(choices, texts) if self.correct in p.loose]
            if len(marked) != 1 or len(texts) < 2 or "" in texts:
                return self.report(q, f"a multiple-choice question was added in Word ({shown!r}), but "
                                      f"{'no choice has' if not marked else 'more than one choice has'} a "
                                      f"{self.correct} beside it, so its answer is not known; not brought back",
                                   f"add it in the teacher edition with {self.correct} after the right choice, or "
                                   "write it into the lesson file")
            item = {"type": "multiple_choice", "prompt": prompt, "choices": texts, "answer": marked[0]}
            used = choices
        elif line is not None:
            marked = [n for n, option in enumerate(line.loose.split("\t")) if self.correct in option]
            if len(marked) != 1:
                return self.report(q, f"a true/false statement was added in Word ({shown!r}) without a "
                                      f"{self.correct} beside True or False, so its answer is not known; not brought "
                                      "back", f"add it in the teacher edition with {self.correct} after its answer, "
                                              "or write it into the lesson file")
            item = {"type": "true_false", "prompt": prompt, "answer": marked[0] == 0}
            used = [line]
        else:
            lines = [p for p in region if p.style == "LP Answer"]
            answer = _clean(" ".join(p.loose for p in lines))
            item = {"type": "short_answer", "prompt": prompt}
            if answer:
                item["answer"] = answer
            used = lines
        if points is not None:
            item["points"] = int(points) if points == int(points) else points
        for p in used:
            self.claimed.add(p.number)
        return item

    def _region(self, question: Para) -> list[Para]:
        """The paragraphs after a question's first, up to the next question or heading."""
        out = []
        for p in self.e.paragraphs[question.number:]:
            if p.style == "LP Question" or p.style in HEADING_STYLES:
                break
            out.append(p)
        return out

    def choices(self) -> None:
        for q in (p for p in self.e.paragraphs if p.style == "LP Question"):
            k = next((m[2] for m in q.marks if m[:2] == ("worksheet", "items") and m[3:] == ("prompt",)), None)
            if k is None or k >= len(self.order):
                continue
            w = self.order[k]
            item = yamledit.value_at(self.plan.text, ("worksheet", "items", w))
            if not isinstance(item, dict) or not isinstance(item.get("choices"), list):
                continue
            paras = [p for p in self._region(q) if p.style == "LP Choice"]
            inner = list(self.inner[w])
            entries: list[Any] = []
            marked_answer = []
            for p, j in self._entries(paras, ("worksheet", "items", k, "choices"), 4):
                if j is not None and j < len(inner):
                    entries.append(inner[j])
                    if self.correct in p.loose:
                        marked_answer.append(inner[j])
                elif p.loose.replace(self.correct, "").strip():
                    self.claimed.add(p.number)
                    entries.append(New(_clean(p.loose.replace(self.correct, ""))))
                    if self.correct in p.loose:
                        marked_answer.append(entries[-1])
            path = ("worksheet", "items", w, "choices")
            if entries != inner:
                order = merge_order(inner, entries, len(inner))
                self.plan.lists[path] = order
                self.plan.changes.append(_describe(path))
            self.answer_mark(q, w, item, inner, marked_answer)

    def true_false(self) -> None:
        """The teacher edition: a ✔ moved from True to False (or back) changes the answer."""
        for q in (p for p in self.e.paragraphs if p.style == "LP Question"):
            k = next((m[2] for m in q.marks if m[:2] == ("worksheet", "items") and m[3:] == ("prompt",)), None)
            if k is None or k >= len(self.order):
                continue
            w = self.order[k]
            path = ("worksheet", "items", w, "answer")
            item = yamledit.value_at(self.plan.text, ("worksheet", "items", w))
            line = next((p for p in self._region(q) if p.style == "LP True False"), None)
            if not isinstance(item, dict) or item.get("type") != "true_false" or line is None:
                continue
            marked = [n for n, option in enumerate(line.loose.split("\t")) if self.correct in option]
            was = "true" if str(item.get("answer")).lower() in ("true", "yes", "on") else "false"
            if len(marked) != 1 or not any(self.correct in p.loose for p in self.o.paragraphs):
                continue
            now = "true" if marked[0] == 0 else "false"
            self.claimed.add(line.number)
            if now != was:
                self.plan.scalars[path] = now
                self.plan.raw.add(path)
                self.plan.changes.append(_describe(path))

    def answer_mark(self, q: Para, w: int, item: dict, inner: list[int], marked: list) -> None:
        """The teacher edition: a ✔ moved to another choice makes it the answer."""
        was = [j for j, c in enumerate(item["choices"]) if _choice_text(c) == item.get("answer")]
        before = [p for p in self.o.paragraphs if self.correct in p.loose and p.style == "LP Choice"]
        if not before or marked == was[:1] or not marked:
            return
        if len(marked) > 1:
            return self.report(q, f"{self.correct} is beside {len(marked)} choices; the answer was not changed")
        choice = marked[0]
        if isinstance(choice, New):
            text = choice.value
        else:
            path = ("worksheet", "items", w, "choices", choice)
            text = self.plan.scalars.get(path) or self.plan.scalars.get(path + ("text",)) or \
                _choice_text(item["choices"][choice])
        for p in self.e.paragraphs:
            if self.correct in p.loose:
                self.claimed.add(p.number)
        for p in before:
            self.claimed.add(p.number)
        self.plan.scalars[("worksheet", "items", w, "answer")] = text
        self.plan.changes.append(_describe(("worksheet", "items", w, "answer")))
        return None

    def simple_list(self, style: str, key: str) -> None:
        current = yamledit.value_at(self.plan.text, (key,))
        if not isinstance(current, list):
            return
        paras = [p for p in self.e.paragraphs if p.style == style]
        if style == "LP Prompt" and not any(p.style == style for p in self.o.paragraphs):
            return
        if not any(p.style == style for p in self.o.paragraphs):
            return
        entries: list[Any] = []
        for p, i in self._entries(paras, (key,), 1):
            if i is not None and i < len(current):
                if i not in entries:
                    entries.append(i)
            elif p.loose.strip():
                self.claimed.add(p.number)
                entries.append(New(self.new_entry(key, p.loose)))
        if entries != list(range(len(current))):
            self.plan.lists[(key,)] = merge_order(list(range(len(current))), entries, len(current))
            self.plan.changes.append(key)

    @staticmethod
    def new_entry(key: str, loose: str) -> Any:
        text = _clean(loose)
        if key == "key_terms":  # "term — definition", as the glossary prints it
            term, _, definition = (re.split(r"\s+([\u2014\u2013-])\s+", text, maxsplit=1) + ["", ""])[:3]
            return {"term": term.strip(), "definition": definition.strip() or term.strip()}
        if key == "prompts":
            return {"text": text}
        return text

    # -- what no field holds ------------------------------------------------------------------------------------

    def loose(self) -> None:
        """Report what changed outside every field: text, pictures and tables."""
        before = [(p.loose.strip(), p.pictures) for p in self.o.paragraphs]
        after = [(p.loose.strip(), p.pictures) for p in self.e.paragraphs]
        excess = Counter(after) - Counter(before)  # what the document has more of than lessonpack drew
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            styles = {p.style for p in self.o.paragraphs[i1:i2]}
            for p in self.e.paragraphs[j1:j2]:
                signature = (p.loose.strip(), p.pictures)
                if p.number in self.claimed or excess[signature] <= 0 or signature == ("", 0):
                    continue
                excess[signature] -= 1
                if p.pictures:
                    self.report(p, "a picture was added; pictures cannot be brought back from Word",
                                "put the picture in the pack's images/ folder and name it in the lesson file")
                elif p.loose.strip() and not p.marks and p.style in styles and op == "replace":
                    self.report(p, f"this paragraph's text changed ({p.loose.strip()[:60]!r}), but it is not one "
                                   "lessonpack can bring back (a matching question's rows, a word bank, the answer "
                                   "key…)", "make the change in the lesson file")
                elif p.loose.strip() and not p.marks:
                    self.report(p, f"text typed outside every field ({p.loose.strip()[:60]!r}) was not brought back",
                                "type it into a question, a choice or a paragraph, or add it to the lesson file")
                elif p.loose.strip():
                    self.report(p, f"printed words that are not the lesson's ({p.loose.strip()[:60]!r}: a label, "
                                   "a number or a mark) changed; not brought back")
        if self.o.tables != self.e.tables:
            for n, (a, b) in enumerate(zip(self.o.tables, self.e.tables)):
                if a != b:
                    self.report(self.e.table_places[n] if n < len(self.e.table_places) else None,
                                "a table has other rows or columns than lessonpack drew (a restructured table); that "
                                "change was not brought back", "change the lesson file's text instead")
                    break
            else:
                self.report(None, f"the document has {len(self.e.tables)} tables where lessonpack drew "
                                  f"{len(self.o.tables)}; the tables added or removed were not brought back")
        gone = [p for p in self.o.fields if p not in self.e.fields and not self._in_removed(p)]
        for path in gone:
            where = self.lesson_path(path)
            self.report(self.o.places.get(path), f"the mark of {_describe(where or path)} is gone from the document "
                        "(its text deleted, or retyped over it), so its change was not brought back",
                        "change it in the lesson file, or edit inside the text in Word rather than replacing all of it")

    def _in_removed(self, path: tuple) -> bool:
        where = self.lesson_path(path)
        if any(where[:len(r)] == r for r in self.removed):
            return True
        for key, order in self.plan.lists.items():
            if where[:len(key)] == key and len(where) > len(key) and where[len(key)] not in order:
                return True
        return False

    # -- writing the edits --------------------------------------------------------------------------------------

    def apply(self) -> str | None:
        plan = self.plan
        text = plan.text
        edits = []
        for owner, answers in plan.blanks.items():
            written = plan.scalars.get(owner, yamledit.value_at(text, owner))
            if isinstance(written, str):
                plan.scalars[owner] = with_answers(written, answers)
        try:
            for path, value in plan.scalars.items():
                edits.append(yamledit.set_scalar(text, path, value, raw=path in plan.raw))
            for path, paras in plan.paragraphs.items():
                value = yamledit.with_paragraphs(yamledit.value_at(text, path), paras)
                plan.scalars[path] = value
                edits.append(yamledit.set_scalar(text, path, value))
            text = yamledit.apply(text, edits)
            # Lists last, innermost first, each on the text as it is by then (their entries keep their edits).
            for path in sorted(plan.lists, key=len, reverse=True):
                text = yamledit.apply(text, [yamledit.set_list(text, path, plan.lists[path])])
        except EditError as exc:
            raise LessonpackError(f"error: an edit could not be written into the lesson file ({exc}); nothing was "
                                  "written") from None
        for path, value in plan.scalars.items():
            got = yamledit.value_at(text, path) if not plan.lists else None
            if got is not None and str(got) != value and not (path in plan.raw and _number(str(got)) == _number(value)):
                raise LessonpackError(f"error: the edit of {_describe(path)} did not read back as written; "
                                      "nothing was written")
        return text if text != plan.text else None


def with_answers(text: str, answers: dict[int, str]) -> str:
    """A fill-in text whose k-th blank shows ``answers[k]`` first (``[[old|other]]`` → ``[[new|other]]``)."""
    from ..load.model import scan_blanks

    out = text
    for k, (start, end, inner) in reversed(list(enumerate(scan_blanks(text).spans))):
        if k in answers:
            alternatives = inner.split("|")
            lead = alternatives[0][:len(alternatives[0]) - len(alternatives[0].lstrip())]
            trail = alternatives[0][len(alternatives[0].rstrip()):]
            alternatives[0] = lead + answers[k] + trail
            out = out[:start] + "[[" + "|".join(alternatives) + "]]" + out[end:]
    return out


def _loose_around(segments: list) -> dict[tuple, tuple[str, str]]:
    """Each field of a paragraph: the text outside every field just before it and just after it."""
    out = {}
    for k, (kind, value) in enumerate(segments):
        if kind == "field":
            before = segments[k - 1][1] if k and segments[k - 1][0] == "loose" else ""
            after = segments[k + 1][1] if k + 1 < len(segments) and segments[k + 1][0] == "loose" else ""
            out[value] = (before, after)
    return out


def _take(para: Para, path: tuple, extra: str, *, after: bool) -> None:
    """Take ``extra`` out of the paragraph's text outside fields, next to the field at ``path``."""
    k = next(k for k, seg in enumerate(para.segments) if seg == ["field", path])
    at = k + 1 if after else k - 1
    seg = para.segments[at]
    seg[1] = seg[1][len(extra):] if after else seg[1][:len(seg[1]) - len(extra)]
    para.loose = "".join(s[1] for s in para.segments if s[0] == "loose")


def _choice_text(choice: Any) -> Any:
    return choice.get("text") if isinstance(choice, dict) else choice


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _number(text: str) -> float | None:
    found = re.search(r"\d+(?:[.,]\d+)?", text.replace("\u00a0", " "))
    return float(found.group().replace(",", ".")) if found else None


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _describe(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, tuple):
            out += f" paragraph {part[1] + 1}" if part[0] == PARAGRAPH else f" line {part[1] + 1}"
        else:
            out += ("." if out else "") + str(part)
    return out
