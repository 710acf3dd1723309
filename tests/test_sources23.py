"""A question that uses several sources, the lints that keep sources and word banks honest, and formulas in the
answer key — read back from real PDF and Word files built by the command line.

- ``source: [A, D]`` prints "Use Sources A and D." ("Use Sources A, B and D.", "Usa las fuentes A y D.") and every
  listed source before the question, in letter order, in both formats and in every version;
- an unknown letter in the list is an error at its place in the list; a source analysis takes one source;
- ``source-not-listed`` warns at the words "Source C" in a question's text that its ``source:`` does not list;
- ``word_bank: {repeat: true}`` lists an answer once per blank; ``bank-repeats`` warns when the default bank hides
  a repeated answer;
- a key answer with a formula is drawn as a formula (no TeX in the PDF's text, an ``m:oMath`` in Word's key).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from PIL import Image

from readback import Docx

from lessonpack.apps.cli import cli

# Each test builds real files: make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

THREE = """title: Three sources
language: en
objectives: [Compare sources.]
sources:
  - title: A speech
    text: We must make good this distance in ten years.
    citation: A speech, 1931.
  - title: A letter
    text: Stalin is too rude.
    citation: A letter, 1922.
  - id: D
    title: Output
    table:
      header: [Year, Coal]
      rows: [["1928", "35"], ["1937", "128"]]
    citation: Soviet figures.
worksheet:
  items:
    - type: true_false
      prompt: Coal output more than trebled between 1928 and 1937.
      answer: true
    - type: short_answer
      prompt: What do the speech, the letter and the table say about speed?
      source: [D, A, B]
    - type: short_answer
      prompt: How far does the table support the speech?
      source: [A, D]
    - type: short_answer
      prompt: Name one target of the first plan.
    - type: fill_in_blank
      text: "Half of one is [[$\\\\frac{1}{2}$]] and water is [[H~2~O]]."
      extra: [oil]
"""

DOS = """title: Dos fuentes
language: es
objectives: [Comparar fuentes.]
sources:
  - title: Un discurso
    text: Debemos recorrer esta distancia en diez años.
    citation: Un discurso, 1931.
  - id: D
    title: Una carta
    text: Stalin es demasiado grosero.
    citation: Una carta, 1922.
worksheet:
  items:
    - type: short_answer
      prompt: ¿Qué pregunta se hace el autor?
    - type: short_answer
      prompt: Compara el discurso con la carta.
      source: [A, D]
"""

BANK = """title: Banks
objectives: [Add small numbers.]
worksheet:
  items:
    - type: fill_in_blank
      prompt: Once each.
      text: "Two times three is [[6]]; one plus five is [[6]]; two plus two is [[4]]."
      extra: ["5"]
      lint: {ignore: [bank-repeats]}
    - type: fill_in_blank
      prompt: Once per blank.
      text: "Seven minus one is [[6]]; three plus three is [[6]]; one plus one is [[2]]."
      word_bank: {repeat: true}
      extra: ["8"]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The three lessons built by ``lessonpack build`` into PDF and Word, student versions A–C and the teacher's."""
    pack = tmp_path_factory.mktemp("sources23")
    (pack / "lessons").mkdir()
    for name, text in (("three", THREE), ("dos", DOS), ("bank", BANK)):
        (pack / "lessons" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(pack)
        result = CliRunner().invoke(cli, ["build", ".", "--versions", "3", "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return pack / "dist"


def pdf_words(path: Path) -> str:
    """The PDF's text as pdftotext reads it, spaces and line ends as single spaces."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def docx_words(path: Path) -> str:
    return " ".join(Docx(path.read_bytes()).body_text().replace("\xa0", " ").split())


def _order(text: str, marks: list[str]) -> list[int]:
    return [text.index(mark) for mark in marks]


# -- several sources for one question ----------------------------------------------------------------------


@pytest.mark.slow
def test_use_sources_line_in_both_formats_and_every_version(built):
    for version in "ABC":
        for path, read in ((built / "three" / f"three-student-{version}.pdf", pdf_words),
                           (built / "three" / f"three-student-{version}.docx", docx_words)):
            text = read(path)
            assert text.count("Use Sources A, B and D.") == 1, path.name
            assert text.count("Use Sources A and D.") == 1, path.name
            assert "Use Source A." not in text and "Use Sources D, A" not in text  # listed in letter order
            # Every source the question lists is printed (once) before it, in letter order.
            first = text.index("Use Sources A, B and D.")
            second = text.index("Use Sources A and D.")
            bodies = ["We must make good", "Stalin is too rude.", "Soviet figures."]  # A, B and D's own words
            assert [text.count(body) for body in bodies] == [1, 1, 1], path.name
            at = _order(text, bodies)
            assert at == sorted(at) and at[-1] < min(first, second), (path.name, at, first)
            assert [text.count(f"Source {sid}") for sid in "ABD"] == [1, 1, 1], path.name


@pytest.mark.slow
def test_use_sources_line_in_spanish(built):
    for path, read in ((built / "dos" / "dos-student-A.pdf", pdf_words),
                       (built / "dos" / "dos-student-A.docx", docx_words),
                       (built / "dos" / "dos-teacher.pdf", pdf_words)):
        text = read(path)
        assert text.count("Usa las fuentes A y D.") == 1, path.name
        a, d, line = _order(text, ["Debemos recorrer", "Stalin es demasiado", "Usa las fuentes A y D."])
        # Both sources directly before the question: after the first question, which uses none.
        assert text.index("¿Qué pregunta se hace el autor?") < a < d < line, path.name


def test_sources_joined_through_the_catalogue():
    from lessonpack.text.labels import labels_for, use_sources

    en, es = labels_for("en")[0], labels_for("es")[0]
    assert [use_sources(en, ids) for ids in ((), ("A",), ("A", "D"), ("A", "B", "D"))] == [
        "", "Use Source A.", "Use Sources A and D.", "Use Sources A, B and D."]
    assert [use_sources(es, ids) for ids in (("A",), ("A", "D"), ("A", "B", "D"))] == [
        "Usa la fuente A.", "Usa las fuentes A y D.", "Usa las fuentes A, B y D."]


LIST_ERRORS = """title: Lists of sources
objectives: [Compare sources.]
sources:
  - {title: One, text: The first., citation: Made up.}
  - {title: Two, text: The second., citation: Made up.}
worksheet:
  items:
    - type: short_answer
      prompt: Compare them.
      source: [A, E]
    - type: short_answer
      prompt: Compare them again.
      source: [B, B]
    - type: source_analysis
      source: [A, B]
"""


def test_unknown_letter_in_a_list_is_a_positioned_error(run, tmp_path):
    (tmp_path / "lesson.yaml").write_text(LIST_ERRORS, encoding="utf-8")
    result = run("check", "lesson.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "lesson.yaml:10:19: error: worksheet.items[0].source[1]: there is no Source E (sources: A, B)" in lines
    assert "    hint: name a source by its letter or id" in lines
    assert "lesson.yaml:13:15: error: worksheet.items[1].source: names Source B twice; name each source once" in lines
    assert ("lesson.yaml:15:15: error: worksheet.items[2].source: a source analysis is about one source; write "
            "source: A, and ask about several sources together in a short_answer or essay item with source: [A, D]"
            ) in lines
    assert sum(": error:" in line for line in lines) == 3  # nothing else went wrong
    assert not (tmp_path / "dist").exists()


# -- the source-not-listed lint -------------------------------------------------------------------------------

MENTIONS = """title: Naming sources
objectives: [Compare sources.]
sources:
  - {title: One, text: The first., citation: Made up.}
  - {title: Two, text: The second., citation: Made up.}
  - {title: Three, text: The third., citation: Made up.}
  - {title: Four, text: The fourth., citation: Made up.}
worksheet:
  items:
    - type: short_answer
      prompt: How does Source A differ from Sources C and D?
      source: A
    - type: true_false
      prompt: Source B agrees with the others.
      answer: true
    - type: short_answer
      prompt: Compare Source B with Source C.
      source: [B, C]
    - type: short_answer
      prompt: Does source d say the same?
      source: [A, B, C, D]
      lint: {ignore: [source-not-listed]}
    - type: essay
      prompt: Using Source C, judge the others.
      rubric: [Uses Source C]
"""


def test_a_source_named_in_the_text_but_not_listed_warns_where_it_is_named(run, tmp_path):
    (tmp_path / "lesson.yaml").write_text(MENTIONS, encoding="utf-8")
    result = run("check", "lesson.yaml")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    warnings = [line for line in lines if ": warning:" in line and line.endswith("[source-not-listed]")]
    hints = {line: lines[k + 1] for k, line in enumerate(lines) if line in warnings}
    col = MENTIONS.splitlines()[10].index("Sources C and D") + 1
    assert warnings == [
        f"lesson.yaml:11:{col}: warning: worksheet.items[0].prompt: names Sources C and D, but the question's source: "
        "does not list them, so they may not be printed before the question [source-not-listed]",
        "lesson.yaml:14:15: warning: worksheet.items[1].prompt: names Source B, but the question's source: does "
        "not list it, so it may not be printed before the question [source-not-listed]",
    ]
    # Not the essay: it keeps its place in every version, after questions that print Source C.
    assert hints[warnings[0]] == (
        "    hint: write source: [A, C, D] on worksheet.items[0] so that Sources C and D are printed before it, or "
        "change the text; if it is deliberate, add `lint: {ignore: [source-not-listed]}` to worksheet.items[0]")
    assert hints[warnings[1]] == (
        "    hint: write source: B on worksheet.items[1] so that Source B is printed before it, or change the "
        "text; if it is deliberate, add `lint: {ignore: [source-not-listed]}` to worksheet.items[1]")


def test_source_not_listed_uses_the_lessons_language(run, tmp_path):
    text = DOS.replace("prompt: Compara el discurso con la carta.", "prompt: Compara la fuente A con la Fuente D.")
    text = text.replace("      source: [A, D]\n", "      source: A\n")
    (tmp_path / "lesson.yaml").write_text(text, encoding="utf-8")
    result = run("check", "lesson.yaml")
    warnings = [line for line in result.output.splitlines() if ": warning:" in line and "[source-not-listed]" in line]
    col = text.splitlines()[16].index("Fuente D") + 1
    assert warnings == [f"lesson.yaml:17:{col}: warning: worksheet.items[1].prompt: names Source D, but the "
                        "question's source: does not list it, so it may not be printed before the question "
                        "[source-not-listed]"], result.output


# -- word banks -----------------------------------------------------------------------------------------------


def _bank_in_docx(path: Path) -> list[list[str]]:
    d = docx.Document(str(path))
    banks = [p.text for p in d.paragraphs if p.text.startswith("Word bank")]
    return [sorted(w.strip() for w in bank.split("\n", 1)[1].replace("\xa0", " ").split("·")) for bank in banks]


def _bank_in_pdf(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    return [sorted(next(after for after in out[k + 1:] if after.strip()).split())
            for k, line in enumerate(out) if line.strip() == "WORD BANK"]


@pytest.mark.slow
def test_a_bank_lists_a_repeated_answer_once_or_once_per_blank(built):
    for edition in ("student-A", "student-B", "teacher"):
        expected = [["2", "6", "6", "8"], ["4", "5", "6"]]  # versions may print the two questions either way round
        assert sorted(_bank_in_docx(built / "bank" / f"bank-{edition}.docx")) == expected, edition
        assert sorted(_bank_in_pdf(built / "bank" / f"bank-{edition}.pdf")) == expected, edition


def test_bank_repeats_warns_at_the_second_blank(run, tmp_path):
    text = BANK.replace("      lint: {ignore: [bank-repeats]}\n", "")
    (tmp_path / "lesson.yaml").write_text(text, encoding="utf-8")
    result = run("check", "lesson.yaml")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    found = [k for k, line in enumerate(lines) if ": warning:" in line and "[bank-repeats]" in line]
    col = text.splitlines()[6].index("6]]; two") + 1
    assert [lines[k] for k in found] == [
        f'lesson.yaml:7:{col}: warning: worksheet.items[0].text: the word bank lists "6" once, though 2 blanks need '
        'it (blanks 1 and 2), so students may think it is used once [bank-repeats]']
    assert lines[found[0] + 1] == (
        "    hint: write word_bank: {repeat: true} to list it once for each blank that needs it; if it is "
        "deliberate, add `lint: {ignore: [bank-repeats]}` to worksheet.items[0]")


def test_a_bank_that_lists_a_word_once_per_blank_warns_that_it_shows_the_count(run, tmp_path):
    """A bank with repeat: true tells students how many blanks a word fills: a warning says so, once per item."""
    (tmp_path / "lesson.yaml").write_text(BANK, encoding="utf-8")
    result = run("check", "lesson.yaml")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    found = [k for k, line in enumerate(lines) if ": warning:" in line and "[bank-count]" in line]
    col = BANK.splitlines()[11].index("6]]; one plus one") + 1
    assert [lines[k] for k in found] == [
        f'lesson.yaml:12:{col}: warning: worksheet.items[1].text: the word bank lists "6" twice, so it tells '
        'students how many blanks it fills [bank-count]']
    assert lines[found[0] + 1] == (
        "    hint: that is what word_bank: {repeat: true} does; write word_bank: true to list each word once and "
        "keep the count to the students' own reading; if it is deliberate, add `lint: {ignore: [bank-count]}` to "
        "worksheet.items[1]")
    quiet = BANK.replace("      word_bank: {repeat: true}\n", "      word_bank: {repeat: true}\n      lint: {ignore: "
                         "[bank-count]}\n")
    (tmp_path / "lesson.yaml").write_text(quiet, encoding="utf-8")
    assert "[bank-count]" not in run("check", "lesson.yaml").output


def test_label_diagram_bank_repeats(run, tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (200, 100), "white").save(tmp_path / "images" / "leaf.png")
    text = """title: Veins
objectives: [Name the parts of a leaf.]
worksheet:
  items:
    - type: label_diagram
      image: images/leaf.png
      alt: A leaf with its parts marked.
      labels:
        - {x: 10, y: 10, answer: vein}
        - {x: 50, y: 50, answer: Vein}
        - {x: 90, y: 90, answer: stalk}
      word_bank: WORDBANK
      extra: [root]
"""
    lesson = tmp_path / "lesson.yaml"
    lesson.write_text(text.replace("WORDBANK", "true"), encoding="utf-8")
    result = run("check", "lesson.yaml")
    assert ('lesson.yaml:10:34: warning: worksheet.items[0].labels[1].answer: the word bank lists "vein" once, '
            "though 2 labels need it (labels 1 and 2), so students may think it is used once [bank-repeats]"
            ) in result.output.splitlines()
    lesson.write_text(text.replace("WORDBANK", "{repeat: true}"), encoding="utf-8")
    result = run("check", "lesson.yaml")
    assert result.exit_code == 0 and "bank-repeats" not in result.output
    # two parts named alike on purpose: no "repeats" warning, only that the bank now shows the count
    assert result.output.splitlines()[0] == (
        'lesson.yaml:10:34: warning: worksheet.items[0].labels[1].answer: the word bank lists "vein" twice, so it '
        "tells students how many labels it fills [bank-count]")
    assert result.output.splitlines()[-1] == "1 lesson checked: 0 errors, 1 warning"
    from lessonpack.load.pack import load_pack

    bank = load_pack(tmp_path).lessons[0].lesson.worksheet.items[0].bank
    assert bank == ["root", "stalk", "Vein", "vein"]


def test_a_bad_word_bank_is_one_clear_error(run, tmp_path):
    for value, message in (("maybe", 'expected true, false or {repeat: true}, got "maybe"'),
                           ("{repat: true}", 'unknown key "repat" in word_bank: (its one key is repeat:, as in '
                                             "word_bank: {repeat: true})")):
        (tmp_path / "lesson.yaml").write_text(BANK.replace("word_bank: {repeat: true}", f"word_bank: {value}"),
                                              encoding="utf-8")
        result = run("check", "lesson.yaml")
        errors = [line for line in result.output.splitlines() if ": error:" in line]
        assert errors == [f"lesson.yaml:13:18: error: worksheet.items[1].word_bank: {message}"], result.output


# -- formulas in the answer key ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_key_answer_formula_is_drawn_as_a_formula(built):
    teacher = pdf_words(built / "three" / "three-teacher.pdf")
    key = teacher[teacher.index("Answer key"):]
    assert "Fill in the blanks" in key
    assert "$" not in key and "\\frac" not in key and "frac" not in key and "H~2~O" not in key
    # Word: the key's fill-in row holds an equation (OMML), and H₂O's 2 is a subscript run.
    document = docx.Document(str(built / "three" / "three-teacher.docx"))
    rows = [row for table in document.tables for row in table.rows
            if len(row.cells) == 4 and row.cells[1].text == "Fill in the blanks"]
    assert len(rows) == 3  # the keys of versions A, B and C
    grid = document.tables[-1]
    for cell in [row.cells[2] for row in rows] + [grid.rows[5].cells[1]]:
        xml = cell._tc.xml
        assert "<m:oMath" in xml and "$" not in cell.text and "frac" not in cell.text
        assert [r.text for p in cell.paragraphs for r in p.runs if r.font.subscript] == ["2"]


# -- several sources in many versions (the handout model) ---------------------------------------------------------

SHUFFLED = """title: Four sources
objectives: [Read four sources.]
sources:
  - {title: First, text: One quoted line., citation: Made up.}
  - {title: Second, text: Another quoted line., citation: Made up.}
  - {title: Third, text: A third quoted line., citation: Made up.}
  - {title: Fourth, text: A fourth quoted line., citation: Made up.}
worksheet:
  items:
    - {type: true_false, prompt: Plain one., answer: true}
    - {type: short_answer, prompt: About A and B., source: [B, A]}
    - {type: true_false, prompt: Plain two., answer: false}
    - {type: short_answer, prompt: About C., source: C}
    - {type: true_false, prompt: Plain three., answer: true}
    - {type: short_answer, prompt: About A and D., source: [A, D]}
    - {type: true_false, prompt: Plain four., answer: false}
    - {type: short_answer, prompt: About B again., source: B}
"""


def test_every_version_prints_each_listed_source_before_its_question_in_letter_order():
    from lessonpack.handout import PlanContext, plan
    from lessonpack.load.model import LETTERS, LessonFile
    from lessonpack.load.validate import validate_lesson
    from lessonpack.load.yamlsource import SourceMap, parse_yaml
    from lessonpack.text.richtext import plain

    doc = parse_yaml(SHUFFLED.encode("utf-8"), SourceMap("four.yaml"))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None and not [p for p in problems if p.severity == "error"], problems
    assert not [p for p in problems if "source-order" in p.message]  # the written order prints A, B, C, D
    items = {item.prompt: item.sources for item in lesson.worksheet.items}
    orders = set()
    for letter in LETTERS[:12]:
        h = plan(LessonFile("four", Path("four.yaml"), lesson), "student", PlanContext(version=letter, versions=12))
        printed: list[str] = []
        for q in h.worksheet.questions:
            printed += [s.id for s in q.sources]
            listed = items[plain(q.prompt)]
            assert set(listed) <= set(printed), (letter, plain(q.prompt), printed)  # all printed by now
        assert printed == ["A", "B", "C", "D"], (letter, printed)  # each once, in letter order
        use = {plain(q.prompt): q.use_source for q in h.worksheet.questions}
        assert use["About A and B."] == "Use Sources A and B." and use["About A and D."] == "Use Sources A and D."
        orders.add(tuple(plain(q.prompt) for q in h.worksheet.questions))
    assert len(orders) == 12  # the questions still shuffle
