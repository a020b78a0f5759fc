"""Carries out the pacer's BreathTone effects on the engine, without touching its core: the
soft tone (sound/breath_tone.py) goes into the last sample slot, and the last track, when the
project does not use it, plays it with the sampler gated, attack as long as the in-breath and
release as long as the out-breath. "off" lets it go and, once it has faded, gives the track
its default parameters back (what seq/load.py gives a track the project does not use)."""
from __future__ import annotations

import logging

from reverie.core.defs import SIZES
from reverie.project.model import MAX_TRACKS, Track
from reverie.seq.load import track_values
from reverie.sound.breath_tone import TONE_NOTE, breath_tone
from reverie.sound.instruments import SAMPLER
from reverie.ui.practice.effects import BreathTone

log = logging.getLogger("reverie")

SLOT = SIZES["MAX_SAMPLES"] - 1
TRACK = MAX_TRACKS - 1
VELOCITY = 90.0
LEVEL_DB = -6.0
CUTOFF_HZ = 1800.0
LET_GO_MS = 400.0               # "off": how quickly it fades when the pacer is skipped


class BreathToneHandler:
    def __init__(self, engine, project, backlog, rate: int, notice=lambda text: None):
        """`project()`: the UI's project (the tone needs a track it does not use);
        `backlog`: the applier's (seq/backlog.py), so a note off is never lost to a full ring."""
        self.engine, self.project, self.backlog, self.rate = engine, project, backlog, rate
        self.notice = notice
        self._loaded = None          # the tone's frames, held while the engine may play them
        self._sounding = False
        self._told = False

    def __call__(self, e: BreathTone) -> None:
        if len(self.project().tracks) >= MAX_TRACKS:
            if not self._told and e.phase != "off":
                self._told = True
                self.notice("no free track for the breath tone: the pacer is silent")
            return
        if e.phase == "in":
            self._in(max(1.0, e.seconds * 1000.0))
        elif e.phase == "out":
            self._out(max(1.0, e.seconds * 1000.0))
        else:
            self._off()

    def _set(self, key: str, value, frame: int = -1) -> None:
        spec = SAMPLER[key]
        value = spec.check(value)
        self.backlog.state(("param", TRACK, spec.id),
                           lambda: self.engine.set_param(TRACK, spec.id, value, frame))

    def _in(self, attack_ms: float) -> None:
        e = self.engine
        if self._loaded is None:
            data, start, end = breath_tone(self.rate)
            self._loaded = data
            self.backlog.state(("sample", SLOT), lambda: e.set_sample(SLOT, data, start, end))
        for key, value in (("sample", SLOT), ("root_note", TONE_NOTE), ("loop", "forward"), ("trig", "gated"),
                           ("decay_ms", 0.0), ("sustain", 1.0), ("level_db", LEVEL_DB),
                           ("cutoff_hz", CUTOFF_HZ), ("attack_ms", min(10000.0, attack_ms))):
            self._set(key, value)
        if self._sounding:
            self.backlog.state(("note_off", TRACK, TONE_NOTE), lambda: e.note_off(TRACK, TONE_NOTE))
        self.backlog.moment(e.note_on(TRACK, TONE_NOTE, VELOCITY))
        self._sounding = True

    def _out(self, release_ms: float) -> None:
        self._set("release_ms", min(10000.0, release_ms))
        self.backlog.state(("note_off", TRACK, TONE_NOTE), lambda: self.engine.note_off(TRACK, TONE_NOTE))
        self._sounding = False

    def _off(self) -> None:
        e = self.engine
        self._set("release_ms", LET_GO_MS)
        self.backlog.state(("note_off", TRACK, TONE_NOTE), lambda: e.note_off(TRACK, TONE_NOTE))
        self._sounding = False
        later = e.frame + int(self.rate * 2 * LET_GO_MS / 1000.0)   # once it has faded
        for pid, value in track_values(Track(name=f"Track {TRACK + 1}"), None, TRACK):
            self.backlog.state(("param", TRACK, pid), lambda pid=pid, value=value: e.set_param(TRACK, pid, value, later))
