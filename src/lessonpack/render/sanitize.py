"""The HTML a pack's templates produce, made inert before any browser or WeasyPrint sees it.

A pack's templates are untrusted: Jinja's sandbox keeps them from reaching Python, but the HTML they
write is theirs. A browser runs that HTML (``lessonpack preview``, a ``-f html`` file opened from disk),
so this module is the one place where it is cut down to what a handout needs. The policy:

- **Parsed as a browser parses it**, with tinyhtml5 (the parser WeasyPrint uses), then rebuilt from the
  tree by an allowlist and written out again; nothing the pack wrote reaches the output as markup.
- **Elements**: only those on the allowlist below (what lessonpack's own templates use, and the plain
  text elements around them: headings, lists, tables, figures, phrasing). Elements that run, embed,
  load or submit — ``script``, ``noscript``, ``template``, ``iframe``, ``frame``, ``object``, ``embed``,
  ``applet``, ``link``, ``base``, ``audio``, ``video``, ``canvas``, ``button``, ``select`` and the like,
  SVG and MathML (foreign content, the home of parser tricks) — are removed **with** their content;
  any other element not on the list (``form``, ``font``, an unknown tag) is removed and its content kept.
  Comments are removed.
- **Attributes**: the global ones (``class``, ``id``, ``title``, ``lang``, ``dir``, ``role``, ``style``,
  ``hidden``, ``translate``, ``aria-*``, ``data-*``) and a few per element (``img``: ``src alt width
  height``; ``a``: ``href``; ``meta``: ``name content charset``; the fillable form's ``input``: ``type
  name value maxlength…``; table cells' spans…). No event handler (``on…``), no ``http-equiv``, no
  ``srcset``, ``action``, ``formaction``, ``poster``, ``background``, ``ping``, ``target``, ``xlink:href``.
- **Addresses**: ``a href`` keeps only a link inside the document (``#anchor``); ``img src`` keeps only
  ``data:image/…`` and ``file:`` addresses (a relative address is made a ``file:`` address under the
  pack's folder; WeasyPrint loads it through its guarded fetcher, and ``-f html`` and the preview put
  the picture itself in the page, read through the pack-file guard). Any other address is removed.
  Values are checked as a browser reads them: entities decoded by the parser, spaces, tabs and line
  breaks taken out.
- **CSS** (``style`` attributes and ``<style>`` elements), parsed with tinycss2: every ``@import`` and
  ``@namespace`` rule is removed, and so is every declaration or rule whose value holds an address
  other than ``data:`` or ``#fragment`` (``url()``, ``src()``, ``image-set()`` and friends, after CSS
  escapes are decoded), a ``var()``/``attr()`` inside such a function, or ``attr(… url)`` of any
  attribute but ``href``.
- ``<meta>`` only with the names a handout uses (author, description, keywords, generator,
  ``dcterms.*``, ``lessonpack-*``) or ``charset``.
- **Formulas**: a ``<span data-lessonpack-math="inline|display">`` (what the ``rich`` filter writes for a
  formula, :mod:`.maths`) keeps only its text, the formula's TeX, and the ``formulas`` function puts the SVG
  lessonpack draws from that TeX in its place. That SVG is made here, after the templates: it is the only SVG
  that reaches the output, and nothing a template writes inside the span is kept.

What lessonpack's own templates produce passes unchanged (tests/hostile/test_browser.py checks the
samples), so the PDFs are the same with or without this step.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Callable, NamedTuple
from urllib.parse import urljoin

import tinycss2
import tinyhtml5

from .maths import ATTRIBUTE as FORMULA, KINDS as FORMULA_KINDS

HTML_NAMESPACE = "{http://www.w3.org/1999/xhtml}"

GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "style", "hidden", "translate"})
"""Attributes any kept element may carry (with ``aria-*`` and ``data-*``)."""

ELEMENTS: dict[str, frozenset[str]] = {
    name: frozenset(attributes.split()) for name, attributes in {
        # the document
        "html": "", "head": "", "body": "", "title": "", "meta": "name content charset", "style": "media",
        # sections and blocks
        "article": "", "section": "", "nav": "", "header": "", "footer": "", "main": "", "aside": "",
        "address": "", "hgroup": "", "h1": "", "h2": "", "h3": "", "h4": "", "h5": "", "h6": "", "p": "",
        "div": "", "blockquote": "", "pre": "", "hr": "", "figure": "", "figcaption": "", "details": "open",
        "summary": "",
        # lists
        "ul": "", "ol": "start reversed type", "li": "value", "dl": "", "dt": "", "dd": "",
        # tables
        "table": "", "caption": "", "colgroup": "span", "col": "span", "thead": "", "tbody": "", "tfoot": "",
        "tr": "", "td": "colspan rowspan headers", "th": "colspan rowspan headers scope abbr",
        # text
        "span": "", "a": "href", "b": "", "i": "", "u": "", "s": "", "em": "", "strong": "", "small": "",
        "sub": "", "sup": "", "code": "", "kbd": "", "samp": "", "var": "", "mark": "", "q": "", "cite": "",
        "abbr": "", "dfn": "", "time": "datetime", "data": "value", "bdi": "", "bdo": "", "br": "", "wbr": "",
        "ins": "datetime", "del": "datetime", "ruby": "", "rt": "", "rp": "",
        # pictures, and the fillable edition's fields (never inside a form: forms are not kept)
        "img": "src alt width height",
        "input": "type name value maxlength size checked placeholder readonly",
        "textarea": "name rows cols maxlength placeholder readonly",
        "label": "for", "fieldset": "", "legend": "",
    }.items()
}
"""The elements kept, each with the attributes it may carry beyond the global ones."""

REMOVED_WITH_CONTENT = frozenset({
    "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "noembed", "noframes", "xmp", "plaintext", "listing", "link", "base", "audio", "video", "source", "track",
    "picture", "canvas", "map", "area", "button", "select", "option", "optgroup", "datalist", "output",
    "dialog", "portal", "slot", "isindex", "keygen",
})
"""Elements dropped whole: what they hold is code, an embedded document, or not text for a reader."""

INPUT_TYPES = frozenset({"text", "radio", "checkbox"})
"""The only kinds of ``<input>`` kept (the fillable edition's text boxes and round buttons)."""

META_NAMES = re.compile(r"^(?:author|description|keywords|generator|dcterms\.[a-z]+|lessonpack-[a-z-]+)$")
"""The ``<meta name>`` values a handout carries (PDF metadata, the fillable form's lesson and hash)."""

URL_FUNCTIONS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade",
                           "-webkit-cross-fade"})
"""CSS functions whose strings are addresses a browser fetches."""

VOID = frozenset({"br", "col", "hr", "img", "input", "meta", "wbr"})
_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_.-]*$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROLS = re.compile(r"[\t\n\r]")


class Removed(NamedTuple):
    """One thing the sanitiser took out: what it was (``<script> with its content``, ``onerror= on <img>``),
    and for a picture's outside address, the address."""

    what: str
    address: str | None = None


def normal_url(value: str) -> str:
    """An address as a browser's URL parser sees it: outer spaces and controls off, tabs and breaks out."""
    return _CONTROLS.sub("", value.strip("".join(map(chr, range(0x21)))))


def _css_url_is_local(value: str) -> bool:
    url = normal_url(value)
    return url.startswith("#") or url[:5].lower() == "data:"


# -- CSS ------------------------------------------------------------------------------------------


def _reaches_out(tokens, in_url: bool = False) -> bool:
    """Whether CSS component values hold an address other than ``data:`` or ``#fragment`` (or cannot be
    told apart from one: a malformed ``url(``, a ``var()`` that would fill in an address)."""
    for token in tokens or ():
        kind = token.type
        if kind == "url":
            if not _css_url_is_local(token.value):
                return True
        elif kind == "string":
            if in_url and not _css_url_is_local(token.value):
                return True
        elif kind == "error":
            return True
        elif kind == "function":
            name = token.lower_name
            if name in URL_FUNCTIONS:
                if _reaches_out(token.arguments, in_url=True):
                    return True
            elif in_url and name != "type":  # var(), env(), attr()… inside an address: unknowable, so out
                return True
            elif name == "attr" and _attr_is_url(token.arguments):
                return True
            elif name != "type" and _reaches_out(token.arguments, in_url):
                return True
        elif kind in ("() block", "[] block", "{} block"):
            if _reaches_out(token.content, in_url):
                return True
    return False


def _attr_is_url(arguments) -> bool:
    """``attr(name url)`` or ``attr(name type(<url>))``, except of ``href`` (always ``#anchor`` here)."""
    idents = [t.lower_value for t in arguments if t.type == "ident"]
    typed = any(t.type == "function" and t.lower_name == "type" and
                any(a.type == "ident" and a.lower_value == "url" for a in t.arguments) for t in arguments)
    return (typed or "url" in idents[1:]) and (not idents or idents[0] != "href")


def _clean_block(tokens, *, rules: bool = True) -> tuple[str, bool]:
    """A block's contents (declarations and nested rules) without what reaches out: (CSS, anything removed)."""
    out: list[str] = []
    changed = False
    for item in tinycss2.parse_blocks_contents(tokens):
        kind = item.type
        if kind in ("whitespace", "comment"):
            out.append(item.serialize())
        elif kind == "declaration":
            if _reaches_out(item.value):
                changed = True
            else:
                out.append(tinycss2.serialize([item]))  # with its ";"
        elif kind in ("qualified-rule", "at-rule") and rules:
            text, removed = _clean_rule(item)
            changed |= removed
            out.append(text or "")
        else:  # a parse error, or a rule where only declarations belong (a style attribute)
            changed = True
    return "".join(out), changed


def _clean_rule(rule) -> tuple[str | None, bool]:
    """A rule without what reaches out (None: the whole rule goes), and whether anything was removed."""
    if rule.type == "at-rule" and rule.lower_at_keyword in ("import", "namespace"):
        return None, True
    if _reaches_out(rule.prelude):
        return None, True
    if rule.content is None:
        return tinycss2.serialize([rule]), False
    inner, changed = _clean_block(rule.content)
    if not changed:
        return tinycss2.serialize([rule]), False
    head = "@" + tinycss2.serialize_identifier(rule.at_keyword) if rule.type == "at-rule" else ""
    return f"{head}{tinycss2.serialize(rule.prelude)}{{{inner}}}", True


def clean_stylesheet(text: str) -> str:
    """A ``<style>`` element's CSS without imports and outside addresses (unchanged if it had none)."""
    out: list[str] = []
    changed = False
    for rule in tinycss2.parse_stylesheet(text):
        if rule.type in ("whitespace", "comment"):
            out.append(rule.serialize())
        elif rule.type == "error":
            changed = True
        else:
            rewritten, removed = _clean_rule(rule)
            changed |= removed
            out.append(rewritten or "")
    css = "".join(out) if changed else text
    # Never end the <style> element early: "<" only ever appears in CSS inside strings and comments.
    return css.replace("<", "\\3c ") if "</" in css or "<!--" in css else css


def clean_style_attribute(text: str) -> str:
    """A ``style`` attribute's declarations without outside addresses (unchanged if it had none)."""
    css, changed = _clean_block(text, rules=False)
    return css if changed else text


# -- HTML -----------------------------------------------------------------------------------------


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


class _Cleaner:
    def __init__(self, base_url: str | None, pictures: Callable[[str], str | None] | None,
                 removed: list[Removed], formulas: Callable[[str, str], str | None] | None = None):
        self.base_url, self.pictures, self.removed, self.formulas = base_url, pictures, removed, formulas
        self.marks: dict[int, str] = {}  # element id() → HTML to put first inside it (trusted, ours)

    def attribute(self, tag: str, name: str, value: str) -> str | None:
        """The value to keep for an attribute, or None to drop it."""
        if not _ATTRIBUTE_NAME.match(name) or not (
                name in GLOBAL_ATTRIBUTES or name in ELEMENTS[tag] or name.startswith(("aria-", "data-"))):
            return None
        if name == "style":
            return clean_style_attribute(value)
        if tag == "a" and name == "href":
            return value if normal_url(value).startswith("#") else None
        if tag == "img" and name == "src":
            return self.picture(value)
        if tag == "input" and name == "type":
            return value if value.lower() in INPUT_TYPES else None
        return value

    def picture(self, value: str) -> str | None:
        """A picture's address kept (a file's made absolute, or put in the page by ``pictures``), or None."""
        url = normal_url(value)
        scheme = _SCHEME.match(url)
        if scheme is None and url and self.base_url is not None and not url.startswith("/") and "\\" not in url:
            url = urljoin(self.base_url, url)  # relative: a file in the pack
            scheme = _SCHEME.match(url)
        kind = scheme.group(1).lower() if scheme else ""
        if kind == "data" and url[5:].lstrip().lower().startswith("image/"):
            return value
        if kind != "file":
            self.removed.append(Removed("src= on <img>", value))
            return None
        return self.pictures(url) if self.pictures is not None else url  # pictures() says why it refuses

    def verdict(self, element: ET.Element) -> tuple[str, str]:
        """("keep" | "unwrap" | "drop", local name)."""
        tag = element.tag
        if not isinstance(tag, str):
            return "drop", "comment"
        if not tag.startswith(HTML_NAMESPACE):  # SVG, MathML
            return "drop", tag.rpartition("}")[2]
        name = tag[len(HTML_NAMESPACE):]
        if name == "meta":
            meta_name = (element.get("name") or "").lower()
            named = META_NAMES.match(meta_name) and "http-equiv" not in element.keys()
            if named or set(element.keys()) == {"charset"}:
                return "keep", name
            return "drop", name
        if name in ELEMENTS:
            return "keep", name
        if name in REMOVED_WITH_CONTENT:
            return "drop", name
        return "unwrap", name

    def serialise(self, root: ET.Element) -> str:
        out = ["<!DOCTYPE html>"]
        stack: list[ET.Element | str] = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
                continue
            tail = _escape_text(item.tail) if item.tail and item is not root else ""
            verdict, name = self.verdict(item)
            if verdict == "drop":
                if name != "comment":
                    held = item.text or len(item)
                    self.removed.append(Removed(f"<{name}> with its content" if held else f"<{name}>"))
                out.append(tail)
                continue
            text = item.text or ""
            if verdict == "unwrap":
                self.removed.append(Removed(f"<{name}> (its content kept)"))
                out.append(_escape_text(text))
                stack.append(tail)
            else:
                attributes = []
                for key, value in item.items():
                    kept = self.attribute(name, key, value)
                    if kept is None:
                        if (name, key) != ("img", "src"):  # a picture's address is noted by picture()
                            self.removed.append(Removed(f"{key}= on <{name}>"))
                        continue
                    if key == "style" and kept != value:
                        self.removed.append(Removed(f"part of style= on <{name}>"))
                    attributes.append(f' {key}="{_escape_attribute(kept)}"')
                out.append(f"<{name}{''.join(attributes)}>")
                if name == "style":
                    css = clean_stylesheet(text)
                    if css != text:
                        self.removed.append(Removed("part of a <style>"))
                    out.append(css)
                else:
                    if name in ("pre", "textarea") and text.startswith("\n"):
                        out.append("\n")  # the parser drops one line break right after the start tag
                    if name == "span" and item.get(FORMULA) in FORMULA_KINDS:  # a formula: drawn here, or its TeX
                        tex = "".join(item.itertext())
                        drawn = self.formulas(tex, item.get(FORMULA)) if self.formulas is not None else None
                        out.append(self.marks.get(id(item), "") + (drawn or _escape_text(tex)))
                        stack.extend((tail, f"</{name}>"))
                        continue
                    out.append(self.marks.get(id(item), "") + _escape_text(text))
                stack.append(tail)
                if name not in VOID:
                    stack.append(f"</{name}>")
            stack.extend(reversed(list(item)))
        return "".join(out)


def clean_document(html: str, *, base_url: str | None = None,
                   pictures: Callable[[str], str | None] | None = None,
                   removed: list[Removed] | None = None,
                   language_mark: Callable[[str], str] | None = None,
                   formulas: Callable[[str, str], str | None] | None = None) -> str:
    """``html`` (a whole document) rebuilt by the policy above.

    ``base_url`` (the pack folder as a ``file:`` URI ending in ``/``) resolves a picture's relative
    address; without it relative addresses are removed. ``pictures``, if given, maps each picture's
    ``file:`` address to what to put in its place (a ``data:`` URI), or None to remove the address.
    ``removed`` collects a :class:`Removed` for each thing taken out. ``language_mark``, if given, makes the
    HTML put first inside each element with its own ``lang`` (and inside every ``<blockquote>``, with the
    language it has), given that language: the PDF's language tags (see :mod:`.pdfpost`). A table's language
    goes to its cells, which hold its text. ``formulas``, if given, maps a formula's TeX and kind ("inline",
    "display") to the SVG drawn in its place, or None to leave its TeX as text.
    """
    root = tinyhtml5.parse(html)
    cleaner = _Cleaner(base_url, pictures, removed if removed is not None else [], formulas)
    if language_mark is not None:
        cleaner.marks = _language_marks(root, language_mark)
    return cleaner.serialise(root)


_NO_MARK = frozenset({"html", "head", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "col", "ul", "ol",
                      "select", "textarea", "img", "input", "br", "hr", "script", "style"})
"""Elements a marker cannot go first inside (it would not be their content, or they hold none)."""


def _language_marks(root: ET.Element, mark: Callable[[str], str]) -> dict[int, str]:
    """Each element to mark (by ``id()``) → the marker to put first inside it."""
    out: dict[int, str] = {}

    def visit(element: ET.Element, inherited: str) -> None:
        if not isinstance(element.tag, str):
            return
        name = element.tag.rpartition("}")[2]
        own = element.get("lang")
        lang = own if own is not None else inherited
        if name == "table" and own:
            for cell in element.iter():
                if isinstance(cell.tag, str) and cell.tag.rpartition("}")[2] in ("td", "th", "caption") \
                        and cell.get("lang") is None:
                    cell.set("lang", own)
        fresh = own is not None and own.lower() != inherited.lower()  # a language of its own, not its parent's
        if name not in _NO_MARK and lang and (fresh or name == "blockquote") and _LANGUAGE.match(lang):
            out[id(element)] = mark(lang)
        for child in element:
            visit(child, lang)

    visit(root, "")
    return out


_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


__all__ = ["Removed", "clean_document", "clean_style_attribute", "clean_stylesheet", "normal_url"]
