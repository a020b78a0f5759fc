"""One control tick, in order: input events through the UI to the engine, finished disk
jobs, telemetry into the UI, the view to the display thread. The app's control loop runs
it every TICK_S, and at once when an input arrives (EventQueue.wake). Each step runs under
the Guard (guard.py): a bug is logged and shown, and the tick goes on to the next step."""
from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import replace

from reverie.control.guard import Guard

log = logging.getLogger("reverie")

TICK_S = 0.005                  # telemetry and view refresh; inputs wake the loop at once
TIMINGS_KEPT = 4096
NOTICE_S = 2.5                  # how long a notice from the box stays on the screen


class Control:
    def __init__(self, ui, applier, queue, reader, jobs=None, display=None, hooks=()):
        """`display`: anything with show(view) (hal DisplayThread); `hooks`: callables
        (status) -> Status run each tick to add what other subsystems know (devices, the IP
        address, the sample list) or to push state out (a grid controller's LEDs)."""
        self.ui = ui
        self.applier = applier
        self.queue = queue
        self.reader = reader
        self.jobs = jobs
        self.display = display
        self.hooks = list(hooks)
        self.status = ui.context.status
        self.handle_ns: deque[int] = deque(maxlen=TIMINGS_KEPT)   # event in -> commands posted
        self.events = 0
        self._notice_until = 0.0
        guard = getattr(applier, "guard", None)
        self.guard = guard if guard is not None else Guard()

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        guard = self.guard
        for event in self.queue.drain():
            t0 = time.perf_counter_ns()
            guard(f"handling a {type(event).__name__}", self._handle, event)
            self.handle_ns.append(time.perf_counter_ns() - t0)
            self.events += 1
        guard("posting to the engine", self.applier.retry)
        guard("reading telemetry", self.applier.engine.poll)
        if self.jobs is not None:
            guard("finishing a job", self.jobs.poll)
        status = guard("reading the status", self.reader.read, now, self.status) or self.status
        for hook in self.hooks:
            status = guard(f"the {getattr(hook, '__name__', 'status')} hook", hook, status) or status
        guard.threads(now)
        notice = guard.notice or self.applier.notice or (self.jobs.notice if self.jobs else "")
        if notice:
            status = replace(status, message=notice)
            self._notice_until = now + NOTICE_S
            self.applier.notice = guard.notice = ""
            if self.jobs is not None:
                self.jobs.notice = ""
        elif status.message and now >= self._notice_until:
            status = replace(status, message="")
        self.status = status
        guard("updating the UI", self._update, status, now)
        if self.display is not None:
            guard("drawing the view", self._show)

    def _handle(self, event) -> None:
        self.applier.apply(self.ui.handle(event))

    def _update(self, status, now: float) -> None:
        self.applier.apply(self.ui.update(status, now))

    def _show(self) -> None:
        self.display.show(self.ui.view())
