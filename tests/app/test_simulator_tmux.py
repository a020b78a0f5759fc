"""The simulator as a person uses it: `reverie run` in a terminal (tmux), keys typed, the
screen read back. The half-block screen is decoded to pixels and compared with what the UI
draws for the page the keys should have opened."""
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from reverie.app.boot import caps_of
from reverie.base.events import PRESS, RELEASE, Key
from reverie.hal.box import load_box
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.ui.draw import render
from reverie.ui.machine import UI
from reverie.ui.practice.options import PracticeOptions
from reverie.ui.status import Status

ROOT = Path(__file__).resolve().parents[2]
HALF = {" ": (0, 0), "\u2580": (1, 0), "\u2584": (0, 1), "\u2588": (1, 1)}



class Tmux:
    def __init__(self, tmp: Path):
        self.socket = f"reverie-test-{os.getpid()}"
        self.tmp = tmp

    def tmux(self, *args) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True,
                              text=True).stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", "box", "-x", "140", "-y", "48", command)

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-t", "box").splitlines()

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "box", *keys)

    def wait_for(self, predicate, timeout=20.0, what="the screen"):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            lines = self.screen()
            if predicate(lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"{what} did not appear; the terminal shows:\n" + "\n".join(self.screen()))

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def oled(lines: list[str]) -> np.ndarray | None:
    """The 128x64 pixels in a captured terminal: the 32 rows of 128 half blocks inside the frame."""
    rows = [l for l in lines if l.startswith("\u2502") and len(l) >= 130]
    if len(rows) != 32:
        return None
    px = np.zeros((64, 128), np.uint8)
    for y, line in enumerate(rows):
        for x, ch in enumerate(line[1:129]):
            top, bottom = HALF.get(ch, (0, 0))
            px[2 * y, x], px[2 * y + 1, x] = top, bottom
    return px


class Twin:
    """The same UI, fed the same key presses in this process: what the header should show."""

    def __init__(self):
        self.ui = UI(load_project(demo_project_path()), caps_of(load_box("simulator")))
        self.ui.practice.configure(PracticeOptions())       # the box asks how you feel at power-on
        self.ui.practice.power_on(0.0)

    def press(self, *names: str):
        for name in names:
            self.ui.handle(Key(name, PRESS))
            self.ui.handle(Key(name, RELEASE))
        return self

    def header(self) -> np.ndarray:
        return np.array(render(self.ui.view()), np.uint8)[:12]


def shows_header(twin: Twin):
    want = twin.header()

    def check(lines):
        px = oled(lines)
        return px is not None and np.array_equal(px[:12], want)
    return check


@pytest.fixture
def box(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[audio]\ndevice = "no such device"\n'
                      f'[controllers]\nenabled = false\n[hardware]\nwindow = false\n'
                      f'[paths]\ndata = "{tmp_path / "data"}"\n')
    env = f"HOME={tmp_path} PYTHONPATH={ROOT / 'firmware'} TERM=xterm-256color"
    t = Tmux(tmp_path)
    t.start(f"cd {tmp_path} && env {env} {sys.executable} -m reverie run --config {config}; "
            f"echo EXIT=$?; sleep 60")
    yield t
    t.kill()


def test_the_simulator_shows_pages_and_takes_keys_in_a_terminal(box):
    twin = Twin()
    box.wait_for(shows_header(twin), what="the check-in over the pattern page")
    box.keys("6")                                   # the SOUND page key: skips the check-in, opens SOUND
    box.wait_for(shows_header(twin.press("SOUND")), what="the sound page after 6")
    box.keys("7")
    box.wait_for(shows_header(twin.press("MIXER")), what="the mixer page after 7")
    box.keys("?")
    box.wait_for(lambda lines: any("pads 1234 qwer asdf zxcv" in l for l in lines), what="the key map")
    box.keys("5")                                   # back to the pattern page
    box.wait_for(shows_header(twin.press("PATTERN")), what="the pattern page after 5")
    box.keys(" ")                                   # PLAY: the header's mark turns to playing
    twin.ui.update(Status(playing=True, tempo_bpm=twin.ui.project.tempo, pattern=twin.ui.project.pattern), 0.0)
    box.wait_for(shows_header(twin), what="the playing mark after space")
    box.keys("C-d")                                 # quit
    lines = box.wait_for(lambda lines: any(l.startswith("EXIT=") for l in lines), what="the exit")
    assert "EXIT=0" in lines
    assert any(l.startswith("played ") and "0 faults" in l for l in lines)
