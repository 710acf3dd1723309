"""The reading as printed: numbered paragraphs, each key term bolded where students first meet it."""

from __future__ import annotations

from ..load import model as m
from ..text.labels import Labels
from ..text.richtext import Block, RichText, Span, blocks, inline, mark, plain
from ..text.terms import find_term
from .sources import reading_picture
from .views import Picture, ReadingView


def reading_view(source: m.LessonFile, labels: Labels, width: float, page_height: float) -> ReadingView:
    """The reading's title, numbered paragraphs (pictures among them, unnumbered) and source line."""
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
    flow: list[tuple[int, Block | Picture]] = []
    text = iter(enumerate(parsed, 1))
    for block in everything:
        if block.kind == "image" and block.image is not None:
            flow.append((0, reading_picture(block.image, source.images, width, page_height)))
        else:
            flow.append(next(text))
    title = inline(lesson.reading.title) or (Span(labels["reading"]),)
    return ReadingView(title, tuple(flow), inline(lesson.reading.source), f"{labels['source']}:",
                       labels["paragraph"])


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
