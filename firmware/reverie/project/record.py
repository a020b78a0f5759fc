"""Live recording: notes played on the pads or over MIDI become steps of a pattern.

The Recorder is pure towards patterns: every method takes a Pattern and returns a new one
(the same object when nothing changed), so the app sends each call through the history:

    rec = Recorder(quantize=0.5, overdub=True)
    history.apply(edit.update_pattern, "A01", rec.note_on, track, note, velocity, pos,
                  label="record A01", coalesce="record A01")

It keeps only what a take needs between calls: which notes are held and where they went.

Positions are ticks since the start of the current pass of the pattern (the app takes
`engine.tick_at(frame of the press) - pass start tick`). A track restarts at every pass
and loops its own length in between, so step n of the pass (index n mod length) starts at
`n * step_ticks`, odd n later by `(swing - 50) / 50` of a step (docs/sequencer.md). A
played note belongs to the step whose onset is nearest; its distance to that onset,
scaled by 1 - quantize, becomes the step's micro-timing, so with quantize 0 the note
plays back where it was played. A note just before a loop or pass restarts belongs to
step 0, early.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from numbers import Integral

from reverie.base.errors import UserError
from reverie.core.defs import SIZES, SPEED_NAMES, SPEED_TICKS
from reverie.project.pattern import MAX_NOTES, MAX_STEPS, MICRO_MAX, SUBSTEPS, Pattern, Step, TrackPattern

STEP_TICKS = SIZES["STEP_TICKS"]      # a 1x step (a 16th); docs/sequencer.md
MAX_LENGTH = MAX_STEPS * SUBSTEPS     # the longest gate
_TICKS_BY_SPEED = {name: SPEED_TICKS[speed] for speed, name in SPEED_NAMES.items()}


def step_ticks(speed: str) -> int:
    """Ticks per step at a track speed such as "3/4": STEP_TICKS / speed."""
    return _TICKS_BY_SPEED[speed]


def swing_ticks(step: int, swing: int) -> int:
    """How much later odd steps start: (swing - 50) / 50 of a step."""
    return step * (swing - 50) // 50


@dataclass(frozen=True)
class _Held:
    index: int        # the step the note went to
    pos: int          # where it was pressed, in pass ticks
    step: int         # ticks per step of its track then


class Recorder:
    def __init__(self, quantize: float = 1.0, overdub: bool = True):
        self.quantize = quantize
        self.overdub = overdub
        self._held: dict[tuple[int, int], _Held] = {}          # (track, note)
        self._chord: dict[tuple[int, int], int] = {}           # (track, index) -> longest gate so far, 1/96
        self._fresh: dict[tuple[int, int], int] = {}           # (track, index) -> onset to spare once
        self._playhead: dict[int, int] = {}                    # track -> where pass_over last reached

    @property
    def quantize(self) -> float:
        return self._quantize

    @quantize.setter
    def quantize(self, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise UserError(f"record quantize is 0..1 (0: as played, 1: on the grid), not {value!r}")
        self._quantize = float(value)

    def reset(self) -> None:
        """Forgets held notes and the take (recording stopped)."""
        self._held.clear()
        self._chord.clear()
        self._fresh.clear()
        self._playhead.clear()

    # ---- playing notes ---------------------------------------------------------------

    def place(self, pattern: Pattern, track: int, pos_ticks: int) -> tuple[int, int]:
        """(step index, micro) where a note played at `pos_ticks` goes."""
        tp = _track(pattern, track)
        index, micro, _ = self._place(pattern, tp, pos_ticks)
        return index, micro

    def note_on(self, pattern: Pattern, track: int, note: int, velocity: int, pos_ticks: int) -> Pattern:
        """Records a played note. Velocity 0 is a note off (MIDI running status)."""
        tp = _track(pattern, track)
        _check_int(note, 0, 127, "a note")
        _check_int(velocity, 0, 127, "a velocity")
        if velocity == 0:
            return self.note_off(pattern, track, note, pos_ticks)
        index, micro, onset = self._place(pattern, tp, pos_ticks)
        old = tp.steps[index]
        if self._chording(track, index, old) and note not in old.notes:
            if len(old.notes) >= MAX_NOTES:
                return pattern
            new = replace(old, notes=old.notes + (note,))
        else:
            new = replace(Step(), notes=(note,), velocity=velocity, micro=micro, trig=True)
            self._chord.pop((track, index), None)
            self._fresh.pop((track, index), None)
            if self._ahead(pattern, track, onset):
                self._fresh[track, index] = onset
        self._held[track, note] = _Held(index, _wrap(pos_ticks, pattern), step_ticks(tp.speed))
        return _with_steps(pattern, track, {index: new})

    def note_off(self, pattern: Pattern, track: int, note: int, pos_ticks: int) -> Pattern:
        """Sets the gate of the step a held note went to from how long it was held."""
        held = self._held.pop((track, note), None)
        if held is None:
            return pattern
        tp = _track(pattern, track)
        ticks = (_wrap(pos_ticks, pattern) - held.pos) % _pass_ticks(pattern)
        gate = min(MAX_LENGTH, max(1, _round_div(ticks * SUBSTEPS, held.step)))
        key = (track, held.index)
        gate = max(gate, self._chord.get(key, 0))
        if any(t == track and h.index == held.index for (t, _), h in self._held.items()):
            self._chord[key] = gate         # the chord's other notes are still down
        else:
            self._chord.pop(key, None)
        step = tp.steps[held.index] if held.index < tp.length else None
        if step is None or note not in step.notes:
            return pattern                   # cleared or replaced meanwhile
        return _with_steps(pattern, track, {held.index: replace(step, length=_steps(gate))})

    # ---- the playhead ----------------------------------------------------------------

    def pass_over(self, pattern: Pattern, track: int, from_ticks: int, to_ticks: int) -> Pattern:
        """The playhead of a recording track moved from `from_ticks` to `to_ticks` (pass
        ticks; `to_ticks < from_ticks` when it wrapped around the pass end). In replace
        mode (overdub off) the steps it passed are cleared, except the ones just played."""
        tp = _track(pattern, track)
        self._playhead[track] = _wrap(to_ticks, pattern)
        if self.overdub:
            return pattern
        gone = {}
        for index, onset in _passed(pattern, tp, from_ticks, to_ticks):
            if self._fresh.get((track, index)) == onset:
                del self._fresh[track, index]
            else:
                gone[index] = None
        return _with_steps(pattern, track, gone)

    def erase(self, pattern: Pattern, track: int, from_ticks: int, to_ticks: int) -> Pattern:
        """Clears the steps whose onsets (swing and micro-timing included) fall in
        [from_ticks, to_ticks): the app calls it as the playhead moves while erase is held."""
        tp = _track(pattern, track)
        self._playhead[track] = _wrap(to_ticks, pattern)
        gone = {index: None for index, _ in _passed(pattern, tp, from_ticks, to_ticks)}
        for index in gone:
            self._fresh.pop((track, index), None)
        return _with_steps(pattern, track, gone)

    # ---- where a note goes -----------------------------------------------------------

    def _place(self, pattern: Pattern, tp: TrackPattern, pos_ticks: int) -> tuple[int, int, int]:
        """(index, micro, onset of the recorded note in pass ticks)."""
        period = _pass_ticks(pattern)
        pos = _wrap(pos_ticks, pattern)
        st = step_ticks(tp.speed)
        shift = swing_ticks(st, pattern.swing)
        base = pos // st
        # the nearest onset: of step n of this pass, or of step 0 of the next pass (None)
        onsets = [(n * st + shift * (n % 2), n) for n in (base - 1, base, base + 1)
                  if 0 <= n < _steps_in_pass(period, st)] + [(period, None)]
        on, n = min(onsets, key=lambda c: (abs(pos - c[0]), -c[0]))
        offset = pos - on
        index = 0 if n is None else n % tp.length
        micro = _round_div(round((1 - self._quantize) * offset * SUBSTEPS), st)
        micro = max(-MICRO_MAX, min(MICRO_MAX, micro))
        return index, micro, (on + micro * st // SUBSTEPS) % period

    def _chording(self, track: int, index: int, step: Step | None) -> bool:
        return step is not None and any(
            t == track and h.index == index and n in step.notes for (t, n), h in self._held.items())

    def _ahead(self, pattern: Pattern, track: int, onset: int) -> bool:
        """Whether the playhead has yet to pass `onset` (so pass_over must spare it)."""
        head = self._playhead.get(track)
        period = _pass_ticks(pattern)
        return head is None or (onset - head) % period < period // 2


# ---- helpers -------------------------------------------------------------------------

def _track(pattern: Pattern, track: int) -> TrackPattern:
    if isinstance(track, bool) or not isinstance(track, int) or not 0 <= track < len(pattern.tracks):
        raise UserError(f"track {track!r} does not exist; tracks are 0..{len(pattern.tracks) - 1}")
    return pattern.tracks[track]


def _check_int(value, lo: int, hi: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise UserError(f"{what} is a whole number from {lo} to {hi}, not {value!r}")


def _pass_ticks(pattern: Pattern) -> int:
    return pattern.length * STEP_TICKS


def _ticks(value) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise UserError(f"a position in the pattern is a whole number of ticks, not {value!r}")
    return int(value)


def _wrap(pos_ticks: int, pattern: Pattern) -> int:
    """A position in ticks within the pass: 0 <= pos < pattern length x STEP_TICKS."""
    return _ticks(pos_ticks) % _pass_ticks(pattern)


def _steps_in_pass(period: int, st: int) -> int:
    return -(-period // st)


def _steps(substeps: int) -> int | float:
    """A gate in steps as the project format writes it: whole numbers as int."""
    return substeps // SUBSTEPS if substeps % SUBSTEPS == 0 else substeps / SUBSTEPS


def _round_div(a: int, b: int) -> int:
    """a / b rounded to the nearest whole number, halves up."""
    return (2 * a + b) // (2 * b)


def _passed(pattern: Pattern, tp: TrackPattern, from_ticks: int, to_ticks: int) -> list[tuple[int, int]]:
    """(index, onset) of every step of the track that plays in [from_ticks, to_ticks),
    the span wrapping around the pass end when to_ticks < from_ticks."""
    period = _pass_ticks(pattern)
    from_ticks, to_ticks = _ticks(from_ticks), _ticks(to_ticks)
    a, b = from_ticks % period, to_ticks % period
    if to_ticks - from_ticks >= period:
        pieces = [(0, period)]
    elif a < b:
        pieces = [(a, b)]
    elif a > b:
        pieces = [(a, period), (0, b)]
    else:
        return []
    st = step_ticks(tp.speed)
    shift = swing_ticks(st, pattern.swing)
    count = _steps_in_pass(period, st)
    found = []
    for lo, hi in pieces:
        # a step plays between half a step early and a step late (swing + micro), or
        # wraps the pass end: step 0 early, the last step late
        near = range(max(0, lo // st - 1), min(count, hi // st + 2))
        for n in sorted(set(near) | {0, count - 1}):
            step = tp.steps[n % tp.length]
            if step is None:
                continue
            onset = (n * st + shift * (n % 2) + step.micro * st // SUBSTEPS) % period
            if lo <= onset < hi:
                found.append((n % tp.length, onset))
    return found


def _with_steps(pattern: Pattern, track: int, changes: dict[int, Step | None]) -> Pattern:
    tp = pattern.tracks[track]
    if all(tp.steps[i] is s for i, s in changes.items()):
        return pattern
    steps = list(tp.steps)
    for i, s in changes.items():
        steps[i] = s
    tracks = list(pattern.tracks)
    tracks[track] = replace(tp, steps=steps)
    return replace(pattern, tracks=tracks)
