"""MIDI ports on real rtmidi JACK clients of a JACK dummy server, the fakes and the one-line
errors."""
import queue
import time

import pytest

from reverie.base.errors import UserError
from reverie.hal.midi import ports as midi

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
