"""`reverie bench multisample-64`: 64 voices of the multisample instrument (each on a looping
zone, chosen by key at note-on) against 64 of the sampler on the same loop, in the same run:
the zone voice is the sampler's fused loop, so the two should cost the same per voice-sample."""
from __future__ import annotations

import numpy as np

from reverie.app.bench.engine import SR, bench_sample, time_blocks, voices_engine
from reverie.sound.buses import make_engine
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.multisample.play import pack


def multi_engine(voices: int):
    """As voices_engine(voices, 1, False), the voices playing zones of a 25-zone set."""
    spec = INSTRUMENTS["multisample"]
    zones = [{"sample": 0, "key_lo": k, "key_hi": k, "vel_lo": 0, "vel_hi": 127, "seq_length": 1,
              "seq_position": 1, "mode": "loop_continuous", "start": 0, "end": int(SR), "loop_start": 1000,
              "loop_end": int(SR) - 1000, "rate": SR, "pitch_off": -60.0, "gain_l": 1.0, "gain_r": 1.0,
              "vel_track": 1.0, "attack_ms": 0.5, "decay_ms": 500.0, "sustain": 1.0, "release_ms": 30.0}
             for k in range(48, 73)]
    eng = make_engine(SR)
    eng.set_program(0, pack(zones, [bench_sample()]))
    values = {"cutoff_hz": 400, "resonance": 0.3, "sustain": 0.7, "pan": -1.0, "level_db": -24.0}
    for s in spec:
        eng.set_param(0, s.id, s.check(values.get(s.key, s.default)))
    eng.render(np.zeros((4800, 2), np.float32))
    for k in range(voices):
        eng.note_on(0, 48 + k % 25, 100)
    eng.render(np.zeros((256, 2), np.float32))
    return eng


def multisample_64(seconds: float = 3.0, repeats: int = 3) -> dict:
    block, n = 256, 64 * seconds * SR
    base = float(np.sum(time_blocks(make_engine(SR), seconds, block)))
    multi, sampler = [], []
    for _ in range(repeats):
        multi.append((float(np.sum(time_blocks(multi_engine(64), seconds, block))) - base) / n)
        sampler.append((float(np.sum(time_blocks(voices_engine(64, 1, False), seconds, block))) - base) / n)
    return {"voices": 64, "multisample_ns_per_voice_sample": round(min(multi), 3),
            "sampler_ns_per_voice_sample": round(min(sampler), 3),
            "ratio_to_sampler": round(min(multi) / min(sampler), 3)}
