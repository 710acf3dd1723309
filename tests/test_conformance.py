"""Every renderer draws every field of the handout model.

The handout model is where every content decision is made; a renderer only draws it. So each field of every
part of a Handout (its sections, questions of every item type, sources, keys…) must be read by each renderer
while it draws — the HTML that WeasyPrint lays out as the PDF, and the Word document — or be listed below with
the reason a renderer has no use for it. A field added to the model and drawn by neither renderer fails here,
as does a field one renderer forgets.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
import typing
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO

from lessonpack.handout import PlanContext, plan
from lessonpack.handout import views
from lessonpack.load.images import load_image
from lessonpack.load.letterhead import LetterheadSpec
from lessonpack.load.pack import load_pack
from lessonpack.plugins import item_types
from lessonpack.render.docx import render_docx
from lessonpack.render.html import render_html
from lessonpack.styles.loader import load_style

NOT_DRAWN_BY_ANY = {
    "Handout.warnings": "reported by the build, not printed",
    "Handout.reading_stats": "the numbers behind the statistics section, which prints StatsView's sentences",
    "Handout.answer_key": "drawn through answer_keys (one key, or a key per version)",
    "Handout.version_keys": "drawn through answer_keys",
    "Question.points": "the number behind points_label, which is printed",
    "Question.bonus": "printed as part of points_label",
    "Question.fills_page": "what the layout measures (handout/measure.py), not what is drawn",
    "Question.field": "a form's name for the question; each type's own fields carry the names drawn",
    "Writing.answer": "the whole model answer, for the answer key (KeyRow.answer); the lines print answer_rows",
    "KeyRow.answer": "the answer as plain text (estimates, a pack's own older template); both print KeyRow.printed",
    "KeyGrid.rows": "the grid as plain text (estimates, a pack's own older template); both print KeyGrid.printed",
    "Writing.answer_needs": "the lines the answer needs at full size: the check's answer-lines warning",
    "Writing.answer_room": "the width the model broke answer_rows to",
    "Picture.kind": "tells a picture from a paragraph in the reading's flow, for the model",
    "TableView.fits": "a check error when False; a table that is built always fits",
    "TableView.least": "the width in a check error",
    "TableView.height": "an estimate for paging",
    "TableView.narrow": "a check error when not empty (a width given narrower than its column's words); a table "
                        "that is built has none",
    "TableView.given": "words the check error (on widths:) for a table that does not fit",
    "DocumentInfo.created": "the build's time, written as the documents' metadata by each writer's own options",
    "Handout.title_text": "the title as plain text, for a format that prints no styling; both print title",
    "WorksheetView.total_points": "the number behind total_label and the score line, which are printed",
    "ReadingView.title": "printed as the reading section's heading (Section.heading)",
    "SourceView.id": "printed as part of the source's label (Source B)",
    "PartView.points": "printed as points_label",
    "Blank.accepted": "the answers collect accepts (the type's marking)",
    "Blank.answer": "the answer as written, which the key lists (drawn there); the blank draws Blank.shown",
    "LabelLine.answer": "the answer as written, which the key lists (drawn there); the line draws LabelLine.shown",
    "LabelLine.accepted": "the answers collect accepts (the type's marking)",
    "NumericQuestion.accepted": "the range collect accepts (the type's marking)",
    "LabelLine.number": "printed as the line's label (its number as the model writes it)",
    "DrawingQuestion.answer": "printed in the answer key (the teacher's space is the student's, so pages break alike)",
    "Block.image": "a picture in the reading, which the plan makes a Picture (drawn)",
    "ImageRef.src": "a picture in the reading, which the plan makes a Picture (drawn)",
    "ImageRef.alt": "a picture in the reading, which the plan makes a Picture (drawn)",
    "ImageRef.title": "a picture in the reading, which the plan makes a Picture (drawn)",
    **{f"ReadingStats.{name}": "the numbers behind the statistics section's sentences (StatsView, drawn)"
       for name in ("words", "minutes", "grade_level", "target", "comparison")},
}

NOT_DRAWN_BY = {
    "html": {
        "Picture.data": "the PDF loads the picture by its uri, through the guarded fetcher",
        "Picture.format": "the PDF knows a picture by its bytes",
        "Writing.field_title": "drawn through runs (the text boxes' titles)",
        "RunningText.page_label": "the page numbers are the PDF's @page rule (html.page_css), drawn there",
        "RunningText.header_left": "the running header is the PDF's @page rule (html.page_css)",
        "RunningText.header_right": "the running header is the PDF's @page rule (html.page_css)",
        "RunningText.footer_left": "the running footer is the PDF's @page rule (html.page_css)",
        "RunningText.blank_page": "the PDF's @page :blank rule (html.page_css)",
        "Handout.running": "the PDF's @page rules (html.page_css), drawn there",
        "RunningText.page_numbers": "the PDF's @page rule (html.page_css)",
        "LetterheadView.header": "the letterhead's header is the PDF's @page rule (html.page_css)",
        "LetterheadView.footer": "the letterhead's footer is the PDF's @page rule (html.page_css)",
        "LetterheadView.word": "a reference document's own Word header and footer: the PDF prints their words, "
                               "fields and picture (LetterheadView.header, footer, logo)",
        "PagePart.kind": "a letterhead's header and footer are the PDF's @page rules (html.page_css)",
        "PagePart.text": "a letterhead's header and footer are the PDF's @page rules (html.page_css)",
        "Question.number": "the HTML prints the question's label (its number as the model writes it)",
        "MatchRow.number": "the HTML prints the row's label",
        "MatchingQuestion.left": "the HTML draws the rows, which pair the same entries with the options",
        "DocumentInfo.language": "the HTML's lang is the handout's language (Handout.language)",
        "TableCell.point": "the HTML lines decimal points up with the fraction's box, as wide in every row "
                           "(TableCell.fraction_room)",
        "Handout.version_letter": "the Word document's lessonpack.version property, for lessonpack import",
        "ReadingView.blocks": "the Word document's field marks, for lessonpack import (render/docx/marks.py)",
        "SourceView.index": "the Word document's field marks, for lessonpack import (render/docx/marks.py)",
        "TableCell.at": "the Word document's field marks, for lessonpack import (render/docx/marks.py)",
        "SourceView.whole": "the Word document's field marks, for lessonpack import (render/docx/marks.py)",
    },
    "docx": {
        "Picture.uri": "Word embeds the picture's bytes",
        "Handout.fillable": "Word documents have no form fields",
        "Handout.lesson_sha": "the fillable PDF's, for collect",
        "Masthead.fields": "the fillable PDF's name-line fields",
        "Writing.anchor": "the PDF layout's measuring ids",
        "Writing.fields": "the fillable PDF's text boxes",
        "Writing.field_title": "the fillable PDF's text boxes",
        "LineRun.field": "the fillable PDF's text boxes",
        "LineRun.line_ids": "the PDF layout's measuring ids",
        "Question.anchor": "the PDF layout's measuring ids and links",
        "Question.field_title": "the fillable PDF's fields",
        "Handout.correct_mark": "read through the answer styles",
        "Section.anchor": "the PDF's bookmarks and contents links",
        "SourceView.anchor": "the PDF's links",
        "ReadingView.anchors": "the PDF layout's measuring ids (Word prints the paragraphs in the order they measured)",
        "RunningText.blank_page": "Word leaves the page an odd-page section break skips blank by itself",
        **{f"{part}.{name}": "the fillable PDF's fields" for part in ("Blank", "MatchRow", "OrderRow", "LabelLine")
           for name in ("field", "field_title")},
        "DrawingQuestion.by_hand": "the fillable PDF's words inside the space (a drawing has no field)",
        **{f"{part}.label": "Word numbers them with a list of the same labels (named numbering, which editors keep)"
           for part in ("Choice", "MatchRow", "PartView", "PromptView", "Question")},
        "Choice.letter": "Word letters the choices with a list of the same letters",
        "ReadingView.paragraph_label": "what a screen reader says before a paragraph's number in the HTML",
        "TableCell.fraction_room": "Word lines decimal points up on a decimal tab stop (TableCell.point)",
        "TableCell.field": "the fillable PDF's fields",
        "TableView.width": "a Word table is as wide as its columns' widths together, which it draws",
        "TableCell.figure": "Word breaks a line only where the text allows, and the model made a figure's column "
                            "as wide as the figure",
        "TableCell.field_title": "the fillable PDF's fields",
        "Block.callout": "Word draws every kind of callout in the same named styles (LP Callout); its title names the kind",
        "Verse.kind": "tells a poem from a paragraph in the reading's flow; Word's drawer tells them apart by type",
    },
}


def _classes() -> dict[str, type]:
    """Every dataclass of the handout model reachable from Handout, item types' question classes included."""
    found: dict[str, type] = {}

    def visit(tp) -> None:
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            if tp.__name__ in found:
                return
            found[tp.__name__] = tp
            hints = typing.get_type_hints(tp)
            for f in dataclasses.fields(tp):
                visit(hints.get(f.name))
            return
        for arg in typing.get_args(tp):
            visit(arg)

    visit(views.Handout)
    for value in vars(views).values():  # parts the model makes on the fly (a writing run's text boxes)
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == views.__name__:
            visit(value)
    for item_type in item_types().values():  # each type's own question class and the parts it holds
        module = __import__(type(item_type).__module__, fromlist=["*"])
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                visit(value)
    return found


def _owner(cls: type, name: str) -> str:
    """The class that declares a field (a question type's class inherits the common question's fields)."""
    return next(c.__name__ for c in cls.__mro__ if name in vars(c).get("__annotations__", {}))


def _fields(classes: dict[str, type]) -> set[str]:
    return {f"{_owner(cls, f.name)}.{f.name}" for cls in classes.values() for f in dataclasses.fields(cls)}


@contextmanager
def _recording(classes: dict[str, type], seen: set[str]):
    """Record each field of the model's classes read while the block runs (by the class that declares it)."""
    owners = {(cls, f.name): _owner(cls, f.name) for cls in classes.values() for f in dataclasses.fields(cls)}
    originals = {cls: cls.__dict__.get("__getattribute__") for cls in classes.values()}

    def record(self, name):
        key = (type(self), name)
        if key in owners:
            seen.add(f"{owners[key]}.{name}")
        return object.__getattribute__(self, name)

    for cls in classes.values():
        cls.__getattribute__ = record
    try:
        yield
    finally:
        for cls, original in originals.items():
            if original is None:
                del cls.__getattribute__
            else:
                cls.__getattribute__ = original


UNUSED_SOURCE = Path(__file__).parent / "data" / "unused-source"
LONG_POEM = Path(__file__).parent / "data" / "verse-poems"  # a reading that is a poem taller than a page


def _handouts():
    """Handouts that between them use every field: the sample unit, the example corpus and a lesson with a source
    no question uses and one whose reading is a poem taller than a page, both editions, a version of a build with
    three, and the fillable edition."""
    out = []
    for folder in (REPO, REPO / "examples" / "science", REPO / "examples" / "literature", UNUSED_SOURCE, LONG_POEM):
        pack = load_pack(folder)
        for lesson in pack.lessons:
            out.append(plan(lesson, "student", PlanContext(header_text="School · Unit")))
            out.append(plan(lesson, "teacher", PlanContext(header_text="School · Unit", versions=3)))
            out.append(plan(lesson, "student", PlanContext(version="B", versions=3)))
            out.append(plan(lesson, "student", PlanContext(fillable=True)))
    # A school's letterhead: a logo and lines on the first page, a header and a footer numbering the pages.
    logo = load_image("images/soviet-output-1928-1937.svg", REPO / "lessons", [REPO])
    letterhead = LetterheadSpec(logo, "School\nAddress", "{school} · {edition}", "{title}: page {page} of {pages}",
                                school="School")
    lesson = load_pack(REPO).lessons[0]
    for edition in ("student", "teacher"):
        out.append(plan(lesson, edition, PlanContext(header_text="School · Unit", letterhead=letterhead)))
    # A reference document's own header and footer, which Word prints as made.
    own = ('<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>School'
           '</w:t></w:r></w:p></w:hdr>').encode()
    made = replace(letterhead, word=(("default-header", own), ("first-footer", own.replace(b"w:hdr", b"w:ftr"))))
    out.append(plan(lesson, "teacher", PlanContext(header_text="School · Unit", letterhead=made)))
    return out


@pytest.fixture(scope="module")
def handouts():
    return _handouts()


@pytest.mark.parametrize("renderer", ["html", "docx"])
def test_every_renderer_draws_every_field_of_the_handout_model(renderer, handouts):
    classes = _classes()
    assert {"Handout", "Question", "ChoiceQuestion", "MatchRow", "Blank", "PartView", "TableView"} <= set(classes)
    fields = _fields(classes)
    exempt = {**NOT_DRAWN_BY_ANY, **NOT_DRAWN_BY[renderer]}
    assert not set(exempt) - fields, f"exemptions for fields the model no longer has: {set(exempt) - fields}"
    style = load_style("classic")
    seen: set[str] = set()
    with _recording(classes, seen):
        for handout in handouts:
            if renderer == "html":
                render_html(handout, style, "letter", pack_root=REPO)
            else:
                render_docx(handout, style, "letter")
    missing = sorted(fields - seen - set(exempt))
    assert not missing, f"the {renderer} renderer draws none of: {missing}"


def test_a_field_no_renderer_draws_fails_the_conformance_check(handouts):
    """The check can fail: a field added to the model and drawn by nobody is found."""
    @dataclasses.dataclass(frozen=True)
    class Extra(views.Handout):
        undrawn_note: str = "printed by nobody"

    classes = {**_classes(), "Extra": Extra}
    seen: set[str] = set()
    handout = handouts[0]
    extra = Extra(**{f.name: getattr(handout, f.name) for f in dataclasses.fields(handout)})
    with _recording(classes, seen):
        render_html(extra, load_style("classic"), "letter", pack_root=REPO)
    assert "Extra.undrawn_note" in _fields(classes) - seen
    assert Path(__file__).exists()
