"""The control thread does not stop for a bug. Each step of the control tick (an input event
through the UI, an effect, a job's finish, telemetry, a status hook, the view) runs under a
`Guard`: an exception is logged with its traceback, becomes a one-line notice on the box and
the tick goes on with the next step; audio never depends on the control thread anyway.

The same failure in the same place is logged in full the first time, then again after 10,
100, 1000... (each with its count), so a bug hit on every tick cannot flood the log. A
UserError that reaches a guard is bad input, not a bug: its message is the notice.

`threads()` also watches the supervised threads (base/supervise.py): when one failed and
was started again, the box says so.
"""
from __future__ import annotations

import logging
import time
import traceback
from typing import Callable

from reverie.base.errors import UserError
from reverie.base.supervise import one_line, supervised_threads

log = logging.getLogger("reverie")

THREADS_EVERY_S = 0.25          # how often the supervised threads' fault counts are read


class Guard:
    def __init__(self):
        self.faults = 0                 # bugs caught on the control thread
        self.notice = ""                # the newest one, for the screen (the tick clears it)
        self._seen: dict[tuple, int] = {}
        self._thread_faults: dict[int, int] = {}
        self._next_threads = 0.0

    def __call__(self, what: str, fn: Callable, *args):
        """fn(*args), or None when it raised (logged and noticed). `what` says what was being
        done, in a few words: "handling a Key", "the devices hook"."""
        try:
            return fn(*args)
        except UserError as exc:
            self.notice = str(exc)
        except Exception as exc:        # noqa: BLE001  (any bug: log it, say it, go on)
            self.failed(what, exc)
        return None

    def failed(self, what: str, exc: BaseException) -> None:
        self.faults += 1
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        key = (what, type(exc).__name__, where)
        n = self._seen[key] = self._seen.get(key, 0) + 1
        if n == 1:
            log.error("%s failed; the box plays on", what, exc_info=exc,
                      extra={"fault": what, "faults": self.faults})
        elif _round(n):
            log.error("%s failed again (%d times): %s: %s", what, n, type(exc).__name__,
                      one_line(str(exc)), extra={"fault": what, "faults": self.faults})
        self.notice = one_line(f"error {what}: {type(exc).__name__}; logged, still playing", 80)

    def threads(self, now: float | None = None) -> None:
        """A notice for each supervised thread that failed since the last look."""
        now = time.monotonic() if now is None else now
        if now < self._next_threads:
            return
        self._next_threads = now + THREADS_EVERY_S
        for t in supervised_threads():
            seen = self._thread_faults.get(id(t), 0)
            if t.faults > seen:
                self._thread_faults[id(t)] = t.faults
                self.notice = one_line(f"{t.name} failed ({t.faults}x) and was restarted; logged", 80)


def _round(n: int) -> bool:
    """10, 100, 1000, ...: when a repeated failure is logged again."""
    while n % 10 == 0:
        n //= 10
    return n == 1
