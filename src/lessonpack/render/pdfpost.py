"""The last pass over a handout PDF, with pikepdf: what WeasyPrint's public options do not do.

- **Languages**: PDF/UA asks that text in another language than the document's say so (a source quoted in
  German in an English lesson). WeasyPrint tags the document's language only, so the HTML given to it carries
  a marker in each element with its own ``lang`` (:func:`language_mark`: an empty picture whose alternative
  text names the language). Here each marker's figure gives its language to the structure element it stands
  in, and leaves the structure. An element the page cut is tagged again on the next page, without a marker:
  the structure that opens a page continues the one that closed the page before, so it takes its language.
- **Formulas**: WeasyPrint tags each inline SVG as a Figure, its ``<title>`` the alternative text. A formula's
  SVG is titled with its TeX behind a marker (:func:`formula_mark`); here its figure becomes a Formula, the
  structure type PDF/UA asks for, with the TeX as its alternative text. A formula is drawn in ``currentColor``,
  which WeasyPrint takes as black (it gives an inline SVG none of the HTML's colours), so a formula in a
  teacher's coloured answer printed black among coloured words: here its drawing takes the colour of the words
  nearest it in its paragraph (or the block around it, for a displayed formula).
- **Form fields**: each group of round buttons becomes one field with its buttons as widgets, as the PDF
  standard has it (WeasyPrint also names every button after its group and lists it among the form's fields,
  which readers then see as a second field inside the first, "q3.q3"); the boxes for a word, a letter or a
  number (blanks, matching rows, ordering boxes) centre their answer, as drawn; a group of round buttons the
  page cut is one field, so a question has one answer whatever the layout.

The pass keeps the bytes reproducible: the same handout gives the same file.
"""

from __future__ import annotations

import numbers
import re
from html import escape
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name

MARK_PREFIX = "lessonpack:lang="
FORMULA_PREFIX = "lessonpack:formula="
_PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def language_mark(lang: str) -> str:
    """The HTML marker put first inside an element whose language is ``lang``: it takes no room and draws
    nothing, and its alternative text tells :func:`finish` the element's language."""
    return (f'<img alt="{MARK_PREFIX}{escape(lang, quote=True)}" src="{_PIXEL}" '
            'style="position: absolute; width: 0; height: 0">')


def formula_mark(tex: str) -> str:
    """A formula's drawing's title in the PDF's HTML: its TeX, marked, so that :func:`finish` makes the figure
    WeasyPrint tags for it a Formula whose alternative text is the TeX."""
    return FORMULA_PREFIX + tex


SHORT_FIELD = re.compile(r"^q\d+\.\d+$")
"""Fields for a word, a letter or a number: blanks, matching rows, ordering boxes (see handout/fields.py)."""


def finish(data: bytes, *, languages: bool = False, fields: bool = False, formulas: bool = False) -> bytes:
    """``data`` (a PDF WeasyPrint wrote) with the languages of its marked elements tagged, (``formulas``) its
    formulas tagged as such and (``fields``) its form tidied. Nothing to do: the same bytes."""
    if not (languages or fields or formulas):
        return data
    with pikepdf.open(BytesIO(data)) as pdf:
        if languages and "/StructTreeRoot" in pdf.Root:
            _tag_languages(pdf)
        if formulas and "/StructTreeRoot" in pdf.Root:
            _tag_formulas(pdf)
        if fields and "/AcroForm" in pdf.Root:
            _tidy_fields(pdf)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


# -- languages ------------------------------------------------------------------------------------


def _kids(element: Dictionary) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _structure(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def _page_of(element: Dictionary):
    page = element.get("/Pg")
    return page.objgen if page is not None else None


def _tag_languages(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root.StructTreeRoot
    tops = [kid for kid in _kids(root) if _structure(kid)]
    marked: set[tuple[int, int]] = set()
    for top in tops:
        _take_marks(top, marked)
    for top in tops:  # the Document element: its children, page after page
        _continue_over_pages([kid for kid in _kids(top) if _structure(kid)], marked)


def _take_marks(element: Dictionary, marked: set[tuple[int, int]]) -> None:
    for kid in _kids(element):
        if not _structure(kid):
            continue
        alt = str(kid.get("/Alt", ""))
        if kid.get("/S") == Name.Figure and alt.startswith(MARK_PREFIX):
            element.Lang = pikepdf.String(alt[len(MARK_PREFIX):])
            marked.add(element.objgen)
            del kid["/Alt"]
            if "/A" in kid:
                del kid["/A"]
            kid.S = Name.Span  # its empty drawing stays in the structure, as a span of no text
            continue
        _take_marks(kid, marked)


def _continue_over_pages(children: list[Dictionary], marked: set[tuple[int, int]]) -> None:
    """The last structure on each page continues on the next page as the first one there: down both, level by
    level while they are the same kind of element, the next page's takes the language of the one it continues
    (unless it has a marker of its own: then it is a new element, not a continuation)."""
    for before, after in zip(children, children[1:]):
        if _page_of(before) == _page_of(after):
            continue
        while before is not None and after is not None and before.get("/S") == after.get("/S"):
            if "/Lang" in before and "/Lang" not in after and after.objgen not in marked:
                after.Lang = before.Lang
            ends = [kid for kid in _kids(before) if _structure(kid)]
            starts = [kid for kid in _kids(after) if _structure(kid)]
            before, after = (ends[-1] if ends else None), (starts[0] if starts else None)


# -- formulas -------------------------------------------------------------------------------------


def _tag_formulas(pdf: pikepdf.Pdf) -> None:
    formulas: list[tuple[Dictionary, list[Dictionary]]] = []  # each formula with its ancestors, nearest first
    todo = [(kid, []) for kid in _kids(pdf.Root.StructTreeRoot) if _structure(kid)]
    while todo:
        element, ancestors = todo.pop()
        alt = str(element.get("/Alt", ""))
        if element.get("/S") == Name.Figure and alt.startswith(FORMULA_PREFIX):
            element.S = Name.Formula
            element.Alt = pikepdf.String(alt[len(FORMULA_PREFIX):])
            formulas.append((element, ancestors))
            continue
        todo.extend((kid, [element, *ancestors]) for kid in _kids(element) if _structure(kid))
    _colour_formulas(pdf, formulas)


_FILL = {"g", "rg", "k", "sc", "scn"}
_SHOW = {"Tj", "TJ", "'", '"'}
_BLACK = ((0.0,), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0))


def _mcids(element: Dictionary) -> list[int]:
    """The marked-content ids of ``element`` and everything under it, in order."""
    out = []
    for kid in _kids(element):
        if isinstance(kid, int):
            out.append(int(kid))
        elif isinstance(kid, Dictionary) and "/MCID" in kid:
            out.append(int(kid.MCID))
        elif _structure(kid):
            out += _mcids(kid)
    return out


def _text_fills(page: pikepdf.Page) -> tuple[list, dict[int, tuple[str, list]]]:
    """A page's content as parsed, and the fill colour its words are shown in, by marked-content id."""
    ops = pikepdf.parse_content_stream(page)
    fills: dict[int, tuple[str, list]] = {}
    stack: list[tuple[str, list]] = []
    fill: tuple[str, list] = ("g", [0])
    marked: list[int | None] = []
    for operands, operator in ops:
        name = str(operator)
        if name == "q":
            stack.append(fill)
        elif name == "Q" and stack:
            fill = stack.pop()
        elif name in _FILL and operands and all(isinstance(v, numbers.Number) for v in operands):
            fill = (name, list(operands))
        elif name in ("BDC", "BMC"):
            props = operands[1] if name == "BDC" and len(operands) > 1 else None
            marked.append(int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None)
        elif name == "EMC" and marked:
            marked.pop()
        elif name in _SHOW:
            mcid = next((m for m in reversed(marked) if m is not None), None)
            if mcid is not None:
                fills.setdefault(mcid, fill)
    return ops, fills


def _colour_formulas(pdf: pikepdf.Pdf, formulas: list[tuple[Dictionary, list[Dictionary]]]) -> None:
    """Each formula drawn in black among words of another colour is drawn in theirs."""
    by_page: dict[tuple[int, int], list[tuple[Dictionary, list[Dictionary]]]] = {}
    for formula, ancestors in formulas:
        page = _page_of(formula) or next((_page_of(a) for a in ancestors if _page_of(a)), None)
        if page is not None:
            by_page.setdefault(page, []).append((formula, ancestors))
    for page in pdf.pages:
        found = by_page.get(page.obj.objgen)
        if not found:
            continue
        ops, fills = _text_fills(page)
        wanted: dict[int, tuple[str, list]] = {}
        for formula, ancestors in found:
            own = _mcids(formula)
            for block in ancestors[:2]:  # its paragraph, then the block around a displayed formula
                around = [m for m in _mcids(block) if m in fills]
                if around:
                    first = own[0] if own else 0
                    before = [m for m in around if m < first]
                    colour = fills[before[-1] if before else around[0]]
                    wanted.update({m: colour for m in own})
                    break
        if not wanted:
            continue
        changed = False
        out = []
        marked: list[int | None] = []
        for operands, operator in ops:
            name = str(operator)
            if name in ("BDC", "BMC"):
                props = operands[1] if name == "BDC" and len(operands) > 1 else None
                marked.append(int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None)
            elif name == "EMC" and marked:
                marked.pop()
            mcid = next((m for m in reversed(marked) if m is not None), None)
            if mcid in wanted and name in _FILL and all(isinstance(v, numbers.Number) for v in operands) \
                    and tuple(float(v) for v in operands) in _BLACK:
                colour_op, colour = wanted[mcid]
                if tuple(float(v) for v in colour) not in _BLACK:
                    operands, operator, changed = list(colour), pikepdf.Operator(colour_op), True
            out.append((operands, operator))
        if changed:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


# -- form fields -----------------------------------------------------------------------------------


def _tidy_fields(pdf: pikepdf.Pdf) -> None:
    form = pdf.Root.AcroForm
    widgets = set()
    for field in list(form.get("/Fields", [])):
        for kid in field.get("/Kids", []):
            if kid.get("/Subtype") == Name.Widget:
                widgets.add(kid.objgen)
                for key in ("/T", "/TU"):
                    if key in kid:
                        del kid[key]
        if field.get("/FT") == Name.Tx and SHORT_FIELD.match(str(field.get("/T", ""))):
            field.Q = 1  # a blank, a matching row's letter, an ordering box: the answer centred, as drawn
    fields = [field for field in form.get("/Fields", []) if field.objgen not in widgets]
    # One question, one group of round buttons, however the page cut it: a group drawn on two pages is written
    # as two fields of the same name; its buttons become one field's, so a student can tick only one.
    groups: dict[str, Dictionary] = {}
    kept = []
    for field in fields:
        name = str(field.get("/T", ""))
        radio = field.get("/FT") == Name.Btn and int(field.get("/Ff", 0)) & RADIO
        if radio and name in groups:
            first = groups[name]
            for kid in field.get("/Kids", []):
                kid.Parent = first
                first.Kids.append(kid)
            continue
        if radio:
            groups[name] = field
        kept.append(field)
    form.Fields = Array(kept)


RADIO = 1 << 15
"""The flag of a group of round buttons among a button field's flags (/Ff)."""
