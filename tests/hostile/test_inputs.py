"""Odd values a downloaded pack, a returned form or a command line can hold: numbers of every shape, option values
that would turn a limit off, names that act on the terminal, picture addresses of every scheme, a reference
document's settings, a forged lesson PDF in a unit. Each gets its plain message, its exit code and no traceback;
nothing outside changes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest

from conftest import snapshot
from packs import GOOD, SECRET, _reference, _zip, copy_style, write
from test_hostile import make_pack

CHECK = ("check",)


def _lesson(pack: Path, text: str) -> None:
    write(pack / "lessons/stalin.yaml", text)


def _with_item(item: str, lesson: str = GOOD) -> str:
    """The lesson with one more worksheet item, written on one line (line 12)."""
    return lesson.replace("objectives:", f"    - {item}\nobjectives:")


def _checked(run, pack: Path, tmp: Path) -> list[str]:
    before = snapshot(tmp)
    result = run(*CHECK, cwd=pack)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 1, result.output
    assert snapshot(tmp) == before
    return result.output.splitlines()


# -- numbers ---------------------------------------------------------------------------------------


def test_numbers_with_thousands_of_digits_are_errors_not_tracebacks(tmp_path, run):
    pack = make_pack(tmp_path)
    big = "1" * 5000
    _lesson(pack, GOOD.replace("  - {term: kulaks, definition: better-off peasants}",
                               f"  - {{term: kulaks, definition: better-off peasants, bold_at: {big}}}")
            .replace("objectives:", f"    - {{type: short_answer, prompt: Why, lines: {big}, points: {big}}}\n"
                                    "objectives:"))
    lines = _checked(run, pack, tmp_path)
    shown = "11111111111111111111… (5,000 characters)"
    assert f'lessons/stalin.yaml:5:62: error: key_terms[0].bold_at: expected a whole number, got "{shown}"' in lines
    assert ("lessons/stalin.yaml:12:48: error: worksheet.items[1].lines: expected a number of writing lines, or "
            f"\"fill\" for the rest of the page, got '{shown}'") in lines
    assert ("lessons/stalin.yaml:12:5058: error: worksheet.items[1].points: expected a number of points, such as 2 "
            f'or 0.5, got "{shown}"') in lines


@pytest.mark.parametrize("written", ["²", "٣", "３", "3²"])
def test_digits_of_other_scripts_are_not_numbers(written, tmp_path, run):
    pack = make_pack(tmp_path)
    _lesson(pack, _with_item(f'{{type: short_answer, prompt: Why, lines: "{written}"}}'))
    lines = _checked(run, pack, tmp_path)
    assert ("lessons/stalin.yaml:12:48: error: worksheet.items[1].lines: expected a number of writing lines, or "
            f"\"fill\" for the rest of the page, got '{written}'") in lines


@pytest.mark.parametrize("written", ["nan", ".nan", "inf", "-inf", "1e400", "0x10"])
def test_points_that_are_not_finite_numbers(written, tmp_path, run):
    pack = make_pack(tmp_path)
    _lesson(pack, _with_item(f'{{type: true_false, prompt: Stalin won., answer: true, points: "{written}"}}'))
    lines = _checked(run, pack, tmp_path)
    assert ("lessons/stalin.yaml:12:69: error: worksheet.items[1].points: expected a number of points, such as 2 or "
            f'0.5, got "{written}"') in lines


def test_a_count_in_another_script_is_an_error(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessonpack.yaml", 'title: Test Unit\nversions: "٣"\n')
    lines = _checked(run, pack, tmp_path)
    assert 'lessonpack.yaml:2:11: error: versions: expected a whole number, got "٣"' in lines


# -- option values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("build", "--timeout"), ("check", "--timeout"), ("collect", "x.pdf", "-o",
                                                                                         "a.csv", "--timeout")])
@pytest.mark.parametrize("value", ["inf", "1e309", "nan", "-5", "0", "86401"])
def test_a_timeout_that_would_turn_the_deadline_off_is_refused(command, value, tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "x.pdf", b"%PDF-1.7\n")
    result = run(*command, value, cwd=pack)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert (f"Error: Invalid value for '--timeout': '{value}' is not a number of seconds from 1 to 86,400 (a day)"
            in result.output)


def test_a_memory_limit_beyond_any_machine_is_refused(tmp_path, run):
    pack = make_pack(tmp_path)
    result = run("build", "--memory-limit", str(10 ** 15), cwd=pack)
    assert result.exit_code == 2
    assert "'--memory-limit': 1000000000000000 is not in the range 256<=x<=1048576." in result.output


def test_an_output_that_is_not_a_folder(tmp_path, run):
    pack = make_pack(tmp_path)
    result = run("build", "-o", "/dev/null", "-f", "docx", cwd=pack)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: cannot write /dev/null: it is not a folder; -o names the folder the handouts are written into"]


def test_a_guessable_shared_manifest_key_is_refused(tmp_path, run, monkeypatch):
    from lessonpack.user import signing_key

    pack = make_pack(tmp_path)
    monkeypatch.setenv("LESSONPACK_MANIFEST_KEY", "secret")
    signing_key.cache_clear()
    try:
        before = snapshot(tmp_path)
        result = run("build", "-f", "docx", cwd=pack)
        assert result.exit_code == 1
        assert result.output.splitlines() == [
            "error: LESSONPACK_MANIFEST_KEY is 6 characters long; a shared key must be at least 32 characters, or "
            "anyone could guess it and have a forged output folder trusted (make one with: python3 -c 'import "
            "secrets; print(secrets.token_hex(32))')"]
        assert snapshot(tmp_path) == before
        monkeypatch.setenv("LESSONPACK_MANIFEST_KEY", "k" * 32)
        signing_key.cache_clear()
        assert run("build", "-f", "docx", cwd=pack).exit_code == 0
    finally:
        signing_key.cache_clear()


# -- names that act on a terminal -----------------------------------------------------------------------


def test_file_and_folder_names_are_printed_with_their_escapes_shown(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons" / "evil\x1b[2J\x1b]0;owned\x07.yaml", "title: x\n")
    result = run("check", cwd=pack)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert ('lessons/evil\\x1b[2J\\x1b]0;owned\\x07.yaml:1:1: error: "evil\\x1b[2J\\x1b]0;owned\\x07.yaml" is not a '
            "valid lesson file name; the name becomes the lesson id") in result.output.splitlines()
    copy_style(pack, "bad\x1b[31mstyle")
    listed = run("styles", cwd=pack)
    assert "\x1b" not in listed.output and "bad\\x1b[31mstyle" in listed.output


def test_collect_prints_form_names_with_their_escapes_shown(tmp_path, run):
    form = write(tmp_path / "form\x1b[31m.pdf", b"not a pdf")
    result = run("collect", str(form), "-o", str(tmp_path / "a.csv"), cwd=tmp_path)
    assert result.exit_code == 1 and "\x1b" not in result.output
    assert "form\\x1b[31m.pdf: error: not a PDF" in result.output


# -- picture addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["javascript:alert(1)", "FILE:///etc/passwd", "file://localhost/etc/passwd",
                                     "data:image/png;base64,AAAA", "vbscript:msgbox"])
def test_every_address_scheme_is_refused_in_pictures(address, tmp_path, run):
    pack = make_pack(tmp_path)
    _lesson(pack, GOOD.replace("  text: After Lenin died, the kulaks resisted collectivization.",
                               f"  text: |\n    After Lenin died, the kulaks resisted collectivization.\n\n"
                               f"    ![A chart]({address})"))
    lines = _checked(run, pack, tmp_path)
    scheme = address.split(":")[0].lower()
    assert (f'lessons/stalin.yaml:6:16: error: reading.text: "{address}" is a {scheme}: address, not a picture file '
            "in the pack; lessonpack shows only pictures saved in the pack") in lines


def test_a_source_picture_that_is_an_address(tmp_path, run):
    pack = make_pack(tmp_path)
    _lesson(pack, GOOD.replace("worksheet:", "sources:\n  - {title: A map, image: 'javascript:x', alt: A map, "
                                             "citation: Drawn for this unit.}\nworksheet:")
            .replace("answer: false", "answer: false\n      source: A"))
    lines = _checked(run, pack, tmp_path)
    assert any(line.startswith('lessons/stalin.yaml:8:27: error: sources[0].image: "javascript:x" is a javascript: '
                               "address") for line in lines), lines


# -- a reference document's settings ------------------------------------------------------------------------


def test_reference_settings_keep_only_harmless_layout_settings(tmp_path, run):
    pack = make_pack(tmp_path)
    parts = _reference(tmp_path)
    settings = parts["word/settings.xml"].decode()
    extra = ('<w:docVars><w:docVar w:name="x" w:val="' + SECRET + '"/></w:docVars>'
             '<w:updateFields w:val="true"/><w:updateFields w:val="true"/>'
             '<w:hyphenationZone w:val="357"/><w:hyphenationZone w:val="999"/>'
             '<w:footnotePr><v:fill xmlns:v="urn:schemas-microsoft-com:vml" src="http://127.0.0.1:9/x.png"/>'
             '<w:pos w:val="pageBottom"/></w:footnotePr>'
             '<w:attachedTemplate r:id="rId99" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships"/>')
    parts["word/settings.xml"] = settings.replace("</w:settings>", extra + "</w:settings>").encode()
    write(copy_style(pack) / "reference.docx", _zip(parts))
    result = run("build", "-f", "docx", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(pack / "dist/stalin/stalin-student.docx") as docx:
        made = docx.read("word/settings.xml").decode()
    for gone in (SECRET, "docVars", "127.0.0.1", "<v:fill", "attachedTemplate", "updateFields"):
        assert gone not in made, gone
    assert made.count("hyphenationZone") == 1 and 'w:val="357"' in made  # the first copy of a kept setting
    assert 'w:pos w:val="pageBottom"' in made  # Word's own markup inside a kept setting stays


# -- a unit copies nothing active ---------------------------------------------------------------------------


def _hostile_lesson_pdf(clean: bytes) -> bytes:
    """A lesson PDF with an action on opening, a script, an action on a page and a script link."""
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
        pdf.Root.OpenAction = script
        pdf.Root.AA = pikepdf.Dictionary(WC=script)
        page = pdf.pages[0].obj
        page.AA = pikepdf.Dictionary(O=script)
        annots = [pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                     Rect=[0, 0, 10, 10], A=script),
                  pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
                                     A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))),
                  pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
                                     A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.org"))),
                  pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[0, 0, 10, 10],
                                     AA=pikepdf.Dictionary(E=script))]
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(a) for a in annots]))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_a_unit_copies_no_action_from_a_lesson_pdf(tmp_path, run):
    from lessonpack.building.assemble import assemble_unit
    from lessonpack.handout.unit import UnitPaging

    pack = make_pack(tmp_path)
    assert run("build", "-f", "pdf", "-e", "student", cwd=pack).exit_code == 0
    clean = (pack / "dist/stalin/stalin-student.pdf").read_bytes()
    unit = assemble_unit(clean, [_hostile_lesson_pdf(clean)], UnitPaging(1, (2,), (False,), 2), blank=None)
    with pikepdf.open(io.BytesIO(unit)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        kinds = []
        for page in pdf.pages:
            assert "/AA" not in page.obj
            kinds += [(str(a.Subtype), str(a.A.S)) for a in page.obj.get("/Annots", []) if "/A" in a]
        assert ("/Link", "/URI") in kinds  # the web link stays
        assert not {kind for _, kind in kinds} - {"/URI", "/GoTo"}


# -- returned forms with odd values ---------------------------------------------------------------------------


def _form(tmp: Path, values: dict, name: str = "soviet-union-1924-1935-student-form.pdf") -> Path:
    """A PDF with form fields carrying ``values`` as given (any PDF object), in a lessonpack form's name."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        fields = []
        for field, value in values.items():
            fields.append(pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String(field), V=value)))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(fields))
        pdf.save(tmp / name)
    return tmp / name


def test_collect_reads_odd_form_values_without_a_python_message(tmp_path, run):
    form = _form(tmp_path, {"name": pikepdf.String("Ann"), "q1": pikepdf.Array([1, 2]),
                            "q2": pikepdf.Dictionary(X=1), "q3": 42, "q4": pikepdf.String("x" * 30_000)})
    result = run("collect", str(form), "-o", str(tmp_path / "a.csv"), cwd=tmp_path)
    assert "Traceback" not in result.output
    assert ("soviet-union-1924-1935-student-form.pdf: warning: the answer in q4 is longer than 20,000 characters; "
            "only its start is kept") in result.output
    text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "Ann" in text and "42" in text and "x" * 20_000 in text and "x" * 20_001 not in text


def test_collect_refuses_more_forms_than_one_run_reads(tmp_path, run, monkeypatch):
    from lessonpack import limits

    monkeypatch.setattr(limits, "MAX_FORMS", 3)
    forms = [str(_form(tmp_path, {"q1": pikepdf.String("A")}, f"f{n}.pdf")) for n in range(4)]
    result = run("collect", *forms, "-o", str(tmp_path / "a.csv"), cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines() == ["error: 4 forms named; collect reads at most 3 at a time: collect them in "
                                          "several runs, a class or a year group at a time"]
    assert not (tmp_path / "a.csv").exists()


# -- positions and encodings ---------------------------------------------------------------------------------


def test_positions_count_the_line_breaks_an_editor_shows(tmp_path, run):
    """YAML also breaks lines at U+2028, U+2029 and U+0085; an editor shows them inside a line, so an error after
    them is reported on the line the teacher sees."""
    pack = make_pack(tmp_path)
    _lesson(pack, 'title: "The Soviet\u2028Union\u2029under\u0085Stalin"\nworksheet:\n  items:\n'
                  "    - {type: true_false, prompt: x, answer: maybe}\n")
    lines = _checked(run, pack, tmp_path)
    assert 'lessons/stalin.yaml:4:45: error: worksheet.items[0].answer: expected true or false, got "maybe"' in lines


@pytest.mark.parametrize("bom", [b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"])
def test_a_utf32_file_is_named_as_utf32(bom, tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", bom + "title: x\n".encode("utf-32-le" if bom[0] else "utf-32-be"))
    lines = _checked(run, pack, tmp_path)
    assert "lessons/stalin.yaml:1:1: error: this file is saved as UTF-32; lessonpack reads UTF-8" in lines
