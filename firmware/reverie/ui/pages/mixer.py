"""The mixer page: all sixteen tracks in one screen, each a level bar (the bus volume), a
peak meter (Status.meters) and its mute or solo mark.

Pads toggle their track's mute (FUNC + pad: solo, and that track gets the focus). A mute
is the bus parameter "mute", changed through the project like every other edit: the
SetParam effect carries it to the engine at once, it is saved with the project, and undo
brings it back (a separate sequencer mute would not be undone with it). ENC1..ENC4 set the
focused track's volume, pan, delay send and reverb send; LEFT/RIGHT move the focus. The top
line shows the focused track and the field last turned.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from reverie.core.defs import SIZES
from reverie.sound.buses import BUS
from reverie.base.events import PRESS, Key, Knob, Pad, Turn
from reverie.project import mix_edit
from reverie.ui import selection
from reverie.ui.fields import Field, focus_of
from reverie.ui.page import Page
from reverie.ui.turning import absolute, show, turn

TRACKS = SIZES["MAX_TRACKS"]
FIELDS = ("volume_db", "pan", "delay_send", "reverb_send")
METER_FLOOR_DB = -48.0


@dataclass(frozen=True)
class Strip:
    level: float                 # the volume, normalised 0..1
    meter: float                 # the peak, 0..1 over METER_FLOOR_DB..0 dBFS
    mute: bool
    solo: bool
    present: bool                # the project has this track


@dataclass(frozen=True)
class MixerView:
    strips: tuple[Strip, ...]
    track: int                   # the focused track
    name: str
    field: Field                 # the field last turned (the cursor's with one encoder)


class MixerPage(Page):
    name = "MIXER"
    title = "MIXER"
    help = {
        "PADS": "Mute or unmute the pad's track.",
        "FUNC+PADS": "Solo the pad's track (again: unsolo) and focus it.",
        "LEFT": "Focus the track before.",
        "RIGHT": "Focus the next track.",
        "ENC1 TURN": "The focused track's volume.",
        "ENC2 TURN": "The focused track's pan.",
        "ENC3 TURN": "The focused track's delay send.",
        "ENC4 TURN": "The focused track's reverb send.",
    }

    def __init__(self) -> None:
        self.field = 0

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name not in ("LEFT", "RIGHT"):
            return None
        if ev.action == PRESS:
            count = len(ctx.project.tracks)
            ctx.track = max(0, min(count - 1, ctx.track + (1 if ev.name == "RIGHT" else -1)))
        return []

    def pad(self, ctx, ev: Pad) -> list | None:
        if ev.velocity == 0:
            return []
        t = selection.track(ctx, ev.pad)
        if t is None:
            ctx.message = f"T{ev.pad + 1}: the project has {len(ctx.project.tracks)} tracks"
            return []
        key = "solo" if ctx.func else "mute"
        on = 0 if t.bus.get(key, 0) else 1
        if ctx.func:
            ctx.track = ev.pad
        return ctx.edit(mix_edit.set_bus_param, ev.pad, key, on,
                        label=f"{key if on else 'un' + key} T{ev.pad + 1}")

    def turn(self, ctx, ev: Turn) -> list | None:
        if not 0 <= ev.encoder < len(FIELDS):
            return []
        self.field = ev.encoder
        spec = BUS[FIELDS[ev.encoder]]
        return self._set(ctx, spec, turn(spec, selection.sound_value(ctx, spec), ev.detents, ctx.func))

    def knob(self, ctx, ev: Knob) -> list | None:
        if not 0 <= ev.slot < len(FIELDS):
            return None
        spec = BUS[FIELDS[ev.slot]]
        now = selection.sound_value(ctx, spec)
        return self._set(ctx, spec, turn(spec, now, int(round(ev.value))) if ev.relative else absolute(spec, ev.value))

    def _set(self, ctx, spec, value: float) -> list:
        if selection.track(ctx) is None:
            ctx.message = f"T{ctx.track + 1} is not a track of this project"
            return []
        return ctx.edit(mix_edit.set_bus_param, ctx.track, spec.key, value,
                        label=f"{spec.key} T{ctx.track + 1}", coalesce=f"bus:{ctx.track}:{spec.key}")

    def view(self, ctx) -> MixerView:
        volume = BUS["volume_db"]
        strips = []
        for i in range(TRACKS):
            t = selection.track(ctx, i)
            bus = t.bus if t is not None else {}
            peak = ctx.status.meters[i] if i < len(ctx.status.meters) else 0.0
            strips.append(Strip(volume.to_norm(bus.get("volume_db", volume.default)), meter(peak),
                                bool(bus.get("mute", 0)), bool(bus.get("solo", 0)), t is not None))
        index = ctx.focus % len(FIELDS) if ctx.caps.encoders < 4 else self.field
        spec = BUS[FIELDS[index]]
        field = Field(spec.label, show(spec, selection.sound_value(ctx, spec), 7), focus_of(ctx, index, 4))
        return MixerView(tuple(strips), ctx.track, selection.track_name(ctx), field)


def meter(peak: float) -> float:
    """A linear peak on the meter's scale: 0 at METER_FLOOR_DB and below, 1 at 0 dBFS."""
    if not isinstance(peak, (int, float)) or not peak > 0:
        return 0.0
    db = 20 * math.log10(peak)
    return min(1.0, max(0.0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB))
