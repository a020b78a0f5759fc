"""The session state machine. A session starts at power on, or at the first input after the
last one ended; it ends after `idle_s` with no input while the sequencer is stopped (its end
is then the last input, so the wait is not counted), with the "done" action, the power key or
the box stopping. Times are monotonic seconds (the events' `t`, the control tick's `now`);
wall-clock time comes from `wall()` for the journal's dates.

    clock = SessionClock(idle_s=1200)
    clock.start(now, wall)              # power on
    clock.activity(t)                   # any input: starts a session when none is open
    ended = clock.tick(now, playing)    # the idle end, or None
    ended = clock.end(now, "done")
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from reverie.ui.practice.record import SessionRecord, iso_local, session_id


@dataclass
class Session:
    """One session while it is open (and while its check-out is answered)."""
    id: str
    started: float                      # monotonic s
    started_wall: float                 # Unix s
    last_activity: float
    checkins: bool = True
    touched: bool = False               # any input or playing since it started: worth keeping
    ended: float | None = None
    ended_wall: float | None = None
    end_reason: str | None = None
    mood_before: int | None = None
    mood_after: int | None = None
    intention: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    projects: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    sounds: list[str] = field(default_factory=list)
    notes_played: int = 0
    tempo_min: float | None = None
    tempo_max: float | None = None

    @property
    def open(self) -> bool:
        return self.ended is None

    @property
    def kept(self) -> bool:
        """Worth a row in the journal: something was played or answered, or a minute passed
        with hands on the box (a few key presses on the way to switching off are not a session)."""
        return self.touched and (self.notes_played > 0 or bool(self.patterns) or self.mood_before is not None
                                 or bool(self.intention) or self.seconds >= 60.0)

    @property
    def seconds(self) -> float:
        return max(0.0, (self.ended if self.ended is not None else self.last_activity) - self.started)

    def record(self) -> SessionRecord:
        return SessionRecord(
            id=self.id, started_at=iso_local(self.started_wall),
            ended_at=None if self.ended_wall is None else iso_local(self.ended_wall),
            seconds=round(self.seconds, 1), end_reason=self.end_reason, mood_before=self.mood_before,
            mood_after=self.mood_after, intention=self.intention, tags=tuple(self.tags), note=self.note,
            projects=tuple(self.projects), patterns=tuple(self.patterns), sounds=tuple(self.sounds),
            notes_played=self.notes_played, tempo_min=self.tempo_min, tempo_max=self.tempo_max,
            checkins=self.checkins)

    def add(self, kind: str, value: str) -> None:
        """Adds a project, pattern or sound once, in the order first met."""
        items = getattr(self, kind)
        if value and value not in items:
            items.append(value)

    def tempo(self, bpm: float) -> None:
        self.tempo_min = bpm if self.tempo_min is None else min(self.tempo_min, bpm)
        self.tempo_max = bpm if self.tempo_max is None else max(self.tempo_max, bpm)


class SessionClock:
    def __init__(self, idle_s: float, checkins: bool = True):
        self.idle_s = float(idle_s)
        self.checkins = checkins
        self.session: Session | None = None      # the open one

    @property
    def open(self) -> bool:
        return self.session is not None

    def start(self, now: float, wall: float) -> Session:
        """A new session at `now` (the one open, if any, must have ended)."""
        sid = session_id(wall, secrets.token_hex(2))
        self.session = Session(sid, now, wall, now, checkins=self.checkins)
        return self.session

    def activity(self, t: float, wall: float) -> Session | None:
        """An input at `t`: the open session goes on; with none open a new one starts,
        returned (the caller offers the check-in)."""
        if self.session is None:
            session = self.start(t, wall)
            session.touched = True
            return session
        self.session.last_activity = max(self.session.last_activity, t)
        self.session.touched = True
        return None

    def tick(self, now: float, playing: bool, wall: float) -> Session | None:
        """Each control tick. The sequencer playing is activity; the session that ends by
        idleness now is returned, ended at its last activity."""
        s = self.session
        if s is None:
            return None
        if playing:
            s.last_activity = max(s.last_activity, now)
            s.touched = True
            return None
        if now - s.last_activity >= self.idle_s:
            return self.end(s.last_activity, "idle", wall - (now - s.last_activity))
        return None

    def end(self, t: float, reason: str, wall: float) -> Session | None:
        """Ends the open session at `t` (None when none is open)."""
        s = self.session
        if s is None:
            return None
        s.ended, s.ended_wall, s.end_reason = max(t, s.started), wall, reason
        self.session = None
        return s

