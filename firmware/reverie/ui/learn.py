"""MIDI learn: hold FUNC and move a controller's knob, and it is bound to the parameter on
the encoder you last turned on this page (or, with one encoder, the field under the cursor).
The binding lives with the controllers (reverie/hal/controllers/learn.py); from then on that knob arrives as
a Knob with the parameter's key and sets it on whichever track is current.

Learnable: the sound page's four parameters, the mixer's four bus parameters, and the tempo
on the pattern page."""
from __future__ import annotations

from reverie.base.events import Control
from reverie.ui import effects as fx
from reverie.ui import selection
from reverie.ui.pages.mixer import FIELDS as MIXER_FIELDS


def targets(ui) -> tuple[str, ...]:
    """The learnable keys of the page's encoder fields, ENC1 first ("" = not learnable)."""
    ctx, page = ui.context, ui.page_name
    if page == "SOUND":
        t = selection.track(ctx)
        if t is None:
            return ()
        current = ui.page._current(ctx)
        return tuple(s.key for s in current[1]) if current else ()
    if page == "MIXER":
        return tuple(f"bus.{k}" for k in MIXER_FIELDS)
    if page == "PATTERN" and not ctx.held_steps:
        return ("master.tempo_bpm",)
    return ()


def learn(ui, ev: Control) -> list:
    ctx = ui.context
    if not ctx.func:
        return []
    keys = targets(ui)
    if not keys:
        ctx.message = f"{ui.page_name}: nothing here to learn"
        return []
    index = ctx.focus if ctx.caps.encoders < 4 else ctx.last_encoder
    key = keys[index % len(keys)]
    ctx.message = f"CC{ev.control} ch{ev.channel + 1} -> {key.rpartition('.')[2]}"
    return [fx.Learn(ev.device, ev.channel, ev.control, key, -1)]
