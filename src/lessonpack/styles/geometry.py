"""The page's measures in points, from a paper size and a style's tokens: what the handout model sizes things
with and the DOCX renderer draws with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import LessonpackError
from .tokens import Tokens, length_pt

PAPER_SIZES: dict[str, tuple[str, str]] = {"letter": ("8.5in", "11in"), "a4": ("210mm", "297mm")}
"""Page width and height for each ``paper`` setting."""


@dataclass(frozen=True)
class Geometry:
    """Page and indent measures in points, from the paper and a style's tokens (shared by the handout
    model, which sizes things with them, and the DOCX renderer, which draws with them)."""

    tokens: Tokens
    page_width: float
    page_height: float
    top: float
    right: float
    bottom: float
    left: float

    @classmethod
    def of(cls, tokens: Tokens, paper: str) -> "Geometry":
        if paper not in PAPER_SIZES:
            raise LessonpackError(f'unknown paper "{paper}" (use one of: {", ".join(PAPER_SIZES)})')
        width, height = (length_pt(v) for v in PAPER_SIZES[paper])
        m = tokens.margins
        return cls(tokens, width, height, length_pt(m.top), length_pt(m.right), length_pt(m.bottom),
                   length_pt(m.left))

    @classmethod
    def default(cls) -> "Geometry":
        """The classic style on letter paper: what the handout model measures with when it is given no page."""
        return _default()

    @property
    def size(self) -> float:
        return self.tokens.size

    @property
    def text_width(self) -> float:
        return self.page_width - self.left - self.right

    @property
    def indent(self) -> float:
        """Room for a question or paragraph number, left of the text."""
        return round(self.size * 2.2, 1)

    @property
    def sub_indent(self) -> float:
        """Room for a choice letter, inside a question."""
        return round(self.size * 2.0, 1)

    @property
    def writing_line(self) -> float:
        return length_pt(self.tokens.writing_line)


@lru_cache(maxsize=1)
def _default() -> Geometry:
    return Geometry.of(Tokens(), "letter")
