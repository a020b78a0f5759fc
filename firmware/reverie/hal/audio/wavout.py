"""The audio output without an audio device: records the engine to a 24-bit WAV file.

A worker thread calls the engine's C callback, as a sound card's driver would, for blocks of
the configured period, and sleeps to keep pace with the wall clock. So the engine cannot
tell the difference: its callback counters tick, and the control thread stays the only
reader of its telemetry (`Engine.render()` would drain it from this thread). This path is
not real-time critical. The file is written as `<name>.part` and renamed into place when
closed.
"""
from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from pathlib import Path

import numpy as np

from reverie.base.errors import UserError
from reverie.hal.audio.output import CHANNELS, AudioOutput, AudioSettings

log = logging.getLogger(__name__)

MAX_LAG_S = 0.5  # further behind the clock than this (a suspended laptop): catch up no more

# PaStreamCallback(input, output, frames, time_info, status_flags, user_data) -> int
PA_STREAM_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                                      ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong,
                                      ctypes.c_void_p)


class WavOutput(AudioOutput):
    def __init__(self, engine, settings: AudioSettings, path: Path | str):
        import soundfile

        super().__init__(engine, settings)
        self.path = Path(path)
        self._part = self.path.with_name(self.path.name + ".part")
        try:
            self._file = soundfile.SoundFile(self._part, "w", samplerate=settings.sample_rate_hz,
                                             channels=CHANNELS, subtype="PCM_24", format="WAV")
        except (OSError, soundfile.LibsndfileError) as exc:
            raise UserError(f"cannot write the audio recording {self.path} ({exc}): "
                            "set audio.fallback_wav to a writable file") from exc
        self._block = np.zeros((settings.period_frames, CHANNELS), dtype=np.float32)
        self._callback = PA_STREAM_CALLBACK(engine.callback_address)
        self._period_s = settings.period_frames / settings.sample_rate_hz
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.blocks = 0                         # blocks rendered and written
        self.error: Exception | None = None     # what stopped the worker early, if anything
        self.description = f"WAV file {self.path} (no audio device)"

    @property
    def frames(self) -> int:
        return self.blocks * self.settings.period_frames

    def _start(self) -> None:
        self._halt.clear()
        self._thread = threading.Thread(target=self._run, name="reverie-wav-out", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        deadline = time.monotonic()
        while not self._halt.is_set():
            if not self._write_block():
                return
            deadline += self._period_s
            lag = time.monotonic() - deadline
            if lag > MAX_LAG_S:
                deadline += lag
            elif lag < 0:
                self._halt.wait(-lag)

    def _render_block(self) -> None:
        # ctypes lets go of the GIL for the call, as PortAudio's thread never holds it.
        self._callback(None, self._block.ctypes.data, self.settings.period_frames, None, 0,
                       self.engine.userdata_address)

    def _write_block(self) -> bool:
        self._render_block()
        try:
            self._file.write(self._block)
        except (OSError, RuntimeError) as exc:
            self.error = exc
            log.error("audio recording to %s stopped: %s", self.path, exc)
            return False
        self.blocks += 1
        return True

    def _stop(self) -> None:
        self._halt.set()
        self._thread.join()
        self._thread = None

    def _close(self) -> None:
        self._file.close()
        _fsync(self._part)
        os.replace(self._part, self.path)
        _fsync(self.path.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
