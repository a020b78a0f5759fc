"""The step page: all of one step of the focused track, as a list. ENC1 chooses the line,
ENC2 changes it, ENC3 (or LEFT/RIGHT) goes to the step before or after; a push of ENC2
removes what the line holds (a chord note, a lock, the whole step on the TRIG line) or, on
the last line, adds a lock on the parameter chosen there, at the track's own value.

Lines: TRIG (empty, on or off: turning an empty step up makes a trig), the chord's notes
N1..N4, velocity, length, micro, probability, condition, retrig rate, length and velocity
ramp, accent and slide (up: on, down: off), one line per lock, then "+LOCK". The pattern page opens it (hold a pad half a
second); the PATTERN key goes back.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.errors import UserError
from reverie.base.events import PRESS, Key, Turn
from reverie.project import edit
from reverie.project.pattern import MAX_NOTES, Step, lock_specs
from reverie.ui import selection
from reverie.ui.page import Page
from reverie.ui.pages.held_edit import locked_value
from reverie.ui.step_fields import LABELS, show, turned, without_note
from reverie.ui.turning import show as show_value, turn

FIELD_LINES = ("velocity", "length", "micro", "prob", "cond", "rate", "rlen", "ramp", "accent", "slide")


@dataclass(frozen=True)
class StepView:
    step: int                    # 0-based
    length: int                  # the track's length
    name: str                    # the track's name
    state: str                   # "on", "off" or "empty"
    lines: tuple[tuple[str, str, bool], ...]     # (label, value, a lock)
    cursor: int                  # the line chosen
    focus: int                   # one encoder: 0 line, 1 value, 2 step; -1 with four encoders


class StepPage(Page):
    name = "STEP"
    title = "STEP"
    help = {
        "ENC1 TURN": "Choose a line: notes, timing, retrig, accent, slide, locks.",
        "ENC2 TURN": "Change the chosen line. On +LOCK: choose a parameter to lock.",
        "ENC2 PUSH": "Remove this note or lock. TRIG line: clear the step. +LOCK: add it.",
        "ENC3 TURN": "The step before or after.",
        "LEFT": "The step before.",
        "RIGHT": "The step after.",
        "PATTERN": "Back to the pattern page.",
    }

    def __init__(self) -> None:
        self.line = 0
        self.pick = 0                # the parameter chosen on the +LOCK line

    def fields(self, ctx) -> int:
        return 3

    def enter(self, ctx) -> list:
        self.line = 0
        return []

    # ---- what the lines are -------------------------------------------------------------

    def _where(self, ctx):
        tp = selection.track_pattern(ctx)
        index = max(0, min(ctx.step, tp.length - 1))
        return selection.pattern_name(ctx), ctx.track, index, tp.steps[index]

    def _specs(self, ctx) -> list:
        t = selection.track(ctx)
        kind, instrument = (t.kind, t.instrument) if t is not None else ("audio", "sampler")
        return list(lock_specs(kind, instrument).values())

    def _lines(self, ctx, step: Step | None) -> list[tuple[str, object]]:
        count = len(step.notes) if step is not None else 1
        notes = [("field", f"note{k + 1}") for k in range(min(MAX_NOTES, count + 1))]
        locks = [("lock", s) for s in self._specs(ctx) if step is not None and s.key in step.locks]
        return ([("field", "trig")] + notes + [("field", f) for f in FIELD_LINES] + locks
                + [("add", None)])

    def _addable(self, ctx, step: Step | None) -> list:
        return [s for s in self._specs(ctx) if step is None or s.key not in step.locks]

    # ---- input --------------------------------------------------------------------------

    def key(self, ctx, ev: Key) -> list | None:
        if ev.action != PRESS:
            return [] if ev.name in ("LEFT", "RIGHT", "ENC2") else None
        if ev.name in ("LEFT", "RIGHT"):
            self._move(ctx, 1 if ev.name == "RIGHT" else -1)
            return []
        if ev.name == "ENC2":
            return self._push(ctx)
        return None

    def turn(self, ctx, ev: Turn) -> list | None:
        name, track, index, step = self._where(ctx)
        lines = self._lines(ctx, step)
        if ev.encoder == 0:
            self.line = max(0, min(len(lines) - 1, self.line + ev.detents))
            return []
        if ev.encoder == 2:
            self._move(ctx, ev.detents)
            return []
        if ev.encoder != 1:
            return []
        kind, what = lines[min(self.line, len(lines) - 1)]
        if kind == "add":
            self.pick = max(0, min(len(self._addable(ctx, step)) - 1, self.pick + ev.detents))
            return []
        if kind == "lock":
            value, _ = locked_value(ctx, what, step)
            return ctx.edit(edit.set_lock, name, track, index, what.key,
                            selection.stored(what, turn(what, value, ev.detents, ctx.func)),
                            coalesce=f"lock {name} {track} {index} {what.key}")
        if step is None and what == "trig":
            return ctx.edit(edit.set_step, name, track, index, Step()) if ev.detents > 0 else []
        if step is None:
            ctx.message = f"{edit.where(name, track, index)} is empty: turn TRIG up first"
            return []
        field, value = turned(step, what, ev.detents, ctx.func)
        return ctx.edit(edit.set_field, name, track, index, field, value,
                        label=f"set {field} {edit.where(name, track, index)}",
                        coalesce=f"step {name} {track} {index} {what}")

    def _move(self, ctx, d: int) -> None:
        length = selection.track_pattern(ctx).length
        ctx.step = max(0, min(length - 1, ctx.step + d))

    def _push(self, ctx) -> list:
        name, track, index, step = self._where(ctx)
        lines = self._lines(ctx, step)
        kind, what = lines[min(self.line, len(lines) - 1)]
        if kind == "add":
            addable = self._addable(ctx, step)
            if not addable:
                raise UserError("every parameter is locked on this step")
            spec = addable[min(self.pick, len(addable) - 1)]
            value = selection.stored(spec, selection.sound_value(ctx, spec))
            return ctx.edit(edit.set_lock, name, track, index, spec.key, value)
        if kind == "lock":
            return ctx.edit(edit.set_lock, name, track, index, what.key, None)
        if what == "trig":
            return ctx.edit(edit.clear_step, name, track, index)
        if what.startswith("note") and step is not None:
            return ctx.edit(edit.set_field, name, track, index, "notes", without_note(step.notes, int(what[4:]) - 1))
        return []

    # ---- view ---------------------------------------------------------------------------

    def view(self, ctx) -> StepView:
        _, _, index, step = self._where(ctx)
        lines = self._lines(ctx, step)
        self.line = min(self.line, len(lines) - 1)
        shown = []
        for kind, what in lines:
            if kind == "add":
                addable = self._addable(ctx, step)
                label = addable[min(self.pick, len(addable) - 1)].label if addable else "-"
                shown.append(("+LOCK", label, False))
            elif kind == "lock":
                value, _ = locked_value(ctx, what, step)
                shown.append((what.label, show_value(what, value), True))
            elif what == "trig":
                shown.append((LABELS["trig"], "empty" if step is None else show(step, "trig"), False))
            else:
                shown.append((LABELS[what], show(step, what), False))
        state = "empty" if step is None else ("on" if step.trig else "off")
        focus = ctx.focus % 3 if ctx.caps.encoders < 4 else -1
        return StepView(index, selection.track_pattern(ctx).length, selection.track_name(ctx), state,
                        tuple(shown), self.line, focus)
