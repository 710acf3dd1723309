"""The fonts handouts are set in: families that arrive with pip, a pack's own font files, and a warning when a
style's font is missing.

Fonts decide where lines and pages break, so the built-in styles use families that are installed with
lessonpack itself (the OFL-licensed Source Serif Pro and Source Sans Pro, from the PyPI packages
``font-source-serif-pro`` and ``font-source-sans-pro``) and load them with ``@font-face`` from those
packages, through the guarded fetcher: ``make demo`` gives the same pages on every machine. Every glyph
lessonpack itself prints that those families lack (the teacher edition's ✔, ☐, ★, arrows) comes from DejaVu Sans
as the ``ziafont`` package ships it (a dependency already, for formulas), which follows the first bundled family
in every font list. A bundled family is loaded under a name of its own (:func:`css_family`: "Source Serif Pro
LP"), so a copy of the same family installed on the system never takes its place.

A style may name any other family: one whose files are in the pack's ``fonts/`` folder is loaded from there (also
under a name of its own); else the system's copy is used, and when it is not installed either, the build says so
once, naming the package that provides it, and the PDF falls back to the next family.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Face:
    weight: str  # CSS font-weight
    style: str  # CSS font-style
    file: str


@dataclass(frozen=True)
class Bundled:
    """A family that comes with lessonpack: the Python package holding its files (in its folder ``subfolder``),
    and its faces."""

    package: str
    faces: tuple[Face, ...]
    subfolder: str = "files"

    @property
    def folder(self) -> Path | None:
        try:
            return Path(str(resources.files(self.package).joinpath(self.subfolder)))
        except (ModuleNotFoundError, TypeError):
            return None


BUNDLED: dict[str, Bundled] = {
    "Source Serif Pro": Bundled("font_source_serif_pro", (
        Face("normal", "normal", "SourceSerifPro-Regular.ttf"), Face("normal", "italic", "SourceSerifPro-It.ttf"),
        Face("600", "normal", "SourceSerifPro-Semibold.ttf"), Face("600", "italic", "SourceSerifPro-SemiboldIt.ttf"),
        Face("bold", "normal", "SourceSerifPro-Bold.ttf"), Face("bold", "italic", "SourceSerifPro-BoldIt.ttf"))),
    "Source Sans Pro": Bundled("font_source_sans_pro", (
        Face("normal", "normal", "SourceSansPro-Regular.ttf"), Face("normal", "italic", "SourceSansPro-It.ttf"),
        Face("600", "normal", "SourceSansPro-Semibold.ttf"), Face("600", "italic", "SourceSansPro-SemiboldIt.ttf"),
        Face("bold", "normal", "SourceSansPro-Bold.ttf"), Face("bold", "italic", "SourceSansPro-BoldIt.ttf"))),
    # The symbols lessonpack prints (✔ ☐ ★ arrows, circled numbers) that the Source families lack; ziafont ships
    # it for the formulas' text, so it comes with lessonpack already (Bitstream Vera licence: free to embed).
    "DejaVu Sans": Bundled("ziafont", (Face("normal", "normal", "DejaVuSans.ttf"),), subfolder="fonts"),
}

SYMBOLS = "DejaVu Sans"
"""The bundled family that sets every character lessonpack prints which a style's bundled family lacks."""

OWN_NAME = " LP"
"""Added to the name a bundled or pack font is loaded under in the PDF (see :func:`css_family`)."""

WHERE_TO_GET = {
    "Source Serif Pro": "pip install font-source-serif-pro",
    "Source Sans Pro": "pip install font-source-sans-pro",
    "Charis SIL": "Debian/Ubuntu: apt-get install fonts-sil-charis",
    "Inter": "Debian/Ubuntu: apt-get install fonts-inter",
    "DejaVu Sans": "Debian/Ubuntu: apt-get install fonts-dejavu-core",
    "DejaVu Serif": "Debian/Ubuntu: apt-get install fonts-dejavu-core",
    "Liberation Serif": "Debian/Ubuntu: apt-get install fonts-liberation2",
    "Liberation Sans": "Debian/Ubuntu: apt-get install fonts-liberation2",
}
"""Where a commonly named family comes from, for the warning when it is missing."""

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


def bundled_folders() -> list[Path]:
    """The folders the bundled fonts are read from (roots for the guarded fetcher)."""
    return [folder.resolve() for b in BUNDLED.values() if (folder := b.folder) is not None and folder.is_dir()]


def css_family(family: str) -> str:
    """The name a bundled family is loaded under in the PDF: its own name and :data:`OWN_NAME`, which no font
    installed on the system has, so a system copy of the family (another version, other metrics) never takes the
    place of the bundled files."""
    return family + OWN_NAME


def font_stack(families: list[str], pack_fonts: "dict[str, dict[tuple[str, str], Path]] | None" = None) -> list[str]:
    """The font list the PDF sets a role in: each bundled family (or one in the pack's ``fonts/``) under its own
    name first, then as the style names it (for a browser, which has no ``@font-face`` rules); after the first
    bundled family, the bundled symbols family (every glyph lessonpack prints comes from pip, never the system)."""
    out: list[str] = []
    symbols = False
    for family in families:
        if _bundled(family) or (pack_fonts and family in pack_fonts):
            out.append(css_family(family))
            if not symbols and _bundled(SYMBOLS):
                out.append(css_family(SYMBOLS))
                symbols = True
        out.append(family)
    if not symbols and _bundled(SYMBOLS):  # no bundled family named: the symbols before the generic fallback
        at = next((i for i, f in enumerate(out) if f in GENERIC), len(out))
        out.insert(at, css_family(SYMBOLS))
    return list(dict.fromkeys(out))


def font_faces_css(families: list[str], pack_fonts: "dict[str, dict[tuple[str, str], Path]] | None" = None) -> str:
    """``@font-face`` rules for every bundled family among ``families`` and the symbols family, and for each
    family whose files are in the pack's ``fonts/`` folder (``pack_fonts``, see :func:`pack_font_files`), each
    under the name of its own that :func:`font_stack` lists."""
    rules = []
    for family in dict.fromkeys([*families, SYMBOLS]):
        bundled = BUNDLED.get(family)
        folder = bundled.folder if bundled else None
        if bundled is None or folder is None:
            faces = (pack_fonts or {}).get(family, {})
            for (weight, style), path in sorted(faces.items()):
                rules.append(f'@font-face {{ font-family: "{css_family(family)}"; src: url("{path.as_uri()}"); '
                             f"font-weight: {weight}; font-style: {style}; }}")
            continue
        for face in bundled.faces:
            path = folder / face.file
            if path.is_file():
                rules.append(f'@font-face {{ font-family: "{css_family(family)}"; '
                             f'src: url("{path.resolve().as_uri()}"); '
                             f"font-weight: {face.weight}; font-style: {face.style}; }}")
    return "\n".join(rules)


FONT_SUFFIXES = (".ttf", ".otf")
"""The font files a pack's ``fonts/`` folder may hold (TrueType and OpenType)."""


def style_pack_root(style) -> Path | None:
    """The pack whose ``fonts/`` folder a style's fonts may come from: a pack's own style's (a built-in style
    names only families lessonpack ships)."""
    return style.root if getattr(style, "origin", "") == "pack" else None


def pack_font_files(pack_root: Path | None) -> dict[str, dict[tuple[str, str], Path]]:
    """The fonts in a pack's ``fonts/`` folder, by family and face (CSS weight and style), each file read through
    the pack-file guard (inside the pack, a regular file, the size cap) and named by its own name table; a file
    that is not a font is left out (the build's missing-font warning then names the family)."""
    if pack_root is None:
        return {}
    folder = pack_root / "fonts"
    if not folder.is_dir():
        return {}
    return _pack_fonts(str(pack_root.resolve()), _folder_stamp(folder))


def _folder_stamp(folder: Path) -> tuple:
    try:
        return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()))
    except OSError:
        return ()


@lru_cache(maxsize=8)
def _pack_fonts(root: str, stamp: tuple) -> dict[str, dict[tuple[str, str], Path]]:
    from io import BytesIO

    from fontTools.ttLib import TTFont, TTLibError

    from ..limits import MAX_FONT_BYTES
    from ..load.packfiles import PackFileError, read_pack_file, regular_files

    pack = Path(root)
    found: dict[str, dict[tuple[str, str], Path]] = {}
    for path in sorted(regular_files(pack / "fonts", [pack])):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        try:
            data = read_pack_file(path, [pack], limit=MAX_FONT_BYTES, what="font")
            with TTFont(BytesIO(data), lazy=True) as font:
                names = font["name"]
                family = str(names.getDebugName(16) or names.getDebugName(1) or "")
                bold = bool(font["OS/2"].fsSelection & 0x20) or font["OS/2"].usWeightClass >= 700
                italic = bool(font["OS/2"].fsSelection & 0x01)
        except (PackFileError, TTLibError, KeyError, AttributeError, ValueError, OSError, AssertionError):
            continue
        if family:
            found.setdefault(family, {})[("bold" if bold else "normal", "italic" if italic else "normal")] = \
                path.resolve()
    return found


def face_files(family: str, pack_root: Path | None = None) -> dict[tuple[str, str], Path]:
    """The files of ``family`` lessonpack has (bundled, else in the pack's ``fonts/``), by face: (weight, style)
    with weight "normal" or "bold" (what a word processor embeds)."""
    bundled = BUNDLED.get(family)
    folder = bundled.folder if bundled else None
    if bundled is not None and folder is not None and folder.is_dir():
        return {(f.weight, f.style): (folder / f.file).resolve() for f in bundled.faces
                if f.weight in ("normal", "bold") and (folder / f.file).is_file()}
    return dict(pack_font_files(pack_root).get(family, {}))


@lru_cache(maxsize=1)
def _installed_families() -> frozenset[str] | None:
    """Font families fontconfig knows (None when fontconfig cannot be asked)."""
    name = ctypes.util.find_library("fontconfig")
    if not name:
        return None
    try:
        fc = ctypes.CDLL(name)
        fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
        fc.FcPatternCreate.restype = ctypes.c_void_p
        fc.FcObjectSetBuild.restype = ctypes.c_void_p
        fc.FcObjectSetBuild.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        fc.FcFontList.restype = ctypes.c_void_p
        fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                          ctypes.POINTER(ctypes.c_char_p)]

        class FcFontSet(ctypes.Structure):
            _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]

        config = fc.FcInitLoadConfigAndFonts()
        pattern = fc.FcPatternCreate()
        objects = fc.FcObjectSetBuild(b"family", None)
        fonts = ctypes.cast(fc.FcFontList(ctypes.c_void_p(config), ctypes.c_void_p(pattern),
                                          ctypes.c_void_p(objects)), ctypes.POINTER(FcFontSet)).contents
        found = set()
        for i in range(fonts.nfont):
            for n in range(8):  # a font may have several family names (localized, typographic)
                value = ctypes.c_char_p()
                if fc.FcPatternGetString(fonts.fonts[i], b"family", n, ctypes.byref(value)) != 0:
                    break
                found.add(value.value.decode("utf-8", "replace"))
        return frozenset(found)
    except (OSError, AttributeError, ValueError):
        return None


def _bundled(family: str) -> bool:
    bundled = BUNDLED.get(family)
    return bundled is not None and bundled.folder is not None and bundled.folder.is_dir()


def missing_font_warning(families: list[str], role: str, pack_root: Path | None = None) -> str | None:
    """A warning when the first family a style names for ``role`` is neither bundled, nor in the pack's
    ``fonts/`` folder, nor installed."""
    first = next((f for f in families if f not in GENERIC), None)
    if first is None or _bundled(first) or first in pack_font_files(pack_root):
        return None
    installed = _installed_families()
    if installed is None or first in installed:
        return None
    fallback = next((f for f in families[families.index(first) + 1:]
                     if f in GENERIC or f in installed or _bundled(f)), "a default")
    how = WHERE_TO_GET.get(first)
    return (f'the {role} font "{first}" is not installed, so the PDF uses {fallback} instead and pages may break '
            f"differently" + (f"; install it ({how})" if how else "; put its .ttf or .otf files in the pack's fonts/ "
                                                                 "folder, install it, or name another font in the style"))


@lru_cache(maxsize=8)
def _advances(path: Path) -> tuple[dict[int, int], int, int]:
    """A font file's advance widths by character (code point → font units), its units per em and the width of a
    character it lacks (its .notdef glyph's), read with fontTools."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        metrics = font["hmtx"].metrics
        widths = {code: metrics[name][0] for code, name in font.getBestCmap().items() if name in metrics}
        missing = metrics[font.getGlyphOrder()[0]][0]
        return widths, font["head"].unitsPerEm, missing


def text_em(families: list[str], text: str, *, bold: bool = False) -> float | None:
    """How wide ``text`` is set on one line in the first family of ``families``, in ems (the sum of its
    characters' advance widths, without kerning, which only narrows a word): measured in the family's own
    files when it is bundled with lessonpack (see :data:`BUNDLED`), else None (the caller estimates)."""
    first = next((f for f in families if f not in GENERIC), None)
    bundled = BUNDLED.get(first or "")
    folder = bundled.folder if bundled else None
    if bundled is None or folder is None:
        return None
    face = next((f for f in bundled.faces if f.style == "normal" and f.weight == ("bold" if bold else "normal")), None)
    if face is None or not (folder / face.file).is_file():
        return None
    widths, per_em, missing = _advances(folder / face.file)
    return sum(widths.get(ord(ch), missing) for ch in text) / per_em


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def family_characters(family: str, pack_root: Path | None = None) -> frozenset[int] | None:
    """Every character the regular face of ``family`` has, when lessonpack has its file (bundled, or in the pack's
    ``fonts/``) and can read it; None otherwise."""
    regular = face_files(family, pack_root).get(("normal", "normal"))
    if regular is None:
        return None
    try:
        return _cmap(regular)
    except Exception:  # a font fontTools cannot read: its characters are not counted  # noqa: BLE001
        return None


def font_chain(families: list[str], pack_root: Path | None = None) -> tuple[list[str], frozenset[int]]:
    """The families of ``families`` that lessonpack has the files of (bundled, or in the pack's ``fonts/``), with
    the symbols family that follows them in the PDF, and every character their regular faces have."""
    names: list[str] = []
    chars: set[int] = set()
    for family in dict.fromkeys([*families, SYMBOLS]):
        found = family_characters(family, pack_root)
        if found is None:
            continue
        chars |= found
        names.append(family)
    return names, frozenset(chars)
