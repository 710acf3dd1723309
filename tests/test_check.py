"""`lessonpack check` as a teacher uses it: exit codes, messages, warnings, and writing nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, snapshot

from lessonpack import LessonpackError, check, load_pack

GOOD = """title: The Soviet Union under Stalin
reading:
  text: After Lenin died, the kulaks resisted collectivization.
key_terms:
  - {term: kulaks, definition: better-off peasants}
  - {term: collectivization, definition: pooling land into state farms}
worksheet:
  items:
    - type: true_false
      prompt: Lenin named Stalin as his successor.
      answer: false
objectives:
  - Explain how Stalin rose to power after Lenin died.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_unit_is_clean_even_strict(run):
    before = snapshot(REPO / "lessons")
    result = run("check", "--strict", ".", cwd=REPO)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 lessons checked: no problems"
    assert snapshot(REPO / "lessons") == before


def test_check_the_lessons_folder_and_one_file(run):
    assert run("check", "--strict", "lessons", cwd=REPO).exit_code == 0
    result = run("check", "lessons/soviet-union-1924-1935.yaml", cwd=REPO)
    assert result.exit_code == 0
    assert "1 lesson checked: no problems" in result.output


def test_default_target_is_current_folder(run, tmp_path):
    write(tmp_path, "lessons/a.yaml", GOOD)
    result = run("check")
    assert result.exit_code == 0, result.output


def test_all_problems_reported_at_once_in_file_order(run, tmp_path):
    write(tmp_path, "lessons/a.yaml", "title: A\nsubtitel: x\n")
    write(tmp_path, "lessons/b.yaml", "title: B\nworksheet:\n  items:\n    - {type: essay}\n")
    result = run("check")
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ": error: " in ln]
    assert lines == [
        'lessons/a.yaml:2:1: error: subtitel: unknown key "subtitel"; did you mean "subtitle"?',
        'lessons/b.yaml:4:7: error: worksheet.items[0]: missing required field "prompt"',
    ]
    assert result.output.splitlines()[-1] == "2 lessons checked: 2 errors, 1 warning"


def test_warnings_pass_unless_strict(run, tmp_path):
    write(tmp_path, "lessons/a.yaml", GOOD.replace("kulaks resisted", "peasants resisted").replace(
        "    - type: true_false", "    - type: matching\n      pairs: [{left: a, right: same}, {left: b, right: same}]\n"
        "    - type: true_false"))
    result = run("check")
    assert result.exit_code == 0, result.output
    assert 'lessons/a.yaml:5:12: warning: key_terms[0].term: "kulaks" never appears in the reading' in result.output
    assert ("lessons/a.yaml:10:56: warning: worksheet.items[0].pairs[1].right: right-hand side \"same\" repeats "
            "worksheet.items[0].pairs[0].right") in result.output
    strict = run("check", "--strict")
    assert strict.exit_code == 1
    assert "(--strict: warnings fail)" in strict.output


def test_lesson_without_worksheet_warns(run, tmp_path):
    write(tmp_path, "lessons/a.yaml", "title: Only a title\n")
    result = run("check")
    assert result.exit_code == 0
    assert "lessons/a.yaml:1:1: warning: lesson has no worksheet items" in result.output


def test_usage_errors_exit_2(run, tmp_path):
    assert run("check", "no-such-folder").exit_code == 2
    assert run("check", "--bogus").exit_code == 2


def test_folder_without_lessons(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 1
    assert "empty: no lessons found" in result.output


def test_pack_config_errors_are_positioned(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "lessonpack.yaml", "title: Interwar\npaper: b5\nlessons:\n  - stalln\nformats: [pdf, rtf]\n")
    result = run("check")
    assert result.exit_code == 1
    out = result.output.splitlines()
    assert "lessonpack.yaml:2:8: error: paper: \"b5\" is not allowed; use one of: 'letter' or 'a4'" in out
    assert 'lessonpack.yaml:5:16: error: formats[1]: "rtf" is not an output format; use one of: pdf, docx, html, pdf-form' in out


def test_pack_lesson_order_and_unknown_ids(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "lessons/locarno.yaml", GOOD)
    write(tmp_path, "lessonpack.yaml", "title: Interwar\nlessons: [stalln]\n")
    result = run("check")
    assert result.exit_code == 1
    assert ('lessonpack.yaml:2:11: error: lessons[0]: no lesson "stalln" in lessons/; did you mean "stalin"?'
            in result.output.splitlines())
    write(tmp_path, "lessonpack.yaml", "title: Interwar\nlessons: [stalin]\n")
    result = run("check")
    assert result.exit_code == 0
    assert "lessonpack.yaml:2:1: warning: lessons: locarno is not listed, so will not be built" in result.output
    pack = load_pack(tmp_path)
    assert [lesson.id for lesson in pack.lessons] == ["stalin"]
    assert pack.id == "interwar"


def test_library_api(tmp_path):
    write(tmp_path, "lessons/b.yaml", GOOD)
    write(tmp_path, "lessons/a.yaml", GOOD)
    pack = load_pack(tmp_path)
    assert [lesson.id for lesson in pack.lessons] == ["a", "b"]  # file-name order by default
    assert pack.config.paper == "letter" and pack.config.style == "classic"
    assert pack.config.editions == ["student", "teacher"] and pack.config.formats == ["pdf", "docx"]
    write(tmp_path, "lessons/c.yaml", "title: [\n")
    report = check(tmp_path)
    assert report.lessons_checked == 3 and len(report.errors) == 1
    with pytest.raises(LessonpackError) as caught:
        load_pack(tmp_path)
    (problem,) = caught.value.diagnostics
    assert (problem.file, problem.line, problem.severity) == (str(tmp_path / "lessons/c.yaml"), 2, "error")


def test_console_script_and_module_entry_points():
    version = subprocess.run([sys.executable, "-m", "lessonpack", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("lessonpack, version ")
    script = Path(sys.executable).with_name("lessonpack")
    result = subprocess.run([str(script), "check", "lessons/nope.yaml"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_unlisted_lessons_are_still_checked_and_other_extensions_warned(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "lessons/locarno.yaml", "title: Locarno\ntitel: x\n")
    write(tmp_path, "lessons/rapallo.yml", GOOD)
    write(tmp_path, "lessonpack.yaml", "title: Interwar\nlessons: [stalin]\n")
    result = run("check")
    assert result.exit_code == 1
    out = result.output.splitlines()
    assert 'lessons/locarno.yaml:2:1: error: titel: unknown key "titel"; did you mean "title"?' in out
    assert 'lessons/rapallo.yml:1:1: warning: "rapallo.yml" is ignored: lesson files end in .yaml (lowercase)' in out


def test_pack_level_problems_are_all_reported_together(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "lessonpack.yaml", "paper: A4\nstyle: fancy\nlessons: [stalin, stalin, stallin]\n")
    out = run("check").output.splitlines()
    assert "lessonpack.yaml:1:8: error: paper: \"A4\" is not allowed; use one of: 'letter' or 'a4' (did you mean \"a4\"?)" in out
    assert 'lessonpack.yaml:3:19: error: lessons[1]: "stalin" is listed twice (first as lessons[0])' in out
    assert 'lessonpack.yaml:3:27: error: lessons[2]: no lesson "stallin" in lessons/; did you mean "stalin"?' in out
    write(tmp_path, "lessonpack.yaml", "style: fancy\n")
    out = run("check").output.splitlines()
    assert any(line.startswith("lessonpack.yaml:1:8: error: style: no style named \"fancy\"") for line in out), out


def test_empty_config_is_fine_but_a_pack_needs_lessons(run, tmp_path):
    write(tmp_path, "lessonpack.yaml", "# settings to come\n")
    (tmp_path / "lessons").mkdir()
    result = run("check")
    assert result.exit_code == 1
    assert "lessonpack.yaml:1:1: error: no lessons: lessons/ holds no .yaml lesson files" in result.output
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    assert run("check").exit_code == 0
    write(tmp_path, "lessonpack.yaml", "lessons: []\n")
    result = run("check")
    assert result.exit_code == 1
    assert "lessonpack.yaml:1:10: error: lessons: the list is empty, so there is nothing to build" in result.output


def test_yaml_pitfall_hints(run, tmp_path):
    write(tmp_path, "lessons/a.yaml", "title: 'Stalin's rise'\n")
    result = run("check")
    assert "hint: inside single quotes an apostrophe must be doubled ('Stalin''s rise')" in result.output
    write(tmp_path, "lessons/a.yaml", "title: x\nprompts:\n  - {text: Why did Stalin win?, notes: luck}\n")
    result = run("check")
    assert "hint: inside { } or [ ], text containing ? : , # or quotes must itself be quoted" in result.output
    write(tmp_path, "lessons/a.yaml", "title: x\nteacher_notes:\n  - first\n  - second\n")
    result = run("check")
    assert "hint: write the text as one block: put `|` after the colon" in result.output


def test_empty_items_warns_and_listing_a_lesson_twice_by_file_name_is_an_error(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", "title: A\nworksheet:\n  items: []\n")
    result = run("check")
    assert "lessons/stalin.yaml:2:1: warning: lesson has no worksheet items" in result.output
    write(tmp_path, "lessonpack.yaml", "lessons: [stalin, stalin.yaml]\n")
    result = run("check")
    assert result.exit_code == 1
    assert 'lessonpack.yaml:1:19: error: lessons[1]: "stalin" is listed twice (first as lessons[0])' in result.output
