"""A source analysis asks any subject's questions: the classic five worded for any subject, and parts of the
author's own (a science teacher's method, reliability and conclusion) with their own wording."""

from __future__ import annotations

import pytest

import docx

# Each test builds real files: make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

LESSON = """title: Rates
objectives: [Judge an experiment.]
sources:
  - title: A student's results
    text: The pondweed gave off 12 bubbles a minute near the lamp and 3 far from it.
    citation: Written for this lesson.
worksheet:
  items:
    - type: source_analysis
      source: A
      parts:
        - part: method
          prompt: How was the rate measured?
        - part: reliability
          prompt: How could the results be made more reliable?
          points: 2
          answer: Repeat each distance three times.
        - {part: conclusion, label: What it shows, prompt: "What can you conclude?"}
        - value
"""


def _pack(tmp_path, text: str):
    (tmp_path / "lessons").mkdir(parents=True)
    (tmp_path / "lessonpack.yaml").write_text("title: Science\nlessons:\n  - rates\n", encoding="utf-8")
    (tmp_path / "lessons" / "rates.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_parts_of_the_authors_own_print_with_their_wording_in_both_formats(run, tmp_path):
    pack = _pack(tmp_path / "pack", LESSON)
    assert run("check", "--strict", str(pack)).exit_code == 0
    result = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "-e", "student", "-e", "teacher",
                 "--no-pack")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "rates" / "rates-student.docx")).paragraphs)
    for line in ("Method: How was the rate measured?", "Reliability: How could the results be made more reliable?",
                 "What it shows: What can you conclude?",
                 "Value: How is this source useful for studying this topic?"):
        assert line in text, line
    assert "historian" not in text.casefold()
    teacher = docx.Document(str(tmp_path / "out" / "rates" / "rates-teacher.docx"))
    assert "Repeat each distance three times." in "\n".join(p.text for p in teacher.paragraphs) + "".join(
        cell.text for table in teacher.tables for row in table.rows for cell in row.cells)


def test_a_part_of_ones_own_without_a_question_is_an_error_at_it(run, tmp_path):
    pack = _pack(tmp_path / "pack", LESSON.replace("          prompt: How was the rate measured?\n", ""))
    result = run("check", str(pack))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        'pack/lessons/rates.yaml:12:11: error: worksheet.items[0].parts[0]: "method" is a part of your own, so lessonpack '
        "has no question for it: add prompt: with the question (its name prints as its label unless you give label:);"
        " lessonpack words these for you: origin, purpose, content, value, limitation")
