"""MIDI ports: rtmidi on the ALSA sequencer (the normal API on a Pi) or on JACK, and fakes
that ship in the package. The frame-accurate JACK MIDI output is hal/midi/jack_frame.py.

Ports follow mido's template: the public `send()`/`close()` keep the state and check the
message; a backend implements `_send()`/`_close()`. Every rtmidi object is a client of its
own (an ALSA sequencer client or a JACK client), named from the `client_name` given, made
unique within this process (`reverie`, `reverie-2`, ...). Ports are found by a case-
insensitive part of their name. A missing port or an unusable API is a `UserError` with a
one-line message.
"""
from __future__ import annotations

import abc
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from reverie.base.errors import UserError

APIS = {"alsa": "API_LINUX_ALSA", "jack": "API_UNIX_JACK"}
API_HINTS = {
    "alsa": "is the ALSA sequencer there (/dev/snd/seq, kernel module snd-seq)? "
            "or set midi.api to \"jack\"",
    "jack": "is a JACK server running? start jackd, or set midi.api to \"alsa\"",
}
DEFAULT_CLIENT = "reverie"
ALSA_SEQUENCER = Path("/dev/snd/seq")

_names_lock = threading.Lock()
_names_in_use: set[str] = set()


def _rtmidi():
    try:
        import rtmidi
    except ImportError as exc:
        raise UserError(f"python-rtmidi is not installed ({exc}): run `make setup`") from exc
    return rtmidi


def _api_id(rtmidi, api: str) -> int:
    if api not in APIS:
        raise UserError(f"unknown MIDI API '{api}': set midi.api to one of {', '.join(APIS)}")
    api_id = getattr(rtmidi, APIS[api])
    if api_id not in rtmidi.get_compiled_api():
        raise UserError(f"this python-rtmidi was built without the {api} MIDI API: "
                        f"set midi.api to another of {', '.join(APIS)}")
    return api_id


def _claim_name(base: str) -> str:
    """`base`, or `base-2`, `base-3`... : a client name no other port of this process holds."""
    with _names_lock:
        name, n = base, 1
        while name in _names_in_use:
            n += 1
            name = f"{base}-{n}"
        _names_in_use.add(name)
        return name


def _release_name(name: str) -> None:
    with _names_lock:
        _names_in_use.discard(name)


def _client(kind: str, api: str, client_name: str):
    """A new rtmidi MidiOut/MidiIn on `api`, under a unique client name."""
    rtmidi = _rtmidi()
    api_id = _api_id(rtmidi, api)
    if api == "alsa" and not ALSA_SEQUENCER.exists():
        # said here, before libasound prints its own complaint over the simulator's screen
        raise UserError(f"the alsa MIDI API is not available (no {ALSA_SEQUENCER}): {API_HINTS[api]}")
    name = _claim_name(client_name)
    try:
        return getattr(rtmidi, kind)(api_id, name=name), name
    except rtmidi.RtMidiError as exc:
        _release_name(name)
        raise UserError(f"the {api} MIDI API is not available ({exc}): {API_HINTS[api]}") from exc


def _port_names(kind: str, api: str) -> list[str]:
    midi, name = _client(kind, api, f"{DEFAULT_CLIENT}-probe")
    try:
        return list(midi.get_ports())
    finally:
        midi.delete()
        _release_name(name)


def list_output_names(api: str = "alsa") -> list[str]:
    """The MIDI outputs the API can open (other programs' inputs, seen from here)."""
    return _port_names("MidiOut", api)


def list_input_names(api: str = "alsa") -> list[str]:
    return _port_names("MidiIn", api)


def find_port(query: str, names: list[str], kind: str = "output") -> int:
    """Index of the port whose name contains `query` (any case): an exact name first."""
    wanted = query.strip().lower()
    matches = [k for k, n in enumerate(names) if wanted in n.lower()]
    if not wanted or not matches:
        available = ", ".join(f"'{n}'" for n in names) or "none"
        raise UserError(f"no MIDI {kind} port matches '{query}' (available: {available}): "
                        "plug the device in, or name part of one of these ports")
    exact = [k for k in matches if names[k].lower() == wanted]
    return (exact or matches)[0]


def checked_message(data) -> bytes:
    data = bytes(data)
    if not data or data[0] < 0x80:
        raise ValueError(f"not a MIDI message (no status byte first): {data.hex(' ')!r}")
    return data


def _open(kind: str, api: str, client_name: str, make):
    """A new rtmidi client; `make(midi, client_name)` opens its port and returns the port
    object. The client is released again when that fails."""
    rtmidi = _rtmidi()
    midi, name = _client(kind, api, client_name)
    try:
        return make(midi, name)
    except BaseException as exc:
        midi.delete()
        _release_name(name)
        if isinstance(exc, rtmidi.RtMidiError):
            raise UserError(f"the {api} MIDI port did not open ({exc}): {API_HINTS[api]}") from exc
        raise


class _Port:
    """The life cycle both directions share: `close()` may be called any number of times."""

    def __init__(self, name: str):
        self.name = name
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()

    def _close(self) -> None:
        """Release the backend."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} '{self.name}'{' closed' if self._closed else ''}>"


# --- output ports ---------------------------------------------------------------------------

class OutputPort(_Port, abc.ABC):
    """Where MIDI messages go. `send(data)` sends one complete message now (bytes or a
    sequence of ints, status byte first)."""

    frame_accurate = False      # True: also takes `post(frame, data)`, see jack_frame.py

    def send(self, data) -> None:
        if self._closed:
            raise ValueError(f"send() on the closed MIDI port '{self.name}'")
        self._send(checked_message(data))

    @abc.abstractmethod
    def _send(self, data: bytes) -> None:
        """Send one checked message."""


class FakeOutput(OutputPort):
    """Keeps every message with the monotonic time its send() was called: (t_ns, bytes)."""

    def __init__(self, name: str = "fake"):
        super().__init__(name)
        self.messages: list[tuple[int, bytes]] = []

    def _send(self, data: bytes) -> None:
        self.messages.append((time.monotonic_ns(), data))

    @property
    def sent(self) -> list[bytes]:
        return [data for _, data in self.messages]


class RtMidiOutput(OutputPort):
    """An rtmidi output: connected to another program's input, or a virtual port."""

    def __init__(self, midi, client_name: str, name: str):
        super().__init__(name)
        self.client_name = client_name
        self._midi = midi

    def _send(self, data: bytes) -> None:
        self._midi.send_message(data)

    def _close(self) -> None:
        try:
            self._midi.close_port()
            self._midi.delete()     # the client itself, now rather than at garbage collection
        finally:
            _release_name(self.client_name)


def open_output(query: str, api: str = "alsa", client_name: str = DEFAULT_CLIENT,
                port_name: str = "out") -> RtMidiOutput:
    """An output connected to the port whose name contains `query`."""
    def make(midi, name):
        names = midi.get_ports()
        index = find_port(query, names, "output")
        midi.open_port(index, port_name)
        return RtMidiOutput(midi, name, names[index])
    return _open("MidiOut", api, client_name, make)


def open_virtual_output(port_name: str = "out", api: str = "alsa",
                        client_name: str = DEFAULT_CLIENT) -> RtMidiOutput:
    """A port of our own that other programs connect to ("client:port")."""
    def make(midi, name):
        midi.open_virtual_port(port_name)
        return RtMidiOutput(midi, name, f"{name}:{port_name}")
    return _open("MidiOut", api, client_name, make)


# --- input ports ----------------------------------------------------------------------------

Receiver = Callable[[bytes, int], None]     # (message, time.monotonic_ns() on arrival)


class InputPort(_Port):
    """Calls `callback(data, t_ns)` for every message, stamped on arrival, from the
    backend's thread: the callback should only enqueue."""

    def __init__(self, name: str, callback: Receiver):
        super().__init__(name)
        self.callback = callback


class FakeInput(InputPort):
    def feed(self, data, t_ns: int | None = None) -> None:
        if not self._closed:
            self.callback(checked_message(data), time.monotonic_ns() if t_ns is None else t_ns)


class RtMidiInput(InputPort):
    def __init__(self, midi, client_name: str, name: str, callback: Receiver):
        super().__init__(name, callback)
        self.client_name = client_name
        self._midi = midi
        midi.ignore_types(sysex=False, timing=False, active_sense=True)
        midi.set_callback(self._arrived)

    def _arrived(self, event, _data) -> None:
        t_ns = time.monotonic_ns()
        self.callback(bytes(event[0]), t_ns)

    def _close(self) -> None:
        try:
            self._midi.cancel_callback()
            self._midi.close_port()
            self._midi.delete()
        finally:
            _release_name(self.client_name)


def open_input(query: str, callback: Receiver, api: str = "alsa",
               client_name: str = DEFAULT_CLIENT, port_name: str = "in") -> RtMidiInput:
    """An input connected to the output port whose name contains `query`."""
    def make(midi, name):
        names = midi.get_ports()
        index = find_port(query, names, "input")
        port = RtMidiInput(midi, name, names[index], callback)
        midi.open_port(index, port_name)
        return port
    return _open("MidiIn", api, client_name, make)


def open_virtual_input(callback: Receiver, port_name: str = "in", api: str = "alsa",
                       client_name: str = DEFAULT_CLIENT) -> RtMidiInput:
    def make(midi, name):
        port = RtMidiInput(midi, name, f"{name}:{port_name}", callback)
        midi.open_virtual_port(port_name)
        return port
    return _open("MidiIn", api, client_name, make)


def close_all(ports: Iterable[OutputPort | InputPort]) -> None:
    """Closes every port, even when one fails to close; the first error is raised after."""
    first = None
    for port in ports:
        try:
            port.close()
        except Exception as exc:     # noqa: BLE001  (re-raised below)
            first = first or exc
    if first is not None:
        raise first
