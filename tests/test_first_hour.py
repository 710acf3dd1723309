"""What a new user meets in the first hour: a skeleton's placeholders left in, a misspelt value, a text YAML
misreads, the command list, and the docs' own examples run as written."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from lessonpack.apps.cli import cli
from lessonpack.apps.new import PLACEHOLDER as SKELETON_PLACEHOLDER
from lessonpack.handout import PlanContext, plan
from lessonpack.load.pack import load_pack
from lessonpack.version import __version__

LESSON = "lessons/treaty-of-versailles.yaml"


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# -- 1. check catches a newcomer's mistakes -----------------------------------------------------------


def test_placeholders_left_in_warn_and_fail_strict(run, tmp_path):
    assert run("new", "The Treaty of Versailles").exit_code == 0
    text = (tmp_path / LESSON).read_text(encoding="utf-8")
    author = _line_of(text, "author: ")
    expected = f"{LESSON}:{author}:9: {{}}: author: <Your name> is a placeholder from `lessonpack new`"
    hint = ("    hint: replace it, angle brackets and all, with your own words; or delete the line if the key is "
            "optional")

    checked = run("check", ".")
    assert checked.exit_code == 0, checked.output
    lines = checked.output.splitlines()
    assert expected.format("warning") in lines
    assert lines[lines.index(expected.format("warning")) + 1] == hint
    # every placeholder the skeleton writes is reported, each once, at itself
    reported = [line for line in lines if "is a placeholder from `lessonpack new`" in line]
    written = [found.group(0) for found in SKELETON_PLACEHOLDER.finditer(text) if not _in_comment(text, found)]
    assert sorted(line.split(": ")[-1].removesuffix(" is a placeholder from `lessonpack new`")
                  for line in reported) == sorted(written)
    # one inside a block of text is placed at its own line and column
    notes = _line_of(text, "  <Timing")
    assert (f"{LESSON}:{notes}:3: warning: teacher_notes: <Timing, common misconceptions, and how to help weaker "
            "readers.> is a placeholder from `lessonpack new`") in lines

    strict = run("check", "--strict", ".")
    assert strict.exit_code == 1
    assert expected.format("error") in strict.output.splitlines()
    assert "warning: author:" not in strict.output


def _in_comment(text: str, found) -> bool:
    line_start = text.rfind("\n", 0, found.start()) + 1
    return "#" in text[line_start:found.start()]


def test_a_placeholder_author_never_reaches_the_documents_metadata(run, tmp_path):
    assert run("new", "The Treaty of Versailles").exit_code == 0
    lesson = load_pack(tmp_path).lessons[0]
    assert lesson.lesson.author == "<Your name>"
    for edition in ("student", "teacher"):
        assert plan(lesson, edition, PlanContext()).document.author == ""
    path = tmp_path / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("<Your name>", "Ms Okafor"), encoding="utf-8")
    assert plan(load_pack(tmp_path).lessons[0], "student", PlanContext()).document.author == "Ms Okafor"


ITEM = """title: Stalin
worksheet:
  items:
    - type: short_answer
      prompt: Why did Stalin win?
      lines: {lines}
    - type: true_false
      prompt: Lenin chose Stalin.
      answer: {answer}
"""


def test_a_misspelt_value_gets_a_suggestion(run, tmp_path):
    (tmp_path / "lesson.yaml").write_text(ITEM.format(lines="full", answer="ture"), encoding="utf-8")
    checked = run("check", "lesson.yaml")
    assert checked.exit_code == 1
    assert checked.output.splitlines()[:2] == [
        'lesson.yaml:6:14: error: worksheet.items[0].lines: expected a number of writing lines, or "fill" for the '
        "rest of the page, got 'full'; did you mean \"fill\"?",
        'lesson.yaml:9:15: error: worksheet.items[1].answer: expected true or false, got "ture"; did you mean '
        '"true"?']


def _first_problem(run, tmp_path, text: str) -> list[str]:
    (tmp_path / "lesson.yaml").write_text(text, encoding="utf-8")
    checked = run("check", "lesson.yaml")
    assert checked.exit_code == 1
    return checked.output.splitlines()[:2]


def test_yaml_errors_say_to_quote_the_text(run, tmp_path):
    assert _first_problem(run, tmp_path, "title: Stalin\nsubtitle: Why he won: luck or skill\n") == [
        "lesson.yaml:2:21: error: YAML syntax error: mapping values are not allowed here",
        '    hint: a text containing ": " must be quoted, like this: subtitle: "Why he won: luck or skill"']
    assert _first_problem(run, tmp_path, "title: Stalin\nunit: [1] The rise\ngrade: 9\n") == [
        "lesson.yaml:2:11: error: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block mapping at line 1)",
        '    hint: YAML reads a value that starts with [ as the start of a list; put the whole text in quotes: '
        'unit: "[1] The rise"']
    assert _first_problem(run, tmp_path, "title: Stalin\nobjectives:\n  - @home, read the letter\n") == [
        "lesson.yaml:3:5: error: YAML syntax error: found character '@' that cannot start any token",
        '    hint: YAML reads a value that starts with @ as a reserved character; put the whole text in quotes: '
        '- "@home, read the letter"']
    assert _first_problem(run, tmp_path, 'title: Stalin\nunit: "Red" October\n') == [
        "lesson.yaml:2:13: error: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block mapping at line 1)",
        "    hint: YAML reads a value that starts with \" as a quoted text that ends at the next quotation mark; put "
        "the whole text in quotes: unit: '\"Red\" October'"]


def test_a_comma_inside_braces_is_explained(run, tmp_path):
    lesson = """title: Lenin's testament
sources:
  - title: Lenin's letter
    text: Stalin is too rude.
    citation: Lenin, December 1922
worksheet:
  items:
    - type: source_analysis
      source: A
      parts:
        - {part: origin, answer: Lenin dictated it in December 1922, ill after his strokes.}
"""
    assert _first_problem(run, tmp_path, lesson) == [
        'lesson.yaml:11:70: error: worksheet.items[0].parts[0].ill after his strokes.: unknown key "ill after his '
        'strokes.": inside { } a comma ends a value, so YAML read the words after it as a key of their own',
        '    hint: put the text that holds the comma in double quotes, e.g. {part: origin, answer: "Lenin dictated '
        'it in 1922, ill after his strokes."}, or write the keys one per line']


def test_help_lists_every_command_in_full_and_version_prints(run):
    for width in (80, 50):
        shown = CliRunner().invoke(cli, ["--help"], terminal_width=width)
        assert shown.exit_code == 0
        assert "…" not in shown.output and "..." not in shown.output.split("Commands:")[1]
        listed = " ".join(shown.output.split("Commands:")[1].split())
        for name, command in cli.commands.items():
            first = command.help.split("\n\n")[0]
            sentence = " ".join(first.split(". ")[0].split())
            assert f"{name} {sentence}" in listed, (name, listed)
    version = run("--version")
    assert version.exit_code == 0
    assert version.output == f"lessonpack, version {__version__}\n"


# -- 2. the docs' examples, run as written --------------------------------------------------------------

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
MARK = re.compile(r"<!--\s*(fragment|not run|example):\s*(.*?)\s*-->\s*\n\Z")
RUN = {"yaml", "sh", "console", "bash"}

FAST = {"check", "docs", "new", "schema", "styles"}
"""The commands run here; build, preview and collect take seconds each (the build tests run them)."""


def _blocks():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for found in FENCE.finditer(text):
            lang = found.group(1)
            if lang not in RUN:
                continue
            mark = MARK.search(text[:found.start()])
            kind, note = mark.groups() if mark else ("", "")
            line = text.count("\n", 0, found.start()) + 1
            yield pytest.param(doc.name, lang, kind, note, found.group(2), id=f"{doc.name}:{line}")


BLOCKS = list(_blocks())

ITEM_BASE = {
    "title": "A fragment from the docs",
    "reading": {"text": "The **League of Nations**, the **Treaty of Versailles**, **collectivisation** and the "
                        "**purges** shaped the years between the wars."},
    "key_terms": [{"term": "League of Nations", "definition": "A body set up in 1920 to keep the peace."},
                  {"term": "Treaty of Versailles", "definition": "The peace made with Germany in 1919."},
                  {"term": "collectivisation", "definition": "Joining farms into state-run farms."},
                  {"term": "purges", "definition": "The removal of people thought disloyal."}],
    "sources": [{"title": "Coal output", "text": "Coal: 35 million tonnes in 1928, 128 in 1937.",
                 "citation": "Soviet figures"},
                {"title": "Lenin's letter", "text": "Stalin is too rude.", "citation": "Lenin, 1922"}],
}


def _lesson_for(kind: str, note: str, data) -> dict:
    if kind == "fragment" and note == "worksheet item":
        return {**ITEM_BASE, "worksheet": {"items": data}}
    if kind == "fragment" and note == "item keys":
        return {**ITEM_BASE, "worksheet": {"items": [{"type": "short_answer", **data}]}}
    if kind == "fragment" and note == "lesson keys":
        return {"title": "A fragment from the docs", **(data or {})}  # None: a block of comments
    assert isinstance(data, dict) and "title" in data, (
        "a ```yaml block that is not a whole lesson needs <!-- fragment: worksheet item|item keys|lesson keys|"
        "lessonpack.yaml|style.yaml --> or <!-- not run: reason --> before it")
    return data


@pytest.fixture
def sample(tmp_path):
    """A copy of the repository's sample pack."""
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copytree(REPO / "lessons", pack / "lessons")
    shutil.copy(REPO / "lessonpack.yaml", pack / "lessonpack.yaml")
    shutil.copytree(REPO / "schema", pack / "schema")
    shutil.copytree(REPO / "examples", pack / "examples")  # the packs the docs name
    return pack


@pytest.mark.parametrize("doc,lang,kind,note,body", [b for b in BLOCKS if b.values[1] == "yaml"])
def test_yaml_examples_check(doc, lang, kind, note, body, run, sample):
    if kind in ("not run", "example"):  # examples: run by the tests that name them
        assert kind == "example" or note, "say why a block is not run"
        return
    data = yaml.safe_load(body)
    if note == "lessonpack.yaml":
        (sample / "lessonpack.yaml").write_text(body, encoding="utf-8")
        target = sample
    elif note == "style.yaml":
        style = sample / "styles" / "my-school"
        shutil.copytree(REPO / "src" / "lessonpack" / "data" / "styles" / "classic", style)
        (style / "style.yaml").write_text(body, encoding="utf-8")
        config = sample / "lessonpack.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace("style: classic", "style: my-school"),
                          encoding="utf-8")
        target = sample
    else:
        target = sample / "lessons" / "example.yaml"
        target.write_text(yaml.safe_dump(_lesson_for(kind, note, data), allow_unicode=True) if kind else body,
                          encoding="utf-8")
    checked = run("check", str(target), cwd=sample)
    assert checked.exit_code == 0, f"{doc}:\n{body}\n{checked.output}"


def _commands(body: str):
    for line in body.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] in ("$",):
            words = words[1:]
        if words:
            yield line, words


@pytest.mark.parametrize("doc,lang,kind,note,body", [b for b in BLOCKS if b.values[1] != "yaml"])
def test_shell_examples_run(doc, lang, kind, note, body, run, sample):
    if kind == "not run":
        assert note, "say why a block is not run"
        return
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line, words in _commands(body):
        program = words[0]
        if program in ("lessonpack", ".venv/bin/lessonpack"):
            args = words[1:]
            out = None
            if ">" in args:
                at = args.index(">")
                args, out = args[:at], args[at + 1]
            if args and args[0] not in FAST:
                continue
            result = run(*args, cwd=sample)
            assert result.exit_code == 0, f"{doc}: {line}\n{result.output}"
            if out:
                (sample / out).write_text(result.output, encoding="utf-8")
        else:
            done = subprocess.run(line, shell=True, cwd=sample, env=env, capture_output=True, text=True, timeout=30)
            assert done.returncode == 0, f"{doc}: {line}\n{done.stdout}{done.stderr}"


def test_the_readmes_sample_check_output_is_what_check_prints(run, sample):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n\$ lessonpack check\n(.*?)```", text, re.S).group(1)
    lesson = sample / "lessons" / "soviet-union-1924-1935.yaml"
    written = lesson.read_text(encoding="utf-8")
    first = written.index("      answer: ", written.index("- type: multiple_choice"))
    end = written.index("\n", first)
    lesson.write_text(written[:first] + "      answer: Trotsky" + written[end:], encoding="utf-8")
    checked = run("check", cwd=sample)
    assert checked.exit_code == 1
    assert checked.output == shown
