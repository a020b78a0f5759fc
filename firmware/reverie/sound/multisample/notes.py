"""Notes as SFZ and SamplerBox write them: a MIDI number ("60") or a name ("c4", "C#4",
"db4", "c-1"), where C4 is 60, middle C, as in the rest of Reverie (sample-info, the pads)."""
from __future__ import annotations

import re

_PITCH_CLASS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_NAME = re.compile(r"([a-g])([#b♯♭]?)(-?\d{1,2})", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?\d{1,4}")
NOTE_HINT = "a number 0..127 or a name like c4, c#4, db4 (c4 = 60)"


def note_number(text: str, lowest: int = 0) -> int | None:
    """The MIDI note `text` names, or None when it names none in lowest..127."""
    text = text.strip()
    if _NUMBER.fullmatch(text):
        n = int(text)
    else:
        m = _NAME.fullmatch(text)
        if m is None:
            return None
        letter, accidental, octave = m.groups()
        shift = 1 if accidental in ("#", "♯") else -1 if accidental in ("b", "B", "♭") else 0
        n = (int(octave) + 1) * 12 + _PITCH_CLASS[letter.lower()] + shift
    return n if lowest <= n <= 127 else None
