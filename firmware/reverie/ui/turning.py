"""How an encoder turn moves a parameter, and how a value is written in a few characters.

A detent moves a value by a step that suits its spec: whole numbers and choices by one;
semitones, cents and BPM by one and decibels by 0.5 (FUNC held: a tenth); times in ms along a cube-root taper (fine
near zero, quick at seconds); exponential curves (frequencies) by 1/128 of their normalised
range; other linear values by 1/128 of their range (FUNC held: an eighth of these).
"""
from __future__ import annotations

import math
from fractions import Fraction

from reverie.sound.params import ParamSpec

RESOLUTION = 128            # detents across a normalised range
FINE = 8                    # FUNC held: steps this many times smaller
FINE_UNITS = 10             # ... and tenths of a semitone, a cent, a BPM
UNIT_STEPS = {"st": 1.0, "ct": 1.0, "dB": 0.5, "BPM": 1.0, "bpm": 1.0}
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def turn(spec: ParamSpec, value: float, detents: int, fine: bool = False) -> float:
    """`value` moved by `detents`, within the spec's range."""
    value = min(spec.hi, max(spec.lo, float(value)))
    if spec.curve in ("int", "choice"):
        return float(min(spec.hi, max(spec.lo, round(value) + detents)))
    div = FINE if fine else 1
    if spec.curve == "exp":
        x = spec.to_norm(value) + detents / (RESOLUTION * div)
        return _within(spec, spec.from_norm(x), value)
    step = UNIT_STEPS.get(spec.unit)
    if step is not None:
        step /= FINE_UNITS if fine else 1
        return _within(spec, round((value + detents * step) / step) * step, value)
    if spec.unit == "ms" and spec.lo >= 0 < spec.hi:
        x = (value / spec.hi) ** (1 / 3) + detents / (RESOLUTION * div)
        return _within(spec, spec.hi * min(1.0, max(0.0, x)) ** 3, value)
    step = (spec.hi - spec.lo) / (RESOLUTION * div)
    k = round((value - spec.lo) / step) + detents
    return _within(spec, spec.lo + k * step, value)


def absolute(spec: ParamSpec, x: float) -> float:
    """A knob's position 0..1 as a value of the spec (rounded like a turn)."""
    return min(spec.hi, max(spec.lo, _round(spec.from_norm(x))))


def _round(v: float) -> float:
    """Four significant digits: values stay short on the screen and in the project file."""
    if v == 0 or not math.isfinite(v):
        return 0.0
    digits = 3 - int(math.floor(math.log10(abs(v))))
    return round(v, max(0, digits))


def _within(spec: ParamSpec, raw: float, old: float) -> float:
    """`raw` rounded and kept in range; unrounded when rounding would undo the turn."""
    v = _round(raw)
    if v == old != raw:
        v = raw
    return min(spec.hi, max(spec.lo, v))


def show(spec: ParamSpec, value: float, width: int = 8) -> str:
    """The value and its unit in at most `width` characters: "20kHz", "1.5s", "-6dB", "0.25";
    a pan as "L30", "C", "R100"."""
    if spec.curve == "choice":
        return spec.choices[int(value)][:width]
    if spec.key == "pan":
        side = round(value * 100)
        return "C" if side == 0 else f"{'L' if side < 0 else 'R'}{abs(side)}"
    unit = spec.unit
    if unit == "Hz" and abs(value) >= 1000:
        value, unit = value / 1000, "kHz"
    elif unit == "ms" and abs(value) >= 1000:
        value, unit = value / 1000, "s"
    for num in _numbers(value, width):
        if len(num + unit) <= width:
            return num + unit
    return number(value, width)


def number(value: float, width: int = 8) -> str:
    """A number in at most `width` characters without an exponent: 3 significant digits
    where they fit, fewer where they do not."""
    for s in _numbers(value, width):
        if len(s) <= width:
            return s
    return f"{value:.0f}"[:width]


def _numbers(value: float, width: int):
    """The value written with 3 significant digits, then with fewer and fewer decimals."""
    if value == int(value) or not math.isfinite(value):
        yield str(int(value)) if math.isfinite(value) else "?"
        return
    top = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    for decimals in range(top, -1, -1):
        s = f"{value:.{decimals}f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        yield "0" if s == "-0" else s


def note_name(note: int) -> str:
    """60 -> "C4" (MIDI note 60 is middle C, C4)."""
    return f"{NOTE_NAMES[note % 12]}{note // 12 - 1}"


def steps(length: float) -> str:
    """A length in steps: "1", "16", "1/4", "3/8", "3/2"."""
    f = Fraction(length).limit_denominator(96)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)
