"""The settings page: the box's settings as a list, four to a screen.

Box settings live in Context.settings (the app fills it at start, from the configuration and
the box's state file); a change updates it and asks the app to apply and keep it with a
Setting(key, value) effect. The metronome and the count-in belong to the project, so they
change through mix_edit.set_metronome (undoable, saved with the project).
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import DOUBLE, LONG, PRESS, Key, Turn
from reverie.project import mix_edit, scales
from reverie.ui import effects as fx
from reverie.ui.one_knob import SHORT, Push, one_knob, step
from reverie.ui.page import Page

NOTES = scales.NOTE_NAMES
# The scales the pads and keyboards can be locked to: the table in project/scales.py.
SCALES = scales.NAMES
CONTRAST = tuple(range(15, 256, 16))          # 16 levels of the OLED's 0..255 contrast
PER_SCREEN = 4


@dataclass(frozen=True)
class Item:
    key: str                       # a Context.settings key, or "project.<field>"
    label: str
    choices: tuple                 # the values, in turning order
    default: object
    names: tuple[str, ...] = ()    # how each value is shown; () = str(value)


ITEMS = (
    Item("project.metronome", "metronome", (False, True), False, ("off", "on")),
    Item("project.count_in_bars", "count-in", (0, 1, 2), 0, ("off", "1 bar", "2 bars")),
    Item("pads.scale", "scale", SCALES, "off"),
    Item("pads.root", "scale root", tuple(range(12)), 0, NOTES),
    Item("pads.velocity", "velocity", ("dynamic", "fixed"), "dynamic"),
    Item("sync.source", "sync", ("internal", "midi", "link"), "internal", ("internal", "MIDI", "Link")),
    Item("midi.clock_out", "MIDI clock out", (False, True), True, ("off", "on")),
    Item("display.contrast", "contrast", CONTRAST, 255),
)


@dataclass(frozen=True)
class SettingsView:
    lines: tuple[tuple[str, str], ...]   # (label, value) of the settings on this screen
    screen: int
    screens: int
    focus: int                           # one encoder: the focused line; -1 = four encoders


class SettingsPage(Page):
    name = "SETTINGS"
    title = "SETTINGS"
    help = {
        "ENC1": "turn: the first setting shown; push: its next value",
        "ENC2": "turn: the second setting shown; push: its next value",
        "ENC3": "turn: the third setting shown; push: its next value",
        "ENC4": "turn: the fourth setting shown; push: its next value",
        "LEFT": "The screen of settings before.", "RIGHT": "The next screen of settings.",
    }

    def __init__(self) -> None:
        self.screen = 0
        self.focus = 0                  # one encoder: the focused item
        self._push = Push()

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                self._show(step(self.screen, 1 if ev.name == "RIGHT" else -1, 0, self._screens() - 1))
            return []
        if not ev.name.startswith("ENC"):
            return None
        if one_knob(ctx):
            if ev.name != "ENC1":
                return None
            kind = self._push.kind(ev)
            if kind == LONG:
                return None                            # the machine's menu
            if kind == SHORT:
                self.focus = (self.focus + 1) % len(ITEMS)
            elif kind == DOUBLE:                       # the click moved on: back, and next value
                self.focus = (self.focus - 1) % len(ITEMS)
                self.screen, ctx.focus = divmod(self.focus, PER_SCREEN)
                return self._change(ctx, ITEMS[self.focus], 1, wrap=True)
            self.screen = self.focus // PER_SCREEN
            ctx.focus = self.focus % PER_SCREEN        # the encoder whose help SHIFT shows
            return []
        item = self._item(int(ev.name[3:]) - 1)
        if ev.action != PRESS or item is None:
            return []
        return self._change(ctx, item, 1, wrap=True)

    def turn(self, ctx, ev: Turn) -> list | None:
        item = ITEMS[self.focus] if one_knob(ctx) else self._item(ev.encoder)
        return [] if item is None else self._change(ctx, item, ev.detents)

    # --- values ------------------------------------------------------------------------

    def _change(self, ctx, item: Item, d: int, wrap: bool = False) -> list:
        at = self._index(ctx, item)
        at = (at + d) % len(item.choices) if wrap else step(at, d, 0, len(item.choices) - 1)
        value = item.choices[at]
        if item.key.startswith("project."):
            p = ctx.project
            on, bars = (value, p.count_in_bars) if item.key == "project.metronome" else (p.metronome, value)
            return ctx.edit(mix_edit.set_metronome, on, bars, label=f"{item.label} {self._shown(item, value)}")
        if value == ctx.settings.get(item.key, item.default):
            return []
        if item.key == "sync.source" and value == "link" and not ctx.status.ip_address:
            ctx.message = "Link finds its peers on a network: there is none now"
        ctx.settings[item.key] = value
        return [fx.Setting(item.key, value)]

    def _value(self, ctx, item: Item):
        if item.key.startswith("project."):
            return getattr(ctx.project, item.key.split(".", 1)[1])
        return ctx.settings.get(item.key, item.default)

    def _index(self, ctx, item: Item) -> int:
        value = self._value(ctx, item)
        if value in item.choices:
            return item.choices.index(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return min(range(len(item.choices)), key=lambda i: abs(item.choices[i] - value))
        return item.choices.index(item.default)

    def _shown(self, item: Item, value) -> str:
        if item.key == "display.contrast" and isinstance(value, (int, float)):
            return f"{round(value / 255 * 100)}%"
        if item.names and value in item.choices:
            return item.names[item.choices.index(value)]
        return str(value)

    def _item(self, encoder: int) -> Item | None:
        i = self.screen * PER_SCREEN + encoder
        return ITEMS[i] if 0 <= encoder < PER_SCREEN and i < len(ITEMS) else None

    def _screens(self) -> int:
        return -(-len(ITEMS) // PER_SCREEN)

    def _show(self, screen: int) -> None:
        self.screen = screen
        self.focus = screen * PER_SCREEN

    def view(self, ctx) -> SettingsView:
        lines = []
        for item in ITEMS[self.screen * PER_SCREEN:(self.screen + 1) * PER_SCREEN]:
            shown = self._shown(item, self._value(ctx, item))
            if item.key == "sync.source" and shown == "Link" and not ctx.status.ip_address:
                shown = "Link:no net"
            lines.append((item.label, shown))
        focus = self.focus - self.screen * PER_SCREEN if one_knob(ctx) else -1
        return SettingsView(tuple(lines), self.screen, self._screens(), focus)
