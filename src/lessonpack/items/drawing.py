"""Drawing: a space to draw or plot in (``height: 6cm`` or ``height: 8 lines``), plain, on graph paper
(``grid: 5mm``) or with two labelled axes (``axes: {x: ..., y: ...}``), or both.

The handout model draws the space itself, as a picture both formats print alike: an SVG of the box's frame, its
graph paper and its axes, at the size the plan decided (:func:`frame_svg`). The space is never taller than a page
holds with its question, and is kept whole. The teacher edition draws a model drawing inside the space when the
lesson gives one (``answer_image:``, a picture in the pack), under the words "Model answer" written in it, and the
answer key says what a good drawing shows (``answer:``): the teacher's space is exactly the student's, so the
pages of both editions break alike (a "lines: fill" question after it fills the teacher's page too). A drawing
cannot be typed: the fillable PDF has no field for it and says so inside the space (so the form keeps the student
edition's pages), and ``collect`` names it as marked by hand. Versions move the question like any other; later
versions' keys point to version A's.

Graph paper is ruled 0.5 pt in #666666, with the centimetre lines 0.75 pt in #444444 when the squares divide a
centimetre: light enough to draw over, dark enough to survive a copier. The frame and the axes are 1 pt in the
style's text colour.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass, replace
from typing import Annotated, Any, Iterator, Literal
from xml.sax.saxutils import escape

from pydantic import Field, PlainValidator

from .. import limits
from ..handout import paging
from ..handout.sources import picture
from ..handout.views import Picture, Question
from ..load.model import ItemModel, NonBlank, Strict, Text, shown
from ..text.richtext import RichText, Span, inline
from .base import ITEM_INDENT, ItemType, Planning

PT_PER_CM = 72 / 2.54

GRID_MM = (2.0, 20.0)
"""The smallest and largest graph-paper squares, in millimetres."""

MINOR_RULE, MINOR_GREY = 0.5, "#666666"
MAJOR_RULE, MAJOR_GREY = 0.75, "#444444"
FRAME_RULE = 1.0

_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(cm|mm|lines?)\s*$", re.IGNORECASE | re.ASCII)


def _size(value: Any, what: str, example: str) -> tuple[float, str]:
    """A length as written (``6cm``, ``60 mm``, ``8 lines``): its number and its unit, or ValueError."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError(f"expected {what}, such as {example}")
    found = _LENGTH.match(str(value))
    if found is None:
        bare = re.fullmatch(r"\s*[0-9.]+\s*", str(value))
        raise ValueError(f'expected {what}, such as {example}, got "{shown(value)}"'
                         + ("; give its unit" if bare else ""))
    unit = found.group(2).lower()
    return float(found.group(1)), "lines" if unit.startswith("line") else unit


def _number(value: float) -> str:
    return f"{value:g}"


def _height(value: Any) -> str:
    """The space's height: ``6cm``, ``60mm`` or ``8 lines`` (each writing line of the style)."""
    amount, unit = _size(value, "a height in centimetres or writing lines", "6cm or 8 lines")
    cm = amount / 10 if unit == "mm" else amount
    if unit == "lines":
        if amount != int(amount) or not 1 <= amount <= limits.MAX_DRAWING_LINES:
            raise ValueError(f"must be a whole number of lines from 1 to {limits.MAX_DRAWING_LINES}, got "
                             f"{shown(value)}")
        return f"{int(amount)} lines"
    if not 1 <= cm <= limits.MAX_DRAWING_CM:
        raise ValueError(f"must be from 1 to {limits.MAX_DRAWING_CM:g} cm (a page holds about 23), got "
                         f"{shown(value)}")
    return f"{_number(amount)}{unit}"


def _grid(value: Any) -> str:
    """Graph paper's squares: ``5mm``, ``1cm`` (2 to 20 mm)."""
    amount, unit = _size(value, "the size of the graph paper's squares", "5mm or 1cm")
    if unit == "lines":
        raise ValueError(f'expected the size of the squares in mm or cm, such as 5mm, got "{shown(value)}"')
    mm = amount * 10 if unit == "cm" else amount
    low, high = GRID_MM
    if not low <= mm <= high:
        raise ValueError(f"squares must be from {low:g} mm to {high:g} mm, got {shown(value)}")
    return f"{_number(amount)}{unit}"


Height = Annotated[str, PlainValidator(_height)]
Grid = Annotated[str, PlainValidator(_grid)]


class Axes(Strict):
    """The two axes drawn in the space, each with its label (what it shows, and its unit)."""

    x: NonBlank = Field(description="The horizontal axis's label, such as Light intensity (lux).")
    y: NonBlank = Field(description="The vertical axis's label, such as Bubbles per minute.")


class Drawing(ItemModel):
    """drawing: a space to draw or plot in, plain, on graph paper or with two labelled axes."""

    example = "prompt: ..., height: 6cm (or 8 lines), grid: 5mm and/or axes: {x: ..., y: ...}"
    type: Literal["drawing"]
    prompt: NonBlank = Field(description="What to draw or plot.")
    height: Height = Field("6cm", description="How tall the space is: centimetres or millimetres (6cm, 80mm) or "
                                              "writing lines (8 lines); default 6cm. Never printed taller than "
                                              "the page holds.")
    grid: Grid | None = Field(None, description="Graph paper: the size of its squares, such as 5mm or 1cm (2 to "
                                                "20 mm).")
    axes: Axes | None = Field(None, description="Two labelled axes drawn in the space: {x: ..., y: ...}.")
    answer: Text | None = Field(None, description="What a good drawing shows (teacher edition and answer key).")
    answer_image: NonBlank | None = Field(
        None, description="A picture of a model drawing inside the pack, named from the lesson file's folder "
                          "(images/graph.png), shown in the teacher edition in place of the empty space.")
    answer_alt: Text | None = Field(None, description="What the model drawing shows, for readers who cannot see "
                                                      "it (with answer_image:).")

    def height_pt(self, writing_line: float) -> float:
        """The space's height in points, as asked for."""
        amount, unit = _size(self.height, "", "")
        if unit == "lines":
            return amount * writing_line
        return amount * PT_PER_CM / (10 if unit == "mm" else 1)

    @property
    def grid_pt(self) -> float:
        """The graph paper's squares in points (0: no graph paper)."""
        if not self.grid:
            return 0.0
        amount, unit = _size(self.grid, "", "")
        return amount * PT_PER_CM / (10 if unit == "mm" else 1)


@dataclass(frozen=True)
class DrawingQuestion(Question):
    """A drawing question as printed: the space (``frame``, a picture of its frame, graph paper and axes; in the
    teacher edition with the words "Model answer" in it), the teacher edition's model drawing inside it (its top
    left corner ``model_left`` and ``model_top`` points from the space's), and (the fillable edition) the words
    that say it is drawn on paper."""

    frame: Picture | None = None
    model: Picture | None = None  # the teacher edition's model drawing, fitted inside the space
    model_left: float = 0.0
    model_top: float = 0.0
    answer: RichText = ()  # teacher edition: what a good drawing shows, for the answer key
    by_hand: str = ""  # the fillable edition: "Draw this on paper: it is marked by hand.", inside the space


def frame_svg(width: float, height: float, *, grid: float = 0.0, axes: tuple[str, str] | None = None,
              font: str = "sans-serif", size: float = 11.0, ink: str = "#1a1a1a", note: str = "",
              note_ink: str = "#1a1a1a") -> bytes:
    """The space to draw in, ``width`` × ``height`` points, as an SVG: a frame, graph paper of ``grid``-point
    squares (0: none), two axes labelled ``axes`` (x, y) with their origin at the bottom left, and ``note`` (the
    teacher's "Model answer") in small bold type at the top right inside the frame, in ``note_ink``."""
    w, h = round(width, 2), round(height, 2)
    parts = [f'<rect x="0.5" y="0.5" width="{w - 1:.2f}" height="{h - 1:.2f}" fill="#ffffff" stroke="{ink}" '
             f'stroke-width="{FRAME_RULE}"/>']
    left, bottom, top, right = 0.0, h, 0.0, w
    label = size * 0.9
    if axes:
        left, bottom, top, right = size * 2.6, h - size * 2.6, size * 1.0, w - size * 1.0
    if grid > 0:
        every = round(10 * 72 / 25.4 / grid)  # lines to a centimetre, when the squares divide one
        major = every if every > 1 and math.isclose(every * grid, 10 * 72 / 25.4, rel_tol=1e-3) else 0
        k = 0
        while left + k * grid <= right + 0.01:
            x = left + k * grid
            thick = major and k % major == 0
            parts.append(f'<line x1="{x:.2f}" y1="{top:.2f}" x2="{x:.2f}" y2="{bottom:.2f}" '
                         f'stroke="{MAJOR_GREY if thick else MINOR_GREY}" '
                         f'stroke-width="{MAJOR_RULE if thick else MINOR_RULE}"/>')
            k += 1
        k = 0
        while bottom - k * grid >= top - 0.01:
            y = bottom - k * grid
            thick = major and k % major == 0
            parts.append(f'<line x1="{left:.2f}" y1="{y:.2f}" x2="{right:.2f}" y2="{y:.2f}" '
                         f'stroke="{MAJOR_GREY if thick else MINOR_GREY}" '
                         f'stroke-width="{MAJOR_RULE if thick else MINOR_RULE}"/>')
            k += 1
    if axes:
        arrow = size * 0.35
        parts.append(f'<path d="M{left:.2f} {top:.2f} V{bottom:.2f} H{right:.2f}" fill="none" stroke="{ink}" '
                     f'stroke-width="{FRAME_RULE}"/>')
        parts.append(f'<path d="M{left - arrow:.2f} {top + arrow * 2:.2f} L{left:.2f} {top:.2f} '
                     f'L{left + arrow:.2f} {top + arrow * 2:.2f} Z" fill="{ink}"/>')
        parts.append(f'<path d="M{right - arrow * 2:.2f} {bottom - arrow:.2f} L{right:.2f} {bottom:.2f} '
                     f'L{right - arrow * 2:.2f} {bottom + arrow:.2f} Z" fill="{ink}"/>')
        x_label, y_label = axes
        x_size = _fit(x_label, right - left, label)
        y_size = _fit(y_label, bottom - top, label)
        family = escape(font, {'"': "&quot;"})
        parts.append(f'<text x="{(left + right) / 2:.2f}" y="{bottom + size * 1.75:.2f}" text-anchor="middle" '
                     f'font-family="{family}" font-size="{x_size:.2f}" fill="{ink}">{escape(x_label)}</text>')
        parts.append(f'<text transform="translate({left - size * 1.15:.2f} {(top + bottom) / 2:.2f}) rotate(-90)" '
                     f'text-anchor="middle" font-family="{family}" font-size="{y_size:.2f}" '
                     f'fill="{ink}">{escape(y_label)}</text>')
    if note:
        family = escape(font, {'"': "&quot;"})
        small = size * 0.8
        wide = len(note) * small * 0.58 + 3
        parts.append(f'<rect x="{w - NOTE_INSET - wide + 1.5:.2f}" y="{NOTE_INSET - 1:.2f}" width="{wide:.2f}" '
                     f'height="{small * 1.3:.2f}" fill="#ffffff"/>')
        parts.append(f'<text x="{w - NOTE_INSET:.2f}" y="{NOTE_INSET + small * 0.95:.2f}" text-anchor="end" '
                     f'font-family="{family}" font-weight="bold" font-size="{small:.2f}" '
                     f'fill="{note_ink}">{escape(note)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.2f}pt" height="{h:.2f}pt" '
           f'viewBox="0 0 {w:.2f} {h:.2f}">{"".join(parts)}</svg>')
    return svg.encode("utf-8")


NOTE_INSET = 4.0
"""Points between the space's frame and the teacher's note written in it (and the model drawing under it)."""


MIN_LABEL = 7.0
"""An axis label's smallest type, in points: a long label is set smaller to fit its axis, down to this."""


def _fit(text: str, room: float, size: float) -> float:
    """The type size that fits ``text`` in ``room`` points (about half an em a character), at most ``size``."""
    return max(MIN_LABEL, min(size, room / max(1, len(text) * 0.52)))


class DrawingType(ItemType):
    name = "drawing"
    model = Drawing
    read_by_teacher = True
    on_paper = True
    skeleton = """\
- type: drawing
  prompt: <What to draw or plot, such as Draw a bar chart of the figures in the table>
  height: 6cm                         # or a number of writing lines, such as 8 lines
  grid: 5mm                           # optional: graph paper
  axes:                               # optional: two labelled axes
    x: <What the horizontal axis shows>
    y: <What the vertical axis shows>
  answer: <What a good drawing shows, for the answer key>
"""

    def rules(self, item: Drawing, check) -> None:
        if item.answer_alt and not item.answer_image:
            check.error(("answer_alt",), "answer_alt describes the model drawing, and there is no answer_image",
                        "add answer_image: with the picture's file, or remove answer_alt")

    def pictures(self, item: Drawing) -> Iterator:
        if item.answer_image:
            yield ("answer_image",), item.answer_image

    def plan(self, item: Drawing, base: dict, p: Planning) -> DrawingQuestion:
        m = paging.Measures.of(p.context.page)
        width = round(p.context.text_width - ITEM_INDENT, 1)
        prompt = inline(item.prompt)
        # As tall as asked, but never taller than the page holds with the prompt (and a line to spare); the same
        # in both editions, so that their pages break alike.
        head = paging.question(m, DrawingQuestion(**base, prompt=prompt))
        room = m.height * paging.WHOLE_PAGE - head - m.line
        height = round(max(m.line * 2, min(item.height_pt(m.writing_line), room)), 1)
        tokens = p.context.page.tokens
        axes = (item.axes.x.strip(), item.axes.y.strip()) if item.axes else None
        model = None
        note = p.labels["drawing_model"] if p.teacher and item.answer_image else ""
        svg = frame_svg(width, height, grid=item.grid_pt, axes=axes, font=", ".join(tokens.fonts.heading),
                        size=m.size, ink=tokens.colors.text, note=note, note_ink=tokens.colors.answer)
        described = [p.labels["drawing_alt"]]
        if item.grid:
            described.append(p.labels["drawing_alt_grid"].format(size=_spaced(item.grid)))
        if axes:
            described.append(p.labels["drawing_alt_axes"].format(x=axes[0], y=axes[1]))
        frame = Picture("data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"), "svg", svg,
                        width, height, ", ".join(described) + ".")
        left = top = 0.0
        if note:  # the model drawing inside the space, under the note, centred in the room left
            below = NOTE_INSET * 2 + m.size * 0.8 * 1.3
            room_w, room_h = width - NOTE_INSET * 2, height - below - NOTE_INSET
            alt = f"{note}: {item.answer_alt.strip()}" if item.answer_alt else f"{note}."
            model = picture(p.images[item.answer_image], alt, (), room_w, max(room_h, 1.0), m.size)
            left = round((width - model.width) / 2, 1)
            top = round(below + (room_h - model.height) / 2, 1)
        return DrawingQuestion(**base, prompt=prompt, frame=frame, model=model, model_left=left, model_top=top,
                               answer=inline(item.answer) if p.teacher else ())

    def height(self, m, q: DrawingQuestion) -> float:
        return (q.frame.height + m.size * 0.6) if q.frame else 0.0

    def key_answer(self, q: DrawingQuestion, labels) -> RichText | str:
        if not q.answer:
            return labels["drawing_see_model"] if q.model else labels["answers_vary"]
        return (*q.answer, Span(" " + labels["drawing_see_model"])) if q.model else q.answer

    def with_fields(self, q: DrawingQuestion, labels, field: str, title: str, pages) -> DrawingQuestion:
        return replace(q, by_hand=labels["drawing_by_hand"])  # no field: a drawing cannot be typed

    def asks(self, item: Drawing) -> str | None:
        return item.prompt

    def printed(self, item: Drawing) -> Iterator:
        yield ("prompt",), item.prompt, item.prompt
        if item.axes:
            yield ("axes", "x"), item.axes.x, item.axes.x
            yield ("axes", "y"), item.axes.y, item.axes.y

    def draw_word(self, d, q: DrawingQuestion) -> list:
        if q.frame is None:
            return []
        return [d.figure(q.frame, d.S.DRAWING, overlay=q.model, at=(q.model_left, q.model_top))]


def _spaced(size: str) -> str:
    """``5mm`` as words print it: ``5 mm``."""
    return re.sub(r"([0-9.])([a-z])", r"\1 \2", size)


TYPE = DrawingType()
