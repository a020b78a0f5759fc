"""The MIDI clock follower in simulated time.

Jittered clocks come from the bench's generator (uniform +-1 ms, seeded). Tolerances: over
200 seeds, `reverie bench midi-clock-in` measures at most 0.11 % tempo error after 2 beats
(174 BPM is the worst), 0.59 ms phase error and a lock after 12 clocks; the bounds below
leave about twice that.
"""
import random

import pytest

from reverie.app.bench.clock_in import jittered_clock, period_ns
from reverie.sync.clock_follower import (CLOCK, CONTINUE, LOCK_CLOCKS, SONG_POSITION, START,
                                         STOP, TIMEOUT_NS, ClockFollower)

T0 = 10**12
TEMPO_PCT_2_BEATS = 0.25
PHASE_MS = 1.2


def started(*, on_event=None) -> ClockFollower:
    follower = ClockFollower(on_event=on_event)
    assert follower.feed(START, T0 - 1_000_000) == [("start", T0 - 1_000_000)]
    return follower


def feed_all(follower: ClockFollower, times) -> None:
    for t in times:
        assert follower.feed(CLOCK, t) == []


def grid(bpm: float, clocks: int, t0: float = T0) -> list[int]:
    return [int(t0 + k * period_ns(bpm)) for k in range(clocks)]


# --- tempo and lock -----------------------------------------------------------------------

@pytest.mark.parametrize("bpm", [90.0, 120.5, 174.0])
@pytest.mark.parametrize("seed", range(10))
def test_locks_within_two_beats_of_a_jittered_clock(bpm, seed):
    follower = started()
    times = jittered_clock(bpm, 48, seed)
    feed_all(follower, times[:LOCK_CLOCKS - 1])
    assert not follower.locked
    feed_all(follower, times[LOCK_CLOCKS - 1:])
    assert follower.locked
    assert follower.tempo_bpm == pytest.approx(bpm, rel=TEMPO_PCT_2_BEATS / 100)
    anchor = follower.anchor()
    assert anchor.clocks == 47 and anchor.ticks == 47 * 2400
    assert abs(anchor.t_ns - (T0 + 47 * period_ns(bpm))) < PHASE_MS * 1e6


def test_tempo_is_a_float_taken_as_it_comes():
    follower = started()
    feed_all(follower, grid(133.3, 48))
    assert follower.tempo_bpm == pytest.approx(133.3, abs=1e-6)
    assert follower.period_ns == pytest.approx(period_ns(133.3), rel=1e-9)


@pytest.mark.parametrize("bpm, shown", [(400.0, 300.0), (300.0, 300.0), (20.0, 20.0),
                                        (12.0, 20.0)])
def test_tempo_is_clamped_to_20_300_bpm(bpm, shown):
    follower = ClockFollower(timeout_ns=10**10)
    feed_all(follower, grid(bpm, 30))
    assert follower.tempo_bpm == pytest.approx(shown)


def test_tempo_step_is_followed_within_two_beats():
    follower = started()
    times = jittered_clock(120.0, 96, seed=3)
    rng = random.Random(4)
    t = times[-1] + period_ns(120.0)
    for _ in range(48):
        t += period_ns(90.0)
        times.append(int(t + rng.uniform(-1e6, 1e6)))
    feed_all(follower, times)
    assert follower.locked
    assert follower.tempo_bpm == pytest.approx(90.0, rel=0.005)
    assert follower.stats["tempo_changes"] == 1
    assert follower.song_position_clocks == 144    # every clock counted, none invented


def test_a_slow_drift_is_followed_without_a_restart():
    follower = started()
    feed_all(follower, grid(120.0, 48))
    feed_all(follower, grid(121.0, 72, follower.last_clock_ns + period_ns(121.0)))
    assert follower.tempo_bpm == pytest.approx(121.0, rel=1e-4)
    assert follower.stats["tempo_changes"] == 0


def test_a_dropped_clock_neither_halves_the_tempo_nor_loses_the_position():
    for bpm in (90.0, 174.0, 300.0):
        follower = started()
        times = jittered_clock(bpm, 72, seed=5)
        del times[40]
        feed_all(follower, times)
        assert follower.tempo_bpm == pytest.approx(bpm, rel=TEMPO_PCT_2_BEATS / 100)
        assert follower.stats["dropped_clocks"] == 1
        assert follower.song_position_clocks == 72
        assert follower.anchor().clocks == 71


def test_a_halved_tempo_is_a_tempo_change_not_a_run_of_dropped_clocks():
    follower = started()
    times = grid(120.0, 48)
    times += grid(60.0, 48, times[-1] + period_ns(60.0))
    feed_all(follower, times)
    assert follower.tempo_bpm == pytest.approx(60.0, rel=1e-6)
    assert follower.stats["dropped_clocks"] == 0
    assert follower.song_position_clocks == 96


def test_lone_late_clocks_stay_out_of_the_fit():
    follower = started()
    times = grid(120.0, 96)
    for k in (30, 50, 51, 70):        # two of them in a row, the second less late
        times[k] += 9_000_000 if k != 51 else 7_000_000
    feed_all(follower, times)
    assert follower.tempo_bpm == pytest.approx(120.0, rel=1e-9)
    assert follower.stats["tempo_changes"] == 0
    assert follower.stats["outliers"] == 4
    assert follower.song_position_clocks == 96


def test_timeout_unlocks_and_keeps_the_tempo_then_clocks_lock_again():
    follower = started()
    times = grid(120.0, 48)
    feed_all(follower, times)
    follower.check(times[-1] + TIMEOUT_NS // 2)
    assert follower.locked
    follower.check(times[-1] + TIMEOUT_NS + 1)
    assert not follower.locked
    assert follower.tempo_bpm == pytest.approx(120.0)
    assert follower.anchor() is None and follower.next_clock_ns() is None
    assert follower.stats["timeouts"] == 1
    feed_all(follower, grid(100.0, LOCK_CLOCKS, times[-1] + 2e9))
    assert follower.locked
    assert follower.tempo_bpm == pytest.approx(100.0)


def test_a_long_silence_seen_only_by_the_next_clock_restarts_the_fit():
    follower = started()
    times = grid(120.0, 48)
    times += grid(150.0, 48, times[-1] + 3e9)
    feed_all(follower, times)
    assert follower.tempo_bpm == pytest.approx(150.0)
    assert follower.stats["timeouts"] == 1


# --- transport and song position ----------------------------------------------------------

def test_start_makes_the_next_clock_the_downbeat():
    follower = ClockFollower()
    feed_all(follower, grid(120.0, 24))           # clocks while stopped: tempo only
    assert follower.anchor() is None and follower.song_position_clocks == 0
    t_start = T0 + 24 * period_ns(120.0) - 5e6
    assert follower.feed(START, int(t_start)) == [("start", int(t_start))]
    assert follower.next_clock_ns() == pytest.approx(T0 + 24 * period_ns(120.0))
    feed_all(follower, grid(120.0, 25, T0 + 24 * period_ns(120.0)))
    anchor = follower.anchor()
    assert (anchor.clocks, anchor.ticks) == (24, 57600)
    assert anchor.t_ns == pytest.approx(T0 + 48 * period_ns(120.0))
    half_clock = anchor.t_ns + period_ns(120.0) / 2
    assert follower.ticks_at(half_clock) == pytest.approx(57600 + 1200)


def test_stop_freezes_the_position_and_continue_resumes_it():
    events = []
    follower = started(on_event=events.append)
    times = grid(120.0, 100)
    feed_all(follower, times[:30])
    assert follower.feed(STOP, times[29] + 1) == [("stop", times[29] + 1)]
    feed_all(follower, times[30:60])              # the master's clock keeps running
    assert follower.song_position_clocks == 30 and follower.anchor() is None
    assert follower.feed(CONTINUE, times[59] + 1) == [("continue", times[59] + 1, 5.0)]
    feed_all(follower, times[60:])
    assert follower.anchor().clocks == 69
    assert [e[0] for e in events] == ["start", "stop", "continue"]


def test_song_position_then_continue_plays_from_there():
    follower = started()
    times = grid(120.0, 60)
    feed_all(follower, times[:20])
    follower.feed(STOP, times[19] + 1)
    assert follower.feed_message([SONG_POSITION, 0x10, 0x01], times[19] + 2) == \
        [("position", 0x10 | 0x01 << 7)]                 # 144 16ths = 36 beats
    assert follower.song_position_clocks == 144 * 6
    assert follower.feed(CONTINUE, times[19] + 3) == [("continue", times[19] + 3, 144.0)]
    feed_all(follower, times[20:])
    assert follower.anchor().ticks == (144 * 6 + 39) * 2400


def test_song_position_while_playing_moves_the_next_clock():
    follower = started()
    times = grid(120.0, 40)
    feed_all(follower, times[:20])
    follower.feed(SONG_POSITION, times[19] + 1, 64)
    assert follower.anchor() is None
    feed_all(follower, times[20:])
    assert follower.anchor().clocks == 64 * 6 + 19


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize("message", [
    [], [0x40], [CLOCK, 0], [START, 1, 2], [SONG_POSITION, 1], [SONG_POSITION, 0x80, 0],
    [SONG_POSITION, 1, 2, 3], [0xF8, 300], "clock", None, 17, [None], [CLOCK + 0.5],
])
def test_malformed_messages_are_counted_never_raised(message):
    follower = started()
    assert follower.feed_message(message, T0) == []
    assert follower.stats["bad_input"] == 1
    assert follower.song_position_clocks == 0 and follower.stats["clocks"] == 0


@pytest.mark.parametrize("kind, value", [(SONG_POSITION, -1), (SONG_POSITION, 0x4000),
                                         (SONG_POSITION, 2.5), (0x90, 0), ("clock", 0)])
def test_bad_kinds_and_song_positions_are_counted(kind, value):
    follower = started()
    assert follower.feed(kind, T0, value) == []
    assert follower.stats["bad_input"] == 1 and follower.song_position_clocks == 0


def test_other_messages_are_ignored_and_a_clock_back_in_time_is_bad():
    follower = started()
    for message in ([0x90, 60, 100], [0xFE], [0xF0, 1, 2, 0xF7], [0xB0, 7, 100]):
        assert follower.feed_message(message, T0) == []
    assert follower.stats["ignored"] == 4
    follower.feed(CLOCK, T0)
    follower.feed(CLOCK, T0 - 1)
    assert follower.stats["bad_input"] == 1 and follower.stats["clocks"] == 1


def test_window_settings_are_checked():
    with pytest.raises(ValueError):
        ClockFollower(lock_clocks=60)
