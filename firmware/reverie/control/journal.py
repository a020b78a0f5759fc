"""The practice journal: one SQLite file in the data directory (journal.sqlite), in WAL mode,
written only on the worker thread (control/journal_keeper.py hands it the writes).

    journal = Journal(data.journal)
    journal.write(record)                              # a session, upserted by its id
    journal.add_capture(session_id, "audio", path, 12.5)   # the capture feature's API
    journal.sessions()                                 # every session, oldest first
    journal.captures(session_id)

The schema's version is the file's `PRAGMA user_version`; MIGRATIONS brings a file of any
older version up to SCHEMA_VERSION step by step, each step in one transaction, so a file
is never left half-migrated. A file from a newer Reverie is read (the columns known here)
but never written. Every failure (a full disk, a read-only folder, a damaged file) is one
line, a UserError: the caller says it and tries again later; nothing else stops. Commits
are synchronous=FULL: a committed write survives a kill and a power cut. docs/journal.md
describes every table and column."""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from pathlib import Path

from reverie.base.errors import UserError
from reverie.ui.practice.record import COLUMNS, LISTS, SessionRecord, iso_local

log = logging.getLogger("reverie")

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 5.0

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("""CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            seconds REAL NOT NULL DEFAULT 0,
            end_reason TEXT,
            mood_before INTEGER CHECK (mood_before BETWEEN 1 AND 10),
            mood_after INTEGER CHECK (mood_after BETWEEN 1 AND 10),
            intention TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            projects TEXT NOT NULL DEFAULT '[]',
            patterns TEXT NOT NULL DEFAULT '[]',
            sounds TEXT NOT NULL DEFAULT '[]',
            notes_played INTEGER NOT NULL DEFAULT 0,
            tempo_min REAL,
            tempo_max REAL,
            updated_at TEXT NOT NULL)""",
        "CREATE INDEX sessions_started ON sessions (started_at)"),
    # 2: whether the prompts were on, and the captures kept during a session
    2: ("ALTER TABLE sessions ADD COLUMN checkins INTEGER NOT NULL DEFAULT 1",
        """CREATE TABLE captures (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            path TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL)""",
        "CREATE INDEX captures_session ON captures (session_id)"),
}
CAPTURE_KINDS = ("audio", "notes", "recording")


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class Journal:
    """The journal file at `path`. Thread-safe (one lock), but written on the worker only."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._migrated = False
        self._lock = threading.Lock()

    # --- the connection -------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise sqlite3.OperationalError(f"journal mode {mode}, not WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _do(self, what: str, fn):
        """Runs fn(connection) under the lock, the file brought to this schema first when
        writing; a failure is one line and a fresh connection next time (a disk that filled
        up may have room again)."""
        with self._lock:
            fresh = not self.path.exists()
            try:
                conn = self._open()
                if what == "written" and not self._migrated:
                    migrate(conn)
                    self._migrated = True
                return fn(conn)
            except (sqlite3.Error, OSError) as exc:
                self._close()
                if fresh:
                    self._forget_empty()
                raise UserError(f"journal not {what} ({_why(exc)})") from None

    def _forget_empty(self) -> None:
        """A first write that failed leaves no empty file behind: nothing changed."""
        for suffix in ("", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            try:
                if part.stat().st_size == 0:
                    part.unlink()
            except OSError:
                pass

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error as exc:
                log.warning("closing the journal: %s", exc)
            self._conn = None
            self._migrated = False

    def close(self) -> None:
        with self._lock:
            self._close()
            self._migrated = False

    # --- writing (the worker) -------------------------------------------------------------

    def write(self, record: SessionRecord) -> None:
        """Inserts the session, or updates it to this state (its id is the key)."""
        row = to_row(record)
        names = ", ".join(row)
        marks = ", ".join("?" * len(row))
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k != "id")
        sql = f"INSERT INTO sessions ({names}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}"
        self._do("written", lambda c: _commit(c, sql, tuple(row.values())))

    def add_capture(self, session_id: str | None, kind: str, path, seconds: float) -> int:
        """Keeps a capture of the session `session_id` (UI.practice.session_id when it was
        asked for): `kind` "audio" (a saved audio capture), "notes" (a pattern made from the
        played notes) or "recording" (a whole-session recording); `path` where it was saved
        (relative to the data directory when inside it); `seconds` its length. Returns the
        capture's id. Call it on the worker thread; UserError when it cannot be written."""
        if kind not in CAPTURE_KINDS:
            raise UserError(f"a capture is one of {', '.join(CAPTURE_KINDS)}, not {kind!r}")
        seconds = float(seconds)
        if not seconds >= 0:
            raise UserError(f"a capture's length is 0 s or more, not {seconds!r}")
        stored = _stored_path(Path(path), self.path.parent)
        sql = "INSERT INTO captures (session_id, kind, path, seconds, created_at) VALUES (?, ?, ?, ?, ?)"
        values = (session_id or "", kind, stored, round(seconds, 3), iso_local(time.time()))
        return self._do("written", lambda c: _commit(c, sql, values))

    # --- reading ----------------------------------------------------------------------------

    def sessions(self) -> list[SessionRecord]:
        """Every session, oldest first (of a file of any schema version)."""
        def read(c):
            if not _has_table(c, "sessions"):
                return []
            return [from_row(r) for r in _rows(c, "SELECT * FROM sessions ORDER BY started_at, id")]
        return self._do("read", read)

    def captures(self, session_id: str | None = None) -> list[dict]:
        """The captures (of one session), oldest first, as dicts of the captures table."""
        def read(c):
            if not _has_table(c, "captures"):
                return []
            where, args = ("WHERE session_id = ?", (session_id,)) if session_id is not None else ("", ())
            return _rows(c, f"SELECT * FROM captures {where} ORDER BY id", args)
        return self._do("read", read)

    def version(self) -> int:
        return self._do("read", lambda c: c.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> int:
    """Brings the file to schema `upto`, one step a transaction; returns the version found.
    A file newer than this Reverie knows is refused for writing (sqlite3.Error)."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"the file is of schema {found}, newer than this Reverie's "
                                    f"{SCHEMA_VERSION}: it is read, never written")
    for version in range(found + 1, upto + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] >= version:   # another writer did it
                conn.execute("COMMIT")
                continue
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if found:
            log.info("the journal moved from schema %d to %d", version - 1, version)
    return found


def _commit(conn: sqlite3.Connection, sql: str, values: tuple) -> int:
    conn.execute("BEGIN IMMEDIATE")
    try:
        cur = conn.execute(sql, values)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return cur.lastrowid


def _rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _stored_path(path: Path, root: Path) -> str:
    try:
        resolved, base = path.resolve(), root.resolve()
    except OSError:
        return str(path)
    return str(resolved.relative_to(base)) if resolved.is_relative_to(base) else str(path)


def to_row(record: SessionRecord) -> dict:
    row = {name: getattr(record, name) for name in COLUMNS}
    for name in LISTS:
        row[name] = json.dumps(list(row[name]), ensure_ascii=False)
    row["checkins"] = int(bool(record.checkins))
    row["updated_at"] = iso_local(time.time())
    return row


def from_row(row: dict) -> SessionRecord:
    """A row of any schema version: the columns it lacks take their defaults."""
    values = {}
    for name in COLUMNS:
        if name not in row or row[name] is None and name in LISTS:
            continue
        value = row[name]
        if name in LISTS:
            try:
                items = json.loads(value)
            except (TypeError, ValueError):
                items = []
            value = tuple(str(v) for v in items) if isinstance(items, list) else ()
        elif name == "checkins":
            value = bool(value)
        values[name] = value
    return SessionRecord(**values)
