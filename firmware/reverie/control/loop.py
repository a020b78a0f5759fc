"""One control tick, in order: input events through the UI to the engine, finished disk
jobs, telemetry into the UI, the view to the display thread. The app's control loop runs
it every TICK_S, and at once when an input arrives (EventQueue.wake)."""
from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import replace

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

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for event in self.queue.drain():
            t0 = time.perf_counter_ns()
            self.applier.apply(self.ui.handle(event))
            self.handle_ns.append(time.perf_counter_ns() - t0)
            self.events += 1
        self.applier.engine.poll()
        if self.jobs is not None:
            self.jobs.poll()
        status = self.reader.read(now, self.status)
        for hook in self.hooks:
            status = hook(status) or status
        notice = self.applier.notice or (self.jobs.notice if self.jobs else "")
        if notice:
            status = replace(status, message=notice)
            self._notice_until = now + NOTICE_S
            self.applier.notice = ""
            if self.jobs is not None:
                self.jobs.notice = ""
        elif status.message and now >= self._notice_until:
            status = replace(status, message="")
        self.status = status
        self.applier.apply(self.ui.update(status, now))
        if self.display is not None:
            self.display.show(self.ui.view())
