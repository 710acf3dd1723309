"""The Word styles of a handout: every element has a named ``LP …`` style built from the style's tokens.

Every element of a handout has its own named style, built on the matching Word built-in (Title,
Heading 1–3, Normal, List Paragraph, Table Normal), so that restyling one style in Word restyles the
whole handout. The look comes from the same design tokens (``style.yaml``) as the PDF's CSS.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...handout.sources import FRAME_INSET, TABLE_TYPE
from ...handout.tables import CELL_PADDING
from ...handout.paging import STANZA_GAP
from ...handout.views import ANSWER_SMALL as ANSWER_SMALL_SHARE
from ...styles.geometry import Geometry
from .ooxml import border, hex_color, ppr, rpr, tw

PREFIX = "LP "

PARALLEL_GUTTER = 72 / 25.4 * 3
"""Points between the two columns of a parallel text (base.css: .parallel td's 3 mm)."""

# -- style names (what editors see in Word) ------------------------------------------------

TITLE = "LP Title"
SUBTITLE = "LP Subtitle"
META = "LP Meta"
NAME_LINE = "LP Name Line"
NAME_LINE_VERSION = "LP Name Line Version"
SCORE_LINE = "LP Score Line"
SCORE_LINE_VERSION = "LP Score Line Version"
SCORE_BOX = "LP Score Box"
WARNING = "LP Content Warning"
WARNING_LIST = "LP Content Warning List"
KEY_POINTER = "LP Key Pointer"
HEADING1 = "LP Heading 1"
HEADING2 = "LP Heading 2"
HEADING3 = "LP Heading 3"
WORKSHEET_TITLE = "LP Worksheet Title"
OBJECTIVE = "LP Objective"
READING = "LP Reading"
READING_QUOTE = "LP Reading Quote"
READING_QUOTE_UPRIGHT = "LP Reading Quote Upright"
CALLOUT = "LP Callout"
CALLOUT_TITLE = "LP Callout Title"
CALLOUT_LIST = "LP Callout List"
CALLOUT_GAP = "LP Callout Gap"
PARA_NUMBER = "LP Paragraph Number"
VERSE = "LP Verse"
VERSE_STANZA_END = "LP Verse Stanza End"
VERSE_STANZA_START = "LP Verse Stanza Start"
VERSE_CONTINUED = "LP Verse Continued"
VERSE_NUMBER = "LP Verse Number"
PARALLEL_TABLE = "LP Parallel Table"
PARALLEL_TITLE = "LP Parallel Title"
KEY_TERM = "LP Key Term"
READING_SOURCE = "LP Reading Source"
PICTURE = "LP Picture"
PICTURE_CAPTION = "LP Picture Caption"
SOURCE_TITLE = "LP Source Title"
SOURCE_LABEL = "LP Source Label"
SOURCE = "LP Source"
SOURCE_PICTURE = "LP Source Picture"
CAPTION = "LP Caption"
CITATION = "LP Citation"
SOURCE_NOTE = "LP Source Note"
USE_SOURCE = "LP Use Source"
SOURCE_FRAME = "LP Source Frame"
SOURCE_SPACE = "LP Source Space"
SOURCE_TABLE = "LP Source Table"
SOURCE_TABLE_TEXT = "LP Source Table Text"
SOURCE_TABLE_HEAD = "LP Source Table Head"
TABLE_NUMBER = "LP Table Number"
TABLE_CENTRED = "LP Table Centred"
PART = "LP Part"
PART_WRITING_LINE = "LP Part Writing Line"
PART_ANSWER = "LP Part Answer"
LIST_BULLET = "LP List Bullet"
LIST_NUMBER = "LP List Number"
TABLE_TEXT = "LP Table Text"
TABLE_NOTE = "LP Table Note"
GLOSSARY_ENTRY = "LP Glossary Entry"
ANSWER_MARK = "LP Answer Mark"
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
ANSWER_SMALL = "LP Answer Small"
BLANK = "LP Blank"
BLANK_ANSWER = "LP Blank Answer"
BLANK_NUMBER = "LP Blank Number"
WORD_BANK = "LP Word Bank"
FILL_IN = "LP Fill In"
MATCH_ITEM = "LP Match Item"
ORDER_BOX = "LP Order Box"
NUMERIC = "LP Numeric"
ANSWER_BOX = "LP Answer Box"
ANSWER_BOX_ANSWER = "LP Answer Box Answer"
DRAWING = "LP Drawing"
DIAGRAM = "LP Diagram"
LABEL_LINE = "LP Label Line"
RUBRIC = "LP Rubric"
TEACHER_LABEL = "LP Teacher Label"
TEACHER_NOTE = "LP Teacher Note"
STATS = "LP Stats"
HEADER = "LP Header"
FOOTER = "LP Footer"
CODE = "LP Code"
TABLE = "LP Table"
PLAIN_TABLE = "LP Plain Table"
GLOSSARY = "LP Glossary"
STRONG = "Strong"
EMPHASIS = "Emphasis"

# Abstract numbering definitions, found again in a pack's reference.docx by their w:name.
NUM_QUESTIONS = "LP Questions"
NUM_CHOICES = "LP Choices"
NUM_PROMPTS = "LP Prompts"
NUM_BULLETS = "LP Bullets"
NUM_RUBRIC = "LP Rubric Bullets"
NUM_MATCH_NUMBERS = "LP Match Numbers"
NUM_MATCH_LETTERS = "LP Match Letters"
NUM_PARTS = "LP Parts"


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

    @property
    def stored_name(self) -> str:
        return self.xml_name or self.name


NAME_LINE_GAP = 5 * 72 / 25.4
"""The room between a blank and the next label of the name line, in points (5 mm, as in the PDF)."""
SCORE_LINE_GAP = 4 * 72 / 25.4
"""The same on the page handed in, whose blanks are shorter (4 mm, as in the PDF)."""


CALLOUT_SPACE = 8
"""Between a callout's frame and its text, in whole points (Word's border spacing), as the PDF's padding."""


def name_line_tabs(width: float, ends: tuple[float, ...], gap: float, *, then_right: bool = False
                   ) -> tuple[tuple[str, float, str | None], ...]:
    """The tab stops of a name line ("Name ____  Date ____  Class ____"): for each blank, a stop where it ends
    (``ends``: shares of the text width) reached with an underscore leader, and before the next label a stop
    ``gap`` points further, reached without one; ``then_right``: a last stop at the right margin, for what is set
    flush right after the blanks (the version letter, the score box).

    The gap is a tab stop of its own, not spaces beside the leader's tab, so that Word and LibreOffice set it
    alike and no label runs into the leader before it."""
    stops: list[tuple[str, float, str | None]] = []
    for i, end in enumerate(ends):
        stops.append(("right" if end >= 1 else "left", width * end, "underscore"))
        if i < len(ends) - 1:
            stops.append(("left", width * end + gap, None))
    if then_right:
        stops.append(("right", width, None))
    return tuple(stops)


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

    def p(name, based_on="Normal", **kw):
        return StyleDef(name, "paragraph", _sid(name), based_on, next=kw.pop("next", None),
                        ppr=kw.pop("ppr", ""), rpr=kw.pop("rpr", ""), numbering=kw.pop("numbering", None))

    def ch(name, based_on="Default Paragraph Font", *, rpr_=""):
        return StyleDef(name, "character", _sid(name), based_on, rpr=rpr_)

    table_border = border("top", c.accent, 8) + border("bottom", c.accent, 8) + border("insideH", c.rule, 4)
    table_xml = (
        f"<w:tblPr><w:tblBorders>{table_border}</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{tw(s * 0.3)}" w:type="dxa"/><w:left w:w="{tw(s * 0.5)}" w:type="dxa"/>'
        f'<w:bottom w:w="{tw(s * 0.3)}" w:type="dxa"/><w:right w:w="{tw(s * 0.5)}" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow">'
        f"<w:pPr><w:keepNext/></w:pPr><w:rPr>{rpr(font=heading, bold=True, color=c.accent)}</w:rPr>"
        f'<w:tcPr><w:tcBorders>{border("bottom", c.accent, 8)}</w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_color(c.shade)}"/></w:tcPr>'
        "</w:tblStylePr>")
    glossary_xml = (
        f"<w:tblPr><w:tblBorders>{''.join(border(side, c.rule, 8) for side in ('top', 'left', 'bottom', 'right'))}"
        "</w:tblBorders>"
        f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_color(c.shade)}"/>'
        f'<w:tblCellMar><w:top w:w="{tw(s * 0.25)}" w:type="dxa"/><w:left w:w="{tw(s * 0.6)}" w:type="dxa"/>'
        f'<w:bottom w:w="{tw(s * 0.15)}" w:type="dxa"/><w:right w:w="{tw(s * 0.6)}" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>")
    plain_table_xml = (
        '<w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{tw(s * 0.6)}" w:type="dxa"/></w:tblCellMar></w:tblPr>')

    # Two texts side by side (base.css: .parallel): a rule under the titles' row, no padding but a gutter.
    parallel_xml = (
        '<w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{tw(PARALLEL_GUTTER)}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr>'
        f'<w:tcPr><w:tcBorders>{border("bottom", c.text, 8)}</w:tcBorders></w:tcPr>'
        "</w:tblStylePr>")
    inset = FRAME_INSET - 1  # the frame's 1 pt rule, then its padding: the room the model sized pictures for
    # A source's frame: one cell, a 1 pt rule all round and the inset inside it (base.css: .source).
    frame_xml = (
        f"<w:tblPr><w:tblBorders>{''.join(border(side, c.text, 8) for side in ('top', 'left', 'bottom', 'right'))}"
        "</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{tw(inset)}" w:type="dxa"/><w:left w:w="{tw(inset)}" w:type="dxa"/>'
        f'<w:bottom w:w="{tw(inset)}" w:type="dxa"/><w:right w:w="{tw(inset)}" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>")
    # A source's statistics (base.css: .source-table): a rule under the header row and under each row, and the
    # cells' padding the handout model sized the columns with (tables.CELL_PADDING: 2 mm each side).
    pad = CELL_PADDING / 2
    source_table_xml = (
        f"<w:tblPr><w:tblBorders>{border('bottom', c.rule, 6)}{border('insideH', c.rule, 6)}</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{tw(72 / 25.4)}" w:type="dxa"/><w:left w:w="{tw(pad)}" w:type="dxa"/>'
        f'<w:bottom w:w="{tw(72 / 25.4)}" w:type="dxa"/><w:right w:w="{tw(pad)}" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr>'
        f'<w:tcPr><w:tcBorders>{border("bottom", c.text, 8)}</w:tcBorders><w:vAlign w:val="bottom"/></w:tcPr>'
        "</w:tblStylePr>")
    table_size = round(s * TABLE_TYPE, 1)
    part_ind = round(s * 2.0, 1)
    box = "".join(border(side, c.rule, 8, 1) for side in ("top", "left", "bottom", "right"))
    bank = "".join(border(side, c.rule, 8, 5) for side in ("top", "left", "bottom", "right"))
    line_border = border("bottom", c.rule, 4) + border("between", c.rule, 4)
    warning_box = "".join(border(side, c.answer, 10, 4) for side in ("top", "left", "bottom", "right"))
    warning_pad = round(s * 0.4 * 20) / 20  # whole twips: a list's first line starts exactly at the text's edge
    callout_box = "".join(border(side, c.text, 8, 4 if side in ("top", "bottom") else CALLOUT_SPACE)
                          for side in ("top", "left", "bottom", "right"))
    callout_left = ind + CALLOUT_SPACE + 1  # the frame's 1 pt rule at the reading's text edge, the text inside it

    return [
        # Word's own styles, the bases of ours.
        StyleDef("Normal", "paragraph", "Normal", default=True, builtin=True, primary=True,
                 ppr=ppr(after=s * 0.5, exact=s * lh),
                 rpr=rpr(font=body, color=c.text, size=s, lang=language)),
        StyleDef("Default Paragraph Font", "character", "DefaultParagraphFont", default=True, builtin=True),
        StyleDef("Normal Table", "table", "TableNormal", xml_name="Normal Table", default=True, builtin=True,
                 table='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
                       '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
                       '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'),
        StyleDef("No List", "numbering", "NoList", default=True, builtin=True),
        StyleDef("Title", "paragraph", "Title", "Normal", next="Normal", builtin=True, primary=True,
                 ppr=ppr(keep_next=True, keep_lines=True, before=s * 0.2, after=s * 0.25, exact=t.heading_pt(1) * 1.15,
                         contextual=True),
                 rpr=rpr(font=heading, bold=True, color=c.accent, size=t.heading_pt(1))),
        *[StyleDef(f"Heading {n}", "paragraph", f"Heading{n}", "Normal", next="Normal", xml_name=f"heading {n}",
                   builtin=True, primary=True,
                   ppr=ppr(keep_next=True, keep_lines=True,
                           borders=border("bottom", c.accent, 6, 2) if n == 1 else "",
                           before=s * (1.5, 1.1, 0.9)[n - 1], after=s * (0.5, 0.3, 0.2)[n - 1],
                           exact=(t.heading_pt(2), t.heading_pt(3), s)[n - 1] * 1.2,
                           outline=n - 1),
                   rpr=rpr(font=heading, bold=True, color=c.accent,
                           size=(t.heading_pt(2), t.heading_pt(3), s)[n - 1]))
          for n in (1, 2, 3)],
        StyleDef("List Paragraph", "paragraph", "ListParagraph", "Normal", builtin=True,
                 ppr=ppr(left=ind)),
        StyleDef("Header", "paragraph", "Header", "Normal", xml_name="header", builtin=True,
                 ppr=ppr(tabs=(("center", width / 2, None), ("right", width, None)), after=0, exact=s * 0.8 * 1.25),
                 rpr=rpr(size=round(s * 0.8, 1), color=c.muted)),
        StyleDef("Footer", "paragraph", "Footer", "Normal", xml_name="footer", builtin=True,
                 ppr=ppr(tabs=(("center", width / 2, None), ("right", width, None)), after=0, exact=s * 0.8 * 1.25),
                 rpr=rpr(size=round(s * 0.8, 1), color=c.muted)),
        StyleDef(STRONG, "character", "Strong", "Default Paragraph Font", builtin=True, rpr=rpr(bold=True)),
        # Markdown's *emphasis*: italic, or bold in a style without italics (large print), as the PDF's <em>.
        StyleDef(EMPHASIS, "character", "Emphasis", "Default Paragraph Font", builtin=True,
                 rpr=rpr(italic=it, bold=not it)),

        # Header block. Each blank of a name line is a tab to where the blank ends, drawn with an underscore
        # leader; a second tab, without a leader, opens the gap before the next label (see name_line_tabs).
        p(NAME_LINE, ppr=ppr(tabs=name_line_tabs(width, (0.47, 0.73, 1.0), NAME_LINE_GAP),
                             after=s * 1.2, exact=s * 1.3),
          rpr=rpr(font=heading, size=round(s * 0.95, 1))),
        # A version's name line: the blanks a little shorter, the version letter flush right.
        p(NAME_LINE_VERSION, ppr=ppr(tabs=name_line_tabs(width, (0.41, 0.64, 0.88), NAME_LINE_GAP, then_right=True),
                                     after=s * 1.2, exact=s * 1.3),
          rpr=rpr(font=heading, size=round(s * 0.95, 1))),
        # The page handed in: Name, Date and Class blanks, then the score box flush right. Based on Normal,
        # not on LP Name Line, whose tab stops Word would add to these.
        p(SCORE_LINE, ppr=ppr(keep_next=True, tabs=name_line_tabs(width, (0.37, 0.58, 0.785), SCORE_LINE_GAP,
                                                                  then_right=True),
                              after=s * 0.8, exact=s * 1.6),
          rpr=rpr(font=heading, size=round(s * 0.95, 1))),
        # A version's page handed in: the blanks shorter, so the score box and the version letter fit after them.
        p(SCORE_LINE_VERSION, ppr=ppr(keep_next=True, tabs=name_line_tabs(width, (0.32, 0.49, 0.67), SCORE_LINE_GAP,
                                                                          then_right=True),
                                      after=s * 0.8, exact=s * 1.6),
          rpr=rpr(font=heading, size=round(s * 0.95, 1))),
        ch(SCORE_BOX, rpr_=rpr(border=c.text)),
        p(TITLE, "Title", next="Normal"),
        p(SUBTITLE, ppr=ppr(keep_next=True, after=s * 0.3, exact=s * 1.15 * 1.25),
          rpr=rpr(italic=it, color=c.muted, size=round(s * 1.15, 1))),
        p(META, ppr=ppr(after=s * 0.4, exact=s * 0.85 * 1.3), rpr=rpr(color=c.muted, size=round(s * 0.85, 1))),
        p(HEADER, "Header", ppr=ppr(tabs=(("clear", width / 2, None),))),
        p(FOOTER, "Footer", ppr=ppr(tabs=(("clear", width / 2, None),))),

        # Section headings.
        p(HEADING1, "Heading 1", next="Normal"),
        p(HEADING2, "Heading 2", next="Normal"),
        p(HEADING3, "Heading 3", next="Normal"),
        p(WORKSHEET_TITLE, HEADING1, next="Normal"),

        # Objectives, reading, key terms.
        p(OBJECTIVE, "List Paragraph", numbering=NUM_BULLETS,
          ppr=ppr(after=s * 0.25, left=ind, hanging=ind)),
        p(READING, ppr=ppr(tabs=(("left", ind, None),), after=s * 0.6, left=ind, hanging=ind)),
        p(READING_QUOTE, READING, ppr=ppr(left=ind + s * 1.5, hanging=ind + s * 1.5, right=s * 1.5),
          rpr=rpr(italic=it)),
        # A quote that is not prose (verse, a formula: richtext.is_prose) is set upright, as the PDF sets it.
        p(READING_QUOTE_UPRIGHT, READING_QUOTE, rpr=rpr(upright=True)),
        # A callout (> [!NOTE] in a Markdown block): its title and paragraphs in one frame (the same border and
        # left and right edges on each, so Word and LibreOffice draw one frame round them), in line with the
        # reading's text and never italic; the title in bold, so a greyscale copy keeps frame and label.
        p(CALLOUT, ppr=ppr(keep_lines=True, borders=callout_box, after=s * 0.3, left=callout_left,
                           right=CALLOUT_SPACE + 1)),
        p(CALLOUT_TITLE, CALLOUT, ppr=ppr(keep_next=True, after=s * 0.2), rpr=rpr(font=heading, bold=True)),
        # A list in a callout: the typed marker, then the text, hanging (see draw.py).
        p(CALLOUT_LIST, CALLOUT, ppr=ppr(tabs=(("left", callout_left + ind / 2, None), ("left", callout_left + ind, None)),
                                         after=s * 0.2, left=callout_left + ind, hanging=ind)),
        # An empty line between two callouts one after the other: without it, Word and LibreOffice join their
        # frames into one (they draw one frame round neighbouring paragraphs with the same border).
        p(CALLOUT_GAP, ppr=ppr(keep_lines=True, before=0, after=0, exact=s * 0.4)),
        # Verse (verse: true): a paragraph a line, no space between lines, a stanza's gap after its last line (or,
        # in a parallel text's row, before its first); a poem's part kept on a page (draw.py keeps its lines with
        # the next). Its number is a run after a right tab in LP Verse Number (base.css: .vn).
        p(VERSE, ppr=ppr(keep_lines=True, after=0, exact=s * lh)),
        p(VERSE_STANZA_END, VERSE, ppr=ppr(after=s * STANZA_GAP)),
        p(VERSE_STANZA_START, VERSE, ppr=ppr(before=s * STANZA_GAP)),
        p(VERSE_CONTINUED, ppr=ppr(keep_next=True, after=s * 0.3), rpr=rpr(italic=it, color=c.muted,
                                                                            size=round(s * 0.85, 1))),
        ch(VERSE_NUMBER, rpr_=rpr(font=heading, color=c.muted, size=round(s * 0.85, 1))),
        StyleDef(PARALLEL_TABLE, "table", _sid(PARALLEL_TABLE), "Normal Table", table=parallel_xml),
        p(PARALLEL_TITLE, TABLE_TEXT, ppr=ppr(keep_next=True, after=s * 0.2), rpr=rpr(font=heading, bold=True)),
        p(READING_SOURCE, ppr=ppr(before=s * 0.2, after=s * 0.6, left=ind), rpr=rpr(italic=it, color=c.muted,
                                                                                 size=round(s * 0.85, 1))),
        # Single (not exact) line spacing: an exact line height would cut a picture down to one line.
        p(PICTURE, ppr=ppr(keep_next=True, before=s * 0.2, after=s * 0.3, line=1.0, jc="center")),
        p(PICTURE_CAPTION, ppr=ppr(after=s * 0.6, exact=s * 0.9 * 1.3, jc="center"), rpr=rpr(size=round(s * 0.9, 1))),

        # Sources: everything a source prints in the one cell of its frame (LP Source Frame), which keeps it
        # whole (its row does not break) and, when the model says so, with the question after it; its table
        # inside the frame too. A small paragraph after the frame keeps two frames apart, as the PDF's margin.
        StyleDef(SOURCE_FRAME, "table", _sid(SOURCE_FRAME), "Normal Table", table=frame_xml),
        p(SOURCE_SPACE, ppr=ppr(before=0, after=0, exact=s * 0.9), rpr=rpr(size=round(s * 0.75, 1))),
        p(SOURCE, ppr=ppr(after=s * 0.35)),
        p(SOURCE_TITLE, SOURCE, ppr=ppr(keep_lines=True, after=s * 0.4, exact=s * 1.35),
          rpr=rpr(font=heading, bold=True)),
        ch(SOURCE_LABEL, rpr_=rpr(font=heading, bold=True, color="#ffffff", shade=c.text)),
        p(SOURCE_PICTURE, SOURCE, ppr=ppr(before=s * 0.2, after=s * 0.2, line=1.0, jc="center")),
        p(CAPTION, SOURCE, ppr=ppr(after=s * 0.2, exact=s * 0.9 * 1.3), rpr=rpr(size=round(s * 0.9, 1))),
        p(CITATION, SOURCE, ppr=ppr(before=s * 0.2, after=0, exact=s * 0.8 * 1.3),
          rpr=rpr(color=c.muted, size=round(s * 0.8, 1))),
        p(SOURCE_NOTE, SOURCE, ppr=ppr(before=s * 0.4, after=0, exact=s * 0.9 * 1.3),
          rpr=rpr(size=round(s * 0.9, 1), italic=it, bold=not it, color=c.answer)),
        ch(USE_SOURCE, rpr_=rpr(font=heading, bold=True)),
        # Lists inside a reading: the ¶ number, then the typed marker, then the text (see draw.py).
        p(LIST_BULLET, "List Paragraph", ppr=ppr(tabs=(("left", ind, None), ("left", ind * 2, None)),
                                                after=s * 0.2, left=ind * 2, hanging=ind * 2)),
        p(LIST_NUMBER, LIST_BULLET),
        ch(PARA_NUMBER, rpr_=rpr(font=heading, color=c.muted, size=round(s * 0.75, 1))),
        ch(KEY_TERM, rpr_=rpr(bold=True)),
        ch(CODE, rpr_=rpr(font="Courier New", size=round(s * 0.9, 1))),
        p(TABLE_TEXT, ppr=ppr(after=0, exact=s * 1.3)),
        p(TABLE_NOTE, TABLE_TEXT, rpr=rpr(color=c.muted, size=round(s * 0.8, 1))),
        # A source's table, in the model's size (sources.TABLE_TYPE of the body's; a table the model sets smaller
        # still, to fit its frame, has that size on its runs); its header row in the heading face, in bold.
        p(SOURCE_TABLE_TEXT, TABLE_TEXT, ppr=ppr(line=1.05), rpr=rpr(size=table_size)),
        p(TABLE_NUMBER, SOURCE_TABLE_TEXT, ppr=ppr(jc="right")),
        p(TABLE_CENTRED, SOURCE_TABLE_TEXT, ppr=ppr(jc="center")),  # a heading over several columns
        ch(SOURCE_TABLE_HEAD, rpr_=rpr(font=heading, bold=True)),
        p(GLOSSARY_ENTRY, ppr=ppr(keep_lines=True, after=s * 0.15, exact=s * 1.3),
          rpr=rpr(size=round(s * (0.92 if t.glossary_columns > 1 else 1.0), 1))),
        StyleDef(TABLE, "table", _sid(TABLE), "Normal Table", table=table_xml),
        StyleDef(PLAIN_TABLE, "table", _sid(PLAIN_TABLE), "Normal Table", table=plain_table_xml),
        StyleDef(GLOSSARY, "table", _sid(GLOSSARY), "Normal Table", table=glossary_xml),
        StyleDef(SOURCE_TABLE, "table", _sid(SOURCE_TABLE), "Normal Table", table=source_table_xml),

        # Discussion.
        p(PROMPT, "List Paragraph", numbering=NUM_PROMPTS,
          ppr=ppr(keep_lines=True, after=s * 0.4, left=ind, hanging=ind)),
        p(PROMPT_NOTE, ppr=ppr(keep_lines=True, borders=border("left", c.answer, 12, 6), after=s * 0.7,
                               left=ind + s * 0.4, exact=s * 0.9 * 1.3),
          rpr=rpr(size=round(s * 0.9, 1), italic=it, bold=not it, color=c.answer)),

        # Worksheet.
        # The worksheet's head (score or total, instructions) is never the last thing on a page.
        p(INSTRUCTIONS, ppr=ppr(keep_next=True, after=s * 0.3), rpr=rpr(italic=it)),
        p(TOTAL, ppr=ppr(keep_next=True, after=s * 0.2, jc="right"), rpr=rpr(font=heading, bold=True)),
        p(QUESTION, "List Paragraph", numbering=NUM_QUESTIONS,
          ppr=ppr(keep_lines=True, tabs=(("right", width, None),), before=s * 0.75, after=s * 0.3,
                  left=ind, hanging=ind)),
        ch(POINTS, rpr_=rpr(font=heading, color=c.muted, size=round(s * 0.8, 1))),
        p(CHOICE, "List Paragraph", numbering=NUM_CHOICES,
          ppr=ppr(keep_lines=True, after=s * 0.1, left=ind + sub, hanging=sub)),
        p(TRUE_FALSE, "List Paragraph", ppr=ppr(keep_lines=True, tabs=(("left", ind + s * 6, None),),
                                                  after=s * 0.2, left=ind)),
        p(WRITING_LINE, ppr=ppr(keep_lines=True, borders=line_border, before=0, after=0,
                                exact=geo.writing_line, left=ind)),
        # A model answer is set on the writing lines, a line of it on each (the handout model broke it), so the
        # teacher's copy has the student's lines; one set smaller to fit them takes LP Answer Small on its words.
        p(ANSWER, WRITING_LINE, ppr=ppr(exact=geo.writing_line), rpr=rpr(italic=it, bold=not it, color=c.answer)),
        ch(ANSWER_SMALL, rpr_=rpr(size=round(s * ANSWER_SMALL_SHARE, 1))),
        ch(ANSWER_MARK, rpr_=rpr(bold=True, color=c.answer)),
        ch(ANSWER_CHAR, rpr_=rpr(italic=it, bold=not it, color=c.answer)),
        ch(BLANK, rpr_=rpr(underline="single")),
        ch(BLANK_ANSWER, ANSWER_CHAR, rpr_=rpr(underline="single")),
        # On the baseline, at its full size: LibreOffice reads a raised or lowered character style (w:position)
        # as automatic subscript at 58 %, which set the number in 4.6 pt, under the type floor. Boxed, as in the
        # PDF, so that it is never read as a superscript (x²) or a subscript (H₂O) next to it.
        ch(BLANK_NUMBER, rpr_=rpr(font=heading, color=c.text, size=round(s * 0.75, 1), border=c.text)),
        p(WORD_BANK, ppr=ppr(keep_lines=True, borders=bank, shade=c.shade, before=s * 0.3, after=s * 0.5,
                             left=ind + s * 0.4, right=s * 0.4, jc="center", exact=s * 1.9),
          rpr=rpr(font=heading)),
        p(FILL_IN, ppr=ppr(keep_lines=True, after=s * 0.3, left=ind, exact=s * 2.2)),
        p(MATCH_ITEM, "List Paragraph", ppr=ppr(after=0, exact=s * 1.3, left=s * 1.8, hanging=s * 1.8)),
        p(ORDER_BOX, ppr=ppr(keep_lines=True, borders=box, before=s * 0.15, after=s * 0.15, exact=s * 1.3,
                             left=s * 0.3, right=s * 0.3, jc="center"),
          rpr=rpr(font=heading)),
        # A numeric answer: the box a number is written in (a run of figure spaces with a border, as the score
        # box), the unit after it.
        p(NUMERIC, ppr=ppr(keep_lines=True, before=s * 0.2, after=s * 0.3, left=ind, exact=s * 1.9)),
        ch(ANSWER_BOX, rpr_=rpr(border=c.text)),
        ch(ANSWER_BOX_ANSWER, ANSWER_BOX, rpr_=rpr(italic=it, bold=not it, color=c.answer)),
        # A space to draw in (the teacher's model drawing drawn into it), and a diagram to label (its markers drawn
        # into it): a picture at the model's size (single spacing: an exact line height would cut it to one line),
        # at the question's indent.
        p(DRAWING, ppr=ppr(before=s * 0.2, after=s * 0.3, line=1.0, left=ind)),
        p(DIAGRAM, DRAWING),
        # A diagram's numbered lines, two to a row: the number, then a tab to the line's end drawn as a rule.
        p(LABEL_LINE, ppr=ppr(keep_lines=True, tabs=(("right", round((width - ind) / 2 - s * 1.2, 1), "underscore"),),
                              before=s * 0.2, after=s * 0.2, exact=s * 1.6),
          rpr=rpr(font=heading)),
        p(RUBRIC, "List Paragraph", numbering=NUM_RUBRIC,
          ppr=ppr(keep_lines=True, after=s * 0.1, left=ind + sub, hanging=sub, exact=s * 0.9 * 1.3),
          rpr=rpr(size=round(s * 0.9, 1), italic=it, color=c.answer)),  # teacher-only guidance, as in the PDF
        # A source analysis's parts: a) b) c), indented under the question, points at the right margin.
        p(PART, "List Paragraph", numbering=NUM_PARTS,
          ppr=ppr(keep_lines=True, keep_next=True, tabs=(("right", width, None),), before=s * 0.3, after=s * 0.2,
                  left=ind + part_ind, hanging=part_ind)),
        p(PART_WRITING_LINE, WRITING_LINE, ppr=ppr(left=ind + part_ind)),
        p(PART_ANSWER, ANSWER, ppr=ppr(left=ind + part_ind)),
        p(TEACHER_LABEL, ppr=ppr(keep_next=True, before=s * 0.3, after=s * 0.1, left=ind),
          rpr=rpr(font=heading, bold=True, color=c.answer, size=round(s * 0.8, 1))),

        # Teacher pages.
        p(TEACHER_NOTE, ppr=ppr(after=s * 0.6)),
        p(KEY_POINTER, ppr=ppr(keep_next=True, after=s * 0.6), rpr=rpr(font=heading, bold=True)),
        # A content warning: its paragraphs and list items in one box (the same border on each, and the same
        # left edge, the first line's, and right indent, so that Word and LibreOffice draw one frame round them).
        p(WARNING, TEACHER_NOTE, ppr=ppr(keep_lines=True, borders=warning_box, left=warning_pad,
                                         right=warning_pad)),
        # A list in the box: the typed marker, then the text, hanging (see draw.py).
        p(WARNING_LIST, WARNING, ppr=ppr(tabs=(("left", warning_pad + ind / 2, None),
                                               ("left", warning_pad + ind, None)),
                                         after=s * 0.2, left=warning_pad + ind, hanging=ind)),
        p(STATS, "List Paragraph", numbering=NUM_BULLETS, ppr=ppr(after=s * 0.15, left=ind, hanging=ind)),
    ]


