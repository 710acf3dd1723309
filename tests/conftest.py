"""Shared fixtures: the repository's sample pack and a CLI runner that behaves like a terminal user."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

# Checked lessons are remembered in a cache of this test run's own, not the user's (lessonpack.load.lessoncache).
os.environ.setdefault("LESSONPACK_CACHE_DIR", str(Path(__import__("tempfile").mkdtemp(prefix="lessonpack-cache-"))))

from lessonpack.apps.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_LESSONS = sorted((REPO / "lessons").glob("*.yaml"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """A test that reads the sample unit's whole build (the sample_builds fixture: every lesson, edition and
    format in two styles, the suite's costliest setup) runs in make test-heavy, which CI runs too."""
    for item in items:
        if "sample_builds" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run ``lessonpack ARGS`` in a working directory (default: a fresh temporary folder)."""

    def _run(*args: str, cwd: Path | None = None):
        monkeypatch.chdir(cwd or tmp_path)
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return result

    return _run


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its mtime and bytes, to prove a command wrote nothing."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = (os.stat(path).st_mtime_ns, path.read_bytes())
    return out


UNIT_LESSON = """title: "Lesson {n}: The Interwar Years, part {n}"
subject: History
grade: 9–10
unit: The Interwar Years (1919–1938)
reading:
  title: Part {n}
  text: |
    After the First World War, Europe tried to rebuild. In lesson {n} we look at how the
    **League of Nations** was meant to keep the peace, and why the peace proved fragile.

    Treaties such as Locarno raised hopes. Yet the Depression hit farm economies hard, and
    many governments turned to authoritarian rule. {extra}
key_terms:
  - {{term: League of Nations, definition: An international body set up in 1920 to settle disputes.}}
  - {{term: Depression, definition: The world economic collapse that began in 1929.}}
prompts:
  - text: Why was the peace fragile?
    notes: Look for several causes.
worksheet:
  title: Check your understanding
  items:
    - {{type: multiple_choice, prompt: "When was the League set up?", choices: ["1918", "1920", "1929"], answer: "1920"}}
    - {{type: true_false, prompt: The Depression began in 1929., answer: true}}
    - {{type: fill_in_blank, text: "The [[League of Nations]] was meant to keep the [[peace]]."}}
    - {{type: matching, from_key_terms: true}}
    - {{type: ordering, events: [War ends, League set up, Depression begins]}}
    - {{type: short_answer, prompt: Name one cause of instability., answer: The Depression.}}
    - {{type: essay, prompt: "How fragile was the peace?", lines: 6, rubric: [Uses evidence]}}
"""


def own(q, name: str) -> tuple:
    """A question's own field, as its item type plans it (``choices`` of a multiple-choice question), or ()
    for a question whose type has no such field."""
    return tuple(getattr(q, name, ()) or ())


def make_unit(folder: Path, lessons: int, *, title: str = "Generated Unit", duplex: bool = False) -> Path:
    """A pack of ``lessons`` short lessons (every item type), for build tests and benchmarks."""
    (folder / "lessons").mkdir(parents=True, exist_ok=True)
    for n in range(1, lessons + 1):
        (folder / "lessons" / f"lesson-{n:02d}.yaml").write_text(
            UNIT_LESSON.format(n=n, extra=""), encoding="utf-8")
    (folder / "lessonpack.yaml").write_text(
        f"title: {title}\nschool: Test School\nteacher: Ms Example\nformats: [pdf]\nduplex: {str(duplex).lower()}\n",
        encoding="utf-8")
    return folder


def edit_lesson(folder: Path, n: int, extra: str) -> None:
    """Change one generated lesson's reading, as a teacher's one-word edit would."""
    (folder / "lessons" / f"lesson-{n:02d}.yaml").write_text(UNIT_LESSON.format(n=n, extra=extra), encoding="utf-8")


def shared_once(tmp_path_factory, name: str, make) -> Path:
    """A folder that ``make(folder)`` fills once per test run, shared by every pytest-xdist worker (the
    others wait for the first): the sample unit's builds and conversions are the suite's costliest work."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / f"shared-{name}"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".done").touch()
    return folder


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory):
    """The sample unit built once per test run, as `lessonpack build` writes it: style → output folder.

    classic: PDF and DOCX of every lesson and edition, and the unit PDFs; large-print: PDF and DOCX of
    every lesson and edition. Tests read these files and never change them.
    """
    from lessonpack.building.builder import build

    styles = (("classic", True), ("large-print", False))

    def make(folder: Path) -> None:
        for style, with_pack in styles:
            result = build(REPO, out_dir=folder / style, formats=["pdf", "docx"], style=style, with_pack=with_pack)
            assert result.ok, result.failed

    folder = shared_once(tmp_path_factory, "sample-builds", make)
    return {style: folder / style for style, _ in styles}


# -- LibreOffice: the Word documents laid out as an editor's word processor does -------------------

SAMPLE_DOCUMENTS = [(lesson.stem, edition, style) for lesson in SAMPLE_LESSONS for edition in ("student", "teacher")
                    for style in ("classic", "large-print")]


def with_lessonpack_fonts(folder: Path) -> dict[str, str]:
    """An environment in which LibreOffice finds the fonts the Word styles name (installed with lessonpack,
    in its font packages), as on an editor's machine that has them."""
    from lessonpack.styles.fonts import bundled_folders

    conf = folder / "fonts.conf"
    dirs = "".join(f"<dir>{d}</dir>" for d in bundled_folders())
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"{dirs}<cachedir>{folder / 'fontcache'}</cachedir></fontconfig>", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def libreoffice_to_pdf(files: list[Path], folder: Path) -> list[Path]:
    """Convert Word documents to PDF with LibreOffice in one run (skip the test when it is missing)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    # The blank left-hand page Word and LibreOffice insert before an odd-page section (a worksheet starting a
    # right-hand page, for two-sided copying) is printed; LibreOffice's PDF export leaves it out unless asked.
    export = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to",
                    export, "--outdir", str(folder), *map(str, files)], check=True, capture_output=True, timeout=300,
                   env=with_lessonpack_fonts(folder))
    return [folder / path.with_suffix(".pdf").name for path in files]


@pytest.fixture(scope="session")
def libreoffice_samples(sample_builds, tmp_path_factory):
    """Every sample DOCX converted by LibreOffice in one run: (lesson, edition, style) → PDF."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    files = {key: f"{key[2]}--{key[0]}-{key[1]}.docx" for key in SAMPLE_DOCUMENTS}

    def make(folder: Path) -> None:
        for (lesson, edition, style), name in files.items():
            shutil.copyfile(sample_builds[style] / lesson / f"{lesson}-{edition}.docx", folder / name)
        libreoffice_to_pdf([folder / name for name in files.values()], folder)

    folder = shared_once(tmp_path_factory, "libreoffice", make)
    return {key: (folder / name).with_suffix(".pdf") for key, name in files.items()}
