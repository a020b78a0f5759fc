"""Capture on the control thread: never lose an idea (docs/capture.md).

  start()     hands the engine its audio ring (the last `[capture] seconds`, plus a margin
              for a busy worker), taps every live note (Applier.on: the notes ring), takes
              on the capture effects (ui/capture.py) and runs as a control hook
  KeepAudio   the worker copies the ring's last seconds up to the frame of the press and
              writes them as a sample in the project and a FLAC in the audio log
              (control/audio_log.py); the journal hears of it
  KeepNotes   the notes ring's last phrase becomes a new pattern (project/phrase.py), one
              undoable edit; stopped, the tempo is read from the playing
  ListCaptures, PlayCapture, StopCapture   the LISTEN page: the log, and a capture played
              back through the engine's preview (no track, voice or sample slot)
  the hook    Status.capture; every DRAIN_S the worker writes the ring out when the whole
              session is recorded (control/session_record.py)
  stop()      the session recording's last drain, a job the worker finishes before the box
              stops

Nothing here waits on the audio thread, and nothing that fails here stops the music: a
failure is a notice.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

from reverie.base.errors import UserError
from reverie.control.audio_log import AudioLog, JournalLink, keep_audio, read_for_listening
from reverie.control.notes_ring import NotesRing
from reverie.control.session_record import DRAIN_S, SessionRecorder
from reverie.project import edit
from reverie.project.pattern import SLOTS, pattern_name, pattern_slot
from reverie.project.phrase import build_phrase
from reverie.project.store import SAMPLES_DIR
from reverie.ui import capture as cx
from reverie.ui import effects as fx

log = logging.getLogger("reverie")

MARGIN_S = 5                    # the ring holds this much more than one press keeps
LISTEN_MAX_S = 180              # a longer recording plays its first three minutes (69 MB at 48 kHz)
STATUS_S = 0.25                 # the preview's position and the recording's length, this often


class Capture:
    def __init__(self, rig, captures_dir: Path, *, seconds: int = 60, enabled: bool = True,
                 record_session: bool = False, min_free_mb: int = 200, journal: JournalLink | None = None,
                 clock=time.monotonic):
        self.rig = rig
        self.engine = rig.engine
        self.rate = rig.rate
        self.seconds = seconds
        self.enabled = enabled
        self.min_free = min_free_mb * 2**20
        self.log = AudioLog(Path(captures_dir), journal)
        self.notes = NotesRing(rig.rate)
        self.recorder = SessionRecorder(self.engine, self.log, rig.rate, self.min_free) if record_session else None
        self.clock = clock
        self.started = False            # the ring is in the engine
        self.last = None                # the last KeptAudio (control/audio_log.py)
        self.last_notes = None          # (pattern name, Phrase) kept last
        self._status = cx.CaptureStatus(enabled=enabled, ring_s=seconds if enabled else 0)
        self._next_status = 0.0
        self._next_drain = 0.0
        self._draining = False
        self._preview: list | None = None       # [path, frames, heard playing, since] playing back
        self._stopping = False

    @property
    def journal(self) -> JournalLink:
        return self.log.journal

    @journal.setter
    def journal(self, link: JournalLink) -> None:
        """The journal, once it is there: `app.capture.journal = JournalLink(rig.journal.add_capture,
        lambda: rig.ui.practice.session_id)` (docs/journal.md, "The capture API")."""
        self.log.journal = link

    # --- start and stop --------------------------------------------------------------

    def start(self) -> Capture:
        rig = self.rig
        self.log.session()              # this session's folder is named after the box's start
        if self.enabled:
            self._hand_in_ring()
            played = rig.applier._handlers[fx.PlayNote]     # the Applier's own: the note plays

            def tap(e: fx.PlayNote) -> None:
                played(e)                   # the note plays first; the ring only listens
                self._played(e)
            rig.applier.on(fx.PlayNote, tap)
            rig.applier.on(cx.KeepNotes, self.keep_notes)
            rig.jobs.handlers[cx.KeepAudio] = self.keep_audio
        else:
            rig.applier.on(cx.KeepNotes, self._off)
            rig.applier.on(cx.KeepAudio, self._off)
        rig.applier.on(cx.StopCapture, self.stop_playing)
        rig.jobs.handlers[cx.ListCaptures] = self.list_captures
        rig.jobs.handlers[cx.PlayCapture] = self.play_capture
        rig.control.hooks.append(self.hook)
        return self

    def _hand_in_ring(self) -> None:
        if not self.started:
            self.started = bool(self.engine.capture_start(self.seconds + MARGIN_S))

    def stop(self) -> None:
        """The session recording's last drain and its file put in place, as a job the worker
        finishes before the box stops (Jobs.close waits for it)."""
        self._stopping = True
        if self.recorder is not None:
            rec = self.recorder
            self.rig.jobs.run("ending the session recording", rec.close, lambda _: None, keep=True)

    def _off(self, e) -> None:
        self.rig.applier.notice = "capture is off ([capture] enabled = false)"

    # --- the notes ring --------------------------------------------------------------

    def _played(self, e: fx.PlayNote) -> None:
        frame = self.rig.applier.frame_for(e.t)
        if frame < 0:
            frame = self.engine.frame
        tick = self.engine.tick_at(frame) if self.rig.ui.context.status.playing else None
        if e.velocity > 0:
            self.notes.on(e.track, e.note, e.velocity, frame, tick)
        else:
            self.notes.off(e.track, e.note, frame, tick)

    # --- keeping ---------------------------------------------------------------------

    def keep_audio(self, e: cx.KeepAudio):
        """A job: the last seconds up to this moment, as a sample and a FLAC."""
        if not self.started:
            raise UserError("capture is starting; try again in a moment")
        end = self.engine.capture_span()[1]
        samples = self._samples_folder()
        session = self.log.session()                # the journal's session now, on this thread
        engine, frames, rate, log_, min_free = self.engine, self.seconds * self.rate, self.rate, self.log, self.min_free

        def work():
            return keep_audio(engine, end, frames, rate, log_, samples, min_free, session)

        def finish(kept):
            self.last = kept
            where = f"{kept.sample_path.name} in samples/" if kept.sample_path is not None else \
                "the audio log (save the project to keep captures as samples)"
            self.rig.applier.notice = f"kept {kept.seconds:.1f} s: {where}"
            self._refresh_log()
        return "keeping the audio", work, finish

    def _samples_folder(self) -> Path | None:
        from reverie.project.demo import demo_project_path

        folder = self.rig.folder
        if folder is None or Path(folder).resolve() == demo_project_path().resolve():
            return None
        return Path(folder) / SAMPLES_DIR

    def keep_notes(self, e: cx.KeepNotes) -> None:
        """The notes played lately as a new pattern: one edit, undoable."""
        rig = self.rig
        ctx = rig.ui.context
        playing = ctx.status.playing
        project = ctx.project
        phrase = build_phrase(self.notes.notes(self.engine.frame), self.rate, self.engine.frame,
                              playing=playing, tempo_bpm=ctx.status.tempo_bpm if playing else project.tempo,
                              tracks=len(project.tracks))
        name = _free_slot(project, rig.ui.pattern_name())
        select = not playing
        effects = ctx.edit(_put_phrase, name, phrase.pattern, phrase.tempo_bpm if select else None, select,
                           label=f"keep notes as {name}")
        if not effects and ctx.message:
            raise UserError(ctx.message)
        rig.applier.apply(effects)
        self.last_notes = (name, phrase)
        seconds = phrase.bars * 4 * 60 / phrase.tempo_bpm
        sid, journal, what = self.log.session()[0], self.log.journal, f"{project.name}:{name}"
        rig.jobs.run("noting the notes in the journal",
                     lambda: journal.add_capture(sid, "notes", what, seconds), lambda _: None)
        tempo = f" at {phrase.tempo_bpm:g} BPM" if phrase.inferred else ""
        lost = phrase.notes - phrase.kept
        rig.applier.notice = (f"kept {phrase.notes} notes as {name}{tempo}"
                              + (f" ({lost} shared a step)" if lost else "") + "; undo takes it back")

    # --- the audio log and listening back -----------------------------------------------

    def list_captures(self, e: cx.ListCaptures):
        log_ = self.log

        def finish(listing):
            self._status = replace(self._status, log=listing)
        return "reading the audio log", log_.listing, finish

    def _refresh_log(self) -> None:
        self.rig.jobs.run("reading the audio log", self.log.listing,
                          lambda listing: setattr(self, "_status", replace(self._status, log=listing)))

    def play_capture(self, e: cx.PlayCapture):
        path = Path(e.path)
        if path.suffix.lower() != ".flac" or not path.resolve().is_relative_to(self.log.root.resolve()):
            raise UserError(f"{path.name}: not in the audio log")
        rate = self.rate

        def work():
            return read_for_listening(path, rate, LISTEN_MAX_S)

        def finish(data):
            if self.engine.preview_play(data):
                self._preview = [str(path), len(data), False, self.clock()]
                self._status = replace(self._status, playing=str(path), played_s=0.0)
            else:
                self.rig.applier.notice = "audio busy: press again to listen"
        return f"reading {path.name}", work, finish

    def stop_playing(self, e: cx.StopCapture) -> None:
        self.engine.preview_stop()
        self._preview = None
        self._status = replace(self._status, playing="", played_s=0.0)

    # --- the control hook ------------------------------------------------------------

    def hook(self, status):
        now = self.clock()
        if self.enabled and not self.started:
            self._hand_in_ring()
        if self.recorder is not None and not self._stopping and now >= self._next_drain and not self._draining:
            if self.recorder.session is None:
                self.recorder.session = self.log.session()
                self.recorder.start_at = self.engine.capture_span()[1]
            self._next_drain = now + DRAIN_S
            self._draining = True
            self.rig.jobs.run("recording the session", self.recorder.drain, self._drained)
        if now >= self._next_status:
            self._next_status = now + STATUS_S
            self._update_status()
        return status if status.capture == self._status else replace(status, capture=self._status,
                                                                        recording=self._status.recording)

    def _drained(self, _frames) -> None:
        self._draining = False
        rec = self.recorder
        if rec.stopped and self._status.note != rec.stopped:
            self.rig.applier.notice = rec.stopped
            self._status = replace(self._status, note=rec.stopped)
            self._refresh_log()

    def _update_status(self) -> None:
        s = self._status
        if self._preview is not None:
            playing, played = self.engine.preview_state()
            heard = self._preview[2] = self._preview[2] or playing
            if not playing and (heard or self.clock() - self._preview[3] > 1.0):
                self._preview = None            # it ended (or never reached the engine)
                s = replace(s, playing="", played_s=0.0)
            elif playing:
                s = replace(s, played_s=round(played / self.rate, 1))
        rec = self.recorder
        if rec is not None:
            s = replace(s, recording=rec.recording, recorded_s=round(rec.seconds))
        self._status = replace(s, session=self.log.shown())


def _free_slot(project, after: str) -> str:
    """The first empty pattern from `after` on (wrapping around); UserError when none is."""
    start = pattern_slot(after)
    for k in range(1, SLOTS + 1):
        name = pattern_name((start + k) % SLOTS)
        if project.pattern_at(name).is_empty():
            return name
    raise UserError("no empty pattern left to keep the notes in")


def _put_phrase(project, name: str, pattern, tempo: float | None, select: bool):
    """The phrase's pattern in slot `name`; stopped, it becomes the current pattern at its tempo."""
    project = edit.put_pattern(project, name, pattern)
    if select:
        project = replace(project, pattern=name, tempo=tempo if tempo is not None else project.tempo)
    return project
