"""Arrival times of MIDI messages freed of the delay before the input's callback ran, from
the delta times the MIDI system measures (pure: stamps and deltas in, times out). The app
gives one to the MIDI clock input (reverie.hal.midi.clock_in), which passes every message's
stamp and delta time through it before the clock follower sees the message."""
from __future__ import annotations

from collections import deque

ARRIVAL_WINDOW_NS = 1_000_000_000       # the least callback delay is sought over 1 s
MAX_DELTA_S = 10.0                      # a longer delta time restarts the device clock


class ArrivalClock:
    """Arrival times freed of the delay before our callback ran. rtmidi passes each message
    with the time since the previous one, measured by the MIDI system (the ALSA sequencer's
    event time stamps; JACK's cycle time): summed, they give a device clock. The callback's
    own monotonic stamp is that time plus a delay (the GIL, the scheduler) that is never
    negative. The arrival time is the device clock plus the smallest stamp offset seen in
    the last `window_ns`."""

    def __init__(self, window_ns: int = ARRIVAL_WINDOW_NS):
        self.window_ns = window_ns
        self._device_ns: int | None = None
        self._offsets: deque[tuple[int, int]] = deque()   # (stamp, offset), offsets rising

    def arrival_ns(self, stamp_ns: int, delta_s: float) -> int:
        if self._device_ns is None or not 0.0 <= delta_s < MAX_DELTA_S:
            self._device_ns = stamp_ns       # first message, or a delta not to trust
            self._offsets.clear()
        else:
            self._device_ns += round(delta_s * 1e9)
        offset = stamp_ns - self._device_ns
        offsets = self._offsets
        while offsets and offsets[-1][1] >= offset:
            offsets.pop()
        offsets.append((stamp_ns, offset))
        while offsets[0][0] < stamp_ns - self.window_ns:
            offsets.popleft()
        return self._device_ns + offsets[0][1]
