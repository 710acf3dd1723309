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

from conftest import REPO
from readback import Docx, Para

from lessonpack import load_pack
from lessonpack.errors import LessonpackError
from lessonpack.handout import Blank, Handout, NUMBERING, PlanContext, plan
from lessonpack.render.docx import reference_docx, render_docx, render_docx_with_warnings
from lessonpack.render.docx import styles as S
from lessonpack.render.docx.numbering import numbering_defs
from lessonpack.richtext import plain
from lessonpack.styles import PAPER_SIZES, Geometry, length_pt, load_style

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
        assert d.styled(S.META)[0].text == "\u2003\u00b7\u2003".join(f"{label} {plain(value)}"
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
                assert marks == ([f" {h.correct_mark}"] if choice.correct else [])
                assert bool([st for st, _ in para.runs if st == S.ANSWER_CHAR]) == choice.correct


def test_question_parts_writing_lines_blanks_matching_ordering(rendered, styles):
    for (lesson_id, edition, style, paper), (h, d) in _cases(rendered):
        paras = d.paras
        for start, end, q in _question_blocks(paras, h):
            block = paras[start:end]
            if q.kind in ("essay", "short_answer"):
                w = q.writing
                assert [p.style for p in block if p.style in (S.WRITING_LINE, S.ANSWER)] == (
                    [S.ANSWER] * bool(w.answer) + [S.WRITING_LINE] * w.blank_lines)
                assert all(p.text == "" for p in block if p.style == S.WRITING_LINE)
                # The model answer flows as one paragraph (no manual breaks), a tab carrying its last rule.
                assert [p.text for p in block if p.style == S.ANSWER] == ([plain(w.answer) + "\t"] if w.answer
                                                                          else [])
                assert [p.text for p in block if p.style == S.RUBRIC] == [plain(r) for r in q.rubric]
            elif q.kind == "true_false":
                (tf,) = [p for p in block if p.style == S.TRUE_FALSE]
                assert tf.text.replace(f" {h.correct_mark}", "").split("\t") == [plain(o.text) for o in q.options]
                marked = [t for st, t in tf.runs if st in (S.ANSWER_CHAR, S.ANSWER_MARK)]
                correct = [plain(o.text) for o in q.options if o.correct]
                assert marked == ([correct[0], f" {h.correct_mark}"] if correct else [])
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
                    assert words.split("\u2003\u00b7\u2003") == [w.replace(" ", NBSP) for w in q.word_bank]
            elif q.kind == "matching":
                items = [p for p in block if p.style == S.MATCH_ITEM]
                rows = max(len(q.left), len(q.right))  # distractors make the right column longer
                assert [p.label for p in items] == [x for i in range(rows) for x in (
                    [q.left[i].label] if i < len(q.left) else []) + ([q.right[i].label] if i < len(q.right) else [])]
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
                assert keep == [not last_row(p.el) for p in block[:-1]] + [False], (lesson_id, edition, q.number)
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
                assert {c.tag for c in rpr} <= run_props | (field_props if in_field else set()), lesson_id
        for p in d.paras:
            ppr = p.el.find(qn("w:pPr"))
            assert ppr is not None and ppr.find(qn("w:pStyle")) is not None  # every paragraph is styled
            assert {c.tag for c in ppr} <= para_props, (lesson_id, p.style, [c.tag for c in ppr])
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
            secrets += [plain(r) for r in q.rubric]
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
                | {t.style.name for t in d.doc.tables})
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
    with pytest.raises(LessonpackError) as caught:  # found when the style loads: by check, before any build
        load_style("classic", root)
    (problem,) = caught.value.diagnostics
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
