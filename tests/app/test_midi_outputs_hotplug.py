"""MIDI outputs that come and go while the box plays: synths as rtmidi virtual inputs on a
JACK server, the engine's MIDI clock out running on the fallback clock. A synth plugged in
gets the clock within a scan, one unplugged is let go without a failure, one plugged back
keeps its port number, and the control thread hears of each change."""
import itertools
import os
import time

import pytest

from reverie.app.config import MidiConfig, SyncConfig
from reverie.app.sync_session import SyncSession
from reverie.hal.audio.clock import FallbackClock
from reverie.hal.audio.jackd import JackServer
from reverie.hal.audio.render_gate import RenderGate
from reverie.hal.midi.ports import open_virtual_input
from reverie.sound.buses import make_engine
from audio_helpers import wait_for

CLOCK = 0xF8
_n = itertools.count()


class Synth:
    """A synth's MIDI input: a JACK client of its own whose name is not Reverie's."""

    def __init__(self, name):
        self.clocks = 0
        self.port = open_virtual_input(self._arrived, "in", api="jack", client_name=name)

    def _arrived(self, data, t_ns):
        self.clocks += data[0] == CLOCK

    def unplug(self):
        self.port.close()


def synth_name(tag):
    return f"synth{os.getpid()}-{tag}-{next(_n)}"


@pytest.mark.jack
@pytest.mark.timeout(60, method="thread")
def test_midi_outputs_are_opened_as_they_come_and_let_go_as_they_go():
    engine = make_engine(48000)
    engine.seq_clock_out(True)
    engine.seq_play(0)
    gate = RenderGate(engine)
    clock = FallbackClock(gate.slot("fallback clock"), 128, 48000)
    gate.give(clock.slot)
    with JackServer(48000, 256) as server, server.as_default():
        first_name = synth_name("a")
        first = Synth(first_name)
        session = SyncSession(engine, MidiConfig(api="jack", clock_out=True), SyncConfig(), 48000, 128)
        changes = []
        session.on_ports = changes.append
        clock.start()
        session.start()
        try:
            # there at start: opened before the first note
            assert session.port_names() == [f"{first_name}:in"]
            assert wait_for(lambda: first.clocks > 10)
            session.poll()
            assert changes == [[f"{first_name}:in"]]
            # a second synth, plugged in while playing: the next index, within a scan
            second_name = synth_name("b")
            second = Synth(second_name)
            assert wait_for(lambda: second.clocks > 10, 3.0)
            assert session.port_names() == [f"{first_name}:in", f"{second_name}:in"]
            # the first unplugged: its index stays, empty, and nothing fails
            first.unplug()
            assert wait_for(lambda: session.ports[0] is None, 3.0)
            assert session.outputs.present() == [f"{second_name}:in"]
            sent = second.clocks
            assert wait_for(lambda: second.clocks > sent + 10)
            # plugged back in: the same index again
            again = Synth(first_name)
            assert wait_for(lambda: again.clocks > 10, 3.0)
            assert session.ports[0] is not None and session.ports[0].name == f"{first_name}:in"
            assert len(session.ports) == 2
            session.poll()
            assert changes[-1] == [f"{first_name}:in", f"{second_name}:in"]
            stats = session.scheduler.stats()
            assert stats["send_failures"] == 0 and stats["sent"] > 0
        finally:
            session.close()
            clock.stop()
            for synth in (first, second, again):
                if not synth.port.closed:
                    synth.unplug()
