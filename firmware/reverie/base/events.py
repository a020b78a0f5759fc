"""Input events: what the hardware, the MIDI controllers and the simulator's keyboard tell the
control thread. Plain frozen data, the one vocabulary shared by `hal` (which makes them),
`ui` (which turns them into model changes and engine effects) and the tests (which script
them). `t` is `time.monotonic()` seconds at arrival, stamped by the input callback; the
control thread uses it to place live notes on the sample clock (design §4).

Logical key names are the ones below; a box's TOML (reverie/hal/boxes/*.toml) maps pins to them and
a box may have any subset (the minimal box: ENC1 push, SHIFT and PLAY).
"""
from __future__ import annotations

from dataclasses import dataclass

# Function keys of the reference box, in panel order. ENC1..ENC4 are the encoders' pushes;
# POWER, on a box that wires one, saves and stops the box when held (a long press).
KEYS = ("PLAY", "STOP", "REC", "SHIFT", "FUNC",
        "PATTERN", "SOUND", "MIXER", "SONG", "SAMPLE", "PROJECT", "SETTINGS", "SYSTEM",
        "LEFT", "RIGHT", "ENC1", "ENC2", "ENC3", "ENC4", "POWER")
ENCODERS = 4          # at most; the minimal box has one
PADS = 16

# Key actions. A key sends "press" and "release" always; "long" once while held past
# LONG_PRESS_S; "double" (after its "press") when pressed again within DOUBLE_PRESS_S of the
# previous release.
PRESS, RELEASE, LONG, DOUBLE = "press", "release", "long", "double"
ACTIONS = (PRESS, RELEASE, LONG, DOUBLE)
LONG_PRESS_S = 0.5
DOUBLE_PRESS_S = 0.3


@dataclass(frozen=True, slots=True)
class Key:
    name: str             # one of KEYS
    action: str           # one of ACTIONS
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Turn:
    encoder: int          # 0..ENCODERS-1
    detents: int          # signed, after acceleration: +1 is one click clockwise
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Pad:
    pad: int              # 0..PADS-1
    velocity: int         # 1..127 pressed, 0 released
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Note:
    """A note from a keyboard controller: played chromatically on the focused track."""
    note: int             # 0..127
    velocity: int         # 1..127 on, 0 off
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Knob:
    """A controller knob or fader mapped by its profile to one of the focused parameters
    (slot 0..7 = the page's parameters in order) or by MIDI learn to a parameter key."""
    slot: int             # 0..7, or -1 when `key` names the parameter (learned)
    value: float          # 0..1 absolute position, or a signed step count when `relative`
    relative: bool = False
    key: str = ""         # a learned parameter: "cutoff_hz", "bus.volume_db", "master.tempo_bpm"
    track: int = -1       # the learned parameter's track, -1 = the focused track
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Expression:
    """A keyboard's expression for the focused track's instrument: the mod wheel (CC 1) or
    channel pressure (aftertouch), 0..1. Modulation routes read them (sound/graph.py)."""
    control: str          # "wheel" or "pressure"
    value: float          # 0..1
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Control:
    """A raw control change nobody mapped yet: what MIDI learn listens to."""
    device: str           # the controller's port name
    channel: int          # 0..15
    control: int          # 0..127
    value: int            # 0..127
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Grid:
    """A button of a grid controller used as a step grid (x across steps, y down tracks)."""
    x: int                # 0..7
    y: int                # 0..7
    pressed: bool
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Device:
    """A MIDI controller appeared (present) or went away."""
    name: str
    profile: str          # the profile it was matched to, e.g. "generic-keyboard"
    present: bool
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Typed:
    """A key of a USB computer keyboard (hal/usb_keyboard.py), for typed words and notes: one
    printable character ("a", "A", "7", " "), or "BackSpace", "Return" or "Escape"."""
    key: str
    t: float = 0.0


Event = Key | Turn | Pad | Note | Knob | Expression | Control | Grid | Device | Typed
