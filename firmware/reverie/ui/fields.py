"""The encoder fields a page shows: a label and a value per encoder, drawn in a row of four
(pattern, mixer) or as a list (sound, step). The one-encoder cursor is `focus`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    label: str               # 4 characters at most: "BPM", "FREQ"
    value: str               # the value as shown, unit included where it fits
    focus: bool = False      # the one-encoder cursor is on it (inverse video)
    marked: bool = False     # a lock holds it on the held step (a dot)
    bar: float | None = None     # the normalised value 0..1, for a bar; None: no bar
    bipolar: bool = False    # the bar grows from its middle (pan, tune)


def focus_of(ctx, index: int, count: int) -> bool:
    """Whether field `index` of `count` is under the one-encoder cursor (never with four
    encoders). The cursor wraps like the machine's (ctx.focus modulo the field count)."""
    return ctx.caps.encoders < 4 and count > 0 and ctx.focus % count == index
