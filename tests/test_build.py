"""`lessonpack build` behaviour around the renderers: options, overrides, labels, safety, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, snapshot, own
from test_check import GOOD, write

from lessonpack.handout import derange, plan
from lessonpack.load.pack import load_pack


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(path).pages))


def test_build_command_writes_into_dist_by_default(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    result = run("build", "--format", "pdf", "--edition", "student")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist/stalin/stalin-student.pdf").is_file()
    assert not (tmp_path / "dist/stalin/stalin-teacher.pdf").exists()
    assert "1 written, 0 unchanged, 0 failed" in result.output


def test_invalid_lesson_stops_the_build_and_writes_nothing(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "lessons/trotsky.yaml", "title: Trotsky\nworksheet:\n  items:\n    - type: essay\n")
    (tmp_path / "dist").mkdir()
    before = snapshot(tmp_path)
    result = run("build", "-f", "pdf")
    assert result.exit_code == 1
    assert 'lessons/trotsky.yaml:4:7: error: worksheet.items[0]: missing required field "prompt"' in result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_unknown_style_is_a_clear_error(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    result = run("build", "--style", "large-prnt")
    assert result.exit_code == 1
    assert 'no style named "large-prnt"; did you mean "large-print"?' in result.output
    assert not (tmp_path / "dist").exists()


def test_html_is_written_for_preview_and_escapes_raw_html(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD.replace(
        "After Lenin died", "<script>alert(1)</script> After **Lenin** died"))
    result = run("build", "-f", "html", "-e", "student")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "dist/stalin/stalin-student.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>Lenin</strong>" in html
    assert "<style>" in html and "--writing-line" in html  # self-contained preview


def test_pack_templates_and_styles_override_built_ins(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    builtin_items = (REPO / "src/lessonpack/data/templates/items.html").read_text(encoding="utf-8")
    write(tmp_path, "templates/items.html", builtin_items.replace(
        '<span class="pts">{{ q.points_label }}</span>', '<span class="pts">{{ q.points_label }} [custom]</span>'))
    style = tmp_path / "styles/classic"
    write(style, "style.yaml", (REPO / "src/lessonpack/data/styles/classic/style.yaml").read_text(encoding="utf-8").replace(
        "size: 11 ", "size: 9 "))
    write(style, "handout.css", ".q::before { content: 'PACK STYLE'; }\n")
    listing = run("styles").output
    assert re.search(r"^classic\s+pack\s+styles/classic", listing, re.M), listing
    assert re.search(r"^large-print\s+built-in", listing, re.M), listing
    result = run("build", "-f", "pdf", "-e", "student")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "dist/stalin/stalin-student.pdf")
    assert "1 point [custom]" in text
    assert "PACK STYLE" in text


def test_fetcher_refuses_network_and_files_outside_the_pack(run, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not really a png")
    pack = tmp_path / "pack"
    write(pack, "lessons/stalin.yaml", GOOD)
    write(pack, "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
                            'height="10"/></svg>')
    builtin = (REPO / "src/lessonpack/data/templates/lesson.html").read_text(encoding="utf-8")
    write(pack, "templates/lesson.html", builtin.replace(
        '<header class="masthead">',
        f'<header class="masthead"><img src="logo.svg" alt="logo"><img src="{outside.as_uri()}" alt="x">'
        '<img src="https://example.com/x.png" alt="y"><img src="file:///etc/passwd" alt="z">'))
    result = run("build", "-f", "pdf", "-e", "student", cwd=pack)
    assert result.exit_code == 0, result.output
    refused = sorted(re.findall(r"^stalin: warning: not loaded: (\S+) \((.*)\)$", result.output, re.M))
    assert refused == [
        ("/etc/passwd", "this resource lies at /etc/passwd, outside the pack; lessonpack reads only files "
                        "inside the pack"),
        # (a long path is shortened where it is named first: the test folder's depth varies)
        (str(outside) if len(str(outside)) < 80 else str(outside)[:77] + "…",
         f"this resource lies at {outside}, outside the pack; lessonpack reads only files inside the pack"),
        ("https://example.com/x.png", "only files inside the pack and its style are loaded, never the network"),
    ]


def test_spanish_labels_and_english_fallback(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD.replace("title: The Soviet", "language: es\ntitle: La URSS"))
    write(tmp_path, "lessons/lenin.yaml", GOOD.replace("title: The Soviet", "language: nl\ntitle: Lenin"))
    result = run("build", "-f", "pdf")
    assert result.exit_code == 0, result.output
    student = pdf_text(tmp_path / "dist/stalin/stalin-student.pdf")
    teacher = pdf_text(tmp_path / "dist/stalin/stalin-teacher.pdf")
    assert "Nombre" in student and "Fecha" in student and "Verdadero" in student
    assert "EDICIÓN DEL DOCENTE" in teacher and "Solucionario" in teacher
    assert ('lenin: warning: no handout labels for language "nl"; using English (available: de, en, es, fr, it, pt)'
            in result.output)
    assert "Name" in pdf_text(tmp_path / "dist/lenin/lenin-student.pdf")
    assert PdfReader(tmp_path / "dist/stalin/stalin-student.pdf").trailer["/Root"]["/Lang"] == "es"


def test_shuffles_are_deterministic_derangements():
    for n in range(2, 12):
        values = [f"event {i}" for i in range(n)]
        order = derange(values, "lesson/3")
        assert sorted(order) == list(range(n))
        assert all(order[i] != i for i in range(n))
        assert derange(values, "lesson/3") == order
    pack = load_pack(REPO)
    for lesson in pack.lessons:
        student, teacher = plan(lesson, "student"), plan(lesson, "teacher")
        for s, t in zip(student.worksheet.questions, teacher.worksheet.questions, strict=True):
            # Both editions show the same order; only the teacher's model carries answers.
            assert [e.text for e in own(s, "events")] == [e.text for e in own(t, "events")]
            assert [c.text for _, c in own(s, "rows") if c] == [c.text for _, c in own(t, "rows") if c]
            assert own(s, "word_bank") == own(t, "word_bank")
            assert not any(c.correct for c in own(s, "choices") + own(s, "options")) and not own(s, "rubric")
            if s.kind in ("short_answer", "essay"):
                assert (s.writing.answer, s.writing.answer_lines, s.writing.lines) == (None, 0, t.writing.lines)
            assert all(row.answer is None for row in own(s, "left")) and all(e.position is None for e in own(s, "events"))
            if t.kind == "ordering":
                assert [e.position for e in t.events] != list(range(1, len(t.events) + 1))


def test_pack_templates_cannot_attach_files(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "notes.txt", "private notes")
    builtin = (REPO / "src/lessonpack/data/templates/lesson.html").read_text(encoding="utf-8")
    write(tmp_path, "templates/lesson.html", builtin.replace(
        '<header class="masthead">',
        '<link rel="attachment" href="notes.txt"><a rel="attachment" href="notes.txt">notes</a>'
        '<header class="masthead">'))
    assert run("build", "-f", "pdf", "-e", "student").exit_code == 0
    reader = PdfReader(tmp_path / "dist/stalin/stalin-student.pdf")
    assert list(reader.attachments) == []
    assert not [a for page in reader.pages for a in (page.get("/Annots") or [])
                if a.get_object().get("/Subtype") == "/FileAttachment"]
    assert b"private notes" not in (tmp_path / "dist/stalin/stalin-student.pdf").read_bytes()


def test_reference_docx_command(run, tmp_path):
    from docx import Document

    result = run("reference-docx", "--style", "large-print", "-o", "ref/reference.docx")
    assert result.exit_code == 0, result.output
    assert "wrote ref/reference.docx" in result.output
    document = Document(tmp_path / "ref/reference.docx")
    names = {style.name for style in document.styles}
    assert {"LP Question", "LP Reading", "LP Answer", "LP Table"} <= names
    assert document.styles["Normal"].font.size.pt >= 16  # LP Reading inherits it
    assert run("reference-docx", "--style", "nope", "-o", "x.docx").exit_code == 1
    assert not (tmp_path / "x.docx").exists()


def test_italics_token_drives_both_formats(run, tmp_path):
    import shutil
    import subprocess

    from docx import Document

    write(tmp_path, "lessons/stalin.yaml", GOOD.replace("    - type: true_false", "    - type: short_answer\n"
                    "      prompt: Why?\n      answer: A model answer.\n    - type: true_false"))
    for style in ("classic", "large-print"):
        assert run("build", "-e", "teacher", "--style", style, "-o", style).exit_code == 0
        answer = Document(tmp_path / style / "stalin/stalin-teacher.docx").styles["LP Answer"].font
        if style == "classic":
            assert answer.italic is True
        else:
            assert not answer.italic and answer.bold is True
        if shutil.which("pdffonts"):
            fonts = subprocess.run(["pdffonts", str(tmp_path / style / "stalin/stalin-teacher.pdf")],
                                   capture_output=True, text=True, check=True).stdout
            assert ("Italic" in fonts) is (style == "classic"), fonts


def test_template_syntax_errors_are_positioned_and_stop_the_build(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "templates/lesson.html", "line one\n{% if h.title %}\n{{ h.title }\n")
    before = snapshot(tmp_path)
    for command in (["check"], ["build", "-f", "html"]):
        result = run(*command)
        assert result.exit_code == 1
        assert "templates/lesson.html:3: error: template syntax error: unexpected '}'" in result.output
    assert snapshot(tmp_path) == before


def test_a_missing_style_font_is_named_once_with_where_to_get_it(run, tmp_path):
    write(tmp_path, "lessons/stalin.yaml", GOOD)
    write(tmp_path, "lessons/lenin.yaml", GOOD.replace("The Soviet", "Lenin and the Soviet"))
    style = tmp_path / "styles/classic"
    tokens = (REPO / "src/lessonpack/data/styles/classic/style.yaml").read_text(encoding="utf-8")
    write(style, "style.yaml", tokens.replace("body: [Source Serif Pro,", "body: [Charis SIL Nowhere, Source Serif Pro,"))
    write(style, "handout.css", "")
    result = run("build", "-f", "pdf", "-e", "student", "--no-pack")
    assert result.exit_code == 0, result.output
    expected = ('warning: the body font "Charis SIL Nowhere" is not installed, so the PDF uses Source Serif Pro '
                "instead and pages may break differently; put its .ttf or .otf files in the pack's fonts/ folder, "
                "install it, or name another font in the style")
    assert result.output.splitlines().count(expected) == 1, result.output


FILL = """title: Fill
worksheet:
  items:
    - {type: short_answer, prompt: First., lines: 3}
    - {type: essay, prompt: Write at length., lines: fill}
"""


def test_a_pack_template_without_the_models_ids_still_gets_measured_rooms(tmp_path):
    """The room of "lines: fill" is measured by the model's ids; a pack's items.html that leaves them out is
    measured as lessonpack's own templates lay the handout out, so its lines still fill the page."""
    from lessonpack.building.jobs import resolve
    from lessonpack.building.worker import plan_context, plan_handout
    from lessonpack.render.pdf import PdfLayout
    from lessonpack.render.templates import BUILTIN_TEMPLATES

    builtin = (BUILTIN_TEMPLATES / "items.html").read_text(encoding="utf-8")
    stripped = re.sub(r' id="\{\{ (?:w\.anchor|id|q\.anchor) \}\}"', "", builtin)
    assert stripped.count(" id=") < builtin.count(" id=") - 3
    write(tmp_path / "plain", "lessons/fill.yaml", FILL)
    write(tmp_path / "own", "lessons/fill.yaml", FILL)
    write(tmp_path / "own", "templates/items.html", stripped)
    lines = {}
    for folder in ("plain", "own"):
        pack = load_pack(tmp_path / folder)
        settings = resolve(pack)
        handout = plan_handout(pack.lessons[0], "student", plan_context(settings), settings, pack.root)
        lines[folder] = [q.writing.lines for q in handout.worksheet.questions]
        anchors = [q.writing.anchor for q in handout.worksheet.questions]
        placed = PdfLayout(settings.style, settings.paper, pack.root).place(handout, anchors)
        assert set(placed) == set(anchors) and placed[anchors[0]][0].page == 0
    assert lines["own"] == lines["plain"] and lines["plain"][0] == 3 and lines["plain"][1] > 10


def test_lines_fill_room_is_measured_once_and_handed_to_the_lessons_other_jobs(tmp_path, monkeypatch):
    """A worker reports the "lines: fill" room it measured; a job handed that room renders without laying the
    student edition out again, and with the same line counts."""
    from dataclasses import replace

    from lessonpack.building import builder, jobs as planned
    from lessonpack.building import worker as rendering
    from lessonpack.render import pdf

    write(tmp_path, "lessons/fill.yaml", FILL)
    pack = load_pack(tmp_path)
    settings = planned.resolve(pack, formats=["pdf", "docx"])
    jobs = planned.plan_jobs(pack, settings)
    assert [(j.edition, j.format) for j in sorted(jobs, key=builder._dispatch_rank)][:2] == [
        ("student", "pdf"), ("teacher", "pdf")]  # the student PDF, which measures the room, is handed out first
    student_pdf = next(j for j in jobs if (j.edition, j.format) == ("student", "pdf"))
    done = rendering.run_job(student_pdf, pack, settings)
    room = done.fill_room
    assert isinstance(done, rendering.Rendered) and room and all(r.room > 100 for _, r in room)

    rendering._FILL_ROOM.clear()  # another worker: it has measured nothing
    monkeypatch.setattr(pdf.PdfLayout, "place", lambda *a, **k: pytest.fail("the room was measured again"))
    docx = next(j for j in jobs if (j.edition, j.format) == ("student", "docx"))
    handed = rendering.run_job(replace(docx, fill_room=room), pack, settings)
    assert isinstance(handed, rendering.Rendered) and handed.fill_room == room
    lines = [q.writing.lines for q in rendering.plan_handout(docx.lesson, "student", rendering.plan_context(settings), settings,
                                                    pack.root).worksheet.questions]
    rendering._FILL_ROOM.clear()
    monkeypatch.undo()
    assert lines == [q.writing.lines for q in rendering.plan_handout(docx.lesson, "student", rendering.plan_context(settings),
                                                            settings, pack.root).worksheet.questions]


def test_a_worker_leaves_the_font_folder_of_the_process_it_came_from_alone(tmp_path):
    """A program that renders in its own process and then builds (the workers are forked from it) can render
    again afterwards: a worker setting up its own fonts never deletes the parent's font folder."""
    import gc

    from lessonpack.building import jobs as planned
    from lessonpack.building import worker as rendering
    from lessonpack.building import workers
    from lessonpack.render import pdf

    write(tmp_path, "lessons/stalin.yaml", GOOD)
    pack = load_pack(tmp_path)
    settings = planned.resolve(pack, formats=["pdf"], editions=["student"])
    (job,) = planned.plan_jobs(pack, settings)
    assert isinstance(rendering.run_job(job, pack, settings), rendering.Rendered)  # this process has its own fonts
    folder = pdf.font_config()._folder  # where WeasyPrint keeps the bundled fonts it loaded for this process
    assert folder is not None and folder.is_dir()
    workers.run([1], lambda task: gc.collect(), workers=1, limit=workers.Limits(timeout=30),  # as rendering does
                initializer=rendering.worker_init, on_done=lambda task, outcome: None)
    assert folder.is_dir()  # a font not loaded yet can still be read from it
    assert isinstance(rendering.run_job(job, pack, settings), rendering.Rendered)
