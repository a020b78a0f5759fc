"""`reverie journal`: the list, --json and --csv (one row per session, the documented
columns) and --plot (a PNG with the two charts), on a journal the box would write."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from PIL import Image

from reverie.app.cli import main
from reverie.app.journal_export import EXPORT_COLUMNS
from reverie.app.journal_plot import AFTER_COLOR, BAR_COLOR, BEFORE_COLOR, plot_journal, weekly_minutes
from reverie.control.journal import Journal
from reverie.ui.practice.record import SessionRecord

SESSIONS = [
    SessionRecord(id="20250217-193000-aaaa", started_at="2025-02-17T19:30:00+01:00",
                  ended_at="2025-02-17T20:10:00+01:00", seconds=2400.0, end_reason="done", mood_before=3,
                  mood_after=6, intention="focus", tags=("calm", "stuck"), note="bass line, finally",
                  projects=("Night-bus",), patterns=("A01", "A02"), sounds=("factory:kick", "factory:bass"),
                  notes_played=310, tempo_min=92.0, tempo_max=96.0),
    SessionRecord(id="20250220-081500-bbbb", started_at="2025-02-20T08:15:00+01:00",
                  ended_at="2025-02-20T08:27:00+01:00", seconds=720.0, end_reason="idle",
                  projects=("Sketch",), notes_played=55, checkins=False),
    SessionRecord(id="20250303-210000-cccc", started_at="2025-03-03T21:00:00+01:00",
                  ended_at="2025-03-03T21:45:30+01:00", seconds=2730.0, end_reason="power", mood_before=5,
                  mood_after=4, tags=("tired",), projects=("Night-bus", "Demo-groove"), notes_played=800,
                  tempo_min=120.0, tempo_max=120.0),
]


@pytest.fixture
def data(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite")
    for r in SESSIONS:
        journal.write(r)
    journal.add_capture(SESSIONS[0].id, "audio", tmp_path / "recordings" / "idea-1.flac", 9.5)
    journal.add_capture(SESSIONS[0].id, "notes", "projects/Night-bus", 4.0)
    journal.close()
    return tmp_path


def run(capsys, *args):
    code = main(["journal", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_list_is_one_line_a_session(data, capsys):
    code, out, err = run(capsys, "--data-dir", str(data))
    lines = out.splitlines()
    assert code == 0 and err == "" and len(lines) == 3
    assert lines[0] == ('2025-02-17 19:30     40 min  mood 3->6  "focus"  calm, stuck  310 notes  Night-bus  '
                        '2 captures  - bass line, finally')
    assert lines[1] == "2025-02-20 08:15     12 min  55 notes  Sketch"


def test_json_is_one_object_a_session_with_the_documented_columns(data, capsys):
    code, out, _ = run(capsys, "--data-dir", str(data), "--json")
    rows = json.loads(out)
    assert code == 0 and [tuple(r) for r in rows] == [EXPORT_COLUMNS] * 3
    first = rows[0]
    assert first["minutes"] == 40.0 and first["mood_change"] == 3 and first["tags"] == ["calm", "stuck"]
    assert first["captures"] == [{"kind": "audio", "path": "recordings/idea-1.flac", "seconds": 9.5},
                                 {"kind": "notes", "path": "projects/Night-bus", "seconds": 4.0}]
    assert rows[1]["mood_before"] is None and rows[1]["checkins"] is False and rows[2]["mood_change"] == -1


def test_csv_has_a_header_and_one_row_a_session(data, tmp_path, capsys):
    target = tmp_path / "out.csv"
    code, out, _ = run(capsys, "--data-dir", str(data), "--csv", str(target))
    assert code == 0 and out == f"3 sessions: wrote {target}\n"
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0] == list(EXPORT_COLUMNS) and len(rows) == 4
    first = dict(zip(rows[0], rows[1]))
    assert first == {"id": "20250217-193000-aaaa", "started_at": "2025-02-17T19:30:00+01:00",
                     "ended_at": "2025-02-17T20:10:00+01:00", "minutes": "40.0", "end_reason": "done",
                     "mood_before": "3", "mood_after": "6", "mood_change": "3", "intention": "focus",
                     "tags": "calm; stuck", "note": "bass line, finally", "projects": "Night-bus",
                     "patterns": "A01; A02", "sounds": "factory:kick; factory:bass", "notes_played": "310",
                     "tempo_min": "92.0", "tempo_max": "96.0",
                     "captures": "recordings/idea-1.flac; projects/Night-bus", "checkins": "true"}
    second = dict(zip(rows[0], rows[2]))
    assert (second["mood_before"], second["mood_change"], second["checkins"]) == ("", "", "false")


def color_pixels(image: np.ndarray, hex_color: str) -> np.ndarray:
    want = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    return np.all(np.abs(image[:, :, :3].astype(int) - want) <= 8, axis=2)


def test_the_plot_is_a_png_with_the_moods_above_and_the_weekly_minutes_below(data, tmp_path, capsys):
    target = tmp_path / "journal.png"
    code, out, _ = run(capsys, "--data-dir", str(data), "--plot", str(target))
    assert code == 0 and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = np.asarray(Image.open(target).convert("RGB"))
    assert image.shape == (600, 800, 3)
    top, bottom = image[:300], image[300:]
    for color in (BEFORE_COLOR, AFTER_COLOR):       # the mood lines: in the upper chart only
        assert color_pixels(top, color).sum() > 50 and color_pixels(bottom, color).sum() == 0
    assert color_pixels(bottom, BAR_COLOR).sum() > 500 and color_pixels(top, BAR_COLOR).sum() == 0


def test_what_the_plot_draws(tmp_path):
    plotted = plot_journal(SESSIONS, tmp_path / "p.png")
    assert [(b, a) for _, b, a in plotted.moods] == [(3, 6), (None, None), (5, 4)]
    assert [(str(m), v) for m, v in plotted.weeks] == [("2025-02-17", 52.0), ("2025-02-24", 0.0),
                                                      ("2025-03-03", 45.5)]
    assert weekly_minutes([]) == []


def test_an_empty_or_missing_journal_and_bad_arguments(tmp_path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path))
    assert code == 0 and out.startswith("no sessions yet")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--json")
    assert json.loads(out) == []
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "--plot", str(tmp_path / "x.png"))
    assert code == 1 and err == "reverie journal: no sessions in the journal yet: nothing to plot\n"
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "nowhere"))
    assert code == 1 and "no such data directory" in err and "Traceback" not in err
    assert not (tmp_path / "journal.sqlite").exists()
