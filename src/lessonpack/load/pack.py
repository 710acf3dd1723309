"""Find a pack's files, read and validate them: ``read_pack`` and ``load_pack``."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import lessoncache
from . import model as m
from .model import LessonFile
from ..errors import Diagnostic, LessonpackError, display_path
from .images import lesson_images
from .letterhead import LetterheadSpec, load_letterhead
from .packfiles import PackFileError, read_pack_file
from .packlabels import pack_labels
from .validate import validate_lesson, validate_pack_config
from ..text.words import did_you_mean, slugify
from ..limits import MAX_LESSON_BYTES
from .yamlsource import SourceMap, parse_yaml, read_yaml

CONFIG_NAME = "lessonpack.yaml"
LESSON_DIR = "lessons"


@dataclass(frozen=True)
class Pack:
    """A validated pack: its settings, its lessons in order, and any warnings."""

    root: Path
    config: m.PackConfig
    config_path: Path | None
    lessons: list[LessonFile]
    warnings: list[Diagnostic] = field(default_factory=list)
    invalid: list[Diagnostic] = field(default_factory=list)  # lesson errors skipped by keep_going
    is_unit: bool = True  # False when the target was a single lesson file
    letterhead: LetterheadSpec | None = None  # lessonpack.yaml's letterhead:, checked (its logo read)

    @property
    def id(self) -> str:
        return self.config.id or slugify(self.config.title or "") or slugify(self.root.resolve().name) or "pack"

    @property
    def title(self) -> str:
        return self.config.title or (self.lessons[0].lesson.unit if len(self.lessons) == 1 and
                                     self.lessons[0].lesson.unit else self.root.resolve().name)


@dataclass
class Layout:
    """Where a pack's files are: its folder, its settings file, its lesson files."""

    root: Path
    config_path: Path | None
    lesson_files: list[Path]
    listing_dir: Path | None  # where lessons were listed from (None for a single-file target)
    problems: list[Diagnostic] = field(default_factory=list)


def _layout(target: Path) -> Layout:
    target = Path(target)
    if not target.exists():
        raise LessonpackError(f"{target}: no such file or folder")
    target = target.resolve()  # absolute, so caches keyed by folder never depend on the working directory
    if not target.is_dir():
        if target.name == CONFIG_NAME:
            return _layout(target.parent)
        folder = target.parent
        root = folder.parent if folder.name == LESSON_DIR and _exists(folder.parent / CONFIG_NAME) else folder
        config = root / CONFIG_NAME
        return Layout(root, config if _exists(config) else None, [target], None)
    if target.name == LESSON_DIR and not (target / LESSON_DIR).is_dir() and _exists(target.parent / CONFIG_NAME):
        target = target.parent
    config = target / CONFIG_NAME
    lesson_dir = target / LESSON_DIR if (target / LESSON_DIR).is_dir() else target
    # Every entry with a lesson's name is read (through the guard): a folder, pipe or link out named
    # like a lesson is reported, not silently skipped.
    entries = sorted(p for p in lesson_dir.iterdir() if p.name != CONFIG_NAME
                     and (p.is_symlink() or not p.is_dir() or p.suffix.lower() in (".yaml", ".yml")))
    files = [p for p in entries if p.suffix == ".yaml"]
    ignored = [p for p in entries if p.suffix.lower() in (".yml", ".yaml") and p.suffix != ".yaml"]
    if not files and not _exists(config):
        also = f" ({', '.join(p.name for p in ignored)} ignored: lesson files end in .yaml)" if ignored else ""
        raise LessonpackError(
            f"{display_path(target)}: no lessons found; expected a {LESSON_DIR}/ folder of .yaml lesson files "
            f"(or point lessonpack at one lesson file){also}")
    problems = [Diagnostic(display_path(p), 1, 1, "warning",
                           f'"{p.name}" is ignored: lesson files end in .yaml (lowercase)',
                           f"rename it to {p.stem}.yaml") for p in ignored]
    return Layout(target, config if _exists(config) else None, files, lesson_dir, problems)


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def _read_lesson(raw: bytes, digest: str, shown: str, *, remembered: bool = True
                 ) -> tuple[m.Lesson | None, list[Diagnostic], SourceMap | None]:
    """A lesson file's lesson (None if invalid) and problems; remembered from an earlier read of the same
    bytes when the cache has them (then without the file's source map, which only a new read makes)."""
    if remembered and (hit := lessoncache.lookup(digest, shown)) is not None:
        return hit[0], hit[1], None
    doc = parse_yaml(raw, SourceMap(shown))
    lesson, found = validate_lesson(doc.data, doc.source) if doc.data is not None else (None, [])
    lessoncache.store(digest, shown, lesson, doc.problems + found)
    return lesson, doc.problems + found, doc.source


@dataclass
class Reading:
    """What reading a pack gave, before it is judged as a whole: its settings, every lesson file that validated
    (listed or not), the ones the pack is made of, and every problem found so far."""

    layout: Layout
    config: m.PackConfig
    config_source: SourceMap | None  # where lessonpack.yaml's values are (None without one)
    raw_config: dict
    lessons: dict[Path, LessonFile]
    selected: list[Path]  # the lesson files the pack is made of, in its order
    problems: list[Diagnostic]
    read: dict[Path, tuple[bytes, str, str]] = field(default_factory=dict)  # a valid lesson's bytes, hash, name
    letterhead: LetterheadSpec | None = None  # lessonpack.yaml's letterhead:, checked

    @property
    def files(self) -> list[Path]:
        return self.layout.lesson_files

    def source_of(self, path: Path) -> SourceMap:
        """Where the values of a valid lesson file are, read again (a remembered lesson has no map)."""
        raw, digest, shown = self.read[path]
        return _read_lesson(raw, digest, shown, remembered=False)[2]  # type: ignore[return-value]

    def drop(self, path: Path) -> None:
        """Leave a lesson out: a problem found later (a picture, its size) makes it invalid."""
        self.lessons.pop(path, None)

    def pack(self, problems: list[Diagnostic], *, keep_going: bool = False) -> Pack | None:
        """The pack of the valid, listed lessons; None when ``problems`` has an error that stops it (any error,
        or with ``keep_going`` an error outside the lesson files)."""
        errors = [p for p in problems if p.is_error]
        lesson_files = {display_path(path) for path in self.files}
        if errors and not (keep_going and all(p.file in lesson_files for p in errors)):
            return None
        ordered = [self.lessons[path] for path in self.selected if path in self.lessons]
        return Pack(self.layout.root, self.config, self.layout.config_path, ordered,
                    [p for p in problems if not p.is_error], invalid=errors, is_unit=self.layout.listing_dir is not None,
                    letterhead=self.letterhead)


def read_pack(target: Path | str) -> Reading:
    """Read a pack (or one lesson file): its settings and every lesson file, each validated and linted, and the
    pictures each names read and checked. Nothing is rendered here; ``check`` judges the rest."""
    layout = _layout(Path(target))
    problems: list[Diagnostic] = list(layout.problems)

    config = m.PackConfig()
    config_source = None
    raw_config: dict = {}
    roots = [layout.root]
    if layout.config_path is not None:
        doc = read_yaml(layout.config_path, roots, display=display_path(layout.config_path), allow_empty=True,
                        what="pack settings file")
        problems += doc.problems
        config_source = doc.source
        if doc.data is not None:
            raw_config = doc.data if isinstance(doc.data, dict) else {}
            loaded, found = validate_pack_config(doc.data, doc.source)
            problems += found
            config = loaded or config
    letterhead = None
    if config.letterhead is not None and config_source is not None:
        # The logo is named from the pack's folder and read through the guard, like a lesson's pictures.
        letterhead, found = load_letterhead(config.letterhead, config_source, layout.root, roots,
                                            school=config.school or "", teacher=config.teacher or "")
        problems += found

    # Every lesson file is checked, listed or not; only the listed ones make up the pack.
    files = layout.lesson_files
    selected = files
    wanted = raw_config.get("lessons")
    if isinstance(wanted, list) and layout.listing_dir is not None and config_source is not None:
        if wanted:
            selected, found = _order([w for w in wanted if isinstance(w, str)], files, config_source,
                                     layout.listing_dir)
            problems += found
        else:
            selected = []
            problems.append(config_source.diagnostic(("lessons",), "lessons: the list is empty, so there is "
                                                     "nothing to build", hint="list lesson ids, or remove lessons: "
                                                     "to build every file in lessons/"))
    if not files and layout.listing_dir is not None:
        where = display_path(layout.config_path) if layout.config_path else display_path(layout.root)
        problems.append(Diagnostic(where, 1, 1, "error",
                                   f"no lessons: {display_path(layout.listing_dir)}/ holds no .yaml lesson files",
                                   "write one file per lesson, e.g. lessons/stalin.yaml with `title: ...`"))

    catalogues, found = pack_labels(layout.root)
    problems += found
    lessons: dict[Path, LessonFile] = {}
    read: dict[Path, tuple[bytes, str, str]] = {}
    for path in files:
        shown = display_path(path)
        lesson_id = path.stem
        if not m.ID_PATTERN.match(lesson_id):
            problems.append(Diagnostic(
                shown, 1, 1, "error",
                f'"{path.name}" is not a valid lesson file name; the name becomes the lesson id',
                f"rename it to lowercase letters, digits and hyphens, e.g. {slugify(lesson_id) or 'lesson-1'}.yaml"))
        try:
            raw = read_pack_file(path, roots, limit=MAX_LESSON_BYTES, what="lesson file")
        except PackFileError as exc:
            problems.append(exc.diagnostic)
            continue
        digest = hashlib.sha256(raw).hexdigest()
        lesson, found, source = _read_lesson(raw, digest, shown)
        problems += found
        if lesson is not None:
            images, found = lesson_images(lesson, source or SourceMap(shown), path, roots)
            if found and source is None:  # remembered, but a picture is wrong: read again to position the problem
                lesson, _, source = _read_lesson(raw, digest, shown, remembered=False)
                images, found = lesson_images(lesson, source, path, roots)  # type: ignore[arg-type]
            problems += found
            if not found:
                lessons[path] = LessonFile(lesson_id, path, lesson, digest, images, catalogues)
                read[path] = (raw, digest, shown)
    return Reading(layout, config, config_source, raw_config, lessons, selected, problems, read, letterhead)


def _order(wanted: list[str], files: list[Path], source, lesson_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    by_id = {p.stem: p for p in files}
    ordered: list[Path] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, lesson_id in enumerate(wanted):
        lesson_id = lesson_id[:-5] if lesson_id.endswith(".yaml") else lesson_id
        if lesson_id in seen:
            problems.append(source.diagnostic(("lessons", i), f'lessons[{i}]: "{lesson_id}" is listed twice '
                                              f"(first as lessons[{seen[lesson_id]}])"))
            continue
        seen[lesson_id] = i
        stem = lesson_id
        if stem in by_id:
            ordered.append(by_id[stem])
        else:
            guess = did_you_mean(stem, list(by_id))
            problems.append(source.diagnostic(
                ("lessons", i),
                f'lessons[{i}]: no lesson "{lesson_id}" in {display_path(lesson_dir)}/'
                + (f'; did you mean "{guess}"?' if guess else ""),
                hint="list lessons by id, the file name without .yaml"))
    missing = [p.stem for p in files if p not in ordered]
    if missing and not problems:
        problems.append(source.diagnostic(
            ("lessons",), f"lessons: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not listed, "
                          "so will not be built", severity="warning", at_key=True,
            hint=f"add {'it' if len(missing) == 1 else 'them'} to lessons:, or move "
                 f"{'it' if len(missing) == 1 else 'them'} out of the lessons folder"))
    return ordered, problems


def pack_root(target: Path | str) -> Path | None:
    """The pack folder a target belongs to, without validating anything (None if there is none)."""
    try:
        return _layout(Path(target)).root
    except LessonpackError:
        return Path(target) if Path(target).is_dir() else None


def load_pack(target: Path | str = ".", *, keep_going: bool = False) -> Pack:
    """Load and validate a pack or one lesson file; raise :class:`LessonpackError` listing every error.

    With ``keep_going``, invalid lessons are left out (their errors in ``pack.invalid``) instead.
    """
    reading = read_pack(target)
    pack = reading.pack(reading.problems, keep_going=keep_going)
    if pack is None:
        raise LessonpackError(reading.problems)
    return pack
