"""Versions A, B, C… are fair and predictable: a multiple-choice answer leaves version A's letter and goes round
the others, an essay stays where it is written, and the sources print in letter order in every version.

Read on the handout model (``plan(lesson, "student", PlanContext(version=X, versions=N))``), which the PDF and
the Word file both draw; one build reads the PDF and the DOCX back. The reported cases come first, from the
sample unit in lessons/ and from small lessons written here; then a property test over generated worksheets.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import assume
from hypothesis import strategies as st

from readback import Docx, pdf_text

from lessonpack import load_pack
from lessonpack.building.builder import build
from lessonpack.handout import PlanContext, arrange, arrangements, plan
from lessonpack.load import model as m
from lessonpack.load.lints import lint_lesson
from lessonpack.load.model import LessonFile
from lessonpack.load.validate import validate_lesson
from lessonpack.load.yamlsource import SourceMap, parse_yaml
from lessonpack.text.richtext import inline, plain

from conftest import REPO
from test_fuzz import explore, runs

SAMPLE = {lesson.id: lesson for lesson in load_pack(REPO).lessons}
EASTERN = "eastern-europe-1919-1938"


def _lesson(text: str, name: str = "trial") -> LessonFile:
    doc = parse_yaml(text.encode("utf-8"), SourceMap(f"{name}.yaml"))
    lesson, problems = validate_lesson(doc.data, doc.source)
    assert lesson is not None, [p.format() for p in problems]
    return LessonFile(name, Path(f"{name}.yaml"), lesson)


def _versions(lesson: LessonFile, count: int) -> list:
    """The student handout of every version, A first."""
    return [plan(lesson, "student", PlanContext(version=letter, versions=count)) for letter in m.LETTERS[:count]]


def _written(lesson: LessonFile, q) -> int:
    """The written index of a printed question, found by its prompt (every prompt here is its own)."""
    items = lesson.lesson.worksheet.items
    found = [i for i, item in enumerate(items) if item.type == q.kind and getattr(item, "prompt", None)
             and plain(inline(item.prompt)) == plain(q.prompt)]
    assert len(found) == 1, (plain(q.prompt), found)
    return found[0]


def _choices(lesson: LessonFile, handout) -> dict[int, list[str]]:
    """Each multiple-choice item's choices as this handout prints them, by written index."""
    return {_written(lesson, q): [plain(c.text) for c in q.choices] for q in handout.worksheet.questions
            if q.kind == "multiple_choice"}


def _printed_sources(handout) -> list[str]:
    """The sources printed with the questions, in the order they are printed."""
    return [s.id for q in handout.worksheet.questions for s in q.sources]


def _movable(item) -> list[int]:
    return [k for k in range(len(item.choices)) if k not in item.pinned] if item.shuffle_choices else []


# -- 1. multiple choice: the answer leaves version A's letter and goes round the others ---------------------


def test_the_reported_build_no_answer_keeps_version_as_letter():
    """Reported: in a three-version build of the sample, "Help in containing Germany" was letter A in versions
    A, B and C, and 8 of 40 choice orders were version A's. Now no later version keeps an answer's letter, and
    no multiple-choice order is version A's."""
    lesson = SAMPLE[EASTERN]
    handouts = _versions(lesson, 3)
    choices = [_choices(lesson, h) for h in handouts]
    items = lesson.lesson.worksheet.items
    france = next(i for i, item in enumerate(items) if getattr(item, "answer", None) == "Help in containing Germany")
    assert [c[france].index("Help in containing Germany") for c in choices] != [0, 0, 0]
    assert choices[0][france][0] == "Help in containing Germany"  # version A: as written
    for i in choices[0]:
        letters = [c[i].index(items[i].answer) for c in choices]
        assert letters[0] not in letters[1:], (i, letters)
    unchanged = total = 0
    for other in SAMPLE.values():
        every = [_choices(other, h) for h in _versions(other, 3)]
        for later in every[1:]:
            for i, printed in later.items():
                total += 1
                unchanged += printed == every[0][i]
                assert all(a != b for a, b in zip(printed, every[0][i])), (other.id, i)  # every choice moves
    assert total >= 10 and unchanged == 0


def test_the_answer_goes_round_every_other_letter_before_any_holds_it_twice():
    lesson = _lesson("""title: Round the letters
worksheet:
  items:
    - {type: multiple_choice, prompt: Four., choices: [w, x, y, z], answer: x}
    - {type: multiple_choice, prompt: Three., choices: [p, q, r], answer: p}
    - {type: multiple_choice, prompt: Five pinned., choices: [a, b, {text: c, shuffle: false}, d, e, f],
       answer: d, keep_last: 1}
""")
    items = lesson.lesson.worksheet.items
    every = arrangements(lesson.lesson, lesson.id, 26)
    for i, item in enumerate(items):
        free = _movable(item)
        answer = item.texts.index(item.answer)
        places = [a.inner[i].index(answer) for a in every]
        assert places[0] == answer and all(p in free for p in places)
        others = [k for k in free if k != answer]
        assert answer not in places[1:]
        for start in range(1, 26, len(others)):  # each round: every other movable place once
            round_ = places[start:start + len(others)]
            assert len(set(round_)) == len(round_), (i, places)
        counts = Counter(places[1:])
        assert max(counts.values()) - min(counts[k] for k in others) <= 1, counts
        assert max(counts.values()) <= math.ceil(25 / len(others))
        for a in every[1:]:  # pinned choices stay; the wrong movable choices all move
            assert all(a.inner[i][k] == k for k in item.pinned)
            assert all(a.inner[i][k] != k for k in free), a.inner[i]


def test_each_question_draws_its_own_round():
    """Six questions alike, answer first: each goes round the other letters in its own drawn order, so one
    version's answers do not all move alike (no rule such as "one letter down" to learn)."""
    lesson = _lesson("title: Alike\nworksheet:\n  items:\n" + "".join(
        f"    - {{type: multiple_choice, prompt: Question {n}., choices: [r{n}, w{n}, x{n}, y{n}], answer: r{n}}}\n"
        for n in range(6)))
    every = arrangements(lesson.lesson, lesson.id, 4)
    rounds = {tuple(a.inner[i].index(0) for a in every[1:]) for i in range(6)}
    assert all(sorted(r) == [1, 2, 3] for r in rounds) and len(rounds) >= 3
    assert all(len({a.inner[i].index(0) for i in range(6)}) >= 2 for a in every[1:])


def test_two_movable_choices_swap_in_every_other_version():
    lesson = _lesson("title: Two\nworksheet:\n  items:\n    - {type: multiple_choice, prompt: Two., choices: "
                     "[Rome, Paris, {text: Both, shuffle: false}], answer: Paris}\n")
    every = arrangements(lesson.lesson, lesson.id, 7)
    assert [a.inner[0] for a in every] == [(0, 1, 2), (1, 0, 2)] * 3 + [(0, 1, 2)]


def test_a_version_is_the_same_however_many_versions_are_built():
    lesson = SAMPLE[EASTERN]
    ten = arrangements(lesson.lesson, lesson.id, 10)
    for count in (2, 3, 7):
        assert arrangements(lesson.lesson, lesson.id, count) == ten[:count]
    assert arrange(lesson.lesson, lesson.id, "G") == ten[6]
    assert _choices(lesson, plan(lesson, "student", PlanContext(version="C", versions=3))) == \
        _choices(lesson, plan(lesson, "student", PlanContext(version="C", versions=10)))


# -- 2. an essay stays where it is written ------------------------------------------------------------------


def test_the_reported_essay_stays_last():
    """Reported: an essay without shuffle: false came out as question 11 of 14. An essay's shuffle is now false
    unless written: the sample's essays (two of them without the key) end every version."""
    for lesson in SAMPLE.values():
        items = lesson.lesson.worksheet.items
        assert items[-1].type == "essay"
        for handout in _versions(lesson, 10):
            questions = handout.worksheet.questions
            assert [q.number for q in questions if q.kind == "essay"] == [len(questions)], (lesson.id,
                                                                                            handout.masthead.version)


ESSAYS = """title: Essays
worksheet:
  items:
    - {type: true_false, prompt: One., answer: true}
    - {type: true_false, prompt: Two., answer: false}
    - {type: essay, prompt: Written third., lines: 4}
    - {type: true_false, prompt: Four., answer: true}
    - {type: true_false, prompt: Five., answer: false}
    - {type: essay, prompt: Free to move., lines: 4, shuffle: true}
    - {type: true_false, prompt: Seven., answer: true}
"""


def test_an_essay_keeps_its_place_unless_the_teacher_lets_it_move():
    lesson = _lesson(ESSAYS)
    assert lesson.lesson.worksheet.items[2].shuffle is False and lesson.lesson.worksheet.items[5].shuffle is True
    moved = set()
    for a in arrangements(lesson.lesson, lesson.id, 12):
        assert a.order[2] == 2  # the third place is the essay's in every version
        moved.add(a.order.index(5))
    assert len(moved) >= 3  # shuffle: true: it goes where the draw puts it


# -- 3. the sources print in letter order ---------------------------------------------------------------------


def test_the_reported_sources_print_in_letter_order_in_every_version():
    """Reported: Source B printed on page 6 and Source A on page 7. Every version of every sample lesson now
    prints its sources in letter order."""
    for lesson in SAMPLE.values():
        ids = m.source_ids(lesson.lesson.sources)
        for handout in _versions(lesson, 10):
            printed = _printed_sources(handout)
            assert printed == sorted(printed, key=ids.index) and len(printed) == len(set(printed)), (
                lesson.id, handout.masthead.version, printed)


SOURCES = """title: Three sources
objectives: [Read three sources.]
sources:
  - {title: First, text: One quoted line., citation: Made up.}
  - {title: Second, text: Another quoted line., citation: Made up.}
  - {title: Third, text: A third quoted line., citation: Made up.}
worksheet:
  items:
    - {type: short_answer, prompt: About A first., source: A}
    - {type: true_false, prompt: Plain one., answer: true}
    - {type: short_answer, prompt: About B., source: B}
    - {type: true_false, prompt: Plain two., answer: false}
    - {type: short_answer, prompt: About A again., source: A}
    - {type: short_answer, prompt: About C., source: C}
    - {type: short_answer, prompt: About B and kept with C., source: B, keep_with_previous: true}
    - {type: true_false, prompt: Plain three., answer: true}
    - {type: short_answer, prompt: About B again., source: B}
    - {type: true_false, prompt: Plain four., answer: false}
"""


def test_sources_keep_their_order_while_their_questions_still_shuffle():
    lesson = _lesson(SOURCES)
    ids = m.source_ids(lesson.lesson.sources)
    places, first_a, orders = set(), set(), set()
    for handout in _versions(lesson, 26):
        questions = handout.worksheet.questions
        assert _printed_sources(handout) == ["A", "B", "C"], handout.masthead.version
        at = [_written(lesson, q) for q in questions]
        orders.add(tuple(at))
        assert at.index(6) == at.index(5) + 1  # kept with the previous item, whatever its source
        places.add(tuple(n for n, w in enumerate(at) if lesson.lesson.worksheet.items[w].source))
        first_a.add(next(w for w in at if lesson.lesson.worksheet.items[w].source == "A"))
    assert ids == ["A", "B", "C"] and len(orders) == 26
    assert len(places) >= 10  # the questions about sources still take drawn places
    assert first_a == {0, 4}  # and either question about A may bring Source A in


OUT_OF_ORDER = """title: B before A
objectives: [Read two sources.]
sources:
  - {title: First, text: One quoted line., citation: Made up.}
  - {title: Second, text: Another quoted line., citation: Made up.}
worksheet:
  items:
    - {type: true_false, prompt: Plain one., answer: true}
    - {type: short_answer, prompt: About B., source: B}
    - {type: true_false, prompt: Plain two., answer: false}
    - {type: short_answer, prompt: About A., source: A}
"""


def test_a_written_order_that_uses_b_before_a_is_warned_about(run, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "order.yaml").write_text(OUT_OF_ORDER, encoding="utf-8")
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("lessons/order.yaml:9:54: warning: worksheet.items[1].source: Source B is printed before "
                        "Source A: a source prints just before the first question that uses it, and this question "
                        "comes before worksheet.items[3], the first to use Source A [source-order]")
    assert lines[1] == ("    hint: students read the sources in the order they are printed: reorder sources: so the "
                        "letters follow the order the questions first use them (and change each question's source: "
                        "to match), or move the questions; if it is deliberate, add `lint: {ignore: "
                        "[source-order]}` to worksheet.items[1]")
    assert lines[-1] == "1 lesson checked: 0 errors, 1 warning"
    # The warning tells the truth: the written order (version A, the teacher edition) prints B first; the
    # later versions print A first.
    lesson = _lesson(OUT_OF_ORDER)
    assert _printed_sources(plan(lesson, "teacher")) == ["B", "A"]
    assert [_printed_sources(h) for h in _versions(lesson, 5)] == [["B", "A"]] + [["A", "B"]] * 4


@pytest.mark.parametrize("where", ["item", "other item", "lesson"])
def test_the_source_order_warning_is_silenced_like_the_other_lints(run, tmp_path, where):
    text = {"item": OUT_OF_ORDER.replace("source: B}", "source: B, lint: {ignore: [source-order]}}"),
            "other item": OUT_OF_ORDER.replace("source: A}", "source: A, lint: {ignore: source-order}}"),
            "lesson": OUT_OF_ORDER.replace("title: B before A\n", "title: B before A\nlint: {ignore: [source-order]}\n")
            }[where]
    assert text != OUT_OF_ORDER
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "order.yaml").write_text(text, encoding="utf-8")
    result = run("check", "--strict", cwd=tmp_path)
    assert result.exit_code == 0 and result.output.strip() == "1 lesson checked: no problems", result.output


def test_sources_in_letter_order_and_unused_ones_are_not_warned_about(run, tmp_path):
    """A source kept apart by its own question (C and B together, B already printed) and a source no question
    uses (D, printed after the reading, which check warns about in its own words) are in order."""
    text = SOURCES.replace("worksheet:", "  - {title: Fourth, text: Unused., citation: Made up.}\nworksheet:")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "ok.yaml").write_text(text, encoding="utf-8")
    result = run("check", cwd=tmp_path)
    assert "Source D is not used by any worksheet item" in result.output and "source-order" not in result.output
    assert result.output.strip().endswith("1 lesson checked: 0 errors, 1 warning"), result.output


# -- PDF and Word alike ------------------------------------------------------------------------------------


@pytest.mark.slow  # one lesson built in three versions, PDF and Word
def test_the_built_versions_print_what_the_model_decides(tmp_path):
    result = build(REPO / "lessons" / f"{EASTERN}.yaml", out_dir=tmp_path, formats=["pdf", "docx"], versions=3,
                   editions=["student"])
    assert result.ok, result.failed
    lesson = SAMPLE[EASTERN]
    items = lesson.lesson.worksheet.items
    for letter in "ABC":
        texts = {"pdf": " ".join(pdf_text(tmp_path / EASTERN / f"{EASTERN}-student-{letter}.pdf").split()),
                 "docx": " ".join(Docx((tmp_path / EASTERN / f"{EASTERN}-student-{letter}.docx").read_bytes())
                                  .body_text().split())}
        handout = plan(lesson, "student", PlanContext(version=letter, versions=3))
        for fmt, text in texts.items():
            assert text.index("Source A Woodrow Wilson") < text.index("Source B The turn"), (letter, fmt)
            essay = text.index("Democracy in Eastern Europe failed")
            assert all(text.index(_probe(q)) < essay for q in handout.worksheet.questions[:-1]), (letter, fmt)
            for q in handout.worksheet.questions:
                if q.kind == "multiple_choice":  # the letters printed before the choices are the model's
                    after = text[text.index(_probe(q)):]
                    for c in q.choices:
                        assert f"{c.letter} {plain(c.text)}" in after[:600], (letter, fmt, c)
        france = next(i for i, item in enumerate(items) if getattr(item, "answer", "") == "Help in containing Germany")
        shown = _choices(lesson, handout)[france]
        assert (shown.index("Help in containing Germany") == 0) == (letter == "A")


def _probe(q) -> str:
    return " ".join(plain(q.prompt).split()[:5])


# -- every worksheet ------------------------------------------------------------------------------------------


@st.composite
def worksheets(draw):
    """A lesson of 1 to 12 items (multiple choice with 2 to 8 choices, some pinned, true/false, short answers and
    essays), 0 to 4 sources used by some of them, now and then a pinned item or one kept with the previous, and
    a number of versions from 2 to 10."""
    n_sources = draw(st.integers(0, 4))
    items = []
    for i in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["multiple_choice", "multiple_choice", "true_false", "short_answer", "essay"]))
        item: dict = {"type": kind, "prompt": f"Question {i + 1}."}
        if kind == "multiple_choice":
            n = draw(st.integers(2, 8))
            texts = [f"Choice {i + 1}.{k + 1}" for k in range(n)]
            pins = draw(st.sets(st.integers(0, n - 1), max_size=n // 2))
            item["choices"] = [{"text": t, "shuffle": False} if k in pins else t for k, t in enumerate(texts)]
            item["answer"] = texts[draw(st.integers(0, n - 1))]
            if draw(st.integers(0, 3)) == 0:
                item["keep_last"] = draw(st.integers(1, n - 1))
            if draw(st.integers(0, 9)) == 0:
                item["shuffle_choices"] = False
        elif kind == "true_false":
            item["answer"] = draw(st.booleans())
        elif kind == "essay":
            item["lines"] = 3
            shuffle = draw(st.sampled_from([None, None, True, False]))
            if shuffle is not None:
                item["shuffle"] = shuffle
        if kind != "essay" and draw(st.integers(0, 7)) == 0:
            item["shuffle"] = False
        if i and draw(st.integers(0, 7)) == 0:
            item["keep_with_previous"] = True
        if n_sources and draw(st.integers(0, 2)):
            item["source"] = m.LETTERS[draw(st.integers(0, n_sources - 1))]
        items.append(item)
    sources = [{"title": f"Source number {k + 1}", "text": "A quoted line.", "citation": "Made up."}
               for k in range(n_sources)]
    return {"title": "Generated", **({"sources": sources} if sources else {}), "worksheet": {"items": items}}, \
        draw(st.integers(2, 10))


def _fair(drawn) -> None:
    data, count = drawn
    doc = parse_yaml(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), SourceMap("gen.yaml"))
    lesson, _ = validate_lesson(doc.data, doc.source)
    assume(lesson is not None)
    one = LessonFile("gen", Path("gen.yaml"), lesson)
    items = lesson.worksheet.items
    handouts = _versions(one, count)
    printed = [[_written(one, q) for q in h.worksheet.questions] for h in handouts]
    choices = [_choices(one, h) for h in handouts]
    assert printed[0] == list(range(len(items)))  # version A: as written
    # Pinned items, and essays unless written shuffle: true, keep their places.
    for i, item in enumerate(items):
        if not item.shuffle:
            assert all(order[i] == i for order in printed), (i, printed)
    for i, item in enumerate(items):
        if item.type != "multiple_choice":
            continue
        letters = [c[i].index(item.answer) for c in choices]
        assert all(c[i][k] == item.texts[k] for c in choices for k in item.pinned)  # pinned choices stay
        free = _movable(item)
        answer = item.texts.index(item.answer)
        if answer not in free:
            assert set(letters) == {answer}
            if len(free) >= 2:  # the others are deranged around the pinned answer
                assert all(c[i][k] != item.texts[k] for c in choices[1:] for k in free)
            continue
        if len(free) >= 3:  # the invariant: never version A's letter again, and spread over the others
            assert letters[0] not in letters[1:], (i, letters)
            counts = Counter(letters[1:])
            assert max(counts.values()) <= math.ceil((count - 1) / (len(free) - 1)), (i, letters)
            assert max(counts.values()) - min(counts.get(k, 0) for k in free if k != answer) <= 1, (i, letters)
        elif len(free) == 2:
            assert letters == [answer if v % 2 == 0 else free[1 - free.index(answer)] for v in range(count)]
        for c, letter in zip(choices[1:], letters[1:]):  # the wrong choices move whenever the answer did
            if letter != answer:
                assert all(c[i][k] != item.texts[k] for k in free), (i, c[i])
    # Sources print in letter order in every version whenever the written order does (no source-order warning);
    # when it does not, the warning says so, and version A shows it.
    ids = m.source_ids(lesson.sources)
    warned = any("[source-order]" in d.message for d in lint_lesson(lesson, doc.source))
    written = _printed_sources(handouts[0])
    assert warned == (written != sorted(written, key=ids.index))
    for h in handouts[0 if not warned else 1:]:
        shown = _printed_sources(h)
        assert len(shown) == len(set(shown)) == len({item.source for item in items if item.source})
        if not warned:
            assert shown == sorted(shown, key=ids.index), (h.masthead.version, shown)
    # The same letter gives the same version, however many are built.
    assert arrangements(lesson, "gen", count) == arrangements(lesson, "gen", 10)[:count]


@pytest.mark.parametrize("examples", runs(300))
def test_every_generated_worksheet_is_fair_in_every_version(examples):
    explore(examples, worksheets())(_fair)()
