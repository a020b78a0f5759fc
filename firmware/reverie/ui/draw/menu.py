"""The menu: four lines of the list, the cursor's line in inverse video, the page open
under the menu marked with a "*", a scroll bar at the right edge."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEIGHT, WIDTH, Canvas, drawer
from reverie.ui.pages.menu import MenuView

TOP, PITCH, ROWS = 13, 13, 4
TEXT_X, BAR_X = 8, WIDTH - 3


@drawer(MenuView)
def draw_menu(c: Canvas, v: MenuView) -> None:
    first = max(0, min(v.cursor - 1, len(v.items) - ROWS))
    for row, i in enumerate(range(first, min(first + ROWS, len(v.items)))):
        y = TOP + row * PITCH
        text = v.items[i]
        if v.choosing and i == v.cursor:
            text = f"{text} <>"
        if i == v.current:
            c.text(1, y, "*")
        c.text(TEXT_X, y, text, invert=i == v.cursor, width=BAR_X - TEXT_X - 2)
    if len(v.items) > ROWS:
        span = HEIGHT - TOP
        top = TOP + span * first // len(v.items)
        bottom = TOP + span * min(len(v.items), first + ROWS) // len(v.items) - 1
        c.d.rectangle((BAR_X, top, BAR_X + 1, bottom), fill=1)
