"""Teaching lints: warnings about lessons that are valid but teach less well than they could.

Each lint has a short name, shown at the end of its message (``... gives its date away [ordering-date]``), and
is silenced for one item by ``lint: {ignore: [name]}`` on that item, or for the whole lesson by the same key at
the lesson's top level. Lints run only on lessons that validated (``validate_lesson``), read only the
validated model and the source map, and stay linear in the lesson's size: every text is cut into words once.
One lint needs the page's measures, which a lesson file does not know: ``answer-lines`` is run by ``check`` with
the writing lines the handout model planned for the pack's style and paper (:func:`answer_lines`).
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator

from .. import limits
from . import model as m
from ..errors import Diagnostic
from ..text.labels import labels_for
from ..text.readability import parse_grade, reading_stats
from ..text.terms import find_term
from ..text.verse import looks_like_verse
from ..text.words import WORD
from .yamlsource import Path_, SourceMap, describe

LESSON_WIDE: dict[str, str] = {
    "reading-grade": "the reading's Flesch–Kincaid grade is more than two grades above the lesson's grade",
    "no-objectives": "the lesson has no objectives",
    "unused-term": "a key term never appears in the reading",
    "answer-given": "an answer is printed elsewhere on the student's handout, beside words of its question",
    "repeated-question": "a question repeats another question",
    "source-order": "the questions first use the sources out of letter order, so they print out of order",
    "source-not-listed": "a question's text mentions a source (\"Source C\") that its source: does not list",
    "answer-lines": "a model answer needs more writing lines than the question gives the student",
    "verse-lines": "a reading or source printed as prose has short lines that look like verse, which print joined",
}
"""The teaching lints about the lesson as a whole and about every item alike; each item type adds its own
(:attr:`lessonpack.items.base.ItemType.lint_names`)."""


def lints() -> dict[str, str]:
    """Every teaching lint, by name: the lesson-wide ones, then each item type's."""
    from ..plugins import item_types

    found = dict(LESSON_WIDE)
    for kind in item_types().values():
        found.update(kind.lint_names)
    return found

LESSON_LINTS = ("reading-grade", "no-objectives", "unused-term", "verse-lines")
"""Lints about the whole lesson: silenced only by the lesson's own ``lint:``."""

GRADE_MARGIN = 2
"""How many grades above the lesson's (upper) grade the reading may be before ``reading-grade`` warns."""

FACT_WORDS = 6
"""A short answer's model answer of at most this many words is a fact another question could give away."""

WINDOW = 5
"""Words on either side of an answer (and of a blank) that count as the words around it."""

MAX_PLACES = 3
"""``answer-given`` reports one answer in at most this many texts (the first that give it away)."""

LONG_RATIO, LONG_MARGIN = 1.5, 15
"""``long-answer``: the answer is more than 1.5 times as long as the longest other choice, and 15 characters longer."""

REPEAT_MIN = 20
"""``repeated-question``: one prompt inside another counts when both have at least this many characters."""


# -- reporting ------------------------------------------------------------------------------------------


def silence(name: str, where: str) -> str:
    """The end of a lint's hint: how to silence it where it was found."""
    return _silence(name, where)


def _silence(name: str, where: str) -> str:
    return f"if it is deliberate, add `lint: {{ignore: [{name}]}}` " + ("at " if where == _LESSON else "to ") + where


def _item_path(i: int) -> Path_:
    return ("worksheet", "items", i)


@dataclass(frozen=True)
class Finding:
    name: str
    path: Path_
    message: str
    hint: str
    items: tuple[int, ...] = ()  # the items whose lint: ignore silences it
    position: tuple[int, int] | None = None  # overrides the path's position (a word inside a text)
    at_key: bool = False


def lint_lesson(lesson: m.Lesson, source: SourceMap) -> list[Diagnostic]:
    """Every teaching-lint warning for a validated lesson, less those its ``lint: {ignore: ...}`` silences."""
    return _report(lesson, source, (f for check in _CHECKS for f in check(lesson, source)))


def _report(lesson: m.Lesson, source: SourceMap, findings: Iterable[Finding]) -> list[Diagnostic]:
    """The findings as positioned warnings, less those the lesson's or their items' ``lint: {ignore: ...}``
    silences."""
    lesson_ignores = set(lesson.lint.ignore) if lesson.lint else set()
    items = lesson.worksheet.items if lesson.worksheet else []
    item_ignores = [set(item.lint.ignore) if item.lint else set() for item in items]
    out: list[Diagnostic] = []
    for f in findings:
        if f.name in lesson_ignores or any(f.name in item_ignores[i] for i in f.items):
            continue
        if f.position is not None:
            line, col = f.position
        else:
            line, col = source.key_pos(f.path) if f.at_key else source.value_pos(f.path)
        out.append(Diagnostic(source.file, line, col, "warning", f"{f.message} [{f.name}]", f.hint))
    return out


@dataclass(frozen=True)
class AnswerRoom:
    """What the handout model planned for one run of writing lines with a model answer: where the run is written
    (its item, and the key under the item that holds its ``lines:`` and ``answer:``: ``()`` for the item itself,
    ``("parts", 2)`` for a source analysis's third part), the lines the answer needs at full size, the lines the
    student gets, and the lines the teacher's copy prints."""

    item: int
    under: Path_
    needs: int
    lines: int
    printed: int


def answer_lines(lesson: m.Lesson, source: SourceMap, rooms: Iterable[AnswerRoom]) -> list[Diagnostic]:
    """The ``answer-lines`` lint: a model answer that needs more writing lines than the question gives the
    student, shown at the run's ``lines:`` (or its ``answer:`` when it leaves the number of lines to the
    default). It needs the page's measures, so ``check`` runs it with the lines the handout model planned."""
    items = lesson.worksheet.items if lesson.worksheet else []
    findings = []
    for room in rooms:
        if room.needs <= room.lines:
            continue
        base = _item_path(room.item) + room.under
        written = base + ("lines",) in source.keys
        given = _written_lines(items[room.item], room.under) if written else None
        lines = (f"lines: {given} gives the student {room.lines}" if given is not None
                 else f"lines: {room.lines} (the default) gives the student {room.lines}")
        fits = (f"the teacher edition keeps the student's {room.lines} lines and sets the answer smaller to fit"
                if room.printed <= room.lines else
                f"even in smaller type the teacher edition needs {room.printed} lines for it, so its pages break "
                "differently from the student's")
        at = base + (("lines",) if written else ("answer",))
        where = describe(_item_path(room.item))
        findings.append(Finding(
            "answer-lines", at, f"{describe(at)}: the model answer needs about {room.needs} lines but {lines}",
            f"give the student room for it (lines: {room.needs} or more: handwriting takes more room than print), "
            f"or shorten the model answer; {fits}; " + _silence("answer-lines", where), (room.item,)))
    return _report(lesson, source, findings)


def _written_lines(item: Any, under: Path_) -> str | None:
    """The ``lines:`` written at ``under`` in an item, as written (a number, or fill)."""
    node: Any = item
    for key in under:
        node = node[key] if isinstance(key, int) else getattr(node, key, None)
    value = getattr(node, "lines", None)
    return None if value is None else str(value)


def setting_problems(data: dict, source: SourceMap) -> list[Diagnostic]:
    """Errors for lint names that do not exist in a lesson's ``lint:`` keys (and for lesson-wide lints named on
    an item). Read from the raw data, so they are reported with the lesson's other errors."""
    out: list[Diagnostic] = []
    out += _names(data.get("lint"), ("lint",), source, on_item=False)
    worksheet = data.get("worksheet")
    items = worksheet.get("items") if isinstance(worksheet, dict) else None
    if isinstance(items, list):
        for i, raw in enumerate(items[:limits.MAX_ITEMS]):
            if isinstance(raw, dict):
                out += _names(raw.get("lint"), _item_path(i) + ("lint",), source, on_item=True)
    return out


def _names(setting: Any, path: Path_, source: SourceMap, *, on_item: bool) -> list[Diagnostic]:
    ignore = setting.get("ignore") if isinstance(setting, dict) else None
    if isinstance(ignore, str):
        named = [(path + ("ignore",), ignore)]
    elif isinstance(ignore, list):
        named = [(path + ("ignore", k), name) for k, name in enumerate(ignore[:50]) if isinstance(name, str)]
    else:
        return []  # any other shape is pydantic's to report
    out = []
    for at, name in named:
        name = name.strip()
        if not name:
            continue  # "is empty", from the model
        known = lints()
        if name not in known:
            guess = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
            out.append(source.diagnostic(at, f'{describe(at)}: "{name}" is not a lint'
                                         + (f'; did you mean "{guess[0]}"?' if guess else ""),
                                         hint="valid lint names: " + ", ".join(known)))
        elif on_item and name in LESSON_LINTS:
            out.append(source.diagnostic(at, f'{describe(at)}: "{name}" is about the whole lesson, not one item',
                                         hint=f"silence it with `lint: {{ignore: [{name}]}}` at the top level of "
                                              "the lesson"))
    return out


# -- lesson lints ---------------------------------------------------------------------------------------

_LESSON = "the top level of the lesson"


def _reading_grade(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    target = parse_grade(lesson.grade)
    if lesson.reading is None or target is None:
        return
    level = reading_stats(lesson.reading.text, lesson.grade, lesson.language).grade_level
    high = target[1]
    if level is None or level <= high + GRADE_MARGIN:
        return
    grade = re.sub(r"^\s*grade\s*", "", lesson.grade or "", flags=re.IGNORECASE).strip()
    yield Finding("reading-grade", ("reading", "text"),
                   f"reading.text: the reading's Flesch–Kincaid grade is {level:.1f}, more than two grades above the "
                   f"lesson's grade {grade}",
                   "shorten long sentences and prefer shorter words (the grade rises with words per sentence and "
                   "syllables per word), or correct grade: if the lesson is for older students; "
                   + _silence("reading-grade", _LESSON))


def _no_objectives(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    if not lesson.objectives:
        here = ("objectives",) in source.keys
        yield Finding("no-objectives", ("objectives",) if here else (), "lesson has no objectives",
                       "add objectives: with what students will be able to do after the lesson, one per '- ' line "
                       "(e.g. - Explain why the Locarno Treaties raised hopes of peace); they open the teacher "
                       "edition; " + _silence("no-objectives", _LESSON), at_key=here)


def _unused_terms(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    if lesson.reading is None:
        return
    for i, term in enumerate(lesson.key_terms):
        if term.bold_at is None and find_term(term.term, lesson.reading.text) is None:  # bold_at: checked in validate
            yield Finding("unused-term", ("key_terms", i, "term"),
                           f'key_terms[{i}].term: "{term.term}" never appears in the reading',
                           "students meet key terms in the reading, where they are set in bold; use the term in the "
                           "text or change the term to the words the text uses; "
                           + _silence("unused-term", _LESSON))


# -- item lints -----------------------------------------------------------------------------------------

def _question(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).casefold().rstrip(" .?!:")


def _repeated_questions(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """Each question prompt that equals an earlier one, contains it, or is contained in it, found by searching for
    each prompt in all of them joined together (C-speed scans, no comparison of every pair of prompts in Python)."""
    asked = [(i, _question(text)) for i, item, kind in _typed_items(lesson) if (text := kind.asks(item))]
    asked = [(i, text) for i, text in asked if text]
    if len(asked) < 2:
        return
    joined = "\0" + "\0".join(text for _, text in asked) + "\0"
    starts, at = [], 1
    for _, text in asked:
        starts.append(at)
        at += len(text) + 1

    def owner(offset: int) -> int:  # the index in `asked` of the prompt at this offset of `joined`
        return bisect.bisect_right(starts, offset) - 1

    first: dict[int, int] = {}  # later prompt → the earliest prompt it repeats (both indexes into `asked`)
    for n, (_, text) in enumerate(asked):
        needle = text if len(text) >= REPEAT_MIN else "\0" + text + "\0"
        shift = 0 if len(text) >= REPEAT_MIN else 1
        before = joined.find(needle, 0, starts[n] - 1 + shift)  # in an earlier prompt (or equal to one)
        if before >= 0:
            first[n] = min(first.get(n, n), owner(before + shift))
        after = joined.find(needle, starts[n] + len(text))  # in later prompts (or equal to them)
        while after >= 0:
            later = owner(after + shift)
            first[later] = min(first.get(later, later), n)
            after = joined.find(needle, starts[later] + len(asked[later][1]))
    for n, earlier in sorted(first.items()):
        i, j = asked[n][0], asked[earlier][0]
        path, other = _item_path(i) + ("prompt",), _item_path(j) + ("prompt",)
        yield Finding("repeated-question", path, f"{describe(path)}: repeats the question of {describe(other)}",
                       "students answer the same thing twice, or find one answer in the other question: ask "
                       "something different, or remove one; " + _silence("repeated-question", describe(_item_path(i))),
                       (i, j))


def _source_order(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """A source first used before a source with an earlier letter: each source prints just before the first
    question that uses it, so the written order (version A, the teacher edition) prints them out of order.
    Reported once at each question that brings a source in too early, naming the first source it jumps."""
    ids = m.source_ids(lesson.sources)
    rank = {sid: k for k, (sid, src) in enumerate(zip(ids, lesson.sources)) if src.place == "first-use"}
    first: dict[str, int] = {}  # source → the item that first uses it, in the written order
    for i, item in enumerate(_all_items(lesson)):
        for sid in item.sources:
            if sid in rank and sid not in first:
                first[sid] = i
    reported: set[int] = set()
    for sid, j in first.items():  # in the order they are first used
        early = [(first[other], other) for other in first if first[other] < j and rank[other] > rank[sid]]
        if not early:
            continue
        i, other = min(early)
        if i in reported:
            continue
        reported.add(i)
        path, later = _item_path(i) + ("source",), describe(_item_path(j))
        yield Finding("source-order", path,
                       f"{describe(path)}: Source {other} is printed before Source {sid}: a source prints just "
                       f"before the first question that uses it, and this question comes before {later}, the "
                       f"first to use Source {sid}",
                       "students read the sources in the order they are printed: reorder sources: so the letters "
                       "follow the order the questions first use them (and change each question's source: to "
                       "match), or move the questions; " + _silence("source-order", describe(_item_path(i))),
                       (i, j))


def _placed_order(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """A source that ``place:`` prints before a source with an earlier letter: sources placed after the reading
    print before those at the worksheet's start, which print before those placed at their first question."""
    ids = m.source_ids(lesson.sources)
    items = _all_items(lesson)
    used = {sid for item in items for sid in item.sources}
    group = {"reading": 0, "worksheet-start": 1, "first-use": 2}
    printed = [(group[src.place], k) for k, (sid, src) in enumerate(zip(ids, lesson.sources))
               if src.place != "first-use" or sid in used]
    where = {"reading": "after the reading", "worksheet-start": "at the start of the worksheet"}
    for g, k in printed:
        src = lesson.sources[k]
        if src.place == "first-use":
            continue
        later = [j for h, j in printed if h > g and j < k]
        if later:
            j = later[0]
            path = ("sources", k, "place")
            yield Finding("source-order", path,
                          f"{describe(path)}: Source {ids[k]} is printed {where[src.place]}, before Source {ids[j]}, "
                          f"which comes first in sources:",
                          "students read the sources in the order they are printed: move this source up in "
                          "sources: so the letters follow the printed order (and change each question's source: to "
                          "match), or change place:; " + _silence("source-order", _LESSON), at_key=True)


def _verse_lines(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """Prose whose lines look like verse: printed as prose, a single line break joins them."""
    texts: list[tuple[Path_, str | None, str]] = []
    if lesson.reading is not None and not lesson.reading.verse:
        texts.append((("reading", "text"), lesson.reading.text, "the reading"))
    for k, src in enumerate(lesson.sources):
        if not src.verse:
            texts.append((("sources", k, "text"), src.text, "this source"))
            texts += [(("sources", k, "parallel", j, "text"), body.text, "this source")
                      for j, body in enumerate(src.parallel or ())]
    for path, text, what in texts:
        first = looks_like_verse(text)
        if first is None:
            continue
        key = describe(path[:1]) if path[0] == "reading" else describe(path[:2])
        yield Finding("verse-lines", path,
                      f"{describe(path)}: these short lines look like verse, but {what} is printed as prose, "
                      "which joins lines broken by a single line break",
                      f"add `verse: true` to {key} to keep every line and its indentation as written (or, if it is prose, "
                      "join its lines); " + _silence("verse-lines", _LESSON),
                      position=source.text_pos(path, first))


def _mentions(lesson: m.Lesson) -> re.Pattern[str]:
    """"Source C", "Sources A and D", "Sources A, B and D" in the words of the lesson's language (the label
    catalogue's ``source_label``, ``sources_label`` and ``list_and``; any capitals), group 1 holding the ids: a
    capital letter alone, or one of the lesson's own ids (B2)."""
    labels, _ = labels_for(lesson.language)
    one = labels["source_label"].split("{id}")[0].strip()
    many = labels["sources_label"].split("{ids}")[0].strip()
    conjunction = labels["list_and"].split("{first}")[-1].split("{last}")[0].strip(" ,")
    own = sorted((sid for sid in m.source_ids(lesson.sources) if len(sid) > 1), key=len, reverse=True)
    sid = "(?:" + "".join(f"{re.escape(o)}|" for o in own) + r"[A-Z])(?![\w])"
    words = "|".join(re.escape(w) for w in dict.fromkeys((many, one)) if w)
    joined = rf"(?:\s*,\s*|\s+(?i:{re.escape(conjunction)})\s+)" if conjunction else r"\s*,\s*"
    return re.compile(rf"(?<![\w])(?i:{words})\s+({sid}(?:{joined}{sid})*)")


def _sources_not_listed(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """A question's text that names a source ("Compare Source C with …") its ``source:`` does not list: that
    source may not be printed before the question (nor at all near it). Shown where the source is named. Not for a
    question that keeps its place in every version (``shuffle: false``) after a question that lists the source."""
    mention = _mentions(lesson)
    ids = m.source_ids(lesson.sources)
    single = re.compile(r"[A-Z][A-Za-z0-9]{0,3}")
    before: set[str] = set()  # the sources the items before this one list, in the written order
    for i, item, kind in _typed_items(lesson):
        # A question that keeps its place in every version (shuffle: false, an essay's default) after one that
        # lists the source always has it printed before it: naming it there is safe.
        listed = set(item.sources) | (before if not item.shuffle else set())
        before |= set(item.sources)
        for sub, written, printed in kind.printed(item):
            for found in mention.finditer(printed):
                missing = list(dict.fromkeys(sid for sid in single.findall(found.group(1)) if sid not in listed))
                if not missing:
                    continue
                where, path = describe(_item_path(i)), _item_path(i) + sub
                fix = ("source: [" + ", ".join(list(item.sources) + missing) + "]"
                       if item.sources or len(missing) > 1 else f"source: {missing[0]}")
                named = f"Source {missing[0]}" if len(missing) == 1 else f"Sources {_and(missing)}"
                unknown = [sid for sid in missing if sid not in ids]
                exists = (f" (the lesson has no {'Source' if len(unknown) == 1 else 'Sources'} {_and(unknown)} yet: "
                          "add it to sources:)" if unknown else "")
                verb = "it" if len(missing) == 1 else "them"
                yield Finding("source-not-listed", path,
                              f"{describe(path)}: names {named}, but the question's source: does not list {verb}, so "
                              f"{'it' if len(missing) == 1 else 'they'} may not be printed before the question",
                              f"write {fix} on {where} so that {named} {'is' if len(missing) == 1 else 'are'} printed "
                              f"before it{exists}, or change the text; " + _silence("source-not-listed", where), (i,),
                              _locate_text(source, path, written, found.start()))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _locate_text(source: SourceMap, path: Path_, written: str, start: int) -> tuple[int, int] | None:
    """Where the word at ``written[start:]`` is written in the file (the same occurrence of it, counted from the
    text's start)."""
    word = re.match(r"\w+", written[start:])
    if word is None:
        return None
    return _locate(source, _Printed(path, written, None, written), (start, word.end() + start))


def _item_lints(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """The lints each item's type runs on it (:meth:`lessonpack.items.base.ItemType.lints`)."""
    for i, item, kind in _typed_items(lesson):
        yield from kind.lints(item, LintContext(lesson, source, i))


@dataclass(frozen=True)
class LintContext:
    """What an item type's lints read and report through: the lesson, where its item is, and how to word a
    finding (its message starts with where it is; its hint ends with how to silence it there)."""

    lesson: m.Lesson
    source: SourceMap
    index: int

    @property
    def path(self) -> Path_:
        return _item_path(self.index)

    def finding(self, name: str, sub: Path_, message: str, hint: str, *, whole_item: bool = False,
                position: tuple[int, int] | None = None) -> Finding:
        """A warning named ``name`` at ``sub`` below the item; ``whole_item``: about the item as a whole (its
        message starts with the item's place, and it is shown at ``sub`` when the item has that key); ``position``:
        where in the file it is shown, when not at ``sub``'s value (a word inside a text, see :meth:`locate`)."""
        where = describe(self.path)
        at = self.path + sub
        if whole_item:
            return Finding(name, at if at in self.source.keys else self.path, f"{where}: {message}",
                           f"{hint}; {_silence(name, where)}", (self.index,), position)
        return Finding(name, at, f"{describe(at)}: {message}", f"{hint}; {_silence(name, where)}", (self.index,),
                       position)

    def locate(self, sub: Path_, written: str, start: int) -> tuple[int, int] | None:
        """Where the word at ``written[start:]`` — ``written`` being the text at ``sub`` below the item, as
        written — stands in the file (None: not found, the text's own position serves)."""
        return _locate_text(self.source, self.path + sub, written, start)


# -- answer-given ---------------------------------------------------------------------------------------

_TOKEN = re.compile(rf"({WORD.pattern})|([.!?;:]+(?=[\s\"”’)\]*_]|$))")
"""A word (text.words: the one definition of a word) or the punctuation that ends a sentence."""
_HYPHEN = re.compile(r"[\-‐]")

COMMON = frozenset("""
about above across after again against almost also although always among another answer anyone anything around
away back because been before being below between both came cannot come complete could describe does doing done
down during each either enough even ever every explain following from give given gives going have having here
into itself just know known less like made make many more most much must name near neither never next none
number often only onto order other others over paragraph part question rather reading really said same several
shall should show shown since some something source still such sure take than that their them then there these
they thing think this those though three through thus together under until upon used using very want were what
when where whether which while whom whose will with within without word words would write your
""".split())
"""Words of four letters or more too common to tie an answer to a question."""


def _norm(word: str) -> str:
    """A word in the form compared: lower case, no possessive, singular (kulaks → kulak, treaties → treaty)."""
    word = word.casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")) and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _content(word: str) -> bool:
    """A word that can tie an answer to a question: four letters or more (a year counts) and not a common word."""
    return len(word) >= 4 and word not in COMMON


@dataclass
class _Words:
    """A text cut into words once: each word's normalized form, sentence and place in the text."""

    words: list[str]
    sentence: list[int]
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> _Words:
        words, sentence, spans, n = [], [], [], 0
        for match in _TOKEN.finditer(text):
            if match.group(2):
                n += 1
                continue
            # A hyphenated or dashed word is its parts: Five-Year is "five year".
            start = match.start()
            for part in _HYPHEN.split(match.group(1)):
                words.append(_norm(part))
                sentence.append(n)
                spans.append((start, start + len(part)))
                start += len(part) + 1
        return cls(words, sentence, spans)

    def around(self, start: int, end: int) -> set[str]:
        """The content words within WINDOW words of words[start:end], in the same sentence."""
        s = self.sentence[start] if start < len(self.sentence) else -1
        near = range(max(0, start - WINDOW), min(len(self.words), end + WINDOW))
        return {self.words[k] for k in near if (k < start or k >= end) and self.sentence[k] == s
                and _content(self.words[k])}

    def sentences(self) -> Iterator[tuple[int, set[str]]]:
        """Each sentence's first word and its content words."""
        k = 0
        while k < len(self.words):
            first = k
            while k < len(self.words) and self.sentence[k] == self.sentence[first]:
                k += 1
            yield first, {w for w in self.words[first:k] if _content(w)}


@dataclass(frozen=True)
class _Printed:
    """A text the student's handout prints outside the reading, the sources and the key terms."""

    path: Path_
    text: str  # as printed: a fill-in text with its blanks blanked out (offsets unchanged)
    item: int | None  # the worksheet item it belongs to (None: a discussion prompt)
    written: str  # as written in the file


@dataclass(frozen=True)
class _Answer:
    """An answer another text could give away: a blank, or a short model answer."""

    words: tuple[str, ...]  # normalized
    written: str
    item: int
    what: str  # "the answer to blank 2 of worksheet.items[5]"
    context: frozenset[str]  # content words of its question: around the blank, or the short answer's prompt


def _printed(lesson: m.Lesson) -> Iterator[_Printed]:
    for i, item, kind in _typed_items(lesson):
        for sub, written, shown in kind.printed(item):
            yield _Printed(_item_path(i) + sub, shown, i, written)
    for k, prompt in enumerate(lesson.prompts):
        yield _Printed(("prompts", k, "text"), prompt.text, None, prompt.text)


def _answers(lesson: m.Lesson) -> Iterator[_Answer]:
    cut: dict[str, _Words] = {}  # each text once: a fill-in's answers all share their text
    for i, item, kind in _typed_items(lesson):
        where = describe(_item_path(i))
        for answer in kind.answers(item):
            words = cut.get(answer.text)
            if words is None:
                words = cut[answer.text] = _Words.of(answer.text)
            if answer.start < 0:  # its question is the whole text
                context = frozenset(w for w in words.words if _content(w))
            else:  # its question is the words around it
                starts = [a for a, _ in words.spans]
                first, last = bisect.bisect_left(starts, answer.start), bisect.bisect_left(starts, answer.end)
                context = frozenset(words.around(first, last)) if first < last else frozenset()
            yield from _answer(answer.written, i, f"{answer.what} {where}", context)


def _answer(written: str, item: int, what: str, context: frozenset[str]) -> Iterator[_Answer]:
    words = tuple(_Words.of(written).words)
    if 0 < len(words) <= FACT_WORDS and any(_content(w) for w in words):
        yield _Answer(words, written, item, what, context - set(words))


def _answers_given(lesson: m.Lesson, source: SourceMap) -> Iterator[Finding]:
    """An answer printed in another text next to words of its own question, and a true/false statement whose
    every content word is printed in one sentence elsewhere: once per text, at up to MAX_PLACES texts each
    (items that silence answer-given are left out, as answers and as places). Every text is cut into words once;
    answers are found through an index of their first words and of their questions' words, statements through
    their rarest word, and an index entry whose answers are all reported is dropped, so the work stays linear
    in the texts' length."""
    quiet = [bool(item.lint and "answer-given" in item.lint.ignore) for item in _all_items(lesson)]
    groups: dict[tuple[str, ...], dict[str, list[_Answer]]] = {}  # an answer's words → a word of its question
    lengths: dict[str, set[int]] = {}  # an answer's first word → the lengths of the answers starting with it
    for answer in _answers(lesson):
        if not quiet[answer.item]:
            for word in answer.context:
                groups.setdefault(answer.words, {}).setdefault(word, []).append(answer)
            lengths.setdefault(answer.words[0], set()).add(len(answer.words))
    statements: dict[frozenset[str], list[int]] = {}  # a statement's content words → its true/false items
    for i, item, kind in _typed_items(lesson):
        statement = kind.statement(item)
        if statement is None:
            continue
        facts = frozenset(w for w in _Words.of(statement).words if _content(w))
        if len(facts) >= 3 and not quiet[i]:
            statements.setdefault(facts, []).append(i)
    if not groups and not statements:
        return
    printed = [(p, _Words.of(p.text)) for p in _printed(lesson) if p.item is None or not quiet[p.item]]
    places: dict[tuple[int, str], int] = {}  # (item, which answer) → the texts it was reported in so far
    for place, words in printed:
        told: set[tuple[int, str]] = set()  # answers reported in this text
        opened: set[tuple[tuple[str, ...], str]] = set()  # (answer, question word) entries used in this text
        for k, word in enumerate(words.words):
            for length in lengths.get(word, ()):
                if k + length > len(words.words):
                    continue
                phrase = tuple(words.words[k:k + length])
                group = groups.get(phrase)
                if group is None or words.sentence[k] != words.sentence[k + length - 1]:
                    continue
                for near in words.around(k, k + length):
                    bucket = group.get(near)
                    if bucket is None or (phrase, near) in opened:
                        continue
                    opened.add((phrase, near))
                    for answer in bucket:
                        key = (answer.item, answer.what)
                        if key not in told and places.get(key, 0) < MAX_PLACES:
                            told.add(key)
                            places[key] = places.get(key, 0) + 1
                            yield _given(place, words, k, source, answer.item,
                                         f'gives away "{answer.written}", {answer.what}')
                    if all(places.get((a.item, a.what), 0) >= MAX_PLACES for a in bucket):
                        del group[near]  # every answer in it is reported as often as it will be
    if not statements:
        return
    frequency: dict[str, int] = {}
    sentences = [(place, words, first, content) for place, words in printed for first, content in words.sentences()]
    for *_, content in sentences:
        for word in content:
            frequency[word] = frequency.get(word, 0) + 1
    index: dict[str, list[frozenset[str]]] = {}
    for facts in statements:
        rarest = min(facts, key=lambda w: (frequency.get(w, 0), w))
        if frequency.get(rarest, 0):
            index.setdefault(rarest, []).append(facts)
    seen: set[tuple[Path_, int]] = set()  # (text, statement) already reported
    for place, words, first, content in sentences:
        for word in content:
            for facts in index.get(word, ()):
                if facts not in statements or not facts <= content:
                    continue
                for i in statements[facts]:
                    key = (i, "")
                    if i != place.item and (place.path, i) not in seen and places.get(key, 0) < MAX_PLACES:
                        seen.add((place.path, i))
                        places[key] = places.get(key, 0) + 1
                        yield _given(place, words, first, source, i,
                                     f"states what true/false {describe(_item_path(i))} asks students to judge")
                if all(places.get((i, ""), 0) >= MAX_PLACES for i in statements[facts]):
                    del statements[facts]


def _given(printed: _Printed, words: _Words, k: int, source: SourceMap, item: int, what: str) -> Finding:
    where = describe(_item_path(item))
    owners = (item,) if printed.item is None or printed.item == item else (item, printed.item)
    path = printed.path
    if path[0] == "prompts" and path not in source.values:
        path = path[:-1]  # a prompt written as plain text, not text: and notes:
    return Finding("answer-given", path, f"{describe(path)}: {what}",
                    f"students can copy it from here instead of working it out: reword this text, or change {where}; "
                    + _silence("answer-given", where), owners, _locate(source, printed, words.spans[k]))


def _locate(source: SourceMap, printed: _Printed, span: tuple[int, int]) -> tuple[int, int] | None:
    """Where a word of a text is written in the file: the same occurrence of it, counted from the text's start.
    (A folded or quoted text may break lines anywhere, so the word, not the phrase, is looked for.)"""
    word = printed.written[span[0]:span[1]]
    pattern = _whole_word(word)
    nth = bisect.bisect_left(_starts(printed.written, word), span[0])
    line, col = source.value_pos(printed.path)
    for n in range(line, min(len(source.lines), line + 5000) + 1):
        text = source.line_text(n)
        for match in pattern.finditer(text, col - 1 if n == line else 0):
            if nth == 0:
                return n, match.start() + 1
            nth -= 1
    return None


@lru_cache(maxsize=4096)
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])")


@lru_cache(maxsize=4096)
def _starts(text: str, word: str) -> tuple[int, ...]:
    """Where ``word`` stands as a whole word in ``text`` (a long text's answers are each found once, not once per
    finding)."""
    return tuple(match.start() for match in _whole_word(word).finditer(text))


# -- helpers --------------------------------------------------------------------------------------------


def _all_items(lesson: m.Lesson) -> list:
    return list(lesson.worksheet.items) if lesson.worksheet else []


def _typed_items(lesson: m.Lesson) -> Iterator[tuple[int, Any, Any]]:
    """Each worksheet item with its place and its type (:class:`lessonpack.items.base.ItemType`)."""
    from ..plugins import item_types

    types = item_types()
    return ((i, item, types[item.type]) for i, item in enumerate(_all_items(lesson)))


_CHECKS = (_reading_grade, _no_objectives, _unused_terms, _answers_given, _item_lints, _repeated_questions,
           _source_order, _placed_order, _verse_lines, _sources_not_listed)
