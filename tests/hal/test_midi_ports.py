"""MIDI ports on real rtmidi JACK clients of a JACK dummy server, the fakes, the one-line
errors, and the frame-accurate JACK output (tools/jack_midi_clock.c) against a JACK client
that stamps what arrives with its frame."""
import queue
import subprocess
import threading
import time
from pathlib import Path

import pytest

from reverie.base.errors import UserError
from reverie.hal.midi import ports as midi

REPO = Path(__file__).resolve().parents[2]
NOTE_ON, CLOCK, SONG_POSITION = bytes([0x90, 60, 100]), bytes([0xF8]), bytes([0xF2, 0x10, 0x02])
ARRIVAL_TIMEOUT_S = 5.0


@pytest.fixture(scope="module")
def server():
    """A JACK dummy server that rtmidi's JACK clients of this process open (the default)."""
    from reverie.hal.audio.jackd import JackServer

    with JackServer(sample_rate_hz=48000, period_frames=256) as jack_server, jack_server.as_default():
        yield jack_server


class Inbox:
    """An input callback: what arrives, in order."""

    def __init__(self):
        self.messages = queue.Queue()

    def __call__(self, data, t_ns):
        self.messages.put((data, t_ns))

    def take(self, count):
        return [self.messages.get(timeout=ARRIVAL_TIMEOUT_S) for _ in range(count)]


def one_line(exc_info) -> str:
    text = str(exc_info.value)
    assert "\n" not in text and text, text
    return text


@pytest.mark.timing
@pytest.mark.jack
@pytest.mark.timeout(60)
def test_a_virtual_output_reaches_an_input_opened_by_name(server):
    inbox = Inbox()
    with midi.open_virtual_output("clock", api="jack", client_name=server.client_name("out")) as out:
        assert out.name in midi.list_input_names("jack")
        query = out.name.split(":")[0].upper()       # any case, any part of the name
        with midi.open_input(query, inbox, api="jack", client_name=server.client_name("in")) as port:
            assert port.name == out.name
            time.sleep(0.2)                          # JACK makes the connection at a cycle
            before = time.monotonic_ns()
            for message in (NOTE_ON, CLOCK, SONG_POSITION, [0xB0, 7, 64]):
                out.send(message)
            received = inbox.take(4)
    assert [data for data, _ in received] == [NOTE_ON, CLOCK, SONG_POSITION, bytes([0xB0, 7, 64])]
    assert all(isinstance(data, bytes) for data, _ in received)
    assert all(before <= t_ns <= time.monotonic_ns() for _, t_ns in received)


@pytest.mark.timing
@pytest.mark.jack
@pytest.mark.timeout(60)
def test_an_output_opened_by_name_reaches_a_virtual_input(server):
    inbox = Inbox()
    with midi.open_virtual_input(inbox, "in", api="jack", client_name=server.client_name("sink")) as sink:
        assert sink.name in midi.list_output_names("jack")
        with midi.open_output("sink:in", api="jack", client_name=server.client_name("src")) as out:
            assert out.name == sink.name
            time.sleep(0.2)
            out.send(NOTE_ON)
            assert inbox.take(1)[0][0] == NOTE_ON


@pytest.mark.jack
@pytest.mark.timeout(60)
def test_client_names_are_unique_in_the_process_and_free_again_after_close(server):
    base = server.client_name("twin")
    first = midi.open_virtual_output("out", api="jack", client_name=base)
    second = midi.open_virtual_output("out", api="jack", client_name=base)
    try:
        assert (first.client_name, second.client_name) == (base, f"{base}-2")
        names = midi.list_input_names("jack")
        assert f"{base}:out" in names and f"{base}-2:out" in names
    finally:
        midi.close_all([first, second])
    third = midi.open_virtual_output("out", api="jack", client_name=base)
    with third:
        assert third.client_name == base


@pytest.mark.jack
@pytest.mark.timeout(60)
def test_a_missing_port_is_a_one_line_user_error_that_lists_the_ports(server):
    with midi.open_virtual_input(Inbox(), "here", api="jack",
                                 client_name=server.client_name("lister")) as there:
        with pytest.raises(UserError) as exc_info:
            midi.open_output("no such synth", api="jack", client_name=server.client_name("x"))
        text = one_line(exc_info)
        assert "no such synth" in text and there.name in text
    with pytest.raises(UserError) as exc_info:
        midi.open_input("no such keyboard", Inbox(), api="jack", client_name=server.client_name("y"))
    assert "no such keyboard" in one_line(exc_info)


@pytest.mark.timeout(60)
def test_an_unusable_api_is_a_one_line_user_error(monkeypatch):
    monkeypatch.setenv("JACK_DEFAULT_SERVER", "reverie-no-such-server")
    with pytest.raises(UserError) as exc_info:
        midi.open_virtual_output("out", api="jack", client_name="reverie-test-nojack")
    assert "jack" in one_line(exc_info).lower()
    with pytest.raises(UserError) as exc_info:
        midi.list_output_names("coremidi")
    assert "alsa" in one_line(exc_info)


def test_ports_check_messages_and_their_state():
    port = midi.FakeOutput("fake")
    port.send(NOTE_ON)
    port.send([0xF8])
    with pytest.raises(ValueError):
        port.send(bytes([60, 100]))             # no status byte
    with pytest.raises(ValueError):
        port.send(b"")
    port.close()
    port.close()                                # any number of times
    with pytest.raises(ValueError, match="closed"):
        port.send(CLOCK)
    assert port.sent == [NOTE_ON, CLOCK]
    assert port.messages[0][0] <= port.messages[1][0]


def test_fake_input_stamps_and_stops_after_close():
    inbox = Inbox()
    port = midi.FakeInput("fake", inbox)
    port.feed([0xFA], t_ns=123)
    port.feed(CLOCK)
    port.close()
    port.feed(CLOCK)
    assert [d for d, _ in inbox.take(2)] == [bytes([0xFA]), CLOCK]
    assert inbox.messages.empty()


def test_find_port_prefers_an_exact_name():
    names = ["Launchpad Mini MIDI 1", "Launchpad", "launchpad pro"]
    assert midi.find_port("launchpad", names) == 1
    assert midi.find_port("PRO", names) == 2


# --- the frame-accurate JACK output -------------------------------------------------------------

@pytest.fixture(scope="module")
def frame_library(tmp_path_factory):
    """tools/jack_midi_clock.c built with the Makefile's command, into a temporary folder."""
    library = tmp_path_factory.mktemp("lib") / midi.JACK_MIDI_LIBRARY
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
    port = midi.JackFrameOutput(server.client_name("framed"), "clock", library=frame_library)
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
    with midi.JackFrameOutput(server.client_name("late"), "out", library=frame_library) as port:
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
        midi.JackFrameOutput("reverie-test-nolib", library=tmp_path / "missing.so")
    one_line(exc_info)
    monkeypatch.setenv("JACK_DEFAULT_SERVER", "reverie-no-such-server")
    with pytest.raises(UserError, match="JACK") as exc_info:
        midi.JackFrameOutput("reverie-test-noserver", library=frame_library)
    one_line(exc_info)
