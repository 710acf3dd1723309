"""The two-command set-up: `make` explains a missing system library in one sentence."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_names_the_missing_pango_package(tmp_path):
    # Pretend Pango is not installed: hide it from ctypes, which the Makefile's check asks.
    (tmp_path / "sitecustomize.py").write_text(
        "import ctypes.util\n_find = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: None if 'pango' in name else _find(name)\n")
    result = subprocess.run(["make", "-s", "system"], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[0] == (
        "Pango is missing: install it (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
        "Fedora: sudo dnf install pango; macOS: brew install pango), then run make again.")


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_system_passes_here():
    result = subprocess.run(["make", "-s", "system"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


LOADED = """import sys
from click.testing import CliRunner
from lessonpack.apps.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
assert result.exit_code == 0, result.output
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize("args,absent", [
    (["--help"], {"weasyprint", "docx", "cairosvg", "watchfiles", "jinja2", "pydantic", "yaml", "PIL"}),  # help loads no library
    (["check", str(REPO)], {"weasyprint", "docx", "cairosvg", "watchfiles"}),  # checking never renders
])
def test_commands_import_only_what_they_need(args, absent):
    loaded = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=True,
                            cwd=REPO).stdout.split()
    assert "lessonpack" in loaded and not absent & set(loaded)


def test_the_command_ends_quickly_with_its_whole_report_and_exit_code(tmp_path):
    """The console command leaves without the interpreter's teardown: what it printed still arrives whole,
    through a pipe, with the right exit code."""
    (tmp_path / "lessons").mkdir()
    lines = "".join("    - {type: essay}\n" for _ in range(150))  # a long report: 150 errors
    (tmp_path / "lessons" / "bad.yaml").write_text(f"title: x\nworksheet:\n  items:\n{lines}", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "lessonpack", "check", str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 1
    report = bad.stdout + bad.stderr
    assert report.count("error: worksheet.items[") == 150 and "1 lesson checked: 150 errors" in report
    (tmp_path / "lessons" / "bad.yaml").write_text("title: x\n", encoding="utf-8")
    good = subprocess.run([sys.executable, "-m", "lessonpack", "check", str(tmp_path)], capture_output=True, text=True)
    assert good.returncode == 0 and "1 lesson checked: 0 errors" in good.stdout + good.stderr


def _requirements() -> dict[str, str]:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        found[requirement.name.lower().replace("_", "-")] = str(requirement.specifier)
    return found


def test_every_package_lessonpack_imports_is_declared_with_a_tested_upper_bound():
    """An upgrade cannot break a build silently: every package the code imports is a declared dependency, and
    every dependency names the newest version the tests ran with as an upper bound."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    declared = _requirements()
    owners = packages_distributions()
    imported = set()
    for path in (REPO / "src" / "lessonpack").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "lessonpack"}
    for name in sorted(third_party):
        distributions = {d.lower().replace("_", "-") for d in owners.get(name, [])}
        assert distributions & declared.keys(), f"{name} is imported but its package is not a dependency"
    for name, spec in declared.items():
        assert "<" in spec, f"{name} has no tested upper bound ({spec or 'any version'})"
