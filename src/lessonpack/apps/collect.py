"""Read filled fillable PDFs back (``lessonpack collect``): a row per student, every field's value, and marks.

A form is untrusted input (a student's file, or anything named on the command line): each is read in a
limited process (memory and time, as a render), capped in size, and only its form fields and one
metadata entry are looked at. A file that is not a PDF, or not a lessonpack form, is reported and
skipped; the others are still collected.

Marks come from the teacher key of the lesson the form was made from (the pack is loaded and the key
planned as the teacher edition prints it): multiple choice, true/false, blanks and a diagram's labels (any
accepted answer, ignoring case and extra spaces), matching, ordering and numeric answers (a number within
the tolerance; each item type judges its own fields: ``ItemType.right``). A question with several fields
(blanks, rows, events, labels) scores its share of points for each field that is right. Open questions are
left to the teacher; a question answered on paper (a drawing) has no field, and is reported as marked by
hand. The blank cells of a source's table (a data table students complete) are listed with the other fields and
not marked: they belong to no question and carry no points.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Iterator

from .. import limits
from ..errors import Diagnostic, LessonpackError, display_path
from ..handout.fields import FIELD_NAME
from ..items.base import same_text
from ..plugins import item_types
from ..text.labels import number
from ..load.model import ID_PATTERN

LESSON_KEY = "/lessonpacklesson"
"""The form's metadata entry naming its lesson (WeasyPrint writes ``<meta name="lessonpack-lesson">`` so)."""
SHA_KEY = "/lessonpacksha"
"""The hash of the lesson file the form was made from: marking a form against an edited lesson is warned about."""

_FORM_NAME = re.compile(r"^(?P<lesson>[a-z0-9]+(?:-[a-z0-9]+)*)-student-form$")


@dataclass
class Form:
    """One filled form as read: its lesson, and each field's value (text, a choice letter, true or false)."""

    path: Path
    lesson: str
    values: dict[str, str]
    lesson_sha: str = ""
    cut: list[str] = field(default_factory=list)  # fields whose values were longer than collect keeps


@dataclass
class Collected:
    """What ``collect`` found: the forms read, the problems with the others, and the table it makes."""

    forms: list[Form] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    keys: dict[str, tuple] = field(default_factory=dict)  # each marked lesson's key (handout.fields.answers)
    # Each marked lesson's questions answered on paper, not in the form (a drawing): (number, kind), by lesson.
    by_hand: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    # For each marked question (by lesson and number), the share of its points the forms won together:
    # which questions the class found hard.
    shares: dict[tuple[str, int], float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def rows(self) -> Iterator[list[str]]:
        """The table, a row at a time: the header, then a row per form."""
        return _table(self.forms, self.keys)

    def write_csv(self, handle: BinaryIO) -> None:
        """The table as CSV, written to ``handle`` a row at a time (a class's answers are never held twice)."""
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")  # the mark tells spreadsheets it is UTF-8
        csv.writer(text, lineterminator="\r\n").writerows(self.rows())
        text.flush()
        text.detach()


def _refused(path: Path, message: str) -> LessonpackError:
    """A file that collect cannot read as a form: the file as a whole, with why."""
    return LessonpackError([Diagnostic(str(path), 0, 0, "error", message)])


def read_form(path: Path) -> Form:
    """A form's fields and lesson, read in this process (``collect`` calls it in a limited one)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_FORM_BYTES + 1)
    except OSError as exc:
        raise _refused(path, f"cannot read it: {exc.strerror or exc}") from None
    if len(data) > limits.MAX_FORM_BYTES:
        raise _refused(path, f"larger than {limits.MAX_FORM_BYTES:,} bytes; a lessonpack "
                              "form is far smaller, so this is not one")
    if not data.startswith(b"%PDF-"):
        raise _refused(path, "not a PDF; collect reads the fillable PDFs "
                              "(<lesson>-student-form.pdf) that students filled in")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        fields = reader.get_fields() or {}
        metadata = reader.metadata or {}
        lesson, sha = str(metadata.get(LESSON_KEY, "") or ""), str(metadata.get(SHA_KEY, "") or "")
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise _refused(path, f"the PDF cannot be read ({type(exc).__name__}); "
                              "ask for the file again, saved from the PDF viewer") from None
    named = _FORM_NAME.match(path.stem.split(" ")[0])
    lesson = lesson or (named["lesson"] if named else "")
    # Only the fields lessonpack names are read: another PDF's fields (or a crafted name) never reach the table.
    try:
        ours = [(str(name), f) for name, f in fields.items() if FIELD_NAME.match(str(name))]
        if len(ours) > limits.MAX_FORM_FIELDS:
            raise _refused(path, f"it has {len(ours):,} fields; a lessonpack form has at "
                                  f"most {limits.MAX_FORM_FIELDS:,}, so this is not one")
        values = {name: _value(f) for name, f in ours}
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise _refused(path, f"the PDF's fields cannot be read ({type(exc).__name__}); "
                              "ask for the file again, saved from the PDF viewer") from None
    cut = sorted(name for name, value in values.items() if len(value) > limits.MAX_FORM_VALUE_CHARS)
    values = {name: value[:limits.MAX_FORM_VALUE_CHARS] for name, value in values.items()}
    if not ID_PATTERN.match(lesson) or len(lesson) > 200 or not any(name.startswith("q") for name in values):
        raise _refused(path, "not a lessonpack form (no question fields); collect "
                              "reads the fillable PDFs that lessonpack build -f pdf-form writes")
    return Form(path, lesson, values, sha, cut)


def _value(f) -> str:
    """A field's value as text: a button group's chosen option (its letter, or true/false), or the text typed;
    "" for anything else a PDF may hold there (a list, a dictionary, a stream)."""
    value = f.get("/V")
    if value in (None, "/Off") and f.get("/Kids"):  # a viewer that marked the chosen button only
        states = [str(kid.get_object().get("/AS", "/Off")) for kid in list(f["/Kids"])[:100]]
        value = next((state for state in states if state != "/Off"), None)
    if value is None or not isinstance(value, (str, bytes, int, float)):
        return ""
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    options = f.get("/Opt")
    if text.startswith("/"):  # a button group: /0, /1… name the option, /Off none
        state = text[1:]
        if state == "Off":
            return ""
        if isinstance(options, list) and state.isascii() and state.isdigit() and len(state) < 4 \
                and int(state) < len(options) and isinstance(options[int(state)], str):
            return str(options[int(state)])
        return state
    return text


def collect(paths: list[Path], target: Path | str = ".", *, limit=None) -> Collected:
    """Read every form (each in a limited process), mark it with its lesson's key from the pack at ``target``,
    and lay out the table: a row per form."""
    from ..building import workers
    from ..building.workers import Limits

    result = Collected()
    if len(paths) > limits.MAX_FORMS:
        raise LessonpackError(f"{len(paths):,} forms named; collect reads at most {limits.MAX_FORMS:,} at a time: "
                              "collect them in several runs, a class or a year group at a time")
    held = 0  # characters of values held so far
    for path in paths:
        if held > limits.MAX_COLLECT_CHARS:
            result.problems.append(Diagnostic(str(path), 0, 0, "error", f"not read: the forms before it hold more "
                                              f"than {limits.MAX_COLLECT_CHARS:,} characters of answers, all collect "
                                              "keeps in one run; collect the rest in another run"))
            continue
        outcome = workers.run_one(_read_safely, path, limit=limit or Limits())
        value = outcome.result if outcome.ok else outcome.failure
        if isinstance(value, Form):
            result.forms.append(value)
            held += sum(len(name) + len(text) for name, text in value.values.items())
            for name in value.cut:
                result.warnings.append(Diagnostic(str(path), 0, 0, "warning", f"the answer in {name} is longer than "
                                                  f"{limits.MAX_FORM_VALUE_CHARS:,} characters; only its start is "
                                                  "kept"))
        elif isinstance(value, tuple):  # read, and refused
            result.problems += value
        else:  # the process could not finish (a limit, a crash)
            result.problems.append(Diagnostic(str(path), 0, 0, "error", f"reading it failed: {value}"))
    result.keys = _keys({form.lesson for form in result.forms}, target, result) if result.forms else {}
    result.shares = _shares(result.forms, result.keys)
    return result


def _shares(forms: list[Form], keys: dict[str, tuple]) -> dict[tuple[str, int], float]:
    out = {}
    for lesson, key in sorted(keys.items()):
        filled = [form for form in forms if form.lesson == lesson]
        for m in key:
            if m.points:
                out[lesson, m.number] = sum(_score(m, form.values) for form in filled) / (m.points * len(filled))
    return out


def _read_safely(path: Path) -> Form | tuple[Diagnostic, ...]:
    try:
        return read_form(path)
    except LessonpackError as exc:
        return tuple(exc.diagnostics) or (Diagnostic(str(path), 0, 0, "error", exc.message),)


def _keys(lessons: set[str], target: Path | str, result: Collected) -> dict[str, tuple]:
    """Each lesson's marking key (:func:`lessonpack.handout.fields.answers`), from the pack at ``target``."""
    from ..handout import PlanContext, plan
    from ..handout.fields import answers
    from ..load.pack import load_pack

    try:
        pack = load_pack(target, keep_going=True)
    except LessonpackError as exc:  # the values are still worth having: listed unmarked
        unmarked = ("the answers are listed unmarked: run collect in the pack the forms came from, or name it with "
                    "--pack")
        found = exc.diagnostics or [Diagnostic(str(target), 0, 0, "error", exc.message.removeprefix("error: "))]
        result.problems += [replace(d, hint=f"{d.hint}; {unmarked}" if d.hint else unmarked) for d in found]
        return {}
    by_id = {lesson.id: lesson for lesson in pack.lessons}
    keys = {}
    for lesson_id in sorted(lessons):
        lesson = by_id.get(lesson_id)
        if lesson is None:
            forms = [f for f in result.forms if f.lesson == lesson_id]
            invalid = [d for d in pack.invalid if d.is_error and Path(d.file).stem == lesson_id]
            why = (f"which has errors (the first: {invalid[0].format().splitlines()[0]}); fix it and collect again"
                   if invalid else f"which is not in {display_path(pack.root)} (run collect with --pack set to the "
                                   "pack the form came from)")
            result.problems.append(Diagnostic(str(forms[0].path), 0, 0, "error", f'made from the lesson "{lesson_id}", '
                                              f"{why}; its answers are listed unmarked"))
            continue
        for form in result.forms:
            if form.lesson == lesson_id and form.lesson_sha and form.lesson_sha != lesson.sha256:
                result.warnings.append(Diagnostic(str(form.path), 0, 0, "warning", f'the lesson "{lesson_id}" has '
                                                  "changed since this form was made; check its marks against the "
                                                  "questions it shows"))
        teacher = plan(lesson, "teacher", PlanContext())
        questions = teacher.worksheet.questions if teacher.worksheet else ()
        keys[lesson_id] = answers(questions)
        on_paper = tuple((q.number, teacher.labels[f"type_{q.kind}"]) for q in questions
                         if item_types()[q.kind].on_paper)
        if on_paper:
            result.by_hand[lesson_id] = on_paper
    return keys


def _natural(name: str) -> tuple:
    """Field order: the name line, then by question number, then by part; then the blank cells of the sources'
    tables (``sA.3.2``), by source, row and column."""
    if name in ("name", "date", "class"):
        return (0, ("name", "date", "class").index(name))
    return (1, *[(int(p), "") if p.isdigit() else (0, p) for p in re.findall(r"\d+|[A-Za-z]+", name)])


def _table(forms: list[Form], keys: dict[str, tuple]) -> Iterator[list[str]]:
    names = sorted({name for form in forms for name in form.values}, key=_natural)
    marked = sorted({m.number for key in keys.values() for m in key})
    yield ["file", "lesson", *names, *(f"score q{n}" for n in marked), "score", "out of"]
    for form in forms:
        key = keys.get(form.lesson)
        scores = {m.number: _score(m, form.values) for m in key} if key is not None else {}
        total = sum(scores.values())
        out_of = sum(m.points for m in key if not m.bonus) if key is not None else 0
        yield [_cell(form.path.name), form.lesson, *(_cell(form.values.get(name, "")) for name in names),
               *(number(scores[n]) if n in scores else "" for n in marked),
               number(total) if key is not None else "", number(out_of) if key is not None else ""]


def _score(m, values: dict[str, str]) -> float:
    """The question's points times the share of its fields that are right (as its item type judges them),
    rounded down to half points (a partly wrong answer never rounds up to full marks)."""
    kind = item_types().get(m.kind)
    judge = kind.right if kind is not None else same_text
    right = sum(judge(values.get(name, ""), accepted) for name, accepted in m.fields)
    return math.floor(m.points * right / len(m.fields) * 2 + 1e-9) / 2 if m.fields else 0.0


def _cell(text: str) -> str:
    """A value as a spreadsheet cell: text a student typed never becomes a formula when the file is opened."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text
