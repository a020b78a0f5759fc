"""Tap tempo: taps stamped with a monotonic clock in, a tempo in BPM out (pure)."""
from __future__ import annotations

from collections import deque

from reverie.core.defs import SIZES

MAX_INTERVALS = 6               # the mean of the last 6 intervals: a bar and a half of beats
RESET_AFTER_NS = 2_000_000_000  # a pause of 2 s starts a new series (slowest: 30 BPM)
BOUNCE_NS = 100_000_000         # a tap within 100 ms of the last one is switch bounce
MIN_BPM, MAX_BPM = float(SIZES["TEMPO_MIN_BPM"]), float(SIZES["TEMPO_MAX_BPM"])


class TapTempo:
    """`tap(t_ns)` returns the tempo the taps so far give (the mean of the last
    `max_intervals` intervals, clamped to 20..300 BPM, rounded to 0.1 BPM), or None when
    this tap gives none: the first of a series, a bounce, or a time going backwards."""

    def __init__(self, max_intervals: int = MAX_INTERVALS,
                 reset_after_ns: int = RESET_AFTER_NS, bounce_ns: int = BOUNCE_NS):
        if max_intervals < 1:
            raise ValueError("max_intervals must be at least 1")
        self.reset_after_ns = reset_after_ns
        self.bounce_ns = bounce_ns
        self._taps: deque[int] = deque(maxlen=max_intervals + 1)
        self.bpm: float | None = None       # the last tempo tapped, kept across series
        self.bounces = 0
        self.bad_input = 0

    def reset(self) -> None:
        """Forgets the taps of the current series (not the last tempo)."""
        self._taps.clear()

    @property
    def taps(self) -> int:
        """Taps in the current series, up to max_intervals + 1."""
        return len(self._taps)

    def tap(self, t_ns: int) -> float | None:
        if self._taps:
            since_ns = t_ns - self._taps[-1]
            if since_ns < 0:
                self.bad_input += 1
                return None
            if since_ns < self.bounce_ns:
                self.bounces += 1
                return None
            if since_ns > self.reset_after_ns:
                self._taps.clear()
        self._taps.append(t_ns)
        if len(self._taps) < 2:
            return None
        mean_ns = (self._taps[-1] - self._taps[0]) / (len(self._taps) - 1)
        self.bpm = round(min(MAX_BPM, max(MIN_BPM, 60e9 / mean_ns)), 1)
        return self.bpm
