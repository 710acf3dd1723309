"""Sub- and superscripts, struck-out text, callouts and quotes set upright: the Markdown that science and
mathematics lessons need, read back from real outputs.

The PDF is read with pdfplumber (where each character sits, its size and font, and the frames drawn round
text) and through its tag tree; the DOCX is reopened with python-docx and read by pandoc. The lessons are the
examples in docs/lesson-format.md, run here as written, and one more that puts the marks next to numbered
blanks, in a source and in the teacher's notes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
import yaml
from docx.oxml.ns import qn

from conftest import REPO, libreoffice_to_pdf
from readback import Docx, pdf_tables, pdf_text, words
from test_parity import assert_same_words, body_words

from lessonpack.handout import PlanContext, plan
from lessonpack.load.model import LessonFile
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml
from lessonpack.render.docx import render_docx
from lessonpack.render.docx import styles as S
from lessonpack.render.html import render_html
from lessonpack.render.pdf import render_pdf
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style
from lessonpack.text.labels import labels_for
from lessonpack.text.richtext import CALLOUTS, blocks, flat, inline, is_prose, plain


def doc_example(name: str) -> str:
    """A YAML example of docs/lesson-format.md, by the name in the comment before it: the docs' examples are
    what these tests build."""
    text = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- example: {re.escape(name)} -->\n```yaml\n(.*?)```", text, re.S)
    assert found, f"docs/lesson-format.md has no example {name}"
    return found.group(1)


def lesson_of(text: str, name: str) -> LessonFile:
    doc = parse_yaml(text.encode("utf-8"), SourceMap(f"{name}.yaml"))
    assert not doc.problems, doc.problems
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, problems
    # A short example may have no objectives or no worksheet; nothing else is reported.
    assert not [p for p in problems if not (p.message.endswith("[no-objectives]")
                                            or p.message == "lesson has no worksheet items")], problems
    return LessonFile(name, Path(f"{name}.yaml"), lesson)


BLANKS = """title: Squares and water
objectives:
  - Square a number and name the elements in water.
reading:
  text: |
    The square of 5 is 5^2^ = 25, and water is H~2~O.
sources:
  - title: A note on the units
    text: |
      Pressure is measured in pascals.

      > [!NOTE] Units
      > 1 Pa is 1 N m^-2^.
    citation: Written for this lesson.
teacher_notes: |
  > [!IMPORTANT]
  > Check the lamps before the lesson.
worksheet:
  items:
    - type: fill_in_blank
      text: "First, 5^2^ = [[25]] and 12^2^ = [[144]]; water, H~2~O, is made of [[hydrogen]] and oxygen."
      word_bank: false
    - type: short_answer
      prompt: What is the area of a square of side x? Use Source A.
      source: A
      answer: x^2^
"""

LESSONS = {"formulas": lambda: doc_example("formulas.yaml"), "callouts": lambda: doc_example("callouts.yaml"),
           "blanks": lambda: BLANKS}
BODY = 11.0  # the classic style's type size


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Each lesson's student and teacher editions, as handout model, PDF and DOCX: (name, edition) → (h, pdf, docx)."""
    folder = tmp_path_factory.mktemp("markup")
    style = load_style("classic")
    out = {}
    for name, text in LESSONS.items():
        lesson = lesson_of(text(), name)
        for edition in ("student", "teacher"):
            h = plan(lesson, edition, PlanContext("Hill School", Geometry.of(style.tokens, "letter")))
            pdf, docx_file = folder / f"{name}-{edition}.pdf", folder / f"{name}-{edition}.docx"
            pdf.write_bytes(render_pdf(h, style, "letter", pack_root=folder))
            docx_file.write_bytes(render_docx(h, style, "letter"))
            out[name, edition] = (h, pdf, docx_file)
    return out


# -- the syntax ---------------------------------------------------------------------------------------------


def _marks(markdown: str) -> list[tuple[str, str]]:
    return [(s.text, "sub" if s.sub else "sup" if s.sup else "strike" if s.strike else "") for s in inline(markdown)]


def test_sub_and_superscripts_are_read_as_pandoc_reads_them():
    assert _marks("H~2~O") == [("H", ""), ("2", "sub"), ("O", "")]
    assert _marks("x^2^ and m^-2^") == [("x", ""), ("2", "sup"), (" and m", ""), ("-2", "sup")]
    assert _marks(r"10^sixth\ power^") == [("10", ""), ("sixth power", "sup")]  # an escaped space belongs inside
    # No spaces inside, and a lone mark is only a character.
    for literal in ("x^2 + y^2", "~5 minutes", "10 ~ 12", "2^10", "a ~b c~"):
        assert _marks(literal) == [(literal, "")], literal
    # Two tildes strike out, and never open a subscript; a subscript may stand inside struck-out words.
    assert _marks("~~struck~~ out") == [("struck", "strike"), (" out", "")]
    assert [(s.text, s.sub, s.strike) for s in inline("~~H~2~O~~")] == [("H", False, True), ("2", True, True),
                                                                       ("O", False, True)]
    # With other marks: bold carbon dioxide is bold all through.
    assert [(s.text, s.strong, s.sub) for s in inline("**CO~2~**")] == [("CO", True, False), ("2", True, True)]


def test_every_markdown_field_prints_sub_and_superscripts():
    """Inline fields and block fields alike: the HTML the PDF is laid out from has a <sub> in each."""
    fields = {
        "title": "CO~2~ in title", "subtitle": "CO~2~ in subtitle", "unit": "CO~2~ in unit",
        "objectives": ["CO~2~ in objective"],
        "reading": {"title": "CO~2~ in reading title", "source": "CO~2~ in reading source",
                    "text": "Air is a mixture, with CO~2~ in reading.\n\n- CO~2~ in list\n\n> CO~2~ in quote\n\n> [!NOTE] CO~2~ in callout title\n"
                            "> CO~2~ in callout.\n"},
        "key_terms": [{"term": "mixture", "definition": "CO~2~ in definition"}],
        "prompts": [{"text": "CO~2~ in prompt", "notes": "CO~2~ in prompt notes"}],
        "sources": [{"title": "CO~2~ in source title", "text": "CO~2~ in source text", "caption": "CO~2~ in caption",
                     "citation": "CO~2~ in citation", "notes": "CO~2~ in source notes"}],
        "teacher_notes": "CO~2~ in teacher notes", "content_warning": "CO~2~ in content warning",
        "worksheet": {"title": "CO~2~ in worksheet title", "instructions": "CO~2~ in instructions", "items": [
            {"type": "multiple_choice", "prompt": "CO~2~ in prompt?", "choices": ["CO~2~ in choice", "O~2~"],
             "answer": "CO~2~ in choice", "source": "A"},
            {"type": "short_answer", "prompt": "CO~2~ in question", "answer": "CO~2~ in model answer"},
            {"type": "ordering", "events": ["CO~2~ in event", "O~2~ second", "N~2~ third"]},
            {"type": "essay", "prompt": "CO~2~ in essay", "rubric": ["CO~2~ in rubric"]},
        ]},
    }
    text = yaml.safe_dump(fields, allow_unicode=True)
    lesson = lesson_of(text, "every-field")
    html = render_html(plan(lesson, "teacher", PlanContext()), load_style("classic"), "letter")
    wanted = set(re.findall(r"CO~2~ in ([\w ]+)", text))
    assert len(wanted) == 29
    assert wanted - set(re.findall(r"CO<sub>2</sub> in ([\w ]+)", html)) == set()
    assert "~" not in re.sub(r"<[^>]*>", "", html.split("<body", 1)[1])  # no mark is printed as a character


def test_answer_keys_and_titles_print_formulas_as_plain_text_that_reads_right():
    assert flat(inline("H~2~O and x^2^ + 10^(n)^")) == "H₂O and x² + 10⁽ⁿ⁾"
    assert flat(inline("m^-2^ and x~i~")) == "m^-2 and x_i"  # the fonts have no raised minus: a caret says it


# -- callouts and quotes ------------------------------------------------------------------------------------


def test_callouts_are_read_from_githubs_alert_syntax():
    labels, _ = labels_for("en")
    parsed = blocks("Before.\n\n> [!WARNING] Safety *first*\n> Lamps get hot.\n>\n> - Goggles on.\n\n"
                    "> [!tip]\n> Count twice.\n\n> [!CAUTION]\n\n> [!DANGER] Boom\n> Run.\n\n"
                    "> Not [!NOTE] at the start.\n\n> > [!NOTE] inside a quote\n", labels)
    kinds = [(b.kind, b.callout) for b in parsed]
    assert kinds == [("paragraph", ""), ("callout", "warning"), ("callout", "tip"), ("callout", "caution"),
                     ("quote", ""), ("quote", ""), ("quote", "")]
    warning, tip, caution = parsed[1:4]
    assert plain(warning.title) == "Warning: Safety first" and any(s.em for s in warning.title)
    assert [(b.kind, plain(b.spans) or [plain(i) for i in b.items]) for b in warning.body] == [
        ("paragraph", "Lamps get hot."), ("bullets", ["Goggles on."])]
    assert plain(tip.title) == "Tip" and [plain(b.spans) for b in tip.body] == ["Count twice."]
    assert plain(caution.title) == "Caution" and caution.body == ()  # a label alone is a callout too
    assert plain(parsed[4].spans).startswith("[!DANGER] Boom")  # not a kind: an ordinary quote, as GitHub prints it
    # Every kind has its label in every catalogue.
    for language in ("en", "es"):
        catalogue, _ = labels_for(language)
        assert all(catalogue[f"callout_{kind}"] for kind in CALLOUTS)
    assert plain(blocks("> [!WARNING]\n> x", labels_for("es")[0])[0].title) == "Advertencia"


def test_quotes_that_are_not_prose_are_set_upright():
    def upright(markdown: str) -> bool:
        (quote,) = blocks(markdown)
        assert quote.kind == "quote"
        return quote.upright

    assert not upright("> We shall fight on the beaches.")
    assert not upright("> “Is it true?” she asked…")
    assert upright("> 6CO~2~ + 6H~2~O → C~6~H~12~O~6~ + 6O~2~")  # a formula
    assert upright("> E = mc^2^")
    assert upright("> Shall I compare thee to a summer’s day?\\\n> Thou art more lovely and more temperate.")  # verse
    assert upright("> The woods are lovely, dark and deep")  # a line of verse that ends no sentence
    assert upright("> a > b")
    assert is_prose(inline("It rained all day.")) and not is_prose(inline("x = 2."))


def test_a_callout_in_the_reading_is_not_a_numbered_paragraph(outputs):
    h = outputs["callouts", "student"][0]
    shown = [(n, b.kind, b.callout) for n, b in h.reading.paragraphs]
    assert shown == [(1, "paragraph", ""), (0, "callout", "warning"), (0, "callout", "tip"), (2, "paragraph", "")]
    assert len(set(h.reading.anchors)) == 4 and h.reading.anchors[1].endswith("-callout-1")


def test_key_terms_are_bolded_in_a_callout_and_bold_at_counts_numbered_paragraphs():
    text = ("title: Lamps\nreading:\n  text: |\n    Lamps give light.\n\n    > [!WARNING]\n    > A hot bulb burns.\n\n"
            "    A bulb is glass.\nkey_terms:\n  - {term: bulb, definition: the glass part of a lamp}\n"
            "  - {term: glass, definition: a hard clear material, bold_at: 2}\n")
    h = plan(lesson_of(text, "lamps"), "student", PlanContext())
    (_, first), (_, callout), (_, last) = h.reading.paragraphs
    assert [s.text for b in callout.body for s in b.spans if s.role == "term"] == ["bulb"]  # where students meet it
    assert [s.text for s in last.spans if s.role == "term"] == ["glass"]  # paragraph 2 is the one after the callout
    for written, at in ((text, 3), (text.replace("    A bulb", "    ![A lamp](images/lamp.png)\n\n    A bulb"), 3)):
        doc = parse_yaml(written.replace("bold_at: 2", f"bold_at: {at}").encode(), SourceMap("lamps.yaml"))
        _, problems = validate_lesson(doc.data, doc.source)  # neither a callout nor a picture is a paragraph
        # the message says where the term is (as for any bold_at), counted as the handout numbers paragraphs
        assert [(p.message, p.hint) for p in problems if "bold_at" in p.message] == [
            ('key_terms[1].bold_at: the reading has 2 paragraphs, not 3; "glass" first appears in paragraph 2',
             "write bold_at: 2 to bold its first use, or another paragraph that contains it, or leave bold_at out; "
             "paragraphs are counted as the handout numbers them (pictures and callouts are not counted)")]


def test_check_warns_about_a_quote_that_is_not_a_callout_and_a_callout_outside_a_block(run, tmp_path):
    lesson = ("title: Callouts gone wrong\nobjectives: [Spot a callout]\nreading:\n  text: |\n    A paragraph.\n\n"
              "    > [!DANGER] Boom\n    > Careful.\nprompts:\n  - \"> [!NOTE] Think first.\"\n"
              "worksheet:\n  items:\n    - {type: true_false, prompt: Lamps get hot., answer: true}\n")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "bad.yaml").write_text(lesson, encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert ('lessons/bad.yaml:7:7: warning: reading.text: "[!DANGER]" is not a kind of callout, so this quote is '
            "printed as a quote, with [!DANGER] in it") in result.output
    assert "hint: write one of [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], [!CAUTION]" in result.output
    assert ("lessons/bad.yaml:10:8: warning: prompts[0]: a callout ([!NOTE]) can only stand in a Markdown block; "
            "here it is printed as written") in result.output
    assert "1 lesson checked: 0 errors, 2 warnings" in result.output


# -- the PDF -------------------------------------------------------------------------------------------------


def _baseline(char: dict) -> float:
    """Where a character sits: its baseline, from the page's foot (the text matrix's translation)."""
    return char["matrix"][5]


def _after(chars: list[dict], text: str) -> list[tuple[dict, dict]]:
    """The last character of each place ``text`` is spelt out by consecutive characters, and the one after it."""
    s = "".join(c["text"] for c in chars)
    return [(chars[m.end() - 1], chars[m.end()]) for m in re.finditer(re.escape(text), s) if m.end() < len(chars)]


def _frames(page) -> list[tuple[float, float, float, float]]:
    """The frames drawn on a page: a rule all round a box, which WeasyPrint draws as a filled rectangle with
    another, about one rule's width smaller, cut out of it."""
    rects = [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects]
    return [outer for outer in rects for inner in rects
            if all(0.3 < d < 1.6 for d in (inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2],
                                            outer[3] - inner[3]))]


def _inside(box, char) -> bool:
    return box[0] <= char["x0"] and box[1] <= char["top"] and char["x1"] <= box[2] and char["bottom"] <= box[3]


def test_pdf_sets_sub_and_superscripts_smaller_lowered_and_raised_with_even_lines(outputs):
    _, pdf, _ = outputs["formulas", "student"]
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    subs = [(base, sub) for base, sub in _after(chars, "CO") + _after(chars, "N") if sub["text"] == "2"]
    assert len(subs) == 3  # CO₂, N₂ and the equation's 6CO₂
    for base, sub in subs:
        assert base["size"] == pytest.approx(BODY, abs=0.1)
        assert sub["size"] < BODY * 0.8 and _baseline(sub) < _baseline(base) - 1, sub  # smaller, lowered
    sups = [(base, sup) for base, sup in _after(chars, "10") if sup["text"] == "5"]
    assert len(sups) == 2
    for base, sup in sups:
        assert sup["size"] < BODY * 0.8 and _baseline(sup) > _baseline(base) + 2, sup  # smaller, raised
    # The paragraph's lines stay evenly spaced: a raised or lowered figure adds nothing to its line's height.
    first = next(c for c in chars if c["text"] == "P" and "Serif" in c["fontname"])
    end = max(c["bottom"] for c in chars if c["text"] == "N" and "Serif" in c["fontname"])
    lines = sorted({round(_baseline(c), 1) for c in chars if abs(c["size"] - BODY) < 0.1
                    and first["top"] - 1 <= c["top"] <= end})
    assert len(lines) >= 3
    gaps = [round(a - b, 1) for a, b in zip(lines[1:], lines)]
    assert max(gaps) - min(gaps) <= 0.2, gaps
    # A struck-out sentence has a rule through the middle of its letters.
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        word = next(w for w in page.extract_words() if w["text"] == "Oxygen")
        rules = [r for r in page.rects + page.lines if r["bottom"] - r["top"] < 1.5
                 and word["top"] + 2 < r["top"] < word["bottom"] - 2 and r["x0"] <= word["x0"] + 1]
    assert rules, word


def test_pdf_reads_a_formula_as_whole_words(outputs):
    """H₂O is one word to a reader of the PDF: the raised or lowered figure is drawn in the text's order."""
    _, pdf, _ = outputs["formulas", "student"]
    text = pdf_text(pdf)
    assert "co2" in words(text) and "o2" in words(text) and "105" in words(text)
    assert "6co2" in words(text) and "c6h12o6" in words(text)


def test_pdf_quote_that_is_a_formula_is_upright_and_prose_is_not_changed(outputs):
    _, pdf, _ = outputs["formulas", "student"]
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    arrow = next(c for c in chars if c["text"] == "→")
    line = [c for c in chars if abs(c["top"] - arrow["top"]) < 3 and c["text"].strip()]
    assert not any("Italic" in c["fontname"] for c in line), {c["fontname"] for c in line}


def test_pdf_callout_is_framed_with_its_label_in_bold_and_no_number(outputs):
    _, pdf, _ = outputs["callouts", "student"]
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        chars, frames = page.chars, _frames(page)
        words_ = page.extract_words(extra_attrs=["fontname", "size"])

    def word(text: str) -> dict:
        return next(w for w in words_ if w["text"] == text)

    warning, tip = word("Warning:"), word("Tip")
    assert "Bold" in warning["fontname"] and "Bold" in tip["fontname"] and "Bold" in word("Safety")["fontname"]
    inside = {text: [f for f in frames if _inside(f, word(text))] for text in
              ("Warning:", "Lamps", "plug.", "pondweed.", "Tip", "Count", "Pondweed", "photosynthesizes.")}
    first = inside["Warning:"]
    assert first and all(inside[t] == first for t in ("Lamps", "plug.", "pondweed."))  # one frame round it all
    assert inside["Tip"] and inside["Tip"] == inside["Count"] and inside["Tip"] != first  # a frame of its own
    assert not inside["Pondweed"] and not inside["photosynthesizes."]  # the paragraphs are outside
    # The reading's numbers are 1 and 2: the callouts between them have none.
    numbers = [c["text"] for c in chars if c["x1"] < warning["x0"] - 2 and c["text"].isdigit()]
    assert numbers == ["1", "2"]


def test_pdf_blank_numbers_are_boxed_and_unlike_the_superscripts_beside_them(outputs):
    _, pdf, _ = outputs["blanks", "student"]
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "First," in p.extract_text())
        chars, frames, found = page.chars, _frames(page), page.extract_words()
    first = next(w for w in found if w["text"] == "First,")
    end = next(w for w in found if w["text"] == "oxygen." and w["top"] >= first["top"])
    text = [c for c in chars if first["top"] - 4 <= c["top"] and c["bottom"] <= end["bottom"] + 4]
    marks = [c for c in text if "Serif" in c["fontname"] and c["size"] < BODY * 0.8]  # 5², 12², H₂O
    numbers = [c for c in text if "Sans" in c["fontname"]]
    assert [c["text"] for c in marks] == ["2", "2", "2"] and [c["text"] for c in numbers] == ["1", "2", "3"]
    small = [f for f in frames if f[2] - f[0] < 15 and f[3] - f[1] < 15]
    for number in numbers:  # each blank's number in a small box of its own
        assert sum(_inside(f, number) for f in small) == 1, number
    for mark in marks:  # a superscript or subscript stands free, in the text's face
        assert not any(_inside(f, mark) for f in small), mark


def test_pdf_and_docx_print_the_same_words(outputs):
    for (name, edition), (h, pdf, docx_file) in outputs.items():
        d = Docx(docx_file.read_bytes())
        assert_same_words(body_words(pdf_text(pdf)), body_words(d.body_text()), f"{name} {edition}")
        if h.answer_key:
            assert pdf_tables(pdf)[-1] == d.tables()[-1]


def test_answer_key_prints_formulas_in_both_formats(outputs):
    # The key's answers are rich text: both formats lower H₂O's 2 and raise x²'s as the text does (read back, a
    # plain 2), while the model's plain answer keeps Unicode's ₂ and ² for what prints no styling.
    for name, answer, drawn in (("formulas", "A — H₂O", "A — H2O"), ("blanks", "x²", "x2")):
        h, pdf, docx_file = outputs[name, "teacher"]
        assert answer in [row.answer for row in h.answer_key.rows]
        assert drawn in [row[2] for row in Docx(docx_file.read_bytes()).tables()[-1]]
        assert drawn in [row[2] for row in pdf_tables(pdf)[-1]]
        key = docx.Document(str(docx_file)).tables[-1]
        raised = [r for row in key.rows for p in row.cells[2].paragraphs for r in p.runs
                  if r.font.subscript or r.font.superscript]
        assert [r.text for r in raised] == ["2"]


# -- the Word document ---------------------------------------------------------------------------------------


def _runs(d: Docx):
    for p in d.doc.paragraphs:
        for r in p.runs:
            rpr = r._r.rPr
            align = rpr.find(qn("w:vertAlign")) if rpr is not None else None
            yield p, r, align.get(qn("w:val")) if align is not None else None


def test_docx_runs_are_subscript_superscript_and_struck_out(outputs):
    d = Docx(outputs["formulas", "student"][2].read_bytes())
    marked = [(r.text, align) for _, r, align in _runs(d) if align]
    assert ("2", "subscript") in marked and ("5", "superscript") in marked and ("-2", "superscript") in marked
    assert [t for t, a in marked if a == "subscript"].count("2") >= 4  # CO₂, O₂, N₂, and the equation's
    struck = [r.text for _, r, _ in _runs(d) if r.font.strike]
    assert struck == ["Oxygen is the most common gas in the air."]
    # Nothing else is moved: the text around a subscript is on the line.
    assert all(r.text in ("2", "5", "-2", "6", "12") for _, r, align in _runs(d) if align)


def test_docx_blank_numbers_are_boxed_on_the_line_and_superscripts_are_not(outputs):
    d = Docx(outputs["blanks", "student"][2].read_bytes())
    fill = next(p for p in d.doc.paragraphs if p.text.startswith("First,"))
    kinds = [(r.text, r.style.name if r._r.rPr is not None and r._r.rPr.find(qn("w:rStyle")) is not None else None,
              align) for p, r, align in _runs(d) if p._p is fill._p and r.text.strip()]
    numbers = [k for k in kinds if k[1] == S.BLANK_NUMBER]
    assert [n[0] for n in numbers] == ["1", "2", "3"] and all(n[2] is None for n in numbers)
    assert [k[0] for k in kinds if k[2] == "superscript"] == ["2", "2"]
    style = d.doc.styles[S.BLANK_NUMBER].element.find(qn("w:rPr"))
    assert style.find(qn("w:bdr")) is not None and style.find(qn("w:vertAlign")) is None  # boxed, on the line


def test_docx_callouts_are_framed_paragraphs_in_named_styles_never_numbered(outputs):
    d = Docx(outputs["callouts", "student"][2].read_bytes())
    paras = d.doc.paragraphs
    styled = [(p.style.name, p.text) for p in paras if p.style.name.startswith("LP Callout")]
    assert styled == [
        (S.CALLOUT_TITLE, "Warning: Safety"), (S.CALLOUT, "Lamps get hot: do not touch the bulb."),
        (S.CALLOUT_LIST, "\t\u2022\tKeep water away from the plug."),
        (S.CALLOUT_LIST, "\t\u2022\tWash your hands after handling the pondweed."),
        (S.CALLOUT_GAP, ""),  # two callouts in a row: two frames, not one
        (S.CALLOUT_TITLE, "Tip"), (S.CALLOUT, "Count the bubbles for one minute, then do it again.")]
    for p in paras:
        if p.style.name.startswith("LP Callout"):
            assert p._p.pPr.find(qn("w:numPr")) is None
            assert all(r.style.name != S.PARA_NUMBER for r in p.runs if r._r.rPr is not None
                       and r._r.rPr.find(qn("w:rStyle")) is not None)
    numbered = [r.text for p in paras for r in p.runs if r._r.rPr is not None
                and r._r.rPr.find(qn("w:rStyle")) is not None and r.style.name == S.PARA_NUMBER]
    assert numbered == ["1", "2"]
    for name in (S.CALLOUT, S.CALLOUT_TITLE, S.CALLOUT_LIST):  # one frame: the same rule on each side of each
        borders = d.doc.styles[name].element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        resolved = borders if borders is not None else d.doc.styles[S.CALLOUT].element.find(
            f"{qn('w:pPr')}/{qn('w:pBdr')}")
        assert {b.tag.split("}")[1] for b in resolved} == {"top", "left", "bottom", "right"}
    title = d.doc.styles[S.CALLOUT_TITLE].element.find(f"{qn('w:rPr')}/{qn('w:b')}")
    assert title is not None  # the label is bold: a greyscale copy keeps it


def test_docx_callouts_in_a_source_and_in_the_teachers_notes(outputs):
    d = Docx(outputs["blanks", "teacher"][2].read_bytes())
    # every paragraph in order, table cells included: a source is drawn in a one-cell table, its frame
    titles = [p.text for p in d.styled(S.CALLOUT_TITLE)]
    assert titles == ["Important", "Note: Units"]


def test_docx_quote_that_is_a_formula_is_upright():
    style = load_style("classic")
    lesson = lesson_of(doc_example("formulas.yaml"), "formulas")
    d = Docx(render_docx(plan(lesson, "student", PlanContext()), style, "letter"))
    quote = next(p for p in d.doc.paragraphs if "→" in p.text)
    assert quote.style.name == S.READING_QUOTE_UPRIGHT
    assert d.doc.styles[S.READING_QUOTE_UPRIGHT].font.italic is False  # against LP Reading Quote's italics
    assert d.doc.styles[S.READING_QUOTE].font.italic is True


@pytest.mark.libreoffice
def test_libreoffice_draws_one_frame_round_each_callout(outputs, tmp_path):
    """Word and LibreOffice draw one frame round neighbouring paragraphs with the same border: a callout's
    paragraphs share one, and two callouts in a row keep two (LP Callout Gap between them)."""
    docx_file = tmp_path / "callouts.docx"
    docx_file.write_bytes(outputs["callouts", "student"][2].read_bytes())
    (pdf,) = libreoffice_to_pdf([docx_file], tmp_path)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        found = page.extract_words()
        top = next(w for w in found if w["text"] == "Warning:")["top"]
        tip = next(w for w in found if w["text"] == "Tip")["top"]
        end = max(w["top"] for w in found if w["text"] == "photosynthesizes.")  # the paragraph after them
        rules = sorted({round(e["top"]) for e in page.edges if e["orientation"] == "h"
                        and top - 12 < e["top"] < end and e["x1"] - e["x0"] > page.width / 2})
    assert len(rules) == 4, rules  # the top and bottom of two frames
    assert rules[0] < top < rules[1] < rules[2] < tip < rules[3] < end  # Warning in one, Tip in the other


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_word_documents_marks_back(outputs):
    markdown = subprocess.run(["pandoc", "-f", "docx", "-t", "markdown", "--wrap=none",
                               str(outputs["formulas", "teacher"][2])],
                              check=True, capture_output=True, text=True, timeout=120).stdout
    for marked in ("CO~2~", "O~2~", "10^5^", "N m^-2^", "~~Oxygen is the most common gas in the air.~~",
                   "6CO~2~ + 6H~2~O → C~6~H~12~O~6~ + 6O~2~", "H~2~O"):
        assert marked in markdown, marked


# -- marks and formulas together ------------------------------------------------------------------------------

MIXED = """title: Marks and formulas
objectives: [Read marks and formulas side by side]
reading:
  text: |
    CO~2~ and $x^2$ and ~~old~~ words.

    > The area is $x^2$ square metres.
"""


def formula_alts(pdf: Path) -> list[str]:
    """The alternative text of every Formula in the PDF's tag tree, in the tree's order."""
    found = []
    with pikepdf.open(pdf) as doc:
        todo = [doc.Root.StructTreeRoot]
        while todo:
            kids = todo.pop(0).get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.S == "/Formula":
                        found.append(str(kid.get("/Alt", "")))
                    todo.append(kid)
    return found


def test_sub_and_superscripts_formulas_and_strike_print_side_by_side_in_pdf_and_word(tmp_path):
    """A subscript, a formula and struck-out words in one line each print as themselves: the formula's $ and ^
    are not a superscript's, the subscript's tildes not a strike's; and a quote that holds a formula is upright."""
    style = load_style("classic")
    h = plan(lesson_of(MIXED, "mixed"), "student", PlanContext("Hill School", Geometry.of(style.tokens, "letter")))
    (_, line), (_, quote) = h.reading.paragraphs
    assert [(s.text, s.sub, s.math, s.strike) for s in line.spans] == [
        ("CO", False, "", False), ("2", True, "", False), (" and ", False, "", False), ("x^2", False, "inline", False),
        (" and ", False, "", False), ("old", False, "", True), (" words.", False, "", False)]
    assert quote.kind == "quote" and quote.upright
    pdf, docx_file = tmp_path / "mixed.pdf", tmp_path / "mixed.docx"
    pdf.write_bytes(render_pdf(h, style, "letter", pack_root=tmp_path))
    docx_file.write_bytes(render_docx(h, style, "letter"))

    # The PDF: CO₂ with a smaller, lowered 2; the formula drawn (as curves) between the two "and"s, tagged with
    # its TeX; a rule through "old"; no mark printed as a character; the quote with its formula set upright.
    assert formula_alts(pdf) == ["x^2", "x^2"]
    assert not set("$^~") & set(pdf_text(pdf))
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        chars, found = page.chars, page.extract_words(extra_attrs=["fontname"])
        curves, rules = page.curves, page.rects + page.lines
    ((base, sub),) = [(a, b) for a, b in _after(chars, "CO") if b["text"] == "2"]
    assert sub["size"] < BODY * 0.8 and _baseline(sub) < _baseline(base) - 1
    first, second = [w for w in found if w["text"] == "and" and abs(w["top"] - base["top"]) < 3]
    drawn = [c for c in curves if first["x1"] < c["x0"] and c["x1"] < second["x0"]]
    assert drawn and all(base["top"] - 4 < c["top"] and c["bottom"] < base["bottom"] + 4 for c in drawn)
    old = next(w for w in found if w["text"] == "old")
    assert [r for r in rules if r["bottom"] - r["top"] < 1.5 and old["top"] + 2 < r["top"] < old["bottom"] - 2
            and r["x0"] <= old["x0"] + 1 and r["x1"] >= old["x1"] - 1], old
    area = next(w for w in found if w["text"] == "area")
    quoted = [w for w in found if abs(w["top"] - area["top"]) < 3 and w["x0"] > page.width / 10]
    assert len(quoted) >= 4 and not any("Italic" in w["fontname"] for w in quoted), quoted
    assert [c for c in curves if abs(c["top"] - area["top"]) < 6 and c["x0"] > area["x1"]]  # its formula

    # Word: the runs in order, a real subscript, an equation (x with a superscript 2) and a real strikethrough.
    d = Docx(docx_file.read_bytes())
    (para,) = [p for p in d.styled(S.READING) if "CO" in p.text]
    math = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
    parts = []
    for el in para.el:
        if el.tag == qn("w:r"):
            props = el.find(qn("w:rPr"))
            align = props.find(qn("w:vertAlign")) if props is not None else None
            parts.append(("".join(t.text or "" for t in el.iter(qn("w:t"))),
                          align.get(qn("w:val")) if align is not None else "",
                          props is not None and props.find(qn("w:strike")) is not None))
        elif el.tag == f"{math}oMath":
            parts.append(("".join(t.text or "" for t in el.iter(f"{math}t")), "equation",
                          el.find(f".//{math}sSup") is not None))
    assert parts[2:] == [("CO", "", False), ("2", "subscript", False), (" and ", "", False), ("x2", "equation", True),
                         (" and ", "", False), ("old", "", True), (" words.", "", False)]  # after its number and tab
    (upright,) = d.styled(S.READING_QUOTE_UPRIGHT)
    assert upright.text.endswith("The area is  square metres.")  # the equation is no run of text
    assert upright.el.find(f"{math}oMath") is not None
    if shutil.which("pandoc"):  # and a reader of Word documents finds each mark where it was written
        markdown = subprocess.run(["pandoc", "-f", "docx", "-t", "markdown", "--wrap=none", str(docx_file)],
                                  check=True, capture_output=True, text=True, timeout=120).stdout
        assert "CO~2~ and $x^{2}$ and ~~old~~ words." in markdown
        assert "The area is $x^{2}$ square metres." in markdown
