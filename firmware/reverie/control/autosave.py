"""Nothing lost: an edit is saved within `autosave_s` of being made, and where the musician
left off (project folder, pattern, page) is kept in session.json, both on the worker thread.
`Autosave` is a control hook: the control loop calls it every tick with the status, and it
only looks at revisions and hands jobs to the worker; it never touches a file itself.

The deadline runs from the first edit not yet saved, so a musician who never stops editing
is still saved every `autosave_s`. An autosave of the demo (or of a new project) goes to a
library folder of its own (Disk.autosave_target) and the box goes on from that copy. A save
that fails (a full disk, a read-only data directory) shows its notice, changes nothing that
was saved, and is tried again `autosave_s` later. `final()` queues the last save and the
session at stop; the worker finishes it before the box exits (jobs.py keeps saves).

While `held` (safe mode) nothing is written, neither saves nor the session, until the
musician saves by hand: `release()`."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from reverie.base.errors import UserError
from reverie.control.session import Session, stored, write_session

log = logging.getLogger("reverie")

SESSION_MIN_S = 1.0             # the session file is written at most this often


class Autosave:
    def __init__(self, rig, autosave_s: float, session_path: Path | None,
                 clock: Callable[[], float] = time.monotonic, held: bool = False):
        self.rig = rig
        self.autosave_s = autosave_s
        self.session_path = session_path
        self.clock = clock
        self.held = held
        self.saves = 0                   # autosaves that worked
        self.failures = 0
        self._submitted = rig.saved_revision   # the newest revision saved or being saved
        self._in_flight = False
        self._target: Path | None = None
        self._dirty_since: float | None = None
        self._session: Session | None = None   # as last written (or being written)
        self._session_due = 0.0

    # --- the control hook --------------------------------------------------------------

    def __call__(self, status):
        self.tick(self.clock())
        return None

    def tick(self, now: float) -> None:
        if self.held:
            return
        if not self.dirty:
            self._dirty_since = None
        else:
            if self._dirty_since is None:
                self._dirty_since = now
            if self.autosave_s > 0 and not self._in_flight and now - self._dirty_since >= self.autosave_s:
                self._save(now)
        if self.session_path is not None and now >= self._session_due and not self._in_flight:
            session = self.session()
            if session != self._session:
                self._session_due = now + SESSION_MIN_S
                self._keep_session(session)

    @property
    def dirty(self) -> bool:
        """An edit not yet saved nor being saved."""
        return self.rig.ui.context.history.revision > max(self._submitted, self.rig.saved_revision)

    def session(self) -> Session:
        rig = self.rig
        folder = None if rig.folder is None or self._is_demo(rig.folder) else rig.folder
        return Session(self._stored(folder), rig.ui.pattern_name(), rig.ui.page_name)

    def _stored(self, folder) -> str | None:
        return stored(folder, self.session_path.parent) if self.session_path is not None else None

    # --- saving ------------------------------------------------------------------------

    def _save(self, now: float) -> None:
        rig = self.rig
        # a save of the demo still running has not moved the box to its copy yet: same copy
        target = self._target if self._in_flight and self._target is not None else rig.disk.autosave_target()
        self._target = target
        revision = rig.ui.context.history.revision
        session_path = self.session_path
        page, pattern = rig.ui.page_name, rig.ui.pattern_name()

        def after(folder: Path) -> None:
            if session_path is not None:
                try:
                    write_session(session_path, Session(self._stored(folder), pattern, page))
                except UserError as exc:
                    log.warning("%s", exc)
        label, work, finish = rig.disk.save_job(target, quiet=True, after=after)

        def guarded():
            try:
                return work()
            except UserError as exc:
                return exc

        def done(result) -> None:
            self._in_flight = False
            if isinstance(result, UserError):
                self.failures += 1
                self._submitted = previous
                self._dirty_since = self.clock()       # try again autosave_s from now
                log.warning("autosave: %s", result)
                rig.applier.notice = f"autosave failed: {result}"
                return
            self.saves += 1
            self._session = Session(self._stored(target), pattern, page)
            finish(result)

        previous, self._submitted = self._submitted, revision
        self._in_flight = True
        self._dirty_since = None
        rig.jobs.run(f"auto{label}", guarded, done, keep=True)

    def _keep_session(self, session: Session, keep: bool = False) -> None:
        self._session = session
        path = self.session_path

        def work():
            try:
                write_session(path, session)
            except UserError as exc:
                log.warning("%s", exc)
        self.rig.jobs.run("keeping the session", work, lambda _: None, keep=keep)

    def final(self) -> None:
        """At stop: the last save of an unsaved edit, and the session, queued on the worker
        as jobs that are never dropped (the caller then closes the jobs, which waits)."""
        if self.held:
            return
        if self.dirty:
            self._save(self.clock())
        elif self.session_path is not None and self.session() != self._session:
            self._keep_session(self.session(), keep=True)

    def release(self, folder=None) -> None:   # Disk.on_saved
        """The musician saved (safe mode ends): autosave and the session go on from now."""
        if self.held:
            self.held = False
            log.info("saved: the box keeps its work again")

    @staticmethod
    def _is_demo(folder) -> bool:
        from reverie.project.demo import demo_project_path

        return Path(folder).resolve() == demo_project_path().resolve()
