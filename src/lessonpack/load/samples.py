"""Built-in sample lessons: ``check`` renders a pack's templates with two (every part, none), and the
Word reference document is drawn from a third whose texts name the styles."""

from __future__ import annotations

from functools import lru_cache

from ..errors import LessonpackError
from ..plugins import on_change
from ..version import DATA
from .images import lesson_images
from .model import LessonFile
from .validate import validate_lesson
from .yamlsource import SourceMap, parse_yaml

SAMPLES = DATA / "samples"


@lru_cache(maxsize=4)
def sample_lesson(name: str) -> LessonFile:
    """The built-in sample ``name`` (full, bare or reference), validated."""
    path = SAMPLES / f"{name}.yaml"
    doc = parse_yaml(path.read_bytes(), SourceMap(str(path)))  # lessonpack's own file, not a pack's
    if doc.problems:  # pragma: no cover - guarded by the tests
        raise LessonpackError(doc.problems)
    lesson, problems = validate_lesson(doc.data, doc.source)
    if lesson is None:  # pragma: no cover - guarded by the tests
        raise LessonpackError(problems)
    images, problems = lesson_images(lesson, doc.source, path, [SAMPLES])
    if problems:  # pragma: no cover - guarded by the tests
        raise LessonpackError(problems)
    return LessonFile(f"sample-{name}", path, lesson, images=images)


on_change(sample_lesson.cache_clear)  # a plug-in registered or removed changes the lesson model they were made with


def sample_lessons() -> list[LessonFile]:
    """The lessons a pack's templates are tried on: every part present, and every optional part missing."""
    return [sample_lesson("full"), sample_lesson("bare")]
