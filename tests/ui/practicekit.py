"""A UI with the practice layer on, driven by scripted events at chosen times, and the
journal writes it asks for."""
from __future__ import annotations

from reverie.base.events import Key, Pad, Turn, Typed
from reverie.ui.practice.effects import JournalWrite
from reverie.ui.practice.options import PracticeOptions
from reverie.ui.status import Status

from scenes import groove, ui as make_ui

WALL0 = 1_740_000_000.0          # 2025-02-19, a Wednesday


class Driven:
    def __init__(self, caps=None, page="SOUND", **options):
        """`page`: the page under the prompts (the sound page: the pads play their tracks)."""
        self.ui = make_ui(caps) if caps is not None else make_ui()
        self.ui.open_page(page)
        self.now = 100.0
        self.ui.practice.configure(PracticeOptions(**options), wall=lambda: WALL0 + self.now)
        self.effects: list = []
        self.status = Status()

    @property
    def practice(self):
        return self.ui.practice

    def writes(self) -> list:
        return [e.record for e in self.effects if isinstance(e, JournalWrite)]

    def last(self):
        return self.writes()[-1]

    def on(self) -> "Driven":
        self.practice.power_on(self.now)
        return self

    def at(self, dt: float) -> None:
        self.now += dt

    def event(self, ev) -> list:
        out = self.ui.handle(ev)
        self.effects += out
        return out

    def press(self, name: str) -> list:
        return self.event(Key(name, "press", self.now)) + self.event(Key(name, "release", self.now))

    def hold(self, name: str) -> list:
        return self.event(Key(name, "press", self.now)) + self.event(Key(name, "long", self.now + 0.5))

    def turn(self, detents: int, encoder: int = 0) -> list:
        return self.event(Turn(encoder, detents, self.now))

    def hit(self, pad: int) -> list:
        return self.event(Pad(pad, 100, self.now)) + self.event(Pad(pad, 0, self.now + 0.05))

    def done(self) -> list:
        """The "done" action, as the journal page's push gives it."""
        from reverie.ui.practice.effects import EndSession

        out = self.practice.handle(self.ui.context, EndSession(), lambda e: [e])
        self.effects += out
        return out

    def type(self, text: str) -> list:
        out = []
        for key in text:
            out += self.event(Typed(key, self.now))
        return out

    def key(self, name: str) -> list:
        return self.event(Typed(name, self.now))

    def tick(self, seconds: float = 0.0, step: float = 1.0, playing: bool | None = None, **status) -> list:
        """Time passes in control ticks of `step` s, with the status given."""
        if playing is not None or status:
            from dataclasses import replace
            self.status = replace(self.status, **({"playing": playing} if playing is not None else {}), **status)
        out = []
        end = self.now + seconds
        while True:
            out += self.ui.update(self.status, self.now)
            if self.now >= end - 1e-9:
                break
            self.now = min(end, self.now + step)
        self.effects += out
        return out

    def shown(self):
        return self.ui.view().body


__all__ = ["Driven", "groove", "WALL0"]
