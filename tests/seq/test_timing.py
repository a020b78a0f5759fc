"""Onsets at exact sample indices: straight steps, tempi, swing, micro-timing, retrigs,
per-track length and speed, and tempo changes. The ideal frames are computed here with
exact fractions: the first sample at or after each step's ideal time."""
import math
from fractions import Fraction

import pytest

from seqkit import (SR, START, STEP, TPB, PatternBuffer, ideal_frame, midi_engine, note_offs,
                    note_ons, play, run, step_ticks)


@pytest.mark.parametrize("bpm", [120, 133.3, 97.5, 20, 300, 174.123, 89.999])
def test_straight_sixteenths_at_exact_frames(bpm):
    eng = midi_engine()
    pb = PatternBuffer(16)
    for i in range(16):
        pb.step(0, i, notes=(36 + i,))
    play(eng, pb, bpm)
    passes = 3
    frames = ideal_frame(passes * 16 * STEP, bpm) + 10
    got = note_ons(run(eng, frames, block=191))
    want = [(ideal_frame(n * STEP, bpm), 0, 36 + n % 16, 100) for n in range(passes * 16 + 1)]
    assert got == want[:len(got)] and len(got) == passes * 16 + 1


def test_block_size_changes_nothing():
    results = []
    for block in (1, 64, 65, 128, 8193):
        eng = midi_engine()
        pb = PatternBuffer(16, swing=61)
        for i in range(0, 16, 3):
            pb.step(1, i, micro=(i * 7) % 97 - 48, retrig=(3, 1, 0.5) if i % 2 else None)
        play(eng, pb, 133.3)
        results.append(run(eng, 40000, block))
    assert all(r == results[0] for r in results)
    assert len(note_ons(results[0])) == 5            # steps 0, 3 (and its two retrigs) and 6


@pytest.mark.parametrize("swing", [50, 54, 66, 75])
def test_swing_delays_odd_steps(swing):
    eng = midi_engine()
    pb = PatternBuffer(16, swing=swing)
    for i in range(16):
        pb.step(0, i)
    play(eng, pb, 120)
    got = [f for f, *_ in note_ons(run(eng, 16 * 6000))]
    want = [ideal_frame(n * STEP + (n % 2) * Fraction(STEP * (swing - 50), 50), 120) for n in range(16)]
    assert got == want


@pytest.mark.parametrize("micro", [-48, -47, -1, 0, 1, 24, 48])
def test_micro_timing_in_96ths(micro):
    eng = midi_engine()
    pb = PatternBuffer(16)
    pb.step(0, 4, micro=micro).step(0, 12, micro=micro)
    play(eng, pb, 133.3)
    got = [f for f, *_ in note_ons(run(eng, 120000))]
    want = [ideal_frame(n * STEP + Fraction(STEP * micro, 96), 133.3) for n in (4, 12, 20)]
    assert got == want[:len(got)] and len(got) >= 2


def test_micro_timing_before_the_first_step_never_plays_before_the_start():
    eng = midi_engine()
    pb = PatternBuffer(4)
    pb.step(0, 0, micro=-24)
    play(eng, pb, 120)
    got = [f for f, *_ in note_ons(run(eng, 4 * 6000 * 2 + 100))]
    # the first pass starts on the transport's start; the next one 1/4 step early
    assert got == [START, ideal_frame(4 * STEP - STEP // 4, 120), ideal_frame(8 * STEP - STEP // 4, 120)]


@pytest.mark.parametrize("rate,length,ramp", [(1, 1, 0), (2, 1, 0), (3, 1, 0), (4, 2, -0.5),
                                              (5, 1, 0), (6, 0.5, 0), (8, 1, 1.0), (12, 1, 0),
                                              (16, 1, 0), (20, 1, 0), (24, 1, 0), (32, 1, -1.0)])
def test_retrig_rates_and_velocity_ramp(rate, length, ramp):
    bpm = 97.5
    eng = midi_engine()
    pb = PatternBuffer(16)
    pb.step(0, 2, velocity=80, retrig=(rate, length, ramp), length=4)
    play(eng, pb, bpm)
    got = note_ons(run(eng, 40000))
    interval = Fraction(STEP, rate)
    count = math.ceil(Fraction(length) * STEP / interval)
    ticks = [2 * STEP + j * interval for j in range(count)]
    assert [f for f, *_ in got] == [ideal_frame(t, bpm) for t in ticks]
    vels = [v for *_, v in got]
    assert vels[0] == 80
    if count > 1:
        last = min(127, max(1, round(80 * (1 + ramp))))
        assert abs(vels[-1] - last) <= 1
        assert vels == sorted(vels) or vels == sorted(vels, reverse=True)


def test_retrig_gates_are_cut_to_the_interval():
    eng = midi_engine()
    pb = PatternBuffer(16)
    pb.step(0, 0, length=4, retrig=(4, 1, 0))
    play(eng, pb, 120)
    events = run(eng, 7100)
    ons = [f for f, *_ in note_ons(events)]
    offs = [f for f, *_ in note_offs(events)]
    assert ons == [START + 1500 * j for j in range(4)]
    assert offs == [START + 1500 * j for j in range(1, 5)]


def test_per_track_length_and_speed_form_a_polymeter_that_realigns():
    bpm = 120
    eng = midi_engine()
    pb = PatternBuffer(length=48)       # the least common multiple of 3, 4 (x 3/4 speed) and 16
    pb.track(0, length=3).step(0, 0, notes=(40,))
    pb.track(1, length=4, speed="3/4").step(1, 0, notes=(41,))
    pb.track(2, length=8, speed="2").step(2, 0, notes=(42,))
    pb.track(3, length=2, speed="1/8").step(3, 0, notes=(43,))
    play(eng, pb, bpm)
    events = run(eng, ideal_frame(2 * 48 * STEP, bpm) + 10)
    for ch, (length, speed) in enumerate([(3, "1"), (4, "3/4"), (8, "2"), (2, "1/8")]):
        got = [f for f, *_ in note_ons(events, ch)]
        span = length * step_ticks(speed)
        want = []
        for p in range(2):
            t = 0
            while t < 48 * STEP:
                want.append(ideal_frame(p * 48 * STEP + t, bpm))
                t += span
        assert got == want + [ideal_frame(2 * 48 * STEP, bpm)], ch
    # all four tracks start together again at the pattern's second pass
    second = ideal_frame(48 * STEP, bpm)
    assert {c for f, c, *_ in note_ons(events) if f == second} == {0, 1, 2, 3}


@pytest.mark.parametrize("speed", ["1/8", "1/4", "1/2", "3/4", "1", "3/2", "2"])
def test_every_speed(speed):
    bpm = 133.3
    eng = midi_engine()
    pb = PatternBuffer(length=64)
    pb.track(0, length=64, speed=speed)
    for i in range(64):
        pb.step(0, i, micro=12)
    play(eng, pb, bpm)
    got = [f for f, *_ in note_ons(run(eng, 100000))]
    st = step_ticks(speed)
    want = [ideal_frame(n * st + st * 12 / 96, bpm) for n in range(len(got))]
    assert got == want and len(got) >= 3


def test_tempo_change_mid_pattern_keeps_the_phase():
    eng = midi_engine()
    pb = PatternBuffer(16)
    for i in range(16):
        pb.step(0, i)
    play(eng, pb, 120)
    events = run(eng, 20000)                 # steps 0..3 at 120 BPM (6000 frames a step)
    change = START + 20000
    eng.seq_tempo(90.5, frame=change)
    events += run(eng, 60000)
    got = [f for f, *_ in note_ons(events)]
    # the change takes effect at the first tick whose ideal time is at or after its frame;
    # that tick keeps its place
    k = Fraction(SR * 60, 120 * TPB)         # frames per tick before
    tick = math.ceil((change - START) / k)   # first tick sounding at or after the change
    exact = START + tick * k                 # its ideal (fractional) frame
    k2 = Fraction(SR * 60) / (Fraction("90.5") * TPB)

    def frame(n):
        t = n * STEP
        return START + math.ceil(t * k) if t < tick else math.ceil(exact + (t - tick) * k2)
    assert got == [frame(n) for n in range(len(got))]
    # no phase jump: the step after the change is one step of the old tempo's phase plus the new
    assert got[4] == math.ceil(exact + (4 * STEP - tick) * k2)


def test_many_tempo_changes_do_not_drift():
    """A tempo that changes every few ms (as a clock follower does) and returns to where it
    was keeps the steps on the grid of the tick count: positions never slip."""
    eng = midi_engine()
    pb = PatternBuffer(16)
    for i in range(16):
        pb.step(0, i)
    play(eng, pb, 120)
    for j in range(200):
        eng.seq_tempo(120 + (0.013 if j % 2 else -0.013), frame=START + 240 * j)
    eng.seq_tempo(120, frame=START + 240 * 200)
    events = run(eng, 200000)
    got = [f for f, *_ in note_ons(events)]
    # after the wobble the steps are 6000 frames apart again and the step count is exact
    assert all(b - a == 6000 for a, b in zip(got[10:], got[11:]))
    assert abs(len(got) - (200000 - START) / 6000) < 2   # no step gained or lost
