"""The school's letterhead as a build uses it: ``letterhead:`` of lessonpack.yaml or of a style, its placeholders
checked and its logo read through the pack-file guard and checked like every other picture.

A pack's letterhead is read with the pack (``read_pack``); a style's when the build resolves its settings. What a
letterhead prints on each handout (its placeholders filled in) is decided by the plan (handout/plan.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import Diagnostic
from ..text.words import did_you_mean
from . import model as m
from .images import ImageProblem, PackImage, load_image
from .yamlsource import SourceMap

PAGE_PLACEHOLDERS = ("page", "pages")
"""The placeholders that change from page to page: the renderers draw them as page-number fields."""


@dataclass(frozen=True)
class LetterheadSpec:
    """A checked letterhead: its logo (read and checked), its text, header and footer as written (placeholders
    still in them), and the values the placeholders that do not change from page to page take."""

    logo: PackImage | None = None
    text: str = ""
    header: str = ""
    footer: str = ""
    school: str = ""
    teacher: str = ""
    date: str = ""  # only when a placeholder uses it (else the build key would change every day)
    origin: str = ""  # the file it came from, for messages
    logo_uri: str = ""  # where the PDF loads the logo from when it is not a file of the pack (a reference's: data:)
    notes: tuple[str, ...] = ()  # what could not be carried over from where it came from (warnings)
    word: tuple[tuple[str, bytes], ...] = ()  # a reference document's own header and footer parts, kept safe
    # (lessonpack.render.docx.reference_import.word_part): Word prints them as they were made

    def uses(self, name: str) -> bool:
        """Whether any of its texts uses the placeholder ``{name}``."""
        return any(name in m.placeholders_in(text) for text in (self.text, self.header, self.footer))


def placeholder_problems(letterhead: m.Letterhead, source: SourceMap, at: tuple = ("letterhead",)) -> list[Diagnostic]:
    """An error at each placeholder of ``letterhead`` that lessonpack does not know (``{pgae}``), where it is
    written."""
    problems: list[Diagnostic] = []
    known = m.LETTERHEAD_PLACEHOLDERS
    for key in ("text", "header", "footer"):
        text = getattr(letterhead, key) or ""
        for name in m.placeholders_in(text):
            if name in known:
                continue
            guess = did_you_mean(name.strip().lower(), list(known))
            line, col = source.text_pos((*at, key), "{" + name + "}")
            problems.append(Diagnostic(
                source.file, line, col, "error",
                f"letterhead: {key}: {{{name}}} is not a placeholder lessonpack knows"
                + (f"; did you mean {{{guess}}}?" if guess else ""),
                "use {" + "}, {".join(known[:-1]) + "} or {" + known[-1] + "}"))
    return problems


def load_letterhead(letterhead: m.Letterhead, source: SourceMap, base: Path, roots: Sequence[Path], *,
                    at: tuple = ("letterhead",), school: str = "", teacher: str = ""
                    ) -> tuple[LetterheadSpec | None, list[Diagnostic]]:
    """``letterhead`` checked: its placeholders, and its logo (named from ``base``, read inside ``roots``); the
    letterhead, or None and the problems."""
    problems = placeholder_problems(letterhead, source, at)
    logo = None
    if letterhead.logo:
        try:
            logo = load_image(letterhead.logo, base, roots)
        except ImageProblem as exc:
            problems.append(source.diagnostic((*at, "logo"), f"letterhead: logo: {exc.message}",
                                              hint=exc.hint or "name a picture file in the pack, e.g. images/logo.png"))
    if problems:
        return None, problems
    return LetterheadSpec(logo, letterhead.text or "", letterhead.header or "", letterhead.footer or "",
                          school, teacher, origin=source.file), []


def file_letterhead(letterhead: m.Letterhead, settings_file: Path, folder: Path, root: Path, *, school: str = "",
                    teacher: str = "") -> tuple[LetterheadSpec | None, list[Diagnostic]]:
    """The ``letterhead:`` of a style's ``style.yaml`` (``settings_file``, read again through the guard for the
    positions of its values), its logo named from the style's ``folder`` and read inside ``root``."""
    from ..errors import display_path
    from .. import limits
    from .yamlsource import read_yaml

    doc = read_yaml(settings_file, [root], display=display_path(settings_file), limit=limits.MAX_STYLE_BYTES,
                    what="style file")
    return load_letterhead(letterhead, doc.source, folder, [root], school=school, teacher=teacher)


def build_date() -> str:
    """The date a letterhead's {date} prints: the day of SOURCE_DATE_EPOCH when it is set (a reproducible
    build), else today's, as YYYY-MM-DD (read alike in every language)."""
    import os
    from datetime import date, datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d")
    return date.today().isoformat()
