"""The handout model on its own: planning, paging, item types, keys, form fields, versions, table columns and the
measuring protocol, tested without laying out a page or writing a file — the model needs neither WeasyPrint nor
python-docx, and these tests run in a fraction of a second each."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest

from lessonpack.handout import PlanContext, arrangements, plan
from lessonpack.handout import measure, paging
from lessonpack.handout.fields import answers, run_of
from lessonpack.handout.measure import Placement
from lessonpack.handout.tables import columns
from lessonpack.load.model import LessonFile
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml
from lessonpack.plugins import item_types
from lessonpack.text.richtext import Span, plain

LESSON = """title: Cells
subject: Biology
worksheet:
  items:
    - type: multiple_choice
      prompt: Which part of a plant cell makes food?
      choices: [Nucleus, Chloroplast, Vacuole, Cell wall]
      answer: Chloroplast
    - {type: true_false, prompt: Animal cells have a cell wall., answer: false}
    - type: fill_in_blank
      text: "Water enters the root by [[osmosis]] and leaves the leaf by [[transpiration|evaporation]]."
    - type: matching
      pairs:
        - {left: Nucleus, right: holds the genetic material}
        - {left: Ribosome, right: makes proteins}
        - {left: Mitochondrion, right: releases energy}
    - type: ordering
      events: [Light is absorbed, Water is split, Glucose is made]
    - {type: short_answer, prompt: "Why do root hair cells have no chloroplasts?", lines: 4, answer: They get no light.}
    - {type: essay, prompt: Compare plant and animal cells., lines: 12, points: 6, shuffle: false}
"""


def lesson(text: str = LESSON, lesson_id: str = "cells") -> LessonFile:
    doc = parse_yaml(text.encode(), SourceMap(f"{lesson_id}.yaml"))
    assert not doc.problems, doc.problems
    model, problems = validate_lesson(doc.data, doc.source)
    assert model is not None, problems
    return LessonFile(id=lesson_id, path=None, lesson=model)  # type: ignore[arg-type]


def test_the_model_needs_no_renderer():
    """Planning every edition, version and form of a lesson imports neither WeasyPrint nor python-docx."""
    code = ("import sys\nfrom tests.test_model import lesson\nfrom lessonpack.handout import PlanContext, plan\n"
            "l = lesson()\nfor e in ('student', 'teacher'):\n    plan(l, e, PlanContext(versions=3))\n"
            "plan(l, 'student', PlanContext(fillable=True))\n"
            "print(sorted(m for m in ('weasyprint', 'docx', 'pikepdf', 'pypdf') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=__import__("pathlib").Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_every_item_type_plans_its_question_and_its_key():
    teacher = plan(lesson(), "teacher")
    key = {row.number: row.answer for row in teacher.answer_key.rows}
    assert key["1"].endswith("Chloroplast") and key["2"] == "False"
    assert key["3"] == "1. osmosis; 2. transpiration"
    letters = re.fullmatch(r"1–([ABC]), 2–([ABC]), 3–([ABC])", key["4"])
    assert letters and len(set(letters.groups())) == 3
    assert sorted(re.findall(r"\d", key["5"])) == ["1", "2", "3"]  # each event's place in the order
    assert key["6"] == "They get no light." and key["7"]
    kinds = [q.kind for q in teacher.worksheet.questions]
    assert kinds == ["multiple_choice", "true_false", "fill_in_blank", "matching", "ordering", "short_answer", "essay"]
    student = plan(lesson(), "student")
    for q in student.worksheet.questions:  # the student's questions carry no answers
        writings = item_types()[q.kind].writings(q)
        assert all(w.answer is None for w in writings)
    assert teacher.answer_key.total.points == "12"


def test_form_fields_are_named_by_question_and_marked_by_their_type():
    form = plan(lesson(), "student", PlanContext(fillable=True))
    names = {run_of(name) for q in form.worksheet.questions for w in item_types()[q.kind].writings(q)
             for name, _ in w.fields}
    assert names == {"q6", "q7"}
    teacher = plan(lesson(), "teacher", PlanContext(fillable=True))
    marked = {m.number: dict(m.fields) for m in answers(teacher.worksheet.questions)}
    assert marked[1] == {"q1": ("B",)} and marked[2] == {"q2": ("false",)}
    assert marked[3] == {"q3.1": ("osmosis",), "q3.2": ("transpiration", "evaporation")}
    assert set(marked[4]) == {"q4.1", "q4.2", "q4.3"} and set(marked[5]) == {"q5.1", "q5.2", "q5.3"}
    assert 6 not in marked and 7 not in marked  # read by the teacher


def test_versions_differ_keep_what_is_pinned_and_are_the_same_every_time():
    first = arrangements(lesson().lesson, "cells", 4)
    again = arrangements(lesson().lesson, "cells", 4)
    assert first == again
    assert len({a.order for a in first}) == 4
    assert all(a.order[-1] == 6 for a in first)  # the essay keeps its place (shuffle: false)


def test_lines_in_a_room_and_the_fill_floor():
    m = paging.Measures.of(None)
    pitch = m.writing_line + 1
    assert paging.lines_in(m, pitch * 10 + 1) == 10
    assert paging.lines_in(m, pitch) >= paging.FILL_MIN_LINES  # too little room: a page of its own


def test_a_tall_question_may_go_on_over_the_page_a_short_one_stays_whole():
    m = paging.Measures.of(None)
    student = plan(lesson(), "student")
    essay = student.worksheet.questions[-1]
    assert paging.keep_whole(m, replace(essay, writing=replace(essay.writing, lines=6)))
    assert not paging.keep_whole(m, replace(essay, writing=replace(essay.writing, lines=40)))


def _cells(*texts: str):
    return tuple((Span(t),) for t in texts)


def test_table_columns_fit_their_room_keep_figures_whole_and_say_when_they_cannot():
    header = _cells("Distance from lamp (cm)", "Trial 1 (bubbles/min)", "Mean")
    rows = [_cells("50", "2.5", "2.5"), _cells("10", "19.5", "19.7")]
    fitted = columns(header, rows, (True, True, True), 300, 10)
    assert fitted.fits and sum(fitted.widths) == pytest.approx(300, abs=0.2) and fitted.scale == 1.0
    assert min(fitted.widths) > 30  # a figure and its heading's longest word fit
    wide = columns(_cells(*(f"Column{i:02d}heading" for i in range(12))), [], (False,) * 12, 300, 10)
    assert not wide.fits and wide.scale == 0.8 and wide.least > 300
    squeezed = columns(_cells(*(f"Heading{i}" for i in range(6))), [], (False,) * 6, 380, 12)
    assert squeezed.fits and squeezed.scale < 1.0  # smaller type, rather than off the page


class FakeLayout:
    """A layout that answers the measuring protocol from a table of placements."""

    def __init__(self, placed):
        self.placed, self.asked = placed, []

    def place(self, handout, ids):
        self.asked.append(set(ids))
        return {k: v for k, v in self.placed.items() if k in ids}


def test_the_measuring_protocol_is_keyed_on_the_models_ids():
    fill = lesson(LESSON.replace("lines: 12", "lines: fill"))
    student = plan(fill, "student")
    essay = student.worksheet.questions[-1]
    assert essay.fills_page and essay.writing.anchor == "cells-q7-lines"
    context = PlanContext()
    top = context.page.page_height - context.page.bottom - 300
    layout = FakeLayout({essay.writing.anchor: [Placement(1, top, top + 20)]})
    assert measure.fill_room(student, layout, context) == {6: pytest.approx(300)}
    assert layout.asked == [{"cells-q7-lines"}]

    form = plan(fill, "student", PlanContext(fillable=True))
    run = item_types()["short_answer"].writings(form.worksheet.questions[5])[0].runs[0]
    assert run.field == "q6" and len(run.line_ids) == 4
    split = FakeLayout({line: [Placement(0 if k < 3 else 1, 700, 720)] for k, line in enumerate(run.line_ids)})
    assert measure.field_pages(form, split)["q6"] == (3, 1)


def test_a_layout_that_draws_none_of_the_ids_leaves_the_estimate():
    student = plan(lesson(LESSON.replace("lines: 12", "lines: fill")), "student")
    assert measure.fill_room(student, FakeLayout({}), PlanContext()) == {}
    assert plain(student.title) == "Cells"


def test_large_print_draws_a_drawing_larger_so_its_words_grow_but_never_a_photograph():
    from types import SimpleNamespace

    from lessonpack.handout.sources import PICTURE_TYPE, picture

    drawing = SimpleNamespace(sized=True, width=400, height=200, format="svg", uri="chart.svg", data=b"")
    classic = picture(drawing, "A chart", (), 500, 600, PICTURE_TYPE)
    large = picture(drawing, "A chart", (), 500, 600, 16)
    assert classic.width == 300 and large.width == pytest.approx(300 * 16 / PICTURE_TYPE, abs=0.1)
    assert picture(drawing, "A chart", (), 380, 600, 16).width == 380  # never wider than the room
    photo = SimpleNamespace(**{**drawing.__dict__, "format": "png", "uri": "photo.png"})
    assert picture(photo, "A photo", (), 500, 600, 16).width == 300  # never beyond its pixels


def test_a_poems_height_is_estimated_line_by_line():
    m = paging.Measures.of(PlanContext().page)
    from lessonpack.text.richtext import blocks

    poem = blocks("\\\n".join(f"a short line of verse, number {k}" for k in range(40)))
    prose = blocks(" ".join(f"a short line of verse, number {k}" for k in range(40)))
    assert paging.blocks(m, poem) >= 40 * m.line  # forty lines, each its own
    assert paging.blocks(m, prose) < paging.blocks(m, poem) / 2


def test_a_picture_that_left_its_page_half_blank_prints_after_the_next_paragraph():
    from types import SimpleNamespace

    text = ("title: Rivers\nreading:\n  text: |\n    The first paragraph.\n\n    ![A map.](map.svg)\n\n"
            "    The second paragraph.\n\n    The third paragraph.\n")
    source = replace(lesson(text, "rivers"), images={"map.svg": SimpleNamespace(
        sized=True, width=400, height=300, format="svg", uri="map.svg", data=b"")})
    context = PlanContext()
    foot = context.page.page_height - context.page.bottom

    class Layout:  # the picture starts page 2 and leaves 300 pt blank under the first paragraph, until it moves
        def __init__(self):
            self.seen = []

        def place(self, handout, ids):
            order = handout.reading.anchors
            self.seen.append(order)
            if order.index("rivers-figure-1") == 1:
                return {"rivers-para-1": [Placement(0, 100, foot - 300)], "rivers-figure-1": [Placement(1, 60, 300)]}
            return {a: [Placement(0, 100 + 50 * k, 140 + 50 * k)] for k, a in enumerate(order)}

    layout = Layout()
    moves = measure.picture_moves(lambda moves: plan(source, "student", replace(context, picture_moves=moves)),
                                  layout, context)
    assert moves == {"rivers-figure-1": 1}
    moved = plan(source, "student", replace(context, picture_moves=moves)).reading
    assert moved.anchors == ("rivers-para-1", "rivers-para-2", "rivers-figure-1", "rivers-para-3")
    assert [n for n, _ in moved.paragraphs] == [1, 2, 0, 3]  # the paragraphs keep their numbers
    assert len(layout.seen) == 2



def test_a_worksheet_a_layout_shows_opening_page_two_asks_for_the_name_and_starts_a_right_hand_page():
    short = lesson(LESSON.replace("title: Cells", "title: Cells\nreading:\n  text: A short reading."))
    context = PlanContext(duplex=True)
    estimated = plan(short, "student", context)
    assert not estimated.worksheet.name_line and not estimated.section("worksheet").new_page  # one page, it guessed

    class Layout:
        def place(self, handout, ids):
            return {anchor: [Placement(1, context.page.top, context.page.top + 40)] for anchor in ids}

    start = measure.worksheet_start(estimated, Layout(), context)
    assert start == (1, True)
    measured = plan(short, "student", replace(context, worksheet_start=start))
    assert measured.worksheet.name_line  # the page handed in asks for the name
    assert measured.section("worksheet").new_page and measured.section("worksheet").recto  # on a right-hand page
    teacher = plan(short, "teacher", replace(context, worksheet_start=start))
    assert not teacher.section("worksheet").recto  # the teacher hands nothing in


def test_a_first_question_that_fits_a_page_but_not_under_the_worksheet_heading_opens_under_it():
    matching = lesson(LESSON.replace("    - type: multiple_choice\n", "    - type: matching\n      pairs:\n" + "".join(
        f"        - {{left: Term {k}, right: Meaning {k}}}\n" for k in range(1, 9)) + "    - type: multiple_choice\n", 1))
    context = PlanContext()
    first = plan(matching, "student", context).worksheet.questions[0]
    assert first.kind == "matching" and first.keep_whole
    page = paging.Measures.of(context.page).height
    tall = plan(matching, "student", replace(context, heights={first.anchor: page - 40})).worksheet.questions[0]
    assert not tall.keep_whole  # it fits a page alone, not under the heading: it opens there and goes on
    short = plan(matching, "student", replace(context, heights={first.anchor: page / 2})).worksheet.questions[0]
    assert short.keep_whole
