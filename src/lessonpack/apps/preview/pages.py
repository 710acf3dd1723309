"""The preview's pages: the pack's index, a lesson's edition as the pages its PDF prints, and the panel of problems.

A lesson page shows the lesson's PDF, rendered as a build renders it (the same templates, style and WeasyPrint
layout, so the same page breaks, running header and footer, and page numbers), each page as a picture drawn from
that PDF (:mod:`lessonpack.render.raster`), on a grey desk, with the page's text beside it for screen readers and
the browser's find. No HTML of the pack's reaches the browser: the page is lessonpack's own, and so is the one
script that runs in it, which reloads the page when the preview says a file changed. Every page is sent with
:func:`policy`, which allows a script only with the response's nonce (:func:`with_scripts`), and loads nothing
from anywhere but the preview itself.
"""

from __future__ import annotations

import secrets
from html import escape

from ... import limits
from ...errors import Diagnostic
from ...render.raster import PageImage

GAP = 18
"""Points of grey between two pages on the screen."""

PX = 4 / 3
"""CSS pixels per point: a page is shown at its printed size (96 CSS pixels to the inch)."""

RELOAD = """<script>
(function () {
  var events = new EventSource("/events");
  events.onmessage = function (e) { if (e.data === "reload") { events.close(); location.reload(); } };
})();
</script>"""

SCREEN_CSS = f"""
html {{ background: #8a8a8a; }}
body {{ margin: 0; padding: 48px 0 24px; font: 14px/1.2 system-ui, sans-serif; }}
.lp-bar {{ position: fixed; top: 0; left: 0; right: 0; z-index: 10; background: #1f2a37; color: #fff;
          padding: 8px 16px; display: flex; gap: 16px; align-items: center; }}
.lp-bar a {{ color: #fff; }}
.lp-bar .lp-here {{ font-weight: bold; }}
.lp-page {{ position: relative; margin: 0 auto {GAP}pt; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.4); }}
.lp-page img {{ display: block; width: 100%; height: 100%; }}
.lp-text {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: pre-wrap; }}
.lp-more {{ max-width: 40em; margin: 0 auto; padding: 12px 16px; background: #fff; }}
"""


def downloads(lesson_id: str, edition: str) -> str:
    """Links that build one lesson's edition in each output format that has it (the page itself is ``html``)."""
    from ...plugins import format_names, output_format

    links = []
    for name in format_names():
        fmt = output_format(name)
        if name != "html" and edition in fmt.editions:
            links.append(f'<a href="/lesson/{lesson_id}/{edition}.{name}">{escape(fmt.noun)}</a>')
    return "".join(links)


def lesson_page(*, lesson_id: str, title: str, language: str, edition: str, pages: tuple[PageImage, ...],
                count: int, version: str) -> str:
    """A lesson's edition as the pages of its PDF: ``pages`` (the first of ``count``) as pictures served at
    ``/lesson/<id>/<edition>/page-<n>.png?v=<version>``, each with its text; without its script
    (:func:`with_scripts` adds it to each response)."""
    other = "teacher" if edition == "student" else "student"
    bar = (f'<nav class="lp-bar"><a href="/">All lessons</a><span class="lp-here">{escape(lesson_id)} · {edition}</span>'
           f'<a href="/lesson/{lesson_id}/{other}">{other} edition</a>'
           f"{downloads(lesson_id, edition)}</nav>")
    sheets = []
    for n, page in enumerate(pages, 1):
        sheets.append(
            f'<figure class="lp-page" id="page-{n}" style="width: {page.width * PX:.2f}px; height: {page.height * PX:.2f}px">'
            f'<img src="/lesson/{lesson_id}/{edition}/page-{n}.png?v={escape(version)}" alt="Page {n} of {count}">'
            f'<figcaption class="lp-text">{escape(page.text)}</figcaption></figure>')
    if count > len(pages):
        sheets.append(f'<p class="lp-more">The preview shows the first {len(pages)} of its {count} pages '
                      f'(at most {limits.PREVIEW_PAGES}); the <a href="/lesson/{lesson_id}/{edition}.pdf">PDF</a> '
                      "has them all.</p>")
    return (f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)} · {edition} edition — preview</title><style>{SCREEN_CSS}</style></head>"
            f'<body>{bar}<main class="lp-pages" aria-label="{count} page{"s" if count != 1 else ""}, as the PDF '
            f'prints {"them" if count != 1 else "it"}">{"".join(sheets)}</main></body></html>')


def new_nonce() -> str:
    """A fresh nonce for one response: the scripts it carries run, nothing else does."""
    return secrets.token_urlsafe(18)


def policy(nonce: str) -> str:
    """The Content-Security-Policy of every preview page: lessonpack's script (by ``nonce``) and nothing else;
    connections, pictures, fonts and stylesheets from the preview only (pictures also as ``data:``)."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; "
            "font-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


def with_scripts(html: str, nonce: str) -> str:
    """A page with the reloading script before its last ``</body>``, marked with ``nonce``."""
    scripts = RELOAD.replace("<script>", f'<script nonce="{nonce}">')
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
