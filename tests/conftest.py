"""Shared fixtures: the repository's sample pack and a CLI runner that behaves like a terminal user."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonpack.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_LESSONS = sorted((REPO / "lessons").glob("*.yaml"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run ``lessonpack ARGS`` in a working directory (default: a fresh temporary folder)."""

    def _run(*args: str, cwd: Path | None = None):
        monkeypatch.chdir(cwd or tmp_path)
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return result

    return _run


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its mtime and bytes, to prove a command wrote nothing."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = (os.stat(path).st_mtime_ns, path.read_bytes())
    return out
