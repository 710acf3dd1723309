"""Label a diagram: a picture from the pack (``image:``) with numbered markers at the places the lesson gives
(``labels:`` each with ``x`` and ``y``, percent of the picture's width and height from its top left, and the
``answer``), and a numbered line for each label below it, or a word bank to choose from (``word_bank: true``,
with ``extra:`` distractors).

The handout model places each marker in points on the picture as printed and draws the markers as a picture of
their own, the picture's size (an SVG, clear between the markers), so both formats put them in the same place:
the PDF sets it over the picture; Word prints one picture with the markers drawn into it (a PNG, which Word and
LibreOffice both show). A reader hears the picture's alt text, then how many markers it has. The teacher edition writes each answer on its line, beside its number;
the fillable PDF has a text box on each line (``q5.2`` for label 2), and ``collect`` marks each label as it
marks a blank: any accepted answer, ignoring case and extra spaces. Versions number the labels afresh
(``shuffle_choices: false`` keeps the written numbering); the word bank is in alphabetical order, so it gives
no order away.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from typing import Annotated, Any, Iterator, Literal
from xml.sax.saxutils import escape

from pydantic import Field, PlainValidator

from .. import limits
from ..handout.sources import MAX_PICTURE_SHARE, picture
from ..handout.views import Picture, Question
from ..load.model import ItemModel, NonBlank, Strict, Text, WordBank, bank_repeats, shown
from ..text.labels import counted
from ..text.richtext import RichText, Span, inline, typographic
from .base import ITEM_INDENT, ItemType, Planning, hidden_repeats, listed_answers, numbered

MARKER_EMS = 1.5
"""A marker's diameter, in ems of body text."""

OVERLAP = 4.0
"""Two markers closer than this, in percent of the picture both ways, would overlap on the page (a warning)."""

_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*%?\s*$", re.ASCII)


def _percent(value: Any) -> float:
    """A place on the picture: 0 to 100, percent of its width (x) or height (y), with or without %."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueError("expected a percentage of the picture from 0 to 100, such as 35")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        found = _PERCENT.match(str(value))
        negative = re.match(r"^\s*-\s*[0-9.]+\s*%?\s*$", str(value))
        if negative:
            raise ValueError(f"is outside the picture: {shown(value)}; use 0 to 100 (percent of the picture, "
                             "from its left or top edge)")
        if found is None:
            raise ValueError(f'expected a percentage of the picture from 0 to 100, such as 35, got "{shown(value)}"')
        number = float(found.group(1))
    if not 0 <= number <= 100:
        raise ValueError(f"is outside the picture: {value if isinstance(value, str) else f'{number:g}'}; use 0 to "
                         "100 (percent of the picture, from its left or top edge)")
    return number


Percent = Annotated[float, PlainValidator(_percent)]


class DiagramLabel(Strict):
    """One numbered label: where its marker goes on the picture, and what it names."""

    x: Percent = Field(description="Across: percent of the picture's width from its left edge (0 to 100).")
    y: Percent = Field(description="Down: percent of the picture's height from its top edge (0 to 100).")
    answer: NonBlank = Field(description="What the part is called (the answer key and the word bank print it).")
    accept: Annotated[list[NonBlank], Field(max_length=10)] = Field(
        [], description="Other answers that count as right when collect marks a filled form, such as [cell "
                        "membrane].")


class LabelDiagram(ItemModel):
    """label_diagram: a picture with numbered markers; students name each numbered part."""

    example = "image: images/cell.png, alt: ..., labels: [{x: 30, y: 45, answer: nucleus}, ...]"
    type: Literal["label_diagram"]
    prompt: Text | None = Field(None, description="An instruction (default: Label the diagram…).")
    image: NonBlank = Field(description="The picture to label, a file inside the pack named from the lesson file's "
                                        "folder (images/cell.png): PNG, JPEG, GIF, WebP or SVG. Leave its labels "
                                        "off: the markers name the parts.")
    alt: NonBlank = Field(description="What the picture shows, for readers who cannot see it; describe it without "
                                      "naming the parts students label.")
    labels: Annotated[list[DiagramLabel], Field(min_length=1, max_length=limits.MAX_DIAGRAM_LABELS)] = Field(
        description=f"1 to {limits.MAX_DIAGRAM_LABELS} labels, each with x:, y: (percent of the picture) and answer:; "
                    "numbered 1, 2, 3… in this order.")
    word_bank: WordBank = Field(False, description="true: print the answers (and extra:) in a box to choose from, "
                                                   "each once; {repeat: true}: an answer that names several labels "
                                                   "is listed once for each.")
    extra: Annotated[list[NonBlank], Field(max_length=limits.MAX_DIAGRAM_LABELS)] = Field(
        [], description="Wrong words for the word bank, so the last label is not found by elimination.")
    shuffle_choices: bool = Field(True, description="false: the labels keep their written numbers in every "
                                                    "version.")

    @property
    def bank(self) -> list[str]:
        """The word bank: every answer and distractor once, in alphabetical order (with ``word_bank: {repeat:
        true}``, an answer once for each label it names)."""
        words: dict[str, list[str]] = {}
        repeat = bank_repeats(self.word_bank)
        for word in [label.answer for label in self.labels]:
            same = words.setdefault(" ".join(word.split()).casefold(), [])
            if repeat or not same:
                same.append(word.strip())
        for word in self.extra:
            words.setdefault(" ".join(word.split()).casefold(), [word.strip()])
        return sorted((w for listed in words.values() for w in listed), key=lambda word: (word.casefold(), word))


@dataclass(frozen=True)
class LabelLine:
    """The numbered line a label's name is written on."""

    number: int
    label: str  # "1."
    answer: str | None = None  # the teacher edition's, as written (the key lists it, drawn)
    accepted: tuple[str, ...] = ()  # every answer the label accepts (teacher edition only; marks a filled form)
    shown: RichText = ()  # the teacher edition's answer as drawn on the line (H~2~O with its subscript)
    field: str = ""  # the form field's name (the fillable edition): "q5.2"
    field_title: str = ""  # what a screen reader says for it: the question, and which label


@dataclass(frozen=True)
class LabelDiagramQuestion(Question):
    """A diagram to label as printed: the picture, the numbered markers over it (``marks``, a picture of the
    same size, drawn on top), the word bank, and a numbered line for each label, two to a row."""

    picture: Picture | None = None
    marks: Picture | None = None
    word_bank: tuple[str, ...] = ()
    word_bank_label: str = ""
    lines: tuple[LabelLine, ...] = ()


def markers_svg(width: float, height: float, centres: list[tuple[int, float, float]], diameter: float, *,
                font: str = "sans-serif", ink: str = "#1a1a1a") -> bytes:
    """The numbered markers of a diagram, as an SVG of the picture's size (``width`` × ``height`` points, clear
    between the markers) drawn over it: at each centre (number, x, y, points from the picture's top left) a disc
    ``diameter`` points across in ``ink``, ringed in white, its number in white bold."""
    family = escape(font, {'"': "&quot;"})
    size = round(diameter * 0.58, 2)
    parts = []
    for number, x, y in centres:
        parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{diameter / 2 - 0.5:.2f}" fill="{ink}" stroke="#ffffff" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{x:.2f}" y="{y + size * 0.36:.2f}" text-anchor="middle" font-family="{family}" '
                     f'font-weight="bold" font-size="{size}" fill="#ffffff">{number}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}pt" height="{height:.2f}pt" '
            f'viewBox="0 0 {width:.2f} {height:.2f}">{"".join(parts)}</svg>').encode("utf-8")


class LabelDiagramType(ItemType):
    name = "label_diagram"
    model = LabelDiagram
    shuffle_seed = "labels"
    skeleton_needs_files = True
    lint_names = {"no-distractors": "a word bank or matching item has no distractors (extra:)",
                  "bank-repeats": "a word bank lists an answer once though it fills several blanks or labels",
                  "bank-count": "a word bank with repeat: true lists a word as often as it is used, showing the count"}
    skeleton = """\
- type: label_diagram
  prompt: <An instruction, such as Label the parts of the flower>
  image: images/<the picture's file name, such as flower.png>
  alt: <What the picture shows, without naming the parts>
  labels:                             # x and y: percent of the picture across and down
    - {x: 30, y: 40, answer: <The name of the first part>}
    - {x: 70, y: 55, answer: <The name of the second part>}
"""

    def rules(self, item: LabelDiagram, check) -> None:
        seen: dict[tuple[float, float], int] = {}
        for i, label in enumerate(item.labels):
            place = (label.x, label.y)
            if place in seen:
                check.error(("labels", i, "x"), f"label {i + 1} is at the same place as label {seen[place] + 1} "
                            f"(x {label.x:g}, y {label.y:g}): their markers would cover each other",
                            "give each label its own place on the picture")
                continue
            close = next((k for (x, y), k in seen.items()
                          if abs(x - label.x) < OVERLAP and abs(y - label.y) < OVERLAP), None)
            if close is not None:
                check.error(("labels", i, "x"), f"label {i + 1} is so close to label {close + 1} that their "
                            "markers would overlap", f"move one of them by {OVERLAP:g} or more (percent of the "
                            "picture)", severity="warning")
            seen[place] = i
        if not bank_repeats(item.word_bank):  # word_bank: {repeat: true} says two parts share a name on purpose
            check.repeats([label.answer for label in item.labels], ("labels",), "answer", field="answer",
                          severity="warning")
        if item.extra and not item.word_bank:
            check.error(("extra",), "extra words go in the word bank, and word_bank is false",
                        "remove extra:, or set word_bank: true")
        check.extra_repeats(item.extra, [label.answer for label in item.labels], "an answer")

    def pictures(self, item: LabelDiagram) -> Iterator:
        yield ("image",), item.image

    def plan(self, item: LabelDiagram, base: dict, p: Planning) -> LabelDiagramQuestion:
        size = p.context.size
        width = p.context.text_width - ITEM_INDENT
        page = p.context.page
        shown_picture = picture(p.images[item.image], item.alt, (), width,
                                (page.page_height - page.top - page.bottom) * MAX_PICTURE_SHARE, size)
        diameter = round(size * MARKER_EMS, 1)
        centres, lines = [], []
        for number, src in enumerate(p.inner, 1):
            label = item.labels[src]
            x = min(max(label.x / 100 * shown_picture.width, diameter / 2), shown_picture.width - diameter / 2)
            y = min(max(label.y / 100 * shown_picture.height, diameter / 2), shown_picture.height - diameter / 2)
            centres.append((number, round(x, 1), round(y, 1)))
            lines.append(LabelLine(number, numbered("label", n=number),
                                   typographic(label.answer.strip()) if p.teacher else None,
                                   (label.answer, *label.accept) if p.teacher else (),
                                   shown=inline(label.answer.strip()) if p.teacher else ()))
        tokens = page.tokens
        svg = markers_svg(shown_picture.width, shown_picture.height, centres, diameter,
                          font=", ".join(tokens.fonts.heading), ink=tokens.colors.text)
        marks = Picture("data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"), "svg", svg,
                        shown_picture.width, shown_picture.height, counted(p.labels, "diagram_marks", len(centres)))
        bank = tuple(typographic(word) for word in item.bank) if item.word_bank else ()
        default = p.labels["do_label_diagram_bank" if bank else "do_label_diagram"]
        return LabelDiagramQuestion(**base, prompt=inline(item.prompt) or (Span(default),), picture=shown_picture,
                                    marks=marks, word_bank=bank, word_bank_label=p.labels["word_bank"] if bank else "",
                                    lines=tuple(lines))

    def height(self, m, q: LabelDiagramQuestion) -> float:
        total = (q.picture.height if q.picture else 0) + m.size
        if q.word_bank:
            inner = m.width - m.size * 2.2
            total += m.line * (1 + -(-sum(len(w) + 6 for w in q.word_bank) * m.size * m.char_em // inner)) * 1.3
        return total + -(-len(q.lines) // 2) * m.writing_line * 1.1

    def key_answer(self, q: LabelDiagramQuestion, labels) -> RichText:
        return listed_answers([(f"{line.number}. ", inline(line.answer)) for line in q.lines])

    def arranged(self, item: LabelDiagram, lesson) -> list[str]:
        return [f"{label.x:g} {label.y:g}" for label in item.labels]  # their places: never two alike

    def written_order(self, item: LabelDiagram, lesson, seed: str) -> tuple[int, ...]:
        return tuple(range(len(item.labels)))  # numbered as written

    def with_fields(self, q: LabelDiagramQuestion, labels, field: str, title: str, pages) -> LabelDiagramQuestion:
        return replace(q, lines=tuple(
            replace(line, field=f"{field}.{line.number}",
                    field_title=f"{title} ({labels['diagram_field'].format(n=line.number)})") for line in q.lines))

    def marking(self, q: LabelDiagramQuestion, field: str):
        return tuple((f"{field}.{line.number}", line.accepted) for line in q.lines)

    def asks(self, item: LabelDiagram) -> str | None:
        return item.prompt

    def printed(self, item: LabelDiagram) -> Iterator:
        if item.prompt:
            yield ("prompt",), item.prompt, item.prompt
        for k, extra in enumerate(item.extra):
            yield ("extra", k), extra, extra

    def lints(self, item: LabelDiagram, lint) -> Iterator:
        if item.word_bank:
            yield from hidden_repeats(lint, item.word_bank, [label.answer for label in item.labels],
                                      [("labels", k, "answer") for k in range(len(item.labels))], "label", fold=True)
        if item.word_bank and not item.extra:
            yield lint.finding("no-distractors", ("extra",), "the word bank has no distractors, so the last label "
                               "can be found by elimination", "add extra: with one or two words that name no part of "
                               "the picture, e.g. extra: [ribosome, stem]", whole_item=True)

    def lesson_fields(self, item: LabelDiagram, lesson, at: tuple, printed: tuple,
                      inner: tuple[int, ...]) -> list[tuple]:
        """The k-th label line as printed is the version's k-th label; the k-th word of the bank (in alphabetical
        order) an answer (every label it names) or a distractor (its ``extra:`` entry)."""
        if printed[:1] == ("labels",) and len(printed) == 3 and isinstance(printed[1], int) \
                and printed[1] < len(inner):
            return [at + ("labels", inner[printed[1]], "answer")]
        if printed[:1] == ("bank",) and len(printed) == 2 and isinstance(printed[1], int):
            bank = item.bank
            if printed[1] >= len(bank):
                return []
            word = bank[printed[1]]
            named = [at + ("labels", n, "answer") for n, label in enumerate(item.labels) if label.answer.strip() == word]
            if named and bank_repeats(item.word_bank):  # listed once for each label: the n-th listing, the n-th label
                return [named[bank[:printed[1]].count(word)]]
            return named or [at + ("extra", j) for j, extra in enumerate(item.extra) if extra.strip() == word][:1]
        return super().lesson_fields(item, lesson, at, printed, inner)

    def draw_word(self, d, q: LabelDiagramQuestion) -> list:
        out = []
        at = ("worksheet", "items", q.number - 1)  # the item as printed: its marks (marks.py, lesson_fields)
        if q.picture is not None:
            out.append(d.figure(q.picture, d.S.DIAGRAM, overlay=q.marks))
        if q.word_bank:
            out.append(d.word_bank(q.word_bank_label, q.word_bank, at))
        width = round((d.geo.text_width - d.geo.indent) / 2, 1)
        table = d.table([width, width], d.S.PLAIN_TABLE, indent=d.geo.indent)
        cells: list = []
        for start in range(0, len(q.lines), 2):
            cells += d.row(table, [width, width]).cells[:len(q.lines[start:start + 2])]
        for k, (line, cell) in enumerate(zip(q.lines, cells)):
            p = d.cell_para(cell, d.S.LABEL_LINE, f"{line.label}{d.NBSP}")
            if line.shown:
                d.marked_with(p, at + ("labels", k, "answer"),
                              lambda p=p, shown=line.shown: d.runs(p, shown, d.S.ANSWER_CHAR))
            d.run(p, "\t")
            out.append(p)
        if q.keep_whole:
            d.keep_together(table)
        return out


TYPE = LabelDiagramType()
