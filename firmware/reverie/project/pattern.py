"""Patterns: the steps the sequencer plays (docs/sequencer.md), as plain dataclasses that
convert to and from the JSON of a project (docs/project-format.md).

Every `from_dict` builds a new object or raises a one-line UserError naming the exact
place, e.g. "patterns.A01.tracks[2].steps[5].micro = 60 is outside -48..48", through the
validation vocabulary (reverie.base.validate); `check` and the helpers at the end are shared
with model.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Mapping

from reverie.core.defs import SIZES, SPEED_NAMES
from reverie.sound.buses import BUS
from reverie.base.errors import UserError
from reverie.base.validate import Check, at, finite, number_text
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.params import ParamSpec

TRACKS = SIZES["MAX_TRACKS"]      # track patterns in every pattern
BANKS = "ABCDEFGHIJKLMNOP"        # 16 banks x 16 patterns: slots 0..255
SLOTS = SIZES["PATTERN_SLOTS"]
SUBSTEPS = SIZES["MICRO_DIV"]     # micro-timing and lengths count 1/96 of a step
MICRO_MAX = SIZES["MICRO_MAX"]    # micro-timing is -48..48 of them
MAX_STEPS = SIZES["MAX_STEPS"]    # a track's length, and the longest gate
MAX_PATTERN_LENGTH = SIZES["MAX_PATTERN_LENGTH"]
SPEEDS = tuple(SPEED_NAMES.values())                          # "1/8" .. "2", slowest first
RETRIG_RATES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32)   # repeats per step
MAX_NOTES = SIZES["STEP_NOTES"]   # a chord
STEP_LOCKS = SIZES["STEP_LOCKS"]  # parameter locks on one step, the sample lock among them
FACTORY_PREFIX = "factory:"

_NAME = re.compile(r"([A-P])(0[1-9]|1[0-6])")
_COND = re.compile(r"!?([1-8]):([1-8])")
CONDITIONS = ("fill", "!fill", "1st", "!1st", "pre", "!pre", "nei", "!nei")   # and [!]A:B
_CC = MappingProxyType({f"cc{n}": ParamSpec(f"cc{n}", 0, f"CC{n}", 0, 127, 0, "int") for n in range(128)})


def pattern_slot(name: str) -> int:
    """"A01" -> 0, "A16" -> 15, "B01" -> 16, "P16" -> 255; UserError for anything else."""
    match = _NAME.fullmatch(name) if isinstance(name, str) else None
    if match is None:
        raise UserError(f"{check.shown(name)} is not a pattern name; patterns are A01..P16")
    return 16 * BANKS.index(match[1]) + int(match[2]) - 1


def pattern_name(slot: int) -> str:
    """0 -> "A01", 255 -> "P16"; UserError for anything else."""
    if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < SLOTS:
        raise UserError(f"pattern slot {check.shown(slot)} is outside 0..{SLOTS - 1}")
    return f"{BANKS[slot // 16]}{slot % 16 + 1:02d}"


@lru_cache(maxsize=None)
def lock_specs(kind: str, instrument: str) -> Mapping[str, ParamSpec]:
    """What a step may lock on a track: on an audio track its instrument's parameters (but
    the sample slot: that is the step's `sample`) and its bus's; where both have a key
    ("pan") it is the instrument's. On a MIDI track, CC 0..127."""
    if kind == "midi":
        return _CC
    # an instrument not installed (project/model.py `installed`) locks only the bus here
    specs = {s.key: s for s in INSTRUMENTS.get(instrument, ()) if s.key != "sample"}
    for s in BUS:
        specs.setdefault(s.key, s)
    return MappingProxyType(specs)


@dataclass(frozen=True)
class Retrig:
    rate: int = 4            # repeats per step, one of RETRIG_RATES
    length: float = 1        # in steps, a multiple of 1/96: how long the repeats go on
    vel_ramp: float = 0      # -1..1: the last repeat has velocity * (1 + vel_ramp), in 1..127

    @classmethod
    def from_dict(cls, d, where: str) -> Retrig:
        check.table(d, where, ("rate", "length", "vel_ramp"))
        return cls(rate=check.choice(d.get("rate", 4), f"{where}.rate", RETRIG_RATES, "per step"),
                   length=substeps(d.get("length", 1), f"{where}.length", 16),
                   vel_ramp=check.number(d.get("vel_ramp", 0), f"{where}.vel_ramp", -1, 1))

    def to_dict(self) -> dict:
        return _changed(self, Retrig())


@dataclass(frozen=True)
class Step:
    """One trig. Change a step by making a new one (dataclasses.replace); its `locks` dict
    is shared by copies, so it is never changed in place."""
    notes: tuple[int, ...] = (60,)   # 1..4 MIDI notes: a chord
    velocity: int = 100
    length: float = 1                # the gate, in steps: a multiple of 1/96, 1/96..128
    micro: int = 0                   # -48..48, in 1/96 of a step
    prob: int = 100                  # percent
    cond: str | None = None          # a trig condition, see CONDITIONS
    retrig: Retrig | None = None
    locks: dict[str, float | str] = field(default_factory=dict, hash=False)   # by spec key
    sample: str | None = None        # a sample lock, written like Track.sample
    trig: bool = True                # False keeps the step but plays nothing
    # Left out of repr: the generators seed from a pattern's repr (project/generate.py), and a
    # pattern without accents or slides keeps giving the fills and melodies it gave before.
    accent: bool = field(default=False, repr=False)   # the notes start with the source `accent` at 1
    slide: bool = field(default=False, repr=False)    # the gate holds into the next trig, which joins legato

    @classmethod
    def from_dict(cls, d, where: str, kind: str = "audio", instrument: str = "sampler") -> Step:
        check.table(d, where, ("notes", "velocity", "length", "micro", "prob", "cond", "retrig",
                               "locks", "sample", "trig", "accent", "slide"))
        retrig = d.get("retrig")
        sample = sample_ref(d.get("sample"), f"{where}.sample")
        if sample is not None and kind == "midi":
            raise UserError(f"{where}.sample: a MIDI track plays no samples; remove the sample lock")
        locks = _locks(d.get("locks", {}), f"{where}.locks", kind, instrument)
        if len(locks) + (sample is not None) > STEP_LOCKS:
            raise UserError(f"{where}.locks: a step locks at most {STEP_LOCKS} parameters (a sample "
                            f"lock counts as one), not {len(locks) + (sample is not None)}")
        return cls(
            notes=_notes(d.get("notes", [60]), f"{where}.notes"),
            velocity=check.number(d.get("velocity", 100), f"{where}.velocity", 1, 127, whole=True),
            length=substeps(d.get("length", 1), f"{where}.length", MAX_STEPS),
            micro=check.number(d.get("micro", 0), f"{where}.micro", -MICRO_MAX, MICRO_MAX, whole=True),
            prob=check.number(d.get("prob", 100), f"{where}.prob", 0, 100, "%", whole=True),
            cond=_condition(d.get("cond"), f"{where}.cond"),
            retrig=None if retrig is None else Retrig.from_dict(retrig, f"{where}.retrig"),
            locks=locks,
            sample=sample,
            trig=check.flag(d.get("trig", True), f"{where}.trig"),
            accent=check.flag(d.get("accent", False), f"{where}.accent"),
            slide=check.flag(d.get("slide", False), f"{where}.slide"),
        )

    def to_dict(self) -> dict:
        d = _changed(self, Step())
        if "notes" in d:
            d["notes"] = list(self.notes)
        if self.retrig is not None:
            d["retrig"] = self.retrig.to_dict()
        if self.locks:
            d["locks"] = dict(self.locks)
        return d


@dataclass
class TrackPattern:
    length: int = 16                 # steps, 1..128; the track loops it within the pattern
    speed: str = "1"                 # one of SPEEDS: a step lasts 1/speed of a 16th
    steps: list[Step | None] = field(default_factory=list)   # `length` entries; None is empty

    def __post_init__(self):
        if len(self.steps) < self.length:
            self.steps = list(self.steps) + [None] * (self.length - len(self.steps))

    @classmethod
    def from_dict(cls, d, where: str, kind: str = "audio", instrument: str = "sampler") -> TrackPattern:
        check.table(d, where, ("length", "speed", "steps"))
        length = check.number(d.get("length", 16), f"{where}.length", 1, MAX_STEPS, whole=True)
        speed = check.choice(d.get("speed", "1"), f"{where}.speed", SPEEDS)
        steps = [None] * length
        for i, step in _indexed_steps(d.get("steps", []), f"{where}.steps", length):
            if step is not None:
                steps[i] = Step.from_dict(step, f"{where}.steps[{i}]", kind, instrument)
        return cls(length=length, speed=speed, steps=steps)

    def to_dict(self) -> dict:
        """Steps as a list, one entry per step, without the empty steps at the end."""
        d = _changed(self, TrackPattern(), ("length", "speed"))
        steps = [None if s is None else s.to_dict() for s in self.steps]
        while steps and steps[-1] is None:
            steps.pop()
        if steps:
            d["steps"] = steps
        return d


@dataclass
class Pattern:
    name: str = ""
    length: int = 16                 # the master length, 1..1024 steps at 1x: one pass
    swing: int = 50                  # percent, 50..75: odd steps are late by (swing-50)/50 step
    tracks: list[TrackPattern] = field(default_factory=list)   # always TRACKS of them

    def __post_init__(self):
        if len(self.tracks) < TRACKS:
            self.tracks = list(self.tracks) + [TrackPattern() for _ in range(TRACKS - len(self.tracks))]

    @classmethod
    def empty(cls) -> Pattern:
        return cls()

    def is_empty(self) -> bool:
        return self == Pattern()

    @classmethod
    def from_dict(cls, d, where: str, sounds=()) -> Pattern:
        """`sounds` holds (kind, instrument) of each project track, for what steps may lock;
        a track the project does not have is an audio track with the sampler."""
        check.table(d, where, ("name", "length", "swing", "tracks"))
        tracks = check.items(d.get("tracks", []), f"{where}.tracks", most=TRACKS, noun="track patterns")
        sounds = list(sounds) + [("audio", "sampler")] * (TRACKS - len(sounds))
        return cls(
            name=check.text(d.get("name", ""), f"{where}.name", 0, 64),
            length=check.number(d.get("length", 16), f"{where}.length", 1, MAX_PATTERN_LENGTH, whole=True),
            swing=check.number(d.get("swing", 50), f"{where}.swing", 50, 75, "%", whole=True),
            tracks=[TrackPattern.from_dict(t, f"{where}.tracks[{i}]", *sounds[i]) for i, t in enumerate(tracks)],
        )

    def to_dict(self) -> dict:
        """Fields at their default and the empty track patterns at the end are left out."""
        d = _changed(self, Pattern(), ("name", "length", "swing"))
        tracks = [t.to_dict() for t in self.tracks]
        while tracks and tracks[-1] == {}:
            tracks.pop()
        if tracks:
            d["tracks"] = tracks
        return d


def _changed(obj, default, names=None) -> dict:
    names = names or obj.__dataclass_fields__
    return {n: getattr(obj, n) for n in names if getattr(obj, n) != getattr(default, n)}


def _indexed_steps(steps, where: str, length: int):
    """(index, step or None) from a list (shorter than `length` is fine) or an object
    {"index": step}."""
    if isinstance(steps, list):
        if len(steps) > length:
            raise check.error(f"{where} has {len(steps)} steps but the track's length is {length}")
        return enumerate(steps)
    if isinstance(steps, dict):
        for key in steps:
            if not (isinstance(key, str) and key.isascii() and key.isdigit() and str(int(key)) == key and int(key) < length):
                raise check.error(f"{where}: key {check.shown(key)} is not a step number from 0 to {length - 1}")
        return ((int(key), step) for key, step in steps.items())
    raise check.error(f"{where} must be a list of steps or an object {{\"index\": step}}, not {check.shown(steps)}")


def _notes(value, where: str) -> tuple[int, ...]:
    check.items(value, where, 1, MAX_NOTES, "MIDI notes such as [60]")
    notes = tuple(check.number(n, f"{where}[{i}]", 0, 127, whole=True) for i, n in enumerate(value))
    if len(set(notes)) < len(notes):
        raise check.error(f"{where} has a note twice: {check.shown(notes)}")
    return notes


def _condition(value, where: str) -> str | None:
    if value is None or value in CONDITIONS:
        return value
    match = _COND.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[1]) > int(match[2]):
        raise check.error(f"{where} must be null, \"A:B\" or \"!A:B\" with 1 <= A <= B <= 8, or one of "
                          f"{', '.join(CONDITIONS)}; not {check.shown(value)}")
    return value


def _locks(d, where: str, kind: str, instrument: str) -> dict:
    specs = lock_specs(kind, instrument)
    if kind == "audio" and instrument not in INSTRUMENTS:
        # a third-party instrument not installed: its locks kept as written (numbers, text)
        check.table(d, where)
        return {key: param_value(specs[key], value, where) if key in specs else
                check.text(value, at(where, key)) if isinstance(value, str) else check.number(value, at(where, key))
                for key, value in d.items()}
    check.table(d, where, specs, known_as="cc0..cc127 (a MIDI track)" if kind == "midi" else "")
    return {key: param_value(specs[key], value, where) for key, value in d.items()}


# Validation, shared with model.py. `where` is the full place of the value. The store names
# the file, so `check` has no source.
check = Check(json=True)


def param_value(spec: ParamSpec, value, where: str):
    """The value of parameter `spec` at `where` as written (a number or a choice's name) if
    the spec allows it; whole numbers as int."""
    spec.check(value, where)
    return int(value) if spec.curve == "int" else value


def substeps(value, where: str, hi: int):
    """A length in steps that is a whole number of 1/96 steps, from 1/96 to `hi`: as an int
    when it is whole, else the nearest float to k/96 (so 0.3333333 reads as 1/3)."""
    if not finite(value):
        raise check.error(f"{where} must be a number of steps from 1/96 to {hi}, not {check.shown(value)}")
    k = round(value * SUBSTEPS) if abs(value) <= 2 * hi else 0
    if not 1 <= k <= hi * SUBSTEPS:
        raise check.error(f"{where} = {number_text(value)} is outside 1/96..{hi} steps")
    if abs(value * SUBSTEPS - k) > 1e-3:
        raise check.error(f"{where} = {number_text(value)} is not a whole number of 1/96 steps (0.25 is 24/96)")
    return k // SUBSTEPS if k % SUBSTEPS == 0 else k / SUBSTEPS


def sample_ref(value, where: str) -> str | None:
    if value is None or (isinstance(value, str) and value.startswith(FACTORY_PREFIX)):
        return value
    path = PurePosixPath(value) if isinstance(value, str) and value else None
    if path is None or path.is_absolute() or ".." in path.parts or "\\" in value:
        raise check.error(f"{where} must be null, \"factory:<name>\" or a path inside the samples "
                          f"folder such as \"kick.wav\", not {check.shown(value)}")
    return value
