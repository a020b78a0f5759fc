"""What the box is doing, as the UI sees it: a snapshot the control thread builds from the
engine's telemetry and the subsystems each tick (reverie/control.py). Frozen and
comparable, so an unchanged status changes no view."""
from __future__ import annotations

from dataclasses import dataclass, field

from reverie.ui.capture import CaptureStatus


@dataclass(frozen=True)
class AudioStatus:
    """The audio output's health: what plays, and the gaps (the supervisor's telemetry)."""
    output: str = ""                     # the device, or the fallback clock
    silent: bool = False                 # no device plays: the engine runs on the fallback clock
    losses: int = 0                      # devices lost since start
    last_loss_unix: float = 0.0          # when the last was lost (Unix time), 0: never
    fallback_frames: int = 0             # frames rendered on the fallback clock since start


@dataclass(frozen=True)
class Status:
    playing: bool = False
    tempo_bpm: float = 120.0
    pattern: str = "A01"                 # the pattern playing (or cued to play)
    queued: str = ""                     # the pattern queued next, "" when none
    steps: tuple[int, ...] = (-1,) * 16  # each track's step now playing, -1 when stopped
    song_row: int = -1
    voices: int = 0
    dsp_load: float = 0.0                # callback time / period, 0..1 (peak over the last second)
    xruns: int = 0
    meters: tuple[float, ...] = (0.0,) * 16   # each track's peak, linear 0..1+
    midi_devices: tuple[str, ...] = ()
    ip_address: str = ""                 # "" when not connected
    recording: bool = False              # the always-on capture or a take is being written
    message: str = ""                    # a one-line notice from the box (saved, load failed…)
    samples: tuple[str, ...] = field(default=())   # sample references the browser can offer
    projects: tuple[str, ...] = field(default=())  # project names the project page can offer
    saved_as: str = ""                   # the loaded project's name among `projects`, "" = none yet
    saved_revision: int = -1             # History.revision when it was last loaded or saved
    version: str = ""                    # the firmware's version, e.g. "0.1.0"
    uptime_s: float = 0.0                # seconds since the box started
    audio: AudioStatus = field(default_factory=AudioStatus)
    capture: CaptureStatus = field(default_factory=CaptureStatus)   # the audio log, listening back
