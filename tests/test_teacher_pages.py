"""The teacher edition's pages, read back from real output: ``bold_at:`` counts the paragraphs the handout
numbers (and a wrong one says where the term is), the teacher's worksheet follows on where ``auto`` would start
the student's on a page of its own, the answer key never ends with its total and a single row on a page, and
the teacher's copy prints exactly the student's writing lines, the model answer written over them (the
``answer-lines`` lint warns when it needs more). PDF and Word alike."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from PIL import Image

from conftest import libreoffice_to_pdf
from readback import Docx

from lessonpack.building.builder import build
from lessonpack.render.docx import styles as S
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style

from hostile.packs import write

CLASSIC = Geometry.of(load_style("classic").tokens, "letter")


def _pack(folder: Path, lessons: dict[str, str], config: str = "") -> Path:
    """A pack of the given lessons (file stem → YAML), two-sided copying off unless ``config`` says otherwise."""
    write(folder / "lessonpack.yaml", "duplex: false\n" + config)
    for stem, text in lessons.items():
        write(folder / "lessons" / f"{stem}.yaml", text)
    return folder


def _built(folder: Path, *formats: str, editions=("student", "teacher")) -> Path:
    result = build(folder, formats=list(formats), editions=list(editions), with_pack=False, jobs=1)
    assert result.ok, result.failed
    return folder / "dist"


def _words(path: Path) -> list[list[dict]]:
    """Each page's words, with their fonts and sizes."""
    with pdfplumber.open(path) as pdf:
        return [page.extract_words(extra_attrs=["fontname", "size"]) for page in pdf.pages]


def _line_of(words: list[dict], text: str) -> list[dict]:
    """The words on the line that holds the word ``text``, left to right."""
    (anchor,) = [w for w in words if w["text"] == text]
    return sorted((w for w in words if abs(w["top"] - anchor["top"]) < 3), key=lambda w: w["x0"])


def _bold(word: dict) -> bool:
    return "Bold" in word["fontname"] or "Semibold" in word["fontname"]


# -- A. bold_at: the paragraphs the handout numbers ------------------------------------------------------------

def _png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (240, 120), 90).save(out, "PNG")
    return out.getvalue()


PINNED = """title: Pins
objectives: [Explain how Stalin dealt with the peasants.]
reading:
  text: |
    Stalin rose to power after Lenin died.

    ![A grey picture](images/grey.png "A picture between the paragraphs")

    The kulaks resisted collectivization.

    Later the kulaks were deported.
key_terms:
  - {{term: kulaks, definition: better-off peasants, bold_at: {at}}}
  - {{term: collectivization, definition: pooling land into state farms}}
worksheet:
  items:
    - {{type: true_false, prompt: Lenin named Stalin as his heir., answer: false}}
"""


def _pinned_pack(folder: Path, at: int) -> Path:
    write(folder / "lessons" / "images" / "grey.png", _png())
    return _pack(folder, {"pins": PINNED.format(at=at)})


def test_bold_at_is_the_number_printed_beside_the_paragraph_pictures_not_counted(run, tmp_path):
    # Printed: 1 "Stalin rose…", the picture (no number), 2 "The kulaks resisted…", 3 "Later the kulaks…".
    folder = _pinned_pack(tmp_path, 2)
    checked = run("check", "--strict", cwd=folder)
    assert checked.exit_code == 0, checked.output  # the check counts as the handout numbers
    dist = _built(folder, "pdf", "docx", editions=("student",))

    (page,) = _words(dist / "pins" / "pins-student.pdf")
    pinned = _line_of(page, "resisted")
    assert pinned[0]["text"] == "2" and pinned[0]["x1"] < pinned[1]["x0"]  # the paragraph's printed number
    # The term is bold in paragraph 2 (and the other key term, where it first appears).
    assert [w["text"] for w in pinned[1:] if _bold(w)] == ["kulaks", "collectivization"]
    later = _line_of(page, "deported.")
    assert later[0]["text"] == "3" and not any(_bold(w) for w in later[1:])

    d = Docx((dist / "pins" / "pins-student.docx").read_bytes())
    reading = [p for p in d.paras if p.style == S.READING]
    numbers = {p.text.split("\t")[-1]: [t for st, t in p.runs if st == S.PARA_NUMBER] for p in reading}
    assert numbers == {"Stalin rose to power after Lenin died.": ["1"], "The kulaks resisted collectivization.": ["2"],
                       "Later the kulaks were deported.": ["3"]}
    bold = {p.text.split("\t")[-1]: [t for st, t in p.runs if st == S.KEY_TERM] for p in reading}
    assert bold["The kulaks resisted collectivization."] == ["kulaks", "collectivization"]
    assert bold["Later the kulaks were deported."] == []


def _position(text: str, needle: str, key: str = "") -> tuple[int, int]:
    """Line and column (1-based) of a value in a YAML text, where a diagnostic about it points: on the line holding
    ``needle``, the value written after ``key`` (after the needle itself when no key is given)."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            key = key or needle
            return n, line.index(key) + len(key) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize("at,message,hint", [
    (4, 'the reading has 3 paragraphs, not 4; "kulaks" first appears in paragraph 2 (it is in paragraphs 2 and 3)',
     "write bold_at: 2 to bold its first use, or another paragraph that contains it, or leave bold_at out; "
     "paragraphs are counted as the handout numbers them (pictures are not counted)"),
    (1, '"kulaks" is not in paragraph 1; "kulaks" first appears in paragraph 2 (it is in paragraphs 2 and 3)',
     "write bold_at: 2 to bold its first use, or another paragraph that contains it, or leave bold_at out; "
     "paragraphs are counted as the handout numbers them (pictures are not counted)"),
])
def test_a_wrong_bold_at_says_where_the_term_is(run, tmp_path, at, message, hint):
    # bold_at: 4 is the fourth block counting the picture: the old check took it, and the handout bolded nothing.
    folder = _pinned_pack(tmp_path, at)
    result = run("check", cwd=folder)
    assert result.exit_code == 1
    line, col = _position(PINNED.format(at=at), "bold_at: ")
    assert result.output.splitlines()[:2] == [
        f"lessons/pins.yaml:{line}:{col}: error: key_terms[0].bold_at: {message}", f"    hint: {hint}"]


def test_a_bold_at_for_a_term_the_reading_never_uses(run, tmp_path):
    folder = _pinned_pack(tmp_path, 2)
    text = PINNED.format(at=2).replace("{term: collectivization, definition: pooling land into state farms}",
                                       "{term: purge, definition: a removal, bold_at: 3}")
    write(folder / "lessons" / "pins.yaml", text)
    result = run("check", cwd=folder)
    line, col = _position(text, "bold_at: 3", "bold_at: ")
    assert result.output.splitlines()[:2] == [
        f'lessons/pins.yaml:{line}:{col}: error: key_terms[1].bold_at: "purge" is not in paragraph 3; the term '
        "appears in no paragraph of the reading",
        "    hint: use the term in the reading's text, or leave bold_at out; paragraphs are counted as the handout "
        "numbers them (pictures are not counted)"]


# -- B1. The teacher's worksheet follows on where "auto" starts the student's on a page of its own -------------

LONG = """title: Long
objectives: [Explain why the peace failed.]
reading:
  text: |
{paragraphs}
prompts:
  - text: Why was the peace fragile?
    notes: Look for several causes.
worksheet:
  items:
    - {{type: true_false, prompt: The League of Nations was set up in 1920., answer: true}}
    - {{type: short_answer, prompt: Name one cause of the Depression., answer: The Wall Street Crash.}}
"""
PARAGRAPH = ("    After the First World War, Europe tried to rebuild its trade, its borders and its trust, and the "
             "peace treaties set out who owned which land, who paid for the war and how disputes would be settled "
             "in future, through talks rather than armies.\n\n")


def _first_body_word(page: list[dict]) -> str:
    """The first word below the running header."""
    return min((w for w in page if w["top"] > CLASSIC.top + 2), key=lambda w: (round(w["top"]), w["x0"]))["text"]


def _worksheet_page(pages: list[list[dict]]) -> int:
    (n,) = [n for n, page in enumerate(pages) if any(w["text"] == "Worksheet" and w["size"] > 14 for w in page)]
    return n


@pytest.mark.parametrize("rule", ["auto", "always"])
def test_the_teacher_worksheet_starts_a_page_only_when_always_says_so(tmp_path, rule):
    folder = _pack(tmp_path, {"long": LONG.format(paragraphs=PARAGRAPH * 12)}, f"page_breaks: {{worksheet: {rule}}}\n")
    dist = _built(folder, "pdf", "docx")
    student = _words(dist / "long" / "long-student.pdf")
    teacher = _words(dist / "long" / "long-teacher.pdf")
    assert len(student) > 2  # the handout before the worksheet is longer than a page: "auto" starts one
    s, t = _worksheet_page(student), _worksheet_page(teacher)
    assert _first_body_word(student[s]) == "Worksheet"  # the sheet students hand in starts a page
    if rule == "auto":  # the teacher hands nothing in: the worksheet follows the discussion on its page
        assert _first_body_word(teacher[t]) != "Worksheet"
        assert any(w["text"] == "Discussion" or w["text"] == "fragile?" for w in teacher[t])
    else:
        assert _first_body_word(teacher[t]) == "Worksheet"

    def breaks(edition: str) -> bool:
        d = Docx((dist / "long" / f"long-{edition}.docx").read_bytes())
        (heading,) = [p for p in d.paras if p.style == S.WORKSHEET_TITLE]
        return heading.el.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None

    assert breaks("student") and breaks("teacher") == (rule == "always")


# -- B2. The answer key's last three rows stay with its total ---------------------------------------------------

def _key_lesson(n: int, objectives: int) -> str:
    """A lesson of ``n`` true/false questions (a row each in the key), its overview with ``objectives`` lines."""
    aims = "".join(f"  - Objective {k} of the lesson.\n" for k in range(1, objectives + 1))
    items = "".join(f"    - {{type: true_false, prompt: Statement {k} about the interwar years., answer: "
                    f"{'true' if k % 2 else 'false'}}}\n" for k in range(1, n + 1))
    return f"title: Key {n}\nobjectives:\n{aims}worksheet:\n  items:\n{items}"


KEYS = {"key-a": (40, 6), "key-b": (42, 1), "key-c": (38, 1), "key-d": (28, 1)}
"""Keys that break over a page where only one or two rows would have gone with the total: in the PDF (a and b),
and as LibreOffice lays out the Word document (c and d)."""

KEY_ROW = re.compile(r"^(\d+) True or false (True|False) 1$")


def _rows_with_total(lines_by_page: list[list[str]]) -> tuple[int, int]:
    """How many rows of the key share the page of its total line, and how many rows it has."""
    total_page = next(n for n, lines in enumerate(lines_by_page) if any(re.match(r"^Total: \d+ points \d+$", line)
                                                                        for line in lines))
    rows = [sum(1 for line in lines if KEY_ROW.match(line)) for lines in lines_by_page]
    return rows[total_page], sum(rows)


def _text_lines(path: Path) -> list[list[str]]:
    with pdfplumber.open(path) as pdf:
        return [[" ".join(line.split()) for line in (page.extract_text() or "").splitlines()] for page in pdf.pages]


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> Path:
    folder = _pack(tmp_path_factory.mktemp("keys"), {name: _key_lesson(*size) for name, size in KEYS.items()})
    return _built(folder, "pdf", "docx", editions=("teacher",))


@pytest.mark.slow
def test_the_pdf_key_keeps_its_last_three_rows_with_its_total(keys):
    for name, (n, _) in KEYS.items():
        together, rows = _rows_with_total(_text_lines(keys / name / f"{name}-teacher.pdf"))
        assert rows == n and 3 <= together < n, (name, together)  # it breaks over a page, not there


@pytest.mark.slow
def test_the_word_key_keeps_its_last_three_rows_with_its_total(keys, tmp_path):
    for name, (n, _) in KEYS.items():
        doc = docx.Document(keys / name / f"{name}-teacher.docx")
        (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "#"]
        kept = [all(p._p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
                    for cell in row.cells for p in cell.paragraphs) for row in table.rows[1:-1]]
        assert len(kept) == n and kept[-3:] == [True, True, True] and not any(kept[:-3]), name
    # As a word processor lays them out: the total's page holds at least three rows.
    docs = [Path(shutil.copy(keys / name / f"{name}-teacher.docx", tmp_path)) for name in KEYS]
    for (name, (n, _)), pdf in zip(KEYS.items(), libreoffice_to_pdf(docs, tmp_path)):
        together, rows = _rows_with_total(_text_lines(pdf))
        assert rows == n and 3 <= together < n, (name, together)


# -- B3. The teacher's copy prints the student's writing lines --------------------------------------------------

LONG_ANSWER = ("The treaties punished Germany with lost land, a small army and reparations it called unfair, "
               "while Italy and Japan felt cheated of their gains and new states held unhappy minorities.")
LINES = f"""title: Lines
objectives: [Explain why the peace settlement left so many unhappy.]
worksheet:
  items:
    - type: short_answer
      prompt: Alpha. Why did the peace settlement of 1919 leave so many people unhappy?
      lines: 2
      answer: {LONG_ANSWER}
    - type: short_answer
      prompt: Bravo. Which body was set up in 1920 to keep the peace?
      answer: The League of Nations.
    - type: short_answer
      prompt: Charlie. What ended the calm of the late 1920s?
      lines: 3
"""


def _page_with(pages: list[list[dict]], text: str) -> list[dict]:
    (page,) = [words for words in pages if any(w["text"] == text for w in words)]
    return page


def _prompt_tops(words: list[dict]) -> dict[str, float]:
    return {w["text"]: w["top"] for w in words if w["text"] in ("Alpha.", "Bravo.", "Charlie.")}


def _room(tops: dict[str, float]) -> tuple[float, float]:
    """How far apart the three questions start: the room the first two take, writing lines included."""
    return tops["Bravo."] - tops["Alpha."], tops["Charlie."] - tops["Bravo."]


def test_the_teacher_copy_prints_the_students_writing_lines(tmp_path):
    folder = _pack(tmp_path, {"lines": LINES})
    dist = _built(folder, "pdf", "docx")
    student, teacher = (_page_with(_words(dist / "lines" / f"lines-{edition}.pdf"), "Alpha.")
                        for edition in ("student", "teacher"))
    # Each question takes the same room in both copies: the model answer needs three lines at full size, but
    # the teacher's copy keeps the student's two, the answer set smaller to fit.
    assert _room(_prompt_tops(teacher)) == pytest.approx(_room(_prompt_tops(student)), abs=0.5)
    assert _room(_prompt_tops(student))[0] > 2 * CLASSIC.writing_line
    with pdfplumber.open(dist / "lines" / "lines-teacher.pdf") as pdf:
        (chars,) = [page.chars for page in pdf.pages if "Alpha." in (page.extract_text() or "")]
    tops = _prompt_tops(teacher)
    def sizes(start: str, end: str) -> set[float]:  # the type of the lines under a question's prompt
        return {round(c["size"], 1) for c in chars if tops[start] + 10 < c["top"] < tops[end] - 3 and c["text"].strip()}

    first, second = sizes("Alpha.", "Bravo."), sizes("Bravo.", "Charlie.")
    assert first == {round(CLASSIC.size * 0.8, 1)} and second == {CLASSIC.size}
    answer = " ".join(w["text"] for w in teacher if tops["Alpha."] + 10 < w["top"] < tops["Bravo."] - 3)
    assert answer == LONG_ANSWER  # every word of it, on the two lines

    def lines(edition: str) -> list[list[str]]:
        """Each question's writing-line paragraphs in the Word document, by style."""
        d = Docx((dist / "lines" / f"lines-{edition}.docx").read_bytes())
        out: list[list[str]] = []
        for p in d.paras:
            if p.style == S.QUESTION:
                out.append([])
            elif p.style in (S.WRITING_LINE, S.ANSWER) and out:
                out[-1].append(p.style)
        return out

    assert lines("student") == [[S.WRITING_LINE] * 2, [S.WRITING_LINE] * 3, [S.WRITING_LINE] * 3]
    assert lines("teacher") == [[S.ANSWER] * 2, [S.ANSWER] + [S.WRITING_LINE] * 2, [S.WRITING_LINE] * 3]
    d = Docx((dist / "lines" / "lines-teacher.docx").read_bytes())
    answers = d.styled(S.ANSWER)
    assert " ".join(p.text for p in answers[:2]) == LONG_ANSWER
    assert {st for p in answers[:2] for st, _ in p.runs} == {S.ANSWER_SMALL}
    assert {st for st, _ in answers[2].runs} == {None}  # a short answer at full size


@pytest.mark.slow
def test_the_word_teacher_copy_breaks_its_lines_where_the_students_does(tmp_path):
    folder = _pack(tmp_path, {"lines": LINES})
    dist = _built(folder, "docx")
    docs = [shutil.copy(dist / "lines" / f"lines-{edition}.docx", tmp_path) for edition in ("student", "teacher")]
    student, teacher = (_page_with(_words(pdf), "Alpha.") for pdf in libreoffice_to_pdf([Path(p) for p in docs],
                                                                                       tmp_path))
    assert _room(_prompt_tops(teacher)) == pytest.approx(_room(_prompt_tops(student)), abs=0.5)


ANALYSIS = """sources:
  - title: A letter
    text: Dear friend, the peace will not last.
    citation: A letter written for this lesson.
"""


def _lint_lesson(extra_item: str = "", top: str = "") -> str:
    return top + LINES.replace("worksheet:\n", ANALYSIS + "worksheet:\n") + extra_item


def test_a_model_answer_longer_than_the_lines_is_a_teaching_lint(run, tmp_path):
    part = ("    - type: source_analysis\n      source: A\n      parts:\n        - part: content\n          lines: 1\n"
            f"          answer: {LONG_ANSWER}\n")
    default = ("    - type: short_answer\n      prompt: Delta. Why was the peace unpopular?\n"
               f"      answer: {LONG_ANSWER} {LONG_ANSWER}\n")  # no lines: the default three
    text = _lint_lesson(part + default)
    _pack(tmp_path, {"lines": text})
    result = run("check", cwd=tmp_path)
    silence = "if it is deliberate, add `lint: {ignore: [answer-lines]}` to worksheet.items[{n}]"
    lines_at = _position(text, "lines: 2", "lines: ")
    part_at = _position(text, "          lines: 1", "lines: ")
    answer_at = _position(text, f"answer: {LONG_ANSWER} ", "answer: ")
    shown = result.output.splitlines()
    assert [line for n, line in enumerate(shown) if line.endswith("[answer-lines]") or (
        n and shown[n - 1].endswith("[answer-lines]") and line.startswith("    hint: "))] == [
        f"lessons/lines.yaml:{lines_at[0]}:{lines_at[1]}: warning: worksheet.items[0].lines: the model answer "
        "needs about 3 lines but lines: 2 gives the student 2 [answer-lines]",
        "    hint: give the student room for it (lines: 3 or more: handwriting takes more room than print), or "
        "shorten the model answer; the teacher edition keeps the student's 2 lines and sets the answer smaller to "
        "fit; " + silence.replace("{n}", "0"),
        f"lessons/lines.yaml:{part_at[0]}:{part_at[1]}: warning: worksheet.items[3].parts[0].lines: the model "
        "answer needs about 3 lines but lines: 1 gives the student 1 [answer-lines]",
        "    hint: give the student room for it (lines: 3 or more: handwriting takes more room than print), or "
        "shorten the model answer; even in smaller type the teacher edition needs 2 lines for it, so its pages "
        "break differently from the student's; " + silence.replace("{n}", "3"),
        f"lessons/lines.yaml:{answer_at[0]}:{answer_at[1]}: warning: "
        "worksheet.items[4].answer: the model answer needs about 5 lines but lines: 3 (the default) gives the "
        "student 3 [answer-lines]",
        "    hint: give the student room for it (lines: 5 or more: handwriting takes more room than print), or "
        "shorten the model answer; even in smaller type the teacher edition needs 4 lines for it, so its pages "
        "break differently from the student's; " + silence.replace("{n}", "4")]
    # Silenced where it is deliberate: on the item, or for the whole lesson.
    quiet = _lint_lesson(part + default, top="lint: {ignore: [answer-lines]}\n")
    write(tmp_path / "lessons" / "lines.yaml", quiet)
    assert "answer-lines" not in run("check", cwd=tmp_path).output
    one = text.replace("      lines: 2\n", "      lines: 2\n      lint: {ignore: [answer-lines]}\n")
    write(tmp_path / "lessons" / "lines.yaml", one)
    assert [line.split(": warning: ")[1].split(":")[0] for line in run("check", cwd=tmp_path).output.splitlines()
            if line.endswith("[answer-lines]")] == ["worksheet.items[3].parts[0].lines", "worksheet.items[4].answer"]


def test_large_print_counts_the_lines_with_its_own_measures(run, tmp_path):
    # The same answer needs more lines in bigger type: the lint counts with the pack's style.
    short = ("The treaties punished Germany with lost land, a small army and reparations it called unfair, while "
             "Italy and Japan felt cheated of their gains.")
    _pack(tmp_path, {"lines": LINES.replace(LONG_ANSWER, short)})
    assert "answer-lines" not in run("check", cwd=tmp_path).output
    write(tmp_path / "lessonpack.yaml", "duplex: false\nstyle: large-print\n")
    assert [line.split(": warning: ")[1] for line in run("check", cwd=tmp_path).output.splitlines()
            if line.endswith("[answer-lines]")] == [
        "worksheet.items[0].lines: the model answer needs about 3 lines but lines: 2 gives the student 2 "
        "[answer-lines]"]
