"""Drive, bit crush and rate crush (units/shaper.pxd)."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from scenarios import sine
from unitkit import SR, thd_n_db


def run(unit, x, *params):
    out = np.zeros_like(x)
    unit.render(out, x, *params)
    return out


@pytest.mark.parametrize("drive_db", [0.0, 6.0, 18.0, 36.0, 48.0])
def test_drive_keeps_a_full_scale_input_at_full_scale(drive_db):
    out = run(U.Drive(SR), sine(100.0, 1.0, 48000), drive_db)
    assert np.max(np.abs(out)) == pytest.approx(1.0, abs=1e-3)


def test_drive_brings_quiet_parts_up_and_adds_harmonics_as_it_rises():
    quiet = [np.max(np.abs(run(U.Drive(SR), sine(100.0, 0.001, 48000), d))) for d in (0.0, 12.0, 24.0)]
    pre = 10 ** (np.array([0.0, 12.0, 24.0]) / 20)
    assert np.allclose(quiet, 0.001 * np.sqrt(1 + pre ** 2), rtol=2e-3)  # small-signal gain
    thd = [thd_n_db(run(U.Drive(SR), sine(187.5, 0.5, 48000), d)[4800:], 187.5) for d in (0.0, 12.0, 24.0)]
    assert thd[0] < thd[1] < thd[2]


@pytest.mark.parametrize("bits", [1.0, 3.0, 8.0])
def test_bit_crush_quantises_to_its_steps(bits):
    x = np.linspace(-0.99, 0.99, 48000, dtype=np.float32)
    out = run(U.BitCrush(SR), x, bits)
    step = 2.0 ** (1 - bits)
    assert np.allclose(out / step, np.round(out / step), atol=1e-6)
    assert len(np.unique(out)) == 2 * int(round(0.99 / step)) + 1
    assert np.max(np.abs(out - x)) <= step / 2 + 1e-6


def test_sixteen_bits_are_nearly_transparent():
    x = sine(100.0, 0.99, 4800)
    assert np.max(np.abs(run(U.BitCrush(SR), x, 16.0) - x)) <= 2.0 ** -16


@pytest.mark.parametrize("rate_hz", [1000.0, 4321.5, 11025.0])
def test_rate_crush_holds_samples_at_its_rate(rate_hz):
    x = np.arange(1, 48001, dtype=np.float32)          # every frame a new value
    out = run(U.RateCrush(SR), x, rate_hz)
    changes = np.count_nonzero(np.diff(out)) + 1
    assert abs(changes - rate_hz) <= 1
    assert np.all(np.isin(out, x))                      # held input values, nothing else


def test_rate_crush_at_the_sample_rate_passes_through():
    x = sine(440.0, 0.5, 4800)
    assert np.array_equal(run(U.RateCrush(SR), x, SR), x)
