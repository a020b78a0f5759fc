"""The capture ring (core/capture_ring.h) and the preview player (core/capture_apply.pxd).

The ring holds what the engine rendered, after the master limiter, frame for frame as
render() returned it; a reader on another thread never takes a frame the writer was
overwriting. The preview plays a buffer into the master without a voice or a track."""
import threading

import numpy as np
import pytest

from reverie.core.defs import TrackParam as P
from reverie.core.engine import Engine, capture_read_race, capture_write_race
from tests.core.enginekit import limiter_delay, loop_sine, neutral_engine, render

RATE = 48000


def _engine_with_tone(ring_s):
    eng = neutral_engine(RATE)
    assert eng.capture_start(ring_s)
    eng.set_sample(0, loop_sine(RATE, 480, 0.25, 0.5))
    eng.set_param(0, P.P_SAMPLE, 0)
    eng.set_param(0, P.P_LOOP_MODE, 1)
    return eng


@pytest.mark.parametrize("block", [1, 64, 65, 128, 8193])
def test_the_ring_holds_what_was_rendered_sample_for_sample(block):
    eng = _engine_with_tone(0.5)                    # 24 000 frames: the render wraps it 4 times
    eng.note_on(0, 60, 100, frame=3000)
    eng.note_off(0, 60, frame=60000)
    out = render(eng, 100_000, block)
    first, end = eng.capture_span()
    assert (first, end) == (100_000 - 24_000, 100_000)
    whole, data = eng.capture_copy(first, end)
    assert whole == first and len(data) == 24_000
    assert np.array_equal(data, out[first:end])     # bit for bit, over the same frames
    assert np.abs(data).max() > 0.1                 # and it is the tone, not silence


def test_the_first_sound_is_the_note_delayed_by_the_limiter_look_ahead():
    eng = _engine_with_tone(2.0)
    eng.note_on(0, 60, 100, frame=5000)
    out = render(eng, 20_000, 128)
    first, end = eng.capture_span()
    whole, data = eng.capture_copy(first, end)
    assert np.array_equal(data, out[first:end])
    heard = np.flatnonzero(np.abs(data).max(axis=1) > 0)
    # the sine's first frame is 0: its second is the first that sounds
    assert first + heard[0] == 5000 + 1 + limiter_delay(RATE) == 5000 + 1 + eng.lookahead_frames


def test_the_ring_starts_with_the_block_after_it_was_handed_in():
    eng = neutral_engine(RATE)
    assert eng.capture_span() == (0, 0)
    assert eng.capture_copy(0, 100)[1].shape == (0, 2)
    render(eng, 1000, 100)
    eng.capture_start(1.0)
    assert eng.capture_span() == (0, 0)             # not in the engine until it renders
    render(eng, 500, 100)
    assert eng.capture_span() == (1000, 1500)
    with pytest.raises(ValueError, match="once"):
        eng.capture_start(1.0)
    with pytest.raises(ValueError, match="outside"):
        Engine(RATE).capture_start(0.0)


def test_a_copy_leaves_out_what_the_ring_no_longer_holds():
    eng = neutral_engine(RATE)
    eng.capture_start(0.1)                          # 4800 frames
    render(eng, 20_000, 64)
    whole, data = eng.capture_copy(0, 20_000)
    assert (whole, len(data)) == (15_200, 4800)


READS = 300     # copies that found the writer moved on; `reverie bench capture` runs far more


def test_no_copy_ever_holds_a_frame_the_writer_was_overwriting():
    """The writer runs at memory speed (hundreds of times real time) into a ring of 65 536
    frames while the reader copies the newest 60 000 again and again: most copies are cut
    short by the writer, and no frame a copy calls whole is torn or from a later pass."""
    eng = Engine(float(RATE))
    eng.capture_start(65536 / RATE)
    eng.render(np.zeros((64, 2), np.float32))
    stop = np.zeros(1, dtype=np.uint64)
    result = {}
    writer = threading.Thread(target=lambda: result.update(w=capture_write_race(eng, 128, stop)))
    reader = threading.Thread(target=lambda: result.update(r=capture_read_race(eng, 60_000, READS, stop)))
    writer.start()
    reader.start()
    reader.join(timeout=120)
    stop[0] = 1
    writer.join()
    reads, bad, cut, checked = result["r"]
    assert reads == READS and checked > 0
    assert bad == 0
    assert cut > 0                                  # the race was real: the writer overtook copies


def test_the_preview_plays_a_buffer_into_the_master_without_a_voice():
    eng = neutral_engine(RATE)
    render(eng, 256, 64)
    clip = (0.3 * np.sin(np.arange(4800) / 7.0)).astype(np.float32)
    clip = np.stack([clip, -clip], axis=1)
    assert eng.preview_play(clip)
    out = render(eng, 6000, 64)
    lag = limiter_delay(RATE)
    np.testing.assert_allclose(out[lag:lag + 4800], clip, atol=1e-6)
    assert np.all(out[lag + 4800:] == 0)
    assert eng.stats()["voices"] == 0
    assert eng.preview_state() == (False, 4800)
    eng.poll()
    assert eng.buffers_held == 0                    # the engine let go of the buffer at its end


def test_a_stopped_preview_fades_out_in_5_ms_and_is_let_go():
    eng = neutral_engine(RATE)
    clip = np.full((RATE, 2), 0.2, np.float32)
    eng.preview_play(clip)
    render(eng, 1000, 100)
    assert eng.preview_state() == (True, 1000)
    eng.preview_stop()
    out = render(eng, 2000, 100)
    lag = limiter_delay(RATE)
    tail = out[lag:, 0]
    assert tail[0] == pytest.approx(0.2, abs=1e-6)
    assert np.all(np.diff(tail[:240]) <= 0) and np.all(tail[240:] == 0)
    assert eng.preview_state()[0] is False
    eng.poll()
    assert eng.buffers_held == 0


def test_a_new_preview_replaces_the_one_playing():
    eng = neutral_engine(RATE)
    eng.preview_play(np.full((RATE, 2), 0.1, np.float32))
    render(eng, 500, 100)
    eng.preview_play(np.full((100, 2), 0.3, np.float32))
    out = render(eng, 1000, 100)
    lag = limiter_delay(RATE)
    assert out[lag + 50, 0] == pytest.approx(0.3, abs=1e-6)
    assert np.all(out[lag + 100:] == 0)
    eng.poll()
    assert eng.buffers_held == 0
