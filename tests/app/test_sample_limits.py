"""The configuration's [samples] limits reach every place that loads a sample: the project's
sounds at start, a sample, an overview, a project and a new project loaded from the UI,
`reverie render` and `reverie sample-info`. A 3 s sample is over max_seconds = 2 and, as a
stereo 48 kHz sample (1.1 MB), over max_megabytes = 1; the defaults (600 s, 256 MB) take it."""
import json

import numpy as np
import pytest
import soundfile as sf

from reverie.app.boot import load_project_sounds
from reverie.app.cli import main
from reverie.app.config import config_from_dict
from reverie.app.rig import build_rig
from reverie.base.errors import UserError
from reverie.project.store import load_project
from reverie.sound.buses import make_engine
from reverie.sound.samples import SampleLimits
from reverie.ui import effects as fx

RATE = 48000
TOO_LONG = "is 3.0 s long, over the 2 s limit — trim it, or raise samples.max_seconds"
TOO_BIG = "over the 1 MB limit — trim it, or raise samples.max_megabytes"


@pytest.fixture
def project(tmp_path):
    """A project whose one track plays a 3 s sample."""
    folder = tmp_path / "long"
    (folder / "samples").mkdir(parents=True)
    sf.write(folder / "samples" / "long.wav", np.full((3 * RATE, 2), 0.1), RATE, subtype="PCM_16")
    (folder / "project.json").write_text(json.dumps({
        "format": "reverie-project", "version": 1, "name": "Long", "tempo": 120,
        "tracks": [{"name": "Long", "sample": "long.wav"}]}))
    return folder


def config_file(tmp_path, **samples) -> str:
    path = tmp_path / "config.toml"
    path.write_text("[samples]\n" + "".join(f"{k} = {v}\n" for k, v in samples.items()))
    return str(path)


def test_the_configuration_gives_the_loaders_limits():
    assert config_from_dict({}).samples.limits() == SampleLimits()
    limits = config_from_dict({"samples": {"max_megabytes": 3, "max_seconds": 40}}).samples.limits()
    assert limits == SampleLimits(max_bytes=3 * 2**20, max_seconds=40)


@pytest.mark.parametrize("samples, expected", [({"max_seconds": 2}, TOO_LONG),
                                               ({"max_megabytes": 1}, TOO_BIG)])
def test_the_projects_sounds_at_start_are_held_to_the_configured_limits(project, samples, expected):
    assert load_project_sounds(config_from_dict({}), str(project), RATE)[1][0].frames == 3 * RATE
    with pytest.raises(UserError, match=expected):
        load_project_sounds(config_from_dict({"samples": samples}), str(project), RATE)


def test_what_the_ui_loads_is_held_to_the_rigs_limits(project, tmp_path):
    rig = build_rig(make_engine(RATE), load_project(project), project, rate=RATE, period=128,
                    library=tmp_path / "library", factory_dir=tmp_path / "factory",
                    sample_limits=SampleLimits(max_seconds=2))

    def carry_out(effect):
        rig.jobs.notice = ""
        rig.applier.apply([effect])
        rig.jobs.wait(timeout=30)
        return rig.jobs.notice

    try:
        assert TOO_LONG in carry_out(fx.LoadSample(0, "long.wav"))
        carry_out(fx.LoadOverview("long.wav"))
        assert TOO_LONG in rig.ui.context.overviews["long.wav"].error
        before = rig.ui.project
        assert TOO_LONG in carry_out(fx.LoadProject(str(project)))
        assert rig.ui.project is before
        assert carry_out(fx.LoadOverview("factory:kick")) == ""     # a short sound still loads
        assert not rig.ui.context.overviews["factory:kick"].error
    finally:
        rig.jobs.close()


def test_render_is_held_to_the_limits_of_its_configuration(project, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("reverie.app.config.DEFAULT_PATH", tmp_path / "none.toml")
    out = tmp_path / "out.wav"
    assert main(["render", str(project), "--out", str(out), "--seconds", "0.1"]) == 0
    assert main(["render", str(project), "--out", str(out), "--seconds", "0.1",
                 "--config", config_file(tmp_path, max_seconds=2)]) == 1
    assert TOO_LONG in capsys.readouterr().err


def test_sample_info_notes_a_file_over_the_limits_of_its_configuration(project, tmp_path, capsys,
                                                                      monkeypatch):
    monkeypatch.setattr("reverie.app.config.DEFAULT_PATH", tmp_path / "none.toml")
    wav = str(project / "samples" / "long.wav")
    assert main(["sample-info", wav, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["notes"] == []
    assert main(["sample-info", wav, "--json", "--config", config_file(tmp_path, max_megabytes=1)]) == 0
    notes = json.loads(capsys.readouterr().out)[0]["notes"]
    assert len(notes) == 1 and "the box refuses it unless samples.max_megabytes is raised" in notes[0]
