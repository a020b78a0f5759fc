"""The practice journal on disk: its schema and rows, a migration from an older schema, WAL,
the keeper that writes on the worker and tries again, a SIGKILL mid-session (at most the
last minute lost) and a full disk in a mount namespace (the box plays on; the journal is
written once there is room)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reverie.base.errors import UserError
from reverie.control.jobs import Jobs
from reverie.control.journal import MIGRATIONS, SCHEMA_VERSION, Journal, migrate
from reverie.control.journal_keeper import RETRY_S, JournalKeeper
from reverie.ui.practice.effects import JournalWrite
from reverie.ui.practice.record import COLUMNS, SessionRecord

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

RECORD = SessionRecord(id="20250301-201103-3fa2", started_at="2025-03-01T20:11:03+01:00",
                       ended_at="2025-03-01T20:49:40+01:00", seconds=2317.0, end_reason="done",
                       mood_before=4, mood_after=7, intention="slow groove", tags=("calm", "happy"),
                       note="the kick felt good", projects=("Night-bus",), patterns=("A01", "A02"),
                       sounds=("factory:kick", "samples/rain.wav"), notes_played=412, tempo_min=92.0,
                       tempo_max=96.5, checkins=True)


def columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as c:
        return [row[1] for row in c.execute(f"PRAGMA table_info({table})")]


def test_a_session_is_one_row_of_the_documented_columns(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    j.write(RECORD)
    assert j.sessions() == [RECORD]
    assert columns(j.path, "sessions") == [c for c in COLUMNS if c != "checkins"] + ["updated_at", "checkins"]
    assert columns(j.path, "captures") == ["id", "session_id", "kind", "path", "seconds", "created_at"]
    with sqlite3.connect(j.path) as c:
        row = c.execute("SELECT tags, sounds, notes_played FROM sessions").fetchone()
    assert row == ('["calm", "happy"]', '["factory:kick", "samples/rain.wav"]', 412)
    assert j.version() == SCHEMA_VERSION


def test_a_write_of_the_same_session_updates_its_row(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    j.write(SessionRecord(id=RECORD.id, started_at=RECORD.started_at, seconds=30.0))
    j.write(RECORD)
    assert j.sessions() == [RECORD]


def test_captures_through_the_api_the_capture_feature_uses(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    first = j.add_capture(RECORD.id, "audio", tmp_path / "recordings" / "a.flac", 12.5)
    j.add_capture(RECORD.id, "notes", "projects/Song/patterns/B01", 8)
    assert first == 1
    assert [(c["kind"], c["path"], c["seconds"]) for c in j.captures(RECORD.id)] == \
        [("audio", "recordings/a.flac", 12.5), ("notes", "projects/Song/patterns/B01", 8.0)]
    with pytest.raises(UserError, match="one of audio, notes, recording"):
        j.add_capture(RECORD.id, "video", "x", 1)
    with pytest.raises(UserError, match="0 s or more"):
        j.add_capture(RECORD.id, "audio", "x", float("nan"))


def test_the_file_is_in_wal_mode_and_a_reader_reads_while_a_write_is_open(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    j.write(RECORD)
    with sqlite3.connect(j.path) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "journal.sqlite-wal").exists()
    writer = sqlite3.connect(j.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE sessions SET note = 'half written'")
    reader = Journal(j.path)
    assert reader.sessions()[0].note == RECORD.note     # not blocked, and sees the last commit
    writer.execute("ROLLBACK")
    writer.close()


def test_a_file_of_schema_1_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "journal.sqlite"
    old = sqlite3.connect(path, isolation_level=None)
    migrate(old, upto=1)
    old.execute("INSERT INTO sessions (id, started_at, seconds, mood_before, tags, updated_at) "
                "VALUES ('old', '2024-11-02T18:00:00+01:00', 600, 5, '[\"calm\"]', 'then')")
    old.close()
    assert "checkins" not in columns(path, "sessions")
    j = Journal(path)
    assert j.sessions() == [SessionRecord(id="old", started_at="2024-11-02T18:00:00+01:00", seconds=600.0,
                                          mood_before=5, tags=("calm",))]     # read before migrating
    j.write(RECORD)
    assert j.version() == 2 and "checkins" in columns(path, "sessions")
    assert [r.id for r in j.sessions()] == ["old", RECORD.id] and j.sessions()[0].checkins


def test_a_file_from_a_newer_reverie_is_read_and_never_written(tmp_path):
    path = tmp_path / "journal.sqlite"
    Journal(path).write(RECORD)
    with sqlite3.connect(path) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    j = Journal(path)
    assert j.sessions() == [RECORD]
    with pytest.raises(UserError, match=f"newer than this Reverie's {SCHEMA_VERSION}"):
        j.write(SessionRecord(id="new", started_at=RECORD.started_at))
    assert [r.id for r in Journal(path).sessions()] == [RECORD.id]


def test_every_migration_step_is_numbered_in_order():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def test_a_damaged_file_is_one_line_and_the_file_is_left_alone(tmp_path):
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"not a database, just bytes" * 100)
    with pytest.raises(UserError, match="journal not written"):
        Journal(path).write(RECORD)
    assert path.read_bytes() == b"not a database, just bytes" * 100


# --- the keeper ---------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def settle(jobs: Jobs) -> None:
    jobs.wait(timeout=10)


def test_the_keeper_writes_on_the_worker_and_a_newer_state_replaces_a_waiting_one(tmp_path):
    jobs, notices, clock = Jobs(), [], Clock()
    keeper = JournalKeeper(Journal(tmp_path / "journal.sqlite"), jobs, notices.append, clock)
    keeper.write(JournalWrite(SessionRecord(id="s", started_at=RECORD.started_at, seconds=1.0)))
    keeper.write(JournalWrite(SessionRecord(id="s", started_at=RECORD.started_at, seconds=2.0)))  # waits
    keeper.write(JournalWrite(SessionRecord(id="s", started_at=RECORD.started_at, seconds=3.0)))  # replaces it
    settle(jobs)
    keeper(None)
    settle(jobs)
    assert [r.seconds for r in keeper.journal.sessions()] == [3.0] and keeper.written == 2 and not notices
    jobs.close()


def test_a_failed_write_is_a_notice_once_and_is_tried_again(tmp_path):
    jobs, notices, clock = Jobs(), [], Clock()
    folder = tmp_path / "data"
    folder.write_text("a file where the data directory should be")
    keeper = JournalKeeper(Journal(folder / "journal.sqlite"), jobs, notices.append, clock)
    keeper.write(JournalWrite(RECORD))
    settle(jobs)
    clock.t += RETRY_S
    keeper(None)
    settle(jobs)
    assert keeper.failures == 2 and len(notices) == 1 and notices[0].startswith("journal not written (")
    assert keeper.waiting == 1
    folder.unlink()                                  # the problem goes away
    clock.t += RETRY_S - 1
    keeper(None)
    settle(jobs)
    assert keeper.failures == 2                      # not before RETRY_S
    clock.t += 1
    keeper(None)
    settle(jobs)
    assert keeper.journal.sessions() == [RECORD] and keeper.waiting == 0
    jobs.close()


def test_a_final_write_is_finished_before_the_worker_closes(tmp_path):
    jobs = Jobs()
    keeper = JournalKeeper(Journal(tmp_path / "journal.sqlite"), jobs, lambda text: None)
    keeper.write(JournalWrite(RECORD, final=True))
    assert jobs.close()
    assert Journal(tmp_path / "journal.sqlite").sessions() == [RECORD]


# --- SIGKILL mid-session --------------------------------------------------------------------

KILLED = r"""
import os, signal, sys
from pathlib import Path
from reverie.base.events import Pad
from journal_rig import Bench

data, factory, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
bench = Bench(data, factory)
start = bench.now
while True:
    t = bench.now - start
    if int(t) % 3 == 0:                                  # a pad every 3 s: an active session
        bench.rig.queue.put(Pad(int(t) % 8, 100, bench.now))
        bench.rig.queue.put(Pad(int(t) % 8, 0, bench.now + 0.05))
    bench.tick(1.0)                                      # one second of the session a tick
    session = bench.rig.ui.practice.clock.session
    print(f"{session.id} {session.seconds:.1f}", flush=True)
    if t >= kill_at:
        os.kill(os.getpid(), signal.SIGKILL)             # mid-loop, the worker perhaps mid-write
    # A tick is a second of the session: the worker has that long to write in real life, so it
    # finishes what it was given before the next tick (only the killing tick may cut a write).
    bench.rig.jobs.wait()
"""


@pytest.mark.parametrize("kill_at", [47.0, 301.0, 612.5])
def test_a_sigkill_mid_session_loses_at_most_the_last_minute(tmp_path, kill_at):
    factory = tmp_path / "factory"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "firmware"), str(HERE)]))
    proc = subprocess.run([sys.executable, "-c", KILLED, str(tmp_path / "data"), str(factory), str(kill_at)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    sid, seconds = proc.stdout.strip().splitlines()[-1].split()
    rows = Journal(tmp_path / "data" / "journal.sqlite").sessions()
    assert [r.id for r in rows] == [sid]
    kept = rows[0]
    assert kept.ended_at is None                         # killed: never ended
    assert float(seconds) - 60.0 <= kept.seconds <= float(seconds)
    assert kept.notes_played >= int(kept.seconds // 3)


# --- a full disk ----------------------------------------------------------------------------

FULL = r"""
import json, os, subprocess, sys
from pathlib import Path
from reverie.base.events import Pad
from journal_rig import Bench

data, factory = Path(sys.argv[1]), Path(sys.argv[2])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "none", str(data)], check=True)
filler = data / ".filler"
fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
try:
    while True:                                          # until the disk is full
        os.write(fd, b"\0" * 4096)
except OSError:
    pass
os.close(fd)
t = [0.0]
bench = Bench(data, factory, clock=lambda: t[0])
peaks = []
for second in range(40):
    bench.peak = 0.0
    bench.rig.queue.put(Pad(second % 4, 100, bench.now))
    bench.tick(0.5, render_blocks=40)
    bench.rig.queue.put(Pad(second % 4, 0, bench.now))
    bench.tick(0.5, render_blocks=40)
    bench.rig.jobs.wait()
    peaks.append(bench.peak)
    t[0] += 1.0
keeper = bench.wiring.keeper
full = {"failures": keeper.failures, "notices": bench.notices, "waiting": keeper.waiting,
        "files": sorted(p.name for p in data.iterdir()), "peaks": peaks, "frames": bench.frames}
filler.unlink()                                          # room again
t[0] += 30.0
bench.tick(1.0)
bench.rig.jobs.wait()
bench.tick(0.0)
bench.rig.jobs.wait()
from reverie.control.journal import Journal
rows = Journal(data / "journal.sqlite").sessions()            # the retry wrote the waiting state
retried = {"rows": len(rows), "notes": rows[0].notes_played if rows else None, "waiting": keeper.waiting}
bench.wiring.stop(bench.now)                                  # the box stops: the final state
bench.rig.jobs.close()
rows = Journal(data / "journal.sqlite").sessions()
print(json.dumps({"full": full, "retried": retried, "notes": rows[0].notes_played, "reason": rows[0].end_reason}))
"""


def test_a_full_disk_keeps_the_music_playing_and_the_journal_is_written_when_there_is_room(tmp_path):
    # a user maps itself to root in a user namespace of its own, which may mount a tmpfs
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    top = Path(tempfile.mkdtemp(prefix="reverie-journal-full-"))
    try:
        (top / "data").mkdir()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "firmware"), str(HERE)]))
        proc = subprocess.run([*unshare, sys.executable, "-c", FULL, str(top / "data"), str(top / "factory")],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        got = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(top, ignore_errors=True)
    full = got["full"]
    assert full["failures"] >= 2 and full["waiting"] == 1          # tried, and tried again
    assert len(full["notices"]) == 1 and "full" in full["notices"][0]   # said once
    assert full["files"] == [".filler"]                             # nothing half-written left behind
    assert full["frames"] == 40 * 80 * 128 and min(full["peaks"]) > 0.01   # every pad was heard
    retried = got["retried"]
    assert retried["rows"] == 1 and retried["waiting"] == 0 and retried["notes"] >= 30   # the last checkpoint's
    assert (got["notes"], got["reason"]) == (40, "stop")
