"""Shared fixtures: the repository's sample pack and a CLI runner that behaves like a terminal user."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonpack.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_LESSONS = sorted((REPO / "lessons").glob("*.yaml"))


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


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory):
    """The sample unit built once per test session, as `lessonpack build` writes it: style → output folder.

    classic: PDF and DOCX of every lesson and edition, and the unit PDFs; large-print: PDF and DOCX of
    every lesson and edition.
    """
    from lessonpack.build import build

    out = {}
    for style, with_pack in (("classic", True), ("large-print", False)):
        folder = tmp_path_factory.mktemp(style)
        result = build(REPO, out_dir=folder, formats=["pdf", "docx"], style=style, with_pack=with_pack)
        assert result.ok, result.failed
        out[style] = folder
    return out
