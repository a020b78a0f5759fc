"""The breathing pacer's clock: about six breaths a minute, in for 5 s and out for 5 s, the
shape on the screen growing while breathing in and shrinking while breathing out along a
half cosine (slow at the turns, as a breath is)."""
from __future__ import annotations

import math
from dataclasses import dataclass

BREATHS_PER_MINUTE = 6
BREATH_S = 60.0 / BREATHS_PER_MINUTE
IN_S = BREATH_S / 2                 # in, then out, as long again
OUT_S = BREATH_S - IN_S


@dataclass(frozen=True)
class Breath:
    phase: str          # "in" or "out"
    count: int          # breaths begun since the start, from 0
    progress: float     # 0..1 through the phase
    size: float         # 0..1, the shape's size


def breath(elapsed_s: float) -> Breath:
    """Where the breath is `elapsed_s` seconds after the pacer started."""
    t = max(0.0, elapsed_s)
    count, into = divmod(t, BREATH_S)
    if into < IN_S:
        p = into / IN_S
        return Breath("in", int(count), p, 0.5 - 0.5 * math.cos(math.pi * p))
    p = (into - IN_S) / OUT_S
    return Breath("out", int(count), p, 0.5 + 0.5 * math.cos(math.pi * p))
