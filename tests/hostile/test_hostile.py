"""Shared packs are untrusted: every hostile or broken pack in packs.py gets a clean, positioned error or a
safe build, never a traceback, never a byte of a file outside the pack, and never a connection out."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import snapshot
from packs import CASES, GOOD, SECRET, link, template_with, write

from lessonpack.building.output import write_atomic  # noqa: F401 - the module whose failures are injected below


def make_pack(tmp: Path) -> Path:
    """The valid pack every case starts from, with the secret beside it."""
    pack = tmp / "pack"
    write(pack / "lessons/stalin.yaml", GOOD)
    write(pack / "lessonpack.yaml", "title: Test Unit\n")
    write(tmp / "secret.txt", SECRET + "\n")
    return pack


def _readable(data: bytes, name: str) -> list[bytes]:
    """What a reader of an output could see: every DOCX part, a PDF with its streams decompressed."""
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(n) for n in archive.namelist()]
    if name.endswith(".pdf") and shutil.which("qpdf"):
        done = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "-", "-"], input=data,
                              capture_output=True, check=False)
        return [data, done.stdout]
    return [data]


def assert_no_secret(folder: Path) -> None:
    """No output under ``folder`` holds a byte of the secret file."""
    for path in folder.rglob("*") if folder.is_dir() else []:
        if path.is_file() and not path.is_symlink():
            for part in _readable(path.read_bytes(), path.name):
                assert SECRET.encode() not in part, path


def _slow(name: str):
    return pytest.param(name, marks=pytest.mark.slow) if CASES[name].slow else name


@pytest.mark.parametrize("name", [_slow(n) for n in CASES])
def test_hostile_pack(name, tmp_path, run):
    case = CASES[name]
    pack = make_pack(tmp_path)
    case.setup(pack, tmp_path)
    output = ""
    for command in case.commands:
        before = snapshot(tmp_path) if case.code and case.untouched else None
        if case.fresh:
            done = subprocess.run([sys.executable, "-m", "lessonpack", *command], cwd=pack, capture_output=True,
                                  text=True, timeout=600)
            output, code = done.stdout + done.stderr, done.returncode
        else:
            result = run(*command, cwd=pack)
            output, code = result.output, result.exit_code
        assert "Traceback" not in output, output
        assert code == case.code, output
        lines = output.splitlines()
        for expected in case.lines:
            assert expected.format(tmp=tmp_path) in lines, f"{expected.format(tmp=tmp_path)}\n--- got:\n{output}"
        if before is not None:  # a refusal changes no file
            assert snapshot(tmp_path) == before, "the command changed files"
    if case.verify:
        case.verify(pack, tmp_path, output)
    assert_no_secret(pack / "dist")


def test_the_corpus_is_broad():
    assert len(CASES) >= 40


# -- the network -----------------------------------------------------------------------------------


class Listener:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.mark.slow  # whole builds of every format: make test-heavy
def test_no_build_connects_anywhere(tmp_path, run):
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}"
        pack = make_pack(tmp_path)
        style = pack / "styles" / "classic"
        for source in (Path(__file__).resolve().parents[2] / "src/lessonpack/data/styles/classic").iterdir():
            write(style / source.name, source.read_bytes())
        with open(style / "handout.css", "a", encoding="utf-8") as css:
            css.write(f'@import url("{url}/imported.css");\n'
                      f'@font-face {{ font-family: Remote; src: url("{url}/font.woff2"); }}\n'
                      f'.masthead {{ background: url("{url}/bg.png"); font-family: Remote, serif; }}\n'
                      f'.q {{ list-style-image: url("//127.0.0.1:{listener.port}/bullet.png"); }}\n')
        write(pack / "remote.svg", f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                                   f'width="4" height="4"><image xlink:href="{url}/in-svg.png" width="4" '
                                   f'height="4"/></svg>')
        template_with(pack, "lesson.html", '<header class="masthead">', (
            f'<header class="masthead"><img src="{url}/img.png" alt="x"><link rel="stylesheet" href="{url}/l.css">'
            f'<object data="{url}/o.svg"></object><embed src="{url}/e.svg"><iframe src="{url}/i.html"></iframe>'
            f'<img src="remote.svg" alt="y"><img src="ftp://127.0.0.1:{listener.port}/f.png" alt="z">'
            f'<video poster="{url}/p.png"></video><a href="{url}/page">a link is not a fetch</a>'))
        result = run("build", "-e", "student", "-f", "pdf", "-f", "docx", "-f", "html", cwd=pack)
        assert result.exit_code == 0, result.output
        assert "not loaded:" in result.output
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


# -- output that cannot be written -----------------------------------------------------------------

@pytest.mark.parametrize("where,error,reason", [
    ("mkstemp", OSError(30, "Read-only file system"), "Read-only file system"),
    ("fsync", OSError(28, "No space left on device"), "No space left on device"),
    ("mkstemp", PermissionError(13, "Permission denied"), "Permission denied"),
])
def test_unwritable_output_is_one_clear_error_and_earlier_outputs_stay(tmp_path, run, monkeypatch, where, error,
                                                                      reason):
    pack = make_pack(tmp_path)
    assert run("build", "-f", "pdf", "-e", "student", cwd=pack).exit_code == 0
    old = (pack / "dist/stalin/stalin-student.pdf").read_bytes()
    write(pack / "lessons/stalin.yaml", GOOD.replace("Lenin died", "Lenin had died"))

    def fail(*args, **kwargs):
        raise error

    target = "lessonpack.building.output.open_temp" if where == "mkstemp" else "lessonpack.building.output.os.fsync"
    monkeypatch.setattr(target, fail)
    result = run("build", "-f", "pdf", "-e", "student", cwd=pack)
    assert result.exit_code == 1
    assert f"error: cannot write dist/stalin/stalin-student.pdf: {reason}" in result.output.splitlines(), result.output
    assert "Traceback" not in result.output
    assert (pack / "dist/stalin/stalin-student.pdf").read_bytes() == old
    assert not list((pack / "dist").rglob("*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the injected errors above cover it")
def test_read_only_output_folder(tmp_path, run):
    pack = make_pack(tmp_path)
    (pack / "dist").mkdir()
    (pack / "dist").chmod(0o555)
    try:
        result = run("build", "-f", "pdf", "-e", "student", cwd=pack)
    finally:
        (pack / "dist").chmod(0o755)
    assert result.exit_code == 1
    assert "error: cannot write dist/.lessonpack.lock: Permission denied" in result.output.splitlines()


# -- processes -----------------------------------------------------------------------------------

LESSONPACK = [sys.executable, "-m", "lessonpack"]


def _descendants(pid: int) -> list[int]:
    """Every live process whose ancestry leads to ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_kill_9_of_a_build_leaves_no_process_behind(tmp_path):
    pack = make_pack(tmp_path)
    for n in range(1, 7):
        write(pack / f"lessons/lesson-{n}.yaml", GOOD.replace("Stalin", f"Stalin {n}"))
    proc = subprocess.Popen([*LESSONPACK, "build", str(pack), "-j", "2", "-q", "-f", "pdf"])

    def workers() -> list[int]:  # forked render workers share the build's command line (unlike helper tools)
        mine = _cmdline(proc.pid)
        return [pid for pid in _descendants(proc.pid) if _cmdline(pid) == mine]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers()) < 2:
        time.sleep(0.02)  # until the two render workers are running
    workers = workers()
    assert len(workers) >= 2, "the build never started its workers"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() and
                                              "Z" not in _state(pid) for pid in workers):
        time.sleep(0.05)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)] == []


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_render_that_hits_a_limit_spares_the_other_lessons(tmp_path, run, monkeypatch):
    pack = make_pack(tmp_path)
    write(pack / "lessons/other.yaml", GOOD.replace("Stalin", "Lenin"))
    from lessonpack.render import html

    original = html.render_html

    def greedy(handout, *args, **kwargs):
        if handout.lesson_id == "stalin":
            hog = []
            while True:  # what a pathological document does to a renderer
                hog.append(bytearray(64 << 20))
        return original(handout, *args, **kwargs)

    monkeypatch.setattr("lessonpack.render.pdf.render_html", greedy)
    result = run("build", "-f", "pdf", "-e", "student", "--memory-limit", "512", "-j", "2", "--no-pack", cwd=pack)
    assert result.exit_code == 1
    assert ("lessons/stalin.yaml: error: rendering dist/stalin/stalin-student.pdf failed: it needed more than 512 "
            "MiB of memory (the memory limit; raise it with --memory-limit)") in result.output.splitlines()
    assert (pack / "dist/other/other-student.pdf").is_file()
    assert "1 written, 0 unchanged, 1 failed" in result.output


def test_a_symlinked_file_inside_the_pack_is_read(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "shared/common.css", ".q { color: #123456; }\n")
    from packs import copy_style

    style = copy_style(pack)
    (style / "handout.css").unlink()
    link(style / "handout.css", "../../shared/common.css")  # a link that stays inside the pack is fine
    assert run("check", "--strict", cwd=pack).exit_code == 0
    assert run("build", "-f", "pdf", "-e", "student", cwd=pack).exit_code == 0
