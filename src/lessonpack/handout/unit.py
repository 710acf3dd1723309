"""Plan a unit pack: the cover, the contents and the running text of one edition of a whole unit."""

from __future__ import annotations

from dataclasses import dataclass

from .plan import _page_label, source_date
from .views import DocumentInfo, Edition, Handout, RunningText, Section

CONTENTS_SECTIONS = ("overview", "worksheet", "answer-key")
"""Sections listed under each lesson in the contents, besides the lesson itself."""


@dataclass(frozen=True)
class UnitInfo:
    """What a unit's settings say about it (``lessonpack.yaml``)."""

    title: str
    subtitle: str | None = None
    school: str | None = None
    teacher: str | None = None


@dataclass(frozen=True)
class ContentsEntry:
    handout: Handout
    sections: tuple[Section, ...]


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

    @property
    def is_teacher(self) -> bool:
        return self.edition == "teacher"


def plan_unit(info: UnitInfo, handouts: list[Handout], edition: Edition, *, duplex: bool) -> Unit:
    """Decide the cover, contents and running text of a unit made of ``handouts`` (one edition)."""
    labels = handouts[0].labels
    edition_label = labels["teacher_edition" if edition == "teacher" else "student_edition"]
    title = f"{info.title} — {labels['teacher_edition']}" if edition == "teacher" else info.title
    keywords = tuple(dict.fromkeys(k for h in handouts for k in h.document.keywords))
    return Unit(
        edition=edition, language=handouts[0].language,
        document=DocumentInfo(title, info.teacher or "", info.subtitle or "", keywords, handouts[0].language,
                              source_date()),
        running=RunningText("", labels["teacher_edition"] if edition == "teacher" else "", info.title,
                            _page_label(labels)),
        school=info.school or "", title=info.title, subtitle=info.subtitle or "", edition_label=edition_label,
        teacher=info.teacher or "", contents_label=labels["contents"],
        contents=tuple(ContentsEntry(h, tuple(s for s in h.sections if s.kind in CONTENTS_SECTIONS))
                       for h in handouts),
        blank_page_label=labels["intentionally_blank"], duplex=duplex, handouts=tuple(handouts))
