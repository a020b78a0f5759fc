"""A page of the UI: how it reacts to input and what it shows.

Each page is a small class in ui/pages/. The machine (machine.py) routes an event to the
focused page first; a handler returns a list of effects (possibly empty) when it used the
event, or None to let the machine's global handling have it (page keys, transport, SHIFT
help, track select). `view()` returns a frozen dataclass that draw/ knows how to draw.
`help` says, per control, what it does on this page: SHIFT + that control shows it.
"""
from __future__ import annotations

from typing import ClassVar, Mapping

from reverie.events import Key, Knob, Pad, Turn


class Page:
    name: ClassVar[str] = ""              # the page key that opens it ("PATTERN"), lowercase id
    title: ClassVar[str] = ""             # shown in the header
    help: ClassVar[Mapping[str, str]] = {}   # "ENC1", "PADS", "LEFT", ... -> what it does here

    def enter(self, ctx) -> list:
        """The page became the focused one."""
        return []

    def key(self, ctx, ev: Key) -> list | None:
        return None

    def turn(self, ctx, ev: Turn) -> list | None:
        return None

    def pad(self, ctx, ev: Pad) -> list | None:
        return None

    def knob(self, ctx, ev: Knob) -> list | None:
        return None

    def view(self, ctx):
        raise NotImplementedError
