"""The sound page: the focused track's instrument, four parameters a screen (one per
encoder), screens made from the instrument spec's pages (selection.screens: "SAMP 1/3",
"AMP 1/2", "FILT 1/3"...). LEFT/RIGHT change the screen. LEFT of the first is the preset
screen (ui/preset_browser.py): the instrument, its presets, heard as the list turns.

A turn sets the track's parameter: one undo entry per run of turns of one parameter
(coalesce "param:<track>:<key>"), and the SetParam effect that the engine needs. While steps
are held on the pattern page (hold pads there, then press SOUND) a turn locks the parameter
on those steps instead, and the screen shows their values, locked ones marked. A knob
(slot 0..7) sets the instrument page's parameters in order, absolutely.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import PRESS, Key, Knob, Turn
from reverie.project import mix_edit
from reverie.ui import selection
from reverie.ui.fields import Field, focus_of
from reverie.ui.imports import ListMultisamples
from reverie.ui.multisets import step_set
from reverie.ui.page import Page
from reverie.ui.pages.held_edit import lock_held, locked_value
from reverie.ui.preset_browser import PresetBrowser
from reverie.ui.turning import absolute, show, turn

KNOB_SLOTS = 8


@dataclass(frozen=True)
class SoundView:
    screen: str                  # "FILT 1/3"
    rows: tuple[Field, ...]      # up to four, one per encoder
    note: str = ""               # why nothing is shown ("T9: no track in the project")


class SoundPage(Page):
    name = "SOUND"
    title = "SOUND"
    help = {
        "ENC1 TURN": "Parameter 1, or a lock on held steps. Presets: the instrument.",
        "ENC2 TURN": "Parameter 2 (FUNC: fine). Presets: the list, heard at once.",
        "ENC3 TURN": "Parameter 3 (FUNC: fine). On SAVE: the word of the name.",
        "ENC4 TURN": "The fourth parameter shown (FUNC: fine steps).",
        "ENC1 PUSH": "Presets: keep the one you hear (one undo step); on SAVE: save.",
        "ENC2 PUSH": "Presets: keep the one you hear (one undo step); on SAVE: save.",
        "LEFT": "The screen before; before the first: presets. Takes back a preset not kept.",
        "RIGHT": "The next screen of parameters: sample, amp, filter.",
        "PADS": "Play the pad's track. FUNC+pad: edit that track's sound.",
        "ENC3 PUSH": "A multisample track: the previous set.",
        "ENC4 PUSH": "A multisample track: the next set.",
    }

    def __init__(self) -> None:
        self.screen = 0
        self.browser = PresetBrowser()

    def browsing(self, ctx) -> bool:
        """The preset screen is shown: chosen (LEFT of the first screen), or the only one
        (an instrument not installed has no parameter screens). Steps held on the pattern
        page come first: their locks are on the parameter screens."""
        t = selection.track(ctx)
        return t is not None and ((self.screen < 0 and not ctx.held_steps) or not self._screens(ctx))

    def enter(self, ctx) -> list:
        t = selection.track(ctx)
        out = self.browser.open(ctx) if self.browsing(ctx) else self.browser.back(ctx)
        # a multisample track's sets are listed for ENC3/ENC4 pushes (ui/multisets.py)
        return out + ([ListMultisamples()] if t is not None and t.instrument == "multisample" else [])

    def _screens(self, ctx):
        t = selection.track(ctx)
        return selection.screens(t.instrument) if t is not None else []

    def _current(self, ctx):
        screens = self._screens(ctx)
        if not screens:
            return None
        return screens[max(0, min(self.screen, len(screens) - 1))]

    def fields(self, ctx) -> int:
        if self.browsing(ctx):
            return 3
        current = self._current(ctx)
        return len(current[1]) if current else 1

    def heading(self, ctx) -> str:
        if self.browsing(ctx):
            return self.browser.heading(ctx)
        current = self._current(ctx)
        if current is None:
            return self.title
        held = sorted(set(ctx.held_steps.values()))
        return f"LOCK S{held[0] + 1}" if held else current[0]


    def key(self, ctx, ev: Key) -> list | None:
        out = []
        if self.browsing(ctx):
            used = self.browser.key(ctx, ev)
            if used is not None:
                return used
        if ev.name in ("ENC3", "ENC4") and ev.action == PRESS:
            return step_set(ctx, 1 if ev.name == "ENC4" else -1)
        if ev.name not in ("LEFT", "RIGHT"):
            return None
        if ev.action == PRESS:
            count = len(self._screens(ctx))
            was = self.screen
            self.screen = max(-1, min(count - 1, self.screen + (1 if ev.name == "RIGHT" else -1)))
            if was < 0:
                out = self.browser.back(ctx)         # a preset not kept is taken back
            if self.screen < 0 <= was:
                out = self.browser.open(ctx)
        return out

    def turn(self, ctx, ev: Turn) -> list | None:
        if self.browsing(ctx):
            return self.browser.turn(ctx, ev)
        current = self._current(ctx)
        if current is None:
            ctx.message = f"T{ctx.track + 1} is not a track of this project"
            return []
        specs = current[1]
        if not 0 <= ev.encoder < len(specs):
            return []
        spec = specs[ev.encoder]
        if ctx.held_steps:
            return lock_held(ctx, spec, ev.detents)
        return self._set(ctx, spec, turn(spec, selection.sound_value(ctx, spec), ev.detents, ctx.func))

    def knob(self, ctx, ev: Knob) -> list | None:
        if self.browsing(ctx):
            return None
        current = self._current(ctx)
        if current is None or not 0 <= ev.slot < KNOB_SLOTS:
            return None
        t = selection.track(ctx)
        page = current[1][0].page
        specs = [s for name, run in selection.screens(t.instrument) for s in run if s.page == page]
        if ev.slot >= len(specs):
            return []
        spec = specs[ev.slot]
        now = selection.sound_value(ctx, spec)
        value = turn(spec, now, int(round(ev.value)), ctx.func) if ev.relative else absolute(spec, ev.value)
        return self._set(ctx, spec, value)

    def _set(self, ctx, spec, value: float) -> list:
        return ctx.edit(mix_edit.set_track_param, ctx.track, spec.key, selection.stored(spec, value),
                        label=f"{spec.key} T{ctx.track + 1}", coalesce=f"param:{ctx.track}:{spec.key}")

    def view(self, ctx):
        if self.browsing(ctx):
            return self.browser.view(ctx)
        current = self._current(ctx)
        if current is None:
            return SoundView("", (), f"T{ctx.track + 1}: no track in the project")
        name, specs = current
        held = sorted(set(ctx.held_steps.values()))
        step = selection.track_pattern(ctx).steps[held[0]] if held else None
        rows = []
        for i, spec in enumerate(specs):
            if held:
                value, locked = locked_value(ctx, spec, step)
            else:
                value, locked = selection.sound_value(ctx, spec), False
            rows.append(Field(spec.label, show(spec, value), focus_of(ctx, i, len(specs)), locked,
                              bar=None if spec.curve == "choice" else spec.to_norm(value),
                              bipolar=spec.lo < 0 < spec.hi))
        return SoundView(name, tuple(rows))
