"""Word footnotes: the document's footnotes part (``word/footnotes.xml``), a note in it for each footnote the
handout calls, and the reference run where it is called. python-docx has no footnotes API, so the part is
written here with its OPC classes, and nowhere else.

Word numbers footnotes itself, 1, 2, 3… in the order they are called, as the PDF's CSS footnotes do. A pack's
reference document that already has a footnotes part keeps it (its separators), and the notes are added to it.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

TEXT_STYLE = "footnote text"
REFERENCE_STYLE = "footnote reference"
"""Word's own names for a footnote's text and its number (Word's ids: FootnoteText, FootnoteReference)."""

_EMPTY = (f'<w:footnotes {nsdecls("w")}>'
          '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
          'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
          '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
          'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
          '</w:footnotes>')


class Footnotes:
    """The footnotes of one document, made on the first :meth:`add`."""

    def __init__(self, document, size: float):
        self.doc = document
        self.size = size  # the body's text size: notes are set smaller
        self._root = None
        self._next = 1

    def add(self, p: Paragraph) -> Paragraph:
        """Call a new footnote at the end of ``p``; the note's paragraph, to fill with its text."""
        root = self._footnotes()
        number = self._next
        self._next += 1
        ids = self._styles()
        call = p.add_run()
        call._r.style = ids[REFERENCE_STYLE]
        call._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>'))
        note = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="'
                         f'{ids[TEXT_STYLE]}"/></w:pPr><w:r><w:rPr><w:rStyle w:val="{ids[REFERENCE_STYLE]}"/>'
                         '</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r></w:p>'
                         '</w:footnote>')
        root.append(note)
        return Paragraph(note[0], p._parent)

    def _footnotes(self):
        if self._root is not None:
            return self._root
        part = self.doc.part
        for rel in part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                found = rel.target_part
                if isinstance(found, XmlPart):
                    self._root = found.element
                else:  # read as plain bytes: put a part that can be written to in its place
                    fresh = XmlPart(found.partname, CT.WML_FOOTNOTES, parse_xml(found.blob), found.package)
                    rel._target = fresh
                    self._root = fresh.element
                used = [int(n.get(qn("w:id"))) for n in self._root.findall(qn("w:footnote"))]
                self._next = max([0] + used) + 1
                return self._root
        fresh = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_EMPTY), part.package)
        part.relate_to(fresh, RT.FOOTNOTES)
        self._root = fresh.element
        return self._root

    def _styles(self) -> dict[str, str]:
        """The ids of the footnote text and reference styles, added (small text; a raised number) if missing."""
        styles = self.doc.styles
        names = {s.name.lower(): s for s in styles}
        if TEXT_STYLE not in names:
            text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
            text.base_style = styles["Normal"]
            text.font.size = Pt(round(self.size * 0.8 * 2) / 2)
            text.paragraph_format.space_after = Pt(0)
            text.paragraph_format.space_before = Pt(0)
            names[TEXT_STYLE] = text
        if REFERENCE_STYLE not in names:
            ref = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
            ref.font.superscript = True
            names[REFERENCE_STYLE] = ref
        return {TEXT_STYLE: names[TEXT_STYLE].style_id, REFERENCE_STYLE: names[REFERENCE_STYLE].style_id}


__all__ = ["Footnotes"]
