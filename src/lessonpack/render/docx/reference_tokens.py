"""A pack's ``reference.docx`` read back into design tokens, so that a restyle made in Word reaches the PDF too.

The reference is taken apart as the DOCX renderer takes it apart (:mod:`.reference_import`: sanitized styles,
its page setup, nothing else), opened with python-docx, and compared with the Word styles lessonpack itself
writes for the parent style's tokens: only what the editor changed becomes a token. Normal gives the body's
face, size, colour and line height; Heading 1 the headings' face; Title, Heading 1–3 and the LP styles named in
:data:`~lessonpack.styles.tokens.ELEMENT_STYLES` each element's look; the section the margins. Whatever cannot
carry (a macro project, content controls, a style property with no token) is a warning naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

from pydantic import ValidationError

from ...errors import Diagnostic, display_path
from ...styles.geometry import PAPER_SIZES
from ...styles.tokens import ELEMENT_STYLES, Look, Tokens, length_pt

MAPPED_RUN = {"rFonts", "sz", "szCs", "color", "b", "bCs", "i", "iCs", "lang"}
"""Run properties of a Word style that become tokens (or that only Word needs: the complex-script twins, the
language, which is the lesson's)."""
MAPPED_PARAGRAPH = {"spacing", "ind", "pBdr", "keepNext", "keepLines", "outlineLvl", "numPr", "tabs",
                    "contextualSpacing", "widowControl"}
"""Paragraph properties that become tokens, or that lessonpack sets itself from the handout model (keeping
together, outline levels, list numbering, tab stops)."""

PROPERTY_NAMES = {"u": "underline", "caps": "all capitals", "smallCaps": "small capitals", "strike": "strikethrough",
                  "dstrike": "double strikethrough", "shd": "shading", "highlight": "highlighting",
                  "jc": "alignment", "spacing": "letter spacing", "vertAlign": "raised or lowered text",
                  "vanish": "hidden text", "outline": "outlined text", "shadow": "shadow", "emboss": "embossing",
                  "imprint": "engraving", "w": "character width", "position": "raised or lowered text",
                  "pageBreakBefore": "a page break before", "framePr": "a text frame", "textDirection":
                  "text direction", "bdr": "a border round the text", "effect": "text effects"}
"""Word's property names in plain words, for warnings."""


@dataclass
class FromWord:
    """What a reference document gives a style: token values (a nested mapping, like style.yaml's), where each
    came from (token path → the Word style), and warnings."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)


def _put(values: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        values = values.setdefault(key, {})
    values[last] = value


def _chain(document, names: tuple[str, ...]) -> list:
    """The first of ``names`` the document has, then the styles it is based on, up to (not including) Normal."""
    for name in names:
        try:
            style = document.styles[name]
        except KeyError:
            continue
        out = []
        while style is not None and style.name != "Normal" and len(out) < 20:
            out.append(style)
            style = style.base_style
        return out
    return []


def _first(chain: list, get: Callable[[Any], Any]) -> Any:
    return _found(chain, get)[0]


def _found(chain: list, get: Callable[[Any], Any]) -> tuple[Any, str | None]:
    """The first value ``get`` finds up ``chain``, and the name of the Word style that has it."""
    for style in chain:
        value = get(style)
        if value is not None:
            return value, style.name
    return None, None


def _color(style) -> str | None:
    from docx.enum.dml import MSO_COLOR_TYPE

    color = style.font.color
    if color.type == MSO_COLOR_TYPE.RGB and color.rgb is not None:
        return f"#{str(color.rgb).lower()}"
    return None


def _rule(style) -> tuple[str | None, float | None] | None:
    from docx.oxml.ns import qn

    bottom = style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    if bottom is None:
        return None
    if bottom.get(qn("w:val")) in ("nil", "none"):
        return None, 0.0
    color = bottom.get(qn("w:color"))
    size = bottom.get(qn("w:sz"))
    return (f"#{color.lower()}" if color and color != "auto" else None,
            int(size) / 8 if size and size.isdigit() else None)


def _indent(style) -> float | None:
    """A paragraph style's left indent in points (Word's ``w:left``, or LibreOffice's ``w:start``)."""
    from docx.oxml.ns import qn

    found = _pt(style.paragraph_format.left_indent)
    if found is None:
        ind = style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        start = ind.get(qn("w:start")) if ind is not None else None
        if start is not None and start.lstrip("-").isdigit():
            found = round(int(start) / 20, 1)
    return found


def _pt(length) -> float | None:
    return None if length is None else round(length.pt, 1)


GETTERS: dict[str, Callable[[Any], Any]] = {
    "font": lambda s: s.font.name,
    "size": lambda s: _pt(s.font.size),
    "color": _color,
    "bold": lambda s: s.font.bold,
    "italic": lambda s: s.font.italic,
    "space_before": lambda s: _pt(s.paragraph_format.space_before),
    "space_after": lambda s: _pt(s.paragraph_format.space_after),
    "indent": lambda s: _indent(s),
    "line": lambda s: s.paragraph_format.line_spacing,
    "rule": _rule,
}
"""How each property of a Word style is read (python-docx's style API; a paragraph's bottom border from its XML)."""


UNMAPPED = ("the Word documents keep it; to see it in the PDF too, set it directly (a colour under More Colors, a "
            "font by its name) or add a rule to the style's handout.css")
"""The hint of a warning about a Word style's property that no token carries."""

READ_AS = {"line_height": "line", "rule_width": "rule"}
"""Tokens read from another Word property than their own name."""


def _line_height(line: Any, size: float) -> float | None:
    """A Word line spacing (a multiple, or an exact or least height) as a multiple of the font size."""
    if line is None:
        return None
    if isinstance(line, float):
        return round(line, 2)
    return round(line.pt / size, 2) if size else None


def _canonical(element) -> tuple:
    """An XML element as a value that re-saving does not change: its name, attributes (sorted, without namespace
    prefixes; LibreOffice's ``start``/``end`` as Word's ``left``/``right``) and children, recursively."""
    from lxml import etree

    attrs = {SIDES.get(etree.QName(k).localname, etree.QName(k).localname): v for k, v in element.attrib.items()}
    name = etree.QName(element).localname
    if name == "spacing":
        attrs.setdefault("before", "0")
        attrs.setdefault("after", "0")
    for key, value in list(attrs.items()):  # what saying it says no more than leaving it out
        if (key in ("hanging", "firstLine") and value == "0") or (key == "leader" and value == "none") or (
                key == "val" and len(attrs) == 1 and value in ("true", "1", "on")) or (
                name == "shd" and key == "color" and value == "auto"):
            del attrs[key]
        elif key == "val" and value in ("false", "off"):
            attrs[key] = "0"
        elif name == "jc" and key == "val":
            attrs[key] = SIDES.get(value, value)
    children = (_canonical(c) for c in element if isinstance(c.tag, str))
    return name, tuple(sorted(attrs.items())), tuple(c for c in children if c[0] != "between")


SIDES = {"start": "left", "end": "right"}
"""LibreOffice's names for the sides of an indent or border, and Word's."""


def _neutral(node: tuple) -> bool:
    """A property that says what leaving it out says, or that only Word needs (what LibreOffice adds when it saves
    a document: an explicit left alignment, no kerning, left-to-right, widow control, the tab stops a style
    inherits), or the language, which is the lesson's. (LibreOffice also drops the border between paragraphs of a
    style, so that is not compared either.)"""
    name, attrs, children = node
    values = dict(attrs)
    return (name in ("lang", "widowControl", "tabs")
            or (name in ("bidi", "kern") and values.get("val") in ("0", "false", "off"))
            or (name == "jc" and values.get("val") in ("left", "start"))
            or (name in ("rPr", "pPr") and not children and not attrs))


def _properties(props) -> dict[str, tuple]:
    """A style's run or paragraph properties (``w:rPr``, ``w:pPr``) by name, each canonical, the neutral left out."""
    if props is None:
        return {}
    nodes = [_canonical(c) for c in props if isinstance(c.tag, str)]
    return {node[0]: node for node in nodes if not _neutral(node)}


def _look_of(word_style, carried: set[str]) -> tuple:
    """What a Word style's paragraph and run properties come to, its own over those of the styles it is based on
    up to Normal or a style in ``carried`` (those reach the PDF through the tokens), comparable across Word and
    LibreOffice (which writes out some properties that a style inherits)."""
    from docx.oxml.ns import qn

    chain = []
    while word_style is not None and len(chain) < 20 and (not chain or (
            word_style.name != "Normal" and word_style.name not in carried)):
        chain.append(word_style)
        word_style = word_style.base_style
    out = []
    for tag in ("w:pPr", "w:rPr"):
        merged: dict[str, tuple] = {}
        for one in reversed(chain):
            props = one.element.find(qn(tag))
            for node in (_canonical(c) for c in (props if props is not None else ()) if isinstance(c.tag, str)):
                name, attrs, children = node
                if name in merged:
                    attrs = tuple(sorted({**dict(merged[name][1]), **dict(attrs)}.items()))
                    children = children or merged[name][2]
                merged[name] = (name, attrs, children)
        out.append(tuple(sorted((k, v) for k, v in merged.items() if not _neutral(v))))
    return tuple(out)


def _changed_styles(ref, default, carried: set[str]) -> list[str]:
    """The LP styles (other than ``carried``) whose look the reference document changes, by name."""
    out = []
    for word_style in ref.styles:
        name = word_style.name or ""
        if not name.startswith("LP ") or name in carried:
            continue
        try:
            theirs = default.styles[name]
        except KeyError:
            continue  # not one of lessonpack's: nothing draws with it
        if _look_of(word_style, carried) != _look_of(theirs, carried):
            out.append(name)
    return sorted(out)


def _unmapped(ref_style, default_style) -> list[str]:
    """The properties of ``ref_style`` (its own, not inherited) that no token carries and that differ from the
    Word style lessonpack writes."""
    from docx.oxml.ns import qn

    out = []
    for props, mapped in (("w:rPr", MAPPED_RUN), ("w:pPr", MAPPED_PARAGRAPH)):
        mine = _properties(ref_style.element.find(qn(props)))
        theirs = _properties(default_style.element.find(qn(props))) if default_style is not None else {}
        for local, node in mine.items():
            if local in mapped and not (props == "w:rPr" and local == "spacing"):
                continue
            if theirs.get(local) != node:
                out.append(f"{PROPERTY_NAMES.get(local, local)} (w:{local})")
    fonts = ref_style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is not None and any(fonts.get(qn(f"w:{a}")) for a in ("asciiTheme", "hAnsiTheme")):
        out.append("a font from the theme (w:asciiTheme)")
    color = ref_style.element.find(f"{qn('w:rPr')}/{qn('w:color')}")
    if color is not None and color.get(qn("w:themeColor")):
        out.append(f"a colour from the theme ({color.get(qn('w:themeColor'))})")
    return out


def tokens_from_reference(path: Path, root: Path, base: Tokens, paper: str = "letter") -> FromWord:
    """The tokens ``path`` (a style's ``reference.docx``) sets over ``base`` (the parent style's tokens), with
    their origins and a warning for everything in it that cannot carry. Raises ``PackFileError`` for a
    document that cannot be read."""
    from .package import open_reference, prepare
    from .reference_import import inspect_reference, read_reference

    shown = display_path(path)
    out = FromWord()

    def warn(message: str, hint: str | None = None) -> None:
        out.warnings.append(Diagnostic(shown, 0, 0, "warning", message, hint))

    parts = read_reference(path, [root])
    seen = inspect_reference(path, [root])
    for phrase in seen.unsupported:
        warn(f"reference document: {phrase}", "remove it in Word (or save a copy without it) to silence this")
    ref = open_reference(parts, seen.section)
    default = prepare(SimpleNamespace(tokens=base, reference_docx=None, root=None), paper,
                      use_pack_reference=False).document

    def origin(style_name: str) -> str:
        return f'{shown}, Word style "{style_name}"'

    # Normal: the body's face, size, colour and line height.
    try:
        normal, normal_default = ref.styles["Normal"], default.styles["Normal"]
    except KeyError:
        normal = normal_default = None
    size = base.size
    if normal is not None:
        font = normal.font.name
        if font and font != normal_default.font.name:
            _put(out.values, "fonts.word_body", font)
            _put(out.values, "fonts.body", [font, *[f for f in base.fonts.body if f != font]])
            out.origins["fonts.body"] = out.origins["fonts.word_body"] = origin("Normal")
        got = _pt(normal.font.size)
        if got is not None and got != _pt(normal_default.font.size):
            if 6 <= got <= 40:
                size = got
                _put(out.values, "size", got)
                out.origins["size"] = origin("Normal")
            else:
                warn(f'Word style "Normal" is {got:g} pt; the body may be 6 to 40 pt, so the PDF keeps '
                     f"{base.size:g} pt")
        color = _color(normal)
        if color and color != _color(normal_default):
            _put(out.values, "colors.text", color)
            out.origins["colors.text"] = origin("Normal")
        mine = _line_height(normal.paragraph_format.line_spacing, size)
        theirs = _line_height(normal_default.paragraph_format.line_spacing, base.size)
        if mine is not None and mine != theirs and 1 <= mine <= 3:
            _put(out.values, "line_height", mine)
            out.origins["line_height"] = origin("Normal")
        for what in _unmapped(normal, normal_default):
            warn(f'Word style "Normal" sets {what}, which lessonpack does not carry to the PDF', UNMAPPED)

    # The elements: Title, the headings and the LP styles lessonpack draws them in.
    told: set[str] = set()
    for element, names in ELEMENT_STYLES.items():
        mine_chain, their_chain = _chain(ref, names), _chain(default, names)
        if not mine_chain:
            continue
        name = mine_chain[0].name
        look: dict[str, Any] = {}
        where: dict[str, str] = {}
        for key, get in GETTERS.items():
            (mine, holder), theirs = _found(mine_chain, get), _first(their_chain, get)
            if theirs is None and normal is not None:  # lessonpack leaves it to the body, which the tokens carry
                theirs = get(normal)
            if theirs is None and key in ("space_before", "space_after", "indent"):
                theirs = 0.0
            if theirs is None and key in ("bold", "italic"):
                theirs = False
            where[key] = holder
            if mine is None or mine == theirs:
                continue
            if key == "font" and element == "heading1":  # the headings' face, everywhere headings are set
                _put(out.values, "fonts.word_heading", mine)
                _put(out.values, "fonts.heading", [mine, *[f for f in base.fonts.heading if f != mine]])
                out.origins["fonts.heading"] = out.origins["fonts.word_heading"] = origin(holder)
            elif key == "line":
                own = look.get("size") or _first(mine_chain, GETTERS["size"]) or size
                value = _line_height(mine, own)
                if value is not None and value != _line_height(theirs, _first(their_chain, GETTERS["size"]) or size):
                    look["line_height"] = value
            elif key == "rule":
                color, width = mine
                if color is not None:
                    look["rule"] = color
                if width is not None:
                    look["rule_width"] = width
            elif key in ("space_before", "space_after", "indent"):
                look[key] = f"{mine:g}pt"
            else:
                look[key] = mine
        if look:
            try:
                Look.model_validate(look)
            except ValidationError as exc:
                for problem in exc.errors():
                    key = str(problem["loc"][0]) if problem["loc"] else "?"
                    warn(f'Word style "{name}": {key} cannot carry to the PDF ({problem["msg"]})')
                    look.pop(key, None)
        for key, value in look.items():
            _put(out.values, f"elements.{element}.{key}", value)
            out.origins[f"elements.{element}.{key}"] = origin(where.get(READ_AS.get(key, key)) or name)
        for word_style in mine_chain:  # the element's own style, and those it is based on
            if word_style.name in told:
                continue
            told.add(word_style.name)
            theirs = next((t for t in their_chain if t.name == word_style.name), None)
            for what in _unmapped(word_style, theirs):
                warn(f'Word style "{word_style.name}" sets {what}, which lessonpack does not carry to the PDF',
                     UNMAPPED)

    carried = {name for names in ELEMENT_STYLES.values() for name in names}
    changed = _changed_styles(ref, default, carried)
    if changed:
        names = ", ".join(f'"{name}"' for name in changed)
        warn(f"Word style{'s' if len(changed) > 1 else ''} {names} "
             f"{'differ' if len(changed) > 1 else 'differs'} from lessonpack's; the Word documents use "
             f"{'them' if len(changed) > 1 else 'it'}, but the PDF keeps its own look for "
             f"{'them' if len(changed) > 1 else 'it'} (lessonpack carries Normal, Title, Heading 1–3, LP Question, "
             "LP Choice, LP Reading and LP Instructions to the PDF)",
             "to change the PDF too, add a rule to the style's handout.css")

    # Page setup: the margins; the paper comes from lessonpack.yaml or --paper.
    section, theirs = ref.sections[0], default.sections[0]
    for side in ("top", "right", "bottom", "left"):
        mine_m, their_m = getattr(section, f"{side}_margin"), getattr(theirs, f"{side}_margin")
        if mine_m is not None and their_m is not None and abs(mine_m.pt - their_m.pt) > 0.5:
            _put(out.values, f"margins.{side}", f"{mine_m.pt * 25.4 / 72:.1f}mm")
            out.origins[f"margins.{side}"] = f"{shown}, page setup"
    if section.page_width is not None and section.page_height is not None:
        size_pt = (section.page_width.pt, section.page_height.pt)
        if not any(abs(size_pt[0] - length_pt(w)) < 3 and abs(size_pt[1] - length_pt(h)) < 3
                   for w, h in PAPER_SIZES.values()):
            warn(f"the page is {size_pt[0] * 25.4 / 72:.0f} × {size_pt[1] * 25.4 / 72:.0f} mm, neither letter nor A4; "
                 "the paper comes from lessonpack.yaml's paper: or --paper")
    return out
