"""Capture, as the UI sees it: what one press keeps, what it asks of the box, and what the
box says back about the audio log.

FUNC+REC keeps the audio: the last seconds the box played (the audio ring, docs/capture.md)
become a sample in the project and a FLAC in this session's audio log. FUNC+PATTERN keeps
the notes: the last bars played on the pads, a keyboard or a controller become a new
pattern (undoable; when the sequencer was stopped the tempo is read from the playing). The
LISTEN page lists the audio log and plays a capture back. The app's capture
(control/capture.py) carries out these effects and fills Status.capture.
"""
from __future__ import annotations

from dataclasses import dataclass

KEEP_AUDIO_KEY = "REC"          # with FUNC held
KEEP_NOTES_KEY = "PATTERN"      # with FUNC held


@dataclass(frozen=True, slots=True)
class KeepAudio:
    """Keep the last seconds of the output: a sample in the project, a FLAC in the log."""


@dataclass(frozen=True, slots=True)
class KeepNotes:
    """Turn the notes played lately into a new pattern."""


@dataclass(frozen=True, slots=True)
class ListCaptures:
    """Read the audio log (this session's and earlier ones) into Status.capture.log."""


@dataclass(frozen=True, slots=True)
class PlayCapture:
    """Play a capture of the audio log back through the engine's preview."""
    path: str


@dataclass(frozen=True, slots=True)
class StopCapture:
    """Stop the capture playing back."""


@dataclass(frozen=True)
class LoggedCapture:
    path: str                   # the file in the audio log
    session: str                # its session, as shown: "12-04 21:40"
    when: str                   # its time of day: "21:52:03"
    seconds: float
    kind: str = "audio"         # "audio" (one press) or "recording" (the whole session)


@dataclass(frozen=True)
class CaptureStatus:
    enabled: bool = False               # the rings run ([capture] enabled)
    ring_s: int = 0                     # what FUNC+REC keeps, at most
    log: tuple[LoggedCapture, ...] | None = None   # the audio log, newest first; None: not read
    session: str = ""                   # this session, as shown in the log
    playing: str = ""                   # the capture playing back, "" when none
    played_s: float = 0.0
    recording: bool = False             # the whole session is being recorded
    recorded_s: float = 0.0
    note: str = ""                      # why the session recording stopped, or ""


def key(ctx, name: str) -> list | None:
    """FUNC + a key: the capture's effects, or None when the key is not one of them."""
    if name == KEEP_AUDIO_KEY:
        ctx.message = "keeping what you played…"
        return [KeepAudio()]
    if name == KEEP_NOTES_KEY:
        return [KeepNotes()]
    return None
