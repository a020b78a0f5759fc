"""The step page: "S5/16", the track's name and the trig state on top, then three lines of the list with
the chosen one's label in inverse video (and its value too when the one-encoder cursor is
on the value); a lock's label is followed by a dot; a scroll bar at the right edge."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEIGHT, WIDTH, Canvas, drawer
from reverie.ui.draw.fields import dot
from reverie.ui.pages.step import StepView

TOP, PITCH, ROWS = 13, 13, 3
LIST_Y = TOP + PITCH
BAR_X = WIDTH - 2


@drawer(StepView)
def draw_step(c: Canvas, v: StepView) -> None:
    end = c.text(1, TOP, f"S{v.step + 1}/{v.length}", invert=v.focus == 2)
    state = v.state.upper()
    c.text(end + 6, TOP, v.name, width=BAR_X - 2 - 6 * (len(state) + 1) - end - 6)
    c.text_right(BAR_X - 2, TOP, state)
    first = max(0, min(v.cursor - 1, len(v.lines) - ROWS))
    for row, i in enumerate(range(first, min(first + ROWS, len(v.lines)))):
        label, value, locked = v.lines[i]
        y = LIST_Y + row * PITCH
        chosen = i == v.cursor
        end = c.text(1, y, label, invert=chosen)
        if locked:
            dot(c, end + 2, y + 5)
        c.text_right(BAR_X - 3, y, value[:10], invert=chosen and v.focus == 1)
    if len(v.lines) > ROWS:
        span = HEIGHT - LIST_Y
        top = LIST_Y + span * first // len(v.lines)
        bottom = LIST_Y + span * (first + ROWS) // len(v.lines) - 1
        c.d.rectangle((BAR_X, top, BAR_X + 1, bottom), fill=1)
