"""The fallback clock: the engine at real-time pace without a device, silent or recorded."""
import time

import numpy as np
import pytest
import soundfile

from reverie.hal.audio.clock import MAX_LAG_S, FallbackClock
from reverie.hal.audio.recording import RecordBudget, Recording
from reverie.hal.audio.render_gate import RenderGate
from audio_helpers import tone_engine

RATE, PERIOD = 48000, 128


def clock_for(engine):
    gate = RenderGate(engine)
    clock = FallbackClock(gate.slot("fallback clock"), PERIOD, RATE)
    gate.give(clock.slot)
    return clock


def wait_for(condition, timeout_s=5.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.mark.timing
def test_it_runs_the_engines_callback_at_real_time_pace():
    engine = tone_engine()
    clock = clock_for(engine)
    clock.start()
    t0, f0 = time.monotonic(), engine.frame
    time.sleep(0.5)
    frames, took = engine.frame - f0, time.monotonic() - t0
    clock.stop()
    # Driven through the engine's C callback, like a device: its counters tick.
    stats = engine.stats()
    assert stats["callbacks"] * PERIOD == stats["frames"] == clock.slot.frames
    # Paced by the clock: a free-running loop would render hundreds of times more.
    assert 0.6 * took * RATE < frames < 1.4 * took * RATE
    stopped = engine.frame
    time.sleep(0.05)
    assert engine.frame == stopped and not clock.running


def test_started_in_the_past_it_renders_the_missed_blocks_at_once():
    engine = tone_engine()
    clock = clock_for(engine)
    clock.start(since_s=time.monotonic() - 0.25)       # the device's last callback
    wait_for(lambda: engine.frame >= 0.25 * RATE)
    clock.stop()
    assert clock.skipped_s == 0


def test_a_start_further_back_than_max_lag_starts_now():
    engine = tone_engine()
    clock = clock_for(engine)
    started = time.monotonic()
    clock.start(since_s=started - 10 * MAX_LAG_S)
    time.sleep(0.1)
    clock.stop()
    assert engine.frame < (time.monotonic() - started + 0.1) * RATE


def test_while_another_driver_owns_the_engine_it_renders_nothing(tmp_path):
    engine = tone_engine()
    clock = clock_for(engine)
    clock.slot.gate.give(None)
    recording = Recording(tmp_path, RATE, RecordBudget(2**20), name="x.wav")
    clock.start(recording=recording)
    wait_for(lambda: clock.slot.silent >= 20 * PERIOD)
    clock.stop()
    recording.close()
    assert engine.frame == 0 and clock.slot.frames == 0
    assert soundfile.info(tmp_path / "x.wav").frames == 0


def test_a_recording_gets_exactly_what_the_engine_rendered(tmp_path):
    engine = tone_engine()
    clock = clock_for(engine)
    recording = Recording(tmp_path, RATE, RecordBudget(2**20), name="take.wav")
    clock.start(recording=recording)
    wait_for(lambda: engine.frame >= RATE // 5)
    clock.stop()
    recording.close()
    recorded, rate = soundfile.read(tmp_path / "take.wav", dtype="float32")
    assert rate == RATE and len(recorded) == engine.frame == recording.frames
    expected = np.zeros((engine.frame, 2), dtype=np.float32)
    tone_engine().render(expected)
    np.testing.assert_allclose(recorded, expected, atol=2.0 ** -22)     # 24-bit
