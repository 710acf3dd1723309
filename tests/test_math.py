"""Mathematics in lessons: $…$ and $$…$$ in every text field, drawn as vector formulas in the PDF (tagged as
Formulas, on the text's baseline, inside the frame) and as Word equations (read back by pandoc, converted by
LibreOffice); money in dollars stays text; a formula that cannot be drawn is a check error at its place and
nothing is built. The lessons and messages are docs/lesson-format.md's own examples."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import REPO, libreoffice_to_pdf, snapshot
from invariants import Frame, words_inside_the_frame

from lessonpack.render.html import formulas, rich
from lessonpack.render.sanitize import clean_document
from lessonpack.styles.geometry import Geometry
from lessonpack.styles.loader import load_style
from lessonpack.text import maths
from lessonpack.text.richtext import formulas_in, inline, mark, plain

DOCS = REPO / "docs" / "lesson-format.md"


def doc_example(name: str) -> str:
    """A code block of docs/lesson-format.md, by the name in the comment before it."""
    found = re.search(rf"<!-- example: {re.escape(name)} -->\n```[a-z]*\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    assert found, f"docs/lesson-format.md has no example {name}"
    return found.group(1)


def doc_table(marker: str) -> list[list[str]]:
    """The code spans of each row of the table after ``<!-- marker -->`` in docs/lesson-format.md."""
    text = DOCS.read_text("utf-8").split(f"<!-- {marker} -->\n", 1)[1]
    rows = []
    for line in text.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append(re.findall(r"`([^`]+)`", line))
    assert rows, f"no table after <!-- {marker} -->"
    return rows


def pack_with(tmp_path: Path, name: str, lesson: str) -> Path:
    (tmp_path / "lessonpack.yaml").write_text("title: Mathematics\n", encoding="utf-8")
    (tmp_path / "lessons").mkdir(exist_ok=True)
    (tmp_path / "lessons" / name).write_text(lesson, encoding="utf-8")
    return tmp_path


# -- finding formulas ---------------------------------------------------------------------------------------------


def test_every_formula_in_the_docs_table_is_found_and_drawn():
    for row in doc_table("formulas"):
        for written in row:
            found = formulas_in(written)
            assert found, f"{written!r} holds no formula"
            for tex, display in found:
                assert maths.problem(tex, display) is None, (written, maths.problem(tex, display))
                assert maths.drawing(tex, display).width > 0
                assert "<m:oMath" in maths.omml(tex, display)


def test_dollars_that_are_money_stay_text_as_the_docs_say():
    rows = doc_table("not formulas")
    assert len(rows) >= 3
    for row in rows:
        written = row[0]
        spans = inline(written)
        assert not any(span.math for span in spans), written
        assert "$" in plain(spans), written


def test_the_dollar_rules_are_pandocs():
    def kinds(text):
        return [(span.text, span.math) for span in inline(text) if span.math]

    assert kinds("Solve $x^2 = 4$ for $x$.") == [("x^2 = 4", "inline"), ("x", "inline")]
    assert kinds("Area: $$A = \\pi r^2$$ in square units") == [("A = \\pi r^2", "display")]
    assert kinds("costs $5 and $10") == []  # the closing $ has a space before it
    assert kinds("$5/$6") == []  # the closing $ has a digit after it
    assert kinds("$ x $") == []  # spaces inside
    assert kinds("a \\$5 note and $y$") == [("y", "inline")]
    assert plain(inline("a \\$5 note")) == "a $5 note"
    assert kinds("`$x$` is code") == []
    # A formula is one span of its own, never merged with the text around it, and a key term found inside its
    # TeX does not cut it.
    text = inline("the gradient $\\text{gradient}$ here")
    marked = mark(text, 0, len(plain(text)), strong=True, role="term")
    assert [s.text for s in marked if s.math] == ["\\text{gradient}"] and all(
        not s.math or s.role is None for s in marked)


BAD = [
    ("\\frac{a}{b", "1 { is never closed"),
    ("a}", "a } closes a group that was never opened"),
    ("\\frac{a}", "a command is missing a part"),
    ("x^", "latex2mathml cannot read it: a ^ or _ has nothing after it"),
    ("\\left( x", "latex2mathml cannot read it: a \\left has no \\right"),
    ("\\foo + 1", "\\foo is not a command lessonpack knows"),
    ("\\ce{H2O}", "\\ce is not a command lessonpack knows"),
    ("50%", "a % starts a comment in TeX"),
    ("a & b", "an & stands outside a table"),
    ("\\end{pmatrix}", "\\end{pmatrix} does not close"),
    ("\\begin{pmatrix}1\\end{bmatrix}", "\\end{bmatrix} does not close"),
    ("\\begin{gathered}x\\end{gathered}", "the environment 'gathered' is not one lessonpack can draw"),
    ("\\newcommand{\\a}{\\a\\a}\\a", "\\newcommand defines a command"),
    ("x" * 2001, "the limit for one formula is 2,000"),
]


@pytest.mark.parametrize("tex, reason", BAD)
def test_a_formula_that_cannot_be_drawn_says_why(tex, reason):
    found = maths.problem(tex)
    assert found is not None and reason in found.reason, (tex, found and found.reason)
    assert found.hint
    with pytest.raises(maths.FormulaProblem):
        maths.omml(tex)


def test_signs_and_aligned_lines_are_set_as_tex_sets_them():
    assert '<mo form="prefix">−</mo>' in maths.mathml("y = -x + 3")
    assert '<mo>−</mo>' in maths.mathml("a - b")  # an operation keeps its spaces
    word = maths.omml("\\begin{aligned} 2x &= 8 \\\\ x &= 4 \\end{aligned}", True)
    assert word.count('<m:mcJc m:val="right"') == 1 and word.count('<m:mcJc m:val="left"') == 1
    root = maths.omml("c = \\sqrt{a^{2} + b^{2}}")
    assert '<m:degHide m:val="1"' in root and "<m:deg />" in root  # the degree Word's schema asks for
    assert 'm:val="i"' not in root  # italic is a maths run's own style


# -- the HTML: only lessonpack's own SVG ----------------------------------------------------------------------


def test_a_formula_is_an_inline_svg_sized_in_ems_on_the_baseline():
    html = clean_document(f"<!DOCTYPE html><html><body><p>{rich(inline('so $x_{1}$ is'))}</p></body></html>",
                          formulas=formulas())
    svg = re.search(r"<svg[^>]*>", html).group(0)
    drawn = maths.drawing("x_{1}")
    assert f"width: {drawn.width:.4f}em" in svg and f"height: {drawn.height:.4f}em" in svg
    assert f"vertical-align: {-drawn.depth:.4f}em" in svg and drawn.depth > 0  # the subscript hangs below
    assert "<title>x_{1}</title>" in html


def test_the_sanitiser_lets_through_no_svg_but_lessonpacks():
    hostile = ('<p><svg onload="fetch(1)"><script>alert(1)</script></svg>'
               '<span data-lessonpack-math="inline"><svg><script>steal()</script></svg><img src=x onerror=y>'
               'x^2</span><span data-lessonpack-math="display">\\unknown</span>'
               '<math><mi>x</mi></math></p>')
    html = clean_document(f"<!DOCTYPE html><html><body>{hostile}</body></html>", formulas=formulas())
    assert "<script" not in html and "onload" not in html and "onerror" not in html and "<math" not in html
    # The first span's text (its TeX, as a template could write it) is drawn by lessonpack; the second cannot be
    # drawn and stays text.
    assert html.count("<svg") == 1 and 'class="formula"' in html
    assert "alert" not in html.split("<svg", 1)[0]
    assert ">\\unknown</span>" in html


# -- check: a positioned error, and nothing built --------------------------------------------------------------


def test_a_bad_formula_is_a_check_error_at_its_place_and_nothing_is_built(run, tmp_path):
    pack = pack_with(tmp_path, "fractions.yaml", doc_example("fractions.yaml"))
    expected = doc_example("fractions-check").strip()
    before = snapshot(pack)
    result = run("check", str(pack), cwd=pack)
    assert result.exit_code == 1
    assert expected in result.output.replace(str(pack) + "/", "")
    built = run("build", str(pack), "-f", "pdf", "-f", "docx", cwd=pack)
    assert built.exit_code == 1 and "1 { is never closed" in built.output
    assert snapshot(pack) == before


def test_a_backslash_spoiled_by_double_quotes_is_an_error(run, tmp_path):
    pack = pack_with(tmp_path, "q.yaml", 'title: Q\nworksheet:\n  items:\n'
                                         '    - type: short_answer\n      prompt: "Work out $3 \\times 4$."\n')
    result = run("check", str(pack), cwd=pack)
    assert result.exit_code == 1
    assert "q.yaml:5:" in result.output
    assert "YAML read \\t as a tab" in result.output and "single quotes" in result.output


def test_the_docs_lesson_passes_check_strict(run, tmp_path):
    pack = pack_with(tmp_path, "pythagoras.yaml", doc_example("maths-lesson.yaml"))
    result = run("check", "--strict", str(pack), cwd=pack)
    assert result.exit_code == 0, result.output


# -- built: the PDF and the Word document ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The docs' lesson and the mathematics example built to PDF (classic and large print) and Word."""
    from lessonpack.building.builder import build

    root = tmp_path_factory.mktemp("maths")
    pack_with(root, "pythagoras.yaml", doc_example("maths-lesson.yaml"))
    out = {}
    for style in ("classic", "large-print"):
        result = build(root, out_dir=root / style, formats=["pdf", "docx"], editions=["student", "teacher"],
                       style=style, paper="a4", with_pack=False)
        assert result.ok, result.failed
        out[style] = root / style / "pythagoras"
    return root, out


def _structure(pdf: Path) -> list[tuple[str, str, list[float]]]:
    found = []
    with pikepdf.open(pdf) as doc:
        todo = [doc.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            kids = node.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    box = [float(v) for v in kid.get("/A", {}).get("/BBox", [])] if "/A" in kid else []
                    found.append((str(kid.S), str(kid.get("/Alt", "")), box))
                    todo.append(kid)
    return found


def _lesson_formulas() -> set[str]:
    import yaml

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for inner in value.values():
                yield from strings(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from strings(inner)

    data = yaml.safe_load(doc_example("maths-lesson.yaml"))
    return {tex for text in strings(data) for tex, _ in formulas_in(text)}


@pytest.mark.slow
def test_every_formula_is_a_tagged_formula_with_its_tex_as_alt_text(built):
    _, out = built
    structure = _structure(out["classic"] / "pythagoras-teacher.pdf")
    alts = {alt for kind, alt, _ in structure if kind == "/Formula"}
    assert alts == _lesson_formulas()
    assert all(alt for kind, alt, _ in structure if kind == "/Formula")
    assert not [alt for kind, alt, _ in structure if kind == "/Figure" and "lessonpack:" in alt]


@pytest.mark.slow
def test_formulas_print_inside_the_frame_and_money_stays_text(built):
    _, out = built
    for style in ("classic", "large-print"):
        pdf = out[style] / "pythagoras-teacher.pdf"
        geometry = Geometry.of(load_style(style).tokens, "a4")
        frame = Frame.of(geometry)
        assert words_inside_the_frame(pdf, frame) == []
        with pdfplumber.open(pdf) as doc:
            text = "".join(page.extract_text() for page in doc.pages)
            for page in doc.pages:
                for curve in page.curves:
                    assert frame.left - 1 <= curve["x0"] and curve["x1"] <= frame.right + 1, (style, curve["x0"])
        assert "The ramp cost $400 and the rail $250." in text.replace("\n", " ")
        assert "$" not in text.replace("$400", "").replace("$250", "")


@pytest.mark.slow
def test_large_print_draws_formulas_larger(built):
    _, out = built
    sizes = {}
    for style in ("classic", "large-print"):
        boxes = [box for kind, alt, box in _structure(out[style] / "pythagoras-student.pdf")
                 if kind == "/Formula" and alt == "c = \\sqrt{a^{2} + b^{2}}"]
        assert boxes, style
        sizes[style] = boxes[0][3] - boxes[0][1]
    assert sizes["large-print"] > sizes["classic"] * 1.2


@pytest.mark.slow
def test_an_inline_formula_sits_on_the_texts_baseline(tmp_path):
    from lessonpack.building.builder import build

    pack = pack_with(tmp_path, "line.yaml", "title: Baseline\nreading:\n  text: |\n"
                                            "    Then the value $x$ is the answer.\n")
    assert build(pack, out_dir=pack / "out", formats=["pdf"], editions=["student"], with_pack=False).ok
    with pdfplumber.open(pack / "out" / "line" / "line-student.pdf") as doc:
        page = doc.pages[0]
        then = next(c for c in page.chars if c["text"] == "T" and c["size"] < 14)
        baseline = page.height - then["matrix"][5]
        near = [c for c in page.curves if abs(c["bottom"] - baseline) < then["size"]]
        assert near, "no formula drawn on the line"
        assert abs(max(c["bottom"] for c in near) - baseline) < 1.0
        assert all(c["x0"] > then["x0"] for c in near)


def _without_spacing(tex: str) -> str:
    tex = re.sub(r"\\[,;:!]|\\quad|\\qquad", "", tex)
    return re.sub(r"\s+", "", tex)


@pytest.mark.slow
def test_word_holds_each_formula_as_an_equation_pandoc_reads_back(built):
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    _, out = built
    docx = out["classic"] / "pythagoras-teacher.docx"
    latex = subprocess.run(["pandoc", "-f", "docx", "-t", "latex", str(docx)], check=True, capture_output=True,
                           text=True).stdout
    back = {_without_spacing(m) for m in re.findall(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", latex, re.S) for m in m if m}
    assert {_without_spacing(tex) for tex in _lesson_formulas()} <= back
    assert "\\[c = \\sqrt{a^{2} + b^{2}}\\]" in latex  # displayed stays displayed
    assert "\\$400" in latex and "\\$250" in latex  # money stays text
    import zipfile

    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert len(re.findall(r"<m:oMathPara[ >]", xml)) == 1 and xml.count("<m:oMath>") + xml.count("<m:oMath ") >= len(
        _lesson_formulas())


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_converts_the_word_document(built, tmp_path):
    _, out = built
    files = []
    for style in ("classic", "large-print"):
        copy = tmp_path / f"{style}.docx"
        shutil.copyfile(out[style] / "pythagoras-teacher.docx", copy)
        files.append(copy)
    for pdf in libreoffice_to_pdf(files, tmp_path):
        with pdfplumber.open(pdf) as doc:
            text = "".join(page.extract_text() for page in doc.pages)
        assert "hypotenuse" in text and "$400" in text


def test_the_mathematics_example_writes_its_formulas_as_tex():
    lesson = (REPO / "examples" / "mathematics" / "lessons" / "straight-line-graphs.yaml").read_text("utf-8")
    assert len(formulas_in(lesson)) >= 40 and "$3 plus $2" in lesson


def test_the_yaml_pitfall_about_backslashes_is_as_the_docs_say(run, tmp_path):
    row = next(line for line in DOCS.read_text("utf-8").splitlines() if "starts a YAML escape" in line)
    _, wrong, right, *_ = re.findall(r"`([^`]+)`", row)
    for written, code in ((wrong, 1), (right, 0)):
        lesson = f"title: Q\nworksheet:\n  items:\n    - type: short_answer\n      {written}\n"
        pack = pack_with(tmp_path, "q.yaml", lesson)
        result = run("check", str(pack), cwd=pack)
        assert result.exit_code == code, (written, result.output)
