"""Jinja templates as untrusted data: an immutable sandbox, a guarded loader, caps, and positioned errors.

A pack's ``templates/`` folder is searched first, the built-in templates last. Every template is
read through :func:`~lessonpack.load.packfiles.read_pack_text` (regular file, inside its folder after
links, size cap). Templates render in Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`,
which refuses attribute access such as ``cycler.__init__.__globals__``; on top of it, repeating a
string or list (``"A" * n``), padding (``"%9999999s"``, ``center(n)``), huge ranges, huge powers, huge
output and (for a pack's templates) too many HTML elements are refused. Any failure becomes a
:class:`~lessonpack.errors.Diagnostic` at ``templates/NAME:LINE``, in words, never a Python message.
"""

from __future__ import annotations

import functools
import math
import os
import re
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.loaders import split_template_path
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SecurityError

from .. import limits
from ..errors import Diagnostic, LessonpackError, display_path
from ..load.packfiles import PackFileError, read_pack_text, resolved
from . import BUILTIN_TEMPLATES  # defined in the package, where reading it loads no Jinja


class TemplateLimitError(SecurityError):
    """A template asked for more than lessonpack allows (a cap from :mod:`lessonpack.limits`)."""


class PackTemplateLoader(BaseLoader):
    """Load ``name`` from the pack's ``templates/`` first, then the built-in templates, through the guard; an item
    type's macro (``items/<type>.html``) that neither has comes from the type itself (one a package adds)."""

    def __init__(self, pack_templates: Path | None):
        self.folders: list[Path] = []
        if pack_templates is not None and os.path.lexists(pack_templates):
            self.folders.append(pack_templates)
        self.folders.append(BUILTIN_TEMPLATES)

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)  # refuses "..", so a name never climbs out of its folder
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if os.path.lexists(path):
                # The root is the templates folder itself: a link to anywhere else is refused.
                text = read_pack_text(path, [resolved(folder)], limit=limits.MAX_TEMPLATE_BYTES, what="template")
                return text, str(path), lambda: True
        if len(pieces) == 2 and pieces[0] == "items" and pieces[1].endswith(".html"):  # an item type's own macro
            from ..plugins import item_types

            kind = item_types().get(pieces[1][:-5])
            if kind is not None and kind.template_source:
                return kind.template_source, f"<the {kind.name} item type's template>", lambda: True
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted({p.name for folder in self.folders if folder.is_dir() for p in folder.iterdir()})

    @property
    def has_pack_templates(self) -> bool:
        """Whether a pack's ``templates/`` folder comes first (not only lessonpack's own templates)."""
        return len(self.folders) > 1


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}|\{[^{}]*\{")


def _check_width(number: Any) -> None:
    if isinstance(number, int) and not isinstance(number, bool) and abs(number) > limits.MAX_TEMPLATE_STRING:
        raise TemplateLimitError(f"a width of {number:,} is refused; the limit is {limits.MAX_TEMPLATE_STRING:,}")


def _check_format(fmt: str, percent: bool) -> None:
    """Refuse format strings whose widths or precisions would build a huge string."""
    if percent:
        for m in _PERCENT_SPEC.finditer(fmt):
            for part in m.groups():
                if part == "*":
                    raise TemplateLimitError("a format width given as * is refused in templates")
                if part:
                    _check_width(int(part))
        return
    for m in _BRACE_SPEC.finditer(fmt):
        if m.group(1) is None:
            raise TemplateLimitError("a format width given by another {field} is refused in templates")
        for digits in re.findall(r"\d+", m.group(1)):
            _check_width(int(digits))


def _sequence_size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


def _safe_range(*args: Any) -> range:
    """``range`` in templates: at most Jinja's MAX_RANGE numbers, measured without ``len()`` (which a range
    of 10**30 numbers overflows)."""
    numbers = range(*args)
    if (numbers.stop - numbers.start) // numbers.step > MAX_RANGE:
        raise TemplateLimitError(f"a range of more than {MAX_RANGE:,} numbers is refused")
    return numbers


class HandoutSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with lessonpack's caps on repetition, padding, powers and replacement."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _sequence_size(seq)
                if size is not None and _is_int(times) and size * times > limits.MAX_TEMPLATE_STRING:
                    what = (f"a text of {size:,} character{'s' if size != 1 else ''}"
                            if isinstance(seq, (str, bytes)) else f"a list of {size:,} entr{'ies' if size != 1 else 'y'}")
                    raise TemplateLimitError(f"repeating {what} {times:,} times is refused; the limit is "
                                             f"{limits.MAX_TEMPLATE_STRING:,} characters or entries")
        elif operator == "**":
            if _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
                if right * math.log2(abs(left)) > limits.MAX_TEMPLATE_POWER_BITS:
                    raise TemplateLimitError(f"{left} ** {right} is too large a number to compute in a template")
        elif operator == "%" and isinstance(left, str):
            _check_format(left, percent=True)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if name in _WIDTH_METHODS:
                for value in list(args) + list(kwargs.values()):
                    _check_width(value)
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
                grows = owner.count(args[0]) * max(0, len(args[1]) - len(args[0])) if args[0] else 0
                if len(owner) + grows > limits.MAX_TEMPLATE_STRING:
                    raise TemplateLimitError("this replace() would build a string beyond "
                                             f"{limits.MAX_TEMPLATE_STRING:,} characters")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format(value.__self__, percent=False)
        return wrapped


def _capped_filter(name: str, original: Callable) -> Callable:
    passes_context = hasattr(original, "jinja_pass_arg")  # replace() receives the eval context first

    @functools.wraps(original)  # keeps jinja_pass_arg, so Jinja calls it as it called the original
    def guarded(*args: Any, **kwargs: Any) -> Any:
        plain = args[1:] if passes_context else args
        value, options = (plain[0] if plain else None), list(plain[1:]) + list(kwargs.values())
        if name == "format" and isinstance(value, str):
            _check_format(value, percent=True)
        elif name in ("center", "indent"):
            for option in options:
                _check_width(option)
                if isinstance(option, str) and len(option) > 1000:
                    raise TemplateLimitError("an indent longer than 1,000 characters is refused")
        elif name == "replace" and isinstance(value, str) and len(options) >= 2:
            old, new = str(options[0]), str(options[1])
            grows = value.count(old) * max(0, len(new) - len(old)) if old else 0
            if len(value) + grows > limits.MAX_TEMPLATE_STRING:
                raise TemplateLimitError("this replace would build a string beyond "
                                         f"{limits.MAX_TEMPLATE_STRING:,} characters")
        return original(*args, **kwargs)

    return guarded


def new_environment(pack_templates: Path | None, filters: dict[str, Callable] | None = None,
                    tests: dict[str, Callable] | None = None) -> HandoutSandbox:
    """A sandboxed environment that loads the pack's templates first and the built-in ones last."""
    env = HandoutSandbox(loader=PackTemplateLoader(pack_templates),
                         autoescape=select_autoescape(default=True, default_for_string=True),
                         undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["range"] = _safe_range
    for name in ("center", "indent", "format", "replace"):
        env.filters[name] = _capped_filter(name, env.filters[name])
    env.filters.update(filters or {})
    env.tests.update(tests or {})
    return env


_START_TAG = re.compile(r"<[A-Za-z]")
"""The start of an HTML element in a template's output."""


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render template ``name``; any failure is a :class:`LessonpackError` positioned in the template.

    With a pack's templates, an output of more than :data:`~lessonpack.limits.MAX_HTML_ELEMENTS` elements
    is refused as it is produced, at the line of the template that was producing it.
    """
    template = None
    counting = getattr(env.loader, "has_pack_templates", False)
    try:
        template = env.get_template(name)
        out: list[str] = []
        size = elements = 0
        chunks = template.generate(**context)
        for chunk in chunks:
            size += len(chunk)
            if size > limits.MAX_TEMPLATE_OUTPUT:
                raise TemplateLimitError(f"the template produced more than {limits.MAX_TEMPLATE_OUTPUT:,} "
                                         "characters of HTML")
            if counting:
                elements += len(_START_TAG.findall(chunk))
                if elements > limits.MAX_HTML_ELEMENTS:
                    raise LessonpackError([_too_many_elements(chunks, template.filename or name)])
            out.append(chunk)
        return "".join(out)
    except PackFileError:
        raise
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError, AttributeError,
            RecursionError, MemoryError) as exc:
        where = display_path(template.filename) if template is not None and template.filename else name
        raise LessonpackError([template_diagnostic(exc, where)]) from None


def _too_many_elements(chunks: Any, name: str) -> Diagnostic:
    """The element cap, at the line of the (innermost) template whose output was being produced."""
    file, line = display_path(name), 1
    generator = chunks
    while generator is not None:  # a template that includes or extends another hands on to its generator
        frame = getattr(generator, "gi_frame", None)
        owner = frame.f_globals.get("__jinja_template__") if frame is not None else None
        if owner is not None and owner.filename:
            file, line = display_path(owner.filename), owner.get_corresponding_lineno(frame.f_lineno)
        inner = getattr(generator, "gi_yieldfrom", None)  # a block or an extended template
        if inner is None and frame is not None:  # an include: Jinja loops over the included template's generator
            inner = frame.f_locals.get("gen")
        generator = inner if hasattr(inner, "gi_frame") else None
    return Diagnostic(file, line, 0, "error", f"template error: the templates produced more than "
                      f"{limits.MAX_HTML_ELEMENTS:,} HTML elements for one handout (lessonpack's own produce a few "
                      "thousand); a document this large could not be laid out in time",
                      "fix the template, or delete it to use the built-in one")


def template_diagnostic(exc: BaseException, name: str) -> Diagnostic:
    """The template file and line where ``exc`` happened, with a message a pack author can act on."""
    file, line = _template_position(exc, name)
    hint = "fix the template, or delete it to use the built-in one"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        message = f"template syntax error: {exc.message}"
    elif isinstance(exc, TemplateLimitError):
        message = f"template error: {exc}"
    elif isinstance(exc, SecurityError):
        message = f"template error: {exc}"
        hint = ("templates may only read the handout's data; they cannot reach Python objects, files or commands: "
                "remove the expression")
    elif isinstance(exc, jinja2.UndefinedError):
        # "'lessonpack.handout.views.Handout object' has no attribute …" → "'Handout' has no attribute …"
        message = "template error: " + re.sub(r"'(?:\w+\.)*(\w+) object'", r"'\1'", exc.message or str(exc))
        hint = "templates can use h (the handout), L (its labels) and the names in docs/styles.md"
    elif isinstance(exc, TemplateNotFound):
        message = f'template error: no template named "{exc.name}" in the pack\'s templates/ or the built-in ones'
    elif isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        message = f"template error: a range of more than {MAX_RANGE:,} numbers is refused"
    elif isinstance(exc, OverflowError):
        message = "template error: a number too large to compute with"
    elif isinstance(exc, ZeroDivisionError):
        message = "template error: a division by zero"
    elif isinstance(exc, RecursionError):
        message = "template error: a macro or include calls itself without end"
    elif isinstance(exc, MemoryError):
        message = "template error: the template ran out of memory"
    else:
        message = f"template error: {type(exc).__name__}: {exc}"
    return Diagnostic(file, line, 0, "error", message, hint)


def _template_position(exc: BaseException, name: str) -> tuple[str, int]:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return display_path(exc.filename), exc.lineno or 1
    found: tuple[str, int] | None = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".html") and os.path.isfile(filename):  # Jinja rewrote this frame to the template
            found = (display_path(filename), lineno)
    return found or (name, 1)


def syntax_problems(folder: Path, roots: list[Path]) -> Iterable[Diagnostic]:
    """Every template in a pack's ``templates/`` that cannot be read or parsed, positioned."""
    env = new_environment(None)
    for base, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for entry in sorted(files + [d for d in dirs if os.path.islink(os.path.join(base, d))]):
            path = Path(base) / entry
            try:
                text = read_pack_text(path, roots, limit=limits.MAX_TEMPLATE_BYTES, what="template")
            except PackFileError as exc:
                yield exc.diagnostic
                continue
            if path.suffix != ".html":
                continue
            try:
                env.parse(text, name=path.name, filename=str(path))
            except jinja2.TemplateSyntaxError as exc:
                yield template_diagnostic(exc, path.name)
