"""Pattern edits: pure functions from a Project to a new Project.

Every function here takes the project first and returns a new one; the old project and
every object in it stay as they were. Unchanged parts are shared, not copied: an edit of
one step makes one new step list, one new TrackPattern, one new Pattern, one new patterns
dict and one new Project, and everything else is the same objects as before. That keeps
the undo history (project/history.py) cheap, and it is why nothing may ever mutate a
project in place.

Places are written as the user sees them: pattern "A01", track 0..15, step 0..length-1
(shown as "A01 T3 S5", counted from 1). Bad requests raise a one-line UserError and
change nothing.

    p = set_field(p, "A01", 2, 4, "velocity", 110)
    clip = copy_steps(p, "A01", 2, 0, 8)
    p = paste_steps(p, "A01", 3, 8, clip)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from reverie.base.errors import UserError
from reverie.project.model import Project
from reverie.project.pattern import (MAX_PATTERN_LENGTH, MAX_STEPS, MICRO_MAX, SPEEDS, Pattern, Retrig,
                                     Step, TrackPattern, pattern_slot)

STEP_FIELDS = ("notes", "velocity", "length", "micro", "prob", "cond", "retrig", "sample", "trig",
               "accent", "slide")


# ---- places --------------------------------------------------------------------------

def where(pattern: str, track: int | None = None, step: int | None = None) -> str:
    """How a place is shown to the user: "A01 T3 S5" (track and step counted from 1)."""
    text = pattern
    if track is not None:
        text += f" T{track + 1}"
    if step is not None:
        text += f" S{step + 1}"
    return text


def get_pattern(project: Project, name: str) -> Pattern:
    pattern_slot(name)                      # a one-line UserError for a bad name
    return project.pattern_at(name)


def get_track(project: Project, name: str, track: int) -> TrackPattern:
    tracks = get_pattern(project, name).tracks
    if isinstance(track, bool) or not isinstance(track, int) or not 0 <= track < len(tracks):
        raise UserError(f"track {track!r} does not exist; tracks are 0..{len(tracks) - 1} (T1..T{len(tracks)})")
    return tracks[track]


def get_step(project: Project, name: str, track: int, step: int) -> Step | None:
    tp = get_track(project, name, track)
    _index(tp, step, where(name, track))
    return tp.steps[step]


def _index(tp: TrackPattern, step: int, place: str) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < tp.length:
        raise UserError(f"{place} has steps 1..{tp.length}; there is no step {_shown(step)}")
    return step


def _span(tp: TrackPattern, start: int, count: int, place: str) -> range:
    _index(tp, start, place)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise UserError(f"a step range needs at least one step, not {count!r}")
    return range(start, min(start + count, tp.length))


def _shown(n) -> str:
    return str(n + 1) if isinstance(n, int) and not isinstance(n, bool) else repr(n)


# ---- rebuilding with shared structure ------------------------------------------------

def put_pattern(project: Project, name: str, pattern: Pattern) -> Project:
    """The project with `pattern` in slot `name`; every other slot is shared. An empty
    pattern is not stored."""
    pattern_slot(name)
    stored = project.patterns.get(name)
    if stored is pattern or (stored is None and pattern.is_empty()):
        return project
    patterns = {**project.patterns, name: pattern}
    if pattern.is_empty():
        del patterns[name]          # the model reads a missing pattern as an empty one
    return replace(project, patterns=patterns)


def put_track(project: Project, name: str, track: int, tp: TrackPattern) -> Project:
    pattern = get_pattern(project, name)
    get_track(project, name, track)
    if pattern.tracks[track] is tp:
        return project
    tracks = list(pattern.tracks)
    tracks[track] = tp
    return put_pattern(project, name, replace(pattern, tracks=tracks))


def _put_steps(project: Project, name: str, track: int, changes: dict[int, Step | None]) -> Project:
    tp = get_track(project, name, track)
    if all(tp.steps[i] is s or tp.steps[i] == s for i, s in changes.items()):
        return project
    steps = list(tp.steps)
    for i, s in changes.items():
        steps[i] = s
    return put_track(project, name, track, replace(tp, steps=steps))


def update_pattern(project: Project, name: str, fn: Callable[..., Pattern], *args) -> Project:
    """Applies a Pattern -> Pattern function (a Recorder method, say) to slot `name`:
    `history.apply(update_pattern, "A01", recorder.note_on, 2, 60, 100, pos)`."""
    return put_pattern(project, name, fn(get_pattern(project, name), *args))


# ---- steps ---------------------------------------------------------------------------

def set_step(project: Project, name: str, track: int, step: int, value: Step | None) -> Project:
    """Puts a whole step (or None: no trig, no data) at a place."""
    get_step(project, name, track, step)
    if value is not None:
        value = check_step(project, track, value, where(name, track, step))
    return _put_steps(project, name, track, {step: value})


def clear_step(project: Project, name: str, track: int, step: int) -> Project:
    return set_step(project, name, track, step, None)


def toggle_step(project: Project, name: str, track: int, step: int, new: Step | None = None) -> Project:
    """An empty step gets `new` (default: Step()); a step with data is cleared."""
    old = get_step(project, name, track, step)
    return set_step(project, name, track, step, (new or Step()) if old is None else None)


def set_field(project: Project, name: str, track: int, step: int, field: str, value) -> Project:
    """Sets one field of a step: notes, velocity, length, micro, prob, cond, retrig, sample,
    trig, accent or slide. A sample lock on an empty step makes a trigless step (trig off) that holds it."""
    if field not in STEP_FIELDS:
        raise UserError(f"a step has no field {field!r}; fields: {', '.join(STEP_FIELDS)}")
    place = where(name, track, step)
    old = get_step(project, name, track, step)
    if old is None:
        if field != "sample":
            raise UserError(f"{place} has no trig; add one before setting its {field}")
        old = Step(trig=False)
    if field == "notes" and isinstance(value, (list, int)) and not isinstance(value, bool):
        value = tuple(value) if isinstance(value, list) else (value,)
    return _put_steps(project, name, track, {step: check_step(project, track, replace(old, **{field: value}), place)})


def set_lock(project: Project, name: str, track: int, step: int, key: str, value: float | str | None) -> Project:
    """Locks parameter `key` of the track's sound on a step (None removes the lock). A lock
    on an empty step makes a trigless step (trig off) that holds it."""
    place = where(name, track, step)
    old = get_step(project, name, track, step)
    if old is None:
        if value is None:
            return project
        old = Step(trig=False)
    locks = dict(old.locks)
    if value is None:
        if key not in locks:
            return project
        del locks[key]
    else:
        locks[key] = value
    return _put_steps(project, name, track, {step: check_step(project, track, replace(old, locks=locks), place)})


def nudge_steps(project: Project, name: str, track: int, start: int, count: int, micro: int) -> Project:
    """Moves the trigs of a step range by `micro` 1/96 of a step, each held within its own
    step (-48..48): nudging never merges two steps or loses one."""
    if isinstance(micro, bool) or not isinstance(micro, int):
        raise UserError(f"a nudge is a whole number of 1/96 steps, not {micro!r}")
    tp = get_track(project, name, track)
    changes = {}
    for i in _span(tp, start, count, where(name, track)):
        s = tp.steps[i]
        if s is not None:
            changes[i] = replace(s, micro=max(-MICRO_MAX, min(MICRO_MAX, s.micro + micro)))
    return _put_steps(project, name, track, changes)


def shift_track(project: Project, name: str, track: int, by: int) -> Project:
    """Rotates a track's steps by `by` whole steps (positive: later), wrapping at its length."""
    if isinstance(by, bool) or not isinstance(by, int):
        raise UserError(f"a shift is a whole number of steps, not {by!r}")
    tp = get_track(project, name, track)
    by %= tp.length
    if by == 0:
        return project
    return put_track(project, name, track, replace(tp, steps=tp.steps[-by:] + tp.steps[:-by]))


def clear_steps(project: Project, name: str, track: int, start: int, count: int) -> Project:
    tp = get_track(project, name, track)
    return _put_steps(project, name, track, {i: None for i in _span(tp, start, count, where(name, track))})


# ---- tracks and patterns -------------------------------------------------------------

def set_track_length(project: Project, name: str, track: int, length: int) -> Project:
    """Steps past a shorter length are dropped (undo brings them back); a longer track
    gets empty steps."""
    tp = get_track(project, name, track)
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_STEPS:
        raise UserError(f"a track length is 1..{MAX_STEPS} steps, not {length!r}")
    steps = tp.steps[:length] + [None] * (length - tp.length)
    return put_track(project, name, track, replace(tp, length=length, steps=steps))


def set_track_speed(project: Project, name: str, track: int, speed: str) -> Project:
    tp = get_track(project, name, track)
    if speed not in SPEEDS:
        raise UserError(f"a track speed is one of {', '.join(SPEEDS)}, not {speed!r}")
    return put_track(project, name, track, replace(tp, speed=speed))


def set_pattern_length(project: Project, name: str, length: int) -> Project:
    pattern = get_pattern(project, name)
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_PATTERN_LENGTH:
        raise UserError(f"a pattern length is 1..{MAX_PATTERN_LENGTH} steps, not {length!r}")
    return put_pattern(project, name, replace(pattern, length=length))


def set_swing(project: Project, name: str, swing: int) -> Project:
    pattern = get_pattern(project, name)
    if isinstance(swing, bool) or not isinstance(swing, int) or not 50 <= swing <= 75:
        raise UserError(f"swing is a whole percent from 50 to 75, not {swing!r}")
    return put_pattern(project, name, replace(pattern, swing=swing))


def clear_track(project: Project, name: str, track: int) -> Project:
    tp = get_track(project, name, track)
    return put_track(project, name, track, replace(tp, steps=[None] * tp.length))


def clear_pattern(project: Project, name: str) -> Project:
    get_pattern(project, name)
    return put_pattern(project, name, Pattern.empty())


# ---- copy and paste ------------------------------------------------------------------

@dataclass(frozen=True)
class Clipboard:
    """What was copied: kind "steps" (data: a tuple of Step | None), "track" (a
    TrackPattern) or "pattern" (a Pattern), and where from, for the display."""
    kind: str
    data: object
    source: str

    def expect(self, kind: str, target: str) -> None:
        if self.kind != kind:
            raise UserError(f"the clipboard holds {_KINDS[self.kind]} ({self.source}); "
                            f"copy {_KINDS[kind]} to paste into {target}")


_KINDS = {"steps": "steps", "track": "a track", "pattern": "a pattern"}


def copy_steps(project: Project, name: str, track: int, start: int, count: int) -> Clipboard:
    tp = get_track(project, name, track)
    span = _span(tp, start, count, where(name, track))
    place = f"{where(name, track)} S{span.start + 1}-{span.stop}"
    return Clipboard("steps", tuple(tp.steps[i] for i in span), place)


def copy_track(project: Project, name: str, track: int) -> Clipboard:
    return Clipboard("track", get_track(project, name, track), where(name, track))


def copy_pattern(project: Project, name: str) -> Clipboard:
    return Clipboard("pattern", get_pattern(project, name), name)


def paste_steps(project: Project, name: str, track: int, start: int, clip: Clipboard) -> Project:
    """Pastes copied steps from `start` on; steps that would fall past the track's end are
    left out."""
    tp = get_track(project, name, track)
    place = where(name, track, start) if isinstance(start, int) else where(name, track)
    clip.expect("steps", place)
    span = _span(tp, start, len(clip.data), where(name, track))
    return _put_steps(project, name, track, {i: s for i, s in zip(span, clip.data)})


def paste_track(project: Project, name: str, track: int, clip: Clipboard) -> Project:
    """Pastes a copied track (its length, speed and steps) over a track."""
    get_track(project, name, track)
    clip.expect("track", where(name, track))
    tp = clip.data
    return put_track(project, name, track, replace(tp, steps=list(tp.steps)))


def paste_pattern(project: Project, name: str, clip: Clipboard) -> Project:
    """Pastes a copied pattern (length, swing and all tracks) into slot `name`."""
    get_pattern(project, name)
    clip.expect("pattern", name)
    p = clip.data
    return put_pattern(project, name, replace(p, tracks=[replace(t, steps=list(t.steps)) for t in p.tracks]))


# ---- checking ------------------------------------------------------------------------

def check_step(project: Project, track: int, step: Step, place: str) -> Step:
    """The step as the project format reads it (whole numbers as int, lengths on the 1/96
    grid) if every field is allowed on this track; else a one-line UserError naming the
    place and the field. The format's own reader does the checking, so an edit can never
    make a project that would not load."""
    if not isinstance(step, Step):
        raise UserError(f"{place}: a step must be a Step, not {type(step).__name__}")
    if not isinstance(step.notes, tuple):
        raise UserError(f"{place} notes must be 1 to 4 MIDI notes such as (60, 64), not {step.notes!r}")
    if step.retrig is not None and not isinstance(step.retrig, Retrig):
        raise UserError(f"{place} retrig must be a Retrig or None, not {step.retrig!r}")
    if not isinstance(step.locks, dict):
        raise UserError(f"{place} locks must be a dict of parameter values, not {step.locks!r}")
    try:
        d = {f: getattr(step, f) for f in STEP_FIELDS}
        d.update(notes=list(step.notes), locks=dict(step.locks),
                 retrig=None if step.retrig is None else step.retrig.to_dict())
        return Step.from_dict(d, place, *_sound(project, track))
    except UserError as exc:
        raise UserError(str(exc).replace(f"{place}.", f"{place} ", 1)) from None


def _sound(project: Project, track: int) -> tuple[str, str]:
    """(kind, instrument) of a project track: what its steps may lock."""
    if track < len(project.tracks):
        t = project.tracks[track]
        return getattr(t, "kind", "audio"), t.instrument
    return "audio", "sampler"
