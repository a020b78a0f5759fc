"""The practice prompts (ui/practice/prompts.py): the mood scale, the intention words, the
character wheel, the tags and the breathing pacer. Short words, the house font, the chosen
thing in inverse video as everywhere else."""
from __future__ import annotations

import math

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.practice.prompts import MoodView, PacerView, TagsView, WheelView, WordsView

CW, CH = cell("small")
MW, MH = cell("medium")
BW, BH = cell("big")
TOP = HEADER_PX + 1
ROWS = (TOP + CH + 1, TOP + 2 * CH + 1, TOP + 3 * CH + 1)     # three lines under the question


@drawer(MoodView)
def draw_mood(c: Canvas, v: MoodView) -> None:
    c.text(1, TOP, v.question, width=WIDTH - 2)
    if v.value is None:
        c.text((WIDTH - CW * 18) // 2, TOP + CH + 6, "turn, or tap a pad")
    else:
        text = str(v.value)
        c.text((WIDTH - BW * len(text)) // 2, TOP + CH, text, size="big")
    x = (WIDTH - CW * 20) // 2
    for n in range(1, 11):
        x = c.text(x, HEIGHT - CH, str(n), invert=n == v.value) + (CW if n < 9 else 0 if n == 10 else CW)


def _list(c: Canvas, items, at: int, x: int = 8) -> None:
    first = max(0, min(at - 1, len(items) - len(ROWS)))
    for row, i in enumerate(range(first, min(len(items), first + len(ROWS)))):
        c.text(x, ROWS[row], items[i], invert=i == at, width=WIDTH - x - 4)
    if len(items) > len(ROWS):               # a scroll bar at the right edge
        span = HEIGHT - ROWS[0]
        top = ROWS[0] + span * first // len(items)
        bottom = ROWS[0] + span * min(len(items), first + len(ROWS)) // len(items) - 1
        c.d.rectangle((WIDTH - 2, top, WIDTH - 1, bottom), fill=1)


@drawer(WordsView)
def draw_words(c: Canvas, v: WordsView) -> None:
    c.text(1, TOP, v.question, width=WIDTH - 2)
    _list(c, v.items, v.at)


@drawer(WheelView)
def draw_wheel(c: Canvas, v: WheelView) -> None:
    c.text(1, TOP, v.question, width=WIDTH - 2)
    shown = (v.text + "_")[-(WIDTH // MW - 1):]
    y = TOP + CH + 1
    c.text(2, y, shown, size="medium")
    c.hline(1, WIDTH - 2, y + MH)
    if v.typing:
        return                                # typed on a keyboard: no wheel to turn
    yw = HEIGHT - MH
    word = _shown(v.current)
    w = MW * len(word)
    x0 = (WIDTH - w) // 2
    c.text(x0, yw, word, size="medium", invert=True)
    x = x0 - 4
    for item in reversed(v.before):           # nearest first, leftwards
        s = _shown(item)
        x -= CW * len(s)
        if x < 0:
            break
        c.text(x, yw + 2, s)
        x -= 4
    x = x0 + w + 4
    for item in v.after:
        s = _shown(item)
        if x + CW * len(s) > WIDTH:
            break
        x = c.text(x, yw + 2, s) + 4


def _shown(item: str) -> str:
    return "·" if item == " " else item


@drawer(TagsView)
def draw_tags(c: Canvas, v: TagsView) -> None:
    c.text(1, TOP, v.question, width=WIDTH - 2)
    rows = (len(v.items) + 1) // 2
    first = max(0, min(v.at // 2 - 1, rows - len(ROWS)))
    for row in range(len(ROWS)):
        for col in range(2):
            i = (first + row) * 2 + col
            if i >= len(v.items):
                continue
            x = 1 + col * (WIDTH // 2)
            c.text(x, ROWS[row], "●" if v.chosen[i] else " ")
            c.text(x + CW + 1, ROWS[row], v.items[i], invert=i == v.at, width=WIDTH // 2 - CW - 3)


@drawer(PacerView)
def draw_pacer(c: Canvas, v: PacerView) -> None:
    cx, cy, most = WIDTH // 2, (HEADER_PX + HEIGHT) // 2 + 1, (HEIGHT - HEADER_PX) // 2 - 3
    for k in range(36):                       # the full breath, dotted
        a = k * math.pi / 18
        c.d.point((round(cx + most * math.cos(a)), round(cy + most * math.sin(a))), fill=1)
    r = 2 + round(v.size * (most - 4))
    c.d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=1)
    c.text(2, cy - CH // 2, "in" if v.phase == "in" else "out")
    c.text_right(WIDTH - 1, cy - CH // 2, f"{v.remaining_s // 60}:{v.remaining_s % 60:02d}")
