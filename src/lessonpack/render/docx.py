"""DOCX handouts that editors can restyle in Word: draw a handout model with named styles.

The handout model (:mod:`lessonpack.handout`) has already decided everything — order, numbers,
shuffles, which answers show — so this module only draws it. Every paragraph and run gets a named
style (see :mod:`.docx_styles`); the only direct run formatting is bold/italic from Markdown where
a run already carries another character style. Questions, choices and prompts are real Word
numbering; writing lines are bordered empty paragraphs; the footer has PAGE/NUMPAGES fields.

Use :func:`render_docx_with_warnings` to learn which styles a pack's ``reference.docx`` lacked;
:func:`render_docx` returns the bytes alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..handout import Blank, Handout, KeyRow, PromptView, Question
from ..richtext import Block, RichText, Span, plain
from ..styles import Style
from . import docx_styles as S
from .docx_styles import Prepared, build_time, prepare, sample_handout, save_reproducibly, tw

NBSP = "\u00a0"
CHECK = "\u2714"  # the teacher edition's mark beside a right answer
BANK_SEPARATOR = "\u00a0\u00b7\u2003"  # the dot stays with the word before it
# A blank is a run of underlined no-break spaces. Its width in the model counts characters, as
# the PDF's CSS "ch" unit does (the width of "0"): about two no-break spaces in the styles' fonts.
BLANK_SPACES_PER_CHAR = 2


def render_docx(handout: Handout, style: Style, paper: str, *, header_text: str | None = None) -> bytes:
    """The handout as a DOCX file (bytes); warnings, if any, are dropped — see the next function."""
    return render_docx_with_warnings(handout, style, paper, header_text=header_text)[0]


def render_docx_with_warnings(handout: Handout, style: Style, paper: str, *,
                              header_text: str | None = None) -> tuple[bytes, list[str]]:
    """The handout as DOCX bytes, and one warning per style the pack's reference.docx lacked."""
    prepared = prepare(style, paper, handout.language)
    _Drawer(prepared, handout).draw(header_text)
    _core_properties(prepared, handout)
    return save_reproducibly(prepared.document, when=build_time()), list(prepared.warnings)


def reference_docx(style: Style, paper: str = "letter") -> bytes:
    """The default reference document of ``style``: every LP style with sample text, for editors."""
    handout = sample_handout()
    prepared = prepare(style, paper, handout.language, use_pack_reference=False)
    drawer = _Drawer(prepared, handout)
    drawer.draw(None)
    # The sample is a teacher's copy, which has no name line: show that style too.
    drawer.para(S.NAME_LINE, "Name \t Date \t Class \t (LP Name Line, student edition)")
    _core_properties(prepared, handout)
    core = prepared.document.core_properties
    core.title = f"lessonpack reference document ({style.name})"
    core.comments = ("Change the LP styles (and Word's own Normal, Title, Heading 1–3), then save this file "
                     f"as styles/{style.name}/reference.docx in your pack.")
    return save_reproducibly(prepared.document, when=build_time())


# -- drawing -------------------------------------------------------------------------------


class _Drawer:
    def __init__(self, prepared: Prepared, handout: Handout):
        self.p = prepared
        self.doc = prepared.document
        self.ids = prepared.style_ids
        self.geo = prepared.geometry
        self.h = handout
        self.labels = handout.labels
        self._bookmarks = 0
        self._fresh: set = set()  # table cells whose first paragraph is still unused

    # -- primitives --

    def para(self, style: str, text: RichText | str = (), *, char: str | None = None, num: int | None = None,
             into=None) -> Paragraph:
        """A paragraph in ``style`` (in the body, or in ``into``: a table cell), with text."""
        p = (into or self.doc).add_paragraph()
        p._p.style = self.ids[style]
        if num is not None:
            set_num(p, num)
        self.runs(p, text, char)
        return p

    def cell_para(self, cell, style: str, text: RichText | str = (), *, char: str | None = None,
                  num: int | None = None) -> Paragraph:
        """The cell's first paragraph when still empty, else a new one; styled and filled."""
        if cell._tc in self._fresh:  # the paragraph every new cell has
            self._fresh.discard(cell._tc)
            first = cell.paragraphs[0]
            first._p.style = self.ids[style]
            if num is not None:
                set_num(first, num)
            self.runs(first, text, char)
            return first
        return self.para(style, text, char=char, num=num, into=cell)

    def run(self, p: Paragraph, text: str, char: str | None = None, *, bold: bool = False,
            italic: bool = False) -> None:
        r = p.add_run(text)
        if char is not None:
            r._r.style = self.ids[char]
        if bold:
            r.bold = True
        if italic:
            r.italic = True

    def runs(self, p: Paragraph, text: RichText | str, char: str | None = None) -> None:
        """Rich text as runs: key terms, bold and italic through character styles where they can."""
        if isinstance(text, str):
            if text:
                self.run(p, text, char)
            return
        for span in text:
            style, bold, italic = char, False, False
            if style is None and span.role == "term":
                style, bold, italic = S.KEY_TERM, False, span.em
            elif style is None and span.code:
                style, bold, italic = S.CODE, span.strong, span.em
            elif style is None and span.strong:
                style, italic = S.STRONG, span.em
            elif style is None and span.em:
                style = S.EMPHASIS
            elif style is not None:
                bold, italic = span.strong, span.em
            self.run(p, span.text, style, bold=bold, italic=italic)

    def heading(self, style: str, text: RichText | str, bookmark: str | None = None) -> Paragraph:
        p = self.para(style, text)
        if bookmark:
            self._bookmarks += 1
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(self._bookmarks))
            start.set(qn("w:name"), bookmark.replace("-", "_"))
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(self._bookmarks))
            pPr = p._p.pPr
            (pPr.addnext(start) if pPr is not None else p._p.insert(0, start))
            p._p.append(end)
        return p

    def table(self, widths: list[float], style: str, *, header: list[str] | None = None,
              indent: float = 0) -> Table:
        """A fixed-layout table in a named table style; ``header`` makes a repeating header row."""
        table = self.doc.add_table(rows=0, cols=len(widths))
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
        if header:
            row = self.row(table, widths)
            trPr = row._tr.get_or_add_trPr()
            trPr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            for cell, label in zip(row.cells, header, strict=True):
                self.cell_para(cell, S.TABLE_TEXT, label)
        return table

    def row(self, table: Table, widths: list[float]):
        row = table.add_row()
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Pt(width)
            cell.paragraphs[0]._p.style = self.ids[S.TABLE_TEXT]  # also when a cell stays empty
            self._fresh.add(cell._tc)
        return row

    def new_list(self, name: str) -> int:
        return self.p.numbering.new_list(name)

    # -- the handout --

    def draw(self, header_text: str | None) -> None:
        h = self.h
        self.header_footer(header_text)
        self.header_block()
        for section in h.sections:
            getattr(self, "section_" + section.replace("-", "_"))()
        if h.stats is not None:
            self.section_stats()
        # python-docx leaves no trailing empty paragraph; a document may not end in a table, though.
        body = self.doc.element.body
        last = [c for c in body if c.tag != qn("w:sectPr")][-1:]
        if last and last[0].tag == qn("w:tbl"):
            self.para(S.TABLE_TEXT)

    def header_footer(self, header_text: str | None) -> None:
        """As the PDF: ``header_text`` (school, unit) or the lesson title at the top, the edition at the
        top right; the lesson title (when the header holds ``header_text``) and "Page X of Y" below."""
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

        header = section.header
        header.is_linked_to_previous = False
        hp = header.paragraphs[0]
        hp._p.style = self.ids[S.HEADER]
        self.run(hp, header_text or self.h.title_text)
        if self.h.is_teacher:
            self.run(hp, "\t" + self.labels["teacher_edition"], S.STRONG)

        footer = section.footer
        footer.is_linked_to_previous = False
        fp = footer.paragraphs[0]
        fp._p.style = self.ids[S.FOOTER]
        if header_text:
            self.run(fp, self.h.title_text)
        self.run(fp, "\t")
        for piece in re.split(r"(\{page\}|\{pages\})", self.labels["page_of"]):
            if piece in ("{page}", "{pages}"):
                instr = " PAGE " if piece == "{page}" else " NUMPAGES "
                fp._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instr}">'
                                       "<w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>"))
            elif piece:
                self.run(fp, piece)

    def header_block(self) -> None:
        h, lab = self.h, self.labels
        if h.is_teacher:  # the teacher's copy needs no name line: it says whose copy it is
            self.para(S.TEACHER_LABEL, lab["teacher_edition"])
        else:
            self.para(S.NAME_LINE, f"{lab['name']} \t {lab['date']} \t {lab['class']} \t")
        self.heading(S.TITLE, h.title, "title")
        if h.subtitle:
            self.para(S.SUBTITLE, h.subtitle)
        if h.meta:
            p = self.para(S.META)
            for i, (label, value) in enumerate(h.meta):
                if i:
                    self.run(p, "\u2003\u00b7\u2003")
                self.run(p, f"{label}:", S.STRONG)
                self.run(p, " ")
                self.runs(p, value)

    def section_objectives(self) -> None:
        self.heading(S.HEADING1, self.labels["objectives"], "objectives")
        num = self.new_list(S.NUM_BULLETS)
        for objective in self.h.objectives:
            self.para(S.OBJECTIVE, objective, num=num)

    def section_reading(self) -> None:
        reading = self.h.reading
        assert reading is not None
        self.heading(S.HEADING1, reading.heading, "reading")
        for number, block in reading.paragraphs:
            self.block(block, number=number)
        if reading.source:
            p = self.para(S.SOURCE, f"{self.labels['source']}: ")
            self.runs(p, reading.source)

    def block(self, block: Block, *, number: int | None = None, text_style: str = S.READING) -> None:
        """A Markdown block: a reading paragraph (with its ¶ number) or a teacher-note paragraph."""

        def numbered(style: str, spans: RichText, sep: str = "\t", num: int | None = None) -> None:
            p = self.para(style, num=num)
            if number is not None:
                self.run(p, str(number), S.PARA_NUMBER)
                self.run(p, sep)
            self.runs(p, spans)

        if block.kind == "heading":
            numbered(S.HEADING3, block.spans, " ")
        elif block.kind == "quote":
            numbered(S.READING_QUOTE if text_style == S.READING else text_style, block.spans)
        elif block.kind in ("bullets", "numbers"):
            style, kind = ((S.LIST_BULLET, S.NUM_LIST_BULLETS) if block.kind == "bullets"
                           else (S.LIST_NUMBER, S.NUM_LIST_NUMBERS))
            num = self.new_list(kind)
            for i, item in enumerate(block.items):
                if i == 0:
                    numbered(style, item, " ", num)
                else:
                    self.para(style, item, num=num)
        else:
            numbered(text_style, block.spans)

    def section_key_terms(self) -> None:
        lab = self.labels
        self.heading(S.HEADING1, lab["key_terms"], "key-terms")
        width, size = self.geo.text_width, self.geo.size
        # The term column fits its longest word (no "totalitarianis-m"), within 30–45 % of the row.
        longest = max((len(w) for term, _ in self.h.glossary for w in plain(term).split()), default=8)
        term_w = round(min(max(size * (0.62 * longest + 2.4), width * 0.3), width * 0.45), 1)
        widths = [term_w, round(width - term_w, 1)]
        table = self.table(widths, S.TABLE, header=[lab["term"], lab["definition"]])
        for term, definition in self.h.glossary:
            row = self.row(table, widths)
            self.cell_para(row.cells[0], S.TABLE_TEXT, term, char=S.KEY_TERM)
            self.cell_para(row.cells[1], S.DEFINITION, definition)

    def section_discussion(self) -> None:
        self.heading(S.HEADING1, self.labels["discussion"], "discussion")
        num = self.new_list(S.NUM_PROMPTS)
        for prompt in self.h.prompts:
            self.prompt(prompt, num)

    def prompt(self, prompt: PromptView, num: int) -> None:
        p = self.para(S.PROMPT, prompt.text, num=num)
        if prompt.notes:
            p.paragraph_format.keep_with_next = True
            note = self.para(S.PROMPT_NOTE, f"{self.labels['prompt_notes']}: ", char=S.STRONG)
            self.runs(note, prompt.notes)

    def section_worksheet(self) -> None:
        ws = self.h.worksheet
        assert ws is not None
        self.heading(S.WORKSHEET_TITLE, ws.title, "worksheet")
        if ws.instructions:
            self.para(S.INSTRUCTIONS, ws.instructions)
        self.para(S.TOTAL, ws.total_label)
        num = self.new_list(S.NUM_QUESTIONS)  # questions count from 1 again in each worksheet
        for question in ws.questions:
            self.question(question, num)

    def section_teacher_notes(self) -> None:
        # Teacher notes and the answer key start new pages, as in the PDF.
        heading = self.heading(S.HEADING1, self.labels["teacher_notes"], "teacher-notes")
        heading.paragraph_format.page_break_before = True
        for block in self.h.teacher_notes:
            self.block(block, text_style=S.TEACHER_NOTE)

    def section_answer_key(self) -> None:
        lab = self.labels
        self.heading(S.HEADING1, lab["answer_key"], "answer-key").paragraph_format.page_break_before = True
        width, size = self.geo.text_width, self.geo.size
        header = [lab["question"], lab["answer"], lab["points"].capitalize()]
        first, last = (round(max(width * share, size * (0.65 * len(text) + 1.2)), 1)
                       for share, text in ((0.2, header[0]), (0.1, header[2])))
        widths = [first, round(width - first - last, 1), last]
        table = self.table(widths, S.TABLE, header=header)
        for key in self.h.answer_key:
            self.key_row(table, widths, key)

    def key_row(self, table: Table, widths: list[float], key: KeyRow) -> None:
        row = self.row(table, widths)
        self.cell_para(row.cells[0], S.TABLE_TEXT, str(key.number))
        self.cell_para(row.cells[0], S.TABLE_NOTE, key.kind_label)
        self.cell_para(row.cells[1], S.TABLE_TEXT, key.answer, char=S.ANSWER_CHAR)
        self.cell_para(row.cells[2], S.TABLE_TEXT, str(key.points))

    def section_stats(self) -> None:
        self.heading(S.HEADING2, self.labels["reading_stats"], "reading-stats")
        num = self.new_list(S.NUM_BULLETS)
        for line in self.h.stats_lines:
            self.para(S.STATS, line, num=num)

    # -- questions --

    def question(self, q: Question, num: int) -> None:
        first = self.para(S.QUESTION, q.prompt, num=num)
        self.run(first, "\t")
        self.run(first, q.points_label.replace(" ", NBSP), S.POINTS)
        parts: list[Paragraph] = [first]
        if q.kind == "multiple_choice":
            letters = self.new_list(S.NUM_CHOICES)  # A, B, C… again for every question
            for choice in q.choices:
                p = self.para(S.CHOICE, num=letters)
                if choice.correct:
                    self.runs(p, choice.text, S.ANSWER_CHAR)
                    self.run(p, f" {CHECK}", S.ANSWER_CHAR)
                else:
                    self.runs(p, choice.text)
                parts.append(p)
        elif q.kind == "true_false":
            p = self.para(S.TRUE_FALSE)
            for i, (label, value) in enumerate(((self.labels["true"], True), (self.labels["false"], False))):
                if i:
                    self.run(p, "\t")
                if q.truth is not None and q.truth == value:
                    self.run(p, f"{label} {CHECK}", S.ANSWER_CHAR)
                else:
                    self.run(p, label)
            parts.append(p)
        elif q.kind in ("short_answer", "essay"):
            answer_lines = self.wrap(q.model_answer) if q.model_answer else []
            parts += [self.para(S.ANSWER, line) for line in answer_lines]
            parts += [self.para(S.WRITING_LINE) for _ in range(max(0, q.lines - len(answer_lines)))]
            if q.rubric:  # under the lines, as in the PDF
                parts.append(self.para(S.TEACHER_LABEL, self.labels["rubric"]))
                bullets = self.new_list(S.NUM_RUBRIC)
                parts += [self.para(S.RUBRIC, item, num=bullets) for item in q.rubric]
        elif q.kind == "fill_in_blank":
            if q.word_bank:
                bank = self.para(S.WORD_BANK)
                self.run(bank, f"{self.labels['word_bank']}:", S.STRONG)
                self.run(bank, "\u2003" + BANK_SEPARATOR.join(q.word_bank))
                parts.append(bank)
            parts.append(self.fill_in(q))
        elif q.kind == "matching":
            parts += self.matching(q)
        elif q.kind == "ordering":
            parts += self.ordering(q)
        for p in parts[:-1]:  # Word keeps a question with its choices, lines and table
            if not _in_last_row(p):  # a table's last row must not chain it to the next question
                p.paragraph_format.keep_with_next = True

    def fill_in(self, q: Question) -> Paragraph:
        p = self.para(S.FILL_IN)
        for segment in q.segments:  # the model keeps the spaces around each blank
            if isinstance(segment, Blank):
                self.run(p, str(segment.number), S.BLANK_NUMBER)
                self.blank(p, segment.width, segment.answer)
            else:
                self.runs(p, segment)
        return p

    def blank(self, p: Paragraph, width: int, answer: str | None) -> None:
        room = round(width * BLANK_SPACES_PER_CHAR)
        if answer is None:
            self.run(p, NBSP * room, S.BLANK)
            return
        pad = NBSP * max(1, round((room - BLANK_SPACES_PER_CHAR * len(answer)) / 2))  # about as wide as unfilled
        self.run(p, pad, S.BLANK)
        self.run(p, answer.replace(" ", NBSP), S.BLANK_ANSWER)
        self.run(p, pad, S.BLANK)

    def matching(self, q: Question) -> list[Paragraph]:
        s = self.geo.size
        avail = self.geo.text_width - self.geo.indent
        blank_w = round(s * 3.4, 1)
        # The left column fits its longest word (no "totalitarianis-m"), within 32–45 % of the row.
        longest = max((len(w) for row in q.left for w in plain(row.text).split()), default=8)
        wanted = s * (0.62 * longest + 1.8 + 1.2)
        left_w = round(min(max(wanted, (avail - blank_w) * 0.32), (avail - blank_w) * 0.45), 1)
        widths = [blank_w, left_w, round(avail - blank_w - left_w, 1)]
        table = self.table(widths, S.TABLE, indent=self.geo.indent)
        numbers, letters = self.new_list(S.NUM_MATCH_NUMBERS), self.new_list(S.NUM_MATCH_LETTERS)
        out = []
        for i in range(max(len(q.left), len(q.right))):
            row = self.row(table, widths)
            cells = row.cells
            if i < len(q.left):
                item = q.left[i]
                p = self.cell_para(cells[0], S.TABLE_TEXT)
                if item.answer is not None:
                    self.run(p, NBSP * 3, S.BLANK)
                    self.run(p, item.answer, S.BLANK_ANSWER)
                    self.run(p, NBSP * 3, S.BLANK)
                else:
                    self.run(p, NBSP * 8, S.BLANK)
                out.append(p)
                out.append(self.cell_para(cells[1], S.MATCH_ITEM, item.text, num=numbers))
            if i < len(q.right):
                out.append(self.cell_para(cells[2], S.MATCH_ITEM, q.right[i].text, num=letters))
        return out

    def ordering(self, q: Question) -> list[Paragraph]:
        s = self.geo.size
        box_w = round(s * 3.6, 1)
        widths = [box_w, round(self.geo.text_width - self.geo.indent - box_w, 1)]
        table = self.table(widths, S.PLAIN_TABLE, indent=self.geo.indent)
        out = []
        for event in q.events:
            row = self.row(table, widths)
            box = self.cell_para(row.cells[0], S.ORDER_BOX)
            if event.position is not None:
                self.run(box, str(event.position), S.ANSWER_CHAR)
            else:
                self.run(box, NBSP)
            row.cells[1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            out += [box, self.cell_para(row.cells[1], S.TABLE_TEXT, event.text)]
        return out

    def wrap(self, text: RichText) -> list[RichText]:
        """Split a model answer into lines that fit one writing line each (a cautious estimate)."""
        usable = self.geo.text_width - self.geo.indent
        limit = max(20, int(usable / (self.geo.size * 0.56)))
        lines: list[list[Span]] = [[]]
        length = 0
        for span in text:
            for word in re.findall(r"\S+\s*", span.text):
                if length and length + len(word.rstrip()) > limit:
                    lines.append([])
                    length = 0
                lines[-1].append(replace(span, text=word))
                length += len(word)
        out = []
        for line in lines:
            if line:
                line[-1] = replace(line[-1], text=line[-1].text.rstrip())
                out.append(tuple(line))
        return out


def set_num(p: Paragraph, num_id: int) -> None:
    """Direct numbering properties on a paragraph: level 0 of list ``num_id``."""
    numPr = p._p.get_or_add_pPr().get_or_add_numPr()
    numPr.get_or_add_ilvl().val = 0
    numPr.get_or_add_numId().val = num_id


CORE_PROPERTY_CHARS = 255
"""Word's limit for one core property (title, author, subject…); longer values are shortened."""


def _fit(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_CHARS else text[:CORE_PROPERTY_CHARS - 1].rstrip() + "…"


def _core_properties(prepared: Prepared, h: Handout) -> None:
    core = prepared.document.core_properties
    subject = next((plain(v) for k, v in h.meta if k == h.labels["subject"]), "")
    edition = h.labels[f"{h.edition}_edition"]
    core.title = _fit(h.title_text)
    core.author = _fit(h.author)
    core.subject = _fit(subject)
    core.language = h.language
    core.category = _fit(edition)
    core.keywords = ""
    core.comments = f"{edition} · {h.lesson_id} · made with lessonpack"
    core.last_modified_by = "lessonpack"
    core.revision = 1
    when = build_time()
    core.created = when
    core.modified = when


def _in_last_row(p: Paragraph) -> bool:
    """True for a paragraph inside the last row of a table."""
    row = next((el for el in p._p.iterancestors() if el.tag == qn("w:tr")), None)
    return row is not None and row.getnext() is None
