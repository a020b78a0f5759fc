"""Project format version 3: each track's `preset`, third-party instruments (a dotted name)
kept verbatim when not installed and played silent, and the migrations v1 -> v2 -> v3 with
real old files (the demo as it shipped in version 2, tests/project/data/demo-v2.json)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from reverie.base.errors import UserError
from reverie.project.demo import demo_project_path
from reverie.project.model import VERSION, Project, Track, installed
from reverie.project.store import dumps, load_project, save_project

DATA = Path(__file__).parent / "data"
V2_DEMO = (DATA / "demo-v2.json").read_text()


def v3(**track):
    return {"format": "reverie-project", "version": 3, "name": "Three",
            "tracks": [{"name": "Chime", "instrument": "example.chime",
                        "params": {"brightness": 0.7, "shape": "glass", "ratio_st": 19}, **track},
                       {"name": "Lead", "instrument": "synth", "preset": "Saw Lead",
                        "params": {"cutoff_hz": 3200}}],
            "patterns": {"A01": {"tracks": [{"steps": [{"locks": {"brightness": 0.2, "volume_db": -6}}]}]}}}


def error(d) -> str:
    with pytest.raises(UserError) as info:
        Project.from_dict(d)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_the_version_is_3_and_a_save_writes_it():
    assert VERSION == 3
    assert Project().to_dict()["version"] == 3


def test_a_preset_name_is_kept_and_only_written_when_set():
    p = Project.from_dict(v3())
    assert p.tracks[1].preset == "Saw Lead" and p.tracks[0].preset is None
    d = p.to_dict()
    assert d["tracks"][1]["preset"] == "Saw Lead" and "preset" not in d["tracks"][0]
    assert error(v3(preset="")) == 'tracks[0].preset must be text in quotes (1 to 64 characters), not ""'


def test_an_instrument_not_installed_keeps_name_params_and_locks_verbatim(tmp_path):
    assert not installed("example.chime") and installed("synth")
    d = v3()
    original = copy.deepcopy(d)
    p = Project.from_dict(d)
    assert d == original
    chime = p.tracks[0]
    assert chime.instrument == "example.chime"
    assert chime.params == {"brightness": 0.7, "shape": "glass", "ratio_st": 19}
    step = p.pattern_at("A01").tracks[0].steps[0]
    assert step.locks == {"brightness": 0.2, "volume_db": -6}
    save_project(p, tmp_path / "p")
    again = load_project(tmp_path / "p")
    assert again == p
    saved = json.loads((tmp_path / "p" / "project.json").read_text())
    assert saved["tracks"][0]["params"] == original["tracks"][0]["params"]
    assert saved["patterns"]["A01"]["tracks"][0]["steps"][0]["locks"] == {"brightness": 0.2, "volume_db": -6}


@pytest.mark.parametrize("instrument, params, says", [
    ("chime", {}, 'tracks[0].instrument must be one of "sampler", "synth"'),
    ("Example.Chime", {}, "or a third-party instrument's dotted name"),
    ("example.", {}, "not \"example.\""),
    ("example.chime", {"x": [1]}, "tracks[0].params.x must be a number or text, not [1]"),
    ("example.chime", {"x": True}, "tracks[0].params.x must be a number or text, not true"),
    ("example.chime", [], "tracks[0].params must be an object"),
])
def test_bad_instrument_names_and_params_are_one_line(instrument, params, says):
    d = v3(instrument=instrument, params=params)
    assert says in error(d)


def test_a_bus_lock_on_a_track_not_installed_is_still_checked():
    d = v3()
    d["patterns"]["A01"]["tracks"][0]["steps"][0]["locks"]["volume_db"] = 99
    assert "volume_db = 99 is outside" in error(d)


def test_a_track_not_installed_plays_silent_while_the_others_play():
    from reverie.seq.load import SETTLE_SECONDS, apply_project
    from reverie.sound.buses import make_engine

    d = v3()
    d["tracks"][1]["params"] = {"cutoff_hz": 5000, "attack_ms": 1, "sustain": 1}
    p = Project.from_dict(d)
    eng = make_engine(48000.0)
    assert apply_project(eng, p, [None, None]) == 0
    out = np.zeros((int(48000 * SETTLE_SECONDS), 2), np.float32)
    eng.render(out)
    heard = []
    for track in (0, 1):
        eng.note_on(track, 60, 100)
        out = np.zeros((9600, 2), np.float32)
        for i in range(0, 9600, 256):
            eng.render(out[i:i + 256])
        eng.note_off(track, 60)
        tail = np.zeros((48000, 2), np.float32)
        for i in range(0, 48000, 256):
            eng.render(tail[i:i + 256])
        heard.append(float(np.max(np.abs(out))))
    assert heard[0] == 0.0 and heard[1] > 0.01


def test_a_version_2_file_loads_unchanged_and_saves_as_version_3(tmp_path):
    old = json.loads(V2_DEMO)
    assert old["version"] == 2
    p = Project.from_dict(old)
    d = p.to_dict()
    assert d["version"] == 3
    assert {k: v for k, v in d.items() if k != "version"} == {k: v for k, v in old.items() if k != "version"}
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "project.json").write_text(V2_DEMO)
    save_project(load_project(tmp_path / "old"), tmp_path / "new")
    assert json.loads((tmp_path / "new" / "project.json").read_text())["version"] == 3
    assert load_project(tmp_path / "new") == p


def test_version_3_fields_in_a_version_2_file_are_one_line():
    old = json.loads(V2_DEMO)
    old["tracks"][0]["instrument"] = "example.chime"
    assert error(old) == 'tracks[0].instrument = "example.chime": a third-party instrument needs a version 3 project'
    old = json.loads(V2_DEMO)
    old["tracks"][0]["preset"] = "Warm Pad"
    assert error(old) == "unknown key tracks[0].preset (a version 3 field) in a version 2 project"


def test_a_version_1_file_goes_through_2_to_3():
    from test_project_migrate import V1_DEMO

    p = Project.from_dict(json.loads(V1_DEMO))
    assert p.to_dict()["version"] == 3 and p.song.rows[0].repeats == 4


def test_the_shipped_demo_is_version_3_and_the_version_2_demo_it_was():
    text = (demo_project_path() / "project.json").read_text()
    shipped = json.loads(text)
    assert shipped["version"] == 3
    assert Project.from_dict(shipped) == Project.from_dict(json.loads(V2_DEMO))
    assert text == dumps(load_project(demo_project_path()).to_dict())


def test_a_newer_version_is_refused_with_a_hint():
    assert error({"format": "reverie-project", "version": 4}) == \
        "project version 4 is not supported; this Reverie reads versions 1, 2, 3; update Reverie to open it"
