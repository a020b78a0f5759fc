"""The journal page: this week's minutes, the streak (weeks in a row with a session, and
the days played in the last seven: rest days are forgiven, nothing missed is counted), the
mood change of the last sessions as a small chart, and "done for now", which ends the
session (the check-out follows when check-ins are on). Reached from the menu. The journal
is read on the worker (ReadJournal) each time the page opens, into Context.journal."""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import PRESS, Key
from reverie.ui.page import Page
from reverie.ui.practice.effects import EndSession, ReadJournal
from reverie.ui.practice.summary import JournalSummary


@dataclass(frozen=True)
class JournalView:
    summary: JournalSummary | None      # None: still reading


class JournalPage(Page):
    name = "JOURNAL"
    title = "JOURNAL"
    help = {
        "ENC1 PUSH": "Done for now: end the session (how do you feel now?).",
        "ENC1": "Push: done for now, end the session.",
    }

    def enter(self, ctx) -> list:
        ctx.journal = None
        return [ReadJournal()]

    def fields(self, ctx) -> int:
        return 1

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name == "ENC1":
            return [EndSession()] if ev.action == PRESS else []
        return None

    def view(self, ctx) -> JournalView:
        summary = ctx.journal if isinstance(ctx.journal, JournalSummary) else None
        return JournalView(summary)
