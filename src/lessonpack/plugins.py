"""What lessonpack can be extended with, found once: output formats and worksheet item types.

lessonpack's own formats and item types are listed here by where they live; a package installed beside
lessonpack adds more through the entry-point groups ``lessonpack.formats`` and ``lessonpack.item_types``
(in its ``pyproject.toml``: ``[project.entry-points."lessonpack.formats"] epub = "mypkg.epub:EPUB"``). Each
entry names an object: an :class:`~lessonpack.render.formats.OutputFormat` or an
:class:`~lessonpack.items.base.ItemType`. They are imported when first asked for, not when lessonpack
starts, so ``lessonpack --help`` stays quick and a format's heavy library loads only for its documents.

A third party may also register one from code (:func:`register_format`, :func:`register_item_type`), as
the tests do. A name taken twice is an error that names both owners.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

from .errors import LessonpackError

FORMAT_GROUP = "lessonpack.formats"
ITEM_TYPE_GROUP = "lessonpack.item_types"

BUILTIN_FORMATS = {
    "pdf": "lessonpack.render.pdf:PDF",
    "docx": "lessonpack.render.docx:DOCX",
    "html": "lessonpack.render.html:HTML",
    "pdf-form": "lessonpack.render.pdf:PDF_FORM",
}
"""lessonpack's own output formats, in the order ``--help`` lists them."""

BUILTIN_ITEM_TYPES = {
    "multiple_choice": "lessonpack.items.multiple_choice:TYPE",
    "true_false": "lessonpack.items.true_false:TYPE",
    "short_answer": "lessonpack.items.short_answer:TYPE",
    "fill_in_blank": "lessonpack.items.fill_in_blank:TYPE",
    "matching": "lessonpack.items.matching:TYPE",
    "ordering": "lessonpack.items.ordering:TYPE",
    "essay": "lessonpack.items.essay:TYPE",
    "source_analysis": "lessonpack.items.source_analysis:TYPE",
    "numeric": "lessonpack.items.numeric:TYPE",
    "drawing": "lessonpack.items.drawing:TYPE",
    "label_diagram": "lessonpack.items.label_diagram:TYPE",
}
"""lessonpack's own worksheet item types, in the order the docs and the lesson skeleton show them."""

STYLE_DOCUMENTS = {
    "reference.docx": "lessonpack.render.docx.reference_tokens:tokens_from_reference",
}
"""Documents of an output format that a style folder may hold and whose styles become the style's tokens (Word's
reference document), each with the function that reads one (``(path, root, base tokens)`` → what it found): named
here, so that the styles read them without importing a renderer."""

_ADDED: dict[str, dict[str, Any]] = {FORMAT_GROUP: {}, ITEM_TYPE_GROUP: {}}


def _load(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def _installed(group: str) -> dict[str, metadata.EntryPoint]:
    return {entry.name: entry for entry in metadata.entry_points(group=group)}


def _names(group: str, builtin: dict[str, str]) -> list[str]:
    names = list(builtin)
    for name in [*_installed(group), *_ADDED[group]]:
        if name not in names:
            names.append(name)
    return names


@lru_cache(maxsize=None)
def _registry(group: str) -> dict[str, Any]:
    builtin = BUILTIN_FORMATS if group == FORMAT_GROUP else BUILTIN_ITEM_TYPES
    found: dict[str, Any] = {name: _load(spec) for name, spec in builtin.items()}
    for name, entry in _installed(group).items():
        if name in builtin and entry.value != builtin[name]:
            raise LessonpackError(f'error: the package that provides "{entry.value}" adds a {_what(group)} named '
                                  f'"{name}", which lessonpack has already: uninstall it, or ask its authors to '
                                  "rename it")
        try:
            found.setdefault(name, entry.load())
        except Exception as exc:  # an installed plug-in that cannot be imported: say which, and go on without it
            raise LessonpackError(f'error: the {_what(group)} "{name}" ({entry.value}) cannot be loaded: '
                                  f"{type(exc).__name__}: {exc}; reinstall or uninstall the package that adds "
                                  "it") from None
    for name, obj in _ADDED[group].items():
        found.setdefault(name, obj)
    for name, obj in found.items():
        if getattr(obj, "name", None) != name:
            raise LessonpackError(f'error: the {_what(group)} registered as "{name}" calls itself '
                                  f'"{getattr(obj, "name", None)}"; the two must be the same')
    return found


def _what(group: str) -> str:
    return "output format" if group == FORMAT_GROUP else "worksheet item type"


def formats() -> dict[str, Any]:
    """Every output format, by name: lessonpack's own, then those installed or registered."""
    return _registry(FORMAT_GROUP)


def output_format(name: str) -> Any:
    """One output format, importing only its own renderer; :class:`LessonpackError` for an unknown name."""
    if name in _ADDED[FORMAT_GROUP]:
        return _ADDED[FORMAT_GROUP][name]
    if name in BUILTIN_FORMATS:
        return _one(FORMAT_GROUP, name, lambda: _load(BUILTIN_FORMATS[name]))
    entry = _installed(FORMAT_GROUP).get(name)
    if entry is None:
        raise LessonpackError(f'error: there is no output format "{name}" (formats: {", ".join(format_names())})')
    return _one(FORMAT_GROUP, name, entry.load)


def _one(group: str, name: str, load: Any) -> Any:
    if _registry.cache_info().currsize:  # every format is loaded already
        return _registry(group)[name]
    try:
        found = load()
    except LessonpackError:
        raise
    except Exception as exc:
        raise LessonpackError(f'error: the {_what(group)} "{name}" cannot be loaded: {type(exc).__name__}: {exc}; '
                              "reinstall or uninstall the package that adds it") from None
    if getattr(found, "name", None) != name:
        raise LessonpackError(f'error: the {_what(group)} registered as "{name}" calls itself '
                              f'"{getattr(found, "name", None)}"; the two must be the same')
    return found


def format_names() -> list[str]:
    """The names of every output format, without importing any renderer (for the command line and settings)."""
    return _names(FORMAT_GROUP, BUILTIN_FORMATS)


def style_reader(document: str) -> Any:
    """The function that reads a style's ``document`` (a name in :data:`STYLE_DOCUMENTS`) into tokens, imported
    only now."""
    return _load(STYLE_DOCUMENTS[document])


def item_types() -> dict[str, Any]:
    """Every worksheet item type, by its ``type:`` name: lessonpack's own, then those installed or registered."""
    return _registry(ITEM_TYPE_GROUP)


def register_format(output_format: Any) -> None:
    """Add an output format from code (an installed package would use the entry point instead)."""
    _register(FORMAT_GROUP, output_format)


def register_item_type(item_type: Any) -> None:
    """Add a worksheet item type from code (an installed package would use the entry point instead)."""
    _register(ITEM_TYPE_GROUP, item_type)


def unregister(name: str) -> None:
    """Remove what :func:`register_format` or :func:`register_item_type` added under ``name``."""
    for group in _ADDED.values():
        group.pop(name, None)
    _changed()


def _register(group: str, obj: Any) -> None:
    builtin = BUILTIN_FORMATS if group == FORMAT_GROUP else BUILTIN_ITEM_TYPES
    if obj.name in builtin or obj.name in _installed(group):
        raise LessonpackError(f'error: there is already a {_what(group)} named "{obj.name}"')
    _ADDED[group][obj.name] = obj
    _changed()


def fingerprint() -> str:
    """What the installed and registered plug-ins are, for the keys of remembered lessons and built outputs: each
    entry point with its package's version, each plug-in registered from code with its module's file. A plug-in
    upgraded, added or removed checks and builds again."""
    parts = []
    for group in (FORMAT_GROUP, ITEM_TYPE_GROUP):
        for name, entry in sorted(_installed(group).items()):
            dist = getattr(entry, "dist", None)
            parts.append(f"{group}:{name}={entry.value}@{dist.name if dist else ''}={dist.version if dist else ''}")
        for name, obj in sorted(_ADDED[group].items()):
            parts.append(f"{group}:{name}={_source_digest(obj)}")
    return "\n".join(parts)


def _source_digest(obj: Any) -> str:
    module = getattr(type(obj), "__module__", "") if not isinstance(obj, type) else obj.__module__
    try:
        found = inspect.getsourcefile(sys.modules[module])
        body = Path(found).read_bytes() if found else b""
    except (KeyError, TypeError, OSError):
        body = b""
    return f"{module}:{hashlib.sha256(body).hexdigest()}"


_LISTENERS: list[Any] = []


def on_change(listener: Any) -> None:
    """Call ``listener()`` whenever a format or item type is registered or removed (caches built from the
    registries, such as the lesson model, are made again)."""
    _LISTENERS.append(listener)


def _changed() -> None:
    _registry.cache_clear()
    for listener in _LISTENERS:
        listener()
