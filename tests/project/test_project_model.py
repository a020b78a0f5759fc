"""The version 2 project model: round trip, the written form, and one precise line for every
kind of bad project. The migration from version 1 is in test_project_migrate.py."""
import copy
import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from reverie.project.pattern import lock_specs

from reverie.base.errors import UserError
from reverie.project import model
from reverie.project.model import (Pattern, Project, Retrig, Song, SongRow, Step, Track, TrackPattern,
                                   pattern_name, pattern_slot)

DOC = Path(__file__).resolve().parents[2] / "docs" / "project-format.md"


def project_dict(**top):
    kick = [None] * 16
    kick[0] = {"velocity": 120}
    kick[8] = {"velocity": 90, "micro": -6, "prob": 70, "cond": "!1st"}
    bass = {"0": {"notes": [36, 43], "length": 2.5, "locks": {"cutoff_hz": 800, "delay_send": 0.2}},
            "5": {"notes": [38], "trig": False},
            "7": {"retrig": {"rate": 3, "length": 0.5, "vel_ramp": -0.5}, "sample": "bass/alt.wav"}}
    d = {
        "format": "reverie-project", "version": 2, "name": "Test", "tempo": 133.3,
        "mode": "song", "pattern": "B03", "chain": ["A01", "B03", "A01"],
        "song": {"rows": [{"pattern": "A01", "repeats": 2}, {"pattern": "B03", "mutes": [0, 3], "tempo": 140.5}],
                 "loop": True},
        "metronome": True, "count_in_bars": 1,
        "master": {"reverb_size": 0.7, "comp_ratio": 1},
        "tracks": [
            {"name": "Kick", "sample": "factory:kick", "bus": {"volume_db": -3, "mute": 1}},
            {"name": "Bass", "sample": "bass/sub.wav",
             "params": {"cutoff_hz": 800, "loop": "forward", "trig": 1}},
            {"name": "Synth", "kind": "midi", "midi_channel": 10, "midi_port": "Volca Keys"},
        ],
        "patterns": {
            "A01": {"tracks": [{"steps": kick}]},
            "B03": {"name": "Break", "length": 64, "swing": 58, "tracks": [
                {"length": 32, "speed": "2"},
                {"length": 12, "speed": "3/4", "steps": bass},
                {"steps": [None, {"notes": [60, 64, 67, 71], "locks": {"cc74": 100, "cc1": 0}}]}]},
        },
    }
    d.update(top)
    return d


def error(d) -> str:
    with pytest.raises(UserError) as info:
        Project.from_dict(d)
    message = str(info.value)
    assert "\n" not in message
    return message


def edit(d, where, value):
    target = d
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return d


def test_every_field_is_read():
    p = Project.from_dict(project_dict())
    assert (p.mode, p.pattern, p.chain, p.metronome, p.count_in_bars) == ("song", "B03", ["A01", "B03", "A01"], True, 1)
    assert p.song == Song([SongRow("A01", 2), SongRow("B03", 1, (0, 3), 140.5)], loop=True)
    assert p.tracks[2] == Track("Synth", kind="midi", midi_channel=10, midi_port="Volca Keys")
    b03 = p.pattern_at("B03")
    assert (b03.name, b03.length, b03.swing, len(b03.tracks)) == ("Break", 64, 58, 16)
    assert (b03.tracks[1].length, b03.tracks[1].speed, len(b03.tracks[1].steps)) == (12, "3/4", 12)
    assert b03.tracks[1].steps[0] == Step(notes=(36, 43), length=2.5, locks={"cutoff_hz": 800, "delay_send": 0.2})
    assert b03.tracks[1].steps[5] == Step(notes=(38,), trig=False)
    assert b03.tracks[1].steps[7] == Step(retrig=Retrig(3, 0.5, -0.5), sample="bass/alt.wav")
    assert b03.tracks[1].steps[1] is None and b03.tracks[0].steps == [None] * 32
    assert b03.tracks[2].steps[1].locks == {"cc74": 100, "cc1": 0}
    assert p.pattern_at("A01").tracks[0].steps[8] == Step(velocity=90, micro=-6, prob=70, cond="!1st")
    assert b03.tracks[15] == TrackPattern()


def test_round_trip_is_identical():
    p = Project.from_dict(project_dict())
    assert Project.from_dict(p.to_dict()) == p
    assert p.to_dict() == Project.from_dict(p.to_dict()).to_dict()
    assert json.loads(json.dumps(p.to_dict())) == p.to_dict()   # plain JSON
    assert p.tracks[1].params["loop"] == "forward"   # choices keep the form they were written in


def test_the_written_form_leaves_out_defaults_and_empty_tails():
    d = Project.from_dict(project_dict()).to_dict()
    assert d["version"] == 3 and list(d["patterns"]) == ["A01", "B03"]
    a01 = d["patterns"]["A01"]
    assert a01 == {"tracks": [{"steps": [{"velocity": 120}] + [None] * 7 + [
        {"velocity": 90, "micro": -6, "prob": 70, "cond": "!1st"}]}]}   # no trailing nulls
    bass = d["patterns"]["B03"]["tracks"][1]
    assert bass["steps"][:2] == [{"notes": [36, 43], "length": 2.5,
                                  "locks": {"cutoff_hz": 800, "delay_send": 0.2}}, None]   # the list form
    assert bass["steps"][7] == {"retrig": {"rate": 3, "length": 0.5, "vel_ramp": -0.5}, "sample": "bass/alt.wav"}
    assert len(d["patterns"]["B03"]["tracks"]) == 3   # the empty track patterns at the end are left out
    assert Step().to_dict() == {} and Retrig().to_dict() == {} and Pattern().to_dict() == {}
    assert d["song"]["rows"] == [{"pattern": "A01", "repeats": 2}, {"pattern": "B03", "mutes": [0, 3], "tempo": 140.5}]
    assert d["tracks"][0] == {"name": "Kick", "kind": "audio", "instrument": "sampler", "sample": "factory:kick",
                              "params": {}, "bus": {"volume_db": -3, "mute": 1}}


def test_defaults_fill_what_is_missing():
    p = Project.from_dict({"format": "reverie-project", "version": 2, "tracks": [{}]})
    assert p == Project(tracks=[Track("Track 1")])
    assert (p.name, p.tempo, p.mode, p.pattern, p.chain, p.song) == ("Untitled", 120, "pattern", "A01", [], Song())
    assert p.patterns == {} and p.pattern_at("A01") == Pattern.empty()
    assert p.pattern_at("P16") is not p.pattern_at("P16") and p.patterns == {}   # new, not stored
    empty = Pattern.empty()
    assert (empty.name, empty.length, empty.swing, len(empty.tracks)) == ("", 16, 50, 16)
    assert all(t == TrackPattern(16, "1", [None] * 16) for t in empty.tracks)
    assert Step() == Step((60,), 100, 1, 0, 100, None, None, {}, None, True)
    assert Retrig() == Retrig(4, 1, 0)
    assert TrackPattern(length=5).steps == [None] * 5   # exactly `length` steps


def test_empty_patterns_are_neither_written_nor_kept():
    p = Project.from_dict(project_dict(patterns={"C01": {}, "C02": {"tracks": [{}, {"steps": [None]}]}}))
    assert p.patterns == {} and p.to_dict()["patterns"] == {}
    stored = Project(patterns={"D07": Pattern.empty()})
    assert stored.to_dict()["patterns"] == {}
    assert Project.from_dict(stored.to_dict()) == stored == Project()   # an empty pattern is no pattern


def test_steps_as_an_object_or_a_short_list_are_the_same():
    as_list = project_dict()
    as_object = copy.deepcopy(as_list)
    steps = as_list["patterns"]["A01"]["tracks"][0]["steps"]
    as_object["patterns"]["A01"]["tracks"][0]["steps"] = {str(i): s for i, s in enumerate(steps) if s}
    as_list["patterns"]["A01"]["tracks"][0]["steps"] = steps[:9]
    assert Project.from_dict(as_list) == Project.from_dict(as_object) == Project.from_dict(project_dict())


@pytest.mark.parametrize("name, slot", [("A01", 0), ("A16", 15), ("B01", 16), ("C05", 36), ("P16", 255)])
def test_pattern_slots(name, slot):
    assert pattern_slot(name) == slot and pattern_name(slot) == name


def test_every_slot_has_one_name():
    names = [pattern_name(s) for s in range(256)]
    assert len(set(names)) == 256 and [pattern_slot(n) for n in names] == list(range(256))


@pytest.mark.parametrize("bad", ["A00", "A17", "Q01", "a01", "A1", "A001", " A01", "", None, 1])
def test_bad_pattern_names(bad):
    with pytest.raises(UserError, match="is not a pattern name; patterns are A01..P16"):
        pattern_slot(bad)
    assert error(project_dict(pattern=bad)) == f"pattern = {json.dumps(bad)} is not a pattern name; patterns are A01..P16"


@pytest.mark.parametrize("bad", [-1, 256, True, 1.0])
def test_bad_pattern_slots(bad):
    with pytest.raises(UserError, match="is outside 0..255"):
        pattern_name(bad)


A01 = ("patterns", "A01", "tracks", 0, "steps", 8)
B03 = ("patterns", "B03", "tracks", 1, "steps", "7")


@pytest.mark.parametrize("where, value, expected", [
    (("tempo",), 500, "tempo = 500 is outside 20..300 BPM"),
    (("mode",), "loop", 'mode must be one of "pattern", "chain", "song", not "loop"'),
    (("metronome",), 1, "metronome must be true or false, not 1"),
    (("count_in_bars",), 3, "count_in_bars = 3 is outside 0..2 bars"),
    (("chain", 1), "B3", 'chain[1] = "B3" is not a pattern name; patterns are A01..P16'),
    (("chain",), ["A01"] * 65, "chain must be a list of at most 64 pattern names, not a list of 65 items"),
    (("song", "loop"), "yes", 'song.loop must be true or false, not "yes"'),
    (("song", "rows", 1, "repeats"), 100, "song.rows[1].repeats = 100 is outside 1..99"),
    (("song", "rows", 1, "mutes"), [0, 16], "song.rows[1].mutes[1] = 16 is outside 0..15"),
    (("song", "rows", 1, "mutes"), [3, 3], "song.rows[1].mutes names a track twice: [3, 3]"),
    (("song", "rows", 1, "tempo"), 10, "song.rows[1].tempo = 10 is outside 20..300 BPM"),
    (("song", "rows", 0, "pattern"), "Z01", 'song.rows[0].pattern = "Z01" is not a pattern name; patterns are A01..P16'),
    (("song", "rows"), [{}] * 257, "song.rows must be a list of at most 256 rows, not a list of 257 items"),
    (("master", "comp_ratio"), 0, "master.comp_ratio = 0 is outside 1..20 :1"),
    (("tracks", 0, "bus", "pan"), "left", 'tracks[0].bus.pan must be a number from -1 to 1, not "left"'),
    (("tracks", 1, "params", "loop"), "backwards",
     'tracks[1].params.loop must be one of "off", "forward", "pingpong", not "backwards"'),
    (("tracks", 0, "kind"), "cv", 'tracks[0].kind must be one of "audio", "midi", not "cv"'),
    (("tracks", 2, "midi_channel"), 0, "tracks[2].midi_channel = 0 is outside 1..16"),
    (("tracks", 2, "midi_port"), "", 'tracks[2].midi_port must be text in quotes (1 to 128 characters), not ""'),
    (("patterns", "B03", "length"), 1025, "patterns.B03.length = 1025 is outside 1..1024"),
    (("patterns", "B03", "swing"), 49, "patterns.B03.swing = 49 is outside 50..75 %"),
    (("patterns", "B03", "swing"), 55.5, "patterns.B03.swing must be a whole number from 50 to 75 %, not 55.5"),
    (("patterns", "B03", "name"), 7, "patterns.B03.name must be text in quotes (0 to 64 characters), not 7"),
    (("patterns", "B03", "tracks"), [{}] * 17, "patterns.B03.tracks must be a list of at most 16 track patterns, "
                                                       "not a list of 17 items"),
    (("patterns", "B03", "tracks", 1, "length"), 129, "patterns.B03.tracks[1].length = 129 is outside 1..128"),
    (("patterns", "B03", "tracks", 1, "speed"), 2,
     'patterns.B03.tracks[1].speed must be one of "1/8", "1/4", "1/2", "3/4", "1", "3/2", "2", not 2'),
    (A01 + ("micro",), 60, "patterns.A01.tracks[0].steps[8].micro = 60 is outside -48..48"),
    (A01 + ("velocity",), 0, "patterns.A01.tracks[0].steps[8].velocity = 0 is outside 1..127"),
    (A01 + ("prob",), 101, "patterns.A01.tracks[0].steps[8].prob = 101 is outside 0..100 %"),
    (A01 + ("notes",), [60.5], "patterns.A01.tracks[0].steps[8].notes[0] must be a whole number from 0 to 127, "
                               "not 60.5"),
    (A01 + ("notes",), [60, 128], "patterns.A01.tracks[0].steps[8].notes[1] = 128 is outside 0..127"),
    (A01 + ("notes",), [], "patterns.A01.tracks[0].steps[8].notes must be a list of 1 to 4 MIDI notes such as [60], not []"),
    (A01 + ("notes",), [1, 2, 3, 4, 5], "patterns.A01.tracks[0].steps[8].notes must be a list of 1 to 4 MIDI notes"
                                        " such as [60], not [1, 2, 3, 4, 5]"),
    (A01 + ("notes",), 60, "patterns.A01.tracks[0].steps[8].notes must be a list of 1 to 4 MIDI notes such as [60], not 60"),
    (A01 + ("notes",), [60, 64, 60], "patterns.A01.tracks[0].steps[8].notes has a note twice: [60, 64, 60]"),
    (A01 + ("length",), 0, "patterns.A01.tracks[0].steps[8].length = 0 is outside 1/96..128 steps"),
    (A01 + ("length",), 129, "patterns.A01.tracks[0].steps[8].length = 129 is outside 1/96..128 steps"),
    (A01 + ("length",), 0.3,
     "patterns.A01.tracks[0].steps[8].length = 0.3 is not a whole number of 1/96 steps (0.25 is 24/96)"),
    (A01 + ("trig",), 0, "patterns.A01.tracks[0].steps[8].trig must be true or false, not 0"),
    (A01 + ("sample",), "/etc/passwd", "patterns.A01.tracks[0].steps[8].sample must be null, \"factory:<name>\" "
                                       'or a path inside the samples folder such as "kick.wav", not "/etc/passwd"'),
    (A01 + ("locks",), {"cutoff_hz": 10}, "patterns.A01.tracks[0].steps[8].locks.cutoff_hz = 10 is outside 20..20000 Hz"),
    (A01 + ("locks",), {"loop": "twice"},
     'patterns.A01.tracks[0].steps[8].locks.loop must be one of "off", "forward", "pingpong", not "twice"'),
    (A01 + ("locks",), [1], "patterns.A01.tracks[0].steps[8].locks must be an object ({...}), not [1]"),
    (B03 + ("retrig",), {"rate": 7}, "patterns.B03.tracks[1].steps[7].retrig.rate must be one of "
                                     "1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32 per step, not 7"),
    (B03 + ("retrig",), {"length": 17}, "patterns.B03.tracks[1].steps[7].retrig.length = 17 is outside 1/96..16 steps"),
    (B03 + ("retrig",), {"vel_ramp": -1.5}, "patterns.B03.tracks[1].steps[7].retrig.vel_ramp = -1.5 is outside -1..1"),
    (B03 + ("retrig",), True, "patterns.B03.tracks[1].steps[7].retrig must be an object ({...}), not true"),
])
def test_bad_values(where, value, expected):
    assert error(edit(project_dict(), where, value)) == expected


@pytest.mark.parametrize("cond", ["1:1", "1:2", "2:2", "!3:8", "8:8", "fill", "!fill", "1st", "!1st",
                                  "pre", "!pre", "nei", "!nei", None])
def test_trig_conditions(cond):
    p = Project.from_dict(edit(project_dict(), A01 + ("cond",), cond))
    assert p.pattern_at("A01").tracks[0].steps[8].cond == cond


@pytest.mark.parametrize("cond", ["3:2", "0:1", "1:9", "!!1:2", "1:2 ", "FILL", "first", "", 1])
def test_bad_trig_conditions(cond):
    message = error(edit(project_dict(), A01 + ("cond",), cond))
    assert message == (f"patterns.A01.tracks[0].steps[8].cond must be null, \"A:B\" or \"!A:B\" with "
                       f"1 <= A <= B <= 8, or one of fill, !fill, 1st, !1st, pre, !pre, nei, !nei; not {json.dumps(cond)}")


@pytest.mark.parametrize("written, kept", [(1, 1), (0.5, 0.5), (1 / 96, 1 / 96), (0.3333333, 1 / 3),
                                           (2.0, 2), (128, 128), (0.0625, 0.0625)])
def test_lengths_are_whole_ninety_sixths(written, kept):
    p = Project.from_dict(edit(project_dict(), A01 + ("length",), written))
    length = p.pattern_at("A01").tracks[0].steps[8].length
    assert length == kept and type(length) is type(kept)


def test_steps_lock_what_their_track_has():
    d = edit(project_dict(), A01 + ("locks",), {"tune_st": -12, "pan": -1, "reverb_send": 1, "choke": 2.0})
    locks = Project.from_dict(d).pattern_at("A01").tracks[0].steps[8].locks
    assert locks == {"tune_st": -12, "pan": -1, "reverb_send": 1, "choke": 2} and type(locks["choke"]) is int
    message = error(edit(project_dict(), A01 + ("locks",), {"sample": 3}))
    assert message.startswith("unknown key patterns.A01.tracks[0].steps[8].locks.sample; known: tune_st, ")
    assert message.endswith(", volume_db, mute, solo, delay_send, reverb_send")
    midi = ("patterns", "B03", "tracks", 2, "steps", 1)
    assert error(edit(project_dict(), midi + ("locks",), {"cutoff_hz": 500})) == (
        "unknown key patterns.B03.tracks[2].steps[1].locks.cutoff_hz; known: cc0..cc127 (a MIDI track)")
    assert error(edit(project_dict(), midi + ("locks",), {"cc128": 1})) == (
        "unknown key patterns.B03.tracks[2].steps[1].locks.cc128; known: cc0..cc127 (a MIDI track)")
    assert error(edit(project_dict(), midi + ("locks",), {"cc7": 128})) == (
        "patterns.B03.tracks[2].steps[1].locks.cc7 = 128 is outside 0..127")
    assert error(edit(project_dict(), midi + ("sample",), "factory:kick")) == (
        "patterns.B03.tracks[2].steps[1].sample: a MIDI track plays no samples; remove the sample lock")
    # A pattern's track 5 has no project track: it is an audio track with the sampler.
    d = edit(project_dict(), ("patterns", "A01", "tracks"), [{}] * 5 + [{"steps": [{"locks": {"drive": 1}}]}])
    assert Project.from_dict(d).pattern_at("A01").tracks[5].steps[0].locks == {"drive": 1}


def test_a_step_locks_no_more_than_the_engine_holds():
    midi = ("patterns", "B03", "tracks", 2, "steps", 1)
    allowed = {f"cc{k}": 1 for k in range(32)}
    assert len(Project.from_dict(edit(project_dict(), midi + ("locks",), allowed))
               .pattern_at("B03").tracks[2].steps[1].locks) == 32
    assert error(edit(project_dict(), midi + ("locks",), {f"cc{k}": 1 for k in range(128)})) == (
        "patterns.B03.tracks[2].steps[1].locks: a step locks at most 32 parameters (a sample lock "
        "counts as one), not 128")
    # an audio track: all 32 of its sound's and bus's parameters fit, but then not a sample lock
    specs = lock_specs("audio", "sampler")
    d = edit(project_dict(), A01 + ("locks",), {k: s.default for k, s in specs.items()})
    assert len(Project.from_dict(d).pattern_at("A01").tracks[0].steps[8].locks) == len(specs) == 32
    assert error(edit(d, A01 + ("sample",), "factory:kick")).endswith("counts as one), not 33")


@pytest.mark.parametrize("steps, expected", [
    ([None] * 17, "patterns.A01.tracks[0].steps has 17 steps but the track's length is 16"),
    ({"16": {}}, 'patterns.A01.tracks[0].steps: key "16" is not a step number from 0 to 15'),
    ({"01": {}}, 'patterns.A01.tracks[0].steps: key "01" is not a step number from 0 to 15'),
    ({"-1": {}}, 'patterns.A01.tracks[0].steps: key "-1" is not a step number from 0 to 15'),
    ("x", 'patterns.A01.tracks[0].steps must be a list of steps or an object {"index": step}, not "x"'),
    ([7], "patterns.A01.tracks[0].steps[0] must be an object ({...}), not 7"),
])
def test_bad_step_lists(steps, expected):
    assert error(edit(project_dict(), ("patterns", "A01", "tracks", 0, "steps"), steps)) == expected


@pytest.mark.parametrize("where, prefix", [
    ((), ""), (("master",), "master"), (("tracks", 0), "tracks[0]"),
    (("tracks", 0, "bus"), "tracks[0].bus"), (("tracks", 1, "params"), "tracks[1].params"),
    (("song",), "song"), (("song", "rows", 0), "song.rows[0]"),
    (("patterns", "B03"), "patterns.B03"), (("patterns", "B03", "tracks", 1), "patterns.B03.tracks[1]"),
    (("patterns", "A01", "tracks", 0, "steps", 8), "patterns.A01.tracks[0].steps[8]"),
    (("patterns", "B03", "tracks", 1, "steps", "7", "retrig"), "patterns.B03.tracks[1].steps[7].retrig"),
    (("patterns", "B03", "tracks", 1, "steps", "0", "locks"), "patterns.B03.tracks[1].steps[0].locks"),
])
def test_unknown_keys_are_rejected_with_the_known_ones(where, prefix):
    d = project_dict()
    target = d
    for key in where:
        target = target[key]
    target["wobble"] = 1
    assert error(d).startswith(f"unknown key {prefix + '.' if prefix else ''}wobble; known: ")


def test_version_1_keys_are_not_version_2_keys():
    assert error(project_dict(pattern_length=16)).startswith("unknown key pattern_length; known: format, ")
    d = edit(project_dict(), ("tracks", 0, "steps"), [])
    assert error(d).startswith("unknown key tracks[0].steps; known: name, ")
    d = edit(project_dict(), A01 + ("note",), 60)
    assert error(d).startswith("unknown key patterns.A01.tracks[0].steps[8].note; known: notes, ")


def test_bad_pattern_table():
    assert error(project_dict(patterns=[])) == 'patterns must be an object {"A01": pattern, ...}, not []'
    assert error(project_dict(patterns={"A1": {}})) == ('patterns: key "A1" is not a pattern name; '
                                                        "patterns are A01..P16")


def test_params_the_project_sets_itself_are_not_accepted():
    d = project_dict()
    d["tracks"][0]["params"] = {"sample": 3}
    assert error(d).startswith("unknown key tracks[0].params.sample; known: ")
    assert error(project_dict(master={"tempo_bpm": 100})).startswith("unknown key master.tempo_bpm; known: ")


def test_format_and_version():
    assert "not a Reverie project" in error(project_dict(format="reverie-kit"))
    assert error(project_dict(version=4)) == ("project version 4 is not supported; this Reverie "
                                              "reads versions 1, 2, 3; update Reverie to open it")
    assert error(project_dict(version="2")).startswith('project version "2" is not supported')
    assert error(project_dict(version=True)).startswith("project version true is not supported")
    assert error([1, 2]) == "a project must be a JSON object ({...}), not [1, 2]"
    assert model.VERSION == 3


def test_too_many_tracks():
    assert error(project_dict(tracks=[{}] * 17)) == "tracks must be a list of at most 16 tracks, not a list of 17 items"


def test_sample_references():
    for bad in ("/etc/passwd", "../other/kick.wav", "", 7, "a\\b.wav"):
        d = project_dict()
        d["tracks"][0]["sample"] = bad
        assert error(d).startswith("tracks[0].sample must be null, \"factory:<name>\" or a path")
    assert Project.from_dict(project_dict()).sample_refs() == [
        ("tracks[0].sample", "factory:kick"), ("tracks[1].sample", "bass/sub.wav"),
        ("patterns.B03.tracks[1].steps[7].sample", "bass/alt.wav")]


def test_the_input_is_not_changed_and_nothing_is_shared():
    d = project_dict()
    original = copy.deepcopy(d)
    p = Project.from_dict(d)
    assert d == original
    p.patterns["A01"].tracks[0].steps[0] = None
    p.tracks[0].bus["pan"] = 1
    assert d == original and Project.from_dict(d) != p


def test_steps_can_be_hashed_and_compared():
    step = Step(notes=(60, 63), locks={"drive": 0.5})
    assert step == Step(notes=(60, 63), locks={"drive": 0.5}) != Step(notes=(60, 63))
    assert len({step, Step(notes=(60, 63), locks={"drive": 0.5})}) == 1


def test_the_format_page_matches_the_code():
    page = DOC.read_text()
    examples = re.findall(r"```json\n(.*?)```", page, re.S)
    p = Project.from_dict(json.loads(examples[0]))
    assert p.pattern_at("A01").tracks[1].steps[4] == Step(notes=(43,), velocity=90, length=0.5)
    assert Project.from_dict(p.to_dict()) == p
    lock_example = page.split("#### `locks`")[1].split("```json\n")[1].split("```")[0]
    assert Step.from_dict(json.loads(lock_example), "step") == Step(
        notes=(36,), locks={"cutoff_hz": 1400, "filter": "bandpass", "reverb_send": 0.4})
    master = page.split("### `master`")[1].split("###")[0]
    assert re.findall(r"^\| `(\w+)` \|", master, re.M) == list(model.MASTER_KEYS)
    bus = page.split("#### `bus`")[1].split("###")[0]
    assert re.findall(r"^\| `(\w+)` \|", bus, re.M) == list(model.BUS_KEYS)
    for heading, cls, skip in (("### Top level", Project, ()), ("### A track", Track, ()),
                               ("### A song", Song, ()), ("#### A song row", SongRow, ()),
                               ("### A pattern", Pattern, ()), ("#### A track pattern", TrackPattern, ()),
                               ("#### A step", Step, ()), ("#### `retrig`", Retrig, ())):
        table = page.split(heading + "\n")[1].split("\n#")[0]
        documented = re.findall(r"^\| `(\w+)` \|", table, re.M)
        assert [k for k in documented if k not in ("format", "version")] == [f.name for f in fields(cls)], heading


ODD_VALUES = [None, True, False, 0, -1, 0.5, 1e308, 10**400, "", "x", "A01", [], [None], [1, 2], {}, {"a": 1},
              {"0": {}}, float("inf")]


def paths(value, prefix=()):
    yield prefix
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from paths(child, prefix + (key,))


def test_any_odd_value_anywhere_is_a_project_or_one_line():
    """Every place of the example, set to every odd value: a Project that round-trips, or a
    one-line UserError; never another exception."""
    places = [p for p in paths(project_dict()) if p]
    outcomes = set()
    for where in places:
        for value in ODD_VALUES:
            d = edit(project_dict(), where, copy.deepcopy(value))
            try:
                p = Project.from_dict(d)
            except UserError as exc:
                assert "\n" not in str(exc) and len(str(exc)) < 400, str(exc)
                outcomes.add("refused")
            else:
                assert Project.from_dict(p.to_dict()) == p, where
                outcomes.add("loaded")
    assert outcomes == {"refused", "loaded"} and len(places) > 100
