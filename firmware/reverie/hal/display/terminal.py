"""The screen drawn in a terminal: a 1-bit 128x64 image as text, redrawn in place.

Two pixels stacked make one half-block character (128 columns x 32 rows); a terminal too small
for that frame gets braille instead, 2 x 4 pixels a character (64 x 16). Only characters with
no colour are used, so `tmux capture-pane -p` reads the screen as plain text. Rows are
redrawn with cursor addressing only when their text changed.
"""
from __future__ import annotations

import atexit
import os
import threading

import numpy as np

HALF_BLOCKS = np.array([ord(" "), ord("▀"), ord("▄"), ord("█")], dtype=np.uint32)
# braille dot bit of each pixel in a 2-wide, 4-tall cell, indexed [row][column] (Unicode order)
BRAILLE_DOTS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint32)
TITLE = " reverie "
NOT_A_TERMINAL = (200, 60)    # columns, rows assumed when the stream is a file or a pipe

ALT_SCREEN_ON, ALT_SCREEN_OFF = "\x1b[?1049h", "\x1b[?1049l"
CURSOR_HIDE, CURSOR_SHOW = "\x1b[?25l", "\x1b[?25h"
CLEAR, RESET = "\x1b[2J", "\x1b[0m"


def pixels(image) -> np.ndarray:
    """The image as a (height, width) bool array, lit = True."""
    if image.mode == "1":
        return np.asarray(image, dtype=bool)
    return np.asarray(image.convert("L")) >= 128


def _rows(codepoints: np.ndarray) -> list[str]:
    return [row.tobytes().decode("utf-32-le") for row in codepoints.astype("<u4")]


def half_block_lines(image) -> list[str]:
    """height/2 lines of width characters: ▀ top pixel lit, ▄ bottom, █ both, space neither."""
    p = pixels(image)
    top, bottom = p[0::2], p[1::2]
    return _rows(HALF_BLOCKS[top.astype(np.uint8) + 2 * bottom.astype(np.uint8)])


def braille_lines(image) -> list[str]:
    """height/4 lines of width/2 braille characters; a blank cell is a space."""
    p = pixels(image)
    h, w = p.shape
    cells = p.reshape(h // 4, 4, w // 2, 2)
    bits = np.einsum("ydxc,dc->yx", cells.astype(np.uint32), BRAILLE_DOTS)
    return _rows(np.where(bits == 0, ord(" "), 0x2800 + bits))


def framed(lines: list[str]) -> list[str]:
    width = len(lines[0])
    top = "┌─" + TITLE + "─" * (width - len(TITLE) - 1) + "┐"
    return [top] + ["│" + line + "│" for line in lines] + ["└" + "─" * width + "┘"]


def choose_renderer(columns: int, rows: int, height: int, width: int, status_rows: int):
    """Half blocks when the framed screen and the status lines fit, else braille."""
    if columns >= width + 2 and rows >= height // 2 + 2 + status_rows:
        return half_block_lines
    return braille_lines


class TerminalScreen:
    """A luma-like device (`width`, `height`, `mode`, `display`, `cleanup`) drawing to `stream`.

    `terminal_size` returns (columns, rows); by default the stream's terminal size. Lines set
    with `set_status` are drawn under the screen (the simulator's status, hint and key help)."""

    width, height, mode = 128, 64, "1"
    size = (width, height)
    STATUS_ROWS = 2             # reserved under the frame when choosing the rendering

    def __init__(self, stream, terminal_size=None):
        self.stream = stream
        self._terminal_size = terminal_size or self._stream_size
        self._lock = threading.Lock()
        self._image = None
        self._status: list[str] = []
        self._painted: dict[int, str] = {}     # terminal row (1-based) -> text on it
        self._geometry = None
        self._open = False

    def open(self) -> TerminalScreen:
        with self._lock:
            if not self._open:
                self._open = True
                self._write(ALT_SCREEN_ON + CURSOR_HIDE + CLEAR)
                atexit.register(self.cleanup)
                self._paint()
        return self

    def display(self, image) -> None:
        if image.size != self.size:
            raise ValueError(f"the terminal screen shows {self.size} images, not {image.size}")
        with self._lock:
            self._image = image.copy()
            self._paint()

    def set_status(self, lines: list[str]) -> None:
        with self._lock:
            self._status = list(lines)
            self._paint()

    def refresh(self) -> None:
        """Redraw if the terminal was resized since the last drawing (called now and then, as
        nothing else tells a thread that the window changed size)."""
        with self._lock:
            if self._geometry is not None and self._terminal_size() != self._geometry[:2]:
                self._paint()

    def cleanup(self) -> None:
        """Give the terminal back as it was: cursor shown, the screen before we started."""
        with self._lock:
            if not self._open:
                return
            self._open = False
            self._painted.clear()
            try:
                self._write(RESET + CURSOR_SHOW + ALT_SCREEN_OFF)
            except (OSError, ValueError):
                pass        # the terminal is gone (closed stream, hung-up tty): nothing to restore
        atexit.unregister(self.cleanup)

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc):
        self.cleanup()

    def _stream_size(self):
        try:
            return tuple(os.get_terminal_size(self.stream.fileno()))
        except (AttributeError, OSError, ValueError):
            return NOT_A_TERMINAL

    def _paint(self) -> None:
        if not self._open or self._image is None:
            return
        columns, rows = self._terminal_size()
        render = choose_renderer(columns, rows, self.height, self.width, self.STATUS_ROWS)
        if (columns, rows, render) != self._geometry:
            self._geometry = (columns, rows, render)
            self._painted.clear()
            self._write(CLEAR)
        wanted = framed(render(self._image)) + self._status
        if len(wanted) > rows:
            wanted = wanted[:rows - 1] + ["…"]
        out = []
        for row in range(1, max(len(wanted), max(self._painted, default=0)) + 1):
            text = wanted[row - 1][:columns] if row <= len(wanted) else ""
            if self._painted.get(row, "") != text:
                out.append(f"\x1b[{row};1H\x1b[2K{text}")
                self._painted[row] = text
        self._write("".join(out))

    def _write(self, text: str) -> None:
        if text:
            self.stream.write(text)
            self.stream.flush()
