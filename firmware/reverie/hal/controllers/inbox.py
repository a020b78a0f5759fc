"""The inbox between MIDI input callbacks (any number of threads) and the one thread that
translates and dispatches their messages.

A callback must never wait or allocate much (with JACK it runs in the server's real-time
thread), so `put()` takes a lock for a few dictionary operations and returns. The inbox is
bounded: a control change has one place per (source, channel, controller) that its newest
value overwrites (the CC is coalesced), other channel messages are kept up to `max_pending`
and then dropped and counted. SysEx and real-time messages (clock, active sensing) are no
business of a controller and are counted and left out here.
"""
from __future__ import annotations

import itertools
import threading
from collections import Counter, OrderedDict

COUNTS = ("received", "coalesced", "dropped", "system")


class Inbox:
    def __init__(self, max_pending: int):
        self.max_pending = max_pending
        self.counts: Counter = Counter()
        self.high_water = 0
        self._cond = threading.Condition(threading.Lock())
        self._items: OrderedDict = OrderedDict()    # key -> (source, message or event, t_ns)
        self._serial = itertools.count()
        self._messages = 0                          # the droppable ones
        self._closed = False

    def put(self, source, data: bytes, t_ns: int) -> None:
        """A message from `source` (a hashable object: the connection) arrived at `t_ns`."""
        status = data[0] if data else 0
        with self._cond:
            if self._closed:
                return
            self.counts["received"] += 1
            if status == 0xF0 or status >= 0xF8:
                self.counts["system"] += 1
                return
            if status & 0xF0 == 0xB0 and len(data) == 3:
                key = (source, status, data[1])
                if key in self._items:
                    self._items[key] = (source, data, t_ns)
                    self._items.move_to_end(key)    # it happened after what is queued
                    self.counts["coalesced"] += 1
                    return
            elif self._messages >= self.max_pending:
                self.counts["dropped"] += 1
                return
            else:
                self._messages += 1
                key = next(self._serial)
            self._items[key] = (source, data, t_ns)
            self.high_water = max(self.high_water, len(self._items))
            self._cond.notify()

    def put_event(self, event) -> None:
        """Something for the dispatcher in order with the messages, never dropped."""
        with self._cond:
            self._items[("event", next(self._serial))] = (None, event, 0)
            self._cond.notify()

    def take(self) -> tuple | None:
        """The oldest item, waiting for one; None once closed."""
        with self._cond:
            while not self._items and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            key, item = self._items.popitem(last=False)
            if isinstance(key, int):
                self._messages -= 1
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._items.clear()
            self._cond.notify_all()

    def stats(self) -> dict:
        with self._cond:
            return {**{k: self.counts[k] for k in COUNTS}, "pending": len(self._items),
                    "pending_high_water": self.high_water}
