"""The journal page and its summary: this week's minutes, the weeks in a row and the days
of the last seven (rest days forgiven), the mood change of the last sessions. Golden:
tests/ui/golden/journal*.png."""
from datetime import date, timedelta

from reverie.ui.draw import render
from reverie.ui.pages.journal import JournalView
from reverie.ui.practice.effects import EndSession, ReadJournal
from reverie.ui.practice.record import SessionRecord
from reverie.ui.practice.summary import CHART_SESSIONS, JournalSummary, summarize

from golden import assert_golden
from scenes import press, ui

TODAY = date(2025, 3, 6)            # a Thursday


def session(day: date, minutes: float, before=None, after=None, hour=20) -> SessionRecord:
    return SessionRecord(id=f"{day}-{hour}", started_at=f"{day.isoformat()}T{hour:02d}:00:00+01:00",
                         seconds=minutes * 60, mood_before=before, mood_after=after)


def test_this_weeks_minutes_count_from_monday():
    monday = TODAY - timedelta(days=TODAY.weekday())
    s = summarize([session(monday, 30), session(TODAY, 17.5), session(monday - timedelta(days=1), 99)], TODAY)
    assert s.week_minutes == 48 and s.sessions == 3


def test_the_streak_counts_weeks_and_forgives_rest_days():
    weeks = [TODAY - timedelta(weeks=k, days=2) for k in (1, 2, 3)]       # none yet this week
    s = summarize([session(d, 10) for d in weeks], TODAY)
    assert s.weeks_running == 3                      # this week is not over: it breaks nothing
    s = summarize([session(d, 10) for d in weeks + [TODAY]], TODAY)
    assert s.weeks_running == 4
    gap = [TODAY - timedelta(weeks=3)]
    assert summarize([session(d, 10) for d in gap], TODAY).weeks_running == 0


def test_days_played_in_the_last_seven():
    days = [TODAY, TODAY, TODAY - timedelta(days=2), TODAY - timedelta(days=6), TODAY - timedelta(days=7)]
    assert summarize([session(d, 5, hour=10 + i) for i, d in enumerate(days)], TODAY).days_last7 == 3


def test_the_mood_changes_of_the_last_sessions_oldest_first():
    records = [session(TODAY - timedelta(days=20 - k), 10, 4, 4 + k % 5) for k in range(20)]
    records.append(session(TODAY, 5, 6, None))
    s = summarize(records, TODAY)
    assert len(s.changes) == CHART_SESSIONS and s.changes[-1] is None and s.changes[-2] == 19 % 5


def test_the_page_reads_the_journal_when_it_opens_and_done_ends_the_session():
    u = ui()
    assert u.open_page("JOURNAL") == [ReadJournal()]
    assert u.view().body == JournalView(None)
    assert press(u, "ENC1") == [EndSession()]        # no practice layer on: the page's effect


def test_golden_journal_page():
    u = ui()
    u.open_page("JOURNAL")
    assert_golden(render(u.view()), "journal-reading")
    u.context.journal = JournalSummary(sessions=23, week_minutes=47, weeks_running=3, days_last7=4,
                                       changes=(2, 3, -1, 0, None, 4, 1, 2, -2, 5, 1, 3))
    assert_golden(render(u.view()), "journal")
    u.context.journal = JournalSummary()
    assert_golden(render(u.view()), "journal-empty")
