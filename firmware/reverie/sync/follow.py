"""Keeps the engine's sequencer in tempo and phase with an external source: a MIDI clock
(`sync.clock_follower.ClockFollower`) or Ableton Link (`hal.link.LinkSession`). Both become
a tempo and a beat position at a given engine frame; the correction policy is Link's
(`sync.link_policy.link_correction`): follow the tempo, nudge small phase errors away,
locate on large ones. Runs on the control thread."""
from __future__ import annotations

from reverie.core.defs import SIZES
from reverie.sync.link_policy import Action, LinkCorrection, link_correction

TICKS_PER_BEAT = SIZES["TICKS_PER_BEAT"]


class TempoFollower:
    def __init__(self, engine, quantum_beats: float = 4.0):
        self.engine = engine
        self.quantum = quantum_beats
        self.last: LinkCorrection | None = None
        self.locates = 0

    def update(self, tempo_bpm: float, beat: float, frame: int) -> LinkCorrection | None:
        """`beat`: the source's beat position at the moment engine frame `frame` sounds.
        Posts the correction at `frame`; returns it (None while the sequencer is stopped)."""
        state = self.engine.seq_state()
        if not state["playing"]:
            return None
        ours = self.engine.tick_at(frame) / TICKS_PER_BEAT
        c = link_correction(state["tempo_bpm"], ours, tempo_bpm, beat, self.quantum)
        if c.action == Action.LOCATE:
            self.engine.seq_locate(c.locate_tick, frame)
            self.locates += 1
        if c.send_tempo or c.action == Action.LOCATE:
            self.engine.seq_tempo(c.tempo_bpm, frame)
        self.last = c
        return c
