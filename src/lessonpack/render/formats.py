"""What an output format is: one object that says what it makes and how, registered by name (see
:mod:`lessonpack.plugins`). The build, ``clean``, shards, the preview and the command line know formats
only through these objects.

A format draws a planned :class:`~lessonpack.handout.Handout` — it decides nothing a reader sees — into
the bytes of one file. lessonpack's own: ``pdf`` and ``pdf-form`` (:mod:`.pdf`), ``docx`` (:mod:`.docx`),
``html`` (:mod:`.html`). A third party's format is an :class:`OutputFormat` in its own package, named in the
``lessonpack.formats`` entry-point group; its ``render`` receives the same :class:`RenderContext`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..handout import Handout
    from ..styles.loader import Style

EDITIONS = ("student", "teacher")


@dataclass
class RenderContext:
    """What a format draws a handout with, and where it reports: the style and paper, the pack (the only
    folder, with the style's, that pictures and stylesheets may be read from), the files it loaded (for the
    build's cache keys) and its warnings."""

    style: Style
    paper: str
    pack_root: Path
    loaded: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    embed_fonts: bool = True  # a Word document carries the fonts it names (lessonpack.yaml's embed_fonts)


@dataclass(frozen=True)
class OutputFormat:
    """One kind of output file.

    ``render(handout, context)`` returns the file's bytes. The attributes tell the build which outputs to
    plan: the editions a format exists in, whether each student version gets its own file, whether a lesson
    without a worksheet has one, how the file is named (``<id>/<id>-<edition>[-<version>][-<tag>].<suffix>``),
    and how the handout is planned for it: with each "lines: fill" question's room measured from a PDF layout
    (``measured``), with form fields (``fillable``); ``lays_out``: its own render lays the handout out as a PDF
    does, so measuring there costs little (the build hands such jobs out first). ``unit``: the unit PDF of a pack is assembled from this
    format's lesson files. ``preload`` imports the renderer's libraries before the render processes start.
    """

    name: str
    suffix: str
    description: str  # what it makes, for --help: "print-ready handouts"
    media_type: str
    render: Callable[[Handout, RenderContext], bytes]
    title: str = ""  # what one file is called in messages: "fillable PDF" (default: the name in capitals)
    tag: str = ""
    editions: tuple[str, ...] = EDITIONS
    versioned: bool = True
    needs_worksheet: bool = False
    measured: bool = True
    lays_out: bool = False
    fillable: bool = False
    unit: bool = False
    preload: Callable[[], None] | None = None

    @property
    def noun(self) -> str:
        """What one file of this format is called in messages."""
        return self.title or self.name.upper()

    def file_name(self, lesson_id: str, edition: str, version: str = "") -> str:
        """The output's file name: ``soviet-union-student-B.pdf``, ``soviet-union-student-form.pdf``."""
        parts = [lesson_id, edition] + ([version] if version else []) + ([self.tag] if self.tag else [])
        return f"{'-'.join(parts)}.{self.suffix}"

    def name_pattern(self) -> str:
        """A regular expression for the part of a file name after ``<id>-<edition>`` (see :meth:`file_name`)."""
        version = "(?:-[A-Z])?" if self.versioned else ""
        tag = f"-{self.tag}" if self.tag else ""
        return f"{version}{tag}\\.{self.suffix}"
