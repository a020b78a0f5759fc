"""Putting a project into an engine: sounds into slots, every parameter posted."""
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf

from reverie.sound.buses import BUS, MASTER
from reverie.base.errors import UserError
from reverie.sound.instruments import SAMPLER
from reverie.project.sounds import load_sounds
from reverie.seq.backlog import Backlog
from reverie.seq.load import apply_project
from reverie.project.model import Project


class RecordingEngine:
    sample_rate = 48000.0

    def __init__(self, room=10**6):
        self.room = room
        self.samples, self.params, self.bus, self.master = {}, {}, {}, {}

    def _ok(self):
        """Takes the command while the ring has room; only what it takes is recorded."""
        self.room -= 1
        return self.room >= 0

    def set_sample(self, slot, data, loop_start, loop_end, frame):
        ok = self._ok()
        if ok:
            self.samples[slot] = (data, loop_start, loop_end)
        return ok

    def set_param(self, track, pid, value, frame):
        ok = self._ok()
        if ok:
            self.params[track, SAMPLER.by_id[pid].key] = value
        return ok

    def set_bus(self, track, pid, value, frame):
        ok = self._ok()
        if ok:
            self.bus[track, BUS.by_id[pid].key] = value
        return ok

    def set_master(self, pid, value, frame):
        ok = self._ok()
        if ok:
            self.master[MASTER.by_id[pid].key] = value
        return ok


def project(tracks):
    return Project.from_dict({"format": "reverie-project", "version": 1, "tempo": 101.5,
                              "master": {"reverb_size": 0.9}, "tracks": tracks})


def sound(loop=None, root=None):
    return SimpleNamespace(data=np.zeros((100, 2), np.float32), loop_start=loop and loop[0],
                           loop_end=loop and loop[1], root_note=root)


def test_every_parameter_of_every_track_is_posted():
    p = project([{"sample": "a.wav", "params": {"cutoff_hz": 500, "trig": "gated"}, "bus": {"pan": -0.5}}])
    engine = RecordingEngine()
    apply_project(engine, p, [sound()], first_slot=100)
    assert len(engine.params) == 16 * len(SAMPLER.specs) and len(engine.bus) == 16 * len(BUS.specs)
    assert engine.params[0, "cutoff_hz"] == 500 and engine.params[0, "trig"] == 1.0
    assert engine.params[0, "sample"] == 100 and engine.params[15, "sample"] == 115
    assert engine.params[3, "cutoff_hz"] == SAMPLER["cutoff_hz"].default
    assert engine.bus[0, "pan"] == -0.5 and engine.bus[1, "pan"] == 0
    assert engine.master["tempo_bpm"] == 101.5 and engine.master["reverb_size"] == 0.9
    assert engine.master["comp_ratio"] == MASTER["comp_ratio"].default
    assert sorted(engine.samples) == list(range(100, 116))
    assert engine.samples[101][0].shape == (1, 2) and not engine.samples[101][0].any()  # silence


def test_the_sample_gives_root_and_loop_unless_the_project_says_otherwise():
    p = project([{"sample": "a.wav"}, {"sample": "b.wav", "params": {"root_note": 48, "loop": "off"}}])
    engine = RecordingEngine()
    looped = sound(loop=(10, 90), root=36)
    apply_project(engine, p, [looped, looped])
    assert engine.samples[0][1:] == (10, 90)
    assert (engine.params[0, "root_note"], engine.params[0, "loop"]) == (36, 1.0)
    assert (engine.params[1, "root_note"], engine.params[1, "loop"]) == (48, 0.0)
    apply_project(engine, project([{"sample": "c.wav"}]), [sound()])
    assert engine.samples[0][1:] == (-1, -1)
    assert engine.params[0, "root_note"] == 60 and engine.params[0, "loop"] == 0


def test_a_full_ring_refuses_without_raising_and_the_rest_follows_when_there_is_room():
    p = project([{"sample": "a.wav", "bus": {"pan": -0.5}}])
    whole = RecordingEngine()
    posts = 16 * (1 + len(list(SAMPLER)) + len(list(BUS))) + len(list(MASTER))
    assert apply_project(whole, p, [sound()]) == 0 and whole.room == 10**6 - posts
    engine, backlog = RecordingEngine(room=20), Backlog()
    assert apply_project(engine, p, [sound()], backlog=backlog) == posts - 20
    assert len(backlog) == posts - 20 and backlog.refused == posts - 20
    assert backlog.retry() == 0                     # still full: nothing goes, nothing lost
    engine.room = 100
    assert backlog.retry() == 100 and len(backlog) == posts - 120
    engine.room = 10**6
    assert backlog.retry() == posts - 120 and not backlog.waiting
    assert (engine.samples.keys(), engine.params, engine.bus, engine.master) == \
        (whole.samples.keys(), whole.params, whole.bus, whole.master)


def test_load_sounds_reads_each_file_once(tmp_path):
    (tmp_path / "samples").mkdir()
    sf.write(tmp_path / "samples" / "a.wav", np.full((50, 2), 0.25), 48000, subtype="FLOAT")
    p = project([{"sample": "a.wav"}, {"sample": None}, {"sample": "a.wav"}])
    sounds = load_sounds(p, tmp_path, 48000)
    assert sounds[0] is sounds[2] and sounds[1] is None
    assert sounds[0].data.shape == (50, 2) and sounds[0].data[0, 0] == 0.25


def test_load_sounds_builds_the_factory_kit(tmp_path):
    sounds = load_sounds(project([{"sample": "factory:bass"}, {"sample": "factory:kick"}]), tmp_path,
                         48000, factory_dir=tmp_path / "kit")
    assert sounds[0].root_note == 36 and sounds[0].loop_end is not None
    assert sounds[1].frames > 1000


def test_a_bad_sample_file_is_a_user_error(tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "a.wav").write_bytes(b"RIFF nonsense")
    with pytest.raises(UserError, match="a.wav"):
        load_sounds(project([{"sample": "a.wav"}]), tmp_path, 48000)
