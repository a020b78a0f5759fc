"""Threads that do not die of a bug. A `SupervisedThread` runs its body; when the body raises,
the exception is logged with its traceback, counted, and the body runs again after a
back-off (0.1 s, doubling to 5 s; back to 0.1 s once a run lasted 30 s). The body returns
when its stop event is set, and so does the thread. The app reads `faults` and `last_fault`
of every supervised thread (they are threads: `threading.enumerate()` lists them) and shows
a notice on the box.

A body keeps its state on its object, not in locals, if a restart is to carry on from
where it failed: the GPIO scan, the display, the controller manager and the MIDI out
scheduler do.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

log = logging.getLogger("reverie")

FIRST_WAIT_S = 0.1
LONGEST_WAIT_S = 5.0
STEADY_S = 30.0           # a run this long before failing starts the back-off from the beginning
FAULT_CHARS = 120         # last_fault is cut to one short line


class SupervisedThread(threading.Thread):
    """A daemon thread running `body()` until it returns, restarting it after each exception.
    `stop` is the event that ends the body: once set, a failure is not restarted and the
    back-off wait ends at once."""

    def __init__(self, body: Callable[[], None], name: str, stop: threading.Event, *,
                 first_wait_s: float = FIRST_WAIT_S, longest_wait_s: float = LONGEST_WAIT_S,
                 steady_s: float = STEADY_S, clock: Callable[[], float] = time.monotonic):
        super().__init__(name=name, daemon=True)
        self.body = body
        self.stop_event = stop
        self.first_wait_s = first_wait_s
        self.longest_wait_s = longest_wait_s
        self.steady_s = steady_s
        self._clock = clock
        self.faults = 0                              # exceptions the body raised
        self.restarts = 0                            # times the body was started again
        self.last_error: BaseException | None = None
        self.last_fault = ""                         # "display: OSError: [Errno 121] ...", one line

    def run(self) -> None:
        wait = self.first_wait_s
        while True:
            began = self._clock()
            try:
                self.body()
                return
            except Exception as exc:        # noqa: BLE001  (any bug: log it, start again)
                if self._clock() - began >= self.steady_s:
                    wait = self.first_wait_s
                self.last_error = exc
                self.last_fault = one_line(f"{self.name}: {type(exc).__name__}: {exc}")
                self.faults += 1
                if self.stop_event.is_set():
                    log.exception("%s failed while stopping", self.name)
                    return
                log.exception("%s failed (%d so far); starting it again in %.1f s",
                              self.name, self.faults, wait, extra={"supervised": self.name,
                                                                   "faults": self.faults})
            if self.stop_event.wait(wait):
                return
            wait = min(2 * wait, self.longest_wait_s)
            self.restarts += 1


def one_line(text: str, most: int = FAULT_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[:most - 3] + "..."


def supervised_threads() -> list[SupervisedThread]:
    """Every supervised thread running in this process."""
    return [t for t in threading.enumerate() if isinstance(t, SupervisedThread)]
