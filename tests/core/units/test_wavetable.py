"""The wavetable oscillator (units/wavetable.pxd) and its mip-maps (wavetable_build.py)."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from reverie.core.units.wavetable_build import mipmaps
from scenarios import saw_frames
from unitkit import SR, max_step, strongest_non_harmonic_db

SIZE = 2048


@pytest.fixture(scope="module")
def tables():
    return mipmaps(saw_frames(4, SIZE))


def harmonics(cycle):
    spectrum = np.abs(np.fft.rfft(cycle[:-1])) / (len(cycle) - 1) * 2
    return np.flatnonzero(spectrum > 1e-6)


def test_each_level_keeps_the_harmonics_below_its_limit(tables):
    levels, frames, points = tables.shape
    assert (levels, frames, points) == (10, 4, SIZE + 1)
    for level in range(levels):
        kept = harmonics(tables[level, 3])
        assert kept.min() == 1 and kept.max() == (SIZE // 4) >> level
        assert np.all(tables[level, :, -1] == tables[level, :, 0])       # the guard point
    assert harmonics(tables[0, 0]).tolist() == [1]                       # frame 0 is a sine


def test_bad_frames_are_refused():
    with pytest.raises(ValueError, match="power of two"):
        mipmaps(np.zeros((2, 1000)))
    with pytest.raises(ValueError, match="NaN"):
        mipmaps(np.full((1, 256), np.nan))


def steady(tables, freq_hz, position, frames=1 << 16):
    osc = U.Wavetable(SR, tables)
    out = np.zeros(frames + 2048, np.float32)
    osc.render(out, freq_hz, position)
    return out[2048:]


# 3950 and 4400 Hz fall in a level's own range, 4123 Hz... and 5700 and 2900 Hz in the last
# quarter octave of a level, where the next one is faded in.
@pytest.mark.parametrize("freq_hz", [3950.0, 4123.0, 4400.0, 5700.0, 2900.0, 187.3])
def test_a_full_saw_frame_does_not_alias(tables, freq_hz):
    worst, at = strongest_non_harmonic_db(steady(tables, freq_hz, 3.0), freq_hz)
    print(f"wavetable saw {freq_hz} Hz: strongest non-harmonic {worst:.1f} dB at {at:.0f} Hz")
    assert worst <= -60.0


def test_a_fractional_position_mixes_the_two_frames(tables):
    a = steady(tables, 220.0, 1.0, frames=4800)
    b = steady(tables, 220.0, 2.0, frames=4800)
    mid = steady(tables, 220.0, 1.25, frames=4800)
    assert np.allclose(mid, 0.75 * a + 0.25 * b, atol=1e-6)


def harmonic_levels(x, f0, count):
    from unitkit import amplitude_at
    return np.array([20 * np.log10(amplitude_at(x, h * f0) + 1e-12) for h in range(1, count + 1)])


def test_crossing_a_level_boundary_changes_nothing(tables):
    """At 750 Hz a full saw frame needs level 5 instead of 4 (512 >> 4 harmonics x 750 Hz is
    24 kHz); the last quarter octave below fades level 5 in, so just below and just above the
    boundary sound the same (the 16 harmonics within 0.1 dB, the rest under -80 dB) and
    nothing steps in a sweep."""
    below = harmonic_levels(steady(tables, 749.9, 3.0), 749.9, 31)
    above = harmonic_levels(steady(tables, 750.1, 3.0), 750.1, 31)
    assert np.max(np.abs(below[:16] - above[:16])) < 0.1
    assert np.max(below[16:]) < -80.0 and np.max(above[16:]) < -80.0
    low = harmonic_levels(steady(tables, 620.0, 3.0), 620.0, 33)
    assert low[31] > -40.0 > -80.0 > low[32]    # below the fade, level 4: 32 harmonics (19.8 kHz)


def test_no_tables_is_silence():
    osc = U.Wavetable(SR, np.zeros((1, 1, 65), np.float32))
    out = np.ones(64, np.float32)
    osc.render(out, 440.0, 0.0)
    assert np.all(out == 0.0)
