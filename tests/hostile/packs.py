"""Hostile and broken packs, one per case: what a teacher might download, and what lessonpack must say.

Every case starts from the same small, valid pack (``pack/``) with a secret file beside it
(``secret.txt``), changes one thing, runs one or more commands in the pack folder, and states the
exit code and the exact lines the user must see. ``{tmp}`` in an expected line is the folder that
holds the pack and the secret.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from conftest import REPO

SECRET = "SECRET-TOKEN-7f3a9c"

GOOD = """title: The Soviet Union under Stalin
reading:
  text: After Lenin died, the kulaks resisted collectivization.
key_terms:
  - {term: kulaks, definition: better-off peasants}
  - {term: collectivization, definition: pooling land into state farms}
worksheet:
  items:
    - type: true_false
      prompt: Lenin named Stalin as his successor.
      answer: false
objectives:
  - Explain how Stalin rose to power after Lenin died.
"""

BUILTIN = REPO / "src" / "lessonpack" / "data" / "templates"
CLASSIC = REPO / "src/lessonpack/data/styles/classic"


@dataclass
class Case:
    name: str
    setup: Callable[[Path, Path], None]  # (pack folder, folder holding pack and secret)
    commands: tuple[tuple[str, ...], ...]
    code: int
    lines: tuple[str, ...]
    verify: Callable[[Path, Path, str], None] | None = None  # extra checks: (pack, tmp, output)
    slow: bool = False
    untouched: bool = True  # a failing command changes no file (False: a render failed after validation)
    fresh: bool = False  # run as a teacher runs it, in a process of its own (what a limit counts from is the
    # process's own start, not a test process that has already built a hundred documents)


CASES: dict[str, Case] = {}


def case(name: str, *commands: tuple[str, ...], code: int = 1, lines: tuple[str, ...] = (),
         verify: Callable | None = None, slow: bool = False, untouched: bool = True, fresh: bool = False):
    def register(setup: Callable[[Path, Path], None]) -> Callable:
        assert name not in CASES, name
        CASES[name] = Case(name, setup, commands, code, tuple(lines), verify, slow, untouched, fresh)
        return setup
    return register


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(text, bytes) else lambda t: path.write_text(t, encoding="utf-8"))(text)
    return path


def link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def copy_style(pack: Path, name: str = "classic") -> Path:
    folder = pack / "styles" / name
    folder.mkdir(parents=True, exist_ok=True)
    for source in CLASSIC.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


def template_with(pack: Path, name: str, old: str, new: str) -> None:
    text = (BUILTIN / name).read_text(encoding="utf-8")
    assert old in text, old
    write(pack / "templates" / name, text.replace(old, new, 1))


CHECK = ("check",)
BUILD = ("build", "-f", "pdf", "-e", "student")
BUILD_DOCX = ("build", "-f", "docx", "-e", "student")
SANDBOX_HINT = ("    hint: templates may only read the handout's data; they cannot reach Python objects, files or "
                "commands: remove the expression")
FIX_HINT = "    hint: fix the template, or delete it to use the built-in one"


# -- templates -----------------------------------------------------------------------------------


@case("template-runs-a-command", CHECK, BUILD, lines=(
    "templates/handout.html:2: error: template error: access to attribute '__init__' of 'type' object is unsafe.",
    SANDBOX_HINT))
def _(pack, tmp):
    write(pack / "templates/handout.html", "<html><body>\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n"
                                           "</body></html>\n")


@case("template-reaches-subclasses", CHECK, lines=(
    "templates/handout.html:1: error: template error: access to attribute '__class__' of 'str' object is unsafe.",))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{{ ''.__class__.__mro__[1].__subclasses__() }}")


@case("template-reaches-the-model-class", CHECK, lines=(
    "templates/handout.html:1: error: template error: access to attribute '__init__' of 'StrictUndefined' object is "
    "unsafe.",))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{{ h.__class__.__init__.__globals__ }}")


@case("template-mutates-a-list", CHECK, lines=(
    "templates/handout.html:1: error: template error: access to attribute 'append' of 'list' object is unsafe.",))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{% set x = [] %}{{ x.append(1) }}")


@case("template-includes-a-link-to-a-private-file", CHECK, BUILD, lines=(
    "templates/leak.html:1:1: error: this template is a link to {tmp}/secret.txt, outside the pack; lessonpack "
    "reads only files inside the pack",))
def _(pack, tmp):
    link(pack / "templates/leak.html", tmp / "secret.txt")
    template_with(pack, "handout.html", "<body", '{% include "leak.html" %}<body')


@case("template-includes-a-file-above-it", CHECK, lines=(
    'templates/handout.html:1: error: template error: no template named "../../secret.txt" in the pack\'s '
    "templates/ or the built-in ones",))
def _(pack, tmp):
    write(pack / "templates/handout.html", '{% include "../../secret.txt" %}')


@case("template-includes-an-absolute-path", CHECK, lines=(
    'templates/handout.html:1: error: template error: no template named "/etc/passwd" in the pack\'s templates/ or '
    "the built-in ones",))
def _(pack, tmp):
    write(pack / "templates/handout.html", '{% include "/etc/passwd" %}')


@case("template-huge-range", CHECK, BUILD, lines=(
    "templates/handout.html:1: error: template error: a range of more than 100,000 numbers is refused", FIX_HINT))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{% for i in range(10**9) %}x{% endfor %}")


@case("template-repeats-a-string", CHECK, lines=(
    "templates/handout.html:1: error: template error: repeating a text of 1 character 3,000,000,000 times is "
    "refused; the limit is 1,000,000 characters or entries",))
def _(pack, tmp):
    write(pack / "templates/handout.html", '{{ "A" * 3000000000 }}')


@case("template-repeats-a-list", CHECK, lines=(
    "templates/handout.html:1: error: template error: repeating a list of 1 entry 100,000,000 times is refused; "
    "the limit is 1,000,000 characters or entries",))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{{ ([1] * 100000000) | length }}")


@case("template-huge-power", CHECK, lines=(
    "templates/handout.html:1: error: template error: 10 ** 1000000 is too large a number to compute in a template",))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{{ 10 ** 1000000 }}")


@case("template-percent-padding", CHECK, lines=(
    "templates/handout.html:1: error: template error: a width of 999,999,999 is refused; the limit is 1,000,000",))
def _(pack, tmp):
    write(pack / "templates/handout.html", '{{ "%999999999s" % "x" }}')


@case("template-format-padding", CHECK, lines=(
    "templates/handout.html:1: error: template error: a width of 999,999,999 is refused; the limit is 1,000,000",))
def _(pack, tmp):
    write(pack / "templates/handout.html", '{{ "{:999999999}".format("x") }}')


@case("template-center-filter", CHECK, lines=(
    "templates/handout.html:1: error: template error: a width of 999,999,999 is refused; the limit is 1,000,000",))
def _(pack, tmp):
    write(pack / "templates/handout.html", '{{ "x" | center(999999999) }}')


@case("template-replace-explodes", CHECK, lines=(
    "templates/handout.html:1: error: template error: this replace would build a string beyond 1,000,000 characters",))
def _(pack, tmp):
    write(pack / "templates/handout.html",
          '{{ ("a" * 1000) | replace("a", "a" * 1000) | replace("a", "aa") }}')


@case("template-floods-output", CHECK, lines=(
    "templates/handout.html:1: error: template error: the template produced more than 50,000,000 characters of HTML",),
      slow=True)
def _(pack, tmp):
    write(pack / "templates/handout.html",
          "{% for i in range(100000) %}{% for j in range(100) %}" + "x" * 100 + "{% endfor %}{% endfor %}")


@case("template-never-ends", ("check", "--timeout", "2"), lines=(
    "templates:1: error: the pack's templates could not render its lessons: it took longer than 2 seconds (the "
    "time limit; raise it with check --timeout)",), slow=True)
def _(pack, tmp):
    write(pack / "templates/handout.html",
          "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")


@case("template-is-a-named-pipe", CHECK, BUILD, lines=(
    "templates/pipe.html:1:1: error: this is a named pipe (FIFO), not a regular file; lessonpack reads only "
    "regular files",))
def _(pack, tmp):
    (pack / "templates").mkdir()
    os.mkfifo(pack / "templates/pipe.html")


@case("template-links-to-dev-zero", CHECK, lines=(
    "templates/zero.html:1:1: error: this template is a link to /dev/zero, outside the pack; lessonpack reads only "
    "files inside the pack",))
def _(pack, tmp):
    link(pack / "templates/zero.html", "/dev/zero")


@case("template-too-big", CHECK, lines=(
    "templates/handout.html:1:1: error: file is 2,000,000 bytes; the limit for a template is 1,000,000 bytes",))
def _(pack, tmp):
    write(pack / "templates/handout.html", "x" * 2_000_000)


@case("template-folder-links-out-of-the-pack", CHECK, BUILD, lines=(
    "templates:1:1: error: templates/ is a link to {tmp}/elsewhere, outside the pack; lessonpack reads templates "
    "only from inside the pack",))
def _(pack, tmp):
    write(tmp / "elsewhere/handout.html", "{{ h.title_text }}")
    link(pack / "templates", tmp / "elsewhere")


@case("template-undefined-name", CHECK, BUILD, lines=(
    "templates/handout.html:1: error: template error: 'school_logo' is undefined",
    "    hint: templates can use h (the handout), L (its labels) and the names in docs/styles.md"))
def _(pack, tmp):
    write(pack / "templates/handout.html", "{{ school_logo }}")


@case("template-undefined-only-without-a-reading", CHECK, lines=(
    "templates/lesson.html:4: error: template error: 'None' has no attribute 'heading'",))
def _(pack, tmp):  # the pack's own lesson has a reading: only the built-in bare lesson finds this
    template_with(pack, "lesson.html", '<article', "{{ h.reading.heading | rich }}\n<article")


@case("template-recursion", CHECK, BUILD, lines=(
    "templates/handout.html:1: error: template error: a macro or include calls itself without end",), slow=True)
def _(pack, tmp):
    write(pack / "templates/handout.html", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")


@case("template-syntax-error", CHECK, BUILD, lines=(
    "templates/lesson.html:3: error: template syntax error: unexpected '}}'",))
def _(pack, tmp):
    write(pack / "templates/lesson.html", "line one\n{% if h.title %}\n{{ h.title }\n")


# -- styles --------------------------------------------------------------------------------------


@case("stylesheet-links-to-a-private-file", CHECK, BUILD, lines=(
    "styles/classic/handout.css:1:1: error: this stylesheet is a link to {tmp}/secret.txt, outside the pack; "
    "lessonpack reads only files inside the pack",))
def _(pack, tmp):
    folder = copy_style(pack)
    (folder / "handout.css").unlink()
    link(folder / "handout.css", tmp / "secret.txt")


@case("stylesheet-not-utf8", CHECK, BUILD, lines=(
    "styles/classic/handout.css:2:7: error: invalid UTF-8 at byte offset 27 (byte 0xe9)",))
def _(pack, tmp):
    write(copy_style(pack) / "handout.css", b"body { color: red; }\n/* caf\xe9 */\n")


@case("stylesheet-is-a-named-pipe", CHECK, lines=(
    "styles/classic/handout.css:1:1: error: this is a named pipe (FIFO), not a regular file; lessonpack reads only "
    "regular files",))
def _(pack, tmp):
    folder = copy_style(pack)
    (folder / "handout.css").unlink()
    os.mkfifo(folder / "handout.css")


@case("style-tokens-link-to-a-private-file", CHECK, lines=(
    "styles/classic/style.yaml:1:1: error: this style file is a link to {tmp}/secret.txt, outside the pack; "
    "lessonpack reads only files inside the pack",))
def _(pack, tmp):
    folder = copy_style(pack)
    (folder / "style.yaml").unlink()
    link(folder / "style.yaml", tmp / "secret.txt")


@case("reference-docx-links-to-a-private-file", CHECK, BUILD_DOCX, lines=(
    "styles/classic/reference.docx:1:1: error: this reference document is a link to {tmp}/secret.txt, outside the "
    "pack; lessonpack reads only files inside the pack",))
def _(pack, tmp):
    link(copy_style(pack) / "reference.docx", tmp / "secret.txt")


def _bomb(size: int) -> bytes:
    """A zip holding word/styles.xml of ``size`` spaces, compressed as tightly as deflate allows."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 24)
    # A full flush makes each chunk's deflate blocks stand alone, so one compressed chunk can be repeated.
    one = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = one * (size // len(chunk)) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return _raw_zip_entry("word/styles.xml", body, size)


def _raw_zip_entry(filename: str, body: bytes, size: int) -> bytes:
    # zipfile cannot store a stream it did not compress itself, so the headers are written here (zip64).
    name = filename.encode()
    extra = struct.pack("<HHQQ", 1, 16, size, len(body))
    crc = 0
    chunk = b" " * (1 << 24)
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                        len(name), len(extra)) + name + extra
    central_extra = struct.pack("<HHQQQ", 1, 24, size, len(body), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                          len(name), len(central_extra), 0, 0, 0, 0, 0xFFFFFFFF) + name + central_extra
    offset = len(local) + len(body)
    zip64_end = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 1, 1, len(central), offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, offset + len(central), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), 0xFFFFFFFF, 0)
    return local + body + central + zip64_end + locator + end


@case("reference-docx-zip-bomb", CHECK, BUILD_DOCX, lines=(
    "styles/classic/reference.docx:1:1: error: reference document: word/styles.xml is 1,610,612,736 bytes "
    "uncompressed; the limit for one part is 20,000,000 bytes",))
def _(pack, tmp):
    write(copy_style(pack) / "reference.docx", _bomb(96 << 24))  # 1.5 GiB of spaces


@case("reference-docx-ratio-bomb", CHECK, lines=(
    "styles/classic/reference.docx:1:1: error: reference document: word/styles.xml expands 1,028 times when "
    "unpacked (a zip bomb); the limit is 200 times",))
def _(pack, tmp):
    write(copy_style(pack) / "reference.docx", _bomb(1 << 24))  # 16 MiB: under the size cap, far over the ratio


def _reference(tmp: Path) -> dict[str, bytes]:
    from lessonpack.render.docx import reference_docx
    from lessonpack.styles.loader import load_style
    with zipfile.ZipFile(__import__("io").BytesIO(reference_docx(load_style("classic")))) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


@case("reference-docx-entity-expansion", CHECK, lines=(
    "styles/classic/reference.docx:1:1: error: reference document: word/styles.xml declares a DTD; lessonpack "
    "refuses XML with DTDs or entities",))
def _(pack, tmp):
    parts = _reference(tmp)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + ']><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol9;</w:styles>')
    parts["word/styles.xml"] = laughs.encode()
    write(copy_style(pack) / "reference.docx", _zip(parts))


@case("reference-docx-not-a-zip", CHECK, lines=(
    "styles/classic/reference.docx:1:1: error: not a Word document that lessonpack can read (File is not a zip "
    "file)",))
def _(pack, tmp):
    write(copy_style(pack) / "reference.docx", b"PK but not really a zip")


@case("reference-docx-many-entries", CHECK, lines=(
    "styles/classic/reference.docx:1:1: error: reference document has 2,500 entries; the limit is 2,000",))
def _(pack, tmp):
    write(copy_style(pack) / "reference.docx", _zip({f"junk/{n}.xml": b"<x/>" for n in range(2500)}))


def _no_external_parts(pack: Path, tmp: Path, output: str) -> None:
    with zipfile.ZipFile(pack / "dist/stalin/stalin-student.docx") as z:
        names = z.namelist()
        everything = b"".join(z.read(n) for n in names)
    assert b'TargetMode="External"' not in everything
    for needle in (b"attachedTemplate", b"evil", b"OLEObject", b"oleObject", b"mailMerge", b"127.0.0.1"):
        assert needle not in everything, needle
    assert not any(n.startswith(("word/media", "word/embeddings", "word/vbaProject")) for n in names), names


@case("reference-docx-with-external-relationships", BUILD_DOCX, code=0, verify=_no_external_parts)
def _(pack, tmp):
    parts = _reference(tmp)
    r = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    settings = parts["word/settings.xml"]
    if b"xmlns:r=" not in settings:
        settings = settings.replace(b"<w:settings ", b"<w:settings " + r + b" ", 1)
    parts["word/settings.xml"] = settings.replace(
        b"</w:settings>", b'<w:attachedTemplate r:id="rIdT"/><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
                          b'<w:dataSource r:id="rIdM"/></w:mailMerge></w:settings>')
    parts["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://127.0.0.1:9/evil.dotm" TargetMode="External"/>'
        b'<Relationship Id="rIdM" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'mailMergeSource" Target="file:///C:/evil.csv" TargetMode="External"/></Relationships>')
    rels = parts["word/_rels/document.xml.rels"]
    parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", (
        b'<Relationship Id="rIdO" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'oleObject" Target="\\\\evil-server\\share\\evil.bin" TargetMode="External"/>'
        b'<Relationship Id="rIdI" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="media/evil.png"/></Relationships>'))
    parts["word/media/evil.png"] = b"\x89PNG evil"
    body = parts["word/document.xml"]
    parts["word/document.xml"] = body.replace(b"</w:body>", (
        b'<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" ' + r +
        b' r:id="rIdO"/></w:object></w:r></w:p></w:body>'))
    write(copy_style(pack) / "reference.docx", _zip(parts))


@case("styles-folder-links-out-of-the-pack", CHECK, lines=(
    "{tmp}/elsewhere/classic/style.yaml:1:1: error: this style file lies at {tmp}/elsewhere/classic/style.yaml, "
    "outside the pack; lessonpack reads only files inside the pack",))
def _(pack, tmp):
    folder = tmp / "elsewhere" / "classic"
    folder.mkdir(parents=True)
    for source in CLASSIC.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    link(pack / "styles", tmp / "elsewhere")


# -- lessons and pack settings --------------------------------------------------------------------


@case("lesson-links-to-a-private-file", CHECK, BUILD, lines=(
    "lessons/notes.yaml:1:1: error: this lesson file is a link to {tmp}/secret.txt, outside the pack; lessonpack "
    "reads only files inside the pack",))
def _(pack, tmp):
    link(pack / "lessons/notes.yaml", tmp / "secret.txt")


@case("lesson-is-a-named-pipe", CHECK, BUILD, lines=(
    "lessons/pipe.yaml:1:1: error: this is a named pipe (FIFO), not a regular file; lessonpack reads only regular "
    "files",))
def _(pack, tmp):
    os.mkfifo(pack / "lessons/pipe.yaml")


@case("lesson-is-a-folder", CHECK, lines=(
    "lessons/folder.yaml:1:1: error: this is a folder, not a regular file; lessonpack reads only regular files",))
def _(pack, tmp):
    (pack / "lessons/folder.yaml").mkdir()


@case("pack-settings-is-a-folder", CHECK, BUILD, lines=(
    "lessonpack.yaml:1:1: error: this is a folder, not a regular file; lessonpack reads only regular files",))
def _(pack, tmp):
    (pack / "lessonpack.yaml").unlink()
    (pack / "lessonpack.yaml").mkdir()


@case("pack-settings-link-to-a-private-file", CHECK, lines=(
    "lessonpack.yaml:1:1: error: this pack settings file is a link to {tmp}/secret.txt, outside the pack; "
    "lessonpack reads only files inside the pack",))
def _(pack, tmp):
    (pack / "lessonpack.yaml").unlink()
    link(pack / "lessonpack.yaml", tmp / "secret.txt")


@case("merge-key-with-a-scalar", CHECK, BUILD, lines=(
    "lessons/stalin.yaml:3:3: error: subtitle: a merge key (<<) must name a mapping or a list of mappings",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", "x: &x 5\nsubtitle:\n  <<: *x\n" + GOOD.replace("title:", "title:", 1))


@case("escaped-bell-character", CHECK, BUILD, lines=(
    "lessons/stalin.yaml:1:8: error: title: the character U+0007 (a control character) is not allowed in text",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", GOOD.replace("title: The Soviet Union under Stalin",
                                                     'title: "The Soviet \\a Union"'))


@case("escaped-vertical-tab-and-form-feed", CHECK, lines=(
    "lessons/stalin.yaml:1:11: error: subtitle: the character U+000B (a control character) is not allowed in text",
    "lessons/stalin.yaml:2:7: error: unit: the character U+000C (a control character) is not allowed in text"))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", 'subtitle: "a\\vb"\nunit: "c\\fd"\n' + GOOD)


@case("escaped-lone-surrogate", CHECK, lines=(
    "lessons/stalin.yaml:1:7: error: unit: the character U+D800 (half of a surrogate pair) is not allowed in text",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", 'unit: "x\\ud800y"\n' + GOOD)


def _items(n: int) -> str:
    return GOOD.split("worksheet:")[0] + "worksheet:\n  items:\n" + "".join(
        f"    - {{type: true_false, prompt: Statement {i}., answer: true}}\n" for i in range(n))


@case("ten-thousand-worksheet-items", CHECK, BUILD, lines=(
    "lessons/stalin.yaml:9:5: error: worksheet.items: has 10,000 entries; the limit for items in one worksheet is "
    "200",), slow=True)
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", _items(10_000))


@case("twelve-thousand-key-terms", CHECK, lines=(
    "lessons/stalin.yaml:5:3: error: key_terms: has 12,001 entries; the limit for key terms in one lesson is 200",),
      slow=True)
def _(pack, tmp):
    terms = "".join(f"  - {{term: term{i}, definition: meaning {i}}}\n" for i in range(12_000))
    write(pack / "lessons/stalin.yaml", GOOD.replace(
        "  - {term: kulaks, definition: better-off peasants}\n", terms))


@case("a-field-full-of-brackets", CHECK, lines=(
    'lessons/stalin.yaml:10:13: error: worksheet.items[0].text: a blank is not closed: every "[[" needs a matching '
    '"]]"',))
def _(pack, tmp):  # the most brackets a field can hold (the scan is linear; 80 KB is refused by the field cap)
    write(pack / "lessons/stalin.yaml", GOOD.split("worksheet:")[0] + "worksheet:\n  items:\n"
          "    - type: fill_in_blank\n      text: \"" + "[[" * 9_999 + "\"\n")


@case("eighty-kilobytes-of-brackets", CHECK, lines=(
    "lessons/stalin.yaml:10:13: error: worksheet.items[0].text: is 80,000 characters long; the limit for one field "
    "is 20,000 characters",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", GOOD.split("worksheet:")[0] + "worksheet:\n  items:\n"
          "    - type: fill_in_blank\n      text: \"" + "[[" * 40_000 + "\"\n")


@case("too-many-blanks", CHECK, lines=(
    "lessons/stalin.yaml:10:13: error: worksheet.items[0].text: has 60 blanks; the limit for one fill-in item is 50",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", GOOD.split("worksheet:")[0] + "worksheet:\n  items:\n"
          "    - type: fill_in_blank\n      text: \"" + " ".join(f"[[w{i}]]" for i in range(60)) + "\"\n")


@case("field-too-long", CHECK, lines=(
    "lessons/stalin.yaml:1:11: error: subtitle: is 25,000 characters long; the limit for one field is 20,000 "
    "characters",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", "subtitle: " + "x" * 25_000 + "\n" + GOOD)


@case("aliases-expand-to-megabytes-of-text", CHECK, lines=(
    "lessons/stalin.yaml:3:1: error: prompts: aliases expand this beyond 2,000,000 characters of text; lessonpack "
    "refuses documents that grow this large",))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", "title: Aliases\nx: &big " + "y" * 15_000 + "\nprompts:\n"
          + "".join("  - *big\n" for _ in range(200)))


def _long_title(pack: Path, tmp: Path, output: str) -> None:
    from docx import Document
    from pypdf import PdfReader

    title = "The Long Title " * 20 + "And Its Sequel"
    core = Document(str(pack / "dist/stalin/stalin-student.docx")).core_properties
    assert len(core.title) == 255 and core.title.endswith("…") and title.startswith(core.title[:-1])
    assert PdfReader(pack / "dist/stalin/stalin-student.pdf").metadata.title == title


@case("a-314-character-title", CHECK, ("build", "-e", "student"), code=0, verify=_long_title, slow=True)
def _(pack, tmp):
    title = "The Long Title " * 20 + "And Its Sequel"
    assert len(title) == 314
    write(pack / "lessons/stalin.yaml", GOOD.replace("The Soviet Union under Stalin", title))


# -- pictures a lesson names -------------------------------------------------------------------------

PICTURE = GOOD.replace("worksheet:", """sources:
  - title: A picture
    image: {image}
    alt: What it shows
    citation: Made for the test.
worksheet:""").replace("      answer: false\n", "      answer: false\n      source: A\n")
"""The valid pack's lesson with one picture source (its image: value at line 9, column 12)."""


def picture_case(name: str, image: str, message: str, hint: str | None = None, slow: bool = False):
    """A lesson whose picture is refused: check and build both say where, and change no file."""
    lines = (f"lessons/stalin.yaml:9:12: error: sources[0].image: {message}",) + ((f"    hint: {hint}",) if hint else ())

    def register(setup: Callable[[Path, Path], None]) -> Callable:
        def both(pack: Path, tmp: Path) -> None:
            write(pack / "lessons/stalin.yaml", PICTURE.replace("{image}", image))
            setup(pack, tmp)
        return case(name, CHECK, BUILD, BUILD_DOCX, lines=lines, slow=slow)(both)
    return register


@picture_case("picture-missing", "images/map.png", '"images/map.png": no such file',
              'pictures are named from the lesson file\'s folder: lessons/images/map.png is "images/map.png"')
def _(pack, tmp):
    pass


@picture_case("picture-links-out-of-the-pack", "images/leak.png", '"images/leak.png": this picture is a link to '
              "{tmp}/secret.txt, outside the pack; lessonpack reads only files inside the pack",
              "copy the picture into the pack and refer to the copy")
def _(pack, tmp):
    link(pack / "lessons/images/leak.png", tmp / "secret.txt")


@picture_case("picture-is-not-an-image", "images/notes.png", '"images/notes.png" is not a PNG, JPEG, GIF, WebP or '
              "SVG image (judged by its content, not its name)",
              "export the picture as PNG or JPEG, or a chart or map as SVG")
def _(pack, tmp):
    write(pack / "lessons/images/notes.png", "Notes, not a picture.\n")


@picture_case("picture-beyond-the-pixel-cap", "images/huge.png", '"images/huge.png": an image of 20,000 × 20,000 '
              "pixels; the limit is 40,000,000 pixels", "scale it down (2,000 pixels across prints sharply on a full "
              "page)", slow=True)
def _(pack, tmp):
    write(pack / "lessons/images/huge.png", _huge_png(20_000, 20_000))


@picture_case("picture-cut-short", "images/cut.png", '"images/cut.png": the image cannot be read: the file is '
              "damaged or cut short", "open it in an image editor and save it again")
def _(pack, tmp):
    write(pack / "lessons/images/cut.png", _huge_png(300, 200)[:60])


@picture_case("picture-svg-with-a-script", "images/chart.svg", '"images/chart.svg": an SVG with a <script> element',
              "a handout's pictures only draw; remove it")
def _(pack, tmp):
    write(pack / "lessons/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                                             "<script>alert(1)</script><rect width='5' height='5'/></svg>")


@picture_case("picture-svg-reaches-out", "images/chart.svg", '"images/chart.svg": an SVG that refers to '
              "http://127.0.0.1:9/x.png; only references inside the SVG are allowed",
              "embed what it refers to in the SVG, or draw it as a separate picture")
def _(pack, tmp):
    write(pack / "lessons/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                                             'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
                                             '<image xlink:href="http://127.0.0.1:9/x.png" width="5" height="5"/></svg>')


@picture_case("picture-svg-styles-reach-out", "images/chart.svg", '"images/chart.svg": an SVG whose styles refer to '
              "http://127.0.0.1:9/f.woff; only references inside the SVG are allowed",
              "embed what it refers to in the SVG")
def _(pack, tmp):
    write(pack / "lessons/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>'
                                             "@font-face { font-family: F; src: url(http://127.0.0.1:9/f.woff) }"
                                             "</style><text>x</text></svg>")


@picture_case("picture-svg-with-entities", "images/chart.svg", '"images/chart.svg": an SVG with a DTD or entities',
              "save the SVG without a DOCTYPE (most editors can export “plain SVG”)")
def _(pack, tmp):
    write(pack / "lessons/images/chart.svg", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM '
                                             f'"file://{tmp}/secret.txt">]><svg xmlns="http://www.w3.org/2000/svg" '
                                             'viewBox="0 0 10 10"><text>&x;</text></svg>')


@picture_case("picture-svg-embeds-a-pixel-bomb", "images/chart.svg", '"images/chart.svg": an image of 20,000 × '
              "20,000 pixels; the limit is 40,000,000 pixels", "scale it down (2,000 pixels across prints sharply on "
              "a full page)", slow=True)
def _(pack, tmp):
    import base64

    bomb = base64.b64encode(_huge_png(20_000, 20_000)).decode("ascii")
    write(pack / "lessons/images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                                             'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
                                             f'<image xlink:href="data:image/png;base64,{bomb}" width="5" '
                                             'height="5"/></svg>')


@picture_case("picture-is-a-web-address", "http://127.0.0.1:9/map.png", '"http://127.0.0.1:9/map.png" is an '
              "address; lessonpack never fetches anything from the network",
              "download the picture into the pack (e.g. lessons/images/) and name the file")
def _(pack, tmp):
    pass


@picture_case("picture-absolute-path", "/etc/hostname", '"/etc/hostname" is an absolute path',
              "name the picture relative to the lesson file, e.g. images/map.png")
def _(pack, tmp):
    pass


@case("reading-picture-missing", CHECK, BUILD, lines=(
    'lessons/stalin.yaml:6:26: error: reading.text: "images/map.png": no such file',))
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", GOOD.replace(
        "  text: After Lenin died, the kulaks resisted collectivization.",
        "  text: |\n    After Lenin died, the kulaks resisted collectivization.\n\n    ![A map of the USSR](images/map.png)"))


# -- output state that came with the pack ---------------------------------------------------------


def _victim_intact(pack: Path, tmp: Path, output: str) -> None:
    assert (tmp / "victim/notes.txt").read_text() == "the teacher's notes\n"
    assert sorted(p.name for p in (tmp / "victim").iterdir()) == ["notes.txt"]


def _shipped_manifest(pack: Path, tmp: Path, outputs: dict) -> None:
    import json

    write(tmp / "victim/notes.txt", "the teacher's notes\n")
    write(pack / "dist/.lessonpack-manifest.json", json.dumps(
        {"version": 2, "signature": "0" * 64, "outputs": outputs}))


UNTRUSTED_DIST = ("error: not cleaning dist: it holds no record of a build of yours (.lessonpack-manifest.json signed "
                  "by your builds for this folder), so lessonpack cannot tell which files it wrote; nothing was removed")


@case("shipped-manifest-names-a-file-above-the-pack", ("clean",), verify=_victim_intact, lines=(UNTRUSTED_DIST,))
def _(pack, tmp):
    _shipped_manifest(pack, tmp, {"../../victim/notes.txt": {"key": "k", "sha256": "s", "deps": {}}})


@case("shipped-manifest-names-an-absolute-path", ("clean",), verify=_victim_intact, lines=(UNTRUSTED_DIST,))
def _(pack, tmp):
    _shipped_manifest(pack, tmp, {str(tmp / "victim/notes.txt"): {"key": "k", "sha256": "s", "deps": {}}})


@case("shipped-manifest-depends-on-dev-zero", BUILD, code=0, lines=("written   dist/stalin/stalin-student.pdf",))
def _(pack, tmp):
    _shipped_manifest(pack, tmp, {"stalin/stalin-student.pdf": {"key": "k", "sha256": "s",
                                                                "deps": {"/dev/zero": "z"}}})


def _rebuilt(pack: Path, tmp: Path, output: str) -> None:
    assert (pack / "dist/stalin/stalin-student.pdf").read_bytes().startswith(b"%PDF")


@case("shipped-output-swapped-with-a-matching-hash", BUILD, code=0, verify=_rebuilt,
      lines=("written   dist/stalin/stalin-student.pdf",))
def _(pack, tmp):
    import hashlib

    swapped = b"not the handout the lesson makes"
    write(pack / "dist/stalin/stalin-student.pdf", swapped)
    _shipped_manifest(pack, tmp, {"stalin/stalin-student.pdf": {
        "key": "anything", "sha256": hashlib.sha256(swapped).hexdigest(), "deps": {}}})


@case("shipped-manifest-is-a-link-to-dev-zero", BUILD, code=0, lines=("written   dist/stalin/stalin-student.pdf",))
def _(pack, tmp):
    link(pack / "dist/.lessonpack-manifest.json", "/dev/zero")


@case("shipped-lesson-output-folder-links-out", BUILD, verify=_victim_intact, lines=(
    "error: cannot write dist/stalin/stalin-student.pdf: dist/stalin is a symbolic link; lessonpack writes only "
    "inside the output folder (delete the link)",))
def _(pack, tmp):
    write(tmp / "victim/notes.txt", "the teacher's notes\n")
    link(pack / "dist/stalin", tmp / "victim")


@case("shipped-output-folder-links-out", BUILD, ("clean",), verify=_victim_intact, lines=(
    "error: cannot write dist: it is a link to {tmp}/victim, outside the pack; lessonpack writes into a link "
    "only when you name it: delete the link, or choose the folder with -o",))
def _(pack, tmp):
    write(tmp / "victim/notes.txt", "the teacher's notes\n")
    link(pack / "dist", tmp / "victim")


@case("shipped-lock-file-links-out", BUILD, verify=_victim_intact, lines=(
    "error: cannot write dist/.lessonpack.lock: it is a symbolic link; lessonpack does not write through links "
    "(delete it)",))
def _(pack, tmp):
    write(tmp / "victim/notes.txt", "the teacher's notes\n")
    link(pack / "dist/.lessonpack.lock", tmp / "victim/lock")


@case("output-folder-below-a-file", ("build", "-f", "pdf", "-o", "afile/sub"), lines=(
    "error: cannot write afile/sub: Not a directory",))
def _(pack, tmp):
    write(pack / "afile", "a file, not a folder\n")


# -- what the outputs may carry -------------------------------------------------------------------


def _qdf(pdf: Path) -> bytes:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "q.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(out)], check=False,
                       capture_output=True)
        return out.read_bytes()


def _nothing_active(pack: Path, tmp: Path, output: str) -> None:
    import re

    data = _qdf(pack / "dist/stalin/stalin-student.pdf")
    for needle in (b"/AcroForm", b"/SubmitForm", b"/Widget", b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile",
                   b"/FileAttachment", b"file:", b"javascript:", b"127.0.0.1"):
        assert needle not in data, needle
    # A pack's templates keep only links inside the document: the web and mail links went with the others.
    assert re.findall(rb"/URI \(([^)]*)\)", data) == []


@case("template-adds-a-form-links-and-attachments", CHECK, BUILD, code=0, verify=_nothing_active, slow=True)
def _(pack, tmp):
    write(pack / "attached.txt", SECRET)
    template_with(pack, "lesson.html", '<header class="masthead">', (
        '<header class="masthead"><form action="http://127.0.0.1:9/submit" method="post">'
        '<input name="answer" value="x" style="appearance: auto">'
        '<input type="checkbox" name="c" style="appearance: auto">'
        '<button type="submit" style="appearance: auto">Send</button></form>'
        '<a href="file:///etc/passwd">local</a> <a href="javascript:alert(1)">script</a> '
        '<a href="https://example.org/">web</a> <a href="mailto:office@example.org">mail</a> '
        '<a rel="attachment" href="attached.txt">attached</a><link rel="attachment" href="attached.txt">'))


def _header_intact(pack: Path, tmp: Path, output: str) -> None:
    from pypdf import PdfReader

    text = PdfReader(pack / "dist/stalin/stalin-student.pdf").pages[0].extract_text()
    assert "Evil } body { display: none } @page { @top-left { content: 'x' } }'\" · Test Unit" in text, text
    assert "Name" in text and "The Soviet Union under Stalin" in text  # the body is still there


@case("school-name-injects-css", BUILD, code=0, verify=_header_intact, slow=True)
def _(pack, tmp):
    write(pack / "lessonpack.yaml", 'title: Test Unit\nschool: "Evil\\r} body { display: none } @page { @top-left '
                                    "{ content: 'x' } }'\\\"\"\n")


def _svg_bomb() -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
             'height="10"><defs><rect id="l0" width="1" height="1"/>']
    for i in range(1, 10):
        parts.append(f'<g id="l{i}">' + "".join(f'<use xlink:href="#l{i - 1}"/>' for _ in range(10)) + "</g>")
    return "".join(parts) + '</defs><use xlink:href="#l9"/></svg>'


def _huge_png(width: int, height: int) -> bytes:
    """A valid greyscale PNG of ``width`` × ``height`` black pixels (tiny on disk)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def _no_raw_library_output(pack: Path, tmp: Path, output: str) -> None:
    assert "DecompressionBomb" not in output and "PIL" not in output and "GLib" not in output, output


@case("style-loads-dangerous-images", BUILD, code=0, verify=_no_raw_library_output, lines=(
    "stalin: warning: not loaded: styles/classic/bomb.svg (an SVG whose <use> elements copy other <use> elements "
    "(it could multiply without end))",
    "stalin: warning: not loaded: styles/classic/script.svg (an SVG with a <script> element)",
    "stalin: warning: not loaded: styles/classic/outside.svg (an SVG that refers to http://127.0.0.1:9/x.png; only "
    "references inside the SVG are allowed)",
    "stalin: warning: not loaded: styles/classic/entities.svg (an SVG with a DTD or entities)",
    "stalin: warning: not loaded: styles/classic/huge.png (an image of 20,000 × 20,000 pixels; the limit is "
    "40,000,000 pixels)",
    "stalin: warning: not loaded: styles/classic/wide.png (an image of 8,000 × 6,000 pixels; the limit is "
    "40,000,000 pixels)",
), slow=True)
def _(pack, tmp):
    folder = copy_style(pack)
    write(folder / "bomb.svg", _svg_bomb())
    write(folder / "script.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                 "<script>alert(1)</script></svg>")
    write(folder / "outside.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
                                  ' width="10" height="10"><image xlink:href="http://127.0.0.1:9/x.png" width="5" '
                                  'height="5"/></svg>')
    write(folder / "entities.svg", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg '
                                   'xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>')
    write(folder / "huge.png", _huge_png(20_000, 20_000))
    write(folder / "wide.png", _huge_png(8_000, 6_000))
    with open(folder / "handout.css", "a", encoding="utf-8") as css:
        css.write(".masthead { background: url(bomb.svg), url(script.svg), url(outside.svg), url(entities.svg), "
                  "url(huge.png), url(wide.png); }\n")


# -- limits on one render -------------------------------------------------------------------------

BIG = GOOD.split("worksheet:")[0] + "worksheet:\n  items:\n" + "".join(
    f"    - {{type: essay, prompt: 'Essay {i}: discuss the causes at length.', lines: 80}}\n" for i in range(200))


def _nothing_written(pack: Path, tmp: Path, output: str) -> None:
    assert not (pack / "dist/stalin").exists()


@case("render-takes-longer-than-the-deadline", ("build", "-f", "pdf", "-e", "student", "--timeout", "2"), lines=(
    "lessons/stalin.yaml: error: rendering dist/stalin/stalin-student.pdf failed: it took longer than 2 seconds "
    "(the time limit; raise it with --timeout)",), verify=_nothing_written, slow=True, untouched=False)
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", BIG)


def _memory_message(pack: Path, tmp: Path, output: str) -> None:
    _nothing_written(pack, tmp, output)
    (line,) = [ln for ln in output.splitlines() if ": error: " in ln]
    assert line.startswith("lessons/stalin.yaml: error: rendering dist/stalin/stalin-student.pdf failed: "), line
    # Python's MemoryError, or a library stopped by the allocator: either way the limit is named.
    assert line.endswith("needed more than 256 MiB of memory (the memory limit; raise it with --memory-limit)"), line


@case("render-needs-more-memory-than-the-limit", ("build", "-f", "pdf", "-e", "student", "--memory-limit", "256"),
      verify=_memory_message, slow=True, untouched=False, fresh=True)
def _(pack, tmp):
    write(pack / "lessons/stalin.yaml", BIG)
