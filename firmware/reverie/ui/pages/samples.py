"""The sample browser: the samples the box offers (Status.samples), the focused one's waveform,
the focused track's start, end and loop markers over it, and loading a sample on the track.

Waveforms come from the app: the page asks for a missing one with a LoadOverview effect and
draws it once it is in Context.overviews (ui/waveform.py). Markers are the sampler's
parameters (fractions of the sample; a loop marker of -1 uses the file's own loop point, or
none), edited through the project so a turn of an encoder is one undo entry.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import DOUBLE, LONG, PRESS, Key, Pad, Turn
from reverie.sound.instruments import INSTRUMENTS
from reverie.project import mix_edit
from reverie.ui import effects as fx
from reverie.ui.one_knob import SHORT, Push, one_knob, step
from reverie.ui.page import Page
from reverie.ui.waveform import Overview

MARKERS = ("start", "end", "loop_start", "loop_end")
FIELDS = ("list", "load") + MARKERS            # the one-encoder focus, in order
COARSE = 1 / 128                               # a screen column per detent
FINE = 1 / 2048


@dataclass(frozen=True)
class SamplesView:
    sample: str                    # the focused sample's reference, "" when there are none
    index: int
    count: int
    loaded: bool                   # the focused track plays this sample
    track: int
    overview: Overview | None      # None until the app has made it
    markers: tuple[float, float, float, float]   # start, end, loop start, loop end
    marker: str                    # the marker ENC3/ENC4 move
    focus: str                     # the one field a single encoder edits; "" = four encoders


class SamplesPage(Page):
    name = "SAMPLE"
    title = "SAMPLES"
    help = {
        "ENC1": "turn: pick a sample; push: put it on the focused track",
        "ENC2 TURN": "Choose a marker: start, end, loop start, loop end.",
        "ENC3 TURN": "Move the marker, a screen column a click.",
        "ENC4 TURN": "Move the marker finely.",
        "PADS": "Play the focused track: pad 1 at its root note, a semitone a pad.",
    }

    def __init__(self) -> None:
        self.index = 0
        self.marker = "start"
        self.focus = "list"
        self._push = Push()
        self._asked: set[str] = set()
        self._sounding: dict[int, tuple[int, int]] = {}   # pad -> (track, note) it plays

    def enter(self, ctx) -> list:
        samples, tracks = ctx.status.samples, ctx.project.tracks
        if 0 <= ctx.track < len(tracks) and tracks[ctx.track].sample in samples:
            self.index = samples.index(tracks[ctx.track].sample)
        return self._ask(ctx)

    # --- input -------------------------------------------------------------------------

    def key(self, ctx, ev: Key) -> list | None:
        if not ev.name.startswith("ENC"):
            return None
        if one_knob(ctx):
            return self._click(ctx, ev) if ev.name == "ENC1" else None
        if ev.name == "ENC1" and ev.action == PRESS:
            return self._load(ctx)
        return []

    def _click(self, ctx, ev: Key) -> list | None:
        """One encoder: a click moves the focus (on LOAD it loads first); a double click on
        the list loads, like ENC1's push."""
        kind = self._push.kind(ev)
        if kind == LONG:
            return None                                # the machine's menu
        at = FIELDS.index(self.focus)
        out: list = []
        if kind == SHORT:
            out = self._load(ctx) if self.focus == "load" else []
            at = (at + 1) % len(FIELDS)
        elif kind == DOUBLE:
            at = (at - 1) % len(FIELDS)
            out = self._load(ctx) if FIELDS[at] == "list" else []
        self.focus = FIELDS[at]
        if self.focus in MARKERS:
            self.marker = self.focus
        ctx.focus = 2 if self.focus in MARKERS else 0  # the encoder whose help SHIFT shows
        return out

    def turn(self, ctx, ev: Turn) -> list | None:
        if one_knob(ctx):
            if self.focus == "list":
                return self._scroll(ctx, ev.detents)
            if self.focus in MARKERS:
                return self._move(ctx, ev.detents * COARSE)
            return []
        if ev.encoder == 0:
            return self._scroll(ctx, ev.detents)
        if ev.encoder == 1:
            self.marker = MARKERS[step(MARKERS.index(self.marker), ev.detents, 0, len(MARKERS) - 1)]
            return []
        return self._move(ctx, ev.detents * (COARSE if ev.encoder == 2 else FINE))

    def pad(self, ctx, ev: Pad) -> list | None:
        if ctx.func or ctx.shift:
            return None
        if ev.velocity == 0:
            sounding = self._sounding.pop(ev.pad, None)
            return [] if sounding is None else [fx.PlayNote(*sounding, 0, ev.t)]
        track = self._track(ctx)
        if track is None:
            return []
        root = int(track.params.get("root_note", INSTRUMENTS[track.instrument]["root_note"].default))
        self._sounding[ev.pad] = (ctx.track, min(127, root + ev.pad))
        return [fx.PlayNote(*self._sounding[ev.pad], ev.velocity, ev.t)]

    # --- actions -----------------------------------------------------------------------

    def _scroll(self, ctx, d: int) -> list:
        self.index = step(self.index, d, 0, max(0, len(ctx.status.samples) - 1))
        return self._ask(ctx)

    def _ask(self, ctx) -> list:
        """A LoadOverview for the focused sample when the app has not made its waveform yet."""
        self._asked -= set(ctx.overviews)
        ref = self._focused(ctx)
        if not ref or ref in ctx.overviews or ref in self._asked:
            return []
        self._asked.add(ref)
        return [fx.LoadOverview(ref)]

    def _load(self, ctx) -> list:
        ref = self._focused(ctx)
        track = self._track(ctx)
        if not ref:
            ctx.message = "no samples: copy some to the project's samples folder"
            return []
        if track is None:
            return []
        if track.kind == "midi":
            ctx.message = f"T{ctx.track + 1} is a MIDI track: it plays no samples"
            return []
        # the edit's effects load the sound (fx.LoadSample), as its undo puts the old one back
        return ctx.edit(mix_edit.set_track_sample, ctx.track, ref, label=f"T{ctx.track + 1} sample {ref}")

    def _move(self, ctx, amount: float) -> list:
        track = self._track(ctx)
        if track is None:
            return []
        value = self._markers(ctx)[MARKERS.index(self.marker)]
        if self.marker.startswith("loop") and value < 0:
            if amount <= 0:
                return []
            start, end = self._markers(ctx)[:2]
            value = start if self.marker == "loop_start" else end   # a loop starts out as the whole
        else:
            value += amount
            if self.marker.startswith("loop") and value < 0:
                value = -1.0
        value = -1.0 if value < 0 else round(min(1.0, value), 4)
        return ctx.edit(mix_edit.set_track_param, ctx.track, self.marker, value,
                        label=f"T{ctx.track + 1} {self.marker.replace('_', ' ')}",
                        coalesce=f"sample marker {ctx.track} {self.marker}")

    # --- what is focused ---------------------------------------------------------------

    def _focused(self, ctx) -> str:
        samples = ctx.status.samples
        self.index = step(self.index, 0, 0, max(0, len(samples) - 1))
        return samples[self.index] if samples else ""

    def _track(self, ctx):
        tracks = ctx.project.tracks
        if not 0 <= ctx.track < len(tracks):
            ctx.message = f"T{ctx.track + 1}: this project has {len(tracks)} tracks"
            return None
        return tracks[ctx.track]

    def _markers(self, ctx) -> tuple[float, float, float, float]:
        tracks = ctx.project.tracks
        if not 0 <= ctx.track < len(tracks):
            return (0.0, 1.0, -1.0, -1.0)
        t = tracks[ctx.track]
        specs = INSTRUMENTS[t.instrument].by_key
        defaults = (0.0, 1.0, -1.0, -1.0)
        return tuple(float(t.params.get(k, specs[k].default if k in specs else d))
                     for k, d in zip(MARKERS, defaults))

    def view(self, ctx) -> SamplesView:
        ref = self._focused(ctx)
        tracks = ctx.project.tracks
        loaded = bool(ref) and 0 <= ctx.track < len(tracks) and tracks[ctx.track].sample == ref
        return SamplesView(ref, self.index, len(ctx.status.samples), loaded, ctx.track,
                           ctx.overviews.get(ref), self._markers(ctx), self.marker,
                           self.focus if one_knob(ctx) else "")
