"""The MIDI clock input's queue without a MIDI system: stamps on arrival, feeds the follower
on poll (through the arrival clock it is given), bounded, and checks the timeout."""
import pytest

from reverie.app.bench.clock_in import period_ns
from reverie.base.errors import UserError
from reverie.hal.midi.clock_in import MAX_PENDING, MidiClockInput
from reverie.sync.arrival_clock import ArrivalClock
from reverie.sync.clock_follower import CLOCK, START, TIMEOUT_NS, ClockFollower

T0 = 10**12


def grid(bpm: float, clocks: int, t0: float = T0) -> list[int]:
    return [int(t0 + k * period_ns(bpm)) for k in range(clocks)]


class FakeClock:
    def __init__(self):
        self.now = 0

    def __call__(self):
        return self.now


def test_input_queue_feeds_the_follower_on_poll_with_corrected_times():
    clock = FakeClock()
    follower = ClockFollower()
    clock_in = MidiClockInput(follower, api=0, virtual_port="in", clock_ns=clock,
                              arrivals=ArrivalClock())
    p = period_ns(120.0)
    clock.now = T0
    clock_in.on_message(([START], 0.0))
    for k in range(48):
        clock.now = int(T0 + 1e6 + k * p + (15e6 if k % 7 == 3 else 0))   # late callbacks
        clock_in.on_message(([CLOCK], 0.001 if k == 0 else p / 1e9))
    assert follower.stats["clocks"] == 0            # nothing happens until poll()
    assert clock_in.poll() == [("start", T0)]
    assert follower.tempo_bpm == pytest.approx(120.0, rel=1e-6)
    assert follower.stats["outliers"] == 0


def test_input_queue_is_bounded_and_counts_overflows():
    clock_in = MidiClockInput(ClockFollower(), api=0, virtual_port="in", max_pending=3,
                              clock_ns=FakeClock())
    for _ in range(5):
        clock_in.on_message(([CLOCK], 0.0))
    assert clock_in.overflows == 2
    clock_in.poll(0)
    assert clock_in.follower.stats["clocks"] == 3
    assert MAX_PENDING >= 24 * 5 * 10               # 10 s of clocks at 300 BPM


def test_input_poll_checks_the_timeout():
    clock = FakeClock()
    clock_in = MidiClockInput(ClockFollower(), api=0, port="x", clock_ns=clock)
    for k, t in enumerate(grid(120.0, 24)):
        clock.now = t
        clock_in.on_message(([CLOCK], 0.0 if k == 0 else period_ns(120.0) / 1e9))
    clock_in.poll()
    assert clock_in.follower.locked
    clock.now += TIMEOUT_NS + 1
    clock_in.poll()
    assert not clock_in.follower.locked


def test_input_needs_exactly_one_port_choice_and_closes_unopened():
    with pytest.raises(ValueError):
        MidiClockInput(ClockFollower(), api=0)
    with pytest.raises(ValueError):
        MidiClockInput(ClockFollower(), api=0, port="a", virtual_port="b")
    clock_in = MidiClockInput(ClockFollower(), api=0, port="a")
    clock_in.close()
    assert not clock_in.is_open


def test_an_unusable_midi_api_is_a_user_error():
    import rtmidi

    clock_in = MidiClockInput(ClockFollower(), api=rtmidi.API_RTMIDI_DUMMY, port="x")
    with pytest.raises(UserError):
        clock_in.open()
    assert not clock_in.is_open
