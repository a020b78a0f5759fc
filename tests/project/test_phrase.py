"""A played phrase becomes a pattern (project/phrase.py): the tempo read from the playing
when the sequencer was stopped, every note on its step with its micro-timing (1/96 of a
step), velocity and length; while the sequencer played, its ticks place the notes."""
import numpy as np
import pytest

from reverie.base.errors import UserError
from reverie.project.pattern import SUBSTEPS
from reverie.project.phrase import (BAR_TICKS, STEP_TICKS, TICKS_PER_BEAT, PlayedNote, build_phrase,
                                    infer_tempo)
from reverie.project.record import step_ticks, swing_ticks

RATE = 48000
# A four-bar phrase in 16ths: eighths, sixteenths and quarters, as a melody is played.
RHYTHM = [2, 1, 1, 2, 2, 4, 2, 1, 1, 2, 2, 2, 4, 1, 1, 1, 1, 2, 2, 2, 2, 4, 2, 2, 1, 1, 2, 4, 2, 2]
ONSETS = np.concatenate([[0], np.cumsum(RHYTHM)])[:-1]        # in 16ths
TRIES = 40            # phrases per tempo here; `reverie bench capture` tries 300
JITTER_S = 0.010      # timing scatter (SD) of a player's hand


def played(bpm, jitter_s, seed, start_s=5.0):
    rng = np.random.default_rng(seed)
    return ONSETS * 15.0 / bpm + rng.normal(0, jitter_s, len(ONSETS)) + start_s


@pytest.mark.parametrize("bpm", [90, 120, 150])
def test_the_tempo_of_a_phrase_played_with_human_jitter_is_read_within_1_bpm(bpm):
    errors = [abs(infer_tempo(played(bpm, JITTER_S, seed)) - bpm) for seed in range(TRIES)]
    assert max(errors) < 1.0, errors


def test_a_phrase_of_only_eighths_or_only_quarters_reads_in_the_same_octave():
    # the tempo is read in 80..160 BPM: quarters at 120 and eighths at 120 both read 120
    assert infer_tempo(np.arange(16) * 0.5) == pytest.approx(120, abs=0.01)
    assert infer_tempo(np.arange(16) * 0.25) == pytest.approx(120, abs=0.01)
    assert infer_tempo(np.arange(16) * 60 / 70 / 4) == pytest.approx(140, abs=0.01)   # 70 reads 140


def test_a_tempo_that_drifts_reads_as_the_phrase_average():
    """Rubato: the tempo swings 4 % either way over two bars; the reading is the phrase's
    average tempo within 3 BPM (docs/capture.md)."""
    grid = np.arange(ONSETS[-1] + 1)
    for seed in range(20):
        bpm = 120 * (1 + 0.04 * np.sin(2 * np.pi * grid / 32 + seed))
        times = np.concatenate([[0], np.cumsum(15.0 / bpm)])[:-1]
        average = 15.0 * ONSETS[-1] / times[ONSETS[-1]]
        assert infer_tempo(times[ONSETS]) == pytest.approx(average, abs=3.0)


def test_chords_count_once_and_too_few_notes_say_no_tempo():
    chords = np.repeat(np.arange(8) * 0.5, 3) + np.tile([0, 0.01, 0.02], 8)
    assert infer_tempo(chords) == pytest.approx(120, abs=0.01)
    assert infer_tempo([0.0, 0.5, 1.0]) is None
    assert infer_tempo([0.0, 0.0, 0.01, 0.02, 0.03]) is None


def notes_at(times_s, track=0, length_s=0.1, first_note=60):
    return [PlayedNote(track, first_note + i % 12, 60 + i % 60, round(t * RATE), round((t + length_s) * RATE))
            for i, t in enumerate(times_s)]


def onset_ticks(pattern, track):
    """(tick of each note's onset in the pass, notes, velocity, gate in ticks) of a track."""
    tp = pattern.tracks[track]
    st = step_ticks(tp.speed)
    shift = swing_ticks(st, pattern.swing)
    return [(i * st + shift * (i % 2) + s.micro * st // SUBSTEPS, s.notes, s.velocity, s.length * st)
            for i, s in enumerate(tp.steps) if s is not None]


@pytest.mark.parametrize("bpm", [90, 120, 150])
def test_a_phrase_played_while_stopped_becomes_a_pattern_that_holds_every_note(bpm):
    times = played(bpm, JITTER_S, seed=3)
    notes = notes_at(times)
    phrase = build_phrase(notes, RATE, notes[-1].off_frame + RATE, playing=False, tempo_bpm=100)
    assert phrase.inferred and phrase.tempo_bpm == pytest.approx(bpm, abs=1.0)
    assert (phrase.notes, phrase.kept, phrase.bars) == (30, 30, 4)
    assert phrase.pattern.length == 64
    got = onset_ticks(phrase.pattern, 0)
    assert len(got) == 30
    per_s = phrase.tempo_bpm / 60 * TICKS_PER_BEAT
    resolution = STEP_TICKS / SUBSTEPS          # micro-timing: 1/96 of a step
    for (tick, chord, velocity, gate), n, t in zip(got, notes, times):
        assert abs(tick - (t - times[0]) * per_s) <= resolution / 2 + 1     # where it was played
        assert chord == (n.note,) and velocity == n.velocity
        assert abs(gate - 0.1 * per_s) <= resolution / 2 + 1                 # as long as it was held


def test_a_phrase_played_while_the_sequencer_ran_lands_on_its_ticks():
    # The sequencer at 120 BPM; the notes start in bar 3 (a little early), on tracks 0 and 2.
    ticks = [2 * BAR_TICKS - 300, 2 * BAR_TICKS + 4 * STEP_TICKS + 1234, 2 * BAR_TICKS + 9 * STEP_TICKS,
             3 * BAR_TICKS + 2 * STEP_TICKS - 500]
    notes = [PlayedNote(i % 2 * 2, 36 + i, 100, 1000 * i, 1000 * i + 500, t, t + STEP_TICKS // 2)
             for i, t in enumerate(ticks)]
    phrase = build_phrase(notes, RATE, 10_000, playing=True, tempo_bpm=120)
    assert not phrase.inferred and phrase.tempo_bpm == 120 and phrase.bars == 2
    got = onset_ticks(phrase.pattern, 0) + onset_ticks(phrase.pattern, 2)
    period = phrase.pattern.length * STEP_TICKS
    want = sorted((t - 2 * BAR_TICKS) % period for t in ticks)
    assert sorted(g[0] % period for g in got) == pytest.approx(want, abs=STEP_TICKS / SUBSTEPS / 2 + 1)


def test_two_notes_of_a_track_closer_than_half_a_step_take_the_track_at_double_speed():
    t = np.array([0.0, 0.04, 0.25, 0.5, 0.75, 1.0])             # a flam, then eighths at 120
    phrase = build_phrase(notes_at(t, length_s=0.03), RATE, 2 * RATE, playing=False, tempo_bpm=120)
    tp = phrase.pattern.tracks[0]
    assert tp.speed == "2" and phrase.kept == 6


def test_the_phrase_starts_after_the_last_long_silence_and_keeps_16_bars_at_most():
    early = notes_at([0.0, 0.5, 1.0])
    later = notes_at(10 + np.arange(8) * 0.25)
    phrase = build_phrase(early + later, RATE, 14 * RATE, playing=False, tempo_bpm=120)
    assert phrase.notes == 8
    many = notes_at(np.arange(200) * 0.5, length_s=0.05)         # 25 bars of quarters at 120
    phrase = build_phrase(many, RATE, 101 * RATE, playing=False, tempo_bpm=120)
    assert phrase.bars == 16 and phrase.notes == 64              # the last 16 bars
    assert phrase.pattern.tracks[0].speed == "1/2" and phrase.kept == 64


def test_nothing_played_is_one_line():
    with pytest.raises(UserError, match="no notes"):
        build_phrase([], RATE, 0, playing=False, tempo_bpm=120)
    with pytest.raises(UserError, match="no notes"):
        build_phrase(notes_at([0.0]), RATE, RATE, playing=True, tempo_bpm=120)   # played while stopped
