"""Verse as written: a poem's stanzas and lines with their leading indentation, and whether prose looks like verse.

A text marked ``verse: true`` is not read as Markdown blocks (where a line break would be joined into the
paragraph and an indented line would become a code block): each line written is a line printed, its leading
spaces kept as an indent, and one or more blank lines end a stanza. Inside a line, inline Markdown
(``*em*``, ``**strong**``) still applies. Shared by validation (line counts, the verse lint) and the handout plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAB_SPACES = 4
"""A tab at the start of a line of verse counts as this many spaces."""


@dataclass(frozen=True)
class WrittenLine:
    """One line of a poem as written: its leading spaces and its text (inline Markdown), without them."""

    indent: int  # leading spaces (a tab counts TAB_SPACES)
    text: str


def stanzas(text: str | None) -> tuple[tuple[WrittenLine, ...], ...]:
    """A poem's stanzas, each its lines in order; blank lines separate stanzas (several count as one). A
    backslash at the end of a line (Markdown's hard break, once the only way to keep a poem's lines) is dropped."""
    out: list[list[WrittenLine]] = [[]]
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if line.endswith("\\") and not line.endswith("\\\\"):
            line = line[:-1].rstrip()
        if not line.strip():
            if out[-1]:
                out.append([])
            continue
        body = line.lstrip(" \t")
        lead = line[:len(line) - len(body)]
        out[-1].append(WrittenLine(lead.count(" ") + lead.count("\t") * TAB_SPACES, body))
    return tuple(tuple(s) for s in out if s)


def line_count(text: str | None) -> int:
    """How many lines a poem has (blank lines between stanzas not counted)."""
    return sum(len(s) for s in stanzas(text))


VERSE_MIN_LINES = 4
"""The fewest lines, broken by single line breaks in one paragraph, that can look like verse."""

VERSE_MAX_CHARS = 60
"""A line of verse is at most this long (a line of prose broken by the editor is usually longer, or joined)."""

_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


def looks_like_verse(text: str | None) -> str | None:
    """The first line of a paragraph of prose that looks like verse, else None: at least :data:`VERSE_MIN_LINES`
    lines broken by single line breaks (joined into one paragraph when printed as prose), each short, no more than
    a third of them ending a sentence, and besides either all but one starting with a capital letter, some of them
    indented, or half of them ending in a comma, semicolon or colon (prose wrapped by an editor does none of these)."""
    if not text:
        return None
    for paragraph in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        raw = [line.rstrip() for line in paragraph.split("\n") if line.strip()]
        lines = [line.strip() for line in raw]
        if len(lines) < VERSE_MIN_LINES or any(line.startswith(("-", "*", "+", ">", "#", "|", "$")) or
                                               line[:1].isdigit() for line in lines):
            continue  # a list, quote, heading, table or formula: its own breaks mean something else
        if any(len(line) > VERSE_MAX_CHARS for line in lines) or all(line.endswith("\\") for line in lines[:-1]):
            continue  # long lines (prose), or lines already ended by hand
        capitals = sum(1 for line in lines if line[:1].isupper() or (line[:1] in "\"'“‘«" and line[1:2].isupper()))
        endings = sum(1 for line in lines if _ENDS_SENTENCE.search(line))
        pauses = sum(1 for line in lines if line.endswith((",", ";", ":")))
        indented = any(line[:1] in " \t" for line in raw[1:])
        if endings * 3 <= len(lines) and (capitals >= len(lines) - 1 or indented or pauses * 2 >= len(lines)):
            return lines[0]
    return None
