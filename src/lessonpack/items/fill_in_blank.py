"""Fill in the blanks: a text with numbered blanks (``[[answer]]`` or ``[[answer|other accepted answer]]``),
and a word bank of the answers and the author's distractors.

Every blank of a question is as wide as the longest answer needs by hand, so the length of a blank gives no
answer away. Versions shuffle the word bank; the form has a text box on each blank; ``collect`` accepts any of
a blank's answers, ignoring case and extra spaces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Annotated, Iterator, Literal

from pydantic import Field

from .. import limits
from ..handout.views import Question
from ..load.model import ItemModel, NonBlank, Text, WordBank, bank_repeats, scan_blanks
from ..text.richtext import GAP, RichText, Span, inline, inline_pieces, plain, typographic
from .base import Answer, ItemType, Planning, hidden_repeats, listed_answers


class FillInBlank(ItemModel):
    """fill_in_blank: a text with [[blanks]] and a word bank."""

    example = "text: \"... [[answer]] ...\""
    type: Literal["fill_in_blank"]
    text: NonBlank = Field(description="The text, each missing word in double square brackets: [[answer]] or "
                                       "[[answer|other accepted answer]]. Quote the text when it starts with [[.")
    word_bank: WordBank = Field(True, description="true (default): print the answers in a box, each once; "
                                                  "{repeat: true}: an answer that fills several blanks is listed "
                                                  "once for each; false: leave the box out.")
    extra: Annotated[list[NonBlank], Field(max_length=limits.MAX_BLANKS)] = Field(
        [], description="Wrong words shuffled into the word bank, so the last blank is not filled by elimination.")
    prompt: Text | None = Field(None, description="An instruction above the text.")
    shuffle_choices: bool = Field(True, description="false: the word bank keeps version A's order in every "
                                                    "version.")

    def blanks(self) -> list[list[str]]:
        """Each blank's accepted answers, the first being the one shown in keys."""
        return [[alt.strip() for alt in inner.split("|")] for _, _, inner in scan_blanks(self.text).spans]

    def bank(self) -> list[str]:
        """The words of the bank before shuffling: each blank's answer, then the distractors, once each (with
        ``word_bank: {repeat: true}``, an answer once for each blank it fills)."""
        answers = [alternatives[0] for alternatives in self.blanks()]
        extra = [e.strip() for e in self.extra]
        if bank_repeats(self.word_bank):
            return answers + list(dict.fromkeys(e for e in extra if e not in answers))
        return list(dict.fromkeys(answers + extra))


@dataclass(frozen=True)
class Blank:
    """A gap in a fill-in text; ``width`` in character widths (the width of "0"), sized to the longest answer."""

    number: int
    width: int
    answer: str | None = None  # teacher edition only: the answer as written (the key lists it, drawn)
    accepted: tuple[str, ...] = ()  # every answer the blank accepts (teacher edition only; marks a filled form)
    shown: RichText = ()  # teacher edition only: the answer as drawn in the blank (a formula drawn, H~2~O as H₂O)
    field: str = ""  # the form field's name (the fillable edition): "q7.2"
    field_title: str = ""  # what a screen reader says for it: the question, and which blank


@dataclass(frozen=True)
class FillInQuestion(Question):
    """A fill-in question as printed: its text in pieces and blanks, and its word bank."""

    segments: tuple[RichText | Blank, ...] = ()
    word_bank: tuple[str, ...] = ()
    word_bank_label: str = ""


def blanked(text: str) -> str:
    """A fill-in text as printed: each blank replaced by spaces, so offsets still point into the text."""
    out = text
    for start, end, _ in scan_blanks(text).spans:
        out = out[:start] + " " * (end - start) + out[end:]
    return out


class FillInBlankType(ItemType):
    name = "fill_in_blank"
    model = FillInBlank
    shuffle_seed = "bank"
    lint_names = {"no-distractors": "a word bank or matching item has no distractors (extra:)",
                  "bank-repeats": "a word bank lists an answer once though it fills several blanks or labels",
                  "bank-count": "a word bank with repeat: true lists a word as often as it is used, showing the count"}
    skeleton = """\
- type: fill_in_blank
  prompt: <An instruction, such as Complete the sentence with a word from the box>
  text: "<The start of a sentence> [[<the missing words>]] <the end of the sentence>"
  extra:                              # wrong words for the word bank
    - <A wrong word for the word bank>
    - <Another wrong word for the word bank>
"""

    def rules(self, item: FillInBlank, check) -> None:
        scan = scan_blanks(item.text)
        if not scan.spans and not scan.unclosed:
            check.error(("text",), "no blank found in the text",
                        "mark each blank with double square brackets around its answer, e.g. "
                        "\"Stalin became [[general secretary]] in 1922.\"")
        if len(scan.spans) > limits.MAX_BLANKS:
            check.error(("text",), f"has {len(scan.spans):,} blanks; the limit for one fill-in item is "
                        f"{limits.MAX_BLANKS}", "split the text into several fill-in items")
            return
        inner = [alt for alternatives in item.blanks() for alt in alternatives]
        if scan.unclosed:
            check.error(("text",), 'a blank is not closed: every "[[" needs a matching "]]"')
        elif any("[" in alt or "]" in alt for alt in inner):
            check.error(("text",), "a blank's answer contains a square bracket; write each blank as [[answer]]")
        if scan.stray_close:
            check.error(("text",), 'a "]]" has no matching "[[" before it')
        if item.extra and not item.word_bank:
            check.error(("extra",), "extra words go in the word bank, and word_bank is false",
                        "remove extra:, or set word_bank: true")
        check.extra_repeats(item.extra, [alts[0] for alts in item.blanks() if alts], "an answer")
        for n, alternatives in enumerate(item.blanks(), 1):
            if not any(alternatives):
                check.error(("text",), f"blank {n} is empty (write its answer between [[ and ]])")
            elif not all(alternatives):
                check.error(("text",), f'blank {n} has an empty alternative; separate answers with "|", '
                            "e.g. [[Five-Year Plan|five year plan]]")

    def plan(self, item: FillInBlank, base: dict, p: Planning) -> FillInQuestion:
        # The text is parsed whole, a gap standing for each blank, so that it gets the quotes and emphasis any
        # other text gets: "[[socialism in one country]]" curls its quotes round the blank.
        spans = scan_blanks(item.text).spans
        gapped, pos = [], 0
        for start, end, _ in spans:
            gapped += [item.text[pos:start], GAP]
            pos = end
        pieces = inline_pieces("".join(gapped) + item.text[pos:])
        segments: list[RichText | Blank] = [pieces[0]] if pieces[0] else []
        longest = 0
        for number, ((_, _, between), piece) in enumerate(zip(spans, pieces[1:]), 1):
            alternatives = [a.strip() for a in between.split("|")]
            longest = max(longest, max(len(a) for a in alternatives))
            # Printed with the typographer's quotes, as the text round it; a filled form is marked against
            # the answers as written (collect).
            segments.append(Blank(number, 0, typographic(alternatives[0]) if p.teacher else None,
                                  tuple(alternatives) if p.teacher else (),
                                  shown=inline(alternatives[0]) if p.teacher else ()))
            if piece:
                segments.append(piece)
        # Every blank of a question is as wide as the longest answer needs by hand (handwriting runs wider
        # than type): equal widths, so the length of a blank gives no answer away.
        width = max(12, math.ceil(longest * 1.3) + 2)
        segments = [replace(s, width=width) if isinstance(s, Blank) else s for s in segments]
        bank: tuple[str, ...] = ()
        if item.word_bank:  # the answers and the author's distractors, shuffled together
            unique = item.bank()
            bank = tuple(typographic(unique[i]) for i in p.inner)
        default = p.labels["do_fill_in_blank_bank" if bank else "do_fill_in_blank"]
        return FillInQuestion(**base, prompt=inline(item.prompt) or (Span(default),), segments=tuple(segments),
                              word_bank=bank, word_bank_label=p.labels["word_bank"] if bank else "")

    def height(self, m, q: FillInQuestion) -> float:
        inner = m.width - m.size * 2.2
        chars = sum(s.width if isinstance(s, Blank) else len(plain(s)) for s in q.segments)
        total = m.text(chars, inner, leading=2.3)
        if q.word_bank:
            total += m.line * (1 + math.ceil(sum(len(w) + 6 for w in q.word_bank) * m.size * m.char_em / inner)) * 1.3
        return total

    def key_answer(self, q: FillInQuestion, labels) -> RichText:
        return listed_answers([(f"{s.number}. ", inline(s.answer)) for s in q.segments if isinstance(s, Blank)])

    def arranged(self, item: FillInBlank, lesson) -> list[str]:
        return item.bank() if item.word_bank else []

    def with_fields(self, q: FillInQuestion, labels, field: str, title: str, pages) -> FillInQuestion:
        return replace(q, segments=tuple(
            replace(s, field=f"{field}.{s.number}",
                    field_title=f"{title} ({labels['field_blank'].format(n=s.number)})")
            if isinstance(s, Blank) else s for s in q.segments))

    def marking(self, q: FillInQuestion, field: str):
        return tuple((f"{field}.{s.number}", s.accepted) for s in q.segments if isinstance(s, Blank))

    def printed(self, item: FillInBlank) -> Iterator:
        if item.prompt:
            yield ("prompt",), item.prompt, item.prompt
        yield ("text",), item.text, blanked(item.text)
        for k, extra in enumerate(item.extra):
            yield ("extra", k), extra, extra

    def answers(self, item: FillInBlank) -> Iterator[Answer]:
        """Each blank's answers, with the words around the blank (in the text with each blank's first answer
        written in) as its question."""
        filled, marks, shift = item.text, [], 0
        for start, end, inner in scan_blanks(item.text).spans:
            first = inner.split("|")[0].strip()
            at = start + shift
            filled = filled[:at] + first + filled[end + shift:]
            marks.append((at, at + len(first)))
            shift += len(first) - (end - start)
        for n, ((start, end), alternatives) in enumerate(zip(marks, item.blanks()), 1):
            for alternative in dict.fromkeys(alternatives):
                yield Answer(alternative, f"the answer to blank {n} of", filled, start, end)

    def lints(self, item: FillInBlank, lint) -> Iterator:
        if item.word_bank:
            yield from hidden_repeats(lint, item.word_bank, [alts[0] for alts in item.blanks() if alts],
                                      [("text",)] * len(item.blanks()), "blank",
                                      written=(item.text, [start + 2 for start, _, _ in scan_blanks(item.text).spans]))
        if item.word_bank and not item.extra:
            yield lint.finding("no-distractors", ("extra",), "the word bank has no distractors, so the last blank "
                               "can be filled by elimination", "add extra: with one or two words that fit the topic "
                               "but no blank, e.g. extra: [Trotsky, Lenin]", whole_item=True)

    def lesson_fields(self, item: FillInBlank, lesson, at: tuple, printed: tuple,
                      inner: tuple[int, ...]) -> list[tuple]:
        """The k-th word of the bank as printed is the version's k-th of :meth:`FillInBlank.bank`: a distractor
        (its ``extra:`` entry), or an answer: the answer shown first in every blank it fills."""
        if printed[:1] != ("bank",) or len(printed) != 2 or not isinstance(printed[1], int):
            return super().lesson_fields(item, lesson, at, printed, inner)
        if printed[1] >= len(inner):
            return []
        bank = item.bank()
        src = inner[printed[1]]
        if src >= len(bank):
            return []
        answers = [alternatives[0] for alternatives in item.blanks()]
        if bank_repeats(item.word_bank) and src < len(answers):
            return [at + ("text", ("b", src))]
        word = bank[src]
        if word in answers:
            return [at + ("text", ("b", n)) for n, answer in enumerate(answers) if answer == word]
        return [at + ("extra", j) for j, extra in enumerate(item.extra) if extra.strip() == word][:1]

    def draw_word(self, d, q: FillInQuestion) -> list:
        out = []
        at = ("worksheet", "items", q.number - 1)  # the item as printed: its marks (marks.py)
        if q.word_bank:
            out.append(d.word_bank(q.word_bank_label, q.word_bank, at))
        p = d.para(d.S.FILL_IN)

        def draw() -> None:
            for segment in q.segments:  # the model keeps the spaces around each blank
                if isinstance(segment, Blank):
                    d.blank(p, segment.number, segment.width, segment.shown or None,
                            at + ("text", ("b", segment.number - 1)))
                else:
                    d.runs(p, segment)

        d.marked_with(p, at + ("text",), draw)  # the text, its blanks (and their answers) in it
        return out + [p]


TYPE = FillInBlankType()
