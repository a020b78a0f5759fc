"""The output does not depend on how the host slices time into blocks."""
import numpy as np
import pytest

from reverie.sound.buses import make_engine
from reverie.core.defs import BusParam as B, MasterParam as M, TrackParam as P

SR = 48000.0
FRAMES = 24000


def busy_session():
    """Notes at odd frames on several tracks, mid-note parameter changes, loops, reverse,
    drive, a filter envelope, a choke, a steal, and the delay, reverb, compressor and limiter."""
    rng = np.random.default_rng(3)
    eng = make_engine(SR)
    i = np.arange(9600)
    eng.set_sample(0, np.stack([np.sin(i / 7.3), np.sin(i / 5.1)], axis=1).astype(np.float32) * 0.8)
    eng.set_sample(1, rng.uniform(-1, 1, (3000, 2)).astype(np.float32))
    eng.set_sample(2, np.stack([np.sign(np.sin(i / 40.0))] * 2, axis=1).astype(np.float32))
    eng.set_master(M.M_COMP_THRESHOLD, -20.0)
    eng.set_master(M.M_COMP_RATIO, 4.0)
    eng.set_param(0, P.P_LOOP_MODE, 2)
    eng.set_param(0, P.P_TRIG_MODE, 1)
    eng.set_param(0, P.P_FENV_AMOUNT, 3.0)
    eng.set_param(0, P.P_CUTOFF, 800.0)
    eng.set_param(0, P.P_RESONANCE, 0.6)
    eng.set_param(1, P.P_SAMPLE, 1)
    eng.set_param(1, P.P_REVERSE, 1)
    eng.set_param(1, P.P_CHOKE, 3)
    eng.set_param(2, P.P_SAMPLE, 2)
    eng.set_param(2, P.P_DRIVE, 0.7)
    eng.set_param(2, P.P_FILTER_MODE, 2)
    eng.set_param(2, P.P_CHOKE, 3)
    for track in range(3):
        eng.set_bus(track, B.B_DELAY_SEND, 0.4)
        eng.set_bus(track, B.B_REVERB_SEND, 0.3)
    for k in range(140):                                   # enough to force a steal
        eng.note_on(k % 3, 40 + (k * 7) % 40, 30 + k % 97, frame=11 + 37 * k)
        if k % 5 == 0:
            eng.note_off(0, 40 + (k * 7) % 40, frame=11 + 37 * k + 501)
    # ring order is time order: post the later events after the notes they follow
    eng.set_param(0, P.P_CUTOFF, 3000.0, frame=7001)
    eng.set_param(2, P.P_TUNE, -7.0, frame=9003)
    eng.set_bus(1, B.B_PAN, -0.8, frame=12345)
    eng.set_bus(2, B.B_MUTE, 1.0, frame=15001)
    eng.set_master(M.M_DELAY_BEATS, 0.25, frame=16000)
    return eng


def render_in_blocks(block):
    eng = busy_session()
    out = np.zeros((FRAMES, 2), dtype=np.float32)
    for start in range(0, FRAMES, block):
        eng.render(out[start:start + block])
    return out, eng.stats()


@pytest.fixture(scope="module")
def reference():
    return render_in_blocks(256)


@pytest.mark.parametrize("block", [1, 64, 65, 128, 8193])
def test_same_samples_for_every_block_size(reference, block):
    expected, expected_stats = reference
    got, stats = render_in_blocks(block)
    assert np.array_equal(got, expected)
    assert stats["steals"] == expected_stats["steals"]


def test_the_session_is_not_trivial(reference):
    out, stats = reference
    assert stats["steals"] > 0 or stats["voices"] > 0
    assert np.abs(out).max() > 0.1
    assert np.isfinite(out).all()
