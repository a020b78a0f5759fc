"""The project model: plain dataclasses that convert to and from the JSON form.

`Project.from_dict` is the one place a project is validated. Every error is a one-line
UserError naming the exact place, e.g. "tracks[2].params.cutoff_hz = 99999 is outside
20..20000 Hz". It builds a new object and never touches an existing one. docs/project-format.md
describes every field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable

from reverie.buses import BUS, MASTER
from reverie.errors import UserError
from reverie.instruments import INSTRUMENTS
from reverie.params import ParamSpec

FORMAT = "reverie-project"
VERSION = 1
# Version n -> a function that turns a version n dict into a version n+1 dict.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}

MAX_TRACKS = 16
FACTORY_PREFIX = "factory:"

TEMPO = ParamSpec("tempo", 0, "BPM", MASTER["tempo_bpm"].lo, MASTER["tempo_bpm"].hi, 120, unit="BPM")
PATTERN_LENGTH = ParamSpec("pattern_length", 0, "LEN", 1, 128, 16, "int", "steps")
LOOPS = ParamSpec("loops", 0, "LOOP", 1, 1000, 1, "int")
NOTE = ParamSpec("note", 0, "NOTE", 0, 127, 60, "int")
VELOCITY = ParamSpec("velocity", 0, "VEL", 1, 127, 100, "int")
LENGTH = ParamSpec("length", 0, "LEN", 0.0625, 128, 1, unit="steps")

# Set by the project itself, so not accepted in these tables.
MASTER_KEYS = tuple(s.key for s in MASTER if s.key != "tempo_bpm")   # the tempo is "tempo"
BUS_KEYS = tuple(s.key for s in BUS)


def instrument_keys(instrument: str) -> tuple[str, ...]:
    # The engine's sample slot is chosen by the loader from the track's "sample" field.
    return tuple(s.key for s in INSTRUMENTS[instrument] if s.key != "sample")


@dataclass(frozen=True)
class Step:
    note: int = 60
    velocity: int = 100
    length: float = 1      # in steps; a gated sound is released after it

    @classmethod
    def from_dict(cls, d, where: str) -> Step:
        _keys(d, where, ("note", "velocity", "length"))
        return cls(**{s.key: _check(s, d[s.key], where) for s in (NOTE, VELOCITY, LENGTH) if s.key in d})

    def to_dict(self) -> dict:
        return {"note": self.note, "velocity": self.velocity, "length": self.length}


@dataclass
class Track:
    name: str
    instrument: str = "sampler"
    sample: str | None = None           # "factory:<name>" or a path inside samples/
    params: dict[str, float | str] = field(default_factory=dict)   # by spec key
    bus: dict[str, float] = field(default_factory=dict)
    steps: list[Step | None] = field(default_factory=list)   # pattern_length entries

    @classmethod
    def from_dict(cls, d, index: int, pattern_length: int) -> Track:
        where = f"tracks[{index}]"
        _keys(d, where, ("name", "instrument", "sample", "params", "bus", "steps"))
        instrument = d.get("instrument", "sampler")
        if instrument not in INSTRUMENTS:
            raise UserError(f"{where}.instrument = {instrument!r} is not an instrument; "
                            f"known: {', '.join(INSTRUMENTS)}")
        steps = d.get("steps", [])
        if not isinstance(steps, list):
            raise UserError(f"{where}.steps must be a list of steps, not {_kind(steps)}")
        if len(steps) > pattern_length:
            raise UserError(f"{where}.steps has {len(steps)} steps but pattern_length is {pattern_length}")
        steps = [None if s is None else Step.from_dict(s, f"{where}.steps[{i}]") for i, s in enumerate(steps)]
        spec = INSTRUMENTS[instrument]
        return cls(
            name=_text(d.get("name", f"Track {index + 1}"), f"{where}.name"),
            instrument=instrument,
            sample=_sample_ref(d.get("sample"), f"{where}.sample"),
            params=_table(d.get("params", {}), f"{where}.params", instrument_keys(instrument), spec),
            bus=_table(d.get("bus", {}), f"{where}.bus", BUS_KEYS, BUS),
            steps=steps + [None] * (pattern_length - len(steps)),
        )

    def to_dict(self) -> dict:
        return {"name": self.name, "instrument": self.instrument, "sample": self.sample,
                "params": dict(self.params), "bus": dict(self.bus),
                "steps": [None if s is None else s.to_dict() for s in self.steps]}


@dataclass
class Project:
    name: str = "Untitled"
    tempo: float = 120
    pattern_length: int = 16
    loops: int = 1
    master: dict[str, float] = field(default_factory=dict)
    tracks: list[Track] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d) -> Project:
        """A new Project from the parsed JSON of any supported version, or UserError."""
        d = upgrade(d)
        _keys(d, "project", ("format", "version", "name", "tempo", "pattern_length", "loops",
                             "master", "tracks"))
        length = _check(PATTERN_LENGTH, d.get("pattern_length", 16), "")
        tracks = d.get("tracks", [])
        if not isinstance(tracks, list):
            raise UserError(f"tracks must be a list of tracks, not {_kind(tracks)}")
        if len(tracks) > MAX_TRACKS:
            raise UserError(f"tracks has {len(tracks)} tracks; a project has at most {MAX_TRACKS}")
        return cls(
            name=_text(d.get("name", "Untitled"), "name"),
            tempo=_check(TEMPO, d.get("tempo", 120), ""),
            pattern_length=length,
            loops=_check(LOOPS, d.get("loops", 1), ""),
            master=_table(d.get("master", {}), "master", MASTER_KEYS, MASTER),
            tracks=[Track.from_dict(t, i, length) for i, t in enumerate(tracks)],
        )

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "name": self.name, "tempo": self.tempo,
                "pattern_length": self.pattern_length, "loops": self.loops,
                "master": dict(self.master), "tracks": [t.to_dict() for t in self.tracks]}


def upgrade(d) -> dict:
    """Checks the format tag and brings an older version up to VERSION through MIGRATIONS."""
    if not isinstance(d, dict):
        raise UserError(f"a project must be a JSON object ({{...}}), not {_kind(d)}")
    if d.get("format") != FORMAT:
        raise UserError(f"format is {d.get('format')!r}, not {FORMAT!r}: this is not a Reverie project")
    version = d.get("version")
    supported = sorted(v for v in MIGRATIONS if all(k in MIGRATIONS for k in range(v, VERSION))) + [VERSION]
    if isinstance(version, bool) or not isinstance(version, int) or version not in supported:
        hint = "; update Reverie to open it" if isinstance(version, int) and version > VERSION else ""
        raise UserError(f"project version {version!r} is not supported; this Reverie reads "
                        f"version{'s' if len(supported) > 1 else ''} "
                        f"{', '.join(map(str, supported))}{hint}")
    while version < VERSION:
        d = {**MIGRATIONS[version](d), "version": version + 1}
        version += 1
    return d


def _check(spec: ParamSpec, value, parent: str):
    """The value as written (a number or a choice's name) if the spec allows it; whole
    numbers as int."""
    try:
        spec.check(value)
    except UserError as exc:
        raise UserError(f"{parent}.{exc}" if parent else str(exc)) from None
    return int(value) if spec.curve == "int" else value


def _table(d, where: str, known: tuple[str, ...], specs) -> dict:
    _keys(d, where, known)
    return {key: _check(specs[key], value, where) for key, value in d.items()}


def _keys(d, where: str, known: tuple[str, ...]) -> None:
    if not isinstance(d, dict):
        raise UserError(f"{where} must be an object ({{...}}), not {_kind(d)}")
    for key in d:
        if key not in known:
            raise UserError(f"{where}: unknown key {key!r}; known keys: {', '.join(known)}")


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise UserError(f"{where} must be a text of 1 to 64 characters, not {value!r}")
    return value


def _sample_ref(value, where: str) -> str | None:
    if value is None or (isinstance(value, str) and value.startswith(FACTORY_PREFIX)):
        return value
    path = PurePosixPath(value) if isinstance(value, str) and value else None
    if path is None or path.is_absolute() or ".." in path.parts or "\\" in value:
        raise UserError(f"{where} must be null, \"factory:<name>\" or a path inside the samples "
                        f"folder such as \"kick.wav\", not {value!r}")
    return value


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a text", type(None): "null",
            bool: "true/false"}.get(type(value), "a number")
