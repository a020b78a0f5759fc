"""Scales as data: one table, from which every lookup is derived (as mido's MIDI grammar is
a list of specs). A scale is the semitones above its root, ascending from 0, in twelve-tone
equal temperament; any of the twelve roots plays it. Scales from traditions that tune
otherwise are twelve-tone approximations, each with a note on where the approximation
comes from and which way its notes were rounded (docs/scales.md says more).

    BY_NAME["yaman"].steps          # (0, 2, 4, 6, 7, 9, 11)
    note_of(scale, root=2, degree=9, base=48)   # the 10th note of D yaman from D3
    lock(61, scale, root=9)         # a note outside the scale -> the scale's note below it
    chord(scale, 0, 4)              # the seventh chord on the first degree, as degrees
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str                     # as the settings and keys pages show it (at most 14 letters)
    steps: tuple[int, ...]        # semitones above the root, ascending, the first 0
    family: str                   # where it comes from: western, mode, raga, maqam, japan, gamelan
    note: str = ""                # where the twelve-tone approximation comes from

    @property
    def size(self) -> int:
        return len(self.steps)


SCALES: tuple[Scale, ...] = (
    Scale("off", tuple(range(12)), "western", "every semitone: no scale"),
    Scale("major", (0, 2, 4, 5, 7, 9, 11), "western"),
    Scale("minor", (0, 2, 3, 5, 7, 8, 10), "western", "natural minor (aeolian)"),
    Scale("harmonic minor", (0, 2, 3, 5, 7, 8, 11), "western", "minor with a raised 7th"),
    Scale("melodic minor", (0, 2, 3, 5, 7, 9, 11), "western", "the ascending (jazz) form"),
    Scale("major pent", (0, 2, 4, 7, 9), "western", "major pentatonic"),
    Scale("minor pent", (0, 3, 5, 7, 10), "western", "minor pentatonic"),
    Scale("blues", (0, 3, 5, 6, 7, 10), "western", "minor pentatonic with the flat 5th"),
    Scale("ionian", (0, 2, 4, 5, 7, 9, 11), "mode", "the first mode: the major scale"),
    Scale("dorian", (0, 2, 3, 5, 7, 9, 10), "mode"),
    Scale("phrygian", (0, 1, 3, 5, 7, 8, 10), "mode"),
    Scale("lydian", (0, 2, 4, 6, 7, 9, 11), "mode"),
    Scale("mixolydian", (0, 2, 4, 5, 7, 9, 10), "mode"),
    Scale("aeolian", (0, 2, 3, 5, 7, 8, 10), "mode", "the sixth mode: the natural minor"),
    Scale("locrian", (0, 1, 3, 5, 6, 8, 10), "mode"),
    # Hindustani ragas: the notes of the raga's thaat (parent scale) as the twelve
    # semitones (komal = flat, tivra = sharp). A raga is more than its notes (the order of
    # its ascent and descent, its resting notes, its slides and its shrutis, which sit
    # between these semitones); only the notes are here.
    Scale("bhairav", (0, 1, 4, 5, 7, 8, 11), "raga", "S r G m P d N: komal re and dha, "
          "played a little flatter than these and with a slow oscillation (andolan)"),
    Scale("yaman", (0, 2, 4, 6, 7, 9, 11), "raga", "S R G M P D N, tivra ma (Kalyan thaat)"),
    Scale("kafi", (0, 2, 3, 5, 7, 9, 10), "raga", "S R g m P D n, komal ga and ni (Kafi thaat)"),
    Scale("bhairavi", (0, 1, 3, 5, 7, 8, 10), "raga", "S r g m P d n: every flat note (Bhairavi thaat)"),
    Scale("todi", (0, 1, 3, 6, 7, 8, 11), "raga", "S r g M P d N (Todi thaat)"),
    Scale("purvi", (0, 1, 4, 6, 7, 8, 11), "raga", "S r G M P d N (Purvi thaat)"),
    Scale("marwa", (0, 1, 4, 6, 9, 11), "raga", "S r G M D N: no pa (Marwa thaat)"),
    Scale("bhupali", (0, 2, 4, 7, 9), "raga", "S R G P D: pentatonic, no ma and ni"),
    Scale("malkauns", (0, 3, 5, 8, 10), "raga", "S g m d n: pentatonic, no re and pa"),
    # Arabic maqamat: tuned with quarter tones that twelve-tone pitches cannot play.
    Scale("hijaz", (0, 1, 4, 5, 7, 8, 10), "maqam", "jins Hijaz (D Eb F# G) and jins Nahawand on "
          "the 5th: all near twelve-tone; the upper jins Rast's half-flat 6th is rounded down to Bb"),
    Scale("rast", (0, 2, 4, 5, 7, 9, 10), "maqam", "C D E-half-flat F G A B-half-flat: the 3rd "
          "rounded up to E (Rast's bright neutral third), the 7th down to Bb (its descent)"),
    # Japanese pentatonic scales.
    Scale("in", (0, 1, 5, 7, 8), "japan", "miyako-bushi (in) scale, its descending form; "
          "ascending it often takes the flat 7th instead of the flat 6th"),
    Scale("yo", (0, 2, 5, 7, 9), "japan", "yo scale: no semitones"),
    Scale("hirajoshi", (0, 2, 3, 7, 8), "japan", "hirajoshi as Burrows and Sachs give it; "
          "other sources start it on another of its notes"),
    # Javanese and Balinese gamelan: tunings that differ from set to set, none tempered.
    Scale("pelog", (0, 1, 3, 7, 8), "gamelan", "pelog's five-tone selisir mode (tones 1 2 3 5 6), "
          "each at the nearest semitone to typical measured steps"),
    Scale("slendro", (0, 2, 5, 7, 10), "gamelan", "five near-equal steps of about 240 cents, "
          "each rounded to the nearest semitone (240, 480, 720, 960 -> 2, 5, 7, 10)"),
)

BY_NAME: dict[str, Scale] = {s.name: s for s in SCALES}
NAMES: tuple[str, ...] = tuple(BY_NAME)
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
LOWEST, HIGHEST = 0, 127        # MIDI notes


def get(name) -> Scale:
    """The scale called `name`; an unknown name (an old or damaged setting) plays "off"."""
    return BY_NAME.get(name, BY_NAME["off"]) if isinstance(name, str) else BY_NAME["off"]


def contains(scale: Scale, root: int, note: int) -> bool:
    return (note - root) % 12 in scale.steps


def note_of(scale: Scale, root: int, degree: int, base: int = 0) -> int:
    """The MIDI note of scale degree `degree` (0 = the root; may be negative or pass the
    octave) counted from the root at or above `base`'s octave: base 48 with root 2 starts at
    D3 (50)."""
    octave, index = divmod(degree, scale.size)
    return (base // 12) * 12 + root % 12 + 12 * octave + scale.steps[index]


def degree_of(scale: Scale, root: int, note: int, base: int = 0) -> int | None:
    """The degree (as note_of counts it) of `note`, or None when it is not in the scale."""
    offset = note - ((base // 12) * 12 + root % 12)
    octave, step = divmod(offset, 12)
    if step not in scale.steps:
        return None
    return octave * scale.size + scale.steps.index(step)


def lock(note: int, scale: Scale, root: int) -> int:
    """The scale lock: a note outside the scale plays the scale's note just below it (just
    above it at the very bottom of MIDI's range), so whatever is played fits the key."""
    for candidate in range(note, LOWEST - 1, -1):
        if contains(scale, root, candidate):
            return candidate
    return next(n for n in range(note, HIGHEST + 1) if contains(scale, root, n))


def chord(scale: Scale, degree: int, notes: int = 3) -> tuple[int, ...]:
    """The diatonic chord on `degree`: `notes` degrees stacked in thirds of the scale (every
    other degree: 3 a triad, 4 a seventh chord), as degrees for note_of."""
    return tuple(degree + 2 * i for i in range(notes))
