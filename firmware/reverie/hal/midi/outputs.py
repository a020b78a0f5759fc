"""The box's MIDI outputs, hot-plugged: every MIDI output port there is (a synth on USB, a
drum machine behind a MIDI interface, another program), except Reverie's own, opened when it
appears and closed when it goes, like the controllers' inputs (hal/controllers/manager.py).

Each port keeps its index for the run: the engine numbers MIDI ports, and a MIDI track or
the clock must not land on another device because one was unplugged. A port that comes
back (its name without the ALSA client and port numbers, which change on every plug) takes
its old index again; a new one gets the next. `on_change(ports, retire)` hands the new list
(None where a port has gone) and the ports to close to the MIDI scheduler, which closes
them itself once it no longer sends on them.

A scan thread reads the port list every `scan_interval_s` through one rtmidi client; the
first scan runs in `start()`, so the ports present at start are there from the first note.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

from reverie.base.errors import UserError
from reverie.hal.midi import ports as midi

log = logging.getLogger(__name__)

SCAN_INTERVAL_S = 0.5
_NUMBERS = re.compile(r"\s+\d+:\d+$")      # ALSA's "client:port" at the end of rtmidi's names


def stable_name(port: str) -> str:
    """A port's name without the numbers ALSA gives it anew on every plug."""
    return _NUMBERS.sub("", port)


class MidiOutputs:
    def __init__(self, api: str, on_change: Callable[[list, list], None],
                 scan_interval_s: float = SCAN_INTERVAL_S, own_names=("reverie",),
                 client_name: str = midi.DEFAULT_CLIENT):
        self.api = api
        self.on_change = on_change
        self.scan_interval_s = scan_interval_s
        self.own_names = tuple(n.lower() for n in own_names)
        self.client_name = client_name
        self.slots: list[str] = []              # the stable name of the port at each index
        self.ports: list = []                   # the open port at each index, None when gone
        self.revision = 0                       # +1 at every change of `ports`
        self._scanner = None
        self._failed: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> MidiOutputs:
        """Opens the ports there are now, then watches. UserError when the MIDI API is not
        there at all (the box plays on without MIDI out)."""
        midi_client, name = midi._client("MidiOut", self.api, f"{self.client_name}-outscan")
        self._scanner = (midi_client, name)
        self.scan()
        self._thread = threading.Thread(target=self._loop, name="midi-out-scan", daemon=True)
        self._thread.start()
        return self

    def names(self) -> list[str]:
        """The name at every index (a port that has gone keeps its name)."""
        return list(self.slots)

    def present(self) -> list[str]:
        return [p.name for p in self.ports if p is not None]

    def close(self) -> None:
        """Stops watching; the ports themselves are the scheduler's to close (`ports`)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._scanner is not None:
            self._scanner[0].delete()
            midi._release_name(self._scanner[1])
            self._scanner = None

    def _loop(self) -> None:
        rtmidi_error = midi._rtmidi().RtMidiError
        told = False
        while not self._stop.wait(self.scan_interval_s):
            try:
                self.scan()
            except (UserError, rtmidi_error) as exc:
                if not told:
                    told = True
                    log.warning("MIDI out: the port list failed, trying again: %s", exc)

    def _ours(self, port: str) -> bool:
        client = port.split(":", 1)[0].strip().lower()
        return any(client.startswith(name) for name in self.own_names)

    def scan(self) -> None:
        """One look at the ports: the gone are retired, the new opened."""
        there = [p for p in self._scanner[0].get_ports() if not self._ours(p)]
        by_stable = {stable_name(p): p for p in there}
        self._failed &= set(there)
        ports, retire = list(self.ports), []
        for k, port in enumerate(ports):
            if port is not None and port.name not in there:
                log.info("MIDI out: '%s' went away", port.name)
                retire.append(port)
                ports[k] = None
        slots = list(self.slots)
        for stable, name in by_stable.items():
            if any(p is not None and p.name == name for p in ports) or name in self._failed:
                continue
            port = self._open(name)
            if port is None:
                continue
            if stable in slots and ports[slots.index(stable)] is None:
                ports[slots.index(stable)] = port
            else:
                slots.append(stable)
                ports.append(port)
            log.info("MIDI out to '%s' (port %d)", name, ports.index(port))
        if retire or ports != self.ports:
            self.slots, self.ports = slots, ports
            self.revision += 1
            self.on_change(list(ports), retire)

    def _open(self, name: str):
        try:
            port = midi.open_output(name, self.api, self.client_name, "out")
        except UserError as exc:
            self._failed.add(name)
            log.warning("MIDI out: '%s' did not open, trying again when it comes back: %s", name, exc)
            return None
        if port.name != name:           # it vanished and a look-alike answered
            port.close()
            return None
        return port
