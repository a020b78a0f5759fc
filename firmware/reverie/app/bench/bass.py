"""`bass-16`: sixteen tracks, each playing the bass (one legato voice a track) with a 16-step
line of accents and slides through the sequencer, as a box full of basslines would; and the
same instrument as 64 voices on one track, per voice the figure synth-64 gives (docs/bench.md)."""
from __future__ import annotations

import numpy as np

from reverie.app.bench.engine import SR, time_blocks
from reverie.seq.buffer import PatternBuffer
from reverie.sound.buses import make_engine
from reverie.sound.instruments import program_for
from reverie.sound.instruments.bass import BASS

# (note offset, accent, slide) per step; None: a rest. Each track plays it from its own root.
LINE = [(0, False, False), (0, False, False), (12, False, False), None, (3, False, False),
        (0, False, False), (7, False, True), (10, False, False), (0, True, False), None,
        (0, False, False), (15, True, True), (12, False, False), None, (-2, False, True), (0, False, False)]


def bass_engine(tracks: int):
    eng = make_engine(SR)
    pb = PatternBuffer(16)
    for k in range(tracks):
        eng.set_program(k, program_for("bass"))
        for s in BASS:
            eng.set_param(k, s.id, float(s.default))
        eng.set_param(k, BASS["level_db"].id, -30.0)
        for i, step in enumerate(LINE):
            if step is not None:
                offset, accent, slide = step
                pb.step(k, i, notes=(28 + k % 12 + offset,), length=0.5, accent=accent, slide=slide)
    eng.seq_set_pattern(0, pb.build())
    eng.seq_tempo(124)
    eng.render(np.zeros((256, 2), np.float32))
    eng.seq_play(0)
    eng.render(np.zeros((4800, 2), np.float32))
    return eng


def poly_engine(voices: int):
    eng = make_engine(SR)
    eng.set_program(0, program_for("bass"))
    values = {s.key: s.default for s in BASS} | {"voice_mode": 0, "sustain": 1, "level_db": -36}
    for key, value in values.items():
        eng.set_param(0, BASS[key].id, float(value))
    eng.render(np.zeros((256, 2), np.float32))
    for k in range(voices):
        eng.note_on(0, 28 + k % 36, 100)
    eng.render(np.zeros((256, 2), np.float32))
    return eng


def bass_16(seconds: float = 5.0, repeats: int = 3) -> dict:
    block = 256
    base = float(np.sum(time_blocks(make_engine(SR), seconds, block)))
    lines, poly = [], []
    for _ in range(repeats):
        eng = bass_engine(16)
        lines.append(float(np.sum(time_blocks(eng, seconds, block))))
        eng = poly_engine(64)
        assert eng.stats()["voices"] == 64
        total = float(np.sum(time_blocks(eng, seconds, block)))
        poly.append((total, (total - base) / (64 * seconds * SR)))
    total, net = min(poly, key=lambda t: t[1])
    return {
        "tracks": 16,
        "lines_realtime_factor": round(seconds * 1e9 / min(lines), 2),
        "lines_ms_per_second": round(min(lines) / seconds * 1e-6, 3),
        "poly_voices": 64,
        "poly_ns_per_voice_sample": round(net, 3),
        "poly_realtime_factor": round(seconds * 1e9 / total, 2),
    }
