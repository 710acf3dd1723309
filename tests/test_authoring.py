"""Authoring help: `lessonpack schema` (the JSON Schemas editors check lessons with, shipped in schema/) and
`lessonpack new` (a commented skeleton of a lesson with every item type)."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
import yaml

from conftest import REPO, SAMPLE_LESSONS, snapshot

from lessonpack.load import model as m
from lessonpack.apps.new import PLACEHOLDER, add_to_lessons_list, lesson_id_for, lesson_text
from lessonpack.apps.schema import lesson_schema, pack_schema, schema_text
from lessonpack.load.yamlsource import SourceMap, parse_yaml

SCHEMAS = {"lesson": (REPO / "schema" / "lesson.schema.json", lesson_schema, ""),
           "pack": (REPO / "schema" / "pack.schema.json", pack_schema, " --pack")}
BUILT_IN_SAMPLES = sorted((REPO / "src" / "lessonpack" / "data" / "samples").glob("*.yaml"))


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor hands it to the schema: dates stay text (JSON has no dates)."""


EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def editor_data(text: str):
    return yaml.load(text, EditorLoader)  # a SafeLoader


def validator(which: str = "lesson"):
    path = SCHEMAS[which][0]
    return jsonschema.Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def leaf_errors(errors):
    """The innermost errors (an anyOf's alternatives), where the editor's message comes from."""
    for error in errors:
        if error.context:
            yield from leaf_errors(error.context)
        else:
            yield error


# -- the shipped schemas ----------------------------------------------------------------------------


@pytest.mark.parametrize("which", list(SCHEMAS))
def test_shipped_schema_is_the_generated_one(which):
    path, generate, option = SCHEMAS[which]
    fresh = schema_text(generate())
    shipped = path.read_text(encoding="utf-8") if path.exists() else ""
    assert shipped == fresh, (
        f"{path.relative_to(REPO)} is out of date with the models in model.py; regenerate it with\n"
        f"    .venv/bin/lessonpack schema{option} > {path.relative_to(REPO)}")


@pytest.mark.parametrize("which", list(SCHEMAS))
def test_schema_command_prints_it(run, which):
    _, generate, option = SCHEMAS[which]
    result = run("schema", *option.split())
    assert result.exit_code == 0
    assert result.output == schema_text(generate())
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:lessonpack:") and schema["title"] and schema["description"]
    assert result.output.endswith("}\n") and result.output.startswith('{\n  "$defs"')


def test_every_key_is_described():
    """Editors show descriptions on hover and in completion lists: no key goes without one."""
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if "description" not in prop and where != "if":
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                walk(value, key if key in ("if", "then") else where if key in ("allOf", "anyOf") else
                     f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for _, generate, _ in SCHEMAS.values():
        walk(generate(), "")
    assert not missing, f"give these keys a Field(description=...) in their model: {missing}"


def test_item_type_chooses_the_item_keys():
    schema = lesson_schema()
    items = schema["$defs"]["Worksheet"]["properties"]["items"]["items"]
    assert items["properties"]["type"]["enum"] == m.item_type_names()
    assert [rule["if"]["properties"]["type"]["const"] for rule in items["allOf"]] == m.item_type_names()
    models = [m.item_model(name) for name in m.item_type_names()]
    for rule, cls in zip(items["allOf"], models, strict=True):
        assert rule["then"] == {"$ref": f"#/$defs/{cls.__name__}"}
        assert schema["$defs"][cls.__name__]["additionalProperties"] is False


# -- what the schema accepts ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_LESSONS + BUILT_IN_SAMPLES, ids=lambda p: p.name)
def test_sample_lessons_validate(path):
    errors = [f"{e.json_path}: {e.message}" for e in leaf_errors(validator().iter_errors(
        editor_data(path.read_text(encoding="utf-8"))))]
    assert not errors


def test_pack_settings_validate():
    assert validator("pack").is_valid(editor_data((REPO / "lessonpack.yaml").read_text(encoding="utf-8")))
    assert validator("pack").is_valid(None)  # a file of comments only
    assert validator("pack").is_valid(editor_data("paper: a4\nduplex: yes\nid: 2024\npage_breaks: {reading: auto}\n"))
    for bad in ("paper: A4\n", "auther: Ms Rivera\n", "formats: [epub]\n", "editions: []\n", "id: Interwar Years\n",
                "page_breaks: {reading: sometimes}\n"):
        assert not validator("pack").is_valid(editor_data(bad)), bad


def lesson_errors(text: str) -> list[tuple[str, str]]:
    return [(e.json_path, e.validator) for e in leaf_errors(validator().iter_errors(editor_data(text)))]


@pytest.mark.parametrize("text, where, why", [
    ("title: A\nsubtitel: B\n", "$", "additionalProperties"),
    ("title: A\nworksheet:\n  items:\n    - {type: multiple-choice, prompt: P}\n", "$.worksheet.items[0].type", "enum"),
    ("title: A\nworksheet:\n  items:\n    - {prompt: P}\n", "$.worksheet.items[0]", "required"),
    ("title: A\nworksheet:\n  items:\n    - {type: essay, prompt: P, rubrik: [a]}\n", "$.worksheet.items[0]",
     "additionalProperties"),
    ("title: A\nworksheet:\n  items:\n    - {type: true_false, prompt: P, answer: maybe}\n",
     "$.worksheet.items[0].answer", "pattern"),
    ("title: A\nworksheet:\n  items:\n    - {type: essay, prompt: P, points: 0.3}\n", "$.worksheet.items[0].points",
     "multipleOf"),
    ("title: A\nworksheet:\n  items:\n    - {type: essay, prompt: P, lines: many}\n", "$.worksheet.items[0].lines",
     "pattern"),
    ("title: A\nworksheet:\n  items:\n    - {type: multiple_choice, prompt: P, choices: [a], answer: a}\n",
     "$.worksheet.items[0].choices", "minItems"),
    ("title: A\nkey_terms: [{term: a}]\n", "$.key_terms[0]", "required"),
    ("title: A\nreading: [a, b]\n", "$.reading", "type"),
    ("title: A\nlanguage: English\n", "$.language", "pattern"),
    ("title: A\nsources: [{title: S, text: T, citation: C, id: b}]\n", "$.sources[0].id", "pattern"),
    ("title: ' '\n", "$.title", "pattern"),
    ("subtitle: A\n", "$", "required"),
])
def test_broken_lessons_are_rejected_where_the_mistake_is(text, where, why):
    assert (where, why) in lesson_errors(text), lesson_errors(text)


def test_yaml_realities_are_accepted():
    """What `check` accepts, the editor must not underline: numbers as text and text as numbers, yes/no,
    half points, lines: fill, and the shorthands that validation expands."""
    ok = """title: 1984
grade: 9
unit: 1929-10-24
prompts:
  - Why was the peace fragile?
  - {text: Who gained, notes: Think of Poland.}
key_terms:
  - {term: kulaks, definition: Better-off peasants, bold_at: "2", bold: no}
sources:
  - {title: S, text: T, citation: C}
worksheet:
  items:
    - {type: essay, prompt: P, points: 0.5, lines: fill, bonus: yes}
    - {type: short_answer, prompt: Q, points: "2", lines: "4"}
    - {type: true_false, prompt: R, answer: "false"}
    - {type: matching, from_key_terms: true, count: "2"}
    - {type: source_analysis, source: A, parts: [origin, {part: value, points: 1.5, lines: 4}]}
    - {type: multiple_choice, prompt: S, choices: [1918, 1920], answer: 1920}
"""
    assert lesson_errors(ok) == []


def test_lint_names_are_offered():
    from lessonpack.load.lints import lints

    name = next(iter(lints()))
    for ignore in (name, f"[{name}]"):
        assert lesson_errors(f"title: T\nlint: {{ignore: {ignore}}}\n") == []
        assert lesson_errors(f"title: T\nworksheet:\n  items:\n    - {{type: essay, prompt: P, lint: {{ignore: "
                             f"{ignore}}}}}\n") == []
    assert ("$.lint.ignore[0]", "enum") in lesson_errors("title: T\nlint: {ignore: [no-such-lint]}\n")


PROBES = {
    "title": "title: {v}\n",
    "points": "title: T\nworksheet:\n  items:\n    - {{type: essay, prompt: P, points: {v}}}\n",
    "lines": "title: T\nworksheet:\n  items:\n    - {{type: essay, prompt: P, lines: {v}}}\n",
    "part lines": "title: T\nworksheet:\n  items:\n    - {{type: source_analysis, source: A, parts: [{{part: origin, "
                  "lines: {v}}}]}}\n",
    "answer": "title: T\nworksheet:\n  items:\n    - {{type: true_false, prompt: P, answer: {v}}}\n",
    "count": "title: T\nworksheet:\n  items:\n    - {{type: matching, from_key_terms: true, count: {v}}}\n",
    "source": "title: T\nworksheet:\n  items:\n    - {{type: essay, prompt: P, source: {v}}}\n",
    "language": "title: T\nlanguage: {v}\n",
    "prompt": "title: T\nprompts:\n  - {v}\n",
    "part": "title: T\nworksheet:\n  items:\n    - {{type: source_analysis, source: A, parts: [{v}]}}\n",
}
VALUES = ["2", "0.5", "1.25", "-1", "0", "80", "81", "1000", "1001", '"2"', '"0.5"', '"1.25"', "' 3 '", "fill",
          '"fill"', "yes", "no", '"yes"', "true", "1", "2", "''", "' '", "A", "a", "B2", "ABCDE", "[a]", "{a: 1}", "",
          "en", "en-GB", "English", "1929-10-24", "origin", "Origin"]


@pytest.mark.parametrize("field", list(PROBES))
def test_schema_agrees_with_the_models(field):
    """Field by field, the schema accepts what the models accept, and refuses what they refuse."""
    from pydantic import ValidationError

    disagree = []
    for value in VALUES:
        text = PROBES[field].format(v=value)
        data = parse_yaml(text.encode(), SourceMap("probe.yaml")).data  # as lessonpack reads it
        try:
            m.lesson_model().model_validate(data)
            accepted = True
        except ValidationError:
            accepted = False
        if accepted != validator().is_valid(editor_data(text)):
            disagree.append((value, "check accepts it" if accepted else "check refuses it"))
    assert not disagree


# -- lessonpack new -----------------------------------------------------------------------------------


@pytest.mark.parametrize("title, expected", [
    ("The Treaty of Versailles", "treaty-of-versailles"),
    ("Pétain's État français (1940–1944)", "petains-etat-francais-1940-1944"),
    ("A Straße in Łódź", "strasse-in-lodz"),
    ("The", "the"),
    ("An Übersicht: Weimar!", "ubersicht-weimar"),
    ("x " * 80, ("x-" * 30)[:-1]),
])
def test_lesson_ids_from_titles(title, expected):
    assert lesson_id_for(title) == expected
    assert m.ID_PATTERN.match(expected)


# Every placeholder of the skeleton, replaced as a teacher would: one coherent, short lesson.
FILLED = {
    "One line printed under the title": "How the winners made peace in 1919",
    "The subject, such as History": "History",
    "The grade, such as 9–10": "9–10",
    "The unit this lesson belongs to": "The Interwar Years",
    "How long the lesson takes, such as 2 class periods": "One class period",
    "Your name": "Ms Rivera",
    "An objective, starting with a verb such as Describe": "Describe the main terms of the peace with Germany.",
    "A second objective, starting with a verb such as Explain": "Explain why many Germans hated the peace.",
    "The heading of the reading": "A Hard Peace",
    "Where the text comes from, such as Written for this unit": "Written for this unit.",
    "The first paragraph. Use each key term below in the reading, where it is set in bold.":
        "In 1919 the winners of the war met in Paris. They wrote the peace that Germany had to sign. "
        "Germany lost land and most of its army. It also had to pay reparations for the damage of the war.",
    "The second paragraph.":
        "Many Germans called the peace a diktat, a peace forced on them. They had not been allowed to take "
        "part in the talks. Their anger helped extreme parties win votes in later years.",
    "The first key term": "reparations",
    "What the first key term means": "Money that a beaten country pays for the harm done in a war.",
    "The second key term": "diktat",
    "What the second key term means": "A harsh settlement forced on the loser, without talks.",
    "A discussion question": "What did each of the winners want from the peace?",
    "What a good discussion brings out": "France wanted safety, Britain wanted trade, and Wilson wanted a fair peace.",
    "Another discussion question": "Could a gentler peace have lasted longer?",
    "The title of a written source": "A German newspaper protests",
    "The words quoted from the source": "Today in the Hall of Mirrors the shameful peace is being signed. Do not "
                                        "forget it!",
    "Who wrote it, when, and where it was published or is kept":
        "Deutsche Zeitung, a German newspaper, June 1919. Translated and shortened.",
    "Its context and what to draw out, for you in the teacher edition":
        "A nationalist paper. Ask whose views it spoke for.",
    "The worksheet's heading, such as Check Your Understanding": "Check Your Understanding",
    "What students should do, such as Use the reading to answer every question":
        "Use the reading and the source to answer every question.",
    "A question with one correct choice": "Where did the winners meet to write the peace?",
    "A wrong choice": "London",
    "The correct choice": "Paris",
    "Another wrong choice": "Rome",
    "A statement that is true": "Germany lost land under the peace.",
    "A question answered in a sentence or two": "Why were many Germans angry with the peace?",
    "A model answer, for the teacher edition": "They had no say in the talks and felt the peace was forced on them.",
    "An instruction, such as Complete the sentence with a word from the box":
        "Complete the sentence with a word from the box.",
    "The start of a sentence": "The peace made Germany hand over",
    "the missing words": "money",
    "the end of the sentence": "to pay for the harm of the war.",
    "A wrong word for the word bank": "soldiers",
    "Another wrong word for the word bank": "ships",
    "An instruction, such as Match each leader with his country": "Match each leader with his country.",
    "The first thing to match": "Clemenceau",
    "The first thing's partner": "France",
    "The second thing to match": "Lloyd George",
    "The second thing's partner": "Britain",
    "An option that matches nothing": "Italy",
    "An instruction, such as Number the events in order, 1 for the earliest":
        "Number the events in order, 1 for the earliest.",
    "The earliest event": "The fighting stops",
    "The next event": "The winners meet in Paris",
    "The latest event": "Germany signs the peace",
    "An essay question": "How fair was the peace to Germany?",
    "A marking criterion": "Takes a clear position",
    "Another marking criterion": "Uses evidence from the reading and the source",
    "A line before the questions, such as Answer each question in full sentences":
        "Answer each question in full sentences.",
    "A model answer on who made the source, when and where": "A German newspaper, on the day of the signing.",
    "A model answer on why it was made, and for whom": "To stir up its readers against the peace.",
    "A model answer on how it is useful for studying the topic": "It shows how bitter many Germans felt in 1919.",
    "A model answer on what it cannot tell us": "It speaks for nationalist readers, not for every German.",
    "A question answered with a number": "How many thousand soldiers could Germany keep in its army?",
    "The unit printed after the answer box, such as km": "thousand soldiers",
    "What to draw or plot, such as Draw a bar chart of the figures in the table":
        "Draw a bar chart of the size of Germany's army before the war and after the peace.",
    "What the horizontal axis shows": "The army",
    "What the vertical axis shows": "Soldiers (thousands)",
    "What a good drawing shows, for the answer key": "Two bars, about 800 thousand before and 100 thousand after.",
    "An instruction, such as Label the parts of the flower": "Name each numbered country on the map.",
    "the picture's file name, such as flower.png": "europe-1919.png",
    "What the picture shows, without naming the parts": "A map of Europe in 1919 with the new borders drawn in.",
    "The name of the first part": "Poland",
    "The name of the second part": "Czechoslovakia",
    "Timing, common misconceptions, and how to help weaker readers.":
        "Allow fifteen minutes for the reading. Some students think Germany lost all of its land.",
}


def fill_in(text: str) -> str:
    return PLACEHOLDER.sub(lambda found: FILLED[found.group(1)], text)


def test_skeleton_placeholders():
    text = lesson_text("The Treaty of Versailles", "../schema/lesson.schema.json")
    found = {p.group(1) for p in PLACEHOLDER.finditer(text)}
    assert found == set(FILLED), "the skeleton's placeholders changed: update FILLED in this test"
    assert len(set(FILLED.values())) == len(FILLED), "every placeholder gets its own text"
    assert "TODO" not in text
    for item_type in m.item_type_names():
        assert f"- type: {item_type}\n" in text


def test_new_writes_a_skeleton_that_checks_clean_once_filled_in(run, tmp_path):
    result = run("new", "The Treaty of Versailles")
    assert result.exit_code == 0, result.output
    lesson = tmp_path / "lessons" / "treaty-of-versailles.yaml"
    schema_file = tmp_path / "schema" / "lesson.schema.json"
    assert result.output.splitlines() == [
        "wrote lessons/treaty-of-versailles.yaml",
        "wrote schema/lesson.schema.json (lets an editor check lessons as you type: docs/authoring.md)",
        "next: replace every <…> in lessons/treaty-of-versailles.yaml, then run `lessonpack check --strict`"]
    text = lesson.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/lesson.schema.json"
    assert "\ntitle: The Treaty of Versailles\n" in text
    assert schema_file.read_text(encoding="utf-8") == schema_text(lesson_schema())

    # As written, placeholders and all: no errors, and nothing an editor would underline.
    checked = run("check", ".")
    assert checked.exit_code == 0, checked.output
    assert " error" not in checked.output.replace("0 errors", "")
    assert lesson_errors(text) == []

    # Filled in: clean even with --strict (every teaching lint included).
    lesson.write_text(fill_in(text), encoding="utf-8")
    checked = run("check", "--strict", ".")
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "1 lesson checked: no problems"
    assert lesson_errors(lesson.read_text(encoding="utf-8")) == []


def test_new_in_a_copy_of_this_repository(run, tmp_path):
    """The repository's own pack: its shipped schema is used, and its lessons: list grows by one line."""
    for name in ("lessons", "schema"):
        shutil.copytree(REPO / name, tmp_path / name)
    config = (REPO / "lessonpack.yaml").read_text(encoding="utf-8")
    (tmp_path / "lessonpack.yaml").write_text(config, encoding="utf-8")
    result = run("new", "The Treaty of Versailles")
    assert result.exit_code == 0, result.output
    assert "schema" not in result.output.splitlines()[1]
    assert "added treaty-of-versailles to lessons: in lessonpack.yaml" in result.output
    assert (tmp_path / "lessonpack.yaml").read_text(encoding="utf-8") == config.replace(
        "  - soviet-union-1924-1935\n", "  - soviet-union-1924-1935\n  - treaty-of-versailles\n")
    lesson = tmp_path / "lessons" / "treaty-of-versailles.yaml"
    modeline = lesson.read_text(encoding="utf-8").splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=../schema/lesson.schema.json"
    lesson.write_text(fill_in(lesson.read_text(encoding="utf-8")), encoding="utf-8")
    checked = run("check", "--strict", ".")
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "4 lessons checked: no problems"


def test_new_refuses_to_overwrite(run, tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "treaty-of-versailles.yaml").write_text("title: Mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("new", "The Treaty of Versailles")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: lessons/treaty-of-versailles.yaml: already exists; nothing written (choose another title, or give "
        "another file name with --id)")
    assert snapshot(tmp_path) == before


def test_new_with_its_own_id_and_pack_folder(run, tmp_path):
    pack = tmp_path / "unit"
    pack.mkdir()
    result = run("new", "Война и мир", "--pack", "unit")
    assert result.exit_code == 1 and "give one with --id" in result.output
    assert not any(pack.iterdir())
    assert run("new", "Война и мир", "--pack", "unit", "--id", "War And Peace").exit_code == 1
    result = run("new", "Война и мир", "--pack", "unit", "--id", "war-and-peace")
    assert result.exit_code == 0, result.output
    assert "title: Война и мир\n" in (pack / "lessons" / "war-and-peace.yaml").read_text(encoding="utf-8")


def test_new_keeps_an_existing_schema_file_and_a_flat_pack(run, tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "lesson.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "stalin.yaml").write_text("title: Stalin\n", encoding="utf-8")  # lessons beside lessonpack.yaml
    result = run("new", 'Versailles: "a Carthaginian peace"?')
    assert result.exit_code == 0, result.output
    assert "schema" not in result.output.splitlines()[1]
    assert (tmp_path / "schema" / "lesson.schema.json").read_text(encoding="utf-8") == "{}\n"
    text = (tmp_path / "versailles-a-carthaginian-peace.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema/lesson.schema.json\n")
    assert yaml.safe_load(text)["title"] == 'Versailles: "a Carthaginian peace"?'
    assert not (tmp_path / "lessons").exists()


CONFIG = """\
# The sample unit.
title: The Interwar Years   # shown on the cover
lessons:
  - reconciliation        # first
  - soviet-union
  # - eastern-europe (next year)

paper: a4
"""


def test_new_appends_to_the_lessons_list_keeping_the_file_as_written(run, tmp_path):
    (tmp_path / "lessonpack.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    for name in ("reconciliation", "soviet-union"):
        (tmp_path / "lessons" / f"{name}.yaml").write_text(f"title: {name}\n", encoding="utf-8")
    result = run("new", "The Treaty of Versailles")
    assert result.exit_code == 0, result.output
    assert "added treaty-of-versailles to lessons: in lessonpack.yaml" in result.output
    assert (tmp_path / "lessonpack.yaml").read_text(encoding="utf-8") == CONFIG.replace(
        "  - soviet-union\n", "  - soviet-union\n  - treaty-of-versailles\n")


@pytest.mark.parametrize("before, after", [
    ("lessons: [a, b]  # order\n", "lessons: [a, b, new-one]  # order\n"),
    ("lessons: []\n", "lessons: [new-one]\n"),
    ("lessons:\n- a.yaml\n- b.yaml", "lessons:\n- a.yaml\n- b.yaml\n- new-one.yaml\n"),
    ("lessons:\r\n    - 'a'\r\ntitle: T\r\n", "lessons:\r\n    - 'a'\r\n    - new-one\r\ntitle: T\r\n"),
    ("\ufefflessons:\n  - a\n", "\ufefflessons:\n  - a\n  - new-one\n"),
    ("title: T\n", None),
    ("lessons:\ntitle: T\n", None),
    ("lessons:\n  - new-one\n", None),
    ("# comments only\n", None),
])
def test_lessons_list_edits(before, after):
    assert add_to_lessons_list(before, "new-one") == after


def test_new_leaves_a_settings_file_without_a_list_alone(run, tmp_path):
    (tmp_path / "lessonpack.yaml").write_text("title: T  # no list\n", encoding="utf-8")
    result = run("new", "Locarno")
    assert result.exit_code == 0
    assert "lessonpack.yaml" not in result.output
    assert (tmp_path / "lessonpack.yaml").read_text(encoding="utf-8") == "title: T  # no list\n"


def test_new_with_a_broken_settings_file_writes_the_lesson_and_says_so(run, tmp_path):
    (tmp_path / "lessonpack.yaml").write_text("lessons: [a\n", encoding="utf-8")
    result = run("new", "Locarno")
    assert result.exit_code == 0
    assert "note: lessonpack.yaml has a YAML error (lessonpack check shows where), so it was not changed; add " \
           "locarno to its lessons: list yourself" in result.output
    assert (tmp_path / "lessonpack.yaml").read_text(encoding="utf-8") == "lessons: [a\n"
    assert (tmp_path / "lessons" / "locarno.yaml").exists()


def test_docs_describe_the_commands():
    authoring = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    for needle in ("lessonpack new", "lessonpack schema", "yaml-language-server: $schema=", "yaml.schemas"):
        assert needle in authoring
    assert "docs/authoring.md" in (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"`lessonpack schema", (REPO / "README.md").read_text(encoding="utf-8"))
