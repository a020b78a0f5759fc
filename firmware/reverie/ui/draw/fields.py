"""Drawing the encoder fields (ui/fields.py): a row of four columns (label over value) or a
list row (label, value, bar). No drawer is registered here; page drawers call these."""
from __future__ import annotations

from reverie.ui.draw.canvas import WIDTH, Canvas
from reverie.ui.fields import Field

COLUMN = WIDTH // 4         # px per field in a row of four


def columns(c: Canvas, fields: tuple[Field, ...], y: int) -> None:
    """Labels on the line at `y`, values on the line below; the cursor's label inverse,
    a locked field's label underlined."""
    for i, f in enumerate(fields[:4]):
        x = i * COLUMN + 1
        end = c.text(x, y, f.label[:4], invert=f.focus)
        if f.marked:
            c.hline(x, end - 1, y + 11)
        c.text(x, y + 12, f.value, width=COLUMN - 2)


def dot(c: Canvas, x: int, y: int) -> None:
    """A 2x2 mark: a lock holds this value."""
    c.d.rectangle((x, y, x + 1, y + 1), fill=1)


def bar(c: Canvas, box: tuple[int, int, int, int], amount: float | None, bipolar: bool) -> None:
    """An outlined bar filled to `amount` from the left, or from the middle when bipolar."""
    if amount is None:
        return
    if not bipolar:
        c.bar(box, amount)
        return
    x0, y0, x1, y1 = box
    c.rect(box)
    mid = (x0 + x1) // 2
    to = x0 + round((x1 - x0) * min(1.0, max(0.0, amount)))
    c.d.rectangle((min(mid, to), y0, max(mid, to), y1), fill=1)
