"""The fonts handouts are set in: families that arrive with pip, and a warning when a style's font is missing.

Fonts decide where lines and pages break, so the built-in styles use families that are installed with
lessonpack itself (the OFL-licensed Source Serif Pro and Source Sans Pro, from the PyPI packages
``font-source-serif-pro`` and ``font-source-sans-pro``) and load them with ``@font-face`` from those
packages, through the guarded fetcher: ``make demo`` gives the same pages on every machine. A style may
name any installed family instead; when its first choice is neither bundled nor installed, the build
says so once, naming the package that provides it, and the PDF falls back to the next family.
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
    """A family that comes with lessonpack: the Python package holding its files, and its faces."""

    package: str
    faces: tuple[Face, ...]

    @property
    def folder(self) -> Path | None:
        try:
            return Path(str(resources.files(self.package).joinpath("files")))
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
}

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


def font_faces_css(families: list[str]) -> str:
    """``@font-face`` rules for every bundled family among ``families``."""
    rules = []
    for family in dict.fromkeys(families):
        bundled = BUNDLED.get(family)
        folder = bundled.folder if bundled else None
        if bundled is None or folder is None:
            continue
        for face in bundled.faces:
            path = folder / face.file
            if path.is_file():
                rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); '
                             f"font-weight: {face.weight}; font-style: {face.style}; }}")
    return "\n".join(rules)


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


def missing_font_warning(families: list[str], role: str) -> str | None:
    """A warning when the first family a style names for ``role`` is neither bundled nor installed."""
    first = next((f for f in families if f not in GENERIC), None)
    if first is None or _bundled(first):
        return None
    installed = _installed_families()
    if installed is None or first in installed:
        return None
    fallback = next((f for f in families[families.index(first) + 1:]
                     if f in GENERIC or f in installed or _bundled(f)), "a default")
    how = WHERE_TO_GET.get(first)
    return (f'the {role} font "{first}" is not installed, so the PDF uses {fallback} instead and pages may break '
            f"differently" + (f"; install it ({how})" if how else "; install it, or name another font in the style"))


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
