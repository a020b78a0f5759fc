"""Capture driven as a musician drives it, offline: key and pad events through the control
loop, the engine rendered block by block between control ticks (every frame it rendered
kept, so what was heard is known), the worker doing the writing.

FUNC+REC keeps the last seconds as a sample and a FLAC; FUNC+PATTERN keeps the notes as a
pattern; the LISTEN page plays a capture back; the whole session is recorded, and a disk
guard stops that recording, never the engine."""
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from reverie.app.rig import build_rig
from reverie.base.events import Key, Pad, Turn
from reverie.control.audio_log import SILENCE, JournalLink
from reverie.control.capture import MARGIN_S, Capture
from reverie.project.demo import demo_project_path
from reverie.project.pattern import SUBSTEPS
from reverie.project.phrase import STEP_TICKS, TICKS_PER_BEAT
from reverie.project.record import step_ticks, swing_ticks
from reverie.project.sounds import load_sounds
from reverie.project.store import load_project
from reverie.seq.load import apply_project
from reverie.sound.buses import make_engine
from reverie.sound.samples import load_sample

RATE = 48000
BLOCK = 256
TICK_S = 0.005
FLAC_STEP = 2.0 ** -23          # 24-bit


class Bench:
    """A rig on a copy of the demo project, its engine rendered offline; `out` is every frame
    the engine rendered, so out[f] is engine frame f."""

    def __init__(self, tmp: Path, folder=True, **capture):
        self.tmp = tmp
        src = demo_project_path()
        self.folder = None
        if folder:
            self.folder = tmp / "projects" / "Demo"
            shutil.copytree(src, self.folder)
        project = load_project(self.folder or src)
        self.engine = make_engine(RATE)
        apply_project(self.engine, project, load_sounds(project, self.folder or src, RATE, factory_dir=tmp / "factory"))
        self.rig = build_rig(self.engine, project, self.folder or src, rate=RATE, period=128,
                             library=tmp / "projects", factory_dir=tmp / "factory")
        self.journal = []
        self.now = 100.0
        self.capture = Capture(self.rig, tmp / "captures", journal=JournalLink(
            lambda *a: self.journal.append(a), lambda: 42), clock=lambda: self.now, **capture).start()
        self.blocks = []
        self.press("SOUND")             # pads play their tracks here (the pattern page edits steps)

    @property
    def out(self) -> np.ndarray:
        return np.concatenate(self.blocks) if self.blocks else np.zeros((0, 2), np.float32)

    def until(self, frame: int) -> None:
        """Renders up to engine frame `frame`, a control tick every TICK_S."""
        while self.engine.frame < frame:
            n = min(BLOCK, frame - self.engine.frame)
            block = np.zeros((n, 2), np.float32)
            self.engine.render(block)
            self.blocks.append(block)
            self.now += n / RATE
            if len(self.blocks) % 4 == 0:
                self.rig.control.tick(self.now)
        self.rig.control.tick(self.now)

    def wait(self, seconds: float) -> None:
        self.until(self.engine.frame + round(seconds * RATE))

    def event(self, *events) -> int:
        """Events in now; returns the engine frame they were handled at."""
        for e in events:
            self.rig.queue.put(e)
        frame = self.engine.frame
        self.rig.control.tick(self.now)
        return frame

    def press(self, name: str, func: bool = False) -> None:
        keys = [Key("FUNC", "press", self.now)] if func else []
        keys += [Key(name, "press", self.now), Key(name, "release", self.now)]
        keys += [Key("FUNC", "release", self.now)] if func else []
        self.event(*keys)

    def pad(self, pad: int, seconds: float, velocity: int = 100) -> int:
        frame = self.event(Pad(pad, velocity, self.now))
        self.wait(seconds)
        self.event(Pad(pad, 0, self.now))
        return frame

    def jobs(self) -> None:
        self.rig.jobs.wait(timeout=30)
        self.rig.control.tick(self.now)

    @property
    def notice(self) -> str:
        return self.rig.control.status.message

    def close(self):
        self.rig.jobs.close()


@pytest.fixture
def bench(tmp_path):
    b = Bench(tmp_path, seconds=10)
    b.wait(0.1)
    yield b
    b.close()


def test_func_rec_keeps_what_was_heard_sample_for_sample(bench):
    hit = bench.pad(0, 0.2)
    bench.pad(1, 0.3)
    bench.wait(0.5)
    press_end = bench.engine.frame
    bench.press("REC", func=True)
    bench.wait(0.5)                                  # the engine plays on while the worker reads
    bench.jobs()
    kept = bench.capture.last
    assert kept is not None and kept.lost_frames == 0
    out = bench.out
    heard = out[kept.first_frame:kept.first_frame + kept.frames]
    # the sample in the project is what the engine rendered over the same frames, bit for bit
    wav, rate = sf.read(kept.sample_path, dtype="float32")
    assert rate == RATE and np.array_equal(wav, heard)
    assert kept.sample_path.parent == bench.folder / "samples"
    # the FLAC in the audio log holds it to 24 bits
    flac, rate = sf.read(kept.log_path, dtype="float32")
    assert rate == RATE and np.abs(flac - heard).max() <= FLAC_STEP
    assert kept.log_path.parent.parent == bench.tmp / "captures"
    # trimmed from the first sound (the pad, delayed by the limiter's look-ahead) to the last
    assert np.max(np.abs(out[:kept.first_frame])) <= SILENCE < np.max(np.abs(out[kept.first_frame]))
    assert kept.first_frame >= hit + bench.engine.lookahead_frames
    assert kept.first_frame + kept.frames <= press_end                 # nothing after the press
    assert np.max(np.abs(out[kept.first_frame + kept.frames:press_end]), initial=0) <= SILENCE
    # the journal heard of it; the notice says where it went; it loads as a sample
    assert bench.journal == [(42, "audio", str(kept.log_path), round(kept.seconds, 3))]
    assert f"kept {kept.seconds:.1f} s: {kept.sample_path.name} in samples/" in bench.notice
    assert load_sample(kept.sample_path, engine_rate=RATE).data.shape == wav.shape
    assert kept.sample_path.name in bench.rig.disk.listing()[1]


def test_a_capture_keeps_the_ring_seconds_and_no_more(tmp_path):
    b = Bench(tmp_path, seconds=5)
    try:
        assert b.engine.capture_frames == (5 + MARGIN_S) * RATE
        for k in range(8):
            b.pad(k % 4, 0.5)
            b.wait(0.5)
        b.press("REC", func=True)
        b.jobs()
        kept = b.capture.last
        assert kept.frames <= 5 * RATE and kept.first_frame >= b.engine.frame - 5 * RATE - BLOCK
        assert np.array_equal(sf.read(kept.sample_path, dtype="float32")[0],
                              b.out[kept.first_frame:kept.first_frame + kept.frames])
    finally:
        b.close()


def test_silence_keeps_nothing_and_says_so(bench):
    bench.wait(1.0)
    bench.press("REC", func=True)
    bench.jobs()
    assert bench.capture.last is None and "nothing to keep" in bench.notice
    assert not list((bench.tmp / "captures").rglob("*.flac"))
    assert not list((bench.folder / "samples").glob("capture-*"))


def test_the_demo_keeps_its_capture_in_the_log_only(tmp_path):
    b = Bench(tmp_path, folder=False)
    try:
        b.pad(0, 0.2)
        b.press("REC", func=True)
        b.jobs()
        kept = b.capture.last
        assert kept.sample_path is None and kept.log_path.is_file()
        assert "save the project to keep captures as samples" in b.notice
    finally:
        b.close()


def test_a_disk_short_of_the_guard_keeps_nothing_and_the_music_plays_on(tmp_path):
    b = Bench(tmp_path, min_free_mb=10**9)           # a petabyte must stay free
    try:
        b.pad(0, 0.2)
        b.press("REC", func=True)
        b.jobs()
        assert b.capture.last is None and "not kept" in b.notice and "capture.min_free_mb" in b.notice
        assert not list(tmp_path.rglob("*.flac")) and not list(tmp_path.rglob("capture-*.wav"))
        frame = b.pad(1, 0.2)
        assert np.max(np.abs(b.out[frame:])) > 0.05                  # still playing
    finally:
        b.close()


def test_a_journal_that_fails_never_loses_the_capture(tmp_path):
    def broken(*_):
        raise OSError("database or disk is full")
    b = Bench(tmp_path)
    b.capture.journal = JournalLink(broken, lambda: 1)
    try:
        b.pad(0, 0.2)
        b.press("REC", func=True)
        b.jobs()
        assert b.capture.last is not None and b.capture.last.log_path.is_file()
    finally:
        b.close()


# --- the notes ---------------------------------------------------------------------------

def onsets(pattern, track):
    tp = pattern.tracks[track]
    st = step_ticks(tp.speed)
    return [(i * st + swing_ticks(st, pattern.swing) * (i % 2) + s.micro * st // SUBSTEPS, s)
            for i, s in enumerate(tp.steps) if s is not None]


def test_func_pattern_keeps_a_phrase_played_while_stopped_at_its_own_tempo(bench):
    rng = np.random.default_rng(7)
    rhythm = [2, 1, 1, 2, 2, 4, 2, 1, 1, 2, 2, 2, 4, 1, 1, 1, 1, 2, 2, 2, 2, 4]
    pos = np.concatenate([[0], np.cumsum(rhythm)])[:-1]
    start = bench.engine.frame + RATE
    frames = [start + round((p * 0.125 + rng.normal(0, 0.008)) * RATE) for p in pos]   # 120 BPM
    played = []
    for i, f in enumerate(frames):
        bench.until(f)
        played.append((bench.event(Pad(i % 3, 70 + i, bench.now)), i % 3, 70 + i))
        bench.wait(0.06)
        bench.event(Pad(i % 3, 0, bench.now))
    bench.wait(1.0)
    before = bench.rig.ui.project
    bench.press("PATTERN", func=True)
    project = bench.rig.ui.project
    assert project.pattern == "A02" and not before.patterns.get("A02")
    assert project.tempo == pytest.approx(120, abs=1.0)
    assert "kept 22 notes as A02 at" in bench.notice and "undo takes it back" in bench.notice
    assert bench.capture.last_notes[0] == "A02" and bench.capture.last_notes[1].bars == 3   # 42 16ths
    bench.jobs()                                        # the journal is written on the worker
    assert bench.journal == [(42, "notes", f"{project.name}:A02", round(3 * 4 * 60 / project.tempo, 3))]
    pattern = project.patterns["A02"]
    per_frame = project.tempo / 60 * TICKS_PER_BEAT / RATE
    got = sorted((tick, track, s.velocity) for track in range(3) for tick, s in onsets(pattern, track))
    assert [(t, v) for _, t, v in got] == [(t, v) for _, t, v in played]
    resolution = STEP_TICKS / SUBSTEPS
    for (tick, _, _), (frame, _, _) in zip(got, played):
        assert abs(tick - (frame - played[0][0]) * per_frame) <= resolution / 2 + 1
    # the engine plays it: the sequencer has the pattern; undo takes it back, tempo and all
    bench.press("LEFT", func=True)
    assert bench.rig.ui.project == before and bench.rig.sequencer.project == before


def test_func_pattern_while_playing_keeps_the_notes_on_the_sequencer_s_ticks(bench):
    bench.press("PLAY")
    bench.wait(0.7)
    ticks = []
    for i in range(6):
        bench.wait(0.23)
        frame = bench.pad(i % 2, 0.05)
        ticks.append(bench.engine.tick_at(frame))
    bench.press("PATTERN", func=True)
    project = bench.rig.ui.project
    assert project.pattern == "A01"                     # what plays goes on playing
    pattern = project.patterns["A02"]
    got = sorted(t for track in range(2) for t, _ in onsets(pattern, track))
    bar = 16 * STEP_TICKS
    first_bar = (ticks[0] + STEP_TICKS // 2) // bar * bar
    want = sorted(t - first_bar for t in ticks)
    assert got == pytest.approx(want, abs=STEP_TICKS / SUBSTEPS / 2 + 1)


def test_func_pattern_with_nothing_played_says_so(bench):
    bench.press("PATTERN", func=True)
    assert "no notes played lately" in bench.notice
    assert not bench.rig.ui.context.history.can_undo


# --- listening back ----------------------------------------------------------------------

def test_the_listen_page_plays_a_capture_back_beside_the_project_and_stops_it(bench):
    bench.pad(2, 0.3)
    bench.press("REC", func=True)
    bench.jobs()
    kept = bench.capture.last
    bench.wait(3.0)                                     # the project's reverb tail dies away
    bench.rig.applier.apply(bench.rig.ui.open_page("LISTEN"))
    bench.jobs()
    log = bench.rig.control.status.capture.log
    assert [c.path for c in log] == [str(kept.log_path)] and log[0].kind == "audio"
    bench.event(Turn(0, 5, bench.now))                  # down to the capture
    bench.event(Key("ENC1", "press", bench.now), Key("ENC1", "release", bench.now))
    bench.jobs()
    start = bench.engine.frame
    bench.wait(kept.seconds / 2)
    assert bench.engine.stats()["voices"] == 0          # no track's voice plays it
    assert bench.rig.control.status.capture.playing == str(kept.log_path)
    heard = bench.out[start:]
    assert np.max(np.abs(heard)) > 0.5 * np.max(np.abs(sf.read(kept.log_path)[0]))
    bench.event(Key("ENC1", "press", bench.now), Key("ENC1", "release", bench.now))   # again: stop
    stop = bench.engine.frame
    bench.wait(0.1)
    assert bench.engine.preview_state()[0] is False
    assert np.max(np.abs(bench.out[stop + 2 * BLOCK:])) <= SILENCE   # faded out (the reverb's tail is far below)
    assert bench.rig.control.status.capture.playing == ""


# --- the whole session -------------------------------------------------------------------

def test_the_whole_session_is_recorded_from_the_ring_as_it_was_heard(tmp_path):
    b = Bench(tmp_path, record_session=True)
    try:
        b.wait(0.5)
        for k in range(6):
            b.pad(k % 4, 0.3)
            b.wait(0.4)                                  # 4.2 s: the worker drains every 2 s
        b.capture.stop()
        b.rig.jobs.close()
        rec = b.capture.recorder
        assert rec.path.is_file() and not rec.stopped and rec.lost == 0
        flac, rate = sf.read(rec.path, dtype="float32")
        # it starts at the ring's end when recording began and runs to the last drain
        out = b.out
        start = _find(out, flac)
        assert start is not None and np.abs(flac - out[start:start + len(flac)]).max() <= FLAC_STEP
        assert len(flac) >= 4 * RATE
        assert b.journal[-1] == (42, "recording", str(rec.path), round(len(flac) / RATE, 3))
    finally:
        b.close()


def _find(out, flac):
    """Where the recording starts in what was rendered (the first frame that matches)."""
    loud = int(np.flatnonzero(np.abs(flac[:, 0]) > 0.01)[0])
    for f in np.flatnonzero(np.abs(out[:, 0] - flac[loud, 0]) <= FLAC_STEP):
        s = f - loud
        if s >= 0 and np.abs(out[s:s + 256] - flac[:256]).max() <= FLAC_STEP:
            return int(s)
    return None


def test_the_session_recording_stops_at_the_disk_guard_and_the_engine_plays_on(tmp_path):
    b = Bench(tmp_path, record_session=True, min_free_mb=10**9)
    try:
        b.wait(4.5)
        rec = b.capture.recorder
        assert not rec.recording and "did not start" in rec.stopped
        assert "did not start" in b.notice or "did not start" in b.rig.control.status.capture.note
        frame = b.pad(0, 0.2)
        assert np.max(np.abs(b.out[frame:])) > 0.05
        assert not list(tmp_path.rglob("*.part"))
    finally:
        b.close()
