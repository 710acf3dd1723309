"""A pack's own label catalogues: ``labels/<code>.yaml`` in the pack, each word a handout prints in a language,
read through the guarded pack-file read and checked with positioned problems — a key that is no label, a text
that fills in other placeholders than lessonpack's, a catalogue for a language lessonpack has none for that
misses a key. What they say is printed instead of lessonpack's words (:func:`..text.labels.labels_for`)."""

from __future__ import annotations

from pathlib import Path

from .. import limits
from ..errors import Diagnostic, display_path
from ..text.labels import available, labels_for, placeholders
from .model import LANGUAGE_PATTERN
from .yamlsource import read_yaml

FOLDER = "labels"


def pack_labels(root: Path) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """The pack's catalogues by language code (lowercase), and every problem found in them. A catalogue with an
    error is left out (the pack does not build anyway)."""
    folder = root / FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return {}, []
    out: dict[str, dict[str, str]] = {}
    problems: list[Diagnostic] = []
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    if len(files) > limits.MAX_LABEL_CATALOGUES:
        problems.append(Diagnostic(display_path(folder), 1, 1, "error",
                                   f"{FOLDER}/ holds {len(files)} catalogues; a pack may have at most "
                                   f"{limits.MAX_LABEL_CATALOGUES}", "keep one file per language you print"))
        return {}, problems
    for path in files:
        words, found = _catalogue(path, root)
        problems += found
        if words is not None and not any(p.is_error for p in found):
            out[path.stem.lower()] = words
    return out, problems


def _catalogue(path: Path, root: Path) -> tuple[dict[str, str] | None, list[Diagnostic]]:
    shown = display_path(path)
    code = path.stem
    if not LANGUAGE_PATTERN.match(code):
        return None, [Diagnostic(shown, 1, 1, "error", f'"{path.name}" is not named by a language: a label '
                                 "catalogue is named by the BCP 47 tag of the language it is in",
                                 "rename it, e.g. labels/fr.yaml or labels/pt-BR.yaml")]
    doc = read_yaml(path, [root], display=shown, limit=limits.MAX_LABELS_BYTES, what="label catalogue")
    if doc.problems or doc.data is None:
        return None, doc.problems
    source = doc.source
    if not isinstance(doc.data, dict):
        return None, [source.diagnostic((), f"{shown}: a label catalogue is a list of `key: text` lines",
                                        hint="write one label a line, e.g. `answer_key: Corrigé`")]
    known = labels_for("en")[0]  # lessonpack's keys, and those of the item types a package adds
    problems: list[Diagnostic] = []
    words: dict[str, str] = {}
    for key, value in doc.data.items():
        name = str(key).lower() if isinstance(key, bool) else str(key)
        if name not in known:
            close = [k for k in known if k.startswith(name[:4])][:3] or list(known)[:3]
            problems.append(source.diagnostic((key,), f'"{name}" is not a label lessonpack prints',
                                              hint=f"use the keys of lessonpack's en.yaml, e.g. {', '.join(close)}",
                                              at_key=True))
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            problems.append(source.diagnostic((key,), f'"{name}": the label is a text',
                                              hint=f'write the words, e.g. {name}: "{known[name]}"'))
            continue
        text = str(value)
        wanted, written = placeholders(known[name]), placeholders(text)
        if wanted != written:
            problems.append(source.diagnostic((key,), f'"{name}": the text must fill in '
                                              f"{_listed(wanted) or 'no placeholder'}, as lessonpack's does "
                                              f"(it has {_listed(written) or 'none'})",
                                              hint=f'e.g. {name}: "{known[name]}", in your words'))
            continue
        words[name] = text
    primary = code.split("-")[0].lower()
    if primary not in available() and not problems:
        missing = [k for k in known if k not in words]
        if missing:
            problems.append(Diagnostic(shown, 1, 1, "error",
                                       f"the catalogue misses {len(missing)} label{'s' * (len(missing) != 1)} "
                                       f"({', '.join(missing[:5])}{', …' if len(missing) > 5 else ''}): lessonpack "
                                       f'has no words of its own in "{primary}" to print instead',
                                       "copy lessonpack's en.yaml (see docs/lesson-format.md) and translate "
                                       "every line"))
    return words, problems


def _listed(names: set[str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(names))


__all__ = ["FOLDER", "pack_labels"]
