"""Turn handout HTML into a tagged, reproducible PDF with WeasyPrint, loading only allowed resources.

Every resource (stylesheets, ``@import``, ``url()``, fonts, images) comes through
:class:`SafeFetcher`: ``data:`` URIs and files inside the pack and its style only, read through the
pack-file guard, with caps on bytes and pixels and SVGs checked for scripts, outside references,
entities and ``<use>`` bombs. The finished document carries nothing active: no form fields, no
attachments, and only ``http``, ``https`` and ``mailto`` links.
"""

from __future__ import annotations

import hashlib
from html import escape
import logging
import mimetypes
from collections.abc import Collection
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlparse

from PIL import Image as PILImage

from .libraries import no_library_search

with no_library_search():
    from weasyprint import CSS, HTML, URLFetcher
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcherResponse

from .. import limits
from ..errors import display_path
from ..styles.fonts import bundled_folders, font_faces_css, pack_font_files, style_pack_root
from ..handout import Handout, Unit
from ..handout.fields import FIELD_NAME
from ..handout.measure import Placement
from ..load.images import ImageProblem, check_svg, raster_size, sniff
from ..load.packfiles import PackFileError, read_pack_file, read_pack_text
from ..styles.loader import Style
from .formats import OutputFormat, RenderContext
from .pdfpost import FORMULA_PREFIX, MARK_PREFIX, finish, formula_mark, language_mark
from .html import blank_sheet_css, element_css, page_css, page_geometry_css, render_html, render_pack_html
from .linebreaks import spaces_apart
from .templates import BUILTIN_TEMPLATES

BASE_CSS = BUILTIN_TEMPLATES / "base.css"
LINK_SCHEMES = ("http", "https", "mailto")
"""The only link targets a handout PDF keeps; file:, javascript: and the rest are dropped."""


class RefusedResource(ValueError):
    """A resource the fetcher will not load; WeasyPrint skips it and the build reports the reason."""


class SafeFetcher(URLFetcher):
    """Serve ``data:`` URIs and files inside the allowed folders, within the caps; refuse everything else."""

    def __init__(self, roots: list[Path], loaded: list[Path] | None = None, notes: list[str] | None = None):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]
        self.loaded = loaded if loaded is not None else []  # files used, for the build's cache keys
        self.notes = notes if notes is not None else []  # why a resource was refused, for the build's warnings

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url, headers)
        except RefusedResource as exc:
            shown = display_path(unquote(urlparse(url).path)) if url.lower().startswith("file:") else url
            shown = shown if len(shown) < 80 else shown[:77] + "…"
            self.notes.append(f"not loaded: {shown} ({exc})")
            raise

    def _fetch(self, url, headers):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            if len(url) > limits.MAX_IMAGE_BYTES * 4 // 3 + 1000:
                raise RefusedResource(f"a data: URI larger than {limits.MAX_IMAGE_BYTES:,} bytes")
            response = super().fetch(url, headers)
            data = response.read()
            response.close()
            check_resource(data, url)
            return URLFetcherResponse(url, data, {"Content-Type": response.content_type})
        if scheme == "file":
            path = Path(unquote(urlparse(url).path))
            try:
                data = read_pack_file(path, self.roots, limit=limits.MAX_IMAGE_BYTES, what="resource")
            except PackFileError as exc:
                raise RefusedResource(exc.diagnostic.message) from None
            check_resource(data, url)
            self.loaded.append(path.resolve())
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": kind})
        raise RefusedResource("only files inside the pack and its style are loaded, never the network")


def check_resource(data: bytes, url: str) -> None:
    """Refuse raster images beyond the pixel cap and SVGs that could run, reach out or explode."""
    kind = sniff(data)
    if kind is None and url.lower().split("?")[0].endswith(".svg"):
        kind = "svg"  # an SVG that does not look like one is still parsed, and refused if it is not well-formed
    try:
        if kind == "svg":
            check_svg(data)
        elif kind is not None or _pillow_reads(data):  # BMP, TIFF…: WeasyPrint's Pillow reads them too
            raster_size(data)
    except ImageProblem as exc:
        raise RefusedResource(exc.message) from None


def _pillow_reads(data: bytes) -> bool:
    try:
        with PILImage.open(BytesIO(data)):
            return True
    except PILImage.DecompressionBombError:
        return True
    except Exception:  # a stylesheet, a font: not an image
        return False


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One font configuration per process: building it scans every installed font."""
    return FontConfiguration()


@lru_cache(maxsize=16)
def _style_sheet(text_hash: str, text: str, base_url: str, roots: tuple[str, ...]) -> tuple[CSS, tuple[str, ...]]:
    # Parsed once per process and stylesheet; the fetcher guards @import and url() inside it.
    notes: list[str] = []
    fetcher = SafeFetcher([Path(r) for r in roots], notes=notes)
    return CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=font_config()), tuple(notes)


_INHERITED: list[FontConfiguration] = []
"""In a forked worker, the font configuration of the process it was forked from (one that had rendered
something itself): kept, never collected, because collecting it (the cycle collector may, at any point
while the worker renders) deletes its font folder — the folder the parent process is still using."""


def fonts_of_its_own() -> None:
    """In a process just forked: a font configuration (and stylesheets bound to it) of its own, leaving the
    parent's, and the parent's font folder, alone."""
    if font_config.cache_info().currsize:
        _INHERITED.append(font_config())
    font_config.cache_clear()
    _style_sheet.cache_clear()
    font_config()


def _sheet(text: str, folder: Path, roots: tuple[str, ...], notes: list[str] | None) -> CSS:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sheet, sheet_notes = _style_sheet(digest, text, folder.resolve().as_uri() + "/", roots)
    if notes is not None:
        notes.extend(sheet_notes)
    return sheet


def _quiet_weasyprint() -> None:
    # Missing-font and unsupported-property chatter is not actionable for a teacher; refusals are
    # reported by the fetcher itself.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)


PX = 0.75
"""Points per CSS pixel: WeasyPrint lays out in pixels, the handout model measures in points."""


class PdfLayout:
    """The PDF renderer as the handout model's :class:`~lessonpack.handout.measure.Layout`: lays a handout out
    as its PDF would be, and says where each asked-for id landed, from WeasyPrint's own record of every
    element with an id on each page (``Page.anchors``).

    A pack whose templates do not draw the asked-for ids (a template written before they existed, or that
    leaves the writing lines out) is measured as lessonpack's own templates lay it out with the pack's style:
    measured, never left to estimates."""

    def __init__(self, style: Style, paper: str, pack_root: Path):
        self.style, self.paper, self.pack_root = style, paper, pack_root

    def place(self, handout: Handout, ids: Collection[str]) -> dict[str, list[Placement]]:
        wanted = set(ids)
        placed = self._placements(handout, wanted, own_templates=False)
        if wanted - placed.keys() and not handout.fillable:  # the pack's templates leave some out
            placed = self._placements(handout, wanted, own_templates=True)
        return placed

    def heights(self, handout: Handout, ids: Collection[str]) -> dict[str, float]:
        wanted = set(ids)
        placed = self._placements(handout, wanted, own_templates=False, tall=True)
        if wanted - placed.keys() and not handout.fillable:
            placed = self._placements(handout, wanted, own_templates=True, tall=True)
        return {name: sum(p.bottom - p.top for p in spots) for name, spots in placed.items()}

    def _placements(self, handout: Handout, wanted: set[str], own_templates: bool,
                    tall: bool = False) -> dict[str, list[Placement]]:
        html = render_html(handout, self.style, self.paper, pack_root=self.pack_root, own_templates=own_templates)
        rendered = _layout(html, page_css(self.style, self.paper, handout.running, letterhead=handout.letterhead),
                           self.style, self.paper,
                           self.pack_root, None, None, tall=tall)
        placed: dict[str, list[Placement]] = {}
        for number, page in enumerate(rendered.pages):
            for name, box in page.anchors.items():
                if name in wanted:
                    top, bottom = box[1], box[3] if len(box) > 3 else box[1]  # (x, y[, x2, y2]) in CSS pixels
                    placed.setdefault(name, []).append(Placement(number, top * PX, bottom * PX))
        return placed


def _layout(html: str, css: str, style: Style, paper: str, pack_root: Path, loaded: list[Path] | None,
            notes: list[str] | None, forms: bool = False, tall: bool = False):
    """The laid-out document (WeasyPrint's pages), with the pack's fonts, styles and guarded fetcher.

    The page's size and margins come last, marked important (see html.page_geometry_css): WeasyPrint takes
    every stylesheet given here as the user's and a template's ``<style>`` as the author's, and an important
    user declaration wins over any author declaration, so nothing a template writes changes the page (a
    style's own stylesheet may not set them at all: styles.page_rule_problems)."""
    _quiet_weasyprint()
    roots = (str(pack_root.resolve()), *(str(folder.resolve()) for folder in style.folders), str(BUILTIN_TEMPLATES),
             *map(str, bundled_folders()))
    fetcher = SafeFetcher([Path(r) for r in roots], loaded, notes)
    document = HTML(string=spaces_apart(html), base_url=pack_root.resolve().as_uri() + "/", url_fetcher=fetcher)
    base_css = read_pack_text(BASE_CSS, [BUILTIN_TEMPLATES], limit=limits.MAX_CSS_BYTES, what="stylesheet")
    faces = font_faces_css(style.tokens.families, pack_font_files(style_pack_root(style)))
    sheets = [
        CSS(string=css, url_fetcher=fetcher, font_config=font_config()),
        _sheet(faces, BUILTIN_TEMPLATES, roots, notes),  # parsed once per process: the fonts load once
        _sheet(base_css, BUILTIN_TEMPLATES, roots, notes),
        _sheet(element_css(style), BUILTIN_TEMPLATES, roots, notes),  # the style's element looks (style.yaml, Word)
        *(_sheet(text, folder, roots, notes) for text, folder in style.css_parts()),  # the chain's, parents first
        _sheet(page_geometry_css(style, paper, tall=tall), BUILTIN_TEMPLATES, roots, notes),
    ]
    return document.render(stylesheets=sheets, font_config=font_config(), pdf_variant="pdf/ua-1",
                           pdf_forms=forms)


def _own_field(box) -> bool:
    """A text box, text area or round button that lessonpack's own templates made for the fillable edition."""
    element = box.element
    kind = (element.get("type") or "text").lower() if element.tag == "input" else element.tag
    return (kind in ("text", "radio", "textarea") and "field" in (element.get("class") or "").split()
            and bool(FIELD_NAME.match(element.get("name") or "")))


def strip_active_content(rendered, keep_fields: bool = False) -> None:
    """No attachments, no form fields (in the fillable edition: only lessonpack's own text fields and buttons,
    outside any HTML form, so no submit action can exist), and links only to web pages, mail addresses or the
    document itself."""
    rendered.metadata.attachments = []
    for page in rendered.pages:
        fields = [(box, rect) for inputs in page.forms.values() for box, rect in inputs if _own_field(box)]
        page.forms = {None: fields if keep_fields else []}
        page.links = [link for link in page.links if link[0] == "internal" or (
            link[0] == "external" and urlparse(str(link[1])).scheme.lower() in LINK_SCHEMES)]


def render_pdf(handout: Handout, style: Style, paper: str, *, pack_root: Path,
               loaded: list[Path] | None = None, notes: list[str] | None = None) -> bytes:
    """The handout as PDF/UA-1 bytes: tagged, with metadata, bookmarks and subset fonts."""
    html = render_html(handout, style, paper, pack_root=pack_root, notes=notes, language_mark=language_mark,
                       formula_mark=formula_mark)
    css = page_css(style, paper, handout.running, letterhead=handout.letterhead)
    fields = handout.fillable  # drawn from lessonpack's own templates alone (render_html)
    return write(_layout(html, css, style, paper, pack_root, loaded, notes, forms=fields), fields=fields,
                 languages=MARK_PREFIX in html, formulas=FORMULA_PREFIX in html)


def layout_front_matter(unit: Unit, style: Style, paper: str, *, pack_root: Path,
                        loaded: list[Path] | None = None, notes: list[str] | None = None):
    """A unit's cover and contents laid out (``len(result.pages)`` is their page count); write with :func:`write`."""
    html = render_pack_html(unit, style, paper, pack_root=pack_root, notes=notes, formula_mark=formula_mark)
    return _layout(html, page_css(style, paper, unit.running, front_matter=True), style, paper, pack_root, loaded,
                   notes)


def on_first_page(rendered, anchor: str) -> bool:
    """Whether the laid-out document has the element with the id ``anchor`` on its first page (a unit's cover
    that fits on one page has its foot there)."""
    return bool(rendered.pages) and anchor in rendered.pages[0].anchors


def write(rendered, *, fields: bool = False, languages: bool = False, formulas: bool = False) -> bytes:
    """A laid-out document as PDF/UA-1 bytes, with nothing active in it (``fields``: but its own form fields);
    ``languages``: its HTML marked the elements in another language, ``formulas``: it has formulas (see
    :mod:`.pdfpost`)."""
    strip_active_content(rendered, keep_fields=fields)
    data = rendered.write_pdf(pdf_variant="pdf/ua-1", pdf_forms=fields, custom_metadata=fields)
    return finish(data, languages=languages, fields=fields, formulas=formulas)


def render_blank_sheet(style: Style, paper: str, label: str, language: str, *, pack_root: Path) -> bytes:
    """One blank left-hand page for a two-sided unit, saying in its middle that it is blank on purpose."""
    html = (f'<!DOCTYPE html><html lang="{escape(language, quote=True)}"><head><meta charset="utf-8">'
            f'<title>{escape(label)}</title></head><body><div class="blank-sheet"></div></body></html>')
    return write(_layout(html, blank_sheet_css(style, paper, label), style, paper, pack_root, None, None))


def _draw(handout: Handout, context: RenderContext) -> bytes:
    return render_pdf(handout, context.style, context.paper, pack_root=context.pack_root, loaded=context.loaded,
                      notes=context.warnings)


PDF = OutputFormat("pdf", "pdf", "print-ready handouts (and the unit PDFs)", "application/pdf", _draw, unit=True,
                   lays_out=True)
"""Print-ready PDF/UA handouts: what schools photocopy."""

PDF_FORM = OutputFormat("pdf-form", "pdf", "the student edition with fields to fill in on a screen",
                        "application/pdf", _draw, title="fillable PDF", tag="form", editions=("student",), versioned=False,
                        needs_worksheet=True, fillable=True, lays_out=True)
"""The fillable student PDF, ``<id>-student-form.pdf``: the student edition's pages with form fields."""
