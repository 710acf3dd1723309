"""The sample unit is a real unit a teacher could print: checked against the foundation issue's brief."""

from __future__ import annotations

import pytest

from conftest import REPO

from lessonpack import load_pack
from lessonpack.load.model import item_type_names
from lessonpack.text.readability import reading_stats

pack = load_pack(REPO)
LESSONS = {lesson.id: lesson.lesson for lesson in pack.lessons}


def test_the_unit_and_its_three_lessons():
    assert pack.config.title == "The Interwar Years (1919–1938)"
    assert set(LESSONS) == {"soviet-union-1924-1935", "reconciliation-and-disarmament-1921-1930",
                            "eastern-europe-1919-1938"}
    assert LESSONS["reconciliation-and-disarmament-1921-1930"].title.startswith(
        "Attempts at Reconciliation and Disarmament (1921–1930)")
    assert LESSONS["eastern-europe-1919-1938"].title.startswith("Eastern Europe During the Inter-War Years")


SCIENCE_TYPES = {"numeric", "drawing", "label_diagram"}
"""The item types made for science and mathematics (a measured answer, a graph to draw, a diagram to label): the
history unit does without them; the example corpus uses them (below)."""


def test_every_item_type_is_used_by_the_sample_unit_or_the_example_corpus():
    used = {item.type for lesson in LESSONS.values() for item in lesson.worksheet.items}
    for folder in sorted((REPO / "examples").iterdir()):
        used |= {item.type for lesson in load_pack(folder).lessons for item in lesson.lesson.worksheet.items}
    assert used == set(item_type_names())
    assert SCIENCE_TYPES <= set(item_type_names())


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_each_lesson_is_complete(lesson_id):
    lesson = LESSONS[lesson_id]
    assert lesson.grade == "9–10" and lesson.unit == "The Interwar Years (1919–1938)"
    words = reading_stats(lesson.reading.text, lesson.grade).words
    assert 600 <= words <= 900, words
    assert 4 <= len(lesson.prompts) <= 6
    assert all(prompt.notes for prompt in lesson.prompts)
    assert lesson.teacher_notes and len(lesson.teacher_notes.split()) >= 100
    assert {item.type for item in lesson.worksheet.items} == set(item_type_names()) - SCIENCE_TYPES
    assert len(lesson.key_terms) >= 8


def test_flagship_key_terms_come_from_the_fact_sheet():
    terms = {t.term.lower() for t in LESSONS["soviet-union-1924-1935"].key_terms}
    for expected in ("socialism in one country", "kulaks", "permanent revolution", "collectivization",
                     "five-year plan", "new economic policy", "general secretary", "central committee", "purge",
                     "show trial", "totalitarianism", "dictatorship of the proletariat", "soviets"):
        assert any(expected in term for term in terms), expected
