"""lessonpack import: edits made to a lessonpack Word document come back into the lesson file as text edits.

Every sample and example lesson's Word documents (student, teacher, a student version B) import without a
change; edits made with python-docx on a built document (a reworded prompt, choice, reading paragraph, key term,
model answer and points; a choice added and one removed; questions reordered in version B) come back as exactly
that edit in the lesson file, comments kept; a pasted picture and a restructured table are reported with their
place; --dry-run writes nothing; a document lessonpack did not make is refused; LibreOffice keeps the marks.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from conftest import REPO, UNIT_LESSON, snapshot
from lessonpack.apps.wordimport import carry, merge_order
from lessonpack.handout import PlanContext, plan
from lessonpack.handout.versions import arrange
from lessonpack.load.pack import load_pack
from lessonpack.load.yamledit import New
from lessonpack.render.docx import render_docx
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style

# Each test builds real files (a minute or more on two cores in all): make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

PACKS = [REPO] + sorted(p.parent for p in (REPO / "examples").glob("*/lessonpack.yaml"))
LESSONS = [(pack, path) for pack in PACKS for path in sorted((pack / "lessons").glob("*.yaml"))]
SOVIET = "soviet-union-1924-1935"


def make_docx(pack: Path, lesson_id: str, edition: str, version: str = "", versions: int = 1) -> bytes:
    """The lesson's Word document as ``lessonpack build -f docx`` draws it (the pack's style and paper)."""
    loaded = load_pack(pack)
    source = next(lf for lf in loaded.lessons if lf.id == lesson_id)
    style = load_style(loaded.config.style, loaded.root)
    context = PlanContext(geometry=Geometry.of(style.tokens, loaded.config.paper), version=version, versions=versions)
    return render_docx(plan(source, edition, context), style, loaded.config.paper)


def copy_pack(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("dist", ".git", "examples", "tests", "src", "docs",
                                                             ".venv", "*.egg-info"))
    return dest


def bookmark(doc, name: str):
    """The bookmark's start element, or None."""
    return next((b for b in doc.element.body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == name), None)


def field_runs(doc, name: str) -> list:
    start = bookmark(doc, name)
    assert start is not None, name
    runs, el = [], start.getnext()
    while el is not None and not (el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) == start.get(qn("w:id"))):
        if el.tag == qn("w:r"):
            runs.append(el)
        el = el.getnext()
    return runs


def field_text(doc, name: str) -> str:
    return "".join(t.text or "" for r in field_runs(doc, name) for t in r.iter(qn("w:t")))


def reword(doc, name: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` inside one run of the field, as typing in Word does."""
    for r in field_runs(doc, name):
        for t in r.iter(qn("w:t")):
            if t.text and old in t.text:
                t.text = t.text.replace(old, new, 1)
                return
    raise AssertionError(f"{old!r} not in {name}: {field_text(doc, name)!r}")


def paragraph_of(doc, name: str):
    return bookmark(doc, name).getparent()


def save(doc, path: Path) -> Path:
    doc.save(str(path))
    return path


def imported(run, pack: Path, docx: Path, *extra: str):
    return run("import", str(docx), "--pack", str(pack), *extra, cwd=pack)


# -- no edits: nothing changes --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("pack,path", LESSONS, ids=[p.stem for _, p in LESSONS])
def test_import_without_edits_changes_nothing(run, tmp_path, pack, path):
    before = path.read_bytes()
    for edition, version, versions in (("student", "", 1), ("teacher", "", 1), ("student", "B", 2),
                                       ("teacher", "", 2)):
        docx = tmp_path / f"{path.stem}-{edition}{version}.docx"
        docx.write_bytes(make_docx(pack, path.stem, edition, version, versions))
        result = imported(run, pack, docx, "--dry-run")
        assert result.exit_code == 0, result.output
        assert "no changes to bring back" in result.output, (edition, version, result.output)
        assert "warning" not in result.output, (edition, version, result.output)
    assert path.read_bytes() == before


@pytest.mark.slow
def test_a_built_document_carries_its_marks_and_properties(run, tmp_path):
    pack = copy_pack(REPO, tmp_path / "pack")
    result = run("build", ".", "-f", "docx", "--versions", "2", cwd=pack)
    assert result.exit_code == 0, result.output
    docx = pack / "dist" / SOVIET / f"{SOVIET}-student-B.docx"
    doc = Document(str(docx))
    names = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert "lpf_w_i0_q" in names and "lpf_rd_x_g0" in names and "lpf_k0_te" in names
    assert len(names) == len(set(names)) and all(len(n) <= 40 for n in names)
    # The marks print nothing: the text is the same as without them (no run inside a bookmark element).
    assert all(b.getparent().tag == qn("w:p") for b in doc.element.body.iter(qn("w:bookmarkStart")))
    before = snapshot(pack / "lessons")
    result = run("import", str(docx), cwd=pack)
    assert result.exit_code == 0, result.output
    assert "no changes to bring back" in result.output
    assert snapshot(pack / "lessons") == before


# -- edits come back ------------------------------------------------------------------------------------------------


@pytest.fixture
def soviet(tmp_path):
    pack = copy_pack(REPO, tmp_path / "pack")
    return pack, pack / "lessons" / f"{SOVIET}.yaml"


def test_reworded_fields_come_back_as_exactly_those_edits(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    reword(doc, "lpf_w_i0_q", "do him so little harm", "hurt him so little")  # a prompt (with Lenin's as ’)
    reword(doc, "lpf_w_i0_c0", "took the warning back", "withdrew the warning")  # a choice
    reword(doc, "lpf_rd_x_g1", "Two rivals stood out", "Two rivals stood apart")  # a reading paragraph
    reword(doc, "lpf_k1_d", "small leading body", "small ruling body")  # a key term's definition
    reword(doc, "lpf_w_i6_pt", "2", "4")  # points
    short = next(i for i, item in enumerate(yaml.safe_load(old)["worksheet"]["items"]) if item["type"] ==
                 "short_answer")
    answer = yaml.safe_load(old)["worksheet"]["items"][short]["answer"]
    first_word = answer.split()[0]
    reword(doc, f"lpf_w_i{short}_a_r0", first_word, first_word + " indeed")  # the teacher's model answer
    docx = save(doc, tmp_path / "edited.docx")
    result = imported(run, pack, docx)
    assert result.exit_code == 0, result.output
    expected = (old.replace("do him so little harm", "hurt him so little", 1)
                .replace("Lenin took the warning back", "Lenin withdrew the warning", 1)
                .replace("Two rivals stood out", "Two rivals stood apart", 1)
                .replace("small leading body", "small ruling body", 1)
                .replace(answer, answer.replace(first_word, first_word + " indeed", 1), 1))
    lines = expected.splitlines(keepends=True)
    items = [n for n, ln in enumerate(lines) if ln.startswith("    - type:")]
    points = next(n for n in range(items[6], items[7]) if lines[n].strip().startswith("points:"))
    lines[points] = lines[points].replace("points: 2", "points: 4")
    assert lesson.read_text(encoding="utf-8") == "".join(lines)  # every other byte as it was, comments included


def test_a_choice_added_and_one_removed_come_back(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    last = paragraph_of(doc, "lpf_w_i2_c3")
    added = copy.deepcopy(last)
    for el in list(added):
        if el.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            added.remove(el)
    runs = added.findall(qn("w:r"))
    for r in runs[1:]:
        added.remove(r)
    runs[0].find(qn("w:t")).text = "None of them"
    last.addnext(added)
    gone = paragraph_of(doc, "lpf_w_i2_c1")
    gone.getparent().remove(gone)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    expected = old.replace("        - About one in four\n", "", 1).replace(
        "        - About seven in ten\n", "        - About seven in ten\n        - None of them\n", 1)
    assert lesson.read_text(encoding="utf-8") == expected


def test_a_moved_answer_mark_changes_the_answer(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    right, wrong = paragraph_of(doc, "lpf_w_i0_c1"), paragraph_of(doc, "lpf_w_i0_c0")
    mark = next(r for r in right.findall(qn("w:r")) if "\u2714" in "".join(t.text or "" for t in r.iter(qn("w:t"))))
    right.remove(mark)
    wrong.append(mark)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace(
        "      answer: Party leaders kept it secret\n", "      answer: Lenin took the warning back\n", 1)


def test_questions_reordered_in_version_b_come_back_in_the_lessons_order(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    loaded = load_pack(pack)
    source = next(lf for lf in loaded.lessons if lf.id == SOVIET)
    order = arrange(source.lesson, SOVIET, "B").order
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student", "B", 2)))
    # A choice reworded in version B reaches the choice it is in the lesson (B prints the choices in another order).
    item = next(k for k, w in enumerate(order) if w == 0)
    reword(doc, f"lpf_w_i{item}_c0", field_text(doc, f"lpf_w_i{item}_c0"),
           field_text(doc, f"lpf_w_i{item}_c0") + " at all")
    written_choice = arrange(source.lesson, SOVIET, "B").inner[0][0]
    choice = yaml.safe_load(old)["worksheet"]["items"][0]["choices"][written_choice]
    # A question moves after the one printed after it: every paragraph of it, as cut and paste does (two questions
    # with no source printed before them, so that only questions move).
    def alone(k: int) -> bool:
        before = paragraph_of(doc, f"lpf_w_i{k}_q").getprevious()
        return before.tag == qn("w:p") and "Source" not in (before.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                                                            .get(qn("w:val"), ""))
    k = next(k for k in range(len(order) - 2) if alone(k) and alone(k + 1) and alone(k + 2))
    first, second, third = (paragraph_of(doc, f"lpf_w_i{n}_q") for n in (k, k + 1, k + 2))
    block, el = [], first
    while el is not second:
        block.append(el)
        el = el.getnext()
    for el in block:
        third.addprevious(el)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    new = lesson.read_text(encoding="utf-8")
    data = yaml.safe_load(new)["worksheet"]["items"]
    prompts = [i.get("prompt") or str(i.get("parts")) for i in yaml.safe_load(old)["worksheet"]["items"]]
    now = [i.get("prompt") or str(i.get("parts")) for i in data]
    assert sorted(now) == sorted(prompts)
    moved = {prompts[order[k]], prompts[order[k + 1]]}
    assert now.index(prompts[order[k + 1]]) < now.index(prompts[order[k]])  # the move, in the lesson's order
    rest = [p for p in prompts if p not in moved]
    assert [p for p in now if p in rest] == rest  # every other question keeps its place
    choices = data[now.index(prompts[0])]["choices"]
    assert choice + " at all" in [c if isinstance(c, str) else c["text"] for c in choices]
    # Lines moved, not rewritten; the choice is also the answer, which follows its choice.
    assert sorted(new.splitlines()) == sorted(old.replace(choice, choice + " at all").splitlines())


def test_a_new_key_term_prompt_and_removed_objective_come_back(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    prompt = paragraph_of(doc, "lpf_p0_x")
    added = copy.deepcopy(prompt)
    for el in list(added):
        if el.tag != qn("w:pPr"):
            added.remove(el)
    run_ = copy.deepcopy(field_runs(doc, "lpf_p0_x")[0])
    run_.find(qn("w:t")).text = "Who gained most from the purges?"
    added.append(run_)
    prompt.addnext(added)
    objective = paragraph_of(doc, "lpf_o1")
    objective.getparent().remove(objective)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    data, before = yaml.safe_load(lesson.read_text(encoding="utf-8")), yaml.safe_load(old)
    assert data["prompts"][1] == {"text": "Who gained most from the purges?"}
    assert data["prompts"][:1] + data["prompts"][2:] == before["prompts"]
    assert data["objectives"] == before["objectives"][:1] + before["objectives"][2:]


def test_folded_blocks_fill_in_text_events_and_rubric_keep_their_lines(run, tmp_path, soviet):
    """A reworded line of a folded (>-) block changes that line only; a fill-in text keeps its [[blanks]]; an
    ordering event reworded in version B reaches the event it is in the lesson."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    reword(doc, "lpf_s0_n_g0", "treat official statistics with caution", "distrust official statistics")
    reword(doc, "lpf_w_i7_x", "private shops stayed", "private shops remained")
    reword(doc, "lpf_w_i13_ru0", "sustains it through", "keeps it through")
    result = imported(run, pack, save(doc, tmp_path / "teacher.docx"))
    assert result.exit_code == 0, result.output
    expected = (old.replace("treat official statistics with caution", "distrust official statistics", 1)
                .replace("private shops stayed", "private shops remained", 1)
                .replace("sustains it through", "keeps it through", 1))
    assert lesson.read_text(encoding="utf-8") == expected
    # An event, in version B's order.
    loaded = load_pack(pack)
    source = next(lf for lf in loaded.lessons if lf.id == SOVIET)
    b = arrange(source.lesson, SOVIET, "B")
    k = b.order.index(6)
    event = yaml.safe_load(expected)["worksheet"]["items"][6]["events"][b.inner[6][0]]
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student", "B", 2)))
    assert field_text(doc, f"lpf_w_i{k}_e0") == event
    reword(doc, f"lpf_w_i{k}_e0", event, event + " at last")
    result = imported(run, pack, save(doc, tmp_path / "b.docx"))
    assert result.exit_code == 0, result.output
    assert lesson.read_text(encoding="utf-8") == expected.replace(event, event + " at last", 1)


def test_bold_and_italics_come_back_as_markdown(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    (r,) = field_runs(doc, "lpf_w_i2_q")
    text = r.find(qn("w:t")).text
    before, word, after = text.partition("shot")
    r.find(qn("w:t")).text = before
    bold = copy.deepcopy(r)
    bold.find(qn("w:t")).text = word
    rpr = bold.find(qn("w:rPr"))
    if rpr is None:
        rpr = bold.makeelement(qn("w:rPr"), {})
        bold.insert(0, rpr)
    rpr.append(rpr.makeelement(qn("w:b"), {}))
    rest = copy.deepcopy(r)
    rest.find(qn("w:t")).text = after
    r.addnext(bold)
    bold.addnext(rest)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("was later shot?", "was later **shot**?", 1)


def test_an_edited_formula_is_reported_not_guessed(run, tmp_path):
    pack = copy_pack(REPO / "examples" / "mathematics", tmp_path / "maths")
    lesson = pack / "lessons" / "straight-line-graphs.yaml"
    before = snapshot(pack / "lessons")
    doc = Document(io.BytesIO(make_docx(pack, "straight-line-graphs", "student")))
    start = bookmark(doc, "lpf_rd_x_g0")
    maths = next(el for el in start.getparent().iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}t"))
    maths.text = maths.text.replace("2", "5", 1) if "2" in maths.text else maths.text + "5"
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "a formula, footnote or blank in reading.text paragraph 1 was edited" in result.output
    assert result.output.count("warning:") == 1, result.output
    assert snapshot(pack / "lessons") == before
    assert lesson.exists()


# -- what cannot come back is reported -------------------------------------------------------------------------------


def test_a_pasted_picture_and_a_restructured_table_are_reported_with_their_place(run, tmp_path, soviet):
    pack, lesson = soviet
    before = snapshot(pack / "lessons")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    picture = tmp_path / "dot.png"
    from PIL import Image

    Image.new("RGB", (40, 20), "red").save(picture)
    target = paragraph_of(doc, "lpf_rd_x_g2")
    pasted = doc.add_paragraph()
    pasted.add_run().add_picture(str(picture))
    target.addnext(pasted._p)
    glossary = next(t for t in doc.tables if any(bookmark(doc, "lpf_k0_te") is not None and
                                                 bookmark(doc, "lpf_k0_te") in c._tc.iter() for c in t._cells))
    glossary.add_row()  # a row more than lessonpack drew
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "a picture was added" in result.output
    assert "under \"From Lenin" in result.output.split("a picture was added")[0].splitlines()[-1]
    assert "restructured table" in result.output
    assert snapshot(pack / "lessons") == before


def test_text_typed_outside_every_field_is_reported(run, tmp_path, soviet):
    pack, lesson = soviet
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    target = paragraph_of(doc, "lpf_rd_so")
    typed = doc.add_paragraph("Remember to bring your atlas.")
    target.addnext(typed._p)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert "text typed outside every field ('Remember to bring your atlas.')" in result.output
    assert "paragraph " in result.output


def test_dry_run_prints_the_diff_and_writes_nothing(run, tmp_path, soviet):
    pack, lesson = soviet
    before = snapshot(pack / "lessons")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    reword(doc, "lpf_w_i0_q", "do him so little harm", "hurt him so little")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"--- a/lessons/{SOVIET}.yaml\n+++ b/lessons/{SOVIET}.yaml\n" in result.output
    prompt = "      prompt: Lenin's notes warned against Stalin. Why did the warning "
    assert f"-{prompt}do him so little harm?" in result.output
    assert f"+{prompt}hurt him so little?" in result.output
    assert "nothing written" in result.output
    assert snapshot(pack / "lessons") == before


def test_an_edit_that_breaks_the_lesson_is_refused_and_writes_nothing(run, tmp_path, soviet):
    pack, lesson = soviet
    before = snapshot(pack / "lessons")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    for j in (0, 2, 3):  # every wrong choice goes: a question with one choice
        gone = paragraph_of(doc, f"lpf_w_i0_c{j}")
        gone.getparent().remove(gone)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert snapshot(pack / "lessons") == before


def test_a_document_lessonpack_did_not_make_is_refused(run, tmp_path, soviet):
    pack, _ = soviet
    before = snapshot(pack / "lessons")
    doc = Document()
    doc.add_paragraph("My own worksheet")
    other = save(doc, tmp_path / "other.docx")
    result = imported(run, pack, other)
    assert result.exit_code == 1
    assert "was not made by lessonpack" in result.output
    (tmp_path / "not.docx").write_text("hello")
    result = imported(run, pack, tmp_path / "not.docx")
    assert result.exit_code == 1 and "is not a Word document" in result.output
    assert snapshot(pack / "lessons") == before


def test_without_the_lesson_in_the_pack_the_import_is_refused(run, tmp_path, soviet):
    pack, lesson = soviet
    docx = tmp_path / "edited.docx"
    docx.write_bytes(make_docx(pack, SOVIET, "student"))
    other = tmp_path / "other"
    (other / "lessons").mkdir(parents=True)
    shutil.copyfile(lesson, other / "lessons" / "renamed.yaml")
    shutil.copytree(pack / "lessons" / "images", other / "lessons" / "images")
    before = snapshot(other)
    result = imported(run, other, docx)
    assert result.exit_code == 1
    assert f'made from the lesson "{SOVIET}", which is not in' in result.output
    result = run("import", str(docx), "--lesson", str(other / "lessons" / "renamed.yaml"), cwd=other)
    assert result.exit_code == 1 and "not from renamed.yaml" in result.output
    assert snapshot(other) == before


# -- the pieces -----------------------------------------------------------------------------------------------------


def test_carry_keeps_what_the_print_changed():
    assert carry("Lenin’s notes do harm", "Lenin’s notes hurt", "Lenin's notes do harm") == "Lenin's notes hurt"
    assert carry("a **b** c", "a **b** d", "a b c") == "a b d"
    assert carry("same", "same", "same") == "same"


def test_merge_order_maps_a_versions_moves_to_the_written_order():
    assert merge_order([0, 1, 2, 3], [1, 0, 2, 3], 4) == [1, 0, 2, 3]  # as written: exactly the edited order
    assert merge_order([0, 1, 2, 3], [3, 2, 1, 0], 4) == [3, 2, 1, 0]
    # Version B printed 2, 0, 3, 1; 0 moved before 2: the others keep their written order, 0 goes before 2.
    assert merge_order([2, 0, 3, 1], [0, 2, 3, 1], 4) == [1, 0, 2, 3]
    assert merge_order([2, 0, 3, 1], [2, 3, 1], 4) == [1, 2, 3]  # removed: the rest keep the written order
    new = New("x")
    assert merge_order([0, 1, 2], [0, 2, new], 3) == [0, 2, new]


# -- LibreOffice ----------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_keeps_the_marks(run, tmp_path, soviet):
    """Documents saved again by LibreOffice (as an editor using it does) keep their marks and properties: an
    edit comes back, and unedited documents (a version B, a teacher edition with its page reference) bring back
    nothing and report nothing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    reword(doc, "lpf_w_i0_q", "do him so little harm", "hurt him so little")
    save(doc, folder / "edited.docx")
    (folder / "b.docx").write_bytes(make_docx(pack, SOVIET, "student", "B", 2))
    (folder / "teacher.docx").write_bytes(make_docx(pack, "eastern-europe-1919-1938", "teacher"))
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, sorted(folder.iterdir()))],
                   check=True, capture_output=True, timeout=300)
    names = [b.get(qn("w:name")) for b in Document(str(out / "edited.docx")).element.body.iter(qn("w:bookmarkStart"))]
    assert "lpf_w_i0_q" in names and "lpf_rd_x_g1" in names
    for unedited in ("b.docx", "teacher.docx"):
        result = imported(run, pack, out / unedited)
        assert result.exit_code == 0, result.output
        assert "no changes to bring back" in result.output and "warning" not in result.output, result.output
    result = imported(run, pack, out / "edited.docx")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("do him so little harm", "hurt him so little", 1)


def test_words_typed_just_after_a_field_belong_to_it(run, tmp_path, soviet):
    """Word puts what is typed at the end of a bookmarked text outside the bookmark: it still comes back."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    end = next(e for e in paragraph_of(doc, "lpf_w_i2_c0").iter(qn("w:bookmarkEnd"))
               if e.get(qn("w:id")) == bookmark(doc, "lpf_w_i2_c0").get(qn("w:id")))
    typed = copy.deepcopy(field_runs(doc, "lpf_w_i2_c0")[-1])
    typed.find(qn("w:t")).text = " or fewer"
    typed.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    end.addnext(typed)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("- About one in ten\n", "- About one in ten or fewer\n", 1)


def test_a_source_analysis_parts_model_answer_comes_back(run, tmp_path):
    pack = copy_pack(REPO, tmp_path / "pack")
    lesson = pack / "lessons" / "eastern-europe-1919-1938.yaml"
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "eastern-europe-1919-1938", "teacher")))
    reword(doc, "lpf_w_i11_pr0_q", "promise the peoples", "offer the peoples")
    reword(doc, "lpf_w_i11_pr1_a_r0", "American war aims", "America's war aims")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("promise the peoples", "offer the peoples", 1).replace(
        "American war aims", "America's war aims", 1)


def test_a_true_false_answer_moved_in_the_teacher_edition_comes_back(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    line = paragraph_of(doc, "lpf_w_i3_q").getnext()  # "True    False ✔": the answer is false
    runs = line.findall(qn("w:r"))
    mark = next(r for r in runs if "\u2714" in "".join(t.text or "" for t in r.iter(qn("w:t"))))
    line.remove(mark)
    tab = next(r for r in runs if r.find(qn("w:tab")) is not None
               or "\t" in "".join(t.text or "" for t in r.iter(qn("w:t"))))
    tab.addprevious(mark)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    lines = old.splitlines(keepends=True)
    at = old.splitlines().index("      prompt: Stalin took sole power in one sudden coup soon after Lenin's death.")
    assert lines[at + 1] == "      answer: false\n"
    lines[at + 1] = "      answer: true\n"
    assert lesson.read_text(encoding="utf-8") == "".join(lines)


def test_properties_a_document_should_not_have_are_not_trusted(run, tmp_path, soviet):
    """A document whose properties were changed by hand (a style that is not the pack's, 10,000 versions) imports
    as the pack draws it, no slower."""
    import re
    import zipfile

    pack, lesson = soviet
    before = snapshot(pack / "lessons")
    built = make_docx(pack, SOVIET, "student")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(built)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/custom.xml":
                text = data.decode("utf-8")
                text = re.sub(r'(name="lessonpack.versions"><vt:lpwstr>)\d+', r"\g<1>10000", text)
                text = re.sub(r'(name="lessonpack.style"><vt:lpwstr>)[^<]+', r"\g<1>../../etc", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    docx = tmp_path / "tampered.docx"
    docx.write_bytes(out.getvalue())
    result = imported(run, pack, docx)
    assert result.exit_code == 0, result.output
    assert "no changes to bring back" in result.output
    assert snapshot(pack / "lessons") == before


def test_comments_stay_where_they_are(run, tmp_path):
    """A lesson with comments inside its items: a reworded fill-in text, a key term removed and two questions
    swapped leave every comment in place (a comment inside a question moves with it)."""
    pack = copy_pack(REPO, tmp_path / "pack")
    lesson = pack / "lessons" / "eastern-europe-1919-1938.yaml"
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "eastern-europe-1919-1938", "student")))
    reword(doc, "lpf_w_i5_x", "used the army to seize", "used troops to seize")
    term = paragraph_of(doc, "lpf_k4_te")
    for el in list(term):
        if el.tag != qn("w:pPr"):
            term.remove(el)
    # The fill-in question (with its comment) and the matching question after it (with two) change places.
    fill, matching, after = (paragraph_of(doc, f"lpf_w_i{n}_q") for n in (5, 6, 7))
    block, el = [], fill
    while el is not matching:
        block.append(el)
        el = el.getnext()
    for el in block:
        after.addprevious(el)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    new = lesson.read_text(encoding="utf-8")
    lines = old.replace("used the army to seize", "used troops to seize", 1).splitlines(keepends=True)
    term_at = next(n for n, ln in enumerate(lines) if ln == "  - term: revisionism\n")
    del lines[term_at:term_at + 2]
    items = [n for n, ln in enumerate(lines) if ln.startswith("    - type:")]
    fill_lines, matching_lines = lines[items[5]:items[6]], lines[items[6]:items[7]]
    lines[items[5]:items[7]] = matching_lines + fill_lines
    assert new == "".join(lines)
    comments = [ln for ln in old.splitlines() if ln.strip().startswith("#")]
    kept = [ln for ln in new.splitlines() if ln.strip().startswith("#")]
    assert len(comments) == 3 and sorted(kept) == sorted(comments)


def test_lesson_names_the_file_to_write(run, tmp_path, soviet):
    """--lesson names the lesson file, wherever the command runs."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    reword(doc, "lpf_w_i0_q", "do him so little harm", "hurt him so little")
    docx = save(doc, tmp_path / "edited.docx")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("import", str(docx), "--lesson", str(lesson), cwd=elsewhere)
    assert result.exit_code == 0, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("do him so little harm", "hurt him so little", 1)
    assert not any(elsewhere.iterdir())


def test_a_changed_blank_answer_comes_back_as_the_blanks_first_answer(run, tmp_path, soviet):
    """The teacher edition shows each blank's first answer: changed, it becomes the first answer in the text, the
    other answers the blank accepts kept, and the rest of the text and its comments untouched."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    assert field_text(doc, "lpf_w_i7_x_b0") == "New\u00a0Economic\u00a0Policy"
    reword(doc, "lpf_w_i7_x_b0", "New\u00a0Economic\u00a0Policy", "New\u00a0Economic\u00a0Programme")
    reword(doc, "lpf_w_i7_x_b2", "heavy", "Heavy")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "worksheet.items[7].text, blank 1" in result.output and "blank 3" in result.output
    assert lesson.read_text(encoding="utf-8") == old.replace(
        "[[New Economic Policy|NEP]]", "[[New Economic Programme|NEP]]", 1).replace(
        "[[heavy industry]]", "[[Heavy industry]]", 1)


def test_a_word_banks_words_come_back_to_the_answers_and_distractors_they_are(run, tmp_path, soviet):
    """A word of the bank is a blank's answer (changed in every blank it fills) or one of extra: (changed there),
    whichever place the version printed it in."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    for version, versions in (("", 1), ("B", 2)):
        lesson.write_text(old, encoding="utf-8")
        doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student", version, versions)))
        words = {field_text(doc, f"lpf_w_i{k}_wb{n}").replace("\u00a0", " "): (k, n)
                 for k in range(20) for n in range(12) if bookmark(doc, f"lpf_w_i{k}_wb{n}") is not None}
        assert {"collectivization", "purge", "consumer goods", "heavy industry"} <= set(words)
        k, n = words["collectivization"]
        reword(doc, f"lpf_w_i{k}_wb{n}", "collectivization", "collectivisation")
        k, n = words["consumer goods"]
        reword(doc, f"lpf_w_i{k}_wb{n}", "consumer", "luxury")
        result = imported(run, pack, save(doc, tmp_path / f"edited{version}.docx"))
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output, result.output
        assert lesson.read_text(encoding="utf-8") == old.replace(
            "[[collectivization]]", "[[collectivisation]]", 1).replace(
            "        - consumer goods\n", "        - luxury goods\n", 1), version


def test_matching_pairs_and_options_come_back_through_the_versions_shuffle(run, tmp_path):
    """A left-hand entry is its pair's left; a lettered option, wherever the version's shuffle put it, its pair's
    right or its extra: entry; a matching made from the key terms changes the key term it printed."""
    pack = copy_pack(REPO, tmp_path / "pack")
    lesson_id = "eastern-europe-1919-1938"
    lesson = pack / "lessons" / f"{lesson_id}.yaml"
    old = lesson.read_text(encoding="utf-8")
    data = yaml.safe_load(old)
    k = next(i for i, item in enumerate(data["worksheet"]["items"]) if item["type"] == "matching")
    item = data["worksheet"]["items"][k]
    for version, versions in (("", 1), ("B", 2)):
        lesson.write_text(old, encoding="utf-8")
        doc = Document(io.BytesIO(make_docx(pack, lesson_id, "student", version, versions)))
        printed = next(i for i in range(20) if bookmark(doc, f"lpf_w_i{i}_pa0_l") is not None)
        assert field_text(doc, f"lpf_w_i{printed}_pa0_l") == item["pairs"][0]["left"]
        reword(doc, f"lpf_w_i{printed}_pa0_l", "self-determination", "self-rule")
        options = {field_text(doc, f"lpf_w_i{printed}_ri{n}").replace("\u2019", "'"): n for n in range(26)
                   if bookmark(doc, f"lpf_w_i{printed}_ri{n}") is not None}
        assert len(options) == len(item["pairs"]) + len(item["extra"])
        right = item["pairs"][2]["right"]
        reword(doc, f"lpf_w_i{printed}_ri{options[right]}", "living", "who live")
        extra = item["extra"][0]
        word = extra.split()[-1]
        reword(doc, f"lpf_w_i{printed}_ri{options[extra]}", word, word.upper())
        result = imported(run, pack, save(doc, tmp_path / f"edited{version}.docx"))
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output, result.output
        assert lesson.read_text(encoding="utf-8") == old.replace(
            "- left: self-determination", "- left: self-rule", 1).replace(
            right, right.replace("living", "who live"), 1).replace(extra, extra.replace(word, word.upper()), 1)


def test_a_matching_made_from_the_key_terms_changes_the_key_term(run, tmp_path):
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    (pack / "lessonpack.yaml").write_text("school: Hillside Academy\n", encoding="utf-8")
    lesson = pack / "lessons" / "lesson-1.yaml"
    old = UNIT_LESSON.format(n=1, extra="")
    lesson.write_text(old, encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "lesson-1", "student", "B", 2)))  # wherever B prints the matching
    printed = next(i for i in range(10) if bookmark(doc, f"lpf_w_i{i}_pa1_l") is not None)
    assert field_text(doc, f"lpf_w_i{printed}_pa1_l") == "Depression"
    reword(doc, f"lpf_w_i{printed}_pa1_l", "Depression", "Great Depression")
    option = next(n for n in range(4) if field_text(doc, f"lpf_w_i{printed}_ri{n}").startswith("An international"))
    reword(doc, f"lpf_w_i{printed}_ri{option}", "body", "organisation")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("{term: Depression,", "{term: Great Depression,").replace(
        "An international body", "An international organisation")


def test_a_key_term_changed_two_ways_in_two_places_is_reported(run, tmp_path):
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    (pack / "lessonpack.yaml").write_text("school: Hillside Academy\n", encoding="utf-8")
    lesson = pack / "lessons" / "lesson-1.yaml"
    lesson.write_text(UNIT_LESSON.format(n=1, extra=""), encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "lesson-1", "teacher")))
    printed = next(i for i in range(10) if bookmark(doc, f"lpf_w_i{i}_pa1_l") is not None)
    reword(doc, f"lpf_w_i{printed}_pa1_l", "Depression", "Great Depression")
    reword(doc, "lpf_k1_te", "Depression", "Slump")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert "key_terms[1].term is printed twice and was changed in two different ways" in result.output
    assert yaml.safe_load(lesson.read_text(encoding="utf-8"))["key_terms"][1]["term"] in ("Slump", "Great Depression")


def test_a_diagrams_label_answers_and_word_bank_come_back(run, tmp_path):
    """The teacher edition's answer on a label's line is that label's answer (through the version's numbering);
    a word of the diagram's bank an answer or a distractor."""
    pack = copy_pack(REPO / "examples" / "science", tmp_path / "pack")
    lesson = pack / "lessons" / "photosynthesis-rate.yaml"
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "photosynthesis-rate", "teacher")))
    k = next(i for i in range(20) if bookmark(doc, f"lpf_w_i{i}_lb0_a") is not None)
    line = next(n for n in range(6) if field_text(doc, f"lpf_w_i{k}_lb{n}_a") == "cytoplasm")
    reword(doc, f"lpf_w_i{k}_lb{line}_a", "cytoplasm", "cytosol")
    bank = {field_text(doc, f"lpf_w_i{k}_wb{n}"): n for n in range(8)}
    reword(doc, f"lpf_w_i{k}_wb{bank['cytoplasm']}", "cytoplasm", "cytosol")  # the same change in the bank
    reword(doc, f"lpf_w_i{k}_wb{bank['ribosome']}", "ribosome", "ribosomes")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("answer: cytoplasm}", "answer: cytosol}", 1).replace(
        "extra: [mitochondrion, ribosome]", "extra: [mitochondrion, ribosomes]", 1)


def test_a_source_tables_cells_come_back(run, tmp_path):
    """A cell of a source's table, a header spanning columns (written as a mapping), a figure split at its
    decimal point for the print, and a blank cell's answer in the teacher edition."""
    pack = copy_pack(REPO / "examples" / "science", tmp_path / "pack")
    lesson = pack / "lessons" / "photosynthesis-rate.yaml"
    old = lesson.read_text(encoding="utf-8")
    source = next(i for i, s in enumerate(yaml.safe_load(old)["sources"]) if "table" in s)
    doc = Document(io.BytesIO(make_docx(pack, "photosynthesis-rate", "teacher")))
    at = f"lpf_s{source}_tb"
    assert field_text(doc, f"{at}_rw0_cl2") == "2.5"
    reword(doc, f"{at}_rw0_cl2", "2", "3")  # "2" and ".5" are runs of their own: the figure reads 3.5
    reword(doc, f"{at}_h0_cl2", "Bubbles", "Bubbles counted")
    reword(doc, f"{at}_h0_cl3", "Mean", "Average")
    assert field_text(doc, f"{at}_rw2_cl5") == "7.0"
    reword(doc, f"{at}_rw2_cl5", "7", "8")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace(
        '- ["50", "400", "2.5",', '- ["50", "400", "3.5",', 1).replace(
        "{text: Bubbles per minute, span: 3}", "{text: Bubbles counted per minute, span: 3}", 1).replace(
        "Mean (bubbles/min)]", "Average (bubbles/min)]", 1).replace(
        '{blank: true, answer: "7.0"}', '{blank: true, answer: "8.0"}', 1)


def test_a_numeric_answer_changed_in_the_box_comes_back_and_its_tolerance_is_reported(run, tmp_path):
    pack = copy_pack(REPO / "examples" / "science", tmp_path / "pack")
    lesson = pack / "lessons" / "photosynthesis-rate.yaml"
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "photosynthesis-rate", "teacher")))
    k = next(i for i in range(30) if bookmark(doc, f"lpf_w_i{i}_a") is not None
             and field_text(doc, f"lpf_w_i{i}_a") == "1,600")
    reword(doc, f"lpf_w_i{k}_a", "1,600", "1,650")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("answer: 1,600\n", "answer: 1,650\n", 1)
    # What the box adds ("± 32", worked out from tolerance: 2%) is no field: a change there is reported.
    doc = Document(io.BytesIO(make_docx(pack, "photosynthesis-rate", "teacher")))
    box = paragraph_of(doc, f"lpf_w_i{k}_a")
    extra = next(t for t in box.iter(qn("w:t")) if t.text and "\u00b1" in t.text)  # (± 33 of 1,650 now)
    extra.text = extra.text.replace("33", "40")
    result = imported(run, pack, save(doc, tmp_path / "edited2.docx"))
    assert "warning" in result.output and "not brought back" in result.output, result.output


def _small_pack(tmp_path: Path, items: str, sources: str = "") -> tuple[Path, Path]:
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    (pack / "lessonpack.yaml").write_text("school: Hillside Academy\n", encoding="utf-8")
    lesson = pack / "lessons" / "lesson-1.yaml"
    lesson.write_text(f"title: A small lesson\n{sources}worksheet:\n  items:\n{items}", encoding="utf-8")
    return pack, lesson


def test_a_blank_answer_typed_in_several_runs_keeps_its_spaces(run, tmp_path, soviet):
    """Word keeps what is typed in runs of its own: the answer is read whole, spaces and all."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    (first,) = field_runs(doc, "lpf_w_i7_x_b0")
    first.find(qn("w:t")).text = "New "
    first.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    second = copy.deepcopy(first)
    second.find(qn("w:t")).text = "Economic\u00a0Programme"
    first.addnext(second)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace(
        "[[New Economic Policy|NEP]]", "[[New Economic Programme|NEP]]", 1)


def test_a_formula_in_a_blanks_answer_is_reported_not_written(run, tmp_path):
    pack, lesson = _small_pack(tmp_path, "    - {type: fill_in_blank, word_bank: false, text: "
                                         "\"The area is [[$x^2$|x squared]] here.\"}\n")
    before = lesson.read_bytes()
    doc = Document(io.BytesIO(make_docx(pack, "lesson-1", "teacher")))
    math = next(doc.element.body.iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"))
    r = copy.deepcopy(next(iter(paragraph_of(doc, "lpf_w_i0_x").iter(qn("w:r")))))
    for el in list(r):
        if el.tag != qn("w:rPr"):
            r.remove(el)
    t = r.makeelement(qn("w:t"), {})
    t.text = " m"
    r.append(t)
    math.addnext(r)  # typed after the formula, inside the blank's answer
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert "has a formula in it" in result.output, result.output
    assert lesson.read_bytes() == before


def test_a_rounded_numeric_answer_is_replaced_whole(run, tmp_path):
    """The box prints 3.14159 to 2 places; 3.15 typed there is the answer, not 3.15159."""
    pack, lesson = _small_pack(tmp_path, "    - {type: numeric, prompt: \"What is pi, to 2 places?\", answer: 3.14159, "
                                         "decimals: 2}\n")
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "lesson-1", "teacher")))
    assert field_text(doc, "lpf_w_i0_a") == "3.14"
    reword(doc, "lpf_w_i0_a", "3.14", "3.15")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert lesson.read_text(encoding="utf-8") == old.replace("answer: 3.14159,", "answer: 3.15,")


def test_table_headings_map_to_where_they_are_written(run, tmp_path):
    """A heading that a heading above reaches down over is not printed, so the printed second heading is the
    written third; a one-row header may be written flat."""
    sources = ("sources:\n"
               "  - {title: Census, table: {header: [[Country, {text: People, span: 2}], [\"\", \"1900\", \"2000\"]],"
               " rows: [[France, \"41\", \"59\"]]}, citation: A census.}\n"
               "  - {title: Years, table: {header: [Year, Crop], rows: [[\"1901\", Wheat]]}, citation: A farm log.}\n")
    pack, lesson = _small_pack(tmp_path, "    - {type: short_answer, prompt: Compare the two., source: [A, B]}\n", sources)
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, "lesson-1", "student")))
    reword(doc, "lpf_s0_tb_h1_cl1", "1900", "1901")
    reword(doc, "lpf_s1_tb_h0_cl0", "Year", "Harvest year")
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    data = yaml.safe_load(lesson.read_text(encoding="utf-8"))
    assert data["sources"][0]["table"]["header"] == [["Country", {"text": "People", "span": 2}], ["", "1901", "2000"]]
    assert data["sources"][1]["table"]["header"] == ["Harvest year", "Crop"]
    assert lesson.read_text(encoding="utf-8") == old.replace('"1900"', '"1901"', 1).replace(
        "header: [Year,", "header: [Harvest year,", 1)


def _added_question(doc, after: str, prompt: str, lines: list[tuple[str, str]]):
    """A question pasted into Word after the paragraph holding the mark ``after``: the question paragraph's style
    and the styles given for each following line, with no mark (Word drops a pasted copy's bookmarks)."""
    def paragraph(style_of, text: str):
        p = copy.deepcopy(style_of)
        for el in list(p):
            if el.tag != qn("w:pPr"):
                p.remove(el)
        r = p.makeelement(qn("w:r"), {})
        t = r.makeelement(qn("w:t"), {})
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        p.append(r)
        return p

    question = paragraph_of(doc, "lpf_w_i0_q")
    styles = {"choice": paragraph_of(doc, "lpf_w_i0_c0")}
    for p in doc.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in ("LPTrueFalse", "LPAnswer"):
            styles.setdefault(style.get(qn("w:val")), p)
    at = paragraph_of(doc, after)
    new = [paragraph(question, prompt)] + [paragraph(styles[kind], text) for kind, text in lines]
    for p in new:
        at.addnext(p)
        at = p


def test_questions_added_in_word_come_back_as_items_of_their_kind(run, tmp_path, soviet):
    """A question pasted in with choices is a multiple-choice question answered by its ✔, one with a True/False
    line a true/false statement, one with only answer lines a short-answer question; each goes where it was
    added, with its points."""
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    last_choice = max(n for n in range(8) if bookmark(doc, f"lpf_w_i0_c{n}") is not None)
    _added_question(doc, f"lpf_w_i0_c{last_choice}", "Who led the USSR after 1928?\t1 point",
                    [("choice", "Trotsky"), ("choice", "Stalin \u2714"), ("choice", "Kirov")])
    _added_question(doc, "lpf_w_i4_q", "The NEP ended in 1928.\t1 point", [("LPTrueFalse", "True \u2714\tFalse")])
    _added_question(doc, "lpf_w_i4_q", "Why did Stalin purge the army?",
                    [("LPAnswer", "To remove any rival who could threaten him.")])
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    items = yaml.safe_load(lesson.read_text(encoding="utf-8"))["worksheet"]["items"]
    before = yaml.safe_load(old)["worksheet"]["items"]
    assert len(items) == len(before) + 3
    assert items[1] == {"type": "multiple_choice", "prompt": "Who led the USSR after 1928?",
                        "choices": ["Trotsky", "Stalin", "Kirov"], "answer": "Stalin", "points": 1}
    # Pasted after item 4's question (before its True/False line): each new one follows it, in the order pasted.
    assert items[6] == {"type": "short_answer", "prompt": "Why did Stalin purge the army?",
                        "answer": "To remove any rival who could threaten him."}
    assert items[7] == {"type": "true_false", "prompt": "The NEP ended in 1928.", "answer": True, "points": 1}
    assert [i for n, i in enumerate(items) if n not in (1, 6, 7)] == before
    assert "# Distractors: neither fits any blank." in lesson.read_text(encoding="utf-8")  # comments kept
    check = run("check", str(lesson), cwd=pack)
    assert check.exit_code == 0, check.output


def test_a_multiple_choice_question_added_without_its_answer_is_reported(run, tmp_path, soviet):
    pack, lesson = soviet
    before = snapshot(pack / "lessons")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "student")))
    _added_question(doc, "lpf_w_i0_c3", "Who led the USSR after 1928?", [("choice", "Trotsky"), ("choice", "Stalin")])
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert "a multiple-choice question was added in Word ('Who led the USSR after 1928?'), but no choice has a " \
           "\u2714 beside it" in result.output
    assert snapshot(pack / "lessons") == before


def test_teacher_notes_and_a_new_key_term_come_back(run, tmp_path, soviet):
    pack, lesson = soviet
    old = lesson.read_text(encoding="utf-8")
    doc = Document(io.BytesIO(make_docx(pack, SOVIET, "teacher")))
    notes = yaml.safe_load(old)["teacher_notes"]
    word = notes.split()[3]
    reword(doc, "lpf_tn_g0", word, word.upper())
    entry = paragraph_of(doc, "lpf_k0_te")
    added = copy.deepcopy(entry)
    for el in list(added):
        if el.tag != qn("w:pPr"):
            added.remove(el)
    r = copy.deepcopy(field_runs(doc, "lpf_k0_d")[0])
    r.find(qn("w:t")).text = "NKVD \u2014 The Soviet secret police from 1934."
    added.append(r)
    entry.addnext(added)
    result = imported(run, pack, save(doc, tmp_path / "edited.docx"))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(lesson.read_text(encoding="utf-8"))
    assert data["key_terms"][1] == {"term": "NKVD", "definition": "The Soviet secret police from 1934."}
    assert data["key_terms"][:1] + data["key_terms"][2:] == yaml.safe_load(old)["key_terms"]
    assert data["teacher_notes"] == notes.replace(word, word.upper(), 1)
