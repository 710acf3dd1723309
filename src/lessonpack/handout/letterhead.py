"""The letterhead a handout prints: the school's logo and lines on its first page, a header and a footer on every
page, their placeholders filled in for this lesson and edition, and the running text they replace."""

from __future__ import annotations

import re
from dataclasses import replace

from ..load.letterhead import PAGE_PLACEHOLDERS, LetterheadSpec
from ..load.model import LETTERHEAD_PLACEHOLDERS
from .views import LetterheadView, PagePart, Picture, RunningText

LOGO_HEIGHT = 45.0
"""The tallest a letterhead's logo prints, in points (about 16 mm): a logo never pushes the lesson down a page."""

LOGO_SHARE = 1 / 3
"""The widest a logo prints, as a share of the text's width."""

_FIELD = re.compile(r"\{(" + "|".join(LETTERHEAD_PLACEHOLDERS) + r")\}")


def _parts(text: str, values: dict[str, str]) -> tuple[PagePart, ...]:
    """``text`` with its placeholders filled in: the page's number and count as their own parts."""
    out: list[PagePart] = []
    at = 0
    for found in _FIELD.finditer(text):
        words = text[at:found.start()]
        name = found.group(1)
        if name in PAGE_PLACEHOLDERS:
            if words:
                out.append(PagePart("text", words))
            out.append(PagePart(name))  # type: ignore[arg-type]
        else:
            out.append(PagePart("text", words + values[name]))
        at = found.end()
    if text[at:]:
        out.append(PagePart("text", text[at:]))
    merged: list[PagePart] = []
    for part in out:  # neighbouring words as one piece
        if merged and part.kind == "text" and merged[-1].kind == "text":
            merged[-1] = PagePart("text", merged[-1].text + part.text)
        else:
            merged.append(part)
    return tuple(p for p in merged if p.kind != "text" or p.text)


def letterhead_view(spec: LetterheadSpec | None, *, title: str, edition: str, teacher: str,
                    text_width: float) -> LetterheadView | None:
    """What ``spec`` prints on a handout of the lesson ``title`` in ``edition`` (its label): every placeholder
    filled in but the page's number and count; {teacher} is the pack's teacher, else ``teacher`` (the lesson's
    author)."""
    if spec is None:
        return None
    values = {"title": title, "teacher": spec.teacher or teacher, "date": spec.date, "school": spec.school,
              "edition": edition}
    logo = None
    if spec.logo is not None:
        image = spec.logo
        width, height = image.width * 0.75, image.height * 0.75  # CSS pixels → points
        scale = min(1.0, LOGO_HEIGHT / height if height else 1.0,
                    text_width * LOGO_SHARE / width if width else 1.0)
        if not image.sized:  # an SVG with no size of its own: as tall as a logo may be
            scale = LOGO_HEIGHT / height if height else 1.0
        logo = Picture(spec.logo_uri or image.uri, image.format, image.data, round(width * scale, 2), round(height * scale, 2),
                       alt=spec.school or "Logo")
    lines = tuple(line for line in (
        "".join(p.text if p.kind == "text" else "" for p in _parts(line, values)).strip()
        for line in spec.text.splitlines()) if line)
    return LetterheadView(logo, lines, _parts(spec.header.strip(), values), _parts(spec.footer.strip(), values),
                          spec.word)


def with_letterhead(running: RunningText, view: LetterheadView | None) -> RunningText:
    """The running text beside a letterhead: its header replaces the running header's left part, its footer the
    running footer's left part, and a footer that numbers the pages itself replaces "Page X of Y"."""
    if view is None:
        return running
    if view.header:
        running = replace(running, header_left="")
    if view.footer:
        running = replace(running, footer_left="")
        if any(p.kind in PAGE_PLACEHOLDERS for p in view.footer):
            running = replace(running, page_label=("", "", ""), page_numbers=False)
    return running
