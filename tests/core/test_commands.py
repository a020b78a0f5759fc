"""The command ring (control -> audio), sample buffer lifetimes and fault handling."""
import weakref

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
    applied = eng.stats()["commands"]
    later = eng.frame + int(9 * SR)                   # due in 9 s, within COMMAND_AHEAD_S
    accepted = [eng.note_on(0, 60, 100, frame=later) for _ in range(SIZES["COMMAND_RING"])]
    assert all(accepted)
    assert eng.note_on(0, 60, 100, frame=later) is False
    assert eng.set_param(0, P.P_LEVEL, -3.0) is False
    stats = eng.stats()
    assert stats["commands_dropped"] == 2
    assert stats["commands_pending"] == SIZES["COMMAND_RING"]
    render(eng, 1024)                                 # the audio side neither blocks nor applies them
    stats = eng.stats()
    # PENDING_COMMANDS of them wait inside the engine; the rest stay in the ring, held once
    assert stats["commands_waiting"] == SIZES["PENDING_COMMANDS"]
    assert stats["commands_pending"] == SIZES["COMMAND_RING"] - SIZES["PENDING_COMMANDS"]
    assert stats["commands_held"] == 1 and stats["commands"] == applied


def test_a_far_future_command_does_not_hold_up_those_due_now():
    eng = neutral_engine(SR)
    eng.set_sample(0, click())
    eng.set_param(0, P.P_ATTACK, 0.0)
    render(eng, 480)
    base = eng.frame
    far = base + int(5 * SR)                          # 5 s ahead, posted first
    assert eng.note_on(0, 60, 127, frame=far)
    soon = [base + 100, base + 333, base + 2048]
    for f in soon:
        assert eng.note_on(0, 60, 127, frame=f)
    assert eng.note_on(0, 60, 127)                    # as soon as possible: the next block's start
    out = render(eng, int(5 * SR) + 4800, block=256)[:, 0]
    delay = limiter_delay(SR)
    assert list(onsets(out) + base - delay) == [base, *soon, far]
    assert eng.stats()["commands_waiting"] == 0 and eng.stats()["commands_held"] == 0


def test_commands_due_on_one_frame_apply_in_the_order_posted_even_after_waiting():
    eng = neutral_engine(SR)
    eng.set_param(0, P.P_ATTACK, 0.0)
    render(eng, 480)
    at = eng.frame + 1000
    eng.note_on(0, 60, 127, frame=eng.frame + 2000)   # a later one in between
    eng.set_sample(0, constant(0.1, 4800), frame=at)
    eng.set_sample(0, constant(0.3, 4800), frame=at)  # replaces the first at the same frame
    eng.note_on(0, 60, 127, frame=at)
    out = render(eng, 1900, block=128)[:, 0]
    delay = limiter_delay(SR)
    assert out[1000 + delay - 1] == 0.0 and out[1000 + delay + 50] == pytest.approx(0.3, rel=1e-4)


def test_a_command_stamped_too_far_ahead_is_refused_with_a_reason():
    eng = neutral_engine(SR)
    render(eng, 64)
    limit = eng.frame + int(SIZES["COMMAND_AHEAD_S"] * SR)
    assert eng.note_on(0, 60, 127, frame=limit)       # exactly at the limit: taken
    with pytest.raises(ValueError, match=r"frame 100000000 is 2083\.3 s ahead of the engine \(frame 64\); "
                                         r"commands may be at most 10 s ahead"):
        eng.note_on(0, 60, 127, frame=100_000_000)
    with pytest.raises(ValueError, match="ahead of the engine"):
        eng.set_sample(1, constant(0.1, 48), frame=limit + 1)
    assert eng.buffers_held == 0                      # the refused buffer is not kept
    assert eng.stats()["commands_pending"] == 1


def released(events):
    return [e for e in events if e[0] == Telem.TEL_SAMPLE_RELEASED]


def test_replaced_sample_is_released_only_when_no_voice_reads_it():
    block = 64
    eng = neutral_engine(SR)
    old = constant(0.2, 4800)
    old_alive = weakref.ref(old)                      # the engine keeps the only reference
    eng.set_sample(0, old)
    del old
    eng.set_param(0, P.P_LOOP_MODE, 1)                # track 0 loops the old buffer; track 1
    eng.set_param(1, P.P_SAMPLE, 0)                   # plays it once through (100 ms)
    eng.set_param(1, P.P_ATTACK, 0.0)
    eng.set_param(0, P.P_ATTACK, 0.0)
    render(eng, 480, block)
    eng.note_on(0, 60, 127)
    eng.note_on(1, 60, 127)
    out = render(eng, 480, block)
    assert out[-1, 0] == pytest.approx(0.4, rel=1e-4)  # two voices read the old buffer
    new = constant(0.1, 4800)
    eng.set_sample(0, new)                            # while they play, a new buffer in the slot
    out = render(eng, 9600, block)
    assert released(eng.poll()) == []
    assert old_alive() is not None and eng.buffers_held == 2
    # track 1's voice is done, track 0's plays on from the old buffer: it is still held
    assert out[-1, 0] == pytest.approx(0.2, rel=1e-4) and eng.stats()["voices"] == 1
    eng.all_notes_off()                               # the last voice fades out, then stops reading
    start, events = eng.frame, []
    out = np.zeros((9600, 2), np.float32)
    for at in range(0, len(out), block):
        eng.render(out[at:at + block])
        events += eng.poll()
    (ack,) = released(events)                         # one acknowledgement, for the old buffer:
    assert old_alive() is None and eng.buffers_held == 1   # the engine let go of it, kept the new
    _, token, frame = ack
    assert token > 0
    # The voice's last sound left the engine at `last` (the limiter delays the output); the
    # release came at the end of the block in which the voice stopped, not before.
    last = start + int(np.flatnonzero(out[:, 0])[-1]) - limiter_delay(SR)
    assert last < frame <= last + 1 + block
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
