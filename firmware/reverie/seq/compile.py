"""Turns a project's patterns into the engine's compiled form, and its arrangement into rows.

Where a project names a sound, the engine names a sample slot (project.sounds.sound_slots).
"""
from __future__ import annotations

import numpy as np

from reverie.sound.buses import BUS
from reverie.core.defs import SIZES, TrackParam
from reverie.base.errors import UserError
from reverie.sound.instruments import INSTRUMENTS
from reverie.project.model import Project, Track
from reverie.project.pattern import Pattern, lock_specs, pattern_slot
from reverie.seq.buffer import PatternBuffer

LOCK_BUS = SIZES["LOCK_BUS"]
LOCK_CC = SIZES["LOCK_CC"]
MAX_TRACKS = SIZES["MAX_TRACKS"]


def lock_target(track: Track, key: str, value) -> tuple[int, float]:
    """(engine lock target, value in engine units) of one p-lock."""
    spec = lock_specs(track.kind, track.instrument)[key]
    v = spec.check(value)
    if track.kind == "midi":
        return LOCK_CC + int(key[2:]), v
    if key in INSTRUMENTS[track.instrument].by_key:
        return spec.id, v
    return LOCK_BUS + BUS[key].id, v


def compile_pattern(project: Project, pattern: Pattern, slots: dict[str, int]) -> np.ndarray:
    pb = PatternBuffer(pattern.length, pattern.swing)
    for k, tp in enumerate(pattern.tracks[:MAX_TRACKS]):
        track = project.tracks[k] if k < len(project.tracks) else Track(name=f"Track {k + 1}")
        pb.track(k, tp.length, tp.speed)
        for i, step in enumerate(tp.steps):
            if step is None:
                continue
            locks = [lock_target(track, key, value) for key, value in step.locks.items()
                     if track.instrument in INSTRUMENTS]     # one not installed plays silent
            if step.sample is not None:
                locks.append((TrackParam.P_SAMPLE, slots[step.sample]))
            r = step.retrig
            pb.step(k, i, notes=step.notes, velocity=step.velocity, length=step.length,
                    micro=step.micro, prob=step.prob, cond=step.cond,
                    retrig=None if r is None else (r.rate, r.length, r.vel_ramp),
                    locks=locks, trig=step.trig, accent=step.accent, slide=step.slide)
    return pb.build()


def arrangement(project: Project, once: bool = False) -> tuple[list[tuple], bool]:
    """The engine rows (slot, repeats, mute mask, tempo or 0) and whether they loop, for the
    project's mode. `once` (an offline render) plays a pattern or chain through one time."""
    if project.mode == "song" and project.song.rows:
        rows = [(pattern_slot(r.pattern), r.repeats, sum(1 << m for m in r.mutes), r.tempo or 0)
                for r in project.song.rows]
        return rows, project.song.loop and not once
    if project.mode == "chain" and project.chain:
        return [(pattern_slot(name), 1, 0, 0) for name in project.chain], not once
    return [(pattern_slot(project.pattern), 1, 0, 0)], not once
