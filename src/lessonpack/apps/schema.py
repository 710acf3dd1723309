"""The JSON Schemas of a lesson file and of ``lessonpack.yaml``, for editors that check YAML as you type.

Both are generated from the same pydantic models :mod:`validate` checks with (``model_json_schema``),
then adjusted so that an editor agrees with ``lessonpack check``:

- the fields the models check with their own functions (texts, points, writing lines, source ids,
  language tags…) get the shape those functions accept, including the YAML realities: a number where a
  text is expected is text (``grade: 9``), a number may be quoted (``points: "2"``), booleans may be
  written as ``yes``/``no``, and the shorthands (``prompts:`` entries as plain text, ``parts: [origin]``);
- a worksheet item's ``type:`` picks the item's own keys (``if``/``then``), so an editor completes
  them and an unknown type is reported on ``type:`` alone;
- every key has a description, for hovers and completion lists: from :data:`DESCRIPTIONS` below, or
  else from the comment beside the field in ``model.py``.

A schema cannot see the rules that relate fields (an answer among its choices) or the teaching lints;
``lessonpack check`` remains the judge. The schemas are shipped in ``schema/`` and written into a pack
by ``lessonpack new``; ``tests/test_authoring.py`` keeps the shipped copies in step with the models.
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any, Callable, get_args

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from .. import limits
from ..load import model as m

DIALECT = "https://json-schema.org/draft/2020-12/schema"
LESSON_SCHEMA_ID = "urn:lessonpack:schema:lesson"
PACK_SCHEMA_ID = "urn:lessonpack:schema:pack"
"""Names, not addresses: lessonpack publishes no schema on the web; a pack carries its own copy."""

SCHEMA_DIR = "schema"
LESSON_SCHEMA_FILE = "lesson.schema.json"
PACK_SCHEMA_FILE = "pack.schema.json"

# -- descriptions ------------------------------------------------------------------------------

DESCRIPTIONS: dict[str, str] = {
    # Models ("Class") and fields ("Class.field"); a field is looked up along the class's bases, so
    # "_Item.points" describes the points of every item type.
    "Lesson.title": "The lesson's title (required).",
    "Lesson.subtitle": "One line printed under the title.",
    "Lesson.subject": "The subject, such as History.",
    "Lesson.grade": "The grade, such as \"9–10\"; the reading level is compared with it.",
    "Lesson.unit": "The unit the lesson belongs to, such as The Interwar Years (1919–1938).",
    "Lesson.duration": "How long the lesson takes, such as 2 class periods (90 minutes).",
    "Lesson.author": "Who wrote the lesson.",
    "Lesson.language": "The handout's language as a BCP 47 tag: en, es, fr, en-GB… (quote \"no\" for Norwegian).",
    "Lesson.objectives": "Learning objectives, one per line starting with '- '; shown in the teacher edition.",
    "Lesson.reading": "The reading passage students read: title, source and text.",
    "Lesson.sources": "Primary sources (quoted extracts, pictures, tables), lettered A, B, C… in order; each is "
                      "printed just before the first question that names it.",
    "Lesson.key_terms": "Key terms with their definitions: set in bold in the reading and listed in a glossary.",
    "Lesson.prompts": "Discussion questions: plain text, or text: with notes: for the teacher edition.",
    "Lesson.worksheet": "The questions: title, instructions and items.",
    "Lesson.teacher_notes": "Notes for the teacher (timing, misconceptions…), in the teacher edition only. "
                            "Markdown block: start it with |.",
    "Lesson.content_warning": "What to tell students before a difficult part of the lesson; boxed at the top of "
                              "the teacher edition's overview.",
    "Reading": "The reading passage.",
    "Reading.title": "The heading of the reading.",
    "Reading.source": "Where the text comes from.",
    "Reading.text": "The passage: a Markdown block (start it with |), paragraphs separated by a blank line.",
    "Source": "A primary source: exactly one of text:, image: or table:, with its citation.",
    "Source.id": "Its own letter or short code (B, B2) instead of the letter of its place in the list.",
    "Source.title": "A short title, printed after the source's letter.",
    "Source.text": "The quoted extract (Markdown).",
    "Source.image": "A picture file inside the pack, named from the lesson file's folder (images/map.png): PNG, "
                    "JPEG, GIF, WebP or SVG.",
    "Source.table": "Statistics as a table: header: and rows:.",
    "Source.alt": "What the picture shows, for readers who cannot see it (required with image:).",
    "Source.caption": "A line under the picture or table.",
    "Source.citation": "Who made it, when, where it was published or is kept, and any licence line (required).",
    "Source.lang": "The source's language when it is not the lesson's (de, fr, ru…).",
    "Source.notes": "For the teacher: context, reliability, what to draw out (teacher edition only).",
    "SourceTable": "A header row and rows of the same width.",
    "SourceTable.header": "The column headings.",
    "SourceTable.rows": "The rows, each a list with one cell per column (an empty cell is \"\").",
    "KeyTerm": "A key term and its definition.",
    "KeyTerm.term": "The term, as the reading uses it (capitals and plurals do not matter).",
    "KeyTerm.definition": "What the term means, for the glossary.",
    "KeyTerm.bold": "false: never set the term in bold in the reading.",
    "KeyTerm.bold_at": "The reading paragraph to set the term in bold in, instead of where it first appears.",
    "Prompt": "A discussion question with notes for the teacher.",
    "Prompt.text": "The question.",
    "Prompt.notes": "What a good discussion brings out (teacher edition only).",
    "Worksheet": "The worksheet: its title, instructions and questions.",
    "Worksheet.title": "The worksheet's heading, such as Check Your Understanding.",
    "Worksheet.instructions": "What students should do, printed under the heading.",
    "Worksheet.items": "The questions, in order. Each starts with type:.",
    "_Item.type": "The kind of question; it decides the item's other keys.",
    "_Item.points": "Whole or half points from 0 to 1000, such as 2 or 0.5 (default 1).",
    "_Item.bonus": "true: a bonus question, not counted in the worksheet's total.",
    "_Item.source": "The source the question is about (A, B…): printed before it as \"Use Source A.\"",
    "MultipleChoice": "multiple_choice: a question with 2 to 8 lettered choices, one of them correct.",
    "MultipleChoice.prompt": "The question.",
    "MultipleChoice.choices": "2 to 8 choices, printed in this order and lettered A, B, C…; write one as "
                              "{text: ..., shuffle: false} to keep its place when versions shuffle the choices.",
    "ChoiceEntry": "A choice: its text, or {text: ..., shuffle: false} to keep it in place in every version.",
    "ChoiceEntry.text": "The choice as printed.",
    "MultipleChoice.answer": "The exact text of the correct choice.",
    "TrueFalse": "true_false: a statement students mark true or false.",
    "TrueFalse.prompt": "The statement.",
    "TrueFalse.answer": "true or false, without quotes.",
    "ShortAnswer": "short_answer: a question answered on a few writing lines.",
    "ShortAnswer.prompt": "The question.",
    "ShortAnswer.lines": "Writing lines: 1 to 80 (default 3), or fill for the rest of the page.",
    "ShortAnswer.answer": "A model answer (teacher edition).",
    "FillInBlank": "fill_in_blank: a text with [[blanks]] and a word bank.",
    "FillInBlank.text": "The text, each missing word in double square brackets: [[answer]] or [[answer|other "
                        "accepted answer]]. Quote the text when it starts with [[.",
    "FillInBlank.word_bank": "true (default): print the answers in a box; false: leave the box out.",
    "FillInBlank.extra": "Wrong words shuffled into the word bank, so the last blank is not filled by elimination.",
    "FillInBlank.prompt": "An instruction above the text.",
    "Pair": "One pair to match.",
    "Pair.left": "The left-hand entry.",
    "Pair.right": "Its partner on the right (the right-hand column is shuffled).",
    "Matching": "matching: students match each left-hand entry with its partner.",
    "Matching.prompt": "An instruction.",
    "Matching.pairs": "2 to 26 pairs, each with left: and right: (or use from_key_terms: true).",
    "Matching.from_key_terms": "true: match the lesson's key terms with their definitions, instead of pairs:.",
    "Matching.count": "With from_key_terms: how many key terms to use, from the top of key_terms (2 to 26).",
    "Matching.extra": "Right-hand options that match nothing, shuffled in with the others.",
    "Ordering": "ordering: events students put in order.",
    "Ordering.prompt": "An instruction.",
    "Ordering.events": "2 to 26 events in the correct order (the handout shuffles them); leave the dates out.",
    "Essay": "essay: an extended answer, marked with a rubric.",
    "Essay.prompt": "The essay question.",
    "Essay.lines": "Writing lines: 1 to 80 (default 12), or fill for the rest of the page.",
    "Essay.rubric": "Marking criteria (teacher edition).",
    "SourceAnalysis": "source_analysis: the classic questions about one source, each with its own points, "
                      "lines and model answer.",
    "SourceAnalysis.source": "The source the questions are about (required): A, B…",
    "SourceAnalysis.prompt": "A line before the parts.",
    "SourceAnalysis.parts": "Which questions, in order: origin, purpose, content, value, limitation (default: "
                            "all five); a name alone or a mapping with part: and more.",
    "AnalysisPart": "One question about the source.",
    "AnalysisPart.part": "Which question: origin, purpose, content, value or limitation.",
    "AnalysisPart.label": "A label to print instead of the part's name.",
    "AnalysisPart.prompt": "Your own wording of the question.",
    "AnalysisPart.points": "Whole or half points, such as 2 or 0.5 (default 1).",
    "AnalysisPart.lines": "Writing lines: 1 to 80 (default 3).",
    "AnalysisPart.answer": "A model answer (teacher edition).",
    "LintSettings": "Teaching lints not to report: ignore: with a lint's name, or a list of names.",
    "LintSettings.ignore": "Teaching lints not to report here, by the name lessonpack check prints at the end of "
                           "the warning, such as [ordering-date].",
    "PackConfig.title": "The title of the whole unit, on the cover of the unit PDFs.",
    "PackConfig.subtitle": "The unit's subtitle.",
    "PackConfig.id": "A short name for the pack, used in output file names: lowercase letters, digits and "
                     "hyphens, such as interwar-years.",
    "PackConfig.school": "Your school's name.",
    "PackConfig.teacher": "Your name.",
    "PackConfig.style": "The look of the handouts: classic, large-print or a style in the pack's styles/ "
                        "folder (lessonpack styles lists them).",
    "PackConfig.paper": "Paper size: letter or a4.",
    "PackConfig.editions": "Which editions to make: student, teacher.",
    "PackConfig.formats": "Which file types to make: pdf, docx, html.",
    "PackConfig.duplex": "true: unit PDFs for two-sided copying, each lesson starting on a right-hand page.",
    "PackConfig.page_breaks": "Which sections start a new page (overrides the style's).",
    "PackConfig.lessons": "Which lessons to build, in order, by id (the file name without .yaml). Leave it out "
                          "to build every lesson in file-name order.",
    "PageBreaks": "Which sections start a new page: always, never, or auto (only when what comes before the "
                  "section is longer than one page, so a short handout stays on one sheet).",
    "PageBreaks.reading": "always, auto or never (default never).",
    "PageBreaks.key_terms": "always, auto or never (default never).",
    "PageBreaks.discussion": "always, auto or never (default never).",
    "PageBreaks.worksheet": "always, auto or never (default auto: only after a handout longer than one page).",
    "PageBreaks.answer_key": "always, auto or never (default never).",
}

ITEM_DESCRIPTION = "A worksheet question. Start it with type: (one of {types}); the other keys depend on the type."


def _described(cls: type, name: str | None = None) -> str | None:
    """The description of a model (``name`` None) or of one of its fields."""
    for base in cls.__mro__:
        key = base.__name__ if name is None else f"{base.__name__}.{name}"
        if key in DESCRIPTIONS:
            return DESCRIPTIONS[key]
    if name is not None:
        return _field_comments(cls).get(name)
    return None


_FIELD_COMMENT = re.compile(r"^ {4}(\w+): [^#\n]*#\s*(?!type:)(.+?)\s*$")


def _field_comments(cls: type) -> dict[str, str]:
    """The comment written beside each field in the model's source (``bold: bool = True  # false: …``)."""
    out: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if not (isinstance(base, type) and issubclass(base, BaseModel)) or base is BaseModel:
            continue
        try:
            source = inspect.getsource(base)
        except (OSError, TypeError):
            continue
        for line in source.splitlines():
            found = _FIELD_COMMENT.match(line)
            if found:
                text = found.group(2)
                out[found.group(1)] = text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
    return out


# -- the shapes the models' own validators accept ------------------------------------------------


def _ci(words: list[str]) -> str:
    """A regular expression matching any of ``words`` in any mix of capitals (JSON Schema has no flags)."""
    return "|".join("".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in w) for w in words)


BOOL_WORDS = ["true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0"]
"""What pydantic reads as a boolean when it arrives as text (a quoted "yes", or an unquoted 1)."""

INTEGER_TEXT = m.WHOLE_TEXT.replace("([+-]?)([0-9]+)", "[+-]?[0-9]+")
"""A whole number written as text: lessonpack keeps numbers as written, and reads them (model.whole_number)."""

HALF_POINTS_TEXT = r"^\s*\+?0*(?:[0-9]{1,3}(?:\.(?:[05]0*)?)?|1000(?:\.0*)?|\.[05]0*)\s*$"
"""0 to 1000 in steps of 0.5, written as text."""


def _text(cap: int = limits.MAX_FIELD_CHARS) -> JsonSchemaValue:
    # lessonpack's reader keeps a number as the text it was written as (grade: 9, title: 1984).
    return {"type": ["string", "number"], "maxLength": cap}


def _nonblank(cap: int = limits.MAX_FIELD_CHARS) -> JsonSchemaValue:
    return {**_text(cap), "pattern": r"\S", "patternErrorMessage": "is empty: write some text"}


def _points() -> JsonSchemaValue:
    return {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1000, "multipleOf": 0.5},
                      {"type": "string", "pattern": HALF_POINTS_TEXT,
                       "patternErrorMessage": "write whole or half points from 0 to 1000, such as 2 or 0.5"}]}


def _counted_lines() -> JsonSchemaValue:
    return {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 80},
                      {"type": "string", "pattern": r"^\s*[0-9]+\s*$",
                       "patternErrorMessage": "write a number of writing lines, such as 3"}]}


def _lines() -> JsonSchemaValue:
    counted = _counted_lines()
    return {"anyOf": [*counted["anyOf"][:1], {"const": "fill"}, *counted["anyOf"][1:]]}


def _language() -> JsonSchemaValue:
    return {"type": "string", "pattern": m.LANGUAGE_PATTERN.pattern,
            "patternErrorMessage": "a language tag (BCP 47), such as en, es, fr or en-GB"}


def _source_id() -> JsonSchemaValue:
    core = m.SOURCE_ID.pattern.removeprefix("^").removesuffix("$")
    return {"type": "string", "pattern": rf"^\s*{core}\s*$",
            "patternErrorMessage": "a source id is a capital letter, such as A or B (or a short code such as B2)"}


def _pack_id() -> JsonSchemaValue:
    return {"type": ["string", "integer"], "minimum": 0, "pattern": m.ID_PATTERN.pattern,
            "patternErrorMessage": "lowercase letters, digits and hyphens, such as interwar-years"}


def _format_name() -> JsonSchemaValue:
    from ..plugins import format_names

    return {"type": "string", "enum": format_names()}


PLAIN_VALIDATORS: dict[str, Callable[[], JsonSchemaValue]] = {
    "_format_name": _format_name,
    "_text": _text,
    "_nonblank": _nonblank,
    "_reading_text": lambda: _nonblank(limits.MAX_READING_CHARS),
    "_points": _points,
    "_lines": _lines,
    "_counted_lines": _counted_lines,
    "_language": _language,
    "_source_id": _source_id,
    "_pack_id": _pack_id,
}
"""The model's validator functions (by name) → the JSON Schema of what each accepts. A validator not
listed here accepts anything in the schema, so that the editor never flags what ``check`` accepts."""


def _validator_name(function: Any) -> str:
    """A validator's function name; for ``lambda v: _source_id(v)``, the one function it calls."""
    name = getattr(function, "__name__", "")
    if name == "<lambda>":
        called = getattr(getattr(function, "__code__", None), "co_names", ())
        return called[0] if len(called) == 1 else name
    return name


def _is_text_shorthand(function: Callable[[Any], Any]) -> bool:
    """Whether a before-validator turns a text into something else (``ignore: x`` → ``ignore: [x]``): then a
    text is accepted there too. Shorthand functions are pure conversions, so trying one is harmless."""
    try:
        return function("text") != "text"
    except Exception:  # noqa: BLE001 - a validator that refuses the probe takes no shorthand
        return False


class _Generator(GenerateJsonSchema):
    """pydantic's schema generator, taught what lessonpack's own validators and YAML accept."""

    def function_plain_schema(self, schema: Any) -> JsonSchemaValue:
        shape = PLAIN_VALIDATORS.get(_validator_name(schema["function"]["function"]))
        return shape() if shape else {}

    def function_before_schema(self, schema: Any) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        name = _validator_name(schema["function"]["function"])
        if name == "_prompt_shorthand":  # prompts: [Why was the peace fragile?]
            return {"anyOf": [_nonblank(), inner]}
        if name == "_part_shorthand":  # parts: [origin, value]
            return {"anyOf": [{"enum": list(m.ANALYSIS_PARTS)}, inner]}
        if _is_text_shorthand(schema["function"]["function"]):  # another shorthand written as one text
            return {"anyOf": [_nonblank(), inner]}
        return super().function_before_schema(schema)

    def int_schema(self, schema: Any) -> JsonSchemaValue:
        return {"anyOf": [super().int_schema(schema), {"type": "string", "pattern": INTEGER_TEXT,
                                                       "patternErrorMessage": "write a whole number"}]}

    def bool_schema(self, schema: Any) -> JsonSchemaValue:
        return {"anyOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 1},
                          {"type": "string", "pattern": f"^(?:{_ci(BOOL_WORDS)})$",
                           "patternErrorMessage": "write true or false, without quotes"}]}

    def tagged_union_schema(self, schema: Any) -> JsonSchemaValue:
        # Worksheet items: `type:` chooses the item's keys. if/then (rather than oneOf) lets an editor
        # complete the chosen type's keys and report an unknown type on `type:` alone.
        field = schema.get("discriminator")
        if not isinstance(field, str):  # pragma: no cover - every tagged union in the models is by a key
            return super().tagged_union_schema(schema)
        branches = {str(tag): self.generate_inner(choice) for tag, choice in schema["choices"].items()}
        types = list(branches)
        return {
            "type": "object",
            "required": [field],
            "properties": {field: {"enum": types}},
            "allOf": [{"if": {"properties": {field: {"const": tag}}, "required": [field]}, "then": branch}
                      for tag, branch in branches.items()],
        }


# -- assembling the documents -----------------------------------------------------------------------

_SUBSCHEMA_LISTS = ("anyOf", "allOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("items", "if", "then", "else", "not", "additionalProperties", "contains")


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``root`` by its fields, by name (the names of the schema's ``$defs``)."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                for info in annotation.model_fields.values():
                    visit(info.annotation)
            return
        for arg in get_args(annotation):
            visit(arg)

    visit(root)
    return found


def _drop_titles(node: Any) -> None:
    """Remove pydantic's generated titles ("Word Bank"): descriptions say more, and titles clutter hovers."""
    if not isinstance(node, dict):
        return
    node.pop("title", None)
    for key in _SUBSCHEMA_LISTS:
        for sub in node.get(key, []):
            _drop_titles(sub)
    for key in _SUBSCHEMAS:
        _drop_titles(node.get(key))
    for mapping in ("properties", "$defs"):
        for sub in node.get(mapping, {}).values():
            _drop_titles(sub)


def _describe(node: dict, cls: type[BaseModel]) -> None:
    """Set the descriptions of a model's schema and its properties."""
    about = _described(cls)
    if about:
        node["description"] = about
    elif "description" in node:  # pydantic's, from the class docstring: one line, no reStructuredText
        node["description"] = " ".join(node["description"].replace("``", "").split())
    for name, prop in node.get("properties", {}).items():
        text = _described(cls, name)
        if text:
            prop["description"] = text


def _build(root: type[BaseModel], *, schema_id: str, title: str, description: str) -> dict:
    schema = root.model_json_schema(schema_generator=_Generator, mode="validation")
    _drop_titles(schema)
    models = _models(root)
    for name, node in schema.get("$defs", {}).items():
        if name in models:
            _describe(node, models[name])
    _describe(schema, root)
    for node in schema.get("$defs", {}).values():
        items = node.get("properties", {}).get("items", {}).get("items", {})
        if "allOf" in items and "description" not in items:  # the worksheet's item union
            items["description"] = ITEM_DESCRIPTION.format(types=", ".join(m.ITEM_TYPES))
            items["properties"]["type"]["description"] = DESCRIPTIONS["_Item.type"]
    schema.update({"$schema": DIALECT, "$id": schema_id, "title": title, "description": description})
    return schema


def _lint_names(schema: dict) -> None:
    """Offer the teaching lints' names in ``lint: {ignore: ...}`` (check refuses any other name)."""
    try:
        from ..load.lints import LINTS
    except ImportError:  # pragma: no cover - a lessonpack without teaching lints
        return
    ignore = schema.get("$defs", {}).get("LintSettings", {}).get("properties", {}).get("ignore")

    def names(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("pattern") == r"\S":  # a lint's name, as a text
                node.clear()
                node["enum"] = list(LINTS)
                return
            for value in node.values():
                names(value)
        elif isinstance(node, list):
            for value in node:
                names(value)

    names(ignore)


def lesson_schema() -> dict:
    """The JSON Schema (draft 2020-12) of one lesson file, ``lessons/*.yaml``."""
    schema = _build(m.Lesson, schema_id=LESSON_SCHEMA_ID, title="lessonpack lesson",
                    description="One lesson for lessonpack (lessons/<id>.yaml): a reading, key terms, discussion "
                                "prompts, sources and a worksheet. Only title: is required. `lessonpack check` "
                                "also checks what a schema cannot (answers among the choices, blanks, sources "
                                "named by questions) and the teaching lints.")
    _lint_names(schema)
    return schema


def pack_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a pack's settings file, ``lessonpack.yaml``."""
    from ..styles.loader import list_styles  # styles imports validate: only when asked

    schema = _build(m.PackConfig, schema_id=PACK_SCHEMA_ID, title="lessonpack pack settings",
                    description="The optional settings of a lessonpack pack folder (lessonpack.yaml). Every "
                                "key is optional; an empty file keeps every default.")
    schema["type"] = ["object", "null"]  # a file of comments only is fine
    schema["properties"]["style"]["examples"] = [name for name, _, _ in list_styles(None)]
    return schema


def schema_text(schema: dict) -> str:
    """A schema as its file holds it: pretty-printed, keys sorted, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

