"""The preview server: the pack's lessons as the pages their PDFs print, on this machine, reloaded when a file is
saved.

It listens on the loopback address only, unless told otherwise. Pages are rendered in limited processes,
as a build renders (a pack is untrusted); nothing is written into the pack. A watcher thread (watchfiles)
bumps a generation number when a file the pack's last reading read changes (a lesson, a picture, the
style, a template, the pack's settings: see :mod:`lessonpack.apps.preview.watch`); open pages wait on
``/events`` (server-sent events) and reload. Each lesson's edition is planned again only when the inputs
it depends on changed.

Any web page the teacher visits can send requests to 127.0.0.1, so the preview holds its totals down
(:mod:`lessonpack.limits`): at most ``PREVIEW_RENDERS`` documents render at once and a request that
waits longer than ``PREVIEW_RENDER_WAIT`` for one is refused (503); at most ``PREVIEW_CONNECTIONS``
connections are served at once; a client has ``PREVIEW_HEADER_TIMEOUT`` seconds for its request and
``PREVIEW_SEND_TIMEOUT`` to take each answer. A client that goes away is no news (nothing is printed),
and an unexpected error is a short 500 answer and one line in the terminal, never a traceback.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from ... import limits
from ...building.builder import render_one, render_pages
from ...building.jobs import Settings, lesson_hash, resolve, shared_key
from ...errors import Diagnostic, LessonpackError, printable
from ...building.check import check_and_load
from ...load.pack import Pack, pack_root
from ...load.packfiles import recording_reads
from ...plugins import format_names, output_format
from ...text.richtext import inline, plain
from . import pages
from .watch import Warn, Watcher

LESSON_PAGE = re.compile(r"^/lesson/(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<edition>student|teacher)"
                         r"(?:\.(?P<fmt>[a-z0-9]+(?:-[a-z0-9]+)*))?$")
PAGE_IMAGE = re.compile(r"^/lesson/(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<edition>student|teacher)/page-(?P<n>[1-9]\d{0,3})"
                        r"\.png$")
BUSY = ("The preview is busy drawing other documents; try again in a moment.\n").encode()
FULL = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
        b"Retry-After: 5\r\n\r\nThe preview has too many connections open; try again in a moment.\n")


class Busy(Exception):
    """Every render slot stayed taken for longer than ``limits.PREVIEW_RENDER_WAIT``."""


@dataclass
class State:
    """What the preview knows: the pack as last read, its check report, and pages already drawn."""

    target: Path
    style: str | None
    paper: str | None
    loopback_only: bool = True  # answer only requests addressed to this machine by name or number
    generation: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    read_files: set[Path] = field(default_factory=set)  # what the last reading of the pack read: what is watched
    _seen: int = -1
    _pack: Pack | None = None
    _settings: Settings | None = None
    _problems: list[Diagnostic] = field(default_factory=list)
    # (id, edition) → (key, page, its pictures): what was last drawn of each lesson's edition
    _pages: dict[tuple[str, str], tuple[str, str, tuple]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    renders: threading.Semaphore = field(default_factory=lambda: threading.BoundedSemaphore(limits.PREVIEW_RENDERS))

    def bump(self) -> None:
        """A watched file changed: tell every open page."""
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def current(self) -> tuple[Pack | None, Settings | None, list[Diagnostic]]:
        """The pack, its settings and its check messages, read again after any change."""
        with self._lock:
            if self._seen != self.generation:
                self._seen = self.generation
                with recording_reads() as read:
                    self._pack, self._problems = check_and_load(self.target)
                    self._settings = None
                    if self._pack is not None:
                        try:
                            self._settings = resolve(self._pack, style=self.style, paper=self.paper)
                        except LessonpackError as exc:  # a style the command line names that does not load
                            self._pack = None
                            said = exc.diagnostics or [Diagnostic(str(self.target), 0, 0, "error", exc.message)]
                            self._problems = sorted(set(self._problems) | set(said))
                self.read_files = read
            return self._pack, self._settings, self._problems

    def render(self, pack: Pack, settings: Settings, lesson, edition: str, fmt: str) -> tuple[bytes, list[str]]:
        """One document rendered in a limited process, once a render slot is free; :class:`Busy` if none
        frees up in time."""
        if not self.renders.acquire(timeout=limits.PREVIEW_RENDER_WAIT):
            raise Busy
        try:
            return render_one(pack, settings, lesson, edition, fmt)
        finally:
            self.renders.release()

    def render_pages(self, pack: Pack, settings: Settings, lesson, edition: str) -> tuple[tuple, int]:
        """A lesson's edition's PDF pages as pictures, rendered in a limited process once a render slot is free;
        :class:`Busy` if none frees up in time."""
        if not self.renders.acquire(timeout=limits.PREVIEW_RENDER_WAIT):
            raise Busy
        try:
            _, pictures, count, _ = render_pages(pack, settings, lesson, edition)
            return pictures, count
        finally:
            self.renders.release()

    def page_image(self, lesson_id: str, edition: str, number: int) -> bytes | None:
        """The picture of page ``number`` of a lesson's edition as last drawn (None: not drawn)."""
        drawn = self._pages.get((lesson_id, edition))
        return drawn[2][number - 1].png if drawn and number <= len(drawn[2]) else None

    def lesson_html(self, lesson_id: str, edition: str) -> tuple[str, HTTPStatus]:
        """A lesson's edition as a page of its PDF's pages (without its script), or the page of its problems."""
        pack, settings, problems = self.current()
        lesson = next((x for x in pack.lessons if x.id == lesson_id), None) if pack else None
        mine = [p for p in problems if p.is_error and (lesson is None or _about(p, lesson.path, pack))]
        if pack is None or settings is None or lesson is None or mine:
            title = f"{lesson_id}: cannot be shown"
            return pages.error_page(title, mine or [p for p in problems if p.is_error]), HTTPStatus.OK
        key = f"{shared_key(pack, settings)}:{lesson_hash(lesson)}"
        cached = self._pages.get((lesson_id, edition))
        if cached and cached[0] == key:  # unchanged since it was drawn: not planned again
            return cached[1], HTTPStatus.OK
        try:
            pictures, count = self.render_pages(pack, settings, lesson, edition)
        except LessonpackError as exc:
            return pages.error_page(f"{lesson_id}: cannot be shown", exc.diagnostics or [
                Diagnostic(str(lesson.path), 0, 0, "error", exc.message)]), HTTPStatus.OK
        version = hashlib.sha256(key.encode()).hexdigest()[:12]  # a changed lesson's pictures have a new address
        html = pages.lesson_page(lesson_id=lesson_id, title=plain(inline(lesson.lesson.title)),
                                 language=lesson.lesson.language, edition=edition, pages=pictures, count=count,
                                 version=version)
        self._pages[(lesson_id, edition)] = (key, html, pictures)
        return html, HTTPStatus.OK


def _about(problem: Diagnostic, lesson_path: Path, pack: Pack) -> bool:
    """Whether a check message concerns this lesson (its file) or the whole pack (settings, templates, styles)."""
    where = Path(problem.file)
    lesson = lesson_path.resolve()
    if where.resolve() == lesson:
        return True
    return not (where.suffix == ".yaml" and where.resolve().parent == lesson.parent)  # not another lesson's


class _RequestReader(io.RawIOBase):
    """A connection's incoming bytes with one deadline for the whole request line and headers: a client
    that sends them a byte at a time still runs out of time."""

    def __init__(self, connection: socket.socket, seconds: float):
        self.connection, self.deadline = connection, time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


def _handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "lessonpack-preview"
        error_content_type = "text/plain; charset=utf-8"  # http.server's own refusals (400, 414, 501…)
        error_message_format = "%(code)d %(message)s\n"
        answered = False  # whether a status line has gone out (then an error can only close the connection)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass  # a teacher's terminal is not a web server log

        def setup(self) -> None:
            super().setup()
            plain = self.rfile
            self.rfile = io.BufferedReader(_RequestReader(self.connection, limits.PREVIEW_HEADER_TIMEOUT))
            plain.close()

        def send_response(self, code, message=None) -> None:
            self.answered = True
            super().send_response(code, message)

        def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK, extra: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _page(self, html: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            """An HTML page with lessonpack's scripts and the policy that lets only them run."""
            nonce = pages.new_nonce()
            self._send(pages.with_scripts(html, nonce).encode("utf-8"), "text/html; charset=utf-8", status,
                       {"Content-Security-Policy": pages.policy(nonce), "Referrer-Policy": "no-referrer"})

        def _text(self, body: bytes, status: HTTPStatus, extra: dict | None = None) -> None:
            self._send(body, "text/plain; charset=utf-8", status, extra)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            # The request has arrived: from here on the client only has to take the answer.
            self.connection.settimeout(limits.PREVIEW_SEND_TIMEOUT)
            try:
                self._get()
            except (ConnectionError, TimeoutError):
                self.close_connection = True  # the client went away or stopped reading: nothing to report
            except Busy:
                self._text(BUSY, HTTPStatus.SERVICE_UNAVAILABLE, {"Retry-After": "5"})
            except Exception as exc:  # noqa: BLE001 - a bug of lessonpack's: a short answer, never a traceback
                self._failed(exc)

        def _failed(self, exc: Exception) -> None:
            sys.stderr.write(f"error: the preview could not answer {printable(self.path, 120)}: "
                             f"{type(exc).__name__}: {printable(str(exc), 120)} "
                             "(a fault in lessonpack; please report it)\n")
            self.close_connection = True
            if self.answered:
                return
            try:
                self._text(f"500: the preview could not draw this page ({type(exc).__name__}); the terminal running "
                           "lessonpack preview says more.\n".encode(), HTTPStatus.INTERNAL_SERVER_ERROR)
            except OSError:
                pass

        def _get(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if state.loopback_only and not is_loopback(host):  # a web page's DNS rebinding, not the teacher
                return self._text(b"Forbidden", HTTPStatus.FORBIDDEN)
            path = self.path.split("?", 1)[0]
            if path == "/events":
                return self._events()
            if path == "/favicon.ico":
                return self._send(b"", "image/x-icon", HTTPStatus.NO_CONTENT)
            if path == "/":
                pack, _, problems = state.current()
                lessons = [(x.id, x.lesson.title) for x in pack.lessons] if pack else []
                title = f"{pack.title} — preview" if pack else "lessonpack preview"
                return self._page(pages.index_page(title, lessons, problems))
            if m := PAGE_IMAGE.match(path):
                png = state.page_image(m.group("id"), m.group("edition"), int(m.group("n")))
                if png is not None:
                    return self._send(png, "image/png")
            if m := LESSON_PAGE.match(path):
                if m.group("fmt"):
                    fmt = m.group("fmt")
                    if fmt == "html" or fmt not in format_names() or m.group("edition") not in output_format(
                            fmt).editions:
                        return self._text(b"Not found", HTTPStatus.NOT_FOUND)
                    return self._download(m.group("id"), m.group("edition"), fmt)
                html, status = state.lesson_html(m.group("id"), m.group("edition"))
                return self._page(html, status)
            self._text(b"Not found", HTTPStatus.NOT_FOUND)

        def _download(self, lesson_id: str, edition: str, fmt: str) -> None:
            pack, settings, problems = state.current()
            lesson = next((x for x in pack.lessons if x.id == lesson_id), None) if pack else None
            if pack is None or settings is None or lesson is None:
                body = pages.error_page(f"{lesson_id}: cannot be built", [p for p in problems if p.is_error])
                return self._page(body, HTTPStatus.CONFLICT)
            try:
                data, _ = state.render(pack, settings, lesson, edition, fmt)
            except LessonpackError as exc:
                body = pages.error_page(f"{lesson_id}: cannot be built", exc.diagnostics or [
                    Diagnostic(str(lesson.path), 0, 0, "error", exc.message)])
                return self._page(body, HTTPStatus.CONFLICT)
            chosen = output_format(fmt)
            name = chosen.file_name(lesson_id, edition)
            self._send(data, chosen.media_type, extra={"Content-Disposition": f'attachment; filename="{name}"'})

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = state.generation
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not getattr(self.server, "stopping", False):  # as long as the page stays open
                with state.changed:
                    state.changed.wait_for(lambda: state.generation != seen, timeout=10)
                if state.generation != seen:
                    seen = state.generation
                    self.wfile.write(b"data: reload\n\n")
                else:
                    self.wfile.write(b": still here\n\n")  # keeps the connection open through proxies
                self.wfile.flush()

    return Handler


class PreviewServer(ThreadingHTTPServer):
    """One thread per connection, at most ``limits.PREVIEW_CONNECTIONS`` at once (a connection beyond them
    is answered 503 and closed at once); a handler's errors are its own to report."""

    daemon_threads = True
    request_queue_size = 64  # connections the system holds until they are accepted (a browser opens several)

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]):
        self.slots = threading.BoundedSemaphore(limits.PREVIEW_CONNECTIONS)
        self.stopping = False
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            try:
                request.setblocking(False)
                request.send(FULL)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        pass  # a client that went away mid-request; the handler answers and reports everything else


def make_server(state: State, host: str = "127.0.0.1", port: int = 0) -> PreviewServer:
    """The preview's HTTP server for ``state``, listening (not yet serving) on ``host:port``."""
    return PreviewServer((host, port), _handler(state))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(target: Path, *, host: str = "127.0.0.1", port: int = 8000, style: str | None = None,
          paper: str | None = None, ready: Callable[[str, int], None] | None = None, warn: Warn | None = None) -> None:
    """Serve the preview until interrupted (Ctrl-C); ``ready(url, lessons)`` once it listens; ``warn(line)`` for
    a folder of the pack that cannot be watched."""
    state = State(target, style, paper, loopback_only=is_loopback(host))
    pack, settings, _ = state.current()
    root = pack_root(target) or target.resolve().parent
    server = make_server(state, host, port)
    watcher = Watcher(root, state.bump, files=lambda: state.read_files,
                      output=settings.out_dir if settings else None, warn=warn)
    watcher.start()
    try:
        if ready:
            shown = f"[{host}]" if ":" in host else host
            ready(f"http://{shown}:{server.server_address[1]}/", len(pack.lessons) if pack else 0)
        server.serve_forever(poll_interval=0.2)
    finally:
        server.stopping = True
        state.bump()  # wakes the event streams, which then end
        watcher.stop()
        server.server_close()


__all__ = ["Busy", "PreviewServer", "State", "is_loopback", "make_server", "serve"]
