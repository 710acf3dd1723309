"""The ``lessonpack`` command line: click commands only; the work is done by the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import LessonpackError, summary
from .pack import check as check_pack

TARGET = click.Path(exists=True, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="lessonpack")
def cli() -> None:
    """Turn plain-text lesson files into classroom handouts."""


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(target: Path, strict: bool) -> None:
    """Validate every lesson in TARGET (a pack folder or one lesson file); write nothing.

    Exit status: 0 when clean, 1 when any error (or warning, with --strict), 2 for usage errors.
    """
    report = check_pack(target)
    problems = report.diagnostics
    for problem in problems:
        click.echo(problem.format())
    errors = len(report.errors)
    failed = errors or (strict and problems)
    n = report.lessons_checked
    checked = f"{n} lesson{'s' if n != 1 else ''} checked"
    if problems:
        click.echo(f"{checked}: {summary(problems)}" + (" (--strict: warnings fail)" if strict and not errors
                                                          and problems else ""))
    else:
        click.echo(f"{checked}: no problems")
    sys.exit(1 if failed else 0)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="lessonpack")
    except LessonpackError as exc:  # raised outside click's own handling (e.g. during setup)
        exc.show()
        sys.exit(exc.exit_code)
