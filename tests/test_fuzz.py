"""Hostile input never produces a traceback: random bytes and random YAML-ish text through the checker."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml

YAMLISH = st.lists(st.sampled_from([
    "title: ", "Stalin", "\n", "  ", "- ", "[[", "]]", "{", "}", "[", "]", ": ", "&a ", "*a", "!!str ", "!!python/object ",
    "worksheet:\n  items:\n    - type: ", "multiple_choice", "fill_in_blank", "matching", "from_key_terms: true",
    "choices: [a, b]", "answer: ", "no", "yes", "~", "null", "1e3", "0x1F", "2024-01-01", "\t", "#", '"', "'",
    "key_terms:\n  - {term: kulaks, definition: x}\n", "reading:\n  text: |\n    kulaks\n", "<<: *a\n", "---\n",
    "...\n", "%YAML 1.1\n", "?", ",", "|", ">", "\u00e9", "\ufeff", "\x00", "\x85", "\u2028",
]), max_size=40).map("".join)


def check_text(raw: bytes) -> None:
    doc = parse_yaml(raw, SourceMap("fuzz.yaml"))
    for problem in doc.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
    if doc.data is not None:
        lesson, problems = validate_lesson(doc.data, doc.source)
        for problem in problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message


def runs(full: int) -> list:
    """A quick run for `make test` and the full count of examples under the slow marker (`make test-heavy`)."""
    return [pytest.param(max(4, full // 5), id="quick"), pytest.param(full, id="full", marks=pytest.mark.slow)]


def explore(examples: int, *strategies, fixtures: bool = False):
    """Hypothesis's ``given`` with ``examples`` examples and no deadline."""
    checks = [HealthCheck.too_slow] + ([HealthCheck.function_scoped_fixture] if fixtures else [])
    return lambda test: settings(max_examples=examples, deadline=None, suppress_health_check=checks)(
        given(*strategies)(test))


@pytest.mark.parametrize("examples", runs(400))
def test_random_bytes_never_raise(examples):
    explore(examples, st.binary(max_size=300))(check_text)()


@pytest.mark.parametrize("examples", runs(600))
def test_random_yamlish_text_never_raises(examples):
    explore(examples, YAMLISH)(lambda text: check_text(text.encode("utf-8", "surrogatepass")))()


PIECES = list("abc XYZ*_`[]|<>&\"'#\\-–—1234567890:\n") + ["<script>", "[[", "]]", "**", "é", "ß", "\u200b"]
TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join).filter(lambda t: t.strip())


@st.composite
def lessons(draw):
    terms = draw(st.lists(TEXT, max_size=4, unique_by=lambda t: t.strip().casefold()))
    words = [draw(TEXT) for _ in range(3)]
    return {
        "title": draw(TEXT), "subtitle": draw(TEXT), "grade": draw(TEXT),
        "reading": {"title": draw(TEXT), "text": "\n\n".join([*words, *terms]), "source": draw(TEXT)},
        "key_terms": [{"term": t, "definition": draw(TEXT)} for t in terms],
        "prompts": [draw(TEXT), {"text": draw(TEXT), "notes": draw(TEXT)}],
        "worksheet": {"items": [
            {"type": "multiple_choice", "prompt": draw(TEXT), "choices": ["one", "two", "three"], "answer": "two"},
            {"type": "fill_in_blank", "text": f"{draw(TEXT)} [[{draw(st.sampled_from(['Stalin', 'NEP', 'x y']))}]] "
                                              f"{draw(TEXT)}"},
            {"type": "ordering", "events": ["first", "second", "third"]},
            {"type": "matching", "pairs": [{"left": "a", "right": draw(TEXT)}, {"left": "b", "right": "zz"}]},
            {"type": "essay", "prompt": draw(TEXT), "rubric": [draw(TEXT)]},
        ]},
        "teacher_notes": draw(TEXT),
    }


@pytest.mark.parametrize("examples", runs(150))
def test_any_valid_lesson_plans_and_renders_html(examples):
    from lessonpack.handout import plan
    from lessonpack.load.model import LessonFile
    from lessonpack.render.html import render_standalone_html
    from lessonpack.styles.loader import load_style
    style = load_style("classic")

    def one(data):
        lesson, problems = validate_lesson(data, SourceMap("fuzz.yaml"))
        if lesson is None:  # some drawn texts are invalid on purpose (e.g. a stray "[["): a diagnostic, not a crash
            assert any(p.is_error for p in problems)
        assume(lesson is not None)
        for edition in ("student", "teacher"):
            html = render_standalone_html(plan(LessonFile("fuzz", None, lesson), edition), style, "letter")
            assert "<script>" not in html  # every piece of lesson text is escaped

    explore(examples, lessons())(one)()


# -- when check passes, build succeeds ---------------------------------------------------------------

WILD = st.lists(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")) | st.sampled_from(
    ["\u2028", "\ufeff", "\u200b", "[[", "]]", "}", "{", "'", '"', "\\", "*", "`", "<b>", "&", "\u202e", "\U0001f600"]),
    min_size=1, max_size=40).map("".join).filter(lambda t: t.strip())
"""Any printable text, with the characters that break templates, CSS, XML and Markdown when handled carelessly."""

def _unbracket(text: str) -> str:
    return text.replace("[", "(").replace("]", ")").replace("|", "/")


CONTROL = st.sampled_from(["\a", "\v", "\f", "\x85", "\x00", "\x1b", "\r"])


@st.composite
def wild_lessons(draw):
    term = draw(WILD)
    return {
        "title": draw(WILD) * draw(st.sampled_from([1, 6])),  # sometimes past Word's 255-character properties
        "subtitle": draw(WILD) + (draw(CONTROL) if draw(st.integers(0, 4)) == 0 else ""),  # now and then
        "unit": draw(WILD), "language": draw(st.sampled_from(["en", "es", "fr", "ar"])),
        "reading": {"title": draw(WILD), "text": f"{draw(WILD)}\n\n{term} {draw(WILD)}"},
        "key_terms": [{"term": term, "definition": draw(WILD)}],
        "prompts": [draw(WILD)],
        "worksheet": {"title": draw(WILD), "items": [
            {"type": "multiple_choice", "prompt": draw(WILD), "choices": ["one", draw(WILD)], "answer": "one"},
            {"type": "fill_in_blank", "text": f"{_unbracket(draw(WILD))} [[{_unbracket(draw(WILD))}]]"},
            {"type": "short_answer", "prompt": draw(WILD), "answer": draw(WILD)},
            {"type": "ordering", "events": ["first", draw(WILD)]},
        ]},
        "teacher_notes": draw(WILD),
    }


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(wild_lessons())
@pytest.mark.slow  # a whole build: make test-heavy
def test_every_lesson_check_accepts_builds(tmp_path_factory, data):
    import yaml

    from lessonpack import build, check

    pack = tmp_path_factory.mktemp("wild")
    (pack / "lessons").mkdir()
    (pack / "lessons" / "wild.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assume(not check(pack).errors)  # else refused with positioned errors (control characters, a stray "[["…)
    result = build(pack, formats=["pdf", "docx"], jobs=1)
    assert result.ok, result.failed
    assert len(result.written) == 4
