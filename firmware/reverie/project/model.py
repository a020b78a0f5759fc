"""The project model: plain dataclasses that convert to and from the JSON form (version 3).

`Project.from_dict` is the one place a project is validated. Every error is a one-line
UserError naming the exact place, e.g. "tracks[2].params.cutoff_hz = 99999 is outside
20..20000 Hz" or "patterns.A01.tracks[2].steps[5].micro = 60 is outside -48..48". It builds
a new object and never touches an existing one. The patterns themselves are in pattern.py;
docs/project-format.md describes every field, and the migrations from versions 1 and 2.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Callable

from reverie.core.defs import SIZES
from reverie.sound.buses import BUS, MASTER
from reverie.base.errors import UserError
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.params import ParamSpec
from reverie.project.pattern import (FACTORY_PREFIX, SUBSTEPS, TRACKS, Pattern, Retrig, Step,
                                     TrackPattern, check, param_value, pattern_name, pattern_slot,
                                     sample_ref)

__all__ = ["FORMAT", "VERSION", "MIGRATIONS", "Project", "Track", "Song", "SongRow", "Pattern",
           "TrackPattern", "Step", "Retrig", "pattern_slot", "pattern_name", "upgrade"]

FORMAT = "reverie-project"
VERSION = 3
# Version n -> a function that turns a version n dict into a version n+1 dict (end of file).
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}

MAX_TRACKS = TRACKS
MODES = ("pattern", "chain", "song")
KINDS = ("audio", "midi")
MAX_CHAIN = 64
MAX_SONG_ROWS = SIZES["MAX_ROWS"]

TEMPO = ParamSpec("tempo", 0, "BPM", MASTER["tempo_bpm"].lo, MASTER["tempo_bpm"].hi, 120, unit="BPM")

# Set by the project itself, so not accepted in these tables.
MASTER_KEYS = tuple(s.key for s in MASTER if s.key != "tempo_bpm")   # the tempo is "tempo"
BUS_KEYS = tuple(s.key for s in BUS)


def instrument_keys(instrument: str) -> tuple[str, ...]:
    # The engine's sample slot is chosen by the loader from the track's "sample" field.
    return tuple(s.key for s in INSTRUMENTS[instrument] if s.key != "sample")


def installed(instrument: str) -> bool:
    """False for a third-party instrument ("example.chime") this box does not have: its track
    keeps its name and params verbatim through load and save, and plays silent."""
    return instrument in INSTRUMENTS


_THIRD_PARTY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")   # "example.chime"


def _instrument(value, where: str) -> str:
    if isinstance(value, str) and (installed(value) or _THIRD_PARTY.fullmatch(value)):
        return value
    raise check.error(f"{where} must be one of {', '.join(check.shown(n) for n in INSTRUMENTS)} "
                      f"or a third-party instrument's dotted name (\"example.chime\"), not {check.shown(value)}")


def _verbatim(d, where: str) -> dict:
    """The params of an instrument not installed: kept as written, numbers and text only."""
    check.table(d, where)
    for key, value in d.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise check.error(f"{where}.{key} must be a number or text, not {check.shown(value)}")
        check.text(key, f"{where} key", 1, 64)
    return dict(d)


@dataclass(frozen=True)
class SongRow:
    pattern: str = "A01"
    repeats: int = 1                 # passes of the pattern, 1..99
    mutes: tuple[int, ...] = ()      # track indices 0..15 muted in this row
    tempo: float | None = None       # 20..300 BPM from this row on; None keeps the tempo

    @classmethod
    def from_dict(cls, d, where: str) -> SongRow:
        check.table(d, where, ("pattern", "repeats", "mutes", "tempo"))
        mutes = check.items(d.get("mutes", []), f"{where}.mutes", noun=f"track numbers 0..{TRACKS - 1}")
        mutes = tuple(check.number(m, f"{where}.mutes[{i}]", 0, TRACKS - 1, whole=True) for i, m in enumerate(mutes))
        if len(set(mutes)) < len(mutes):
            raise check.error(f"{where}.mutes names a track twice: {check.shown(mutes)}")
        tempo = d.get("tempo")
        return cls(pattern=_pattern_ref(d.get("pattern", "A01"), f"{where}.pattern"),
                   repeats=check.number(d.get("repeats", 1), f"{where}.repeats", 1, 99, whole=True),
                   mutes=mutes,
                   tempo=None if tempo is None else param_value(TEMPO, tempo, where))

    def to_dict(self) -> dict:
        d = {"pattern": self.pattern}
        if self.repeats != 1:
            d["repeats"] = self.repeats
        if self.mutes:
            d["mutes"] = list(self.mutes)
        if self.tempo is not None:
            d["tempo"] = self.tempo
        return d


@dataclass
class Song:
    rows: list[SongRow] = field(default_factory=list)
    loop: bool = False               # False: the song stops after its last row

    @classmethod
    def from_dict(cls, d, where: str = "song") -> Song:
        check.table(d, where, ("rows", "loop"))
        rows = check.items(d.get("rows", []), f"{where}.rows", most=MAX_SONG_ROWS, noun="rows")
        return cls(rows=[SongRow.from_dict(r, f"{where}.rows[{i}]") for i, r in enumerate(rows)],
                   loop=check.flag(d.get("loop", False), f"{where}.loop"))

    def to_dict(self) -> dict:
        return {"rows": [r.to_dict() for r in self.rows], "loop": self.loop}


@dataclass
class Track:
    name: str
    kind: str = "audio"                 # "audio" plays the instrument; "midi" sends notes out
    instrument: str = "sampler"
    sample: str | None = None           # "factory:<name>" or a path inside samples/
    params: dict[str, float | str] = field(default_factory=dict)   # by spec key
    bus: dict[str, float] = field(default_factory=dict)
    midi_channel: int = 1               # 1..16, for a MIDI track
    midi_port: str | None = None        # an output port's name; None sends to every port
    multisample: str | None = None      # the set a multisample track plays: "factory:NAME" or an imported NAME
    preset: str | None = None           # the preset the sound started from (informational)

    @classmethod
    def from_dict(cls, d, index: int) -> Track:
        where = f"tracks[{index}]"
        check.table(d, where, ("name", "kind", "instrument", "sample", "params", "bus", "midi_channel",
                               "midi_port", "multisample", "preset"))
        kind = check.choice(d.get("kind", "audio"), f"{where}.kind", KINDS)
        instrument = _instrument(d.get("instrument", "sampler"), f"{where}.instrument")
        port, preset = d.get("midi_port"), d.get("preset")
        return cls(
            name=check.text(d.get("name", f"Track {index + 1}"), f"{where}.name", 1, 64),
            kind=kind,
            instrument=instrument,
            sample=sample_ref(d.get("sample"), f"{where}.sample"),
            params=_table(d.get("params", {}), f"{where}.params", instrument_keys(instrument),
                          INSTRUMENTS[instrument]) if installed(instrument)
            else _verbatim(d.get("params", {}), f"{where}.params"),
            bus=_table(d.get("bus", {}), f"{where}.bus", BUS_KEYS, BUS),
            midi_channel=check.number(d.get("midi_channel", 1), f"{where}.midi_channel", 1, 16, whole=True),
            midi_port=None if port is None else check.text(port, f"{where}.midi_port", 1, 128),
            multisample=None if d.get("multisample") is None else
            check.text(d["multisample"], f"{where}.multisample", 1, 72),
            preset=None if preset is None else check.text(preset, f"{where}.preset", 1, 64),
        )

    def to_dict(self) -> dict:
        d = {"name": self.name, "kind": self.kind, "instrument": self.instrument,
             "sample": self.sample, "params": dict(self.params), "bus": dict(self.bus)}
        if self.midi_channel != 1:
            d["midi_channel"] = self.midi_channel
        if self.midi_port is not None:
            d["midi_port"] = self.midi_port
        if self.multisample is not None:
            d["multisample"] = self.multisample
        if self.preset is not None:
            d["preset"] = self.preset
        return d


@dataclass
class Project:
    name: str = "Untitled"
    tempo: float = 120
    mode: str = "pattern"            # what PLAY plays: the current pattern, the chain or the song
    pattern: str = "A01"             # the current pattern
    master: dict[str, float] = field(default_factory=dict)
    tracks: list[Track] = field(default_factory=list)            # at most 16
    patterns: dict[str, Pattern] = field(default_factory=dict)   # "A01".."P16"; missing = empty
    chain: list[str] = field(default_factory=list)               # pattern names, played in a loop
    song: Song = field(default_factory=Song)
    metronome: bool = False
    count_in_bars: int = 0           # 0..2 bars of metronome before the first step

    def __eq__(self, other):
        """Equal when everything is; a stored empty pattern is the same as none at all."""
        if not isinstance(other, Project):
            return NotImplemented
        return self._compared() == other._compared()

    __hash__ = None

    def _compared(self) -> tuple:
        used = {k: p for k, p in self.patterns.items() if not p.is_empty()}
        return tuple(used if f.name == "patterns" else getattr(self, f.name) for f in fields(self))

    def pattern_at(self, name: str) -> Pattern:
        """The pattern stored as `name` ("A01".."P16"), or a new empty one (not stored)."""
        pattern_slot(name)
        stored = self.patterns.get(name)
        return Pattern.empty() if stored is None else stored

    def sample_refs(self) -> list[tuple[str, str]]:
        """(place, reference) of every sound the project names: each track's sample, then
        each sample lock, e.g. ("patterns.A01.tracks[1].steps[4].sample", "snare 2.wav")."""
        refs = [(f"tracks[{i}].sample", t.sample) for i, t in enumerate(self.tracks) if t.sample]
        for name in sorted(self.patterns, key=pattern_slot):
            for i, track in enumerate(self.patterns[name].tracks):
                refs += [(f"patterns.{name}.tracks[{i}].steps[{j}].sample", s.sample)
                         for j, s in enumerate(track.steps) if s is not None and s.sample]
        return refs

    @classmethod
    def from_dict(cls, d) -> Project:
        """A new Project from the parsed JSON of any supported version, or UserError."""
        d = upgrade(d)
        check.table(d, "", ("format", "version", "name", "tempo", "mode", "pattern", "chain",
                            "song", "metronome", "count_in_bars", "master", "tracks", "patterns"))
        tracks = check.items(d.get("tracks", []), "tracks", most=MAX_TRACKS, noun="tracks")
        tracks = [Track.from_dict(t, i) for i, t in enumerate(tracks)]
        mode = check.choice(d.get("mode", "pattern"), "mode", MODES)
        chain = check.items(d.get("chain", []), "chain", most=MAX_CHAIN, noun="pattern names")
        return cls(
            name=check.text(d.get("name", "Untitled"), "name", 1, 64),
            tempo=param_value(TEMPO, d.get("tempo", 120), ""),
            mode=mode,
            pattern=_pattern_ref(d.get("pattern", "A01"), "pattern"),
            master=_table(d.get("master", {}), "master", MASTER_KEYS, MASTER),
            tracks=tracks,
            patterns=_patterns(d.get("patterns", {}), [(t.kind, t.instrument) for t in tracks]),
            chain=[_pattern_ref(p, f"chain[{i}]") for i, p in enumerate(chain)],
            song=Song.from_dict(d.get("song", {})),
            metronome=check.flag(d.get("metronome", False), "metronome"),
            count_in_bars=check.number(d.get("count_in_bars", 0), "count_in_bars", 0, 2, "bars", whole=True),
        )

    def to_dict(self) -> dict:
        """The JSON form: the patterns in slot order, the empty ones left out."""
        patterns = {name: self.patterns[name].to_dict()
                    for name in sorted(self.patterns, key=pattern_slot) if not self.patterns[name].is_empty()}
        return {"format": FORMAT, "version": VERSION, "name": self.name, "tempo": self.tempo,
                "mode": self.mode, "pattern": self.pattern, "chain": list(self.chain),
                "song": self.song.to_dict(), "metronome": self.metronome,
                "count_in_bars": self.count_in_bars, "master": dict(self.master),
                "tracks": [t.to_dict() for t in self.tracks], "patterns": patterns}


def upgrade(d) -> dict:
    """Checks the format tag and brings an older version up to VERSION through MIGRATIONS."""
    if not isinstance(d, dict):
        raise UserError(f"a project must be a JSON object ({{...}}), not {check.shown(d)}")
    if d.get("format") != FORMAT:
        raise UserError(f"format is {check.shown(d.get('format'))}, not {check.shown(FORMAT)}: "
                        "this is not a Reverie project")
    version = d.get("version")
    supported = sorted(v for v in MIGRATIONS if all(k in MIGRATIONS for k in range(v, VERSION))) + [VERSION]
    if isinstance(version, bool) or not isinstance(version, int) or version not in supported:
        hint = "; update Reverie to open it" if isinstance(version, int) and version > VERSION else ""
        raise UserError(f"project version {check.shown(version)} is not supported; this Reverie reads "
                        f"version{'s' if len(supported) > 1 else ''} "
                        f"{', '.join(map(str, supported))}{hint}")
    while version < VERSION:
        d = {**MIGRATIONS[version](d), "version": version + 1}
        version += 1
    return d


def _patterns(d, sounds: list[tuple[str, str]]) -> dict[str, Pattern]:
    if not isinstance(d, dict):
        raise UserError(f"patterns must be an object {{\"A01\": pattern, ...}}, not {check.shown(d)}")
    patterns = {}
    for name in d:
        try:
            pattern_slot(name)
        except UserError:
            raise UserError(f"patterns: key {check.shown(name)} is not a pattern name; patterns are A01..P16") from None
        pattern = Pattern.from_dict(d[name], f"patterns.{name}", sounds)
        if not pattern.is_empty():
            patterns[name] = pattern
    return dict(sorted(patterns.items(), key=lambda item: pattern_slot(item[0])))


def _pattern_ref(value, where: str) -> str:
    try:
        pattern_slot(value)
    except UserError:
        raise UserError(f"{where} = {check.shown(value)} is not a pattern name; patterns are A01..P16") from None
    return value


def _table(d, where: str, known: tuple[str, ...], specs) -> dict:
    check.table(d, where, known)
    return {key: param_value(specs[key], value, where) for key, value in d.items()}


# Version 1 -> 2. Version 1 held one pattern of up to 128 16th-note steps, a `steps` list in
# each track ({note, velocity, length}), and `loops`, how many passes `reverie render` played.

V1_KEYS = ("format", "version", "name", "tempo", "pattern_length", "loops", "master", "tracks")
V1_TRACK_KEYS = ("name", "instrument", "sample", "params", "bus", "steps")
V1_PATTERN_LENGTH = ParamSpec("pattern_length", 0, "LEN", 1, 128, 16, "int", "steps")
V1_LOOPS = ParamSpec("loops", 0, "LOOP", 1, 1000, 1, "int")
V1_STEP = (ParamSpec("note", 0, "NOTE", 0, 127, 60, "int"),
           ParamSpec("velocity", 0, "VEL", 1, 127, 100, "int"),
           ParamSpec("length", 0, "LEN", 0.0625, 128, 1, unit="steps"))
MAX_REPEATS = 99


def _v1_to_v2(d: dict) -> dict:
    """The pattern becomes A01 (its length for the pattern and every track), each step's note
    a one-note chord, its length the nearest 1/96 of a step; `loops` becomes a song of A01
    played that many times (rows of at most 99). The v1 fields are checked here, so an error
    names the place in the v1 file."""
    check.table(d, "", V1_KEYS)
    length = param_value(V1_PATTERN_LENGTH, d.get("pattern_length", 16), "")
    loops = param_value(V1_LOOPS, d.get("loops", 1), "")
    tracks = check.items(d.get("tracks", []), "tracks", noun="tracks")
    new_tracks, track_patterns = [], []
    for i, track in enumerate(tracks):
        check.table(track, f"tracks[{i}]", V1_TRACK_KEYS)
        steps = check.items(track.get("steps", []), f"tracks[{i}].steps", noun="steps")
        if len(steps) > length:
            raise UserError(f"tracks[{i}].steps has {len(steps)} steps but pattern_length is {length}")
        new_tracks.append({k: v for k, v in track.items() if k != "steps"})
        track_patterns.append({"length": length, "steps": [
            None if s is None else _v1_step(s, f"tracks[{i}].steps[{j}]") for j, s in enumerate(steps)]})
    track_patterns += [{"length": length}] * max(0, TRACKS - len(track_patterns))
    rows = []
    while loops > 0:
        rows.append({"pattern": "A01", "repeats": min(loops, MAX_REPEATS)})
        loops -= rows[-1]["repeats"]
    new = {k: v for k, v in d.items() if k not in ("pattern_length", "loops", "tracks")}
    return {**new, "mode": "song", "pattern": "A01", "song": {"rows": rows, "loop": False},
            "tracks": new_tracks,
            "patterns": {"A01": {"length": length, "tracks": track_patterns[:TRACKS]}}}


def _v1_step(step, where: str) -> dict:
    check.table(step, where, tuple(s.key for s in V1_STEP))
    note, velocity, length = (param_value(s, step.get(s.key, s.default), where) for s in V1_STEP)
    k = round(length * SUBSTEPS)
    return {"notes": [note], "velocity": velocity, "length": k // SUBSTEPS if k % SUBSTEPS == 0 else k / SUBSTEPS}


MIGRATIONS[1] = _v1_to_v2


# Version 2 -> 3. Version 3 adds each track's optional `preset` and third-party instruments
# (a dotted name, kept verbatim when not installed). A version 2 file could only name the
# built-in instruments, so it reads unchanged; a dotted name in one is refused.
def _v2_to_v3(d: dict) -> dict:
    tracks = d.get("tracks", [])
    for i, track in enumerate(tracks if isinstance(tracks, list) else []):
        name = track.get("instrument") if isinstance(track, dict) else None
        if isinstance(name, str) and "." in name:
            raise UserError(f"tracks[{i}].instrument = {check.shown(name)}: a third-party instrument "
                            "needs a version 3 project")
        if isinstance(track, dict) and "preset" in track:
            raise UserError(f"unknown key tracks[{i}].preset (a version 3 field) in a version 2 project")
    return d


MIGRATIONS[2] = _v2_to_v3
