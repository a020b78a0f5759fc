"""The LISTEN page: four lines of the list, the chosen one in inverse video; a session's
heading with a rule after it (a word such as "nothing kept yet" without one); the capture playing back marked with ▶ and its progress; a
scroll bar at the right edge when the list is longer than the screen."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.listen import ListenView

CW, CH = cell("small")
TOP, ROWS = HEADER_PX + 1, 4
RIGHT = WIDTH - 4                  # text ends here; the scroll bar runs down the right edge


@drawer(ListenView)
def draw_listen(c: Canvas, v: ListenView) -> None:
    first = max(0, min(v.at - 1, len(v.rows) - ROWS))
    for line, row in enumerate(v.rows[first:first + ROWS]):
        y = TOP + line * CH
        chosen = first + line == v.at
        if row.kind in ("session", "note"):
            x = c.text(1, y, row.left, width=RIGHT - 1)
            if row.kind == "session" and x + CW < RIGHT:
                c.hline(x + CW // 2, RIGHT - 1, y + CH // 2)
            continue
        x0 = 1 if row.kind == "action" else 1 + CW
        if row.playing:
            c.text(1, y, "▶")
        width = RIGHT - x0 - CW * (len(row.right) + 1 if row.right else 0)
        c.text(x0, y, row.left, invert=chosen, width=width)
        if row.right:
            c.text_right(RIGHT, y, row.right)
    if len(v.rows) > ROWS:
        span = (HEIGHT - 1 - TOP) / len(v.rows)
        c.vline(WIDTH - 2, TOP, HEIGHT - 1)
        c.d.rectangle((WIDTH - 3, round(TOP + first * span), WIDTH - 1,
                       round(TOP + (first + ROWS) * span) - 1), fill=1)
