"""`lessonpack check --style NAME [--paper SIZE]`: a style judged before a build uses it, with positions."""

from __future__ import annotations

import shutil

from conftest import REPO, snapshot

CLASSIC = REPO / "src" / "lessonpack" / "data" / "styles" / "classic"


def _pack(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copytree(REPO / "lessons", pack / "lessons")
    shutil.copy(REPO / "lessonpack.yaml", pack / "lessonpack.yaml")
    shutil.copytree(CLASSIC, pack / "styles" / "mine")
    return pack


def _set(path, line_start: str, new: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, text in enumerate(lines) if text.startswith(line_start))
    lines[n] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


def test_a_style_named_nowhere_is_an_error_that_lists_the_styles(run, tmp_path):
    pack = _pack(tmp_path)
    result = run("check", "--style", "nope", ".", cwd=pack)
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        f'{pack}:1:1: error: --style nope: no style named "nope" (available: classic, large-print, mine)',
        "    hint: `lessonpack styles` lists the styles this pack can use"]


def test_a_font_the_machine_lacks_is_a_warning_at_the_styles_fonts(run, tmp_path):
    pack = _pack(tmp_path)
    style = pack / "styles" / "mine" / "style.yaml"
    _set(style, "  body:", "  body: [Atkinson Hyperlegible Next, serif]")
    fonts = next(n for n, text in enumerate(style.read_text(encoding="utf-8").splitlines(), 1)
                 if text.startswith("fonts:"))
    before = snapshot(pack)
    result = run("check", "--style", "mine", ".", cwd=pack)
    assert result.exit_code == 0, result.output
    assert (f'styles/mine/style.yaml:{fonts}:1: warning: the body font "Atkinson Hyperlegible Next" is not installed, '
            "so the PDF uses serif instead and pages may break differently; put its .ttf or .otf files in the pack's "
            "fonts/ folder, install it, or name another font in the style") in result.output.splitlines()
    assert run("check", "--strict", "--style", "mine", ".", cwd=pack).exit_code == 1
    assert run("check", ".", cwd=pack).output.strip() == "3 lessons checked: no problems"  # the pack's own style
    assert snapshot(pack) == before


def test_a_bad_token_is_an_error_in_the_style_file(run, tmp_path):
    pack = _pack(tmp_path)
    style = pack / "styles" / "mine" / "style.yaml"
    line = _set(style, "size:", "size: huge")
    result = run("check", "--style", "mine", ".", cwd=pack)
    assert result.exit_code == 1
    assert any(text.startswith(f"styles/mine/style.yaml:{line}:") and "error" in text and "size" in text
               for text in result.output.splitlines()), result.output


def test_another_style_and_paper_judge_the_lessons_pages_in_them(run, tmp_path):
    pack = _pack(tmp_path)
    classic = run("check", ".", cwd=pack)
    large = run("check", "--style", "large-print", "--paper", "a4", ".", cwd=pack)
    assert classic.exit_code == 0 and large.exit_code == 0
    # large print gives the student fewer words per writing line: the answer-lines lint speaks only there
    assert "answer-lines" not in classic.output and "answer-lines" in large.output
    assert run("check", "--paper", "legal", ".", cwd=pack).exit_code == 2


# -- the template-variable table in docs/styles.md is what the templates receive -------------------------

import re


def _documented(row_start: str) -> set[str]:
    """The names a row of docs/styles.md's template table lists (backticked, outside parentheses)."""
    text = (REPO / "docs" / "styles.md").read_text(encoding="utf-8")
    table = text[text.index("| template | names it can use |"):]
    row = next(line for line in table.splitlines() if line.startswith(row_start))
    names_cell = row.split("|")[2]
    depth, outside = 0, []
    for char in names_cell:
        depth += char == "("
        if depth == 0:
            outside.append(char)
        depth -= char == ")"
    return set(re.findall(r"`(\w+)`", "".join(outside)))


def test_the_docs_template_table_names_what_the_templates_receive(monkeypatch, tmp_path):
    import lessonpack.render.html as html
    from lessonpack.handout import PlanContext, plan
    from lessonpack.handout.unit import UnitInfo, plan_unit
    from lessonpack.load.samples import sample_lesson
    from lessonpack.styles.loader import load_style

    received: dict[str, set[str]] = {}
    real = html.render

    def spy(env, name, **names):
        received[name] = set(names)
        return real(env, name, **names)

    monkeypatch.setattr(html, "render", spy)
    handout = plan(sample_lesson("full"), "student", PlanContext())
    html.render_html(handout, load_style("classic"), "letter")
    unit = plan_unit(UnitInfo("A unit"), [handout], "student", duplex=False)
    html.render_pack_html(unit, load_style("classic"), "letter")
    assert received["handout.html"] == _documented("| `handout.html`")
    assert received["pack.html"] == _documented("| `pack.html`")
