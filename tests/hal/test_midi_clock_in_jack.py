"""MIDI clock in through a real MIDI system: JACK MIDI on a JACK dummy server.

A sender thread in this process sends START and clocks at 120 BPM (+-1 ms of jitter) for
2 s on an rtmidi JACK virtual output; `MidiClockInput` on the JACK API finds that port by a
part of its client's name, connects to it and feeds a `ClockFollower` (sync.clock_follower). JACK delivers MIDI
once per period (128 frames: 2.7 ms here), the arrival times carry that quantisation.
Live, `reverie bench midi-clock-in` measures errors of at most 0.11 %; the bound below is
five times that, for a shared and busy machine.
"""
import subprocess
import time

import pytest
import rtmidi

from reverie.app.bench.clock_in import ClockSender, period_ns
from reverie.base.errors import UserError
from reverie.hal.audio.jackd import JackServer
from reverie.hal.midi.clock_in import MidiClockInput
from reverie.sync.arrival_clock import ArrivalClock
from reverie.sync.clock_follower import ClockFollower

pytestmark = pytest.mark.jack            # every test here runs on a JACK dummy server

BPM = 120.0
CLOCKS = 96                     # 4 beats: 2 s
TEMPO_PCT = 0.5
PHASE_MS = 10.0                 # a clock is 20.8 ms: the position is right, latency is small


@pytest.fixture(scope="module")
def jack():
    with JackServer(period_frames=128) as server, server.as_default():
        yield server


@pytest.fixture
def clock_source(jack):
    name = jack.client_name("clock-src")
    midi_out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name=name)
    midi_out.open_virtual_port("clock out")
    yield name, midi_out
    midi_out.close_port()
    midi_out.delete()


def jack_ports(server) -> list[str]:
    done = subprocess.run(["jack_lsp", "-s", server.name], capture_output=True, text=True,
                          timeout=10, check=True)
    return done.stdout.split()


@pytest.mark.timing
@pytest.mark.timeout(60)
def test_follows_a_clock_sent_through_jack_midi(jack, clock_source):
    source, midi_out = clock_source
    events = []
    follower = ClockFollower(on_event=events.append)
    clock_in = MidiClockInput(follower, rtmidi.API_UNIX_JACK, port=source,
                              client_name=jack.client_name("clock-in"), arrivals=ArrivalClock())
    with clock_in:
        assert clock_in.open() is clock_in             # a second open() does nothing
        assert source in clock_in.port_name
        assert any(jack.client_name("clock-in") in p for p in jack_ports(jack))
        sender = ClockSender(midi_out, BPM, CLOCKS, seed=2)
        sender.start()
        deadline = time.monotonic() + 10.0
        while follower.stats["clocks"] < CLOCKS and time.monotonic() < deadline:
            time.sleep(0.005)
            clock_in.poll()
        sender.join(timeout=10.0)
        clock_in.poll()
    assert not clock_in.is_open
    assert not any(jack.client_name("clock-in") in p for p in jack_ports(jack))

    assert [e[0] for e in events] == ["start"]
    assert follower.stats["clocks"] == CLOCKS, follower.stats
    assert follower.stats["bad_input"] == 0 and clock_in.overflows == 0
    assert follower.locked
    assert follower.tempo_bpm == pytest.approx(BPM, rel=TEMPO_PCT / 100), follower.stats
    anchor = follower.anchor()
    assert anchor.clocks == CLOCKS - 1
    phase_ms = (anchor.t_ns - (sender.t0_ns + anchor.clocks * period_ns(BPM))) / 1e6
    assert abs(phase_ms) < PHASE_MS


@pytest.mark.timeout(60)
def test_a_port_that_is_not_there_is_a_user_error_naming_the_ports(jack, clock_source):
    source, _ = clock_source
    clock_in = MidiClockInput(ClockFollower(), rtmidi.API_UNIX_JACK, port="no such device",
                              client_name=jack.client_name("clock-in-missing"))
    with pytest.raises(UserError, match="no such device") as failure:
        clock_in.open()
    assert source in str(failure.value)
    assert not clock_in.is_open
    assert not any("clock-in-missing" in p for p in jack_ports(jack))


@pytest.mark.timeout(60)
def test_a_virtual_input_receives_what_is_sent_to_it(jack):
    follower = ClockFollower()
    name = jack.client_name("clock-in-virtual")
    with MidiClockInput(follower, rtmidi.API_UNIX_JACK, virtual_port="clock in",
                        client_name=name, arrivals=ArrivalClock()) as clock_in:
        midi_out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name=jack.client_name("clock-src-2"))
        try:
            ports = midi_out.get_ports()
            midi_out.open_port(next(i for i, p in enumerate(ports) if name in p))
            midi_out.send_message([0xF2, 0x10, 0x00])
            midi_out.send_message([0xFB])
            deadline = time.monotonic() + 5.0
            events = []
            while len(events) < 2 and time.monotonic() < deadline:
                time.sleep(0.005)
                events += clock_in.poll()
        finally:
            midi_out.close_port()
            midi_out.delete()
    assert [e[0] for e in events] == ["position", "continue"]
    assert events[0] == ("position", 16) and events[1][2] == 16.0
