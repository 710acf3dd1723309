"""Every example pack under examples/ built as a user would, in every format lessonpack has (PDF, the fillable
PDF, Word and HTML), both editions and the unit PDFs; then read back: each formula of each lesson is a tagged
Formula whose alternative text is its TeX in the PDF and a Word equation that pandoc reads back as the same TeX,
the PDF and the Word document print the same words (callouts, tables, sub- and superscripts and the science and
mathematics item types included), and LibreOffice opens every Word document.

These builds take minutes on two cores: the tests are marked slow (make test-heavy, which CI runs too).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from readback import Docx, pdf_text
from test_markup import formula_alts
from test_parity import assert_same_words, body_words

from lessonpack.plugins import format_names
from lessonpack.text.richtext import formulas_in

EXAMPLES = REPO / "examples"
PACKS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "lessonpack.yaml").is_file())
FORMATS = sorted(format_names())

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each example pack built into its own folder: every format, both editions, one version (versions are built
    over the same corpus in tests/test_pages.py), and the unit PDFs."""
    from lessonpack.building.builder import build

    out = {}
    for pack in PACKS:
        folder = tmp_path_factory.mktemp(pack)
        result = build(EXAMPLES / pack, out_dir=folder, formats=FORMATS, editions=["student", "teacher"],
                       versions=1, with_pack=True)
        assert result.ok, (pack, result.failed)
        out[pack] = folder
    return out


def _lessons(pack: str) -> list[Path]:
    return sorted((EXAMPLES / pack / "lessons").glob("*.yaml"))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _formulas(lesson: Path) -> set[str]:
    data = yaml.safe_load(lesson.read_text(encoding="utf-8"))
    return {tex for text in _strings(data) for tex, _ in formulas_in(text)}


def _formula_alts(pdf: Path) -> set[str]:
    return set(formula_alts(pdf))


ENVIRONMENTS = re.compile(r"\\(?:begin|end)\{(?:aligned|matrix|array)\}(?:\{[lcr]*\})?")
"""An aligned block's wrapper: Word holds aligned lines as a matrix of their rows and cells (m:m), which pandoc
reads back as ``matrix``; the rows and cells are what must come back."""


def _without_spacing(tex: str) -> str:
    """A formula's TeX as compared: spacing commands, \\left and \\right, grouping braces, the wrapper of aligned
    lines and a last row's ``\\\\`` left out (pandoc writes ``x_{1}`` for ``x_1``, ``{2x} & {= 8}`` for ``2x &= 8``)."""
    tex = re.sub(r"\\[,;:!]|\\quad|\\qquad|\\left|\\right", "", tex)
    tex = ENVIRONMENTS.sub("", tex)
    tex = re.sub(r"[{}\s]", "", tex)
    return tex.removesuffix("\\\\")


@pytest.mark.parametrize("pack", PACKS)
def test_every_example_builds_in_every_format_edition_and_version(built, pack):
    folder = built[pack]
    for lesson in _lessons(pack):
        made = {p.name for p in (folder / lesson.stem).iterdir()}
        for edition in ("student", "teacher"):
            for suffix in (".pdf", ".docx", ".html"):
                assert f"{lesson.stem}-{edition}{suffix}" in made, (lesson.stem, edition, suffix, sorted(made))
        assert f"{lesson.stem}-student-form.pdf" in made
    assert list(folder.glob("*-student.pdf")) and list(folder.glob("*-teacher.pdf")), "no unit PDFs"


@pytest.mark.parametrize("pack", PACKS)
def test_every_formula_is_tagged_with_its_tex_in_the_pdf(built, pack):
    for lesson in _lessons(pack):
        formulas = _formulas(lesson)
        alts = _formula_alts(built[pack] / lesson.stem / f"{lesson.stem}-teacher.pdf")
        assert formulas <= alts, (lesson.stem, sorted(formulas - alts)[:5])
        assert all(alts), lesson.stem


@pytest.mark.parametrize("pack", PACKS)
def test_pandoc_reads_each_formula_back_from_word(built, pack):
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    for lesson in _lessons(pack):
        formulas = _formulas(lesson)
        if not formulas:
            continue
        docx = built[pack] / lesson.stem / f"{lesson.stem}-teacher.docx"
        latex = subprocess.run(["pandoc", "-f", "docx", "-t", "latex", str(docx)], check=True, capture_output=True,
                               text=True).stdout
        back = {_without_spacing(m) for found in re.findall(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", latex, re.S)
                for m in found if m}
        missing = {tex for tex in formulas if _without_spacing(tex) not in back}
        assert not missing, (lesson.stem, sorted(missing)[:5])


# The word-for-word comparison reads Word's list numbers and leaves footnotes out: the literature pack's footnoted
# lesson is compared, notes included, by tests/test_lang24.py.
TWINS = [pack for pack in PACKS if pack != "literature"]


@pytest.mark.parametrize("pack", TWINS)
def test_the_pdf_and_the_word_document_print_the_same_words(built, pack):
    for lesson in _lessons(pack):
        for edition in ("student", "teacher"):
            base = built[pack] / lesson.stem / f"{lesson.stem}-{edition}"
            docx = Docx(base.with_suffix(".docx").read_bytes())
            assert_same_words(body_words(pdf_text(base.with_suffix(".pdf"))), body_words(docx.body_text()),
                              f"{pack}/{lesson.stem} {edition}")


@pytest.mark.libreoffice
@pytest.mark.parametrize("pack", PACKS)
def test_libreoffice_opens_every_word_document(built, pack, tmp_path):
    from conftest import libreoffice_to_pdf

    files = []
    for lesson in _lessons(pack):
        for edition in ("student", "teacher"):
            copy = tmp_path / f"{lesson.stem}-{edition}.docx"
            shutil.copyfile(built[pack] / lesson.stem / f"{lesson.stem}-{edition}.docx", copy)
            files.append(copy)
    converted = libreoffice_to_pdf(files, tmp_path)
    assert len(converted) == len(files)
    for pdf in converted:
        assert pdf.is_file() and pdf.stat().st_size > 1000, pdf.name
