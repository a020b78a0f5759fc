"""The box on a laptop: the screen drawn in the terminal (and in a window when there is a
desktop), the computer keyboard as pads, keys and encoders.

    sim = Simulator(emit=app.enqueue, quit=app.stop).start()
    display = DisplayThread(sim.display, render).start()
    ...
    display.close(); sim.close()

Keys become input events passed to `emit` (the control thread's thread-safe enqueue) from
the key reader's or the window's thread. `quit` is called for Ctrl-D, Ctrl-C typed as a key
in the window, and the window's close button; Ctrl-C in the terminal stays a SIGINT.
"""
from __future__ import annotations

import sys
import threading

from PIL import Image

from reverie.hal.simulator.keyboard import Keyboard
from reverie.hal.simulator.keymap import HOLD_KEY, SHIFT_KEY, help_lines
from reverie.hal.display.terminal import TerminalScreen
from reverie.hal.simulator.terminal_keys import TerminalKeys
from reverie.hal.display.window import open_window


class MirrorDisplay:
    """A luma-like device showing each image in the terminal and, when open, the window."""

    width, height, mode = 128, 64, "1"
    size = (width, height)

    def __init__(self, simulator):
        self._sim = simulator

    def display(self, image) -> None:
        self._sim.terminal.display(image)
        if self._sim.window is not None:
            self._sim.window.display(image)

    def cleanup(self) -> None:
        """Go dark, as the OLED does; the simulator's close gives the terminal back."""
        self.display(Image.new(self.mode, self.size))


class Simulator:
    def __init__(self, emit, quit, window: bool = True, stream=None, stdin=None,
                 screen: str | None = None, terminal_size=None):
        self._quit = quit
        self.keyboard = Keyboard(emit, quit, on_help=self.toggle_help, on_change=self._show_status)
        self.terminal = TerminalScreen(stream or sys.stdout, terminal_size)
        self.keys = TerminalKeys(self.keyboard, stdin or sys.stdin, on_idle=self.terminal.refresh)
        self.display = MirrorDisplay(self)
        self.window = None
        self._want_window = window
        self._screen = screen
        self._hint = ""
        self._help = False
        self._lock = threading.Lock()

    def start(self) -> Simulator:
        self.terminal.open()
        self.terminal.display(Image.new("1", self.display.size))
        self.keys.start()
        if self._want_window:
            self.window = open_window(self.keyboard, self._quit, screen=self._screen)
        self._show_status()
        return self

    def close(self) -> None:
        self.keys.close()
        if self.window is not None:
            self.window.cleanup()
        self.terminal.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def set_hint(self, text: str) -> None:
        """A line under the screen for the app to say something (what was saved, a warning)."""
        with self._lock:
            self._hint = text
        self._show_status()

    def toggle_help(self) -> None:
        with self._lock:
            self._help = not self._help
        self._show_status()

    def status_lines(self) -> list[str]:
        kb = self.keyboard
        if kb.shift:
            shift = f"SHIFT on ({SHIFT_KEY}: off)"
        else:
            shift = f"{SHIFT_KEY} shift"
        if kb.held is not None:
            hold = f"holding {kb.held[1] if kb.held[0] == 'key' else f'pad {kb.held[1] + 1}'}"
        elif kb.armed:
            hold = "next key stays down"
        else:
            hold = f"{HOLD_KEY} hold"
        window = "  (window open)" if self.window is not None else ""
        with self._lock:
            lines = [f"{shift}  {hold}  ? keys  Ctrl-C quit{window}", self._hint]
            if self._help:
                lines += help_lines()
        return lines

    def _show_status(self) -> None:
        self.terminal.set_status(self.status_lines())
