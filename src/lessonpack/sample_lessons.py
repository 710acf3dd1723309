"""Built-in lessons that ``check`` renders a pack's templates with: one with every part, one with none."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import LessonpackError
from .model import LessonFile
from .validate import validate_lesson
from .yamlsource import SourceMap, parse_yaml

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


@lru_cache(maxsize=1)
def _load() -> tuple[LessonFile, ...]:
    out = []
    for name in ("full", "bare"):
        path = SAMPLES / f"{name}.yaml"
        doc = parse_yaml(path.read_bytes(), SourceMap(str(path)))  # lessonpack's own file, not a pack's
        lesson, problems = validate_lesson(doc.data, doc.source)
        if lesson is None:  # pragma: no cover - guarded by the tests
            raise LessonpackError(problems)
        out.append(LessonFile(f"template-trial-{name}", path, lesson))
    return tuple(out)


def sample_lessons() -> list[LessonFile]:
    """The built-in trial lessons, validated."""
    return list(_load())
