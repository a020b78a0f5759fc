"""The simulator as the app uses it: a display thread drawing into the terminal (and a window),
keys from a pseudo-terminal and from the window becoming events, the status under the screen."""
import io
import os
import re
import termios
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw
from test_terminal import Grid
from test_window import xdisplay  # noqa: F401  (the private X server fixture)

from reverie.base.events import Pad
from reverie.hal.display.thread import DisplayThread
from reverie.hal.simulator.keymap import KEYMAP, help_lines, key_map_markdown, shown
from reverie.hal.simulator import Simulator
from reverie.hal.display.terminal import ALT_SCREEN_OFF, CURSOR_SHOW, framed, half_block_lines


@dataclass(frozen=True)
class Page:
    title: str


def render(view):
    image = Image.new("1", (128, 64))
    ImageDraw.Draw(image).text((4, 4), view.title, fill=1)
    return image


class App:
    def __init__(self):
        self.events, self.quit = [], threading.Event()
        self.got = threading.Event()

    def emit(self, event):
        self.events.append(event)
        self.got.set()


def simulator(app, **kw):
    stream = io.StringIO()
    read, write = os.pipe()
    stdin = os.fdopen(read, "rb")
    os.close(write)
    sim = Simulator(app.emit, app.quit.set, stream=stream, stdin=stdin, terminal_size=lambda: (140, 45), **kw)
    return sim, stream, stdin


def screen_lines(stream):
    grid = Grid(140, 45)
    grid.feed(stream.getvalue())
    return grid.lines()


def test_the_display_thread_draws_into_the_terminal_with_the_status_under_it():
    app = App()
    sim, stream, stdin = simulator(app, window=False)
    with sim, stdin:
        with DisplayThread(sim.display, render) as thread:
            thread.show(Page("PATTERN"))
            assert thread.flush()
            sim.set_hint("saved demo")
            lines = screen_lines(stream)
            assert lines[:34] == [line.rstrip() for line in framed(half_block_lines(render(Page("PATTERN"))))]
            assert lines[34].startswith("Tab shift  ` hold  ? keys  Ctrl-C quit") and lines[35] == "saved demo"
            assert "window" not in lines[34]
        blank = Image.new("1", (128, 64))          # the display thread's close darkens the screen
        assert screen_lines(stream)[:34] == [line.rstrip() for line in framed(half_block_lines(blank))]
    assert stream.getvalue().endswith(CURSOR_SHOW + ALT_SCREEN_OFF)


def test_keys_become_events_and_change_the_status():
    app = App()
    sim, stream, stdin = simulator(app, window=False)
    with sim, stdin:
        sim.keys.feed(b"q")
        assert app.events == [Pad(4, 100, app.events[0].t)]
        sim.keys.feed(b"\t")
        assert screen_lines(stream)[34].startswith("SHIFT on (Tab: off)")
        sim.keys.feed(b"`/")
        assert "holding FUNC" in screen_lines(stream)[34]
        sim.keys.feed(b"?")
        assert screen_lines(stream)[36:36 + len(help_lines())] == help_lines()
        sim.keys.feed(b"?")
        assert screen_lines(stream)[36:] == [""] * 9
        assert not app.quit.is_set()
        sim.keys.feed(b"\x04")
        assert app.quit.is_set()


def test_keys_typed_in_a_real_terminal():
    app = App()
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    stream = io.StringIO()
    with os.fdopen(slave, "rb", buffering=0) as stdin:
        size = [140, 45]
        sim = Simulator(app.emit, app.quit.set, window=False, stream=stream, stdin=stdin,
                        terminal_size=lambda: tuple(size))
        with sim:
            os.write(master, b"x")
            assert app.got.wait(2) and app.events[0].pad == 13
            mark = len(stream.getvalue())
            size[:] = [80, 24]                      # resized while nothing changes on screen
            waiting = threading.Event()
            for _ in range(100):
                if "\x1b[2J" in stream.getvalue()[mark:]:
                    break
                waiting.wait(0.02)
            assert stream.getvalue()[mark:].startswith("\x1b[2J")
        assert termios.tcgetattr(slave) == before
    os.close(master)


def test_the_window_mirrors_the_screen_and_takes_keys(xdisplay):  # noqa: F811
    app = App()
    sim, stream, stdin = simulator(app, window=True, screen=xdisplay)
    with sim, stdin:
        assert sim.window is not None and "(window open)" in screen_lines(stream)[34]
        image = render(Page("MIXER"))
        sim.display.display(image)
        waiting = threading.Event()
        for _ in range(200):
            if sim.window.shown().tobytes() == image.tobytes():
                break
            waiting.wait(0.01)
        assert sim.window.shown().tobytes() == image.tobytes()
        assert screen_lines(stream)[1:33] == [line.rstrip() for line in framed(half_block_lines(image))][1:33]
        sim.window.call(lambda root: root.event_generate("<KeyPress>", keysym="v"))
        assert app.got.wait(2) and app.events == [Pad(15, 100, app.events[0].t)]
        sim.window.call(lambda root: root.tk.eval(root.protocol("WM_DELETE_WINDOW")))
        assert app.quit.is_set()
    assert not sim.window._thread.is_alive()


def test_the_docs_key_map_is_the_code_s():
    """To regenerate the block in docs/simulator.md: print(reverie.hal.simulator.keymap.key_map_markdown())."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- keymap: start -->\n(.*)\n<!-- keymap: end -->", doc, re.S).group(1)
    assert block == key_map_markdown()
    for key in KEYMAP:
        assert ("`` ` ``" if key == "`" else f"`{shown(key)}`") in block, key
