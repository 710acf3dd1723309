"""Styles that come from Word and from each other, and builds in another style that keep to their own folder.

An editor's restyle of the reference document (made here with python-docx, as Word would save it) reaches the
Word document and the PDF; a style may be a reference.docx alone; what cannot carry is a warning naming it;
``extends:`` chains, overrides and circles; ``lessonpack styles --style`` shows where each token came from; a
build in another style or paper writes into ``dist/<style>.<paper>/`` and ``clean`` knows it.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.enum.dml import MSO_THEME_COLOR
from docx.shared import Pt, RGBColor

from hostile.packs import write

# Each test builds real files (a minute or more on two cores in all): make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

LESSON = """title: The Soviet Union under Stalin
objectives:
  - Explain how Stalin rose to power.
reading:
  text: After Lenin died, the kulaks resisted collectivization.
worksheet:
  instructions: Answer every question.
  items:
    - type: true_false
      prompt: Lenin named Stalin as his successor.
      answer: false
    - type: multiple_choice
      prompt: Who led the Soviet Union after Lenin?
      choices: [Stalin, Trotsky, Kamenev]
      answer: Stalin
"""

GREEN = "008000"


def make_pack(tmp: Path, style: str | None = None) -> Path:
    pack = tmp / "pack"
    write(pack / "lessons/stalin.yaml", LESSON)
    write(pack / "lessonpack.yaml", "title: Test Unit\n" + (f"style: {style}\n" if style else ""))
    return pack


def reference(run, pack: Path, style: str = "classic") -> docx.document.Document:
    """The reference document `lessonpack reference-docx` writes, opened as an editor's Word would."""
    out = pack.parent / f"reference-{style}.docx"
    result = run("reference-docx", "--style", style, "-o", str(out), "--pack", str(pack), cwd=pack)
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def restyled(run, pack: Path) -> docx.document.Document:
    """An editor's restyle: LP Question in Source Serif Pro at 13 pt with 40 pt before it, Heading 1 green, the
    body (Normal) in the other bundled family, Source Sans Pro."""
    d = reference(run, pack)
    question = d.styles["LP Question"]
    question.font.name = "Source Serif Pro"
    question.font.size = Pt(13)
    question.paragraph_format.space_before = Pt(40)
    d.styles["Heading 1"].font.color.rgb = RGBColor.from_string(GREEN)
    d.styles["Normal"].font.name = "Source Sans Pro"
    return d


def save(document: docx.document.Document, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def chars(pdf: Path, needle: str) -> list[dict]:
    """The characters on page 1 that print the first ``needle`` found in its text."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        starts, text = [], ""
        for c in page.chars:  # a glyph may stand for more than one character (a ligature)
            starts.append(len(text))
            text += c["text"]
        at = text.index(needle)
        return [c for start, c in zip(starts, page.chars) if at <= start < at + len(needle)]


def fonts_of(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def color(char: dict) -> str:
    return "".join(f"{round(v * 255):02x}" for v in char["non_stroking_color"])


@pytest.mark.slow
def test_a_word_restyle_reaches_the_word_document_and_the_pdf(run, tmp_path):
    pack = make_pack(tmp_path, "mine")
    save(restyled(run, pack), pack / "styles/mine/reference.docx")  # alone: no style.yaml, no handout.css
    result = run("build", "-j", "1", cwd=pack)
    assert result.exit_code == 0, result.output

    # The Word document: the editor's styles, as python-docx reads them back.
    word = docx.Document(str(pack / "dist/stalin/stalin-student.docx"))
    assert word.styles["LP Question"].font.name == "Source Serif Pro"
    assert word.styles["LP Question"].font.size == Pt(13)
    assert word.styles["LP Question"].paragraph_format.space_before == Pt(40)
    assert str(word.styles["Heading 1"].font.color.rgb) == GREEN
    assert word.styles["Normal"].font.name == "Source Sans Pro"
    prompt = next(p for p in word.paragraphs if "Lenin named Stalin" in p.text)
    assert prompt.style.name == "LP Question"

    # The PDF: the same faces, size and colour.
    pdf = pack / "dist/stalin/stalin-student.pdf"
    assert "Source-Serif-Pro" in fonts_of(pdf) and "Source-Sans-Pro" in fonts_of(pdf)
    question = chars(pdf, "Lenin named Stalin")
    assert all("Source-Serif-Pro" in c["fontname"] and round(c["size"], 1) == 13.0 for c in question)
    reading = chars(pdf, "the kulaks resisted")
    assert all("Source-Sans-Pro" in c["fontname"] and round(c["size"], 1) == 11.0 for c in reading)
    heading = chars(pdf, "Worksheet")
    assert {color(c) for c in heading} == {GREEN}
    title = chars(pdf, "The Soviet Union")
    assert {color(c) for c in title} == {"1f3a5f"}  # Title was not restyled: the accent stays

    # Spacing: 40 pt before each question, against classic's few millimetres.
    def gap(folder: Path) -> float:
        first, second = chars(folder, "Lenin named")[0], chars(folder, "Who led")[0]
        return second["top"] - first["top"]

    plain = make_pack(tmp_path / "plain")
    assert run("build", "-j", "1", "-f", "pdf", "-e", "student", cwd=plain).exit_code == 0
    assert gap(pdf) - gap(plain / "dist/stalin/stalin-student.pdf") > 20


def test_a_reference_docx_alone_is_a_style_and_styles_shows_where_tokens_came_from(run, tmp_path):
    pack = make_pack(tmp_path, "mine")
    save(restyled(run, pack), pack / "styles/mine/reference.docx")
    listed = run("styles", cwd=pack)
    assert listed.exit_code == 0, listed.output
    assert any(line.startswith("mine ") and "pack" in line and "Word styles from styles/mine/reference.docx" in line
               for line in listed.output.splitlines()), listed.output

    shown = run("styles", "--style", "mine", cwd=pack)
    assert shown.exit_code == 0, shown.output
    rows = {line.split()[0]: line for line in shown.output.splitlines() if line.startswith("  ")}
    assert rows["elements.question.size"].split()[1] == "13.0"
    assert rows["elements.question.size"].endswith('styles/mine/reference.docx, Word style "LP Question"')
    assert rows["elements.question.space_before"].split()[1] == "40pt"
    assert rows["elements.heading1.color"].split()[1] == "#008000"
    assert rows["elements.heading1.color"].endswith('Word style "Heading 1"')  # where the editor changed it
    assert rows["fonts.word_body"].endswith('styles/mine/reference.docx, Word style "Normal"')
    assert rows["size"].split()[1:] == ["11.0", "default"]
    assert "elements.title.color" not in rows  # what the editor left alone is not a token

    checked = run("check", cwd=pack)
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output.replace("no-objectives", ""), checked.output  # nothing dropped


def _with_parts(source: Path, target: Path, *, extra: dict[str, bytes], body_xml: str | None = None) -> None:
    """``source`` with ``extra`` entries added and, given ``body_xml``, that put at the start of its body."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if body_xml and info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body_xml.encode(), 1)
            new.writestr(info, data)
        for name, data in extra.items():
            new.writestr(name, data)


def test_what_a_reference_cannot_carry_is_a_warning_naming_it(run, tmp_path):
    pack = make_pack(tmp_path, "mine")
    d = reference(run, pack)
    d.styles["LP Question"].font.underline = True  # no token for it
    d.styles["Heading 2"].font.color.theme_color = MSO_THEME_COLOR.ACCENT_2  # not an RGB colour
    d.save(tmp_path / "edited.docx")
    sdt = ('<w:sdt><w:sdtPr><w:alias w:val="School name"/><w:tag w:val="school"/></w:sdtPr>'
           '<w:sdtContent><w:p><w:r><w:t>Our school</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    _with_parts(tmp_path / "edited.docx", write(pack / "styles/mine/reference.docx", b""),
                extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}, body_xml=sdt)
    result = run("check", cwd=pack)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("styles/mine/reference.docx: warning: reference document: a macro project (word/vbaProject.bin); "
            "macros are never copied or run") in lines, result.output
    assert ("styles/mine/reference.docx: warning: reference document: 1 content control (w:sdt) (School name, "
            "school); a handout's content comes from the lesson file, so they are never copied") in lines
    assert ('styles/mine/reference.docx: warning: Word style "LP Question" sets underline (w:u), which lessonpack '
            "does not carry to the PDF") in lines
    assert ('styles/mine/reference.docx: warning: Word style "Heading 2" sets a colour from the theme (accent2), '
            "which lessonpack does not carry to the PDF") in lines
    build = run("build", "-j", "1", "-f", "docx", cwd=pack)
    assert build.exit_code == 0
    assert build.output.count("word/vbaProject.bin") == 1  # said by the build too, once
    with zipfile.ZipFile(pack / "dist/stalin/stalin-student.docx") as made:
        assert not any("vbaProject" in name for name in made.namelist())


def test_a_folder_in_styles_that_is_not_a_style_is_a_warning(run, tmp_path):
    pack = make_pack(tmp_path)
    write(pack / "styles/school/handout.css", "h2 { color: red; }\n")
    result = run("check", cwd=pack)
    assert ("styles/school: warning: styles/school is not a style: it has neither a style.yaml nor a reference.docx, "
            "so lessonpack does not use it") in result.output.splitlines(), result.output


def _chain(run, pack: Path) -> None:
    """mid extends classic (size 12, line height 1.6, its Word styles with Heading 1 green, instructions in blue);
    top extends mid (size 13, its own instructions colour) and has no reference.docx of its own."""
    write(pack / "styles/mid/style.yaml", "extends: classic\nsize: 12\nline_height: 1.6\n")
    write(pack / "styles/mid/handout.css", ".instructions { color: #0000aa; letter-spacing: 1pt; }\n")
    d = reference(run, pack)
    d.styles["Heading 1"].font.color.rgb = RGBColor.from_string(GREEN)
    save(d, pack / "styles/mid/reference.docx")
    write(pack / "styles/top/style.yaml", "description: Ours.\nextends: mid\nsize: 13\n")
    write(pack / "styles/top/handout.css", ".instructions { color: #aa0000; }\n")


def test_extends_inherits_tokens_css_and_word_styles_and_the_child_wins(run, tmp_path):
    pack = make_pack(tmp_path, "top")
    _chain(run, pack)
    shown = run("styles", "--style", "top", cwd=pack)
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0] == "top (pack, styles/top): top → mid → classic"
    rows = {line.split()[0]: line for line in shown.output.splitlines() if line.startswith("  ")}
    assert rows["size"].split()[1:] == ["13.0", "styles/top/style.yaml:3"]
    assert rows["line_height"].split()[1:] == ["1.6", "inherited", "from", "mid", "(styles/mid/style.yaml:3)"]
    assert rows["elements.heading1.color"].endswith(
        'inherited from mid (styles/mid/reference.docx, Word style "Heading 1")')
    assert rows["colors.accent"].split()[2:5] == ["inherited", "from", "mid"]
    assert "classic/style.yaml:12" in rows["colors.accent"]  # mid inherited it from classic

    html = run("build", "-j", "1", "-f", "html", "-e", "student", cwd=pack)
    assert html.exit_code == 0, html.output
    text = (pack / "dist/stalin/stalin-student.html").read_text(encoding="utf-8")
    assert text.index("color: #0000aa") < text.index("color: #aa0000")  # the parent's rules first, then the child's
    assert "h2 { color: #008000; }" in text  # from mid's Word styles


@pytest.mark.slow
def test_extends_reaches_the_pdf_and_the_word_document(run, tmp_path):
    pack = make_pack(tmp_path, "top")
    _chain(run, pack)
    result = run("build", "-j", "1", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    pdf = pack / "dist/stalin/stalin-student.pdf"
    assert {round(c["size"], 1) for c in chars(pdf, "the kulaks resisted")} == {13.0}  # top's size
    assert {color(c) for c in chars(pdf, "Answer every question")} == {"aa0000"}  # top's rule over mid's
    assert {color(c) for c in chars(pdf, "Worksheet")} == {GREEN}  # mid's Word styles
    word = docx.Document(str(pack / "dist/stalin/stalin-student.docx"))
    assert str(word.styles["Heading 1"].font.color.rgb) == GREEN  # mid's reference.docx, top having none
    assert word.styles["Normal"].font.size == Pt(13)  # top's style.yaml wins over the reference it inherits


def test_style_yaml_wins_over_its_reference_docx(run, tmp_path):
    pack = make_pack(tmp_path, "mine")
    save(restyled(run, pack), pack / "styles/mine/reference.docx")
    write(pack / "styles/mine/style.yaml", "elements:\n  question: {size: 15, color: \"#333399\"}\n")
    shown = run("styles", "--style", "mine", cwd=pack)
    rows = {line.split()[0]: line for line in shown.output.splitlines() if line.startswith("  ")}
    assert rows["elements.question.size"].split()[1:] == ["15.0", "styles/mine/style.yaml:2"]
    assert rows["elements.question.font"].endswith('Word style "LP Question"')  # the rest from Word
    assert run("build", "-j", "1", "-f", "docx", "-e", "student", cwd=pack).exit_code == 0
    word = docx.Document(str(pack / "dist/stalin/stalin-student.docx"))
    assert word.styles["LP Question"].font.size == Pt(15)
    assert str(word.styles["LP Question"].font.color.rgb) == "333399"
    assert word.styles["LP Question"].font.name == "Source Serif Pro"


def test_extends_circles_and_unknown_parents_are_positioned_errors(run, tmp_path):
    pack = make_pack(tmp_path, "a")
    write(pack / "styles/a/style.yaml", "description: A\nextends: b\n")
    write(pack / "styles/b/style.yaml", "extends: a\n")
    before = sorted(p.name for p in pack.rglob("*"))
    result = run("check", cwd=pack)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "styles/b/style.yaml:1:10: error: extends: a → b → a is a circle; a style cannot extend itself, "
        "directly or through other styles",
        "    hint: remove extends: from one of them (a, b)"], result.output
    assert run("build", cwd=pack).exit_code == 1
    assert sorted(p.name for p in pack.rglob("*")) == before  # a refused build writes nothing

    write(pack / "styles/a/style.yaml", "extends: a\n")
    result = run("check", cwd=pack)
    assert "styles/a/style.yaml:1:10: error: extends: a → a is a circle; a style cannot extend itself, directly or " \
           "through other styles" in result.output.splitlines(), result.output

    write(pack / "styles/a/style.yaml", "size: 12\nextends: clasic\n")
    result = run("check", cwd=pack)
    assert result.output.splitlines()[:2] == [
        'styles/a/style.yaml:2:10: error: extends: no style named "clasic"; did you mean "classic"?',
        "    hint: available: b, classic, large-print"], result.output


def test_a_pack_style_may_extend_the_built_in_style_it_replaces(run, tmp_path):
    pack = make_pack(tmp_path)
    write(pack / "styles/classic/style.yaml", "extends: classic\ncolors: {accent: \"#006400\"}\n")
    shown = run("styles", "--style", "classic", cwd=pack)
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0] == "classic (pack, styles/classic): classic → classic"
    rows = {line.split()[0]: line for line in shown.output.splitlines() if line.startswith("  ")}
    assert rows["colors.accent"].split()[1:] == ["#006400", "styles/classic/style.yaml:2"]
    assert "inherited from classic" in rows["writing_line"]
    html = run("build", "-j", "1", "-f", "html", "-e", "student", cwd=pack)
    assert html.exit_code == 0, html.output
    text = (pack / "dist/stalin/stalin-student.html").read_text(encoding="utf-8")
    assert "--accent: #006400" in text and ".glossary { background: var(--shade); }" in text  # built-in CSS kept


@pytest.mark.slow
def test_a_variant_build_has_its_own_folder_and_clean_knows_it(run, tmp_path):
    pack = make_pack(tmp_path)
    assert run("build", "-j", "1", cwd=pack).exit_code == 0
    dist = pack / "dist"
    default = {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()
               and not p.name.startswith(".")}
    assert sorted(default) == ["stalin/stalin-student.docx", "stalin/stalin-student.pdf",
                               "stalin/stalin-teacher.docx", "stalin/stalin-teacher.pdf"]

    result = run("build", "-j", "1", "--style", "large-print", "--paper", "a4", cwd=pack)
    assert result.exit_code == 0, result.output
    assert "written   dist/large-print.a4/stalin/stalin-student.pdf" in result.output.splitlines()
    for name, data in default.items():
        assert (dist / name).read_bytes() == data, name  # the pack's own handouts are untouched
    variant = dist / "large-print.a4/stalin/stalin-student.pdf"
    with pdfplumber.open(variant) as doc:
        assert (round(doc.pages[0].width), round(doc.pages[0].height)) == (595, 842)  # A4
    assert {round(c["size"]) for c in chars(variant, "the kulaks resisted")} == {16}  # large print
    assert run("build", "-j", "1", "--paper", "a4", "-f", "docx", cwd=pack).exit_code == 0
    assert (dist / "classic.a4/stalin/stalin-student.docx").is_file()  # only the paper differs: still its own
    assert run("build", "-j", "1", "--style", "classic", "--paper", "letter", cwd=pack).output.count("unchanged")

    (pack / "lessons/stalin.yaml").rename(pack / "lessons/stalin-two.yaml")
    result = run("clean", cwd=pack)
    assert result.exit_code == 0, result.output
    assert "removed dist/stalin/stalin-student.pdf" in result.output.splitlines()
    assert "removed dist/large-print.a4/stalin/stalin-student.pdf" in result.output.splitlines()
    assert "removed dist/classic.a4/stalin/stalin-student.docx" in result.output.splitlines()
    assert not [p for p in dist.rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_a_variant_folder_that_is_a_link_is_refused(run, tmp_path):
    pack = make_pack(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (pack / "dist").mkdir()
    (pack / "dist/large-print.a4").symlink_to(elsewhere)
    result = run("build", "-j", "1", "--style", "large-print", "--paper", "a4", cwd=pack)
    assert result.exit_code == 1
    assert "lessonpack writes a variant's handouts only into a folder of its own" in result.output
    assert not any(elsewhere.iterdir())


def test_an_output_folder_named_with_o_is_used_as_it_is(run, tmp_path):
    pack = make_pack(tmp_path)
    result = run("build", "-j", "1", "-f", "docx", "-e", "student", "--style", "large-print", "-o", "big", cwd=pack)
    assert result.exit_code == 0, result.output
    assert (pack / "big/stalin/stalin-student.docx").is_file()
    assert not (pack / "big/large-print.letter").exists() and not (pack / "dist").exists()


def test_element_looks_written_in_style_yaml_reach_both_formats(run, tmp_path):
    pack = make_pack(tmp_path, "school")
    write(pack / "styles/school/style.yaml", 'extends: classic\nelements:\n  choice: {color: "#123456", size: 12}\n'
                                             "  heading1: {rule_width: 0}\n")
    result = run("build", "-j", "1", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    word = docx.Document(str(pack / "dist/stalin/stalin-student.docx"))
    choice = word.styles["LP Choice"]
    assert str(choice.font.color.rgb) == "123456" and choice.font.size == Pt(12)
    assert choice.paragraph_format.line_spacing == Pt(round(12 * 1.4, 1))  # its line grows with its size
    bottom = word.styles["LP Heading 1"].element.find(
        ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bottom")
    assert bottom is not None and bottom.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "nil"
    pdf = pack / "dist/stalin/stalin-student.pdf"
    assert {color(c) for c in chars(pdf, "Trotsky")} == {"123456"}
    assert {round(c["size"], 1) for c in chars(pdf, "Trotsky")} == {12.0}
    with pdfplumber.open(pdf) as doc:  # no rule under the section headings
        page = doc.pages[0]
        heading = chars(pdf, "Worksheet")[0]
        under = [r for r in page.rects + page.lines
                 if heading["bottom"] - 1 < r["top"] < heading["bottom"] + 8 and r["width"] > 100]
        assert not under, under


def test_a_changed_lp_style_the_pdf_does_not_follow_is_a_warning_naming_it(run, tmp_path):
    pack = make_pack(tmp_path, "mine")
    d = restyled(run, pack)  # Normal's face changed too: the styles based on it are not "changed" for that
    d.styles["LP Meta"].font.color.rgb = RGBColor.from_string("010203")
    save(d, pack / "styles/mine/reference.docx")
    result = run("check", cwd=pack)
    assert result.exit_code == 0, result.output
    assert ('styles/mine/reference.docx: warning: Word style "LP Meta" differs from lessonpack\'s; the Word documents '
            "use it, but the PDF keeps its own look for it (lessonpack carries Normal, Title, Heading 1–3, "
            "LP Question, LP Choice, LP Reading and LP Instructions to the PDF)") in result.output.splitlines(), \
        result.output
    assert result.output.count("warning:") == 1 + result.output.count("[no-")


@pytest.mark.slow
def test_a_restyle_saved_again_by_libreoffice_reads_the_same(run, tmp_path):
    """An editor who restyles in LibreOffice: it writes out properties a style inherits (before="0", w:start, an
    explicit left alignment…); the tokens are the same as from the document python-docx saved, and nothing warns."""
    pack = make_pack(tmp_path, "mine")
    edited = tmp_path / "edited" / "reference.docx"
    save(restyled(run, pack), edited)
    out = tmp_path / "saved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "docx", "--outdir", str(out), str(edited)], check=True, capture_output=True, timeout=180)
    write(pack / "styles/mine/reference.docx", (out / "reference.docx").read_bytes())
    shown = run("styles", "--style", "mine", cwd=pack)
    assert shown.exit_code == 0, shown.output
    rows = {line.split()[0]: line.split()[1] for line in shown.output.splitlines()
            if line.startswith("  ") and "reference.docx" in line}
    assert rows == {"fonts.body": "Source", "fonts.word_body": "Source", "elements.heading1.color": "#008000",
                    "elements.question.font": "Source", "elements.question.size": "13.0",
                    "elements.question.space_before": "40pt"}, shown.output
    assert "warning" not in shown.output
