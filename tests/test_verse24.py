"""Poems, parallel texts and where a source goes (issue 24, items 1, 4 and 5), on real built files.

- ``verse: true`` keeps every line and its indent (never a code block), stanzas from blank lines; ``line_numbers: 5``
  prints 5, 10, 15 beside the same lines in the PDF and the Word document; a poem that fits a page is never split,
  one taller than a page breaks between stanzas under "(continued)".
- ``parallel:`` prints two texts side by side, line i beside line i (the same height in the PDF, the same table row
  in Word).
- ``place: reading`` prints a source after the reading, before the worksheet; ``place: worksheet-start`` before the
  first question; the questions still say "Use Source A.".
- The verse lint and the positioned errors, each with its exact message.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import docx
import pytest

from hostile.packs import write

# Each test builds real files (a minute or more on two cores in all): make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

POEM = """\
One hundred steps go round and round,
  and every step is worn;
my grandmother climbed them every night
  from dusk until the morn.

She carried oil up in a can,
  she trimmed the wick by hand,
she watched the ships go out to sea
  and watched them come to land.

The light is electric now,
  it needs no hand at all;
it turns alone above the rocks
  and no one climbs the wall.

But when I climb the stairs in June
  I count them as she did,
and at the top I find the glass
  where all her evenings hid.
"""
POEM_LINES = [line.strip() for line in POEM.splitlines() if line.strip()]
NUMBERED = {"5": "She carried oil up in a can,", "10": "it needs no hand at all;",
            "15": "and at the top I find the glass"}

FRENCH = """\
Le soir descend sur le port,
  les bateaux dorment côte à côte ;
une mouette crie encore
  et le vent tourne sa page.

Ma mère appelle depuis la porte,
  la soupe fume sur la table ;
je compte les lumières du quai
  jusqu'à ce que la nuit les prenne.
"""
ENGLISH = """\
Evening comes down on the harbour,
  the boats sleep side by side;
a gull is crying still
  and the wind turns over its page.

My mother calls from the doorway,
  the soup is steaming on the table;
I count the lights along the quay
  until the night has taken them.
"""


def indented(text: str, by: int) -> str:
    return "".join(" " * by + line if line.strip() else "\n" for line in text.splitlines(keepends=True))


def pack(folder: Path, lesson: str, name: str = "poem") -> Path:
    write(folder / "lessonpack.yaml", "title: Verse\nformats: [pdf, docx]\nduplex: false\n")
    write(folder / "lessons" / f"{name}.yaml", lesson)
    return folder


def long_poem(stanzas: int) -> str:
    out, n = [], 0
    for _ in range(stanzas):
        for k in range(4):
            n += 1
            out.append(("  " if k % 2 else "") + f"Stanza line {n} where the harbour lamps are lit")
        out.append("")
    return "\n".join(out)


def lesson(reading: str = "", sources: str = "", items: str = "", prompts: str = "") -> str:
    return ("title: The Lighthouse Stairs\nobjectives: [Read a poem closely.]\n" + reading + prompts + sources
            + "worksheet:\n  title: Questions\n  items:\n" + (items or
                                                              "    - {type: short_answer, prompt: 'What is the "
                                                              "poem about?', answer: A lighthouse., lines: 2}\n"))


VERSE_READING = ("reading:\n  title: The Poem\n  verse: true\n  line_numbers: 5\n  text: |\n" + indented(POEM, 4))


def build(run, folder: Path, out: Path, *extra: str) -> None:
    result = run("build", str(folder), "-o", str(out), *extra)
    assert result.exit_code == 0, result.output


def pdf_words(pdf: Path) -> list[tuple[int, float, float, str, float]]:
    """Every word of a PDF: (page from 1, x, y of its top, text, x of its right edge), from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page, body in enumerate(html.split("<page ")[1:], 1):
        for x, y, right, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>',
                                            body):
            out.append((page, float(x), float(y), unescape(text), float(right)))
    return out


def pdf_lines(pdf: Path) -> list[tuple[int, float, float, str]]:
    """The PDF's words joined into lines (page, x of the first word, y, text): the words of one page at the same
    height (within 1 pt) with no more than a wide space between them."""
    lines: list[list] = []
    for page, x, y, text, right in sorted(pdf_words(pdf), key=lambda w: (w[0], round(w[2]), w[1])):
        last = lines[-1] if lines else None
        if last and last[0] == page and abs(last[2] - y) <= 1 and x - last[4] < 8:
            last[3] += " " + text
            last[4] = right
        else:
            lines.append([page, x, y, text, right])
    return [(p, x, y, t) for p, x, y, t, _ in lines]


def find_line(lines, text: str):
    found = [line for line in lines if line[3] == text]
    assert found, f"no line {text!r} in {[line[3] for line in lines]}"
    return found[0]


def word_at(words, text: str):
    found = [w for w in words if w[3] == text]
    assert found, f"no word {text!r}"
    return found


# -- 1. verse --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_verse_keeps_every_line_its_indent_and_the_numbers_in_the_pdf_and_word(run, tmp_path):
    folder = pack(tmp_path / "pack", lesson(VERSE_READING))
    result = run("check", "--strict", str(folder))
    assert result.exit_code == 0, result.output
    build(run, folder, tmp_path / "out")
    pdf = tmp_path / "out" / "poem" / "poem-student.pdf"
    lines = pdf_lines(pdf)
    # Every line of the poem on a line of its own, as written.
    drawn = {line: find_line(lines, line) for line in POEM_LINES}
    ys = [drawn[line][2] for line in POEM_LINES]
    assert ys == sorted(ys) and len(set(round(y) for y in ys)) == len(POEM_LINES)
    # The indented lines stand about one em (two spaces, half an em each) further in; never a code block.
    flush = {round(drawn[line][1]) for k, line in enumerate(POEM_LINES) if k % 2 == 0}
    inset = {round(drawn[line][1]) for k, line in enumerate(POEM_LINES) if k % 2 == 1}
    assert len(flush) == 1 and len(inset) == 1
    assert 8 <= inset.pop() - flush.pop() <= 14
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"mono|courier", fonts, re.IGNORECASE)
    # Stanzas: a wider gap after every fourth line.
    gaps = [b - a for a, b in zip(ys, ys[1:])]
    assert all(gaps[k] > gaps[0] * 1.3 for k in (3, 7, 11)) and max(gaps[k] for k in (0, 1, 2, 4)) < gaps[3]
    # 5, 10 and 15 in the margin beside lines 5, 10 and 15, and no other number.
    words = pdf_words(pdf)
    margin = max(drawn[line][1] for line in POEM_LINES) + 150
    numbers = {w[3]: w for w in words if w[3].isdigit() and w[1] > margin and w[0] == 1 and ys[0] - 2 <= w[2] <= ys[-1] + 2}
    assert set(numbers) == set(NUMBERED), numbers
    pdf_numbered = {}
    for number, (_, _, y, _, _) in numbers.items():
        beside = [line for line in POEM_LINES if abs(drawn[line][2] - y) <= 3]
        assert len(beside) == 1, (number, beside)
        pdf_numbered[number] = beside[0]
    assert pdf_numbered == NUMBERED

    document = docx.Document(str(tmp_path / "out" / "poem" / "poem-student.docx"))
    verse = [p for p in document.paragraphs if p.style.name.startswith("LP Verse")]
    assert [p.text.split("\t")[0] for p in verse] == POEM_LINES
    word_numbered = {p.text.split("\t")[1]: p.text.split("\t")[0] for p in verse if "\t" in p.text}
    assert word_numbered == NUMBERED == pdf_numbered  # the same numbers beside the same lines in both formats
    # A right tab stop carries the number (not Word's line numbering, which would count every paragraph).
    assert document.sections[0]._sectPr.find(W + "lnNumType") is None
    assert all(p.paragraph_format.tab_stops[0].alignment == docx.enum.text.WD_TAB_ALIGNMENT.RIGHT for p in verse)
    indents = [p.paragraph_format.left_indent for p in verse]
    assert len(set(indents[0::2])) == 1 and len(set(indents[1::2])) == 1 and indents[1] > indents[0]
    assert not any(r.style is not None and r.style.name == "LP Code" for p in verse for r in p.runs)
    assert [p.style.name for p in verse].count("LP Verse Stanza End") == 3  # the gaps after stanzas 1, 2 and 3
    assert all(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next for p in verse[:-1])


@pytest.mark.slow
def test_a_poem_that_fits_a_page_is_never_split(run, tmp_path):
    """A 28-line poem after a reading that fills most of the first page: it goes whole to the next page in the
    PDF, and in Word every line keeps with the next."""
    prose = "\n\n".join(["The lighthouse stood on the rocks for a hundred years and its keepers wrote down the "
                         "weather every night, the ships that passed and the lamps they lit. " * 3] * 5)
    reading = "reading:\n  title: Keepers\n  text: |\n" + indented(prose + "\n", 4)
    poem = long_poem(7)
    sources = ("sources:\n  - title: The Keeper's Song\n    verse: true\n    place: reading\n    citation: Written for "
               "this lesson.\n    text: |\n" + indented(poem + "\n", 6))
    folder = pack(tmp_path / "pack", lesson(reading, sources))
    build(run, folder, tmp_path / "out")
    lines = pdf_lines(tmp_path / "out" / "poem" / "poem-student.pdf")
    poem_lines = [find_line(lines, line.strip()) for line in poem.splitlines() if line.strip()]
    assert len(poem_lines) == 28
    pages = {line[0] for line in poem_lines}
    assert len(pages) == 1 and pages != {1}  # it would have started on page 1, and been cut
    document = docx.Document(str(tmp_path / "out" / "poem" / "poem-student.docx"))
    verse = [p for p in document.tables[0].rows[0].cells[0].paragraphs if p.style.name.startswith("LP Verse")]
    assert len(verse) == 28
    assert all(p.paragraph_format.keep_with_next for p in verse[:-1])


@pytest.mark.slow
def test_a_poem_taller_than_a_page_breaks_between_stanzas_under_continued(run, tmp_path):
    poem = long_poem(24)  # 96 lines: about two pages
    reading = "reading:\n  title: The Long Poem\n  verse: true\n  line_numbers: 5\n  text: |\n" + indented(poem, 4)
    folder = pack(tmp_path / "pack", lesson(reading))
    build(run, folder, tmp_path / "out")
    lines = pdf_lines(tmp_path / "out" / "poem" / "poem-student.pdf")
    written = [line.strip() for line in poem.splitlines() if line.strip()]
    drawn = [find_line(lines, line) for line in written]
    breaks = [k for k in range(1, len(drawn)) if drawn[k][0] != drawn[k - 1][0]]
    assert breaks, "the poem fits on one page: make it longer"
    assert all(k % 4 == 0 for k in breaks), breaks  # each page starts with a stanza's first line
    continued = [line for line in lines if line[3] == "(continued)"]
    assert [line[0] for line in continued] == [drawn[k][0] for k in breaks]
    for line, k in zip(continued, breaks):  # over the first line of the part
        assert line[2] < drawn[k][2] and not any(line[2] < other[2] < drawn[k][2] for other in drawn)

    document = docx.Document(str(tmp_path / "out" / "poem" / "poem-student.docx"))
    paragraphs = [p for p in document.paragraphs if p.style.name.startswith("LP Verse")]
    marks = [k for k, p in enumerate(paragraphs) if p.style.name == "LP Verse Continued"]
    assert len(marks) == len(breaks) and all(paragraphs[k].text == "(continued)" for k in marks)
    texts = [p.text.split("\t")[0] for p in paragraphs if p.style.name != "LP Verse Continued"]
    assert texts == written
    for k in marks:  # the part before ends a stanza and does not keep with the next: the page may break there
        before = paragraphs[k - 1]
        assert before.style.name in ("LP Verse", "LP Verse Stanza End") and not before.paragraph_format.keep_with_next
        assert written.index(paragraphs[k + 1].text.split("\t")[0]) % 4 == 0
    # The numbers go on through the parts.
    numbered = {p.text.split("\t")[1]: p.text.split("\t")[0] for p in paragraphs if "\t" in p.text}
    assert numbered == {str(n): written[n - 1] for n in range(5, 97, 5)}


# -- 2. parallel texts -----------------------------------------------------------------------------------------


PARALLEL = ("sources:\n  - title: Evening in the harbour\n    verse: true\n    line_numbers: 4\n"
            "    citation: Written for this lesson.\n    parallel:\n"
            "      - title: Original\n        lang: fr\n        text: |\n" + indented(FRENCH, 10)
            + "      - title: Translation\n        text: |\n" + indented(ENGLISH, 10))
USE_A = "    - {type: short_answer, source: A, prompt: 'How does the translation end?', answer: With the night., lines: 2}\n"


@pytest.mark.slow
def test_a_parallel_poem_prints_each_line_beside_its_translation(run, tmp_path):
    folder = pack(tmp_path / "pack", lesson(sources=PARALLEL, items=USE_A))
    result = run("check", "--strict", str(folder))
    assert result.exit_code == 0, result.output
    build(run, folder, tmp_path / "out")
    lines = pdf_lines(tmp_path / "out" / "poem" / "poem-student.pdf")
    french = [line.strip().replace("'", "’") for line in FRENCH.splitlines() if line.strip()]
    english = [line.strip() for line in ENGLISH.splitlines() if line.strip()]
    for left, right in zip(french, english):
        a, b = find_line(lines, left), find_line(lines, right)
        assert a[0] == b[0] and abs(a[2] - b[2]) <= 1, (left, right, a, b)
        assert b[1] > a[1] + 150  # side by side
    titles = [find_line(lines, "Original"), find_line(lines, "Translation")]
    assert abs(titles[0][2] - titles[1][2]) <= 1
    words = pdf_words(tmp_path / "out" / "poem" / "poem-student.pdf")
    for number, line in (("4", french[3]), ("8", french[7])):
        y = find_line(lines, line)[2]
        assert any(abs(w[2] - y) <= 3 for w in words if w[3] == number)

    document = docx.Document(str(tmp_path / "out" / "poem" / "poem-student.docx"))
    frame = document.tables[0].rows[0].cells[0]
    table = frame.tables[0]
    rows = [[c.text.split("\t")[0] for c in row.cells] for row in table.rows]
    # The original is set as French is: a no-break space before ; : ! ? (text/typography.py)
    french_set = [re.sub(r" ([;:!?])", "\u00a0\\1", line) for line in french]
    assert rows == [["Original", "Translation"]] + [list(pair) for pair in zip(french_set, english)]
    assert [row.cells[0].text.split("\t")[1] for row in table.rows if "\t" in row.cells[0].text] == ["4", "8"]
    langs = {el.get(W + "val") for el in table.rows[1].cells[0]._tc.iter(W + "lang")}
    assert langs == {"fr"}


# -- 3. where a source goes ------------------------------------------------------------------------------------


PROSE = ("reading:\n  title: Keepers\n  text: |\n    The keepers of the light wrote down the weather every "
         "night.\n")
TWO_ITEMS = ("    - {type: short_answer, prompt: 'Who kept the light?', answer: The keepers., lines: 2}\n" + USE_A)


@pytest.mark.slow
def test_place_reading_prints_the_source_after_the_reading_and_before_the_worksheet(run, tmp_path):
    sources = PARALLEL.replace("    verse: true\n", "    verse: true\n    place: reading\n", 1)
    folder = pack(tmp_path / "pack", lesson(PROSE, sources, TWO_ITEMS, "prompts:\n  - Read the two texts aloud.\n"))
    result = run("check", "--strict", str(folder))
    assert result.exit_code == 0, result.output
    build(run, folder, tmp_path / "out")
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "poem" / "poem-student.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    order = [text.index(s) for s in ("The keepers of the light", "Source A", "Discussion", "Questions",
                                     "Who kept the light?", "Use Source A. How does the translation end?")]
    assert order == sorted(order)
    assert text.count("Evening comes down on the harbour") == 1
    document = docx.Document(str(tmp_path / "out" / "poem" / "poem-student.docx"))
    body = document.element.body
    kinds = [("table" if el.tag.endswith("tbl") else "p", "".join(t.text or "" for t in el.iter(W + "t")))
             for el in body]
    source_at = next(k for k, (kind, t) in enumerate(kinds) if kind == "table" and "Source A" in t)
    heading_at = next(k for k, (kind, t) in enumerate(kinds) if t == "Questions")
    assert source_at < heading_at
    assert any("Use Source A." in t for _, t in kinds[heading_at:])


@pytest.mark.slow
def test_place_worksheet_start_prints_the_source_before_the_first_question(run, tmp_path):
    sources = PARALLEL.replace("    verse: true\n", "    verse: true\n    place: worksheet-start\n", 1)
    folder = pack(tmp_path / "pack", lesson(PROSE, sources, TWO_ITEMS))
    build(run, folder, tmp_path / "out")
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "poem" / "poem-student.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    order = [text.index(s) for s in ("The keepers of the light", "Questions", "Source A", "Who kept the light?",
                                     "Use Source A. How does the translation end?")]
    assert order == sorted(order)


def test_placed_sources_out_of_letter_order_are_a_positioned_warning(run, tmp_path):
    sources = ("sources:\n  - title: The log\n    citation: Written for this lesson.\n    text: The lamp was lit.\n"
               "  - title: The song\n    place: reading\n    citation: Written for this lesson.\n"
               "    text: The lamp is out.\n")
    items = ("    - {type: short_answer, source: A, prompt: 'When was the lamp lit?', answer: At dusk., lines: 2}\n"
             "    - {type: short_answer, source: B, prompt: 'What is out?', answer: The lamp., lines: 2}\n")
    folder = pack(tmp_path / "pack", lesson(PROSE, sources, items))
    result = run("check", str(folder))
    assert result.exit_code == 0, result.output
    assert ("poem.yaml:12:5: warning: sources[1].place: Source B is printed after the reading, before Source A, "
            "which comes first in sources: [source-order]") in result.output
    assert "move this source up in sources:" in result.output


# -- lint and errors -------------------------------------------------------------------------------------------


def test_prose_that_looks_like_verse_is_a_positioned_warning(run, tmp_path):
    reading = "reading:\n  title: The Poem\n  text: |\n" + indented("A note before the poem.\n\n" + POEM, 4)
    folder = pack(tmp_path / "pack", lesson(reading))
    result = run("check", str(folder))
    assert result.exit_code == 0, result.output
    assert ("poem.yaml:8:5: warning: reading.text: these short lines look like verse, but the reading is printed as "
            "prose, which joins lines broken by a single line break [verse-lines]") in result.output
    assert "hint: add `verse: true` to reading to keep every line and its indentation as written" in result.output
    # Verse, or lines ended by hand, or real prose: no warning.
    for fixed in (reading.replace("  title: The Poem\n", "  title: The Poem\n  verse: true\n"),
                  "reading:\n  title: Prose\n  text: |\n" + indented("The keepers wrote.\nThey lit the lamps.\n"
                                                                       "Ships came.\nShips went.\n", 4)):
        write(folder / "lessons" / "poem.yaml", lesson(fixed))
        result = run("check", "--strict", str(folder))
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("sources,message", [
    (PARALLEL.replace("      - title: Translation", "      - title: Gloss\n        text: A gloss.\n"
                      "      - title: Translation"),
     "poem.yaml:8:5: error: sources[0].parallel: a parallel source has exactly two texts side by side, not 3"),
    (PARALLEL.replace("            until the night has taken them.\n", ""),
     "poem.yaml:22:9: error: sources[0].parallel[1].text: has 7 lines of verse but sources[0].parallel[0].text has 8; "
     "in verse each line is printed beside its partner"),
    (PARALLEL.replace("    verse: true\n", ""),
     "poem.yaml:5:5: error: sources[0].line_numbers: line numbers are for verse; add verse: true to this source"),
])
def test_bad_shapes_are_positioned_errors(run, tmp_path, sources, message):
    folder = pack(tmp_path / "pack", lesson(sources=sources, items=USE_A))
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert message in result.output, result.output


def test_line_numbers_on_a_reading_in_prose_is_a_positioned_error(run, tmp_path):
    folder = pack(tmp_path / "pack", lesson(VERSE_READING.replace("  verse: true\n", "")))
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert ("poem.yaml:5:3: error: reading.line_numbers: line numbers are for verse; add verse: true to the reading"
            in result.output)


def test_a_formula_on_an_indented_line_of_verse_is_checked_and_a_picture_in_a_poem_refused(run, tmp_path):
    """An indented line of verse is inline text, never a code block: a formula on it is checked like any other;
    a picture cannot stand inside a poem."""
    reading = ("reading:\n  title: The Poem\n  verse: true\n  text: |\n    A line of verse\n"
               "        with $\\frac{1}{$ in it\n\n    ![A map](map.png)\n")
    folder = pack(tmp_path / "pack", lesson(reading))
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert "poem.yaml:8:14: error: reading.text: the formula $\\frac{1}{$ cannot be drawn: 1 { is never closed" \
        in result.output, result.output
    assert ('poem.yaml:10:14: error: reading.text: the picture "map.png" is inside a poem (verse: true), where it '
            "cannot be shown") in result.output


@pytest.mark.slow
def test_a_parallel_poem_taller_than_a_page_breaks_between_stanzas(run, tmp_path):
    """Each part a frame of its own, "Source A (continued)" over the later ones, its titles' row again, and line i
    still beside line i."""
    left = long_poem(30).replace(" where the harbour lamps are lit", " by the quay")  # each line on one line
    right = left.replace("Stanza line", "Strophe vers")
    sources = ("sources:\n  - title: The long poem\n    verse: true\n    place: reading\n"
               "    citation: Written for this lesson.\n    parallel:\n"
               "      - title: Original\n        text: |\n" + indented(left, 10)
               + "      - title: Version\n        text: |\n" + indented(right, 10))
    folder = pack(tmp_path / "pack", lesson(PROSE, sources))
    build(run, folder, tmp_path / "out")
    lines = pdf_lines(tmp_path / "out" / "poem" / "poem-student.pdf")
    written = [line.strip() for line in left.splitlines() if line.strip()]
    drawn = [find_line(lines, line) for line in written]
    partners = [find_line(lines, line.replace("Stanza line", "Strophe vers")) for line in written]
    assert all(a[0] == b[0] and abs(a[2] - b[2]) <= 1 for a, b in zip(drawn, partners))
    breaks = [k for k in range(1, len(drawn)) if drawn[k][0] != drawn[k - 1][0]]
    assert breaks and all(k % 4 == 0 for k in breaks), breaks
    assert [line[0] for line in lines if line[3].startswith("Source A (continued)")] == [drawn[k][0] for k in breaks]
    assert len([line for line in lines if line[3] == "Original"]) == len(breaks) + 1


# -- twins and the examples --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", ["translation", "narrative-poem"])
def test_the_literature_examples_print_the_same_words_in_both_formats_and_their_sources_in_letter_order(
        run, tmp_path, lesson_id):
    """The example poems (numbered every fifth line, one of forty lines in parts, a French poem beside its
    translation after the reading): the PDF and the Word document print the same words, numbers and "(continued)"
    included, in the same order; and the sources print in letter order, each question still naming its own."""
    from conftest import REPO
    from readback import Docx, pdf_text, words

    folder = tmp_path / "pack"
    write(folder / "lessonpack.yaml", "title: Poems\nformats: [pdf, docx]\n")
    write(folder / "lessons" / f"{lesson_id}.yaml",
          (REPO / "examples" / "literature" / "lessons" / f"{lesson_id}.yaml").read_text(encoding="utf-8"))
    build(run, folder, tmp_path / "out")
    for edition in ("student", "teacher"):
        base = tmp_path / "out" / lesson_id / f"{lesson_id}-{edition}"
        pdf_words, docx_words = words(pdf_text(base.with_suffix(".pdf"))), words(Docx(
            base.with_suffix(".docx").read_bytes()).body_text())
        for found in (pdf_words, docx_words):  # the key's page: a number in the PDF, a field Word computes
            for k in range(len(found) - 5):
                if found[k:k + 5] == ["answer", "key", "is", "on", "page"]:
                    found[k + 5] = "N"
        assert pdf_words == docx_words, edition
        text = subprocess.run(["pdftotext", str(base.with_suffix(".pdf")), "-"], capture_output=True, text=True,
                              check=True).stdout
        labels = re.findall(r"Source ([A-Z])(?! \(continued\))", text.replace("Use Source", "Use-Source"))
        assert labels == sorted(labels) and labels, labels
        assert "Use Source A." in text


def test_a_source_in_prose_that_looks_like_verse_is_a_positioned_warning(run, tmp_path):
    sources = ("sources:\n  - title: The song\n    citation: Written for this lesson.\n    text: |\n"
               + indented(ENGLISH, 6))
    folder = pack(tmp_path / "pack", lesson(sources=sources, items=USE_A))
    result = run("check", str(folder))
    assert result.exit_code == 0, result.output
    assert ("poem.yaml:7:7: warning: sources[0].text: these short lines look like verse, but this source is printed "
            "as prose, which joins lines broken by a single line break [verse-lines]") in result.output
    assert "hint: add `verse: true` to sources[0] to keep every line" in result.output
