"""Whole-unit builds: the combined pack PDFs, incremental rebuilds, atomic writes, locking, shards, clean."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, edit_lesson, make_unit

from lessonpack.building.builder import build, clean
from lessonpack.building.jobs import plan_jobs, resolve, shard_of
from lessonpack.load.pack import load_pack

LESSONPACK = [sys.executable, "-m", "lessonpack"]


def page_texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(path).pages]


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def sample_unit(sample_builds):
    return sample_builds["classic"]  # the sample unit, built once per session (with its unit PDFs)


@pytest.mark.slow  # a whole-build sweep: make test-heavy
def test_sample_pack_pdfs_cover_contents_and_lessons(sample_unit):
    """A unit PDF is its front matter, then each lesson's own PDF pages (the same sheets, with the lesson's
    own page numbers); the contents give the unit page of every lesson and section, and link to it."""
    pack = load_pack(REPO)
    for edition in ("student", "teacher"):
        path = sample_unit / f"interwar-years-{edition}.pdf"
        pages = page_texts(path)
        cover = pages[0]
        for text in ("The Interwar Years (1919–1938)", "Three lessons for grades 9–10", "Lessonpack Sample School",
                     "History department", "TEACHER EDITION" if edition == "teacher" else "STUDENT EDITION"):
            assert text in cover
        assert "Page" not in cover and "Page" not in pages[1]  # the front matter is not numbered
        contents = pages[1]
        assert "Contents" in contents
        reader = PdfReader(path)
        named = {name: reader.get_destination_page_number(dest) + 1
                 for name, dest in reader.named_destinations.items()}
        links = [(str(a.get_object()["/Dest"])) for a in reader.pages[1].get("/Annots", [])]
        page = 2
        for lesson in pack.lessons:
            title = lesson.lesson.title
            listed = re.search(re.escape(title) + r"[ .]*?(\d+)\s", contents)
            assert listed, f"{title} missing from contents"
            start = int(listed.group(1))
            own = page_texts(sample_unit / lesson.id / f"{lesson.id}-{edition}.pdf")
            assert start > page  # in order, after the front matter and the lesson before
            blanks = [text.replace(" ", "") for text in pages[page:start - 1]]  # the notice is drawn, not set
            assert blanks == ["Thispageisintentionallyleftblank."] * (start - 1 - page)
            assert pages[start - 1:start - 1 + len(own)] == own  # the lesson's own pages, word for word
            for number, text in enumerate(own, 1):  # a blank page before a right-hand worksheet says only so
                if text.replace(" ", "") != "Thispageisintentionallyleftblank.":
                    assert f"Page {number} of {len(own)}" in text
            assert named[f"lesson-{lesson.id}"] == start and f"lesson-{lesson.id}" in links  # the link lands there
            if edition == "student":  # the lesson opens with its name line
                assert pages[start - 1].startswith("Name Date Class")
            worksheet = f"{lesson.id}-worksheet"
            section = re.search(r"Check Your Understanding[ .]*?(\d+)\b", contents[listed.end():])
            assert section and int(section.group(1)) == named[worksheet] and worksheet in links
            assert "Check Your Understanding" in pages[named[worksheet] - 1]
            page = start - 1 + len(own)
        assert page == len(pages)
        assert_contents_numbers_align_right(path)


def assert_contents_numbers_align_right(path: Path) -> None:
    """Every contents line ends in its page number at the same right edge, well apart from its title (the
    dots are drawn between them)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[1]
        rows: dict[int, list] = {}
        for word in page.extract_words():
            rows.setdefault(round(word["bottom"]), []).append(word)
        lines = [(max(row, key=lambda w: w["x1"]), [w for w in row if not w["text"].isdigit()])
                 for top, row in sorted(rows.items()) if top > 100]
        lines = [(end, words) for end, words in lines if end["text"].isdigit() and words]
        assert len(lines) >= 6
        right = [end["x1"] for end, _ in lines]
        assert max(right) - min(right) < 0.5 and page.width - right[0] < 100  # one edge, at the right margin
        assert all(end["x0"] - max(w["x1"] for w in words) > 40 for end, words in lines)


def test_unit_pdf_structure_tree_holds_every_lesson_as_a_part(sample_unit):
    """The assembled unit stays tagged (PDF/UA): each lesson's tags are a Part of the unit's document, read
    in page order, with every page's marked content and every link reachable from the parent tree."""
    from readback import pdf_tree

    import pikepdf

    pack = load_pack(REPO)
    path = sample_unit / "interwar-years-teacher.pdf"
    tree = pdf_tree(path)
    parts = [child for child in tree.children if child.role == "/Part"]
    assert len(parts) == len(pack.lessons)
    for part, lesson in zip(parts, pack.lessons):
        assert part.text == pdf_tree(sample_unit / lesson.id / f"{lesson.id}-teacher.pdf").text
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        keys = [int(k) for k in nums[0::2]]
        assert len(set(keys)) == len(keys) and int(root.ParentTreeNextKey) == max(keys) + 1
        for page in pdf.pages:
            assert int(page.obj.StructParents) in keys
            for annot in page.obj.get("/Annots", []):
                assert int(annot.StructParent) in keys
        assert bool(pdf.Root.MarkInfo.Marked) and str(pdf.Root.Lang) == "en"
        assert b'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes()


def test_sample_pack_outline_has_every_lesson_and_its_sections(sample_unit):
    reader = PdfReader(sample_unit / "interwar-years-teacher.pdf")
    pack = load_pack(REPO)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [lesson.lesson.title for lesson in pack.lessons]
    children = [item for item in reader.outline if isinstance(item, list)]
    assert len(children) == len(pack.lessons)
    for sections in children:
        titles = [s.title for s in sections if not isinstance(s, list)]
        assert titles[0] == "Teacher overview" and "Key terms" in titles and "Answer key" in titles


def test_pack_pdf_student_edition_has_no_answers(sample_unit):
    text = " ".join(page_texts(sample_unit / "interwar-years-student.pdf"))
    assert "Answer key" not in text and "For the teacher" not in text and "Teacher notes" not in text


def test_duplex_starts_lessons_on_right_hand_pages(tmp_path):
    unit = make_unit(tmp_path / "unit", 3, duplex=True)
    build(unit, jobs=1, editions=["student"])
    pages = page_texts(unit / "dist" / "generated-unit-student.pdf")
    starts = [i + 1 for i, text in enumerate(pages) if re.match(r"Name Date Class Lesson \d+: The Interwar", text)]
    assert len(starts) == 3
    assert all(page % 2 == 1 for page in starts), starts
    # (test_classroom.py checks the blank left-hand pages and where their notice sits)


def test_no_pack_and_single_lesson_targets_skip_the_unit_pdf(tmp_path):
    unit = make_unit(tmp_path / "unit", 2)
    result = build(unit, jobs=1, with_pack=False, editions=["student"])
    assert [p.name for p in result.written] == ["lesson-01-student.pdf", "lesson-02-student.pdf"]
    result = build(unit / "lessons" / "lesson-01.yaml", jobs=1, editions=["student"], force=True)
    assert [p.name for p in result.written] == ["lesson-01-student.pdf"]


@pytest.fixture(scope="module")
def twenty(tmp_path_factory):
    """A unit of eight lessons built once (PDF and HTML), for the incremental tests (the benchmark runs 20)."""
    unit = make_unit(tmp_path_factory.mktemp("unit"), 8)
    result = build(unit, formats=["pdf", "html"], jobs=2)
    assert result.ok and len(result.written) == 8 * 2 * 2 + 2
    return unit


@pytest.mark.slow  # a twenty-lesson unit built twice: make test-heavy
def test_second_build_rewrites_nothing(twenty):
    before = mtimes(twenty / "dist")
    result = build(twenty, formats=["pdf", "html"], jobs=2)
    assert result.written == [] and len(result.unchanged) == 34
    assert mtimes(twenty / "dist") == before


@pytest.mark.slow  # an eight-lesson unit built and built again: make test-heavy
def test_one_edit_rebuilds_only_that_lesson_and_the_pack(twenty):
    before = mtimes(twenty / "dist")
    edit_lesson(twenty, 7, "Stresemann died in 1929.")
    result = build(twenty, formats=["pdf", "html"], jobs=2)
    rebuilt = sorted(p.relative_to(twenty / "dist").as_posix() for p in result.written)
    assert rebuilt == sorted([f"lesson-07/lesson-07-{e}.{f}" for e in ("student", "teacher") for f in ("pdf", "html")]
                             + ["generated-unit-student.pdf", "generated-unit-teacher.pdf"])
    after = mtimes(twenty / "dist")
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == set(rebuilt)
    assert "Stresemann died in 1929." in (twenty / "dist/lesson-07/lesson-07-student.html").read_text("utf-8")


@pytest.mark.slow  # an eight-lesson unit built and built again: make test-heavy
def test_changed_option_or_deleted_output_rebuilds(twenty):
    victim = twenty / "dist" / "lesson-03" / "lesson-03-teacher.html"
    victim.unlink()
    result = build(twenty, formats=["html"], jobs=1, with_pack=False)
    assert [p.name for p in result.written] == ["lesson-03-teacher.html"]
    result = build(twenty, formats=["html"], jobs=1, with_pack=False, paper="a4")
    assert len(result.written) == 16  # every HTML output depends on the paper size
    result = build(twenty, formats=["html"], jobs=1, with_pack=False, paper="a4", force=True)
    assert len(result.written) == 16 and result.unchanged == []


@pytest.mark.slow  # a unit built whole and in shards: make test-heavy
def test_shards_partition_the_lesson_outputs_exactly(tmp_path):
    unit = make_unit(tmp_path / "unit", 3)
    pack = load_pack(unit)
    settings = resolve(pack, formats=["pdf", "html"])
    everything = [job.path for job in plan_jobs(pack, settings) if job.lesson is not None]
    for count in (1, 2, 3, 7):
        shares = [[job.path for job in shard_of(plan_jobs(pack, settings), i, count)] for i in range(1, count + 1)]
        assert sorted(p for share in shares for p in share) == sorted(everything)  # together: everything
        assert len({p for share in shares for p in share}) == len(everything)  # never overlapping
        assert shares == [[job.path for job in shard_of(plan_jobs(pack, settings), i, count)]
                          for i in range(1, count + 1)]  # deterministic

    first = build(unit, formats=["html"], shard=(1, 2), jobs=1)
    second = build(unit, formats=["html"], shard=(2, 2), jobs=1)
    assert not set(first.written) & set(second.written)
    assert len(first.written) + len(second.written) == 3 * 2
    assert not (unit / "dist" / "generated-unit-student.pdf").exists()  # shards never build the unit PDFs
    early = build(unit, pack_only=True, jobs=2, formats=["pdf", "html"])  # the shards made no PDFs: built here
    assert sorted(p.name for p in early.written) == sorted(
        ["generated-unit-student.pdf", "generated-unit-teacher.pdf"]
        + [f"lesson-0{n}-{e}.pdf" for n in (1, 2, 3) for e in ("student", "teacher")])
    assert any("6 lesson PDFs were missing or out of date" in w for w in early.warnings), early.warnings
    shards = [build(unit, formats=["pdf", "html"], shard=(i, 2), jobs=1) for i in (1, 2)]
    assert all(s.written == [] for s in shards)  # the PDFs --pack-only built are current for the shards
    packs = build(unit, pack_only=True, jobs=2, formats=["pdf", "html"])
    assert packs.written == [] and len(packs.unchanged) == 2 + 6  # unit PDFs and their lesson PDFs: current
    assert not any("missing" in w for w in packs.warnings)


def test_keep_going_builds_valid_lessons_and_reports_invalid_ones(tmp_path, run):
    unit = make_unit(tmp_path / "unit", 3)
    (unit / "lessons" / "lesson-02.yaml").write_text("title: Broken\nworksheet:\n  items:\n    - {type: essay}\n")
    result = run("build", "-f", "html", "--keep-going", "-j", "1", cwd=unit)
    assert result.exit_code == 1
    assert 'lessons/lesson-02.yaml:4:7: error: worksheet.items[0]: missing required field "prompt"' in result.output
    assert (unit / "dist/lesson-01/lesson-01-student.html").is_file()
    assert (unit / "dist/lesson-03/lesson-03-teacher.html").is_file()
    assert not (unit / "dist/lesson-02").exists()
    without = run("build", "-f", "html", "-j", "1", "--force", cwd=unit)
    assert without.exit_code == 1 and "written" not in without.output


def test_renderer_failure_names_the_lesson_and_spares_the_others(tmp_path, run, monkeypatch):
    unit = make_unit(tmp_path / "unit", 3)
    from lessonpack.render import html

    original = html.render_html

    def failing(handout, *args, **kwargs):  # a renderer bug that only one lesson's data triggers
        if handout.lesson_id == "lesson-02":
            raise RuntimeError("the renderer tripped")
        return original(handout, *args, **kwargs)

    monkeypatch.setattr(html, "render_html", failing)  # the forked workers inherit the patch
    monkeypatch.setattr("lessonpack.render.pdf.render_html", failing)
    result = run("build", "-f", "html", "-f", "pdf", "--no-pack", "-j", "2", cwd=unit)
    assert result.exit_code == 1
    assert ("lessons/lesson-02.yaml: error: rendering dist/lesson-02/lesson-02-student.html failed: "
            "RuntimeError: the renderer tripped") in result.output.splitlines(), result.output
    assert "Traceback" not in result.output
    assert len(list((unit / "dist").rglob("lesson-01-*"))) == 4
    assert len(list((unit / "dist").rglob("lesson-03-*"))) == 4
    assert not list((unit / "dist").rglob("lesson-02-*"))
    assert "8 written, 0 unchanged, 4 failed" in result.output


@pytest.mark.slow  # a whole pack tried and built: make test-heavy
def test_a_pack_template_that_fails_on_one_lesson_is_found_before_anything_is_built(tmp_path, run):
    unit = make_unit(tmp_path / "unit", 3)
    items = (REPO / "src/lessonpack/data/templates/lesson.html").read_text(encoding="utf-8")
    (unit / "templates").mkdir()
    (unit / "templates" / "lesson.html").write_text(items.replace(
        '<header class="masthead">', '{% if h.lesson_id == "lesson-02" %}{{ h.no_such_field }}{% endif %}'
        '<header class="masthead">'), encoding="utf-8")
    expected = "templates/lesson.html:6: error: template error: 'Handout' has no attribute 'no_such_field'"
    for command in (["check"], ["build", "-f", "html", "--no-pack"]):
        result = run(*command, cwd=unit)
        assert result.exit_code == 1
        assert expected in result.output.splitlines(), result.output
    assert not (unit / "dist").exists()


def test_clean_removes_only_outputs_of_lessons_that_are_gone(tmp_path, run):
    unit = make_unit(tmp_path / "unit", 3)
    build(unit, formats=["html"], jobs=1)
    (unit / "dist" / "notes.txt").write_text("the teacher's own file")
    (unit / "lessons" / "lesson-03.yaml").unlink()
    result = run("clean", cwd=unit)
    assert result.exit_code == 0
    assert "removed dist/lesson-03/lesson-03-student.html" in result.output
    assert not (unit / "dist" / "lesson-03").exists()
    assert (unit / "dist" / "lesson-01" / "lesson-01-student.html").is_file()
    assert (unit / "dist" / "notes.txt").is_file()
    assert "0 files removed" in run("clean", cwd=unit).output


def test_progress_lines_summary_and_quiet(tmp_path, run):
    unit = make_unit(tmp_path / "unit", 2)
    result = run("build", "-f", "html", "-j", "1", cwd=unit)
    lines = result.output.splitlines()
    assert sorted(lines[:4]) == sorted(f"written   dist/lesson-0{n}/lesson-0{n}-{e}.html"
                                       for n in (1, 2) for e in ("student", "teacher"))
    assert re.fullmatch(r"4 written, 0 unchanged, 0 failed in \d+\.\d s", lines[-1])
    again = run("build", "-f", "html", "-j", "1", cwd=unit)
    assert "unchanged dist/lesson-01/lesson-01-student.html" in again.output
    assert run("build", "-f", "html", "-j", "1", "-q", "--force", cwd=unit).output == ""


def _valid_pdf(path: Path) -> bool:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        return False
    return len(PdfReader(path).pages) > 0


@pytest.mark.slow
def test_sigkill_mid_build_leaves_old_or_new_files_only(tmp_path):
    unit = make_unit(tmp_path / "unit", 6)
    lean = {"formats": ["pdf"], "with_pack": False}  # twelve PDFs are enough to be caught mid-build
    build(unit, jobs=2, **lean)  # the old outputs
    old = {p: p.read_bytes() for p in (unit / "dist").rglob("*.pdf")}
    for n in range(1, 7):
        edit_lesson(unit, n, "An edit made after the first build.")

    proc = subprocess.Popen([*LESSONPACK, "build", str(unit), "-j", "2", "-q", "-f", "pdf", "--no-pack"],
                            start_new_session=True)
    deadline = time.monotonic() + 60
    manifest = unit / "dist" / ".lessonpack-manifest.json"
    before = manifest.stat().st_mtime_ns
    while time.monotonic() < deadline and manifest.stat().st_mtime_ns == before:
        time.sleep(0.02)  # wait until the build has written at least one new file
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed = {path: path.read_bytes() for path in old}
    assert all(_valid_pdf(path) for path in old)

    # The next build finishes the job; what the killed build left was, file by file, the old bytes or
    # exactly the new ones (builds are byte-reproducible, so the finished build's bytes are "new").
    result = build(unit, jobs=2, **lean)
    assert result.ok
    new = {path: path.read_bytes() for path in old}
    assert all(killed[path] in (old[path], new[path]) for path in old)
    assert any(killed[path] == new[path] != old[path] for path in old), "the build was killed before writing"
    assert any(killed[path] == old[path] != new[path] for path in old), "the build finished before the kill"
    clean(unit)
    assert not list((unit / "dist").rglob(".*.tmp"))


@pytest.mark.slow
def test_concurrent_builds_wait_for_each_other(tmp_path):
    unit = make_unit(tmp_path / "unit", 2)
    procs = [subprocess.Popen([*LESSONPACK, "build", str(unit), "-j", "1", "--force", "--no-pack"],
                              stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert any("another lessonpack build is writing to" in err for _, err in outputs), outputs
    for pdf in (unit / "dist").rglob("*.pdf"):
        assert _valid_pdf(pdf)
    assert len(list((unit / "dist").rglob("*.pdf"))) == 2 * 2


@pytest.mark.slow
def test_concurrent_shards_then_pack_only_match_a_single_machine_build(tmp_path):
    """Scale-out as docs/scale-out.md runs it: N shard processes at once into one shared folder, then
    --pack-only; every file is byte-identical to one machine's build, and the merged manifest knows them all."""
    from lessonpack.building.output import Manifest

    unit = make_unit(tmp_path / "unit", 3, duplex=True)
    lean = ["-f", "pdf", "-f", "docx", "-e", "student", "-j", "1", "-q"]
    single = subprocess.run([*LESSONPACK, "build", str(unit), "-o", str(tmp_path / "single"), *lean],
                            capture_output=True, text=True, timeout=300)
    assert single.returncode == 0, single.stderr
    shared = tmp_path / "shared"
    shards = [subprocess.Popen([*LESSONPACK, "build", str(unit), "-o", str(shared), "--shard", f"{i}/3", *lean],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (1, 2, 3)]
    outputs = [proc.communicate(timeout=300) for proc in shards]
    assert [proc.returncode for proc in shards] == [0, 0, 0], outputs
    assert not any("another lessonpack build" in err for _, err in outputs)  # the shards did not take turns
    assert not (shared / "generated-unit-student.pdf").exists()
    assert sorted(p.name for p in shared.glob(".lessonpack-manifest*")) == [
        f".lessonpack-manifest.shard-{i}-of-3.json" for i in (1, 2, 3)]  # each shard records its own outputs
    pack_only = subprocess.run([*LESSONPACK, "build", str(unit), "-o", str(shared), "--pack-only", *lean],
                               capture_output=True, text=True, timeout=300)
    assert pack_only.returncode == 0 and "missing" not in pack_only.stderr, pack_only.stderr

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and not p.name.startswith(".")}

    expected = files(tmp_path / "single")
    assert len(expected) == 3 * 2 + 1
    assert files(shared) == expected
    merged = Manifest(shared)
    assert merged.trusted and sorted(merged.entries) == sorted(expected)
    assert [p.name for p in shared.glob(".lessonpack-manifest*")] == [".lessonpack-manifest.json"]  # one again
