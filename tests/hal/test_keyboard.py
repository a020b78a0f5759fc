"""The computer keyboard: every key of the map typed in a terminal, escape sequences, the tap's
release, SHIFT latch, the hold key, long and double presses, real presses from a window, and
the stdin reader on a real pseudo-terminal."""
import os
import termios
import threading

import pytest

from reverie.base.events import Key, Pad, Turn
from reverie.hal.simulator.keyboard import TAP_S, Keyboard
from reverie.hal.simulator.keymap import KEYMAP, help_lines, shown
from reverie.hal.simulator.terminal_keys import TerminalKeys, parse_keys

# The map as docs/simulator.md states it, written out independently of keymap.py.
PAD_KEYS = "1234qwerasdfzxcv"
HARD_KEYS = "!@#$QWERASDFZXCV"
KEY_NAMES = {"5": "PATTERN", "6": "SOUND", "7": "MIXER", "8": "SONG", "9": "SAMPLE", "0": "PROJECT",
             "-": "SETTINGS", "=": "SYSTEM", "space": "PLAY", "BackSpace": "STOP", "Return": "REC",
             "/": "FUNC", "Left": "LEFT", "Right": "RIGHT", "n": "ENC1", "m": "ENC2", ",": "ENC3", ".": "ENC4"}
TURNS = {"y": (0, 1), "h": (0, -1), "Y": (0, 5), "H": (0, -5), "u": (1, 1), "j": (1, -1), "U": (1, 5),
         "J": (1, -5), "i": (2, 1), "k": (2, -1), "I": (2, 5), "K": (2, -5), "o": (3, 1), "l": (3, -1),
         "O": (3, 5), "L": (3, -5)}
TERMINAL_BYTES = {"space": b" ", "Tab": b"\t", "Return": b"\r", "BackSpace": b"\x7f", "Left": b"\x1b[D",
                  "Right": b"\x1b[C", "C-c": b"\x03", "C-d": b"\x04"}


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Rig:
    def __init__(self):
        self.events, self.quits, self.helps = [], 0, 0
        self.clock = Clock()
        self.keyboard = Keyboard(self.events.append, self.quit, on_help=self.help, clock=self.clock)
        self.keys = TerminalKeys(self.keyboard, stdin=None)

    def quit(self):
        self.quits += 1

    def help(self):
        self.helps += 1

    def type(self, data: bytes, at: float | None = None):
        if at is not None:
            self.clock.now = 100.0 + at
        self.keys.feed(data)

    def wait(self, until: float):
        self.clock.now = 100.0 + until
        self.keyboard.poll()

    def take(self):
        events, self.events[:] = list(self.events), []
        return events


def expected_tap(key, t0=100.0, t1=100.0 + TAP_S):
    if key in PAD_KEYS or key in HARD_KEYS:
        pad = (PAD_KEYS + HARD_KEYS).index(key) % 16
        return [Pad(pad, 127 if key in HARD_KEYS else 100, t0), Pad(pad, 0, t1)]
    if key in KEY_NAMES:
        return [Key(KEY_NAMES[key], "press", t0), Key(KEY_NAMES[key], "release", t1)]
    if key in TURNS:
        return [Turn(*TURNS[key], t0)]
    return None


def test_the_map_is_the_documented_one():
    documented = set(PAD_KEYS) | set(HARD_KEYS) | set(KEY_NAMES) | set(TURNS) | {"Tab", "`", "?", "C-c", "C-d"}
    assert set(KEYMAP) == documented


@pytest.mark.parametrize("key", list(KEYMAP))
def test_every_key_typed_in_a_terminal(key):
    rig = Rig()
    rig.type(TERMINAL_BYTES.get(key, key.encode()))
    rig.wait(TAP_S)
    events = rig.take()
    if expected_tap(key) is not None:
        assert events == expected_tap(key)
    elif key == "Tab":
        assert events == [Key("SHIFT", "press", 100.0)] and rig.keyboard.shift
        rig.type(b"\t", at=0.3)
        assert rig.take() == [Key("SHIFT", "release", 100.3)] and not rig.keyboard.shift
    elif key == "`":
        assert events == [] and rig.keyboard.armed
    elif key == "?":
        assert events == [] and rig.helps == 1
    else:
        assert events == [] and rig.quits == 1


def test_escape_sequences():
    assert parse_keys(b"\x1b[C\x1bOD\x1b[1;2C") == (["Right", "Left", "Right"], b"")
    assert parse_keys(b"\x1b[A\x1b[15~\x1bq") == (["Up", "CSI 15~", "M-q"], b"")
    assert parse_keys(b"q\x1b") == (["q"], b"\x1b")
    assert parse_keys(b"\x1b[1;") == ([], b"\x1b[1;")
    assert parse_keys("é\x01".encode()) == ([], b"")
    rig = Rig()
    rig.type(b"\x1b[A\x1b[B\x1b[15~\x1bq")           # up, down, F5, Alt-q: none of them ours
    assert rig.take() == []
    rig.type(b"\x1b")
    rig.type(b"[D")                                   # an arrow split over two reads
    assert rig.take()[0] == Key("LEFT", "press", 100.0)
    rig.type(b"\x1b")
    assert rig.keys.flush() == ["Escape"]             # a lone Esc: no key of ours
    rig.type(b"w")
    assert rig.take()[-1] == Pad(5, 100, 100.0)


def test_a_tapped_pad_is_released_after_the_tap_time():
    rig = Rig()
    rig.type(b"q")
    assert rig.take() == [Pad(4, 100, 100.0)]
    rig.clock.now = 100.0 + TAP_S / 2
    assert rig.keyboard.poll() == pytest.approx(TAP_S / 2)
    assert rig.take() == []
    rig.wait(TAP_S)
    assert rig.take() == [Pad(4, 0, 100.0 + TAP_S)]
    assert rig.keyboard.poll() is None


def test_a_pad_typed_again_before_its_release_is_released_first():
    rig = Rig()
    rig.type(b"qQ")
    rig.wait(1.0)
    assert rig.take() == [Pad(4, 100, 100.0), Pad(4, 0, 100.0), Pad(4, 127, 100.0), Pad(4, 0, 100.0 + TAP_S)]


def test_double_press():
    rig = Rig()
    rig.type(b" ")
    rig.wait(TAP_S)
    rig.type(b" ", at=TAP_S + 0.3)
    rig.wait(1.0)
    rig.type(b" ", at=2.0)
    assert [e.action for e in rig.take()] == ["press", "release", "press", "double", "release", "press"]


def test_hold_key_gives_a_long_press_and_a_combination():
    rig = Rig()
    rig.type(b"`/")
    assert rig.keyboard.held == ("key", "FUNC")
    rig.wait(0.5)
    rig.type(b"y", at=0.55)                           # a turn keeps FUNC down
    rig.type(b"q", at=0.6)                            # FUNC + pad 5, then FUNC lets go
    rig.wait(0.6 + TAP_S)
    assert rig.take() == [Key("FUNC", "press", 100.0), Key("FUNC", "long", 100.5), Turn(0, 1, 100.55),
                          Pad(4, 100, 100.6), Key("FUNC", "release", 100.6), Pad(4, 0, 100.6 + TAP_S)]
    assert rig.keyboard.held is None and not rig.keyboard.armed


def test_hold_key_again_lets_go_and_a_short_hold_is_not_long():
    rig = Rig()
    rig.type(b"`a")
    rig.type(b"`", at=0.2)
    rig.wait(1.0)
    assert rig.take() == [Pad(8, 100, 100.0), Pad(8, 0, 100.2)]
    rig.type(b"`", at=2.0)
    rig.type(b"`", at=2.1)                            # armed, then disarmed
    rig.type(b"5", at=2.2)
    rig.wait(3.0)
    assert rig.take() == [Key("PATTERN", "press", 102.2), Key("PATTERN", "release", 102.2 + TAP_S)]


def test_window_presses_and_releases_are_real():
    rig = Rig()
    kb = rig.keyboard
    kb.press("Tab")
    kb.press("q")
    kb.press("q", repeat=True)                        # auto-repeat of a pad: nothing
    kb.press("y")
    kb.press("y", repeat=True)                        # auto-repeat of a turn: turns again
    rig.wait(0.6)
    kb.release("Q")                                   # Shift pressed meanwhile: same pad
    kb.release("Tab")
    assert rig.take() == [Key("SHIFT", "press", 100.0), Pad(4, 100, 100.0), Turn(0, 1, 100.0),
                          Turn(0, 1, 100.0), Key("SHIFT", "long", 100.5), Pad(4, 0, 100.6),
                          Key("SHIFT", "release", 100.6)]
    kb.press("C-c")
    kb.press("?")
    kb.press("`")
    kb.press("F13")
    assert rig.quits == 1 and rig.helps == 1 and rig.take() == []


def test_help_fits_the_small_screen_and_names_every_key():
    lines = help_lines()
    assert all(len(line) <= 64 for line in lines)
    text = "\n".join(lines)
    for key in KEYMAP:
        if not (key.isalpha() and key.isupper()):
            assert shown(key) in text, key
    assert "capital" in text


def test_the_stdin_reader_on_a_pseudo_terminal():
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    got = threading.Event()
    events = []

    def emit(event):
        events.append(event)
        if len(events) == 2:
            got.set()

    with os.fdopen(slave, "rb", buffering=0) as stdin:
        keys = TerminalKeys(Keyboard(emit, lambda: None), stdin)
        assert keys.start()
        mode = termios.tcgetattr(slave)
        assert not mode[3] & termios.ICANON and not mode[3] & termios.ECHO and mode[3] & termios.ISIG
        os.write(master, b"\x1b[C")
        assert got.wait(2)                            # the press, then the release from the reader's timer
        assert [(e.name, e.action) for e in events] == [("RIGHT", "press"), ("RIGHT", "release")]
        keys.close()
        assert termios.tcgetattr(slave) == before
    os.close(master)


def test_no_terminal_no_reader():
    read, write = os.pipe()
    with os.fdopen(read, "rb") as stdin:
        keys = TerminalKeys(Keyboard(lambda e: None, lambda: None), stdin)
        assert not keys.start()
        keys.close()
    os.close(write)
