"""The preview's pages: the pack's index, a lesson's edition as paged HTML, and the panel of problems.

A lesson page is the HTML the PDF is drawn from (same templates, same style, sanitised, its pictures
inside it), with three additions for the screen: the style's fonts served by the preview, sheets of the
chosen paper with the content pushed past each page's foot as the printed page would break it, and a
script that reloads the page when the preview says a file changed. The two scripts are lessonpack's own
and the only ones that run: every page is sent with :func:`policy`, which allows a script only with the
response's nonce (:func:`with_scripts`), and loads nothing from anywhere but the preview itself.
"""

from __future__ import annotations

import re
import secrets
from html import escape
from pathlib import Path

from ...errors import Diagnostic
from ...styles.fonts import font_faces_css
from ...render.html import STANDALONE_POLICY_META
from ...styles.geometry import Geometry
from ...styles.loader import Style
GAP = 18
"""Points of grey between two sheets on the screen."""

RELOAD = """<script>
(function () {
  var events = new EventSource("/events");
  events.onmessage = function (e) { if (e.data === "reload") { events.close(); location.reload(); } };
})();
</script>"""

PAGINATE = """<script>
/* Push every block that would cross a page's foot to the top of the next sheet, as print breaks it. */
(function () {
  var sheet = document.querySelector(".lp-sheet");
  var article = sheet && sheet.querySelector("article");
  if (!article) return;
  var pt = 4 / 3, page = +sheet.dataset.height * pt, top = +sheet.dataset.top * pt,
      foot = +sheet.dataset.bottom * pt, gap = +sheet.dataset.gap * pt;
  /* Whole blocks only: a spacer may not go inside a table or a flex box (the glossary, the key). */
  var atoms = ".masthead > *, section > h2, section > h3, .reading > *, .glossary, .prompts > li, " +
              ".source, .q, .key, ul.stats > li, .overview > *, .objectives > li, .worksheet-head, " +
              ".instructions, .total";
  var period = page + gap, origin = sheet.getBoundingClientRect().top + window.scrollY;
  function y(el) { return el.getBoundingClientRect().top + window.scrollY - origin; }
  function push(el, to) {
    var spacer = document.createElement("div");
    spacer.className = "lp-spacer";
    spacer.style.height = Math.max(0, to - y(el)) + "px";
    el.parentNode.insertBefore(spacer, el);
  }
  var blocks = Array.prototype.filter.call(article.querySelectorAll(atoms), function (el) {
    return !el.parentElement.closest(".q, .source, .glossary, .key, .masthead > *");
  });
  blocks.forEach(function (el) {
    var start = y(el), n = Math.floor(start / period), contentTop = n * period + top,
        contentFoot = n * period + page - foot, height = el.getBoundingClientRect().height;
    var forced = el.matches("section.new-page > h2") && start > top + 1;
    if (forced || (start + height > contentFoot && height < page - top - foot)) {
      push(el, (n + 1) * period + top);
    } else if (start < contentTop) {
      push(el, contentTop);
    }
  });
  var pages = Math.ceil((article.getBoundingClientRect().height + top) / period);
  sheet.style.height = (pages * period - gap) + "px";
})();
</script>"""


def screen_css(geometry: Geometry) -> str:
    """Sheets of paper on a grey desk: the page's size and margins, and a gap between pages."""
    g = geometry
    period = g.page_height + GAP
    return f"""
html {{ background: #8a8a8a; }}
body {{ margin: 0; padding: 48px 0 24px; }}
.lp-bar {{ position: fixed; top: 0; left: 0; right: 0; z-index: 10; background: #1f2a37; color: #fff;
          font: 14px/1.2 system-ui, sans-serif; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }}
.lp-bar a {{ color: #fff; }}
.lp-bar .lp-here {{ font-weight: bold; }}
.lp-sheet {{ box-sizing: border-box; width: {g.page_width}pt; margin: 0 auto;
            padding: {g.top}pt {g.right}pt 0 {g.left}pt;
            background: repeating-linear-gradient(to bottom, #fff 0, #fff {g.page_height}pt,
                        #8a8a8a {g.page_height}pt, #8a8a8a {period}pt); }}
"""


def _fonts_css(style: Style, fonts: list[Path]) -> str:
    """The style's bundled fonts, served by the preview at /font/N (N: the file's place in ``fonts``)."""
    css = font_faces_css(style.tokens.fonts.body + style.tokens.fonts.heading)

    def served(match: re.Match) -> str:
        path = Path(match.group(1).removeprefix("file://"))
        if path not in fonts:
            fonts.append(path)
        return f'url("/font/{fonts.index(path)}")'

    return re.sub(r'url\("(file://[^"]+)"\)', served, css)


def downloads(lesson_id: str, edition: str) -> str:
    """Links that build one lesson's edition in each output format that has it (the page itself is ``html``)."""
    from ...plugins import format_names, output_format

    links = []
    for name in format_names():
        fmt = output_format(name)
        if name != "html" and edition in fmt.editions:
            links.append(f'<a href="/lesson/{lesson_id}/{edition}.{name}">{escape(fmt.noun)}</a>')
    return "".join(links)


def lesson_page(html: str, *, lesson_id: str, edition: str, style: Style, geometry: Geometry,
                fonts: list[Path]) -> str:
    """A lesson's edition (the ``-f html`` document: the HTML the PDF is drawn from) for the screen, without
    its scripts (:func:`with_scripts` adds them to each response)."""
    other = "teacher" if edition == "student" else "student"
    bar = (f'<nav class="lp-bar"><a href="/">All lessons</a><span class="lp-here">{escape(lesson_id)} · {edition}</span>'
           f'<a href="/lesson/{lesson_id}/{other}">{other} edition</a>'
           f"{downloads(lesson_id, edition)}</nav>")
    g = geometry
    head = f"<style>{_fonts_css(style, fonts)}{screen_css(geometry)}</style>"
    html = html.replace(STANDALONE_POLICY_META, "", 1)  # the page's policy is the preview's header
    html = html.replace("</head>", head + "</head>", 1)
    html = re.sub(r"(<body[^>]*>)", lambda m: f'{m.group(1)}{bar}<div class="lp-sheet" data-height="{g.page_height}" '
                  f'data-top="{g.top}" data-bottom="{g.bottom}" data-gap="{GAP}">', html, count=1)
    return html.replace("</body>", "</div></body>", 1)


def new_nonce() -> str:
    """A fresh nonce for one response: the scripts it carries run, nothing else does."""
    return secrets.token_urlsafe(18)


def policy(nonce: str) -> str:
    """The Content-Security-Policy of every preview page: lessonpack's two scripts (by ``nonce``) and nothing
    else; connections, pictures, fonts and stylesheets from the preview only (pictures also as ``data:``)."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; "
            "font-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


def with_scripts(html: str, nonce: str) -> str:
    """A page with the paginating and reloading scripts before its last ``</body>``, marked with ``nonce``."""
    scripts = (PAGINATE + RELOAD).replace("<script>", f'<script nonce="{nonce}">')
    at = html.rfind("</body>")
    return html[:at] + scripts + html[at:] if at >= 0 else html + scripts


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>'
            "body { font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60em; padding: 24px; }"
            "h1 { font-size: 1.5em; } .problems { border: 2px solid #b00020; border-radius: 6px; padding: 12px 16px; }"
            ".problems pre { white-space: pre-wrap; font: 14px/1.4 ui-monospace, monospace; margin: 0 0 8px; }"
            "td, th { padding: 4px 12px 4px 0; text-align: left; }"
            f"</style></head><body>{body}</body></html>")


def problems_panel(problems: list[Diagnostic]) -> str:
    """The check messages, as `lessonpack check` prints them (file:line:col, message, hint)."""
    errors = sum(p.is_error for p in problems)
    head = f"{errors} error{'s' if errors != 1 else ''}" if errors else "warnings"
    lines = "".join(f"<pre>{escape(p.format())}</pre>" for p in problems)
    return (f'<section class="problems" role="alert"><h2>lessonpack check: {head}</h2>{lines}'
            "<p>Fix the file and save it: this page updates by itself.</p></section>")


def error_page(title: str, problems: list[Diagnostic]) -> str:
    """What a lesson page shows while its files have errors."""
    return _page(title, f'<p><a href="/">All lessons</a></p><h1>{escape(title)}</h1>{problems_panel(problems)}')


def index_page(title: str, lessons: list[tuple[str, str]], problems: list[Diagnostic]) -> str:
    """The pack's lessons, each with its editions and downloads; the pack's problems above them."""
    rows = "".join(
        f"<tr><td>{escape(name)}</td>"
        + "".join(f'<td><a href="/lesson/{lid}/{e}">{e}</a> ({downloads(lid, e).replace("</a><a", "</a>, <a")})</td>'
                  for e in ("student", "teacher"))
        + "</tr>" for lid, name in lessons)
    table = (f"<table><tr><th>Lesson</th><th>Student edition</th><th>Teacher edition</th></tr>{rows}</table>"
             if lessons else "<p>No lesson to show yet.</p>")
    panel = problems_panel(problems) if problems else ""
    return _page(title, f"<h1>{escape(title)}</h1>{panel}{table}")
