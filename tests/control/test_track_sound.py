"""What the sound page's presets do on a rig: a preset tried on a track sounds exactly as a
project holding that sound loaded from scratch (program, every parameter, the defaults the
sample brings); taking it back sounds as before; SAVE writes the preset into the data
directory and the page lists it; an instrument not installed is one notice."""
from __future__ import annotations

import numpy as np
import pytest

from reverie.app.rig import build_rig
from reverie.base.events import Key, Pad, Turn
from reverie.control.track_sound import attach, missing_notice
from reverie.project.demo import demo_project_path
from reverie.project.model import Project
from reverie.project.sounds import load_sounds
from reverie.project.store import load_project
from reverie.seq.load import SETTLE_SECONDS, apply_project
from reverie.sound.buses import make_engine
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.presets import read_preset
from reverie.ui import effects as fx

RATE = 48000
BASS = 5                      # the demo's looped bass: root note 36, loop points in the file


def loaded(tmp_path, project=None):
    project = project or load_project(demo_project_path())
    sounds = load_sounds(project, demo_project_path(), RATE, factory_dir=tmp_path / "factory")
    engine = make_engine(float(RATE))
    apply_project(engine, project, sounds)
    return engine, project, sounds


@pytest.fixture
def rig(tmp_path):
    engine, project, sounds = loaded(tmp_path)
    r = build_rig(engine, project, demo_project_path(), rate=RATE, period=128,
                  library=tmp_path / "projects", factory_dir=tmp_path / "factory")
    attach(r, tmp_path / "presets", sounds)
    yield r
    r.jobs.close()


def act(rig, *events):
    for ev in events:
        rig.applier.apply(rig.ui.handle(ev))
    rig.jobs.wait(timeout=30)


def press(name):
    return [Key(name, "press"), Key(name, "release")]


def quiet(engine, most_s=30.0):
    """Renders until the tails of earlier notes (the reverb and delay's too) are below -120
    dBFS for a whole second; at most `most_s` seconds."""
    block, still = np.zeros((4800, 2), np.float32), 0
    for _ in range(int(most_s * RATE / 4800)):
        engine.render(block)
        still = still + 1 if np.max(np.abs(block)) < 1e-6 else 0
        if still >= 10:
            return
    raise AssertionError("the engine never went quiet")


def listen(engine, track, note, seconds=0.6):
    """Quiet and settled, then the note held `seconds` on a silent transport: what the box plays."""
    quiet(engine)
    out = np.zeros((int(RATE * SETTLE_SECONDS), 2), np.float32)
    engine.render(out)
    engine.note_on(track, note, 100)
    out = np.zeros((int(RATE * seconds), 2), np.float32)
    for i in range(0, len(out), 128):
        engine.render(out[i:i + 128])
    engine.note_off(track, note)
    return out


def reference(tmp_path, project, track, note):
    engine, _, _ = loaded(tmp_path, Project.from_dict(project.to_dict()))
    return listen(engine, track, note)


@pytest.mark.parametrize("track, instrument_turns, list_turns", [
    (0, 1, 0),                # the kick becomes the synth's first preset (another program)
    (BASS, 0, 1),             # the bass gets Gated Hold: its root note and loop stay the sample's
])
def test_a_tried_preset_sounds_as_that_project_loaded_from_scratch(rig, tmp_path, track, instrument_turns,
                                                                   list_turns):
    act(rig, Key("FUNC", "press"), Pad(track, 100), Pad(track, 0), Key("FUNC", "release"))
    act(rig, *press("SOUND"), *press("LEFT"))
    if instrument_turns:
        act(rig, Turn(0, instrument_turns))
    if list_turns:
        act(rig, Turn(1, list_turns))
    t = rig.ui.project.tracks[track]
    assert t.preset is not None and rig.ui.context.history.labels() == []
    # the audition note is on: let it go, and compare a fresh note with the reference
    act(rig, *press("LEFT"))                          # taken back...
    act(rig, *press("RIGHT"), *press("LEFT"))         # the screen again, on the track's own sound
    if instrument_turns:
        act(rig, Turn(0, instrument_turns))
    if list_turns:
        act(rig, Turn(1, list_turns))
    act(rig, *press("ENC2"))                          # ...and tried again, kept
    kept = rig.ui.project
    note = 60
    got = listen(rig.engine, track, note)
    want = reference(tmp_path, kept, track, note)
    assert np.max(np.abs(want)) > 0.01
    assert np.max(np.abs(got - want)) < 1e-4 * np.max(np.abs(want))


def test_taking_a_preset_back_sounds_as_before(rig, tmp_path):
    before = rig.ui.project
    act(rig, *press("SOUND"), *press("LEFT"), Turn(0, 1), Turn(1, 3), *press("LEFT"))
    assert rig.ui.project is before
    got = listen(rig.engine, 0, 60)
    want = reference(tmp_path, before, 0, 60)
    assert np.max(np.abs(want)) > 0.01
    assert np.max(np.abs(got - want)) < 1e-4 * np.max(np.abs(want))


def test_save_writes_the_preset_and_the_page_lists_it(rig, tmp_path):
    act(rig, *press("SOUND"), Turn(0, 1))             # the sampler's tune: +1 st
    act(rig, *press("LEFT"), Turn(1, 100), *press("ENC2"))
    path = tmp_path / "presets" / "sampler" / "mine-1.toml"
    assert path.is_file()
    preset = read_preset(path, user=True)
    assert (preset.name, preset.params) == ("Mine 1", dict(rig.ui.project.tracks[0].params))
    assert rig.applier.notice == "saved as Mine 1"
    names = [p.name for p in rig.ui.context.presets.of("sampler")]
    assert names[-1] == "Mine 1"
    assert rig.ui.page.browser.save_name(rig.ui.context) == "Mine 2"


def test_an_instrument_not_installed_is_one_notice_at_start_and_on_a_load(tmp_path):
    d = load_project(demo_project_path()).to_dict()
    d["tracks"][2]["instrument"] = "example.chime"
    project = Project.from_dict(d)
    assert missing_notice(project) == "T3 plays silent: example.chime is not installed"
    engine, _, sounds = loaded(tmp_path, project)
    r = build_rig(engine, project, None, rate=RATE, period=128, library=tmp_path / "projects",
                  factory_dir=tmp_path / "factory")
    said = []
    try:
        attach(r, tmp_path / "presets", sounds, notice=said.append)
        assert said == ["T3 plays silent: example.chime is not installed"]
        r.replace_project(project, sounds, None)
        assert said[-1] == "T3 plays silent: example.chime is not installed" and len(said) == 2
        r.replace_project(load_project(demo_project_path()), sounds, None)
        assert len(said) == 2
    finally:
        r.jobs.close()


def test_bad_user_presets_are_a_notice_and_the_rest_load(tmp_path):
    engine, project, sounds = loaded(tmp_path)
    (tmp_path / "presets" / "synth").mkdir(parents=True)
    (tmp_path / "presets" / "synth" / "bad.toml").write_text('name = "Bad"\ninstrument = "synth"\n[params]\nx = 1\n')
    r = build_rig(engine, project, None, rate=RATE, period=128, library=tmp_path / "projects",
                  factory_dir=tmp_path / "factory")
    said = []
    try:
        attach(r, tmp_path / "presets", sounds, notice=said.append)
        assert len(said) == 1 and "bad.toml: unknown key params.x" in said[0]
        assert len(r.ui.context.presets.of("synth")) >= 8
    finally:
        r.jobs.close()


def test_a_sample_not_seen_yet_is_read_once_and_brings_its_root_note_and_loop(tmp_path):
    engine, project, sounds = loaded(tmp_path)
    r = build_rig(engine, project, demo_project_path(), rate=RATE, period=128,
                  library=tmp_path / "projects", factory_dir=tmp_path / "factory")
    try:
        sounds_known = attach(r, tmp_path / "presets", ())      # no sample's defaults known yet
        act(r, Key("FUNC", "press"), Pad(BASS, 100), Pad(BASS, 0), Key("FUNC", "release"))
        act(r, *press("SOUND"), *press("LEFT"), Turn(1, 1), *press("ENC2"))
        assert "factory:bass" in sounds_known.facts                # read on the worker
        assert sounds_known.facts["factory:bass"].root_note == 36
        got = listen(r.engine, BASS, 60)
        want = reference(tmp_path, r.ui.project, BASS, 60)
        assert np.max(np.abs(want)) > 0.01
        assert np.max(np.abs(got - want)) < 1e-4 * np.max(np.abs(want))
    finally:
        r.jobs.close()


def test_a_multisample_preset_plays_its_set_as_that_project_loaded_from_scratch(rig, tmp_path):
    from reverie.control.multisample_sets import MultisampleSets
    rig.jobs.handlers.update(MultisampleSets(rig, tmp_path / "multisamples").handlers())
    act(rig, *press("SOUND"), *press("LEFT"))
    names = list(INSTRUMENTS)
    act(rig, Turn(0, names.index("multisample") - names.index("sampler")))
    act(rig, *press("ENC2"))                          # kept: the set loads on the worker
    t = rig.ui.project.tracks[0]
    assert (t.instrument, t.multisample) == ("multisample", rig.ui.context.presets.of("multisample")[0].multisample)
    assert t.multisample.startswith("factory:")
    got = listen(rig.engine, 0, 60)
    want = reference(tmp_path, rig.ui.project, 0, 60)
    assert np.max(np.abs(want)) > 0.01
    assert np.max(np.abs(got - want)) < 1e-4 * np.max(np.abs(want))
    # the next preset: its set loaded on the worker, or kept from before
    act(rig, Turn(1, 1), *press("ENC2"))
    got = listen(rig.engine, 0, 60)
    want = reference(tmp_path, rig.ui.project, 0, 60)
    assert np.max(np.abs(got - want)) < 1e-4 * np.max(np.abs(want))
