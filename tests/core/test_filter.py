"""The voice's state-variable filter, measured through the whole engine in physical units."""
import numpy as np
import pytest

from enginekit import amplitude, db, loop_sine, looping_track, neutral_engine, render
from reverie.core.defs import TrackParam as P

# Cutoffs as sample_rate / period, so the test sine loops seamlessly: ~100 Hz, 1 kHz, 6 kHz at 48 kHz.
PERIODS = [480, 48, 8]


def response_db(sample_rate, period, mode, resonance=0.0):
    eng = neutral_engine(sample_rate)
    sine = loop_sine(sample_rate, period)
    eng.set_sample(0, sine)
    looping_track(eng, 0, 0, cutoff_hz=sample_rate / period)
    eng.set_param(0, P.P_FILTER_MODE, mode)
    eng.set_param(0, P.P_RESONANCE, resonance)
    render(eng, 4800)                        # let the cutoff glide settle
    eng.note_on(0, 60, 127)
    out = render(eng, int(0.5 * sample_rate))
    steady = out[int(0.2 * sample_rate):, 0]
    return db(amplitude(steady) / amplitude(sine[:, 0]))


@pytest.mark.parametrize("sample_rate", [44100.0, 48000.0, 96000.0])
@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("mode,name", [(0, "low-pass"), (2, "high-pass")])
def test_minus_3_db_at_the_cutoff(sample_rate, period, mode, name):
    gain = response_db(sample_rate, period, mode)
    assert gain == pytest.approx(-3.01, abs=0.5), f"{name} at {sample_rate / period:.1f} Hz: {gain:.2f} dB"


@pytest.mark.parametrize("sample_rate", [44100.0, 48000.0, 96000.0])
def test_band_pass_is_unity_at_its_centre(sample_rate):
    assert response_db(sample_rate, 48, 1) == pytest.approx(0.0, abs=0.5)


def test_low_pass_falls_12_db_per_octave_well_above_the_cutoff():
    # An octave pair far above a 100 Hz cutoff: a 2-pole filter drops ~12 dB per octave.
    sr = 48000.0
    gains = []
    for period in (60, 30):                  # 800 Hz and 1600 Hz
        eng = neutral_engine(sr)
        eng.set_sample(0, loop_sine(sr, period))
        looping_track(eng, 0, 0, cutoff_hz=100.0)
        render(eng, 4800)
        eng.note_on(0, 60, 127)
        out = render(eng, 24000)
        gains.append(db(amplitude(out[9600:, 0]) / 0.25))
    assert gains[0] - gains[1] == pytest.approx(12.0, abs=1.0)


def test_resonance_raises_the_peak_at_the_cutoff():
    flat = response_db(48000.0, 48, 0, resonance=0.0)
    resonant = response_db(48000.0, 48, 0, resonance=0.8)
    assert resonant > flat + 12.0
