"""The app's sync, as the configuration asks: MIDI out (the sequencer's clock and MIDI
tracks, scheduled from the sample clock) and the tempo source (internal, MIDI clock in or
Ableton Link). `poll()` runs on the control thread; nothing here blocks it.

A part that cannot start (no MIDI API, no such port) is reported in one log line and the
box plays on without it."""
from __future__ import annotations

import logging

from reverie.core.defs import SIZES
from reverie.base.errors import UserError
from reverie.control.telemetry import period_in_use
from reverie.sync.follow import TempoFollower

log = logging.getLogger("reverie")
TICKS_PER_BEAT = SIZES["TICKS_PER_BEAT"]
RTMIDI_APIS = {"alsa": "API_LINUX_ALSA", "jack": "API_UNIX_JACK"}


class SyncSession:
    def __init__(self, engine, midi, sync, sample_rate: int, period_frames: int):
        from reverie.sync.frameclock import FrameClock

        self.engine = engine
        self.midi = midi                     # config.MidiConfig
        self.source = sync.source            # config.SyncConfig
        self.period = period_frames
        # A frame is heard a period after its callback, plus the engine's look-ahead (the
        # limiter's): MIDI out and Link line up with the sound, not with the frame.
        self.lookahead = getattr(engine, "lookahead_frames", 0)
        self.clock = FrameClock(sample_rate, period_frames, latency_frames=period_frames + self.lookahead)
        self.follower = TempoFollower(engine)
        self.outputs = None                  # hal.midi.outputs.MidiOutputs, hot-plugged
        self.scheduler = None
        self.on_ports = None                 # (names) on the control thread when outputs come or go
        self._ports_seen = 0
        self.clock_in = None
        self.link = None

    def start(self) -> SyncSession:
        from reverie.sync.midi_out import MidiScheduler

        self.engine.seq_clock_out(self.midi.clock_out)
        self.scheduler = MidiScheduler(self.engine.poll_midi, [], self.clock,
                                       anchor=self.engine.clock_anchor)
        self.outputs = self._open_outputs()
        self.scheduler.start()
        if self.source == "midi":
            self._start_clock_in()
        elif self.source == "link":
            from reverie.hal.link import LinkSession

            self.link = LinkSession(tempo_bpm=self.engine.seq_state()["tempo_bpm"])
            self.link.enable()
            log.info("Ableton Link on: tempo and phase shared with peers on the network")
        return self

    @property
    def ports(self) -> list:
        """The MIDI out ports by index (None where one has gone)."""
        return self.scheduler.ports if self.scheduler is not None else []

    def port_names(self) -> list[str]:
        """The name at every port index, a port that has gone included."""
        return self.outputs.names() if self.outputs is not None else []

    def _open_outputs(self):
        """The outputs there are, then every one that comes while playing (hot-plugged)."""
        from reverie.hal.midi.outputs import MidiOutputs

        try:
            return MidiOutputs(self.midi.api, self.scheduler.set_ports).start()
        except UserError as exc:
            log.info("MIDI out off: %s", exc)
            return None

    def _start_clock_in(self) -> None:
        import rtmidi

        from reverie.hal.midi.clock_in import MidiClockInput
        from reverie.sync.arrival_clock import ArrivalClock
        from reverie.sync.clock_follower import ClockFollower

        try:
            self.clock_in = MidiClockInput(ClockFollower(), getattr(rtmidi, RTMIDI_APIS[self.midi.api]),
                                           port=self.midi.clock_in_port or "",
                                           arrivals=ArrivalClock()).open()
            log.info("following the MIDI clock on %s", self.clock_in.port_name)
        except (UserError, rtmidi.RtMidiError, OSError) as exc:
            log.info("MIDI clock in off: %s", exc)
            self.clock_in = None

    def poll(self) -> None:
        """Follows the tempo source once (call it every few ms); says when outputs came or went."""
        if self.outputs is not None and self.outputs.revision != self._ports_seen:
            self._ports_seen = self.outputs.revision
            if self.on_ports is not None:
                self.on_ports(self.port_names())
        if not self.clock.ready:
            return
        period = period_in_use(self.engine, self.period)   # a JACK server's own, whatever the config says
        if period != self.clock.period_frames:
            self.clock.set_period(period, period + self.lookahead)
        frame = self.engine.frame + period               # the next block to be rendered
        when = self.clock.time_of(frame)                 # when it will be heard
        if self.link is not None:
            beat = self.link.beat_at(when)
            if beat is not None:
                self.follower.update(self.link.tempo_bpm, beat, frame)
        elif self.clock_in is not None:
            for event in self.clock_in.poll():
                self._transport(event, frame)
            f = self.clock_in.follower
            ticks = f.ticks_at(when) if f.locked and f.running else None
            if ticks is not None:
                self.follower.update(f.tempo_bpm, ticks / TICKS_PER_BEAT, frame)

    def _transport(self, event: tuple, frame: int) -> None:
        kind = event[0]
        if kind == "start":
            self.engine.seq_play(-1, frame)
        elif kind == "stop":
            self.engine.seq_stop(frame)
        elif kind == "continue":
            self.engine.seq_locate(event[2] * SIZES["STEP_TICKS"], frame)
            self.engine.seq_continue(frame)

    def close(self) -> None:
        if self.outputs is not None:
            self.outputs.close()
        if self.scheduler is not None:
            self.scheduler.stop()
            for p in self.scheduler.ports:
                if p is not None:
                    p.close()
        if self.clock_in is not None:
            self.clock_in.close()
        if self.link is not None:
            self.link.close()

