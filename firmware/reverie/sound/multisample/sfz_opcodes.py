"""The SFZ opcodes the import understands, as a table: name -> how its text becomes zone
values (docs/multisample.md lists them with their ranges). A value that does not fit is
one line and the opcode is ignored; the region keeps what it inherited."""
from __future__ import annotations

import math
import re

from reverie.sound.multisample.notes import NOTE_HINT, note_number
from reverie.sound.multisample.zones import LOOP_MODES, MAX_SEQ


class Bad(Exception):
    """An opcode whose value does not fit: the message says what is allowed."""


_INT = re.compile(r"[+-]?\d{1,12}")


def _number(text: str, lo: float, hi: float, unit: str = "") -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not lo <= value <= hi:
        raise Bad(f"a number from {lo:g} to {hi:g}{' ' + unit if unit else ''}")
    return value


def _whole(text: str, lo: int, hi: int, unit: str = "") -> int:
    if not _INT.fullmatch(text.strip()) or not lo <= int(text) <= hi:
        raise Bad(f"a whole number from {lo} to {hi}{' ' + unit if unit else ''}")
    return int(text)


def _key(text: str) -> int:
    """A key, or -1: a region no key plays."""
    n = note_number(text, lowest=-1)
    if n is None:
        raise Bad(NOTE_HINT + ", or -1")
    return n


def key_range(field):
    return lambda text: {field: _key(text)}


def key(text):
    n = _key(text)
    return {"key_lo": n, "key_hi": n, "root": n}


def pitch_keycenter(text):
    if text.strip().lower() == "sample":
        return {"root": "sample"}
    n = note_number(text)
    if n is None:
        raise Bad(NOTE_HINT + ", or sample (the file's own root note)")
    return {"root": n}


def whole(field, lo, hi, unit="", add=0):
    return lambda text: {field: _whole(text, lo, hi, unit) + add}


def number(field, lo, hi, unit="", scale=1.0):
    return lambda text: {field: _number(text, lo, hi, unit) * scale}


def loop_mode(text):
    if text not in LOOP_MODES:
        raise Bad("one of " + ", ".join(LOOP_MODES))
    return {"loop_mode": text}


def end(text):
    n = _whole(text, -1, 2**40, "frames")
    return {"end": -1 if n == -1 else n + 1}         # SFZ's end is the last frame played


def trigger(text):
    if text == "attack":
        return {}
    if text in ("release", "release_key"):
        return {"_skip": f"trigger={text} regions sound at note-off, which the multisample player does not do"}
    raise Bad("attack (release regions are skipped; first and legato are not supported)")


_SECONDS = 100.0           # SFZ's envelope times: 0 to 100 s

OPCODES = {
    "lokey": key_range("key_lo"), "hikey": key_range("key_hi"), "key": key,
    "pitch_keycenter": pitch_keycenter,
    "lovel": whole("vel_lo", 0, 127), "hivel": whole("vel_hi", 0, 127),
    "seq_length": whole("seq_length", 1, MAX_SEQ), "seq_position": whole("seq_position", 1, MAX_SEQ),
    "loop_mode": loop_mode, "loopmode": loop_mode,
    "loop_start": whole("loop_start", 0, 2**40, "frames"), "loopstart": whole("loop_start", 0, 2**40, "frames"),
    "loop_end": whole("loop_end", 0, 2**40, "frames", add=1), "loopend": whole("loop_end", 0, 2**40, "frames", add=1),
    "offset": whole("offset", 0, 2**40, "frames"), "end": end,
    "transpose": whole("transpose", -127, 127, "semitones"),
    "tune": number("tune_cents", -9600, 9600, "cents"),
    "volume": number("volume_db", -144, 48, "dB"),
    "pan": number("pan", -100, 100, "%", 0.01),
    "amp_veltrack": number("velocity_track", -100, 100, "%", 0.01),
    "ampeg_attack": number("attack_ms", 0, _SECONDS, "s", 1000.0),
    "ampeg_decay": number("decay_ms", 0, _SECONDS, "s", 1000.0),
    "ampeg_sustain": number("sustain", 0, 100, "%", 0.01),
    "ampeg_release": number("release_ms", 0, _SECONDS, "s", 1000.0),
    "lorand": number("_lorand", 0, 1), "hirand": number("_hirand", 0, 1),
    "trigger": trigger,
}
LOOP_OPCODES = ("loop_mode", "loopmode", "loop_start", "loopstart", "loop_end", "loopend")
