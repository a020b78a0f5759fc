"""The audio output as a supervised part: the engine never stops, whatever the device does.

The engine sits behind a render gate (render_gate.pyx) with two drivers: the device (a
PortAudio stream or Reverie's JACK client) and the fallback clock (clock.py). Exactly one
renders. A thread of its own, every POLL_S:

- while a device plays, watches it: a device that reports a failure (JACK shut the client
  down, PortAudio's stream went inactive) or whose callbacks stop for STALL_S is lost. The
  fallback clock takes the engine at once, from the device's last callback on, and the
  device is closed. One notice: "audio device lost: … — playing on silently".
- while none plays (lost, or none at start), tries to open it again every RETRY_S. For
  PortAudio that means re-initialising it, which is only done when the kernel's list of
  sound cards changed or RESCAN_S passed (a re-initialisation probes every ALSA device).
  A device that opens and calls back is given the engine and the fallback clock stops:
  audio is back within about a second of the device.

With `record` set, what the engine plays while no device does goes to a capped recording
(recording.py). `health()` is the telemetry: what plays, how many losses, when the last
was, how many frames the fallback clock rendered. `take_notices()` hands the one-line
notices to the control thread.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.hal.audio.clock import FallbackClock
from reverie.hal.audio.output import AudioSettings, NoAudioDevice, open_output, rescan_devices
from reverie.hal.audio.recording import RecordBudget, Recording

log = logging.getLogger(__name__)

POLL_S = 0.05
RETRY_S = 1.0
RESCAN_S = 10.0
STALL_S = 0.5
FIRST_CALLBACK_S = 2.0
SOUND_CARDS = Path("/proc/asound/cards")
SILENTLY = "playing on silently"


@dataclass(frozen=True)
class RecordSettings:
    """Where and how much to record while no device plays; `folder` None: never."""
    folder: Path | None = None
    max_bytes: int = 0


@dataclass(frozen=True)
class AudioHealth:
    output: str = ""                 # what plays: the device, or the fallback clock
    silent: bool = False             # no device plays: the fallback clock runs the engine
    losses: int = 0                  # devices lost since start
    last_loss_unix: float = 0.0      # when the last was lost (time.time()), 0: never
    fallback_frames: int = 0         # frames the fallback clock rendered since start
    recording: str = ""              # the file being recorded, "" when none


def sound_cards(path: Path = SOUND_CARDS) -> str:
    """The kernel's list of sound cards ("" where there is none to read)."""
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


class AudioSupervisor:
    def __init__(self, engine, settings: AudioSettings, record: RecordSettings = RecordSettings(),
                 opener=open_output, *, poll_s: float = POLL_S, retry_s: float = RETRY_S,
                 rescan_s: float = RESCAN_S, stall_s: float = STALL_S,
                 first_callback_s: float = FIRST_CALLBACK_S, cards=sound_cards,
                 rescan=rescan_devices):
        """`opener(slot, settings, quiet=)` opens the device (open_output; tests give a fake);
        `cards()` reads the sound card list that decides when `rescan()` re-initialises
        PortAudio."""
        from reverie.hal.audio.render_gate import RenderGate

        settings.validate()
        self.engine = engine
        self.settings = settings
        self.gate = RenderGate(engine)
        self.clock = FallbackClock(self.gate.slot("fallback clock"), settings.period_frames,
                                   settings.sample_rate_hz)
        self.record = record
        self._budget = RecordBudget(record.max_bytes) if record.folder and record.max_bytes > 0 else None
        self._open = opener
        self.poll_s, self.retry_s, self.rescan_s = poll_s, retry_s, rescan_s
        self.stall_s, self.first_callback_s = stall_s, first_callback_s
        self._cards, self._rescan_devices = cards, rescan
        self.device = None
        self._slot = None                   # the device's gate slot
        self._calls = 0                     # its callbacks at the last look, and when they moved
        self._moved = 0.0
        self.recording: Recording | None = None
        self._recording_told = False
        self.losses = 0
        self.last_loss_unix = 0.0
        self._silent_since: float | None = None     # monotonic
        self._silent_frame = 0
        self._why_silent = ""
        self._next_try = 0.0
        self._cards_seen: str | None = None
        self._next_rescan = 0.0
        self.last_recovery_s: float | None = None   # device open -> it renders, the last time
        self._notices: deque[str] = deque(maxlen=16)
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._closed_as = ""

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> AudioSupervisor:
        """Plays on the device, or silently on the fallback clock; then watches."""
        if self._thread is not None:
            return self
        if self._closed:
            raise RuntimeError("the audio supervisor is closed")
        why = self._try_device(quiet=False)
        if why:
            self._go_silent(f"no audio device: {why}", lost=False)
        self._thread = threading.Thread(target=self._run, name="reverie-audio-watch", daemon=True)
        self._thread.start()
        return self

    @property
    def closed(self) -> bool:
        """True once close() ran: the device and the fallback clock are let go."""
        return self._closed

    def close(self) -> None:
        """Stops watching, closes the device, stops the clock, ends any recording."""
        if self._closed:
            return
        self._closed_as = self.description
        self._closed = True
        self._halt.set()
        if self._thread is not None:
            self._thread.join()
        self.gate.give(None)
        if self.device is not None:
            self._close_device(self.device)
            self.device = None
        self.clock.stop()
        self._end_recording()
        h = self.health()
        log.info("audio: %d lost, %d frames on the fallback clock", h.losses, h.fallback_frames,
                 extra={"audio_losses": h.losses, "fallback_frames": h.fallback_frames})

    stop = close

    @property
    def running(self) -> bool:
        return self._thread is not None and not self._closed

    @property
    def description(self) -> str:
        """What plays (once closed: what played last)."""
        if self._closed:
            return self._closed_as
        device = self.device
        return device.description if device is not None else "the fallback clock (no audio device)"

    def health(self) -> AudioHealth:
        device, recording = self.device, self.recording
        return AudioHealth(output=self.description, silent=device is None, losses=self.losses,
                           last_loss_unix=self.last_loss_unix,
                           fallback_frames=self.clock.slot.frames,
                           recording=str(recording.path) if recording and recording.recording else "")

    def take_notices(self) -> list[str]:
        """The notices since the last call, oldest first (for the control thread)."""
        out = []
        while self._notices:
            out.append(self._notices.popleft())
        return out

    def _notice(self, text: str) -> None:
        self._notices.append(text)

    # --- the watch ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._halt.wait(self.poll_s):
            try:
                self._watch(time.monotonic())
            except Exception:       # the watch must outlive any one bad look at a device
                log.exception("the audio watch failed once; it goes on")

    def _watch(self, now: float) -> None:
        if self.device is not None:
            why = self._trouble(now)
            if why:
                self._lose(why)
        elif now >= self._next_try:
            self._next_try = now + self.retry_s
            self._try_device(quiet=True)
        self._watch_recording()

    def _trouble(self, now: float) -> str:
        why = self.device.failure
        if why:
            return why
        calls = self._slot.calls
        if calls != self._calls:
            self._calls, self._moved = calls, now
        elif now - self._moved > self.stall_s:
            return f"no audio callback for {now - self._moved:.1f} s"
        return ""

    def _try_device(self, quiet: bool) -> str:
        """Opens and starts the device; once it calls back it takes the engine. Returns why
        not ("" when it plays)."""
        if not self.settings.uses_jack and self._silent_since is not None and not self._rescan():
            return self._why_silent
        slot = self.gate.slot("device")
        try:
            device = self._open(slot, self.settings, quiet=quiet)
        except (NoAudioDevice, UserError) as exc:
            return str(exc)
        except Exception as exc:    # a library failing in any way: a device that is not there
            return f"the device did not open ({exc})"
        started = time.monotonic()
        try:
            device.start()
        except Exception as exc:    # likewise
            self._close_device(device)
            return f"{device.description} did not start ({exc})"
        if not self._wait_for_callback(slot):
            self._close_device(device)
            return f"{device.description} gave no audio callback"
        self._take(device, slot, started)
        return ""

    def _rescan(self) -> bool:
        """Whether PortAudio should look again: the sound cards changed, or RESCAN_S passed.
        If so, re-initialises it (no stream is open while no device plays)."""
        cards, now = self._cards(), time.monotonic()
        if cards == self._cards_seen and now < self._next_rescan:
            return False
        self._cards_seen, self._next_rescan = cards, now + self.rescan_s
        try:
            self._rescan_devices()
        except (NoAudioDevice, OSError) as exc:
            self._why_silent = str(exc)
            return False
        return True

    def _wait_for_callback(self, slot) -> bool:
        deadline = time.monotonic() + self.first_callback_s
        while slot.calls == 0:
            if time.monotonic() > deadline or self._halt.is_set():
                return False
            time.sleep(0.002)
        return True

    def _take(self, device, slot, started: float) -> None:
        self.gate.give(slot)
        self.clock.stop()
        self._end_recording()
        self._slot = slot
        self._calls, self._moved = slot.calls, time.monotonic()
        self.device = device
        if device.realtime_note():
            log.info("%s: %s", device.description, device.realtime_note())
        if self._silent_since is None:
            log.info("audio through %s", device.description)
            return
        gap_s = time.monotonic() - self._silent_since
        self.last_recovery_s = time.monotonic() - started
        frames = self.engine.frame - self._silent_frame
        log.info("audio back through %s after %.1f s: the engine went on %d frames on the fallback clock",
                 device.description, gap_s, frames,
                 extra={"audio_gap_s": round(gap_s, 3), "gap_frames": frames,
                        "fallback_frames": self.clock.slot.frames, "audio_losses": self.losses})
        self._notice(f"audio back: {device.description}")
        self._silent_since = None

    def _lose(self, why: str) -> None:
        device = self.device
        self._go_silent(f"audio device lost: {why}", lost=True)
        self.device = None              # last: health() reads the counts before it
        self._close_device(device)

    def _go_silent(self, what: str, lost: bool) -> None:
        """The fallback clock takes the engine, from the device's last callback on."""
        frame, t_ns = self.engine.clock_anchor()
        since = t_ns / 1e9 + self.settings.period_frames / self.settings.sample_rate_hz if t_ns else None
        self.gate.give(self.clock.slot)
        self.clock.start(since, recording=self._new_recording())
        self._silent_since = time.monotonic()
        self._silent_frame = self.engine.frame
        self._why_silent = what
        self._next_try = time.monotonic() + self.retry_s
        if lost:
            self.losses += 1
            self.last_loss_unix = time.time()
        log.warning("%s — %s", what, SILENTLY,
                    extra={"audio_losses": self.losses, "frame": self._silent_frame})
        self._notice(f"{what} — {SILENTLY}")

    def _close_device(self, device) -> None:
        started = time.monotonic()
        try:
            device.close()
        except Exception as exc:    # a dead device may refuse even to close; it is let go
            log.info("closing %s: %s", device.description, exc)
        took = time.monotonic() - started
        if took > 1.0:
            log.warning("closing %s took %.1f s", device.description, took)

    # --- recording without a device -------------------------------------------------------

    def _new_recording(self) -> Recording | None:
        if self._budget is None:
            return None
        try:
            self.recording = Recording(self.record.folder, self.settings.sample_rate_hz, self._budget)
        except UserError as exc:
            self._notice(str(exc))
            log.warning("%s", exc)
            return None
        self._recording_told = False
        log.info("recording what plays without a device to %s", self.recording.path)
        return self.recording

    def _watch_recording(self) -> None:
        r = self.recording
        if r is not None and r.stopped and not self._recording_told:
            self._recording_told = True
            self._notice(r.stopped)

    def _end_recording(self) -> None:
        """Called with the clock stopped: nothing writes to the recording any more."""
        if self.recording is not None:
            self.recording.close()
            self._watch_recording()
            self.recording = None
