"""Draw a handout model as a Word document: one method per section and per item type, as in items.html.

The handout model has decided every word, number, order and page start; this module only draws them
with named styles (see :mod:`.styles`). The only direct formatting is bold or italic from Markdown
where a run already carries another character style, and the page starts the model asks for.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace
from io import BytesIO

from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from ...handout import (NUMBERING, Handout, KeyGrid, KeyRow, KeyTable, ParallelView, Picture, Question, Section,
                        SourceView, TableCell, Verse, VerseLine, Writing)
from ...handout.sources import FRAME_INSET
from ...plugins import item_types
from ...text.maths import FormulaProblem, omml
from ...text.richtext import Block, RichText, Span, plain
from . import styles as S
from .footnotes import Footnotes
from .marks import CELL, PARAGRAPH, ROW, mark_name
from .ooxml import (border, bookmark, bookmark_name, field, keep_with_next, line_break, page_break_before, set_lang,
                    set_num, tw, update_fields_on_open)
from ...handout.sources import TABLE_TYPE
from .package import Prepared
from .pictures import add_picture, with_overlay
from .reference_import import LOGO_RELATIONSHIP

NBSP = "\u00a0"
BANK_SEPARATOR = NBSP * 3 + "\u00b7" + " " * 3
"""Between word-bank entries: the middle dot stays with the entry before it (no-break spaces), and a line
may break only after the separator's plain spaces, which hang at the line's end, so no line starts with a
dot. Not em or en spaces, which the styles' fonts lack: LibreOffice then breaks before the dot, no-break
spaces or not, and even inside an entry."""
FIGURE_SPACE = "\u2007"
"""As wide as a digit, and in both styles' fonts (Word and LibreOffice take it from the run's own font)."""
SCORE_BOX_FIGURES = 6
"""The score box's width in figure spaces: about the PDF's 12 mm at the name line's size, room for a score."""
BLANK_SPACES_PER_CHAR = 2
"""A blank's width in the model counts character widths (the width of "0", as CSS's ``ch``); a no-break
space is about half of that in the styles' fonts."""

SECTION_FIELDS = {"reading": ("reading", "title"), "worksheet": ("worksheet", "title")}
"""The lesson field a section's heading prints (when the lesson gives one; see :mod:`.marks`)."""

BOXED_LISTS = {S.WARNING: S.WARNING_LIST, S.CALLOUT: S.CALLOUT_LIST}
"""A boxed text style → the style of a list inside the same box (its border and left edge)."""



LOGO_DRAWING_ID = 9001
"""The drawing id of a letterhead's logo in the first page's header: the body's drawings count up from 1, and
Word wants every drawing's id its own."""


class Drawer:
    def __init__(self, prepared: Prepared, handout: Handout):
        self.doc = prepared.document
        self.ids = prepared.style_ids
        self.geo = prepared.geometry
        self.numbering = prepared.numbering
        self.h = handout
        self._bookmarks = 0
        self._marked: set[str] = set()  # the field marks drawn (see marked())
        self._fresh: set = set()  # table cells whose last paragraph is still unused (a new cell's first)
        self._into = None  # the table cell being filled (a source's frame), else None: the body
        self._svgs: dict[str, str] = {}  # SVG pictures already stored: digest → relationship id
        self.notes = Footnotes(self.doc, self.geo.tokens.size)

    # -- primitives ---------------------------------------------------------------------------

    def para(self, style: str, text: RichText | str = (), *, char: str | None = None, num: int | None = None,
             into=None) -> Paragraph:
        """A paragraph in ``style`` (in the body, or in ``into``: a table cell, by default the cell being filled),
        with text."""
        into = into or self._into
        if into is not None and into._tc in self._fresh:
            return self.cell_para(into, style, text, char=char, num=num)
        p = (into or self.doc).add_paragraph()
        p._p.style = self.ids[style]
        if num is not None:
            set_num(p, num)
        self.runs(p, text, char)
        return p

    def cell_para(self, cell, style: str, text: RichText | str = (), *, char: str | None = None,
                  num: int | None = None) -> Paragraph:
        """The cell's last paragraph when still empty (every new cell has one), else a new one; styled and filled."""
        if cell._tc in self._fresh:
            self._fresh.discard(cell._tc)
            first = cell.paragraphs[-1]
            first._p.style = self.ids[style]
            if num is not None:
                set_num(first, num)
            self.runs(first, text, char)
            return first
        return self.para(style, text, char=char, num=num, into=cell)

    def run(self, p: Paragraph, text: str, char: str | None = None, *, bold: bool = False,
            italic: bool = False, sub: bool = False, sup: bool = False, strike: bool = False, lang: str = "") -> None:
        r = p.add_run(text)
        if char is not None:
            r._r.style = self.ids[char]
        if bold:
            r.bold = True
        if italic:
            r.italic = True
        if sub or sup:  # w:vertAlign: the word processor lowers or raises the run and sets it smaller
            r.font.subscript, r.font.superscript = sub, sup
        if strike:
            r.font.strike = True
        if lang:  # a span in another language than the document's
            set_lang(r._r.get_or_add_rPr(), lang)

    def runs(self, p: Paragraph, text: RichText | str, char: str | None = None) -> None:
        """Rich text as runs: key terms, bold and italic through character styles where they can."""
        if isinstance(text, str):
            if text:
                self.run(p, text, char)
            return
        italics = self.geo.tokens.italics  # without italics (large print), emphasis is set bold, as in the PDF
        for n, span in enumerate(text):
            if span.note:  # a footnote: Word's own, numbered by Word in the order they are called
                self.runs(self.notes.add(p), span.note)
                continue
            if span.math:
                self.formula(p, span, before=_has_text(text[:n]), after=_has_text(text[n + 1:]))
                continue
            style, bold, italic = char, False, False
            em_bold, em_italic = span.em and not italics, span.em and italics
            if style is None and span.role == "term":
                style, italic = S.KEY_TERM, em_italic
            elif style is None and span.code:
                style, bold, italic = S.CODE, span.strong or em_bold, em_italic
            elif style is None and span.strong:
                style, italic = S.STRONG, em_italic
            elif style is None and span.em:
                style = S.EMPHASIS
            elif style is not None:
                bold, italic = span.strong or em_bold, em_italic
            self.run(p, span.text, style, bold=bold, italic=italic, sub=span.sub, sup=span.sup, strike=span.strike,
                     lang=span.lang)

    def marked(self, p: Paragraph, path: tuple, text: RichText | str, char: str | None = None) -> None:
        """Rich text as runs (see :meth:`runs`) inside an invisible bookmark naming the lesson field they print
        (``path``; see :mod:`.marks`), so that an edit made in Word can be brought back to the lesson file. A
        field is marked once in a document (a bookmark name is unique)."""
        self.marked_with(p, path, lambda: self.runs(p, text, char))

    def marked_with(self, p: Paragraph, path: tuple, draw) -> None:
        """What ``draw()`` adds to the paragraph ``p``, inside the bookmark of the field at ``path`` (see
        :meth:`marked`)."""
        start = len(p._p)
        draw()
        name = mark_name(path)
        if name is None or name in self._marked:
            return
        self._marked.add(name)
        self._bookmarks += 1
        begin, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        begin.set(qn("w:id"), str(self._bookmarks))
        begin.set(qn("w:name"), name)
        end.set(qn("w:id"), str(self._bookmarks))
        p._p.insert(start, begin)
        p._p.append(end)

    def formula(self, p: Paragraph, span: Span, *, before: bool = False, after: bool = False) -> None:
        """A formula as a Word equation, editable in Word's equation editor: inline (``m:oMath``) or displayed
        (``m:oMathPara``, centred; on a line of its own, between line breaks, when text shares its paragraph)."""
        display = span.math == "display"
        try:
            xml = omml(span.text, display)
        except FormulaProblem:  # check refuses such a lesson; drawn anyway, the TeX is better than nothing
            self.run(p, span.text, S.CODE)
            return
        equation = parse_xml(xml)
        _line_at_least(p)
        if not display:
            p._p.append(equation)
            return
        block = parse_xml(f'<m:oMathPara {nsdecls("m")}><m:oMathParaPr><m:jc m:val="center"/></m:oMathParaPr>'
                          "</m:oMathPara>")
        block.append(equation)
        if before:
            p.add_run().add_break()
        p._p.append(block)
        if after:
            p.add_run().add_break()

    def heading(self, style: str, text: RichText | str, anchor: str | None = None, path: tuple = ()) -> Paragraph:
        """A heading, a navigation bookmark round it (``anchor``), its text marked as the field at ``path``."""
        p = self.para(style)
        if path:
            self.marked(p, path, text)
        else:
            self.runs(p, text)
        if anchor:
            self._bookmarks += 1
            bookmark(p, self._bookmarks, anchor)
        return p

    def table(self, widths: list[float], style: str, *, header: tuple[str, ...] | None = None,
              indent: float = 0, first_row: bool = False) -> Table:
        """A fixed-layout table in a named table style (in the body, or in the cell being filled); ``header``
        makes a repeating header row."""
        if self._into is not None:
            cell = self._into
            if cell._tc in self._fresh:  # the cell's empty paragraph goes; the table takes its place
                self._fresh.discard(cell._tc)
                cell._tc.remove(cell.paragraphs[-1]._p)
            table = cell.add_table(0, len(widths))  # and a paragraph after it, as a cell must end with one
            self._fresh.add(cell._tc)
        else:
            table = self.doc.add_table(rows=0, cols=len(widths))
        self._style_table(table, widths, style, header=bool(header) or first_row, indent=indent)
        if header:
            row = self.row(table, widths)
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            for cell, label in zip(row.cells, header, strict=True):
                self.cell_para(cell, S.TABLE_TEXT, label)
        return table

    def _style_table(self, table: Table, widths: list[float], style: str, *, header: bool = False,
                     indent: float = 0) -> None:
        """A fixed layout of ``widths`` in a named table style, without direct formatting."""
        tbl = table._tbl
        for child in list(tbl.tblPr):
            tbl.tblPr.remove(child)
        look = 0x0600 | (0x0020 if header else 0)
        for xml in (f'<w:tblStyle w:val="{self.ids[style]}"/>',
                    f'<w:tblW w:w="{sum(tw(w) for w in widths)}" w:type="dxa"/>',
                    f'<w:tblInd w:w="{tw(indent)}" w:type="dxa"/>',
                    '<w:tblLayout w:type="fixed"/>',
                    f'<w:tblLook w:val="{look:04X}" w:firstRow="{int(bool(header))}" w:lastRow="0" '
                    'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'):
            tbl.tblPr.append(parse_xml(xml.replace("/>", f" {nsdecls('w')}/>", 1)))
        for col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = Pt(width)

    def row(self, table: Table, widths: list[float], *, can_split: bool = False):
        row = table.add_row()
        if not can_split:
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Pt(width)
            cell.paragraphs[0]._p.style = self.ids[S.TABLE_TEXT]  # also when a cell stays empty
            self._fresh.add(cell._tc)
        return row

    def keep_together(self, table: Table, *, whole: bool = True, with_next: bool = False) -> None:
        """Keep a table on one page, as the handout model says it fits on one (``whole``), and with ``with_next``
        its last row with what follows."""
        rows = table.rows
        if not whole:
            rows = rows[-1:] if with_next else []
            with_next = True
        for row in rows[:-1] if not with_next else rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    keep_with_next(p)

    def new_list(self, name: str, start: int = 1) -> int:
        return self.numbering.new_list(name, start)

    # -- the handout --------------------------------------------------------------------------

    def draw(self) -> None:
        self.header_footer()
        self.masthead()
        for section in self.h.sections:
            style = S.WORKSHEET_TITLE if section.kind == "worksheet" else (S.HEADING1 if section.level == 2
                                                                             else S.HEADING2)
            if section.recto:  # a right-hand page: a section of its own that starts on an odd page
                self.doc.add_section(WD_SECTION_START.ODD_PAGE)
            heading = self.heading(style, section.heading, section.anchor, SECTION_FIELDS.get(section.kind, ()))
            if section.new_page and not section.recto:
                page_break_before(heading)
            self.SECTIONS[section.kind](self, section)
        # python-docx leaves no trailing empty paragraph; a document may not end in a table, though.
        body = self.doc.element.body
        last = [c for c in body if c.tag != qn("w:sectPr")][-1:]
        if last and last[0].tag == qn("w:tbl"):
            self.para(S.TABLE_TEXT)

    def header_footer(self) -> None:
        """The model's running text: header left and right, footer left and "Page X of Y" at the right; with a
        letterhead, its header and footer beside them on every page, and its logo and lines in the first page's
        header."""
        running = self.h.running
        letterhead = self.h.letterhead
        section = self.doc.sections[0]
        sectPr = section._sectPr
        for ref in sectPr.findall(qn("w:headerReference")) + sectPr.findall(qn("w:footerReference")):
            rid = ref.get(qn("r:id"))
            sectPr.remove(ref)
            self.doc.part.drop_rel(rid)
        title_pg = sectPr.find(qn("w:titlePg"))
        if title_pg is not None:
            sectPr.remove(title_pg)
        for flag in self.doc.settings.element.findall(qn("w:evenAndOddHeaders")):
            self.doc.settings.element.remove(flag)

        if letterhead is not None and letterhead.word:
            self._reference_header_footer(section, dict(letterhead.word), running, letterhead)
            return
        header = section.header
        header.is_linked_to_previous = False
        self._header_line(header.paragraphs[0], running, letterhead)
        footers = [section.footer]
        if letterhead is not None and (letterhead.logo is not None or letterhead.lines):
            section.different_first_page_header_footer = True
            first = section.first_page_header
            first.is_linked_to_previous = False
            top = first.paragraphs[0]
            top._p.style = self.ids[S.HEADER]
            if letterhead.logo is not None:
                add_picture(top, letterhead.logo, {})  # a header is a part of its own: its pictures too
                for doc_pr in top._p.iter(qn("wp:docPr")):  # an id no drawing of the body has
                    doc_pr.set("id", str(LOGO_DRAWING_ID))
            for i, line in enumerate(letterhead.lines):
                if i:
                    top.add_run().add_break()
                self.run(top, f" {line}" if letterhead.logo is not None and not i else line,
                         S.STRONG if i == 0 else None)
            self._header_line(first.add_paragraph(), running, letterhead)
            footers.append(section.first_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            self._footer_line(footer.paragraphs[0], running, letterhead)

    def _reference_header_footer(self, section, parts: dict[str, bytes], running, letterhead) -> None:
        """A reference document's own header and footer, as it made them (kept safe when the style was read:
        :func:`.reference_import.word_part`), the first page's too when it has its own; the running text that is
        left (the edition on the right, "Page X of Y" unless the footer numbers its pages) on a line after them."""
        first = "first-header" in parts or "first-footer" in parts
        section.different_first_page_header_footer = first
        for kind, stories in (("header", (section.header, section.first_page_header)),
                              ("footer", (section.footer, section.first_page_footer))):
            for which, story in zip(("default", "first"), stories):
                if which == "first" and not first:
                    continue
                story.is_linked_to_previous = False
                xml = parts.get(f"{which}-{kind}") or parts.get(f"default-{kind}")
                if xml is not None:
                    self._copy_story(story, xml, letterhead)
                p = story.add_paragraph() if xml is not None else story.paragraphs[0]
                if kind == "header":
                    self._header_line(p, running, None if xml is not None else letterhead)
                else:
                    self._footer_line(p, running, None if xml is not None else letterhead)
                if xml is not None and not "".join(t.text or "" for t in p._p.iter(qn("w:t"))).strip() \
                        and p._p.find(f".//{qn('w:fldSimple')}") is None:
                    p._p.getparent().remove(p._p)  # no running text is left to print beside it

    def _copy_story(self, story, xml: bytes, letterhead) -> None:
        """The header or footer ``story`` holding a copy of ``xml``'s content, its picture related to the logo
        (or left out, when Word cannot show the logo's format)."""
        root = parse_xml(xml)
        own = story.paragraphs[0]._p.getparent()
        for child in list(own):
            own.remove(child)
        for child in root:
            own.append(deepcopy(child))
        if not len(own.findall(qn("w:p"))) and not len(own.findall(qn("w:tbl"))):
            own.append(OxmlElement("w:p"))
        logo = letterhead.logo
        rid = None
        if logo is not None and logo.format in ("png", "jpeg", "gif") and logo.data:
            rid, _ = story.part.get_or_add_image(BytesIO(logo.data))
        for drawing in list(own.iter(qn("w:drawing"))):
            blips = [b for b in drawing.iter(qn("a:blip")) if b.get(qn("r:embed")) == LOGO_RELATIONSHIP]
            if rid is None:
                drawing.getparent().remove(drawing)
                continue
            for blip in blips:
                blip.set(qn("r:embed"), rid)
        for n, doc_pr in enumerate(own.iter(qn("wp:docPr"))):  # ids no drawing of the body has
            doc_pr.set("id", str(LOGO_DRAWING_ID + n))

    def _parts(self, p: Paragraph, parts) -> None:
        """A letterhead's header or footer: its words, and Word's own fields for the page's number and count."""
        for part in parts:
            if part.kind == "text":
                self.run(p, part.text)
            else:
                field(p, "PAGE" if part.kind == "page" else "NUMPAGES")

    def _header_line(self, hp: Paragraph, running, letterhead) -> None:
        hp._p.style = self.ids[S.HEADER]
        self.run(hp, running.header_left)
        if letterhead is not None:
            self._parts(hp, letterhead.header)
        if running.header_right:
            self.run(hp, "\t")
            self.run(hp, running.header_right, S.STRONG)

    def _footer_line(self, fp: Paragraph, running, letterhead) -> None:
        fp._p.style = self.ids[S.FOOTER]
        self.run(fp, running.footer_left)
        if letterhead is not None:
            self._parts(fp, letterhead.footer)
        if running.page_numbers:
            self.run(fp, "\t")
            before, middle, after = running.page_label
            self.run(fp, before)
            field(fp, "PAGE")
            self.run(fp, middle)
            field(fp, "NUMPAGES")
            self.run(fp, after)

    def masthead(self) -> None:
        h = self.h
        if h.masthead.banner:
            self.para(S.TEACHER_LABEL, h.masthead.banner)
        if h.masthead.name_line:
            p = self.name_line(S.NAME_LINE_VERSION if h.masthead.version else S.NAME_LINE, h.masthead.name_line)
            if h.masthead.version:
                self.run(p, "\t")
                self.run(p, h.masthead.version, S.STRONG)
        self.heading(S.TITLE, h.title, "title", ("title",))
        if h.subtitle:
            self.marked(self.para(S.SUBTITLE), ("subtitle",), h.subtitle)
        if h.meta:
            p = self.para(S.META)
            for i, (label, value) in enumerate(h.meta):
                if i:
                    self.run(p, h.meta_separator)
                self.run(p, label, S.STRONG)
                self.run(p, " ")
                self.runs(p, value)

    def name_line(self, style: str, labels: tuple[str, ...]) -> Paragraph:
        """"Name ____  Date ____  Class ____": each label, then a tab with a leader to where its blank ends, and
        a tab to the next label (the style's stops: :func:`.styles.name_line_tabs`)."""
        p = self.para(style)
        for i, label in enumerate(labels):
            self.run(p, f"\t{label} " if i else f"{label} ")
            self.run(p, "\t")
        return p

    def score_box(self, p: Paragraph, score: tuple[str, str]) -> None:
        """"Score [box] / 32": the box a run of figure spaces with a border round it (LP Score Box). Not no-break
        spaces: LibreOffice sets each of those apart and draws the box's top and bottom dashed."""
        self.run(p, f"{score[0]} ")
        self.run(p, FIGURE_SPACE * SCORE_BOX_FIGURES, S.SCORE_BOX)
        self.run(p, f" {score[1]}")

    # -- sections (items.html: objectives, reading, glossary, prompts, worksheet, answer_key) ------

    def overview(self, _: Section) -> None:
        o = self.h.overview
        assert o is not None
        if o.key_pointer:
            p = self.para(S.KEY_POINTER, o.key_pointer.before)
            field(p, f"PAGEREF {bookmark_name(o.key_pointer.anchor)} \\h")
            update_fields_on_open(self.doc)  # the page a word processor lays the key on, not a guess
            self.run(p, o.key_pointer.after)
        if o.warning:
            self.heading(S.HEADING3, o.warning_label)
            box = [p for k, block in enumerate(o.warning)
                   for p in self.block(block, text_style=S.WARNING, path=("content_warning", (PARAGRAPH, k)))]
            for p in box[:-1]:  # one box, kept together (and with its heading) where it fits, as in the PDF
                keep_with_next(p)
        if o.objectives:
            self.heading(S.HEADING3, o.objectives_label)
            num = self.new_list(S.NUM_BULLETS)
            for i, objective in enumerate(o.objectives):
                self.marked(self.para(S.OBJECTIVE, num=num), ("objectives", i), objective)
        if o.notes:
            self.heading(S.HEADING3, o.notes_label)
            for k, block in enumerate(o.notes):
                self.block(block, text_style=S.TEACHER_NOTE, path=("teacher_notes", (PARAGRAPH, k)))

    def objectives(self, _: Section) -> None:
        num = self.new_list(S.NUM_BULLETS)
        for i, objective in enumerate(self.h.objectives):
            self.marked(self.para(S.OBJECTIVE, num=num), ("objectives", i), objective)

    def reading(self, _: Section) -> None:
        reading = self.h.reading
        assert reading is not None
        last: Paragraph | None = None
        written = reading.blocks or tuple(range(len(reading.paragraphs)))
        for (number, block), k in zip(reading.paragraphs, written):
            if isinstance(block, Picture):
                last = self.picture(block, S.PICTURE, S.PICTURE_CAPTION)
            elif isinstance(block, Verse):  # in line with the reading's text, as the PDF sets it
                last = self.verse(block, self.geo.text_width, self.geo.indent)[-1]
            else:
                last = (self.block(block, number=number, path=("reading", "text", (PARAGRAPH, k))) or [last])[-1]
        if reading.source:
            if last is not None:  # the source line never stands alone at the top of a page
                keep_with_next(last)
            p = self.para(S.READING_SOURCE, f"{reading.source_label} ")
            self.marked(p, ("reading", "source"), reading.source)

    def picture(self, picture: Picture, style: str, caption_style: str) -> Paragraph:
        """A picture in a paragraph of its own, at the model's size, and its caption under it; the last of them."""
        p = self.para(style)
        add_picture(p, picture, self._svgs)
        if picture.caption:
            return self.para(caption_style, picture.caption)
        return p

    def source(self, src: SourceView) -> None:
        """A source in its frame (LP Source Frame): label and title, body, picture or table, caption and citation
        in its first row, the teacher's notes in a second. A row does not break, so the source stays whole (unless
        the model lets its tall table go on over the page), and its notes keep with it unless the model lets them go
        on to the next page; it keeps with the question after it when the model says they share a page. A small
        paragraph after the frame keeps it apart from what follows."""
        width = self.geo.text_width
        frame = self.table([width], S.SOURCE_FRAME)
        cell = self.row(frame, [width], can_split=src.table is not None and not src.table.keep_whole).cells[0]
        body = self._inside(cell, lambda: self._framed(src))
        rows = [cell]
        if src.notes:
            notes = self.row(frame, [width]).cells[0]
            self._inside(notes, lambda: self._notes(src))
            rows.append(notes)
        space = self.para(S.SOURCE_SPACE)
        keep = rows[1:] if src.notes_may_break else rows  # the notes may go on over the page, with the question
        if not src.with_question:  # no question after it, or one that cannot share its page
            keep = rows[:-1] if not src.notes_may_break else []
        for part in keep:
            for el in part._tc.iter(qn("w:p")):
                keep_with_next(Paragraph(el, None))
        if src.with_question:
            keep_with_next(space)
        if src.lang:  # the source's own words: spell checkers and screen readers switch language
            for p in body:
                for r in p._p.iter(qn("w:r")):
                    r.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{src.lang}"/>'))

    def _inside(self, cell, draw):
        """Draw into a table cell (paragraphs and tables go there), then close it: a cell ends with a paragraph."""
        outer, self._into = self._into, cell
        try:
            out = draw()
        finally:
            self._into = outer
        if cell._tc in self._fresh:  # a table is its last part: the empty paragraph after it stays, styled
            self.cell_para(cell, S.SOURCE_SPACE)
        return out

    def _framed(self, src: SourceView) -> list[Paragraph]:
        """A source's frame's first row, drawn into it; the paragraphs of its own words (text and table)."""
        head = self.para(S.SOURCE_TITLE)
        self.run(head, f"{NBSP}{src.label}{NBSP}", S.SOURCE_LABEL)
        self.run(head, " ")
        at = ("sources", src.index) if src.index >= 0 else ()
        self.marked(head, at + ("title",), src.title) if at else self.runs(head, src.title)
        body: list[Paragraph] = []
        inner = self.geo.text_width - 2 * FRAME_INSET
        for k, block in enumerate(src.text):
            if isinstance(block, Verse):
                body += self.verse(block, inner)
            else:
                body += self.block(block, text_style=S.SOURCE,
                                   path=at + ("text", (PARAGRAPH, k)) if at and src.whole else ())
        if src.parallel:
            body += self.parallel(src.parallel, inner)
        if src.picture:
            self.picture(src.picture, S.SOURCE_PICTURE, S.CAPTION)
        if src.table:
            body += self.source_table(src)
        for style, key, text in ((S.CAPTION, "caption", src.caption), (S.CITATION, "citation", src.citation)):
            if text:
                self.marked(self.para(style), at + (key,), text) if at else self.para(style, text)
        return body

    def verse(self, v: Verse, width: float, left: float = 0.0) -> list[Paragraph]:
        """A poem (or a part of one): a paragraph a line, ``left`` points in from the edge of a room ``width``
        points wide; each line kept with the next, so the part stays on one page as the model decided."""
        out = [self.para(S.VERSE_CONTINUED, v.continued)] if v.continued else []
        for k, stanza in enumerate(v.stanzas):
            for n, line in enumerate(stanza):
                last = n == len(stanza) - 1 and k < len(v.stanzas) - 1
                out.append(self.verse_line(line, S.VERSE_STANZA_END if last else S.VERSE, width,
                                           v.numbered, left))
        for p in out[:-1]:
            keep_with_next(p)
        return out

    def verse_line(self, line: VerseLine, style: str, width: float, numbered: bool, left: float = 0.0,
                   into=None) -> Paragraph:
        """A line of verse: its indent (wrapped lines hang under it), its words, and its number at a right tab at
        the room's edge (the PDF's margin column), not Word's line numbering, which counts every paragraph."""
        p = self.para(style, into=into)
        size = self.geo.size
        hang = size * 1.5
        p.paragraph_format.left_indent = Pt(round(left + line.indent * size + hang, 1))
        p.paragraph_format.first_line_indent = Pt(-hang)
        if numbered:  # a right tab inside the room: one past a right indent is dropped by LibreOffice
            p.paragraph_format.tab_stops.add_tab_stop(Pt(round(width - 1, 1)), WD_TAB_ALIGNMENT.RIGHT)
        self.runs(p, line.text)
        if line.number:
            self.run(p, "\t")
            self.run(p, line.number, S.VERSE_NUMBER)
        return p

    def parallel(self, par: ParallelView, width: float) -> list[Paragraph]:
        """Two texts side by side, a two-column table: the titles' row, then a row a line of verse (line i beside
        line i) or a paragraph; each side's words in its own language."""
        widths = [round(width / 2, 1)] * 2
        table = self.table(widths, S.PARALLEL_TABLE, first_row=True)
        head = self.row(table, widths)
        head._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        for cell, title in zip(head.cells, par.titles):
            self.cell_para(cell, S.PARALLEL_TITLE, title)
        out: list[Paragraph] = []
        room = widths[0] - S.PARALLEL_GUTTER
        for row in par.rows:
            cells = self.row(table, widths).cells
            for side, cell in enumerate(cells):
                if par.verse and row.lines is not None:
                    line = row.lines[side]
                    drawn = [self.verse_line(line, S.VERSE_STANZA_START if row.stanza_start else S.VERSE, room,
                                             par.numbered and side == 0, into=cell)]
                else:
                    drawn = self._inside(cell, lambda side=side: [p for b in row.blocks[side]
                                                                 for p in self.block(b, text_style=S.SOURCE)])
                if par.langs[side]:
                    for p in drawn:
                        for r in p._p.iter(qn("w:r")):
                            r.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{par.langs[side]}"/>'))
                out += drawn
        return out

    def _notes(self, src: SourceView) -> None:
        """A source's teacher notes, in its frame's second row."""
        note = self.para(S.SOURCE_NOTE, f"{src.notes_label} ", char=S.STRONG)
        at = ("sources", src.index, "notes") if src.index >= 0 else ()
        for i, block in enumerate(src.notes):
            if i == 0 and block.kind == "paragraph":
                self.marked(note, at + ((PARAGRAPH, i),), block.spans) if at else self.runs(note, block.spans)
            else:
                self.block(block, text_style=S.SOURCE_NOTE, path=at + ((PARAGRAPH, i),) if at else ())

    def source_table(self, src: SourceView) -> list[Paragraph]:
        """A source's statistics as a Word table inside its frame, in the model's widths and type size (the size
        the widths were measured at): the header rows in the heading face, repeated on every page the table runs
        over, a heading over several columns (or reaching down a row) a merged cell; each cell set as the model
        aligns it (a decimal column on a decimal tab stop at the model's point); a blank cell a box, with its
        answer in the teacher edition."""
        table = src.table
        assert table is not None
        widths = list(table.widths)  # the model's, from the cells' texts and the lesson's widths: it fits the frame
        t = self.table(widths, S.SOURCE_TABLE, first_row=True)
        out: list[Paragraph] = []
        heads = [self.row(t, widths) for _ in table.header]
        taken: set[tuple[int, int]] = set()  # (row, column) a heading above already stands over
        at = ("sources", src.index, "table") if src.index >= 0 else None  # each cell's mark (marks.py)
        for r, (drawn, row) in enumerate(zip(heads, table.header)):
            drawn._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))  # repeats on each page
            column = 0
            for cell in row:
                while (r, column) in taken:
                    column += 1
                target = drawn.cells[column]
                if cell.span > 1 or cell.down > 1:
                    target = target.merge(heads[r + cell.down - 1].cells[column + cell.span - 1])
                    self._fresh.add(target._tc)
                taken.update((r + k, column + j) for k in range(cell.down) for j in range(cell.span))
                out.append(self._table_cell(target, cell, head=True, at=at and _cell_mark(at, cell)))
                column += cell.span
        if len(heads) > 1:  # the style rules off the first row; the last header row gets the same rule
            for c in heads[-1].cells:
                tc_pr = c._tc.get_or_add_tcPr()
                tc_pr.append(parse_xml(f"<w:tcBorders {nsdecls('w')}>{border('bottom', self.geo.tokens.colors.text, 8)}"
                                       "</w:tcBorders>"))
        for values in table.rows:
            row = self.row(t, widths)
            out += [self._table_cell(c, value, at=at and _cell_mark(at, value)) for c, value in zip(row.cells, values)]
        if table.scale != 1:  # set smaller still to fit its frame, as the model decided (and as the PDF prints it)
            size = Pt(round(self.geo.size * TABLE_TYPE * table.scale * 2) / 2)
            for p in out:
                for r in p.runs:
                    r.font.size = size
        self.keep_together(t, whole=table.keep_whole, with_next=True)
        return out

    def _table_cell(self, cell, value: TableCell, *, head: bool = False, at: tuple | None = None) -> Paragraph:
        """One cell of a source table, set as the model aligns it (its text marked as the field ``at``)."""
        style = {"right": S.TABLE_NUMBER, "center": S.TABLE_CENTRED}.get(value.align, S.SOURCE_TABLE_TEXT)
        char = S.SOURCE_TABLE_HEAD if head else S.ANSWER_CHAR if value.blank else None
        p = self.cell_para(cell, style, char=char)

        def draw() -> None:
            self.runs(p, value.text, char)
            if value.fraction:
                self.run(p, value.fraction, char)

        if at is not None and (value.text or value.fraction):
            self.marked_with(p, at, draw)
        else:
            draw()
        if value.align == "decimal":  # Word lines a cell's figure up on its first tab stop when that is decimal
            p.paragraph_format.tab_stops.add_tab_stop(Pt(value.point), WD_TAB_ALIGNMENT.DECIMAL)
        if value.blank:  # a box the student fills in
            sides = "".join(border(side, self.geo.tokens.colors.text, 6) for side in ("top", "left", "bottom", "right"))
            cell._tc.get_or_add_tcPr().append(parse_xml(f"<w:tcBorders {nsdecls('w')}>{sides}</w:tcBorders>"))
        return p

    def block(self, block: Block, *, number: int | None = None, text_style: str = S.READING,
              path: tuple = ()) -> list[Paragraph]:
        """A Markdown block: a reading paragraph (with its ¶ number), a source's text or a teacher-note paragraph;
        a block that is one paragraph is marked as the field at ``path`` (see :mod:`.marks`)."""
        out: list[Paragraph] = []

        def new(style: str, num: int | None = None) -> Paragraph:
            p = self.para(style, num=num)
            out.append(p)
            return p

        def numbered(style: str, spans: RichText, sep: str = "\t", num: int | None = None) -> None:
            p = new(style, num)
            if number is not None:
                self.run(p, str(number), S.PARA_NUMBER)
                self.run(p, sep)
            self.marked(p, path, spans) if path and block.kind in ("paragraph", "quote") else self.runs(p, spans)

        boxed = BOXED_LISTS.get(text_style)
        if block.kind == "callout":  # a frame of its own, never a numbered paragraph
            if self._after_callout():
                self.para(S.CALLOUT_GAP)
            box = [self.para(S.CALLOUT_TITLE, block.title)]
            box += [p for inner in block.body for p in self.block(inner, text_style=S.CALLOUT)]
            for p in box if text_style == S.SOURCE else box[:-1]:  # together where it fits (in a source, with
                keep_with_next(p)                                   # the rest of the source), as in the PDF
            out += box
        elif block.kind == "heading" and boxed:  # a heading inside a box stays in it: a bold line of the box
            self.runs(new(text_style), block.spans, S.STRONG)
        elif block.kind == "heading":
            numbered(S.HEADING3, block.spans, " ")
        elif block.kind == "quote" and text_style == S.READING:
            numbered(S.READING_QUOTE_UPRIGHT if block.upright else S.READING_QUOTE, block.spans)
        elif block.kind == "quote":
            numbered(text_style, block.spans)
        elif block.kind in ("bullets", "numbers"):
            # The list marker is typed, so that a reading's ¶ number can come before it, as in the PDF
            # (a Word list label always comes first in its paragraph).
            style = boxed or (S.LIST_BULLET if block.kind == "bullets" else S.LIST_NUMBER)
            for i, item in enumerate(block.items):
                marker = NUMBERING["bullet"] if block.kind == "bullets" else NUMBERING["list"].format(n=i + 1)
                p = new(style)
                if number is not None and i == 0:
                    self.run(p, str(number), S.PARA_NUMBER)
                self.run(p, f"\t{marker}\t")
                self.runs(p, item)
        else:
            numbered(text_style, block.spans)
        return out

    def _after_callout(self) -> bool:
        """Whether the last paragraph of the body is a callout's (another callout would join its frame)."""
        last = self.doc.element.body[-2] if len(self.doc.element.body) > 1 else None  # [-1]: the section's sectPr
        style = last.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if last is not None and last.tag == qn("w:p") else None
        return style is not None and style.get(qn("w:val")) in {self.ids[s] for s in (S.CALLOUT, S.CALLOUT_TITLE,
                                                                                         S.CALLOUT_LIST)}

    def glossary(self, _: Section) -> None:
        g = self.h.glossary
        assert g is not None
        widths = [round(self.geo.text_width / g.columns, 1)] * g.columns
        table = self.table(widths, S.GLOSSARY)
        for start in range(0, len(g.entries), g.columns):
            row = self.row(table, widths)
            for i, cell, (term, definition) in zip(range(start, len(g.entries)), row.cells,
                                                   g.entries[start:start + g.columns]):
                p = self.cell_para(cell, S.GLOSSARY_ENTRY)
                self.marked(p, ("key_terms", i, "term"), term, S.KEY_TERM)
                self.run(p, g.dash)
                self.marked(p, ("key_terms", i, "definition"), definition)
        self.keep_together(table, whole=g.keep_whole)

    def discussion(self, _: Section) -> None:
        prompts = self.h.prompts
        num = self.new_list(S.NUM_PROMPTS, prompts[0].number)
        for prompt in prompts:
            p = self.para(S.PROMPT, num=num)
            self.marked(p, ("prompts", prompt.number - 1, "text"), prompt.text)
            if prompt.notes:
                keep_with_next(p)
                note = self.para(S.PROMPT_NOTE, f"{prompt.notes_label} ", char=S.STRONG)
                self.marked(note, ("prompts", prompt.number - 1, "notes"), prompt.notes)

    def worksheet(self, _: Section) -> None:
        ws = self.h.worksheet
        assert ws is not None
        if ws.score[0]:  # the student's page to hand in: the name line again (on a page of its own), the score box
            if ws.name_line:
                p = self.name_line(S.SCORE_LINE_VERSION if ws.version else S.SCORE_LINE, ws.name_line)
                self.run(p, "\t")
            else:
                p = self.para(S.TOTAL)
            self.score_box(p, ws.score)
            if ws.version:
                self.run(p, f"\u2003{ws.version}", S.STRONG)
        if ws.total_label:
            p = self.para(S.TOTAL, ws.total_label)
            if ws.version:
                self.run(p, f"\u2003{ws.version}", S.STRONG)
        if ws.instructions:
            self.marked(self.para(S.INSTRUCTIONS), ("worksheet", "instructions"), ws.instructions)
        num = self.new_list(S.NUM_QUESTIONS, ws.questions[0].number)  # each worksheet counts from its first
        for question in ws.questions:
            self.question(question, num)

    def answer_key(self, _: Section) -> None:
        keys = self.h.answer_keys
        for key in keys:
            if key.caption:
                keep_with_next(self.heading(S.HEADING3, key.caption))
            self.key_table(key)
        for grid in self.h.key_grids:
            self.key_grid(grid)

    def key_grid(self, grid: KeyGrid) -> None:
        keep_with_next(self.heading(S.HEADING3, grid.caption))
        widths = list(grid.widths)
        table = self.table(widths, S.TABLE, header=grid.header)
        for cells in grid.printed:
            row = self.row(table, widths)
            self.cell_para(row.cells[0], S.TABLE_TEXT, cells[0])
            for cell, text in zip(row.cells[1:], cells[1:]):
                self.cell_para(cell, S.TABLE_TEXT, text, char=S.ANSWER_CHAR)
        self.keep_together(table, whole=grid.keep_whole, with_next=grid.keep_with_next)

    def key_table(self, key: KeyTable) -> None:
        widths = list(key.widths)
        table = self.table(widths, S.TABLE, header=key.header)
        for row in key.rows + (key.total,):
            self.key_row(table, widths, row, total=row is key.total)
        # The reading statistics that follow join the key's last rows, never a page of their own.
        self.keep_together(table, whole=key.keep_whole, with_next=key.keep_with_next)
        # However long the key, its total line never stands alone under the repeated header row: the rows the
        # model keeps with it keep with the row after them (the last of them with the total).
        for row, drawn in zip(key.rows, table.rows[-len(key.rows) - 1:-1]):
            if row.keep_with_next:
                for cell in drawn.cells:
                    for p in cell.paragraphs:
                        keep_with_next(p)
        if key.keep_with_next:
            for cell in table.rows[-1].cells:
                for p in cell.paragraphs:
                    keep_with_next(p)

    def key_row(self, table: Table, widths: list[float], key: KeyRow, *, total: bool) -> None:
        row = self.row(table, widths, can_split=not key.keep_whole)  # a tall row may go on over the page
        char = S.STRONG if total else None
        self.cell_para(row.cells[0], S.TABLE_TEXT, key.number, char=char)
        self.cell_para(row.cells[1], S.TABLE_NOTE, key.kind)
        self.cell_para(row.cells[2], S.TABLE_TEXT, key.printed, char=S.STRONG if total else S.ANSWER_CHAR)
        self.cell_para(row.cells[3], S.TABLE_TEXT, key.points, char=char)

    def stats(self, _: Section) -> None:
        num = self.new_list(S.NUM_BULLETS)
        for line in self.h.stats.lines if self.h.stats else ():
            self.para(S.STATS, line, num=num)

    def sources(self, _: Section) -> None:
        for src in self.h.sources:
            self.source(src)

    SECTIONS = {"overview": overview, "objectives": objectives, "reading": reading, "sources": sources,
                "key-terms": glossary,
                "discussion": discussion, "worksheet": worksheet, "answer-key": answer_key, "stats": stats}

    # -- questions (items.html: question and one macro per item type) ----------------------------

    def question(self, q: Question, num: int) -> None:
        for src in q.sources:
            self.source(src)
        first = self.para(S.QUESTION, num=num)
        if q.use_source:
            self.run(first, q.use_source, S.USE_SOURCE)
            if q.prompt:
                self.run(first, " ")
        at = ("worksheet", "items", q.number - 1)  # its place as printed (see marks.py)
        self.marked(first, at + ("prompt",), q.prompt)
        self.run(first, "\t")
        self.marked(first, at + ("points",), q.points_label.replace(" ", NBSP), S.POINTS)
        drawn: list[Paragraph] = [first] + item_types()[q.kind].draw_word(self, q)
        tables = [el for el in first._p.itersiblings() if el.tag == qn("w:tbl")]  # what the type drew as tables
        for tbl in tables:  # a row of a question never breaks inside
            for tr in tbl.iterchildren(qn("w:tr")):
                _cant_split(tr)
        # Word keeps a question with its choices, lines and table rows, as the model says: all of it on one page
        # (a table's rows but the last kept with the next, and the prompt with the table), or, for a question that
        # may go on over the page, its start and its end (a row of a table is one part, moved whole).
        parts = _parts(drawn)
        keep = parts[:-1] if q.keep_whole else _split_keeps(parts)
        if q.fills_page:  # lines that fill their page: what the teacher edition prints under them goes on over
            last_line = max((k for k, part in enumerate(parts) if isinstance(part, Paragraph)
                             and part.style is not None and part.style.style_id == self.ids[S.WRITING_LINE]),
                            default=None)
            keep = [part for k, part in enumerate(keep) if k != last_line]
        if q.keep_whole:  # every row of every table but its last, whether or not the type returned its paragraphs
            keep += [tr for tbl in tables for tr in list(tbl.iterchildren(qn("w:tr")))[:-1]]
        for part in keep:
            for p in _paragraphs(part):
                keep_with_next(p)

    # -- what item types draw with (lessonpack.items: each type's draw_word) ------------------------------------

    S = S
    """The Word styles' names (``d.S.CHOICE``…), for item types."""
    NBSP = NBSP
    BANK_SEPARATOR = BANK_SEPARATOR

    def choice_cells(self, per_row: int, count: int, *, keep: bool) -> list:
        """Where each choice goes: None (a paragraph of its own) or a cell of a table, ``per_row`` to a row."""
        if per_row < 2:
            return [None] * count
        width = round((self.geo.text_width - self.geo.indent) / per_row, 1)
        table = self.table([width] * per_row, S.PLAIN_TABLE, indent=self.geo.indent)
        cells = []
        for start in range(0, count, per_row):
            cells += self.row(table, [width] * per_row).cells[:min(per_row, count - start)]
        if keep:
            self.keep_together(table)
        return cells

    def hang(self, p: Paragraph, indent: float) -> None:
        """Indent a paragraph by ``indent`` points, its first line hanging back to the edge (a list label's room)."""
        p.paragraph_format.left_indent = Pt(indent)
        p.paragraph_format.first_line_indent = Pt(-indent)

    def writing(self, w: Writing, line_style: str = S.WRITING_LINE, answer_style: str = S.ANSWER,
                path: tuple = ()) -> list[Paragraph]:
        """The writing lines: the model answer set on the first of them, a line of it a paragraph as the model
        broke it (so the teacher's copy has the student's lines), then the empty ones; each line of the answer
        marked as a line of the field at ``path`` (see :mod:`.marks`)."""
        out = []
        for k, row in enumerate(w.answer_rows):
            p = self.para(answer_style)
            if path:
                self.marked(p, path + ((ROW, k),), row, S.ANSWER_SMALL if w.answer_small else None)
            else:
                self.runs(p, row, S.ANSWER_SMALL if w.answer_small else None)
            out.append(p)
        out += [self.para(line_style) for _ in range(w.blank_lines)]
        return out

    def word_bank(self, label: str, words: tuple[str, ...], at: tuple | None = None) -> Paragraph:
        """A boxed word bank: its label, then the words on the next line, a phrase never broken inside itself
        ("socialism in one country" stays on one line); with ``at`` (the item's path as printed), each word is
        marked as the field ``at + ("bank", k)`` (see :mod:`.marks`)."""
        bank = self.para(S.WORD_BANK)
        self.run(bank, label, S.STRONG)
        self.line_break(bank)
        for k, word in enumerate(words):
            if k:
                self.run(bank, BANK_SEPARATOR)
            if at is None:
                self.run(bank, word.replace(" ", NBSP))
            else:
                self.marked_with(bank, at + ("bank", k), lambda w=word: self.run(bank, w.replace(" ", NBSP)))
        return bank

    def blank(self, p: Paragraph, number: int, width: int, answer: RichText | str | None,
              at: tuple | None = None) -> None:
        """A numbered blank of ``width`` character widths (the width of "0"), the answer set in it if given (as
        drawn: a formula as an equation, H~2~O with its subscript); with ``at``, the answer is marked as that field
        (see :mod:`.marks`)."""
        room = round(width * BLANK_SPACES_PER_CHAR)
        self.run(p, str(number), S.BLANK_NUMBER)
        if answer is None:
            self.run(p, NBSP * room, S.BLANK)
            return
        spans = (Span(answer),) if isinstance(answer, str) else answer
        pad = NBSP * max(1, round((room - BLANK_SPACES_PER_CHAR * len(plain(spans))) / 2))  # as wide as unfilled
        self.run(p, pad, S.BLANK)
        shown = tuple(span if span.math else replace(span, text=span.text.replace(" ", NBSP)) for span in spans)
        if at is None:
            self.runs(p, shown, S.BLANK_ANSWER)
        else:
            self.marked_with(p, at, lambda: self.runs(p, shown, S.BLANK_ANSWER))
        self.run(p, pad, S.BLANK)

    def letter_slot(self, p: Paragraph, answer: str | None) -> None:
        """The line a student writes a letter on (a matching row), the answer set on it if given."""
        if answer is not None:
            self.run(p, NBSP * 3, S.BLANK)
            self.run(p, answer, S.BLANK_ANSWER)
            self.run(p, NBSP * 3, S.BLANK)
        else:
            self.run(p, NBSP * 8, S.BLANK)

    def answer_box(self, p: Paragraph, width: int, answer: str | None, at: tuple | None = None,
                   own: int = 0) -> None:
        """A box ``width`` character widths wide (the width of "0", as CSS's ``ch``) that a number is written
        in, with the answer set in it if given: a run of figure spaces with a border round it (LP Answer Box), as
        the score box is drawn. With ``at``, the answer's first ``own`` characters are marked as that field (the
        lesson's answer, before what the box adds to it: "± 0.5")."""
        if answer is None:
            self.run(p, FIGURE_SPACE * width, S.ANSWER_BOX)
            return
        pad = FIGURE_SPACE * max(1, (width - len(answer)) // 2)
        self.run(p, pad, S.ANSWER_BOX)
        shown = answer.replace(" ", NBSP)
        if at is not None and own:
            self.marked_with(p, at, lambda: self.run(p, shown[:own], S.ANSWER_BOX_ANSWER))
            if shown[own:]:
                self.run(p, shown[own:], S.ANSWER_BOX_ANSWER)
        else:
            self.run(p, shown, S.ANSWER_BOX_ANSWER)
        self.run(p, pad, S.ANSWER_BOX)

    def figure(self, picture: Picture, style: str, *, overlay: Picture | None = None,
               at: tuple[float, float] = (0.0, 0.0)) -> Paragraph:
        """A picture of an item (a space to draw in, a diagram) in a paragraph of its own at the model's size, with
        ``overlay`` drawn into it at its own size, ``at`` points from its top left (a diagram's numbered markers, a
        model drawing in its space)."""
        p = self.para(style)
        add_picture(p, with_overlay(picture, overlay, *at) if overlay is not None else picture, self._svgs)
        return p

    def centre_vertically(self, cell) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    keep_with_next = staticmethod(keep_with_next)
    line_break = staticmethod(line_break)


def _line_at_least(p: Paragraph) -> None:
    """A paragraph with a formula in it: its lines at least as high as its style's exact line height, not
    exactly (an exact line cuts a fraction or a root off at its top and bottom, in Word and in LibreOffice)."""
    style = p.style
    while style is not None and style.paragraph_format.line_spacing_rule is None:
        style = style.base_style
    if style is None or style.paragraph_format.line_spacing_rule != WD_LINE_SPACING.EXACTLY:
        return
    p.paragraph_format.line_spacing = style.paragraph_format.line_spacing
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST


def _has_text(text: RichText) -> bool:
    return any(span.math or span.text.strip() for span in text)


def _split_keeps(parts: list) -> list:
    """For a question that may go on over the page: the prompt keeps the next two parts (lines, rows or
    choices) and the last three parts stay together, as in the PDF."""
    if len(parts) < 7:
        return parts[:-1]
    return parts[:3] + parts[-3:-1]


def _parts(drawn: list[Paragraph]) -> list:
    """A question's parts in order: each paragraph outside a table, and each table row (``w:tr``) the drawn
    paragraphs are in, once: a page may come between two parts, never inside a row."""
    out: list = []
    for p in drawn:
        row = next((el for el in p._p.iterancestors() if el.tag == qn("w:tr")), None)
        part = p if row is None else row
        if not out or out[-1] is not part:
            out.append(part)
    return out


def _paragraphs(part) -> list[Paragraph]:
    """The paragraphs that keep a part with the next one: the paragraph itself, or every paragraph of a row."""
    if isinstance(part, Paragraph):
        return [part]
    return [Paragraph(p, None) for p in part.iter(qn("w:p"))]


def _cant_split(tr) -> None:
    """A table row that a page may not break inside (``w:cantSplit``), once."""
    trPr = tr.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is not None:
        return
    flag = parse_xml(f"<w:cantSplit {nsdecls('w')}/>")
    later = next((c for c in trPr if c.tag in _AFTER_CANT_SPLIT), None)
    (later.addprevious(flag) if later is not None else trPr.append(flag))  # schema order


_AFTER_CANT_SPLIT = {qn(f"w:{t}") for t in ("trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del",
                                            "trPrChange")}


def _cell_mark(table: tuple, cell: TableCell) -> tuple | None:
    """The field mark of a source table's cell: the table's path, then the cell's place as the lesson writes it
    (its column as a cell's own part, ``cl<k>``: see :mod:`.marks`)."""
    if not cell.at:
        return None
    return table + cell.at[:-1] + ((CELL, cell.at[-1]),)
