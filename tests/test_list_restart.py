"""The list numbers tests/readback.py reads from a Word document are the ones Word's numbering shows: a count per
list definition that a ``w:num``'s startOverride restarts, numbers past 26 (a worksheet of thirty questions) and
letters past Z (AA, BB…), checked against what LibreOffice prints for the same document.

The reader once built every format's label before choosing one, so a decimal list's 27th number asked for a 27th
letter and failed: the geography example's thirty questions could not be compared with its PDF.
"""

from __future__ import annotations

import io
import re
import subprocess

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from conftest import libreoffice_to_pdf
from readback import Docx, list_number

LISTS = {"letters": ("upperLetter", "%1."), "numbers": ("decimal", "%1."), "small": ("lowerLetter", "%1)")}

# (list definition, numId, its startOverride or None, how many paragraphs): the paragraphs in document order.
SHAPE = [
    ("letters", 1, 1, 2),  # a list of its own: A, B
    ("letters", 2, None, 2),  # no startOverride: continues its definition's count, C, D
    ("letters", 3, 1, 1),  # restarts: A
    ("letters", 1, 1, 1),  # back to the first list, which has begun: its override is not applied again, B
    ("letters", 4, 1, 28),  # A … Z, AA, BB
    ("numbers", 5, 25, 4),  # 25 … 28
    ("small", 6, 27, 1),  # aa)
]
EXPECTED = (["A.", "B.", "C.", "D.", "A.", "B."] + [f"{chr(65 + i)}." for i in range(26)] + ["AA.", "BB."]
            + ["25.", "26.", "27.", "28.", "aa)"])


def _numbered_document() -> bytes:
    """A Word document whose only lists are SHAPE's, each paragraph ``Entry NN`` (numbered in order)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    ids = {name: k for k, name in enumerate(LISTS, start=1)}
    for name, (fmt, text) in LISTS.items():
        numbering.append(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ids[name]}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="1440"/></w:pPr></w:lvl></w:abstractNum>'))
    for num, (name, start) in {num: (name, start) for name, num, start, _ in SHAPE}.items():
        override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="%d"/></w:lvlOverride>' % start
                    if start is not None else "")
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num}"><w:abstractNumId w:val="{ids[name]}"/>'
                                   f"{override}</w:num>"))
    entry = 0
    for _, num, _, count in SHAPE:
        for _ in range(count):
            entry += 1
            numpr = document.add_paragraph(f"Entry {entry:02d}")._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = 0
            numpr.get_or_add_numId().val = num
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_list_numbers_past_twenty_six_and_letters_past_z():
    assert [list_number(n, "decimal") for n in (1, 26, 27, 30)] == ["1", "26", "27", "30"]
    assert [list_number(n, "upperLetter") for n in (1, 26, 27, 28, 52, 53)] == ["A", "Z", "AA", "BB", "ZZ", "AAA"]
    assert [list_number(n, "lowerLetter") for n in (2, 29)] == ["b", "cc"]
    with pytest.raises(ValueError, match="lowerRoman"):
        list_number(4, "lowerRoman")


def test_the_reader_counts_each_list_as_word_numbering_does():
    labels = [p.label for p in Docx(_numbered_document()).paras if p.text.startswith("Entry")]
    assert labels == EXPECTED


@pytest.mark.libreoffice
def test_libreoffice_prints_the_numbers_the_reader_reads(tmp_path):
    source = tmp_path / "lists.docx"
    source.write_bytes(_numbered_document())
    (pdf,) = libreoffice_to_pdf([source], tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    printed = dict((int(n), label) for label, n in re.findall(r"^\s*(\S+)\s+Entry (\d+)\s*$", text, re.M))
    assert [printed.get(n) for n in range(1, len(EXPECTED) + 1)] == EXPECTED
