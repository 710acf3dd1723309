"""A reference.docx's own header and footer reach the Word documents as they were made (fonts, tabs, tables, the
logo, page fields), after everything a pack could use to reach outside is taken out of them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import UNIT_LESSON
from hostile.packs import copy_style, write

from lessonpack.render.docx.reference_import import LOGO_RELATIONSHIP, word_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (f'xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def _drawing(rid: str, link: str = "") -> str:
    linked = f' r:link="{link}"' if link else ""
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="900000" cy="450000"/><wp:docPr id="7" name="Logo"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:blipFill><a:blip r:embed="{rid}"{linked}/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
            '</wp:inline></w:drawing></w:r>')


HOSTILE = (
    f'<w:hdr {NS}>'
    '<w:p><w:pPr><w:pStyle w:val="Header"/><w:tabs><w:tab w:val="right" w:pos="9000"/></w:tabs></w:pPr>'
    '<w:r><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:sz w:val="28"/></w:rPr><w:t>Riverside</w:t></w:r>'
    '<w:r><w:tab/><w:t xml:space="preserve">Page </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT '
    '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    # A field that fetches a picture from an address when fields are updated, and one that runs a DDE link.
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDEPICTURE "http://example.invalid/x.png" '
    '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>fetched</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc&quot; "><w:r><w:t>dde</w:t>'
    '</w:r></w:fldSimple>'
    '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple>'
    '<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> linked words</w:t></w:r></w:hyperlink>'
    '<w:bookmarkStart w:id="0" w:name="lpf_t"/><w:bookmarkEnd w:id="0"/>'
    '<w:sdt><w:sdtPr><w:dataBinding w:xpath="/x" w:storeItemID="{1}"/></w:sdtPr><w:sdtContent><w:r>'
    '<w:t xml:space="preserve"> control</w:t></w:r></w:sdtContent></w:sdt>'
    '<w:r><w:object><v:shape id="s"><v:imagedata r:id="rId7"/></v:shape><o:OLEObject r:id="rId8"/></w:object></w:r>'
    '<w:r><w:pict><v:shape><v:fill r:id="rId7"/></v:shape></w:pict></w:r>'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>shape</w:t></w:r></mc:Choice></mc:AlternateContent>'
    f'{_drawing("rId1")}{_drawing("rId2")}{_drawing("rId1", link="rId9")}'
    '</w:p>'
    '<w:tbl><w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc><w:p><w:r>'
    '<w:t>12 Orchard Road</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Leeds</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    '</w:hdr>')


def test_a_reference_header_keeps_its_look_and_loses_what_could_reach_outside():
    images = {"rId1": "word/media/logo.png", "rId2": "word/media/other.png", "rId9": "http://example.invalid"}
    kept = word_part(etree.fromstring(HOSTILE.encode()), "word/media/logo.png", images).decode()
    root = etree.fromstring(kept.encode())
    text = "".join(t.text or "" for t in root.iter(f"{{{W}}}t"))
    # The look: fonts, sizes, tabs, the table; the page fields, cut to their names.
    assert 'w:ascii="Georgia"' in kept and '<w:sz w:val="28"/>' in kept and '<w:tab w:val="right"' in kept
    assert "<w:tbl>" in kept and "12 Orchard Road" in text and "Leeds" in text
    assert [t.text.strip() for t in root.iter(f"{{{W}}}instrText")] == ["PAGE"]
    assert [f.get(f"{{{W}}}instr") for f in root.iter(f"{{{W}}}fldSimple")] == ["NUMPAGES"]
    assert "Riverside" in text and " linked words" in text and " control" in text  # their words stay
    # What could reach outside, run something or collide with the handout's own marks: gone.
    for gone in ("INCLUDEPICTURE", "DDEAUTO", "fetched", "dde", "example.invalid", "w:hyperlink", "w:object",
                 "w:pict", "OLEObject", "AlternateContent", "shape", "bookmarkStart", "lpf_t", "w:sdtPr",
                 "dataBinding", "r:link", "r:id="):
        assert gone not in kept, gone
    # One picture: the logo's, named for the drawer to relate; the other picture's drawing is gone.
    assert [b.get(f"{{{R}}}embed") for b in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
            ] == [LOGO_RELATIONSHIP, LOGO_RELATIONSHIP]
    assert len(list(root.iter(f"{{{W}}}drawing"))) == 2


def test_a_field_left_open_and_a_field_inside_another_are_dropped_whole():
    xml = (f'<w:ftr {NS}><w:p>'
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>inner result</w:t></w:r>'
           '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>after</w:t></w:r>'
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
           '<w:r><w:t>never closed</w:t></w:r></w:p></w:ftr>')
    kept = word_part(etree.fromstring(xml.encode()), None, {}).decode()
    assert "after" in kept
    assert "fldChar" not in kept and "instrText" not in kept and "inner result" not in kept
    assert "never closed" not in kept


def test_a_run_holding_the_end_of_one_field_and_all_of_another_loses_the_other():
    """Fields are judged element by element: a page field's end and a whole INCLUDEPICTURE in one run."""
    xml = (f'<w:hdr {NS} xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:x="urn:x">'
           '<w:p w14:paraId="1A2B3C4D" x:evil="1"><w:r><w:fldChar w:fldCharType="begin"/>'
           '<w:instrText xml:space="preserve"> PAGE </w:instrText><w:fldChar w:fldCharType="separate"/><w:t>1</w:t>'
           '<w:fldChar w:fldCharType="end"/><w:fldChar w:fldCharType="begin"/>'
           '<w:instrText> INCLUDEPICTURE "http://attacker.example/t.png" \\d </w:instrText>'
           '<w:fldChar w:fldCharType="separate"/><w:t>fetched</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
           '<w:r><w:t xml:space="preserve"> after</w:t></w:r></w:p>'
           '<w:tbl><w:tr><w:tc><w:tcPr><w:cellIns w:id="1" w:author="x"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:hdr>')
    kept = word_part(etree.fromstring(xml.encode()), None, {}).decode()
    assert "attacker" not in kept and "INCLUDEPICTURE" not in kept and "fetched" not in kept
    root = etree.fromstring(kept.encode())
    assert [t.text.strip() for t in root.iter(f"{{{W}}}instrText")] == ["PAGE"]
    assert [c.get(f"{{{W}}}fldCharType") for c in root.iter(f"{{{W}}}fldChar")] == ["begin", "separate", "end"]
    assert "".join(t.text for t in root.iter(f"{{{W}}}t")) == "1 after"
    assert "paraId" not in kept and "evil" not in kept and "cellIns" not in kept  # other vocabularies, changes


@pytest.mark.slow  # a build in both formats: make test-heavy
def test_a_reference_header_reaches_word_as_made_and_the_pdf_as_text(run, tmp_path):
    import docx
    import pdfplumber
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    from test_letterhead25 import _png

    pack = tmp_path / "pack"
    write(pack / "lessonpack.yaml", "style: school\n")
    write(pack / "lessons" / "lesson-1.yaml", UNIT_LESSON.format(n=1, extra="") .replace(
        "many governments turned to authoritarian rule.", "many governments turned to authoritarian rule. " * 40))
    folder = copy_style(pack, "school")
    document = docx.Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(_png(90, 45)))
    name = header.add_run(" Riverside School")
    name.font.name, name.font.size = "Georgia", Pt(15)
    header._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" HYPERLINK &quot;http://example.invalid&quot; ">'
                               '<w:r><w:t>click</w:t></w:r></w:fldSimple>'))
    table = section.footer.add_table(1, 2, section.page_width)
    table.cell(0, 0).paragraphs[0].add_run("12 Orchard Road")
    cell = table.cell(0, 1).paragraphs[0]
    cell.add_run("Page ")
    cell._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    document.save(folder / "reference.docx")
    result = run("build", "-f", "pdf", "-f", "docx", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    assert "the PDF prints the table in its footer as text" in result.output
    out = pack / "dist" / "lesson-1"
    with zipfile.ZipFile(out / "lesson-1-student.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    headers = [xml.decode() for n, xml in parts.items() if re.fullmatch(r"word/header\d+\.xml", n)]
    footers = [xml.decode() for n, xml in parts.items() if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert len(headers) == 1 and len(footers) == 1  # the reference has no first page of its own: every page alike
    assert 'w:ascii="Georgia"' in headers[0] and '<w:sz w:val="30"/>' in headers[0]  # its font and size, as made
    assert "Riverside School" in headers[0] and "HYPERLINK" not in headers[0] and "click" not in headers[0]
    assert "<w:tbl>" in footers[0] and "12 Orchard Road" in footers[0] and 'w:instr="PAGE"' in footers[0]
    rels = [xml.decode() for n, xml in parts.items() if re.fullmatch(r"word/_rels/header\d+\.xml\.rels", n)]
    (rid,) = re.findall(r'<a:blip r:embed="(rId\d+)"', headers[0])
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels[0])
    assert "word/" + (target.group(1) or target.group(2)) in parts  # the logo, inside the document
    assert "External" not in "".join(rels)
    reopened = docx.Document(str(out / "lesson-1-student.docx"))
    assert "Riverside School" in reopened.sections[0].header.paragraphs[0].text
    # The PDF prints what maps: the header's words and picture, the footer's words with the page's number.
    with pdfplumber.open(out / "lesson-1-student.pdf") as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        assert len(pdf.pages[0].images) == 1
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert "Riverside School" in flat and f"Page {number}" in flat and "12 Orchard Road" in flat
