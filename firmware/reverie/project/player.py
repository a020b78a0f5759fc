"""The pattern scheduler: turns a project's step patterns into sample-exact engine commands.

Step s starts at frame start_frame + round(s * 15 * sample_rate / tempo) (a 16th note is a
quarter of 60/tempo seconds), computed exactly with fractions from the absolute step index,
so there is no drift and a tempo such as 133.3 BPM is taken as written.

The player posts a bounded look-ahead: `pump(engine, until_frame)` posts every event before
`until_frame` not posted yet, and stops early when the command ring is full (the next pump
carries on). Offline render pumps one block ahead and renders it; the live app pumps from
the control thread every few ms to about two audio blocks past `engine.frame`. Both get
the same events at the same frames.
"""
from __future__ import annotations

import heapq
from fractions import Fraction

from reverie.project.model import Project

# At one frame a note-off goes before a note-on, so a repeated note is not cut by the
# release of the one before it.
OFF, ON = 0, 1


class PatternPlayer:
    def __init__(self, project: Project, sample_rate: float, start_frame: int = 0,
                 forever: bool = False):
        self.start_frame = int(start_frame)
        self.steps = project.pattern_at(project.pattern).length
        self.loops = None if forever else _passes(project)
        step_frames = 15 * Fraction(sample_rate) / Fraction(str(project.tempo))
        self._num, self._den = step_frames.numerator, step_frames.denominator
        self._pattern = _one_pass(project)
        self._heap: list[tuple] = []
        self._seq = 0          # keeps events of one frame in the order they were made
        self._next_loop = 0    # the first pass through the pattern not yet scheduled

    def step_frame(self, step) -> int:
        """The frame at which absolute step `step` (a whole or fractional step count) starts."""
        step = Fraction(step)
        return self.start_frame + _round_div(step.numerator * self._num, step.denominator * self._den)

    @property
    def end_frame(self) -> int | None:
        """The frame at which the last pass ends (None when playing forever)."""
        return None if self.loops is None else self.step_frame(self.loops * self.steps)

    @property
    def next_frame(self) -> int | None:
        """The frame of the earliest event made but not yet posted."""
        return self._heap[0][0] if self._heap else None

    @property
    def done(self) -> bool:
        return not self._heap and self.loops is not None and self._next_loop >= self.loops

    def pump(self, engine, until_frame: int) -> int:
        """Posts the events before `until_frame`, in time order. Returns how many it posted."""
        self._schedule(until_frame)
        posted = 0
        while self._heap and self._heap[0][0] < until_frame:
            frame, kind, _, track, note, velocity = self._heap[0]
            if kind == ON:
                ok = engine.note_on(track, note, velocity, frame)
            else:
                ok = engine.note_off(track, note, frame)
            if not ok:
                break  # ring full: the event stays first in line for the next pump
            heapq.heappop(self._heap)
            posted += 1
        return posted

    def _schedule(self, until_frame: int) -> None:
        # Every event of pass k is at or after the start of pass k, so once the next pass
        # starts at or after until_frame, everything before until_frame is in the heap.
        while ((self.loops is None or self._next_loop < self.loops)
               and self.step_frame(self._next_loop * self.steps) < until_frame):
            self._add_pass(self._next_loop)
            self._next_loop += 1

    def _add_pass(self, k: int) -> None:
        total = None if self.loops is None else self.loops * self.steps
        for index, length, gap, track, note, velocity in self._pattern:
            step = k * self.steps + index
            # A note ends at its length, or where the same note starts again on its track.
            if gap < length and (total is None or step + gap < total):
                length = gap
            self._push(self.step_frame(step), ON, track, note, velocity)
            self._push(self.step_frame(step + length), OFF, track, note, 0)

    def _push(self, frame: int, kind: int, track: int, note: int, velocity: int) -> None:
        heapq.heappush(self._heap, (frame, kind, self._seq, track, note, velocity))
        self._seq += 1


def _passes(project: Project) -> int:
    # Until the sequencer plays chains and songs: a song plays the current pattern as many
    # times as its rows repeat (a version 1 project's `loops`), anything else plays it once.
    if project.mode == "song" and project.song.rows:
        return sum(row.repeats for row in project.song.rows)
    return 1


def _one_pass(project: Project) -> list[tuple]:
    """(step index, length, steps to the next same note on the track, track, note, velocity)
    for every step of the current pattern that plays (its first note, at 1x speed, each
    track looping its own length), in step order; tracks without a sound play nothing."""
    pattern = project.pattern_at(project.pattern)
    n = pattern.length
    events = []
    for track_index, track in enumerate(project.tracks):
        if track.sample is None or track.kind != "audio":
            continue
        steps = pattern.tracks[track_index].steps
        steps = [steps[i % len(steps)] for i in range(n)]
        where: dict[int, list[int]] = {}   # note -> the steps that play it
        for i, step in enumerate(steps):
            if step is not None and step.trig:
                where.setdefault(step.notes[0], []).append(i)
        for note, indices in where.items():
            for j, i in enumerate(indices):
                gap = (indices[(j + 1) % len(indices)] - i) % n or n
                step = steps[i]
                length = Fraction(round(step.length * 96), 96)   # a whole number of 1/96 steps
                events.append((i, length, gap, track_index, note, step.velocity))
    events.sort(key=lambda e: (e[0], e[3]))
    return events


def _round_div(num: int, den: int) -> int:
    """num / den rounded to the nearest integer, ties to even (as Python's round)."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2):
        q += 1
    return q
