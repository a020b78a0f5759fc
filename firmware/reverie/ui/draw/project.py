"""The project page: the menu under the name, the name being spelled, the project list, the
saves kept by time (newest first), or a question with NO and YES.

    Night bus                 (medium)
    unsaved       undo 12
    SAVE   SAVE AS  LOAD
    NEW    HISTORY
"""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.project import BACK, NAME_CHARS, OK, ProjectView

CW, CH = cell("small")
MW, MH = cell("medium")
TOP = HEADER_PX + 1
STATES = {"saved": "saved", "unsaved": "unsaved", "new": "not saved yet"}
LIST_LINES = 4
MENU_X = (1, 36, 94)              # three columns, two rows of small letters under the name


@drawer(ProjectView)
def draw_project(c: Canvas, v: ProjectView) -> None:
    {"menu": _menu, "name": _name, "load": _load, "history": _history, "confirm": _confirm}[v.mode](c, v)


def _menu(c: Canvas, v: ProjectView) -> None:
    c.text(1, HEADER_PX, v.name, size="medium", width=WIDTH - 2)
    y = HEADER_PX + MH
    c.text(1, y, STATES[v.state])
    c.text_right(WIDTH - 1, y, f"undo {v.undo}")
    for i, item in enumerate(v.items):
        x, row = MENU_X[i % len(MENU_X)], i // len(MENU_X)
        c.text(x, y + CH + row * CH, item, invert=i == v.at)


def _name(c: Canvas, v: ProjectView) -> None:
    c.text(1, TOP, "name it:")
    y = TOP + CH + 2
    pitch = MW + 1                                      # an inverse letter keeps off its neighbours
    x0 = (WIDTH - pitch * NAME_CHARS) // 2 + 1
    for i, ch in enumerate(v.spelled):
        x = x0 + i * pitch
        if i == v.pos and v.editing:
            c.text(x, y, ch, size="medium", invert=True)
        else:
            c.text(x, y, ch, size="medium")
            c.hline(x, x + MW - 2, y + MH)             # every place a letter can go
        if i == v.pos and not v.editing:
            c.d.rectangle((x - 1, y, x + MW - 1, y + MH), outline=1)
    yb = HEIGHT - CH - 1
    c.text(8, yb, "SAVE", invert=v.pos == OK)
    c.text(WIDTH - 8 - 4 * CW, yb, "BACK", invert=v.pos == BACK)


def _load(c: Canvas, v: ProjectView) -> None:
    first = max(0, min(v.at - 1, len(v.items) - LIST_LINES))
    for row, i in enumerate(range(first, min(len(v.items), first + LIST_LINES))):
        y = HEADER_PX + row * CH + 2
        item = v.items[i]
        c.text(1, y, "●" if item == v.current else " ")
        c.text(9, y, item, invert=i == v.at, width=WIDTH - 10)


def _history(c: Canvas, v: ProjectView) -> None:
    first = max(0, min(v.at - 1, len(v.items) - LIST_LINES))
    for row, i in enumerate(range(first, min(len(v.items), first + LIST_LINES))):
        c.text(9, HEADER_PX + row * CH + 2, v.items[i], invert=i == v.at, width=WIDTH - 10)


def _confirm(c: Canvas, v: ProjectView) -> None:
    for i, line in enumerate(v.question[:3]):
        c.text(1, HEADER_PX + i * CH, line, width=WIDTH - 2)
    yb = HEIGHT - CH
    c.text(24, yb, "NO", invert=v.at == 0)
    c.text(WIDTH - 24 - 3 * CW, yb, "YES", invert=v.at == 1)
