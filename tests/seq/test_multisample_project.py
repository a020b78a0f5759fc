"""A project track that plays a multisample set: the set is found (factory, the project's own
imports, the data directory's), loaded with the project's sounds and given to the engine as
that track's program; a set that is not there is one notice, that track silent, the others as
they were. The optional `multisample` field round-trips and old projects are unchanged."""
import numpy as np
import pytest

from reverie.app.commands.render import render_project
from reverie.app.paths import DataDir
from reverie.project.model import Project
from reverie.project.sounds import library_of, load_sounds
from reverie.seq.load import apply_project
from reverie.sound.buses import make_engine
from reverie.sound.multisample import import_multisample
from reverie.sound.multisample.play import FACTORY_SETS, load_set


def project(multisample, second=None):
    steps = [{"notes": [60], "length": 2}, None, None, None, {"notes": [64], "length": 2}, None, None, None]
    tracks = [{"name": "Keys", "instrument": "multisample", "multisample": multisample}]
    if second:
        tracks.append(second)
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "tempo": 120, "tracks": tracks,
        "patterns": {"A01": {"tracks": [{"length": 8, "steps": steps}]}}})


def test_a_track_plays_a_factory_set(tmp_path):
    out = np.concatenate([b.copy() for b in render_project(project("factory:pluck"), tmp_path, 48000, seconds=1.0)])
    assert np.isfinite(out).all() and np.abs(out[:6000]).max() > 0.02


def test_a_missing_set_is_one_notice_and_that_track_alone_is_silent(tmp_path):
    p = project("gone", {"name": "Lead", "instrument": "synth"})
    sounds = load_sounds(p, tmp_path, 48000)
    assert sounds.multisets == {}
    assert sounds.notices == ["T1 plays nothing: multisample 'gone' is not there; import it again (reverie import)"]
    eng = make_engine(48000.0)
    apply_project(eng, p, sounds)
    assert eng.programs[0] is not None and eng.programs[1] is not None      # the synth is there
    eng.render(np.zeros((256, 2), np.float32))
    silent = eng.stats()["silent_trigs"]
    eng.note_on(0, 60, 100)
    out = np.zeros((4800, 2), np.float32)
    eng.render(out)
    assert eng.stats()["silent_trigs"] == silent + 1 and np.abs(out).max() == 0.0
    eng.note_on(1, 60, 100)
    eng.render(out)
    assert np.abs(out).max() > 0.01


def test_a_set_imported_into_the_project_comes_before_the_library(tmp_path):
    source = FACTORY_SETS / "marimba" / "marimba.sfz"
    folder = tmp_path / "song"
    import_multisample(source, folder / "samples" / "multisamples", name="bars")
    data = DataDir(tmp_path / "data")
    import_multisample(FACTORY_SETS / "glass" / "glass.sfz", data.multisamples, name="bars")
    sounds = load_sounds(project("bars"), folder, 48000, factory_dir=data.factory)
    assert list(sounds.multisets) == [0] and sounds.notices == []
    in_project = load_set("bars", folder / "samples").program
    in_library = load_set("bars", None, data.multisamples).program
    assert in_project.nbytes != in_library.nbytes                       # marimba's 6 zones, glass's 4
    assert sounds.multisets[0].tobytes() == in_project.tobytes()
    only_library = load_sounds(project("bars"), tmp_path / "other", 48000, factory_dir=data.factory)
    assert only_library.notices == [] and only_library.multisets[0].tobytes() == in_library.tobytes()


def test_the_library_is_where_the_data_directory_keeps_imported_sets(tmp_path):
    data = DataDir(tmp_path)
    assert library_of(data.factory) == data.multisamples


def test_the_field_round_trips_and_is_left_out_when_unset():
    p = project("factory:glass")
    assert Project.from_dict(p.to_dict()).tracks[0].multisample == "factory:glass"
    plain = Project.from_dict({"format": "reverie-project", "version": 2, "tracks": [{"name": "Drums"}]})
    assert "multisample" not in plain.to_dict()["tracks"][0]


@pytest.mark.parametrize("bad", ["../etc", "a/b", "x" * 80])
def test_a_bad_name_is_one_line(tmp_path, bad):
    from reverie.base.errors import UserError
    try:
        p = project(bad)
    except UserError as e:
        assert "\n" not in str(e)
        return
    sounds = load_sounds(p, tmp_path, 48000)
    assert sounds.multisets == {} and len(sounds.notices) == 1 and "\n" not in sounds.notices[0]
