"""The sample player: pitch, interpolation quality, start/end, loops, reverse, trigger modes."""
import numpy as np
import pytest

from enginekit import constant, loop_sine, looping_track, neutral_engine, render
from measure import peak_hz, thd_n_db
from reverie.core.defs import TrackParam as P

SR = 48000.0


def play_sine(period, semitones, fine_cents=0.0):
    eng = neutral_engine(SR)
    eng.set_sample(0, loop_sine(SR, period, seconds=2))
    looping_track(eng, 0, 0)
    eng.set_param(0, P.P_TUNE, semitones)
    eng.set_param(0, P.P_FINE, fine_cents)
    render(eng, 4800)
    eng.note_on(0, 60, 127)
    out = render(eng, int(1.5 * SR))
    return out[12000:12000 + 2 ** 15, 0]


# Stated bound: cubic Hermite keeps THD+N (harmonics, aliasing and noise) of a pitched sine
# below these levels, by how many frames one period of the source sine spans.
@pytest.mark.parametrize("period,limit_db", [(48, -80.0), (24, -70.0), (10, -45.0)])
@pytest.mark.parametrize("semitones", [-24, -5, 7, 19, 24])
def test_pitched_sine_stays_clean(period, limit_db, semitones):
    x = play_sine(period, semitones)
    freq = SR / period * 2 ** (semitones / 12)
    assert thd_n_db(x, SR, freq) < limit_db


@pytest.mark.parametrize("semitones,cents,period", [
    (0, 0, 48), (7, 0, 48), (-12, 0, 48), (3, 37, 48), (-48, 0, 6), (48, 0, 480)])
def test_pitch_is_exact(semitones, cents, period):
    x = play_sine(period, semitones, cents)
    expected = SR / period * 2 ** ((semitones + cents / 100) / 12)
    # within 0.1 cent (what the peak estimate of a 0.7 s FFT can resolve)
    assert peak_hz(x, SR) == pytest.approx(expected, rel=6e-5 if expected > 1000 else 3e-3)


def ramp_engine(**params):
    eng = neutral_engine(SR)
    ramp = np.linspace(0.0, 0.5, 1000, endpoint=False, dtype=np.float32)
    eng.set_sample(0, np.stack([ramp, -ramp], axis=1))
    eng.set_param(0, P.P_ATTACK, 0.0)
    for key, value in params.items():
        eng.set_param(0, getattr(P, key), value)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    return eng, ramp


def first_sound(x):
    return int(np.flatnonzero(np.abs(x) > 1e-6)[0])


def test_one_shot_plays_the_sample_once_then_frees_the_voice():
    eng, ramp = ramp_engine()
    out = render(eng, 3000)
    start = first_sound(out[:, 0])
    played = out[start:start + 999, 0]
    assert np.allclose(played, ramp[1:1000], atol=2e-3)
    assert np.allclose(out[start + 1000:, 0], 0.0, atol=1e-4)
    assert np.allclose(out[:, 1], -out[:, 0], atol=1e-6)      # channels kept apart
    assert eng.stats()["voices"] == 0


def test_reverse_plays_backwards():
    eng, ramp = ramp_engine(P_REVERSE=1)
    out = render(eng, 3000)
    start = first_sound(out[:, 0])
    assert np.allclose(out[start:start + 990, 0], ramp[999:9:-1], atol=2e-3)


def test_start_and_end_trim_the_sample():
    eng, ramp = ramp_engine(P_START=0.25, P_END=0.5)
    out = render(eng, 3000)
    sounding = np.flatnonzero(np.abs(out[:, 0]) > 1e-4)
    assert len(sounding) == pytest.approx(250, abs=3)
    assert out[sounding[0], 0] == pytest.approx(ramp[250], abs=2e-3)
    assert out[sounding[-2], 0] == pytest.approx(ramp[498], abs=2e-3)


def test_forward_loop_repeats_the_loop_region():
    eng, ramp = ramp_engine(P_LOOP_MODE=1, P_LOOP_START=0.5, P_LOOP_END=1.0)
    out = render(eng, 4000)[:, 0]
    start = first_sound(out)
    cycle = out[start + 1000:start + 1500]
    assert np.allclose(cycle, out[start + 1500:start + 2000], atol=1e-5)
    assert cycle.max() == pytest.approx(ramp[999], abs=3e-3)
    assert cycle.min() == pytest.approx(ramp[500], abs=3e-2)   # the jump back is interpolated


def test_pingpong_loop_turns_at_each_edge():
    eng, ramp = ramp_engine(P_LOOP_MODE=2, P_LOOP_START=0.5, P_LOOP_END=1.0)
    out = render(eng, 4000)[:, 0]
    start = first_sound(out)
    rising = np.diff(out[start + 1100:start + 1400])
    falling = np.diff(out[start + 1600:start + 1900])
    assert (rising < 0).all() or (rising > 0).all()
    assert np.sign(rising[0]) == -np.sign(falling[0])
    assert out[start:start + 3000].max() <= ramp[999] + 1e-3


def test_loop_points_from_the_file_are_used():
    eng = neutral_engine(SR)
    ramp = np.linspace(0.0, 0.5, 1000, endpoint=False, dtype=np.float32)
    eng.set_sample(0, np.stack([ramp, ramp], axis=1), loop_start=200, loop_end=300)
    eng.set_param(0, P.P_LOOP_MODE, 1)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    out = render(eng, 4000)[:, 0]
    later = out[2000:4000]
    # only the loop region sounds (the cubic overshoots a little where it jumps back)
    assert ramp[295] < later.max() < ramp[299] + 0.02
    assert ramp[200] - 0.02 < later.min() < ramp[205]


def gate_engine(trig):
    eng = neutral_engine(SR)
    eng.set_sample(0, constant(0.25, 48000))
    eng.set_param(0, P.P_TRIG_MODE, trig)
    eng.set_param(0, P.P_RELEASE, 10.0)
    render(eng, 480)
    eng.note_on(0, 60, 127, frame=eng.frame + 100)
    eng.note_off(0, 60, frame=eng.frame + 4900)
    return render(eng, 9600)[:, 0]


def test_gated_voice_releases_on_note_off():
    out = gate_engine(1)
    assert out[4000] == pytest.approx(0.25, rel=1e-3)
    # release of 10 ms: down by 60 dB after 10 ms, silent soon after
    assert abs(out[4900 + 480 + 80]) < 0.25 * 10 ** (-55 / 20)
    assert np.all(np.abs(out[6000:]) < 1e-5)


def test_one_shot_voice_ignores_note_off():
    out = gate_engine(0)
    assert out[9000] == pytest.approx(0.25, rel=1e-3)
