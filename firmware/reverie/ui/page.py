"""A page of the UI: how it reacts to input and what it shows.

Each page is a small class in ui/pages/. The machine (machine.py) routes an event to the
focused page first; a handler returns a list of effects (possibly empty) when it used the
event, or None to let the machine's global handling have it (page keys, transport, SHIFT
help, track select). `view()` returns a frozen dataclass that draw/ knows how to draw.
`help` says, per control, what it does on this page: SHIFT + that control shows it. Keys
are control names ("PLAY", "PADS", "FUNC+PADS"); an encoder is "ENC1" (turn and push, text
as "turn: ...; push: ...") or split as "ENC1 TURN" / "ENC1 PUSH".
"""
from __future__ import annotations

import abc
from typing import ClassVar, Mapping

from reverie.base.events import Key, Knob, Pad, Turn


class Page(abc.ABC):
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

    def fields(self, ctx) -> int:
        """How many encoder fields the page shows now (ENC1..ENCn). With fewer than four
        encoders the machine moves ctx.focus over them on a short ENC1 push and sends ENC1's
        turns to the focused one, unless the page keeps its own focus (it handles ENC1)."""
        return 4

    def heading(self, ctx) -> str:
        """The header's title: `title`, or something more precise ("FILT 1/3")."""
        return self.title

    @abc.abstractmethod
    def view(self, ctx):
        """The page's frozen view dataclass, drawn by its drawer in ui/draw/."""
