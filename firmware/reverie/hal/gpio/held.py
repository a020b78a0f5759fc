"""Keys held down at power-on, read before anything else starts (safe mode holds SHIFT).

The box's keys are scanned for HELD_SCAN_S with the same debounce as while it plays
(scan.py), so a bounce or a pin floating for a moment does not count as held."""
from __future__ import annotations

import time

from reverie.base.events import PRESS, RELEASE
from reverie.hal.box import Box

HELD_SCAN_S = 0.03              # six debounce periods
SCAN_PERIOD_S = 0.001


def keys_held(box: Box) -> frozenset[str]:
    """The names of the box's keys held now, read through its own pins (opened and closed
    here); a box without GPIO keys holds none."""
    from reverie.hal.gpio.pins import make_pin_factory
    from reverie.hal.gpio.scan import GpioInput

    if not box.keys and not box.matrix:
        return frozenset()
    factory = make_pin_factory(box.gpio)
    if factory is None:
        return frozenset()
    try:
        held = Held()
        gpio = GpioInput(box, factory, held)
        try:
            scan_for(gpio)
        finally:
            gpio.close()
        return held.keys
    finally:
        factory.close()


class Held:
    """An `emit` for GpioInput that keeps which keys are down (pads are not keys)."""

    def __init__(self):
        self._down: dict[str, bool] = {}

    def __call__(self, event) -> None:
        if getattr(event, "action", None) in (PRESS, RELEASE) and hasattr(event, "name"):
            self._down[event.name] = event.action == PRESS

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(name for name, down in self._down.items() if down)


def scan_for(gpio, seconds: float = HELD_SCAN_S, clock=time.monotonic) -> None:
    """Scans a GpioInput that is not started for `seconds`, a scan each millisecond."""
    end = clock() + seconds
    while (now := clock()) < end:
        gpio.scan(now)
        time.sleep(SCAN_PERIOD_S)
    gpio.scan(clock())
