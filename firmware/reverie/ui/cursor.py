"""ENC1 on a box with fewer than four encoders (the minimal box has one).

- click (push and release): the focus moves to the page's next field (ctx.focus);
- turn: edits the focused field (the machine sends the page a turn of that encoder);
- hold and turn: LEFT / RIGHT, one press a detent (step pages, parameter screens, tracks);
- hold half a second (events.LONG) and let go without turning: the menu;
- double click: the focused field's push (ENC<focus+1> pressed and released).

A page that keeps its own focus handles the click's release itself (it returns effects,
not None, for Key("ENC1", "release")); it then gets the double click as it comes.
"""
from __future__ import annotations

from reverie.base.events import DOUBLE, LONG, PRESS, RELEASE, Key, Turn

MAX_NAV = 16                # presses one hold-and-turn may make


class Cursor:
    def __init__(self) -> None:
        self.down = False
        self.used = False            # the hold turned, went long or double-clicked
        self.page_owns = False       # the page took the last click's release
        self.nav_detents = 0

    @staticmethod
    def active(ctx) -> bool:
        return ctx.caps.encoders < 4

    def key(self, ui, ev: Key) -> list | None:
        """The machine's answer to an ENC1 key; None for any other key."""
        if ev.name != "ENC1":
            return None
        ctx, page = ui.context, ui.page
        if ev.action == PRESS:
            self.down, self.used = True, False
            return []
        if ev.action == LONG:
            self.down, self.used = False, True
            ui.open_menu(swallow="ENC1")
            return []
        if ev.action == DOUBLE:
            self.used = True
            if self.page_owns:
                return page.key(ctx, ev) or []
            n = max(1, page.fields(ctx))
            ctx.focus = (ctx.focus - 1) % n
            name = f"ENC{ctx.focus + 1}"
            out = page.key(ctx, Key(name, PRESS, ev.t)) or []
            return out + (page.key(ctx, Key(name, RELEASE, ev.t)) or [])
        if ev.action == RELEASE:
            self.down = False
            if self.used:
                return []
            out = page.key(ctx, ev)
            self.page_owns = out is not None
            if out is None:
                ctx.focus = (ctx.focus + 1) % max(1, page.fields(ctx))
                return []
            return out
        return []

    def turn(self, ui, ev: Turn) -> Turn | None:
        """The turn the page gets, or None when it moves LEFT/RIGHT (see nav())."""
        if ev.encoder != 0:
            return ev
        if self.down:
            self.used = True
            self.nav_detents = ev.detents
            return None
        n = max(1, ui.page.fields(ui.context))
        return Turn(ui.context.focus % n, ev.detents, ev.t)

    def nav(self, ui) -> list:
        name = "RIGHT" if self.nav_detents > 0 else "LEFT"
        out: list = []
        for _ in range(min(MAX_NAV, abs(self.nav_detents))):
            for action in (PRESS, RELEASE):
                out += ui.page.key(ui.context, Key(name, action)) or []
        return out
