"""The band-limited oscillator (units/osc.pxd) in physical units: aliasing, THD+N, frequency,
pulse width, hard sync, resets."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from unitkit import SR, max_step, strongest_non_harmonic_db, thd_n_db

SHAPES = U.OSC_SHAPES
LATENCY = U.BLEP_LATENCY_FRAMES


def steady(shape, freq_hz, frames=1 << 16, pulse_width=0.5, sample_rate=SR):
    osc = U.Osc(sample_rate)
    out = np.zeros(frames + 4096, np.float32)
    osc.render(out, SHAPES[shape], freq_hz, pulse_width)
    return out[4096:]


# 48000 / 4000 is a whole number, so the aliases of an exact 4 kHz tone fall on its own
# harmonics: the fundamentals around it that do not divide 48 kHz show them.
@pytest.mark.parametrize("freq_hz", [3950.0, 4000.0, 4123.0, 4400.0])
@pytest.mark.parametrize("shape", ["saw", "square", "triangle"])
def test_aliases_lie_more_than_60_db_under_the_fundamental(shape, freq_hz):
    worst, at = strongest_non_harmonic_db(steady(shape, freq_hz), freq_hz)
    print(f"{shape} {freq_hz:.0f} Hz: strongest non-harmonic {worst:.1f} dB at {at:.0f} Hz")
    assert worst <= -60.0, f"{shape} at {freq_hz} Hz: {worst:.1f} dB at {at:.0f} Hz"


@pytest.mark.parametrize("freq_hz", [110.0, 997.0, 4000.0, 8123.0])
def test_the_sine_has_thd_n_under_minus_90_db(freq_hz):
    got = thd_n_db(steady("sine", freq_hz), freq_hz)
    print(f"sine {freq_hz} Hz: THD+N {got:.1f} dB")
    assert got <= -90.0


@pytest.mark.parametrize("freq_hz", [27.5, 440.0, 3322.4])
def test_the_wraps_are_exactly_one_period_apart(freq_hz):
    osc = U.Osc(SR)
    frames = 96000
    out = np.zeros(frames, np.float32)
    sync = np.zeros(frames, np.float32)
    osc.render(out, SHAPES["saw"], freq_hz, sync_out=sync)
    wraps = np.flatnonzero(sync >= 0)
    times = wraps - sync[wraps].astype(float)          # each wrap, in frames
    assert abs(len(wraps) - frames * freq_hz / SR) <= 1
    assert np.allclose(np.diff(times), SR / freq_hz, atol=1e-3)
    assert times[0] == pytest.approx(SR / freq_hz - 1, abs=1e-3)   # frame 0 is phase inc


@pytest.mark.parametrize("pulse_width", [0.1, 0.25, 0.5, 0.8])
def test_the_square_is_high_for_the_pulse_width(pulse_width):
    out = steady("square", 100.0, frames=48000, pulse_width=pulse_width)
    assert float(np.mean(out)) == pytest.approx(2 * pulse_width - 1, abs=0.002)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_is_full_scale_and_centred(shape):
    out = steady(shape, 100.0, frames=48000)
    # a band-limited step overshoots by about 9 % (Gibbs)
    assert 0.99 <= np.max(out) <= 1.15 and -1.15 <= np.min(out) <= -0.99
    assert abs(float(np.mean(out))) < 0.002


def synced(master_hz, slave_hz, shape, frames=1 << 16):
    master, slave = U.Osc(SR), U.Osc(SR)
    m = np.zeros(frames + 4096, np.float32)
    sync = np.zeros_like(m)
    out = np.zeros_like(m)
    master.render(m, SHAPES["saw"], master_hz, sync_out=sync)
    slave.render(out, SHAPES[shape], slave_hz, sync_in=sync)
    return out[4096:], m[4096:]


@pytest.mark.parametrize("shape", ["saw", "square", "triangle", "sine"])
def test_hard_sync_follows_the_master_without_aliasing(shape):
    """A slave at 2.37 x its master restarts at each of the master's wraps: its spectrum is
    the master's harmonics only, band-limited (each restart is a band-limited step and ramp)."""
    master_hz = 523.1
    out, _ = synced(master_hz, master_hz * 2.37, shape)
    worst, at = strongest_non_harmonic_db(out, master_hz)
    print(f"{shape} synced to {master_hz} Hz: strongest non-harmonic {worst:.1f} dB at {at:.0f} Hz")
    assert worst <= -60.0
    free = steady(shape, master_hz * 2.37)
    assert strongest_non_harmonic_db(free, master_hz)[0] > -20.0     # without sync it is not


def test_a_slave_restarts_where_the_master_wraps():
    out, master = synced(200.0, 310.0, "saw", frames=4800)
    # both are BLEP_LATENCY late: the master's band-limited wrap (its fall through 0) and the
    # slave's restart (its fall from +0.55 to -1) fall on the same frames
    master_falls = np.flatnonzero((master[:-1] > 0) & (master[1:] <= 0) & (np.diff(master) < -0.5))
    slave_falls = np.flatnonzero(np.diff(out) < -0.5)
    slave_falls = slave_falls[np.concatenate([[True], np.diff(slave_falls) > 2])]
    near = [np.min(np.abs(slave_falls - f)) for f in master_falls]
    assert len(master_falls) >= 15 and max(near) <= 1


def test_a_reset_is_a_band_limited_step():
    """A reset mid-note restarts the phase; the jump is band-limited: its largest frame-to-frame
    step is within 5 % of that of the saw's own full-range wrap (which depends a little on
    where between two frames a step falls)."""
    saw_step = max_step(steady("saw", 440.0, frames=4800))
    for shape in SHAPES:
        osc = U.Osc(SR)
        a = np.zeros(1000, np.float32)
        b = np.zeros(1000, np.float32)
        osc.render(a, SHAPES[shape], 440.0)
        osc.reset(0.5)
        osc.render(b, SHAPES[shape], 440.0)
        assert max_step(np.concatenate([a, b])) <= saw_step * 1.05, shape


def test_a_first_note_rises_from_silence_band_limited():
    saw_step = max_step(steady("saw", 440.0, frames=4800))
    osc = U.Osc(SR)
    out = np.zeros(400, np.float32)
    osc.render(out, SHAPES["square"], 440.0)
    assert np.max(np.abs(out[:LATENCY - 12])) < 1e-3           # nothing before the latency
    assert max_step(out) <= saw_step * 1.05


@pytest.mark.parametrize("sample_rate", [44100.0, 96000.0])
def test_other_sample_rates(sample_rate):
    f0 = 3950.0
    out = steady("saw", f0, sample_rate=sample_rate)
    assert strongest_non_harmonic_db(out, f0, sample_rate)[0] <= -60.0
