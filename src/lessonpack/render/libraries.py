"""Import WeasyPrint without ctypes' library search on Linux: about 0.2 s off every build's start.

WeasyPrint opens each C library (GObject, Pango, HarfBuzz, fontconfig…) by trying the Windows, macOS
and Linux spellings of its name in turn, and cffi looks up every name it cannot open directly with
``ctypes.util.find_library``, which on Linux runs ``ldconfig``, ``gcc`` and ``ld`` as subprocesses —
twenty-odd of them before the Linux spelling (``libpango-1.0.so.0``) is reached. The dynamic loader
finds that spelling itself (``LD_LIBRARY_PATH``, its cache, the system folders), and ``find_library``
on Linux only ever returns such a name for the loader to open, so skipping the search loses nothing.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def no_library_search() -> Iterator[None]:
    """While WeasyPrint is imported on Linux, library names are left to the dynamic loader alone."""
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        yield
        return
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search
