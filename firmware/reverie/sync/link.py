"""Ableton Link: tempo and beat phase shared with peers on the network.

- `LinkSession` owns an `aalink.Link`. Until `enable()` nothing is imported, no thread is
  started and no socket is opened: Link multicasts on every interface, so it is off by
  default and the user turns it on (`[sync] source = "link"`).
- `link_correction()` is the pure policy that keeps the sequencer on Link's tempo and
  phase: follow the tempo, nudge the tempo for small phase errors, locate for large ones.

Clocks. Link's clock on Linux is CLOCK_MONOTONIC_RAW, not CLOCK_MONOTONIC: NTP slews the
second, and the two drift apart (0.25 s after an hour of uptime on the dev machine). All
times this module takes and gives are `time.monotonic_ns()`, the clock of the engine's
`clock_anchor()`. A beat is stamped by reading the monotonic clock on both sides of the
Link call, so no conversion between the two clocks is needed.

Link agrees on the beat *phase* over the quantum, not on the beat number: two peers may
read beats that differ by a whole number of quanta. Compare beats modulo the quantum.
"""
from __future__ import annotations

import asyncio
import enum
import math
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from reverie.base.errors import UserError
from reverie.core.defs import SIZES

TEMPO_RANGE_BPM = (float(SIZES["TEMPO_MIN_BPM"]), float(SIZES["TEMPO_MAX_BPM"]))   # what seq_tempo accepts
QUANTUM_RANGE_BEATS = (1.0, 16.0)
DEFAULT_QUANTUM_BEATS = 4.0         # a 4/4 bar

# Alignment policy, in beats (ms figures at 120 BPM). See docs/sync.md, "Ableton Link".
PHASE_TOLERANCE_BEATS = 0.002       # 1 ms: below it, only follow Link's tempo
LOCATE_BEATS = 1.0 / 16.0           # 31 ms: above it, jump instead of nudging
NUDGE_TIME_CONSTANT_BEATS = 0.5     # tempo offset = error / this: e^-2 of it is left after a beat
MAX_NUDGE = 0.0625                  # tempo offset at most 6.25 %

STAMP_TRIES = 5
STAMP_GOOD_NS = 20_000              # a reading bracketed this tightly is taken at once
THREAD_TIMEOUT_S = 5.0


def ticks_per_beat() -> int:
    """The sequencer's ticks per beat, from its one definition in core/defs.pxd."""
    from reverie.core.defs import SIZES
    return SIZES["TICKS_PER_BEAT"]


def wrap_phase(beats: float, quantum: float) -> float:
    """`beats` modulo the quantum, wrapped to [-quantum/2, quantum/2)."""
    r = beats % quantum
    return r - quantum if r >= quantum / 2 else r


def next_quantum_beat(link_beat: float, quantum: float) -> float:
    """The first Link beat at or after `link_beat` where the phase is 0: where to start."""
    return math.ceil(link_beat / quantum) * quantum


# --------------------------------------------------------------------------- policy

class Action(enum.StrEnum):
    FOLLOW = "follow"       # in phase: run at Link's tempo
    NUDGE = "nudge"         # run at tempo_bpm until the next correction or nudge_beats
    LOCATE = "locate"       # seq_locate(locate_tick) at the instant of the two beats
    OUT_OF_RANGE = "out_of_range"   # Link's tempo is beyond 20..300 BPM: tempo clamped, phase left


@dataclass(frozen=True)
class LinkCorrection:
    action: Action
    tempo_bpm: float            # send with seq_tempo now
    link_tempo_bpm: float       # the tempo to return to after a nudge
    phase_error_beats: float    # engine minus Link, wrapped to [-quantum/2, quantum/2)
    nudge_beats: float = 0.0    # Link beats at tempo_bpm that remove the error; 0 unless NUDGE
    locate_beat: float | None = None    # the engine position in phase with Link (LOCATE)
    locate_tick: int | None = None
    send_tempo: bool = True     # tempo_bpm differs from the engine's (by a millibpm or more)


def link_correction(engine_tempo: float, engine_beat: float, link_tempo: float,
                    link_beat: float, quantum: float = DEFAULT_QUANTUM_BEATS) -> LinkCorrection:
    """What the playing sequencer should do to follow Link.

    `engine_beat` and `link_beat` are read at the same instant: the time the engine's
    sound for that beat reaches the output (add the output latency to the Link side).
    The error is measured over the quantum, so the engine keeps its own position in the
    pattern and only its phase over the bar follows Link.

    A nudge is proportional to the error (time constant NUDGE_TIME_CONSTANT_BEATS, at most
    MAX_NUDGE). Applied at every poll it converges without overshoot when the app polls
    at least every half beat. `nudge_beats` is when the nudge alone would have removed the
    error: an app that also schedules the return to Link's tempo then is safe against
    late polls too.
    """
    for name, value in (("engine_tempo", engine_tempo), ("engine_beat", engine_beat),
                        ("link_tempo", link_tempo), ("link_beat", link_beat), ("quantum", quantum)):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, not {value!r}")
    if quantum <= 0:
        raise ValueError(f"quantum must be positive, not {quantum!r}")
    if link_tempo <= 0:
        raise ValueError(f"link_tempo must be positive, not {link_tempo!r}")
    lo, hi = TEMPO_RANGE_BPM
    error = wrap_phase(engine_beat - link_beat, quantum)

    def correction(action, tempo, **fields):
        return LinkCorrection(action, tempo, link_tempo, error,
                              send_tempo=abs(tempo - engine_tempo) >= 0.0005, **fields)

    if not lo <= link_tempo <= hi:
        return correction(Action.OUT_OF_RANGE, min(max(link_tempo, lo), hi))
    if abs(error) <= PHASE_TOLERANCE_BEATS:
        return correction(Action.FOLLOW, link_tempo)
    if abs(error) <= LOCATE_BEATS:
        offset = min(abs(error) / NUDGE_TIME_CONSTANT_BEATS, MAX_NUDGE)
        tempo = min(max(link_tempo * (1.0 - math.copysign(offset, error)), lo), hi)
        rate = abs(tempo / link_tempo - 1.0)    # less than offset where clamped to the range
        if rate > 0:
            return correction(Action.NUDGE, tempo, nudge_beats=abs(error) / rate)
        # at the end of the tempo range with no room to nudge: locate instead
    target = engine_beat - error
    return correction(Action.LOCATE, link_tempo, locate_beat=target,
                      locate_tick=round(target * ticks_per_beat()))


# --------------------------------------------------------------------------- session

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
