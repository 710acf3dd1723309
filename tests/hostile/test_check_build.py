"""When `check` passes, `build` succeeds: template branches only some builds take, pictures the renderers
cannot draw, and inputs within every cap that are too heavy to render are check errors, positioned; what
check passes, build renders."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest

from conftest import snapshot
from packs import BUILTIN, GOOD, PICTURE, copy_style, write
from test_hostile import make_pack

from lessonpack import limits

FIX_HINT = "    hint: fix the template, or delete it to use the built-in one"
NAMES_HINT = "    hint: templates can use h (the handout), L (its labels) and the names in docs/styles.md"


def lines_of(result) -> list[str]:
    assert "Traceback" not in result.output, result.output
    return result.output.splitlines()


def refused(run, pack: Path, *expected: str, command: tuple[str, ...] = ("check",)) -> list[str]:
    """Run ``command`` in ``pack``: exit 1, every expected line printed, and no file changed."""
    before = snapshot(pack.parent)
    result = run(*command, cwd=pack)
    lines = lines_of(result)
    assert result.exit_code == 1, result.output
    for line in expected:
        assert line in lines, f"{line}\n--- got:\n{result.output}"
    assert snapshot(pack.parent) == before
    return lines


def passes(run, pack: Path, *command: str) -> str:
    result = run(*command, cwd=pack)
    lines_of(result)
    assert result.exit_code == 0, result.output
    return result.output


def template(pack: Path, name: str, before: str, insert: str) -> int:
    """The built-in template ``name`` with ``insert`` put just before ``before`` (its first occurrence), as the
    pack's own; the line ``insert`` starts on."""
    text = (BUILTIN / name).read_text(encoding="utf-8")
    at = text.index(before)
    write(pack / "templates" / name, text[:at] + insert + text[at:])
    return text[:at].count("\n") + 1


# -- templates: every branch a build can take ------------------------------------------------------------


@pytest.mark.slow  # a whole build: make test-heavy
def test_a_branch_only_versions_take_fails_check_and_fixed_it_builds_with_versions(tmp_path, run):
    pack = make_pack(tmp_path)
    line = template(pack, "lesson.html", '<header class="masthead"', "{% if h.masthead.version %}<p>{{ broken }}</p>{% endif %}\n")
    refused(run, pack, f"templates/lesson.html:{line}: error: template error: 'broken' is undefined", NAMES_HINT)
    refused(run, pack, f"templates/lesson.html:{line}: error: template error: 'broken' is undefined",
            command=("build", "--versions", "3", "-f", "html"))

    template(pack, "lesson.html", '<header class="masthead"', '{% if h.masthead.version %}<p class="v">{{ h.masthead.version }}</p>'
                                             "{% endif %}\n")
    passes(run, pack, "check")
    passes(run, pack, "build", "--versions", "3", "-f", "html")
    for letter in "ABC":
        assert f'<p class="v">Version {letter}</p>' in (pack / f"dist/stalin/stalin-student-{letter}.html").read_text()


@pytest.mark.slow
def test_a_template_using_every_branch_rightly_builds_pdfs_with_versions(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/second.yaml", GOOD.replace("The Soviet Union under Stalin", "The second lesson"))
    write(pack / "lessonpack.yaml", "title: Test Unit\nschool: Hilltop School\n")
    template(pack, "lesson.html", '<header class="masthead"', (
        '{% if h.masthead.version %}<p class="v">{{ h.masthead.version }}</p>{% endif %}'
        "{% for key in h.version_keys %}<p>{{ key.caption }}</p>{% endfor %}"
        "{% for grid in h.key_grids %}<p>{{ grid.header | join(' ') }}</p>{% endfor %}"
        "{% if h.running.header_left %}<p>{{ h.running.header_left }}</p>{% endif %}\n"))
    template(pack, "pack.html", "</nav>", "{% for entry in u.contents %}{% if entry.page %}<p>{{ entry.page }}</p>"
                                          "{% endif %}{% endfor %}{% if not u.duplex %}<p>one-sided</p>{% endif %}\n")
    passes(run, pack, "check")
    passes(run, pack, "build", "--versions", "3", "-f", "pdf")
    assert (pack / "dist/stalin/stalin-student-C.pdf").is_file() and (pack / "dist/stalin/stalin-teacher.pdf").is_file()
    passes(run, pack, "build", "--versions", "2", "--no-duplex", "-f", "pdf", "-e", "teacher")


def test_a_templates_letterhead_branch_is_tried_though_the_pack_has_none(tmp_path, run):
    """A pack template that fails only when a letterhead is printed is refused by check (a letterhead may come from
    a style or be added later; the trial prints one in the teacher edition)."""
    pack = make_pack(tmp_path)
    line = template(pack, "lesson.html", '<header class="masthead"',
                    "{% if h.letterhead %}{{ h.letterhead.nope }}{% endif %}\n")
    refused(run, pack, f"templates/lesson.html:{line}: error: template error: 'LetterheadView' has no attribute 'nope'")


@pytest.mark.parametrize("config,name,before,insert,message", [
    ("", "lesson.html", '<header class="masthead"', "{% for key in h.version_keys %}{{ key.nope }}{% endfor %}\n",
     "template error: 'KeyTable' has no attribute 'nope'"),
    ("", "lesson.html", '<header class="masthead"', "{% for grid in h.key_grids %}{{ grid.nope }}{% endfor %}\n",
     "template error: 'KeyGrid' has no attribute 'nope'"),
    # more than six versions put the grid in two tables: the most versions a build may ask for
    ("", "lesson.html", '<header class="masthead"', "{% if h.key_grids | length > 1 %}{{ broken }}{% endif %}\n",
     "template error: 'broken' is undefined"),
    ("school: Hilltop School\n", "lesson.html", '<header class="masthead"',
     "{% if 'Hilltop' in h.running.header_left %}{{ broken }}{% endif %}\n", "template error: 'broken' is undefined"),
    ("versions: 4\n", "lesson.html", '<header class="masthead"', "{% if h.version_keys | length == 4 %}{{ broken }}{% endif %}\n",
     "template error: 'broken' is undefined"),
    ("page_breaks: {reading: always, key_terms: always, worksheet: always, answer_key: always}\n", "lesson.html",
     '<header class="masthead"', "{% if h.sections | selectattr('new_page') | list | length > 3 %}{{ broken }}{% endif %}\n",
     "template error: 'broken' is undefined"),
    ("", "handout.html", "</head>", "{% if inline_css %}{{ broken }}{% endif %}\n",
     "template error: 'broken' is undefined"),
    ("", "pack.html", "</nav>", "{% for entry in u.contents %}{% if entry.page %}{{ broken }}{% endif %}{% endfor %}\n",
     "template error: 'broken' is undefined"),
    ("", "pack.html", "</nav>", "{% if not u.duplex %}{{ broken }}{% endif %}\n",
     "template error: 'broken' is undefined"),
], ids=["version-keys", "key-grids", "several-grids", "running-header", "pack-versions", "pack-page-breaks",
        "standalone-html", "unit-page-numbers", "one-sided-unit"])
def test_every_branch_a_build_can_take_is_tried(tmp_path, run, config, name, before, insert, message):
    pack = make_pack(tmp_path)
    write(pack / "lessonpack.yaml", "title: Test Unit\n" + config)
    line = template(pack, name, before, insert)
    refused(run, pack, f"templates/{name}:{line}: error: {message}")


def test_a_huge_range_is_a_positioned_template_error(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "templates/handout.html", "<p>\n{% for i in range(10**30) %}x{% endfor %}\n</p>\n")
    refused(run, pack, "templates/handout.html:2: error: template error: a range of more than 100,000 numbers is "
                       "refused", FIX_HINT)


def test_a_template_that_divides_by_zero_says_so_in_words(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "templates/handout.html", "<p>\n{{ 1 // 0 }}\n</p>\n")
    refused(run, pack, "templates/handout.html:2: error: template error: a division by zero", FIX_HINT)


def test_a_template_producing_too_many_elements_is_refused_where_it_loops(tmp_path, run):
    pack = make_pack(tmp_path)
    line = template(pack, "handout.html", "</body>",
                    "{% for i in range(40000) %}<table><tr><td>{{ i }}</td></tr></table>{% endfor %}\n")
    refused(run, pack, f"templates/handout.html:{line}: error: template error: the templates produced more than "
                       "50,000 HTML elements for one handout (lessonpack's own produce a few thousand); a document "
                       "this large could not be laid out in time", FIX_HINT)


@pytest.mark.slow
def test_a_template_producing_many_elements_within_the_cap_builds(tmp_path, run):
    pack = make_pack(tmp_path)
    template(pack, "handout.html", "</body>",
             "{% for i in range(400) %}<table><tr><td>{{ i }}</td></tr></table>{% endfor %}\n")
    passes(run, pack, "check")
    passes(run, pack, "build", "-f", "pdf", "-e", "student")


def test_an_included_template_is_blamed_for_its_own_loop(tmp_path, run, monkeypatch):
    monkeypatch.setattr(limits, "MAX_HTML_ELEMENTS", 500)
    pack = make_pack(tmp_path)
    write(pack / "templates/many.html", "<div>\n{% for i in range(300) %}<p>{{ i }}</p>{% endfor %}\n</div>\n")
    template(pack, "handout.html", "</body>", '{% include "many.html" %}{% include "many.html" %}\n')
    refused(run, pack, "templates/many.html:2: error: template error: the templates produced more than 500 HTML "
                       "elements for one handout (lessonpack's own produce a few thousand); a document this large "
                       "could not be laid out in time")


@pytest.mark.slow  # the whole sample pack tried and timed: make test-heavy
def test_the_trial_of_the_sample_pack_with_a_template_stays_cheap(run, tmp_path):
    """The sample unit with a pack template checks in a few seconds (every edition, version and unit tried)."""
    import shutil

    from conftest import REPO

    pack = tmp_path / "sample"
    shutil.copytree(REPO / "lessons", pack / "lessons")
    shutil.copy(REPO / "lessonpack.yaml", pack / "lessonpack.yaml")
    template(pack, "handout.html", "</body>", "<!-- the pack's own -->\n")
    # Counted in processor time (this process and the trial's), not on the clock: a busy machine waits longer, it
    # does not work more.
    started = _processor_time()
    assert "3 lessons checked: no problems" in passes(run, pack, "check")
    assert _processor_time() - started < limits.CHECK_TEMPLATE_TIMEOUT / 3


def _processor_time() -> float:
    import os

    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


# -- pictures: SVGs the renderers cannot draw ---------------------------------------------------------

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
CYCLE_HINT = "    hint: remove the reference that leads back (an editor's “plain SVG” export may also fix it)"
SIZE_HINT = ("    hint: give the <svg> element its drawing's width and height in pixels, or only a viewBox of them (it "
             "is then drawn as wide as the page)")


def svg(body: str, size: str = 'width="100" height="100"') -> str:
    return f"<svg {SVG} {size}>{body}</svg>"


def data_svg(body: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(body).encode()).decode()


def bomb(uses: int, rects: int) -> str:
    """``uses`` copies of an <image> whose data: SVG has ``rects`` rectangles."""
    inner = data_svg('<rect width="1" height="1"/>' * rects)
    return svg(f'<defs><image id="i" width="10" height="10" xlink:href="{inner}"/></defs>'
               + '<use xlink:href="#i"/>' * uses)


def picture_pack(tmp: Path, picture: str) -> Path:
    pack = make_pack(tmp)
    write(pack / "lessons/stalin.yaml", PICTURE.replace("{image}", "images/chart.svg"))
    write(pack / "lessons/images/chart.svg", picture)
    return pack


BAD_PICTURES = {
    "marker-draws-itself": (
        svg('<defs><marker id="m" markerWidth="4" markerHeight="4"><path d="M0 0L2 2" marker-end="url(#m)"/>'
            '</marker></defs><path d="M0 0L50 50" stroke="black" marker-end="url(#m)"/>'),
        'an SVG whose <marker id="m"> refers back to itself (m → m), so it would be drawn without end', CYCLE_HINT),
    "pattern-through-an-href-chain": (
        svg('<defs><pattern id="a" xlink:href="#b"/><pattern id="b" width="10" height="10" '
            'patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="url(#a)"/></pattern></defs>'
            '<rect width="50" height="50" fill="url(#a)"/>'),
        'an SVG whose <pattern id="a"> refers back to itself (a → b → a), so it would be drawn without end',
        CYCLE_HINT),
    "pattern-in-a-style-rule": (
        svg('<style>.x { fill: url(#p) }</style><defs><pattern id="p" width="10" height="10" '
            'patternUnits="userSpaceOnUse"><rect class="x" width="5" height="5"/></pattern></defs>'
            '<rect class="x" width="50" height="50"/>'),
        'an SVG whose <pattern id="p"> refers back to itself (p → p), so it would be drawn without end', CYCLE_HINT),
    "pattern-inherited-from-the-root": (
        svg('<defs><pattern id="p" width="10" height="10" patternUnits="userSpaceOnUse"><rect width="5" '
            'height="5"/></pattern></defs><rect width="50" height="50"/>', 'width="100" height="100" fill="url(#p)"'),
        'an SVG whose <pattern id="p"> refers back to itself (p → p), so it would be drawn without end', CYCLE_HINT),
    "mask-cycle": (
        svg('<defs><mask id="k"><rect width="5" height="5" fill="white" style="mask: url(#k)"/></mask></defs>'
            '<rect width="50" height="50" mask="url(#k)"/>'),
        'an SVG whose <mask id="k"> refers back to itself (k → k), so it would be drawn without end', CYCLE_HINT),
    "clip-path-cycle": (
        svg('<defs><clipPath id="c"><rect width="5" height="5" clip-path="url(#d)"/></clipPath><clipPath id="d">'
            '<rect width="5" height="5" clip-path="url(#c)"/></clipPath></defs>'
            '<rect width="50" height="50" clip-path="url(#c)"/>'),
        'an SVG whose <clipPath id="c"> refers back to itself (c → d → c), so it would be drawn without end',
        CYCLE_HINT),
    "tref-of-its-own-text": (
        svg('<text id="t" x="10" y="10">a<tref xlink:href="#t"/></text>'),
        'an SVG whose <text id="t"> refers back to itself (t → t), so it would be drawn without end', CYCLE_HINT),
    "gradient-href-cycle": (
        svg('<defs><linearGradient id="a" xlink:href="#b"/><linearGradient id="b" xlink:href="#a"/></defs>'
            '<rect width="50" height="50" fill="url(#a)"/>'),
        'an SVG whose <linearGradient id="a"> refers back to itself (a → b → a), so it would be drawn without end',
        CYCLE_HINT),
    "a-thousandth-of-a-pixel": (
        svg('<rect width="1" height="1"/>', 'width="0.001px" height="0.001px"'),
        "an SVG of 0.001 × 0.001 pixels; each side must be at least 1 pixel", SIZE_HINT),
    "wider-than-the-world": (
        svg('<rect width="1" height="1"/>', 'width="1e30" height="10"'),
        "an SVG 1e+29 times as wide as it is tall; the limit is 100 times",
        "    hint: crop the drawing, or give its viewBox the drawing's real width and height"),
    "viewbox-aspect-1e30": (
        svg('<rect width="1" height="1"/>', 'viewBox="0 0 1e30 1"'),
        "an SVG 1e+30 times as wide as it is tall; the limit is 100 times",
        "    hint: crop the drawing, or give its viewBox the drawing's real width and height"),
    "too-large": (
        svg('<rect width="1" height="1"/>', 'width="200000" height="100000"'),
        "an SVG of 200,000 × 100,000 pixels; each side may be at most 100,000", SIZE_HINT),
    "5000-uses-of-a-5000-rect-picture": (
        bomb(5000, 5000),
        "an SVG that draws more than 50,000 elements once every copy is counted (<use>, markers, patterns, "
        "embedded pictures)", "    hint: simplify the drawing, or export it as a PNG picture"),
    "markers-on-every-point": (
        svg('<defs><marker id="m" markerWidth="4" markerHeight="4">' + '<rect width="1" height="1"/>' * 100
            + '</marker></defs><path d="M0 0' + " L1 1" * 1000 + '" stroke="black" marker-mid="url(#m)"/>'),
        "an SVG that draws more than 50,000 elements once every copy is counted (<use>, markers, patterns, "
        "embedded pictures)", "    hint: simplify the drawing, or export it as a PNG picture"),
    "embeds-a-compressed-svg": (
        svg(f'<image width="10" height="10" xlink:href="data:image/svg+xml;base64,'
            f'{base64.b64encode(__import__("gzip").compress(svg("").encode())).decode()}"/>'),
        "an SVG that embeds something that is not a PNG, JPEG, GIF, WebP or SVG picture",
        "    hint: embed the picture as PNG or JPEG, or as plain SVG"),
    "styles-import-a-stylesheet": (
        svg('<style>@import "data:text/css,rect{fill:red}";</style><rect width="5" height="5"/>'),
        "an SVG whose styles import another stylesheet",
        "    hint: write the styles into the SVG's own <style> element"),
    "cairosvg-cannot-draw-it": (
        svg('<marker id="m" markerWidth="0" markerHeight="0"><rect width="1" height="1"/></marker>'
            '<path d="M0 0L5 5" stroke="black" marker-end="url(#m)"/>'),
        "an SVG that cannot be drawn for the Word document: invalid matrix (not invertible)",
        "    hint: open it in a drawing program and export it again as plain SVG, or save it as PNG"),
}


@pytest.mark.parametrize("name", list(BAD_PICTURES))
def test_an_svg_the_renderers_cannot_draw_is_a_check_error_at_its_name(tmp_path, run, name):
    picture, message, hint = BAD_PICTURES[name]
    pack = picture_pack(tmp_path, picture)
    expected = (f'lessons/stalin.yaml:9:12: error: sources[0].image: "images/chart.svg": {message}', hint)
    refused(run, pack, *expected)
    refused(run, pack, *expected, command=("build", "-f", "docx", "-e", "student"))


def test_a_bad_svg_in_the_reading_is_positioned_at_its_name(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", GOOD.replace(
        "  text: After Lenin died, the kulaks resisted collectivization.",
        "  text: |\n    After Lenin died, the kulaks resisted collectivization.\n\n    ![A chart](images/chart.svg)"))
    write(pack / "lessons/images/chart.svg", BAD_PICTURES["tref-of-its-own-text"][0])
    refused(run, pack, 'lessons/stalin.yaml:6:16: error: reading.text: "images/chart.svg": an SVG whose <text id="t"> '
                       "refers back to itself (t → t), so it would be drawn without end")


SMALL_PICTURE = data_svg('<rect width="5" height="5"/>' * 50)
GOOD_PICTURE = svg(
    '<style>.bar { fill: url(#shade) }</style>'
    '<defs><linearGradient id="base"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/>'
    '</linearGradient><linearGradient id="shade" xlink:href="#base"/>'
    '<pattern id="dots" width="4" height="4" patternUnits="userSpaceOnUse"><circle cx="2" cy="2" r="1" '
    'fill="url(#shade)"/></pattern><pattern id="more" xlink:href="#dots"/>'
    '<marker id="tip" markerWidth="4" markerHeight="4" refX="2" refY="2"><path d="M0 0L4 2L0 4z" '
    'fill="url(#shade)"/></marker><clipPath id="box"><rect width="80" height="80"/></clipPath>'
    '<mask id="fade"><rect width="100" height="100" fill="white"/></mask>'
    '<text id="label">Output</text><g id="row"><rect class="bar" width="10" height="3"/></g></defs>'
    '<g clip-path="url(#box)" mask="url(#fade)"><rect width="60" height="40" fill="url(#more)"/>'
    + "".join(f'<use xlink:href="#row" y="{5 * i}"/>' for i in range(10))
    + '<path d="M5 90L50 60L95 90" stroke="black" fill="none" marker-mid="url(#tip)" marker-end="url(#tip)"/>'
    '<text x="5" y="98"><tref xlink:href="#label"/></text></g>'
    f'<image x="70" y="0" width="20" height="20" xlink:href="{SMALL_PICTURE}"/>')


@pytest.mark.slow
@pytest.mark.parametrize("picture", [GOOD_PICTURE, bomb(40, 400)], ids=["every-reference-without-a-cycle",
                                                                       "copies-within-the-cap"])
def test_an_svg_check_passes_builds_in_every_format(tmp_path, run, picture):
    pack = picture_pack(tmp_path, picture)
    passes(run, pack, "check")
    passes(run, pack, "build", "-f", "docx", "-f", "pdf")
    with zipfile.ZipFile(pack / "dist/stalin/stalin-student.docx") as docx:
        media = sorted(n for n in docx.namelist() if n.startswith("word/media/"))
    assert [n.rsplit(".", 1)[1] for n in media] == ["png", "svg"]


@pytest.mark.slow
def test_shapes_painted_with_a_gradient_are_counted_once(tmp_path, run):
    """A gradient only colours a shape (it draws nothing), so a large chart filled and stroked with one passes."""
    pack = picture_pack(tmp_path, svg('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
                                      + '<rect width="2" height="2" fill="url(#g)" style="stroke: url(#g)"/>' * 30_000))
    passes(run, pack, "check")


def test_an_svg_drawn_once_is_not_drawn_again(tmp_path, run, monkeypatch):
    from lessonpack.building import check as check_module

    pack = picture_pack(tmp_path, GOOD_PICTURE)
    passes(run, pack, "check")
    drawn = []
    monkeypatch.setattr(check_module, "_DRAWN", set())  # a new process: only the cache folder remembers
    monkeypatch.setattr(check_module, "run", lambda tasks, *a, **k: drawn.extend(tasks))
    passes(run, pack, "check")
    assert drawn == []


def test_a_picture_word_cannot_draw_at_build_is_named_where_the_lesson_names_it(tmp_path, run, monkeypatch):
    """Should a picture pass check and still fail to draw (a renderer's own bug), the build says which picture,
    where the lesson names it, never a library's exception."""
    from lessonpack.building import check as check_module

    picture = BAD_PICTURES["cairosvg-cannot-draw-it"][0]
    pack = picture_pack(tmp_path, picture)
    monkeypatch.setattr(check_module, "drawing_problems", lambda images, timeout: {})  # as if check had passed it
    result = run("build", "-f", "docx", "-e", "student", cwd=pack)
    lines = lines_of(result)
    assert result.exit_code == 1
    at = lines.index("failed    dist/stalin/stalin-student.docx") + 1
    assert lines[at:at + 3] == [
        'lessons/stalin.yaml:9:12: error: sources[0].image: "images/chart.svg": it could not be drawn for the Word '
        "document (invalid matrix (not invertible))",
        "    hint: open it in a drawing program and export it again as plain SVG, or save it as PNG",
        "    (while rendering dist/stalin/stalin-student.docx)"], result.output


def test_a_lessons_svg_pictures_together_are_capped(tmp_path, run):
    picture = svg('<rect width="1" height="1"/>' * 45_000)
    lesson = GOOD.replace("worksheet:", "sources:\n" + "".join(
        f"  - {{title: Chart {i}, image: images/chart.svg, alt: A chart, citation: Made for the test.}}\n"
        for i in range(5)) + "worksheet:").replace("      answer: false\n", "      answer: false\n      source: A\n")
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", lesson)
    write(pack / "lessons/images/chart.svg", picture)
    refused(run, pack, 'lessons/stalin.yaml:12:29: error: sources[4].image: "images/chart.svg": with this picture the '
                       "lesson's SVG pictures draw 225,005 elements; the limit is 200,000 in one lesson",
            "    hint: use fewer or simpler SVG pictures, or export some as PNG")


# -- render budget: within every cap, too heavy to render --------------------------------------------------


def tables_lesson(tables: int, rows: int = 100, columns: int = 12) -> str:
    header = "[" + ", ".join(f"H{c}" for c in range(columns)) + "]"
    row = "[" + ", ".join(str(c) for c in range(columns)) + "]"
    sources = "".join(f"  - title: Table {t}\n    citation: Made for the test.\n    table:\n      header: {header}\n"
                      f"      rows: [{', '.join([row] * rows)}]\n" for t in range(tables))
    return GOOD.replace("worksheet:", "sources:\n" + sources + "worksheet:").replace(
        "      answer: false\n", "      answer: false\n      source: A\n")


def test_a_lesson_at_the_table_caps_is_refused_at_the_table_that_goes_over(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", tables_lesson(26))
    refused(run, pack, "lessons/stalin.yaml:30:5: error: sources[4].table: with this table the lesson's tables have "
                       "6,060 cells; the limit is 5,000 in one lesson",
            "    hint: keep the rows that matter for the questions, or split the lesson")


@pytest.mark.slow
def test_tables_within_the_cell_cap_build(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", tables_lesson(4))
    passes(run, pack, "check")
    passes(run, pack, "build", "-f", "pdf", "-f", "docx")


LONG_READING = GOOD.replace("  text: After Lenin died, the kulaks resisted collectivization.",
                            "  text: |\n" + "".join(f"    Paragraph {i}: after Lenin died, the kulaks resisted "
                                                    f"collectivization for a long time, village by village.\n\n"
                                                    for i in range(800)))


def test_a_style_may_not_change_the_page(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", LONG_READING)
    folder = copy_style(pack)
    css = (folder / "handout.css").read_text(encoding="utf-8")
    line = css.count("\n") + 1
    (folder / "handout.css").write_text(css + "@page{size:12px 12px}\n@media print { @page :first { margin: 0 "
                                              "0 0 0; padding: 2in } }\n@import url(more.css);\n", encoding="utf-8")
    write(folder / "more.css", "\n@page { border: 3in solid red }\n")
    hint = ("    hint: remove it; set the margins in style.yaml (margins: {top: 18mm, …}) and the paper in "
            "lessonpack.yaml (paper: a4)")
    says = "but lessonpack sets the page's size (from the paper setting) and its margins (from style.yaml's margins:)"
    expected = (f'styles/classic/handout.css:{line}:7: error: @page sets "size", {says}', hint,
                f'styles/classic/handout.css:{line + 1}:31: error: @page sets "margin", {says}',
                f'styles/classic/handout.css:{line + 1}:48: error: @page sets "padding", {says}',
                f'styles/classic/more.css:2:9: error: @page sets "border", {says}')
    refused(run, pack, *expected)
    refused(run, pack, *expected, command=("build", "-f", "pdf", "-e", "student"))


def test_a_style_whose_margins_leave_no_page_is_refused(tmp_path, run):
    pack = make_pack(tmp_path)
    folder = copy_style(pack)
    tokens = (folder / "style.yaml").read_text(encoding="utf-8")
    old = "margins: {top: 18mm, right: 18mm, bottom: 20mm, left: 20mm}"
    assert old in tokens
    (folder / "style.yaml").write_text(tokens.replace(old, "margins: {top: 140mm, right: 18mm, bottom: 140mm, "
                                                           "left: 20mm}"), encoding="utf-8")
    line = tokens[:tokens.index(old)].count("\n") + 1
    refused(run, pack, f"styles/classic/style.yaml:{line}:10: error: margins: top and bottom together take 280 mm of "
                       "the page's 279 mm (letter paper); margins may take at most half the page",
            "    hint: make the margins smaller (18mm is usual)")


@pytest.mark.slow
def test_a_template_cannot_shrink_the_page_either(tmp_path, run):
    from pypdf import PdfReader

    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", LONG_READING)
    template(pack, "handout.html", "</head>", "<style>@page { size: 12px 12px !important; margin: 0 !important; "
                                              "padding: 3in !important }</style>\n")
    passes(run, pack, "check")
    passes(run, pack, "build", "-f", "pdf", "-e", "student", "--timeout", "60")
    reader = PdfReader(io.BytesIO((pack / "dist/stalin/stalin-student.pdf").read_bytes()))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(612, 792)}
    assert len(reader.pages) < 60  # the reading's 46 letter pages, not thousands of tiny ones


def mc_lesson(answer_chars: int) -> str:
    answer = ("the peace treaty was signed after long talks " * (answer_chars // 45 + 1))[:answer_chars].strip()
    items = "".join(f"    - {{type: multiple_choice, prompt: 'Question {i}?', choices: [{'&a ' if i == 0 else '*a'}"
                    f"{repr(answer) if i == 0 else ''}, 'B{i}', 'C{i}'], answer: *a, lint: {{ignore: [long-answer]}}}}\n"
                    for i in range(200))
    return "title: Heavy keys\nworksheet:\n  items:\n" + items


def test_a_lesson_estimated_beyond_the_page_cap_is_refused(tmp_path, run):
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", mc_lesson(4000))
    refused(run, pack, "lessons/stalin.yaml:1:1: error: the teacher edition of this lesson would print about 7,398 "
                       "pages (with the answer keys of 26 versions); the limit is 1,000 pages for one handout",
            "    hint: split the lesson into several lessons")


def test_the_page_estimate_follows_the_style(tmp_path, run, monkeypatch):
    """Big type and wide writing lines make more pages of the same lesson (the cap lowered to show it)."""
    monkeypatch.setattr("lessonpack.building.check.MAX_PAGES", 60)
    pack = make_pack(tmp_path)
    write(pack / "lessons/stalin.yaml", LONG_READING)
    passes(run, pack, "check")  # about 48 pages in the classic style
    write(pack / "lessonpack.yaml", "title: Test Unit\nstyle: large-print\n")
    refused(run, pack, "lessons/stalin.yaml:1:1: error: the teacher edition of this lesson would print about 72 pages "
                       "(with the answer keys of 26 versions); the limit is 60 pages for one handout")
