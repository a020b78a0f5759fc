"""Trig conditions and probability over several loops."""
import pytest

from seqkit import START, STEP, PatternBuffer, ideal_frame, midi_engine, note_ons, play, run

LOOPS = 12


def loops_played(eng, pb, loops=LOOPS, step=0, channel=0, length=4, bpm=120):
    """The loop numbers (0-based) in which `step` of a `length`-step pattern played."""
    play(eng, pb, bpm)
    events = run(eng, ideal_frame(loops * length * STEP, bpm) - 1)
    starts = {ideal_frame((n * length + step) * STEP, bpm): n for n in range(loops)}
    got = [f for f, c, *_ in note_ons(events, channel)]
    assert all(f in starts for f in got)
    return [starts[f] for f in got]


@pytest.mark.parametrize("a,b", [(1, 2), (2, 2), (1, 3), (3, 4), (2, 7), (8, 8)])
def test_a_b_and_not_a_b(a, b):
    pb = PatternBuffer(4)
    pb.track(0, 4).step(0, 0, cond=f"{a}:{b}")
    pb.track(1, 4).step(1, 0, cond=f"!{a}:{b}")
    assert loops_played(midi_engine(), pb, channel=0) == [n for n in range(LOOPS) if n % b == a - 1]
    assert loops_played(midi_engine(), pb, channel=1) == [n for n in range(LOOPS) if n % b != a - 1]


def test_loops_count_per_track_in_a_polymeter():
    # a 3-step track in a 12-step pattern loops 4 times per pass; 1:2 plays on loops 1, 3, ...
    pb = PatternBuffer(12)
    pb.track(0, 3).step(0, 0, cond="1:2")
    eng = midi_engine()
    play(eng, pb)
    got = [f for f, *_ in note_ons(run(eng, ideal_frame(24 * STEP, 120) - 1))]
    assert got == [ideal_frame(n * 3 * STEP, 120) for n in (0, 2, 4, 6)]


def test_first_and_not_first():
    pb = PatternBuffer(4)
    pb.track(0, 4).step(0, 1, cond="1st")
    pb.track(1, 4).step(1, 1, cond="!1st")
    assert loops_played(midi_engine(), pb, step=1, channel=0) == [0]
    assert loops_played(midi_engine(), pb, step=1, channel=1) == list(range(1, LOOPS))


def test_fill_and_not_fill_follow_the_fill_flag():
    pb = PatternBuffer(4)
    pb.step(0, 0, cond="fill").step(1, 0, cond="!fill")
    eng = midi_engine()
    play(eng, pb)
    # fill held during loops 2 and 3
    eng.seq_fill(True, frame=ideal_frame(2 * 4 * STEP - STEP, 120))
    eng.seq_fill(False, frame=ideal_frame(4 * 4 * STEP - STEP, 120))
    events = run(eng, ideal_frame(6 * 4 * STEP, 120) - 1)
    loop = {ideal_frame(n * 4 * STEP, 120): n for n in range(6)}
    assert [loop[f] for f, *_ in note_ons(events, 0)] == [2, 3]
    assert [loop[f] for f, *_ in note_ons(events, 1)] == [0, 1, 4, 5]


def test_pre_follows_the_last_condition_on_the_track():
    pb = PatternBuffer(4)
    pb.step(0, 0, cond="1:2")             # loops 0, 2, 4, ...
    pb.step(0, 2, cond="pre", notes=(61,))
    pb.step(1, 0, cond="1:2")
    pb.step(1, 2, cond="!pre", notes=(61,))
    eng = midi_engine()
    play(eng, pb)
    events = run(eng, ideal_frame(LOOPS * 4 * STEP, 120) - 1)
    loop = {ideal_frame((n * 4 + 2) * STEP, 120): n for n in range(LOOPS)}
    pre = [loop[f] for f, c, note, v in note_ons(events, 0) if note == 61]
    not_pre = [loop[f] for f, c, note, v in note_ons(events, 1) if note == 61]
    assert pre == [n for n in range(LOOPS) if n % 2 == 0]
    assert not_pre == [n for n in range(LOOPS) if n % 2 == 1]


def test_nei_follows_the_track_before():
    pb = PatternBuffer(4)
    pb.step(2, 0, cond="2:3")
    pb.step(3, 0, cond="nei", notes=(70,))
    pb.step(4, 0, cond="!nei", notes=(70,))   # its neighbour is track 3, whose nei doesn't count
    eng = midi_engine()
    play(eng, pb)
    events = run(eng, ideal_frame(LOOPS * 4 * STEP, 120) - 1)
    loop = {ideal_frame(n * 4 * STEP, 120): n for n in range(LOOPS)}
    assert [loop[f] for f, *_ in note_ons(events, 2)] == [n for n in range(LOOPS) if n % 3 == 1]
    assert [loop[f] for f, *_ in note_ons(events, 3)] == [n for n in range(LOOPS) if n % 3 == 1]
    assert [loop[f] for f, *_ in note_ons(events, 4)] == list(range(LOOPS))


def test_probability_is_seeded_and_proportional():
    def played(seed, prob):
        eng = midi_engine()
        eng.seq_seed(seed)
        pb = PatternBuffer(1)
        pb.track(0, 1).step(0, 0, prob=prob)
        play(eng, pb, 300)
        return [f for f, *_ in note_ons(run(eng, ideal_frame(400 * STEP, 300) - 1))]
    a, b, c = played(7, 25), played(7, 25), played(8, 25)
    assert a == b                       # the same seed plays the same trigs
    assert a != c
    assert 70 <= len(a) <= 130          # 25 % of 400 steps, within 3 sigma (sigma = 8.7)
    assert len(played(7, 0)) == 0 and len(played(7, 100)) == 400


def test_probability_counts_for_pre():
    pb = PatternBuffer(2)
    pb.track(0, 2).step(0, 0, prob=50).step(0, 1, cond="pre", notes=(61,))
    eng = midi_engine()
    eng.seq_seed(12345)
    play(eng, pb)
    events = run(eng, ideal_frame(200 * STEP, 120) - 1)
    first = {(f - START) // 12000 for f, c, n, v in note_ons(events) if n == 60}
    second = {(f - START - 6000) // 12000 for f, c, n, v in note_ons(events) if n == 61}
    assert first == second and 20 < len(first) < 80
