"""Input events from every thread to the control thread: a bounded queue that never blocks the
producer (a GPIO scan, a MIDI callback, the simulator's keyboard). When the control thread is
behind by QUEUE_EVENTS events the newest is dropped and counted: a flood of MIDI cannot grow
memory or stall an input thread."""
from __future__ import annotations

import threading
from collections import deque

QUEUE_EVENTS = 4096


class EventQueue:
    def __init__(self, capacity: int = QUEUE_EVENTS):
        self._items: deque = deque()
        self._capacity = capacity
        self._lock = threading.Lock()   # producers are many threads; held for an append only
        self.wake = threading.Event()
        self.dropped = 0

    def put(self, event) -> bool:
        with self._lock:
            if len(self._items) >= self._capacity:
                self.dropped += 1
                return False
            self._items.append(event)
        self.wake.set()
        return True

    def drain(self, most: int = 256) -> list:
        """Up to `most` events, oldest first (the rest wait for the next tick)."""
        with self._lock:
            n = min(most, len(self._items))
            out = [self._items.popleft() for _ in range(n)]
            if not self._items:
                self.wake.clear()
        return out

    def __len__(self) -> int:
        return len(self._items)
