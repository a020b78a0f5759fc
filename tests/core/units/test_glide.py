"""Glide (units/glide.pxd): constant time and constant rate, straight in pitch."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from unitkit import SR

MS = SR / 1000.0
TIME, RATE = U.GLIDE_MODES["constant-time"], U.GLIDE_MODES["constant-rate"]


def glide(start_hz, target_hz, ms, mode, frames=24000, unit=None):
    unit = unit or U.Glide(SR)
    if start_hz:
        unit.reset(start_hz)
    out = np.zeros(frames, np.float32)
    unit.render(out, target_hz, ms, mode)
    return out, unit


@pytest.mark.parametrize("start, target", [(220.0, 440.0), (1000.0, 125.0), (300.0, 310.0)])
def test_constant_time_takes_its_time_whatever_the_leap(start, target):
    out, _ = glide(start, target, 100.0, TIME)
    arrive = int(np.argmax(out == np.float32(target)))
    assert arrive + 1 == int(100 * MS)
    assert out[int(50 * MS) - 1] == pytest.approx(np.sqrt(start * target), rel=1e-4)   # half way in pitch


@pytest.mark.parametrize("octaves", [0.5, 1.0, 2.0])
def test_constant_rate_takes_its_time_per_octave(octaves):
    out, _ = glide(200.0, 200.0 * 2 ** octaves, 80.0, RATE, frames=48000)
    arrive = int(np.argmax(out == np.float32(200.0 * 2 ** octaves)))
    assert arrive + 1 == pytest.approx(80.0 * MS * octaves, abs=1)


def test_a_new_target_mid_glide_starts_from_where_it_is():
    out, unit = glide(220.0, 880.0, 100.0, TIME, frames=1000)
    more, _ = glide(None, 110.0, 100.0, TIME, frames=4800, unit=unit)
    ratio = more[0] / out[-1]
    assert 2 ** (-0.01) < ratio < 1.0                     # a small step down, no jump
    assert more[-1] == pytest.approx(110.0)


def test_no_time_or_a_reset_jumps():
    out, _ = glide(220.0, 440.0, 0.0, TIME, frames=10)
    assert np.all(out == 440.0)
    out, unit = glide(220.0, 440.0, 100.0, TIME, frames=10)
    unit.reset(330.0)
    out, _ = glide(None, 330.0, 100.0, TIME, frames=10, unit=unit)
    assert np.all(out == 330.0)
