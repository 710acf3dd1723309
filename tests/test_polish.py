"""What teachers found building the sample unit and the example packs, each checked on real files.

A small pack (``POLISH``: a reading with emphasis and a line ended by a backslash, a source, a fill-in text with
quotes round a blank and apostrophes, short answers and a source analysis with model answers) is built once in
each style, as PDF and Word; the Word documents are also laid out by LibreOffice, as an editor's word
processor lays them out. The PDFs are read back with pdfplumber (word boxes, fonts, lines), the Word documents
reopened with python-docx (tests/readback.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
import yaml
from docx.oxml.ns import qn

from conftest import REPO, libreoffice_to_pdf, make_unit
from readback import Docx, pdf_text

from lessonpack.building.builder import build
from lessonpack.building.jobs import resolve
from lessonpack.handout import PlanContext, plan
from lessonpack.load.pack import load_pack
from lessonpack.render.docx import styles as S
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style
from lessonpack.text.readability import compare_grade, reading_stats

POLISH = """\
title: Stalin's Rise to Power
subject: History
grade: "9–10"
reading:
  title: From Lenin's Heir to Ruler
  text: |
    After Lenin died in 1924, Stalin was *not* the obvious heir; Trotsky was far better known.
    This sentence is written on two lines of the file but is one line of the paragraph.

    Lenin wrote of Stalin:\\
    "He is too rude."
sources:
  - title: Lenin's testament
    text: Stalin is too rude, and this defect becomes intolerable in a General Secretary.
    citation: Lenin, letter to the party congress, January 1923.
worksheet:
  items:
    - type: fill_in_blank
      text: >-
        Stalin called his plan "[[socialism in one country]]", and it's [[Bukharin]]'s support that he
        needed first, not [[Lenin's heir|heir]]'s.
      extra: ["Trotsky's plan"]
    - type: short_answer
      prompt: Why did Lenin's warning do Stalin so little harm?
      lines: 5
      answer: >-
        The testament was read only to a few delegates and never published, so most party members never
        heard Lenin's warning, and Stalin's allies on the Central Committee agreed to keep it quiet while
        he went on building support among the new members he had appointed to jobs across the party.
    - type: source_analysis
      source: A
      parts:
        - {part: value, answer: "It shows what Lenin himself thought of Stalin's character, in his own words, only a year before he died and long before anyone knew what Stalin would become."}
        - limitation
"""


def pack_with(folder: Path, lessons: dict[str, str],
              config: str = "title: Polish\nschool: Test School\npage_breaks: {worksheet: always}\n") -> Path:
    (folder / "lessons").mkdir(parents=True)
    for name, text in lessons.items():
        (folder / "lessons" / f"{name}.yaml").write_text(text, encoding="utf-8")
    (folder / "lessonpack.yaml").write_text(config, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The POLISH lesson built as PDF and Word, both editions, in each style: (style, edition, ext) → path. The
    worksheet starts a page, so the student's has the name line again and the score box."""
    root = pack_with(tmp_path_factory.mktemp("polish"), {"stalin": POLISH})
    out = {}
    for style in ("classic", "large-print"):
        result = build(root, out_dir=root / style, formats=["pdf", "docx"], style=style, with_pack=False, jobs=1)
        assert result.ok, result.failed
        for edition in ("student", "teacher"):
            for ext in ("pdf", "docx"):
                out[style, edition, ext] = root / style / "stalin" / f"stalin-{edition}.{ext}"
    return out


@pytest.fixture(scope="module")
def laid_out(built, tmp_path_factory):
    """The classic Word documents, laid out by LibreOffice: edition → PDF."""
    folder = tmp_path_factory.mktemp("libreoffice")
    files = []
    for edition in ("student", "teacher"):
        files.append(folder / f"stalin-{edition}.docx")
        shutil.copyfile(built["classic", edition, "docx"], files[-1])
    return dict(zip(("student", "teacher"), libreoffice_to_pdf(files, folder)))


def lesson_of(text: str):
    """A lesson file from its YAML text, validated."""
    from lessonpack.load.model import LessonFile
    from lessonpack.load.validate import validate_lesson
    from lessonpack.load.yamlsource import SourceMap, parse_yaml

    doc = parse_yaml(text.encode("utf-8"), SourceMap("lesson.yaml"))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, problems
    return LessonFile("lesson", Path("lesson.yaml"), lesson)


def docx_of(built, style: str, edition: str) -> Docx:
    return Docx(built[style, edition, "docx"].read_bytes())


def lines_of(page, *, tolerance: float = 2.0) -> list[list[dict]]:
    """A PDF page's words in lines (top to bottom), each line's words left to right."""
    rows: list[list[dict]] = []
    for word in sorted(page.extract_words(keep_blank_chars=False, x_tolerance=1.5), key=lambda w: (w["bottom"], w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def line_with(pdf_path: Path, first: str, second: str) -> list[dict]:
    """The words of the first line (on any page) that holds the words ``first`` and ``second``."""
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for row in lines_of(page):
                texts = [w["text"] for w in row]
                if any(first in t for t in texts) and any(second in t for t in texts):
                    return row
    raise AssertionError(f"no line with {first!r} and {second!r} in {pdf_path.name}")


# -- 1. The name line: every label apart from the blank before it ----------------------------------------------


def test_docx_name_lines_are_labels_each_with_its_blank_and_a_tab_before_the_next(built):
    doc = docx_of(built, "classic", "student")
    for style in (S.NAME_LINE, S.SCORE_LINE):
        (line,) = doc.styled(style)
        texts = [t for _, t in line.runs]
        # "Name " ⇥ "⇥Date " ⇥ "⇥Class " ⇥: each blank a tab of its own, the gap before a label another
        assert "".join(texts).startswith("Name \t\tDate \t\tClass \t"), texts
        tabs = _tab_stops(doc, style)
        leaders = [leader for _, _, leader in tabs]
        assert leaders[:5] == ["underscore", None, "underscore", None, "underscore"], tabs
        gaps = [tabs[i + 1][1] - tabs[i][1] for i in (0, 2)]
        assert all(gap >= 200 for gap in gaps), gaps  # at least 10 pt (twips) between a blank and the next label


def _tab_stops(doc: Docx, style_name: str) -> list[tuple[str, int, str | None]]:
    style = next(s for s in doc.doc.styles.element.findall(qn("w:style"))
                 if s.find(qn("w:name")).get(qn("w:val")) == style_name)
    return [(t.get(qn("w:val")), int(t.get(qn("w:pos"))), t.get(qn("w:leader")))
            for t in style.iter(qn("w:tab"))]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_sets_date_and_class_apart_from_the_blanks_before_them(laid_out):
    for first, second in (("Name", "Class"), ("Name", "Score")):
        row = line_with(laid_out["student"], first, second)
        labels = [w for w in row if w["text"] in ("Date", "Class")]
        assert [w["text"] for w in labels] == ["Date", "Class"], [w["text"] for w in row]  # not glued to "___"
        for label in labels:
            before = max((w for w in row if w["x1"] <= label["x0"] + 0.1), key=lambda w: w["x1"])
            assert set(before["text"]) == {"_"}, before["text"]  # the blank's leader comes just before it
            assert label["x0"] - before["x1"] >= 8, (label["text"], label["x0"] - before["x1"])  # a clear gap


# -- 2. The score box: one solid frame -------------------------------------------------------------------------


def test_docx_score_box_is_a_bordered_run_without_no_break_spaces(built):
    doc = docx_of(built, "classic", "student")
    (line,) = doc.styled(S.SCORE_LINE)
    boxes = [text for style, text in line.runs if style == S.SCORE_BOX]
    assert boxes and all(text.strip() == "" and "\u00a0" not in text and len(text) >= 4 for text in boxes), boxes


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_draws_the_score_box_solid(laid_out):
    with pdfplumber.open(laid_out["student"]) as pdf:
        for page in pdf.pages:
            score = [w for w in page.extract_words() if w["text"] == "Score"]
            if score:
                break
        (word,) = score
        edges = [e for e in page.lines if e["x0"] >= word["x1"] - 1 and abs(e["top"] - word["top"]) < 15]
        across = [e for e in edges if abs(e["top"] - e["bottom"]) < 0.5]  # the box's top and bottom
        assert len(across) == 2, [(round(e["x0"], 1), round(e["x1"], 1), round(e["top"], 1)) for e in across]
        assert all(e["x1"] - e["x0"] >= 25 for e in across)  # one stroke each, not a dash per character


# -- 3. Model answers set ragged right in Word, as in the PDF ---------------------------------------------------


def _style_chain(doc: Docx, name: str):
    by_id = {s.get(qn("w:styleId")): s for s in doc.doc.styles.element.findall(qn("w:style"))}
    style = next(s for s in by_id.values() if s.find(qn("w:name")).get(qn("w:val")) == name)
    while style is not None:
        yield style
        based = style.find(qn("w:basedOn"))
        style = by_id.get(based.get(qn("w:val"))) if based is not None else None


def _alignment(doc: Docx, name: str) -> str:
    for style in _style_chain(doc, name):
        jc = style.find(f"{qn('w:pPr')}/{qn('w:jc')}")
        if jc is not None:
            return jc.get(qn("w:val"))
    return "left"


def test_docx_model_answers_are_left_aligned(built):
    for style in ("classic", "large-print"):
        doc = docx_of(built, style, "teacher")
        assert doc.styled(S.ANSWER) and doc.styled(S.PART_ANSWER)
        for name in (S.ANSWER, S.PART_ANSWER):
            assert _alignment(doc, name) == "left", (style, name)
        for p in doc.styled(S.ANSWER) + doc.styled(S.PART_ANSWER):
            assert p.el.find(f"{qn('w:pPr')}/{qn('w:jc')}") is None  # no paragraph of its own justified


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_sets_the_model_answer_with_even_spaces(laid_out, built):
    """Every space of a wrapped model answer is as wide as any other (justified, each line had its own)."""
    with pdfplumber.open(laid_out["teacher"]) as pdf:
        rows = [row for page in pdf.pages for row in lines_of(page)]
    start = next(i for i, row in enumerate(rows) if row[0]["text"] == "The" and row[1]["text"] == "testament")
    answer = rows[start:start + 3]  # the answer's three lines, the last one never stretched
    gaps = [b["x0"] - a["x1"] for row in answer for a, b in zip(row, row[1:])]
    assert len(gaps) > 30 and max(gaps) - min(gaps) < 0.4, sorted(gaps)  # justified: 2.5 pt, 3.0 pt, 3.5 pt…
    rights = [row[-1]["x1"] for row in answer[:-1]]
    assert max(rights) - min(rights) > 3, rights  # ragged right: the wrapped lines end where their words do


# -- 4. Fill-in texts get the quotes and apostrophes of every other text ----------------------------------------


def test_fill_in_text_bank_and_answers_have_curly_quotes_in_both_formats(built):
    student_pdf = pdf_text(built["classic", "student", "pdf"])
    teacher_pdf = pdf_text(built["classic", "teacher", "pdf"])
    student = docx_of(built, "classic", "student")
    teacher = docx_of(built, "classic", "teacher")
    (fill,) = student.styled(S.FILL_IN)
    (bank,) = student.styled(S.WORD_BANK)
    for text in (fill.text, re.sub(r"\s+", " ", student_pdf)):
        assert "his plan “" in text and "”, and it’s " in text and "’s support" in text, text
    assert "\u2019s." in fill.text  # the possessive after the last blank
    assert not re.search("[\"']", fill.text) and "Trotsky’s plan" in bank.text.replace("\u00a0", " ")
    assert "Trotsky’s plan" in student_pdf and "Trotsky's" not in student_pdf
    assert "Stalin called his plan \"" not in student_pdf and "it's" not in student_pdf
    # The teacher's blanks and key print the answer as the text does; a filled form is marked against the
    # answers as written.
    (fill,) = teacher.styled(S.FILL_IN)
    assert "Lenin’s heir" in fill.text.replace("\u00a0", " ")
    assert "3. Lenin’s heir" in teacher_pdf and "3. Lenin’s heir" in teacher.body_text()
    handout = plan(load_pack(built["classic", "student", "pdf"].parents[2]).lessons[0], "teacher",
                   PlanContext(None, Geometry.of(load_style("classic", REPO).tokens, "letter")))
    question = handout.worksheet.questions[0]
    from lessonpack.plugins import item_types

    marking = dict(item_types()[question.kind].marking(question, "q1"))
    assert marking["q1.3"] == ("Lenin's heir", "heir")


def test_fill_in_text_parsed_whole_keeps_emphasis_across_a_blank_and_every_space():
    from lessonpack.items.fill_in_blank import Blank

    h = plan(lesson_of("""title: T
worksheet:
  items:
    - {type: fill_in_blank, word_bank: false, text: "[[One]] said *'the [[two]] way'* is  'best' [[three]]"}
"""), "student", PlanContext(None, Geometry.of(load_style("classic", REPO).tokens, "letter")))
    segments = h.worksheet.questions[0].segments
    assert [type(s) is Blank for s in segments] == [True, False, True, False, True]
    before, after = segments[1], segments[3]
    assert "".join(s.text for s in before) == " said ‘the " and before[-1].em
    assert "".join(s.text for s in after) == " way’ is  ‘best’ " and after[0].em and not after[-1].em


# -- 5. The reading level against the lesson's grade -------------------------------------------------------------


@pytest.mark.parametrize("level, target, expected", [
    (8.9, (9, 10), "below"), (9.0, (9, 10), "within"), (9.5, (9, 10), "within"), (10.0, (9, 10), "within"),
    (10.04, (9, 10), "within"),  # printed as 10.0
    (10.1, (9, 10), "above"), (10.4, (9, 10), "above"), (10.96, (9, 10), "above"),
    (8.0, (8, 8), "within"), (8.1, (8, 8), "above"), (7.9, (8, 8), "below"), (7.96, (8, 8), "within"),
])
def test_a_grade_range_holds_the_levels_between_its_numbers_as_printed(level, target, expected):
    assert compare_grade(level, target) == expected


@pytest.mark.slow  # a whole build: make test-heavy
def test_the_statistics_call_a_reading_of_grade_10_4_above_grades_9_to_10(tmp_path):
    lesson = REPO / "lessons" / "soviet-union-1924-1935.yaml"
    text = yaml.safe_load(lesson.read_text(encoding="utf-8"))["reading"]["text"]
    stats = reading_stats(text, "9–10")
    assert (stats.grade_level, stats.comparison) == (10.4, "above")
    result = build(lesson, out_dir=tmp_path, formats=["pdf", "docx"], editions=["teacher"], jobs=1)
    assert result.ok, result.failed
    sentence = "Flesch–Kincaid grade 10.4 — above the lesson’s grade (9–10)"
    assert sentence in pdf_text(tmp_path / lesson.stem / f"{lesson.stem}-teacher.pdf")
    doc = Docx((tmp_path / lesson.stem / f"{lesson.stem}-teacher.docx").read_bytes())
    assert [p.text for p in doc.styled(S.STATS)][-1] == sentence


# -- 6. lessonpack new's source analysis, and default parts for every subject -------------------------------------


def test_the_filled_in_skeleton_prints_its_source_analysis_prompt_once(run, tmp_path):
    from test_authoring import fill_in

    assert run("new", "The Treaty of Versailles").exit_code == 0
    lesson = tmp_path / "lessons" / "treaty-of-versailles.yaml"
    lesson.write_text(fill_in(lesson.read_text(encoding="utf-8")), encoding="utf-8")
    result = build(tmp_path, formats=["pdf", "docx"], editions=["student"], with_pack=False, jobs=1)
    assert result.ok, result.failed
    expected = "Use Source A. Answer each question in full sentences."
    text = re.sub(r"\s+", " ", pdf_text(tmp_path / "dist" / lesson.stem / f"{lesson.stem}-student.pdf"))
    assert expected in text and "Source A. Read Source A" not in text
    doc = Docx((tmp_path / "dist" / lesson.stem / f"{lesson.stem}-student.docx").read_bytes())
    (question,) = [p for p in doc.styled(S.QUESTION) if p.text.startswith("Use Source")]
    assert question.text.split("\t")[0] == expected
    assert "How is this source useful for studying this topic?" in text


@pytest.mark.parametrize("catalogue", sorted((REPO / "src" / "lessonpack" / "data" / "labels").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_source_analysis_parts_are_worded_for_every_subject(catalogue):
    labels = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    parts = {k: v for k, v in labels.items() if isinstance(k, str) and k.startswith(("ask_", "part_"))}
    assert len(parts) == 10
    for key, text in parts.items():
        assert not re.search(r"histor", text, re.IGNORECASE), (catalogue.name, key, text)


# -- 7. Large print: emphasis without italics, in both formats ----------------------------------------------------


def _italic_fonts(pdf_path: Path) -> set[str]:
    with pdfplumber.open(pdf_path) as pdf:
        return {c["fontname"] for page in pdf.pages for c in page.chars if re.search(r"Italic|-It\b", c["fontname"])}


def _word_font(pdf_path: Path, word: str) -> str:
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for w in page.extract_words(extra_attrs=["fontname"]):
                if w["text"] == word:
                    return w["fontname"]
    raise AssertionError(word)


def _run_formatting(doc: Docx, run, para_style: str | None) -> tuple[bool, bool]:
    """(bold, italic) of a run as Word shows it: its own properties, then its character style's, then its
    paragraph style's (each chain up through basedOn)."""
    def flag(chain, tag):
        for el in chain:
            rpr = el.find(qn("w:rPr")) if el.tag == qn("w:style") else el
            found = rpr.find(qn(tag)) if rpr is not None else None
            if found is not None:
                return found.get(qn("w:val")) not in ("0", "false")
        return None

    own = run.find(qn("w:rPr"))
    rstyle = own.find(qn("w:rStyle")) if own is not None else None
    chains = [[own] if own is not None else []]
    if rstyle is not None:
        chains.append(list(_style_chain(doc, doc.names[rstyle.get(qn("w:val"))])))
    chains.append(list(_style_chain(doc, para_style or "Normal")))
    out = []
    for tag in ("w:b", "w:i"):
        value = None
        for chain in chains:
            value = flag(chain, tag)
            if value is not None:
                break
        out.append(bool(value))
    return out[0], out[1]


def _formatting_of(doc: Docx, word: str) -> list[tuple[bool, bool]]:
    """(bold, italic) of each run of the reading that holds ``word``."""
    found = []
    for p in doc.styled(S.READING):
        for r in p.el.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if word in text.split():
                found.append(_run_formatting(doc, r, p.style))
    return found


def test_large_print_sets_emphasis_bold_never_italic(built):
    for edition in ("student", "teacher"):
        assert not _italic_fonts(built["large-print", edition, "pdf"]), edition
        doc = docx_of(built, "large-print", edition)
        for p in doc.paras:
            for r in p.el.iter(qn("w:r")):
                if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip():
                    assert not _run_formatting(doc, r, p.style)[1], (edition, p.style, p.text[:60])
    assert "Bold" in _word_font(built["large-print", "student", "pdf"], "not")
    assert _formatting_of(docx_of(built, "large-print", "student"), "not") == [(True, False)]
    # The classic style still sets emphasis in italics (so the checks above can tell).
    assert "Italic" in _word_font(built["classic", "student", "pdf"], "not")
    assert _formatting_of(docx_of(built, "classic", "student"), "not") == [(False, True)]


# -- 8. What the docs promise: a ragged-right reading, two-sided units by default, line breaks ------------------


def test_the_classic_reading_is_ragged_right_in_both_formats_as_the_docs_say(sample_builds):
    styles_md = (REPO / "docs" / "styles.md").read_text(encoding="utf-8")
    assert "justified reading" not in styles_md and "reading set ragged right" in styles_md
    path = sample_builds["classic"] / "soviet-union-1924-1935" / "soviet-union-1924-1935-student.pdf"
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        rows = [row for row in lines_of(page) if len(row) > 6 and row[0]["x0"] > 60]
    full = [row for row in rows if row[-1]["x1"] > page.width * 0.7]
    assert len(full) >= 15
    rights = [round(row[-1]["x1"]) for row in full]
    assert len(set(rights)) > len(rights) / 2, rights  # justified, the lines would end at one edge
    doc = Docx((sample_builds["classic"] / "soviet-union-1924-1935" / "soviet-union-1924-1935-student.docx").read_bytes())
    assert doc.styled(S.READING) and _alignment(doc, S.READING) == "left"


def test_units_are_two_sided_unless_the_pack_says_duplex_false(tmp_path):
    row = next(line for line in (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `duplex` |"))
    assert row.rstrip(" |").endswith("`true`")  # the documented default
    unit = make_unit(tmp_path / "unit", 3)
    (unit / "lessonpack.yaml").write_text("title: Generated Unit\nformats: [pdf]\n", encoding="utf-8")
    pack = load_pack(unit)
    assert pack.config.duplex is None and resolve(pack).duplex is True
    build(unit, jobs=1, editions=["student"])
    from pypdf import PdfReader

    pages = [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(unit / "dist" / "generated-unit-student.pdf").pages]
    starts = [i + 1 for i, text in enumerate(pages) if text.startswith("Name Date Class Lesson")]
    assert len(starts) == 3 and all(page % 2 == 1 for page in starts), starts


def _page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]


def _odd_page_sections(path: Path) -> int:
    from docx import Document
    from docx.enum.section import WD_SECTION_START

    return sum(s.start_type == WD_SECTION_START.ODD_PAGE for s in Document(str(path)).sections)


def test_duplex_puts_a_students_worksheet_on_a_right_hand_page_as_the_docs_say(built, tmp_path):
    """The lesson's own student files are two-sided by default too (a worksheet that starts a page starts a
    right-hand one); duplex: false lays them out one-sided. The teacher edition is the same either way."""
    row = next(line for line in (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `duplex` |"))
    assert "student edition" in row and "right-hand" in row and "The lessons' own files are the same" not in row
    styles_md = re.sub(r"\s+", " ", (REPO / "docs" / "styles.md").read_text(encoding="utf-8"))
    assert "a worksheet that starts a new page starts a right-hand one" in styles_md

    two_sided = _page_texts(built["classic", "student", "pdf"])  # the pack says nothing of duplex
    assert [i + 1 for i, text in enumerate(two_sided) if "Worksheet" in text] == [3], two_sided
    assert two_sided[1].replace(" ", "") == "Thispageisintentionallyleftblank."  # the notice, drawn (no spaces)
    assert _odd_page_sections(built["classic", "student", "docx"]) == 1
    assert _odd_page_sections(built["classic", "teacher", "docx"]) == 0

    root = pack_with(tmp_path / "one-sided", {"stalin": POLISH},
                     "title: Polish\nschool: Test School\npage_breaks: {worksheet: always}\nduplex: false\n")
    result = build(root, formats=["pdf", "docx"], editions=["student", "teacher"], with_pack=False, jobs=1)
    assert result.ok, result.failed
    one_sided = _page_texts(root / "dist" / "stalin" / "stalin-student.pdf")
    assert [i + 1 for i, text in enumerate(one_sided) if "Worksheet" in text] == [2], one_sided
    assert not any("intentionally" in text for text in one_sided) and len(one_sided) == len(two_sided) - 1
    assert _odd_page_sections(root / "dist" / "stalin" / "stalin-student.docx") == 0
    assert (_page_texts(root / "dist" / "stalin" / "stalin-teacher.pdf")
            == _page_texts(built["classic", "teacher", "pdf"]))


def test_a_backslash_ends_a_line_and_a_single_line_break_is_a_space(built):
    path = built["classic", "student", "pdf"]
    # "…far better known." and "This sentence…" are two lines of the file, run on as one paragraph
    same = [w["text"] for w in line_with(path, "known.", "This")]
    assert same.index("This") == same.index("known.") + 1, same
    of_stalin = line_with(path, "Lenin", "Stalin:")
    assert "rude.”" not in [w["text"] for w in of_stalin]  # the quote starts a line of its own
    rude = line_with(path, "“He", "rude.”")
    assert rude[0]["x0"] == pytest.approx(of_stalin[0]["x0"], abs=1)
    doc = docx_of(built, "classic", "student")
    (para,) = [p for p in doc.styled(S.READING) if "Lenin wrote" in p.text]
    assert para.text.endswith("Lenin wrote of Stalin:\n“He is too rude.”")
    (wrapped,) = [p for p in doc.styled(S.READING) if "written on two lines" in p.text]
    assert "\n" not in wrapped.text and "file but is one line" in wrapped.text


# -- 9. The unit's cover, spread over its page ------------------------------------------------------------------


def _cover_words(path: Path) -> tuple[float, list[dict]]:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        return page.height, page.extract_words()


def test_the_cover_puts_the_title_in_the_upper_middle_and_the_school_at_the_foot(sample_builds):
    for edition in ("student", "teacher"):
        height, words = _cover_words(sample_builds["classic"] / f"interwar-years-{edition}.pdf")
        top = {w["text"]: w for w in reversed(words)}  # each word's first place on the page
        title, school, teacher, lesson = top["Interwar"], top["Lessonpack"], top["department"], top["Attempts"]
        assert 0.2 < title["top"] / height < 0.45, title["top"] / height
        assert title["bottom"] < lesson["top"] < height * 0.65
        assert school["top"] > height * 0.8 and teacher["top"] > school["top"]  # at the foot
        assert max(w["bottom"] for w in words) < height - 40  # inside the bottom margin


@pytest.mark.slow
def test_a_cover_too_long_for_one_page_flows_and_keeps_every_lesson(tmp_path):
    unit = make_unit(tmp_path / "unit", 24, title="A Long Unit")
    (unit / "lessonpack.yaml").write_text("title: A Long Unit\nschool: Test School\nformats: [pdf]\nduplex: false\n"
                                          "style: large-print\n", encoding="utf-8")
    result = build(unit, editions=["student"], jobs=2)
    assert result.ok, result.failed
    from pypdf import PdfReader

    reader = PdfReader(unit / "dist" / "a-long-unit-student.pdf")
    front = []
    for page in reader.pages:
        text = page.extract_text() or ""
        if "Contents" in text:
            break
        front.append(re.sub(r"\s+", " ", text))
    assert len(front) == 2  # the cover, on over a page
    cover = " ".join(front)
    for n in range(1, 25):
        assert f"Lesson {n}: The Interwar Years, part {n}" in cover, n
    assert "Test School" in front[-1]


@pytest.mark.slow
def test_a_pack_cover_template_without_the_end_id_flows_and_one_with_it_is_spread(tmp_path):
    """A pack's own pack.html learns from u.cover_spread whether its cover is spread: true when the element with
    the id u.cover_end is on the first page, false (laid out again) when the template leaves the id out."""
    builtin = (REPO / "src" / "lessonpack" / "data" / "templates" / "pack.html").read_text(encoding="utf-8")
    marked = builtin.replace('<h1 class="cover-title">{{ u.title }}</h1>',
                             '<h1 class="cover-title">{{ u.title }}</h1><p>cover spread {{ u.cover_spread }}</p>')
    assert marked != builtin and 'id="{{ u.cover_end }}"' in marked
    for name, template, expected in (("with-id", marked, "cover spread True"),
                                     ("without-id", marked.replace('id="{{ u.cover_end }}"', ""), "cover spread False")):
        unit = make_unit(tmp_path / name, 2)
        (unit / "lessonpack.yaml").write_text("title: Generated Unit\nformats: [pdf]\n", encoding="utf-8")
        (unit / "templates").mkdir()
        (unit / "templates" / "pack.html").write_text(template, encoding="utf-8")
        result = build(unit, editions=["student"], jobs=1)
        assert result.ok, result.failed
        from pypdf import PdfReader

        cover = re.sub(r"\s+", " ", PdfReader(unit / "dist" / "generated-unit-student.pdf").pages[0].extract_text())
        assert expected in cover, (name, cover)
        assert "Lesson 2: The Interwar Years, part 2" in cover
