"""`reverie journal --plot FILE.png`: two charts, one above the other: the mood before and
after each session over time (1-10), and the minutes played in each week (Monday to Sunday).
matplotlib on its Agg backend (no display needed); the file is written atomically."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_path
from reverie.ui.practice.record import SessionRecord

BEFORE_COLOR, AFTER_COLOR, BAR_COLOR = "#1f5fbf", "#e07a10", "#3a9a5a"
SIZE_IN, DPI = (8.0, 6.0), 100


@dataclass(frozen=True)
class Plotted:
    """What went into the charts (the tests compare it with the journal)."""
    moods: tuple[tuple[str, int | None, int | None], ...]   # (started_at, before, after)
    weeks: tuple[tuple[date, float], ...]                     # (Monday, minutes)


def weekly_minutes(records: list[SessionRecord]) -> list[tuple[date, float]]:
    """Minutes per week, every week from the first session's to the last's (empty weeks 0)."""
    totals: dict[date, float] = {}
    for r in records:
        day = datetime.fromisoformat(r.started_at).date()
        monday = day - timedelta(days=day.weekday())
        totals[monday] = totals.get(monday, 0.0) + r.seconds / 60.0
    if not totals:
        return []
    weeks, monday = [], min(totals)
    while monday <= max(totals):
        weeks.append((monday, round(totals.get(monday, 0.0), 1)))
        monday += timedelta(weeks=1)
    return weeks


def plot_journal(records: list[SessionRecord], path: Path) -> Plotted:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not records:
        raise UserError("no sessions in the journal yet: nothing to plot")
    if path.suffix.lower() != ".png":
        raise UserError(f"{path}: the plot is a PNG file (name it something.png)")
    times = [datetime.fromisoformat(r.started_at) for r in records]
    before = [r.mood_before for r in records]
    after = [r.mood_after for r in records]
    weeks = weekly_minutes(records)

    fig = Figure(figsize=SIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    mood_ax, week_ax = fig.subplots(2, 1, sharex=True)       # one time axis: the dates line up
    for values, color, label in ((before, BEFORE_COLOR, "before"), (after, AFTER_COLOR, "after")):
        points = [(t, v) for t, v in zip(times, values) if v is not None]
        if points:
            mood_ax.plot([t for t, _ in points], [v for _, v in points], "o-", color=color, label=label)
    mood_ax.set_ylim(0.5, 10.5)
    mood_ax.set_yticks(range(1, 11))
    mood_ax.set_ylabel("mood (1-10)")
    mood_ax.set_title("How you felt, before and after each session")
    mood_ax.grid(True, alpha=0.3)
    if any(v is not None for v in before + after):
        mood_ax.legend(loc="lower left")
    week_ax.bar([m for m, _ in weeks], [v for _, v in weeks], width=5, color=BAR_COLOR, align="edge")
    week_ax.set_ylabel("minutes")
    week_ax.set_title("Minutes played each week")
    week_ax.grid(True, axis="y", alpha=0.3)
    fig.autofmt_xdate()
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    except OSError as exc:
        raise UserError(f"{path}: cannot write the plot ({exc.strerror or exc})") from None
    return Plotted(tuple((r.started_at, r.mood_before, r.mood_after) for r in records), tuple(weeks))
