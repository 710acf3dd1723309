"""The PDF and the DOCX of a handout are twins: the same words in the same order, the same running text,
metadata and answer key, and (through LibreOffice) the same number of pages give or take one.

The PDF is read through its tag tree (logical reading order, running text excluded); the DOCX through
python-docx with Word's list numbers. Any divergence fails with the first differing words.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from readback import Docx, pdf_metadata, pdf_running, pdf_tables, pdf_text, words

from lessonpack.handout import PlanContext, plan
from lessonpack.load.model import LessonFile
from lessonpack.render.docx import render_docx
from lessonpack.render.pdf import render_pdf
from lessonpack.load.samples import sample_lesson
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml

LESSONS = ["reconciliation-and-disarmament-1921-1930", "eastern-europe-1919-1938", "soviet-union-1924-1935"]
CASES = [(lesson, edition, style) for lesson in LESSONS for edition in ("student", "teacher")
         for style in ("classic", "large-print")]


def assert_same_words(pdf_words: list[str], docx_words: list[str], where: str) -> None:
    if pdf_words == docx_words:
        return
    matcher = difflib.SequenceMatcher(a=pdf_words, b=docx_words, autojunk=False)
    op, a1, a2, b1, b2 = next(o for o in matcher.get_opcodes() if o[0] != "equal")
    raise AssertionError(f"{where}: the PDF and the DOCX differ at word {a1}: "
                         f"PDF «… {' '.join(pdf_words[max(0, a1 - 6):a2 + 6])} …» vs "
                         f"DOCX «… {' '.join(docx_words[max(0, b1 - 6):b2 + 6])} …»")


POINTER = ["answer", "key", "is", "on", "page"]


def body_words(text: str) -> list[str]:
    """The words of a body, with the page number the teacher overview points to left out: the PDF prints
    the real page, the DOCX a field that Word or LibreOffice computes when the document is laid out."""
    out = words(text)
    for i in range(len(out) - len(POINTER)):
        if out[i:i + len(POINTER)] == POINTER and out[i + len(POINTER)].isdigit():
            out[i + len(POINTER)] = "N"
    return out


def _normalized_running(running: dict[str, str]) -> dict[str, str]:
    # Page numbers differ by nature (the DOCX fields hold 1 until a word processor computes them) and
    # the PDF sets the edition in small capitals: compare the words, numbers aside.
    return {k: " ".join(w for w in words(v) if not w.isdigit()) for k, v in running.items()}


@pytest.mark.parametrize("lesson,edition,style", CASES)
def test_sample_unit_pdf_and_docx_are_twins(sample_builds, lesson, edition, style):
    base = sample_builds[style] / lesson / f"{lesson}-{edition}"
    pdf, docx_file = base.with_suffix(".pdf"), base.with_suffix(".docx")
    d = Docx(docx_file.read_bytes())
    where = f"{lesson} {edition} {style}"
    assert_same_words(body_words(pdf_text(pdf)), body_words(d.body_text()), where)
    assert _normalized_running(pdf_running(pdf)) == _normalized_running(d.running())
    assert pdf_running(pdf)["top-left"] == d.running()["top-left"] == "Lessonpack Sample School · The Interwar " \
                                                                       "Years (1919–1938)"
    assert pdf_metadata(pdf) == d.metadata()
    if edition == "teacher":  # the answer key, row by row and cell by cell
        assert pdf_tables(pdf)[-1] == d.tables()[-1]


def _lesson(text: str, name: str) -> LessonFile:
    doc = parse_yaml(text.encode("utf-8"), SourceMap(name))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, problems
    return LessonFile(name, Path(name), lesson)


FULL = sample_lesson("full")
GENERATED = {
    "every item type": FULL,
    "nothing but a title": sample_lesson("bare"),
    "a reading without a worksheet": _lesson(
        "title: Reading Only\nreading:\n  text: |\n    The League met in Geneva.\n\n    > It had no army.\n"
        "key_terms:\n  - {term: League, definition: the League of Nations}\nteacher_notes: Ten minutes.\n",
        "reading-only"),
    "a worksheet without a reading": _lesson(
        "title: Worksheet Only\nlanguage: es\nworksheet:\n  items:\n"
        "    - {type: true_false, prompt: Locarno came in 1925., answer: true, points: 1}\n"
        "    - {type: ordering, events: [First, Second, Third]}\n", "worksheet-only"),
}


@pytest.mark.slow  # a PDF and a Word document of every generated lesson: make test-heavy
@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_generated_lessons_are_twins(name, edition, tmp_path):
    lesson = GENERATED[name]
    for style_name, header in (("classic", "Hill School · A Unit"), ("large-print", None)):
        if style_name == "large-print" and name != "every item type":
            continue  # one large-print case is enough here; the sample unit covers the rest
        style = load_style(style_name)
        handout = plan(lesson, edition, PlanContext(header, Geometry.of(style.tokens, "letter")))
        pdf = tmp_path / f"{style_name}.pdf"
        pdf.write_bytes(render_pdf(handout, style, "letter", pack_root=tmp_path))
        d = Docx(render_docx(handout, style, "letter"))
        assert_same_words(body_words(pdf_text(pdf)), body_words(d.body_text()), f"{name} {edition} {style_name}")
        assert _normalized_running(pdf_running(pdf)) == _normalized_running(d.running())
        assert pdf_metadata(pdf) == d.metadata()
        if handout.answer_key:
            assert pdf_tables(pdf)[-1] == d.tables()[-1]


def test_the_word_comparison_sees_a_difference(tmp_path):
    """The parity check is not vacuous: one changed word is reported with where it is."""
    with pytest.raises(AssertionError, match=r"differ at word 2: PDF «… a b c d e …» vs DOCX «… a b x d e …»"):
        assert_same_words(["a", "b", "c", "d", "e"], ["a", "b", "x", "d", "e"], "example")


# -- pages, through LibreOffice ------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.parametrize("lesson,edition,style", CASES)
def test_docx_in_libreoffice_has_the_pdfs_pages_give_or_take_one(sample_builds, libreoffice_samples, lesson,
                                                                  edition, style):
    converted = libreoffice_samples[(lesson, edition, style)]
    assert converted.is_file(), f"LibreOffice did not convert {converted.name}"
    ours = len(PdfReader(sample_builds[style] / lesson / f"{lesson}-{edition}.pdf").pages)
    theirs = PdfReader(converted)
    assert abs(len(theirs.pages) - ours) <= 1, (lesson, edition, style, ours, len(theirs.pages))
    # The page fields are computed there: the last page says "Page N of N".
    last = len(theirs.pages)
    assert f"Page {last} of {last}" in re.sub(r"\s+", " ", theirs.pages[-1].extract_text() or "")


@pytest.mark.parametrize("edition,version", [("student", "B"), ("teacher", "A")])
def test_versions_are_twins(edition, version, tmp_path):
    """A version of the student edition (its order, its letter in the header, by the name line and the score
    box) and the teacher edition of a build with versions (a key per version, the grid of every version's
    answers) print the same words, running text, metadata and tables in both formats."""
    style = load_style("classic")
    handout = plan(FULL, edition, PlanContext("Hill School · A Unit", Geometry.of(style.tokens, "letter"),
                                              version=version, versions=3))
    pdf = tmp_path / "version.pdf"
    pdf.write_bytes(render_pdf(handout, style, "letter", pack_root=tmp_path))
    d = Docx(render_docx(handout, style, "letter"))
    assert_same_words(body_words(pdf_text(pdf)), body_words(d.body_text()), f"{edition} {version}")
    assert _normalized_running(pdf_running(pdf)) == _normalized_running(d.running())
    assert pdf_metadata(pdf) == d.metadata()
    if edition == "teacher":
        assert len(handout.version_keys) == 3 and len(handout.key_grids) == 1
        assert pdf_tables(pdf)[-4:] == d.tables()[-4:]  # three keys and the grid
        assert [row[0] for row in pdf_tables(pdf)[-1]] == ["#"] + [str(n) for n in range(1, len(FULL.lesson.worksheet.items) + 1)]
    else:
        assert pdf_running(pdf)["top-right"].casefold() == "version b"  # set in small capitals
        assert body_words(pdf_text(pdf))[:5] == ["name", "date", "class", "version", "b"]  # words() folds case
