"""Pattern edits: pure, sharing what they do not change, and refusing bad requests with one
line that leaves the project as it was."""
import copy

import pytest

from reverie.base.errors import UserError
from reverie.project import edit
from reverie.project.model import Project, Track
from reverie.project.pattern import Pattern, Retrig, Step, TrackPattern


def project() -> Project:
    p = Project(tracks=[Track("Kick", sample="factory:kick"), Track("Synth", kind="midi")])
    p = edit.set_step(p, "A01", 0, 0, Step(notes=(36,), velocity=120))
    p = edit.set_step(p, "A01", 0, 4, Step(notes=(36,), micro=-10, locks={"cutoff_hz": 900}))
    p = edit.set_step(p, "A01", 2, 3, Step(notes=(60, 64, 67), length=2.5))
    p = edit.set_step(p, "B02", 1, 7, Step(notes=(48,)))
    return p


def one_line_error(fn, *args) -> str:
    with pytest.raises(UserError) as info:
        fn(*args)
    message = str(info.value)
    assert message and "\n" not in message
    return message


def step(p, name, track, index):
    return p.pattern_at(name).tracks[track].steps[index]


def test_an_edit_is_pure_and_shares_what_it_does_not_change():
    p = project()
    before = copy.deepcopy(p)
    q = edit.set_field(p, "A01", 0, 4, "velocity", 77)
    assert p == before and step(p, "A01", 0, 4).velocity == 100      # the old one is untouched
    assert step(q, "A01", 0, 4) == Step(notes=(36,), velocity=77, micro=-10, locks={"cutoff_hz": 900})
    # only the path to the change is new
    assert q is not p and q.patterns is not p.patterns
    assert q.tracks is p.tracks and q.song is p.song and q.chain is p.chain
    assert q.patterns["B02"] is p.patterns["B02"]
    new, old = q.patterns["A01"], p.patterns["A01"]
    assert new is not old and new.tracks[0] is not old.tracks[0]
    assert all(new.tracks[i] is old.tracks[i] for i in range(1, 16))
    assert all(new.tracks[0].steps[i] is old.tracks[0].steps[i] for i in range(16) if i != 4)


def test_an_edit_that_changes_nothing_returns_the_same_project():
    p = project()
    assert edit.set_field(p, "A01", 0, 0, "velocity", 120) is p
    assert edit.clear_step(p, "A01", 0, 1) is p
    assert edit.set_lock(p, "A01", 0, 1, "cutoff_hz", None) is p
    assert edit.clear_pattern(p, "C05") is p
    assert edit.shift_track(p, "A01", 0, 16) is p


@pytest.mark.parametrize("field, value, expected", [
    ("notes", (40, 43), (40, 43)),
    ("notes", [40, 43, 47, 50], (40, 43, 47, 50)),
    ("notes", 41, (41,)),
    ("velocity", 1, 1),
    ("velocity", 127.0, 127),
    ("length", 1 / 96, 1 / 96),
    ("length", 0.3333333, 1 / 3),          # snapped to 32/96
    ("length", 128, 128),
    ("micro", -48, -48),
    ("prob", 0, 0),
    ("cond", "3:4", "3:4"),
    ("cond", "!fill", "!fill"),
    ("cond", None, None),
    ("retrig", Retrig(rate=8, length=0.5, vel_ramp=-0.5), Retrig(rate=8, length=0.5, vel_ramp=-0.5)),
    ("sample", "factory:snare", "factory:snare"),
    ("sample", "loops/amen.wav", "loops/amen.wav"),
    ("trig", False, False),
])
def test_every_field_of_a_step_can_be_set(field, value, expected):
    p = project()
    q = edit.set_field(p, "A01", 0, 0, field, value)
    assert getattr(step(q, "A01", 0, 0), field) == expected
    assert Project.from_dict(q.to_dict()) == q          # what an edit makes always loads


@pytest.mark.parametrize("field, value, says", [
    ("notes", (), "notes"),
    ("notes", (1, 2, 3, 4, 5), "notes"),
    ("notes", (60, 60), "twice"),
    ("notes", (128,), "notes[0] = 128"),
    ("notes", "C4", "notes"),
    ("velocity", 0, "velocity = 0 is outside 1..127"),
    ("velocity", 128, "velocity"),
    ("velocity", 10.5, "whole number"),
    ("length", 0, "length"),
    ("length", 0.3, "1/96"),
    ("length", 129, "length"),
    ("micro", 49, "micro = 49 is outside -48..48"),
    ("prob", 101, "prob"),
    ("cond", "5:4", "cond"),
    ("cond", "sometimes", "cond"),
    ("retrig", Retrig(rate=7), "rate"),
    ("retrig", 4, "retrig"),
    ("sample", "../secret.wav", "sample"),
    ("trig", 1, "trig"),
    ("colour", "red", "no field 'colour'"),
])
def test_a_bad_value_is_one_line_naming_the_place_and_nothing_changes(field, value, says):
    p = project()
    before = copy.deepcopy(p)
    message = one_line_error(edit.set_field, p, "A01", 0, 0, field, value)
    assert says in message
    if field != "colour":
        assert message.startswith("A01 T1 S1 ")
    assert p == before


def test_bad_places_are_refused():
    p = project()
    assert "patterns are A01..P16" in one_line_error(edit.set_field, p, "Q01", 0, 0, "velocity", 90)
    assert "T1..T16" in one_line_error(edit.set_field, p, "A01", 16, 0, "velocity", 90)
    assert "no step 17" in one_line_error(edit.set_field, p, "A01", 0, 16, "velocity", 90)
    assert "no step 0" in one_line_error(edit.clear_step, p, "A01", 0, -1)
    assert "no trig" in one_line_error(edit.set_field, p, "A01", 0, 1, "velocity", 90)


def test_locks_follow_the_track_sound():
    p = project()
    q = edit.set_lock(p, "A01", 0, 0, "cutoff_hz", 1200)
    q = edit.set_lock(q, "A01", 0, 0, "loop", "forward")       # a choice keeps its name
    q = edit.set_lock(q, "A01", 0, 0, "volume_db", -6)         # a bus parameter
    assert step(q, "A01", 0, 0).locks == {"cutoff_hz": 1200, "loop": "forward", "volume_db": -6}
    assert step(edit.set_lock(q, "A01", 0, 0, "loop", None), "A01", 0, 0).locks == {
        "cutoff_hz": 1200, "volume_db": -6}
    assert "outside 20..20000" in one_line_error(edit.set_lock, p, "A01", 0, 0, "cutoff_hz", 5)
    assert one_line_error(edit.set_lock, p, "A01", 0, 0, "wobble", 1).startswith(
        "unknown key A01 T1 S1 locks.wobble; known: tune_st, ")
    # track 2 is a MIDI track: CCs only, and no sample locks
    q = edit.toggle_step(p, "A01", 1, 0)
    assert step(edit.set_lock(q, "A01", 1, 0, "cc74", 64), "A01", 1, 0).locks == {"cc74": 64}
    assert "cc0..cc127" in one_line_error(edit.set_lock, q, "A01", 1, 0, "cutoff_hz", 900)
    assert "MIDI track" in one_line_error(edit.set_field, q, "A01", 1, 0, "sample", "factory:kick")


def test_a_33rd_lock_is_refused_and_the_step_keeps_its_32():
    from reverie.project.pattern import lock_specs

    p = edit.toggle_step(project(), "A01", 1, 0)        # track 2 is a MIDI track: 128 CCs to lock
    for cc in range(32):
        p = edit.set_lock(p, "A01", 1, 0, f"cc{cc}", 64)
    assert len(step(p, "A01", 1, 0).locks) == 32
    assert one_line_error(edit.set_lock, p, "A01", 1, 0, "cc32", 64) == (
        "A01 T2 S1 locks: a step locks at most 32 parameters (a sample lock counts as one), not 33")
    specs = lock_specs("audio", "sampler")              # an audio track: all 32, then no sample lock
    q = project()
    for key, spec in specs.items():
        q = edit.set_lock(q, "A01", 0, 0, key, spec.default)
    assert "not 33" in one_line_error(edit.set_field, q, "A01", 0, 0, "sample", "factory:kick")


def test_a_lock_on_an_empty_step_is_a_trigless_lock():
    p = edit.set_lock(project(), "A01", 0, 2, "cutoff_hz", 400)
    assert step(p, "A01", 0, 2) == Step(trig=False, locks={"cutoff_hz": 400})
    p = edit.set_field(p, "A01", 0, 3, "sample", "factory:snare")
    assert step(p, "A01", 0, 3) == Step(trig=False, sample="factory:snare")


def test_toggle_set_and_clear_steps():
    p = project()
    q = edit.toggle_step(p, "A01", 0, 1)
    assert step(q, "A01", 0, 1) == Step()
    assert step(edit.toggle_step(q, "A01", 0, 1), "A01", 0, 1) is None
    assert step(edit.toggle_step(p, "A01", 0, 1, Step(notes=(38,))), "A01", 0, 1) == Step(notes=(38,))
    assert step(edit.toggle_step(p, "A01", 0, 0), "A01", 0, 0) is None
    q = edit.clear_steps(p, "A01", 0, 0, 100)                    # clipped at the track end
    assert q.pattern_at("A01").tracks[0].steps == [None] * 16
    assert "at least one step" in one_line_error(edit.clear_steps, p, "A01", 0, 0, 0)
    assert "must be a Step" in one_line_error(edit.set_step, p, "A01", 0, 0, {"notes": [1]})


def test_an_emptied_pattern_is_not_stored():
    p = project()
    q = edit.clear_pattern(p, "B02")
    assert "B02" not in q.patterns and q.pattern_at("B02").is_empty()
    q = edit.clear_step(p, "B02", 1, 7)
    assert "B02" not in q.patterns
    assert q == edit.clear_track(p, "B02", 1)


def test_copy_and_paste_a_step_range():
    p = project()
    clip = edit.copy_steps(p, "A01", 0, 0, 8)
    assert clip.kind == "steps" and clip.source == "A01 T1 S1-8" and len(clip.data) == 8
    q = edit.paste_steps(p, "A01", 3, 4, clip)
    assert q.pattern_at("A01").tracks[3].steps[4:12] == list(clip.data)
    assert q.pattern_at("A01").tracks[3].steps[:4] == [None] * 4
    # past the end of a shorter track the rest is left out
    q = edit.set_track_length(p, "A01", 5, 10)
    q = edit.paste_steps(q, "A01", 5, 4, clip)
    assert q.pattern_at("A01").tracks[5].steps == [None] * 4 + list(clip.data[:6])
    # the copy is a value: editing the source afterwards does not change it
    p2 = edit.clear_steps(p, "A01", 0, 0, 16)
    assert edit.paste_steps(p2, "A01", 0, 0, clip) == p


def test_copy_and_paste_a_track_and_a_pattern():
    p = edit.set_track_speed(project(), "A01", 2, "3/4")
    clip = edit.copy_track(p, "A01", 2)
    q = edit.paste_track(p, "C03", 9, clip)
    assert q.pattern_at("C03").tracks[9] == p.pattern_at("A01").tracks[2]
    assert q.pattern_at("C03").tracks[9].speed == "3/4"
    assert q.pattern_at("C03").tracks[9].steps is not p.pattern_at("A01").tracks[2].steps
    clip = edit.copy_pattern(p, "A01")
    q = edit.paste_pattern(p, "P16", clip)
    assert q.pattern_at("P16") == p.pattern_at("A01") and q.patterns["A01"] is p.patterns["A01"]
    assert Project.from_dict(q.to_dict()) == q


@pytest.mark.parametrize("paste, args, kind", [
    (edit.paste_steps, ("A01", 0, 0), "track"),
    (edit.paste_steps, ("A01", 0, 0), "pattern"),
    (edit.paste_track, ("A01", 0), "steps"),
    (edit.paste_pattern, ("A02",), "track"),
])
def test_pasting_the_wrong_kind_is_refused(paste, args, kind):
    p = project()
    clip = {"steps": edit.copy_steps(p, "A01", 0, 0, 4), "track": edit.copy_track(p, "A01", 0),
            "pattern": edit.copy_pattern(p, "A01")}[kind]
    before = copy.deepcopy(p)
    message = one_line_error(paste, p, *args, clip)
    assert message.startswith("the clipboard holds") and "copy " in message
    assert p == before


def test_track_and_pattern_settings():
    p = project()
    q = edit.set_track_length(p, "A01", 0, 4)
    assert q.pattern_at("A01").tracks[0].length == 4
    assert q.pattern_at("A01").tracks[0].steps == p.pattern_at("A01").tracks[0].steps[:4]
    q = edit.set_track_length(q, "A01", 0, 32)
    assert q.pattern_at("A01").tracks[0].steps[4:] == [None] * 28   # shortening dropped them
    assert edit.set_track_speed(p, "A01", 0, "3/2").pattern_at("A01").tracks[0].speed == "3/2"
    assert edit.set_pattern_length(p, "A01", 1024).pattern_at("A01").length == 1024
    assert edit.set_swing(p, "A01", 75).pattern_at("A01").swing == 75
    for fn, value, says in [(edit.set_track_length, 129, "1..128"), (edit.set_track_length, 0, "1..128"),
                            (edit.set_track_speed, "5/4", "speed"), (edit.set_track_speed, 1, "speed")]:
        assert says in one_line_error(fn, p, "A01", 0, value)
    assert "1..1024" in one_line_error(edit.set_pattern_length, p, "A01", 1025)
    assert "50 to 75" in one_line_error(edit.set_swing, p, "A01", 76)
    assert "50 to 75" in one_line_error(edit.set_swing, p, "A01", 60.5)


def test_nudge_moves_micro_timing_within_each_step_and_shift_rotates():
    p = project()
    q = edit.nudge_steps(p, "A01", 0, 0, 16, 20)
    assert step(q, "A01", 0, 0).micro == 20 and step(q, "A01", 0, 4).micro == 10
    q = edit.nudge_steps(q, "A01", 0, 0, 16, 40)
    assert step(q, "A01", 0, 0).micro == 48 and step(q, "A01", 0, 4).micro == 48
    q = edit.nudge_steps(p, "A01", 0, 4, 1, -100)
    assert step(q, "A01", 0, 4).micro == -48 and step(q, "A01", 0, 0).micro == 0
    q = edit.shift_track(p, "A01", 0, 3)
    assert step(q, "A01", 0, 3) == step(p, "A01", 0, 0) and step(q, "A01", 0, 7) == step(p, "A01", 0, 4)
    assert edit.shift_track(q, "A01", 0, -3) == p
    assert edit.shift_track(p, "A01", 0, 15) == edit.shift_track(p, "A01", 0, -1)
    assert "whole number" in one_line_error(edit.nudge_steps, p, "A01", 0, 0, 4, 1.5)


def test_update_pattern_applies_a_pattern_function():
    p = project()

    def halve_length(pattern: Pattern, factor: int) -> Pattern:
        return Pattern(name=pattern.name, length=pattern.length // factor, swing=pattern.swing,
                       tracks=pattern.tracks)

    q = edit.update_pattern(p, "A01", halve_length, 2)
    assert q.pattern_at("A01").length == 8 and p.pattern_at("A01").length == 16
    assert edit.update_pattern(p, "A01", lambda pattern: pattern) is p


def test_where_names_a_place_as_the_user_counts():
    assert edit.where("A01", 2, 4) == "A01 T3 S5"
    assert edit.where("P16", 15) == "P16 T16"
    assert isinstance(edit.copy_track(project(), "A01", 0).data, TrackPattern)
