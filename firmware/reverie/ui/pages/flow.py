"""The FLOW page: only the pattern and the levels, for playing without reading. Every track
of the pattern playing is a row of its 16 steps around its playhead (a trig a block, the step
playing underlined) with its level at the right; the header keeps the time left of a
micro-session when one runs (ui/flow.py).

ENC1 (turn or push) starts a micro-session of 5, 10 or 20 minutes, or none; ENC2's push
asks for a soft click on the next bar when it ends, besides the notice (`flow.click`, kept
with the settings). The pads play their tracks; every other key is as everywhere.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from reverie.base.events import PRESS, Key, Turn
from reverie.ui import effects as fx
from reverie.ui import selection
from reverie.ui.flow import CHOICES, SETTING_CLICK
from reverie.ui.one_knob import step
from reverie.ui.page import Page
from reverie.ui.pages.mixer import meter

STEPS_SHOWN = 16


@dataclass(frozen=True)
class FlowRow:
    trigs: tuple[bool, ...]        # the 16 steps shown: a trig (on) there
    playing: int                   # which of them plays now, -1: none
    level: float                   # the track's peak, 0..1 on the mixer's meter scale


@dataclass(frozen=True)
class FlowView:
    rows: tuple[FlowRow, ...]      # one a track of the project


class FlowPage(Page):
    name = "FLOW"
    title = "FLOW"
    help = {
        "ENC1": "turn or push: a 5, 10 or 20 minute session (or none); a notice at its end",
        "ENC2 PUSH": "At the session's end, also a soft click on the next bar: on/off.",
        "PADS": "Play the pad's track.",
    }

    def key(self, ctx, ev: Key) -> list | None:
        if ev.action != PRESS or ev.name not in ("ENC1", "ENC2"):
            return None
        if ev.name == "ENC1":
            return self._timer(ctx, 1, ev.t, wrap=True)
        on = not ctx.settings.get(SETTING_CLICK, False)
        ctx.settings[SETTING_CLICK] = on
        ctx.message = "a soft click at the end: on" if on else "a soft click at the end: off"
        return [fx.Setting(SETTING_CLICK, on)]

    def turn(self, ctx, ev: Turn) -> list | None:
        return self._timer(ctx, ev.detents, ev.t) if ev.encoder == 0 else []

    def fields(self, ctx) -> int:
        return 2

    @staticmethod
    def _timer(ctx, d: int, t: float, wrap: bool = False) -> list:
        timer = ctx.timer
        at = CHOICES.index(timer.minutes) if timer.minutes in CHOICES else 0
        at = (at + d) % len(CHOICES) if wrap else step(at, d, 0, len(CHOICES) - 1)
        timer.start(CHOICES[at], t)
        ctx.message = f"{timer.minutes} minutes: enjoy" if timer.minutes else "no timer"
        return []

    def heading(self, ctx) -> str:
        left = ctx.timer.left_s()
        return "FLOW" if left is None else f"FLOW {math.ceil(left / 60)}m"

    def view(self, ctx) -> FlowView:
        pattern = ctx.project.pattern_at(selection.pattern_name(ctx))
        s = ctx.status
        rows = []
        for i in range(min(len(ctx.project.tracks), len(pattern.tracks))):
            tp = pattern.tracks[i]
            now = s.steps[i] if i < len(s.steps) and s.playing else -1
            first = max(0, now) // STEPS_SHOWN * STEPS_SHOWN
            trigs = tuple(first + k < tp.length and tp.steps[first + k] is not None and tp.steps[first + k].trig
                          for k in range(STEPS_SHOWN))
            level = meter(s.meters[i]) if i < len(s.meters) else 0.0
            rows.append(FlowRow(trigs, now - first if now >= 0 else -1, level))
        return FlowView(tuple(rows))
