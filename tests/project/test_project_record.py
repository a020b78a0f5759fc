"""Live recording: where played notes land (speeds, swing, quantize, the loop end), chords,
gate lengths, overdub and replace, erase."""
import copy
import random
from dataclasses import replace

import pytest

from reverie.base.errors import UserError
from reverie.project.pattern import SPEEDS, Pattern, Step, TrackPattern
from reverie.project.record import Recorder, step_ticks

STEP = 14400        # ticks of a 1x step
SUB = STEP // 96    # ticks of 1/96 of a 1x step


def pattern(length=16, swing=50, track_length=16, speed="1", steps=None) -> Pattern:
    tp = TrackPattern(length=track_length, speed=speed, steps=list(steps or []))
    return Pattern(length=length, swing=swing, tracks=[tp] + [TrackPattern() for _ in range(15)])


def steps(p: Pattern, track=0) -> dict[int, Step]:
    return {i: s for i, s in enumerate(p.tracks[track].steps) if s is not None}


def plays(p: Pattern, track=0) -> list[tuple[int, Step]]:
    """Every onset of the track in one pass, in ticks from the pass start, computed the
    way docs/sequencer.md says the sequencer plays it."""
    tp = p.tracks[track]
    st = step_ticks(tp.speed)
    swing = st * (p.swing - 50) // 50
    out, n = [], 0
    while n * st < p.length * STEP:
        s = tp.steps[n % tp.length]
        if s is not None:
            out.append((n * st + swing * (n % 2) + s.micro * st // 96, s))
        n += 1
    return out


def test_step_ticks_at_every_speed():
    assert [step_ticks(s) for s in SPEEDS] == [115200, 57600, 28800, 19200, 14400, 9600, 7200]


@pytest.mark.parametrize("speed", SPEEDS)
def test_quantize_1_puts_notes_on_the_nearest_step(speed):
    st = step_ticks(speed)
    p = pattern(length=64, speed=speed)
    rec = Recorder(quantize=1)
    for index, offset in ((1, 0), (2, st // 3), (4, -st // 3), (5, st // 2 - 1), (7, -st // 2)):
        p = rec.note_on(p, 0, 60 + index, 100, index * st + offset)
        assert steps(p)[index] == Step(notes=(60 + index,), velocity=100, micro=0)


@pytest.mark.parametrize("speed", ["1/2", "3/4", "1", "3/2", "2"])
def test_quantize_0_keeps_the_timing_and_plays_back_where_played(speed):
    st = step_ticks(speed)
    rec = Recorder(quantize=0)
    for micro in (-48, -30, -1, 0, 1, 17, 47):
        p = rec.note_on(pattern(length=16, speed=speed), 0, 60, 100, 3 * st + micro * st // 96)
        assert steps(p) == {3: Step(notes=(60,), micro=micro)}
        assert plays(p)[0] == (3 * st + micro * st // 96, steps(p)[3])


def test_quantize_between_moves_the_note_part_of_the_way():
    p = pattern()
    for q, micro in ((0, 40), (0.25, 30), (0.5, 20), (0.75, 10), (1, 0)):
        assert Recorder(quantize=q).place(p, 0, 5 * STEP + 40 * SUB) == (5, micro)
        assert Recorder(quantize=q).place(p, 0, 5 * STEP - 40 * SUB) == (5, -micro)
    assert Recorder(quantize=0.5).place(p, 0, 5 * STEP + 3 * SUB) == (5, 2)    # 1.5 rounds up


@pytest.mark.parametrize("swing", [50, 54, 63, 75])
@pytest.mark.parametrize("speed", ["1/4", "1", "2"])
def test_with_swing_a_note_at_quantize_0_plays_back_where_it_was_played(swing, speed):
    """Random positions: the recorded note's onset is within half a micro step of where it
    was played, whenever that is within reach of a step (-48..48)."""
    rng = random.Random(swing * 10 + len(speed))
    st = step_ticks(speed)
    delay = st * (swing - 50) // 50
    rec = Recorder(quantize=0)
    checked = 0
    for _ in range(200):
        base = pattern(length=32, swing=swing, speed=speed)
        pos = rng.randrange(32 * STEP)
        p = rec.note_on(base, 0, 60, 100, pos)
        rec.note_off(p, 0, 60, pos)
        period = 32 * STEP
        nearest = min(abs((pos - (n * st + delay * (n % 2)) + period // 2) % period - period // 2)
                      for n in range(-(-period // st)))
        if nearest <= st // 2:
            assert min(abs((t - pos + period // 2) % period - period // 2) for t, _ in plays(p)) <= st // 192
            checked += 1
    assert checked > 100              # most positions are within reach of a step


def test_swing_decides_which_step_a_note_belongs_to():
    p = pattern(swing=75)             # odd steps half a step late
    rec = Recorder(quantize=0)
    assert rec.place(p, 0, STEP + STEP // 2) == (1, 0)          # right on the swung step 2
    assert rec.place(p, 0, STEP) == (1, -48)                     # straight time: early for step 2
    assert rec.place(p, 0, STEP * 3 // 4) == (1, -48)          # halfway: the later step, clamped
    assert rec.place(p, 0, STEP * 3 // 4 - 1) == (0, 48)
    assert rec.place(p, 0, 2 * STEP - 10 * SUB) == (2, -10)     # even steps are not swung
    assert Recorder(quantize=1).place(p, 0, STEP + STEP // 2 + 5 * SUB) == (1, 0)
    p = rec.note_on(p, 0, 60, 100, STEP + STEP // 2 + 5 * SUB)
    assert plays(p)[0][0] == STEP + STEP // 2 + 5 * SUB


def test_a_note_just_before_the_loop_end_lands_on_step_0_early():
    rec = Recorder(quantize=0)
    p = pattern()                                          # one 16-step loop per pass
    assert rec.place(p, 0, 16 * STEP - 10 * SUB) == (0, -10)
    assert rec.place(p, 0, -10 * SUB) == (0, -10)          # the same place, counted back
    assert Recorder(quantize=1).place(p, 0, 16 * STEP - 10 * SUB) == (0, 0)
    assert rec.place(p, 0, 15 * STEP + 40 * SUB) == (15, 40)
    # a 3-step track loops within the pass: before its restart it is step 0 of the next loop
    p = pattern(track_length=3)
    assert rec.place(p, 0, 3 * STEP - 5 * SUB) == (0, -5)
    assert rec.place(p, 0, 6 * STEP - 5 * SUB) == (0, -5)
    p = rec.note_on(p, 0, 60, 100, 6 * STEP - 5 * SUB)
    assert 6 * STEP - 5 * SUB in [t for t, _ in plays(p)]
    # a 3/4x track's last loop is cut by the pass end: the pass restart is step 0 too
    p = pattern(track_length=16, speed="3/4")              # 12 of its steps fit in 16 1x steps
    assert rec.place(p, 0, 16 * STEP - 500) == (0, -round(500 * 96 / 19200))
    assert rec.place(p, 0, 11 * 19200 + 600) == (11, 3)


def test_chords_while_held():
    rec = Recorder(quantize=1)
    p = pattern()
    p = rec.note_on(p, 0, 60, 100, 4 * STEP)
    p = rec.note_on(p, 0, 64, 80, 4 * STEP + 200)
    p = rec.note_on(p, 0, 67, 90, 4 * STEP + 400)
    p = rec.note_on(p, 0, 71, 90, 4 * STEP + 600)
    p = rec.note_on(p, 0, 74, 90, 4 * STEP + 800)          # a fifth note does not fit
    assert steps(p)[4].notes == (60, 64, 67, 71) and steps(p)[4].velocity == 100
    for note in (60, 64, 67, 71, 74):
        p = rec.note_off(p, 0, note, 5 * STEP)
    # released: the next note on that step is a new trig
    p = rec.note_on(p, 0, 62, 70, 4 * STEP + 100)
    assert steps(p)[4] == Step(notes=(62,), velocity=70)
    # a held note on another track or another step makes no chord
    p = rec.note_on(p, 1, 48, 100, 4 * STEP)
    p = rec.note_on(p, 0, 65, 100, 5 * STEP)
    assert steps(p)[4].notes == (62,) and steps(p)[5].notes == (65,) and steps(p, 1)[4].notes == (48,)


def test_note_lengths_from_the_held_time():
    rec = Recorder(quantize=1)
    p = rec.note_on(pattern(), 0, 60, 100, 2 * STEP + 700)
    p = rec.note_off(p, 0, 60, 2 * STEP + 700 + STEP * 3 // 2)
    assert steps(p)[2].length == 1.5
    p = rec.note_on(p, 0, 61, 100, 4 * STEP)
    p = rec.note_off(p, 0, 61, 4 * STEP + 10)                    # a tap: the shortest gate
    assert steps(p)[4].length == 1 / 96
    p = rec.note_on(p, 0, 62, 100, 14 * STEP)
    p = rec.note_off(p, 0, 62, 2 * STEP)                         # held across the pass end
    assert steps(p)[14].length == 4
    # at 2x a step is half as long, so the same time is twice the steps
    p = rec.note_on(pattern(speed="2"), 0, 60, 100, 0)
    p = rec.note_off(p, 0, 60, 3 * STEP)
    assert steps(p)[0].length == 6
    # the longest gate is 128 steps
    p = rec.note_on(pattern(length=1024, speed="2", track_length=128), 0, 60, 100, 0)
    assert steps(rec.note_off(p, 0, 60, 1000 * STEP))[0].length == 128
    # a chord's gate is its longest note
    p = rec.note_on(pattern(), 0, 60, 100, 0)
    p = rec.note_on(p, 0, 64, 100, 100)
    p = rec.note_off(p, 0, 64, 3 * STEP)
    p = rec.note_off(p, 0, 60, STEP)
    assert steps(p)[0].length == round((3 * STEP - 100) * 96 / STEP) / 96
    # a note off for a note not held, or a step cleared meanwhile, changes nothing
    assert rec.note_off(p, 0, 99, 0) is p
    p = rec.note_on(p, 0, 70, 100, 8 * STEP)
    cleared = replace(p, tracks=[replace(p.tracks[0], steps=[None] * 16)] + p.tracks[1:])
    assert rec.note_off(cleared, 0, 70, 9 * STEP) is cleared


def test_velocity_0_is_a_note_off():
    rec = Recorder()
    p = rec.note_on(pattern(), 0, 60, 100, 0)
    p = rec.note_on(p, 0, 60, 0, STEP // 2)
    assert steps(p)[0].length == 0.5


def test_recording_is_pure():
    rec = Recorder(quantize=0, overdub=False)
    p = pattern(steps=[Step(notes=(36,))] * 16)
    before = copy.deepcopy(p)
    q = rec.note_on(p, 0, 60, 100, 3 * STEP)
    q = rec.note_off(q, 0, 60, 4 * STEP)
    q = rec.pass_over(q, 0, 0, 8 * STEP)
    q = rec.erase(q, 0, 8 * STEP, 12 * STEP)
    assert p == before and q != p
    assert q.tracks[1] is p.tracks[1]


def test_overdub_keeps_what_the_playhead_passes():
    rec = Recorder(quantize=1, overdub=True)
    p = pattern(steps=[Step(notes=(36,))] * 16)
    assert rec.pass_over(p, 0, 0, 16 * STEP) is p
    p = rec.note_on(p, 0, 40, 100, 3 * STEP)
    assert len(steps(p)) == 16 and steps(p)[3].notes == (40,)


def test_replace_clears_what_the_playhead_passes_but_not_what_was_just_played():
    rec = Recorder(quantize=1, overdub=False)
    p = pattern(steps=[Step(notes=(36,))] * 16)
    head = 0
    for tick in range(0, 15 * STEP, 200):        # the control loop follows the playhead
        p = rec.pass_over(p, 0, head, tick)
        head = tick
        if tick == 4 * STEP - 3000:               # a little early for step 4
            p = rec.note_on(p, 0, 50, 100, tick)
        if tick == 8 * STEP + 3000:               # late for step 8, the playhead reported
            p = rec.note_on(p, 0, 51, 100, tick)
        if tick == 12 * STEP - 200:               # late for step 12, the playhead not reported yet
            p = rec.note_on(p, 0, 52, 100, 12 * STEP + 500)
    assert {i: s.notes for i, s in steps(p).items()} == {4: (50,), 8: (51,), 12: (52,), 15: (36,)}
    p = rec.pass_over(p, 0, head, 16 * STEP)
    assert {i: s.notes for i, s in steps(p).items()} == {4: (50,), 8: (51,), 12: (52,)}
    # the next pass clears them in turn, unless played again
    p = rec.pass_over(p, 0, 0, 10 * STEP)
    assert {i: s.notes for i, s in steps(p).items()} == {12: (52,)}


def test_replace_on_a_short_track_clears_on_every_loop():
    rec = Recorder(quantize=1, overdub=False)
    p = pattern(track_length=4, steps=[Step(notes=(36,))] * 4)
    p = rec.pass_over(p, 0, 0, 4 * STEP)
    p = rec.note_on(p, 0, 60, 100, 5 * STEP)     # step 1, second loop
    p = rec.pass_over(p, 0, 4 * STEP, 8 * STEP)
    assert {i: s.notes for i, s in steps(p).items()} == {1: (60,)}
    p = rec.pass_over(p, 0, 8 * STEP, 12 * STEP)
    assert steps(p) == {}


def test_erase_clears_the_steps_whose_onsets_fall_in_the_span():
    rec = Recorder()
    full = [Step(notes=(36,))] * 16
    full[5] = Step(notes=(36,), micro=-40)        # plays in the span before its step
    full[9] = Step(notes=(36,), micro=40)         # plays after the span that starts its step
    full[0] = Step(notes=(36,), micro=-10)        # plays at the end of the pass before
    p = pattern(steps=full)
    q = rec.erase(p, 0, 2 * STEP, 5 * STEP)
    assert sorted(set(range(16)) - set(steps(q))) == [2, 3, 4, 5]
    q = rec.erase(p, 0, 9 * STEP, 9 * STEP + 40 * SUB)
    assert steps(q) == steps(p)
    q = rec.erase(p, 0, 9 * STEP, 9 * STEP + 40 * SUB + 1)
    assert 9 not in steps(q) and len(steps(q)) == 15
    q = rec.erase(p, 0, 15 * STEP + 1, 16 * STEP)     # the end of the pass
    assert sorted(set(range(16)) - set(steps(q))) == [0]
    q = rec.erase(p, 0, 14 * STEP, STEP)              # across the pass end
    assert sorted(set(range(16)) - set(steps(q))) == [0, 14, 15]
    assert rec.erase(p, 0, 3 * STEP, 3 * STEP) is p
    assert steps(rec.erase(p, 0, 3 * STEP, 3 * STEP + 16 * STEP)) == {}
    # with swing, an odd step is erased where it plays
    p = pattern(swing=75, steps=[Step(notes=(36,))] * 16)
    q = rec.erase(p, 0, STEP, STEP + STEP // 2)
    assert 1 in steps(q)
    q = rec.erase(p, 0, STEP, STEP + STEP // 2 + 1)
    assert 1 not in steps(q)


def test_bad_input_is_one_line():
    for bad, says in ((lambda: Recorder(quantize=1.5), "quantize"),
                      (lambda: Recorder().note_on(pattern(), 16, 60, 100, 0), "track"),
                      (lambda: Recorder().note_on(pattern(), 0, 128, 100, 0), "note"),
                      (lambda: Recorder().note_on(pattern(), 0, 60, 128, 0), "velocity"),
                      (lambda: Recorder().note_on(pattern(), 0, 60, 100, 1.5), "ticks")):
        with pytest.raises(UserError, match=says) as info:
            bad()
        assert "\n" not in str(info.value)
