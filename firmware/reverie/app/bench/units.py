"""`reverie bench units`: what each DSP unit of core/units/ costs, in ns per sample, rendered
through units_probe in blocks of 4096 frames (the Python call is under 0.3 ns a sample), on
the one core the bench command pins itself to. Best of `repeats`."""
from __future__ import annotations

import time

import numpy as np

import reverie.core.units_probe as U
from reverie.core.units.wavetable_build import mipmaps

SR = 48000.0
BLOCK = 4096


def _saw_frames(count: int = 8, size: int = 2048) -> np.ndarray:
    x = np.arange(size) / size
    return np.array([sum(np.sin(2 * np.pi * h * x) / h for h in range(1, 2 + f * 60)) for f in range(count)])


def _cases():
    """(name, make, render(unit, out, inp, aux)); aux is a second buffer for stereo or sync."""
    shapes, lfo = U.OSC_SHAPES, U.LFO_SHAPES
    tables = mipmaps(_saw_frames())
    sync = np.full(BLOCK, U.NO_SYNC, np.float32)
    sync[::37] = 0.3

    def unison(voices):
        def make():
            u = U.Unison(SR)
            u.reset(voices)
            return u
        return make

    return [
        ("osc_saw_220hz", lambda: U.Osc(SR), lambda u, o, i, a: u.render(o, shapes["saw"], 220.0)),
        ("osc_saw_4khz", lambda: U.Osc(SR), lambda u, o, i, a: u.render(o, shapes["saw"], 4000.0)),
        ("osc_square_pw", lambda: U.Osc(SR), lambda u, o, i, a: u.render(o, shapes["square"], 220.0, 0.3)),
        ("osc_triangle", lambda: U.Osc(SR), lambda u, o, i, a: u.render(o, shapes["triangle"], 220.0)),
        ("osc_sine", lambda: U.Osc(SR), lambda u, o, i, a: u.render(o, shapes["sine"], 220.0)),
        ("osc_saw_synced", lambda: U.Osc(SR),
         lambda u, o, i, a: u.render(o, shapes["saw"], 517.0, sync_in=sync)),
        ("wavetable_morph", lambda: U.Wavetable(SR, tables), lambda u, o, i, a: u.render(o, 220.0, 3.4)),
        ("noise_white", lambda: U.Noise(SR), lambda u, o, i, a: u.render(o, 0)),
        ("noise_pink", lambda: U.Noise(SR), lambda u, o, i, a: u.render(o, 1)),
        ("fm_operator", lambda: U.FmOp(SR), lambda u, o, i, a: u.render(o, 220.0, 2.0, 0.0, 1.0, 0.0, pm=i)),
        ("fm_operator_feedback", lambda: U.FmOp(SR),
         lambda u, o, i, a: u.render(o, 220.0, 1.0, 0.0, 1.0, 1.2)),
        ("ladder", lambda: U.Ladder(SR), lambda u, o, i, a: u.render(o, i, 1200.0, 0.7)),
        ("adsr", lambda: U.Adsr(SR), lambda u, o, i, a: u.render(o, 5.0, 200.0, 0.6, 300.0)),
        ("lfo_sine", lambda: U.Lfo(SR), lambda u, o, i, a: u.render(o, lfo["sine"], 3.0)),
        ("drive", lambda: U.Drive(SR), lambda u, o, i, a: u.render(o, i, 18.0)),
        ("bitcrush", lambda: U.BitCrush(SR), lambda u, o, i, a: u.render(o, i, 6.0)),
        ("ratecrush", lambda: U.RateCrush(SR), lambda u, o, i, a: u.render(o, i, 7000.0)),
        ("glide", lambda: U.Glide(SR), lambda u, o, i, a: u.render(o, 440.0, 100.0)),
        ("unison_1_saw", unison(1), lambda u, o, i, a: u.render(o, a, shapes["saw"], 220.0, 0.5, 20.0, 0.8)),
        ("unison_8_saws", unison(8), lambda u, o, i, a: u.render(o, a, shapes["saw"], 220.0, 0.5, 20.0, 0.8)),
        ("fold", lambda: U.Fold(SR), lambda u, o, i, a: u.render(o, i, 2.5)),
    ]


def _time(make, render, inp, seconds: float) -> float:
    unit = make()
    out = np.zeros(BLOCK, np.float32)
    aux = np.zeros(BLOCK, np.float32)
    blocks = max(1, int(seconds * SR / BLOCK))
    render(unit, out, inp, aux)                 # first note, tables in cache
    t0 = time.perf_counter_ns()
    for _ in range(blocks):
        render(unit, out, inp, aux)
    return (time.perf_counter_ns() - t0) / (blocks * BLOCK)


def units(seconds: float = 1.0, repeats: int = 5) -> dict:
    inp = (0.8 * np.sin(2 * np.pi * 220.0 * np.arange(BLOCK) / SR)).astype(np.float32)
    result = {}
    for name, make, render in _cases():
        result[f"{name}_ns_per_sample"] = round(min(_time(make, render, inp, seconds) for _ in range(repeats)), 2)
    result["unison_8_saws_ns_per_voice_sample"] = round(result["unison_8_saws_ns_per_sample"] / 8, 2)
    return result
