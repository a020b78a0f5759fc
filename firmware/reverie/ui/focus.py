"""Reaching every field with fewer than four encoders.

With four encoders ENC1..ENC4 edit the fields shown. With fewer (the minimal box has one)
a page keeps a focus: a short push of ENC1 moves it to the next field, a turn edits the
focused field, and a long push does what ENC1's push does on the four-encoder box. A push
is short when it is released before the LONG event (events.LONG_PRESS_S) arrives.
"""
from __future__ import annotations

from reverie.events import LONG, PRESS, RELEASE, Key

SHORT = "short"


def one_knob(ctx) -> bool:
    """True when the page must work with ENC1 alone."""
    return ctx.caps.encoders < 4


class Push:
    """Tells a short push from a long one on the one-encoder box."""

    def __init__(self) -> None:
        self._long = False

    def kind(self, ev: Key) -> str | None:
        """SHORT on the release of a short push, LONG when held; None otherwise."""
        if ev.action == PRESS:
            self._long = False
        elif ev.action == LONG:
            self._long = True
            return LONG
        elif ev.action == RELEASE:
            was_long, self._long = self._long, False
            return None if was_long else SHORT
        return None


def step(value: int, detents: int, lo: int, hi: int) -> int:
    """`value` moved by `detents`, kept within lo..hi."""
    return max(lo, min(hi, value + detents))
