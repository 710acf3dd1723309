"""The reading as printed: numbered paragraphs, each key term bolded where students first meet it, and the pictures
and callouts between them (not numbered); or, for a reading that is verse, the poem's lines as written, whole on a
page when it fits and otherwise in parts cut between stanzas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..load import model as m
from ..text.labels import Labels
from ..text.typography import set_spaces
from ..text.richtext import Block, RichText, Span, inline, mark, plain
from ..text.terms import block_texts, find_term, reading_paragraphs
from . import paging
from .sources import PICTURE_TYPE, reading_picture, verse
from .views import Picture, ReadingView, Verse


def picture_anchor(lesson_id: str, k: int) -> str:
    """The id of the reading's ``k``-th picture (from 1), in the order written."""
    return f"{lesson_id}-figure-{k}"


def reading_view(source: m.LessonFile, labels: Labels, width: float, page_height: float,
                 moves: Mapping[str, int] | None = None, size: float = PICTURE_TYPE,
                 measures: paging.Measures | None = None) -> ReadingView:
    """The reading's title, numbered paragraphs (pictures among them, unnumbered) and source line.

    ``moves`` (measured: see :func:`.measure.picture_moves`) prints a picture that many paragraphs after the
    place it is written in, as a book sets a figure that does not fit the rest of its page at the top of the
    next one and lets the text run on; paragraph numbers stay with their paragraphs."""
    lesson = source.lesson
    assert lesson.reading is not None
    if lesson.reading.verse:
        return _verse_reading(source, labels, measures or paging.Measures(width, page_height, size, LINE_HEIGHT,
                                                                          size * 2))
    # The count bold_at: is checked against (validate.py): pictures and callouts are not numbered (0).
    everything = reading_paragraphs(lesson.reading.text, labels)
    texts = {k: block for k, (_, block) in enumerate(everything) if block.kind != "image"}  # paragraphs, callouts
    numbered_at = {n: k for k, (n, _) in enumerate(everything) if n}  # ¶ n is texts[numbered_at[n]]
    # Each key term is bolded where students first meet it (a callout included), or in the paragraph the author
    # pinned.
    for term in lesson.key_terms:
        if not term.bold:
            continue
        if term.bold_at:
            where = [numbered_at[term.bold_at]] if term.bold_at in numbered_at else []
        else:
            where = list(texts)
        for k in where:
            found = _bold_first(texts[k], term.term)
            if found is not None:
                texts[k] = found
                break
    flow: list[tuple[str, tuple[int, Block | Picture]]] = []
    written: dict[str, int] = {}  # an anchor → its block's place in the text as written
    pictures = callouts = 0
    for k, (n, block) in enumerate(everything):
        if n:
            written[f"{source.id}-para-{n}"] = k
            flow.append((f"{source.id}-para-{n}", (n, texts[k])))
        elif block.image is not None:
            pictures += 1
            written[picture_anchor(source.id, pictures)] = k
            flow.append((picture_anchor(source.id, pictures),
                         (0, reading_picture(block.image, source.images, width, page_height, size))))
        elif block.kind == "callout":  # a box between the paragraphs, not one of them
            callouts += 1
            written[f"{source.id}-callout-{callouts}"] = k
            flow.append((f"{source.id}-callout-{callouts}", (0, texts[k])))
    for anchor, later in (moves or {}).items():
        at = next((i for i, (a, _) in enumerate(flow) if a == anchor), None)
        if at is not None and later > 0:
            flow.insert(min(len(flow) - 1, at + later), flow.pop(at))
    title = inline(lesson.reading.title) or (Span(labels["reading"]),)
    return ReadingView(title, tuple(part for _, part in flow), inline(lesson.reading.source),
                       set_spaces(f"{labels['source']}:"), labels["paragraph"], tuple(anchor for anchor, _ in flow),
                       tuple(written[anchor] for anchor, _ in flow))


def _verse_reading(source: m.LessonFile, labels: Labels, measures: paging.Measures) -> ReadingView:
    """A reading that is a poem: its lines as written, each key term bolded in the first line that has it; whole
    when it fits on a page, else in parts cut between stanzas, the later ones marked "(continued)"."""
    lesson = source.lesson
    assert lesson.reading is not None
    poem = verse(lesson.reading.text, lesson.reading.line_numbers)
    for term in lesson.key_terms:
        if term.bold:
            poem = _bold_in_verse(poem, term.term)
    parts = paging.verse_parts(measures, poem, measures.height * paging.WHOLE_PAGE - measures.line)
    # "(continued)" in the lesson's language: the words its catalogue puts after a source's label.
    continued = labels["source_continued"].format(label="").strip()
    parts = tuple(replace(part, continued=continued if k else "") for k, part in enumerate(parts))
    title = inline(lesson.reading.title) or (Span(labels["reading"]),)
    return ReadingView(title, tuple((0, part) for part in parts), inline(lesson.reading.source),
                       f"{labels['source']}:", labels["paragraph"],
                       tuple(f"{source.id}-verse-{k}" for k in range(1, len(parts) + 1)))


LINE_HEIGHT = 1.4
"""The line height a poem's parts are estimated with, as a share of the type size, when no page's measures are
given (the classic style's body leading)."""


def _bold_in_verse(poem: Verse, term: str) -> Verse:
    """The poem with ``term`` bolded in the first line that has it (none: unchanged)."""
    for k, stanza in enumerate(poem.stanzas):
        for n, line in enumerate(stanza):
            found = find_term(term, plain(line.text))
            if found is None or any(s.role == "term" for s in _slice(line.text, *found)):
                continue
            marked = replace(line, text=mark(line.text, *found, strong=True, role="term"))
            stanza = stanza[:n] + (marked,) + stanza[n + 1:]
            return replace(poem, stanzas=poem.stanzas[:k] + (stanza,) + poem.stanzas[k + 1:])
    return poem


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
    texts = block_texts(block)  # where the check looks for it too (text.terms.paragraphs_with)
    for i, text in enumerate(texts):
        done = in_text(text)
        if done is not None:
            if block.items:
                return replace(block, items=block.items[:i] + (done,) + block.items[i + 1:])
            return replace(block, spans=done)
    return None


def _slice(text: RichText, start: int, end: int) -> list[Span]:
    out, pos = [], 0
    for span in text:
        if pos < end and pos + len(span.text) > start:
            out.append(span)
        pos += len(span.text)
    return out
