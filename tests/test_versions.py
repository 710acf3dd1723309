"""Versions A, B, C… of the student edition: each its own order, each with its own key, always the same.

The flagship lesson is built with three versions; each student PDF is read back (its question order,
the letter of each multiple-choice question's right answer as printed) and compared with the key the
teacher edition prints for that version and with the grid of every version's answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readback import Docx, pdf_running, pdf_tables, pdf_text, words

from lessonpack.load import model as m
from lessonpack.building.builder import build
from lessonpack.building.jobs import output_name
from lessonpack.handout import PlanContext, arrange, arrangements, plan
from lessonpack.load.model import LessonFile
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml

from conftest import REPO, make_unit, own

FLAGSHIP = "soviet-union-1924-1935"


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _probe(text: str) -> str:
    """The first words of a text, as the PDF's text reads them (quotes made plain on both sides)."""
    return " ".join(_squash(re.sub(r"[*_`]", "", text)).split()[:5])


def _lesson(text: str, name: str = "trial") -> LessonFile:
    doc = parse_yaml(text.encode("utf-8"), SourceMap(f"{name}.yaml"))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, [p.format() for p in problems]
    return LessonFile(name, Path(f"{name}.yaml"), lesson)


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    out = tmp_path_factory.mktemp("versions")
    result = build(REPO / "lessons" / f"{FLAGSHIP}.yaml", out_dir=out, formats=["pdf", "docx"], versions=3)
    assert result.ok, result.failed
    return out / FLAGSHIP


def _student_order(pdf: Path, items: list) -> list[int]:
    """The written index of each question, in the order the student PDF prints them."""
    text = _squash(pdf_text(pdf))
    start = text.index("Check Your Understanding")
    found = []
    for i, item in enumerate(items):
        probe = f"Use Source {item.source}. 6 points a)" if item.type == "source_analysis" else _probe(item.prompt)
        found.append((text.index(probe, start), i))
    return [i for _, i in sorted(found)]


@pytest.mark.slow  # a whole build: make test-heavy
def test_each_version_has_its_own_order_and_its_own_key(three):
    lesson = m.lesson_model().model_validate(__import__("yaml").safe_load((REPO / "lessons" / f"{FLAGSHIP}.yaml").read_text()))
    items = lesson.worksheet.items
    teacher = pdf_tables(three / f"{FLAGSHIP}-teacher.pdf")
    keys = [t for t in teacher if t[0] == ["#", "Question", "Answer", "Points"]]
    grid = next(t for t in teacher if t[0] == ["#", "A", "B", "C"])
    assert len(keys) == 3
    orders = []
    for column, letter in enumerate("ABC", 1):
        pdf = three / f"{FLAGSHIP}-student-{letter}.pdf"
        assert pdf_running(pdf)["top-right"].casefold() == f"version {letter.lower()}"
        order = _student_order(pdf, items)
        orders.append(order)
        text = _squash(pdf_text(pdf))
        key = keys[column - 1]
        for n, written in enumerate(order, 1):
            item, row, cell = items[written], key[n], grid[n][column]
            assert row[0] == str(n)
            assert row[1] == {"multiple_choice": "Multiple choice", "true_false": "True or false",
                              "short_answer": "Short answer", "essay": "Essay", "fill_in_blank": "Fill in the blanks",
                              "matching": "Matching", "ordering": "Ordering",
                              "source_analysis": "Source analysis"}[item.type], (letter, n)
            if item.type == "multiple_choice":
                # The letter the student's page prints before the right answer is the key's letter, and the grid's.
                after = text[text.index(_probe(item.prompt)):]
                printed = re.search(rf"\b([A-H]) {re.escape(_probe(item.answer))}", after)
                assert printed, (letter, n, item.answer)
                assert row[2].startswith(f"{printed[1]} — ") and cell == printed[1], (letter, n, row, cell)
            elif item.type == "true_false":
                assert row[2] == cell == ("True" if item.answer else "False")
            elif item.type in ("short_answer", "essay", "source_analysis") and letter != "A":
                assert cell == row[2] == f"{row[1]}: see A{written + 1}"  # the model answer is in version A's key
    assert orders[0] == list(range(len(items)))  # version A: as written
    # The teacher's own worksheet is version A's, and says so by its total.
    assert "Total: 38 points Version A" in _squash(pdf_text(three / f"{FLAGSHIP}-teacher.pdf"))
    assert len({tuple(o) for o in orders}) == 3


@pytest.mark.slow  # three versions built in both formats: make test-heavy
def test_a_version_is_the_same_in_word(three):
    """The DOCX of a version prints the PDF's order and its letter by the name line."""
    d = Docx((three / f"{FLAGSHIP}-student-B.docx").read_bytes())
    body = d.body_text()
    assert body.startswith("Name") and "Version B" in body[:80]
    assert words(body) == words(pdf_text(three / f"{FLAGSHIP}-student-B.pdf"))


@pytest.mark.slow  # a whole-build sweep: make test-heavy
def test_versions_are_byte_identical_when_built_again(three, tmp_path):
    again = build(REPO / "lessons" / f"{FLAGSHIP}.yaml", out_dir=tmp_path, formats=["pdf", "docx"], versions=3,
                  editions=["student"])
    assert again.ok
    for letter in "ABC":
        for fmt in ("pdf", "docx"):
            name = f"{FLAGSHIP}-student-{letter}.{fmt}"
            assert (tmp_path / FLAGSHIP / name).read_bytes() == (three / name).read_bytes(), name


@pytest.mark.slow  # three versions built in both formats: make test-heavy
def test_no_version_carries_an_action(three):
    import subprocess

    for pdf in sorted(three.glob("*.pdf")):
        out = pdf.with_suffix(".qdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(out)], check=True)
        data = out.read_bytes()
        out.unlink()
        for needle in (b"/AcroForm", b"/Widget", b"/SubmitForm", b"/JavaScript", b"/Launch", b"/AA"):
            assert needle not in data, (pdf.name, needle)


def test_output_names_carry_the_letter_and_clean_knows_them(three):
    names = sorted(p.name for p in three.iterdir())
    assert names == sorted([f"{FLAGSHIP}-student-{v}.{f}" for v in "ABC" for f in ("pdf", "docx")]
                           + [f"{FLAGSHIP}-teacher.pdf", f"{FLAGSHIP}-teacher.docx"])
    for name in names + [f"{FLAGSHIP}-student-form.pdf"]:
        assert output_name().match(f"{FLAGSHIP}/{name}"), name
    assert output_name().match("unit-student-B.pdf") and not output_name().match("unit-student-b.pdf")
    assert not output_name().match(f"{FLAGSHIP}/{FLAGSHIP}-teacher-form.docx")


TRIAL = """title: Pins and groups
sources:
  - {title: A poster, text: A quoted line., citation: Made up for this test.}
worksheet:
  items:
    - {type: true_false, prompt: First and pinned., answer: true, shuffle: false}
    - {type: true_false, prompt: Two., answer: true}
    - {type: true_false, prompt: Three., answer: false}
    - {type: true_false, prompt: Four kept with three., answer: true, keep_with_previous: true}
    - {type: true_false, prompt: Five about A., answer: true, source: A}
    - {type: short_answer, prompt: Six about A., source: A}
    - {type: multiple_choice, prompt: Seven., choices: [a, b, c, d, All of the above], answer: All of the above, keep_last: 1}
    - {type: multiple_choice, prompt: Eight., choices: [one, two, three], answer: two, shuffle_choices: false}
    - {type: ordering, events: [e1, e2, e3, e4]}
    - {type: true_false, prompt: Ten., answer: true}
    - {type: ordering, events: [f1, f2, f3, f4], shuffle_choices: false}
    - {type: essay, prompt: Last and pinned., shuffle: false}
"""


def test_pins_groups_and_choice_rules_hold_in_every_version():
    lesson = _lesson(TRIAL)
    versions = arrangements(lesson.lesson, lesson.id, 26)
    assert [a.letter for a in versions] == list(m.LETTERS)
    assert len({(a.order, a.inner) for a in versions}) == 26  # every version differs from every other
    for a in versions:
        order = list(a.order)
        assert order[0] == 0 and order[-1] == 11  # shuffle: false keeps the place
        assert order.index(3) == order.index(2) + 1  # keep_with_previous
        assert order.index(5) == order.index(4) + 1  # the same source
        assert a.inner[6][-1] == 4  # keep_last: "All of the above" stays last
        assert a.inner[7] == (0, 1, 2)  # shuffle_choices: false
        assert sorted(a.inner[8]) == [0, 1, 2, 3]
        assert a.inner[10] == versions[0].inner[10] != (0, 1, 2, 3)  # shuffle_choices: false: version A's order
    assert len({a.order for a in versions}) > 20
    # The answer (All of the above) is pinned: a–d are deranged around it, drawn among the 9 orders that move all four.
    assert all(a.inner[6][k] != k for a in versions[1:] for k in range(4))
    assert len({a.inner[6] for a in versions[1:]}) >= 7
    # The same lesson and letter give the same version, however many versions are built.
    assert arrange(lesson.lesson, lesson.id, "D") == versions[3] == arrangements(lesson.lesson, lesson.id, 5)[3]


def test_version_a_prints_what_a_build_without_versions_prints():
    lesson = _lesson(TRIAL)
    plain_one = plan(lesson, "student", PlanContext())
    version_a = plan(lesson, "student", PlanContext(version="A", versions=2))
    strip = lambda h: [(q.number, q.prompt, own(q, "choices"), own(q, "events")) for q in h.worksheet.questions]  # noqa: E731
    assert strip(plain_one) == strip(version_a)
    assert version_a.masthead.version == "Version A" and plain_one.masthead.version == ""


def test_a_lesson_with_little_to_shuffle_still_builds_every_version():
    lesson = _lesson("title: Two\nworksheet:\n  items:\n    - {type: true_false, prompt: One., answer: true}\n"
                     "    - {type: true_false, prompt: Two., answer: false}\n")
    versions = arrangements(lesson.lesson, lesson.id, 5)
    assert [a.order for a in versions[:2]] == [(0, 1), (1, 0)]  # the two orders there are, then repeats
    assert all(a.order in ((0, 1), (1, 0)) for a in versions)


@pytest.mark.slow  # a whole-build sweep: make test-heavy
def test_a_unit_is_built_per_version_from_its_versions_lessons(tmp_path):
    pack = make_unit(tmp_path / "pack", 2)
    result = build(pack, formats=["pdf"], editions=["student"], versions=2)
    assert result.ok, result.failed
    dist = pack / "dist"
    units = sorted(p.name for p in dist.glob("*.pdf"))
    assert units == ["generated-unit-student-A.pdf", "generated-unit-student-B.pdf"]
    unit_b = _squash(pdf_text(dist / "generated-unit-student-B.pdf"))
    lesson_b = _squash(pdf_text(dist / "lesson-02" / "lesson-02-student-B.pdf"))
    lesson_a = _squash(pdf_text(dist / "lesson-02" / "lesson-02-student-A.pdf"))
    assert lesson_b in unit_b and lesson_a not in unit_b
    # Nothing changed: nothing is built again; a sharded build shares the versions out too.
    again = build(pack, formats=["pdf"], editions=["student"], versions=2)
    assert not again.written and len(again.unchanged) == 6
    first = build(pack, formats=["pdf"], editions=["student"], versions=2, shard=(1, 2), force=True)
    second = build(pack, formats=["pdf"], editions=["student"], versions=2, shard=(2, 2), force=True)
    assert sorted(first.written + second.written) == sorted(dist.glob("lesson-*/*.pdf"))
    assert first.written and second.written and not set(first.written) & set(second.written)


@pytest.mark.parametrize("line,message", [
    ("    - {type: multiple_choice, prompt: Pick one., choices: [a, b], answer: a, keep_last: 2}\n",
     "trial.yaml:4:89: error: worksheet.items[0].keep_last: keeps the last 2 of 2 choices in place"),
    ("    - {type: true_false, prompt: P., answer: true, keep_with_previous: true}\n",
     "trial.yaml:4:72: error: worksheet.items[0].keep_with_previous: the first item has no item before it"),
])
def test_pinning_mistakes_are_positioned(line, message):
    doc = parse_yaml(f"title: T\nworksheet:\n  items:\n{line}".encode(), SourceMap("trial.yaml"))
    _, problems = validate_lesson(doc.data, doc.source)
    assert any(p.format().startswith(message) for p in problems), [p.format() for p in problems]


def test_many_versions_share_the_grid_out_six_to_a_table():
    lesson = _lesson(TRIAL)
    teacher = plan(lesson, "teacher", PlanContext(version="A", versions=14))
    assert [k.caption for k in teacher.version_keys] == [f"Version {v}" for v in m.LETTERS[:14]]
    assert [g.caption for g in teacher.key_grids] == ["All versions at a glance (A–F)", "All versions at a glance (G–L)",
                                                      "All versions at a glance (M–N)"]
    assert [g.header for g in teacher.key_grids][-1] == ("#", "M", "N")
    assert all(len(row) == len(g.header) for g in teacher.key_grids for row in g.rows)
    # Column G of the second table is version G's answers, as its own key gives them.
    g_key = teacher.version_keys[6]
    for row, cells in zip(g_key.rows, teacher.key_grids[1].rows, strict=True):
        cell = cells[1]
        if row.kind == "Multiple choice":
            assert row.answer.startswith(f"{cell} — ")
        elif row.kind == "Ordering":
            assert row.answer.endswith(cell)  # "Boxes, top to bottom: 3, 1, 2" and "3, 1, 2"
        else:
            assert cell == row.answer


def test_pack_settings_for_versions_and_forms_are_checked(run, tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "one.yaml").write_text("title: One\n", encoding="utf-8")
    (tmp_path / "lessonpack.yaml").write_text("title: T\nversions: 30\nfillable: maybe\n", encoding="utf-8")
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 1
    assert "lessonpack.yaml:2:11: error: versions: must be at most 26, got 30" in result.output
    assert 'lessonpack.yaml:3:11: error: fillable: expected true or false, got "maybe"' in result.output
    usage = run("build", "--versions", "27", cwd=tmp_path)
    assert usage.exit_code == 2 and "27 is not in the range 1<=x<=26" in usage.output


@pytest.mark.slow  # a whole build: make test-heavy
def test_every_version_fills_the_page_its_fill_question_is_on(tmp_path):
    """A "lines: fill" essay fills the rest of its own page in every version: a shuffle moves it up or down its
    page, so each version's room is measured on that version's pages (reusing version A's left version B with
    three lines at a page foot and a page 60 % empty). The teacher edition gets version A's lines, the written
    order it prints, and no version gives fewer lines than the floor (a line a point, at least six)."""
    import io

    import pdfplumber

    from lessonpack.building.jobs import Job, resolve
    from lessonpack.building.worker import plan_context, plan_handout
    from lessonpack.handout.paging import fill_floor
    from lessonpack.load.pack import load_pack
    from lessonpack.render.pdf import render_pdf
    from lessonpack.text.richtext import plain

    pack = load_pack(REPO)
    settings = resolve(pack, out_dir=tmp_path, versions=4)
    lesson = next(one for one in pack.lessons if one.id == FLAGSHIP)
    lines = {}
    for edition, version in [("student", v) for v in "ABCD"] + [("teacher", "")]:
        job = Job(edition, "pdf", tmp_path / "x.pdf", "", lesson, version=version)
        handout = plan_handout(lesson, edition, plan_context(settings, job), settings, REPO)
        (essay,) = [q for q in handout.worksheet.questions if q.kind == "essay"]
        lines[edition + version] = essay.writing.lines
        assert essay.writing.lines >= fill_floor(essay)
        if edition == "teacher":
            continue
        pdf = pdfplumber.open(io.BytesIO(render_pdf(handout, settings.style, settings.paper, pack_root=REPO)))
        page = next(p for p in reversed(pdf.pages) if plain(essay.prompt).split()[0] in (p.extract_text() or ""))
        rules = [r for r in page.rects + page.lines if r["bottom"] - r["top"] < 30 and r["width"] > 200]  # the lines
        foot = page.height - _bottom_margin(settings)
        pitch = plan_context(settings).page.writing_line
        assert foot - max(r["bottom"] for r in rules) < 2 * pitch + 2, (version, foot, max(r["bottom"] for r in rules))
    assert lines["teacher"] == lines["studentA"]


def _bottom_margin(settings) -> float:
    from lessonpack.styles.geometry import Geometry

    return Geometry.of(settings.style.tokens, settings.paper).bottom


@pytest.mark.slow  # a whole-build sweep: make test-heavy
def test_changing_the_number_of_versions_rebuilds_only_what_it_changes(tmp_path):
    pack = make_unit(tmp_path / "pack", 2)
    first = build(pack, formats=["pdf"], versions=2)
    assert first.ok
    more = build(pack, formats=["pdf"], versions=3)
    written = sorted(p.name for p in more.written)
    assert written == sorted(["lesson-01-student-C.pdf", "lesson-02-student-C.pdf", "lesson-01-teacher.pdf",
                              "lesson-02-teacher.pdf", "generated-unit-student-C.pdf", "generated-unit-teacher.pdf"])
    assert sorted(p.name for p in more.unchanged) == sorted(
        [f"lesson-0{n}-student-{v}.pdf" for n in (1, 2) for v in "AB"]
        + ["generated-unit-student-A.pdf", "generated-unit-student-B.pdf"])


def test_what_versions_and_forms_cannot_do_is_said(tmp_path):
    pack = make_unit(tmp_path / "pack", 1)
    (pack / "lessons" / "lesson-02.yaml").write_text("title: Reading only\nreading:\n  text: A short text.\n",
                                                     encoding="utf-8")
    result = build(pack, formats=["pdf-form"], editions=["student"], versions=2, with_pack=False)
    assert result.ok
    assert "warning: no fillable PDF for lesson-02: a lesson without a worksheet has nothing to fill in" in result.warnings
    assert "warning: lesson-02 has no worksheet, so its versions A, B, C… are the same" in result.warnings
    assert [p.name for p in result.written] == ["lesson-01-student-form.pdf"]
    teacher_only = build(pack, formats=["pdf-form"], editions=["teacher"], with_pack=False)
    assert not teacher_only.written and any("add -e student" in w for w in teacher_only.warnings)


def test_a_choice_written_with_shuffle_false_keeps_its_place():
    lesson = _lesson("title: Pinned choice\nworksheet:\n  items:\n"
                     "    - type: multiple_choice\n      prompt: Which came first?\n"
                     "      choices: [Locarno, {text: Both at once, shuffle: false}, Rapallo, Dawes Plan, "
                     "{text: None of these, shuffle: false}]\n      answer: Rapallo\n"
                     "    - {type: true_false, prompt: Locarno was in 1925., answer: true}\n")
    assert lesson.lesson.worksheet.items[0].texts[1] == "Both at once"
    orders = set()
    for a in arrangements(lesson.lesson, lesson.id, 12):
        assert a.inner[0][1] == 1 and a.inner[0][4] == 4
        orders.add(a.inner[0])
        handout = plan(lesson, "teacher" if a.letter == "A" else "student",
                       PlanContext(version=a.letter, versions=12))
        choices = handout.worksheet.questions[[w for w in a.order].index(0)].choices
        assert [plain_text(c.text) for c in choices][1::3] == ["Both at once", "None of these"]
    # The other three move in every later version, each to another place: the two orders that do so both appear.
    assert orders == {(0, 1, 2, 3, 4), (2, 1, 3, 0, 4), (3, 1, 0, 2, 4)}


def plain_text(rich) -> str:
    from lessonpack.text.richtext import plain

    return plain(rich)


@pytest.mark.parametrize("choices,message", [
    ('[a, "", c]', "trial.yaml:4:59: error: worksheet.items[0].choices[1]: is empty"),
    ('[a, {text: "", shuffle: false}, c]', "trial.yaml:4:66: error: worksheet.items[0].choices[1].text: is empty"),
    ("[a, {txt: b, shuffle: false}, c]",
     'trial.yaml:4:60: error: worksheet.items[0].choices[1].txt: unknown key "txt"; did you mean "text"?'),
])
def test_choice_mistakes_are_positioned(choices, message):
    doc = parse_yaml(f"title: T\nworksheet:\n  items:\n    - {{type: multiple_choice, prompt: Pick., choices: "
                     f"{choices}, answer: a}}\n".encode(), SourceMap("trial.yaml"))
    _, problems = validate_lesson(doc.data, doc.source)
    assert any(p.format().startswith(message) for p in problems), [p.format() for p in problems]


def test_pins_that_leave_nothing_to_shuffle_are_warned_about():
    doc = parse_yaml(b"title: T\nworksheet:\n  items:\n    - {type: multiple_choice, prompt: Pick., choices: "
                     b"[a, {text: b, shuffle: false}, c, d], answer: a, keep_last: 2}\n", SourceMap("trial.yaml"))
    _, problems = validate_lesson(doc.data, doc.source)
    assert any(p.format().startswith("trial.yaml:4:55: warning: worksheet.items[0].choices: 3 of the 4 choices keep "
                                      "their places") for p in problems), [p.format() for p in problems]
