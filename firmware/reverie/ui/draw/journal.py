"""The journal page: three lines of words on the left, the mood change of the last
sessions on the right (a bar up for better, down for worse, a dot for unchanged, nothing
where the moods were not both given), "done for now" at the bottom.

    47 min       |  ▌ ▌   ▌
    this week    |--▐-----▐--
    3 weeks on   |     ▐
    [done for now]   4/7 days      (days played of the last seven)
"""
from __future__ import annotations

from reverie.ui.draw.canvas import HEADER_PX, HEIGHT, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.journal import JournalView

CW, CH = cell("small")
CHART_X0, CHART_X1 = 78, WIDTH - 1
CHART_TOP, CHART_BOTTOM = HEADER_PX + 2, HEIGHT - CH - 3
BAR_W, BAR_PITCH = 3, 4
SCALE = 5                       # a change of 5 or more fills the half height
DONE = "done for now"


def streak_words(weeks: int, sessions: int) -> str:
    if sessions == 0:
        return "a fresh page"
    if weeks == 0:
        return "welcome back"
    return f"{weeks} week{'s' * (weeks != 1)} on"


@drawer(JournalView)
def draw_journal(c: Canvas, v: JournalView) -> None:
    y = HEADER_PX + 1
    s = v.summary
    if s is None:
        c.text(1, y, "reading…")
    elif s.failed:
        c.text(1, y, "journal not read", width=WIDTH - 2)
        c.text(1, y + CH, s.failed, width=WIDTH - 2)
    else:
        c.text(1, y, f"{s.week_minutes} min", width=CHART_X0 - 2)
        c.text(1, y + CH, "this week", width=CHART_X0 - 2)
        c.text(1, y + 2 * CH, streak_words(s.weeks_running, s.sessions), width=CHART_X0 - 2)
        _chart(c, s.changes)
        c.text_right(WIDTH, HEIGHT - CH, f"{s.days_last7}/7 days")
    c.text(1, HEIGHT - CH, DONE, invert=True)


def _chart(c: Canvas, changes) -> None:
    mid = (CHART_TOP + CHART_BOTTOM) // 2
    half = (CHART_BOTTOM - CHART_TOP) // 2
    c.d.line((CHART_X0, mid, CHART_X1, mid), fill=1)
    c.vline(CHART_X0, CHART_TOP, CHART_BOTTOM)
    x = CHART_X1 - BAR_PITCH * len(changes) + 1
    for change in changes:
        if change is not None:
            h = round(half * max(-SCALE, min(SCALE, change)) / SCALE)
            if h == 0:
                c.d.rectangle((x, mid - 1, x + BAR_W - 1, mid + 1), fill=1)
            else:
                top, bottom = (mid - h, mid) if h > 0 else (mid, mid - h)
                c.d.rectangle((x, top, x + BAR_W - 1, bottom), fill=1)
        x += BAR_PITCH
