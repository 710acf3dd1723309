"""The fillable student PDF and ``lessonpack collect``: fields named for their questions, nothing active, the
student edition's pages, and filled copies read back into a marked CSV."""

from __future__ import annotations

import csv
import io
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader, PdfWriter

from lessonpack.building.builder import build
from lessonpack.handout import PlanContext, plan
from lessonpack.items.fill_in_blank import Blank
from lessonpack.handout.fields import answers
from lessonpack.load.pack import load_pack
from lessonpack.plugins import item_types
from lessonpack.text.richtext import plain

from conftest import REPO

FLAGSHIP = "soviet-union-1924-1935"
MULTILINE = 1 << 12
RADIO = 1 << 15


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The flagship lesson in a pack of its own, built as the student PDF and the fillable one."""
    root = tmp_path_factory.mktemp("forms")
    pack = root / "pack"
    (pack / "lessons").mkdir(parents=True)
    shutil.copy(REPO / "lessons" / f"{FLAGSHIP}.yaml", pack / "lessons")
    for name in ("images",):
        if (REPO / "lessons" / name).is_dir():
            shutil.copytree(REPO / "lessons" / name, pack / "lessons" / name)
    (pack / "lessonpack.yaml").write_text("title: The Interwar Years (1919–1938)\nschool: Hill School\n",
                                          encoding="utf-8")
    result = build(pack, formats=["pdf", "pdf-form"], editions=["student"], with_pack=False)
    assert result.ok, result.failed
    folder = pack / "dist" / FLAGSHIP
    return pack, folder / f"{FLAGSHIP}-student-form.pdf", folder / f"{FLAGSHIP}-student.pdf"


def _key(pack: Path):
    lesson = next(one for one in load_pack(pack).lessons if one.id == FLAGSHIP)
    teacher = plan(lesson, "teacher", PlanContext())
    return teacher, answers(teacher.worksheet.questions)


def test_the_form_has_a_named_field_wherever_a_student_writes(made):
    pack, form, _ = made
    fields = PdfReader(form).get_fields()
    teacher, _ = _key(pack)
    expected = ["name", "date", "class"]
    for q in teacher.worksheet.questions:
        n = f"q{q.number}"
        expected += ([f"{n}.{s.number}" for s in q.segments if isinstance(s, Blank)] if q.kind == "fill_in_blank"
                     else [f"{n}.{row.number}" for row in q.left] if q.kind == "matching"
                     else [f"{n}.{k}" for k in range(1, len(q.events) + 1)] if q.kind == "ordering"
                     else [f"{n}.{p.label[0]}" for p in q.parts] if q.kind == "source_analysis" else [n])
    assert sorted(fields) == sorted(expected)
    for q in teacher.worksheet.questions:
        n = f"q{q.number}"
        if q.kind in ("multiple_choice", "true_false"):
            f = fields[n]
            assert f["/FT"] == "/Btn" and int(f["/Ff"]) & RADIO
            assert [str(o) for o in f["/Opt"]] == ([c.letter for c in q.choices] if q.kind == "multiple_choice"
                                                   else ["true", "false"])
            assert str(f["/TU"]).startswith(f"{q.number}. ")  # a screen reader hears the question
        elif q.kind in ("short_answer", "essay"):
            assert fields[n]["/FT"] == "/Tx" and int(fields[n]["/Ff"]) & MULTILINE
            assert str(fields[n]["/TU"]).startswith(f"{q.number}. ")
            if q.use_source:
                assert str(fields[n]["/TU"]).startswith(f"{q.number}. {q.use_source} ")
        elif q.kind == "source_analysis":
            assert all(int(fields[f"{n}.{p.label[0]}"]["/Ff"]) & MULTILINE for p in q.parts)
            first = q.parts[0]
            assert str(fields[f"{n}.a"]["/TU"]) == f"{q.number}. a) {first.name} {plain(first.prompt)}"
        elif q.kind == "matching":
            assert all(fields[f"{n}.{row.number}"]["/FT"] == "/Tx" for row in q.left)
            assert str(fields[f"{n}.1"]["/TU"]) == f"{q.number}. 1. {plain(q.left[0].text)}"
        elif q.kind == "ordering":
            assert str(fields[f"{n}.1"]["/TU"]) == f"{q.number}. {plain(q.events[0].text)}"
        elif q.kind == "fill_in_blank":
            assert str(fields[f"{n}.2"]["/TU"]).startswith(f"{q.number}. ") and str(fields[f"{n}.2"]["/TU"]).endswith(
                " (blank 2)")
    for name in ("name", "date", "class"):
        assert fields[name]["/FT"] == "/Tx" and str(fields[name]["/TU"]) == name.capitalize()


def test_the_form_is_tagged_and_tabs_in_reading_order(made):
    _, form, _ = made
    reader = PdfReader(form)
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    widgets = 0
    for page in reader.pages:
        annots = [a.get_object() for a in page.get("/Annots", [])]
        if any(a["/Subtype"] == "/Widget" for a in annots):
            assert page["/Tabs"] == "/S"  # the tab key follows the structure: reading order
        for a in annots:
            if a["/Subtype"] == "/Widget":
                widgets += 1
                assert "/StructParent" in a  # each field is in the tag tree, as PDF/UA asks
    assert widgets > 40
    # A group of round buttons is one field: its buttons are widgets without names of their own.
    assert not any("." in name and name.split(".")[-1].startswith("q") for name in reader.get_fields())


def _qdf(pdf: Path) -> bytes:
    out = pdf.with_name(pdf.stem + ".qdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(out)], check=True)
    return out.read_bytes()


ACTIONS = (b"/SubmitForm", b"/JavaScript", b"/JS ", b"/Launch", b"/AA", b"/ResetForm", b"/ImportData", b"/GoToR",
           b"/EmbeddedFile", b"/S /URI")


def test_no_pdf_carries_an_action(made):
    _, form, student = made
    for pdf in (form, student):
        data = _qdf(pdf)
        for needle in ACTIONS:
            assert needle not in data, (pdf.name, needle)
    assert b"/AcroForm" in _qdf(form) and b"/AcroForm" not in _qdf(student)


def _png(pdf: Path, page: int, folder: Path) -> Image.Image:
    base = folder / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(base)], check=True)
    return Image.open(f"{base}.png").convert("L")


def test_the_form_has_the_student_editions_pages(made, tmp_path):
    """Poppler draws the empty form like the student edition: the same pages, the first page all but pixel
    for pixel (its fields are empty), the worksheet's page with its round buttons added."""
    _, form, student = made
    assert len(PdfReader(form).pages) == len(PdfReader(student).pages)
    first = ImageChops.difference(_png(form, 1, tmp_path), _png(student, 1, tmp_path))
    assert ImageStat.Stat(first).mean[0] < 0.5
    for page in range(2, len(PdfReader(form).pages) + 1):
        drawn = _png(form, page, tmp_path)
        assert drawn.size == _png(student, page, tmp_path).size and ImageStat.Stat(drawn).mean[0] > 200


def _fill(form: Path, out: Path, values: dict[str, str]) -> Path:
    reader = PdfReader(form)
    fields = reader.get_fields()
    writer = PdfWriter(clone_from=reader)
    given = {}
    for name, value in values.items():
        options = [str(o) for o in fields[name].get("/Opt", [])]
        given[name] = f"/{options.index(value)}" if options else value  # a button group's choice by its number
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, given, auto_regenerate=False)
    writer.write(out)
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_filled_forms_are_collected_and_marked(made, run, tmp_path):
    pack, form, _ = made
    teacher, key = _key(pack)
    right = {"name": "Ada Lovelace", "date": "30 November", "class": "9B"}
    for marked in key:
        for name, accepted in marked.fields:
            right[name] = accepted[0]
    right["q10"] = "=HYPERLINK(\"http://example.org\")\nHe placed loyal men."
    wrong = dict(right, name="Ben", q1="A" if right["q1"] != "A" else "B", q4="false" if right["q4"] == "true" else "true")
    blanks = [name for marked in key for name, _ in marked.fields if name.startswith("q8.")]
    wrong[blanks[0]] = "something else"
    wrong[blanks[1]] = right[blanks[1]].upper() + "  "  # case and spaces do not matter
    first = _fill(form, tmp_path / "ada.pdf", right)
    second = _fill(form, tmp_path / "ben.pdf", wrong)
    result = run("collect", str(first), str(second), "-o", str(tmp_path / "answers.csv"), "--pack", str(pack))
    assert result.exit_code == 0, result.output
    assert "2 forms collected into" in result.output
    assert "marks won, per question: q1 50% · " in result.output  # Ada right, Ben wrong
    ada, ben = _rows(tmp_path / "answers.csv")
    total = sum(m.points for m in key if not m.bonus)
    assert ada["file"] == "ada.pdf" and ada["lesson"] == FLAGSHIP and ada["name"] == "Ada Lovelace"
    assert ada["score"] == ada["out of"] == f"{total:g}"
    assert ada["q10"] == "'=HYPERLINK(\"http://example.org\")\nHe placed loyal men."  # never a formula
    assert ada["q1"] == right["q1"] and ada["q4"] == right["q4"]
    points = {m.number: m for m in key}
    q8 = points[int(blanks[0].split(".")[0][1:])]
    lost = points[1].points + points[4].points + q8.points / len(q8.fields)
    assert ben["score q1"] == "0" and ben["score q4"] == "0"
    assert float(ben[f"score q{q8.number}"]) == math.floor((q8.points - q8.points / len(q8.fields)) * 2) / 2
    assert 0 <= (total - lost) - float(ben["score"]) <= 0.5  # each question's score is rounded down to half points
    assert "score q10" not in ben  # an open question is for the teacher to mark


def test_files_that_are_not_forms_are_reported_and_skipped(made, run, tmp_path):
    pack, form, student = made
    good = _fill(form, tmp_path / "good.pdf", {"name": "Cleo"})
    (tmp_path / "notes.pdf").write_text("just some notes\n")
    (tmp_path / "cut.pdf").write_bytes(form.read_bytes()[:2000])
    result = run("collect", str(tmp_path / "notes.pdf"), str(good), str(student), str(tmp_path / "cut.pdf"),
                 "-o", str(tmp_path / "out.csv"), "--pack", str(pack))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("notes.pdf: error: not a PDF" in line for line in lines), lines
    assert any(f"{student.name}: error: not a lessonpack form" in line for line in lines), lines
    assert any("cut.pdf: error:" in line for line in lines), lines
    assert "1 form collected" in result.output and "3 skipped" in result.output
    (row,) = _rows(tmp_path / "out.csv")
    assert row["name"] == "Cleo" and row["score"] == "0"
    bad = run("collect", str(tmp_path / "notes.pdf"), "-o", str(tmp_path / "none.csv"))
    assert bad.exit_code == 1 and not (tmp_path / "none.csv").exists()
    refused = run("collect", str(good), "-o", str(good))
    assert refused.exit_code == 2 and "not a form" in refused.output


@pytest.mark.slow  # a whole build: make test-heavy
def test_a_pack_template_cannot_add_fields_or_actions(made, tmp_path):
    pack, _, _ = made
    hostile = tmp_path / "hostile"
    shutil.copytree(pack, hostile, ignore=shutil.ignore_patterns("dist"))
    (hostile / "templates").mkdir()
    lesson_html = (REPO / "src/lessonpack/data/templates/lesson.html").read_text()
    (hostile / "templates" / "lesson.html").write_text(lesson_html.replace(
        '<header class="masthead">',
        '<header class="masthead"><p>PACK TEMPLATE</p><form action="http://127.0.0.1:9/" method="post">'
        '<input class="field" type="text" name="q99" style="appearance: auto">'
        '<input class="field" type="text" name="name" style="appearance: auto">'
        '<button type="submit" style="appearance: auto">Send</button></form>'))
    result = build(hostile, formats=["pdf", "pdf-form"], editions=["student"], with_pack=False)
    assert result.ok, result.failed
    folder = hostile / "dist" / FLAGSHIP
    form, student = folder / f"{FLAGSHIP}-student-form.pdf", folder / f"{FLAGSHIP}-student.pdf"
    assert "PACK TEMPLATE" in PdfReader(student).pages[0].extract_text()  # the pack's template draws the handout
    assert not PdfReader(student).get_fields()  # …and no field survives in it
    assert "PACK TEMPLATE" not in PdfReader(form).pages[0].extract_text()  # the form: lessonpack's templates only
    assert "q99" not in PdfReader(form).get_fields()
    for needle in ACTIONS:
        assert needle not in _qdf(form) and needle not in _qdf(student)


def _edited_copy(pack: Path, folder: Path, edit) -> Path:
    """A copy of the pack (without its outputs) whose flagship lesson file has been edited by ``edit``."""
    shutil.copytree(pack, folder, ignore=shutil.ignore_patterns("dist"))
    lesson = folder / "lessons" / f"{FLAGSHIP}.yaml"
    lesson.write_text(edit(lesson.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_marking_against_an_edited_lesson_is_warned_about(made, run, tmp_path):
    pack, form, _ = made
    filled = _fill(form, tmp_path / "dee.pdf", {"name": "Dee"})
    edited = _edited_copy(pack, tmp_path / "edited", lambda text: text + "# a question reworded after the forms went out\n")
    same = run("collect", str(filled), "-o", str(tmp_path / "same.csv"), "--pack", str(pack))
    assert same.exit_code == 0 and "warning" not in same.output
    changed = run("collect", str(filled), "-o", str(tmp_path / "changed.csv"), "--pack", str(edited))
    assert changed.exit_code == 0
    assert f'dee.pdf: warning: the lesson "{FLAGSHIP}" has changed since this form was made' in changed.output


def test_without_the_pack_the_answers_are_listed_unmarked(made, run, tmp_path):
    _, form, _ = made
    filled = _fill(form, tmp_path / "eve.pdf", {"name": "Eve", "q1": "A"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("collect", str(filled), "-o", str(tmp_path / "eve.csv"), cwd=elsewhere)
    assert result.exit_code == 1
    assert "error: " in result.output and "no lessons found" in result.output
    assert "the answers are listed unmarked" in result.output
    (row,) = _rows(tmp_path / "eve.csv")
    assert row["name"] == "Eve" and row["q1"] == "A" and row["score"] == "" and "score q1" not in row


@pytest.mark.slow
@pytest.mark.parametrize("where", ["samples", "spill"])
def test_every_writing_line_of_every_sample_lesson_has_a_field_over_it(tmp_path, where):
    """A run of writing lines that goes on over a page gets a text box on each page (q14, q14.p2): each box
    covers exactly the lines the model gives it, and the boxes of a run cover all of its lines — in the sample
    unit, and in a lesson whose runs of lines go on over pages."""
    from lessonpack.building.jobs import Job, resolve
    from lessonpack.building.worker import boxes_per_page, plan_context, plan_handout

    root = REPO
    if where == "spill":
        root = tmp_path / "pack"
        (root / "lessons").mkdir(parents=True)
        (root / "lessons" / "spill.yaml").write_text(SPILL, encoding="utf-8")
    pack = load_pack(root)
    settings = resolve(pack, out_dir=tmp_path)
    result = build(root, out_dir=tmp_path, formats=["pdf-form"], editions=["student"], with_pack=False)
    assert result.ok, result.failed
    split = 0
    for lesson in pack.lessons:
        job = Job("student", "pdf-form", tmp_path / "x.pdf", "", lesson)
        context = plan_context(settings, job)
        from dataclasses import replace

        context = replace(context, fillable=True)
        handout = boxes_per_page(plan_handout(lesson, "student", context, settings, root), lesson, context,
                                  settings, root)
        planned = {name: (count, writing.lines) for q in handout.worksheet.questions
                   for writing in item_types()[q.kind].writings(q)
                   for name, count in writing.fields}
        reader = PdfReader(tmp_path / lesson.id / f"{lesson.id}-student-form.pdf")
        heights = {}
        for page in reader.pages:
            for a in (a.get_object() for a in page.get("/Annots", [])):
                if a.get("/FT") == "/Tx" and int(a.get("/Ff", 0)) & MULTILINE:
                    rect = [float(x) for x in a["/Rect"]]
                    heights[str(a["/T"])] = abs(rect[1] - rect[3])
        assert set(heights) == set(planned), lesson.id
        line = min(heights[name] / count for name, (count, _) in planned.items())
        for name, (count, _) in planned.items():
            assert abs(heights[name] - count * line) < 1.5, (lesson.id, name, heights[name], count)
        runs: dict[str, int] = {}
        for name, (count, _) in planned.items():
            runs[name.split(".p")[0]] = runs.get(name.split(".p")[0], 0) + count
        for name, total in runs.items():
            lines = next(lines for n, (_, lines) in planned.items() if n == name)
            assert total == lines, (lesson.id, name)
        split += sum(".p" in name for name in planned)
    if where == "spill":
        assert split  # its runs go on over pages: this is what is tested


def _crafted(path: Path, fields: dict[str, str], lesson: str = FLAGSHIP) -> Path:
    """A PDF with text fields of any names, and the metadata entry that names a form's lesson."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    annots = ArrayObject()
    for name, value in fields.items():
        field = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(name),
                                  NameObject("/V"): TextStringObject(value), NameObject("/Type"): NameObject("/Annot"),
                                  NameObject("/Subtype"): NameObject("/Widget"),
                                  NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4)})
        annots.append(writer._add_object(field))
    page[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): annots})
    writer.add_metadata({"/lessonpacklesson": lesson})
    writer.write(path)
    return path


def test_crafted_names_never_reach_the_table_as_formulas_or_crash_it(made, run, tmp_path):
    pack, _, _ = made
    crafted = _crafted(tmp_path / "=1+1.pdf", {"q1": "B", "q" + "9" * 5000: "x", '=HYPERLINK("http://x","y")': "z",
                                               "q2": "@SUM(A1)"})
    result = run("collect", str(crafted), "-o", str(tmp_path / "c.csv"), "--pack", str(pack))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    (row,) = _rows(tmp_path / "c.csv")
    assert row["file"] == "'=1+1.pdf" and row["q1"] == "B" and row["q2"] == "'@SUM(A1)"
    assert "HYPERLINK" not in text and "99999" not in text  # fields lessonpack never names are not read
    hostile_lesson = _crafted(tmp_path / "other.pdf", {"q1": "A"}, lesson="=1+1")
    refused = run("collect", str(hostile_lesson), "-o", str(tmp_path / "d.csv"), "--pack", str(pack))
    assert refused.exit_code == 1 and "other.pdf: error: not a lessonpack form" in refused.output


def test_a_form_whose_lesson_no_longer_validates_names_the_lessons_error(made, run, tmp_path):
    pack, form, _ = made
    filled = _fill(form, tmp_path / "fay.pdf", {"name": "Fay"})
    broken = _edited_copy(pack, tmp_path / "broken", lambda text: text.replace("title:", "titel:", 1))
    result = run("collect", str(filled), "-o", str(tmp_path / "f.csv"), "--pack", str(broken))
    assert result.exit_code == 1
    assert f'fay.pdf: error: made from the lesson "{FLAGSHIP}", which has errors (the first: ' in result.output
    assert 'missing required field "title"' in result.output and "listed unmarked" in result.output


@pytest.mark.parametrize("points,fields,right,score", [(1, 4, 1, 0), (1, 4, 3, 0.5), (1, 4, 4, 1), (3, 4, 1, 0.5),
                                                        (3, 4, 3, 2), (3, 5, 4, 2), (2, 6, 6, 2)])
def test_partial_marks_round_down_to_half_points(points, fields, right, score):
    from lessonpack.apps.collect import _score
    from lessonpack.handout.fields import Marked

    m = Marked(1, points, False, tuple((f"q1.{k}", ("yes",)) for k in range(1, fields + 1)))
    values = {f"q1.{k}": "yes" if k <= right else "no" for k in range(1, fields + 1)}
    assert _score(m, values) == score


def test_a_choice_marked_on_its_button_alone_is_read(made, tmp_path):
    """Some PDF viewers record a choice on the chosen button (its appearance state) and not on the group."""
    from pypdf.generic import NameObject

    from lessonpack.apps.collect import read_form

    _, form, _ = made
    writer = PdfWriter(clone_from=PdfReader(form))
    for page in writer.pages:
        for annot in (a.get_object() for a in page.get("/Annots", [])):
            parent = annot.get("/Parent")
            if parent is not None and parent.get_object().get("/T") == "q2":
                kids = parent.get_object()["/Kids"]
                if annot.indirect_reference == kids[2].indirect_reference or annot == kids[2].get_object():
                    annot[NameObject("/AS")] = NameObject("/2")
    writer.write(tmp_path / "as-only.pdf")
    read = read_form(tmp_path / "as-only.pdf")
    assert read.values["q2"] == "C" and read.values["q1"] == ""


SPILL = """title: Spill
reading:
  text: A short reading about kulaks.
worksheet:
  items:
    - {type: essay, prompt: The essay, lines: 20}
    - {type: short_answer, prompt: After it, lines: 25}
    - {type: short_answer, prompt: The last, lines: 22}
"""
FILL_LAST = """title: Fill last
reading:
  title: A reading
  text: A short reading about kulaks.
key_terms:
  - {term: kulaks, definition: Better-off peasants}
worksheet:
  items:
    - {type: true_false, prompt: The sky is green., answer: false}
    - {type: short_answer, prompt: Warm up, lines: 10}
    - {type: essay, prompt: Essay that fills its page, lines: fill}
"""


@pytest.mark.parametrize("text", [SPILL, FILL_LAST], ids=["runs-over-pages", "fill-last"])
def test_the_forms_boxes_keep_the_student_editions_page_breaks(text, tmp_path):
    """Boxes are cut where the student edition's pages cut a run of lines, and cutting them moves no break:
    the form has the student edition's pages, and every box covers exactly the lines on its page."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "trial.yaml").write_text(text, encoding="utf-8")
    assert build(tmp_path, formats=["pdf", "pdf-form"], editions=["student"], with_pack=False).ok
    student = tmp_path / "dist" / "trial" / "trial-student.pdf"
    form = tmp_path / "dist" / "trial" / "trial-student-form.pdf"
    assert len(PdfReader(form).pages) == len(PdfReader(student).pages)
    # Every question starts on the same page at the same height: cutting the boxes moved no break.
    assert _question_marks(form) == _question_marks(student)
    fields = PdfReader(form).get_fields()
    assert any(".p" in name for name in fields) == (text == SPILL)  # the spilling runs got a box per page


def _question_marks(pdf: Path) -> list[tuple[int, str, float]]:
    """(page, "2.", top) of each question number, as poppler finds the words."""
    import re

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out, page = [], 0
    for line in html.splitlines():
        page += "<page " in line
        m = re.search(r'yMin="([\d.]+)".*>(\d+\.)</word>', line)
        if m and float(re.search(r'xMin="([\d.]+)"', line)[1]) < 60:
            out.append((page, m[2], round(float(m[1]), 1)))
    return out
