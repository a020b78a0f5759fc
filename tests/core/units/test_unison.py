"""Unison (units/unison.pxd): N copies detuned over a spread in cents, panned over a width."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from unitkit import SR, amplitude_at

SAW = U.OSC_SHAPES["saw"]


def unison(voices, detune, spread, freq=1000.0, frames=1 << 16):
    u = U.Unison(SR)
    u.reset(voices)
    left = np.zeros(frames + 2048, np.float32)
    right = np.zeros_like(left)
    u.render(left, right, U.OSC_SHAPES["sine"], freq, 0.5, detune, spread)
    return left[2048:], right[2048:]


def test_copies_are_spread_evenly_over_the_detune():
    left, right = unison(3, 80.0, 0.0)
    for cents in (-40.0, 0.0, 40.0):
        f = 1000.0 * 2 ** (cents / 1200)
        # each copy at 1/sqrt(3) of a sine, times the centre's constant-power gain (1)
        assert amplitude_at(left, f) == pytest.approx(1 / np.sqrt(3), rel=0.02), cents
    assert amplitude_at(left, 1000.0 * 2 ** (20 / 1200)) < 0.01      # nothing between


def test_no_spread_is_mono_and_full_spread_pans_the_outer_copies_hard():
    left, right = unison(4, 30.0, 0.0)
    assert np.array_equal(left, right)
    left, right = unison(2, 30.0, 1.0)
    low = 1000.0 * 2 ** (-15 / 1200)
    assert amplitude_at(left, low) > 0.9 and amplitude_at(right, low) < 1e-3


@pytest.mark.parametrize("voices", [1, 2, 5, 8])
def test_loudness_stays_about_one_oscillator(voices):
    left, right = unison(voices, 25.0, 0.5)
    rms = np.sqrt(np.mean(left.astype(float) ** 2 + right.astype(float) ** 2) / 2)
    assert 20 * np.log10(rms / np.sqrt(0.5)) == pytest.approx(0.0, abs=1.5)


def test_the_copies_are_clamped_to_1_to_8():
    u = U.Unison(SR)
    for asked in (0, -3, 99):
        u.reset(asked)
        left = np.zeros(64, np.float32)
        u.render(left, np.zeros(64, np.float32), SAW, 100.0)
        assert np.all(np.isfinite(left))
