"""The zero-delay-feedback ladder (units/ladder.pxd) in physical units."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from scenarios import band_limited_saw
from unitkit import SR, amplitude_at, power_spectrum


def gain_db(freq_hz, cutoff_hz, resonance=0.0):
    n = 48000
    x = np.sin(2 * np.pi * freq_hz * np.arange(n) / SR).astype(np.float32)
    y = np.zeros_like(x)
    U.Ladder(SR).render(y, x, cutoff_hz, resonance)
    return 20 * np.log10(amplitude_at(y[24000:], freq_hz))


def test_minus_12_db_at_the_cutoff():
    """Four poles, each -3 dB at the (prewarped) cutoff."""
    for cutoff in (200.0, 1000.0, 5000.0):
        assert gain_db(cutoff, cutoff) == pytest.approx(-12.04, abs=0.1)


def test_24_db_per_octave_above_the_cutoff():
    """Above a 300 Hz cutoff, octave by octave, as the prototype 1 / (1 + s)^4 through the
    prewarped bilinear transform: |H(f)|^2 = 1 / (1 + (tan(pi f / fs) / tan(pi fc / fs))^2)^4.
    21.3 dB from the 1st to the 2nd octave, 23.5 from the 2nd to the 3rd, then 24 dB and more
    (the transform adds a zero at Nyquist)."""
    fc = 300.0
    octaves = np.array([1, 2, 3, 4])
    g = np.array([gain_db(fc * 2 ** k, fc) for k in octaves])
    slopes = -np.diff(g)
    w = np.tan(np.pi * fc * 2.0 ** octaves / SR) / np.tan(np.pi * fc / SR)
    expected = -np.diff(-40 * np.log10(1 + w ** 2))
    print(f"gains {np.round(g, 2)} dB, slopes per octave {np.round(slopes, 2)}")
    assert np.allclose(slopes, expected, atol=0.05)
    assert slopes[0] == pytest.approx(21.3, abs=0.1) and slopes[2] >= 24.0


def self_oscillation(cutoff_hz, sample_rate=SR):
    n = int(sample_rate)
    x = np.zeros(n, np.float32)
    x[0] = 1.0
    y = np.zeros_like(x)
    U.Ladder(sample_rate).render(y, x, cutoff_hz, 1.0)
    seg = y[n // 2:]
    freqs, spec = power_spectrum(seg, sample_rate)
    k = int(np.argmax(spec))
    a, b, c = np.log(spec[k - 1:k + 2])
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sample_rate / len(seg), float(np.max(np.abs(seg)))


@pytest.mark.parametrize("cutoff_hz", [220.0, 440.0, 880.0, 1760.0])
def test_full_resonance_self_oscillates_at_the_cutoff(cutoff_hz):
    freq, peak = self_oscillation(cutoff_hz)
    cents = 1200 * np.log2(freq / cutoff_hz)
    print(f"cutoff {cutoff_hz} Hz: oscillates at {freq:.3f} Hz ({cents:+.3f} cents), peak {peak:.3f}")
    assert abs(cents) <= 25.0
    assert 0.1 < peak < 1.0                 # it oscillates, and the saturation holds it


def test_full_resonance_is_stable_with_a_loud_input():
    x = (4.0 * band_limited_saw(55.0, 48000)).astype(np.float32)
    y = np.zeros_like(x)
    U.Ladder(SR).render(y, x, 3000.0, 1.0)
    assert np.all(np.isfinite(y)) and np.max(np.abs(y)) < 6.0


def test_a_reset_clears_what_it_holds():
    f = U.Ladder(SR)
    x = band_limited_saw(110.0, 4800)
    y = np.zeros_like(x)
    f.render(y, x, 800.0, 0.9)
    f.reset()
    z = np.zeros(64, np.float32)
    f.render(z, np.zeros(64, np.float32), 800.0, 0.9)
    assert np.all(z == 0.0)
