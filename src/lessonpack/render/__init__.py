"""Renderers: draw a handout model as HTML/PDF or DOCX bytes."""

from ..version import DATA

BUILTIN_TEMPLATES = DATA / "templates"
"""lessonpack's own templates and base stylesheet: found after a pack's own."""
