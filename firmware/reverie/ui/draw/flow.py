"""The flow screen: one row a track, its 16 steps as blocks (a trig; an empty beat a dot)
with the step playing underlined, and its level as a bar at the right; rows as tall as the tracks allow (3 to 6
px), nothing else."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, drawer
from reverie.ui.pages.flow import FlowView

TOP = HEADER_PX + 2
CELL, PITCH = 5, 6                  # a step's block and the distance to the next
LEVEL_X = 16 * PITCH + 4            # 100
LEVEL_W = WIDTH - LEVEL_X


@drawer(FlowView)
def draw_flow(c: Canvas, v: FlowView) -> None:
    if not v.rows:
        return
    h = max(3, min(6, (HEIGHT - TOP) // len(v.rows)))
    for r, row in enumerate(v.rows):
        y = TOP + r * h
        for k, trig in enumerate(row.trigs):
            x = k * PITCH
            if trig:
                c.d.rectangle((x, y, x + CELL - 1, y + h - 3), fill=1)
            elif k % 4 == 0:        # a dot on each beat: where the bar is
                c.d.point((x + CELL // 2, y + (h - 3) // 2), fill=1)
            if k == row.playing:
                c.hline(x, x + CELL - 1, y + h - 2)
        width = round(LEVEL_W * row.level)
        if width > 0:
            c.d.rectangle((LEVEL_X, y, LEVEL_X + width - 1, y + h - 3), fill=1)
