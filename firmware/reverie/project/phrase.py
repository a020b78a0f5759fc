"""A played phrase becomes a pattern: the notes of the last bars (pads, keyboard, controller),
each at its place on the grid with its micro-timing, its velocity and its length.

While the sequencer played, a note's place is the sequencer's tick when it sounded: the
pattern starts on the bar line nearest before the first note and keeps the project's tempo.
When it was stopped the tempo is read from the playing (`infer_tempo`) and the first note
starts the pattern. Either way the notes go through the live recorder (record.py) with
quantize 0, so each lands on its nearest step with the rest as micro-timing, 1/96 of a step.

Reading the tempo (when stopped). Onsets closer than 35 ms are one (a chord, a flam); an
interval longer than 2 s is a pause, and the pieces between pauses are counted apart.
1. The grid unit: the one that makes the intervals between onsets (every pair up to 2 s
   apart) whole multiples of it with the least squared error, counted in units. Jitter
   costs less on a coarser grid; a grid too coarse for the short intervals costs a lot.
2. Each onset's count of units, two ways: following the tempo (the line through the
   eight onsets before it places the next) and on one fixed grid (the unit within 3 % and
   the phase that fit best). The unit is the least-squares slope of onset times against
   counts (one line per piece, the slope shared); each way is scored by its squared
   residuals in units plus one for every interval whose count is not its own length in
   units rounded, and the better one wins: the fixed grid when the timing is loose but
   steady (jitter never adds up on it), the followed tempo when it drifts.
3. The tempo is the unit as a 16th, doubled or halved into 80..160 BPM: a phrase played
   at 70 reads as 140 and lands on every other step, which plays back the same.
With 10 ms of timing scatter (SD) a four-bar phrase at 90, 120 or 150 BPM reads within
0.5 BPM; at 15 ms, 150 BPM (15 % of a 16th) slips to a wrong grid in about 3 % of tries.
Rubato: the tempo is the phrase's average (within about 2.5 BPM for a tempo that swings
4 % either way); each note keeps the time it was played at (the micro-timing holds the
difference, up to half a step; further, it lands on the next step), so a phrase that
speeds up plays back speeding up.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from reverie.base.errors import UserError
from reverie.core.defs import SIZES
from reverie.project.pattern import MAX_STEPS, Pattern, TrackPattern
from reverie.project.record import Recorder, step_ticks

TICKS_PER_BEAT = SIZES["TICKS_PER_BEAT"]
STEP_TICKS = SIZES["STEP_TICKS"]
BAR_STEPS = 16                      # 4/4: sixteen 16ths
BAR_TICKS = BAR_STEPS * STEP_TICKS
MAX_BARS = 16                       # what the notes ring keeps and a pattern takes
MERGE_S = 0.035                     # onsets closer than this are one
PAUSE_S = 2.0                       # a longer interval is a pause: not counted in units
PHRASE_GAP_S = 4.0                  # a silence this long ends the phrase before it
MIN_ONSETS = 4                      # fewer cannot say a tempo
UNIT_RANGE_S = (0.06, 1.0)          # the grid units tried: a 16th at 250 BPM to a quarter at 60
UNITS_TRIED = 2000
PAIRS_S = 2.0                       # intervals between onsets up to this far apart choose the unit
TRACK_ONSETS = 8                    # onsets that place the next one when following the tempo
TEMPO_OCTAVE = (80.0, 160.0)        # the tempo is read in this octave


@dataclass(frozen=True)
class PlayedNote:
    """One note as it was played: its track, MIDI note and velocity, and when it sounded and
    was let go, in engine frames (off None: still held) and, if the sequencer played, in
    sequencer ticks."""
    track: int
    note: int
    velocity: int
    on_frame: int
    off_frame: int | None = None
    on_tick: int | None = None
    off_tick: int | None = None


@dataclass(frozen=True)
class Phrase:
    pattern: Pattern
    tempo_bpm: float                # the tempo the pattern plays the phrase at
    inferred: bool                  # read from the playing (the sequencer was stopped)
    bars: int
    notes: int                      # notes in the phrase
    kept: int                       # of them, on a step of the pattern


def infer_tempo(onsets_s) -> float | None:
    """The tempo of a phrase from its onset times (seconds), in TEMPO_OCTAVE; None when it
    has fewer than MIN_ONSETS onsets (counting a chord once) or too few intervals."""
    t = _merged(np.sort(np.asarray(onsets_s, dtype=np.float64)))
    if len(t) < MIN_ONSETS or np.count_nonzero(np.diff(t) <= PAUSE_S) < MIN_ONSETS - 1:
        return None
    unit0 = _grid_unit(t)
    best = None
    for count in (_tracked_counts, _grid_counts):
        unit = unit0
        for _ in range(3):
            counts = count(t, unit)
            score, unit = _score(t, counts)
        if best is None or score < best[0]:
            best = (score, unit)
    bpm = 15.0 / best[1]                # the unit as a 16th
    lo, hi = TEMPO_OCTAVE
    while bpm < lo:
        bpm *= 2.0
    while bpm >= hi:
        bpm /= 2.0
    return bpm


def _merged(t: np.ndarray) -> np.ndarray:
    keep = [0] + [i for i in range(1, len(t)) if t[i] - t[i - 1] >= MERGE_S]
    return t[keep] if len(t) else t


def _pieces(t: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of the runs of onsets between pauses."""
    cuts = [0, *(np.flatnonzero(np.diff(t) > PAUSE_S) + 1), len(t)]
    return list(zip(cuts[:-1], cuts[1:]))


def _grid_unit(t: np.ndarray) -> float:
    """The unit that makes the intervals between onsets (every pair up to PAIRS_S apart)
    whole multiples of it with the least mean squared error in units: jitter costs less
    on a coarser grid, a grid too coarse for the short intervals costs a lot."""
    d = t[None, :] - t[:, None]
    d = d[(d > 0) & (d <= PAIRS_S)]
    units = np.geomspace(*UNIT_RANGE_S, UNITS_TRIED)
    r = d[None, :] / units[:, None]
    err = r - np.maximum(1.0, np.rint(r))
    return float(units[int(np.argmin(np.mean(err * err, axis=1)))])


def _tracked_counts(t: np.ndarray, unit: float) -> np.ndarray:
    """Each onset's count of units, read from the line through the few onsets before it
    (so a drifting tempo is followed), or from the last interval near a piece's start."""
    c = np.zeros(len(t))
    for start, end in _pieces(t):
        for i in range(start + 1, end):
            guess = c[i - 1] + (t[i] - t[i - 1]) / unit
            near = slice(max(start, i - TRACK_ONSETS), i)
            if i - near.start >= 3 and c[i - 1] - c[near.start] >= 4:
                slope, at = np.polyfit(c[near], t[near], 1)
                if 0.8 * unit < slope < 1.25 * unit:
                    guess = (t[i] - at) / slope
            c[i] = max(c[i - 1] + 1, np.rint(guess))
    return c


def _grid_counts(t: np.ndarray, unit: float) -> np.ndarray:
    """Each onset's count on the one grid (unit within 3 %, and phase) that fits a piece
    best: jitter never adds up, but a drifting tempo slips off it."""
    c = np.zeros(len(t))
    units = np.linspace(0.97 * unit, 1.03 * unit, 601)
    for start, end in _pieces(t):
        x = t[start:end] - t[start]
        z = np.exp(2j * np.pi * x[None, :] / units[:, None]).mean(axis=1)
        k = int(np.argmax(np.abs(z)))
        phase = units[k] * np.angle(z[k]) / (2 * np.pi)
        n = np.rint((x - phase) / units[k])
        c[start:end] = n - n[0]
    return c


def _score(t: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    """(score, unit) of counts: the least-squares unit (one line per piece, the slope
    shared), the squared residuals in units plus one for every interval whose count is not
    its own length in units rounded (a count the interval itself does not say)."""
    sxy = sxx = 0.0
    for start, end in _pieces(t):
        cc, x = c[start:end], t[start:end]
        sxy += float(np.sum((cc - cc.mean()) * (x - x.mean())))
        sxx += float(np.sum((cc - cc.mean()) ** 2))
    if sxx <= 0 or sxy <= 0:
        return math.inf, 1.0
    unit = sxy / sxx
    rss = 0.0
    for start, end in _pieces(t):
        cc, x = c[start:end], t[start:end]
        rss += float(np.sum((x - np.mean(x - unit * cc) - unit * cc) ** 2))
    ioi, dc = np.diff(t), np.diff(c)
    said = ioi <= PAUSE_S
    unsaid = int(np.count_nonzero((dc != np.maximum(1.0, np.rint(ioi / unit)))[said]))
    return rss / unit ** 2 + unsaid, unit


def phrase_notes(notes, rate: float, now_frame: int) -> list[PlayedNote]:
    """The phrase to keep: the notes played since the last silence of PHRASE_GAP_S or more
    (no note held and none started), in the order played."""
    notes = sorted(notes, key=lambda n: n.on_frame)
    gap = PHRASE_GAP_S * rate
    sounding_until = -math.inf          # the last frame a note before this one was held
    start = 0
    for i, n in enumerate(notes):
        if n.on_frame - sounding_until > gap:
            start = i
        sounding_until = max(sounding_until, now_frame if n.off_frame is None else n.off_frame)
    return notes[start:]


def build_phrase(notes, rate: float, now_frame: int, *, playing: bool, tempo_bpm: float,
                 tracks: int = 16) -> Phrase:
    """The pattern that plays `notes` (PlayedNote, any order) back. `playing`: the notes were
    played with the sequencer running at `tempo_bpm` and carry ticks; else the tempo is
    inferred (`tempo_bpm` when it cannot be) and the first note starts the pattern.
    UserError when there is nothing to keep."""
    notes = [n for n in notes if 0 <= n.track < tracks]
    if playing:
        notes = [n for n in notes if n.on_tick is not None]
    if not notes:
        raise UserError("no notes played lately to keep")
    notes = phrase_notes(notes, rate, now_frame)
    if playing:
        inferred = False
        last = max(n.on_tick for n in notes)
        notes = [n for n in notes if n.on_tick > last - MAX_BARS * BAR_TICKS]
        start = _bar_at(min(n.on_tick for n in notes))
        on = {id(n): n.on_tick - start for n in notes}
        off = {id(n): (n.off_tick if n.off_tick is not None else None) for n in notes}
        off = {k: (None if v is None else v - start) for k, v in off.items()}
        now_ticks = None
    else:
        bpm = infer_tempo([n.on_frame / rate for n in notes])
        inferred = bpm is not None
        tempo_bpm = round(bpm, 2) if bpm is not None else tempo_bpm    # as the project keeps it
        per_frame = tempo_bpm / 60.0 * TICKS_PER_BEAT / rate
        last = max(n.on_frame for n in notes)
        notes = [n for n in notes if (last - n.on_frame) * per_frame < MAX_BARS * BAR_TICKS]
        first = min(n.on_frame for n in notes)
        on = {id(n): round((n.on_frame - first) * per_frame) for n in notes}
        off = {id(n): None if n.off_frame is None else round((n.off_frame - first) * per_frame) for n in notes}
        now_ticks = round((now_frame - first) * per_frame)
    span = max(on.values()) + STEP_TICKS // 2
    bars = max(1, min(MAX_BARS, -(-span // BAR_TICKS)))
    pattern, kept = _pattern(notes, on, off, bars, now_ticks)
    return Phrase(pattern, round(float(tempo_bpm), 2), inferred, bars, len(notes), kept)


def _bar_at(tick: int) -> int:
    """The bar line a note at `tick` belongs to: up to half a step early is the bar's."""
    return (tick + STEP_TICKS // 2) // BAR_TICKS * BAR_TICKS


def _pattern(notes, on, off, bars: int, now_ticks) -> tuple[Pattern, int]:
    """The pattern, each track at the slowest speed that keeps most of its notes (1x, or 2x
    when two of its notes a 16th apart would share a step; 1/2x past 8 bars)."""
    speeds = ("1/2",) if bars * BAR_STEPS > MAX_STEPS else ("1", "2") if bars * BAR_STEPS * 2 <= MAX_STEPS else ("1",)
    pattern = Pattern(length=bars * BAR_STEPS)
    kept_total = 0
    for track in sorted({n.track for n in notes}):
        mine = [n for n in notes if n.track == track]
        best = None
        for speed in speeds:
            tp, kept = _track(mine, on, off, bars, speed, now_ticks)
            if best is None or kept > best[1]:
                best = (tp, kept)
        tracks = list(pattern.tracks)
        tracks[track] = best[0]
        pattern = replace(pattern, tracks=tracks)
        kept_total += best[1]
    return pattern, kept_total


def _track(notes, on, off, bars: int, speed: str, now_ticks) -> tuple[TrackPattern, int]:
    length = bars * BAR_STEPS * STEP_TICKS // step_ticks(speed)
    pattern = Pattern(length=bars * BAR_STEPS, tracks=[TrackPattern(length=length, speed=speed)])
    rec = Recorder(quantize=0.0)
    events = []
    for n in notes:
        events.append((on[id(n)], 1, n))
        end = off[id(n)] if off[id(n)] is not None else now_ticks
        if end is None:
            end = on[id(n)] + STEP_TICKS
        events.append((max(end, on[id(n)] + 1), 0, n))
    for pos, is_on, n in sorted(events, key=lambda e: (e[0], e[1])):
        if is_on:
            pattern = rec.note_on(pattern, 0, n.note, max(1, n.velocity), pos)
        else:
            pattern = rec.note_off(pattern, 0, n.note, pos)
    tp = pattern.tracks[0]
    kept = sum(len(s.notes) for s in tp.steps if s is not None)
    return tp, kept
