"""The fallback clock: the engine's audio callback called at real-time pace without a device.

While no device plays (none at start, or one that went away), a thread calls the render
gate for blocks of the configured period and sleeps to keep pace with the monotonic clock,
as a sound card's driver would. So the engine cannot tell: its frame count, sequencer, MIDI
out and callback counters go on, and the control thread stays the only reader of its
telemetry. The blocks are silent to the world, or go to a `Recording` when one is given.

`start(since_s)` begins at a past monotonic time (the device's last callback) and renders
the missed blocks at once, so the engine's frames stay in step with the wall clock across
the handover. This path is not real-time critical: a late block is caught up, and more
than MAX_LAG_S behind (a suspended laptop) the clock skips ahead instead.
"""
from __future__ import annotations

import logging
import threading
import time

import numpy as np

log = logging.getLogger(__name__)

MAX_LAG_S = 1.0


class FallbackClock:
    def __init__(self, slot, period_frames: int, sample_rate_hz: int):
        """`slot`: the render gate's slot for this clock (it renders only while it owns the
        gate; otherwise its blocks are silence and it may be stopped)."""
        self.slot = slot
        self.period_frames = period_frames
        self.period_s = period_frames / sample_rate_hz
        self.recording = None                   # set while stopped; written from the thread
        self._block = np.zeros((period_frames, slot.gate.channels), dtype=np.float32)
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.skipped_s = 0.0                    # time given up after falling too far behind

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, since_s: float | None = None, recording=None) -> None:
        """Runs from `since_s` (monotonic s, default now); `recording` gets every block."""
        if self._thread is not None:
            return
        now = time.monotonic()
        start = now if since_s is None or not now - MAX_LAG_S < since_s <= now else since_s
        self.recording = recording
        self._halt.clear()
        self._thread = threading.Thread(target=self._run, args=(start,), name="reverie-fallback-clock",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ends the thread (within a period); the recording is handed back to the caller."""
        if self._thread is None:
            return
        self._halt.set()
        self._thread.join()
        self._thread = None

    def _run(self, deadline: float) -> None:
        block, recording = self._block, self.recording
        while not self._halt.is_set():
            if self.slot.render(block) and recording is not None:
                recording.write(block)
            deadline += self.period_s
            lag = time.monotonic() - deadline
            if lag > MAX_LAG_S:
                self.skipped_s += lag
                deadline += lag
            elif lag < 0:
                self._halt.wait(-lag)
