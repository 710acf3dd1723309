"""Styles: design tokens (``style.yaml``) that feed both the CSS of the PDF and the Word styles of the DOCX.

A style is a folder ``styles/<name>/`` with ``style.yaml`` and ``handout.css`` (and, optionally,
a Word ``reference.docx``). A pack's own ``styles/`` folder is searched first, the built-in
styles last, so a pack can add a style or override one by name.

The page itself is lessonpack's: its size comes from the paper setting and its margins from the style's
tokens, which may not take more than half the page; a style's stylesheet that sets the page's size,
margins, padding or border in an ``@page`` rule is refused (the PDF renderer also sets them last, over
anything a template writes).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .. import limits
from ..version import DATA
from ..errors import Diagnostic, LessonpackError, display_path
from ..load.packfiles import note_reads, read_pack_text, regular_files, resolved

from ..load.validate import from_pydantic
from ..text.words import did_you_mean
from ..load.yamlsource import read_yaml
from .geometry import PAPER_SIZES
from .tokens import Tokens, length_pt

@dataclass(frozen=True)
class Style:
    """A resolved style: its tokens and the files that came with it."""

    name: str
    folder: Path
    origin: str  # "pack" | "built-in"
    tokens: Tokens
    root: Path  # what the style's files may resolve into: the pack (a pack style) or the built-in styles

    @property
    def css_path(self) -> Path:
        return self.folder / "handout.css"

    def css_text(self) -> str:
        """The style's stylesheet, read through the guard (regular file, inside the pack, size cap, UTF-8)."""
        return read_pack_text(self.css_path, [self.root], limit=limits.MAX_CSS_BYTES, what="stylesheet")

    @property
    def reference_docx(self) -> Path | None:
        path = self.folder / "reference.docx"
        return path if os.path.lexists(path) else None

    def files(self) -> list[Path]:
        """Every file of the style that it may read (for cache keys)."""
        return sorted(regular_files(self.folder, [self.root]))


def builtin_styles_dir() -> Path:
    """The built-in styles, in the package's data folder (the same in a checkout and an installation)."""
    return DATA / "styles"


def search_path(pack_root: Path | None) -> list[tuple[Path, str]]:
    """Folders that hold styles, pack first, built-in last."""
    out = []
    builtin = builtin_styles_dir().resolve()
    own = (pack_root / "styles").resolve() if pack_root is not None else None
    if own is not None and own.is_dir() and own != builtin:
        out.append((own, "pack"))
    out.append((builtin, "built-in"))
    return out


def list_styles(pack_root: Path | None) -> list[tuple[str, Path, str]]:
    """(name, folder, origin) of every style found; a pack's style hides a built-in of the same name."""
    found: dict[str, tuple[str, Path, str]] = {}
    for folder, origin in search_path(pack_root):
        for style_dir in sorted(folder.iterdir()):
            if os.path.lexists(style_dir / "style.yaml") and style_dir.name not in found:
                found[style_dir.name] = (style_dir.name, style_dir, origin)
    return sorted(found.values())


def load_style(name: str, pack_root: Path | None = None) -> Style:
    """Find style ``name`` (pack first) and validate its tokens; raise with positions on any problem."""
    styles = {n: (folder, origin) for n, folder, origin in list_styles(pack_root)}
    if name not in styles:
        guess = did_you_mean(name, list(styles))
        raise LessonpackError(f'no style named "{name}"' + (f'; did you mean "{guess}"?' if guess else "")
                              + f" (available: {', '.join(sorted(styles))})")
    folder, origin = styles[name]
    root = resolved(pack_root) if origin == "pack" and pack_root is not None else builtin_styles_dir().resolve()
    doc = read_yaml(folder / "style.yaml", [root], display=display_path(folder / "style.yaml"),
                    limit=limits.MAX_STYLE_BYTES, what="style file")
    problems: list[Diagnostic] = list(doc.problems)
    tokens = None
    if doc.data is not None:
        if not isinstance(doc.data, dict):
            problems.append(Diagnostic(doc.source.file, 1, 1, "error", "style.yaml must be a mapping of tokens"))
        else:
            try:
                # ``name:`` came with the styles of lessonpack 0.1; the folder names a style now.
                tokens = Tokens.model_validate({k: v for k, v in doc.data.items() if k != "name"})
            except ValidationError as exc:
                problems += from_pydantic(exc, doc.source, doc.data, Tokens)
    if not os.path.lexists(folder / "handout.css"):
        problems.append(Diagnostic(display_path(folder / "style.yaml"), 1, 1, "error",
                                   f"style {name} has no handout.css beside its style.yaml"))
    if tokens is not None:
        problems += _margin_problems(tokens, doc.source)
    if problems or tokens is None:
        raise LessonpackError(problems)
    style = Style(name, folder, origin, tokens, root)
    note_reads(style.files())  # what a render of this style may read: its fonts and pictures too
    try:  # a stylesheet that cannot be used is found now, not half-way through a build
        problems = page_rule_problems(style.css_text(), style.css_path, root)
    except LessonpackError as exc:
        raise LessonpackError(exc.diagnostics) from None
    if problems:
        raise LessonpackError(problems)
    return style


def _margin_problems(tokens: Tokens, source) -> list[Diagnostic]:
    """Margins that take more than :data:`~lessonpack.limits.MAX_MARGIN_SHARE` of the page on either paper."""
    m = tokens.margins
    for paper, (width, height) in PAPER_SIZES.items():
        for sides, total, across in ((("left", "right"), length_pt(m.left) + length_pt(m.right), length_pt(width)),
                                     (("top", "bottom"), length_pt(m.top) + length_pt(m.bottom), length_pt(height))):
            if total > across * limits.MAX_MARGIN_SHARE:
                return [source.diagnostic(("margins",), f"margins: {sides[0]} and {sides[1]} together take "
                                          f"{total * 25.4 / 72:.0f} mm of the page's {across * 25.4 / 72:.0f} mm "
                                          f"({paper} paper); margins may take at most half the page",
                                          hint="make the margins smaller (18mm is usual)")]
    return []


_PAGE_GEOMETRY = re.compile(r"^(size|margin|margin-.*|padding|padding-.*|border|border-(top|right|bottom|left|block|"
                            r"inline)(-(start|end))?|border(-.*)?-width|width|height|(min|max)-(width|height))$")
"""Properties of an ``@page`` rule that change the page's size or the room inside it."""

MAX_IMPORT_DEPTH = 10
"""How deep a style's stylesheets may import one another and still be checked."""


def page_rule_problems(text: str, path: Path, root: Path, depth: int = 0,
                       seen: set[Path] | None = None) -> list[Diagnostic]:
    """Every ``@page`` declaration in a style's stylesheet (and the stylesheets it imports from inside
    ``root``, each read once) that would change the page's size, margins, padding or border, positioned;
    lessonpack sets those from the paper and the style's tokens."""
    import tinycss2

    seen = set() if seen is None else seen
    seen.add(resolved(path))
    problems: list[Diagnostic] = []
    shown = display_path(path)

    def visit(rules) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":  # nested rules inside a style rule (CSS nesting)
                visit(r for r in tinycss2.parse_blocks_contents(rule.content) if r.type != "declaration")
            if rule.type != "at-rule":
                continue
            if rule.lower_at_keyword == "page" and rule.content is not None:
                for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                    if item.type == "declaration" and _PAGE_GEOMETRY.match(item.lower_name):
                        problems.append(Diagnostic(
                            shown, item.source_line, item.source_column, "error",
                            f'@page sets "{item.lower_name}", but lessonpack sets the page\'s size (from the paper '
                            "setting) and its margins (from style.yaml's margins:)",
                            "remove it; set the margins in style.yaml (margins: {top: 18mm, …}) and the paper in "
                            "lessonpack.yaml (paper: a4)"))
            elif rule.lower_at_keyword == "import":
                problems.extend(_imported(rule, path, root, depth, seen))
            elif rule.content is not None:
                visit(tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True))

    visit(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
    return problems


def _imported(rule, path: Path, root: Path, depth: int, seen: set[Path]) -> list[Diagnostic]:
    """The problems of a stylesheet that ``rule`` (an ``@import``) loads from inside the pack, if any."""
    from urllib.parse import unquote, urlparse

    from ..load.packfiles import PackFileError

    token = next((t for t in rule.prelude if t.type not in ("whitespace", "comment")), None)
    if token is not None and token.type == "function" and token.lower_name == "url":
        token = next((t for t in token.arguments if t.type == "string"), None)
    if token is None or token.type not in ("url", "string") or depth >= MAX_IMPORT_DEPTH:
        return []
    address = urlparse(token.value)
    if address.scheme or address.netloc:
        return []  # not loaded at all (the renderer loads only files inside the pack, named relative to it)
    target = path.parent / unquote(address.path)
    if resolved(target) in seen:
        return []
    try:
        text = read_pack_text(target, [root], limit=limits.MAX_CSS_BYTES, what="stylesheet")
    except (PackFileError, LessonpackError):
        return []  # refused when the handout is rendered, with a warning that says why
    return page_rule_problems(text, target, root, depth + 1, seen)


