"""Translation: one connected controller's raw MIDI messages into input events
(`reverie.base.events`), through its profile (`profiles.Profile`) and the MIDI learn
bindings (`learn.LearnMap`). Pure, so a test feeds it bytes and reads events.
Channels are 0..15 here, as in the events.
"""
from __future__ import annotations

from collections import Counter

from reverie.base import events
from reverie.hal.controllers.learn import LearnMap
from reverie.hal.controllers.profiles import Profile

MOD_WHEEL_CC = 1       # unless the profile or MIDI learn maps it: the instrument's mod wheel
_LENGTHS = {0x80: 3, 0x90: 3, 0xA0: 3, 0xB0: 3, 0xC0: 2, 0xD0: 2, 0xE0: 3,
            0xF1: 2, 0xF2: 3, 0xF3: 2, 0xF6: 1, 0xF8: 1, 0xFA: 1, 0xFB: 1, 0xFC: 1, 0xFE: 1, 0xFF: 1}


def well_formed(data: bytes) -> bool:
    """A complete MIDI message: a status byte, data bytes below 0x80, the right length
    (running status is resolved by the MIDI library before it reaches here)."""
    if not data or data[0] < 0x80:
        return False
    if data[0] == 0xF0:
        return len(data) >= 2 and data[-1] == 0xF7 and all(b < 0x80 for b in data[1:-1])
    status = data[0] if data[0] >= 0xF0 else data[0] & 0xF0
    return len(data) == _LENGTHS.get(status, -1) and all(b < 0x80 for b in data[1:])


def steps(mode: str, value: int) -> int:
    """A relative encoder's CC value as signed steps."""
    if mode == "twos-complement":
        return value - 128 if value >= 64 else value
    if mode == "offset-64":
        return value - 64
    return -(value & 0x3F) if value & 0x40 else value      # sign-magnitude: bit 6 is the sign


def _on(channel_filter: int | None, channel: int) -> bool:
    return channel_filter is None or channel_filter == channel


class Translator:
    """One connected controller's raw messages -> input events, per its profile and the MIDI
    learn bindings. Pure but for `counts`: events, ignored (system messages, program change,
    polyphonic pressure, pitch bend), unmapped (notes no section takes), malformed."""

    def __init__(self, profile: Profile, device: str, learn: LearnMap | None = None):
        self.profile = profile
        self.device = device
        self.learn = learn
        self.counts: Counter = Counter()

    def __call__(self, data: bytes, t: float, learning: bool = False) -> events.Event | None:
        if not well_formed(data):
            self.counts["malformed"] += 1
            return None
        kind, channel = data[0] & 0xF0, data[0] & 0x0F
        if kind == 0xB0:
            event = self._control(channel, data[1], data[2], t, learning)
        elif kind in (0x80, 0x90):
            event = self._note(channel, data[1], data[2] if kind == 0x90 else 0, t)
        elif kind == 0xD0:
            event = events.Expression("pressure", data[1] / 127.0, t)
        else:
            self.counts["ignored"] += 1
            return None
        self.counts["events" if event is not None else "unmapped"] += 1
        return event

    def _control(self, channel: int, cc: int, value: int, t: float, learning: bool):
        p = self.profile
        knob = p.knobs.get(cc) if _on(p.knobs_channel, channel) else None
        bound = self.learn.lookup(self.device, channel, cc) if self.learn is not None else None
        if bound is not None and not learning:
            return self._knob(-1, knob[1] if knob else "absolute", value, t, bound.key, bound.track)
        if cc in p.key_ccs and _on(p.keys_channel, channel):
            return events.Key(p.key_ccs[cc], events.PRESS if value >= 64 else events.RELEASE, t)
        if knob is not None and not learning:
            return self._knob(knob[0], knob[1], value, t)
        if cc == MOD_WHEEL_CC and not learning:
            return events.Expression("wheel", value / 127.0, t)
        return events.Control(self.device, channel, cc, value, t)

    @staticmethod
    def _knob(slot: int, mode: str, value: int, t: float, key: str = "", track: int = -1):
        if mode == "absolute":
            return events.Knob(slot, value / 127, False, key, track, t)
        return events.Knob(slot, float(steps(mode, value)), True, key, track, t)

    def _note(self, channel: int, note: int, velocity: int, t: float):
        p = self.profile
        if note in p.key_notes and _on(p.keys_channel, channel):
            return events.Key(p.key_notes[note], events.PRESS if velocity else events.RELEASE, t)
        if p.grid is not None and note in p.grid.cells and _on(p.grid.channel, channel):
            x, y = p.grid.cells[note]
            return events.Grid(x, y, velocity > 0, t)
        if note in p.pads and _on(p.pads_channel, channel):
            return events.Pad(p.pads[note], velocity and (p.pads_velocity or velocity), t)
        played = note + p.transpose
        if p.keyboard and _on(p.keyboard_channel, channel) and 0 <= played <= 127:
            return events.Note(played, velocity and (p.keyboard_velocity or velocity), t)
        return None
