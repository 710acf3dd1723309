"""The numeric, drawing and label_diagram item types: checked (every bad value an error at its place), planned
(keys, versions, the space's height), drawn (the PDF read back with pdfplumber, the Word document with
python-docx, LibreOffice's layout of it), filled in and collected, and documented (every example in
docs/lesson-format.md checks, and builds)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from conftest import REPO, libreoffice_to_pdf, snapshot
from hostile.packs import write
from readback import Docx, pdf_tables, pdf_text, words

from lessonpack.building.builder import build
from lessonpack.handout import PlanContext, plan
from lessonpack.handout import paging
from lessonpack.handout.fields import answers
from lessonpack.items.drawing import MINOR_GREY, MINOR_RULE, frame_svg
from lessonpack.items.numeric import read_number
from lessonpack.load.pack import load_pack
from lessonpack.plugins import item_types
from lessonpack.render.docx import styles as S
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style

SVG = "{http://www.w3.org/2000/svg}"


def cell_png() -> bytes:
    """A 600 × 400 picture of a cell: a green wall, a purple nucleus in the middle."""
    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((50, 50, 550, 350), outline=(0, 128, 0), width=6)
    draw.ellipse((250, 150, 350, 250), fill=(128, 0, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def graph_png() -> bytes:
    image = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(image).line((20, 280, 380, 20), fill="black", width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


LESSON = """title: Cells and Temperature
subject: Science
objectives:
  - Measure a temperature, plot a graph and name the parts of a cell.
worksheet:
  items:
    - type: numeric
      prompt: The water started at 18 °C and warmed by 8 degrees. What temperature did it reach?
      answer: 26
      tolerance: 0.5
      unit: "°C"
    - type: numeric
      prompt: What was the lowest temperature outside overnight?
      answer: -4
      tolerance: 5%
      unit: "°C"
    - type: numeric
      prompt: How many lux does a lamp 25 cm away give, by the rule 1,000,000 ÷ d²?
      answer: 1,600
      decimals: 0
      unit: lux
    - type: drawing
      prompt: Plot the number of bubbles per minute against the light intensity.
      height: 6cm
      grid: 5mm
      axes: {x: Light intensity (lux), y: Bubbles per minute}
      answer: A curve rising steeply, then levelling off.
      answer_image: images/graph.png
      answer_alt: A straight rising line.
    - type: drawing
      prompt: Draw the apparatus you would use.
      height: 5 lines
    - type: label_diagram
      prompt: Name each numbered part of the cell with a word from the box.
      image: images/cell.png
      alt: A round cell with a dark round part in its middle.
      labels:
        - {x: 50, y: 50, answer: nucleus}
        - {x: 9, y: 50, answer: cell membrane, accept: [membrane]}
        - {x: 80, y: 25, answer: cytoplasm}
      word_bank: true
      extra: [chloroplast]
"""


def cells_pack(folder: Path, lesson: str = LESSON, settings: str = "title: Cells\n") -> Path:
    write(folder / "lessonpack.yaml", settings)
    write(folder / "lessons" / "cells.yaml", lesson)
    write(folder / "lessons" / "images" / "cell.png", cell_png())
    write(folder / "lessons" / "images" / "graph.png", graph_png())
    return folder


def lesson_file(folder: Path, lesson: str = LESSON):
    return load_pack(cells_pack(folder, lesson)).lessons[0]


# -- reading a number -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed,unit,value", [
    ("26", "", "26"), ("26.0", "", "26"), ("26,0", "", "26"), ("26 °C", "°C", "26"), ("26°c", "°C", "26"),
    (" 26  ° C ", "°C", "26"), ("-3", "", "-3"), ("\u22123", "", "-3"), ("+4", "", "4"), (".5", "", "0.5"),
    (",5", "", "0.5"), ("1,000", "", "1000"), ("12,500", "", "12500"), ("1.000", "", "1"), ("0,125", "", "0.125"),
    ("2,50", "", "2.5"), ("1,000,000", "", "1000000"), ("1.000.000", "", "1000000"), ("1,234.5", "", "1234.5"),
    ("1.234,5", "", "1234.5"), ("10 000", "", "10000"), ("10\u202f000,5", "", "10000.5"),
    ("26", "°C", "26"), ("55,1 cm", "cm", "55.1"),
])
def test_numbers_are_read_as_the_docs_say(typed, unit, value):
    assert read_number(typed, unit) == Decimal(value)


@pytest.mark.parametrize("typed,unit", [
    ("twenty-six", ""), ("26 cm", "°C"), ("26 °C", ""), ("3e8", ""), ("1,00,000", ""), ("1,2,3", ""), ("", ""),
    ("\u0663", ""), ("2\u00b2", ""), ("12,34.5", ""), ("1.234.5", ""), ("10 00", ""), ("1" * 16, ""), ("--3", ""),
    ("26..5", ""), ("°C", "°C"),
])
def test_anything_else_is_not_a_number(typed, unit):
    assert read_number(typed, unit) is None


ODD = st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                st.lists(st.integers(), max_size=2), st.sampled_from(["1e999", "-0", "%", "1,0,0", "9" * 60, "± 2 %"]))


@settings(max_examples=150, deadline=None)
@given(value=ODD, key=st.sampled_from(["answer", "tolerance", "decimals", "height", "grid", "x", "y"]))
def test_no_value_makes_a_traceback(value, key):
    """Whatever a teacher writes in a new key, check answers with diagnostics, never an exception."""
    from lessonpack.load.validate import validate_lesson
    from lessonpack.load.yamlsource import SourceMap

    items = [{"type": "numeric", "prompt": "How warm?", "answer": "26"},
             {"type": "drawing", "prompt": "Draw."},
             {"type": "label_diagram", "image": "cell.png", "alt": "A cell.", "labels": [{"x": 1, "y": 2, "answer": "a"}]}]
    for item in items:
        if key in ("x", "y") and item["type"] == "label_diagram":
            item["labels"][0][key] = value
        elif key in item or (item["type"], key) in {("numeric", "tolerance"), ("numeric", "decimals"),
                                                   ("drawing", "height"), ("drawing", "grid")}:
            item[key] = value
    lesson, problems = validate_lesson({"title": "Odd", "worksheet": {"items": items}}, SourceMap("odd.yaml"))
    assert lesson is not None or any(p.is_error for p in problems)
    if isinstance(value, str):
        read_number(value, value[-2:])


# -- marking ----------------------------------------------------------------------------------------


def _key(tmp_path, lesson: str = LESSON):
    teacher = plan(lesson_file(tmp_path, lesson), "teacher", PlanContext())
    return teacher, {m.number: m for m in answers(teacher.worksheet.questions)}


def _score(marked, value: str) -> float:
    from lessonpack.apps.collect import _score as score

    return score(marked, {name: value for name, _ in marked.fields})


@pytest.mark.parametrize("typed,right", [
    ("26", True), ("26.0", True), ("26,0", True), ("26 °C", True), ("26°C", True), ("25.5", True), ("26.5", True),
    ("26,5", True), ("25.49", False), ("26.51", False), ("27", False), ("26 K", False), ("about 26", False), ("", False),
    ("-26", False),
])
def test_a_numeric_answer_is_right_within_its_tolerance_bounds_included(tmp_path, typed, right):
    _, key = _key(tmp_path)
    assert _score(key[1], typed) == (1 if right else 0)


def test_a_negative_answer_with_a_percentage_tolerance(tmp_path):
    teacher, key = _key(tmp_path)
    assert teacher.answer_key.rows[1].answer == "-4 ± 0.2 °C"  # 5% of 4, worked out from the answer
    for typed, right in (("-4", True), ("\u22124.2", True), ("-3,8", True), ("-4.21", False), ("4", False),
                         ("-3.79", False)):
        assert _score(key[2], typed) == (1 if right else 0), typed


def test_thousands_and_decimals(tmp_path):
    teacher, key = _key(tmp_path)
    assert teacher.answer_key.rows[2].answer == "1600 lux"  # rounded to decimals: 0
    for typed, right in (("1600", True), ("1,600", True), ("1 600 lux", True), ("1.600", False), ("1600.4", False),
                         ("1,6", False)):
        assert _score(key[3], typed) == (1 if right else 0), typed


def test_a_diagrams_labels_are_marked_each_as_a_blank_is(tmp_path):
    _, key = _key(tmp_path)
    marked = key[6]
    assert [name for name, _ in marked.fields] == ["q6.1", "q6.2", "q6.3"]
    from lessonpack.apps.collect import _score as score

    assert score(marked, {"q6.1": " NUCLEUS ", "q6.2": "Membrane.", "q6.3": "cytoplasm"}) == 1
    assert score(marked, {"q6.1": "nucleus", "q6.2": "cell wall", "q6.3": ""}) == 0  # 1 of 3: rounds down
    assert score(marked, {"q6.1": "nucleus", "q6.2": "cell  membrane", "q6.3": "vacuole"}) == 0.5


def test_the_key_and_the_sheet_give_the_answers_and_a_drawing_is_read_by_the_teacher(tmp_path):
    teacher, key = _key(tmp_path)
    rows = [(r.number, r.kind, r.answer) for r in teacher.answer_key.rows]
    assert rows == [("1", "Numeric", "26 ± 0.5 °C"), ("2", "Numeric", "-4 ± 0.2 °C"), ("3", "Numeric", "1600 lux"),
                    ("4", "Drawing", "A curve rising steeply, then levelling off. See the model drawing."),
                    ("5", "Drawing", "Answers will vary."),
                    ("6", "Label the diagram", "1. nucleus; 2. cell membrane; 3. cytoplasm")]
    assert sorted(key) == [1, 2, 3, 6]  # a drawing is marked by hand
    student = plan(lesson_file(tmp_path / "again"), "student", PlanContext())
    q = student.worksheet.questions
    assert q[0].answer is None and q[0].accepted == () and q[0].unit == "°C"
    assert q[3].model is None and q[3].answer == () and q[3].frame is not None
    assert b"Model answer" not in q[3].frame.data
    assert all(line.answer is None and not line.accepted for line in q[5].lines)
    assert [plain_words(q[0].prompt)[-3:], q[2].precision] == [["did", "it", "reach"], "to the nearest whole number"]


def plain_words(text) -> list[str]:
    from lessonpack.text.richtext import plain

    return plain(text).rstrip("?").split()


# -- positioned errors ------------------------------------------------------------------------------

HEAD = "title: Errors\nworksheet:\n  items:\n"
NUM = "    - type: numeric\n      prompt: How warm did the water get?\n"
DRAW = "    - type: drawing\n      prompt: Plot the results.\n"
DIAG = "    - type: label_diagram\n      prompt: Name each part.\n"
PICTURE = "      image: images/cell.png\n      alt: A cell.\n"

ERRORS = {
    "numeric-answer": (NUM + "      answer: twenty-six\n      unit: \"°C\"\n",
                       '6:15: error: worksheet.items[0].answer: "twenty-six" is not a number; write the answer in '
                       'figures, such as 26 or 0.5 (for a power of ten, write unit: "× 10⁸ m/s" and the number '
                       'before it)'),
    "numeric-unit-in-answer": (NUM + "      answer: 26 °C\n",
                               '6:15: error: worksheet.items[0].answer: "26 °C" is a number and a unit; write the '
                               'number alone (answer: 26) and the unit in unit: ("°C")'),
    "numeric-tolerance": (NUM + "      answer: 26\n      tolerance: \"%\"\n",
                          '7:18: error: worksheet.items[0].tolerance: a tolerance needs a number, such as 0.5 or 2% '
                          '(how far from the answer still counts), got "%"'),
    "numeric-no-number": (NUM + "      answer: 26\n      tolerance: about a degree\n",
                          '7:18: error: worksheet.items[0].tolerance: a tolerance needs a number, such as 0.5 or 2% '
                          '(how far from the answer still counts), got "about a degree"'),
    "numeric-negative": (NUM + "      answer: 26\n      tolerance: -0.5\n",
                         "7:18: error: worksheet.items[0].tolerance: a tolerance cannot be negative, got -0.5; write "
                         "how far either side of the answer still counts, such as 0.5"),
    "numeric-negative-percent": (NUM + "      answer: 26\n      tolerance: \u22122%\n",
                                 "7:18: error: worksheet.items[0].tolerance: a tolerance cannot be negative, got "
                                 "\u22122%; write how far either side of the answer still counts, such as 0.5"),
    "numeric-decimals": (NUM + "      answer: 26\n      decimals: 9\n",
                         "7:17: error: worksheet.items[0].decimals: must be at most 6, got 9"),
    "numeric-no-answer": (NUM + "      unit: cm\n",
                          '4:7: error: worksheet.items[0]: missing required field "answer"'),
    "drawing-height": (DRAW + "      height: 30cm\n",
                       "6:15: error: worksheet.items[0].height: must be from 1 to 25 cm (a page holds about 23), got "
                       "30cm"),
    "drawing-unit": (DRAW + "      height: 6\n",
                     '6:15: error: worksheet.items[0].height: expected a height in centimetres or writing lines, such '
                     'as 6cm or 8 lines, got "6"; give its unit'),
    "drawing-lines": (DRAW + "      height: 0 lines\n",
                      "6:15: error: worksheet.items[0].height: must be a whole number of lines from 1 to 50, got 0 "
                      "lines"),
    "drawing-grid": (DRAW + "      grid: 1mm\n",
                     "6:13: error: worksheet.items[0].grid: squares must be from 2 mm to 20 mm, got 1mm"),
    "drawing-grid-lines": (DRAW + "      grid: 5 lines\n",
                           '6:13: error: worksheet.items[0].grid: expected the size of the squares in mm or cm, such '
                           'as 5mm, got "5 lines"'),
    "drawing-axes": (DRAW + "      axes: {x: Time (s)}\n",
                     '6:13: error: worksheet.items[0].axes: missing required field "y"'),
    "drawing-alt": (DRAW + "      answer_alt: A curve.\n",
                    "6:19: error: worksheet.items[0].answer_alt: answer_alt describes the model drawing, and there is "
                    "no answer_image"),
    "drawing-image": (DRAW + "      answer_image: images/model.png\n",
                      '6:21: error: worksheet.items[0].answer_image: "images/model.png": no such file'),
    "diagram-no-image": (DIAG + "      alt: A cell.\n      labels: [{x: 20, y: 30, answer: nucleus}]\n",
                         '4:7: error: worksheet.items[0]: missing required field "image"'),
    "diagram-image": (DIAG + "      image: images/cell.png\n      alt: A cell.\n      labels: [{x: 20, y: 30, answer: "
                      "nucleus}]\n", '6:14: error: worksheet.items[0].image: "images/cell.png": no such file'),
    "diagram-no-alt": (DIAG + "      image: images/cell.png\n      labels: [{x: 20, y: 30, answer: nucleus}]\n",
                       '4:7: error: worksheet.items[0]: missing required field "alt"'),
    "diagram-outside": (DIAG + PICTURE + "      labels:\n        - {x: 120, y: 30, answer: nucleus}\n",
                        "9:15: error: worksheet.items[0].labels[0].x: is outside the picture: 120; use 0 to 100 "
                        "(percent of the picture, from its left or top edge)"),
    "diagram-negative": (DIAG + PICTURE + "      labels:\n        - {x: 20, y: -5, answer: nucleus}\n",
                         "9:22: error: worksheet.items[0].labels[0].y: is outside the picture: -5; use 0 to 100 "
                         "(percent of the picture, from its left or top edge)"),
    "diagram-percent": (DIAG + PICTURE + "      labels:\n        - {x: 20, y: 101%, answer: nucleus}\n",
                        "9:22: error: worksheet.items[0].labels[0].y: is outside the picture: 101%; use 0 to 100 "
                        "(percent of the picture, from its left or top edge)"),
    "diagram-word": (DIAG + PICTURE + "      labels:\n        - {x: left, y: 5, answer: nucleus}\n",
                     '9:15: error: worksheet.items[0].labels[0].x: expected a percentage of the picture from 0 to 100, '
                     'such as 35, got "left"'),
    "diagram-same-place": (DIAG + PICTURE + "      labels:\n        - {x: 20, y: 30, answer: nucleus}\n"
                           "        - {x: 20, y: 30, answer: vacuole}\n",
                           "10:15: error: worksheet.items[0].labels[1].x: label 2 is at the same place as label 1 "
                           "(x 20, y 30): their markers would cover each other"),
    "diagram-no-labels": (DIAG + PICTURE + "      labels: []\n",
                          "8:15: error: worksheet.items[0].labels: needs at least 1 entry, has 0"),
    "diagram-extra": (DIAG + PICTURE + "      labels: [{x: 20, y: 30, answer: nucleus}]\n      extra: [ribosome]\n",
                      "9:14: error: worksheet.items[0].extra: extra words go in the word bank, and word_bank is false"),
    "diagram-extra-answer": (DIAG + PICTURE + "      labels: [{x: 20, y: 30, answer: nucleus}]\n      word_bank: true\n"
                             "      extra: [Nucleus]\n",
                             '10:15: error: worksheet.items[0].extra[0]: "Nucleus" is an answer, not a distractor'),
}
"""Each bad value, in a lesson of its own (file name: the case's name), and the line check prints for it."""


@pytest.mark.parametrize("name", ERRORS)
def test_every_bad_value_is_a_check_error_at_its_place(run, tmp_path, name):
    text, expected = ERRORS[name]
    write(tmp_path / "lessons" / f"{name}.yaml", HEAD + text)
    if "image: images/cell.png" in text and name != "diagram-image":
        write(tmp_path / "lessons" / "images" / "cell.png", cell_png())
    before = snapshot(tmp_path)
    result = run("check", f"lessons/{name}.yaml")
    assert result.exit_code == 1, result.output
    assert f"lessons/{name}.yaml:{expected}" in result.output.splitlines(), result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_near_markers_and_repeated_answers_are_warnings(run, tmp_path):
    write(tmp_path / "lessons" / "near.yaml", HEAD + DIAG + PICTURE + "      labels:\n"
          "        - {x: 20, y: 30, answer: nucleus}\n        - {x: 22, y: 33, answer: vacuole}\n"
          "        - {x: 60, y: 60, answer: Nucleus}\n")
    write(tmp_path / "lessons" / "images" / "cell.png", cell_png())
    result = run("check", "lessons/near.yaml")
    lines = result.output.splitlines()
    assert ("lessons/near.yaml:10:15: warning: worksheet.items[0].labels[1].x: label 2 is so close to label 1 that "
            "their markers would overlap") in lines
    assert 'lessons/near.yaml:11:34: warning: worksheet.items[0].labels[2].answer: answer "Nucleus" repeats ' \
           "worksheet.items[0].labels[0].answer" in lines
    assert " 0 errors" in result.output


def test_the_documented_messages_are_the_ones_check_prints():
    """docs/lesson-format.md's table of messages shows these errors as check prints them."""
    text = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^\| `(lessons/(?:numeric|drawing|diagram)-[^`]+)`", text, re.M))
    assert len(shown) >= 12
    printed = {f"lessons/{name}.yaml:{line}" for name, (_, line) in ERRORS.items()}
    assert shown <= printed, shown - printed


def test_a_word_bank_without_distractors_is_a_teaching_lint(run, tmp_path):
    write(tmp_path / "lessons" / "bank.yaml", "title: Bank\nobjectives: [Name the parts of a cell.]\n" + HEAD[14:]
          + DIAG + PICTURE + "      labels: [{x: 20, y: 30, answer: nucleus}, {x: 60, y: 60, answer: vacuole}]\n"
          "      word_bank: true\n")
    write(tmp_path / "lessons" / "images" / "cell.png", cell_png())
    result = run("check", "--strict", "lessons/bank.yaml")
    assert result.exit_code == 1
    assert "the word bank has no distractors, so the last label can be found by elimination [no-distractors]" \
           in result.output


# -- the space to draw in ---------------------------------------------------------------------------


def test_graph_paper_and_axes_are_drawn_as_the_docs_say():
    svg = etree.fromstring(frame_svg(400, 170, grid=5 * 72 / 25.4, axes=("Light (lux)", "Bubbles per minute"),
                                     ink="#1a1a1a"))
    lines = svg.findall(f"{SVG}line")
    minor = [l for l in lines if l.get("stroke") == MINOR_GREY]
    major = [l for l in lines if l.get("stroke") == "#444444"]
    assert minor and major and abs(len(major) - len(minor)) <= 2  # 5 mm squares: every second line is a centimetre
    assert {float(l.get("stroke-width")) for l in minor} == {MINOR_RULE} == {0.5}
    assert {float(l.get("stroke-width")) for l in major} == {0.75}
    texts = ["".join(t.itertext()) for t in svg.findall(f"{SVG}text")]
    assert texts == ["Light (lux)", "Bubbles per minute"]
    assert "rotate(-90)" in svg.findall(f"{SVG}text")[1].get("transform")
    frame = svg.find(f"{SVG}rect")
    assert frame.get("stroke") == "#1a1a1a" and float(frame.get("stroke-width")) == 1
    plain_box = etree.fromstring(frame_svg(400, 170))
    assert plain_box.findall(f"{SVG}line") == [] and plain_box.findall(f"{SVG}text") == []


@pytest.mark.parametrize("style,paper", [("classic", "letter"), ("large-print", "a4")])
def test_a_space_is_never_taller_than_its_page_and_is_kept_whole(tmp_path, style, paper):
    tall = LESSON.replace("height: 6cm", "height: 25cm").replace("height: 5 lines", "height: 50 lines")
    lesson = lesson_file(tmp_path, tall)
    geometry = Geometry.of(load_style(style).tokens, paper)
    m = paging.Measures.of(geometry)
    spaces = {}
    for edition in ("student", "teacher"):
        h = plan(lesson, edition, PlanContext(geometry=geometry))
        for q in h.worksheet.questions[3:5]:
            assert q.frame.height < 25 * 72 / 2.54 and q.keep_whole and paging.fits_on_a_page(m, q), (edition, q.number)
            spaces[edition, q.number] = (q.frame.width, q.frame.height)
    assert spaces["student", 4] == spaces["teacher", 4] and spaces["student", 5] == spaces["teacher", 5]
    model = plan(lesson, "teacher", PlanContext(geometry=geometry)).worksheet.questions[3]
    assert model.model is not None and b"Model answer" in model.frame.data  # inside the space, under the words
    assert 0 <= model.model_left and model.model_left + model.model.width <= model.frame.width
    assert 0 < model.model_top and model.model_top + model.model.height <= model.frame.height
    small = plan(lesson_file(tmp_path / "small"), "student", PlanContext(geometry=geometry)).worksheet.questions
    assert small[3].frame.height == pytest.approx(6 * 72 / 2.54, abs=0.1)  # as asked, when it fits
    assert small[4].frame.height == pytest.approx(5 * geometry.writing_line, abs=0.1)


# -- versions ---------------------------------------------------------------------------------------


def test_versions_number_a_diagrams_labels_afresh_and_move_the_questions(tmp_path):
    lesson = lesson_file(tmp_path)
    context = {letter: PlanContext(version=letter, versions=3) for letter in "ABC"}
    questions = {letter: plan(lesson, "student", ctx).worksheet.questions for letter, ctx in context.items()}
    assert [q.kind for q in questions["A"]] == [item.type for item in lesson.lesson.worksheet.items]
    assert any([q.kind for q in questions[v]] != [q.kind for q in questions["A"]] for v in "BC")  # questions move

    def places(letter: str) -> dict[int, tuple[float, float]]:
        diagram = next(q for q in questions[letter] if q.kind == "label_diagram")
        svg = etree.fromstring(diagram.marks.data)
        return {int(t.text): (float(t.get("x")), float(t.get("y"))) for t in svg.findall(f"{SVG}text")}

    assert places("A") != places("B") and places("A") != places("C")
    assert sorted(places("A").values()) == sorted(places("B").values())  # the same places, numbered afresh
    teacher = plan(lesson, "teacher", PlanContext(versions=3))
    for key, letter in zip(teacher.version_keys, "ABC"):
        diagram = next(q for q in plan(lesson, "teacher", PlanContext(version=letter, versions=3)).worksheet.questions
                       if q.kind == "label_diagram")
        row = next(r for r in key.rows if r.kind == "Label the diagram")
        assert row.answer == "; ".join(f"{line.number}. {line.answer}" for line in diagram.lines)
    grid = teacher.key_grids[0]
    assert any("Drawing: see A4" in cell for row in grid.rows for cell in row[2:])  # read by the teacher
    numeric_rows = [row for row in grid.rows if "26 ± 0.5 °C" in row]
    assert len(numeric_rows) == 3  # the same answer, wherever each version prints it
    fixed = lesson_file(tmp_path / "fixed", LESSON.replace("      word_bank: true\n",
                                                            "      word_bank: true\n      shuffle_choices: false\n"))
    b = next(q for q in plan(fixed, "student", PlanContext(version="B", versions=3)).worksheet.questions
             if q.kind == "label_diagram")
    a = next(q for q in plan(fixed, "student", PlanContext(version="A", versions=3)).worksheet.questions
             if q.kind == "label_diagram")
    assert a.marks.data == b.marks.data and a.word_bank == b.word_bank == ("cell membrane", "chloroplast",
                                                                          "cytoplasm", "nucleus")


# -- the skeleton and the schema ----------------------------------------------------------------------


def test_new_shows_each_type_and_a_diagram_commented_out_until_its_picture_exists():
    from lessonpack.apps.new import lesson_text

    text = lesson_text("Cells", "schema.json")
    assert "\n    - type: numeric\n" in text and "\n    - type: drawing\n" in text
    assert "\n    # - type: label_diagram\n" in text and "\n    - type: label_diagram" not in text
    assert "# Needs a picture of your own" in text


def test_every_key_of_the_new_types_is_described_for_editors():
    from lessonpack.apps.schema import lesson_schema

    schema = lesson_schema()
    for name in ("Numeric", "Drawing", "Axes", "LabelDiagram", "DiagramLabel"):
        properties = schema["$defs"][name]["properties"]
        assert properties and all(p.get("description") for p in properties.values()), name
    shipped = (REPO / "schema" / "lesson.schema.json").read_text(encoding="utf-8")
    assert '"LabelDiagram"' in shipped and '"Numeric"' in shipped


def test_the_new_types_html_passes_the_sanitiser_unchanged(tmp_path, monkeypatch):
    """What lessonpack's own templates draw for the new types (both editions and the fillable one: pictures as
    data: addresses, inline sizes, fields) is what the sanitiser lets through as it is."""
    import tinyhtml5

    from lessonpack.render import html as render_html
    from lessonpack.render.sanitize import clean_document

    def shape(html: str) -> list:
        return [(e.tag, sorted(e.items()), e.text, e.tail) for e in tinyhtml5.parse(html).iter()
                if isinstance(e.tag, str)]

    lesson = lesson_file(tmp_path)
    documents: list[str] = []
    monkeypatch.setattr(render_html, "clean_document", lambda html, **_: documents.append(html) or html)
    for edition, context in (("student", PlanContext()), ("teacher", PlanContext()),
                             ("student", PlanContext(fillable=True))):
        render_html.render_html(plan(lesson, edition, context), load_style("classic"), "letter", pack_root=tmp_path)
    monkeypatch.undo()
    assert len(documents) == 3 and all("data:image/svg+xml;base64," in html for html in documents)
    for html in documents:
        removed: list = []
        cleaned = clean_document(html, base_url=tmp_path.resolve().as_uri() + "/", removed=removed)
        assert removed == [] and shape(cleaned) == shape(html)


# -- the built handouts -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The lesson built as a teacher builds it: PDF, Word and the fillable PDF, both editions."""
    root = cells_pack(tmp_path_factory.mktemp("new-items") / "pack")
    result = build(root, out_dir=root / "out", formats=["pdf", "docx", "pdf-form"], with_pack=False, jobs=1)
    assert result.ok, result.failed
    return root, root / "out" / "cells"


def _words(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        return [dict(w, page=n) for n, page in enumerate(doc.pages) for w in page.extract_words()]


def test_the_pdfs_print_a_box_with_its_unit_a_space_and_a_diagram_with_numbered_markers(built):
    _, folder = built
    student, teacher = folder / "cells-student.pdf", folder / "cells-teacher.pdf"
    read = " ".join(words(pdf_text(student)))
    assert "what temperature did it reach 1 point c 2" in read  # the box is empty; the unit after it
    assert "26" not in words(pdf_text(student))[:60] and "nucleus" not in pdf_text(student).split("WORD BANK")[0]
    assert "a space to draw in on graph paper of 5 mm squares with two axes across light intensity lux up " \
           "bubbles per minute" in read  # a reader hears the space described
    assert "markers numbered 1 to 3 are drawn on the picture" in read
    key = pdf_tables(teacher)[-1]
    assert ["1", "Numeric", "26 ± 0.5 °C", "1"] in key and ["2", "Numeric", "-4 ± 0.2 °C", "1"] in key
    assert ["6", "Label the diagram", "1. nucleus; 2. cell membrane; 3. cytoplasm", "1"] in key
    teacher_read = " ".join(words(pdf_text(teacher)))
    assert "bubbles per minute model answer a straight rising line" in teacher_read
    assert "1 nucleus 2 cell membrane 3 cytoplasm" in teacher_read
    assert "levelling off" not in teacher_read.split("answer key")[0]  # what a good drawing shows: in the key
    with pdfplumber.open(student) as doc:
        # The unit is printed after the box, on its line.
        page = doc.pages[0]
        after = [(unit, box) for unit in page.extract_words() if unit["text"] == "°C" for box in page.rects
                 if box["width"] > 60 and abs(box["bottom"] - unit["bottom"]) < 6 and 0 < unit["x0"] - box["x1"] < 12]
        assert len(after) >= 2  # questions 1 and 2 (each box is drawn as two rectangles: its fill and its border)
        # Graph paper: 0.5 pt rules in #666666 and the centimetre rules 0.75 pt in #444444, in the space.
        grid = [l for p in doc.pages for l in p.lines if round(l["linewidth"], 2) == 0.5]
        thick = [l for p in doc.pages for l in p.lines if round(l["linewidth"], 2) == 0.75]
        assert len(grid) >= 20 and {tuple(round(c, 2) for c in l["stroking_color"]) for l in grid} == {(0.4, 0.4, 0.4)}
        assert len(thick) > 10 and {tuple(round(c, 2) for c in l["stroking_color"]) for l in thick} == {(0.27,) * 3}
        # Each marker's number is drawn where its label says, over the picture.
        for p in doc.pages:
            if p.images:
                picture = max(p.images, key=lambda i: i["width"])
                break
        numbers = {c["text"]: c for c in p.chars if c["text"] in "123" and picture["top"] <= c["top"] <= picture["bottom"]
                   and picture["x0"] <= c["x0"] <= picture["x1"]}
        for n, (x, y) in {"1": (50, 50), "3": (80, 25)}.items():
            c = numbers[n]
            assert abs((c["x0"] + c["x1"]) / 2 - (picture["x0"] + picture["width"] * x / 100)) < 2
            assert abs((c["top"] + c["bottom"]) / 2 - (picture["top"] + picture["height"] * y / 100)) < 3
        marker = numbers["2"]  # 9 %: moved in just enough to be whole
        assert marker["x0"] > picture["x0"] + 2


def test_the_word_documents_draw_the_same(built):
    _, folder = built
    student, teacher = Docx((folder / "cells-student.docx").read_bytes()), Docx((folder / "cells-teacher.docx").read_bytes())
    boxes = student.styled(S.NUMERIC)
    assert [p.text.strip().split("\u00a0")[-1] for p in boxes[:2]] == ["°C", "°C"]
    assert all(style == S.ANSWER_BOX for style, text in boxes[0].runs if text.strip("\u2007") == "")
    assert "26\u00a0±\u00a00.5" in teacher.styled(S.NUMERIC)[0].text
    # The answer in its box, in its own style (in two runs: the lesson's answer, marked for import, and its ± part).
    answer = [(s, t) for s, t in teacher.styled(S.NUMERIC)[0].runs if s in (S.ANSWER_BOX, S.ANSWER_BOX_ANSWER)]
    assert [s for s, _ in answer] == [S.ANSWER_BOX, S.ANSWER_BOX_ANSWER, S.ANSWER_BOX_ANSWER, S.ANSWER_BOX]
    assert "".join(t for s, t in answer if s == S.ANSWER_BOX_ANSWER) == "26\u00a0±\u00a00.5"
    drawings = student.styled(S.DRAWING)
    assert len(drawings) == 2 and "graph paper of 5 mm squares" in drawings[0].text
    assert teacher.styled(S.DRAWING)[0].text.endswith("up, Bubbles per minute. Model answer: A straight rising line.")
    # The model drawing is drawn into the space: its dark line crosses the space's middle (the student's is empty
    # there, between the graph paper's rules).
    spaces = [Image.open(io.BytesIO(d.doc.part.related_parts[d.styled(S.DRAWING)[0].el.xpath(".//a:blip")[0].get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")].blob)).convert("L")
        for d in (student, teacher)]
    dark = [sum(space.histogram()[:60]) for space in spaces]  # pixels darker than the graph paper's rules
    assert dark[1] > dark[0] + 500
    lines = [p.text.replace("\u00a0", " ") for p in teacher.styled(S.LABEL_LINE)]
    assert lines == ["1. nucleus\t", "2. cell membrane\t", "3. cytoplasm\t"]
    assert [p.text.replace("\u00a0", " ") for p in student.styled(S.LABEL_LINE)] == ["1. \t", "2. \t", "3. \t"]
    diagram = student.styled(S.DIAGRAM)[0]
    assert diagram.text.endswith("Markers numbered 1 to 3 are drawn on the picture.")
    # The markers are drawn into the picture: dark discs where the labels say.
    blip = diagram.el.xpath(".//a:blip")[0].get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    image = Image.open(io.BytesIO(student.doc.part.related_parts[blip].blob)).convert("L")
    question = plan(load_pack(built[0]).lessons[0], "student", PlanContext()).worksheet.questions[5]
    off = image.width * 1.5 * 11 / 2 * 0.7 / question.picture.width  # 0.7 of a marker's radius: on the disc
    for x, y in ((0.5, 0.5), (0.8, 0.25)):  # markers 1 and 3, beside their white numbers
        cx, cy = image.width * x, image.height * y
        assert max(image.getpixel((round(cx - off), round(cy))), image.getpixel((round(cx + off), round(cy)))) < 80
    assert image.getpixel((round(image.width * 0.65), round(image.height * 0.8))) > 200  # no marker there


def _fill(form: Path, out: Path, values: dict[str, str]) -> Path:
    writer = PdfWriter(clone_from=PdfReader(form))
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(out)
    return out


def test_the_form_has_a_field_for_each_number_and_label_and_collect_marks_them(built, run, tmp_path):
    root, folder = built
    form = folder / "cells-student-form.pdf"
    fields = PdfReader(form).get_fields()
    assert sorted(fields) == ["class", "date", "name", "q1", "q2", "q3", "q6.1", "q6.2", "q6.3"]  # no drawing field
    assert str(fields["q1"]["/TU"]).endswith("(answer in °C)") and str(fields["q6.2"]["/TU"]).endswith("(label 2)")
    assert len(PdfReader(form).pages) == len(PdfReader(folder / "cells-student.pdf").pages)
    assert "draw this on paper it is marked by hand" in " ".join(words(pdf_text(form)))
    ada = _fill(form, tmp_path / "ada.pdf", {"name": "Ada", "q1": "26,0", "q2": "-4.2", "q3": "1,600 lux",
                                               "q6.1": "Nucleus", "q6.2": "membrane", "q6.3": "cytoplasm"})
    ben = _fill(form, tmp_path / "ben.pdf", {"name": "Ben", "q1": "26.6 °C", "q2": "4", "q3": "1.600",
                                               "q6.1": "nucleus", "q6.2": "wall", "q6.3": "vacuole"})
    result = run("collect", str(ada), str(ben), "-o", str(tmp_path / "marks.csv"), "--pack", str(root))
    assert result.exit_code == 0, result.output
    assert "marked by hand (answered on paper, no field in the form): q4 (drawing), q5 (drawing)" in result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "marks.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["name"], r["score q1"], r["score q2"], r["score q3"], r["score q6"], r["score"], r["out of"])
            for r in rows] == [("Ada", "1", "1", "1", "1", "4", "4"), ("Ben", "0", "0", "0", "0", "0", "4")]
    assert "score q4" not in rows[0]


# -- slower: versions, LibreOffice, the docs' examples ---------------------------------------------


@pytest.mark.slow
def test_versions_print_their_own_numbering_and_keys(tmp_path):
    root = cells_pack(tmp_path / "pack", settings="title: Cells\nversions: 2\n")
    result = build(root, out_dir=root / "out", formats=["pdf"], with_pack=False, jobs=1)
    assert result.ok, result.failed
    folder = root / "out" / "cells"

    def numbered(pdf: Path) -> dict[str, tuple[int, int]]:
        with pdfplumber.open(pdf) as doc:
            for p in doc.pages:
                if p.images:
                    pic = max(p.images, key=lambda i: i["width"])
                    return {c["text"]: (round((c["x0"] - pic["x0"]) / pic["width"] * 10),
                                        round((c["top"] - pic["top"]) / pic["height"] * 10))
                            for c in p.chars if c["text"] in "123" and pic["x0"] <= c["x0"] <= pic["x1"]
                            and pic["top"] <= c["top"] <= pic["bottom"]}
        return {}

    a, b = numbered(folder / "cells-student-A.pdf"), numbered(folder / "cells-student-B.pdf")
    assert set(a) == set(b) == {"1", "2", "3"} and a != b and sorted(a.values()) == sorted(b.values())
    keys = [t for t in pdf_tables(folder / "cells-teacher.pdf") if t and t[0][:2] == ["#", "Question"]]
    assert len(keys) == 2 and keys[0] != keys[1]
    nucleus_b = next(n for n, place in b.items() if place == a["1"])  # the nucleus's marker in version B
    row = next(r for r in keys[1] if r[1] == "Label the diagram")
    assert f"{nucleus_b}. nucleus" in row[2]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_shows_the_markers_and_the_space_where_the_pdf_has_them(built, tmp_path):
    _, folder = built
    shutil.copyfile(folder / "cells-student.docx", tmp_path / "cells.docx")
    converted = libreoffice_to_pdf([tmp_path / "cells.docx"], tmp_path)[0]
    with pdfplumber.open(converted) as doc:
        pictures = [(n, i) for n, p in enumerate(doc.pages) for i in p.images]
        assert len(pictures) >= 3  # the two spaces and the diagram
        n, diagram = max(pictures, key=lambda found: found[1]["width"] * (found[1]["height"] > 200))
        page = doc.pages[n].to_image(resolution=100).original.convert("L")
    scale = 100 / 72
    off = 1.5 * 11 / 2 * 0.7 * scale  # 0.7 of a marker's radius: on the disc, beside its white number
    for x, y in ((50, 50), (80, 25)):
        cx = (diagram["x0"] + diagram["width"] * x / 100) * scale
        cy = (diagram["top"] + diagram["height"] * y / 100) * scale
        assert max(page.getpixel((round(cx - off), round(cy))), page.getpixel((round(cx + off), round(cy)))) < 90, (x, y)
    empty = ((diagram["x0"] + diagram["width"] * 0.65) * scale, (diagram["top"] + diagram["height"] * 0.8) * scale)
    assert page.getpixel((round(empty[0]), round(empty[1]))) > 200


def doc_examples() -> dict[str, str]:
    """The examples of the new item types in docs/lesson-format.md, by name."""
    text = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- example: ([\w-]+) -->\n```yaml\n(.*?)```", text, re.S))


def doc_pack(folder: Path) -> Path:
    """A pack of one lesson holding every example, with the pictures they name."""
    examples = doc_examples()
    items = "".join("\n".join("    " + line if line else line for line in text.splitlines()) + "\n"
                    for text in examples.values())
    write(folder / "lessonpack.yaml", "title: Examples\n")
    write(folder / "lessons" / "examples.yaml", "title: The Examples\nobjectives: [Try every new item type.]\n"
          f"worksheet:\n  items:\n{items}")
    write(folder / "lessons" / "images" / "model-graph.png", graph_png())
    write(folder / "lessons" / "images" / "plant-cell.png", cell_png())
    return folder


def test_every_example_in_the_docs_checks_clean(run, tmp_path):
    assert set(doc_examples()) >= {"numeric", "numeric-decimals", "drawing-graph", "drawing-sketch", "label-diagram"}
    pack = doc_pack(tmp_path / "pack")
    result = run("check", "--strict", str(pack))
    assert result.exit_code == 0, result.output
    teacher = plan(load_pack(pack).lessons[0], "teacher", PlanContext())
    assert [r.answer for r in teacher.answer_key.rows[:2]] == ["26 ± 0.5 °C", "55.1 ± 0.1 cm"]


@pytest.mark.slow
def test_every_example_in_the_docs_builds(tmp_path):
    pack = doc_pack(tmp_path / "pack")
    result = build(pack, out_dir=tmp_path / "out", formats=["pdf", "docx", "pdf-form"], with_pack=False, jobs=1)
    assert result.ok, result.failed
    read = " ".join(words(pdf_text(tmp_path / "out" / "examples" / "examples-student.pdf")))
    assert "to 1 decimal place" in read and "a space to draw in" in read
    assert {"q1", "q2", "q5.1", "q5.5"} <= set(PdfReader(tmp_path / "out" / "examples" /
                                                        "examples-student-form.pdf").get_fields())


def test_the_item_types_are_registered_as_lessonpacks_own():
    types = item_types()
    assert [types[name].name for name in ("numeric", "drawing", "label_diagram")] == ["numeric", "drawing",
                                                                                     "label_diagram"]
    assert types["drawing"].on_paper and types["drawing"].read_by_teacher
    assert types["label_diagram"].skeleton_needs_files and not types["numeric"].on_paper
