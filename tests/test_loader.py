"""Unit tests of the positioned YAML reader and the lesson models."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from lessonpack.load import model as m
from lessonpack.text.terms import find_term
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, describe, parse_yaml, read_yaml


def parse(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_yaml(raw, SourceMap("x.yaml"))


def test_positions_of_values_and_keys():
    doc = parse("title: Stalin\nworksheet:\n  items:\n    - type: essay\n      prompt: Discuss.\n")
    assert doc.problems == []
    assert doc.source.value_pos(("title",)) == (1, 8)
    assert doc.source.key_pos(("worksheet", "items")) == (3, 3)
    assert doc.source.value_pos(("worksheet", "items", 0)) == (4, 7)
    assert doc.source.value_pos(("worksheet", "items", 0, "prompt")) == (5, 15)
    # A path below a known one falls back to its nearest ancestor.
    assert doc.source.value_pos(("worksheet", "items", 0, "rubric", 3)) == (4, 7)


def test_numbers_and_dates_stay_as_written():
    doc = parse("title: 1.10\ngrade: 10\nunit: 1929-10-24\nflag: yes\nnothing:\n")
    assert doc.data == {"title": "1.10", "grade": "10", "unit": "1929-10-24", "flag": True, "nothing": None}


def test_bom_and_crlf_are_accepted():
    doc = parse(b"\xef\xbb\xbftitle: Caf\xc3\xa9\r\nsubtitle: x\r\n")
    assert doc.problems == []
    assert doc.data == {"title": "Café", "subtitle": "x"}
    assert doc.source.value_pos(("subtitle",)) == (2, 11)


def test_duplicate_keys_nested_are_reported_with_both_lines():
    doc = parse("title: x\nreading:\n  text: a\n  source: b\n  text: c\n")
    [problem] = doc.problems
    assert (problem.line, problem.column) == (5, 3)
    assert 'reading.text: duplicate key "text" (first at line 3)' in problem.message


def test_merge_keys_and_small_aliases_work():
    doc = parse("base: &b {points: 2}\nitem:\n  <<: *b\n  prompt: x\n")
    assert doc.problems == []
    assert doc.data["item"] == {"points": "2", "prompt": "x"}


def test_tabs_inside_block_text_are_content_not_indentation():
    doc = parse("title: x\nteacher_notes: |\n  Column\tA\n  \tindented by tab inside text\n")
    assert doc.problems == []
    assert "\t" in doc.data["teacher_notes"]


def test_deep_nesting_is_refused_without_recursion_error():
    doc = parse("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert doc.data is None
    assert doc.problems and "nesting" in doc.problems[0].message


def test_unreadable_path(tmp_path: Path):
    doc = read_yaml(tmp_path / "missing.yaml", [tmp_path])
    assert doc.data is None
    assert doc.problems[0].message == "no such file"


def test_describe_paths():
    assert describe(("worksheet", "items", 2, "answer")) == "worksheet.items[2].answer"
    assert describe(()) == ""


def test_lesson_model_is_plain_data_with_defaults():
    doc = parse("title: Stalin\nprompts:\n  - Why?\n  - {text: How, notes: Teacher only}\n"
                "worksheet:\n  items:\n    - {type: short_answer, prompt: Explain.}\n"
                "    - {type: fill_in_blank, text: 'The [[Five-Year Plan|five year plan]] began in [[1928]].'}\n")
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert [p for p in problems if p.is_error] == []
    assert lesson.language == "en"
    assert lesson.prompts[0] == m.Prompt(text="Why?", notes=None)
    short, fill = lesson.worksheet.items
    assert (short.lines, short.points, short.answer) == (3, 1, None)
    assert fill.word_bank is True
    assert fill.blanks() == [["Five-Year Plan", "five year plan"], ["1928"]]
    assert lesson.worksheet.total_points == 2
    with pytest.raises(pydantic.ValidationError, match="Instance is frozen"):
        lesson.title = "changed"  # frozen: renderers cannot alter the validated lesson


@pytest.mark.parametrize("term,text,found", [
    ("kulaks", "The kulak class resisted.", True),
    ("kulak", "Many kulaks resisted.", True),
    ("Five-Year Plan", "the first five year plan began", True),
    ("New Economic Policy (NEP)", "Lenin's New Economic Policy allowed trade", True),
    ("New Economic Policy (NEP)", "the NEP ended in 1928", True),
    ("purge", "the purges of the 1930s", True),
    ("soviets", "power lay with local councils", False),
    ("show trial", "a showtrial", False),
    ("general secretary", "he was General Secretary", True),
    ("Locarno Treaty", "the Locarno Treaties of 1925", True),
    ("Locarno Treaties", "the Locarno Treaty", True),
    ("Treaty of Versailles", "the Treaties of Versailles", True),
    ("spy", "Soviet spies", True),
    ("class", "the working classes", True),
    ("churches", "the church", True),
    ("purge", "purgatory", False),
])
def test_find_term(term, text, found):
    assert (find_term(term, text) is not None) is found


def test_label_catalogues_have_the_same_keys_and_every_used_label_exists():
    import re as _re

    from lessonpack.text.labels import _catalogue, available

    keys = {code: set(_catalogue(code)) for code in available()}
    assert available() == ["de", "en", "es", "fr", "it", "pt"]
    assert all(keys[code] == keys["en"] for code in available())
    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parent.parent / "src").rglob("*.*")
                       if p.suffix in (".py", ".html"))
    used = set(_re.findall(r'(?:labels|L|lab)\[["\'](\w+)["\']\]', source)) | set(_re.findall(r"\bL\.(\w+)", source))
    used -= {"format"}
    assert used <= keys["en"], used - keys["en"]


def test_blank_scan_is_one_pass_over_any_number_of_brackets():
    from lessonpack.load.model import scan_blanks

    opened = scan_blanks("[[" * 40_000)  # 80 KB: a quadratic scan took minutes here
    assert (opened.spans, opened.unclosed, opened.stray_close) == ((), True, False)
    closed = scan_blanks("]]" * 40_000)
    assert (closed.spans, closed.unclosed, closed.stray_close) == ((), False, True)
    mixed = scan_blanks("a [[b|c]] d ]] e [[f]] [[g")
    assert mixed.spans == ((2, 9, "b|c"), (17, 22, "f")) and mixed.unclosed and mixed.stray_close


def test_the_item_type_registry_drives_types_models_and_labels():
    from lessonpack.plugins import item_types
    from lessonpack.text import labels

    assert m.item_type_names() == ["multiple_choice", "true_false", "short_answer", "fill_in_blank", "matching",
                                   "ordering", "essay", "source_analysis", "numeric", "drawing", "label_diagram"]
    for name, item_type in item_types().items():
        assert item_type.name == name and m.item_model(name) is item_type.model
        assert item_type.model.model_fields["type"].annotation.__args__ == (name,)
        assert item_type.example and item_type.skeleton.startswith(f"- type: {name}\n")
    english = labels.labels_for("en")[0]
    for code in labels.available():
        catalogue = labels.labels_for(code)[0]
        assert set(catalogue) == set(english), code  # every catalogue has every key
        for name in m.item_type_names():
            assert catalogue[f"type_{name}"], (code, name)
    assert labels.counted(english, "points", 1) == "1 point"
    assert labels.counted(english, "points", 0.5) == "0.5 points"
    assert labels.counted(english, "total", 1) == "Total: 1 point"


@pytest.mark.parametrize("title,slug", [
    ("The Interwar Years (1919–1938)", "the-interwar-years-1919-1938"),  # a dash parts the years
    ("Révolution d'Octobre — 1917", "revolution-d-octobre-1917"),
    ("Łódź_and  Kraków", "lodz-and-krakow"),  # Ł has no ASCII decomposition: it is folded by hand
    ("Die Straße nach Łódź", "die-strasse-nach-lodz"),  # as a lesson id from the same title (one slugifier)
    ("Stalin's Russia", "stalins-russia"),  # a possessive's apostrophe goes; an elision's parts words
])
def test_pack_ids_from_titles(title, slug):
    from lessonpack.text.words import slugify

    assert slugify(title) == slug
