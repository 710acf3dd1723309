"""Pictures a lesson shows: read through the pack-file guard, known by their content, measured and checked.

A source's ``image:``, a reading's ``![alt](file "caption")`` and a worksheet item's own picture (a diagram to
label, a model drawing) name a file relative to the lesson file. :func:`lesson_images` reads each one once, when the pack is loaded, and refuses (with the
position of the name in the lesson) a file that is missing, lies outside the pack after links, is
not a PNG, JPEG, GIF, WebP or SVG by its first bytes, has more pixels than the cap, or is an SVG that
could run, reach out, explode, draw itself without end (a marker, pattern, mask, clip path, filter,
``<use>``, ``<tref>`` or gradient that leads back to itself), draw too much once every copy is counted,
or has a size or shape that prints as nothing. :func:`drawing_problems` then draws each SVG as the Word
document's PNG fallback, in a limited process, and refuses one that cairosvg cannot draw (remembered by
its hash, so each is drawn once). What it returns — the bytes, the format and the intrinsic size — is
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

from .. import limits
from . import model as m
from ..errors import Diagnostic
from .packfiles import PackFileError, read_pack_file
from ..text.richtext import images_in
from .yamlsource import Path_, SourceMap, describe

Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)  # refused by the pixel cap instead

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
               "svg": "image/svg+xml"}
"""The picture formats a lesson may use, by the name :func:`sniff` gives them."""

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_SVG_NESTING = 4
"""How deep SVGs may embed SVGs as ``data:`` pictures (each level is parsed and counted)."""

_UNITS_PX = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*$")


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
    elements: int = field(default=1, compare=False)  # an SVG: the elements it draws, every copy counted

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
    references outside itself, ``<use>`` chains that could multiply, references that lead back to
    themselves, or draws too many elements (see :func:`inspect_svg`)."""
    return inspect_svg(data).tree


@dataclass(frozen=True)
class SvgFacts:
    """A checked SVG: its parsed tree and how many elements drawing it draws, every copy counted."""

    tree: etree._ElementTree
    elements: int


def inspect_svg(data: bytes, depth: int = 0, seen: dict[str, int] | None = None) -> SvgFacts:
    """Parse and check an SVG (and every SVG it embeds as a ``data:`` picture, ``depth`` levels down so far).

    Refused, as :class:`ImageProblem`: a DTD or entities, scripts, event handlers, references outside
    itself, ``<use>`` elements that copy ``<use>`` elements, any chain of references (``href``,
    ``url(#id)`` in attributes, ``style`` or ``<style>``) that leads back to where it started, and more
    than :data:`~lessonpack.limits.MAX_SVG_ELEMENTS` elements drawn once every copy is counted.
    """
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
    if len(elements) > limits.MAX_SVG_ELEMENTS:
        raise ImageProblem(f"an SVG of more than {limits.MAX_SVG_ELEMENTS:,} elements")
    outside = _OUTSIDE_URL.search(data)
    if outside:
        target = outside.group(1).decode("utf-8", "replace")[:60]
        raise ImageProblem(f"an SVG whose styles refer to {target}; only references inside the SVG are allowed",
                           "embed what it refers to in the SVG")
    seen = {} if seen is None else seen  # embedded pictures already counted, by their data: URI's hash
    by_id = {e.get("id"): e for e in elements if e.get("id")}
    embedded: dict[etree._Element, int] = {}
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
                embedded[element] = _check_embedded(target, depth, seen)
            if local == "use" and target.startswith("#"):
                used = by_id.get(target[1:])
                if used is not None and any(etree.QName(e).localname == "use"
                                            for e in used.iter() if isinstance(e.tag, str)):
                    raise ImageProblem("an SVG whose <use> elements copy other <use> elements (it could "
                                       "multiply without end)")
    graph = _reference_graph(tree, elements, by_id)
    _refuse_cycles(graph)
    drawn = _drawn(graph, embedded, tree.getroot())
    if drawn > limits.MAX_SVG_ELEMENTS:
        raise ImageProblem(f"an SVG that draws more than {limits.MAX_SVG_ELEMENTS:,} elements once every copy is "
                           "counted (<use>, markers, patterns, embedded pictures)",
                           "simplify the drawing, or export it as a PNG picture")
    return SvgFacts(tree, drawn)


_OUTSIDE_URL = re.compile(rb"""(?:url\(\s*['"]?|@import\s+['"])\s*(?!#|data:|['")])([^'")\s]*)""", re.IGNORECASE)
"""A ``url(…)`` or ``@import`` in an SVG's styles that leads outside it (not ``#id``, not ``data:``)."""

_URL_REF = re.compile(r"""url\(\s*['"]?\s*#([^'")\s]+)""", re.IGNORECASE)
"""A ``url(#id)`` reference to an element of the same SVG."""

_INHERITED = ("fill", "stroke", "marker-start", "marker-mid", "marker-end")
"""Properties that take ``url(#id)`` and pass it on to the children of the element that sets them."""

_MARKERS = ("marker-start", "marker-mid", "marker-end")
_PAINTED = frozenset({"rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan", "textPath",
                      "tref"})
"""Elements that paint a fill or stroke (a pattern in either is drawn once for each)."""

_MARKED = frozenset({"path", "line", "polyline", "polygon"})
"""Elements a marker is drawn on, once for each of their points."""

_GRADIENTS = frozenset({"linearGradient", "radialGradient", "meshgradient"})
_UNDRAWN_CHILDREN = _GRADIENTS | {"style", "title", "desc", "metadata"}
"""Elements whose children are never drawn (a gradient's stops only colour it)."""

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_STYLE_DECLARATION = re.compile(r"([-\w]+)\s*:\s*([^;]*)")
"""One ``name: value`` of a ``style`` attribute."""


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace."""
    return name.rpartition("}")[2]


@dataclass
class _Graph:
    """What drawing each element draws: its children, the elements it refers to, and (for a marked shape)
    the markers it carries with how many points each is drawn on."""

    elements: list
    children: dict
    refs: dict  # element -> [(target element, times)]
    painted: dict  # element -> [(target element, times)]: paint and markers, counted for painting elements only


def _declarations(text: str) -> list[tuple[str, str]]:
    """The ``name: value`` pairs of a ``style`` attribute or a rule's block (lowercase names)."""
    import tinycss2

    out = []
    for declaration in tinycss2.parse_declaration_list(text, skip_comments=True, skip_whitespace=True):
        if declaration.type == "declaration":
            out.append((declaration.lower_name, tinycss2.serialize(declaration.value)))
    return out


def _sheet_declarations(tree: etree._ElementTree) -> dict:
    """For each element, the declarations that reach it from the SVG's ``<style>`` sheets, matched by their
    selectors as cairosvg matches them (only declarations with a ``url(#id)`` matter here)."""
    sheets = [e for e in tree.getroot().iter() if isinstance(e.tag, str) and etree.QName(e).localname == "style"]
    if not sheets:
        return {}
    import cssselect2
    import tinycss2

    matcher = cssselect2.Matcher()
    found = False
    for sheet in sheets:
        text = "".join(sheet.itertext())
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type == "at-rule" and rule.lower_at_keyword == "import":
                raise ImageProblem("an SVG whose styles import another stylesheet",
                                   "write the styles into the SVG's own <style> element")
            if rule.type != "qualified-rule":
                continue
            wanted = [(name, value) for name, value in _declarations(rule.content) if _URL_REF.search(value)]
            if not wanted:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue  # a selector no renderer understands applies to nothing
            for selector in selectors:
                matcher.add_selector(selector, wanted)
                found = True
    if not found:
        return {}
    out: dict = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(tree.getroot()).iter_subtree():
        matches = matcher.match(wrapper)
        if matches:
            out[wrapper.etree_element] = [pair for match in matches for pair in match[3]]
    return out


def _points(element: etree._Element, local: str) -> int:
    """How many points of a shape a marker may be drawn on (an upper bound)."""
    if local == "line":
        return 2
    text = element.get("d" if local == "path" else "points") or ""
    return max(1, len(_NUMBER.findall(text)) // 2 + 1)


def _reference_graph(tree: etree._ElementTree, elements: list, by_id: dict) -> _Graph:
    """Every element's children and the elements it refers to: ``href="#id"``, and ``url(#id)`` in its
    attributes, its ``style`` and the ``<style>`` rules that match it; fill, stroke and markers are passed
    on to the children of the element that sets them (every source of a property is counted: an upper bound)."""
    sheet = _sheet_declarations(tree)
    children: dict = {}
    refs: dict = {}
    painted: dict = {}
    inherited: dict = {tree.getroot().getparent(): {}}  # element -> {property: targets}, what its children inherit
    for element in elements:
        local = _local(element.tag)
        parent = element.getparent()
        children[element] = [] if local in _UNDRAWN_CHILDREN else [c for c in element if isinstance(c.tag, str)]
        declared: dict[str, set] = {}
        sources = [(_local(name).lower(), value) for name, value in element.attrib.items()
                   if name not in ("href", XLINK_HREF, "style", "id")]
        sources += sheet.get(element, [])
        style = element.get("style")
        if style:
            sources += [(m.group(1).lower(), m.group(2)) for m in _STYLE_DECLARATION.finditer(style)]
        own: list = []
        for name, value in sources:
            if name not in _INHERITED and name != "marker" and "url(" not in value.lower():
                continue  # most attributes: neither a reference nor a property passed on
            targets = {by_id[t] for t in _URL_REF.findall(value) if t in by_id}
            for prop in _MARKERS if name == "marker" else (name,):
                if prop in _INHERITED:
                    declared.setdefault(prop, set()).update(targets)
                elif targets:
                    own += [(t, 1) for t in targets]
        for name in ("href", XLINK_HREF):
            target = (element.get(name) or "").strip()
            if target.startswith("#") and target[1:] in by_id:
                own.append((by_id[target[1:]], 1))
        effective = {**inherited[parent], **declared} if declared else inherited[parent]
        inherited[element] = effective
        shape = []
        if effective and local in _PAINTED:
            for prop in ("fill", "stroke"):
                shape += [(t, 1) for t in effective.get(prop, ())]
        if effective and local in _MARKED:
            points = _points(element, local)
            for prop in _MARKERS:
                shape += [(t, points) for t in effective.get(prop, ())]
        refs[element] = own
        painted[element] = shape
    return _Graph(elements, children, refs, painted)


def _edges(graph: _Graph, element) -> list:
    return [(c, 1) for c in graph.children[element]] + graph.refs[element] + graph.painted[element]


def _refuse_cycles(graph: _Graph) -> None:
    """Refuse an SVG in which drawing an element leads, through its children and references, back to itself."""
    state: dict = {}  # element -> 1 on the path being followed, 2 done
    for start in graph.elements:
        if start in state:
            continue
        path = [start]
        stack = [iter(_edges(graph, start))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            target = step[0]
            if state.get(target) == 1:
                raise _cycle_problem(graph, path[path.index(target):] + [target])
            if target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(_edges(graph, target)))


def _cycle_problem(graph: _Graph, cycle: list) -> ImageProblem:
    """Name the elements a cycle passes through by reference (those with an id), from the first such one."""
    named = [after for before, after in zip(cycle, cycle[1:])
             if after not in graph.children[before] and after.get("id")]
    first = named[-1] if named else cycle[0]
    chain = " → ".join(e.get("id") for e in [first] + named) if named else ""
    what = f'<{etree.QName(first).localname} id="{first.get("id")}">' if first.get("id") else \
        f"<{etree.QName(first).localname}>"
    return ImageProblem(f"an SVG whose {what} refers back to itself{f' ({chain})' if chain else ''}, so it "
                        "would be drawn without end",
                        "remove the reference that leads back (an editor's “plain SVG” export may also fix it)")


def _drawn(graph: _Graph, embedded: dict, root) -> int:
    """How many elements drawing ``root`` draws: each element once for every time it is reached (the graph
    has no cycles by now); counts stop growing past the cap."""
    cap = limits.MAX_SVG_ELEMENTS + 1
    total: dict = {}
    for start in graph.elements:
        if start in total:
            continue
        stack = [(start, False)]
        while stack:
            element, ready = stack.pop()
            if element in total:
                continue
            edges = _edges(graph, element)
            if ready:  # a gradient only colours what refers to it: it draws nothing there
                count = 1 + embedded.get(element, 0) + sum(total[c] for c in graph.children[element]) + sum(
                    total[t] * times for t, times in graph.refs[element] + graph.painted[element]
                    if _local(t.tag) not in _GRADIENTS)
                total[element] = min(cap, count)
                continue
            stack.append((element, True))
            stack += [(t, False) for t, _ in edges if t not in total]
    return total[root]


def _check_embedded(uri: str, depth: int = 0, seen: dict[str, int] | None = None) -> int:
    """A picture embedded in an SVG as a data: URI, held to the same caps as any other; how many elements it
    draws (an SVG's, counted as :func:`inspect_svg` counts them; a raster picture is one)."""
    import base64
    from urllib.parse import unquote_to_bytes

    seen = {} if seen is None else seen
    key = hashlib.sha256(uri.encode("utf-8", "surrogatepass")).hexdigest()
    if key in seen:
        return seen[key]
    head, _, body = uri.partition(",")
    if len(body) > limits.MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ImageProblem(f"an SVG that embeds a picture larger than {limits.MAX_IMAGE_BYTES:,} bytes")
    try:
        data = base64.b64decode(body, validate=False) if head.endswith(";base64") else unquote_to_bytes(body)
    except ValueError:
        raise ImageProblem("an SVG that embeds a picture that cannot be read") from None
    kind = sniff(data)
    if kind == "svg":
        if depth >= MAX_SVG_NESTING:
            raise ImageProblem(f"an SVG that embeds SVG pictures more than {MAX_SVG_NESTING} deep")
        count = inspect_svg(data, depth + 1, seen).elements
    elif kind is not None:
        raster_size(data)
        count = 1
    else:  # the renderers would guess at it (cairosvg unpacks a compressed SVG, for one): nothing unchecked is drawn
        raise ImageProblem("an SVG that embeds something that is not a PNG, JPEG, GIF, WebP or SVG picture",
                           "embed the picture as PNG or JPEG, or as plain SVG")
    seen[key] = count
    return count


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
    """An SVG's size in CSS pixels from ``width``/``height`` (sized) or its ``viewBox`` (shape only); refused
    when a side is below :data:`~lessonpack.limits.MIN_SVG_SIZE` or above
    :data:`~lessonpack.limits.MAX_SVG_SIZE`, or its shape is more than
    :data:`~lessonpack.limits.MAX_SVG_ASPECT` times as wide as tall (or as tall as wide): such a picture
    prints as nothing, or not at all."""
    root = tree.getroot()
    if etree.QName(root).localname != "svg":
        raise ImageProblem("an XML file whose root is not <svg>")
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if _is_number(v)]
    width, height = _length(root.get("width")), _length(root.get("height"))
    shaped = len(box) == 4 and box[2] > 0 and box[3] > 0
    if width and height:
        size = width, height, True
    elif shaped and width:
        size = width, width * box[3] / box[2], True
    elif shaped and height:
        size = height * box[2] / box[3], height, True
    elif shaped:
        size = box[2], box[3], False
    else:
        raise ImageProblem("an SVG without a size: it has neither width and height nor a viewBox",
                           'add viewBox="0 0 W H" (its drawing\'s width and height) to the <svg> element')
    _check_extent(*size)
    return size


_SIZE_HINT = ("give the <svg> element its drawing's width and height in pixels, or only a viewBox of them (it is "
              "then drawn as wide as the page)")


def _check_extent(width: float, height: float, sized: bool) -> None:
    """Refuse a size or shape that would print as nothing (see :func:`svg_size`)."""
    ratio = max(width / height, height / width)
    if ratio > limits.MAX_SVG_ASPECT:
        shape = "wide as it is tall" if width > height else "tall as it is wide"
        raise ImageProblem(f"an SVG {_amount(ratio)} times as {shape}; the limit is "
                           f"{_amount(limits.MAX_SVG_ASPECT)} times",
                           "crop the drawing, or give its viewBox the drawing's real width and height")
    if sized and min(width, height) < limits.MIN_SVG_SIZE:
        raise ImageProblem(f"an SVG of {_amount(width)} × {_amount(height)} pixels; each side must be at least "
                           f"{_amount(limits.MIN_SVG_SIZE)} pixel", _SIZE_HINT)
    if max(width, height) > limits.MAX_SVG_SIZE:
        what = "pixels" if sized else "units (its viewBox)"
        raise ImageProblem(f"an SVG of {_amount(width)} × {_amount(height)} {what}; each side may be at most "
                           f"{_amount(limits.MAX_SVG_SIZE)}", _SIZE_HINT)


def _amount(value: float) -> str:
    """A size or ratio as a teacher reads it: 0.001, 1,234.5, 1e+30."""
    if 0.001 <= value < 1e9:
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


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
            facts = inspect_svg(data)
            width, height, sized = svg_size(facts.tree)
            elements = facts.elements
        else:
            w, h = raster_size(data)
            width, height, sized, elements = float(w), float(h), True, 1
    except ImageProblem as exc:
        raise ImageProblem(f'"{written}": {exc.message}', exc.hint) from None
    return PackImage(path.resolve(), kind, width, height, sized, hashlib.sha256(data).hexdigest(), data, elements)


def pictures_named(lesson: m.Lesson) -> list[tuple[Path_, str]]:
    """Where the lesson names a picture file: a source's ``image:``, an image in the reading's text, or a
    worksheet item's own picture (a diagram to label: each item type says which, ``ItemType.pictures``)."""
    from ..plugins import item_types

    out: list[tuple[Path_, str]] = [(("sources", i, "image"), src.image) for i, src in enumerate(lesson.sources)
                                    if src.image]
    if lesson.reading:
        out += [(("reading", "text"), ref.src) for ref in images_in(lesson.reading.text)]
    types = item_types()
    for i, item in enumerate(lesson.worksheet.items if lesson.worksheet else []):
        out += [(("worksheet", "items", i, *sub), src) for sub, src in types[item.type].pictures(item)]
    return out


def lesson_images(lesson: m.Lesson, source: SourceMap, lesson_path: Path,
                  roots: Sequence[Path]) -> tuple[dict[str, PackImage], list[Diagnostic]]:
    """Every picture a lesson names, read and checked once; a positioned error for each that is refused, and
    one where the lesson's SVG pictures together draw more than
    :data:`~lessonpack.limits.MAX_LESSON_SVG_ELEMENTS` elements."""
    images: dict[str, PackImage] = {}
    problems: list[Diagnostic] = []
    drawn = 0
    for path, src in pictures_named(lesson):
        if src not in images:
            try:
                images[src] = load_image(src, lesson_path.parent, roots)
            except ImageProblem as exc:
                problems.append(picture_diagnostic(source, path, src, exc))
                images[src] = None  # type: ignore[assignment]  # reported once
                continue
        image = images[src]
        if image is None or image.format != "svg" or drawn > limits.MAX_LESSON_SVG_ELEMENTS:
            continue
        drawn += image.elements
        if drawn > limits.MAX_LESSON_SVG_ELEMENTS:
            problems.append(picture_diagnostic(source, path, src, ImageProblem(
                f'"{src}": with this picture the lesson\'s SVG pictures draw {drawn:,} elements; the limit is '
                f"{limits.MAX_LESSON_SVG_ELEMENTS:,} in one lesson", "use fewer or simpler SVG pictures, or export "
                                                                    "some as PNG")))
    return {src: image for src, image in images.items() if image is not None}, problems


def picture_diagnostic(source: SourceMap, path: Path_, src: str, problem: ImageProblem) -> Diagnostic:
    """``problem`` with the picture ``src``, as an error at the place ``path`` of the lesson that names it."""
    line, col = source.text_pos(path, f"]({src}") if path[-1] == "text" else source.value_pos(path)
    col += 2 if path[-1] == "text" else 0  # at the file name, after "]("
    return Diagnostic(source.file, line, col, "error", f"{describe(path)}: {problem.message}", problem.hint)


def failure_diagnostic(lesson: m.LessonFile, picture: str, reason: str, roots: Sequence[Path]) -> Diagnostic:
    """A picture that could not be drawn while rendering ``lesson``, as an error where the lesson names it
    (the lesson file is read again for the position; at its first line if it no longer names the picture)."""
    from ..errors import display_path
    from .yamlsource import parse_yaml

    shown = display_path(lesson.path)
    named = next((src for src, image in lesson.images.items() if image.uri == picture), None)
    problem = ImageProblem(f'"{named or picture}": it could not be drawn for the Word document ({reason})', "open it in a drawing program and export it again as plain SVG, "
                                                   "or save it as PNG")
    try:
        raw = read_pack_file(lesson.path, roots, limit=limits.MAX_LESSON_BYTES, what="lesson file")
        source = parse_yaml(raw, SourceMap(shown)).source
        path = next(path for path, src in pictures_named(lesson.lesson) if src == named)
        return picture_diagnostic(source, path, named, problem)  # type: ignore[arg-type]
    except Exception:  # the file changed or moved since it was loaded: the lesson, without a position
        return Diagnostic(shown, 1, 1, "error", problem.message, problem.hint)
