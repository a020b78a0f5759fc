"""A grid controller (8 x 8 buttons with LEDs) as a step grid for the focused track: the 64
steps of the pattern shown, step = 8 * y + x, row 0 at the top. A press toggles the step
(a trig added, or cleared with its data); the cells say what the LEDs show, in the states
hal/grid.py knows ("off", "step", "step_playing", "playhead", "focus", "muted")."""
from __future__ import annotations

from reverie.base.events import Grid
from reverie.project import edit
from reverie.ui import selection

SIZE = 8


def press(ctx, ev: Grid) -> list:
    if not ev.pressed:
        return []
    step = SIZE * ev.y + ev.x
    length = selection.track_pattern(ctx).length
    if step >= length:
        ctx.message = f"T{ctx.track + 1} has {length} steps"
        return []
    ctx.step = step
    return ctx.edit(edit.toggle_step, selection.pattern_name(ctx), ctx.track, step)


def cells(ctx) -> tuple[tuple[str, ...], ...]:
    tp = selection.track_pattern(ctx)
    t = selection.track(ctx)
    muted = t is not None and bool(t.bus.get("mute", 0))
    playing = ctx.status.steps[ctx.track] if ctx.status.playing else -1
    held = set(ctx.held_steps.values())

    def state(step: int) -> str:
        trig = step < tp.length and tp.steps[step] is not None
        if step == playing:
            return "step_playing" if trig else "playhead"
        if step in held:
            return "focus"
        if trig:
            return "muted" if muted else "step"
        return "off"

    return tuple(tuple(state(SIZE * y + x) for x in range(SIZE)) for y in range(SIZE))
