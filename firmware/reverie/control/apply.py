"""Carries out the UI's effects (ui/effects.py) on the control thread: engine commands, the
sequencer, and slow work handed to the worker (jobs.py). Nothing here blocks: a full command
ring is counted and reported on the screen, never waited on; what it refuses goes through the
sequencer's Backlog (seq/backlog.py): state is posted again when the ring has room, moments
are dropped. An effect whose handler fails with a bug is logged and the next one runs."""
from __future__ import annotations

import logging

from reverie.sound.buses import BUS, MASTER
from reverie.base.errors import UserError
from reverie.control.cue import soft_click
from reverie.control.guard import Guard
from reverie.control.telemetry import period_in_use
from reverie.sound.instruments import INSTRUMENTS
from reverie.project.pattern import pattern_slot
from reverie.seq.backlog import Backlog
from reverie.ui import effects as fx

log = logging.getLogger("reverie")


class Applier:
    """`engine`, `sequencer` (seq.driver.Sequencer), `project()` (the UI's current project),
    `clock` (sync.frameclock.FrameClock or None: live notes then play at once), `jobs`
    (jobs.Jobs or None), `on_setting(key, value)` and `on_learn(effect)` callbacks."""

    def __init__(self, engine, sequencer, project, period_frames: int, clock=None, jobs=None,
                 on_setting=None, on_learn=None):
        self.engine = engine
        self.sequencer = sequencer
        self.project = project
        self.period = period_frames
        self.clock = clock
        self.jobs = jobs
        self.on_setting = on_setting or (lambda key, value: None)
        self.on_learn = on_learn or (lambda effect: None)
        self.on_shutdown = lambda: None     # the power key: the app's stop (app/boot.py)
        backlog = getattr(sequencer, "backlog", None)
        self.backlog = backlog if backlog is not None else Backlog()
        self.guard = Guard()        # a bug in a handler: logged, noticed, the next effect runs
        self.notice = ""            # the last thing to tell the musician, read by the loop
        self._handlers = {
            fx.PlayNote: self._note, fx.SetParam: self._param, fx.PatternEdited: self._pattern,
            fx.ProjectEdited: self._project, fx.Transport: self._transport, fx.Tempo: self._tempo,
            fx.QueuePattern: self._queue, fx.Mute: self._mute, fx.Fill: self._fill,
            fx.Learn: lambda e: self.on_learn(e), fx.Setting: lambda e: self.on_setting(e.key, e.value),
            fx.Shutdown: self._shutdown, fx.Modulate: self._modulate,
            fx.Cue: lambda e: soft_click(self.engine, self.project(), self._state, self._moment),
        }

    def on(self, effect_type: type, handler) -> None:
        """Carries out `effect_type` with `handler(effect)` on the control thread (a part
        wired by the app: the practice layer's journal writes and tone)."""
        self._handlers[effect_type] = handler

    @property
    def refused(self) -> int:
        """Commands the full ring refused (state kept for later, moments dropped)."""
        return self.backlog.refused

    def retry(self) -> None:
        """Posts what a full ring refused before, as far as it takes them now."""
        if self.backlog.waiting:
            self.backlog.retry()

    def apply(self, effects) -> None:
        if not effects:
            return
        self.retry()                # what waits goes first, so a note off precedes the next note on
        refused = self.backlog.refused
        for e in effects:
            handler = self._handlers.get(type(e))
            if handler is None and self.jobs is not None and type(e) in self.jobs.handlers:
                handler = self._job          # disk work: whatever the worker knows how to do
            if handler is None:
                # An effect a page added that this box does not carry out: say so once per kind.
                self._handlers[type(e)] = lambda e: None
                log.warning("no handler for the UI effect %s", type(e).__name__)
                continue
            try:
                handler(e)
            except UserError as exc:
                self.notice = str(exc)
            except Exception as exc:    # noqa: BLE001  (a bug: logged, shown, the box plays on)
                self.guard.failed(f"carrying out {type(e).__name__}", exc)
        if self.backlog.refused > refused:
            self.notice = (f"audio busy: {len(self.backlog)} changes wait to be played"
                           if self.backlog.waiting else "audio busy: a note or press was dropped")

    def frame_for(self, t: float) -> int:
        """The frame a live input that arrived at monotonic `t` plays on: one period after
        the frame it arrived at, so the latency is constant (design §4); -1 = at once. The
        period is the one the audio runs at: a shorter one would land most inputs in blocks
        already rendered, and they would play at the next block's start instead."""
        if self.clock is None or not self.clock.ready or t <= 0:
            return -1
        frame = int(self.clock.frame_at(int(t * 1e9))) + period_in_use(self.engine, self.period)
        return frame if frame > self.engine.frame else -1

    def _state(self, key, post) -> None:
        self.backlog.state(key, post)

    def _moment(self, posted: bool) -> None:
        self.backlog.moment(posted)

    def _note(self, e: fx.PlayNote) -> None:
        frame, engine = self.frame_for(e.t), self.engine
        if e.velocity > 0:
            self._moment(engine.note_on(e.track, e.note, float(e.velocity), frame))
        else:   # a note let go must end: kept and posted again if the ring refuses it
            self._state(("note_off", e.track, e.note), lambda: engine.note_off(e.track, e.note, frame))

    def _modulate(self, e: fx.Modulate) -> None:
        # state: only the newest position matters, and it must arrive
        self._state(("mod", e.track, e.which), lambda: self.engine.set_mod(e.track, e.which, e.value))

    def _param(self, e: fx.SetParam) -> None:
        engine = self.engine
        if e.scope == "master":
            if e.key == "tempo_bpm":
                return self._tempo(fx.Tempo(float(e.value)))
            spec = MASTER[e.key]
            value = spec.check(e.value)
            self._state(("master", spec.id), lambda: engine.set_master(spec.id, value))
        elif e.scope == "bus":
            spec = BUS[e.key]
            value = spec.check(e.value)
            self._state(("bus", e.track, spec.id), lambda: engine.set_bus(e.track, spec.id, value))
        else:
            tracks = self.project().tracks
            instrument = tracks[e.track].instrument if e.track < len(tracks) else "sampler"
            spec = INSTRUMENTS[instrument][e.key]
            value = spec.check(e.value)
            self._state(("param", e.track, spec.id), lambda: engine.set_param(e.track, spec.id, value))

    def _pattern(self, e: fx.PatternEdited) -> None:
        self.sequencer.project = self.project()
        self.sequencer.update_pattern(e.name)

    def _project(self, e: fx.ProjectEdited) -> None:
        self.sequencer.project = self.project()
        self.sequencer.load()

    def _transport(self, e: fx.Transport) -> None:
        if e.action == "play":
            self.sequencer.project = self.project()
            self.sequencer.play()           # counted by the sequencer's backlog
        elif e.action == "stop":
            self.sequencer.stop()
        elif e.action == "continue":
            self._moment(self.engine.seq_continue())

    def _tempo(self, e: fx.Tempo) -> None:
        bpm = float(e.bpm)
        self._state(("tempo",), lambda: self.engine.seq_tempo(bpm))

    def _queue(self, e: fx.QueuePattern) -> None:
        self.sequencer.project = self.project()
        self.sequencer.update_pattern(e.name)
        self._moment(self.engine.seq_queue(pattern_slot(e.name), e.immediate))

    def _mute(self, e: fx.Mute) -> None:
        self._state(("mute", e.track), lambda: self.engine.seq_mute(e.track, e.on))

    def _fill(self, e: fx.Fill) -> None:
        self._state(("fill",), lambda: self.engine.seq_fill(e.on))

    def _shutdown(self, e: fx.Shutdown) -> None:
        log.info("the power key was held: saving and stopping")
        self.on_shutdown()

    def _job(self, e) -> None:
        self.jobs.submit(e)
