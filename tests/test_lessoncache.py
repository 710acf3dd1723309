"""Checked lessons are remembered by content: a second load reads nothing again and finds the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, snapshot
from test_check import GOOD, write

from lessonpack.load import lessoncache
from lessonpack.load import pack as pack_module
from lessonpack.building.check import check
from lessonpack.load.pack import load_pack


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path.parent / f"{tmp_path.name}-cache"
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", str(folder))
    return folder


def no_parsing(monkeypatch) -> None:
    monkeypatch.setattr(pack_module, "parse_yaml", lambda *a, **k: pytest.fail("the lesson was parsed again"))


def test_a_second_load_reads_the_same_lessons_and_problems_without_parsing(cache, monkeypatch):
    first = load_pack(REPO)
    assert len(list(cache.glob("*/*.json"))) == len(first.lessons)
    no_parsing(monkeypatch)
    second = load_pack(REPO)
    assert [(f.id, f.sha256, f.lesson) for f in second.lessons] == [(f.id, f.sha256, f.lesson) for f in first.lessons]
    assert [f.images.keys() for f in second.lessons] == [f.images.keys() for f in first.lessons]
    assert second.warnings == first.warnings


def test_warnings_and_errors_are_remembered_word_for_word(cache, tmp_path, monkeypatch, run):
    write(tmp_path, "lessons/warned.yaml", GOOD.replace("objectives:\n  - Explain how Stalin rose to power "
                                                        "after Lenin died.\n", ""))
    write(tmp_path, "lessons/broken.yaml", "title: x\nworksheet:\n  items:\n    - type: essay\n")
    cold = run("check")
    no_parsing(monkeypatch)
    warm = run("check")
    assert warm.output == cold.output and warm.exit_code == cold.exit_code == 1
    assert "lessons/warned.yaml:1:1: warning: lesson has no objectives" in warm.output
    assert 'lessons/broken.yaml:4:7: error: worksheet.items[0]: missing required field "prompt"' in warm.output


def test_an_edited_file_is_read_again(cache, tmp_path, run):
    lesson = write(tmp_path, "lessons/stalin.yaml", GOOD)
    assert run("check").exit_code == 0
    lesson.write_text(GOOD.replace("answer: false", "answer: maybe"), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1 and "lessons/stalin.yaml:11:15: error" in result.output


def test_a_remembered_lesson_whose_picture_is_wrong_is_read_again_to_position_the_problem(cache, tmp_path, run):
    write(tmp_path, "lessons/map.yaml", GOOD.replace("After Lenin died,", "After Lenin died,\n\n    ![A map](images/map.png)\n\n   "
                                                     ).replace("  text: After", "  text: |\n    After"))
    write(tmp_path, "lessons/images/map.png", "not a picture")
    cold = run("check")
    assert cold.exit_code == 1 and "lessons/map.yaml:6:14: error:" in cold.output, cold.output
    warm = run("check")
    assert warm.output == cold.output


def test_a_damaged_or_foreign_entry_is_ignored(cache, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    first = load_pack(tmp_path)
    (entry,) = cache.glob("*/*.json")
    data = json.loads(lessoncache.unseal(entry.read_bytes()))
    data["lesson"]["title"] = {"not": "a title"}  # fails the model's own validation (signed, as if by this user)
    entry.write_bytes(lessoncache.seal(json.dumps(data).encode()))
    assert load_pack(tmp_path).lessons[0].lesson == first.lessons[0].lesson
    entry.write_bytes(lessoncache.seal(b"{ not json"))
    assert load_pack(tmp_path).lessons[0].lesson == first.lessons[0].lesson
    data = json.loads(lessoncache.unseal(entry.read_bytes()))
    data["key"] = "0" * 64  # an entry written for other bytes
    entry.write_bytes(lessoncache.seal(json.dumps(data).encode()))
    assert load_pack(tmp_path).lessons[0].lesson.title == first.lessons[0].lesson.title


def test_the_cache_lives_outside_the_pack_and_can_be_turned_off(tmp_path, monkeypatch):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    before = snapshot(tmp_path)
    assert check(tmp_path).errors == []
    assert snapshot(tmp_path) == before
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", "off")
    assert lessoncache.cache_dir() is None
    lessoncache.store("0" * 64, "x.yaml", None, [])  # nowhere to write: nothing happens
    assert lessoncache.lookup("0" * 64, "x.yaml") is None
