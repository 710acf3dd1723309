"""The rules every printed handout keeps, whatever the lesson: checked on the built files (the PDF's word boxes,
rules and fields, the page counts) and on the layout of the handout model's own ids (where each question and
source was drawn). Each check returns what it found wrong, as readable lines; an empty list is a pass.

Used by tests/test_pages.py on the reported cases, the example corpus and generated lessons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

from lessonpack.handout import Handout
from lessonpack.handout.paging import fill_floor
from lessonpack.plugins import item_types
from lessonpack.styles.geometry import Geometry
from lessonpack.text.richtext import plain

SLACK = 0.6
"""Points a glyph box may stand past the frame (the fonts' side bearings)."""

PT_PER_PX = 0.75
"""Points in a CSS pixel."""

LIGHTEST_RULE = 0x66 / 255
"""The lightest grey a rule may be drawn in (#666666)."""


@dataclass(frozen=True)
class Frame:
    """The page's text frame in points, from the style and the paper."""

    left: float
    right: float  # from the page's left edge
    top: float
    bottom: float  # from the page's top edge

    @classmethod
    def of(cls, geometry: Geometry) -> "Frame":
        return cls(geometry.left, geometry.page_width - geometry.right, geometry.top,
                   geometry.page_height - geometry.bottom)


def words_inside_the_frame(pdf: Path, frame: Frame) -> list[str]:
    """Nothing is printed outside the text frame's sides: no table, word or figure runs off the page."""
    wrong = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for word in page.extract_words():
                if word["x0"] < frame.left - SLACK or word["x1"] > frame.right + SLACK:
                    wrong.append(f"{pdf.name} page {page.page_number}: {word['text']!r} at x {word['x0']:.1f}–"
                                 f"{word['x1']:.1f}, outside the frame {frame.left:.1f}–{frame.right:.1f}")
            for image in page.images:
                if image["x0"] < frame.left - SLACK or image["x1"] > frame.right + SLACK:
                    wrong.append(f"{pdf.name} page {page.page_number}: a picture outside the frame")
    return wrong[:10]


def _grey(color) -> float | None:
    """A fill colour's lightness, 0 (black) to 1 (white), from pdfplumber's colour tuple."""
    if color is None or isinstance(color, str):
        return None
    values = list(color) if isinstance(color, (tuple, list)) else [color]
    if len(values) == 1:
        return float(values[0])
    if len(values) == 3:
        red, green, blue = (float(v) for v in values)
        return 0.299 * red + 0.587 * green + 0.114 * blue
    if len(values) == 4:  # CMYK
        return 1 - min(1.0, float(values[3]) + (float(values[0]) + float(values[1]) + float(values[2])) / 3)
    return None


def figure_boxes(pdf: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """The boxes of the pictures on each page (by page index), from the tagged PDF's Figure elements, as
    (x0, top, x1, bottom) in points from the page's top left: what is drawn inside is the picture's own."""
    import pikepdf

    out: dict[int, list[tuple[float, float, float, float]]] = {}
    with pikepdf.open(pdf) as doc:
        pages = {page.objgen: n for n, page in enumerate(doc.pages)}
        todo = [doc.Root.get("/StructTreeRoot")]
        while todo:
            node = todo.pop()
            if isinstance(node, pikepdf.Array):
                todo.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            attributes = node.get("/A")
            if node.get("/S") == "/Figure" and isinstance(attributes, pikepdf.Dictionary) and "/BBox" in attributes \
                    and "/Pg" in node:
                n = pages.get(node.Pg.objgen)
                if n is not None:  # WeasyPrint writes it in CSS pixels from the top left
                    x0, top, x1, bottom = (float(v) * PT_PER_PX for v in attributes.BBox)
                    out.setdefault(n, []).append((x0, top, x1, bottom))
            if "/K" in node:
                todo.append(node.K)
    return out


def _inside(thing: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    return any(x0 - 1 <= thing["x0"] and thing["x1"] <= x1 + 1 and top - 1 <= thing["top"] and thing["bottom"] <= bottom + 1
               for x0, top, x1, bottom in boxes)


def rules_survive_a_copier(pdf: Path) -> list[str]:
    """Every rule (a thin line or bar: writing lines, table rules, frames) is at least 0.75 pt thick and #666666
    or darker. What a picture draws (inside its box) is the picture's own."""
    wrong = []
    figures = figure_boxes(pdf)
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            boxes = figures.get(page.page_number - 1, [])
            for rect in page.rects:
                thin, long = sorted((rect["width"], rect["height"]))
                if long < 12 or thin > 2.5 or not rect.get("fill") or _inside(rect, boxes):
                    continue
                grey = _grey(rect.get("non_stroking_color"))
                if thin < 0.74 or (grey is not None and grey > LIGHTEST_RULE + 0.01):
                    wrong.append(f"{pdf.name} page {page.page_number}: a rule {thin:.2f} pt thick, grey {grey}")
            for line in page.lines:
                if _inside(line, boxes):
                    continue
                grey = _grey(line.get("stroking_color"))
                if line.get("linewidth", 1) < 0.74 or (grey is not None and grey > LIGHTEST_RULE + 0.01):
                    wrong.append(f"{pdf.name} page {page.page_number}: a line {line.get('linewidth'):.2f} pt, "
                                 f"grey {grey}")
    return wrong[:10]


TEXT_BLOCKS = {"P", "TD", "TH", "LI", "LBody", "Lbl", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "BlockQuote",
               "Note"}
"""The tagged PDF's elements whose lines of text flow as one block (a paragraph, a cell, a list item…)."""


def hard_breaks(html: str) -> set[str]:
    """The words that end a line on purpose (before a ``<br>`` in the handout's HTML: verse, addresses), so that
    :func:`lines_filled` does not take a poem's short line for a line broken too early."""
    text = re.sub(r"<(?!br\b)[^>]*>", "", html)
    return {m.group(1) for m in re.finditer(r"(\S+)\s*<br\b", text)}


def _blocks_by_mcid(page) -> dict[int, int]:
    """Each marked-content id on ``page`` with the text block (see :data:`TEXT_BLOCKS`) it belongs to."""
    owner: dict[int, int] = {}
    blocks = 0

    def walk(element: dict, block: int | None) -> None:
        nonlocal blocks
        if element.get("type") in TEXT_BLOCKS:
            blocks += 1
            block = blocks
        for mcid in element.get("mcids") or []:
            if block is not None:
                owner[mcid] = block
        for child in element.get("children", []):
            walk(child, block)

    for element in page.structure_tree:
        walk(element, None)
    return owner


def _text_lines(words: list[dict], drawn: list[dict]) -> list[tuple[float, float, list[dict]]]:
    """``words`` grouped into lines (a word whose middle is within a line's height joins it: a blank's boxed number
    sits lower), with the things drawn on each line (a formula's strokes, a blank's line), each line left to
    right, the lines top to bottom."""
    lines: list[list] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        for line in lines:
            if line[0] - 1 <= middle <= line[1] + 1:
                line[2].append(word)
                line[0], line[1] = min(line[0], word["top"]), max(line[1], word["bottom"])
                break
        else:
            lines.append([word["top"], word["bottom"], [word]])
    for thing in drawn:
        middle = (thing["top"] + thing["bottom"]) / 2
        for line in lines:
            if line[0] - 2 <= middle <= line[1] + 3:
                line[2].append(thing)
                break
    return sorted(((top, bottom, sorted(items, key=lambda i: i["x0"])) for top, bottom, items in lines),
                  key=lambda line: line[0])


def _first_unit(items: list[dict]) -> float:
    """How wide a line's first unbreakable piece is: its first word, formula or blank and whatever touches it."""
    x0, x1, mcid = items[0]["x0"], items[0]["x1"], items[0].get("mcid")
    for item in items[1:]:
        same_drawing = mcid is not None and item.get("mcid") == mcid and "text" not in item
        if item["x0"] > x1 + 0.5 and not same_drawing:
            break
        x1, mcid = max(x1, item["x1"]), item.get("mcid")
    return x1 - x0


def lines_filled(pdf: Path, breaks: set[str] = frozenset()) -> list[str]:
    """No line of a paragraph (or cell, or list item) ends early: a line that stops more than a third of its block
    short of the block's widest line, when the next line's first word (or formula, or blank) would have fitted in
    that room and the next line runs on to the block's edge, is a line broken too early (WeasyPrint once left
    "the" alone there, before an inline element). Lines ending with one of ``breaks`` end on purpose
    (:func:`hard_breaks`)."""
    wrong = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            try:
                owner = _blocks_by_mcid(page)
            except AssertionError:  # a page with no marked content at all: a blank page before a right-hand page
                continue
            words: dict[int, list[dict]] = {}
            drawn: dict[int, list[dict]] = {}
            loose = []
            for word in page.extract_words(extra_attrs=["size", "mcid"]):
                if owner.get(word.get("mcid")):
                    words.setdefault(owner[word["mcid"]], []).append(word)
            for thing in page.curves + page.rects + page.lines:
                if owner.get(thing.get("mcid")):
                    drawn.setdefault(owner[thing["mcid"]], []).append(thing)
                elif thing["x1"] - thing["x0"] < page.width / 2:
                    loose.append(thing)  # drawn outside the structure: a blank's line and its number's box
            for block, block_words in words.items():
                left = min(w["x0"] for w in block_words) - 1
                right = max(w["x1"] for w in block_words) + 1
                near = [t for t in loose if t["x0"] >= left and t["x1"] <= right]
                lines = _text_lines(block_words, drawn.get(block, []) + near)
                if len(lines) < 2:
                    continue
                edge = max(i["x1"] for _, _, items in lines for i in items)
                width = edge - min(i["x0"] for _, _, items in lines for i in items)
                for (_, a_bottom, a), (b_top, _, b) in zip(lines, lines[1:]):
                    texts = [i["text"] for i in a if "text" in i]
                    if b_top < a_bottom or not texts or texts[-1] in breaks:
                        continue
                    size = max(i["size"] for i in b if "size" in i) if any("size" in i for i in b) else 10.0
                    room = edge - max(i["x1"] for i in a)
                    next_runs_on = edge - max(i["x1"] for i in b) < width / 6
                    if room > _first_unit(b) + size * 0.3 + 1 and room > width / 3 and next_runs_on:
                        after = " ".join(i["text"] for i in b if "text" in i)
                        wrong.append(f"{pdf.name} page {page.page_number}: a line ends {room:.0f} pt early, with "
                                     f"room for what begins the next: …{' '.join(texts[-4:])} | {after[:40]}")
    return wrong[:10]


def one_field_group_per_question(form: Path) -> list[str]:
    """In the fillable PDF, every field's boxes are on one page (a group of round buttons is one question's
    answer), and no two fields share a name."""
    reader = PdfReader(form)
    pages_of: dict[str, set[int]] = {}
    names: list[str] = []
    for number, page in enumerate(reader.pages):
        for annot in (a.get_object() for a in page.get("/Annots", [])):
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot.get("/Parent").get_object() if "/Parent" in annot else annot
            name = str(field.get("/T"))
            pages_of.setdefault(name, set()).add(number)
    for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        names.append(str(field.get_object().get("/T")))
    wrong = [f"{form.name}: field {name} on pages {sorted(p + 1 for p in pages)}"
             for name, pages in pages_of.items() if len(pages) > 1]
    wrong += [f"{form.name}: two fields named {name}" for name in {n for n in names if names.count(n) > 1}]
    return wrong


def versions_print_alike(pdfs: list[Path]) -> list[str]:
    """Versions of a lesson print the same number of pages."""
    counts = {pdf.name: len(PdfReader(pdf).pages) for pdf in pdfs}
    return [] if len(set(counts.values())) <= 1 else [f"versions differ in pages: {counts}"]


def _questions(h: Handout):
    return h.worksheet.questions if h.worksheet else ()


def layout_keeps_the_rules(h: Handout, layout, geometry: Geometry) -> list[str]:
    """On the layout of the handout's own ids: a question's prompt stays with its choices, options, rows,
    events or word bank (one page, unless the model let it go on over a page between writing lines, or it is
    taller than a page); a source is on one page (a table taller than a page apart); a "lines: fill" question has
    at least its floor of lines, which end at the foot of its page; the page handed in asks for the name and
    holds the start of the worksheet."""
    wrong: list[str] = []
    questions = list(_questions(h))
    sources = [s for q in questions for s in q.sources] + list(h.sources)
    ids = [q.anchor for q in questions] + [s.anchor for s in sources]
    ids += [q.writing.anchor for q in questions if q.fills_page and q.writing]
    worksheet = h.section("worksheet")
    if worksheet is not None:
        ids.append(worksheet.anchor)
    placed = layout.place(h, ids)
    pitch = geometry.writing_line + 1
    foot = geometry.page_height - geometry.bottom
    for q in questions:
        pages = {p.page for p in placed.get(q.anchor, ())}
        splits = bool(item_types()[q.kind].writings(q)) and not q.keep_whole
        if q.fills_page and q.writing and h.is_teacher:
            # The teacher's copy of a question whose lines fill its page: the rubric under them goes on over.
            writing = {p.page for p in placed.get(q.writing.anchor, ())}
            pages = {min(pages)} | writing if pages else pages
        if len(pages) > 1 and not splits and q.keep_whole:
            wrong.append(f"{h.lesson_id}/{h.edition}: question {q.number} ({q.kind}) is cut by the page "
                         f"(pages {sorted(p + 1 for p in pages)})")
        if q.fills_page and q.writing:
            if q.writing.lines < fill_floor(q):
                wrong.append(f"{h.lesson_id}/{h.edition}: fill question {q.number} has {q.writing.lines} lines, "
                             f"fewer than its floor {fill_floor(q)}")
            spot = placed.get(q.writing.anchor)
            if spot and not h.is_teacher:  # (the teacher's copy prints the student's count, wherever it starts)
                end = spot[0].top + q.writing.lines * pitch
                if end > foot + 2 or foot - end > 2.5 * pitch:
                    wrong.append(f"{h.lesson_id}/{h.edition}: fill question {q.number}'s lines end {foot - end:.0f}"
                                 " pt above the foot of its page")
    for s in sources:
        pages = {p.page for p in placed.get(s.anchor, ())}
        if len(pages) > 1 and not (s.table and not s.table.keep_whole) and not s.notes_may_break:
            wrong.append(f"{h.lesson_id}/{h.edition}: {s.label} is cut by the page")
    if worksheet is not None and questions and not h.is_teacher:
        start = placed.get(worksheet.anchor)
        first = questions[0].sources[0].anchor if questions[0].sources else questions[0].anchor
        if start and placed.get(first) and placed[first][0].page != start[0].page:
            wrong.append(f"{h.lesson_id}/{h.edition}: the worksheet's heading is on page {start[0].page + 1}, "
                         f"its first question (or source) on page {placed[first][0].page + 1}")
        if start and start[0].page > 0 and not h.worksheet.name_line and not h.fillable:
            wrong.append(f"{h.lesson_id}/{h.edition}: the worksheet starts page {start[0].page + 1} without the "
                         "name line")
    return wrong


def worksheet_text(h: Handout) -> str:
    return " ".join(plain(q.prompt) for q in _questions(h))


BLANK_NOTICE = "Thispageisintentionallyleftblank."


def worksheet_on_a_right_hand_page(pdf: Path, heading: str) -> list[str]:
    """Copied two-sided, the worksheet (the sheet handed in), when it starts a page, starts a right-hand one, an odd
    one; a page left blank before it says so."""
    with pdfplumber.open(pdf) as doc:
        texts = [(page.extract_text() or "") for page in doc.pages]
    plain = heading.replace("'", "\u2019")  # as printed, with its apostrophes curled
    starts = [n for n, text in enumerate(texts, 1) if heading in text or plain in text]
    if not starts:
        return [f"{pdf.name}: no page holds the worksheet's heading {heading!r}"]
    lines = texts[starts[0] - 1].splitlines()
    at_top = any(heading in line or plain in line for line in lines[:2])  # under the running header at most
    wrong = [] if starts[0] % 2 == 1 or not at_top else [
        f"{pdf.name}: the worksheet starts page {starts[0]}, a left-hand page"]
    for n, text in enumerate(texts[:starts[0] - 1], 1):
        if not text.strip():
            wrong.append(f"{pdf.name}: page {n} is blank without saying so")
    return wrong


def pack_problems(root: Path, out: Path, *, style: str, paper: str, versions: int = 3) -> list[str]:
    """Build the pack at ``root`` into ``out`` (PDF, the fillable PDF, both editions, ``versions`` versions, two-sided)
    and return what breaks the rules, from the PDFs themselves and from a layout of the handout model's ids."""
    from lessonpack.building.builder import build
    from lessonpack.building.jobs import Job, resolve
    from lessonpack.building.worker import plan_context, plan_handout
    from lessonpack.load.pack import load_pack
    from lessonpack.render.pdf import PdfLayout

    result = build(root, out_dir=out, formats=["pdf", "pdf-form", "html"], editions=["student", "teacher"], style=style,
                   paper=paper, versions=versions, duplex=True, with_pack=False)
    if not result.ok:
        return [f"{root.name} did not build in {style} on {paper}: {result.failed}"]
    pack = load_pack(root)
    settings = resolve(pack, out_dir=out, style=style, paper=paper, versions=versions, duplex=True)
    geometry = Geometry.of(settings.style.tokens, paper)
    frame = Frame.of(geometry)
    layout = PdfLayout(settings.style, paper, root)
    problems: list[str] = []
    for lesson in pack.lessons:
        folder = out / lesson.id
        breaks = set().union(*(hard_breaks(page.read_text(encoding="utf-8")) for page in folder.glob("*.html")))
        for pdf in sorted(folder.glob("*.pdf")):
            problems += words_inside_the_frame(pdf, frame) + rules_survive_a_copier(pdf) + lines_filled(pdf, breaks)
        problems += one_field_group_per_question(folder / f"{lesson.id}-student-form.pdf")
        problems += versions_print_alike(sorted(folder.glob(f"{lesson.id}-student-?.pdf")))
        heading = lesson.lesson.worksheet.title if lesson.lesson.worksheet else None
        for edition, version, form in (("student", "A", False), ("student", "B", False), ("student", "C", False),
                                       ("teacher", "", False), ("student", "A", True)):
            job = Job(edition, "pdf-form" if form else "pdf", folder / "x.pdf", "", lesson,
                      version=version if versions > 1 else "")
            h = plan_handout(lesson, edition, plan_context(settings, job), settings, root)
            problems += [f"{style}/{paper}{' form' if form else ''} {version}: {p}"
                         for p in layout_keeps_the_rules(h, layout, geometry)]
        if heading:
            for pdf in sorted(folder.glob(f"{lesson.id}-student-?.pdf")):
                problems += worksheet_on_a_right_hand_page(pdf, heading)
    return problems
