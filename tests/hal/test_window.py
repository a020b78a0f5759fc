"""The window under a real X server (Xvfb started here): it opens, shows what is displayed
scaled x4, and turns Tk key events into input events."""
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from reverie.base.events import Key, Pad
from reverie.hal.simulator.keyboard import Keyboard
from reverie.hal.display.window import LIT, open_window

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"


@pytest.fixture(scope="module")
def xdisplay():
    """A private X server: Xvfb picks a free display number and tells it through a pipe."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "800x600x24"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as pipe:
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            assert chunk, "Xvfb exited before naming its display"
            number += chunk
    assert Path(f"/tmp/.X11-unix/X{int(number)}").exists()
    yield f":{int(number)}"
    server.terminate()
    server.wait(10)


class Events:
    def __init__(self):
        self.items, self.changed = [], threading.Condition()

    def __call__(self, event):
        with self.changed:
            self.items.append(event)
            self.changed.notify_all()

    def wait_for(self, count, timeout_s=3.0):
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.items) >= count, timeout_s), self.items
            return list(self.items)


@pytest.fixture
def window(xdisplay):
    events, closed = Events(), threading.Event()
    keyboard = Keyboard(events, closed.set)
    win = open_window(keyboard, closed.set, screen=xdisplay)
    assert win is not None
    win.events, win.closed = events, closed
    yield win
    win.cleanup()
    assert not win._thread.is_alive()


def key(win, *events):
    """Generate Tk key events back to back on the window's thread, as the X server would."""
    def generate(root):
        for kind, keysym, state in events:
            root.event_generate(f"<{kind}>", keysym=keysym, state=state)
    win.call(generate)


def test_the_window_opens(window):
    title, mapped, width, height = window.call(
        lambda root: (root.title(), root.winfo_ismapped(), root.winfo_width(), root.winfo_height()))
    assert title == "reverie" and mapped and width >= 512 and height >= 256


def test_a_displayed_image_is_shown_four_times_larger(window):
    image = Image.new("1", (128, 64))
    ImageDraw.Draw(image).text((4, 4), "A01", fill=1)
    image.putpixel((100, 50), 1)
    window.display(image)
    waiting = threading.Event()
    for _ in range(200):
        if window.shown().tobytes() == image.tobytes():
            break
        waiting.wait(0.01)
    assert window.shown().tobytes() == image.tobytes()
    block = window.call(lambda root: [root.photo.get(400 + dx, 200 + dy) for dx in range(-1, 5) for dy in range(4)])
    assert block[:4] == [(0, 0, 0)] * 4 and block[4:20] == [LIT] * 16 and block[20:] == [(0, 0, 0)] * 4


def test_a_key_press_and_release_play_a_pad(window):
    key(window, ("KeyPress", "q", 0))
    assert window.events.wait_for(1)[0].__class__ is Pad
    key(window, ("KeyRelease", "q", 0))
    pads = window.events.wait_for(2)
    assert [(e.pad, e.velocity) for e in pads] == [(4, 100), (4, 0)]


def test_auto_repeat_is_not_a_release(window):
    key(window, ("KeyPress", "w", 0), ("KeyRelease", "w", 0), ("KeyPress", "w", 0),
        ("KeyRelease", "w", 0), ("KeyPress", "w", 0))
    key(window, ("KeyPress", "e", 0), ("KeyRelease", "e", 0))
    items = window.events.wait_for(3)
    assert [(e.pad, e.velocity) for e in items] == [(5, 100), (6, 100), (6, 0)]
    key(window, ("KeyRelease", "w", 0))
    assert [(e.pad, e.velocity) for e in window.events.wait_for(4)][3] == (5, 0)


@pytest.mark.timing
def test_shift_held_for_real_gets_a_long_press(window):
    key(window, ("KeyPress", "Tab", 0))
    items = window.events.wait_for(2)                  # press, then long after half a second
    key(window, ("KeyRelease", "Tab", 0))
    items = window.events.wait_for(3)
    assert [(e.name, e.action) for e in items] == [("SHIFT", "press"), ("SHIFT", "long"), ("SHIFT", "release")]
    assert items[1].t - items[0].t == pytest.approx(0.5, abs=0.05)
    assert all(isinstance(e, Key) for e in items)


def test_ctrl_c_and_the_close_button_ask_to_quit(window):
    key(window, ("KeyPress", "c", 4))
    assert window.closed.wait(2) and window.events.items == []
    window.closed.clear()
    window.call(lambda root: root.tk.eval(root.protocol("WM_DELETE_WINDOW")))
    assert window.closed.is_set()


def test_no_display_no_window():
    keyboard = Keyboard(lambda e: None, lambda: None)
    assert open_window(keyboard, lambda: None, screen=":4095") is None
    # Tk puts the display it opened into the process environment, so $DISPLAY unset is checked
    # in a fresh process
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    code = ("from reverie.hal.display.window import open_window; from reverie.hal.simulator.keyboard import Keyboard; "
            "assert open_window(Keyboard(print, print), print) is None")
    result = subprocess.run([sys.executable, "-c", code], env=env | {"PYTHONPATH": str(FIRMWARE)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
