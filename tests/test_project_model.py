"""The project model: round trip, and one precise line for every kind of bad project."""
import copy
import json
import re
from pathlib import Path

import pytest

from reverie.errors import UserError
from reverie.project import model
from reverie.project.model import Project, Step


def project_dict(**top):
    steps = [None] * 16
    steps[0] = {"note": 36, "velocity": 120, "length": 1}
    steps[8] = {"note": 43, "velocity": 90, "length": 2.5}
    d = {
        "format": "reverie-project", "version": 1, "name": "Test", "tempo": 133.3,
        "pattern_length": 16, "loops": 2,
        "master": {"reverb_size": 0.7, "comp_ratio": 1},
        "tracks": [
            {"name": "Kick", "sample": "factory:kick", "bus": {"volume_db": -3, "mute": 1}},
            {"name": "Bass", "sample": "bass/sub.wav", "steps": steps,
             "params": {"cutoff_hz": 800, "loop": "forward", "trig": 1}},
            {"name": "Empty", "sample": None},
        ],
    }
    d.update(top)
    return d


def error(d) -> str:
    with pytest.raises(UserError) as info:
        Project.from_dict(d)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_round_trip_is_identical():
    p = Project.from_dict(project_dict())
    assert Project.from_dict(p.to_dict()) == p
    assert p.to_dict() == Project.from_dict(p.to_dict()).to_dict()
    assert p.tracks[1].steps[8] == Step(43, 90, 2.5)
    assert len(p.tracks[0].steps) == 16 and p.tracks[0].steps[0] is None
    assert p.tracks[1].params["loop"] == "forward"   # choices keep the form they were written in


def test_defaults_fill_what_is_missing():
    p = Project.from_dict({"format": "reverie-project", "version": 1, "tracks": [{}]})
    assert (p.name, p.tempo, p.pattern_length, p.loops) == ("Untitled", 120, 16, 1)
    assert p.tracks[0].name == "Track 1" and p.tracks[0].sample is None
    assert p.tracks[0].steps == [None] * 16
    p = Project.from_dict({"format": "reverie-project", "version": 1, "pattern_length": 8.0})
    assert p.pattern_length == 8 and isinstance(p.pattern_length, int)


def test_value_out_of_range_names_the_place():
    d = project_dict()
    d["tracks"][1]["params"]["cutoff_hz"] = 99999
    assert error(d) == "tracks[1].params.cutoff_hz = 99999 is outside 20..20000 Hz"


@pytest.mark.parametrize("where, value, expected", [
    (("tempo",), 500, "tempo = 500 is outside 20..300 BPM"),
    (("pattern_length",), 129, "pattern_length = 129 is outside 1..128 steps"),
    (("master", "comp_ratio"), 0, "master.comp_ratio = 0 is outside 1..20 :1"),
    (("tracks", 0, "bus", "pan"), "left", "tracks[0].bus.pan must be a number from -1 to 1, not 'left'"),
    (("tracks", 1, "params", "loop"), "backwards",
     "tracks[1].params.loop must be one of off, forward, pingpong, not 'backwards'"),
    (("tracks", 1, "steps", 8, "velocity"), 0, "tracks[1].steps[8].velocity = 0 is outside 1..127"),
    (("tracks", 1, "steps", 0, "note"), 60.5, "tracks[1].steps[0].note must be a whole number, not 60.5"),
])
def test_bad_values(where, value, expected):
    d = project_dict()
    target = d
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    assert error(d) == expected


@pytest.mark.parametrize("where, prefix", [
    ((), "project"), (("master",), "master"), (("tracks", 0), "tracks[0]"),
    (("tracks", 0, "bus"), "tracks[0].bus"), (("tracks", 1, "params"), "tracks[1].params"),
    (("tracks", 1, "steps", 0), "tracks[1].steps[0]"),
])
def test_unknown_keys_are_rejected_with_the_known_ones(where, prefix):
    d = project_dict()
    target = d
    for key in where:
        target = target[key]
    target["wobble"] = 1
    message = error(d)
    assert message.startswith(f"{prefix}: unknown key 'wobble'; known keys: ")


def test_params_the_project_sets_itself_are_not_accepted():
    d = project_dict()
    d["tracks"][0]["params"] = {"sample": 3}
    assert "unknown key 'sample'" in error(d)
    d = project_dict(master={"tempo_bpm": 100})
    assert "unknown key 'tempo_bpm'" in error(d)


def test_format_and_version():
    assert "not a Reverie project" in error(project_dict(format="reverie-kit"))
    assert error(project_dict(version=2)) == ("project version 2 is not supported; this Reverie "
                                              "reads version 1; update Reverie to open it")
    assert error(project_dict(version="1")).startswith("project version '1' is not supported")
    assert error([1, 2]) == "a project must be a JSON object ({...}), not a list"


def test_too_many_tracks_and_steps():
    assert error(project_dict(tracks=[{}] * 17)) == "tracks has 17 tracks; a project has at most 16"
    d = project_dict()
    d["tracks"][0]["steps"] = [None] * 17
    assert error(d) == "tracks[0].steps has 17 steps but pattern_length is 16"


def test_sample_references():
    for bad in ("/etc/passwd", "../other/kick.wav", "", 7, "a\\b.wav"):
        d = project_dict()
        d["tracks"][0]["sample"] = bad
        assert error(d).startswith("tracks[0].sample must be null, \"factory:<name>\" or a path")


def test_an_older_version_is_migrated(monkeypatch):
    def v0_to_v1(d):   # a made-up version 0 that called the tempo "bpm"
        d = dict(d)
        d["tempo"] = d.pop("bpm")
        return d

    monkeypatch.setitem(model.MIGRATIONS, 0, v0_to_v1)
    old = project_dict(version=0, bpm=98)
    del old["tempo"]
    original = copy.deepcopy(old)
    p = Project.from_dict(old)
    assert p.tempo == 98 and p.to_dict()["version"] == 1
    assert old == original   # the input is not changed
    assert "reads versions 0, 1" in error(project_dict(version=-1))


def test_the_format_page_matches_the_code():
    page = (Path(__file__).parent.parent / "docs" / "project-format.md").read_text()
    example = re.search(r"```json\n(.*?)```", page, re.S).group(1)
    assert Project.from_dict(json.loads(example)).tracks[1].steps[4] == Step(43, 90, 0.5)
    master = page.split("### `master`")[1].split("### A track")[0]
    assert re.findall(r"^\| `(\w+)` \|", master, re.M) == list(model.MASTER_KEYS)
    bus = page.split("#### `bus`")[1].split("#### `steps`")[0]
    assert re.findall(r"^\| `(\w+)` \|", bus, re.M) == list(model.BUS_KEYS)
