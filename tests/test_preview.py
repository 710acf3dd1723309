"""The authoring loop as a teacher lives it: `lessonpack preview` in a real headless browser (Chromium driven
by Playwright) — the index, a lesson's PDF pages on paper-sized sheets, a save that changes the open page
without a reload, a broken file that shows check's message with its position and a fixed one that
recovers — and `lessonpack build --watch` rebuilding on save. Servers and watchers run as the teacher
runs them: a separate `lessonpack` process, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

FLAGSHIP = "soviet-union-1924-1935"
PACK_SETTINGS = "title: The Interwar Years (1919–1938)\nschool: Lessonpack Sample School\n"


SHELL_LIKE = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
              "signal.pthread_sigmask(signal.SIG_SETMASK, []); "
              "os.execv(sys.executable, [sys.executable, '-m', 'lessonpack', *sys.argv[1:]])")
"""Runs ``lessonpack ARGS`` as a shell would start it (see :class:`Process`)."""


class Process:
    """A `lessonpack` command in its own process, its output lines readable with a deadline."""

    def __init__(self, args: list[str], cwd: Path):
        # Started as a shell starts it: Ctrl-C at its default and no signal blocked, whatever this test process (a
        # pytest-xdist worker, which inherited its own from elsewhere) has set; exec keeps both.
        self.proc = subprocess.Popen([sys.executable, "-c", SHELL_LIKE, *args], cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if m := re.search(pattern, line):
                return m
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s; got: {self.seen}")

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:  # what the process does with signals, and what it printed: why it did not stop
                status = [line for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines()
                          if line.startswith(("State", "Sig", "Threads"))]
            except OSError:
                status = []
            time.sleep(0.5)
            while not self.lines.empty():
                self.seen.append(self.lines.get_nowait())
            raise AssertionError(f"still running 15 s after Ctrl-C: {status}; it printed {self.seen}") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    shutil.copyfile(REPO / "lessons" / f"{FLAGSHIP}.yaml", pack / "lessons" / f"{FLAGSHIP}.yaml")
    shutil.copytree(REPO / "lessons" / "images", pack / "lessons" / "images")
    (pack / "lessonpack.yaml").write_text(PACK_SETTINGS, encoding="utf-8")
    return pack


@pytest.fixture
def served(tmp_path):
    pack = _pack(tmp_path)
    server = Process(["preview", "--port", "0"], pack)
    try:
        url = server.wait_for(r"previewing 1 lesson at (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)").group(1)
        yield pack, server, url
    finally:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no Chromium browser installed (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _lesson(pack: Path) -> Path:
    return pack / "lessons" / f"{FLAGSHIP}.yaml"


@pytest.mark.browser
def test_the_preview_shows_the_pack_and_follows_every_save(served, browser):
    pack, server, url = served
    page = browser.new_page()
    page.goto(url)
    assert "The Interwar Years (1919–1938)" in page.title()
    page.click(f"a[href='/lesson/{FLAGSHIP}/student']")
    page.wait_for_url(f"**/lesson/{FLAGSHIP}/student")
    # The PDF's pages, each a sheet of letter paper with its text for screen readers and the browser's find.
    page.wait_for_selector(".lp-page img")
    text = " ".join(page.locator(".lp-text").all_text_contents())
    headings = ["Learning objectives", "From Lenin’s Heir to Absolute Ruler: Stalin Takes Control", "Key terms",
                "Discussion"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    assert "Source A" in text and "Source B" in text
    sheets = page.locator(".lp-page img")
    assert sheets.count() >= 5
    assert all(sheets.nth(i).evaluate("img => img.naturalWidth") > 0 for i in range(sheets.count()))
    sheet = page.locator(".lp-page").first.bounding_box()
    assert (round(sheet["width"]), round(sheet["height"])) == (816, 1056)

    page.evaluate("window.notReloaded = true")
    path = _lesson(pack)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("title: The Soviet Union under Stalin (1924–1935)",
                                     "title: Stalin and the Soviet Union, 1924–1935", 1), encoding="utf-8")
    # (a selector, not wait_for_function: the page's policy forbids the eval() that one runs in the page; a
    # save now lays the PDF out again, which takes a few seconds where drawing the HTML took less than one)
    page.wait_for_selector(".lp-text:has-text('Stalin and the Soviet Union')", state="attached", timeout=30_000)
    assert page.evaluate("window.notReloaded") is None  # the page reloaded itself

    path.write_text(original.replace("title: The Soviet Union under Stalin (1924–1935)", "title: [broken", 1),
                    encoding="utf-8")
    page.wait_for_selector(".problems", timeout=30_000)
    problem = page.locator(".problems pre").first.inner_text()
    assert re.match(rf"lessons/{FLAGSHIP}\.yaml:\d+:\d+: error: YAML syntax error", problem), problem
    assert "Traceback" not in page.content()

    path.write_text(original, encoding="utf-8")
    page.wait_for_selector(".lp-text:has-text('The Soviet Union under Stalin')", state="attached", timeout=30_000)
    assert page.locator(".problems").count() == 0

    assert server.interrupt() == 0
    server.wait_for(r"^preview stopped$", timeout=5)


@pytest.mark.slow  # every download built through the server: make test-heavy
def test_downloads_are_built_on_demand_and_nothing_is_written_into_the_pack(served):
    pack, _, url = served
    before = sorted(p.relative_to(pack) for p in pack.rglob("*"))
    with urllib.request.urlopen(f"{url}lesson/{FLAGSHIP}/teacher.pdf", timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert f'filename="{FLAGSHIP}-teacher.pdf"' in response.headers["Content-Disposition"]
        assert response.read(5) == b"%PDF-"
    with urllib.request.urlopen(f"{url}lesson/{FLAGSHIP}/student.docx", timeout=60) as response:
        assert response.read(2) == b"PK"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{url}lesson/no-such-lesson/student.pdf", timeout=10)
    assert missing.value.code == 409
    # A page elsewhere that rebinds its own name to this machine is turned away.
    request = urllib.request.Request(f"{url}lesson/{FLAGSHIP}/teacher", headers={"Host": "evil.example:80"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert sorted(p.relative_to(pack) for p in pack.rglob("*")) == before


def test_the_preview_listens_on_this_machine_only_unless_told(tmp_path):
    pack = _pack(tmp_path)
    server = Process(["preview", "--port", "0", "--host", "0.0.0.0"], pack)
    try:
        server.wait_for(r"^warning: listening on 0\.0\.0\.0: anyone who can reach this machine")
        server.wait_for(r"previewing 1 lesson at http://0\.0\.0\.0:\d+/")
        assert server.interrupt() == 0
    finally:
        server.kill()


def test_build_watch_rebuilds_on_save_and_survives_a_broken_file(tmp_path):
    pack = tmp_path / "pack"
    (pack / "lessons").mkdir(parents=True)
    lesson = pack / "lessons" / "short.yaml"
    good = "title: A short lesson\nworksheet:\n  items:\n    - {type: true_false, prompt: One., answer: true}\n"
    lesson.write_text(good, encoding="utf-8")
    out = pack / "dist" / "short" / "short-student.pdf"
    watcher = Process(["build", "--watch", "-f", "pdf", "-e", "student"], pack)
    try:
        watcher.wait_for(r"^1 written, 0 unchanged, 0 failed")
        watcher.wait_for(r"^watching .* for changes \(Ctrl-C stops\)$")
        first = out.read_bytes()
        lesson.write_text(good.replace("A short lesson", "A shorter lesson"), encoding="utf-8")
        watcher.wait_for(r"^changed: lessons/short\.yaml$")
        watcher.wait_for(r"^1 written, 0 unchanged, 0 failed")
        assert out.read_bytes() != first
        lesson.write_text("title: [broken\n", encoding="utf-8")
        watcher.wait_for(r"^lessons/short\.yaml:\d+:\d+: error: ")
        lesson.write_text(good, encoding="utf-8")
        watcher.wait_for(r"^1 written, 0 unchanged, 0 failed")
        assert watcher.interrupt() == 0
        watcher.wait_for(r"^stopped watching$", timeout=5)
        assert "Traceback" not in "\n".join(watcher.seen)
    finally:
        watcher.kill()


def test_an_unknown_style_on_the_command_line_stops_before_serving(run, tmp_path):
    pack = _pack(tmp_path)
    result = run("preview", "--style", "nosuch", "--port", "0", cwd=pack)
    assert result.exit_code == 1
    assert result.output == 'error: no style named "nosuch" (available: classic, large-print)\n'
