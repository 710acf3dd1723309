"""Teaching lints: each fires on a minimal lesson, at the offending line and column, with its name and a hint
that says what to do and how to silence it; `lint: {ignore: [...]}` silences it; unknown names are errors."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, snapshot

from lessonpack.load.lints import lint_lesson, lints
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml

READING = "Stalin forced the peasants into collective farms, and the kulaks who resisted were deported."  # FK 11.8

LESSON = """title: Stalin and the countryside
grade: "9–10"
objectives:
  - Explain why Stalin forced peasants into collective farms.
reading:
  text: {reading}
key_terms:
  - term: kulaks
    definition: Better-off peasants.
worksheet:
  items:
{items}"""
"""A lint-clean lesson; the items start on line 12."""

CLEAN_ITEM = """    - type: true_false
      prompt: Lenin chose Stalin to succeed him.
      answer: false
"""


def lesson(items: str = CLEAN_ITEM, *, reading: str = READING, top: str = "") -> str:
    return top + LESSON.format(reading=reading, items=items)


def check_one(run, tmp_path, text: str, *args: str):
    (tmp_path / "lessons").mkdir(exist_ok=True)
    (tmp_path / "lessons" / "a.yaml").write_text(text, encoding="utf-8")
    return run("check", *args)


def warnings_of(output: str) -> list[str]:
    """Each warning's line, with its hint line joined on after " | "."""
    lines = output.splitlines()
    return [line + (" | " + lines[n + 1].strip() if n + 1 < len(lines) and lines[n + 1].startswith("    hint: ")
                    else "") for n, line in enumerate(lines) if ": warning: " in line]


def silence(name: str, where: str) -> str:
    return f"if it is deliberate, add `lint: {{ignore: [{name}]}}` " + where


LESSON_LEVEL = "at the top level of the lesson"


def test_the_base_lesson_is_clean_even_strict(run, tmp_path):
    result = check_one(run, tmp_path, lesson(), "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 lesson checked: no problems"


# -- each lint: the exact warning, then silenced -------------------------------------------------------

ORDERING = """    - type: ordering
      prompt: Number the events in order.
      events:
        - Trotsky is expelled from the party
        - Lenin dies (1924)
"""

FILL = """    - type: fill_in_blank
      text: "Richer peasants, branded [[kulaks]], were shot or deported."
      extra: [soviets]
"""

SHORT = """    - type: short_answer
      prompt: Which post did Stalin hold from 1922?
      answer: General secretary
"""

CASES = {
    "ordering-date": (
        ORDERING,
        '16:11: warning: worksheet.items[0].events[1]: "Lenin dies (1924)" gives its date away [ordering-date]',
        'leave "1924" out: students should order the events by what they know, and a printed date gives the order '
        "away; " + silence("ordering-date", "to worksheet.items[0]")),
    "answer-given": (
        FILL + """    - type: short_answer
      prompt: Why were the kulaks deported?
""",
        '16:28: warning: worksheet.items[1].prompt: gives away "kulaks", the answer to blank 1 of worksheet.items[0] '
        "[answer-given]",
        "students can copy it from here instead of working it out: reword this text, or change worksheet.items[0]; "
        + silence("answer-given", "to worksheet.items[0]")),
    "no-distractors": (
        FILL.replace("      extra: [soviets]\n", ""),
        "12:7: warning: worksheet.items[0]: the word bank has no distractors, so the last blank can be filled by "
        "elimination [no-distractors]",
        "add extra: with one or two words that fit the topic but no blank, e.g. extra: [Trotsky, Lenin]; "
        + silence("no-distractors", "to worksheet.items[0]")),
    "long-answer": (
        """    - type: multiple_choice
      prompt: Why did Stalin win the struggle to succeed Lenin?
      choices:
        - Luck
        - Lenin chose him
        - He placed loyal supporters in every important party post
      answer: He placed loyal supporters in every important party post
""",
        "17:11: warning: worksheet.items[0].choices[2]: the correct answer is much longer than every other choice "
        "(56 characters, the longest other 15) [long-answer]",
        "students learn to pick the longest choice: shorten the answer, or give the other choices as much detail; "
        + silence("long-answer", "to worksheet.items[0]")),
    "all-of-the-above": (
        """    - type: multiple_choice
      prompt: Who opposed Stalin?
      choices: [Trotsky, Zinoviev, All of the above]
      answer: All of the above
""",
        '14:36: warning: worksheet.items[0].choices[2]: the correct answer is the only "all of the above" choice '
        "[all-of-the-above]",
        'students learn that "all of the above" is the answer whenever it is offered: use it as a wrong choice too, '
        "or replace it with a specific answer; " + silence("all-of-the-above", "to worksheet.items[0]")),
    "glossary-copy": (
        """    - type: matching
      pairs:
        - left: kulaks
          right: better-off  peasants
        - left: soviets
          right: Councils that ruled in name only
      extra: [A free vote between rival parties]
""",
        '15:18: warning: worksheet.items[0].pairs[0].right: copies the key terms\' definition of "kulaks" word for '
        "word [glossary-copy]",
        "students can match it by finding the same words in the key terms, without understanding it: reword the "
        "meaning; " + silence("glossary-copy", "to worksheet.items[0]")),
    "repeated-question": (
        SHORT + """    - type: essay
      prompt: "Explain this: which post did Stalin hold from 1922, and how did it help him?"
      rubric: [Names the post]
""",
        "16:15: warning: worksheet.items[1].prompt: repeats the question of worksheet.items[0].prompt "
        "[repeated-question]",
        "students answer the same thing twice, or find one answer in the other question: ask something different, "
        "or remove one; " + silence("repeated-question", "to worksheet.items[1]")),
    "essay-rubric": (
        """    - type: essay
      prompt: How far was Stalin's victory the result of luck?
""",
        "12:7: warning: worksheet.items[0]: the essay has no rubric [essay-rubric]",
        "add rubric: with the criteria you will mark it by, one per '- ' line (they are printed in the teacher "
        "edition's answer key); " + silence("essay-rubric", "to worksheet.items[0]")),
}


def with_ignore(items: str, name: str, item: int = 0) -> str:
    """The items with `lint: {ignore: [name]}` added to item number ``item``."""
    parts = items.split("    - type: ")
    parts[item + 1] = parts[item + 1] + f"      lint: {{ignore: [{name}]}}\n"
    return "    - type: ".join(parts)


@pytest.mark.parametrize("name", list(CASES))
def test_an_item_lint_fires_then_is_silenced_on_its_item(run, tmp_path, name):
    items, expected, hint = CASES[name]
    result = check_one(run, tmp_path, lesson(items))
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert warnings_of(result.output) == [f"lessons/a.yaml:{expected} | hint: {hint}"], result.output
    quiet = check_one(run, tmp_path, lesson(with_ignore(items, name)), "--strict")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output.strip() == "1 lesson checked: no problems"


@pytest.mark.parametrize("name", list(CASES))
def test_an_item_lint_is_silenced_for_the_whole_lesson(run, tmp_path, name):
    items, _, _ = CASES[name]
    result = check_one(run, tmp_path, lesson(items, top=f"lint: {{ignore: [{name}]}}\n"), "--strict")
    assert result.exit_code == 0, result.output


def test_reading_grade_uses_the_upper_grade_of_a_range(run, tmp_path):
    hint = ("shorten long sentences and prefer shorter words (the grade rises with words per sentence and syllables "
            "per word), or correct grade: if the lesson is for older students; "
            + silence("reading-grade", LESSON_LEVEL))
    for grade, shown in (('"Grade 9"', "9"), ("9", "9"), ('"8–9"', "8–9")):
        result = check_one(run, tmp_path, lesson().replace('grade: "9–10"', f"grade: {grade}"))
        assert warnings_of(result.output) == [
            "lessons/a.yaml:6:9: warning: reading.text: the reading's Flesch–Kincaid grade is 11.8, more than two "
            f"grades above the lesson's grade {shown} [reading-grade] | hint: {hint}"], result.output
    for grade in ('"9–10"', "9-10", '"Grade 10"', "Year 9 and 10", "university", '""'):
        result = check_one(run, tmp_path, lesson().replace('grade: "9–10"', f"grade: {grade}"), "--strict")
        assert result.exit_code == 0, (grade, result.output)
    quiet = lesson(top="lint: {ignore: [reading-grade]}\n").replace('grade: "9–10"', "grade: 9")
    assert check_one(run, tmp_path, quiet, "--strict").exit_code == 0
    spanish = lesson(top="language: es\n").replace('grade: "9–10"', "grade: 5")  # Flesch–Kincaid is for English
    assert check_one(run, tmp_path, spanish, "--strict").exit_code == 0


def test_no_objectives_at_the_top_or_at_an_empty_list(run, tmp_path):
    hint = ("add objectives: with what students will be able to do after the lesson, one per '- ' line (e.g. - "
            "Explain why the Locarno Treaties raised hopes of peace); they open the teacher edition; "
            + silence("no-objectives", LESSON_LEVEL))
    without = lesson().replace("objectives:\n  - Explain why Stalin forced peasants into collective farms.\n", "")
    result = check_one(run, tmp_path, without)
    assert warnings_of(result.output) == [
        f"lessons/a.yaml:1:1: warning: lesson has no objectives [no-objectives] | hint: {hint}"]
    empty = lesson().replace("objectives:\n  - Explain why Stalin forced peasants into collective farms.\n",
                             "objectives: []\n")
    result = check_one(run, tmp_path, empty)
    assert warnings_of(result.output) == [
        f"lessons/a.yaml:3:1: warning: lesson has no objectives [no-objectives] | hint: {hint}"]
    quiet = check_one(run, tmp_path, "lint:\n  ignore: [no-objectives]\n" + without, "--strict")
    assert quiet.exit_code == 0, quiet.output


def test_unused_term_is_the_old_warning_with_a_name(run, tmp_path):
    text = lesson().replace("term: kulaks", "term: collectivization")
    result = check_one(run, tmp_path, text)
    assert warnings_of(result.output) == [
        'lessons/a.yaml:8:11: warning: key_terms[0].term: "collectivization" never appears in the reading '
        "[unused-term] | hint: students meet key terms in the reading, where they are set in bold; use the term in "
        "the text or change the term to the words the text uses; " + silence("unused-term", LESSON_LEVEL)]
    quiet = check_one(run, tmp_path, "lint: {ignore: [unused-term]}\n" + text, "--strict")
    assert quiet.exit_code == 0, quiet.output
    pinned = text.replace("definition: Better-off peasants.", "definition: Better-off peasants.\n    bold_at: 1")
    result = check_one(run, tmp_path, pinned)  # bold_at has its own error; no second message
    assert result.exit_code == 1 and "[unused-term]" not in result.output


def test_matching_without_distractors_and_the_extra_key_position(run, tmp_path):
    items = """    - type: matching
      pairs: [{left: kulaks, right: Richer peasants}, {left: soviets, right: Councils}]
      extra: []
"""
    result = check_one(run, tmp_path, lesson(items))
    assert warnings_of(result.output) == [
        "lessons/a.yaml:14:14: warning: worksheet.items[0]: the matching has no distractors, so the last pair can be "
        "matched by elimination [no-distractors] | hint: add extra: with one or two right-hand options that match "
        "nothing on the left; " + silence("no-distractors", "to worksheet.items[0]")]
    no_bank = FILL.replace("      extra: [soviets]\n", "      word_bank: false\n")  # nothing to eliminate from
    assert check_one(run, tmp_path, lesson(no_bank), "--strict").exit_code == 0


@pytest.mark.parametrize("event,date", [
    ("Lenin dies on 21 January 1924", "21 January 1924"), ("Kirov is killed in December", "December"),
    ("Piłsudski's coup of May 1926", "May 1926"), ("The treaty of 1/5/1924", "1/5/1924"),
    ("The Depression of the 1930s", "1930s"), ("Trotsky is exiled, 1929–1940", "1929"),
])
def test_ordering_dates_in_their_forms(run, tmp_path, event, date):
    items = ORDERING.replace("Lenin dies (1924)", event)
    result = check_one(run, tmp_path, lesson(items))
    (warning,) = warnings_of(result.output)
    assert f'worksheet.items[0].events[1]: "{event}" gives its date away [ordering-date]' in warning
    assert f'hint: leave "{date}" out' in warning


@pytest.mark.parametrize("event", ["The March on Rome", "The League may collapse", "1,140,000 members are expelled",
                                   "Stalin becomes general secretary"])
def test_ordering_events_without_dates(run, tmp_path, event):
    items = ORDERING.replace("Lenin dies (1924)", event)
    assert check_one(run, tmp_path, lesson(items), "--strict").exit_code == 0


def test_answer_given_by_a_short_answer_and_a_true_false_statement(run, tmp_path):
    items = SHORT + """    - type: multiple_choice
      prompt: Explain how the post of general secretary helped Stalin defeat Trotsky.
      choices: [It controlled appointments, It commanded the army]
      answer: It controlled appointments
    - type: true_false
      prompt: The Depression began in the autumn of 1929.
      answer: true
    - type: short_answer
      prompt: Why did farm prices fall after the Depression began?
"""
    result = check_one(run, tmp_path, lesson(items))
    assert [w.split(" | ")[0] for w in warnings_of(result.output)] == [
        'lessons/a.yaml:16:39: warning: worksheet.items[1].prompt: gives away "General secretary", the model answer '
        "to worksheet.items[0] [answer-given]",
    ], result.output
    # A statement is given away when every word of it that matters is printed in one sentence elsewhere.
    stated = items.replace("Why did farm prices fall after the Depression began?",
                           "In the autumn of 1929 the Depression began. Why did farm prices fall?")
    result = check_one(run, tmp_path, lesson(stated))
    assert [w.split(" | ")[0] for w in warnings_of(result.output)][1:] == [
        "lessons/a.yaml:23:15: warning: worksheet.items[3].prompt: states what true/false worksheet.items[2] asks "
        "students to judge [answer-given]"], result.output
    # Silenced on either item: where the answer is printed, or whose answer it is.
    for item in (0, 1):
        quiet = check_one(run, tmp_path, lesson(with_ignore(items, "answer-given", item)), "--strict")
        assert quiet.exit_code == 0, quiet.output
    for item in (2, 3):
        quiet = with_ignore(with_ignore(stated, "answer-given", 0), "answer-given", item)
        assert check_one(run, tmp_path, lesson(quiet), "--strict").exit_code == 0


def test_answer_given_needs_words_of_the_question_nearby(run, tmp_path):
    """The answer as a choice or in an unrelated sentence is not a give-away: the word bank shows it anyway."""
    items = FILL + """    - type: multiple_choice
      prompt: Which group did Stalin call class enemies?
      choices: [Kulaks, Workers, Soldiers]
      answer: Kulaks
    - type: short_answer
      prompt: What did the kulaks own that the state wanted?
"""
    assert check_one(run, tmp_path, lesson(items), "--strict").exit_code == 0
    discussion = lesson(FILL, top="prompts:\n  - Were the kulaks who were deported really richer peasants?\n")
    result = check_one(run, tmp_path, discussion)
    assert [w.split(" | ")[0] for w in warnings_of(result.output)] == [
        'lessons/a.yaml:2:14: warning: prompts[0]: gives away "kulaks", the answer to blank 1 of '
        "worksheet.items[0] [answer-given]"]
    # Every text that gives it away is reported, up to three.
    four = lesson(FILL, top="prompts:\n" + "".join(f"  - text: Were {n} kulaks deported?\n" for n in range(4)))
    result = check_one(run, tmp_path, four)
    assert [w.split(": warning: ")[0] for w in warnings_of(result.output)] == [
        "lessons/a.yaml:2:18", "lessons/a.yaml:3:18", "lessons/a.yaml:4:18"], result.output


def test_the_reading_sources_and_glossary_never_give_answers_away(run, tmp_path):
    text = lesson(FILL.replace("    - type: fill_in_blank\n", "    - type: fill_in_blank\n      source: A\n"),
                  reading="Stalin forced the peasants into collective farms. The kulaks, richer peasants, resisted.",
                  top="sources:\n  - {title: An order, text: Richer peasants branded kulaks were shot., "
                      "citation: An order of 1930.}\n")
    text = text.replace("definition: Better-off peasants.", "definition: Richer peasants, branded kulaks.")
    result = check_one(run, tmp_path, text, "--strict")
    assert result.exit_code == 0, result.output


def test_repeated_questions_equal_or_inside_one_another(run, tmp_path):
    items = """    - type: true_false
      prompt: Stalin won.
      answer: true
    - type: true_false
      prompt: stalin   WON
      answer: true
    - type: short_answer
      prompt: Stalin won?
"""
    result = check_one(run, tmp_path, lesson(items))
    assert [w.split(" | ")[0] for w in warnings_of(result.output)] == [
        "lessons/a.yaml:16:15: warning: worksheet.items[1].prompt: repeats the question of worksheet.items[0].prompt "
        "[repeated-question]",
        "lessons/a.yaml:19:15: warning: worksheet.items[2].prompt: repeats the question of worksheet.items[0].prompt "
        "[repeated-question]",
    ]
    short = items.replace("prompt: Stalin won?", "prompt: Why Stalin won is a question.")  # under 20 characters
    result = check_one(run, tmp_path, lesson(short))
    assert [w.split(": warning: ")[1] for w in warnings_of(result.output)] == [
        "worksheet.items[1].prompt: repeats the question of worksheet.items[0].prompt [repeated-question] | hint: "
        "students answer the same thing twice, or find one answer in the other question: ask something different, "
        "or remove one; " + silence("repeated-question", "to worksheet.items[1]")]
    # Silenced on either of the two items.
    assert check_one(run, tmp_path, lesson(with_ignore(short, "repeated-question", 0)), "--strict").exit_code == 0
    # Instructions such as "Match each term with its meaning." may repeat.
    instructions = """    - type: matching
      prompt: Match each term with its meaning.
      pairs: [{left: kulaks, right: Richer peasants}, {left: soviets, right: Councils}]
      extra: [Soldiers]
    - type: matching
      prompt: Match each term with its meaning.
      pairs: [{left: purge, right: Removal}, {left: coup, right: Seizure of power}]
      extra: [Election]
"""
    assert check_one(run, tmp_path, lesson(instructions), "--strict").exit_code == 0


# -- lint: settings ------------------------------------------------------------------------------------


def test_an_unknown_lint_name_is_an_error_listing_the_names(run, tmp_path):
    names = ", ".join(lints())
    result = check_one(run, tmp_path, lesson(with_ignore(ORDERING, "ordering-dates")))
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        'lessons/a.yaml:17:23: error: worksheet.items[0].lint.ignore[0]: "ordering-dates" is not a lint; did you mean '
        '"ordering-date"?',
        f"    hint: valid lint names: {names}",
    ]
    assert "[ordering-date]" not in result.output  # no lints on a lesson that did not validate
    result = check_one(run, tmp_path, lesson(top="lint: {ignore: [spelling]}\n"))
    assert result.output.splitlines()[:2] == [
        'lessons/a.yaml:1:17: error: lint.ignore[0]: "spelling" is not a lint', f"    hint: valid lint names: {names}"]
    result = check_one(run, tmp_path, lesson(with_ignore(CLEAN_ITEM, "no-objectives")))
    assert result.output.splitlines()[:2] == [
        'lessons/a.yaml:15:23: error: worksheet.items[0].lint.ignore[0]: "no-objectives" is about the whole lesson, '
        "not one item",
        "    hint: silence it with `lint: {ignore: [no-objectives]}` at the top level of the lesson",
    ]
    result = check_one(run, tmp_path, lesson(CLEAN_ITEM + "      lint: {ignore: [essay-rubric], because: x}\n"))
    assert 'error: worksheet.items[0].lint.because: unknown key "because"' in result.output


def test_one_name_without_brackets_and_every_name_are_accepted(run, tmp_path):
    one = check_one(run, tmp_path, lesson(ORDERING + "      lint: {ignore: ordering-date}\n"), "--strict")
    assert one.exit_code == 0, one.output
    everything = "lint:\n  ignore:\n" + "".join(f"    - {name}\n" for name in lints())
    assert check_one(run, tmp_path, lesson(top=everything), "--strict").exit_code == 0


def test_lints_run_only_on_valid_lessons(run, tmp_path):
    broken = lesson(ORDERING + "    - {type: essay}\n").replace(
        "objectives:\n  - Explain why Stalin forced peasants into collective farms.\n", "")
    result = check_one(run, tmp_path, broken)
    assert result.exit_code == 1
    assert "[" not in "".join(line for line in result.output.splitlines() if ": warning: " in line)


# -- the CLI and the sample unit -----------------------------------------------------------------------


def test_strict_fails_on_a_lint_and_check_writes_nothing(run, tmp_path):
    check_one(run, tmp_path, lesson(ORDERING))
    before = snapshot(tmp_path)
    relaxed = run("check")
    assert relaxed.exit_code == 0
    assert relaxed.output.splitlines()[-1] == "1 lesson checked: 0 errors, 1 warning"
    strict = run("check", "--strict")
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "1 lesson checked: 0 errors, 1 warning (--strict: warnings fail)"
    assert snapshot(tmp_path) == before


def test_the_sample_unit_passes_strict_without_silencing_anything(run):
    for path in sorted((REPO / "lessons").glob("*.yaml")):
        assert "lint:" not in path.read_text(encoding="utf-8"), path
    result = run("check", "--strict", ".", cwd=REPO)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 lessons checked: no problems"


def test_built_in_samples_have_no_lint_warnings():
    from lessonpack.load.samples import SAMPLES

    for name in ("full", "bare", "reference"):
        path = SAMPLES / f"{name}.yaml"
        doc = parse_yaml(path.read_bytes(), SourceMap(str(path)))
        lesson, problems = validate_lesson(doc.data, doc.source)
        assert lesson is not None and not [p for p in problems if p.message.endswith("]")], problems


# -- cost and robustness -------------------------------------------------------------------------------


def _lint(text: str):
    doc = parse_yaml(text.encode("utf-8"), SourceMap("big.yaml"))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, [p for p in problems if p.is_error][:3]
    return lesson, doc.source


def test_lints_stay_fast_on_the_largest_lesson():
    """200 items of 40 blanks, and 100 long discussion prompts full of the answers: one pass over each text."""
    items = "".join("    - type: fill_in_blank\n      text: \"" + " ".join(
        f"peasant{j} [[kulak kulak{j}]] resisted." for j in range(40)) + "\"\n      extra: [x]\n" for _ in range(200))
    prompts = "".join("  - " + " ".join(f"kulak kulak{j % 40} peasant{j % 40}" for j in range(300)) + "\n"
                      for _ in range(100))
    lesson, source = _lint(f"title: Big\nobjectives: [x]\nprompts:\n{prompts}worksheet:\n  items:\n{items}")
    started = time.process_time()  # processor time: a busy machine waits longer, it does not work more
    found = lint_lesson(lesson, source)
    assert time.process_time() - started < 10  # a comparison of every answer with every word took minutes
    assert len(found) == 200 * 40 * 3  # each blank reported in the first three texts that give it away


WORDS = ["Stalin", "kulaks", "Lenin", "1924", "party", "peasants", "the", "was", "All of the above", "[[kulaks]]",
         "[[Lenin|lenin]]", "May", "21", "January", ".", ",", "?", "’s", "-", "\n", "*"]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join).filter(
    lambda t: t.strip(" .,?-\n*’s"))


@st.composite
def lessons(draw):
    texts = st.lists(TEXT, min_size=2, max_size=4, unique_by=lambda t: t.strip().casefold())
    return {
        "title": "Fuzz", "grade": draw(st.sampled_from(["9–10", "3", "Grade 1", None])),
        "reading": {"text": draw(TEXT)},
        "key_terms": [{"term": "kulaks", "definition": draw(TEXT)}],
        "prompts": draw(st.lists(TEXT, max_size=3)),
        "worksheet": {"items": [
            {"type": "fill_in_blank", "text": "[[Stalin]] " + draw(TEXT).replace("[[", "").replace("]]", "")},
            {"type": "short_answer", "prompt": draw(TEXT), "answer": draw(TEXT)},
            {"type": "true_false", "prompt": draw(TEXT), "answer": True},
            {"type": "multiple_choice", "prompt": draw(TEXT), "choices": (c := draw(texts)), "answer": c[0]},
            {"type": "ordering", "events": draw(texts)},
            {"type": "matching", "pairs": [{"left": "kulaks", "right": draw(TEXT)}, {"left": "x", "right": "y"}]},
            {"type": "essay", "prompt": draw(TEXT)},
        ]},
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lessons())
def test_lints_never_raise_and_always_say_where(data):
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    doc = parse_yaml(text.encode("utf-8"), SourceMap("fuzz.yaml"))
    _, problems = validate_lesson(doc.data, doc.source)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
        if problem.message.endswith("]") and not problem.is_error:
            assert problem.message.rsplit("[", 1)[1][:-1] in lints()
            assert problem.hint and "lint: {ignore: [" in problem.hint
