"""Renderers: draw a handout model as HTML/PDF or DOCX bytes."""

from pathlib import Path

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"
"""lessonpack's own templates and base stylesheet: found after a pack's own."""
