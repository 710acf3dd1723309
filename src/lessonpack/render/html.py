"""Draw a handout model as HTML through Jinja2 templates (pack templates first, built-in last)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from ..handout import Blank, Handout
from ..richtext import RichText, plain
from ..styles import PAPER_SIZES, Style, length_pt

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def rich(text: RichText | None) -> Markup:
    """Rich text as escaped HTML: ``<strong>``, ``<em>``, ``<code>``, key terms as ``<b class=term>``."""
    if not text:
        return Markup("")
    out = []
    for span in text:
        html = str(escape(span.text)).replace("\n", "<br>")
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
    loaders = []
    if pack_templates and Path(pack_templates).is_dir():
        loaders.append(FileSystemLoader(pack_templates))
    loaders.append(FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["rich"] = rich
    env.filters["plain"] = plain
    env.tests["blank"] = _is_blank
    return env


def template_files(pack_root: Path | None) -> list[Path]:
    """Pack templates that override built-in ones (for cache keys)."""
    folder = pack_root / "templates" if pack_root else None
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder and folder.is_dir() else []


def source_date() -> str | None:
    """ISO date from SOURCE_DATE_EPOCH, or None: without it, outputs carry no timestamp at all."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(style: Style, paper: str, handout: Handout, header_text: str | None) -> str:
    """The generated stylesheet: tokens as custom properties, page size, running header and footer."""
    t = style.tokens
    width, height = PAPER_SIZES[paper]
    fonts = lambda families: ", ".join(  # noqa: E731
        f if f in ("serif", "sans-serif", "monospace") else _css_string(f) for f in families)
    line = length_pt(t.writing_line)
    page_label = handout.labels["page_of"]
    before, _, rest = page_label.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer = " ".join(filter(None, [_css_string(before) if before else "", "counter(page)",
                                    _css_string(middle) if middle else "", "counter(pages)",
                                    _css_string(after) if after else ""]))
    edition = _css_string(handout.labels["teacher_edition"]) if handout.is_teacher else '""'
    header = _css_string(header_text or "")
    return f"""
:root {{
  --body-font: {fonts(t.fonts.body)};
  --heading-font: {fonts(t.fonts.heading)};
  --size: {t.size}pt;
  --h1: {t.heading_pt(1)}pt; --h2: {t.heading_pt(2)}pt; --h3: {t.heading_pt(3)}pt;
  --line-height: {t.line_height};
  --text: {t.colors.text}; --accent: {t.colors.accent}; --answer: {t.colors.answer};
  --muted: {t.colors.muted}; --rule: {t.colors.rule}; --shade: {t.colors.shade};
  --writing-line: {line:.2f}pt;
  --answer-drop: {line / 2 - t.size * 0.33 - 2.5:.2f}pt;  /* baseline of a model answer just above each rule */
}}
@page {{
  size: {width} {height};
  margin: {t.margins.top} {t.margins.right} {t.margins.bottom} {t.margins.left};
  @top-left {{ content: {header}; }}
  @top-right {{ content: {edition}; }}
  @bottom-left {{ content: string(lesson-title); }}
  @bottom-right {{ content: {footer}; }}
}}
"""


def render_html(handout: Handout, style: Style, paper: str, *, pack_root: Path | None = None,
                header_text: str | None = None, embed_css: bool = False) -> str:
    """The handout as HTML; with ``embed_css`` the style is included, for a standalone preview file."""
    env = _environment(str(pack_root / "templates") if pack_root else None)
    template = env.get_template("handout.html")
    subject = " · ".join(plain(value) for _, value in handout.meta)
    css = None
    if embed_css:
        # Trusted like templates: the style's own stylesheet, from the pack or lessonpack itself.
        css = Markup(page_css(style, paper, handout, header_text)
                     + (BUILTIN_TEMPLATES / "base.css").read_text(encoding="utf-8")
                     + style.css_path.read_text(encoding="utf-8"))
    return template.render(h=handout, L=handout.labels, subject=subject, generator=f"lessonpack {__version__}",
                           created=source_date(), inline_css=css)


def render_standalone_html(handout: Handout, style: Style, paper: str, *, pack_root: Path | None = None,
                           header_text: str | None = None) -> str:
    """A self-contained HTML preview of the handout (what WeasyPrint draws, with the style inlined)."""
    return render_html(handout, style, paper, pack_root=pack_root, header_text=header_text, embed_css=True)
