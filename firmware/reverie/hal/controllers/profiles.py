"""Controller profiles: what a USB MIDI controller's messages mean, written as data (TOML, one
file a profile, docs/controllers.md). Translating messages through a profile is in translate.py.

The shipped profiles live in `reverie/hal/controllers/shipped/`; a user's folder of profiles overrides
them by name. Every problem in a file is a one-line `UserError` naming the file and the key.
Channels are 1..16 in the files and 0..15 in events.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reverie.base import events
from reverie.base.errors import UserError
from reverie.base.validate import Check, at, read_toml

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
KNOB_MODES = ("absolute", "twos-complement", "offset-64", "sign-magnitude")
CELL_STATES = ("off", "step", "step_playing", "playhead", "focus", "muted")
GRID_SIZE = 8
KNOB_SLOTS = 8
_SECTIONS = {
    "": ("name", "description", "match", "skip", "fallback", "channel",
         "pads", "keyboard", "knobs", "keys", "grid"),
    "pads": ("notes", "velocity", "channel"),
    "keyboard": ("transpose", "velocity", "channel"),
    "knobs": ("ccs", "mode", "channel"),
    "keys": ("cc", "note", "channel"),
    "grid": ("notes", "channel", "enter", "leave", "palette"),
}


@dataclass(frozen=True)
class GridSpec:
    notes: tuple[tuple[int, ...], ...]    # [y][x], y = 0 the top row
    channel: int                          # 0..15: the buttons' channel and the LEDs'
    enter: bytes                          # SysEx sent on connect (programmer mode), or b""
    leave: bytes                          # SysEx sent on close
    palette: dict[str, int]               # cell state -> LED velocity (the colour)
    cells: dict[int, tuple[int, int]] = field(default_factory=dict)   # note -> (x, y)


@dataclass(frozen=True)
class Profile:
    name: str
    source: str
    match: tuple[re.Pattern, ...] = ()
    skip: tuple[re.Pattern, ...] = ()
    fallback: bool = False
    pads: dict[int, int] = field(default_factory=dict)        # note -> pad
    pads_channel: int | None = None                           # None: any channel
    pads_velocity: int | None = None                          # None: as played
    keyboard: bool = False
    keyboard_channel: int | None = None
    keyboard_velocity: int | None = None
    transpose: int = 0
    knobs: dict[int, tuple[int, str]] = field(default_factory=dict)   # cc -> (slot, mode)
    knobs_channel: int | None = None
    key_ccs: dict[int, str] = field(default_factory=dict)     # cc -> events.KEYS name
    key_notes: dict[int, str] = field(default_factory=dict)
    keys_channel: int | None = None
    grid: GridSpec | None = None
    description: str = ""

    def matches(self, port: str) -> bool:
        return any(p.search(port) for p in self.match)


class Profiles:
    """Profiles in the order they are tried: user's, shipped, then the fallback."""

    def __init__(self, profiles: list[Profile]):
        self._profiles = [p for p in profiles if not p.fallback]
        self.fallback = next((p for p in profiles if p.fallback), None)
        self._skip = [s for p in profiles for s in p.skip]

    def match(self, port: str) -> Profile | None:
        """The profile for a port; None for a port to leave alone."""
        if any(s.search(port) for s in self._skip):
            return None
        return next((p for p in self._profiles if p.matches(port)), self.fallback)

    def get(self, name: str) -> Profile | None:
        return next((p for p in self if p.name == name), None)

    def __iter__(self):
        return iter(self._profiles + ([self.fallback] if self.fallback else []))

    def __len__(self) -> int:
        return len(self._profiles) + (self.fallback is not None)


def load_profiles(user_dir: str | Path | None = None, on_error=None) -> Profiles:
    """The shipped profiles, overridden by name by those in `user_dir` (when it exists).
    A bad user file raises, or with `on_error` is handed to it and left out."""
    shipped = _load_folder(SHIPPED_DIR, None)
    user = []
    if user_dir is not None and Path(user_dir).expanduser().exists():
        user = _load_folder(Path(user_dir).expanduser(), on_error)
    overridden = {p.name for p in user}
    return Profiles(user + [p for p in shipped if p.name not in overridden])


def _load_folder(folder: Path, on_error) -> list[Profile]:
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder of controller profiles")
    profiles: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            profile = load_profile(path)
            if profile.name in profiles:
                raise UserError(f'{path}: name = "{profile.name}" is also the name of '
                                f"{profiles[profile.name].source}")
        except UserError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        profiles[profile.name] = profile
    return list(profiles.values())


def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    return parse_profile(read_toml(path), str(path))


def parse_profile(data: dict, source: str) -> Profile:
    return _Parser(source).profile(data)


class _Parser:
    def __init__(self, source: str):
        self.check = Check(source)
        self.used: list[tuple[str, int, int | None, str]] = []   # (cc|note, n, channel, use)

    def table(self, data, key: str) -> dict:
        return self.check.table(data, key, _SECTIONS[key])

    def midi(self, value, key: str, lo: int = 0, hi: int = 127, unit: str = "") -> int:
        return self.check.number(value, key, lo, hi, unit, whole=True)

    def words(self, value, key: str) -> str:
        """Text that is not only spaces (a name, a part of a port name)."""
        if not isinstance(value, str) or not value.strip():
            raise self.check.error(f"{key} must be text in quotes (more than spaces), "
                                   f"not {self.check.shown(value)}")
        return value

    def channel(self, table: dict, key: str, default: int | None) -> int | None:
        if "channel" not in table:
            return default
        return self.midi(table["channel"], at(key, "channel"), 1, 16) - 1

    def velocity(self, table: dict, key: str) -> int | None:
        value = table.get("velocity", "pass")
        return None if value == "pass" else self.midi(value, f"{key}.velocity", 1, 127, '(or "pass")')

    def claim(self, kind: str, number: int, channel: int | None, use: str, key: str) -> None:
        """Refuses a CC or note mapped twice on channels that overlap."""
        for k, n, ch, other in self.used:
            if (k, n) == (kind, number) and (ch is None or channel is None or ch == channel):
                raise self.check.error(f"{key}: {kind} {number} is already mapped ({other})")
        self.used.append((kind, number, channel, use))

    def patterns(self, data: dict, key: str) -> tuple[re.Pattern, ...]:
        out = []
        for k, text in enumerate(self.check.items(data.get(key, []), key, noun="parts of port names")):
            text = self.words(text, f"{key}[{k}]")
            try:
                out.append(re.compile(text[3:] if text.startswith("re:") else re.escape(text),
                                      re.IGNORECASE))
            except re.error as exc:
                raise self.check.error(f"{key}[{k}] = {self.check.shown(text)} is a bad regex ({exc})")
        return tuple(out)

    def profile(self, data: dict) -> Profile:
        self.check.table(data, "", _SECTIONS[""], required=("name",))
        fields = dict(name=self.words(data["name"], "name"), source=self.check.source,
                      description=self.check.text(data.get("description", ""), "description"),
                      match=self.patterns(data, "match"), skip=self.patterns(data, "skip"))
        fallback = self.check.flag(data.get("fallback", False), "fallback")
        if not fields["match"] and not fallback:
            raise self.check.error("match is missing: name a part of the port name "
                                   "(or set fallback = true)")
        channel = self.channel(data, "", None)
        for section in ("pads", "keyboard", "knobs", "keys", "grid"):
            if section in data:
                table = self.table(data[section], section)
                fields.update(getattr(self, section)(table, self.channel(table, section, channel)))
        return Profile(fallback=fallback, **fields)

    def pads(self, table: dict, channel) -> dict:
        notes = self.check.items(table.get("notes", []), "pads.notes", most=events.PADS, noun="notes")
        pads = {}
        for pad, note in enumerate(notes):
            key = f"pads.notes[{pad}]"
            self.claim("note", self.midi(note, key), channel, f"pad {pad}", key)
            pads[note] = pad
        return dict(pads=pads, pads_channel=channel, pads_velocity=self.velocity(table, "pads"))

    def keyboard(self, table: dict, channel) -> dict:
        return dict(keyboard=True, keyboard_channel=channel,
                    keyboard_velocity=self.velocity(table, "keyboard"),
                    transpose=self.midi(table.get("transpose", 0), "keyboard.transpose", -48, 48,
                                        "semitones"))

    def knobs(self, table: dict, channel) -> dict:
        default = self.check.choice(table.get("mode", "absolute"), "knobs.mode", KNOB_MODES)
        ccs = self.check.items(table.get("ccs", []), "knobs.ccs", most=KNOB_SLOTS,
                               noun="knobs (a CC, or {cc = …, mode = …})")
        knobs = {}
        for slot, entry in enumerate(ccs):
            key, mode = f"knobs.ccs[{slot}]", default
            if isinstance(entry, dict):
                self.check.table(entry, key, ("cc", "mode"), required=("cc",))
                mode = self.check.choice(entry.get("mode", default), f"{key}.mode", KNOB_MODES)
                key, entry = f"{key}.cc", entry["cc"]
            self.claim("cc", self.midi(entry, key), channel, f"knob {slot}", key)
            knobs[entry] = (slot, mode)
        return dict(knobs=knobs, knobs_channel=channel)

    def keys(self, table: dict, channel) -> dict:
        out = {}
        for kind in ("cc", "note"):
            mapping = {}
            for number, name in self.check.table(table.get(kind, {}), f"keys.{kind}").items():
                key = f"keys.{kind}.{number}"
                if not number.isdigit() or int(number) > 127:
                    raise self.check.error(f"{key}: {number} is not a {kind} number 0..127")
                self.check.choice(name, key, events.KEYS)
                self.claim(kind, int(number), channel, name, key)
                mapping[int(number)] = name
            out["key_ccs" if kind == "cc" else "key_notes"] = mapping
        return dict(out, keys_channel=channel)

    def grid(self, table: dict, channel) -> dict:
        rows = self.check.items(table.get("notes", []), "grid.notes", GRID_SIZE, GRID_SIZE,
                                f"rows of {GRID_SIZE} notes, the top row first")
        led_channel = 0 if channel is None else channel
        cells = {}
        for y, row in enumerate(rows):
            for x, note in enumerate(self.check.items(row, f"grid.notes[{y}]", GRID_SIZE, GRID_SIZE, "notes")):
                key = f"grid.notes[{y}][{x}]"
                self.claim("note", self.midi(note, key), channel, f"grid cell {x},{y}", key)
                cells[note] = (x, y)
        palette = self.check.table(table.get("palette", {}), "grid.palette", CELL_STATES, CELL_STATES)
        for state in CELL_STATES:
            self.midi(palette[state], f"grid.palette.{state}", unit="(an LED velocity: the colour)")
        spec = GridSpec(tuple(tuple(r) for r in rows), led_channel, self.sysex(table, "enter"),
                        self.sysex(table, "leave"), dict(palette), cells)
        return dict(grid=spec)

    def sysex(self, table: dict, name: str) -> bytes:
        key, text = f"grid.{name}", self.check.text(table.get(name, ""), f"grid.{name}")
        if text == "":
            return b""
        try:
            data = bytes.fromhex(text)
        except ValueError:
            raise self.check.error(f'{key} = {self.check.shown(text)} is not hex bytes like '
                                   '"F0 00 20 29 F7"') from None
        if len(data) < 2 or data[0] != 0xF0 or data[-1] != 0xF7 or any(b >= 0x80 for b in data[1:-1]):
            raise self.check.error(f"{key} = {self.check.shown(text)} is not one SysEx message: "
                                   "F0, data bytes below 80, F7")
        return data
