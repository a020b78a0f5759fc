"""The UI state machine: input events in, effects out, and a Screen to draw.

    ui = UI(project, caps)
    effects = ui.handle(event)        # after every input event
    effects = ui.update(status, now)  # once per control tick
    screen = ui.view()

An event goes to the focused page first (or the menu, when it is open); what the page
declines gets the global handling in global_input.py: page keys, transport, recording, track
select, undo and redo, pads and keyboard notes. While SHIFT is held, a control shows its
help card instead of acting. Time comes only from the events' `t` and update's `now`.
"""
from __future__ import annotations

import math

from reverie.base.errors import UserError
from reverie.base.events import (ACTIONS, KEYS, LONG, PADS, PRESS, RELEASE, Control, Device, Grid, Key, Knob,
                                 Note, Pad, Turn)
from reverie.project.history import History
from reverie.project.model import Project
from reverie.ui.context import Caps, Context
from reverie.ui import effects as fx
from reverie.ui import capture, flow, grid, learn
from reverie.ui.expression import Expression, expression
from reverie.ui import selection
from reverie.ui.cursor import Cursor
from reverie.ui.global_input import PAGE_KEYS, GlobalInput
from reverie.ui.pages import all_pages
from reverie.ui.pages import help as helps
from reverie.ui.pages.menu import HELP as MENU_HELP, Menu
from reverie.ui.practice.layer import Practice
from reverie.ui.status import Status
from reverie.ui.view import Card, Header, Screen

NOTICE_S = 2.0              # how long a notice stays on the screen
TURN_RUN_S = 1.0            # turns further apart than this are separate undo entries


class UI:
    def __init__(self, project: Project, caps: Caps = Caps(), settings: dict | None = None):
        self._ctx = Context(History(project), caps=caps, settings=dict(settings or {}))
        found = all_pages()
        order = [k for k in PAGE_KEYS if k in found] + sorted(k for k in found if k not in PAGE_KEYS)
        self._pages = {name: found[name]() for name in order}
        self._menu = Menu(order)
        self._menu_open = False
        self._help: Card | None = None
        self._notice_at = 0.0
        self._now = 0.0
        self._last_turn = -TURN_RUN_S
        self._swallow: set[str] = set()          # keys whose next release was already used
        self._cursor = Cursor()
        self._globals = GlobalInput(self)
        self.practice = Practice()      # sessions, check-in and check-out: off until the app configures it
        self._page = order[0] if order else ""
        if self._page:
            self.page.enter(self._ctx)

    # ---- public ----------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self._ctx.project

    @property
    def context(self) -> Context:
        return self._ctx

    @property
    def page(self):
        return self._pages[self._page]

    @property
    def page_name(self) -> str:
        return self._page

    @property
    def page_names(self) -> tuple[str, ...]:
        return tuple(self._pages)

    @property
    def menu_open(self) -> bool:
        return self._menu_open

    @property
    def recording(self) -> bool:
        return self._globals.recording

    def handle(self, event) -> list:
        """The effects of one input event. Bad input shows a message and changes nothing."""
        ctx = self._ctx
        before = ctx.message
        ctx.message = ""
        try:
            self._clock(getattr(event, "t", 0.0))
            out = self.practice.handle(ctx, event, self._dispatch)
            out += self._follow_goto()
        except UserError as exc:
            ctx.message, out = str(exc), []
        if ctx.message:
            self._notice_at = self._now
        elif before and self._now - self._notice_at < NOTICE_S:
            ctx.message = before
        return out

    def update(self, status: Status, now: float | None = None) -> list:
        """A new telemetry snapshot (and the time, for notices to go away)."""
        self._ctx.status = status
        if now is not None:
            self._clock(now)
        out = flow.cue(self._ctx, self._now)          # the micro-session timer's cue (flow.py)
        if out is not None:
            self._notice_at = self._now
        elif self._ctx.message and self._now - self._notice_at >= NOTICE_S:
            self._ctx.message = ""
        return (out or []) + self.practice.update(self._ctx, status, self._now)

    def view(self) -> Screen:
        ctx = self._ctx
        if self._menu_open:
            title = "MENU"
            body = self._menu.view(self._page, ctx.track, self.recording,
                                   {n: p.title or n for n, p in self._pages.items()})
        else:
            title = self.page.heading(ctx) if self._page else ""
            body = self.page.view(ctx) if self._page else None
        prompt = self.practice.screen(self._now)      # a check-in or check-out over the page
        if prompt is not None:
            title, body = prompt
        s = ctx.status
        header = Header(title=title, pattern=self.pattern_name(), track=ctx.track,
                        tempo_bpm=s.tempo_bpm if s.playing else ctx.project.tempo,
                        playing=s.playing, recording=self.recording, shift=ctx.shift)
        overlay = self._help if ctx.shift else None
        text = ctx.message or s.message
        if overlay is None and text:
            overlay = Card("", helps.wrap(text, 3))
        return Screen(header, body, overlay)

    def grid_cells(self) -> tuple[tuple[str, ...], ...]:
        """What a grid controller's LEDs show: the focused track's 64 steps (ui/grid.py)."""
        return grid.cells(self._ctx)

    def pattern_name(self) -> str:
        """The pattern the pages edit: the one playing, else the project's current one."""
        return selection.pattern_name(self._ctx)

    # ---- pages and the menu ------------------------------------------------------------

    def open_page(self, name: str) -> list:
        ctx = self._ctx
        self._menu_open = False
        if name not in self._pages:
            ctx.message = f"no {name.lower()} page on this box yet"
            return []
        self._page = name
        ctx.focus = 0
        ctx.history.close()
        return self.page.enter(ctx)

    def open_menu(self, swallow: str = "") -> None:
        """Opens the menu; `swallow`: the key held to open it, whose release is not a choice."""
        self._menu.open(self._page, self._ctx.track)
        self._menu_open = True
        if swallow:
            self.swallow_release(swallow)

    @property
    def menu(self) -> Menu:
        return self._menu

    def close_menu(self) -> None:
        self._menu_open = False

    def swallow_release(self, key: str) -> None:
        """The next release of `key` ends a gesture already used (a hold): it does nothing."""
        self._swallow.add(key)

    def _follow_goto(self) -> list:
        out = []
        for _ in range(3):            # a page may forward once or twice; never loop forever
            name, self._ctx.goto = self._ctx.goto, ""
            if not name:
                break
            out += self.open_page(name)
        return out

    # ---- routing -----------------------------------------------------------------------

    def _clock(self, t) -> None:
        if isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t):
            self._now = max(self._now, float(t))

    def _dispatch(self, ev) -> list:
        if isinstance(ev, Key):
            return self._key(ev)
        if isinstance(ev, Turn):
            if isinstance(ev.encoder, int):
                self._ctx.last_encoder = ev.encoder
            return self._turn(ev)
        if isinstance(ev, Pad):
            return self._pad(ev)
        if isinstance(ev, Note):
            return self._globals.note(ev)
        if isinstance(ev, Knob):
            return self._knob(ev)
        if isinstance(ev, Device):
            self._ctx.message = f"{ev.name} {'connected' if ev.present else 'went away'}"
            return []
        if isinstance(ev, Control):
            return learn.learn(self, ev)
        if isinstance(ev, Expression):
            return expression(self._ctx.track, ev)
        if isinstance(ev, Grid):
            if not all(isinstance(v, int) and 0 <= v < grid.SIZE for v in (ev.x, ev.y)):
                raise UserError(f"grid button {ev.x!r},{ev.y!r}: not on an 8 x 8 grid")
            return grid.press(self._ctx, ev)
        return []

    def _key(self, ev: Key) -> list:
        ctx = self._ctx
        if ev.name not in KEYS or ev.action not in ACTIONS:
            raise UserError(f"no key {ev.name!r} {ev.action!r}")
        if ev.name == "SHIFT":
            ctx.shift = ev.action != RELEASE
            self._help = None
            return []
        if ev.name == "FUNC":
            ctx.func = ev.action != RELEASE
            return []
        if ev.action == RELEASE and ev.name in self._swallow:
            self._swallow.discard(ev.name)
            return []
        if ctx.shift:
            if ev.action == PRESS:
                control = f"{ev.name} PUSH" if ev.name.startswith("ENC") else ev.name
                self._show_help(control)
                self.swallow_release(ev.name)      # let go after SHIFT: still only help
            return []
        if ev.name == "POWER":          # whatever is shown: held, it saves and stops the box
            if ev.action != LONG:
                return []
            ctx.message = "saving, then stopping"
            return [fx.Shutdown()]
        if self._menu_open:
            return self._globals.menu_key(ev)
        if self._cursor.active(ctx):
            used = self._cursor.key(self, ev)
            if used is not None:
                return used
        if ev.name == "ENC1" and ev.action == PRESS and ctx.func:
            self.open_menu(swallow="ENC1")
            return []
        if ctx.func and ev.name in ("LEFT", "RIGHT") and ev.action == PRESS:
            return ctx.undo() if ev.name == "LEFT" else ctx.redo()
        if ctx.func and ev.action == PRESS and (kept := capture.key(ctx, ev.name)) is not None:
            return kept                 # FUNC+REC, FUNC+PATTERN: keep what was played
        if self._page:
            out = self.page.key(ctx, ev)
            if out is not None:
                return out
        return self._globals.key(ev)

    def _turn(self, ev: Turn) -> list:
        ctx = self._ctx
        if not isinstance(ev.detents, int) or isinstance(ev.detents, bool) or \
                not isinstance(ev.encoder, int) or not 0 <= ev.encoder < 4:
            raise UserError(f"encoder {ev.encoder!r} turned by {ev.detents!r}: not a turn")
        if self._now - self._last_turn > TURN_RUN_S:
            ctx.history.close()
        self._last_turn = self._now
        if ctx.shift:
            encoder = ctx.focus if self._cursor.active(ctx) and ev.encoder == 0 else ev.encoder
            self._show_help(f"ENC{encoder + 1} TURN")
            return []
        if self._menu_open:
            self._menu.turn(ev.detents)
            return []
        if self._cursor.active(ctx):
            ev = self._cursor.turn(self, ev)
            if ev is None:
                return self._cursor.nav(self)
        if not self._page:
            return []
        return self.page.turn(ctx, ev) or []

    def _pad(self, ev: Pad) -> list:
        ctx = self._ctx
        if not isinstance(ev.pad, int) or not 0 <= ev.pad < PADS or \
                not isinstance(ev.velocity, int) or not 0 <= ev.velocity <= 127:
            raise UserError(f"pad {ev.pad!r} with velocity {ev.velocity!r}: not a pad hit")
        if ev.velocity:
            if ctx.shift:
                self._show_help("PADS")
                return []
            ctx.held_pads.add(ev.pad)
        else:
            ctx.held_pads.discard(ev.pad)
        out = self.page.pad(ctx, ev) if self._page else None
        if ev.velocity == 0:
            ctx.held_steps.pop(ev.pad, None)
        return out if out is not None else self._globals.pad(ev)

    def _knob(self, ev: Knob) -> list:
        if not isinstance(ev.value, (int, float)) or not math.isfinite(ev.value) or \
                not isinstance(ev.key, str) or not isinstance(ev.slot, int) or not isinstance(ev.track, int):
            raise UserError(f"a knob sent {ev.value!r} for {ev.key or ev.slot!r}: not a knob move")
        if not ev.key and self._page:
            out = self.page.knob(self._ctx, ev)
            if out is not None:
                return out
        return self._globals.knob(ev)

    def _show_help(self, control: str) -> None:
        ctx = self._ctx
        table = MENU_HELP if self._menu_open else (self.page.help if self._page else {})
        text = helps.lookup(table, control, func=ctx.func, one_encoder=self._cursor.active(ctx))
        self._help = helps.card(("FUNC+" if ctx.func else "") + control, text)

