"""What the build knows that shapes a handout: the running header's words, the page's measures, the page-break
rules, the version it prints, and what layouts of it measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..load import model as m
from ..load.letterhead import LetterheadSpec
from ..styles.geometry import Geometry


@dataclass(frozen=True)
class FillRoom:
    """What a layout measured for one "lines: fill" question: the room in points from where its writing begins
    down to the foot of the page (None: not measured yet), and whether it was laid out starting the next page
    (too little room where it was for its floor of lines)."""

    room: float | None
    moved: bool = False


@dataclass(frozen=True)
class PlanContext:
    """What the build knows that shapes a handout: the running header's words, the page's measures and
    which sections start a new page."""

    header_text: str | None = None  # school · unit, at the top of every page
    geometry: Geometry | None = None  # None: the classic style on letter paper (Geometry.default)
    page_breaks: m.PageBreaks | None = None  # None: the style's rules (or the defaults)
    # Measured from a layout of this version's student edition (the teacher's: version A's): for each "lines:
    # fill" question (by its place in the worksheet), the room below its prompt down to the foot of its page,
    # and whether it starts the next page. Without it the room is estimated (see paging.fill_lines).
    fill_room: Mapping[int, FillRoom] | None = None
    # Versions A, B, C… (see versions.py): the version this handout is ("" without versions; the teacher
    # edition is planned as version A, the written order) and how many the build makes (the teacher edition
    # prints a key for each).
    version: str = ""
    versions: int = 1
    fillable: bool = False  # the fillable student PDF: every place a student writes gets a named form field
    duplex: bool = False  # copied two-sided: the student's worksheet, when it starts a page, starts a right-hand one
    # The fillable PDF: how many lines of each run of writing lines each page holds, measured from a layout
    # of the form (by the run's field name), so that no text box runs over a page.
    field_pages: Mapping[str, tuple[int, ...]] | None = None
    # Measured from a layout of this edition: how many of the reading's paragraphs each picture of the reading
    # (by its id) prints after the place it is written in, so that a picture too tall for the room left on a
    # page does not leave that room blank (see measure.picture_moves). None or absent: where it is written.
    picture_moves: Mapping[str, int] | None = None
    # Measured from a layout of this student handout (see measure.worksheet_start): the page the worksheet's
    # heading landed on (0 for the first) and whether it opens that page. None: estimated from heights.
    worksheet_start: tuple[int, bool] | None = None
    # Measured from a layout of this handout (see measure.measured_heights): the heights of its tall questions and
    # sources (by their ids), which the plan's keep decisions use instead of estimates. None: estimated.
    heights: Mapping[str, float] | None = None
    letterhead: LetterheadSpec | None = None  # the school's letterhead (its placeholders filled in by the plan)

    @property
    def page(self) -> Geometry:
        """The page's measures: the build's, or (none given) the classic style's on letter paper."""
        return self.geometry or Geometry.default()

    @property
    def text_width(self) -> float:
        return self.page.text_width

    @property
    def size(self) -> float:
        return self.page.size

    @property
    def choices_per_row(self) -> int:
        return self.page.tokens.choices_per_row

    @property
    def glossary_columns(self) -> int:
        return self.page.tokens.glossary_columns

    @property
    def breaks(self) -> m.PageBreaks:
        return self.page_breaks if self.page_breaks is not None else self.page.tokens.page_breaks
