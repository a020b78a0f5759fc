"""The encoder decoder against an independent model, on every transition and every short
state sequence; bounce on real MockFactory edges at 20 detents/s; the acceleration curve."""
import itertools
import random
from collections import Counter

import pytest
from gpiozero.pins.mock import MockFactory

from reverie.base.events import Turn
from reverie.hal.gpio.encoder import (ILLEGAL, STEP, Acceleration, EncoderInput,
                                 QuadratureDecoder, multiplier_at)

# The model: where each AB state sits on the clockwise cycle, as the contacts close and open
# (A leads: A opens first, then B, then A closes, then B). States are A << 1 | B.
CYCLE = [(1, 1), (0, 1), (0, 0), (1, 0)]
STATES = [a << 1 | b for a, b in CYCLE]


def model_step(prev: int, new: int):
    """A quarter step: +1 one place clockwise on the cycle, -1 back, None both bits flipped."""
    turn = (STATES.index(new) - STATES.index(prev)) % 4
    return {0: 0, 1: 1, 3: -1, 2: None}[turn]


def model_detents(start: int, states, tpd: int):
    """Detents counted after each state: a rest state (a multiple of tpd quarter steps
    round the cycle from the start) settles the quarter steps taken since the last one:
    n detents for n*tpd of them, and half a detent rounds away from zero."""
    counted, taken, prev, out = 0, 0, start, []
    for state in states:
        step = model_step(prev, state)
        if state != prev:
            taken += step or 0
            if (STATES.index(state) - STATES.index(start)) % tpd == 0:
                whole, rest = divmod(abs(taken), tpd)
                counted += (whole + (2 * rest >= tpd)) * (1 if taken > 0 else -1)
                taken = 0
        prev = state
        out.append(counted)
    return out


def test_every_single_transition_matches_the_model():
    for prev, new in itertools.product(range(4), repeat=2):
        d = QuadratureDecoder(4, prev)
        d.update(new)
        expected = model_step(prev, new)
        assert d.illegal == (expected is None)
        assert d.position == (expected or 0), (bin(prev), bin(new))


def test_the_table_has_eight_legal_moves_four_illegal_and_four_stays():
    assert Counter(STEP) == {0: 4, 1: 4, -1: 4, ILLEGAL: 4}


@pytest.mark.parametrize("tpd", [4, 2, 1])
@pytest.mark.parametrize("start", STATES)
def test_every_sequence_of_six_states_counts_like_the_model(tpd, start):
    for states in itertools.product(range(4), repeat=6):
        d = QuadratureDecoder(tpd, start)
        got = []
        for s in states:
            d.update(s)
            got.append(d.detents)
        assert got == model_detents(start, states, tpd), (tpd, start, states)
        legal = [model_step(p, n) for p, n in zip((start,) + states, states)]
        assert d.illegal == legal.count(None)
        assert d.position == sum(s for s in legal if s)


@pytest.mark.parametrize("tpd", [4, 2, 1])
def test_without_illegal_moves_detents_follow_position(tpd):
    rng = random.Random(tpd)
    d = QuadratureDecoder(tpd, 0b11)
    phase = 0
    for _ in range(20000):
        phase += rng.choice((-1, 1))
        d.update(STATES[phase % 4])
        assert abs(d.detents * tpd - d.position) < tpd     # never more than a detent apart
        if phase % tpd == 0:
            assert d.detents * tpd == d.position            # exact at every click


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def encoder_on_mock(tpd=4, reversed=False, accelerate=False):
    factory = MockFactory()
    a, b = factory.pin(17), factory.pin(27)
    clock, events = Clock(), []
    enc = EncoderInput(2, a, b, events.append, clock, tpd, reversed, accelerate)
    return enc, a, b, clock, events


def drive(pin, level):
    (pin.drive_high if level else pin.drive_low)()


def turn(a, b, clock, detents, rate_dps, tpd=4, bounce=None, rng=None):
    """Turn by `detents` at `rate_dps` through real pin edges; `bounce` extra toggles of the
    switching contact after each edge, each 50..400 µs apart (random when rng is given)."""
    step_s = 1.0 / (rate_dps * tpd)
    index = STATES.index(int(a.state) << 1 | int(b.state))
    direction = 1 if detents > 0 else -1
    for _ in range(abs(detents) * tpd):
        index = (index + direction) % 4
        new_a, new_b = CYCLE[index]
        pin, level = (a, new_a) if new_a != int(a.state) else (b, new_b)
        toggles = bounce or 0 if rng is None else rng.randint(0, bounce)
        spent = 0.0
        drive(pin, level)
        for k in range(toggles * 2):                    # away and back: ends at `level`
            gap = 0.0002 if rng is None else rng.uniform(0.00005, 0.0004)
            clock.t += gap
            spent += gap
            drive(pin, level if k % 2 else not level)
        clock.t += step_s - spent


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("bounces", [0, 1, 3])
def test_bounce_on_every_edge_at_20_detents_per_second_counts_exactly(direction, bounces):
    enc, a, b, clock, events = encoder_on_mock()
    turn(a, b, clock, 200 * direction, 20.0, bounce=bounces)
    assert events == [Turn(2, direction, e.t) for e in events]
    assert len(events) == 200
    assert enc.decoder.illegal == 0


@pytest.mark.parametrize("tpd", [4, 2])
def test_random_bounce_with_reversals_never_misses_or_reverses_a_detent(tpd):
    rng = random.Random(20 + tpd)
    enc, a, b, clock, events = encoder_on_mock(tpd)
    total = 0
    for _ in range(40):
        n = rng.choice((-1, 1)) * rng.randint(1, 12)
        before = len(events)
        turn(a, b, clock, n, 20.0, tpd, bounce=4, rng=rng)
        assert [e.detents for e in events[before:]] == [1 if n > 0 else -1] * abs(n)
        total += n
        clock.t += 0.3
    assert sum(e.detents for e in events) == total == enc.decoder.detents


def test_reversed_counts_the_other_way():
    enc, a, b, clock, events = encoder_on_mock(reversed=True)
    turn(a, b, clock, 3, 5.0)
    assert [e.detents for e in events] == [-1, -1, -1]


def test_turns_carry_the_time_of_the_edge_that_completed_the_detent():
    enc, a, b, clock, events = encoder_on_mock()
    turn(a, b, clock, 2, 4.0)           # 16 quarter steps of 62.5 ms from t=100
    assert [round(e.t - 100.0, 4) for e in events] == [0.1875, 0.4375]


def test_accelerated_turns_keep_their_direction_and_count_every_detent():
    enc, a, b, clock, events = encoder_on_mock(accelerate=True)
    turn(a, b, clock, 40, 22.0, bounce=2)
    assert len(events) == enc.decoder.detents == 40
    assert events[0].detents == 1 and events[-1].detents == multiplier_at(22.0) == 4


def test_acceleration_curve():
    assert [multiplier_at(r) for r in (0, 5, 7.9, 8, 11.9, 12, 16, 20, 24, 36, 100)] == \
        [1, 1, 1, 1, 1, 2, 3, 4, 5, 8, 8]


@pytest.mark.parametrize("rate_dps, steady", [(5, 1), (10, 1), (14, 2), (22, 4), (30, 6), (40, 8)])
def test_acceleration_settles_on_the_curve_at_a_steady_rate(rate_dps, steady):
    acc = Acceleration()
    steps = [acc.steps(1, k / rate_dps) for k in range(20)]
    assert steps[0] == 1 and steps[-1] == steady
    assert steps == sorted(steps)                 # ramps up, never jumps around


def test_acceleration_starts_over_after_a_pause_or_a_reversal():
    acc = Acceleration()
    for k in range(10):
        acc.steps(1, k * 0.025)
    assert acc.steps(1, 0.25) == 8
    assert acc.steps(-1, 0.275) == 1              # a reversal starts over...
    assert acc.steps(-1, 0.3) == 8                # ...and the next interval sets the rate: 40/s
    assert acc.steps(-1, 0.3 + 0.21) == 1         # a pause starts over
    assert acc.steps(-1, 0.3 + 0.21 + 0.2) == 1   # 5/s
