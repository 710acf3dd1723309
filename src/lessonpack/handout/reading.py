"""The reading as printed: numbered paragraphs, each key term bolded where students first meet it, and the pictures
and callouts between them (not numbered)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..load import model as m
from ..text.labels import Labels
from ..text.richtext import Block, RichText, Span, blocks, inline, mark, numbered, plain
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
    everything = blocks(lesson.reading.text, labels)
    texts = [b for b in everything if b.kind != "image"]  # paragraphs and callouts, in the order written
    paragraphs = [k for k, b in enumerate(texts) if numbered(b)]  # the numbered ones: ¶ n is texts[paragraphs[n - 1]]
    # Each key term is bolded where students first meet it (a callout included), or in the paragraph the author
    # pinned.
    for term in lesson.key_terms:
        if not term.bold:
            continue
        if term.bold_at:
            where = [paragraphs[term.bold_at - 1]] if term.bold_at <= len(paragraphs) else []
        else:
            where = list(range(len(texts)))
        for index in where:
            found = _bold_first(texts[index], term.term)
            if found is not None:
                texts[index] = found
                break
    flow: list[tuple[str, tuple[int, Block | Picture]]] = []
    text = iter(texts)
    pictures = callouts = number = 0
    for block in everything:
        if block.kind == "image" and block.image is not None:
            pictures += 1
            flow.append((picture_anchor(source.id, pictures),
                         (0, reading_picture(block.image, source.images, width, page_height, size))))
        elif not numbered(block):  # a callout: a box between the paragraphs, not one of them
            callouts += 1
            flow.append((f"{source.id}-callout-{callouts}", (0, next(text))))
        else:
            number += 1
            flow.append((f"{source.id}-para-{number}", (number, next(text))))
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

    if block.kind == "callout":
        for i, inner in enumerate(block.body):
            found = _bold_first(inner, term)
            if found is not None:
                return replace(block, body=block.body[:i] + (found,) + block.body[i + 1:])
        return None
    if block.items:
        for i, item in enumerate(block.items):
            done = in_text(item)
            if done is not None:
                return replace(block, items=block.items[:i] + (done,) + block.items[i + 1:])
        return None
    done = in_text(block.spans)
    return replace(block, spans=done) if done is not None else None


def _slice(text: RichText, start: int, end: int) -> list[Span]:
    out, pos = [], 0
    for span in text:
        if pos < end and pos + len(span.text) > start:
            out.append(span)
        pos += len(span.text)
    return out
