"""The computer keyboard as the box's pads, keys and encoders: key names in, input events out.

Two kinds of source feed it. A window gives real presses and releases (`press`, `release`),
so pads and SHIFT are held for real and a long press is a long press. A terminal gives only
characters (`tap`): a tap presses, and releases `tap_s` later; Tab latches SHIFT; the hold key
(`) keeps the next key down until the key after it. Function keys get the gestures of
events.py: "double" after a press within DOUBLE_PRESS_S of the last release, "long" once
when held past LONG_PRESS_S. Timers run from `poll()`, called by whoever reads keys.
"""
from __future__ import annotations

import heapq
import itertools
import threading
import time

from reverie.base.events import DOUBLE, DOUBLE_PRESS_S, LONG, LONG_PRESS_S, PRESS, RELEASE, Key, Pad, Turn
from reverie.hal.simulator.keymap import HELP, HOLD, KEY, KEYMAP, PAD, QUIT, SHIFT, TURN

TAP_S = 0.12          # how long a terminal tap holds a pad or key down: a short note


def target_of(binding):
    """What goes down and up: ("pad", 4) or ("key", "PLAY"); capital and small share one."""
    return ("pad", binding.target) if binding.kind == PAD else ("key", binding.target)


class Keyboard:
    def __init__(self, emit, quit, on_help=lambda: None, on_change=lambda: None,
                 clock=time.monotonic, tap_s: float = TAP_S):
        self._emit, self._quit, self._on_help, self._on_change = emit, quit, on_help, on_change
        self._clock = clock
        self._tap_s = tap_s
        self._lock = threading.RLock()
        self._down: dict[tuple, tuple[object, int]] = {}    # target -> (binding, press number)
        self._timers: list[tuple[float, int, str, tuple, int]] = []
        self._presses = itertools.count(1)
        self._order = itertools.count()           # tie-break for timers due at the same time
        self._released_at: dict[str, float] = {}
        self.armed = False            # the hold key was pressed: the next key stays down
        self.held = None              # the target the hold key keeps down

    @property
    def shift(self) -> bool:
        return ("key", "SHIFT") in self._down

    def tap(self, key: str) -> None:
        """A key typed in a terminal: no release will come."""
        binding = KEYMAP.get(key)
        if binding is None:
            return
        with self._lock:
            now = self._clock()
            if binding.kind in (PAD, KEY):
                self._tap(binding, now)
            elif binding.kind == SHIFT:
                if self.shift:
                    self._up(target_of(binding), now)
                else:
                    self._press(target_of(binding), binding, now)
                self._on_change()
            elif binding.kind == HOLD:
                if self.held is not None:
                    self._let_go(now)
                else:
                    self.armed = not self.armed
                self._on_change()
            else:
                self._other(binding, now)

    def press(self, key: str, repeat: bool = False):
        """A real key press (a window); `repeat` when it is the keyboard's auto-repeat, which
        turns encoders again and does nothing else. Returns the binding, or None."""
        binding = KEYMAP.get(key)
        if binding is None or (repeat and binding.kind != TURN):
            return binding
        with self._lock:
            now = self._clock()
            if binding.kind in (PAD, KEY, SHIFT):
                target = target_of(binding)
                if target in self._down:
                    self._up(target, now)
                self._press(target, binding, now)
                if binding.kind == SHIFT:
                    self._on_change()
            elif binding.kind != HOLD:
                self._other(binding, now)
        return binding

    def release(self, key: str) -> None:
        binding = KEYMAP.get(key)
        if binding is None or binding.kind not in (PAD, KEY, SHIFT):
            return
        with self._lock:
            target = target_of(binding)
            if target in self._down:
                self._up(target, self._clock())
                if binding.kind == SHIFT:
                    self._on_change()

    def poll(self) -> float | None:
        """Fire the timers that are due; seconds until the next one, or None."""
        with self._lock:
            now = self._clock()
            while self._timers and self._timers[0][0] <= now:
                due, _, what, target, number = heapq.heappop(self._timers)
                if self._down.get(target, (None, 0))[1] != number:
                    continue          # released, or pressed again since
                if what == RELEASE:   # stamped when it was due, not when we got round to it
                    self._up(target, due)
                else:
                    self._emit(Key(target[1], LONG, due))
            return self._timers[0][0] - now if self._timers else None

    def _tap(self, binding, now: float) -> None:
        target = target_of(binding)
        if target in self._down:
            self._up(target, now)
            if target == self.held:
                self.held = None
                self._on_change()
                return
        number = self._press(target, binding, now)
        if self.armed:
            self.armed, self.held = False, target
            self._on_change()
            return
        heapq.heappush(self._timers, (now + self._tap_s, next(self._order), RELEASE, target, number))
        if self.held is not None:
            self._let_go(now)
            self._on_change()

    def _let_go(self, now: float) -> None:
        if self.held in self._down:
            self._up(self.held, now)
        self.held = None

    def _other(self, binding, now: float) -> None:
        if binding.kind == TURN:
            self._emit(Turn(binding.target, binding.amount, now))
        elif binding.kind == HELP:
            self._on_help()
        elif binding.kind == QUIT:
            self._quit()

    def _press(self, target, binding, now: float) -> int:
        number = next(self._presses)
        self._down[target] = (binding, number)
        if target[0] == "pad":
            self._emit(Pad(binding.target, binding.amount, now))
            return number
        name = target[1]
        self._emit(Key(name, PRESS, now))
        if now - self._released_at.get(name, -1e9) <= DOUBLE_PRESS_S:
            self._emit(Key(name, DOUBLE, now))
        heapq.heappush(self._timers, (now + LONG_PRESS_S, next(self._order), LONG, target, number))
        return number

    def _up(self, target, now: float) -> None:
        binding, _ = self._down.pop(target)
        if target[0] == "pad":
            self._emit(Pad(binding.target, 0, now))
        else:
            self._emit(Key(target[1], RELEASE, now))
            self._released_at[target[1]] = now
