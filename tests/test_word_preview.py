"""Word documents keep what the PDF keeps, and the preview shows the PDF's pages.

- A question drawn as a table (matching, ordering, choices side by side) that the handout model keeps whole stays
  on one page with its prompt when Word (here LibreOffice) lays the document out, wherever it falls.
- A source's frame holds its title, its table, its caption and citation: one rule round all of it, on one page.
- A table's columns are at least as wide as each cell's longest word in the face and size it is set in, the
  header's included, and Word sets the table in that size: no word is broken in the middle ("temperat/ure").
- The preview (`lessonpack preview`) shows the pages the PDF prints, running header and footer included, in a real
  browser, and still follows every save, under its policy.

The Word documents are converted with LibreOffice (tests/conftest.py) and read back with pdftotext and
pdfplumber; the preview is driven in Chromium as tests/test_preview.py does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, libreoffice_to_pdf
from test_preview import FLAGSHIP, PACK_SETTINGS, Process, browser  # noqa: F401 - browser: the Chromium fixture

from lessonpack import load_pack
from lessonpack.handout import PlanContext, plan
from lessonpack.handout.tables import CELL_PADDING, SPARE_EM, Faces, columns
from lessonpack.load.model import LessonFile
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml
from lessonpack.render.docx import render_docx
from lessonpack.styles.fonts import text_em
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style
from lessonpack.text.richtext import Span, plain

CLASSIC = load_style("classic")
LETTER = Geometry.of(CLASSIC.tokens, "letter")


def lesson_of(text: str, name: str) -> LessonFile:
    doc = parse_yaml(text.encode("utf-8"), SourceMap(name))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, problems
    return LessonFile(name, Path(name), lesson)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, with runs of white space made one space."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f")][:-1]


def pages_with(pages: list[str], text: str) -> list[int]:
    return [n for n, page in enumerate(pages, 1) if text in page]


# -- the cases, laid out by LibreOffice in one run -------------------------------------------------------------

WRITE = "    - {{type: short_answer, prompt: Write about the League of Nations and its work., lines: {lines}}}\n"
TREATIES = [f"Treaty number {i} of the interwar years" for i in range(1, 8)]
EVENTS = [f"Event number {i} came in the long years of the peace" for i in range(1, 8)]
CHOICES = [f"Choice {letter}" for letter in "PQRSTU"]
TABLE_ITEMS = """\
    - type: matching
      prompt: Match each treaty with what it settled.
      pairs:
""" + "".join(f"        - {{left: {t}, right: It settled question {i} of the peace between the powers}}\n"
              for i, t in enumerate(TREATIES, 1)) + """\
    - type: ordering
      prompt: Put these events in order.
      events: [""" + ", ".join(EVENTS) + """]
    - type: multiple_choice
      prompt: "Which choice is the right one?"
      choices: [""" + ", ".join(CHOICES) + """]
      answer: Choice P
"""
PROMPTS = {"matching": ("Match each treaty with what it settled.", TREATIES),
           "ordering": ("Put these events in order.", EVENTS),
           "multiple_choice": ("Which choice is the right one?", CHOICES)}
TABLE_LINES = range(2, 30, 3)
"""Writing lines before the tables: each variant moves them further down the page, over its foot."""

SOURCE_LESSON = """\
title: A Table Source Near The Foot
sources:
  - title: Tonnage of capital ships allowed in 1922
    table:
      header: [Power, Capital ships (tons), Ratio]
      rows:
""" + "".join(f'        - ["Power number {i}", "{i * 105},000", "{i}"]\n' for i in range(1, 8)) + """\
    caption: The ratio compares each navy with the smallest.
    citation: Figures rounded from the treaty's text, written for this test.
worksheet:
  items:
{write}\
    - {{type: short_answer, prompt: "Which power was allowed the most?", source: A, lines: 2}}
"""
SOURCE_LINES = range(2, 30, 3)


def _cases() -> dict[str, tuple]:
    """name → (handout, what to look for): the Word documents the LibreOffice tests read."""
    cases = {}
    for lines in TABLE_LINES:
        text = "title: Tables Near The Foot\nworksheet:\n  items:\n" + WRITE.format(lines=lines) + TABLE_ITEMS
        h = plan(lesson_of(text, f"tables-{lines}"), "student", PlanContext(None, LETTER))
        cases[f"tables-{lines:02d}"] = (h, "tables")
    for lines in SOURCE_LINES:
        h = plan(lesson_of(SOURCE_LESSON.format(write=WRITE.format(lines=lines)), f"source-{lines}"), "student",
                 PlanContext(None, LETTER))
        cases[f"source-{lines:02d}"] = (h, "source")
    return cases


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """Each case's Word document as LibreOffice lays it out: name → (handout, kind, PDF); and the example
    geography lesson in large print (its wide climate table), student edition: "climate" → (handout, kind, PDF)."""
    folder = tmp_path_factory.mktemp("word-layout")
    cases = _cases()
    files = {}
    for name, (h, kind) in cases.items():
        files[name] = folder / f"{name}.docx"
        files[name].write_bytes(render_docx(h, CLASSIC, "letter"))
    large = load_style("large-print")
    climate = next(x for x in load_pack(REPO / "examples" / "geography").lessons if x.id == "climate-zones")
    h = plan(climate, "student", PlanContext(None, Geometry.of(large.tokens, "letter")))
    cases["climate"] = (h, "climate")
    files["climate"] = folder / "climate.docx"
    files["climate"].write_bytes(render_docx(h, large, "letter"))
    pdfs = libreoffice_to_pdf(list(files.values()), folder)
    return {name: (*cases[name], pdf) for name, pdf in zip(files, pdfs)}


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_question_drawn_as_a_table_stays_whole_with_its_prompt_near_a_page_foot(laid_out):
    pushed = set()
    for name, (h, kind, pdf) in sorted(laid_out.items()):
        if kind != "tables":
            continue
        pages = page_texts(pdf)
        first = pages_with(pages, "Write about the League of Nations")
        for q in h.worksheet.questions[1:]:
            assert q.keep_whole, (name, q.kind)  # the model keeps each whole: Word must too
            prompt, rows = PROMPTS[q.kind]
            where = {n for row in rows for n in pages_with(pages, row)}
            asked = pages_with(pages, prompt)
            assert len(where) == 1 and asked == sorted(where), (name, q.kind, asked, where)
            if asked[0] > first[0]:
                pushed.add(q.kind)
    # The variants put each of them at a page's foot at least once, where it went whole to the next page.
    assert pushed == set(PROMPTS), pushed


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_table_sources_frame_holds_title_table_caption_and_citation_on_one_page(laid_out):
    import pdfplumber

    moved = 0
    for name, (h, kind, pdf) in sorted(laid_out.items()):
        if kind != "source":
            continue
        src = h.worksheet.questions[1].sources[0]
        assert src.table is not None and src.table.keep_whole
        pages = page_texts(pdf)
        title = pages_with(pages, f"{src.label} {plain(src.title)}")
        parts = [plain(src.caption), plain(src.citation)] + [plain(row[0].text) for row in src.table.rows]
        where = {n for part in parts for n in pages_with(pages, part)}
        assert len(title) == 1 and where == set(title), (name, title, where)
        if title[0] > pages_with(pages, "Write about the League of Nations")[0]:
            moved += 1
        # One frame: a rule on each side runs from above the title to below the citation, the table between.
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[title[0] - 1]
            words = page.extract_words()
            top = next(w for w in words if w["text"] == plain(src.title).split()[0])["top"]
            bottom = max(w["bottom"] for w in words if w["text"] == "test.")  # the citation's last word
            sides = [e for e in page.edges if e["orientation"] == "v" and e["top"] <= top and e["bottom"] >= bottom]
        assert len({round(e["x0"]) for e in sides}) >= 2, (name, [(round(e["x0"]), round(e["top"]),
                                                                   round(e["bottom"])) for e in page.edges
                                                                  if e["orientation"] == "v"][:12])
    assert moved >= 1  # one variant put the source at a page's foot, and it went whole to the next page


@pytest.mark.slow
@pytest.mark.libreoffice
def test_no_word_of_a_table_is_broken_in_the_middle_in_word(laid_out):
    import pdfplumber

    h, _, pdf = laid_out["climate"]
    src = next(s for q in h.worksheet.questions for s in q.sources if s.table)
    assert src.table.scale < 1  # the model set this wide table smaller to fit: Word must set it in that size
    pages = page_texts(pdf)
    (at,) = pages_with(pages, f"{src.label} {plain(src.title)}")
    with pdfplumber.open(pdf) as doc:
        printed = {w["text"] for w in doc.pages[at - 1].extract_words()}
    cells = [plain(c.text) for row in src.table.header for c in row] + [
        plain(c.text) + c.fraction for row in src.table.rows for c in row]
    wanted = {word for cell in cells for word in re.split(r"(?<=[-/])|\s+", cell) if word}
    assert wanted - printed == set(), sorted(wanted - printed)


# -- the model: a column holds its longest word in the face it is set in -----------------------------------------


def test_a_columns_least_width_is_its_longest_word_in_its_own_face_header_included():
    faces = Faces(tuple(CLASSIC.tokens.fonts.body), tuple(CLASSIC.tokens.fonts.heading))
    wide = "WWWWMMMM"  # eight of the widest letters: far wider than eight average characters
    header = tuple((Span(text),) for text in (wide, "Another heading", "Third", "Fourth column"))
    rows = [tuple((Span(text),) for text in ("a", "b c d e f g h i j k l m n o p", "x", "words that wrap here"))]
    size = 10.0
    fitted = columns(header, rows, (False,) * 4, 250, size, faces)
    bold = text_em(list(CLASSIC.tokens.fonts.heading), wide, bold=True)
    assert bold is not None and bold > len(wide) * 0.6  # wider than the estimate per character
    assert fitted.widths[0] >= (bold + SPARE_EM) * size * fitted.scale + CELL_PADDING - 0.1
    # A figure is measured whole, in the body's face.
    figures = columns(((Span("N"),), (Span("Text"),)), [((Span("1,000,000,000"),), (Span("x " * 40),))],
                      (True, False), 300, size, faces)
    body = text_em(list(CLASSIC.tokens.fonts.body), "1,000,000,000")
    assert figures.widths[0] >= (body + SPARE_EM) * size + CELL_PADDING - 0.1
    # A face lessonpack does not bundle is estimated per character, as before.
    assert Faces(("Some Other Face",), ("Some Other Face",)).em("abcd", header=True) == pytest.approx(4 * 0.6)


# -- the preview: the PDF's pages ------------------------------------------------------------------------------


def _preview_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    shutil.copyfile(REPO / "lessons" / f"{FLAGSHIP}.yaml", pack / "lessons" / f"{FLAGSHIP}.yaml")
    shutil.copytree(REPO / "lessons" / "images", pack / "lessons" / "images")
    (pack / "lessonpack.yaml").write_text(PACK_SETTINGS, encoding="utf-8")
    return pack


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.browser
def test_the_preview_shows_the_pages_the_pdf_prints(tmp_path, browser):  # noqa: F811 - browser: a fixture
    import io
    import urllib.request

    import pypdfium2
    from PIL import Image, ImageChops
    from pypdf import PdfReader

    from lessonpack.render.raster import SCALE

    pack = _preview_pack(tmp_path)
    h = plan(next(x for x in load_pack(pack).lessons if x.id == FLAGSHIP), "student")
    worksheet = plain(h.section("worksheet").heading)
    first_question = " ".join(plain(h.worksheet.questions[0].prompt).split()[:4])
    server = Process(["preview", "--port", "0"], pack)
    try:
        url = server.wait_for(r"previewing 1 lesson at (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)").group(1)
        page = browser.new_page()
        response = page.goto(f"{url}lesson/{FLAGSHIP}/student", timeout=60_000)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and re.search(r"script-src 'nonce-[\w-]+';", policy)
        page.wait_for_selector(".lp-page img")
        with urllib.request.urlopen(f"{url}lesson/{FLAGSHIP}/student.pdf", timeout=120) as answer:
            pdf = answer.read()
        count = len(PdfReader(io.BytesIO(pdf)).pages)
        sheets = page.locator(".lp-page")
        texts = [_words(t) for t in page.locator(".lp-text").all_text_contents()]
        assert sheets.count() == len(texts) == count >= 5
        document = pypdfium2.PdfDocument(pdf)
        for n, text in enumerate(texts, 1):
            # Every sheet is the PDF's page: its running header and footer (none on the page left blank before the
            # worksheet, which starts a right-hand page for two-sided copies), at the page's size…
            if text != _words(h.labels["intentionally_blank"]):
                assert text.endswith(f"Lessonpack Sample School · The Interwar Years (1919–1938) The Soviet Union under "
                                     f"Stalin (1924–1935) Page {n} of {count}"), (n, text[-120:])
            box = sheets.nth(n - 1).bounding_box()
            assert (round(box["width"]), round(box["height"])) == (816, 1056)
            img = sheets.nth(n - 1).locator("img")
            assert img.evaluate("img => img.naturalWidth") > 0
            # …drawn from the PDF itself: the picture is that page of the PDF, pixel for pixel.
            with urllib.request.urlopen(url + img.get_attribute("src").lstrip("/"), timeout=30) as answer:
                shown = Image.open(io.BytesIO(answer.read())).convert("RGB")
            printed = document[n - 1].render(scale=SCALE).to_pil().convert("RGB")
            assert shown.size == printed.size and ImageChops.difference(shown, printed).getbbox() is None, n
        # The worksheet's heading and score box share their page with the first question, as in the PDF.
        (at,) = [n for n, t in enumerate(texts) if worksheet in t]
        assert "Score" in texts[at] and first_question in texts[at], texts[at][:300]
        assert texts[at - 1] == _words(h.labels["intentionally_blank"])  # the blank page before it is shown too
        assert page.locator("script").count() == 1 and page.locator("script:not([nonce])").count() == 0

        # A save: the open page shows the new pages, reloaded by itself.
        page.evaluate("window.notReloaded = true")
        lesson = pack / "lessons" / f"{FLAGSHIP}.yaml"
        lesson.write_text(lesson.read_text(encoding="utf-8").replace(
            "title: The Soviet Union under Stalin (1924–1935)", "title: Stalin and the Soviet Union", 1),
            encoding="utf-8")
        page.wait_for_selector(".lp-text:has-text('Stalin and the Soviet Union')", state="attached", timeout=60_000)
        assert page.evaluate("window.notReloaded") is None
        assert _words(page.locator(".lp-text").last.text_content()).endswith(
            f"Stalin and the Soviet Union Page {count} of {count}")  # the running footer follows the title
        assert server.interrupt() == 0
    finally:
        server.kill()


@pytest.mark.slow
def test_the_preview_serves_the_pages_it_drew_and_nothing_else(tmp_path, monkeypatch, capfd):
    import threading
    import urllib.error
    import urllib.request

    from lessonpack import limits
    from lessonpack.apps.preview import server as preview_server

    monkeypatch.setattr(limits, "PREVIEW_PAGES", 2)  # the render processes fork with it
    pack = _preview_pack(tmp_path)
    state = preview_server.State(pack, None, None)
    server = preview_server.make_server(state, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    def get(path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(url + path, timeout=120) as answer:
                return answer.status, answer.headers["Content-Type"], answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read()

    try:
        assert get(f"lesson/{FLAGSHIP}/student/page-1.png")[0] == 404  # not drawn yet: nothing to serve
        status, kind, body = get(f"lesson/{FLAGSHIP}/student")
        html = body.decode("utf-8")
        assert status == 200 and kind == "text/html; charset=utf-8"
        shown = re.findall(r'<img src="(/lesson/[^"]+)" alt="Page (\d+) of (\d+)"', html)
        assert [n for _, n, _ in shown] == ["1", "2"] and int(shown[0][2]) >= 5
        assert f"The preview shows the first 2 of its {shown[0][2]} pages" in html
        assert f'<a href="/lesson/{FLAGSHIP}/student.pdf">PDF</a> has them all' in html
        status, kind, png = get(shown[0][0].lstrip("/"))
        assert (status, kind, png[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")
        for path in ("page-3.png", "page-0.png", "page-" + "9" * 5000 + ".png", "page-1.png/../x", "page-1.jpg"):
            assert get(f"lesson/{FLAGSHIP}/student/{path}")[:2] == (404, "text/plain; charset=utf-8"), path
        assert get(f"lesson/{FLAGSHIP}/teacher/page-1.png")[0] == 404  # the teacher edition was not drawn
    finally:
        server.stopping = True
        state.bump()
        server.shutdown()
        server.server_close()
    assert capfd.readouterr().err == ""
