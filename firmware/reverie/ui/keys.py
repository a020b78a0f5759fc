"""Keys mode: the 16 pads as an in-scale keyboard for the focused track's sound. Pure.

Every pad is a note of the scale (project/scales.py) from the settings page's scale and
root. Within a row the pads climb the scale one degree at a time, left to right; each row
starts a fixed number of degrees above the row below it, as on grid instruments: "4ths"
(the degrees nearest a perfect fourth, round(size * 5 / 12): 3 in a seven-note scale, 2 in a
pentatonic, 5 semitones with no scale) or "rows" (4: the pads run up in order). The bottom
row is the lowest, as on a keyboard lying flat; pad 1 is the top left.

    layout = Layout(scale, root=9, octave=3)
    layout.notes(12)          # the bottom-left pad: A3 (57), the root
    layout.notes(12, chord=3) # the triad on it: (57, 60, 64)
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import PADS
from reverie.project import scales
from reverie.project.scales import Scale

COLUMNS = 4
ROWS = PADS // COLUMNS
LAYOUTS = ("4ths", "rows")
CHORDS = (1, 3, 4)                 # notes a pad plays: one, a triad, a seventh chord
CHORD_NAMES = {1: "notes", 3: "triads", 4: "7ths"}
CHROMATIC_CHORD = (0, 4, 7, 10)    # with no scale: a major triad, a dominant seventh
LOWEST_OCTAVE = 0
DEFAULT_OCTAVE = 3                 # the root from C3 (48): the pads span about 58 around
HIGHEST = scales.HIGHEST


def row_step(scale: Scale, layout: str = "4ths") -> int:
    """Degrees from one row's first pad to the next row's."""
    return COLUMNS if layout == "rows" else max(1, round(scale.size * 5 / 12))


def pad_degree(pad: int, step: int) -> int:
    """The scale degree of `pad` (0..15, top left first) above the bottom-left pad."""
    row_from_bottom = ROWS - 1 - pad // COLUMNS
    return pad % COLUMNS + step * row_from_bottom


@dataclass(frozen=True)
class Layout:
    scale: Scale
    root: int = 0                  # 0..11: C..B
    octave: int = DEFAULT_OCTAVE   # the bottom-left pad's root is in this octave (C4 = 60)
    layout: str = "4ths"

    @property
    def base(self) -> int:
        return 12 * (self.octave + 1)

    @property
    def step(self) -> int:
        return row_step(self.scale, self.layout)

    def degree(self, pad: int) -> int:
        return pad_degree(pad, self.step)

    def note(self, pad: int) -> int:
        return scales.note_of(self.scale, self.root, self.degree(pad), self.base)

    def is_root(self, pad: int) -> bool:
        return self.degree(pad) % self.scale.size == 0

    def notes(self, pad: int, chord: int = 1) -> tuple[int, ...]:
        """What `pad` plays: its note, or the diatonic chord on it (stacked thirds of the
        scale); notes above MIDI's 127 are left out of a chord."""
        if chord <= 1:
            return (self.note(pad),)
        if self.scale.size == 12:
            low = self.note(pad)
            out = tuple(low + i for i in CHROMATIC_CHORD[:chord])
        else:
            out = tuple(scales.note_of(self.scale, self.root, d, self.base)
                        for d in scales.chord(self.scale, self.degree(pad), chord))
        return tuple(n for n in out if n <= HIGHEST)

    def highest_octave(self) -> int:
        """The highest octave at which every pad's own note is a MIDI note."""
        top = max(range(PADS), key=self.degree)
        octave = self.octave
        while Layout(self.scale, self.root, octave + 1, self.layout).note(top) <= HIGHEST:
            octave += 1
        while octave > LOWEST_OCTAVE and Layout(self.scale, self.root, octave, self.layout).note(top) > HIGHEST:
            octave -= 1
        return octave

    def shifted(self, octaves: int) -> "Layout":
        """The layout `octaves` up (down when negative), kept within MIDI's notes."""
        octave = min(max(self.octave + octaves, LOWEST_OCTAVE), self.highest_octave())
        return Layout(self.scale, self.root, octave, self.layout)


def note_name(note: int) -> str:
    """60 -> "C4"."""
    return f"{scales.NOTE_NAMES[note % 12]}{note // 12 - 1}"
