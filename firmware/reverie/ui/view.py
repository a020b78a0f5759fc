"""The view model: everything the screen shows, as frozen comparable data. The machine builds
a `Screen`; draw/ turns it into pixels. Equal screens draw equal images, so the display
thread skips a screen equal to the last one."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Header:
    title: str              # the page, e.g. "PATTERN"
    pattern: str            # "A01"
    track: int              # the focused track, 0..15
    tempo_bpm: float
    playing: bool
    recording: bool = False
    shift: bool = False     # SHIFT held: the help mode


@dataclass(frozen=True)
class Card:
    """An overlay over the page: a help card (SHIFT + a control) or a notice."""
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Screen:
    header: Header
    body: object            # a page's frozen view dataclass
    overlay: Card | None = None
