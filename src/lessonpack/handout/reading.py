"""The reading as printed: numbered paragraphs, each key term bolded where students first meet it."""

from __future__ import annotations

from collections.abc import Mapping

from ..load import model as m
from ..text.labels import Labels
from ..text.richtext import Block, RichText, Span, blocks, inline, mark, plain
from ..text.terms import find_term
from .sources import PICTURE_TYPE, reading_picture
from .views import Picture, ReadingView


def picture_anchor(lesson_id: str, k: int) -> str:
    """The id of the reading's ``k``-th picture (from 1), in the order written."""
    return f"{lesson_id}-figure-{k}"


def reading_view(source: m.LessonFile, labels: Labels, width: float, page_height: float,
                 moves: Mapping[str, int] | None = None, size: float = PICTURE_TYPE) -> ReadingView:
    """The reading's title, numbered paragraphs (pictures among them, unnumbered) and source line.

    ``moves`` (measured: see :func:`.measure.picture_moves`) prints a picture that many paragraphs after the
    place it is written in, as a book sets a figure that does not fit the rest of its page at the top of the
    next one and lets the text run on; paragraph numbers stay with their paragraphs."""
    lesson = source.lesson
    assert lesson.reading is not None
    everything = blocks(lesson.reading.text)
    parsed = [b for b in everything if b.kind != "image"]
    # Each key term is bolded where students first meet it, or in the paragraph the author pinned.
    for term in lesson.key_terms:
        if not term.bold:
            continue
        where = [term.bold_at - 1] if term.bold_at else range(len(parsed))
        for index in where:
            found = _bold_first(parsed[index], term.term) if index < len(parsed) else None
            if found is not None:
                parsed[index] = found
                break
    flow: list[tuple[str, tuple[int, Block | Picture]]] = []
    text = iter(enumerate(parsed, 1))
    pictures = 0
    for block in everything:
        if block.kind == "image" and block.image is not None:
            pictures += 1
            flow.append((picture_anchor(source.id, pictures),
                         (0, reading_picture(block.image, source.images, width, page_height, size))))
        else:
            number, paragraph = next(text)
            flow.append((f"{source.id}-para-{number}", (number, paragraph)))
    for anchor, later in (moves or {}).items():
        at = next((i for i, (a, _) in enumerate(flow) if a == anchor), None)
        if at is not None and later > 0:
            flow.insert(min(len(flow) - 1, at + later), flow.pop(at))
    title = inline(lesson.reading.title) or (Span(labels["reading"]),)
    return ReadingView(title, tuple(part for _, part in flow), inline(lesson.reading.source),
                       f"{labels['source']}:", labels["paragraph"], tuple(anchor for anchor, _ in flow))


def _bold_first(block: Block, term: str) -> Block | None:
    def in_text(text: RichText) -> RichText | None:
        found = find_term(term, plain(text))
        if found is None:
            return None
        start, end = found
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
