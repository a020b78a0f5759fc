"""Controller profiles: what a USB MIDI controller's messages mean, written as data (TOML, one
file a profile, docs/controllers.md). Translating messages through a profile is in translate.py.

The shipped profiles live in `reverie/hal/controllers/shipped/`; a user's folder of profiles overrides
them by name. Every problem in a file is a one-line `UserError` naming the file and the key.
Channels are 1..16 in the files and 0..15 in events.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reverie.base import events
from reverie.base.errors import UserError

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
    "grid.palette": CELL_STATES,
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
                raise UserError(f"{path}: name: '{profile.name}' is also the name of "
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
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the controller profile ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({' '.join(str(exc).split())})") from None
    return parse_profile(data, str(path))


def parse_profile(data: dict, source: str) -> Profile:
    return _Parser(source).profile(data)


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.used: list[tuple[str, int, int | None, str]] = []   # (cc|note, n, channel, use)

    def fail(self, key: str, problem: str):
        raise UserError(f"{self.source}: {key}: {problem}")

    def table(self, data, key: str) -> dict:
        if not isinstance(data, dict):
            self.fail(key, "must be a table")
        for k in data:
            if k not in _SECTIONS[key]:
                self.fail(f"{key}.{k}".lstrip("."),
                          f"unknown key (known: {', '.join(_SECTIONS[key])})")
        return data

    def int_(self, value, key: str, lo: int, hi: int, what: str = "") -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            self.fail(key, f"{what or 'value'} {value!r} is out of {lo}..{hi}")
        return value

    def str_(self, value, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        return value

    def list_(self, value, key: str) -> list:
        if not isinstance(value, list):
            self.fail(key, "must be a list")
        return value

    def channel(self, table: dict, key: str, default: int | None) -> int | None:
        if "channel" not in table:
            return default
        return self.int_(table["channel"], f"{key}.channel".lstrip("."), 1, 16, "channel") - 1

    def velocity(self, table: dict, key: str) -> int | None:
        value = table.get("velocity", "pass")
        return None if value == "pass" else self.int_(value, f"{key}.velocity", 1, 127,
                                                      'velocity (or "pass")')

    def claim(self, kind: str, number: int, channel: int | None, use: str, key: str) -> None:
        """Refuses a CC or note mapped twice on channels that overlap."""
        for k, n, ch, other in self.used:
            if (k, n) == (kind, number) and (ch is None or channel is None or ch == channel):
                self.fail(key, f"{kind} {number} is already mapped ({other})")
        self.used.append((kind, number, channel, use))

    def patterns(self, data: dict, key: str) -> tuple[re.Pattern, ...]:
        out = []
        for k, text in enumerate(self.list_(data.get(key, []), key)):
            text = self.str_(text, f"{key}[{k}]")
            try:
                out.append(re.compile(text[3:] if text.startswith("re:") else re.escape(text),
                                      re.IGNORECASE))
            except re.error as exc:
                self.fail(f"{key}[{k}]", f"bad regex {text[3:]!r} ({exc})")
        return tuple(out)

    def profile(self, data: dict) -> Profile:
        self.table(data, "")
        if "name" not in data:
            self.fail("name", "missing")
        fields = dict(name=self.str_(data["name"], "name"), source=self.source,
                      description=data.get("description", ""),
                      match=self.patterns(data, "match"), skip=self.patterns(data, "skip"))
        if not isinstance(fields["description"], str):
            self.fail("description", "must be a string")
        fallback = data.get("fallback", False)
        if not isinstance(fallback, bool):
            self.fail("fallback", "must be true or false")
        if not fields["match"] and not fallback:
            self.fail("match", "missing: name a part of the port name (or set fallback = true)")
        channel = self.channel(data, "", None)
        for section in ("pads", "keyboard", "knobs", "keys", "grid"):
            if section in data:
                table = self.table(data[section], section)
                fields.update(getattr(self, section)(table, self.channel(table, section, channel)))
        return Profile(fallback=fallback, **fields)

    def pads(self, table: dict, channel) -> dict:
        notes = self.list_(table.get("notes", []), "pads.notes")
        if len(notes) > events.PADS:
            self.fail("pads.notes", f"{len(notes)} notes for {events.PADS} pads")
        pads = {}
        for pad, note in enumerate(notes):
            key = f"pads.notes[{pad}]"
            self.claim("note", self.int_(note, key, 0, 127, "note"), channel, f"pad {pad}", key)
            pads[note] = pad
        return dict(pads=pads, pads_channel=channel, pads_velocity=self.velocity(table, "pads"))

    def keyboard(self, table: dict, channel) -> dict:
        return dict(keyboard=True, keyboard_channel=channel,
                    keyboard_velocity=self.velocity(table, "keyboard"),
                    transpose=self.int_(table.get("transpose", 0), "keyboard.transpose", -48, 48,
                                        "transpose"))

    def knobs(self, table: dict, channel) -> dict:
        default = table.get("mode", "absolute")
        if default not in KNOB_MODES:
            self.fail("knobs.mode", f"'{default}' is not one of {', '.join(KNOB_MODES)}")
        ccs = self.list_(table.get("ccs", []), "knobs.ccs")
        if len(ccs) > KNOB_SLOTS:
            self.fail("knobs.ccs", f"{len(ccs)} knobs for {KNOB_SLOTS} slots")
        knobs = {}
        for slot, entry in enumerate(ccs):
            key, mode = f"knobs.ccs[{slot}]", default
            if isinstance(entry, dict):
                unknown = set(entry) - {"cc", "mode"}
                if unknown or "cc" not in entry:
                    self.fail(key, "a knob is a CC number or a table {cc = …, mode = …}")
                entry, mode = entry["cc"], entry.get("mode", default)
                if mode not in KNOB_MODES:
                    self.fail(f"{key}.mode", f"'{mode}' is not one of {', '.join(KNOB_MODES)}")
            self.claim("cc", self.int_(entry, key, 0, 127, "CC"), channel, f"knob {slot}", key)
            knobs[entry] = (slot, mode)
        return dict(knobs=knobs, knobs_channel=channel)

    def keys(self, table: dict, channel) -> dict:
        out = {}
        for kind in ("cc", "note"):
            mapping = {}
            for number, name in self.table_of(table.get(kind, {}), f"keys.{kind}").items():
                key = f"keys.{kind}.{number}"
                if not number.isdigit():
                    self.fail(key, f"must be a {kind} number 0..127")
                if name not in events.KEYS:
                    self.fail(key, f"'{name}' is not a key (keys: {', '.join(events.KEYS)})")
                self.claim(kind, self.int_(int(number), key, 0, 127, kind), channel, name, key)
                mapping[int(number)] = name
            out["key_ccs" if kind == "cc" else "key_notes"] = mapping
        return dict(out, keys_channel=channel)

    def table_of(self, value, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, "must be a table")
        return value

    def grid(self, table: dict, channel) -> dict:
        rows = self.list_(table.get("notes", []), "grid.notes")
        if len(rows) != GRID_SIZE or any(not isinstance(r, list) or len(r) != GRID_SIZE for r in rows):
            self.fail("grid.notes", f"must be {GRID_SIZE} rows of {GRID_SIZE} notes, top row first")
        led_channel = 0 if channel is None else channel
        cells = {}
        for y, row in enumerate(rows):
            for x, note in enumerate(row):
                key = f"grid.notes[{y}][{x}]"
                self.claim("note", self.int_(note, key, 0, 127, "note"), channel,
                           f"grid cell {x},{y}", key)
                cells[note] = (x, y)
        palette = self.table(table.get("palette", {}), "grid.palette")
        for state in CELL_STATES:
            if state not in palette:
                self.fail(f"grid.palette.{state}", "missing")
            self.int_(palette[state], f"grid.palette.{state}", 0, 127, "velocity")
        spec = GridSpec(tuple(tuple(r) for r in rows), led_channel, self.sysex(table, "enter"),
                        self.sysex(table, "leave"), dict(palette), cells)
        return dict(grid=spec)

    def sysex(self, table: dict, name: str) -> bytes:
        key, text = f"grid.{name}", table.get(name, "")
        if text == "":
            return b""
        try:
            data = bytes.fromhex(self.str_(text, key))
        except ValueError:
            self.fail(key, f"'{text}' is not hex bytes like \"F0 00 20 29 F7\"")
        if len(data) < 2 or data[0] != 0xF0 or data[-1] != 0xF7 or any(b >= 0x80 for b in data[1:-1]):
            self.fail(key, "must be one SysEx message: F0, data bytes below 80, F7")
        return data
