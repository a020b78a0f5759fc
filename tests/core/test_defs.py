"""The engine's constants as Python reads them (reverie.core.defs): the time model holds
together, and each speed's step length is STEP_TICKS / speed."""
from fractions import Fraction

from reverie.core.defs import SIZES, SPEED_NAMES, SPEED_TICKS, Speed


def test_the_time_model_in_ticks():
    assert SIZES["TICKS_PER_BEAT"] == 4 * SIZES["STEP_TICKS"]              # a step is a 16th
    assert SIZES["TICKS_PER_BEAT"] == 24 * SIZES["CLOCK_TICKS"]            # MIDI clock, 24 ppqn
    assert SIZES["STEP_TICKS"] % SIZES["MICRO_DIV"] == 0                   # 1/96 step is whole
    assert SIZES["MICRO_MAX"] * 2 == SIZES["MICRO_DIV"]                    # half a step either way


def test_every_speed_has_a_name_and_a_step_length_of_step_ticks_over_speed():
    assert list(SPEED_NAMES.values()) == ["1/8", "1/4", "1/2", "3/4", "1", "3/2", "2"]
    assert set(SPEED_TICKS) == set(SPEED_NAMES) == set(Speed)
    for speed, name in SPEED_NAMES.items():
        assert SPEED_TICKS[speed] == Fraction(SIZES["STEP_TICKS"]) / Fraction(name), name
    assert [SPEED_TICKS[s] for s in Speed] == [115200, 57600, 28800, 19200, 14400, 9600, 7200]
