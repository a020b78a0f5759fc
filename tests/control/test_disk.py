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


def test_a_sample_loads_onto_its_track_in_the_engine(rig):
    from reverie.seq.load import apply_project

    apply_project(rig.engine, rig.ui.project, [])         # every track on its own, empty slot

    def loudness():
        rig.engine.note_on(3, 60, 120.0)
        out = np.zeros((4800, 2), np.float32)
        rig.engine.render(out)
        rig.engine.all_notes_off()
        rig.engine.render(np.zeros((4800, 2), np.float32))
        return float(np.abs(out).max())

    assert loudness() < 1e-4
    carry_out(rig, fx.LoadSample(3, "factory:snare"))
    assert "T4: factory:snare" in rig.applier.notice
    assert loudness() > 0.05
