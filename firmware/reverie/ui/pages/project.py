"""The project page: the project's name and whether it is saved, how many edits undo can take
back, and SAVE, SAVE AS (a name spelled with an encoder), LOAD (from Status.projects), NEW
(a copy of the demo) and HISTORY (the project's last saves by time: one press restores one,
as an edit that undo takes back). Loading or starting over unsaved changes, or saving over
another project, asks first.

Saved or not is History.revision against Status.saved_revision, the revision the app last
loaded or saved; Status.saved_as is the project's name among Status.projects, "" when it has
none yet (new, or the read-only demo), and then SAVE asks for a name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reverie.base.events import LONG, PRESS, Key, Turn
from reverie.project.model import Project
from reverie.ui import effects as fx
from reverie.ui.one_knob import SHORT, Push, one_knob, step
from reverie.ui.page import Page

MENU = ("SAVE", "SAVE AS", "LOAD", "NEW", "HISTORY")
# A name is also its folder's name on the box, so it keeps to letters, digits, - and _;
# " " is a place left empty, and empty places inside a name become "-" when it is saved.
CHARS = " ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
NAME_CHARS = 14                   # medium letters a pixel apart across the screen
OK, BACK = NAME_CHARS, NAME_CHARS + 1        # the name's buttons, after its characters
BACK_ITEM = "‹ back"
READING = "reading the saves…"
NO_SAVES = "no saves yet  ‹ back"


@dataclass(frozen=True)
class ProjectView:
    mode: str                      # "menu", "name", "load", "history" or "confirm"
    name: str                      # the project's name
    state: str                     # "saved", "unsaved" or "new" (no name on the box yet)
    undo: int                      # edits undo can take back
    items: tuple[str, ...]         # the menu, the projects, the saves by time, or NO/YES
    at: int                        # the cursor in `items`
    current: str                   # the project loaded, marked in the list
    spelled: str = ""              # the name being spelled (NAME_CHARS characters)
    pos: int = 0                   # its cursor: a character, OK or BACK
    editing: bool = True           # one encoder: turning changes the character, not the cursor
    question: tuple[str, ...] = ()


def saved_name(spelled: str) -> str:
    """"Night bus  " -> "Night-bus": the name a project is saved under."""
    return re.sub(" +", "-", spelled.strip()).strip("-")


def rename(project: Project, name: str) -> Project:
    return project if project.name == name else replace(project, name=name)


class ProjectPage(Page):
    name = "PROJECT"
    title = "PROJECT"
    help = {
        "ENC1": "turn: choose; naming: move along the name; push: do it (naming: save)",
        "ENC2 TURN": "Naming: the letter under the cursor.",
        "LEFT": "Back to the project menu; naming: the cursor left.",
        "RIGHT": "Naming: the cursor right.",
        "PROJECT": "Back to the project menu.",
    }

    def __init__(self) -> None:
        self.mode = "menu"
        self.at = 0
        self.spelled = [" "] * NAME_CHARS
        self.pos = 0
        self.editing = False
        self.pending: tuple[str, str] | None = None   # what YES does: ("load" | "new" | "save", name)
        self._push = Push()

    def enter(self, ctx) -> list:
        self.mode, self.at = "menu", 0
        return []

    def heading(self, ctx) -> str:
        return {"name": "SAVE AS", "load": "LOAD", "history": "HISTORY"}.get(self.mode, self.title)

    # --- input -------------------------------------------------------------------------

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name == "PROJECT":
            if ev.action == PRESS:
                self.mode, self.at = "menu", 0
            return []
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                if self.mode == "name":
                    self.pos = step(self.pos, 1 if ev.name == "RIGHT" else -1, 0, BACK)
                elif ev.name == "LEFT":
                    self.mode, self.at = "menu", 0
            return []
        if ev.name != "ENC1":
            return [] if ev.name.startswith("ENC") else None
        if one_knob(ctx):
            kind = self._push.kind(ev)
            if kind == LONG:
                return None                            # the machine's menu
            if kind != SHORT:
                return []                              # a double click's second: the first acted
            if self.mode == "name" and self.pos < OK:
                self.editing = not self.editing
                return []
            return self._choose(ctx)
        return self._choose(ctx) if ev.action == PRESS else []

    def turn(self, ctx, ev: Turn) -> list | None:
        d = ev.detents
        if self.mode == "name":
            letter = self.editing if one_knob(ctx) else ev.encoder == 1
            if letter and self.pos < OK:
                at = step(CHARS.index(self.spelled[self.pos]), d, 0, len(CHARS) - 1)
                self.spelled[self.pos] = CHARS[at]
            elif one_knob(ctx) or ev.encoder == 0:
                self.pos = step(self.pos, d, 0, BACK)
            return []
        if ev.encoder == 0 or one_knob(ctx):
            self.at = step(self.at, d, 0, len(self._items(ctx)) - 1)
        return []

    # --- actions -----------------------------------------------------------------------

    def _choose(self, ctx) -> list:
        if self.mode == "menu":
            return self._menu(ctx, MENU[self.at])
        if self.mode == "name":
            if self.pos == BACK:
                self.mode, self.at = "menu", MENU.index("SAVE AS")
                return []
            return self._save_as(ctx)
        if self.mode == "load":
            projects = ctx.status.projects
            if self.at >= len(projects):
                self.mode, self.at = "menu", MENU.index("LOAD")
                return []
            return self._ask(ctx, "load", projects[self.at])
        if self.mode == "history":
            saves, at = ctx.saves or (), self.at
            self.mode, self.at = "menu", MENU.index("HISTORY")
            return [fx.RestoreSave(saves[at][0])] if at < len(saves) else []
        yes = self.at == 1                             # confirm: NO, YES
        what, name = self.pending
        self.mode, self.at, self.pending = "menu", MENU.index(what.upper()), None
        return self._do(ctx, what, name) if yes else []

    def _menu(self, ctx, item: str) -> list:
        if item == "SAVE" and ctx.status.saved_as:
            return [fx.SaveProject("")]
        if item in ("SAVE", "SAVE AS"):
            start = ctx.status.saved_as or ctx.project.name
            start = "".join(ch if ch in CHARS else "-" for ch in start)[:NAME_CHARS]
            self.spelled = list(start.ljust(NAME_CHARS))
            self.mode, self.pos, self.editing = "name", min(len(start.rstrip()), NAME_CHARS - 1), False
            return []
        if item == "HISTORY":
            ctx.saves = None                           # read afresh: a save may have been made
            self.mode, self.at = "history", 0
            return [fx.ListSaves()]
        if item == "LOAD":
            if not ctx.status.projects:
                ctx.message = "no saved projects yet"
                return []
            current = ctx.status.saved_as
            self.mode = "load"
            self.at = ctx.status.projects.index(current) if current in ctx.status.projects else 0
            return []
        return self._ask(ctx, "new", "")

    def _save_as(self, ctx) -> list:
        name = saved_name("".join(self.spelled))
        if not name:
            ctx.message = "a name needs a letter or a digit"
            return []
        if name in ctx.status.projects and name != ctx.status.saved_as:
            self.pending, self.mode, self.at = ("save", name), "confirm", 0
            return []
        self.mode, self.at = "menu", 0
        return self._do(ctx, "save", name)

    def _ask(self, ctx, what: str, name: str) -> list:
        """Does it, or asks first when it would lose unsaved changes."""
        if not self._unsaved(ctx):
            self.mode, self.at = "menu", 0
            return self._do(ctx, what, name)
        self.pending, self.mode, self.at = (what, name), "confirm", 0
        return []

    def _do(self, ctx, what: str, name: str) -> list:
        if what == "load":
            return [fx.LoadProject(name)]
        if what == "new":
            return [fx.NewProject()]
        return ctx.edit(rename, name, label=f"name {name}") + [fx.SaveProject(name)]

    # --- what is shown -----------------------------------------------------------------

    def _unsaved(self, ctx) -> bool:
        return ctx.history.revision != ctx.status.saved_revision

    def _items(self, ctx) -> tuple[str, ...]:
        if self.mode == "load":
            return ctx.status.projects + (BACK_ITEM,)
        if self.mode == "history":
            if ctx.saves is None:
                return (READING,)
            return tuple(when for _, when in ctx.saves) + (BACK_ITEM if ctx.saves else NO_SAVES,)
        return ("NO", "YES") if self.mode == "confirm" else MENU

    def _question(self) -> tuple[str, ...]:
        if self.pending is None:
            return ()
        what, name = self.pending
        if what == "save":
            return (f"save over {name}?", "it will be replaced")
        first = f"load {name}?" if what == "load" else "start a new project?"
        return (first, "unsaved edits will", "be lost")

    def view(self, ctx) -> ProjectView:
        s = ctx.status
        state = "new" if not s.saved_as else ("unsaved" if self._unsaved(ctx) else "saved")
        items = self._items(ctx)
        return ProjectView(self.mode, ctx.project.name, state, len(ctx.history.labels()), items,
                           min(self.at, len(items) - 1), s.saved_as, "".join(self.spelled),
                           self.pos, self.editing or not one_knob(ctx), self._question())
