"""Validate loaded YAML data against the models and the lesson rules, as positioned diagnostics.

Pydantic checks shape and types; its errors are rewritten here into messages a teacher can
act on. The rules that relate fields to each other (an answer among its choices, blanks in a
fill-in text, enough key terms for a matching item) and the warnings follow.
"""

from __future__ import annotations

import re
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .. import limits
from . import model as m
from ..errors import Diagnostic
from .lints import lint_lesson, setting_problems
from .placeholders import placeholder_problems
from ..text.words import did_you_mean
from ..text.maths import problem as formula_problem
from ..text.richtext import CALLOUTS, blocks, callout_marks, footnote_problems, formulas_in, images_in, span_languages
from ..text.terms import paragraphs_with, reading_paragraphs
from ..text.verse import line_count
from .yamlsource import Path_, SourceMap, describe, starts_like_flow



def validate_lesson(data: Any, source: SourceMap) -> tuple[m.Lesson | None, list[Diagnostic]]:
    """Turn a lesson file's data into a :class:`~lessonpack.load.model.Lesson` plus every problem."""
    if not isinstance(data, dict):
        return None, [_top_level(source, data, "a lesson", "title: The Soviet Union under Stalin")]
    problems: list[Diagnostic] = []
    lesson = None
    try:
        lesson = m.lesson_model().model_validate(data)
    except ValidationError as exc:
        problems += from_pydantic(exc, source, data, m.lesson_model())
    problems += _lesson_rules(data, source)
    if any(p.is_error for p in problems):
        return None, problems
    if lesson is not None:  # teaching lints: only on a valid lesson
        problems += lint_lesson(lesson, source)
    return lesson, problems


def rule_errors(lesson: m.Lesson) -> list[Diagnostic]:
    """The errors the lesson rules (an answer among its choices, blanks in a fill-in text…) find in a lesson
    already built, such as one remembered by the lesson cache: what :func:`validate_lesson` would refuse
    beyond the model itself. Positions are unknown (1:1); a caller that finds any reads the file again."""
    return [p for p in _lesson_rules(lesson.model_dump(mode="json"), SourceMap("")) if p.is_error]


def validate_pack_config(data: Any, source: SourceMap) -> tuple[m.PackConfig | None, list[Diagnostic]]:
    """Turn ``lessonpack.yaml`` data into a :class:`~lessonpack.load.model.PackConfig` plus problems."""
    if not isinstance(data, dict):
        return None, [_top_level(source, data, "lessonpack.yaml", "title: The Interwar Years (1919–1938)")]
    try:
        return m.PackConfig.model_validate(data), []
    except ValidationError as exc:
        return None, from_pydantic(exc, source, data, m.PackConfig)


# -- pydantic errors → diagnostics --------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return f'"{m.shown(value)}"'


def _top_level(source: SourceMap, data: Any, what: str, example: str) -> Diagnostic:
    return Diagnostic(source.file, 1, 1, "error",
                      f"the top level of {what} must be a mapping of keys, but this file holds {_kind(data)}",
                      f"start the file with keys such as `{example}`")


def _clean_loc(loc: tuple, data: Any) -> Path_:
    """Drop the discriminator tags pydantic inserts into item locations, and the ``text`` of an entry written
    as its text alone (a choice or a prompt: ``- General secretary`` is short for ``- {text: ...}``)."""
    out: list = []
    for part in loc:
        if isinstance(part, str) and len(out) >= 2 and out[-2] == "items" and m.item_model(part) is not None:
            continue
        if isinstance(part, str) and (part.startswith("function-") or part in m.TABLE_CELL_TAGS):
            continue
        if isinstance(part, int) and out and out[-1] == "header" and _one_header_row(_get(data, out)):
            continue  # header: [A, B] is read as one row of headings: its entries are numbered as written
        out.append(part)
    if len(out) >= 2 and out[-1] == "text" and isinstance(out[-2], int) and not isinstance(_get(data, out[:-1]), dict):
        out.pop()
    return tuple(out)


def _one_header_row(header: Any) -> bool:
    """A table's ``header:`` written as one row of headings (not a list of rows)."""
    return isinstance(header, list) and not any(isinstance(row, list) for row in header)


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``list[X]``, ``X | None`` or ``Annotated[X, ...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _fields_at(path: Path_, data: Any, root: type[BaseModel]) -> list[str]:
    """Keys allowed in the mapping at ``path`` (for 'did you mean' suggestions)."""
    cls: type[BaseModel] | None = root
    for i, part in enumerate(path):
        if cls is None:
            return []
        if isinstance(part, int):
            continue
        field_info = cls.model_fields.get(part)
        if field_info is None:
            return []
        if part == "items" and issubclass(cls, m.Worksheet) and len(path) > i + 1:
            item = _get(data, path[: i + 2])
            cls = m.item_model(item.get("type")) if isinstance(item, dict) and isinstance(item.get("type"), str) else None
            if cls is None:
                return ["type", "points"]
            continue
        cls = _model_in(field_info.annotation)
    return list(cls.model_fields) if cls else []


def from_pydantic(exc: ValidationError, source: SourceMap, data: Any,
                   root: type[BaseModel]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for err in exc.errors(include_url=False):
        path = _clean_loc(tuple(err["loc"]), data)
        kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
        hint = None
        at_key = False
        where = path
        if kind == "missing":
            where, name = path[:-1], path[-1]
            message = f'missing required field "{name}"'
            item = _get(data, where)
            model = m.item_model(item["type"]) if isinstance(item, dict) and isinstance(item.get("type"), str) else None
            if model is not None:
                hint = f"a {item['type']} item needs {model.example}"
            else:
                hint = f"add `{name}: ...`" + (f" under {describe(where)}:" if where else " at the top of the file")
            problems.append(source.diagnostic(where, f"{describe(where) or 'top level'}: {message}", hint=hint))
            continue
        if kind == "extra_forbidden":
            name = str(path[-1])
            allowed = _fields_at(path[:-1], data, root)
            guess = did_you_mean(name, allowed)
            message = f'unknown key "{name}"' + (f'; did you mean "{guess}"?' if guess else "")
            hint = "allowed keys here: " + ", ".join(allowed) if allowed else None
            at_key = True
            line, col = source.key_pos(path)
            if _get(data, path) is None and "{" in source.line_text(line)[:col - 1] and " " in name.strip():
                message = (f'unknown key "{name}": inside {{ }} a comma ends a value, so YAML read the words after '
                           "it as a key of their own")
                hint = ('put the text that holds the comma in double quotes, e.g. {part: origin, answer: "Lenin '
                        'dictated it in 1922, ill after his strokes."}, or write the keys one per line')
        elif kind == "union_tag_invalid":
            tag = str(ctx.get("tag"))
            guess = did_you_mean(tag, m.item_type_names())
            path = path + ("type",)
            message = f'unknown item type "{tag}"' + (f'; did you mean "{guess}"?' if guess else "")
            hint = "valid types: " + ", ".join(m.item_type_names())
        elif kind == "union_tag_not_found":
            message = 'item has no "type"'
            hint = "add `type:` with one of: " + ", ".join(m.item_type_names())
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
            hint = _text_hint(source, path, message)
            if message == "is empty" and hint is None:
                hint = "write a value after the colon, or remove the line"
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            message = "is empty; write a whole number" if value is None else \
                f"expected a whole number, got {_kind(value)}"
            hint = "write a whole number such as 2, with no quotes, units or decimals"
        elif kind in ("bool_parsing", "bool_type"):
            message = "is empty; write true or false" if value is None else \
                f"expected true or false, got {_kind(value)}"
            guess = did_you_mean(value.strip().lower(), ["true", "false"]) if isinstance(value, str) else None
            if guess:
                message += f'; did you mean "{guess}"?'

            hint = "write true or false, without quotes"
        elif kind == "greater_than_equal":
            message = f"must be at least {ctx.get('ge'):g}, got {m.shown(value)}"
        elif kind == "less_than_equal":
            message = f"must be at most {ctx.get('le'):g}, got {m.shown(value)}"
        elif kind == "too_short":
            message = f"needs at least {_entries(ctx.get('min_length'))}, has {ctx.get('actual_length')}"
            hint = "add entries, each on its own line starting with '- '"
        elif kind == "too_long":
            noun = _CAPPED.get(str(path[-1])) if path else None
            actual = ctx.get("actual_length")
            has = f"{actual:,}" if isinstance(actual, int) else "more"
            if noun:
                message = f"has {has} entries; the limit for {noun} is {ctx.get('max_length')}"
                hint = "split the lesson into several lessons"
            else:
                message = f"allows at most {_entries(ctx.get('max_length'))}, has {has}"
                hint = "remove some entries, or split the item into two"
        elif kind == "list_type":
            message = f"expected a list, got {_kind(value)}"
            hint = "write each entry on its own line, starting with '- '"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = f"expected a mapping (key: value lines), got {_kind(value)}"
            hint = "put its keys on the lines below, each indented by two more spaces"
            if path and path[0] == "prompts":
                message = f"expected text or a mapping with text: and notes:, got {_kind(value)}"
                hint = "write the prompt as text, or as `text: ...` with `notes: ...` below it"
        elif kind == "literal_error":
            message = f"{_kind(value)} is not allowed; use one of: {ctx.get('expected')}"
            if isinstance(value, str):
                allowed = re.findall(r"'([^']+)'", str(ctx.get("expected", "")))
                guess = did_you_mean(value, allowed)
                if guess:
                    message += f' (did you mean "{guess}"?)'
        else:  # pragma: no cover - a pydantic error type we have not worded yet
            message = err["msg"]
        label = describe(path) or "top level"
        problems.append(source.diagnostic(path, f"{label}: {message}", hint=hint, at_key=at_key))
    return problems


_CAPPED = {"items": "items in one worksheet", "key_terms": "key terms in one lesson",
           "prompts": "discussion prompts in one lesson", "objectives": "objectives in one lesson",
           "rubric": "rubric lines under one essay"}
"""Lists whose length is one of lessonpack's limits (limits.py), with the words that name each limit."""


def _entries(n: Any) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


MARKDOWN_BLOCK_FIELDS = {("teacher_notes",), ("reading", "text")}


def _text_hint(source: SourceMap, path: Path_, message: str) -> str | None:
    line, col = source.value_pos(path)
    written = source.line_text(line)
    if "YAML read this unquoted word" in message:
        word = re.match(r"[^\s#,\]}]+", written[col - 1:])
        token = word.group(0) if word else "no"
        return (f'YAML 1.1 reads unquoted yes/no/on/off/true/false as true or false; '
                f'put it in quotes: "{token}"')
    if message.startswith("expected text, got a") and starts_like_flow(written):
        return ('put the whole text in quotes: a value that starts with "[[" or "{" is read as a list or a '
                'mapping, e.g. text: "[[Stalin]] became general secretary"')
    if message.startswith("expected text, got a list") and tuple(path) in MARKDOWN_BLOCK_FIELDS:
        return ("write the text as one block: put `|` after the colon and indent the lines below it; "
                "Markdown lists (lines starting with '- ') work inside the block")
    if message.startswith("expected text, got a list"):
        return "write a single text here, not a list"
    return None


# -- rules that relate fields --------------------------------------------------------------


def _lesson_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    terms = data.get("key_terms")
    term_texts: list[str] = []
    if isinstance(terms, list) and len(terms) <= limits.MAX_KEY_TERMS:  # beyond the cap: one error is enough
        seen: dict[str, int] = {}
        for i, entry in enumerate(terms):
            term = entry.get("term") if isinstance(entry, dict) else None
            if not isinstance(term, str) or not term.strip():
                continue
            key = term.strip().casefold()
            if key in seen:
                problems.append(source.diagnostic(
                    ("key_terms", i, "term"),
                    f'key_terms[{i}].term: "{term}" repeats key_terms[{seen[key]}].term (terms must be unique, '
                    "ignoring case)", hint="keep one of them, or merge their definitions"))
                continue
            seen[key] = i
            term_texts.append(term)

    worksheet = data.get("worksheet")
    items = worksheet.get("items") if isinstance(worksheet, dict) else None
    if isinstance(items, list) and len(items) <= limits.MAX_ITEMS:
        for i, raw in enumerate(items):
            problems += _item_rules(raw, ("worksheet", "items", i), source, len(term_texts))
        if items and isinstance(items[0], dict) and items[0].get("keep_with_previous") is True:
            problems.append(source.diagnostic(
                ("worksheet", "items", 0, "keep_with_previous"),
                "worksheet.items[0].keep_with_previous: the first item has no item before it to keep with",
                hint="remove keep_with_previous here; to keep the first item first in every version, write "
                     "shuffle: false"))

    problems += _source_rules(data, source, items if isinstance(items, list) else [])
    problems += _reading_verse_rules(data, source)
    problems += _picture_rules(data, source)
    problems += _callout_rules(data, source)
    problems += _formula_rules(data, source)
    problems += _footnote_rules(data, source)
    problems += _span_language_rules(data, source)
    problems += _lesson_warnings(data, source, term_texts, items)
    problems += setting_problems(data, source)
    problems += placeholder_problems(data, source)
    return problems


def _table_rules(table: m.SourceTable, path: Path_, source: SourceMap, one_row: bool) -> list[Diagnostic]:
    """A table's shape: header rows that cover its columns (a span that runs past the last column is reported on
    its span:), rows of one cell per column, an answer for every blank cell, and widths: and align: with one entry
    per column."""
    out: list[Diagnostic] = []
    width = table.columns

    def at(r: int, c: int | None = None) -> Path_:
        head = path + (("header",) if one_row else ("header", r))
        return head if c is None else head + (c,)

    lengths = {len(row) for row in table.rows}
    rows_width = lengths.pop() if len(lengths) == 1 else None  # the rows agree on their width
    last = len(table.header) - 1
    for r, heads in enumerate(table.header):
        column = 0
        # The columns are the last header row's; its own spans are judged by the rows' width.
        limit = rows_width if r == last and rows_width is not None else width
        for c, cell in enumerate(heads):
            if cell.span > 1 and column + cell.span > limit:
                sub = at(r, c) + ("span",)
                out.append(source.diagnostic(sub, f"{describe(sub)}: {cell.span} columns from column {column + 1} "
                                                  f"run past the table's last column (it has {limit})",
                                             hint=f"make it span: {max(1, limit - column)}, or give every row a "
                                                  "cell for each column it stands over"))
                return out
            column += cell.span
        if r < last and column != width:
            sub = at(r)
            out.append(source.diagnostic(sub, f"{describe(sub)}: its headings stand over {column} column"
                                              f"{'s' * (column != 1)} but the last header row has {width}",
                                         hint='give each header row a heading (or "") for every column, a heading '
                                              "over several columns written {text: ..., span: 3}"))
    for r, row in enumerate(table.rows):
        sub = path + ("rows", r)
        if len(row) != width:
            out.append(source.diagnostic(sub, f"{describe(sub)}: has {len(row)} cell{'s' * (len(row) != 1)} "
                                              f"but the header has {width}",
                                         hint="give every row one cell per column"))
        for c, cell in enumerate(row):
            if isinstance(cell, m.BlankCell):
                if not cell.blank:
                    out.append(source.diagnostic(sub + (c, "blank"), f"{describe(sub + (c,))}: a cell written as a "
                                                 "mapping is a blank cell for students to fill in",
                                                 hint='write blank: true, or write the cell as its text ("42")'))
                elif cell.answer is None or not cell.answer.strip():
                    out.append(source.diagnostic(sub + (c,), f"{describe(sub + (c,))}: a blank cell needs answer:, "
                                                 "which the teacher edition prints in it",
                                                 hint='write it as {blank: true, answer: "42"}'))
    for key in ("widths", "align"):
        given = getattr(table, key)
        if given is not None and len(given) != width:
            sub = path + (key,)
            entries = f"{len(given)} entr{'ies' if len(given) != 1 else 'y'}"
            out.append(source.diagnostic(sub, f"{describe(sub)}: has {entries} but the table has {width} "
                                              f"column{'s' * (width != 1)}",
                                         hint=f"give one {'width' if key == 'widths' else 'alignment'} per column, "
                                              "auto for a column left as it is"))
    return out


def _source_rules(data: dict, source: SourceMap, items: list) -> list[Diagnostic]:
    """One body per source, alt text for images, square tables, ids that exist, sources that are used."""
    out: list[Diagnostic] = []
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list):
        raw_sources = []
    ids: dict[str, int] = {}
    cells = 0
    for i, raw in enumerate(raw_sources[:len(m.LETTERS)]):
        path: Path_ = ("sources", i)
        written = raw.get("id") if isinstance(raw, dict) else None
        sid = written.strip() if isinstance(written, str) else m.LETTERS[i]
        if sid in ids:
            out.append(source.diagnostic(path, f"{describe(path)}: Source {sid} is already sources[{ids[sid]}]",
                                         hint="give each source its own id (or leave id: out to letter them A, B, C…)",
                                         at_key=True))
        ids.setdefault(sid, i)
        try:
            src = m.Source.model_validate(raw)
        except ValidationError:
            continue  # shape errors are already reported
        bodies = [key for key in ("text", "image", "table", "parallel") if getattr(src, key) is not None]
        if len(bodies) != 1:
            message = (f"a source has exactly one of text:, image:, table: or parallel:, not {' and '.join(bodies)}"
                       if bodies else "a source needs its words (text:), a picture (image:), a table (table:) or "
                                      "two texts side by side (parallel:)")
            out.append(source.diagnostic(path, f"{describe(path)}: {message}",
                                         hint="split it into two sources, or keep one body" if bodies else
                                         "add text: with the quoted extract, image: with a picture file, table:, or parallel: with "
                                         "two texts",
                                         at_key=True))
        out += _verse_rules(src, path, source)
        if src.image is not None and not (src.alt or "").strip():
            out.append(source.diagnostic(path + ("image",), f"{describe(path)}: an image needs alt: text, saying what "
                                                            "it shows for readers who cannot see it",
                                         hint="add `alt: A bar chart of …` under the image"))
        if src.table is not None:
            table = src.table
            before, cells = cells, cells + sum(len(row) for row in table.rows) + sum(len(r) for r in table.header)
            if cells > limits.MAX_TABLE_CELLS >= before:
                out.append(source.diagnostic(path + ("table",), f"{describe(path + ('table',))}: with this table "
                                             f"the lesson's tables have {cells:,} cells; the limit is "
                                             f"{limits.MAX_TABLE_CELLS:,} in one lesson",
                                             hint="keep the rows that matter for the questions, or split the lesson",
                                             at_key=True))
            out += _table_rules(table, path + ("table",), source, _one_header_row(_get(raw, ("table", "header"))))
    used: set[str] = set()
    for i, raw in enumerate(items):
        named = raw.get("source") if isinstance(raw, dict) else None
        sub: Path_ = ("worksheet", "items", i, "source")
        # source: A, or a list of the sources a question uses (source: [A, D]), each checked where it is written.
        written = [(sub, named)] if not isinstance(named, list) else [(sub + (k,), v) for k, v in enumerate(named)]
        for at, sid in written:
            if not isinstance(sid, str) or not m.SOURCE_ID.match(sid.strip()):
                continue  # not an id at all: the model's check reports it
            used.add(sid.strip())
            if sid.strip() not in ids:
                known = ", ".join(ids) if ids else "none: the lesson has no sources:"
                out.append(source.diagnostic(at, f'{describe(at)}: there is no Source {sid.strip()} (sources: '
                                                 f"{known})", hint="name a source by its letter or id"))
    placed = {i for i, raw in enumerate(raw_sources[:len(m.LETTERS)])
              if isinstance(raw, dict) and raw.get("place") in ("reading", "worksheet-start")}
    for sid, i in ids.items():
        if sid not in used and i not in placed:  # a source placed by hand may be discussed, not asked about
            out.append(source.diagnostic(("sources", i), f"sources[{i}]: Source {sid} is not used by any worksheet "
                                                         "item", hint="add `source: " + sid + "` to the item that "
                                                         "uses it, or remove the source", severity="warning",
                                         at_key=True))
    return out


def _verse_rules(src: m.Source, path: Path_, source: SourceMap) -> list[Diagnostic]:
    """verse: and line_numbers: on a source with words; a parallel source's two texts, line for line in verse."""
    out: list[Diagnostic] = []
    if src.verse and src.text is None and src.parallel is None:
        out.append(source.diagnostic(path + ("verse",), f"{describe(path + ('verse',))}: verse: true is for a source "
                                     "with text: or parallel:, not a picture or a table",
                                     hint="remove verse: true, or give the poem as text:", at_key=True))
    if src.line_numbers is not None and not src.verse:
        out.append(source.diagnostic(path + ("line_numbers",), f"{describe(path + ('line_numbers',))}: line numbers "
                                     "are for verse; add verse: true to this source", hint="add `verse: true`, or "
                                     "remove line_numbers:", at_key=True))
    if src.parallel is None:
        return out
    where = path + ("parallel",)
    if len(src.parallel) != 2:
        out.append(source.diagnostic(where, f"{describe(where)}: a parallel source has exactly two texts side by "
                                     f"side, not {len(src.parallel)}", hint="give two entries, each with title:, "
                                     "lang: and text: (an original and its translation)", at_key=True))
    elif src.verse:
        counts = [line_count(body.text) for body in src.parallel]
        if counts[0] != counts[1]:
            out.append(source.diagnostic(where + (1, "text"), f"{describe(where + (1, 'text'))}: has {counts[1]} "
                                         f"line{'s' * (counts[1] != 1)} of verse but {describe(where + (0, 'text'))} "
                                         f"has {counts[0]}; in verse each line is printed beside its partner",
                                         hint="give both texts the same number of lines (a line may be left short, "
                                              "but not out), or remove verse: true to print them as prose",
                                         at_key=True))
    return out


def _reading_verse_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    """line_numbers: on a reading needs verse: true."""
    reading = data.get("reading")
    if isinstance(reading, dict) and reading.get("line_numbers") is not None and reading.get("verse") is not True:
        return [source.diagnostic(("reading", "line_numbers"), "reading.line_numbers: line numbers are for verse; "
                                  "add verse: true to the reading", hint="add `verse: true`, or remove line_numbers:",
                                  at_key=True)]
    return []


def _picture_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    """Pictures stand in the reading, in a paragraph of their own, with alt text; or are sources (``image:``)."""
    out: list[Diagnostic] = []
    reading = data.get("reading")
    text = reading.get("text") if isinstance(reading, dict) else None
    if isinstance(text, str):
        shown = [b.image for b in blocks(text) if b.image is not None]
        for img in images_in(text):
            line, col = source.text_pos(("reading", "text"), f"]({img.src}")
            at = (line, col + 2)
            if not img.alt.strip():
                out.append(Diagnostic(source.file, *at, "error", f'reading.text: the picture "{img.src}" has no alt '
                                      "text", 'write what it shows between the brackets: ![A map of Poland in '
                                              '1921](…)'))
            if reading.get("verse") is True:
                out.append(Diagnostic(source.file, *at, "error", f'reading.text: the picture "{img.src}" is inside '
                                      "a poem (verse: true), where it cannot be shown",
                                      "make the picture a source (sources: with image:), or print the reading as "
                                      "prose"))
            elif img in shown:
                shown.remove(img)
            else:
                out.append(Diagnostic(source.file, *at, "error", f'reading.text: the picture "{img.src}" is inside a '
                                      "list, quote or heading, where it cannot be shown",
                                      "give the picture a paragraph of its own (blank lines around it)"))
    for path, value in _strings(data, ()):
        if path[:2] == ("reading", "text") or "![" not in value:
            continue
        for img in images_in(value):
            line, col = source.text_pos(path, f"]({img.src}")
            out.append(Diagnostic(source.file, line, col + 2, "error", f'{describe(path)}: the picture "{img.src}" '
                                  "cannot be shown here", "put pictures in the reading (reading.text) or make them "
                                                          "sources (sources: with image:), and name the source in the "
                                                          "question"))
    return out


def _block_field(path: Path_) -> bool:
    """Whether the text at ``path`` is a Markdown block (paragraphs, lists, quotes, callouts)."""
    return path in (("reading", "text"), ("teacher_notes",), ("content_warning",)) or (
        len(path) == 3 and path[0] == "sources" and path[2] in ("text", "notes")) or (
        len(path) == 5 and path[0] == "sources" and path[2] == "parallel" and path[4] == "text")


def _callout_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    """A quote that starts like a callout (``> [!…]``) names a kind of callout and stands in a Markdown block;
    otherwise it prints as written, and the check says so."""
    out: list[Diagnostic] = []
    kinds = ", ".join(f"[!{kind.upper()}]" for kind in CALLOUTS)
    for path, value in _strings(data, ()):
        if len(value) > limits.MAX_READING_CHARS:  # longer than any text may be: already an error
            continue
        for kind in callout_marks(value):
            line, col = source.text_pos(path, f"[!{kind}]")
            if not _block_field(path):
                out.append(Diagnostic(source.file, line, col, "warning", f"{describe(path)}: a callout ([!{kind}]) "
                                      "can only stand in a Markdown block; here it is printed as written",
                                      "put it in the reading's text, a source's text or notes, teacher_notes or "
                                      "content_warning"))
            elif kind.lower() not in CALLOUTS:
                out.append(Diagnostic(source.file, line, col, "warning", f'{describe(path)}: "[!{kind}]" is not a '
                                      f"kind of callout, so this quote is printed as a quote, with [!{kind}] in it",
                                      f"write one of {kinds}"))
    return out


_YAML_ESCAPES = {"\n": ("n", "a line break"), "\t": ("t", "a tab"), "\r": ("r", "a carriage return"),
                 "\u2028": ("L", "a line separator"), "\u2029": ("P", "a paragraph separator")}
"""Characters a backslash in double-quoted YAML makes of the start of a TeX command (\\neq, \\times, \\rho,
\\Lambda, \\Pi), by the letter after the backslash."""


def _formula_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    """Every formula ($…$, $$…$$) in every text can be drawn: in the PDF and as a Word equation."""
    out: list[Diagnostic] = []
    for path, value in _strings(data, ()):
        found_in = formulas_in(value)
        if _is_verse(data, path):  # each line is inline text: an indented line is never a code block
            found_in = list(dict.fromkeys(found_in + formulas_in("\n".join(line.strip() for line in value.split("\n")))))
        for tex, display in found_in:
            shown = "".join(f"\\{_YAML_ESCAPES[c][0]}" if c in _YAML_ESCAPES else c for c in tex)
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            shown = f"$${shown}$$" if display else f"${shown}$"
            at = source.text_pos(path, "$" + tex.split("\n", 1)[0])
            line, col = source.value_pos(path)
            quoted = source.line_text(line)[col - 1:col] == '"'
            escaped = [char for char in _YAML_ESCAPES if char in tex] if quoted else []
            if escaped:
                letter, name = _YAML_ESCAPES[escaped[0]]
                out.append(Diagnostic(source.file, *at, "error",
                                      f"{describe(path)}: in the formula {shown}, YAML read \\{letter} as "
                                      f"{name}: in double quotes a backslash starts a YAML escape, so \\{letter}… "
                                      "is not the TeX you wrote",
                                      "write the text without quotes, in single quotes or as a block (|), where a "
                                      "backslash is kept as written; or double each backslash: \\\\frac"))
                continue
            found = formula_problem(tex, display)
            if found is not None:
                out.append(Diagnostic(source.file, *at, "error",
                                      f"{describe(path)}: the formula {shown} cannot be drawn: {found.reason}",
                                      found.hint))
    return out


def _footnote_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    """Every footnote called (``[^name]``) has its text (``[^name]: …``) in the same field, and every footnote's
    text is called."""
    out: list[Diagnostic] = []
    for path, value in _strings(data, ()):
        if len(value) > limits.MAX_READING_CHARS:  # longer than any text may be: already an error
            continue
        for kind, name in footnote_problems(value):
            if kind == "unknown":
                line, col = source.text_pos(path, f"[^{name}]")
                out.append(Diagnostic(source.file, line, col, "error", f"{describe(path)}: the footnote [^{name}] "
                                      "has no text, so it would print as written",
                                      f"add a line `[^{name}]: …` with the note's text in the same field (after "
                                      "the paragraph is usual), or delete the mark"))
            else:
                line, col = source.text_pos(path, f"[^{name}]:")
                out.append(Diagnostic(source.file, line, col, "error", f"{describe(path)}: the footnote "
                                      f"[^{name}] is never called, so its text would not print",
                                      f"write [^{name}] in the text where the note belongs (in the same field), or "
                                      "delete the note's line"))
    return out


def _span_language_rules(data: dict, source: SourceMap) -> list[Diagnostic]:
    """A span's language (``[…]{lang=…}``) is a language tag."""
    out: list[Diagnostic] = []
    for path, value in _strings(data, ()):
        if "]{" not in value or len(value) > limits.MAX_READING_CHARS:
            continue
        for lang in span_languages(value):
            if not m.LANGUAGE_PATTERN.match(lang):
                line, col = source.text_pos(path, f"lang={lang}")
                out.append(Diagnostic(source.file, line, col, "error", f'{describe(path)}: "{lang}" is not a '
                                      "language tag, so the text cannot be marked as being in it",
                                      "write a BCP 47 tag such as la, fr, de or en-GB: [Dulce et decorum est]"
                                      "{lang=la}"))
    return out


def _is_verse(data: dict, path: Path_) -> bool:
    """Whether the text at ``path`` is a poem (the reading's or a source's text, with ``verse: true``)."""
    owner = data.get(path[0]) if path and path[0] in ("reading", "sources") else None
    if isinstance(owner, list) and len(path) > 1 and isinstance(path[1], int) and path[1] < len(owner):
        owner = owner[path[1]]
    return isinstance(owner, dict) and owner.get("verse") is True and path[-1] == "text"


def _strings(value: Any, path: Path_) -> list[tuple[Path_, str]]:
    """Every string in a lesson's data, with where it is."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, inner in value.items() for found in _strings(inner, path + (str(key),))]
    if isinstance(value, list):
        return [found for i, inner in enumerate(value) for found in _strings(inner, path + (i,))]
    return []


class ItemCheck:
    """What an item type's rules report through: errors and warnings at places below the item, and the checks
    several types share (entries that repeat, distractors that are answers)."""

    def __init__(self, path: Path_, source: SourceMap, key_terms: int):
        self.path = path
        self.source = source
        self.key_terms = key_terms  # how many key terms the lesson has (a matching item may use them)
        self.problems: list[Diagnostic] = []

    def error(self, sub: Path_, message: str, hint: str | None = None, severity: str = "error") -> None:
        """A problem at ``sub`` below the item, its message starting with where that is."""
        self.problems.append(self.source.diagnostic(self.path + sub, f"{describe(self.path + sub)}: {message}",
                                                    hint=hint, severity=severity))

    def repeats(self, values: list[str], sub: Path_, noun: str, *, field: str | None = None,
                severity: str = "error") -> None:
        """Entries of the list at ``sub`` that repeat an earlier one (ignoring case)."""
        self.problems.extend(_repeats(values, self.path + sub, self.source, noun, field=field, severity=severity))

    def extra_repeats(self, extra: list[str], answers: list[str], noun: str) -> None:
        """Distractors (``extra:``) that repeat each other or are answers."""
        self.problems.extend(_extra_repeats(extra, answers, self.path, self.source, noun))

    did_you_mean = staticmethod(did_you_mean)


def _item_rules(raw: Any, path: Path_, source: SourceMap, n_terms: int) -> list[Diagnostic]:
    from ..plugins import item_types

    kind = item_types().get(raw.get("type")) if isinstance(raw, dict) and isinstance(raw.get("type"), str) else None
    if kind is None:
        return []  # an unknown type is already reported
    try:
        item = kind.model.model_validate(raw)
    except ValidationError:
        return []  # shape errors are already reported
    check = ItemCheck(path, source, n_terms)
    kind.rules(item, check)
    return check.problems


def _extra_repeats(extra: list[str], answers: list[str], path: Path_, source: SourceMap, noun: str) -> list[Diagnostic]:
    """Distractors must differ from the answers and from each other."""
    out = _repeats(extra, path + ("extra",), source, "extra option")
    taken = {a.strip().casefold() for a in answers}
    for i, value in enumerate(extra):
        if value.strip().casefold() in taken:
            sub = path + ("extra", i)
            out.append(source.diagnostic(sub, f'{describe(sub)}: "{value}" is {noun}, not a distractor',
                                         hint="an extra option must be wrong: remove it or change it"))
    return out


def _repeats(values: list[str], path: Path_, source: SourceMap, noun: str, *, field: str | None = None,
             severity: str = "error") -> list[Diagnostic]:
    out = []
    seen: dict[str, int] = {}
    for i, value in enumerate(values):
        key = value.strip().casefold()
        sub = path + (i,) + ((field,) if field else ())
        if key in seen:
            first = path + (seen[key],) + ((field,) if field else ())
            message = f'{describe(sub)}: {noun} "{value}" repeats {describe(first)}'
            hint = ("students could not tell the two apart; make every entry different" if severity == "error"
                    else "students will find two identical options; make them different")
            out.append(source.diagnostic(sub, message, hint=hint, severity=severity))
        else:
            seen[key] = i
    return out


def _bold_at_problem(term: str, at: int, paragraphs) -> tuple[str, str] | None:
    """What is wrong with ``bold_at: at`` for ``term`` (a message and a hint), or None: the paragraph must exist
    and contain the term. Paragraphs are counted as the handout prints their numbers (text.terms.reading_paragraphs):
    pictures and callouts do not count (the hint names callouts when the reading has one). The message says where
    the term does appear, so the teacher can give that number."""
    count = sum(1 for n, _ in paragraphs if n)
    found = paragraphs_with(term, paragraphs)
    if at <= count and at in found:
        return None
    uncounted = ("pictures and callouts are not counted" if any(b.kind == "callout" for _, b in paragraphs)
                 else "pictures are not counted")
    wrong = (f"the reading has {count} paragraph{'s' if count != 1 else ''}, not {at}" if at > count
             else f'"{term}" is not in paragraph {at}')
    if not found:
        return (f"{wrong}; the term appears in no paragraph of the reading",
                "use the term in the reading's text, or leave bold_at out; paragraphs are counted as the handout "
                f"numbers them ({uncounted})")
    listed = str(found[0]) if len(found) == 1 else ", ".join(map(str, found[:-1])) + f" and {found[-1]}"
    where = f"paragraph{'s' if len(found) > 1 else ''} {listed}"
    return (f'{wrong}; "{term}" first appears in paragraph {found[0]}' + (f" (it is in {where})" if len(found) > 1
                                                                         else ""),
            f"write bold_at: {found[0]} to bold its first use, or another paragraph that contains it, or leave "
            f"bold_at out; paragraphs are counted as the handout numbers them ({uncounted})")


def _lesson_warnings(data: dict, source: SourceMap, terms: list[str], items: Any) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    reading = data.get("reading")
    text = reading.get("text") if isinstance(reading, dict) else None
    if isinstance(text, str) and terms and len(text) <= limits.MAX_READING_CHARS:
        paragraphs = None  # parsed only for a term that names its paragraph
        for i, entry in enumerate(data.get("key_terms") or []):
            term = entry.get("term") if isinstance(entry, dict) else None
            at = m.whole_number(entry.get("bold_at")) if isinstance(entry, dict) else None  # pydantic checks the rest
            if isinstance(term, str) and at is not None and at >= 1 and reading.get("verse") is True:
                out.append(source.diagnostic(("key_terms", i, "bold_at"), f"key_terms[{i}].bold_at: the reading is "
                                             "verse, whose paragraphs are not numbered", hint="leave bold_at out: "
                                             "the term is set in bold in the first line that uses it"))
            elif isinstance(term, str) and at is not None and at >= 1:
                if paragraphs is None:  # counted as the handout numbers them (handout/reading.py)
                    paragraphs = reading_paragraphs(text)
                problem = _bold_at_problem(term, at, paragraphs)
                if problem is not None:
                    message, hint = problem
                    out.append(source.diagnostic(("key_terms", i, "bold_at"), f"key_terms[{i}].bold_at: {message}",
                                                 hint=hint))
        # A term used nowhere in the reading is the teaching lint unused-term (lints.py), for valid lessons.
    worksheet = data.get("worksheet")
    items_invalid = isinstance(worksheet, dict) and "items" in worksheet and not isinstance(items, list)
    if not (isinstance(items, list) and items) and not items_invalid:  # an invalid items: is already an error
        where: Path_ = ("worksheet",) if "worksheet" in data else ()
        out.append(source.diagnostic(where, "lesson has no worksheet items",
                                     hint="add worksheet: with items: so the handout has questions",
                                     severity="warning", at_key=bool(where)))
    return out
