"""The mixer: the focused track and the field last turned on top; sixteen strips of 8 px,
each a level bar and a peak meter beside it; a mark row below (M muted, S solo), the
focused track's mark in inverse video. A track the project lacks is a short dash."""
from __future__ import annotations

from reverie.ui.draw.canvas import WIDTH, Canvas, drawer
from reverie.ui.pages.mixer import MixerView

TOP = 13
BAR_TOP, BAR_BOTTOM = 27, 50
MARK_Y = 52
STRIP = 8


@drawer(MixerView)
def draw_mixer(c: Canvas, v: MixerView) -> None:
    c.text(1, TOP, f"T{v.track + 1} {v.name}", width=WIDTH - 6 * (len(v.field.label) + len(v.field.value) + 2))
    c.text_right(WIDTH - 1, TOP, v.field.value)
    c.text_right(WIDTH - 1 - 6 * (len(v.field.value) + 1), TOP, v.field.label, invert=v.field.focus)
    height = BAR_BOTTOM - BAR_TOP
    for i, s in enumerate(v.strips):
        x = i * STRIP
        if not s.present:
            c.hline(x + 2, x + 5, BAR_BOTTOM)
            continue
        top = BAR_BOTTOM - round(height * s.level)
        c.rect((x + 1, BAR_TOP, x + 3, BAR_BOTTOM))
        c.d.rectangle((x + 1, top, x + 3, BAR_BOTTOM), fill=1)
        if s.meter > 0:
            c.d.rectangle((x + 5, BAR_BOTTOM - round(height * s.meter), x + 6, BAR_BOTTOM), fill=1)
        mark = "S" if s.solo else ("M" if s.mute else " ")
        if i == v.track or mark != " ":
            c.text(x + 1, MARK_Y, mark, invert=i == v.track)
