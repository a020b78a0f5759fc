"""The UI's disk effects carried out by a rig on the worker: save, load, new project, a
sample onto a track and a sample's waveform overview, each finished on the control thread."""
import numpy as np
import pytest

from reverie.sound.buses import make_engine
from reverie.project import mix_edit
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.app.rig import build_rig
from reverie.ui import effects as fx

RATE = 48000


@pytest.fixture
def rig(tmp_path):
    r = build_rig(make_engine(RATE), load_project(demo_project_path()), demo_project_path(),
                  rate=RATE, period=128, library=tmp_path / "projects", factory_dir=tmp_path / "factory")
    yield r
    r.jobs.close()


def carry_out(rig, *effects):
    rig.applier.apply(list(effects))
    rig.jobs.wait(timeout=30)
    rig.engine.render(np.zeros((128, 2), np.float32))


def test_saving_the_demo_saves_a_copy_in_the_library_that_loads_again(rig, tmp_path):
    rig.ui.context.edit(mix_edit.set_tempo, 97)
    carry_out(rig, fx.SaveProject("Night-bus"))
    saved = tmp_path / "projects" / "Night-bus"
    assert load_project(saved).tempo == 97
    assert rig.disk.saved_as() == "Night-bus"
    assert rig.saved_revision == rig.ui.context.history.revision
    rig.ui.context.edit(mix_edit.set_tempo, 140)
    carry_out(rig, fx.LoadProject("Night-bus"))
    assert rig.ui.project.tempo == 97 and rig.sequencer.project is rig.ui.project
    assert not rig.ui.context.history.can_undo          # a fresh history for the loaded project


def test_a_project_that_is_not_there_is_a_notice_and_changes_nothing(rig):
    before = rig.ui.project
    carry_out(rig, fx.LoadProject("no-such-project"))
    assert rig.ui.project is before
    assert "no project at" in rig.jobs.notice


def test_a_new_project_has_no_name_yet(rig):
    carry_out(rig, fx.SaveProject("Keep"), fx.NewProject())
    assert rig.folder is None and rig.disk.saved_as() == ""
    assert "new project" in rig.applier.notice


def test_an_overview_of_a_factory_sample_arrives_in_the_context(rig):
    carry_out(rig, fx.LoadOverview("factory:kick"))
    ov = rig.ui.context.overviews["factory:kick"]
    assert not ov.error and ov.frames > 0
    assert max(ov.highs) > 0.1 and min(ov.lows) < -0.1       # a kick swings both ways
    carry_out(rig, fx.LoadOverview("factory:nothing"))
    assert "not a factory sound" in rig.ui.context.overviews["factory:nothing"].error


def sample_project(tmp_path):
    """A project whose track 0 plays low.wav (a constant 0.1); high.wav (0.4) lies beside it."""
    import json

    import soundfile as sf

    folder = tmp_path / "levels"
    (folder / "samples").mkdir(parents=True)
    for name, level in (("low.wav", 0.1), ("high.wav", 0.4)):
        sf.write(folder / "samples" / name, np.full((9600, 2), level), RATE, subtype="FLOAT")
    (folder / "project.json").write_text(json.dumps({
        "format": "reverie-project", "version": 1, "name": "Levels",
        "master": {"comp_ratio": 1, "limiter_ceiling_db": 0},
        "tracks": [{"sample": "low.wav", "params": {"attack_ms": 0}}]}))
    return folder


def track0_level(engine) -> float:
    """The level track 0 plays now: its sample's constant, through the track's gains."""
    engine.render(np.zeros((4800, 2), np.float32))
    engine.note_on(0, 60, 127.0)
    out = np.zeros((4800, 2), np.float32)
    engine.render(out)
    engine.all_notes_off()
    engine.render(np.zeros((9600, 2), np.float32))
    return round(float(out[2400, 0]), 4)


def test_a_sample_load_its_undo_and_redo_are_what_the_engine_plays(tmp_path):
    from reverie.project.sounds import load_sounds
    from reverie.seq.load import apply_project

    folder = sample_project(tmp_path)
    project = load_project(folder)
    engine = make_engine(RATE)
    apply_project(engine, project, load_sounds(project, folder, RATE))
    rig = build_rig(engine, project, folder, rate=RATE, period=128, library=tmp_path / "projects",
                    factory_dir=tmp_path / "factory")
    ctx = rig.ui.context

    def level():
        return track0_level(engine)

    try:
        base = level()
        assert base > 0.01
        carry_out(rig, *ctx.edit(mix_edit.set_track_sample, 0, "high.wav"))
        assert "T1: high.wav" in rig.applier.notice
        assert level() == pytest.approx(4 * base, rel=1e-3)
        carry_out(rig, *ctx.undo())                   # the name and the sound go back together
        assert rig.ui.project.tracks[0].sample == "low.wav" and level() == pytest.approx(base, rel=1e-3)
        carry_out(rig, *ctx.redo())
        assert rig.ui.project.tracks[0].sample == "high.wav" and level() == pytest.approx(4 * base, rel=1e-3)
        carry_out(rig, *ctx.edit(mix_edit.set_track_sample, 0, None))
        assert level() == 0.0                         # no sample: silence, not the last sound
    finally:
        rig.jobs.close()


def test_a_sample_that_arrives_after_the_project_moved_on_is_not_put_in(tmp_path):
    from reverie.project.sounds import load_sounds
    from reverie.seq.load import apply_project

    folder = sample_project(tmp_path)
    project = load_project(folder)
    engine = make_engine(RATE)
    apply_project(engine, project, load_sounds(project, folder, RATE))
    rig = build_rig(engine, project, folder, rate=RATE, period=128, library=tmp_path / "projects",
                    factory_dir=tmp_path / "factory")
    try:
        base = track0_level(engine)
        # the decoding of high.wav ends after the project already went back to low.wav
        carry_out(rig, fx.LoadSample(0, "high.wav"))
        assert track0_level(engine) == base and rig.applier.notice == ""
    finally:
        rig.jobs.close()

