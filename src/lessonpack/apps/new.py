"""``lessonpack new``: a commented skeleton of a new lesson, with one example of every item type.

The skeleton's placeholders are written in angle brackets (``<The correct choice>``). Where two values
must be the same text (a multiple-choice answer and its choice), the same placeholder stands for both.
The first line names the lesson schema for editors; the schema file is written into the pack if the pack
has none. A pack whose ``lessonpack.yaml`` lists its lessons gets the new one appended to the list, by a
text edit that keeps the file's comments and layout.

A pack may be someone else's download, so ``new`` writes as a build does (:mod:`lessonpack.building.output`): only
inside the pack, where every folder on the way is a real folder, never through a link or over a file; and
it reads ``lessonpack.yaml`` through the guarded loader (size, aliases and nesting capped) before editing it.
Every check is made before the first file is written.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
import textwrap
from pathlib import Path

import yaml

from ..load import model as m
from ..errors import Diagnostic, LessonpackError, display_path
from ..limits import MAX_LESSON_BYTES
from ..building.output import check_inside, write_atomic, write_new
from ..load.pack import CONFIG_NAME, LESSON_DIR
from ..text.words import slugify
from ..load.packfiles import PackFileError, read_pack_file
from .schema import LESSON_SCHEMA_FILE, SCHEMA_DIR, lesson_schema, schema_text
from ..load.yamlsource import SourceMap, parse_yaml

PLACEHOLDER = re.compile(r"<([^<>\n]*[A-Za-z][^<>\n]*)>")
"""A placeholder the teacher replaces: text between angle brackets."""

MAX_ID_CHARS = 60

_ARTICLES = ("the", "a", "an")


def lesson_id_for(title: str) -> str:
    """The file name (without .yaml) for a title: ``The Treaty of Versailles`` → ``treaty-of-versailles``.

    Lower-case ASCII, accents folded, words joined by hyphens, a leading article dropped, at most
    60 characters (cut between words)."""
    slug = slugify(title)  # accents folded; a dash or any other mark separates words
    first, _, rest = slug.partition("-")
    if first in _ARTICLES and rest:
        slug = rest
    if len(slug) > MAX_ID_CHARS:
        slug = slug[:MAX_ID_CHARS + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_ID_CHARS + 1] else slug[:MAX_ID_CHARS]
    return slug


SKELETON = """\
# yaml-language-server: $schema={schema}
#
# A new lesson. Replace every <…> with your own words and delete the optional keys you do not need,
# then run: lessonpack check --strict
# Every key is explained in lessonpack's docs/lesson-format.md (`lessonpack docs lesson-format` prints it).
# Put a text in "double quotes" when it contains ": " or " #", or starts with [ or {{.

title: {title}
subtitle: <One line printed under the title>
subject: <The subject, such as History>
grade: <The grade, such as 9–10>          # the reading level is compared with it
unit: <The unit this lesson belongs to>
duration: <How long the lesson takes, such as 2 class periods>
author: <Your name>
language: en                              # a language tag: en, es, fr, en-GB…

# What students will be able to do by the end (teacher edition).
objectives:
  - <An objective, starting with a verb such as Describe>
  - <A second objective, starting with a verb such as Explain>

# The passage students read. Leave a blank line between paragraphs; **bold** and *italics* work.
reading:
  title: <The heading of the reading>
  source: <Where the text comes from, such as Written for this unit>
  text: |
    <The first paragraph. Use each key term below in the reading, where it is set in bold.>

    <The second paragraph.>

# Printed as a glossary; each term is set in bold where it first appears in the reading.
key_terms:
  - term: <The first key term>
    definition: <What the first key term means>
  - term: <The second key term>
    definition: <What the second key term means>

# Discussion questions: plain text, or text: with notes: for the teacher edition.
prompts:
  - text: <A discussion question>
    notes: <What a good discussion brings out>
  - <Another discussion question>

# Primary sources, lettered A, B, C… in this order. A source can also be a picture (image: and alt:)
# or a table (table: with header: and rows:).
sources:
  - title: <The title of a written source>
    text: |
      <The words quoted from the source>
    citation: <Who wrote it, when, and where it was published or is kept>
    notes: <Its context and what to draw out, for you in the teacher edition>

worksheet:
  title: <The worksheet's heading, such as Check Your Understanding>
  instructions: <What students should do, such as Use the reading to answer every question>
  items:
{items}

# Notes for you, in the teacher edition only (Markdown). content_warning: is for what to tell students
# before a difficult part of the lesson.
teacher_notes: |
  <Timing, common misconceptions, and how to help weaker readers.>
"""


def lesson_text(title: str, schema_ref: str) -> str:
    """The skeleton of a lesson called ``title``, whose first line names the schema at ``schema_ref``."""
    return SKELETON.format(title=_yaml_text(title), schema=schema_ref, items=_items())


def _items() -> str:
    """One example of every item type, as each type shows itself (its ``skeleton``), under ``items:``."""
    from ..plugins import item_types

    shown = [textwrap.indent(_commented(t.skeleton) if t.skeleton_needs_files else t.skeleton.rstrip("\n"), "    ")
             for t in item_types().values() if t.skeleton]
    return "\n\n".join(shown)


NEEDS_FILES = "# Needs a picture of your own: save it in the pack, name it below, then remove the # before each line."


def _commented(skeleton: str) -> str:
    """A type's skeleton that names a file the teacher must add first, commented out (the lesson checks clean
    before the file exists), under a line saying what to do."""
    return NEEDS_FILES + "\n" + "\n".join(f"# {line}" if line else "#" for line in skeleton.rstrip("\n").splitlines())


def _yaml_text(text: str) -> str:
    """``text`` as a YAML value on one line: as written when YAML reads it back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"key: {text}") == {"key": text} and text == text.strip():
            return text
    except (yaml.YAMLError, RecursionError):  # RecursionError: a title of thousands of "["
        pass
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@dataclass
class NewLesson:
    """What ``lessonpack new`` wrote (absolute paths), and anything the teacher should know."""

    lesson: Path
    lesson_id: str
    schema: Path | None = None  # the schema file, when it was written now
    listed_in: Path | None = None  # lessonpack.yaml, when the lesson was added to its lessons: list
    notes: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # why lessonpack.yaml was left alone, positioned


def lesson_folder(pack: Path) -> Path:
    """Where a pack keeps its lessons: ``lessons/``, or the pack folder itself when its lessons lie there."""
    lessons = pack / LESSON_DIR
    if lessons.is_dir():
        return lessons
    if any(p.suffix == ".yaml" and p.name != CONFIG_NAME and p.is_file() for p in pack.iterdir()):
        return pack
    return lessons


def new_lesson(title: str, pack: Path | str = ".", lesson_id: str | None = None) -> NewLesson:
    """Write the skeleton of a new lesson into ``pack``; see the module's description.

    Raises :class:`LessonpackError`, writing nothing, when the title is empty, the id is not valid, the
    lesson file exists already, or a file would be written through a link or outside the pack.
    """
    title = title.strip()
    if not title:
        raise LessonpackError("the title is empty; write it in quotes: lessonpack new \"The Treaty of Versailles\"")
    if any(ch in title for ch in "\r\n"):
        raise LessonpackError("the title must be one line")
    root = Path(pack).resolve()
    if not root.is_dir():
        raise LessonpackError(f"{display_path(root)}: no such folder")
    if lesson_id is None:
        lesson_id = lesson_id_for(title)
        if not lesson_id:
            raise LessonpackError(f'cannot make a file name from the title "{title}" (it has no letters a–z or '
                                  "digits); give one with --id, e.g. --id lesson-1")
    elif not m.ID_PATTERN.match(lesson_id):
        raise LessonpackError(f'--id: "{lesson_id}" is not a valid lesson id; use lowercase letters, digits and '
                              f"hyphens, e.g. {slugify(lesson_id) or 'lesson-1'}")

    folder = lesson_folder(root)
    target = folder / f"{lesson_id}.yaml"
    check_inside(root, target, inside="the pack")  # before anything else: a link on the way stops it all
    if os.path.lexists(target):
        raise LessonpackError(f"{display_path(target)}: already exists; nothing written (choose another title, or "
                              f"give another file name with --id)")

    schema_file = root / SCHEMA_DIR / LESSON_SCHEMA_FILE
    schema_ref = Path(os.path.relpath(schema_file, folder)).as_posix()
    result = NewLesson(target, lesson_id)
    write_schema = not os.path.lexists(schema_file)
    if write_schema:
        check_inside(root, schema_file, inside="the pack")

    config = root / CONFIG_NAME
    listing = None
    if os.path.lexists(config):
        listing, note, result.problems = _listing_edit(config, root, lesson_id)
        if note:
            result.notes.append(note)

    write_new(target, lesson_text(title, schema_ref).encode("utf-8"), folder=root)
    if write_schema:
        write_new(schema_file, schema_text(lesson_schema()).encode("utf-8"), folder=root)
        result.schema = schema_file
    if listing is not None:
        try:
            mode = stat.S_IMODE(os.lstat(config).st_mode)
            write_atomic(config, listing.encode("utf-8"), folder=root, mode=mode, inside="the pack")
            result.listed_in = config
        except (LessonpackError, OSError) as exc:  # the lesson is written: say so, and what is left to do
            reason = exc.message if isinstance(exc, LessonpackError) else f"cannot write {display_path(config)}"
            result.notes.append(f"{reason.removeprefix('error: ')}; add {lesson_id} to its lessons: list yourself")
    return result


# -- the lessons: list of lessonpack.yaml ------------------------------------------------------------


def _listing_edit(config: Path, root: Path, lesson_id: str) -> tuple[str | None, str | None, list[Diagnostic]]:
    """The new text of ``lessonpack.yaml`` with the lesson appended to its ``lessons:`` list (None: leave the
    file alone), a note for the teacher when the file could not be edited, and its problems, positioned."""
    shown = display_path(config)
    manual = f"add {lesson_id} to its lessons: list yourself"
    if config.is_symlink() or not config.is_file():
        return None, f"{shown} is not a plain file, so it was not changed; {manual}", []
    try:
        raw = read_pack_file(config, [root], limit=MAX_LESSON_BYTES, what="pack settings file")
        text = raw.decode("utf-8")
    except PackFileError as exc:
        return None, f"{shown} could not be read, so it was not changed; {manual}", [exc.diagnostic]
    except UnicodeDecodeError:
        return None, f"{shown} could not be read as UTF-8 text, so it was not changed; {manual}", []
    problems = [p for p in parse_yaml(raw, SourceMap(shown), allow_empty=True).problems if p.is_error]
    if problems:  # a syntax error, an alias bomb, nesting too deep: said where, and the file is left alone
        return None, f"{shown} has a YAML error (lessonpack check shows where), so it was not changed; {manual}", \
            problems
    try:
        edited = add_to_lessons_list(text, lesson_id)
        listed = edited is None and lesson_id in _listed(text)
    except yaml.YAMLError:
        return None, f"{shown} has a YAML error (lessonpack check shows where), so it was not changed; {manual}", []
    return edited, (f"{shown} lists {lesson_id} already" if listed else None), []


def _listed(text: str) -> list[str]:
    """The lesson ids a ``lessonpack.yaml`` lists (none when it has no list)."""
    data = yaml.safe_load(text.lstrip("\ufeff"))
    entries = data.get("lessons") if isinstance(data, dict) else None
    return [e.removesuffix(".yaml") for e in entries if isinstance(e, str)] if isinstance(entries, list) else []


def add_to_lessons_list(text: str, lesson_id: str) -> str | None:
    """``text`` (a ``lessonpack.yaml``) with ``lesson_id`` appended to its ``lessons:`` list, written in the
    style of the entries already there; None when the file lists no lessons (or lists this one already).

    A text edit, not a YAML round trip: comments, quoting and layout stay as they were. A file the guarded
    loader refuses (:func:`~lessonpack.load.yamlsource.parse_yaml`: aliases, nesting, size) raises ``yaml.YAMLError``
    before PyYAML reads it whole."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    refused = [p for p in parse_yaml(body.encode("utf-8"), SourceMap(""), allow_empty=True).problems if p.is_error]
    if refused:
        raise yaml.YAMLError(refused[0].message)
    node = yaml.compose(body, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return None
    listing = next((value for key, value in node.value
                    if isinstance(key, yaml.ScalarNode) and key.value == "lessons"), None)
    if not isinstance(listing, yaml.SequenceNode):
        return None  # no lessons: key, or `lessons:` with nothing after it: every lesson is built
    before = yaml.safe_load(body)["lessons"]
    written = [item.value for item in listing.value if isinstance(item, yaml.ScalarNode)]
    if lesson_id in written or f"{lesson_id}.yaml" in written:
        return None
    name = f"{lesson_id}.yaml" if written and all(w.endswith(".yaml") for w in written) else lesson_id
    entry = name if yaml.safe_load(name) == name else f'"{name}"'  # e.g. an id "no" or "null"
    newline = "\r\n" if "\r\n" in body else "\n"

    if listing.flow_style:  # lessons: [a, b]
        if listing.value:
            at = listing.value[-1].end_mark.index
            body = body[:at] + ", " + entry + body[at:]
        else:  # lessons: []
            at = listing.start_mark.index + 1
            body = body[:at] + entry + body[at:]
    else:  # one "- id" line per lesson: a new line after the last entry's, indented like the first
        end = listing.value[-1].end_mark.index
        line_end = body.find("\n", end)
        if line_end < 0:
            body += newline
            line_end = len(body) - 1
        line = " " * listing.start_mark.column + "- " + entry + newline
        body = body[:line_end + 1] + line + body[line_end + 1:]

    after = yaml.safe_load(body)
    if not isinstance(after, dict) or after.get("lessons") != [*before, yaml.safe_load(entry)]:
        raise yaml.YAMLError("the edit did not append exactly one entry")  # pragma: no cover - a layout not foreseen
    return bom + body
