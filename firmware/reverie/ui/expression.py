"""A keyboard's mod wheel and aftertouch (base.events.Expression) for the focused track: an
effect the controller hands to the engine (CMD_TRACK_MOD), read by the instrument's
modulation routes. Checked here, as every input is."""
from __future__ import annotations

import math

from reverie.base.errors import UserError
from reverie.base.events import Expression
from reverie.ui import effects as fx

WHICH = {"wheel": 0, "pressure": 1}     # the engine's numbering (AudioEngine.set_mod)

__all__ = ["Expression", "expression"]


def expression(track: int, ev: Expression) -> list:
    if ev.control not in WHICH:
        raise UserError(f"no expression control {ev.control!r}; known: {', '.join(WHICH)}")
    v = ev.value
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 1:
        raise UserError(f"a {ev.control} value is 0..1, not {v!r}")
    return [fx.Modulate(track, WHICH[ev.control], float(v))]
