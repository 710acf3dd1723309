"""Lines of a paragraph end where the next word no longer fits, also just before a bold term, a link, a formula
or a blank (WeasyPrint left the first word of such a run alone on a line when the run's trailing space took it
a hair past the edge): read back from the built PDFs, and shown to fail without the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import lessonpack.render.pdf as pdf_renderer
from lessonpack.render.linebreaks import GAP, GAP_CLASS, spaces_apart

from invariants import hard_breaks, lines_filled

ROOT = Path(__file__).resolve().parent.parent

OPENING = ("A horizontal line is flat. Students often think gradient zero means no line at all, so ask what a "
           "vertical line").split()
TAIL = ("gradient would be: the change in x is 0, and dividing by 0 is impossible, so a vertical line has no "
        "gradient and is written {inline} for a number.")
INLINES = ("$x = a$", "**vertical**", "[a link](https://example.org)", "H~2~O")


def _pack(root: Path) -> Path:
    """A lesson whose reading puts each inline element after runs of every length, so that one run of text before
    it ends within a space's width of the line's end."""
    paragraphs = [" ".join(OPENING[:n]) + " " + TAIL.format(inline=inline)
                  for inline in INLINES for n in range(1, len(OPENING))]
    (root / "lessons").mkdir(parents=True)
    (root / "lessonpack.yaml").write_text("title: Line breaks\nid: line-breaks\nlessons:\n  - lines\n")
    lesson = {"title": "Lines", "objectives": ["Read a paragraph."],
              "reading": {"title": "Reading", "text": "\n\n".join(paragraphs)},
              "prompts": [{"text": "What does a vertical line look like?",
                              "notes": "\n\n".join(paragraphs[:len(OPENING)])}],
              "worksheet": {"title": "Worksheet", "items": [
                  {"type": "fill_in_blank", "text": " ".join(OPENING[:n]) + " [[gradient]], " + TAIL.format(
                      inline="[[vertical]]")} for n in range(1, len(OPENING), 3)]}}
    (root / "lessons" / "lines.yaml").write_text(yaml.safe_dump(lesson, width=1000, allow_unicode=True))
    return root


def _built(run, tmp_path: Path, name: str) -> list[Path]:
    pack = _pack(tmp_path / name)
    result = run("build", str(pack), "-o", str(tmp_path / f"{name}-out"), "-f", "pdf", "-e", "student", "-e",
                 "teacher", "--no-pack", "-j", "1")
    assert result.exit_code == 0, result.output
    return sorted((tmp_path / f"{name}-out" / "lines").glob("*.pdf"))


def test_spaces_before_inline_elements_leave_the_run_before_them():
    html = ('<p>is written <b>vertical</b>, <s>old</s> and <span class="math"><svg><title>x = a</title> <path/></svg>'
            '</span> a <span class="blank" style="min-width: 9ch"><span class="bnum">1</span></span>, <em><b>z</b></em>'
            '</p>\n<div class="q"> <span class="qnum">1.</span></div><pre>a <b>b</b></pre>')
    gap = f'<span class="{GAP_CLASS}"> \u200b</span>'
    assert GAP == gap
    assert spaces_apart(html) == (
        f'<p>is written{gap}<b>vertical</b>,{gap}<s>old</s> and{gap}<span class="math"><svg><title>x = a</title> '
        f'<path/></svg></span> a{gap}<span class="blank" style="min-width: 9ch"><span class="bnum">1</span></span>,'
        f'{gap}<em><b>z</b></em></p>\n<div class="q"> <span class="qnum">1.</span></div><pre>a <b>b</b></pre>')


@pytest.mark.slow
def test_a_space_moved_into_a_word_stays_in_the_pdfs_text(run, tmp_path):
    """The PDF's text keeps the space between a word and the bold term, the struck-out word or the page number after
    it (WeasyPrint draws no glyph for a run that is only a space: the zero-width space after it makes it drawn)."""
    import pdfplumber

    root = tmp_path / "pack"
    (root / "lessons").mkdir(parents=True)
    (root / "lessonpack.yaml").write_text("title: Spaces\nlessons:\n  - spaces\n")
    (root / "lessons" / "spaces.yaml").write_text("title: Spaces\nobjectives: [Read.]\nreading:\n  text: |\n"
                                                  "    Stalin set out **socialism in one country** in 1924, not ~~1928~~ as once said.\n")
    assert run("build", str(root), "-o", str(tmp_path / "out"), "-f", "pdf", "-e", "student", "--no-pack",
               "-j", "1").exit_code == 0
    with pdfplumber.open(tmp_path / "out" / "spaces" / "spaces-student.pdf") as doc:
        text = " ".join(page.extract_text() for page in doc.pages)
    assert "set out socialism in one country in 1924, not 1928 as once said." in text
    assert "\u200b" not in text


@pytest.mark.slow
def test_no_line_is_left_short_before_an_inline_element(run, tmp_path):
    pdfs = _built(run, tmp_path, "fixed")
    assert len(pdfs) == 2
    assert [problem for pdf in pdfs for problem in lines_filled(pdf)] == []


@pytest.mark.slow
def test_without_the_fix_a_line_is_left_short(run, tmp_path, monkeypatch):
    """The lesson above does meet WeasyPrint's fault, and the check sees it: with the spaces left in their runs,
    a line ends with one word and room for a dozen more."""
    monkeypatch.setattr(pdf_renderer, "spaces_apart", lambda html: html)
    pdfs = _built(run, tmp_path, "unfixed")
    problems = [problem for pdf in pdfs for problem in lines_filled(pdf)]
    assert problems, "the lesson no longer meets the fault; make its runs end nearer the line's end"
    assert any("early" in p for p in problems)


@pytest.mark.slow
def test_the_mathematics_example_keeps_its_lines_full(run, tmp_path):
    """The example whose teacher note printed "gradient" alone on a line."""
    out = tmp_path / "out"
    result = run("build", str(ROOT / "examples" / "mathematics"), "-o", str(out), "-f", "pdf", "-f", "html",
                 "-e", "teacher", "--no-pack", "-j", "1")
    assert result.exit_code == 0, result.output
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        breaks = set().union(*(hard_breaks(page.read_text(encoding="utf-8")) for page in folder.glob("*.html")))
        for pdf in sorted(folder.glob("*.pdf")):
            assert lines_filled(pdf, breaks) == []


def test_a_poem_line_ending_before_a_break_is_not_a_short_line():
    assert hard_breaks('<p>It hangs there on the hook behind the <em>door,</em><br>\nthe brown one</p>') == \
        {"door,"}
