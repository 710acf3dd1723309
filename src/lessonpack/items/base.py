"""What a worksheet item type is: one object that knows everything about its kind of question.

An item type is one module (see :mod:`lessonpack.items`) holding an :class:`ItemType`: its input model (the
keys a teacher writes), the rules that relate them, the question it plans for the handout model, its answer
in the key and in the grid of versions, its form fields and how ``collect`` marks them, what versions may
shuffle in it, its height on the page, the texts the teaching lints read, and how it is drawn in Word; its
HTML is one template macro (``items/<name>.html``) and its fixed words are labels (``type_<name>``…).

Everything else — validation, planning, paging, versions, the key, forms, the lints, the renderers — asks the
type through the registry (:func:`lessonpack.plugins.item_types`) and never names one. A third party adds a
type from its own package through the ``lessonpack.item_types`` entry points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Mapping

from ..handout.versions import Draw, derange
from ..handout.questions import Planning
from ..handout.views import NUMBERING, Question, Writing
from ..load.model import ItemModel, Lesson
from ..load.yamlsource import Path_
from ..text.labels import Labels, counted
from ..text.richtext import RichText, Span, inline

if TYPE_CHECKING:
    from ..handout.paging import Measures
    from ..load.lints import Finding, LintContext
    from ..load.validate import ItemCheck

@dataclass(frozen=True)
class Answer:
    """An answer another text on the student's sheet could give away (the ``answer-given`` lint): ``written`` as
    the key has it, ``what`` it is, ending where the item's place follows ("the answer to blank 2 of", "the model
    answer to"), and the words of its question — the words around ``text[start:end]``, or (``start`` -1) every
    word of ``text``."""

    written: str
    what: str
    text: str
    start: int = -1
    end: int = -1


class ItemType:
    """One kind of worksheet question. Subclass it, give it a ``name`` and a ``model`` (a subclass of
    :class:`~lessonpack.load.model.ItemModel` whose ``type`` is ``Literal[name]``), and override what the kind
    needs; the defaults fit a question that is just a prompt."""

    name: ClassVar[str] = ""
    model: ClassVar[type[ItemModel]]
    template_source: ClassVar[str] = ""  # its macro ``draw(q, h)``, when not in lessonpack's templates/items/
    css: ClassVar[str] = ""  # styles for its markup, added after lessonpack's own
    read_by_teacher: ClassVar[bool] = False  # marked by reading: later versions' keys point to version A's
    shuffle_seed: ClassVar[str] = "inner"  # the last part of the seed of its inner order's shuffle
    labels: ClassVar[Mapping[str, Mapping[str, str]]] = {}  # its own fixed words, by language ("en": {...})
    lint_names: ClassVar[Mapping[str, str]] = {}  # the teaching lints it adds: name → what it warns about
    skeleton: ClassVar[str] = ""  # how `lessonpack new` shows it (YAML, indented as a worksheet item)
    # Its skeleton names a file the teacher must add first (a picture): `lessonpack new` shows it commented out,
    # so that a new lesson checks clean before the file exists.
    skeleton_needs_files: ClassVar[bool] = False
    # Answered on paper, not in the fillable PDF (a drawing cannot be typed): the form has no field for it, and
    # `collect` reports it as marked by hand.
    on_paper: ClassVar[bool] = False

    @property
    def example(self) -> str:
        """The keys a teacher writes for this type, shown in error hints."""
        return getattr(self.model, "example", "")

    # -- validation ---------------------------------------------------------------------------------------

    def rules(self, item: Any, check: ItemCheck) -> None:
        """Report, through ``check``, what relates the item's keys to each other (an answer among its choices)."""

    def pictures(self, item: Any) -> Iterator[tuple[Path_, str]]:
        """The pack pictures the item names (its key below the item, the file as written), read and checked with
        the lesson's other pictures when the pack is loaded (:func:`lessonpack.load.images.lesson_images`) and
        given to :meth:`plan` as ``p.images``."""
        return iter(())

    # -- the handout ----------------------------------------------------------------------------------------

    def plan(self, item: Any, base: dict, p: Planning) -> Question:
        """The item as printed: a :class:`~lessonpack.handout.views.Question` (or a subclass with the type's own
        fields) made from ``base`` (number, label, kind, points, the source line…) and what the type adds."""
        return Question(**base, prompt=inline(getattr(item, "prompt", None)))

    def height(self, m: Measures, q: Question) -> float:
        """The estimated height, in points, of what the type prints below its prompt besides writing lines."""
        return 0.0

    def writings(self, q: Question) -> list[Writing]:
        """Every run of writing lines the question prints (the form puts a text box over each)."""
        return [q.writing] if q.writing is not None else []

    def writing_keys(self, item: Any) -> list[Path_]:
        """Where each run of :meth:`writings` is written in the item, in the same order: the key its ``lines:``
        and ``answer:`` are under (``()``: the item itself), for the warnings about them."""
        return [()]

    def key_answer(self, q: Question, labels: Labels) -> RichText | str:
        """The answer as the answer key prints it (the teacher's question, answers filled in): rich text, so that
        formulas, sub- and superscripts print as they do everywhere else (a plain string prints as it stands)."""
        return labels["answers_vary"]

    def grid_answer(self, q: Question, labels: Labels, written: int) -> RichText | str:
        """The answer as short as it goes, for the grid of every version's answers (``written``: the item's
        1-based place in the written order, which version A's key follows)."""
        if self.read_by_teacher:
            return labels["grid_open"].format(kind=labels[f"type_{self.name}"], n=written)
        return self.key_answer(q, labels)

    # -- versions -------------------------------------------------------------------------------------------

    def arranged(self, item: Any, lesson: Lesson) -> list[str]:
        """The list the item's inner order arranges (choices, options, events…); empty: nothing to arrange."""
        return []

    def written_order(self, item: Any, lesson: Lesson, seed: str) -> tuple[int, ...]:
        """Version A's (and a build without versions') inner order: the written order, or deranged."""
        values = self.arranged(item, lesson)
        return tuple(derange(values, f"{seed}/{self.shuffle_seed}")) if values else ()

    def shuffled_order(self, item: Any, lesson: Lesson, seed: str, written: tuple[int, ...]) -> tuple[int, ...]:
        """A later version's inner order (``written``: version A's, which ``shuffle_choices: false`` keeps)."""
        values = self.arranged(item, lesson)
        if not values or not getattr(item, "shuffle_choices", True):
            return written
        return tuple(derange(values, f"{seed}/{self.shuffle_seed}"))

    def version_order(self, item: Any, lesson: Lesson, draw: Draw, written: tuple[int, ...]) -> tuple[int, ...]:
        """A later version's inner order, drawn from ``draw`` (``written``: version A's). By default a fresh
        :meth:`shuffled_order` from the draw's seed; a type that plans its order across versions (multiple choice
        moves its answer round the letters) overrides this and reads ``draw.item_seed`` and ``draw.version``."""
        return self.shuffled_order(item, lesson, draw.seed, written)

    # -- Word edits brought back (lessonpack import) -------------------------------------------------------

    def lesson_fields(self, item: Any, lesson: Lesson, at: tuple, printed: tuple,
                      inner: tuple[int, ...]) -> list[tuple]:
        """The lesson fields a field of the item's Word drawing stands for: ``printed`` is its path within the item
        as the document's version prints it (a bookmark of :mod:`lessonpack.render.docx.marks`), ``at`` the
        item's own path in the lesson (``("worksheet", "items", 3)``), ``inner`` the version's order of the list
        :meth:`arranged` gives. By default the field is the item's own, as printed; a type whose Word drawing
        marks a shuffled list or text taken from elsewhere (a matching's options, a word bank) says where each
        comes from. Empty: no field of the lesson."""
        return [at + printed]

    # -- the fillable PDF and collect -------------------------------------------------------------------------

    def with_fields(self, q: Question, labels: Labels, field: str, title: str,
                    pages: Mapping[str, tuple[int, ...]]) -> Question:
        """The question with the names of the form fields of its own parts (choices, blanks, rows…) and what a
        screen reader says for each (``field``: the question's own, such as ``q3``; ``title``: what a screen
        reader says for the question; ``pages``: how many lines of each run of writing lines each page holds, by
        the run's field name); its writing lines (``q.writing``) have theirs already."""
        return q

    def marking(self, q: Question, field: str) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
        """From the teacher's question (its form fields named from ``field``, such as ``q3``): each field that
        scores and the answers it accepts (None: the question is marked by reading, not by collect)."""
        return None

    def right(self, value: str, accepted: tuple[str, ...]) -> bool:
        """Whether a field's value, as a student filled it in, is right, given the answers :meth:`marking` says
        it accepts: by default one of them, ignoring case, extra spaces and a final full stop."""
        return same_text(value, accepted)

    # -- the teaching lints -----------------------------------------------------------------------------------

    def asks(self, item: Any) -> str | None:
        """The question the item asks, for the lint that finds a question asked twice (None: not compared)."""
        return None

    def printed(self, item: Any) -> Iterator[tuple[Path_, str, str]]:
        """Every text the student's sheet prints for the item, for the lint that finds an answer printed
        elsewhere: (its key below the item, the text as written, the text as printed — a blank's answer is
        blanked out, the offsets unchanged)."""
        prompt = getattr(item, "prompt", None)
        if prompt:
            yield ("prompt",), prompt, prompt

    def answers(self, item: Any) -> Iterator[Answer]:
        """Short answers of the item that another text could give away (blanks, a short model answer)."""
        return iter(())

    def statement(self, item: Any) -> str | None:
        """A statement students judge (true or false), which a sentence elsewhere could state outright."""
        return None

    def lints(self, item: Any, lint: LintContext) -> Iterator[Finding]:
        """The teaching lints about this kind of item alone (the lesson-wide ones run for every item)."""
        return iter(())

    # -- Word ---------------------------------------------------------------------------------------------------

    def draw_word(self, d: Any, q: Question) -> list:
        """Draw what the question prints below its prompt in a Word document, with the drawer ``d``
        (:class:`lessonpack.render.docx.draw.Drawer`); return the paragraphs drawn, in order, so the drawer
        can keep the question together as the model says (:attr:`Question.keep_whole`): rows of a table drawn with
        ``d.table`` and ``d.row`` are kept together, each row whole, and with the prompt, by the drawer."""
        writings = self.writings(q)
        # One model answer: the item's ``answer`` (its lines marked for lessonpack import; render/docx/marks.py).
        path = ("worksheet", "items", q.number - 1, "answer") if len(writings) == 1 else ()
        return [p for writing in writings for p in d.writing(writing, path=path)]


# -- helpers the types share ----------------------------------------------------------------------------


ITEM_INDENT = 9 * 72 / 25.4
"""A question's indent in points (base.css: 9 mm), after which what an item prints (a picture) starts: a picture
as wide as the text less this fits beside the question's number in both formats."""


def normal_text(text: str) -> str:
    """An answer as collect compares it: spaces collapsed, capitals ignored, no final full stop."""
    return " ".join(text.split()).casefold().rstrip(".")


def same_text(value: str, accepted: tuple[str, ...]) -> bool:
    """Whether ``value`` is one of the ``accepted`` answers, ignoring case, extra spaces and a final full stop."""
    return normal_text(value) in {normal_text(a) for a in accepted}


def hidden_repeats(lint: LintContext, setting: Any, answers: list[str], places: list[Path_], noun: str, *,
                   fold: bool = False, written: tuple[str, list[int]] | None = None) -> Iterator[Finding]:
    """The ``bank-repeats`` lint of a word bank (``setting``: the item's ``word_bank:``): an answer that fills
    several of its places (blanks, labels: ``places[k]`` is where answer ``k`` is written) but that the default
    bank lists once, so students told each word is used once may not use it again. Shown at the second place that
    needs it (``written``: the text all places are in and where each starts in it, to show the place itself). ``fold``:
    the bank lists answers that differ only in capitals and spaces once (a diagram's)."""
    from ..load.model import bank_repeats

    seen: dict[str, list[int]] = {}
    for k, answer in enumerate(answers):
        seen.setdefault(" ".join(answer.split()).casefold() if fold else answer.strip(), []).append(k)
    repeated = [places_of for places_of in seen.values() if len(places_of) > 1]
    if bank_repeats(setting):
        if repeated:  # listed once for each place: the bank shows how many places a word fills
            words = [f'"{answers[places_of[0]].strip()}" {_times(len(places_of))}' for places_of in repeated]
            listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
            first = repeated[0]
            at = lint.locate(places[first[1]], written[0], written[1][first[1]]) if written else None
            yield lint.finding("bank-count", places[first[1]],
                               f"the word bank lists {listed}, so it tells students how many {noun}s "
                               f"{'it fills' if len(words) == 1 else 'each fills'}",
                               "that is what word_bank: {repeat: true} does; write word_bank: true to list each word "
                               "once and keep the count to the students' own reading", position=at)
        return
    for places_of in repeated:
        word, n = answers[places_of[0]].strip(), len(places_of)
        numbers = ", ".join(str(k + 1) for k in places_of[:-1]) + f" and {places_of[-1] + 1}"
        second = places_of[1]
        at = lint.locate(places[second], written[0], written[1][second]) if written else None
        yield lint.finding("bank-repeats", places[second],
                           f'the word bank lists "{word}" once, though {n} {noun}s need it ({noun}s {numbers}), so '
                           f"students may think it is used once",
                           "write word_bank: {repeat: true} to list it once for each " + noun + " that needs it",
                           position=at)


def _times(n: int) -> str:
    return {2: "twice", 3: "three times"}.get(n, f"{n} times")


def listed_answers(answers: list[tuple[str, RichText]], sep: str = "; ") -> RichText:
    """Numbered answers in one line of the key, as rich text: "1. H₂O; 2. ½" (each answer drawn as written)."""
    out: list[Span] = []
    for k, (mark, answer) in enumerate(answers):
        out += [Span((sep if k else "") + mark), *answer]
    return tuple(out)


def points_label(labels: Labels, points: float) -> str:
    return counted(labels, "points", points)


def numbered(kind: str, **values: Any) -> str:
    """A list label as the model numbers it (:data:`~lessonpack.handout.views.NUMBERING`)."""
    return NUMBERING[kind].format(**values)
