"""The handout model's data: what one edition of one lesson prints, decided down to the word.

Every field is plain, immutable data. Renderers (the HTML templates, the DOCX drawer) read these
fields and draw them; they decide nothing that a reader sees. The student edition's model holds no
answer, note or rubric at all, so no renderer can leak one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..text.labels import Labels
from ..text.readability import ReadingStats
from ..text.richtext import Block, RichText

Edition = Literal["student", "teacher"]

NUMBERING = {"question": "{n}.", "choice": "{L}", "prompt": "{n}.", "match_left": "{n}.", "match_right": "{L}.",
             "part": "{l})", "list": "{n}.", "bullet": "\u2022", "label": "{n}."}
"""How each kind of list is numbered ({n}: 1, 2, 3; {L}: A, B, C; {l}: a, b, c; "label": a diagram's numbered
lines), and the bullet of a bulleted list.
The PDF prints these labels; the DOCX builds its Word lists from the same formats, so both number everything
alike."""


@dataclass(frozen=True)
class DocumentInfo:
    """The file's own metadata, the same in the PDF and the DOCX."""

    title: str  # with the edition for the teacher's copy: "Title — Teacher edition"
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    created: str | None  # ISO 8601 from SOURCE_DATE_EPOCH; None: no timestamp at all


@dataclass(frozen=True)
class RunningText:
    """Running header and footer on every page."""

    header_left: str
    header_right: str  # the edition, for the teacher's copy
    footer_left: str
    page_label: tuple[str, str, str]  # the words before the page number, between it and the count, after
    blank_page: str = ""  # printed in the middle of a page left blank on purpose (two-sided copies), else nothing
    page_numbers: bool = True  # "Page X of Y" at the foot's right (False: a letterhead's footer numbers the pages)


@dataclass(frozen=True)
class PagePart:
    """A piece of a letterhead's header or footer: words (``kind`` "text"), or the page's number ("page") or the
    page count ("pages"), which each format draws as its own page-number field."""

    kind: Literal["text", "page", "pages"]
    text: str = ""


@dataclass(frozen=True)
class LetterheadView:
    """The school's letterhead as this handout prints it, placeholders filled in: the logo and the school's lines
    at the top of the first page, a header and a footer on every page (beside the running text that is left)."""

    logo: Picture | None
    lines: tuple[str, ...]  # the school's name, its address line
    header: tuple[PagePart, ...]  # after the running header's left part (which it replaces: the plan empties it)
    footer: tuple[PagePart, ...]  # after the running footer's left part (likewise)
    word: tuple[tuple[str, bytes], ...] = ()  # a reference document's own header and footer parts ("default-header",
    # "first-footer"…: WordprocessingML kept safe), which Word prints as made in place of the header and footer above
    # and the logo (the PDF prints those: the same words, fields and picture)


@dataclass(frozen=True)
class Masthead:
    """The top of page one: a name line (student) or an edition banner (teacher)."""

    name_line: tuple[str, ...] = ()  # "Name", "Date", "Class"
    banner: str = ""  # "Teacher edition"
    version: str = ""  # "Version B", beside the name line (student editions of a build with versions)
    fields: tuple[str, ...] = ()  # the fillable edition: a text field on each blank of the name line


@dataclass(frozen=True)
class Section:
    """One part of the handout in print order: what it is, its heading, and whether it starts a page."""

    kind: str  # overview | objectives | reading | sources | key-terms | discussion | worksheet | answer-key | stats
    anchor: str  # a document-wide id: bookmarks, contents links
    heading: RichText
    level: int = 2  # heading level (1 is the lesson title)
    new_page: bool = False
    recto: bool = False  # starts a right-hand page (two-sided copies: the sheet handed in is a sheet of its own)


@dataclass(frozen=True)
class Choice:
    letter: str
    label: str  # as printed: "A" in a multiple-choice item, "A." in a matching item
    text: RichText
    correct: bool = False  # only ever True in the teacher edition


@dataclass(frozen=True)
class PageRef:
    """Words that name the page another part of the handout is on: ``before`` N ``after``."""

    before: str
    anchor: str  # the section whose page number is meant
    after: str


ANSWER_SMALL = 0.8
"""The type size a model answer is set in, as a share of the body's, when at its full size it needs more lines than
the student has: the teacher's copy keeps the student's lines (see :class:`Writing`)."""


@dataclass(frozen=True)
class Writing:
    """Writing lines, and the teacher's model answer written over them.

    The teacher's copy prints exactly the student's ``lines``, so that its pages break where the copy the teacher
    holds up breaks: the model answer is set on the first of them, broken into lines by the model
    (``answer_rows``, one a writing line, so both renderers print the same words on each line), then the empty
    ones (``blank_lines``). An answer that needs more lines than the student has at full size
    (``answer_needs``) is set in smaller type (``answer_small``: :data:`ANSWER_SMALL` of the body's size), and
    the check warns (the ``answer-lines`` lint); only one too long even for that gets more lines than the
    student's.
    """

    lines: int
    answer: RichText | None = None  # the whole model answer, as the answer key prints it
    answer_rows: tuple[RichText, ...] = ()  # the answer as set on the lines, one writing line each
    answer_small: bool = False  # set in the smaller answer type (ANSWER_SMALL), to fit the student's lines
    answer_needs: int = 0  # the lines the answer needs at full size (the check warns when more than ``lines``)
    answer_room: float = 0.0  # how wide a line of the answer is, in ems of the body type (what rows are broken to)
    fields: tuple[tuple[str, int], ...] = ()  # the fillable edition's text boxes over the lines: (name, lines)
    field_title: str = ""  # what a screen reader says for those boxes: the question (or part)
    anchor: str = ""  # the id of the writing lines (where their room begins)

    @property
    def answer_lines(self) -> int:
        """The lines the model answer is set on (the first of the writing lines)."""
        return len(self.answer_rows)

    @property
    def blank_lines(self) -> int:
        return max(0, self.lines - self.answer_lines)

    @property
    def runs(self) -> tuple[LineRun, ...]:
        """The fillable edition's text boxes, each with the ids of the lines under it (so a layout can say which
        page each line is on; see :mod:`.measure`)."""
        return tuple(LineRun(name, tuple(f"{self.anchor}-{name}-{k}" for k in range(1, count + 1)))
                     for name, count in self.fields)


@dataclass(frozen=True)
class LineRun:
    """One text box of the fillable edition and the writing lines under it, by their ids."""

    field: str
    line_ids: tuple[str, ...]


@dataclass(frozen=True)
class Picture:
    """A picture as printed, the same size in both formats.

    ``width`` and ``height`` are in points: as wide as the room it has at most, at most about half a
    page tall, and never larger than its pixels at 96 to the inch (an SVG without a size of its own
    takes the room's width).
    """

    uri: str  # the file inside the pack (the PDF loads it through the guarded fetcher)
    format: str  # png | jpeg | gif | webp | svg
    data: bytes = field(repr=False, compare=False)  # the checked bytes (the DOCX embeds them)
    width: float = 0.0
    height: float = 0.0
    alt: str = ""
    caption: RichText = ()
    kind: str = "picture"  # read alongside a Block in the reading's flow


@dataclass(frozen=True)
class TableCell:
    """One cell of a source table as printed. ``span``: the columns it stands over (a heading); ``down``: the
    header rows it reaches down over. ``align``: left, center, right or decimal; a decimal cell's figure is cut
    at its decimal point into ``text`` and ``fraction`` (".5", or "" for a whole number), its point ``point``
    points from the cell's inner left edge and ``fraction_room`` points from its inner right edge, the same in
    every row of the column, so that the points line up. ``blank``: a box the student fills in (empty in the
    student edition, where the fillable PDF puts the text field ``field`` in it; its answer as ``text`` in the
    teacher edition)."""

    text: RichText = ()
    span: int = 1
    down: int = 1
    align: str = "left"
    fraction: str = ""
    point: float = 0.0
    fraction_room: float = 0.0
    blank: bool = False
    at: tuple = ()  # its place in the table as the lesson writes it, ("header", 1, 2) or ("rows", 0, 3): the Word
    # document's field marks (render/docx/marks.py), for lessonpack import
    field: str = ""
    field_title: str = ""
    figure: bool = False  # a figure (or a cell of a column lined up on its decimal point), kept whole on one line


@dataclass(frozen=True)
class TableView:
    """Statistics as a table: its header rows and rows of cells (see :class:`TableCell`: spans, alignment, blank
    cells). ``widths`` are the columns' widths in points (together the frame's inner width, or less when the
    lesson fixed every column's width) and ``scale`` the type size as a share of a table's usual size, decided
    from the cells' texts and the lesson's ``widths:`` (see :mod:`.tables`) so that it fits its frame. Its
    header rows repeat at the top of each page it runs over."""

    header: tuple[tuple[TableCell, ...], ...]
    rows: tuple[tuple[TableCell, ...], ...]
    widths: tuple[float, ...] = ()
    scale: float = 1.0
    fits: bool = True  # False: wider than its frame even at its longest words (a check error)
    least: float = 0.0  # the width its longest words need, in points
    keep_whole: bool = True  # False: taller than a page, so it may break between rows (its header repeats)
    height: float = 0.0  # estimated, in points
    narrow: tuple[tuple[int, float], ...] = ()  # columns given a width narrower than their longest word: (column,
    # the points it needs), a check error
    given: bool = False  # the lesson set some columns' widths (a check error names widths: when it does not fit)
    width: float = 0.0  # its width in points when narrower than its frame (every column's width fixed); 0: the frame's


@dataclass(frozen=True)
class VerseLine:
    """One line of a poem as printed: its words, the indent written before it, and its number in the margin."""

    text: RichText
    indent: float = 0.0  # in ems: the leading spaces written before it (a space is half an em)
    number: str = ""  # printed in the margin, every line_numbers-th line ("5", "10"); else ""


@dataclass(frozen=True)
class Verse:
    """A poem, or one part of a poem taller than a page: its stanzas, each a run of lines kept on one page.

    A poem that fits on a page is kept whole; a taller one is printed in parts cut between stanzas (a stanza
    itself taller than a page, between lines), each part kept whole, the later ones under ``continued``
    ("(continued)"; a source's later parts say so in their label instead)."""

    stanzas: tuple[tuple[VerseLine, ...], ...]
    numbered: bool = False  # the poem has line numbers: room is kept for them at the margin
    continued: str = ""  # over a later part of a poem printed in parts
    kind: str = "verse"  # read alongside a Block in the reading's flow and a source's text


@dataclass(frozen=True)
class ParallelRow:
    """One row of two texts side by side: a line of verse beside its partner, or (prose) a paragraph beside its
    translation (all of them, when the two texts have different numbers of paragraphs)."""

    lines: tuple[VerseLine, VerseLine] | None = None  # verse: line i of each text
    blocks: tuple[tuple[Block, ...], tuple[Block, ...]] = ((), ())  # prose
    stanza_start: bool = False  # verse: the first line of a stanza after the first (a gap above it)


@dataclass(frozen=True)
class ParallelView:
    """Two texts printed side by side (an original and its translation), each under its own title and in its
    own language: a two-column table in both formats, line by line for verse."""

    titles: tuple[RichText, RichText]
    langs: tuple[str, str]  # each text's language tag ("" when it is the lesson's)
    rows: tuple[ParallelRow, ...]
    verse: bool = False
    numbered: bool = False  # the original's lines are numbered in its column's margin


@dataclass(frozen=True)
class SourceView:
    """A primary source, framed: its label ("Source B"), title, one body, caption and citation.

    ``lang`` is set when the source is not in the lesson's language, so that screen readers and spell
    checkers switch. ``notes`` (the teacher's context and what to draw out) are in the teacher edition only.
    A source is never split by the page; one taller than a page is printed in parts, each a frame of its own cut
    between paragraphs or stanzas (or lines), the later ones labelled "continued" (see plan.py); see
    :func:`.paging.notes_may_break` for its notes.
    """

    id: str
    label: str  # "Source B"
    anchor: str
    title: RichText
    text: tuple[Block | Verse, ...] = ()
    picture: Picture | None = None
    parallel: ParallelView | None = None
    table: TableView | None = None
    caption: RichText = ()
    citation: RichText = ()
    lang: str = ""
    notes: tuple[Block, ...] = ()
    notes_label: str = ""
    notes_may_break: bool = False  # the notes may go on to the next page, with the question (a tall source)
    index: int = -1  # its place in the lesson's sources (the field marks of the Word document: render/docx/marks.py)
    whole: bool = True  # False: one part of a source printed in parts (its text's paragraphs are not all here)
    with_question: bool = False  # kept on the page of the start of the question printed after it


@dataclass(frozen=True)
class Question:
    """One worksheet item as drawn: what every question has. Each item type prints it as a subclass with its
    own fields (choices, blanks, rows…; see :mod:`lessonpack.items`), drawn by its template macro and its Word
    drawing."""

    number: int
    label: str  # "1."
    kind: str  # the item type's name: which template macro and Word drawing draw it
    points: float
    points_label: str  # "2 points", "1 point · bonus"
    bonus: bool = False
    prompt: RichText = ()
    writing: Writing | None = None  # writing lines under the prompt ("lines: fill": to the foot of the page)
    use_source: str = ""  # "Use Source B.", before the prompt
    sources: tuple[SourceView, ...] = ()  # the sources first used here, printed just before the question
    keep_whole: bool = True  # False: a long run of writing lines may go on over the page (see paging.py)
    fills_page: bool = False  # "lines: fill": its lines reach the foot of the student's page
    field: str = ""  # the fillable edition: the question's field name ("q3"; see fields.py)
    field_title: str = ""  # what a screen reader says for its fields: the number and the question
    anchor: str = ""  # its id in the document ("<lesson>-q3")


@dataclass(frozen=True)
class KeyRow:
    """One line of the answer key."""

    number: str
    kind: str
    answer: str
    points: str
    keep_whole: bool = True  # False for a row taller than a share of the page: it may go on over the page
    keep_with_next: bool = False  # on the page of the row after it: the key's last rows stay with its total line
    # The answer as both formats print it: formulas, sub- and superscripts drawn as everywhere else (``answer`` is
    # the same as plain text: H₂O, the TeX of a formula, for estimates and a format that prints no styling).
    printed: RichText = ()


@dataclass(frozen=True)
class KeyTable:
    """The answer key: a header row, a row per question and a total row, four columns in both formats."""

    header: tuple[str, str, str, str]
    rows: tuple[KeyRow, ...]
    total: KeyRow
    caption: str = ""  # "Version B": a heading over the table when the build makes versions
    widths: tuple[float, ...] = ()  # the columns' widths in points (see tables.py)
    keep_with_next: bool = False  # the reading statistics follow: the key's last rows stay with them
    keep_whole: bool = False  # short enough to stay on one page (a longer key breaks between rows)


@dataclass(frozen=True)
class KeyGrid:
    """Every question's answer in every version side by side (the teacher edition of a build with versions):
    a row per printed question number, a column per version."""

    caption: str  # "All versions at a glance"
    header: tuple[str, ...]  # "#", "A", "B", …
    rows: tuple[tuple[str, ...], ...]  # as plain text (see KeyRow.answer)
    widths: tuple[float, ...] = ()  # the columns' widths in points (see tables.py)
    keep_with_next: bool = False  # the reading statistics follow: the grid's last rows stay with them
    keep_whole: bool = False  # short enough to stay on one page (a longer grid breaks between rows)
    printed: tuple[tuple[RichText, ...], ...] = ()  # the rows as both formats print them (see KeyRow.printed)


@dataclass(frozen=True)
class ReadingView:
    title: RichText
    # (¶ number, block); pictures, callouts and a poem's parts (Verse: the reading is verse) are not numbered (0)
    paragraphs: tuple[tuple[int, Block | Picture | Verse], ...]
    source: RichText
    source_label: str
    paragraph_label: str  # what a screen reader says before a paragraph number
    # The id of each of paragraphs, in order (a layout says where each landed: see measure.picture_moves).
    anchors: tuple[str, ...] = ()
    # The place of each of paragraphs among the blocks of the lesson's reading text, as written (a picture may
    # print later than written): what the Word document's field marks name (render/docx/marks.py).
    blocks: tuple[int, ...] = ()


@dataclass(frozen=True)
class Glossary:
    entries: tuple[tuple[RichText, RichText], ...]
    columns: int  # entries side by side on a row
    dash: str = " \u2014 "  # between a term and its definition, in both formats
    keep_whole: bool = True  # the box on one page (False: too tall for that; it breaks between entries)


@dataclass(frozen=True)
class PromptView:
    number: int
    label: str  # "1."
    text: RichText
    notes: RichText | None = None  # teacher edition only
    notes_label: str = ""


@dataclass(frozen=True)
class WorksheetView:
    instructions: RichText
    total_points: float
    total_label: str  # "Total: 32 points" (the teacher's copy)
    questions: tuple[Question, ...]
    name_line: tuple[str, ...] = ()  # Name, Date, Class again, on the page that is handed in (student)
    score: tuple[str, str] = ("", "")  # ("Score", "/ 32"): the box the teacher fills in (student)
    version: str = ""  # "Version B" by the score box (a student version); "Version A" by the total (the teacher's)


@dataclass(frozen=True)
class OverviewView:
    """What the teacher needs before the lesson, first in the teacher edition."""

    objectives_label: str
    objectives: tuple[RichText, ...]
    warning_label: str
    warning: tuple[Block, ...]  # a content warning, to give before the reading
    notes_label: str
    notes: tuple[Block, ...]  # the teacher notes
    key_pointer: PageRef | None  # "Total: 32 points · the answer key is on page N."


@dataclass(frozen=True)
class StatsView:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Handout:
    """A lesson, as one edition prints it."""

    lesson_id: str
    edition: Edition
    language: str
    labels: Labels
    document: DocumentInfo
    running: RunningText
    masthead: Masthead
    title: RichText
    title_text: str  # the title as plain text (a format that prints no styling)
    subtitle: RichText
    meta: tuple[tuple[str, RichText], ...]  # ("Unit:", the unit), …
    sections: tuple[Section, ...]
    objectives: tuple[RichText, ...] = ()
    overview: OverviewView | None = None  # teacher edition only
    reading: ReadingView | None = None
    sources: tuple[SourceView, ...] = ()  # sources placed after the reading, and those no question uses
    glossary: Glossary | None = None
    prompts: tuple[PromptView, ...] = ()
    worksheet: WorksheetView | None = None
    answer_key: KeyTable | None = None  # with versions: version A's (the worksheet as the teacher edition prints it)
    version_keys: tuple[KeyTable, ...] = ()  # with versions: a key for each, A first
    key_grids: tuple[KeyGrid, ...] = ()  # with versions: every version's answers side by side (six to a table)
    stats: StatsView | None = None
    reading_stats: ReadingStats | None = None  # the numbers behind ``stats``, teacher edition only
    fillable: bool = False  # the fillable student PDF: form fields over every place a student writes
    version_letter: str = ""  # the version the worksheet prints ("": as written, one version; the teacher's copy)
    lesson_sha: str = ""  # the fillable edition: the lesson file's hash, so collect can tell a changed lesson
    correct_mark: str = "\u2714"  # set after a correct choice or option in the teacher edition (✔)
    meta_separator: str = "\u00a0\u00a0\u00b7\u00a0 "  # between the meta line's entries: a line breaks only after it
    warnings: tuple[str, ...] = field(default=())
    letterhead: LetterheadView | None = None  # the school's letterhead (lessonpack.yaml's or the style's)

    @property
    def is_teacher(self) -> bool:
        return self.edition == "teacher"

    @property
    def answer_keys(self) -> tuple[KeyTable, ...]:
        """The keys the answer-key section prints: one per version, or the one key."""
        return self.version_keys or ((self.answer_key,) if self.answer_key else ())

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)
