"""Live preview of a pack in the browser (``lessonpack preview``), and file watching for ``build --watch``."""

from .server import is_loopback, serve
from .watch import changes

__all__ = ["changes", "is_loopback", "serve"]
