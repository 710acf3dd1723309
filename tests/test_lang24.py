"""Footnotes, inline languages, typography by language and label catalogues in more languages, on built files."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml

from conftest import REPO
from hostile.packs import write

from lessonpack.text.labels import available, counted, labels_for
from lessonpack.text.richtext import inline
from lessonpack.text.typography import set_in

# Each test builds real files (a minute or more on two cores in all): make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

ENGLISH_LABELS = yaml.safe_load((REPO / "src" / "lessonpack" / "data" / "labels" / "en.yaml").read_text(
    encoding="utf-8"))
"""lessonpack's own English catalogue: the labels a catalogue must have."""

NBSP = "\u00a0"

FOOTNOTED = """title: Dulce et Decorum Est
language: en
objectives: [Read a poem closely.]
reading:
  title: The last lines
  text: |
    The poem ends on a line from Horace, [Dulce et decorum est pro patria mori]{lang=la}.[^horace] Owen calls it
    "the old Lie".

    [^horace]: Glossnote: it is sweet and fitting to die for one's country (Horace, *Odes* III.2).
worksheet:
  items:
    - type: short_answer
      prompt: Why does Owen call the line "the old Lie"?
      answer: Because the war he saw was neither sweet nor fitting.
      lines: 3
"""

FRENCH = """title: La guerre d'Owen
language: fr
objectives: [Lire un poème de près.]
reading:
  title: Lecture
  text: |
    Il dit : "c'est doux" ! Vraiment? Oui.
worksheet:
  items:
    - type: short_answer
      prompt: Que veut dire "pro patria mori"?
      answer: Mourir pour la patrie
      points: 2
      lines: 2
    - type: true_false
      prompt: Horace est un poète "latin".
      answer: true
"""


def _pdf_words(path: Path) -> list[tuple[int, float, float, str]]:
    """(page, yMin, page height, word) of every word pdftotext finds."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for n, page in enumerate(re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html, re.S)):
        height = float(page[0])
        for y, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page[1]):
            out.append((n, float(y), height, word))
    return out


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _part(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(name).decode("utf-8")


def _built(run, tmp_path, name: str, text: str, *formats: str) -> Path:
    write(tmp_path / "lessons" / f"{name}.yaml", text)
    result = run("build", *sum((["-f", f] for f in formats), []))
    assert result.exit_code == 0, result.output
    return tmp_path / "dist" / name


@pytest.mark.slow
def test_a_footnote_prints_at_the_foot_of_its_page_in_the_pdf_and_as_a_word_footnote(run, tmp_path):
    out = _built(run, tmp_path, "owen", FOOTNOTED, "pdf", "docx")
    for edition in ("student", "teacher"):
        words = _pdf_words(out / f"owen-{edition}.pdf")
        called = next(w for w in words if w[3].startswith("mori"))
        note = next(w for w in words if w[3] == "Glossnote:")
        assert note[0] == called[0]  # the same page
        assert note[1] > called[1] and note[1] > note[2] * 0.75  # below the call, at the page's foot
        at = words.index(called)
        assert words[at + 1][3] == "1" and words[at + 1][1] > called[1]  # the call's number, raised after "mori."
        assert [w[3] for w in words[words.index(note) - 1:words.index(note) + 2]] == ["1.", "Glossnote:", "it"]
        notes = _part(out / f"owen-{edition}.docx", "word/footnotes.xml")
        document = _part(out / f"owen-{edition}.docx", "word/document.xml")
        assert "Glossnote: it is sweet and fitting to die for one’s country (Horace, " in notes
        assert "<w:footnoteRef/>" in notes and 'w:footnote w:id="1"' in notes
        assert document.count("<w:footnoteReference ") == 1 and "Glossnote" not in document
        assert "footnotes+xml" in _part(out / f"owen-{edition}.docx", "[Content_Types].xml")


@pytest.mark.slow
def test_a_span_in_latin_is_tagged_la_in_the_pdf_structure_and_on_its_word_run(run, tmp_path):
    out = _built(run, tmp_path, "owen", FOOTNOTED, "pdf", "docx")
    pdf = pikepdf.open(out / "owen-student.pdf")
    tagged = []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            if "/Lang" in element:
                tagged.append((str(element.S), str(element.Lang)))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid)

    root = pdf.Root.StructTreeRoot.K
    for top in root if isinstance(root, pikepdf.Array) else [root]:
        walk(top)
    assert ("/Span", "la") in tagged and str(pdf.Root.Lang) == "en"
    document = _part(out / "owen-student.docx", "word/document.xml")
    assert re.search(r'<w:r><w:rPr><w:lang w:val="la"/></w:rPr><w:t>Dulce et decorum est pro patria mori</w:t>',
                     document), document[:2000]
    assert document.count('w:lang w:val="la"') == 1  # only the Latin: the rest is in the document's language


@pytest.mark.slow
def test_a_french_lesson_has_french_quotes_spaces_and_labels_in_both_formats(run, tmp_path):
    out = _built(run, tmp_path, "guerre", FRENCH, "pdf", "docx", "html")
    document = _part(out / "guerre-student.docx", "word/document.xml")
    for expected in (f"Il dit{NBSP}: «{NBSP}c’est doux{NBSP}»{NBSP}! Vraiment{NBSP}? Oui.",
                     f"Que veut dire «{NBSP}pro patria mori{NBSP}»{NBSP}?", f"poète «{NBSP}latin{NBSP}»",
                     "Fiche d’exercices", ">Nom <", ">Vrai<", f"2{NBSP}points", f"1{NBSP}point"):
        assert expected in document, expected
    # The PDF's text maps a no-break space to the space it is drawn as (one glyph in the font), so the PDF shows
    # the spaces the author did not type ("Vraiment?", "«c'est"), and the HTML it is laid out from their kind.
    pdf = subprocess.run(["pdftotext", str(out / "guerre-student.pdf"), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    for expected in ("Il dit : « c’est doux » ! Vraiment ? Oui.", "Que veut dire « pro patria mori » ?",
                     "Fiche d’exercices", "Nom", "Vrai", "2 points", "1 point"):
        assert expected in pdf.replace(NBSP, " "), (expected, pdf)
    html = (out / "guerre-student.html").read_text(encoding="utf-8")
    assert f"Il dit{NBSP}: «{NBSP}c’est doux{NBSP}»{NBSP}! Vraiment{NBSP}? Oui." in html
    teacher = _part(out / "guerre-teacher.docx", "word/document.xml")
    assert "Corrigé" in teacher and f"Total{NBSP}: 3 points" in teacher


@pytest.mark.slow
def test_the_docs_footnote_example_checks_and_builds_with_its_two_notes(run, tmp_path):
    text = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    example = re.search(r"<!-- example: footnotes.yaml -->\n```yaml\n(.*?)```", text, re.S).group(1)
    out = _built(run, tmp_path, "example", example, "pdf", "docx")
    notes = _part(out / "example-student.docx", "word/footnotes.xml")
    assert "one’s country (Horace, " in notes and "The poem’s last words but one." in notes
    pdf = _pdf_text(out / "example-student.pdf")
    assert re.search(r"^ *1\. It is sweet and fitting", pdf, re.M) and re.search(r"^ *2\. The poem’s last", pdf, re.M)
    assert "[^" not in pdf and "“the old Lie”?2" in pdf


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The literature example's lesson with footnotes and Latin and French phrases, built to PDF and Word."""
    from click.testing import CliRunner

    from lessonpack.apps.cli import cli

    pack = tmp_path_factory.mktemp("literature")
    (pack / "lessons").mkdir()
    shutil.copy(REPO / "examples" / "literature" / "lessons" / "borrowed-words.yaml", pack / "lessons")
    result = CliRunner().invoke(cli, ["build", str(pack), "-f", "pdf", "-f", "docx"])
    assert result.exit_code == 0, result.output
    return pack / "dist" / "borrowed-words"


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_the_pdf_and_the_word_document_print_the_same_words_notes_included(edition, example):
    """The example lesson's words in the PDF (its tag tree: each page's notes after its text) are the Word
    document's body with each call's number where Word prints it, and Word's notes, in order, each whole."""
    from readback import Docx, pdf_text, words
    from test_parity import body_words

    base = example / f"borrowed-words-{edition}"
    with zipfile.ZipFile(base.with_suffix(".docx")) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    document = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = re.sub(r'<w:footnoteReference w:id="(\d+)"/>', r'<w:t xml:space="preserve"> \1</w:t>',
                                        document).encode("utf-8")
    called = io.BytesIO()
    with zipfile.ZipFile(called, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    body = body_words(Docx(called.getvalue()).body_text())  # the page the key is on: a field in Word
    notes = [[n] + words(re.sub(r"<[^>]+>", "", text)) for n, text in re.findall(
        r'<w:footnote w:id="(\d+)">(.*?)</w:footnote>', parts["word/footnotes.xml"].decode("utf-8"))]
    assert len(notes) == 3
    printed = body_words(pdf_text(base.with_suffix(".pdf")))
    at = 0
    for note in notes:  # each note whole, in order, taken out of the PDF's words
        at = next(i for i in range(at, len(printed)) if printed[i:i + len(note)] == note)
        del printed[at:at + len(note)]
    assert printed == body, [(op, printed[a1 - 5:a2 + 5], body[b1 - 5:b2 + 5]) for op, a1, a2, b1, b2 in
                             difflib.SequenceMatcher(a=printed, b=body, autojunk=False).get_opcodes() if op != "equal"]


@pytest.mark.slow
def test_the_example_marks_its_latin_and_french_in_both_formats(example):
    document = _part(example / "borrowed-words-student.docx", "word/document.xml")
    marked = re.findall(r'<w:lang w:val="(\w+)"/></w:rPr><w:t[^>]*>([^<]*)<', document)
    assert sorted(set(marked)) == [("fr", f"«{NBSP}Je ne regrette rien{NBSP}»"), ("fr", f"«{NBSP}On verra{NBSP}»"),
                                   ("la", "Tempus fugit")]
    assert len(marked) == 6  # the reading's two, the prompt's, the source's two and the question's
    pdf = pikepdf.open(example / "borrowed-words-student.pdf")
    langs = [str(obj.Lang) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Lang" in obj
             and obj.get("/S") == pikepdf.Name.Span]
    assert langs.count("la") >= 2 and langs.count("fr") >= 2, langs


def test_quotes_follow_the_lesson_and_the_span_and_no_line_starts_with_a_closing_mark():
    with set_in("de"):
        assert "".join(s.text for s in inline('Er sagte "ja" und [he said "yes"]{lang=en}.')) == \
            "Er sagte „ja“ und he said “yes”."
    with set_in("en"):
        spans = inline('She said "oui" [elle a dit "oui" !]{lang=fr} ( sic )')
        assert [(s.text, s.lang) for s in spans] == [
            ("She said “oui” ", ""), (f"elle a dit «{NBSP}oui{NBSP}»{NBSP}!", "fr"), (f" ( sic{NBSP})", "")]
    with set_in("fr"):
        assert inline("à 10:30, voir http://example.org : fin")[0].text == \
            f"à 10:30, voir http://example.org{NBSP}: fin"


def test_counts_follow_each_language_plural_rule():
    fr, en, de, pt = (labels_for(code)[0] for code in ("fr", "en", "de", "pt"))
    assert [counted(fr, "points", n) for n in (0, 1, 1.5, 2)] == ["0 point", "1 point", "1.5 point", "2 points"]
    assert [counted(pt, "points", n) for n in (0, 1, 2)] == ["0 ponto", "1 ponto", "2 pontos"]
    assert [counted(en, "points", n) for n in (0, 1, 1.5)] == ["0 points", "1 point", "1.5 points"]
    assert [counted(de, "points", n) for n in (1, 2)] == ["1 Punkt", "2 Punkte"]
    assert counted(fr, "total", 1) == f"Total{NBSP}: 1 point"


def test_every_catalogue_has_every_english_key_with_the_same_placeholders():
    english = labels_for("en")[0]
    assert {"de", "en", "es", "fr", "it", "pt"} <= set(available())
    for code in available():
        catalogue = labels_for(code)[0]
        assert set(catalogue) == set(english), code
        for key, text in english.items():
            assert set(re.findall(r"\{(\w*)\}", catalogue[key])) == set(re.findall(r"\{(\w*)\}", text)), (code, key)


@pytest.mark.slow
def test_a_pack_catalogue_changes_lessonpack_words_and_adds_a_language(run, tmp_path):
    write(tmp_path / "labels" / "en.yaml", "answer_key: Solutions\nname: Student\n")
    dutch = "\n".join(f"{key}: {text!r}" for key, text in labels_for("en")[0].items()).replace(
        "'Worksheet'", "'Werkblad'")
    write(tmp_path / "labels" / "nl.yaml", dutch.replace("'Name'", "'Naam'") + "\n")
    write(tmp_path / "lessons" / "dutch.yaml", FRENCH.replace("language: fr", "language: nl"))
    out = _built(run, tmp_path, "owen", FOOTNOTED, "pdf")
    teacher, student = _pdf_text(out / "owen-teacher.pdf"), _pdf_text(out / "owen-student.pdf")
    assert "Solutions" in teacher and "Answer key" not in teacher
    assert "Student" in student and "Worksheet" in student
    dutch_student = _pdf_text(tmp_path / "dist" / "dutch" / "dutch-student.pdf")
    assert "Naam" in dutch_student and "Werkblad" in dutch_student
    write(tmp_path / "labels" / "en.yaml", "answer_key: Corrections\n")  # a changed label rebuilds
    result = run("build", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "Corrections" in _pdf_text(out / "owen-teacher.pdf")


LESSON = "title: T\nobjectives: [Read.]\n"


@pytest.mark.parametrize("files,expected", [
    ({"lessons/a.yaml": LESSON + "reading:\n  title: R\n  text: |\n    A gloss[^g] here.\n"},
     ["lessons/a.yaml:6:12: error: reading.text: the footnote [^g] has no text, so it would print as written",
      "    hint: add a line `[^g]: …` with the note's text in the same field (after the paragraph is usual), or "
      "delete the mark"]),
    ({"lessons/a.yaml": LESSON + "reading:\n  title: R\n  text: |\n    A gloss.\n\n    [^g]: never called\n"},
     ["lessons/a.yaml:8:5: error: reading.text: the footnote [^g] is never called, so its text would not print",
      "    hint: write [^g] in the text where the note belongs (in the same field), or delete the note's line"]),
    ({"lessons/a.yaml": LESSON + "reading:\n  title: R\n  text: |\n    Some [Latin]{lang=la_1} here.\n"},
     ['lessons/a.yaml:6:18: error: reading.text: "la_1" is not a language tag, so the text cannot be marked as '
      "being in it",
      "    hint: write a BCP 47 tag such as la, fr, de or en-GB: [Dulce et decorum est]{lang=la}"]),
    ({"lessons/a.yaml": LESSON, "labels/fr.yaml": "nmae: Nom\n"},
     ['labels/fr.yaml:1:1: error: "nmae" is not a label lessonpack prints',
      "    hint: use the keys of lessonpack's en.yaml, e.g. name, date, class"]),
    ({"lessons/a.yaml": LESSON, "labels/fr.yaml": "total: x\npoints_one: \"{count} point\"\n"},
     ['labels/fr.yaml:1:1: error: "total" is not a label lessonpack prints',
      "    hint: use the keys of lessonpack's en.yaml, e.g. total_one, total_other",
      'labels/fr.yaml:2:13: error: "points_one": the text must fill in {n}, as lessonpack\'s does (it has {count})',
      '    hint: e.g. points_one: "{n} point", in your words']),
    ({"lessons/a.yaml": LESSON, "labels/nl.yaml": "name: Naam\n"},
     [f"labels/nl.yaml:1:1: error: the catalogue misses {len(ENGLISH_LABELS) - 1} labels (date, class, objectives, "
      "reading, paragraph, …):"
      ' lessonpack has no words of its own in "nl" to print instead',
      "    hint: copy lessonpack's en.yaml (see docs/lesson-format.md) and translate every line"]),
    ({"lessons/a.yaml": LESSON, "labels/french.yaml": "name: Nom\n"},
     ['labels/french.yaml:1:1: error: "french.yaml" is not named by a language: a label catalogue is named by the '
      "BCP 47 tag of the language it is in",
      "    hint: rename it, e.g. labels/fr.yaml or labels/pt-BR.yaml"]),
])
def test_each_problem_is_a_positioned_error(run, tmp_path, files, expected):
    for name, text in files.items():
        write(tmp_path / name, text)
    result = run("check")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    at = lines.index(expected[0]) if expected[0] in lines else pytest.fail(result.output)
    assert lines[at:at + len(expected)] == expected, result.output


def test_a_source_in_another_language_is_quoted_in_its_own_marks(run, tmp_path):
    """A French extract in an English lesson (a source's lang: fr) curls its quotation marks as French does, with
    its no-break spaces, in both formats; the lesson's own text keeps English marks."""
    import docx

    lesson = ("title: Quotes\nobjectives: [Read.]\nsources:\n  - title: A French letter\n    lang: fr\n"
              "    text: Il a dit \"demain\" et puis il est parti !\n    citation: Written for this lesson.\n"
              "  - title: An English note\n    text: He said \"tomorrow\" and left.\n"
              "    citation: Written for this lesson.\nworksheet:\n  items:\n"
              "    - {type: short_answer, source: A, prompt: \"What did he promise?\"}\n"
              "    - {type: short_answer, source: B, prompt: \"When did he leave?\"}\n")
    write(tmp_path / "lessonpack.yaml", "title: Q\nlessons:\n  - q\n")
    write(tmp_path / "lessons" / "q.yaml", lesson)
    result = run("build", str(tmp_path), "-o", str(tmp_path / "out"), "-f", "pdf", "-f", "docx", "-e", "student",
                 "--no-pack")
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "q" / "q-student.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Il a dit « demain » et puis il est parti !" in text.replace(NBSP, " ")
    assert "He said “tomorrow” and left." in text
    words = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "q" / "q-student.docx")).paragraphs) + \
        "\n".join(c.text for t in docx.Document(str(tmp_path / "out" / "q" / "q-student.docx")).tables
                  for r in t.rows for c in r.cells)
    assert f"Il a dit «{NBSP}demain{NBSP}» et puis il est parti{NBSP}!" in words
    assert "He said “tomorrow” and left." in words
