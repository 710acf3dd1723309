"""PDF handouts as a teacher and a school office get them: built from the sample unit and read back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, own
from readback import pdf_text, words, printed_pages

from lessonpack import load_pack
from lessonpack.building.builder import build
from lessonpack.handout import plan
from lessonpack.text.richtext import plain

LESSONS = ["reconciliation-and-disarmament-1921-1930", "eastern-europe-1919-1938", "soviet-union-1924-1935"]


def straight(text: str) -> str:
    """Curly quotes as straight ones: handouts print typographic quotes, lesson files may not."""
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def text_of(path: Path) -> str:
    """All body text of a PDF in reading order, whitespace collapsed, quotes straightened."""
    return straight(re.sub(r"\s+", " ", pdf_text(path)))


def probe(text: str, words: int = 6) -> str:
    """The first few words of a text: enough to be unique, short enough to sit on one line."""
    return straight(" ".join(re.sub(r"[*_`]", "", text).split()[:words]))


@pytest.fixture(scope="module")
def unit(sample_builds):
    return sample_builds["classic"]


@pytest.fixture(scope="module")
def pack():
    return load_pack(REPO)


def pdf(out: Path, lesson: str, edition: str) -> Path:
    return out / lesson / f"{lesson}-{edition}.pdf"


def in_order(needles: list[str], text: str) -> list[str]:
    """The needles (phrases) that are missing from ``text``'s words, or out of order; [] when all follow."""
    hay = words(text)
    pos, missing = 0, []
    for needle in needles:
        want = words(needle)
        at = next((i for i in range(pos, len(hay) - len(want) + 1) if hay[i:i + len(want)] == want), None)
        if at is None:
            missing.append(needle)
        else:
            pos = at + len(want)
    return missing


def test_every_output_written(unit):
    written = sorted(p.relative_to(unit).as_posix() for p in unit.rglob("*") if p.suffix in (".pdf", ".docx"))
    assert written == sorted([f"{lesson}/{lesson}-{edition}.{fmt}" for lesson in LESSONS
                              for edition in ("student", "teacher") for fmt in ("pdf", "docx")]
                             + ["interwar-years-student.pdf", "interwar-years-teacher.pdf"])
    for path in unit.rglob("*.pdf"):
        assert path.read_bytes().startswith(b"%PDF-1.7")


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_edition_reads_in_the_models_order(unit, pack, lesson):
    """Name line, title, objectives, numbered paragraphs, glossary, prompts, then every question with its
    number, prompt, points and choices — in that order, as a reader (or a screen reader) meets them."""
    text = pdf_text(pdf(unit, lesson, "student"))
    h = plan(next(l for l in pack.lessons if l.id == lesson), "student")
    expected = [*h.masthead.name_line, h.title_text]
    expected += [probe(plain(o)) for o in h.objectives]
    expected += [f"{n} {probe(plain(b.spans or b.items[0]), 3)}" for n, b in h.reading.paragraphs]
    expected += [f"{plain(t)} {probe(plain(d), 3)}" for t, d in h.glossary.entries]
    expected += [f"{p.label} {probe(plain(p.text))}" for p in h.prompts]
    expected += [h.worksheet.total_label]
    for q in h.worksheet.questions:
        for src in q.sources:  # each source just before the first question about it
            expected += [f"{src.label} {plain(src.title)}", probe(plain(src.citation))]
        head = " ".join(filter(None, [q.use_source, probe(plain(q.prompt))]))
        expected += [f"{q.label} {head}", q.points_label]
        expected += [f"{c.label} {probe(plain(c.text), 4)}" for c in own(q, "choices")]
        expected += [f"{p.label} {p.name} {probe(plain(p.prompt))}" for p in own(q, "parts")]
    assert in_order(expected, text) == []


def _teacher_only_texts(pack, lesson: str) -> list[str]:
    source = next(l for l in pack.lessons if l.id == lesson).lesson
    texts = [p.notes for p in source.prompts if p.notes]
    texts += [item.answer for item in source.worksheet.items if item.type == "short_answer" and item.answer]
    texts += [r for item in source.worksheet.items if item.type == "essay" for r in item.rubric]
    texts += [line for line in (source.teacher_notes or "").split("\n\n") if line.strip()]
    texts += [src.notes for src in source.sources if src.notes]
    texts += [part.answer for item in source.worksheet.items if item.type == "source_analysis"
              for part in item.parts if part.answer]
    return [probe(t) for t in texts]


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_edition_holds_no_answers_notes_or_rubrics(unit, pack, lesson):
    out = unit
    text = text_of(pdf(out, lesson, "student"))
    for snippet in _teacher_only_texts(pack, lesson):
        assert snippet not in text
    for word in ("Teacher edition", "Answer key", "Rubric", "For the teacher", "Teacher notes", "Boxes, top to bottom"):
        assert word.lower() not in text.lower()


@pytest.mark.parametrize("lesson", LESSONS)
def test_teacher_edition_holds_all_of_them(unit, pack, lesson):
    out = unit
    text = text_of(pdf(out, lesson, "teacher"))
    for snippet in _teacher_only_texts(pack, lesson):
        assert snippet in text
    handout = plan(next(l for l in pack.lessons if l.id == lesson), "teacher")
    assert in_order(["Teacher edition", handout.title_text, "Answer key", "Reading statistics"], text) == []
    assert in_order([f"{r.number} {r.kind} {probe(r.answer, 4)}" for r in handout.answer_key.rows], text) == []
    assert in_order(list(handout.stats.lines), text) == []


@pytest.mark.parametrize("lesson", LESSONS)
def test_page_counts_and_paper(unit, lesson):
    out = unit
    student = PdfReader(pdf(out, lesson, "student"))
    teacher = PdfReader(pdf(out, lesson, "teacher"))
    assert 4 <= len(student.pages) <= 9
    assert len(student.pages) + 1 <= len(teacher.pages) <= 14
    box = student.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)  # US letter
    last = len(student.pages)
    assert f"Page {last} of {last}" in (student.pages[-1].extract_text() or "")


def test_metadata_tags_bookmarks_and_language(unit):
    out = unit
    reader = PdfReader(pdf(out, "soviet-union-1924-1935", "teacher"))
    meta = reader.metadata
    assert meta.title == "The Soviet Union under Stalin (1924–1935) — Teacher edition"
    assert meta["/Keywords"].startswith("soviets, Central Committee, dictatorship of the proletariat")
    assert meta.author == "lessonpack sample unit"
    assert "History" in meta.subject
    assert "kulaks" in meta["/Keywords"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()  # declared PDF/UA-1
    def flatten(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from flatten(item, depth + 1)
            else:
                yield depth, item.title

    bookmarks = list(flatten(reader.outline))
    assert bookmarks[0] == (0, "The Soviet Union under Stalin (1924–1935)")
    h = plan(next(l for l in load_pack(REPO).lessons if l.id == "soviet-union-1924-1935"), "teacher")
    assert [title for depth, title in bookmarks if depth == 1] == [plain(s.heading) for s in h.sections
                                                                   if s.level == 2]
    for part in ("Content warning", "Learning objectives", "Teacher notes"):  # inside the overview
        assert (2, part) in bookmarks
    assert "/CreationDate" not in meta and "/ModDate" not in meta  # reproducible: no timestamp


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils) is not installed")
def test_fonts_are_embedded_and_subset(unit):
    out = unit
    listing = subprocess.run(["pdffonts", str(pdf(out, "soviet-union-1924-1935", "student"))],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert listing
    for row in listing:
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", name), row


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path):
    first = build(REPO / "lessons" / "soviet-union-1924-1935.yaml", out_dir=tmp_path / "a", formats=["pdf"])
    second = build(REPO / "lessons" / "soviet-union-1924-1935.yaml", out_dir=tmp_path / "b", formats=["pdf"])
    for a, b in zip(first.written, second.written, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = build(REPO / "lessons" / "soviet-union-1924-1935.yaml", out_dir=tmp_path, formats=["pdf"],
                   editions=["student"])
    meta = PdfReader(result.written[0]).metadata
    assert meta["/CreationDate"].startswith("D:20231114")


@pytest.mark.parametrize("style,paper,size", [("classic", "a4", (595, 842)), ("large-print", "letter", (612, 792)),
                                              ("large-print", "a4", (595, 842))])
def test_both_styles_and_papers(unit, tmp_path, style, paper, size):
    out = unit
    build(REPO / "lessons" / "soviet-union-1924-1935.yaml", out_dir=tmp_path, formats=["pdf"], editions=["student"],
          style=style, paper=paper)
    written = pdf(tmp_path, "soviet-union-1924-1935", "student")
    student = PdfReader(written)
    box = student.pages[0].mediabox
    assert (round(box.width), round(box.height)) == size
    if style == "large-print":
        # 16 pt type takes far more room (pages left blank on purpose for two-sided copies not counted)
        assert printed_pages(written) >= printed_pages(pdf(out, "soviet-union-1924-1935", "student")) * 1.5
    assert text_of(written).startswith("Name Date Class The Soviet Union under Stalin")


def positioned_words(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run on a page, y growing upwards as in PDF."""
    items: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            items.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return items


def test_layout_points_beside_questions_and_key_header_in_its_row(unit, pack):
    """Where things sit, not only that they are there: a regression test for positioned layout."""
    out = unit
    reader = PdfReader(pdf(out, "soviet-union-1924-1935", "teacher"))
    handout = plan(next(l for l in pack.lessons if l.id == "soviet-union-1924-1935"), "teacher")
    checked = 0
    for page in reader.pages:
        words = positioned_words(page)
        for q in handout.worksheet.questions:
            numbers = [(x, y) for text, x, y in words if text == f"{q.number}."]
            points = [(x, y) for text, x, y in words if text == q.points_label]
            for nx, ny in numbers:
                beside = [(px, py) for px, py in points if abs(py - ny) < 4]
                if beside:
                    assert beside[0][0] > nx + 300  # at the right margin, on the question's first line
                    checked += 1
        headers = {text: (x, y) for text, x, y in words if text in ("Answer key", "Question", "Points")}
        if len(headers) == 3:
            assert abs(headers["Points"][1] - headers["Question"][1]) < 1  # one header row
            assert headers["Points"][1] < headers["Answer key"][1]  # below the heading
            assert headers["Points"][0] > headers["Question"][0]
            checked += 1
    assert checked == len(handout.worksheet.questions) + 1


def test_extreme_but_valid_lessons_stay_inside_the_page(tmp_path):
    """Unbreakable words, 26 matching pairs, 8 long choices, an 80-line essay: nothing runs off the page."""
    import yaml

    pairs = [{"left": f"term {i}", "right": f"meaning number {i}, long enough to wrap in its column"} for i in range(26)]
    lesson = {
        "title": "Extremes " + "Supercalifragilistic" * 3,
        "reading": {"text": "A very long word: " + "x" * 200 + "\n\nA link https://example.com/" + "a/" * 60},
        "worksheet": {"items": [
            {"type": "matching", "pairs": pairs},
            {"type": "multiple_choice", "prompt": "Eight?", "choices": [f"choice {i} " + "word " * 12 for i in range(8)],
             "answer": "choice 3 " + "word " * 12},
            {"type": "essay", "prompt": "A long essay", "lines": 80},
            {"type": "fill_in_blank", "text": "A [[" + "y" * 60 + "]] blank."}]}}
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "extreme.yaml").write_text(yaml.safe_dump(lesson), encoding="utf-8")
    result = build(tmp_path, formats=["pdf"])
    for path in result.written:
        reader = PdfReader(path)
        assert len(reader.pages) <= 10
        for page in reader.pages:
            width = float(page.mediabox.width)
            for text, x, _ in positioned_words(page):
                assert 0 <= x < width - 30, (path.name, text[:30], x)
                # A line of 11 pt text holds about 90 "x": a longer run would have left the page.
                assert "x" * 100 not in text, (path.name, text[:30])
