"""Primary sources and pictures, as a teacher prints them and an editor opens them: each picture at the size
the handout model gave it and never beyond its pixels, its alt text in the PDF's structure tree and the
Word drawing's description, SVGs embedded with a PNG fallback, another language tagged, sources lettered
and cited, "Use Source B." in both formats, and each source just before the first question that uses it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from conftest import REPO, libreoffice_to_pdf
from readback import Docx, pdf_text, words

from lessonpack import load_pack
from lessonpack.building.builder import build
from lessonpack.handout import PlanContext, plan
from lessonpack.text.richtext import plain
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style
FLAGSHIP = "soviet-union-1924-1935"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
DESCRIBED = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"

LESSON = """title: Sources and pictures
language: en
reading:
  text: |
    The first paragraph is about the kulaks and the plans.

    ![A wide chart drawn as SVG with only a viewBox](images/wide.svg "A caption under the reading's chart")

    The second paragraph comes after the picture.
sources:
  - title: A speech
    text: |
      "We must make good this distance in ten years."
    citation: J. V. Stalin, speech to industrial managers, Moscow, 4 February 1931.
    notes: Often quoted; it argues for speed at any cost.
  - title: A photograph
    image: images/photo.png
    alt: A dark red circle inside a black frame
    caption: A photograph with a caption
    citation: Made for this test, 2026.
  - title: A big scan
    image: images/scan.jpg
    alt: A grey scan larger than the page
    citation: Scanned for this test.
  - title: A small stamp
    image: images/stamp.gif
    alt: A small blue stamp
    citation: Drawn for this test.
  - title: A modern format
    image: images/poster.webp
    alt: A green poster
    citation: Drawn for this test.
  - title: A sized drawing
    image: images/sized.svg
    alt: A black square drawn at two inches
    citation: Drawn for this test.
  - title: Tonnage
    table:
      header: [Power, Tons]
      rows: [[United States, "525,000"], [Japan, "315,000"]]
    caption: Limits on capital ships, in tons
    citation: Washington Naval Treaty, 1922, Article IV.
  - title: Ein Zitat
    lang: de
    text: Wir sind fünfzig bis hundert Jahre hinter den fortgeschrittenen Ländern zurückgeblieben.
    citation: J. W. Stalin, 1931, in German.
  - title: Never asked about
    text: A source no question uses.
    citation: Nowhere.
worksheet:
  items:
    - {type: short_answer, source: A, prompt: "What does the speaker want?", answer: Speed., lines: 2}
    - {type: multiple_choice, source: G, prompt: "Which power had the smaller limit?", choices: [United States, Japan], answer: Japan}
    - {type: true_false, source: B, prompt: The circle is red., answer: true}
    - {type: true_false, source: C, prompt: The scan is grey., answer: true}
    - {type: true_false, source: D, prompt: The stamp is blue., answer: true}
    - {type: true_false, source: E, prompt: The poster is green., answer: true}
    - {type: true_false, source: F, prompt: The square is black., answer: true}
    - {type: true_false, source: H, prompt: The quotation is in German., answer: true}
    - type: source_analysis
      source: A
      parts:
        - {part: origin, answer: Stalin in 1931.}
        - {part: value, points: 2, lines: 2, label: Usefulness, prompt: "How useful is it?"}
"""

CLASSIC = Geometry.of(load_style("classic", REPO).tokens, "letter")
ROOM = CLASSIC.text_width - 20  # inside a source's frame (a 10 pt inset each side)
HALF_PAGE = (CLASSIC.page_height - CLASSIC.top - CLASSIC.bottom) / 2

# name: (pixels, the size it prints at in points: within the source's frame, half a page, never upscaled)
RASTERS = {"photo.png": ((600, 400), (450.0, 300.0)), "scan.jpg": ((2400, 1200), (ROOM, ROOM / 2)),
           "stamp.gif": ((100, 80), (75.0, 60.0)), "poster.webp": ((300, 500), (HALF_PAGE * 0.6, HALF_PAGE))}


def _pictures(folder: Path) -> None:
    images = folder / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (600, 400), (200, 200, 190)).save(images / "photo.png")
    Image.new("L", (2400, 1200), 128).save(images / "scan.jpg", quality=60)
    Image.new("P", (100, 80), 3).save(images / "stamp.gif")
    Image.new("RGB", (300, 500), (20, 160, 40)).save(images / "poster.webp")
    (images / "wide.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 200">'
                                     '<rect width="800" height="200" fill="#444"/></svg>', encoding="utf-8")
    (images / "sized.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="2in" '
                                      'viewBox="0 0 10 10"><rect width="10" height="10"/></svg>', encoding="utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A pack with one lesson holding every kind of source and picture, built to PDF and DOCX."""
    root = tmp_path_factory.mktemp("sources")
    (root / "lessons").mkdir()
    (root / "lessons" / "sources.yaml").write_text(LESSON, encoding="utf-8")
    _pictures(root / "lessons")
    result = build(root, out_dir=root / "dist", formats=["pdf", "docx"])
    assert result.ok, result.failed
    pack = load_pack(root)
    return root, pack.lessons[0]


def _out(root: Path, edition: str, fmt: str) -> Path:
    return root / "dist" / "sources" / f"sources-{edition}.{fmt}"


def _struct(path: Path) -> list[DictionaryObject]:
    """Every element of a tagged PDF's structure tree."""
    out: list[DictionaryObject] = []

    def visit(obj) -> None:
        obj = obj.get_object()
        if isinstance(obj, ArrayObject):
            for child in obj:
                visit(child)
        elif isinstance(obj, DictionaryObject) and obj.get("/Type") != "/MCR" and "/S" in obj:
            out.append(obj)
            if "/K" in obj:
                visit(obj["/K"])

    visit(PdfReader(path).trailer["/Root"]["/StructTreeRoot"]["/K"])
    return out


# -- the handout model ----------------------------------------------------------------------------


def test_the_model_sizes_every_picture_for_its_room(made):
    root, lesson = made
    h = plan(lesson, "student", PlanContext(None, CLASSIC))
    by_alt = {q.sources[0].picture.alt: q.sources[0].picture for q in h.worksheet.questions
              if q.sources and q.sources[0].picture}
    sizes = {alt: (p.width, p.height) for alt, p in by_alt.items()}
    assert sizes["A dark red circle inside a black frame"] == (450.0, 300.0)  # 96 pixels to the inch
    assert sizes["A small blue stamp"] == (75.0, 60.0)  # never enlarged beyond its pixels
    assert sizes["A grey scan larger than the page"] == pytest.approx((ROOM, ROOM / 2), abs=0.1)  # the frame's width
    assert sizes["A green poster"] == pytest.approx((HALF_PAGE * 0.6, HALF_PAGE), abs=0.1)  # half the page at most
    assert sizes["A black square drawn at two inches"] == (144.0, 144.0)  # an SVG's own size
    reading_chart = h.reading.paragraphs[1][1]
    assert reading_chart.kind == "picture"
    assert (reading_chart.width, reading_chart.height) == pytest.approx((CLASSIC.text_width, CLASSIC.text_width / 4),
                                                                       abs=0.1)  # a viewBox only: the column's width
    assert [n for n, _ in h.reading.paragraphs] == [1, 0, 2]  # pictures are not numbered paragraphs


def test_each_source_prints_before_the_first_question_that_uses_it(made):
    root, lesson = made
    h = plan(lesson, "teacher")
    placed = {q.number: [s.label for s in q.sources] for q in h.worksheet.questions if q.sources}
    assert placed == {1: ["Source A"], 2: ["Source G"], 3: ["Source B"], 4: ["Source C"], 5: ["Source D"],
                      6: ["Source E"], 7: ["Source F"], 8: ["Source H"]}  # A once, though question 9 uses it too
    assert [s.label for s in h.sources] == ["Source I"]  # no question uses it: after the reading
    kinds = [s.kind for s in h.sections]
    assert kinds.index("reading") + 1 == kinds.index("sources")
    assert [q.use_source for q in h.worksheet.questions] == [f"Use Source {x}." for x in "AGBCDEFHA"]
    analysis = h.worksheet.questions[-1]
    assert analysis.points == 3 and [p.label for p in analysis.parts] == ["a)", "b)"]
    assert [p.name for p in analysis.parts] == ["Origin:", "Usefulness:"]
    assert plain(analysis.parts[0].prompt) == "Who made this source, when, and where?"
    assert h.answer_key.rows[-1].answer == "a) Stalin in 1931. b) Answers will vary."
    assert h.answer_key.rows[-1].points == "3"


# -- the PDF --------------------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_pdf_pictures_are_drawn_at_their_size_with_their_pixels(made, edition):
    root, _ = made
    with pdfplumber.open(_out(root, edition, "pdf")) as pdf:
        placed = [(tuple(int(v) for v in im["srcsize"]), (im["x1"] - im["x0"], im["bottom"] - im["top"]))
                  for page in pdf.pages for im in page.images]
    for pixels, (width, height) in RASTERS.values():
        match = [size for px, size in placed if px == pixels]
        assert match, (pixels, placed)
        assert match[0] == pytest.approx((width, height), abs=0.6), pixels


def test_pdf_figures_carry_their_alt_text_and_another_language_is_tagged(made):
    root, lesson = made
    elements = _struct(_out(root, "student", "pdf"))
    alts = {str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"}
    expected = {src.alt for src in lesson.lesson.sources if src.image}
    expected.add("A wide chart drawn as SVG with only a viewBox")
    assert alts == expected
    assert any(str(e.get("/Lang", "")) == "de" for e in elements)
    assert str(PdfReader(_out(root, "student", "pdf")).trailer["/Root"]["/Lang"]) == "en"


GERMAN_OVER_A_PAGE = """title: Zwei Quellen
language: en
sources:
  - title: Ein langer Bericht
    lang: de
    text: |
{paragraphs}
    citation: Für diesen Test geschrieben, 2026.
  - title: An English letter
    text: |
      A short letter in the lesson's own language.
    citation: Written for this test, 2026.
worksheet:
  items:
    - {{type: short_answer, prompt: "What does Source A report?", source: A}}
    - {{type: short_answer, prompt: "What does Source B say?", source: B}}
"""


def test_a_source_in_another_language_keeps_its_language_on_every_page_it_reaches(tmp_path):
    """A German source the page cuts is tagged German on both pages (the next page's part continues it), and the
    English source after it is not: each structure element says the language of its own text."""
    paragraphs = "\n".join(f"      Absatz {i}: Die Arbeiter der Fabrik berichten über die Pläne, die Normen und "
                           f"die langen Schichten im Winter.\n" for i in range(45))
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "zwei.yaml").write_text(GERMAN_OVER_A_PAGE.format(paragraphs=paragraphs))
    result = build(tmp_path, out_dir=tmp_path / "out", formats=["pdf"], editions=["student"], with_pack=False)
    assert result.ok, result.failed
    path = tmp_path / "out" / "zwei" / "zwei-student.pdf"
    quotes = [e for e in _struct(path) if e["/S"] == "/BlockQuote"]
    pages = {q.raw_get("/Pg").idnum for q in quotes if str(q.get("/Lang", "")) == "de"}
    assert len(pages) >= 2, "the German source reaches a second page, tagged German there too"
    assert [str(q.get("/Lang", "")) for q in quotes][-1] == "en"  # the English source after it
    assert not any(str(e.get("/Alt", "")).startswith("lessonpack:") for e in _struct(path))
    text = pdf_text(path)
    assert "Absatz 44" in text and "lessonpack" not in text


def test_pdf_prints_letters_titles_citations_and_use_source(made):
    root, _ = made
    student = re.sub(r"\s+", " ", pdf_text(_out(root, "student", "pdf")))
    teacher = re.sub(r"\s+", " ", pdf_text(_out(root, "teacher", "pdf")))
    for needle in ("Source A A speech", "J. V. Stalin, speech to industrial managers, Moscow, 4 February 1931.",
                   "Source G Tonnage", "1. Use Source A. What does the speaker want?",
                   "2. Use Source G. Which power had the smaller limit?", "Sources Source I Never asked about",
                   "9. Use Source A. 3 points a) Origin: Who made this source, when, and where?"):
        assert needle in student, needle
    assert student.index("Sources Source I") < student.index("Source A A speech")
    assert "Often quoted" not in student and "For the teacher Often quoted; it argues for speed at any cost." in teacher
    assert "a) Stalin in 1931. b) Answers will vary." in teacher


@pytest.mark.slow  # a whole-build sweep: make test-heavy
def test_pdf_keeps_each_source_on_the_page_of_its_question(sample_builds):
    pack = load_pack(REPO)
    for lesson in pack.lessons:
        for edition in ("student", "teacher"):
            path = sample_builds["classic"] / lesson.id / f"{lesson.id}-{edition}.pdf"
            with pdfplumber.open(path) as pdf:
                texts = [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]
            h = plan(lesson, edition)
            for q in h.worksheet.questions:
                for src in q.sources:
                    label = next(n for n, t in enumerate(texts) if f"{src.label} {plain(src.title)}" in t)
                    asked = next(n for n, t in enumerate(texts) if f"{q.label} {q.use_source}" in t)
                    assert label == asked, (lesson.id, edition, src.label, label + 1, asked + 1)


def test_a_tall_sources_notes_may_go_over_the_page_but_the_source_never_splits(sample_builds):
    """Large print, teacher edition: a source with its notes and the start of its question needs nearly a
    page; kept together they would leave the page before nearly empty. The source stays whole on one page;
    its notes go on with the question. In classic type everything stays together (the test above)."""
    large = load_style("large-print")
    lesson = next(x for x in load_pack(REPO).lessons if x.id == FLAGSHIP)
    h = plan(lesson, "teacher", PlanContext(None, Geometry.of(large.tokens, "letter")))
    placed = [(q, s) for q in h.worksheet.questions for s in q.sources]
    assert placed and all(s.notes_may_break for _, s in placed)
    assert not any(s.notes_may_break for q in plan(lesson, "teacher").worksheet.questions for s in q.sources)
    assert not any(s.notes_may_break for q in plan(lesson, "student", PlanContext(
        None, Geometry.of(large.tokens, "letter"))).worksheet.questions for s in q.sources)  # no notes there
    path = sample_builds["large-print"] / FLAGSHIP / f"{FLAGSHIP}-teacher.pdf"
    with pdfplumber.open(path) as pdf:
        texts = [re.sub(r"\s+", " ", page.extract_text() or "") for page in pdf.pages]
    for q, src in placed:
        head = next(n for n, t in enumerate(texts) if f"{src.label} {plain(src.title)}" in t)
        cited = next(n for n, t in enumerate(texts) if " ".join(plain(src.citation).split()[:6]) in t)
        asked = next(n for n, t in enumerate(texts) if f"{q.label} {q.use_source}" in t)
        noted = next(n for n, t in enumerate(texts) if " ".join(plain(src.notes[0].spans).split()[:6]) in t)
        # The notes run on from the source's page (rather than leave the rest of it empty) to the question's.
        assert head == cited and head <= noted <= asked and asked - head <= 1, (src.label, head, cited, noted, asked)
    # In Word the source is the first row of its frame, its notes the second: the citation (the first row's last
    # paragraph) does not keep with the notes in large print, and does in classic type.
    d = Docx((sample_builds["large-print"] / FLAGSHIP / f"{FLAGSHIP}-teacher.docx").read_bytes())
    citations = [Paragraph(p.el, None) for p in d.paras if p.style == "LP Citation"]
    assert citations and all(p.paragraph_format.keep_with_next is not True for p in citations)
    d = Docx((sample_builds["classic"] / FLAGSHIP / f"{FLAGSHIP}-teacher.docx").read_bytes())
    citations = [Paragraph(p.el, None) for p in d.paras if p.style == "LP Citation"]
    assert citations and all(p.paragraph_format.keep_with_next is True for p in citations)


# -- the Word document ----------------------------------------------------------------------------


def _drawings(d: Docx) -> list:
    return list(d.doc.element.body.iter(qn("w:drawing")))


@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_docx_pictures_are_inline_with_their_description_and_size(made, edition):
    root, lesson = made
    d = Docx(_out(root, edition, "docx").read_bytes())
    h = plan(lesson, edition, PlanContext(None, CLASSIC))
    pictures = [h.reading.paragraphs[1][1]] + [s.picture for q in h.worksheet.questions for s in q.sources
                                                if s.picture]
    drawings = _drawings(d)
    assert len(drawings) == len(pictures) == 6
    for drawing, picture in zip(drawings, pictures):
        described = next(drawing.iter(DESCRIBED))
        assert described.get("descr") == picture.alt
        extent = next(drawing.iter(qn("wp:extent")))
        assert int(extent.get("cx")) / 12700 == pytest.approx(picture.width, abs=0.05)
        assert int(extent.get("cy")) / 12700 == pytest.approx(picture.height, abs=0.05)


def test_docx_embeds_svg_with_a_png_fallback_and_webp_as_png(made):
    root, _ = made
    data = _out(root, "student", "docx").read_bytes()
    d = Docx(data)
    part = d.doc.part
    svgs, fallbacks = [], []
    for blip in d.doc.element.body.iter(qn("a:blip")):
        fallback = part.related_parts[blip.get(qn("r:embed"))]
        svg = next(blip.iter(SVG_BLIP), None)
        if svg is not None:
            svgs.append(part.related_parts[svg.get(qn("r:embed"))])
            fallbacks.append(fallback)
    assert len(svgs) == 2
    assert {p.content_type for p in svgs} == {"image/svg+xml"}
    assert {p.blob for p in svgs} == {(root / "lessons/images/wide.svg").read_bytes(),
                                      (root / "lessons/images/sized.svg").read_bytes()}
    for png in fallbacks:
        assert png.content_type == "image/png"
        with Image.open(io.BytesIO(png.blob)) as image:
            assert image.width >= 400  # drawn at 200 dpi for print
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert not [n for n in media if n.endswith(".webp")]  # Word cannot show WebP: stored as PNG
        types = archive.read("[Content_Types].xml").decode()
        assert "image/svg+xml" in types


def test_docx_sources_are_framed_named_styles_and_switch_language(made):
    root, _ = made
    d = Docx(_out(root, "teacher", "docx").read_bytes())
    styles = {p.style for p in d.paras}
    assert {"LP Source Title", "LP Source", "LP Citation", "LP Caption", "LP Picture Caption", "LP Picture",
            "LP Source Picture", "LP Source Note", "LP Part", "LP Table Number"} <= styles
    # One frame: every paragraph of a source (its table too) inside one table in LP Source Frame, a single cell
    # (and the notes' row), which Word and LibreOffice draw with one rule all round and keep whole.
    frame_id = next(sid for sid, name in d.names.items() if name == "LP Source Frame")
    frames = [t for t in d.doc.element.body.iter(qn("w:tbl"))
              if t.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}").get(qn("w:val")) == frame_id]
    framed = [p for p in d.paras if p.style.startswith(("LP Source", "LP Caption", "LP Citation", "LP Table Number"))
              and p.style != "LP Source Space"]
    assert all(any(a in frames for a in p.el.iterancestors()) for p in framed)
    assert all(len(t.findall(qn("w:tr"))) <= 2 and len(t.find(qn("w:tr")).findall(qn("w:tc"))) == 1 for t in frames)
    assert len(frames) == len([p for p in framed if p.style == "LP Source Title"]) == 9
    rules = d.doc.styles["LP Source Frame"].element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert all(rules.find(qn(f"w:{side}")) is not None for side in ("top", "left", "bottom", "right"))
    title = next(p for p in d.paras if p.style == "LP Source Title")
    assert title.runs[0] == ("LP Source Label", "\u00a0Source I\u00a0")  # the unused source, after the reading
    german = [r for r in d.doc.element.body.iter(qn("w:r")) if "fünfzig" in "".join(r.itertext())]
    assert german and all(r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "de" for r in german)
    numbers = [p.text for p in d.paras if p.style == "LP Table Number"]
    assert numbers == ["Tons", "525,000", "315,000"]  # figures set flush right, under their header
    text = re.sub(r"\s+", " ", d.body_text())
    assert "1. Use Source A. What does the speaker want?" in text
    assert "a) Origin: Who made this source, when, and where?" in text


def test_docx_in_libreoffice_shows_every_picture(made, tmp_path):
    root, _ = made
    source = tmp_path / "sources-student.docx"
    shutil.copyfile(_out(root, "student", "docx"), source)
    (converted,) = libreoffice_to_pdf([source], tmp_path)
    listing = subprocess.run(["pdfimages", "-list", str(converted)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    shapes = [int(cols[3]) / int(cols[4]) for cols in (line.split() for line in listing) if cols[2] == "image"]
    for (width, height), _ in RASTERS.values():  # LibreOffice may resample a large picture: its shape stays
        assert any(abs(shape - width / height) < 0.01 for shape in shapes), ((width, height), shapes)
    assert len(listing) >= 6  # the four rasters and the two SVGs' fallbacks


# -- the sample unit ------------------------------------------------------------------------------


def test_every_sample_lesson_has_a_text_source_and_a_picture_or_table_with_questions():
    pack = load_pack(REPO)
    for lesson in pack.lessons:
        sources = lesson.lesson.sources
        assert any(s.text for s in sources), lesson.id
        assert any(s.image or s.table for s in sources), lesson.id
        assert all(s.citation and (s.alt if s.image else True) for s in sources), lesson.id
        kinds = {item.type for item in lesson.lesson.worksheet.items}
        assert "source_analysis" in kinds, lesson.id
        named = {item.source for item in lesson.lesson.worksheet.items if item.source}
        assert named == {s.id or chr(65 + i) for i, s in enumerate(sources)}, lesson.id  # every source is used


def test_sample_sources_appear_in_both_formats(sample_builds):
    pack = load_pack(REPO)
    for lesson in pack.lessons:
        h = plan(lesson, "student")
        pdf = " ".join(words(pdf_text(sample_builds["classic"] / lesson.id / f"{lesson.id}-student.pdf")))
        docx = " ".join(words(Docx((sample_builds["classic"] / lesson.id / f"{lesson.id}-student.docx")
                                   .read_bytes()).body_text()))
        for q in h.worksheet.questions:
            for src in q.sources:
                for text in (src.label, plain(src.citation), q.use_source):
                    wanted = " ".join(words(text))
                    assert wanted in pdf and wanted in docx, (lesson.id, text)
