"""The box's GPIO input: direct keys and the key matrix scanned at 1 kHz on a thread of their
own (keys debounced, pads at their first edge: keys.py), encoders on the pin library's edge
callbacks. Everything it hears goes to `emit` as
input events (reverie.base.events), from those threads: `emit` must be a thread-safe enqueue.
"""
from __future__ import annotations

import collections
import threading
import time
from typing import Callable

from reverie.base.events import Event
from reverie.base.supervise import SupervisedThread
from reverie.hal.gpio.encoder import EncoderInput
from reverie.hal.gpio.keys import DEBOUNCE_S, KeyGestures, PadSwitch
from reverie.hal.gpio.matrix import KeyMatrix
from reverie.hal.box import Box

SCAN_HZ = 1000


class GpioInput:
    """Built from a Box and a gpiozero pin factory; start() runs the scan thread, close()
    stops it and releases the pins (the factory stays open: its owner closes it)."""

    def __init__(self, box: Box, pin_factory, emit: Callable[[Event], None], *,
                 clock: Callable[[], float] = time.monotonic, scan_hz: float = SCAN_HZ,
                 debounce_s: float = DEBOUNCE_S, history: int = 4096):
        self.box = box
        self._factory = pin_factory
        self._emit = emit
        self._clock = clock
        self.period_s = 1.0 / scan_hz
        self._pins = []
        self._direct = []           # (pin, KeyGestures)
        for name, number in box.keys.items():
            pin = self._pin(number)
            pin.input_with_pull("up")
            self._direct.append((pin, KeyGestures(name, debounce_s)))
        self._matrix = None
        self._cells = []            # (index into KeyMatrix.read(), KeyGestures or PadSwitch)
        if box.matrix:
            m = box.matrix
            self._matrix = KeyMatrix([self._pin(n) for n in m.rows], [self._pin(n) for n in m.columns])
            for r, c, name in m.named_cells():
                switch = (PadSwitch(int(name[4:]), box.pad_velocity, debounce_s)
                          if name.startswith("pad ") else KeyGestures(name, debounce_s))
                self._cells.append((r * len(m.columns) + c, switch))
        self.encoders = [
            EncoderInput(i, self._pin(e.a), self._pin(e.b), emit, clock,
                         e.transitions_per_detent, e.reversed, e.accelerate)
            for i, e in enumerate(box.encoders)]
        self.scans = 0
        self.overruns = 0           # scans that started more than a period late
        self.scan_times: collections.deque[float] = collections.deque(maxlen=history)
        self._stop = threading.Event()
        self._thread: SupervisedThread | None = None
        self._last_thread: SupervisedThread | None = None    # kept after close(): its faults

    def _conflicts_with(self, other) -> bool:
        return True                 # gpiozero's reservations: no one else shares our pins

    def _pin(self, number: int):
        self._factory.reserve_pins(self, number)
        pin = self._factory.pin(number)
        self._pins.append(pin)
        return pin

    def scan(self, t: float) -> None:
        """One scan of every key at time t (monotonic s): debounce, gestures, events."""
        emit = self._emit
        for pin, key in self._direct:
            for event in key.sample(not pin.state, t):
                emit(event)
        if self._matrix is not None:
            closed = self._matrix.read()
            for index, switch in self._cells:
                for event in switch.sample(closed[index], t):
                    emit(event)

    def start(self) -> None:
        if self._thread is None and (self._direct or self._matrix):
            # a failing scan (a pin error, a bug) is logged and the scan starts again
            self._thread = self._last_thread = SupervisedThread(self._run, "reverie-gpio", self._stop)
            self._thread.start()

    @property
    def error(self) -> BaseException | None:
        """The last exception a scan raised (the thread went on scanning after it)."""
        return None if self._last_thread is None else self._last_thread.last_error

    def _run(self) -> None:
        clock, period = self._clock, self.period_s
        deadline = clock()
        while not self._stop.is_set():
            now = clock()
            self.scan(now)
            self.scans += 1
            self.scan_times.append(now)
            deadline += period
            wait = deadline - clock()
            if wait > 0:
                time.sleep(wait)
            elif wait < -period:
                self.overruns += 1
                deadline = clock()  # skip the missed scans instead of racing to catch up

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        for encoder in self.encoders:
            encoder.close()
        for pin in self._pins:          # inputs again: the matrix rows stop driving
            pin.close()
        if self._factory is not None:   # None: a box with no GPIO inputs at all
            self._factory.release_all(self)
        self._pins.clear()
