"""The JSON Schemas of a lesson file and of ``lessonpack.yaml``, for editors that check YAML as you type.

Both are generated from the same pydantic models :mod:`validate` checks with (``model_json_schema``),
then adjusted so that an editor agrees with ``lessonpack check``:

- the fields the models check with their own functions (texts, points, writing lines, source ids,
  language tags…) get the shape those functions accept, including the YAML realities: a number where a
  text is expected is text (``grade: 9``), a number may be quoted (``points: "2"``), booleans may be
  written as ``yes``/``no``, and the shorthands (``prompts:`` entries as plain text, ``parts: [origin]``);
- a worksheet item's ``type:`` picks the item's own keys (``if``/``then``), so an editor completes
  them and an unknown type is reported on ``type:`` alone;
- every key has a description, for hovers and completion lists: the model's own, from its fields
  (``Field(description=…)``) and its docstring.

A schema cannot see the rules that relate fields (an answer among its choices) or the teaching lints;
``lessonpack check`` remains the judge. The schemas are shipped in ``schema/`` and written into a pack
by ``lessonpack new``; ``tests/test_authoring.py`` keeps the shipped copies in step with the models.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

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

ITEM_DESCRIPTION = "A worksheet question. Start it with type: (one of {types}); the other keys depend on the type."
ITEM_TYPE_DESCRIPTION = "The kind of question; it decides the item's other keys."


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


def _item_sources() -> JsonSchemaValue:
    one = _source_id()
    return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1, "maxItems": len(m.LETTERS),
                            "uniqueItems": True}]}


def _word_bank() -> JsonSchemaValue:
    flag = {"anyOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 1},
                      {"type": "string", "pattern": f"^(?:{_ci(BOOL_WORDS)})$",
                       "patternErrorMessage": "write true or false, without quotes"}]}
    repeat = m.WordBankSettings.model_fields["repeat"].description
    return {"anyOf": [flag, {"type": "object", "additionalProperties": False,
                             "properties": {"repeat": {**flag, "description": repeat}}}]}


def _pack_id() -> JsonSchemaValue:
    return {"type": ["string", "integer"], "minimum": 0, "pattern": m.ID_PATTERN.pattern,
            "patternErrorMessage": "lowercase letters, digits and hyphens, such as interwar-years"}


def _table_width() -> JsonSchemaValue:
    number = r"[0-9]{1,3}(?:\.[0-9]{1,2})?\s*"
    units = _ci(["fr", "mm", "cm", "in", "pt"])
    return {"type": "string", "pattern": rf"^\s*(?:{_ci(['auto'])}|{number}(?:{units}))\s*$",
            "patternErrorMessage": "write auto, a share such as 2fr, or a length such as 3cm, 25mm, 1.5in or 40pt"}


def _align() -> JsonSchemaValue:
    return {"type": "string", "pattern": rf"^\s*(?:{_ci(['auto', *m.ALIGNS, 'centre'])})\s*$",
            "patternErrorMessage": "write auto, left, center, right or decimal"}


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
    "source_id": _source_id,
    "one_source": _source_id,
    "item_sources": _item_sources,
    "_word_bank": _word_bank,
    "_pack_id": _pack_id,
    "_table_width": _table_width,
    "_align": _align,
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
        if name == "_header_cell_shorthand":  # a heading as its text alone; "" under one that reaches down
            return {"anyOf": [_text(), inner]}
        if name == "_header_rows" and "items" in inner:  # header: [Year, Coal] is one row of headings
            return {"anyOf": [inner["items"], inner]}
        written = getattr(schema["function"]["function"], "json_schema", None)  # a shorthand that says its shape
        if written is not None:  # parts: [origin, value]
            return {"anyOf": [written, inner]}
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
        if not isinstance(field, str):  # a table cell: its text, or a mapping for a blank cell
            return {"anyOf": [self.generate_inner(choice) for choice in schema["choices"].values()]}
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


def _describe(node: Any) -> None:
    """Every description (a model's docstring, a field's ``description``) on one line, without
    reStructuredText's markup (````type:````, :class:`...`)."""
    if isinstance(node, dict):
        text = node.get("description")
        if isinstance(text, str):
            text = re.sub(r":[a-z]+:`~?(?:[\w.]+\.)?([^`]+)`", r"\1", text)
            node["description"] = " ".join(text.replace("``", "").split())
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def _build(root: type[BaseModel], *, schema_id: str, title: str, description: str) -> dict:
    schema = root.model_json_schema(schema_generator=_Generator, mode="validation")
    _drop_titles(schema)
    for node in schema.get("$defs", {}).values():
        items = node.get("properties", {}).get("items", {}).get("items", {})
        if "allOf" in items and "description" not in items:  # the worksheet's item union
            items["description"] = ITEM_DESCRIPTION.format(types=", ".join(m.item_type_names()))
            items["properties"]["type"]["description"] = ITEM_TYPE_DESCRIPTION
            for rule in items["allOf"]:  # each type's own model names its type too
                name = rule["then"].get("$ref", "").rpartition("/")[2]
                typed = schema["$defs"].get(name, {}).get("properties", {}).get("type", {})
                typed.setdefault("description", ITEM_TYPE_DESCRIPTION)
    _describe(schema)
    schema.update({"$schema": DIALECT, "$id": schema_id, "title": title, "description": description})
    return schema


def _lint_names(schema: dict) -> None:
    """Offer the teaching lints' names in ``lint: {ignore: ...}`` (check refuses any other name)."""
    from ..load.lints import lints

    known = list(lints())
    ignore = schema.get("$defs", {}).get("LintSettings", {}).get("properties", {}).get("ignore")

    def names(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("pattern") == r"\S":  # a lint's name, as a text
                node.clear()
                node["enum"] = known
                return
            for value in node.values():
                names(value)
        elif isinstance(node, list):
            for value in node:
                names(value)

    names(ignore)


def lesson_schema() -> dict:
    """The JSON Schema (draft 2020-12) of one lesson file, ``lessons/*.yaml``."""
    schema = _build(m.lesson_model(), schema_id=LESSON_SCHEMA_ID, title="lessonpack lesson",
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

