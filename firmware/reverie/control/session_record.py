"""Recording the whole session to FLAC (`[capture] record_session`, off by default), from the
same ring one press keeps from: the worker drains what the engine rendered since the last
drain, every DRAIN_S, into `session-HHMM-SS.flac.part` in the session's audio log, renamed
to `.flac` when it ends. Nothing here ever waits on the audio thread or stops it.

The free-disk guard: before each drain, a disk with less than `[capture] min_free_mb`
free (after the drain) ends the recording, with a notice; so does a write that fails. The
music never stops for it. A drain that comes later than the ring is long loses the oldest
frames; they are counted (`lost_s`) and the file goes on from what the ring still holds.

`drain()` and `close()` run on the worker only (the file is the worker's); the control
thread reads `recording`, `seconds` and `stopped`, which the worker sets.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from reverie.base.files import fsync_folder
from reverie.control.audio_log import FLAC_BYTES_PER_FRAME, AudioLog, free_bytes

log = logging.getLogger("reverie")

DRAIN_S = 2.0                   # the worker writes the ring out this often


class SessionRecorder:
    def __init__(self, engine, audio_log: AudioLog, rate: int, min_free: int):
        self.engine = engine
        self.audio_log = audio_log
        self.rate = rate
        self.min_free = min_free
        self.path: Path | None = None
        self.frames = 0                  # written to the file
        self.lost = 0                    # frames the ring no longer held when drained
        self.stopped = ""                # why it stopped early; "" while it records (or before)
        self.closed = False
        self._file = None
        self._part: Path | None = None
        self._next = -1                  # the next engine frame to write
        self.session = None              # (id, folder), set on the control thread before the first drain
        self.start_at = -1               # the ring's end when recording was asked (control thread)

    @property
    def recording(self) -> bool:
        return self._file is not None

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    @property
    def lost_s(self) -> float:
        return self.lost / self.rate

    def drain(self) -> int:
        """Writes what the ring holds past the last drain; returns the frames written. Opens
        the file at the first drain; the recording starts from the ring's end when the control
        thread asked for it (`start_at`, however late the worker comes to it), else from its
        end then."""
        if self.closed or self.stopped:
            return 0
        first, end = self.engine.capture_span()
        if end == 0:
            return 0                     # the ring has not reached the engine yet
        if self._file is None:
            if not self._open():
                return 0
            self._next = end if self.start_at < 0 else max(first, min(self.start_at, end))
            return 0
        if end <= self._next:
            return 0
        whole, data = self.engine.capture_copy(self._next, end)
        self.lost += whole - self._next
        free = free_bytes(self._part.parent)
        if free - len(data) * FLAC_BYTES_PER_FRAME < self.min_free:
            self._stop(f"session recording stopped: {free / 2**20:.1f} MB left on the disk "
                       f"(capture.min_free_mb = {self.min_free // 2**20}); the music plays on")
            return 0
        try:
            self._file.write(data)
        except (OSError, RuntimeError) as exc:      # libsndfile says "System error." for ENOSPC
            self._stop(f"session recording stopped: {exc}; the music plays on")
            return 0
        self.frames += len(data)
        self._next = whole + len(data)
        return len(data)

    def close(self) -> Path | None:
        """The last drain, then the file put in place and told to the journal. Idempotent."""
        if not self.closed and not self.stopped:
            self.drain()
        self.closed = True
        return self._finish()

    def _open(self) -> bool:
        import soundfile as sf

        sid, self.path = self.audio_log.file_for("session-", self.session)
        self.session = (sid, self.session[1]) if self.session is not None else None
        self._part = self.path.with_name(self.path.name + ".part")
        try:
            self._part.parent.mkdir(parents=True, exist_ok=True)
            if free_bytes(self._part.parent) < self.min_free:
                raise OSError(f"{free_bytes(self._part.parent) / 2**20:.1f} MB free on the disk "
                              f"(capture.min_free_mb = {self.min_free // 2**20})")
            self._file = sf.SoundFile(str(self._part), "w", samplerate=self.rate, channels=2,
                                      format="FLAC", subtype="PCM_24")
        except (OSError, RuntimeError, sf.LibsndfileError) as exc:
            self.stopped = f"session recording did not start: {exc}"
            log.warning("%s (%s)", self.stopped, self.path)
            self._part.unlink(missing_ok=True)
            return False
        log.info("recording the session to %s", self.path)
        return True

    def _stop(self, why: str) -> None:
        self.stopped = why
        log.warning("%s (%s)", why, self.path)
        self._finish()

    def _finish(self) -> Path | None:
        f, self._file = self._file, None
        if f is None:
            return None
        try:
            f.close()
            fd = os.open(self._part, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self._part, self.path)
            fsync_folder(self.path.parent)
        except (OSError, RuntimeError) as exc:
            self.stopped = self.stopped or f"the session recording was not saved: {exc}"
            log.error("the session recording %s was not saved: %s", self.path, exc)
            return None
        sid = self.session[0] if self.session is not None else None
        self.audio_log.journal.add_capture(sid, "recording", self.path, self.seconds)
        return self.path
