"""Version 1 projects keep loading: the migration to version 2, its checks named in the
version 1 file's terms, and the shipped demo that was upgraded by hand from version 1."""
import copy
import json

import pytest

from reverie.base.errors import UserError
from reverie.project import model
from reverie.project.demo import demo_project_path
from reverie.project.model import Project, Retrig, Song, SongRow, Step, Track
from reverie.project.store import load_project, save_project


def v1(**top):
    steps = [None] * 16
    steps[0] = {"note": 36, "velocity": 120, "length": 1}
    steps[8] = {"note": 43, "velocity": 90, "length": 2.5}
    d = {"format": "reverie-project", "version": 1, "name": "Old", "tempo": 133.3,
         "pattern_length": 16, "loops": 2, "master": {"reverb_size": 0.7},
         "tracks": [{"name": "Kick", "sample": "factory:kick", "bus": {"volume_db": -3}},
                    {"name": "Bass", "sample": "bass/sub.wav", "steps": steps,
                     "params": {"cutoff_hz": 800, "loop": "forward"}}]}
    d.update(top)
    return d


def error(d) -> str:
    with pytest.raises(UserError) as info:
        Project.from_dict(d)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_a_version_1_project_becomes_pattern_a01_played_as_a_song():
    p = Project.from_dict(v1())
    assert (p.name, p.tempo, p.master, p.mode, p.pattern) == ("Old", 133.3, {"reverb_size": 0.7}, "song", "A01")
    assert p.song == Song([SongRow("A01", repeats=2)], loop=False)
    assert p.tracks == [Track("Kick", sample="factory:kick", bus={"volume_db": -3}),
                        Track("Bass", sample="bass/sub.wav", params={"cutoff_hz": 800, "loop": "forward"})]
    a01 = p.pattern_at("A01")
    assert list(p.patterns) == ["A01"] and (a01.length, a01.swing) == (16, 50)
    assert a01.tracks[1].steps[0] == Step(notes=(36,), velocity=120, length=1)
    assert a01.tracks[1].steps[8] == Step(notes=(43,), velocity=90, length=2.5)
    assert [i for i, s in enumerate(a01.tracks[1].steps) if s] == [0, 8]
    assert a01.tracks[0].steps == [None] * 16


def test_every_track_takes_the_pattern_length():
    p = Project.from_dict(v1(pattern_length=24))
    a01 = p.pattern_at("A01")
    assert a01.length == 24 and [t.length for t in a01.tracks] == [24] * 16
    assert [len(t.steps) for t in a01.tracks] == [24] * 16


def test_a_version_1_project_renders_as_many_passes_as_before():
    for loops, rows in ((1, [1]), (99, [99]), (100, [99, 1]), (250, [99, 99, 52]), (1000, [99] * 10 + [10])):
        p = Project.from_dict(v1(loops=loops))
        assert [r.repeats for r in p.song.rows] == rows and {r.pattern for r in p.song.rows} == {"A01"}
        assert sum(r.repeats for r in p.song.rows) == loops and p.mode == "song"
    p = Project.from_dict({"format": "reverie-project", "version": 1})   # no loops: one pass
    assert p.song.rows == [SongRow("A01", 1)] and p.mode == "song"


def test_lengths_go_to_the_nearest_ninety_sixth():
    d = v1()
    for i, length in enumerate((0.0625, 0.3, 1 / 3, 127.999)):
        d["tracks"][1]["steps"][i + 1] = {"length": length}
    steps = Project.from_dict(d).pattern_at("A01").tracks[1].steps
    assert [steps[i].length for i in (1, 2, 3, 4)] == [6 / 96, 29 / 96, 32 / 96, 128]
    assert steps[1] == Step(notes=(60,), velocity=100, length=0.0625)   # v1's defaults


def test_an_empty_version_1_pattern_stores_no_pattern():
    p = Project.from_dict({"format": "reverie-project", "version": 1, "tracks": [{"sample": "factory:kick"}]})
    assert p.patterns == {} and p.pattern_at("A01").is_empty()


def test_the_input_is_not_changed_and_the_result_round_trips():
    old = v1()
    original = copy.deepcopy(old)
    p = Project.from_dict(old)
    assert old == original
    d = p.to_dict()
    assert d["version"] == model.VERSION and "pattern_length" not in d and "loops" not in d
    assert "steps" not in d["tracks"][1]
    assert Project.from_dict(d) == p


@pytest.mark.parametrize("where, value, expected", [
    (("pattern_length",), 129, "pattern_length = 129 is outside 1..128 steps"),
    (("loops",), 0, "loops = 0 is outside 1..1000"),
    (("loops",), 1.5, "loops must be a whole number from 1 to 1000, not 1.5"),
    (("tempo",), 500, "tempo = 500 is outside 20..300 BPM"),
    (("tracks",), {}, "tracks must be a list of tracks, not an object"),
    (("tracks", 1, "steps"), "x", 'tracks[1].steps must be a list of steps, not "x"'),
    (("tracks", 1, "steps", 8, "velocity"), 0, "tracks[1].steps[8].velocity = 0 is outside 1..127"),
    (("tracks", 1, "steps", 0, "note"), 60.5, "tracks[1].steps[0].note must be a whole number from 0 to 127, not 60.5"),
    (("tracks", 1, "steps", 0, "length"), 0.01, "tracks[1].steps[0].length = 0.01 is outside 0.0625..128 steps"),
    (("tracks", 1, "steps", 3), 5, "tracks[1].steps[3] must be an object ({...}), not 5"),
    (("tracks", 1, "params", "cutoff_hz"), 99999, "tracks[1].params.cutoff_hz = 99999 is outside 20..20000 Hz"),
    (("tracks", 0), [], "tracks[0] must be an object ({...}), not []"),
])
def test_errors_in_a_version_1_file_name_its_own_places(where, value, expected):
    d = v1()
    target = d
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    assert error(d) == expected


@pytest.mark.parametrize("where, place, known", [
    ((), "notes", "format, version, name, tempo, pattern_length, loops, master, tracks"),
    (("tracks", 0), "tracks[0].notes", "name, instrument, sample, params, bus, steps"),
    (("tracks", 1, "steps", 0), "tracks[1].steps[0].notes", "note, velocity, length"),
])
def test_unknown_keys_in_a_version_1_file_list_the_version_1_keys(where, place, known):
    d = v1()
    target = d
    for key in where:
        target = target[key]
    target["notes"] = [60]
    assert error(d) == f"unknown key {place}; known: {known}"


def test_version_1_limits_stay():
    assert error(v1(tracks=[{}] * 17)) == "tracks must be a list of at most 16 tracks, not a list of 17 items"
    d = v1(pattern_length=4)
    d["tracks"][1]["steps"] = [None] * 5
    assert error(d) == "tracks[1].steps has 5 steps but pattern_length is 4"


def test_migrations_chain_from_an_older_version(monkeypatch):
    def v0_to_v1(d):   # a made-up version 0 that called the tempo "bpm"
        d = dict(d)
        d["tempo"] = d.pop("bpm")
        return d

    monkeypatch.setitem(model.MIGRATIONS, 0, v0_to_v1)
    old = v1(version=0, bpm=98)
    del old["tempo"]
    original = copy.deepcopy(old)
    p = Project.from_dict(old)
    assert p.tempo == 98 and p.to_dict()["version"] == model.VERSION and p.song.rows == [SongRow("A01", 2)]
    assert old == original
    assert "reads versions 0, 1, 2, 3" in error(v1(version=-1))


# The demo as it shipped in format version 1 (commit 7b2c4e8), byte for byte.
V1_DEMO = r"""
{
  "format": "reverie-project",
  "version": 1,
  "name": "Demo groove",
  "tempo": 104,
  "pattern_length": 32,
  "loops": 4,
  "master": {
    "volume_db": -2,
    "delay_beats": 0.75,
    "delay_feedback": 0.35,
    "delay_spread": 0.7,
    "reverb_size": 0.6,
    "reverb_damp": 0.55,
    "comp_threshold_db": -10,
    "comp_ratio": 2.5
  },
  "tracks": [
    {
      "name": "Kick",
      "instrument": "sampler",
      "sample": "factory:kick",
      "params": {},
      "bus": {"volume_db": -1},
      "steps": [
        {"note": 60, "velocity": 118, "length": 1},
        null, null, null, null, null, null,
        {"note": 60, "velocity": 92, "length": 1},
        null, null,
        {"note": 60, "velocity": 104, "length": 1},
        null, null, null, null, null,
        {"note": 60, "velocity": 118, "length": 1},
        null, null, null, null, null, null,
        {"note": 60, "velocity": 92, "length": 1},
        null,
        {"note": 60, "velocity": 80, "length": 1},
        {"note": 60, "velocity": 104, "length": 1},
        null, null, null, null, null
      ]
    },
    {
      "name": "Snare",
      "instrument": "sampler",
      "sample": "factory:snare",
      "params": {"decay_ms": 260, "sustain": 0},
      "bus": {"volume_db": -3, "reverb_send": 0.2},
      "steps": [
        null, null, null, null,
        {"note": 60, "velocity": 112, "length": 1},
        null, null, null, null, null, null, null,
        {"note": 60, "velocity": 112, "length": 1},
        null, null, null, null, null, null, null,
        {"note": 60, "velocity": 112, "length": 1},
        null, null, null, null, null, null, null,
        {"note": 60, "velocity": 112, "length": 1},
        null, null,
        {"note": 60, "velocity": 52, "length": 1}
      ]
    },
    {
      "name": "Clap",
      "instrument": "sampler",
      "sample": "factory:clap",
      "params": {},
      "bus": {"volume_db": -6, "pan": -0.15, "delay_send": 0.15, "reverb_send": 0.35},
      "steps": [
        null, null, null, null, null, null, null, null, null, null, null, null,
        {"note": 60, "velocity": 84, "length": 1},
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        {"note": 60, "velocity": 104, "length": 1},
        null, null, null
      ]
    },
    {
      "name": "Closed hat",
      "instrument": "sampler",
      "sample": "factory:closed_hat",
      "params": {"choke": 1},
      "bus": {"volume_db": -11, "pan": 0.25},
      "steps": [
        {"note": 60, "velocity": 104, "length": 1},
        null,
        {"note": 60, "velocity": 72, "length": 1},
        null,
        {"note": 60, "velocity": 104, "length": 1},
        null,
        {"note": 60, "velocity": 72, "length": 1},
        null,
        {"note": 60, "velocity": 104, "length": 1},
        null,
        {"note": 60, "velocity": 72, "length": 1},
        null,
        {"note": 60, "velocity": 104, "length": 1},
        {"note": 60, "velocity": 56, "length": 1},
        null, null,
        {"note": 60, "velocity": 104, "length": 1},
        null,
        {"note": 60, "velocity": 72, "length": 1},
        null,
        {"note": 60, "velocity": 104, "length": 1},
        null,
        {"note": 60, "velocity": 72, "length": 1},
        null,
        {"note": 60, "velocity": 104, "length": 1},
        null,
        {"note": 60, "velocity": 72, "length": 1},
        {"note": 60, "velocity": 50, "length": 1},
        {"note": 60, "velocity": 104, "length": 1},
        {"note": 60, "velocity": 60, "length": 1},
        null, null
      ]
    },
    {
      "name": "Open hat",
      "instrument": "sampler",
      "sample": "factory:open_hat",
      "params": {"choke": 1},
      "bus": {"volume_db": -13, "pan": 0.25, "delay_send": 0.2},
      "steps": [
        null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        {"note": 60, "velocity": 96, "length": 1},
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        {"note": 60, "velocity": 100, "length": 1},
        null
      ]
    },
    {
      "name": "Bass",
      "instrument": "sampler",
      "sample": "factory:bass",
      "params": {
        "trig": "gated",
        "attack_ms": 2,
        "release_ms": 40,
        "cutoff_hz": 600,
        "resonance": 0.3,
        "env_amount_oct": 2.5,
        "fenv_decay_ms": 180,
        "drive": 0.2
      },
      "bus": {"volume_db": -7},
      "steps": [
        {"note": 36, "velocity": 116, "length": 2},
        null, null,
        {"note": 48, "velocity": 96, "length": 1},
        null, null,
        {"note": 36, "velocity": 100, "length": 1},
        {"note": 43, "velocity": 104, "length": 2},
        null, null,
        {"note": 46, "velocity": 96, "length": 1},
        null,
        {"note": 36, "velocity": 110, "length": 2},
        null,
        {"note": 43, "velocity": 96, "length": 1},
        {"note": 40, "velocity": 100, "length": 1},
        {"note": 41, "velocity": 116, "length": 2},
        null, null,
        {"note": 53, "velocity": 96, "length": 1},
        null, null,
        {"note": 41, "velocity": 100, "length": 1},
        {"note": 48, "velocity": 104, "length": 2},
        null, null,
        {"note": 45, "velocity": 96, "length": 1},
        null,
        {"note": 41, "velocity": 110, "length": 2},
        null,
        {"note": 43, "velocity": 96, "length": 1},
        {"note": 35, "velocity": 100, "length": 1}
      ]
    },
    {
      "name": "Pad",
      "instrument": "sampler",
      "sample": "factory:pad",
      "params": {"trig": "gated", "attack_ms": 60, "release_ms": 900, "cutoff_hz": 2400},
      "bus": {"volume_db": -8, "delay_send": 0.25, "reverb_send": 0.5},
      "steps": [
        {"note": 60, "velocity": 100, "length": 7},
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        {"note": 65, "velocity": 100, "length": 7},
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null
      ]
    }
  ]
}
"""


def test_the_version_1_demo_still_loads_from_its_folder(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "project.json").write_text(V1_DEMO)
    old = load_project(tmp_path / "demo")
    assert old.song.rows == [SongRow("A01", 4)] and old.pattern_at("A01").length == 32
    save_project(old, tmp_path / "saved")
    assert json.loads((tmp_path / "saved" / "project.json").read_text())["version"] == model.VERSION
    assert load_project(tmp_path / "saved") == old


def test_the_shipped_demo_is_the_version_1_groove():
    old = Project.from_dict(json.loads(V1_DEMO))
    new = load_project(demo_project_path())
    assert new.to_dict()["version"] == model.VERSION and (new.mode, new.pattern) == ("pattern", "A01")
    for key in ("name", "tempo", "master", "tracks"):
        assert getattr(new, key) == getattr(old, key), key
    before, after = old.pattern_at("A01"), new.pattern_at("A01")
    assert (after.length, after.swing) == (before.length, 50)
    changed = []
    for t, (b, a) in enumerate(zip(before.tracks[:len(old.tracks)], after.tracks)):
        assert (a.length, a.speed) == (b.length, "1")
        for i, (x, y) in enumerate(zip(b.steps, a.steps)):
            assert (x is None) == (y is None)
            if x is not None:
                assert (y.notes, y.velocity, y.length, y.micro, y.trig) == (x.notes, x.velocity, x.length, 0, True)
                if y != x:
                    changed.append((t, i, y))
    names = [t.name for t in new.tracks]
    assert [(names[t], i) for t, i, _ in changed] == [("Snare", 31), ("Closed hat", 13), ("Closed hat", 29)]
    snare_ghost, hat_ghost, hat_roll = (s for _, _, s in changed)
    assert snare_ghost.locks == {"cutoff_hz": 2500} and snare_ghost.velocity < 60   # a darker ghost note
    assert hat_ghost.prob == 75
    assert hat_roll.retrig == Retrig(rate=2, length=1, vel_ramp=-0.4)


def test_the_shipped_demo_is_saved_in_the_canonical_form():
    from reverie.project.store import dumps

    text = (demo_project_path() / "project.json").read_text()
    assert text == dumps(load_project(demo_project_path()).to_dict())


def test_the_format_page_shows_the_migration_as_it_is():
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "project-format.md").read_text()
    section = page.split("### From version 1 to 2")[1]
    old, new = (json.loads(text) for text in re.findall(r"```json\n(.*?)```", section, re.S))
    assert old["version"] == 1 and Project.from_dict(old).to_dict() == new


def test_any_odd_value_in_a_version_1_file_is_a_project_or_one_line():
    from test_project_model import ODD_VALUES, edit, paths

    places = [p for p in paths(v1()) if p and p[0] != "version"]
    outcomes = set()
    for where in places:
        for value in ODD_VALUES:
            try:
                p = Project.from_dict(edit(v1(), where, copy.deepcopy(value)))
            except UserError as exc:
                assert "\n" not in str(exc) and len(str(exc)) < 400, str(exc)
                outcomes.add("refused")
            else:
                assert Project.from_dict(p.to_dict()) == p, where
                outcomes.add("loaded")
    assert outcomes == {"refused", "loaded"} and len(places) > 40
