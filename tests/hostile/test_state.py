"""What lessonpack keeps or touches beside a pack is its own, and nothing else: the lesson cache (which a shared
machine's other users may try to plant things in), the output folder `clean` tidies, the files `build --watch`
and the preview watch, and the files `lessonpack new` writes. Each case states the exact message and exit code,
and that no file outside the pack changed (a victim folder beside it holds what an attacker would aim at)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import snapshot
from packs import GOOD, link, write
from test_hostile import make_pack

from lessonpack.load import lessoncache

LESSONPACK = [sys.executable, "-m", "lessonpack"]
VICTIM_NOTES = "the teacher's notes\n"
CHOICE_LESSON = GOOD.replace("""    - type: true_false
      prompt: Lenin named Stalin as his successor.
      answer: false
""", """    - type: multiple_choice
      prompt: Who won the struggle for power after Lenin?
      choices: [Stalin, Trotsky, Bukharin]
      answer: Stalin
""")


def victim(tmp: Path) -> Path:
    """A folder beside the pack with files an attacker would like written, deleted or read."""
    folder = tmp / "victim"
    write(folder / "notes.txt", VICTIM_NOTES)
    write(folder / ("a" * 64 + ".json"), '{"the teacher": "data"}\n')
    write(folder / "grades.json", '{"anna": 12}\n')
    return folder


def around(tmp: Path) -> dict:
    """Everything in the folder holding the pack and the victim, except the cache folder lessonpack owns."""
    return {name: value for name, value in snapshot(tmp).items() if not name.startswith("cache/")}


# -- the lesson cache ---------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", str(folder))
    return folder


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


def checked(run, pack: Path, tmp: Path, expected: list[str], code: int = 0) -> None:
    """``lessonpack check`` says exactly ``expected``, exits with ``code``, and changes nothing beside the cache."""
    before = around(tmp)
    result = run("check", cwd=pack)
    assert result.output.splitlines() == expected, result.output
    assert result.exit_code == code
    assert around(tmp) == before


CLEAN = ["1 lesson checked: no problems"]


def test_a_link_planted_where_an_entry_is_written_is_replaced_not_followed(tmp_path, run, cache):
    pack, folder = make_pack(tmp_path), victim(tmp_path)
    checked(run, pack, tmp_path, CLEAN)
    (entry,) = entries(cache)
    entry.unlink()
    link(entry, folder / "notes.txt")  # the entry itself
    link(entry.with_name(f".{entry.name}.{os.getpid()}.tmp"), folder / "grades.json")  # the old temporary name
    checked(run, pack, tmp_path, CLEAN)
    assert (folder / "notes.txt").read_text() == VICTIM_NOTES and (folder / "grades.json").read_text() == \
        '{"anna": 12}\n'
    assert not entry.is_symlink() and lessoncache.unseal(entry.read_bytes()) is not None  # a real entry again


def test_pruning_never_follows_a_linked_bucket_or_entry(tmp_path, run, cache, monkeypatch):
    pack, folder = make_pack(tmp_path), victim(tmp_path)
    checked(run, pack, tmp_path, CLEAN)
    (real,) = entries(cache)
    free = [name for name in ("ab", "cd", "ef") if name != real.parent.name]  # buckets the real entry is not in
    link(cache / free[0], folder)  # a bucket that is a link to a folder of .json files
    planted = cache / free[1] / (free[1][0] * 64 + ".json")
    link(planted, folder / "grades.json")  # an entry that is a link
    os.utime(planted, (0, 0), follow_symlinks=False)  # the oldest of all
    monkeypatch.setattr(lessoncache, "MAX_ENTRIES", 0)
    before = around(tmp_path)
    lessoncache.prune()
    assert around(tmp_path) == before
    assert not real.exists()  # the real entry went; the links stayed, and what they point at
    assert (cache / free[0]).is_symlink() and planted.is_symlink()


def test_a_fifo_or_a_device_at_an_entry_does_not_hang_or_grow_check(tmp_path, cache):
    pack = make_pack(tmp_path)
    env = {**os.environ, "LESSONPACK_CACHE_DIR": str(cache)}

    def check_once() -> subprocess.CompletedProcess:
        def limited():  # what a link to /dev/zero did to check: 2.7 GB; here it would fail at 1 GiB
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

        return subprocess.run([*LESSONPACK, "check"], cwd=pack, env=env, capture_output=True, text=True, timeout=60,
                              preexec_fn=limited)

    assert check_once().stdout == "1 lesson checked: no problems\n"
    (entry,) = entries(cache)
    for plant in (lambda: os.mkfifo(entry), lambda: link(entry, "/dev/zero"),
                  lambda: os.truncate(write(entry, b""), 2 * 20_000_000)):  # a sparse file past the size cap
        entry.unlink()
        plant()
        done = check_once()
        assert (done.returncode, done.stdout, done.stderr) == (0, "1 lesson checked: no problems\n", "")


def _forged(cache: Path, lesson: dict, key: bytes | None) -> None:
    """Replace the only entry by one that vouches for ``lesson`` with no problems, signed with ``key``
    (None: unsigned, the layout of lessonpack before entries were signed)."""
    (entry,) = entries(cache)
    body = json.loads(lessoncache.unseal(entry.read_bytes()))
    body.update(lesson=lesson, problems=[])
    raw = json.dumps(body).encode()
    if key is None:
        entry.write_bytes(raw)
    else:
        mac = hmac.new(key, b"lessonpack lesson cache\0" + raw, hashlib.sha256).hexdigest().encode()
        entry.write_bytes(mac + b"\n" + raw)


@pytest.mark.parametrize("signed_with", ["another key", "no key"])
def test_a_planted_entry_is_not_believed(tmp_path, run, cache, signed_with, monkeypatch):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", CHOICE_LESSON)
    from lessonpack.load.pack import load_pack

    with monkeypatch.context() as off:
        off.setenv("LESSONPACK_CACHE_DIR", "off")
        valid = load_pack(pack).lessons[0].lesson.model_dump(mode="json")  # what the attacker plants
    write(pack / "lessons/stalin.yaml", CHOICE_LESSON.replace("answer: Stalin", "answer: Lenin"))
    broken = ['lessons/stalin.yaml:12:15: error: worksheet.items[0].answer: "Lenin" is not one of the choices '
              '(Stalin, Trotsky, Bukharin)', "    hint: copy the correct choice's text into answer:",
              "1 lesson checked: 1 error, 0 warnings"]
    checked(run, pack, tmp_path, broken, code=1)
    _forged(cache, valid, os.urandom(32) if signed_with == "another key" else None)
    checked(run, pack, tmp_path, broken, code=1)  # not "no problems": the file is what is checked
    result = run("build", "-f", "pdf", "-e", "teacher", cwd=pack)
    assert result.exit_code == 1 and "Traceback" not in result.output and "StopIteration" not in result.output
    assert broken[0] in result.output.splitlines()


def test_a_remembered_lesson_that_breaks_the_lesson_rules_is_read_again(tmp_path, run, cache):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", CHOICE_LESSON)
    checked(run, pack, tmp_path, CLEAN)
    (entry,) = entries(cache)
    body = json.loads(lessoncache.unseal(entry.read_bytes()))
    body["lesson"]["worksheet"]["items"][0]["answer"] = "Lenin"  # model-valid, but not among the choices
    entry.write_bytes(lessoncache.seal(json.dumps(body).encode()))  # as if this user's lessonpack wrote it
    checked(run, pack, tmp_path, CLEAN)
    from lessonpack.load.pack import load_pack

    assert load_pack(pack).lessons[0].lesson.worksheet.items[0].answer == "Stalin"
    result = run("build", "-f", "pdf", "-e", "teacher", cwd=pack)
    assert result.exit_code == 0, result.output


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, run, cache):
    pack = make_pack(tmp_path)
    cache.chmod(0o777)
    shown = str(cache)
    checked(run, pack, tmp_path, [
        f"warning: the lesson cache is off for this run: other users can write to {shown}; make it yours alone with "
        f"`chmod 700 {shown}`, or set LESSONPACK_CACHE_DIR to a folder of your own", *CLEAN])
    assert list(cache.iterdir()) == []  # nothing read or written there
    cache.chmod(0o700)
    checked(run, pack, tmp_path, CLEAN)
    assert len(entries(cache)) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(tmp_path, run, cache):
    pack = make_pack(tmp_path)
    os.chown(cache, 65534, 65534)
    checked(run, pack, tmp_path, [
        f"warning: the lesson cache is off for this run: {cache} belongs to another user; set LESSONPACK_CACHE_DIR "
        "to a folder of your own (or to off)", *CLEAN])
    assert list(cache.iterdir()) == []


def test_a_new_cache_folder_is_the_users_alone(tmp_path, run, monkeypatch):
    pack = make_pack(tmp_path)
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", str(tmp_path / "cache" / "lessons"))
    checked(run, pack, tmp_path, CLEAN)
    assert (tmp_path / "cache" / "lessons").stat().st_mode & 0o777 == 0o700
    (bucket,) = (tmp_path / "cache" / "lessons").iterdir()
    assert bucket.stat().st_mode & 0o777 == 0o700
    assert all(entry.stat().st_mode & 0o777 == 0o600 for entry in bucket.iterdir())


# -- clean --------------------------------------------------------------------------------------------


def untrusted(folder: str) -> str:
    return (f"error: not cleaning {folder}: it holds no record of a build of yours (.lessonpack-manifest.json signed "
            "by your builds for this folder), so lessonpack cannot tell which files it wrote; nothing was removed")


def foreign_things(dist: Path) -> None:
    """What a teacher (or a shipped pack) keeps in an output folder, that lessonpack never wrote."""
    write(dist / "notes.txt", VICTIM_NOTES)
    write(dist / ".stalin-student.pdf.x7k2q9.tmp", "a temporary file of another program\n")
    write(dist / "stalin" / (".stalin-student.pdf.0badc0de-" + "0" * 32 + ".tmp"), "a forged temporary name\n")
    write(dist / "old" / "stalin-student.pdf", "a file lessonpack did not write\n")
    (dist / "empty").mkdir(parents=True)
    (dist / "stalin" / "scans").mkdir(parents=True)


def folders(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir())


def test_clean_refuses_a_folder_without_a_manifest(tmp_path, run):
    pack, _ = make_pack(tmp_path), victim(tmp_path)
    foreign_things(pack / "dist")
    before, shape = around(tmp_path), folders(tmp_path)
    result = run("clean", cwd=pack)
    assert (result.exit_code, result.output) == (1, untrusted("dist") + "\n")
    assert around(tmp_path) == before and folders(tmp_path) == shape
    result = run("clean", "-o", str(tmp_path / "victim"), cwd=pack)
    assert (result.exit_code, result.output) == (1, untrusted(str(tmp_path / "victim")) + "\n")
    assert around(tmp_path) == before and folders(tmp_path) == shape


def test_clean_refuses_a_forged_manifest(tmp_path, run):
    pack, folder = make_pack(tmp_path), victim(tmp_path)
    foreign_things(pack / "dist")
    outputs = {"gone/gone-student.pdf": {"key": "k", "sha256": "s", "deps": {}},
               "../../victim/notes.txt": {"key": "k", "sha256": "s", "deps": {}}}
    write(pack / "dist/gone/gone-student.pdf", "the teacher's own file, named like an output\n")
    body = json.dumps({"folder": str((pack / "dist").resolve()), "outputs": outputs}, sort_keys=True,
                      separators=(",", ":"))
    forged = hmac.new(os.urandom(32), body.encode(), hashlib.sha256).hexdigest()  # signed, but not with our key
    write(pack / "dist/.lessonpack-manifest.json", json.dumps({"version": 2, "outputs": outputs,
                                                               "signature": forged}))
    before, shape = around(tmp_path), folders(tmp_path)
    result = run("clean", cwd=pack)
    assert (result.exit_code, result.output) == (1, untrusted("dist") + "\n")
    assert around(tmp_path) == before and folders(tmp_path) == shape
    assert (folder / "notes.txt").read_text() == VICTIM_NOTES


@pytest.mark.parametrize("where", ["/", "home"])
def test_clean_refuses_the_root_and_home_folders_before_touching_anything(tmp_path, run, monkeypatch, where):
    pack = make_pack(tmp_path)
    home = tmp_path / "home"
    write(home / ".lessonpack-manifest.json", "{}")
    monkeypatch.setenv("HOME", str(home))

    def untouchable(*args, **kwargs):
        raise AssertionError("clean went on after it should have refused")

    for name in ("load_pack", "locked", "Manifest", "_temp_leftovers"):
        monkeypatch.setattr(f"lessonpack.building.builder.{name}", untouchable)
    monkeypatch.setattr(Path, "unlink", untouchable)
    monkeypatch.setattr(Path, "rmdir", untouchable)
    target = "/" if where == "/" else str(home)
    before = around(tmp_path)
    result = run("clean", "-o", target, cwd=pack)
    assert (result.exit_code, result.output) == (1, (
        f"error: not cleaning {target}: lessonpack never cleans the root folder or your home folder; nothing was "
        "removed (name the output folder a build wrote, e.g. -o dist)\n"))
    assert around(tmp_path) == before
    assert not os.path.lexists("/.lessonpack.lock") or where != "/"


def test_clean_deletes_only_what_its_build_wrote(tmp_path, run):
    pack, _ = make_pack(tmp_path), victim(tmp_path)
    write(pack / "lessons/lenin.yaml", GOOD.replace("The Soviet Union under Stalin", "Lenin"))
    assert run("build", "-f", "html", "-e", "student", cwd=pack).exit_code == 0
    dist = pack / "dist"
    foreign_things(dist)
    from lessonpack.building.output import open_temp

    fd, leftover = open_temp(dist / "stalin" / "stalin-student.html")  # as a build killed mid-write leaves it
    os.close(fd)
    (pack / "lessons/lenin.yaml").unlink()
    kept = {name: value for name, value in around(tmp_path).items() if "lenin" not in name and
            name != str(leftover.relative_to(tmp_path))}
    result = run("clean", cwd=pack)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["removed dist/lenin/lenin-student.html",
                                          f"removed dist/stalin/{leftover.name}", "2 files removed"]
    after = around(tmp_path)
    assert {name: value for name, value in after.items() if not name.endswith(".lessonpack-manifest.json")} == \
        {name: value for name, value in kept.items() if not name.endswith(".lessonpack-manifest.json")}
    assert not (dist / "lenin").exists()  # the removed lesson's own folder, empty now
    assert {"pack/dist/empty", "pack/dist/old", "pack/dist/stalin/scans"} <= set(folders(tmp_path))
    again = run("clean", cwd=pack)
    assert (again.exit_code, again.output) == (0, "0 files removed\n")


# -- lessonpack new ------------------------------------------------------------------------------------


def settings_pack(tmp: Path, settings: str = "title: Test Unit\nlessons:\n  - stalin\n") -> Path:
    pack = tmp / "pack"
    write(pack / "lessonpack.yaml", settings)
    return pack


@pytest.mark.parametrize("linked, message", [
    ("lessons", "error: cannot write lessons/locarno.yaml: lessons is a symbolic link; lessonpack writes only inside "
                "the pack (delete the link)"),
    ("schema", "error: cannot write schema/lesson.schema.json: schema is a symbolic link; lessonpack writes only "
               "inside the pack (delete the link)"),
])
def test_new_never_writes_through_a_shipped_link(tmp_path, run, linked, message):
    pack, folder = settings_pack(tmp_path), victim(tmp_path)
    write(folder / "locarno.yaml", "title: the victim's own Locarno\n")  # not even "already exists" is said
    if linked == "schema":
        write(pack / "lessons/stalin.yaml", GOOD)
    link(pack / linked, "../victim")
    before, shape = around(tmp_path), folders(tmp_path)
    result = run("new", "Locarno", cwd=pack)
    assert (result.exit_code, result.output) == (1, message + "\n")
    assert around(tmp_path) == before and folders(tmp_path) == shape  # not even the lesson file: checked first
    assert sorted(p.name for p in folder.iterdir()) == ["a" * 64 + ".json", "grades.json", "locarno.yaml",
                                                        "notes.txt"]


def alias_bomb() -> str:
    """Eleven levels of ten aliases each: 10¹¹ lesson ids once expanded."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 11):
        name, below = chr(ord("a") + n), chr(ord("a") + n - 1)
        levels.append(f"{name}: &{name} [{', '.join([f'*{below}'] * 10)}]")
    return "title: Test Unit\n" + "\n".join(levels) + "\nlessons: [*k, *k, *k, *k, *k, *k, *k, *k, *k, *k]\n"


BOMB_ERROR = ["lessonpack.yaml:6:1: error: e: aliases expand this beyond 100,000 values; lessonpack refuses documents "
              "that grow this large",
              "    hint: remove the YAML anchors (&name) and aliases (*name), and write the text out"]
DEEP_ERROR = ["lessonpack.yaml:2:74: error: nesting is too deep (more than 64 levels)",
              "    hint: lesson and settings files nest four or five levels; look for brackets that are never closed, "
              "or indentation that keeps growing"]


@pytest.mark.parametrize("settings, problem", [
    (alias_bomb(), BOMB_ERROR),
    ("title: Test Unit\nlessons: " + "[" * 5000 + "stalin" + "]" * 5000 + "\n", DEEP_ERROR),
], ids=["alias-bomb", "5000-deep"])
def test_new_reads_the_settings_through_the_guarded_loader(tmp_path, run, settings, problem):
    pack = settings_pack(tmp_path, settings)
    victim(tmp_path)
    before = around(tmp_path)
    started = time.monotonic()
    result = run("new", "Locarno", cwd=pack)
    assert time.monotonic() - started < 10
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote lessons/locarno.yaml",
        "wrote schema/lesson.schema.json (lets an editor check lessons as you type: docs/authoring.md)",
        *problem,
        "note: lessonpack.yaml has a YAML error (lessonpack check shows where), so it was not changed; add locarno to "
        "its lessons: list yourself",
        "next: replace every <…> in lessons/locarno.yaml, then run `lessonpack check --strict`"]
    made = {"pack/lessons/locarno.yaml", "pack/schema/lesson.schema.json"}
    assert {name: value for name, value in around(tmp_path).items() if name not in made} == before
    checked = run("check", cwd=pack)  # check says the same, at the same place
    assert checked.exit_code == 1 and problem[0] in checked.output.splitlines()


@pytest.mark.parametrize("where", ["lessons/deep.yaml", "styles/deep/style.yaml"])
def test_deep_nesting_anywhere_is_a_positioned_error(tmp_path, run, where):
    pack = make_pack(tmp_path)
    victim(tmp_path)
    if where.startswith("styles"):
        from packs import copy_style

        copy_style(pack, "deep")
        write(pack / "lessonpack.yaml", "title: Test Unit\nstyle: deep\n")
        write(pack / where, "description: deep\nfonts: " + "{a: " * 5000 + "x" + "}" * 5000 + "\n")
        line, column = 2, 8 + 4 * 63 + 1  # the key of the mapping that opens the 65th level
    else:
        write(pack / where, "title: Deep\nworksheet:\n  items: " + "[" * 5000 + "]" * 5000 + "\n")
        line, column = 3, 10 + 63  # the bracket that opens the 65th level
    before = around(tmp_path)
    result = run("check", cwd=pack)
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert result.exit_code == 1
    assert f"{where}:{line}:{column}: error: nesting is too deep (more than 64 levels)" in result.output.splitlines()
    assert around(tmp_path) == before


# -- watching -----------------------------------------------------------------------------------------


def inotify_watches(pid: int) -> int:
    """How many folders and files a process watches with inotify (from /proc)."""
    count = 0
    for info in Path(f"/proc/{pid}/fdinfo").iterdir():
        try:
            count += sum(line.startswith("inotify wd:") for line in info.read_text().splitlines())
        except OSError:
            continue
    return count


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="counts inotify watches in /proc")
def test_build_watch_follows_no_link_out_of_the_pack(tmp_path, run):
    from packs import copy_style
    from test_preview import Process

    pack, _ = make_pack(tmp_path), victim(tmp_path)
    copy_style(pack, "mine")
    write(pack / "lessonpack.yaml", "title: Test Unit\nstyle: mine\n")
    link(pack / "styles/shared", "/")  # passes check: nothing reads it
    assert run("check", cwd=pack).output == "1 lesson checked: no problems\n"
    watcher = Process(["build", "--watch", "-f", "html", "-e", "student"], pack)
    try:
        watcher.wait_for(r"^1 written, 0 unchanged, 0 failed", timeout=60)
        watcher.wait_for(r"^watching .* for changes \(Ctrl-C stops\)$")
        assert 0 < inotify_watches(watcher.proc.pid) <= 4  # the pack, lessons/, styles/mine/: not the whole disk
        before = around(tmp_path)
        write(pack / "lessons/stalin.yaml", GOOD.replace("After Lenin died", "When Lenin died"))
        watcher.wait_for(r"^changed: lessons/stalin\.yaml$")
        watcher.wait_for(r"^1 written, 0 unchanged, 0 failed")
        with open(pack / "styles/mine/handout.css", "a", encoding="utf-8") as css:
            css.write("h1 { letter-spacing: 0.01em; }\n")
        watcher.wait_for(r"^changed: styles/mine/handout\.css$")
        watcher.wait_for(r"^1 written, 0 unchanged, 0 failed")
        write(pack / "lessons/lenin.yaml", GOOD.replace("The Soviet Union under Stalin", "Lenin"))  # a new lesson
        watcher.wait_for(r"^changed: lessons/lenin\.yaml$")
        watcher.wait_for(r"^1 written, 1 unchanged, 0 failed")
        assert watcher.proc.poll() is None
        assert watcher.interrupt() == 0
        watcher.wait_for(r"^stopped watching$", timeout=5)
        assert "Traceback" not in "\n".join(watcher.seen) and not any("warning" in s for s in watcher.seen)
        changed = {name for name, value in around(tmp_path).items() if before.get(name) != value}
        assert changed and all(name.startswith("pack/") for name in changed)
        assert (tmp_path / "victim/notes.txt").read_text() == VICTIM_NOTES
    finally:
        watcher.kill()


def loaded(pack: Path) -> set[Path]:
    """What the preview reads of a pack: what its watcher is given."""
    from lessonpack.building.check import check_and_load
    from lessonpack.load.packfiles import recording_reads

    with recording_reads() as read:
        check_and_load(pack)
    return read


def test_the_watch_plan_stays_inside_the_pack(tmp_path):
    from lessonpack.apps.preview.watch import plan

    pack = make_pack(tmp_path)
    write(pack / "lessons/images/map.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    link(pack / "styles/shared", "/")
    link(pack / "lessons/pictures", tmp_path / "victim")
    read = loaded(pack) | {pack / "styles/shared/etc/passwd", pack / "lessons/pictures/notes.txt",
                           pack / "lessons/images/map.svg", pack / "dist/.lessonpack-manifest.json",
                           pack / "dist/stalin/stalin-student.html"}
    made = plan(pack, read, pack / "dist")
    real = pack.resolve()
    assert made.folders == (real, real / "lessons", real / "lessons/images")
    assert real / "lessons/stalin.yaml" in made.files and real / "lessonpack.yaml" in made.files
    assert not any("dist" in path.parts or "shared" in path.parts for path in made.files)
    assert made.matters(real / "lessons/lenin.yaml")  # a new lesson
    assert not made.matters(real / "lessons/.stalin.yaml.swp") and not made.matters(real / "lessons/notes.txt")
    write(pack / "templates/lesson.html", "{{ h.title }}\n")
    made = plan(pack, loaded(pack), pack / "dist")
    assert real / "templates" in made.folders and made.matters(real / "templates/handout.html")  # a new template


def wait(condition, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_a_preview_watcher_survives_what_it_cannot_watch_and_recovers(tmp_path, monkeypatch):
    import watchfiles

    from lessonpack.apps.preview.watch import Watcher

    pack = make_pack(tmp_path)
    link(pack / "styles/shared", "/")
    read = loaded(pack)
    real_watch = watchfiles.watch
    failures = {"watch": 2, "files": 1}

    def flaky_watch(*paths, **options):  # what walking /proc through styles/shared did to the old watcher
        if failures["watch"]:
            failures["watch"] -= 1
            raise PermissionError(13, "Permission denied", "/proc/1/map_files")
        return real_watch(*paths, **options)

    def flaky_files():
        if failures["files"]:
            failures["files"] -= 1
            raise PermissionError(13, "Permission denied", "/proc/1/map_files")
        return read

    monkeypatch.setattr(watchfiles, "watch", flaky_watch)
    changed, lines = threading.Event(), []
    watcher = Watcher(pack, changed.set, files=flaky_files, output=pack / "dist", warn=lines.append)
    watcher.start()
    try:
        assert wait(lambda: failures == {"watch": 0, "files": 0})
        for n in range(10):  # saved again and again, as a teacher does: noticed once the watch is back
            write(pack / "lessons/stalin.yaml", GOOD.replace("After Lenin died", f"When Lenin died ({n})"))
            if changed.wait(1):
                break
        assert changed.is_set(), lines
        assert watcher.alive
        assert lines == [
            "warning: watching the pack stopped for a moment (PermissionError: [Errno 13] Permission denied: "
            "'/proc/1/map_files'); watching again",
            "warning: cannot watch the pack for a moment ([Errno 13] Permission denied: '/proc/1/map_files'); trying "
            "again every second"]
    finally:
        watcher.stop()
    assert not watcher.alive


@pytest.mark.slow
def test_a_preview_watcher_warns_once_about_an_unreadable_folder(tmp_path, monkeypatch):
    from lessonpack.apps.preview.watch import Watcher

    pack = make_pack(tmp_path)
    monkeypatch.chdir(pack)
    write(pack / "lessons/images/map.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    read = loaded(pack) | {pack / "lessons/images/map.svg"}
    images = (pack / "lessons/images").resolve()
    (pack / "lessons/images").chmod(0)
    if os.geteuid() == 0:  # root reads any folder: it is unreadable to the watcher's access check instead
        access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != images and access(path, mode, **kw))
    changed, lines = threading.Event(), []
    watcher = Watcher(pack, changed.set, files=lambda: read, output=pack / "dist", warn=lines.append)
    try:
        watcher.start()
        write(pack / "lessons/stalin.yaml", GOOD.replace("After Lenin died", "When Lenin died"))
        assert changed.wait(10) and watcher.alive
        time.sleep(1.5)  # worked out again at least once: still one warning
        assert lines == ["warning: cannot watch lessons/images: permission denied; changes there are not noticed "
                         "until it can be read"]
        (pack / "lessons/images").chmod(0o755)
        monkeypatch.undo()
        monkeypatch.chdir(pack)
        time.sleep(1.5)
        changed.clear()
        write(pack / "lessons/images/map.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>')
        assert changed.wait(10)
    finally:
        (pack / "lessons/images").chmod(0o755)
        watcher.stop()
