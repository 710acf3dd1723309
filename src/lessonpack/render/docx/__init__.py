"""DOCX handouts that editors can restyle in Word: the handout model drawn with named styles.

Modules, in the order a document is made: :mod:`.styles` (the ``LP …`` style table from the tokens),
:mod:`.numbering` (Word lists from the model's number formats), :mod:`.reference_import` (a pack's
``reference.docx``, taken apart safely; :mod:`.reference_tokens` reads its styles back into design
tokens), :mod:`.package` (the base document, page setup, reproducible zip), :mod:`.draw` (one method per
section and item type, with :mod:`.footnotes` for Word footnotes and :mod:`.marks` for the bookmark round each
lesson field, which ``lessonpack import`` reads) and :mod:`.document` (putting them together).
Importing this package does not import python-docx; the functions below do.
"""

from __future__ import annotations

from ..formats import OutputFormat


def render_docx(handout, style, paper: str, *, embed_fonts: bool = True) -> bytes:
    """The handout as a DOCX file (bytes); warnings, if any, are dropped — see the next function."""
    from .document import render_docx_with_warnings as render

    return render(handout, style, paper, embed_fonts=embed_fonts)[0]


def render_docx_with_warnings(handout, style, paper: str, *, embed_fonts: bool = True) -> tuple[bytes, list[str]]:
    """The handout as DOCX bytes (with ``embed_fonts``, the fonts it names inside it), and one warning per style
    the pack's reference.docx lacked."""
    from .document import render_docx_with_warnings as render

    return render(handout, style, paper, embed_fonts=embed_fonts)


def reference_docx(style, paper: str = "letter") -> bytes:
    """The default reference document of ``style``: every LP style in use, named in its own text."""
    from .document import reference_docx as make

    return make(style, paper)


def _draw(handout, context) -> bytes:
    data, warnings = render_docx_with_warnings(handout, context.style, context.paper, embed_fonts=context.embed_fonts)
    context.warnings.extend(warnings)
    return data


DOCX = OutputFormat("docx", "docx", "Word documents with named styles, for editors",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _draw,
                    title="Word document")
"""Word documents: the PDFs' twins, drawn with named styles an editor can change."""
