"""MIDI out scheduled from the sample clock (design §4): clock and MIDI-track messages leave
at the monotonic time their engine frame is heard, not when a timer happens to fire.

`MidiScheduler` is a thread. It polls a source of `(frame, port, bytes)` events (the
engine's `poll_midi`) and of anchors (`clock_anchor`) that feed a `FrameClock`, keeps the
events in a bounded queue in frame order, and for each one sleeps until its time with the
GIL released (`clock_nanosleep` on an absolute deadline) and calls each port's `send()`.
It never busy-waits: a thread at real-time priority that spins holding the GIL starves
every other Python thread. For every send it records the error against the ideal time.
Frame-accurate ports (`OutputPort.frame_accurate`) get the event with its frame as soon as
it is polled and place it themselves.

An event whose time passed more than `late_ns` ago is sent at once and counted late. A full
queue drops new events and counts them. `stop()` ends the thread within a poll interval;
events still queued are counted as unsent. A failure (a source or clock that raises) is
logged, drops the queue (counted as unsent) and the thread starts again (base/supervise.py).

Ports come and go while it runs (`set_ports`): a port keeps its index, a slot whose port has
gone is None and its messages are counted `unplugged`. The thread takes a new list at its
next step and closes the ports it was told to retire itself, so no port is closed while
it sends on it.
"""
from __future__ import annotations

import ctypes
import heapq
import itertools
import logging
import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence

from reverie.base.supervise import SupervisedThread
from reverie.core.defs import SIZES
from reverie.sync.frameclock import FrameClock

log = logging.getLogger(__name__)

ALL_PORTS = SIZES["ALL_PORTS"]  # the engine's port index for "every output port"
Event = tuple[int, int, bytes]  # (engine frame, port index, message)
Source = Callable[[], Iterable[Event]]
Anchor = Callable[[], "tuple[int, int] | None"]

CLOCK_MONOTONIC = 1             # <time.h>, Linux
TIMER_ABSTIME = 1
PR_SET_TIMERSLACK = 29          # <linux/prctl.h>
EINTR = 4


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.clock_nanosleep        # noqa: B018  (present on glibc and musl)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


def sleep_until(t_ns: int) -> None:
    """Sleeps until `time.monotonic_ns()` reaches `t_ns` (or a little after), GIL released."""
    if _LIBC is None:
        delay = t_ns - time.monotonic_ns()
        if delay > 0:
            time.sleep(delay / 1e9)
        return
    deadline = _Timespec(t_ns // 1_000_000_000, t_ns % 1_000_000_000)
    while _LIBC.clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ctypes.byref(deadline), None) == EINTR:
        pass


def make_thread_punctual(priority: int | None) -> bool:
    """For the calling thread: 1 ns timer slack (the kernel's 50 us default delays every
    wake-up) and, if `priority`, SCHED_FIFO at that priority, below the audio threads.
    True when real-time scheduling was granted."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0)
    if not priority:
        return False
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
    except (OSError, AttributeError) as exc:
        log.info("MIDI out runs without real-time priority (%s)", exc)
        return False
    return True


class SendStats:
    """Running count, mean, σ and largest magnitude of the send-time errors (Welford)."""

    def __init__(self):
        self.count = 0
        self.mean_ns = 0.0
        self._m2 = 0.0
        self.max_abs_ns = 0

    def add(self, error_ns: int) -> None:
        self.count += 1
        delta = error_ns - self.mean_ns
        self.mean_ns += delta / self.count
        self._m2 += delta * (error_ns - self.mean_ns)
        self.max_abs_ns = max(self.max_abs_ns, abs(error_ns))

    @property
    def sigma_ns(self) -> float:
        return math.sqrt(self._m2 / (self.count - 1)) if self.count > 1 else 0.0


class MidiScheduler:
    """Sends the events of `source` to `ports` (a port index into that list, ALL_PORTS for
    all) at `clock.time_of(frame)`. `anchor`, when given, is polled for the clock's anchors;
    otherwise whoever owns the clock feeds it.

    `records` keeps the last so many sends as (frame, port index, first byte, ideal ns,
    sent ns) for the bench; `stats()` has the totals."""

    def __init__(self, source: Source, ports: Sequence, clock: FrameClock,
                 anchor: Anchor | None = None, *, max_queue: int = 4096,
                 late_ns: int = 1_000_000, poll_ns: int = 1_000_000,
                 realtime_priority: int | None = 1, records: int = 100_000,
                 name: str = "midi-out"):
        self.source = source
        self.ports = list(ports)
        self.clock = clock
        self.anchor = anchor
        self.max_queue = max_queue
        self.late_ns = late_ns
        self.poll_ns = poll_ns
        self.realtime_priority = realtime_priority
        self.records: deque[tuple[int, int, int, int, int]] = deque(maxlen=records)
        self.errors = SendStats()
        self.counts = dict.fromkeys(
            ("polled", "sent", "late", "dropped", "unrouted", "unplugged", "send_failures", "posted",
             "post_failures", "unsent"), 0)
        self.realtime = False
        self.failure: BaseException | None = None
        self._queue: list[tuple[int, int, int, bytes]] = []   # heap of (frame, seq, port, data)
        self._seq = itertools.count()
        self._last_anchor = None
        self._next_poll_ns = 0
        self._halt = threading.Event()
        self._thread = SupervisedThread(self._run, name, self._halt)
        self._changes: deque[tuple[list, list]] = deque()    # (ports, ports to close)
        self._use_ports(self.ports)

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> MidiScheduler:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 2.0) -> None:
        """Ends the thread; queued events are dropped (counted as unsent)."""
        self._halt.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                raise RuntimeError(f"the MIDI out thread did not stop within {timeout_s:g} s")

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def set_ports(self, ports: Sequence, retire: Iterable = ()) -> None:
        """A new port list (None where a port has gone; an index keeps its port); `retire`:
        ports to close once the thread no longer sends on them. From any thread."""
        self._changes.append((list(ports), list(retire)))
        if not self._thread.is_alive():
            self._take_changes()

    def _use_ports(self, ports: list) -> None:
        self.ports = ports
        self._timed = [k for k, p in enumerate(ports) if p is not None and not p.frame_accurate]
        self._framed = [k for k, p in enumerate(ports) if p is not None and p.frame_accurate]

    def _take_changes(self) -> None:
        while self._changes:
            ports, retire = self._changes.popleft()
            self._use_ports(ports)
            for port in retire:
                try:
                    port.close()
                except (OSError, ValueError, RuntimeError) as exc:
                    log.info("closing the MIDI port '%s': %s", port.name, exc)

    @property
    def thread_id(self) -> int | None:
        """The thread's identifier (for its CPU clock), None before it starts."""
        return self._thread.ident

    def __enter__(self) -> MidiScheduler:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def stats(self) -> dict:
        e = self.errors
        return {**self.counts, "queued": len(self._queue), "realtime": self.realtime,
                "error_mean_us": round(e.mean_ns / 1e3, 2),
                "error_sigma_us": round(e.sigma_ns / 1e3, 2),
                "error_max_us": round(e.max_abs_ns / 1e3, 2)}

    # --- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        self.realtime = make_thread_punctual(self.realtime_priority)
        try:
            while not self._halt.is_set():
                self._step()
        except BaseException as exc:
            self.failure = exc
            raise                           # the supervisor logs it and starts the thread again
        finally:
            self.counts["unsent"] += len(self._queue)
            self._queue.clear()
            self._take_changes()

    def _step(self) -> None:
        if self._changes:
            self._take_changes()
        now = time.monotonic_ns()
        if now >= self._next_poll_ns:
            self._poll()
            self._next_poll_ns = now + self.poll_ns
        if not self._queue or not self.clock.ready:
            sleep_until(self._next_poll_ns)
            return
        frame = self._queue[0][0]
        due = self.clock.time_of(frame)
        if due > time.monotonic_ns():
            # Polls go on meanwhile: frame-accurate ports want their events early.
            sleep_until(min(due, self._next_poll_ns))
            return
        _, _, port, data = heapq.heappop(self._queue)
        self._send(frame, port, data, due)

    def _poll(self) -> None:
        if self.anchor is not None:
            anchor = self.anchor()
            # (frame, 0): no audio callback has run yet.
            if anchor is not None and anchor[1] > 0 and anchor != self._last_anchor:
                self._last_anchor = anchor
                self.clock.update(*anchor)
                for k in self._framed:
                    self.ports[k].on_anchor(*anchor)
        for frame, port, data in self.source():
            self.counts["polled"] += 1
            if port != ALL_PORTS and not 0 <= port < len(self.ports):
                self.counts["unrouted"] += 1
                continue
            if port != ALL_PORTS and self.ports[port] is None:
                self.counts["unplugged"] += 1
                continue
            self._post_framed(frame, port, data)
            if (port == ALL_PORTS and not self._timed) or port in self._framed:
                continue
            if len(self._queue) >= self.max_queue:
                self.counts["dropped"] += 1
                continue
            heapq.heappush(self._queue, (frame, next(self._seq), port, bytes(data)))

    def _post_framed(self, frame: int, port: int, data: bytes) -> None:
        targets = self._framed if port == ALL_PORTS else [port] if port in self._framed else ()
        for k in targets:
            ok = self.ports[k].post(frame + self.clock.latency_frames, data)
            self.counts["posted" if ok else "post_failures"] += 1

    def _send(self, frame: int, port: int, data: bytes, due: int) -> None:
        for k in self._timed if port == ALL_PORTS else (port,):
            if k >= len(self.ports) or self.ports[k] is None:
                self.counts["unplugged"] += 1       # it went while the message waited
                continue
            sent = time.monotonic_ns()
            try:
                self.ports[k].send(data)
            except (OSError, ValueError, RuntimeError) as exc:
                self.counts["send_failures"] += 1
                if self.counts["send_failures"] == 1:
                    log.warning("MIDI out to '%s' failed: %s", self.ports[k].name, exc)
                continue
            error = sent - due
            self.counts["sent"] += 1
            self.counts["late"] += error > self.late_ns
            self.errors.add(error)
            self.records.append((frame, k, data[0], due, sent))
