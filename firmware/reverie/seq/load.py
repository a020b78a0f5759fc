"""Puts a project into an engine: sample buffers into slots, then every parameter, posted
on the control thread (the sounds were decoded on a worker: project.sounds.load_sounds).

Every engine track gets all of its parameters, defaults included, so nothing from a
project loaded before stays behind. Parameters glide to their new values (10 ms time
constant), so start the pattern SETTLE_SECONDS after applying.
"""
from __future__ import annotations

import logging

import numpy as np

from reverie.project.model import MAX_TRACKS, Project, Track
from reverie.seq.backlog import Backlog
from reverie.sound.buses import BUS, MASTER
from reverie.sound.instruments import INSTRUMENTS, program_for

SETTLE_SECONDS = 0.2   # 20 time constants of the parameter glide: within 2e-9 of the target
_SILENCE = np.zeros((1, 2), dtype=np.float32)
log = logging.getLogger(__name__)


def apply_project(engine, project: Project, sounds: list, first_slot: int = 0, frame: int = -1,
                  backlog: Backlog | None = None) -> int:
    """Posts track k's sound into slot first_slot + k, then every track, bus and master
    parameter, all at `frame`. What a full command ring refuses waits in `backlog` (posted
    again by its retry()); returns how many posts were refused."""
    backlog = backlog if backlog is not None else Backlog()
    for line in getattr(sounds, "notices", ()):
        log.warning("%s", line)
    refused, state, e = backlog.refused, backlog.state, engine
    for k in range(MAX_TRACKS):
        track = project.tracks[k] if k < len(project.tracks) else Track(name=f"Track {k + 1}")
        sound = sounds[k] if k < min(len(sounds), len(project.tracks)) else None
        slot = first_slot + k
        if track.instrument not in INSTRUMENTS:
            # an instrument not installed plays silent: the sampler over one silent frame
            track, sound = Track(name=track.name, bus=track.bus), None
        # An empty slot would keep the last project's sound; one silent frame replaces it.
        data, start, end = (_SILENCE, -1, -1) if sound is None else \
            (sound.data, _or(sound.loop_start), _or(sound.loop_end))
        state(("sample", slot), lambda slot=slot, data=data, start=start, end=end:
              e.set_sample(slot, data, start, end, frame))
        post_track_sound(e, k, track, sound, slot, state, frame,
                         program=getattr(sounds, "multisets", {}).get(k))   # a multisample track's set
        for spec in BUS:
            value = spec.check(track.bus.get(spec.key, spec.default))
            state(("bus", k, spec.id), lambda k=k, pid=spec.id, value=value: e.set_bus(k, pid, value, frame))
    for i, sound in enumerate(sounds[len(project.tracks):]):
        slot = first_slot + MAX_TRACKS + i
        state(("sample", slot), lambda slot=slot, sound=sound:
              e.set_sample(slot, sound.data, _or(sound.loop_start), _or(sound.loop_end), frame))
    for spec in MASTER:
        value = spec.check(project.tempo if spec.key == "tempo_bpm" else project.master.get(spec.key, spec.default))
        state(("master", spec.id), lambda pid=spec.id, value=value: e.set_master(pid, value, frame))
    return backlog.refused - refused


def post_track_sound(engine, k: int, track: Track, sound, slot: int, state, frame: int = -1,
                     program=None) -> None:
    """Posts track k's instrument program (when the engine has another) and every one of its
    parameters; `sound` (its root_note, loop_start, loop_end, or None) gives the defaults the
    sample brings; `program`, a multisample track's set (project/sounds.py), else the
    instrument's own. A project load, and a preset or instrument chosen on the sound page."""
    e = engine
    if track.instrument not in INSTRUMENTS:
        track = Track(name=track.name, bus=track.bus)    # not installed: silent, as apply_project
        program = None
    if program is None:
        program = program_for(track.instrument)
    if program is not (getattr(e, "programs", None) or [None] * MAX_TRACKS)[k]:
        # before its parameters: the program says how the engine keeps them
        state(("program", k), lambda k=k, program=program: e.set_program(k, program, frame))
    for pid, value in track_values(track, sound, slot):
        state(("param", k, pid), lambda k=k, pid=pid, value=value: e.set_param(k, pid, value, frame))


def track_values(track: Track, sound, slot: int) -> list[tuple[int, float]]:
    """(parameter id, value) for every instrument parameter of the track. Where the project
    is silent, the sample's own root note and loop (played forward) are used."""
    defaults = {"sample": slot}
    if sound is not None and sound.root_note is not None:
        defaults["root_note"] = sound.root_note
    if sound is not None and sound.loop_start is not None and sound.loop_end is not None:
        defaults["loop"] = "forward"
    values = {**defaults, **track.params, "sample": slot}
    return [(s.id, s.check(values.get(s.key, s.default))) for s in INSTRUMENTS[track.instrument]]


def _or(point) -> int:
    return -1 if point is None else int(point)
