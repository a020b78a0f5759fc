"""The settings page: four settings a screen, the label on the left and the value on the
right, a scroll bar at the right edge for the screens. With one encoder the focused
setting's value is in inverse video."""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.settings import SettingsView

CW, CH = cell("small")
TOP = HEADER_PX + 1
BAR_X = WIDTH - 3                  # the scroll bar, 3 px wide
VALUE_END = BAR_X - 3


@drawer(SettingsView)
def draw_settings(c: Canvas, v: SettingsView) -> None:
    for i, (label, value) in enumerate(v.lines):
        y = TOP + i * CH
        c.text(1, y, label, width=VALUE_END - CW * (len(value) + 1))
        c.text_right(VALUE_END, y, value, invert=i == v.focus)
    bottom = HEIGHT - 2
    c.vline(BAR_X + 1, TOP, bottom)
    span = (bottom - TOP) / max(1, v.screens)
    c.d.rectangle((BAR_X, round(TOP + v.screen * span), BAR_X + 2,
                   round(TOP + (v.screen + 1) * span) - 1), fill=1)
