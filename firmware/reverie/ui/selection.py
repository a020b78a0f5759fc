"""What the playing pages act on: the pattern shown, the focused track's steps and sound."""
from __future__ import annotations

from reverie.sound.buses import BUS
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.params import ParamSpec
from reverie.project.model import Track, instrument_keys
from reverie.project.pattern import TrackPattern, lock_specs

SCREEN_PARAMS = 4           # parameters on one sound screen: one per encoder


def pattern_name(ctx) -> str:
    """The pattern the pages edit: the one playing, else the project's current one."""
    s = ctx.status
    return s.pattern if s.playing and s.pattern else ctx.project.pattern


def track_pattern(ctx, track: int | None = None) -> TrackPattern:
    pattern = ctx.project.pattern_at(pattern_name(ctx))
    return pattern.tracks[ctx.track if track is None else track]


def track(ctx, index: int | None = None) -> Track | None:
    """The project's track (the focused one by default), None when the project has fewer."""
    i = ctx.track if index is None else index
    tracks = ctx.project.tracks
    return tracks[i] if 0 <= i < len(tracks) else None


def track_name(ctx, index: int | None = None) -> str:
    t = track(ctx, index)
    return t.name if t is not None else f"Track {(ctx.track if index is None else index) + 1}"


def screens(instrument: str) -> list[tuple[str, tuple[ParamSpec, ...]]]:
    """The sound page's screens: each instrument page in runs of four parameters, named
    "FILT 1/3" style (page name in four letters, screen of the page). The sample slot is
    not among them: the track's sample is chosen on the sample page."""
    out = []
    if instrument not in INSTRUMENTS:          # not installed: nothing to edit
        return out
    for page, specs in INSTRUMENTS[instrument].pages().items():
        specs = [s for s in specs if s.key in instrument_keys(instrument)]
        runs = [tuple(specs[i:i + SCREEN_PARAMS]) for i in range(0, len(specs), SCREEN_PARAMS)]
        for k, run in enumerate(runs):
            out.append((f"{page[:4].upper()} {k + 1}/{len(runs)}", run))
    return out


MIX_SCREEN = ("MIX", tuple(BUS[k] for k in ("volume_db", "pan", "delay_send", "reverb_send")))


def lock_screens(ctx) -> list[tuple[str, tuple[ParamSpec, ...]]]:
    """What a held step can lock: the instrument's screens but the sample slot (that is a
    sample lock), then the track's mix."""
    t = track(ctx)
    if t is None or t.kind != "audio":
        return []
    allowed = lock_specs(t.kind, t.instrument)
    out = []
    for name, run in screens(t.instrument):
        run = tuple(s for s in run if s.key in allowed and allowed[s.key] is s)
        if run:
            out.append((name, run))
    return out + [MIX_SCREEN]


def sound_value(ctx, spec: ParamSpec) -> float:
    """The focused track's value of an instrument or bus parameter, as a number."""
    t = track(ctx)
    table = {}
    if t is not None:
        table = t.bus if is_bus(spec) else t.params
    return as_number(spec, table.get(spec.key, spec.default))


def is_bus(spec: ParamSpec) -> bool:
    return any(spec is s for s in BUS)


def as_number(spec: ParamSpec, value) -> float:
    """A stored value as a number: choices may be stored by name."""
    if isinstance(value, str):
        return float(spec.choices.index(value)) if value in spec.choices else float(spec.default)
    return float(value)


def stored(spec: ParamSpec, value: float) -> float | int | str:
    """A value as the project keeps it: a choice by name, a whole number as int."""
    if spec.curve == "choice":
        return spec.choices[int(value)]
    return int(value) if spec.curve == "int" else value
