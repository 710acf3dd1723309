"""Plan one edition of one lesson: every word, number, order and page break the PDF and the DOCX print.

``plan(lesson_file, edition, context)`` decides section order and page starts, the running header and
footer, the document's metadata, question numbers and labels, shuffled orders, word banks, blank
widths, how a model answer sits on its writing lines, how many choices share a row, the answer key
table and the reading statistics. The renderers only draw the :class:`~.views.Handout` it returns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from .. import model as m
from ..labels import Labels, counted, labels_for, number
from ..readability import ReadingStats, reading_stats
from ..richtext import Span, blocks, inline, plain
from ..styles import Geometry
from .items import question
from .reading import reading_view
from .views import (NUMBERING, DocumentInfo, Edition, Glossary, Handout, KeyRow, KeyTable, Masthead, PromptView, Question,
                    RunningText, Section, StatsView, WorksheetView)


@dataclass(frozen=True)
class PlanContext:
    """What the build knows that shapes a handout: the running header's words and the page's measures."""

    header_text: str | None = None  # school · unit, at the top of every page
    geometry: Geometry | None = None  # None: measures of the classic style on letter paper

    @property
    def text_width(self) -> float:
        return self.geometry.text_width if self.geometry else 470.0

    @property
    def size(self) -> float:
        return self.geometry.size if self.geometry else 11.0

    @property
    def choices_per_row(self) -> int:
        return self.geometry.tokens.choices_per_row if self.geometry else 2

    @property
    def glossary_columns(self) -> int:
        return self.geometry.tokens.glossary_columns if self.geometry else 2


def source_date() -> str | None:
    """ISO date from SOURCE_DATE_EPOCH, or None: without it, outputs carry no timestamp at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan(source: m.LessonFile, edition: Edition, context: PlanContext | None = None) -> Handout:
    """Decide everything one edition of one lesson shows."""
    context = context or PlanContext()
    lesson = source.lesson
    teacher = edition == "teacher"
    labels, warning = labels_for(lesson.language)
    title = inline(lesson.title)
    title_text = plain(title)
    meta = tuple((f"{labels[key]}:", inline(value)) for key, value in (
        ("unit", lesson.unit), ("subject", lesson.subject), ("grade", lesson.grade),
        ("duration", lesson.duration)) if value)

    reading = reading_view(lesson, labels) if lesson.reading else None
    questions = tuple(question(i, item, lesson, source.id, teacher, labels, context)
                      for i, item in enumerate(lesson.worksheet.items if lesson.worksheet else ()))
    worksheet = _worksheet(lesson, questions, labels) if questions else None
    numbers = reading_stats(lesson.reading.text, lesson.grade, lesson.language) if teacher and lesson.reading else None
    glossary = Glossary(tuple((inline(t.term), inline(t.definition)) for t in lesson.key_terms),
                        context.glossary_columns) if lesson.key_terms else None
    prompts = tuple(PromptView(n, NUMBERING["prompt"].format(n=n), inline(p.text), inline(p.notes) if teacher and p.notes else None,
                               f"{labels['prompt_notes']}:" if teacher and p.notes else "")
                    for n, p in enumerate(lesson.prompts, 1))
    notes = blocks(lesson.teacher_notes) if teacher else ()
    key = _answer_key(questions, worksheet, labels) if teacher and worksheet else None
    stats = StatsView(_stats_lines(numbers, labels)) if numbers else None

    present = {"objectives": bool(lesson.objectives), "reading": reading is not None,
               "key-terms": glossary is not None, "discussion": bool(prompts), "worksheet": worksheet is not None,
               "teacher-notes": bool(notes), "answer-key": key is not None, "stats": stats is not None}
    headings = {"objectives": (Span(labels["objectives"]),), "reading": reading.title if reading else (),
                "key-terms": (Span(labels["key_terms"]),), "discussion": (Span(labels["discussion"]),),
                "worksheet": worksheet.title if worksheet else (), "teacher-notes": (Span(labels["teacher_notes"]),),
                "answer-key": (Span(labels["answer_key"]),), "stats": (Span(labels["reading_stats"]),)}
    sections = tuple(Section(kind, f"{source.id}-{kind}", headings[kind], 3 if kind == "stats" else 2,
                             new_page=kind in _NEW_PAGE)
                     for kind in _ORDER if present[kind])

    edition_label = labels["teacher_edition"] if teacher else ""
    return Handout(
        lesson_id=source.id, edition=edition, language=lesson.language, labels=labels,
        document=DocumentInfo(
            title=f"{title_text} — {edition_label}" if teacher else title_text,
            author=lesson.author or "", subject=" · ".join(plain(value) for _, value in meta),
            keywords=tuple(plain(inline(t.term)) for t in lesson.key_terms), language=lesson.language,
            created=source_date()),
        running=RunningText(context.header_text or "", edition_label, title_text, _page_label(labels)),
        masthead=Masthead(banner=edition_label) if teacher else Masthead(
            name_line=(labels["name"], labels["date"], labels["class"])),
        title=title, title_text=title_text, subtitle=inline(lesson.subtitle), meta=meta, sections=sections,
        objectives=tuple(inline(o) for o in lesson.objectives), reading=reading, glossary=glossary,
        prompts=prompts, worksheet=worksheet, teacher_notes=notes, answer_key=key, stats=stats,
        reading_stats=numbers, warnings=(warning,) if warning else (),
    )


_ORDER = ("objectives", "reading", "key-terms", "discussion", "worksheet", "teacher-notes", "answer-key", "stats")
_NEW_PAGE = {"worksheet", "teacher-notes", "answer-key"}
"""Sections that start a new page: the worksheet so it can be copied alone; the teacher's sections apart."""


def _page_label(labels: Labels) -> tuple[str, str, str]:
    before, _, rest = labels["page_of"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    return before, middle, after


def _worksheet(lesson: m.Lesson, questions: tuple[Question, ...], labels: Labels) -> WorksheetView:
    assert lesson.worksheet is not None
    total = sum(q.points for q in questions)
    return WorksheetView(
        title=inline(lesson.worksheet.title) or (Span(labels["worksheet"]),),
        instructions=inline(lesson.worksheet.instructions),
        total_points=total, total_label=counted(labels, "total", total), questions=questions)


def _answer_key(questions: tuple[Question, ...], worksheet: WorksheetView, labels: Labels) -> KeyTable:
    rows = tuple(KeyRow(str(q.number), labels[f"type_{q.kind}"], _key_answer(q, labels), number(q.points))
                 for q in questions)
    header = ("#", labels["question"], labels["answer"], labels["points_column"])
    return KeyTable(header, rows, KeyRow("", "", worksheet.total_label, number(worksheet.total_points)))


def _key_answer(q: Question, labels: Labels) -> str:
    from .views import Blank

    if q.kind == "multiple_choice":
        right = next(c for c in q.choices if c.correct)
        return f"{right.letter} — {plain(right.text)}"
    if q.kind == "true_false":
        return next(plain(o.text) for o in q.options if o.correct)
    if q.kind == "short_answer":
        return plain(q.writing.answer) if q.writing and q.writing.answer else labels["answers_vary"]
    if q.kind == "essay":
        return labels["see_rubric"] if q.rubric else labels["answers_vary"]
    if q.kind == "fill_in_blank":
        return "; ".join(f"{s.number}. {s.answer}" for s in q.segments if isinstance(s, Blank))
    if q.kind == "matching":
        return ", ".join(f"{row.number}–{row.answer}" for row in q.left)
    return labels["order_key"].format(order=", ".join(str(e.position) for e in q.events))  # ordering


def _stats_lines(stats: ReadingStats, labels: Labels) -> tuple[str, ...]:
    words = labels["word_count"].format(words=stats.words)
    lines = [f"{words}; {labels['minutes_to_read'].format(minutes=stats.minutes)}"]
    if stats.grade_level is not None:
        level = labels["reading_level"].format(level=number(stats.grade_level))
        if stats.comparison and stats.target:
            low, high = stats.target
            grade = number(low) if low == high else f"{number(low)}–{number(high)}"
            level += " — " + labels[f"level_{stats.comparison}"].format(grade=grade)
        lines.append(level)
    return tuple(lines)
