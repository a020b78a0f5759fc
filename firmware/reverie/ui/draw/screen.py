"""The whole screen: the header row, the page's body and an overlay card. Page drawers live in
the other modules of this package (one per page); importing this module registers them all."""
from __future__ import annotations

import importlib
import pkgutil

from reverie.ui import draw as _package
from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, _draw, cell, drawer
from reverie.ui.view import Card, Header, Screen

for _mod in pkgutil.iter_modules(_package.__path__):
    if _mod.name not in ("canvas", "screen"):
        importlib.import_module(f"{_package.__name__}.{_mod.name}")


@drawer(Screen)
def draw_screen(c: Canvas, s: Screen) -> None:
    _draw(c, s.body)
    draw_header(c, s.header)
    if s.overlay is not None:
        draw_card(c, s.overlay)


@drawer(Header)
def draw_header(c: Canvas, h: Header) -> None:
    """ "PATTERN  A01 T1 120▶" : page, pattern, track, tempo and a play/record mark."""
    c.d.rectangle((0, 0, WIDTH - 1, HEADER_PX - 1), fill=0)
    mark = "●" if h.recording else ("▶" if h.playing else "■")
    bpm = round(h.tempo_bpm, 1)
    right = f"{h.pattern} T{h.track + 1} {bpm:g}{mark}"
    c.text_right(WIDTH, 0, right)
    room = WIDTH - cell("small")[0] * (len(right) + 1)     # a space before the right part
    c.text(1 if h.shift else 0, 0, h.title[:8], invert=h.shift, width=room)


@drawer(Card)
def draw_card(c: Canvas, card: Card) -> None:
    """A boxed card at the bottom of the screen, as tall as its text: the title (if any) in
    inverse video, then the lines. Up to four rows stay below the header; a help card of
    five rows (title and four lines) covers it."""
    cw, ch = cell("small")
    rows = ([card.title] if card.title else []) + list(card.lines)
    rows = rows[:(HEIGHT - 3) // ch]
    top = HEIGHT - len(rows) * ch - 3
    top = 0 if top < HEADER_PX else top
    c.d.rectangle((0, top, WIDTH - 1, HEIGHT - 1), fill=0, outline=1)
    for i, row in enumerate(rows):
        c.text(2, top + 2 + ch * i, row, invert=bool(card.title) and i == 0, width=WIDTH - 4)
