"""The journal as `reverie journal` shows and exports it: one line per session, and one row
per session with the columns of EXPORT_COLUMNS (docs/journal.md says what each holds)."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from reverie.ui.practice.record import SessionRecord

EXPORT_COLUMNS = ("id", "started_at", "ended_at", "minutes", "end_reason", "mood_before", "mood_after",
                  "mood_change", "intention", "tags", "note", "projects", "patterns", "sounds",
                  "notes_played", "tempo_min", "tempo_max", "captures", "checkins")
CSV_JOIN = "; "


def export_row(r: SessionRecord, captures: list[dict]) -> dict:
    """One session as a dict of EXPORT_COLUMNS; lists stay lists (CSV joins them)."""
    change = None if r.mood_before is None or r.mood_after is None else r.mood_after - r.mood_before
    return {"id": r.id, "started_at": r.started_at, "ended_at": r.ended_at,
            "minutes": round(r.seconds / 60.0, 1), "end_reason": r.end_reason,
            "mood_before": r.mood_before, "mood_after": r.mood_after, "mood_change": change,
            "intention": r.intention, "tags": list(r.tags), "note": r.note, "projects": list(r.projects),
            "patterns": list(r.patterns), "sounds": list(r.sounds), "notes_played": r.notes_played,
            "tempo_min": r.tempo_min, "tempo_max": r.tempo_max,
            "captures": [{"kind": c["kind"], "path": c["path"], "seconds": c["seconds"]} for c in captures],
            "checkins": r.checkins}


def csv_text(rows: list[dict]) -> str:
    """The rows as CSV with a header: lists joined by "; ", captures by their paths, an
    unknown value empty, true/false for checkins."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        cells = []
        for name in EXPORT_COLUMNS:
            value = row[name]
            if name == "captures":
                value = CSV_JOIN.join(c["path"] for c in value)
            elif isinstance(value, list):
                value = CSV_JOIN.join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return out.getvalue()


def line(r: SessionRecord, captures: int = 0) -> str:
    """"2025-03-01 20:11   38 min  mood 4->7  focus  calm, happy  412 notes  Night-bus"."""
    try:
        when = datetime.fromisoformat(r.started_at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = r.started_at[:16]
    parts = [when, f"{r.seconds / 60:5.0f} min"]
    if r.mood_before is not None or r.mood_after is not None:
        show = lambda m: "-" if m is None else str(m)   # noqa: E731
        parts.append(f"mood {show(r.mood_before)}->{show(r.mood_after)}")
    if r.intention:
        parts.append(f'"{r.intention}"')
    if r.tags:
        parts.append(", ".join(r.tags))
    parts.append(f"{r.notes_played} notes")
    if r.projects:
        parts.append(" ".join(r.projects))
    if captures:
        parts.append(f"{captures} capture{'s' * (captures != 1)}")
    if r.ended_at is None:
        parts.append("(open)")
    if r.note:
        parts.append(f"- {r.note}")
    return "  ".join(parts)
