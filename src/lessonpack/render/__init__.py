"""Renderers: draw a handout model as HTML/PDF or DOCX bytes."""
