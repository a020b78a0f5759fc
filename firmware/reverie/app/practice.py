"""The practice layer wired into the running box (design §6b), from one place in BoxApp:

  start: the journal (data/journal.sqlite) and its keeper on the worker, the pacer's tone on
         the engine, the UI's practice layer configured from [practice] and the power-on
         session opened (its check-in shows), and the USB keyboard reader
  stop:  the session ends ("power" when the power key began it, else "stop") and its last
         state is written before the worker closes

`rig.journal` is the Journal: the capture feature calls `rig.journal.add_capture(...)` from
its worker jobs with `rig.ui.practice.session_id` (docs/journal.md)."""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Callable

from reverie.control.breath_tone import BreathToneHandler
from reverie.control.journal import Journal
from reverie.control.journal_keeper import JournalKeeper
from reverie.ui.practice.effects import BreathTone, JournalWrite, ReadJournal
from reverie.ui.practice.options import PracticeOptions

log = logging.getLogger("reverie")


def options_of(config) -> PracticeOptions:
    """The [practice] section as the UI takes it."""
    p = config.practice
    return PracticeOptions(checkins=p.checkins, idle_minutes=p.idle_minutes, intentions=tuple(p.intentions),
                           tags=tuple(p.tags), pacer=p.pacer, pacer_minutes=p.pacer_minutes,
                           pacer_tone=p.pacer_tone)


class PracticeWiring:
    def __init__(self, rig, options: PracticeOptions, journal_path, notice: Callable[[str], None],
                 wall: Callable[[], float] = time.time, keyboards: bool = False, find_keyboards=None):
        self.rig = rig
        self.journal = Journal(journal_path)
        self.keeper = JournalKeeper(self.journal, rig.jobs, notice)
        rig.journal = self.journal
        rig.applier.on(JournalWrite, self.keeper.write)
        rig.applier.on(BreathTone, BreathToneHandler(rig.engine, lambda: rig.ui.project, rig.applier.backlog,
                                                     rig.rate, notice))
        rig.jobs.handlers[ReadJournal] = self.keeper.read_job(rig.ui.context)
        rig.control.hooks.append(self.keeper)
        rig.ui.practice.configure(options, wall)
        self.keyboards = None
        if keyboards:
            from reverie.hal.usb_keyboard import UsbKeyboards

            kwargs = {"find": find_keyboards} if find_keyboards is not None else {}
            self.keyboards = UsbKeyboards(rig.queue.put, **kwargs).start()

    def power_on(self, now: float | None = None) -> None:
        self.rig.ui.practice.power_on(time.monotonic() if now is None else now)

    def stop(self, now: float | None = None) -> None:
        """The session's last state, queued as a job the worker finishes (the caller then
        closes the jobs, which waits for it)."""
        if self.keyboards is not None:
            self.keyboards.close()
        self.rig.applier.apply(self.rig.ui.practice.stop(time.monotonic() if now is None else now))


def attach_practice(app) -> PracticeWiring:
    """BoxApp.start's one call: the practice layer for this box, its session begun. In safe
    mode nothing is asked and nothing is written (the journal page still reads)."""
    safe = bool(app.keeping is not None and app.keeping.safe)
    options = options_of(app.config)
    if safe:
        options = replace(options, checkins=False)
    wiring = PracticeWiring(app.rig, options, app.data.journal, app.notice,
                            keyboards=app.config.practice.usb_keyboard and not safe)
    wiring.keeper.held = safe
    wiring.power_on()
    return wiring
