"""Projects and helpers the playing pages' tests share: a small groove with every kind of
step (a trig, a chord, locks, a trigless lock, a trig off, a retrig), and a UI driven by
scripted events."""
from __future__ import annotations

from reverie.base.events import Key, Pad, Turn
from reverie.project.model import Project
from reverie.ui.context import Caps
from reverie.ui.draw import render
from reverie.ui.machine import UI
from reverie.ui.status import Status

MINIMAL = Caps(encoders=1, keys=frozenset({"ENC1", "SHIFT", "PLAY"}), pads=True)
# The fourteen pages docs/ui.md promises, in the menu's order: the page keys' pages, then the
# pages reached from the menu by name (STEP also from a held pad).
PAGES = ("PATTERN", "SOUND", "MIXER", "SONG", "SAMPLE", "PROJECT", "SETTINGS", "SYSTEM", "FLOW", "GEN", "JOURNAL",
         "KEYS", "LISTEN", "STEP")
NAMES = ("Kick", "Snare", "Clap", "Closed hat", "Open hat", "Bass", "Pad", "Perc")


def groove() -> Project:
    kick = {"steps": [{}, None, None, None, {}, None, None, None, {}, None, None, None, {}, None,
                      {"velocity": 60, "locks": {"cutoff_hz": 800}}, {"trig": False, "locks": {"decay_ms": 90}}]}
    snare = {"length": 32, "steps": {"4": {}, "12": {"prob": 50, "cond": "1:2"}, "20": {},
                                     "28": {"retrig": {"rate": 4, "length": 0.5}}, "30": {"trig": False}}}
    bass = {"speed": "1/2", "steps": [{"notes": [36, 43, 48], "length": 0.5}, None, {"notes": [38]}]}
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "name": "Groove", "tempo": 120,
        "tracks": [{"name": n, "sample": f"factory:{n.lower().replace(' ', '-')}",
                    "params": {"cutoff_hz": 5000} if n == "Bass" else {},
                    "bus": {"volume_db": -6} if n == "Snare" else {}} for n in NAMES],
        "patterns": {"A01": {"tracks": [kick, snare, {}, {}, {}, bass]}},
    })


def ui(caps: Caps = Caps(), project: Project | None = None) -> UI:
    return UI(project or groove(), caps)


def press(u: UI, name: str, t: float = 0.0) -> list:
    return u.handle(Key(name, "press", t)) + u.handle(Key(name, "release", t))


def hit(u: UI, pad: int, t: float = 0.0, velocity: int = 100) -> list:
    return u.handle(Pad(pad, velocity, t)) + u.handle(Pad(pad, 0, t))


def turn(u: UI, encoder: int, detents: int, t: float = 0.0) -> list:
    return u.handle(Turn(encoder, detents, t))


def playing(u: UI, steps: dict[int, int] | None = None, pattern: str = "A01") -> None:
    s = [-1] * 16
    for k, v in (steps or {}).items():
        s[k] = v
    u.update(Status(playing=True, pattern=pattern, steps=tuple(s)))


def image(u: UI):
    return render(u.view())


def page_press(page, ctx, name: str) -> list:
    """A key pressed and released straight at a page: the effects of both."""
    out = page.key(ctx, Key(name, "press"))
    return (out or []) + (page.key(ctx, Key(name, "release")) or [])


def page_click(page, ctx):
    """A short push of ENC1 straight at a page: what its release did."""
    page.key(ctx, Key("ENC1", "press"))
    return page.key(ctx, Key("ENC1", "release"))
