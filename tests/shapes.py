"""Lessons of every shape, written from a handful of sizes: long or short stems, many choices, tall sources, long
poems, wide tables, long words, readings from a paragraph to several pages. The page rules must hold for every
one of them (tests/test_pages.py draws shapes with hypothesis and builds them).

The text is plain and subject-neutral (a class studying a town's weather station), repeated to size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

SENTENCES = (
    "The weather station stands in the school field, away from walls and trees.",
    "Every morning at nine a student reads the thermometer and writes the figure in the log.",
    "A rain gauge collects what falls in a day, and the depth is measured in millimetres.",
    "Wind speed is taken from the cups on the mast, which turn faster as the wind grows.",
    "Readings taken at the same time each day can be compared fairly from week to week.",
    "A missing reading is marked with a dash, never guessed, so the record stays honest.",
    "Over a year the log shows the seasons clearly, and a few surprising days as well.",
)

LONG_WORD = "Counterclockwiseincrementalmeasurementapparatus"
"""A word longer than a narrow column: it must wrap or shrink, never run off the page."""


@dataclass(frozen=True)
class Shape:
    """The sizes one generated lesson is written from."""

    reading: int = 2  # paragraphs of about 60 words
    lead: int = 2  # short-answer questions before the tall source
    source: int = 3  # paragraphs in the prose source
    stem: int = 1  # sentences in the multiple-choice stem
    choices: int = 4
    long_choices: bool = False
    pairs: int = 5  # matching rows
    poem: int = 16  # lines of the poem source (stanzas of four)
    columns: int = 4  # columns of the data table
    long_word: bool = False
    essay: str = "fill"  # "fill" or a count of lines
    points: int = 6

    @property
    def name(self) -> str:
        return "shape-" + "-".join(str(v).lower() for v in self.__dict__.values())


def _text(n: int, start: int = 0) -> str:
    return " ".join(SENTENCES[(start + k) % len(SENTENCES)] for k in range(n))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML-safe quoted scalar


def lesson_yaml(shape: Shape) -> str:
    """The lesson file of ``shape``."""
    paragraphs = "\n\n".join("    " + _text(4, k) for k in range(shape.reading))
    source = "\n\n".join("      " + _text(5, k + 1) for k in range(shape.source))
    stanzas = []
    for s in range(0, shape.poem, 4):
        lines = [f"the {['morning', 'evening', 'noon', 'night'][k % 4]} reading, line {s + k + 1} of the log,"
                 for k in range(min(4, shape.poem - s))]
        stanzas.append("\\\n".join("      " + line for line in lines))
    poem = "\n\n".join(stanzas)
    header = [f"Day {c} reading ({'millimetres' if c % 2 else 'degrees Celsius'})" for c in range(1, shape.columns + 1)]
    if shape.long_word and shape.columns <= 3:  # wider, and the table cannot fit at all: a check error
        header[0] = LONG_WORD
    rows = [[f"{(r * 7 + c * 3) % 40}.{c}" for c in range(shape.columns)] for r in range(1, 7)]
    choice = (lambda k: f"Choice {k}: " + _text(1, k)[:-1]) if shape.long_choices else (lambda k: f"Answer number {k}")
    choices = [choice(k) for k in range(1, shape.choices + 1)]
    lead = "\n".join(f"    - {{type: short_answer, prompt: {_q(f'Question {k}: ' + _text(1, k))}, lines: 2, "
                     f"answer: A reading taken at the same time each day.}}" for k in range(1, shape.lead + 1))
    pairs = "\n".join(f"        - {{left: {_q(f'Instrument {k}')}, right: {_q(f'Use {k}: ' + _text(1, k)[:-1])}}}"
                      for k in range(1, shape.pairs + 1))
    words = f" {LONG_WORD}" if shape.long_word else ""
    return f"""title: "Weather Station, shape {shape.name[6:]}"
subject: Geography
grade: 8
language: en
objectives:
  - Read a weather record and describe what it shows.
reading:
  title: Keeping a Weather Record
  text: |
{paragraphs}
sources:
  - title: A student's account of the first month{words}
    text: |
{source}
    citation: Written for this lesson.
  - title: The station's log, in verse
    text: |
{poem}
    citation: Written for this lesson.
  - title: Readings from the first week
    table:
      header: {json.dumps(header)}
      rows: {json.dumps(rows)}
    citation: Made up for this lesson.
worksheet:
  title: Weather Station Questions
  items:
{lead}
    - type: multiple_choice
      source: A
      prompt: {_q(_text(shape.stem) + ' Which of these is true?')}
      choices: {json.dumps(choices)}
      answer: {_q(choices[0])}
    - type: matching
      prompt: Match each instrument with what it does.
      pairs:
{pairs}
      extra: [Something no instrument does]
    - type: short_answer
      source: B
      prompt: Which line of the log mentions the evening reading first?
      lines: 2
      answer: Line 2.
    - type: short_answer
      source: C
      prompt: Which day's readings are the highest?
      lines: 3
      answer: Read from the table.
    - type: essay
      prompt: {_q('How useful is a school weather station? ' + _text(2, 3))}
      lines: {shape.essay}
      points: {shape.points}
      rubric: [Uses the readings]
"""


def shapes() -> st.SearchStrategy[Shape]:
    """Every size, from a lesson a little over a page to one of many pages."""
    return st.builds(
        Shape, reading=st.integers(1, 8), lead=st.integers(0, 8), source=st.integers(1, 12),
        stem=st.integers(1, 8), choices=st.integers(2, 8), long_choices=st.booleans(), pairs=st.integers(3, 10),
        poem=st.integers(4, 48), columns=st.integers(2, 7), long_word=st.booleans(),
        essay=st.sampled_from(["fill", "4", "12", "30"]), points=st.integers(1, 20))


def write_pack(folder: Path, *lessons: Shape) -> Path:
    """A pack holding one lesson per shape."""
    (folder / "lessons").mkdir(parents=True, exist_ok=True)
    for n, shape in enumerate(lessons, 1):
        (folder / "lessons" / f"weather-{n:02d}.yaml").write_text(lesson_yaml(shape), encoding="utf-8")
    (folder / "lessonpack.yaml").write_text("title: Generated lessons\nschool: Test School\n", encoding="utf-8")
    return folder
