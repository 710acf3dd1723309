"""Characters a Word run's font lacks (✔, ☐, ★, arrows) are set in the bundled symbols font, which the document
carries inside it: read back from the Word documents lessonpack writes and from Word's own XML."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont

from lessonpack.load.pack import load_pack
from lessonpack.handout import PlanContext, plan
from lessonpack.render.docx import render_docx
from lessonpack.render.docx.fonts import obfuscate
from lessonpack.render.docx.symbols import set_symbols
from lessonpack.render.docx.symbols import SYMBOLS_NAME
from lessonpack.styles.fonts import SYMBOLS
from lessonpack.styles.loader import load_style

from conftest import REPO

CHECK = "\u2714"


def _runs(paragraph) -> list[tuple[str, str | None]]:
    """(text, the font the run names itself) of each run."""
    out = []
    for run in paragraph._p.iter(qn("w:r")):
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        out.append(("".join(t.text or "" for t in run.iter(qn("w:t"))),
                    None if fonts is None else fonts.get(qn("w:ascii"))))
    return out


def _document(font: str) -> Document:
    document = Document()
    document.styles["Normal"].font.name = font
    return document


def test_a_run_is_split_where_its_font_lacks_a_character():
    document = _document("Source Serif Pro")
    paragraph = document.add_paragraph()
    run = paragraph.add_run("Paris \u2714 and \u2605 Lyon\tend")
    run.bold = True
    used = set_symbols(document)
    assert used == "".join(sorted(CHECK + "\u2605"))
    assert _runs(paragraph) == [("Paris ", None), (CHECK, SYMBOLS_NAME), (" and ", None), ("\u2605", SYMBOLS_NAME),
                                (" Lyonend", None)]  # (the tab between is no text)
    runs = paragraph._p.findall(qn("w:r"))
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for r in runs)  # every piece keeps the bold
    assert runs[-1].find(qn("w:tab")) is not None  # the tab stays with the text it follows
    assert paragraph.text == "Paris \u2714 and \u2605 Lyon\tend"  # the same text, in the same order


def test_characters_the_font_has_stay_in_it_and_nothing_changes_without_symbols():
    document = _document("Source Serif Pro")
    paragraph = document.add_paragraph("Fran\u00e7ais \u2013 \u00abdire\u00bb \u00e9t\u00e9")
    before = paragraph._p.xml
    assert set_symbols(document) == ""
    assert paragraph._p.xml == before


def test_a_style_the_run_follows_decides_its_font():
    """The run's own font, else its character style's, else its paragraph style's (through basedOn)."""
    document = _document("Source Serif Pro")
    heading = document.styles["Heading 1"]
    heading.font.name = "Source Sans Pro"
    paragraph = document.add_paragraph("\u2605 Star", style="Heading 1")
    set_symbols(document)
    assert _runs(paragraph) == [("\u2605", SYMBOLS_NAME), (" Star", None)]


def test_a_font_lessonpack_has_no_file_of_gets_the_pictographic_symbols_only():
    document = _document("A Font Nobody Has")
    paragraph = document.add_paragraph("\u0394 x \u2714 \u2610 \u2460")
    set_symbols(document)
    assert _runs(paragraph) == [("\u0394 x ", None), ("\u2714", SYMBOLS_NAME), (" ", None), ("\u2610", SYMBOLS_NAME),
                                (" ", None), ("\u2460", SYMBOLS_NAME)]


def test_the_teacher_editions_check_marks_are_in_the_symbols_font_which_travels_in_part():
    lesson = next(x for x in load_pack(REPO).lessons if x.id == "soviet-union-1924-1935")
    data = render_docx(plan(lesson, "teacher", PlanContext()), load_style("classic"), "letter")
    parts = zipfile.ZipFile(io.BytesIO(data))
    body = parts.read("word/document.xml").decode()
    marks = re.findall(r"<w:r>(?:(?!</w:r>).)*" + CHECK + r"(?:(?!</w:r>).)*</w:r>", body)
    assert marks and all(f'w:ascii="{SYMBOLS_NAME}"' in m for m in marks), marks[:2]
    entry = re.search(rf'<w:font w:name="{SYMBOLS_NAME}">(.*?)</w:font>', parts.read("word/fontTable.xml").decode())
    rid, key = re.search(r'<w:embedRegular r:id="(rId\d+)" w:fontKey="(\{[0-9A-F-]{36}\})" w:subsetted="1"/>',
                         entry.group(1)).groups()
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', parts.read("word/_rels/fontTable.xml.rels").decode())
    font = TTFont(io.BytesIO(obfuscate(parts.read("word/" + target.group(1)), key)))
    assert ord(CHECK) in font.getBestCmap()
    assert font["name"].getDebugName(1) == SYMBOLS_NAME  # the name Word finds it by: its own, not DejaVu Sans
    assert font["maxp"].numGlyphs < 20  # only what the document uses, not DejaVu's thousands
    student = render_docx(plan(lesson, "student", PlanContext()), load_style("classic"), "letter")
    assert f'w:name="{SYMBOLS_NAME}"' not in zipfile.ZipFile(io.BytesIO(student)).read("word/fontTable.xml").decode()


def test_a_style_that_sets_text_in_the_symbols_family_carries_it_whole(tmp_path):
    """A style that names DejaVu Sans for text (its headings here) carries it whole, under its own name; the
    symbols subset travels beside it under a name of its own, so neither stands in for the other."""
    folder = tmp_path / "styles" / "plain"
    folder.mkdir(parents=True)
    (folder / "style.yaml").write_text("extends: classic\nfonts:\n  heading: [DejaVu Sans]\n", encoding="utf-8")
    lesson = next(x for x in load_pack(REPO).lessons if x.id == "soviet-union-1924-1935")
    data = render_docx(plan(lesson, "teacher", PlanContext()), load_style("plain", tmp_path), "letter")
    parts = zipfile.ZipFile(io.BytesIO(data))
    table = parts.read("word/fontTable.xml").decode()
    rels = parts.read("word/_rels/fontTable.xml.rels").decode()

    def embedded(name: str) -> tuple[str, TTFont]:
        entry = re.search(rf'<w:font w:name="{name}">(.*?)</w:font>', table).group(1)
        rid, key = re.search(r'<w:embedRegular r:id="(rId\d+)" w:fontKey="(\{[0-9A-F-]{36}\})"', entry).groups()
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels)
        return entry, TTFont(io.BytesIO(obfuscate(parts.read("word/" + target.group(1)), key)))

    entry, whole = embedded(SYMBOLS)
    assert "w:subsetted" not in entry and {ord(c) for c in "Soviet Union"} <= set(whole.getBestCmap())
    entry, part = embedded(SYMBOLS_NAME)
    assert 'w:subsetted="1"' in entry and set(part.getBestCmap()) == {ord(CHECK)}
