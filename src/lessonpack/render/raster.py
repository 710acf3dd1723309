"""Pictures of a PDF's pages, for the preview: each page as a PNG and its text, drawn by PDFium (pypdfium2).

The preview shows the pages the PDF prints by showing the PDF itself, laid out by WeasyPrint as a build lays it
out: its page breaks, running header and footer and page numbers are the PDF's own, because they are its pages.
The pictures are drawn in the render process that made the PDF (a pack's pictures are in it, so it is read with
the same memory and time limits); only PNG bytes and plain text leave it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from .. import limits

SCALE = 2.0
"""Pixels a page's picture has per point: 144 to the inch, sharp on an ordinary screen and readable on a sharper
one (the preview shows a page at 96 CSS pixels to the inch)."""


@dataclass(frozen=True)
class PageImage:
    """One page: its picture (PNG), its size in points and its text in reading order (what a screen reader and
    the browser's find read)."""

    png: bytes = field(repr=False)
    width: float
    height: float
    text: str


def page_images(pdf: bytes, scale: float = SCALE) -> tuple[tuple[PageImage, ...], int]:
    """The first :data:`~lessonpack.limits.PREVIEW_PAGES` pages of a PDF as pictures, and how many pages it has."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document)
        out = []
        for index in range(min(count, limits.PREVIEW_PAGES)):
            page = document[index]
            try:
                width, height = page.get_size()
                image = page.render(scale=scale).to_pil()
                data = io.BytesIO()
                image.save(data, "PNG", compress_level=1)  # fast: the preview draws every page on every save
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            out.append(PageImage(data.getvalue(), width, height, text))
        return tuple(out), count
    finally:
        document.close()
