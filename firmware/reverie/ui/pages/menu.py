"""The menu: every page, then the actions a box without their keys still needs (choose the
track, undo, redo, live recording). A long push of ENC1 opens it (FUNC + ENC1 on any box);
turning moves the cursor, a push chooses. Choosing TRACK turns the menu into a track
chooser: turn to pick, push to take it.

The menu is not a Page: the machine owns it and carries out what `choose()` returns.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.core.defs import SIZES

ACTIONS = ("TRACK", "UNDO", "REDO", "REC")
TRACKS = SIZES["MAX_TRACKS"]

HELP = {
    "ENC1 TURN": "Move the cursor; on TRACK: choose the track.",
    "ENC1 PUSH": "Open the page or do the action under the cursor. Hold: close.",
    "ENC1": "Push: open the page or do the action. Hold: close the menu.",
    "LEFT": "Move the cursor up.",
    "RIGHT": "Move the cursor down.",
    "PADS": "Play the pad's track.",
}


@dataclass(frozen=True)
class MenuView:
    items: tuple[str, ...]      # what each line says, e.g. "PATTERN", "TRACK T3", "REC off"
    cursor: int
    current: int                # the line of the page open under the menu, -1 for none
    choosing: bool              # the track chooser is on (the cursor's line is being turned)


class Menu:
    def __init__(self, pages: list[str]):
        self.pages = tuple(pages)
        self.items = self.pages + ACTIONS
        self.cursor = 0
        self.choosing = False
        self.track = 0

    def open(self, page: str, track: int) -> None:
        self.cursor = self.pages.index(page) if page in self.pages else 0
        self.choosing = False
        self.track = track

    def turn(self, detents: int) -> None:
        if self.choosing:
            self.track = max(0, min(TRACKS - 1, self.track + detents))
        else:
            self.cursor = max(0, min(len(self.items) - 1, self.cursor + detents))

    def choose(self) -> tuple[str, object] | None:
        """("page", name), ("track", index), ("UNDO"|"REDO"|"REC", None); None while the
        track chooser has just been switched on."""
        if self.choosing:
            self.choosing = False
            return "track", self.track
        item = self.items[self.cursor]
        if item == "TRACK":
            self.choosing = True
            return None
        if item in ACTIONS:
            return item, None
        return "page", item

    def view(self, page: str, track: int, recording: bool, titles: dict[str, str]) -> MenuView:
        shown = self.track if self.choosing else track
        words = {"TRACK": f"TRACK T{shown + 1}", "UNDO": "UNDO", "REDO": "REDO",
                 "REC": f"REC {'on' if recording else 'off'}"}
        items = tuple(words.get(i) or titles.get(i, i) for i in self.items)
        current = self.pages.index(page) if page in self.pages else -1
        return MenuView(items, self.cursor, current, self.choosing)
