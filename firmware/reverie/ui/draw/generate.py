"""The GEN page: the rhythm E(k,n) with its rotation and the rhythm itself as cells across the
screen (a pulse filled, a rest a dot); then the three generators, the one ENC4 pushes in
inverse video, MELODY with the scale it plays in. One encoder: the focused field inverted."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.generate import ACTIONS, GenerateView

CW, CH = cell("small")
TOP = HEADER_PX + 1
CELLS_Y, CELL_H = TOP + CH + 1, 6


@drawer(GenerateView)
def draw_generate(c: Canvas, v: GenerateView) -> None:
    x = c.text(1, TOP, "E(")
    x = c.text(x, TOP, str(v.pulses), invert=v.focus == 0)
    x = c.text(x, TOP, ",")
    x = c.text(x, TOP, str(v.steps), invert=v.focus == 1)
    x = c.text(x, TOP, ") ")
    c.text(x, TOP, f"r{v.rotation}", invert=v.focus == 2)
    c.text_right(WIDTH - 1, TOP, v.track[:8])
    width = max(2, WIDTH // len(v.rhythm))
    for i, on in enumerate(v.rhythm):
        x0 = i * width
        if on:
            c.d.rectangle((x0, CELLS_Y, x0 + width - 2, CELLS_Y + CELL_H - 1), fill=1)
        else:
            mid = CELLS_Y + CELL_H // 2
            c.d.rectangle((x0 + (width - 2) // 2, mid, x0 + (width - 2) // 2, mid), fill=1)
    y = CELLS_Y + CELL_H + 2
    labels = ("EUCLID", "MELODY", "FILL")
    x = 1
    for i, label in enumerate(labels[:len(ACTIONS)]):
        x = c.text(x, y, label, invert=i == v.action and v.focus in (-1, 3)) + CW
    c.text(1, y + CH, f"in {v.scale}", width=WIDTH - 2)
