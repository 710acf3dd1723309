"""The handout model: everything a renderer draws, decided once per lesson and edition.

``plan(lesson_file, edition)`` makes every content decision — section order, question
numbers, shuffled orders, word banks, blank widths, labels, which answers show — so the
HTML/PDF and DOCX renderers only draw. The student edition's model holds no answer, note or
rubric at all, so no renderer can leak one.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Literal

from . import model as m
from .labels import Labels, labels_for
from .model import LessonFile
from .readability import ReadingStats, reading_stats
from .richtext import Block, RichText, Span, blocks, inline, mark, plain
from .terms import term_pattern

Edition = Literal["student", "teacher"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Choice:
    letter: str
    text: RichText
    correct: bool = False  # only ever True in the teacher edition


@dataclass(frozen=True)
class Blank:
    """A gap in a fill-in text; ``width`` in character widths, sized to the longest answer."""

    number: int
    width: int
    answer: str | None = None  # teacher edition only


@dataclass(frozen=True)
class MatchRow:
    number: int
    text: RichText
    answer: str | None = None  # the letter, teacher edition only


@dataclass(frozen=True)
class OrderRow:
    letter: str
    text: RichText
    position: int | None = None  # 1 = first; teacher edition only


@dataclass(frozen=True)
class Question:
    """One worksheet item as drawn: number, points, kind, and the parts its kind uses."""

    number: int
    kind: str
    points: int
    points_label: str
    prompt: RichText = ()
    choices: tuple[Choice, ...] = ()
    truth: bool | None = None  # true_false answer, teacher edition only
    lines: int = 0  # writing lines (short answer, essay)
    model_answer: RichText | None = None
    segments: tuple[RichText | Blank, ...] = ()  # fill-in text with blanks
    word_bank: tuple[str, ...] = ()
    left: tuple[MatchRow, ...] = ()
    right: tuple[Choice, ...] = ()
    events: tuple[OrderRow, ...] = ()
    rubric: tuple[RichText, ...] = ()


@dataclass(frozen=True)
class KeyRow:
    """One line of the answer key table."""

    number: int
    kind_label: str
    answer: str
    points: int


@dataclass(frozen=True)
class ReadingView:
    heading: RichText  # the reading's title, or the "Reading" label when it has none
    paragraphs: tuple[tuple[int, Block], ...]  # (¶ number, block)
    source: RichText


@dataclass(frozen=True)
class PromptView:
    number: int
    text: RichText
    notes: RichText | None = None  # teacher edition only


@dataclass(frozen=True)
class WorksheetView:
    title: RichText
    instructions: RichText
    total_points: int
    total_label: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Handout:
    """A lesson, as one edition prints it."""

    lesson_id: str
    edition: Edition
    language: str
    labels: Labels
    title: RichText
    title_text: str
    subtitle: RichText
    meta: tuple[tuple[str, RichText], ...]
    author: str
    objectives: tuple[RichText, ...]
    reading: ReadingView | None
    glossary: tuple[tuple[RichText, RichText], ...]
    prompts: tuple[PromptView, ...]
    worksheet: WorksheetView | None
    teacher_notes: tuple[Block, ...] = ()
    answer_key: tuple[KeyRow, ...] = ()
    stats: ReadingStats | None = None
    stats_lines: tuple[str, ...] = ()  # the statistics as printed, teacher edition only
    warnings: tuple[str, ...] = field(default=())

    @property
    def is_teacher(self) -> bool:
        return self.edition == "teacher"

    @property
    def sections(self) -> list[str]:
        """The section ids in print order (used for bookmarks and tests)."""
        order = [("objectives", self.objectives), ("reading", self.reading), ("key-terms", self.glossary),
                 ("discussion", self.prompts), ("worksheet", self.worksheet),
                 ("teacher-notes", self.teacher_notes), ("answer-key", self.answer_key)]
        return [name for name, present in order if present]


def plan(source: LessonFile, edition: Edition) -> Handout:
    """Decide everything one edition of one lesson shows."""
    lesson = source.lesson
    teacher = edition == "teacher"
    labels, warning = labels_for(lesson.language)
    meta = tuple((labels[key], inline(value)) for key, value in (
        ("unit", lesson.unit), ("subject", lesson.subject), ("grade", lesson.grade),
        ("duration", lesson.duration)) if value)

    reading = _reading(lesson, labels) if lesson.reading else None
    stats = reading_stats(lesson.reading.text, lesson.grade, lesson.language) if teacher and lesson.reading else None
    questions = tuple(_question(i, item, lesson, source.id, teacher, labels)
                      for i, item in enumerate(lesson.worksheet.items if lesson.worksheet else ()))
    worksheet = None
    if lesson.worksheet and questions:
        total = lesson.worksheet.total_points
        worksheet = WorksheetView(
            title=inline(lesson.worksheet.title) or (Span(labels["worksheet"]),),
            instructions=inline(lesson.worksheet.instructions),
            total_points=total, total_label=labels["total_points"].format(points=total),
            questions=questions)

    return Handout(
        lesson_id=source.id, edition=edition, language=lesson.language, labels=labels,
        title=inline(lesson.title), title_text=plain(inline(lesson.title)),
        subtitle=inline(lesson.subtitle), meta=meta, author=lesson.author or "",
        objectives=tuple(inline(o) for o in lesson.objectives),
        reading=reading,
        glossary=tuple((inline(t.term), inline(t.definition)) for t in lesson.key_terms),
        prompts=tuple(PromptView(n, inline(p.text), inline(p.notes) if teacher and p.notes else None)
                      for n, p in enumerate(lesson.prompts, 1)),
        worksheet=worksheet,
        teacher_notes=blocks(lesson.teacher_notes) if teacher else (),
        answer_key=tuple(_key_row(q, labels) for q in questions) if teacher else (),
        stats=stats,
        stats_lines=_stats_lines(stats, labels) if stats else (),
        warnings=(warning,) if warning else (),
    )


# -- reading -------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _stats_lines(stats: ReadingStats, labels: Labels) -> tuple[str, ...]:
    words = labels["word_count"].format(words=stats.words)
    lines = [f"{words}; {labels['minutes_to_read'].format(minutes=stats.minutes)}"]
    if stats.grade_level is not None:
        level = labels["reading_level"].format(level=_number(stats.grade_level))
        if stats.comparison and stats.target:
            low, high = stats.target
            grade = _number(low) if low == high else f"{_number(low)}–{_number(high)}"
            level += " — " + labels[f"level_{stats.comparison}"].format(grade=grade)
        lines.append(level)
    return tuple(lines)


def _reading(lesson: m.Lesson, labels: Labels) -> ReadingView:
    assert lesson.reading is not None
    parsed = list(blocks(lesson.reading.text))
    # Bold each key term where it first appears, so students meet it in context.
    for term in lesson.key_terms:
        pattern = term_pattern(term.term)
        for index, block in enumerate(parsed):
            found = _bold_first(block, pattern)
            if found is not None:
                parsed[index] = found
                break
    numbered = tuple((n, block) for n, block in enumerate(parsed, 1))
    heading = inline(lesson.reading.title) or (Span(labels["reading"]),)
    return ReadingView(heading, numbered, inline(lesson.reading.source))


def _bold_first(block: Block, pattern: re.Pattern[str]) -> Block | None:
    def in_text(text: RichText) -> RichText | None:
        match = pattern.search(plain(text))
        if not match:
            return None
        start, end = match.span()
        if any(s.role == "term" for s in _slice(text, start, end)):
            return None
        return mark(text, start, end, strong=True, role="term")

    if block.items:
        for i, item in enumerate(block.items):
            done = in_text(item)
            if done is not None:
                return Block(block.kind, block.spans, block.items[:i] + (done,) + block.items[i + 1:])
        return None
    done = in_text(block.spans)
    return Block(block.kind, done, block.items) if done is not None else None


def _slice(text: RichText, start: int, end: int) -> list[Span]:
    out, pos = [], 0
    for span in text:
        if pos < end and pos + len(span.text) > start:
            out.append(span)
        pos += len(span.text)
    return out


# -- worksheet -----------------------------------------------------------------------------


def derange(values: list, seed: str) -> list[int]:
    """A deterministic shuffle of ``range(len(values))`` that moves every entry it can."""
    n = len(values)
    order = list(range(n))
    if n < 2:
        return order
    rng = random.Random(seed)  # str seeds hash with SHA-512: stable across runs and machines
    for _ in range(100):
        rng.shuffle(order)
        if all(order[i] != i for i in range(n)) and _moved(values, order):
            return order
    return order[1:] + order[:1]  # pragma: no cover - a rotation is always a derangement


def _moved(values: list, order: list[int]) -> bool:
    # Equal texts (two identical events) swapping places would still look unshuffled.
    return all(values[order[i]] != values[i] for i in range(len(values))) or len(set(values)) < len(values)


def _points_label(points: int, labels: Labels) -> str:
    return f"{points} {labels['point'] if points == 1 else labels['points']}"


def _question(index: int, item, lesson: m.Lesson, lesson_id: str, teacher: bool, labels: Labels) -> Question:
    number = index + 1
    seed = f"{lesson_id}/{number}"
    base = dict(number=number, kind=item.type, points=item.points, points_label=_points_label(item.points, labels))
    if isinstance(item, m.MultipleChoice):
        choices = tuple(Choice(LETTERS[i], inline(c), teacher and c == item.answer)
                        for i, c in enumerate(item.choices))
        return Question(**base, prompt=inline(item.prompt), choices=choices)
    if isinstance(item, m.TrueFalse):
        return Question(**base, prompt=inline(item.prompt), truth=item.answer if teacher else None)
    if isinstance(item, m.ShortAnswer):
        return Question(**base, prompt=inline(item.prompt), lines=item.lines,
                        model_answer=inline(item.answer) if teacher and item.answer else None)
    if isinstance(item, m.Essay):
        return Question(**base, prompt=inline(item.prompt), lines=item.lines,
                        rubric=tuple(inline(r) for r in item.rubric) if teacher else ())
    if isinstance(item, m.FillInBlank):
        return _fill_in(item, base, seed, teacher, labels)
    if isinstance(item, m.Matching):
        return _matching(item, lesson, base, seed, teacher, labels)
    if isinstance(item, m.Ordering):
        order = derange(item.events, seed + "/events")
        rows = tuple(OrderRow(LETTERS[i], inline(item.events[src]), src + 1 if teacher else None)
                     for i, src in enumerate(order))
        prompt = inline(item.prompt) or (Span(labels["do_ordering"].format(n=len(rows))),)
        return Question(**base, prompt=prompt, events=rows)
    raise TypeError(f"unknown item {item!r}")  # pragma: no cover - the model admits no other type


def _fill_in(item: m.FillInBlank, base: dict, seed: str, teacher: bool, labels: Labels) -> Question:
    segments: list[RichText | Blank] = []
    answers: list[str] = []
    longest = 0
    pos = 0
    for number, (start, end, inner) in enumerate(m.scan_blanks(item.text).spans, 1):
        if start > pos:
            segments.append(_keep_spaces(item.text[pos:start]))
        alternatives = [a.strip() for a in inner.split("|")]
        answers.append(alternatives[0])
        longest = max(longest, max(len(a) for a in alternatives))
        segments.append(Blank(number, 0, alternatives[0] if teacher else None))
        pos = end
    if pos < len(item.text):
        segments.append(_keep_spaces(item.text[pos:]))
    # Every blank of a question is as wide as the longest answer needs by hand (handwriting runs wider
    # than type): equal widths, so the length of a blank gives no answer away.
    width = max(12, math.ceil(longest * 1.3) + 2)
    segments = [Blank(s.number, width, s.answer) if isinstance(s, Blank) else s for s in segments]
    bank: tuple[str, ...] = ()
    if item.word_bank:
        unique = list(dict.fromkeys(answers))
        bank = tuple(unique[i] for i in derange(unique, seed + "/bank"))
    default = labels["do_fill_in_blank_bank" if bank else "do_fill_in_blank"]
    return Question(**base, prompt=inline(item.prompt) or (Span(default),), segments=tuple(segments),
                    word_bank=bank)


def _keep_spaces(text: str) -> RichText:
    """Inline Markdown of a piece between blanks, keeping the spaces that separate it from them."""
    core = inline(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return ((Span(lead),) if lead else ()) + core + ((Span(trail),) if trail else ())


def _matching(item: m.Matching, lesson: m.Lesson, base: dict, seed: str, teacher: bool,
              labels: Labels) -> Question:
    if item.pairs:
        pairs = [(p.left, p.right) for p in item.pairs]
    else:
        terms = lesson.key_terms[: item.count or len(lesson.key_terms)]
        pairs = [(t.term, t.definition) for t in terms]
    order = derange([r for _, r in pairs], seed + "/right")
    letter_of = {src: LETTERS[i] for i, src in enumerate(order)}
    right = tuple(Choice(LETTERS[i], inline(pairs[src][1])) for i, src in enumerate(order))
    left = tuple(MatchRow(n + 1, inline(left_text), letter_of[n] if teacher else None)
                 for n, (left_text, _) in enumerate(pairs))
    return Question(**base, prompt=inline(item.prompt) or (Span(labels["do_matching"]),), left=left, right=right)


def _key_row(q: Question, labels: Labels) -> KeyRow:
    kind_label = labels[f"type_{q.kind}"]
    if q.kind == "multiple_choice":
        right = next(c for c in q.choices if c.correct)
        answer = f"{right.letter} — {plain(right.text)}"
    elif q.kind == "true_false":
        answer = labels["true"] if q.truth else labels["false"]
    elif q.kind == "short_answer":
        answer = plain(q.model_answer) if q.model_answer else labels["answers_vary"]
    elif q.kind == "essay":
        answer = labels["see_rubric"] if q.rubric else labels["answers_vary"]
    elif q.kind == "fill_in_blank":
        answer = "; ".join(f"{s.number}. {s.answer}" for s in q.segments if isinstance(s, Blank))
    elif q.kind == "matching":
        answer = ", ".join(f"{row.number}–{row.answer}" for row in q.left)
    else:  # ordering
        answer = labels["order_key"].format(order=", ".join(str(e.position) for e in q.events))
    return KeyRow(q.number, kind_label, answer, q.points)
