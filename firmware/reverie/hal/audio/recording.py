"""A recording of what the engine plays while no device does, when asked for
(`[audio] record_without_device`): a 24-bit WAV in the data directory's recordings/.

Every recording of one run draws on one budget (`[audio] record_max_mb`): when the next
block would take the files past it, the recording stops and says why; the music never
does. A file is written as `<name>.wav.part` and renamed into place, with the folder
synced, when it ends, so a file named `.wav` is always whole.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from reverie.base.errors import UserError

log = logging.getLogger(__name__)

BYTES_PER_FRAME = 2 * 3         # stereo, 24-bit
HEADER_BYTES = 1024             # room kept for the WAV header (44 bytes for plain PCM)
FULL_BYTES = 64 * 1024          # less free space than this after a failed write: a full disk


class RecordBudget:
    """The bytes every recording of this run may take together."""

    def __init__(self, max_bytes: int):
        if max_bytes <= 0:
            raise ValueError(f"a recording budget of {max_bytes} bytes")
        self.max_bytes = max_bytes
        self.used = 0

    def take(self, size: int) -> bool:
        if self.used + size > self.max_bytes:
            return False
        self.used += size
        return True


class Recording:
    """One file. `write(block)` from the clock's thread; `close()` from any thread once the
    clock no longer writes. `stopped` says why it ended early ("" while it records)."""

    def __init__(self, folder: Path, sample_rate_hz: int, budget: RecordBudget, name: str | None = None):
        import soundfile

        self.path = Path(folder) / (name or time.strftime("no-device-%Y%m%d-%H%M%S.wav"))
        self._part = self.path.with_name(self.path.name + ".part")
        self.budget = budget
        self.frames = 0
        self.stopped = ""
        if not budget.take(HEADER_BYTES):
            raise UserError(f"the recording budget ({budget.max_bytes // 2**20} MB) is spent: "
                            "raise audio.record_max_mb")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = soundfile.SoundFile(self._part, "w", samplerate=sample_rate_hz, channels=2,
                                             subtype="PCM_24", format="WAV")
        except (OSError, soundfile.LibsndfileError) as exc:
            raise UserError(f"cannot record to {self.path} ({exc})") from exc

    @property
    def recording(self) -> bool:
        return self._file is not None and not self.stopped

    def write(self, block) -> None:
        if not self.recording:
            return
        if not self.budget.take(len(block) * BYTES_PER_FRAME):
            self._stop(f"recording stopped at its cap of {self.budget.max_bytes / 2**20:g} MB")
            return
        try:
            self._file.write(block)
        except (OSError, RuntimeError) as exc:      # libsndfile says "System error." for ENOSPC
            self._stop("recording stopped: the disk is full" if _disk_full(self.path.parent)
                       else f"recording stopped: {exc}")
            return
        self.frames += len(block)

    def _stop(self, why: str) -> None:
        self.stopped = why
        log.warning("%s (%s)", why, self.path)
        self._finish()

    def close(self) -> None:
        """Ends the file and puts it in place. Idempotent."""
        self._finish()

    def _finish(self) -> None:
        if self._file is None:
            return
        f, self._file = self._file, None
        try:
            f.close()
            _fsync(self._part)
            os.replace(self._part, self.path)
            _fsync(self.path.parent)
        except (OSError, RuntimeError) as exc:
            self.stopped = self.stopped or f"recording not saved: {exc}"
            log.error("the recording %s was not saved: %s", self.path, exc)


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < FULL_BYTES
    except OSError:
        return False


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
