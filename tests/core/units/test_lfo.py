"""LFOs (units/lfo.pxd): shapes, rate in Hz or tempo-synced, phase offset, retrigger or free."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from unitkit import SR, max_step

SHAPES = U.LFO_SHAPES


def lfo(shape, frames, seed=1, unit=None, **kw):
    unit = unit or U.Lfo(SR, seed)
    out = np.zeros(frames, np.float32)
    unit.render(out, SHAPES[shape], **kw)
    return out


def crossings(x):
    return int(np.sum((x[:-1] < 0) & (x[1:] >= 0)))


@pytest.mark.parametrize("shape", ["sine", "triangle", "saw-up", "square"])
def test_the_rate_in_hz(shape):
    out = lfo(shape, int(10 * SR), rate_hz=2.5, phase_offset=0.1)
    assert crossings(out) == 25


def test_tempo_sync_in_cycles_per_beat():
    # a quarter of a cycle per beat at 120 BPM: 0.5 Hz, 5 cycles in 10 s (the Hz rate is ignored)
    out = lfo("sine", int(10 * SR), rate_hz=9.0, cycles_per_beat=0.25, tempo_bpm=120.0, phase_offset=0.5)
    assert crossings(out) == 5


@pytest.mark.parametrize("shape, offset, first", [("sine", 0.25, 1.0), ("triangle", 0.5, 0.0),
                                                  ("saw-up", 0.0, -1.0), ("saw-down", 0.0, 1.0),
                                                  ("square", 0.75, -1.0)])
def test_shapes_and_the_phase_offset(shape, offset, first):
    out = lfo(shape, 48000, rate_hz=1.0, phase_offset=offset)
    assert out[0] == pytest.approx(first, abs=1e-3)
    assert np.max(out) == pytest.approx(1.0, abs=2e-3) and np.min(out) == pytest.approx(-1.0, abs=2e-3)


def test_sample_and_hold_holds_one_value_per_cycle():
    out = lfo("sample-hold", 48000, rate_hz=10.0)
    period = 4800
    values = [np.ptp(out[k * period + 600:(k + 1) * period]) for k in range(10)]
    assert max(values) < 1e-6                   # held through each cycle (after the slew)
    levels = out[600::period]
    assert len(set(np.round(levels, 6))) == 10 and np.ptp(levels) > 0.5


def test_smooth_random_glides_through_its_values():
    out = lfo("smooth-random", 48000, rate_hz=10.0)
    assert max_step(out) < 4 * np.pi / 4800                 # a raised cosine, no step
    assert np.ptp(out) > 0.5


def test_a_seed_gives_the_same_random_wave():
    assert np.array_equal(lfo("sample-hold", 9600, seed=3, rate_hz=50.0),
                          lfo("sample-hold", 9600, seed=3, rate_hz=50.0))
    assert not np.array_equal(lfo("sample-hold", 9600, seed=3, rate_hz=50.0),
                              lfo("sample-hold", 9600, seed=4, rate_hz=50.0))


def test_retrigger_restarts_and_free_runs_on():
    kw = dict(rate_hz=3.0, phase_offset=0.25)
    fresh = lfo("sine", 4800, **kw)
    retrig = U.Lfo(SR)
    lfo("sine", 7777, unit=retrig, **kw)
    retrig.reset(True)
    again = lfo("sine", 4800, unit=retrig, **kw)
    # back on the fresh wave once the 0.5 ms slew has caught up
    assert np.allclose(again[480:], fresh[480:], atol=1e-4)
    free = U.Lfo(SR)
    first = lfo("sine", 7777, unit=free, **kw)
    free.reset(False)
    on = lfo("sine", 4800, unit=free, **kw)
    assert np.array_equal(np.concatenate([first, on]), lfo("sine", 7777 + 4800, **kw))


def test_edges_and_retriggers_are_slewed():
    """A square's edge takes the 0.5 ms slew: no step above 2 x (1 - e^(-1/24)) = 8.2 %."""
    out = lfo("square", 48000, rate_hz=5.0)
    assert max_step(out) <= 2 * (1 - np.exp(-1 / 24)) + 1e-6
