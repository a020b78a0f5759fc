"""The micro-session timer: 5, 10 or 20 minutes, started on the FLOW page, with a gentle cue
when they are up - a short notice and, if the settings ask for it (`flow.click`), one soft
click on the next bar's downbeat. The music never stops for it, and nothing else happens:
the timer simply ends, and a new one starts only when asked.

It lives in Context.timer so the cue comes on any page; the machine's update() calls cue()
once a tick. Time is the UI's own (events' `t`, update's `now`): monotonic seconds.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.ui import effects as fx

CHOICES = (0, 5, 10, 20)            # minutes; 0: no timer
SETTING_CLICK = "flow.click"


@dataclass
class SessionTimer:
    minutes: int = 0                # the session asked for; 0: none running
    ends: float | None = None       # monotonic s
    now: float = 0.0                # the latest time the UI told it

    def start(self, minutes: int, now: float) -> None:
        self.minutes = minutes if minutes in CHOICES else 0
        self.now = max(self.now, now)
        self.ends = self.now + 60 * self.minutes if self.minutes else None

    def left_s(self) -> float | None:
        """Seconds left, None when no timer runs."""
        return None if self.ends is None else max(0.0, self.ends - self.now)

    def due(self, now: float) -> bool:
        """True once, when the time is up."""
        self.now = max(self.now, now)
        if self.ends is None or self.now < self.ends:
            return False
        self.ends = None
        return True


def cue(ctx, now: float) -> list | None:
    """The cue's effects when the timer ran out at `now` (the notice is set), else None."""
    timer = ctx.timer
    if not timer.due(now):
        return None
    ctx.message = f"{timer.minutes} minutes went by. Play on, or rest."
    timer.minutes = 0
    return [fx.Cue()] if ctx.settings.get(SETTING_CLICK) is True else []
