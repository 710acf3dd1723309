"""The school's letterhead in both formats, and fonts that travel: bundled glyphs, fonts inside the Word document,
a pack's own fonts, and the missing-glyph check. Every test reads back real built files."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import UNIT_LESSON
from hostile.packs import copy_style, link, write

from lessonpack.styles.fonts import BUNDLED, SYMBOLS, face_files

# Each test builds real files (a minute or more on two cores in all): make test-heavy, which CI runs too.
pytestmark = pytest.mark.slow

LESSON = UNIT_LESSON.format(n=1, extra="")
TITLE = "Lesson 1: The Interwar Years, part 1"

LETTERHEAD = """school: Hillside Academy
teacher: Ms Rivera
letterhead:
  logo: images/logo.png
  text: "Hillside Academy\\n12 Orchard Road, Leeds"
  header: "{school} · {edition}"
  footer: "{title} · {teacher} · page {page} of {pages}"
"""


def _png(width: int = 160, height: int = 80) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 60, 120)).save(out, "PNG")
    return out.getvalue()


def _pack(folder: Path, settings: str = LETTERHEAD, lesson: str = LESSON) -> Path:
    write(folder / "lessonpack.yaml", settings)
    write(folder / "lessons" / "lesson-1.yaml", lesson)
    write(folder / "images" / "logo.png", _png())
    return folder


def _pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def _parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist()}


def _words(xml: bytes) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml.decode("utf-8")))


@pytest.fixture(scope="module")
def letterhead_build(tmp_path_factory):
    """A pack with a letterhead built as PDF and Word, both editions."""
    from click.testing import CliRunner

    from lessonpack.apps.cli import cli

    folder = _pack(tmp_path_factory.mktemp("letterhead") / "pack")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, ["build", "-f", "pdf", "-f", "docx"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return folder / "dist" / "lesson-1"


# -- the letterhead ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_letterhead_prints_in_the_pdf_logo_on_page_one_header_and_footer_on_every_page(letterhead_build):
    import pdfplumber

    pdf = letterhead_build / "lesson-1-student.pdf"
    with pdfplumber.open(pdf) as doc:
        images = [len(page.images) for page in doc.pages]
        first_top = min(w["top"] for w in doc.pages[0].extract_words() if w["text"] == "Hillside")
    assert images[0] == 1 and not any(images[1:]), images  # the logo, on the first page only
    pages = _pages_text(pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        # The placeholders filled in: the lesson's title, the pack's teacher, the page's number and the count.
        assert f"{TITLE} · Ms Rivera · page {number} of {len(pages)}" in flat, (number, flat[-200:])
        assert "Hillside Academy · Student edition" in flat
        assert "{" not in flat
    assert "12 Orchard Road, Leeds" in pages[0] and "12 Orchard Road" not in "".join(pages[1:])
    assert first_top < 100  # the school's lines at the top of the first page
    # The footer numbers the pages itself: no second "Page 1 of N" from the running text.
    assert not re.search(r"\bPage \d+ of \d+", " ".join(pages[0].split()))


@pytest.mark.slow
def test_the_letterhead_prints_in_the_word_document_logo_in_the_first_page_header(letterhead_build):
    parts = _parts(letterhead_build / "lesson-1-teacher.docx")
    headers = {name: xml for name, xml in parts.items() if re.fullmatch(r"word/header\d+\.xml", name)}
    footers = {name: xml for name, xml in parts.items() if re.fullmatch(r"word/footer\d+\.xml", name)}
    with_logo = [name for name, xml in headers.items() if b"<a:blip" in xml]
    assert len(with_logo) == 1
    rels = parts[with_logo[0].replace("word/", "word/_rels/") + ".rels"].decode()
    media = re.search(r'Target="(media/[^"]+)"', rels).group(1)
    assert parts[f"word/{media}"] == _png()  # the pack's own picture
    assert "Hillside Academy" in _words(headers[with_logo[0]]) and "12 Orchard Road, Leeds" in _words(
        headers[with_logo[0]])
    assert b"w:titlePg" in parts["word/document.xml"]  # the first page has its own header
    for xml in headers.values():  # every page's header: the school and the edition
        assert "Hillside Academy · Teacher edition" in _words(xml)
    assert len(footers) == 2  # the first page's and the others'
    for xml in footers.values():
        assert f"{TITLE} · Ms Rivera · page " in _words(xml)
        assert b'w:instr=" PAGE "' in xml and b'w:instr=" NUMPAGES "' in xml


def test_an_unknown_placeholder_is_an_error_where_it_is_written(run, tmp_path):
    settings = LETTERHEAD.replace("page {page} of {pages}", "page {pgae} of {pages}")
    _pack(tmp_path, settings)
    result = run("check")
    assert result.exit_code == 1
    line = settings.splitlines().index(next(s for s in settings.splitlines() if "{pgae}" in s)) + 1
    col = settings.splitlines()[line - 1].index("{pgae}") + 1
    assert (f"lessonpack.yaml:{line}:{col}: error: letterhead: footer: {{pgae}} is not a placeholder lessonpack "
            "knows; did you mean {page}?\n"
            "    hint: use {page}, {pages}, {title}, {teacher}, {date}, {school} or {edition}") in result.output
    assert not (tmp_path / "dist").exists()


def test_the_logo_is_read_through_the_pack_file_guard(run, tmp_path):
    outside = write(tmp_path / "elsewhere" / "logo.png", _png())
    pack = _pack(tmp_path / "pack")
    (pack / "images" / "logo.png").unlink()
    link(pack / "images" / "logo.png", outside)
    result = run("check", cwd=pack)
    assert result.exit_code == 1
    assert re.search(r"lessonpack\.yaml:4:9: error: letterhead: logo: \"images/logo\.png\": .*outside the pack",
                     result.output), result.output


def test_a_logo_that_is_not_a_picture_is_refused(run, tmp_path):
    pack = _pack(tmp_path)
    write(pack / "images" / "logo.png", "<html>not a picture</html>")
    result = run("check", cwd=pack)
    assert result.exit_code == 1
    assert ('lessonpack.yaml:4:9: error: letterhead: logo: "images/logo.png" is not a PNG, JPEG, GIF, WebP or SVG '
            "image") in result.output


def test_a_style_gives_its_letterhead_and_the_pack_its_own_over_it(tmp_path):
    from lessonpack.building.jobs import resolve
    from lessonpack.handout import PlanContext, plan
    from lessonpack.load.pack import load_pack

    pack = _pack(tmp_path, "style: school\nschool: Hillside Academy\n")
    folder = copy_style(pack, "school")
    write(folder / "badge.png", _png(40, 40))
    with (folder / "style.yaml").open("a", encoding="utf-8") as f:
        f.write('letterhead:\n  logo: badge.png\n  footer: "{school}: {date}"\n')
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01
    try:
        loaded = load_pack(pack)
        settings = resolve(loaded)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert settings.letterhead is not None and settings.letterhead.logo.path == (folder / "badge.png").resolve()
    handout = plan(loaded.lessons[0], "student", PlanContext(letterhead=settings.letterhead))
    assert [p.text for p in handout.letterhead.footer] == ["Hillside Academy: 2026-01-01"]
    assert handout.running.footer_left == "" and handout.running.page_numbers  # "Page X of Y" stays
    # lessonpack.yaml's letterhead is used instead of the style's.
    write(pack / "lessonpack.yaml", "style: school\nletterhead:\n  footer: Ours\n")
    assert resolve(load_pack(pack)).letterhead.footer == "Ours"


def _reference_with_header(path: Path, *, table: bool = False) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(_png(90, 45)))
    header.add_run(" Riverside School")
    footer = section.footer.paragraphs[0]
    footer.add_run("Riverside · page ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    if table:
        section.footer.add_table(1, 2, section.page_width)
    document.save(path)


@pytest.mark.slow
def test_a_header_footer_and_logo_made_in_reference_docx_reach_both_formats(run, tmp_path):
    import pdfplumber

    pack = _pack(tmp_path, "style: school\n")
    folder = copy_style(pack, "school")
    _reference_with_header(folder / "reference.docx", table=True)
    result = run("build", "-f", "pdf", "-f", "docx", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    assert ("warning: styles/school/reference.docx: the PDF prints the table in its footer as text, without its "
            "columns (the Word documents keep it as made)") in result.output
    out = pack / "dist" / "lesson-1"
    with pdfplumber.open(out / "lesson-1-student.pdf") as doc:
        assert len(doc.pages[0].images) == 1
    pages = _pages_text(out / "lesson-1-student.pdf")
    for number, text in enumerate(pages, start=1):
        assert f"Riverside · page {number}" in " ".join(text.split())
        assert "Riverside School" in text
    parts = _parts(out / "lesson-1-student.docx")
    assert any(b"<a:blip" in xml for name, xml in parts.items() if name.startswith("word/header"))
    assert all("Riverside · page" in _words(xml) for name, xml in parts.items()
               if re.fullmatch(r"word/footer\d+\.xml", name))


def test_without_a_letterhead_nothing_changes(tmp_path):
    from lessonpack.building.jobs import resolve
    from lessonpack.load.pack import load_pack

    pack = _pack(tmp_path, "school: Hillside Academy\n")
    assert resolve(load_pack(pack)).letterhead is None


# -- fonts that travel ------------------------------------------------------------------------------


def _no_fonts_env(folder: Path, *, minimal: bool = False) -> dict[str, str]:
    """An environment whose fontconfig knows no font at all (or, ``minimal``, one monospaced font that is none of
    the families lessonpack names: LibreOffice will not start without a font)."""
    fonts = folder / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    if minimal:
        mono = next((p for p in Path("/usr/share/fonts").rglob("DejaVuSansMono.ttf")), None)
        if mono is None:
            pytest.skip("no DejaVu Sans Mono to give LibreOffice its one font")
        shutil.copyfile(mono, fonts / mono.name)
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{fonts}</dir>'
                    f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(folder)}


def _build(pack: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "lessonpack", "build", *args], cwd=pack, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_teacher_editions_check_mark_comes_from_a_bundled_font_on_a_machine_without_fonts(tmp_path):
    pack = _pack(tmp_path / "pack", "school: Hillside Academy\n")
    _build(pack, _no_fonts_env(tmp_path / "env"), "-f", "pdf", "-e", "teacher")
    pdf = pack / "dist" / "lesson-1" / "lesson-1-teacher.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0].split("+", 1)[-1] for line in fonts.splitlines()[2:]]
    assert any(n.startswith("DejaVu-Sans-LP") for n in names), names  # the bundled symbols, by their own name
    assert all(re.match(r"(Source-Serif-Pro|Source-Sans-Pro|DejaVu-Sans)-LP", n) for n in names), names
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "\u2714" in text  # the ✔ is there, as a character the font has
    import pdfplumber

    with pdfplumber.open(pdf) as doc:  # no glyph is drawn as the font's .notdef (an empty box)
        chars = [c for page in doc.pages for c in page.chars]
    marks = [c for c in chars if c["text"] == "\u2714"]
    assert marks and all("DejaVu-Sans-LP" in c["fontname"] for c in marks)
    assert not [c for c in chars if c["text"] in ("", "\ufffd")]


def test_every_glyph_lessonpack_prints_is_in_a_bundled_font():
    from fontTools.ttLib import TTFont

    import yaml

    from lessonpack.version import DATA

    regular = face_files(SYMBOLS)[("normal", "normal")]
    symbols = set(TTFont(str(regular)).getBestCmap())
    serif = set(TTFont(str(face_files("Source Serif Pro")[("normal", "normal")])).getBestCmap())
    sans = set(TTFont(str(face_files("Source Sans Pro")[("normal", "normal")])).getBestCmap())
    printed = "\u2714\u2610\u2605\u2192\u2190\u2191\u2193\u2460\u2461\u2462\u2022\u00b7\u2013\u2014"
    assert not [ch for ch in printed if ord(ch) not in symbols | serif]
    for code in ("en", "es", "fr", "de", "pt", "it"):  # every label language's own words
        text = "".join(str(v) for v in yaml.safe_load((DATA / "labels" / f"{code}.yaml").read_text("utf-8")).values())
        assert not [ch for ch in text if not ch.isspace() and ord(ch) not in serif & sans | symbols], code


def test_the_word_document_embeds_its_fonts_obfuscated_and_embed_fonts_false_turns_it_off(tmp_path):
    from lessonpack.render.docx.fonts import obfuscate

    from click.testing import CliRunner

    from lessonpack.apps.cli import cli

    pack = _pack(tmp_path / "on", "school: Hillside Academy\n")
    off = _pack(tmp_path / "off", "school: Hillside Academy\nembed_fonts: false\n")
    for folder in (pack, off):
        os.chdir(folder)
        result = CliRunner().invoke(cli, ["build", "-f", "docx", "-e", "student"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    parts = _parts(pack / "dist" / "lesson-1" / "lesson-1-student.docx")
    table = parts["word/fontTable.xml"].decode()
    rels = parts["word/_rels/fontTable.xml.rels"].decode()
    assert "<w:embedTrueTypeFonts/>" in parts["word/settings.xml"].decode()
    assert 'obfuscatedFont' in parts["[Content_Types].xml"].decode()
    checked = 0
    for family in ("Source Serif Pro", "Source Sans Pro"):
        entry = re.search(rf'<w:font w:name="{family}">(.*?)</w:font>', table).group(1)
        for element, face in (("embedRegular", ("normal", "normal")), ("embedBold", ("bold", "normal")),
                              ("embedItalic", ("normal", "italic")), ("embedBoldItalic", ("bold", "italic"))):
            rid, key = re.search(rf'<w:{element} r:id="(rId\d+)" w:fontKey="(\{{[0-9A-F-]{{36}}\}})"/>',
                                 entry).groups()
            target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
            name = "word/" + (target.group(1) or target.group(2))
            assert name.startswith("word/fonts/") and name.endswith(".odttf")
            assert parts[name][:32] != face_files(family)[face].read_bytes()[:32]  # obfuscated…
            assert obfuscate(parts[name], key) == face_files(family)[face].read_bytes()  # …with its key
            checked += 1
    assert checked == 8
    plain = _parts(off / "dist" / "lesson-1" / "lesson-1-student.docx")
    assert not [n for n in plain if n.startswith("word/fonts/")]
    assert "w:embedRegular" not in plain["word/fontTable.xml"].decode()
    assert "embedTrueTypeFonts" not in plain["word/settings.xml"].decode()


def test_obfuscation_follows_the_standard_key_order():
    """ECMA-376 Part 1 §17.8.1: the key's bytes are the GUID's hex digits read from its end."""
    from lessonpack.render.docx.fonts import obfuscate

    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    data = bytes(64)
    out = obfuscate(data, key)
    assert out[:16] == bytes.fromhex("FFEEDDCCBBAA99887766554433221100") == out[16:32]
    assert out[32:] == bytes(32)


@pytest.mark.libreoffice
def test_libreoffice_without_the_fonts_prints_the_check_mark_from_the_font_inside_the_word_document(tmp_path):
    """The teacher edition's ✔ is set in the bundled symbols font, carried inside the document: LibreOffice on a
    machine whose one font has a ✔ of its own (DejaVu Sans Mono) still prints the document's."""
    import pdfplumber

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pack = _pack(tmp_path / "pack", "school: Hillside Academy\n")
    env = _no_fonts_env(tmp_path / "env", minimal=True)
    _build(pack, env, "-f", "docx", "-e", "teacher")
    docx = pack / "dist" / "lesson-1" / "lesson-1-teacher.docx"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(docx)], check=True,
                   capture_output=True, timeout=300, env=env)
    with pdfplumber.open(tmp_path / "lo" / "lesson-1-teacher.pdf") as doc:
        chars = [c for page in doc.pages for c in page.chars]
    marks = [c for c in chars if c["text"] == "\u2714"]
    assert len(marks) == 2, len(marks)  # the multiple-choice answer and the true/false one
    assert all(re.search(r"DejaVuSans(?!Mono)", c["fontname"].replace("-", "")) for c in marks), \
        {c["fontname"] for c in marks}


@pytest.mark.libreoffice
def test_the_symbols_subset_never_stands_in_for_a_missing_font(tmp_path):
    """A reference.docx whose title is set in its theme's font (Word's default template), which this machine
    lacks: LibreOffice sets that title in a font of the machine, never in the few symbols the document carries
    (they would print as empty boxes); the subset sets the ✔ alone."""
    import docx
    import pdfplumber

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pack = _pack(tmp_path / "pack", "style: school\n")
    folder = copy_style(pack, "school")
    docx.Document().save(folder / "reference.docx")  # its Title and headings name the theme's fonts
    _build(pack, {**os.environ}, "-f", "docx", "-e", "teacher")
    out = pack / "dist" / "lesson-1" / "lesson-1-teacher.docx"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(out)], check=True,
                   capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / "lo" / "lesson-1-teacher.pdf") as doc:
        chars = [c for page in doc.pages for c in page.chars]
    subset = [c["text"] for c in chars if "DejaVuSansLP" in c["fontname"].replace("-", "").replace(" ", "")]
    assert subset and set(subset) == {"\u2714"}, sorted(set(subset))[:20]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_without_the_fonts_lays_the_word_document_out_in_the_pdfs_pages(tmp_path):
    import pdfplumber

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    lesson = LESSON.replace("many governments turned to authoritarian rule.",
                            "many governments turned to authoritarian rule. " * 30)
    pack = _pack(tmp_path / "pack", "school: Hillside Academy\n", lesson)
    env = _no_fonts_env(tmp_path / "env", minimal=True)
    _build(pack, env, "-f", "pdf", "-f", "docx", "-e", "student")
    docx = pack / "dist" / "lesson-1" / "lesson-1-student.docx"
    export = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", export, "--outdir", str(tmp_path / "lo"), str(docx)], check=True,
                   capture_output=True, timeout=300, env=env)
    laid_out = tmp_path / "lo" / "lesson-1-student.pdf"
    fonts = subprocess.run(["pdffonts", str(laid_out)], capture_output=True, text=True, check=True).stdout
    assert "SourceSerifPro" in fonts and "SourceSansPro" in fonts  # from inside the Word document
    with pdfplumber.open(laid_out) as a, pdfplumber.open(docx.with_suffix(".pdf")) as b:
        assert 0 <= abs(len(a.pages) - len(b.pages)) <= 1, (len(a.pages), len(b.pages))


def test_a_font_the_style_names_comes_from_the_packs_fonts_folder(tmp_path):
    from lessonpack.building.jobs import resolve, shared_key
    from lessonpack.load.pack import load_pack
    from lessonpack.render.html import page_css
    from lessonpack.handout import RunningText
    from lessonpack.styles.fonts import font_faces_css, pack_font_files

    pack = _pack(tmp_path, "style: school\n")
    folder = copy_style(pack, "school")
    text = (folder / "style.yaml").read_text(encoding="utf-8")
    (folder / "style.yaml").write_text(text + "\n", encoding="utf-8")
    before = shared_key(load_pack(pack), resolve(load_pack(pack)))
    # A copy of DejaVu Sans under another family name stands for a school's own font.
    from fontTools.ttLib import TTFont

    font = TTFont(str(face_files(SYMBOLS)[("normal", "normal")]))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Hillside Sans"
    (pack / "fonts").mkdir()
    font.save(str(pack / "fonts" / "HillsideSans.ttf"))
    found = pack_font_files(pack)
    assert found == {"Hillside Sans": {("normal", "normal"): (pack / "fonts" / "HillsideSans.ttf").resolve()}}
    style = resolve(load_pack(pack)).style
    assert shared_key(load_pack(pack), resolve(load_pack(pack))) != before  # the pack's fonts are in the key
    css = font_faces_css(["Hillside Sans"], found)
    assert '"Hillside Sans LP"' in css and (pack / "fonts" / "HillsideSans.ttf").resolve().as_uri() in css
    from dataclasses import replace

    named = replace(style, tokens=style.tokens.model_copy(update={"fonts": style.tokens.fonts.model_copy(
        update={"body": ["Hillside Sans", "serif"]})}))
    assert '--body-font: "Hillside Sans LP", "DejaVu Sans LP", "Hillside Sans", serif;' in page_css(
        named, "letter", RunningText("", "", "", ("", "", "")))


def test_a_missing_font_is_named_in_a_warning(tmp_path):
    from lessonpack.styles.fonts import missing_font_warning

    warning = missing_font_warning(["Hillside Nowhere Sans", "serif"], "body", tmp_path)
    if warning is None:
        pytest.skip("fontconfig cannot be asked which fonts are installed")
    assert warning == ('the body font "Hillside Nowhere Sans" is not installed, so the PDF uses serif instead and '
                       "pages may break differently; put its .ttf or .otf files in the pack's fonts/ folder, install "
                       "it, or name another font in the style")


def test_a_character_no_font_has_is_named_with_its_field(run, tmp_path):
    lesson = LESSON.replace("Name one cause of instability.", "What does नमस्ते mean")
    _pack(tmp_path, "school: Hillside Academy\n", lesson)
    result = run("check")
    lines = lesson.splitlines()
    line = next(i for i, s in enumerate(lines, start=1) if "नमस्ते" in s)
    col = lines[line - 1].index("न") + 1
    assert (f"lessons/lesson-1.yaml:{line}:{col}: warning: worksheet.items[5].prompt: \"न\" (U+0928 devanagari "
            "letter na) (and 5 more: मस्ते) is in none of the style's fonts (Source Serif Pro, Source Sans Pro, "
            "DejaVu Sans), so the PDF prints it from whatever font the computer has, or as an empty box\n"
            "    hint: put a font that has it (.ttf or .otf) in the pack's fonts/ folder and name its family first "
            "in the style's fonts: (body and heading)") in result.output


def test_the_bundled_symbols_font_is_part_of_every_builds_key():
    from lessonpack.styles.fonts import bundled_folders

    folder = BUNDLED[SYMBOLS].folder
    assert folder is not None and folder.resolve() in bundled_folders()


@pytest.mark.slow
def test_a_copy_of_the_family_installed_on_the_system_changes_no_byte(tmp_path):
    """Another Source Serif Pro on the machine (here one whose letters are a fifth wider) is not used: the PDF is
    byte for byte the one built on a machine without it."""
    from fontTools.ttLib import TTFont

    pack = _pack(tmp_path / "pack", "school: Hillside Academy\n")
    bare = _no_fonts_env(tmp_path / "bare")
    other = _no_fonts_env(tmp_path / "other")
    font = TTFont(str(face_files("Source Serif Pro")[("normal", "normal")]))
    font["hmtx"].metrics = {name: (round(width * 1.2), lsb) for name, (width, lsb) in font["hmtx"].metrics.items()}
    font.save(str(tmp_path / "other" / "fonts" / "SourceSerifPro-Regular.ttf"))
    built = []
    for env, out in ((bare, "a"), (other, "b")):
        _build(pack, {**env, "SOURCE_DATE_EPOCH": "1767225600"}, "-f", "pdf", "-e", "student", "-o", out)
        built.append((pack / out / "lesson-1" / "lesson-1-student.pdf").read_bytes())
    assert built[0] == built[1]
