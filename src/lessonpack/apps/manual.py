"""The guides that come with lessonpack (the repository's docs/ folder, installed inside the package as
``lessonpack/docs``): listed and printed by ``lessonpack docs``, so that a teacher who installed lessonpack from a
wheel, with no clone at hand, reads the same pages the help texts point to."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def folder() -> Path | None:
    """Where the guides are: inside the installed package, else (a clone installed in place) the clone's docs/."""
    installed = Path(str(resources.files("lessonpack"))) / "docs"
    if (installed / "lesson-format.md").is_file():
        return installed
    clone = Path(__file__).resolve().parents[3] / "docs"
    return clone if (clone / "lesson-format.md").is_file() else None


def topics() -> dict[str, Path]:
    """Each guide by its name (``lesson-format`` for docs/lesson-format.md), in name order."""
    where = folder()
    if where is None:
        return {}
    return {path.stem: path for path in sorted(where.glob("*.md"))}


def title(path: Path) -> str:
    """A guide's first heading, without its ``#``."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem
