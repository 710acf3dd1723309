"""Pictures in the Word document: inline, at the model's size, with their alt text as the description.

Word takes PNG, JPEG and GIF as they are. A WebP picture is converted to PNG (Word cannot show WebP).
An SVG is embedded as SVG, with a PNG drawn from it (by cairosvg) as the fallback that Word 2016 and
older, LibreOffice and Google Docs show; the SVG was checked (and drawn once) when the pack was loaded,
and cairosvg is given no way to fetch anything. A picture with numbered markers over it (a diagram to label)
is one PNG with the markers drawn into it (:func:`with_overlay`), which Word and LibreOffice both show as it is.
A picture that cannot be drawn all the same is a :class:`~lessonpack.render.pictures.PictureFailure` naming it,
never a library's exception.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from io import BytesIO

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from PIL import Image

from ...handout import Picture
from ..pictures import FALLBACK_DPI, MAX_FALLBACK_PIXELS, PictureFailure, drawing_reason, svg_to_png

SVG_BLIP_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
"""The extension under which Word finds the SVG behind a picture's PNG fallback."""

def add_picture(p: Paragraph, picture: Picture, svg_parts: dict[str, str]) -> None:
    """``picture`` as an inline drawing at the end of ``p``, described by its alt text.

    ``svg_parts`` maps an SVG's digest to its relationship id, so a picture used twice is stored once. A
    picture that cannot be drawn raises :class:`~lessonpack.render.pictures.PictureFailure`.
    """
    data = picture.data
    try:
        if picture.format == "svg":
            data = svg_to_png(picture.data, picture.width, picture.height)
        elif picture.format == "webp":
            data = _to_png(data)
        shape = p.add_run().add_picture(BytesIO(data), width=Pt(picture.width), height=Pt(picture.height))
    except MemoryError:
        raise  # the render's memory limit, reported as such
    except Exception as exc:  # cairosvg, Pillow or python-docx could not draw it: say which picture, plainly
        raise PictureFailure(picture.uri, drawing_reason(exc)) from None
    inline = shape._inline
    inline.docPr.set("descr", picture.alt)
    inline.docPr.set("name", f"Picture {inline.docPr.get('id')}")
    if picture.format == "svg":
        rid = _svg_part(p, picture.data, svg_parts)
        blip = inline.graphic.graphicData.pic.blipFill.blip
        blip.append(parse_xml(
            '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<a:ext uri="{SVG_BLIP_EXT}"><asvg:svgBlip '
            'xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            f'r:embed="{rid}"/></a:ext></a:extLst>'))


def _to_png(data: bytes) -> bytes:
    with Image.open(BytesIO(data)) as image:
        out = BytesIO()
        image.save(out, "PNG")
        return out.getvalue()


def _svg_part(p: Paragraph, data: bytes, known: dict[str, str]) -> str:
    digest = hashlib.sha256(data).hexdigest()
    if digest not in known:
        document_part = p.part
        package = document_part.package
        partname = package.next_partname("/word/media/image%d.svg")
        part = Part(PackURI(partname), "image/svg+xml", data, package)
        known[digest] = document_part.relate_to(part, RT.IMAGE)
    return known[digest]


def with_overlay(picture: Picture, overlay: Picture, left: float = 0.0, top: float = 0.0) -> Picture:
    """``picture`` with ``overlay`` drawn over it at its own size, its top left corner ``left`` and ``top`` points
    from the picture's (a diagram's numbered markers, an SVG of the same size, clear where it draws nothing; a
    model drawing inside the space to draw in), as one PNG at :data:`~lessonpack.render.pictures.FALLBACK_DPI`,
    described by both alt texts. Raises :class:`~lessonpack.render.pictures.PictureFailure` when either cannot be
    drawn."""
    scale = FALLBACK_DPI / 72
    scale *= min(1.0, MAX_FALLBACK_PIXELS / max(picture.width * scale, picture.height * scale, 1.0))
    base = _pixels(picture, scale, clear=False)
    base.alpha_composite(_pixels(overlay, scale, clear=True), (round(left * scale), round(top * scale)))
    out = BytesIO()
    base.convert("RGB").save(out, "PNG", optimize=True)
    return replace(picture, format="png", data=out.getvalue(), alt=f"{picture.alt} {overlay.alt}".strip())


def _pixels(picture: Picture, scale: float, *, clear: bool) -> Image.Image:
    """A picture drawn at ``scale`` pixels a point, as RGBA: an SVG by cairosvg (on white, or ``clear``), a raster
    picture by Pillow; :class:`~lessonpack.render.pictures.PictureFailure` naming it when it cannot be drawn."""
    import cairosvg  # only when a handout has a diagram or a model drawing: it loads cairo

    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    try:
        if picture.format == "svg":
            data = cairosvg.svg2png(bytestring=picture.data, output_width=size[0], output_height=size[1],
                                    unsafe=False, background_color=None if clear else "white")
        else:
            data = picture.data
        with Image.open(BytesIO(data)) as opened:
            opened.load()
            image = Image.new("RGBA", opened.size, (255, 255, 255, 0) if clear else (255, 255, 255, 255))
            image.alpha_composite(opened.convert("RGBA"))
        return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)
    except MemoryError:
        raise
    except Exception as exc:  # Pillow or cairosvg could not draw it: say which picture, plainly
        raise PictureFailure(picture.uri, drawing_reason(exc)) from None
