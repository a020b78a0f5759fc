"""The trial render an instrument from outside passes before it reaches the engine
(docs/instrument-api.md, "Validation"): a few notes at a few velocities through an offline
engine, at its defaults and at each of its presets. Refused, with one line: a non-finite
output, silence, a peak at or over 0 dBFS, or a voice over its CPU budget (its cost against
the built-in synth's, measured the same way in the same run, so the machine's speed cancels).
Runs on the calling thread (start-up, a rescan on the worker), never on the audio thread."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from reverie.base.errors import UserError

SAMPLE_RATE = 48000.0
NOTES = (36, 60, 84)            # three octaves apart: low, middle, high
VELOCITIES = (30, 90, 127)
HOLD_FRAMES = int(0.2 * SAMPLE_RATE)    # held, then 0.1 s of its release
TAIL_FRAMES = int(0.1 * SAMPLE_RATE)
SILENT_DBFS = -70.0             # quieter than this, at every note: silent
BUDGET = 3.0                    # a voice may cost this many times the synth's at its defaults
BUDGET_VOICES = 8               # notes held at once while the cost is measured
BUDGET_FRAMES = 4096
BUDGET_REPEATS = 5              # the fastest of these counts: the others met a busy machine


class TrialError(UserError):
    """An instrument the trial render refuses; the message is one line."""


@dataclass(frozen=True)
class TrialResult:
    peak_dbfs: float            # the loudest frame of the whole trial
    quiet_dbfs: float           # the quietest note's peak
    ns_per_voice_sample: float
    synth_ns_per_voice_sample: float

    @property
    def cost(self) -> float:
        return self.ns_per_voice_sample / self.synth_ns_per_voice_sample


def _engine(inst, program, params: dict):
    from reverie.core.defs import MasterParam as M
    from reverie.sound.buses import make_engine

    eng = make_engine(SAMPLE_RATE, inst.spec)
    eng.set_master(M.M_COMP_RATIO, 1.0)          # the master chain leaves the signal alone
    eng.set_program(0, program)
    for s in inst.spec:
        eng.set_param(0, s.id, s.check(params.get(s.key, s.default)))
    eng.render(np.zeros((64, 2), np.float32))     # the program and values in place
    return eng


def _note_peak(eng, note: int, velocity: int) -> tuple[float, bool]:
    """The track's peak (before the master's limiter) while the note plays and releases, on
    a fresh engine, and whether the output stayed finite (the engine counts a non-finite
    chunk as a fault and plays silence instead)."""
    faults = eng.stats()["faults"]
    eng.note_on(0, note, velocity)
    out = np.zeros((256, 2), np.float32)
    peak = 0.0
    for start in range(0, HOLD_FRAMES + TAIL_FRAMES, 256):
        if start == HOLD_FRAMES:
            eng.note_off(0, note)
        eng.render(out)
        peak = max(peak, eng.track_peak(0))
    return peak, eng.stats()["faults"] == faults and bool(np.all(np.isfinite(out)))


def _cost(inst, program, params: dict) -> float:
    """ns per voice-sample: BUDGET_VOICES notes held, the fastest of BUDGET_REPEATS renders."""
    eng = _engine(inst, program, params)
    for k in range(BUDGET_VOICES):
        eng.note_on(0, 48 + 3 * k, 100)
    out = np.zeros((BUDGET_FRAMES, 2), np.float32)
    eng.render(out)
    best = float("inf")
    for _ in range(BUDGET_REPEATS):
        t0 = time.perf_counter_ns()
        for start in range(0, BUDGET_FRAMES, 256):
            eng.render(out[start:start + 256])
        best = min(best, time.perf_counter_ns() - t0)
    return best / (BUDGET_VOICES * BUDGET_FRAMES)


def trial(inst, program, presets: dict | None = None, budget: float = BUDGET) -> TrialResult:
    """Plays the instrument (its packed program) offline; a TrialError names what is wrong."""
    from reverie.sound.graph import compile_graph
    from reverie.sound.instruments.synth import SYNTH

    loudest, quietest = 0.0, float("inf")
    for label, params in (("its defaults", {}), *((f"preset {n!r}", p) for n, p in (presets or {}).items())):
        for note in NOTES:
            for velocity in VELOCITIES:
                peak, finite = _note_peak(_engine(inst, program, params), note, velocity)
                where = f"note {note} velocity {velocity} at {label}"
                if not finite:
                    raise TrialError(f"instrument {inst.name!r}: NaN or infinity at {where}")
                if peak >= 1.0:
                    raise TrialError(f"instrument {inst.name!r}: clips ({_db(peak):+.1f} dBFS) at {where}")
                if velocity == VELOCITIES[-1] and _db(peak) < SILENT_DBFS:
                    raise TrialError(f"instrument {inst.name!r}: silent ({_db(peak):.0f} dBFS) at {where}")
                loudest = max(loudest, peak)
                quietest = min(quietest, peak)
    ns = _cost(inst, program, {})
    synth_ns = _cost(SYNTH, compile_graph(SYNTH).program, {})
    result = TrialResult(_db(loudest), _db(quietest), ns, synth_ns)
    if result.cost > budget:
        raise TrialError(f"instrument {inst.name!r}: a voice costs {result.cost:.1f}x the synth's "
                         f"({ns:.0f} ns a sample); the budget is {budget:g}x")
    return result


def _db(x: float) -> float:
    return 20.0 * float(np.log10(max(x, 1e-12)))
