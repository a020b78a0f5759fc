"""Noise (units/noise.pxd): seeded and reproducible, white flat, pink -3 dB per octave."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from unitkit import SR, band_db

COLORS = U.NOISE_COLORS


def noise(color, seed=1, n=1 << 18):
    unit = U.Noise(SR)
    unit.reset(seed)
    out = np.zeros(n, np.float32)
    unit.render(out, COLORS[color])
    return out


def test_a_seed_gives_the_same_noise_and_another_seed_other_noise():
    assert np.array_equal(noise("white", 7), noise("white", 7))
    assert np.array_equal(noise("pink", 7), noise("pink", 7))
    a, b = noise("white", 7), noise("white", 8)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01


def octave_densities(x):
    """Power per Hz in the octaves from 62.5 Hz to 16 kHz, in dB."""
    edges = 62.5 * 2.0 ** np.arange(9)
    return np.array([band_db(x, lo, hi) - 10 * np.log10(hi - lo) for lo, hi in zip(edges[:-1], edges[1:])])


def test_white_noise_is_flat_and_uniform():
    x = noise("white")
    assert abs(float(np.mean(x))) < 0.01
    assert float(np.std(x)) == pytest.approx(1 / np.sqrt(3), rel=0.01)
    assert np.max(x) <= 1.0 and np.min(x) >= -1.0
    d = octave_densities(x)
    assert np.ptp(d) < 1.0, np.round(d, 2)


def test_pink_noise_falls_3_db_per_octave():
    x = noise("pink")
    slope = np.polyfit(np.arange(8), octave_densities(x), 1)[0]
    print(f"pink: {slope:.2f} dB per octave")
    assert slope == pytest.approx(-3.01, abs=0.3)
    assert float(np.std(x)) == pytest.approx(1 / np.sqrt(3), rel=0.1)
