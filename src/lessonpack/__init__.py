"""lessonpack: plain-text lessons in, print-ready PDF and editable DOCX handouts out.

The public API is small on purpose:

- :func:`load_pack` reads and validates a pack (or one lesson file) into plain data,
- :func:`check` reports every problem in a pack without writing anything,
- :func:`build` renders the handouts of a pack (or one lesson) to PDF, DOCX and HTML files.
"""

from .errors import Diagnostic, LessonpackError
from .version import __version__


def __getattr__(name: str):
    # The library loads on first use, so `lessonpack --help` starts without the models and renderers.
    if name == "build":
        from .building.builder import build

        return build
    if name == "check":
        from .building.check import check

        return check
    if name in ("Pack", "load_pack"):
        from .load import pack

        return getattr(pack, name)
    raise AttributeError(f"module 'lessonpack' has no attribute {name!r}")


__all__ = ["Diagnostic", "LessonpackError", "Pack", "build", "check", "load_pack", "__version__"]
