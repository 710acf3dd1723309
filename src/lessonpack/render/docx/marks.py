"""The marks a DOCX carries so that edits made in Word can come back to the lesson file (``lessonpack import``).

Each field of the lesson a Word document prints (a prompt, a choice, a reading paragraph, a key term…) is
wrapped in a Word bookmark (``w:bookmarkStart``/``w:bookmarkEnd``) whose name says which field it is: bookmarks
are invisible, never print, and survive Word and LibreOffice saving the file again. The name is the field's
path in the lesson file, written short to keep within Word's 40 characters for a bookmark name:

    ``lpf_w_i3_c1`` — worksheet.items[3].choices[1];   ``lpf_rd_x_g4`` — paragraph 4 of reading.text

Worksheet positions (``items[3]``, ``choices[1]``, ``rows``…) are the places *as printed* in the document's
version; the importer maps them back to the lesson's own order through the version's arrangement
(:func:`lessonpack.handout.versions.arrange`) and, for a list the item type arranges itself (a matching's
options, a word bank's words: ``ri<k>``, ``wb<k>``), through the type's ``lesson_fields``. ``g<k>`` is the k-th
paragraph of a block of text (the k-th piece between blank lines); ``r<k>`` the k-th printed line of a model
answer set on writing lines; ``b<k>`` the answer shown in the k-th blank of a fill-in text.

The document also records which lesson, edition and version it is, as custom document properties
(``docProps/custom.xml``): ``lessonpack.lesson`` (the lesson's id: its file's name in the pack without
``.yaml``), ``lessonpack.edition`` (student or teacher), ``lessonpack.version`` (the letter, or empty), and the
``lessonpack.style`` and ``lessonpack.paper`` it was drawn in, and ``lessonpack.versions`` (how many versions its
build made: the teacher's copy of a build with versions prints version A's labels and keys).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

PREFIX = "lpf_"
"""Every field mark's name starts so; the handout's own navigation bookmarks start ``lp_`` or ``lp<digest>``."""

KEYS = {"title": "t", "subtitle": "st", "objectives": "o", "reading": "rd", "text": "x", "source": "so",
        "sources": "s", "citation": "ci", "caption": "ca", "notes": "n", "key_terms": "k", "term": "te",
        "definition": "d", "prompts": "p", "worksheet": "w", "instructions": "in", "items": "i",
        "prompt": "q", "choices": "c", "answer": "a", "points": "pt", "teacher_notes": "tn", "events": "e",
        "rubric": "ru", "content_warning": "cw", "parts": "pr", "pairs": "pa", "left": "l", "right": "ri",
        "extra": "ex", "bank": "wb", "labels": "lb", "table": "tb", "header": "h", "rows": "rw"}
"""A lesson key → its short form in a mark's name (letters only)."""

PARAGRAPH, ROW, BLANK, CELL = "g", "r", "b", "cl"
"""The short forms of a block's paragraph, of a printed line of an answer, of the answer shown in a text's k-th
blank (the teacher edition's fill-in blanks: the first of the blank's accepted answers), and of a table row's
k-th cell (``lpf_s0_tb_rw2_cl5``: ``sources[0].table.rows[2][5]``, a list in a list)."""

_BACK = {short: key for key, short in KEYS.items()}
_TOKEN = re.compile(r"([a-z]+)(\d*)$")

PROPERTY_NAMES = ("lessonpack.lesson", "lessonpack.edition", "lessonpack.version", "lessonpack.style",
                  "lessonpack.paper", "lessonpack.versions")
"""The custom document properties the importer reads (see the module's docstring)."""


def mark_name(path: tuple) -> str | None:
    """The bookmark name of a field path such as ``("worksheet", "items", 3, "choices", 1)``, or of a block's
    paragraph ``("reading", "text", ("g", 4))``, or a text's blank ``(…, "text", ("b", 2))``; None for a path with a key that has no short form."""
    tokens: list[str] = []
    for part in path:
        if isinstance(part, int):
            if not tokens:
                return None
            tokens[-1] += str(part)
        elif isinstance(part, tuple):
            tokens.append(f"{part[0]}{part[1]}")
        elif part in KEYS:
            tokens.append(KEYS[part])
        else:
            return None
    name = PREFIX + "_".join(tokens)
    return name if len(name) <= 40 else None


def mark_path(name: str) -> tuple | None:
    """The field path a bookmark name stands for (the inverse of :func:`mark_name`); None when it is not one."""
    if not name.startswith(PREFIX):
        return None
    path: list = []
    for token in name[len(PREFIX):].split("_"):
        found = _TOKEN.match(token)
        if found is None:
            return None
        letters, digits = found.groups()
        if letters in (PARAGRAPH, ROW, BLANK, CELL) and digits:
            path.append((letters, int(digits)))
        elif letters in _BACK:
            path.append(_BACK[letters])
            if digits:
                path.append(int(digits))
        else:
            return None
    return tuple(path)


def custom_properties_xml(values: dict[str, str]) -> bytes:
    """``docProps/custom.xml`` holding ``values`` as text properties."""
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), 2))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"{props}</Properties>").encode("utf-8")
