"""Turn handout HTML into a tagged, reproducible PDF with WeasyPrint, loading only allowed resources."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from ..handout import Handout
from ..styles import Style
from .html import BUILTIN_TEMPLATES, PackInfo, page_css, render_html, render_pack_html

BASE_CSS = BUILTIN_TEMPLATES / "base.css"


class SafeFetcher(URLFetcher):
    """Serve ``data:`` URIs and files inside the allowed folders; refuse everything else."""

    def __init__(self, roots: list[Path], loaded: list[Path] | None = None):
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [root.resolve() for root in roots]
        self.loaded = loaded if loaded is not None else []  # files used, for the build's cache keys

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            if any(path == root or root in path.parents for root in self.roots) and path.is_file():
                self.loaded.append(path)
                return super().fetch(url, headers)
        raise ValueError(f"lessonpack does not load {url}: only files inside the pack and its styles")


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One font configuration per process: building it scans every installed font."""
    return FontConfiguration()


@lru_cache(maxsize=16)
def _style_sheet(css_path: str, mtime_ns: int, roots: tuple[str, ...]) -> CSS:
    # Parsed once per process and style; the fetcher guards @import and url() inside it.
    fetcher = SafeFetcher([Path(r) for r in roots])
    return CSS(filename=css_path, url_fetcher=fetcher, font_config=font_config())


def _quiet_weasyprint() -> None:
    # Missing-font and unsupported-property chatter is not actionable for a teacher.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _write(html: str, css: str, style: Style, pack_root: Path, loaded: list[Path] | None) -> bytes:
    _quiet_weasyprint()
    roots = (str(pack_root.resolve()), str(style.folder.resolve()), str(BUILTIN_TEMPLATES))
    fetcher = SafeFetcher([Path(r) for r in roots], loaded)
    document = HTML(string=html, base_url=pack_root.resolve().as_uri() + "/", url_fetcher=fetcher)
    sheets = [
        CSS(string=css, url_fetcher=fetcher, font_config=font_config()),
        _style_sheet(str(BASE_CSS), BASE_CSS.stat().st_mtime_ns, roots),
        _style_sheet(str(style.css_path), style.css_path.stat().st_mtime_ns, roots),
    ]
    rendered = document.render(stylesheets=sheets, font_config=font_config(), pdf_variant="pdf/ua-1")
    # Handouts never carry attached files, even if a pack template asks for them.
    rendered.metadata.attachments = []
    for page in rendered.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return rendered.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(handout: Handout, style: Style, paper: str, *, pack_root: Path,
               header_text: str | None = None, loaded: list[Path] | None = None) -> bytes:
    """The handout as PDF/UA-1 bytes: tagged, with metadata, bookmarks and subset fonts."""
    html = render_html(handout, style, paper, pack_root=pack_root, header_text=header_text)
    css = page_css(style, paper, handout.labels, teacher=handout.is_teacher, header_text=header_text)
    return _write(html, css, style, pack_root, loaded)


def render_pack_pdf(handouts: list[Handout], pack: PackInfo, style: Style, paper: str, *, teacher: bool,
                    duplex: bool, pack_root: Path, loaded: list[Path] | None = None) -> bytes:
    """A whole unit as one PDF: cover, contents with page numbers, every lesson, continuous numbering."""
    html = render_pack_html(handouts, pack, style, paper, teacher=teacher, duplex=duplex, pack_root=pack_root)
    css = page_css(style, paper, handouts[0].labels, teacher=teacher, header_text=None, pack_title=pack.title)
    return _write(html, css, style, pack_root, loaded)
