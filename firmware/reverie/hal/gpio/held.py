"""Keys held down at power-on, read before anything else starts (safe mode holds SHIFT).

The box's keys are scanned for HELD_SCAN_S with the same debounce as while it plays
(scan.py), so a bounce or a pin floating for a moment does not count as held."""
from __future__ import annotations

import time

from reverie.base.events import PRESS, RELEASE
from reverie.hal.box import Box

HELD_SCAN_S = 0.03              # six debounce periods
SCAN_PERIOD_S = 0.001


def keys_held(box: Box, pin_factory=None, clock=time.monotonic) -> frozenset[str]:
    """The names of the box's keys held now. `pin_factory`: the pins to read (default: the
    box's own, opened and closed here); a box without GPIO keys holds none."""
    from reverie.hal.gpio.pins import make_pin_factory
    from reverie.hal.gpio.scan import GpioInput

    if not box.keys and not box.matrix:
        return frozenset()
    own = pin_factory is None
    factory = make_pin_factory(box.gpio) if own else pin_factory
    if factory is None:
        return frozenset()
    events = []
    gpio = GpioInput(box, factory, events.append, clock=clock)
    try:
        end = clock() + HELD_SCAN_S
        while (now := clock()) < end:
            gpio.scan(now)
            time.sleep(SCAN_PERIOD_S)
        gpio.scan(clock())
    finally:
        gpio.close()
        if own:
            factory.close()
    down: dict[str, bool] = {}
    for e in events:                        # keys (Key events) only: pads are not keys
        if getattr(e, "action", None) in (PRESS, RELEASE) and hasattr(e, "name"):
            down[e.name] = e.action == PRESS
    return frozenset(name for name, held in down.items() if held)
