"""Keys and pads from sampled switch levels: debounce, then gestures. Pure: fed with the level
read at each scan and the scan's time (monotonic s), they return the events to send.

A switch bounces for a few milliseconds when it closes or opens. Two debouncers:

- Function keys (`Debouncer`): a level counts once it has held for DEBOUNCE_S; every sample
  that differs from the last one restarts the wait, so a bounce burst gives nothing until
  the contact settles. At a 1 kHz scan a press is reported 5 to 6 ms after the contact
  closes. A key's press is a command, and a glitch must never be one.
- Pads (`LeadingEdge`): a pad is played, and must answer at once. The first closed sample
  is the press; for LOCKOUT_S after it nothing is read (the bounce of the closing contact);
  after the lock-out the release counts once the contact has read open for DEBOUNCE_S
  without a break, so the bounce of the opening contact makes no second press. At a 1 kHz
  scan a hit is reported within one scan period (1 ms) of the contact closing.

Events carry the time of the scan that saw (or confirmed) them.
"""
from __future__ import annotations

from reverie.base.events import DOUBLE, DOUBLE_PRESS_S, LONG, LONG_PRESS_S, PRESS, RELEASE, Key, Pad

DEBOUNCE_S = 0.005
LOCKOUT_S = 0.005                   # a pad: after its first edge, the bounce is not read
_EPSILON_S = 1e-7                   # sample times are float seconds: 5 ms is held at 4.9999999


class Debouncer:
    """The settled level of one switch (True = closed)."""

    __slots__ = ("level", "hold_s", "_since")

    def __init__(self, hold_s: float = DEBOUNCE_S, level: bool = False):
        self.level = level
        self.hold_s = hold_s
        self._since: float | None = None   # when the other level was first seen, unbroken

    def update(self, level: bool, t: float) -> bool:
        """Feed one sample; True when the settled level changed with it."""
        if level == self.level:
            self._since = None
            return False
        if self._since is None:
            self._since = t
        if t - self._since >= self.hold_s - _EPSILON_S:
            self.level = level
            self._since = None
            return True
        return False


class LeadingEdge:
    """The level of one pad (True = closed): the first closed sample is the press, a
    lock-out follows, and the release is confirmed after it (see the module's text)."""

    __slots__ = ("level", "lockout_s", "hold_s", "_until", "_since")

    def __init__(self, lockout_s: float = LOCKOUT_S, hold_s: float = DEBOUNCE_S, level: bool = False):
        self.level = level
        self.lockout_s = lockout_s
        self.hold_s = hold_s
        self._until = 0.0                  # the lock-out ends here
        self._since: float | None = None   # open, unbroken, since (after the lock-out)

    def update(self, level: bool, t: float) -> bool:
        """Feed one sample; True when the level changed with it."""
        if not self.level:
            if level:                      # the first edge is the press
                self.level = True
                self._until = t + self.lockout_s
                self._since = None
                return True
            return False
        if t < self._until - _EPSILON_S or level:
            self._since = None             # locked out, or closed again: no release yet
            return False
        if self._since is None:
            self._since = t
        if t - self._since >= self.hold_s - _EPSILON_S:
            self.level = False
            self._since = None
            return True
        return False


class KeyGestures:
    """One function key: press and release always; "long" once while held past long_s;
    "double" right after a press that comes within double_s of the previous release. A
    press that made a double, or a hold that made a long, does not arm the next double."""

    __slots__ = ("name", "long_s", "double_s", "_debouncer", "_pressed_at", "_long_due",
                 "_tap", "_released_at")

    def __init__(self, name: str, debounce_s: float = DEBOUNCE_S,
                 long_s: float = LONG_PRESS_S, double_s: float = DOUBLE_PRESS_S):
        self.name = name
        self.long_s = long_s
        self.double_s = double_s
        self._debouncer = Debouncer(debounce_s)
        self._pressed_at = 0.0
        self._long_due = False
        self._tap = False                        # this press may arm a double on release
        self._released_at: float | None = None   # the release that can make a double

    @property
    def pressed(self) -> bool:
        return self._debouncer.level

    def sample(self, closed: bool, t: float) -> tuple[Key, ...]:
        if self._debouncer.update(closed, t):
            return self._press(t) if closed else self._release(t)
        if self._long_due and t - self._pressed_at >= self.long_s - _EPSILON_S:
            self._long_due = False
            self._tap = False
            return (Key(self.name, LONG, t),)
        return ()

    def _press(self, t: float) -> tuple[Key, ...]:
        self._pressed_at = t
        self._long_due = True
        released_at, self._released_at = self._released_at, None
        if released_at is not None and t - released_at <= self.double_s + _EPSILON_S:
            self._tap = False
            return Key(self.name, PRESS, t), Key(self.name, DOUBLE, t)
        self._tap = True
        return (Key(self.name, PRESS, t),)

    def _release(self, t: float) -> tuple[Key, ...]:
        self._released_at = t if self._tap else None
        self._long_due = False
        return (Key(self.name, RELEASE, t),)


class PadSwitch:
    """One pad on a switch: Pad(pad, velocity) at the first edge of a press (leading-edge
    debounce), Pad(pad, 0) once the release is confirmed."""

    __slots__ = ("pad", "velocity", "_debouncer")

    def __init__(self, pad: int, velocity: int, debounce_s: float = DEBOUNCE_S, lockout_s: float = LOCKOUT_S):
        self.pad = pad
        self.velocity = velocity
        self._debouncer = LeadingEdge(lockout_s, debounce_s)

    @property
    def pressed(self) -> bool:
        return self._debouncer.level

    def sample(self, closed: bool, t: float) -> tuple[Pad, ...]:
        if self._debouncer.update(closed, t):
            return (Pad(self.pad, self.velocity if closed else 0, t),)
        return ()
