"""`reverie bench bass-16` runs and prints its figures (their size is measured, not tested)."""
from reverie.app.bench.bass import bass_16, bass_engine
import numpy as np


def test_the_lines_play_and_the_figures_come_out():
    eng = bass_engine(16)
    voices = []
    for _ in range(60):                       # 1.2 s: a bar at 124 BPM is 1.94 s
        eng.render(np.zeros((960, 2), np.float32))
        voices.append(eng.stats()["voices"])
    assert max(voices) == 16                   # every track sounds, one legato voice each
    out = bass_16(seconds=0.1, repeats=1)
    assert out["tracks"] == 16 and out["poly_voices"] == 64
    assert out["lines_realtime_factor"] > 0 and out["poly_ns_per_voice_sample"] > 0
