"""The pattern page: the track and step page on top, sixteen step cells in groups of four,
the encoders' fields at the bottom.

A trig is a filled cell, an empty step a low mark, a trig with locks a filled cell with a
hole, a step whose trig is off (kept, or a trigless lock) an outline; past the track's end
nothing. The step playing has a bar under it; a held step a frame around it."""
from __future__ import annotations

from reverie.ui.draw.canvas import WIDTH, Canvas, drawer
from reverie.ui.draw.fields import columns
from reverie.ui.pages.pattern import EMPTY, LOCKED, NONE, OFF, PatternView

TOP = 13
CELL_Y, CELL_W, CELL_H = 27, 6, 9
FIELDS_Y = 40


def cell_x(i: int) -> int:
    """Cells 7 px apart, 3 px more between groups of four."""
    return 4 + i * 7 + (i // 4) * 3


@drawer(PatternView)
def draw_pattern(c: Canvas, v: PatternView) -> None:
    c.text(1, TOP, v.info or v.name, width=WIDTH - 32)
    if v.pages > 1:
        c.text_right(WIDTH - 1, TOP, f"{v.page + 1}/{v.pages}")
    for i, kind in enumerate(v.cells):
        _cell(c, cell_x(i), kind)
    for i in v.held:
        x = cell_x(i)
        c.rect((x - 2, CELL_Y - 2, x + CELL_W + 1, CELL_Y + CELL_H + 1))
    if v.playhead >= 0:
        x = cell_x(v.playhead)
        c.d.rectangle((x, CELL_Y + CELL_H + 2, x + CELL_W - 1, CELL_Y + CELL_H + 3), fill=1)
    columns(c, v.fields, FIELDS_Y)


def _cell(c: Canvas, x: int, kind: int) -> None:
    box = (x, CELL_Y, x + CELL_W - 1, CELL_Y + CELL_H - 1)
    bottom = CELL_Y + CELL_H - 1
    if kind == EMPTY:
        c.d.rectangle((x + 1, bottom - 1, x + CELL_W - 2, bottom), fill=1)
    elif kind == OFF:
        c.rect(box)
    elif kind != NONE:
        c.rect(box, fill=True)
        if kind == LOCKED:
            c.d.rectangle((x + 2, CELL_Y + 3, x + CELL_W - 3, bottom - 3), fill=0)
