"""The open house: a worksheet item type and an output format added from outside lessonpack, without editing any
of its files — the item type registered from this test's code, the format installed as a package (an entry point
in a dist-info folder on the path) — and built as a teacher builds them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types

import pytest
from pypdf import PdfReader

from conftest import REPO
from readback import Docx, pdf_text

from lessonpack.building.builder import build
from lessonpack.plugins import item_types, register_item_type, unregister

LESSONPACK = [sys.executable, "-m", "lessonpack"]


def doc_example(name: str) -> str:
    """A code example of docs/architecture.md, by the name in the comment before it: the docs' code is what
    these tests run."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- example: {re.escape(name)} -->\n```python\n(.*?)```", text, re.S)
    assert found, f"docs/architecture.md has no example {name}"
    return found.group(1)


def _symbol_module() -> types.ModuleType:
    module = types.ModuleType("lessonpack_symbol_example")
    sys.modules[module.__name__] = module  # its question class is pickled to the render processes
    exec(compile(doc_example("symbol.py"), "docs/architecture.md", "exec"), module.__dict__)  # noqa: S102
    return module


LESSON = """title: Metals and their salts
subject: Chemistry
worksheet:
  items:
    - type: symbol
      prompt: What is the chemical symbol for sodium, the metal in table salt?
      answer: Na
    - {type: short_answer, prompt: "Why is sodium stored under oil?", lines: 3}
"""


@pytest.fixture
def symbol():
    register_item_type(_symbol_module().TYPE)
    try:
        yield
    finally:
        unregister("symbol")


def test_an_item_type_registered_from_code_builds_to_pdf_docx_and_the_fillable_pdf(tmp_path, symbol):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "salts.yaml").write_text(LESSON, encoding="utf-8")
    assert "symbol" in item_types()
    result = build(tmp_path, out_dir=tmp_path / "out", formats=["pdf", "docx", "pdf-form"], with_pack=False, jobs=1)
    assert result.ok, result.failed
    folder = tmp_path / "out" / "salts"
    student = " ".join(pdf_text(folder / "salts-student.pdf").split())
    assert "1. What is the chemical symbol for sodium" in student and "Symbol:" in student and "Symbol: Na" not in student
    teacher = " ".join(pdf_text(folder / "salts-teacher.pdf").split())
    assert "Symbol: Na" in teacher and "Symbol Na" in teacher  # on the sheet and in the key
    word = Docx((folder / "salts-teacher.docx").read_bytes())
    assert any("Symbol: Na" in p.text for p in word.paras)
    fields = PdfReader(folder / "salts-student-form.pdf").get_fields()
    assert {"q1", "q2"} <= set(fields)
    # collect marks the type's field as its marking says, judged by the type: capitals matter
    from lessonpack.apps.collect import _score
    from lessonpack.handout import PlanContext, plan
    from lessonpack.handout.fields import answers
    from lessonpack.load.pack import load_pack

    lesson = load_pack(tmp_path).lessons[0]
    marked = answers(plan(lesson, "teacher", PlanContext(fillable=True)).worksheet.questions)
    assert [(m.number, m.fields) for m in marked] == [(1, (("q1", ("Na",)),))]
    assert _score(marked[0], {"q1": " Na "}) == 1 and _score(marked[0], {"q1": "NA"}) == 0


def test_a_registered_item_type_is_checked_described_and_offered_like_lessonpacks_own(tmp_path, symbol, run):
    from lessonpack.apps.new import lesson_text
    from lessonpack.apps.schema import lesson_schema

    schema = lesson_schema()
    assert "symbol" in schema["$defs"]["Worksheet"]["properties"]["items"]["items"]["properties"]["type"]["enum"]
    assert schema["$defs"]["Symbol"]["properties"]["answer"]["description"]
    assert "- type: symbol" in lesson_text("A lesson", "schema.json")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "bad.yaml").write_text(LESSON.replace("answer: Na", "answr: Na"), encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert "bad.yaml:7:7: error:" in result.output and 'did you mean "answer"' in result.output


@pytest.fixture
def toy_format(tmp_path):
    """A package that adds an output format, installed the way pip installs one: its module and a dist-info
    folder whose entry_points.txt names it, on the path."""
    site = tmp_path / "site"
    (site / "lessonpack_plain").mkdir(parents=True)
    (site / "lessonpack_plain" / "__init__.py").write_text(doc_example("lessonpack_plain.py"), encoding="utf-8")
    info = site / "lessonpack_plain-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lessonpack-plain\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[lessonpack.formats]\nplain-text = lessonpack_plain:PLAIN\n",
                                           encoding="utf-8")
    return site


def test_an_installed_output_format_builds_with_f_its_name(tmp_path, toy_format):
    (tmp_path / "pack" / "lessons").mkdir(parents=True)
    (tmp_path / "pack" / "lessons" / "falling.yaml").write_text(
        "title: Falling bodies\nworksheet:\n  items:\n    - {type: short_answer, prompt: \"Why does a feather fall "
        "slowly?\"}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(toy_format), os.environ.get("PYTHONPATH", "")])}
    listed = subprocess.run([*LESSONPACK, "build", "--help"], env=env, capture_output=True, text=True, timeout=120)
    assert "plain-text" in listed.stdout
    done = subprocess.run([*LESSONPACK, "build", str(tmp_path / "pack"), "-f", "plain-text", "-o",
                           str(tmp_path / "out"), "-q"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out" / "falling"
    assert (out / "falling-student.txt").read_text(encoding="utf-8") == (
        "Falling bodies\n\n1. Why does a feather fall slowly?\n")
    assert (out / "falling-teacher.txt").exists()
    again = subprocess.run([*LESSONPACK, "build", str(tmp_path / "pack"), "-f", "plain-text", "-o",
                            str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "unchanged" in again.stdout + again.stderr
    # Without the package, the name is unknown: a clear error, not a traceback.
    gone = subprocess.run([*LESSONPACK, "build", str(tmp_path / "pack"), "-f", "plain-text"],
                          capture_output=True, text=True, timeout=120)
    assert gone.returncode != 0 and "plain-text" in gone.stderr and "Traceback" not in gone.stderr
