"""Table-driven: every bad lesson file gets exit 1 and the exact file:line:col diagnostic."""

from __future__ import annotations

import pytest

from bad_cases import CASES
from conftest import snapshot


@pytest.mark.parametrize("name,content,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_lesson_file(run, tmp_path, name, content, expected):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = snapshot(tmp_path)

    result = run("check", f"lessons/{name}")

    assert result.exit_code == 1, result.output
    assert f"lessons/{name}:{expected}" in result.output.splitlines(), result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before, "check must not write or touch any file"


def test_table_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("name,content,expected", CASES, ids=[c[0] for c in CASES])
def test_whole_pack_reports_the_same(run, tmp_path, name, content, expected):
    """Checking the pack folder finds the same problem as checking the file alone."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run("check")
    assert result.exit_code == 1
    assert f"lessons/{name}:{expected}" in result.output.splitlines()
