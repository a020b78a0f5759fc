"""Overlaps (zones one note-on sounds together, round robin included) and gaps (keys and
velocities where some note-on is silent), checked against a brute-force count over every
note, velocity and counter."""
import numpy as np
from hypothesis import given, settings, strategies as st

from reverie.sound.multisample.coverage import Gap, gaps, overlaps
from reverie.sound.multisample.zones import SampleFile, Zone, ZoneMap

SAMPLES = {"a.wav": SampleFile(100, 48000, 1)}


def zmap(*zones):
    return ZoneMap("t", tuple(zones), SAMPLES)


def test_a_split_keyboard_has_no_overlap_and_its_gaps_are_named():
    m = zmap(Zone("a.wav", 36, 59), Zone("a.wav", 60, 84, vel_lo=1, vel_hi=100))
    assert overlaps(m) == []
    assert gaps(m) == [Gap(0, 35, 1, 127), Gap(60, 84, 101, 127), Gap(85, 127, 1, 127)]
    assert [g.text() for g in gaps(m)] == ["keys 0-35 play nothing", "keys 60-84 at velocities 101-127 play nothing",
                                           "keys 85-127 play nothing"]


def test_layers_overlap_and_round_robin_turns_that_never_meet_do_not():
    a = Zone("a.wav", 60, 60, seq_length=2, seq_position=1)
    b = Zone("a.wav", 60, 60, seq_length=2, seq_position=2)
    c = Zone("a.wav", 60, 60, seq_length=4, seq_position=3)      # turns 3, 7, ...: with a (odd turns)
    layer = Zone("a.wav", 55, 65, vel_lo=100, vel_hi=127)
    assert overlaps(zmap(a, b, c, layer)) == [(0, 2), (0, 3), (1, 3), (2, 3)]


def test_a_missing_round_robin_turn_is_a_gap_on_that_turn():
    m = zmap(Zone("a.wav", 40, 40, seq_length=3, seq_position=1), Zone("a.wav", 40, 40, seq_length=3, seq_position=2))
    assert Gap(40, 40, 1, 127, (2,)) in gaps(m)
    assert Gap(40, 40, 1, 127, (2,)).text() == "key 40 on round-robin turn 3 plays nothing"


ZONES = st.builds(lambda k1, k2, v1, v2, length, pos: Zone("a.wav", min(k1, k2), max(k1, k2), 60, min(v1, v2),
                                                           max(v1, v2), length, min(pos, length)),
                  st.integers(0, 127), st.integers(0, 127), st.integers(0, 127), st.integers(0, 127),
                  st.integers(1, 4), st.integers(1, 4))


@settings(max_examples=40, deadline=None)
@given(st.lists(ZONES, min_size=1, max_size=5))
def test_overlaps_and_gaps_agree_with_every_note_on(zones):
    m = zmap(*zones)
    note, velocity, counter = np.ogrid[0:128, 1:128, 0:12]     # 12: a multiple of every seq_length 1..4
    sounds = [(z.key_lo <= note) & (note <= z.key_hi) & (z.vel_lo <= velocity) & (velocity <= z.vel_hi)
              & (counter % z.seq_length == z.seq_position - 1) for z in m.zones]
    together = {(i, j) for i in range(len(zones)) for j in range(i + 1, len(zones)) if (sounds[i] & sounds[j]).any()}
    some_turn_silent = (~np.logical_or.reduce(sounds + [np.zeros_like(sounds[0])])).any(axis=2)
    silent = {(int(n), int(v) + 1) for n, v in zip(*np.nonzero(some_turn_silent))}
    assert set(overlaps(m)) == together
    covered = {(n, v) for g in gaps(m) for n in range(g.key_lo, g.key_hi + 1) for v in range(g.vel_lo, g.vel_hi + 1)}
    assert covered == silent
