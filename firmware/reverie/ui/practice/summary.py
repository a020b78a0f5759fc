"""What the journal page shows, from the journal's sessions: this week's minutes, the mood
change of the last sessions, and a streak that forgives rest days: the weeks in a row with at
least one session (a week with none yet still counts while it is not over), and the days
played in the last seven. Nothing here ever counts what was missed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reverie.ui.practice.record import SessionRecord

CHART_SESSIONS = 12


@dataclass(frozen=True)
class JournalSummary:
    sessions: int = 0
    week_minutes: int = 0
    weeks_running: int = 0
    days_last7: int = 0
    changes: tuple[int | None, ...] = ()   # mood after - before, oldest first; None: not both answered
    failed: str = ""                       # the journal could not be read: why


def _day(record: SessionRecord) -> date | None:
    try:
        return datetime.fromisoformat(record.started_at).date()
    except (TypeError, ValueError):
        return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def summarize(records, today: date) -> JournalSummary:
    """`records`: the journal's sessions (any order); `today`: the box's local date."""
    dated = sorted(((d, r) for r in records if (d := _day(r)) is not None), key=lambda p: p[1].started_at)
    week = _monday(today)
    minutes = sum(r.seconds for d, r in dated if week <= d <= today) / 60.0
    days = {d for d, _ in dated if today - timedelta(days=6) <= d <= today}
    weeks = {_monday(d) for d, _ in dated}
    running, monday = 0, week if week in weeks else week - timedelta(weeks=1)
    while monday in weeks:
        running += 1
        monday -= timedelta(weeks=1)
    changes = tuple(None if r.mood_before is None or r.mood_after is None else r.mood_after - r.mood_before
                    for _, r in dated[-CHART_SESSIONS:])
    return JournalSummary(len(dated), int(round(minutes)), running, len(days), changes)
