"""MIDI clock in: the rtmidi input that stamps MIDI clock, start, stop, continue and song
position messages on arrival and feeds them to a clock follower. The follower and the
arrival-time correction are pure and live in reverie.sync (clock_follower, arrival_clock);
the app wires them to this input. docs/sync.md explains the figures.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Protocol

from reverie.base.errors import UserError

MAX_PENDING = 4096                      # messages queued between two polls (34 s at 300 BPM)


class ClockSink(Protocol):
    """What the input feeds (reverie.sync.clock_follower.ClockFollower)."""

    def feed_message(self, message, t_ns: int) -> list[tuple]: ...

    def check(self, now_ns: int) -> None: ...


class ArrivalTimes(Protocol):
    """Takes the callback's delay out of a stamp (reverie.sync.arrival_clock.ArrivalClock)."""

    def arrival_ns(self, stamp_ns: int, delta_s: float) -> int: ...


class MidiClockInput:
    """A MIDI input port feeding a clock follower. The rtmidi callback runs on rtmidi's
    thread (JACK's process thread with the JACK API): it only stamps the message with
    `clock_ns` and queues it; `poll()` on the control thread takes the delay out of the
    stamps (through `arrivals`) and feeds the follower.

    `api` is an rtmidi API constant (`rtmidi.API_LINUX_ALSA` on the box,
    `rtmidi.API_UNIX_JACK` with a JACK server). `port` picks the first input port whose
    name contains it (case-insensitive); `virtual_port` instead opens a port of that name
    for others to connect to. No message type is filtered out by rtmidi: every delta time
    then spans exactly the gap since the message before. Without `arrivals` the stamps go
    to the follower as they are."""

    def __init__(self, follower: ClockSink, api: int, port: str | None = None,
                 virtual_port: str | None = None, client_name: str = "reverie clock in",
                 arrivals: ArrivalTimes | None = None, max_pending: int = MAX_PENDING,
                 clock_ns=time.monotonic_ns):
        if (port is None) == (virtual_port is None):
            raise ValueError("give either port or virtual_port")
        self.follower = follower
        self.api = api
        self.port = port
        self.virtual_port = virtual_port
        self.client_name = client_name
        self.max_pending = max_pending
        self.port_name: str | None = None
        self.overflows = 0
        self._clock_ns = clock_ns
        self._arrivals = arrivals
        self._pending: deque = deque()
        self._midi_in = None

    def open(self) -> MidiClockInput:
        """Opens the client and the port (a second call does nothing)."""
        if self._midi_in is not None:
            return self
        import rtmidi   # the backend library, only where it is used

        try:
            midi_in = rtmidi.MidiIn(self.api, name=self.client_name)
        except rtmidi.RtMidiError as exc:
            raise UserError(f"cannot open the MIDI system for clock input: {exc}") from exc
        try:
            midi_in.ignore_types(sysex=False, timing=False, active_sense=False)
            midi_in.set_callback(self.on_message)
            if self.virtual_port is not None:
                midi_in.open_virtual_port(self.virtual_port)
                self.port_name = self.virtual_port
            else:
                self.port_name = self._open_matching(midi_in)
        except rtmidi.RtMidiError as exc:
            midi_in.delete()
            raise UserError(f"cannot open the MIDI clock input port: {exc}") from exc
        except UserError:
            midi_in.delete()
            raise
        self._midi_in = midi_in
        return self

    def _open_matching(self, midi_in) -> str:
        names = midi_in.get_ports()
        for i, name in enumerate(names):
            if self.port.lower() in name.lower():
                midi_in.open_port(i)
                return name
        raise UserError(f"no MIDI input port name contains {self.port!r} "
                        f"(ports: {', '.join(names) or 'none'}); check the clock source")

    def on_message(self, event, _data=None) -> None:
        """rtmidi's callback: `event` is (message bytes, seconds since the previous one)."""
        stamp_ns = self._clock_ns()
        if len(self._pending) >= self.max_pending:
            self.overflows += 1
            return
        self._pending.append((stamp_ns, event))

    def poll(self, now_ns: int | None = None) -> list[tuple]:
        """Feeds the queued messages to the follower and checks its timeout; returns the
        transport events."""
        events = []
        while self._pending:
            stamp_ns, (message, delta_s) = self._pending.popleft()
            if self._arrivals is not None:
                stamp_ns = self._arrivals.arrival_ns(stamp_ns, delta_s)
            events += self.follower.feed_message(message, stamp_ns)
        self.follower.check(self._clock_ns() if now_ns is None else now_ns)
        return events

    @property
    def is_open(self) -> bool:
        return self._midi_in is not None

    def close(self) -> None:
        """Stops the callback, closes the port and the client. Safe to call more than once."""
        midi_in, self._midi_in = self._midi_in, None
        if midi_in is None:
            return
        midi_in.cancel_callback()
        midi_in.close_port()
        midi_in.delete()

    def __enter__(self) -> MidiClockInput:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()
