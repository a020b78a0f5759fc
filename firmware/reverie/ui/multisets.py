"""Choosing the set a multisample track plays, on the sound page: ENC3 and ENC4 pushes step
through Context.multisets (read by a ListMultisamples job when the page opens) and set the
track's `multisample` through the undo history; the change's LoadMultisample effect loads it."""
from __future__ import annotations

from reverie.project import mix_edit
from reverie.ui import selection


def step_set(ctx, d: int) -> list | None:
    """The set `d` places from the track's own in ctx.multisets; None when the track is not
    a multisample track (the push is not this page's)."""
    t = selection.track(ctx)
    if t is None or t.instrument != "multisample":
        return None
    sets = ctx.multisets
    if not sets:
        ctx.message = "no sets yet: import one (reverie import)"
        return []
    at = sets.index(t.multisample) + d if t.multisample in sets else (0 if d > 0 else len(sets) - 1)
    ref = sets[at % len(sets)]
    ctx.message = f"T{ctx.track + 1} set {ref} ({sets.index(ref) + 1}/{len(sets)})"
    return ctx.edit(mix_edit.set_track_multisample, ctx.track, ref, label=f"T{ctx.track + 1} set {ref}")
