"""`reverie bench fm-64` gives its figures, in small (how fast is the bench's business): 64
voices really sound while it times them, and the figures hang together."""
import numpy as np
import pytest

from reverie.app.bench import fm


@pytest.mark.timing
def test_the_fm_bench_gives_its_figures():
    out = fm.fm_64(seconds=0.1, repeats=1)
    assert out["voices"] == 64 and out["realtime_factor"] > 0
    assert out["ns_per_operator_sample"] == pytest.approx(out["ns_per_voice_sample"] / 4, abs=0.001)


def test_the_bench_voices_sound():
    eng = fm.fm_engine(64)
    out = np.zeros((4800, 2), np.float32)
    eng.render(out)
    assert eng.stats()["voices"] == 64 and np.isfinite(out).all() and np.abs(out).max() > 0.01
