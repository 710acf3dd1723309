"""Real Word numbering for the DOCX: list definitions built from the handout model's number formats.

The handout model says how each kind of list is numbered (``NUMBERING``: "{n}." for questions, "{L}"
for choices…); here each becomes an abstract numbering definition with the same label, so the numbers
Word and LibreOffice show are the numbers the PDF prints. One ``w:num`` per list instance restarts the
count (questions in each worksheet, letters in each question).
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ...handout.views import NUMBERING
from ...styles.geometry import Geometry
from . import styles as S
from .ooxml import W, rpr, tw
from .styles import (NUM_BULLETS, NUM_CHOICES, NUM_MATCH_LETTERS, NUM_MATCH_NUMBERS, NUM_PARTS, NUM_PROMPTS,
                     NUM_QUESTIONS, NUM_RUBRIC)

BULLET = NUMBERING["bullet"]


@dataclass(frozen=True)
class AbstractNumDef:
    name: str
    label: str  # a NUMBERING format ("{n}.", "{L}") or a bullet
    left: float
    hanging: float
    style: str | None = None  # the paragraph style linked to the list, if one
    bold: bool = False

    @property
    def word_format(self) -> tuple[str, str]:
        """Word's ``numFmt`` and ``lvlText`` for this label."""
        if "{n}" in self.label:
            return "decimal", self.label.replace("{n}", "%1")
        if "{L}" in self.label:
            return "upperLetter", self.label.replace("{L}", "%1")
        if "{l}" in self.label:
            return "lowerLetter", self.label.replace("{l}", "%1")
        return "bullet", self.label


def numbering_defs(geo: Geometry) -> list[AbstractNumDef]:
    ind, sub, s = geo.indent, geo.sub_indent, geo.size
    return [
        AbstractNumDef(NUM_QUESTIONS, NUMBERING["question"], ind, ind, S.QUESTION, bold=True),
        AbstractNumDef(NUM_CHOICES, NUMBERING["choice"], ind + sub, sub, S.CHOICE, bold=True),
        AbstractNumDef(NUM_PROMPTS, NUMBERING["prompt"], ind, ind, S.PROMPT, bold=True),
        AbstractNumDef(NUM_BULLETS, BULLET, ind, ind),
        AbstractNumDef(NUM_RUBRIC, BULLET, ind + sub, sub, S.RUBRIC),
        AbstractNumDef(NUM_MATCH_NUMBERS, NUMBERING["match_left"], s * 1.8, s * 1.8, bold=True),
        AbstractNumDef(NUM_MATCH_LETTERS, NUMBERING["match_right"], s * 1.8, s * 1.8, bold=True),
        AbstractNumDef(NUM_PARTS, NUMBERING["part"], ind + s * 2.0, s * 2.0, S.PART, bold=True),
    ]


def _abstract_num_xml(d: AbstractNumDef, abstract_id: int, style_ids: dict[str, str]) -> str:
    nsid = f"{0x4C500000 + abstract_id:08X}"  # fixed, so the output is reproducible
    fmt, text = d.word_format
    link = f'<w:pStyle w:val="{style_ids[d.style]}"/>' if d.style and d.style in style_ids else ""
    return (f'<w:abstractNum {W} w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
            f'<w:multiLevelType w:val="singleLevel"/><w:name w:val="{d.name}"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{link}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{tw(d.left)}" w:hanging="{tw(d.hanging)}"/></w:pPr>'
            + (f"<w:rPr>{rpr(bold=True)}</w:rPr>" if d.bold else "")
            + "</w:lvl></w:abstractNum>")


class Numbering:
    """The document's numbering part: abstract definitions by name, and new list instances."""

    def __init__(self, element):
        self.element = element
        self.abstract: dict[str, int] = {}

    def _ids(self, tag: str, attr: str) -> list[int]:
        return [int(e.get(qn(attr))) for e in self.element.findall(qn(tag))]

    def find(self, name: str) -> int | None:
        for e in self.element.findall(qn("w:abstractNum")):
            n = e.find(qn("w:name"))
            if n is not None and n.get(qn("w:val")) == name:
                return int(e.get(qn("w:abstractNumId")))
        return None

    def abstract_of(self, num_id: int) -> int | None:
        for e in self.element.findall(qn("w:num")):
            if int(e.get(qn("w:numId"))) == num_id:
                a = e.find(qn("w:abstractNumId"))
                return int(a.get(qn("w:val"))) if a is not None else None
        return None

    def add_abstract(self, d: AbstractNumDef, style_ids: dict[str, str]) -> int:
        new_id = max(self._ids("w:abstractNum", "w:abstractNumId"), default=0) + 1
        el = parse_xml(_abstract_num_xml(d, new_id, style_ids))
        first_num = self.element.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(el)  # every abstractNum comes before every num
        else:
            last = self.element.findall(qn("w:abstractNum"))
            (last[-1].addnext(el) if last else self.element.insert(0, el))
        self.abstract[d.name] = new_id
        return new_id

    def new_list(self, name: str, start: int = 1) -> int:
        """A new list instance of ``name`` whose count starts at ``start``; its numId."""
        num_id = max(self._ids("w:num", "w:numId"), default=0) + 1
        self.element.append(parse_xml(
            f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract[name]}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'))
        return num_id
