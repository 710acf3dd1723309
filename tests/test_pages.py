"""Pages that hold on any lesson: the rules of tests/invariants.py asserted on every page of real builds.

- The reported cases, each a test read from the PDFs: a "ladder" of lessons that differ only in how many short
  questions come before a tall source, so that the source, a multiple-choice question, a matching item, a poem
  and the last question meet the page's foot at every height; a wide results table; a lesson a little over a
  page.
- The example corpus (four subjects beside the sample unit) and lessons generated with hypothesis in every size
  (tests/shapes.py), built in both styles and papers, both editions, three versions and the fillable PDF.

The builds are heavy: ``make test-heavy`` runs them (marker ``slow``), as CI does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import invariants as inv
from conftest import REPO, shared_once
from shapes import LONG_WORD, Shape, shapes, write_pack

from lessonpack.building.builder import build
from lessonpack.load.pack import load_pack

pytestmark = pytest.mark.slow

LADDER = [Shape(reading=3, lead=lead, source=6, stem=3, choices=4, long_choices=True, pairs=8, poem=20, columns=5,
                essay="fill", points=12) for lead in range(0, 8)]
"""Lessons alike but for the number of short questions (0 to 7) before the tall source: each rung moves the
source, the multiple-choice question after it, the matching item, the poem and the essay down the page a little."""


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [re.sub(r"\s+", " ", page.extract_text() or "") for page in doc.pages]


def pages_with(texts: list[str], needle: str) -> list[int]:
    return [n for n, text in enumerate(texts, 1) if needle in text]


@pytest.fixture(scope="module")
def ladder(tmp_path_factory) -> dict[str, Path]:
    """The ladder built in large print on letter paper and in classic on A4: every PDF of every rung."""
    def make(folder: Path) -> None:
        write_pack(folder / "pack", *LADDER)
        for style, paper in (("large-print", "letter"), ("classic", "a4")):
            result = build(folder / "pack", out_dir=folder / f"{style}-{paper}", formats=["pdf", "pdf-form"],
                           style=style, paper=paper, versions=3, duplex=True, with_pack=False)
            assert result.ok, result.failed

    folder = shared_once(tmp_path_factory, "ladder", make)
    return {combo: folder / combo for combo in ("large-print-letter", "classic-a4")}


def ladder_pdfs(ladder: dict[str, Path], pattern: str = "*.pdf") -> list[Path]:
    return sorted(pdf for out in ladder.values() for pdf in out.glob(f"*/{pattern}"))


def test_a_multiple_choice_question_after_a_tall_source_keeps_its_choices_on_its_page(ladder):
    """Reported: stem and choice A on one page, B to D on the next, after a tall source (student edition,
    versions and the fillable PDF)."""
    stem = "Which of these is true?"
    for pdf in ladder_pdfs(ladder):
        texts = page_texts(pdf)
        (page,) = pages_with(texts, stem)
        for k in range(1, 5):  # (the teacher edition's key gives the answer again)
            assert pages_with(texts, f"Choice {k}:")[:1 if "teacher" in pdf.name else None] == [page], (pdf.name, k)


def test_the_fillable_pdf_has_one_group_of_round_buttons_per_question(ladder):
    """Reported: a split question became two radio groups with one name, so a student could tick A and B."""
    for form in ladder_pdfs(ladder, "*-student-form.pdf"):
        assert inv.one_field_group_per_question(form) == []
        fields = PdfReader(form).get_fields()
        radios = [f for f in fields.values() if f.get("/FT") == "/Btn" and "/_States_" in f]
        assert radios and all(len([s for s in f["/_States_"] if s != "/Off"]) == 4 for f in radios
                              if any(str(s).strip("/") in "ABCD" for s in f["/_States_"]))


def test_a_matching_item_is_never_split(ladder):
    """Reported: large print printed terms 1 to 3 with meanings A to C on one page and the rest on the next, while
    the next page had room for all of it. A matching item stays whole; only one that opens the worksheet and is
    too tall to share a page with the worksheet's heading (and its name and score line) opens under the heading
    and goes on, its prompt with its first rows, rather than leave the heading alone on the page handed in."""
    opening = 0
    for pdf in ladder_pdfs(ladder):
        texts = page_texts(pdf)
        pages = sorted({page for k in range(1, 9) for page in pages_with(texts, f"Instrument {k}")})
        if len(pages) > 1:
            first = texts[pages[0] - 1]
            assert "Weather Station Questions" in first and "1. Match each instrument" in first, (pdf.name, pages)
            assert "Instrument 1" in first and "Instrument 2" in first and len(pages) == 2, (pdf.name, pages)
            opening += 1
    assert opening <= 2  # a version or two that drew it first, in large print


def test_a_poem_is_never_split_when_it_fits_a_page(ladder):
    """Reported: a poem, a source documented as never split, ran its last two lines onto the next page."""
    for pdf in ladder_pdfs(ladder):
        texts = page_texts(pdf)
        pages = {page for k in range(1, 21) for page in pages_with(texts, f"line {k} of the log")}
        assert len(pages) == 1, (pdf.name, sorted(pages))


def test_the_page_handed_in_asks_for_the_name_and_holds_the_first_question(ladder):
    """Reported: the page handed in held only the worksheet heading and the name and score line. It asks for the
    name and holds the start of the worksheet: its first question, or the source printed before it."""
    for pdf in ladder_pdfs(ladder, "*-student-?.pdf"):
        texts = page_texts(pdf)
        (page,) = pages_with(texts, "Weather Station Questions")
        assert "Name" in texts[page - 1], (pdf.name, page)
        assert re.search(r"\b1\. ", texts[page - 1]) or "Source A" in texts[page - 1], (pdf.name, page)


def test_the_worksheet_starts_a_right_hand_page_copied_two_sided(ladder):
    """Reported: the sheet handed in began on the back of a reading page."""
    for pdf in ladder_pdfs(ladder, "*-student-?.pdf"):
        assert inv.worksheet_on_a_right_hand_page(pdf, "Weather Station Questions") == []


def test_versions_of_a_lesson_print_the_same_number_of_pages(ladder):
    """Reported: versions of one lesson had 7 and 8 pages, so mixed piles needed different sheet counts."""
    for out in ladder.values():
        for folder in out.iterdir():
            if folder.is_dir():
                assert inv.versions_print_alike(sorted(folder.glob("*-student-?.pdf"))) == []


def test_the_last_question_is_never_split_over_its_last_page(ladder):
    """Reported: a last question split as 4 lines at a page foot plus a final page a third used."""
    for pdf in ladder_pdfs(ladder, "*-student-?.pdf"):
        texts = [t for t in page_texts(pdf) if t.replace(" ", "") != inv.BLANK_NOTICE]
        essay = pages_with(texts, "How useful is a school weather station?")
        assert essay and essay[-1] == len(texts), pdf.name  # the essay's prompt is on the last page it prints on


def test_nothing_is_printed_outside_the_frame_and_rules_survive_a_copier(ladder):
    """Reported: a wide results table ran off the page; writing lines 0.6 pt in #8a8a8a vanished on a copier."""
    for out in ladder.values():
        style, paper = ("large-print", "letter") if out.name.startswith("large") else ("classic", "a4")
        frame = _frame(style, paper)
        for pdf in sorted(out.glob("*/*.pdf")):
            assert inv.words_inside_the_frame(pdf, frame) == []
            assert inv.rules_survive_a_copier(pdf) == []


def _frame(style: str, paper: str) -> inv.Frame:
    from lessonpack.building.jobs import resolve
    from lessonpack.styles.geometry import Geometry

    settings = resolve(load_pack(REPO), style=style, paper=paper)
    return inv.Frame.of(Geometry.of(settings.style.tokens, paper))


RESULTS = """title: Rates of Reaction
subject: Chemistry
language: en
reading:
  title: Measuring a rate
  text: |
    We timed how long a marble chip took to give off gas in acid, five times at each temperature.
sources:
  - title: Results
    table:
      header: ["Temperature (degrees Celsius)", "Trial 1 (bubbles/min)", "Trial 2 (bubbles/min)",
               "Trial 3 (bubbles/min)", "Trial 4 (bubbles/min)", "Mean (bubbles/min)"]
      rows:
        - ["20", "12.5", "13.0", "12.0", "12.5", "12.5"]
        - ["30", "24.5", "25.0", "26.5", "24.0", "25.0"]
        - ["40", "49.0", "51.5", "50.0", "49.5", "50.0"]
    citation: Made up for this lesson.
worksheet:
  title: Questions
  items:
    - type: short_answer
      source: A
      prompt: What happens to the mean as the temperature rises?
      lines: 3
      answer: It about doubles for every ten degrees.
"""


@pytest.mark.parametrize("style", ["classic", "large-print"])
def test_a_wide_results_table_wraps_its_headings_inside_the_frame_on_a4(tmp_path, style):
    """Reported: a 6-column results table ended 4.6 mm from the A4 edge in classic; large print cut two columns
    off; the header cells did not wrap."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "rates.yaml").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "lessonpack.yaml").write_text("title: Chemistry\n", encoding="utf-8")
    result = build(tmp_path, out_dir=tmp_path / "out", formats=["pdf"], editions=["student"], style=style,
                   paper="a4", with_pack=False)
    assert result.ok, result.failed
    pdf = tmp_path / "out" / "rates" / "rates-student.pdf"
    assert inv.words_inside_the_frame(pdf, _frame(style, "a4")) == []
    text = " ".join(page_texts(pdf))
    for figure in ("12.5", "26.5", "51.5", "50.0"):
        assert figure in text  # every column printed
    with pdfplumber.open(pdf) as doc:
        words = [w for page in doc.pages for w in page.extract_words()]
    trial = next(w for w in words if w["text"] == "Trial")
    under = [w for w in words if w["text"].startswith("(bubbles/") and w["x0"] < trial["x1"] and w["x1"] > trial["x0"]]
    assert under and under[0]["top"] > trial["bottom"] - 1  # the heading wrapped: its unit under "Trial 1"


def test_a_table_too_wide_even_at_its_least_is_a_check_error_naming_it(tmp_path, run):
    """A table wider than its frame even with every cell wrapped at its longest word is an error at its place,
    and nothing is built."""
    write_pack(tmp_path, Shape(columns=3, long_word=True), Shape(columns=7))
    lesson = tmp_path / "lessons" / "weather-01.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Day 2 reading", LONG_WORD * 2 + " Day 2"),
                      encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert re.search(r"weather-01\.yaml:\d+:\d+: error: Source C's table is \d+ mm wider than the page's text frame",
                     result.output)
    assert "weather-02.yaml" not in result.output.split("error")[0]


@pytest.mark.parametrize("pack,style,paper", [("main", "classic", "letter"), ("science", "large-print", "a4"),
                                              ("literature", "large-print", "letter"), ("mathematics", "classic", "a4"),
                                              ("geography", "large-print", "a4"), ("literature", "classic", "letter")])
def test_the_example_corpus_keeps_every_rule_on_every_page(tmp_path, pack, style, paper):
    """The sample unit and the lessons of four other subjects, every edition, three versions and the fillable
    PDF: every rule of tests/invariants.py on every page. Each pack in one style and paper (both styles and both
    papers across the corpus; the ladder above and the generated lessons below take the others)."""
    root = REPO if pack == "main" else REPO / "examples" / pack
    assert inv.pack_problems(root, tmp_path / "out", style=style, paper=paper) == []


@settings(max_examples=3, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(drawn=st.lists(shapes(), min_size=2, max_size=3), combo=st.sampled_from([("classic", "a4"),
                                                                                ("large-print", "letter")]))
@example(drawn=[Shape(reading=1, lead=0, source=1, stem=1, choices=2, pairs=3, poem=4, columns=2, essay="4",
                      points=1)], combo=("classic", "letter"))  # a lesson a little over a page
@example(drawn=[Shape(reading=8, lead=8, source=12, stem=8, choices=8, long_choices=True, pairs=10, poem=48,
                      columns=7, essay="30", points=20)], combo=("large-print", "a4"))  # every size at its largest
def test_generated_lessons_of_every_size_keep_every_rule_on_every_page(tmp_path_factory, drawn, combo):
    """Lessons nobody on the team wrote: hypothesis draws their sizes (tests/shapes.py)."""
    folder = tmp_path_factory.mktemp("shapes")
    write_pack(folder / "pack", *drawn)
    style, paper = combo
    assert inv.pack_problems(folder / "pack", folder / "out", style=style, paper=paper) == []


TALL_PICTURE = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="420" viewBox="0 0 300 420">'
                '<rect x="10" y="10" width="280" height="400" fill="none" stroke="#000" stroke-width="4"/>'
                '<circle cx="150" cy="210" r="100" fill="#888"/></svg>')


def test_a_picture_in_the_reading_that_does_not_fit_leaves_no_third_of_a_page_blank(tmp_path):
    """Reported: a picture in the reading too tall for the room left on its page started the next page and left
    a third of a page blank. The text after it runs into that room instead, in the PDF and the Word document
    alike (the handout model decides the order)."""
    from shapes import _text

    (tmp_path / "lessons" / "images").mkdir(parents=True)
    (tmp_path / "lessons" / "images" / "tall.svg").write_text(TALL_PICTURE, encoding="utf-8")
    for k in range(1, 7):  # the picture after paragraph k: it meets the page's foot at every height
        paragraphs = [_text(5, n) for n in range(9)]
        paragraphs.insert(k, "![A tall frame with a grey circle in it.](images/tall.svg)")
        body = "\n\n".join("    " + p for p in paragraphs)
        (tmp_path / "lessons" / f"figure-{k}.yaml").write_text(
            f"title: Figure {k}\nlanguage: en\nreading:\n  title: Reading\n  text: |\n{body}\n", encoding="utf-8")
    (tmp_path / "lessonpack.yaml").write_text("title: Pictures\n", encoding="utf-8")
    result = build(tmp_path, out_dir=tmp_path / "out", formats=["pdf", "docx"], editions=["student"],
                   with_pack=False)
    assert result.ok, result.failed
    from lessonpack.building.jobs import resolve
    from lessonpack.styles.geometry import Geometry

    geometry = Geometry.of(resolve(load_pack(tmp_path)).style.tokens, "letter")
    foot = geometry.page_height - geometry.bottom
    limit = 0.2 * (geometry.page_height - geometry.top - geometry.bottom) + 14  # the model's share, and a line
    moved = 0
    for k in range(1, 7):
        pdf = tmp_path / "out" / f"figure-{k}" / f"figure-{k}-student.pdf"
        boxes = inv.figure_boxes(pdf)
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages):
                if n == 0 or not boxes.get(n):
                    continue
                top = min(box[1] for box in boxes[n])
                above = [w for w in page.extract_words() if w["bottom"] < top and w["top"] > geometry.top]
                if above:  # the picture is not at the top of its page
                    continue
                before = doc.pages[n - 1].extract_words()
                last = max(w["bottom"] for w in before if w["bottom"] < foot)
                assert foot - last < limit, (k, n, foot - last)
        # Word prints the same order as the PDF: the model decided it.
        from docx import Document

        from shapes import SENTENCES

        document = Document(tmp_path / "out" / f"figure-{k}" / f"figure-{k}-student.docx")
        drawn = ["F" if p._p.xpath(".//pic:pic") else "P" for p in document.paragraphs
                 if p._p.xpath(".//pic:pic") or any(sentence in p.text for sentence in SENTENCES)]
        assert drawn.count("F") == 1 and drawn.count("P") == 9
        moved += drawn.index("F") > k
    assert moved  # on some rung the text ran on before the picture
