"""Editing the steps held on the pattern page: the encoders edit every held step, by
layers. TRIG: note (the chord moves as one), velocity, gate length, micro-timing. MORE:
probability, condition, retrig rate and retrig length. ACCENT: accent and slide (up: on,
down: off). Then the sound's screens and the mix
(selection.lock_screens): a turn there locks the parameter on the held steps, starting from
the lock already there or else the track's own value. All the turns of one field while the
steps are held make one undo entry."""
from __future__ import annotations

from reverie.base.errors import UserError
from reverie.project import edit
from reverie.ui import selection
from reverie.ui.fields import Field, focus_of
from reverie.ui.step_fields import LABELS, show, turned
from reverie.ui.turning import show as show_value, turn

STEP_LAYERS = (("TRIG", ("note", "velocity", "length", "micro")),
               ("MORE", ("prob", "cond", "rate", "rlen")),
               ("ACCENT", ("accent", "slide")))


class HeldEdit:
    def __init__(self) -> None:
        self.layer = 0

    def layers(self, ctx) -> list[tuple[str, tuple]]:
        return list(STEP_LAYERS) + selection.lock_screens(ctx)

    def current(self, ctx) -> tuple[str, tuple]:
        layers = self.layers(ctx)
        return layers[min(self.layer, len(layers) - 1)]

    def count(self, ctx) -> int:
        return len(self.current(ctx)[1])

    def move(self, ctx, d: int) -> None:
        self.layer = max(0, min(len(self.layers(ctx)) - 1, self.layer + d))

    def turn(self, ctx, encoder: int, detents: int) -> list:
        _, items = self.current(ctx)
        if not 0 <= encoder < len(items):
            return []
        item = items[encoder]
        if not isinstance(item, str):
            return lock_held(ctx, item, detents)
        name, track = selection.pattern_name(ctx), ctx.track
        out: list = []
        for index in sorted(set(ctx.held_steps.values())):
            step = selection.track_pattern(ctx).steps[index]
            place = edit.where(name, track, index)
            if step is None:
                continue
            try:
                field, value = turned(step, item, detents, ctx.func)
            except UserError as exc:
                ctx.message = f"{place}: {exc}"
                continue
            out += ctx.edit(edit.set_field, name, track, index, field, value,
                            label=f"set {field} {place}", coalesce=f"held {name} {track} {item}")
        return unique(out)

    def fields(self, ctx) -> tuple[str, tuple[Field, ...]]:
        """("S5 TRIG", the layer's fields for the first held step)."""
        layer, items = self.current(ctx)
        held = sorted(set(ctx.held_steps.values()))
        step = selection.track_pattern(ctx).steps[held[0]]
        more = f"+{len(held) - 1}" if len(held) > 1 else ""
        out = []
        for i, item in enumerate(items):
            focus = focus_of(ctx, i, len(items))
            if isinstance(item, str):
                out.append(Field(LABELS[item], show(step, item), focus))
                continue
            value, locked = locked_value(ctx, item, step)
            width = 4 if item.curve == "choice" else 5      # a choice's name is cut: keep a gap
            out.append(Field(item.label, show_value(item, value, width), focus, marked=locked))
        return f"S{held[0] + 1}{more} {layer}", tuple(out)


def lock_held(ctx, spec, detents: int) -> list:
    """Turns the lock of `spec` on every held step, from the lock there or the track's value."""
    name, track = selection.pattern_name(ctx), ctx.track
    out: list = []
    for index in sorted(set(ctx.held_steps.values())):
        step = selection.track_pattern(ctx).steps[index]
        locks = step.locks if step is not None else {}
        now = selection.as_number(spec, locks[spec.key]) if spec.key in locks else selection.sound_value(ctx, spec)
        value = selection.stored(spec, turn(spec, now, detents, ctx.func))
        out += ctx.edit(edit.set_lock, name, track, index, spec.key, value,
                        label=f"lock {spec.key} {edit.where(name, track, index)}",
                        coalesce=f"lock {name} {track} {spec.key}")
    return unique(out)


def locked_value(ctx, spec, step) -> tuple[float, bool]:
    """(the value a held step plays for `spec`, whether a lock holds it)."""
    if step is not None and spec.key in step.locks:
        return selection.as_number(spec, step.locks[spec.key]), True
    return selection.sound_value(ctx, spec), False


def unique(effects: list) -> list:
    """The effects in order, each once (many held steps edit one pattern)."""
    seen, out = set(), []
    for e in effects:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out
