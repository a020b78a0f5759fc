"""`fm-64`: 64 voices of the fm instrument through the engine, all four operators sounding
(algorithm 3, feedback on op 4, an envelope per operator), in ns per voice-sample net of the
same engine rendering no voice, and the real-time factor (docs/bench.md)."""
from __future__ import annotations

import numpy as np

from reverie.app.bench.engine import SR, time_blocks
from reverie.sound.buses import make_engine
from reverie.sound.graph import compile_graph
from reverie.sound.instruments.fm import FM

# Every operator at work: none is skipped for a level of 0, and op 4 runs its feedback.
PATCH = {"algorithm": 2, "feedback_rad": 1.0, "op1_level": 1.0, "op2_ratio": 2, "op2_level": 1.5,
         "op3_ratio": 3, "op3_level": 0.8, "op4_ratio": 1, "op4_level": 1.2, "op1_sustain": 0.8,
         "op2_sustain": 0.5, "op3_sustain": 0.5, "op4_sustain": 0.5, "sustain": 1.0, "level_db": -24}


def fm_engine(voices: int):
    eng = make_engine(SR)
    eng.set_program(0, compile_graph(FM).program)
    values = {s.key: s.default for s in FM} | PATCH
    for key, value in values.items():
        eng.set_param(0, FM[key].id, float(value))
    eng.render(np.zeros((4800, 2), np.float32))
    for k in range(voices):
        eng.note_on(0, 36 + k % 25, 100)
    eng.render(np.zeros((256, 2), np.float32))
    return eng


def fm_64(seconds: float = 5.0, repeats: int = 5) -> dict:
    """64 fm voices on one track, best of `repeats`."""
    block = 256
    base = float(np.sum(time_blocks(make_engine(SR), seconds, block)))
    runs = []
    for _ in range(repeats):
        eng = fm_engine(64)
        assert eng.stats()["voices"] == 64
        total = float(np.sum(time_blocks(eng, seconds, block)))
        runs.append((total, (total - base) / (64 * seconds * SR)))
    total, net = min(runs, key=lambda t: t[1])
    return {"voices": 64, "operators_per_voice": 4, "ns_per_voice_sample": round(net, 3),
            "ns_per_operator_sample": round(net / 4, 3), "realtime_factor": round(seconds * 1e9 / total, 2)}
