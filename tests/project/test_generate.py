"""Generators as edits: Euclidean rhythms into a track, a melody in the scale, a fill."""
import pytest
from hypothesis import given, settings, strategies as st

from reverie.base.errors import UserError
from reverie.project import generate, scales
from reverie.project.euclid import bjorklund, euclid, shown
from reverie.project.history import History
from reverie.project.model import Project, Track
from reverie.project.pattern import Step


def project(**tracks) -> Project:
    """A project whose A01 holds the given track patterns (index -> dict)."""
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "name": "g", "tempo": 120,
        "tracks": [{"name": f"T{i}"} for i in range(4)],
        "patterns": {"A01": {"tracks": [tracks.get(f"t{i}", {}) for i in range(4)]}},
    })


def rhythm(p, track=0):
    tp = p.pattern_at("A01").tracks[track]
    return shown(s is not None and s.trig for s in tp.steps)


def test_euclid_writes_the_rhythm_and_keeps_what_was_on_a_pulse():
    p = project(t0={"steps": [{"notes": [48], "velocity": 70}]})
    q = generate.euclid(p, "A01", 0, 3, 8, 0)
    assert rhythm(q) == "x..x..x."
    tp = q.pattern_at("A01").tracks[0]
    assert tp.length == 8
    assert tp.steps[0] == Step(notes=(48,), velocity=70)                 # kept
    assert tp.steps[3].notes == (48,) and tp.steps[3].velocity == 100    # the track's note


def test_euclid_rotation_and_a_longer_track_grow_the_pattern():
    q = generate.euclid(project(), "A01", 1, 5, 24, 2)
    assert rhythm(q, 1) == shown(euclid(5, 24, 2))
    assert q.pattern_at("A01").length == 24


def test_euclid_is_one_undo_step():
    h = History(project())
    h.apply(generate.euclid, "A01", 2, 7, 16, 0)
    assert rhythm(h.project, 2) == "x..x.x.x..x.x.x."
    h.undo()
    assert h.project.pattern_at("A01").tracks[2].steps == [None] * 16


@pytest.mark.parametrize("k, n", [(5, 4), (-1, 8), (3, 0), (3, 200)])
def test_impossible_euclid_is_a_one_line_refusal(k, n):
    with pytest.raises(UserError):
        generate.euclid(project(), "A01", 0, k, n, 0)


TRACK = st.fixed_dictionaries({
    "length": st.integers(1, 64), "hits": st.sets(st.integers(0, 63), max_size=20),
    "note": st.integers(24, 100)})


def with_hits(spec):
    steps = {str(i): {"notes": [spec["note"]]} for i in spec["hits"] if i < spec["length"]}
    return project(t0={"length": spec["length"], "steps": steps})


@settings(max_examples=60, deadline=None)
@given(TRACK, st.sampled_from(scales.SCALES), st.integers(0, 11))
def test_a_melody_is_in_the_scale_on_the_tracks_rhythm_from_and_to_the_root(spec, scale, root):
    p = with_hits(spec)
    q = generate.melody(p, "A01", 0, scale.name, root)
    before, after = p.pattern_at("A01").tracks[0], q.pattern_at("A01").tracks[0]
    hits = [i for i in spec["hits"] if i < spec["length"]]
    if hits:
        assert sorted(i for i, s in enumerate(after.steps) if s is not None) == sorted(hits)
    played = scales.BY_NAME["major"] if scale.name == "off" else scale
    notes = [s.notes[0] for s in after.steps if s is not None]
    assert notes and all(scales.contains(played, root, n) and 0 <= n <= 127 for n in notes)
    assert notes[0] % 12 == root and notes[-1] % 12 == root
    assert after.length == before.length


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([s for s in scales.SCALES if s.size == 7]), st.integers(0, 11), st.integers(0, 10_000))
def test_a_melody_moves_mostly_by_step(scale, root, salt):
    p = project(t0={"length": 64, "steps": {str(i): {"notes": [60 + salt % 7]} for i in range(0, 64, 2)}})
    after = generate.melody(p, "A01", 0, scale.name, root).pattern_at("A01").tracks[0]
    degrees = [scales.degree_of(scale, root, s.notes[0]) for s in after.steps if s is not None]
    moves = [abs(b - a) for a, b in zip(degrees, degrees[1:])]
    # stepwise, mostly: at most a quarter of the moves leap, and the last one home
    assert sum(m >= 2 for m in moves[:-1]) <= 0.25 * len(moves)
    assert all(m <= 4 for m in moves[:-1])                               # no wild jumps
    for a, b in zip(degrees, zip(degrees[1:], degrees[2:-1])):
        if abs(b[0] - a) >= 2:                                           # a leap: then a step back
            assert abs(b[1] - b[0]) == 1 and (b[1] - b[0]) * (b[0] - a) < 0


def test_the_same_press_on_the_same_state_gives_the_same_melody_and_a_new_state_a_new_one():
    p = with_hits({"length": 16, "hits": {0, 3, 4, 7, 8, 11, 12, 14}, "note": 62})
    a = generate.melody(p, "A01", 0, "dorian", 2)
    assert generate.melody(p, "A01", 0, "dorian", 2) == a
    h = History(p)
    h.apply(generate.melody, "A01", 0, "dorian", 2)
    h.undo()
    h.apply(generate.melody, "A01", 0, "dorian", 2)
    assert h.project == a                                                # undo, press: the same
    b = generate.melody(a, "A01", 0, "dorian", 2)
    assert b != a                                                        # pressed again: new


def test_a_melody_on_an_empty_track_gets_a_rhythm_of_its_own():
    q = generate.melody(project(), "A01", 0, "minor pent", 9)
    assert rhythm(q) == shown(bjorklund(6, 16))


def test_a_fill_varies_only_the_last_bar():
    spec = {"length": 32, "steps": {str(i): {"notes": [36]} for i in range(0, 32, 4)}}
    p = project(t0=spec)
    q = generate.fill(p, "A01", 0)
    before, after = p.pattern_at("A01").tracks[0].steps, q.pattern_at("A01").tracks[0].steps
    assert after[:16] == before[:16]                                     # the first bar as it was
    assert after[16:] != before[16:]
    assert after[28].retrig is not None and after[28].retrig.vel_ramp > 0   # a roll on the last hit
    assert generate.fill(p, "A01", 0) == q                               # seeded by the state


def test_a_fill_on_an_empty_track_is_a_short_roll_and_on_a_half_speed_track_a_bar_is_8_steps():
    q = generate.fill(project(), "A01", 0)
    assert rhythm(q) == "............xxxx"
    p = project(t0={"speed": "1/2", "length": 16, "steps": {str(i): {} for i in range(0, 16, 2)}})
    after = generate.fill(p, "A01", 0).pattern_at("A01").tracks[0].steps
    assert after[:8] == p.pattern_at("A01").tracks[0].steps[:8]


def test_generators_refuse_a_track_that_does_not_exist():
    with pytest.raises(UserError):
        generate.melody(project(), "A01", 16, "major", 0)
    with pytest.raises(UserError):
        generate.fill(project(), "A01", -1)
