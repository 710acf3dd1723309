"""lessonpack: plain-text lessons in, print-ready PDF and editable DOCX handouts out.

The public API is small on purpose:

- :func:`load_pack` reads and validates a pack (or one lesson file) into plain data,
- :func:`check` reports every problem in a pack without writing anything,
- :func:`build` renders the handouts of a pack (or one lesson) to PDF, DOCX and HTML files.
"""

from .build import build
from .errors import Diagnostic, LessonpackError
from .pack import Pack, check, load_pack
from .version import __version__

__all__ = ["Diagnostic", "LessonpackError", "Pack", "build", "check", "load_pack", "__version__"]
