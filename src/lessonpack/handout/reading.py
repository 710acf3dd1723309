"""The reading as printed: numbered paragraphs, each key term bolded where students first meet it."""

from __future__ import annotations

from ..load import model as m
from ..text.labels import Labels
from ..text.richtext import Block, RichText, Span, inline, mark, plain
from ..text.terms import block_texts, find_term, reading_paragraphs
from .sources import reading_picture
from .views import Picture, ReadingView


def reading_view(source: m.LessonFile, labels: Labels, width: float, page_height: float) -> ReadingView:
    """The reading's title, numbered paragraphs (pictures among them, unnumbered) and source line."""
    lesson = source.lesson
    assert lesson.reading is not None
    everything = reading_paragraphs(lesson.reading.text)  # the count bold_at: is checked against (validate.py)
    parsed = {n: block for n, block in everything if n}
    # Each key term is bolded where students first meet it, or in the paragraph the author pinned.
    for term in lesson.key_terms:
        if not term.bold:
            continue
        for n in [term.bold_at] if term.bold_at else list(parsed):
            found = _bold_first(parsed[n], term.term) if n in parsed else None
            if found is not None:
                parsed[n] = found
                break
    flow: list[tuple[int, Block | Picture]] = []
    for n, block in everything:
        if n:
            flow.append((n, parsed[n]))
        elif block.image is not None:
            flow.append((0, reading_picture(block.image, source.images, width, page_height)))
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

    texts = block_texts(block)  # where the check looks for it too (text.terms.paragraphs_with)
    for i, text in enumerate(texts):
        done = in_text(text)
        if done is not None:
            if block.items:
                return Block(block.kind, block.spans, block.items[:i] + (done,) + block.items[i + 1:])
            return Block(block.kind, done, block.items)
    return None


def _slice(text: RichText, start: int, end: int) -> list[Span]:
    out, pos = [], 0
    for span in text:
        if pos < end and pos + len(span.text) > start:
            out.append(span)
        pos += len(span.text)
    return out
