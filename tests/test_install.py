"""lessonpack installed as a school's IT person would: from its wheel, into a clean environment, outside any clone.

The wheel must carry everything a build needs (templates, styles, label catalogues, the guides the help texts
name, the JSON Schemas and the licence; the fonts arrive as its dependencies), and the installed command must
build a pack written from the docs alone with the same page counts as the repository's own copy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w",
                    str(folder), str(REPO)], check=True, capture_output=True, timeout=600)
    found = sorted(folder.glob("lessonpack-*.whl"))
    assert len(found) == 1, found
    return found[0]


def test_the_wheel_holds_what_a_build_needs(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode("utf-8")
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode("utf-8")
    package = REPO / "src" / "lessonpack"
    for path in sorted((package / "data").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"lessonpack/{path.relative_to(package).as_posix()}" in names, path
    for guide in sorted((REPO / "docs").glob("*.md")):
        assert f"lessonpack/docs/{guide.name}" in names, guide.name
    for schema in sorted((REPO / "schema").glob("*.json")):
        assert f"lessonpack/schema/{schema.name}" in names, schema.name
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "lessonpack = lessonpack.apps.cli:main" in entry_points
    requires = re.findall(r"^Requires-Dist: ([\w.-]+)", metadata, re.M)
    assert {"font-source-serif-pro", "font-source-sans-pro", "weasyprint", "python-docx"} <= set(requires)
    assert "lessonpack docs" in metadata  # the description names the guides that come with it
    assert not [n for n in names if n.startswith(("tests/", "lessons/", "examples/")) or "/.venv/" in n]


def test_the_docs_name_the_wheel_this_version_builds(wheel):
    for doc in (REPO / "README.md", REPO / "docs" / "scale-out.md"):
        named = set(re.findall(r"lessonpack-[\w.]+-py3-none-any\.whl", doc.read_text(encoding="utf-8")))
        assert named == {wheel.name}, (doc.name, named)


def _docs_lesson() -> str:
    """The first whole lesson in docs/lesson-format.md (a title and a worksheet), as written there."""
    text = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    for body in re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S):
        data = yaml.safe_load(body)
        if isinstance(data, dict) and "title" in data and "worksheet" in data:
            return body
    raise AssertionError("docs/lesson-format.md has no whole lesson")


def test_a_clean_install_builds_a_pack_made_from_the_docs(wheel, tmp_path, run):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                          str(wheel)], capture_output=True, text=True, timeout=900)
    assert pip.returncode == 0, pip.stderr[-2000:]
    installed = venv / "bin" / "lessonpack"

    outside = tmp_path / "school"  # no clone anywhere near: the pack is made from the docs alone
    (outside / "lessons").mkdir(parents=True)
    (outside / "lessonpack.yaml").write_text("title: From the docs\nlessons:\n  - from-the-docs\n",
                                             encoding="utf-8")
    (outside / "lessons" / "from-the-docs.yaml").write_text(_docs_lesson(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def lessonpack(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(installed), *args], cwd=outside, env=env, capture_output=True, text=True,
                              timeout=600)

    version = lessonpack("--version")
    assert version.returncode == 0 and version.stdout.startswith("lessonpack, version "), version.stderr
    guides = lessonpack("docs")
    assert guides.returncode == 0 and "lesson-format" in guides.stdout and str(venv) in guides.stdout
    assert lessonpack("docs", "lesson-format").stdout.startswith("# ")
    checked = lessonpack("check", "--strict", ".")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = lessonpack("build", ".", "-o", "dist", "-f", "pdf", "-f", "docx", "--no-pack")
    assert built.returncode == 0, built.stdout + built.stderr

    here = run("build", str(outside), "-o", str(tmp_path / "here"), "-f", "pdf", "--no-pack")
    assert here.exit_code == 0, here.output
    from pypdf import PdfReader

    for edition in ("student", "teacher"):
        theirs = outside / "dist" / "from-the-docs" / f"from-the-docs-{edition}.pdf"
        ours = tmp_path / "here" / "from-the-docs" / f"from-the-docs-{edition}.pdf"
        assert theirs.is_file() and (theirs.with_suffix(".docx")).is_file()
        assert len(PdfReader(theirs).pages) == len(PdfReader(ours).pages), edition
