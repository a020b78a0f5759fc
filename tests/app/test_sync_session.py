"""The app's sync session: parts that cannot start are one log line, and the box plays on."""
import logging

import numpy as np

from reverie.sound.buses import make_engine
from reverie.app.config import MidiConfig, SyncConfig
from reverie.seq.buffer import PatternBuffer
from reverie.app.sync_session import SyncSession


def test_no_midi_api_means_one_line_and_playing_on(caplog):
    # There is no ALSA sequencer on this machine: MIDI out and clock in cannot open.
    eng = make_engine(48000)
    caplog.set_level(logging.INFO, logger="reverie")
    session = SyncSession(eng, MidiConfig(api="alsa", clock_out=True), SyncConfig(source="midi"),
                          48000, 128).start()
    try:
        assert session.port_names() == [] and session.clock_in is None
        off = [r.getMessage() for r in caplog.records if " off: " in r.getMessage()]
        assert len(off) == 2 and all("\n" not in m for m in off)
        eng.seq_set_pattern(0, PatternBuffer(4).build())
        eng.seq_play(0)
        eng.render(np.zeros((2400, 2), np.float32))
        session.poll()                       # no audio callback yet: nothing to follow
        assert eng.seq_state()["playing"]
    finally:
        session.close()
    assert not session.scheduler.running


def test_the_sample_clock_follows_the_period_the_audio_runs_at():
    """Configured for 128 frames, the engine driven by 512-frame callbacks (a JACK server's
    own period; the fallback clock stands in for it): at the next poll the sample clock's
    output latency is 512 frames plus the limiter's look-ahead, so MIDI out and Link line up
    with the sound."""
    import time

    from reverie.hal.audio.clock import FallbackClock
    from reverie.hal.audio.render_gate import RenderGate

    eng = make_engine(48000)
    session = SyncSession(eng, MidiConfig(api="alsa", clock_out=False), SyncConfig(), 48000, 128)
    gate = RenderGate(eng)
    driver = FallbackClock(gate.slot("fallback clock"), 512, 48000)
    gate.give(driver.slot)
    driver.start()
    try:
        deadline = time.monotonic() + 5.0
        while eng.stats()["callbacks"] < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        session.clock.update(*eng.clock_anchor())
        assert session.clock.latency_frames == 128 + eng.lookahead_frames
        session.poll()
        assert session.clock.period_frames == 512
        assert session.clock.latency_frames == 512 + eng.lookahead_frames
    finally:
        driver.stop()
        session.close()
