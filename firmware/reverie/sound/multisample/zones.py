"""The zone map: what the `multisample` instrument plays, as data (docs/multisample.md).

A zone map is a folder holding `multisample.json` and the sample files it names, by paths
relative to that folder. Each zone says which keys and velocities play which sample, its
round-robin position, loop, tuning, level, pan and amplitude envelope. Frame positions
(offset, end, loop) are in the sample file's own frames, end exclusive, as `reverie
sample-info` shows them; the player scales them to the engine rate when it loads the sample.

Nothing here imports the engine: the importer writes this, the instrument reads it, and both
are tested alone. Every problem with a file is one line (base/validate.py Check).
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_path
from reverie.base.validate import Check, read_json

FORMAT = "reverie-multisample"
VERSION = 1
ZONE_FILE = "multisample.json"
MAX_ZONES = 4096
MAX_SEQ = 100                        # SFZ's seq_length limit
MAX_FILE_BYTES = 8 * 2**20
LOOP_MODES = ("no_loop", "one_shot", "loop_continuous", "loop_sustain")
LOOPING = ("loop_continuous", "loop_sustain")


@dataclass(frozen=True)
class SampleFile:
    """Facts of one sample file, read when it was imported (source frames and rate)."""
    frames: int
    rate: int                        # Hz
    channels: int


@dataclass(frozen=True)
class Zone:
    sample: str                      # path relative to the zone map's folder, "/" separated
    key_lo: int = 0                  # MIDI notes, inclusive
    key_hi: int = 127
    root: int = 60                   # the key at which the sample plays at its own pitch
    vel_lo: int = 0                  # MIDI velocities, inclusive
    vel_hi: int = 127
    seq_length: int = 1              # round robin: plays when counter % seq_length == seq_position - 1
    seq_position: int = 1
    loop_mode: str = "no_loop"       # no_loop, one_shot, loop_continuous, loop_sustain
    loop_start: int | None = None    # source frames
    loop_end: int | None = None      # source frames, exclusive
    offset: int = 0                  # source frames: where playing starts
    end: int | None = None           # source frames, exclusive; None: the end of the sample
    transpose: int = 0               # semitones
    tune_cents: float = 0.0
    volume_db: float = 0.0
    pan: float = 0.0                 # -1 left .. 1 right
    velocity_track: float = 1.0      # 1: level follows velocity; 0: every velocity at full level
    attack_ms: float = 0.0
    decay_ms: float = 0.0
    sustain: float = 1.0             # 0..1 of the peak
    release_ms: float = 0.0

    def plays(self, note: int, velocity: int, counter: int) -> bool:
        """Whether a note-on (`counter`: earlier note-ons of this note) sounds this zone."""
        return (self.key_lo <= note <= self.key_hi and self.vel_lo <= velocity <= self.vel_hi
                and counter % self.seq_length == self.seq_position - 1)


# field -> (lo, hi, unit, whole) for the numbers a zone holds; frames are checked per sample.
RANGES = {
    "key_lo": (0, 127, "", True), "key_hi": (0, 127, "", True), "root": (0, 127, "", True),
    "vel_lo": (0, 127, "", True), "vel_hi": (0, 127, "", True),
    "seq_length": (1, MAX_SEQ, "", True), "seq_position": (1, MAX_SEQ, "", True),
    "transpose": (-127, 127, "semitones", True), "tune_cents": (-9600, 9600, "cents", False),
    "volume_db": (-144, 48, "dB", False), "pan": (-1, 1, "", False),
    "velocity_track": (-1, 1, "", False),
    "attack_ms": (0, 100000, "ms", False), "decay_ms": (0, 100000, "ms", False),
    "sustain": (0, 1, "", False), "release_ms": (0, 100000, "ms", False),
}
FRAMES = ("loop_start", "loop_end", "offset", "end")
ZONE_KEYS = tuple(f.name for f in fields(Zone))


@dataclass(frozen=True)
class ZoneMap:
    name: str
    zones: tuple[Zone, ...]
    samples: dict[str, SampleFile]
    source: dict = field(default_factory=dict)    # where it was imported from (for people)

    def lookup(self, note: int, velocity: int, counter: int = 0) -> list[Zone]:
        """The zones a note-on sounds, in file order (docs/multisample.md, "Playing")."""
        return [z for z in self.zones if z.plays(note, velocity, counter)]

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "name": self.name, "source": dict(self.source),
                "samples": {k: asdict(v) for k, v in sorted(self.samples.items())},
                "zones": [zone_dict(z) for z in self.zones]}

    @classmethod
    def from_dict(cls, d, source: str = "") -> ZoneMap:
        """A ZoneMap from parsed JSON, or a one-line UserError naming `source` and the value."""
        check = Check(source, json=True)
        check.table(d, "", ("format", "version", "name", "source", "samples", "zones"),
                    ("format", "version", "name", "samples", "zones"))
        check.choice(d["format"], "format", (FORMAT,))
        version = d["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version != VERSION:
            hint = "; update Reverie to open it" if isinstance(version, int) and version > VERSION else ""
            raise check.error(f"version {check.shown(version)} is not supported; this Reverie reads "
                              f"version {VERSION}{hint}")
        name = check.text(d["name"], "name", 1, 64)
        origin = check.table(d.get("source", {}), "source")
        samples = {}
        for key, value in check.table(d["samples"], "samples").items():
            path = f"samples.{json.dumps(key)}"
            check_relative(check, key, path)
            facts = check.table(value, path, ("frames", "rate", "channels"), ("frames", "rate", "channels"))
            samples[key] = SampleFile(check.number(facts["frames"], f"{path}.frames", 1, 2**40, whole=True),
                                      check.number(facts["rate"], f"{path}.rate", 1000, 768000, "Hz", whole=True),
                                      check.number(facts["channels"], f"{path}.channels", 1, 64, whole=True))
        zones = tuple(zone_from_dict(check, z, f"zones[{i}]", samples)
                      for i, z in enumerate(check.items(d["zones"], "zones", 1, MAX_ZONES, "zones")))
        return cls(name, zones, samples, origin)


def zone_dict(zone: Zone) -> dict:
    """A zone as the file holds it: its sample and the fields that differ from the default."""
    return {f.name: getattr(zone, f.name) for f in fields(Zone)
            if f.name == "sample" or getattr(zone, f.name) != f.default}


def dumps(zone_map: ZoneMap) -> str:
    """multisample.json's text: indented, one sample and one zone a line."""
    d = zone_map.to_dict()
    zones = ",\n  ".join(json.dumps(z, ensure_ascii=False) for z in d.pop("zones"))
    samples = ",\n  ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in d.pop("samples").items())
    head = json.dumps(d, indent=1, ensure_ascii=False)
    return f'{head[:-2]},\n "samples": {{\n  {samples}\n }},\n "zones": [\n  {zones}\n ]\n}}\n'


def check_relative(check: Check, text, path: str) -> str:
    """A sample path inside the zone map's folder: relative, "/" separated, no "..", "." or
    empty parts, and not the zone map's own file."""
    check.text(text, path, 1, 1024)
    parts = text.split("/")
    if (posixpath.isabs(text) or "\\" in text or "\0" in text
            or any(p in ("", ".", "..") for p in parts) or text == ZONE_FILE):
        raise check.error(f"{path} = {check.shown(text)} must be a plain path inside the folder "
                          f"(no leading /, no . or .. parts, not {ZONE_FILE})")
    return text


def zone_from_dict(check: Check, d, path: str, samples: dict[str, SampleFile]) -> Zone:
    check.table(d, path, ZONE_KEYS, ("sample",))
    values = {"sample": check_relative(check, d["sample"], f"{path}.sample")}
    if values["sample"] not in samples:
        raise check.error(f"{path}.sample = {check.shown(d['sample'])} is not one of the samples listed")
    for key, (lo, hi, unit, whole) in RANGES.items():
        if key in d:
            values[key] = check.number(d[key], f"{path}.{key}", lo, hi, unit, whole)
    if "loop_mode" in d:
        values["loop_mode"] = check.choice(d["loop_mode"], f"{path}.loop_mode", LOOP_MODES)
    for key in FRAMES:
        if d.get(key) is not None:
            values[key] = check.number(d[key], f"{path}.{key}", 0, 2**40, "frames", True)
    zone = Zone(**values)
    problem = zone_problem(zone, samples[zone.sample].frames)
    if problem:
        raise check.error(f"{path}: {problem}")
    return zone


def zone_problem(z: Zone, frames: int) -> str:
    """What makes `z` unplayable with a sample of `frames` frames, or ""."""
    if z.key_lo > z.key_hi:
        return f"key_lo {z.key_lo} is above key_hi {z.key_hi}"
    if z.vel_lo > z.vel_hi:
        return f"vel_lo {z.vel_lo} is above vel_hi {z.vel_hi}"
    if z.seq_position > z.seq_length:
        return f"seq_position {z.seq_position} is beyond seq_length {z.seq_length}"
    end = frames if z.end is None else z.end
    if not 0 <= z.offset < end <= frames:
        return f"offset {z.offset} and end {end} do not fit the sample's {frames} frames"
    if (z.loop_start is None) != (z.loop_end is None):
        return "loop_start and loop_end come together or not at all"
    if z.loop_start is not None and not 0 <= z.loop_start < z.loop_end <= frames:
        return f"the loop {z.loop_start}..{z.loop_end} does not fit the sample's {frames} frames"
    if z.loop_mode in LOOPING and z.loop_start is None:
        return f"loop_mode {z.loop_mode} needs loop_start and loop_end"
    return ""


def load_zone_map(folder) -> ZoneMap:
    """The zone map in `folder` (its multisample.json), or one line saying what is wrong."""
    file = Path(folder) / ZONE_FILE
    try:
        data = read_json(file, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise UserError(f"{folder}: no {ZONE_FILE} in it; is it an imported multisample?") from None
    return ZoneMap.from_dict(data, str(file))


def save_zone_map(zone_map: ZoneMap, folder) -> Path:
    """Writes `folder`/multisample.json atomically and returns its path."""
    file = Path(folder) / ZONE_FILE
    with atomic_path(file) as tmp:
        tmp.write_text(dumps(zone_map), encoding="utf-8")
    return file
