"""Formulas print as the words around them do: in their colour (a teacher's answer is coloured; WeasyPrint draws
an inline SVG in black), and aligned lines a line apart, as TeX sets them, not ink to ink."""

from __future__ import annotations

import pdfplumber
import pytest

from lessonpack.text.maths import drawing

LESSON = """title: Colours
prompts:
  - text: What does the line $y = 3$ look like?
    notes: A horizontal line, $y = c$, for any number $c$.
reading:
  text: |
    Solve it step by step:

    $$\\begin{aligned} 2x - 3 &= 5 \\\\ 2x &= 8 \\\\ x &= 4 \\end{aligned}$$
"""


@pytest.fixture(scope="module")
def teacher_pdf(tmp_path_factory):
    from lessonpack.building.builder import build

    root = tmp_path_factory.mktemp("colours")
    (root / "lessons").mkdir()
    (root / "lessonpack.yaml").write_text("title: Colours\nlessons:\n  - colours\n", encoding="utf-8")
    (root / "lessons" / "colours.yaml").write_text(LESSON, encoding="utf-8")
    result = build(root, out_dir=root / "out", formats=["pdf"], editions=["teacher"], with_pack=False)
    assert result.ok, result.failed
    return root / "out" / "colours" / "colours-teacher.pdf"


def _line(page, word: str):
    found = [w for w in page.extract_words(extra_attrs=["non_stroking_color"]) if w["text"].startswith(word)]
    assert found, word
    return found[0]


@pytest.mark.slow
def test_a_formula_takes_the_colour_of_the_words_around_it(teacher_pdf):
    with pdfplumber.open(teacher_pdf) as doc:
        page = next(p for p in doc.pages if "horizontal" in (p.extract_text() or ""))
        note = _line(page, "horizontal")
        prompt = _line(page, "look")
        assert note["non_stroking_color"] != prompt["non_stroking_color"]  # the note is coloured
        for word in (note, prompt):
            curves = [c for c in page.curves if abs(c["top"] - word["top"]) < word["bottom"] - word["top"]]
            assert curves, word["text"]
            assert {tuple(c["non_stroking_color"]) for c in curves} == {tuple(word["non_stroking_color"])}


@pytest.mark.slow
def test_aligned_lines_stand_a_line_apart(teacher_pdf):
    with pdfplumber.open(teacher_pdf) as doc:
        page = doc.pages[0]
        size = _line(page, "Solve")["bottom"] - _line(page, "Solve")["top"]
        rows = sorted({round(c["bottom"]) for c in page.curves if c["bottom"] - c["top"] > size * 0.4
                       and c["top"] > _line(page, "Solve")["bottom"]})
    # three rows of figures: their baselines at least a line (1.1 of the text's height) apart
    baselines = [rows[0]] + [b for a, b in zip(rows, rows[1:]) if b - a > 2]
    assert len(baselines) >= 3, rows
    assert min(b - a for a, b in zip(baselines, baselines[1:])) >= size * 1.1


def test_a_drawn_table_of_lines_is_spaced_like_tex():
    three = drawing(r"\begin{aligned} 2x - 3 &= 5 \\ 2x &= 8 \\ x &= 4 \end{aligned}", True)
    one = drawing(r"2x - 3 = 5", True)
    assert three.height > 3 * one.height * 1.3


BLANKS = """title: Blanks
objectives: [Fill in formulas.]
worksheet:
  items:
    - type: fill_in_blank
      text: "Half of one is [[$\\\\frac{1}{2}$]] and water is [[H~2~O]]."
      word_bank: false
"""


@pytest.mark.slow
def test_a_teachers_blank_draws_its_answer_as_the_key_does(tmp_path):
    """The teacher edition's blanks draw a formula as a formula and H~2~O with its subscript, in the PDF and in Word
    (they printed the TeX and the tildes)."""
    import docx

    from lessonpack.building.builder import build

    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessonpack.yaml").write_text("title: Blanks\nlessons:\n  - blanks\n", encoding="utf-8")
    (tmp_path / "lessons" / "blanks.yaml").write_text(BLANKS, encoding="utf-8")
    result = build(tmp_path, out_dir=tmp_path / "out", formats=["pdf", "docx"], editions=["teacher"],
                   with_pack=False)
    assert result.ok, result.failed
    with pdfplumber.open(tmp_path / "out" / "blanks" / "blanks-teacher.pdf") as doc:
        text = "".join(page.extract_text() for page in doc.pages)
    assert "frac" not in text and "~" not in text and "$" not in text
    document = docx.Document(str(tmp_path / "out" / "blanks" / "blanks-teacher.docx"))
    body = document.element.body.xml
    assert "frac" not in "".join(p.text for p in document.paragraphs)
    assert body.count("<m:oMath") >= 2  # in the blank and in the key
    assert 'w:vertAlign w:val="subscript"' in body
