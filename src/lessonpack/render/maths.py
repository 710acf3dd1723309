"""Formulas in the HTML a handout is drawn from (the PDF, the web page, the preview): each one an inline SVG.

:func:`placeholder` is what the ``rich`` filter writes for a formula: a ``<span>`` holding its TeX as text.
The sanitiser (:mod:`.sanitize`) hands each such span's TeX to :func:`svg`, after a pack's templates have had
their say, and puts the SVG it returns in the span: so the only SVG in a handout is the one lessonpack drew from
a formula's TeX (ziamath's paths, nothing else), whatever a template writes.

The SVG is sized in ems, so a formula is as large as the text around it (a heading's, a large-print style's),
and set ``vertical-align`` by its depth, so its baseline is the line's baseline.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from ..text.maths import FormulaProblem, drawing

ATTRIBUTE = "data-lessonpack-math"
"""The placeholder's attribute: "inline" or "display"."""

KINDS = ("inline", "display")


def placeholder(tex: str, kind: str) -> Markup:
    """The HTML the ``rich`` filter writes for a formula: its TeX as the text of a marked span (what a reader
    sees if nothing draws it)."""
    return Markup(f'<span class="math math-{kind}" {ATTRIBUTE}="{kind}">{escape(tex)}</span>')


def svg(tex: str, kind: str, title: str) -> str | None:
    """The formula as an inline ``<svg>`` with ``title`` as its text alternative (the PDF's /Alt), or None if it
    cannot be drawn (``check`` reports such a formula in a lesson; one a template wrote stays as its TeX)."""
    try:
        drawn = drawing(tex, kind == "display")
    except FormulaProblem:
        return None
    style = (f"width: {drawn.width:.4f}em; height: {drawn.height:.4f}em; "
             f"vertical-align: {-drawn.depth:.4f}em")
    head, _, body = drawn.svg.partition(">")
    return (f'{head} class="formula" role="img" aria-label="{escape(title)}" style="{style}">'
            f"<title>{escape(title, quote=False)}</title>{body}")


__all__ = ["ATTRIBUTE", "KINDS", "placeholder", "svg"]
