"""Put a DOCX together: the base document, the drawing, the core properties and a reproducible zip."""

from __future__ import annotations

from dataclasses import replace

from ...handout import Handout, PlanContext, Verse, VerseLine, plan
from ...text.richtext import Span, blocks
from ...styles.geometry import Geometry
from ...styles.loader import Style
from .draw import Drawer
from .marks import PROPERTY_NAMES, custom_properties_xml
from .fonts import embed_fonts as embed, named_families
from ...styles.fonts import style_pack_root
from .symbols import set_symbols
from .package import Prepared, build_time, prepare, save_reproducibly

CORE_PROPERTY_CHARS = 255
"""Word's limit for one core property (title, author, subject…); longer values are shortened."""


def render_docx_with_warnings(handout: Handout, style: Style, paper: str, *,
                              embed_fonts: bool = True) -> tuple[bytes, list[str]]:
    """The handout as DOCX bytes (with ``embed_fonts``, the fonts its styles name that lessonpack has the files
    of inside it: :mod:`.fonts`), and one warning per style the pack's reference.docx lacked."""
    prepared = prepare(style, paper, handout.language)
    Drawer(prepared, handout).draw()
    _core_properties(prepared, handout)
    _custom_properties(prepared, handout, style.name, paper)
    pack_root = style_pack_root(style)
    symbols = set_symbols(prepared.document, pack_root)
    if embed_fonts:
        embed(prepared.document, named_families(prepared.document), pack_root, symbols=symbols)
    return save_reproducibly(prepared.document, when=build_time(handout.document.created)), list(prepared.warnings)


def reference_docx(style: Style, paper: str = "letter") -> bytes:
    """The default reference document of ``style``: a sample lesson whose texts name the styles they use."""
    from ...load.samples import sample_lesson

    handout = plan(sample_lesson("reference"), "teacher", PlanContext(None, Geometry.of(style.tokens, paper)))
    o = handout.overview
    if o is not None and o.warning and not any(b.items for b in o.warning):  # a list in the warning's box, too
        handout = replace(handout, overview=replace(o, warning=o.warning + blocks(
            "- A list in a content warning, in its box (LP Content Warning List)")))
    prepared = prepare(style, paper, handout.language, use_pack_reference=False)
    drawer = Drawer(prepared, handout)
    drawer.draw()
    # The sample is a teacher's copy, which has no name line: show that style too.
    from . import styles as S

    labels = ("Name", "Date", "Class")
    drawer.run(drawer.name_line(S.NAME_LINE, labels), " (LP Name Line, student edition)")
    version = drawer.name_line(S.NAME_LINE_VERSION, labels)
    drawer.run(version, "\t")
    drawer.run(version, "Version B", S.STRONG)
    drawer.run(version, " (LP Name Line Version, a student version)")
    score = drawer.name_line(S.SCORE_LINE, labels)
    drawer.run(score, "\t")
    drawer.score_box(score, ("Score", "/ 12"))
    drawer.run(score, " (LP Score Line and LP Score Box, student edition)")
    score = drawer.name_line(S.SCORE_LINE_VERSION, labels)
    drawer.run(score, "\t")
    drawer.score_box(score, ("Score", "/ 12"))
    drawer.run(score, "\u2003")
    drawer.run(score, "Version B", S.STRONG)
    drawer.run(score, " (LP Score Line Version)")
    # A later part of a poem taller than a page, under its "(continued)" line.
    poem = Verse(((VerseLine((Span("A later part of a long poem (LP Verse)"),)),
                   VerseLine((Span("the last line of a stanza (LP Verse Stanza End)"),), indent=1.0)),
                  (VerseLine((Span("A new stanza"),)),)), continued="(continued) (LP Verse Continued)")
    drawer.verse(poem, prepared.geometry.text_width, prepared.geometry.indent)
    _core_properties(prepared, handout)
    core = prepared.document.core_properties
    core.title = f"lessonpack reference document ({style.name})"
    core.comments = ("Change the LP styles (and Word's own Normal, Title, Heading 1–3), then save this file "
                     f"as styles/{style.name}/reference.docx in your pack.")
    return save_reproducibly(prepared.document, when=build_time(handout.document.created))


def _fit(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_CHARS else text[:CORE_PROPERTY_CHARS - 1].rstrip() + "…"


def _core_properties(prepared: Prepared, h: Handout) -> None:
    """The model's document information, as Word's core properties."""
    info = h.document
    core = prepared.document.core_properties
    core.title = _fit(info.title)
    core.author = _fit(info.author)
    core.subject = _fit(info.subject)
    core.keywords = _fit(", ".join(info.keywords))
    core.language = info.language
    core.category = _fit(h.labels[f"{h.edition}_edition"])
    version = f" · {h.masthead.version}" if h.masthead.version else ""
    core.comments = f"{h.labels[f'{h.edition}_edition']}{version} · {h.lesson_id} · made with lessonpack"
    core.last_modified_by = "lessonpack"
    core.revision = 1
    when = build_time(info.created)
    core.created = when
    core.modified = when


CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"


def _custom_properties(prepared: Prepared, h: Handout, style: str, paper: str) -> None:
    """Which lesson, edition and version the document is, as custom document properties (``lessonpack import``
    finds the lesson by them; see :mod:`.marks`). A pack's reference.docx's own custom properties are replaced."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = prepared.document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            package.rels.pop(rid)
    values = dict(zip(PROPERTY_NAMES, (h.lesson_id, h.edition, h.version_letter, style, paper,
                                        str(max(1, len(h.version_keys))))))
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES, custom_properties_xml(values), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
