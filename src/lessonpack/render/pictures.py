"""Pictures drawn for Word: the PNG an SVG picture falls back to (Word 2016 and older, LibreOffice and Google Docs
show it), drawn by cairosvg with no way to fetch anything, and a failure to draw said in plain words."""

from __future__ import annotations

import re

from ..load.images import PackImage

FALLBACK_DPI = 200
"""Resolution of the PNG drawn from an SVG for Word: sharp on paper, small in the file."""

MAX_FALLBACK_PIXELS = 3000
"""The fallback's longer side, at most."""

TRIAL_BOX = (468.0, 324.0)
"""The room (points) an SVG is drawn into when ``check`` tries it: a letter page's text width, half its height."""


class PictureFailure(Exception):
    """A picture that a renderer could not draw: ``path`` is the picture's file, ``reason`` says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def svg_to_png(data: bytes, width: float, height: float) -> bytes:
    """An SVG drawn as a PNG for a picture ``width`` × ``height`` points, at :data:`FALLBACK_DPI` (at most
    :data:`MAX_FALLBACK_PIXELS` on its longer side). cairosvg is given no way to fetch anything: with no
    fetcher and ``unsafe`` off it loads nothing but ``data:`` URIs."""
    import cairosvg  # only when a handout has an SVG: it loads cairo

    scale = FALLBACK_DPI / 72
    wide, tall = width * scale, height * scale
    shrink = min(1.0, MAX_FALLBACK_PIXELS / max(wide, tall, 1.0))
    return cairosvg.svg2png(bytestring=data, output_width=max(1, round(wide * shrink)),
                            output_height=max(1, round(tall * shrink)), unsafe=False, background_color="white")


def drawing_reason(exc: BaseException) -> str:
    """Why cairosvg could not draw an SVG, in a few plain words."""
    if isinstance(exc, RecursionError):
        return "it nests too deeply"
    text = re.sub(r"^cairo returned \w+: ", "", str(exc)).strip().strip("b'\"") or type(exc).__name__
    return text[:120]


def trial_draw(task: tuple[str, bytes, float, float]) -> str | None:
    """Draw one SVG (``(hash, bytes, width, height)``) as :func:`svg_to_png` does for Word; None, or why it
    cannot be drawn."""
    _, data, width, height = task
    try:
        svg_to_png(data, width, height)
    except MemoryError:
        raise
    except Exception as exc:  # cairosvg's and cairo's own failures: the picture's problem, said plainly
        return drawing_reason(exc)
    return None


def trial_size(image: PackImage) -> tuple[float, float]:
    room_w, room_h = TRIAL_BOX
    width, height = ((image.width * 0.75, image.height * 0.75) if image.sized
                     else (room_w, room_w * image.height / image.width))
    scale = min(1.0, room_w / width, room_h / height)
    return width * scale, height * scale


