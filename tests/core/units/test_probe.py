"""The probes check their buffers as scipy's kernels do: float32, C-contiguous, long enough."""
import numpy as np
import pytest

import reverie.core.units_probe as U


def test_a_wrong_dtype_or_layout_is_refused():
    osc = U.Osc(48000.0)
    with pytest.raises(ValueError, match="dtype mismatch"):
        osc.render(np.zeros(64), U.OSC_SHAPES["saw"], 440.0)
    with pytest.raises(ValueError, match="contiguous"):
        osc.render(np.zeros(128, np.float32)[::2], U.OSC_SHAPES["saw"], 440.0)


def test_an_input_shorter_than_the_output_is_refused():
    with pytest.raises(ValueError, match="fm has 32 frames, fewer than out's 64"):
        U.Osc(48000.0).render(np.zeros(64, np.float32), 0, 440.0, fm=np.ones(32, np.float32))
    with pytest.raises(ValueError, match="the ladder needs an input"):
        U.Ladder(48000.0).render(np.zeros(64, np.float32), None, 1000.0, 0.0)


def test_an_empty_output_is_refused():
    with pytest.raises(ValueError, match="at least one frame"):
        U.Noise(48000.0).render(np.zeros(0, np.float32), 0)
