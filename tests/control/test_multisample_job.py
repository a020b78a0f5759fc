"""The ImportMultisample effect carried out by a rig: the import runs on the worker and its
notice comes on the control thread; into the data directory's library or the loaded
project's samples folder; a set that cannot be imported is a one-line notice, and the
shipped demo is never written to."""
import numpy as np
import pytest
import soundfile as sf

from reverie.app.rig import build_rig
from reverie.control.multisample_import import MultisampleImports
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project, save_project
from reverie.sound.buses import make_engine
from reverie.sound.multisample import load_zone_map
from reverie.ui.imports import ImportMultisample

RATE = 48000


@pytest.fixture
def rig(tmp_path):
    r = build_rig(make_engine(RATE), load_project(demo_project_path()), demo_project_path(),
                  rate=RATE, period=128, library=tmp_path / "projects", factory_dir=tmp_path / "factory")
    r.imports = MultisampleImports(r, tmp_path / "data" / "instruments" / "multisamples",
                                   on_imported=lambda result: seen.append(result))
    r.jobs.handlers.update(r.imports.handlers())            # as app/boot.py wires it
    seen = r.seen = []
    yield r
    r.jobs.close()


@pytest.fixture
def bells(tmp_path):
    src = tmp_path / "Bells"
    src.mkdir()
    for name in ("60.wav", "72.wav"):
        sf.write(src / name, np.zeros(480) + 0.1, 44100, subtype="PCM_16")
    (src / "73.wav").write_bytes(b"not audio")
    return src


def carry_out(rig, *effects):
    rig.applier.apply(list(effects))
    rig.jobs.wait(timeout=30)


def test_an_import_lands_in_the_library_with_a_notice(rig, bells, tmp_path):
    carry_out(rig, ImportMultisample(str(bells)))
    folder = tmp_path / "data" / "instruments" / "multisamples" / "Bells"
    assert [z.sample for z in load_zone_map(folder).zones] == ["60.wav", "72.wav"]
    assert rig.applier.notice == "imported Bells: 2 zones; 1 line not used (see reverie import)"
    assert rig.imports.last.folder == folder and rig.seen == [rig.imports.last]


def test_an_import_into_the_project_goes_into_its_samples_folder(rig, bells, tmp_path):
    carry_out(rig, ImportMultisample(str(bells), into_project=True))
    assert rig.applier.notice == "save the project first: the import goes into its samples folder"
    assert rig.seen == []
    mine = tmp_path / "projects" / "mine"
    save_project(rig.ui.project, mine)
    rig.folder = mine
    carry_out(rig, ImportMultisample(str(bells), name="Glass", into_project=True))
    assert load_zone_map(mine / "samples" / "multisamples" / "Glass").name == "Glass"


def test_a_set_that_cannot_be_imported_is_a_one_line_notice(rig, tmp_path):
    carry_out(rig, ImportMultisample(str(tmp_path / "nowhere")))
    assert rig.jobs.notice == f"{tmp_path / 'nowhere'}: no such file or folder"
    assert rig.seen == [] and not (tmp_path / "data").exists()
