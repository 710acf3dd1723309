"""Tables that fit: widths: and align: per column, headings that wrap and stand over several columns (a second
header row under them), figures lined up on their decimal point, blank cells students fill in, and header rows
repeated over a page, each read back from the PDF, the fillable PDF and the Word file a real build wrote."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter

from conftest import libreoffice_to_pdf
from hostile.packs import write

from lessonpack.apps.cli import cli

# Each test builds real files (a minute or more on two cores in all): make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

CM = 72 / 2.54
PADDING = 4 * 72 / 25.4  # a cell's padding, left and right together (tables.CELL_PADDING)

PACK = "title: Tables\nschool: Hill School\nstyle: classic\npaper: a4\nlessons: [rates]\n"

LESSON = """\
title: Rates of photosynthesis
objectives: [Read a results table.]
sources:
  - title: Results
    table:
      header:
        - [Distance (cm), {text: Bubbles per minute, span: 3}, Mean rate of photosynthesis (bubbles per minute)]
        - ["", Trial 1, Trial 2, Trial 3, ""]
      widths: [3cm, 1fr, 1fr, 1fr, 2.5cm]
      align: [auto, decimal, decimal, decimal, auto]
      rows:
        - ["50", "2.5", "3.0", "2.0", "2.5"]
        - ["40", "4.0", "14.5", "3.5", "4.0"]
        - ["30", "7.5", "6.5", "6.25", {blank: true, answer: "6.8"}]
        - ["20", "12", "8.0", "13.0", "12.5"]
    caption: Counted over two minutes.
    citation: Made up for the test.
  - title: A long record
    table:
      header: [Day, Reading]
      rows:
{rows}
    citation: Made up for the test.
worksheet:
  items:
    - type: short_answer
      source: A
      prompt: "What is the mean at 30 cm?"
      answer: "6.8"
    - type: short_answer
      source: B
      prompt: "On which day was the reading highest?"
      answer: Day 61.
"""

LONG_ROWS = 90


def _lesson() -> str:
    rows = "\n".join(f'        - ["Day {n}", "{n * 3}"]' for n in range(1, LONG_ROWS + 1))
    return LESSON.replace("{rows}", rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The pack built with the command line: PDF, Word and the fillable PDF, both editions."""
    pack = tmp_path_factory.mktemp("tables") / "pack"
    write(pack / "lessonpack.yaml", PACK)
    write(pack / "lessons" / "rates.yaml", _lesson())
    result = CliRunner().invoke(cli, ["build", str(pack), "-f", "pdf", "-f", "docx", "-f", "pdf-form"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return pack / "dist" / "rates"


# -- reading the files back ---------------------------------------------------------------------------------------


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (text, x0, y0, x1, y1), from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(w[4], float(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def _word(page, text: str, nth: int = 0):
    return [w for w in page if w[0] == text][nth]


def _runs(pdf: Path, page: int = 0) -> list[tuple[str, float, float]]:
    """The text the page shows, a text-drawing operation at a time: (text, x, y) in points from the top left."""
    out = []
    shown = PdfReader(pdf).pages[page]
    height = float(shown.mediabox.height)

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            out.append((text, x, height - y))

    shown.extract_text(visitor_text=visit)
    return out


def _source_tables(path: Path) -> list:
    """The tables inside the sources' frames (a frame is a one-cell table), in order."""
    d = docx.Document(str(path))
    return [inner for frame in d.tables for inner in frame.cell(0, 0).tables]


def _tc_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


# -- spans, wrapping and widths -----------------------------------------------------------------------------------


def test_a_heading_spans_three_columns_in_word_and_stands_over_them_in_the_pdf(built):
    table = _source_tables(built / "rates-student.docx")[0]
    first, second = table._tbl.tr_lst[:2]
    assert [(_tc_text(tc), tc.grid_span, tc.vMerge) for tc in first.tc_lst] == [
        ("Distance (cm)", 1, "restart"), ("Bubbles per minute", 3, None),
        ("Mean rate of photosynthesis (bubbles per minute)", 1, "restart")]
    assert [(_tc_text(tc), tc.grid_span, tc.vMerge) for tc in second.tc_lst] == [
        ("", 1, "continue"), ("Trial 1", 1, None), ("Trial 2", 1, None), ("Trial 3", 1, None), ("", 1, "continue")]

    # The PDF: the heading sits above the trials' headings, centred over their three columns (whose edges are the
    # model's widths from the table's left edge, where the caption starts).
    page = _words(built / "rates-student.pdf")[0]
    bubbles, minute = _word(page, "Bubbles"), _word(page, "minute", 0)
    trials = [_word(page, "Trial", k) for k in range(3)]
    assert all(bubbles[4] <= t[2] for t in trials)
    grid = [col.w.pt for col in table._tbl.tblGrid.gridCol_lst]
    left = _word(page, "Counted")[1] + grid[0]
    right = left + sum(grid[1:4])
    assert (bubbles[1] + minute[3]) / 2 == pytest.approx((left + right) / 2, abs=2.0)
    assert all(left < t[1] and t[3] < right for t in trials)


def test_widths_are_honoured_and_a_heading_wraps_in_its_column(built):
    words = _words(built / "rates-student.pdf")[0]
    # Column 1 is 3 cm wide and sets its figures flush right: their right edge is 3 cm less its padding from the
    # table's left edge, where the caption starts.
    left = _word(words, "Counted")[1]
    assert _word(words, "50")[3] == pytest.approx(left + 3 * CM - PADDING / 2, abs=1.0)
    # Column 5 is 2.5 cm wide: the blank cell's text field spans it (its box reaches 1.5 mm into the cell's padding
    # each side, inside its 0.75 pt rule; the field's own text keeps 1 mm from its edges).
    field = next(f for f in _annotations(built / "rates-student-form.pdf") if f["/T"] == "sA.3.5")
    x0, _, x1, _ = (float(v) for v in field["/Rect"])
    mm = 72 / 25.4
    assert x1 - x0 == pytest.approx(2.5 * CM - PADDING + 2 * 1.5 * mm - 2 * 0.75 - 2 * mm, abs=1.0)
    # Its long heading wraps in those 2.5 cm: its words sit on more than one line.
    heading = "Mean rate of photosynthesis (bubbles per minute)".split()
    lines = {round(w[2]) for w in words if w[0] in heading and w[1] > left + 3 * CM}
    assert len(lines) >= 2
    # Word: the grid is the same widths (the shares split what is left equally), and nothing stops the wrap.
    table = _source_tables(built / "rates-student.docx")[0]
    grid = [col.w.pt for col in table._tbl.tblGrid.gridCol_lst]
    assert grid[0] == pytest.approx(3 * CM, abs=0.1) and grid[4] == pytest.approx(2.5 * CM, abs=0.1)
    assert grid[1] == pytest.approx(grid[2], abs=0.2) == pytest.approx(grid[3], abs=0.2)
    assert not list(table._tbl.iter(qn("w:noWrap")))


# -- figures on their decimal point ------------------------------------------------------------------------------


def test_figures_line_up_on_their_decimal_point_in_the_pdf_and_on_a_decimal_tab_in_word(built):
    runs = _runs(built / "rates-teacher.pdf")
    words = _words(built / "rates-teacher.pdf")[0]
    top, bottom = _word(words, "Trial")[4], _word(words, "Counted")[2]
    points = sorted(x for text, x, y in runs if text.startswith(".") and top < y < bottom)
    columns: list[list[float]] = []
    for x in points:  # a column's points are within a point of each other; columns are far apart
        if columns and x - columns[-1][0] < 20:
            columns[-1].append(x)
        else:
            columns.append([x])
    assert [len(c) for c in columns] == [3, 4, 4, 4]  # Trial 1 (12 has none), Trial 2, Trial 3, Mean (the answer)
    assert all(max(c) - min(c) <= 1.0 for c in columns), columns
    # A whole number in a column of decimals ends where the others' points are.
    twelve = _word(words, "12")
    assert twelve[3] == pytest.approx(columns[0][0], abs=1.0)

    table = _source_tables(built / "rates-teacher.docx")[0]
    for column in (1, 2, 3):
        stops = set()
        for tr in table._tbl.tr_lst[2:]:
            tabs = tr.tc_lst[column].find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:tabs')}")
            assert tabs is not None and [t.get(qn("w:val")) for t in tabs] == ["decimal"]
            stops.add(tabs[0].get(qn("w:pos")))
        assert len(stops) == 1  # the same stop in every row: the points line up
    # The same place as the PDF's: from the cell's text edge to the point, the column's width less the room after it.
    cell = table._tbl.tr_lst[2].tc_lst[1]
    width = table._tbl.tblGrid.gridCol_lst[1].w.pt
    stop = int(cell.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:tabs')}")[0].get(qn("w:pos"))) / 20
    assert 0 < width - PADDING - stop < 15  # the room after the point: ".5" at the table's type size


# -- blank cells --------------------------------------------------------------------------------------------------


def _annotations(pdf: Path) -> list:
    return [a.get_object() for page in PdfReader(pdf).pages for a in page.get("/Annots", [])]


def test_a_blank_cell_is_a_box_a_field_and_the_teachers_answer(built, run, tmp_path):
    student = " ".join(w[0] for page in _words(built / "rates-student.pdf") for w in page)
    teacher = " ".join(w[0] for page in _words(built / "rates-teacher.pdf") for w in page)
    assert "6.8" not in student and "6.8" in teacher
    fields = PdfReader(built / "rates-student-form.pdf").get_fields()
    assert "sA.3.5" in fields and fields["sA.3.5"].get("/FT") == "/Tx"
    # Word: an empty boxed cell for the student, the answer in it for the teacher.
    for edition, text in (("student", ""), ("teacher", "6.8")):
        cell = _source_tables(built / f"rates-{edition}.docx")[0]._tbl.tr_lst[4].tc_lst[4]
        assert _tc_text(cell) == text
        sides = cell.find(f"{qn('w:tcPr')}/{qn('w:tcBorders')}")
        assert {child.tag.split("}")[1] for child in sides} == {"top", "left", "bottom", "right"}

    # collect reads it back: its own column of the table.
    reader = PdfReader(built / "rates-student-form.pdf")
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, {"name": "Ada", "sA.3.5": "6.8", "q1": "6.8"},
                                                 auto_regenerate=False)
    filled = tmp_path / "ada.pdf"
    with open(filled, "wb") as handle:
        writer.write(handle)
    result = run("collect", str(filled), "-o", str(tmp_path / "answers.csv"), "--pack", str(built.parent.parent))
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO((tmp_path / "answers.csv").read_text(encoding="utf-8-sig"))))
    assert row["sA.3.5"] == "6.8" and row["name"] == "Ada"
    header = list(row)
    assert header.index("sA.3.5") > header.index("q2")  # after the questions' fields


# -- header rows over a page --------------------------------------------------------------------------------------


def test_header_rows_repeat_when_a_table_runs_over_a_page(built):
    pages = _words(built / "rates-student.pdf")
    first = next(i for i, page in enumerate(pages) if any(w[0] == "Reading" for w in page))
    last = next(i for i, page in enumerate(pages) if any(w[0] == str(LONG_ROWS * 3) for w in page))
    assert last > first  # the long table runs over a page
    page = pages[last]
    (heading,) = [w for w in page if w[0] == "Reading"]
    days = [w for w in page if w[0] == "Day"]  # the heading Day, then "Day 61", "Day 62"…
    assert heading[2] == pytest.approx(min(w[2] for w in days), abs=1)  # its heading again, above its rows
    assert len(days) > 2
    # Word: every header row repeats (w:tblHeader), the two of the spanning table's and the long table's one.
    a, b = _source_tables(built / "rates-student.docx")
    assert [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in a._tbl.tr_lst] == \
        [True, True] + [False] * 4
    assert [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in b._tbl.tr_lst][:2] == [True, False]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_word_repeats_the_header_row_on_the_next_page_and_wraps_a_long_heading(built, tmp_path):
    (pdf,) = libreoffice_to_pdf([built / "rates-student.docx"], tmp_path)
    pages = _words(pdf)
    first = next(i for i, page in enumerate(pages) if any(w[0] == "Reading" for w in page))
    last = next(i for i, page in enumerate(pages) if any(w[0] == str(LONG_ROWS * 3) for w in page))
    assert last > first
    (heading,) = [w for w in pages[last] if w[0] == "Reading"]
    days = [w for w in pages[last] if w[0] == "Day"]
    assert heading[2] == pytest.approx(min(w[2] for w in days), abs=1) and len(days) > 2
    # Word wraps a long heading in its column too (the Mean column, 2.5 cm wide, right of the trials).
    first_page = pages[0]
    right = max(w[3] for w in first_page if w[0] == "Trial")
    words = "Mean rate of photosynthesis (bubbles per minute)".split()
    assert len({round(w[2]) for w in first_page if w[0] in words and w[1] > right}) >= 2


# -- bad values: each a positioned error that says what to do -----------------------------------------------------


TABLE = """\
title: Bad tables
sources:
  - title: Results
    table:
{table}
    citation: Made up.
worksheet:
  items:
    - {{type: short_answer, source: A, prompt: "What does it show?"}}
"""


@pytest.mark.parametrize("table,message", [
    ("      header:\n        - [Distance, {text: Bubbles, span: 3}]\n        - [\"\", One, Two]\n"
     "      rows: [[\"1\", \"2\", \"3\"]]",
     "lessons/bad.yaml:6:44: error: sources[0].table.header[0][1].span: 3 columns from column 2 run past the "
     "table's last column (it has 3)\n    hint: make it span: 2, or give every row a cell for each column it stands "
     "over"),
    ("      header: [Distance, {text: Bubbles, span: 3}]\n      rows: [[\"1\", \"2\", \"3\"]]",
     "lessons/bad.yaml:5:48: error: sources[0].table.header[1].span: 3 columns from column 2 run past the table's "
     "last column (it has 3)"),
    ("      header: [Distance, Mean]\n      rows: [[\"1\", {blank: true}]]",
     "lessons/bad.yaml:6:20: error: sources[0].table.rows[0][1]: a blank cell needs answer:, which the teacher "
     "edition prints in it\n    hint: write it as {blank: true, answer: \"42\"}"),
    ("      header: [Distance, Mean]\n      widths: [3cm, 3 furlongs]\n      rows: [[\"1\", \"2\"]]",
     'lessons/bad.yaml:6:21: error: sources[0].table.widths[1]: "3 furlongs" is not a column width; write auto, a '
     "share such as 2fr, or a length such as 3cm, 25mm, 1.5in or 40pt"),
    ("      header: [Distance, Mean]\n      align: [left, middle]\n      rows: [[\"1\", \"2\"]]",
     'lessons/bad.yaml:6:21: error: sources[0].table.align[1]: "middle" is not an alignment; use auto, left, '
     "center, right or decimal"),
    ("      header: [Distance, Mean]\n      widths: [3cm]\n      rows: [[\"1\", \"2\"]]",
     "lessons/bad.yaml:6:15: error: sources[0].table.widths: has 1 entry but the table has 2 columns\n"
     "    hint: give one width per column, auto for a column left as it is"),
    ("      header: [Distance, Mean]\n      rows: [[\"1\", {blank: false, answer: \"2\"}]]",
     "lessons/bad.yaml:6:28: error: sources[0].table.rows[0][1]: a cell written as a mapping is a blank cell for "
     "students to fill in\n    hint: write blank: true, or write the cell as its text (\"42\")"),
    ("      header:\n        - [Distance, Bubbles]\n        - [\"\", One, Two]\n      rows: [[\"1\", \"2\", \"3\"]]",
     "lessons/bad.yaml:6:11: error: sources[0].table.header[0]: its headings stand over 2 columns but the last "
     "header row has 3"),
    ("      header: [Distance, Mean]\n      widths: [5mm, auto]\n      rows: [[\"Photosynthesis\", \"2\"]]",
     "lessons/bad.yaml:6:16: error: Source A's table: column 1 is 5mm wide, narrower than its longest word or "
     "figure, which needs 2.5 cm even in the table's smallest type\n    hint: make it at least 2.5cm, or write auto "
     "(as wide as its words need) or a share such as 1fr"),
    ("      header: [Distance, Mean, Rate]\n      widths: [9cm, 9cm, 9cm]\n      rows: [[\"1\", \"2\", \"3\"]]",
     "lessons/bad.yaml:6:7: error: Source A's table is 105 mm wider than the page's text frame with these widths, "
     "even with its type at its smallest\n    hint: make the widths given as lengths narrower, or write auto or a "
     "share (1fr) for some columns"),
])
def test_each_bad_table_value_is_a_positioned_error(run, tmp_path, table, message):
    write(tmp_path / "lessonpack.yaml", "title: Bad\nstyle: classic\npaper: a4\n")
    write(tmp_path / "lessons" / "bad.yaml", TABLE.format(table=table))
    result = run("check", str(tmp_path))
    assert result.exit_code != 0
    assert message in result.output, result.output
