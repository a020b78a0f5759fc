"""The song page: the mode line, then the chain as a grid of pattern names or the song as rows.

    SONG  ▶song ↻     3/12        CHAIN ▶chain     7/64
    A01 ×4  120 ▮▮▮▮▮▮▮▮...       A01  A02  A01  A03  B01
    ...                           ...

The cursor line is in inverse video (four encoders edit its fields); with one encoder only
the focused field is, and the cursor is framed. A bar at the left edge marks what plays.
"""
from __future__ import annotations

from reverie.project.model import MAX_CHAIN
from reverie.ui.draw.canvas import HEADER_PX, WIDTH, Canvas, cell, drawer
from reverie.ui.pages.song import MODE_LINE, SongView

CW, CH = cell("small")
TOP = HEADER_PX                  # the mode line
LIST_TOP = TOP + CH + 3          # the first line of entries or rows, below a rule
LINES = 3
CELLS = 5                        # chain entries per line
CELL_W = 25
CHAIN_X = 4                      # room for the move arrow left of the first cell
DOT_X, DOT_PITCH = 76, 3         # the 16 mute dots
RIGHT_CHARS = 5                  # the mode line's right part: what is queued, or a count


@drawer(SongView)
def draw_song(c: Canvas, v: SongView) -> None:
    _mode_line(c, v)
    c.hline(0, WIDTH - 1, LIST_TOP - 2)
    if v.view == "chain":
        _chain(c, v)
    else:
        _rows(c, v)


def _lit(v: SongView, line: int, field: str) -> bool:
    """Is this field drawn in inverse: the cursor line's fields (four encoders), or the one
    focused field (one encoder)."""
    if v.line != line:
        return False
    return field in v.fields if v.focus == "" else v.focus == field


def _mode_line(c: Canvas, v: SongView) -> None:
    c.text(1, TOP, v.view.upper(), invert=_lit(v, MODE_LINE, "view"))
    x = c.text(37, TOP, f"▶{v.mode}", invert=_lit(v, MODE_LINE, "mode"))
    if v.view == "song":
        c.text(x + 4, TOP, "↻" if v.loop else "→", invert=_lit(v, MODE_LINE, "loop"))
    if v.queued:
        right = f"→{v.queued}"
    elif v.view == "chain":
        right = f"{len(v.chain)}/{MAX_CHAIN}"
    else:
        right = f"{min(v.line + 1, len(v.rows))}/{len(v.rows)}"
        right = right if len(right) <= RIGHT_CHARS else right.split("/")[0]
    c.text_right(WIDTH, TOP, right)
    if v.focus == "line" and v.line == MODE_LINE:
        c.rect((0, TOP - 1, WIDTH - 1, TOP + CH - 1))


def _first(line: int, per_line: int, total: int) -> int:
    """The first visible list line, so that the cursor's line is in view."""
    row = max(0, line) // per_line
    last = max(0, -(-total // per_line) - LINES)
    return max(0, min(row - 1, last))


def _chain(c: Canvas, v: SongView) -> None:
    total = len(v.chain) + 1                    # the entries and the end
    first = _first(v.line, CELLS, total)
    for i in range(first * CELLS, min(total, (first + LINES) * CELLS)):
        x = CHAIN_X + (i % CELLS) * CELL_W
        y = LIST_TOP + (i // CELLS - first) * CH
        name = v.chain[i] if i < len(v.chain) else "+"
        if v.line == i and v.focus == "rows" and i < len(v.chain):
            name = "-/+"
        field = "pattern" if i < len(v.chain) else "rows"
        c.text(x, y, name, invert=_lit(v, i, field) or (v.line == i and v.focus in ("move", "rows")))
        if v.line == i and v.focus == "line":
            c.rect((x - 2, y - 1, x + CW * 3, y + CH - 1))
        if v.line == i and v.focus == "move":
            _arrows(c, x - 4, x + CW * 3 + 2, y + CH // 2)
        if i == v.playing:
            c.hline(x, x + CW * 3 - 1, y + CH - 1)


def _arrows(c: Canvas, left: int, right: int, y: int) -> None:
    """Arrowheads either side of a chain entry being moved."""
    c.d.polygon(((left, y), (left + 2, y - 2), (left + 2, y + 2)), fill=1)
    c.d.polygon(((right + 2, y), (right, y - 2), (right, y + 2)), fill=1)


def _rows(c: Canvas, v: SongView) -> None:
    total = len(v.rows) + 1
    first = _first(v.line, 1, total)
    for i in range(first, min(total, first + LINES)):
        y = LIST_TOP + (i - first) * CH
        if i == len(v.rows):
            c.text(4, y, "+", invert=_lit(v, i, "rows"))
        else:
            _row(c, v, i, y)
        if v.line == i and v.focus == "line":
            c.rect((2, y - 1, WIDTH - 1, y + CH - 1))
        if i == v.playing:
            c.d.rectangle((0, y, 1, y + CH - 2), fill=1)


def _row(c: Canvas, v: SongView, i: int, y: int) -> None:
    row = v.rows[i]
    c.text(4, y, row.pattern, invert=_lit(v, i, "pattern"))
    c.text(28, y, f"×{row.repeats:<2d}", invert=_lit(v, i, "repeats"))
    tempo = "-" if row.tempo is None else f"{row.tempo:.0f}"
    c.text(52, y, f"{tempo:>3}", invert=_lit(v, i, "tempo"))
    if _lit(v, i, "rows") and v.focus == "rows":
        c.text(DOT_X, y, "-/+ row", invert=True)
        return
    lit = _lit(v, i, "rows")
    if lit:
        c.d.rectangle((DOT_X - 1, y, WIDTH - 1, y + CH - 1), fill=1)
    for t in range(16):
        x = DOT_X + t * DOT_PITCH + (t // 4)
        muted = t in row.mutes
        top = y + CH - 3 if muted else y + 3
        c.d.rectangle((x, top, x + 1, y + CH - 3), fill=0 if lit else 1)
