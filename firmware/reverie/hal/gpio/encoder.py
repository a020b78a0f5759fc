"""Rotary encoders: a Gray-code transition table over raw pin edges, detents counted on arrival
at a rest state, and acceleration. docs/hardware.md has the reasoning and the curve.

The two contacts A and B make a 2-bit state AB (A is the high bit). Turning clockwise walks
11 → 01 → 00 → 10 → 11 (A leads); each edge is one legal quarter step. A state that changed
both bits is illegal (an edge was missed): it moves nothing and is counted. Contact bounce on
one pin is a back-and-forth of one quarter step that cancels out.

A detent is counted when the state arrives at a rest state (where the knob clicks: the
start state, and every `transitions_per_detent` quarter steps from it), from the quarter
steps taken since the last rest: a full detent's worth, or half of one after an illegal
jump, counts. Bounce around a rest state comes back with nothing taken, so it never adds
or reverses a detent.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from reverie.base.events import Turn

logger = logging.getLogger(__name__)

ILLEGAL = 2
# STEP[prev << 2 | new]: +1 clockwise, -1 counter-clockwise, 0 no change, ILLEGAL.
#      new: 00       01       10       11
STEP = (0,       -1,      +1,      ILLEGAL,   # prev 00
        +1,      0,       ILLEGAL, -1,        # prev 01
        -1,      ILLEGAL, 0,       +1,        # prev 10
        ILLEGAL, +1,      -1,      0)         # prev 11
PHASE = {0b11: 0, 0b01: 1, 0b00: 2, 0b10: 3}  # quarter steps clockwise from 11

SLOW_DPS = 8.0          # detents/s: slower turns move one step per detent
DPS_PER_STEP = 4.0      # detents/s: each this much faster adds one step per detent
MAX_MULTIPLIER = 8
PAUSE_S = 0.2           # a gap this long, or a change of direction, starts over at 1x


class QuadratureDecoder:
    """Counts detents from a stream of AB states."""

    __slots__ = ("transitions_per_detent", "state", "position", "illegal", "detents",
                 "_rest_phase", "_since_rest")

    def __init__(self, transitions_per_detent: int = 4, state: int = 0b11):
        if transitions_per_detent not in (1, 2, 4):
            raise ValueError("transitions_per_detent must be 4, 2 or 1")
        self.transitions_per_detent = transitions_per_detent
        self.state = state
        self.position = 0       # legal quarter steps, signed
        self.illegal = 0        # transitions that changed both bits
        self.detents = 0        # detents counted, signed, before acceleration
        self._rest_phase = PHASE[state] % transitions_per_detent
        self._since_rest = 0    # legal quarter steps since the last rest state

    def update(self, state: int) -> int:
        """Feed the AB state read at an edge; the detents (signed) completed by it."""
        step = STEP[self.state << 2 | state]
        if state == self.state:
            return 0
        self.state = state
        if step == ILLEGAL:
            self.illegal += 1
        else:
            self.position += step
            self._since_rest += step
        tpd = self.transitions_per_detent
        if (PHASE[state] - self._rest_phase) % tpd:
            return 0
        taken, self._since_rest = self._since_rest, 0
        count = (abs(taken) + tpd // 2) // tpd     # half a detent or more counts as one
        count = count if taken > 0 else -count
        self.detents += count
        return count


def multiplier_at(rate_dps: float) -> int:
    """Steps per detent at a turning rate: 1 below 8 detents/s, then one more per 4
    detents/s (2 at 12, 4 at 20, 8 from 36)."""
    if rate_dps < SLOW_DPS:
        return 1
    return min(MAX_MULTIPLIER, 1 + int((rate_dps - SLOW_DPS) / DPS_PER_STEP))


class Acceleration:
    """Turns a detent's direction and time into steps. The rate is 1 / the mean interval
    between detents, each new interval weighted half, so one uneven click does not jump."""

    __slots__ = ("_last_t", "_direction", "_interval_s")

    def __init__(self):
        self._last_t: float | None = None
        self._direction = 0
        self._interval_s: float | None = None

    def steps(self, direction: int, t: float) -> int:
        last_t, self._last_t = self._last_t, t
        same_run = direction == self._direction and last_t is not None and t - last_t <= PAUSE_S
        self._direction = direction
        if not same_run:
            self._interval_s = None
            return 1
        dt = max(t - last_t, 1e-4)
        self._interval_s = dt if self._interval_s is None else 0.5 * (self._interval_s + dt)
        return multiplier_at(1.0 / self._interval_s)


class EncoderInput:
    """One encoder on two gpiozero pins (pulled up, both edges). Every edge of either pin
    reads both pins and feeds the decoder; each counted detent emits Turn(index, steps, t).
    Runs in the pin library's callback thread."""

    def __init__(self, index: int, a_pin, b_pin, emit: Callable[[Turn], None],
                 clock: Callable[[], float] = time.monotonic, transitions_per_detent: int = 4,
                 reversed: bool = False, accelerate: bool = True):
        self.index = index
        self._a, self._b = a_pin, b_pin
        self._emit = emit
        self._clock = clock
        self._sign = -1 if reversed else 1
        self._acceleration = Acceleration() if accelerate else None
        self._lock = threading.Lock()
        for pin in (a_pin, b_pin):
            pin.input_with_pull("up")
            pin.bounce = None           # every edge reaches the decoder: bounce cancels there
            pin.edges = "both"
        self.decoder = QuadratureDecoder(transitions_per_detent, self._read())
        a_pin.when_changed = self._edge
        b_pin.when_changed = self._edge

    def _read(self) -> int:
        return int(self._a.state) << 1 | int(self._b.state)

    def _edge(self, ticks, state) -> None:
        try:
            with self._lock:
                count = self.decoder.update(self._read())
                if not count:
                    return
                t = self._clock()
                direction = self._sign if count > 0 else -self._sign
                steps = self._acceleration.steps(direction, t) if self._acceleration else 1
            self._emit(Turn(self.index, direction * abs(count) * steps, t))
        except Exception:
            logger.exception("encoder %d: edge handling failed", self.index)

    def close(self) -> None:
        self._a.when_changed = None
        self._b.when_changed = None
