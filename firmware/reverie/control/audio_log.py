"""The audio log: what capture keeps, in the data directory's captures/, a folder per
session named by when it began (`2025-12-04_2140`), each capture a FLAC named by the time
it was kept (`2152-03.flac`; the whole session's recording `session-2140-12.flac`).

The journal (data/journal.sqlite) records each capture too, from the worker, with the
session id read on the control thread when the capture was asked for. Until it is
connected, the session is this run of the box and the folder is the only record;
`JournalLink` is the one place the two meet:
`app.capture.journal = JournalLink(rig.journal.add_capture, lambda: rig.ui.practice.session_id)`.

Reading the ring out runs on the worker: `keep_audio` copies the last seconds from the
engine's capture ring while the audio thread goes on writing it (Engine.capture_copy leaves
out whatever the writer overwrote meanwhile), trims the silence before the first sound and
after the last, and writes a float WAV into the project's samples/ and a FLAC into the log,
each atomically.
"""
from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from reverie.base.errors import UserError
from reverie.sound.samples.writing import write_audio
from reverie.ui.capture import LoggedCapture

log = logging.getLogger("reverie")

SILENCE = 1e-4                  # -80 dBFS: quieter than this before the first sound is trimmed
SESSION_FOLDER = "%Y-%m-%d_%H%M"
SESSIONS_LISTED = 30
WAV_BYTES_PER_FRAME = 8         # stereo float32
FLAC_BYTES_PER_FRAME = 6        # at most: stereo 24-bit


class JournalLink:
    """The journal as capture uses it: `add_capture(session_id, kind, path, seconds)` and the
    current session's id. Without a journal the session is this run of the box."""

    def __init__(self, add_capture: Callable | None = None, session_id: Callable | None = None,
                 started: float | None = None):
        self._add = add_capture
        self._session = session_id
        self._run = time.strftime("%Y%m%d-%H%M%S", time.localtime(started or time.time()))

    def session_id(self):
        return self._session() if self._session is not None else self._run

    def add_capture(self, session_id, kind: str, path: Path, seconds: float) -> None:
        """Records a capture in the journal; a journal that fails is logged, the capture kept."""
        if self._add is None:
            return
        try:
            self._add(session_id, kind, str(path), round(float(seconds), 3))
        except Exception:           # noqa: BLE001  (the file is kept whatever the journal says)
            log.exception("the journal did not take the capture %s", path)


class AudioLog:
    """The folders of the audio log. A session's folder is named when its first capture is
    kept, after the time the session was first seen in this run."""

    def __init__(self, root: Path, journal: JournalLink | None = None, clock=time.time):
        self.root = Path(root)
        self.journal = journal or JournalLink()
        self.clock = clock
        self._folders: dict = {}

    def session(self) -> tuple[object, Path]:
        """(the journal's session id, its folder). Control thread: the session id is the UI's."""
        sid = self.journal.session_id()
        if sid not in self._folders:
            name = time.strftime(SESSION_FOLDER, time.localtime(self.clock()))
            folder, n = self.root / name, 1
            while folder.exists() and folder not in self._folders.values():
                n += 1
                folder = self.root / f"{name}-{n}"
            self._folders[sid] = folder
        return sid, self._folders[sid]

    def shown(self) -> str:
        """This session as the LISTEN page names it ("12-04 21:40")."""
        return session_label(self.session()[1].name)

    def file_for(self, stem: str = "", session: tuple | None = None) -> tuple[object, Path]:
        """(session id, a new FLAC path in the session's folder), named by the time now.
        `session`: (id, folder) as session() gave it on the control thread (from a worker)."""
        sid, folder = session if session is not None else self.session()
        base = stem + time.strftime("%H%M-%S", time.localtime(self.clock()))
        path, n = folder / f"{base}.flac", 1
        while path.exists():
            n += 1
            path = folder / f"{base}-{n}.flac"
        return sid, path

    def sample_name(self) -> str:
        """A capture's name in a project's samples/: `capture-1204-2152-03.wav`."""
        return time.strftime("capture-%m%d-%H%M-%S.wav", time.localtime(self.clock()))

    def listing(self) -> tuple[LoggedCapture, ...]:
        """Every capture of the last SESSIONS_LISTED sessions, newest first (worker thread)."""
        import soundfile as sf

        if not self.root.is_dir():
            return ()
        out = []
        folders = sorted((p for p in self.root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
        for folder in folders[:SESSIONS_LISTED]:
            shown = session_label(folder.name)
            for f in sorted(folder.glob("*.flac"), key=lambda p: clock_label(p.stem), reverse=True):
                try:
                    info = sf.info(str(f))
                except (OSError, RuntimeError, sf.LibsndfileError):
                    continue
                kind = "recording" if f.name.startswith("session-") else "audio"
                out.append(LoggedCapture(str(f), shown, clock_label(f.stem), info.frames / info.samplerate, kind))
        return tuple(out)


def session_label(folder: str) -> str:
    """"2025-12-04_2140" -> "12-04 21:40"; another name as it is."""
    try:
        t = time.strptime(folder[:15], SESSION_FOLDER)
    except ValueError:
        return folder
    return time.strftime("%m-%d %H:%M", t)


def clock_label(stem: str) -> str:
    """"2152-03" -> "21:52:03"; "session-2140-12" -> "21:40:12"."""
    digits = "".join(ch for ch in stem.removeprefix("session-")[:7] if ch.isdigit())
    if len(digits) < 6:
        return stem
    return f"{digits[:2]}:{digits[2:4]}:{digits[4:6]}"


def read_for_listening(path: Path, rate: int, max_s: float) -> np.ndarray:
    """The first `max_s` seconds of a capture as (n, 2) float32 at `rate` (worker thread)."""
    import soundfile as sf
    import soxr

    try:
        with sf.SoundFile(str(path)) as f:
            data = f.read(frames=int(max_s * f.samplerate), dtype="float32", always_2d=True)
            source_rate = f.samplerate
    except (OSError, RuntimeError, sf.LibsndfileError) as exc:
        raise UserError(f"{Path(path).name} does not play ({exc})") from None
    if len(data) == 0:
        raise UserError(f"{Path(path).name} is empty")
    if data.shape[1] != 2:
        data = np.repeat(data[:, :1], 2, axis=1)
    if source_rate != rate:
        data = soxr.resample(data, source_rate, rate).astype(np.float32)
    return np.ascontiguousarray(data)


@dataclass(frozen=True)
class KeptAudio:
    log_path: Path                  # the FLAC in the audio log
    sample_path: Path | None        # the WAV in the project's samples/, None: the project has no folder
    first_frame: int                # the engine frame of its first frame (frame 0 = the first rendered)
    frames: int
    rate: int
    lost_frames: int                # frames the ring no longer held when copied (0 normally)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


def read_last(engine, end: int, frames: int) -> tuple[int, np.ndarray]:
    """(first frame, frames) of the ring's [end - frames, end) that are whole now."""
    return engine.capture_copy(max(0, end - frames), end)


def trimmed(first: int, data: np.ndarray) -> tuple[int, np.ndarray]:
    """Without the near-silence before the first sound and after the last."""
    loud = np.flatnonzero(np.max(np.abs(data), axis=1) > SILENCE) if len(data) else np.zeros(0, int)
    if len(loud) == 0:
        return first, data[:0]
    return first + int(loud[0]), data[loud[0]:loud[-1] + 1]


def _new_file(path: Path) -> Path:
    n = 1
    stem = path.stem
    while path.exists():
        n += 1
        path = path.with_name(f"{stem}-{n}{path.suffix}")
    return path


def free_bytes(folder: Path) -> int:
    """Free space where `folder` is (or would be made)."""
    p = Path(folder)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return shutil.disk_usage(p).free
    except OSError:
        return 0


def keep_audio(engine, end: int, frames: int, rate: int, log: AudioLog, samples: Path | None,
               min_free: int, session: tuple | None = None) -> KeptAudio:
    """The worker's part of one press: the last `frames` frames before engine frame `end`,
    trimmed, as a FLAC in the log and a float WAV in `samples` (a project's samples/ folder,
    or None), in `session` ((id, folder) read on the control thread at the press). UserError
    (nothing written) when they were silent or the disk is too full."""
    wanted = max(0, end - frames)
    first, data = read_last(engine, end, frames)
    start, data = trimmed(first, data)
    if len(data) == 0:
        raise UserError(f"nothing to keep: the last {frames / rate:.0f} s were silent")
    sid, log_path = log.file_for(session=session)
    sample_path = None if samples is None else _new_file(Path(samples) / log.sample_name())
    need = len(data) * (FLAC_BYTES_PER_FRAME + (WAV_BYTES_PER_FRAME if samples is not None else 0))
    free = min(free_bytes(log.root), free_bytes(samples) if samples is not None else free_bytes(log.root))
    if free - need < min_free:
        raise UserError(f"not kept: {free / 2**20:.1f} MB free on the disk "
                        f"(capture.min_free_mb = {min_free // 2**20})")
    write_audio(log_path, data, rate)
    if sample_path is not None:
        try:
            write_audio(sample_path, data, rate)
        except UserError as exc:
            log_path.unlink(missing_ok=True)
            raise exc
    kept = KeptAudio(log_path, sample_path, start, len(data), rate, first - wanted)
    log.journal.add_capture(sid, "audio", log_path, kept.seconds)
    return kept
