"""Plan a unit pack: the cover, the contents, the running text and the paging of one edition of a whole unit.

A unit PDF is its front matter (cover and contents) followed by the pages of each lesson's own PDF, so
every lesson is laid out once: :func:`page_unit` decides where each lesson starts (on a right-hand
page when the unit is printed two-sided, after a blank page that says so) and the contents quote
those page numbers. Each lesson keeps its own page numbers ("Page 2 of 5"), the same sheets as its
own PDF; the contents give the page of the unit PDF, the number a PDF viewer shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from .plan import page_label, source_date
from .views import DocumentInfo, Edition, Handout, RunningText, Section

CONTENTS_SECTIONS = ("overview", "worksheet", "answer-key")
"""Sections listed under each lesson in the contents, besides the lesson itself."""

COVER_END = "cover-end"
"""The id of the cover's foot (its last part): a layout that has it on the cover's first page shows the cover fits
on one page."""


@dataclass(frozen=True)
class UnitInfo:
    """What a unit's settings say about it (``lessonpack.yaml``)."""

    title: str
    subtitle: str | None = None
    school: str | None = None
    teacher: str | None = None


@dataclass(frozen=True)
class LessonPages:
    """What a lesson's own PDF holds: its page count and the page (1-based) of each of its anchors."""

    count: int
    anchors: dict[str, int]


@dataclass(frozen=True)
class UnitPaging:
    """Where each lesson of a unit PDF starts, and where a blank page goes before it."""

    front_pages: int  # cover and contents
    starts: tuple[int, ...]  # the unit page each lesson starts on
    blank_before: tuple[bool, ...]  # a blank left-hand page before the lesson (two-sided printing)
    total: int


def page_unit(front_pages: int, lessons: list[LessonPages], *, duplex: bool) -> UnitPaging:
    """Place the lessons after ``front_pages`` pages; two-sided, each starts on a right-hand (odd) page."""
    starts: list[int] = []
    blanks: list[bool] = []
    page = front_pages
    for lesson in lessons:
        blank = duplex and page % 2 == 1  # the next page would be a left-hand one
        page += blank
        starts.append(page + 1)
        blanks.append(blank)
        page += lesson.count
    return UnitPaging(front_pages, tuple(starts), tuple(blanks), page)


@dataclass(frozen=True)
class ContentsLine:
    """One line of the contents: words, the anchor it links to, and its page in the unit (0: not yet known)."""

    heading: str
    anchor: str
    page: int


@dataclass(frozen=True)
class ContentsEntry:
    handout: Handout
    sections: tuple[Section, ...]
    page: int = 0
    lines: tuple[ContentsLine, ...] = ()


@dataclass(frozen=True)
class Unit:
    """A whole unit as one edition prints it: cover, contents, then every lesson's handout."""

    edition: Edition
    language: str
    document: DocumentInfo
    running: RunningText  # the header shows the current lesson's title (set as each lesson starts)
    school: str
    title: str
    subtitle: str
    edition_label: str
    teacher: str
    contents_label: str
    contents: tuple[ContentsEntry, ...]
    blank_page_label: str
    duplex: bool  # each lesson starts on a right-hand page; blank left-hand pages say so
    handouts: tuple[Handout, ...]
    cover_spread: bool = True  # the cover fills its page (see plan_unit); False: it flows from the top
    cover_end: str = COVER_END  # the id of the cover's last part (its foot), which a layout finds on a page

    @property
    def is_teacher(self) -> bool:
        return self.edition == "teacher"


def plan_unit(info: UnitInfo, handouts: list[Handout], edition: Edition, *, duplex: bool,
              paging: UnitPaging | None = None, pages: list[LessonPages] | None = None,
              cover_spread: bool = True) -> Unit:
    """Decide the cover, contents and running text of a unit made of ``handouts`` (one edition); with
    ``paging`` and each lesson's ``pages``, the contents carry the unit page of every line.

    ``cover_spread``: the cover is spread over its page, the title block in its upper middle, the lessons under
    it and the school and teacher at its foot. That is for a cover that fits on one page, which only a layout
    can tell: the build lays the cover out spread and, when its foot (:data:`COVER_END`) is not on the first
    page (a long list of lessons), plans it again with ``cover_spread=False``, to flow from the top of the page
    and on over it."""
    labels = handouts[0].labels
    version = handouts[0].masthead.version  # "Version B": a student version's unit says so on every page
    edition_label = labels["teacher_edition" if edition == "teacher" else "student_edition"]
    edition_label += f" · {version}" if version else ""
    title = (f"{info.title} — {labels['teacher_edition']}" if edition == "teacher"
             else f"{info.title} — {version}" if version else info.title)
    keywords = tuple(dict.fromkeys(k for h in handouts for k in h.document.keywords))
    return Unit(
        edition=edition, language=handouts[0].language,
        document=DocumentInfo(title, info.teacher or "", info.subtitle or "", keywords, handouts[0].language,
                              source_date()),
        running=RunningText("", labels["teacher_edition"] if edition == "teacher" else version, info.title,
                            page_label(labels)),
        school=info.school or "", title=info.title, subtitle=info.subtitle or "", edition_label=edition_label,
        teacher=info.teacher or "", contents_label=labels["contents"],
        contents=tuple(_contents_entry(h, n, paging, pages) for n, h in enumerate(handouts)),
        blank_page_label=labels["intentionally_blank"], duplex=duplex, handouts=tuple(handouts),
        cover_spread=cover_spread)


def _contents_entry(handout: Handout, n: int, paging: UnitPaging | None, pages: list[LessonPages] | None) -> ContentsEntry:
    sections = tuple(s for s in handout.sections if s.kind in CONTENTS_SECTIONS)
    if paging is None or pages is None:  # a template check: the words without page numbers
        return ContentsEntry(handout, sections, 0, tuple(ContentsLine(s.heading, s.anchor, 0) for s in sections))
    start = paging.starts[n]
    lines = tuple(ContentsLine(s.heading, s.anchor, start + pages[n].anchors.get(s.anchor, 1) - 1) for s in sections)
    return ContentsEntry(handout, sections, start, lines)
