"""Tap tempo: the mean of the last intervals, bounce, pause, clamping and rounding."""
import random

import pytest

from reverie.sync.tap import BOUNCE_NS, MAX_INTERVALS, RESET_AFTER_NS, TapTempo

T0 = 10**12
MS = 1_000_000


def taps_at(bpm: float, count: int, t0: int = T0) -> list[int]:
    return [t0 + round(k * 60e9 / bpm) for k in range(count)]


def tap_all(tapper: TapTempo, times) -> list:
    return [tapper.tap(t) for t in times]


@pytest.mark.parametrize("bpm", [30.0, 93.7, 120.0, 133.3, 174.0, 250.0])
def test_steady_taps_give_the_tempo_to_a_tenth(bpm):
    tapper = TapTempo()
    results = tap_all(tapper, taps_at(bpm, 5))
    assert results[0] is None
    assert results[1:] == [bpm] * 4
    assert tapper.bpm == bpm


def test_the_tempo_is_rounded_to_a_tenth_of_a_bpm():
    tapper = TapTempo()
    assert tap_all(tapper, [T0, T0 + 467 * MS])[-1] == 128.5      # 128.479...
    assert TapTempo().tap(T0) is None


def test_human_taps_land_within_one_bpm_after_a_bar_and_a_half():
    rng = random.Random(11)
    for _ in range(50):
        tapper = TapTempo()
        times = [t + round(rng.uniform(-10, 10) * MS) for t in taps_at(120.0, MAX_INTERVALS + 1)]
        assert abs(tap_all(tapper, times)[-1] - 120.0) <= 1.0


def test_only_the_last_intervals_count():
    tapper = TapTempo()
    slow = taps_at(100.0, 8)
    fast = taps_at(140.0, MAX_INTERVALS + 1, slow[-1] + round(60e9 / 140.0))
    results = tap_all(tapper, slow + fast)
    assert 100.0 < results[len(slow) + 2] < 140.0                  # a mix, on its way
    assert results[-1] == 140.0


def test_taps_closer_than_100_ms_are_bounce():
    tapper = TapTempo()
    times = []
    for t in taps_at(120.0, 4):
        times += [t, t + 3 * MS, t + BOUNCE_NS - 1]
    results = tap_all(tapper, times)
    assert [r for r in results if r is not None] == [120.0] * 3
    assert tapper.bounces == 8
    assert tapper.taps == 4


def test_a_pause_of_two_seconds_starts_a_new_series_and_keeps_the_last_tempo():
    tapper = TapTempo()
    first = taps_at(90.0, 4)
    assert tap_all(tapper, first)[-1] == 90.0
    restart = first[-1] + RESET_AFTER_NS + 1
    assert tapper.tap(restart) is None
    assert tapper.bpm == 90.0 and tapper.taps == 1
    assert tap_all(tapper, taps_at(160.0, 3, restart)[1:]) == [160.0, 160.0]


def test_taps_exactly_two_seconds_apart_are_30_bpm():
    tapper = TapTempo()
    assert tap_all(tapper, [T0, T0 + RESET_AFTER_NS])[-1] == 30.0


@pytest.mark.parametrize("interval_ms, shown", [(150, 300.0), (120, 300.0), (4000, 20.0)])
def test_the_tempo_is_clamped_to_20_300_bpm(interval_ms, shown):
    tapper = TapTempo(bounce_ns=50 * MS, reset_after_ns=10**10)
    assert tap_all(tapper, [T0, T0 + interval_ms * MS])[-1] == shown


def test_a_tap_back_in_time_is_ignored_and_counted():
    tapper = TapTempo()
    tap_all(tapper, taps_at(120.0, 3))
    assert tapper.tap(T0) is None
    assert tapper.bad_input == 1 and tapper.bpm == 120.0 and tapper.taps == 3


def test_reset_forgets_the_series_only():
    tapper = TapTempo()
    tap_all(tapper, taps_at(120.0, 3))
    tapper.reset()
    assert tapper.taps == 0 and tapper.bpm == 120.0
    with pytest.raises(ValueError):
        TapTempo(max_intervals=0)
