"""Matching: numbered left-hand entries, each matched with a lettered option on the right (its own pairs, or the
lesson's key terms with their definitions), with distractors among the options.

The model decides how the table is laid out — which rows pair which entries, and each column's share of the
width — so the PDF, Word and the height estimate agree. Versions derange the options; the form has a
one-letter box on each row; ``collect`` marks each row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Iterator, Literal

from pydantic import Field

from ..handout.views import Choice, Question
from ..load.model import LETTERS, MAX_MATCHING, ItemModel, NonBlank, Strict, Text, Whole
from ..text.richtext import RichText, Span, inline, plain
from .base import ItemType, Planning, numbered


class Pair(Strict):
    """One pair to match."""

    left: NonBlank = Field(description="The left-hand entry.")
    right: NonBlank = Field(description="Its partner on the right (the right-hand column is shuffled).")


class Matching(ItemModel):
    """matching: students match each left-hand entry with its partner."""

    example = "prompt: ..., pairs: [{left: ..., right: ...}, ...] or from_key_terms: true"
    type: Literal["matching"]
    prompt: Text | None = Field(None, description="An instruction.")
    pairs: Annotated[list[Pair], Field(min_length=2, max_length=26)] | None = Field(
        None, description="2 to 26 pairs, each with left: and right: (or use from_key_terms: true).")
    from_key_terms: bool = Field(False, description="true: match the lesson's key terms with their definitions, "
                                                    "instead of pairs:.")
    count: Annotated[int, Field(ge=2, le=26), Whole] | None = Field(
        None, description="With from_key_terms: how many key terms to use, from the top of key_terms (2 to 26).")
    extra: Annotated[list[NonBlank], Field(max_length=24)] = Field(
        [], description="Right-hand options that match nothing, shuffled in with the others.")
    shuffle_choices: bool = Field(True, description="false: the right-hand options keep version A's order in every "
                                                    "version.")

    def matched(self, lesson) -> list[tuple[str, str]]:
        """The (left, right) pairs: its own, or the lesson's first key terms."""
        if self.pairs:
            return [(p.left, p.right) for p in self.pairs]
        return [(t.term, t.definition) for t in lesson.key_terms[: self.count or len(lesson.key_terms)]]


@dataclass(frozen=True)
class MatchRow:
    """A numbered left-hand entry, with the line for its partner's letter."""

    number: int
    label: str  # "1."
    text: RichText
    answer: str | None = None  # the letter, teacher edition only
    field: str = ""  # the form field's name (the fillable edition): "q5.2"
    field_title: str = ""  # what a screen reader says for it: "9. 2. Central Committee"


SLOT_EMS = 3.4
"""The width of the line a student writes a letter on, in ems of body text."""


@dataclass(frozen=True)
class MatchingQuestion(Question):
    """A matching question as printed: its rows, each pairing a left-hand entry (or none) with an option (or
    none), and the width each column takes (the letter's line, the entries, the options: shares of the room
    beside the question's number)."""

    left: tuple[MatchRow, ...] = ()  # the entries, in order (the key and the form read them)
    rows: tuple[tuple[MatchRow | None, Choice | None], ...] = ()
    widths: tuple[float, float, float] = (0.12, 0.38, 0.5)


def column_shares(left: tuple[MatchRow, ...], size: float, room: float) -> tuple[float, float, float]:
    """The columns' shares of ``room`` points: the letter's line, then the entries (as wide as their longest word
    needs, within 32–45 % of what is left, so no "totalitarianis-m"), then the options."""
    slot = size * SLOT_EMS
    longest = max((len(w) for row in left for w in plain(row.text).split()), default=8)
    wanted = size * (0.62 * longest + 1.8 + 1.2)
    rest = room - slot
    entries = min(max(wanted, rest * 0.32), rest * 0.45)
    return slot / room, entries / room, (rest - entries) / room


class MatchingType(ItemType):
    name = "matching"
    model = Matching
    shuffle_seed = "right"
    lint_names = {"no-distractors": "a word bank or matching item has no distractors (extra:)",
                  "glossary-copy": "a matching meaning is copied word for word from the glossary"}
    skeleton = """\
- type: matching
  prompt: <An instruction, such as Match each leader with his country>
  pairs:
    - left: <The first thing to match>
      right: <The first thing's partner>
    - left: <The second thing to match>
      right: <The second thing's partner>
  extra:                              # right-hand options that match nothing
    - <An option that matches nothing>
"""

    def rules(self, item: Matching, check) -> None:
        n_terms = check.key_terms
        if item.pairs and item.from_key_terms:
            check.error((), "use either pairs: or from_key_terms: true, not both")
        elif not item.pairs and not item.from_key_terms:
            check.error((), "a matching item needs pairs: [{left: ..., right: ...}] or from_key_terms: true")
        if item.count is not None and not item.from_key_terms:
            check.error(("count",), "count applies only with from_key_terms: true")
        if item.from_key_terms and not item.pairs:
            if n_terms < 2:
                check.error(("from_key_terms",), f"from_key_terms needs at least 2 key terms; this lesson has "
                            f"{n_terms}", "add key_terms: entries, or write the pairs: yourself")
            elif item.count is not None and item.count > n_terms:
                check.error(("count",), f"count is {item.count} but the lesson has only {n_terms} key terms",
                            f"lower count to {n_terms} or less, or add key terms")
            elif item.count is None and n_terms > MAX_MATCHING:
                check.error(("from_key_terms",), f"the lesson has {n_terms} key terms; a matching item takes at most "
                            f"{MAX_MATCHING}", f"add count: (2–{MAX_MATCHING}) to use the first key terms only")
        if item.pairs:
            check.repeats([p.left for p in item.pairs], ("pairs",), "left-hand side", field="left", severity="warning")
            check.repeats([p.right for p in item.pairs], ("pairs",), "right-hand side", field="right",
                          severity="warning")
            check.extra_repeats(item.extra, [p.right for p in item.pairs], "a right-hand side")
        rights = len(item.pairs) if item.pairs else (item.count or n_terms)
        if item.extra and rights + len(item.extra) > MAX_MATCHING:
            check.error(("extra",), f"{rights} options and {len(item.extra)} extra make {rights + len(item.extra)}; "
                        f"a matching item has at most {MAX_MATCHING} lettered options", "remove some extra options")

    def plan(self, item: Matching, base: dict, p: Planning) -> MatchingQuestion:
        pairs = item.matched(p.lesson)
        options = [r for _, r in pairs] + list(item.extra)  # the distractors are lettered options, never answers
        letter_of = {src: LETTERS[i] for i, src in enumerate(p.inner)}
        right = tuple(Choice(LETTERS[i], numbered("match_right", L=LETTERS[i]), inline(options[src]))
                      for i, src in enumerate(p.inner))
        left = tuple(MatchRow(n + 1, numbered("match_left", n=n + 1), inline(text),
                              letter_of[n] if p.teacher else None) for n, (text, _) in enumerate(pairs))
        rows = tuple((left[i] if i < len(left) else None, right[i] if i < len(right) else None)
                     for i in range(max(len(left), len(right))))
        room = p.context.text_width - p.context.size * 2.2
        return MatchingQuestion(**base, prompt=inline(item.prompt) or (Span(p.labels["do_matching"]),), left=left,
                                rows=rows, widths=column_shares(left, p.context.size, room))

    def height(self, m, q: MatchingQuestion) -> float:
        inner = m.width - m.size * 2.2
        total = 0.0
        for left, right in q.rows:
            total += max(m.rich(left.text, inner * q.widths[1]) if left else 0,
                         m.rich(right.text, inner * q.widths[2]) if right else 0, m.line) + m.size * 0.25
        return total

    def key_answer(self, q: MatchingQuestion, labels) -> str:
        return ", ".join(f"{row.number}–{row.answer}" for row in q.left)

    def arranged(self, item: Matching, lesson) -> list[str]:
        return [right for _, right in item.matched(lesson)] + list(item.extra)

    def with_fields(self, q: MatchingQuestion, labels, field: str, title: str, pages) -> MatchingQuestion:
        left = tuple(replace(row, field=f"{field}.{row.number}", field_title=f"{q.label} {row.label} {plain(row.text)}")
                     for row in q.left)
        by_number = {row.number: row for row in left}
        rows = tuple((by_number[l.number] if l else None, r) for l, r in q.rows)
        return replace(q, left=left, rows=rows)

    def marking(self, q: MatchingQuestion, field: str):
        return tuple((f"{field}.{row.number}", (row.answer or "",)) for row in q.left)

    def printed(self, item: Matching) -> Iterator:
        if item.prompt:
            yield ("prompt",), item.prompt, item.prompt
        for k, pair in enumerate(item.pairs or []):  # from_key_terms prints the key terms: the glossary's words
            yield ("pairs", k, "left"), pair.left, pair.left
            yield ("pairs", k, "right"), pair.right, pair.right
        for k, extra in enumerate(item.extra):
            yield ("extra", k), extra, extra

    def lints(self, item: Matching, lint) -> Iterator:
        if not item.extra:
            yield lint.finding("no-distractors", ("extra",), "the matching has no distractors, so the last pair can "
                               "be matched by elimination", "add extra: with one or two right-hand options that match "
                               "nothing on the left", whole_item=True)
        glossary: dict[str, str] = {}
        for term in lint.lesson.key_terms:
            glossary.setdefault(_definition(term.definition), term.term)
        for k, pair in enumerate(item.pairs or []):
            term = glossary.get(_definition(pair.right))
            if term is not None:
                yield lint.finding("glossary-copy", ("pairs", k, "right"), f'copies the key terms\' definition of '
                                   f'"{term}" word for word', "students can match it by finding the same words in "
                                   "the key terms, without understanding it: reword the meaning")

    def draw_word(self, d, q: MatchingQuestion) -> list:
        avail = d.geo.text_width - d.geo.indent
        widths = [round(avail * share, 1) for share in q.widths]
        table = d.table(widths, d.S.TABLE, indent=d.geo.indent)
        numbers = d.new_list(d.S.NUM_MATCH_NUMBERS, q.left[0].number if q.left else 1)
        letters = d.new_list(d.S.NUM_MATCH_LETTERS)
        out = []
        at = ("worksheet", "items", q.number - 1)  # the item as printed: its marks (marks.py, lesson_fields)
        for k, (left, right) in enumerate(q.rows):
            cells = d.row(table, widths).cells
            if left is not None:
                p = d.cell_para(cells[0], d.S.TABLE_TEXT)
                d.letter_slot(p, left.answer)
                out.append(p)
                p = d.cell_para(cells[1], d.S.MATCH_ITEM, num=numbers)
                d.marked_with(p, at + ("pairs", left.number - 1, "left"), lambda p=p, t=left.text: d.runs(p, t))
                out.append(p)
            if right is not None:
                p = d.cell_para(cells[2], d.S.MATCH_ITEM, num=letters)
                d.marked_with(p, at + ("right", k), lambda p=p, t=right.text: d.runs(p, t))
                out.append(p)
        return out  # the drawer keeps the rows together (or not) as the model says

    def lesson_fields(self, item: Matching, lesson, at: tuple, printed: tuple,
                      inner: tuple[int, ...]) -> list[tuple]:
        """A left-hand entry is its pair's ``left`` (or its key term's term); the k-th option as printed is the
        version's k-th of the pairs' ``right`` sides (or the key terms' definitions) and then ``extra:``."""
        count = len(item.matched(lesson))
        if printed[:1] == ("pairs",) and printed[2:] == ("left",) and isinstance(printed[1], int) \
                and printed[1] < count:
            return [at + printed] if item.pairs else [("key_terms", printed[1], "term")]
        if printed[:1] == ("right",) and len(printed) == 2 and isinstance(printed[1], int) \
                and printed[1] < len(inner):
            src = inner[printed[1]]
            if src >= count:
                return [at + ("extra", src - count)]
            return [at + ("pairs", src, "right")] if item.pairs else [("key_terms", src, "definition")]
        return super().lesson_fields(item, lesson, at, printed, inner)


def _definition(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(". ")


TYPE = MatchingType()
