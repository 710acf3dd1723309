"""Draw a handout model as HTML through sandboxed Jinja2 templates (pack templates first, built-in last)."""

from __future__ import annotations

import functools
import os
import re
from datetime import datetime, timezone
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from .. import limits
from ..version import __version__
from ..errors import Diagnostic, LessonpackError, display_path
from ..handout import Blank, Handout, plan
from ..labels import Labels
from ..model import EDITIONS
from ..model import LessonFile
from ..packfiles import is_within, read_pack_text, resolved
from ..richtext import RichText, plain
from ..styles import PAPER_SIZES, Style, length_pt
from .templates import BUILTIN_TEMPLATES, new_environment, render, syntax_problems


_RANGE = re.compile(r"\d+[–-]\d+")


def rich(text: RichText | None) -> Markup:
    """Rich text as escaped HTML: ``<strong>``, ``<em>``, ``<code>``, key terms as ``<b class=term>``."""
    if not text:
        return Markup("")
    out = []
    for span in text:
        html = str(escape(span.text)).replace("\n", "<br>")
        # A line never breaks inside a range such as 1924–1935.
        html = _RANGE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', html)
        if span.code:
            html = f"<code>{html}</code>"
        if span.em:
            html = f"<em>{html}</em>"
        if span.role == "term":
            html = f'<b class="term">{html}</b>'
        elif span.strong:
            html = f"<strong>{html}</strong>"
        out.append(html)
    return Markup("".join(out))


def _is_blank(value: object) -> bool:
    return isinstance(value, Blank)


@lru_cache(maxsize=16)
def _environment(pack_templates: str | None) -> Environment:
    return new_environment(Path(pack_templates) if pack_templates else None,
                           filters={"rich": rich, "plain": plain}, tests={"blank": _is_blank})


def _pack_environment(pack_root: Path | None) -> Environment:
    """The environment for a pack: its ``templates/`` first, if it is a real folder inside the pack."""
    if pack_root is None:
        return _environment(None)
    folder = pack_root / "templates"
    if os.path.lexists(folder):
        if not is_within(resolved(folder), resolved(pack_root)):
            raise LessonpackError([Diagnostic(display_path(folder), 1, 1, "error",
                                              f"templates/ is a link to {resolved(folder)}, outside the pack; "
                                              "lessonpack reads templates only from inside the pack",
                                              "copy the templates into the pack")])
        return _environment(str(folder))
    return _environment(None)


def template_problems(pack_root: Path, lessons: list[LessonFile], *,
                      timeout: float = limits.CHECK_TEMPLATE_TIMEOUT) -> list[Diagnostic]:
    """Every problem of a pack's templates: unreadable or unparsable files, then failures to render.

    The templates are tried, in a limited process, on the pack's valid lessons and on two built-in
    lessons (every part present, every optional part missing), in both editions, alone and as a
    unit — so what ``check`` passes, ``build`` renders.
    """
    folder = pack_root / "templates"
    try:
        env = _pack_environment(pack_root)
    except LessonpackError as exc:
        return list(exc.diagnostics)
    problems = list(syntax_problems(folder, [resolved(folder)]))
    if problems or env is _environment(None):
        return problems
    from ..sample_lessons import sample_lessons
    from ..workers import Limits, run_one

    trial = functools.partial(_render_trial, pack_root=pack_root)
    ok, value = run_one(trial, list(lessons) + sample_lessons(),
                        limit=Limits(timeout=timeout))
    if ok:
        return value
    return [Diagnostic(display_path(folder), 1, 0, "error",
                       f"the pack's templates could not render its lessons: {value}".replace(
                           "--timeout", "check --timeout"),
                       "fix the templates, or delete them to use the built-in ones")]


def _render_trial(lessons: list[LessonFile], pack_root: Path) -> list[Diagnostic]:
    found: dict[tuple, Diagnostic] = {}
    info = PackInfo("Template trial", "A unit", "School", "Teacher")
    for edition in EDITIONS:
        handouts = []
        for lesson in lessons:
            handout = plan(lesson, edition)
            handouts.append(handout)
            try:
                render_html(handout, None, "letter", pack_root=pack_root)
            except LessonpackError as exc:
                found.update({(d.file, d.line, d.message): d for d in exc.diagnostics})
        try:
            render_pack_html(handouts, info, None, "letter", teacher=edition == "teacher", duplex=True,
                             pack_root=pack_root)
        except LessonpackError as exc:
            found.update({(d.file, d.line, d.message): d for d in exc.diagnostics})
    return sorted(found.values())


def source_date() -> str | None:
    """ISO date from SOURCE_DATE_EPOCH, or None: without it, outputs carry no timestamp at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_CSS_SAFE = re.compile(r"[^\w ,.:;!?·–—\-/&+=@#%*$~^|]")


def _css_string(text: str) -> str:
    """A CSS string literal holding ``text`` exactly: every character that could end the string, the
    declaration or the rule (quotes, backslashes, braces, line breaks, controls) as a hex escape."""
    # The space after each escape ends it (CSS consumes it), so a real space after it survives.
    return '"' + _CSS_SAFE.sub(lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def page_css(style: Style, paper: str, labels: Labels, *, teacher: bool, header_text: str | None,
             pack_title: str | None = None) -> str:
    """The generated stylesheet: tokens as custom properties, page size, running header and footer.

    A lesson handout carries ``header_text`` (school, unit) at the top and the lesson title at the
    foot; a unit pack (``pack_title`` set) runs the current lesson's title at the top instead.
    """
    t = style.tokens
    width, height = PAPER_SIZES[paper]
    fonts = lambda families: ", ".join(  # noqa: E731
        f if f in ("serif", "sans-serif", "monospace") else _css_string(f) for f in families)
    line = length_pt(t.writing_line)
    before, _, rest = labels["page_of"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer = " ".join(filter(None, [_css_string(before) if before else "", "counter(page)",
                                    _css_string(middle) if middle else "", "counter(pages)",
                                    _css_string(after) if after else ""]))
    edition = _css_string(labels["teacher_edition"]) if teacher else '""'
    if pack_title is None:
        top_left, bottom_left = _css_string(header_text or ""), "string(lesson-title)"
    else:
        top_left, bottom_left = "string(lesson-title)", _css_string(pack_title)
    return f"""
:root {{
  --body-font: {fonts(t.fonts.body)};
  --heading-font: {fonts(t.fonts.heading)};
  --size: {t.size}pt;
  --small: {max(8.0, round(t.size * 0.75, 1))}pt;  /* running headers and footers */
  --h1: {t.heading_pt(1)}pt; --h2: {t.heading_pt(2)}pt; --h3: {t.heading_pt(3)}pt;
  --line-height: {t.line_height};
  --text: {t.colors.text}; --accent: {t.colors.accent}; --answer: {t.colors.answer};
  --muted: {t.colors.muted}; --rule: {t.colors.rule}; --shade: {t.colors.shade};
  --writing-line: {line:.2f}pt;
  --answer-drop: {line / 2 - t.size * 0.65:.2f}pt;  /* a model answer sits just above each rule, descenders clear */
}}
@page {{
  size: {width} {height};
  margin: {t.margins.top} {t.margins.right} {t.margins.bottom} {t.margins.left};
  @top-left {{ content: {top_left}; }}
  @top-right {{ content: {edition}; }}
  @bottom-left {{ content: {bottom_left}; }}
  @bottom-right {{ content: {footer}; }}
}}
{"" if t.italics else _NO_ITALICS}
@page cover {{
  @top-left {{ content: none; }} @top-right {{ content: none; }}
  @bottom-left {{ content: none; }} @bottom-right {{ content: none; }}
}}
@page front {{ @top-left {{ content: none; }} }}
@page :blank {{
  @top-left {{ content: none; }}
  @bottom-center {{ content: {_css_string(labels["intentionally_blank"])}; }}
}}
"""


_NO_ITALICS = """
html .subtitle, html .instructions, html .source, html .answer, html .reading blockquote,
html .correct .choice-text, html .tf .opt.correct, html .key td.answer, html .rubric { font-style: normal; }
html .answer, html .correct .choice-text { font-weight: bold; }
"""
"""Set when a style's ``italics`` token is false: no italic type anywhere; answers go bold instead.
(``html`` raises the rules above base.css, which comes later in the cascade.)"""


@dataclass(frozen=True)
class PackInfo:
    """What a unit pack's cover and running footer show."""

    title: str
    subtitle: str | None = None
    school: str | None = None
    teacher: str | None = None


def _style_text(style: Style) -> str:
    # lessonpack's base layout, then the style's own stylesheet, read through the guard.
    base = read_pack_text(BUILTIN_TEMPLATES / "base.css", [BUILTIN_TEMPLATES], limit=limits.MAX_CSS_BYTES,
                          what="stylesheet")
    return base + style.css_text()


def render_html(handout: Handout, style: Style, paper: str, *, pack_root: Path | None = None,
                header_text: str | None = None, embed_css: bool = False) -> str:
    """The handout as HTML; with ``embed_css`` the style is included, for a standalone preview file."""
    env = _pack_environment(pack_root)
    subject = " · ".join(plain(value) for _, value in handout.meta)
    css = None
    if embed_css:
        css = Markup(page_css(style, paper, handout.labels, teacher=handout.is_teacher, header_text=header_text)
                     + _style_text(style))
    return render(env, "handout.html", h=handout, L=handout.labels, subject=subject,
                  generator=f"lessonpack {__version__}", created=source_date(), inline_css=css)


def render_standalone_html(handout: Handout, style: Style, paper: str, *, pack_root: Path | None = None,
                           header_text: str | None = None) -> str:
    """A self-contained HTML preview of the handout (what WeasyPrint draws, with the style inlined)."""
    return render_html(handout, style, paper, pack_root=pack_root, header_text=header_text, embed_css=True)


def render_pack_html(handouts: list[Handout], pack: PackInfo, style: Style, paper: str, *, teacher: bool,
                     duplex: bool, pack_root: Path | None = None, embed_css: bool = False) -> str:
    """A whole unit as one HTML document: cover, contents, and every lesson's handout."""
    env = _pack_environment(pack_root)
    labels = handouts[0].labels
    css = None
    if embed_css:
        css = Markup(page_css(style, paper, labels, teacher=teacher, header_text=None, pack_title=pack.title)
                     + _style_text(style))
    return render(
        env, "pack.html", pack=pack, handouts=handouts, L=labels, teacher=teacher, duplex=duplex, language=handouts[0].language,
        generator=f"lessonpack {__version__}", created=source_date(), inline_css=css)
