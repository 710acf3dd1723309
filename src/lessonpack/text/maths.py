"""Mathematics in lesson text: a formula's TeX, checked, and the three forms the renderers draw.

A formula is written in a text field between dollars (``$…$`` inline, ``$$…$$`` displayed; see
:mod:`.richtext`, which finds them) as LaTeX's maths mode has it. One conversion serves every output:
TeX → MathML (latex2mathml, through ziamath's own front end, which reads ``aligned`` and ``\\binom``),
then MathML → SVG paths for the PDF and the web page (ziamath, drawn with the STIX Two Math font it
ships, so no glyph depends on the machine's fonts) and MathML → OMML, Word's own equations
(mathml-to-omml). :func:`problem` runs all three, so a lesson ``check`` passes draws in every format.

latex2mathml is lenient: an unknown command comes out as its own name, a brace that is never closed is
closed for you, ``50%`` loses everything after the ``%``. Those are errors here, with the library's
reason where it gives one, said for a teacher.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from .. import limits

MATHML = "http://www.w3.org/1998/Math/MathML"
SVG = "http://www.w3.org/2000/svg"
OMML = "http://schemas.openxmlformats.org/officeDocument/2006/math"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

UNITS_PER_EM = 100.0
"""The size ziamath draws at: the SVG's coordinates are hundredths of an em of the text around it."""


class FormulaProblem(ValueError):
    """A formula that cannot be drawn: what is wrong (``reason``) and what to do (``hint``)."""

    def __init__(self, reason: str, hint: str):
        super().__init__(reason)
        self.reason, self.hint = reason, hint


GENERAL_HINT = ("write the formula as LaTeX's maths mode has it, such as $\\frac{1}{2}$ or $x^{2}$; a dollar that "
                "is money is written \\$")

REFUSED = {
    r"\newcommand": "defines a command", r"\renewcommand": "defines a command",
    r"\providecommand": "defines a command", r"\def": "defines a command", r"\let": "defines a command",
    r"\newenvironment": "defines an environment", r"\renewenvironment": "defines an environment",
    r"\DeclareMathOperator": "defines an operator",
}
"""Commands a lesson's formula may not use: a definition is expanded by latex2mathml without bound on how much
text it makes (a few lines can ask for millions of symbols); write the formula out, or use \\operatorname{…}."""

_REASONS = {
    "MissingSuperScriptOrSubscriptError": "a ^ or _ has nothing after it",
    "NoAvailableTokensError": "it ends before a command has all its parts (a { never closed, or \\sqrt, \\frac or "
                              "^ with nothing after it)",
    "ExtraLeftOrMissingRightError": "a \\left has no \\right to close it, or a \\right no \\left to open it",
    "DoubleSubscriptsError": "one thing has two subscripts (x_1_2)",
    "DoubleSuperscriptsError": "one thing has two superscripts (x^2^3)",
    "MissingEndError": "a \\begin{…} has no matching \\end{…}",
    "InvalidAlignmentError": "an array's column letters are not l, c, r or |",
    "InvalidWidthError": "a width is not a length such as 2em",
    "InvalidStyleForGenfracError": "\\genfrac's style is not 0, 1, 2 or 3",
    "LimitsMustFollowMathOperatorError": "\\limits follows something that is not an operator such as \\sum",
    "NumeratorNotFoundError": "a fraction has no numerator",
    "DenominatorNotFoundError": "a fraction has no denominator",
}
"""latex2mathml's exceptions (their names are all it says), in words."""

_ARITY = {"mfrac": (2, "a fraction needs two groups: \\frac{1}{2}"),
          "msup": (2, "a power needs something to raise: x^{2}"),
          "msub": (2, "a subscript needs something to go under: x_{1}"),
          "msubsup": (3, "x_{1}^{2} needs a base, a subscript and a power"),
          "mroot": (2, "a root needs its index and its radicand: \\sqrt[3]{8}"),
          "mover": (2, "an accent or overline needs something under it: \\vec{v}"),
          "munder": (2, "an underline needs something over it: \\underline{x}"),
          "munderover": (3, "limits need an operator, what goes under and what goes over: \\sum_{i=1}^{n}")}
"""MathML elements with a fixed number of parts: a command given too few arguments makes one short."""

_UNESCAPED_PERCENT = re.compile(r"(?<!\\)(?:\\\\)*%")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^}]*)\}")


def _environments() -> frozenset[str]:
    from latex2mathml import commands

    return frozenset(name.lstrip("\\") for name in commands.MATRICES if name.startswith("\\")) | {"aligned"}


def _camel_words(name: str) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name.removesuffix("Error")).lower()
    return words or "it cannot be read"


def _braces(tex: str) -> None:
    """Every { closed by a }, in order (latex2mathml closes an open one at the end and prints a stray } as a
    character)."""
    from latex2mathml.tokenizer import tokenize

    depth = 0
    for token in tokenize(tex):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                raise FormulaProblem("a } closes a group that was never opened",
                                     "remove the }, or add the { that opens its group")
    if depth > 0:
        raise FormulaProblem(f"{depth} {{ {'is' if depth == 1 else 'are'} never closed",
                             "close each group with a }: \\frac{1}{2}")


def _environment_pairs(tex: str) -> None:
    known = _environments()
    stack: list[str] = []
    for kind, name in _ENVIRONMENT.findall(tex):
        name = name.strip()
        if kind == "begin":
            if name not in known:
                raise FormulaProblem(f"the environment {name!r} is not one lessonpack can draw",
                                     "use aligned, cases, array or a matrix: matrix, pmatrix, bmatrix, vmatrix")
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise FormulaProblem(f"\\end{{{name}}} does not close the last \\begin{{…}} opened",
                                 "pair each \\begin{…} with its own \\end{…}, innermost first")
    if stack:
        raise FormulaProblem(f"\\begin{{{stack[-1]}}} has no \\end{{{stack[-1]}}}",
                             f"close it with \\end{{{stack[-1]}}}")


def _before(tex: str) -> None:
    """What latex2mathml would pass over in silence."""
    if len(tex) > limits.MAX_FORMULA_CHARS:
        raise FormulaProblem(f"it is {len(tex):,} characters long; the limit for one formula is "
                             f"{limits.MAX_FORMULA_CHARS:,}", "split it into several formulas")
    for command in _COMMAND.findall(tex):
        if command in REFUSED:
            raise FormulaProblem(f"{command} {REFUSED[command]}, which a lesson's formula may not do",
                                 "write the formula out in full (\\operatorname{name} names an operator)")
    if _UNESCAPED_PERCENT.search(tex):
        raise FormulaProblem("a % starts a comment in TeX, so the rest of the formula would be lost",
                             "write \\% for a percent sign")
    if re.search(r"(?<!\\)&", tex) and not _ENVIRONMENT.search(tex):
        raise FormulaProblem("an & stands outside a table (a matrix, cases or aligned lines)",
                             "write \\& for an ampersand, or put the & inside \\begin{aligned}…\\end{aligned}")
    _braces(tex)
    _environment_pairs(tex)


def _after(root: ET.Element) -> None:
    """What the MathML latex2mathml made says about the TeX: an unknown command printed as its own name, a
    command short of an argument."""
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        for text in (element.text or "",):
            unknown = _COMMAND.search(text)
            if unknown:
                raise FormulaProblem(f"{unknown.group()} is not a command lessonpack knows",
                                     "check its spelling; lessonpack draws the commands of LaTeX's maths mode "
                                     "(amsmath), not those of other packages such as \\ce or \\si: write a unit "
                                     "as \\text{m/s} or \\mathrm{m\\,s^{-1}}")
        if name in _ARITY and len(element) != _ARITY[name][0]:
            raise FormulaProblem("a command is missing a part", _ARITY[name][1])


_SIGNS = frozenset("+-\u2212\u00b1\u2213")
_CLOSING = frozenset(")]}|\u2016\u27e9\u230b\u2309")


def _signs(root: ET.Element) -> None:
    """A plus or minus sign after an operator, a relation or an opening bracket is a sign, not an operation
    (TeX sets $y = -x$ without the spaces of $a - x$); latex2mathml leaves every one infix, so it is marked."""
    for element in root.iter():
        previous = None
        for child in element:
            if (child.tag == f"{{{MATHML}}}mo" and (child.text or "").strip() in _SIGNS and previous is not None
                    and previous.tag == f"{{{MATHML}}}mo" and (previous.text or "").strip() not in _CLOSING
                    and "form" not in child.attrib):
                child.set("form", "prefix")
            previous = child


@lru_cache(maxsize=4096)
def _mathml(tex: str, display: bool) -> str:
    _before(tex)
    from ziamath.tex import tex2mml  # latex2mathml, with ziamath's rewrites (aligned, \binom)

    try:
        mathml = tex2mml(tex, inline=not display)
    except RecursionError:
        raise FormulaProblem("it nests too deeply", "write it with fewer groups inside groups") from None
    except Exception as exc:  # latex2mathml's exceptions carry only their class name
        name = type(exc).__name__
        reason = _REASONS.get(name, _camel_words(name))
        raise FormulaProblem(f"latex2mathml cannot read it: {reason}", GENERAL_HINT) from None
    try:  # latex2mathml writes the & of \text{a \& b} bare
        root = ET.fromstring(re.sub(r"&(?!#?\w+;)", "&amp;", mathml))
    except ET.ParseError:
        raise FormulaProblem("latex2mathml made MathML that cannot be read", GENERAL_HINT) from None
    _after(root)
    _signs(root)
    for element in root.iter():  # written back with the namespace declared once, as latex2mathml wrote it
        element.tag = element.tag.rpartition("}")[2]
    root.set("xmlns", MATHML)
    return ET.tostring(root, encoding="unicode")


def mathml(tex: str, display: bool = False) -> str:
    """The formula as MathML (``display``: set on a line of its own); :class:`FormulaProblem` if it cannot be
    drawn."""
    return _mathml(tex.strip(), display)


ROW_SPACING = "0.55em"
"""The room between the rows of aligned lines, a matrix or cases in a drawn formula (between their inks)."""


@dataclass(frozen=True)
class Drawing:
    """A formula drawn as SVG paths: its ``svg`` (an ``<svg>`` element without size) and its size in ems of
    the text around it: ``width``, ``height`` and ``depth`` (how far below the baseline it reaches; negative
    when all of it stands above)."""

    svg: str
    width: float
    height: float
    depth: float


@lru_cache(maxsize=4096)
def _drawing(tex: str, display: bool) -> Drawing:
    source = _mathml(tex, display)
    import ziamath

    ziamath.config.svg2 = False  # every glyph as a path of its own: no ids, so formulas never share one
    ziamath.config.math.color = "currentColor"  # the colour of the text around it (a model answer's)
    root = ET.fromstring(source)
    for table in root.iter(f"{{{MATHML}}}mtable"):
        # ziamath spaces rows by their ink (latex2mathml's 3pt, TeX's \jot, which TeX adds to a whole line's
        # height), so aligned lines of figures almost touched; a little over half an em between inks is near TeX.
        table.set("rowspacing", ROW_SPACING)
    try:
        math = ziamath.Math(root, size=UNITS_PER_EM, margin=0)  # a string it would unescape
        svg = math.svgxml()
    except Exception as exc:  # ziamath asserts what it cannot lay out
        raise FormulaProblem(f"ziamath cannot draw it ({type(exc).__name__})", GENERAL_HINT) from None
    box = math.node.bbox
    width, height = (box.xmax - box.xmin) / UNITS_PER_EM, (box.ymax - box.ymin) / UNITS_PER_EM
    for name in ("width", "height"):
        svg.attrib.pop(name, None)
    text = ET.tostring(svg, encoding="unicode")
    return Drawing(text, round(width, 4), round(height, 4), round(-box.ymin / UNITS_PER_EM, 4))


def drawing(tex: str, display: bool = False) -> Drawing:
    """The formula drawn with ziamath (:class:`FormulaProblem` if it cannot be)."""
    return _drawing(tex.strip(), display)


_STYLE = re.compile(r'<m:rPr><m:sty m:val="i"/></m:rPr>')
_RADICAL = re.compile(r"<m:rad>(?!<m:radPr>|<m:deg>)")
_EMPTY_RUN = re.compile(r"<m:r>(?:<m:rPr>(?:(?!</m:rPr>).)*</m:rPr>)?<m:t></m:t></m:r>")


@lru_cache(maxsize=4096)
def _omml(tex: str, display: bool) -> str:
    source = _mathml(tex, display)
    from math_ml2omml import convert

    try:
        xml = convert(source)
    except Exception as exc:
        raise FormulaProblem(f"mathml-to-omml cannot turn it into a Word equation ({type(exc).__name__})",
                             GENERAL_HINT) from None
    # Italic is a maths run's own style in Word: said again, pandoc and LibreOffice read it as \mathit{x}.
    xml = _STYLE.sub("", xml)
    # A square root has an empty, hidden degree in OMML; the converter leaves the degree out, which Word's
    # schema does not allow (and other readers take the root's content for its degree).
    xml = _RADICAL.sub('<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>', xml)
    xml = _EMPTY_RUN.sub("", xml)  # latex2mathml's empty <mi/> at an alignment point
    try:  # well-formed, or it says so now rather than in Word
        root = ET.fromstring(xml.replace("<m:oMath>", f'<m:oMath xmlns:m="{OMML}" xmlns:w="{WORD}">', 1))
    except ET.ParseError:
        raise FormulaProblem("mathml-to-omml made a Word equation that cannot be read", GENERAL_HINT) from None
    _column_alignments(root, ET.fromstring(source))
    ET.register_namespace("m", OMML)
    ET.register_namespace("w", WORD)
    return ET.tostring(root, encoding="unicode")


def _column_alignments(root: ET.Element, mathml: ET.Element) -> None:
    """Each matrix its columns' alignment, as the MathML table it was made from has it (aligned lines: right,
    left, so the equals signs line up; cases: left), written as pandoc writes them; the converter leaves every
    column centred. Tables and matrices correspond in document order."""
    m = f"{{{OMML}}}"
    tables = [table.find(f"{{{MATHML}}}mtr") for table in mathml.iter(f"{{{MATHML}}}mtable")]
    for matrix, first in zip(root.iter(f"{m}m"), tables):
        cells = list(first) if first is not None else []
        if not cells or all(cell.get("columnalign") is None for cell in cells) or matrix.find(f"{m}mPr") is not None:
            continue
        properties = ET.Element(f"{m}mPr")
        ET.SubElement(properties, f"{m}baseJc", {f"{m}val": "center"})
        ET.SubElement(properties, f"{m}plcHide", {f"{m}val": "1"})
        columns = ET.SubElement(properties, f"{m}mcs")
        for cell in cells:
            column = ET.SubElement(ET.SubElement(columns, f"{m}mc"), f"{m}mcPr")
            ET.SubElement(column, f"{m}count", {f"{m}val": "1"})
            ET.SubElement(column, f"{m}mcJc", {f"{m}val": cell.get("columnalign") or "center"})
        matrix.insert(0, properties)


def omml(tex: str, display: bool = False) -> str:
    """The formula as an OMML ``<m:oMath>`` element (its namespaces declared), for Word;
    :class:`FormulaProblem` if it cannot be made."""
    return _omml(tex.strip(), display)


def problem(tex: str, display: bool = False) -> FormulaProblem | None:
    """Why the formula cannot be drawn in every format (the PDF's SVG, Word's equation), or None."""
    try:
        drawing(tex, display)
        omml(tex, display)
    except FormulaProblem as exc:
        return exc
    return None


__all__ = ["Drawing", "FormulaProblem", "drawing", "mathml", "omml", "problem"]
