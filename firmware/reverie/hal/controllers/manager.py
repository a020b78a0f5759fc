"""USB MIDI controllers, hot-plugged: every MIDI input port that appears is matched to a
profile, opened and translated into input events; a port that goes away is closed.

Threads: a scan thread lists the input ports every `scan_interval_s` through one rtmidi
client and opens and closes ports; each port's rtmidi callback only stamps the message and
puts it in the inbox (design §3); a dispatcher thread translates what is in the inbox and
calls `emit(event)`. When the app is behind (its bounded queue is full: `emit` returns False,
or blocks), messages wait in the inbox, where control changes coalesce: a CC keeps one place per
(device, channel, controller) holding its latest value. Other messages (notes) are kept up to
`max_pending`, then dropped and counted. So a flood of MIDI never grows memory without bound
and the last position of every knob wins.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass

from reverie.base import events
from reverie.base.errors import UserError
from reverie.base.supervise import SupervisedThread
from reverie.hal.midi import ports as midi
from reverie.hal.controllers.grid import OFF_CELLS, GridLeds, check_cells
from reverie.hal.controllers.inbox import Inbox
from reverie.hal.controllers.profiles import Profile, Profiles
from reverie.hal.controllers.translate import Translator
from reverie.hal.controllers.learn import LearnMap, device_name

log = logging.getLogger(__name__)
MAX_PENDING = 1024
JACK_DRAIN_S = 0.05       # two periods of 1024 frames at 48 kHz
RETRY_S = 0.002           # the control thread drains its queue every 5 ms
_COUNTS = ("events", "ignored", "unmapped", "malformed", "emitted", "refused", "emit_errors")


@dataclass(frozen=True)
class ControllerInfo:
    name: str         # the port name without the MIDI system's numbers
    port: str
    profile: str
    grid: bool        # its LEDs show the step grid


class _Connection:
    def __init__(self, port: str, profile: Profile, translator: Translator):
        self.port = port
        self.device = device_name(port)
        self.profile = profile
        self.translator = translator
        self.input: midi.RtMidiInput | None = None
        self.output: midi.RtMidiOutput | None = None
        self.leds: GridLeds | None = None
        self.grid_failed = False
        self.opened_t = 0.0
        self.announced = False

    def info(self) -> ControllerInfo:
        return ControllerInfo(self.device, self.port, self.profile.name, self.leds is not None)


class ControllerManager:
    """`api` is `MidiConfig.api` ("alsa" or "jack"); `emit(event)` is the app's thread-safe
    enqueue: False from it means "full, not taken" and the event is offered again (it may
    also block); the inbox coalesces meanwhile. `own_names` are the client names of
    this program's ports, left alone; the manager's own clients are named after the first."""

    def __init__(self, api: str, emit, profiles: Profiles, learn: LearnMap | None = None,
                 scan_interval_s: float = 0.25, own_names=("reverie",),
                 max_pending: int = MAX_PENDING):
        self.api = api
        self.emit = emit
        self.profiles = profiles
        self.learn = learn if learn is not None else LearnMap()
        self.scan_interval_s = scan_interval_s
        self.own_names = tuple(n.lower() for n in own_names)
        self.client_name = f"{own_names[0]}-ctl"
        self.learning = False
        self.inbox = Inbox(max_pending)
        self.counts: Counter = Counter()      # translation counts, from the dispatcher
        self._logged: set[str] = set()        # problems logged once
        self._lock = threading.Lock()         # connections and grid cells
        self._connections: dict[str, _Connection] = {}
        self._cells = OFF_CELLS
        self._failed: set[str] = set()        # ports that failed to open: logged once
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._scanners: dict[str, tuple] = {}

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> ControllerManager:
        """Opens the port-listing client (a UserError when the MIDI API is unusable) and
        starts the threads; the first scan happens at once."""
        if self._threads:
            return self
        self._scanner("MidiIn")
        for target, name in ((self._dispatch_loop, "controllers-dispatch"),
                             (self._scan_loop, "controllers-scan")):
            thread = SupervisedThread(target, name, self._stop)    # a bug: logged, restarted
            thread.start()
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Stops scanning, leaves programmer mode on grids, closes every port, joins."""
        self._stop.set()
        for thread in self._threads[1:]:
            thread.join()
        with self._lock:
            connections, self._connections = list(self._connections.values()), {}
            for conn in connections:
                if conn.leds is not None:
                    self._send_leds(conn, GridLeds.disconnect)
        if self.api == "jack" and any(c.leds is not None for c in connections):
            # rtmidi's JACK output sends at the next period, and any client closing before
            # the grid has read its last messages garbles them.
            time.sleep(JACK_DRAIN_S)
        for conn in connections:
            self._close(conn, gone=False)
        self.inbox.close()
        if self._threads:
            self._threads[0].join(timeout=5.0)
        self._threads = []
        for client, name in self._scanners.values():
            client.delete()
            midi._release_name(name)
        self._scanners = {}

    def __enter__(self) -> ControllerManager:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # --- for the app ----------------------------------------------------------------------------

    def devices(self) -> list[ControllerInfo]:
        with self._lock:
            return sorted((c.info() for c in self._connections.values()), key=lambda i: i.port)

    def set_grid(self, cells) -> None:
        """Shows `cells` (see reverie.hal.controllers.grid) on every grid controller, now and after any
        (re)connect. A ValueError for cells that are not 8 x 8 known states."""
        rows = check_cells(cells)
        with self._lock:
            self._cells = rows
            for conn in self._connections.values():
                if conn.leds is not None:
                    self._send_leds(conn, lambda leds: leds.show(rows))

    def set_learning(self, on: bool) -> None:
        """While on, knobs and learned knobs arrive as events.Control, for MIDI learn."""
        self.learning = bool(on)

    def stats(self) -> dict:
        """received, coalesced, dropped, system (sysex and real time, left out), pending and
        pending_high_water (the inbox); events, ignored, unmapped, malformed (translation);
        emitted, refused (emit returned False: offered again), emit_errors."""
        return {**self.inbox.stats(), **{k: self.counts[k] for k in _COUNTS}}

    # --- the scan thread ----------------------------------------------------------------------

    def _scanner(self, kind: str):
        if kind not in self._scanners:
            self._scanners[kind] = midi._client(kind, self.api, f"{self.client_name}-scan")
        return self._scanners[kind][0]

    def _ours(self, port: str) -> bool:
        client = port.split(":", 1)[0].strip().lower()
        return any(client.startswith(name) for name in self.own_names)

    def _scan_loop(self) -> None:
        rtmidi_error = midi._rtmidi().RtMidiError
        while not self._stop.is_set():
            try:
                self._scan()
            except (UserError, rtmidi_error) as exc:
                if "scan" not in self._logged:
                    self._logged.add("scan")
                    log.warning("MIDI controllers: the port list failed, trying again: %s", exc)
            self._stop.wait(self.scan_interval_s)

    def _scan(self) -> None:
        """One look at the ports: close the vanished, open the new."""
        ports = [p for p in self._scanner("MidiIn").get_ports() if not self._ours(p)]
        self._failed &= set(ports)
        with self._lock:
            gone = [c for p, c in self._connections.items() if p not in ports]
            for conn in gone:
                del self._connections[conn.port]
            waiting = [c for c in self._connections.values()
                       if c.profile.grid is not None and c.leds is None]
        for conn in gone:
            self._close(conn, gone=True)
        for conn in waiting:
            self._attach_grid(conn)
        for port in ports:
            profile = self.profiles.match(port)
            if profile is not None and port not in self._connections and not self._stop.is_set():
                self._open(port, profile)

    def _open(self, port: str, profile: Profile) -> None:
        translator = Translator(profile, device_name(port), self.learn)
        translator.counts = self.counts
        conn = _Connection(port, profile, translator)
        try:
            conn.input = midi.open_input(port, lambda data, t_ns: self.inbox.put(conn, data, t_ns),
                                         self.api, self.client_name, "in")
            if conn.input.name != port:         # it vanished and a look-alike answered
                conn.input.close()
                raise UserError(f"no MIDI input port '{port}' any more")
        except UserError as exc:
            if port not in self._failed:
                self._failed.add(port)
                log.warning("MIDI controller '%s' did not open, trying again: %s", port, exc)
            return
        conn.opened_t = time.monotonic()
        self._failed.discard(port)
        log.info("MIDI controller '%s' connected as %s", port, profile.name)
        with self._lock:
            self._connections[port] = conn
        self.inbox.put_event(conn)              # Device(present), unless a message came first
        if profile.grid is not None:
            self._attach_grid(conn)

    def _attach_grid(self, conn: _Connection) -> None:
        """Opens the grid's output (its LEDs), enters programmer mode, lights the cells."""
        outputs = [p for p in self._scanner("MidiOut").get_ports()
                   if not self._ours(p) and self.profiles.match(p) is conn.profile]
        try:
            if not outputs:
                raise UserError("no output port for its LEDs")
            name = max(outputs, key=lambda p: (p == conn.port, _common_prefix(p, conn.port)))
            output = midi.open_output(name, self.api, self.client_name, "out")
        except UserError as exc:
            if not conn.grid_failed:
                conn.grid_failed = True
                log.warning("MIDI controller '%s': no LEDs yet, trying again: %s", conn.port, exc)
            return
        with self._lock:
            if self._connections.get(conn.port) is not conn:
                output.close()
                return
            conn.output, conn.leds = output, GridLeds(output.send, conn.profile)
            cells = self._cells
            self._send_leds(conn, lambda leds: leds.connect(cells))

    def _send_leds(self, conn: _Connection, action) -> None:
        try:
            action(conn.leds)
        except (ValueError, OSError) as exc:     # the port closed under us
            log.warning("MIDI controller '%s': LEDs not sent: %s", conn.port, exc)

    def _close(self, conn: _Connection, gone: bool) -> None:
        midi.close_all([p for p in (conn.output, conn.input) if p is not None])
        if gone:
            log.info("MIDI controller '%s' went away", conn.port)
            self.inbox.put_event(events.Device(conn.device, conn.profile.name, False,
                                               time.monotonic()))

    # --- the dispatcher thread ------------------------------------------------------------------

    def _dispatch_loop(self) -> None:
        while (item := self.inbox.take()) is not None:
            conn, payload, t_ns = item
            if conn is None and not isinstance(payload, _Connection):
                self._emit(payload)
                continue
            conn = conn or payload
            if not conn.announced:              # its first message may come before the news
                conn.announced = True
                self._emit(events.Device(conn.device, conn.profile.name, True, conn.opened_t))
            if payload is conn:
                continue
            event = conn.translator(payload, t_ns / 1e9, self.learning)
            if event is not None:
                self._emit(event)
            if self.counts["malformed"]:
                self._log_once("malformed", "MIDI controller '%s' sent a malformed message "
                               "(%s): dropped, as are any more (counted)", conn.port, payload.hex(" "))
            if self.inbox.counts["dropped"]:
                self._log_once("dropped", "MIDI controllers send faster than the app takes their "
                               "notes: %d pending, more are dropped (counted)", self.inbox.max_pending)

    def _log_once(self, what: str, message: str, *args) -> None:
        if what not in self._logged:
            self._logged.add(what)
            log.warning(message, *args)

    def _emit(self, event) -> None:
        """Hands `event` to the app; while `emit` returns False (its queue is full) tries
        again every RETRY_S, and what arrives meanwhile waits in the inbox, coalescing."""
        while True:
            try:
                accepted = self.emit(event)
            except Exception:      # noqa: BLE001  (the app's bug must not stop every controller)
                self.counts["emit_errors"] += 1
                if "emit" not in self._logged:
                    self._logged.add("emit")
                    log.exception("emit() failed for %r; further failures are only counted", event)
                return
            if accepted is not False:
                self.counts["emitted"] += 1
                return
            self.counts["refused"] += 1
            if self._stop.wait(RETRY_S):
                return


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n].lower() == b[n].lower():
        n += 1
    return n
