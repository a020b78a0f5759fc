"""Sound, mix and arrangement edits: pure functions from a Project to a new Project, in the
manner of project/edit.py (shared structure, one-line UserError, nothing changed on error).
The UI's sound, mixer, song and settings pages change the project only through these."""
from __future__ import annotations

from dataclasses import replace

from reverie.sound.buses import BUS, MASTER
from reverie.base.errors import UserError
from reverie.sound.instruments import INSTRUMENTS
from reverie.project.model import (MAX_CHAIN, MAX_SONG_ROWS, MODES, TEMPO, Project, Song, SongRow,
                                   Track)
from reverie.project.pattern import lock_specs, pattern_slot


def _track(project: Project, track: int) -> Track:
    if isinstance(track, bool) or not isinstance(track, int) or not 0 <= track < len(project.tracks):
        raise UserError(f"track {track!r} is not one of the project's {len(project.tracks)} tracks")
    return project.tracks[track]


def _put(project: Project, track: int, t: Track) -> Project:
    tracks = list(project.tracks)
    tracks[track] = t
    return replace(project, tracks=tracks)


def _stored(spec, value) -> float | str:
    """The value as the project file keeps it: a choice by its name, a whole number as int."""
    v = spec.check(value)
    if spec.curve == "choice":
        return spec.choices[int(v)]
    return int(v) if spec.curve == "int" else v


def set_track_param(project: Project, track: int, key: str, value: float | str) -> Project:
    """An instrument parameter of a track, checked by its spec (sound page)."""
    t = _track(project, track)
    if t.instrument not in INSTRUMENTS:
        raise UserError(f"{t.instrument} is not installed: its sound cannot be changed here")
    v = _stored(INSTRUMENTS[t.instrument][key], value)
    if t.params.get(key) == v:
        return project
    return _put(project, track, replace(t, params={**t.params, key: v}))


def set_track_sound(project: Project, track: int, instrument: str, params: dict,
                    preset: str | None = None, multisample: str | None = None) -> Project:
    """A track's whole sound: its instrument, every parameter (keys not given take the spec's
    default) and the preset it comes from (sound page); `multisample`, a set a multisample
    preset names (None keeps the track's). The sample and the bus stay."""
    t = _track(project, track)
    if instrument not in INSTRUMENTS:
        raise UserError(f"no instrument {instrument!r} is installed; installed: {', '.join(INSTRUMENTS)}")
    spec = INSTRUMENTS[instrument]
    keys = [s.key for s in spec if s.key != "sample"]
    for key in params:
        if key not in keys:
            raise UserError(f"{instrument} has no parameter {key!r}")
    if t.kind == "audio" and instrument != t.instrument:
        allowed = lock_specs("audio", instrument)
        for name in sorted(project.patterns, key=pattern_slot):
            for step in project.patterns[name].tracks[track].steps:
                stray = sorted(k for k in (step.locks if step is not None else ()) if k not in allowed)
                if stray:
                    raise UserError(f"T{track + 1} locks {', '.join(stray)} in {name}, which {instrument} "
                                    "does not have: clear those locks first")
    new = replace(t, instrument=instrument, params={k: _stored(spec[k], v) for k, v in params.items()},
                  preset=preset, multisample=t.multisample if multisample is None else multisample)
    return project if new == t else _put(project, track, new)


def set_bus_param(project: Project, track: int, key: str, value: float) -> Project:
    """A track bus parameter: volume, pan, mute, solo, sends (mixer page)."""
    t = _track(project, track)
    v = _stored(BUS[key], value)
    if t.bus.get(key) == v:
        return project
    return _put(project, track, replace(t, bus={**t.bus, key: v}))


def set_master_param(project: Project, key: str, value: float) -> Project:
    if key == "tempo_bpm":
        return set_tempo(project, value)
    v = _stored(MASTER[key], value)
    if project.master.get(key) == v:
        return project
    return replace(project, master={**project.master, key: v})


def set_tempo(project: Project, bpm: float) -> Project:
    v = TEMPO.check(bpm)
    return project if project.tempo == v else replace(project, tempo=round(v, 3))


def set_track_sample(project: Project, track: int, sample: str | None) -> Project:
    t = _track(project, track)
    return project if t.sample == sample else _put(project, track, replace(t, sample=sample))


def set_track_multisample(project: Project, track: int, ref: str | None) -> Project:
    """The set a multisample track plays (docs/multisample.md, "Playing a set")."""
    t = _track(project, track)
    if t.instrument != "multisample":
        raise UserError(f"T{track + 1} plays {t.instrument}, not multisample")
    return project if t.multisample == ref else _put(project, track, replace(t, multisample=ref))


def set_mode(project: Project, mode: str) -> Project:
    if mode not in MODES:
        raise UserError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return replace(project, mode=mode)


def set_current_pattern(project: Project, name: str) -> Project:
    pattern_slot(name)
    return replace(project, pattern=name)


def set_chain(project: Project, names: list[str]) -> Project:
    if len(names) > MAX_CHAIN:
        raise UserError(f"a chain has at most {MAX_CHAIN} patterns")
    for n in names:
        pattern_slot(n)
    return replace(project, chain=list(names))


def set_song_rows(project: Project, rows: list[SongRow], loop: bool | None = None) -> Project:
    if len(rows) > MAX_SONG_ROWS:
        raise UserError(f"a song has at most {MAX_SONG_ROWS} rows")
    checked = [SongRow.from_dict(r.to_dict(), f"song.rows[{i}]") for i, r in enumerate(rows)]
    return replace(project, song=Song(rows=checked, loop=project.song.loop if loop is None else loop))


def set_metronome(project: Project, on: bool, count_in_bars: int | None = None) -> Project:
    bars = project.count_in_bars if count_in_bars is None else count_in_bars
    if bars not in (0, 1, 2):
        raise UserError(f"count-in is 0, 1 or 2 bars, not {bars!r}")
    return replace(project, metronome=bool(on), count_in_bars=bars)
