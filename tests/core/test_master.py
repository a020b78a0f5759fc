"""Master bus and track buses: the limiter's ceiling, ramped parameters, sends and mutes."""
import numpy as np
import pytest

from enginekit import constant, loop_sine, looping_track, neutral_engine, render
from reverie.sound.buses import make_engine
from reverie.core.defs import BusParam as B, MasterParam as M, TrackParam as P

SR = 48000.0


def loud_engine(ceiling_db):
    """64 voices of full-scale material on 16 tracks, every gain pushed up."""
    eng = make_engine(SR)
    rng = np.random.default_rng(7)
    eng.set_sample(0, rng.uniform(-1, 1, (48000, 2)).astype(np.float32))
    square = np.sign(np.sin(2 * np.pi * np.arange(48000) / 100)).astype(np.float32)
    eng.set_sample(1, np.stack([square, -square], axis=1))
    eng.set_master(M.M_VOLUME, 6.0)
    eng.set_master(M.M_LIMIT_CEILING, ceiling_db)
    for track in range(16):
        looping_track(eng, track, track % 2)
        eng.set_param(track, P.P_LEVEL, 12.0)
        eng.set_param(track, P.P_DRIVE, 0.5 if track % 3 == 0 else 0.0)
        eng.set_bus(track, B.B_VOLUME, 6.0)
        eng.set_bus(track, B.B_PAN, (track - 8) / 8)
        eng.set_bus(track, B.B_REVERB_SEND, 1.0)
        eng.set_bus(track, B.B_DELAY_SEND, 1.0)
    render(eng, 480)
    for k in range(64):
        eng.note_on(k % 16, 36 + k, 127, frame=eng.frame + 37 * k)
    return eng


@pytest.mark.parametrize("ceiling_db", [-0.3, -6.0, -1.0])
def test_limiter_never_passes_its_ceiling_with_64_full_scale_voices(ceiling_db):
    eng = loud_engine(ceiling_db)
    out = render(eng, int(2 * SR))
    ceiling = 10 ** (ceiling_db / 20)
    assert eng.stats()["voices"] == 64
    assert np.abs(out).max() <= ceiling * (1 + 1e-6)
    # the limiter did it on its own: the final safety clamp never had real work
    assert eng.stats()["limiter_overshoots"] == 0
    assert np.abs(out).max() > 0.9 * ceiling       # and it is loud, not silenced


def dc_track(eng, value=0.25):
    eng.set_sample(0, constant(value, 4800))
    looping_track(eng, 0, 0)
    eng.set_param(0, P.P_ATTACK, 0.0)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    render(eng, 4800)


@pytest.mark.parametrize("setter,param,value,final", [
    ("set_bus", B.B_VOLUME, -20.0, 0.025),
    ("set_bus", B.B_MUTE, 1.0, 0.0),
    ("set_param", P.P_LEVEL, -20.0, 0.025),
    ("set_master", M.M_VOLUME, -20.0, 0.025),
])
def test_gain_changes_are_ramped_not_stepped(setter, param, value, final):
    eng = neutral_engine(SR)
    dc_track(eng)
    if setter == "set_master":
        eng.set_master(param, value)
    else:
        getattr(eng, setter)(0, param, value)
    out = render(eng, 9600)[:, 0].astype(np.float64)
    # a 10 ms glide: no per-frame step above 1/100 of the change, done within 100 ms
    assert np.abs(np.diff(out)).max() < 0.01 * (0.25 - final)
    assert out[-1] == pytest.approx(final, abs=1e-4)
    assert out[0] == pytest.approx(0.25, abs=1e-3)


def test_cutoff_sweep_is_smooth():
    eng = neutral_engine(SR)
    eng.set_sample(0, loop_sine(SR, 48))
    looping_track(eng, 0, 0, cutoff_hz=5000.0)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    render(eng, 4800)
    eng.set_param(0, P.P_CUTOFF, 200.0)
    out = render(eng, 9600)[:, 0].astype(np.float64)
    # the envelope of the 1 kHz tone falls smoothly (no block-wise jumps)
    env = np.abs(out).reshape(-1, 48).max(axis=1)
    assert np.all(np.diff(env) < 0.002)
    assert env[-1] < 0.25 * 0.1


def test_solo_silences_the_other_tracks():
    eng = neutral_engine(SR)
    eng.set_sample(0, constant(0.1, 4800))
    for track in (0, 1):
        looping_track(eng, track, 0)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    eng.note_on(1, 60, 127)
    both = render(eng, 4800)[-1, 0]
    eng.set_bus(1, B.B_SOLO, 1.0)
    solo = render(eng, 9600)[-1, 0]
    assert both == pytest.approx(0.2, rel=1e-3)
    assert solo == pytest.approx(0.1, rel=1e-3)


def test_delay_repeats_on_the_beat():
    eng = neutral_engine(SR)
    click = np.zeros((4800, 2), dtype=np.float32)
    click[0] = 0.5
    eng.set_sample(0, click)
    eng.set_param(0, P.P_ATTACK, 0.0)
    eng.set_bus(0, B.B_DELAY_SEND, 1.0)
    eng.set_master(M.M_TEMPO, 120.0)
    eng.set_master(M.M_DELAY_BEATS, 0.5)            # an eighth at 120 BPM: 12000 frames
    eng.set_master(M.M_DELAY_SPREAD, 0.0)
    render(eng, int(SR))                            # the delay time glides (50 ms) to its new value
    start = eng.frame
    eng.note_on(0, 60, 127, frame=start)
    out = render(eng, 30000)[:, 0]
    hits = np.flatnonzero(np.abs(out) > 0.02)
    first = hits[0]
    echo = hits[hits > first + 100][0]
    assert echo - first == pytest.approx(12000, abs=2)


def test_reverb_tail_decays():
    eng = neutral_engine(SR)
    eng.set_sample(0, np.random.default_rng(1).uniform(-0.5, 0.5, (2400, 2)).astype(np.float32))
    eng.set_bus(0, B.B_REVERB_SEND, 1.0)      # the 50 ms burst is over before the first window
    render(eng, 480)
    eng.note_on(0, 60, 127)
    out = render(eng, int(4 * SR))[:, 0]
    energy = [np.sqrt(np.mean(out[int(t * SR):int((t + 0.25) * SR)] ** 2)) for t in (0.25, 1.0, 3.0)]
    assert energy[0] > energy[1] > energy[2]
    assert energy[0] > 1e-3
