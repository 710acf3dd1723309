"""Every cap lessonpack puts on what a pack may ask of it, in one place (see docs/security.md).

A pack is data written by someone else. These numbers are far above what a real lesson needs
(the sample lessons use a few percent of each), and low enough that no pack can make a build
hang or eat the machine. Each message that reports a cap names it and, where the user may raise
it, says how.
"""

from __future__ import annotations

import os

# -- files read from a pack ---------------------------------------------------------------------

MAX_LESSON_BYTES = 1_000_000
"""A lesson file or ``lessonpack.yaml`` (1 MB): a long lesson is a few tens of kilobytes."""

MAX_STYLE_BYTES = 200_000
"""A style's ``style.yaml``."""

MAX_STYLE_CHAIN = 8
"""How many styles deep ``extends:`` may go (a style, its parent, its parent's parent…): real chains are two or
three long."""

MAX_LABELS_BYTES = 200_000
"""A pack's label catalogue, ``labels/<code>.yaml``: lessonpack's own are about 5 KB."""

MAX_LABEL_CATALOGUES = 50
"""How many label catalogues a pack's ``labels/`` folder may hold (one per language)."""

MAX_CSS_BYTES = 2_000_000
"""A style's ``handout.css`` and any stylesheet it imports."""

MAX_MARGIN_SHARE = 0.5
"""How much of the page's width (left and right together) or height (top and bottom) a style's margins may
take, on either paper: past half, a handout's text is a thin strip and every line a page."""

MAX_TEMPLATE_BYTES = 1_000_000
"""One template in a pack's ``templates/`` folder."""

MAX_REFERENCE_DOCX_BYTES = 20_000_000
"""A style's Word ``reference.docx`` on disk."""

MAX_FONT_BYTES = 20_000_000
"""The largest font file of a pack's ``fonts/`` folder lessonpack reads (as large as the PDF's fetcher loads)."""

MAX_IMAGE_BYTES = 20_000_000
"""One image or font loaded by a template or stylesheet."""

MAX_IMAGE_PIXELS = 40_000_000
"""Pixels in one raster image (about 8000 × 5000): a full-page photo at 600 dpi is 34 million."""

MAX_SVG_ELEMENTS = 50_000
"""Elements one SVG picture draws, counting every copy: an element ``<use>`` copies counts once per copy, an
SVG embedded as a ``data:`` picture counts its own elements once per time it is drawn, and a marker's content
once per point it marks. 50,000 take each renderer about five seconds; a detailed map has a few thousand."""

MAX_LESSON_SVG_ELEMENTS = 200_000
"""Elements the SVG pictures of one lesson draw together (as :data:`MAX_SVG_ELEMENTS` counts them, once per
place the lesson shows a picture)."""

MIN_SVG_SIZE = 1.0
"""Smallest width or height of an SVG picture, in CSS pixels (1/96 inch): anything smaller prints as nothing."""

MAX_SVG_SIZE = 100_000.0
"""Largest width or height of an SVG picture (or of its viewBox), in its own units: about 26 metres at 96 to
the inch; a drawing is scaled to the page either way, and sizes beyond this only lose precision."""

MAX_SVG_ASPECT = 100.0
"""How many times wider than tall (or taller than wide) an SVG picture may be: a timeline strip is 10:1; at
1000:1 a picture the width of the page is a hairline."""

MAX_MANIFEST_BYTES = 50_000_000
"""The build manifest in the output folder."""

MAX_OUTPUT_BYTES = 500_000_000
"""A lesson PDF this build wrote, read back to assemble a unit PDF (its hash is checked too)."""

MAX_CACHE_ENTRY_BYTES = 20_000_000
"""One entry of the checked-lesson cache (a lesson's validated data and diagnostics as JSON): a lesson file is
at most 1 MB and its aliases expand to at most 2,000,000 characters; a file in the cache that is larger is
not an entry lessonpack wrote, and is not read."""

MAX_FORM_BYTES = 50_000_000
"""A filled form read by ``collect`` (a handout's form is well under a megabyte; scanned pictures pasted in are not)."""

MAX_FORM_FIELDS = 20_000
"""Fields ``collect`` reads from one form (a worksheet of 200 items with 50 blanks each has 10,000)."""

MAX_FORM_VALUE_CHARS = 20_000
"""Characters ``collect`` keeps of one field's value (an essay typed into a form is a few thousand); the rest is cut,
with a warning naming the form and the field."""

MAX_FORMS = 2_000
"""Forms one ``collect`` reads (a year's classes); run it again for the rest."""

MAX_COLLECT_CHARS = 50_000_000
"""Characters of values one ``collect`` holds in all (the CSV it writes is about this size); the forms past it are
skipped, each with a message, and can be collected by another run."""

# -- reference.docx, taken apart ----------------------------------------------------------------

MAX_DOCX_ENTRIES = 2_000
"""Entries in the reference document's zip."""

MAX_DOCX_PART_BYTES = 20_000_000
"""One part of the reference document that lessonpack uses, uncompressed."""

MAX_DOCX_TOTAL_BYTES = 50_000_000
"""All the parts lessonpack uses from one reference document, uncompressed."""

MAX_IMPORT_DOCX_BYTES = 50_000_000
"""A Word document ``lessonpack import`` reads (the file; its parts are held to MAX_DOCX_TOTAL_BYTES)."""

MAX_DOCX_RATIO = 200
"""How much one part may grow when uncompressed (a zip bomb grows by thousands)."""

# -- lesson content -----------------------------------------------------------------------------

MAX_ITEMS = 200
"""Worksheet items in one lesson (a long test has 60)."""

MAX_KEY_TERMS = 200
"""Key terms in one lesson."""

MAX_PROMPTS = 100
"""Discussion prompts in one lesson."""

MAX_OBJECTIVES = 50
"""Objectives in one lesson."""

MAX_BLANKS = 50
"""Blanks in one fill-in-the-blank item."""

MAX_RUBRIC = 30
"""Rubric lines under one essay."""

MAX_NUMBER_DIGITS = 15
"""Digits in a numeric item's answer or tolerance, and in a number a student types into its box (a measurement
has a few; a value with more is not read as a number, so no arithmetic runs on thousands of digits)."""

MAX_DRAWING_CM = 25.0
"""The tallest space a drawing item asks for, in centimetres (a page's text area is about 23 to 25 cm tall; the
space is never drawn taller than its page holds with the question)."""

MAX_DRAWING_LINES = 50
"""The tallest space a drawing item asks for, in writing lines."""

MAX_DIAGRAM_LABELS = 30
"""Labels on one diagram to label (a cell diagram has eight or so): each is a numbered marker, a line to write
on and a form field."""

MAX_FIELD_CHARS = 20_000
"""Characters in any one text field (a prompt, a definition, a model answer, teacher notes)."""

MAX_FORMULA_CHARS = 2_000
"""Characters of TeX in one formula (``$…$``): a page-wide system of equations is a few hundred; each formula is
converted and drawn three times over (MathML, SVG, Word's OMML), in time that grows with its length."""

MAX_READING_CHARS = 100_000
"""Characters in a reading (about 16,000 words; a long reading has 2,000)."""

MAX_TABLE_COLUMNS = 12
"""Columns in one source table (a results table has six or so): more could not fit a page's width however its
cells wrap."""

MAX_TABLE_HEADER_ROWS = 3
"""Header rows in one source table: a heading over several columns and the headings under it take two."""

MAX_TABLE_ROWS = 100
"""Rows in one source table, its header apart."""

MAX_TABLE_CELLS = 5_000
"""Cells in the source tables of one lesson together, header rows included (a table of statistics has a few
dozen): each table is drawn in both editions, and a table cell is the costliest thing a page lays out."""

MAX_PAGES = 1_000
"""Pages one handout may print, as estimated from its content and the style's measures when the pack is
checked (the teacher edition counted with the answer keys of a build with the most versions, 26): writing
lines and running text lay out at ten to twenty pages a second, tables slower; a long lesson prints twenty."""

# -- templates ----------------------------------------------------------------------------------

MAX_TEMPLATE_STRING = 1_000_000
"""Longest string or list a template may build by repetition (``"A" * n``) or padding (``"%9999s"``)."""

MAX_TEMPLATE_OUTPUT = 50_000_000
"""Characters of HTML one template render may produce."""

MAX_TEMPLATE_POWER_BITS = 4_096
"""Largest number a template may compute with ``**`` (in bits)."""

MAX_HTML_ELEMENTS = 50_000
"""HTML elements a pack's templates may produce for one handout or unit cover (lessonpack's own templates
produce a few thousand for a long lesson): laying out 50,000 small tables' worth takes about a minute and
a gigabyte."""

# -- rendering ----------------------------------------------------------------------------------

DEFAULT_MEMORY_MIB = 2_048
"""Memory one render process may take beyond what it started with (``--memory-limit``)."""

DEFAULT_TIMEOUT = 120.0
"""Seconds one document may take to render (``--timeout``)."""

MAX_TIMEOUT = 86_400.0
"""The longest ``--timeout`` accepted (a day): a longer one is a typing mistake, and ``inf`` or ``nan`` would turn
the deadline off."""

MAX_MEMORY_MIB = 1_048_576
"""The most ``--memory-limit`` accepted (1 TiB): beyond any machine a handout is rendered on."""

CHECK_TEMPLATE_TIMEOUT = 30.0
"""Seconds ``check`` gives a pack's templates to render its lessons as HTML (every edition and version), and
each SVG picture to be drawn as Word's PNG fallback (``check --timeout``)."""

# -- the preview (any web page the teacher opens can send requests to 127.0.0.1) ----------------

PREVIEW_RENDERS = max(1, os.cpu_count() or 1)
"""Documents the preview renders at once (lesson pages, PDF and DOCX downloads): one per core, each in a
limited process (``DEFAULT_MEMORY_MIB``, ``DEFAULT_TIMEOUT``)."""

PREVIEW_RENDER_WAIT = 10.0
"""Seconds a request waits for a free render before the preview answers 503 ("busy; try again")."""

PREVIEW_CONNECTIONS = 64
"""Connections the preview serves at once (each open page keeps one for its reload events); a connection
beyond them is answered 503 and closed."""

PREVIEW_HEADER_TIMEOUT = 5.0
"""Seconds a client has to send its whole request line and headers (a browser sends them at once)."""

PREVIEW_SEND_TIMEOUT = 30.0
"""Seconds a client may leave an answer unread before the preview drops the connection."""

PREVIEW_PAGES = 60
"""Pages of a handout the preview draws as pictures (about 300 KB each); a longer handout's page says that the rest
are in its PDF, which the page offers to download."""


MAX_LINE_NUMBERS = 100
"""The largest ``line_numbers:`` step of a poem (a number every hundredth line)."""

MAX_PARALLEL_TEXTS = 10
"""Most texts read in one source's ``parallel:`` list; two are printed side by side, and any other number is an
error that says so (beyond this, pydantic's cap reports it)."""


MAX_ANALYSIS_PARTS = 12
"""Questions in one source analysis (the classic five and parts of the author's own): a page of lettered parts."""
