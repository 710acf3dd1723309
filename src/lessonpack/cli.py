"""The ``lessonpack`` command line: click commands only; the work is done by the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import LessonpackError, display_path, summary
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


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: <pack>/dist).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(["pdf", "docx", "html"]),
              help="Output format; repeat for several (default: the pack's formats, pdf and docx).")
@click.option("-e", "--edition", "editions", multiple=True, type=click.Choice(["student", "teacher"]),
              help="Edition; repeat for both (default: the pack's editions, student and teacher).")
@click.option("--style", help="Style name (default: the pack's style, classic). See `lessonpack styles`.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: the pack's paper, letter).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(target: Path, out_dir: Path | None, formats: tuple[str, ...], editions: tuple[str, ...],
          style: str | None, paper: str | None, quiet: bool) -> None:
    """Render the handouts of TARGET (a pack folder or one lesson file).

    Every lesson is validated first; if any is invalid, the problems are listed and nothing is written.
    """
    from .build import build as run_build

    def progress(job) -> None:
        if not quiet:
            click.echo(f"wrote {display_path(job.path)}")

    result = run_build(target, out_dir=out_dir, formats=formats or None, editions=editions or None,
                       style=style, paper=paper, progress=progress)
    for warning in result.warnings:
        click.echo(warning, err=True)
    if not quiet:
        click.echo(f"{len(result.written)} file{'s' if len(result.written) != 1 else ''} written")


@cli.command()
@click.argument("target", type=TARGET, default=".")
def styles(target: Path) -> None:
    """List the styles available to TARGET's pack, and where each comes from."""
    from .pack import pack_root
    from .styles import list_styles, load_style

    root = pack_root(target)
    for name, folder, origin in list_styles(root):
        try:
            description = load_style(name, root).tokens.description
        except LessonpackError:
            description = "(invalid style.yaml: run `lessonpack build --style " + name + "` for details)"
        click.echo(f"{name:<14} {origin:<9} {display_path(folder)}  {description}")


@cli.command("reference-docx")
@click.option("--style", "style_name", default="classic", show_default=True, help="Style to take the look from.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the reference document (.docx).")
@click.option("--pack", "pack_dir", type=TARGET, default=".", help="Pack whose styles/ folder is searched first.")
def reference_docx(style_name: str, paper: str, output: Path, pack_dir: Path) -> None:
    """Write the default Word reference document, with sample text in every style, for editors to customize.

    Save your edited copy as styles/<name>/reference.docx in a pack: its styles then win.
    """
    from .output import write_atomic
    from .pack import pack_root
    from .render.docx import reference_docx as make_reference
    from .styles import load_style

    style = load_style(style_name, pack_root(pack_dir))
    write_atomic(output, make_reference(style, paper))
    click.echo(f"wrote {display_path(output)}")


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="lessonpack")
    except LessonpackError as exc:  # raised outside click's own handling (e.g. during setup)
        exc.show()
        sys.exit(exc.exit_code)
