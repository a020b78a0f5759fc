"""The terminal screen: exact text for known images, in-place redraws of changed rows only,
and what a real terminal (tmux) shows."""
import io
import re
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from reverie.hal.display.terminal import (ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_HIDE, CURSOR_SHOW, TerminalScreen,
                                  braille_lines, framed, half_block_lines)

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"


def image_with(*lit, mode="1"):
    image = Image.new(mode, (128, 64))
    for xy in lit:
        image.putpixel(xy, 255 if mode == "L" else 1)
    return image


def test_half_blocks_stack_two_pixels():
    lines = half_block_lines(image_with((0, 0), (1, 1), (2, 0), (2, 1), (127, 63)))
    assert len(lines) == 32 and all(len(line) == 128 for line in lines)
    assert lines[0] == "▀▄█" + " " * 125
    assert lines[31] == " " * 127 + "▄"
    assert all(line == " " * 128 for line in lines[1:31])


def test_braille_puts_eight_pixels_in_a_cell():
    dots = [((0, 0), 0x01), ((0, 1), 0x02), ((0, 2), 0x04), ((1, 0), 0x08),
            ((1, 1), 0x10), ((1, 2), 0x20), ((0, 3), 0x40), ((1, 3), 0x80)]
    for (x, y), bit in dots:
        lines = braille_lines(image_with((x + 2, y + 4)))       # cell (1, 1)
        assert lines[1][1] == chr(0x2800 + bit)
    full = braille_lines(image_with(*[(x, y) for x in range(2) for y in range(4)]))
    assert len(full) == 16 and all(len(line) == 64 for line in full)
    assert full[0] == "⣿" + " " * 63 and full[1:] == [" " * 64] * 15


def test_grey_images_are_thresholded_not_dithered():
    grey = Image.new("L", (128, 64), 100)
    grey.putpixel((5, 0), 200)
    assert half_block_lines(grey)[0] == " " * 5 + "▀" + " " * 122


@pytest.mark.parametrize("width", [64, 128])
def test_the_frame_has_a_title(width):
    lines = framed(["x" * width, "y" * width])
    assert lines[0] == "┌─ reverie " + "─" * (width - 10) + "┐"
    assert lines[1:] == ["│" + "x" * width + "│", "│" + "y" * width + "│", "└" + "─" * width + "┘"]


class Grid:
    """Enough of a terminal to replay what the screen writes: cursor moves, line and screen
    erase, text. It fails on anything else, so stray output is caught."""
    CONTROL = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[2K|\x1b\[2J|\x1b\[\?(1049|25)[hl]|\x1b\[0m")

    def __init__(self, columns, rows):
        self.columns, self.rows = columns, rows
        self.cells = [[" "] * columns for _ in range(rows)]
        self.row = self.col = 0

    def feed(self, text):
        pos = 0
        for match in self.CONTROL.finditer(text):
            self.put(text[pos:match.start()])
            pos = match.end()
            if match.group(1):
                self.row, self.col = int(match.group(1)) - 1, int(match.group(2)) - 1
            elif match.group(0) == "\x1b[2K":
                self.cells[self.row] = [" "] * self.columns
            elif match.group(0) == "\x1b[2J":
                self.cells = [[" "] * self.columns for _ in range(self.rows)]
        self.put(text[pos:])

    def put(self, text):
        assert "\x1b" not in text and "\n" not in text
        for char in text:
            assert self.row < self.rows and self.col < self.columns, "wrote past the terminal"
            self.cells[self.row][self.col] = char
            self.col += 1

    def lines(self):
        return ["".join(row).rstrip() for row in self.cells]


def screen(columns=140, rows=40):
    stream = io.StringIO()
    size = [columns, rows]
    return TerminalScreen(stream, terminal_size=lambda: tuple(size)), stream, size


def drawn(stream, start):
    text = stream.getvalue()[start:]
    return text, re.findall(r"\x1b\[(\d+);1H", text)


def test_only_changed_rows_are_redrawn():
    term, stream, _ = screen()
    term.open()
    image = image_with((10, 10))
    term.display(image)
    text, rows = drawn(stream, 0)
    assert text.startswith(ALT_SCREEN_ON + CURSOR_HIDE) and len(rows) == 34
    mark = len(stream.getvalue())
    term.display(image.copy())
    assert drawn(stream, mark)[0] == ""
    image.putpixel((50, 40), 1)                      # text row 20, terminal row 22 (frame on row 1)
    term.display(image)
    assert drawn(stream, mark)[1] == ["22"]


def test_the_terminal_shows_the_frame_and_the_status():
    term, stream, size = screen(140, 40)
    grid = Grid(140, 40)
    with term:
        image = Image.new("1", (128, 64))
        ImageDraw.Draw(image).text((3, 3), "PATTERN A01", fill=1)
        term.display(image)
        term.set_status(["Tab shift  ? keys", "saved"])
        term.set_status(["Tab shift  ? keys", ""])
        image.putpixel((127, 63), 1)
        term.display(image)
        grid.feed(stream.getvalue())
        expected = framed(half_block_lines(image)) + ["Tab shift  ? keys"]
        assert grid.lines()[:35] == [line.rstrip() for line in expected]
        assert all(line == "" for line in grid.lines()[35:])


def test_a_small_terminal_gets_braille_and_nothing_past_its_edges():
    term, stream, size = screen(80, 24)
    grid = Grid(80, 24)
    term.open()
    image = image_with((0, 0), (127, 63))
    term.display(image)
    term.set_status(["a status line far longer than eighty columns " * 3] + [f"help {i}" for i in range(10)])
    grid.feed(stream.getvalue())
    lines = grid.lines()
    assert lines[:18] == [line.rstrip() for line in framed(braille_lines(image))]
    assert len(lines[18]) == 80 and lines[19:23] == ["help 0", "help 1", "help 2", "help 3"]
    assert lines[23] == "…"


def test_a_resize_redraws_everything_in_the_new_form():
    term, stream, size = screen(140, 40)
    term.open()
    term.display(image_with((0, 0)))
    size[:] = [70, 30]
    mark = len(stream.getvalue())
    term.display(image_with((0, 0)))
    text, rows = drawn(stream, mark)
    assert text.startswith("\x1b[2J") and len(rows) == 18 and "⠁" in text and "▀" not in text


def test_refresh_redraws_only_after_a_resize():
    term, stream, size = screen(140, 40)
    term.open()
    term.display(image_with((0, 0)))
    mark = len(stream.getvalue())
    term.refresh()
    assert stream.getvalue()[mark:] == ""
    size[:] = [80, 24]
    term.refresh()
    text, rows = drawn(stream, mark)
    assert text.startswith("\x1b[2J") and len(rows) == 18 and "⠁" in text


def test_cleanup_gives_the_terminal_back_once_even_after_an_error():
    term, stream, _ = screen()
    with pytest.raises(RuntimeError):
        with term:
            term.display(image_with((1, 1)))
            raise RuntimeError("the app failed")
    assert stream.getvalue().endswith(CURSOR_SHOW + ALT_SCREEN_OFF)
    mark = len(stream.getvalue())
    term.cleanup()
    term.display(image_with((2, 2)))                 # closed: draws nothing
    assert stream.getvalue()[mark:] == ""


def test_a_wrong_size_is_refused():
    term, _, _ = screen()
    with pytest.raises(ValueError, match="128, 64"):
        term.display(Image.new("1", (64, 32)))


def test_tmux_capture_reads_the_screen_as_text(tmp_path):
    script = tmp_path / "draw.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(FIRMWARE)!r})
        from PIL import Image, ImageDraw
        from reverie.hal.display.terminal import TerminalScreen
        image = Image.new("1", (128, 64))
        ImageDraw.Draw(image).rectangle((0, 0, 127, 9), fill=1)
        ImageDraw.Draw(image).text((4, 20), "A01", fill=1)
        image.save({str(tmp_path / "image.png")!r})
        screen = TerminalScreen(sys.stdout).open()
        screen.display(image)
        screen.set_status(["status here"])
        open({str(tmp_path / "ready")!r}, "w").close()
        sys.stdin.readline()
        screen.cleanup()
    """))
    session = f"reverie-test-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", session]
    subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "140", "-y", "40",
                           f"{sys.executable} {script}"], check=True)
    try:
        ready, waiting = tmp_path / "ready", threading.Event()
        for _ in range(200):                          # up to 10 s for Python to start
            if ready.exists():
                break
            waiting.wait(0.05)
        assert ready.exists()
        captured = subprocess.run(tmux + ["capture-pane", "-p", "-t", session], check=True,
                                  capture_output=True, text=True).stdout.splitlines()
        image = Image.open(tmp_path / "image.png").convert("1")
        assert captured[:34] == [line.rstrip() for line in framed(half_block_lines(image))]
        assert captured[34] == "status here"
    finally:
        subprocess.run(tmux + ["kill-server"], check=False)
