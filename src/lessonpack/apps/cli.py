"""The ``lessonpack`` command line: click commands only; the work is done by the library."""

from __future__ import annotations

import difflib

import math
import sys
from pathlib import Path

import click

from ..plugins import format_names
from ..version import __version__
from ..errors import LessonpackError, display_path, printable, summary
from ..limits import CHECK_TEMPLATE_TIMEOUT, DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT, MAX_MEMORY_MIB, MAX_TIMEOUT

TARGET = click.Path(exists=True, path_type=Path)


class _Seconds(click.ParamType):
    """A number of seconds: finite, at least 1, at most a day (``inf``, ``nan`` and ``1e309`` are refused, since
    each would turn a deadline off)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        try:
            seconds = float(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a number of seconds, such as 120", param, ctx)
        if not math.isfinite(seconds) or not 1 <= seconds <= MAX_TIMEOUT:
            self.fail(f"{str(value)[:40]!r} is not a number of seconds from 1 to {MAX_TIMEOUT:,.0f} (a day)", param,
                      ctx)
        return seconds


SECONDS = _Seconds()
MEMORY = click.IntRange(256, MAX_MEMORY_MIB)


class _Commands(click.Group):
    """Click's group, turning the library's :class:`LessonpackError` into a report on stderr and exit 1; its help
    lists each command with the whole first sentence of its description, wrapped, never cut short with "…"."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LessonpackError as exc:
            click.echo(exc.report(), err=True)
            ctx.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="lessonpack")
def cli() -> None:
    """Turn plain-text lesson files into classroom handouts."""


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings too; a placeholder left from `lessonpack new` is an error.")
@click.option("--timeout", type=SECONDS, default=CHECK_TEMPLATE_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Longest a pack's own templates may take to render its lessons.")
@click.option("--style", "style_name", metavar="NAME",
              help="Check with this style instead of the pack's (its tokens, stylesheet, fonts, templates and Word "
                   "reference document, and the lessons' pages in it), as build --style NAME would print.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Check on this paper instead of the pack's.")
def check(target: Path, strict: bool, timeout: float, style_name: str | None, paper: str | None) -> None:
    """Validate every lesson in TARGET (a pack folder or one lesson file); write nothing.

    Exit status: 0 when clean, 1 when any error (or warning, with --strict), 2 for usage errors.
    """
    from ..building.check import check as check_pack

    report = check_pack(target, template_timeout=timeout, strict=strict, style=style_name, paper=paper)
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


class _Progress:
    """A progress bar on a terminal; one line per output otherwise; nothing with --quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stdout.isatty()
        self.bar = None

    def start(self, total: int) -> None:
        if self.tty and not self.quiet and total:
            self.bar = click.progressbar(length=total, label="Building", show_pos=True, width=24,
                                         item_show_func=lambda job: job.label if job else "")
            self.bar.__enter__()

    def done(self, job, status: str) -> None:
        if self.bar is not None:
            self.bar.update(1, current_item=job)
        elif not self.quiet:
            click.echo(f"{status:<9} {display_path(job.path)}")

    def waiting(self, folder: Path) -> None:
        click.echo(f"another lessonpack build is writing to {display_path(folder)}; waiting for it to finish…",
                   err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _shard(ctx, param, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("write it as I/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter(f"I must be between 1 and N (got {value})")
    return index, count


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: <pack>/dist).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(format_names()),
              help="Output format; repeat for several (default: the pack's formats, pdf and docx). pdf-form: a "
                   "student PDF with fields to fill in on a screen.")
@click.option("-e", "--edition", "editions", multiple=True, type=click.Choice(["student", "teacher"]),
              help="Edition; repeat for both (default: the pack's editions, student and teacher).")
@click.option("--versions", type=click.IntRange(1, 26), metavar="N",
              help="Student versions A, B, C… with shuffled questions and choices, and a key for each in the "
                   "teacher edition (default: the pack's versions, 1).")
@click.option("--style", help="Style name (default: the pack's style, classic). See `lessonpack styles`.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: the pack's paper, letter).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Parallel workers (default: number of CPUs).")
@click.option("--force", is_flag=True, help="Rebuild every output, even those that are up to date.")
@click.option("--keep-going", is_flag=True, help="Build the valid lessons, report the invalid ones, exit 1.")
@click.option("--no-pack", is_flag=True, help="Skip the combined unit PDFs.")
@click.option("--pack-only", is_flag=True, help="Build only the combined unit PDFs (after sharded builds).")
@click.option("--shard", callback=_shard, metavar="I/N",
              help="Build the I-th of N disjoint shares of the lesson outputs.")
@click.option("--duplex/--no-duplex", default=None,
              help="Two-sided copying: each lesson of a unit PDF, and a student's worksheet that starts a page, "
                   "starts on a right-hand page (default: on, or the pack's duplex setting).")
@click.option("--timeout", type=SECONDS, default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Longest one document may take to render.")
@click.option("--memory-limit", type=MEMORY, default=DEFAULT_MEMORY_MIB, show_default=True,
              metavar="MIB", help="Most memory one document's render may take.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-w", "--watch", is_flag=True, help="Build, then build again whenever a lesson, style or template "
                                                  "is saved (Ctrl-C stops).")
def build(target: Path, out_dir: Path | None, formats: tuple[str, ...], editions: tuple[str, ...],
          versions: int | None, style: str | None, paper: str | None, jobs: int | None, force: bool,
          keep_going: bool, no_pack: bool, pack_only: bool, shard: tuple[int, int] | None, duplex: bool | None,
          timeout: float, memory_limit: int, quiet: bool, watch: bool) -> None:
    """Render the handouts of TARGET (a pack folder or one lesson file).

    Every lesson is validated first; if any is invalid, the problems are listed and nothing is written.
    Outputs whose inputs have not changed since the last build are left as they are.
    """
    from ..building.builder import build as run_build
    from ..building.workers import Limits

    if pack_only and (no_pack or shard):
        raise click.UsageError("--pack-only cannot be combined with --no-pack or --shard")

    def once(force: bool) -> bool:
        progress = _Progress(quiet)
        try:
            result = run_build(target, out_dir=out_dir, formats=formats or None, editions=editions or None,
                               style=style, paper=paper, jobs=jobs, force=force, keep_going=keep_going,
                               with_pack=not no_pack, pack_only=pack_only, shard=shard,
                               limits=Limits(memory_limit, timeout), duplex=duplex, versions=versions,
                               progress=progress)
        except KeyboardInterrupt:
            progress.close()
            click.echo("interrupted: finished files are in place; the rest keep their previous version", err=True)
            sys.exit(130)
        finally:
            progress.close()
        for problem in result.invalid:
            click.echo(problem.format(), err=True)
        for failure in result.failed:
            click.echo(failure.report(), err=True)
        if not quiet:
            for warning in result.warnings:
                click.echo(warning, err=True)
            click.echo(f"{len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.failed)} "
                       f"failed in {result.seconds:.1f} s")
        return result.ok

    if not watch:
        sys.exit(0 if once(force) else 1)
    _watch_builds(target, out_dir, once, force)


def _watch_builds(target: Path, out_dir: Path | None, once, force: bool) -> None:
    """Build, then again after every save, until Ctrl-C; a build's errors are shown and the watch goes on.

    What is watched is what the last build read from the pack (see :mod:`lessonpack.apps.preview.watch`)."""
    from ..load.pack import pack_root
    from ..load.packfiles import recording_reads
    from .preview import changes

    read: set[Path] = set()

    def attempt(force: bool) -> None:
        nonlocal read
        with recording_reads() as seen:
            try:
                once(force)
            except LessonpackError as exc:  # invalid input: say so, and wait for the next save
                click.echo(exc.report(), err=True)
        read = seen

    attempt(force)
    root = pack_root(target) or target.resolve().parent
    output = Path(out_dir).resolve() if out_dir else root / "dist"

    def ready() -> None:
        click.echo(f"watching {display_path(root)} for changes (Ctrl-C stops)")

    def warn(line: str) -> None:
        click.echo(line, err=True)

    try:
        for changed in changes(root, lambda: read, output=output, ready=ready, warn=warn):
            shown = ", ".join(display_path(p) for p in sorted(changed)[:3]) + (", …" if len(changed) > 3 else "")
            click.echo(f"changed: {shown}")
            attempt(False)
    except KeyboardInterrupt:
        pass
    click.echo("stopped watching")


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: <pack>/dist).")
def clean(target: Path, out_dir: Path | None) -> None:
    """Remove output files that no current lesson produces (only files lessonpack wrote)."""
    from ..building.builder import clean as run_clean

    removed = run_clean(target, out_dir=out_dir)
    for path in removed:
        click.echo(f"removed {display_path(path)}")
    click.echo(f"{len(removed)} file{'s' if len(removed) != 1 else ''} removed")


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("--style", "style_name", metavar="NAME",
              help="Show every token of style NAME, its value and where it came from (style.yaml's line, a "
                   "reference.docx's Word style, the style it extends, or the default).")
def styles(target: Path, style_name: str | None) -> None:
    """List the styles available to TARGET's pack, and where each comes from."""
    from ..load.pack import pack_root
    from ..styles.loader import list_styles, load_style, stray_folders, token_origins
    root = pack_root(target)
    if style_name is not None:
        style = load_style(style_name, root)
        chain = " → ".join(layer.name for layer in style.layers)
        click.echo(f"{printable(style.name)} ({style.origin}, {display_path(style.folder)})"
                   + (f": {printable(chain)}" if style.parents else ""))
        if style.reference_docx is not None:
            click.echo(f"Word styles: {display_path(style.reference_docx)}")
        rows = token_origins(style)
        width = max(len(path) for path, _, _ in rows)
        for path, value, origin in rows:
            click.echo(f"  {path:<{width}}  {printable(value):<28} {printable(origin)}")
        for warning in style.warnings:
            click.echo(warning.format(), err=True)
        return
    for name, folder, origin in list_styles(root):
        try:
            style = load_style(name, root)
            description = style.tokens.description
            extra = [f"extends {style.parents[0].name}"] if style.parents else []
            if style.reference_docx is not None:
                extra.append(f"Word styles from {display_path(style.reference_docx)}")
            if extra:
                description += f" ({'; '.join(extra)})" if description else "; ".join(extra)
        except LessonpackError:
            description = f"(invalid: run `lessonpack styles --style {name}` for details)"
        click.echo(f"{printable(name):<14} {origin:<9} {display_path(folder)}  {printable(description)}")
    for warning in stray_folders(root):
        click.echo(warning.format(), err=True)


@cli.command()
@click.argument("topic", required=False)
def docs(topic: str | None) -> None:
    """List the guides that come with lessonpack, or print one (e.g. `lessonpack docs lesson-format`).

    The help texts and messages name them as docs/NAME.md; they are installed with lessonpack.
    """
    from .manual import title, topics

    found = topics()
    if not found:
        raise click.ClickException("the guides were not installed with this copy of lessonpack; reinstall it from "
                                   "its wheel or its repository")
    if topic is None:
        for name, path in found.items():
            click.echo(f"{name:<20} {title(path)}")
        click.echo(f"\n{len(found)} guides in {display_path(next(iter(found.values())).parent)}; "
                   "`lessonpack docs NAME` prints one")
        return
    name = topic.removeprefix("docs/").removesuffix(".md")
    if name not in found:
        close = difflib.get_close_matches(name, list(found), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise click.UsageError(f"no guide named {printable(topic)}{hint} (`lessonpack docs` lists them)")
    click.echo(found[name].read_text(encoding="utf-8"), nl=False)


@cli.command()
@click.option("--pack", "for_pack", is_flag=True, help="The schema of lessonpack.yaml instead of a lesson file's.")
def schema(for_pack: bool) -> None:
    """Print the JSON Schema of a lesson file (or of lessonpack.yaml), for editors that check YAML as you type.

    See docs/authoring.md; e.g. `lessonpack schema > schema/lesson.schema.json`.
    """
    from .schema import lesson_schema, pack_schema, schema_text

    click.echo(schema_text(pack_schema() if for_pack else lesson_schema()), nl=False)


@cli.command()
@click.argument("title")
@click.option("--pack", "pack_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
              help="The pack folder to add the lesson to (default: the current folder).")
@click.option("--id", "lesson_id", metavar="ID", help="The file name without .yaml (default: made from TITLE).")
def new(title: str, pack_dir: Path, lesson_id: str | None) -> None:
    """Start a new lesson called TITLE: a commented skeleton with every item type, in the pack's lessons/.

    Never overwrites a file. A lessons: list in lessonpack.yaml gets the new lesson added at its end.
    """
    from .new import new_lesson

    made = new_lesson(title, pack_dir, lesson_id)
    click.echo(f"wrote {display_path(made.lesson)}")
    if made.schema is not None:
        click.echo(f"wrote {display_path(made.schema)} (lets an editor check lessons as you type: docs/authoring.md)")
    if made.listed_in is not None:
        click.echo(f"added {made.lesson_id} to lessons: in {display_path(made.listed_in)}")
    for problem in made.problems:
        click.echo(problem.format(), err=True)
    for note in made.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"next: replace every <…> in {display_path(made.lesson)}, then run `lessonpack check --strict`")


@cli.command("reference-docx")
@click.option("--style", "style_name", default="classic", show_default=True, help="Style to take the look from.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the reference document (.docx).")
@click.option("--pack", "pack_dir", type=TARGET, default=".", help="Pack whose styles/ folder is searched first.")
def reference_docx(style_name: str, paper: str, output: Path, pack_dir: Path) -> None:
    """Write the default Word reference document, with sample text in every style, for editors to customize.

    Save your edited copy as styles/<name>/reference.docx in a pack (a style.yaml beside it is optional): its
    Word styles then win in the Word documents, and what they change is read back into the style's tokens for the
    PDF too (see `lessonpack styles --style <name>`).
    """
    from ..building.output import write_atomic
    from ..load.pack import pack_root
    from ..render.docx import reference_docx as make_reference
    from ..styles.loader import load_style
    style = load_style(style_name, pack_root(pack_dir))
    write_atomic(output, make_reference(style, paper))
    click.echo(f"wrote {display_path(output)}")


@cli.command()
@click.argument("forms", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The CSV file to write (a row per form).")
@click.option("--pack", "pack_dir", type=TARGET, default=".", show_default=True,
              help="The pack the forms were made from: its teacher keys mark the answers.")
@click.option("--timeout", type=SECONDS, default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              help="Longest one form may take to read.")
@click.option("--memory-limit", type=MEMORY, default=DEFAULT_MEMORY_MIB, show_default=True, metavar="MIB",
              help="Most memory reading one form may take.")
def collect(forms: tuple[Path, ...], output: Path, pack_dir: Path, timeout: float, memory_limit: int) -> None:
    """Read filled-in forms into one marked CSV.

    FORMS are fillable PDFs (<lesson>-student-form.pdf) that students filled in. The CSV has a row per form
    with every field's value, and the marks of the questions the key can mark (multiple choice, true/false,
    blanks, matching, ordering, numeric answers, a diagram's labels), per question and in total. A drawing
    is answered on paper: collect names it as marked by hand.

    A file that cannot be read is reported and skipped (exit status 1); the others are still collected.
    """
    from .collect import collect as collect_forms
    from ..building.output import atomic_file

    if output.suffix.lower() == ".pdf" or any(output.resolve() == form.resolve() for form in forms):
        raise click.UsageError("-o names the CSV file to write, not a form")
    from ..building.workers import Limits

    result = collect_forms(list(forms), pack_dir, limit=Limits(memory_limit, timeout))
    for problem in result.problems + result.warnings:
        click.echo(problem.format(), err=True)
    if result.forms:
        with atomic_file(output) as handle:
            result.write_csv(handle)
        click.echo(f"{len(result.forms)} form{'s' if len(result.forms) != 1 else ''} collected into "
                   f"{display_path(output)}" + (f"; {len(forms) - len(result.forms)} skipped"
                                                if len(result.forms) < len(forms) else ""))
        if result.shares:
            several = len({lesson for lesson, _ in result.shares}) > 1
            click.echo("marks won, per question: " + " · ".join(
                f"{lesson + ' ' if several else ''}q{n} {share:.0%}" for (lesson, n), share in result.shares.items()))
        for lesson, questions in result.by_hand.items():  # answered on paper: nothing in the forms to mark
            several = len(result.keys) > 1
            click.echo(f"{lesson + ': ' if several else ''}marked by hand (answered on paper, no field in the form): "
                       + ", ".join(f"q{n} ({kind.lower()})" for n, kind in questions))
    else:
        click.echo("no form could be read; nothing written", err=True)
    sys.exit(0 if result.ok else 1)


@cli.command("import")
@click.argument("docx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lesson", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The lesson file to write the edits into (default: the one the document names, in the pack).")
@click.option("--pack", "pack_dir", type=TARGET, default=".", show_default=True,
              help="The pack the document was made from (without --lesson).")
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; write nothing.")
def import_(docx: Path, lesson: Path | None, pack_dir: Path, dry_run: bool) -> None:
    """Bring edits made in Word or LibreOffice back into the lesson file.

    DOCX is a Word document lessonpack made (student or teacher edition, any version), after editing. Reworded
    text in any field, choices, questions, key terms, prompts and objectives removed, moved or added, a teacher's
    answers and points come back into the lesson file as text edits that keep its comments and layout. What
    cannot come back (a picture pasted in, a table restructured, text typed outside every field, an edited
    formula) is reported with its place in the document. See docs/docx.md.
    """
    from .wordimport import import_docx, write

    outcome = import_docx(docx, lesson=lesson, pack=pack_dir)
    for problem in outcome.problems:
        click.echo(problem.format(), err=True)
    shown = display_path(outcome.lesson_path)
    if outcome.new is None:
        click.echo(f"{shown}: no changes to bring back from {docx.name}")
        return
    if dry_run:
        click.echo(outcome.diff, nl=False)
        click.echo(f"{shown}: {len(outcome.changes)} change{'s' if len(outcome.changes) != 1 else ''} "
                   "(dry run: nothing written)")
        return
    write(outcome)
    click.echo(f"{shown}: {len(outcome.changes)} change{'s' if len(outcome.changes) != 1 else ''} brought back "
               f"from {docx.name}: " + ", ".join(dict.fromkeys(outcome.changes)))


@cli.command()
@click.argument("target", type=TARGET, default=".")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default=None, metavar="ADDRESS",
              help="Address to listen on (default: 127.0.0.1, this machine only).")
@click.option("--style", help="Style name (default: the pack's style).")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: the pack's paper).")
def preview(target: Path, port: int, host: str | None, style: str | None, paper: str | None) -> None:
    """Show TARGET's lessons in the browser as the pages their PDFs print, updated on every save (Ctrl-C stops).

    Each page shows `check`'s messages while its files have errors. PDF and DOCX links build that one
    document on demand; nothing is written into the pack.
    """
    from ..load.pack import pack_root
    from .preview import is_loopback, serve
    from ..styles.loader import load_style
    if style:  # a mistake on the command line stops here; mistakes in files are shown on the pages
        load_style(style, pack_root(target))
    address = host or "127.0.0.1"
    if not is_loopback(address):
        click.echo(f"warning: listening on {address}: anyone who can reach this machine on port {port} can read "
                   "these lessons and their answer keys", err=True)

    def ready(url: str, lessons: int) -> None:
        click.echo(f"previewing {lessons} lesson{'s' if lessons != 1 else ''} at {url} (Ctrl-C stops)", err=True)

    def warn(line: str) -> None:
        click.echo(line, err=True)

    try:
        serve(target, host=address, port=port, style=style, paper=paper, ready=ready, warn=warn)
    except OSError as exc:
        raise LessonpackError(f"cannot listen on {address}:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        pass
    click.echo("preview stopped", err=True)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="lessonpack")
    except SystemExit as done:
        _exit(done)
    raise AssertionError("click's standalone mode always ends in SystemExit")  # pragma: no cover


def _exit(done: SystemExit) -> None:
    """End the process once the command is over: with nothing left running, skip the interpreter's teardown
    of several hundred modules (0.05–0.1 s of every command); otherwise leave as usual."""
    import os
    import threading

    code = done.code
    if (code is not None and not isinstance(code, int)) or threading.active_count() > 1:
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it as it always does
        raise done from None
    os._exit(code or 0)
