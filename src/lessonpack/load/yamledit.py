"""Edit a YAML file's text in place, keeping its comments, quoting and layout: a value's text replaced where it is
written, a paragraph of a block of text replaced on its own lines, a list's entries removed, moved or added as
lines (or, in a ``[…]`` list, as entries).

Positions come from composing the text with PyYAML (each node's start and end in the file), so nothing but the
edited value changes. A value that needs quotes once edited gets them; a block (``|`` or ``>``) stays a block with
its indentation. :func:`value_at` reads a value back, so that a caller can check every edit gave what it meant.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

Path_ = tuple


class EditError(ValueError):
    """An edit that cannot be made as text (the path is not in the file, or a value written in a way no text edit
    keeps)."""


@dataclass(frozen=True)
class Replace:
    start: int  # character offsets in the text
    end: int
    text: str


@lru_cache(maxsize=8)
def compose(text: str) -> yaml.Node:
    """The text's node tree (positions included); the same tree for the same text (not to be changed)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        raise EditError("the file is empty")
    return node


def node_at(root: yaml.Node, path: Path_) -> yaml.Node | None:
    """The node at ``path`` (keys and list indices), or None."""
    node = root
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, yaml.SequenceNode) or not 0 <= part < len(node.value):
                return None
            node = node.value[part]
        else:
            if not isinstance(node, yaml.MappingNode):
                return None
            found = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if found is None:
                return None
            node = found
    return node


def value_at(text: str, path: Path_) -> Any:
    """The value at ``path`` in the YAML text (None when absent), every scalar as its text, as lessonpack reads a
    lesson (``1929`` is the text "1929", as :mod:`.yamlsource` keeps it)."""
    node = node_at(compose(text), path)
    return None if node is None else _plain(node, 0)


def _plain(node: yaml.Node, depth: int) -> Any:
    if depth > 64:
        raise EditError("nested too deep")
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(child, depth + 1) for child in node.value]
    return {key.value: _plain(value, depth + 1) for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or "\n" in value or "\t" in value:
        return False
    if flow and any(c in value for c in ",[]{}"):
        return False
    try:
        back = yaml.safe_load(f"[{value}]" if flow else f"k: {value}")
    except yaml.YAMLError:
        return False
    return back == [value] if flow else back == {"k": value}


def quoted(value: str) -> str:
    """``value`` as a double-quoted YAML scalar."""
    return json.dumps(value, ensure_ascii=False)


def scalar_text(value: str, style: str | None, flow: bool = False) -> str:
    """``value`` written as a one-line scalar, in ``style`` (None: plain, ``'`` or ``"``) when it can be, else in
    double quotes."""
    if style is None and _plain_ok(value, flow):
        return value
    if style == "'" and "\n" not in value and value:
        return "'" + value.replace("'", "''") + "'"
    return quoted(value)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for found in re.finditer("\n", text):
        starts.append(found.end())
    return starts


def set_scalar(text: str, path: Path_, value: str, *, raw: bool = False) -> Replace:
    """The edit that makes the scalar at ``path`` read ``value``, written as it was (plain, quoted or a block);
    ``raw``: ``value`` written as it is (a number)."""
    node = node_at(compose(text), path)
    if not isinstance(node, yaml.ScalarNode):
        raise EditError("not a text in the lesson file")
    if raw:
        return Replace(node.start_mark.index, node.end_mark.index, value)
    flow = _in_flow(compose(text), path)
    if node.style in ("|", ">"):
        return _block_edit(text, path, node, value)
    return Replace(node.start_mark.index, node.end_mark.index, scalar_text(value, node.style, flow))


def _in_flow(root: yaml.Node, path: Path_) -> bool:
    parent = node_at(root, path[:-1]) if path else None
    return bool(parent is not None and getattr(parent, "flow_style", False))


def carry(before: str, after: str, written: str) -> str:
    """``written`` with the change from ``before`` to ``after`` made in it: ``before`` is how ``written`` printed,
    so each changed stretch is found in ``written`` by lining the two up; a stretch that cannot be found there
    makes the whole of ``after`` the new text."""
    if before == written:
        return after
    align = difflib.SequenceMatcher(None, before, written, autojunk=False).get_matching_blocks()

    def at(pos: int, start: bool) -> int | None:
        for a, b, size in align:
            if size and (a <= pos < a + size if start else a < pos <= a + size):
                return b + pos - a
        return None

    edits = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if i1 == i2:  # an insertion: after the character before it, or before the one after it
            s = at(i1 - 1, True) if i1 else at(i1, True)
            s = s + 1 if (s is not None and i1) else s
            e = s
        else:
            s, e = at(i1, True), at(i2, False)
        if s is None or e is None or e < s:
            return after
        edits.append((s, e, after[j1:j2]))
    out = written
    for s, e, text in sorted(edits, reverse=True):
        out = out[:s] + text + out[e:]
    return out


def _block_edit(text: str, path: Path_, node: yaml.ScalarNode, value: str) -> Replace:
    """A block's content with only what changed replaced, line by line (its other lines, their breaks and
    indentation as they are); the whole block written anew when that does not read back as ``value``."""
    starts = _line_starts(text)
    first = node.start_mark.line + 1
    start = starts[first] if first < len(starts) else len(text)
    end = starts[_end_line(text, starts, node.end_mark)] if _end_line(text, starts, node.end_mark) < len(starts) \
        else len(text)
    region = text[start:end]
    edited = carry(node.value, value, region)
    if edited != value:  # carried into the lines; check it reads back
        try:
            got = node_at(compose(text[:start] + edited + text[end:]), path)
        except yaml.YAMLError:
            got = None
        if isinstance(got, yaml.ScalarNode) and got.value == value:
            return Replace(start, end, edited)
    return _set_block(text, node, value)


def paragraphs(value: str) -> list[str]:
    """A block of text's paragraphs: the pieces between blank lines (what lessonpack's Markdown reads as blocks)."""
    return [p for p in re.split(r"\n[ \t]*\n", value.strip("\n")) if p.strip()]


def with_paragraphs(value: str, changes: dict[int, str]) -> str:
    """``value`` with its paragraphs (see :func:`paragraphs`) numbered in ``changes`` replaced, the blank lines
    between them as they are."""
    if any(not 0 <= k < len(paragraphs(value)) for k in changes):
        raise EditError("the paragraph is not in the lesson file")
    pieces = re.split(r"(\n[ \t]*\n)", value)
    seen = -1
    for n, piece in enumerate(pieces):
        if n % 2 == 0 and piece.strip():
            seen += 1
            if seen in changes:
                lead = piece[:len(piece) - len(piece.lstrip("\n"))]
                trail = piece[len(piece.rstrip("\n")):]
                pieces[n] = lead + changes[seen] + trail
    return "".join(pieces)


def _set_block(text: str, node: yaml.ScalarNode, value: str) -> Replace:
    """A whole block scalar's content written anew, its header (``|``, ``>-``…) and indentation kept."""
    starts = _line_starts(text)
    first = node.start_mark.line + 1
    last = _end_line(text, starts, node.end_mark)
    content = [text[starts[n]:starts[n + 1] if n + 1 < len(starts) else len(text)] for n in range(first, last)]
    filled = [ln for ln in content if ln.strip()]
    if not filled:
        raise EditError("an empty block of text")
    pad = " " * min(len(ln) - len(ln.lstrip(" ")) for ln in filled)
    trailing = len(content) - max(n for n, ln in enumerate(content) if ln.strip()) - 1
    if node.style == "|":
        body = [pad + ln if ln.strip() else "" for ln in value.rstrip("\n").split("\n")]
    else:
        body = []
        for k, para in enumerate(paragraphs(value)):
            if k:
                body.append("")
            body += textwrap.wrap(para, width=100, initial_indent=pad, subsequent_indent=pad,
                                  break_long_words=False, break_on_hyphens=False)
    start = starts[first]
    end = starts[last - trailing] if last - trailing < len(starts) else len(text)
    return Replace(start, end, "\n".join(body) + "\n")


def apply(text: str, edits: list[Replace]) -> str:
    """The text with every edit made; edits may not overlap."""
    out = text
    last = len(text) + 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if edit.end > last:
            raise EditError("two edits overlap")
        out = out[:edit.start] + edit.text + out[edit.end:]
        last = edit.start
    return out


# -- lists -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class New:
    """A new entry of a list: a scalar text, or a mapping of keys to values (written one key a line): a text, a
    number or true/false, or a list of texts (written on its line, in brackets)."""

    value: str | dict


def _entry_value(value: str | bool | int | float | list, flow: bool) -> str:
    """One value of a new mapping entry as YAML on its key's line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar_text(str(v), None, flow=True) for v in value) + "]"
    return quoted(value) if flow else scalar_text(value, None)


def set_list(text: str, path: Path_, entries: list[int | New]) -> Replace:
    """The edit that makes the list at ``path`` hold ``entries``: its own entries by index (kept as written,
    comments and all) in the order given, and new ones."""
    root = compose(text)
    node = node_at(root, path)
    if not isinstance(node, yaml.SequenceNode):
        raise EditError("not a list in the lesson file")
    if node.flow_style:
        parts = []
        for entry in entries:
            if isinstance(entry, int):
                child = node.value[entry]
                parts.append(text[child.start_mark.index:child.end_mark.index])
            elif isinstance(entry.value, str):
                parts.append(scalar_text(entry.value, None, flow=True))
            else:
                parts.append("{" + ", ".join(f"{k}: {_entry_value(v, True)}" for k, v in entry.value.items()) + "}")
        return Replace(node.start_mark.index, node.end_mark.index, "[" + ", ".join(parts) + "]")
    if not node.value:
        raise EditError("an empty list")
    starts = _line_starts(text)
    dash_lines = [_dash_line(text, starts, child) for child in node.value]
    end_line = _end_line(text, starts, node.value[-1].end_mark)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    groups = [lines[dash_lines[i]:(dash_lines[i + 1] if i + 1 < len(dash_lines) else end_line)]
              for i in range(len(dash_lines))]
    tail: list[str] = []
    while groups[-1] and (not groups[-1][-1].strip() or groups[-1][-1].lstrip().startswith("#")) \
            and len(groups[-1]) > 1:
        tail.insert(0, groups[-1].pop())
    first = lines[dash_lines[0]]
    dash = first[:len(first) - len(first.lstrip(" "))]
    body: list[str] = []
    for entry in entries:
        if isinstance(entry, int):
            body += groups[entry]
        elif isinstance(entry.value, str):
            body.append(f"{dash}- {scalar_text(entry.value, None)}\n")
        else:
            for n, (key, value) in enumerate(entry.value.items()):
                body.append(f"{dash}{'- ' if n == 0 else '  '}{key}: {_entry_value(value, False)}\n")
    start = starts[dash_lines[0]]
    end = starts[end_line] if end_line < len(starts) else len(text)
    return Replace(start, end, "".join(body + tail))


def _end_line(text: str, starts: list[int], mark) -> int:
    """The line after a node's last line (0-based): a node whose end is marked at the start of the next token
    (only indentation before it on its line) ends on the line before."""
    line = mark.line
    if line < len(starts) and not text[starts[line]:mark.index].strip():
        return line
    return line + 1


def _dash_line(text: str, starts: list[int], child: yaml.Node) -> int:
    """The line of the ``-`` that opens a block list's entry (the entry's node starts after it)."""
    line = child.start_mark.line
    while line > 0 and not text[starts[line]:].lstrip(" ").startswith("-"):
        line -= 1
    return line
