"""The GEN page: generators for the focused track, each one press and one undo step
(project/generate.py): a Euclidean rhythm, a melody in the settings page's scale, a fill.

ENC1..ENC3 set the Euclidean rhythm's pulses, steps and rotation (shown as it would be
written); a push of any of them writes it into the focused track. ENC4 chooses EUCLID,
MELODY or FILL and its push does the one chosen. LEFT/RIGHT focus the track before or after;
the pads play their tracks, to listen.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import PRESS, Key, Turn
from reverie.project import generate, scales
from reverie.project.euclid import euclid
from reverie.ui import selection
from reverie.ui.one_knob import one_knob, step
from reverie.ui.page import Page

ACTIONS = ("EUCLID", "MELODY", "FILL")
MAX_EUCLID_STEPS = 64


@dataclass(frozen=True)
class GenerateView:
    track: str                     # "T3 Clap"
    pulses: int
    steps: int
    rotation: int
    rhythm: tuple[bool, ...]       # E(pulses, steps) rotated: what EUCLID writes
    scale: str                     # "A minor": what MELODY plays in
    action: int                    # the one ENC4 pushes: index into ACTIONS
    focus: int                     # one encoder: the focused field; -1 = four encoders


class GeneratePage(Page):
    name = "GEN"
    title = "GEN"
    help = {
        "ENC1": "turn: the rhythm's pulses; push: write the rhythm into the track",
        "ENC2": "turn: the rhythm's steps; push: write the rhythm into the track",
        "ENC3": "turn: rotate the rhythm; push: write it into the track",
        "ENC4": "turn: rhythm, melody or fill; push: do it (FUNC+LEFT undoes)",
        "LEFT": "Focus the track before.", "RIGHT": "Focus the next track.",
        "PADS": "Play the pad's track.",
    }

    def __init__(self) -> None:
        self.pulses = 4
        self.steps = 16
        self.rotation = 0
        self.action = 0

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                ctx.track = step(ctx.track, -1 if ev.name == "LEFT" else 1, 0, max(0, len(ctx.project.tracks) - 1))
            return []
        if ev.action != PRESS or ev.name not in ("ENC1", "ENC2", "ENC3", "ENC4"):
            return None
        return self.run(ctx, self.action if ev.name == "ENC4" else 0)

    def turn(self, ctx, ev: Turn) -> list | None:
        d = ev.detents
        if ev.encoder == 0:
            self.pulses = step(self.pulses, d, 0, self.steps)
        elif ev.encoder == 1:
            self.steps = step(self.steps, d, 1, MAX_EUCLID_STEPS)
            self.pulses = min(self.pulses, self.steps)
            self.rotation %= self.steps
        elif ev.encoder == 2:
            self.rotation = (self.rotation + d) % self.steps
        else:
            self.action = step(self.action, d, 0, len(ACTIONS) - 1)
        return []

    def run(self, ctx, action: int) -> list:
        """Does generator `action` on the focused track: one edit, undoable."""
        name, track = selection.pattern_name(ctx), ctx.track
        if selection.track(ctx) is None:
            ctx.message = f"T{track + 1}: the project has {len(ctx.project.tracks)} tracks"
            return []
        place = f"{name} T{track + 1}"
        if ACTIONS[action] == "EUCLID":
            out = ctx.edit(generate.euclid, name, track, self.pulses, self.steps, self.rotation,
                           label=f"E({self.pulses},{self.steps}) {place}")
            what = f"E({self.pulses},{self.steps}) into T{track + 1}"
        elif ACTIONS[action] == "MELODY":
            scale, root = self._scale(ctx)
            out = ctx.edit(generate.melody, name, track, scale.name, root, label=f"melody {place}")
            what = f"a melody in {scales.NOTE_NAMES[root]} {scale.name}"
        else:
            out = ctx.edit(generate.fill, name, track, label=f"fill {place}")
            what = f"a fill in T{track + 1}'s last bar"
        if not ctx.message:
            ctx.message = f"{what}; FUNC+LEFT undoes"
        return out

    @staticmethod
    def _scale(ctx):
        scale = scales.get(ctx.settings.get("pads.scale", "off"))
        root = ctx.settings.get("pads.root", 0)
        root = root if isinstance(root, int) and not isinstance(root, bool) and 0 <= root < 12 else 0
        return (scales.BY_NAME["major"] if scale.name == "off" else scale), root

    def view(self, ctx) -> GenerateView:
        scale, root = self._scale(ctx)
        return GenerateView(f"T{ctx.track + 1} {selection.track_name(ctx)}", self.pulses, self.steps,
                            self.rotation, euclid(self.pulses, self.steps, self.rotation),
                            f"{scales.NOTE_NAMES[root]} {scale.name}", self.action,
                            ctx.focus if one_knob(ctx) else -1)
