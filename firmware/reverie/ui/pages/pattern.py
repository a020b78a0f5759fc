"""The pattern page: the focused track's steps, sixteen at a time (one per pad).

A pad on an empty step adds a trig at once; a pad on a trig clears it when let go, unless
it was held to edit (a turn) or held half a second (the step page opens). While pads are
held the encoders edit those steps, by layers that LEFT/RIGHT change: TRIG (note, velocity,
length, micro), MORE (probability, condition, retrig rate and length), then the sound's
screens and the mix, where a turn locks the parameter on the held steps (held_edit.py).
With nothing held: ENC1 tempo, ENC2 swing, ENC3 track length (FUNC: the pattern's),
ENC4 track speed; LEFT/RIGHT the 16-step page of a longer track.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from reverie.base.events import LONG_PRESS_S, PRESS, Key, Knob, Pad, Turn
from reverie.sound.params import ParamSpec
from reverie.project import edit, mix_edit
from reverie.project.model import TEMPO
from reverie.project.pattern import MAX_PATTERN_LENGTH, SPEEDS, Step
from reverie.ui import selection
from reverie.ui.fields import Field, focus_of
from reverie.ui.page import Page
from reverie.ui.pages.held_edit import HeldEdit
from reverie.ui.turning import absolute, number, turn

CELLS = 16
EMPTY, TRIG, LOCKED, OFF, NONE = range(5)      # cell kinds; NONE: past the track's end
SWING = ParamSpec("swing", 0, "SWNG", 50, 75, 50, "int", "%")
LENGTH = ParamSpec("length", 0, "LEN", 1, 128, 16, "int")
SPEED = ParamSpec("speed", 0, "SPD", 0, len(SPEEDS) - 1, SPEEDS.index("1"), "choice", choices=SPEEDS)
PATTERN_LENGTH = ParamSpec("pattern_length", 0, "PLEN", 1, MAX_PATTERN_LENGTH, 16, "int")


@dataclass(frozen=True)
class PatternView:
    track: int
    name: str                    # the track's name
    cells: tuple[int, ...]       # CELLS kinds: EMPTY, TRIG, LOCKED, OFF, NONE
    playhead: int                # the cell playing, -1 when none on this page
    held: tuple[int, ...]        # cells held
    page: int                    # the 16-step page shown, from 0
    pages: int
    info: str                    # what the encoders edit now: "" or "S5 TRIG", "S5 FILT 1/3"
    fields: tuple[Field, ...]


@dataclass
class _Press:
    step: int
    t: float
    existed: bool                # the step had a trig when pressed (let go: cleared)
    edited: bool = False         # a turn used it: let go does nothing


class PatternPage(Page):
    name = "PATTERN"
    title = "PATTERN"
    help = {
        "PADS": "Add or clear a trig. Hold+turn: edit the step. Hold 1/2 s: step page.",
        "LEFT": "The previous 16 steps. Holding a step: the previous edit layer.",
        "RIGHT": "The next 16 steps. Holding a step: the next edit layer.",
        "ENC1 TURN": "Tempo (FUNC: fine). Holding a step: its note or the layer's 1st field.",
        "ENC2 TURN": "Swing 50..75%. Holding a step: velocity or the layer's 2nd field.",
        "ENC3 TURN": "Track length (FUNC: the pattern's). Holding: gate length or 3rd field.",
        "ENC4 TURN": "Track speed 1/8x..2x. Holding a step: micro-timing or the 4th field.",
    }

    def __init__(self) -> None:
        self.page = 0
        self.held_edit = HeldEdit()
        self._presses: dict[int, _Press] = {}

    def enter(self, ctx) -> list:
        self._presses.clear()
        return []

    def fields(self, ctx) -> int:
        return self.held_edit.count(ctx) if ctx.held_steps else 4

    # ---- input --------------------------------------------------------------------------

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name not in ("LEFT", "RIGHT"):
            return None
        if ev.action == PRESS:
            d = 1 if ev.name == "RIGHT" else -1
            if ctx.held_steps:
                self.held_edit.move(ctx, d)
            else:
                self.page = max(0, min(self._pages(ctx) - 1, self._page(ctx) + d))
        return []

    def pad(self, ctx, ev: Pad) -> list | None:
        if ctx.func or (ctx.status.playing and ctx.recording):
            return None
        tp = selection.track_pattern(ctx)
        name = selection.pattern_name(ctx)
        if ev.velocity:
            step = self._page(ctx) * CELLS + ev.pad
            if step >= tp.length:
                ctx.message = f"T{ctx.track + 1} has {tp.length} steps: ENC3 makes it longer"
                return []
            existed = tp.steps[step] is not None
            out = [] if existed else ctx.edit(edit.toggle_step, name, ctx.track, step)
            self._presses[ev.pad] = _Press(step, ev.t, existed)
            ctx.held_steps[ev.pad] = step
            ctx.step = step
            return out
        press = self._presses.pop(ev.pad, None)
        if press is None or press.edited:
            return []
        if ev.t - press.t >= LONG_PRESS_S:
            ctx.step, ctx.goto = press.step, "STEP"
            return []
        return ctx.edit(edit.toggle_step, name, ctx.track, press.step) if press.existed else []

    def turn(self, ctx, ev: Turn) -> list | None:
        if ctx.held_steps:
            for press in self._presses.values():
                press.edited = True
            return self.held_edit.turn(ctx, ev.encoder, ev.detents)
        spec, value = self._specs(ctx)[ev.encoder] if ev.encoder < 4 else (None, 0)
        if spec is None:
            return []
        fine = ctx.func and spec is TEMPO
        return self._set(ctx, ev.encoder, turn(spec, value, ev.detents, fine))

    def knob(self, ctx, ev: Knob) -> list | None:
        if ctx.held_steps or not 0 <= ev.slot < 4:
            return None
        spec, value = self._specs(ctx)[ev.slot]
        new = turn(spec, value, int(round(ev.value))) if ev.relative else absolute(spec, ev.value)
        return self._set(ctx, ev.slot, new)

    # ---- the four fields ----------------------------------------------------------------

    def _specs(self, ctx) -> list[tuple[ParamSpec, float]]:
        pattern = ctx.project.pattern_at(selection.pattern_name(ctx))
        tp = pattern.tracks[ctx.track]
        length = (PATTERN_LENGTH, pattern.length) if ctx.func else (LENGTH, tp.length)
        return [(TEMPO, ctx.project.tempo), (SWING, pattern.swing), length,
                (SPEED, SPEEDS.index(tp.speed))]

    def _set(self, ctx, encoder: int, value: float) -> list:
        name, track = selection.pattern_name(ctx), ctx.track
        if encoder == 0:
            return ctx.edit(mix_edit.set_tempo, value, label="tempo", coalesce="tempo")
        if encoder == 1:
            return ctx.edit(edit.set_swing, name, int(value), coalesce=f"swing {name}")
        if encoder == 2 and ctx.func:
            return ctx.edit(edit.set_pattern_length, name, int(value), coalesce=f"plen {name}")
        if encoder == 2:
            return ctx.edit(set_length, name, track, int(value), coalesce=f"length {name} {track}")
        return ctx.edit(set_speed, name, track, SPEEDS[int(value)], coalesce=f"speed {name} {track}")

    # ---- view ---------------------------------------------------------------------------

    def _pages(self, ctx) -> int:
        return max(1, ceil(selection.track_pattern(ctx).length / CELLS))

    def _page(self, ctx) -> int:
        return min(self.page, self._pages(ctx) - 1)

    def view(self, ctx) -> PatternView:
        tp = selection.track_pattern(ctx)
        page = self._page(ctx)
        first = page * CELLS
        cells = tuple(_kind(tp.steps[i]) if i < tp.length else NONE for i in range(first, first + CELLS))
        playing = ctx.status.steps[ctx.track] if ctx.status.playing else -1
        held = tuple(sorted(s - first for s in ctx.held_steps.values() if first <= s < first + CELLS))
        if ctx.held_steps:
            info, fields = self.held_edit.fields(ctx)
        else:
            info, fields = "", self._fields(ctx)
        return PatternView(ctx.track, selection.track_name(ctx), cells,
                           playing - first if first <= playing < first + CELLS else -1,
                           held, page, self._pages(ctx), info, fields)

    def _fields(self, ctx) -> tuple[Field, ...]:
        (_, bpm), (_, swing), (lspec, length), (_, speed) = self._specs(ctx)
        values = (number(bpm, 5), f"{int(swing)}%", str(int(length)), f"{SPEEDS[int(speed)]}x")
        labels = ("BPM", "SWNG", lspec.label, "SPD")
        return tuple(Field(label, value, focus_of(ctx, i, 4)) for i, (label, value) in enumerate(zip(labels, values)))


def _kind(step: Step | None) -> int:
    if step is None:
        return EMPTY
    if not step.trig:
        return OFF
    return LOCKED if step.locks or step.sample else TRIG


def set_length(project, name: str, track: int, length: int):
    """A track's length; the pattern grows to hold one whole pass of it (never shrinks)."""
    return _fit(edit.set_track_length(project, name, track, length), name, track)


def set_speed(project, name: str, track: int, speed: str):
    """A track's speed; the pattern grows to hold one whole pass of it (never shrinks)."""
    return _fit(edit.set_track_speed(project, name, track, speed), name, track)


def _fit(project, name: str, track: int):
    pattern = edit.get_pattern(project, name)
    tp = pattern.tracks[track]
    need = ceil(tp.length / Fraction(tp.speed))
    if pattern.length < need:
        project = edit.set_pattern_length(project, name, min(edit.MAX_PATTERN_LENGTH, need))
    return project
