"""The sound page: a row per encoder, label, value and a bar of the normalised value
(from the middle for a bipolar parameter); a locked value has a dot after its label."""
from __future__ import annotations

from reverie.ui.draw.canvas import WIDTH, Canvas, drawer
from reverie.ui.draw.fields import bar, dot
from reverie.ui.pages.sound import SoundView

TOP, PITCH = 13, 13
VALUE_END, BAR_X0, BAR_X1 = 80, 84, WIDTH - 2


@drawer(SoundView)
def draw_sound(c: Canvas, v: SoundView) -> None:
    if v.note:
        c.text(1, TOP + PITCH, v.note, width=WIDTH - 2)
        return
    for i, f in enumerate(v.rows[:4]):
        y = TOP + i * PITCH
        end = c.text(1, y, f.label[:4], invert=f.focus)
        if f.marked:
            dot(c, end + 2, y + 5)
        c.text_right(VALUE_END, y, f.value[:8])
        bar(c, (BAR_X0, y + 3, BAR_X1, y + 8), f.bar, f.bipolar)
