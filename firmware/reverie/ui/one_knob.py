"""Reaching every field with fewer than four encoders, on pages that keep their own focus.

With four encoders ENC1..ENC4 edit the fields shown. With fewer (the minimal box has one)
such a page keeps a focus by name: a click of ENC1 moves it to the next field, a turn edits
the focused field, a double click is the push of the field focused before it. A long push
is the machine's (its menu), as are the press and a hold-and-turn (ui/cursor.py): through
the machine a page sees a click's release and a double click; called directly, as in tests,
it sees every action and this tells them apart the same way.
"""
from __future__ import annotations

from reverie.base.events import DOUBLE, LONG, PRESS, RELEASE, Key

SHORT = "short"


def one_knob(ctx) -> bool:
    """True when the page must work with ENC1 alone."""
    return ctx.caps.encoders < 4


class Push:
    """Tells a click from a long push and a double click on the one-encoder box."""

    def __init__(self) -> None:
        self._used = False            # this push went long or was a double click's second

    def kind(self, ev: Key) -> str | None:
        """SHORT on a click's release, LONG and DOUBLE as they come; None otherwise."""
        if ev.action == PRESS:
            self._used = False
        elif ev.action in (LONG, DOUBLE):
            self._used = True
            return ev.action
        elif ev.action == RELEASE:
            used, self._used = self._used, False
            return None if used else SHORT
        return None


def step(value: int, detents: int, lo: int, hi: int) -> int:
    """`value` moved by `detents`, kept within lo..hi."""
    return max(lo, min(hi, value + detents))
