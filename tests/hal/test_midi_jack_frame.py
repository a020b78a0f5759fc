"""The frame-accurate JACK MIDI output (tools/jack_midi_clock.c) against a JACK client that
stamps what arrives with its frame, on a JACK dummy server."""
import subprocess
import threading
import time
from pathlib import Path

import pytest

from reverie.base.errors import UserError
from reverie.hal.midi.jack_frame import JACK_MIDI_LIBRARY, JackFrameOutput

REPO = Path(__file__).resolve().parents[2]
NOTE_ON, CLOCK = bytes([0x90, 60, 100]), bytes([0xF8])
ARRIVAL_TIMEOUT_S = 5.0


@pytest.fixture(scope="module")
def server():
    """A JACK dummy server (48 kHz, 256-frame periods) the frame port's client opens."""
    from reverie.hal.audio.jackd import JackServer

    with JackServer(sample_rate_hz=48000, period_frames=256) as jack_server, jack_server.as_default():
        yield jack_server


def one_line(exc_info) -> str:
    text = str(exc_info.value)
    assert "\n" not in text and text, text
    return text


@pytest.fixture(scope="module")
def frame_library(tmp_path_factory):
    """tools/jack_midi_clock.c built with the Makefile's command, into a temporary folder."""
    library = tmp_path_factory.mktemp("lib") / JACK_MIDI_LIBRARY
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(library),
                    str(REPO / "tools" / "jack_midi_clock.c"), "-ljack"],
                   check=True, capture_output=True, timeout=60)
    return library


class FrameStamper:
    """A JACK client in this process with a MIDI input: (JACK frame, bytes) of what arrives."""

    def __init__(self, server):
        import jack

        self.client = jack.Client(server.client_name("stamper"), servername=server.name,
                                  no_start_server=True)
        self.port = self.client.midi_inports.register("in")
        self.events = []
        self.arrived = threading.Event()
        self.client.set_process_callback(self._process)
        self.client.activate()

    def _process(self, _frames):
        start = self.client.last_frame_time
        for offset, data in self.port.incoming_midi_events():
            self.events.append((start + offset, bytes(data)))
            self.arrived.set()

    def wait(self, count):
        deadline = time.monotonic() + ARRIVAL_TIMEOUT_S
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.events)

    def close(self):
        self.client.deactivate()
        self.client.close()


@pytest.mark.timing
@pytest.mark.jack
@pytest.mark.timeout(60)
def test_the_frame_port_puts_each_message_on_its_exact_frame(server, frame_library):
    stamper = FrameStamper(server)
    port = JackFrameOutput(server.client_name("framed"), "clock", library=frame_library)
    try:
        port.connect(stamper.port.name)
        assert port.sample_rate_hz == 48000 and port.period_frames == 256
        while port.cycle() is None:
            time.sleep(0.01)
        frame, t_ns = port.cycle()
        port.on_anchor(frame, t_ns)             # JACK's own frames stand in for the engine's
        assert port.offset_frames == 0
        start = frame + 48000 // 5              # 200 ms ahead: the connection is made by then
        wanted = [(start + k * 1000 + k % 7, CLOCK) for k in range(10)]
        wanted.insert(3, (wanted[2][0], NOTE_ON))   # two messages on one frame keep their order
        for f, data in wanted:
            assert port.post(f, data)
        received = stamper.wait(len(wanted))
        stats = port.stats()
    finally:
        port.close()
        stamper.close()
    assert received == wanted
    assert stats["written"] == len(wanted) and stats["late"] == 0 and stats["dropped"] == 0
    assert port.stats()["written"] == len(wanted)     # the last figures outlive the port


@pytest.mark.timing
@pytest.mark.jack
@pytest.mark.timeout(60)
def test_the_frame_port_sends_late_messages_at_once_and_counts_them(server, frame_library):
    stamper = FrameStamper(server)
    with JackFrameOutput(server.client_name("late"), "out", library=frame_library) as port:
        assert not port.post(0, CLOCK)          # no anchor yet: the frames mean nothing
        port.connect(stamper.port.name)
        while port.cycle() is None:
            time.sleep(0.01)
        time.sleep(0.2)
        port.on_anchor(*port.cycle())
        now = port.cycle()[0]
        assert port.post(now - 4800, CLOCK)     # 100 ms ago
        received = stamper.wait(1)
        stats = port.stats()
        with pytest.raises(ValueError):
            port.post(now, bytes([0xF0, 1, 2, 3, 0xF7]))   # 1..4 bytes only
        with pytest.raises(UserError) as exc_info:
            port.connect("nobody:nothing")
        one_line(exc_info)
    stamper.close()
    assert received and received[0][1] == CLOCK and received[0][0] >= now
    assert stats["late"] == 1 and stats["late_max_frames"] >= 4800
    assert stats["unsynced"] == 1


@pytest.mark.timeout(60)
def test_the_frame_port_without_its_library_or_server_says_what_to_do(tmp_path, frame_library,
                                                                      monkeypatch):
    with pytest.raises(UserError, match="make build") as exc_info:
        JackFrameOutput("reverie-test-nolib", library=tmp_path / "missing.so")
    one_line(exc_info)
    monkeypatch.setenv("JACK_DEFAULT_SERVER", "reverie-no-such-server")
    with pytest.raises(UserError, match="JACK") as exc_info:
        JackFrameOutput("reverie-test-noserver", library=frame_library)
    one_line(exc_info)
