"""Following Ableton Link: the pure policy that keeps the sequencer on Link's tempo and
phase (`link_correction`): follow the tempo, nudge the tempo for small phase errors, locate
for large ones. The session itself (aalink, its threads and sockets) is reverie.hal.link.

Link agrees on the beat *phase* over the quantum, not on the beat number: two peers may
read beats that differ by a whole number of quanta. Compare beats modulo the quantum.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from reverie.core.defs import SIZES

TEMPO_RANGE_BPM = (float(SIZES["TEMPO_MIN_BPM"]), float(SIZES["TEMPO_MAX_BPM"]))   # what seq_tempo accepts
DEFAULT_QUANTUM_BEATS = 4.0         # a 4/4 bar

# Alignment policy, in beats (ms figures at 120 BPM). See docs/sync.md, "Ableton Link".
PHASE_TOLERANCE_BEATS = 0.002       # 1 ms: below it, only follow Link's tempo
LOCATE_BEATS = 1.0 / 16.0           # 31 ms: above it, jump instead of nudging
NUDGE_TIME_CONSTANT_BEATS = 0.5     # tempo offset = error / this: e^-2 of it is left after a beat
MAX_NUDGE = 0.0625                  # tempo offset at most 6.25 %


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
