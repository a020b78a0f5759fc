"""The drawing surface of the 128x64 OLED and the registry of page drawers.

Legible at arm's length: white on black, no grey, and text only in the display font
(Terminus Bold, a bitmap font) at 12 px (6x12 cells, 8 px capitals) or larger. A focused
field is drawn in inverse video. Drawers are registered per view type:

    @drawer(PatternView)
    def draw_pattern(c: Canvas, v: PatternView) -> None: ...
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

from reverie.base.errors import UserError

WIDTH, HEIGHT = 128, 64
FONT_FILE = Path("/usr/share/fonts/opentype/terminus/terminus-bold.otb")
SIZES = {"small": 12, "medium": 16, "big": 24}     # cell heights in px; the smallest is the floor
MIN_TEXT_PX = SIZES["small"]
HEADER_PX = 12                                      # the header row; pages draw below it

_DRAWERS: dict[type, Callable] = {}


@lru_cache(maxsize=None)
def font(size: str) -> ImageFont.FreeTypeFont:
    if size not in SIZES:
        raise ValueError(f"text size {size!r}; sizes: {', '.join(SIZES)}")
    try:
        return ImageFont.truetype(str(FONT_FILE), SIZES[size])
    except OSError:
        raise UserError(f"the display font {FONT_FILE} is missing: "
                        "install fonts-terminus-otb (`make` does)") from None


def cell(size: str) -> tuple[int, int]:
    """(width, height) of one character cell in px."""
    return SIZES[size] // 2, SIZES[size]


def drawer(view_type: type):
    def register(fn):
        _DRAWERS[view_type] = fn
        return fn
    return register


class Canvas:
    """ImageDraw with the house fonts and a few widgets. Coordinates in px, (0, 0) top left."""

    def __init__(self, image: Image.Image):
        self.image = image
        self.d = ImageDraw.Draw(image)
        self.d.fontmode = "1"             # no anti-aliasing on a 1-bit screen

    def text(self, x: int, y: int, s: str, size: str = "small", invert: bool = False,
             width: int | None = None) -> int:
        """Draws `s` with its cell's top-left at (x, y); `invert` fills the box white and
        writes black. `width` (px) clips the text to whole cells. Returns the x after it."""
        cw, ch = cell(size)
        if width is not None:
            s = s[:max(0, width // cw)]
        w = cw * len(s)
        if invert:
            self.d.rectangle((x - 1, y, x + w, y + ch - 1), fill=1)
        self.d.text((x, y), s, font=font(size), fill=0 if invert else 1)
        return x + w

    def text_right(self, x_end: int, y: int, s: str, size: str = "small", invert: bool = False) -> int:
        return self.text(x_end - cell(size)[0] * len(s), y, s, size, invert)

    def rect(self, box: tuple[int, int, int, int], fill: bool = False) -> None:
        self.d.rectangle(box, outline=1, fill=1 if fill else None)

    def hline(self, x0: int, x1: int, y: int) -> None:
        self.d.line((x0, y, x1, y), fill=1)

    def vline(self, x: int, y0: int, y1: int) -> None:
        self.d.line((x, y0, x, y1), fill=1)

    def bar(self, box: tuple[int, int, int, int], amount: float, vertical: bool = False) -> None:
        """An outlined bar filled to `amount` (0..1) from the left or the bottom."""
        x0, y0, x1, y1 = box
        self.rect(box)
        a = min(1.0, max(0.0, amount))
        if vertical:
            top = y1 - round((y1 - y0) * a)
            if top < y1:
                self.d.rectangle((x0, top, x1, y1), fill=1)
        else:
            right = x0 + round((x1 - x0) * a)
            if right > x0:
                self.d.rectangle((x0, y0, right, y1), fill=1)


def render(screen) -> Image.Image:
    """The image of a ui.view.Screen (or of any registered view alone)."""
    image = Image.new("1", (WIDTH, HEIGHT), 0)
    c = Canvas(image)
    from reverie.ui.draw import screen as _screens  # noqa: F401  (registers the drawers)
    _draw(c, screen)
    return image


def _draw(c: Canvas, view) -> None:
    fn = _DRAWERS.get(type(view))
    if fn is None:
        raise TypeError(f"no drawer for {type(view).__name__}")
    fn(c, view)
