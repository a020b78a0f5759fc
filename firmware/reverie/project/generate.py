"""Generators: one press writes a rhythm, a melody or a fill into a track. Each is a pure
edit like those in edit.py (project in, new project out), so it is one undo step.

- `euclid`: the track becomes E(pulses, steps) rotated (euclid.py): its length is `steps`,
  a pulse keeps the step that was there (its notes and locks) or gets the track's note.
- `melody`: notes of the scale on the track's own rhythm (its trigs; a track without any
  gets E(3, 8)'s spread over its length). Mostly stepwise: a move of one degree most of
  the time, now and then a repeat or a leap of a third or more (at most a quarter of the
  moves), a leap followed by a step back the other way, a pull toward the root and a range
  of a few degrees below it to about an octave above; it begins on the root and ends on
  it. Accents on the beats.
- `fill`: the track's last bar varied: ghost notes on some empty steps of its second half,
  a few louder hits, and a roll (retrig with a rising velocity) on its last hit.

Melody and fill draw from a random generator seeded by what they change (the pattern, the
track, its steps, the scale): the same press on the same project gives the same result, so
undo and press again is the same melody; once something changed, a press gives a new one.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import replace
from fractions import Fraction

from reverie.base.errors import UserError
from reverie.project import euclid as euclidean
from reverie.project import scales
from reverie.project.edit import get_pattern, get_track, put_pattern, where
from reverie.project.model import Project
from reverie.project.pattern import MAX_PATTERN_LENGTH, MAX_STEPS, Retrig, Step, TrackPattern

STEPS_PER_BAR = 16                  # sixteenths of a 4/4 bar at speed 1
ACCENT, PLAIN, GHOST = 110, 90, 60  # velocities
MELODY_RANGE = (-4, 9)              # degrees around the root the melody stays in
# degree moves and their weights: mostly one step, sometimes a repeat or a leap
MOVES = ((1, 30), (-1, 30), (0, 10), (2, 10), (-2, 10), (3, 3), (-3, 3), (4, 2), (-4, 2))
LEAPS_SHARE = 0.25                  # at most this share of the moves leap (two degrees or more)


def _seed(*state) -> int:
    return zlib.crc32(repr(state).encode("utf-8"))


def _put(project: Project, name: str, track: int, tp: TrackPattern) -> Project:
    """The track pattern in place, the pattern grown to hold one pass of it."""
    pattern = get_pattern(project, name)
    tracks = list(pattern.tracks)
    tracks[track] = tp
    return put_pattern(project, name, replace(pattern, tracks=tracks, length=max(pattern.length, _one_pass(tp))))


def _one_pass(tp: TrackPattern) -> int:
    """Steps at 1x that one pass of the track lasts, within the pattern's limit."""
    return min(MAX_PATTERN_LENGTH, int(-(-Fraction(tp.length) // Fraction(tp.speed))))


def _note_of_track(tp: TrackPattern) -> tuple[int, ...]:
    for s in tp.steps:
        if s is not None and s.trig:
            return s.notes
    return Step().notes


def euclid(project: Project, name: str, track: int, pulses: int, steps: int, rotation: int = 0) -> Project:
    tp = get_track(project, name, track)
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise UserError(f"a Euclidean rhythm has 1..{MAX_STEPS} steps, not {steps!r}")
    if isinstance(pulses, bool) or not isinstance(pulses, int) or not 0 <= pulses <= steps:
        raise UserError(f"E({pulses},{steps}): the pulses are 0..{steps}")
    rhythm = euclidean.euclid(pulses, steps, rotation if isinstance(rotation, int) else 0)
    note = _note_of_track(tp)
    old = tp.steps + [None] * (steps - tp.length)
    new = [((old[i] if old[i] is not None and old[i].trig else Step(notes=note)) if on else None)
           for i, on in enumerate(rhythm)]
    return _put(project, name, track, replace(tp, length=steps, steps=new))


def _rhythm(tp: TrackPattern) -> list[int]:
    hits = [i for i, s in enumerate(tp.steps) if s is not None and s.trig]
    if hits:
        return hits
    spread = euclidean.bjorklund(max(1, tp.length * 3 // 8), tp.length)
    return [i for i, on in enumerate(spread) if on]


def _center(tp: TrackPattern) -> int:
    notes = sorted(n for s in tp.steps if s is not None and s.trig for n in s.notes)
    return notes[len(notes) // 2] if notes else 60


def melody(project: Project, name: str, track: int, scale_name: str, root: int) -> Project:
    """A melody in the scale (no scale set: major) on the track's rhythm, from the root in
    the octave of the track's middle note."""
    tp = get_track(project, name, track)
    scale = scales.get(scale_name)
    if scale.name == "off":
        scale = scales.BY_NAME["major"]
    root = root % 12 if isinstance(root, int) and not isinstance(root, bool) else 0
    hits = _rhythm(tp)
    rng = random.Random(_seed("melody", name, track, tp, scale.name, root))
    base = _center(tp) - 6                   # the root nearest the track's middle note
    low, high = MELODY_RANGE
    moves, weights = zip(*MOVES)
    degree, degrees, leaps, last = 0, [], 0, 0
    for k in range(len(hits)):
        if k == len(hits) - 1 and k > 0:
            degree = scale.size * round(degree / scale.size)   # home: the nearest root
        elif k > 0:
            if abs(last) >= 2:
                move = -1 if last > 0 else 1   # after a leap, a step back the other way
            else:
                move = rng.choices(moves, weights)[0]
                if abs(move) >= 2 and leaps + 1 > LEAPS_SHARE * k:
                    move = 1 if move > 0 else -1   # leaps stay a spice: at most a quarter
                if not low <= degree + move <= high:
                    move = -move               # bounce off the edge of the range
                elif abs(degree + move) > abs(degree) and rng.random() < 0.25:
                    move = -move               # a pull back toward the root
            leaps += abs(move) >= 2
            degree, last = degree + move, move
        degrees.append(degree)
    steps = list(tp.steps)
    for i, d in zip(hits, degrees):
        note = scales.note_of(scale, root, d, base)
        while note > 127:
            note -= 12
        while note < 0:
            note += 12
        old = steps[i] if steps[i] is not None else Step()
        steps[i] = replace(old, notes=(note,), trig=True,
                           velocity=ACCENT if i % 4 == 0 else PLAIN)
    return _put(project, name, track, replace(tp, steps=steps))


def bar_steps(tp: TrackPattern) -> int:
    """A 4/4 bar in this track's steps (16 at speed 1, 32 at 2, 8 at 1/2), at least 1."""
    return max(1, int(STEPS_PER_BAR * Fraction(tp.speed)))


def fill(project: Project, name: str, track: int) -> Project:
    """The track's last bar (its last bar_steps steps, or all of a shorter track) varied."""
    tp = get_track(project, name, track)
    bar = min(tp.length, bar_steps(tp))
    start = tp.length - bar
    rng = random.Random(_seed("fill", name, track, tp))
    steps = list(tp.steps)
    hits = [i for i in range(start, tp.length) if steps[i] is not None and steps[i].trig]
    note = _note_of_track(tp)
    half = start + bar // 2
    if not hits:                               # nothing to vary: a short roll into the next bar
        for k, i in enumerate(range(max(start, tp.length - 4), tp.length)):
            steps[i] = Step(notes=note, velocity=min(127, GHOST + 15 * k))
    else:
        for i in range(half, tp.length):
            s = steps[i]
            if s is None and rng.random() < 0.4:
                before = [steps[j] for j in range(i - 1, start - 1, -1) if steps[j] is not None]
                steps[i] = Step(notes=before[0].notes if before else note, velocity=GHOST, length=0.5)
            elif s is not None and s.trig and rng.random() < 0.4:
                steps[i] = replace(s, velocity=min(127, s.velocity + 20))
        last = max(i for i in range(start, tp.length) if steps[i] is not None and steps[i].trig)
        steps[last] = replace(steps[last], retrig=Retrig(rate=rng.choice((2, 3, 4)), length=1, vel_ramp=0.5))
    new = replace(tp, steps=steps)
    if new == tp:
        raise UserError(f"{where(name, track)}: the last bar has nothing to vary")
    return _put(project, name, track, new)
