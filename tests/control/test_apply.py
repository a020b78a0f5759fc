"""The control thread's side of the UI: effects carried out on a real engine (offline), the
event queue, worker jobs and the status read from telemetry."""
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from reverie.core.defs import SIZES
from reverie.sound.buses import make_engine
from reverie.control.apply import Applier
from reverie.control.jobs import Jobs
from reverie.control.queue import EventQueue
from reverie.control.telemetry import StatusReader, ip_address
from reverie.base.errors import UserError
from reverie.sound.instruments import SAMPLER
from reverie.project import edit, mix_edit
from reverie.project.demo import demo_project_path
from reverie.project.history import History
from reverie.project.store import load_project
from reverie.project.sounds import sound_slots
from reverie.seq.driver import Sequencer
from reverie.ui import effects as fx
from reverie.ui.context import Context, changes
from reverie.ui.status import Status

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))
from enginekit import limiter_delay  # noqa: E402  (the engine test helpers, in tests/core)

RATE = 48000


@pytest.fixture
def rig():
    return make_rig()


def make_rig():
    engine = make_engine(RATE)
    project = load_project(demo_project_path())
    ctx = Context(History(project))
    seq = Sequencer(engine, project, sound_slots(project))
    seq.load()
    # every track's sample parameter defaults to slot 0: one sound for all of them
    engine.set_sample(0, np.full((4800, 2), 0.5, np.float32))
    render(engine)
    applier = Applier(engine, seq, lambda: ctx.project, period_frames=128)
    return engine, ctx, seq, applier


def render(engine, frames=256):
    out = np.zeros((frames, 2), np.float32)
    engine.render(out)
    return out


def test_a_sound_edit_reaches_the_engine_as_the_specs_value(rig):
    engine, ctx, seq, applier = rig
    effects = ctx.edit(mix_edit.set_track_param, 0, "loop", "pingpong")
    assert effects == [fx.SetParam("track", 0, "loop", "pingpong")]
    before = engine.stats()["commands"]
    applier.apply(effects)
    render(engine)
    assert engine.stats()["commands"] == before + 1
    assert ctx.project.tracks[0].params["loop"] == "pingpong"     # kept by name, as the file does


def test_a_step_toggled_while_playing_is_heard_in_the_same_pass():
    # Two rigs play the demo in step; one gets a trig on track 0's empty step 15 after the
    # pass has begun. Their outputs are equal up to the frame that step sounds on, then differ.
    toggled, untouched = make_rig(), make_rig()
    for engine, ctx, seq, applier in (toggled, untouched):
        applier.apply([fx.Transport("play")])
        render(engine, 64)
        assert engine.seq_state()["playing"]
    engine, ctx, seq, applier = toggled
    project, step = ctx.project, 15
    assert edit.get_step(project, project.pattern, 0, step) is None
    applier.apply(ctx.edit(edit.toggle_step, project.pattern, 0, step))
    assert edit.get_step(ctx.project, project.pattern, 0, step) is not None
    assert seq.project is ctx.project        # the sequencer compiles the edited project
    start = engine.frame
    sounds = engine.frame_at(step * SIZES["STEP_TICKS"])    # this pass's step 15 (no swing)
    assert engine.seq_state()["pass_start"] == 0 and start < sounds
    frames = sounds - start + 4800
    a, b = render(toggled[0], frames)[:, 0], render(untouched[0], frames)[:, 0]
    assert toggled[0].seq_state()["pass_start"] == 0           # still the first pass
    differ = np.flatnonzero(a != b)
    assert differ.size and start + differ[0] == sounds + limiter_delay(RATE)
    assert np.abs(a[differ[0]:] - b[differ[0]:]).max() > 0.05  # a note, not a rounding


def test_transport_tempo_mute_and_queue(rig):
    engine, ctx, seq, applier = rig
    applier.apply([fx.Transport("play"), fx.Tempo(133.5), fx.QueuePattern("A02")])
    render(engine)
    s = engine.seq_state()
    assert s["playing"] and s["tempo_bpm"] == 133.5 and s["queued"] == 1
    applier.apply([fx.Transport("stop")])
    render(engine)
    assert not engine.seq_state()["playing"]


def test_a_refused_value_is_a_notice_not_an_exception(rig):
    engine, ctx, seq, applier = rig
    applier.apply([fx.SetParam("track", 0, "cutoff_hz", 5.0)])
    assert "cutoff_hz" in applier.notice and "20" in applier.notice


def test_a_full_ring_is_a_notice_and_the_state_follows_once_audio_drains_it(rig):
    engine, ctx, seq, applier = rig
    while engine.note_off(15, 1):               # the audio thread stopped: nothing drains the ring
        pass
    applier.apply([fx.SetParam("master", 0, "volume_db", -20.0), fx.Transport("play"),
                   fx.PlayNote(0, 60, 100), fx.PlayNote(0, 60, 0), fx.Mute(3, True)])
    assert applier.notice == "audio busy: 3 changes wait to be played"
    assert applier.refused == 5 and applier.backlog.dropped == 2     # the note on and play
    render(engine)                              # the audio thread drains the ring again
    assert not engine.seq_state()["playing"]    # a moment refused stays undone
    applier.retry()                             # the next control tick posts what waited
    assert not applier.backlog.waiting and applier.backlog.retried == 3
    # the box now sounds as one that took the change at once: 20 dB down
    reference, untouched = make_rig(), make_rig()
    reference[3].apply([fx.SetParam("master", 0, "volume_db", -20.0)])
    outs = []
    for e, a in ((engine, applier), (reference[0], reference[3]), (untouched[0], untouched[3])):
        render(e, 256 + 9600)                   # the same frames, the volume glide settled
        a.apply([fx.PlayNote(0, 60, 100)])
        outs.append(render(e, 4800))
    assert np.abs(outs[2]).max() > 0.05
    assert np.array_equal(outs[0], outs[1])
    assert np.abs(outs[0]).max() == pytest.approx(0.1 * np.abs(outs[2]).max(), rel=0.01)


def test_a_live_note_plays_one_period_after_its_arrival_on_the_frame_clock(rig):
    engine, ctx, seq, applier = rig

    class Clock:
        ready = True

        def frame_at(self, t_ns):
            return t_ns / 1e9 * RATE           # frame 0 at t = 0

    applier.clock = Clock()
    render(engine, 48000)                       # engine.frame = 48000 (1 s)
    assert applier.frame_for(1.01) == int(1.01 * RATE) + 128
    assert applier.frame_for(0.5) == -1         # already past: play at once
    applier.clock = None
    assert applier.frame_for(1.01) == -1


def test_a_live_note_waits_the_period_the_audio_runs_at_not_the_configured_one(rig):
    """A JACK server runs at its own period, whatever [audio] period_frames says. Driven by
    512-frame callbacks (the fallback clock stands in for the device) with 128 configured,
    an input that arrived 300 frames before the end of the block last rendered plays 512
    frames after it, on its offset in the next block; waiting only 128 would land it in the
    past, and it would play at the next block's start: up to a period late, and jittery."""
    from reverie.hal.audio.clock import FallbackClock
    from reverie.hal.audio.render_gate import RenderGate

    engine, ctx, seq, applier = rig
    gate = RenderGate(engine)
    driver = FallbackClock(gate.slot("fallback clock"), 512, RATE)
    gate.give(driver.slot)
    driver.start()
    deadline = time.monotonic() + 5.0
    while engine.stats()["callbacks"] < 4 and time.monotonic() < deadline:
        time.sleep(0.005)
    driver.stop()
    end = engine.frame

    class Clock:
        ready = True

        def frame_at(self, t_ns):
            return t_ns / 1e9 * RATE           # frame 0 at t = 0

    applier.clock = Clock()
    arrived = end - 300
    assert applier.frame_for(arrived / RATE) == arrived + 512


def test_undo_sends_the_old_value_back(rig):
    engine, ctx, seq, applier = rig
    ctx.edit(mix_edit.set_bus_param, 2, "volume_db", -12)
    ctx.edit(mix_edit.set_bus_param, 2, "volume_db", -6)
    assert ctx.undo() == [fx.SetParam("bus", 2, "volume_db", -12)]


def test_changes_reload_the_project_for_what_no_live_effect_covers(rig):
    engine, ctx, seq, applier = rig
    p = ctx.project
    assert changes(p, mix_edit.set_chain(p, ["A01", "A02"])) == [fx.ProjectEdited()]
    assert changes(p, mix_edit.set_tempo(p, 99)) == [fx.Tempo(99)]
    assert changes(p, p) == []


def test_the_queue_drops_and_counts_past_its_capacity_and_wakes_the_loop():
    q = EventQueue(capacity=3)
    assert all(q.put(i) for i in range(3))
    assert not q.put(3) and q.dropped == 1
    assert q.wake.is_set()
    assert q.drain(2) == [0, 1] and q.wake.is_set()
    assert q.drain() == [2] and not q.wake.is_set()


def test_the_queue_takes_events_from_many_threads():
    q = EventQueue(capacity=100_000)
    threads = [threading.Thread(target=lambda k=k: [q.put((k, i)) for i in range(1000)]) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = []
    while len(q):
        got += q.drain(1000)
    assert sorted(got) == sorted((k, i) for k in range(4) for i in range(1000))


def test_jobs_finish_on_the_polling_thread_and_turn_user_errors_into_notices():
    jobs = Jobs()
    finished = []
    jobs.run("load", lambda: threading.get_ident(), lambda r: finished.append((r, threading.get_ident())))

    def bad():
        raise UserError("kick.wav: not a sound file")
    jobs.run("load kick", bad, finished.append)
    jobs.wait()
    (worker_thread, control_thread), = finished
    assert worker_thread != control_thread == threading.get_ident()
    assert jobs.notice == "kick.wav: not a sound file"
    jobs.close()


def test_a_bug_in_a_job_is_logged_and_noticed_not_raised(caplog):
    jobs = Jobs()
    jobs.run("save", lambda: 1 / 0, lambda r: None)
    jobs.wait()
    assert jobs.notice == "save failed (see the log)"
    assert "ZeroDivisionError" in caplog.text
    jobs.close()


def test_status_reads_the_playhead_and_peak_holds_the_dsp_load(rig):
    engine, ctx, seq, applier = rig
    reader = StatusReader(engine)
    applier.apply([fx.Transport("play")])
    render(engine, 48000 // 2)
    s = reader.read(0.0, Status())
    assert s.playing and s.pattern == ctx.project.pattern
    assert any(step >= 0 for step in s.steps)
    assert len(s.meters) == 16 and max(s.meters) > 0


def test_the_dsp_load_is_held_at_its_peak_for_a_second(rig):
    engine, ctx, seq, applier = rig
    loads = iter([0.9, 0.2, 0.3, 0.1])

    class Timed:
        """The engine, with callback times chosen by the test."""

        def __getattr__(self, name):
            return getattr(engine, name)

        def stats(self):
            return {**engine.stats(), "callback_last_ns": int(next(loads) * 1e6), "period_ns": 1_000_000}

    reader = StatusReader(Timed())
    assert [reader.read(t, Status()).dsp_load for t in (0.0, 0.5, 0.9, 1.6)] == [0.9, 0.9, 0.9, 0.1]


def test_the_ip_address_comes_from_the_routing_table(tmp_path):
    table = tmp_path / "fib_trie"
    table.write_text("Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 127.0.0.1\n        /32 host LOCAL\n"
                     "     |-- 10.1.2.3\n        /32 host LOCAL\n")
    assert ip_address(table) == "10.1.2.3"
    table.write_text("Main:\n     |-- 127.0.0.1\n        /32 host LOCAL\n")
    assert ip_address(table) == ""
    assert ip_address(tmp_path / "missing") == ""


def test_settings_load_over_the_configuration_and_a_bad_file_changes_nothing(tmp_path, caplog):
    from reverie.app.config import Config
    from reverie.control.settings import load_settings, save_settings

    path = tmp_path / "settings.json"
    base = load_settings(path, Config())
    assert base["sync.source"] == "internal" and base["midi.clock_out"] is True
    save_settings(path, {**base, "pads.scale": "minor", "display.contrast": 127})
    assert load_settings(path, Config())["pads.scale"] == "minor"
    path.write_text('{"pads.root": 99}')
    assert load_settings(path, Config()) == base
    path.write_text("{not json")
    assert load_settings(path, Config()) == base
    assert "settings.json" in caplog.text
    for bad, said in (("[" * 30_000 + "]" * 30_000, "nested more than 32 deep"),
                      ('{"pads.root": %s}' % ("1" * 5000), "a number of 5000 digits is too long")):
        path.write_text(bad)
        assert load_settings(path, Config()) == base
        assert f"settings.json: {said}" in caplog.text and "; using the configuration" in caplog.text


def test_a_setting_is_applied_kept_on_the_worker_and_refused_when_bad(rig, tmp_path):
    from reverie.app.config import Config
    from reverie.control.settings import SettingsApplier, load_settings

    engine, ctx, seq, applier = rig
    path, said, contrast = tmp_path / "state" / "settings.json", [], []

    class Panel:
        def contrast(self, level):
            contrast.append(level)

    jobs = Jobs()
    settings = load_settings(path, Config())
    apply = SettingsApplier(path, settings, engine, jobs, Panel(), notify=said.append)
    apply("display.contrast", 63)
    apply("sync.source", "link")
    apply("pads.root", 12)
    jobs.wait()
    assert contrast == [63]
    assert said == ["sync from link: from the next start", "setting pads.root = 12 is not allowed"]
    assert load_settings(path, Config())["display.contrast"] == 63
    assert load_settings(path, Config())["pads.root"] == 0
    jobs.close()


def test_the_mod_wheel_reaches_the_engine_as_the_tracks_modulation(rig):
    engine, ctx, seq, applier = rig
    before = engine.stats()["commands"]
    applier.apply([fx.Modulate(2, 0, 0.5), fx.Modulate(2, 1, 0.25)])
    render(engine)
    assert engine.stats()["commands"] == before + 2
