"""The command ring (control -> audio), sample buffer lifetimes and fault handling."""
import numpy as np
import pytest

from enginekit import constant, limiter_delay, neutral_engine, render
from reverie.core.defs import SIZES, Telem, TrackParam as P

SR = 48000.0


def click(value=0.5, frames=2400):
    x = np.zeros((frames, 2), dtype=np.float32)
    x[0] = value
    return x


def onsets(x, threshold=1e-3):
    hot = np.abs(x) > threshold
    return np.flatnonzero(hot & ~np.roll(hot, 1))


def test_commands_apply_at_their_exact_frame():
    eng = neutral_engine(SR)
    eng.set_sample(0, click())
    eng.set_param(0, P.P_ATTACK, 0.0)
    render(eng, 480)
    base = eng.frame
    frames = [base + 100, base + 102, base + 777, base + 5000]
    for f in frames:
        eng.note_on(0, 60, 127, frame=f)
    out = render(eng, 6000, block=250)[:, 0]
    delay = limiter_delay(SR)
    assert list(onsets(out) + base - delay) == frames


def test_commands_apply_in_the_order_posted():
    eng = neutral_engine(SR)
    eng.set_sample(0, constant(0.1, 4800))
    eng.set_sample(0, constant(0.3, 4800))           # replaces the first at the same frame
    eng.set_param(0, P.P_ATTACK, 0.0)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    out = render(eng, 2400)[:, 0]
    assert out[-1] == pytest.approx(0.3, rel=1e-4)


def test_a_full_ring_refuses_and_counts():
    eng = neutral_engine(SR)
    render(eng, 64)                                   # applies the set-up commands
    far = 10 ** 12                                    # never due: they stay in the ring
    accepted = [eng.note_on(0, 60, 100, frame=far) for _ in range(SIZES["COMMAND_RING"])]
    assert all(accepted)
    assert eng.note_on(0, 60, 100, frame=far) is False
    assert eng.set_param(0, P.P_LEVEL, -3.0) is False
    stats = eng.stats()
    assert stats["commands_dropped"] == 2
    assert stats["commands_pending"] == SIZES["COMMAND_RING"]
    render(eng, 1024)                                 # the audio side neither blocks nor applies them
    assert eng.stats()["commands_pending"] == SIZES["COMMAND_RING"]


def test_replaced_sample_is_released_only_when_no_voice_reads_it():
    eng = neutral_engine(SR)
    eng.set_sample(0, constant(0.2, 48000))
    eng.set_param(0, P.P_LOOP_MODE, 1)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    render(eng, 480)
    eng.set_sample(0, constant(0.1, 48000))           # the playing voice still reads the old one
    render(eng, 4800)
    assert eng.buffers_held == 2
    eng.all_notes_off()
    events = []
    for _ in range(20):
        render(eng, 480)
        events += eng.poll()
    assert eng.buffers_held == 1
    assert eng.stats()["voices"] == 0


def test_non_finite_output_becomes_silence_and_is_counted():
    eng = neutral_engine(SR)
    bad = constant(0.2, 4800)
    bad[100:200] = np.nan
    eng.set_sample(0, bad)
    eng.set_sample(1, constant(0.2, 4800))
    render(eng, 480)
    eng.note_on(0, 60, 127)
    out = render(eng, 2400)
    assert np.isfinite(out).all()
    assert eng.stats()["faults"] >= 1
    # the engine carries on: the next note sounds
    eng.set_param(0, P.P_SAMPLE, 1)
    render(eng, 480)
    eng.note_on(0, 60, 127)
    out = render(eng, 2400)
    assert out[-1, 0] == pytest.approx(0.2, rel=1e-3)


def test_bad_arguments_are_refused_on_the_control_side():
    eng = neutral_engine(SR)
    with pytest.raises(ValueError, match="slot"):
        eng.set_sample(SIZES["MAX_SAMPLES"], constant(0.1, 10))
    with pytest.raises(ValueError, match="frames, 2"):
        eng.set_sample(0, np.zeros((10, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="sample rate"):
        neutral_engine(1000.0)
    assert Telem.TEL_SAMPLE_RELEASED > 0


def test_a_note_uses_the_settings_posted_just_before_it():
    eng = neutral_engine(SR)
    render(eng, 64)
    eng.set_sample(3, constant(0.2, 480))
    eng.set_param(0, P.P_SAMPLE, 3)
    eng.set_param(0, P.P_LOOP_MODE, 1)
    eng.set_param(0, P.P_ATTACK, 0.0)
    eng.note_on(0, 60, 127)                           # the same block, the same frame
    out = render(eng, 4800)[:, 0]
    # the 10 ms sample loops instead of stopping after one pass
    assert out[-1] == pytest.approx(0.2, rel=1e-3)
    assert eng.stats()["voices"] == 1
