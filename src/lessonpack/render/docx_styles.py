"""Word styles, numbering and page setup for the DOCX renderer: the reference document.

Like pandoc's ``--reference-doc``, every DOCX starts from a reference document whose styles it
uses. The built-in one is generated here from a style's design tokens (``style.yaml``), so the
DOCX matches the PDF and ``large-print`` gives large-print Word files. A pack may ship its own
``styles/<name>/reference.docx`` edited in Word: its styles win, and any style it lacks is added
with the default look (the caller reports each one as a warning).

Every element of a handout has its own named style (``LP …``), built on the matching Word
built-in (Title, Heading 1–3, Normal, List Paragraph, Table Normal), so that restyling one style
in Word restyles the whole handout. Lists (questions, choices, prompts, bullets) are real Word
numbering: abstract definitions here, one ``w:num`` per list instance in the drawing code.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass, field, replace
from xml.sax.saxutils import quoteattr

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

from ..errors import LessonpackError, display_path
from ..styles import PAPER_SIZES, Style, Tokens, length_pt

PREFIX = "LP "

# -- style names (what editors see in Word) ------------------------------------------------

TITLE = "LP Title"
SUBTITLE = "LP Subtitle"
META = "LP Meta"
NAME_LINE = "LP Name Line"
HEADING1 = "LP Heading 1"
HEADING2 = "LP Heading 2"
HEADING3 = "LP Heading 3"
WORKSHEET_TITLE = "LP Worksheet Title"
OBJECTIVE = "LP Objective"
READING = "LP Reading"
READING_QUOTE = "LP Reading Quote"
PARA_NUMBER = "LP Paragraph Number"
KEY_TERM = "LP Key Term"
SOURCE = "LP Source"
LIST_BULLET = "LP List Bullet"
LIST_NUMBER = "LP List Number"
TABLE_TEXT = "LP Table Text"
TABLE_NOTE = "LP Table Note"
DEFINITION = "LP Definition"
PROMPT = "LP Prompt"
PROMPT_NOTE = "LP Prompt Note"
INSTRUCTIONS = "LP Instructions"
TOTAL = "LP Total Points"
QUESTION = "LP Question"
POINTS = "LP Points"
CHOICE = "LP Choice"
TRUE_FALSE = "LP True False"
WRITING_LINE = "LP Writing Line"
ANSWER = "LP Answer"
ANSWER_CHAR = "LP Answer Char"
BLANK = "LP Blank"
BLANK_ANSWER = "LP Blank Answer"
BLANK_NUMBER = "LP Blank Number"
WORD_BANK = "LP Word Bank"
FILL_IN = "LP Fill In"
MATCH_ITEM = "LP Match Item"
ORDER_BOX = "LP Order Box"
RUBRIC = "LP Rubric"
TEACHER_LABEL = "LP Teacher Label"
TEACHER_NOTE = "LP Teacher Note"
STATS = "LP Stats"
HEADER = "LP Header"
FOOTER = "LP Footer"
CODE = "LP Code"
TABLE = "LP Table"
PLAIN_TABLE = "LP Plain Table"
STRONG = "Strong"
EMPHASIS = "Emphasis"

# Styles whose look editors change; also what a teacher sees in the style list.
ANSWER_STYLES = frozenset({ANSWER, ANSWER_CHAR, BLANK_ANSWER})

# Abstract numbering definitions, found again in a pack's reference.docx by their w:name.
NUM_QUESTIONS = "LP Questions"
NUM_CHOICES = "LP Choices"
NUM_PROMPTS = "LP Prompts"
NUM_BULLETS = "LP Bullets"
NUM_LIST_BULLETS = "LP List Bullets"
NUM_LIST_NUMBERS = "LP List Numbers"
NUM_RUBRIC = "LP Rubric Bullets"
NUM_MATCH_NUMBERS = "LP Match Numbers"
NUM_MATCH_LETTERS = "LP Match Letters"

_W = nsdecls("w")


# -- units ---------------------------------------------------------------------------------


def tw(points: float) -> int:
    """Points → twentieths of a point (twips), Word's unit for lengths."""
    return int(round(points * 20))


def _hp(points: float) -> int:
    return int(round(points * 2))


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


@dataclass(frozen=True)
class Geometry:
    """Page and indent measures in points, from the paper and the tokens."""

    tokens: Tokens
    page_width: float
    page_height: float
    top: float
    right: float
    bottom: float
    left: float

    @classmethod
    def of(cls, tokens: Tokens, paper: str) -> Geometry:
        if paper not in PAPER_SIZES:
            raise LessonpackError(f'unknown paper "{paper}" (use one of: {", ".join(PAPER_SIZES)})')
        width, height = (length_pt(v) for v in PAPER_SIZES[paper])
        m = tokens.margins
        return cls(tokens, width, height, length_pt(m.top), length_pt(m.right), length_pt(m.bottom),
                   length_pt(m.left))

    @property
    def size(self) -> float:
        return self.tokens.size

    @property
    def text_width(self) -> float:
        return self.page_width - self.left - self.right

    @property
    def indent(self) -> float:
        """Room for a question or paragraph number, left of the text."""
        return round(self.size * 2.2, 1)

    @property
    def sub_indent(self) -> float:
        """Room for a choice letter, inside a question."""
        return round(self.size * 2.0, 1)

    @property
    def writing_line(self) -> float:
        return length_pt(self.tokens.writing_line)


# -- XML fragments, children in schema order ----------------------------------------------


def _border(side: str, color: str, eighths: int, space: int = 0) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{_hex(color)}"/>'


def rpr(*, font: str | None = None, bold: bool = False, italic: bool = False, caps: bool = False,
        color: str | None = None, size: float | None = None, underline: bool = False,
        superscript: bool = False, lang: str | None = None) -> str:
    out = []
    if font:
        f = quoteattr(font)
        out.append(f"<w:rFonts w:ascii={f} w:hAnsi={f} w:cs={f} w:eastAsia={f}/>")
    if bold:
        out.append("<w:b/><w:bCs/>")
    if italic:
        out.append("<w:i/><w:iCs/>")
    if caps:
        out.append("<w:caps/>")
    if color:
        out.append(f'<w:color w:val="{_hex(color)}"/>')
    if size:
        out.append(f'<w:sz w:val="{_hp(size)}"/><w:szCs w:val="{_hp(size)}"/>')
    if underline:
        out.append('<w:u w:val="single"/>')
    if superscript:
        out.append('<w:vertAlign w:val="superscript"/>')
    if lang:
        out.append(f'<w:lang w:val="{lang}"/>')
    return "".join(out)


def ppr(*, keep_next: bool = False, keep_lines: bool = False, page_break: bool = False,
        num_id: int | None = None, borders: str = "", shade: str | None = None,
        tabs: tuple[tuple[str, float, str | None], ...] = (), before: float | None = None,
        after: float | None = None, line: float | None = None, exact: float | None = None,
        left: float | None = None, hanging: float | None = None, right: float | None = None,
        contextual: bool = False, jc: str | None = None, outline: int | None = None) -> str:
    out = []
    if keep_next:
        out.append("<w:keepNext/>")
    if keep_lines:
        out.append("<w:keepLines/>")
    if page_break:
        out.append("<w:pageBreakBefore/>")
    if num_id is not None:
        out.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    if borders:
        out.append(f"<w:pBdr>{borders}</w:pBdr>")
    if shade:
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(shade)}"/>')
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


# -- style definitions ---------------------------------------------------------------------


@dataclass(frozen=True)
class StyleDef:
    name: str  # as Word shows it
    kind: str  # paragraph | character | table | numbering
    style_id: str
    based_on: str | None = None  # a style *name*
    next: str | None = None
    xml_name: str | None = None  # the name stored in styles.xml when it differs ("heading 1")
    ppr: str = ""
    rpr: str = ""
    table: str = ""  # w:tblPr … w:tblStylePr
    numbering: str | None = None  # abstract numbering name whose default list the style carries
    default: bool = False
    builtin: bool = False
    primary: bool = False  # shown in Word's style gallery
    sample: str = ""  # text for the reference document

    @property
    def stored_name(self) -> str:
        return self.xml_name or self.name


def _sid(name: str) -> str:
    return name.replace(" ", "")


def style_defs(geo: Geometry, language: str = "en") -> list[StyleDef]:
    """Every style a handout uses, in dependency order (bases first), with the tokens' look."""
    t = geo.tokens
    c = t.colors
    s = t.size
    body, heading = t.word_body, t.word_heading
    ind, sub, width = geo.indent, geo.sub_indent, geo.text_width
    lh = t.line_height
    it = t.italics  # without italics (large print), answers are set bold instead

    def p(name, based_on="Normal", *, sample="", **kw):
        return StyleDef(name, "paragraph", _sid(name), based_on, next=kw.pop("next", None),
                        ppr=kw.pop("ppr", ""), rpr=kw.pop("rpr", ""), numbering=kw.pop("numbering", None),
                        sample=sample)

    def ch(name, based_on="Default Paragraph Font", *, sample="", rpr_=""):
        return StyleDef(name, "character", _sid(name), based_on, rpr=rpr_, sample=sample)

    table_border = _border("top", c.accent, 8) + _border("bottom", c.accent, 8) + _border("insideH", c.rule, 4)
    table_xml = (
        f"<w:tblPr><w:tblBorders>{table_border}</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{tw(s * 0.3)}" w:type="dxa"/><w:left w:w="{tw(s * 0.5)}" w:type="dxa"/>'
        f'<w:bottom w:w="{tw(s * 0.3)}" w:type="dxa"/><w:right w:w="{tw(s * 0.5)}" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow">'
        f"<w:pPr><w:keepNext/></w:pPr><w:rPr>{rpr(font=heading, bold=True, color=c.accent)}</w:rPr>"
        f'<w:tcPr><w:tcBorders>{_border("bottom", c.accent, 8)}</w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(c.shade)}"/></w:tcPr>'
        "</w:tblStylePr>")
    plain_table_xml = (
        '<w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{tw(s * 0.6)}" w:type="dxa"/></w:tblCellMar></w:tblPr>')

    box = "".join(_border(side, c.rule, 8, 1) for side in ("top", "left", "bottom", "right"))
    bank = "".join(_border(side, c.rule, 8, 5) for side in ("top", "left", "bottom", "right"))
    line_border = _border("bottom", c.rule, 4) + _border("between", c.rule, 4)

    return [
        # Word's own styles, the bases of ours.
        StyleDef("Normal", "paragraph", "Normal", default=True, builtin=True, primary=True,
                 ppr=ppr(after=s * 0.5, line=lh),
                 rpr=rpr(font=body, color=c.text, size=s, lang=language),
                 sample="Normal: the base of every paragraph style."),
        StyleDef("Default Paragraph Font", "character", "DefaultParagraphFont", default=True, builtin=True),
        StyleDef("Normal Table", "table", "TableNormal", xml_name="Normal Table", default=True, builtin=True,
                 table='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
                       '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
                       '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'),
        StyleDef("No List", "numbering", "NoList", default=True, builtin=True),
        StyleDef("Title", "paragraph", "Title", "Normal", next="Normal", builtin=True, primary=True,
                 ppr=ppr(keep_next=True, keep_lines=True, before=s * 0.2, after=s * 0.25, line=1.08,
                         contextual=True),
                 rpr=rpr(font=heading, bold=True, color=c.accent, size=t.heading_pt(1))),
        *[StyleDef(f"Heading {n}", "paragraph", f"Heading{n}", "Normal", next="Normal", xml_name=f"heading {n}",
                   builtin=True, primary=True,
                   ppr=ppr(keep_next=True, keep_lines=True,
                           borders=_border("bottom", c.accent, 6, 2) if n == 1 else "",
                           before=s * (1.5, 1.1, 0.9)[n - 1], after=s * (0.5, 0.3, 0.2)[n - 1], line=1.1,
                           outline=n - 1),
                   rpr=rpr(font=heading, bold=True, color=c.accent,
                           size=(t.heading_pt(2), t.heading_pt(3), s)[n - 1]))
          for n in (1, 2, 3)],
        StyleDef("List Paragraph", "paragraph", "ListParagraph", "Normal", builtin=True,
                 ppr=ppr(left=ind)),
        StyleDef("Header", "paragraph", "Header", "Normal", xml_name="header", builtin=True,
                 ppr=ppr(tabs=(("center", width / 2, None), ("right", width, None)), after=0, line=1.0),
                 rpr=rpr(size=round(s * 0.8, 1), color=c.muted)),
        StyleDef("Footer", "paragraph", "Footer", "Normal", xml_name="footer", builtin=True,
                 ppr=ppr(tabs=(("center", width / 2, None), ("right", width, None)), after=0, line=1.0),
                 rpr=rpr(size=round(s * 0.8, 1), color=c.muted)),
        StyleDef(STRONG, "character", "Strong", "Default Paragraph Font", builtin=True, rpr=rpr(bold=True),
                 sample="bold text from **Markdown**"),
        StyleDef(EMPHASIS, "character", "Emphasis", "Default Paragraph Font", builtin=True,
                 rpr=rpr(italic=True), sample="italic text from *Markdown*"),

        # Header block.
        p(NAME_LINE, ppr=ppr(tabs=(("right", width * 0.5, "underscore"), ("right", width * 0.76, "underscore"),
                                   ("right", width, "underscore")), after=s * 1.2, line=1.0),
          rpr=rpr(font=heading, size=round(s * 0.95, 1)), sample="Name\t Date\t Class\t"),
        p(TITLE, "Title", next="Normal", sample="Lesson title (LP Title)"),
        p(SUBTITLE, ppr=ppr(keep_next=True, after=s * 0.3, line=1.2),
          rpr=rpr(italic=it, color=c.muted, size=round(s * 1.15, 1)),
          sample="Subtitle of the lesson (LP Subtitle)"),
        p(META, ppr=ppr(after=s * 0.4, line=1.2), rpr=rpr(color=c.muted, size=round(s * 0.85, 1)),
          sample="Unit: … · Subject: … · Grade: … (LP Meta)"),
        p(HEADER, "Header", ppr=ppr(tabs=(("clear", width / 2, None),)),
          sample="Lesson title\tTeacher edition (LP Header)"),
        p(FOOTER, "Footer", ppr=ppr(tabs=(("clear", width / 2, None),)),
          sample="Lesson title\tPage 1 of 1 (LP Footer)"),

        # Section headings.
        p(HEADING1, "Heading 1", next="Normal", sample="Section heading (LP Heading 1)"),
        p(HEADING2, "Heading 2", next="Normal", sample="Subheading (LP Heading 2)"),
        p(HEADING3, "Heading 3", next="Normal", sample="Minor heading (LP Heading 3)"),
        p(WORKSHEET_TITLE, HEADING1, next="Normal", ppr=ppr(page_break=True),
          sample="Worksheet title, on a new page (LP Worksheet Title)"),

        # Objectives, reading, key terms.
        p(OBJECTIVE, "List Paragraph", numbering=NUM_BULLETS,
          ppr=ppr(after=s * 0.25, left=ind, hanging=ind), sample="A learning objective (LP Objective)"),
        p(READING, ppr=ppr(tabs=(("left", ind, None),), after=s * 0.6, left=ind, hanging=ind),
          sample="1\tA paragraph of the reading, after its paragraph number (LP Reading)."),
        p(READING_QUOTE, READING, ppr=ppr(left=ind + s * 1.5, hanging=ind + s * 1.5, right=s * 1.5),
          rpr=rpr(italic=it), sample="A quotation in the reading (LP Reading Quote)."),
        p(SOURCE, ppr=ppr(before=s * 0.2, after=s * 0.6, left=ind), rpr=rpr(italic=it, color=c.muted,
                                                                         size=round(s * 0.85, 1)),
          sample="Source: where the reading comes from (LP Source)"),
        p(LIST_BULLET, "List Paragraph", numbering=NUM_LIST_BULLETS,
          ppr=ppr(after=s * 0.2, left=ind * 2, hanging=ind), sample="A bulleted list item (LP List Bullet)"),
        p(LIST_NUMBER, "List Paragraph", numbering=NUM_LIST_NUMBERS,
          ppr=ppr(after=s * 0.2, left=ind * 2, hanging=ind), sample="A numbered list item (LP List Number)"),
        ch(PARA_NUMBER, rpr_=rpr(font=heading, color=c.muted, size=round(s * 0.75, 1)), sample="1"),
        ch(KEY_TERM, rpr_=rpr(bold=True), sample="key term"),
        ch(CODE, rpr_=rpr(font="Courier New", size=round(s * 0.9, 1)), sample="code"),
        p(TABLE_TEXT, ppr=ppr(after=0, line=1.15), sample="Table cell text (LP Table Text)"),
        p(TABLE_NOTE, TABLE_TEXT, rpr=rpr(color=c.muted, size=round(s * 0.8, 1)),
          sample="A small note in a table cell (LP Table Note)"),
        p(DEFINITION, ppr=ppr(after=0, line=1.15), sample="The meaning of a key term (LP Definition)"),
        StyleDef(TABLE, "table", _sid(TABLE), "Normal Table", table=table_xml),
        StyleDef(PLAIN_TABLE, "table", _sid(PLAIN_TABLE), "Normal Table", table=plain_table_xml),

        # Discussion.
        p(PROMPT, "List Paragraph", numbering=NUM_PROMPTS,
          ppr=ppr(keep_lines=True, after=s * 0.4, left=ind, hanging=ind),
          sample="A discussion prompt (LP Prompt)"),
        p(PROMPT_NOTE, ppr=ppr(keep_lines=True, borders=_border("left", c.answer, 12, 6), after=s * 0.7,
                               left=ind + s * 0.4, line=min(lh, 1.3)),
          rpr=rpr(size=round(s * 0.9, 1)), sample="For the teacher: notes under a prompt (LP Prompt Note)"),

        # Worksheet.
        p(INSTRUCTIONS, ppr=ppr(after=s * 0.3), rpr=rpr(italic=it),
          sample="Instructions for the worksheet (LP Instructions)"),
        p(TOTAL, ppr=ppr(after=s * 0.2, jc="right"), rpr=rpr(font=heading, bold=True),
          sample="Total: 30 points (LP Total Points)"),
        p(QUESTION, "List Paragraph", numbering=NUM_QUESTIONS,
          ppr=ppr(keep_lines=True, tabs=(("right", width, None),), before=s * 0.9, after=s * 0.35,
                  left=ind, hanging=ind),
          sample="A question prompt (LP Question)\t2 points"),
        ch(POINTS, rpr_=rpr(font=heading, color=c.muted, size=round(s * 0.8, 1)), sample="2 points"),
        p(CHOICE, "List Paragraph", numbering=NUM_CHOICES,
          ppr=ppr(keep_lines=True, after=s * 0.15, left=ind + sub, hanging=sub),
          sample="A multiple-choice option (LP Choice)"),
        p(TRUE_FALSE, "List Paragraph", ppr=ppr(keep_lines=True, tabs=(("left", ind + s * 6, None),),
                                                  after=s * 0.2, left=ind),
          sample="True\tFalse (LP True False)"),
        p(WRITING_LINE, ppr=ppr(keep_lines=True, borders=line_border, before=0, after=0,
                                exact=geo.writing_line, left=ind),
          sample="(LP Writing Line)"),
        p(ANSWER, WRITING_LINE, rpr=rpr(italic=it, bold=not it, color=c.answer),
          sample="A model answer on a writing line, teacher edition (LP Answer)"),
        ch(ANSWER_CHAR, rpr_=rpr(italic=it, bold=not it, color=c.answer), sample="an answer"),
        ch(BLANK, rpr_=rpr(underline=True), sample="\u00a0" * 16),
        ch(BLANK_ANSWER, ANSWER_CHAR, rpr_=rpr(underline=True), sample="\u00a0\u00a0answer\u00a0\u00a0"),
        ch(BLANK_NUMBER, rpr_=rpr(font=heading, color=c.muted, superscript=True), sample="1"),
        p(WORD_BANK, ppr=ppr(keep_lines=True, borders=bank, shade=c.shade, before=s * 0.3, after=s * 0.5,
                             left=ind + s * 0.4, right=s * 0.4, jc="center", line=1.3),
          rpr=rpr(font=heading), sample="word · bank · in · a · box (LP Word Bank)"),
        p(FILL_IN, ppr=ppr(keep_lines=True, after=s * 0.3, left=ind, line=max(lh, 2.0)),
          sample="Text with a blank to fill in (LP Fill In)."),
        p(MATCH_ITEM, "List Paragraph", ppr=ppr(after=0, line=1.15, left=s * 1.8, hanging=s * 1.8),
          sample="A term or description in a matching table (LP Match Item)"),
        p(ORDER_BOX, ppr=ppr(keep_lines=True, borders=box, before=s * 0.15, after=s * 0.15, line=1.3,
                             left=s * 0.3, right=s * 0.3, jc="center"),
          rpr=rpr(font=heading), sample="(LP Order Box)"),
        p(RUBRIC, "List Paragraph", numbering=NUM_RUBRIC,
          ppr=ppr(keep_lines=True, after=s * 0.1, left=ind + sub, hanging=sub, line=min(lh, 1.3)),
          rpr=rpr(size=round(s * 0.9, 1), italic=it, bold=not it, color=c.answer),  # teacher-only, as in the PDF
          sample="A rubric criterion, teacher edition (LP Rubric)"),
        p(TEACHER_LABEL, ppr=ppr(keep_next=True, before=s * 0.3, after=s * 0.1, left=ind),
          rpr=rpr(font=heading, bold=True, color=c.answer, size=round(s * 0.8, 1)),
          sample="Rubric (LP Teacher Label)"),

        # Teacher pages.
        p(TEACHER_NOTE, ppr=ppr(after=s * 0.6), sample="A teacher note (LP Teacher Note)"),
        p(STATS, "List Paragraph", numbering=NUM_BULLETS, ppr=ppr(after=s * 0.15, left=ind, hanging=ind),
          sample="843 words (LP Stats)"),
    ]


@dataclass(frozen=True)
class AbstractNumDef:
    name: str
    fmt: str  # decimal | upperLetter | bullet
    left: float
    hanging: float
    style: str | None = None  # the paragraph style linked to the list, if one
    bold: bool = False


def numbering_defs(geo: Geometry) -> list[AbstractNumDef]:
    ind, sub, s = geo.indent, geo.sub_indent, geo.size
    return [
        AbstractNumDef(NUM_QUESTIONS, "decimal", ind, ind, QUESTION, bold=True),
        AbstractNumDef(NUM_CHOICES, "upperLetter", ind + sub, sub, CHOICE),
        AbstractNumDef(NUM_PROMPTS, "decimal", ind, ind, PROMPT, bold=True),
        AbstractNumDef(NUM_BULLETS, "bullet", ind, ind),
        AbstractNumDef(NUM_LIST_BULLETS, "bullet", ind * 2, ind, LIST_BULLET),
        AbstractNumDef(NUM_LIST_NUMBERS, "decimal", ind * 2, ind, LIST_NUMBER),
        AbstractNumDef(NUM_RUBRIC, "bullet", ind + sub, sub, RUBRIC),
        AbstractNumDef(NUM_MATCH_NUMBERS, "decimal", s * 1.8, s * 1.8, bold=True),
        AbstractNumDef(NUM_MATCH_LETTERS, "upperLetter", s * 1.8, s * 1.8, bold=True),
    ]


def _abstract_num_xml(d: AbstractNumDef, abstract_id: int, style_ids: dict[str, str]) -> str:
    nsid = f"{0x4C500000 + abstract_id:08X}"  # fixed, so the output is reproducible
    text = "\u2022" if d.fmt == "bullet" else "%1."
    link = f'<w:pStyle w:val="{style_ids[d.style]}"/>' if d.style and d.style in style_ids else ""
    return (f'<w:abstractNum {_W} w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
            f'<w:multiLevelType w:val="singleLevel"/><w:name w:val="{d.name}"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{d.fmt}"/>{link}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{tw(d.left)}" w:hanging="{tw(d.hanging)}"/></w:pPr>'
            + (f"<w:rPr>{rpr(bold=True)}</w:rPr>" if d.bold else "")
            + "</w:lvl></w:abstractNum>")


class Numbering:
    """The document's numbering part: abstract definitions by name, and new list instances."""

    def __init__(self, element):
        self.element = element
        self.abstract: dict[str, int] = {}

    def _ids(self, tag: str, attr: str) -> list[int]:
        return [int(e.get(qn(attr))) for e in self.element.findall(qn(tag))]

    def find(self, name: str) -> int | None:
        for e in self.element.findall(qn("w:abstractNum")):
            n = e.find(qn("w:name"))
            if n is not None and n.get(qn("w:val")) == name:
                return int(e.get(qn("w:abstractNumId")))
        return None

    def abstract_of(self, num_id: int) -> int | None:
        for e in self.element.findall(qn("w:num")):
            if int(e.get(qn("w:numId"))) == num_id:
                a = e.find(qn("w:abstractNumId"))
                return int(a.get(qn("w:val"))) if a is not None else None
        return None

    def add_abstract(self, d: AbstractNumDef, style_ids: dict[str, str]) -> int:
        new_id = max(self._ids("w:abstractNum", "w:abstractNumId"), default=0) + 1
        el = parse_xml(_abstract_num_xml(d, new_id, style_ids))
        first_num = self.element.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(el)  # every abstractNum comes before every num
        else:
            last = self.element.findall(qn("w:abstractNum"))
            (last[-1].addnext(el) if last else self.element.insert(0, el))
        self.abstract[d.name] = new_id
        return new_id

    def new_list(self, name: str) -> int:
        """A new list instance of ``name`` that starts again at 1 (or A); its numId."""
        num_id = max(self._ids("w:num", "w:numId"), default=0) + 1
        self.element.append(parse_xml(
            f'<w:num {_W} w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract[name]}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        return num_id


# -- the base document ---------------------------------------------------------------------


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
    parts = [f"<w:style {_W} {attrs}>", f"<w:name w:val={quoteattr(d.stored_name)}/>"]
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


def _clean_default(document) -> None:
    """Strip python-docx's template to a lean base: our styles only, no leftovers."""
    styles_el = document.styles.element
    for s in styles_el.findall(qn("w:style")):
        styles_el.remove(s)
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
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:proofState"):
        for e in settings.findall(qn(tag)):
            settings.remove(e)
    for e in settings.iter(qn("w:compatSetting")):
        if e.get(qn("w:name")) == "compatibilityMode":
            e.set(qn("w:val"), "15")
    app = next((p for p in package.parts if p.partname == "/docProps/app.xml"), None)
    if app is not None:
        app._blob = (
            b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b"<Application>lessonpack</Application><DocSecurity>0</DocSecurity></Properties>")


def _set_doc_defaults(styles_el, geo: Geometry, language: str, *, look: bool) -> None:
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {_W}/>")
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if look:
        for child in list(defaults):
            defaults.remove(child)
        t = geo.tokens
        defaults.append(parse_xml(f"<w:rPrDefault {_W}><w:rPr>{rpr(font=t.word_body, size=t.size, lang=language)}"
                                  "</w:rPr></w:rPrDefault>"))
        defaults.append(parse_xml(f'<w:pPrDefault {_W}><w:pPr><w:spacing w:after="0" w:line="240" '
                                  'w:lineRule="auto"/></w:pPr></w:pPrDefault>'))
        return
    # A pack's reference keeps its look; only the language is the lesson's.
    if rpr_default is None:
        rpr_default = parse_xml(f"<w:rPrDefault {_W}><w:rPr/></w:rPrDefault>")
        defaults.insert(0, rpr_default)
    _set_lang(rpr_default.find(qn("w:rPr")), language)


def _set_lang(rpr_el, language: str) -> None:
    if rpr_el is None:
        return
    lang = rpr_el.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f'<w:lang {_W} w:val="{language}"/>')
        # w:lang sits after everything but eastAsianLayout/specVanish/oMath; append is close enough
        # for the elements Word writes there, and keeps existing ones in place.
        after = [rpr_el.find(qn(t)) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        after = [a for a in after if a is not None]
        (after[0].addprevious(lang) if after else rpr_el.append(lang))
    lang.set(qn("w:val"), language)


def prepare(style: Style, paper: str, language: str = "en", *, use_pack_reference: bool = True) -> Prepared:
    """The document to draw on: the pack's reference.docx (body emptied) or a fresh default one."""
    geo = Geometry.of(style.tokens, paper)
    reference = style.reference_docx if use_pack_reference else None
    document = docx.Document()
    _clean_default(document)
    if reference is not None:  # only the sanitized styles, numbering, settings, theme and fonts
        _install_reference(document, style.reference_parts())

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
            _set_lang(normal.find(qn("w:rPr")), language)

    _page_setup(document, geo)
    return Prepared(document, geo, style_ids, numbering, warnings)


def _install_reference(document, parts) -> None:
    """Put a pack reference's sanitized parts in place of the default document's."""
    package_parts = {str(part.partname): part for part in document.part.package.iter_parts()}
    document.part._styles_part._element = parse_xml(parts.styles)
    if parts.numbering is not None:
        _numbering_element(document)  # the default document has a numbering part; make sure of it
        document.part.part_related_by(RT.NUMBERING)._element = parse_xml(parts.numbering)
    if parts.settings is not None:
        document.part._settings_part._element = parse_xml(parts.settings)
    for name, blob in (("/word/theme/theme1.xml", parts.theme), ("/word/fontTable.xml", parts.fontTable)):
        if blob is not None and name in package_parts:
            package_parts[name]._blob = blob


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


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
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


# -- the reference document's sample content ----------------------------------------------


def sample_handout():
    """A small teacher-edition handout that shows every style once, named in its own text."""
    from ..handout import (Blank, Choice, Handout, KeyRow, MatchRow, OrderRow, PromptView, Question,
                           ReadingView, WorksheetView)
    from ..labels import labels_for
    from ..readability import ReadingStats
    from ..richtext import Block, Span

    labels, _ = labels_for("en")

    def t(*parts) -> tuple:
        return tuple(Span(x) if isinstance(x, str) else x for x in parts)

    points = {1: "1 point", 2: "2 points"}
    questions = (
        Question(1, "multiple_choice", 1, points[1], t("A question (LP Question); its points (LP Points)"),
                 choices=(Choice("A", t("A choice (LP Choice)")),
                          Choice("B", t("The right choice, teacher edition (LP Answer Char)"), True),
                          Choice("C", t("Another choice")))),
        Question(2, "true_false", 1, points[1], t("A true-or-false statement (LP True False below)"), truth=True),
        Question(3, "short_answer", 2, points[2], t("A short-answer question with writing lines (LP Writing Line)"),
                 lines=3, model_answer=t("A model answer on the lines, teacher edition (LP Answer)")),
        Question(4, "fill_in_blank", 2, points[2], t("Fill in the blanks using the word bank (LP Word Bank)"),
                 segments=(t("Text with a blank (LP Fill In, LP Blank Number, LP Blank Answer)"),
                           Blank(1, 12, "answer"), t("and more text.")), word_bank=("answer", "word", "bank")),
        Question(5, "matching", 2, points[2], t("Match each term with its meaning (LP Match Item)"),
                 left=(MatchRow(1, t("term one"), "B"), MatchRow(2, t("term two"), "A")),
                 right=(Choice("A", t("meaning of term two")), Choice("B", t("meaning of term one")))),
        Question(6, "ordering", 2, points[2], t("Put the events in order (LP Order Box)"),
                 events=(OrderRow("A", t("The later event"), 2), OrderRow("B", t("The earlier event"), 1))),
        Question(7, "essay", 2, points[2], t("An essay question, with a rubric (LP Teacher Label, LP Rubric)"),
                 lines=4, rubric=(t("A rubric criterion (LP Rubric)"),)),
    )
    return Handout(
        lesson_id="reference", edition="teacher", language="en", labels=labels,
        title=t("Lesson title (LP Title)"), title_text="lessonpack reference document",
        subtitle=t("Subtitle (LP Subtitle)"),
        meta=((labels["unit"], t("Unit (LP Meta)")), (labels["subject"], t("Subject")),
              (labels["grade"], t("9–10"))),
        author="lessonpack",
        objectives=(t("A learning objective (LP Objective)"),),
        reading=ReadingView(
            t("Reading title (LP Heading 1)"),
            ((1, Block("paragraph", t("A reading paragraph (LP Reading) after its number (LP Paragraph Number), "
                                      "with a ", Span("key term", strong=True, role="term"), " (LP Key Term), ",
                                      Span("bold", strong=True), " (Strong), ", Span("italic", em=True),
                                      " (Emphasis) and ", Span("code", code=True), " (LP Code)."))),
             (2, Block("quote", t("A quotation (LP Reading Quote)."))),
             (3, Block("bullets", items=(t("A bulleted item (LP List Bullet)"), t("Another item")))),
             (4, Block("numbers", items=(t("A numbered item (LP List Number)"), t("Another item"))))),
            t("Where the reading comes from (LP Source)")),
        glossary=((t("key term (LP Key Term)"), t("Its definition (LP Definition), in a table (LP Table)")),),
        prompts=(PromptView(1, t("A discussion prompt (LP Prompt)"),
                            t("Notes for the teacher under a prompt (LP Prompt Note)")),),
        worksheet=WorksheetView(t("Worksheet title (LP Worksheet Title)"),
                                t("Instructions (LP Instructions)"), 12, labels["total_points"].format(points=12) +
                                " (LP Total Points)", questions),
        teacher_notes=(Block("heading", t("A heading in the notes (LP Heading 3)")),
                       Block("paragraph", t("A teacher note (LP Teacher Note)."))),
        answer_key=(KeyRow(1, "Multiple choice (LP Table Note)", "B — the answer (LP Table Text)", 1),),
        stats=ReadingStats(120, 1, 8.5, (9.0, 10.0), "below"),
        stats_lines=("Reading statistics (LP Stats): 120 words; about 1 min to read",),
    )
