"""Draw a handout model (or a unit) as HTML through sandboxed Jinja2 templates, pack templates first.

The templates receive the model and draw it; the page stylesheet generated here turns the model's
running text and the style's tokens into CSS. Nothing here decides what a reader sees. Every document
drawn from templates goes through :mod:`~lessonpack.render.sanitize` before anything else sees it (the
PDF renderer, the preview, a ``-f html`` file); a ``-f html`` file is also made self-contained and carries
a Content-Security-Policy of its own (:data:`STANDALONE_POLICY`).
"""

from __future__ import annotations

import base64
from dataclasses import replace
import os
import re
from urllib.parse import quote, unquote, urlparse
from xml.sax.saxutils import escape as xml_escape
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from .. import limits
from ..errors import Diagnostic, LessonpackError, display_path, printable
from ..handout import ANSWER_SMALL, Handout, LetterheadView, PagePart, RunningText, Unit
from ..load.images import ImageProblem, check_svg, raster_size, sniff
from ..load.packfiles import PackFileError, is_within, read_pack_file, read_pack_text, resolved
from ..text.richtext import RichText, plain
from ..styles.geometry import PAPER_SIZES, Geometry
from ..styles.tokens import ELEMENT_BOXES, ELEMENT_SELECTORS, length_pt
from ..styles.fonts import font_stack, pack_font_files, style_pack_root
from ..styles.loader import Style
from ..version import __version__
from .maths import placeholder, svg as formula_svg
from .sanitize import Removed, clean_document
from .formats import OutputFormat, RenderContext
from .templates import BUILTIN_TEMPLATES, new_environment, render

_RANGE = re.compile(r"\d+[–-]\d+")


def rich(text: RichText | None) -> Markup:
    """Rich text as escaped HTML: ``<strong>``, ``<em>``, ``<code>``, ``<sub>``, ``<sup>``, ``<s>``, key terms as
    ``<b class=term>``, a formula as the placeholder the sanitiser draws it in (:mod:`.maths`), a span in another
    language as ``<span lang=…>``, a footnote as ``<span class=footnote>`` (which the PDF floats to the foot of
    its page)."""
    if not text:
        return Markup("")
    out = []
    for span in text:
        if span.note:  # a footnote: at the foot of the page in the PDF (base.css), numbered where it is called
            out.append(f'<span class="footnote">{rich(span.note)}</span>')
            continue
        if span.math:
            html = str(placeholder(span.text, span.math))
            html = f"<strong>{html}</strong>" if span.strong else html
            out.append(f"<em>{html}</em>" if span.em else html)
            continue
        html = str(escape(span.text)).replace("\n", "<br>")
        # A line never breaks inside a range such as 1924–1935.
        html = _RANGE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', html)
        if span.sub:
            html = f"<sub>{html}</sub>"
        if span.sup:
            html = f"<sup>{html}</sup>"
        if span.strike:
            html = f"<s>{html}</s>"
        if span.code:
            html = f"<code>{html}</code>"
        if span.em:
            html = f"<em>{html}</em>"
        if span.role == "term":
            html = f'<b class="term">{html}</b>'
        elif span.strong:
            html = f"<strong>{html}</strong>"
        if span.lang:  # tagged in the PDF's structure (see pdfpost), hyphenated and spoken in its language
            html = f'<span lang="{escape(span.lang)}">{html}</span>'
        out.append(html)
    return Markup("".join(out))


def _is_blank(value: object) -> bool:
    """A fill-in text's pieces are rich text (tuples of spans) or blanks: ``seg is blank`` in a template."""
    return not isinstance(value, tuple)


@lru_cache(maxsize=16)
def _environment(pack_templates: str | None) -> Environment:
    return new_environment(Path(pack_templates) if pack_templates else None,
                           filters={"rich": rich, "plain": plain}, tests={"blank": _is_blank})


def pack_environment(pack_root: Path | None) -> Environment:
    """The environment for a pack: its ``templates/`` first, if it is a real folder inside the pack."""
    if pack_root is None:
        return _environment(None)
    folder = pack_root / "templates"
    if os.path.lexists(folder):
        if not is_within(resolved(folder), resolved(pack_root)):
            raise LessonpackError([Diagnostic(display_path(folder), 1, 1, "error",
                                              f"templates/ is a link to {resolved(folder)}, outside the pack; "
                                              "lessonpack reads templates only from inside the pack",
                                              "copy the templates into the pack")])
        return _environment(str(folder))
    return _environment(None)


_CSS_SAFE = re.compile(r"[^\w ,.:;!?·–—\-/&+=@#%*$~^|]")


def _css_string(text: str) -> str:
    """A CSS string literal holding ``text`` exactly: every character that could end the string, the
    declaration or the rule (quotes, backslashes, braces, line breaks, controls) as a hex escape."""
    # The space after each escape ends it (CSS consumes it), so a real space after it survives.
    return '"' + _CSS_SAFE.sub(lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def _page_parts(parts: tuple[PagePart, ...]) -> str:
    """A letterhead's header or footer as the content of a page's margin box: words as strings, the page's
    number and count as its counters."""
    return " ".join(_css_string(p.text) if p.kind == "text" else f"counter({p.kind})" for p in parts)


def _margin(first: str, parts: tuple[PagePart, ...]) -> str:
    """A margin box's content: the running text's words, then a letterhead's (the plan emptied what it replaces)."""
    pieces = ([_css_string(first)] if first else []) + ([_page_parts(parts)] if parts else [])
    return " ".join(pieces) if pieces else '""'


def page_css(style: Style, paper: str, running: RunningText, *, front_matter: bool = False,
             letterhead: LetterheadView | None = None) -> str:
    """The generated stylesheet: tokens as custom properties (and, in a style without italics, emphasis set
    bold), page size, running header and footer.

    A lesson handout prints ``running`` as it is; a unit's front matter (``front_matter``) prints no
    running text on its cover and only the edition on its contents pages, which are not numbered (each
    lesson's pages keep their own numbers).
    """
    t = style.tokens
    width, height = PAPER_SIZES[paper]
    own = pack_font_files(style_pack_root(style))
    fonts = lambda families: ", ".join(  # noqa: E731  (bundled families under their own names: styles/fonts.py)
        f if f in ("serif", "sans-serif", "monospace") else _css_string(f) for f in font_stack(families, own))
    line = length_pt(t.writing_line)
    before, middle, after = running.page_label
    footer = " ".join(filter(None, [_css_string(before) if before else "", "counter(page)",
                                    _css_string(middle) if middle else "", "counter(pages)",
                                    _css_string(after) if after else ""]))
    header = letterhead.header if letterhead is not None else ()
    footer_parts = letterhead.footer if letterhead is not None else ()
    css = f"""
:root {{
  --body-font: {fonts(t.fonts.body)};
  --heading-font: {fonts(t.fonts.heading)};
  --size: {t.size}pt;
  --small: {max(8.5, round(t.size * 0.8, 1))}pt;  /* running headers and footers: whole on a copier */
  --h1: {t.heading_pt(1)}pt; --h2: {t.heading_pt(2)}pt; --h3: {t.heading_pt(3)}pt;
  --line-height: {t.line_height};
  --text: {t.colors.text}; --accent: {t.colors.accent}; --answer: {t.colors.answer};
  --muted: {t.colors.muted}; --rule: {t.colors.rule}; --shade: {t.colors.shade};
  --writing-line: {line:.2f}pt;
  --page-body-height: {length_pt(height) - length_pt(t.margins.top) - length_pt(t.margins.bottom):.2f}pt;  /* inside the margins */
  --answer-drop: {line / 2 - t.size * 0.65:.2f}pt;  /* a model answer sits just above each rule, descenders clear */
  --answer-small: {ANSWER_SMALL}em;  /* a model answer set smaller to fit the student's lines (the model says so) */
  --emphasis-style: {"italic" if t.italics else "normal"};
  --answer-style: {"italic" if t.italics else "normal"};
  --answer-weight: {"normal" if t.italics else "bold"};  /* without italics, answers are set bold */
}}
{"" if t.italics else "em { font-style: normal; font-weight: bold; }  /* without italics, emphasis is set bold */"}
@page {{
  size: {width} {height};
  margin: {t.margins.top} {t.margins.right} {t.margins.bottom} {t.margins.left};
  @top-left {{ content: {"none" if front_matter else _margin(running.header_left, header)}; }}
  @top-right {{ content: {_css_string(running.header_right)}; }}
  @bottom-left {{ content: {"none" if front_matter else _margin(running.footer_left, footer_parts)}; }}
  @bottom-right {{ content: {"none" if front_matter or not running.page_numbers else footer}; }}
}}
"""
    if running.blank_page and not front_matter:  # a page left blank before a right-hand page says so
        css += f"""
@page :blank {{
  @top-left {{ content: none; }} @top-right {{ content: none; }}
  @bottom-left {{ content: none; }} @bottom-right {{ content: none; }}
  background: url("{_blank_page_notice(running.blank_page, style, paper)}") no-repeat center;
}}
"""
    if front_matter:
        css += """
@page cover {
  @top-left { content: none; } @top-right { content: none; }
  @bottom-left { content: none; } @bottom-right { content: none; }
}
"""
    return css


TALL_PAGES = 60
"""How many pages tall the page is that a handout is laid out on to measure its parts whole (see
:meth:`lessonpack.render.pdf.PdfLayout.heights`)."""


def page_geometry_css(style: Style, paper: str, *, tall: bool = False) -> str:
    """The page's size (from the paper) and margins (from the style's tokens), every declaration important:
    given to WeasyPrint last, as the user's, it holds over whatever a template's own ``<style>`` says, so no
    pack makes a page a few pixels across. ``tall``: the paper's width and :data:`TALL_PAGES` times its height,
    so that nothing is cut by a page (for measuring)."""
    t = style.tokens
    width, height = PAPER_SIZES[paper]
    if tall:
        number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", height).groups()
        height = f"{float(number) * TALL_PAGES:g}{unit}"
    return (f"@page {{ size: {width} {height} !important; margin: {t.margins.top} {t.margins.right} "
            f"{t.margins.bottom} {t.margins.left} !important; padding: 0 !important; border-width: 0 !important; }}\n")


def blank_sheet_css(style: Style, paper: str, label: str) -> str:
    """The stylesheet of the blank left-hand page a two-sided unit puts before a lesson: no running text,
    and ``label`` in the middle of the page in small type."""
    css = page_css(style, paper, RunningText("", "", "", ("", "", "")), front_matter=True)
    return css + f"""
@page blank-sheet {{
  @top-right {{ content: none; }}
  background: url("{_blank_page_notice(label, style, paper)}") no-repeat center;
}}
"""


def _blank_page_notice(text: str, style: Style, paper: str) -> str:
    """A data: URI of an SVG the size of the page's text area with ``text`` in its middle, in small type: a
    blank left-hand page of a two-sided unit says why it is blank there, not in its footer."""
    geometry = Geometry.of(style.tokens, paper)
    tokens = style.tokens
    w, h = geometry.text_width, geometry.page_height - geometry.top - geometry.bottom
    size = max(8.0, round(tokens.size * 0.75, 1))
    family = xml_escape(", ".join(tokens.fonts.heading), {'"': "&quot;"})
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1f}pt" height="{h:.1f}pt" '
           f'viewBox="0 0 {w:.1f} {h:.1f}"><text x="{w / 2:.1f}" y="{h / 2:.1f}" text-anchor="middle" '
           f'font-family="{family}" font-size="{size}" fill="{tokens.colors.muted}">{xml_escape(text)}</text></svg>')
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")


def element_css(style: Style) -> str:
    """The style's per-element looks (``elements:`` tokens, which a reference.docx's Word styles fill) as CSS
    rules, given after lessonpack's base layout and before the style's own stylesheets."""
    own = pack_font_files(style_pack_root(style))
    fonts = lambda family: ", ".join(  # noqa: E731  (bundled families under their own names: styles/fonts.py)
        _css_string(f) for f in font_stack([family], own))
    rules = []
    for element, look in style.tokens.elements:
        given = look.given()
        if not given:
            continue
        out = []
        if "font" in given:
            generic = "sans-serif" if element.startswith(("title", "heading")) else "serif"
            out.append(f"font-family: {fonts(given['font'])}, {generic}")
        if "size" in given:
            out.append(f"font-size: {given['size']}pt")
        if "color" in given:
            out.append(f"color: {given['color']}")
        if "bold" in given:
            out.append(f"font-weight: {'bold' if given['bold'] else 'normal'}")
        if "italic" in given:
            out.append(f"font-style: {'italic' if given['italic'] else 'normal'}")
        box = []
        for key, prop in (("space_before", "margin-top"), ("space_after", "margin-bottom"), ("indent", "margin-left")):
            if key in given:
                (box if element in ELEMENT_BOXES else out).append(f"{prop}: {given[key]}")
        if box:
            rules.append(f"{ELEMENT_BOXES[element]} {{ {'; '.join(box)}; }}")
        if "line_height" in given:
            out.append(f"line-height: {given['line_height']}")
        if "rule_width" in given:  # the shorthand first: it would reset the colour given after it
            width = given["rule_width"]
            out.append(f"border-bottom: {width}pt solid" if width else "border-bottom: none")
        if "rule" in given:
            out.append(f"border-bottom-color: {given['rule']}")
        if out:
            rules.append(f"{ELEMENT_SELECTORS[element]} {{ {'; '.join(out)}; }}")
    return "\n".join(rules) + ("\n" if rules else "")


def _style_text(style: Style) -> str:
    # lessonpack's base layout, the style's element looks, then its own stylesheets, read through the guard.
    base = read_pack_text(BUILTIN_TEMPLATES / "base.css", [BUILTIN_TEMPLATES], limit=limits.MAX_CSS_BYTES,
                          what="stylesheet")
    return base + element_css(style) + style.css_text()


GENERATOR = f"lessonpack {__version__}"

STANDALONE_POLICY = ("default-src 'none'; script-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                     "base-uri 'none'; form-action 'none'")
"""The Content-Security-Policy of a ``-f html`` file: nothing runs and nothing is fetched (its pictures are
in the file as ``data:``; its fonts are the style's font families as installed, or their fallbacks)."""

STANDALONE_POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{STANDALONE_POLICY}">'
"""The policy as the first element of a ``-f html`` file's ``<head>`` (the preview takes it out and sends
its own policy as a header)."""


def _base_url(pack_root: Path | None) -> str | None:
    return pack_root.resolve().as_uri() + "/" if pack_root is not None else None


NETWORK = "only files inside the pack and its style are loaded, never the network"
"""Why a picture's outside address is not loaded (the PDF's fetcher says the same)."""


def inline_picture(roots: list[Path], notes: list[str] | None = None):
    """A function that turns a picture's ``file:`` address into a ``data:`` URI, reading the file through the
    pack-file guard (inside ``roots``, size cap) and checking it as an image (pixel cap, SVG that cannot run
    or reach out); None for anything it will not inline, with the reason in ``notes``."""

    def inline(url: str) -> str | None:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path))
        try:
            if parsed.netloc not in ("", "localhost"):
                raise ImageProblem(NETWORK)
            data = read_pack_file(path, roots, limit=limits.MAX_IMAGE_BYTES, what="picture")
            kind = sniff(data)
            if kind == "svg":
                check_svg(data)
            elif kind is not None:
                raster_size(data)
            else:
                raise ImageProblem("not a PNG, JPEG, GIF, WebP or SVG picture")
        except (PackFileError, ImageProblem) as exc:
            if notes is not None:
                why = exc.diagnostic.message if isinstance(exc, PackFileError) else exc.message
                notes.append(f"not loaded: {display_path(path)} ({printable(why, 400)})")
            return None
        media = "image/svg+xml" if kind == "svg" else f"image/{kind}"
        return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"

    return inline


def sanitiser_notes(removed: list[Removed], notes: list[str] | None) -> None:
    """What the sanitiser took out of a document, as build warnings: a picture's outside address as the PDF's
    fetcher reports it, the rest in one line."""
    if notes is None:
        return
    rest: list[str] = []
    for item in removed:
        if item.address is not None:
            notes.append(f"not loaded: {printable(item.address, 80)} ({NETWORK})")
        elif printable(item.what, 80) not in rest:
            rest.append(printable(item.what, 80))
    if rest:
        notes.append(f"removed from the templates' HTML: {', '.join(rest)} (a handout carries no scripts, frames, "
                     "forms or outside addresses; see docs/security.md)")


def formulas(mark: Callable[[str], str] | None = None) -> Callable[[str, str], str | None]:
    """What the sanitiser draws each formula with: its SVG, titled with its TeX (through ``mark``, if given)."""
    return lambda tex, kind: formula_svg(tex, kind, mark(tex) if mark is not None else tex)


def render_html(handout: Handout, style: Style | None, paper: str, *, pack_root: Path | None = None,
                embed_css: bool = False, inline_pictures: bool = False, notes: list[str] | None = None,
                own_templates: bool = False, language_mark: Callable[[str], str] | None = None,
                formula_mark: Callable[[str], str] | None = None) -> str:
    """The handout as HTML, sanitised; with ``embed_css`` the style is included in a ``<style>``, with
    ``inline_pictures`` its pictures are put in it as ``data:`` URIs (read through the guard). What the
    sanitiser removed, and pictures not inlined, are added to ``notes``. ``own_templates``: drawn by
    lessonpack's templates even if the pack has its own. ``language_mark``: see
    :func:`lessonpack.render.sanitize.clean_document`. ``formula_mark``: a formula's TeX → its drawing's text
    alternative (the PDF's marks it for :mod:`.pdfpost`); without it, the TeX itself."""
    css = None
    if embed_css and style is not None:
        # A browser shows no pages: no page left blank on purpose to mark (and no picture to put there).
        css = Markup(page_css(style, paper, replace(handout.running, blank_page=""), letterhead=handout.letterhead)
                     + _style_text(style))
    # A fillable handout is drawn by lessonpack's own templates alone: a pack's templates cannot add fields.
    env = _environment(None) if handout.fillable or own_templates else pack_environment(pack_root)
    html = render(env, "handout.html", h=handout, L=handout.labels, generator=GENERATOR, inline_css=css)
    pictures = None
    if inline_pictures:
        roots = [root.resolve() for root in (pack_root, *(style.folders if style else ())) if root is not None]
        pictures = inline_picture(roots, notes)
    removed: list[Removed] = []
    html = clean_document(html, base_url=_base_url(pack_root), pictures=pictures, removed=removed,
                          language_mark=language_mark, formulas=formulas(formula_mark))
    sanitiser_notes(removed, notes)
    return html


def render_standalone_html(handout: Handout, style: Style, paper: str, *, pack_root: Path | None = None,
                           notes: list[str] | None = None) -> str:
    """A self-contained HTML copy of the handout (what WeasyPrint draws, with the style inlined): sanitised,
    its pictures inside it as ``data:`` URIs, and :data:`STANDALONE_POLICY` first in its ``<head>``."""
    html = render_html(handout, style, paper, pack_root=pack_root, embed_css=True, inline_pictures=True,
                       notes=notes)
    return html.replace("<head>", "<head>" + STANDALONE_POLICY_META, 1)  # the sanitised head has no attributes


def render_pack_html(unit: Unit, style: Style | None, paper: str, *, pack_root: Path | None = None,
                     embed_css: bool = False, notes: list[str] | None = None,
                     formula_mark: Callable[[str], str] | None = None) -> str:
    """A unit's front matter as one HTML document, sanitised (what it removed added to ``notes``): its cover
    and contents."""
    css = None
    if embed_css and style is not None:
        css = Markup(page_css(style, paper, unit.running, front_matter=True) + _style_text(style))
    html = render(pack_environment(pack_root), "pack.html", u=unit, L=unit.handouts[0].labels,
                  generator=GENERATOR, inline_css=css)
    removed: list[Removed] = []
    html = clean_document(html, base_url=_base_url(pack_root), removed=removed, formulas=formulas(formula_mark))
    sanitiser_notes(removed, notes)
    return html


def _draw(handout: Handout, context: RenderContext) -> bytes:
    return render_standalone_html(handout, context.style, context.paper, pack_root=context.pack_root,
                                  notes=context.warnings).encode("utf-8")


HTML = OutputFormat("html", "html", "a self-contained web page of each handout", "text/html; charset=utf-8", _draw,
                    title="web page", measured=False)
"""One self-contained HTML file per handout (pictures inside it, no request when opened)."""
