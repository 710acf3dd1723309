"""Label catalogues: the fixed words of a handout ("Name", "Answer key"…) in the lesson's language."""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, Sequence

import yaml

from ..version import DATA

Labels = Mapping[str, str]
FALLBACK = "en"


@lru_cache(maxsize=None)
def _catalogue(code: str) -> Labels | None:
    try:
        text = (DATA / "labels" / f"{code}.yaml").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return MappingProxyType({str(k).lower() if isinstance(k, bool) else str(k): str(v)
                             for k, v in yaml.safe_load(text).items()})


def available() -> list[str]:
    """Language codes that have a catalogue."""
    folder = DATA / "labels"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def labels_for(language: str) -> tuple[Labels, str | None]:
    """The catalogue for a BCP 47 tag (``es-MX`` uses ``es``), and a warning when falling back to English. Item
    types a package adds bring their own words (``ItemType.labels``), in this language or else in English."""
    primary = language.split("-")[0].lower()
    found = _catalogue(primary)
    if found is not None:
        return _with_item_labels(primary), None
    assert _catalogue(FALLBACK) is not None
    return _with_item_labels(FALLBACK), (f'no handout labels for language "{language}"; using English '
                                         f"(available: {', '.join(available())})")


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


def counted(labels: Labels, key: str, n: float) -> str:
    """``labels[key + "_one"]`` for exactly 1, ``key + "_other"`` otherwise, with ``{n}`` filled in."""
    return labels[f"{key}_{'one' if n == 1 else 'other'}"].format(n=number(n))


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
