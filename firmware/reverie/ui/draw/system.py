"""The system page: the DSP load as a percentage and a bar, then the scrolled lines, each a
left and a right part, with a scroll bar when they do not fit. A load past 90 % and any
dropout (xrun) are in inverse video."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.system import SCROLLED_LINES, SystemView

CW, CH = cell("small")
TOP = HEADER_PX + 1
HOT = 0.9                          # a load this high leaves little room before dropouts
RIGHT = WIDTH - 5                  # text ends here; a scroll bar runs down the right edge


@drawer(SystemView)
def draw_system(c: Canvas, v: SystemView) -> None:
    x = c.text(1, TOP, "DSP")
    pct = f"{round(v.load * 100):3d}%"
    c.text_right(RIGHT, TOP, pct, invert=v.load >= HOT)
    c.bar((x + CW, TOP + 3, RIGHT - 4 - CW * len(pct), TOP + CH - 4), v.load)
    for row, (left, right) in enumerate(v.lines[v.first:v.first + SCROLLED_LINES]):
        y = TOP + (row + 1) * CH
        c.text(1, y, left, width=RIGHT - 1 - CW * (len(right) + 1 if right else 0))
        if right:
            c.text_right(RIGHT, y, right, invert=right.startswith("xruns") and v.xruns > 0)
    if len(v.lines) > SCROLLED_LINES:
        top, bottom = TOP + CH, HEIGHT - 2
        span = (bottom - top) / len(v.lines)
        c.vline(WIDTH - 2, top, bottom)
        c.d.rectangle((WIDTH - 3, round(top + v.first * span), WIDTH - 1,
                       round(top + (v.first + SCROLLED_LINES) * span) - 1), fill=1)
