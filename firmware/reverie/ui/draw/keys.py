"""The keys page: on the left the scale, the root with the octave and the row layout, what a
pad plays (notes, triads or 7ths, latch) and the notes the last hit played; on the right the
16 pads as the panel has them, the root pads outlined, the others a dot, a sounding pad
filled. With one encoder the focused field is in inverse video."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, WIDTH, Canvas, cell, drawer
from reverie.ui.keys import COLUMNS
from reverie.ui.pages.keys import KeysView

CW, CH = cell("small")
TOP = HEADER_PX + 1
PAD, GAP = 10, 2
GRID_X = WIDTH - COLUMNS * PAD - (COLUMNS - 1) * GAP      # 82
GRID_Y = TOP + 2
TEXT_W = GRID_X - 4


@drawer(KeysView)
def draw_keys(c: Canvas, v: KeysView) -> None:
    c.text(1, TOP, v.scale, width=TEXT_W, invert=v.focus == 0)
    x = c.text(1, TOP + CH, v.root, invert=v.focus == 1) + CW
    x = c.text(x, TOP + CH, f"oct{v.octave}", invert=v.focus == 3) + CW
    c.text(x, TOP + CH, v.layout)
    x = c.text(1, TOP + 2 * CH, v.chords, invert=v.focus == 2)
    if v.latch:
        c.text(x + CW, TOP + 2 * CH, "latch")
    c.text(1, TOP + 3 * CH, " ".join(v.playing), width=TEXT_W)
    for i, pad in enumerate(v.pads):
        row, column = divmod(i, COLUMNS)
        x0, y0 = GRID_X + column * (PAD + GAP), GRID_Y + row * (PAD + GAP)
        box = (x0, y0, x0 + PAD - 1, y0 + PAD - 1)
        if pad.sounding:
            c.rect(box, fill=True)
        elif pad.root:
            c.rect(box)
            c.d.rectangle((x0 + 2, y0 + 2, x0 + PAD - 3, y0 + PAD - 3), outline=1)
        else:
            mid = PAD // 2
            c.d.rectangle((x0 + mid - 1, y0 + mid - 1, x0 + mid, y0 + mid), fill=1)
