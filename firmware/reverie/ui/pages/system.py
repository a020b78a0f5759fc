"""The system page: how hard the audio callback works, voices, dropouts, the network, the
firmware's version, how long the box has run and the MIDI devices plugged in, all from the
Status the app builds each tick. The DSP line stays at the top; the rest scrolls."""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import PRESS, Key, Turn
from reverie.ui.instruments import RescanInstruments
from reverie.ui.one_knob import one_knob, step
from reverie.ui.page import Page

SCROLLED_LINES = 3                 # under the DSP line


@dataclass(frozen=True)
class SystemView:
    load: float                    # the callback's peak load, 0..1 (more: overloaded)
    lines: tuple[tuple[str, str], ...]   # everything under it, (left, right), scrolled by `first`
    first: int
    xruns: int


def uptime(seconds: float) -> str:
    s = max(0, int(seconds))
    days, s = divmod(s, 86400)
    text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{days}d {text}" if days else text


class SystemPage(Page):
    name = "SYSTEM"
    title = "SYSTEM"
    help = {
        "ENC1 TURN": "Scroll: voices, network, version, audio, MIDI devices.",
        "ENC1 PRESS": "Look for instruments of your own again.",
    }

    def __init__(self) -> None:
        self.first = 0

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name != "ENC1" or one_knob(ctx):        # one encoder: its clicks are the machine's
            return None
        return [RescanInstruments()] if ev.action == PRESS else []

    def fields(self, ctx) -> int:
        return 1

    def turn(self, ctx, ev: Turn) -> list | None:
        self.first = step(self.first, ev.detents, 0, self._last(ctx))
        return []

    def _lines(self, ctx) -> tuple[tuple[str, str], ...]:
        s = ctx.status
        midi = s.midi_devices
        return ((f"voices {s.voices}", f"xruns {s.xruns}"),
                (f"IP {s.ip_address}" if s.ip_address else "no network", ""),
                (f"v{s.version}" if s.version else "version ?", f"up {uptime(s.uptime_s)}"),
                ("audio SILENT" if s.audio.silent else "audio ok",
                 f"lost {s.audio.losses}" if s.audio.losses else ""),
                (f"MIDI devices: {len(midi)}" if midi else "no MIDI devices", ""),
                ) + tuple((name, "") for name in midi)

    def _last(self, ctx) -> int:
        return max(0, len(self._lines(ctx)) - SCROLLED_LINES)

    def view(self, ctx) -> SystemView:
        self.first = min(self.first, self._last(ctx))
        s = ctx.status
        return SystemView(s.dsp_load, self._lines(ctx), self.first, s.xruns)
