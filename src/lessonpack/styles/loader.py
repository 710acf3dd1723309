"""Styles: design tokens (``style.yaml``) that feed both the CSS of the PDF and the Word styles of the DOCX.

A style is a folder ``styles/<name>/`` with a ``style.yaml``, a Word ``reference.docx`` or both, and
optionally a ``handout.css``. A pack's own ``styles/`` folder is searched first, the built-in styles last, so
a pack can add a style or override one by name.

Where a token comes from, first found wins: the style's ``style.yaml`` (what it writes), its
``reference.docx`` (what an editor changed in its Word styles, read back by
:mod:`lessonpack.render.docx.reference_tokens`, found through :data:`lessonpack.plugins.STYLE_DOCUMENTS` so
that no style imports a renderer), the style it ``extends:`` (the same rules, up its chain),
the defaults (:class:`~lessonpack.styles.tokens.Tokens`). The stylesheets of a chain all apply, the farthest
parent's first; the Word reference document is the nearest one in the chain.

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
from typing import Any

from pydantic import ValidationError

from .. import limits
from ..version import DATA
from ..errors import Diagnostic, LessonpackError, display_path
from ..plugins import STYLE_DOCUMENTS, style_reader
from ..load.packfiles import PackFileError, note_reads, read_pack_text, regular_files, resolved

from ..load.validate import from_pydantic
from ..text.words import did_you_mean
from ..load.yamlsource import read_yaml
from .geometry import PAPER_SIZES
from .tokens import Tokens, length_pt

STYLE_FILES = ("style.yaml", "reference.docx")
"""A folder under ``styles/`` is a style when it holds one of these."""


@dataclass(frozen=True)
class Layer:
    """One folder of a style's chain: the style itself, or a style it extends."""

    name: str
    folder: Path
    origin: str  # "pack" | "built-in"
    root: Path  # what the folder's files may resolve into


@dataclass(frozen=True)
class Style:
    """A resolved style: its tokens, the files that came with it, and the styles it extends."""

    name: str
    folder: Path
    origin: str  # "pack" | "built-in"
    tokens: Tokens
    root: Path  # what the style's files may resolve into: the pack (a pack style) or the built-in styles
    parents: tuple[Layer, ...] = ()  # the styles it extends, nearest first
    origins: tuple[tuple[str, str], ...] = ()  # token path ("colors.accent") → where its value came from
    warnings: tuple[Diagnostic, ...] = ()  # what of the style cannot be used (never silently dropped)

    @property
    def layers(self) -> tuple[Layer, ...]:
        """The style's own folder, then each it extends, nearest first."""
        return (Layer(self.name, self.folder, self.origin, self.root), *self.parents)

    @property
    def css_path(self) -> Path:
        return self.folder / "handout.css"

    def css_parts(self) -> list[tuple[str, Path]]:
        """Each stylesheet of the chain with the folder its addresses are relative to, the farthest parent's
        first, the style's own last; each read through the guard (regular file, inside its root, size cap)."""
        return [(read_pack_text(layer.folder / "handout.css", [layer.root], limit=limits.MAX_CSS_BYTES,
                                what="stylesheet"), layer.folder)
                for layer in reversed(self.layers) if os.path.lexists(layer.folder / "handout.css")]

    def css_text(self) -> str:
        """The style's stylesheets, the farthest parent's first (see :meth:`css_parts`)."""
        return "\n".join(text for text, _ in self.css_parts())

    @property
    def reference_docx(self) -> Path | None:
        """The nearest Word reference document of the chain: the style's own, else its parent's…"""
        layer = self._reference_layer()
        return layer.folder / "reference.docx" if layer is not None else None

    @property
    def reference_root(self) -> Path:
        """What :attr:`reference_docx` may resolve into."""
        layer = self._reference_layer()
        return layer.root if layer is not None else self.root

    def _reference_layer(self) -> Layer | None:
        return next((layer for layer in self.layers if os.path.lexists(layer.folder / "reference.docx")), None)

    @property
    def folders(self) -> list[Path]:
        """Every folder of the chain, the style's own first."""
        return [layer.folder for layer in self.layers]

    def files(self) -> list[Path]:
        """Every file of the style and of the styles it extends that it may read (for cache keys)."""
        return sorted({path for layer in self.layers for path in regular_files(layer.folder, [layer.root])})

    def origin_of(self, path: str) -> str:
        """Where the token at ``path`` ("size", "colors.accent") got its value."""
        return dict(self.origins).get(path, "default")


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


def _is_style(folder: Path) -> bool:
    return any(os.path.lexists(folder / name) for name in STYLE_FILES)


def _all_styles(pack_root: Path | None) -> dict[str, list[tuple[Path, str]]]:
    """Every style folder by name, in search order (a pack's first, then the built-in of the same name)."""
    found: dict[str, list[tuple[Path, str]]] = {}
    for folder, origin in search_path(pack_root):
        for style_dir in sorted(folder.iterdir()):
            if style_dir.is_dir() and _is_style(style_dir):
                found.setdefault(style_dir.name, []).append((style_dir, origin))
    return found


def list_styles(pack_root: Path | None) -> list[tuple[str, Path, str]]:
    """(name, folder, origin) of every style found; a pack's style hides a built-in of the same name."""
    return sorted((name, *places[0]) for name, places in _all_styles(pack_root).items())


def stray_folders(pack_root: Path | None) -> list[Diagnostic]:
    """A warning for each folder in the pack's ``styles/`` that is not a style (no style.yaml, no reference.docx)."""
    out = []
    for folder, origin in search_path(pack_root):
        if origin != "pack":
            continue
        for style_dir in sorted(folder.iterdir()):
            if style_dir.is_symlink():  # never looked into: nothing is read through a link (load/packfiles.py)
                continue
            if style_dir.is_dir() and not _is_style(style_dir):
                out.append(Diagnostic(display_path(style_dir), 0, 0, "warning",
                                      f"styles/{style_dir.name} is not a style: it has neither a style.yaml nor a "
                                      "reference.docx, so lessonpack does not use it",
                                      "add a style.yaml (design tokens) or a reference.docx (Word styles), or "
                                      "delete the folder"))
    return out


def load_style(name: str, pack_root: Path | None = None) -> Style:
    """Find style ``name`` (pack first), follow what it extends, and validate its tokens; raise with positions
    on any problem."""
    styles = _all_styles(pack_root)
    if name not in styles:
        guess = did_you_mean(name, list(styles))
        raise LessonpackError(f'no style named "{name}"' + (f'; did you mean "{guess}"?' if guess else "")
                              + f" (available: {', '.join(sorted(styles))})")
    style = _load(name, 0, styles, pack_root, ())
    stray = stray_folders(pack_root)
    if stray:
        style = Style(**{**vars(style), "warnings": tuple(dict.fromkeys([*stray, *style.warnings]))})
    note_reads(style.files())  # what a render of this style may read: its fonts and pictures too
    return style


def token_origins(style: Style) -> list[tuple[str, str, str]]:
    """(token path, value as written, where it came from) for every token of ``style`` that has a value."""
    rows = []
    data = style.tokens.model_dump()
    for path in _leaves(data):
        value: Any = data
        for key in path:
            value = value[key]
        if value is None:
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value).lower() \
            if isinstance(value, bool) else str(value)
        dotted = ".".join(map(str, path))
        rows.append((dotted, shown, style.origin_of(dotted)))
    return rows


def _merge(base: Any, over: Any) -> Any:
    """``over`` written over ``base``: mappings key by key, anything else replaced whole."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value)
        return out
    return over


def _leaves(data: Any, path: tuple = ()) -> list[tuple]:
    """The paths of every value that is not a mapping (a list is one value)."""
    if isinstance(data, dict) and data:
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    return [path] if path else []


def _load(name: str, index: int, styles: dict[str, list[tuple[Path, str]]], pack_root: Path | None,
          chain: tuple[tuple[str, Path], ...]) -> Style:
    """Style ``name`` from its ``index``-th folder in search order; ``chain``: the styles that extend it, as
    (name, folder), the first asked for first."""
    folder, origin = styles[name][index]
    root = resolved(pack_root) if origin == "pack" and pack_root is not None else builtin_styles_dir().resolve()
    problems: list[Diagnostic] = []
    data: dict = {}
    source = None
    shown_yaml = display_path(folder / "style.yaml")
    if os.path.lexists(folder / "style.yaml"):
        doc = read_yaml(folder / "style.yaml", [root], display=shown_yaml, limit=limits.MAX_STYLE_BYTES,
                        what="style file")
        problems += doc.problems
        source = doc.source
        if doc.data is not None and not isinstance(doc.data, dict):
            problems.append(Diagnostic(doc.source.file, 1, 1, "error", "style.yaml must be a mapping of tokens"))
        elif isinstance(doc.data, dict):
            # ``name:`` came with the styles of lessonpack 0.1; the folder names a style now.
            data = {k: v for k, v in doc.data.items() if k not in ("name", "extends")}
            try:
                Tokens.model_validate(data)
            except ValidationError as exc:
                problems += from_pydantic(exc, doc.source, data, Tokens)
            if "extends" in doc.data:
                problems += _extends_problems(doc.data["extends"], name, folder, styles, chain, source)
        if problems:
            raise LessonpackError(problems)

    parent: Style | None = None
    if source is not None and isinstance(doc.data, dict) and "extends" in doc.data:
        wanted = doc.data["extends"]
        # A pack's style that extends its own name extends the built-in one it replaces: the next in search order.
        at = index + 1 if wanted == name else 0
        parent = _load(wanted, at, styles, pack_root, (*chain, (name, folder)))
    base = parent.tokens if parent is not None else Tokens()
    origins: dict[str, str] = {}
    if parent is not None:
        origins = {path: (f"inherited from {parent.name}" + ("" if value == "default" else f" ({value})"))
                   for path, value in parent.origins}
    warnings: list[Diagnostic] = list(parent.warnings) if parent is not None else []

    from_word: dict = {}
    for document in STYLE_DOCUMENTS:  # Word's reference.docx: its styles are the style's tokens too
        if not os.path.lexists(folder / document):
            continue
        try:
            read = style_reader(document)(folder / document, root, base)
        except PackFileError as exc:
            raise LessonpackError([exc.diagnostic]) from None
        from_word = _merge(from_word, read.values)
        origins.update(read.origins)
        warnings += read.warnings
    for path in _leaves(data):
        line, _ = source.value_pos(path)
        origins[".".join(map(str, path))] = f"{shown_yaml}:{line}"

    try:
        tokens = Tokens.model_validate(_merge(_merge(base.model_dump(), from_word), data))
    except ValidationError as exc:  # a value read from Word that the tokens refuse
        raise LessonpackError([Diagnostic(display_path(folder / "reference.docx"), 0, 0, "error",
                                          f"its Word styles give a token lessonpack cannot use: {e['msg']} "
                                          f"({'.'.join(map(str, e['loc']))})") for e in exc.errors()]) from None
    if source is not None:
        problems += _margin_problems(tokens, source)
    if problems:
        raise LessonpackError(problems)
    parents = (Layer(parent.name, parent.folder, parent.origin, parent.root), *parent.parents) if parent else ()
    style = Style(name, folder, origin, tokens, root, parents, tuple(sorted(origins.items())),
                  tuple(dict.fromkeys(warnings)))
    if os.path.lexists(style.css_path):
        try:  # a stylesheet that cannot be used is found now, not half-way through a build
            problems += page_rule_problems(read_pack_text(style.css_path, [root], limit=limits.MAX_CSS_BYTES,
                                                          what="stylesheet"), style.css_path, root)
        except LessonpackError as exc:
            raise LessonpackError(exc.diagnostics) from None
    if problems:
        raise LessonpackError(problems)
    return style


def _extends_problems(wanted: Any, name: str, folder: Path, styles: dict[str, list[tuple[Path, str]]],
                      chain: tuple[tuple[str, Path], ...], source) -> list[Diagnostic]:
    """What is wrong with a style.yaml's ``extends:`` value: not a name, no such style, a circle, too deep."""
    if not isinstance(wanted, str) or not wanted.strip():
        return [source.diagnostic(("extends",), "extends: must name a style, e.g. extends: classic")]
    if wanted == name and wanted in styles and [f for f, _ in styles[wanted]][-1] == folder:
        return [source.diagnostic(("extends",), f"extends: {' → '.join([n for n, _ in chain] + [name, name])} is a "
                                  "circle; a style cannot extend itself, directly or through other styles",
                                  hint="remove extends:, or name the style it should build on")]
    if wanted not in styles:
        others = [n for n in styles if n != name]
        guess = did_you_mean(wanted, others)
        return [source.diagnostic(("extends",), f'extends: no style named "{wanted}"'
                                  + (f'; did you mean "{guess}"?' if guess else ""),
                                  hint=f"available: {', '.join(sorted(others))}")]
    names = [n for n, _ in chain] + [name]
    target = styles[wanted][0][0] if wanted != name else None
    if target is not None and any(f == target for _, f in chain):
        circle = " → ".join(names[[f for _, f in chain].index(target):] + [wanted])
        return [source.diagnostic(("extends",), f"extends: {circle} is a circle; a style cannot extend itself, "
                                  "directly or through other styles",
                                  hint=f"remove extends: from one of them ({', '.join(sorted(set(names)))})")]
    if len(chain) + 1 >= limits.MAX_STYLE_CHAIN:
        return [source.diagnostic(("extends",), f"extends: {' → '.join(names + [wanted])} is more than "
                                  f"{limits.MAX_STYLE_CHAIN} styles deep",
                                  hint="extend a style nearer the built-in ones")]
    return []


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


