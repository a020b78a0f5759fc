"""The sound page's preset screen: the instrument on the first line, then three lines of its
presets with the one tried or chosen in inverse video, a dot at the right of the one the
track's sound comes from, and SAVE with the name it would save as after the last.

    INST           synth
     Warm Pad          ·
    >Saw Lead              (inverse)
     SAVE Warm 2
"""
from __future__ import annotations

from reverie.ui.draw.canvas import HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.draw.fields import dot
from reverie.ui.preset_browser import PresetView

TOP, PITCH = 13, 13
CW, CH = cell("small")
TEXT_X = 8


@drawer(PresetView)
def draw_presets(c: Canvas, v: PresetView) -> None:
    if not v.instrument:
        c.text(1, TOP + PITCH, v.note, width=WIDTH - 2)
        return
    end = c.text(1, TOP, "INST", invert=v.focus == 0)
    shown = v.instrument[:(WIDTH - end - 4) // CW]
    c.text_right(WIDTH - 2, TOP, shown)
    for i, text in enumerate(v.note.split("\n") if v.note else ()):
        c.text(1, TOP + (i + 1) * PITCH, text, width=WIDTH - 2)
    for i, line in enumerate(v.lines):
        y = TOP + (i + 1) * PITCH
        if y + CH > HEIGHT:
            break
        on_save = line.text.startswith("SAVE ")
        if line.chosen and (v.focus == 1 or (v.focus == 2 and on_save)):
            c.text(1, y, ">")
        c.text(TEXT_X, y, line.text, invert=line.chosen, width=WIDTH - TEXT_X - 8)
        if line.in_use:
            dot(c, WIDTH - 4, y + 5)
