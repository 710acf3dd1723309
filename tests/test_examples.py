"""The example packs under examples/ (science, literature, mathematics, geography) stay clean.

They are the corpus that the layout tests build in every style, paper, edition and version, and the
first proof that lessonpack serves teachers of every subject; a change to the format or to a lint that
breaks one of them must be noticed here, not by a teacher copying an example.
"""

from __future__ import annotations

import pytest

from conftest import REPO, snapshot

EXAMPLES = REPO / "examples"
# Named, so that a pack deleted or renamed by mistake fails instead of silently dropping out of the list.
PACKS = sorted({"science", "literature", "mathematics", "geography"}
               | {p.name for p in EXAMPLES.iterdir() if (p / "lessonpack.yaml").is_file()})


@pytest.mark.parametrize("pack", PACKS)
def test_example_pack_passes_check_strict(run, pack):
    folder = EXAMPLES / pack
    lessons = sorted((folder / "lessons").glob("*.yaml"))
    assert lessons, f"examples/{pack} has no lessons"
    before = snapshot(folder)
    result = run("check", "--strict", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{len(lessons)} lessons checked: no problems"
    assert snapshot(folder) == before
