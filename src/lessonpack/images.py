"""Pictures a lesson shows: read through the pack-file guard, known by their content, measured and checked.

A source's ``image:`` and a reading's ``![alt](file "caption")`` name a file relative to the lesson
file. :func:`lesson_images` reads each one once, when the pack is loaded, and refuses (with the
position of the name in the lesson) a file that is missing, lies outside the pack after links, is
not a PNG, JPEG, GIF, WebP or SVG by its first bytes, has more pixels than the cap, or is an SVG that
could run, reach out or explode. What it returns — the bytes, the format and the intrinsic size — is
all the handout model and the renderers use, so a picture that passes ``check`` renders.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Sequence

from lxml import etree
from PIL import Image

from . import limits
from . import model as m
from .errors import Diagnostic
from .packfiles import PackFileError, read_pack_file
from .richtext import images_in
from .yamlsource import Path_, SourceMap, describe

Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)  # refused by the pixel cap instead

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
               "svg": "image/svg+xml"}
"""The picture formats a lesson may use, by the name :func:`sniff` gives them."""

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_SVG_ELEMENTS = 50_000

_UNITS_PX = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|mm|cm|in)?\s*$")


class ImageProblem(ValueError):
    """A picture lessonpack will not use: ``message`` says why, ``hint`` what to do."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class PackImage:
    """A checked picture: its bytes, its format and its intrinsic size in CSS pixels (1/96 inch).

    ``sized`` is False for an SVG that gives only a ``viewBox``: it has a shape but no size of its own,
    so it is drawn as wide as there is room for.
    """

    path: Path  # resolved, inside the pack
    format: str  # a key of MEDIA_TYPES
    width: float
    height: float
    sized: bool
    sha256: str
    data: bytes = field(repr=False, compare=False)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def uri(self) -> str:
        return self.path.as_uri()


def sniff(data: bytes) -> str | None:
    """The format of an image by its first bytes (never its name), or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>]", data[:65536]):
        return "svg"
    return None


def check_svg(data: bytes) -> etree._ElementTree:
    """The parsed SVG, or :class:`ImageProblem` if it has a DTD or entities, scripts, event handlers,
    references outside itself, ``<use>`` chains that could multiply, or too many elements."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImageProblem("an SVG with a DTD or entities", "save the SVG without a DOCTYPE (most editors can "
                                                            "export “plain SVG”)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.parse(BytesIO(data), parser)
    except etree.XMLSyntaxError as exc:
        raise ImageProblem(f"an SVG that is not well-formed XML ({exc.msg})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ImageProblem("an SVG with a DTD or entities")
    elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)]
    if len(elements) > MAX_SVG_ELEMENTS:
        raise ImageProblem(f"an SVG of more than {MAX_SVG_ELEMENTS:,} elements")
    outside = _OUTSIDE_URL.search(data)
    if outside:
        target = outside.group(1).decode("utf-8", "replace")[:60]
        raise ImageProblem(f"an SVG whose styles refer to {target}; only references inside the SVG are allowed",
                           "embed what it refers to in the SVG")
    by_id = {e.get("id"): e for e in elements if e.get("id")}
    for element in elements:
        local = etree.QName(element).localname
        if local in ("script", "foreignObject"):
            raise ImageProblem(f"an SVG with a <{local}> element", "a handout's pictures only draw; remove it")
        if any(name.lower().startswith("on") for name in element.attrib):
            raise ImageProblem("an SVG with event handlers (on… attributes)", "a handout's pictures only draw; "
                                                                              "remove them")
        for name in ("href", XLINK_HREF):
            target = element.get(name)
            if target is None:
                continue
            target = target.strip()
            if not (target.startswith("#") or target.startswith("data:")):
                raise ImageProblem(f"an SVG that refers to {target[:60]}; only references inside the SVG are allowed",
                                   "embed what it refers to in the SVG, or draw it as a separate picture")
            if target.startswith("data:"):
                _check_embedded(target)
            if local == "use" and target.startswith("#"):
                used = by_id.get(target[1:])
                if used is not None and any(etree.QName(e).localname == "use"
                                            for e in used.iter() if isinstance(e.tag, str)):
                    raise ImageProblem("an SVG whose <use> elements copy other <use> elements (it could "
                                       "multiply without end)")
    return tree


_OUTSIDE_URL = re.compile(rb"""(?:url\(\s*['"]?|@import\s+['"])\s*(?!#|data:|['")])([^'")\s]*)""", re.IGNORECASE)
"""A ``url(…)`` or ``@import`` in an SVG's styles that leads outside it (not ``#id``, not ``data:``)."""


def _check_embedded(uri: str) -> None:
    """A picture embedded in an SVG as a data: URI is held to the same caps as any other."""
    import base64
    from urllib.parse import unquote_to_bytes

    head, _, body = uri.partition(",")
    if len(body) > limits.MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ImageProblem(f"an SVG that embeds a picture larger than {limits.MAX_IMAGE_BYTES:,} bytes")
    try:
        data = base64.b64decode(body, validate=False) if head.endswith(";base64") else unquote_to_bytes(body)
    except ValueError:
        raise ImageProblem("an SVG that embeds a picture that cannot be read") from None
    kind = sniff(data)
    if kind == "svg":
        check_svg(data)
    elif kind is not None:
        raster_size(data)


def raster_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a raster image, from its header, within the pixel cap."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # measured first (the header only), so that a refusal names the real size
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if 0 < width * height <= limits.MAX_IMAGE_PIXELS:
                image.verify()  # a cut-off or corrupt file fails here, not as a gap in the PDF
    except Exception:  # Pillow's reasons (truncated, bad CRC, unknown mode) mean the same to a teacher
        raise ImageProblem("the image cannot be read: the file is damaged or cut short",
                           "open it in an image editor and save it again") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    if width * height > limits.MAX_IMAGE_PIXELS:
        raise ImageProblem(f"an image of {width:,} × {height:,} pixels; the limit is {limits.MAX_IMAGE_PIXELS:,} "
                           "pixels", "scale it down (2,000 pixels across prints sharply on a full page)")
    if not width or not height:
        raise ImageProblem("an image with no pixels")
    return width, height


def svg_size(tree: etree._ElementTree) -> tuple[float, float, bool]:
    """An SVG's size in CSS pixels from ``width``/``height`` (sized) or its ``viewBox`` (shape only)."""
    root = tree.getroot()
    if etree.QName(root).localname != "svg":
        raise ImageProblem("an XML file whose root is not <svg>")
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if _is_number(v)]
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height, True
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width:
            return width, width * box[3] / box[2], True
        if height:
            return height * box[2] / box[3], height, True
        return box[2], box[3], False
    raise ImageProblem("an SVG without a size: it has neither width and height nor a viewBox",
                       'add viewBox="0 0 W H" (its drawing\'s width and height) to the <svg> element')


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _length(text: str | None) -> float | None:
    found = _LENGTH.match(text or "")
    if not found:
        return None  # absent, a percentage or "auto": no absolute size
    value = float(found.group(1)) * _UNITS_PX[found.group(2) or ""]
    return value if value > 0 else None


def load_image(src: str, base: Path, roots: Sequence[Path]) -> PackImage:
    """The picture ``src`` names (relative to ``base``, a lesson file's folder), checked; or :class:`ImageProblem`."""
    written = src.strip()
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", written)
    if scheme and not re.match(r"^[A-Za-z]:[\\/]", written):
        web = scheme.group(1).lower() in ("http", "https", "ftp", "ftps", "ws", "wss")
        raise ImageProblem(f'"{written[:80]}" is an address; lessonpack never fetches anything from the network'
                           if web else f'"{written[:80]}" is a {scheme.group(1).lower()}: address, not a picture file '
                                       "in the pack; lessonpack shows only pictures saved in the pack",
                           "download the picture into the pack (e.g. lessons/images/) and name the file" if web else
                           "save the picture as a file in the pack (e.g. lessons/images/map.png) and name the file")
    relative = PurePosixPath(written.replace("\\", "/"))
    if relative.is_absolute() or re.match(r"^[A-Za-z]:", written):
        raise ImageProblem(f'"{written}" is an absolute path', "name the picture relative to the lesson file, "
                                                               "e.g. images/map.png")
    path = base / Path(*relative.parts) if relative.parts else base
    try:
        data = read_pack_file(path, roots, limit=limits.MAX_IMAGE_BYTES, what="picture")
    except PackFileError as exc:
        hint = exc.diagnostic.hint or ("pictures are named from the lesson file's folder: lessons/images/map.png is "
                                       '"images/map.png"' if exc.diagnostic.message == "no such file" else None)
        raise ImageProblem(f'"{written}": {exc.diagnostic.message}', hint) from None
    kind = sniff(data)
    if kind is None:
        raise ImageProblem(f'"{written}" is not a PNG, JPEG, GIF, WebP or SVG image (judged by its content, not '
                           "its name)", "export the picture as PNG or JPEG, or a chart or map as SVG")
    try:
        if kind == "svg":
            width, height, sized = svg_size(check_svg(data))
        else:
            w, h = raster_size(data)
            width, height, sized = float(w), float(h), True
    except ImageProblem as exc:
        raise ImageProblem(f'"{written}": {exc.message}', exc.hint) from None
    return PackImage(path.resolve(), kind, width, height, sized, hashlib.sha256(data).hexdigest(), data)


def pictures_named(lesson: m.Lesson) -> list[tuple[Path_, str]]:
    """Where the lesson names a picture file: a source's ``image:`` or an image in the reading's text."""
    out: list[tuple[Path_, str]] = [(("sources", i, "image"), src.image) for i, src in enumerate(lesson.sources)
                                    if src.image]
    if lesson.reading:
        out += [(("reading", "text"), ref.src) for ref in images_in(lesson.reading.text)]
    return out


def lesson_images(lesson: m.Lesson, source: SourceMap, lesson_path: Path,
                  roots: Sequence[Path]) -> tuple[dict[str, PackImage], list[Diagnostic]]:
    """Every picture a lesson names, read and checked once; a positioned error for each that is refused."""
    images: dict[str, PackImage] = {}
    problems: list[Diagnostic] = []
    for path, src in pictures_named(lesson):
        if src in images:
            continue
        try:
            images[src] = load_image(src, lesson_path.parent, roots)
        except ImageProblem as exc:
            line, col = source.text_pos(path, f"]({src}") if path[-1] == "text" else source.value_pos(path)
            col += 2 if path[-1] == "text" else 0  # at the file name, after "]("
            problems.append(Diagnostic(source.file, line, col, "error", f"{describe(path)}: {exc.message}", exc.hint))
    return images, problems
