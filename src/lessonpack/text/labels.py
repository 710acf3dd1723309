"""Label catalogues: the fixed words of a handout ("Name", "Answer key"…) in the lesson's language, lessonpack's
own (``data/labels/<code>.yaml``) with a pack's additions or changes over them (``labels/<code>.yaml`` in the
pack, read and checked by :mod:`..load.packlabels`), and the one function that counts with them
(:func:`counted`: "1 point", "2 points", by each language's plural rule)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, Sequence

import yaml

from ..version import DATA
from .typography import set_spaces

FALLBACK = "en"


class Catalogue(Mapping[str, str]):
    """A label catalogue: its words by key, and the language they are in (which :func:`counted` counts by)."""

    def __init__(self, words: Mapping[str, str], language: str):
        self._words = dict(words)
        self.language = language

    def __getitem__(self, key: str) -> str:
        return self._words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def __repr__(self) -> str:
        return f"Catalogue({self.language!r}, {len(self._words)} labels)"


Labels = Mapping[str, str]


def _words(data: Mapping, code: str) -> dict[str, str]:
    """A catalogue's values as printed: YAML's true/false keys as the words, each value's spaces set in its
    language (French's no-break spaces before : ; ! ?, see :func:`..text.typography.set_spaces`)."""
    return {str(k).lower() if isinstance(k, bool) else str(k): set_spaces(str(v), code) for k, v in data.items()}


@lru_cache(maxsize=None)
def _catalogue(code: str) -> Labels | None:
    try:
        text = (DATA / "labels" / f"{code}.yaml").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return MappingProxyType(_words(yaml.safe_load(text), code))


def english() -> Labels:
    """lessonpack's English catalogue: every key a catalogue has."""
    found = _catalogue(FALLBACK)
    assert found is not None
    return found


PLACEHOLDER = re.compile(r"\{(\w*)\}")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders a label's text fills in."""
    return set(PLACEHOLDER.findall(text))


def available() -> list[str]:
    """Language codes that have a catalogue."""
    folder = DATA / "labels"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def labels_for(language: str, pack: Mapping[str, Mapping[str, str]] | None = None) -> tuple[Labels, str | None]:
    """The catalogue for a BCP 47 tag (``es-MX`` uses ``es``), and a warning when falling back to English. Item
    types a package adds bring their own words (``ItemType.labels``), in this language or else in English.
    ``pack``: the pack's own catalogues by language (``labels/<code>.yaml``, checked when the pack was read),
    whose words are printed instead of lessonpack's; a pack's catalogue for a language lessonpack has none for
    has every key (the check says so), so it needs no fallback."""
    primary = language.split("-")[0].lower()
    pack = pack or {}
    own = pack.get(language.lower()) or pack.get(primary)
    found = _catalogue(primary)
    if found is not None or own:
        base = _with_item_labels(primary if found is not None else FALLBACK)
        return Catalogue({**base, **_words(own or {}, primary)}, primary), None
    return Catalogue(_with_item_labels(FALLBACK), FALLBACK), (
        f'no handout labels for language "{language}"; using English (available: {", ".join(available())})')


@lru_cache(maxsize=None)
def _with_item_labels(code: str) -> Labels:
    from ..plugins import item_types

    own = _catalogue(code)
    assert own is not None
    added: dict[str, str] = {}
    for item_type in item_types().values():
        words = item_type.labels.get(code) or item_type.labels.get(FALLBACK) or {}
        added.update({k: v for k, v in words.items() if k not in own})
    return MappingProxyType({**own, **added}) if added else own


def _listen() -> None:
    from ..plugins import on_change

    on_change(_with_item_labels.cache_clear)


_listen()


def number(value: float) -> str:
    """A count as printed: 2, 0.5, 1.5 (no trailing .0)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


_SINGULAR_BELOW_TWO = frozenset({"fr", "pt", "hy", "kab", "ff"})
"""Languages whose "one" form counts everything below 2 (CLDR: integer part 0 or 1): French says "0 point",
"1,5 point". Every other catalogue's "one" is for exactly 1 ("1 point", "0 points", "1.5 points")."""


def plural(language: str, n: float) -> str:
    """The plural form (CLDR's category, "one" or "other") a count takes in a language."""
    if language.split("-")[0].lower() in _SINGULAR_BELOW_TWO:
        return "one" if 0 <= n < 2 else "other"
    return "one" if n == 1 else "other"


def counted(labels: Labels, key: str, n: float) -> str:
    """A counted label: ``labels[key + "_one"]`` or ``key + "_other"`` by the catalogue's language's plural rule
    (:func:`plural`), with ``{n}`` filled in. Every count printed on a handout goes through here."""
    form = plural(getattr(labels, "language", FALLBACK), n)
    return labels[f"{key}_{form}"].format(n=number(n))


def listed(labels: Labels, names: Sequence[str]) -> str:
    """Names joined as the language lists them: "A", "A and D", "A, B and D" (``list_and``)."""
    if len(names) < 2:
        return "".join(names)
    return labels["list_and"].format(first=", ".join(names[:-1]), last=names[-1])


def use_sources(labels: Labels, ids: Sequence[str]) -> str:
    """The line that sends students to the sources a question uses: "Use Source A." or "Use Sources A and D."
    ("" for none)."""
    if not ids:
        return ""
    if len(ids) == 1:
        return labels["use_source"].format(id=ids[0])
    return labels["use_sources"].format(ids=listed(labels, ids))
