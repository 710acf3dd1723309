"""Read a YAML file defensively into plain data plus a map from data paths to file positions.

PyYAML alone loses positions, keeps the last of duplicate keys silently and will happily
expand an alias bomb. Here we compose the node tree ourselves and build the Python values
from it, so every value keeps the line and column it came from and every problem becomes
a :class:`~lessonpack.errors.Diagnostic`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

from ..errors import Diagnostic
from ..limits import MAX_LESSON_BYTES
from .packfiles import PackFileError, read_pack_file

MAX_EXPANDED_VALUES = 100_000
"""Most values a document may expand to once aliases are followed (alias-bomb guard)."""

MAX_EXPANDED_CHARS = 2 * MAX_LESSON_BYTES
"""Most characters of text a document may expand to once aliases are followed."""

MAX_DEPTH = 64
"""Deepest nesting accepted; real lessons nest four or five levels."""

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""What an editor breaks lines at."""

Path_ = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line, column


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a loaded document sits in its file."""

    file: str
    lines: list[str] = field(default_factory=list)
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    starts: list[int] = field(default_factory=lambda: [0])  # where each line starts in the text (characters)

    def read(self, text: str) -> None:
        """Take the file's text: its lines, broken where an editor breaks them (\\n, \\r\\n, \\r) and nowhere else.
        YAML also counts U+0085, U+2028 and U+2029 as line breaks; editors show them inside a line, so
        positions are counted from characters (:meth:`at`), not from YAML's line numbers."""
        self.lines = LINE_BREAK.split(text)
        self.starts = [0] + [found.end() for found in LINE_BREAK.finditer(text)]

    def at(self, mark: Any) -> Position:
        """The 1-based line and column of a YAML mark, as an editor shows them."""
        line = bisect.bisect_right(self.starts, mark.index) - 1
        return line + 1, mark.index - self.starts[line] + 1

    def value_pos(self, path: Path_) -> Position:
        """Position of the value at ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key_pos(self, path: Path_) -> Position:
        """Position of the key that introduces ``path`` (falls back to the value)."""
        return self.keys.get(tuple(path)) or self.value_pos(path)

    def text_pos(self, path: Path_, needle: str) -> Position:
        """Where ``needle`` is written inside the text at ``path`` (a block of text spans many lines), or the
        text's own position when it cannot be found."""
        line, col = self.value_pos(path)
        for n in range(line, min(len(self.lines), line + 5000) + 1):
            at = self.line_text(n).find(needle, col - 1 if n == line else 0)
            if at >= 0:
                return n, at + 1
        return line, col

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def diagnostic(self, path: Path_, message: str, *, hint: str | None = None,
                   severity: str = "error", at_key: bool = False) -> Diagnostic:
        """A diagnostic positioned at the value (or key) found at ``path``."""
        line, col = self.key_pos(path) if at_key else self.value_pos(path)
        return Diagnostic(self.file, line, col, severity, message, hint)  # type: ignore[arg-type]


@dataclass
class Document:
    """The outcome of reading one YAML file: data (``None`` when unusable) and problems."""

    data: Any
    source: SourceMap
    problems: list[Diagnostic]


def describe(path: Path_) -> str:
    """Render a data path the way a teacher reads it: ``worksheet.items[2].answer``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_yaml(path: Path, roots: Sequence[Path], *, display: str | None = None, allow_empty: bool = False,
              limit: int = MAX_LESSON_BYTES, what: str = "lesson file") -> Document:
    """Load ``path`` (a file inside ``roots``) into plain data, collecting every problem instead of raising."""
    name = display or str(path)
    source = SourceMap(name)
    try:
        raw = read_pack_file(path, roots, limit=limit, what=what)
    except PackFileError as exc:
        return Document(None, source, [exc.diagnostic])
    return parse_yaml(raw, source, allow_empty=allow_empty)


def parse_yaml(raw: bytes, source: SourceMap, *, allow_empty: bool = False) -> Document:
    """Decode and parse YAML bytes; see :func:`read_yaml`. ``allow_empty`` reads an empty file as ``{}``."""
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return _fail(source, 1, 1, "this file is saved as UTF-32; lessonpack reads UTF-8",
                     "save it again choosing the UTF-8 encoding (in most editors: Save As → Encoding → UTF-8)")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _fail(source, 1, 1, "this file is saved as UTF-16; lessonpack reads UTF-8",
                     "save it again choosing the UTF-8 encoding (Windows Notepad: Save As → Encoding → UTF-8)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark, as Windows editors write it: harmless
    if b"\x00" in raw[:8192]:
        offset = raw.index(b"\x00")
        line, col = _byte_position(raw, offset)
        return _fail(source, line, col, f"this is a binary file, not YAML text (NUL byte at byte offset {offset})",
                     "lesson files are plain text saved as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        return _fail(source, line, col,
                     f"invalid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x})",
                     "save the file with UTF-8 encoding (in most editors: Save As → Encoding → UTF-8)")
    source.read(text)

    problems = _tab_indentation(source)
    if problems:
        return Document(None, source, problems)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in source.lines):
        if allow_empty:
            return Document({}, source, [])
        return _fail(source, 1, 1, "file is empty", "a lesson needs at least `title: ...`")

    bad = _NON_PRINTABLE.search(text)
    if bad:  # PyYAML refuses control characters; say where and which, as for any other mistake
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return _fail(source, line, col, f"the control character U+{ord(bad.group()):04X} is not allowed in a lesson file",
                     "delete it; it often comes from copying text out of a PDF or a word processor")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _TooDeep as exc:
        mark = exc.problem_mark
        return _fail(source, *source.at(mark), f"nesting is too deep (more than {MAX_DEPTH} levels)",
                     "lesson and settings files nest four or five levels; look for brackets that are never "
                     "closed, or indentation that keeps growing")
    except yaml.MarkedYAMLError as exc:
        return Document(None, source, [_syntax_error(source, exc)])
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        return _fail(source, 1, 1, f"YAML error: {exc}")
    finally:
        loader.dispose()
    if node is None:
        return _fail(source, 1, 1, "file is empty", "a lesson needs at least `title: ...`")

    builder = _Builder(source, loader)
    data = builder.build(node, (), 0)
    return Document(None if builder.fatal else data, source, builder.problems)


# -- internals ---------------------------------------------------------------------------


class _TooDeep(yaml.MarkedYAMLError):
    """A node nested deeper than :data:`MAX_DEPTH`, found while composing (before Python's own recursion runs out)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader used only to compose nodes and construct scalars; it stops at the first node nested deeper
    than :data:`MAX_DEPTH`, at that node's position."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self._depth > MAX_DEPTH:
            raise _TooDeep(problem="nesting is too deep", problem_mark=self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def _fail(source: SourceMap, line: int, col: int, message: str, hint: str | None = None) -> Document:
    return Document(None, source, [Diagnostic(source.file, line, col, "error", message, hint)])


def _byte_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    # Column in characters where the prefix decodes; bytes otherwise.
    prefix = raw[line_start:offset]
    try:
        col = len(prefix.decode("utf-8")) + 1
    except UnicodeDecodeError:
        col = len(prefix) + 1
    return line, col


def _tab_indentation(source: SourceMap) -> list[Diagnostic]:
    problems = []
    in_block_scalar = False
    block_indent = 0
    for number, line in enumerate(source.lines, 1):
        indent = len(line) - len(line.lstrip(" \t"))
        stripped = line.strip()
        if in_block_scalar:
            # Tabs inside a literal block's content are text, not indentation.
            if not stripped or indent > block_indent:
                continue
            in_block_scalar = False
        if "\t" in line[:indent] and stripped:
            problems.append(Diagnostic(
                source.file, number, line.index("\t") + 1, "error",
                "a tab is used for indentation; YAML only allows spaces",
                "replace the tab with spaces (two per level); most editors have a "
                "'convert indentation to spaces' command"))
        if re.search(r"(^|[:\-]\s)[|>][+-]?\d*\s*(#.*)?$", stripped):
            in_block_scalar = True
            block_indent = indent
    return problems


_QUOTE_HINT = ('put the whole text in quotes: a value that starts with "[[" or "{" is read as a list or a mapping, '
               'e.g. text: "[[Stalin]] became general secretary"')


def starts_like_flow(line: str) -> bool:
    """True when the value on a ``key: value`` or ``- value`` line starts with ``[[`` or ``{``."""
    m = re.match(r"\s*(?:-\s+)?(?:[^:#\s][^:#]*:\s+)?(.*)$", line)
    value = m.group(1) if m else ""
    return value.startswith("[[") or value.startswith("{")


_INDICATORS = {"[": "the start of a list", "]": "the end of a list", "{": "the start of a mapping",
               "}": "the end of a mapping", "*": "an alias (*name)", "&": "an anchor (&name)", "!": "a tag (!name)",
               "|": "the start of a block of text", ">": "the start of a folded block of text",
               "%": "a directive", "@": "a reserved character", "`": "a reserved character",
               '"': "a quoted text that ends at the next quotation mark", "'":
                   "a quoted text that ends at the next apostrophe"}
"""The characters YAML reads specially at the start of a value (its indicators), and what it reads them as."""

_KEY_AND_VALUE = re.compile(r"^(\s*(?:-\s+)?(?:[^:#'\"\s\[{][^:#]*:\s+)?)(.+?)\s*$")


def quoted_line(written: str) -> str | None:
    """The line ``written`` (``key: value`` or ``- value``) with its value in quotes (single quotes when it holds a
    double quotation mark), as YAML reads back to
    the text as written; None when it cannot be made so (a comment on the line, a value over several lines)."""
    found = _KEY_AND_VALUE.match(written)
    if found is None or " #" in found.group(2):
        return None
    prefix, value = found.groups()
    quoted = "'" + value.replace("'", "''") + "'" if '"' in value else \
        '"' + value.replace("\\", "\\\\") + '"'
    fixed = (prefix.strip() + " " + quoted).lstrip()
    try:
        data = yaml.safe_load(fixed)
    except yaml.YAMLError:
        return None
    inner = data[0] if isinstance(data, list) and len(data) == 1 else \
        next(iter(data.values())) if isinstance(data, dict) and len(data) == 1 else data
    return fixed if inner == value else None


def _syntax_error(source: SourceMap, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = source.at(mark) if mark else (1, 1)
    context_line = source.at(exc.context_mark)[0] if exc.context_mark else None
    problem = (exc.problem or "YAML syntax error").strip()
    context = (exc.context or "").strip()
    message = f"YAML syntax error: {problem}"
    if context and context_line is not None and context_line != line:
        message += f" ({context} at line {context_line})"
    hint = None
    candidates = [line]
    if exc.context_mark:
        candidates.append(context_line)
    written = source.line_text(line)
    value = re.sub(r"^\s*(?:-\s+)?(?:[^:#'\"\s][^:#]*:\s+)?", "", written)
    if value.startswith("'") and value.count("'") >= 3 and "''" not in value:
        hint = ("inside single quotes an apostrophe must be doubled ('Stalin''s rise'); "
                "or put the text in double quotes instead")
    elif any(starts_like_flow(source.line_text(n)) for n in candidates):
        hint = _QUOTE_HINT
    elif "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
        hint = ("inside { } or [ ], text containing ? : , # or quotes must itself be quoted; "
                "or write the entries in block style, one key per line")
    elif "quoted scalar" in context and exc.context_mark:
        hint = f"a quotation mark opened on line {context_line} is never closed"
    elif "mapping values are not allowed" in problem:
        fix = quoted_line(written)
        hint = 'a text containing ": " must be quoted, ' + (f"like this: {fix}" if fix else
                                                            'e.g. prompt: "Why did Stalin win: luck or skill?"')
    elif value[:1] in _INDICATORS and (fix := quoted_line(written)):
        hint = (f"YAML reads a value that starts with {value[0]} as {_INDICATORS[value[0]]}; put the whole text in "
                f"quotes: {fix}")
    elif "found character '\\t'" in problem or "\t" in source.line_text(line):
        hint = "YAML does not allow tabs here; use spaces"
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = "check the indentation of this line and the one above it; every key needs `key: value`"
    return Diagnostic(source.file, line, col, "error", message, hint)


_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 (and so PDF metadata and Word) cannot hold, plus C1 controls, which no handout wants."""


def _char_name(char: str) -> str:
    if 0xD800 <= ord(char) <= 0xDFFF:
        return "half of a surrogate pair"
    if ord(char) in (0xFFFE, 0xFFFF):
        return "not a character"
    return "a control character"


_DIRECT_SCALARS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"}


class _Builder:
    """Turns composed nodes into Python values, recording positions and problems."""

    def __init__(self, source: SourceMap, loader: _Loader):
        self.source = source
        self.loader = loader
        self.problems: list[Diagnostic] = []
        self.expanded = 0
        self.characters = 0
        self.fatal = False

    def _problem(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(self.source.file, *self.source.at(node.start_mark), "error", message, hint))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if self.fatal:
            return None
        self.expanded += 1
        if isinstance(node, yaml.ScalarNode):
            self.characters += len(node.value)
        if self.expanded > MAX_EXPANDED_VALUES or self.characters > MAX_EXPANDED_CHARS:
            self.fatal = True
            # The node itself may be the anchored original far above; point at the key being expanded.
            line, col = self.source.key_pos(path[:1]) if path else (1, 1)
            self.problems.append(Diagnostic(
                self.source.file, line, col, "error",
                f"{describe(path[:1]) or 'the document'}: aliases expand this beyond "
                + (f"{MAX_EXPANDED_VALUES:,} values" if self.expanded > MAX_EXPANDED_VALUES
                   else f"{MAX_EXPANDED_CHARS:,} characters of text")
                + "; lessonpack refuses documents that grow this large",
                "remove the YAML anchors (&name) and aliases (*name), and write the text out"))
            return None
        if depth > MAX_DEPTH:
            self.fatal = True
            self._problem(node, f"nesting is too deep (more than {MAX_DEPTH} levels)")
            return None
        self.source.values.setdefault(path, self.source.at(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict = {}
        first_seen: dict[Any, yaml.Node] = {}
        merge_keys = [k for k, _ in node.value if k.tag == "tag:yaml.org,2002:merge"]
        try:
            self.loader.flatten_mapping(node)  # resolve '<<' merge keys the standard way
        except yaml.MarkedYAMLError:
            mark = merge_keys[0].start_mark if merge_keys else node.start_mark
            self.problems.append(Diagnostic(
                self.source.file, *self.source.at(mark), "error",
                f"{describe(path) or 'the document'}: a merge key (<<) must name a mapping or a list of mappings",
                "merge only anchored mappings (<<: *defaults), or write the keys out"))
            return result
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a key must be a plain name, not a list or mapping")
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                key = key_node.value  # `1: x` or `yes: x` keys: keep the text as written
            child = path + (key,)
            if key in first_seen:
                self._problem(key_node,
                              f'{describe(child)}: duplicate key "{key}" (first at line '
                              f"{self.source.at(first_seen[key].start_mark)[0]}); YAML would silently keep only the last one",
                              "remove one of them, or merge their contents")
                continue
            first_seen[key] = key_node
            self.source.keys[child] = self.source.at(key_node.start_mark)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag in _DIRECT_SCALARS:
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, str):
                bad = _NOT_IN_TEXT.search(value)
                if bad:  # an escape such as "\a" or "\ud800": no PDF or Word file can hold it
                    char = bad.group()
                    where = f"{describe(path)}: " if path else ""
                    self._problem(node, f"{where}the character U+{ord(char):04X} ({_char_name(char)}) is not "
                                        "allowed in text",
                                  "remove the escape sequence (a backslash code) that produces it from the "
                                  "quoted text")
                    return value.translate({ord(char): None})
            return value
        # Numbers, dates and the rest stay as written: "1.10" must not become 1.1, nor
        # "1929-10-24" a date. Fields that want numbers parse them during validation.
        return node.value
