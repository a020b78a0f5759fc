"""Ableton Link: tempo and beat phase shared with peers on the network.

`LinkSession` owns an `aalink.Link`. Until `enable()` nothing is imported, no thread is
started and no socket is opened: Link multicasts on every interface, so it is off by
default and the user turns it on (`[sync] source = "link"`). The policy that keeps the
sequencer on Link's tempo and phase is pure and lives in reverie.sync.link_policy.

Clocks. Link's clock on Linux is CLOCK_MONOTONIC_RAW, not CLOCK_MONOTONIC: NTP slews the
second, and the two drift apart (0.25 s after an hour of uptime on the dev machine). All
times this module takes and gives are `time.monotonic_ns()`, the clock of the engine's
`clock_anchor()`. A beat is stamped by reading the monotonic clock on both sides of the
Link call, so no conversion between the two clocks is needed.
"""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from reverie.base.errors import UserError
from reverie.core.defs import SIZES

TEMPO_RANGE_BPM = (float(SIZES["TEMPO_MIN_BPM"]), float(SIZES["TEMPO_MAX_BPM"]))   # what seq_tempo accepts
QUANTUM_RANGE_BEATS = (1.0, 16.0)
DEFAULT_QUANTUM_BEATS = 4.0         # a 4/4 bar

STAMP_TRIES = 5
STAMP_GOOD_NS = 20_000              # a reading bracketed this tightly is taken at once
THREAD_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class LinkSnapshot:
    """Link's timeline read at one instant, stamped on the monotonic clock."""
    time_ns: int
    beat: float
    tempo_bpm: float
    quantum_beats: float
    peers: int
    playing: bool

    @property
    def phase(self) -> float:
        return self.beat % self.quantum_beats

    def beat_at(self, t_ns: int) -> float:
        """The Link beat at monotonic time `t_ns`, if the tempo holds until then."""
        return self.beat + (t_ns - self.time_ns) * self.tempo_bpm / 60e9

    def time_at(self, beat: float) -> int:
        """The monotonic time (ns) of a Link beat, if the tempo holds until then."""
        return self.time_ns + round((beat - self.beat) * 60e9 / self.tempo_bpm)


class _LoopThread:
    """A daemon thread running an asyncio loop: aalink.Link must be created inside a running
    loop (it keeps it for its callbacks and sync()). The polling calls need no loop."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="reverie-link", daemon=True)
        self.thread.start()

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, fn):
        async def inside():
            return fn()
        future = asyncio.run_coroutine_threadsafe(inside(), self.loop)
        try:
            return future.result(THREAD_TIMEOUT_S)
        except FutureTimeout:
            raise RuntimeError("Link's event loop thread did not answer") from None

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(THREAD_TIMEOUT_S)
        if not self.thread.is_alive():
            self.loop.close()


def _check_number(name: str, value, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ValueError(f"{name} must be {lo:g}..{hi:g} {unit}, not {value!r}")
    return float(value)


class LinkSession:
    """A Link session, off until `enable()`. Use from the control thread.

    `disable()` stops Link's networking (its sockets close) and keeps its timeline;
    `close()` tears it down and stops its threads. Either may be followed by `enable()`.
    """

    def __init__(self, tempo_bpm: float = 120.0, quantum_beats: float = DEFAULT_QUANTUM_BEATS,
                 start_stop_sync: bool = False):
        self._tempo = _check_number("tempo", tempo_bpm, *TEMPO_RANGE_BPM, "BPM")
        self._quantum = _check_number("quantum", quantum_beats, *QUANTUM_RANGE_BEATS, "beats")
        self._start_stop = bool(start_stop_sync)
        self._loop: _LoopThread | None = None
        self._link = None
        self._lock = threading.Lock()

    # -- life cycle

    @property
    def enabled(self) -> bool:
        return self._link is not None and self._link.enabled

    def enable(self) -> None:
        with self._lock:
            if self._link is None:
                self._link = self._create()
            self._link.enabled = True

    def disable(self) -> None:
        with self._lock:
            if self._link is not None:
                self._tempo = self._link.tempo
                self._link.enabled = False

    def close(self) -> None:
        with self._lock:
            if self._link is not None:
                self._tempo = self._link.tempo
                self._link.enabled = False
                self._link = None       # aalink's destructor joins Link's threads
            if self._loop is not None:
                self._loop.stop()
                self._loop = None

    def __enter__(self) -> LinkSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _create(self):
        try:
            import aalink
        except ImportError:
            raise UserError("Ableton Link needs the aalink package: run `make setup` "
                            "or `pip install aalink`") from None
        if self._loop is None:
            self._loop = _LoopThread()
        link = self._loop.call(lambda: aalink.Link(self._tempo))
        link.quantum = self._quantum
        link.start_stop_sync_enabled = self._start_stop
        return link

    # -- tempo, quantum, transport

    @property
    def tempo_bpm(self) -> float:
        """The session's tempo while enabled, else the tempo the next session starts with."""
        return self._link.tempo if self.enabled else self._tempo

    def set_tempo(self, bpm: float) -> None:
        """Change the tempo; while enabled, every peer follows."""
        self._tempo = _check_number("tempo", bpm, *TEMPO_RANGE_BPM, "BPM")
        if self._link is not None:
            self._link.tempo = self._tempo

    @property
    def quantum_beats(self) -> float:
        return self._quantum

    def set_quantum(self, beats: float) -> None:
        self._quantum = _check_number("quantum", beats, *QUANTUM_RANGE_BEATS, "beats")
        if self._link is not None:
            self._link.quantum = self._quantum

    @property
    def peers(self) -> int:
        return self._link.num_peers if self.enabled else 0

    @property
    def playing(self) -> bool:
        """The session's transport (shared only with start/stop sync on)."""
        return bool(self._link.playing) if self.enabled else False

    def set_playing(self, playing: bool) -> None:
        if self._link is not None:
            self._link.playing = bool(playing)

    # -- the timeline

    def snapshot(self) -> LinkSnapshot | None:
        """Link's beat and tempo now, or None while Link is off."""
        link = self._link
        if link is None or not link.enabled:
            return None
        best = None
        for _ in range(STAMP_TRIES):
            before = time.monotonic_ns()
            beat = link.beat
            after = time.monotonic_ns()
            if best is None or after - before < best[0]:
                best = (after - before, beat, (before + after) // 2)
            if after - before <= STAMP_GOOD_NS:
                break
        _, beat, stamp = best
        return LinkSnapshot(stamp, beat, link.tempo, self._quantum, link.num_peers,
                            bool(link.playing))

    def beat_at(self, t_ns: int) -> float | None:
        """The Link beat at monotonic time `t_ns` (near now), or None while Link is off."""
        snap = self.snapshot()
        return None if snap is None else snap.beat_at(t_ns)

    def beat_now(self) -> float | None:
        snap = self.snapshot()
        return None if snap is None else snap.beat
