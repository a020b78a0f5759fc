"""Gets the practice layer's journal writes onto the worker thread, and keeps trying.

Each JournalWrite (ui/practice/effects.py) is the whole state of one session, so a newer
write of a session replaces one still waiting, and a write that failed is simply tried again
(RETRY_S later) unless a newer one came: nothing is lost but time. A failure (a full disk, a
read-only data directory) is a notice once, logged each time; the music never waits for the
journal. A final write (the box stopping) is submitted at once as a job the worker finishes
before the box exits (jobs.py keeps it).

`JournalKeeper` is a control hook (called each tick) and the handler of JournalWrite; its
`read_job` reads the journal page's summary (ReadJournal) on the worker."""
from __future__ import annotations

import logging
import time
from datetime import date
from typing import Callable

from reverie.base.errors import UserError
from reverie.control.journal import Journal
from reverie.ui.practice.effects import JournalWrite, ReadJournal
from reverie.ui.practice.summary import JournalSummary, summarize

log = logging.getLogger("reverie")

RETRY_S = 15.0


class JournalKeeper:
    def __init__(self, journal: Journal, jobs, notice: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic):
        self.journal = journal
        self.jobs = jobs
        self.notice = notice
        self.clock = clock
        self.written = 0                 # records written
        self.failures = 0                # writes that failed (each retried)
        self._waiting: dict[str, object] = {}      # session id -> the newest record not yet written
        self._in_flight = False
        self._retry_at = 0.0
        self._failing = False
        self.held = False                # safe mode: nothing of the musician's is written

    # --- the effect and the hook --------------------------------------------------------

    def write(self, e: JournalWrite) -> None:
        if self.held:
            return
        self._waiting[e.record.id] = e.record
        if e.final:
            self._submit(keep=True)
        else:
            self._pump()

    def __call__(self, status):
        self._pump()
        return None

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _pump(self) -> None:
        if self._waiting and not self._in_flight and self.clock() >= self._retry_at:
            self._submit(keep=False)

    def _submit(self, keep: bool) -> None:
        records, self._waiting = list(self._waiting.values()), {}
        journal = self.journal

        def work():
            done = 0
            try:
                for record in records:
                    journal.write(record)
                    done += 1
            except UserError as exc:
                return done, exc
            return done, None

        def finish(result) -> None:
            self._in_flight = False
            done, error = result
            self.written += done
            if error is None:
                if self._failing:
                    log.info("the journal is written again")
                self._failing = False
                return
            self.failures += 1
            for record in records[done:]:
                self._waiting.setdefault(record.id, record)      # a newer state wins
            self._retry_at = self.clock() + RETRY_S
            log.warning("%s; trying again in %g s", error, RETRY_S)
            if not self._failing:
                self.notice(f"{error}; trying again")
            self._failing = True

        self._in_flight = True
        self.jobs.run("writing the journal", work, finish, keep=keep)

    # --- the journal page -----------------------------------------------------------------

    def read_job(self, context, today: Callable[[], date] = date.today):
        """The jobs handler of ReadJournal: the summary into context.journal."""
        journal = self.journal

        def make(e: ReadJournal):
            def work():
                try:
                    return summarize(journal.sessions(), today())
                except UserError as exc:
                    return JournalSummary(failed=str(exc))

            def finish(summary) -> None:
                context.journal = summary
            return "reading the journal", work, finish
        return make
