"""The KEYS page: the pads play the focused track's sound as an in-scale keyboard (ui/keys.py),
so no pad is a wrong note. A pad plays one note, or the diatonic chord on it (a triad or a
seventh chord of the scale); with latch on, a pad holds its note or chord until it is hit
again (or STOP, or latch off), so a whole idea can be played with one finger.

The scale and its root are the settings page's (`pads.scale`, `pads.root`): the same ones
lock a keyboard's notes. Notes go out as the pads' do (GlobalInput.play): recorded while REC
is on, stamped one period later by the applier, let go by STOP.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import PADS, PRESS, Key, Pad, Turn
from reverie.project import scales
from reverie.ui import effects as fx
from reverie.ui.keys import CHORD_NAMES, CHORDS, DEFAULT_OCTAVE, LAYOUTS, Layout, note_name
from reverie.ui.one_knob import one_knob, step
from reverie.ui.page import Page

MAX_CHORD = max(CHORDS)


@dataclass(frozen=True)
class PadCell:
    name: str                      # the pad's note, "A3"
    root: bool                     # the scale's root: outlined where the screen shows it
    sounding: bool                 # held or latched now


@dataclass(frozen=True)
class KeysView:
    scale: str                     # "minor"
    root: str                      # "A"
    octave: int
    chords: str                    # "notes", "triads", "7ths"
    latch: bool
    layout: str                    # "4ths", "rows"
    pads: tuple[PadCell, ...]      # 16, pad 1 first (top left)
    playing: tuple[str, ...]       # the notes the last pad hit played
    focus: int                     # one encoder: the focused field; -1 = four encoders


class KeysPage(Page):
    name = "KEYS"
    title = "KEYS"
    help = {
        "PADS": "Play the focused track in the scale: no wrong notes. Bottom left: the root.",
        "FUNC+PADS": "Focus that track: the pads play its sound.",
        "ENC1": "turn: the scale (also the keyboard's lock); push: rows 4ths or in order",
        "ENC2": "turn: the scale's root note",
        "ENC3": "turn: notes, triads or 7th chords; push: latch on/off (a hit holds)",
        "ENC4": "turn: the octave",
        "LEFT": "An octave down.", "RIGHT": "An octave up.",
    }

    def __init__(self) -> None:
        self.octave = DEFAULT_OCTAVE
        self.chord = 1
        self.latch = False
        self.layout = LAYOUTS[0]
        self.last: tuple[int, ...] = ()

    # --- what the pads play ----------------------------------------------------------

    def current(self, ctx) -> Layout:
        s = ctx.settings
        root = s.get("pads.root", 0)
        root = root if isinstance(root, int) and not isinstance(root, bool) and 0 <= root < 12 else 0
        layout = Layout(scales.get(s.get("pads.scale", "off")), root, self.octave, self.layout)
        return layout.shifted(0)       # an octave out of range for this scale comes back in

    def pad(self, ctx, ev: Pad) -> list | None:
        if ev.velocity and ctx.func:
            return None                                # the machine: focus that track
        live = ctx.live
        keys = [("keys", ev.pad, i) for i in range(MAX_CHORD)]
        if ev.velocity == 0:
            return [] if self.latch else self._release(live, keys, ev.t)
        if self.latch and live.holding(keys[0]):
            return self._release(live, keys, ev.t)    # latched: a second hit lets go
        out = self._release(live, keys, ev.t)         # a retrigger ends what the pad held
        self.last = self.current(ctx).notes(ev.pad, self.chord)
        for key, note in zip(keys, self.last):
            out += live.play(key, ctx.track, note, ev.velocity, ev.t)
        return out

    @staticmethod
    def _release(live, keys, t: float) -> list:
        out = []
        for key in keys:
            if live.holding(key):
                out += live.play(key, 0, 0, 0, t)
        return out

    def _unlatch(self, ctx, t: float) -> list:
        out = []
        for pad in range(PADS):
            out += self._release(ctx.live, [("keys", pad, i) for i in range(MAX_CHORD)], t)
        return out

    # --- controls --------------------------------------------------------------------

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                self._octave(ctx, -1 if ev.name == "LEFT" else 1)
            return []
        if ev.action != PRESS or ev.name not in ("ENC1", "ENC3"):
            return None                                # a one-knob click moves the focus
        if ev.name == "ENC1":
            self.layout = LAYOUTS[(LAYOUTS.index(self.layout) + 1) % len(LAYOUTS)]
            ctx.message = f"rows: {'a 4th apart' if self.layout == '4ths' else 'in order'}"
            return []
        self.latch = not self.latch
        ctx.message = "latch on: a hit holds" if self.latch else "latch off"
        return [] if self.latch else self._unlatch(ctx, ev.t)

    def turn(self, ctx, ev: Turn) -> list | None:
        d = ev.detents
        if ev.encoder == 0:
            names = scales.NAMES
            now = scales.get(ctx.settings.get("pads.scale", "off")).name
            return self._setting(ctx, "pads.scale", names[step(names.index(now), d, 0, len(names) - 1)])
        if ev.encoder == 1:
            return self._setting(ctx, "pads.root", (self.current(ctx).root + d) % 12)
        if ev.encoder == 2:
            self.chord = CHORDS[step(CHORDS.index(self.chord), d, 0, len(CHORDS) - 1)]
            return []
        self._octave(ctx, d)
        return []

    def _octave(self, ctx, d: int) -> None:
        self.octave = self.current(ctx).shifted(d).octave

    @staticmethod
    def _setting(ctx, key: str, value) -> list:
        if ctx.settings.get(key) == value:
            return []
        ctx.settings[key] = value
        return [fx.Setting(key, value)]

    # --- the screen ------------------------------------------------------------------

    def view(self, ctx) -> KeysView:
        layout = self.current(ctx)
        live = ctx.live
        pads = tuple(PadCell(note_name(layout.note(p)), layout.is_root(p),
                             live is not None and live.holding(("keys", p, 0))) for p in range(PADS))
        return KeysView(layout.scale.name, scales.NOTE_NAMES[layout.root], layout.octave,
                        CHORD_NAMES[self.chord], self.latch, self.layout, pads,
                        tuple(note_name(n) for n in self.last), ctx.focus if one_knob(ctx) else -1)
