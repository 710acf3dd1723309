"""DOCX handouts: reopen every file with python-docx, and let LibreOffice and pandoc read some.

Each DOCX of the sample unit (3 lessons × 2 editions × 2 styles × 2 papers) is rendered once per
module and checked for: the named style of every element, real Word numbering that gives the
model's numbers, fields in the footer, page size, no Markdown left over, and — in the student
edition — no answer at all. Whether the words match the PDF's is test_parity.py's job.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from conftest import REPO, own
from readback import Docx, Para

from lessonpack import load_pack
from lessonpack.handout import Handout, NUMBERING, Picture, PlanContext, plan
from lessonpack.items.fill_in_blank import Blank
from lessonpack.render.docx import reference_docx, render_docx, render_docx_with_warnings
from lessonpack.render.docx import styles as S
from lessonpack.render.docx.numbering import numbering_defs
from lessonpack.text.richtext import plain
from lessonpack.styles.geometry import PAPER_SIZES, Geometry
from lessonpack.styles.tokens import length_pt
from lessonpack.styles.loader import load_style
from lessonpack.render.docx.symbols import SYMBOLS_NAME
from lessonpack.styles.fonts import family_characters

SERIF = family_characters("Source Serif Pro")
EDITIONS = ("student", "teacher")
STYLES = ("classic", "large-print")
PAPERS = ("letter", "a4")
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def pack():
    return load_pack(REPO)


@pytest.fixture(scope="module")
def styles(pack):
    return {name: load_style(name, pack.root) for name in STYLES}


@pytest.fixture(scope="module")
def rendered(pack, styles):
    """Every DOCX of the sample unit: (lesson id, edition, style, paper) → (handout, Docx)."""
    out = {}
    for lesson in pack.lessons:
        for style in STYLES:
            for paper in PAPERS:
                context = PlanContext("Lessonpack Sample School · The Interwar Years (1919–1938)",
                                      Geometry.of(styles[style].tokens, paper))
                for edition in EDITIONS:
                    handout = plan(lesson, edition, context)
                    out[(lesson.id, edition, style, paper)] = (handout, Docx(render_docx(handout, styles[style],
                                                                                          paper)))
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
        end = next((i for i in range(start, end) if paras[i].style == S.SOURCE_TITLE), end)  # the next one's source
        while paras[end - 1].style == S.TABLE_TEXT and not paras[end - 1].in_table:  # a table's closing para
            end -= 1
        yield start, end, q


# -- structure and styles ------------------------------------------------------------------


def test_sections_headings_and_header_block_use_named_styles(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        where = f"{lesson_id}/{edition}/{style}/{paper}"
        first = d.paras[0]
        if h.is_teacher:  # the teacher's copy says whose it is instead of asking for a name
            assert (first.style, first.text) == (S.TEACHER_LABEL, h.masthead.banner), where
        else:
            assert first.style == S.NAME_LINE, where
            assert [w.strip() for w in first.text.split("\t") if w.strip()] == list(h.masthead.name_line)
        assert [p.text for p in d.styled(S.TITLE)] == [h.title_text], where
        assert [p.text for p in d.styled(S.SUBTITLE)] == [plain(h.subtitle)]
        assert d.styled(S.META)[0].text == h.meta_separator.join(f"{label} {plain(value)}"
                                                                    for label, value in h.meta)
        # Sections in the model's order and headings, page starts where the model says.
        headings = [p for p in d.paras if p.style in (S.HEADING1, S.HEADING2, S.WORKSHEET_TITLE)]
        assert [p.text for p in headings] == [plain(s.heading) for s in h.sections], where
        breaks = [p.el.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None for p in headings]
        assert breaks == [s.new_page for s in h.sections], where
        assert [p.style for p in headings] == [S.WORKSHEET_TITLE if s.kind == "worksheet" else
                                               S.HEADING2 if s.level == 3 else S.HEADING1 for s in h.sections]
        assert [p.text for p in d.styled(S.OBJECTIVE)] == [plain(o) for o in h.objectives]
        assert [p.label for p in d.styled(S.OBJECTIVE)] == ["\u2022"] * len(h.objectives)
        assert [(p.label, p.text) for p in d.styled(S.PROMPT)] == [(p.label, plain(p.text)) for p in h.prompts]


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
        assert [p.text for p in d.styled(S.READING_SOURCE)] == [f"{h.reading.source_label} {plain(h.reading.source)}"]


def test_glossary_box_and_answer_key_table(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        tables = d.doc.tables
        glossary = tables[0]
        assert glossary.style.name == S.GLOSSARY
        columns = h.glossary.columns
        assert columns == (2 if style == "classic" else 1)
        cells = [c for row in glossary.rows for c in row.cells]
        assert len(glossary.columns) == columns and len(glossary.rows) == -(-len(h.glossary.entries) // columns)
        for cell, (term, definition) in zip(cells, h.glossary.entries):
            assert cell.text == f"{plain(term)} \u2014 {plain(definition)}"
            assert cell.paragraphs[0].style.name == S.GLOSSARY_ENTRY
            assert cell.paragraphs[0].runs[0].style.name == S.KEY_TERM
        if h.is_teacher:
            key = tables[-1]
            assert key.style.name == S.TABLE
            assert key.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
            rows = [[c.text for c in r.cells] for r in key.rows]
            k = h.answer_key
            assert rows == [list(k.header)] + [[r.number, r.kind, r.answer, r.points] for r in k.rows + (k.total,)]
            assert rows[0] == ["#", "Question", "Answer", "Points"]
        else:
            assert all(t.style.name != S.TABLE or len(t.columns) == 3 for t in tables)  # matching only


def test_questions_are_auto_numbered_from_the_models_formats(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        questions = d.styled(S.QUESTION)
        model = h.worksheet.questions
        assert len({p.num for p in questions}) == 1  # one list: the worksheet's
        assert [p.label for p in questions] == [q.label for q in model]
        for para, q in zip(questions, model):
            assert not re.match(r"\s*\d+[.)]", para.text)  # no typed number
            head = " ".join(filter(None, [q.use_source, plain(q.prompt)]))  # "Use Source B." first
            assert para.text == f"{head}\t{q.points_label.replace(' ', NBSP)}"
            assert para.runs[-1][0] == S.POINTS


def test_choices_are_auto_lettered_restart_per_question_and_sit_as_the_model_says(rendered):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        paras = d.paras
        seen: set[int] = set()
        for start, end, q in _question_blocks(paras, h):
            if q.kind != "multiple_choice":
                continue
            choices = [p for p in paras[start:end] if p.style == S.CHOICE]
            assert len(choices) == len(q.choices)
            (num,) = {p.num for p in choices}
            assert num not in seen  # a list of its own for every question…
            seen.add(num)
            assert [p.label for p in choices] == [c.label for c in q.choices]  # …from A again
            assert all(p.in_table for p in choices) == (q.choices_per_row == 2)
            for para, choice in zip(choices, q.choices):
                assert para.text.startswith(plain(choice.text))
                marks = [t for st, t in para.runs if st == S.ANSWER_MARK]
                assert "".join(marks) == (f" {h.correct_mark}" if choice.correct else "")  # (✔ in runs of its own)
                assert bool([st for st, _ in para.runs if st == S.ANSWER_CHAR]) == choice.correct


def test_question_parts_writing_lines_blanks_matching_ordering(rendered, styles):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        paras = d.paras
        for start, end, q in _question_blocks(paras, h):
            block = paras[start:end]
            if q.kind in ("essay", "short_answer"):
                w = q.writing
                assert [p.style for p in block if p.style in (S.WRITING_LINE, S.ANSWER)] == (
                    [S.ANSWER] * w.answer_lines + [S.WRITING_LINE] * w.blank_lines)
                assert all(p.text == "" for p in block if p.style == S.WRITING_LINE)
                # The model answer is written on the writing lines, a line of it in each paragraph, as the model
                # broke it (so the teacher's copy has the student's lines), every word of it there.
                assert [p.text for p in block if p.style == S.ANSWER] == [plain(r) for r in w.answer_rows]
                assert " ".join(p.text for p in block if p.style == S.ANSWER) == (" ".join(plain(w.answer).split())
                                                                                  if w.answer else "")
                assert [p.text for p in block if p.style == S.RUBRIC] == [plain(r) for r in own(q, "rubric")]
            elif q.kind == "true_false":
                (tf,) = [p for p in block if p.style == S.TRUE_FALSE]
                assert tf.text.replace(f" {h.correct_mark}", "").split("\t") == [plain(o.text) for o in q.options]
                correct = [plain(o.text) for o in q.options if o.correct]
                assert [t for st, t in tf.runs if st == S.ANSWER_CHAR] == correct[:1]
                assert "".join(t for st, t in tf.runs if st == S.ANSWER_MARK) == (f" {h.correct_mark}" if correct
                                                                                  else "")
                assert [st for st, _ in tf.runs if st in (S.ANSWER_CHAR, S.ANSWER_MARK)][:1] == (
                    [S.ANSWER_CHAR] if correct else [])  # the answer, then its mark
            elif q.kind == "fill_in_blank":
                (fill,) = [p for p in block if p.style == S.FILL_IN]
                blanks = [s for s in q.segments if isinstance(s, Blank)]
                assert [t for st, t in fill.runs if st == S.BLANK_NUMBER] == [str(b.number) for b in blanks]
                assert all(set(t) == {NBSP} for st, t in fill.runs if st == S.BLANK)
                answers = [t.replace(NBSP, " ") for st, t in fill.runs if st == S.BLANK_ANSWER]
                assert answers == [b.answer for b in blanks if b.answer]
                assert "[[" not in fill.text
                if q.word_bank:
                    (bank,) = [p for p in block if p.style == S.WORD_BANK]
                    label, words = bank.text.split("\n", 1)
                    assert label == q.word_bank_label
                    # Phrases never break inside: their spaces are no-break spaces.
                    assert words.split("\u00a0\u00a0\u00a0\u00b7   ") == [w.replace(" ", NBSP) for w in q.word_bank]
            elif q.kind == "matching":
                items = [p for p in block if p.style == S.MATCH_ITEM]
                # Row by row as the model pairs them (distractors make the right column longer).
                assert [p.label for p in items] == [cell.label for row in q.rows for cell in row if cell is not None]
                letters = [t for p in block for st, t in p.runs if st == S.BLANK_ANSWER]
                assert letters == [row.answer for row in q.left if row.answer]
            elif q.kind == "ordering":
                boxes = [p for p in block if p.style == S.ORDER_BOX]
                shown = [p.text.strip(NBSP) for p in boxes]
                assert shown == [str(e.position) if e.position else "" for e in q.events]
            # Word keeps a question together: every paragraph but the last keeps with the next, except in
            # a table's last row (which would chain the table to the next question instead).
            def last_row(el) -> bool:
                row = next((a for a in el.iterancestors() if a.tag == qn("w:tr")), None)
                return row is not None and row.getnext() is None

            keep = [p.el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in block]
            if q.keep_whole or len(block) < 7:
                wanted = [not last_row(p.el) for p in block[:-1]] + [False]
                if q.fills_page and any(p.style == S.TEACHER_LABEL for p in block):  # lines filling their page:
                    rubric = next(n for n, p in enumerate(block) if p.style == S.TEACHER_LABEL)  # the rubric goes
                    wanted[rubric - 1] = False  # on over, taking none of them
                assert keep == wanted, (lesson_id, edition, q.number)
            else:  # a tall question may go on over the page: its prompt holds the next two parts, and no more
                assert keep[:3] == [True, True, True] and not keep[-1], (lesson_id, edition, q.number)
                assert not all(keep[3:-3]), (lesson_id, edition, q.number)

        # A writing line is an empty bordered paragraph, exactly writing_line apart; so are the answer's lines.
        for name in (S.WRITING_LINE, S.ANSWER):
            assert d.doc.styles[name].paragraph_format.line_spacing.pt == pytest.approx(
                length_pt(styles[style].tokens.writing_line), abs=0.05)
        border = d.doc.styles[S.WRITING_LINE].element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        assert border.find(qn("w:bottom")) is not None and border.find(qn("w:between")) is not None


def test_direct_formatting_is_only_markdown_page_starts_and_cell_indents(rendered):
    run_props = {qn(t) for t in ("w:rStyle", "w:b", "w:bCs", "w:i", "w:iCs")}
    field_props = {qn("w:noProof")}  # the cached value of a page field
    para_props = {qn(t) for t in ("w:pStyle", "w:numPr", "w:keepNext", "w:pageBreakBefore", "w:ind")}
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        for r in d.doc.element.body.iter(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            in_field = r.getparent().tag == qn("w:fldSimple")
            if rpr is not None:
                # A character the text's font lacks (the teacher edition's ✔) names the bundled symbols font, as
                # Word's Insert Symbol does: that run alone, holding nothing else.
                fonts = rpr.find(qn("w:rFonts"))
                symbol = (fonts is not None and set(fonts.attrib.values()) == {SYMBOLS_NAME}
                          and all(ord(ch) not in SERIF for t in r.iter(qn("w:t")) for ch in t.text or ""))
                assert {c.tag for c in rpr} <= run_props | (field_props if in_field else set()) | (
                    {qn("w:rFonts")} if symbol else set()), (lesson_id, [c.tag for c in rpr])
        for p in d.paras:
            ppr = p.el.find(qn("w:pPr"))
            assert ppr is not None and ppr.find(qn("w:pStyle")) is not None  # every paragraph is styled
            # A source table's column of figures lines them up on a decimal tab stop at the model's point, which
            # differs from column to column: the one paragraph property a named style cannot carry.
            decimal = (p.style == S.SOURCE_TABLE_TEXT and p.in_table and ppr.find(qn("w:tabs")) is not None
                       and {t.get(qn("w:val")) for t in ppr.find(qn("w:tabs"))} == {"decimal"})
            assert {c.tag for c in ppr} <= para_props | ({qn("w:tabs")} if decimal else set()), (
                lesson_id, p.style, [c.tag for c in ppr])
            if ppr.find(qn("w:ind")) is not None:
                assert p.style == S.CHOICE and p.in_table  # choices two to a row, indented by their table
        text = d.all_text()
        assert "**" not in text and "[[" not in text and "__" not in text


def test_page_size_margins_running_text_fields_and_properties(rendered, styles):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        section = d.doc.sections[0]
        width, height = (length_pt(v) for v in PAPER_SIZES[paper])
        assert section.page_width.pt == pytest.approx(width, abs=0.1)
        assert section.page_height.pt == pytest.approx(height, abs=0.1)
        assert section.left_margin.pt == pytest.approx(length_pt(styles[style].tokens.margins.left), abs=0.1)
        running = h.running
        assert d.running() == {"top-left": running.header_left, "top-right": running.header_right,
                               "bottom-left": running.footer_left, "bottom-right": "Page 1 of 1"}
        footer = section.footer._element
        assert [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]
        info = h.document
        assert d.metadata() == {"title": info.title, "author": info.author, "subject": info.subject,
                                "keywords": ", ".join(info.keywords), "language": info.language}
        # Headings carry outline levels through their Word base styles.
        for name, level in ((S.HEADING1, 0), (S.HEADING2, 1), (S.WORKSHEET_TITLE, 0)):
            base = d.doc.styles[name]
            while base.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is None:
                base = base.base_style
            assert base.name == f"Heading {level + 1}"
            assert base.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == str(level)
        assert f'w:lang w:val="{h.language}"' in d.xml("word/styles.xml")


def test_word_styles_name_the_fonts_the_pdf_uses(rendered, styles):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        tokens = styles[style].tokens
        assert d.doc.styles["Normal"].font.name == tokens.fonts.body[0] == tokens.word_body
        assert d.doc.styles["Heading 1"].font.name == tokens.fonts.heading[0] == tokens.word_heading
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
            if q.writing and q.writing.answer:
                secrets.append(plain(q.writing.answer))
            secrets += [plain(r) for r in own(q, "rubric")]
        secrets += [plain(p.notes) for p in teacher.prompts if p.notes]
        secrets += [plain(b.spans) or " ".join(plain(i) for i in b.items) for b in teacher.overview.notes]
        secrets += [k.answer for k in teacher.answer_key.rows
                    if k.kind != teacher.labels["type_true_false"]]  # "True" is an option
        secrets += [teacher.labels["teacher_edition"], teacher.labels["answer_key"], teacher.labels["rubric"],
                    teacher.labels["prompt_notes"], teacher.labels["reading_stats"]]
        assert len(secrets) > 20
        teacher_text, student_text = teacher_doc.all_text(), student.all_text()
        for secret in secrets:
            assert secret in teacher_text, secret
            assert secret not in student_text, secret
        assert teacher.correct_mark in teacher_text and teacher.correct_mark not in student_text
        answer_styles = {S.ANSWER, S.ANSWER_CHAR, S.ANSWER_MARK, S.BLANK_ANSWER, S.PROMPT_NOTE, S.RUBRIC,
                         S.TEACHER_LABEL, S.TEACHER_NOTE, S.STATS}
        used = {p.style for p in student.paras} | {st for p in student.paras for st, _ in p.runs}
        assert not used & answer_styles
        used_teacher = {p.style for p in teacher_doc.paras} | {st for p in teacher_doc.paras for st, _ in p.runs}
        assert answer_styles <= used_teacher
        assert len(student.styled(S.QUESTION)) == len(student_h.worksheet.questions)


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
    handout = plan(pack.lessons[1], "teacher")  # the model carries the date
    stamped = render_docx(handout, styles["classic"], "a4")
    assert stamped != first and render_docx(handout, styles["classic"], "a4") == stamped
    assert docx.Document(io.BytesIO(stamped)).core_properties.created.year == 2023
    assert reference_docx(styles["classic"]) == reference_docx(styles["classic"])


# -- reference documents -------------------------------------------------------------------


def _style_names(d: Docx) -> dict[str, str]:
    return {s.find(qn("w:name")).get(qn("w:val")): s.get(qn("w:type"))
            for s in d.doc.styles.element.findall(qn("w:style"))}


def test_reference_docx_shows_every_style_at_least_once(styles):
    for name, style in styles.items():
        d = Docx(reference_docx(style))
        defs = S.style_defs(Geometry.of(style.tokens, "letter"))
        lp = [x.name for x in defs if x.name.startswith(S.PREFIX)]
        assert len(lp) >= 40
        assert set(lp) <= set(_style_names(d))
        used = ({p.style for p in d.paras} | {st for p in d.paras for st, _ in p.runs}
                | {d.names[t.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}").get(qn("w:val"))]
                   for t in d.doc.element.body.iter(qn("w:tbl"))})  # a source's table is inside its frame
        for section in d.doc.sections:
            used |= {p.style.name for p in section.header.paragraphs + section.footer.paragraphs}
        assert set(lp) - used == set(), name
        assert d.doc.styles["Normal"].font.size.pt == style.tokens.size


def test_word_lists_use_the_models_number_formats(styles):
    formats = {d.name: d.word_format for d in numbering_defs(Geometry.of(styles["classic"].tokens, "letter"))}
    assert formats[S.NUM_QUESTIONS] == ("decimal", NUMBERING["question"].replace("{n}", "%1"))
    assert formats[S.NUM_CHOICES] == ("upperLetter", NUMBERING["choice"].replace("{L}", "%1"))
    assert formats[S.NUM_MATCH_LETTERS] == ("upperLetter", NUMBERING["match_right"].replace("{L}", "%1"))


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
    source = edited.styles[S.READING_SOURCE].element
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
    assert warnings == [f'{root / "styles/classic/reference.docx"} has no Word style "{S.READING_SOURCE}"; added it with the '
                        "default look"]
    d = Docx(data)
    lp_question = d.doc.styles[S.QUESTION]
    assert lp_question.font.size.pt == 19 and lp_question.font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert len(d.styled(S.QUESTION)) == len(handout.worksheet.questions)
    assert d.doc.styles[S.READING_SOURCE].font.italic is True  # added back, with the default look
    assert len(d.styled(S.READING_SOURCE)) == 1
    assert [p.label for p in d.styled(S.QUESTION)] == [f"Q{q.number})" for q in handout.worksheet.questions]
    assert [p.label for p in d.styled(S.CHOICE)][:2] == ["A", "B"]
    assert "(LP Title)" not in d.all_text()  # the reference's own text never reaches a handout
    assert render_docx(handout, style, "letter") == data  # the thin wrapper drops only the warnings


def test_unreadable_pack_reference_docx_is_a_clear_error(pack, tmp_path):
    root = _pack_with_reference(tmp_path, b"not a zip file")
    from lessonpack import check

    shutil.copytree(REPO / "lessons", root / "lessons")
    problems = [d for d in check(root).errors if d.file.endswith("reference.docx")]  # by check, before any build
    (problem,) = problems
    assert (problem.file, problem.line, problem.column) == (str(root / "styles/classic/reference.docx"), 1, 1)
    assert problem.message == "not a Word document that lessonpack can read (File is not a zip file)"


# -- pandoc --------------------------------------------------------------------------------

CONVERTED = [
    ("eastern-europe-1919-1938", "teacher", "classic", "letter"),
    ("soviet-union-1924-1935", "student", "classic", "a4"),
    ("reconciliation-and-disarmament-1921-1930", "student", "large-print", "letter"),
]


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
        for section in h.sections:
            assert any(line.startswith(_norm(plain(section.heading))) for line in headings), section.kind
        numbered = [_norm(text) for text in re.findall(r"^\d+\.\s+(.*)$", markdown, re.M)]
        for q in h.worksheet.questions:
            head = _norm(" ".join(filter(None, [q.use_source, plain(q.prompt)])))
            assert any(text.startswith(head[:40]) for text in numbered), q.number


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def test_bookmarks_are_unique_and_the_key_pointer_finds_its_own(sample_builds):
    """Long lesson ids once cut every bookmark to the same 40 characters; the pointer then found the first."""
    for lesson in (REPO / "lessons").glob("*.yaml"):
        d = Docx((sample_builds["classic"] / lesson.stem / f"{lesson.stem}-teacher.docx").read_bytes())
        names = [e.get(qn("w:name")) for e in d.doc.element.body.iter(qn("w:bookmarkStart"))]
        assert len(names) == len(set(names)) and all(len(n) <= 40 for n in names), lesson.stem
        (target,) = re.findall(r"PAGEREF (\S+)", " ".join(e.get(qn("w:instr")) for e in
                                                          d.doc.element.body.iter(qn("w:fldSimple"))))
        key_heading = next(p for p in d.paras if p.text == "Answer key")
        marks = [e.get(qn("w:name")) for e in key_heading.el.iter(qn("w:bookmarkStart"))]
        assert marks == [target], lesson.stem
        assert d.doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


# -- print review: what LibreOffice showed on paper ------------------------------------------------

FLOOR = {"classic": 8.0, "large-print": 12.0}
"""No type under 8 pt, 12 in large print (as test_classroom checks for the PDF)."""

LONG_KEY = """title: A Long Answer Key
reading:
  text: |
    The League met in Geneva. It had no army, and its members acted only when they agreed.
  source: Written for this test.
content_warning: |
  A warning before the lesson.

  - A first point to watch.
  - A second point to watch, long enough to run over one line of the box in either style of the pack.
worksheet:
  items:
{items}
    - type: essay
      prompt: How fragile was the peace?
      lines: 24
      rubric: [Uses evidence, Reaches a judgement, Weighs both sides, Writes clearly]
"""


def _long_key_lesson():
    """A lesson whose answer key is longer than a table kept whole, with a tall essay and a rubric."""
    from lessonpack.load.model import LessonFile
    from lessonpack.load.validate import validate_lesson
    from lessonpack.load.yamlsource import SourceMap, parse_yaml

    items = "\n".join(f"    - {{type: true_false, prompt: Statement {n} is true., answer: true}}" for n in range(1, 19))
    doc = parse_yaml(LONG_KEY.format(items=items).encode("utf-8"), SourceMap("long-key.yaml"))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, problems
    return LessonFile("long-key.yaml", Path("long-key.yaml"), lesson)


@pytest.fixture(scope="module")
def long_key(styles):
    """The long-key lesson's teacher edition in both styles: style → (handout, Docx)."""
    lesson = _long_key_lesson()
    out = {}
    for style in STYLES:
        handout = plan(lesson, "teacher", PlanContext(None, Geometry.of(styles[style].tokens, "letter")))
        out[style] = (handout, Docx(render_docx(handout, styles[style], "letter")))
    return out


def _keeps_next(p: Para) -> bool:
    return p.el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def _resolved(d: Docx, p: Para, tag: str):
    """A paragraph property element as Word resolves it: the paragraph's own, else its style's, up the
    basedOn chain (None when no style sets it)."""
    own = p.el.find(f"{qn('w:pPr')}/{qn(tag)}")
    if own is not None:
        return own
    style = d.doc.styles[p.style]
    while style is not None:
        found = style.element.find(f"{qn('w:pPr')}/{qn(tag)}")
        if found is not None:
            return found
        style = style.base_style
    return None


def _indent(d: Docx, p: Para, attr: str) -> int:
    """One attribute of w:ind (left, right, hanging) in twips, resolved attribute by attribute."""
    own = p.el.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    chain = [own] if own is not None else []
    style = d.doc.styles[p.style]
    while style is not None:
        chain.append(style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}"))
        style = style.base_style
    return next((int(ind.get(qn(f"w:{attr}"))) for ind in chain
                 if ind is not None and ind.get(qn(f"w:{attr}")) is not None), 0)


def test_the_reading_source_line_never_stands_alone_at_the_top_of_a_page(rendered, long_key):
    """The last reading paragraph keeps with the "Source: …" line under it."""
    cases = [(k, v) for k, v in _cases(rendered)] + [(("long-key", "teacher", s, "letter"), v)
                                                      for s, v in long_key.items()]
    checked = 0
    for key, (h, d) in cases:
        if not (h.reading and h.reading.source):
            continue
        i = next(n for n, p in enumerate(d.paras) if p.style == S.READING_SOURCE)
        before = d.paras[i - 1]
        _, last = h.reading.paragraphs[-1]
        if not isinstance(last, Picture):
            assert before.style == S.READING and before.text.endswith(plain(last.spans)), key
        assert _keeps_next(before), key
        checked += 1
    assert checked > len(long_key)


def _etree_string(el) -> str | None:
    from lxml import etree

    return None if el is None else etree.tostring(el, encoding="unicode")


def test_the_content_warning_is_one_box_kept_together(rendered, long_key):
    """Its text and its bullets share one border (Word and LibreOffice join identical paragraph borders
    with the same left edge and right indent into one box), each paragraph kept with the next."""
    checked = 0
    cases = _cases(rendered) + [(("long-key", "teacher", s, "letter"), v) for s, v in long_key.items()]
    for (lesson_id, edition, style, paper), (h, d) in cases:
        o = h.overview
        if o is None or not o.warning:
            continue
        paras = d.paras
        start = next(n for n, p in enumerate(paras) if p.style == S.HEADING3 and p.text == o.warning_label)
        end = next(n for n in range(start + 1, len(paras))  # the next heading (objectives, notes or a section)
                   if paras[n].style in (S.HEADING1, S.HEADING2, S.HEADING3, S.WORKSHEET_TITLE))
        box = paras[start + 1:end]
        assert len(box) == sum(len(b.items) if b.items else 1 for b in o.warning), lesson_id
        borders = {_etree_string(_resolved(d, p, "w:pBdr")) for p in box}
        assert len(borders) == 1 and None not in borders, (lesson_id, style)
        (frame,) = borders
        assert all(f"<w:{side} " in frame for side in ("top", "left", "bottom", "right"))
        edges = {(_indent(d, p, "left") - _indent(d, p, "hanging"), _indent(d, p, "right")) for p in box}
        assert len(edges) == 1, (lesson_id, style, edges)
        assert [_keeps_next(p) for p in box] == [True] * (len(box) - 1) + [False], (lesson_id, style)
        assert all(_resolved(d, p, "w:keepLines") is not None for p in box)
        bullets = [p for p in box if p.style == S.WARNING_LIST]
        assert [p.text for p in bullets] == [f"\t\u2022\t{plain(i)}" for b in o.warning if b.kind == "bullets"
                                             for i in b.items]
        assert d.paras[start].style == S.HEADING3 and _resolved(d, d.paras[start], "w:keepNext") is not None
        checked += bool(bullets)  # bullets after the text: the case that left the box
    assert checked >= len(long_key)


def test_blank_numbers_are_set_at_full_size_on_the_baseline(rendered):
    """LibreOffice reads a character style's w:position as automatic subscript at 58 %: the number
    before a blank came out at 4.6 pt. No raise, no superscript: the style's own size, at least the floor."""
    seen = set()
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        if style in seen:
            continue
        seen.add(style)
        st = d.doc.styles[S.BLANK_NUMBER]
        chain = []
        while st is not None:
            chain.append(st)
            st = st.base_style
        for s in chain:
            rpr = s.element.find(qn("w:rPr"))
            if rpr is not None:
                assert rpr.find(qn("w:position")) is None and rpr.find(qn("w:vertAlign")) is None, s.name
        size = next(s.font.size.pt for s in chain + [d.doc.styles["Normal"]] if s.font.size is not None)
        assert size >= FLOOR[style] - 0.05, (style, size)
        assert d.doc.styles[S.BLANK_NUMBER].font.subscript is not True
    assert seen == set(STYLES)


def test_the_answer_keys_total_row_keeps_the_row_before_it(rendered, long_key):
    """However long the key, its total row never stands alone under the repeated header row."""
    cases = [(k, v) for k, v in _cases(rendered) if k[1] == "teacher"] + [
        (("long-key", "teacher", s, "letter"), v) for s, v in long_key.items()]
    assert any(len(d.doc.tables[-1].rows) > 14 for _, (h, d) in cases)  # longer than a table kept whole
    for key, (h, d) in cases:
        table = d.doc.tables[-1]
        assert [c.text for c in table.rows[-1].cells][2:] == [h.answer_key.total.answer, h.answer_key.total.points]
        second, total = table.rows[-2], table.rows[-1]
        for row in (second, total):
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None, key
        for cell in second.cells:
            for p in cell.paragraphs:
                assert p.paragraph_format.keep_with_next, key


def test_the_essay_rubric_stays_with_the_last_writing_line_and_whole(rendered, long_key):
    """As in the PDF (the rubric breaks neither inside nor before itself): the last line (or the model
    answer) keeps the rubric's title, and the title and every criterion but the last keep with the next —
    except under lines that fill their page, which the rubric goes on from, taking none of them."""
    cases = [(k, v) for k, v in _cases(rendered) if k[1] == "teacher"] + [
        (("long-key", "teacher", s, "letter"), v) for s, v in long_key.items()]
    tall = fills = 0
    for key, (h, d) in cases:
        paras = d.paras
        for start, end, q in _question_blocks(paras, h):
            if q.kind != "essay" or not q.rubric:
                continue
            block = paras[start:end]
            title = next(n for n, p in enumerate(block) if p.style == S.TEACHER_LABEL and p.text == q.rubric_label)
            rubric = block[title + 1:]
            assert [p.text for p in rubric] == [plain(r) for r in own(q, "rubric")], key
            assert block[title - 1].style in (S.WRITING_LINE, S.ANSWER), key
            chain = block[title - 1:]
            line_keeps = not q.fills_page
            assert [_keeps_next(p) for p in chain] == [line_keeps] + [True] * (len(chain) - 2) + [False], \
                (key, q.number)
            fills += q.fills_page
            tall += not q.keep_whole
    assert tall >= 2  # the long-key essay may go on over the page: its keeps are not the whole question's
    assert fills >= 1  # the flagship's closing essay fills its page


def test_a_word_bank_line_never_starts_with_the_separator(rendered):
    """The middle dot is tied to the entry before it by no-break spaces; a line may break only after it,
    at plain spaces (LibreOffice breaks before a dot that an em or en space follows)."""
    from lessonpack.render.docx.draw import BANK_SEPARATOR

    dot = BANK_SEPARATOR.index("\u00b7")
    assert dot > 0 and set(BANK_SEPARATOR[:dot]) == {NBSP}  # nothing before the dot can break
    assert set(BANK_SEPARATOR[dot + 1:]) == {" "}  # after it, only spaces a line may break at and hang
    checked = 0
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        for bank in d.styled(S.WORD_BANK):
            _, words = bank.text.split("\n", 1)
            entries = words.split(BANK_SEPARATOR)
            assert len(entries) > 2
            for entry in entries:
                assert entry and not re.search(r"[\s\u00b7]", entry.replace(NBSP, "")) and entry[-1] != NBSP
            # The only break opportunities are the separators' plain spaces.
            assert set(re.findall(r"\s", words)) <= {NBSP, " "}
            assert words.count(" ") == 3 * (len(entries) - 1)
            checked += 1
    assert checked >= 4


# -- the same, on paper: LibreOffice lays the DOCX out ---------------------------------------------

LAID_OUT = [("soviet-union-1924-1935", "teacher", "classic"), ("soviet-union-1924-1935", "teacher", "large-print"),
            ("eastern-europe-1919-1938", "student", "classic")]


@pytest.fixture(scope="module")
def libreoffice_pdfs(libreoffice_samples):
    """A few sample DOCX files as LibreOffice lays them out: (lesson, edition, style) → PDF."""
    return {key: libreoffice_samples[key] for key in LAID_OUT}


@pytest.mark.libreoffice
def test_libreoffice_sets_no_type_under_the_floor_blank_numbers_included(libreoffice_pdfs):
    import pdfplumber

    for (lesson, edition, style), pdf in libreoffice_pdfs.items():
        with pdfplumber.open(pdf) as doc:
            chars = [c for page in doc.pages for c in page.chars if c["text"].strip()]
            words = [w for page in doc.pages for w in page.extract_words(extra_attrs=["size"])]
        small = sorted({(round(c["size"], 1), c["text"]) for c in chars if c["size"] < FLOOR[style] - 0.05})
        assert not small, (lesson, edition, style, small[:10])
        # The blank numbers are there, at the floor or above: digits set smaller than the body.
        body = max({round(c["size"], 1) for c in chars}, key=[round(c["size"], 1) for c in chars].count)
        numbers = [w for w in words if w["text"].isdigit() and w["size"] < body - 1]
        assert len(numbers) >= 4, (lesson, style)


@pytest.mark.libreoffice
def test_libreoffice_draws_the_content_warning_as_one_box(libreoffice_pdfs, rendered):
    import pdfplumber

    for (lesson, edition, style), pdf in libreoffice_pdfs.items():
        if edition != "teacher":
            continue
        h = rendered[(lesson, edition, style, "letter")][0]
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[0]
            words = page.extract_words()
            heading = next(w for w in words if w["text"] == h.overview.warning_label.split()[-1])
            after = next(w for w in words if w["text"] == h.overview.objectives_label.split()[-1]
                         and w["top"] > heading["bottom"])
            inside = [w for w in words if heading["bottom"] < w["top"] and w["bottom"] < after["top"]]
            rules = {round(e["top"]) for e in page.edges if e["orientation"] == "h"
                     and heading["bottom"] < e["top"] < after["top"] and e["x1"] - e["x0"] > page.width / 2}
        assert len(rules) == 2, (style, rules)  # the box's top and bottom: one box
        top, bottom = sorted(rules)
        assert len(inside) > 40
        assert all(top < w["top"] and w["bottom"] < bottom for w in inside), (style, [
            w["text"] for w in inside if not top < w["top"] < bottom][:8])


@pytest.mark.libreoffice
def test_libreoffice_starts_no_word_bank_line_with_the_separator(libreoffice_pdfs):
    import pdfplumber

    for (lesson, edition, style), pdf in libreoffice_pdfs.items():
        with pdfplumber.open(pdf) as doc:
            lines = [line["text"] for page in doc.pages for line in page.extract_text_lines()]
        assert any("\u00b7" in line for line in lines)
        assert not [line for line in lines if line.lstrip().startswith("\u00b7")], (lesson, style)
