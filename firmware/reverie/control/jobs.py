"""Slow work off the control thread (design §3): decoding samples, loading and saving
projects. A job is two functions: `work()` runs on the worker thread and returns a result;
`finish(result)` then runs on the control thread (in `poll()`), where the engine and the UI
may be touched. A job that fails with a UserError finishes with its message as a notice
and changes nothing; any other exception is a bug: logged with its traceback, and the
notice says it failed.

A job run with `keep=True` (a save) is never dropped: `close()` cancels the jobs that have
not started yet except those, and waits for those to finish."""
from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

from reverie.base.errors import UserError

log = logging.getLogger("reverie")


class Jobs:
    def __init__(self, handlers: dict[type, Callable] | None = None):
        """`handlers`: effect type -> fn(effect) returning (label, work, finish), or
        (label, work, finish, True) for a job that must not be dropped (a save)."""
        self.handlers = dict(handlers or {})
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reverie-worker")
        self._running: list[tuple[str, Future, Callable]] = []
        self._kept: list[Future] = []
        self.notice = ""

    def submit(self, effect) -> None:
        make = self.handlers.get(type(effect))
        if make is None:
            self.notice = f"this box cannot {type(effect).__name__}"
            return
        label, work, finish, *keep = make(effect)
        self.run(label, work, finish, keep=bool(keep and keep[0]))

    def run(self, label: str, work: Callable, finish: Callable, keep: bool = False) -> None:
        """`keep`: a save, which close() waits for instead of cancelling."""
        future = self._pool.submit(work)
        self._running.append((label, future, finish))
        if keep:
            self._kept = [f for f in self._kept if not f.done()] + [future]

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def poll(self) -> None:
        """Finishes every job whose work is done, in the order they were submitted."""
        while self._running and self._running[0][1].done():
            label, future, finish = self._running.pop(0)
            try:
                result = future.result()
                finish(result)
            except UserError as exc:
                self.notice = str(exc)
            except Exception:   # a bug in a job must not stop the box: say so, keep playing
                log.exception("%s failed", label)
                self.notice = f"{label} failed (see the log)"

    def wait(self, timeout: float = 10.0) -> None:
        """Waits for the jobs running now and finishes them (tests and shutdown)."""
        for _, future, _ in list(self._running):
            future.exception(timeout=timeout)
        self.poll()

    def close(self, timeout: float = 10.0) -> bool:
        """Cancels the jobs not started yet, except kept ones (saves), and waits up to
        `timeout` s for the kept ones to finish. True when every kept job finished."""
        for _, future, _ in self._running:
            if future not in self._kept:
                future.cancel()
        deadline = time.monotonic() + timeout
        done = True
        for future in self._kept:
            try:
                future.exception(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                log.error("a save was still running when the box stopped")
                done = False
        self._pool.shutdown(wait=done, cancel_futures=True)
        return done
