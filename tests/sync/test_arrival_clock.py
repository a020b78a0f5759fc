"""Arrival times freed of the callback's delay, rebuilt from the MIDI system's delta times."""
import random

from reverie.sync.arrival_clock import ArrivalClock

T0 = 10**12


def test_arrival_clock_takes_the_callback_delay_out_of_the_stamps():
    arrivals = ArrivalClock()
    rng = random.Random(7)
    true = [T0 + k * 20_000_000 for k in range(200)]
    results = []
    for k, t in enumerate(true):
        late = rng.choice([0, 0, 0, rng.uniform(0, 5e6), 20e6])
        delta_s = 0.0 if k == 0 else (t - true[k - 1]) / 1e9
        results.append(arrivals.arrival_ns(int(t + late), delta_s))
    errors = [r - t for r, t in zip(results, true)]
    assert max(errors[50:]) < 1_000 and min(errors) >= -1_000   # ns: delta rounding only
    assert results == sorted(results)


def test_arrival_clock_restarts_on_a_delta_it_cannot_use():
    arrivals = ArrivalClock()
    assert arrivals.arrival_ns(T0, 0.0) == T0
    assert arrivals.arrival_ns(T0 + 10**6, float("nan")) == T0 + 10**6
    assert arrivals.arrival_ns(T0 + 2 * 10**6, -1.0) == T0 + 2 * 10**6
