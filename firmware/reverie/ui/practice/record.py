"""A session as the journal keeps it: one row of the journal's `sessions` table
(docs/journal.md names every column). Frozen, so a write carries the session as it was."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime


@dataclass(frozen=True)
class SessionRecord:
    id: str                             # "20250301-201103-3fa2": local start time and 4 random hex digits
    started_at: str                     # ISO 8601, local time with its UTC offset
    ended_at: str | None = None         # None while the session is open
    seconds: float = 0.0                # start to the last input (or the sequencer playing)
    end_reason: str | None = None       # "idle", "done", "power", "stop"; None while open
    mood_before: int | None = None      # 1..10, None: not asked or skipped
    mood_after: int | None = None
    intention: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    projects: tuple[str, ...] = ()      # in the order they were played
    patterns: tuple[str, ...] = ()      # patterns the sequencer played
    sounds: tuple[str, ...] = ()        # sounds heard: pads and keys played, tracks with trigs played
    notes_played: int = 0               # pad hits and keyboard notes
    tempo_min: float | None = None      # while the sequencer played
    tempo_max: float | None = None
    checkins: bool = True               # whether the prompts were on


COLUMNS = tuple(f.name for f in fields(SessionRecord))
LISTS = ("tags", "projects", "patterns", "sounds")


def iso_local(wall_s: float) -> str:
    """Unix time as local ISO 8601 with the offset: "2025-03-01T20:11:03+01:00"."""
    return datetime.fromtimestamp(wall_s).astimezone().isoformat(timespec="seconds")


def session_id(wall_s: float, suffix: str) -> str:
    return f"{datetime.fromtimestamp(wall_s):%Y%m%d-%H%M%S}-{suffix}"
