"""DOCX handouts: reopen every file with python-docx, and let LibreOffice and pandoc read some.

Each DOCX of the sample unit (3 lessons × 2 editions × 2 styles × 2 papers) is rendered once per
module and checked for: the named style of every element, real Word numbering that gives the
model's numbers, fields in the footer, page size, no Markdown left over, and — in the student
edition — no answer at all.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from lessonpack import load_pack
from lessonpack.errors import LessonpackError
from lessonpack.handout import LETTERS, Blank, Handout, plan
from lessonpack.render import docx_styles as S
from lessonpack.render.docx import render_docx, render_docx_with_warnings, reference_docx
from lessonpack.richtext import plain
from lessonpack.styles import PAPER_SIZES, length_pt, load_style

from conftest import REPO

EDITIONS = ("student", "teacher")
STYLES = ("classic", "large-print")
PAPERS = ("letter", "a4")


# -- reading a DOCX back -------------------------------------------------------------------


@dataclass
class Para:
    style: str
    text: str
    el: object  # the w:p element
    runs: list[tuple[str | None, str]]  # (character style name, text) per run
    num: int | None  # numId from direct numbering properties
    in_table: bool


class Read:
    """A rendered DOCX, reopened: paragraphs in order (tables included), styles by name."""

    def __init__(self, data: bytes):
        self.data = data
        self.doc = docx.Document(io.BytesIO(data))
        self.names = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
                      for s in self.doc.styles.element.findall(qn("w:style"))}
        self.paras = [self._para(p) for p in self.doc.element.body.iter(qn("w:p"))]
        self.numbering = self.doc.part.numbering_part.element

    def _para(self, p) -> Para:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        runs = []
        for r in p.iter(qn("w:r")):
            rstyle = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
            text = "".join(t.text or "" if t.tag == qn("w:t") else "\t" if t.tag == qn("w:tab") else ""
                           for t in r)
            runs.append((self.names.get(rstyle.get(qn("w:val"))) if rstyle is not None else None, text))
        in_table = any(a.tag == qn("w:tc") for a in p.iterancestors())
        return Para(self.names[style.get(qn("w:val"))] if style is not None else "Normal",
                    "".join(t for _, t in runs), p, runs, int(num.get(qn("w:val"))) if num is not None else None,
                    in_table)

    def styled(self, name: str) -> list[Para]:
        return [p for p in self.paras if p.style == name]

    def all_text(self) -> str:
        """Every character of the document, headers and footers included."""
        parts = [p.text for p in self.paras]
        for section in self.doc.sections:
            parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
        return "\n".join(parts)

    def xml(self, name: str) -> str:
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            return z.read(name).decode("utf-8")

    # Word numbering, as Word and LibreOffice count it: one counter per w:num, from its start.
    def labels(self) -> dict[int, str]:
        """id(w:p element) → the number or letter Word shows before it."""
        abstract = {}
        for a in self.numbering.findall(qn("w:abstractNum")):
            lvl = a.find(qn("w:lvl"))
            abstract[a.get(qn("w:abstractNumId"))] = (
                lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val")),
                int(lvl.find(qn("w:start")).get(qn("w:val"))))
        nums = {}
        for n in self.numbering.findall(qn("w:num")):
            fmt, text, start = abstract[n.find(qn("w:abstractNumId")).get(qn("w:val"))]
            override = n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
            nums[int(n.get(qn("w:numId")))] = (fmt, text, int(override.get(qn("w:val"))) if override is not None
                                               else start)
        counters: dict[int, int] = {}
        out = {}
        for p in self.paras:
            if p.num is None:
                continue
            fmt, text, start = nums[p.num]
            counters[p.num] = counters.get(p.num, start - 1) + 1
            value = counters[p.num]
            shown = {"decimal": str(value), "upperLetter": LETTERS[value - 1], "bullet": text}[fmt]
            out[id(p.el)] = text.replace("%1", shown)
        return out

    def num_format(self, num_id: int) -> tuple[str, str, int | None]:
        n = next(n for n in self.numbering.findall(qn("w:num")) if int(n.get(qn("w:numId"))) == num_id)
        a_id = n.find(qn("w:abstractNumId")).get(qn("w:val"))
        a = next(a for a in self.numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == a_id)
        lvl = a.find(qn("w:lvl"))
        override = n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        return (lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val")),
                int(override.get(qn("w:val"))) if override is not None else None)


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack():
    return load_pack(REPO)


@pytest.fixture(scope="module")
def styles(pack):
    return {name: load_style(name, pack.root) for name in STYLES}


@pytest.fixture(scope="module")
def rendered(pack, styles):
    """Every DOCX of the sample unit: (lesson id, edition, style, paper) → (handout, Read)."""
    out = {}
    for lesson in pack.lessons:
        for edition in EDITIONS:
            handout = plan(lesson, edition)
            for style in STYLES:
                for paper in PAPERS:
                    out[(lesson.id, edition, style, paper)] = (
                        handout, Read(render_docx(handout, styles[style], paper)))
    return out


def _cases(rendered):
    return sorted(rendered.items())


def _question_blocks(paras: list[Para], h: Handout):
    """(start, end, question): the paragraphs that draw each question, tables included."""
    starts = [i for i, p in enumerate(paras) if p.style == S.QUESTION]
    assert len(starts) == len(h.worksheet.questions)
    for n, (start, q) in enumerate(zip(starts, h.worksheet.questions)):
        end = starts[n + 1] if n + 1 < len(starts) else next(
            (i for i in range(start, len(paras)) if paras[i].style in (S.HEADING1, S.HEADING2)), len(paras))
        while paras[end - 1].style == S.TABLE_TEXT and not paras[end - 1].in_table:  # a table's closing para
            end -= 1
        yield start, end, q


# -- structure and styles ------------------------------------------------------------------


def test_sections_headings_and_header_block_use_named_styles(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        where = f"{lesson_id}/{edition}/{style}/{paper}"
        if h.is_teacher:  # the teacher's copy says whose it is instead of asking for a name
            assert (d.paras[0].style, d.paras[0].text) == (S.TEACHER_LABEL, h.labels["teacher_edition"]), where
        else:
            assert d.paras[0].style == S.NAME_LINE, where
            assert [f"{h.labels[k]}" in d.paras[0].text for k in ("name", "date", "class")] == [True] * 3
        titles = d.styled(S.TITLE)
        assert [p.text for p in titles] == [h.title_text], where
        assert [p.text for p in d.styled(S.SUBTITLE)] == [plain(h.subtitle)]
        meta = d.styled(S.META)[0]
        assert all(label in meta.text and plain(value) in meta.text for label, value in h.meta)

        # Sections in the model's order, each under a Heading-1-based heading.
        expected = {"objectives": h.labels["objectives"], "reading": plain(h.reading.heading),
                    "key-terms": h.labels["key_terms"], "discussion": h.labels["discussion"],
                    "worksheet": plain(h.worksheet.title), "teacher-notes": h.labels["teacher_notes"],
                    "answer-key": h.labels["answer_key"]}
        headings = [p.text for p in d.paras if p.style in (S.HEADING1, S.WORKSHEET_TITLE)]
        assert headings == [expected[s] for s in h.sections], where
        assert [p.text for p in d.styled(S.HEADING2)] == ([h.labels["reading_stats"]] if h.is_teacher else [])

        assert [p.text for p in d.styled(S.OBJECTIVE)] == [plain(o) for o in h.objectives]
        assert all(p.num is not None for p in d.styled(S.OBJECTIVE))
        assert [p.text for p in d.styled(S.PROMPT)] == [plain(p.text) for p in h.prompts]


def test_reading_paragraph_numbers_key_terms_and_source(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        reading = d.styled(S.READING)
        assert len(reading) == len(h.reading.paragraphs)
        for para, (number, block) in zip(reading, h.reading.paragraphs):
            # The ¶ number is a run in its own character style, then a tab, then the text.
            assert para.runs[0] == (S.PARA_NUMBER, str(number))
            assert para.runs[1] == (None, "\t")
            assert para.text[len(str(number)) + 1:] == plain(block.spans)
            terms = [s.text for s in block.spans if s.role == "term"]
            assert [t for st, t in para.runs if st == S.KEY_TERM] == terms
        assert [p.text for p in d.styled(S.SOURCE)] == [f"{h.labels['source']}: {plain(h.reading.source)}"]


def test_glossary_and_answer_key_tables_use_the_lp_table_style(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        tables = d.doc.tables
        by_style = [t.style.name for t in tables]
        glossary = tables[0]
        assert glossary.style.name == S.TABLE
        assert [c.text for c in glossary.rows[0].cells] == [h.labels["term"], h.labels["definition"]]
        assert glossary.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
        assert len(glossary.rows) == len(h.glossary) + 1
        for row, (term, definition) in zip(glossary.rows[1:], h.glossary):
            assert row.cells[0].text == plain(term) and row.cells[1].text == plain(definition)
            assert row.cells[0].paragraphs[0].runs[0].style.name == S.KEY_TERM
            assert row.cells[1].paragraphs[0].style.name == S.DEFINITION
        kinds = [q.kind for q in h.worksheet.questions]
        assert by_style.count(S.PLAIN_TABLE) == kinds.count("ordering")
        if h.is_teacher:
            key = tables[-1]
            assert key.style.name == S.TABLE
            assert key.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
            assert [r.cells[1].text for r in key.rows[1:]] == [k.answer for k in h.answer_key]
            assert by_style.count(S.TABLE) == 2 + kinds.count("matching")
        else:
            assert by_style.count(S.TABLE) == 1 + kinds.count("matching")


def test_questions_are_auto_numbered_and_restart_per_worksheet(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        labels = d.labels()
        questions = d.styled(S.QUESTION)
        model = h.worksheet.questions
        assert len(questions) == len(model)
        num_ids = {p.num for p in questions}
        assert len(num_ids) == 1 and None not in num_ids  # one list: the worksheet's
        assert d.num_format(num_ids.pop()) == ("decimal", "%1.", 1)  # starts again at 1
        for para, q in zip(questions, model):
            assert labels[id(para.el)] == f"{q.number}."
            assert not re.match(r"\s*\d+[.)]", para.text)  # no typed number
            assert para.text == f"{plain(q.prompt)}\t{q.points_label.replace(' ', chr(160))}"
            assert para.runs[-1][0] == S.POINTS


def test_choices_are_auto_lettered_and_restart_per_question(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        labels = d.labels()
        seen: set[int] = set()
        paras = d.paras
        starts = [i for i, p in enumerate(paras) if p.style == S.QUESTION]
        for start, q in zip(starts, h.worksheet.questions):
            if q.kind != "multiple_choice":
                continue
            choices = paras[start + 1:start + 1 + len(q.choices)]
            assert [p.style for p in choices] == [S.CHOICE] * len(q.choices)
            num_ids = {p.num for p in choices}
            assert len(num_ids) == 1
            num = num_ids.pop()
            assert num not in seen  # a list of its own for every question…
            seen.add(num)
            assert d.num_format(num) == ("upperLetter", "%1.", 1)  # …that starts again at A
            for para, choice in zip(choices, q.choices):
                assert labels[id(para.el)] == f"{choice.letter}."
                assert not re.match(r"\s*[A-Z][.)]\s", para.text)
                assert para.text.startswith(plain(choice.text))
                answer_runs = [st for st, _ in para.runs if st == S.ANSWER_CHAR]
                assert bool(answer_runs) == choice.correct == (h.is_teacher and choice.correct)


def test_question_parts_writing_lines_blanks_matching_ordering(rendered, styles):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        paras = d.paras
        labels = d.labels()
        for start, end, q in _question_blocks(paras, h):
            block = paras[start:end]
            if q.kind == "essay" or q.kind == "short_answer":
                lines = [p for p in block if p.style in (S.WRITING_LINE, S.ANSWER)]
                assert len(lines) >= q.lines
                assert all(p.text == "" for p in block if p.style == S.WRITING_LINE)
                answer = " ".join(p.text for p in block if p.style == S.ANSWER)
                assert answer == (plain(q.model_answer) if q.model_answer else "")
                assert [p.text for p in block if p.style == S.RUBRIC] == [plain(r) for r in q.rubric]
            elif q.kind == "true_false":
                tf = [p for p in block if p.style == S.TRUE_FALSE]
                assert len(tf) == 1 and h.labels["true"] in tf[0].text and h.labels["false"] in tf[0].text
                marked = [t for st, t in tf[0].runs if st == S.ANSWER_CHAR]
                if h.is_teacher:
                    assert marked == [f"{h.labels['true' if q.truth else 'false']} {chr(0x2714)}"]
                else:
                    assert marked == []
            elif q.kind == "fill_in_blank":
                (fill,) = [p for p in block if p.style == S.FILL_IN]
                blanks = [s for s in q.segments if isinstance(s, Blank)]
                assert [t for st, t in fill.runs if st == S.BLANK_NUMBER] == [str(b.number) for b in blanks]
                assert all(set(t) == {"\u00a0"} for st, t in fill.runs if st == S.BLANK)
                answers = [t.replace("\u00a0", " ") for st, t in fill.runs if st == S.BLANK_ANSWER]
                assert answers == ([b.answer for b in blanks] if h.is_teacher else [])
                assert "[[" not in fill.text
                if q.word_bank:
                    (bank,) = [p for p in block if p.style == S.WORD_BANK]
                    label, words = bank.text.split(":\u2003", 1)
                    assert label == h.labels["word_bank"]
                    assert words.split("\u00a0\u00b7\u2003") == list(q.word_bank)
            elif q.kind == "matching":
                items = [p for p in block if p.style == S.MATCH_ITEM]
                assert [labels[id(p.el)] for p in items] == [
                    x for i in range(len(q.left)) for x in (f"{q.left[i].number}.", f"{q.right[i].letter}.")]
                letters = [t for p in block for st, t in p.runs if st == S.BLANK_ANSWER]
                assert letters == ([row.answer for row in q.left] if h.is_teacher else [])
            elif q.kind == "ordering":
                boxes = [p for p in block if p.style == S.ORDER_BOX]
                assert len(boxes) == len(q.events)
                shown = [p.text.strip("\u00a0") for p in boxes]
                assert shown == ([str(e.position) for e in q.events] if h.is_teacher else [""] * len(q.events))
            # Word keeps a question together: every paragraph but the last keeps with the next, except in
            # a table's last row (which would chain the table to the next question instead).
            def last_row(el) -> bool:
                row = next((a for a in el.iterancestors() if a.tag == qn("w:tr")), None)
                return row is not None and row.getnext() is None

            keep = [p.el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in block]
            expected = [not last_row(p.el) for p in block[:-1]] + [False]
            assert keep == expected, (lesson_id, edition, q.number)

        # A writing line is an empty bordered paragraph, exactly writing_line apart.
        line_style = d.doc.styles[S.WRITING_LINE]
        assert line_style.paragraph_format.line_spacing.pt == pytest.approx(
            length_pt(styles[style].tokens.writing_line), abs=0.05)
        border = line_style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        assert border.find(qn("w:bottom")) is not None and border.find(qn("w:between")) is not None


def test_only_markdown_bold_and_italic_are_direct_formatting(rendered):
    allowed = {qn(t) for t in ("w:rStyle", "w:b", "w:bCs", "w:i", "w:iCs")}
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        for r in d.doc.element.body.iter(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            if rpr is not None:
                assert {c.tag for c in rpr} <= allowed, (lesson_id, [c.tag for c in rpr])
        for p in d.paras:
            ppr = p.el.find(qn("w:pPr"))
            assert ppr is not None and ppr.find(qn("w:pStyle")) is not None  # every paragraph is styled
            assert ppr.find(qn("w:rPr")) is None and ppr.find(qn("w:spacing")) is None
        text = d.all_text()
        assert "**" not in text and "[[" not in text and "__" not in text


def test_page_size_margins_header_footer_fields_and_properties(rendered, styles):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        section = d.doc.sections[0]
        width, height = (length_pt(v) for v in PAPER_SIZES[paper])
        assert section.page_width.pt == pytest.approx(width, abs=0.1)
        assert section.page_height.pt == pytest.approx(height, abs=0.1)
        assert section.left_margin.pt == pytest.approx(length_pt(styles[style].tokens.margins.left), abs=0.1)
        header = "".join(p.text for p in section.header.paragraphs)
        assert header.startswith(h.title_text)
        assert (h.labels["teacher_edition"] in header) == h.is_teacher
        footer = section.footer._element
        fields = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"]
        assert "".join(t.text for t in footer.iter(qn("w:t"))) == "Page 1 of 1"  # cached field values
        core = d.doc.core_properties
        assert (core.title, core.author, core.language) == (h.title_text, h.author, h.language)
        assert core.subject == "History"
        # Headings carry outline levels through their Word base styles.
        for name, level in ((S.HEADING1, 0), (S.HEADING2, 1), (S.WORKSHEET_TITLE, 0)):
            base = d.doc.styles[name]
            while base.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is None:
                base = base.base_style
            assert base.name == f"Heading {level + 1}"
            assert base.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == str(level)
        assert f'w:lang w:val="{h.language}"' in d.xml("word/styles.xml")


def test_large_print_docx_is_large(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        normal = d.doc.styles["Normal"].font.size.pt
        assert normal >= 16 if style == "large-print" else normal == 11
        assert d.doc.styles[S.TITLE].base_style.font.size.pt > normal


def test_student_edition_holds_no_answers(rendered):
    for (lesson_id, _, style, paper), (teacher, teacher_doc) in _cases(rendered):
        if _ != "teacher":
            continue
        student_h, student = rendered[(lesson_id, "student", style, paper)]
        secrets: list[str] = []
        for q in teacher.worksheet.questions:
            if q.model_answer:
                secrets.append(plain(q.model_answer))
            secrets += [plain(r) for r in q.rubric]
        secrets += [plain(p.notes) for p in teacher.prompts if p.notes]
        secrets += [plain(b.spans) or " ".join(plain(i) for i in b.items) for b in teacher.teacher_notes]
        secrets += [k.answer for k in teacher.answer_key
                    if k.kind_label not in (teacher.labels["type_true_false"],)]  # "True" is an option
        secrets += [teacher.labels["teacher_edition"], teacher.labels["answer_key"], teacher.labels["rubric"],
                    teacher.labels["prompt_notes"], teacher.labels["reading_stats"]]
        assert len(secrets) > 20
        teacher_text, student_text = teacher_doc.all_text(), student.all_text()
        for secret in secrets:
            # (the writing lines split a model answer; compare without line breaks)
            assert secret in teacher_text or secret in teacher_text.replace("\n", " "), secret
            assert secret not in student_text and secret not in student_text.replace("\n", " "), secret
        assert "\u2714" in teacher_text and "\u2714" not in student_text
        answer_styles = {S.ANSWER, S.ANSWER_CHAR, S.BLANK_ANSWER, S.PROMPT_NOTE, S.RUBRIC, S.TEACHER_LABEL,
                         S.TEACHER_NOTE, S.STATS}
        used = {p.style for p in student.paras} | {st for p in student.paras for st, _ in p.runs}
        assert not used & answer_styles
        used_teacher = {p.style for p in teacher_doc.paras} | {st for p in teacher_doc.paras for st, _ in p.runs}
        assert answer_styles <= used_teacher
        # The student copy still has all its questions, blanks and boxes to fill in.
        assert len(student.styled(S.QUESTION)) == len(student_h.worksheet.questions)


def test_header_text_goes_on_top_and_the_lesson_title_to_the_footer(pack, styles):
    handout = plan(pack.lessons[2], "teacher")
    d = Read(render_docx(handout, styles["classic"], "letter", header_text="Hill School · The Interwar Years"))
    section = d.doc.sections[0]
    assert section.header.paragraphs[0].text == f"Hill School · The Interwar Years\t{handout.labels['teacher_edition']}"
    footer = section.footer.paragraphs[0]
    assert footer.style.name == S.FOOTER
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))) == f"{handout.title_text}Page 1 of 1"
    assert [f.get(qn("w:instr")).strip() for f in footer._p.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]


# -- reproducibility -----------------------------------------------------------------------


def test_same_input_gives_byte_identical_docx(pack, styles, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    handout = plan(pack.lessons[1], "teacher")
    first = render_docx(handout, styles["classic"], "a4")
    assert render_docx(handout, styles["classic"], "a4") == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()
        assert not any("thumbnail" in i.filename or "stylesWithEffects" in i.filename for i in infos)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = render_docx(handout, styles["classic"], "a4")
    assert stamped != first and render_docx(handout, styles["classic"], "a4") == stamped
    assert docx.Document(io.BytesIO(stamped)).core_properties.created.year == 2023
    assert reference_docx(styles["classic"]) == reference_docx(styles["classic"])


# -- reference documents -------------------------------------------------------------------


def _style_names(d: Read) -> dict[str, str]:
    return {s.find(qn("w:name")).get(qn("w:val")): s.get(qn("w:type"))
            for s in d.doc.styles.element.findall(qn("w:style"))}


def test_reference_docx_shows_every_style_once_at_least(styles):
    for name, style in styles.items():
        d = Read(reference_docx(style))
        defs = S.style_defs(S.Geometry.of(style.tokens, "letter"))
        lp = [x.name for x in defs if x.name.startswith(S.PREFIX)]
        assert len(lp) >= 40
        assert set(lp) <= set(_style_names(d))
        used = ({p.style for p in d.paras} | {st for p in d.paras for st, _ in p.runs}
                | {t.style.name for t in d.doc.tables})
        for section in d.doc.sections:
            used |= {p.style.name for p in section.header.paragraphs + section.footer.paragraphs}
        assert set(lp) - used == set(), name
        assert d.doc.styles["Normal"].font.size.pt == style.tokens.size
        assert d.doc.styles["Normal"].font.name == style.tokens.word_body
        assert d.doc.styles["Heading 1"].font.name == style.tokens.word_heading


def _pack_with_reference(tmp_path: Path, reference: bytes) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(REPO / "src/lessonpack/data/styles/classic", root / "styles" / "classic")
    (root / "styles" / "classic" / "reference.docx").write_bytes(reference)
    return root


def test_pack_reference_docx_styles_win_and_missing_ones_are_added_with_a_warning(pack, styles, tmp_path):
    edited = docx.Document(io.BytesIO(reference_docx(styles["classic"])))
    question = edited.styles[S.QUESTION]
    question.font.size = Pt(19)
    question.font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    source = edited.styles[S.SOURCE].element
    source.getparent().remove(source)
    # An editor's "Define New Number Format": questions numbered "Q1)" instead of "1.".
    numbering = edited.part.numbering_part.element
    (questions_list,) = [a for a in numbering.findall(qn("w:abstractNum"))
                         if a.find(qn("w:name")).get(qn("w:val")) == S.NUM_QUESTIONS]
    questions_list.find(f"{qn('w:lvl')}/{qn('w:lvlText')}").set(qn("w:val"), "Q%1)")
    buffer = io.BytesIO()
    edited.save(buffer)
    root = _pack_with_reference(tmp_path, buffer.getvalue())

    style = load_style("classic", root)
    assert style.reference_docx == root / "styles" / "classic" / "reference.docx"
    handout = plan(pack.lessons[0], "teacher")
    data, warnings = render_docx_with_warnings(handout, style, "letter")
    assert len(warnings) == 1 and f'"{S.SOURCE}"' in warnings[0] and "reference.docx" in warnings[0]
    d = Read(data)
    lp_question = d.doc.styles[S.QUESTION]
    assert lp_question.font.size.pt == 19 and lp_question.font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert len(d.styled(S.QUESTION)) == len(handout.worksheet.questions)
    assert d.doc.styles[S.SOURCE].font.italic is True  # added back, with the default look
    assert len(d.styled(S.SOURCE)) == 1
    labels = d.labels()
    assert [labels[id(p.el)] for p in d.styled(S.QUESTION)] == [f"Q{q.number})" for q in handout.worksheet.questions]
    assert [labels[id(p.el)] for p in d.styled(S.CHOICE)][:2] == ["A.", "B."]
    # The reference's sample text is gone: only the handout is in the body.
    assert "(LP Title)" not in d.all_text()
    assert render_docx(handout, style, "letter") == data  # the thin wrapper drops only the warnings


def test_unreadable_pack_reference_docx_is_a_clear_error(pack, tmp_path):
    root = _pack_with_reference(tmp_path, b"not a zip file")
    with pytest.raises(LessonpackError) as caught:  # found when the style loads: by check, before any build
        load_style("classic", root)
    (problem,) = caught.value.diagnostics
    assert (problem.file, problem.line, problem.column) == (str(root / "styles/classic/reference.docx"), 1, 1)
    assert problem.message == "not a Word document that lessonpack can read (File is not a zip file)"


# -- real word processors ------------------------------------------------------------------

CONVERTED = [  # a few files, not all 24: LibreOffice takes seconds for each
    ("eastern-europe-1919-1938", "teacher", "classic", "letter"),
    ("soviet-union-1924-1935", "student", "classic", "a4"),
    ("reconciliation-and-disarmament-1921-1930", "student", "large-print", "letter"),
]


@pytest.fixture(scope="module")
def libreoffice_pdfs(rendered, tmp_path_factory):
    """The CONVERTED files as PDF text and page count, converted by LibreOffice in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) is not installed")
    folder = tmp_path_factory.mktemp("lo")
    files = []
    for key in CONVERTED:
        path = folder / ("-".join(key) + ".docx")
        path.write_bytes(rendered[key][1].data)
        files.append(str(path))
    profile = (folder / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *files], check=True, capture_output=True, timeout=180)
    out = {}
    for key, file in zip(CONVERTED, files):
        pdf = Path(file).with_suffix(".pdf")
        assert pdf.is_file(), f"LibreOffice did not convert {file}"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        out[key] = (text, pages, (float(size.group(1)), float(size.group(2))))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_libreoffice_renders_text_numbers_and_page_fields(rendered, libreoffice_pdfs):
    for key, (text, pages, size) in libreoffice_pdfs.items():
        h, _ = rendered[key]
        flat = _squash(text)
        assert h.title_text in flat
        lo, hi = (3, 14) if key[2] == "classic" else (6, 30)
        assert lo <= pages <= hi, (key, pages)
        width, height = (length_pt(v) for v in PAPER_SIZES[key[3]])
        assert size == pytest.approx((width, height), abs=1)
        # The PAGE/NUMPAGES fields are computed: the last page says "Page N of N".
        assert h.labels["page_of"].format(page=pages, pages=pages) in flat
        for q in h.worksheet.questions:
            # Word numbering is drawn: the number, then the prompt's first words.
            words = " ".join(plain(q.prompt).split()[:4])
            assert re.search(rf"(^|\s){q.number}\.\s+{re.escape(words)}", flat), (key, q.number)
            for choice in q.choices:
                first = " ".join(plain(choice.text).split()[:3])
                assert re.search(rf"{choice.letter}\.\s+{re.escape(first)}", flat), (key, q.number, choice.letter)
        assert "**" not in flat
        assert (h.labels["teacher_edition"] in flat) == h.is_teacher


def test_pandoc_reads_headings_and_ordered_lists(rendered, tmp_path):
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    for key in CONVERTED:
        h, d = rendered[key]
        path = tmp_path / "handout.docx"
        path.write_bytes(d.data)
        markdown = subprocess.run(["pandoc", "-t", "markdown-smart", "--wrap=none", str(path)], capture_output=True,
                                  text=True, check=True, timeout=60).stdout
        headings = [_norm(line) for line in markdown.splitlines() if line.startswith("#")]
        assert len(headings) >= len(h.sections)
        for title in (h.labels["objectives"], plain(h.worksheet.title), h.labels["discussion"]):
            assert any(line.startswith(_norm(title)) for line in headings), title
        numbered = [_norm(text) for text in re.findall(r"^\d+\.\s+(.*)$", markdown, re.M)]
        for q in h.worksheet.questions:
            assert any(text.startswith(_norm(plain(q.prompt))[:40]) for text in numbered), q.number
        lettered = re.findall(r"^([A-Z])\.\s+", markdown, re.M)  # choices survive as lettered lists
        assert lettered.count("A") >= sum(1 for q in h.worksheet.questions if q.kind == "multiple_choice")


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()
